/*
 * baseline.c - --baseline FILE (baseline.h; the user's side is docs/analyzer.md, "Baseline").
 *
 * The entries are kept in one array sorted by (basename, file, fingerprint): every path that
 * can match a finding's path (equal, or one ends with "/" + the other) has the same basename,
 * so a finding looks at one run of the array, and the entries with one file and fingerprint
 * are adjacent, which makes the "each entry absorbs one finding" rule a scan for the first
 * unused one.
 */
#include "report/baseline.h"

#include "engine/engine.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct entry {
	char *file;       /* as printed in the baseline (SARIF: the URI percent-decoded) */
	const char *base; /* points into file: after its last '/' */
	uint64_t fp;      /* fingerprint computed with this entry's file */
	int used;         /* absorbed a finding of this run */
};

struct baseline {
	struct entry *v;
	size_t n, cap;
};

/* ------------------------------------------------------------------------------------------ */
/* Fingerprints                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* FNV-1a, 64 bits: a fingerprint only has to tell findings apart, not resist an adversary
 * (a baseline is the project's own file). */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t hash_bytes(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * FNV_PRIME;
	return h;
}

/* The message with every run of digits hashed as one '#'. */
static uint64_t hash_message(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c >= '0' && c <= '9') {
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			c = '#';
		}
		h = (h ^ c) * FNV_PRIME;
	}
	return h;
}

/* Over the strings as JSON writes them (diag_utf8_escape: the identity on valid UTF-8, and
 * idempotent), so that a JSON report's entries, a SARIF log's fingerprints and the findings of
 * this run agree whatever bytes a file name holds. */
static uint64_t fingerprint(const char *id, const char *file, const char *function, const char *message)
{
	char *fb, *fnb, *mb;
	uint64_t h = FNV_OFFSET;
	h = hash_bytes(h, id);
	h = hash_bytes(h, "|");
	h = hash_bytes(h, diag_utf8_text(file, &fb));
	h = hash_bytes(h, "|");
	h = hash_bytes(h, diag_utf8_text(function, &fnb));
	h = hash_bytes(h, "|");
	h = hash_message(h, diag_utf8_text(message, &mb));
	free(fb);
	free(fnb);
	free(mb);
	return h;
}

void baseline_fingerprint(const char *id, const char *file, const char *function, const char *message,
			  char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)fingerprint(id, file, function, message));
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void add_entry(struct baseline *b, const char *file, uint64_t fp)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = util_xrealloc(b->v, b->cap * sizeof *b->v);
	}
	struct entry *e = &b->v[b->n++];
	e->file = diag_utf8_escape(file); /* as JSON writes it (a SARIF URI decodes to any bytes) */
	if (!e->file)
		e->file = util_xstrdup(file);
	const char *slash = strrchr(e->file, '/');
	e->base = slash ? slash + 1 : e->file;
	e->fp = fp;
	e->used = 0;
}

/* A string member of obj, or NULL. */
static const char *str_member(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* `rccheck --format=json`: findings[] with id, file, function, message. */
static int load_json_report(struct baseline *b, json_t *findings, char *err, size_t errlen)
{
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) {
		static const char *const keys[] = {"id", "file", "function", "message"};
		const char *val[4];
		for (int k = 0; k < 4; k++) {
			if (!json_is_object(f) || !(val[k] = str_member(f, keys[k]))) {
				set_err(err, errlen, "findings[%zu] has no string \"%s\" (not a report of rccheck --format=json?)",
					i, keys[k]);
				return -1;
			}
		}
		add_entry(b, val[1], fingerprint(val[0], val[1], val[2], val[3]));
	}
	return 0;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The path of a URI reference written by output_sarif.c (percent-encoded bytes decoded). */
static char *uri_path(const char *uri)
{
	char *s = util_xstrdup(uri), *q = s;
	for (const char *p = uri; *p; p++) {
		int hi, lo;
		if (p[0] == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0) {
			*q++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*q++ = *p;
		}
	}
	*q = '\0';
	return s;
}

/* `rccheck --format=sarif`: runs[].results[] with partialFingerprints["rccheck/v1"] and the
 * first location's artifact URI. */
static int load_sarif_log(struct baseline *b, json_t *runs, char *err, size_t errlen)
{
	size_t r, i;
	json_t *run, *res;
	json_array_foreach(runs, r, run) {
		json_t *results = json_object_get(run, "results");
		if (!json_is_array(results)) {
			set_err(err, errlen, "runs[%zu] has no \"results\" array (not a SARIF log?)", r);
			return -1;
		}
		json_array_foreach(results, i, res) {
			const char *fp = str_member(json_object_get(res, "partialFingerprints"), "rccheck/v1");
			json_t *loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0),
						      "physicalLocation");
			const char *uri = str_member(json_object_get(loc, "artifactLocation"), "uri");
			char *end = NULL;
			unsigned long long v = 0;
			if (fp && strlen(fp) == 16) {
				errno = 0;
				v = strtoull(fp, &end, 16);
			}
			if (!fp || !end || *end || errno) {
				set_err(err, errlen,
					"runs[%zu].results[%zu] has no partialFingerprints \"rccheck/v1\" of 16 hex digits "
					"(not a SARIF log written by rccheck?)",
					r, i);
				return -1;
			}
			if (!uri) {
				set_err(err, errlen, "runs[%zu].results[%zu] has no locations[0] artifact URI", r, i);
				return -1;
			}
			char *path = uri_path(uri);
			add_entry(b, path, (uint64_t)v);
			free(path);
		}
	}
	return 0;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c = strcmp(a->base, b->base);
	if (c)
		return c;
	if ((c = strcmp(a->file, b->file)) != 0)
		return c;
	return a->fp < b->fp ? -1 : a->fp > b->fp;
}

