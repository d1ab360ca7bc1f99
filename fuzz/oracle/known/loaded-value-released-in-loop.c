/*
 * loaded-value-released-in-loop.c - a known disagreement of the differential oracle
 * (docs/oracle.md): seed 1091 (random mode) of fuzz/differential --seeds 1000-1199 with the
 * generator of 2026-12-08, minimized by --minimize, then by hand (b initialized: the generated
 * program read it uninitialized in the first iteration).
 *
 * Each iteration takes a reference to the value b loaded in the previous one, loads arg->a again
 * (the same object, which arg keeps) and releases its reference: correct (the runs show
 * nothing). rccheck reports rc-use-after-release at the rc_newref of the third iteration.
 *
 * Verdict: rccheck bug (precision), reported, not fixed here. The reload before the release
 * finds the same value (it is still arg->a's), and the release of the function's own reference
 * on a loaded value marks it freed although the memory it was loaded from still holds it; the
 * straight-line form (reload after the release) gets a fresh value and is not reported.
 */
// oracle-expect: loop_reload uar fp
#include "oracle_api.h"
int loop_reload(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *b = NULL;

	(void)h, (void)c0, (void)c1, (void)c2;
	for (int i = 0; i < 3; i++) {
		rc_object *t0 = NULL;
		t0 = b ? rc_newref(b) : NULL;
		b = ((struct box *)arg)->a;
		rc_xdecref(t0);
	}
	return 0;
}
#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "loop_reload", NULL, loop_reload },
};
const size_t oracle_nfns = 1;
#endif
