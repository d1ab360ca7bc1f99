/*
 * test_refmap.c - types that declare a reference-field map (rc.h, rc_type.ref_offsets) instead of,
 * or beside, traverse and clear. The runtime walks and clears the map's fields itself on every
 * path (collector, teardown at zero, heap destroy, heap checker), so each test checks that a map
 * type behaves exactly like the same type written with callbacks: the same graph shapes run
 * through all three forms must free the same objects with the same outcomes.
 */
#include "testutil.h"

/* ------------------------------------------------------------------------------------------ */
/* The three forms of one node (struct node of testutil.h: four kid slots)                    */
/* ------------------------------------------------------------------------------------------ */

static const uint16_t node_refs[NODE_KIDS] = {
	offsetof(struct node, kid[0]),
	offsetof(struct node, kid[1]),
	offsetof(struct node, kid[2]),
	offsetof(struct node, kid[3]),
};

enum { BOTH_MAP = 2 }; /* the map+traverse form: kid[0..1] in the map, kid[2..3] by callbacks */

static size_t map_destroyed;
static int clear_saw_map_set; /* the map+traverse clear found a map field not yet cleared */

static void map_destroy(rc_object *self)
{
	(void)self;
	map_destroyed++;
}

static void tail_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct node *n = (struct node *)self;
	for (int i = BOTH_MAP; i < NODE_KIDS; i++)
		if (n->kid[i])
			visit(n->kid[i], arg);
}

static void tail_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	for (int i = 0; i < BOTH_MAP; i++)
		if (n->kid[i])
			clear_saw_map_set = 1; /* rc.h: the map's fields are cleared before clear runs */
	for (int i = BOTH_MAP; i < NODE_KIDS; i++)
		rc_clear_field(&n->kid[i]);
}

static const rc_type map_node_type = {
	.name = "map-node",
	.size = sizeof(struct node),
	.destroy = map_destroy,
	.ref_offsets = node_refs,
	.nrefs = NODE_KIDS,
};

static const rc_type both_node_type = {
	.name = "both-node",
	.size = sizeof(struct node),
	.traverse = tail_traverse,
	.clear = tail_clear,
	.destroy = map_destroy,
	.ref_offsets = node_refs,
	.nrefs = BOTH_MAP,
};

/* Without destroy: the collector's tear down frees these through its plain pooled path. */
static const rc_type plain_map_type = {
	.name = "plain-map-node",
	.size = sizeof(struct node),
	.ref_offsets = node_refs,
	.nrefs = NODE_KIDS,
};

static struct node *new_of(rc_heap *h, const rc_type *t, int id)
{
	struct node *n = (struct node *)rc_new(h, t);
	assert_non_null(n);
	n->id = id;
	return n;
}

/* ------------------------------------------------------------------------------------------ */
/* One graph shape, run through any form                                                      */
/* ------------------------------------------------------------------------------------------ */

enum { MAX_NODES = 64, MAX_EDGES = 4 * MAX_NODES };

struct shape {
	const char *name;
	int n;
	int nedges;
	int edge[MAX_EDGES][3]; /* from, slot, to */
	unsigned char keep[MAX_NODES]; /* outside references kept across the first collection */
};

/* What a run observed, compared across forms. */
struct result {
	long freed1, freed2;      /* the collection with the kept references, and the one after */
	int outcome1, outcome2;
	size_t live_after_drop;   /* live objects after the unkept references went (counting frees) */
	size_t live1;             /* live objects after the first collection */
};

static struct result run_shape(const struct shape *s, const rc_type *t, unsigned heap_flags)
{
	rc_heap *h = new_test_heap(heap_flags | RC_HEAP_GC_DISABLED, NULL);
	struct node *v[MAX_NODES];
	struct result r;
	rc_heap_stats st;

