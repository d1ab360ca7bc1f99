/*
 * test_generations.c - RC_HEAP_GENERATIONS (rc.h; docs/collector.md, "Generations"): survivors
 * become old, automatic collections are minor (old objects are outside owners) until a major
 * one is due, rc_collect is always major. What must hold: a minor collection never frees a
 * live object and frees young garbage; garbage that an old object holds, or that holds one,
 * survives minors only as candidates, and is freed by rc_collect, or by the automatic
 * collections alone within the bound (RC__MAX_MINORS minors in a row), even when the old
 * object was written after it became old; a heap without the flag never makes anything old.
 */
#include "testutil.h"

/* A heap with generations (and tracking, for the checker) whose automatic collection runs at
 * the first safe point past `threshold` candidate roots. */
static rc_heap *gen_heap(unsigned flags, size_t threshold)
{
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | flags, NULL);
	assert_int_equal(rc_gc_set_threshold(h, threshold), 0);
	return h;
}

/* Makes o a candidate root (a release to a non-zero count). */
static void touch(struct node *o)
{
	rc_incref(&o->base);
	rc_decref(&o->base);
}

/* Allocates and drops one node: a safe point (an automatic collection may run). */
static void safe_point(rc_heap *h)
{
	struct node *t = new_node(h, -1);
	rc_decref(&t->base);
}

static size_t collections(rc_heap *h)
{
	rc_heap_stats st;
	rc_heap_get_stats(h, &st);
	return st.collections;
}

/* A survivor of an automatic collection is old, and the collection was minor. */
static struct node *old_node(rc_heap *h)
{
	struct node *x = new_node(h, 1);
	size_t c = collections(h);
	touch(x);
	safe_point(h);
	assert_int_equal(collections(h), c + 1);
	assert_true(rc__test_last_minor(h));
	assert_true(rc__test_is_old(&x->base));
	return x;
}

