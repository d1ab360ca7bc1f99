/*
 * util.c - allocation helpers (util.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("rccheck: error: out of memory\n", stderr);
	abort();
}

void *util_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory();
	return q;
}

void *util_xcalloc(size_t n, size_t size)
{
	void *q = calloc(n ? n : 1, size ? size : 1);
	if (!q)
		out_of_memory();
	return q;
}

char *util_xstrdup(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s) + 1;
	char *p = util_xrealloc(NULL, n);
	memcpy(p, s, n);
	return p;
}

char *util_canonical_path(const char *p)
{
	char buf[PATH_MAX];
	if (realpath(p, buf))
		return util_xstrdup(buf);
	return util_xstrdup(p);
}

char *util_display_path(const char *abs)
{
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof cwd)) {
		size_t n = strlen(cwd);
		if (!strncmp(abs, cwd, n) && abs[n] == '/')
			return util_xstrdup(abs + n + 1);
	}
	return util_xstrdup(abs);
}
