/* test_finalize.c - finalizers (run once, resurrection of self and of others, at zero and in
 * collections) and re-entrancy (collect during collect, releases during clear/destroy). */
#include "testutil.h"

/* A collectable type whose finalizer does what the test asks. */
struct fin {
	rc_object base;
	rc_object *kid[2];
	int id;
	int finalized; /* times finalize ran */
	int saw_intact; /* finalize found its children intact */
};

static rc_object *resurrect_to;   /* finalizer stores a new reference here (if NULL) */
static int resurrect_id = -1;     /* ...when its id matches */
static rc_object *resurrect_other; /* finalizer of resurrect_id resurrects this object */
static long collect_result = 1;    /* what rc_collect returned inside a finalizer */
static int fin_destroyed;
static rc_heap *the_heap;
static int alloc_in_finalizer;
static int immortalize_id = -1; /* finalizer makes the object with this id immortal */

static void fin_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct fin *f = (struct fin *)self;
	for (int i = 0; i < 2; i++)
		if (f->kid[i])
			visit(f->kid[i], arg);
}

static void fin_clear(rc_object *self)
{
	struct fin *f = (struct fin *)self;
	rc_clear_field(&f->kid[0]);
	rc_clear_field(&f->kid[1]);
}

static void fin_finalize(rc_object *self)
{
	struct fin *f = (struct fin *)self;
	f->finalized++;
	assert_true(rc_refcount(self) >= 1);
	f->saw_intact = 1;
	for (int i = 0; i < 2; i++)
		if (f->kid[i] && rc_refcount(f->kid[i]) == 0)
			f->saw_intact = 0;
	if (f->id == resurrect_id) {
		if (!resurrect_to)
			resurrect_to = rc_newref(self);
		if (resurrect_other) {
			rc_object *o = resurrect_other;
			resurrect_other = NULL;
			resurrect_to = rc_newref(o);
		}
	}
	if (f->id == immortalize_id)
		rc_make_immortal(self);
	if (the_heap)
		collect_result = rc_collect(the_heap);
	if (alloc_in_finalizer) {
		rc_object *tmp = rc_new(rc_heap_of(self), &leaf_type);
		assert_non_null(tmp);
		rc_decref(tmp);
	}
}

static void fin_destroy(rc_object *self)
{
	(void)self;
	fin_destroyed++;
}

static const rc_type fin_type = {
	.name = "fin",
	.size = sizeof(struct fin),
	.traverse = fin_traverse,
	.clear = fin_clear,
	.finalize = fin_finalize,
	.destroy = fin_destroy,
};

static int reset(void **state)
{
	(void)state;
	resurrect_to = NULL;
	resurrect_id = -1;
	resurrect_other = NULL;
	collect_result = 1;
	fin_destroyed = 0;
	the_heap = NULL;
	alloc_in_finalizer = 0;
	immortalize_id = -1;
	return 0;
}

static struct fin *new_fin(rc_heap *h, int id)
{
	struct fin *f = (struct fin *)rc_new(h, &fin_type);
	assert_non_null(f);
	f->id = id;
	return f;
}

static void fin_link(struct fin *a, int slot, struct fin *b)
{
	rc_set_field(&a->kid[slot], rc_newref(&b->base));
}

/* ------------------------------------------------------------------------------------------ */

static void test_finalize_at_zero_once(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct fin *a = new_fin(h, 1);

	rc_decref(&a->base);
	assert_int_equal(fin_destroyed, 1);
	destroy_clean(h);
}

static void test_resurrect_self_at_zero(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct fin *a = new_fin(h, 7);

	resurrect_id = 7;
	rc_decref(&a->base);
	assert_ptr_equal(resurrect_to, &a->base);
	assert_int_equal(a->finalized, 1);
	assert_int_equal(fin_destroyed, 0);
	assert_int_equal(rc_refcount(&a->base), 1);
	assert_heap_ok(h);
	/* dies for good now, without a second finalizer call */
	rc_clear_field(&resurrect_to);
	assert_int_equal(fin_destroyed, 1);
	destroy_clean(h);
}

