/*
 * rccheck.h - the analyzer as a library (rccheck_core_dep): the command line, and an in-memory
 * entry point for fuzzing and tests. Thread-compatible: every call uses its own libclang index.
 */
#ifndef RCCHECK_RCCHECK_H
#define RCCHECK_RCCHECK_H

#include <stddef.h>
#include <stdio.h>

enum rccheck_format {
	RCCHECK_FORMAT_TEXT,
	RCCHECK_FORMAT_JSON,
	RCCHECK_FORMAT_SARIF,
	RCCHECK_FORMAT_HTML,
	RCCHECK_FORMAT_DUMP_CFG,
};

/* The whole program: parses argv as documented in docs/analyzer.md and returns the exit status
 * (0 no findings, 1 findings, 2 usage or input error). */
int rccheck_main(int argc, char **argv);

/*
 * Parses `len` bytes at `data` as the C file `name` (it need not exist) with the compiler
 * arguments args, runs every check with the built-in models and writes the report to out in
 * the given format. max_states bounds the work per function (0: default). Returns the number
 * of findings, or -1 when the input could not be parsed at all.
 */
int rccheck_analyze_buffer(const char *name, const char *data, size_t len, const char *const *args, int nargs,
			   enum rccheck_format format, unsigned max_states, FILE *out);

#endif
