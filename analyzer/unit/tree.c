/*
 * tree.c - the index of a whole tree (tree.h): who defines each external function, the
 * callee-first order of the units, and the summaries units export to each other.
 */
#include "unit/tree.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

struct callable_entry {
	char *name;
	int null_ok;
};

struct export {
	char *name;
	struct eng_summary s; /* s.fn.name is name */
};

struct tunit {
	struct unit_tree hooks; /* ctx: this tunit */
	struct tree *t;
	size_t u;
	char **calls; /* names the unit calls and does not define (sorted, unique) */
	size_t ncalls;
	char **externals; /* the functions it defines with external linkage */
	size_t nexternals;
	struct callable_entry *callables; /* what its tables name that it does not define */
	size_t ncallables;
	/* what the analysis asked of other units (hook_import): each name once, with the summary
	 * it got (valid 0: none); sorted by name at tree_unit_done */
	struct export *asked;
	size_t nasked, cap_asked;
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

static int cmp_def_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct name_entry *)elem)->name);
}

/* The entry of external name `name` (unique after tree_link), or NULL. */
static const struct name_entry *find_def(const struct tree *t, const char *name)
{
	return t->ndefs ? bsearch(name, t->defs, t->ndefs, sizeof *t->defs, cmp_def_name) : NULL;
}

/* ---- hooks for the unit driver ------------------------------------------------------------ */

/* What unit tu asked for `name` and got (s NULL: nothing), for a cached result's check. */
static void record_asked(struct tunit *tu, const char *name, const struct eng_summary *s)
{
	for (size_t k = tu->nasked; k-- > 0 && k + 8 >= tu->nasked;)
		if (!strcmp(tu->asked[k].name, name))
			return; /* the same call asked again: a common case, found among the last ones */
	if (tu->nasked == tu->cap_asked) {
		tu->cap_asked = tu->cap_asked ? tu->cap_asked * 2 : 16;
		tu->asked = util_xrealloc(tu->asked, tu->cap_asked * sizeof *tu->asked);
	}
	struct export *e = &tu->asked[tu->nasked++];
	e->name = util_xstrdup(name);
	memset(&e->s, 0, sizeof e->s);
	if (s)
		e->s = *s;
	e->s.fn.name = e->name;
}

static void free_exports(struct export *e, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(e[k].name);
	free(e);
}

/* Sorts e by name and keeps the first of each name. */
static size_t unique_exports(struct export *e, size_t n)
{
	if (n < 2)
		return n;
	qsort(e, n, sizeof *e, cmp_export);
	size_t w = 1;
	for (size_t k = 1; k < n; k++) {
		if (!strcmp(e[w - 1].name, e[k].name)) {
			free(e[k].name);
			continue;
		}
		e[w++] = e[k];
	}
	return w;
}

/* The summary unit tu gets for external function `name` of another unit, or NULL. */
static const struct eng_summary *import_answer(const struct tunit *tu, const char *name)
{
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
	const struct export *e =
		from->nexports ? bsearch(&key, from->exports, from->nexports, sizeof *from->exports, cmp_export) : NULL;
	return e && e->s.valid ? &e->s : NULL;
}

static const struct eng_summary *hook_import(void *ctx, const char *name)
{
	struct tunit *tu = ctx;
	const struct eng_summary *s = import_answer(tu, name);
	record_asked(tu, name, s);
	tu->imported += s != NULL;
	return s;
}

/* Whether a table of another unit names unit tu's external function `name` (hook_callable). */
static int callable_answer(const struct tunit *tu, const char *name)
{
	const struct tree *t = tu->t;
	const struct name_entry *d = find_def(t, name);
	if (!d || d->unit != tu->u)
		return 0;
	struct callable_entry key = { (char *)name, 0 };
	const struct callable_entry *c =
		t->ncallables ? bsearch(&key, t->callables, t->ncallables, sizeof *t->callables, cmp_callable) : NULL;
	return c ? 1 + c->null_ok : 0;
}

/* Whether any unit defines a function `name` (hook_defined): the returns-new-type convention
 * guesses only for functions defined nowhere in the tree. */
static int defined_answer(const struct tunit *tu, const char *name)
{
	return find_def(tu->t, name) != NULL;
}

/* The questions of hook_callable and hook_defined are recorded among the asked ones under these
 * prefixes (no C name starts with them), the answer in the summary's `valid`: a cached result
 * stands only while the other files still say the same (tree_answers_same). */
#define CALLABLE_Q "#callable:"
#define DEFINED_Q "#defined:"

static int record_answer(struct tunit *tu, const char *prefix, const char *name, int answer)
{
	size_t len = strlen(prefix) + strlen(name) + 1;
	char *q = util_xrealloc(NULL, len);
	snprintf(q, len, "%s%s", prefix, name);
	struct eng_summary s;
	memset(&s, 0, sizeof s);
	s.valid = answer;
	record_asked(tu, q, &s);
	free(q);
	return answer;
}

static int hook_callable(void *ctx, const char *name)
{
	return record_answer(ctx, CALLABLE_Q, name, callable_answer(ctx, name));
}

