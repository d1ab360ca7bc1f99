/*
 * compdb.h - inputs: source paths (files, directories walked recursively) and entries of a
 * compile_commands.json (read with libclang's CXCompilationDatabase, validated with jansson
 * first so that a broken file gets a precise message).
 */
#ifndef RCCHECK_COMPDB_H
#define RCCHECK_COMPDB_H

#include <stddef.h>
#include <sys/types.h>

struct input {
	char *display; /* path printed in output */
	char *source;  /* path given to clang */
	char **args;   /* compiler arguments (owned) */
	int nargs;
	/* the checks turned off for this file by its own .rccheck (driver/config.h; not owned),
	 * NULL: the run's */
	const unsigned char *disabled;
};

/* Files already taken from PATH arguments, by (device, inode): a file named twice, or named
 * and also reached through a directory or a symbolic link, is analysed once. */
struct compdb_seen {
	dev_t *dev;
	ino_t *ino;
	size_t n, cap;
};

/* What a directory walk met and could not take: each is named, with why, as an input error
 * (docs/analyzer.md, "Command line"). */
struct compdb_skip {
	char *path;
	char *why;
};

struct input_list {
	struct input *v;
	size_t n, cap;
	struct compdb_seen files; /* PATH inputs only: database entries may repeat a file on purpose */
	struct compdb_skip *skipped;
	size_t nskipped, cap_skipped;
};

void compdb_list_free(struct input_list *l);
/* Adds one input; args are copied. */
void compdb_add(struct input_list *l, const char *display, const char *source, const char *const *args, int nargs);
/*
 * Adds PATH (a .c file, or a directory walked recursively for .c files in sorted order) with
 * args. Returns 0, or -1 with a message in err when PATH does not exist, cannot be read or is
 * not a regular file or a directory (a FIFO is refused, never opened). What the walk skips is
 * appended to l->skipped: a subdirectory it cannot read, one deeper than COMPDB_MAX_DEPTH
 * levels below PATH, an entry it cannot stat for another reason than a dangling link, and an
 * entry named *.c that is a dangling or looping symbolic link or not a regular file. A
 * directory reached again (a link to an ancestor) is not walked twice and not reported: its
 * files are taken through the first way. Entries whose names start with '.' are not looked at.
 */
#define COMPDB_MAX_DEPTH 64
int compdb_add_path(struct input_list *l, const char *path, const char *const *args, int nargs, char *err,
		   size_t errlen);

/*
 * Adds the entries of BUILD_DIR/compile_commands.json (or of the database file BUILD_DIR names,
 * whatever its name: -p accepts either). selectors (may be empty) restrict them
 * to files equal to, or under, one of the given paths; a selected file with no entry is added
 * with fallback_args; extra args are appended to every entry. Returns 0, or -1 with a message
 * in err (missing or unparsable database). On -1 for a selector only, entries were still added
 * and *bad_selector names it.
 */
int compdb_load(struct input_list *l, const char *build_dir, const char *const *selectors, int nselectors,
		const char *const *extra, int nextra, char *err, size_t errlen);

#endif
