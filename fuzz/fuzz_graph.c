/*
 * fuzz_graph.c - the graph target: the input is a program of 4-byte operation records run
 * against the runtime and a model of the same graph (graph_model.c; format in docs/fuzzing.md).
 * Every byte string is a valid program; allocation failures come only from `failalloc` records.
 * The heap kind (graph_model.h) is the first record's first byte divided by 12 (mod 4), and
 * the bit above it adds RC_HEAP_GENERATIONS.
 */
#include "fuzz_target.h"
#include "graph_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gm_config cfg = {0};
	/* the first record's op byte / 12 (the op is byte % 12) picks the heap: the seeds written
	 * before heap kinds existed all run on the checked heap, as they did */
	if (size >= GM_RECORD) {
		cfg.heap_kind = (unsigned)(data[0] / GM_NOPS) % GM_NHEAPS;
		/* the next bit of it: RC_HEAP_GENERATIONS (first bytes 48-95, 144-191, 240-255) */
		cfg.generations = (data[0] / GM_NOPS / GM_NHEAPS) & 1;
	}
	gm_run(data, size, &cfg);
	return 0;
}
