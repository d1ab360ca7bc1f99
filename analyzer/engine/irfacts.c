/*
 * irfacts.c - facts of the IR that need no analysis state (irfacts.h).
 */
#include "engine/irfacts.h"

#include "models/model.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- fields and aliases ----------------------------------------------------------------- */

const struct ir_operand *irfacts_first_assigned(const struct ir_func *fn, int32_t var)
{
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op == IR_ASSIGN && n->dest == var && n->nargs)
			return ir_args(fn, n);
	}
	return NULL;
}

static const char *operand_field(const struct ir_func *fn, const struct ir_operand *o, int depth, int32_t *base)
{
	if (depth > 8)
		return NULL;
	if (o->kind == IR_OPND_FIELD && o->var >= 0) {
		*base = o->var;
		return o->str;
	}
	if (o->kind != IR_OPND_VAR)
		return NULL;
	/* a temporary, or a local such as `old = p->f` (its first assignment) */
	const struct ir_operand *src = irfacts_first_assigned(fn, o->var);
	if (src && src->kind == IR_OPND_LOAD && src->var >= 0) {
		*base = src->var;
		return src->str;
	}
	if (src && src->kind == IR_OPND_VAR && src->var != o->var)
		return operand_field(fn, src, depth + 1, base);
	return NULL;
}

const char *engine_operand_field(const struct ir_func *fn, const struct ir_operand *o)
{
	int32_t base = -1;
	return operand_field(fn, o, 0, &base);
}

/* The parameter (0-based) var is, directly or as a local first assigned it (`struct node *n =
 * (void *)self`), or -1. */
static int param_alias(const struct ir_func *fn, int32_t var, int depth)
{
	if (var < 0 || (uint32_t)var >= fn->nvars || depth > 4)
		return -1;
	if (fn->vars[var].param >= 0)
		return fn->vars[var].param;
	const struct ir_operand *src = irfacts_first_assigned(fn, var);
	return src && src->kind == IR_OPND_VAR && src->var != var ? param_alias(fn, src->var, depth + 1) : -1;
}

int engine_operand_param(const struct ir_func *fn, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR ? param_alias(fn, o->var, 0) : -1;
}

const char *engine_operand_field_of(const struct ir_func *fn, const struct ir_operand *o, int param)
{
	int32_t base = -1;
	const char *f = operand_field(fn, o, 0, &base);
	return f && param >= 0 && param_alias(fn, base, 0) == param ? f : NULL;
}


/* ---- vars read later -------------------------------------------------------------------- */

/* A walk of the paths from node `from` that stops at a node where `hit` holds (returns 1) and
 * does not go past a node assigning var. */
static int walk_until_assigned(const struct ir_func *fn, int32_t from, int32_t var,
			       int (*hit)(const struct ir_func *fn, int32_t k, int32_t var, int32_t target), int32_t target)
{
	uint8_t *seen = util_xcalloc(fn->nnodes ? fn->nnodes : 1, 1);
	int32_t *stack = util_xrealloc(NULL, (fn->nnodes + 1) * sizeof *stack);
	uint32_t sp = 0;
	int found = 0;
	stack[sp++] = from;
	while (sp && !found) {
		int32_t k = stack[--sp];
		if (k < 0 || (uint32_t)k >= fn->nnodes || seen[k])
			continue;
		seen[k] = 1;
		const struct ir_node *n = &fn->nodes[k];
		found = hit(fn, k, var, target);
		if (found || ((n->op == IR_ASSIGN || n->op == IR_CALL) && n->dest == var))
			continue;
		for (int t = 0; t < 2; t++)
			if (n->succ[t] >= 0 && !seen[n->succ[t]])
				stack[sp++] = n->succ[t];
	}
	free(stack);
	free(seen);
	return found;
}

/* Node k reads var (its address counts as a read). */
static int reads_var(const struct ir_func *fn, int32_t k, int32_t var, int32_t target)
{
	(void)target;
	const struct ir_node *n = &fn->nodes[k];
	const struct ir_operand *a = ir_args(fn, n);
	for (uint32_t j = 0; j < n->nargs; j++)
		if (n->op != IR_KILL && a[j].var == var &&
		    (a[j].kind == IR_OPND_VAR || a[j].kind == IR_OPND_ADDR || a[j].kind == IR_OPND_LOAD ||
		     a[j].kind == IR_OPND_FIELD))
			return 1;
	return 0;
}

