/*
 * int-not-equal.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program.
 *
 * Seed 31 (random mode): after `if (c2 == 1) goto out;` the function tests c2 == 1 again (a
 * conditional allocation, then a switch on c2). Both tests can only be false, so v0 is always
 * NULL and case 1 never runs; rccheck reports rc-unchecked-null for rc_newref(v0) in case 1,
 * and the leak of v1 (the new reference of case 1 is never released).
 *
 * Verdict: an rccheck bug (precision), fixed in session 5: an integer now keeps one excluded
 * constant beside its range (ENG_V_INT_NE), so the two sides agree and this file expects no
 * disagreement; it stays as the case that shows it. Before the fix: docs/analyzer.md says integers keep a range from comparisons with constants
 * (== K, != K), but a false `c2 == 1` leaves c2 in (-inf, 0] u [2, +inf), which one range cannot
 * hold, so the second `c2 == 1` is taken as possible. Smallest form:
 *     rc_object *v0 = rc_new(h, &t);
 *     if (c2 == 1) goto out;
 *     if (c2 == 1) use(v0);        // reported: unchecked NULL on an impossible path
 * (`if (c0) ...; if (c0) ...` is right: truth values are kept). A fix: keep a few excluded
 * constants beside the range.
 */
#include "oracle_api.h"


RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f2(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *ret = NULL;
	rc_object *v0 = NULL;
	rc_object *v1 = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	if (c2 == 1) {
		goto out;
	}
	v0 = c2 == 1 ? rc_new(h, &oracle_box_type) : NULL;
	switch (c2) {
	case 0:
		break;
	case 1:
		v1 = rc_newref(v0);
		break;
	default:
		break;
	}
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f2", f2, NULL },
};
const size_t oracle_nfns = 1;
#endif