static int hook_defined(void *ctx, const char *name)
{
	return record_answer(ctx, DEFINED_Q, name, defined_answer(ctx, name));
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
		tu->hooks.defined = hook_defined;
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
		for (size_t k = 0; k < tu->nexternals; k++)
			free(tu->externals[k]);
		free(tu->externals);
		for (size_t k = 0; k < tu->ncallables; k++)
			free(tu->callables[k].name);
		free(tu->callables);
		free_exports(tu->exports, tu->nexports);
		free_exports(tu->asked, tu->nasked);
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

void tree_add_names(struct tree *t, size_t u, const char *const *externals, size_t nexternals,
		    const char *const *calls, size_t ncalls, const struct unit_callable *callables, size_t ncallables)
{
	struct tunit *tu = &t->units[u];
	tu->externals = util_xcalloc(nexternals ? nexternals : 1, sizeof *tu->externals);
	for (size_t i = 0; i < nexternals; i++) {
		tu->externals[tu->nexternals++] = util_xstrdup(externals[i]);
		if (t->ndefs == t->cap_defs) {
			t->cap_defs = t->cap_defs ? t->cap_defs * 2 : 64;
			t->defs = util_xrealloc(t->defs, t->cap_defs * sizeof *t->defs);
		}
		t->defs[t->ndefs].name = util_xstrdup(externals[i]);
		t->defs[t->ndefs++].unit = u;
	}
	tu->calls = util_xcalloc(ncalls ? ncalls : 1, sizeof *tu->calls);
	for (size_t k = 0; k < ncalls; k++)
		tu->calls[tu->ncalls++] = util_xstrdup(calls[k]);
	tu->callables = util_xcalloc(ncallables ? ncallables : 1, sizeof *tu->callables);
	for (size_t k = 0; k < ncallables; k++) {
		tu->callables[tu->ncallables].name = util_xstrdup(callables[k].name);
		tu->callables[tu->ncallables++].null_ok = callables[k].null_ok;
		if (t->ncallables == t->cap_callables) {
			t->cap_callables = t->cap_callables ? t->cap_callables * 2 : 32;
			t->callables = util_xrealloc(t->callables, t->cap_callables * sizeof *t->callables);
		}
		t->callables[t->ncallables].name = util_xstrdup(callables[k].name);
		t->callables[t->ncallables++].null_ok = callables[k].null_ok;
	}
}

void tree_add_unit(struct tree *t, size_t u, const struct ir_func *funcs, uint32_t nfuncs, const struct unit_decls *d)
{
	/* the names the unit defines, any linkage: its own calls and tables name those */
	const char **own = util_xcalloc(nfuncs ? nfuncs : 1, sizeof *own);
	const char **ext = util_xcalloc(nfuncs ? nfuncs : 1, sizeof *ext);
	size_t next = 0;
	for (uint32_t i = 0; i < nfuncs; i++) {
		own[i] = funcs[i].name;
		if (funcs[i].external)
			ext[next++] = funcs[i].name;
	}
	qsort(own, nfuncs, sizeof *own, util_cmp_str);
	const char **calls = NULL;
	size_t ncalls = 0, cap = 0;
	for (uint32_t i = 0; i < nfuncs; i++) {
		const struct ir_func *fn = &funcs[i];
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			const struct ir_node *nd = &fn->nodes[k];
			if (nd->op != IR_CALL || !nd->callee || defines(own, nfuncs, nd->callee))
				continue;
			if (ncalls == cap) {
				cap = cap ? cap * 2 : 32;
				calls = util_xrealloc(calls, cap * sizeof *calls);
			}
			calls[ncalls++] = nd->callee;
		}
	}
	if (ncalls)
		qsort(calls, ncalls, sizeof *calls, util_cmp_str);
	size_t w = 0;
	for (size_t k = 0; k < ncalls; k++)
		if (!w || strcmp(calls[w - 1], calls[k]))
			calls[w++] = calls[k];
	struct unit_callable *tables = util_xcalloc(d && d->ncallables ? d->ncallables : 1, sizeof *tables);
	size_t ntables = 0;
	for (uint32_t k = 0; d && k < d->ncallables; k++)
		if (!defines(own, nfuncs, d->callables[k].name)) /* the unit's own: unit.c marks it */
			tables[ntables++] = d->callables[k];
	tree_add_names(t, u, ext, next, calls, w, tables, ntables);
	free(tables);
	free(calls);
	free(ext);
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
	if (t->ndefs) /* qsort and bsearch take no NULL array, even empty */
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
	if (t->ncallables)
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
		(void)tu;
		free(edges[u]);
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
	for (size_t k = 0; k < tu->nasked; k++)
		free(tu->asked[k].name);
	tu->nasked = 0;
}

void tree_unit_done(struct tree *t, size_t u)
{
	struct tunit *tu = &t->units[u];
	tu->nexports = unique_exports(tu->exports, tu->nexports);
	tu->nasked = unique_exports(tu->asked, tu->nasked);
}

void tree_set_export(struct tree *t, size_t u, const char *name, const struct eng_summary *s)
{
	struct ir_func fn;
	memset(&fn, 0, sizeof fn);
	fn.name = name;
	hook_exported(&t->units[u], &fn, s);
}