	for (int i = 0; i < s->n; i++)
		v[i] = new_of(h, t, i);
	for (int e = 0; e < s->nedges; e++)
		rc_set_field(&v[s->edge[e][0]]->kid[s->edge[e][1]], rc_newref(&v[s->edge[e][2]]->base));
	for (int i = 0; i < s->n; i++)
		if (!s->keep[i])
			rc_decref(&v[i]->base);
	rc_heap_get_stats(h, &st);
	r.live_after_drop = st.live_objects;
	if (heap_flags & RC_HEAP_TRACK_ALL)
		assert_heap_ok(h);
	r.freed1 = rc_collect(h);
	r.outcome1 = rc__test_last_outcome(h);
	rc_heap_get_stats(h, &st);
	r.live1 = st.live_objects;
	if (heap_flags & RC_HEAP_TRACK_ALL)
		assert_heap_ok(h);
	for (int i = 0; i < s->n; i++)
		if (s->keep[i])
			rc_decref(&v[i]->base);
	r.freed2 = rc_collect(h);
	r.outcome2 = rc__test_last_outcome(h);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	destroy_clean(h);
	return r;
}

static void edge(struct shape *s, int from, int slot, int to)
{
	assert_true(s->nedges < MAX_EDGES);
	s->edge[s->nedges][0] = from;
	s->edge[s->nedges][1] = slot;
	s->edge[s->nedges][2] = to;
	s->nedges++;
}

static uint64_t rng_state;

static unsigned rnd(unsigned below)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % below);
}

/* Fixed shapes, then random ones. Returns false past the last. */
static bool make_shape(int k, struct shape *s)
{
	memset(s, 0, sizeof *s);
	switch (k) {
	case 0: /* pairs */
		s->name = "pairs";
		s->n = 10;
		for (int i = 0; i < 10; i += 2) {
			edge(s, i, 0, i + 1);
			edge(s, i + 1, 3, i); /* the last slot: the map's end and the traverse part */
		}
		return true;
	case 1: /* a ring */
		s->name = "ring";
		s->n = 20;
		for (int i = 0; i < 20; i++)
			edge(s, i, 1, (i + 1) % 20);
		return true;
	case 2: /* self loops, one through each slot */
		s->name = "self";
		s->n = 4;
		for (int i = 0; i < 4; i++)
			edge(s, i, i, i);
		return true;
	case 3: /* a chain into a cycle: the chain goes by counting, the cycle by the collector */
		s->name = "chain-to-cycle";
		s->n = 8;
		for (int i = 0; i < 5; i++)
			edge(s, i, 2, i + 1);
		edge(s, 5, 0, 6);
		edge(s, 6, 0, 7);
		edge(s, 7, 3, 5);
		return true;
	case 4: /* a cycle kept by one outside reference: nothing freed, then everything */
		s->name = "kept-cycle";
		s->n = 6;
		for (int i = 0; i < 6; i++)
			edge(s, i, i % NODE_KIDS, (i + 1) % 6);
		s->keep[3] = 1;
		return true;
	case 5: /* two cycles, one kept alive through an edge from the other's live member */
		s->name = "mixed";
		s->n = 8;
		for (int i = 0; i < 4; i++)
			edge(s, i, 0, (i + 1) % 4);
		for (int i = 4; i < 8; i++)
			edge(s, i, 3, 4 + (i + 1 - 4) % 4);
		edge(s, 4, 1, 0); /* the garbage cycle points into the kept one */
		s->keep[1] = 1;
		return true;
	case 6: /* a clique */
		s->name = "clique";
		s->n = 5;
		for (int i = 0; i < 5; i++)
			for (int j = 0, slot = 0; j < 5; j++)
				if (j != i)
					edge(s, i, slot++, j);
		return true;
	default:
		if (k >= 7 + 40)
			return false;
		s->name = "random";
		rng_state = 0x9E3779B97F4A7C15u * (uint64_t)(k + 1);
		s->n = 8 + (int)rnd(MAX_NODES - 8);
		for (int i = 0; i < s->n; i++)
			for (int slot = 0; slot < NODE_KIDS; slot++)
				if (rnd(3) == 0)
					edge(s, i, slot, (int)rnd((unsigned)s->n));
		for (int i = 0; i < s->n; i++)
			s->keep[i] = rnd(8) == 0;
		return true;
	}
}

