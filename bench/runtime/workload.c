/*
 * rc-workload: a long-lived graph of about a million objects mutated by churn, run to a fixed
 * amount of work with automatic collection ON, ours against CPython 3.11 through its C API
 * from this same program (the same operations, in the same order, on the same structure).
 *
 * The graph: a tree of nodes with parent links (every child holds a strong reference to its
 * parent, so every subtree is a cycle), a registry (an outside array holding R tree nodes, the
 * program's "dict of ids"), and a cache (an outside array of C entries, each an object holding
 * one tree node). A node has four slots: parent, child (first child), sibling (next sibling),
 * data. Each step is one of:
 *   insert   a new node becomes the first child of a registry node; one in four replaces a
 *            registry entry (the old entry is released: to a non-zero count, a candidate)
 *   delete   a registry node's first child subtree is detached (if it has at most 256 nodes;
 *            a cycle through the parent links, garbage unless the registry holds part of it)
 *   rewire   a registry node's first child subtree moves under another registry node (unless
 *            that one lies inside it); its old parent is released
 *   temps    three short-lived nodes in a chain, dropped (freed by counting); one time in four
 *            they form a cycle that also holds a registry node, dropped (garbage for the collector)
 *   cache    a cache entry is replaced by a new one holding a registry node
 *   walk     from a registry node up to 64 parents, holding each on the way as an interpreter's
 *            local variable would (incref the next, decref the current: a release to a non-zero
 *            count, so every node walked becomes a candidate on our side)
 * The mix leans towards inserts while the tree is below its initial size and towards deletes
 * above it (sizes counted from the structure, so both sides take the same decisions).
 *
 * Measured per side: the steps' total time; every collection's pause (ours: the rc_new call
 * during which a collection ran, found through rc_heap_get_stats; CPython: start to stop of
 * its gc.callbacks, which CPython calls around every collection); their sum (collector time)
 * and p50 / p99 / max. The rounds interleave the sides. Usage:
 *   rc-workload [--rounds R] [--steps S] [--objects N] [--threshold T] [--no-generations]
 * (defaults 5, 2000000, 1000000, the runtime's threshold; our heap has RC_HEAP_GENERATIONS
 * unless --no-generations)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "rc/rc.h"

enum { PARENT, CHILD, SIBLING, DATA, NSLOTS };

static void die(const char *what)
{
	fprintf(stderr, "rc-workload: %s\n", what);
	exit(1);
}

/* Pauses of the running side (seconds), appended by each side's collection detector. */
static double *pauses;
static size_t npauses, pauses_cap;

static void add_pause(double t)
{
	if (npauses == pauses_cap) {
		pauses_cap = pauses_cap ? 2 * pauses_cap : 4096;
		pauses = realloc(pauses, pauses_cap * sizeof *pauses);
		if (!pauses)
			die("out of memory");
	}
	pauses[npauses++] = t;
}

/* ------------------------------------------------------------------------------------------ */
/* Ours                                                                                        */
/* ------------------------------------------------------------------------------------------ */

struct rnode {
	rc_object base;
	rc_object *slot[NSLOTS];
};

static const uint16_t rnode_refs[] = {
	offsetof(struct rnode, slot[0]),
	offsetof(struct rnode, slot[1]),
	offsetof(struct rnode, slot[2]),
	offsetof(struct rnode, slot[3]),
};

static const rc_type rnode_type = {
	.name = "node", .size = sizeof(struct rnode), .ref_offsets = rnode_refs, .nrefs = NSLOTS,
};

static rc_heap *heap;
static size_t r_collections;
static int generations = 1;
static size_t threshold; /* 0: the runtime's default */

static void r_begin(void)
{
	/* automatic collection on, default threshold; generations unless --no-generations (CPython's
	 * collector is generational too) */
	rc_heap_options o = { .flags = generations ? RC_HEAP_GENERATIONS : 0, .gc_threshold = threshold };
	if (rc_heap_new(&heap, &o) != 0)
		die("cannot create a heap");
	r_collections = 0;
}

