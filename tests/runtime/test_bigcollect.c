/* test_bigcollect.c - collections large and scattered enough for the collector's fast
 * outcomes (all of S garbage, all of S reachable) and its prefetching walks (children far
 * from their parents), against a reachability model computed here: the number freed, the
 * survivors' counts (rc_heap_check), user code that buffers new roots while garbage is torn
 * down (the root buffer grows under the collector), weak references and finalizers. Under
 * ASan any walk that touched freed memory fails the test. */
#include "testutil.h"

enum { N = 20000, LIVE = 2 * N };

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A node whose destroy releases a reference that traverse does not show (an outside owner of
 * `extra`, like a cache entry): releasing it during the tear down makes `extra` a candidate. */
struct dnode {
	struct node n;
	rc_object *extra[2];
};

static void dnode_destroy(rc_object *self)
{
	struct dnode *d = (struct dnode *)self;
	for (int k = 0; k < 2; k++)
		rc_clear_field(&d->extra[k]);
}

static size_t finalized;

static void dnode_finalize(rc_object *self)
{
	(void)self;
	finalized++;
}

static rc_type dnode_type;

static void init_types(void)
{
	dnode_type = node_type;
	dnode_type.name = "dnode";
	dnode_type.size = sizeof(struct dnode);
	dnode_type.destroy = dnode_destroy;
}

/* N nodes with two random children each (kid[0], kid[1]); v[i] holds the outside reference. */
static struct node **random_graph(rc_heap *h, const rc_type *t)
{
	struct node **v = calloc(N, sizeof *v);
	assert_non_null(v);
	for (int i = 0; i < N; i++) {
		v[i] = (struct node *)rc_new(h, t);
		assert_non_null(v[i]);
		v[i]->id = i;
	}
	for (int i = 0; i < N; i++) {
		link_to(v[i], 0, v[rnd() % N]);
		link_to(v[i], 1, v[rnd() % N]);
	}
	return v;
}

/* How many of the N nodes are reachable from the held ones (held[i]): the model. */
static size_t count_reachable(struct node **v, const bool *held)
{
	bool *seen = calloc(N, sizeof *seen);
	int *stack = malloc(N * sizeof *stack), sp = 0;
	size_t n = 0;

	assert_non_null(seen);
	assert_non_null(stack);
	for (int i = 0; i < N; i++)
		if (held[i] && !seen[i]) {
			seen[i] = true;
			stack[sp++] = i;
		}
	while (sp) {
		struct node *x = v[stack[--sp]];
		n++;
		for (int k = 0; k < 2; k++) {
			int c = ((struct node *)x->kid[k])->id;
			if (!seen[c]) {
				seen[c] = true;
				stack[sp++] = c;
			}
		}
	}
	free(seen);
	free(stack);
	return n;
}

/* Drops the outside references of the nodes not held, collects, checks the count freed
 * against the model, then drops the rest and collects everything. */
static void drop_and_check(rc_heap *h, struct node **v, const bool *held)
{
	size_t reachable = count_reachable(v, held), others;
	rc_heap_stats st;
	long freed, problems;

	rc_heap_get_stats(h, &st);
	others = st.live_objects - N;
	/* every node becomes a candidate root, in allocation order (held ones too) */
	for (int i = 0; i < N; i++) {
		rc_incref(&v[i]->base);
		rc_decref(&v[i]->base);
	}
	for (int i = 0; i < N; i++)
		if (!held[i])
			rc_decref(&v[i]->base); /* frees at once the nodes nothing points to */
	rc_heap_get_stats(h, &st);
	freed = rc_collect(h);
	assert_int_equal(freed, (long)(st.live_objects - others - reachable));
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, others + reachable);
	problems = rc_heap_check(h, stderr);
	assert_true(problems == 0 || problems == RC_ENOTRACK);
	for (int i = 0; i < N; i++)
		if (held[i])
			rc_decref(&v[i]->base);
	rc_collect(h);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, others);
	free(v);
}

/* All of S garbage (the fast outcome), with and without tracking. */
static void test_all_garbage(void **state)
{
	(void)state;
	static bool none[N];
	unsigned flags[2] = { 0, RC_HEAP_TRACK_ALL };

	for (int f = 0; f < 2; f++) {
		rc_heap *h = new_test_heap(flags[f] | RC_HEAP_GC_DISABLED, NULL);
		rng_state = 88172645463325252u + (uint64_t)f;
		drop_and_check(h, random_graph(h, &node_type), none);
		destroy_clean(h);
	}
}

/* All of S reachable (every node held): nothing freed, every count exact. */
static void test_all_reachable(void **state)
{
	(void)state;
	static bool all[N];
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);

	for (int i = 0; i < N; i++)
		all[i] = true;
	rng_state = 1234567u;
	drop_and_check(h, random_graph(h, &node_type), all);
	destroy_clean(h);
}

/* Some held, some not: the general partition. */
static void test_mixed(void **state)
{
	(void)state;
	static bool some[N];
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);

	rng_state = 99991u;
	for (int i = 0; i < N; i++)
		some[i] = rnd() % 64 == 0;
	drop_and_check(h, random_graph(h, &node_type), some);
	destroy_clean(h);
}

