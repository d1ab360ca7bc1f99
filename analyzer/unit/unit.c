/*
 * unit.c - the unit driver (unit.h): link, order, resolve, analyse. No libclang here.
 */
#include "unit/unit.h"

#include "engine/irfacts.h"
#include "models/conventions.h"

#include "util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct fn_index {
	const char *name;
	int32_t fn;
};

struct unit {
	struct ir_func *funcs;
	uint32_t nfuncs;
	struct fn_index *idx; /* sorted by name */
	struct ir_arena *arena;
	const struct model *model;
	const struct ir_func *current; /* the function whose calls resolve_call resolves */
	const struct unit_tree *tree;  /* the other units of the tree, or NULL */
};

/* The summary another unit of the tree has for external function `name`, or NULL. */
static const struct eng_summary *imported(const struct unit *u, const char *name)
{
	if (!u->tree || !u->tree->import || !name)
		return NULL;
	const struct eng_summary *s = u->tree->import(u->tree->ctx, name);
	return s && s->valid ? s : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Linking: calls and callbacks to functions of the unit                                       */
/* ------------------------------------------------------------------------------------------ */

static int cmp_fn_index(const void *a, const void *b)
{
	return strcmp(((const struct fn_index *)a)->name, ((const struct fn_index *)b)->name);
}

static int32_t find_fn(const struct unit *u, const char *name)
{
	if (!name)
		return -1;
	struct fn_index key = { name, -1 };
	const struct fn_index *r = bsearch(&key, u->idx, u->nfuncs, sizeof *u->idx, cmp_fn_index);
	return r ? r->fn : -1;
}

/* A function of the unit passed by name to a call (a callback argument: the operand is an
 * unknown value naming it, cfg.c) gets its index (+ 1) in the operand's ival; when the callee is
 * outside the unit, the function is a callback of that library (ir_func.callback). */
static void link_callbacks(struct unit *u, struct ir_func *fn, struct ir_node *nd)
{
	if (!nd->nargs)
		return; /* fn->ops may be NULL */
	struct ir_operand *a = &fn->ops[nd->arg0];
	for (uint32_t j = 0; j < nd->nargs; j++) {
		if (a[j].kind != IR_OPND_UNKNOWN || !a[j].str)
			continue;
		int32_t f = find_fn(u, a[j].str);
		a[j].ival = f + 1;
		if (f >= 0 && nd->callee_fn < 0)
			u->funcs[f].callback = 1;
	}
}

/* The unit function an argument of call nd names (link_callbacks), or -1; from argument *j on. */
static int32_t callback_arg(const struct ir_func *fn, const struct ir_node *nd, uint32_t *j)
{
	const struct ir_operand *a = ir_args(fn, nd);
	for (; *j < nd->nargs; (*j)++)
		if (a[*j].kind == IR_OPND_UNKNOWN && a[*j].str && a[*j].ival > 0)
			return (int32_t)a[(*j)++].ival - 1;
	return -1;
}

static void link_unit(struct unit *u)
{
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		u->idx[i].name = u->funcs[i].name;
		u->idx[i].fn = (int32_t)i;
	}
	qsort(u->idx, u->nfuncs, sizeof *u->idx, cmp_fn_index);
	for (uint32_t i = 0; i < u->nfuncs; i++)
		for (uint32_t k = 0; k < u->funcs[i].nnodes; k++) {
			struct ir_node *nd = &u->funcs[i].nodes[k];
			if (nd->op != IR_CALL)
				continue;
			if (nd->callee)
				nd->callee_fn = find_fn(u, nd->callee);
			link_callbacks(u, &u->funcs[i], nd);
		}
}

/* ------------------------------------------------------------------------------------------ */
/* Order: callees first                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* Callee-first order (post-order DFS over calls within the unit) from function f; recursion is
 * cut. */