static void r_end(void)
{
	(void)rc_collect(heap);
	if (rc_heap_destroy(heap) != 0)
		die("objects left on our heap");
}

static void *r_new(void)
{
	rc_heap_stats st;
	double t0 = bench_now();
	void *p = rc_new(heap, &rnode_type);
	double t1 = bench_now();
	if (!p)
		die("out of memory");
	rc_heap_get_stats(heap, &st);
	if (st.collections != r_collections) {
		r_collections = st.collections;
		add_pause(t1 - t0);
	}
	return p;
}

static void *r_get(void *o, int slot)
{
	return ((struct rnode *)o)->slot[slot];
}

/* Stores v (a reference the caller gives) in the slot, then releases the old value. */
static void r_set(void *o, int slot, void *v)
{
	rc_set_field(&((struct rnode *)o)->slot[slot], v);
}

static void *r_ref(void *o)
{
	return rc_newref(o);
}

static void r_unref(void *o)
{
	rc_decref(o);
}

static size_t r_ncollections(void)
{
	return r_collections;
}

/* ------------------------------------------------------------------------------------------ */
/* CPython                                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
	PyObject_HEAD PyObject *slot[NSLOTS];
} pnode;

static int pnode_traverse(PyObject *self, visitproc visit, void *arg)
{
	for (int i = 0; i < NSLOTS; i++)
		Py_VISIT(((pnode *)self)->slot[i]);
	return 0;
}

static int pnode_clear(PyObject *self)
{
	for (int i = 0; i < NSLOTS; i++)
		Py_CLEAR(((pnode *)self)->slot[i]);
	return 0;
}

static void pnode_dealloc(PyObject *self)
{
	PyObject_GC_UnTrack(self);
	Py_TRASHCAN_BEGIN(self, pnode_dealloc)
	pnode_clear(self);
	PyObject_GC_Del(self);
	Py_TRASHCAN_END
}

static PyTypeObject pnode_type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "workload.Node",
	.tp_basicsize = sizeof(pnode),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_dealloc = pnode_dealloc,
	.tp_traverse = pnode_traverse,
	.tp_clear = pnode_clear,
};

static double p_gc_start;
static size_t p_collections;

/* gc.callbacks entry: CPython calls it with ("start" | "stop", info) around each collection. */
static PyObject *p_gc_callback(PyObject *self, PyObject *args)
{
	double t = bench_now();
	PyObject *phase = PyTuple_GetItem(args, 0);
	(void)self;
	if (phase && PyUnicode_CompareWithASCIIString(phase, "start") == 0) {
		p_gc_start = t;
	} else {
		p_collections++;
		add_pause(t - p_gc_start);
	}
	Py_RETURN_NONE;
}

static PyMethodDef p_gc_callback_def = { "workload_gc_callback", p_gc_callback, METH_VARARGS, NULL };
static PyObject *p_callbacks; /* gc.callbacks */
static PyObject *p_callback;

static void p_begin(void)
{
	p_collections = 0;
	if (PyList_Append(p_callbacks, p_callback) < 0)
		die("cannot install the gc callback");
	PyGC_Enable();
}

static void p_end(void)
{
	PyGC_Disable();
	if (PySequence_DelItem(p_callbacks, PyList_GET_SIZE(p_callbacks) - 1) < 0)
		die("cannot remove the gc callback");
	PyGC_Enable();
	(void)PyGC_Collect();
	PyGC_Disable();
}

static void *p_new(void)
{
	pnode *p = PyObject_GC_New(pnode, &pnode_type);
	if (!p)
		die("out of memory (CPython)");
	memset(p->slot, 0, sizeof p->slot);
	PyObject_GC_Track(p);
	return p;
}

static void *p_get(void *o, int slot)
{
	return ((pnode *)o)->slot[slot];
}

static void p_set(void *o, int slot, void *v)
{
	Py_XSETREF(((pnode *)o)->slot[slot], (PyObject *)v);
}

static void *p_ref(void *o)
{
	return Py_NewRef((PyObject *)o);
}

