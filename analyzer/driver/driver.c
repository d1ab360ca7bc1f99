/*
 * driver.c - the command line (docs/analyzer.md, "Command line"): options, inputs, the worker
 * threads (one parser index each), output and exit status; and the in-memory entry point.
 */
#define _GNU_SOURCE /* realpath, strdup, ... */
#include "rccheck.h"

#include "report/baseline.h"
#include "driver/config.h"
#include "frontend/compdb.h"
#include "report/diag.h"
#include "engine/engine.h"
#include "frontend/frontend.h"
#include "frontend/pyheaders.h"
#include "unit/tree.h"
#include "driver/cache.h"
#include "models/model.h"
#include "util.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef RCCHECK_RESOURCE_DIR
#define RCCHECK_RESOURCE_DIR ""
#endif

static const char usage_text[] =
	"usage: rccheck [OPTIONS] PATH... [-- COMPILER_ARGS...]\n"
	"       rccheck -p BUILD_DIR [OPTIONS] [PATH...] [-- COMPILER_ARGS...]\n"
	"\n"
	"Finds the paths on which reference counts go wrong in C code.\n"
	"PATHs are .c files or directories (searched recursively for .c files).\n"
	"\n"
	"options:\n"
	"  -p BUILD_DIR       read BUILD_DIR/compile_commands.json (each file with its own flags;\n"
	"                     PATHs then select entries; without PATH: every entry); -p FILE reads\n"
	"                     the compilation database FILE itself, whatever its name\n"
	"  -j N               parallel jobs (default: number of cores)\n"
	"  --format=FORMAT    text (default), json, sarif, or html (the findings with their paths\n"
	"                     drawn on the source: one page, or with -o DIR a directory)\n"
	"  -o FILE            write the report to FILE (default: standard output)\n"
	"  -o DIR             with --format=html: write DIR/index.html, a sortable index of the\n"
	"                     findings, and DIR/fN.html, one page per finding (DIR is created)\n"
	"  --color=WHEN       colour the text report: auto (default: when it goes to a terminal\n"
	"                     and NO_COLOR is not set), always or never\n"
	"  --model FILE       load a model file (our format, or CPython's refcounts.dat), or a\n"
	"                     built-in one by name: glib, jansson, kref, libdbus; repeatable\n"
	"  --dump-cfg         print each function's control-flow graph instead of findings\n"
	"  --min-severity LEVEL  report only findings whose path takes at least this to happen:\n"
	"                     low (out of memory, a failed import: all, the default), medium (an\n"
	"                     ordinary error such as a failed lookup), high (no failure at all)\n"
	"  --show-guesses     also report findings that rest on a guess (a reference handed to a\n"
	"                     function rccheck knows nothing about, then lost); by default they are\n"
	"                     counted in the summary line, not reported\n"
	"  --all-paths        one finding per path's location, not one per defect (a defect is a\n"
	"                     check, an acquisition and its variable; by default the shortest of\n"
	"                     its paths is shown with their number)\n"
	"  --max-states N     exploration budget per function (default 20000)\n"
	"  --file-timeout S   report a file taking more than S seconds as not analysed and go on\n"
	"                     (default 300; 0: no limit)\n"
	"  --file-memory MB   report a file whose parse, IR and analysis need more than MB\n"
	"                     megabytes as not analysed and go on (default 1024; 0: no limit)\n"
	"  --baseline FILE    report only findings not in FILE, an earlier report written with\n"
	"                     --format=json (or sarif): line numbers are not compared\n"
	"  --cache DIR        keep each file's results in DIR and use them in later runs while the\n"
	"                     files it reads, and the summaries it takes from other files, are\n"
	"                     unchanged (a re-run after a change parses what it can affect)\n"
	"  -q, --quiet        no progress line and no summary line on stderr\n";
/* in two parts: C11 promises string literals of 4095 characters, no more */
static const char usage_text2[] =
	"  --python-include DIR  Python's headers, for files that include Python.h and have no\n"
	"                     include path for it (default: found with python3-config; 'none':\n"
	"                     only rccheck's built-in declarations, analysis degraded)\n"
	"  --checks=LIST      checks to run: comma-separated IDs or globs, '-' disables, in order\n"
	"                     (--checks=-*,rc-leak: only rc-leak; default: all)\n"
	"  --config-file FILE read the configuration from FILE (default: the first .rccheck in the\n"
	"                     working directory or a parent, and for each file's checks and\n"
	"                     compile-args the nearest .rccheck above it: checks, model,\n"
	"                     baseline, compile-args, min-severity, inherit-parent-config; the\n"
	"                     command line wins)\n"
	"  --no-config        read no configuration file\n"
	"  --list-checks      print the check IDs and what they find\n"
	"  --version          print the version\n"
	"  --help             print this help\n"
	"\n"
	"Suppress one finding with a comment on its line or the line above:\n"
	"  /* rccheck: ignore[rc-leak] */   (comma-separated IDs, or *)\n"
	"\n"
	"On a terminal, stderr shows progress; every run ends with a summary line on stderr.\n"
	"\n"
	"exit status: 0 no findings (none new with --baseline), 1 findings, 2 usage or input error, or\n"
	"something not analysed (each named on stderr; every other file is still reported)\n";

/* Seconds a file may take (parse, lowering, analysis) before it is reported as not analysed:
 * far above what a real file takes (the largest of 21 real trees: under 10 s, ASan included),
 * well below a CI job's limit. */
#define FILE_TIMEOUT_DEFAULT 300

/* Megabytes a file may hold (libclang's parse, its IR, the analysis of a function: util.h's
 * meter) before it is reported as not analysed. The largest file measured needs about a tenth of
 * it (docs/analyzer.md, "Memory limit"); -j 4 files at the limit at once stay within a CI
 * runner's 7 GB. */
#define FILE_MEMORY_DEFAULT 1024
#define FILE_MEMORY_MAX 16777216u /* 16 TB: more is a typo */

