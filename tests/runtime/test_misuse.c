/* test_misuse.c - release at zero (death tests and the defined release-mode behaviour),
 * saturation, immortal and static objects, quarantine. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------ */
/* Death tests                                                                                 */
/* ------------------------------------------------------------------------------------------ */

struct death {
	int status;
	char out[256]; /* child's stdout: the object's address */
	char err[2048];
};

static void read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

/* Runs fn in a child with stdout and stderr captured. */
static void run_child(void (*fn)(void), struct death *d)
{
	int out[2], err[2];
	pid_t pid;

	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		fn();
		_exit(0); /* fn was expected to abort */
	}
	close(out[1]);
	close(err[1]);
	read_all(out[0], d->out, sizeof d->out);
	read_all(err[0], d->err, sizeof d->err);
	close(out[0]);
	close(err[0]);
	assert_int_equal(waitpid(pid, &d->status, 0), pid);
}

static void expect_abort_naming(void (*fn)(void), const char *type_name)
{
	struct death d;

	if (!rc__test_debug_build())
		skip();
	run_child(fn, &d);
	if (!(WIFSIGNALED(d.status) && WTERMSIG(d.status) == SIGABRT))
		fail_msg("child did not abort (status %d); stderr: %s", d.status, d.err);
	assert_true(d.out[0] != '\0');
	if (!strstr(d.err, d.out))
		fail_msg("stderr does not name the address %s: %s", d.out, d.err);
	if (!strstr(d.err, type_name))
		fail_msg("stderr does not name the type %s: %s", type_name, d.err);
	assert_non_null(strstr(d.err, "double release"));
}

static const rc_type victim_type = { .name = "victim_type", .size = sizeof(struct leaf) };

static void child_double_release_live(void)
{
	rc_heap *h = NULL;
	rc_heap_new(&h, NULL);
	rc_object *o = rc_new(h, &victim_type);
	printf("%p", (void *)o);
	fflush(stdout);
	rc_decref(o);
	rc_decref(o); /* freed object, held in quarantine: detected */
}

static void test_death_double_release(void **state)
{
	(void)state;
	expect_abort_naming(child_double_release_live, "victim_type");
}

/* destroy releases the object itself once more */
static void self_release_destroy(rc_object *self)
{
	rc_decref(self);
}

static const rc_type selfrel_type = { .name = "selfrel_type", .size = sizeof(struct leaf), .destroy = self_release_destroy };

static void child_release_in_destroy(void)
{
	rc_heap *h = NULL;
	rc_heap_new(&h, NULL);
	rc_object *o = rc_new(h, &selfrel_type);
	printf("%p", (void *)o);
	fflush(stdout);
	rc_decref(o);
}

static void test_death_release_during_destroy(void **state)
{
	(void)state;
	expect_abort_naming(child_release_in_destroy, "selfrel_type");
}

/* a finalizer run by the collector releases a reference it does not own */
static rc_object *overreleased;
static void overrelease_finalize(rc_object *self)
{
	(void)self;
	if (overreleased) {
		rc_object *o = overreleased;
		overreleased = NULL;
		rc_decref(o);
		rc_decref(o);
		rc_decref(o);
	}
}

static void cyc_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct node *n = (struct node *)self;
	for (int i = 0; i < NODE_KIDS; i++)
		if (n->kid[i])
			visit(n->kid[i], arg);
}

static void cyc_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	for (int i = 0; i < NODE_KIDS; i++)
		rc_clear_field(&n->kid[i]);
}

static const rc_type overrel_type = {
	.name = "overrel_type",
	.size = sizeof(struct node),
	.traverse = cyc_traverse,
	.clear = cyc_clear,
	.finalize = overrelease_finalize,
};

static void child_release_in_collection(void)
{
	rc_heap *h = NULL;
	rc_heap_new(&h, NULL);
	struct node *a = (struct node *)rc_new(h, &overrel_type);
	struct node *b = (struct node *)rc_new(h, &overrel_type);
	a->kid[0] = rc_newref(&b->base);
	b->kid[0] = rc_newref(&a->base);
	overreleased = &b->base;
	printf("%p", (void *)&b->base);
	fflush(stdout);
	rc_decref(&a->base);
	rc_decref(&b->base);
	rc_collect(h);
}

static void test_death_release_in_collection(void **state)
{
	(void)state;
	expect_abort_naming(child_release_in_collection, "overrel_type");
}

/* ------------------------------------------------------------------------------------------ */
/* Release-mode behaviour (report hook that returns)                                           */
/* ------------------------------------------------------------------------------------------ */

