/* rc-leak: loops that create and release per iteration, break/continue, iterators returning new
 * references. */
#include <rc/rc.h>

struct list {
	rc_object base;
	size_t len, cap;
	rc_object **items;
};

struct iter;

extern const rc_type item_type;

/* An iterator that hands out new references; NULL at the end. */
RC_NEW_REF rc_object *iter_next(struct iter *it);
/* Appends, stealing the item even on failure (like PyList_SET_ITEM on a sized list). */
RC_NEG_ON_FAILURE int list_append_steal(struct list *l, RC_STEALS rc_object *item);
int visit(rc_object *obj);
int is_interesting(const rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_create_release_each_iteration(rc_heap *heap, int n)
{
	for (int i = 0; i < n; i++) {
		rc_object *obj = rc_new(heap, &item_type);
		if (!obj)
			return -1;
		if (visit(obj) < 0) {
			rc_decref(obj);
			return -1;
		}
		rc_decref(obj);
	}
	return 0;
}

int good_fill_list(rc_heap *heap, struct list *l, size_t n)
{
	size_t i = 0;
	while (i < n) {
		rc_object *obj = rc_new(heap, &item_type);
		if (!obj)
			return -1;
		if (list_append_steal(l, obj) < 0)
			return -1; /* stolen even on failure */
		i++;
	}
	return 0;
}

int good_drain_iterator(struct iter *it)
{
	rc_object *obj;
	int count = 0;

	while ((obj = iter_next(it)) != NULL) {
		if (is_interesting(obj))
			count++;
		rc_decref(obj);
	}
	return count;
}

int good_find_first(struct iter *it, rc_object **found)
{
	rc_object *obj;

	for (;;) {
		obj = iter_next(it);
		if (!obj)
			return 0;
		if (is_interesting(obj)) {
			*found = obj; /* the caller owns it */
			return 1;
		}
		rc_decref(obj);
	}
}

int good_continue_after_release(struct iter *it)
{
	rc_object *obj;
	int seen = 0;

	while ((obj = iter_next(it))) {
		if (!is_interesting(obj)) {
			rc_decref(obj);
			continue;
		}
		seen++;
		rc_decref(obj);
	}
	return seen;
}

void good_replace_in_loop(rc_heap *heap, int n)
{
	rc_object *last = NULL;
	for (int i = 0; i < n; i++) {
		rc_object *obj = rc_new(heap, &item_type);
		if (!obj)
			break;
		rc_xdecref(last);
		last = obj;
	}
	rc_xdecref(last);
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_leak_on_error_inside_loop(rc_heap *heap, int n)
{
	for (int i = 0; i < n; i++) {
		rc_object *obj = rc_new(heap, &item_type);
		if (!obj)
			return -1;
		if (visit(obj) < 0)
			return -1; // expect-warning{{rc-leak}}
		rc_decref(obj);
	}
	return 0;
}

int bad_break_skips_release(struct iter *it)
{
	rc_object *obj;
	int count = 0;

	while ((obj = iter_next(it)) != NULL) {
		if (visit(obj) < 0)
			break;
		count++;
		rc_decref(obj);
	}
	return count; // expect-warning{{rc-leak}}
}

void bad_never_released_in_loop(rc_heap *heap, int n)
{
	rc_object *obj = NULL;
	for (int i = 0; i < n; i++) {
		obj = rc_new(heap, &item_type); // expect-warning{{rc-leak}}
		if (!obj)
			return;
		visit(obj);
	}
	rc_xdecref(obj);
}

int bad_continue_skips_release(struct iter *it)
{
	rc_object *obj;
	int seen = 0;

	while ((obj = iter_next(it))) { // expect-warning{{rc-leak}}
		if (!is_interesting(obj))
			continue;
		seen++;
		rc_decref(obj);
	}
	return seen; /* the last value was overwritten by the condition, which is NULL here */
}

int bad_do_while_leak(rc_heap *heap, int n)
{
	int made = 0;
	do {
		rc_object *obj = rc_new(heap, &item_type);
		if (!obj)
			break;
		if (is_interesting(obj)) {
			rc_decref(obj);
			made++;
			continue;
		}
		if (visit(obj) < 0)
			return -1; // expect-warning{{rc-leak}}
		rc_decref(obj);
	} while (made < n);
	return made;
}
