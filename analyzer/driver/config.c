/*
 * config.c - --checks= and the `.rccheck` configuration file (config.h; docs/analyzer.md,
 * "Choosing checks" and "Configuration file").
 */
#define _XOPEN_SOURCE 700 /* strdup, getcwd */
#include "driver/config.h"

#include "engine/engine.h"
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

/* Parses text (the file at path, in directory dir) into c. */
static int parse(struct config *c, const char *path, const char *dir, char *text, char *err, size_t errlen)
{
	unsigned line = 0;
	unsigned char probe[64]; /* engine_ncheck is a handful: checks are validated as they come */
	if (engine_ncheck > sizeof probe)
		abort();
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
			char why[256];
			memset(probe, 0, sizeof probe);
			if (config_apply_checks(value, probe, why, sizeof why) < 0)
				return line_error(err, errlen, path, line, "checks: %s", why);
			size_t n = (c->checks ? strlen(c->checks) + 1 : 0) + strlen(value) + 1;
			char *joined = util_xrealloc(NULL, n);
			snprintf(joined, n, "%s%s%s", c->checks ? c->checks : "", c->checks ? "," : "", value);
			free(c->checks);
			c->checks = joined;
			c->checks_line = line;
		} else if (!strcmp(s, "model")) {
			push(&c->models, &c->nmodels, resolve(dir, value));
		} else if (!strcmp(s, "baseline")) {
			if (c->baseline)
				return line_error(err, errlen, path, line, "baseline can be given once");
			c->baseline = resolve(dir, value);
		} else if (!strcmp(s, "compile-args")) {
			add_cc_args(c, dir, value);
		} else if (!strcmp(s, "min-severity")) {
			if (!strcmp(value, "low"))
				c->min_severity = ENG_SEV_LOW;
			else if (!strcmp(value, "medium"))
				c->min_severity = ENG_SEV_MEDIUM;
			else if (!strcmp(value, "high"))
				c->min_severity = ENG_SEV_HIGH;
			else
				return line_error(err, errlen, path, line, "min-severity: '%s' is not low, medium or high",
						  value);
		} else {
			return line_error(err, errlen, path, line,
					  "unknown key '%s' (checks, model, baseline, compile-args, min-severity)", s);
		}
	}
	return 0;
}

/* The first CONFIG_FILE_NAME upward from the working directory, or NULL (a new string). */
static char *find_upward(void)
{
	char dir[PATH_MAX];
	if (!getcwd(dir, sizeof dir))
		return NULL;
	for (;;) {
		char probe[PATH_MAX + sizeof CONFIG_FILE_NAME + 1];
		snprintf(probe, sizeof probe, "%s/%s", strcmp(dir, "/") ? dir : "", CONFIG_FILE_NAME);
		struct stat st;
		if (stat(probe, &st) == 0 || errno != ENOENT)
			return util_display_path(probe); /* not a regular file: util_read_file says so */
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (!strcmp(dir, "/"))
				return NULL;
			strcpy(dir, "/");
			continue;
		}
		*slash = '\0';
	}
}

int config_load(struct config *c, const char *path, int no_config, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->min_severity = -1;
	if (!path && no_config)
		return 0;
	char *file = path ? util_xstrdup(path) : find_upward();
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
	int r = parse(c, file, dir, text, err, errlen);
	free(dir);
	free(text);
	if (r < 0)
		config_free(c);
	return r;
}
