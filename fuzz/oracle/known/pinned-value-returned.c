/*
 * pinned-value-returned.c - a known disagreement of the differential oracle (docs/oracle.md):
 * seeds 1188 (correct mode) and 1198 of fuzz/differential --seeds 1000-1199 with the generator of
 * 2026-12-08, minimized by --minimize, then by hand (the clear of arg->b before the store put
 * back, so that the program is correct on every path).
 *
 * pinned_return takes its own reference to arg->a's value (v0), stores the value by hand into
 * arg->b with the increment that is arg->b's, clears arg->a and returns v0: correct (the runs
 * show nothing). rccheck reports rc-return-borrowed ("returns 'v0', borrowed from a load").
 *
 * Verdict: rccheck bug (precision), reported, not fixed here. The increment after the store is
 * counted as the function's own reference because the function already owned one (the engine's
 * "stored, then incremented: the memory's" rule applies only at a count of 0), the clear of arg->a
 * then releases one of the two, and rc-return-borrowed takes a value owned once, stored and
 * escaped for the memory's reference returned.
 */
// oracle-expect: pinned_return over fp
#include "oracle_api.h"

RC_NEW_REF RC_NULL_ON_FAILURE rc_object *pinned_return(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0, *b;

	(void)h, (void)c0, (void)c1, (void)c2;
	b = ((struct box *)arg)->a;
	if (!b)
		return NULL;
	v0 = rc_newref(b);
	rc_clear_field(&((struct box *)arg)->b);
	((struct box *)arg)->b = b;
	rc_incref(b);
	rc_clear_field(&((struct box *)arg)->a);
	return v0;
}
#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "pinned_return", pinned_return, NULL },
};
const size_t oracle_nfns = 1;
#endif
