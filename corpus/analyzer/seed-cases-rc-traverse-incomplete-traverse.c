/* rc-traverse-incomplete: a type's clear function releases a field that its traverse function
 * never visits, so a cycle through that field can never be collected. Reported on the release
 * in clear. Types are rc_type definitions with designated initializers; the clear functions are
 * the good_* / bad_* test functions, the traverse functions are plain helpers. */
#include <rc/rc.h>

#define NSLOTS 4

struct node {
	rc_object base;
	rc_object *left;
	rc_object *right;
	rc_object *slots[NSLOTS];
	rc_object *cache;
	long value; /* not a reference */
};

/* ---- complete ------------------------------------------------------------------------------ */

static void pair_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct node *n = (struct node *)self;
	visit(n->left, arg);
	visit(n->right, arg);
}

void good_pair_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	rc_clear_field(&n->left);
	rc_clear_field(&n->right);
}

const rc_type pair_type = {
	.name = "pair",
	.size = sizeof(struct node),
	.traverse = pair_traverse,
	.clear = good_pair_clear,
};

/* Traverse through a helper of the same file. */
static void visit_children(struct node *n, rc_visit_fn visit, void *arg)
{
	visit(n->left, arg);
	visit(n->right, arg);
	for (int i = 0; i < NSLOTS; i++)
		visit(n->slots[i], arg);
}

static void tree_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	visit_children((struct node *)self, visit, arg);
	if (((struct node *)self)->cache)
		visit(((struct node *)self)->cache, arg);
}

void good_tree_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	rc_clear_field(&n->cache);
	for (int i = 0; i < NSLOTS; i++)
		rc_clear_field(&n->slots[i]);
	rc_set_field(&n->right, NULL);
	rc_clear_field(&n->left);
	n->value = 0;
}

const rc_type tree_type = {
	.name = "tree",
	.size = sizeof(struct node),
	.traverse = tree_traverse,
	.clear = good_tree_clear,
};

/* ---- incomplete ----------------------------------------------------------------------------- */

static void lopsided_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	visit(((struct node *)self)->left, arg);
}

void bad_lopsided_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	rc_clear_field(&n->left);
	rc_clear_field(&n->right); // expect-warning{{rc-traverse-incomplete}}
}

const rc_type lopsided_type = {
	.name = "lopsided",
	.size = sizeof(struct node),
	.traverse = lopsided_traverse,
	.clear = bad_lopsided_clear,
};

/* The helper forgets the slots, and the cache is never visited at all. */
static void visit_sides(struct node *n, rc_visit_fn visit, void *arg)
{
	visit(n->left, arg);
	visit(n->right, arg);
}

static void forest_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	visit_sides((struct node *)self, visit, arg);
}

void bad_forest_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	rc_clear_field(&n->left);
	rc_clear_field(&n->right);
	for (int i = 0; i < NSLOTS; i++)
		rc_clear_field(&n->slots[i]); // expect-warning{{rc-traverse-incomplete}}
	rc_set_field(&n->cache, NULL); // expect-warning{{rc-traverse-incomplete}}
}

const rc_type forest_type = {
	.name = "forest",
	.size = sizeof(struct node),
	.traverse = forest_traverse,
	.clear = bad_forest_clear,
};

/* ---- clear written the long way, clear through a helper, destroy ------------------------------ */

static void sides_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct node *n = (struct node *)self;
	switch (n->value) {
	case 0:
		visit(n->left, arg);
		break;
	default:
		visit(n->left, arg);
		visit(n->right, arg);
		break;
	}
}

/* The manual form of rc_clear_field: read, store NULL, release. */
void good_sides_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	rc_object *tmp = n->left;
	n->left = NULL;
	rc_xdecref(tmp);
	tmp = n->right;
	n->right = NULL;
	rc_xdecref(tmp);
}

const rc_type sides_type = {
	.name = "sides",
	.size = sizeof(struct node),
	.traverse = sides_traverse,
	.clear = good_sides_clear,
};

static void left_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	visit(((struct node *)self)->left, arg);
}

void bad_manual_clear(rc_object *self)
{
	struct node *n = (struct node *)self;
	rc_object *tmp = n->right;
	n->right = NULL;
	rc_xdecref(tmp); // expect-warning{{rc-traverse-incomplete}}
	rc_clear_field(&n->left);
}

const rc_type manual_type = {
	.name = "manual",
	.size = sizeof(struct node),
	.traverse = left_traverse,
	.clear = bad_manual_clear,
};

/* clear delegates to a helper of the same file: the release is in the helper. */
static void bad_drop_children(struct node *n)
{
	rc_clear_field(&n->left);
	rc_clear_field(&n->cache); // expect-warning{{rc-traverse-incomplete}}
}

static void delegating_clear(rc_object *self)
{
	bad_drop_children((struct node *)self);
}

const rc_type delegating_type = {
	.name = "delegating",
	.size = sizeof(struct node),
	.traverse = left_traverse,
	.clear = delegating_clear,
};

/* References dropped in destroy instead of clear: still never visited. */
static void releasing_clear(rc_object *self)
{
	rc_clear_field(&((struct node *)self)->left);
}

void bad_releasing_destroy(rc_object *self)
{
	rc_clear_field(&((struct node *)self)->right); // expect-warning{{rc-traverse-incomplete}}
}

const rc_type releasing_type = {
	.name = "releasing",
	.size = sizeof(struct node),
	.traverse = left_traverse,
	.clear = releasing_clear,
	.destroy = bad_releasing_destroy,
};

