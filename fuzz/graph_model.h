/* graph_model.h - private to the fuzz harness (fuzz/): not installed, not part of the runtime.
 *
 * The graph engine shared by the graph targets: it runs a program of fixed-size operation records
 * against the runtime and, beside it, against a model of the same reference graph, and aborts with
 * a readable dump (program listing, registers, objects) on the first disagreement.
 * The record format and the oracle are described in docs/fuzzing.md; fuzz/mkseeds.py speaks the
 * same format in readable form.
 */
#ifndef RC_FUZZ_GRAPH_MODEL_H
#define RC_FUZZ_GRAPH_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
	GM_RECORD = 4,      /* bytes per operation record: op, a, b, c */
	GM_MAX_RECORDS = 512, /* longer programs are truncated (bounds the run time of one input) */
};

struct gm_config {
	/* Allocation failure injection: 0 = none; N = the Nth allocation of the run fails
	 * (heap creation included). */
	size_t fail_at;
	int fail_persist;    /* nonzero: every allocation from the Nth on fails */
	size_t gc_threshold; /* heap option (0: the runtime's default) */
	/* nonzero: no allocator hooks (the runtime's own allocator and object pool); allocation
	 * failures and the allocation accounting are then off */
	int default_allocator;
};

/* Runs one program. Returns normally when runtime and model agree; aborts otherwise. */
void gm_run(const uint8_t *prog, size_t size, const struct gm_config *cfg);

/* Prints the program in mkseeds.py syntax, one record a line, marking record `mark` (or none
 * when mark is SIZE_MAX). */
void gm_print_program(FILE *out, const uint8_t *prog, size_t size, size_t mark);

#endif /* RC_FUZZ_GRAPH_MODEL_H */