struct options {
	const char *build_dir;
	int jobs;
	enum rccheck_format format;
	const char *output;
	const char **models;
	int nmodels;
	int dump_cfg;
	int all_paths;
	int min_severity;
	int show_guesses;
	unsigned max_states;
	double file_timeout; /* seconds, 0: none */
	unsigned file_memory; /* megabytes, 0: none */
	const char *python_include;
	const char *baseline;
	const char *cache_dir;
	int quiet;
	const char **paths;
	int npaths;
	const char **cc_args;
	int ncc_args;
	/* --checks, the configuration file and what they give (configure()) */
	const char *checks;
	const char *config_file;
	int no_config;
	int min_severity_given;
	enum diag_color color;
	struct config cfg;
	unsigned char *disabled;   /* disabled[c]: findings of engine_checks[c] are not reported */
	struct config_files *files; /* the .rccheck files of the inputs (config_per_file) */
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("rccheck: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(try 'rccheck --help')\n", stderr);
	return 2;
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > 1000000000ul || s[0] == '-')
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Value of an option given as "-xVALUE", "--opt=VALUE" or "-x VALUE"; NULL when missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (!strncmp(a, name, n) && a[n] == '=')
		return a + n + 1;
	if (!strncmp(a, name, n) && a[n] != '\0' && name[1] != '-')
		return a + n;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(a, name, n) && (a[n] == '\0' || a[n] == '=' || (name[1] != '-' && a[n] != '\0'));
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = nc > 0 ? (int)nc : 1;
	o->file_timeout = FILE_TIMEOUT_DEFAULT;
	o->file_memory = FILE_MEMORY_DEFAULT;
	o->models = calloc((size_t)argc + 1, sizeof *o->models);
	o->paths = calloc((size_t)argc + 1, sizeof *o->paths);
	if (!o->models || !o->paths)
		abort();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			o->cc_args = (const char **)argv + i + 1;
			o->ncc_args = argc - i - 1;
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			fputs(usage_text2, stdout);
			return 0;
		}
		if (!strcmp(a, "--version")) {
			printf("rccheck %s\n", RCCHECK_VERSION);
			return 0;
		}
		if (!strcmp(a, "--list-checks")) {
			for (size_t c = 0; c < engine_ncheck; c++)
				printf("%-22s %s\n", engine_checks[c]->id, engine_checks[c]->description);
			return 0;
		}
		if (!strcmp(a, "--dump-cfg")) {
			o->dump_cfg = 1;
			continue;
		}
		if (is_opt(a, "--min-severity")) {
			const char *v = opt_value(argc, argv, &i, "--min-severity");
			if (!v)
				return usage_error("%s needs low, medium or high", "--min-severity");
			if ((o->min_severity = config_severity(v)) < 0)
				return usage_error("--min-severity: '%s' is not low, medium or high", v);
			o->min_severity_given = 1;
			continue;
		}
		if (!strcmp(a, "--show-guesses")) {
			o->show_guesses = 1;
			continue;
		}
		if (!strcmp(a, "--all-paths")) {
			o->all_paths = 1;
			continue;
		}
		if (!strcmp(a, "--no-config")) {
			o->no_config = 1;
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = 1;
			continue;
		}
		const char *v;
		if (is_opt(a, "-p")) {
			if (!(v = opt_value(argc, argv, &i, "-p")) || !*v)
				return usage_error("%s needs a build directory", "-p");
			o->build_dir = v;
		} else if (is_opt(a, "-j")) {
			unsigned j;
			if (!(v = opt_value(argc, argv, &i, "-j")) || parse_uint(v, &j) < 0 || j == 0 || j > 1024)
				return usage_error("-j needs a number of jobs between 1 and 1024, not '%s'", v ? v : "");
			o->jobs = (int)j;
		} else if (is_opt(a, "--format")) {
			if (!(v = opt_value(argc, argv, &i, "--format")))
				return usage_error("%s needs text, json, sarif or html", "--format");
			if (!strcmp(v, "text"))
				o->format = RCCHECK_FORMAT_TEXT;
			else if (!strcmp(v, "json"))
				o->format = RCCHECK_FORMAT_JSON;
			else if (!strcmp(v, "sarif"))
				o->format = RCCHECK_FORMAT_SARIF;
			else if (!strcmp(v, "html"))
				o->format = RCCHECK_FORMAT_HTML;
			else
				return usage_error("unknown format '%s' (text, json, sarif or html)", v);
		} else if (is_opt(a, "-o")) {
			if (!(v = opt_value(argc, argv, &i, "-o")) || !*v)
				return usage_error("%s needs a file name", "-o");
			o->output = v;
		} else if (is_opt(a, "--model")) {
			if (!(v = opt_value(argc, argv, &i, "--model")) || !*v)
				return usage_error("%s needs a file", "--model");
			o->models[o->nmodels++] = v;
		} else if (is_opt(a, "--max-states")) {
			if (!(v = opt_value(argc, argv, &i, "--max-states")) || parse_uint(v, &o->max_states) < 0 ||
			    o->max_states == 0)
				return usage_error("--max-states needs a positive number, not '%s'", v ? v : "");
		} else if (is_opt(a, "--file-timeout")) {
			unsigned t;
			if (!(v = opt_value(argc, argv, &i, "--file-timeout")) || parse_uint(v, &t) < 0)
				return usage_error("--file-timeout needs a number of seconds (0: no limit), not '%s'",
						   v ? v : "");
			o->file_timeout = t;
		} else if (is_opt(a, "--file-memory")) {
			unsigned mb;
			if (!(v = opt_value(argc, argv, &i, "--file-memory")) || parse_uint(v, &mb) < 0 ||
			    mb > FILE_MEMORY_MAX)
				return usage_error("--file-memory needs a number of megabytes up to 16777216 (0: no "
						   "limit), not '%s'", v ? v : "");
			o->file_memory = mb;
		} else if (is_opt(a, "--python-include")) {
			if (!(v = opt_value(argc, argv, &i, "--python-include")) || !*v)
				return usage_error("%s needs a directory (or 'none')", "--python-include");
			o->python_include = v;
		} else if (is_opt(a, "--cache")) {
			if (!(v = opt_value(argc, argv, &i, "--cache")) || !*v)
				return usage_error("%s needs a directory", "--cache");
			o->cache_dir = v;
		} else if (is_opt(a, "--baseline")) {
			if (!(v = opt_value(argc, argv, &i, "--baseline")) || !*v)
				return usage_error("%s needs a file (a report written with --format=json)", "--baseline");
			if (o->baseline)
				return usage_error("%s can be given once", "--baseline");
			o->baseline = v;
		} else if (is_opt(a, "--checks")) {
			if (!(v = opt_value(argc, argv, &i, "--checks")) || !*v)
				return usage_error("%s needs a list of checks (--checks=-*,rc-leak)", "--checks");
			if (o->checks)
				return usage_error("%s can be given once", "--checks");
			o->checks = v;
		} else if (is_opt(a, "--color") || is_opt(a, "--colour")) {
			if (!(v = opt_value(argc, argv, &i, a[6] == 'u' ? "--colour" : "--color")))
				return usage_error("%s needs auto, always or never", "--color");
			if (!strcmp(v, "auto"))
				o->color = DIAG_COLOR_AUTO;
			else if (!strcmp(v, "always"))
				o->color = DIAG_COLOR_ALWAYS;
			else if (!strcmp(v, "never"))
				o->color = DIAG_COLOR_NEVER;
			else
				return usage_error("--color: '%s' is not auto, always or never", v);
		} else if (is_opt(a, "--config-file")) {
			if (!(v = opt_value(argc, argv, &i, "--config-file")) || !*v)
				return usage_error("%s needs a file", "--config-file");
			o->config_file = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else {
			o->paths[o->npaths++] = a;
		}
	}
	if (o->npaths == 0 && !o->build_dir)
		return usage_error("%s", "no input: give .c files or directories, or -p BUILD_DIR");
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Configuration: .rccheck and --checks (config.h)                                            */
/* ------------------------------------------------------------------------------------------ */

/* Reads the configuration file and merges it under the command line (precedence: config.h).
 * Returns -1 to continue, or 2 after printing the error. */
