/*
 * output_sarif.c - the --format=sarif report: SARIF 2.1.0, one run, a rule per check, one
 * result per finding with its path as a code flow, and a fingerprint that survives edits
 * elsewhere in the file (partialFingerprints; also what --baseline matches, baseline.h).
 */
#include "report/baseline.h"
#include "report/diag.h"
#include "report/rule_docs.h"
#include "engine/engine.h"
#include "util.h"
#include "version.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file path as a URI reference (SARIF 3.10.2): bytes outside the path characters of RFC 3986
 * are percent-encoded (a space is %20, '%' is %25). The caller frees the result. */
static char *uri_of(const char *path)
{
	static const char keep[] = "-._~!$&'()*+,;=:@/";
	size_t n = strlen(path);
	char *u = util_xrealloc(NULL, n * 3 + 1), *q = u;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(keep, *p)) {
			*q++ = (char)*p;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		}
	}
	*q = '\0';
	return u;
}

static json_t *location(const char *file, uint32_t line, uint32_t col, const char *message)
{
	char *uri = uri_of(file);
	json_t *loc = json_pack("{s:{s:{s:s}, s:{s:i, s:i}}}", "physicalLocation", "artifactLocation", "uri", uri,
				"region", "startLine", (json_int_t)(line ? line : 1), "startColumn",
				(json_int_t)(col ? col : 1));
	free(uri);
	if (message)
		json_object_set_new(loc, "message", json_pack("{s:o}", "text", output_json_string(message)));
	return loc;
}

/*
 * A check as a SARIF reportingDescriptor, with what GitHub code scanning shows in an alert
 * (shortDescription, fullDescription, help text and markdown, helpUri): the check's section of
 * docs/checks.md (rule_docs.h). Every check has one (the build fails otherwise); the fallback
 * to the one-line description only keeps a build whose embedding went wrong valid SARIF.
 */
static json_t *rule(const struct check *c)
{
	const struct rule_doc *doc = rule_doc_find(c->id);
	size_t n = strlen(rule_docs_url) + strlen(c->id) + 2;
	char *uri = util_xrealloc(NULL, n);
	snprintf(uri, n, "%s#%s", rule_docs_url, c->id);
	json_t *r = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s}, s:s, s:{s:s}, s:{s:[s, s]}}", "id", c->id,
			      "name", c->id, "shortDescription", "text", c->description, "fullDescription", "text",
			      doc ? doc->full : c->description, "help", "text", doc ? doc->text : c->description,
			      "markdown", doc ? doc->markdown : c->description, "helpUri", uri,
			      "defaultConfiguration", "level", "warning", "properties", "tags", "reliability",
			      "reference-counting");
	free(uri);
	return r;
}

int output_sarif_write(const struct diag_run *r, FILE *out)
{
	json_t *rules = json_array();
	for (size_t c = 0; c < engine_ncheck; c++)
		json_array_append_new(rules, rule(engine_checks[c]));
	json_t *results = json_array();
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		for (uint32_t k = 0; k < f->nfindings; k++) {
			const struct diag_finding *d = &f->findings[k];
			const char *file = diag_finding_path(f, d);
			json_t *locs = json_array();
			json_array_append_new(locs, location(file, d->line, d->col, NULL));
			json_t *res = json_pack("{s:s, s:i, s:s, s:{s:o}, s:o}", "ruleId", engine_checks[d->check]->id,
						"ruleIndex", (json_int_t)d->check, "level", "warning", "message", "text",
						output_json_string(d->message), "locations", locs);
			char fp[17];
			baseline_fingerprint(engine_checks[d->check]->id, file, d->function, d->message, fp);
			json_object_set_new(res, "partialFingerprints", json_pack("{s:s}", "rccheck/v1", fp));
			json_object_set_new(res, "properties",
					    json_pack("{s:i, s:s}", "paths", (json_int_t)d->npaths, "severity",
						      engine_severity_name(d->severity)));
			/* SARIF's level and rank (0-100): what it takes for the path to happen */
			json_object_set_new(res, "level", json_string(d->severity == ENG_SEV_LOW ? "note" : "warning"));
			json_object_set_new(res, "rank", json_real(d->severity == ENG_SEV_HIGH ? 90.0
								   : d->severity == ENG_SEV_MEDIUM ? 60.0 : 30.0));
			if (d->nnotes) {
				json_t *tfl = json_array();
				for (uint32_t j = 0; j < d->nnotes; j++)
					json_array_append_new(tfl, json_pack("{s:o}", "location",
									     location(file, d->notes[j].line,
										      d->notes[j].col,
										      d->notes[j].message)));
				json_object_set_new(res, "codeFlows",
						    json_pack("[{s:[{s:o}]}]", "threadFlows", "locations", tfl));
			}
			json_array_append_new(results, res);
		}
	}
	json_t *notifications = json_array();
	/* errors of the run (a missing path, an entry a walk skipped, a broken database): the
	 * message names the path as stderr does, and the path is the location when there is one */
	for (size_t i = 0; i < r->nerrors; i++) {
		const char *file = r->error_files[i] ? r->error_files[i] : "";
		size_t n = strlen(file) + strlen(r->errors[i]) + 3;
		char *text = util_xrealloc(NULL, n);
		snprintf(text, n, "%s%s%s", file, *file ? ": " : "", r->errors[i]);
		json_t *note = json_pack("{s:s, s:{s:o}}", "level", "error", "message", "text", output_json_string(text));
		free(text);
		if (*file)
			json_object_set_new(note, "locations", json_pack("[o]", location(file, 0, 0, NULL)));
		json_array_append_new(notifications, note);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		for (uint32_t k = 0; k < r->files[i].nerrors; k++)
			json_array_append_new(notifications,
					      json_pack("{s:s, s:{s:o}, s:[o]}", "level", "error", "message", "text",
							output_json_string(r->files[i].errors[k]), "locations",
							location(r->files[i].path, 0, 0, NULL)));
	/* notes of functions not (fully) analysed, and of degraded parses: nothing in silence */
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct diag_file *f = &r->files[i];
		for (uint32_t k = 0; k < f->nincomplete; k++) {
			const struct diag_note *n = &f->incomplete[k];
			json_array_append_new(notifications,
					      json_pack("{s:s, s:{s:o}, s:[o]}", "level", "note", "message", "text",
							output_json_string(n->message), "locations",
							location(diag_note_path(f, n), n->line, n->col, NULL)));
		}
	}
	int ok = !diag_run_incomplete(r);
	json_t *invocation = json_pack("{s:b, s:o}", "executionSuccessful", ok, "toolExecutionNotifications",
				       notifications);
	json_t *root = json_pack(
		"{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:o, s:[o]}]}", "$schema",
		"https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool", "driver", "name",
		"rccheck", "version", RCCHECK_VERSION, "informationUri", rule_docs_url, "rules",
		rules, "results", results, "invocations", invocation);
	if (!root)
		return -1;
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	fflush(out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