static void test_double_release_pins(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	/* RC_HEAP_QUARANTINE: the same behaviour in release builds as in debug builds */
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_QUARANTINE, &log);
	size_t before = leaves_destroyed;
	struct leaf *l = new_leaf(h, 1);
	char addr[32];

	snprintf(addr, sizeof addr, "%p", (void *)l);
	rc_decref(&l->base);
	assert_int_equal(leaves_destroyed, before + 1);
	/* the freed object sits in the quarantine: a second release is caught */
	assert_true(rc__test_in_quarantine(h, &l->base));
	rc_decref(&l->base);
	assert_int_equal(log.lines, 1);
	assert_non_null(strstr(log.last, "double release"));
	assert_non_null(strstr(log.last, "leaf"));
	assert_non_null(strstr(log.last, addr));
	assert_int_equal(rc_refcount(&l->base), RC_REFCNT_SATURATED);
	assert_int_equal(leaves_destroyed, before + 1); /* not destroyed twice */
	rc_decref(&l->base); /* pinned: nothing more happens */
	rc_incref(&l->base);
	assert_int_equal(log.lines, 1);
	/* the quarantine recycles its slots, but keeps the pinned object (someone still uses the
	 * pointer) until rc_heap_destroy frees it */
	struct leaf *first = new_leaf(h, 0);
	rc_decref(&first->base);
	assert_true(rc__test_in_quarantine(h, &first->base));
	for (int i = 0; i < 2 * RC_QUARANTINE_SLOTS; i++)
		rc_decref(&new_leaf(h, i)->base);
	/* (first's slot was recycled; its address may be in use again, so it is not checked) */
	assert_true(rc__test_in_quarantine(h, &l->base));
	assert_int_equal(rc_refcount(&l->base), RC_REFCNT_SATURATED);
	assert_int_equal(rc_heap_destroy(h), 0);
}

static void test_release_during_destroy_pins(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, &log);
	rc_object *o = rc_new(h, &selfrel_type);
	rc_heap_stats st;

	rc_decref(o);
	assert_int_equal(log.lines, 1);
	assert_non_null(strstr(log.last, "selfrel_type"));
	/* pinned during its own teardown: never freed (a leak, never a double free) */
	assert_int_equal(rc_refcount(o), RC_REFCNT_SATURATED);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 1);
	assert_int_equal(rc_heap_check(h, stderr), 0);
	assert_int_equal(rc_heap_destroy(h), 1); /* reported as a survivor */
	assert_true(log.lines >= 2);
}

static void test_release_in_collection_pins(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, &log);
	struct node *a = (struct node *)rc_new(h, &overrel_type);
	struct node *b = (struct node *)rc_new(h, &overrel_type);

	a->kid[0] = rc_newref(&b->base);
	b->kid[0] = rc_newref(&a->base);
	overreleased = &b->base;
	rc_decref(&a->base);
	rc_decref(&b->base);
	rc_collect(h);
	assert_true(log.lines >= 1);
	assert_non_null(strstr(log.last, "overrel_type"));
	assert_int_equal(rc_heap_check(h, stderr), 0);
	/* b is pinned and survives; a may or may not (it is reachable from b) */
	assert_true(rc_heap_destroy(h) >= 1);
}

