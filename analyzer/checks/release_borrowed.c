/*
 * rc-release-borrowed: releasing (or handing over) a reference the function never owned: a
 * parameter, a borrowed result, a value loaded from memory. Reported at the release call.
 */
#include "common.h"

/* Releases of parameters wait for the end: a function that releases its parameter on every
 * path (or passes it on as its result) consumes it by design (`to_bytes(obj)` stealing obj). */
static void report_borrowed(struct engine *eng, struct param_reports *d, const struct eng_event_info *ev,
			    const struct eng_value *v, const char *what)
{
	if (!v || !value_may_be_live(v) || v->owned > 0 || (v->flags & (ENG_V_ESCAPED | ENG_V_HAD_OWNED)) ||
	    !(v->flags & ENG_V_BORROWED))
		return;
	const char *name = value_label(eng, ev->state, v);
	char msg[1024];
	snprintf(msg, sizeof msg, "'%s' is %s by '%s' but it is a borrowed reference (from %s)", name, what,
		 ir_callee_name(ev->node, "the call"), engine_value_origin(eng, v));
	if (v->param)
		param_reports_add(eng, d, ev->node->loc, v->param, name, msg);
	else
		engine_report(eng, ev->self, ev->node->loc, v, name, "%s", msg);
}

static void on_end(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)ev;
	param_reports_flush(eng, data, ev->self, engine_param_consumed);
}

static void on_call(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct param_reports *d = data;
	const struct model_fn *m = engine_call_model(ev->node);
	if (!m || (m->flags & MODEL_HEURISTIC))
		return;
	/* a borrowed reference handed to a stealing callee is reported at the return, unless an
	 * acquire paid it back (ENG_V_OWES); a borrowed global object at once */
	uint32_t rel = model_mask(m, MODEL_RELEASES, ev->node->nargs);
	uint32_t mask = rel | model_mask(m, MODEL_STEALS, ev->node->nargs);
	const struct ir_operand *a = ir_args(ev->fn, ev->node);
	for (uint32_t k = 0; k < ev->node->nargs && k < 32; k++) {
		if (!(mask & (1u << k)))
			continue;
		const struct eng_value *alias = engine_arg_value(eng, ev->state, &a[k]);
		if (alias && a[k].kind == IR_OPND_FIELD) {
			/* if (r == Py_None) Py_DECREF(Py_None): the release is r's */
			if (rel & (1u << k))
				report_borrowed(eng, d, ev, alias, "released");
			continue;
		}
		if (a[k].kind == IR_OPND_FIELD && a[k].var == -2 && a[k].ival == 1 && a[k].str) {
			/* &global_object, borrowed per the model (Py_DECREF(Py_None)) */
			const char *g = ir_global_shown(ev->fn, a[k].str);
			engine_report(eng, ev->self, ev->node->loc, NULL, g,
				      "'%s' is %s by '%s' but it is a borrowed global object", g,
				      (rel & (1u << k)) ? "released" : "handed over",
				      ir_callee_name(ev->node, "the call"));
			continue;
		}
		if (rel & (1u << k))
			report_borrowed(eng, d, ev, engine_operand_value(ev->state, &a[k]), "released");
	}
	/* Py_SETREF(local, v): the local's old value is released */
	if (m->setref_dst > 0 && (uint32_t)m->setref_dst <= ev->node->nargs && a[m->setref_dst - 1].kind == IR_OPND_ADDR)
		report_borrowed(eng, d, ev, engine_value(ev->state, a[m->setref_dst - 1].var), "released");
}

/* A parameter taken over only on success (RC_STEALS_ON_SUCCESS) was released on a path that
 * returns failure: the caller still owns it (and will release it too). */
static void on_return(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct param_reports *d = data;
	uint32_t nv = engine_nvalues(ev->state);
	for (uint32_t i = 1; i <= nv; i++) {
		const struct eng_value *v = engine_value_at(ev->state, i);
		if (!(v->flags & ENG_V_OWES) || v->rel_site < 0)
			continue;
		const struct ir_node *call = &ev->fn->nodes[v->rel_site];
		const char *name = value_label(eng, ev->state, v);
		char origin[300];
		if (!*name) { /* no var holds it any more: name it by where it came from */
			snprintf(origin, sizeof origin, "%s", engine_value_origin(eng, v));
			name = origin;
			for (uint32_t k = 0; v->param && k < ev->fn->nvars; k++)
				if (ev->fn->vars[k].param == v->param - 1)
					name = ev->fn->vars[k].name;
		}
		char msg[1024];
		snprintf(msg, sizeof msg, "'%s' is handed over by '%s' but it is a borrowed reference (from %s)", name,
			 ir_callee_name(call, "the call"), engine_value_origin(eng, v));
		if (v->param) {
			param_reports_add(eng, d, call->loc, v->param, name, msg);
		} else {
			engine_report(eng, ev->self, call->loc, v, name, "%s", msg);
		}
	}
	uint32_t ok = engine_self_params(eng, MODEL_STEALS_OK);
	if (!ok || !engine_returns_failure(eng, ev->state, ev->node))
		return;
	uint32_t n = engine_nvalues(ev->state);
	for (uint32_t i = 1; i <= n; i++) {
		const struct eng_value *v = engine_value_at(ev->state, i);
		if (!v->param || v->param > 32 || !(ok & (1u << (v->param - 1))) || v->owned > 0 ||
		    (v->flags & ENG_V_STOLEN) || v->rel_site < 0)
			continue;
		const struct ir_node *rel = &ev->fn->nodes[v->rel_site];
		const char *name = value_label(eng, ev->state, v);
		engine_report(eng, ev->self, rel->loc, v, name,
			      "'%s' is released by '%s' on a path where '%s' fails, but it is taken over only on "
			      "success: the caller still owns it",
			      name, ir_callee_name(rel, "the call"), ev->fn->name);
	}
}

const struct check check_release_borrowed = {
	.id = "rc-release-borrowed",
	.description = "a reference the function never owned (borrowed) is released",
	.data_size = sizeof(struct param_reports),
	.handler = {
		[ENG_EV_CALL] = on_call,
		[ENG_EV_RETURN] = on_return,
		[ENG_EV_END] = on_end,
	},
};
