/*
 * loop-trip-count.c - a known disagreement of the differential oracle (docs/oracle.md),
 * minimized by fuzz/differential --minimize from the generated program.
 *
 * Seed 1042 (defect mode): v1 is a second reference to v2's object (rc_xnewref), and a loop
 * of two iterations uses v1 and releases it each time: two references, two releases, the
 * object dies at the end of the second iteration and nothing uses it afterwards. rccheck
 * follows a third iteration (the loop condition i < 2 is not evaluated) and reports the use
 * there as a use after release (and the release as a double release), and the path that
 * never enters the loop as a leak. Without the loop
 * (the same statements written twice) rccheck is silent, as it should be.
 *
 * Verdict: a documented limit (docs/analyzer.md, Known limits: no arithmetic, so a loop with
 * a constant trip count is a loop of any count).
 */
// oracle-expect: f1 uar fp
// oracle-expect: f1 over fp
// oracle-expect: f1 leak fp
#include "oracle_api.h"


int f1(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *v1 = NULL;
	rc_object *v2 = NULL;
	rc_weakref *w = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b, (void)w;
	v2 = rc_new(h, &oracle_leaf_type);
	if (v2 == NULL)
		goto out;
	v1 = rc_xnewref(v2);
	for (int i = 0; i < 2; i++) {
		oracle_use(v1);
		rc_decref(v1);
	}
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f1", NULL, f1 },
};
const size_t oracle_nfns = 1;
#endif