void tree_unit_names(const struct tree *t, size_t u, struct tree_names *out)
{
	const struct tunit *tu = &t->units[u];
	out->externals = (const char *const *)tu->externals;
	out->nexternals = tu->nexternals;
	out->calls = (const char *const *)tu->calls;
	out->ncalls = tu->ncalls;
	out->ncallables = tu->ncallables;
	out->callables = tu->callables ? (const void *)tu->callables : NULL;
}

const char *tree_unit_callable(const struct tree *t, size_t u, size_t k, int *null_ok)
{
	*null_ok = t->units[u].callables[k].null_ok;
	return t->units[u].callables[k].name;
}

const struct eng_summary *tree_unit_exports(const struct tree *t, size_t u, size_t k)
{
	return k < t->units[u].nexports ? &t->units[u].exports[k].s : NULL;
}

const struct eng_summary *tree_unit_asked(const struct tree *t, size_t u, size_t k)
{
	return k < t->units[u].nasked ? &t->units[u].asked[k].s : NULL;
}

int tree_answers_same(struct tree *t, size_t u, const struct eng_summary *asked, size_t n)
{
	struct tunit *tu = &t->units[u];
	for (size_t k = 0; k < n; k++) {
		const char *name = asked[k].fn.name;
		if (!strncmp(name, CALLABLE_Q, strlen(CALLABLE_Q))) {
			if (callable_answer(tu, name + strlen(CALLABLE_Q)) != asked[k].valid)
				return 0;
			continue;
		}
		if (!strncmp(name, DEFINED_Q, strlen(DEFINED_Q))) {
			if (defined_answer(tu, name + strlen(DEFINED_Q)) != asked[k].valid)
				return 0;
			continue;
		}
		/* the answers of the unit's own group follow from the group's files, unchanged when
		 * the group's results are taken from the cache: only what comes from outside counts */
		const struct name_entry *d = find_def(t, name);
		if (d && d->unit != SIZE_MAX && t->units[d->unit].group == tu->group)
			continue;
		const struct eng_summary *now = import_answer(tu, name);
		if (!now != !asked[k].valid)
			return 0;
		if (now && !tree_summary_same(now, &asked[k]))
			return 0;
	}
	return 1;
}

int tree_summary_same(const struct eng_summary *a, const struct eng_summary *b)
{
	int64_t x[TREE_SUMMARY_INTS], y[TREE_SUMMARY_INTS];
	tree_summary_encode(a, x);
	tree_summary_encode(b, y);
	return !memcmp(x, y, sizeof x);
}

void tree_summary_encode(const struct eng_summary *s, int64_t *v)
{
	size_t k = 0;
	const struct model_fn *m = &s->fn;
	v[k++] = m->ret;
	v[k++] = m->flags;
	v[k++] = m->origin;
	for (int i = 0; i < MODEL_NARG_KINDS; i++)
		v[k++] = m->arg[i];
	for (int i = 0; i < MODEL_NARG_KINDS; i++)
		v[k++] = m->arg_end[i];
	v[k++] = m->borrowed_from;
	v[k++] = m->held_by;
	v[k++] = m->nonnull_if_true;
	v[k++] = m->element_of;
	v[k++] = m->index_arg;
	v[k++] = m->size_of;
	v[k++] = m->size_arg;
	v[k++] = m->format_parse;
	v[k++] = m->format_args;
	v[k++] = m->format_build;
	v[k++] = m->returns_arg;
	v[k++] = m->unpack_borrowed;
	v[k++] = m->setref_dst;
	v[k++] = m->setref_src;
	v[k++] = s->valid;
	v[k++] = s->out_new_on_success;
}

void tree_summary_decode(const int64_t *v, struct eng_summary *s)
{
	size_t k = 0;
	memset(s, 0, sizeof *s);
	struct model_fn *m = &s->fn;
	m->ret = (uint8_t)v[k++];
	m->flags = (uint32_t)v[k++];
	m->origin = (uint8_t)v[k++];
	for (int i = 0; i < MODEL_NARG_KINDS; i++)
		m->arg[i] = (uint32_t)v[k++];
	for (int i = 0; i < MODEL_NARG_KINDS; i++)
		m->arg_end[i] = (uint32_t)v[k++];
	m->borrowed_from = (int8_t)v[k++];
	m->held_by = (int8_t)v[k++];
	m->nonnull_if_true = (int8_t)v[k++];
	m->element_of = (int8_t)v[k++];
	m->index_arg = (int8_t)v[k++];
	m->size_of = (int8_t)v[k++];
	m->size_arg = (int8_t)v[k++];
	m->format_parse = (int8_t)v[k++];
	m->format_args = (int8_t)v[k++];
	m->format_build = (int8_t)v[k++];
	m->returns_arg = (int8_t)v[k++];
	m->unpack_borrowed = (int8_t)v[k++];
	m->setref_dst = (int8_t)v[k++];
	m->setref_src = (int8_t)v[k++];
	s->valid = (int)v[k++];
	s->out_new_on_success = (uint32_t)v[k++];
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
