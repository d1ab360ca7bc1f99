/*
 * rc-vs-cpython: what a program pays, ours against CPython 3.11 driven through its C API from
 * this same program (Debian's libpython3.11: PyObject_GC_New, Py_INCREF/Py_DECREF,
 * PyGC_Collect on one side; rc_new, rc_incref/rc_decref, rc_collect on the other). No
 * interpreter loop is timed on either side. Shapes (N objects each):
 *
 *   pairs        N/2 2-cycles, each node held from outside; the loop drops the outside refs
 *   ring         one ring, each node held; the loop drops them
 *   random       2 random out-edges per node, each node held; the loop drops them
 *   live-ring    one ring held by ONE outside reference (built by handing each new node's
 *                reference to its predecessor); the loop walks the ring and increfs+decrefs
 *                every node (a release to a non-zero count: every node becomes a candidate)
 *   live-chord   the same ring plus one random chord per node (slot b), held once, same loop
 *   live-random  2 random out-edges per node, every node held from outside, same loop over them
 *   alloc-node   N times: allocate a 2-slot collectable node, release it (loop only)
 *   alloc-leaf   N times: allocate a leaf (8 payload bytes, not collectable), release it
 *
 * Columns: "loop" is the mutator loop (drop or touch), "collect" one collection (rc_collect /
 * PyGC_Collect, automatic collection off on both sides while building), "e2e" their sum. Each
 * cell is ns per object: median over the rounds [min-max]; each ratio is CPython / ours taken
 * per round (the two sides of a round run back to back, their order alternating from round to
 * round) and reported as median [min-max]. Usage: rc-vs-cpython [--rounds R] [--reuse-heap] [N]
 * (defaults 15, 1000000; --reuse-heap: see r_begin). Compiled with its own optimized NDEBUG copy
 * of the runtime (meson.build).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "rc/rc.h"

/* ------------------------------------------------------------------------------------------ */
/* The two sides' node types                                                                   */
/* ------------------------------------------------------------------------------------------ */

struct rnode {
	rc_object base;
	rc_object *a, *b;
};

static const uint16_t rnode_refs[] = { offsetof(struct rnode, a), offsetof(struct rnode, b) };

/* A reference-field map: the runtime walks the fields inline, as CPython does for __slots__. */
static const rc_type rnode_type = {
	.name = "node",
	.size = sizeof(struct rnode),
	.ref_offsets = rnode_refs,
	.nrefs = 2,
};

static const rc_type rleaf_type = { .name = "leaf", .size = sizeof(rc_object) + 8 };

typedef struct {
	PyObject_HEAD PyObject *a, *b;
} pnode;

static int pnode_traverse(PyObject *self, visitproc visit, void *arg)
{
	pnode *n = (pnode *)self;
	Py_VISIT(n->a);
	Py_VISIT(n->b);
	return 0;
}

static int pnode_clear(PyObject *self)
{
	pnode *n = (pnode *)self;
	Py_CLEAR(n->a);
	Py_CLEAR(n->b);
	return 0;
}

/* As CPython's own dealloc of a __slots__ instance: untrack, then the trashcan so that a
 * released chain of a million nodes does not recurse a million deep. */
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
	.tp_name = "bench.Node",
	.tp_basicsize = sizeof(pnode),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_dealloc = pnode_dealloc,
	.tp_traverse = pnode_traverse,
	.tp_clear = pnode_clear,
};

static void pleaf_dealloc(PyObject *self)
{
	PyObject_Free(self);
}

static PyTypeObject pleaf_type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "bench.Leaf",
	.tp_basicsize = sizeof(PyObject) + 8,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_dealloc = pleaf_dealloc,
};

static void die(const char *what)
{
	fprintf(stderr, "rc-vs-cpython: %s\n", what);
	exit(1);
}

/* ------------------------------------------------------------------------------------------ */
/* Ours                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* A fresh heap for each shape run (its pool hands out memory in address order, and its root
 * buffer starts empty: the loop of a live shape pays the buffer's growth), unless --reuse-heap:
 * one heap for the whole run, as CPython keeps one interpreter (the pool then hands out the
 * chunks its free lists hold, in the order the previous shape freed them). */
