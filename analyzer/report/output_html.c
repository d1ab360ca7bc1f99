/*
 * output_html.c - the --format=html report: one self-contained page (no script, no external
 * file) to read findings as scan-build's reports are read. A table of the findings, then each
 * finding with its path drawn on the source: the lines of its notes with two lines around
 * them (windows that touch are merged), each note numbered under its line, the line of the
 * finding marked. Errors and incomplete analyses are listed at the end. Source is read from the
 * files when the report is written; a file that cannot be read shows the notes alone.
 */
#include "report/diag.h"
#include "engine/engine.h"
#include "util.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT 2 /* lines shown around each line of the path */

/* Writes s as HTML text: markup characters escaped, bytes that are not UTF-8 as %XX. */
static void put_text(FILE *out, const char *s, size_t len)
{
	char *tmp = util_xrealloc(NULL, len + 1);
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	char *buf;
	const char *t = diag_utf8_text(tmp, &buf);
	for (const char *p = t; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\t': fputs("        ", out); break;
		case '\r': break;
		default:
			if ((unsigned char)*p < 0x20)
				fputc('?', out);
			else
				fputc(*p, out);
		}
	}
	free(buf);
	free(tmp);
}

static void put(FILE *out, const char *s)
{
	put_text(out, s ? s : "", s ? strlen(s) : 0);
}

/* A source file split into lines (text kept whole, offsets per line). */
struct source {
	char *path;
	char *text;
	size_t len;
	size_t *start; /* start[i]: offset of line i + 1; start[n] = len */
	uint32_t n;
	int ok;
};

