/*
 * tree.c - the index of a whole tree (tree.h): who defines each external function, the
 * callee-first order of the units, and the summaries units export to each other.
 */
#include "unit/tree.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

struct export {
	char *name;
	struct eng_summary s; /* s.fn.name is name */
};

struct tunit {
	struct unit_tree hooks; /* ctx: this tunit */
	struct tree *t;
	size_t u;
	char **calls; /* names the unit calls and does not define (sorted, unique; freed by tree_link) */
	size_t ncalls;
	struct export *exports; /* sorted by name once the unit is done (tree_unit_done) */
	size_t nexports, cap_exports;
	size_t pos;   /* in order */
	size_t group; /* its strongly connected component */
	size_t imported;
};

/* An external definition, or a name a table names (callable). */
struct name_entry {
	char *name;
	size_t unit;
};

struct callable_entry {
	char *name;
	int null_ok;
};

struct tree {
	size_t n;
	struct tunit *units;
	struct name_entry *defs; /* sorted by name; unit == SIZE_MAX: defined by several units */
	size_t ndefs, cap_defs;
	struct callable_entry *callables; /* sorted by name */
	size_t ncallables, cap_callables;
	size_t *order;
	/* the components, in order: group g is order[group_start[g] .. group_start[g + 1]) */
	size_t *group_start, ngroups;
	size_t **group_deps, *ngroup_deps; /* units of earlier groups each group imports from */
	size_t ambiguous;
};

static int cmp_name_entry(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->unit > y->unit) - (x->unit < y->unit);
}

static int cmp_callable(const void *a, const void *b)
{
	return strcmp(((const struct callable_entry *)a)->name, ((const struct callable_entry *)b)->name);
}

static int cmp_export(const void *a, const void *b)
{
	return strcmp(((const struct export *)a)->name, ((const struct export *)b)->name);
}

