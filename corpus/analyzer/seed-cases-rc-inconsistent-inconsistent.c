/* rc-inconsistent: paths that return the same value but leave different counts behind on objects
 * the function did not create (counts = the incref/decref operations the analyzer knows, here the
 * runtime API). Reported on the return statement, in source order, whose path leaves a different
 * count than an earlier return of the same value.
 *
 * Most bad cases store the object in both paths (so no rc-leak fires) and forget the incref in
 * one: the classic "stored a borrowed reference" bug that no ownership rule catches. */
#include <rc/rc.h>

#define REGISTRY_CAP 16

struct registry {
	rc_object base;
	rc_object *items[REGISTRY_CAP];
	size_t len;
	rc_object *overflow;
	rc_object *last;
	int frozen;
};

extern const rc_type value_type;

int notify(const rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_both_paths_incref(struct registry *r, rc_object *obj)
{
	if (r->frozen)
		return -1;
	if (r->len < REGISTRY_CAP) {
		rc_incref(obj);
		r->items[r->len++] = obj;
		return 0;
	}
	rc_set_field(&r->overflow, rc_newref(obj));
	return 0;
}

int good_error_returns_differ(struct registry *r, rc_object *obj)
{
	if (r->len == REGISTRY_CAP)
		return -1;
	r->items[r->len++] = rc_newref(obj);
	return 0;
}

int good_balanced_on_one_path(struct registry *r, rc_object *obj)
{
	if (r->frozen) {
		rc_incref(obj); /* notify() may run code that drops other references */
		notify(obj);
		rc_decref(obj);
		return 0;
	}
	notify(obj);
	return 0;
}

int good_newref_or_incref(struct registry *r, rc_object *obj, int first)
{
	if (first) {
		rc_set_field(&r->last, rc_newref(obj));
		return 0;
	}
	rc_incref(obj);
	r->items[r->len++] = obj;
	return 0;
}

int good_switch_all_incref(struct registry *r, rc_object *obj, int where)
{
	switch (where) {
	case 0:
		rc_set_field(&r->last, rc_newref(obj));
		return 0;
	case 1:
		rc_incref(obj);
		r->items[0] = obj;
		return 0;
	default:
		return -1;
	}
}

int good_loop_balanced(struct registry *r, rc_object *obj)
{
	for (size_t i = 0; i < r->len; i++) {
		rc_incref(obj);
		if (notify(r->items[i]) < 0) {
			rc_decref(obj);
			return 0;
		}
		rc_decref(obj);
	}
	return 0;
}

int good_created_objects_do_not_count(rc_heap *heap, struct registry *r, int warm)
{
	if (warm) {
		rc_object *fresh = rc_new(heap, &value_type);
		if (!fresh)
			return -1;
		rc_set_field(&r->last, fresh);
		return 0;
	}
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_register_forgets_incref_when_room(struct registry *r, rc_object *obj)
{
	if (r->frozen)
		return -1;
	if (r->len < REGISTRY_CAP) {
		r->items[r->len++] = obj; /* stores a borrowed reference */
		return 0;
	}
	rc_set_field(&r->overflow, rc_newref(obj));
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_publish_out_param(struct registry *r, rc_object *obj, rc_object **out)
{
	if (r->frozen) {
		*out = obj;
		return 0;
	}
	rc_incref(obj);
	*out = obj;
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_switch_one_case_forgets(struct registry *r, rc_object *obj, int where)
{
	switch (where) {
	case 0:
		rc_set_field(&r->last, rc_newref(obj));
		return 0;
	case 1:
		r->overflow = obj;
		return 0; // expect-warning{{rc-inconsistent}}
	default:
		return -1;
	}
}

int bad_reuse_empty_slot(struct registry *r, rc_object *obj)
{
	for (size_t i = 0; i < r->len; i++) {
		if (!r->items[i]) {
			r->items[i] = obj;
			return 0;
		}
	}
	if (r->len == REGISTRY_CAP)
		return -1;
	r->items[r->len++] = rc_newref(obj);
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_nested_condition(struct registry *r, rc_object *obj, int hot, int pinned)
{
	if (hot) {
		if (pinned) {
			rc_incref(obj);
			r->items[0] = obj;
			return 1;
		}
		r->items[1] = obj;
		return 1; // expect-warning{{rc-inconsistent}}
	}
	return 0;
}

int bad_pick_one(rc_object *a, rc_object *b, int first, rc_object **out)
{
	if (first) {
		*out = rc_newref(a);
		return 0;
	}
	*out = b;
	return 0; // expect-warning{{rc-inconsistent}}
}

/* The plain form: an incref on one path only. The extra reference is also lost (rc-leak). */
int bad_plain_incref_one_path(rc_object *obj, int remember)
{
	if (remember) {
		rc_incref(obj);
		return 0; // expect-warning{{rc-leak}}
	}
	return 0; // expect-warning{{rc-inconsistent}}
}

/* Three returns of 0: the earliest in source order is the reference, so only the one that
 * differs from it is reported. */
int bad_three_returns_middle_differs(struct registry *r, rc_object *obj, int mode)
{
	if (mode == 0) {
		r->items[0] = rc_newref(obj);
		return 0;
	}
	if (mode == 1) {
		r->items[1] = obj; /* forgot rc_newref */
		return 0; // expect-warning{{rc-inconsistent}}
	}
	r->items[2] = rc_newref(obj);
	return 0;
}

/* Here the earliest return is the odd one out: both later returns differ from it. */
int bad_three_returns_first_differs(struct registry *r, rc_object *obj, int mode)
{
	if (mode == 0) {
		r->items[0] = obj; /* forgot rc_newref */
		return 0;
	}
	if (mode == 1) {
		r->items[1] = rc_newref(obj);
		return 0; // expect-warning{{rc-inconsistent}}
	}
	r->items[2] = rc_newref(obj);
	return 0; // expect-warning{{rc-inconsistent}}
}