int irfacts_var_read_later(const struct ir_func *fn, int32_t from, int32_t var)
{
	return walk_until_assigned(fn, from, var, reads_var, -1);
}

/* Node k tests var (a branch on it), returns it, or copies it into another var that is tested
 * or returned later (target: how many copies may still be followed). */
static int tests_var(const struct ir_func *fn, int32_t k, int32_t var, int32_t target)
{
	const struct ir_node *n = &fn->nodes[k];
	const struct ir_operand *a = ir_args(fn, n);
	if (!n->nargs || a[0].kind != IR_OPND_VAR || a[0].var != var)
		return 0;
	if (n->op == IR_BRANCH || n->op == IR_RETURN)
		return 1;
	return n->op == IR_ASSIGN && target > 0 && n->dest >= 0 && n->dest != var &&
	       walk_until_assigned(fn, n->succ[0], n->dest, tests_var, target - 1);
}

int irfacts_var_tested_later(const struct ir_func *fn, int32_t from, int32_t var)
{
	return walk_until_assigned(fn, from, var, tests_var, 2);
}


static int is_node(const struct ir_func *fn, int32_t k, int32_t var, int32_t target)
{
	(void)fn;
	(void)var;
	return k == target;
}

/* Whether some path from node `from` reaches node `to` without assigning var on the way. */
static int reaches_unassigned(const struct ir_func *fn, int32_t from, int32_t to, int32_t var)
{
	return walk_until_assigned(fn, from, var, is_node, to);
}

/* irfacts_holds_new, for the value var has at node `at` (-1: anywhere): a definition of
 * nothing known (a declaration without initializer, `PyObject *item;`) counts only when it
 * cannot reach `at`. */
static int holds_new_at(const struct ir_func *fn, int32_t var, int32_t at,
			int (*is_new)(void *ctx, const struct ir_node *call, int arg), void *ctx)
{
	if (var < 0 || (uint32_t)var >= fn->nvars || fn->vars[var].param >= 0)
		return 0;
	int defs = 0;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t j = 0; j < n->nargs; j++) {
			if (a[j].kind != IR_OPND_ADDR || a[j].var != var)
				continue;
			/* written through its address: by a call that stores a new reference there
			 * (PyUnicode_FSConverter(o, &bytes): out-new), else anything */
			if (n->op != IR_CALL || !is_new(ctx, n, (int)j))
				return 0;
			defs++;
		}
		if (n->dest != var || (n->op != IR_CALL && n->op != IR_ASSIGN))
			continue;
		if (n->op == IR_CALL) {
			if (!is_new(ctx, n, -1))
				return 0;
			defs++;
			continue;
		}
		if (a[0].kind == IR_OPND_NULL || (a[0].kind == IR_OPND_INT && a[0].ival == 0))
			continue;
		if (a[0].kind == IR_OPND_UNKNOWN && at >= 0 && n->succ[0] >= 0 &&
		    !reaches_unassigned(fn, n->succ[0], at, var))
			continue;
		if (a[0].kind != IR_OPND_VAR || a[0].var == var || !(fn->vars[a[0].var].flags & IR_VAR_TEMP))
			return 0;
		/* a temporary is the result of one call */
		int found = 0;
		for (uint32_t c = 0; c < fn->nnodes && !found; c++)
			found = fn->nodes[c].op == IR_CALL && fn->nodes[c].dest == a[0].var;
		for (uint32_t c = 0; c < fn->nnodes; c++)
			if (fn->nodes[c].op == IR_CALL && fn->nodes[c].dest == a[0].var && !is_new(ctx, &fn->nodes[c], -1))
				return 0;
		if (!found)
			return 0;
		defs++;
	}
	return defs > 0;
}

int irfacts_holds_new(const struct ir_func *fn, int32_t var, int (*is_new)(void *ctx, const struct ir_node *call, int arg),
		      void *ctx)
{
	return holds_new_at(fn, var, -1, is_new, ctx);
}

