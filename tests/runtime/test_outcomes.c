/*
 * test_outcomes.c - the collector's outcomes (docs/collector.md, step 2, and "Lazy hold"):
 * each test builds a set for which one outcome must be taken, checks that it was
 * (rc__test_last_outcome), and checks what that outcome must guarantee. The lazy hold, where
 * the tear down holds garbage only as it reaches it, gets the cases where user code in a
 * clear releases garbage the tear down has not reached yet.
 */
#include "testutil.h"

/* A node whose clear records the count of a watched object just before and just after it
 * drops its children, and may misbehave on request. */
struct probe {
	rc_object base;
	rc_object *kid;
	rc_object *watch;         /* not a reference: the object whose count is recorded */
	uint32_t before, after;   /* rc_refcount(watch) around the release of kid */
	int extra_release;        /* clear releases kid once more (a double release) */
	rc_object **keep;         /* clear stores a new reference to kid here (a clear that keeps) */
};

static size_t probes_destroyed;

static void probe_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct probe *p = (struct probe *)self;
	if (p->kid)
		visit(p->kid, arg);
}

static void probe_clear(rc_object *self)
{
	struct probe *p = (struct probe *)self;
	rc_object *kid = p->kid;

	if (p->watch)
		p->before = rc_refcount(p->watch);
	if (kid && p->keep) {
		*p->keep = rc_newref(kid);
		p->keep = NULL;
	}
	if (kid && p->extra_release) {
		p->extra_release = 0;
		rc_decref(kid); /* one release too many: kid's count reaches zero below the hold */
	}
	rc_clear_field(&p->kid);
	if (p->watch)
		p->after = rc_refcount(p->watch);
}

static void probe_destroy(rc_object *self)
{
	(void)self;
	probes_destroyed++;
}

static const rc_type probe_type = {
	.name = "probe",
	.size = sizeof(struct probe),
	.traverse = probe_traverse,
	.clear = probe_clear,
	.destroy = probe_destroy,
};

static size_t finalized;

static void counting_finalize(rc_object *self)
{
	(void)self;
	finalized++;
}

static const rc_type fin_probe_type = {
	.name = "fin_probe",
	.size = sizeof(struct probe),
	.traverse = probe_traverse,
	.clear = probe_clear,
	.finalize = counting_finalize,
};

static struct probe *new_probe(rc_heap *h, const rc_type *t)
{
	struct probe *p = (struct probe *)rc_new(h, t);
	assert_non_null(p);
	return p;
}

static void point(struct probe *from, struct probe *to)
{
	rc_set_field(&from->kid, rc_newref(&to->base));
}

/* A 2-cycle, dropped: all garbage, no weak reference, no finalizer: the lazy outcome. */
static void test_lazy_pair(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *a = new_probe(h, &probe_type), *b = new_probe(h, &probe_type);
	size_t before = probes_destroyed;

	point(a, b);
	point(b, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_LAZY);
	assert_int_equal(probes_destroyed, before + 2);
	destroy_clean(h);
}

/*
 * A -> C -> B -> A, where A and B are the candidate roots and C joins the set after them: the
 * tear down takes A, B, C in that order, so A's clear releases the last reference to C before
 * the tear down has reached (and held) C. C must then read its true count (1, not 2) before
 * the release and the hold (1) after it, and be freed once, when the tear down gets to it.
 */
static void test_lazy_release_ahead(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, &log);
	struct probe *a = new_probe(h, &probe_type), *b = new_probe(h, &probe_type),
		     *c = new_probe(h, &probe_type);
	size_t before = probes_destroyed;

	point(a, c);
	point(c, b);
	point(b, a);
	rc_decref(&c->base);           /* C: only A's reference */
	/* A and B are still referenced from here, so all three are reachable, but C's trial count
	 * is zero (its one reference is from A): partition finds it reachable. C leaves the buffer. */
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_MIXED);
	assert_int_equal(rc_refcount(&c->base), 1);
	assert_false(rc__test_is_buffered(&c->base));
	a->watch = &c->base;
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 3);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_LAZY);
	assert_int_equal(a->before, 1); /* not held yet: the true count */
	assert_int_equal(a->after, 1);  /* the last reference went: the hold took its place */
	assert_int_equal(probes_destroyed, before + 3);
	assert_int_equal(log.lines, 0);
	destroy_clean(h);
}

/*
 * A release one too many of garbage not reached yet: the first release takes the object to
 * zero (the lazy hold replaces the count), the second is below the hold: reported as a double
 * release, the object pinned and never freed.
 */
static void test_lazy_double_release_reported(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_GC_DISABLED, &log);
	struct probe *a = new_probe(h, &probe_type), *x = new_probe(h, &probe_type),
		     *c = new_probe(h, &probe_type);
	size_t before = probes_destroyed;

	point(a, c);
	point(c, x);
	point(x, a);
	rc_decref(&c->base);
	assert_int_equal(rc_collect(h), 0);
	a->extra_release = 1;
	rc_decref(&a->base);
	rc_decref(&x->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_LAZY);
	assert_int_equal(log.lines, 1);
	assert_non_null(strstr(log.last, "double release"));
	assert_non_null(strstr(log.last, "probe"));
	assert_int_equal(rc_refcount(&c->base), RC_REFCNT_SATURATED);
	assert_int_equal(probes_destroyed, before + 2);
	/* c is pinned: leaked on purpose (rc_heap_destroy reports it as the one survivor) */
	assert_int_equal(rc_heap_destroy(h), 1);
}