static int configure(struct options *o)
{
	char err[1024];
	if (config_load(&o->cfg, o->config_file, o->no_config, err, sizeof err) < 0) {
		fprintf(stderr, "rccheck: error: %s\n", err);
		return 2;
	}
	const struct config *c = &o->cfg;
	o->disabled = util_xcalloc(engine_ncheck, 1);
	if (c->checks && config_apply_checks(c->checks, o->disabled, err, sizeof err) < 0) {
		fprintf(stderr, "rccheck: error: %s:%u: checks: %s\n", c->path, c->checks_line, err);
		return 2;
	}
	if (o->checks && config_apply_checks(o->checks, o->disabled, err, sizeof err) < 0)
		return usage_error("--checks: %s", err);
	size_t on = 0;
	for (size_t k = 0; k < engine_ncheck; k++)
		on += !o->disabled[k];
	if (!on && !o->dump_cfg) {
		fprintf(stderr, "rccheck: error: no check enabled (--checks%s%s)\n", c->path ? ", " : "",
			c->path ? c->path : "");
		return 2;
	}
	if (c->nmodels) { /* the file's models first: a --model loaded later refines them */
		o->models = util_xrealloc(o->models, (size_t)(o->nmodels + c->nmodels + 1) * sizeof *o->models);
		memmove(o->models + c->nmodels, o->models, (size_t)o->nmodels * sizeof *o->models);
		for (int k = 0; k < c->nmodels; k++)
			o->models[k] = c->models[k];
		o->nmodels += c->nmodels;
	}
	if (!o->baseline)
		o->baseline = c->baseline;
	if (!o->min_severity_given && c->min_severity >= 0)
		o->min_severity = c->min_severity;
	return -1; /* compile-args are given to each input by config_per_file */
}

static void options_free(struct options *o)
{
	free(o->models);
	free(o->paths);
	free(o->disabled);
	config_files_free(o->files);
	config_free(&o->cfg);
}

/* ------------------------------------------------------------------------------------------ */
/* Progress and summary                                                                        */
/* ------------------------------------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The progress line "rccheck: [DONE/TOTAL] N findings", rewritten in place with '\r' on stderr
 * by whichever worker finishes a file. The lock serialises the counters and the writes; nothing
 * else writes to stderr while workers run (RCCHECK_TIMING, which does, turns progress off), and
 * progress_clear() erases the line before anything else is printed. The numbers only grow, so
 * a new line always covers the previous one.
 */
#define PROGRESS_INTERVAL 0.1 /* seconds between two lines: at most ~10 updates a second */

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

struct progress {
	int on;
	pthread_mutex_t lock;
	size_t done, total, findings;
	double last; /* when the last line was written */
	int shown;   /* a line is on the terminal */
};

/* Whether to show progress: forced by RCCHECK_PROGRESS=1 (or off with 0; a testing aid),
 * else when stderr is a terminal. */
static int progress_wanted(void)
{
	const char *env = getenv("RCCHECK_PROGRESS");
	if (env && *env)
		return strcmp(env, "0") != 0;
	return isatty(STDERR_FILENO);
}

static void progress_step(struct progress *p, size_t findings)
{
	pthread_mutex_lock(&p->lock);
	p->done++;
	p->findings += findings;
	double t = now();
	if (p->done == p->total || t - p->last >= PROGRESS_INTERVAL) {
		fprintf(stderr, "\rrccheck: [%zu/%zu] %zu finding%s", p->done, p->total, p->findings,
			plural(p->findings));
		fflush(stderr);
		p->last = t;
		p->shown = 1;
	}
	pthread_mutex_unlock(&p->lock);
}

/* Erases the progress line (the workers have finished). */
static void progress_clear(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = 0;
	}
}

