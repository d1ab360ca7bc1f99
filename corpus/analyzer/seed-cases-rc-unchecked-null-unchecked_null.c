/* rc-unchecked-null: a result that can be NULL on failure (RC_NULL_ON_FAILURE: rc_new,
 * rc_new_sized, rc_weakref_new, annotated user functions) used without a check. Reported on the
 * first use: dereference, field access, or argument to a function that does not accept NULL. */
#include <assert.h>
#include <stdlib.h>
#include <rc/rc.h>

struct point {
	rc_object base;
	double x, y;
	rc_object *label;
};

struct blob {
	rc_object base;
	size_t len;
	unsigned char data[];
};

extern const rc_type point_type;
extern const rc_type blob_type;

RC_NEW_REF RC_NULL_ON_FAILURE rc_object *point_from_pair(rc_heap *heap, double x, double y);
void fatal(const char *msg) __attribute__((noreturn));
void draw(const rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_checked(rc_heap *heap)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	if (!p)
		return -1;
	p->x = 1.0;
	rc_decref(RC_OBJ(p));
	return 0;
}

int good_goto_on_null(rc_heap *heap)
{
	rc_object *a = NULL, *b = NULL;
	int err = -1;

	a = rc_new(heap, &point_type);
	b = rc_new(heap, &point_type);
	if (a == NULL || b == NULL)
		goto out;
	((struct point *)a)->x = ((struct point *)b)->y;
	err = 0;
out:
	rc_xdecref(b);
	rc_xdecref(a);
	return err;
}

void good_xdecref_accepts_null(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	rc_xdecref(p);
}

void good_set_field_accepts_null(rc_heap *heap, struct point *owner)
{
	rc_set_field(&owner->label, rc_new(heap, &point_type));
}

RC_NEW_REF rc_object *good_return_unchecked(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	return p; /* the caller checks */
}

void good_noreturn_on_null(rc_heap *heap)
{
	struct point *p = (struct point *)point_from_pair(heap, 1, 2);
	if (!p)
		fatal("out of memory");
	draw(RC_OBJ(p));
	rc_decref(RC_OBJ(p));
}

void good_abort_on_null(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (p == NULL)
		abort();
	draw(p);
	rc_decref(p);
}

void good_assert(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	assert(p != NULL);
	draw(p);
	rc_decref(p);
}

double good_conditional_expression(rc_heap *heap)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	double x = p ? p->x : 0.0;
	rc_xdecref(RC_OBJ(p));
	return x;
}

int good_checked_in_loop(rc_heap *heap, int n)
{
	for (int i = 0; i < n; i++) {
		struct blob *b = (struct blob *)rc_new_sized(heap, &blob_type, sizeof(struct blob) + 16);
		if (!b)
			return -1;
		b->len = 16;
		rc_decref(RC_OBJ(b));
	}
	return 0;
}

int good_weakref_checked(rc_object *target)
{
	rc_weakref *w = rc_weakref_new(target, NULL, NULL);
	if (!w)
		return -1;
	rc_decref(RC_WEAKREF_OBJ(w));
	return 0;
}

void good_alias_checked(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	struct point *view = (struct point *)p;
	if (!view)
		return;
	((struct point *)p)->x = 1; /* checked through its alias */
	rc_decref(p);
}

void good_if_block(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (p != NULL) {
		((struct point *)p)->x = 2;
		draw(p);
	}
	rc_xdecref(p);
}

int good_checked_in_loop_condition(rc_heap *heap, int n)
{
	rc_object *p;
	while (n-- > 0 && (p = rc_new(heap, &point_type)) != NULL) {
		((struct point *)p)->x = n;
		rc_decref(p);
	}
	return 0;
}

void good_xnewref_accepts_null(rc_heap *heap, struct point *owner)
{
	rc_object *p = rc_new(heap, &point_type);
	rc_set_field(&owner->label, rc_xnewref(p));
	rc_xdecref(p);
}

