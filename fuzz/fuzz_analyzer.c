/*
 * fuzz_analyzer.c - the analyzer target: the input is C source text, run in-process through
 * rccheck's whole pipeline (libclang parse, CFG, ownership analysis, checks, output) with
 * rccheck_analyze_buffer. Whatever the input, it must not crash, hang or leak; the number of
 * findings does not matter. The output format (text, JSON, SARIF) is picked from the input's
 * length so that every writer is exercised; the output goes to /dev/null.
 */
#include "fuzz_target.h"

#include <rccheck.h>

#include <stdio.h>
#include <stdlib.h>

#ifndef RCCHECK_FUZZ_RC_INCLUDE_ARG
#define RCCHECK_FUZZ_RC_INCLUDE_ARG "-I."
#endif

enum { MAX_SOURCE = 64 * 1024, MAX_STATES = 4000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	static const enum rccheck_format formats[] = {
		RCCHECK_FORMAT_TEXT,
		RCCHECK_FORMAT_JSON,
		RCCHECK_FORMAT_SARIF,
	};
	const char *const args[] = {
		"-std=c11",
		RCCHECK_FUZZ_RC_INCLUDE_ARG, /* rc/rc.h */
#ifdef RCCHECK_FUZZ_EXTRA_ARGS
		RCCHECK_FUZZ_EXTRA_ARGS, /* -I for Python.h (configure time) */
#endif
	};

	if (size > MAX_SOURCE)
		return 0;
	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink) {
			perror("fuzz_analyzer: /dev/null");
			abort();
		}
	}
	int n = rccheck_analyze_buffer("fuzz.c", (const char *)data, size, args, (int)(sizeof args / sizeof *args),
				       formats[size % 3], MAX_STATES, sink);
	if (n < -1) {
		fprintf(stderr, "fuzz_analyzer: rccheck_analyze_buffer returned %d (expected >= -1)\n", n);
		abort();
	}
	return 0;
}