static const struct name_entry *find_def(const struct tree *t, const char *name)
{
	struct name_entry key = { (char *)name, 0 };
	size_t lo = 0, hi = t->ndefs;
	while (lo < hi) { /* the entry of that name (unique after tree_link) */
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->defs[mid].name, key.name);
		if (c == 0)
			return &t->defs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- hooks for the unit driver ------------------------------------------------------------ */

static const struct eng_summary *hook_import(void *ctx, const char *name)
{
	struct tunit *tu = ctx;
	const struct tree *t = tu->t;
	const struct name_entry *d = find_def(t, name);
	if (!d || d->unit == SIZE_MAX || d->unit == tu->u)
		return NULL;
	const struct tunit *from = &t->units[d->unit];
	/* an earlier component is finished; in the same component (units that call each other,
	 * analysed in turn by one thread) the unit's latest summaries */
	if (from->group > tu->group)
		return NULL;
	struct export key = { (char *)name, { { 0 }, 0, 0 } };
	const struct export *e = bsearch(&key, from->exports, from->nexports, sizeof *from->exports, cmp_export);
	if (!e || !e->s.valid)
		return NULL;
	tu->imported++;
	return &e->s;
}

static int hook_callable(void *ctx, const char *name)
{
	struct tunit *tu = ctx;
	const struct tree *t = tu->t;
	const struct name_entry *d = find_def(t, name);
	if (!d || d->unit != tu->u)
		return 0;
	struct callable_entry key = { (char *)name, 0 };
	const struct callable_entry *c =
		bsearch(&key, t->callables, t->ncallables, sizeof *t->callables, cmp_callable);
	return c ? 1 + c->null_ok : 0;
}

static void hook_exported(void *ctx, const struct ir_func *fn, const struct eng_summary *s)
{
	struct tunit *tu = ctx;
	if (tu->nexports == tu->cap_exports) {
		tu->cap_exports = tu->cap_exports ? tu->cap_exports * 2 : 16;
		tu->exports = util_xrealloc(tu->exports, tu->cap_exports * sizeof *tu->exports);
	}
	struct export *e = &tu->exports[tu->nexports++];
	e->name = util_xstrdup(fn->name);
	e->s = *s;
	e->s.fn.name = e->name;
}

/* ---- building ------------------------------------------------------------------------------ */

struct tree *tree_new(size_t nunits)
{
	struct tree *t = util_xcalloc(1, sizeof *t);
	t->n = nunits;
	t->units = util_xcalloc(nunits ? nunits : 1, sizeof *t->units);
	for (size_t u = 0; u < nunits; u++) {
		struct tunit *tu = &t->units[u];
		tu->t = t;
		tu->u = u;
		tu->hooks.import = hook_import;
		tu->hooks.callable = hook_callable;
		tu->hooks.exported = hook_exported;
		tu->hooks.ctx = tu;
	}
	return t;
}

void tree_free(struct tree *t)
{
	if (!t)
		return;
	for (size_t u = 0; u < t->n; u++) {
		struct tunit *tu = &t->units[u];
		for (size_t k = 0; k < tu->ncalls; k++)
			free(tu->calls[k]);
		free(tu->calls);
		for (size_t k = 0; k < tu->nexports; k++)
			free(tu->exports[k].name);
		free(tu->exports);
	}
	for (size_t g = 0; g < t->ngroups; g++)
		free(t->group_deps[g]);
	free(t->group_deps);
	free(t->ngroup_deps);
	free(t->group_start);
	for (size_t k = 0; k < t->ndefs; k++)
		free(t->defs[k].name);
	free(t->defs);
	for (size_t k = 0; k < t->ncallables; k++)
		free(t->callables[k].name);
	free(t->callables);
	free(t->units);
	free(t->order);
	free(t);
}

static int defines(const char *const *names, size_t n, const char *name)
{
	return bsearch(&name, names, n, sizeof *names, util_cmp_str) != NULL;
}

void tree_add_unit(struct tree *t, size_t u, const struct ir_func *funcs, uint32_t nfuncs, const struct unit_decls *d)
{
	struct tunit *tu = &t->units[u];
	/* the names the unit defines, any linkage: its own calls and tables name those */
	const char **own = util_xcalloc(nfuncs ? nfuncs : 1, sizeof *own);
	for (uint32_t i = 0; i < nfuncs; i++)
		own[i] = funcs[i].name;
	qsort(own, nfuncs, sizeof *own, util_cmp_str);
	for (uint32_t i = 0; i < nfuncs; i++) {
		if (!funcs[i].external)
			continue;
		if (t->ndefs == t->cap_defs) {
			t->cap_defs = t->cap_defs ? t->cap_defs * 2 : 64;
			t->defs = util_xrealloc(t->defs, t->cap_defs * sizeof *t->defs);
		}
		t->defs[t->ndefs].name = util_xstrdup(funcs[i].name);
		t->defs[t->ndefs++].unit = u;
	}
	size_t cap = 0;
	for (uint32_t i = 0; i < nfuncs; i++) {
		const struct ir_func *fn = &funcs[i];
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			const struct ir_node *nd = &fn->nodes[k];
			if (nd->op != IR_CALL || !nd->callee || defines(own, nfuncs, nd->callee))
				continue;
			if (tu->ncalls == cap) {
				cap = cap ? cap * 2 : 32;
				tu->calls = util_xrealloc(tu->calls, cap * sizeof *tu->calls);
			}
			tu->calls[tu->ncalls++] = (char *)nd->callee; /* copied below, once unique */
		}
	}
	qsort(tu->calls, tu->ncalls, sizeof *tu->calls, util_cmp_str);
	size_t w = 0;
	for (size_t k = 0; k < tu->ncalls; k++)
		if (!w || strcmp(tu->calls[w - 1], tu->calls[k]))
			tu->calls[w++] = tu->calls[k];
	tu->ncalls = w;
	for (size_t k = 0; k < w; k++)
		tu->calls[k] = util_xstrdup(tu->calls[k]);
	for (uint32_t k = 0; d && k < d->ncallables; k++) {
		if (defines(own, nfuncs, d->callables[k].name))
			continue; /* the unit's own function: unit.c marks it */
		if (t->ncallables == t->cap_callables) {
			t->cap_callables = t->cap_callables ? t->cap_callables * 2 : 32;
			t->callables = util_xrealloc(t->callables, t->cap_callables * sizeof *t->callables);
		}
		t->callables[t->ncallables].name = util_xstrdup(d->callables[k].name);
		t->callables[t->ncallables++].null_ok = d->callables[k].null_ok;
	}
	free(own);
}

