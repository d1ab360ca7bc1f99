/* test_introspect.c - statistics, per-type counts, foreach, the heap checker (which must
 * catch planted faults), the leak report at teardown, allocator hooks, independent heaps. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <pthread.h>

static void count_cb(const rc_type *type, size_t live, void *arg)
{
	size_t *c = arg;
	if (type == &node_type)
		c[0] += live;
	else if (type == &leaf_type)
		c[1] += live;
	else
		c[2] += live;
}

static void each_cb(rc_object *obj, void *arg)
{
	size_t *c = arg;
	c[rc_type_of(obj) == &node_type ? 0 : 1]++;
}

static void test_counts(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = new_node(h, 1), *b = new_node(h, 2);
	struct leaf *l = new_leaf(h, 3);
	rc_object *big = rc_new_sized(h, &leaf_type, 100);
	size_t per_type[3] = { 0 }, each[2] = { 0 };
	rc_heap_stats st;

	link_to(a, 0, b);
	rc_set_field(&a->kid[1], rc_newref(&l->base));
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 4);
	assert_int_equal(st.live_collectable, 2);
	assert_int_equal(st.total_refs, 1 + 2 + 2 + 1);
	assert_int_equal(st.allocated_total, 4);
	assert_true(st.live_bytes >= 2 * sizeof(struct node) + sizeof(struct leaf) + 100);
	assert_int_equal(rc_heap_count_type(h, &node_type), 2);
	assert_int_equal(rc_heap_count_type(h, &leaf_type), 2); /* fixed-size and sized together */
	rc_heap_foreach_type(h, count_cb, per_type);
	assert_int_equal(per_type[0], 2);
	assert_int_equal(per_type[1], 2);
	assert_int_equal(per_type[2], 0);
	assert_int_equal(rc_heap_foreach(h, each_cb, each), 0);
	assert_int_equal(each[0], 2);
	assert_int_equal(each[1], 2);
	rc_decref(big);
	rc_decref(&l->base);
	rc_decref(&b->base);
	rc_decref(&a->base);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	assert_int_equal(st.freed_total, 4);
	assert_int_equal(rc_heap_count_type(h, &node_type), 0);
	destroy_clean(h);
}

static void test_notrack(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(0, NULL);
	size_t each[2] = { 0 };
	rc_heap_stats st;

	assert_int_equal(rc_heap_check(h, NULL), RC_ENOTRACK);
	assert_int_equal(rc_heap_foreach(h, each_cb, each), RC_ENOTRACK);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.total_refs, SIZE_MAX);
	assert_int_equal(rc_heap_destroy(h), 0);
}

static void test_bad_options(void **state)
{
	(void)state;
	rc_heap *h = (rc_heap *)1;
	rc_allocator half = { NULL, NULL, NULL };
	rc_heap_options bad_flags = { .flags = 1u << 20 };
	rc_heap_options bad_alloc = { .allocator = &half };

	assert_int_equal(rc_heap_new(&h, &bad_flags), RC_EINVAL);
	assert_null(h);
	assert_int_equal(rc_heap_new(&h, &bad_alloc), RC_EINVAL);
	assert_int_equal(rc_heap_new(NULL, NULL), RC_EINVAL);
	assert_int_equal(rc_collect(NULL), RC_EINVAL);
	assert_int_equal(rc_heap_destroy(NULL), 0);
}

/* The checker must see planted faults, and say which object. */
static void test_check_catches_faults(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = new_node(h, 1), *b = new_node(h, 2);
	char buf[4096];
	FILE *out;
	long problems;

	link_to(a, 0, b);
	link_to(a, 1, b);
	assert_heap_ok(h);
	/* b's count (3) too low for the two references from a plus ours: make it 1 */
	rc__test_set_refcnt(&b->base, 1);
	out = fmemopen(buf, sizeof buf, "w");
	assert_non_null(out);
	problems = rc_heap_check(h, out);
	fclose(out);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(buf, "count 1 < 2"));
	assert_non_null(strstr(buf, "'node'"));
	rc__test_set_refcnt(&b->base, 3);
	assert_heap_ok(h);
	/* a count of zero on a live object */
	rc__test_set_refcnt(&a->base, 0);
	assert_true(rc_heap_check(h, NULL) >= 1);
	rc__test_set_refcnt(&a->base, 1);
	assert_heap_ok(h);
	rc_decref(&b->base);
	rc_decref(&a->base);
	destroy_clean(h);
}

/* The leak report at teardown names every survivor's type (and address with TRACK_ALL). */
static void test_leak_report(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, &log);
	struct node *a = new_node(h, 1);
	struct leaf *l = new_leaf(h, 2);
	struct leaf *l2 = new_leaf(h, 3);
	char addr[32];

	snprintf(addr, sizeof addr, "%p", (void *)l2);
	(void)a;
	(void)l;
	assert_int_equal(rc_heap_destroy(h), 3);
	/* 2 per-type lines + 3 per-object lines */
	assert_int_equal(log.lines, 5);
	assert_non_null(strstr(log.last, "survived"));
}