static void minor_frees_young_garbage_keeps_live(void **state)
{
	(void)state;
	rc_heap *h = gen_heap(RC_HEAP_GENERATIONS, 1);
	struct node *x = old_node(h);
	struct node *a = new_node(h, 2), *b = new_node(h, 3), *c = new_node(h, 4);
	size_t before = nodes_destroyed;

	/* young c is held by old x only: live; a <-> b is young garbage */
	link_to(x, 0, c);
	rc_decref(&c->base);
	link_to(a, 0, b);
	link_to(b, 0, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	touch(c);
	safe_point(h);
	assert_true(rc__test_last_minor(h));
	assert_int_equal(nodes_destroyed, before + 2 + 1); /* a, b and the safe point's node */
	assert_int_equal(rc_refcount(&c->base), 1);
	assert_true(rc__test_is_old(&c->base));
	assert_heap_ok(h);
	rc_decref(&x->base);
	assert_int_equal(rc_collect(h), 0); /* x and c freed by counting already */
	destroy_clean(h);
}

/* x is old; it is then written to hold a new y that holds x back, and both are dropped: a
 * minor collection keeps them (x is an outside owner) but y stays a candidate; the major
 * rc_collect frees both. */
static void written_after_old_freed_by_major(void **state)
{
	(void)state;
	rc_heap *h = gen_heap(RC_HEAP_GENERATIONS, 1);
	struct node *x = old_node(h);
	struct node *y = new_node(h, 2);
	size_t before = nodes_destroyed;

	link_to(x, 1, y);
	link_to(y, 0, x);
	rc_decref(&y->base);
	rc_decref(&x->base);
	assert_true(rc__test_is_buffered(&x->base));
	assert_true(rc__test_is_buffered(&y->base));
	safe_point(h);
	assert_true(rc__test_last_minor(h));
	assert_int_equal(nodes_destroyed, before + 1); /* only the safe point's node */
	assert_true(rc__test_is_buffered(&x->base));  /* an old root, kept */
	assert_true(rc__test_is_buffered(&y->base));  /* reachable only through an old object: kept */
	assert_true(rc__test_is_old(&y->base));
	assert_heap_ok(h);
	assert_int_equal(rc_collect(h), 2);
	assert_false(rc__test_last_minor(h));
	assert_int_equal(nodes_destroyed, before + 3);
	destroy_clean(h);
}

/* The same garbage, in a heap with a live old population, and a program that from then on
 * only makes young garbage (nothing is promoted, two old roots wait): no rule but the bound
 * on minors in a row makes a major collection due, and the automatic collections alone free
 * the garbage with the first major after RC__MAX_MINORS minors. */
static void old_garbage_freed_within_bound(void **state)
{
	(void)state;
	enum { BALLAST = 40 };
	rc_heap *h = gen_heap(RC_HEAP_GENERATIONS, 1);
	struct node *ballast[BALLAST], *x = new_node(h, 1), *y;
	rc_weakref *wx = rc_weakref_new(&x->base, NULL, NULL);
	size_t c0, n;
	int i;

	assert_non_null(wx);
	for (i = 0; i < BALLAST; i++) {
		ballast[i] = new_node(h, 100 + i);
		touch(ballast[i]);
	}
	touch(x);
	assert_int_equal(rc_collect(h), 0); /* major: all old, old_base = 42 */
	assert_true(rc__test_is_old(&x->base));
	y = new_node(h, 2);
	link_to(x, 1, y);
	link_to(y, 0, x);
	rc_decref(&y->base);
	rc_decref(&x->base);
	c0 = collections(h);
	for (n = 0; n < 100000 && rc_weakref_alive(wx); n++) {
		struct node *a = new_node(h, 10), *b = new_node(h, 11);
		link_to(a, 0, b);
		link_to(b, 0, a);
		rc_decref(&a->base);
		rc_decref(&b->base);
		if (rc_weakref_alive(wx))
			assert_true(rc__test_last_minor(h));
	}
	assert_false(rc_weakref_alive(wx));
	assert_false(rc__test_last_minor(h));
	assert_int_equal(collections(h) - c0, RC__TEST_MAX_MINORS + 1);
	rc_decref(RC_WEAKREF_OBJ(wx));
	for (i = 0; i < BALLAST; i++)
		rc_decref(&ballast[i]->base);
	assert_heap_ok(h);
	assert_true(rc_collect(h) >= 0);
	destroy_clean(h);
}

/* A live ring made old is not examined again by minor collections, even with every node a
 * candidate: the roots stay buffered and the minor examines nothing. */
static void old_live_ring_not_reexamined(void **state)
{
	(void)state;
	enum { N = 64 };
	rc_heap *h = gen_heap(RC_HEAP_GENERATIONS, 8);
	struct node *v[N];
	int i;

	for (i = 0; i < N; i++)
		v[i] = new_node(h, i);
	for (i = 0; i < N; i++)
		link_to(v[i], 0, v[(i + 1) % N]);
	for (i = 1; i < N; i++)
		rc_decref(&v[i]->base); /* held once, through v[0]; every node a candidate */
	assert_int_equal(rc_collect(h), 0); /* major: all found reachable, all old */
	for (i = 0; i < N; i++)
		assert_true(rc__test_is_old(&v[i]->base));
	for (i = 0; i < N; i++)
		touch(v[i]);
	safe_point(h);
	assert_true(rc__test_last_minor(h));
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_NONE); /* nothing examined */
	for (i = 0; i < N; i++)
		assert_true(rc__test_is_buffered(&v[i]->base));
	assert_heap_ok(h);
	rc_decref(&v[0]->base);
	assert_int_equal(rc_collect(h), N);
	destroy_clean(h);
}

