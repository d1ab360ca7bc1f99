/*
 * diag.h - findings, input errors and notes collected for each file, suppression comments,
 * and the text output. JSON and SARIF output live in output_json.c / output_sarif.c.
 */
#ifndef RCCHECK_DIAG_H
#define RCCHECK_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct diag_note {
	uint32_t line, col;
	char *message;
	char *file; /* incomplete notes: the file the function is in, NULL: the diag_file's */
};

struct diag_finding {
	int check;      /* index in engine_checks */
	char *message;
	char *function;
	uint32_t line, col;
	struct diag_note *notes; /* in the finding's file */
	uint32_t nnotes;
	/* The file the function is defined in when it is not the analysed file itself: a source
	 * fragment the file includes (`#include "part.c"`, a unity build); NULL otherwise. */
	char *file;
	/* One defect, many paths: the identity of the defect (diag_merge_last) and the number of
	 * paths that reached it (1 for a finding that was not merged). */
	char *key;
	uint32_t npaths;
	int severity; /* enum eng_severity: what it takes at run time for the path to happen */
	char *needs;  /* the call whose failure the path needs, or NULL */
	char *guess;  /* what guess the finding rests on (--show-guesses), or NULL */
};


/* Everything found in one input file. */
struct diag_file {
	char *path; /* as given / as printed */
	struct diag_finding *findings;
	uint32_t nfindings, cap_findings;
	char **errors; /* input errors for this file (messages without the path) */
	uint32_t nerrors, cap_errors;
	struct diag_note *incomplete; /* functions not fully explored (message names them) */
	uint32_t nincomplete, cap_incomplete;
	uint32_t nfunctions;
	uint32_t nbelow_severity; /* findings left out by --min-severity */
	uint32_t nguesses;        /* findings resting on a guess, left out (no --show-guesses) */
	/* Functions defined in the file that were not analysed at all (too large to lower: the
	 * front end's "is too large to analyse" note, diag_add_skipped_function). Each has a note
	 * naming it; they make the exit status 2. */
	uint32_t nfunctions_skipped;
	int failed; /* the file could not be (fully) parsed */
	/* The file was not analysed (its time or memory limit was reached, the run was stopped):
	 * an error names why; no finding */
	int not_analysed;
	char *dump; /* --dump-cfg output for this file, or NULL */
	size_t dump_len;
};

/* The path a finding (or an incomplete note) of file f is printed with. */
static inline const char *diag_finding_path(const struct diag_file *f, const struct diag_finding *d)
{
	return d->file ? d->file : f->path;
}
static inline const char *diag_note_path(const struct diag_file *f, const struct diag_note *n)
{
	return n->file ? n->file : f->path;
}

struct diag_run {
	struct diag_file *files;
	size_t nfiles;
	char **errors;      /* errors not tied to an analysed file: messages... */
	char **error_files; /* ...and the path each names ("" if none) */
	size_t nerrors, cap_errors;
	double seconds;
	int baseline_used;          /* --baseline was given... */
	size_t baseline_suppressed; /* ...and absorbed this many findings (removed from files) */
};

void diag_file_init(struct diag_file *f, const char *path);
void diag_file_free(struct diag_file *f);
/* Moves everything src holds (findings, notes, errors, counts) into dst, sorted; src is left
 * empty (its path freed). */
void diag_file_take(struct diag_file *dst, struct diag_file *src);
/* Adds a finding (copies every string); notes are copied too. */
struct diag_finding *diag_add(struct diag_file *f, int check, const char *function, uint32_t line, uint32_t col,
			      const char *message);
/* The finding just added (the file's last) is merged into an earlier finding of the same
 * function, file part and key (check ID, acquisition site, variable: struct eng_finding): the
 * two are one defect. The one with the shorter path (fewer notes; then the earlier line) is
 * kept, with the paths of both counted. Returns 1 when the last finding was merged away. */
int diag_merge_last(struct diag_file *f);
/* "high: no failure needed", "medium: needs 'f' to fail", "low: needs 'f' to run out of memory"
 * (buf of at least 400 bytes). */
