/*
 * rc-return-borrowed: a function that must return a new reference returns one it does not own.
 * "Must" comes from the function's own model (annotation or model file) or, without one, from
 * the function itself: when some path returns an owned reference, every path returning a
 * non-NULL pointer must. Reported at the return statement.
 */
#include "common.h"

struct pending {
	eng_pos pos;
	struct ir_loc loc;
	int32_t site;
	int param; /* the value is this parameter (1-based), 0: not a parameter */
	char *name;
};

struct data {
	int saw_owned;
	struct pending *p;
	uint32_t n, cap;
};

/* Stored into memory with the only reference the function had (`self->cached = x; return x;`):
 * the memory owns what is returned. */
static int stored_only_ref(const struct eng_value *v)
{
	return v && v->owned == 1 && (v->flags & (ENG_V_STORED | ENG_V_ESCAPED)) == (ENG_V_STORED | ENG_V_ESCAPED);
}

static int borrowed_return(const struct eng_value *v)
{
	/* a released one is rc-use-after-release's (returned after its release) */
	if (v && (v->flags & ENG_V_FREED) && !(v->flags & ENG_V_ESCAPED))
		return 0;
	return v && v->owned == 0 && value_may_be_live(v) && !(v->flags & ENG_V_INT) &&
	       (v->flags & (ENG_V_BORROWED | ENG_V_LOADED | ENG_V_STOLEN | ENG_V_FREED | ENG_V_ESCAPED | ENG_V_OBJ));
}

static void on_return(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct data *d = data;
	if (!ev->fn->returns_ptr || !ev->node->nargs || (ev->node->flags & IR_NODE_RETURN_MACRO))
		return;
	const struct ir_operand *o = ir_args(ev->fn, ev->node);
	const struct eng_value *v = engine_operand_value(ev->state, o);
	if (v && v->owned > 0 && value_may_be_live(v) && !engine_owned_by_memory(eng, v))
		d->saw_owned = 1;
	/* &global_object (Py_None is &_Py_NoneStruct): a borrowed reference to a static object */
	if (!v && o->kind == IR_OPND_FIELD)
		v = engine_arg_value(eng, ev->state, o); /* if (r == Py_None) return Py_None; */
	int addr_of_global = !v && o->kind == IR_OPND_FIELD && o->var == -2 && o->str &&
			     !engine_global_acquired_before(eng, ev->node, o->str);
	/* a function that must return a new reference returns one the memory owns (a method caching
	 * its result without Py_INCREF); any other returns one a cache owns (engine_owned_by_memory) */
	int memory_owned = v && (engine_returns_new(eng) ? stored_only_ref(v) : engine_owned_by_memory(eng, v));
	if (!borrowed_return(v) && !addr_of_global && !memory_owned)
		return;
	const char *name = v ? value_label(eng, ev->state, v) : ir_global_shown(ev->fn, o->str);
	if (engine_returns_new(eng)) {
		engine_report(eng, ev->self, ev->node->loc, v, name,
			      "'%s' must return a new reference but returns '%s', borrowed from %s", ev->fn->name, name,
			      v ? engine_value_origin(eng, v) : "a static object");
		return;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 4;
		struct pending *np = realloc(d->p, d->cap * sizeof *np);
		if (!np)
			return;
		d->p = np;
	}
	struct pending *p = &d->p[d->n++];
	p->pos = engine_position(eng);
	p->loc = ev->node->loc;
	p->site = !v || v->param ? -1 : v->site;
	p->param = v ? v->param : 0;
	p->name = malloc(strlen(name) + 1);
	if (p->name)
		strcpy(p->name, name);
}

static void on_end(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct data *d = data;
	/* the result is new or borrowed as an out-parameter flag says (engine_ownership_flag) */
	if (d->n && d->saw_owned && engine_ownership_flag(ev->fn))
		d->saw_owned = 0;
	for (uint32_t i = 0; i < d->n; i++) {
		struct pending *p = &d->p[i];
		/* a function consuming its parameter passes the caller's reference on as its result */
		if (d->saw_owned && p->name && !(p->param && engine_param_consumed(eng, p->param)))
			engine_report_at(eng, p->pos, ev->self, p->loc, p->site, p->name,
					 "'%s' returns a new reference on other paths but returns borrowed '%s' here",
					 ev->fn->name, p->name);
		free(p->name);
	}
	free(d->p);
}

const struct check check_return_borrowed = {
	.id = "rc-return-borrowed",
	.description = "a function that must return a new reference returns a borrowed one",
	.data_size = sizeof(struct data),
	.handler = {
		[ENG_EV_RETURN] = on_return,
		[ENG_EV_END] = on_end,
	},
};
