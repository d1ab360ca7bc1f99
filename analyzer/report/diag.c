/*
 * diag.c - findings per file, suppression comments, text output (diag.h).
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "report/diag.h"

#include "util.h"

#include "engine/engine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void diag_file_init(struct diag_file *f, const char *path)
{
	memset(f, 0, sizeof *f);
	f->path = util_xstrdup(path);
}

static void finding_free(struct diag_finding *d)
{
	free(d->message);
	free(d->function);
	for (uint32_t k = 0; k < d->nnotes; k++)
		free(d->notes[k].message);
	free(d->notes);
	free(d->file);
	free(d->key);
	free(d->needs);
	free(d->guess);
}

void diag_file_free(struct diag_file *f)
{
	for (uint32_t i = 0; i < f->nfindings; i++)
		finding_free(&f->findings[i]);
	free(f->findings);
	for (uint32_t i = 0; i < f->nerrors; i++)
		free(f->errors[i]);
	free(f->errors);
	for (uint32_t i = 0; i < f->nincomplete; i++) {
		free(f->incomplete[i].message);
		free(f->incomplete[i].file);
	}
	free(f->incomplete);
	free(f->dump);
	free(f->path);
	memset(f, 0, sizeof *f);
}

struct diag_finding *diag_add(struct diag_file *f, int check, const char *function, uint32_t line, uint32_t col,
			      const char *message)
{
	if (f->nfindings == f->cap_findings) {
		f->cap_findings = f->cap_findings ? f->cap_findings * 2 : 8;
		f->findings = util_xrealloc(f->findings, f->cap_findings * sizeof *f->findings);
	}
	struct diag_finding *d = &f->findings[f->nfindings++];
	memset(d, 0, sizeof *d);
	d->check = check;
	d->function = util_xstrdup(function);
	d->line = line;
	d->col = col;
	d->message = util_xstrdup(message);
	d->npaths = 1;
	return d;
}

void diag_file_take(struct diag_file *dst, struct diag_file *src)
{
	for (uint32_t i = 0; i < src->nfindings; i++) {
		if (dst->nfindings == dst->cap_findings) {
			dst->cap_findings = dst->cap_findings ? dst->cap_findings * 2 : 8;
			dst->findings = util_xrealloc(dst->findings, dst->cap_findings * sizeof *dst->findings);
		}
		dst->findings[dst->nfindings++] = src->findings[i];
	}
	for (uint32_t i = 0; i < src->nincomplete; i++) {
		if (dst->nincomplete == dst->cap_incomplete) {
			dst->cap_incomplete = dst->cap_incomplete ? dst->cap_incomplete * 2 : 4;
			dst->incomplete = util_xrealloc(dst->incomplete, dst->cap_incomplete * sizeof *dst->incomplete);
		}
		dst->incomplete[dst->nincomplete++] = src->incomplete[i];
	}
	for (uint32_t i = 0; i < src->nerrors; i++) {
		if (dst->nerrors == dst->cap_errors) {
			dst->cap_errors = dst->cap_errors ? dst->cap_errors * 2 : 4;
			dst->errors = util_xrealloc(dst->errors, dst->cap_errors * sizeof *dst->errors);
		}
		dst->errors[dst->nerrors++] = src->errors[i];
	}
	if (src->dump) {
		free(dst->dump);
		dst->dump = src->dump;
		dst->dump_len = src->dump_len;
	}
	dst->nbelow_severity += src->nbelow_severity;
	dst->nguesses += src->nguesses;
	dst->nfunctions_skipped += src->nfunctions_skipped;
	dst->failed |= src->failed;
	dst->not_analysed |= src->not_analysed;
	free(src->findings);
	free(src->incomplete);
	free(src->errors);
	free(src->path);
	memset(src, 0, sizeof *src);
	diag_sort(dst);
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

const char *diag_severity_text(const struct diag_finding *d, char *buf, size_t len)
{
	if (d->severity == ENG_SEV_HIGH)
		snprintf(buf, len, "severity high: the path needs no failure");
	else if (d->severity == ENG_SEV_MEDIUM)
		snprintf(buf, len, "severity medium: the path needs '%s' to fail", d->needs ? d->needs : "a call");
	else if (d->needs && !strcmp(d->needs, "the module's import"))
		snprintf(buf, len, "severity low: the path is taken only when the module's import fails");
	else
		snprintf(buf, len, "severity low: the path needs '%s' to run out of memory", d->needs ? d->needs : "a call");
	return buf;
}

int diag_merge_last(struct diag_file *f)
{
	if (!f->nfindings)
		return 0;
	struct diag_finding *last = &f->findings[f->nfindings - 1];
	if (!last->key)
		return 0;
	for (uint32_t i = 0; i + 1 < f->nfindings; i++) {
		struct diag_finding *d = &f->findings[i];
		if (d->check != last->check || !same_str(d->key, last->key) || !same_str(d->function, last->function) ||
		    !same_str(d->file, last->file))
			continue;
		uint32_t paths = d->npaths + last->npaths;
		/* the path that bites most easily, then the shortest, then the earliest */
		int shorter = last->severity != d->severity ? last->severity > d->severity
			      : last->nnotes != d->nnotes ? last->nnotes < d->nnotes
							  : last->line < d->line;
		if (shorter) {
			struct diag_finding tmp = *d;
			*d = *last;
			*last = tmp;
		}
		d->npaths = paths;
		finding_free(last);
		f->nfindings--;
		return 1;
	}
	return 0;
}

