/*
 * model.h - what a call does to reference counts: one record per function, looked up by name.
 * Filled from model files (docs/model-format.md), CPython's refcounts.dat, the built-in models
 * embedded at build time (analyzer/models/ (*.model)), annotate attributes read by the front end,
 * and summaries inferred for functions of the same translation unit. Nothing here depends on
 * libclang.
 *
 * Argument masks: bit N-1 stands for argument N (1-based, as in the model files); only the
 * first 32 arguments can carry ownership effects.
 */
#ifndef RCCHECK_MODEL_H
#define RCCHECK_MODEL_H

#include <stdint.h>
#include <stddef.h>

enum model_ret {
	MODEL_RET_NONE,     /* void or not an object */
	MODEL_RET_NEW,      /* returns a new reference the caller owns */
	MODEL_RET_BORROWED, /* returns a borrowed reference */
	MODEL_RET_INT,      /* returns a status code */
};

enum model_flags {
	MODEL_NULL_ON_FAILURE = 1u << 0,
	MODEL_NEG_ON_FAILURE = 1u << 1,
	MODEL_NORETURN = 1u << 2,
	MODEL_HEURISTIC = 1u << 3, /* guessed from the name: only count changes for rc-inconsistent */
	MODEL_MAY_RETURN_NULL = 1u << 4, /* may return NULL without it being a failure */
	MODEL_ZERO_ON_FAILURE = 1u << 5, /* int result: 0 on failure, non-zero on success */
	MODEL_RETURN_STMT = 1u << 6,     /* a macro that is a whole return statement */
	MODEL_SETREF_X = 1u << 7,        /* setref: the old value may be NULL (xsetref) */
	MODEL_ZERO_ON_SUCCESS = 1u << 8, /* neg-on-failure int result that is exactly 0 on success */
	MODEL_SMALL_INT = 1u << 9,       /* never fails for an argument 1 in -5..256 (a small int) */
	MODEL_THREE_WAY = 1u << 10,      /* int result 1 / 0 / -1: the out-new arguments receive a new
					  * reference on 1 only and NULL on 0 and -1; the exception is
					  * set on -1 only (PyDict_GetItemRef) */
	MODEL_FLOATING = 1u << 14, /* new: a floating reference (GVariant constructors, GInitiallyUnowned):
				    * sunk by a call it is handed to (docs/model-format.md) */
	MODEL_FRESH = 1u << 13, /* summaries: what it returns is a new object only the caller holds
				 * (from a constructor on every path): never a static object such as Py_None */
	MODEL_EMPTY_NEVER_FAILS = 1u << 12, /* never fails for a constant argument 1 of 0 (PyTuple_New(0):
					      * the empty tuple CPython keeps) */
	MODEL_MAYBE_FLOATING = 1u << 18, /* new: floating or not, by a run-time type (g_object_new): an
					   * ordinary reference, except that a `sinks` call takes it over */
	MODEL_CALLBACK_DATA = 1u << 19, /* the notify pair (notify_data, notify_fn) is an async callback
					  * and its data (callback-data=D,C): a reference handed as D
					  * escapes to the callback, which may keep or drop it */
	MODEL_ONE_ON_SUCCESS = 1u << 20, /* zero-on-failure int result that is exactly 1 on success
					   * (a gboolean: `if (f (&error) == TRUE)`) */
	MODEL_FETCHES = 1u << 17,        /* the out-new arguments receive the error indicator (PyErr_Fetch):
					  * all NULL when none is set; the first not NULL when one is */
	MODEL_NEVER_NULL = 1u << 16,     /* a pointer result that is never NULL (the address of storage
					  * inside argument 1: PyBytes_AS_STRING) */
	MODEL_GUESSED = 1u << 15,        /* a guess from a convention (returns-new-type): the call is
					  * otherwise unknown (arguments not followed), and a finding
					  * that rests on its result is held back as a guess */
	MODEL_ERROR_QUERY = 1u << 11,    /* summaries: the result tells whether the error indicator is
					  * set (not NULL / not 0 exactly then): a helper returning
					  * PyErr_Occurred() or a test of it */
};

