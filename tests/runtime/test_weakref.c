/* test_weakref.c - weak references: reading, clearing at death and in collections, callback
 * rules (cleared before teardown, never for garbage weakrefs, objects intact), re-entrancy. */
#include "testutil.h"

struct cb_log {
	int calls;
	int target_was_gone;  /* rc_weakref_get returned NULL inside the callback */
	int peer_intact;      /* `peer` still had its children when the callback ran */
	struct node *peer;    /* a garbage object the callback inspects (raw pointer) */
	long collect_result;  /* rc_collect from inside the callback */
	rc_heap *heap;        /* collect this heap from the callback when set */
	int drop_self;        /* callback releases the weakref (its owner's reference) */
	rc_weakref **slot;
};

static void callback(rc_weakref *ref, void *arg)
{
	struct cb_log *log = arg;
	rc_object *t = rc_weakref_get(ref);

	log->calls++;
	log->target_was_gone = t == NULL && !rc_weakref_alive(ref);
	if (t)
		rc_decref(t);
	if (log->peer)
		log->peer_intact = log->peer->kid[0] != NULL && rc_refcount(&log->peer->base) > 0;
	if (log->heap)
		log->collect_result = rc_collect(log->heap);
	if (log->drop_self && log->slot && *log->slot) {
		rc_weakref *w = *log->slot;
		*log->slot = NULL;
		rc_decref(RC_WEAKREF_OBJ(w));
	}
}

static void test_weakref_to_leaf(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct leaf *l = new_leaf(h, 5);
	struct cb_log log = { 0 };
	rc_weakref *w = rc_weakref_new(&l->base, callback, &log);
	rc_weakref *w2 = rc_weakref_new(&l->base, NULL, NULL);
	rc_object *t;

	assert_non_null(w);
	assert_non_null(w2);
	assert_true(rc_weakref_alive(w));
	t = rc_weakref_get(w);
	assert_ptr_equal(t, &l->base);
	assert_int_equal(rc_refcount(t), 2); /* a new reference */
	rc_decref(t);
	assert_int_equal(rc_refcount(&l->base), 1); /* weak: not counted */
	assert_heap_ok(h);
	rc_decref(&l->base);
	assert_int_equal(log.calls, 1);
	assert_true(log.target_was_gone);
	assert_false(rc_weakref_alive(w));
	assert_false(rc_weakref_alive(w2));
	assert_null(rc_weakref_get(w2));
	rc_decref(RC_WEAKREF_OBJ(w));
	rc_decref(RC_WEAKREF_OBJ(w2));
	destroy_clean(h);
}

static void test_weakref_dies_first(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct node *n = new_node(h, 1);
	struct cb_log log = { 0 };
	rc_weakref *w = rc_weakref_new(&n->base, callback, &log);

	rc_decref(RC_WEAKREF_OBJ(w));
	rc_decref(&n->base);
	assert_int_equal(log.calls, 0);
	destroy_clean(h);
}

static void test_weakref_invalid(void **state)
{
	(void)state;
	assert_null(rc_weakref_new(NULL, NULL, NULL));
	assert_null(rc_weakref_get(NULL));
	assert_false(rc_weakref_alive(NULL));
}

/* Weakrefs to garbage are cleared before any finalizer or clear; the callback of a live
 * weakref runs with the garbage still intact; the callback of a garbage weakref never runs. */
static rc_weakref *probe; /* checked by the finalizer below */
static int probe_cleared_in_finalizer = -1;

static void probing_finalize(rc_object *self)
{
	(void)self;
	probe_cleared_in_finalizer = probe ? !rc_weakref_alive(probe) : -1;
}

static void fnode_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	node_type.traverse(self, visit, arg);
}

static void fnode_clear(rc_object *self)
{
	node_type.clear(self);
}

static const rc_type fnode_type = {
	.name = "fnode",
	.size = sizeof(struct node),
	.traverse = fnode_traverse,
	.clear = fnode_clear,
	.finalize = probing_finalize,
};

static void test_weakrefs_in_collection(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = (struct node *)rc_new(h, &fnode_type), *b = new_node(h, 2);
	struct cb_log live_log = { 0 }, garbage_log = { 0 };
	rc_weakref *live_w, *garbage_w;

	link_to(a, 0, b);
	link_to(b, 0, a);
	live_w = rc_weakref_new(&a->base, callback, &live_log);
	garbage_w = rc_weakref_new(&b->base, callback, &garbage_log);
	assert_non_null(live_w);
	assert_non_null(garbage_w);
	b->kid[1] = RC_WEAKREF_OBJ(garbage_w); /* the garbage owns this weakref */
	live_log.peer = b;
	live_log.heap = h;
	probe = live_w;
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 3); /* a, b and the garbage weakref */
	assert_int_equal(live_log.calls, 1);
	assert_true(live_log.target_was_gone);
	assert_true(live_log.peer_intact);
	assert_int_equal(live_log.collect_result, RC_EBUSY);
	assert_int_equal(garbage_log.calls, 0);
	assert_int_equal(probe_cleared_in_finalizer, 1);
	probe = NULL;
	rc_decref(RC_WEAKREF_OBJ(live_w));
	destroy_clean(h);
}

