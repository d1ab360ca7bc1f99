/*
 * record_mutator.c - libFuzzer custom mutator for the graph targets (linked only into libFuzzer
 * builds: LLVMFuzzerCustomMutator is a libFuzzer interface). It keeps programs record-aligned:
 * change one field of one record, insert / delete / duplicate / swap whole records, and half of
 * the time defer to libFuzzer's own byte-level mutator (LLVMFuzzerMutate), so that dictionary
 * entries and comparisons still steer the search.
 */
#include "fuzz_target.h"
#include "graph_model.h"

#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#ifndef FUZZ_HEADER_RECORDS
#define FUZZ_HEADER_RECORDS 0 /* graph_alloc: 1 (its header is mutated like a record) */
#endif

static uint32_t next_rand(uint32_t *s)
{
	/* xorshift32: deterministic per seed, as libFuzzer requires */
	uint32_t x = *s ? *s : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* A small value for a field: register, slot, kind, op; sometimes any byte. */
static uint8_t field_value(uint32_t *s)
{
	uint32_t r = next_rand(s);
	return (uint8_t)((r & 3) ? (r >> 8) % 16 : r >> 8);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint32_t s = seed;
	size_t nrec = size / GM_RECORD, cap = max_size / GM_RECORD;
	size_t first = FUZZ_HEADER_RECORDS < nrec ? FUZZ_HEADER_RECORDS : nrec;

	if (next_rand(&s) % 2 == 0 || cap == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	size = nrec * GM_RECORD; /* drop a trailing partial record */
	switch (next_rand(&s) % 6) {
	case 0: /* one field of one record */
	case 1:
		if (nrec) {
			size_t i = next_rand(&s) % nrec;
			data[i * GM_RECORD + next_rand(&s) % GM_RECORD] = field_value(&s);
			return size;
		}
		/* fallthrough */
	case 2: /* insert a new record */
		if (nrec < cap) {
			size_t i = first + next_rand(&s) % (nrec - first + 1);
			memmove(data + (i + 1) * GM_RECORD, data + i * GM_RECORD, (nrec - i) * GM_RECORD);
			for (size_t k = 0; k < GM_RECORD; k++)
				data[i * GM_RECORD + k] = field_value(&s);
			return size + GM_RECORD;
		}
		break;
	case 3: /* delete a record */
		if (nrec > first) {
			size_t i = first + next_rand(&s) % (nrec - first);
			memmove(data + i * GM_RECORD, data + (i + 1) * GM_RECORD, (nrec - i - 1) * GM_RECORD);
			return size - GM_RECORD;
		}
		break;
	case 4: /* duplicate a record somewhere else */
		if (nrec > first && nrec < cap) {
			uint8_t rec[GM_RECORD];
			memcpy(rec, data + (first + next_rand(&s) % (nrec - first)) * GM_RECORD, GM_RECORD);
			size_t i = first + next_rand(&s) % (nrec - first + 1);
			memmove(data + (i + 1) * GM_RECORD, data + i * GM_RECORD, (nrec - i) * GM_RECORD);
			memcpy(data + i * GM_RECORD, rec, GM_RECORD);
			return size + GM_RECORD;
		}
		break;
	default: /* swap two records */
		if (nrec > first + 1) {
			uint8_t rec[GM_RECORD];
			size_t i = first + next_rand(&s) % (nrec - first), j = first + next_rand(&s) % (nrec - first);
			memcpy(rec, data + i * GM_RECORD, GM_RECORD);
			memcpy(data + i * GM_RECORD, data + j * GM_RECORD, GM_RECORD);
			memcpy(data + j * GM_RECORD, rec, GM_RECORD);
			return size;
		}
		break;
	}
	return LLVMFuzzerMutate(data, size, max_size);
}