void diag_add_note(struct diag_finding *d, uint32_t line, uint32_t col, const char *message)
{
	d->notes = util_xrealloc(d->notes, (d->nnotes + 1) * sizeof *d->notes);
	d->notes[d->nnotes].line = line;
	d->notes[d->nnotes].col = col;
	d->notes[d->nnotes].message = util_xstrdup(message);
	d->nnotes++;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *s = util_xrealloc(NULL, (size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	return s;
}

void diag_add_error(struct diag_file *f, const char *fmt, ...)
{
	if (f->nerrors == f->cap_errors) {
		f->cap_errors = f->cap_errors ? f->cap_errors * 2 : 4;
		f->errors = util_xrealloc(f->errors, f->cap_errors * sizeof *f->errors);
	}
	va_list ap;
	va_start(ap, fmt);
	f->errors[f->nerrors++] = vformat(fmt, ap);
	va_end(ap);
}

void diag_run_error(struct diag_run *r, const char *file, const char *fmt, ...)
{
	if (r->nerrors == r->cap_errors) {
		r->cap_errors = r->cap_errors ? r->cap_errors * 2 : 4;
		r->errors = util_xrealloc(r->errors, r->cap_errors * sizeof *r->errors);
		r->error_files = util_xrealloc(r->error_files, r->cap_errors * sizeof *r->error_files);
	}
	va_list ap;
	va_start(ap, fmt);
	r->error_files[r->nerrors] = util_xstrdup(file ? file : "");
	r->errors[r->nerrors++] = vformat(fmt, ap);
	va_end(ap);
}

void diag_add_incomplete_in(struct diag_file *f, const char *file, uint32_t line, uint32_t col, const char *message)
{
	if (f->nincomplete == f->cap_incomplete) {
		f->cap_incomplete = f->cap_incomplete ? f->cap_incomplete * 2 : 4;
		f->incomplete = util_xrealloc(f->incomplete, f->cap_incomplete * sizeof *f->incomplete);
	}
	f->incomplete[f->nincomplete].line = line;
	f->incomplete[f->nincomplete].col = col;
	f->incomplete[f->nincomplete].message = util_xstrdup(message);
	f->incomplete[f->nincomplete].file = file ? util_xstrdup(file) : NULL;
	f->nincomplete++;
}

void diag_add_skipped_function(struct diag_file *f, const char *file, uint32_t line, uint32_t col,
			       const char *message)
{
	diag_add_incomplete_in(f, file, line, col, message);
	f->nfunctions_skipped++;
}

void diag_add_incomplete(struct diag_file *f, uint32_t line, uint32_t col, const char *message)
{
	diag_add_incomplete_in(f, NULL, line, col, message);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct diag_finding *x = a, *y = b;
	if (!x->file != !y->file)
		return x->file ? 1 : -1;
	if (x->file && strcmp(x->file, y->file))
		return strcmp(x->file, y->file);
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	return strcmp(x->message, y->message);
}

void diag_sort(struct diag_file *f)
{
	if (f->nfindings > 1)
		qsort(f->findings, f->nfindings, sizeof *f->findings, cmp_finding);
}

void diag_drop_findings(struct diag_file *f, const unsigned char *drop)
{
	uint32_t n = 0;
	for (uint32_t k = 0; k < f->nfindings; k++) {
		if (drop[k])
			finding_free(&f->findings[k]);
		else
			f->findings[n++] = f->findings[k];
	}
	f->nfindings = n;
}

/* ------------------------------------------------------------------------------------------ */
/* UTF-8 for JSON and SARIF                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 when p[0] does not start one. */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp, min;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, cp = c & 0x1fu, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, cp = c & 0x0fu, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, cp = c & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *diag_utf8_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t bad = 0, len = 0;
	for (size_t n; p[len]; len += n ? n : 1)
		if (!(n = utf8_seq(p + len)))
			bad++;
	if (!bad)
		return NULL;
	static const char hex[] = "0123456789ABCDEF";
	char *out = util_xrealloc(NULL, len + 2 * bad + 1), *q = out;
	for (size_t i = 0, n; i < len; i += n ? n : 1) {
		if ((n = utf8_seq(p + i)) != 0) {
			memcpy(q, p + i, n);
			q += n;
		} else {
			*q++ = '%';
			*q++ = hex[p[i] >> 4];
			*q++ = hex[p[i] & 15];
		}
	}
	*q = '\0';
	return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Suppression                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* Whether [p, end) holds "rccheck: ignore[...]" naming id or '*'. */
static int line_suppresses(const char *p, const char *end, const char *id)
{
	static const char key[] = "rccheck: ignore[";
	size_t kl = sizeof key - 1, il = strlen(id);
	for (const char *s = p; s + kl <= end; s++) {
		if (memcmp(s, key, kl) != 0)
			continue;
		const char *q = s + kl;
		while (q < end && *q != ']') {
			while (q < end && (*q == ' ' || *q == ','))
				q++;
			const char *w = q;
			while (q < end && *q != ',' && *q != ']' && *q != ' ')
				q++;
			size_t wl = (size_t)(q - w);
			if ((wl == 1 && *w == '*') || (wl == il && !memcmp(w, id, il)))
				return 1;
		}
	}
	return 0;
}

int diag_suppressed(const char *text, size_t len, uint32_t line, const char *id)
{
	if (!text || line == 0)
		return 0;
	const char *end = text + len;
	const char *p = text;
	uint32_t cur = 1;
	const char *prev_start = NULL;
	while (p < end && cur < line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return 0;
		prev_start = p;
		p = nl + 1;
		cur++;
	}
	if (cur != line)
		return 0;
	const char *le = memchr(p, '\n', (size_t)(end - p));
	if (!le)
		le = end;
	if (line_suppresses(p, le, id))
		return 1;
	if (prev_start && line_suppresses(prev_start, p, id))
		return 1;
	return 0;
}

void diag_lines_build(struct diag_lines *l, const char *text, size_t len)
{
	static const char key[] = "rccheck: ignore[";
	memset(l, 0, sizeof *l);
	l->text = text;
	l->len = len;
	if (!text || len < sizeof key - 1)
		return;
	int any = 0;
	for (const char *p = text; (p = memchr(p, 'r', len - (size_t)(p - text))) != NULL; p++) {
		if ((size_t)(text + len - p) >= sizeof key - 1 && !memcmp(p, key, sizeof key - 1)) {
			any = 1;
			break;
		}
	}
	if (!any)
		return;
	uint32_t cap = 1024;
	l->start = util_xrealloc(NULL, cap * sizeof *l->start);
	l->start[l->n++] = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		if (l->n == cap) {
			cap *= 2;
			l->start = util_xrealloc(l->start, cap * sizeof *l->start);
		}
		l->start[l->n++] = (uint32_t)(i + 1);
	}
}

void diag_lines_free(struct diag_lines *l)
{
	free(l->start);
	memset(l, 0, sizeof *l);
}

int diag_lines_suppressed(const struct diag_lines *l, uint32_t line, const char *id)
{
	if (!l->start || line == 0 || line > l->n)
		return 0;
	const char *b = l->text + l->start[line - 1];
	const char *e = line < l->n ? l->text + l->start[line] : l->text + l->len;
	if (line_suppresses(b, e, id))
		return 1;
	if (line >= 2 && line_suppresses(l->text + l->start[line - 2], b, id))
		return 1;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Totals and text output                                                                      */
/* ------------------------------------------------------------------------------------------ */

void diag_filter_severity_file(struct diag_file *f, int min)
{
	uint32_t kept = 0;
	for (uint32_t k = 0; k < f->nfindings; k++) {
		if (f->findings[k].severity < min) {
			finding_free(&f->findings[k]);
			f->nbelow_severity++;
		} else {
			f->findings[kept++] = f->findings[k];
		}
	}
	f->nfindings = kept;
}

void diag_filter_severity(struct diag_run *r, int min)
{
	for (size_t i = 0; i < r->nfiles; i++)
		diag_filter_severity_file(&r->files[i], min);
}

void diag_totals(const struct diag_run *r, struct diag_totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		t->findings += f->nfindings;
		t->failed += f->failed != 0;
		t->not_analysed += f->not_analysed != 0;
		t->functions += f->nfunctions + f->nfunctions_skipped;
		t->functions_not_analysed += f->nfunctions_skipped;
		t->below_severity += f->nbelow_severity;
		t->guesses += f->nguesses;
	}
}

size_t diag_count_findings(const struct diag_run *r)
{
	struct diag_totals t;
	diag_totals(r, &t);
	return t.findings;
}

int diag_run_incomplete(const struct diag_run *r)
{
	if (r->nerrors)
		return 1;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		if (f->nerrors || f->failed || f->not_analysed || f->nfunctions_skipped)
			return 1;
	}
	return 0;
}