/* All garbage, and each destroy releases two hidden references to LIVE other objects: those
 * become candidate roots while the garbage is torn down, so the root buffer is written to,
 * and (LIVE being more than it holds) grows and moves under the collector's walk. */
static void test_roots_buffered_during_teardown(void **state)
{
	(void)state;
	static bool none[N];
	unsigned flags[2] = { 0, RC_HEAP_TRACK_ALL };

	init_types();
	for (int f = 0; f < 2; f++) {
		rc_heap *h = new_test_heap(flags[f] | RC_HEAP_GC_DISABLED, NULL);
		struct node **live = malloc(LIVE * sizeof *live), **v;
		rc_heap_stats st;

		assert_non_null(live);
		for (int i = 0; i < LIVE; i++)
			live[i] = new_node(h, -1);
		rng_state = 4242u + (uint64_t)f;
		v = random_graph(h, &dnode_type);
		for (int i = 0; i < N; i++)
			for (int k = 0; k < 2; k++)
				((struct dnode *)v[i])->extra[k] = rc_newref(&live[2 * i + k]->base);
		drop_and_check(h, v, none);
		rc_heap_get_stats(h, &st);
		assert_int_equal(st.live_objects, LIVE);
		for (int i = 0; i < LIVE; i++) {
			assert_int_equal(rc_refcount(&live[i]->base), 1);
			rc_decref(&live[i]->base);
		}
		free(live);
		destroy_clean(h);
	}
}

/* A 2-cycle gathered first, whose second member's destroy releases hidden references to more
 * live objects than the root buffer holds: they are all buffered at once, from inside the
 * tear down's first loop, and the buffer moves while the collector still walks it. */
struct releaser {
	struct node n;
	rc_object **hidden;
	size_t nhidden;
};

static void releaser_destroy(rc_object *self)
{
	struct releaser *r = (struct releaser *)self;
	for (size_t i = 0; i < r->nhidden; i++)
		rc_decref(r->hidden[i]);
	r->nhidden = 0;
}

static void test_buffer_moves_during_teardown(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_GC_DISABLED, NULL);
	rc_type rtype = node_type;
	size_t nlive = 3 * N;
	struct node **live = malloc(nlive * sizeof *live), **v;
	rc_object **hidden = malloc(nlive * sizeof *hidden);
	struct releaser *p1, *p2;
	rc_heap_stats st;

	assert_non_null(live);
	assert_non_null(hidden);
	rtype.name = "releaser";
	rtype.size = sizeof(struct releaser);
	rtype.destroy = releaser_destroy;
	for (size_t i = 0; i < nlive; i++) {
		live[i] = new_node(h, -1);
		hidden[i] = rc_newref(&live[i]->base);
	}
	p1 = (struct releaser *)rc_new(h, &rtype);
	p2 = (struct releaser *)rc_new(h, &rtype);
	assert_non_null(p1);
	assert_non_null(p2);
	p2->hidden = hidden;
	p2->nhidden = nlive;
	link_to(&p1->n, 0, &p2->n);
	link_to(&p2->n, 0, &p1->n);
	rc_decref(&p1->n.base); /* the first two candidate roots */
	rc_decref(&p2->n.base);
	rng_state = 31337u;
	v = random_graph(h, &node_type);
	for (int i = 0; i < N; i++) {
		rc_incref(&v[i]->base);
		rc_decref(&v[i]->base);
	}
	for (int i = 0; i < N; i++)
		rc_decref(&v[i]->base);
	free(v);
	assert_true(rc_collect(h) > 2);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, nlive);
	assert_int_equal(st.candidate_roots, nlive);
	for (size_t i = 0; i < nlive; i++) {
		assert_int_equal(rc_refcount(&live[i]->base), 1);
		rc_decref(&live[i]->base);
	}
	free(hidden);
	free(live);
	destroy_clean(h);
}

/* All garbage with finalizers and weak references on some nodes: user code runs before the
 * tear down (the prefetching from the root buffer must then stop). */
static void test_garbage_with_user_code(void **state)
{
	(void)state;
	static bool none[N];
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	rc_type fin_type = node_type;
	rc_weakref *w[64];
	struct node **v;

	fin_type.finalize = dnode_finalize;
	rng_state = 777u;
	finalized = 0;
	v = random_graph(h, &fin_type);
	for (int i = 0; i < 64; i++) {
		w[i] = rc_weakref_new(&v[i * 97]->base, NULL, NULL);
		assert_non_null(w[i]);
	}
	drop_and_check(h, v, none);
	assert_int_equal(finalized, N);
	for (int i = 0; i < 64; i++) {
		assert_false(rc_weakref_alive(w[i]));
		rc_decref(RC_WEAKREF_OBJ(w[i]));
	}
	destroy_clean(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_garbage),
		cmocka_unit_test(test_all_reachable),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_roots_buffered_during_teardown),
		cmocka_unit_test(test_buffer_moves_during_teardown),
		cmocka_unit_test(test_garbage_with_user_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
