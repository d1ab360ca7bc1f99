/*
 * steals-on-success-inferred.c - a known disagreement of the differential oracle
 * (docs/oracle.md), minimized by fuzz/differential --minimize from the generated program
 * (seed 1493, defect mode, extra-release), then by hand.
 *
 * f4 releases its borrowed arg on its success path only (return 0 after the allocation of a
 * weak reference succeeded). Every generated function borrows arg, so the caller's release goes
 * to count zero: the runs show the over-release. rccheck is silent (and reports the leak of w).
 *
 * Verdict: rccheck's documented design (docs/analyzer.md, summaries): a parameter released on
 * every success path and kept on every failure path is inferred to be taken over on success,
 * like PyModule_AddObject, so the release is the function's contract, not a defect; its callers
 * are then checked against that contract. The oracle's convention (every function borrows arg)
 * is not written anywhere rccheck can read: there is no "borrows" annotation to say so.
 */
// oracle-expect: f4 over fn
#include "oracle_api.h"

int f4(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_weakref *w;

	(void)h, (void)c0, (void)c1;
	w = rc_weakref_new(arg, NULL, NULL);
	if (!w || c2 == 2) {
		rc_xdecref(RC_WEAKREF_OBJ(w));
		return -1;
	}
	rc_decref(RC_WEAKREF_OBJ(w));
	rc_decref(arg);
	return 0;
}

#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f4", NULL, f4 },
};
const size_t oracle_nfns = 1;
#endif