static void order_visit(const struct unit *u, uint32_t f, uint8_t *mark, uint32_t *order, uint32_t *n)
{
	/* iterative DFS: stack of (function, next node index) */
	struct frame {
		uint32_t f, i;
	};
	struct frame *st = util_xrealloc(NULL, (u->nfuncs + 1) * sizeof *st);
	uint32_t sp = 0;
	st[sp].f = f;
	st[sp].i = 0;
	sp++;
	mark[f] = 1;
	while (sp) {
		struct frame *fr = &st[sp - 1];
		const struct ir_func *fn = &u->funcs[fr->f];
		int pushed = 0;
		while (fr->i < fn->nnodes) {
			/* callees first, and callbacks passed by name (their summaries say what the
			 * call that receives them does: resolve_call) */
			const struct ir_node *nd = &fn->nodes[fr->i];
			int32_t next = -1;
			if (nd->op == IR_CALL) {
				if (nd->callee_fn >= 0 && !mark[nd->callee_fn])
					next = nd->callee_fn;
				for (uint32_t j = 0; next < 0;) {
					int32_t c = callback_arg(fn, nd, &j);
					if (c < 0)
						break;
					if (!mark[c])
						next = c;
				}
			}
			if (next < 0) {
				fr->i++;
				continue;
			}
			mark[next] = 1;
			/* each function is pushed once (marked): the stack never holds more than nfuncs */
			assert(sp < u->nfuncs + 1);
			st[sp].f = (uint32_t)next;
			st[sp].i = 0;
			sp++;
			pushed = 1;
			break;
		}
		if (!pushed) {
			order[(*n)++] = fr->f;
			sp--;
		}
	}
	free(st);
}

/* ------------------------------------------------------------------------------------------ */
/* What each call does                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* A call outside the unit handed, with some objects, a callback of the unit that releases its
 * argument (cairo_surface_set_user_data(s, &key, obj, release_obj)): the library keeps the
 * objects and releases them through the callback, so the call takes them over — a reference the
 * caller owned goes with it, and one it did not own it must pay back (Py_INCREF after the call).
 * NULL when the call is not such a hand-over. */
static const struct model_fn *callback_owner(struct unit *u, const struct ir_node *n, const struct eng_summary *sums)
{
	const struct ir_func *fn = u->current;
	if (!fn)
		return NULL;
	uint32_t take = 0;
	const struct ir_operand *a = ir_args(fn, n);
	for (uint32_t j = 0;;) {
		int32_t c = callback_arg(fn, n, &j);
		if (c < 0)
			break;
		if (!sums[c].valid || !(sums[c].fn.arg[MODEL_RELEASES] & 1u))
			continue;
		/* the objects are next to their callback: (obj, key, data, destroy) or (..., destroy,
		 * closure); the first argument is the owner (the surface), not handed over */
		uint32_t at = j - 1;
		for (int side = -1; side <= 1; side += 2) {
			/* the nearest pointer on each side, past a constant (a NULL context, a key, a
			 * flag: lib_set_data_rev(destroy, NULL, obj)) */
			for (int64_t k = (int64_t)at + side; k >= 1 && k < (int64_t)n->nargs && k < 32; k += side) {
				if (a[k].kind == IR_OPND_VAR && (fn->vars[a[k].var].flags & IR_VAR_PTR)) {
					take |= 1u << k;
					break;
				}
				if (a[k].kind != IR_OPND_NULL && a[k].kind != IR_OPND_INT && a[k].kind != IR_OPND_STR)
					break;
			}
		}
	}
	if (!take)
		return NULL;
	struct model_fn *m = ir_alloc(u->arena, sizeof *m);
	memset(m, 0, sizeof *m);
	m->name = n->callee;
	m->arg[MODEL_ACCEPTS_NULL] = ~0u;
	if (n->dest >= 0 && !conv_has_prefix(model_conventions(u->model), CONV_CALLBACK_ALWAYS, n->callee)) {
		/* a status: the library keeps the objects only when it succeeds (0) */
		m->ret = MODEL_RET_INT;
		m->flags = MODEL_NEG_ON_FAILURE | MODEL_ZERO_ON_SUCCESS;
		m->arg[MODEL_STEALS_OK] = take;
	} else {
		m->ret = MODEL_RET_NONE;
		m->arg[MODEL_STEALS] = take;
	}
	return m;
}