int irfacts_hands_over(const struct ir_func *fn, int32_t call, uint32_t k,
		       int (*is_new)(void *ctx, const struct ir_node *call, int arg), void *ctx)
{
	const struct ir_node *n = &fn->nodes[call];
	if (k >= n->nargs || ir_args(fn, n)[k].kind != IR_OPND_VAR)
		return 0;
	int32_t var = ir_args(fn, n)[k].var;
	if (!holds_new_at(fn, var, call, is_new, ctx))
		return 0;
	return n->succ[0] < 0 || !irfacts_var_read_later(fn, n->succ[0], var);
}

/* ---- index ranges: PyTuple_GetItem(t, i) cannot fail when i is below the size of t -------------
 * A call whose model names an index argument (index-arg) fails only for an index out of the
 * container's range. The pass below, over the whole function and not per path, finds calls whose
 * index the function compares with the container's size: `i < n` with n the result of a size-of
 * call on the same container var (or a copy of it), or a constant index (or `i < K`) below a
 * constant the size is compared with (`PyTuple_GET_SIZE(t) != 2` before `PyTuple_GetItem(t, 1)`).
 * A container the function made itself (a call whose model has size-arg: `t = PyTuple_New(2)`,
 * `t = PyList_New(n)`; t assigned once) has that size: a constant index below the constant, or
 * an index compared below the size var n (n not assigned in the function but once), is in range.
 * Such calls do not fork a failure. Not path-sensitive: a comparison anywhere in the function
 * counts, which is what code that checks sizes and then indexes looks like. */

#define NO_CONTAINER (-1)
#define MANY_CONTAINERS (-3)

/* The container var whose size the operand is (a size-of result or a copy), or -1. */
static int32_t size_container(const int32_t *size_of, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR && size_of[o->var] >= 0 ? size_of[o->var] : NO_CONTAINER;
}

static void note_size(int32_t *size_of, int32_t var, int32_t container, int *changed)
{
	int32_t old = size_of[var];
	int32_t now = old == NO_CONTAINER ? container : (old == container ? old : MANY_CONTAINERS);
	if (now != old) {
		size_of[var] = now;
		*changed = 1;
	}
}