static void test_leak_report_untracked(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap_options o = { .report = record_report, .report_ctx = &log };
	rc_heap *h = NULL;
	rc_object *x;
	assert_int_equal(rc_heap_new(&h, &o), 0);
	x = rc_new(h, &leaf_type);
	assert_int_equal(rc_heap_destroy(h), 1);
	assert_int_equal(log.lines, 1);
	assert_non_null(strstr(log.last, "1 object of type 'leaf'"));
	/* a small object of a heap without hooks lives in the heap's pool, whose slabs went with
	 * the heap (LeakSanitizer would report it otherwise); a large one (not pooled) stays */
	(void)x;
}

/* Allocator hooks see every byte; free gets the allocated size. */
struct counting {
	size_t allocs, frees, bytes;
	int bad_size;
};

static void *c_alloc(void *ctx, size_t size)
{
	struct counting *c = ctx;
	size_t *p = malloc(size + sizeof(size_t) * 2);
	if (!p)
		return NULL;
	p[0] = size;
	c->allocs++;
	c->bytes += size;
	return p + 2;
}

static void c_free(void *ctx, void *ptr, size_t size)
{
	struct counting *c = ctx;
	size_t *p = (size_t *)ptr - 2;
	if (p[0] != size)
		c->bad_size = 1;
	c->frees++;
	c->bytes -= size;
	free(p);
}

static void test_allocator_hooks(void **state)
{
	(void)state;
	struct counting c = { 0 };
	rc_allocator a = { c_alloc, c_free, &c };
	rc_heap_options o = { .allocator = &a, .flags = RC_HEAP_GC_DISABLED };
	rc_heap *h = NULL;
	rc_heap_stats st;

	assert_int_equal(rc_heap_new(&h, &o), 0);
	for (int i = 0; i < 200; i++) {
		struct node *x = new_node(h, i), *y = new_node(h, i);
		rc_object *s = rc_new_sized(h, &leaf_type, sizeof(struct leaf) + (size_t)i);
		link_to(x, 0, y);
		link_to(y, 0, x);
		x->kid[1] = s;
		rc_decref(&x->base);
		rc_decref(&y->base);
	}
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 600);
	assert_int_equal(rc_collect(h), 400);
	assert_int_equal(rc_heap_destroy(h), 0);
	assert_int_equal(c.allocs, c.frees);
	assert_int_equal(c.bytes, 0);
	assert_false(c.bad_size);
}

/* Heaps are independent: stats, roots and collections of one do not touch the other. */
static void test_independent_heaps(void **state)
{
	(void)state;
	rc_heap *h1 = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	rc_heap *h2 = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = new_node(h1, 1), *b = new_node(h1, 2), *c = new_node(h2, 3);
	rc_heap_stats s1, s2;

	link_to(a, 0, b);
	link_to(b, 0, a);
	link_to(c, 0, c);
	rc_decref(&a->base);
	rc_decref(&b->base);
	rc_decref(&c->base);
	assert_int_equal(rc_collect(h2), 1);
	rc_heap_get_stats(h1, &s1);
	rc_heap_get_stats(h2, &s2);
	assert_int_equal(s1.live_objects, 2);
	assert_int_equal(s1.candidate_roots, 2);
	assert_int_equal(s2.live_objects, 0);
	assert_ptr_equal(rc_heap_of(&a->base), h1);
	assert_int_equal(rc_collect(h1), 2);
	destroy_clean(h1);
	destroy_clean(h2);
}

/* Different heaps from different threads at the same time: no shared state. */
static void *heap_worker(void *arg)
{
	long *result = arg;
	rc_heap *h = NULL;
	rc_heap_options o = { .flags = RC_HEAP_TRACK_ALL, .gc_threshold = 50 };
	long collected = 0;

	if (rc_heap_new(&h, &o) != 0)
		return NULL;
	for (int round = 0; round < 200; round++) {
		rc_object *a = rc_new(h, &node_type), *b = rc_new(h, &node_type);
		if (!a || !b)
			return NULL;
		((struct node *)a)->kid[0] = rc_newref(b);
		((struct node *)b)->kid[0] = rc_newref(a);
		rc_decref(a);
		rc_decref(b);
		if (round % 50 == 49)
			collected += rc_collect(h);
	}
	collected += rc_collect(h);
	if (rc_heap_check(h, stderr) != 0 || rc_heap_destroy(h) != 0)
		return NULL;
	*result = collected;
	return result;
}

static void test_heaps_in_threads(void **state)
{
	(void)state;
	enum { T = 4 };
	pthread_t th[T];
	long res[T] = { 0 };

	for (int i = 0; i < T; i++)
		assert_int_equal(pthread_create(&th[i], NULL, heap_worker, &res[i]), 0);
	for (int i = 0; i < T; i++) {
		void *ret = NULL;
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_ptr_equal(ret, &res[i]);
	}
	for (int i = 0; i < T; i++)
		assert_true(res[i] > 0 && res[i] <= 400); /* automatic collections took the rest */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_notrack),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_check_catches_faults),
		cmocka_unit_test(test_leak_report),
		cmocka_unit_test(test_leak_report_untracked),
		cmocka_unit_test(test_allocator_hooks),
		cmocka_unit_test(test_independent_heaps),
		cmocka_unit_test(test_heaps_in_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
