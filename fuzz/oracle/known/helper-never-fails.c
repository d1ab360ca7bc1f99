/*
 * helper-never-fails.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program.
 *
 * Seed 37 (defect mode, extra-release): f6 releases its borrowed arg on the path where the
 * helper f2 fails, but f2 always returns 0. No run takes the path; rccheck reports
 * rc-release-borrowed on it.
 *
 * Verdict: a limit of rccheck's summaries (docs/analyzer.md, Known limits: no inter-procedural
 * facts beyond same-unit summaries of references): a summary does not say that a helper's int
 * result is always 0 (or always -1: seeds 11 and 39, helper-always-fails.c). The finding is
 * right about f6 as written (a latent defect: if f2 ever fails, arg is released once too
 * often), wrong about the program as it runs.
 *
 * The helper's result never varies over its runs, so the oracle counts this FP as latent
 * (docs/oracle.md, verdicts).
 */
// oracle-expect: f6 over latent
#include "oracle_api.h"


int f2(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	ret = 0;
out:
	return ret;
}


int f6(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	if (f2(h, arg, c1, 1, c0) < 0) {
		rc_decref(arg);
	}
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f2", NULL, f2 },
	{ "f6", NULL, f6 },
};
const size_t oracle_nfns = 2;
#endif
