/*
 * callee-over-release-shows-as-leak.c - a known disagreement of the differential oracle
 * (docs/oracle.md), minimized by fuzz/differential --minimize from the generated program.
 *
 * Seed 1473 (defect mode, extra-release in f2): f2 releases its borrowed arg (rccheck reports
 * it there, and the runs show the release at zero there). f3 calls f2, then stores a new
 * reference into arg->a: arg is already freed (quarantined) by then, so the stored leaf is never
 * released and f3's runs show a leak, which rccheck does not report in f3.
 *
 * Verdict: not an rccheck bug: the leak is a consequence of the callee's over-release (f3 is
 * correct against a correct f2). The oracle counts a callee's defect as inherited only when it
 * shows in the caller as the same kind (or as over/uar for each other); this one changes kind.
 */
// oracle-expect: f3 leak fn
#include "oracle_api.h"


/* defined in the second unit */
int f2(rc_heap *h, rc_object *arg, int c0, int c1, int c2);
int f3(rc_heap *h, rc_object *arg, int c0, int c1, int c2);

#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f2", NULL, f2 },
	{ "f3", NULL, f3 },
};
const size_t oracle_nfns = 2;
#endif
/* ==== second unit ==== */
#include "oracle_api.h"


/* defined in the main unit */

int f2(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_weakref *w = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b, (void)w;
	rc_decref(arg);
out:
	return ret;
}


int f3(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *v0 = NULL;
	rc_weakref *w = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b, (void)w;
	(void)f2(h, arg, c1, 1, c0);
	v0 = rc_new(h, &oracle_leaf_type);
	rc_set_field(&((struct box *)arg)->a, rc_newref(v0));
out:
	rc_xdecref(v0);
	return ret;
}


