/*
 * config.c - --checks= and the `.rccheck` configuration file (config.h; docs/analyzer.md,
 * "Choosing checks" and "Configuration file").
 */
#define _XOPEN_SOURCE 700 /* strdup, getcwd */
#include "driver/config.h"

#include "engine/engine.h"
#include "frontend/compdb.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------ */
/* Checks                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Whether the glob pat[0..n) ('*': any run of characters, nothing else special) matches s:
 * backtracking to the last '*' only, O(n * strlen(s)) at worst. */
static int glob_match(const char *pat, size_t n, const char *s)
{
	size_t p = 0, star_p = 0;
	const char *star_s = NULL;
	while (*s) {
		if (p < n && pat[p] == '*') {
			star_p = ++p;
			star_s = s;
		} else if (p < n && pat[p] == *s) {
			p++;
			s++;
		} else if (star_s) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (p < n && pat[p] == '*')
		p++;
	return p == n;
}

int config_apply_checks(const char *spec, unsigned char *disabled, char *err, size_t errlen)
{
	const char *s = spec;
	while (*s) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		const char *a = s, *b = end;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		s = *end ? end + 1 : end;
		if (a == b)
			continue;
		int off = *a == '-';
		if (off)
			a++;
		int matched = 0;
		for (size_t c = 0; c < engine_ncheck; c++) {
			if (glob_match(a, (size_t)(b - a), engine_checks[c]->id)) {
				disabled[c] = (unsigned char)off;
				matched = 1;
			}
		}
		if (!matched) {
			snprintf(err, errlen, "'%.*s' names no check (rccheck --list-checks lists them)", (int)(b - a), a);
			return -1;
		}
	}
	return 0;
}