static void p_unref(void *o)
{
	Py_DECREF((PyObject *)o);
}

static size_t p_ncollections(void)
{
	return p_collections;
}

/* ------------------------------------------------------------------------------------------ */
/* The workload, written once for both sides                                                   */
/* ------------------------------------------------------------------------------------------ */

struct side {
	const char *name;
	void (*begin)(void);
	void (*end)(void);
	void *(*new_node)(void);
	void *(*get)(void *o, int slot);
	void (*set)(void *o, int slot, void *v); /* steals v, releases the old value */
	void *(*ref)(void *o);
	void (*unref)(void *o);
	size_t (*ncollections)(void);
};

static const struct side sides[2] = {
	{ "ours", r_begin, r_end, r_new, r_get, r_set, r_ref, r_unref, r_ncollections },
	{ "CPython", p_begin, p_end, p_new, p_get, p_set, p_ref, p_unref, p_ncollections },
};

struct world {
	const struct side *s;
	void **reg, **cache;
	size_t nreg, ncache;
	long tree; /* nodes attached to the tree, as counted from the operations */
	struct bench_rng rng;
};

static size_t pick(struct world *w, size_t n)
{
	return (size_t)(bench_rng_next(&w->rng) % n);
}

/* A new node, first child of p (p keeps its other children behind it). */
static void *insert_under(struct world *w, void *p)
{
	const struct side *s = w->s;
	void *c = s->new_node();
	void *old_first = s->get(p, CHILD);
	if (old_first)
		s->set(c, SIBLING, s->ref(old_first));
	s->set(c, PARENT, s->ref(p));
	s->set(p, CHILD, c); /* hands c's reference to p, releases p's to old_first */
	w->tree++;
	return c;
}

/* Size of the subtree under x, or limit + 1 if larger (x's children and their siblings). */
static long subtree_size(const struct side *s, void *x, long limit)
{
	void *stack[260];
	long size = 0;
	size_t sp = 0;

	stack[sp++] = x;
	while (sp) {
		void *o = stack[--sp];
		if (++size > limit)
			return limit + 1;
		for (void *c = s->get(o, CHILD); c; c = s->get(c, SIBLING)) {
			if (sp == sizeof stack / sizeof *stack)
				return limit + 1;
			stack[sp++] = c;
		}
	}
	return size;
}

static void op_delete(struct world *w)
{
	const struct side *s = w->s;
	void *p = w->reg[pick(w, w->nreg)];
	for (int tries = 0; tries < 4 && p; tries++) {
		void *x = s->get(p, CHILD);
		if (!x)
			return;
		long size = subtree_size(s, x, 256);
		if (size <= 256) {
			void *next = s->get(x, SIBLING);
			s->set(p, CHILD, next ? s->ref(next) : NULL); /* releases x: a cycle if it has children */
			w->tree -= size;
			return;
		}
		p = x;
	}
}

static int is_ancestor_or_self(const struct side *s, void *x, void *q)
{
	for (int depth = 0; q && depth < 256; depth++, q = s->get(q, PARENT))
		if (q == x)
			return 1;
	return q != NULL; /* too deep to tell: treat as inside */
}

static void op_rewire(struct world *w)
{
	const struct side *s = w->s;
	void *p = w->reg[pick(w, w->nreg)], *q = w->reg[pick(w, w->nreg)];
	void *x = s->get(p, CHILD);
	if (!x || is_ancestor_or_self(s, x, q))
		return;
	void *own_x = s->ref(x);
	void *next = s->get(x, SIBLING);
	s->set(p, CHILD, next ? s->ref(next) : NULL);  /* p lets go of x */
	void *qfirst = s->get(q, CHILD);
	s->set(x, SIBLING, qfirst ? s->ref(qfirst) : NULL);
	s->set(q, CHILD, own_x);
	s->set(x, PARENT, s->ref(q)); /* releases p */
}