static rc_heap *heap;
static int reuse_heap;

static void r_begin(void)
{
	rc_heap_options o = { .flags = RC_HEAP_GC_DISABLED };
	if (!heap && rc_heap_new(&heap, &o) != 0)
		die("cannot create a heap");
}

static void r_end(void)
{
	rc_heap_stats st;
	(void)rc_collect(heap);
	rc_heap_get_stats(heap, &st);
	if (st.live_objects != 0)
		die("objects left on our heap");
	if (!reuse_heap) {
		(void)rc_heap_destroy(heap);
		heap = NULL;
	}
}

static void *r_node(void)
{
	void *p = rc_new(heap, &rnode_type);
	if (!p)
		die("out of memory");
	return p;
}

/* from's slot takes `to`: a new reference, or (steal) the caller's. */
static void r_link(void *from, int slot, void *to, int steal)
{
	struct rnode *f = from;
	rc_object *t = to;
	if (!steal)
		rc_incref(t);
	if (slot)
		f->b = t;
	else
		f->a = t;
}

static void r_drop(void **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rc_decref(v[i]);
}

static void r_touch_ring(void *first)
{
	struct rnode *x = first;
	do {
		rc_incref(&x->base);
		rc_decref(&x->base);
		x = (struct rnode *)x->a;
	} while (x != first);
}

static void r_touch(void **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rc_incref(v[i]);
		rc_decref(v[i]);
	}
}

static long r_collect(void)
{
	return rc_collect(heap);
}

