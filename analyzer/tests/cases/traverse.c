/* rc-traverse-incomplete: a type's clear releases a field that its traverse never visits. */
#include <rc/rc.h>

struct pair {
	rc_object base;
	rc_object *left, *right, *extra;
};

/* ---- a complete type: traverse visits what clear releases (through a helper, too) ---------- */

static void visit_extra(struct pair *p, rc_visit_fn visit, void *arg)
{
	visit(p->extra, arg);
}

static void good_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct pair *p = (struct pair *)self;
	visit(p->left, arg);
	visit(p->right, arg);
	visit_extra(p, visit, arg);
}

static void good_clear(rc_object *self)
{
	struct pair *p = (struct pair *)self;
	rc_clear_field(&p->left);
	rc_clear_field(&p->right);
	rc_clear_field(&p->extra);
}

const rc_type good_pair_type = {
	.name = "pair",
	.size = sizeof(struct pair),
	.traverse = good_traverse,
	.clear = good_clear,
};

/* ---- an incomplete one ---------------------------------------------------------------------- */

static void incomplete_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct pair *p = (struct pair *)self;
	visit(p->left, arg);
}

static void bad_clear(rc_object *self)
{
	struct pair *p = (struct pair *)self;
	rc_clear_field(&p->left);
	rc_clear_field(&p->right); // expect-warning{{rc-traverse-incomplete}}
	rc_object *old = p->extra;
	p->extra = NULL;
	rc_xdecref(old); // expect-warning{{rc-traverse-incomplete}}
}

const rc_type bad_pair_type = {
	.name = "bad pair",
	.size = sizeof(struct pair),
	.traverse = incomplete_traverse,
	.clear = bad_clear,
};
