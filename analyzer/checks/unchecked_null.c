/*
 * rc-unchecked-null: the result of a call that returns NULL on failure is used (dereferenced, or
 * passed to a function that does not accept NULL) on the path where the call failed and no check
 * happened. Reported at the first such use.
 */
#include "common.h"

static void report(struct engine *eng, const struct eng_event_info *ev, const struct eng_value *v, const char *how)
{
	const char *name = value_label(eng, ev->state, v);
	char origin[300];
	snprintf(origin, sizeof origin, "%s", engine_value_origin(eng, v));
	engine_report(eng, ev->self, ev->node->loc, v, name,
		      "'%s' may be NULL (%s can fail) and is %s without a check", name, origin, how);
}

static void on_call(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	const struct model_fn *m = engine_call_model(ev->node);
	if (!m || !engine_call_null_facts(eng, ev->node))
		return;
	const struct ir_operand *a = ir_args(ev->fn, ev->node);
	/* fails-on-null: the call fails cleanly on NULL (CPython's null_error keeps the pending
	 * exception: PyObject_CallMethod (PyObject_Dir (x), ...)), no crash to report */
	uint32_t ok = model_null_ok(m, ev->node->nargs) | engine_fails_on_null(eng, (int32_t)(ev->node - ev->fn->nodes));
	for (uint32_t k = 0; k < ev->node->nargs && k < 32; k++) {
		if (ok & (1u << k))
			continue;
		const struct eng_value *v = engine_operand_value(ev->state, &a[k]);
		if (v && v->null == ENG_NULL_FAIL) {
			char how[300];
			snprintf(how, sizeof how, "passed to '%s'", ir_callee_name(ev->node, "a call"));
			report(eng, ev, v, how);
		}
	}
}

static void on_use(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	if (!ev->node->nargs)
		return;
	const struct eng_value *v = engine_operand_value(ev->state, ir_args(ev->fn, ev->node));
	if (v && v->null == ENG_NULL_FAIL)
		report(eng, ev, v, "dereferenced");
}

const struct check check_unchecked_null = {
	.id = "rc-unchecked-null",
	.description = "a result that can be NULL on failure is used without a check",
	.last_note = "used here without a NULL check",
	.handler = {
		[ENG_EV_CALL] = on_call,
		[ENG_EV_USE] = on_use,
	},
};