void diag_count_by_id(const struct diag_run *r, size_t *by_id)
{
	memset(by_id, 0, engine_ncheck * sizeof *by_id);
	for (size_t i = 0; i < r->nfiles; i++)
		for (uint32_t k = 0; k < r->files[i].nfindings; k++)
			by_id[r->files[i].findings[k].check]++;
}

void diag_print_run_errors(const struct diag_run *r, FILE *err)
{
	for (size_t i = 0; i < r->nerrors; i++) {
		if (r->error_files[i][0])
			fprintf(err, "rccheck: error: %s: %s\n", r->error_files[i], r->errors[i]);
		else
			fprintf(err, "rccheck: error: %s\n", r->errors[i]);
	}
}

void diag_print_file_errors(const struct diag_file *f, FILE *err)
{
	for (uint32_t k = 0; k < f->nerrors; k++)
		fprintf(err, "rccheck: error: %s: %s\n", f->path, f->errors[k]);
}

void diag_print_errors(const struct diag_run *r, FILE *err)
{
	diag_print_run_errors(r, err);
	for (size_t i = 0; i < r->nfiles; i++)
		diag_print_file_errors(&r->files[i], err);
}

/*
 * Colours (--color) as clang and gcc use them on a terminal: the location bold, "warning:" bold
 * magenta and the warning's text bold, "note:" bold cyan. Without colour the bytes are exactly
 * the plain format (scripts, editors and the tests parse it).
 */