const char *diag_severity_text(const struct diag_finding *d, char *buf, size_t len);
void diag_add_note(struct diag_finding *d, uint32_t line, uint32_t col, const char *message);
void diag_add_error(struct diag_file *f, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void diag_run_error(struct diag_run *r, const char *file, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
void diag_add_incomplete(struct diag_file *f, uint32_t line, uint32_t col, const char *message);
/* The same for a function of an included source fragment (file: its path; NULL: f's). */
void diag_add_incomplete_in(struct diag_file *f, const char *file, uint32_t line, uint32_t col, const char *message);
/* A function not analysed at all: a note naming it (message), counted in nfunctions_skipped. */
void diag_add_skipped_function(struct diag_file *f, const char *file, uint32_t line, uint32_t col,
			       const char *message);
/* Sorts findings by file (the analysed file first, then fragments by path), line, column, check. */
void diag_sort(struct diag_file *f);
/* Removes (and frees) the findings k with drop[k] != 0, keeping the others in order. */
void diag_drop_findings(struct diag_file *f, const unsigned char *drop);

/*
 * Suppression: whether `text` (the whole source file) has a comment "rccheck: ignore[IDS]" on
 * `line` or the line above it, IDS being a comma-separated list of check IDs or '*'.
 */
int diag_suppressed(const char *text, size_t len, uint32_t line, const char *id);

/* The same with a line index built once per file (diag_lines_build): a file without any
 * "rccheck: ignore" comment costs nothing per finding. */
struct diag_lines {
	const char *text;
	size_t len;
	uint32_t *start; /* start[i]: offset of line i + 1; NULL when the file has no suppression */
	uint32_t n;
};
void diag_lines_build(struct diag_lines *l, const char *text, size_t len);
void diag_lines_free(struct diag_lines *l);
int diag_lines_suppressed(const struct diag_lines *l, uint32_t line, const char *id);

/* Totals over a run (the summary line and the JSON summary). */
struct diag_totals {
	size_t findings;
	size_t failed;                 /* files that failed to parse */
	size_t not_analysed;           /* files not analysed (time or memory limit, interrupted) */
	size_t functions;              /* defined in the files: analysed or not */
	size_t functions_not_analysed; /* too large */
	size_t below_severity;         /* findings left out by --min-severity */
	size_t guesses;                /* findings resting on a guess, held back */
};
void diag_totals(const struct diag_run *r, struct diag_totals *t);
size_t diag_count_findings(const struct diag_run *r);
/* Removes the findings whose severity is below min (--min-severity: after merging, so a
 * defect counts at the severity of its easiest path) and counts them per file. */
void diag_filter_severity(struct diag_run *r, int min);
void diag_filter_severity_file(struct diag_file *f, int min);
/* Whether the run is incomplete: an input error of the run or a file, a file that failed to
 * parse or was not analysed, a function not analysed (exit status 2). */
int diag_run_incomplete(const struct diag_run *r);
/* by_id[c] = findings of engine_checks[c]; by_id has engine_ncheck elements. */
void diag_count_by_id(const struct diag_run *r, size_t *by_id);

/*
 * JSON and SARIF strings must be UTF-8. A string that is not (a file name in another encoding,
 * and the messages that quote it) is written with each byte that does not belong to a valid
 * UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) as "%XX",
 * two uppercase hex digits; every valid sequence, '%' included, is kept as it is. So a valid
 * string is written unchanged, and the only names that read alike are a name spelled with a
 * literal "%XX" and one with the byte XX there (docs/analyzer.md, "JSON output"). Baselines
 * compare these written forms (baseline.h).
 *
 * diag_utf8_escape returns NULL when s is valid UTF-8 (write s itself), else the encoded copy
 * to free. diag_utf8_text returns s or that copy in *buf (NULL when none; free it).
 */
char *diag_utf8_escape(const char *s);
static inline const char *diag_utf8_text(const char *s, char **buf)
{
	*buf = diag_utf8_escape(s);
	return *buf ? *buf : s;
}
/* A JSON string of s encoded as above (jansson; never NULL but on out of memory). */
struct json_t *output_json_string(const char *s);

/* Output formats. Each returns 0, or -1 on a write error. */
int diag_write_text(const struct diag_run *r, FILE *out, FILE *err);
/* The text of one file's findings and notes (what diag_write_text writes for it), coloured
 * when color is not 0 (escape sequences around the location, the kind and a warning's text;
 * the characters are the same). */
int diag_write_text_file(const struct diag_file *f, FILE *out, int color);
/* --color: whether to colour text written to out. auto: out is a terminal, NO_COLOR is unset
 * or empty (no-color.org) and TERM is not "dumb". */
enum diag_color { DIAG_COLOR_AUTO, DIAG_COLOR_ALWAYS, DIAG_COLOR_NEVER };
int diag_use_color(enum diag_color mode, FILE *out);
int output_json_write(const struct diag_run *r, FILE *out);
int output_sarif_write(const struct diag_run *r, FILE *out);
/* One self-contained HTML page: the findings, each with its path drawn on the source. */
int output_html_write(const struct diag_run *r, FILE *out);
/* The same as a directory (which exists): index.html, the index of the findings, and fN.html,
 * one page per finding; fN.html pages of an earlier report are removed. 0, or -1 with why in
 * err (the file named). */
int output_html_write_dir(const struct diag_run *r, const char *dir, char *err, size_t errlen);
/* Errors always go to stderr as "rccheck: error: path: message": the run's, then each file's.
 * The driver prints the run's before the analysis and each file's as the file is done. */
void diag_print_errors(const struct diag_run *r, FILE *err);
void diag_print_run_errors(const struct diag_run *r, FILE *err);
void diag_print_file_errors(const struct diag_file *f, FILE *err);

#endif