static void op_temps(struct world *w)
{
	const struct side *s = w->s;
	void *a = s->new_node(), *b = s->new_node(), *c = s->new_node();
	s->set(a, CHILD, b);
	s->set(b, CHILD, c); /* a holds b holds c; we hold a */
	if (pick(w, 4) == 0) {
		s->set(c, CHILD, s->ref(a));
		s->set(c, DATA, s->ref(w->reg[pick(w, w->nreg)]));
	}
	s->unref(a);
}

static void op_cache(struct world *w)
{
	const struct side *s = w->s;
	void *e = s->new_node();
	s->set(e, DATA, s->ref(w->reg[pick(w, w->nreg)]));
	size_t i = pick(w, w->ncache);
	void *old = w->cache[i];
	w->cache[i] = e;
	s->unref(old);
}

static void op_walk(struct world *w)
{
	const struct side *s = w->s;
	void *cur = s->ref(w->reg[pick(w, w->nreg)]);
	for (int i = 0; i < 64; i++) {
		void *up = s->get(cur, PARENT);
		if (!up)
			break;
		s->ref(up);
		s->unref(cur);
		cur = up;
	}
	s->unref(cur);
}

static void op_insert(struct world *w)
{
	void *c = insert_under(w, w->reg[pick(w, w->nreg)]);
	if (pick(w, 4) == 0) {
		size_t i = pick(w, w->nreg);
		void *old = w->reg[i];
		w->reg[i] = w->s->ref(c);
		w->s->unref(old);
	}
}

static void build(struct world *w, size_t objects)
{
	const struct side *s = w->s;
	void *root = s->new_node();
	size_t i;

	w->ncache = objects / 10;
	w->nreg = objects / 10;
	for (i = 0; i < w->nreg; i++)
		w->reg[i] = s->ref(root);
	s->unref(root);
	w->tree = 1;
	for (i = 0; i < objects - w->ncache - 1; i++)
		op_insert(w);
	for (i = 0; i < w->ncache; i++) {
		w->cache[i] = s->new_node();
		s->set(w->cache[i], DATA, s->ref(w->reg[pick(w, w->nreg)]));
	}
}

static void teardown(struct world *w)
{
	for (size_t i = 0; i < w->nreg; i++)
		w->s->unref(w->reg[i]);
	for (size_t i = 0; i < w->ncache; i++)
		w->s->unref(w->cache[i]);
}

struct result {
	double total, collector, p50, p99, max;
	size_t collections;
};

static struct result run(const struct side *s, size_t objects, size_t steps, void **reg, void **cache)
{
	struct world w = { .s = s, .reg = reg, .cache = cache };
	struct result r;
	long target;

	bench_rng_seed(&w.rng, 12345);
	s->begin();
	build(&w, objects);
	npauses = 0;
	size_t c0 = s->ncollections();
	target = w.tree;
	double t0 = bench_now();
	for (size_t i = 0; i < steps; i++) {
		unsigned op = (unsigned)pick(&w, 100);
		int grow = w.tree < target; /* lean towards inserts below the initial size */
		if (op < (grow ? 35u : 20u))
			op_insert(&w);
		else if (op < 45)
			op_delete(&w);
		else if (op < 60)
			op_rewire(&w);
		else if (op < 75)
			op_temps(&w);
		else if (op < 90)
			op_cache(&w);
		else
			op_walk(&w);
	}
	r.total = bench_now() - t0;
	r.collections = s->ncollections() - c0;
	r.collector = 0;
	for (size_t i = 0; i < npauses; i++)
		r.collector += pauses[i];
	r.p50 = bench_quantile(pauses, npauses, 0.50);
	r.p99 = bench_quantile(pauses, npauses, 0.99);
	r.max = npauses ? pauses[npauses - 1] : 0;
	teardown(&w);
	s->end();
	return r;
}