/* A garbage weakref to a live target: it dies in the collection, no callback, and the live
 * target's later death does not touch it. */
static void test_garbage_weakref_to_live_target(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = new_node(h, 1), *b = new_node(h, 2);
	struct leaf *target = new_leaf(h, 1);
	struct cb_log log = { 0 };
	rc_weakref *w = rc_weakref_new(&target->base, callback, &log);

	link_to(a, 0, b);
	link_to(b, 0, a);
	a->kid[1] = RC_WEAKREF_OBJ(w);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 3);
	rc_decref(&target->base);
	assert_int_equal(log.calls, 0);
	destroy_clean(h);
}

/* The callback drops the last reference to its own weakref. */
static void test_callback_releases_its_weakref(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct leaf *l = new_leaf(h, 1);
	struct cb_log log = { 0 };
	rc_weakref *w = rc_weakref_new(&l->base, callback, &log);

	log.drop_self = 1;
	log.slot = &w;
	rc_decref(&l->base);
	assert_int_equal(log.calls, 1);
	assert_null(w);
	destroy_clean(h);
}

/* Many weakrefs to many targets: the table grows; each callback runs exactly once. */
static void test_many_weakrefs(void **state)
{
	(void)state;
	enum { N = 500 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	static struct leaf *t[N];
	static rc_weakref *w[N][2];
	struct cb_log log = { 0 };

	for (int i = 0; i < N; i++) {
		t[i] = new_leaf(h, i);
		w[i][0] = rc_weakref_new(&t[i]->base, callback, &log);
		w[i][1] = rc_weakref_new(&t[i]->base, callback, &log);
		assert_non_null(w[i][0]);
		assert_non_null(w[i][1]);
	}
	assert_heap_ok(h);
	for (int i = 0; i < N; i += 2)
		rc_decref(&t[i]->base);
	assert_int_equal(log.calls, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(rc_weakref_alive(w[i][0]), i % 2);
		rc_decref(RC_WEAKREF_OBJ(w[i][0]));
	}
	for (int i = 1; i < N; i += 2)
		rc_decref(&t[i]->base);
	assert_int_equal(log.calls, N + N / 2);
	for (int i = 0; i < N; i++)
		rc_decref(RC_WEAKREF_OBJ(w[i][1]));
	destroy_clean(h);
}

/* A finalizer at zero that resurrects its object: weak references to it stay valid (they are
 * cleared after the finalizer, only when the object really goes). */
static rc_object *saved;
static void saving_finalize(rc_object *self)
{
	saved = rc_newref(self);
}

static const rc_type saver_type = { .name = "saver", .size = sizeof(struct leaf), .finalize = saving_finalize };

static void test_weakref_survives_resurrection(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	rc_object *o = rc_new(h, &saver_type);
	struct cb_log log = { 0 };
	rc_weakref *w = rc_weakref_new(o, callback, &log);

	rc_decref(o); /* resurrected by its finalizer */
	assert_ptr_equal(saved, o);
	assert_true(rc_weakref_alive(w));
	assert_int_equal(log.calls, 0);
	rc_clear_field(&saved); /* now it goes (the finalizer does not run twice) */
	assert_null(saved);
	assert_false(rc_weakref_alive(w));
	assert_int_equal(log.calls, 1);
	rc_decref(RC_WEAKREF_OBJ(w));
	destroy_clean(h);
}

/* An immortal weak reference is alive: its callback runs when the target dies. */
static void test_immortal_weakref_callback(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct leaf *l = new_leaf(h, 1);
	struct cb_log log = { 0 };
	rc_weakref *w = rc_weakref_new(&l->base, callback, &log);

	rc_make_immortal(RC_WEAKREF_OBJ(w));
	rc_decref(&l->base);
	assert_int_equal(log.calls, 1);
	assert_false(rc_weakref_alive(w));
	destroy_clean(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weakref_to_leaf),
		cmocka_unit_test(test_weakref_dies_first),
		cmocka_unit_test(test_weakref_invalid),
		cmocka_unit_test(test_weakrefs_in_collection),
		cmocka_unit_test(test_garbage_weakref_to_live_target),
		cmocka_unit_test(test_callback_releases_its_weakref),
		cmocka_unit_test(test_many_weakrefs),
		cmocka_unit_test(test_weakref_survives_resurrection),
		cmocka_unit_test(test_immortal_weakref_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
