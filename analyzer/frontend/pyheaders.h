/*
 * pyheaders.h - Python's headers for files that include Python.h when nothing else says where
 * they are (docs/analyzer.md, "Python headers"): found with python3-config / sysconfig, and
 * failing that a small built-in stand-in so the analysis goes on with the names rccheck knows
 * (and says it is degraded).
 *
 * The front end parses a file as given; only when clang reports "'Python.h' file not found"
 * does it ask pyheaders_dir() for a directory and parse again with `-isystem DIR`. Discovery
 * runs once per process, the stand-in is written once per process; both are thread-safe.
 */
#ifndef RCCHECK_PYHEADERS_H
#define RCCHECK_PYHEADERS_H

#include "models/model.h"

#include <stddef.h>
#include <stdio.h>

enum pyheaders_kind {
	PYHEADERS_REAL,    /* --python-include DIR, or the discovered include directory */
	PYHEADERS_STANDIN, /* the built-in stand-in: the analysis is degraded */
};

/* Whether a clang diagnostic (its spelling) says that Python.h was not found. */
int pyheaders_is_missing(const char *diagnostic);

/*
 * The directory to add for a unit whose Python.h was not found, in this order: python_include
 * when it is a directory (not "none"); the discovered include directory (python_include NULL);
 * the stand-in written from model. *kind says which. Returns NULL with a message in err when
 * python_include names a directory without Python.h, or when the stand-in cannot be written.
 * The string lives until the process exits.
 */
const char *pyheaders_dir(const char *python_include, const struct model *model, enum pyheaders_kind *kind,
			  char *err, size_t errlen);

/* Python's include directory as found by `python3-config --includes`, else sysconfig's
 * "include" path, else the highest /usr/include/python3.N or /usr/local/include/python3.N
 * holding Python.h; NULL when none is found. Computed on the first call. */
const char *pyheaders_discover(void);

/* Writes the stand-in Python.h: fixed declarations (types, slots, flags, refcount macros in the
 * shape of CPython 3.11's) and one prototype per function of the model whose name starts with
 * "Py" or "_Py" and is not declared by the fixed part. Returns 0, or -1 on a write error. */
int pyheaders_write_python_h(const struct model *model, FILE *out);

/* Removes the stand-in directory now (also done at exit; for a process that ends with _exit,
 * the driver's when a worker had to be abandoned). Idempotent. */
void pyheaders_cleanup(void);

#endif
