/* testutil.c - shared fixtures of the runtime unit tests. */
#include "testutil.h"

size_t nodes_destroyed, leaves_destroyed;

static void node_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct node *n = (struct node *)self;
	for (int i = 0; i < NODE_KIDS; i++)
		if (n->kid[i])
			visit(n->kid[i], arg);
}

static void node_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	for (int i = 0; i < NODE_KIDS; i++)
		rc_clear_field(&n->kid[i]);
}

static void node_destroy(rc_object *self)
{
	(void)self;
	nodes_destroyed++;
}

static void leaf_destroy(rc_object *self)
{
	(void)self;
	leaves_destroyed++;
}

const rc_type node_type = {
	.name = "node",
	.size = sizeof(struct node),
	.traverse = node_traverse,
	.clear = node_clear,
	.destroy = node_destroy,
};

const rc_type leaf_type = {
	.name = "leaf",
	.size = sizeof(struct leaf),
	.destroy = leaf_destroy,
};

void record_report(void *ctx, const char *line)
{
	struct report_log *log = ctx;
	log->lines++;
	snprintf(log->last, sizeof log->last, "%s", line);
}

rc_heap *new_test_heap(unsigned flags, struct report_log *log)
{
	rc_heap_options o = { 0 };
	rc_heap *h = NULL;
	o.flags = flags;
	if (log) {
		o.report = record_report;
		o.report_ctx = log;
	}
	assert_int_equal(rc_heap_new(&h, &o), 0);
	assert_non_null(h);
	return h;
}

void assert_heap_ok(rc_heap *heap)
{
	long problems = rc_heap_check(heap, stderr);
	assert_int_equal(problems, 0);
}

void destroy_clean(rc_heap *heap)
{
	rc_heap_stats st;
	rc_heap_get_stats(heap, &st);
	if (st.total_refs != SIZE_MAX)
		assert_heap_ok(heap);
	assert_int_equal(rc_heap_destroy(heap), 0);
}

struct node *new_node(rc_heap *heap, int id)
{
	struct node *n = (struct node *)rc_new(heap, &node_type);
	assert_non_null(n);
	n->id = id;
	return n;
}

struct leaf *new_leaf(rc_heap *heap, long value)
{
	struct leaf *l = (struct leaf *)rc_new(heap, &leaf_type);
	assert_non_null(l);
	l->value = value;
	return l;
}

void link_to(struct node *a, int slot, struct node *b)
{
	rc_set_field(&a->kid[slot], rc_newref(&b->base));
}
