/*
 * config.h - choosing checks (--checks=, clang-tidy's syntax) and the configuration file
 * `.rccheck` (docs/analyzer.md, "Choosing checks" and "Configuration file").
 *
 * The run's file is found upward from the working directory (the first `.rccheck` in it or one
 * of its parents), or given with --config-file; --no-config reads none. Without --config-file,
 * each analysed file also takes `checks` and `compile-args` from the nearest `.rccheck` upward
 * from its own directory when that is another file (config_per_file); `model`, `baseline` and
 * `min-severity` are the run's. Its format is one
 * `key: value` per line (not YAML: `checks: *` would be a YAML alias), `#` starts a comment
 * line, blank lines are ignored:
 *
 *     checks: -*,rc-leak,rc-double-release   (appended to earlier checks: lines, in order)
 *     model: models/mylib.model              (repeatable; relative to the file's directory)
 *     baseline: rccheck-baseline.json        (relative to the file's directory)
 *     compile-args: -DNDEBUG -Iinclude       (repeatable; split at blanks, no quoting; the
 *                                             directory of -I/-isystem/-iquote/-idirafter made
 *                                             absolute from the file's directory)
 *     min-severity: medium
 *     inherit-parent-config: true            (the file's settings go on top of the nearest
 *                                             .rccheck upward from its directory's parent,
 *                                             itself read the same way; as .clang-tidy's
 *                                             InheritParentConfig)
 *
 * Inheriting: the parent's checks come first (the child's lines apply after them), its models
 * and compile-args before the child's, its baseline and min-severity unless the child gives its
 * own. Without the key (or with `false`) the nearest file alone counts.
 *
 * Precedence: the command line over the file. --checks is applied after the file's checks (as
 * clang-tidy appends -checks to its file's), --model files are loaded after the file's, the
 * file's compile-args come before the arguments after `--`, --baseline and --min-severity
 * replace the file's.
 */
#ifndef RCCHECK_CONFIG_H
#define RCCHECK_CONFIG_H

#include <stddef.h>

#define CONFIG_FILE_NAME ".rccheck"
/* A configuration file is a few lines; anything larger is not one. */
#define CONFIG_FILE_MAX ((size_t)1 << 20)

struct config {
	char *path;      /* the file read (as found or given), NULL when none */
	char *checks;    /* the checks: lines joined with ',' (NULL: none) */
	unsigned checks_line; /* the line of the last checks: line, for messages */
	char **models;   /* paths, resolved */
	int nmodels;
	char *baseline;  /* resolved, or NULL */
	char **cc_args;  /* compile-args, split and resolved */
	int ncc_args;
	int min_severity; /* enum eng_severity, or -1 when the file does not say */
	int sets_run_keys; /* the file itself (not a parent it inherits) gives model, baseline or
			    * min-severity */
	char *parent;    /* the file inherited (inherit-parent-config: true and one was found), or NULL */
};

/*
 * Applies a checks specification to disabled[engine_ncheck] (disabled[c] != 0: check c is off):
 * a comma-separated list of globs ('*' matches any run of characters) over check IDs, applied
 * in order, each enabling what it matches or, prefixed by '-', disabling it. Blanks around items
 * are ignored, and so are empty items. Returns 0, or -1 with a message in err when an item
 * matches no check (a misspelt ID would otherwise silently do nothing).
 */
int config_apply_checks(const char *spec, unsigned char *disabled, char *err, size_t errlen);

/* "low", "medium", "high" (--min-severity, min-severity:) as enum eng_severity, or -1. */
int config_severity(const char *name);

/*
 * Finds and reads the configuration: given (path non-NULL: it must exist), else the first
 * CONFIG_FILE_NAME upward from the working directory unless none is wanted (no_config).
 * Fills c (zeroed first; c->path NULL when there is no file), merged with its parent file when
 * it says inherit-parent-config: true. Returns 0, or -1 with a message
 * in err, "PATH:LINE: what is wrong" for a bad line or "PATH: why" for a file that cannot be
 * read; c is then freed.
 */
int config_load(struct config *c, const char *path, int no_config, char *err, size_t errlen);
void config_free(struct config *c);

/*
 * Gives each input of l its configuration: the `compile-args` of its file inserted before the
 * last ncli arguments (those after `--`, which every input ends with), and in->disabled set to
 * the checks of its file followed by cli_checks (NULL: the run's). Its file is the nearest
 * CONFIG_FILE_NAME upward from the input's directory when lookup is on (no --config-file, no
 * --no-config) and that is not the run's file; otherwise the run's (run, possibly empty).
 * Another file's model, baseline and min-severity are not used (a note on stderr says so).
 * Returns 0, or -1 with a message in err for a file that cannot be read or is malformed
 * ("PATH:LINE: ..."). *out (always set) owns the files read; free it after the inputs.
 */
struct config_files;
struct input_list;
int config_per_file(struct config_files **out, struct input_list *l, const struct config *run, const char *cli_checks,
		    int ncli, int lookup, char *err, size_t errlen);
void config_files_free(struct config_files *cf);

#endif
