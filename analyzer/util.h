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
/*
 * The memory meter of the file a thread is working on (--file-memory, docs/analyzer.md "Memory
 * limit"). The driver binds one per file and stage to the worker thread that runs it; the places
 * that hold a file's memory say how much they hold now:
 *   tu      libclang's parse of the file (clang_getCXTUResourceUsage), set after the parse and
 *           cleared when the parse is disposed of (frontend.c);
 *   ir      the file's IR (arena and node arrays), grown as functions are lowered (frontend.c);
 *   engine  the exploration of the function being analysed: its stored states, records, memo
 *           table and stack (explore.c, every ENG_METER_STEPS steps and at the end).
 * util_meter_check() adds them up against the limit; the first time the sum passes it, `over`
 * records where (a UTIL_METER_* stage) and what (the function, when one), and from then on the
 * lowering and the engine stop cooperatively: the driver reports the file as not analysed.
 * Without a bound meter (the in-memory entry point, unit tests) every call is a no-op that
 * returns 0. The sum is what rccheck can see of a file, not the process's memory: allocator
 * overhead, malloc fragmentation and libclang's memory outside the TU are not in it (the driver's
 * ceiling on the whole process covers them, driver.c).
 */
enum { UTIL_METER_NONE, UTIL_METER_PARSE, UTIL_METER_LOWER, UTIL_METER_ANALYSE };
struct util_meter {
	size_t limit; /* bytes; 0: no limit */
	size_t tu, ir, engine;
	size_t peak;  /* the largest sum seen by util_meter_check */
	int over;     /* UTIL_METER_*: the stage at which the sum first passed the limit */
	size_t over_bytes; /* the sum then */
	char what[200];    /* the function being lowered or analysed then ("" if none) */
};
/* Binds m (NULL: none) to the calling thread; returns the meter bound before. */
struct util_meter *util_meter_bind(struct util_meter *m);
struct util_meter *util_meter_current(void); /* the calling thread's meter, or NULL */
/* Checks the bound meter's sum against its limit during stage (UTIL_METER_*) while working on
 * what (may be NULL); returns 1 when the file is over its limit (now or earlier), else 0. */
int util_meter_check(int stage, const char *what);
/* Whether the bound meter went over its limit (cheap: for loops that stop cooperatively). */
int util_meter_over(void);

/* qsort/bsearch comparator for an array of strings (elements are const char *). */
int util_cmp_str(const void *a, const void *b);
/* The same for an array of size_t. */
int util_cmp_size(const void *a, const void *b);

#endif
