/*
 * fuzz_graph.c - the graph target: the input is a program of 4-byte operation records run
 * against the runtime and a model of the same graph (graph_model.c; format in docs/fuzzing.md).
 * Every byte string is a valid program; allocation failures come only from `failalloc` records.
 */
#include "fuzz_target.h"
#include "graph_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct gm_config cfg = {0};
	gm_run(data, size, &cfg);
	return 0;
}