/* ---- must fire ------------------------------------------------------------------------------ */

void bad_newref_of_unchecked(rc_heap *heap, struct point *owner)
{
	rc_object *p = rc_new(heap, &point_type);
	rc_set_field(&owner->label, rc_newref(p)); // expect-warning{{rc-unchecked-null}}
	rc_decref(p);
}


/* The check is inverted: the dereference runs exactly when rc_new failed. */
void bad_check_inverted(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	if (p)
		return; // expect-warning{{rc-leak}}
	((struct point *)p)->x = 1; // expect-warning{{rc-unchecked-null}}
}


void bad_field_store(rc_heap *heap)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	p->x = 0.0; // expect-warning{{rc-unchecked-null}}
	rc_decref(RC_OBJ(p));
}

void bad_decref_unchecked(rc_heap *heap)
{
	rc_object *p = rc_new(heap, &point_type);
	rc_decref(p); // expect-warning{{rc-unchecked-null}}
}

void bad_incref_unchecked(rc_heap *heap, struct point *owner)
{
	rc_object *p = rc_new(heap, &point_type);
	rc_incref(p); // expect-warning{{rc-unchecked-null}}
	rc_set_field(&owner->label, p);
	rc_decref(p);
}

int bad_check_after_use(rc_heap *heap)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	p->y = 2.0; // expect-warning{{rc-unchecked-null}}
	if (!p)
		return -1;
	rc_decref(RC_OBJ(p));
	return 0;
}

int bad_checks_the_wrong_one(rc_heap *heap)
{
	struct point *a = (struct point *)rc_new(heap, &point_type);
	struct point *b = (struct point *)rc_new(heap, &point_type);
	int err = -1;

	if (!a)
		goto out;
	a->x = b->x; // expect-warning{{rc-unchecked-null}}
	err = 0;
out:
	rc_xdecref(RC_OBJ(b));
	rc_xdecref(RC_OBJ(a));
	return err;
}

int bad_in_loop(rc_heap *heap, int n)
{
	for (int i = 0; i < n; i++) {
		struct blob *b = (struct blob *)rc_new_sized(heap, &blob_type, sizeof(struct blob) + 8);
		b->len = 8; // expect-warning{{rc-unchecked-null}}
		rc_decref(RC_OBJ(b));
	}
	return 0;
}

void bad_checked_on_one_branch_only(rc_heap *heap, int careful)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	if (careful && !p)
		return;
	p->x = 3.0; // expect-warning{{rc-unchecked-null}}
	rc_decref(RC_OBJ(p));
}

void bad_annotated_user_function(rc_heap *heap)
{
	rc_object *p = point_from_pair(heap, 1, 2);
	((struct point *)p)->x += 1; // expect-warning{{rc-unchecked-null}}
	draw(p);
	rc_decref(p);
}

void bad_weakref_unchecked(rc_object *target)
{
	rc_weakref *w = rc_weakref_new(target, NULL, NULL);
	rc_decref(RC_WEAKREF_OBJ(w)); // expect-warning{{rc-unchecked-null}}
}

double bad_read_in_expression(rc_heap *heap)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	double d = p->x * p->x + p->y * p->y; // expect-warning{{rc-unchecked-null}}
	rc_xdecref(RC_OBJ(p));
	return d;
}

void bad_switch_case_forgets_check(rc_heap *heap, int kind)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	switch (kind) {
	case 0:
		if (!p)
			return;
		p->x = 0;
		break;
	case 1:
		p->y = 0; // expect-warning{{rc-unchecked-null}}
		break;
	default:
		break;
	}
	rc_xdecref(RC_OBJ(p));
}

long bad_unchecked_in_loop_condition(rc_heap *heap)
{
	struct point *p = (struct point *)rc_new(heap, &point_type);
	long k = 0;
	while (p->x > k) // expect-warning{{rc-unchecked-null}}
		k++;
	rc_xdecref(RC_OBJ(p));
	return k;
}

