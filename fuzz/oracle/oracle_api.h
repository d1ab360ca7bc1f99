/*
 * oracle_api.h - what a generated unit of the differential oracle sees (docs/oracle.md).
 *
 * Every generated function has one of the two signatures below and takes:
 *   h    the heap to allocate in (its allocator hooks fail allocations on the oracle's schedule)
 *   arg  a borrowed box the caller owns (field a holds a leaf; field b NULL or a leaf)
 *   c0, c1, c2: the branch-choosing parameters (generated code tests c0 and c1 for truth and
 *        compares c2 with 0, 1 and 2; the harness runs c0, c1 in {0, 1} and c2 in {0, 1, 2, 3})
 * An object-returning function returns a new reference or NULL; an int function 0 or -1.
 * The harness (harness.c) defines the two types and oracle_use(); rccheck learns from
 * oracle.model that oracle_use borrows its argument.
 */
#ifndef RC_ORACLE_API_H
#define RC_ORACLE_API_H

#include <rc/rc.h>

struct box {
	rc_object base;
	rc_object *a;
	rc_object *b;
};

extern const rc_type oracle_leaf_type; /* a leaf: no references */
extern const rc_type oracle_box_type;  /* fields a and b, a reference-field map */

/* Reads obj (borrowed): the harness records a use of NULL or of a released object. */
void oracle_use(rc_object *obj);

typedef rc_object *(*oracle_obj_fn)(rc_heap *h, rc_object *arg, int c0, int c1, int c2);
typedef int (*oracle_int_fn)(rc_heap *h, rc_object *arg, int c0, int c1, int c2);

/* The table a unit compiled with -DRC_ORACLE_TABLE appends (never seen by rccheck). */
struct oracle_fn {
	const char *name;
	oracle_obj_fn obj; /* one of obj and num is set */
	oracle_int_fn num;
};

/* A batch of units linked into one harness (oracle.py's evaluate_batch: each unit's names carry
 * its own prefix): the table of their tables. */
struct oracle_unit {
	const struct oracle_fn *fns;
	const size_t *n;
};

#endif