/* cpychecker's convention (`convention returns-new-type TAG`): a call of a function declared to
 * return a pointer to struct TAG (PyObject *) that nothing models, that no unit of the tree
 * defines and that is not of an API modelled whole returns a new reference, or NULL. A guess
 * (MODEL_GUESSED): the call stays unknown for its arguments, and a finding on its result is
 * held back. Without a tree, "the tree" is the unit. */
static const struct model_fn *guess_returns_new(struct unit *u, const struct ir_node *n)
{
	const struct conventions *conv = model_conventions(u->model);
	if (!n->ret_tag || n->dest < 0 || !conv_is(conv, CONV_RETURNS_NEW_TYPE, n->ret_tag) ||
	    conv_api_borrows(conv, n->callee))
		return NULL;
	if (u->tree && u->tree->defined && u->tree->defined(u->tree->ctx, n->callee))
		return NULL;
	struct model_fn *m = ir_alloc(u->arena, sizeof *m);
	memset(m, 0, sizeof *m);
	m->name = n->callee;
	m->ret = MODEL_RET_NEW;
	m->flags = MODEL_MAY_RETURN_NULL | MODEL_GUESSED;
	m->origin = MODEL_FROM_NAME;
	m->arg[MODEL_ACCEPTS_NULL] = ~0u;
	return m;
}

/* What call n does: the model files, else the callee's annotations (their result from its
 * summary when only its parameters are annotated), else the summary of a function of the unit,
 * else a guess from the name, else a callback hand-over; NULL: unknown. */
static const struct model_fn *resolve_call(struct unit *u, const struct ir_node *n, const struct eng_summary *sums)
{
	if (!n->callee)
		return NULL;
	const struct model_fn *m = model_lookup(u->model, n->callee);
	if (m)
		return m;
	if (n->model) {
		/* annotations on the parameters only (RC_STEALS...): the result comes from the body */
		const struct eng_summary *su = n->callee_fn >= 0 ? &sums[n->callee_fn] : imported(u, n->callee);
		if (n->model->ret == MODEL_RET_NONE && su && su->valid && su->fn.ret != MODEL_RET_NONE) {
			struct model_fn *mm = ir_alloc(u->arena, sizeof *mm);
			*mm = *n->model;
			mm->ret = su->fn.ret;
			mm->flags |= su->fn.flags & (MODEL_NULL_ON_FAILURE | MODEL_MAY_RETURN_NULL);
			return mm;
		}
		return n->model;
	}
	if (n->callee_fn >= 0 && sums[n->callee_fn].valid)
		return &sums[n->callee_fn].fn;
	if (n->callee_fn < 0) {
		/* a function another file of the tree defines: its summary, as for the unit's own */
		const struct eng_summary *su = imported(u, n->callee);
		if (su)
			return &su->fn;
		struct model_fn g;
		if (model_guess_from_name(n->callee, &g)) {
			struct model_fn *gm = ir_alloc(u->arena, sizeof *gm);
			*gm = g;
			gm->name = n->callee;
			return gm;
		}
		const struct model_fn *cb = callback_owner(u, n, sums);
		return cb ? cb : guess_returns_new(u, n);
	}
	return NULL;
}

/* A local that holds one string literal all along (`char *format = "|O&";`, assigned once,
 * its address never taken) is that literal where a call takes it: the format-driven models
 * read their format from it as from a literal written in the call. */
