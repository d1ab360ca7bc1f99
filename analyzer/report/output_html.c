/*
 * output_html.c - the --format=html report, to read findings as scan-build's reports are read
 * (docs/analyzer.md, "HTML output"). Two shapes, the same parts:
 *   - one page (output_html_write, standard output): the index of the findings, then every
 *     finding with its path drawn on the source;
 *   - a directory (output_html_write_dir, -o DIR): index.html, the index alone, and fN.html,
 *     one page per finding (N as in the index).
 * The index is a table sortable by check, file, function, line or severity (a few lines of
 * inline script; the table reads in order without it). A path is drawn on the source: the lines
 * of its notes with two lines around them (windows that touch are merged), each line with a
 * step marked, each note numbered under its line, the line of the finding marked. Errors and
 * incomplete analyses close the index. Every page is self-contained (no network, no other
 * file but the links between the pages). Source is read from the files when the report is
 * written; a file that cannot be read shows the notes alone.
 */
#include "report/diag.h"
#include "engine/engine.h"
#include "util.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
			int step = 0;
			for (uint32_t k = 0; k < d->nnotes && !step; k++)
				step = d->notes[k].line == l;
			fprintf(out, "<tr%s id=\"L%u\"><td class=\"ln\">%u</td><td class=\"code\">",
				l == d->line ? (step ? " class=\"hit step\"" : " class=\"hit\"")
					     : step ? " class=\"step\"" : "",
				l, l);
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
	"table.index th[data-key]{cursor:pointer;text-decoration:underline dotted}"
	"table.src{font-family:monospace;font-size:90%;margin:.5em 0 1.5em}"
	"table.src td{padding:0 .5em;white-space:pre}td.ln{color:#888;text-align:right}"
	"tr.step td.code{background:#eef6ff}tr.hit td.code{background:#fdd}"
	"tr.note td{color:#035;background:#eef6ff;white-space:normal}"
	"span.step{display:inline-block;min-width:1.4em;background:#035;color:#fff;border-radius:.7em;"
	"text-align:center;margin-right:.4em}tr.gap td{color:#888}"
	"section{border-top:2px solid #ccc;padding-top:.5em}.sev-high{color:#b00}.sev-medium{color:#a60}"
	".sev-low{color:#666}\n";

/* Sorts the index (table#findings) by a column: a click on a header, or index.html#sort=KEY
 * when the page opens. Ties keep file, line, number order. The table says how it is sorted in
 * its data-sorted attribute (the browser test reads it). */
static const char sort_script[] =
	"(function(){var t=document.getElementById('findings');if(!t)return;\n"
	"var num={n:1,line:1,severity:1};\n"
	"function v(r,k){var s=r.getAttribute('data-'+k)||'';return num[k]?Number(s):s;}\n"
	"function c(x,y,k){var a=v(x,k),b=v(y,k);return a<b?-1:a>b?1:0;}\n"
	"function sort(k){if(!t.querySelector('th[data-key=\"'+k+'\"]'))return;var b=t.tBodies[0],"
	"r=Array.prototype.slice.call(b.rows);\n"
	"r.sort(function(x,y){return c(x,y,k)||c(x,y,'file')||c(x,y,'line')||c(x,y,'n');});\n"
	"r.forEach(function(x){b.appendChild(x);});t.setAttribute('data-sorted',k);}\n"
	"Array.prototype.forEach.call(t.querySelectorAll('th[data-key]'),function(h){h.onclick=function(){"
	"location.hash='sort='+h.getAttribute('data-key');};});\n"
	"function fromHash(){var m=/^#sort=([a-z]+)$/.exec(location.hash);if(m)sort(m[1]);}\n"
	"window.addEventListener('hashchange',fromHash);fromHash();})();\n";

static void put_head(FILE *out, const char *title)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	put(out, title);
	fprintf(out, "</title>\n<style>%s</style></head><body>\n", style);
}

