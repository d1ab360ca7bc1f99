/*
 * rc-use-after-release: a reference used (dereferenced, or passed to a call other than a release)
 * after the function released the last reference it owned to an object nobody else was known to
 * hold. Reported at the first use on each path: the check keeps one byte per value, set once the
 * value's use after release was reported (later uses are the same defect).
 */
#include "common.h"

static int freed(const struct eng_value *v)
{
	return v && (v->flags & ENG_V_FREED) && v->owned == 0 && !(v->flags & ENG_V_ESCAPED) && value_may_be_live(v);
}

/* A value borrowed from a container the function released is dead only if nobody else holds
 * the container; when the container was not the function's own creation, that is a guess. */
static void report(struct engine *eng, const struct eng_event_info *ev, const struct eng_value *v, const char *name,
		   const char *msg)
{
	if (v->flags & ENG_V_FREE_GUESS)
		engine_report_guess(eng, ev->self, ev->node->loc, v, name,
				    "what it is borrowed from may be held elsewhere, so releasing the function's "
				    "reference need not free it",
				    "%s", msg);
	else
		engine_report(eng, ev->self, ev->node->loc, v, name, "%s", msg);
}

/* Whether v's use after release is new on this path; marks it reported. */
static int first_use(struct engine *eng, const struct eng_event_info *ev, const struct eng_value *v)
{
	if (engine_value_byte(eng, v, ev->self, 0))
		return 0;
	engine_set_value_byte(eng, v, ev->self, 0, 1);
	return 1;
}

static void on_call(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	const struct model_fn *m = engine_call_model(ev->node);
	uint32_t rel = (m && !(m->flags & MODEL_HEURISTIC)) ? model_release_mask(m, ev->node->nargs) : 0;
	const struct ir_operand *a = ir_args(ev->fn, ev->node);
	for (uint32_t k = 0; k < ev->node->nargs; k++) {
		if (k < 32 && (rel & (1u << k)))
			continue; /* a second release is rc-double-release */
		const struct eng_value *v = engine_operand_value(ev->state, &a[k]);
		if (!freed(v) || !first_use(eng, ev, v))
			continue;
		const char *name = value_label(eng, ev->state, v);
		char msg[600];
		snprintf(msg, sizeof msg, "'%s' is passed to '%s' after its last reference was released", name,
			 ir_callee_name(ev->node, "a call"));
		report(eng, ev, v, name, msg);
	}
}

static void on_use(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	if (!ev->node->nargs)
		return;
	const struct eng_value *v = engine_operand_value(ev->state, ir_args(ev->fn, ev->node));
	if (!freed(v) || !first_use(eng, ev, v))
		return;
	const char *name = value_label(eng, ev->state, v);
	char msg[600];
	snprintf(msg, sizeof msg, "'%s' is dereferenced after its last reference was released", name);
	report(eng, ev, v, name, msg);
}

/* `Py_DECREF(x); return x;`: the caller receives a released object. Only a reference the
 * function owned itself and never handed to anyone (a call could have kept a reference of its
 * own: `PyDict_SetItem(d, k, x); Py_DECREF(x); return x;` returns one the dict holds). */
static void on_return(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	if (!ev->node->nargs || !ev->fn->returns_ptr)
		return;
	const struct eng_value *v = engine_operand_value(ev->state, ir_args(ev->fn, ev->node));
	if (!freed(v) || !(v->flags & ENG_V_HAD_OWNED) || v->parent ||
	    (v->flags & (ENG_V_PASSED | ENG_V_STORED | ENG_V_LOADED)) || !first_use(eng, ev, v))
		return;
	const char *name = value_label(eng, ev->state, v);
	engine_report(eng, ev->self, ev->node->loc, v, name, "'%s' is returned after its last reference was released",
		      name);
}

const struct check check_use_after_release = {
	.id = "rc-use-after-release",
	.description = "a reference is used after its last owned reference was released",
	.last_note = "used here after the release",
	.ownership_notes = 1,
	.value_bytes = 1,
	.handler = {
		[ENG_EV_CALL] = on_call,
		[ENG_EV_USE] = on_use,
		[ENG_EV_RETURN] = on_return,
	},
};
