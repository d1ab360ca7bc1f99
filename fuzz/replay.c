/*
 * replay.c - runs inputs from files through LLVMFuzzerTestOneInput: the standalone driver
 * (engine none, one `meson test` per target, fed the files fuzz/seeds lists) and the AFL++ driver
 * outside afl-fuzz.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_target.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_INPUT = 1 << 20 };

static int run_file(const char *path, const char *prog)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, path, strerror(errno));
		return 2;
	}
	uint8_t *buf = malloc(MAX_INPUT);
	if (!buf) {
		fclose(f);
		fprintf(stderr, "%s: out of memory\n", prog);
		return 2;
	}
	size_t n = fread(buf, 1, MAX_INPUT, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		fprintf(stderr, "%s: cannot read %s\n", prog, path);
		return 2;
	}
	fprintf(stderr, "running %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, const char *prog, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: cannot open directory %s: %s\n", prog, dir, strerror(errno));
		return 2;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown) {
				rc = 2;
				break;
			}
			names = grown;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n]) {
			rc = 2;
			break;
		}
		snprintf(names[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (rc)
		fprintf(stderr, "%s: out of memory listing %s\n", prog, dir);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (!rc && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			rc = run_file(names[i], prog);
			if (!rc)
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int fuzz_replay_paths(int n, char **paths, const char *prog)
{
	size_t count = 0;
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, paths[i], strerror(errno));
			return 2;
		}
		int rc = S_ISDIR(st.st_mode) ? run_dir(paths[i], prog, &count) : run_file(paths[i], prog);
		if (rc)
			return rc;
		if (!S_ISDIR(st.st_mode))
			count++;
	}
	if (count == 0) {
		fprintf(stderr, "%s: no input to run\n", prog);
		return 2;
	}
	printf("%s: %zu input(s) ran without a finding\n", prog, count);
	return 0;
}