#define SGR_BOLD "\033[1m"
#define SGR_WARNING "\033[1;35m"
#define SGR_NOTE "\033[1;36m"
#define SGR_RESET "\033[0m"

int diag_use_color(enum diag_color mode, FILE *out)
{
	if (mode != DIAG_COLOR_AUTO)
		return mode == DIAG_COLOR_ALWAYS;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if ((no && *no) || (term && !strcmp(term, "dumb")))
		return 0;
	return isatty(fileno(out));
}

/* One line "PATH:LINE:COL: KIND: TEXT[ [ID]]" (id: NULL for a note). */
static void text_line(FILE *out, int color, const char *path, uint32_t line, uint32_t col, const char *id,
		      const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;

static void text_line(FILE *out, int color, const char *path, uint32_t line, uint32_t col, const char *id,
		      const char *fmt, ...)
{
	const char *kind = id ? "warning" : "note";
	if (color)
		fprintf(out, SGR_BOLD "%s:%u:%u:" SGR_RESET " %s%s:" SGR_RESET " %s", path, line, col,
			id ? SGR_WARNING : SGR_NOTE, kind, id ? SGR_BOLD : "");
	else
		fprintf(out, "%s:%u:%u: %s: ", path, line, col, kind);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	if (id)
		fprintf(out, " [%s]", id);
	fputs(color && id ? SGR_RESET "\n" : "\n", out);
}

int diag_write_text_file(const struct diag_file *f, FILE *out, int color)
{
	for (uint32_t k = 0; k < f->nfindings; k++) {
		const struct diag_finding *d = &f->findings[k];
		const char *path = diag_finding_path(f, d);
		text_line(out, color, path, d->line, d->col, engine_checks[d->check]->id, "%s", d->message);
		for (uint32_t j = 0; j < d->nnotes; j++)
			text_line(out, color, path, d->notes[j].line, d->notes[j].col, NULL, "%s", d->notes[j].message);
		char sev[400];
		text_line(out, color, path, d->line, d->col, NULL, "%s", diag_severity_text(d, sev, sizeof sev));
		if (d->guess)
			text_line(out, color, path, d->line, d->col, NULL, "this finding rests on a guess: %s", d->guess);
		if (d->npaths > 1)
			text_line(out, color, path, d->line, d->col, NULL,
				  "%u paths lead to this defect; the shortest is shown (--all-paths lists each)", d->npaths);
	}
	for (uint32_t k = 0; k < f->nincomplete; k++)
		text_line(out, color, diag_note_path(f, &f->incomplete[k]), f->incomplete[k].line, f->incomplete[k].col,
			  NULL, "%s", f->incomplete[k].message);
	fflush(out);
	return ferror(out) ? -1 : 0;
}

int diag_write_text(const struct diag_run *r, FILE *out, FILE *err)
{
	(void)err;
	int rc = 0;
	for (size_t i = 0; i < r->nfiles; i++)
		rc |= diag_write_text_file(&r->files[i], out, 0);
	return rc;
}
