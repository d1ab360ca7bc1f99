/* test_pool.c - the per-heap small-object pool (runtime/src/pool.h): which heaps pool, reuse
 * of freed chunks, statistics, the slab cap standing in for an allocator failure, the
 * checker, large objects beside the pool, every slab returned at teardown, and (ASan builds)
 * a use after free of a pooled object still reported. */
#include "testutil.h"

#include <sys/wait.h>
#include <unistd.h>

/* Sized objects of a collectable type with one child (rc_new_sized adds 8 bytes of size). */
struct blob {
	rc_object base;
	rc_object *kid;
};

static void blob_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct blob *b = (struct blob *)self;
	if (b->kid)
		visit(b->kid, arg);
}

static void blob_clear(rc_object *self)
{
	rc_clear_field(&((struct blob *)self)->kid);
}

static const rc_type blob_type = {
	.name = "blob", .size = sizeof(struct blob), .traverse = blob_traverse, .clear = blob_clear,
};

static void *count_alloc(void *ctx, size_t size)
{
	(*(size_t *)ctx)++;
	return malloc(size);
}

static void count_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

/* Bytes of a node of a TRACK_ALL heap: track words, link word, the node. */
#define NODE_BYTES (2 * sizeof(void *) + sizeof(void *) + sizeof(struct node))

/* Heaps without hooks pool; heaps with hooks see one hook call per object. */
static void test_which_heaps_pool(void **state)
{
	(void)state;
	size_t calls = 0, before;
	rc_allocator a = { count_alloc, count_free, &calls };
	rc_heap_options o = { .allocator = &a };
	rc_heap *h = NULL, *p = new_test_heap(0, NULL);
	rc_object *x[10];

	assert_true(rc__test_pooled(p));
	assert_int_equal(rc_heap_new(&h, &o), 0);
	assert_false(rc__test_pooled(h));
	x[0] = rc_new(h, &leaf_type); /* first object also makes the type record */
	before = calls;
	for (int i = 1; i < 10; i++)
		x[i] = rc_new(h, &leaf_type);
	assert_int_equal(calls - before, 9);
	for (int i = 0; i < 10; i++)
		rc_decref(x[i]);
	assert_int_equal(rc__test_pool_slabs(h), 0);
	assert_int_equal(rc_heap_destroy(h), 0);
	destroy_clean(p);
}

/* Freed chunks are reused: a long alloc/free loop (and collections of cycles) stays within
 * one slab; live_bytes follows the objects. */
static void test_reuse_and_stats(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	rc_heap_stats st;
	size_t empty_bytes;

	rc_heap_get_stats(h, &st);
	empty_bytes = st.live_bytes;
	for (int i = 0; i < 100000; i++) {
		struct node *a = new_node(h, i), *b = new_node(h, i);
		link_to(a, 0, b);
		link_to(b, 0, a);
		rc_decref(&a->base);
		rc_decref(&b->base);
		if (i % 1000 == 999)
			assert_int_equal(rc_collect(h), 2000);
	}
	assert_int_equal(rc__test_pool_slabs(h), 1);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 0);
	/* quarantined objects (debug builds) still count: at most RC_QUARANTINE_SLOTS nodes */
	assert_true(st.live_bytes <= empty_bytes + RC_QUARANTINE_SLOTS * NODE_BYTES);
	empty_bytes = st.live_bytes;
	struct node *one = new_node(h, 0);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_bytes, empty_bytes + NODE_BYTES);
	rc_decref(&one->base);
	assert_heap_ok(h);
	destroy_clean(h);
}

/* Objects of every pooled size class and a few larger (allocated directly), linked in a
 * ring, collected; the heap checks clean at each step and every byte is given back. */
static void test_sizes(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	rc_heap_stats st;
	struct blob *first = NULL, *prev = NULL, *b;
	size_t n = 0, sz;

	for (sz = sizeof(struct blob); sz <= 400; sz += 3) {
		b = (struct blob *)rc_new_sized(h, &blob_type, sz);
		assert_non_null(b);
		assert_int_equal((uintptr_t)b % 8, 0);
		memset(b + 1, 0xab, sz - sizeof *b); /* the whole payload is usable */
		if (prev) {
			rc_set_field(&prev->kid, &b->base);
		} else {
			first = b;
		}
		prev = b;
		n++;
	}
	rc_set_field(&prev->kid, rc_newref(&first->base));
	assert_heap_ok(h);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, n);
	rc_decref(&first->base); /* the ring is now only held by itself */
	assert_int_equal(rc_collect(h), (long)n);
	assert_heap_ok(h);
	destroy_clean(h);
}