static void inline_constant_strings(struct ir_func *fn)
{
	uint32_t *nassign = util_xcalloc(fn->nvars ? fn->nvars : 1, sizeof *nassign);
	const struct ir_operand **lit = util_xcalloc(fn->nvars ? fn->nvars : 1, sizeof *lit);
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		if (n->op == IR_ASSIGN && n->dest >= 0 && (uint32_t)n->dest < fn->nvars) {
			nassign[n->dest]++;
			lit[n->dest] = n->nargs && a[0].kind == IR_OPND_STR && a[0].str ? &a[0] : NULL;
		}
		for (uint32_t j = 0; j < n->nargs; j++)
			if (a[j].kind == IR_OPND_ADDR && a[j].var >= 0 && (uint32_t)a[j].var < fn->nvars)
				nassign[a[j].var] += 2; /* may be written through the address */
	}
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op != IR_CALL || !n->nargs)
			continue; /* fn->ops may be NULL then (ir_args) */
		struct ir_operand *a = &fn->ops[n->arg0];
		for (uint32_t j = 0; j < n->nargs; j++) {
			int32_t v = a[j].var;
			if (a[j].kind == IR_OPND_VAR && v >= 0 && (uint32_t)v < fn->nvars && fn->vars[v].param < 0 &&
			    nassign[v] == 1 && lit[v])
				a[j] = *lit[v];
		}
	}
	free(nassign);
	free(lit);
}

/* Reads and addresses of globals the model says are borrowed get ival 1. */
static void mark_borrowed_globals(struct unit *u)
{
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		struct ir_func *fn = &u->funcs[i];
		for (uint32_t k = 0; k < fn->nops; k++) {
			struct ir_operand *o = &fn->ops[k];
			if ((o->kind == IR_OPND_LOAD || o->kind == IR_OPND_FIELD) && o->var == -2 && o->str &&
			    model_global_borrowed(u->model, o->str))
				o->ival = 1;
		}
	}
}

/* fn's own model as a copy the unit may change (its annotations or model line, or nothing). */
static struct model_fn *own_self_model(struct unit *u, struct ir_func *fn)
{
	struct model_fn *m = ir_alloc(u->arena, sizeof *m);
	if (fn->self_model)
		*m = *fn->self_model;
	else
		memset(m, 0, sizeof *m);
	m->name = fn->name;
	fn->self_model = m;
	return m;
}

/* A function the interpreter calls must return a new reference (or NULL on failure). */
static void mark_callable(struct unit *u, struct ir_func *fn, int null_ok)
{
	fn->py_callable = null_ok ? 2 : 1;
	if (!fn->returns_ptr || (fn->self_model && fn->self_model->ret != MODEL_RET_NONE))
		return;
	struct model_fn *m = own_self_model(u, fn);
	m->ret = MODEL_RET_NEW;
	m->flags |= MODEL_NULL_ON_FAILURE;
}

/* The functions method tables and type slots name. */
static void mark_callables(struct unit *u, const struct unit_decls *d)
{
	for (uint32_t k = 0; d && k < d->ncallables; k++) {
		int32_t f = find_fn(u, d->callables[k].name);
		if (f >= 0)
			mark_callable(u, &u->funcs[f], d->callables[k].null_ok);
	}
	/* external functions of the unit that a table of another file of the tree names */
	if (!u->tree || !u->tree->callable)
		return;
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		struct ir_func *fn = &u->funcs[i];
		int c = fn->external && !fn->py_callable ? u->tree->callable(u->tree->ctx, fn->name) : 0;
		if (c)
			mark_callable(u, fn, c == 2);
	}
}

/* A call whose result (arg -1), or whose out-parameter arg, is a new reference, as the model
 * files say (the unit's summaries do not exist yet when this runs). */
static int call_is_new(void *ctx, const struct ir_node *call, int arg)
{
	const struct unit *u = ctx;
	const struct model_fn *m = call->callee ? model_lookup(u->model, call->callee) : NULL;
	if (!m || (m->flags & MODEL_HEURISTIC))
		return 0;
	if (arg >= 0) /* an out-parameter receiving a new reference */
		return arg < 32 && (model_mask(m, MODEL_OUT_NEW, call->nargs) & (1u << arg));
	return m->ret == MODEL_RET_NEW;
}

