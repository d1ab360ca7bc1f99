/* A fake widget toolkit known only through widget.model (no header, no annotations): every model
 * attribute in use, across the checks. */
// rccheck-args: --model widget.model

#include <stddef.h>

typedef struct wt_widget wt_widget;
struct wt_widget {
	int refcnt;
	int width, height;
	wt_widget *child;
	wt_widget *label;
};

wt_widget *wt_new(int width, int height);
void wt_ref(wt_widget *w);
void wt_unref(wt_widget *w);
void wt_xunref(wt_widget *w);
void wt_clear(wt_widget **slot);
wt_widget *wt_list_new(void);
int wt_list_append(wt_widget *list, wt_widget *item);
int wt_list_take(wt_widget *list, wt_widget *item);
int wt_list_put(wt_widget *list, wt_widget *item);
wt_widget *wt_list_get(wt_widget *list, size_t i);
wt_widget *wt_list_pop(wt_widget *list);
void wt_fatal(const char *msg);
wt_widget *wt_str_from_int(long v);
wt_widget *wt_str_concat(const wt_widget *a, const wt_widget *b);
long wt_str_len(const wt_widget *s);
int wt_str_equal(const wt_widget *a, const wt_widget *b);
void wt_show(const wt_widget *w);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_append_does_not_steal(void)
{
	wt_widget *list = wt_list_new();
	wt_widget *button;

	if (!list)
		return -1;
	button = wt_new(80, 20);
	if (!button) {
		wt_unref(list);
		return -1;
	}
	if (wt_list_append(list, button) < 0) {
		wt_unref(button);
		wt_unref(list);
		return -1;
	}
	wt_unref(button);
	wt_show(list);
	wt_unref(list);
	return 0;
}

int good_take_steals(wt_widget *list)
{
	wt_widget *w = wt_new(1, 1);
	if (!w)
		return -1;
	return wt_list_take(list, w); /* stolen, even on failure */
}

int good_put_steals_on_success(wt_widget *list)
{
	wt_widget *w = wt_new(1, 1);
	if (!w)
		return -1;
	if (wt_list_put(list, w) < 0) {
		wt_unref(w);
		return -1;
	}
	return 0;
}

void good_borrowed_item(wt_widget *list)
{
	wt_widget *first = wt_list_get(list, 0);
	if (first)
		wt_show(first);
}

wt_widget *good_get_and_keep(wt_widget *list)
{
	wt_widget *first = wt_list_get(list, 0);
	if (first)
		wt_ref(first);
	return first;
}

void good_clear_field(wt_widget *self)
{
	wt_clear(&self->child);
	wt_clear(&self->label);
}

void good_fatal_on_null(void)
{
	wt_widget *w = wt_new(640, 480);
	if (!w)
		wt_fatal("out of memory");
	w->width = 800;
	wt_unref(w);
}

long good_prefix_and_exact_names(void)
{
	long n;
	wt_widget *s = wt_str_from_int(42);
	if (!s)
		return -1;
	n = wt_str_len(s); /* exact name: returns an int, no reference */
	if (wt_str_equal(s, s))
		n++;
	wt_unref(s);
	return n;
}

void good_xunref_null(int make)
{
	wt_widget *w = make ? wt_new(1, 1) : NULL;
	wt_xunref(w);
}

void good_pop_released(wt_widget *list)
{
	wt_widget *w;
	while ((w = wt_list_pop(list)) != NULL)
		wt_unref(w);
}

/* The model says this function returns a new reference. */
wt_widget *good_label_ref(wt_widget *self)
{
	if (!self->label)
		return NULL;
	wt_ref(self->label);
	return self->label;
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* The model says this function returns a new reference: it returns a borrowed one. */
wt_widget *bad_child_ref(wt_widget *self)
{
	return self->child; // expect-warning{{rc-return-borrowed}}
}

int bad_leak_on_error(wt_widget *list)
{
	wt_widget *w = wt_new(10, 10);
	if (!w)
		return -1;
	if (wt_list_append(list, w) < 0)
		return -1; // expect-warning{{rc-leak}}
	wt_unref(w);
	return 0;
}

int bad_append_thought_to_steal(wt_widget *list)
{
	wt_widget *w = wt_new(10, 10);
	if (!w)
		return -1;
	return wt_list_append(list, w); // expect-warning{{rc-leak}}
}

int bad_unref_after_take(wt_widget *list)
{
	wt_widget *w = wt_new(10, 10);
	int err;
	if (!w)
		return -1;
	err = wt_list_take(list, w);
	wt_unref(w); // expect-warning{{rc-double-release}}
	return err;
}

int bad_put_failure_leaks(wt_widget *list)
{
	wt_widget *w = wt_new(10, 10);
	if (!w)
		return -1;
	if (wt_list_put(list, w) < 0)
		return -1; // expect-warning{{rc-leak}}
	return 0;
}

void bad_unref_borrowed_get(wt_widget *list)
{
	wt_widget *first = wt_list_get(list, 0);
	if (!first)
		return;
	wt_show(first);
	wt_unref(first); // expect-warning{{rc-release-borrowed}}
}

void bad_unchecked_new(void)
{
	wt_widget *w = wt_new(640, 480);
	w->height = 600; // expect-warning{{rc-unchecked-null}}
	wt_unref(w);
}

void bad_prefix_result_dropped(const wt_widget *a, const wt_widget *b)
{
	wt_widget *s = wt_str_concat(a, b);
	if (!s)
		return;
	wt_show(s);
} // expect-warning{{rc-leak}}

void bad_borrowed_outlives_owner(void)
{
	wt_widget *list = wt_list_new();
	wt_widget *first;
	if (!list)
		return;
	first = wt_list_get(list, 0);
	wt_unref(list);
	if (first)
		wt_show(first); // expect-warning{{rc-use-after-release}}
}

void bad_pop_dropped(wt_widget *list)
{
	wt_widget *w = wt_list_pop(list);
	if (w)
		wt_show(w);
} // expect-warning{{rc-leak}}

void bad_unref_then_xunref(void)
{
	wt_widget *w = wt_new(1, 1);
	if (!w)
		return;
	wt_unref(w);
	wt_xunref(w); // expect-warning{{rc-double-release}}
}

void bad_clear_then_show(wt_widget *self)
{
	wt_widget *old = self->child;
	wt_clear(&self->child);
	wt_show(old); // expect-warning{{rc-use-after-release}}
}
