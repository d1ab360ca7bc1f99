/*
 * output_json.c - the --format=json report (contract in docs/analyzer.md).
 */
#include "report/diag.h"
#include "engine/engine.h"
#include "version.h"

#include <jansson.h>

static json_t *note_json(const char *file, const struct diag_note *n)
{
	return json_pack("{s:s, s:i, s:i, s:s}", "file", file, "line", (json_int_t)n->line, "column",
			 (json_int_t)n->col, "message", n->message);
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
		json_array_append_new(errors, json_pack("{s:s, s:s}", "file", r->error_files[i], "message", r->errors[i]));
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
					      json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:o, s:i}", "id", id, "severity",
							"warning", "message", d->message, "file", file, "line",
							(json_int_t)d->line, "column", (json_int_t)d->col, "function",
							d->function, "path", path, "paths", (json_int_t)d->npaths));
			json_t *jf = json_array_get(findings, json_array_size(findings) - 1);
			json_object_set_new(jf, "rank", json_string(engine_severity_name(d->severity)));
			if (d->needs)
				json_object_set_new(jf, "needs", json_string(d->needs));
			if (d->guess)
				json_object_set_new(jf, "guess", json_string(d->guess));
			json_t *cnt = json_object_get(by_id, id);
			json_integer_set(cnt, json_integer_value(cnt) + 1);
		}
		for (uint32_t k = 0; k < f->nerrors; k++)
			json_array_append_new(errors, json_pack("{s:s, s:s}", "file", f->path, "message", f->errors[k]));
		for (uint32_t k = 0; k < f->nincomplete; k++)
			json_array_append_new(incomplete, note_json(diag_note_path(f, &f->incomplete[k]), &f->incomplete[k]));
	}
	json_object_set_new(root, "tool", json_string("rccheck"));
	json_object_set_new(root, "version", json_string(RCCHECK_VERSION));
	json_object_set_new(root, "findings", findings);
	json_object_set_new(root, "errors", errors);
	json_object_set_new(root, "incomplete", incomplete);
	json_t *summary = json_pack("{s:i, s:i, s:i, s:o, s:i, s:f}", "files", (json_int_t)r->nfiles, "functions",
				    (json_int_t)diag_count_functions(r), "findings", (json_int_t)diag_count_findings(r),
				    "by_id", by_id, "failed_files", (json_int_t)diag_count_failed(r), "seconds",
				    r->seconds);
	if (r->baseline_used)
		json_object_set_new(summary, "baseline_suppressed", json_integer((json_int_t)r->baseline_suppressed));
	json_object_set_new(summary, "below_min_severity", json_integer((json_int_t)diag_count_below_severity(r)));
	json_object_set_new(summary, "held_back_guesses", json_integer((json_int_t)diag_count_guesses(r)));
	json_object_set_new(root, "summary", summary);
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	fflush(out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
