/* test_core.c - allocation, counting, teardown and basic cycle collection. */
#include "testutil.h"

static void test_alloc_release_leaf(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	size_t before = leaves_destroyed;
	struct leaf *l = new_leaf(h, 42);
	rc_heap_stats st;

	assert_int_equal(rc_refcount(&l->base), 1);
	assert_ptr_equal(rc_type_of(&l->base), &leaf_type);
	assert_ptr_equal(rc_heap_of(&l->base), h);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 1);
	assert_int_equal(st.live_collectable, 0);
	assert_int_equal(st.total_refs, 1);
	rc_incref(&l->base);
	assert_int_equal(rc_refcount(&l->base), 2);
	rc_decref(&l->base);
	assert_int_equal(leaves_destroyed, before);
	assert_false(rc__test_is_buffered(&l->base));
	rc_decref(&l->base);
	assert_int_equal(leaves_destroyed, before + 1);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	assert_int_equal(st.freed_total, 1);
	destroy_clean(h);
}

static void test_zero_filled_and_sized(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *n = new_node(h, 0);
	unsigned char *big;

	for (int i = 0; i < NODE_KIDS; i++)
		assert_null(n->kid[i]);
	big = (unsigned char *)rc_new_sized(h, &leaf_type, sizeof(struct leaf) + 1000);
	assert_non_null(big);
	for (size_t i = sizeof(rc_object); i < sizeof(struct leaf) + 1000; i++)
		assert_int_equal(big[i], 0);
	memset(big + sizeof(rc_object), 0xab, sizeof(struct leaf) + 1000 - sizeof(rc_object));
	assert_int_equal(rc_heap_count_type(h, &leaf_type), 1);
	assert_null(rc_new_sized(h, &leaf_type, sizeof(rc_object) - 1));
	rc_decref((rc_object *)big);
	rc_decref(&n->base);
	destroy_clean(h);
}

static void test_invalid_type(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(0, NULL);
	rc_type no_clear = { .name = "bad", .size = sizeof(struct node), .traverse = node_type.traverse };
	rc_type small = { .name = "small", .size = 4 };

	assert_null(rc_new(h, &no_clear));
	assert_null(rc_new(h, &small));
	assert_null(rc_new(h, NULL));
	assert_null(rc_new(NULL, &leaf_type));
	destroy_clean(h);
}

static void test_children_released(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	size_t before = nodes_destroyed;
	struct node *a = new_node(h, 1), *b = new_node(h, 2);

	link_to(a, 0, b);
	rc_decref(&b->base); /* a owns b now */
	assert_int_equal(rc_refcount(&b->base), 1);
	assert_heap_ok(h);
	rc_decref(&a->base);
	assert_int_equal(nodes_destroyed, before + 2);
	destroy_clean(h);
}

static void test_two_cycle_collected(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	size_t before = nodes_destroyed;
	struct node *a = new_node(h, 1), *b = new_node(h, 2);
	rc_heap_stats st;

	link_to(a, 0, b);
	link_to(b, 0, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(nodes_destroyed, before);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 2);
	assert_int_equal(st.candidate_roots, 2);
	assert_heap_ok(h);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(nodes_destroyed, before + 2);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	assert_int_equal(st.collected, 2);
	assert_int_equal(st.collections, 1);
	assert_int_equal(rc_collect(h), 0);
	destroy_clean(h);
}

static void test_self_reference(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = new_node(h, 1);

	link_to(a, 0, a);
	link_to(a, 1, a);
	assert_int_equal(rc_refcount(&a->base), 3);
	rc_decref(&a->base);
	assert_int_equal(rc_collect(h), 1);
	destroy_clean(h);
}

static void test_cycle_kept_by_outside_ref(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *n[5];

	for (int i = 0; i < 5; i++)
		n[i] = new_node(h, i);
	for (int i = 0; i < 5; i++)
		link_to(n[i], 0, n[(i + 1) % 5]);
	for (int i = 1; i < 5; i++)
		rc_decref(&n[i]->base);
	assert_int_equal(rc_collect(h), 0);
	assert_heap_ok(h);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rc_refcount(&n[i]->base), i == 0 ? 2 : 1);
	rc_decref(&n[0]->base);
	assert_int_equal(rc_collect(h), 5);
	destroy_clean(h);
}

/* A live object holding a reference into a dead cycle's member, and a cycle hanging off a
 * live object: only the unreachable cycle goes. */
static void test_cycle_hanging_off_live(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *live = new_node(h, 0), *a = new_node(h, 1), *b = new_node(h, 2);
	struct node *c = new_node(h, 3), *d = new_node(h, 4);
	rc_heap_stats st;

	/* live -> a <-> b  (reachable cycle) */
	link_to(live, 0, a);
	link_to(a, 0, b);
	link_to(b, 0, a);
	/* c <-> d -> live  (dead cycle pointing at a live object) */
	link_to(c, 0, d);
	link_to(d, 0, c);
	link_to(d, 1, live);
	rc_decref(&a->base);
	rc_decref(&b->base);
	rc_decref(&c->base);
	rc_decref(&d->base);
	assert_int_equal(rc_collect(h), 2);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 3);
	assert_int_equal(rc_refcount(&live->base), 1);
	assert_int_equal(rc_refcount(&a->base), 2);
	assert_heap_ok(h);
	rc_decref(&live->base);
	assert_int_equal(rc_collect(h), 2);
	destroy_clean(h);
}

