/*
 * output_json.c - the --format=json report (contract in docs/analyzer.md).
 */
#include "report/diag.h"
#include "engine/engine.h"
#include "version.h"

#include <jansson.h>
#include <stdlib.h>

json_t *output_json_string(const char *s)
{
	char *buf;
	const char *t = diag_utf8_text(s, &buf);
	json_t *j = json_string(t);
	free(buf);
	return j;
}

static json_t *note_json(const char *file, const struct diag_note *n)
{
	return json_pack("{s:o, s:i, s:i, s:o}", "file", output_json_string(file), "line", (json_int_t)n->line,
			 "column", (json_int_t)n->col, "message", output_json_string(n->message));
}

static json_t *error_json(const char *file, const char *message)
{
	return json_pack("{s:o, s:o}", "file", output_json_string(file), "message", output_json_string(message));
}

int output_json_write(const struct diag_run *r, FILE *out)
{
	json_t *root = json_object();
	json_t *findings = json_array();
	json_t *errors = json_array();
	json_t *incomplete = json_array();
	json_t *by_id = json_object();
	for (size_t c = 0; c < engine_ncheck; c++)
		json_object_set_new(by_id, engine_checks[c]->id, json_integer(0));
	for (size_t i = 0; i < r->nerrors; i++)
		json_array_append_new(errors, error_json(r->error_files[i], r->errors[i]));
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		for (uint32_t k = 0; k < f->nfindings; k++) {
			const struct diag_finding *d = &f->findings[k];
			const char *id = engine_checks[d->check]->id;
			const char *file = diag_finding_path(f, d);
			json_t *path = json_array();
			for (uint32_t j = 0; j < d->nnotes; j++)
				json_array_append_new(path, note_json(file, &d->notes[j]));
			json_array_append_new(findings,
					      json_pack("{s:s, s:s, s:o, s:o, s:i, s:i, s:o, s:o, s:i}", "id", id, "severity",
							"warning", "message", output_json_string(d->message), "file",
							output_json_string(file), "line", (json_int_t)d->line, "column",
							(json_int_t)d->col, "function", output_json_string(d->function),
							"path", path, "paths", (json_int_t)d->npaths));
			json_t *jf = json_array_get(findings, json_array_size(findings) - 1);
			json_object_set_new(jf, "rank", json_string(engine_severity_name(d->severity)));
			if (d->needs)
				json_object_set_new(jf, "needs", output_json_string(d->needs));
			if (d->guess)
				json_object_set_new(jf, "guess", json_string(d->guess));
			json_t *cnt = json_object_get(by_id, id);
			json_integer_set(cnt, json_integer_value(cnt) + 1);
		}
		for (uint32_t k = 0; k < f->nerrors; k++)
			json_array_append_new(errors, error_json(f->path, f->errors[k]));
		for (uint32_t k = 0; k < f->nincomplete; k++)
			json_array_append_new(incomplete, note_json(diag_note_path(f, &f->incomplete[k]), &f->incomplete[k]));
	}
	json_object_set_new(root, "tool", json_string("rccheck"));
	json_object_set_new(root, "version", json_string(RCCHECK_VERSION));
	json_object_set_new(root, "findings", findings);
	json_object_set_new(root, "errors", errors);
	json_object_set_new(root, "incomplete", incomplete);
	struct diag_totals t;
	diag_totals(r, &t);
	json_t *summary = json_pack("{s:i, s:i, s:i, s:o, s:i, s:f}", "files", (json_int_t)r->nfiles, "functions",
				    (json_int_t)t.functions, "findings", (json_int_t)t.findings, "by_id", by_id,
				    "failed_files", (json_int_t)t.failed, "seconds", r->seconds);
	if (r->baseline_used)
		json_object_set_new(summary, "baseline_suppressed", json_integer((json_int_t)r->baseline_suppressed));
	json_object_set_new(summary, "below_min_severity", json_integer((json_int_t)t.below_severity));
	json_object_set_new(summary, "held_back_guesses", json_integer((json_int_t)t.guesses));
	json_object_set_new(summary, "not_analysed_files", json_integer((json_int_t)t.not_analysed));
	json_object_set_new(summary, "not_analysed_functions", json_integer((json_int_t)t.functions_not_analysed));
	json_object_set_new(summary, "input_errors", json_integer((json_int_t)r->nerrors));
	json_object_set_new(summary, "complete", json_boolean(!diag_run_incomplete(r)));
	json_object_set_new(root, "summary", summary);
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	fflush(out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
