/* Macros of a header for cfg/macro_operators.c: operators written only in macro bodies of an
 * included file, one of them defined differently under #if branches. */
#ifndef MACRO_OPERATORS_H
#define MACRO_OPERATORS_H

#define IS_MISSING(o) ((o) == NULL)
#define IS_PRESENT(o) (NULL != (o))
#define FAILED(status) ((status) < 0)
#define BOTH(a, b) ((a) && (b))
#define NOT_FLAG(f) (!(f))

/* direct count updates of a kernel-style object, written only in macros */
#define DEV_HOLD(d) ((d)->refcnt += 1)
#define DEV_DROP(d) ((d)->refcnt--)
#define DEV_PIN(d) (++(d)->refcnt)

#ifdef MACRO_OPERATORS_STRICT
#define USABLE(o, flag) ((o) != NULL && (flag) > 0)
#else
#define USABLE(o, flag) ((o) != NULL && !(flag))
#endif

#endif
