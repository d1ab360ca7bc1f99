/*
 * util.h - allocation that cannot fail quietly: on out-of-memory rccheck prints one line and
 * aborts (an analysis with a missing piece would be worse than none).
 */
#ifndef RCCHECK_UTIL_H
#define RCCHECK_UTIL_H

#include <stddef.h>

void *util_xrealloc(void *p, size_t n);
void *util_xcalloc(size_t n, size_t size);
char *util_xstrdup(const char *s); /* NULL is copied as "" */
/* realpath(p), or a copy of p when it does not exist (a new string). */
char *util_canonical_path(const char *p);
/* An absolute path as printed: relative to the working directory when under it (a new string). */
char *util_display_path(const char *abs);


/*
 * Reads the whole of a regular file into a new NUL-terminated buffer (*out, *len). Nothing but
 * a regular file is read: a FIFO, a device or a socket is refused without blocking (opened with
 * O_NONBLOCK, checked with fstat), and so is a file of more than max bytes (also one that grows
 * past max while it is read: /dev/zero through a link is still a device). Returns 0, or -1 with
 * a message in err (without the path: "not a regular file (a FIFO)", "1234567 bytes: larger than
 * the limit of ..."). what names the file's role in the size message ("a model file").
 */
int util_read_file(const char *path, size_t max, const char *what, char **out, size_t *len, char *err,
		   size_t errlen);
/* "a FIFO", "a character device", ... for a mode that is not a regular file. */
const char *util_file_kind(unsigned mode); /* st_mode */
/* qsort/bsearch comparator for an array of strings (elements are const char *). */
int util_cmp_str(const void *a, const void *b);
/* The same for an array of size_t. */
int util_cmp_size(const void *a, const void *b);

#endif