/*
 * A clear that keeps a new reference to garbage not reached yet: that object is alive again
 * when the tear down gets to it, so it is not freed and leaves as a candidate root.
 */
static void test_lazy_clear_keeps_reference(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *a = new_probe(h, &probe_type), *b = new_probe(h, &probe_type),
		     *c = new_probe(h, &probe_type);
	rc_object *kept = NULL;
	size_t before = probes_destroyed;

	point(a, c);
	point(c, b);
	point(b, a);
	rc_decref(&c->base);
	assert_int_equal(rc_collect(h), 0);
	a->keep = &kept;
	rc_decref(&a->base);
	rc_decref(&b->base);
	/* A's clear keeps C; C's clear then drops B (and B's drops A): A and B go, C lives */
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_LAZY);
	assert_ptr_equal(kept, &c->base);
	assert_int_equal(rc_refcount(kept), 1);
	assert_true(rc__test_is_buffered(kept));
	assert_int_equal(probes_destroyed, before + 2);
	assert_heap_ok(h);
	rc_decref(kept);
	assert_int_equal(probes_destroyed, before + 3);
	destroy_clean(h);
}

/* All garbage, but a member has a finalizer to run: every member is held at once (the
 * finalizer is user code that may reach any of them), never lazily. */
static void test_held_with_finalizer(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *a = new_probe(h, &probe_type), *f = new_probe(h, &fin_probe_type);
	size_t fin_before = finalized;

	point(a, f);
	point(f, a);
	rc_decref(&a->base);
	rc_decref(&f->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_HELD);
	assert_int_equal(finalized, fin_before + 1);
	destroy_clean(h);
}

/* All garbage, but a member has a weak reference: held at once too (its callback is user
 * code); the weak reference reads as gone. */
static void test_held_with_weakref(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *a = new_probe(h, &probe_type), *b = new_probe(h, &probe_type);
	rc_weakref *w;

	point(a, b);
	point(b, a);
	w = rc_weakref_new(&b->base, NULL, NULL);
	assert_non_null(w);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_HELD);
	assert_null(rc_weakref_get(w));
	rc_decref(RC_WEAKREF_OBJ(w));
	destroy_clean(h);
}

/* The heap is asked, not the garbage: while any live object of a type with a finalizer
 * exists, all-garbage collections hold at once even when that object is not among them; once
 * it is gone, they hold lazily again. */
static void test_held_while_a_finalizer_lives(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *f = new_probe(h, &fin_probe_type); /* live, not part of any cycle */
	struct probe *a, *b;
	size_t fin_before = finalized;

	for (int round = 0; round < 2; round++) {
		a = new_probe(h, &probe_type);
		b = new_probe(h, &probe_type);
		point(a, b);
		point(b, a);
		rc_decref(&a->base);
		rc_decref(&b->base);
		assert_int_equal(rc_collect(h), 2);
		assert_int_equal(rc__test_last_outcome(h),
				 round == 0 ? RC_TEST_OUTCOME_ALL_HELD : RC_TEST_OUTCOME_ALL_LAZY);
		if (round == 0) {
			rc_decref(&f->base); /* f goes (its finalizer runs at zero) */
			assert_int_equal(finalized, fin_before + 1);
		}
	}
	destroy_clean(h);
}

/* Some garbage, some reachable: neither fast outcome; the trial counts kept in the gc words
 * must reach partition intact, and the reachable part keep exact counts. */
static void test_mixed(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *a = new_probe(h, &probe_type), *b = new_probe(h, &probe_type),
		     *c = new_probe(h, &probe_type), *d = new_probe(h, &probe_type);

	point(a, b); /* a <-> b: garbage */
	point(b, a);
	point(c, d); /* c <-> d: kept by our reference to c */
	point(d, c);
	rc_decref(&a->base);
	rc_decref(&b->base);
	rc_decref(&d->base);
	rc_incref(&c->base);
	rc_decref(&c->base); /* c is a candidate too, still referenced from here */
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_MIXED);
	assert_int_equal(rc_refcount(&c->base), 2);
	assert_int_equal(rc_refcount(&d->base), 1);
	assert_heap_ok(h);
	rc_decref(&c->base);
	assert_int_equal(rc_collect(h), 2);
	destroy_clean(h);
}

/* Every examined object reachable: nothing changes, counts intact, nothing buffered after. */
static void test_all_reachable(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct probe *a = new_probe(h, &probe_type), *b = new_probe(h, &probe_type);

	point(a, b);
	point(b, a);
	rc_incref(&a->base);
	rc_decref(&a->base);
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_ALL_REACHABLE);
	assert_int_equal(rc_refcount(&a->base), 2);
	assert_int_equal(rc_refcount(&b->base), 2);
	assert_false(rc__test_is_buffered(&a->base));
	assert_heap_ok(h);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(rc__test_last_outcome(h), RC_TEST_OUTCOME_NONE);
	destroy_clean(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lazy_pair),
		cmocka_unit_test(test_lazy_release_ahead),
		cmocka_unit_test(test_lazy_double_release_reported),
		cmocka_unit_test(test_lazy_clear_keeps_reference),
		cmocka_unit_test(test_held_with_finalizer),
		cmocka_unit_test(test_held_with_weakref),
		cmocka_unit_test(test_held_while_a_finalizer_lives),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_all_reachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