/* ir_func.handed_over of every static function of the unit whose address is never taken: the
 * parameters every one of its calls (one at least) hands a new reference it does not use again
 * (irfacts_hands_over). Functions with external linkage may have callers in other files. */
static void mark_handed_over(struct unit *u)
{
	uint32_t *seen = util_xcalloc(u->nfuncs ? u->nfuncs : 1, sizeof *seen);
	for (uint32_t f = 0; f < u->nfuncs; f++) {
		/* its pointer parameters that can be counted objects (not the `...` of a variadic
		 * function, not a char * or an opaque handle) */
		struct ir_func *fn = &u->funcs[f];
		fn->handed_over = 0;
		for (uint32_t v = 0; v < fn->nvars && !fn->external && !fn->callback; v++)
			if (fn->vars[v].param >= 0 && fn->vars[v].param < 32 && (fn->vars[v].flags & IR_VAR_PTR) &&
			    !(fn->vars[v].flags & IR_VAR_PLAIN))
				fn->handed_over |= 1u << fn->vars[v].param;
	}
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		const struct ir_func *g = &u->funcs[i];
		for (uint32_t k = 0; k < g->nnodes; k++) {
			const struct ir_node *nd = &g->nodes[k];
			if (nd->op != IR_CALL)
				continue;
			/* a function handed by name (a callback): its callers are not all here */
			uint32_t j = 0;
			for (int32_t c; (c = callback_arg(g, nd, &j)) >= 0;)
				u->funcs[c].handed_over = 0;
			if (nd->callee_fn < 0 || !u->funcs[nd->callee_fn].handed_over)
				continue;
			struct ir_func *f = &u->funcs[nd->callee_fn];
			seen[nd->callee_fn] = 1;
			for (uint32_t p = 0; p < 32 && p < (uint32_t)f->nparams; p++)
				if ((f->handed_over & (1u << p)) && !irfacts_hands_over(g, (int32_t)k, p, call_is_new, u))
					f->handed_over &= ~(1u << p);
		}
	}
	for (uint32_t f = 0; f < u->nfuncs; f++) {
		struct ir_func *fn = &u->funcs[f];
		if (!seen[f])
			fn->handed_over = 0;
		if (!fn->handed_over)
			continue;
		/* the function owns those parameters from its entry, as if annotated to steal them:
		 * a path that neither releases nor hands one on leaks it */
		own_self_model(u, fn)->arg[MODEL_STEALS] |= fn->handed_over;
	}
	free(seen);
}

/* The fields released somewhere in the unit (by model calls that release or clear them),
 * sorted; *n: their number. */
static const char **released_fields(const struct unit *u, uint32_t *n)
{
	const char **released = NULL;
	uint32_t nreleased = 0, cap = 0;
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		const struct ir_func *fn = &u->funcs[i];
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			const struct ir_node *nd = &fn->nodes[k];
			if (nd->op != IR_CALL || !nd->callee)
				continue;
			const struct model_fn *m = model_lookup(u->model, nd->callee);
			if (!m)
				m = nd->model;
			if (!m || (m->flags & MODEL_HEURISTIC))
				continue;
			uint32_t mask = model_mask(m, MODEL_RELEASES, nd->nargs) | model_mask(m, MODEL_CLEARS, nd->nargs);
			if (m->setref_dst > 0)
				mask |= 1u << (m->setref_dst - 1);
			const struct ir_operand *a = ir_args(fn, nd);
			for (uint32_t j = 0; j < nd->nargs && j < 32; j++) {
				const char *f = (mask & (1u << j)) ? engine_operand_field(fn, &a[j]) : NULL;
				if (!f)
					continue;
				if (nreleased == cap) {
					cap = cap ? cap * 2 : 16;
					released = util_xrealloc(released, cap * sizeof *released);
				}
				released[nreleased++] = f;
			}
		}
	}
	if (nreleased)
		qsort(released, nreleased, sizeof *released, util_cmp_str);
	*n = nreleased;
	return released;
}

