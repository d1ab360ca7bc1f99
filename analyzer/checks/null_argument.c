/*
 * rc-null-argument: NULL is passed where the callee's model says it must not be (`nonnull=N`:
 * for CPython, the arguments where the running interpreter crashes or fails on NULL, found by
 * the model verifier, analyzer/models/cpython-nonnull.model). Two forms:
 *   - a null pointer constant written as the argument (`PyList_Append(list, NULL)`): wrong on
 *     every run that reaches the call, whatever path led there;
 *   - a variable that is NULL on every path reaching the call (initialised to NULL and assigned
 *     on no path since, tested equal to NULL, emptied by a failed call that clears it): reported
 *     at the end of the function, with the path of the first such visit, when no visit of the
 *     call saw it otherwise and every path was explored. "NULL on some path" is not enough: the
 *     NULL may come from a path the program never takes (two tests of one field with a call in
 *     between, a switch read twice), or from a call whose NULL result is normal.
 * A result that may be NULL because its call failed is rc-unchecked-null's. Arguments the model
 * says accept NULL (`accepts-null`, `clears`, setref operands) are never reported.
 */
#include "common.h"

#include "util.h"

/* One (call, argument) seen with a variable: whether every visit found it NULL. */
struct seen {
	int32_t node;
	uint32_t arg;
	int all_null;
	eng_pos pos; /* the first visit */
	char *name;
};

struct seen_list {
	struct seen *v;
	uint32_t n, cap;
};

static struct seen *seen_get(struct seen_list *l, int32_t node, uint32_t arg)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (l->v[i].node == node && l->v[i].arg == arg)
			return &l->v[i];
	return NULL;
}

static void visit(struct engine *eng, struct seen_list *l, int32_t node, uint32_t arg, const char *name, int null)
{
	struct seen *s = seen_get(l, node, arg);
	if (s) {
		s->all_null &= null;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = util_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (struct seen){ node, arg, null, engine_position(eng), util_xstrdup(name) };
}

/* A value read from an array element: the elements of one array share one memory key (a[i] and
 * a[j] alike), so what a test of a[n] found says nothing of a[i]. */
static int array_element(const struct ir_func *fn, const struct eng_value *v)
{
	if (v->key_site < 0 || (uint32_t)v->key_site >= fn->nnodes)
		return 0;
	const struct ir_node *n = &fn->nodes[v->key_site];
	if (!n->nargs)
		return 0;
	const struct ir_operand *o = ir_args(fn, n);
	return o->kind == IR_OPND_LOAD && o->str && strstr(o->str, "[]") != NULL;
}

static void on_call(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	const struct model_fn *m = engine_call_model(ev->node);
	uint32_t na = ev->node->nargs;
	if (!m || !engine_call_null_facts(eng, ev->node))
		return;
	uint32_t bad = model_mask(m, MODEL_NONNULL, na) & ~model_null_ok(m, na);
	if (!bad)
		return;
	const struct ir_operand *a = ir_args(ev->fn, ev->node);
	const char *callee = ir_callee_name(ev->node, "a call");
	for (uint32_t k = 0; k < na && k < 32; k++) {
		if (!(bad & (1u << k)))
			continue;
		if (a[k].kind == IR_OPND_NULL) {
			engine_report(eng, ev->self, ev->node->loc, NULL, "",
				      "NULL passed as argument %u of '%s', which does not accept NULL", k + 1, callee);
		} else if (a[k].kind == IR_OPND_VAR) {
			const struct eng_value *v = engine_operand_value(ev->state, &a[k]);
			if (v && array_element(ev->fn, v))
				continue;
			visit(eng, data, ev->node_index, k, ev->fn->vars[a[k].var].name, v && v->null == ENG_NULL);
		}
	}
}

static void on_end(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct seen_list *l = data;
	for (uint32_t i = 0; i < l->n; i++) {
		struct seen *s = &l->v[i];
		const struct ir_node *n = &ev->fn->nodes[s->node];
		if (s->all_null && engine_explored_whole(eng))
			engine_report_at(eng, s->pos, ev->self, n->loc, -1, s->name,
					 "'%s' is NULL on every path here and is passed as argument %u of '%s', "
					 "which does not accept NULL",
					 s->name, s->arg + 1, ir_callee_name(n, "a call"));
		free(s->name);
	}
	free(l->v);
	*l = (struct seen_list){ 0 };
}

const struct check check_null_argument = {
	.id = "rc-null-argument",
	.description = "NULL is passed where the callee does not accept NULL",
	.data_size = sizeof(struct seen_list),
	.last_note = "NULL passed here",
	.handler = {
		[ENG_EV_CALL] = on_call,
		[ENG_EV_END] = on_end,
	},
};
