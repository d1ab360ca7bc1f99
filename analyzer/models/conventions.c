/*
 * conventions.c - an API's conventions read from model files (conventions.h).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "models/conventions.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[CONV_NKINDS] = {
	[CONV_API_PREFIX] = "api-prefix",
	[CONV_STEAL_WORD] = "steal-word",
	[CONV_UNTRACK] = "untrack",
	[CONV_ERROR_SET] = "error-set",
	[CONV_ERROR_CLEAR] = "error-clear",
	[CONV_ERROR_QUERY] = "error-query",
	[CONV_ERROR_ON_FAILURE] = "error-on-failure",
	[CONV_ERROR_MAYBE] = "error-maybe",
	[CONV_FAILS_ON_MEMORY] = "fails-on-memory",
	[CONV_MODULE_INIT] = "module-init",
	[CONV_CALLBACK_ALWAYS] = "callback-always",
	[CONV_RETURNS_NEW_TYPE] = "returns-new-type",
};

const char *conv_kind_list(void)
{
	return "api-prefix, steal-word, untrack, error-set, error-clear, error-query, error-on-failure, error-maybe, fails-on-memory, module-init, callback-always, returns-new-type";
}

int conv_add(struct conventions *c, const char *kind, const char *name)
{
	int k = -1;
	for (int i = 0; i < CONV_NKINDS; i++)
		if (!strcmp(kind, kind_names[i]))
			k = i;
	if (k < 0 || !*name) {
		errno = EINVAL;
		return -1;
	}
	if (conv_is(c, (enum conv_kind)k, name))
		return 0;
	if (c->n[k] == c->cap[k]) {
		size_t cap = c->cap[k] ? c->cap[k] * 2 : 8;
		char **v = realloc(c->names[k], cap * sizeof *v);
		if (!v)
			return -1;
		c->names[k] = v;
		c->cap[k] = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return -1;
	c->names[k][c->n[k]++] = copy;
	return 0;
}

void conv_free(struct conventions *c)
{
	for (int k = 0; k < CONV_NKINDS; k++) {
		for (size_t i = 0; i < c->n[k]; i++)
			free(c->names[k][i]);
		free(c->names[k]);
	}
	memset(c, 0, sizeof *c);
}

int conv_is(const struct conventions *c, enum conv_kind kind, const char *name)
{
	if (!c || !name)
		return 0;
	for (size_t i = 0; i < c->n[kind]; i++)
		if (!strcmp(c->names[kind][i], name))
			return 1;
	return 0;
}

int conv_has_prefix(const struct conventions *c, enum conv_kind kind, const char *name)
{
	if (!c || !name)
		return 0;
	for (size_t i = 0; i < c->n[kind]; i++)
		if (!strncmp(name, c->names[kind][i], strlen(c->names[kind][i])))
			return 1;
	return 0;
}

int conv_name_says_steal(const struct conventions *c, const char *name)
{
	if (!c || !name)
		return 0;
	for (size_t i = 0; i < c->n[CONV_STEAL_WORD]; i++) {
		const char *w = c->names[CONV_STEAL_WORD][i];
		size_t len = strlen(w);
		for (const char *p = name; *p; p++)
			if (!strncasecmp(p, w, len))
				return 1;
	}
	return 0;
}