/* Appends to the string buf of capacity cap whose length is *len (truncating at cap). */
static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	if (*len + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* One line (scripts parse it): "rccheck: 12 files (1 failed to parse, 1 not analysed),
 * 340 functions (1 not analysed), 7 findings (rc-leak 4, rc-unchecked-null 3), 5 in baseline
 * not shown, 2 input errors, 2.41 s"; the parts in parentheses and the counts of baseline and
 * input errors only when they are not zero. */
static void print_summary(const struct diag_run *run, FILE *err)
{
	char line[4096];
	size_t len = 0;
	struct diag_totals t;
	diag_totals(run, &t);
	size_t nfailed = t.failed, nfind = t.findings, nfn = t.functions;
	size_t *by_id = util_xcalloc(engine_ncheck ? engine_ncheck : 1, sizeof *by_id);
	diag_count_by_id(run, by_id);
	size_t nskipped = t.not_analysed, nfn_skipped = t.functions_not_analysed;
	appendf(line, sizeof line, &len, "rccheck: %zu file%s", run->nfiles, plural(run->nfiles));
	if (nfailed && nskipped)
		appendf(line, sizeof line, &len, " (%zu failed to parse, %zu not analysed)", nfailed, nskipped);
	else if (nfailed)
		appendf(line, sizeof line, &len, " (%zu failed to parse)", nfailed);
	else if (nskipped)
		appendf(line, sizeof line, &len, " (%zu not analysed)", nskipped);
	appendf(line, sizeof line, &len, ", %zu function%s", nfn, plural(nfn));
	if (nfn_skipped)
		appendf(line, sizeof line, &len, " (%zu not analysed)", nfn_skipped);
	appendf(line, sizeof line, &len, ", %zu finding%s", nfind, plural(nfind));
	const char *sep = " (";
	for (size_t c = 0; c < engine_ncheck; c++) {
		if (by_id[c]) {
			appendf(line, sizeof line, &len, "%s%s %zu", sep, engine_checks[c]->id, by_id[c]);
			sep = ", ";
		}
	}
	if (nfind)
		appendf(line, sizeof line, &len, ")");
	if (run->baseline_used)
		appendf(line, sizeof line, &len, ", %zu in baseline not shown", run->baseline_suppressed);
	size_t below = t.below_severity, guesses = t.guesses;
	if (below)
		appendf(line, sizeof line, &len, ", %zu below --min-severity not shown", below);
	if (guesses)
		appendf(line, sizeof line, &len, ", %zu resting on guesses not shown (--show-guesses)", guesses);
	if (run->nerrors)
		appendf(line, sizeof line, &len, ", %zu input error%s", run->nerrors, plural(run->nerrors));
	appendf(line, sizeof line, &len, ", %.2f s", run->seconds);
	fprintf(err, "%s\n", line);
	free(by_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Workers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/*
 * The workers and the main thread (docs/analyzer.md, "Time limit and output as files finish").
 *
 * Workers take the next input (an atomic counter), analyse it into a diag_file of their own and
 * hand it over under w->lock. The main thread does not analyse: it waits on w->changed and
 *   - writes each file's report (text, --dump-cfg) and errors (stderr) as soon as that file and
 *     every file before it are done, in input order, so the output does not depend on -j and a
 *     run killed from outside has printed every file it finished;
 *   - gives up on a file whose analysis has run longer than --file-timeout: the slot is marked
 *     not analysed, the worker's thread is detached and left to finish (or not: a parse blocked
 *     on a FIFO it includes never returns; libclang cannot be interrupted), its result will be
 *     thrown away, and a new worker takes its place so that -j stays what was asked;
 *   - on SIGINT or SIGTERM, stops handing out files, marks the ones not finished as not
 *     analysed, and lets the report be written before the signal is raised again.
 * A process with an abandoned worker ends with _exit once everything is written: the thread may
 * be inside libclang, whose static destructors exit() would run under it.
 *
 * Slot states (w->state[i], under w->lock): WAITING until a worker takes it, RUNNING (runner[i],
 * started[i] set) until the worker hands over (DONE) or the main thread gives up (ABANDONED,
 * files[i] then holds the error); FLUSHED once the main thread wrote it.
 */
enum { SLOT_WAITING, SLOT_RUNNING, SLOT_DONE, SLOT_ABANDONED };

struct thread_entry {
	pthread_t id;
	int detached; /* abandoned: never joined */
};

struct work {
	/* 1: every input is parsed and lowered (frontend_prepare) into units[i]; 2: the units are
	 * analysed (frontend_analyse) in the tree's callee-first order, each once the units it
	 * imports from are done (docs/analyzer.md, "Whole-tree summaries") */
	int stage;
	struct fe_unit **units;
	struct tree *tree;
	struct cache *cache;            /* --cache, or NULL */
	struct cache_entry **entries;   /* by input: a cached result not yet taken, or NULL */
	struct fe_options **fe_inputs;  /* by input: its own options (a .rccheck of its own), or NULL */
	size_t nitems;       /* what workers take: inputs (stage 1) or groups (stage 2) */
	const struct input_list *inputs;
	struct diag_run *run;
	const struct fe_options *fe;
	atomic_size_t next;
	struct progress *progress;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned char *state;
	double *started;
	pthread_t *runner;
	size_t live;      /* workers not abandoned that have not ended */
	size_t abandoned; /* files given up */
	struct thread_entry *threads;
	size_t nthreads, cap_threads;
	/* --file-memory: each slot's meter (util.h), bound to the worker that runs the slot, and
	 * the ceiling on the whole process's resident memory (bytes, 0: none) past which the run is
	 * stopped (mem_stopped, under w->lock: see supervise) */
	struct util_meter *meters;
	size_t ceiling;
	int mem_stopped;
};

/* Stage 1: parses and lowers input i into f (initialised) with the worker's parser index;
 * the unit, or NULL when the file could not be parsed. */
static struct fe_unit *prepare_input(struct fe_index *index, const struct work *w, size_t i, struct diag_file *f)
{
	const struct input *in = &w->inputs->v[i];
	struct stat st;
	if (stat(in->source, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a database entry (PATH arguments are checked when listed): never opened, a FIFO
		 * would block the worker until someone writes to it */
		diag_add_error(f, "is %s, not a regular file: not analysed", util_file_kind(st.st_mode));
		f->failed = 1;
		return NULL;
	}
	struct fe_input fi;
	memset(&fi, 0, sizeof fi);
	fi.path = in->display;
	fi.source = in->source;
	fi.args = (const char *const *)in->args;
	fi.nargs = in->nargs;
	/* the file's own .rccheck may choose other checks: its options live as long as its unit */
	const struct fe_options *fe = w->fe;
	if (in->disabled) {
		if (!w->fe_inputs[i]) {
			w->fe_inputs[i] = util_xcalloc(1, sizeof *w->fe_inputs[i]);
			*w->fe_inputs[i] = *w->fe;
			w->fe_inputs[i]->disabled = in->disabled;
		}
		fe = w->fe_inputs[i];
	}
	struct util_meter *old = util_meter_bind(w->meters ? &w->meters[i] : NULL);
	struct fe_unit *u = frontend_prepare(index, fe, &fi, f);
	util_meter_bind(old);
	return u;
}


/* Stage 1: prepares slot i (WAITING). Returns 1 when the main thread gave up on it meanwhile. */
static int prepare_slot(struct work *w, struct fe_index *index, size_t i)
{
	pthread_mutex_lock(&w->lock);
	if (w->state[i] != SLOT_WAITING) { /* interrupted: the main thread took it */
		pthread_mutex_unlock(&w->lock);
		return 0;
	}
	w->state[i] = SLOT_RUNNING;
	w->started[i] = now();
	w->runner[i] = pthread_self();
	pthread_mutex_unlock(&w->lock);

	struct diag_file f;
	diag_file_init(&f, w->inputs->v[i].display);
	struct fe_unit *unit = prepare_input(index, w, i, &f);
	pthread_mutex_lock(&w->lock);
	int abandoned = w->state[i] == SLOT_ABANDONED;
	if (!abandoned) {
		diag_file_free(&w->run->files[i]);
		w->run->files[i] = f;
		w->units[i] = unit;
		w->state[i] = SLOT_DONE;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	if (abandoned) {
		diag_file_free(&f);
		frontend_unit_free(unit);
	}
	return abandoned;
}

/* Stage 2: whether the units group g imports from are finished (under w->lock). */
static int group_deps_done(const struct work *w, size_t g)
{
	size_t n;
	const size_t *d = tree_group_deps(w->tree, g, &n);
	for (size_t k = 0; k < n; k++)
		if (w->state[d[k]] != SLOT_DONE && w->state[d[k]] != SLOT_ABANDONED)
			return 0;
	return 1;
}

/* Stage 2: the cached results of the n slots of a group stand when the questions each cached
 * analysis asked get the same answers now (the members' own exports set first: they import from
 * each other). Then each slot takes its cached findings. Returns 1 when they stand. */
static int cached_group_stands(struct work *w, const size_t *slots, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!w->entries[slots[k]])
			return 0;
	for (size_t k = 0; k < n; k++)
		cache_entry_set_exports(w->entries[slots[k]], w->tree, slots[k]);
	for (size_t k = 0; k < n; k++) {
		size_t na;
		const struct eng_summary *asked = cache_entry_asked(w->entries[slots[k]], &na);
		if (!tree_answers_same(w->tree, slots[k], asked, na))
			return 0;
	}
	return 1;
}

/* Stage 2: slot i had a cached result that no longer stands: parsed now (as in stage 1, into a
 * fresh record of the file). 0, or -1 when it cannot be parsed any more. */
static int reparse(struct work *w, struct fe_index **index, size_t i)
{
	if (!*index)
		*index = frontend_index_new();
	cache_entry_free(w->entries[i]);
	w->entries[i] = NULL;
	struct diag_file f;
	diag_file_init(&f, w->inputs->v[i].display);
	struct fe_unit *unit = prepare_input(*index, w, i, &f);
	pthread_mutex_lock(&w->lock);
	if (w->state[i] == SLOT_ABANDONED) {
		pthread_mutex_unlock(&w->lock);
		diag_file_free(&f);
		frontend_unit_free(unit);
		return -1;
	}
	diag_file_free(&w->run->files[i]);
	w->run->files[i] = f;
	w->units[i] = unit;
	pthread_mutex_unlock(&w->lock);
	return unit ? 0 : -1;
}

/* Stage 2: analyses slot i's unit into f (initialised), its exports ready for the next. */
static void analyse_unit(struct work *w, size_t i, struct diag_file *f)
{
	tree_unit_begin(w->tree, i);
	struct util_meter *old = util_meter_bind(w->meters ? &w->meters[i] : NULL);
	frontend_analyse(w->units[i], tree_unit_hooks(w->tree, i), f);
	util_meter_bind(old);
	tree_unit_done(w->tree, i);
}

/* Stage 2: analyses the units of group g (tree.h): once for their summaries when they call each
 * other, then for their findings, each written into its slot as it is done; or takes their
 * cached results when they stand. Returns 1 when the main thread gave up on one of them
 * meanwhile. */
static int analyse_group(struct work *w, struct fe_index **index, size_t g)
{
	size_t n;
	const size_t *members = tree_group(w->tree, g, &n);
	size_t *slots = util_xcalloc(n ? n : 1, sizeof *slots), ns = 0;
	pthread_mutex_lock(&w->lock);
	/* the groups it imports from come first in the order: the first group not finished never
	 * waits, so waiting here cannot deadlock */
	for (;;) {
		int waiting = 0;
		for (size_t k = 0; k < n; k++)
			waiting |= w->state[members[k]] == SLOT_WAITING;
		if (!waiting || group_deps_done(w, g))
			break;
		pthread_cond_wait(&w->changed, &w->lock);
	}
	double t = now();
	for (size_t k = 0; k < n; k++) {
		size_t i = members[k];
		if (w->state[i] != SLOT_WAITING)
			continue; /* not parsed, or interrupted */
		w->state[i] = SLOT_RUNNING;
		w->started[i] = t;
		w->runner[i] = pthread_self();
		slots[ns++] = i;
	}
	pthread_mutex_unlock(&w->lock);

	int abandoned = 0;
	if (ns && w->cache && cached_group_stands(w, slots, ns)) {
		for (size_t k = 0; k < ns; k++) {
			size_t i = slots[k];
			cache_note_used(w->cache);
			size_t nfound = 0;
			pthread_mutex_lock(&w->lock);
			if (w->state[i] != SLOT_ABANDONED) {
				cache_entry_take_file(w->entries[i], &w->run->files[i]);
				nfound = w->run->files[i].nfindings; /* before the main thread may write it */
				w->state[i] = SLOT_DONE;
				pthread_cond_broadcast(&w->changed);
			}
			pthread_mutex_unlock(&w->lock);
			if (w->progress->on)
				progress_step(w->progress, nfound);
		}
		free(slots);
		return 0;
	}
	/* what was cached in the group no longer stands: parsed again, and all analysed */
	size_t nparsed = 0;
	for (size_t k = 0; k < ns; k++) {
		size_t i = slots[k];
		if (w->units[i] || reparse(w, index, i) == 0) {
			slots[nparsed++] = i;
			continue;
		}
		pthread_mutex_lock(&w->lock);
		abandoned |= w->state[i] == SLOT_ABANDONED;
		if (!abandoned) {
			w->state[i] = SLOT_DONE; /* its parse failed now: written with its errors */
			pthread_cond_broadcast(&w->changed);
		}
		pthread_mutex_unlock(&w->lock);
	}
	ns = abandoned ? 0 : nparsed;

	for (size_t k = 0; ns > 1 && k < ns; k++) {
		struct diag_file scratch;
		diag_file_init(&scratch, w->inputs->v[slots[k]].display);
		analyse_unit(w, slots[k], &scratch);
		diag_file_free(&scratch);
	}
	for (size_t k = 0; k < ns && !abandoned; k++) {
		size_t i = slots[k];
		struct diag_file f;
		diag_file_init(&f, w->inputs->v[i].display);
		analyse_unit(w, i, &f);
		size_t nfound = f.nfindings;
		pthread_mutex_lock(&w->lock);
		abandoned = w->state[i] == SLOT_ABANDONED;
		if (!abandoned)
			/* the parse errors and counts of stage 1 stay */
			diag_file_take(&w->run->files[i], &f);
		pthread_mutex_unlock(&w->lock);
		/* a file over its memory limit is not a result: a later run (another limit) parses it */
		if (!abandoned && w->cache && !w->run->files[i].not_analysed) {
			const struct input *in = &w->inputs->v[i];
			size_t nd;
			const char *const *deps = frontend_unit_deps(w->units[i], &nd);
			cache_store(w->cache, in->source, (const char *const *)in->args, in->nargs,
				    in->disabled ? in->disabled : w->fe->disabled, deps, nd, w->tree, i, &w->run->files[i]);
		}
		pthread_mutex_lock(&w->lock);
		abandoned = w->state[i] == SLOT_ABANDONED;
		if (!abandoned) {
			w->state[i] = SLOT_DONE;
			pthread_cond_broadcast(&w->changed);
		}
		pthread_mutex_unlock(&w->lock);
		if (abandoned) {
			diag_file_free(&f); /* the units are left as they are (the main thread may _exit) */
		} else if (w->progress->on) {
			progress_step(w->progress, nfound);
		}
	}
	/* the units of the group are not needed any more (other groups read only their exports) */
	for (size_t k = 0; k < ns && !abandoned; k++) {
		frontend_unit_free(w->units[slots[k]]);
		w->units[slots[k]] = NULL;
	}
	free(slots);
	return abandoned;
}

static void *worker(void *arg)
{
	struct work *w = arg;
	struct fe_index *index = w->stage == 1 ? frontend_index_new() : NULL; /* stage 2: when needed */
	size_t items = w->nitems;
	int abandoned = 0;
	while (!abandoned) {
		size_t k = atomic_fetch_add(&w->next, 1);
		if (k >= items)
			break;
		abandoned = w->stage == 1 ? prepare_slot(w, index, k) : analyse_group(w, &index, k);
	}
	if (index)
		frontend_index_free(index);
	if (!abandoned) { /* an abandoned worker was already counted out */
		pthread_mutex_lock(&w->lock);
		w->live--;
		pthread_cond_broadcast(&w->changed);
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}
/* The resident memory of the process in bytes (/proc/self/statm), or 0 when it cannot be read. */
static size_t process_rss(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return 0;
	unsigned long size = 0, resident = 0;
	int n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	long page = sysconf(_SC_PAGESIZE);
	return n == 2 && page > 0 ? (size_t)resident * (size_t)page : 0;
}

/* Signals that stop a run early (the main thread polls it: see struct work). */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* Starts one more worker; 0, or -1 when no thread could be created. Called with w->lock held
 * by the main thread only (it alone touches w->threads). The new thread never takes the stop
 * signals: they go to the main thread, which polls for them. */
static int spawn_worker(struct work *w)
{
	if (w->nthreads == w->cap_threads) {
		w->cap_threads = w->cap_threads ? w->cap_threads * 2 : 8;
		w->threads = util_xrealloc(w->threads, w->cap_threads * sizeof *w->threads);
	}
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int r = pthread_create(&w->threads[w->nthreads].id, NULL, worker, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0)
		return -1;
	w->threads[w->nthreads++].detached = 0;
	w->live++;
	return 0;
}

/* Gives up on slot i (RUNNING or WAITING) with the error why; under w->lock. A running worker is
 * detached and replaced when files remain (replace). */
static void abandon(struct work *w, size_t i, const char *why, int replace)
{
	struct diag_file *f = &w->run->files[i];
	diag_add_error(f, "%s", why);
	f->not_analysed = 1;
	if (w->state[i] == SLOT_RUNNING) {
		/* a worker analysing a group runs several slots: it is detached and counted out once */
		int found = 0;
		for (size_t t = 0; t < w->nthreads && !found; t++) {
			if (!w->threads[t].detached && pthread_equal(w->threads[t].id, w->runner[i])) {
				pthread_detach(w->threads[t].id);
				w->threads[t].detached = 1;
				found = 1;
			}
		}
		w->abandoned++;
		if (found) {
			w->live--;
			if (replace && atomic_load(&w->next) < w->nitems)
				spawn_worker(w);
		}
	}
	w->state[i] = SLOT_ABANDONED;
	pthread_cond_broadcast(&w->changed); /* a worker may wait for it (stage 2) */
}

/* What the main thread writes as files finish. */
struct flusher {
	FILE *out;   /* the report, or NULL when it is written at the end (JSON, SARIF) */
	int dump;    /* --dump-cfg: out gets the dumps */
	struct baseline *baseline;
	int min_severity; /* --min-severity: findings below it are left out (after merging) */
	int color;        /* colour the text report (--color) */
	struct diag_run *run;
	struct progress *progress;
	int write_failed;
};

static void flush_file(struct flusher *fl, struct diag_file *f)
{
	if (fl->min_severity > ENG_SEV_LOW)
		diag_filter_severity_file(f, fl->min_severity);
	if (fl->baseline)
		fl->run->baseline_suppressed += baseline_apply_file(fl->baseline, f);
	pthread_mutex_lock(&fl->progress->lock);
	progress_clear(fl->progress);
	if (fl->out && fl->dump) {
		if (f->dump)
			fwrite(f->dump, 1, f->dump_len, fl->out);
		fflush(fl->out);
		fl->write_failed |= ferror(fl->out) != 0;
	} else if (fl->out) {
		fl->write_failed |= diag_write_text_file(f, fl->out, fl->color) < 0;
	}
	diag_print_file_errors(f, stderr);
	fflush(stderr);
	pthread_mutex_unlock(&fl->progress->lock);
}

/*
 * Runs the current stage over every input with jobs workers and returns when each file is done
 * or given up, and written (fl, NULL: not written) in input order. timeout: seconds per file
 * and stage, 0 for none.
 */
static void supervise(struct work *w, size_t jobs, double timeout, struct flusher *fl)
{
	size_t n = w->inputs->n, flushed = 0;
	pthread_mutex_lock(&w->lock);
	for (size_t k = 0; k < jobs && k < n; k++)
		if (spawn_worker(w) < 0)
			break;
	for (;;) {
		size_t upto = flushed;
		while (upto < n && (w->state[upto] == SLOT_DONE || w->state[upto] == SLOT_ABANDONED))
			upto++;
		if (upto > flushed) {
			pthread_mutex_unlock(&w->lock);
			for (size_t k = flushed; fl && k < upto; k++)
				flush_file(fl, &w->run->files[k]);
			pthread_mutex_lock(&w->lock);
			flushed = upto;
			continue;
		}
		if (flushed == n && w->live == 0)
			break;
		if (!w->mem_stopped && w->ceiling && process_rss() > w->ceiling)
			w->mem_stopped = 1;
		if (w->mem_stopped) {
			/* what the meters cannot see (a parse: libclang cannot be stopped, nor measured
			 * before it ends) grew past the ceiling: no file is handed out any more, the
			 * ones running are named as the suspects, the others as not reached */
			char running[300], rest[300];
			snprintf(running, sizeof running,
				 "not analysed: the process passed its memory ceiling of %zu MB (--file-memory) "
				 "while this file was %s; the run stopped", w->ceiling >> 20,
				 w->stage == 1 ? "parsed (a parse cannot be stopped or measured before it ends)" :
				 "analysed");
			snprintf(rest, sizeof rest,
				 "not analysed: the run stopped when the process passed its memory ceiling of %zu MB "
				 "(--file-memory)", w->ceiling >> 20);
			atomic_store(&w->next, w->nitems);
			int any = 0;
			for (size_t k = flushed; k < n; k++) {
				if (w->state[k] == SLOT_WAITING || w->state[k] == SLOT_RUNNING) {
					abandon(w, k, w->state[k] == SLOT_RUNNING ? running : rest, 0);
					any = 1;
				}
			}
			if (any)
				continue;
		}
		if (stop_signal) {
			char why[160];
			snprintf(why, sizeof why, "not analysed: the run was stopped by signal %d (%s) first",
				 (int)stop_signal, stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
			atomic_store(&w->next, w->nitems);
			for (size_t k = flushed; k < n; k++)
				if (w->state[k] == SLOT_WAITING || w->state[k] == SLOT_RUNNING)
					abandon(w, k, why, 0);
			continue;
		}
		if (w->live == 0 && atomic_load(&w->next) < w->nitems && spawn_worker(w) < 0) {
			/* no thread at all: analyse here, without a time limit */
			w->live++;
			pthread_mutex_unlock(&w->lock);
			worker(w);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		double t = now(), wake = t + 0.2;
		int gave_up = 0;
		for (size_t k = flushed; timeout > 0 && k < n; k++) {
			if (w->state[k] != SLOT_RUNNING)
				continue;
			double deadline = w->started[k] + timeout;
			if (deadline <= t) {
				char why[200];
				snprintf(why, sizeof why,
					 "not analysed: still running after the time limit of %g s (--file-timeout); "
					 "the run went on without it", timeout);
				abandon(w, k, why, 1);
				gave_up = 1;
				if (w->progress->on)
					progress_step(w->progress, 0);
			} else if (deadline < wake) {
				wake = deadline;
			}
		}
		if (gave_up)
			continue;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		double d = wake - t;
		if (d < 0.001)
			d = 0.001;
		ts.tv_sec += (time_t)d;
		ts.tv_nsec += (long)((d - (double)(time_t)d) * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->changed, &w->lock, &ts);
	}
	pthread_mutex_unlock(&w->lock);
	for (size_t t = 0; t < w->nthreads; t++)
		if (!w->threads[t].detached)
			pthread_join(w->threads[t].id, NULL);
	w->nthreads = 0; /* the detached ones are counted in w->abandoned */
}

/* Whole tree: stage 1 prepares every input, the index of the tree orders them, stage 2 analyses
 * them and writes each file as it and the files before it are done. */
static void run_stages(struct work *w, size_t jobs, double timeout, struct flusher *fl)
{
	size_t n = w->inputs->n;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->changed, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&w->lock, NULL);
	w->units = util_xcalloc(n ? n : 1, sizeof *w->units);
	w->entries = util_xcalloc(n ? n : 1, sizeof *w->entries);
	w->fe_inputs = util_xcalloc(n ? n : 1, sizeof *w->fe_inputs);
	/* a file whose cached result's inputs are unchanged is not parsed now; stage 2 decides
	 * whether the result stands */
	for (size_t i = 0; w->cache && i < n; i++) {
		const struct input *in = &w->inputs->v[i];
		w->entries[i] = cache_load(w->cache, in->source, (const char *const *)in->args, in->nargs,
					   in->disabled ? in->disabled : w->fe->disabled);
		if (w->entries[i])
			w->state[i] = SLOT_DONE;
	}
	w->stage = 1;
	w->nitems = n;
	supervise(w, jobs, timeout, NULL);
	/* stopped while parsing (a file that hangs, a CI timeout): the files parsed so far are
	 * still analysed and written, those not parsed are named; a second signal stops that too */
	int stopped = stop_signal;
	stop_signal = 0;

	w->tree = tree_new(n);
	for (size_t i = 0; i < n; i++) {
		if (w->entries[i]) {
			cache_entry_add_names(w->entries[i], w->tree, i);
			continue;
		}
		if (!w->units[i])
			continue;
		uint32_t nf;
		const struct ir_func *funcs = frontend_unit_funcs(w->units[i], &nf);
		tree_add_unit(w->tree, i, funcs, nf, frontend_unit_decls(w->units[i]));
	}
	tree_link(w->tree);
	/* a file that was not parsed, or given up, is written as it is */
	for (size_t i = 0; i < n; i++)
		if (w->state[i] == SLOT_DONE && (w->units[i] || w->entries[i]))
			w->state[i] = SLOT_WAITING;
	w->nitems = tree_ngroups(w->tree);
	/* stopped at the memory ceiling: a parse that could not be stopped may still be growing,
	 * so nothing more is analysed (supervise names every file left) */
	atomic_store(&w->next, w->mem_stopped ? w->nitems : 0);
	w->stage = 2;
	supervise(w, jobs, timeout, fl);
	if (stopped && !stop_signal)
		stop_signal = stopped;
	if (w->fe->timing) {
		struct tree_stats ts;
		tree_stats(w->tree, &ts);
		fprintf(stderr, "rccheck: timing: tree: %zu summaries exported, %zu calls resolved with another file's, "
			"%zu names defined in more than one file\n", ts.exported, ts.imported, ts.ambiguous);
		if (w->cache) {
			size_t used, written;
			cache_stats(w->cache, &used, &written);
			fprintf(stderr, "rccheck: timing: cache: %zu files from the cache, %zu entries written\n", used,
				written);
		}
	}
	for (size_t i = 0; i < n; i++) {
		cache_entry_free(w->entries[i]); /* not taken: interrupted */
		w->entries[i] = NULL;
	}
}

/* clang's resource dir (builtin headers such as stddef.h): the one found at build time, else
 * LIBDIR/clang/VERSION next to the libclang actually loaded. */
static const char *resource_dir_result;

static void find_resource_dir(void)
{
	static const char dir[] = RCCHECK_RESOURCE_DIR;
	static char found[4096];
	struct stat st;
	if (dir[0] && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		resource_dir_result = dir;
		return;
	}
	char libdir[4096];
	if (frontend_libclang_path(libdir, sizeof libdir) < 0)
		return;
	char *slash = strrchr(libdir, '/');
	if (!slash)
		return;
	*slash = '\0';
	char base[4200];
	if (snprintf(base, sizeof base, "%s/clang", libdir) >= (int)sizeof base)
		return;
	DIR *d = opendir(base);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char probe[4400];
		int n = snprintf(probe, sizeof probe, "%s/%s/include/stddef.h", base, e->d_name);
		if (n > 0 && (size_t)n < sizeof probe && stat(probe, &st) == 0) {
			n = snprintf(found, sizeof found, "%s/%s", base, e->d_name);
			if (n < 0 || (size_t)n >= sizeof found)
				found[0] = '\0';
			break;
		}
	}
	closedir(d);
	if (found[0])
		resource_dir_result = found;
}

static const char *resource_dir(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, find_resource_dir);
	return resource_dir_result;
}

/* --format=html -o DIR: DIR exists as a directory, or is created. A file, or a name that
 * reads as a page (report.html, which -o meant before the report became a directory), is a
 * usage error that says what to do instead. 0 or -1 (said on stderr). */
static int html_dir_ready(const char *dir)
{
	struct stat st;
	const char *hint = "--format=html -o writes a directory (index.html and one page per finding); "
			   "for one page, leave out -o and redirect standard output";
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		fprintf(stderr, "rccheck: error: %s: not a directory: %s\n", dir, hint);
		return -1;
	}
	size_t n = strlen(dir);
	if ((n > 5 && !strcmp(dir + n - 5, ".html")) || (n > 4 && !strcmp(dir + n - 4, ".htm"))) {
		fprintf(stderr, "rccheck: error: %s: names a page: %s\n", dir, hint);
		return -1;
	}
	if (mkdir(dir, 0777) != 0) {
		fprintf(stderr, "rccheck: error: %s: cannot create the report directory: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_report(const struct diag_run *run, enum rccheck_format format, FILE *out)
{
	switch (format) {
	case RCCHECK_FORMAT_JSON:
		return output_json_write(run, out);
	case RCCHECK_FORMAT_SARIF:
		return output_sarif_write(run, out);
	case RCCHECK_FORMAT_HTML:
		return output_html_write(run, out);
	case RCCHECK_FORMAT_DUMP_CFG:
		for (size_t i = 0; i < run->nfiles; i++)
			if (run->files[i].dump)
				fwrite(run->files[i].dump, 1, run->files[i].dump_len, out);
		fflush(out);
		return ferror(out) ? -1 : 0;
	default:
		return diag_write_text(run, out, stderr);
	}
}

static void run_free(struct diag_run *run)
{
	for (size_t i = 0; i < run->nfiles; i++)
		diag_file_free(&run->files[i]);
	free(run->files);
	for (size_t i = 0; i < run->nerrors; i++) {
		free(run->errors[i]);
		free(run->error_files[i]);
	}
	free(run->errors);
	free(run->error_files);
}

int rccheck_main(int argc, char **argv)
{
	struct options o;
	int rc = parse_args(argc, argv, &o);
	if (rc < 0)
		rc = configure(&o);
	if (rc >= 0) {
		options_free(&o);
		return rc;
	}
	double t0 = now();
	struct diag_run run;
	memset(&run, 0, sizeof run);
	char err[1024];

	/* A bad baseline stops the run before any analysis: its findings would all look new. */
	struct baseline *baseline = NULL;
	if (o.baseline && !(baseline = baseline_load(o.baseline, err, sizeof err))) {
		fprintf(stderr, "rccheck: error: %s: %s\n", o.baseline, err);
		options_free(&o);
		return 2;
	}
	/* The report's file is created first too: files are written to it as they finish. An HTML
	 * report's directory is made ready (nothing is written to it before the end). */
	FILE *out = stdout;
	const char *html_dir = o.output && o.format == RCCHECK_FORMAT_HTML && !o.dump_cfg ? o.output : NULL;
	if (html_dir) {
		out = NULL;
		if (html_dir_ready(html_dir) < 0) {
			baseline_free(baseline);
			options_free(&o);
			return 2;
		}
	} else if (o.output && !(out = fopen(o.output, "w"))) {
		fprintf(stderr, "rccheck: error: %s: %s\n", o.output, strerror(errno));
		baseline_free(baseline);
		options_free(&o);
		return 2;
	}
	int write_failed = 0, streamed = 0;
	/* function scope: a worker given up on (struct work) still reads them until _exit */
	struct work w;
	struct fe_options fe;
	memset(&w, 0, sizeof w);

	struct model *model = model_new();
	if (!model) {
		fputs("rccheck: error: out of memory\n", stderr);
		baseline_free(baseline);
		return 2;
	}
	if (model_load_builtin(model, err, sizeof err) < 0) {
		fprintf(stderr, "rccheck: error: built-in model: %s\n", err);
		model_free(model);
		baseline_free(baseline);
		return 2;
	}
	int fatal = 0;
	for (int i = 0; i < o.nmodels; i++) {
		if (model_load_file(model, o.models[i], err, sizeof err) < 0) {
			fprintf(stderr, "rccheck: error: %s\n", err);
			fatal = 1;
		}
	}
	struct cache *cache = NULL;
	if (!fatal && o.cache_dir && !o.dump_cfg) {
		struct cache_config cc = { o.cache_dir, o.models, o.nmodels, o.max_states, o.all_paths, o.show_guesses,
					   o.python_include };
		if (!(cache = cache_open(&cc, err, sizeof err))) {
			fprintf(stderr, "rccheck: error: --cache %s: %s\n", o.cache_dir, err);
			fatal = 1;
		}
	}

	struct input_list inputs;
	memset(&inputs, 0, sizeof inputs);
	if (!fatal && o.build_dir) {
		int r = compdb_load(&inputs, o.build_dir, o.paths, o.npaths, o.cc_args, o.ncc_args, err, sizeof err);
		if (r == -1)
			fatal = 1;
		if (r < 0)
			diag_run_error(&run, NULL, "%s", err);
	} else if (!fatal) {
		for (int i = 0; i < o.npaths; i++)
			if (compdb_add_path(&inputs, o.paths[i], o.cc_args, o.ncc_args, err, sizeof err) < 0)
				diag_run_error(&run, o.paths[i], "%s", err);
	}
	if (!fatal && config_per_file(&o.files, &inputs, &o.cfg, o.checks, o.ncc_args, !o.config_file && !o.no_config,
				      err, sizeof err) < 0) {
		fprintf(stderr, "rccheck: error: %s\n", err);
		fatal = 1;
	}
	for (size_t i = 0; i < inputs.nskipped; i++)
		diag_run_error(&run, inputs.skipped[i].path, "%s", inputs.skipped[i].why);
	diag_print_run_errors(&run, stderr); /* each file's errors are printed as it is done */

	struct progress progress;
	memset(&progress, 0, sizeof progress);
	pthread_mutex_init(&progress.lock, NULL);
	int analysed = 0;
	if (!fatal) {
		analysed = 1;
		run.nfiles = inputs.n;
		run.files = calloc(inputs.n ? inputs.n : 1, sizeof *run.files);
		if (!run.files)
			abort();
		for (size_t i = 0; i < inputs.n; i++)
			diag_file_init(&run.files[i], inputs.v[i].display);
		memset(&fe, 0, sizeof fe);
		fe.model = model;
		fe.max_states = o.max_states;
		fe.dump_cfg = o.dump_cfg;
		fe.all_paths = o.all_paths;
		fe.show_guesses = o.show_guesses;
		fe.disabled = o.disabled;
		fe.resource_dir = resource_dir();
		fe.timing = getenv("RCCHECK_TIMING") != NULL;
		fe.python_include = o.python_include;
		/* the run's inputs, so that a fragment another input includes is analysed once */
		char **canon_inputs = util_xcalloc(inputs.n ? inputs.n : 1, sizeof *canon_inputs);
		for (size_t i = 0; i < inputs.n; i++)
			canon_inputs[i] = util_canonical_path(inputs.v[i].source);
		qsort(canon_inputs, inputs.n, sizeof *canon_inputs, util_cmp_str);
		fe.inputs = (const char *const *)canon_inputs;
		fe.ninputs = inputs.n;
		w.inputs = &inputs;
		w.cache = cache;
		w.run = &run;
		w.fe = &fe;
		w.progress = &progress;
		w.state = util_xcalloc(inputs.n, sizeof *w.state);
		w.started = util_xcalloc(inputs.n, sizeof *w.started);
		w.runner = util_xcalloc(inputs.n, sizeof *w.runner);
		if (o.file_memory) {
			w.meters = util_xcalloc(inputs.n ? inputs.n : 1, sizeof *w.meters);
			for (size_t i = 0; i < inputs.n; i++)
				w.meters[i].limit = (size_t)o.file_memory << 20;
			/* the process as a whole: what it holds now, every worker's file at twice its
			 * limit (what the meters do not see: allocator overhead, libclang outside the
			 * parse's own accounting) and a margin (under ASan, its quarantine) */
			size_t rss = process_rss();
			if (rss)
				w.ceiling = rss + 2 * (size_t)o.jobs * ((size_t)o.file_memory << 20) + ((size_t)512 << 20);
		}
		const char *ceiling_env = getenv("RCCHECK_MEMORY_CEILING_MB"); /* a testing aid */
		unsigned ceiling_mb;
		if (ceiling_env && *ceiling_env && parse_uint(ceiling_env, &ceiling_mb) == 0)
			w.ceiling = (size_t)ceiling_mb << 20;
		progress.total = inputs.n;
		progress.on = !o.quiet && !o.dump_cfg && !fe.timing && inputs.n > 1 && progress_wanted();
		atomic_init(&w.next, 0);
		if (baseline)
			run.baseline_used = 1;
		struct flusher fl;
		memset(&fl, 0, sizeof fl);
		fl.out = o.dump_cfg || o.format == RCCHECK_FORMAT_TEXT ? out : NULL;
		fl.dump = o.dump_cfg;
		fl.baseline = baseline;
		fl.min_severity = o.min_severity;
		fl.color = fl.out && !fl.dump && diag_use_color(o.color, fl.out);
		fl.run = &run;
		fl.progress = &progress;
		struct sigaction sa, old_int, old_term;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
		run_stages(&w, (size_t)o.jobs, o.file_timeout, &fl);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		streamed = fl.out != NULL;
		write_failed = fl.write_failed;
		if (!w.abandoned) {
			pthread_cond_destroy(&w.changed);
			pthread_mutex_destroy(&w.lock);
			free(w.state);
			free(w.started);
			free(w.runner);
			free(w.meters);
			free(w.threads);
			free(w.units);
			free(w.entries);
			for (size_t i = 0; i < inputs.n; i++)
				free(w.fe_inputs[i]);
			free(w.fe_inputs);
			tree_free(w.tree);
			cache_close(cache);
			for (size_t i = 0; i < inputs.n; i++)
				free(canon_inputs[i]);
			free(canon_inputs);
		}
	}
	run.seconds = now() - t0;
	progress_clear(&progress);
	if (!w.abandoned)
		pthread_mutex_destroy(&progress.lock);
	if (!streamed && out && !(fatal && run.nfiles == 0 && o.format == RCCHECK_FORMAT_TEXT))
		write_failed |= write_report(&run, o.dump_cfg ? RCCHECK_FORMAT_DUMP_CFG : o.format, out) < 0;
	if (html_dir && output_html_write_dir(&run, html_dir, err, sizeof err) < 0) {
		fprintf(stderr, "rccheck: error: %s\n", err);
		write_failed = 2; /* said: no second message */
	}
	if (out && out != stdout && fclose(out) != 0)
		write_failed = 1;
	if (write_failed & 1)
		fprintf(stderr, "rccheck: error: %s: write error\n", o.output ? o.output : "standard output");
	if (analysed && !o.dump_cfg && !o.quiet)
		print_summary(&run, stderr);

	size_t nfind = diag_count_findings(&run);
	int errors = fatal || write_failed || diag_run_incomplete(&run);
	rc = errors ? 2 : (nfind && !o.dump_cfg) ? 1 : 0;
	if (stop_signal || w.abandoned) {
		/* everything is written; a worker may still be inside libclang (struct work) */
		fflush(stdout);
		fflush(stderr);
		pyheaders_cleanup();
		if (stop_signal) {
			signal(stop_signal, SIG_DFL);
			raise(stop_signal);
		}
		_exit(rc);
	}

	run_free(&run);
	compdb_list_free(&inputs);
	model_free(model);
	baseline_free(baseline);
	options_free(&o);
	return rc;
}

int rccheck_analyze_buffer(const char *name, const char *data, size_t len, const char *const *args, int nargs,
			   enum rccheck_format format, unsigned max_states, FILE *out)
{
	char err[512];
	struct model *model = model_new();
	if (!model)
		return -1;
	if (model_load_builtin(model, err, sizeof err) < 0) {
		model_free(model);
		return -1;
	}
	struct diag_run run;
	memset(&run, 0, sizeof run);
	run.nfiles = 1;
	run.files = calloc(1, sizeof *run.files);
	if (!run.files)
		abort();
	diag_file_init(&run.files[0], name);
	struct fe_options fe;
	memset(&fe, 0, sizeof fe);
	fe.model = model;
	fe.max_states = max_states;
	fe.dump_cfg = format == RCCHECK_FORMAT_DUMP_CFG;
	fe.resource_dir = resource_dir();
	fe.python_include = "none"; /* the fuzz target: no subprocess, same result on every machine */
	struct fe_input fi;
	memset(&fi, 0, sizeof fi);
	fi.path = name;
	fi.source = name;
	fi.args = args;
	fi.nargs = nargs;
	fi.buffer = data ? data : "";
	fi.len = data ? len : 0;
	struct fe_index *index = frontend_index_new();
	int r = frontend_run(index, &fe, &fi, &run.files[0]);
	frontend_index_free(index);
	if (out)
		write_report(&run, format, out);
	int n = r < 0 ? -1 : (int)run.files[0].nfindings;
	run_free(&run);
	model_free(model);
	return n;
}