static void put_summary(FILE *out, const struct diag_run *r)
{
	struct diag_totals t;
	diag_totals(r, &t);
	fprintf(out, "<h1>rccheck %s report</h1>\n<p>%zu file%s, %zu function%s, %zu finding%s",
		RCCHECK_VERSION, r->nfiles, r->nfiles == 1 ? "" : "s", t.functions, t.functions == 1 ? "" : "s",
		t.findings, t.findings == 1 ? "" : "s");
	if (t.guesses)
		fprintf(out, ", %zu resting on guesses not shown (--show-guesses)", t.guesses);
	fputs(".</p>\n", out);
}

/* The index: one row per finding, numbered in report order, linking to "#fN" (one page) or
 * "fN.html" (a directory). Each row carries its sort keys as data- attributes. */
static void put_index(FILE *out, const struct diag_run *r, int pages)
{
	fputs("<table class=\"index\" id=\"findings\"><thead><tr><th data-key=\"n\">#</th>"
	      "<th data-key=\"file\">file</th><th data-key=\"line\">line</th>"
	      "<th data-key=\"function\">function</th><th data-key=\"check\">check</th>"
	      "<th data-key=\"severity\">severity</th><th>finding</th></tr></thead>\n<tbody>\n", out);
	size_t id = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		for (uint32_t k = 0; k < f->nfindings; k++) {
			const struct diag_finding *d = &f->findings[k];
			const char *check = engine_checks[d->check]->id;
			id++;
			fprintf(out, "<tr data-n=\"%zu\" data-file=\"", id);
			put(out, diag_finding_path(f, d));
			fprintf(out, "\" data-line=\"%u\" data-function=\"", d->line);
			put(out, d->function);
			fprintf(out, "\" data-check=\"%s\" data-severity=\"%d\">", check,
				d->severity == ENG_SEV_HIGH ? 0 : d->severity == ENG_SEV_MEDIUM ? 1 : 2);
			fprintf(out, pages ? "<td><a href=\"f%zu.html\">%zu</a></td><td>" : "<td><a href=\"#f%zu\">%zu</a></td><td>",
				id, id);
			put(out, diag_finding_path(f, d));
			fprintf(out, "</td><td>%u</td><td>", d->line);
			put(out, d->function);
			fprintf(out, "</td><td>%s</td><td class=\"sev-%s\">%s</td><td>", check, severity_word(d),
				severity_word(d));
			put(out, d->message);
			fputs("</td></tr>\n", out);
		}
	}
	fprintf(out, "</tbody></table>\n<script>%s</script>\n", sort_script);
}

/* One finding: its heading, what it takes, and its path on the source. */
static void put_finding(FILE *out, const struct diag_finding *d, const char *path, size_t id,
			const struct source *src)
{
	fprintf(out, "<section id=\"f%zu\"><h2>%zu. ", id, id);
	put(out, path);
	fprintf(out, ":%u:%u: <span class=\"message\">", d->line, d->col);
	put(out, d->message);
	fprintf(out, "</span> [<span class=\"check\">%s</span>]</h2>\n<p>in <code class=\"function\">",
		engine_checks[d->check]->id);
	put(out, d->function);
	fprintf(out, "</code>; severity <span class=\"sev-%s\">%s</span>", severity_word(d), severity_word(d));
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
	put_path(out, d, src);
	fputs("</section>\n", out);
}

/* What was not analysed, and the errors. */
static void put_errors(FILE *out, const struct diag_run *r)
{
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
}

/* Calls fn for every finding in report order (numbered from 1) with its file's source loaded
 * (one file's source at a time). Stops at the first fn that fails and returns what it returned. */
