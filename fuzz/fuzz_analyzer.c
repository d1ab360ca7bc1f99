/*
 * fuzz_analyzer.c - the analyzer target: the input is C source text, run in-process through
 * rccheck's whole pipeline (libclang parse, CFG, ownership analysis, checks, output) with
 * rccheck_analyze_buffer. Whatever the input, it must not crash, hang or leak; the number of
 * findings does not matter, but a function whose IR breaks an invariant (the front end's
 * "internal error: the IR of ..." error, ir/ir.h) is a bug: the target aborts on it. The output
 * format (text, JSON, SARIF) is picked from the input's length so that every writer is
 * exercised; the output is kept in memory only to look for that error, which JSON and SARIF
 * reports carry (the text format prints errors to stderr: those inputs are not judged on it).
 */
#define _GNU_SOURCE /* open_memstream, memmem */
#include "fuzz_target.h"

#include <rccheck.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RCCHECK_FUZZ_RC_INCLUDE_ARG
#define RCCHECK_FUZZ_RC_INCLUDE_ARG "-I."
#endif

enum { MAX_SOURCE = 64 * 1024, MAX_STATES = 4000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	char *report = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&report, &len);
	if (!sink) {
		perror("fuzz_analyzer: open_memstream");
		abort();
	}
	int n = rccheck_analyze_buffer("fuzz.c", (const char *)data, size, args, (int)(sizeof args / sizeof *args),
				       formats[size % 3], MAX_STATES, sink);
	fclose(sink);
	if (n < -1) {
		fprintf(stderr, "fuzz_analyzer: rccheck_analyze_buffer returned %d (expected >= -1)\n", n);
		abort();
	}
	static const char bad_ir[] = "internal error: the IR of";
	const char *at = report ? memmem(report, len, bad_ir, sizeof bad_ir - 1) : NULL;
	if (at) {
		const char *end = memchr(at, '\n', len - (size_t)(at - report));
		fprintf(stderr, "fuzz_analyzer: %.*s\n", (int)(end ? end - at : 300), at);
		abort();
	}
	free(report);
	return 0;
}
