/* rc-leak: stolen arguments (always / on success only), aliases, rc_set_field / rc_clear_field. */
#include <rc/rc.h>

struct dict;

struct holder {
	rc_object base;
	rc_object *value;
	rc_object *spare;
};

extern const rc_type str_type;

/* Stores value under key; takes over the reference only when it succeeds. */
RC_NEG_ON_FAILURE int dict_set_take(struct dict *d, const char *key, RC_STEALS_ON_SUCCESS rc_object *value);
/* Always takes over the reference, even on failure. */
RC_NEG_ON_FAILURE int dict_set_steal(struct dict *d, const char *key, RC_STEALS rc_object *value);
int inspect(const rc_object *obj);
RC_NEW_REF RC_NULL_ON_FAILURE rc_object *str_concat(const rc_object *a, const rc_object *b);
RC_BORROWED_REF rc_object *part_at(int i);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_steal_on_success(rc_heap *heap, struct dict *d)
{
	rc_object *s = rc_new(heap, &str_type);
	if (!s)
		return -1;
	if (dict_set_take(d, "name", s) < 0) {
		rc_decref(s); /* still ours: the call failed */
		return -1;
	}
	return 0;
}

int good_steal_always(rc_heap *heap, struct dict *d)
{
	rc_object *s = rc_new(heap, &str_type);
	if (!s)
		return -1;
	return dict_set_steal(d, "name", s);
}

void good_alias_released(rc_heap *heap)
{
	rc_object *s = rc_new(heap, &str_type);
	rc_object *alias;

	if (!s)
		return;
	alias = s;
	inspect(alias);
	rc_decref(alias); /* releases the one reference, through the alias */
}

void good_set_field_chain(rc_heap *heap, struct holder *h)
{
	rc_object *a = rc_new(heap, &str_type);
	rc_object *b = rc_new(heap, &str_type);

	rc_set_field(&h->value, a); /* may store NULL: fine */
	rc_set_field(&h->spare, b);
	rc_clear_field(&h->spare);
}

void good_two_references_two_releases(rc_heap *heap, struct holder *h)
{
	rc_object *s = rc_new(heap, &str_type);
	if (!s)
		return;
	rc_incref(s);
	rc_set_field(&h->value, s);
	rc_decref(s);
}

/* The Py_SETREF accumulator idiom on a local: each step replaces (and releases) the previous
 * value; the caller gets the last one. */
RC_NEW_REF rc_object *good_accumulate(rc_heap *heap, int n)
{
	rc_object *acc = rc_new(heap, &str_type);
	if (!acc)
		return NULL;
	for (int i = 0; i < n; i++) {
		rc_set_field(&acc, str_concat(acc, part_at(i)));
		if (!acc)
			return NULL;
	}
	return acc;
}

/* A function that steals its argument owns it: every path must store or release it. */
int good_stealing_function(struct holder *h, RC_STEALS rc_object *item)
{
	if (h->value) {
		rc_decref(item);
		return -1;
	}
	rc_set_field(&h->value, item);
	return 0;
}

/* Steals only on success (returns >= 0): on failure the caller keeps its reference. */
RC_NEG_ON_FAILURE int good_offer(struct holder *h, RC_STEALS_ON_SUCCESS rc_object *item)
{
	if (h->value)
		return -1; /* not taken: still the caller's */
	rc_set_field(&h->value, item);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

RC_NEG_ON_FAILURE int bad_offer_success_without_taking(struct holder *h, RC_STEALS_ON_SUCCESS rc_object *item)
{
	if (h->value)
		return 0; // expect-warning{{rc-leak}}
	rc_set_field(&h->value, item);
	return 0;
}


int bad_stealing_function_error_path(struct holder *h, RC_STEALS rc_object *item)
{
	if (h->value)
		return -1; // expect-warning{{rc-leak}}
	rc_set_field(&h->value, item);
	return 0;
}


int bad_accumulate_dropped(rc_heap *heap, int n)
{
	rc_object *acc = rc_new(heap, &str_type);
	if (!acc)
		return -1;
	for (int i = 0; i < n; i++) {
		rc_set_field(&acc, str_concat(acc, part_at(i)));
		if (!acc)
			return -1;
	}
	return inspect(acc); // expect-warning{{rc-leak}}
}


int bad_steal_on_success_failure_path(rc_heap *heap, struct dict *d)
{
	rc_object *s = rc_new(heap, &str_type);
	if (!s)
		return -1;
	if (dict_set_take(d, "name", s) < 0)
		return -1; // expect-warning{{rc-leak}}
	return 0;
}

void bad_alias_then_overwrite_both(rc_heap *heap)
{
	rc_object *s = rc_new(heap, &str_type);
	rc_object *alias;

	if (!s)
		return;
	alias = s;
	s = NULL;
	alias = rc_new(heap, &str_type); // expect-warning{{rc-leak}}
	rc_xdecref(alias);
}

void bad_extra_incref_before_store(rc_heap *heap, struct holder *h)
{
	rc_object *s = rc_new(heap, &str_type);
	if (!s)
		return;
	rc_incref(s);
	rc_set_field(&h->value, s);
} // expect-warning{{rc-leak}}

int bad_newref_into_field_and_keep(rc_heap *heap, struct holder *h)
{
	rc_object *s = rc_new(heap, &str_type);
	if (!s)
		return -1;
	rc_set_field(&h->spare, rc_newref(s));
	return inspect(s); // expect-warning{{rc-leak}}
}