int main(int argc, char **argv)
{
	size_t rounds = 5, steps = 2000000, objects = 1000000;
	int i;

	for (i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "--no-generations")) {
			generations = 0;
			i--;
		} else if (i + 1 == argc)
			break;
		else if (!strcmp(argv[i], "--rounds"))
			rounds = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--steps"))
			steps = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--threshold"))
			threshold = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--objects"))
			objects = strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (i != argc || rounds < 1 || objects < 100) {
		fprintf(stderr, "usage: rc-workload [--rounds R] [--steps S] [--objects N (>= 100)] [--threshold T] "
				"[--no-generations]\n");
		return 2;
	}

	bench_python_start();
	if (PyType_Ready(&pnode_type) < 0)
		die("PyType_Ready failed");
	PyObject *gc = PyImport_ImportModule("gc");
	p_callbacks = gc ? PyObject_GetAttrString(gc, "callbacks") : NULL;
	p_callback = PyCFunction_New(&p_gc_callback_def, NULL);
	if (!p_callbacks || !p_callback || !PyList_Check(p_callbacks))
		die("cannot reach gc.callbacks");

	void **reg = bench_xmalloc(objects / 10 * sizeof *reg), **cache = bench_xmalloc(objects / 10 * sizeof *cache);
	enum { TOTAL, COLL, P50, P99, MAX, NCOL };
	double *t = bench_xmalloc(2 * NCOL * rounds * sizeof *t);
	size_t ncoll[2] = { 0, 0 };
	for (size_t r = 0; r < rounds; r++) {
		for (int k = 0; k < 2; k++) {
			int s = (int)((size_t)k ^ (r & 1));
			struct result x = run(&sides[s], objects, steps, reg, cache);
			double *row = &t[((size_t)s * NCOL) * rounds + r];
			row[TOTAL * rounds] = x.total;
			row[COLL * rounds] = x.collector;
			row[P50 * rounds] = x.p50;
			row[P99 * rounds] = x.p99;
			row[MAX * rounds] = x.max;
			ncoll[s] = x.collections;
		}
	}

	printf("rc-workload: %zu objects, %zu steps, %zu interleaved rounds, automatic collection on both sides%s,"
	       " our threshold %zu;\n",
	       objects, steps, rounds, generations ? " (ours: RC_HEAP_GENERATIONS)" : " (ours: no generations)",
	       threshold ? threshold : (size_t)10000);
	printf("median [min-max] over rounds; ratio = CPython / ours per round, median [min-max].\n");
	printf("collections per run: ours %zu, CPython %zu (CPython %s via its C API)\n\n", ncoll[0], ncoll[1],
	       Py_GetVersion());
	static const char *const names[NCOL] = { "total time (ms)", "collector total (ms)", "pause p50 (ms)",
						   "pause p99 (ms)", "pause max (ms)" };
	printf("%-22s %-26s %-26s %s\n", "", "ours", "CPython", "ratio");
	for (int c = 0; c < NCOL; c++) {
		const double *o = &t[(size_t)c * rounds], *p = &t[(NCOL + (size_t)c) * rounds];
		double *a = bench_xmalloc(rounds * sizeof *a), *b = bench_xmalloc(rounds * sizeof *b),
		       *q = bench_xmalloc(rounds * sizeof *q);
		for (size_t r = 0; r < rounds; r++) {
			a[r] = o[r] * 1e3;
			b[r] = p[r] * 1e3;
			q[r] = o[r] > 0 ? p[r] / o[r] : 0;
		}
		struct bench_stat so = bench_stat_of(a, rounds), sp = bench_stat_of(b, rounds), sq = bench_stat_of(q, rounds);
		char x[64], y[64];
		snprintf(x, sizeof x, "%.3f [%.3f-%.3f]", so.median, so.lo, so.hi);
		snprintf(y, sizeof y, "%.3f [%.3f-%.3f]", sp.median, sp.lo, sp.hi);
		printf("%-22s %-26s %-26s %.1fx [%.1f-%.1f]\n", names[c], x, y, sq.median, sq.lo, sq.hi);
		free(a);
		free(b);
		free(q);
	}
	free(t);
	free(reg);
	free(cache);
	free(pauses);
	Py_DECREF(p_callback);
	Py_DECREF(p_callbacks);
	Py_XDECREF(gc);
	bench_python_stop();
	return 0;
}
