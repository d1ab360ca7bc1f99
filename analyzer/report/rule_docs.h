/*
 * rule_docs.h - the documentation of each check, as the SARIF report's rule metadata carries
 * it: embedded at build time from docs/checks.md by report/embed_rule_docs.py (one section per
 * check ID; the build fails when a check of checks/checks.def has none).
 */
#ifndef RCCHECK_RULE_DOCS_H
#define RCCHECK_RULE_DOCS_H

#include <stddef.h>

struct rule_doc {
	const char *id;       /* "rc-leak": the section's heading and its anchor in docs/checks.md */
	const char *full;     /* the section's first paragraph, on one line (fullDescription) */
	const char *markdown; /* the whole section but its heading (help.markdown) */
	const char *text;     /* the same without markup, code indented (help.text) */
};

extern const struct rule_doc rule_docs[];
extern const size_t rule_docs_count;
/* Where docs/checks.md is published (meson option checks_doc_url); a rule's helpUri is this
 * URL, '#' and its ID. */
extern const char rule_docs_url[];

/* The documentation of check id, or NULL. */
const struct rule_doc *rule_doc_find(const char *id);

#endif
