/*
 * rc-double-release: a release (or a steal) of a reference the function no longer owns because
 * it already released or handed over every reference it had. Reported at the second release.
 */
#include "common.h"

static void on_call(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	const struct model_fn *m = engine_call_model(ev->node);
	if (!m || (m->flags & MODEL_HEURISTIC))
		return;
	uint32_t mask = model_release_mask(m, ev->node->nargs);
	const struct ir_operand *a = ir_args(ev->fn, ev->node);
	for (uint32_t k = 0; k < ev->node->nargs && k < 32; k++) {
		if (!(mask & (1u << k)))
			continue;
		const struct eng_value *v = engine_operand_value(ev->state, &a[k]);
		if (!v || !value_may_be_live(v) || v->owned > 0 || (v->flags & ENG_V_ESCAPED) ||
		    !(v->flags & ENG_V_HAD_OWNED))
			continue;
		const char *name = value_label(eng, ev->state, v);
		engine_report(eng, ev->self, ev->node->loc, v, name,
			      "'%s' is released by '%s' but the function no longer owns a reference to it (already %s)",
			      name, ir_callee_name(ev->node, "the call"),
			      (v->flags & ENG_V_STOLEN) ? "handed over" : "released");
	}
}

const struct check check_double_release = {
	.id = "rc-double-release",
	.description = "a reference is released again after the function no longer owns it",
	.last_note = "released again here",
	.ownership_notes = 1,
	.handler = {
		[ENG_EV_CALL] = on_call,
	},
};