uint8_t *irfacts_index_ranges(const struct ir_func *fn)
{
	int any = 0;
	for (uint32_t k = 0; k < fn->nnodes && !any; k++)
		any = fn->nodes[k].op == IR_CALL && fn->nodes[k].model && fn->nodes[k].model->index_arg;
	if (!any || !fn->nvars)
		return NULL;
	int32_t *size_of = util_xrealloc(NULL, fn->nvars * sizeof *size_of);
	for (uint32_t v = 0; v < fn->nvars; v++)
		size_of[v] = NO_CONTAINER;
	/* vars holding the size of a container: size-of call results and their copies; a var
	 * assigned anything else (but a constant <= 0, as in `t ? PyTuple_GET_SIZE(t) : -1`) holds
	 * no known size */
	int changed = 1;
	for (int round = 0; changed && round < 8; round++) {
		changed = 0;
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			const struct ir_node *n = &fn->nodes[k];
			const struct ir_operand *a = ir_args(fn, n);
			if (n->dest < 0)
				continue;
			if (n->op == IR_CALL) {
				const struct model_fn *m = n->model;
				if (m && m->size_of > 0 && (uint32_t)m->size_of <= n->nargs && a[m->size_of - 1].kind == IR_OPND_VAR)
					note_size(size_of, n->dest, a[m->size_of - 1].var, &changed);
				else
					note_size(size_of, n->dest, MANY_CONTAINERS, &changed);
			} else if (n->op == IR_ASSIGN && n->nargs) {
				if (a[0].kind == IR_OPND_VAR && size_of[a[0].var] != NO_CONTAINER)
					note_size(size_of, n->dest, size_of[a[0].var], &changed);
				else if (a[0].kind == IR_OPND_LOAD && a[0].var >= 0 && a[0].str && !strcmp(a[0].str, "ob_size"))
					note_size(size_of, n->dest, a[0].var, &changed); /* Py_SIZE as a macro */
				else if (!(a[0].kind == IR_OPND_INT && a[0].ival <= 0))
					note_size(size_of, n->dest, MANY_CONTAINERS, &changed);
			}
		}
	}
	/* what the comparisons say: index var < size of container; index var < K; size >= K;
	 * index var < var */
	struct bound {
		int32_t var;   /* index var, or container var (size bounds) */
		int32_t other; /* container (index < size), the other var (index < var), or -1 */
		int64_t k;
	} *lt_size = NULL, *lt_const = NULL, *size_ge = NULL, *lt_var = NULL;
	uint32_t nlt_size = 0, nlt_const = 0, nsize_ge = 0, nlt_var = 0;
	/* containers the function made: made_size[t] the var holding the size it was made with,
	 * or -1; a constant size goes to size_ge */
	uint32_t *nassign = util_xcalloc(fn->nvars, sizeof *nassign);
	int32_t *made_by = util_xrealloc(NULL, fn->nvars * sizeof *made_by); /* the call node */
	int32_t *made_size = util_xrealloc(NULL, fn->nvars * sizeof *made_size);
	for (uint32_t v = 0; v < fn->nvars; v++)
		made_by[v] = made_size[v] = -1;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		/* `PyObject *t = NULL; ... t = PyTuple_New(2);`: the NULL (or the unknown value of a
		 * declaration without one) does not count */
		if (n->dest >= 0 && (n->op == IR_CALL || (n->op == IR_ASSIGN && !(n->nargs && (a[0].kind == IR_OPND_NULL ||
											      a[0].kind == IR_OPND_UNKNOWN)))))
			nassign[n->dest]++;
		for (uint32_t j = 0; j < n->nargs; j++)
			if (a[j].kind == IR_OPND_ADDR && a[j].var >= 0)
				nassign[a[j].var] += 2;
		if (n->op == IR_CALL && n->dest >= 0 && n->model && n->model->size_arg > 0 &&
		    (uint32_t)n->model->size_arg <= n->nargs)
			made_by[n->dest] = (int32_t)k;
	}
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		if (n->op != IR_ASSIGN || n->dest < 0 || !n->nargs || a[0].kind != IR_OPND_VAR || made_by[a[0].var] < 0 ||
		    nassign[n->dest] != 1)
			continue;
		const struct ir_node *c = &fn->nodes[made_by[a[0].var]];
		const struct ir_operand *sz = &ir_args(fn, c)[c->model->size_arg - 1];
		if (sz->kind == IR_OPND_INT) {
			size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
			size_ge[nsize_ge++] = (struct bound){ n->dest, -1, sz->ival };
		} else if (sz->kind == IR_OPND_VAR && nassign[sz->var] <= 1) {
			made_size[n->dest] = sz->var;
		}
	}
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		if (n->op != IR_BRANCH)
			continue;
		int32_t c0 = n->nargs ? size_container(size_of, &a[0]) : NO_CONTAINER;
		if (n->cond == IR_COND_LT && n->nargs == 2) {
			int32_t c1 = size_container(size_of, &a[1]);
			if (a[0].kind == IR_OPND_VAR && c1 >= 0) {
				lt_size = util_xrealloc(lt_size, (nlt_size + 1) * sizeof *lt_size);
				lt_size[nlt_size++] = (struct bound){ a[0].var, c1, 0 };
			} else if (a[0].kind == IR_OPND_VAR && a[1].kind == IR_OPND_VAR) {
				lt_var = util_xrealloc(lt_var, (nlt_var + 1) * sizeof *lt_var);
				lt_var[nlt_var++] = (struct bound){ a[0].var, a[1].var, 0 };
			} else if (a[0].kind == IR_OPND_VAR && a[1].kind == IR_OPND_INT) {
				lt_const = util_xrealloc(lt_const, (nlt_const + 1) * sizeof *lt_const);
				lt_const[nlt_const++] = (struct bound){ a[0].var, -1, a[1].ival };
			}
			if (c0 >= 0 && a[1].kind == IR_OPND_INT) { /* size < K, K on its other edge */
				size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
				size_ge[nsize_ge++] = (struct bound){ c0, -1, a[1].ival };
			} else if (c1 >= 0 && a[0].kind == IR_OPND_INT) { /* K < size */
				size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
				size_ge[nsize_ge++] = (struct bound){ c1, -1, a[0].ival + 1 };
			}
		} else if (n->cond == IR_COND_EQ && c0 >= 0) {
			size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
			size_ge[nsize_ge++] = (struct bound){ c0, -1, n->ival };
		}
	}
	uint8_t *in_range = util_xcalloc(fn->nnodes, 1);
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct model_fn *m = n->model;
		if (n->op != IR_CALL || !m || m->index_arg < 2 || (uint32_t)m->index_arg > n->nargs)
			continue;
		const struct ir_operand *a = ir_args(fn, n);
		const struct ir_operand *t = &a[0], *i = &a[m->index_arg - 1];
		if (t->kind != IR_OPND_VAR)
			continue;
		/* the least size the function compares t's size with (every such comparison counts) */
		int64_t least = -1;
		for (uint32_t b = 0; b < nsize_ge; b++)
			if (size_ge[b].var == t->var && (least < 0 || size_ge[b].k < least))
				least = size_ge[b].k;
		int ok = 0;
		if (i->kind == IR_OPND_INT) {
			ok = i->ival >= 0 && i->ival < least;
		} else if (i->kind == IR_OPND_VAR) {
			for (uint32_t b = 0; b < nlt_size && !ok; b++)
				ok = lt_size[b].var == i->var && lt_size[b].other == t->var;
			/* i < n with t made of size n */
			for (uint32_t b = 0; b < nlt_var && !ok && made_size[t->var] >= 0; b++)
				ok = lt_var[b].var == i->var && lt_var[b].other == made_size[t->var];
			/* i < K with K at most the least size: every K the function compares i with */
			int64_t most = -1;
			for (uint32_t b = 0; b < nlt_const; b++)
				if (lt_const[b].var == i->var && lt_const[b].k > most)
					most = lt_const[b].k;
			ok = ok || (most > 0 && least >= most);
		}
		in_range[k] = (uint8_t)ok;
	}
	free(lt_size);
	free(lt_const);
	free(lt_var);
	free(size_ge);
	free(size_of);
	free(nassign);
	free(made_by);
	free(made_size);
	return in_range;
}


