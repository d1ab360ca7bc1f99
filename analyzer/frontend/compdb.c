/*
 * compdb.c - collecting inputs from paths and compile databases (compdb.h).
 */
#define _XOPEN_SOURCE 700
#include "frontend/compdb.h"

#include "util.h"

#include <clang-c/CXCompilationDatabase.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void compdb_list_free(struct input_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].display);
		free(l->v[i].source);
		for (int k = 0; k < l->v[i].nargs; k++)
			free(l->v[i].args[k]);
		free(l->v[i].args);
	}
	free(l->v);
	free(l->files.dev);
	free(l->files.ino);
	for (size_t i = 0; i < l->nskipped; i++) {
		free(l->skipped[i].path);
		free(l->skipped[i].why);
	}
	free(l->skipped);
	memset(l, 0, sizeof *l);
}

void compdb_add(struct input_list *l, const char *display, const char *source, const char *const *args, int nargs)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = util_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct input *in = &l->v[l->n++];
	in->display = util_xstrdup(display);
	in->source = util_xstrdup(source);
	in->disabled = NULL;
	in->nargs = nargs;
	in->args = util_xrealloc(NULL, (size_t)(nargs > 0 ? nargs : 1) * sizeof *in->args);
	for (int i = 0; i < nargs; i++)
		in->args[i] = util_xstrdup(args[i]);
}

static int ends_with_c(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && !strcmp(name + n - 2, ".c");
}

/* Directories already seen in one walk, and files already taken (device, inode): symlink loops
 * and files reachable twice are read once. */
static int seen_add(struct compdb_seen *s, const struct stat *st)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dev[i] == st->st_dev && s->ino[i] == st->st_ino)
			return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->dev = util_xrealloc(s->dev, s->cap * sizeof *s->dev);
		s->ino = util_xrealloc(s->ino, s->cap * sizeof *s->ino);
	}
	s->dev[s->n] = st->st_dev;
	s->ino[s->n] = st->st_ino;
	s->n++;
	return 1;
}

static void skip(struct input_list *l, const char *path, const char *why)
{
	if (l->nskipped == l->cap_skipped) {
		l->cap_skipped = l->cap_skipped ? l->cap_skipped * 2 : 8;
		l->skipped = util_xrealloc(l->skipped, l->cap_skipped * sizeof *l->skipped);
	}
	l->skipped[l->nskipped].path = util_xstrdup(path);
	l->skipped[l->nskipped].why = util_xstrdup(why);
	l->nskipped++;
}

/* Walks dir (depth levels below the PATH given); -1 with errno when dir itself cannot be read. */
static int walk(struct input_list *l, const char *dir, const char *const *args, int nargs, int depth,
		struct compdb_seen *seen)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = util_xrealloc(names, cap * sizeof *names);
		}
		names[n++] = util_xstrdup(e->d_name);
		errno = 0;
	}
	if (errno) {
		char why[300];
		snprintf(why, sizeof why, "cannot read the whole directory: %s; the files listed before are analysed",
			 strerror(errno));
		skip(l, dir, why);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, util_cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = util_xrealloc(NULL, len);
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		struct stat st, lst;
		char why[300];
		int is_c = ends_with_c(names[i]);
		if (stat(p, &st) != 0) {
			int err = errno;
			int link = lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode);
			if (link && err == ENOENT) {
				if (is_c)
					skip(l, p, "dangling symbolic link: not analysed");
			} else if (link && err == ELOOP) {
				if (is_c)
					skip(l, p, "symbolic link loop: not analysed");
			} else {
				snprintf(why, sizeof why, "cannot read: %s; not analysed", strerror(err));
				skip(l, p, why);
			}
		} else if (S_ISDIR(st.st_mode)) {
			if (depth + 1 > COMPDB_MAX_DEPTH) {
				snprintf(why, sizeof why, "more than %d directory levels below the path given: not walked",
					 COMPDB_MAX_DEPTH);
				skip(l, p, why);
			} else if (seen_add(seen, &st) && walk(l, p, args, nargs, depth + 1, seen) < 0) {
				snprintf(why, sizeof why, "cannot read directory: %s; its files are not analysed",
					 strerror(errno));
				skip(l, p, why);
			}
		} else if (is_c && !S_ISREG(st.st_mode)) {
			snprintf(why, sizeof why, "is %s, not a regular file: not analysed", util_file_kind(st.st_mode));
			skip(l, p, why);
		} else if (is_c && seen_add(&l->files, &st)) {
			compdb_add(l, p, p, args, nargs);
		}
		free(p);
		free(names[i]);
	}
	free(names);
	return 0;
}