/* A cycle with leaves hanging off it: the leaves go with it. */
static void test_cycle_with_leaves(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	size_t before = leaves_destroyed;
	struct node *a = new_node(h, 1), *b = new_node(h, 2);
	struct leaf *l = new_leaf(h, 7);

	link_to(a, 0, b);
	link_to(b, 0, a);
	rc_set_field(&a->kid[1], &l->base);
	rc_set_field(&b->kid[1], rc_newref(&l->base));
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(leaves_destroyed, before + 1);
	destroy_clean(h);
}

/* Many independent cycles of different lengths, some kept alive. */
static void test_many_cycles(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *keep[50];
	long expect = 0;

	for (int len = 1; len <= 50; len++) {
		struct node *first = new_node(h, 0), *prev = first;
		for (int i = 1; i < len; i++) {
			struct node *n = new_node(h, i);
			link_to(prev, 0, n);
			rc_decref(&n->base);
			prev = n;
		}
		link_to(prev, 0, first);
		keep[len - 1] = first;
		if (len % 3)
			expect += len;
	}
	for (int len = 1; len <= 50; len++)
		if (len % 3)
			rc_decref(&keep[len - 1]->base);
	assert_int_equal(rc_collect(h), expect);
	assert_heap_ok(h);
	for (int len = 1; len <= 50; len++)
		if (!(len % 3))
			rc_decref(&keep[len - 1]->base);
	assert_true(rc_collect(h) > 0);
	destroy_clean(h);
}

static void test_automatic_collection(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	rc_heap_stats st;

	assert_int_equal(rc_gc_set_threshold(h, 0), RC_EINVAL);
	assert_int_equal(rc_gc_set_threshold(h, 10), 0);
	assert_int_equal(rc_gc_get_threshold(h), 10);
	assert_true(rc_gc_is_enabled(h));
	for (int i = 0; i < 100; i++) {
		struct node *a = new_node(h, 1), *b = new_node(h, 2);
		link_to(a, 0, b);
		link_to(b, 0, a);
		rc_decref(&a->base);
		rc_decref(&b->base);
	}
	rc_heap_get_stats(h, &st);
	assert_true(st.collections >= 5);
	assert_true(st.live_objects <= 24);
	rc_gc_disable(h);
	assert_false(rc_gc_is_enabled(h));
	size_t c0 = st.collections;
	for (int i = 0; i < 100; i++) {
		struct node *a = new_node(h, 1), *b = new_node(h, 2);
		link_to(a, 0, b);
		link_to(b, 0, a);
		rc_decref(&a->base);
		rc_decref(&b->base);
	}
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.collections, c0);
	assert_true(st.live_objects >= 200);
	rc_gc_enable(h);
	destroy_clean(h);
}

/* A leaf whose destroy reads a field of its owner: rc_set_field / rc_clear_field must have
 * updated the field before the old value is released. */
static struct node *watched_owner;
static rc_object *seen_in_destroy;
static int destroy_ran;

static void watcher_destroy(rc_object *self)
{
	(void)self;
	destroy_ran = 1;
	seen_in_destroy = watched_owner->kid[0];
}

static const rc_type watcher_type = { .name = "watcher", .size = sizeof(struct leaf), .destroy = watcher_destroy };

static void test_field_helpers(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *owner = new_node(h, 1);
	rc_object *w1 = rc_new(h, &watcher_type), *w2 = rc_new(h, &watcher_type);

	rc_xincref(NULL);
	rc_xdecref(NULL);
	assert_null(rc_xnewref(NULL));
	assert_ptr_equal(rc_xnewref(w1), w1);
	rc_decref(w1);
	watched_owner = owner;
	rc_set_field(&owner->kid[0], w1); /* steals */
	rc_set_field(&owner->kid[0], w2); /* releases w1: its destroy sees w2 already stored */
	assert_true(destroy_ran);
	assert_ptr_equal(seen_in_destroy, w2);
	destroy_ran = 0;
	rc_clear_field(&owner->kid[0]); /* releases w2: its destroy sees NULL */
	assert_true(destroy_ran);
	assert_null(seen_in_destroy);
	rc_clear_field(&owner->kid[0]); /* NULL field: nothing */
	rc_set_field(&owner->kid[1], NULL);
	assert_null(owner->kid[1]);
	rc_decref(&owner->base);
	destroy_clean(h);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(rc_strerror(RC_ENOMEM), "out of memory");
	assert_string_equal(rc_strerror(RC_EBUSY), "a collection is already running on this heap");
	assert_string_equal(rc_strerror(RC_EDEAD), "the object is dead");
	assert_string_equal(rc_strerror(12345), "unknown error");
	assert_string_equal(rc_strerror(0), "unknown error");
}

static void test_header_size(void **state)
{
	(void)state;
	assert_int_equal(rc_header_size(&node_type), 24);
	assert_int_equal(rc_header_size(&leaf_type), 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_release_leaf),
		cmocka_unit_test(test_zero_filled_and_sized),
		cmocka_unit_test(test_invalid_type),
		cmocka_unit_test(test_children_released),
		cmocka_unit_test(test_two_cycle_collected),
		cmocka_unit_test(test_self_reference),
		cmocka_unit_test(test_cycle_kept_by_outside_ref),
		cmocka_unit_test(test_cycle_hanging_off_live),
		cmocka_unit_test(test_cycle_with_leaves),
		cmocka_unit_test(test_many_cycles),
		cmocka_unit_test(test_automatic_collection),
		cmocka_unit_test(test_field_helpers),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_header_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
