/*
 * common.c - helpers shared by the checks (common.h).
 */
#include "common.h"

#include "util.h"

void param_reports_add(struct engine *eng, struct param_reports *r, struct ir_loc loc, int param, const char *name,
		       const char *message)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4;
		r->p = util_xrealloc(r->p, r->cap * sizeof *r->p);
	}
	struct param_report *p = &r->p[r->n++];
	p->pos = engine_position(eng);
	p->loc = loc;
	p->param = param;
	p->name = util_xstrdup(name);
	p->message = util_xstrdup(message);
	p->guess = NULL;
}

void param_reports_flush(struct engine *eng, struct param_reports *r, int check,
			 int (*by_design)(const struct engine *eng, int param))
{
	for (uint32_t i = 0; i < r->n; i++) {
		struct param_report *p = &r->p[i];
		if (!by_design(eng, p->param) && p->guess)
			engine_report_at_guess(eng, p->pos, check, p->loc, -1, p->name, p->guess, p->message);
		else if (!by_design(eng, p->param))
			engine_report_at(eng, p->pos, check, p->loc, -1, p->name, "%s", p->message);
		free(p->name);
		free(p->message);
	}
	free(r->p);
	r->p = NULL;
	r->n = r->cap = 0;
}