/* ------------------------------------------------------------------------------------------ */
/* Saturation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void test_saturation(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, &log);
	size_t before = nodes_destroyed;
	struct node *a = new_node(h, 1), *b = new_node(h, 2);

	/* a <-> b, a's count near the maximum */
	link_to(a, 0, b);
	link_to(b, 0, a);
	rc__test_set_refcnt(&a->base, RC_REFCNT_MAX - 1);
	rc_incref(&a->base);
	assert_int_equal(rc_refcount(&a->base), RC_REFCNT_MAX);
	assert_int_equal(log.lines, 0);
	rc_incref(&a->base);
	assert_int_equal(rc_refcount(&a->base), RC_REFCNT_SATURATED);
	assert_int_equal(log.lines, 1);
	assert_non_null(strstr(log.last, "saturated"));
	assert_non_null(strstr(log.last, "node"));
	rc_incref(&a->base); /* reported once */
	for (int i = 0; i < 10; i++)
		rc_decref(&a->base);
	assert_int_equal(rc_refcount(&a->base), RC_REFCNT_SATURATED);
	assert_int_equal(log.lines, 1);
	/* drop our reference to b: the cycle is unreachable but a is saturated: nothing freed */
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(nodes_destroyed, before);
	assert_int_equal(rc_refcount(&b->base), 1);
	assert_int_equal(rc_heap_check(h, stderr), 0);
	assert_int_equal(rc_heap_destroy(h), 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Immortal and static objects                                                                 */
/* ------------------------------------------------------------------------------------------ */

static const rc_type none_type = { .name = "none", .size = sizeof(rc_object) };
static rc_object none_obj = RC_STATIC_OBJECT_INIT(&none_type);

static void test_static_object(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	struct node *a = new_node(h, 1), *b = new_node(h, 2);

	assert_null(rc_heap_of(&none_obj));
	assert_ptr_equal(rc_type_of(&none_obj), &none_type);
	assert_int_equal(rc_refcount(&none_obj), RC_REFCNT_IMMORTAL);
	rc_incref(&none_obj);
	rc_decref(&none_obj);
	rc_decref(&none_obj);
	assert_int_equal(rc_refcount(&none_obj), RC_REFCNT_IMMORTAL);
	/* a cycle that references the static object: collected, the static count untouched */
	a->kid[0] = rc_newref(&none_obj);
	b->kid[0] = rc_newref(&none_obj);
	link_to(a, 1, b);
	link_to(b, 1, a);
	rc_decref(&a->base);
	rc_decref(&b->base);
	assert_int_equal(rc_collect(h), 2);
	assert_int_equal(rc_refcount(&none_obj), RC_REFCNT_IMMORTAL);
	assert_null(rc_weakref_new(&none_obj, NULL, NULL));
	destroy_clean(h);
}

static void test_immortal_object(void **state)
{
	(void)state;
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL | RC_HEAP_GC_DISABLED, NULL);
	size_t before = nodes_destroyed;
	struct node *imm = new_node(h, 0), *a = new_node(h, 1), *b = new_node(h, 2);
	rc_heap_stats st;

	rc_incref(&a->base);
	rc_decref(&a->base); /* a becomes a candidate root... */
	assert_true(rc__test_is_buffered(&a->base));
	rc_make_immortal(&a->base); /* ...and leaves the buffer when made immortal */
	assert_false(rc__test_is_buffered(&a->base));
	assert_int_equal(rc_refcount(&a->base), RC_REFCNT_IMMORTAL);
	rc_make_immortal(&imm->base);
	/* cycle a <-> b through an immortal object: never collected, counts frozen */
	link_to(a, 0, b);
	link_to(b, 0, a);
	rc_decref(&b->base);
	for (int i = 0; i < 5; i++)
		rc_decref(&a->base);
	assert_int_equal(rc_collect(h), 0);
	assert_int_equal(rc_refcount(&a->base), RC_REFCNT_IMMORTAL);
	assert_int_equal(rc_refcount(&b->base), 1);
	assert_int_equal(nodes_destroyed, before);
	rc_heap_get_stats(h, &st);
	assert_int_equal(st.live_objects, 3);
	assert_int_equal(st.total_refs, 1); /* immortal counts are not summed */
	assert_heap_ok(h);
	/* immortal objects are not leaks; their references are dropped at teardown, so b goes;
	 * then the immortal objects are destroyed too before their memory is returned */
	assert_int_equal(rc_heap_destroy(h), 0);
	assert_int_equal(nodes_destroyed, before + 3);
}

/* An immortal leaf is destroyed (once) at heap teardown, before its memory is returned; with
 * and without tracking. */
static void test_immortal_leaf_destroyed_at_teardown(void **state)
{
	(void)state;
	unsigned flags[2] = { RC_HEAP_TRACK_ALL, 0 };

	for (int k = 0; k < 2; k++) {
		rc_heap *h = new_test_heap(flags[k], NULL);
		struct leaf *l = new_leaf(h, 1);
		size_t before = leaves_destroyed;

		rc_make_immortal(&l->base);
		rc_decref(&l->base);
		assert_int_equal(leaves_destroyed, before);
		assert_int_equal(rc_heap_destroy(h), 0);
		assert_int_equal(leaves_destroyed, before + 1);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Dead objects                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void test_increment_of_dead(void **state)
{
	(void)state;
	struct report_log log = { 0 };
	rc_heap *h = new_test_heap(RC_HEAP_TRACK_ALL, &log);
	struct leaf *l = new_leaf(h, 1);

	if (!rc__test_debug_build())
		skip();
	rc_decref(&l->base);
	rc_incref(&l->base); /* quarantined: caught */
	assert_int_equal(log.lines, 1);
	assert_non_null(strstr(log.last, "dead object"));
	assert_int_equal(rc_heap_destroy(h), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_death_double_release),
		cmocka_unit_test(test_death_release_during_destroy),
		cmocka_unit_test(test_death_release_in_collection),
		cmocka_unit_test(test_double_release_pins),
		cmocka_unit_test(test_release_during_destroy_pins),
		cmocka_unit_test(test_release_in_collection_pins),
		cmocka_unit_test(test_saturation),
		cmocka_unit_test(test_static_object),
		cmocka_unit_test(test_immortal_object),
		cmocka_unit_test(test_immortal_leaf_destroyed_at_teardown),
		cmocka_unit_test(test_increment_of_dead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
