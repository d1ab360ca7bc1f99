/*
 * steal-pin-cycle.c - shapes of the differential oracle's generator (docs/oracle.md) on which
 * rccheck and the runs agree, kept so that a change of either shows (no oracle-expect line: the
 * case must show no other disagreement). Written by hand after gen.py's op_steal_arg, op_pin and
 * its boxes stored into boxes (2026-12-08).
 *
 * steal_paid     the borrowed arg handed to rc_set_field, then paid back by rc_incref: correct
 *                (engine mutant 15, a steal of a borrowed reference not owed, reports a leak)
 * steal_some     the same steal without the increment, on the c0 paths only: over, reported
 *                (mutant 15 is silent)
 * pin            arg->a's value stored by hand into a box and incremented, arg->a cleared, the
 *                value used: correct (engine mutant 16, the increment taken as the function's,
 *                reports a use after release)
 * pin_unpaid     the same without the increment: a use after release, reported; then the
 *                caller's release of arg releases the freed value again (over), which rccheck
 *                does not follow (unpinned-store.c)
 * self_cycle     a box holding a reference to itself, the function's own released: a cycle the
 *                harness's collection frees, not a leak; rccheck silent
 * arg_cycle      arg and a new box holding each other: the same
 * cycle_leak     a self cycle with one extra reference: it survives the collection, a leak
 */
// oracle-expect: pin_unpaid over fn
#include "oracle_api.h"

int steal_paid(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = rc_new(h, &oracle_box_type);

	(void)c0, (void)c1, (void)c2;
	if (!v0)
		return -1;
	rc_set_field(&((struct box *)v0)->a, arg);
	rc_incref(arg);
	rc_decref(v0);
	return 0;
}

int steal_some(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = rc_new(h, &oracle_box_type);

	(void)c1, (void)c2;
	if (!v0)
		return -1;
	if (c0)
		rc_set_field(&((struct box *)v0)->a, arg);
	rc_decref(v0);
	return 0;
}

int pin(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = rc_new(h, &oracle_box_type);
	rc_object *b;

	(void)c0, (void)c1, (void)c2;
	if (!v0)
		return -1;
	b = ((struct box *)arg)->a;
	if (b) {
		rc_clear_field(&((struct box *)v0)->a);
		((struct box *)v0)->a = b;
		rc_incref(b);
		rc_clear_field(&((struct box *)arg)->a);
		oracle_use(b);
	}
	rc_decref(v0);
	return 0;
}

int pin_unpaid(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *b;

	(void)h, (void)c0, (void)c1, (void)c2;
	b = ((struct box *)arg)->a;
	if (b) {
		rc_clear_field(&((struct box *)arg)->b);
		((struct box *)arg)->b = b;
		rc_clear_field(&((struct box *)arg)->a);
		oracle_use(b);
	}
	return 0;
}

int self_cycle(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = rc_new_sized(h, &oracle_box_type, sizeof(struct box) + 8);

	(void)arg, (void)c0, (void)c1, (void)c2;
	if (!v0)
		return -1;
	rc_set_field(&((struct box *)v0)->a, rc_newref(v0));
	rc_decref(v0);
	return 0;
}

int arg_cycle(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = rc_new(h, &oracle_box_type);

	(void)c0, (void)c1, (void)c2;
	if (!v0)
		return -1;
	rc_set_field(&((struct box *)v0)->a, rc_newref(arg));
	rc_set_field(&((struct box *)arg)->b, v0);
	(void)rc_collect(h);
	return 0;
}

int cycle_leak(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = rc_new(h, &oracle_box_type);

	(void)arg, (void)c0, (void)c1, (void)c2;
	if (!v0)
		return -1;
	rc_set_field(&((struct box *)v0)->a, rc_newref(v0));
	rc_incref(v0);
	rc_decref(v0);
	return 0;
}

#ifdef RC_ORACLE_TABLE
const struct oracle_fn oracle_fns[] = {
	{ "steal_paid", NULL, steal_paid }, { "steal_some", NULL, steal_some }, { "pin", NULL, pin },
	{ "pin_unpaid", NULL, pin_unpaid }, { "self_cycle", NULL, self_cycle }, { "arg_cycle", NULL, arg_cycle },
	{ "cycle_leak", NULL, cycle_leak },
};
const size_t oracle_nfns = 7;
#endif
