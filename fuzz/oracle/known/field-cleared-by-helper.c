/*
 * field-cleared-by-helper.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program.
 *
 * Seed 9 (defect mode, borrowed-return): f4 returns arg->a without taking a reference, a
 * borrowed reference returned (injected). But the helper f2 it calls first clears arg->a, so
 * f4 always returns NULL and no run releases anything too often; rccheck reports
 * rc-return-borrowed.
 *
 * Verdict: a documented limit (docs/analyzer.md, Known limits: what memory holds is followed
 * until a call nothing is trusted about, a helper of the unit included), and a latent defect:
 * f4 is wrong as soon as f2 leaves the field alone.
 *
 * The helper's result never varies over its runs, so the oracle counts this FP as latent
 * (docs/oracle.md, verdicts).
 */
// oracle-expect: f4 over latent
#include "oracle_api.h"


int f2(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	rc_clear_field(&((struct box *)arg)->a);
out:
	return ret;
}


RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f4(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *ret = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	if (f2(h, arg, 1, c1, c2) < 0) {
	}
	ret = ((struct box *)arg)->a;
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f2", NULL, f2 },
	{ "f4", f4, NULL },
};
const size_t oracle_nfns = 2;
#endif
