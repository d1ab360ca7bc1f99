/*
 * rc-bench: times the runtime on the graph shapes of bench/runtime/README (see `run` for the
 * side-by-side table against CPython's gc):
 *   1 pairs   N objects in 2-cycles, dropped, then collected
 *   2 ring    one ring of N objects, dropped, then collected
 *   3 random  N nodes with 2 random out-edges each, dropped, then collected
 *   4 live    a live graph of N objects (random edges), collected: nothing to free
 *             4a: as built (no candidate roots: our collector examines nothing)
 *             4b: every object made a candidate root first (the collector examines all N)
 *   5 acyclic allocate and release N acyclic objects (alloc + free per object)
 * Every shape runs with the node type in both forms of rc.h: with a reference-field map (the
 * main rows, like bench.py's Node with __slots__, whose slots CPython walks without calls) and
 * with traverse + clear callbacks ("callbacks" column / callback_seconds),
 * plus incref/decref cost in ns/op and header bytes per collectable object, and for shapes 1-4b
 * the FLOOR: the same N objects, built the same way, walked by plain loops that do only the
 * memory traffic that any trial-deletion collector must do (see floor_passes), timed in the
 * same run, so that the table shows how far the collector is from it ("of it pass1": the
 * first, traversing pass of the floor alone, which is also what one more walk over every child
 * costs, like the one the types' clear functions make in a tear down).
 *
 * Usage: rc-bench [--json] [--repeat K] [--only SHAPE] [N...]   (default N: 100000 1000000;
 * each shape is run K times (default 3) and the fastest run is reported, to damp the noise of
 * a shared box; --only runs one shape, e.g. `--only 1-pairs`, for profiling)
 * Built with optimization and its own NDEBUG copy of the runtime (bench/runtime/meson.build),
 * so a debug build tree still benchmarks the release code.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rc/rc.h"

struct bnode {
	rc_object base;
	rc_object *a, *b;
};

static void bnode_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct bnode *n = (struct bnode *)self;
	if (n->a)
		visit(n->a, arg);
	if (n->b)
		visit(n->b, arg);
}

static void bnode_clear(rc_object *self)
{
	struct bnode *n = (struct bnode *)self;
	rc_clear_field(&n->a);
	rc_clear_field(&n->b);
}

/* The benchmark's node in the two forms of rc.h: a reference-field map (the runtime walks and
 * clears the two fields itself, as CPython does for the __slots__ Node of bench.py), and
 * traverse + clear callbacks (the "callback" rows). */
static const uint16_t bnode_refs[] = { offsetof(struct bnode, a), offsetof(struct bnode, b) };

static const rc_type bnode_map_type = {
	.name = "bnode",
	.size = sizeof(struct bnode),
	.ref_offsets = bnode_refs,
	.nrefs = 2,
};

static const rc_type bnode_cb_type = {
	.name = "bnode-callbacks",
	.size = sizeof(struct bnode),
	.traverse = bnode_traverse,
	.clear = bnode_clear,
};

/* The form the shapes build their nodes with (main sets it for each row). */
static const rc_type *bnode_type = &bnode_map_type;

