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
	GM_NOPS = 12,       /* the op of a record is its first byte % GM_NOPS */
	GM_MAX_RECORDS = 512, /* longer programs are truncated (bounds the run time of one input) */
};

/*
 * The kinds of heap a program runs on (docs/fuzzing.md, "Heap kinds"): what users can create,
 * so that every free path of the runtime runs under the oracle, not only the checked one.
 *   GM_HEAP_CHECKED         RC_HEAP_TRACK_ALL | RC_HEAP_QUARANTINE, the harness's allocator hooks
 *                           (counted, failures on request): every check of the oracle
 *   GM_HEAP_DEFAULT         rc_heap_new(&h, NULL), what users get: untracked, no quarantine,
 *                           malloc and the per-heap small-object pool (the plain fast free path)
 *   GM_HEAP_PLAIN           untracked, no quarantine, the harness's hooks (counted, no failures:
 *                           an untracked heap may leak a cycle when a candidate root cannot be
 *                           recorded, rc.h)
 *   GM_HEAP_TRACKED_POOLED  RC_HEAP_TRACK_ALL, the runtime's allocator and pool, no quarantine
 * Untracked heaps have no rc_heap_check, rc_heap_foreach or total_refs (rc.h: RC_ENOTRACK,
 * SIZE_MAX): the oracle checks that they say so, and checks the rest (counts, slots, live-object
 * and per-type totals, weak references, hooks, collections, teardown).
 */
enum {
	GM_HEAP_CHECKED,
	GM_HEAP_DEFAULT,
	GM_HEAP_PLAIN,
	GM_HEAP_TRACKED_POOLED,
	GM_NHEAPS
};

struct gm_config {
	unsigned heap_kind;  /* GM_HEAP_* */
	/* Allocation failure injection: 0 = none; N = the Nth allocation of the run fails
	 * (heap creation included). */
	size_t fail_at;
	int fail_persist;    /* nonzero: every allocation from the Nth on fails */
	size_t gc_threshold; /* heap option (0: the runtime's default) */
	/* nonzero: no allocator hooks (the runtime's own allocator and object pool); allocation
	 * failures and the allocation accounting are then off */
	int default_allocator;
	/* nonzero: RC_HEAP_GENERATIONS on top of the heap kind (automatic collections may be minor:
	 * the oracle then does not require garbage to be gone after them, only after major ones) */
	int generations;
};

/* Runs one program. Returns normally when runtime and model agree; aborts otherwise. */
void gm_run(const uint8_t *prog, size_t size, const struct gm_config *cfg);

/* Prints the program in mkseeds.py syntax, one record a line, marking record `mark` (or none
 * when mark is SIZE_MAX). */
void gm_print_program(FILE *out, const uint8_t *prog, size_t size, size_t mark);

#endif /* RC_FUZZ_GRAPH_MODEL_H */
