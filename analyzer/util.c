/*
 * util.c - allocation helpers (util.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void out_of_memory(void)
{
	fputs("rccheck: error: out of memory\n", stderr);
	abort();
}

/* ---- the per-file memory meter (util.h) ---- */

static _Thread_local struct util_meter *bound_meter;

struct util_meter *util_meter_bind(struct util_meter *m)
{
	struct util_meter *old = bound_meter;
	bound_meter = m;
	return old;
}

struct util_meter *util_meter_current(void)
{
	return bound_meter;
}

int util_meter_check(int stage, const char *what)
{
	struct util_meter *m = bound_meter;
	if (!m)
		return 0;
	if (m->over)
		return 1;
	size_t sum = m->tu + m->ir + m->engine;
	if (sum > m->peak)
		m->peak = sum;
	if (!m->limit || sum <= m->limit)
		return 0;
	m->over = stage;
	m->over_bytes = sum;
	snprintf(m->what, sizeof m->what, "%s", what ? what : "");
	return 1;
}

int util_meter_over(void)
{
	return bound_meter && bound_meter->over;
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

int util_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int util_cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

const char *util_file_kind(unsigned mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int util_read_file(const char *path, size_t max, const char *what, char **out, size_t *len, char *err,
		   size_t errlen)
{
	*out = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO without a writer would wait for one */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		const char *kind = util_file_kind(st.st_mode);
		snprintf(err, errlen, "is %s: only regular files are read", kind);
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > (unsigned long long)max) {
		snprintf(err, errlen, "%lld bytes: larger than the limit of %zu bytes for %s", (long long)st.st_size,
			 max, what);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = util_xrealloc(NULL, cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				snprintf(err, errlen, "grew past the limit of %zu bytes for %s while read", max, what);
				free(buf);
				close(fd);
				return -1;
			}
			cap = cap * 2 < max + 1 ? cap * 2 : max + 1;
			buf = util_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "read error: %s", strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}