/* The types whose traverse and clear (or destroy) are functions of the unit. */
static struct eng_type_pair *unit_types(const struct unit *u, const struct unit_decls *d, uint32_t *n)
{
	*n = 0;
	if (!d || !d->ntypes)
		return NULL;
	struct eng_type_pair *types = util_xcalloc(d->ntypes, sizeof *types);
	for (uint32_t k = 0; k < d->ntypes; k++) {
		const struct unit_type_decl *t = &d->types[k];
		struct eng_type_pair p = { find_fn(u, t->traverse), find_fn(u, t->clear), find_fn(u, t->destroy), t->loc };
		if (p.traverse >= 0 && (p.clear >= 0 || p.destroy >= 0))
			types[(*n)++] = p;
	}
	return types;
}

/* ------------------------------------------------------------------------------------------ */
/* The unit                                                                                    */
/* ------------------------------------------------------------------------------------------ */

uint64_t unit_analyse(struct ir_func *funcs, uint32_t nfuncs, const struct unit_decls *decls, struct ir_arena *arena,
		      const struct unit_options *opt)
{
	struct unit u;
	memset(&u, 0, sizeof u);
	u.funcs = funcs;
	u.nfuncs = nfuncs;
	u.arena = arena;
	u.model = opt->model;
	u.tree = opt->tree;
	size_t n1 = nfuncs ? nfuncs : 1;
	u.idx = util_xcalloc(n1, sizeof *u.idx);
	uint32_t *order = util_xcalloc(n1, sizeof *order);
	uint8_t *mark = util_xcalloc(n1, 1);
	struct eng_summary *sums = util_xcalloc(n1, sizeof *sums);

	mark_borrowed_globals(&u);
	for (uint32_t i = 0; i < nfuncs; i++)
		inline_constant_strings(&funcs[i]);
	link_unit(&u);
	mark_callables(&u, decls);
	mark_handed_over(&u);
	uint32_t norder = 0;
	for (uint32_t i = 0; i < nfuncs; i++)
		if (!mark[i])
			order_visit(&u, i, mark, order, &norder);
	assert(norder == nfuncs);

	uint32_t nreleased = 0;
	const char **released = released_fields(&u, &nreleased);
	struct engine_options eo;
	memset(&eo, 0, sizeof eo);
	eo.released_fields = released;
	eo.nreleased_fields = nreleased;
	eo.max_states = opt->max_states;
	eo.conventions = model_conventions(u.model);
	eo.model = u.model;
	eo.unit_summaries = sums;
	eo.nunit_summaries = n1;
	eo.report = opt->report;
	eo.incomplete = opt->incomplete;
	eo.ctx = opt->ctx;
	uint64_t states = 0;
	for (uint32_t oi = 0; oi < norder; oi++) {
		uint32_t i = order[oi];
		struct ir_func *fn = &funcs[i];
		u.current = fn;
		for (uint32_t k = 0; k < fn->nnodes; k++)
			if (fn->nodes[k].op == IR_CALL)
				fn->nodes[k].model = resolve_call(&u, &fn->nodes[k], sums);
		if (util_meter_over())
			break; /* the file is over its memory limit: it will not be analysed (util.h) */
		states += engine_run(fn, &eo, &sums[i]);
		sums[i].fn.name = fn->name;
		if (fn->external && u.tree && u.tree->exported)
			u.tree->exported(u.tree->ctx, fn, &sums[i]);
	}
	/* checks over the whole unit (types' traverse and clear) */
	uint32_t ntypes = 0;
	struct eng_type_pair *types = unit_types(&u, decls, &ntypes);
	struct eng_unit unit = { funcs, nfuncs, types, ntypes };
	engine_run_unit(&unit, &eo);

	free(types);
	free(released);
	free(u.idx);
	free(order);
	free(mark);
	free(sums);
	return states;
}
