/*
 * model.c - the call model: parsing of model files (docs/model-format.md), CPython's
 * refcounts.dat, the embedded built-in models, and lookup by name (exact, then prefix).
 */
#include "models/model.h"

#include "models/conventions.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct model {
	struct model_fn *recs; /* open addressing by name; name == NULL: empty slot */
	size_t cap, count;
	struct model_fn *prefixes; /* patterns "NAME*" (name stored without the '*') */
	size_t nprefix, cap_prefix;
	struct conventions conv; /* `convention KIND NAME...` lines */
};

const struct conventions *model_conventions(const struct model *m)
{
	return m ? &m->conv : NULL;
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct model *model_new(void)
{
	struct model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 256;
	m->recs = calloc(m->cap, sizeof *m->recs);
	if (!m->recs) {
		free(m);
		return NULL;
	}
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free((char *)m->recs[i].name);
	for (size_t i = 0; i < m->nprefix; i++)
		free((char *)m->prefixes[i].name);
	free(m->recs);
	free(m->prefixes);
	conv_free(&m->conv);
	free(m);
}

int model_global_borrowed(const struct model *m, const char *name)
{
	char gname[512];
	if (!m || !name || snprintf(gname, sizeof gname, "global:%s", name) >= (int)sizeof gname)
		return 0;
	return model_lookup(m, gname) != NULL;
}

size_t model_count(const struct model *m)
{
	return m->count + m->nprefix;
}

void model_foreach(const struct model *m, int (*fn)(const struct model_fn *rec, void *ctx), void *ctx)
{
	for (size_t i = 0; m && i < m->cap; i++)
		if (m->recs[i].name && fn(&m->recs[i], ctx))
			return;
}

static struct model_fn *find_slot(struct model_fn *recs, size_t cap, const char *name)
{
	size_t i = (size_t)hash_name(name) & (cap - 1);
	while (recs[i].name && strcmp(recs[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &recs[i];
}

static int grow(struct model *m)
{
	size_t ncap = m->cap * 2;
	struct model_fn *n = calloc(ncap, sizeof *n);
	if (!n)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->recs[i].name)
			*find_slot(n, ncap, m->recs[i].name) = m->recs[i];
	free(m->recs);
	m->recs = n;
	m->cap = ncap;
	return 0;
}

/* Stores a copy of rec (its name is duplicated); a later record for a name replaces the earlier. */
static int model_put(struct model *m, const struct model_fn *rec)
{
	size_t len = strlen(rec->name);
	if (len > 1 && rec->name[len - 1] == '*') {
		for (size_t i = 0; i < m->nprefix; i++) {
			if (strlen(m->prefixes[i].name) == len - 1 && !strncmp(m->prefixes[i].name, rec->name, len - 1)) {
				const char *keep = m->prefixes[i].name;
				m->prefixes[i] = *rec;
				m->prefixes[i].name = keep;
				return 0;
			}
		}
		if (m->nprefix == m->cap_prefix) {
			size_t nc = m->cap_prefix ? m->cap_prefix * 2 : 8;
			struct model_fn *p = realloc(m->prefixes, nc * sizeof *p);
			if (!p)
				return -1;
			m->prefixes = p;
			m->cap_prefix = nc;
		}
		char *name = malloc(len);
		if (!name)
			return -1;
		memcpy(name, rec->name, len - 1);
		name[len - 1] = '\0';
		m->prefixes[m->nprefix] = *rec;
		m->prefixes[m->nprefix++].name = name;
		return 0;
	}
	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	struct model_fn *slot = find_slot(m->recs, m->cap, rec->name);
	if (slot->name) {
		const char *keep = slot->name;
		*slot = *rec;
		slot->name = keep;
	} else {
		char *name = malloc(len + 1);
		if (!name)
			return -1;
		memcpy(name, rec->name, len + 1);
		*slot = *rec;
		slot->name = name;
		m->count++;
	}
	/* a `nonnull NAME` line read before keeps applying to NAME's record (directive_nonnull) */
	if (!strchr(rec->name, ':')) {
		char dname[512];
		if (snprintf(dname, sizeof dname, "nonnull:%s", rec->name) < (int)sizeof dname) {
			const struct model_fn *d = find_slot(m->recs, m->cap, dname);
			for (int k = 0; d->name && k < 2; k++) {
				int kind = k ? MODEL_FAILS_ON_NULL : MODEL_NONNULL;
				slot->arg[kind] |= d->arg[kind];
				slot->arg_end[kind] |= d->arg_end[kind];
			}
		}
	}
	return 0;
}

static int parse_args_kind(struct model_fn *r, const char *val, enum model_arg_kind kind);

/* "nonnull NAME ARGS" (kind MODEL_NONNULL) and "fails-on-null NAME ARGS" (MODEL_FAILS_ON_NULL):
 * add to NAME's record, whichever file defines it and whether before or after (the CPython facts
 * the verifier found by execution, cpython-nonnull.model, stay apart from the ownership lines).
 * Kept as a record "nonnull:NAME" that model_put() merges from. */
static int directive_nonnull(struct model *m, const char *name, const char *args, uint8_t origin,
			     enum model_arg_kind kind)
{
	char dname[512];
	if (snprintf(dname, sizeof dname, "nonnull:%s", name) >= (int)sizeof dname)
		return -1;
	struct model_fn d;
	memset(&d, 0, sizeof d);
	if (parse_args_kind(&d, args, kind) < 0)
		return -1;
	const struct model_fn *old = model_lookup(m, dname);
	if (old && !strcmp(old->name, dname)) {
		for (int k = 0; k < MODEL_NARG_KINDS; k++) {
			d.arg[k] |= old->arg[k];
			d.arg_end[k] |= old->arg_end[k];
		}
	}
	d.name = dname;
	d.origin = origin;
	if (model_put(m, &d) < 0)
		return -1;
	struct model_fn *rec = find_slot(m->recs, m->cap, name);
	if (rec->name) {
		rec->arg[kind] |= d.arg[kind];
		rec->arg_end[kind] |= d.arg_end[kind];
	}
	return 0;
}

const struct model_fn *model_lookup(const struct model *m, const char *name)
{
	if (!m || !name || !*name)
		return NULL;
	const struct model_fn *slot = find_slot(m->recs, m->cap, name);
	if (slot->name)
		return slot;
	const struct model_fn *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < m->nprefix; i++) {
		size_t l = strlen(m->prefixes[i].name);
		if (l > best_len && !strncmp(name, m->prefixes[i].name, l)) {
			best = &m->prefixes[i];
			best_len = l;
		}
	}
	return best;
}

/* ------------------------------------------------------------------------------------------ */
/* Our format                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Parses "N[,M...]" (1-based; negative: counted from the last argument) into two masks. */
static int parse_arglist2(const char *s, uint32_t *pos, uint32_t *end)
{
	if (!*s)
		return -1;
	while (*s) {
		char *e;
		errno = 0;
		long n = strtol(s, &e, 10);
		if (e == s || errno || n == 0 || n > 32 || n < -32)
			return -1;
		if (n > 0)
			*pos |= 1u << (n - 1);
		else
			*end |= 1u << (-n - 1);
		s = e;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

static int parse_args_kind(struct model_fn *r, const char *val, enum model_arg_kind kind)
{
	return parse_arglist2(val, &r->arg[kind], &r->arg_end[kind]);
}

static int parse_argnum(const char *s, int8_t *out)
{
	char *e;
	errno = 0;
	long n = strtol(s, &e, 10);
	if (e == s || *e || errno || n < 1 || n > 32)
		return -1;
	*out = (int8_t)n;
	return 0;
}

static int parse_pair(const char *s, int8_t *a, int8_t *b)
{
	char *e;
	errno = 0;
	long x = strtol(s, &e, 10);
	if (e == s || *e != ',' || x < 1 || x > 32)
		return -1;
	const char *t = e + 1;
	long y = strtol(t, &e, 10);
	if (e == t || *e || y < 1 || y > 32 || errno)
		return -1;
	*a = (int8_t)x;
	*b = (int8_t)y;
	return 0;
}

static int parse_attr(struct model_fn *r, const char *word)
{
	const char *eq = strchr(word, '=');
	size_t klen = eq ? (size_t)(eq - word) : strlen(word);
	const char *val = eq ? eq + 1 : NULL;
#define KEY(k) (klen == sizeof(k) - 1 && !strncmp(word, k, klen))
	if (!val) {
		if (KEY("null-on-failure"))
			r->flags |= MODEL_NULL_ON_FAILURE;
		else if (KEY("neg-on-failure"))
			r->flags |= MODEL_NEG_ON_FAILURE;
		else if (KEY("zero-on-failure"))
			r->flags |= MODEL_ZERO_ON_FAILURE;
		else if (KEY("zero-on-success"))
			r->flags |= MODEL_ZERO_ON_SUCCESS;
		else if (KEY("one-on-success"))
			r->flags |= MODEL_ONE_ON_SUCCESS;
		else if (KEY("small-int-never-fails"))
			r->flags |= MODEL_SMALL_INT;
		else if (KEY("empty-never-fails"))
			r->flags |= MODEL_EMPTY_NEVER_FAILS;
		else if (KEY("three-way"))
			r->flags |= MODEL_THREE_WAY;
		else if (KEY("noreturn"))
			r->flags |= MODEL_NORETURN;
		else if (KEY("may-return-null"))
			r->flags |= MODEL_MAY_RETURN_NULL;
		else if (KEY("never-null"))
			r->flags |= MODEL_NEVER_NULL;
		else if (KEY("fetches"))
			r->flags |= MODEL_FETCHES;
		else if (KEY("return-stmt"))
			r->flags |= MODEL_RETURN_STMT;
		else if (KEY("floating"))
			r->flags |= MODEL_FLOATING;
		else if (KEY("maybe-floating"))
			r->flags |= MODEL_MAYBE_FLOATING;
		else
			return -1;
		return 0;
	}
	if (KEY("steals"))
		return parse_args_kind(r, val, MODEL_STEALS);
	if (KEY("steals-on-success"))
		return parse_args_kind(r, val, MODEL_STEALS_OK);
	if (KEY("releases"))
		return parse_args_kind(r, val, MODEL_RELEASES);
	if (KEY("acquires"))
		return parse_args_kind(r, val, MODEL_ACQUIRES);
	if (KEY("xreleases") || KEY("xacquires")) {
		enum model_arg_kind k = word[1] == 'r' ? MODEL_RELEASES : MODEL_ACQUIRES;
		if (parse_args_kind(r, val, k) < 0)
			return -1;
		return parse_args_kind(r, val, MODEL_ACCEPTS_NULL);
	}
	if (KEY("accepts-null"))
		return parse_args_kind(r, val, MODEL_ACCEPTS_NULL);
	if (KEY("clears"))
		return parse_args_kind(r, val, MODEL_CLEARS);
	if (KEY("nonnull"))
		return parse_args_kind(r, val, MODEL_NONNULL);
	if (KEY("fails-on-null"))
		return parse_args_kind(r, val, MODEL_FAILS_ON_NULL);
	if (KEY("frees"))
		return parse_args_kind(r, val, MODEL_FREES);
	if (KEY("format-lang")) {
		if (!strcmp(val, "python"))
			r->format_lang = MODEL_FORMAT_PYTHON;
		else if (!strcmp(val, "jansson"))
			r->format_lang = MODEL_FORMAT_JANSSON;
		else
			return -1;
		return 0;
	}
	if (KEY("embedded-count"))
		return parse_args_kind(r, val, MODEL_EMBEDDED);
	if (KEY("sinks"))
		return parse_args_kind(r, val, MODEL_SINKS);
	if (KEY("notify-takes"))
		return parse_pair(val, &r->notify_data, &r->notify_fn);
	if (KEY("callback-data")) {
		r->flags |= MODEL_CALLBACK_DATA;
		return parse_pair(val, &r->notify_data, &r->notify_fn);
	}
	if (KEY("out-new-on-failure"))
		return parse_args_kind(r, val, MODEL_OUT_NEW_FAIL);
	if (KEY("out-new"))
		return parse_args_kind(r, val, MODEL_OUT_NEW);
	if (KEY("out-borrowed"))
		return parse_args_kind(r, val, MODEL_OUT_BORROWED);
	if (KEY("borrowed-from"))
		return parse_argnum(val, &r->borrowed_from);
	if (KEY("element-of"))
		return parse_argnum(val, &r->element_of);
	if (KEY("nonnull-if-true"))
		return parse_argnum(val, &r->nonnull_if_true);
	if (KEY("index-arg"))
		return parse_argnum(val, &r->index_arg);
	if (KEY("size-of"))
		return parse_argnum(val, &r->size_of);
	if (KEY("size-arg"))
		return parse_argnum(val, &r->size_arg);
	if (KEY("held-by")) {
		if (parse_argnum(val, &r->held_by) < 0)
			return -1;
		r->borrowed_from = r->held_by;
		return 0;
	}
	if (KEY("format-parse")) {
		/* format-parse=N, or N,M: the units fill arguments from M on (a keyword list between) */
		if (strchr(val, ','))
			return parse_pair(val, &r->format_parse, &r->format_args);
		return parse_argnum(val, &r->format_parse);
	}
	if (KEY("format-build"))
		return parse_argnum(val, &r->format_build);
	if (KEY("returns-arg"))
		return parse_argnum(val, &r->returns_arg);
	if (KEY("unpack-borrowed"))
		return parse_argnum(val, &r->unpack_borrowed);
	if (KEY("setref") || KEY("xsetref")) {
		if (word[0] == 'x')
			r->flags |= MODEL_SETREF_X;
		return parse_pair(val, &r->setref_dst, &r->setref_src);
	}
#undef KEY
	return -1;
}

/* Splits a line into whitespace-separated words in place; returns the count (max n). */
static int split_words(char *line, char **words, int n)
{
	int k = 0;
	char *p = line;
	while (*p && k < n) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		words[k++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return k;
}

/* The next line of the text at *cursor (its '\n' replaced by a NUL), or NULL at the end. Every
 * line counts, blank ones too (strtok_r skipped them, and the line numbers of errors after a
 * blank line were wrong). */
static char *next_line(char **cursor)
{
	char *line = *cursor;
	if (!line || !*line)
		return NULL;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = line + strlen(line);
	}
	return line;
}

static int parse_ours(struct model *m, char *text, const char *source, uint8_t origin, char *err,
		      size_t errlen)
{
	int lineno = 0;
	char *cursor = text;
	for (char *line; (line = next_line(&cursor)) != NULL;) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *words[40];
		int n = split_words(line, words, 40);
		if (n == 0)
			continue;
		if (!strcmp(words[0], "convention")) {
			/* "convention KIND NAME...": conventions.h */
			if (n < 3) {
				seterr(err, errlen, "%s:%d: expected 'convention KIND NAME...' (KIND: %s)", source, lineno,
				       conv_kind_list());
				return -1;
			}
			for (int i = 2; i < n; i++)
				if (conv_add(&m->conv, words[1], words[i]) < 0) {
					seterr(err, errlen, "%s:%d: unknown convention '%s' (%s)", source, lineno, words[1],
					       conv_kind_list());
					return -1;
				}
			continue;
		}
		if (!strcmp(words[0], "nonnull") || !strcmp(words[0], "fails-on-null")) {
			enum model_arg_kind kind = words[0][0] == 'n' ? MODEL_NONNULL : MODEL_FAILS_ON_NULL;
			if (n != 3 || directive_nonnull(m, words[1], words[2], origin, kind) < 0) {
				seterr(err, errlen, "%s:%d: expected '%s NAME N[,M...]'", source, lineno, words[0]);
				return -1;
			}
			continue;
		}
		if (!strcmp(words[0], "global")) {
			/* "global NAME borrowed [immortal]": NAME is an object the function never owns;
			 * stored as a record named "global:NAME" (model_global_borrowed) */
			if (n < 3 || strcmp(words[2], "borrowed") != 0 || (n > 3 && strcmp(words[3], "immortal") != 0) ||
			    n > 4) {
				seterr(err, errlen, "%s:%d: expected 'global NAME borrowed [immortal]'", source, lineno);
				return -1;
			}
			char gname[512];
			snprintf(gname, sizeof gname, "global:%s", words[1]);
			struct model_fn g;
			memset(&g, 0, sizeof g);
			g.name = gname;
			g.ret = MODEL_RET_BORROWED;
			g.origin = origin;
			if (model_put(m, &g) < 0) {
				seterr(err, errlen, "out of memory");
				return -1;
			}
			continue;
		}
		if (n < 2) {
			seterr(err, errlen, "%s:%d: expected 'NAME RETURN [ATTR...]'", source, lineno);
			return -1;
		}
		struct model_fn r;
		memset(&r, 0, sizeof r);
		r.name = words[0];
		r.origin = origin;
		if (!strcmp(words[1], "new"))
			r.ret = MODEL_RET_NEW;
		else if (!strcmp(words[1], "borrowed"))
			r.ret = MODEL_RET_BORROWED;
		else if (!strcmp(words[1], "none"))
			r.ret = MODEL_RET_NONE;
		else if (!strcmp(words[1], "int"))
			r.ret = MODEL_RET_INT;
		else {
			seterr(err, errlen, "%s:%d: unknown return kind '%s' (new, borrowed, none, int)", source,
			       lineno, words[1]);
			return -1;
		}
		for (int i = 2; i < n; i++) {
			if (parse_attr(&r, words[i]) < 0) {
				seterr(err, errlen, "%s:%d: bad attribute '%s'", source, lineno, words[i]);
				return -1;
			}
		}
		if (model_put(m, &r) < 0) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* CPython's Doc/data/refcounts.dat: "function:type:param:refcount:comment", the first line of */
/* a block is the return value, the following ones the parameters in order.                    */
/* ------------------------------------------------------------------------------------------ */

static int looks_like_refcounts(const char *text, size_t len)
{
	/* The first non-comment, non-blank line has at least three ':' and no blank before the first. */
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		size_t s = i;
		while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r'))
			s++;
		if (s < e && text[s] != '#') {
			int colons = 0;
			int space_before = 0;
			for (size_t k = s; k < e; k++) {
				if (text[k] == ':')
					colons++;
				else if (text[k] == ' ' && colons == 0)
					space_before = 1;
			}
			return colons >= 3 && !space_before;
		}
		i = e + 1;
	}
	return 0;
}

static int parse_refcounts(struct model *m, char *text, const char *source, uint8_t origin, char *err,
			   size_t errlen)
{
	struct model_fn cur;
	char curname[256] = "";
	int param = 0;
	int lineno = 0;
	int have = 0;
	char *cursor = text;
	memset(&cur, 0, sizeof cur);
	for (char *line; (line = next_line(&cursor)) != NULL;) {
		lineno++;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[l - 1] = '\0';
		if (!*line || *line == '#')
			continue;
		char *fields[5] = { 0 };
		int nf = 0;
		char *p = line;
		fields[nf++] = p;
		while (*p && nf < 5) {
			if (*p == ':') {
				*p = '\0';
				fields[nf++] = p + 1;
			}
			p++;
		}
		if (nf < 4) {
			seterr(err, errlen, "%s:%d: expected 'function:type:param:refcount:comment'", source,
			       lineno);
			return -1;
		}
		const char *rc = fields[3];
		if (strcmp(fields[0], curname) != 0) {
			if (have && model_put(m, &cur) < 0)
				goto oom;
			memset(&cur, 0, sizeof cur);
			snprintf(curname, sizeof curname, "%s", fields[0]);
			cur.name = curname;
			cur.origin = origin;
			have = 1;
			param = 0;
			/* return value line */
			if (!strcmp(rc, "+1"))
				cur.ret = MODEL_RET_NEW;
			else if (!strcmp(rc, "0"))
				cur.ret = MODEL_RET_BORROWED;
			else if (strstr(fields[1], "int"))
				cur.ret = MODEL_RET_INT;
			else
				cur.ret = MODEL_RET_NONE;
			if (cur.ret == MODEL_RET_NEW || cur.ret == MODEL_RET_BORROWED)
				cur.flags |= MODEL_MAY_RETURN_NULL;
			continue;
		}
		param++;
		if (param > 32)
			continue;
		if (!strcmp(rc, "-1"))
			cur.arg[MODEL_STEALS] |= 1u << (param - 1);
		else if (!strcmp(rc, "+1") && strstr(fields[1], "**"))
			cur.arg[MODEL_OUT_NEW] |= 1u << (param - 1);
		else if (!strcmp(rc, "null"))
			cur.arg[MODEL_ACCEPTS_NULL] |= 1u << (param - 1);
	}
	if (have && model_put(m, &cur) < 0)
		goto oom;
	return 0;
oom:
	seterr(err, errlen, "out of memory");
	return -1;
}

int model_parse(struct model *m, const char *text, size_t len, const char *source, uint8_t origin,
		char *err, size_t errlen)
{
	char *copy = malloc(len + 1);
	if (!copy) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (memchr(copy, '\0', len)) {
		free(copy);
		seterr(err, errlen, "%s: not a text file", source);
		return -1;
	}
	int r = looks_like_refcounts(copy, len) ? parse_refcounts(m, copy, source, origin, err, errlen)
						: parse_ours(m, copy, source, origin, err, errlen);
	free(copy);
	return r;
}

const struct model_embedded *model_builtin_named(const char *name)
{
	if (!*name || strchr(name, '/') || strchr(name, '.') || access(name, F_OK) == 0)
		return NULL;
	size_t n = strlen(name);
	for (size_t i = 0; i < model_embedded_count; i++) {
		const struct model_embedded *e = &model_embedded_files[i];
		if (e->by_name && !strncmp(e->name, name, n) && !strcmp(e->name + n, ".model"))
			return e;
	}
	return NULL;
}

int model_load_file(struct model *m, const char *path, char *err, size_t errlen)
{
	char *buf, why[256];
	size_t len;
	const struct model_embedded *e = model_builtin_named(path);
	if (e)
		return model_parse(m, e->text, e->len, e->name, MODEL_FROM_FILE, err, errlen);
	if (util_read_file(path, MODEL_FILE_MAX, "a model file", &buf, &len, why, sizeof why) < 0) {
		seterr(err, errlen, "%s: %s", path, why);
		return -1;
	}
	int r = model_parse(m, buf, len, path, MODEL_FROM_FILE, err, errlen);
	free(buf);
	return r;
}

int model_load_builtin(struct model *m, char *err, size_t errlen)
{
	for (size_t i = 0; i < model_embedded_count; i++) {
		const struct model_embedded *e = &model_embedded_files[i];
		if (!e->by_name && model_parse(m, e->text, e->len, e->name, MODEL_FROM_BUILTIN, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

int model_guess_from_name(const char *name, struct model_fn *out)
{
	static const char *const inc[] = { "_get", "_ref", "_incref", "_retain", "_hold", "_grab", "_acquire", "_inc_ref" };
	static const char *const dec[] = { "_put", "_unref", "_decref", "_release", "_drop", "_dec_ref" };
	if (!name)
		return 0;
	memset(out, 0, sizeof *out);
	out->name = name;
	out->origin = MODEL_FROM_NAME;
	out->flags = MODEL_HEURISTIC;
	out->arg[MODEL_ACCEPTS_NULL] = ~0u;
	for (size_t i = 0; i < sizeof inc / sizeof inc[0]; i++)
		if (ends_with(name, inc[i])) {
			out->arg[MODEL_ACQUIRES] = 1;
			return 1;
		}
	for (size_t i = 0; i < sizeof dec / sizeof dec[0]; i++)
		if (ends_with(name, dec[i])) {
			out->arg[MODEL_RELEASES] = 1;
			return 1;
		}
	return 0;
}