int config_severity(const char *name)
{
	static const char *const names[] = { [ENG_SEV_LOW] = "low", [ENG_SEV_MEDIUM] = "medium", [ENG_SEV_HIGH] = "high" };
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* The configuration file                                                                      */
/* ------------------------------------------------------------------------------------------ */

void config_free(struct config *c)
{
	free(c->path);
	free(c->checks);
	for (int i = 0; i < c->nmodels; i++)
		free(c->models[i]);
	free(c->models);
	free(c->baseline);
	for (int i = 0; i < c->ncc_args; i++)
		free(c->cc_args[i]);
	free(c->cc_args);
	free(c->parent);
	memset(c, 0, sizeof *c);
	c->min_severity = -1;
}

/* path made absolute from dir when it is relative (a new string). */
static char *resolve(const char *dir, const char *path)
{
	if (path[0] == '/' || !dir[0])
		return util_xstrdup(path);
	size_t n = strlen(dir) + strlen(path) + 2;
	char *r = util_xrealloc(NULL, n);
	snprintf(r, n, "%s/%s", strcmp(dir, "/") ? dir : "", path);
	return r;
}

static void push(char ***v, int *n, char *s)
{
	*v = util_xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

/* The options whose value is a directory, joined (-Idir) or separate (-I dir). */
static const char *const dir_options[] = { "-isystem", "-iquote", "-idirafter", "-I" };

/* Splits value at blanks into c->cc_args, directories of include options resolved from dir. */
static void add_cc_args(struct config *c, const char *dir, const char *value)
{
	int dir_next = 0; /* the previous argument was an include option without its directory */
	const char *s = value;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		size_t n = strcspn(s, " \t");
		char *arg = util_xrealloc(NULL, n + 1);
		memcpy(arg, s, n);
		arg[n] = '\0';
		s += n;
		if (dir_next) {
			push(&c->cc_args, &c->ncc_args, resolve(dir, arg));
			free(arg);
			dir_next = 0;
			continue;
		}
		int done = 0;
		for (size_t k = 0; k < sizeof dir_options / sizeof dir_options[0] && !done; k++) {
			size_t on = strlen(dir_options[k]);
			if (strncmp(arg, dir_options[k], on) != 0)
				continue;
			done = 1;
			if (!arg[on]) {
				dir_next = 1;
				push(&c->cc_args, &c->ncc_args, arg);
			} else {
				char *d = resolve(dir, arg + on);
				size_t m = on + strlen(d) + 1;
				char *joined = util_xrealloc(NULL, m);
				snprintf(joined, m, "%s%s", dir_options[k], d);
				free(d);
				free(arg);
				push(&c->cc_args, &c->ncc_args, joined);
			}
		}
		if (!done)
			push(&c->cc_args, &c->ncc_args, arg);
	}
}

static int line_error(char *err, size_t errlen, const char *path, unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int line_error(char *err, size_t errlen, const char *path, unsigned line, const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%s:%u: ", path, line);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Parses text (the file at path, in directory dir) into c; *inherit: its inherit-parent-config. */
static int parse(struct config *c, const char *path, const char *dir, char *text, int *inherit, char *err,
		 size_t errlen)
{
	unsigned line = 0;
	for (char *s = text, *next; s; s = next) {
		line++;
		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(s);
		while (len && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		char *colon = strchr(s, ':');
		if (!colon)
			return line_error(err, errlen, path, line, "expected 'key: value', got '%s'", s);
		char *key_end = colon;
		while (key_end > s && (key_end[-1] == ' ' || key_end[-1] == '\t'))
			key_end--;
		*key_end = '\0';
		char *value = colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		if (!*value)
			return line_error(err, errlen, path, line, "'%s' needs a value", s);
		if (!strcmp(s, "checks")) {
			/* each line is validated alone, so that an error names its line */
			char why[256];
			unsigned char *probe = util_xcalloc(engine_ncheck, 1);
			int bad = config_apply_checks(value, probe, why, sizeof why) < 0;
			free(probe);
			if (bad)
				return line_error(err, errlen, path, line, "checks: %s", why);
			size_t n = (c->checks ? strlen(c->checks) + 1 : 0) + strlen(value) + 1;
			char *joined = util_xrealloc(NULL, n);
			snprintf(joined, n, "%s%s%s", c->checks ? c->checks : "", c->checks ? "," : "", value);
			free(c->checks);
			c->checks = joined;
			c->checks_line = line;
		} else if (!strcmp(s, "model")) {
			push(&c->models, &c->nmodels, resolve(dir, value));
			c->sets_run_keys = 1;
		} else if (!strcmp(s, "baseline")) {
			if (c->baseline)
				return line_error(err, errlen, path, line, "baseline can be given once");
			c->baseline = resolve(dir, value);
			c->sets_run_keys = 1;
		} else if (!strcmp(s, "compile-args")) {
			add_cc_args(c, dir, value);
		} else if (!strcmp(s, "min-severity")) {
			if ((c->min_severity = config_severity(value)) < 0)
				return line_error(err, errlen, path, line, "min-severity: '%s' is not low, medium or high",
						  value);
			c->sets_run_keys = 1;
		} else if (!strcmp(s, "inherit-parent-config")) {
			if (strcmp(value, "true") && strcmp(value, "false"))
				return line_error(err, errlen, path, line, "inherit-parent-config: '%s' is not true or false",
						  value);
			*inherit = !strcmp(value, "true");
		} else {
			return line_error(err, errlen, path, line,
					  "unknown key '%s' (checks, model, baseline, compile-args, min-severity, "
					  "inherit-parent-config)",
					  s);
		}
	}
	return 0;
}

/* The first CONFIG_FILE_NAME in dir or a parent of it, or NULL (a new string, as printed). */
static char *find_upward(const char *start)
{
	char dir[PATH_MAX];
	if (strlen(start) >= sizeof dir)
		return NULL;
	strcpy(dir, start);
	for (;;) {
		char probe[PATH_MAX + sizeof CONFIG_FILE_NAME + 1];
		snprintf(probe, sizeof probe, "%s/%s", strcmp(dir, "/") ? dir : "", CONFIG_FILE_NAME);
		struct stat st;
		if (stat(probe, &st) == 0 || errno != ENOENT)
			return util_display_path(probe); /* not a regular file: util_read_file says so */
		char *slash = strrchr(dir, '/');
		if (!slash || !strcmp(dir, "/"))
			return NULL;
		slash[slash == dir ? 1 : 0] = '\0';
	}
}

/* Puts parent p under c (inherit-parent-config): p's checks, models and compile-args first, its
 * baseline and min-severity where c has none. Takes p's contents (p is freed). */
static void inherit(struct config *c, struct config *p)
{
	if (p->checks) {
		size_t n = strlen(p->checks) + (c->checks ? strlen(c->checks) + 1 : 0) + 1;
		char *joined = util_xrealloc(NULL, n);
		snprintf(joined, n, "%s%s%s", p->checks, c->checks ? "," : "", c->checks ? c->checks : "");
		free(c->checks);
		c->checks = joined;
	}
	for (int i = 0; i < c->nmodels; i++)
		push(&p->models, &p->nmodels, c->models[i]);
	free(c->models);
	c->models = p->models, c->nmodels = p->nmodels;
	p->models = NULL, p->nmodels = 0;
	for (int i = 0; i < c->ncc_args; i++)
		push(&p->cc_args, &p->ncc_args, c->cc_args[i]);
	free(c->cc_args);
	c->cc_args = p->cc_args, c->ncc_args = p->ncc_args;
	p->cc_args = NULL, p->ncc_args = 0;
	if (!c->baseline)
		c->baseline = p->baseline, p->baseline = NULL;
	if (c->min_severity < 0)
		c->min_severity = p->min_severity;
	c->parent = p->path;
	p->path = NULL;
	config_free(p);
}

int config_load(struct config *c, const char *path, int no_config, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->min_severity = -1;
	if (!path && no_config)
		return 0;
	char cwd[PATH_MAX];
	char *file = path ? util_xstrdup(path) : getcwd(cwd, sizeof cwd) ? find_upward(cwd) : NULL;
	if (!file)
		return 0;
	c->path = file;
	char *text;
	size_t len;
	char why[512];
	if (util_read_file(file, CONFIG_FILE_MAX, "a configuration file", &text, &len, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: %s", file, why);
		config_free(c);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: not a text file (a NUL byte)", file);
		free(text);
		config_free(c);
		return -1;
	}
	/* the directory relative paths in the file are taken from */
	char *dir = util_canonical_path(file);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		dir[0] = '\0';
	int inherits = 0;
	int r = parse(c, file, dir, text, &inherits, err, errlen);
	free(text);
	if (r == 0 && inherits && strcmp(dir, "/") != 0 && dir[0]) {
		/* the nearest file above this one's directory: a strictly shorter path, so this ends */
		char *slash2 = strrchr(dir, '/');
		slash2[slash2 == dir ? 1 : 0] = '\0';
		char *above = find_upward(dir);
		struct config p;
		if (above && (r = config_load(&p, above, 0, err, errlen)) == 0)
			inherit(c, &p);
		free(above);
	}
	free(dir);
	if (r < 0)
		config_free(c);
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Per-file configuration                                                                      */
/* ------------------------------------------------------------------------------------------ */

struct config_files {
	struct config_file_entry {
		char *canon;            /* the file's real path */
		struct config cfg;
		unsigned char *disabled; /* its checks, then --checks */
	} *v;
	size_t n;
};

void config_files_free(struct config_files *cf)
{
	if (!cf)
		return;
	for (size_t i = 0; i < cf->n; i++) {
		free(cf->v[i].canon);
		config_free(&cf->v[i].cfg);
		free(cf->v[i].disabled);
	}
	free(cf->v);
	free(cf);
}

/* The entry of the configuration file at path (read and cached the first time), or NULL with
 * a message in err. */
static struct config_file_entry *file_entry(struct config_files *cf, const char *path, const char *cli_checks,
					    char *err, size_t errlen)
{
	char *canon = util_canonical_path(path);
	for (size_t i = 0; i < cf->n; i++) {
		if (!strcmp(cf->v[i].canon, canon)) {
			free(canon);
			return &cf->v[i];
		}
	}
	struct config c;
	if (config_load(&c, path, 0, err, errlen) < 0) {
		free(canon);
		return NULL;
	}
	unsigned char *disabled = util_xcalloc(engine_ncheck, 1);
	char why[512];
	int bad = c.checks && config_apply_checks(c.checks, disabled, why, sizeof why) < 0;
	if (bad)
		snprintf(err, errlen, "%s:%u: checks: %s", c.path, c.checks_line, why);
	else if (cli_checks && config_apply_checks(cli_checks, disabled, why, sizeof why) < 0)
		bad = 1, snprintf(err, errlen, "--checks: %s", why);
	size_t on = 0;
	for (size_t k = 0; k < engine_ncheck; k++)
		on += !disabled[k];
	if (!bad && !on)
		bad = 1, snprintf(err, errlen, "%s: no check enabled (with --checks, if given)", c.path);
	if (bad) {
		free(canon);
		free(disabled);
		config_free(&c);
		return NULL;
	}
	if (c.sets_run_keys)
		fprintf(stderr, "rccheck: note: %s: model, baseline and min-severity apply to a whole run; they are "
				"read from the run's configuration only (the working directory's, or --config-file)\n",
			c.path);
	cf->v = util_xrealloc(cf->v, (cf->n + 1) * sizeof *cf->v);
	struct config_file_entry *e = &cf->v[cf->n++];
	e->canon = canon;
	e->cfg = c;
	e->disabled = disabled;
	return e;
}

/* Inserts n arguments before the last keep arguments of in (copies). */
static void insert_args(struct input *in, char *const *args, int n, int keep)
{
	if (!n)
		return;
	if (keep > in->nargs)
		keep = in->nargs;
	in->args = util_xrealloc(in->args, (size_t)(in->nargs + n + 1) * sizeof *in->args);
	memmove(in->args + in->nargs - keep + n, in->args + in->nargs - keep, (size_t)keep * sizeof *in->args);
	for (int k = 0; k < n; k++)
		in->args[in->nargs - keep + k] = util_xstrdup(args[k]);
	in->nargs += n;
	in->args[in->nargs] = NULL;
}

int config_per_file(struct config_files **out, struct input_list *l, const struct config *run, const char *cli_checks,
		    int ncli, int lookup, char *err, size_t errlen)
{
	struct config_files *cf = util_xcalloc(1, sizeof *cf);
	*out = cf;
	char *run_canon = run->path ? util_canonical_path(run->path) : NULL;
	char *last_dir = NULL, *last_found = NULL; /* inputs come sorted by directory: one walk each */
	int rc = 0;
	for (size_t i = 0; i < l->n && rc == 0; i++) {
		struct input *in = &l->v[i];
		const struct config *c = run;
		in->disabled = NULL;
		if (lookup) {
			char *dir = util_canonical_path(in->source);
			char *slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir ? 1 : 0] = '\0';
			if (!last_dir || strcmp(last_dir, dir) != 0) {
				free(last_dir);
				free(last_found);
				last_dir = dir;
				last_found = find_upward(dir);
			} else {
				free(dir);
			}
			char *canon = last_found ? util_canonical_path(last_found) : NULL;
			if (canon && (!run_canon || strcmp(canon, run_canon) != 0)) {
				struct config_file_entry *e = file_entry(cf, last_found, cli_checks, err, errlen);
				if (!e)
					rc = -1;
				else {
					c = &e->cfg;
					in->disabled = e->disabled;
				}
			}
			free(canon);
		}
		if (rc == 0)
			insert_args(in, c->cc_args, c->ncc_args, ncli);
	}
	free(last_dir);
	free(last_found);
	free(run_canon);
	return rc;
}
