/*
 * common.h - small helpers shared by the checks (private to analyzer/checks/).
 */
#ifndef RCCHECK_CHECKS_COMMON_H
#define RCCHECK_CHECKS_COMMON_H

#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether v is a reference that may be non-NULL here (NULL values hold nothing). */
static inline int value_may_be_live(const struct eng_value *v)
{
	return v && v->null != ENG_NULL && v->null != ENG_NULL_FAIL;
}

/* A printable name for v: its var, else its origin. */
static inline const char *value_label(struct engine *eng, const struct eng_state *st, const struct eng_value *v)
{
	const char *n = engine_value_name(eng, st, v);
	return n ? n : "";
}

/* Argument masks of a call's model that take a reference away from the caller. */
static inline uint32_t model_release_mask(const struct model_fn *m, uint32_t nargs)
{
	return model_mask(m, MODEL_RELEASES, nargs) | model_mask(m, MODEL_STEALS, nargs) |
	       model_mask(m, MODEL_STEALS_OK, nargs);
}

/*
 * Reports about a parameter that wait for the end of the function: whether the function
 * consumes (or takes a reference to) its parameter by design is known only once every path
 * has been seen (engine_param_consumed / engine_param_acquired).
 */
struct param_report {
	eng_pos pos;
	struct ir_loc loc;
	int param;
	char *name, *message;
	const char *guess; /* the guess it rests on (engine_report_guess), or NULL */
};

struct param_reports {
	struct param_report *p;
	uint32_t n, cap;
};

/* Records a report at loc about parameter `param` (1-based), with the current path. */
void param_reports_add(struct engine *eng, struct param_reports *r, struct ir_loc loc, int param, const char *name,
		       const char *message);
/* The last report added rests on a guess (a static string). */
static inline void param_reports_guess(struct param_reports *r, const char *why)
{
	if (r->n)
		r->p[r->n - 1].guess = why;
}
/* At ENG_EV_END: reports (check `check`) those whose parameter `by_design` does not excuse,
 * and frees the list. */
void param_reports_flush(struct engine *eng, struct param_reports *r, int check,
			 int (*by_design)(const struct engine *eng, int param));

#endif