static void no_flag_nothing_old(void **state)
{
	(void)state;
	rc_heap *h = gen_heap(0, 1);
	struct node *x = new_node(h, 1), *y = new_node(h, 2);
	size_t before = nodes_destroyed;

	touch(x);
	safe_point(h);
	assert_false(rc__test_last_minor(h));
	assert_false(rc__test_is_old(&x->base));
	link_to(x, 1, y);
	link_to(y, 0, x);
	rc_decref(&y->base);
	rc_decref(&x->base);
	safe_point(h);
	assert_false(rc__test_last_minor(h));
	assert_int_equal(nodes_destroyed, before + 4); /* x, y and both safe points' nodes */
	destroy_clean(h);
}

/* An allocator whose allocations fail while `fail` is set. */
struct flaky {
	bool fail;
};

static void *flaky_alloc(void *ctx, size_t size)
{
	return ((struct flaky *)ctx)->fail ? NULL : malloc(size);
}

static void flaky_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

/* A candidate root lost to a failed growth of the root buffer makes the next collection of a
 * TRACK_ALL heap a full one, and a full collection is major: a minor one would leave the old
 * roots it keeps buffered at the front while the full gather takes them into the set, so an
 * old root freed as garbage stayed in the buffer (found by libFuzzer on graph_alloc: a weak
 * reference to a live object read as gone). Here x <-> y is old garbage kept buffered by a
 * minor collection; roots are then lost, and the next automatic collection must be major,
 * free both, and leave a heap the checker and the next collections accept. */
static void lost_roots_make_a_major(void **state)
{
	(void)state;
	enum { MANY = 600 }; /* more than the buffer's first capacity (256): it must grow */
	struct flaky fl = { false };
	rc_allocator al = { flaky_alloc, flaky_free, &fl };
	rc_heap_options o = { 0 };
	rc_heap *h = NULL;
	struct node *many[MANY];

	o.flags = RC_HEAP_TRACK_ALL | RC_HEAP_GENERATIONS;
	o.allocator = &al;
	o.gc_threshold = 1;
	assert_int_equal(rc_heap_new(&h, &o), 0);
	rc__test_set_minors_only(h, true); /* else the two old roots kept make a major due */
	struct node *x = old_node(h);
	struct node *y = new_node(h, 2);
	link_to(x, 1, y);
	link_to(y, 0, x);
	rc_decref(&y->base);
	rc_decref(&x->base);
	safe_point(h);
	assert_true(rc__test_last_minor(h));
	assert_true(rc__test_is_buffered(&x->base)); /* an old root, kept at the front */

	/* candidate roots lost: the buffer cannot grow */
	rc_gc_disable(h);
	for (int i = 0; i < MANY; i++) {
		many[i] = new_node(h, 100 + i);
		rc_incref(&many[i]->base);
	}
	fl.fail = true;
	for (int i = 0; i < MANY; i++)
		rc_decref(&many[i]->base);
	fl.fail = false;
	for (int i = 0; i < MANY; i++)
		rc_decref(&many[i]->base);
	rc_gc_enable(h);

	struct node *z = new_node(h, 3); /* a new candidate root makes the next collection due */
	touch(z);
	size_t before = nodes_destroyed, c = collections(h);
	safe_point(h);
	assert_int_equal(collections(h), c + 1);
	assert_false(rc__test_last_minor(h)); /* full, hence major */
	assert_int_equal(nodes_destroyed, before + 3); /* x, y and the safe point's node */
	assert_heap_ok(h);
	for (int i = 0; i < 3; i++) {
		struct node *a = new_node(h, 1), *b = new_node(h, 2);
		link_to(a, 0, b);
		link_to(b, 0, a);
		rc_decref(&a->base);
		rc_decref(&b->base);
		safe_point(h);
		assert_heap_ok(h);
	}
	rc_decref(&z->base);
	assert_int_equal(rc_collect(h), 0);
	destroy_clean(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(minor_frees_young_garbage_keeps_live),
		cmocka_unit_test(written_after_old_freed_by_major),
		cmocka_unit_test(old_garbage_freed_within_bound),
		cmocka_unit_test(old_live_ring_not_reexamined),
		cmocka_unit_test(no_flag_nothing_old),
		cmocka_unit_test(lost_roots_make_a_major),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
