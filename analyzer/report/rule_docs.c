/*
 * rule_docs.c - lookup in the check documentation embedded from docs/checks.md (rule_docs.h).
 */
#include "report/rule_docs.h"

#include <string.h>

const struct rule_doc *rule_doc_find(const char *id)
{
	for (size_t i = 0; i < rule_docs_count; i++)
		if (!strcmp(rule_docs[i].id, id))
			return &rule_docs[i];
	return NULL;
}
