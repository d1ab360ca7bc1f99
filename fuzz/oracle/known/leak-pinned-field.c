/*
 * leak-pinned-field.c - a known disagreement of the differential oracle (docs/oracle.md), minimized
 * by fuzz/differential --minimize from the generated program.
 *
 * Seeds 17 and 30 (defect mode, missing-release and wrong-path): a new reference taken on a
 * value loaded from a field (b = arg->a; v0 = b ? rc_newref(b) : NULL;) and never released.
 * The run leaks the leaf (it outlives the caller's release of arg); rccheck is silent.
 *
 * Verdict: a documented limit of rccheck (docs/analyzer.md, Known limits: "Incrementing a
 * reference that a memory location holds (pinning p->f) is the memory's business: it is not
 * reported as a leak"). The same function with rc_newref(arg) is reported (the reference comes
 * from a parameter, not from memory). Following such pins would report the common idiom
 * "tmp = self->f; rc_incref(tmp); call(); rc_decref(tmp)" correctly but needs the pin to be an
 * owned reference of the function, which the engine deliberately does not make it.
 */
// oracle-expect: f3 leak fn
#include "oracle_api.h"


int f3(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *v0 = NULL;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	b = ((struct box *)arg)->a;
	v0 = b ? rc_newref(b) : NULL;
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f3", NULL, f3 },
};
const size_t oracle_nfns = 1;
#endif
