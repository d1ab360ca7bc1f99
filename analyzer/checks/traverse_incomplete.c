/*
 * rc-traverse-incomplete: a type's clear function releases a reference field that its traverse
 * function never visits, so a cycle through that field is invisible to the cycle collector and
 * can never be freed. Works on the whole translation unit: the front end pairs the traverse,
 * clear and destroy functions of each type defined with a designated initializer (rc_type's
 * .traverse/.clear/.destroy, PyTypeObject's .tp_traverse/.tp_clear/.tp_dealloc, PyType_Slot
 * arrays). Releases in helpers of the same unit called by clear/destroy count. Fields are compared by name; what traverse passes to
 * any call (visit(self->f, arg), Py_VISIT(self->f), also through helpers of the same unit) is
 * visited. Reported at the release in clear.
 */
#include "common.h"

#include "models/conventions.h"

#include "models/model.h"

#define MAX_FIELDS 128

struct fields {
	const char *name[MAX_FIELDS];
	struct ir_loc loc[MAX_FIELDS];
	const struct ir_func *fn[MAX_FIELDS]; /* where the field is released */
	uint32_t n;
};

static int has_field(const struct fields *f, const char *name)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (!strcmp(f->name[i], name))
			return 1;
	return 0;
}

static void add_field(struct fields *f, const char *name, struct ir_loc loc, const struct ir_func *fn)
{
	if (name && f->n < MAX_FIELDS && !has_field(f, name)) {
		f->name[f->n] = name;
		f->loc[f->n] = loc;
		f->fn[f->n] = fn;
		f->n++;
	}
}

/* Fields whose reads are handed to calls in fn and in the unit's functions it calls. */
static void visited_fields(const struct eng_unit *u, int32_t fi, struct fields *out, int depth)
{
	if (fi < 0 || (uint32_t)fi >= u->nfuncs || depth > 4)
		return;
	const struct ir_func *fn = &u->funcs[fi];
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op != IR_CALL)
			continue;
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t j = 0; j < n->nargs; j++)
			add_field(out, engine_operand_field(fn, &a[j]), n->loc, fn);
		if (n->callee_fn >= 0 && n->callee_fn != fi)
			visited_fields(u, n->callee_fn, out, depth + 1);
	}
}

/* Fields of the object released (or cleared) by fn, whose parameter `self` is the object, and by
 * the unit's functions it hands the object to. A helper called with another object (a list
 * node, self->other) says nothing about what self's traverse must visit. */
static void released_fields(const struct eng_unit *u, int32_t fi, struct fields *out, int depth, int self)
{
	if (fi < 0 || (uint32_t)fi >= u->nfuncs || depth > 4 || self < 0)
		return;
	const struct ir_func *fn = &u->funcs[fi];
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct model_fn *m = n->model;
		if (n->op != IR_CALL)
			continue;
		const struct ir_operand *a = ir_args(fn, n);
		if (n->callee_fn >= 0 && n->callee_fn != fi)
			for (uint32_t j = 0; j < n->nargs; j++)
				if (engine_operand_param(fn, &a[j]) == self)
					released_fields(u, n->callee_fn, out, depth + 1, (int)j);
		if (!m || (m->flags & MODEL_HEURISTIC) || m->origin == MODEL_FROM_SUMMARY)
			continue;
		uint32_t mask = model_mask(m, MODEL_RELEASES, n->nargs) | model_mask(m, MODEL_CLEARS, n->nargs);
		if (m->setref_dst > 0)
			mask |= 1u << (m->setref_dst - 1);
		for (uint32_t j = 0; j < n->nargs && j < 32; j++)
			if (mask & (1u << j))
				add_field(out, engine_operand_field_of(fn, &a[j], self), n->loc, fn);
	}
}

/* Fields the unit takes out of the cycle collector (a call of an `untrack` convention, PyObject_GC_UnTrack(self->f)): an untracked
 * object is never traversed, so not visiting it changes nothing. */
static void untracked_fields(const struct eng_unit *u, const struct engine_options *opt, struct fields *out)
{
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		const struct ir_func *fn = &u->funcs[i];
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			const struct ir_node *n = &fn->nodes[k];
			if (n->op != IR_CALL || !n->callee || n->nargs < 1 || !conv_is(opt->conventions, CONV_UNTRACK, n->callee))
				continue;
			add_field(out, engine_operand_field(fn, ir_args(fn, n)), n->loc, fn);
		}
	}
}

static void on_unit(const struct eng_unit *u, const struct engine_options *opt, int self)
{
	struct fields untracked;
	untracked.n = 0;
	untracked_fields(u, opt, &untracked);
	for (uint32_t t = 0; t < u->ntypes; t++) {
		const struct eng_type_pair *p = &u->types[t];
		if (p->traverse < 0)
			continue;
		/* several types sharing one set of functions (views of a mapping): report once */
		uint32_t same = 0;
		while (same < t && !(u->types[same].traverse == p->traverse && u->types[same].clear == p->clear &&
				     u->types[same].destroy == p->destroy))
			same++;
		if (same < t)
			continue;
		struct fields visited, released;
		visited.n = released.n = 0;
		visited_fields(u, p->traverse, &visited, 0);
		released_fields(u, p->clear, &released, 0, 0);
		released_fields(u, p->destroy, &released, 0, 0);
		const struct ir_func *tr = &u->funcs[p->traverse];
		for (uint32_t i = 0; i < released.n; i++) {
			if (has_field(&visited, released.name[i]) || has_field(&untracked, released.name[i]))
				continue;
			char note[300];
			snprintf(note, sizeof note, "traverse function '%s' does not visit '%s'", tr->name, released.name[i]);
			engine_report_unit(opt, self, released.fn[i], released.loc[i], released.name[i], tr->loc, note,
					   "'%s' releases field '%s', which the type's traverse function '%s' never "
					   "visits: a cycle through it can never be collected",
					   released.fn[i]->name, released.name[i], tr->name);
		}
	}
}

const struct check check_traverse_incomplete = {
	.id = "rc-traverse-incomplete",
	.description = "a type's traverse does not visit a reference that its clear releases",
	.unit = on_unit,
};
