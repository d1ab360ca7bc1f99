/*
 * unpinned-store.c - a known disagreement of the differential oracle (docs/oracle.md),
 * minimized by fuzz/differential --minimize from the generated program (seed 14 of the generator
 * of 2026-12-08, defect mode, unpinned-store), then by hand (the weak reference removed; the clear of arg->b
 * before the store put back: without it the old value of arg->b leaks too).
 *
 * f0 copies the borrowed value of arg->a into arg->b with a plain store and no increment: the
 * two fields hold one reference, so the caller's release of arg releases the leaf twice (the
 * runs show the release at zero). With the clear of arg->a and the use of the value that the
 * generator writes after the store (op_pin), the same defect shows first as a use after
 * release, which rccheck reports; the later release at zero by the memory it does not.
 *
 * Verdict: documented limit (docs/analyzer.md, the engine: "a stored value escapes"): a plain
 * store is no count operation for rccheck; what a field holds is the memory's business, and the
 * increment that pays for it (`p->f = v; rc_incref(v);`) is taken as the memory's reference.
 */
// oracle-expect: f0 over fn
#include "oracle_api.h"

int f0(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *b;

	(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b;
	b = ((struct box *)arg)->a;
	rc_clear_field(&((struct box *)arg)->b);
	((struct box *)arg)->b = b;
out:
	return ret;
}


#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "f0", NULL, f0 },
};
const size_t oracle_nfns = 1;
#endif