static void test_collection_finalizes_intact(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct fin *a = new_fin(h, 1), *b = new_fin(h, 2), *c = new_fin(h, 3);
	struct fin *all[3] = { a, b, c };

	fin_link(a, 0, b);
	fin_link(b, 0, c);
	fin_link(c, 0, a);
	fin_link(a, 1, c);
	for (int i = 0; i < 3; i++)
		rc_decref(&all[i]->base);
	resurrect_id = 2; /* b resurrects itself: a, c stay too (reachable from b) */
	assert_int_equal(rc_collect(h), 0);
	assert_ptr_equal(resurrect_to, &b->base);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(all[i]->finalized, 1);
		assert_int_equal(all[i]->saw_intact, 1);
	}
	assert_heap_ok(h);
	/* drop the resurrected reference: collected now, finalizers do not run again */
	resurrect_id = -1;
	rc_clear_field(&resurrect_to);
	assert_int_equal(rc_collect(h), 3);
	assert_int_equal(fin_destroyed, 3);
	destroy_clean(h);
}

static void test_resurrect_other(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	/* two dead cycles: a <-> b, and c <-> d -> e; a's finalizer resurrects d */
	struct fin *a = new_fin(h, 1), *b = new_fin(h, 2), *c = new_fin(h, 3), *d = new_fin(h, 4), *e = new_fin(h, 5);
	struct fin *all[5] = { a, b, c, d, e };

	fin_link(a, 0, b);
	fin_link(b, 0, a);
	fin_link(c, 0, d);
	fin_link(d, 0, c);
	fin_link(d, 1, e);
	/* resurrect_to non-NULL: a does not resurrect itself, only d (overwriting the slot) */
	rc_object *dummy = rc_new(h, &leaf_type);
	resurrect_to = dummy;
	resurrect_id = 1;
	resurrect_other = &d->base;
	for (int i = 0; i < 5; i++)
		rc_decref(&all[i]->base);
	/* a, b freed; d resurrected with c and e */
	long freed = rc_collect(h);
	assert_int_equal(freed, 2);
	assert_int_equal(fin_destroyed, 2);
	assert_ptr_equal(resurrect_to, &d->base);
	assert_int_equal(rc_refcount(&d->base), 2);
	assert_int_equal(rc_refcount(&c->base), 1);
	assert_int_equal(rc_refcount(&e->base), 1);
	assert_heap_ok(h);
	rc_decref(dummy); /* the finalizer overwrote resurrect_to: we still own dummy */
	rc_clear_field(&resurrect_to);
	assert_int_equal(rc_collect(h), 3);
	assert_int_equal(fin_destroyed, 5);
	destroy_clean(h);
}

static void test_collect_during_collect(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct fin *a = new_fin(h, 1), *b = new_fin(h, 2);

	fin_link(a, 0, b);
	fin_link(b, 0, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	the_heap = h;
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(collect_result, RC_EBUSY);
	the_heap = NULL;
	destroy_clean(h);
}

static void test_collect_from_finalizer_at_zero(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *x = new_node(h, 1), *y = new_node(h, 2);
	struct fin *f = new_fin(h, 3);

	link_to(x, 0, y);
	link_to(y, 0, x);
	rc_decref(&x->base);
	rc_decref(&y->base);
	the_heap = h;
	rc_decref(&f->base); /* its finalizer collects the x <-> y cycle */
	the_heap = NULL;
	assert_int_equal(collect_result, 2);
	assert_int_equal(fin_destroyed, 1);
	destroy_clean(h);
}

static void test_alloc_in_finalizer_during_collection(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, NULL);
	struct fin *a = new_fin(h, 1), *b = new_fin(h, 2);

	assert_int_equal(rc_gc_set_threshold(h, 1), 0); /* every rc_new is a safe point */
	fin_link(a, 0, b);
	fin_link(b, 0, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	alloc_in_finalizer = 1;
	assert_int_equal(rc_collect(h), 2);
	alloc_in_finalizer = 0;
	destroy_clean(h);
}

/* ------------------------------------------------------------------------------------------ */
/* Releases during clear and destroy                                                           */
/* ------------------------------------------------------------------------------------------ */

/* A holder whose destroy releases an object it keeps outside traverse/clear (an "external"
 * reference such as a cache), and whose clear releases its children. */
struct holder {
	rc_object base;
	rc_object *kid;
	rc_object *extra; /* released in destroy */
};

static void holder_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct holder *o = (struct holder *)self;
	if (o->kid)
		visit(o->kid, arg);
	if (o->extra)
		visit(o->extra, arg);
}

