/*
 * over-shows-as-uar.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program, then by hand (f5 made an int
 * function, so that the case shows this disagreement alone).
 *
 * Seed 30 (defect mode, wrong-path): f7 takes a reference on arg->a, releases it, then hands
 * it to rc_set_field, which takes over a reference f7 no longer owns. rccheck reports
 * rc-double-release there (the over-release is f7's own defect, and rccheck names it rightly).
 * At run time the over-release does not show as a release at count zero: f7's later call of
 * f5 clears arg->b, which frees the leaf while arg->a still points to it, and f5 then
 * reads arg->a: the run shows a use after release (and a release at count zero when the
 * caller releases arg, which agrees with rccheck's over finding).
 *
 * Verdict: not an rccheck bug. One defect, two symptoms: whether a premature release shows at
 * run time as a release at zero or as a use of a released object depends on what the program
 * does next. The oracle compares kinds one by one, so this counts as a uar FN. (In the
 * generated seed 30 the schedule without failure showed only the use after release.)
 */
// oracle-expect: f7 uar fn
#include "oracle_api.h"

int f5(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2;
	rc_clear_field(&((struct box *)arg)->b);
	b = ((struct box *)arg)->a;
	if (b)
		oracle_use(b);
	return 0;
}

int f7(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v1 = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2;
	b = ((struct box *)arg)->a;
	v1 = b ? rc_newref(b) : NULL;
	rc_xdecref(v1);
	rc_set_field(&((struct box *)arg)->b, v1);
	v1 = NULL;
	if (f5(h, arg, 0, 1, c2) < 0)
		return -1;
	return 0;
}

#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f5", NULL, f5 },
	{ "f7", NULL, f7 },
};
const size_t oracle_nfns = 2;
#endif
