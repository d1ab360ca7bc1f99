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

#endif