struct baseline *baseline_load(const char *path, char *err, size_t errlen)
{
	char *text = NULL, why[256];
	size_t len = 0;
	json_t *root = NULL;
	struct baseline *b = util_xcalloc(1, sizeof *b);
	int ok = 0;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		set_err(err, errlen, "is a directory, not a report");
		goto out;
	}
	if (util_read_file(path, BASELINE_FILE_MAX, "a baseline", &text, &len, why, sizeof why) < 0) {
		set_err(err, errlen, "cannot read the baseline: %s", why);
		goto out;
	}
	json_error_t jerr;
	if (!(root = json_loadb(text, len, 0, &jerr))) {
		set_err(err, errlen, "not JSON (line %d: %s); a baseline is a report of rccheck --format=json",
			jerr.line, jerr.text);
		goto out;
	}
	json_t *findings = json_object_get(root, "findings");
	json_t *runs = json_object_get(root, "runs");
	if (json_is_array(findings)) {
		ok = load_json_report(b, findings, err, errlen) == 0;
	} else if (!findings && json_is_array(runs)) {
		ok = load_sarif_log(b, runs, err, errlen) == 0;
	} else {
		set_err(err, errlen, "no \"findings\" array: not a report of rccheck --format=json (or --format=sarif)");
	}
	if (ok && b->n > 1)
		qsort(b->v, b->n, sizeof *b->v, cmp_entry);
out:
	json_decref(root);
	free(text);
	if (!ok) {
		baseline_free(b);
		return NULL;
	}
	return b;
}

void baseline_free(struct baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].file);
	free(b->v);
	free(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Matching                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Whether path p ends with "/" + s. */
static int ends_with_component(const char *p, const char *s)
{
	size_t np = strlen(p), ns = strlen(s);
	return np > ns && p[np - ns - 1] == '/' && !strcmp(p + np - ns, s);
}

static const char *basename_of(const char *p)
{
	const char *slash = strrchr(p, '/');
	return slash ? slash + 1 : p;
}

/*
 * Marks and returns 1 when an unused entry absorbs the finding d of the file printed as path.
 * Pass 0 takes entries whose file equals path, pass 1 those related by a "/" suffix.
 */
static int absorb(struct baseline *b, const char *path, const struct diag_finding *d)
{
	const char *base = basename_of(path);
	size_t lo = 0, hi = b->n;
	while (lo < hi) { /* first entry whose basename is not below base */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(b->v[mid].base, base) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const char *id = engine_checks[d->check]->id;
	for (int pass = 0; pass < 2; pass++) {
		/* One group per distinct file in the basename's run: [g, e). */
		for (size_t g = lo, e; g < b->n && !strcmp(b->v[g].base, base); g = e) {
			const char *file = b->v[g].file;
			for (e = g + 1; e < b->n && !strcmp(b->v[e].file, file); e++)
				;
			int same = !strcmp(file, path);
			if (pass == 0 ? !same : (same || !(ends_with_component(file, path) || ends_with_component(path, file))))
				continue;
			uint64_t fp = fingerprint(id, file, d->function, d->message);
			for (size_t k = g; k < e; k++) {
				if (b->v[k].fp == fp && !b->v[k].used) {
					b->v[k].used = 1;
					return 1;
				}
			}
		}
	}
	return 0;
}

size_t baseline_apply_file(struct baseline *b, struct diag_file *f)
{
	if (!f->nfindings)
		return 0;
	unsigned char *drop = util_xcalloc(f->nfindings, 1);
	size_t n = 0;
	for (uint32_t k = 0; k < f->nfindings; k++) {
		char *buf;
		const char *path = diag_utf8_text(diag_finding_path(f, &f->findings[k]), &buf);
		if (absorb(b, path, &f->findings[k])) {
			drop[k] = 1;
			n++;
		}
		free(buf);
	}
	if (n)
		diag_drop_findings(f, drop);
	free(drop);
	return n;
}

size_t baseline_apply(struct baseline *b, struct diag_run *run)
{
	size_t total = 0;
	for (size_t i = 0; i < run->nfiles; i++)
		total += baseline_apply_file(b, &run->files[i]);
	return total;
}