static const rc_type bleaf_type = { .name = "bleaf", .size = sizeof(rc_object) + 8 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252u;
static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static rc_heap *new_heap(void)
{
	rc_heap *h = NULL;
	rc_heap_options o = { .flags = RC_HEAP_GC_DISABLED };
	if (rc_heap_new(&h, &o) != 0) {
		fprintf(stderr, "rc-bench: cannot create a heap\n");
		exit(1);
	}
	return h;
}

static struct bnode **new_nodes(rc_heap *h, size_t n)
{
	struct bnode **v = malloc(n * sizeof *v);
	if (!v) {
		fprintf(stderr, "rc-bench: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct bnode *)rc_new(h, bnode_type);
		if (!v[i]) {
			fprintf(stderr, "rc-bench: out of memory\n");
			exit(1);
		}
	}
	return v;
}

static void drop_all(struct bnode **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rc_decref(&v[i]->base);
	free(v);
}

/* Times one collection; checks that it freed `expect` objects (-1: every live object; in
 * shape 3 refcounting alone frees the nodes no cycle keeps, before the collection). */
static double timed_collect(rc_heap *h, long expect)
{
	rc_heap_stats st;
	rc_heap_get_stats(h, &st);
	if (expect < 0)
		expect = (long)st.live_objects;
	double t0 = now();
	long freed = rc_collect(h);
	double t = now() - t0;
	if (freed != expect) {
		fprintf(stderr, "rc-bench: collection freed %ld objects, expected %ld\n", freed, expect);
		exit(1);
	}
	return t;
}

static void finish(rc_heap *h)
{
	if (rc_heap_destroy(h) != 0) {
		fprintf(stderr, "rc-bench: leaked objects\n");
		exit(1);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* The floor                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/*
 * What any collector built on trial deletion must do to N objects, and nothing else: one pass
 * that reads every examined object, sets up a word in its header (its trial count) and updates
 * a word in the header of each of its children (the closure), and, when the objects are
 * garbage, one more pass that writes every object (freeing it: a free-list push writes its
 * first word). The collector also
 * calls the type's traverse and clear through pointers, keeps lists, holds, and tears down,
 * none of which is in the floor. The loops walk the objects in the order the collector does
 * (the candidate roots: allocation order), read the array of them as the collector reads its
 * root buffer, and prefetch the children 16 objects ahead as the collector does on scattered
 * graphs, so the floor is what the memory system allows for that order. They use the gc word
 * of the header (the count is left alone) and put it back to 0 after (untimed when the set
 * is live). Returns the seconds of the passes; *pass1 gets the first pass alone.
 */
enum { FLOOR_AHEAD = 16 };

static double floor_passes(struct bnode **v, size_t n, int garbage, double *pass1)
{
	double t0, t1, t2;
	size_t i;

	t0 = now();
	for (i = 0; i < n; i++) {
		if (i + FLOOR_AHEAD < n) {
			struct bnode *p = v[i + FLOOR_AHEAD];
			if (p->a)
				__builtin_prefetch(p->a, 1);
			if (p->b)
				__builtin_prefetch(p->b, 1);
		}
		struct bnode *o = v[i];
		o->base.rc__gc += 1;
		if (o->a)
			o->a->rc__gc += 2;
		if (o->b)
			o->b->rc__gc += 2;
	}
	t1 = now();
	for (i = 0; i < n; i++)
		v[i]->base.rc__gc = 0;
	t2 = now();
	*pass1 = t1 - t0;
	return garbage ? t2 - t0 : t1 - t0;
}

/* A read of every object, as drop_all does before the timed collection: the floor starts
 * from the same cache contents. */
static volatile uint32_t touch_sink;

static void touch_all(struct bnode **v, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i]->base.rc__refcnt;
	touch_sink = s;
}

/*
 * The nodes of a random graph that refcounting alone does not free when all outside
 * references go (what the collector examines): peel nodes with no incoming edge, repeatedly.
 * Returns them in allocation order in v (the others removed), and their number.
 */
static size_t keep_cyclic(struct bnode **v, size_t n)
{
	uint32_t *in = calloc(n, sizeof *in);
	size_t *stack = malloc(n * sizeof *stack), top = 0, k = 0, i;
	if (!in || !stack) {
		fprintf(stderr, "rc-bench: out of memory\n");
		exit(1);
	}
	/* node index from address: nodes come from one pool in allocation order, but not
	 * necessarily contiguous; use the rc__gc word to hold the index while we work */
	for (i = 0; i < n; i++)
		v[i]->base.rc__gc = (uint32_t)i << 1;
	for (i = 0; i < n; i++) {
		if (v[i]->a)
			in[((struct bnode *)v[i]->a)->base.rc__gc >> 1]++;
		if (v[i]->b)
			in[((struct bnode *)v[i]->b)->base.rc__gc >> 1]++;
	}
	for (i = 0; i < n; i++)
		if (!in[i])
			stack[top++] = i;
	while (top) {
		struct bnode *o = v[stack[--top]];
		rc_object *kid[2] = { o->a, o->b };
		for (int j = 0; j < 2; j++) {
			if (!kid[j])
				continue;
			size_t c = kid[j]->rc__gc >> 1;
			if (--in[c] == 0)
				stack[top++] = c;
		}
		in[o->base.rc__gc >> 1] = UINT32_MAX; /* peeled */
	}
	for (i = 0; i < n; i++) {
		v[i]->base.rc__gc = 0;
		if (in[i] != UINT32_MAX)
			v[k++] = v[i];
	}
	free(in);
	free(stack);
	return k;
}

/* ------------------------------------------------------------------------------------------ */
/* Shapes                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* FLOOR: instead of dropping and collecting, time floor_passes on the same objects. */
enum mode { COLLECT, FLOOR };

/* The first (traversing) pass of the last floor measured: what one more walk over every child
 * costs, such as the one each type's clear makes in a tear down. */
static double floor_pass1;

static double floor_then_drop(rc_heap *h, struct bnode **v, size_t n, size_t examined, int garbage)
{
	struct bnode **w = malloc(n * sizeof *w);
	double pass1, t;
	if (!w) {
		fprintf(stderr, "rc-bench: out of memory\n");
		exit(1);
	}
	memcpy(w, v, n * sizeof *w);
	if (examined != n)
		examined = keep_cyclic(w, n);
	touch_all(v, n);
	t = floor_passes(w, examined, garbage, &pass1);
	floor_pass1 = pass1;
	free(w);
	drop_all(v, n);
	rc_collect(h);
	finish(h);
	return t;
}

static double shape_pairs(size_t n, enum mode m)
{
	rc_heap *h = new_heap();
	struct bnode **v = new_nodes(h, n);
	for (size_t i = 0; i + 1 < n; i += 2) {
		v[i]->a = rc_newref(&v[i + 1]->base);
		v[i + 1]->a = rc_newref(&v[i]->base);
	}
	if (m == FLOOR)
		return floor_then_drop(h, v, n, n, 1);
	drop_all(v, n);
	double t = timed_collect(h, -1);
	finish(h);
	return t;
}

static double shape_ring(size_t n, enum mode m)
{
	rc_heap *h = new_heap();
	struct bnode **v = new_nodes(h, n);
	for (size_t i = 0; i < n; i++)
		v[i]->a = rc_newref(&v[(i + 1) % n]->base);
	if (m == FLOOR)
		return floor_then_drop(h, v, n, n, 1);
	drop_all(v, n);
	double t = timed_collect(h, -1);
	finish(h);
	return t;
}

static void random_edges(struct bnode **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		v[i]->a = rc_newref(&v[xorshift() % n]->base);
		v[i]->b = rc_newref(&v[xorshift() % n]->base);
	}
}

static double shape_random(size_t n, enum mode m)
{
	rc_heap *h = new_heap();
	struct bnode **v = new_nodes(h, n);
	random_edges(v, n);
	if (m == FLOOR)
		return floor_then_drop(h, v, n, 0, 1); /* 0: only what refcounting leaves */
	drop_all(v, n);
	double t = timed_collect(h, -1);
	finish(h);
	return t;
}

static double shape_live(size_t n, int make_candidates, enum mode m)
{
	rc_heap *h = new_heap();
	struct bnode **v = new_nodes(h, n);
	double t;
	random_edges(v, n);
	if (m == FLOOR) {
		/* live: only the closure pass (nothing is freed) */
		double pass1;
		touch_all(v, n);
		t = floor_passes(v, n, 0, &pass1);
		floor_pass1 = pass1;
		drop_all(v, n);
		rc_collect(h);
		finish(h);
		return make_candidates ? t : 0;
	}
	if (make_candidates) {
		for (size_t i = 0; i < n; i++) {
			rc_incref(&v[i]->base);
			rc_decref(&v[i]->base);
		}
	}
	t = timed_collect(h, 0);
	drop_all(v, n);
	rc_collect(h);
	finish(h);
	return t;
}

static double shape_acyclic(size_t n, enum mode m)
{
	if (m == FLOOR)
		return -1; /* no floor: not a collection */
	rc_heap *h = new_heap();
	double t0 = now();
	for (size_t i = 0; i < n; i++) {
		rc_object *o = rc_new(h, bnode_type);
		if (!o)
			exit(1);
		rc_decref(o);
	}
	double t = now() - t0;
	finish(h);
	return t;
}

/* ns per incref+decref pair, on an object through a volatile pointer */
static double incdec_ns(const rc_type *type)
{
	rc_heap *h = new_heap();
	rc_object *o = rc_new(h, type);
	rc_object *volatile p = o;
	const size_t reps = 100000000;
	rc_incref(o);
	rc_decref(o); /* a collectable object is buffered once; later decrefs skip the buffer */
	double t0 = now();
	for (size_t i = 0; i < reps; i++) {
		rc_incref(p);
		rc_decref(p);
	}
	double t = now() - t0;
	rc_decref(o);
	rc_collect(h);
	finish(h);
	return t * 1e9 / (double)reps / 2.0;
}

static int repeat = 3;

static double shape_live_as_built(size_t n, enum mode m)
{
	return shape_live(n, 0, m);
}

static double shape_live_candidates(size_t n, enum mode m)
{
	return shape_live(n, 1, m);
}

/* Fastest of `repeat` runs (and in *pass1 the fastest floor_pass1 of them). */
static double best(double (*shape)(size_t, enum mode), size_t n, enum mode m, double *pass1)
{
	double b = 1e300, p = 1e300, t;
	for (int r = 0; r < repeat; r++) {
		floor_pass1 = -1;
		t = shape(n, m);
		if (t < b)
			b = t;
		if (floor_pass1 < p)
			p = floor_pass1;
	}
	*pass1 = p;
	return b;
}

int main(int argc, char **argv)
{
	int json = 0;
	const char *only = NULL;
	size_t ns[8], count = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			repeat = atoi(argv[++i]);
			if (repeat < 1 || repeat > 100) {
				fprintf(stderr, "rc-bench: --repeat takes 1..100\n");
				return 2;
			}
		} else {
			char *end;
			unsigned long long v = strtoull(argv[i], &end, 10);
			if (*end || v < 2 || count == 8) {
				fprintf(stderr, "usage: rc-bench [--json] [N...]  (N >= 2, at most 8 values)\n");
				return 2;
			}
			ns[count++] = (size_t)v;
		}
	}
	if (!count) {
		ns[0] = 100000;
		ns[1] = 1000000;
		count = 2;
	}
	static const struct {
		const char *name;
		double (*fn)(size_t, enum mode);
	} shapes[] = {
		{ "1-pairs", shape_pairs },
		{ "2-ring", shape_ring },
		{ "3-random", shape_random },
		{ "4a-live", shape_live_as_built },
		{ "4b-live", shape_live_candidates },
		{ "5-acyclic", shape_acyclic },
	};
	size_t nshapes = sizeof shapes / sizeof shapes[0], i;
	if (only) {
		for (i = 0; i < nshapes && strcmp(shapes[i].name, only); i++)
			;
		if (i == nshapes) {
			fprintf(stderr, "rc-bench: unknown shape '%s'\n", only);
			return 2;
		}
	}
	double incdec_leaf = only ? 0 : incdec_ns(&bleaf_type), incdec_coll = only ? 0 : incdec_ns(&bnode_map_type);
	if (json) {
		printf("{\"header_bytes\": %zu, \"incdec_leaf_ns\": %.3f, \"incdec_collectable_ns\": %.3f, \"results\": [",
		       rc_header_size(&bnode_map_type), incdec_leaf, incdec_coll);
	} else {
		printf("header bytes per collectable object: %zu (leaf: %zu)\n", rc_header_size(&bnode_map_type),
		       rc_header_size(&bleaf_type));
		printf("incref/decref: %.2f ns/op (leaf), %.2f ns/op (collectable)\n", incdec_leaf, incdec_coll);
		printf("%-10s %10s %12s %12s %12s %12s %12s\n", "shape", "N", "seconds", "ns/object", "callbacks",
		       "floor ns/obj", "  of it pass1");
	}
	int first = 1;
	for (size_t k = 0; k < count; k++) {
		size_t n = ns[k];
		for (i = 0; i < nshapes; i++) {
			if (only && strcmp(shapes[i].name, only))
				continue;
			double p1, t, tc, f;
			bnode_type = &bnode_cb_type;
			tc = best(shapes[i].fn, n, COLLECT, &p1);
			bnode_type = &bnode_map_type;
			t = best(shapes[i].fn, n, COLLECT, &p1);
			f = best(shapes[i].fn, n, FLOOR, &p1);
			if (json)
				printf("%s{\"shape\": \"%s\", \"n\": %zu, \"seconds\": %.9f, \"callback_seconds\": %.9f, "
				       "\"floor_seconds\": %.9f, \"floor_pass1_seconds\": %.9f}",
				       first ? "" : ", ", shapes[i].name, n, t, tc, f, p1);
			else if (f > 0)
				printf("%-10s %10zu %12.6f %12.2f %12.2f %12.2f %12.2f\n", shapes[i].name, n, t,
				       t * 1e9 / (double)n, tc * 1e9 / (double)n, f * 1e9 / (double)n, p1 * 1e9 / (double)n);
			else
				printf("%-10s %10zu %12.6f %12.2f %12.2f %12s %12s\n", shapes[i].name, n, t, t * 1e9 / (double)n,
				       tc * 1e9 / (double)n, "-", "-");
			fflush(stdout);
			first = 0;
		}
	}
	if (json)
		printf("]}\n");
	return 0;
}
