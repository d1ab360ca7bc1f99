/* test_deep.c - ten million objects: a chain released by dropping its head, and a ring
 * collected by rc_collect, under an 8 MB stack (so any recursion per object would crash).
 * N can be lowered with RC_DEEP_N for quick runs. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <sys/resource.h>
#include <time.h>

struct link1 {
	rc_object base;
	rc_object *next;
};

static size_t link_destroyed;

static void l1_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct link1 *l = (struct link1 *)self;
	if (l->next)
		visit(l->next, arg);
}

static void l1_clear(rc_object *self)
{
	rc_clear_field(&((struct link1 *)self)->next);
}

static void l1_destroy(rc_object *self)
{
	(void)self;
	link_destroyed++;
}

static const rc_type link1_type = {
	.name = "link1",
	.size = sizeof(struct link1),
	.traverse = l1_traverse,
	.clear = l1_clear,
	.destroy = l1_destroy,
};

static size_t deep_n(void)
{
	const char *e = getenv("RC_DEEP_N");
	return e ? (size_t)strtoull(e, NULL, 10) : 10000000u;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* head -> ... -> tail; returns head (one reference owned by the caller) and the tail. */
static struct link1 *build_chain(rc_heap *h, size_t n, struct link1 **tail)
{
	struct link1 *head = (struct link1 *)rc_new(h, &link1_type), *cur = head;
	assert_non_null(head);
	for (size_t i = 1; i < n; i++) {
		struct link1 *nx = (struct link1 *)rc_new(h, &link1_type);
		assert_non_null(nx);
		cur->next = &nx->base; /* steals our reference */
		cur = nx;
	}
	*tail = cur;
	return head;
}

static void test_chain_release(void **state)
{
	(void)state;
	size_t n = deep_n();
	rc_heap *h = new_test_heap(RC_HEAP_GC_DISABLED, NULL);
	struct link1 *tail, *head = build_chain(h, n, &tail);
	rc_heap_stats st;
	double t0;

	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, n);
	link_destroyed = 0;
	t0 = now();
	rc_decref(&head->base);
	printf("chain of %zu released in %.2fs\n", n, now() - t0);
	assert_int_equal(link_destroyed, n);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	assert_int_equal(rc_heap_destroy(h), 0);
}

static void test_ring_collect(void **state)
{
	(void)state;
	size_t n = deep_n();
	rc_heap *h = new_test_heap(RC_HEAP_GC_DISABLED, NULL);
	struct link1 *tail, *head = build_chain(h, n, &tail);
	rc_heap_stats st;
	double t0;
	long freed;

	tail->next = rc_newref(&head->base);
	/* an outside reference keeps the ring: nothing collected, counts restored */
	assert_int_equal(rc_collect(h), 0);
	rc_collect(h);
	assert_int_equal(rc_refcount(&head->base), 2);
	link_destroyed = 0;
	rc_decref(&head->base);
	t0 = now();
	freed = rc_collect(h);
	printf("ring of %zu collected in %.2fs\n", n, now() - t0);
	assert_int_equal(freed, (long)n);
	assert_int_equal(link_destroyed, n);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	assert_int_equal(rc_heap_destroy(h), 0);
}

/* A chain whose middle is still referenced from outside: collection keeps the tail half,
 * which is found reachable late (after being moved to the tentative list). */
static void test_ring_with_inner_ref(void **state)
{
	(void)state;
	size_t n = deep_n() / 10 + 2;
	rc_heap *h = new_test_heap(RC_HEAP_GC_DISABLED, NULL);
	struct link1 *tail, *head = build_chain(h, n, &tail), *mid = head;

	for (size_t i = 0; i < n / 2; i++)
		mid = (struct link1 *)mid->next;
	rc_incref(&mid->base);
	tail->next = rc_newref(&head->base);
	rc_decref(&head->base);
	assert_int_equal(rc_collect(h), 0); /* the ring is reachable through mid */
	assert_int_equal(rc_refcount(&head->base), 1);
	assert_int_equal(rc_refcount(&mid->base), 2);
	rc_decref(&mid->base);
	assert_int_equal(rc_collect(h), (long)n);
	assert_int_equal(rc_heap_destroy(h), 0);
}

int main(void)
{
	/* the default 8 MB stack, whatever the environment says */
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 8u << 20)) {
		rl.rlim_cur = 8u << 20;
		setrlimit(RLIMIT_STACK, &rl);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_release),
		cmocka_unit_test(test_ring_collect),
		cmocka_unit_test(test_ring_with_inner_ref),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
