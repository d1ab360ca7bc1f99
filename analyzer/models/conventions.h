/*
 * conventions.h - the conventions of an API that are not facts about one function: which name
 * prefixes belong to an API modelled whole, which word in a function's name says it takes its
 * argument over, which calls untrack an object from its collector, which set, clear and query
 * the API's error indicator. They are read from `convention KIND NAME...` lines of model files
 * (docs/model-format.md), so that the engine and the checks never spell an API's name: they
 * ask these predicates.
 */
#ifndef RCCHECK_MODELS_CONVENTIONS_H
#define RCCHECK_MODELS_CONVENTIONS_H

#include <stddef.h>

enum conv_kind {
	CONV_API_PREFIX,       /* api-prefix P: every function named P... is modelled; an unknown
				* one borrows its arguments (the API's convention) */
	CONV_STEAL_WORD,       /* steal-word W: a function whose name contains W (any case) takes
				* over the references it is handed and releases */
	CONV_UNTRACK,          /* untrack NAME: the call removes an object from its collector */
	CONV_ERROR_SET,        /* error-set NAME: the call sets the error indicator */
	CONV_ERROR_CLEAR,      /* error-clear NAME: the call clears it (or fetches it away) */
	CONV_ERROR_QUERY,      /* error-query NAME: the result is not NULL exactly when it is set */
	CONV_ERROR_ON_FAILURE, /* error-on-failure P: a modelled call named P... that fails sets it */
	CONV_ERROR_MAYBE,      /* error-maybe P: after a call named P..., whether it is set is not
				* known (errors reported in band, a saved error restored) */
	CONV_FAILS_ON_MEMORY,  /* fails-on-memory P: a call named P... fails only when memory runs out
				* (a finding that needs its failure is of low severity) */
	CONV_MODULE_INIT,      /* module-init P: a function named P... runs once, when the module is
				* imported (its findings need a failed import: low severity) */
	CONV_CALLBACK_ALWAYS,  /* callback-always P: a call named P... handed objects with a destroy
				* callback calls it even when it fails (sqlite3_create_function_v2):
				* the objects are taken over on every outcome */
	CONV_RETURNS_NEW_TYPE, /* returns-new-type TAG: a function returning a pointer to struct TAG
				* that nothing models and no file of the tree defines is guessed to
				* return a new reference (cpychecker's convention for PyObject *) */
	CONV_NKINDS,
};

struct conventions {
	char **names[CONV_NKINDS];
	size_t n[CONV_NKINDS], cap[CONV_NKINDS];
};

/* Adds NAME under the kind spelled `kind` ("api-prefix"...); -1 for an unknown kind (or out of
 * memory, with errno set). */
int conv_add(struct conventions *c, const char *kind, const char *name);
void conv_free(struct conventions *c);
/* Names of the kinds, for messages: "api-prefix, steal-word, ...". */
const char *conv_kind_list(void);

/* Exact membership: conv_is(c, CONV_UNTRACK, "PyObject_GC_UnTrack"). c may be NULL (no). */
int conv_is(const struct conventions *c, enum conv_kind kind, const char *name);
/* Whether name starts with one of the prefixes of kind. */
int conv_has_prefix(const struct conventions *c, enum conv_kind kind, const char *name);

/* An unknown function of an API modelled whole borrows its arguments. */
static inline int conv_api_borrows(const struct conventions *c, const char *name)
{
	return conv_has_prefix(c, CONV_API_PREFIX, name);
}

/* A function named for taking its argument over (`_steal_accumulate`, `list_append_steal`). */
int conv_name_says_steal(const struct conventions *c, const char *name);

#endif