/* ---- ownership reported in a flag, globals acquired before a return ---------------------- */

int irfacts_global_acquired_before(const struct ir_func *fn, const struct ir_node *ret, const char *g)
{
	int32_t at = (int32_t)(ret - fn->nodes);
	for (int steps = 0; steps < 8 && g; steps++) {
		int32_t pred = -1;
		int npred = 0;
		for (uint32_t k = 0; k < fn->nnodes; k++)
			for (int s = 0; s < 2; s++)
				if (fn->nodes[k].succ[s] == at) {
					pred = (int32_t)k;
					npred++;
				}
		if (npred != 1)
			return 0;
		const struct ir_node *p = &fn->nodes[pred];
		if (p->op == IR_BRANCH || p->op == IR_RETURN)
			return 0;
		if (p->op == IR_CALL && p->model && !(p->model->flags & MODEL_HEURISTIC)) {
			uint32_t acq = model_mask(p->model, MODEL_ACQUIRES, p->nargs);
			const struct ir_operand *a = ir_args(fn, p);
			for (uint32_t k = 0; k < p->nargs && k < 32; k++)
				if ((acq & (1u << k)) && a[k].kind == IR_OPND_FIELD && a[k].var == -2 && a[k].str &&
				    !strcmp(a[k].str, g))
					return 1;
		}
		at = pred;
	}
	return 0;
}

int engine_ownership_flag(const struct ir_func *fn)
{
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op != IR_STORE || n->nargs < 2)
			continue;
		const struct ir_operand *a = ir_args(fn, n);
		if (a[0].kind != IR_OPND_INT || a[1].kind != IR_OPND_LOAD || a[1].var < 0 || !a[1].str ||
		    strcmp(a[1].str, "*") || !(fn->vars[a[1].var].flags & IR_VAR_PARAM))
			continue;
		for (uint32_t j = k + 1; j < fn->nnodes; j++) {
			const struct ir_node *m = &fn->nodes[j];
			if (m->op != IR_STORE || m->nargs < 2)
				continue;
			const struct ir_operand *b = ir_args(fn, m);
			if (b[0].kind == IR_OPND_INT && b[0].ival != a[0].ival && b[1].kind == IR_OPND_LOAD &&
			    b[1].var == a[1].var && b[1].str && !strcmp(b[1].str, "*"))
				return 1;
		}
	}
	return 0;
}

