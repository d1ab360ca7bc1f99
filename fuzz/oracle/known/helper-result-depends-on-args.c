/*
 * helper-result-depends-on-args.c - a known disagreement of the differential oracle
 * (docs/oracle.md), minimized by fuzz/differential --minimize from the generated program.
 *
 * Seed 30 (defect mode, extra-release): f3 releases a copy of v1 twice, but only in the
 * default case of switch (c2), and v1 comes from f1, which returns non-NULL only when c2 == 1;
 * f3 returns when v1 is NULL, so the default case never runs with v1 set. rccheck reports the
 * double release.
 *
 * Verdict: a limit of rccheck's summaries: they say what a helper's result is (a new reference
 * or NULL), not how it depends on the arguments (NULL unless c2 == 1). The finding is a latent
 * defect: f3 is wrong as soon as f1 returns an object for c2 != 1. Unlike the cases where the
 * helper's result never varies, the oracle cannot tell this one from a false positive.
 */
// oracle-expect: f3 over fp
#include "oracle_api.h"


RC_NEW_REF RC_NULL_ON_FAILURE rc_object *f1(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *ret = NULL;
	rc_object *v0 = NULL;
	rc_weakref *w = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b, (void)w;
	v0 = c2 == 1 ? rc_new(h, &oracle_box_type) : NULL;
	if (!v0)
		goto out;
	ret = rc_xnewref(((struct box *)arg)->a);
out:
	return ret;
}


int f3(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *v1 = NULL;
	rc_object *v3 = NULL;
	rc_weakref *w = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b, (void)w;
	v1 = f1(h, arg, c0, 1, c2);
	if (!v1) {
		return -1;
	}
	switch (c2) {
	case 1:
		break;
	default:
		v3 = rc_newref(v1);
		rc_decref(v3);
		break;
	}
out:
	rc_xdecref(v3);
	rc_xdecref(v1);
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f1", f1, NULL },
	{ "f3", NULL, f3 },
};
const size_t oracle_nfns = 2;
#endif