/* The slab cap stands in for an allocator failure inside the pool: rc_new returns NULL, the
 * heap stays consistent, freed chunks are still handed out, large objects are unaffected, and
 * lifting the cap lets the pool grow again. */
static void test_slab_failure(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *ring = NULL, *prev = NULL, *n;
	rc_object *big, *again;
	size_t count = 0;

	rc__test_pool_set_slab_limit(h, 1);
	for (;;) {
		n = (struct node *)rc_new(h, &node_type);
		if (!n)
			break;
		if (prev)
			link_to(prev, 0, n);
		else
			ring = (struct node *)rc_newref(&n->base);
		rc_decref(&n->base);
		prev = n;
		count++;
		assert_true(count < 1000000);
	}
	assert_true(count > 100); /* one slab holds many objects */
	assert_int_equal(rc__test_pool_slabs(h), 1);
	assert_heap_ok(h);
	big = rc_new_sized(h, &blob_type, 1000); /* not pooled: still allocated */
	assert_non_null(big);
	rc_decref(big);
	assert_null(rc_new(h, &node_type));
	/* close the ring, drop it, collect: the chunks come back and can be reused */
	link_to(prev, 0, ring);
	rc_decref(&ring->base);
	assert_int_equal(rc_collect(h), (long)count);
	assert_heap_ok(h);
	again = rc_new(h, &node_type);
	assert_non_null(again);
	rc_decref(again);
	rc__test_pool_set_slab_limit(h, 0);
	for (size_t i = 0; i < count + 10; i++) {
		n = new_node(h, 0);
		rc_decref(&n->base);
	}
	assert_int_equal(rc__test_pool_slabs(h), 1); /* acyclic: each freed at once, reused */
	destroy_clean(h);
}

/* rc_heap_check reports a free list that leads outside the pool's slabs. */
static void test_checker_finds_bad_free_list(void **state)
{
	(void)state;
	static uint64_t not_a_chunk[8];
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	size_t sz = NODE_BYTES;
	void *old;
	FILE *out = tmpfile();
	char line[256] = "";

	assert_non_null(out);
	rc_decref(&new_node(h, 1)->base);
	assert_heap_ok(h);
	old = rc__test_pool_swap_free_head(h, sz, not_a_chunk);
	assert_int_equal(rc_heap_check(h, out), 1);
	rewind(out);
	assert_non_null(fgets(line, sizeof line, out));
	assert_non_null(strstr(line, "outside the pool's slabs"));
	fclose(out);
	rc__test_pool_swap_free_head(h, sz, old);
	assert_heap_ok(h);
	destroy_clean(h);
}

/* Under ASan, touching a pooled object after its memory went back to the pool is reported
 * (the child process dies with ASan's report); skipped in other builds. */
static void test_asan_use_after_free(void **state)
{
	(void)state;
	int status, fd[2];
	char buf[4096];
	ssize_t got;
	size_t len = 0;
	pid_t pid;

	if (!rc__test_asan())
		skip();
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		rc_heap *h = NULL;
		rc_object *victim;
		volatile uint32_t sink;

		dup2(fd[1], 2);
		close(fd[0]);
		if (rc_heap_new(&h, NULL) != 0)
			_exit(3);
		victim = rc_new(h, &leaf_type);
		rc_decref(victim);
		/* push it out of the quarantine (debug builds keep the last RC_QUARANTINE_SLOTS) */
		for (int i = 0; i < 2 * RC_QUARANTINE_SLOTS; i++)
			rc_decref(rc_new(h, &node_type));
		sink = victim->rc__refcnt;
		(void)sink;
		_exit(0);
	}
	close(fd[1]);
	while (len < sizeof buf - 1 && (got = read(fd[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)got;
	buf[len] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_non_null(strstr(buf, "AddressSanitizer"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_which_heaps_pool),
		cmocka_unit_test(test_reuse_and_stats),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_slab_failure),
		cmocka_unit_test(test_checker_finds_bad_free_list),
		cmocka_unit_test(test_asan_use_after_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
