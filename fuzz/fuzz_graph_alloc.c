/*
 * fuzz_graph_alloc.c - the allocation-failure variant of the graph target. The first record is a
 * header: bytes 0-1 (little endian) + 1 = N, the allocation of the run (heap creation included)
 * that fails; byte 2 bit 0: every allocation from the Nth on fails too, bit 1: no allocator
 * hooks at all (the runtime's own allocator and object pool; no failures then), bits 2-3 (bits 2-7 modulo 4):
 * the heap kind (graph_model.h; failures only on the checked heap), bit 4: RC_HEAP_GENERATIONS; byte 3: the
 * heap's collection threshold (0: default). The rest is a graph program. The model's teardown proves
 * that no failure path leaks or corrupts: every object freed, every allocation returned.
 */
#include "fuzz_target.h"
#include "graph_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gm_config cfg = {0};
	if (size < GM_RECORD)
		return 0;
	cfg.fail_at = 1 + (size_t)(data[0] | (unsigned)data[1] << 8);
	cfg.fail_persist = data[2] & 1;
	cfg.default_allocator = (data[2] >> 1) & 1;
	cfg.heap_kind = (unsigned)(data[2] >> 2) % GM_NHEAPS;
	cfg.generations = (data[2] >> 4) & 1;
	if (cfg.default_allocator)
		cfg.fail_at = 0;
	cfg.gc_threshold = data[3];
	gm_run(data + GM_RECORD, size - GM_RECORD, &cfg);
	return 0;
}