static void assert_same(const struct result *a, const struct result *b)
{
	assert_int_equal(a->live_after_drop, b->live_after_drop);
	assert_int_equal(a->freed1, b->freed1);
	assert_int_equal(a->outcome1, b->outcome1);
	assert_int_equal(a->live1, b->live1);
	assert_int_equal(a->freed2, b->freed2);
	assert_int_equal(a->outcome2, b->outcome2);
}

/* Every shape: callbacks, map, map+traverse agree on what is freed, when, and by which outcome;
 * and on a pooled heap without tracking, the plain map type (no destroy) too. */
static void test_forms_agree(void **state)
{
	struct shape s;
	int collected = 0;

	(void)state;
	for (int k = 0; make_shape(k, &s); k++) {
		nodes_destroyed = map_destroyed = 0;
		struct result cb = run_shape(&s, &node_type, RC_HEAP_TRACK_ALL);
		assert_int_equal(nodes_destroyed, s.n);
		struct result map = run_shape(&s, &map_node_type, RC_HEAP_TRACK_ALL);
		assert_int_equal(map_destroyed, s.n);
		struct result both = run_shape(&s, &both_node_type, RC_HEAP_TRACK_ALL);
		assert_int_equal(map_destroyed, 2 * s.n);
		assert_same(&cb, &map);
		assert_same(&cb, &both);
		/* the untracked pooled heap: the fast outcomes and the lazy tear down */
		struct result cb_plain = run_shape(&s, &node_type, 0);
		struct result map_plain = run_shape(&s, &plain_map_type, 0);
		assert_same(&cb_plain, &map_plain);
		collected += cb.freed1 > 0;
	}
	assert_true(collected >= 10); /* the suite does exercise the collector */
	assert_false(clear_saw_map_set);
}

/* The three forms in one heap and in one ring (the collector's walks dispatch per class), and a
 * heap whose first map class appears between two collections: the callback-only walks before,
 * the general ones after, the same results. */
