/*
 * frontend.h - one translation unit from source to findings: parse with libclang, read the
 * ownership annotations, lower each function of the unit's sources (cfg.c), scan the
 * declarations (types' traverse/clear, method tables); then the unit driver (unit/unit.h,
 * without libclang) links, orders, resolves and runs the engine; findings get the unit's
 * suppression comments applied here.
 */
#ifndef RCCHECK_FRONTEND_H
#define RCCHECK_FRONTEND_H

#include "report/diag.h"
#include "models/model.h"
#include "unit/unit.h"

#include <stddef.h>

struct fe_options {
	const struct model *model;
	uint32_t max_states; /* engine budget per function (0: default) */
	int dump_cfg;        /* fill diag_file.dump instead of analysing */
	int all_paths;       /* a finding per (check, line, variable), not merged per defect */
	int show_guesses;    /* report findings that rest on a guess (else counted, not reported) */
	/* disabled[c] != 0: findings of engine_checks[c] are dropped as if the check had not run
	 * (--checks, the configuration file); NULL: every check reports */
	const unsigned char *disabled;
	const char *resource_dir; /* clang resource dir, or NULL */
	int timing;               /* print the time of each phase per file to stderr */
	/* Python's include directory for files that include Python.h without an include path
	 * that finds it: NULL discovers it (pyheaders.h), "none" uses only the built-in stand-in. */
	const char *python_include;
	/* Canonical paths of every input of the run, sorted (strcmp): a source fragment a file
	 * includes is analysed there only when it is not an input of its own. May be NULL. */
	const char *const *inputs;
	size_t ninputs;
};

struct fe_input {
	const char *path;   /* printed in findings and errors */
	const char *source; /* passed to clang */
	const char *const *args;
	int nargs;
	const char *buffer; /* in-memory contents of source, or NULL to read the file */
	size_t len;
};

/* A parser context (one libclang index): one per worker thread, never shared. */
struct fe_index;
struct fe_index *frontend_index_new(void);
void frontend_index_free(struct fe_index *index);

/* Writes the path of the libclang library actually loaded (clang's resource dir is found next
 * to it); -1 when it cannot be told. */
int frontend_libclang_path(char *buf, size_t len);

/*
 * The two halves of frontend_run, for a run over a whole tree (docs/analyzer.md, "Whole-tree
 * summaries"): frontend_prepare parses, lowers and scans one input and keeps what its analysis
 * needs (the IR, the declarations, the text of files with suppression comments) without the
 * libclang parse, and records parse errors in *out; NULL when the file could not be parsed at
 * all. frontend_analyse runs the unit driver on it (tree: what the other units of the tree say,
 * may be NULL) and writes its findings into out, which must be *out of frontend_prepare or a
 * copy of it (the IR names its file by that path pointer). frontend_unit_free frees it.
 */
struct fe_unit;
struct fe_unit *frontend_prepare(struct fe_index *index, const struct fe_options *opt, const struct fe_input *in,
				 struct diag_file *out);
void frontend_analyse(struct fe_unit *u, const struct unit_tree *tree, struct diag_file *out);
void frontend_unit_free(struct fe_unit *u);
/* What a prepared unit defines and declares (the driver's index of the tree reads them). */
const struct ir_func *frontend_unit_funcs(const struct fe_unit *u, uint32_t *n);
const struct unit_decls *frontend_unit_decls(const struct fe_unit *u);
/* Every file the parse read (the main file, headers, included fragments), as libclang names
 * them: what a cached result depends on (driver/cache.h). */
const char *const *frontend_unit_deps(const struct fe_unit *u, size_t *n);

/* Analyses one input into *out (initialised by the caller): frontend_prepare, then
 * frontend_analyse on its own. Returns 0, or -1 when the file could not be parsed at all (an
 * error is recorded in *out). */
int frontend_run(struct fe_index *index, const struct fe_options *opt, const struct fe_input *in,
		 struct diag_file *out);

#endif
