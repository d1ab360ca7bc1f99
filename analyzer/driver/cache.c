/*
 * cache.c - results kept on disk between runs (cache.h). Entries are JSON (jansson), contents
 * are hashed with XXH3-128 (libxxhash).
 */
#define _GNU_SOURCE /* struct stat st_mtim */
#include "driver/cache.h"
#include "models/model.h"

#include "engine/engine.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define CACHE_FORMAT 1

/* A file's state as last seen in this run: stat'ed and hashed once, whatever the number of
 * units that read it (every unit reads Python.h's hundred headers). */
struct seen_file {
	char *path;
	int ok;            /* stat succeeded */
	long long size, mtime_ns;
	int hashed;
	char hash[33];     /* hex XXH3-128 of the contents, when hashed */
};

struct cache {
	char *dir;
	XXH128_hash_t base; /* the executable, the model files, the options */
	pthread_mutex_t lock;
	struct seen_file *seen; /* sorted by path */
	size_t nseen, cap_seen;
	size_t used, written;
	int warned;
};

struct cache_entry {
	json_t *doc;
	struct eng_summary *asked;
	size_t nasked;
};

static void hex128(XXH128_hash_t h, char out[33])
{
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

/* Hashes a whole file into *st (a streaming state); -1 when it cannot be read. */
static int hash_file(XXH3_state_t *st, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		XXH3_128bits_update(st, buf, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

static int content_hash(const char *path, char out[33])
{
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		return -1;
	XXH3_128bits_reset(st);
	int r = hash_file(st, path);
	if (r == 0)
		hex128(XXH3_128bits_digest(st), out);
	XXH3_freeState(st);
	return r;
}

static void hash_str(XXH3_state_t *st, const char *s)
{
	XXH3_128bits_update(st, s ? s : "", s ? strlen(s) + 1 : 1);
}

struct cache *cache_open(const struct cache_config *cfg, char *err, size_t errlen)
{
	if (mkdir(cfg->dir, 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create the cache directory: %s", strerror(errno));
		return NULL;
	}
	struct stat sb;
	if (stat(cfg->dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "not a directory");
		return NULL;
	}
	if (access(cfg->dir, W_OK | X_OK) < 0) {
		snprintf(err, errlen, "cannot write into it: %s", strerror(errno));
		return NULL;
	}
	XXH3_state_t *st = XXH3_createState();
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	XXH3_128bits_reset(st);
	char fmt[32];
	snprintf(fmt, sizeof fmt, "rccheck-cache-%d", CACHE_FORMAT);
	hash_str(st, fmt);
	/* the program itself: any change of its code or built-in models changes every key */
	if (hash_file(st, "/proc/self/exe") < 0) {
		XXH3_freeState(st);
		snprintf(err, errlen, "cannot read rccheck's own executable (/proc/self/exe)");
		return NULL;
	}
	for (int i = 0; i < cfg->nmodels; i++) {
		hash_str(st, cfg->models[i]);
		if (model_builtin_named(cfg->models[i]))
			continue; /* a built-in model by name (--model glib): part of the executable */
		if (hash_file(st, cfg->models[i]) < 0) {
			XXH3_freeState(st);
			snprintf(err, errlen, "cannot read model file %s", cfg->models[i]);
			return NULL;
		}
	}
	char opts[256];
	snprintf(opts, sizeof opts, "states=%u all_paths=%d guesses=%d", cfg->max_states, cfg->all_paths,
		 cfg->show_guesses);
	hash_str(st, opts);
	hash_str(st, cfg->python_include);
	struct cache *c = util_xcalloc(1, sizeof *c);
	c->base = XXH3_128bits_digest(st);
	XXH3_freeState(st);
	c->dir = util_xstrdup(cfg->dir);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nseen; i++)
		free(c->seen[i].path);
	free(c->seen);
	free(c->dir);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void cache_stats(const struct cache *c, size_t *used, size_t *written)
{
	*used = c->used;
	*written = c->written;
}

void cache_note_used(struct cache *c)
{
	pthread_mutex_lock(&c->lock);
	c->used++;
	pthread_mutex_unlock(&c->lock);
}

/* The entry's file name: the base key with the input. */
static void entry_path(const struct cache *c, const char *source, const char *const *args, int nargs,
		       const unsigned char *disabled, char *out, size_t len)
{
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		abort();
	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, &c->base, sizeof c->base);
	char *canon = util_canonical_path(source);
	hash_str(st, canon);
	free(canon);
	for (int i = 0; i < nargs; i++)
		hash_str(st, args[i]);
	/* the checks chosen for the file (--checks, its .rccheck) */
	for (size_t k = 0; disabled && k < engine_ncheck; k++)
		if (disabled[k])
			hash_str(st, engine_checks[k]->id);
	char hex[33];
	hex128(XXH3_128bits_digest(st), hex);
	XXH3_freeState(st);
	snprintf(out, len, "%s/%s.json", c->dir, hex);
}

static int cmp_seen(const void *a, const void *b)
{
	return strcmp(((const struct seen_file *)a)->path, ((const struct seen_file *)b)->path);
}

/* The state of path in this run (under c->lock). */
static struct seen_file *seen(struct cache *c, const char *path)
{
	struct seen_file key = { (char *)path, 0, 0, 0, 0, { 0 } };
	struct seen_file *f = c->nseen ? bsearch(&key, c->seen, c->nseen, sizeof *c->seen, cmp_seen) : NULL;
	if (f)
		return f;
	if (c->nseen == c->cap_seen) {
		c->cap_seen = c->cap_seen ? c->cap_seen * 2 : 256;
		c->seen = util_xrealloc(c->seen, c->cap_seen * sizeof *c->seen);
	}
	/* insertion keeps the array sorted (a few hundred headers: moves are cheap) */
	size_t at = 0;
	while (at < c->nseen && strcmp(c->seen[at].path, path) < 0)
		at++;
	if (at < c->nseen)
		memmove(&c->seen[at + 1], &c->seen[at], (c->nseen - at) * sizeof *c->seen);
	c->nseen++;
	f = &c->seen[at];
	memset(f, 0, sizeof *f);
	f->path = util_xstrdup(path);
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		f->ok = 1;
		f->size = (long long)sb.st_size;
		f->mtime_ns = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
	}
	return f;
}

static const char *seen_hash(struct seen_file *f)
{
	if (!f->ok)
		return NULL;
	if (!f->hashed && content_hash(f->path, f->hash) == 0)
		f->hashed = 1;
	return f->hashed ? f->hash : NULL;
}

/* Whether dependency [path, size, mtime, hash] is as recorded (under c->lock). */
static int dep_unchanged(struct cache *c, json_t *dep)
{
	const char *path = json_string_value(json_array_get(dep, 0));
	const char *hash = json_string_value(json_array_get(dep, 3));
	if (!path || !hash)
		return 0;
	struct seen_file *f = seen(c, path);
	if (!f->ok)
		return 0;
	if (f->size == json_integer_value(json_array_get(dep, 1)) &&
	    f->mtime_ns == json_integer_value(json_array_get(dep, 2)))
		return 1;
	const char *h = seen_hash(f); /* touched, or copied: the contents decide */
	return h && !strcmp(h, hash);
}

static int read_summary(json_t *a, struct eng_summary *s)
{
	if (!json_is_array(a) || json_array_size(a) != TREE_SUMMARY_INTS)
		return -1;
	int64_t v[TREE_SUMMARY_INTS];
	for (size_t k = 0; k < TREE_SUMMARY_INTS; k++) {
		json_t *x = json_array_get(a, k);
		if (!json_is_integer(x))
			return -1;
		v[k] = (int64_t)json_integer_value(x);
	}
	tree_summary_decode(v, s);
	return 0;
}

static json_t *summary_json(const struct eng_summary *s)
{
	int64_t v[TREE_SUMMARY_INTS];
	tree_summary_encode(s, v);
	json_t *a = json_array();
	for (size_t k = 0; k < TREE_SUMMARY_INTS; k++)
		json_array_append_new(a, json_integer((json_int_t)v[k]));
	return a;
}

struct cache_entry *cache_load(struct cache *c, const char *source, const char *const *args, int nargs,
			       const unsigned char *disabled)
{
	char path[4200];
	entry_path(c, source, args, nargs, disabled, path, sizeof path);
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		return NULL; /* no entry, or not readable: analysed */
	json_t *deps = json_object_get(doc, "deps");
	int ok = json_integer_value(json_object_get(doc, "format")) == CACHE_FORMAT && json_is_array(deps) &&
		 json_array_size(deps) > 0 && json_is_object(json_object_get(doc, "file"));
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; ok && i < json_array_size(deps); i++)
		ok = dep_unchanged(c, json_array_get(deps, i));
	pthread_mutex_unlock(&c->lock);
	json_t *asked = json_object_get(doc, "asked");
	ok = ok && json_is_array(asked);
	struct cache_entry *e = NULL;
	if (ok) {
		e = util_xcalloc(1, sizeof *e);
		e->doc = doc;
		e->nasked = json_array_size(asked);
		e->asked = util_xcalloc(e->nasked ? e->nasked : 1, sizeof *e->asked);
		for (size_t k = 0; ok && k < e->nasked; k++) {
			json_t *q = json_array_get(asked, k);
			const char *name = json_string_value(json_array_get(q, 0));
			ok = name && read_summary(json_array_get(q, 1), &e->asked[k]) == 0;
			if (ok)
				e->asked[k].fn.name = name; /* owned by doc */
		}
		if (!ok) {
			free(e->asked);
			free(e);
			e = NULL;
		}
	}
	if (!e)
		json_decref(doc);
	return e;
}

void cache_entry_free(struct cache_entry *e)
{
	if (!e)
		return;
	json_decref(e->doc);
	free(e->asked);
	free(e);
}

/* The strings of array a (NULL entries for non-strings are skipped); *n their number. */
static const char **strings(json_t *a, size_t *n)
{
	size_t m = json_array_size(a);
	const char **v = util_xcalloc(m ? m : 1, sizeof *v);
	*n = 0;
	for (size_t k = 0; k < m; k++) {
		const char *s = json_string_value(json_array_get(a, k));
		if (s)
			v[(*n)++] = s;
	}
	return v;
}

void cache_entry_add_names(const struct cache_entry *e, struct tree *t, size_t u)
{
	size_t next, ncalls;
	const char **ext = strings(json_object_get(e->doc, "externals"), &next);
	const char **calls = strings(json_object_get(e->doc, "calls"), &ncalls);
	json_t *ca = json_object_get(e->doc, "callables");
	size_t m = json_array_size(ca), nc = 0;
	struct unit_callable *cl = util_xcalloc(m ? m : 1, sizeof *cl);
	for (size_t k = 0; k < m; k++) {
		const char *name = json_string_value(json_array_get(json_array_get(ca, k), 0));
		if (!name)
			continue;
		cl[nc].name = name;
		cl[nc++].null_ok = (int)json_integer_value(json_array_get(json_array_get(ca, k), 1));
	}
	tree_add_names(t, u, ext, next, calls, ncalls, cl, nc);
	free(ext);
	free(calls);
	free(cl);
}

void cache_entry_set_exports(const struct cache_entry *e, struct tree *t, size_t u)
{
	json_t *ex = json_object_get(e->doc, "exports");
	tree_unit_begin(t, u);
	for (size_t k = 0; k < json_array_size(ex); k++) {
		json_t *x = json_array_get(ex, k);
		const char *name = json_string_value(json_array_get(x, 0));
		struct eng_summary s;
		if (name && read_summary(json_array_get(x, 1), &s) == 0)
			tree_set_export(t, u, name, &s);
	}
	tree_unit_done(t, u);
}

const struct eng_summary *cache_entry_asked(const struct cache_entry *e, size_t *n)
{
	*n = e->nasked;
	return e->asked;
}

/* ---- a file's results, as JSON ------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	return j; /* NULL when s is not UTF-8: the entry is not written */
}

