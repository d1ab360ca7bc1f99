/* Operators written inside macro bodies, in an included header (include/macro_operators.h) and
 * in a macro defined once per #if branch, are read from the AST (libclang's operator kinds):
 * the tests and count updates below are followed exactly as if they were written out. The
 * token-based reading of libclang 14 got IS_PRESENT's `NULL != (o)` wrong (the test was read
 * inverted: a false leak and a false unchecked NULL in good_present_macro) and saw none of the
 * count updates of DEV_HOLD (+= 1), DEV_DROP (postfix --) and DEV_PIN (prefix ++): the three
 * rc-inconsistent findings were missed. */
#include <rc/rc.h>

#include "include/macro_operators.h"

extern const rc_type point_type;

struct device {
	int refcnt;
	int state;
};

int fill(rc_object *obj);
void draw(const rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_missing_macro(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (IS_MISSING(p))
		return -1;
	draw(p);
	rc_decref(p);
	return 0;
}

int good_present_macro(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (!IS_PRESENT(p))
		return -1;
	draw(p);
	rc_decref(p);
	return 0;
}

int good_failed_macro(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (!p)
		return -1;
	if (FAILED(fill(p))) {
		rc_decref(p);
		return -1;
	}
	rc_decref(p);
	return 0;
}

void good_if_branch_macro(rc_heap *heap, int flag)
{
	rc_object *p = rc_new(heap, &point_type);
	if (USABLE(p, flag))
		draw(p);
	rc_xdecref(p);
}

void good_and_macro(rc_heap *heap, int flag)
{
	rc_object *p = rc_new(heap, &point_type);
	if (BOTH(p, NOT_FLAG(flag)))
		draw(p);
	rc_xdecref(p);
}

int good_device_balanced(struct device *d)
{
	if (d->state < 0)
		return -1;
	DEV_HOLD(d);
	d->state++;
	DEV_DROP(d);
	return 0;
}

int good_device_held_on_every_success(struct device *d, int fast)
{
	if (d->state < 0)
		return -1;
	if (fast) {
		DEV_PIN(d);
		return 0;
	}
	DEV_HOLD(d);
	return 0;
}

/* ---- must be reported ---------------------------------------------------------------------- */

int bad_missing_inverted(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (!IS_MISSING(p))
		return -1; // expect-warning{{rc-leak}}
	rc_decref(p); // expect-warning{{rc-unchecked-null}}
	return 0;
}

void bad_leak_on_failed(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (!p)
		return;
	if (FAILED(fill(p)))
		return; // expect-warning{{rc-leak}}
	rc_decref(p);
}

/* the count changes of the header's macros (+= 1, --, prefix ++) are direct count updates */
int bad_device_held_on_slow_path_only(struct device *d, int fast)
{
	if (fast)
		return 0;
	DEV_HOLD(d);
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_device_dropped_on_one_path(struct device *d, int mode)
{
	if (mode)
		return 0;
	DEV_DROP(d);
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_device_pinned_on_one_path(struct device *d, int mode)
{
	if (mode)
		return 0;
	DEV_PIN(d);
	return 0; // expect-warning{{rc-inconsistent}}
}
