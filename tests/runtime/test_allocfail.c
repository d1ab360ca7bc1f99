/* test_allocfail.c - allocation failure injected through the allocator hooks: a scenario
 * (rings, chains, leaves, sized objects, weakrefs, an immortal, finalizers that allocate,
 * automatic and explicit collections, many candidate roots) is run once to count its
 * allocations, then once per N with the Nth allocation failing. Every run must end with no
 * crash, a clean heap check after each step, and every byte returned. */
#include "testutil.h"

/* Counting allocator: a header per block keeps every live block on a list, so that the test
 * can tell exactly what is still allocated. */
struct block {
	struct block *prev, *next;
	size_t size;
	size_t pad;
};

struct failing {
	unsigned long count;   /* allocations so far */
	unsigned long fail_at; /* 0: never */
	unsigned long failed;
	size_t live_blocks, live_bytes;
	struct block head;
};

static void *f_alloc(void *ctx, size_t size)
{
	struct failing *f = ctx;
	struct block *b;

	if (++f->count == f->fail_at) {
		f->failed++;
		return NULL;
	}
	b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->size = size;
	b->next = f->head.next;
	b->prev = &f->head;
	f->head.next->prev = b;
	f->head.next = b;
	f->live_blocks++;
	f->live_bytes += size;
	return b + 1;
}

static void f_free(void *ctx, void *ptr, size_t size)
{
	struct failing *f = ctx;
	struct block *b = (struct block *)ptr - 1;

	assert_int_equal(b->size, size); /* free gets the size that was allocated */
	b->prev->next = b->next;
	b->next->prev = b->prev;
	f->live_blocks--;
	f->live_bytes -= size;
	free(b);
}

static void free_leftovers(struct failing *f)
{
	while (f->head.next != &f->head) {
		struct block *b = f->head.next;
		f_free(f, b + 1, b->size);
	}
}

/* A finalizer that allocates (and may be refused). */
static size_t fin_allocs_failed;

static void alloc_finalize(rc_object *self)
{
	rc_object *tmp = rc_new(rc_heap_of(self), &leaf_type);
	if (tmp)
		rc_decref(tmp);
	else
		fin_allocs_failed++;
}

static void an_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	node_type.traverse(self, visit, arg);
}

static void an_clear(rc_object *self)
{
	node_type.clear(self);
}

static const rc_type allocnode_type = {
	.name = "allocnode",
	.size = sizeof(struct node),
	.traverse = an_traverse,
	.clear = an_clear,
	.finalize = alloc_finalize,
};

static void check(rc_heap *h, unsigned flags)
{
	if (flags & RC_HEAP_TRACK_ALL)
		assert_int_equal(rc_heap_check(h, stderr), 0);
}

static void cb(rc_weakref *w, void *arg)
{
	(void)w;
	(*(int *)arg)++;
}

enum { RING = 6, NRINGS = 60 };

/* Returns what rc_heap_destroy returned (SIZE_MAX when the heap could not be created). */
static size_t scenario(struct failing *f, unsigned flags)
{
	rc_heap_options o = { 0 };
	rc_allocator a = { f_alloc, f_free, f };
	rc_heap *h = NULL;
	struct node *rings[NRINGS][RING];
	rc_weakref *weak[NRINGS];
	int calls = 0;
	rc_object *imm;

	o.flags = flags;
	o.allocator = &a;
	o.gc_threshold = 64;
	if (rc_heap_new(&h, &o) != 0)
		return SIZE_MAX;
	memset(rings, 0, sizeof rings);
	for (int r = 0; r < NRINGS; r++) {
		const rc_type *t = r % 7 == 3 ? &allocnode_type : &node_type;
		for (int i = 0; i < RING; i++)
			rings[r][i] = (struct node *)rc_new(h, t);
		for (int i = 0; i < RING; i++) {
			struct node *n = rings[r][i], *m = rings[r][(i + 1) % RING];
			if (n && m)
				n->kid[0] = rc_newref(&m->base);
			if (n && i == 0)
				n->kid[1] = rc_new_sized(h, &leaf_type, sizeof(struct leaf) + 16 * (size_t)r);
		}
		weak[r] = rings[r][0] ? rc_weakref_new(&rings[r][0]->base, cb, &calls) : NULL;
	}
	check(h, flags);
	imm = rc_new(h, &node_type);
	if (imm) {
		rc_make_immortal(imm);
		if (rings[0][1])
			((struct node *)imm)->kid[0] = rc_newref(&rings[0][1]->base);
	}
	/* drop every other ring (automatic collections run at the safe points below) */
	for (int r = 0; r < NRINGS; r += 2)
		for (int i = 0; i < RING; i++)
			rc_xdecref(rings[r][i] ? &rings[r][i]->base : NULL);
	for (int k = 0; k < 100; k++)
		rc_xdecref(rc_new(h, &leaf_type));
	check(h, flags);
	rc_collect(h);
	check(h, flags);
	for (int r = 1; r < NRINGS; r += 2)
		for (int i = 0; i < RING; i++)
			rc_xdecref(rings[r][i] ? &rings[r][i]->base : NULL);
	rc_collect(h);
	check(h, flags);
	for (int r = 0; r < NRINGS; r++)
		rc_xdecref(weak[r] ? RC_WEAKREF_OBJ(weak[r]) : NULL);
	return rc_heap_destroy(h);
}