static int check_index(const char *id)
{
	for (size_t k = 0; k < engine_ncheck; k++)
		if (!strcmp(engine_checks[k]->id, id))
			return (int)k;
	return -1;
}

static char *dup_or_null(json_t *j)
{
	const char *s = json_string_value(j);
	return s ? util_xstrdup(s) : NULL;
}

/* A json_t built from parts that may be NULL (a string that is not UTF-8): NULL for all. */
static int put(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return -1;
	json_object_set_new(obj, key, v);
	return 0;
}

static int push(json_t *arr, json_t *v)
{
	if (!v)
		return -1;
	json_array_append_new(arr, v);
	return 0;
}

static json_t *file_json(const struct diag_file *f)
{
	json_t *o = json_object();
	int bad = 0;
	json_object_set_new(o, "functions", json_integer(f->nfunctions));
	json_object_set_new(o, "functions_skipped", json_integer(f->nfunctions_skipped));
	json_object_set_new(o, "guesses", json_integer(f->nguesses));
	json_object_set_new(o, "failed", json_integer(f->failed));
	json_t *errs = json_array();
	for (uint32_t i = 0; i < f->nerrors; i++)
		bad |= push(errs, json_string(f->errors[i]));
	json_object_set_new(o, "errors", errs);
	json_t *inc = json_array();
	for (uint32_t i = 0; i < f->nincomplete; i++) {
		const struct diag_note *n = &f->incomplete[i];
		json_t *x = json_array();
		bad |= push(x, str_or_null(n->file));
		json_array_append_new(x, json_integer(n->line));
		json_array_append_new(x, json_integer(n->col));
		bad |= push(x, json_string(n->message));
		json_array_append_new(inc, x);
	}
	json_object_set_new(o, "incomplete", inc);
	json_t *fs = json_array();
	for (uint32_t i = 0; i < f->nfindings; i++) {
		const struct diag_finding *d = &f->findings[i];
		json_t *x = json_object();
		bad |= put(x, "id", json_string(engine_checks[d->check]->id));
		bad |= put(x, "message", json_string(d->message));
		bad |= put(x, "function", str_or_null(d->function));
		json_object_set_new(x, "line", json_integer(d->line));
		json_object_set_new(x, "col", json_integer(d->col));
		bad |= put(x, "file", str_or_null(d->file));
		bad |= put(x, "key", str_or_null(d->key));
		json_object_set_new(x, "paths", json_integer(d->npaths));
		json_object_set_new(x, "severity", json_integer(d->severity));
		bad |= put(x, "needs", str_or_null(d->needs));
		bad |= put(x, "guess", str_or_null(d->guess));
		json_t *notes = json_array();
		for (uint32_t k = 0; k < d->nnotes; k++) {
			json_t *n = json_array();
			json_array_append_new(n, json_integer(d->notes[k].line));
			json_array_append_new(n, json_integer(d->notes[k].col));
			bad |= push(n, json_string(d->notes[k].message));
			json_array_append_new(notes, n);
		}
		json_object_set_new(x, "notes", notes);
		json_array_append_new(fs, x);
	}
	json_object_set_new(o, "findings", fs);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void cache_entry_take_file(struct cache_entry *e, struct diag_file *f)
{
	json_t *o = json_object_get(e->doc, "file");
	f->nfunctions = (uint32_t)json_integer_value(json_object_get(o, "functions"));
	f->nguesses = (uint32_t)json_integer_value(json_object_get(o, "guesses"));
	f->failed = (int)json_integer_value(json_object_get(o, "failed"));
	json_t *errs = json_object_get(o, "errors");
	for (size_t i = 0; i < json_array_size(errs); i++)
		if (json_string_value(json_array_get(errs, i)))
			diag_add_error(f, "%s", json_string_value(json_array_get(errs, i)));
	json_t *inc = json_object_get(o, "incomplete");
	for (size_t i = 0; i < json_array_size(inc); i++) {
		json_t *x = json_array_get(inc, i);
		const char *msg = json_string_value(json_array_get(x, 3));
		if (msg)
			diag_add_skipped_function(f, json_string_value(json_array_get(x, 0)),
						  (uint32_t)json_integer_value(json_array_get(x, 1)),
						  (uint32_t)json_integer_value(json_array_get(x, 2)), msg);
	}
	/* diag_add_skipped_function counts what it is given; the cached count is the truth */
	f->nfunctions_skipped = (uint32_t)json_integer_value(json_object_get(o, "functions_skipped"));
	json_t *fs = json_object_get(o, "findings");
	for (size_t i = 0; i < json_array_size(fs); i++) {
		json_t *x = json_array_get(fs, i);
		const char *id = json_string_value(json_object_get(x, "id"));
		int check = id ? check_index(id) : -1;
		const char *msg = json_string_value(json_object_get(x, "message"));
		if (check < 0 || !msg)
			continue;
		struct diag_finding *d = diag_add(f, check, json_string_value(json_object_get(x, "function")),
						  (uint32_t)json_integer_value(json_object_get(x, "line")),
						  (uint32_t)json_integer_value(json_object_get(x, "col")), msg);
		d->file = dup_or_null(json_object_get(x, "file"));
		d->key = dup_or_null(json_object_get(x, "key"));
		d->npaths = (uint32_t)json_integer_value(json_object_get(x, "paths"));
		d->severity = (int)json_integer_value(json_object_get(x, "severity"));
		d->needs = dup_or_null(json_object_get(x, "needs"));
		d->guess = dup_or_null(json_object_get(x, "guess"));
		json_t *notes = json_object_get(x, "notes");
		for (size_t k = 0; k < json_array_size(notes); k++) {
			json_t *n = json_array_get(notes, k);
			const char *nm = json_string_value(json_array_get(n, 2));
			if (nm)
				diag_add_note(d, (uint32_t)json_integer_value(json_array_get(n, 0)),
					      (uint32_t)json_integer_value(json_array_get(n, 1)), nm);
		}
	}
	diag_sort(f);
}

/* ---- writing ------------------------------------------------------------------------------ */

static void warn_once(struct cache *c, const char *what, const char *why)
{
	pthread_mutex_lock(&c->lock);
	int first = !c->warned;
	c->warned = 1;
	pthread_mutex_unlock(&c->lock);
	if (first)
		fprintf(stderr, "rccheck: warning: cache %s: %s: %s (the run goes on without it)\n", c->dir, what, why);
}

int cache_store(struct cache *c, const char *source, const char *const *args, int nargs,
		const unsigned char *disabled, const char *const *deps, size_t ndeps, const struct tree *t, size_t u,
		const struct diag_file *f)
{
	json_t *file = file_json(f);
	if (!file)
		return 0; /* a string that is not UTF-8: not kept (analysed again next time) */
	json_t *doc = json_object();
	json_object_set_new(doc, "format", json_integer(CACHE_FORMAT));
	json_object_set_new(doc, "file", file);
	int bad = 0;
	json_t *dj = json_array();
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < ndeps; i++) {
		struct seen_file *sf = seen(c, deps[i]);
		const char *h = seen_hash(sf);
		if (!h) {
			bad = 1; /* gone since the parse: nothing to compare with next time */
			break;
		}
		json_t *x = json_array();
		bad |= push(x, json_string(deps[i]));
		json_array_append_new(x, json_integer(sf->size));
		json_array_append_new(x, json_integer(sf->mtime_ns));
		json_array_append_new(x, json_string(h));
		json_array_append_new(dj, x);
	}
	pthread_mutex_unlock(&c->lock);
	json_object_set_new(doc, "deps", dj);
	struct tree_names nm;
	tree_unit_names(t, u, &nm);
	json_t *ext = json_array(), *calls = json_array(), *cl = json_array();
	for (size_t k = 0; k < nm.nexternals; k++)
		bad |= push(ext, json_string(nm.externals[k]));
	for (size_t k = 0; k < nm.ncalls; k++)
		bad |= push(calls, json_string(nm.calls[k]));
	for (size_t k = 0; k < nm.ncallables; k++) {
		int null_ok;
		const char *name = tree_unit_callable(t, u, k, &null_ok);
		json_t *x = json_array();
		bad |= push(x, json_string(name));
		json_array_append_new(x, json_integer(null_ok));
		json_array_append_new(cl, x);
	}
	json_object_set_new(doc, "externals", ext);
	json_object_set_new(doc, "calls", calls);
	json_object_set_new(doc, "callables", cl);
	json_t *ex = json_array(), *asked = json_array();
	const struct eng_summary *s;
	for (size_t k = 0; (s = tree_unit_exports(t, u, k)); k++) {
		json_t *x = json_array();
		bad |= push(x, json_string(s->fn.name));
		json_array_append_new(x, summary_json(s));
		json_array_append_new(ex, x);
	}
	for (size_t k = 0; (s = tree_unit_asked(t, u, k)); k++) {
		json_t *x = json_array();
		bad |= push(x, json_string(s->fn.name));
		json_array_append_new(x, summary_json(s));
		json_array_append_new(asked, x);
	}
	json_object_set_new(doc, "exports", ex);
	json_object_set_new(doc, "asked", asked);
	if (bad) {
		json_decref(doc);
		return 0;
	}
	char path[4200], tmp[4300];
	entry_path(c, source, args, nargs, disabled, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.%ld.%lu.tmp", path, (long)getpid(), (unsigned long)pthread_self());
	int r = json_dump_file(doc, tmp, JSON_COMPACT);
	json_decref(doc);
	if (r != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		warn_once(c, "cannot write an entry", r != 0 ? "write failed" : strerror(e));
		return -1;
	}
	pthread_mutex_lock(&c->lock);
	c->written++;
	pthread_mutex_unlock(&c->lock);
	return 0;
}