enum model_origin {
	MODEL_FROM_FILE,
	MODEL_FROM_BUILTIN,
	MODEL_FROM_ANNOTATION,
	MODEL_FROM_SUMMARY,
	MODEL_FROM_NAME,
};

/* The format languages of format-build (format-lang=NAME). */
enum model_format_lang {
	MODEL_FORMAT_PYTHON,  /* Py_BuildValue: N steals, O and S do not */
	MODEL_FORMAT_JANSSON, /* json_pack: o steals (even on failure), O does not */
};

/* Per-argument effects; each is a mask over arguments (see model_mask()). */
enum model_arg_kind {
	MODEL_STEALS,       /* always taken over */
	MODEL_STEALS_OK,    /* taken over when the call succeeds */
	MODEL_RELEASES,     /* one reference released */
	MODEL_ACQUIRES,     /* one reference added */
	MODEL_CLEARS,       /* address of a field/var: released and set to NULL */
	MODEL_ACCEPTS_NULL, /* NULL allowed */
	MODEL_OUT_NEW,      /* PyObject **: receives a new reference */
	MODEL_OUT_BORROWED, /* PyObject **: receives a borrowed reference */
	MODEL_COUNT_UP,     /* summaries: the count of the argument goes up (p->refcnt++), no ownership */
	MODEL_COUNT_DOWN,   /* summaries: the count goes down */
	MODEL_MAY_TAKE,     /* summaries: released on some paths only: the caller no longer knows */
	MODEL_FREES,        /* the object's memory is freed: an owned reference is given up with it;
			     * not a reference operation on a borrowed one (tp_free(self) in tp_dealloc) */
	MODEL_NONNULL,      /* NULL there is an error: the call crashes or fails (rc-null-argument) */
	MODEL_SINKS,        /* ref_sink: a floating reference becomes an ordinary one (no count
			     * change); another gets one more reference */
	MODEL_OUT_NEW_FAIL, /* T **: receives a new reference only when the call fails (GError **);
			     * left as it was on success */
	MODEL_EMBEDDED,     /* the address of a count embedded in an object (&obj->ref, kref): the
			     * call's effects on the argument are the object's */
	MODEL_FAILS_ON_NULL, /* NULL there makes the call fail (an error, not a crash): on success the
			      * argument was not NULL (PyModule_AddObject's value) */
	MODEL_NARG_KINDS,
};

struct model_fn {
	const char *name;
	uint8_t ret;    /* enum model_ret */
	uint32_t flags; /* enum model_flags */
	uint8_t origin; /* enum model_origin */
	uint32_t arg[MODEL_NARG_KINDS];     /* bit N-1: argument N */
	uint32_t arg_end[MODEL_NARG_KINDS]; /* bit N-1: argument -N (counted from the last) */
	int8_t borrowed_from;   /* 1-based argument the result is borrowed from, 0: none */
	int8_t held_by;         /* 1-based argument that holds the result like a field (Py_TYPE) */
	int8_t nonnull_if_true; /* 1-based argument known not NULL when the int result is non-zero */
	int8_t element_of;      /* 1-based argument (a container) that keeps the new result alive */
	int8_t index_arg;       /* 1-based index argument: the call fails only when it is out of the
				 * range of argument 1, the container (PyTuple_GetItem) */
	int8_t size_of;         /* 1-based argument whose size the int result is (PyTuple_GET_SIZE) */
	int8_t size_arg;        /* 1-based argument that is the size of the new container the call
				 * returns (PyTuple_New(n)), for index-arg */
	int8_t format_parse;    /* 1-based format argument ('O' outputs borrowed refs), 0: none */
	int8_t format_args;     /* 1-based first argument the format's units fill, 0: the one after
				 * the format (PyArg_ParseTupleAndKeywords: 5, after the keyword list) */
	int8_t format_build;    /* 1-based format argument ('N' steals), 0: none */
	int8_t returns_arg;     /* 1-based argument the result is (new: a new reference to it) */
	int8_t unpack_borrowed; /* arguments from this one on receive borrowed references */
	int8_t setref_dst, setref_src; /* Py_SETREF(dst, src), 1-based */
	int8_t notify_data, notify_fn; /* notify-takes=D,K: D is taken over when K (its destroy
					* notify) is not NULL; 1-based, 0: none */
	uint8_t format_lang; /* enum model_format_lang: the language of format_build's format */
};

