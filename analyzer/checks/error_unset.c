/*
 * rc-error-unset: a function CPython calls (a method, a getter, a type slot) returns NULL on a
 * path where no exception is set: the interpreter turns that into a SystemError ("returned NULL
 * without setting an exception"), and the caller's real error is lost. The error indicator is
 * the engine's (engine_error_state): clear when CPython calls the function, set by a failing
 * call of the API or an `error-set` call, cleared by an `error-clear` call, unknown after a
 * call nothing is trusted about. Only a path where it is known to be clear is reported; the
 * slots where NULL without an exception is a normal result (tp_iternext: the end of the
 * iteration) are not. The finding needs the whole path to be feasible, so a path that took a
 * branch blindly (engine_path_is_certain) is not reported. Reported at the return.
 */
#include "common.h"

static int returns_null(const struct eng_event_info *ev)
{
	if (!ev->node->nargs)
		return 0;
	const struct ir_operand *o = ir_args(ev->fn, ev->node);
	if (o->kind == IR_OPND_NULL || (o->kind == IR_OPND_INT && o->ival == 0))
		return 1;
	const struct eng_value *v = engine_operand_value(ev->state, o);
	return v && (v->null == ENG_NULL || v->null == ENG_NULL_FAIL);
}

static void on_return(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	(void)data;
	if (ev->fn->py_callable != 1 || !ev->fn->returns_ptr || !returns_null(ev) ||
	    engine_error_state(ev->state) != ENG_ERR_CLEAR || !engine_path_is_certain(eng))
		return;
	engine_report(eng, ev->self, ev->node->loc, NULL, "",
		      "'%s' returns NULL but no exception is set on this path (CPython raises SystemError)",
		      ev->fn->name);
}

const struct check check_error_unset = {
	.id = "rc-error-unset",
	.description = "a function CPython calls returns NULL without setting an exception",
	.last_note = "NULL returned here with no exception set",
	.handler = {
		[ENG_EV_RETURN] = on_return,
	},
};