static void source_load(struct source *s, const char *path)
{
	memset(s, 0, sizeof *s);
	s->path = util_xstrdup(path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	size_t cap = 0;
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
		if (s->len + k > cap) {
			cap = (s->len + k) * 2;
			s->text = util_xrealloc(s->text, cap);
		}
		memcpy(s->text + s->len, buf, k);
		s->len += k;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return;
	uint32_t lines = 1;
	for (size_t i = 0; i < s->len; i++)
		lines += s->text[i] == '\n';
	s->start = util_xcalloc(lines + 1, sizeof *s->start);
	s->n = 0;
	s->start[s->n++] = 0;
	for (size_t i = 0; i < s->len; i++)
		if (s->text[i] == '\n' && i + 1 < s->len)
			s->start[s->n++] = i + 1;
	s->start[s->n] = s->len;
	s->ok = 1;
}

static void source_free(struct source *s)
{
	free(s->path);
	free(s->text);
	free(s->start);
}

/* Line l (1-based) of s without its newline. */
static void source_line(const struct source *s, uint32_t l, const char **p, size_t *len)
{
	size_t a = s->start[l - 1], b = s->start[l];
	if (b > a && s->text[b - 1] == '\n')
		b--;
	*p = s->text + a;
	*len = b - a;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The finding's path drawn on the source: windows around the lines of its notes. */
static void put_path(FILE *out, const struct diag_finding *d, const struct source *src)
{
	uint32_t n = d->nnotes + 1;
	uint32_t *lines = util_xcalloc(n, sizeof *lines);
	for (uint32_t k = 0; k < d->nnotes; k++)
		lines[k] = d->notes[k].line;
	lines[d->nnotes] = d->line;
	qsort(lines, n, sizeof *lines, cmp_u32);
	fputs("<table class=\"src\">\n", out);
	uint32_t shown = 0; /* last line written */
	for (uint32_t i = 0; i < n; i++) {
		if (!src->ok || lines[i] == 0 || lines[i] > src->n)
			continue;
		uint32_t lo = lines[i] > CONTEXT ? lines[i] - CONTEXT : 1;
		uint32_t hi = lines[i] + CONTEXT < src->n ? lines[i] + CONTEXT : src->n;
		if (lo <= shown)
			lo = shown + 1;
		if (shown && lo > shown + 1)
			fputs("<tr class=\"gap\"><td></td><td>&#8942;</td></tr>\n", out);
		for (uint32_t l = lo; l <= hi; l++) {
			const char *p;
			size_t len;
			source_line(src, l, &p, &len);
			fprintf(out, "<tr%s><td class=\"ln\">%u</td><td class=\"code\">",
				l == d->line ? " class=\"hit\"" : "", l);
			put_text(out, p, len);
			fputs("</td></tr>\n", out);
			/* the notes of this line, numbered in path order */
			for (uint32_t k = 0; k < d->nnotes; k++)
				if (d->notes[k].line == l) {
					fprintf(out, "<tr class=\"note\"><td></td><td><span class=\"step\">%u</span> ", k + 1);
					put(out, d->notes[k].message);
					fputs("</td></tr>\n", out);
				}
		}
		if (hi > shown)
			shown = hi;
	}
	fputs("</table>\n", out);
	if (!src->ok) { /* the notes alone */
		fputs("<ol class=\"notes\">\n", out);
		for (uint32_t k = 0; k < d->nnotes; k++) {
			fprintf(out, "<li>line %u: ", d->notes[k].line);
			put(out, d->notes[k].message);
			fputs("</li>\n", out);
		}
		fputs("</ol>\n", out);
	}
	free(lines);
}

static const char *severity_word(const struct diag_finding *d)
{
	return d->severity == ENG_SEV_HIGH ? "high" : d->severity == ENG_SEV_MEDIUM ? "medium" : "low";
}

static const char style[] =
	"body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
	"table.index td,table.index th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}"
	"table.src{font-family:monospace;font-size:90%;margin:.5em 0 1.5em}"
	"table.src td{padding:0 .5em;white-space:pre}td.ln{color:#888;text-align:right}"
	"tr.hit td.code{background:#fdd}tr.note td{color:#035;background:#eef6ff;white-space:normal}"
	"span.step{display:inline-block;min-width:1.4em;background:#035;color:#fff;border-radius:.7em;"
	"text-align:center;margin-right:.4em}tr.gap td{color:#888}"
	"section{border-top:2px solid #ccc;padding-top:.5em}.sev-high{color:#b00}.sev-medium{color:#a60}"
	".sev-low{color:#666}\n";

int output_html_write(const struct diag_run *r, FILE *out)
{
	struct diag_totals t;
	diag_totals(r, &t);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		     "<title>rccheck report</title>\n<style>%s</style></head><body>\n", style);
	fprintf(out, "<h1>rccheck %s report</h1>\n<p>%zu file%s, %zu function%s, %zu finding%s",
		RCCHECK_VERSION, r->nfiles, r->nfiles == 1 ? "" : "s", t.functions, t.functions == 1 ? "" : "s",
		t.findings, t.findings == 1 ? "" : "s");
	if (t.guesses)
		fprintf(out, ", %zu resting on guesses not shown (--show-guesses)", t.guesses);
	fputs(".</p>\n", out);

	/* the index */
	fputs("<table class=\"index\"><tr><th>#</th><th>location</th><th>check</th><th>severity</th>"
	      "<th>finding</th></tr>\n", out);
	size_t id = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		for (uint32_t k = 0; k < f->nfindings; k++) {
			const struct diag_finding *d = &f->findings[k];
			id++;
			fprintf(out, "<tr><td><a href=\"#f%zu\">%zu</a></td><td>", id, id);
			put(out, diag_finding_path(f, d));
			fprintf(out, ":%u</td><td>%s</td><td class=\"sev-%s\">%s</td><td>", d->line,
				engine_checks[d->check]->id, severity_word(d), severity_word(d));
			put(out, d->message);
			fputs("</td></tr>\n", out);
		}
	}
	fputs("</table>\n", out);

	/* each finding on its source */
	id = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		struct source src;
		memset(&src, 0, sizeof src);
		for (uint32_t k = 0; k < f->nfindings; k++) {
			const struct diag_finding *d = &f->findings[k];
			const char *path = diag_finding_path(f, d);
			if (!src.path || strcmp(src.path, path)) {
				source_free(&src);
				source_load(&src, path);
			}
			id++;
			fprintf(out, "<section id=\"f%zu\"><h2>%zu. ", id, id);
			put(out, path);
			fprintf(out, ":%u:%u: ", d->line, d->col);
			put(out, d->message);
			fprintf(out, " [%s]</h2>\n<p>in <code>", engine_checks[d->check]->id);
			put(out, d->function);
			fprintf(out, "</code>; severity <span class=\"sev-%s\">%s</span>", severity_word(d),
				severity_word(d));
			if (d->needs) {
				fputs(" (needs ", out);
				put(out, d->needs);
				fputs(" to fail)", out);
			}
			if (d->npaths > 1)
				fprintf(out, "; %u paths lead to it, the shortest is shown", d->npaths);
			if (d->guess) {
				fputs("; rests on a guess: ", out);
				put(out, d->guess);
			}
			fputs("</p>\n", out);
			put_path(out, d, &src);
			fputs("</section>\n", out);
		}
		source_free(&src);
	}

	/* what was not analysed, and the errors */
	int any = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		for (uint32_t k = 0; k < f->nerrors + f->nincomplete; k++) {
			if (!any++)
				fputs("<section><h2>Errors and incomplete analyses</h2><ul>\n", out);
			fputs("<li>", out);
			if (k < f->nerrors) {
				put(out, f->path);
				fputs(": ", out);
				put(out, f->errors[k]);
			} else {
				const struct diag_note *n = &f->incomplete[k - f->nerrors];
				put(out, diag_note_path(f, n));
				fprintf(out, ":%u: ", n->line);
				put(out, n->message);
			}
			fputs("</li>\n", out);
		}
	}
	for (size_t k = 0; k < r->nerrors; k++) {
		if (!any++)
			fputs("<section><h2>Errors and incomplete analyses</h2><ul>\n", out);
		fputs("<li>", out);
		if (r->error_files[k] && *r->error_files[k]) {
			put(out, r->error_files[k]);
			fputs(": ", out);
		}
		put(out, r->errors[k]);
		fputs("</li>\n", out);
	}
	if (any)
		fputs("</ul></section>\n", out);
	fputs("</body></html>\n", out);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