/* Tarjan's strongly connected components over the unit call graph (edges: caller -> callee
 * unit), iteratively. Components come out callee-first (a component after every component it
 * reaches); the units of one component are put in input order. */
static void order_units(struct tree *t, size_t **edges, const size_t *nedges)
{
	size_t n = t->n, none = SIZE_MAX;
	size_t *index = util_xcalloc(n ? n : 1, sizeof *index), *low = util_xcalloc(n ? n : 1, sizeof *low);
	unsigned char *on = util_xcalloc(n ? n : 1, 1);
	size_t *stack = util_xcalloc(n ? n : 1, sizeof *stack), sp = 0;
	struct frame {
		size_t v, e;
	} *call = util_xcalloc(n ? n : 1, sizeof *call);
	size_t next = 0, emitted = 0;
	t->order = util_xcalloc(n ? n : 1, sizeof *t->order);
	t->group_start = util_xcalloc(n + 1, sizeof *t->group_start);
	for (size_t v = 0; v < n; v++)
		index[v] = none;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != none)
			continue;
		size_t cp = 0;
		call[cp].v = root;
		call[cp++].e = 0;
		index[root] = low[root] = next++;
		stack[sp++] = root;
		on[root] = 1;
		while (cp) {
			struct frame *f = &call[cp - 1];
			size_t v = f->v;
			if (f->e < nedges[v]) {
				size_t w = edges[v][f->e++];
				if (index[w] == none) {
					index[w] = low[w] = next++;
					stack[sp++] = w;
					on[w] = 1;
					call[cp].v = w; /* each unit is entered once: cp < n */
					call[cp++].e = 0;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			cp--;
			if (cp && low[v] < low[call[cp - 1].v])
				low[call[cp - 1].v] = low[v];
			if (low[v] != index[v])
				continue;
			size_t first = emitted;
			size_t w;
			do {
				w = stack[--sp];
				on[w] = 0;
				t->order[emitted++] = w;
			} while (w != v);
			qsort(t->order + first, emitted - first, sizeof *t->order, util_cmp_size);
			for (size_t k = first; k < emitted; k++)
				t->units[t->order[k]].group = t->ngroups;
			t->group_start[++t->ngroups] = emitted;
		}
	}
	for (size_t k = 0; k < n; k++)
		t->units[t->order[k]].pos = k;
	free(index);
	free(low);
	free(on);
	free(stack);
	free(call);
}