static int each_finding(const struct diag_run *r,
			int (*fn)(void *ctx, const struct diag_finding *d, const char *path, size_t id,
				  const struct source *src),
			void *ctx)
{
	size_t id = 0;
	int rc = 0;
	for (size_t i = 0; i < r->nfiles && !rc; i++) {
		const struct diag_file *f = &r->files[i];
		struct source src;
		memset(&src, 0, sizeof src);
		for (uint32_t k = 0; k < f->nfindings && !rc; k++) {
			const struct diag_finding *d = &f->findings[k];
			const char *path = diag_finding_path(f, d);
			if (!src.path || strcmp(src.path, path)) {
				source_free(&src);
				source_load(&src, path);
			}
			rc = fn(ctx, d, path, ++id, &src);
		}
		source_free(&src);
	}
	return rc;
}

static int section_on_page(void *ctx, const struct diag_finding *d, const char *path, size_t id,
			   const struct source *src)
{
	put_finding(ctx, d, path, id, src);
	return 0;
}

int output_html_write(const struct diag_run *r, FILE *out)
{
	put_head(out, "rccheck report");
	put_summary(out, r);
	put_index(out, r, 0);
	each_finding(r, section_on_page, out);
	put_errors(out, r);
	fputs("</body></html>\n", out);
	fflush(out);
	return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The report as a directory                                                                  */

struct dir_ctx {
	const char *dir;
	size_t total;
	char *err;
	size_t errlen;
};

/* Opens DIR/name for writing; on failure says why in ctx->err. */
static FILE *open_page(struct dir_ctx *c, const char *name)
{
	char *path = util_xrealloc(NULL, strlen(c->dir) + strlen(name) + 2);
	sprintf(path, "%s/%s", c->dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		snprintf(c->err, c->errlen, "%s: %s", path, strerror(errno));
	free(path);
	return f;
}

static int close_page(struct dir_ctx *c, FILE *f, const char *name)
{
	fputs("</body></html>\n", f);
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		snprintf(c->err, c->errlen, "%s/%s: write error", c->dir, name);
		return -1;
	}
	return 0;
}

static int finding_page(void *ctx, const struct diag_finding *d, const char *path, size_t id,
			const struct source *src)
{
	struct dir_ctx *c = ctx;
	char name[32], title[64];
	snprintf(name, sizeof name, "f%zu.html", id);
	FILE *out = open_page(c, name);
	if (!out)
		return -1;
	snprintf(title, sizeof title, "rccheck: finding %zu of %zu", id, c->total);
	put_head(out, title);
	fprintf(out, "<nav><a href=\"index.html\">all findings</a>");
	if (id > 1)
		fprintf(out, " &middot; <a href=\"f%zu.html\">previous</a>", id - 1);
	if (id < c->total)
		fprintf(out, " &middot; <a href=\"f%zu.html\">next</a>", id + 1);
	fprintf(out, " &middot; finding %zu of %zu</nav>\n", id, c->total);
	put_finding(out, d, path, id, src);
	return close_page(c, out, name);
}

/* Removes the fN.html pages an earlier report left in dir (a new report may have fewer). */
static void remove_old_pages(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *p = e->d_name;
		if (p[0] != 'f' || !p[1])
			continue;
		size_t k = 1;
		while (p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == 1 || strcmp(p + k, ".html"))
			continue;
		char *path = util_xrealloc(NULL, strlen(dir) + strlen(p) + 2);
		sprintf(path, "%s/%s", dir, p);
		unlink(path);
		free(path);
	}
	closedir(d);
}

int output_html_write_dir(const struct diag_run *r, const char *dir, char *err, size_t errlen)
{
	struct dir_ctx c = { .dir = dir, .total = diag_count_findings(r), .err = err, .errlen = errlen };
	remove_old_pages(dir);
	if (each_finding(r, finding_page, &c) < 0)
		return -1;
	FILE *out = open_page(&c, "index.html");
	if (!out)
		return -1;
	put_head(out, "rccheck report");
	put_summary(out, r);
	put_index(out, r, 1);
	put_errors(out, r);
	return close_page(&c, out, "index.html");
}