static void r_alloc(size_t n, int leaf)
{
	const rc_type *t = leaf ? &rleaf_type : &rnode_type;
	for (size_t i = 0; i < n; i++) {
		rc_object *o = rc_new(heap, t);
		if (!o)
			die("out of memory");
		rc_decref(o);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* CPython                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static long p_collect(void)
{
	Py_ssize_t k;
	PyGC_Enable(); /* PyGC_Collect does nothing while collection is disabled */
	k = PyGC_Collect();
	PyGC_Disable();
	return (long)k;
}

static void p_begin(void)
{
}

static void p_end(void)
{
	(void)p_collect();
}

static void *p_node(void)
{
	pnode *p = PyObject_GC_New(pnode, &pnode_type);
	if (!p)
		die("out of memory (CPython)");
	p->a = p->b = NULL;
	PyObject_GC_Track(p);
	return p;
}

static void p_link(void *from, int slot, void *to, int steal)
{
	pnode *f = from;
	PyObject *t = to;
	if (!steal)
		Py_INCREF(t);
	if (slot)
		f->b = t;
	else
		f->a = t;
}

static void p_drop(void **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		Py_DECREF((PyObject *)v[i]);
}

static void p_touch_ring(void *first)
{
	pnode *x = first;
	do {
		Py_INCREF((PyObject *)x);
		Py_DECREF((PyObject *)x);
		x = (pnode *)x->a;
	} while (x != first);
}

static void p_touch(void **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		Py_INCREF((PyObject *)v[i]);
		Py_DECREF((PyObject *)v[i]);
	}
}

static void p_alloc(size_t n, int leaf)
{
	for (size_t i = 0; i < n; i++) {
		PyObject *o = leaf ? PyObject_New(PyObject, &pleaf_type) : (PyObject *)p_node();
		if (!o)
			die("out of memory (CPython)");
		Py_DECREF(o);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Shapes, written once for both sides                                                         */
/* ------------------------------------------------------------------------------------------ */

struct side {
	const char *name;
	void (*begin)(void);
	void (*end)(void);
	void *(*node)(void);
	void (*link)(void *from, int slot, void *to, int steal);
	void (*drop)(void **v, size_t n);
	void (*touch_ring)(void *first);
	void (*touch)(void **v, size_t n);
	long (*collect)(void);
	void (*alloc)(size_t n, int leaf);
};

static const struct side sides[2] = {
	{ "ours", r_begin, r_end, r_node, r_link, r_drop, r_touch_ring, r_touch, r_collect, r_alloc },
	{ "CPython", p_begin, p_end, p_node, p_link, p_drop, p_touch_ring, p_touch, p_collect, p_alloc },
};

enum shape { PAIRS, RING, RANDOM, LIVE_RING, LIVE_CHORD, LIVE_RANDOM, ALLOC_NODE, ALLOC_LEAF, NSHAPES };

static const char *const shape_names[NSHAPES] = {
	"pairs dropped", "ring dropped", "random 2-edge dropped", "live ring, 1 ref, all cand.",
	"live ring+chord, 1 ref", "live random, each held", "alloc+release node", "alloc+release leaf",
};

struct times {
	double loop, collect; /* seconds */
};

static void *nodes_new(const struct side *s, void **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = s->node();
	return v[0];
}

/* Slots [from, 2) of every node get a random target (a new reference each). */
static void random_edges(const struct side *s, void **v, size_t n, int from)
{
	struct bench_rng r;
	bench_rng_seed(&r, 0);
	for (size_t i = 0; i < n; i++)
		for (int k = from; k < 2; k++)
			s->link(v[i], k, v[bench_rng_next(&r) % n], 0);
}

/* A ring held by one outside reference (v[0]'s): each node's own reference is handed to its
 * predecessor, so building it releases nothing (no candidate roots on our side). */
static void *ring_held_once(const struct side *s, void **v, size_t n)
{
	void *first = nodes_new(s, v, n);
	for (size_t i = 0; i + 1 < n; i++)
		s->link(v[i], 0, v[i + 1], 1);
	s->link(v[n - 1], 0, first, 0);
	return first;
}

static void check_freed(const struct side *s, long got, long want)
{
	if (want >= 0 && got != want) {
		fprintf(stderr, "rc-vs-cpython: %s collected %ld objects, expected %ld\n", s->name, got, want);
		exit(1);
	}
}

static struct times run_shape(const struct side *s, enum shape sh, void **v, size_t n)
{
	struct times t = { 0, 0 };
	void *first = NULL;
	long want = -1;
	double t0;

	s->begin();
	switch (sh) {
	case PAIRS:
	case RING:
	case RANDOM:
		nodes_new(s, v, n);
		if (sh == PAIRS) {
			for (size_t i = 0; i + 1 < n; i += 2) {
				s->link(v[i], 0, v[i + 1], 0);
				s->link(v[i + 1], 0, v[i], 0);
			}
			want = (long)(n - n % 2);
		} else if (sh == RING) {
			for (size_t i = 0; i < n; i++)
				s->link(v[i], 0, v[(i + 1) % n], 0);
			want = (long)n;
		} else {
			random_edges(s, v, n, 0);
		}
		t0 = bench_now();
		s->drop(v, n);
		t.loop = bench_now() - t0;
		break;
	case LIVE_RING:
	case LIVE_CHORD:
		first = ring_held_once(s, v, n);
		if (sh == LIVE_CHORD)
			random_edges(s, v, n, 1); /* the chord: slot b */
		t0 = bench_now();
		s->touch_ring(first);
		t.loop = bench_now() - t0;
		want = 0;
		break;
	case LIVE_RANDOM:
		nodes_new(s, v, n);
		random_edges(s, v, n, 0);
		t0 = bench_now();
		s->touch(v, n);
		t.loop = bench_now() - t0;
		want = 0;
		break;
	case ALLOC_NODE:
	case ALLOC_LEAF:
		t0 = bench_now();
		s->alloc(n, sh == ALLOC_LEAF);
		t.loop = bench_now() - t0;
		s->end();
		return t;
	case NSHAPES:
		break;
	}
	t0 = bench_now();
	long got = s->collect();
	t.collect = bench_now() - t0;
	check_freed(s, got, want);
	if (first)
		s->drop(&first, 1);
	else if (sh == LIVE_RANDOM)
		s->drop(v, n);
	s->end();
	return t;
}

/* ------------------------------------------------------------------------------------------ */
/* Rounds and the table                                                                        */
/* ------------------------------------------------------------------------------------------ */

enum { LOOP, COLLECT, E2E, NCOLS };

static void cell(const double *v, size_t rounds, size_t n)
{
	double *c = bench_xmalloc(rounds * sizeof *c);
	memcpy(c, v, rounds * sizeof *c);
	struct bench_stat st = bench_stat_of(c, rounds);
	free(c);
	double k = 1e9 / (double)n;
	char buf[64];
	snprintf(buf, sizeof buf, "%.2f [%.2f-%.2f]", st.median * k, st.lo * k, st.hi * k);
	printf(" %-21s", buf);
}

static void ratio_cell(const double *ours, const double *py, size_t rounds)
{
	double *r = bench_xmalloc(rounds * sizeof *r);
	char buf[64];
	for (size_t i = 0; i < rounds; i++)
		r[i] = ours[i] > 0 ? py[i] / ours[i] : 0;
	struct bench_stat st = bench_stat_of(r, rounds);
	snprintf(buf, sizeof buf, "%.1fx [%.1f-%.1f]", st.median, st.lo, st.hi);
	printf(" %-17s", buf);
	free(r);
}

int main(int argc, char **argv)
{
	size_t n = 1000000, rounds = 15;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--reuse-heap"))
			reuse_heap = 1;
		else if (argv[i][0] >= '0' && argv[i][0] <= '9')
			n = strtoul(argv[i], NULL, 10);
		else {
			fprintf(stderr, "usage: rc-vs-cpython [--rounds R] [--reuse-heap] [N]\n");
			return 2;
		}
	}
	if (n < 4 || rounds < 1)
		die("N must be at least 4 and R at least 1");

	bench_python_start();
	if (PyType_Ready(&pnode_type) < 0 || PyType_Ready(&pleaf_type) < 0)
		die("PyType_Ready failed");

	void **v = bench_xmalloc(n * sizeof *v);
	/* t[side][shape][col][round] */
	double *t = bench_xmalloc(2 * NSHAPES * NCOLS * rounds * sizeof *t);
#define T(s, sh, c, r) t[(((size_t)(s) * NSHAPES + (size_t)(sh)) * NCOLS + (size_t)(c)) * rounds + (r)]
	for (size_t r = 0; r < rounds; r++) {
		for (int sh = 0; sh < NSHAPES; sh++) {
			for (int k = 0; k < 2; k++) {
				int s = (int)((size_t)k ^ (r & 1)); /* alternate which side goes first */
				struct times x = run_shape(&sides[s], (enum shape)sh, v, n);
				T(s, sh, LOOP, r) = x.loop;
				T(s, sh, COLLECT, r) = x.collect;
				T(s, sh, E2E, r) = x.loop + x.collect;
			}
		}
	}

	printf("rc-vs-cpython: N = %zu, %zu interleaved rounds, %s; ns per object, median [min-max];\n", n, rounds,
	       reuse_heap ? "one heap for the whole run" : "a fresh heap per shape run");
	printf("ratio = CPython / ours per round, median [min-max]. CPython %s through its C API (%s).\n",
	       Py_GetVersion(), "libpython3.11");
	printf("header bytes per collectable object: ours %zu, CPython %zu\n\n",
	       sizeof(rc_object) + sizeof(uintptr_t), sizeof(PyObject) + 16);
	static const char *const colname[NCOLS] = { "loop", "collect", "end to end" };
	printf("%-27s %-10s", "shape", "column");
	printf(" %-21s %-21s %-17s\n", "ours ns/obj", "CPython ns/obj", "ratio");
	for (int sh = 0; sh < NSHAPES; sh++) {
		int ncols = sh >= ALLOC_NODE ? 1 : NCOLS;
		for (int c = 0; c < ncols; c++) {
			printf("%-27s %-10s", c == 0 ? shape_names[sh] : "", colname[c]);
			const double *o = &T(0, sh, c, 0), *p = &T(1, sh, c, 0);
			cell(o, rounds, n);
			cell(p, rounds, n);
			ratio_cell(o, p, rounds);
			printf("\n");
		}
	}
#undef T
	printf("\nloop: dropped shapes release every outside reference; live shapes incref+decref every node\n"
	       "(a release to a non-zero count); alloc rows allocate and release one object N times.\n");
	free(t);
	free(v);
	if (heap && rc_heap_destroy(heap) != 0)
		die("objects left on our heap");
	bench_python_stop();
	return 0;
}
