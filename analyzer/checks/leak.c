/*
 * rc-leak: an owned reference is lost on some path: the only var holding it is overwritten,
 * a temporary holding a new reference dies unused, or the function returns (or falls off its
 * end) still owning it. Reported at the assignment, the statement, or the return.
 */
#include "common.h"

#include <stdio.h>

/* A reference handed to a function nothing is known about may have been kept by it. */
#define GUESS_WHY "it was handed to a function rccheck knows nothing about, which may keep it"
/* A reference owned because a convention guessed its call returns a new one. */
#define GUESS_NEW_WHY "that its function returns a new reference is a guess: it is declared to return " \
		      "an object, defined nowhere in the tree and not modelled (cpychecker's convention)"

/* The guess a leak of v rests on, or NULL. */
static const char *guess_of(const struct eng_value *v)
{
	if (v->flags & ENG_V_GUESS_NEW)
		return GUESS_NEW_WHY;
	return (v->flags & ENG_V_GUESS) ? GUESS_WHY : NULL;
}

/* Values read from memory stay reachable from it: taking a reference to one is the memory's
 * business (pinning), not a leak of this function. */
/* A reference the function took to a static object it named (Py_INCREF(&MyType), rv = Py_None;
 * Py_INCREF(rv)) is not followed as a leak: the object is never freed. A call's new reference
 * that turned out to be Py_None (`if (r == Py_None)`) still is. */
static int owned_and_live(const struct eng_value *v)
{
	return v && v->owned > 0 && !(v->flags & (ENG_V_ESCAPED | ENG_V_LOADED)) && value_may_be_live(v) &&
	       !(v->sign == ENG_SIGN_IS_GLOBAL && (v->flags & ENG_V_BORROWED));
}

static void on_assign(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	const struct eng_value *v = engine_value(ev->state, ev->var);
	if (!owned_and_live(v) || engine_binders(ev->state, v, ev->var) > 0 || (v->flags & ENG_V_FIELD))
		return; /* still held by another var, or still reachable from the memory it came from */
	const struct ir_func *fn = ev->fn;
	if (ev->node->op == IR_ASSIGN) {
		const struct ir_operand *src = ir_args(fn, ev->node);
		if (engine_operand_value(ev->state, src) == v)
			return; /* x = x */
	}
	const struct ir_var *var = &fn->vars[ev->var];
	char origin[300];
	snprintf(origin, sizeof origin, "%s", engine_value_origin(eng, v));
	char msg[1024];
	if (var->flags & IR_VAR_TEMP)
		snprintf(msg, sizeof msg, "new reference returned by %s is never stored or released", origin);
	else
		snprintf(msg, sizeof msg, "reference from %s held in '%s' is leaked: '%s' is overwritten here", origin,
			 var->name, var->name);
	if (guess_of(v))
		engine_report_guess(eng, ev->self, ev->node->loc, v, var->name, guess_of(v), "%s", msg);
	else
		engine_report(eng, ev->self, ev->node->loc, v, var->name, "%s", msg);
}

/* Leaks of parameters wait for the end: a helper that tests its parameter for NULL and takes a
 * reference on every other path (`add_ref(owner)`) does it for a third party by design. */
static void on_end(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)ev;
	param_reports_flush(eng, data, ev->self, engine_param_acquired);
}

static void on_return(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct param_reports *d = data;
	const struct ir_func *fn = ev->fn;
	const struct eng_value *rv = NULL;
	if (ev->node->nargs && fn->returns_ptr) /* (return Py_None after `if (r == Py_None)`: r) */
		rv = engine_arg_value(eng, ev->state, ir_args(fn, ev->node));
	uint32_t n = engine_nvalues(ev->state);
	int falls_off = ev->node->nargs == 0;
	for (uint32_t i = 1; i <= n; i++) {
		const struct eng_value *v = engine_value_at(ev->state, i);
		/* stored, then incremented (`self->f = o; Py_INCREF(o);`): the memory holds it */
		if (!owned_and_live(v) || (v->flags & ENG_V_FIELD))
			continue;
		int left = v->owned - (v == rv ? 1 : 0);
		if (v->param && v->param <= 32) {
			/* the function's own parameter annotations: RC_ACQUIRES adds one for the caller;
			 * RC_STEALS_ON_SUCCESS leaves it to the caller when returning failure */
			uint32_t bit = 1u << (v->param - 1);
			if (engine_self_params(eng, MODEL_ACQUIRES) & bit)
				left--;
			else if ((engine_self_params(eng, MODEL_STEALS_OK) & bit) &&
				 engine_returns_failure(eng, ev->state, ev->node))
				left--;
		}
		if (left <= 0)
			continue;
		const char *name = value_label(eng, ev->state, v);
		char origin[300], msg[1024];
		snprintf(origin, sizeof origin, "%s", engine_value_origin(eng, v));
		const char *where = falls_off ? "at the end of the function" : "when the function returns here";
		if (*name)
			snprintf(msg, sizeof msg, "reference from %s held in '%s' is leaked %s", origin, name, where);
		else
			snprintf(msg, sizeof msg, "reference from %s is leaked %s", origin, where);
		if (v->param) {
			param_reports_add(eng, d, ev->node->loc, v->param, *name ? name : origin, msg);
			if (guess_of(v))
				param_reports_guess(d, guess_of(v));
		}
		else
			if (guess_of(v))
				engine_report_guess(eng, ev->self, ev->node->loc, v, *name ? name : origin, guess_of(v),
						    "%s", msg);
			else
				engine_report(eng, ev->self, ev->node->loc, v, *name ? name : origin, "%s", msg);
	}
}

const struct check check_leak = {
	.id = "rc-leak",
	.description = "an owned reference is lost on some path (overwritten, never stored, not released before a return)",
	.last_note = "the last owned reference is lost here",
	.ownership_notes = 1,
	.data_size = sizeof(struct param_reports),
	.handler = {
		[ENG_EV_ASSIGN] = on_assign,
		[ENG_EV_RETURN] = on_return,
		[ENG_EV_END] = on_end,
	},
};