static void holder_clear(rc_object *self)
{
	struct holder *o = (struct holder *)self;
	rc_clear_field(&o->kid);
}

static void holder_destroy(rc_object *self)
{
	struct holder *o = (struct holder *)self;
	rc_clear_field(&o->extra);
}

static const rc_type holder_type = {
	.name = "holder",
	.size = sizeof(struct holder),
	.traverse = holder_traverse,
	.clear = holder_clear,
	.destroy = holder_destroy,
};

static void test_release_during_clear_and_destroy(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	size_t before = nodes_destroyed;
	struct holder *p = (struct holder *)rc_new(h, &holder_type);
	struct holder *q = (struct holder *)rc_new(h, &holder_type);
	struct node *n = new_node(h, 1);

	/* p <-> q cycle; q->extra -> n -> p (n released from q's destroy) */
	p->kid = rc_newref(&q->base);
	q->kid = rc_newref(&p->base);
	q->extra = rc_newref(&n->base);
	link_to(n, 0, (struct node *)(void *)p);
	rc_decref(&p->base);
	rc_decref(&q->base);
	rc_decref(&n->base);
	assert_int_equal(rc_collect(h), 3);
	assert_int_equal(nodes_destroyed, before + 1);
	destroy_clean(h);
}

/* A finalizer run by the collector makes its object immortal: it and what it reaches survive,
 * and rc_heap_destroy later drops its references (so the rest goes then). */
static void test_immortal_from_finalizer(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct fin *a = new_fin(h, 1), *b = new_fin(h, 2);
	rc_heap_stats st;

	fin_link(a, 0, b);
	fin_link(b, 0, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	immortalize_id = 1;
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(rc_refcount(&a->base), RC_REFCNT_IMMORTAL);
	assert_int_equal(rc_refcount(&b->base), 1);
	assert_heap_ok(h);
	assert_int_equal(rc_collect(h), 0);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 2);
	assert_int_equal(rc_heap_destroy(h), 0);
	assert_int_equal(fin_destroyed, 2); /* b once a's references were dropped, then a */
}

/* Variable-sized collectable objects in a cycle: collected, sizes given back right. */
static void test_sized_collectable(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct fin *a = (struct fin *)rc_new_sized(h, &fin_type, sizeof(struct fin) + 100);
	struct fin *b = (struct fin *)rc_new_sized(h, &fin_type, sizeof(struct fin) + 5000);

	assert_non_null(a);
	assert_non_null(b);
	fin_link(a, 0, b);
	fin_link(b, 0, a);
	assert_int_equal(rc_heap_count_type(h, &fin_type), 2);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(fin_destroyed, 2);
	destroy_clean(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_finalize_at_zero_once, reset),
		cmocka_unit_test_setup(test_resurrect_self_at_zero, reset),
		cmocka_unit_test_setup(test_collection_finalizes_intact, reset),
		cmocka_unit_test_setup(test_resurrect_other, reset),
		cmocka_unit_test_setup(test_collect_during_collect, reset),
		cmocka_unit_test_setup(test_collect_from_finalizer_at_zero, reset),
		cmocka_unit_test_setup(test_alloc_in_finalizer_during_collection, reset),
		cmocka_unit_test_setup(test_release_during_clear_and_destroy, reset),
		cmocka_unit_test_setup(test_immortal_from_finalizer, reset),
		cmocka_unit_test_setup(test_sized_collectable, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