/* The effective mask of one kind for a call with nargs arguments (bit k: argument k+1). */
static inline uint32_t model_mask(const struct model_fn *m, enum model_arg_kind kind, uint32_t nargs);

/* Arguments that may be NULL: accepts-null, xreleases/xacquires, and the operands of setref
 * (the new value may be NULL) and clears (an address). */
static inline uint32_t model_null_ok(const struct model_fn *m, uint32_t nargs)
{
	if (!m)
		return ~0u;
	uint32_t r = model_mask(m, MODEL_ACCEPTS_NULL, nargs) | model_mask(m, MODEL_CLEARS, nargs);
	if (m->setref_dst > 0)
		r |= 1u << (m->setref_dst - 1);
	if (m->setref_src > 0)
		r |= 1u << (m->setref_src - 1);
	/* Py_BuildValue's objects: a NULL one makes it return NULL (docs arg.rst, "O") */
	if (m->format_build > 0 && m->format_build < 32)
		r |= ~0u << m->format_build;
	return r;
}

static inline uint32_t model_mask(const struct model_fn *m, enum model_arg_kind kind, uint32_t nargs)
{
	if (!m)
		return 0;
	uint32_t r = m->arg[kind];
	uint32_t e = m->arg_end[kind];
	for (uint32_t n = 1; e && n <= 32; n++, e >>= 1)
		if ((e & 1u) && n <= nargs && nargs - n < 32)
			r |= 1u << (nargs - n);
	return r;
}

struct model;

struct model *model_new(void);
void model_free(struct model *m);
/* Parses one model file's text (our format, or refcounts.dat detected by its shape). Later
 * definitions of a name replace earlier ones. Returns 0, or -1 with a message "LINE: what" in
 * err. origin is stored in every record. */
int model_parse(struct model *m, const char *text, size_t len, const char *source, uint8_t origin,
		char *err, size_t errlen);
/* Reads a file and parses it; -1 with a message in err on failure. Only a regular file of at
 * most MODEL_FILE_MAX bytes is read (a FIFO or a device is refused without blocking: util.h);
 * the largest real model, CPython's refcounts.dat, is about 80 KB. */
#define MODEL_FILE_MAX ((size_t)64 << 20)
int model_load_file(struct model *m, const char *path, char *err, size_t errlen);
/* Loads the models embedded at build time. */
int model_load_builtin(struct model *m, char *err, size_t errlen);
/* Exact names first, then the longest matching prefix pattern; NULL when unknown. */
const struct model_fn *model_lookup(const struct model *m, const char *name);
size_t model_count(const struct model *m);
/* Calls fn for every record with an exact name ("global:NAME" lines too, prefix patterns not),
 * in no particular order; stops early when fn returns non-zero. */
void model_foreach(const struct model *m, int (*fn)(const struct model_fn *rec, void *ctx), void *ctx);
/* The `convention` lines of every file loaded (models/conventions.h). */
struct conventions;
const struct conventions *model_conventions(const struct model *m);
/* Whether a "global NAME borrowed" line names this global object (prefix patterns included). */
int model_global_borrowed(const struct model *m, const char *name);

/* Guesses count effects from a function name (get/ref/put/unref...): only for rc-inconsistent.
 * Fills *out and returns 1 when the name looks like a count API. */
int model_guess_from_name(const char *name, struct model_fn *out);

/* The embedded model files (generated at build time: models_data.c). */
struct model_embedded {
	const char *name;
	const char *text;
	size_t len;
	int by_name; /* loaded only when named (--model glib), not with the built-ins */
};

/* The embedded model selected by a short name ("glib" is glib.model), or NULL: a name without
 * '/' and '.' for which no file exists. */
const struct model_embedded *model_builtin_named(const char *name);
extern const struct model_embedded model_embedded_files[];
extern const size_t model_embedded_count;

#endif