static void test_forms_mixed(void **state)
{
	const rc_type *forms[3] = { &node_type, &map_node_type, &both_node_type };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *v[30];

	(void)state;
	nodes_destroyed = map_destroyed = 0;
	/* callbacks only so far: a ring of node_type */
	for (int i = 0; i < 10; i++)
		v[i] = new_of(h, &node_type, i);
	for (int i = 0; i < 10; i++)
		link_to(v[i], 3, v[(i + 1) % 10]);
	for (int i = 0; i < 10; i++)
		rc_decref(&v[i]->base);
	assert_int_equal(rc_collect(h), 10);
	assert_int_equal(nodes_destroyed, 10);
	/* now a ring through all three forms, each edge in another slot */
	for (int i = 0; i < 30; i++)
		v[i] = new_of(h, forms[i % 3], i);
	for (int i = 0; i < 30; i++)
		link_to(v[i], i % NODE_KIDS, v[(i + 1) % 30]);
	assert_heap_ok(h);
	for (int i = 0; i < 30; i++)
		rc_decref(&v[i]->base);
	assert_int_equal(rc_collect(h), 30);
	assert_int_equal(nodes_destroyed, 20);
	assert_int_equal(map_destroyed, 20);
	destroy_clean(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Descriptors                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void expect_rejected(const rc_type *t, const char *why)
{
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, &log);
	rc_heap_stats st;

	assert_null(rc_new(h, t));
	assert_null(rc_new_sized(h, t, t->size + 8));
	assert_true(log.lines >= 2);
	if (!strstr(log.last, why)) {
		fprintf(stderr, "report '%s' does not say '%s'\n", log.last, why);
		fail();
	}
	assert_non_null(strstr(log.last, t->name));
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	destroy_clean(h);
}

static void noop_clear(rc_object *self)
{
	(void)self;
}

static void test_bad_descriptors(void **state)
{
	static const uint16_t in_header[] = { 8 };
	static const uint16_t unaligned[] = { offsetof(struct node, kid[0]) + 4 };
	static const uint16_t past_end[] = { sizeof(struct node) };
	static const uint16_t straddles[] = { offsetof(struct node, kid[3]) };
	static const uint16_t repeated[] = { offsetof(struct node, kid[0]), offsetof(struct node, kid[0]) };
	static const uint16_t decreasing[] = { offsetof(struct node, kid[1]), offsetof(struct node, kid[0]) };
	const rc_type bad[] = {
		{ .name = "t-header", .size = sizeof(struct node), .ref_offsets = in_header, .nrefs = 1 },
		{ .name = "t-unaligned", .size = sizeof(struct node), .ref_offsets = unaligned, .nrefs = 1 },
		{ .name = "t-past", .size = sizeof(struct node), .ref_offsets = past_end, .nrefs = 1 },
		{ .name = "t-straddle", .size = offsetof(struct node, kid[3]) + 4, .ref_offsets = straddles, .nrefs = 1 },
		{ .name = "t-repeat", .size = sizeof(struct node), .ref_offsets = repeated, .nrefs = 2 },
		{ .name = "t-decreasing", .size = sizeof(struct node), .ref_offsets = decreasing, .nrefs = 2 },
		{ .name = "t-nomap", .size = sizeof(struct node), .nrefs = 1 },
		{ .name = "t-nocount", .size = sizeof(struct node), .ref_offsets = node_refs },
		{ .name = "t-clear", .size = sizeof(struct node), .clear = noop_clear, .ref_offsets = node_refs,
		  .nrefs = 1 },
	};
	const char *why[] = {
		"overlaps the object header", "not aligned", "outside the type's size", "outside the type's size",
		"strictly increasing", "strictly increasing", "given together", "given together",
		"clear without traverse",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_rejected(&bad[i], why[i]);
}

/* A good map: a field at the very end, one map field only; header bytes as for traverse. */
static void test_good_descriptors(void **state)
{
	static const uint16_t last[] = { offsetof(struct node, kid[3]) };
	const rc_type t = { .name = "t-last", .size = offsetof(struct node, kid[3]) + sizeof(rc_object *),
			    .ref_offsets = last, .nrefs = 1 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *a, *b;

	(void)state;
	assert_int_equal(rc_header_size(&map_node_type), rc_header_size(&node_type));
	assert_int_equal(rc_header_size(&both_node_type), rc_header_size(&node_type));
	assert_int_equal(rc_header_size(&t), rc_header_size(&node_type));
	a = (struct node *)rc_new(h, &t);
	b = (struct node *)rc_new(h, &t);
	assert_non_null(a);
	assert_non_null(b);
	a->kid[3] = rc_newref(&b->base);
	b->kid[3] = rc_newref(&a->base);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_heap_ok(h);
	assert_int_equal(rc_collect(h), 2);
	destroy_clean(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Map + traverse                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* A cycle only through the map part, one only through the traverse part, one through both: all
 * collected; the heap checker sees the edges of both parts (a count too low through either is
 * reported). */
static void test_map_and_traverse(void **state)
{
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *a = new_of(h, &both_node_type, 1), *b = new_of(h, &both_node_type, 2);
	struct node *c = new_of(h, &both_node_type, 3), *d = new_of(h, &both_node_type, 4);
	struct node *e = new_of(h, &both_node_type, 5);

	(void)state;
	map_destroyed = 0;
	clear_saw_map_set = 0;
	link_to(a, 0, b); /* map part */
	link_to(b, 1, a);
	link_to(c, 2, d); /* traverse part */
	link_to(d, 3, c);
	link_to(e, 0, e); /* both, on one object */
	link_to(e, 3, e);
	link_to(e, 1, b); /* second references: b from two map fields, d from two traverse slots */
	link_to(e, 2, d);
	assert_heap_ok(h);
	/* the checker walks the map: b's count below its two references from map fields */
	rc__test_set_refcnt(&b->base, 1);
	assert_int_equal(rc_heap_check(h, NULL), 1);
	rc__test_set_refcnt(&b->base, 3);
	/* and the traverse part */
	rc__test_set_refcnt(&d->base, 1);
	assert_int_equal(rc_heap_check(h, NULL), 1);
	rc__test_set_refcnt(&d->base, 3);
	assert_heap_ok(h);
	rc_decref(&a->base);
	rc_decref(&b->base);
	rc_decref(&c->base);
	rc_decref(&d->base);
	rc_decref(&e->base);
	assert_int_equal(rc_collect(h), 5);
	assert_int_equal(map_destroyed, 5);
	assert_false(clear_saw_map_set);
	destroy_clean(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Finalizers, resurrection, weak references                                                  */
/* ------------------------------------------------------------------------------------------ */

static rc_object *saved;
static int finalized;
static int fields_seen_in_finalizer; /* the finalizer saw its map fields still set */

static void saving_finalize(rc_object *self)
{
	struct node *n = (struct node *)self;
	finalized++;
	fields_seen_in_finalizer += n->kid[0] != NULL;
	if (!saved)
		saved = rc_newref(self); /* resurrects self (and what it holds) */
}

static const rc_type fin_map_type = {
	.name = "fin-map",
	.size = sizeof(struct node),
	.finalize = saving_finalize,
	.destroy = map_destroy,
	.ref_offsets = node_refs,
	.nrefs = NODE_KIDS,
};

/* A cycle of map objects with a finalizer that resurrects: the recheck keeps the cycle, its
 * fields untouched; dropped again, it goes without a second finalizer run. */
static void test_finalizer_resurrects(void **state)
{
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *a = new_of(h, &fin_map_type, 1), *b = new_of(h, &fin_map_type, 2);

	(void)state;
	saved = NULL;
	finalized = fields_seen_in_finalizer = 0;
	map_destroyed = 0;
	link_to(a, 0, b);
	link_to(b, 0, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(finalized, 2);
	assert_int_equal(fields_seen_in_finalizer, 2);
	assert_non_null(saved);
	assert_ptr_equal(a->kid[0], &b->base);
	assert_ptr_equal(b->kid[0], &a->base);
	assert_int_equal(map_destroyed, 0);
	assert_heap_ok(h);
	rc_clear_field(&saved);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(finalized, 2);
	assert_int_equal(map_destroyed, 2);
	destroy_clean(h);
}

/* At zero: the finalizer resurrects the object; its fields stay; the second death clears them. */
static void test_finalizer_at_zero(void **state)
{
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *a = new_of(h, &fin_map_type, 1);
	struct leaf *l = new_leaf(h, 7);

	(void)state;
	saved = NULL;
	finalized = fields_seen_in_finalizer = 0;
	map_destroyed = leaves_destroyed = 0;
	a->kid[0] = &l->base; /* a owns the leaf's only reference */
	rc_decref(&a->base);
	assert_int_equal(finalized, 1);
	assert_ptr_equal(saved, &a->base);
	assert_ptr_equal(a->kid[0], &l->base);
	assert_int_equal(leaves_destroyed, 0);
	rc_clear_field(&saved);
	assert_int_equal(finalized, 1);
	assert_int_equal(map_destroyed, 1);
	assert_int_equal(leaves_destroyed, 1);
	destroy_clean(h);
}

static int callbacks;

static void on_dead(rc_weakref *ref, void *arg)
{
	(void)arg;
	callbacks++;
	assert_null(rc_weakref_get(ref));
}

/* A weak reference to a map object of a garbage cycle: cleared, its callback run once. */
static void test_weakref(void **state)
{
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *a = new_of(h, &map_node_type, 1), *b = new_of(h, &map_node_type, 2);
	rc_weakref *w;

	(void)state;
	callbacks = 0;
	link_to(a, 2, b);
	link_to(b, 3, a);
	w = rc_weakref_new(&a->base, on_dead, NULL);
	assert_non_null(w);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_HELD);
	assert_int_equal(callbacks, 1);
	assert_false(rc_weakref_alive(w));
	rc_decref(RC_WEAKREF_OBJ(w));
	destroy_clean(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Clearing: order, re-entrancy, misuse                                                        */
/* ------------------------------------------------------------------------------------------ */

/* The object a watcher leaf watches while the runtime clears it. */
static struct node *watched;
static struct node *refill_with; /* the watcher stores a new reference to this in kid[1] */
static int seen_kid0, seen_kid1;

static void watcher_destroy(rc_object *self)
{
	(void)self;
	/* rc_clear_field order: the field that held us is already NULL, the later ones not yet */
	seen_kid0 = watched->kid[0] != NULL;
	seen_kid1 = watched->kid[1] != NULL;
	if (refill_with) {
		rc_set_field(&watched->kid[2], rc_newref(&refill_with->base));
		refill_with = NULL;
	}
}

static const rc_type watcher_type = { .name = "watcher", .size = sizeof(struct leaf), .destroy = watcher_destroy };

/* Re-entrancy: the release of map field 0 runs user code that reads the object (field 0 already
 * empty, field 1 still set) and stores a new reference into a later field, which the runtime
 * then clears in turn: nothing leaks, at zero and in a collection. */
static void test_clear_reentrancy(void **state)
{
	for (int in_collection = 0; in_collection < 2; in_collection++) {
		rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
		struct node *a = new_of(h, &map_node_type, 1), *x = new_of(h, &map_node_type, 2);
		struct leaf *l = (struct leaf *)rc_new(h, &watcher_type);

		(void)state;
		assert_non_null(l);
		map_destroyed = 0;
		watched = a;
		refill_with = x;
		seen_kid0 = seen_kid1 = -1;
		a->kid[0] = &l->base; /* a owns the watcher's only reference */
		link_to(a, 1, x);
		if (in_collection)
			link_to(x, 0, a); /* a cycle: a goes in the collector's tear down */
		rc_decref(&x->base);
		rc_decref(&a->base);
		if (in_collection)
			assert_int_equal(rc_collect(h), 2);
		assert_int_equal(seen_kid0, 0);
		assert_int_equal(seen_kid1, 1);
		assert_int_equal(map_destroyed, 2);
		destroy_clean(h);
	}
}

/* A map field holding a reference its owner does not own: the clear's release is a double
 * release, reported (the quarantine keeps the freed header readable), never a crash. */
static void test_double_release_reported(void **state)
{
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_QUARANTINE, &log);
	struct node *a = new_of(h, &map_node_type, 1);
	struct leaf *l = new_leaf(h, 1);

	(void)state;
	a->kid[0] = &l->base; /* not counted */
	rc_decref(&l->base); /* freed, into the quarantine */
	assert_int_equal(log.lines, 0);
	rc_decref(&a->base); /* clears kid[0]: releases the dead leaf */
	assert_true(log.lines >= 1);
	assert_non_null(strstr(log.last, "double release"));
	assert_int_equal(rc_heap_destroy(h), 0);
}

/* Immortal map objects: rc_heap_destroy clears their fields, freeing what they kept. */
static void test_immortal(void **state)
{
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *a = new_of(h, &map_node_type, 1), *b = new_of(h, &map_node_type, 2);

	(void)state;
	map_destroyed = 0;
	link_to(a, 3, b);
	link_to(b, 0, a);
	rc_decref(&b->base);
	rc_make_immortal(&a->base);
	assert_int_equal(rc_collect(h), 0);
	assert_heap_ok(h);
	assert_int_equal(rc_heap_destroy(h), 0);
	assert_int_equal(map_destroyed, 2);
}

/* A long chain of map objects released from its head: torn down by counting, no recursion. */
static void test_long_chain(void **state)
{
	enum { LEN = 1000000 };
	rc_heap *h = new_test_heap(0, NULL);
	struct node *head = new_of(h, &map_node_type, 0), *p = head, *q;
	rc_heap_stats st;

	(void)state;
	map_destroyed = 0;
	for (int i = 1; i < LEN; i++) {
		q = new_of(h, &map_node_type, i);
		p->kid[i % NODE_KIDS] = &q->base; /* takes over q's reference */
		p = q;
	}
	rc_decref(&head->base);
	assert_int_equal(map_destroyed, LEN);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	destroy_clean(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_agree),
		cmocka_unit_test(test_forms_mixed),
		cmocka_unit_test(test_bad_descriptors),
		cmocka_unit_test(test_good_descriptors),
		cmocka_unit_test(test_map_and_traverse),
		cmocka_unit_test(test_finalizer_resurrects),
		cmocka_unit_test(test_finalizer_at_zero),
		cmocka_unit_test(test_weakref),
		cmocka_unit_test(test_clear_reentrancy),
		cmocka_unit_test(test_double_release_reported),
		cmocka_unit_test(test_immortal),
		cmocka_unit_test(test_long_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