int compdb_add_path(struct input_list *l, const char *path, const char *const *args, int nargs, char *err,
		   size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct compdb_seen seen;
		memset(&seen, 0, sizeof seen);
		seen_add(&seen, &st);
		int r = walk(l, path, args, nargs, 0, &seen);
		free(seen.dev);
		free(seen.ino);
		if (r < 0) {
			snprintf(err, errlen, "cannot read directory: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		/* never opened: a FIFO would block until someone writes to it */
		snprintf(err, errlen, "is %s, not a C file or a directory", util_file_kind(st.st_mode));
		return -1;
	}
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (seen_add(&l->files, &st))
		compdb_add(l, path, path, args, nargs);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* compile_commands.json                                                                       */
/* ------------------------------------------------------------------------------------------ */

static char *join_path(const char *dir, const char *p)
{
	if (p[0] == '/' || !dir || !*dir)
		return util_xstrdup(p);
	size_t len = strlen(dir) + strlen(p) + 2;
	char *r = util_xrealloc(NULL, len);
	snprintf(r, len, "%s/%s", dir, p);
	return r;
}

static int takes_value(const char *a)
{
	static const char *const opts[] = { "-o", "-MF", "-MQ", "-MT", "-Xclang", "-arch", "-target" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return 0;
}

static int dropped(const char *a)
{
	static const char *const opts[] = { "-c", "-MD", "-MMD", "-M", "-MM", "-MP", "-pipe", "-fanalyzer" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(a, opts[i]))
			return 1;
	return !strncmp(a, "-o", 2) && a[2] != '\0' && a[1] == 'o';
}

static const char *path_opt(const char *a)
{
	static const char *const opts[] = { "-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "--sysroot=", "-isysroot" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strncmp(a, opts[i], strlen(opts[i])))
			return opts[i];
	return NULL;
}

/* The clang arguments of one entry: compiler, output and dependency options and the source
 * itself removed; include paths made absolute. */
static void entry_args(CXCompileCommand cmd, const char *dir, const char *abs_file, char ***out, int *nout)
{
	unsigned n = clang_CompileCommand_getNumArgs(cmd);
	char **args = util_xrealloc(NULL, (n + 1) * sizeof *args);
	int k = 0;
	for (unsigned i = 1; i < n; i++) {
		CXString s = clang_CompileCommand_getArg(cmd, i);
		const char *a = clang_getCString(s);
		if (!a) {
			clang_disposeString(s);
			continue;
		}
		if (takes_value(a) && strcmp(a, "-Xclang") && strcmp(a, "-target") && strcmp(a, "-arch")) {
			i++;
			clang_disposeString(s);
			continue;
		}
		if (dropped(a)) {
			clang_disposeString(s);
			continue;
		}
		if (a[0] != '-') {
			char *p = join_path(dir, a);
			char *c = util_canonical_path(p);
			int same = !strcmp(c, abs_file);
			free(p);
			free(c);
			if (same) {
				clang_disposeString(s);
				continue;
			}
		}
		const char *po = path_opt(a);
		if (po && a[strlen(po)] != '\0') {
			const char *v = a + strlen(po);
			char *p = join_path(dir, v);
			size_t len = strlen(po) + strlen(p) + 1;
			args[k] = util_xrealloc(NULL, len);
			snprintf(args[k], len, "%s%s", po, p);
			k++;
			free(p);
		} else if (po && i + 1 < n) {
			args[k++] = util_xstrdup(a);
			clang_disposeString(s);
			s = clang_CompileCommand_getArg(cmd, ++i);
			args[k++] = join_path(dir, clang_getCString(s));
		} else {
			args[k++] = util_xstrdup(a);
		}
		clang_disposeString(s);
	}
	*out = args;
	*nout = k;
}

static int selected(const char *abs, char *const *sel, int nsel, int *hit)
{
	if (nsel == 0)
		return 1;
	for (int i = 0; i < nsel; i++) {
		size_t n = strlen(sel[i]);
		if (!strcmp(abs, sel[i]) || (!strncmp(abs, sel[i], n) && (abs[n] == '/' || sel[i][n - 1] == '/'))) {
			hit[i] = 1;
			return 1;
		}
	}
	return 0;
}

int compdb_load(struct input_list *l, const char *build_dir, const char *const *selectors, int nselectors,
		const char *const *extra, int nextra, char *err, size_t errlen)
{
	/* -p takes the build directory or the database file itself: then its folder is the build
	 * directory, and a file named otherwise than compile_commands.json reaches libclang (which
	 * reads only that name) as a corrected copy that is */
	char *file, *folder = NULL;
	int renamed = 0;
	struct stat st;
	if (stat(build_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "%s: is %s, not a build directory or a compilation database", build_dir,
				 util_file_kind(st.st_mode));
			return -1;
		}
		file = util_xstrdup(build_dir);
		const char *slash = strrchr(build_dir, '/');
		folder = slash ? util_xstrdup(build_dir) : util_xstrdup(".");
		if (slash)
			folder[slash == build_dir ? 1 : slash - build_dir] = '\0';
		renamed = strcmp(slash ? slash + 1 : build_dir, "compile_commands.json") != 0;
		build_dir = folder;
	} else {
		size_t len = strlen(build_dir) + sizeof "/compile_commands.json";
		file = util_xrealloc(NULL, len);
		snprintf(file, len, "%s/compile_commands.json", build_dir);
	}
	json_error_t je;
	json_t *doc = json_load_file(file, 0, &je);
	if (!doc) {
		if (access(file, R_OK) != 0)
			snprintf(err, errlen, "%s: %s", file, strerror(errno));
		else
			snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", file, je.line, je.column, je.text);
		free(file);
		free(folder);
		return -1;
	}
	if (!json_is_array(doc)) {
		json_decref(doc);
		snprintf(err, errlen, "%s: not a compilation database (expected an array of objects with "
				      "\"directory\", \"file\" and \"command\" or \"arguments\")", file);
		free(file);
		free(folder);
		return -1;
	}
	/* Entries that are not well-formed are named and skipped, the others analysed; a relative
	 * "directory" is taken relative to the database's folder, as clang's tooling does. When
	 * either happens, libclang reads a corrected copy of the database. */
	char *dbdir = util_canonical_path(build_dir);
	json_t *good = json_array();
	int rewritten = renamed;
	for (size_t i = 0; i < json_array_size(doc); i++) {
		json_t *e = json_array_get(doc, i);
		json_t *dir = json_object_get(e, "directory");
		if (!json_is_object(e) || !json_is_string(json_object_get(e, "file")) || !json_is_string(dir) ||
		    (!json_is_string(json_object_get(e, "command")) && !json_is_array(json_object_get(e, "arguments")))) {
			char why[200];
			snprintf(why, sizeof why,
				 "entry %zu is not an object with \"directory\", \"file\" and \"command\" or "
				 "\"arguments\": skipped",
				 i);
			skip(l, file, why);
			rewritten = 1;
			continue;
		}
		json_t *copy = json_deep_copy(e);
		const char *d = json_string_value(dir);
		if (d[0] != '/') {
			char *abs = join_path(dbdir, d);
			json_object_set_new(copy, "directory", json_string(abs));
			free(abs);
			rewritten = 1;
		}
		json_array_append_new(good, copy);
	}
	json_decref(doc);
	free(dbdir);
	char tmpdir[4096] = "", tmpfile[4200] = "";
	if (rewritten) {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/rccheck-compdb-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpdir)) {
			snprintf(err, errlen, "%s: cannot write a corrected copy in %s: %s", file, t && *t ? t : "/tmp",
				 strerror(errno));
			json_decref(good);
			free(file);
			free(folder);
			return -1;
		}
		snprintf(tmpfile, sizeof tmpfile, "%s/compile_commands.json", tmpdir);
		if (json_dump_file(good, tmpfile, 0) != 0) {
			snprintf(err, errlen, "%s: cannot write a corrected copy in %s", file, tmpdir);
			unlink(tmpfile);
			rmdir(tmpdir);
			json_decref(good);
			free(file);
			free(folder);
			return -1;
		}
	}
	json_decref(good);
	CXCompilationDatabase_Error dberr;
	CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(rewritten ? tmpdir : build_dir, &dberr);
	if (rewritten) { /* libclang has read it */
		unlink(tmpfile);
		rmdir(tmpdir);
	}
	if (!db || dberr != CXCompilationDatabase_NoError) {
		snprintf(err, errlen, "%s: cannot be loaded", file);
		free(file);
		free(folder);
		if (db)
			clang_CompilationDatabase_dispose(db);
		return -1;
	}
	free(file);
	free(folder);
	char **sel = util_xrealloc(NULL, (size_t)(nselectors > 0 ? nselectors : 1) * sizeof *sel);
	int *hit = calloc((size_t)(nselectors > 0 ? nselectors : 1), sizeof *hit);
	if (!hit)
		abort();
	for (int i = 0; i < nselectors; i++)
		sel[i] = util_canonical_path(selectors[i]);
	CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
	unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
	char **seen = NULL;
	size_t nseen = 0;
	for (unsigned i = 0; i < n; i++) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
		CXString d = clang_CompileCommand_getDirectory(cmd);
		CXString f = clang_CompileCommand_getFilename(cmd);
		char *p = join_path(clang_getCString(d), clang_getCString(f));
		char *abs = util_canonical_path(p);
		free(p);
		int dup = 0;
		for (size_t k = 0; k < nseen; k++)
			if (!strcmp(seen[k], abs))
				dup = 1;
		if (!dup && ends_with_c(abs) && selected(abs, sel, nselectors, hit)) {
			char **args;
			int nargs;
			entry_args(cmd, clang_getCString(d), abs, &args, &nargs);
			args = util_xrealloc(args, (size_t)(nargs + nextra + 1) * sizeof *args);
			for (int k = 0; k < nextra; k++)
				args[nargs++] = util_xstrdup(extra[k]);
			char *disp = util_display_path(abs);
			compdb_add(l, disp, abs, (const char *const *)args, nargs);
			free(disp);
			for (int k = 0; k < nargs; k++)
				free(args[k]);
			free(args);
			seen = util_xrealloc(seen, (nseen + 1) * sizeof *seen);
			seen[nseen++] = util_xstrdup(abs);
		}
		free(abs);
		clang_disposeString(d);
		clang_disposeString(f);
	}
	if (cmds)
		clang_CompileCommands_dispose(cmds);
	clang_CompilationDatabase_dispose(db);
	int rc = 0;
	/* selected files that have no entry: analysed with the extra arguments alone */
	for (int i = 0; i < nselectors; i++) {
		if (hit[i])
			continue;
		struct stat st;
		if (stat(selectors[i], &st) == 0 && S_ISREG(st.st_mode)) {
			compdb_add(l, selectors[i], selectors[i], extra, nextra);
		} else if (stat(selectors[i], &st) != 0) {
			snprintf(err, errlen, "%s: %s", selectors[i], strerror(errno));
			rc = -2;
		}
	}
	for (size_t k = 0; k < nseen; k++)
		free(seen[k]);
	free(seen);
	for (int i = 0; i < nselectors; i++)
		free(sel[i]);
	free(sel);
	free(hit);
	return rc;
}
