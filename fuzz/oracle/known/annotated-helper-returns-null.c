/*
 * annotated-helper-returns-null.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program.
 *
 * Seed 39 (random mode): f7 stores the result of f4 and drops it. f4 is declared
 * RC_NEW_REF RC_NULL_ON_FAILURE and always returns NULL, so no run leaks; rccheck takes the
 * annotation at its word (a new reference or NULL) and reports the leak of the non-NULL case.
 *
 * Verdict: rccheck is right by contract (annotations come before summaries, docs/model-format.md),
 * the oracle only sees the present implementation: a latent leak. Kept as a known disagreement,
 * not a bug.
 *
 * The helper's result never varies over its runs, so the oracle counts this FP as latent
 * (docs/oracle.md, verdicts).
 */
// oracle-expect: f7 leak latent
#include "oracle_api.h"


RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f4(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *ret = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
out:
	return ret;
}


RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f7(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *ret = NULL;
	rc_object *v0 = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	v0 = f4(h, arg, c2, c0, c0);
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f4", f4, NULL },
	{ "f7", f7, NULL },
};
const size_t oracle_nfns = 2;
#endif
