/*
 * helper-always-fails.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program.
 *
 * Seeds 11 and 39 (random mode): f3 returns when the helper f0 fails, and f0 always fails
 * (returns -1), so the allocation after the test is never reached. rccheck follows the path
 * where f0 succeeds and reports the leak of v1 there.
 *
 * Verdict: the same limit as helper-never-fails.c: a summary does not carry a helper's
 * constant int result. A fix would be a "returns only K" fact in the summary (the engine's
 * summary inference already sees every return of f0).
 *
 * The helper's result never varies over its runs, so the oracle counts this FP as latent
 * (docs/oracle.md, verdicts).
 */
// oracle-expect: f3 leak latent
#include "oracle_api.h"


int f0(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
out:
	return ret;
}


RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f3(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *ret = NULL;
	rc_object *v1 = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	if (f0(h, arg, 1, 1, 1) < 0) {
		return NULL;
	}
	v1 = rc_new(h, &oracle_leaf_type);
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f0", NULL, f0 },
	{ "f3", f3, NULL },
};
const size_t oracle_nfns = 2;
#endif
