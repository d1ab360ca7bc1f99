/*
 * rc-release-borrowed: releasing (or handing over) a reference the function never owned: a
 * parameter, a borrowed result, a value loaded from memory. Reported at the release call.
 */
#include "common.h"

static void on_call(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	const struct model_fn *m = engine_call_model(ev->node);
	if (!m || (m->flags & MODEL_HEURISTIC))
		return;
	uint32_t rel = model_mask(m, MODEL_RELEASES, ev->node->nargs);
	uint32_t mask = rel | model_mask(m, MODEL_STEALS, ev->node->nargs);
	const struct ir_operand *a = ir_args(ev->fn, ev->node);
	for (uint32_t k = 0; k < ev->node->nargs && k < 32; k++) {
		if (!(mask & (1u << k)))
			continue;
		const struct eng_value *v = engine_operand_value(ev->state, &a[k]);
		if (!v || !value_may_be_live(v) || v->owned > 0 || (v->flags & (ENG_V_ESCAPED | ENG_V_HAD_OWNED)) ||
		    !(v->flags & ENG_V_BORROWED))
			continue;
		const char *name = value_label(eng, ev->state, v);
		engine_report(eng, check_self("rc-release-borrowed"), ev->node->loc, v, name,
			      "'%s' is %s by '%s' but it is a borrowed reference (from %s)", name,
			      (rel & (1u << k)) ? "released" : "handed over",
			      ev->node->callee ? ev->node->callee : "the call", engine_value_origin(eng, v));
	}
}

const struct check check_release_borrowed = {
	.id = "rc-release-borrowed",
	.description = "a reference the function never owned (borrowed) is released",
	.handler = {
		[ENG_EV_CALL] = on_call,
	},
};
