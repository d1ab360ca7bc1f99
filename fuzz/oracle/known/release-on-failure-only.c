/*
 * release-on-failure-only.c - a known disagreement of the differential oracle (docs/oracle.md),
 * minimized by fuzz/differential --minimize from the generated program (seed 1594, defect mode,
 * extra-release), then by hand (the weak reference of the seed removed: it changes nothing).
 *
 * f0 releases its borrowed arg on its failure path only (return NULL); the caller's release of
 * arg then goes to count zero: the runs show the over-release. rccheck is silent.
 *
 * Verdict: an rccheck bug (a false negative), reported, not fixed here (the engine is another
 * engineer's). A release of a borrowed parameter on every success path and no failure path is
 * inferred to be steals-on-success by design (docs/analyzer.md, summaries; see
 * steals-on-success-inferred.c), a release on some paths only is reported; but a release on
 * every failure path and no success path, the reverse of steals-on-success and a convention no
 * API has, is neither reported nor documented. Smallest form:
 *     int f(rc_object *arg, int c) { if (c) { rc_decref(arg); return -1; } return 0; }
 */
// oracle-expect: f0 over fn
#include "oracle_api.h"

RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f0(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	(void)h, (void)c0, (void)c1;
	if (c2 == 2) {
		rc_decref(arg);
		return NULL;
	}
	return rc_xnewref(((struct box *)arg)->a);
}

#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f0", f0, NULL },
};
const size_t oracle_nfns = 1;
#endif