void tree_link(struct tree *t)
{
	/* one entry per external name: the unit defining it, or nobody when several do */
	qsort(t->defs, t->ndefs, sizeof *t->defs, cmp_name_entry);
	size_t w = 0;
	for (size_t k = 0; k < t->ndefs; k++) {
		if (w && !strcmp(t->defs[w - 1].name, t->defs[k].name)) {
			if (t->defs[w - 1].unit != t->defs[k].unit && t->defs[w - 1].unit != SIZE_MAX) {
				t->defs[w - 1].unit = SIZE_MAX;
				t->ambiguous++;
			}
			free(t->defs[k].name);
			continue;
		}
		t->defs[w++] = t->defs[k];
	}
	t->ndefs = w;
	qsort(t->callables, t->ncallables, sizeof *t->callables, cmp_callable);

	size_t **edges = util_xcalloc(t->n ? t->n : 1, sizeof *edges);
	size_t *nedges = util_xcalloc(t->n ? t->n : 1, sizeof *nedges);
	for (size_t u = 0; u < t->n; u++) {
		struct tunit *tu = &t->units[u];
		edges[u] = util_xcalloc(tu->ncalls ? tu->ncalls : 1, sizeof **edges);
		for (size_t k = 0; k < tu->ncalls; k++) {
			const struct name_entry *d = find_def(t, tu->calls[k]);
			if (d && d->unit != SIZE_MAX && d->unit != u)
				edges[u][nedges[u]++] = d->unit;
		}
		qsort(edges[u], nedges[u], sizeof **edges, util_cmp_size);
		size_t m = 0;
		for (size_t k = 0; k < nedges[u]; k++)
			if (!m || edges[u][m - 1] != edges[u][k])
				edges[u][m++] = edges[u][k];
		nedges[u] = m;
	}
	order_units(t, edges, nedges);
	t->group_deps = util_xcalloc(t->ngroups ? t->ngroups : 1, sizeof *t->group_deps);
	t->ngroup_deps = util_xcalloc(t->ngroups ? t->ngroups : 1, sizeof *t->ngroup_deps);
	for (size_t g = 0; g < t->ngroups; g++) {
		size_t cap = 0;
		for (size_t k = t->group_start[g]; k < t->group_start[g + 1]; k++)
			cap += nedges[t->order[k]];
		size_t *d = util_xcalloc(cap ? cap : 1, sizeof *d), nd = 0;
		for (size_t k = t->group_start[g]; k < t->group_start[g + 1]; k++) {
			size_t u = t->order[k];
			for (size_t e = 0; e < nedges[u]; e++)
				if (t->units[edges[u][e]].group != g)
					d[nd++] = edges[u][e];
		}
		qsort(d, nd, sizeof *d, util_cmp_size);
		size_t m = 0;
		for (size_t k = 0; k < nd; k++)
			if (!m || d[m - 1] != d[k])
				d[m++] = d[k];
		t->group_deps[g] = d;
		t->ngroup_deps[g] = m;
	}
	for (size_t u = 0; u < t->n; u++) {
		struct tunit *tu = &t->units[u];
		free(edges[u]);
		for (size_t k = 0; k < tu->ncalls; k++)
			free(tu->calls[k]);
		free(tu->calls);
		tu->calls = NULL;
		tu->ncalls = 0;
	}
	free(edges);
	free(nedges);
}

const size_t *tree_order(const struct tree *t)
{
	return t->order;
}

size_t tree_ngroups(const struct tree *t)
{
	return t->ngroups;
}

const size_t *tree_group(const struct tree *t, size_t g, size_t *n)
{
	*n = t->group_start[g + 1] - t->group_start[g];
	return t->order + t->group_start[g];
}

const size_t *tree_group_deps(const struct tree *t, size_t g, size_t *n)
{
	*n = t->ngroup_deps[g];
	return t->group_deps[g];
}

const struct unit_tree *tree_unit_hooks(struct tree *t, size_t u)
{
	return &t->units[u].hooks;
}

void tree_unit_begin(struct tree *t, size_t u)
{
	struct tunit *tu = &t->units[u];
	for (size_t k = 0; k < tu->nexports; k++)
		free(tu->exports[k].name);
	tu->nexports = 0;
}

void tree_unit_done(struct tree *t, size_t u)
{
	struct tunit *tu = &t->units[u];
	qsort(tu->exports, tu->nexports, sizeof *tu->exports, cmp_export);
}

void tree_stats(const struct tree *t, struct tree_stats *s)
{
	memset(s, 0, sizeof *s);
	s->ambiguous = t->ambiguous;
	for (size_t u = 0; u < t->n; u++) {
		s->exported += t->units[u].nexports;
		s->imported += t->units[u].imported;
	}
}