static void run_all(unsigned flags)
{
	struct failing f;
	unsigned long total;
	size_t leaked;

	memset(&f, 0, sizeof f);
	f.head.next = f.head.prev = &f.head;
	leaked = scenario(&f, flags);
	assert_int_equal(leaked, 0);
	assert_int_equal(f.live_blocks, 0);
	total = f.count;
	assert_true(total > 400); /* the scenario grows the root buffer and tables */
	for (unsigned long n = 1; n <= total + 1; n++) {
		memset(&f, 0, sizeof f);
		f.head.next = f.head.prev = &f.head;
		f.fail_at = n;
		leaked = scenario(&f, flags);
		if (leaked == SIZE_MAX) {
			assert_int_equal(n, 1); /* only the heap's own allocation can stop the scenario */
			assert_int_equal(f.live_blocks, 0);
			continue;
		}
		if (flags & RC_HEAP_TRACK_ALL) {
			/* a lost candidate root is recovered by a full collection: nothing leaks */
			if (leaked != 0 || f.live_blocks != 0)
				fail_msg("fail_at=%lu: leaked %zu, %zu blocks left", n, leaked, f.live_blocks);
		} else if (leaked == 0 && f.live_blocks != 0) {
			fail_msg("fail_at=%lu: %zu blocks left but no leak reported", n, f.live_blocks);
		}
		free_leftovers(&f);
	}
}

static void test_fail_every_allocation_tracked(void **state)
{
	(void)state;
	run_all(RC_HEAP_TRACK_ALL);
}

static void test_fail_every_allocation_untracked(void **state)
{
	(void)state;
	run_all(0);
}

/* The collector itself allocates nothing: with every allocation refused, a collection of a
 * large garbage set still completes and frees it. */
static void test_collector_allocates_nothing(void **state)
{
	(void)state;
	struct failing f;
	rc_allocator a = { f_alloc, f_free, &f };
	rc_heap_options o = { .allocator = &a, .flags = RC_HEAP_GC_DISABLED };
	rc_heap *h = NULL;
	enum { N = 100 };
	struct node *n[N];

	memset(&f, 0, sizeof f);
	f.head.next = f.head.prev = &f.head;
	assert_int_equal(rc_heap_new(&h, &o), 0);
	for (int i = 0; i < N; i++)
		n[i] = new_node(h, i);
	for (int i = 0; i < N; i++)
		link_to(n[i], 0, n[(i + 1) % N]);
	for (int i = 0; i < N; i++)
		rc_decref(&n[i]->base);
	f.fail_at = f.count + 1;
	unsigned long before = f.count;
	f.fail_at = 0;
	/* from now on, count every allocation attempt: there must be none */
	assert_int_equal(rc_collect(h), N);
	assert_int_equal(f.count, before);
	assert_int_equal(rc_heap_destroy(h), 0);
	assert_int_equal(f.live_blocks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_every_allocation_tracked),
		cmocka_unit_test(test_fail_every_allocation_untracked),
		cmocka_unit_test(test_collector_allocates_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
