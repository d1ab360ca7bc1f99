/* rc-leak: early returns, falling off the end, overwrites, NULL checks, returning new references. */
#include <rc/rc.h>

struct node {
	rc_object base;
	rc_object *left;
	rc_object *right;
	long value;
};

extern const rc_type node_type;
extern rc_object *cache_slot;

int validate(rc_object *obj);
void log_value(long v);

/* ---- must stay silent ---------------------------------------------------------------------- */

RC_NEW_REF RC_NULL_ON_FAILURE rc_object *good_make_node(rc_heap *heap, long value)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return NULL;
	((struct node *)obj)->value = value;
	return obj;
}

int good_check_and_release(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (obj == NULL)
		return -1;
	if (validate(obj) < 0) {
		rc_decref(obj);
		return -1;
	}
	rc_decref(obj);
	return 0;
}

void good_store_in_field(rc_heap *heap, struct node *parent)
{
	rc_object *child = rc_new(heap, &node_type);
	if (!child)
		return;
	parent->left = child; /* the parent owns it now */
}

void good_store_in_global(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return;
	rc_set_field(&cache_slot, obj); /* steals obj, releases the previous value */
}

int good_out_param(rc_heap *heap, rc_object **out)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return -1;
	*out = obj;
	return 0;
}

long good_read_then_release(rc_heap *heap)
{
	long v;
	rc_object *obj = rc_new(heap, &node_type);

	if (!obj)
		return -1;
	v = ((struct node *)obj)->value;
	rc_decref(obj);
	return v;
}

RC_NEW_REF rc_object *good_return_directly(rc_heap *heap)
{
	return rc_new(heap, &node_type);
}

void good_replace_after_release(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return;
	rc_decref(obj);
	obj = rc_new(heap, &node_type); /* the first one was released: not an overwrite leak */
	rc_xdecref(obj);
}

void good_xdecref_on_all_paths(rc_heap *heap, int flag)
{
	rc_object *obj = NULL;
	if (flag)
		obj = rc_new(heap, &node_type);
	log_value(flag);
	rc_xdecref(obj);
}

/* The header reached as a member (&n->base) is the same object as the cast. */
RC_NEW_REF rc_object *good_return_member_header(rc_heap *heap, long value)
{
	struct node *n = (struct node *)rc_new(heap, &node_type);
	if (!n)
		return NULL;
	n->value = value;
	return &n->base;
}

long good_release_member_header(rc_heap *heap)
{
	struct node *n = (struct node *)rc_new(heap, &node_type);
	long v;
	if (!n)
		return -1;
	v = n->value;
	rc_decref(&n->base);
	return v;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_forget_on_validation_error(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (obj == NULL)
		return -1;
	if (validate(obj) < 0)
		return -1; // expect-warning{{rc-leak}}
	rc_decref(obj);
	return 0;
}

void bad_fall_off_end(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return;
	log_value(((struct node *)obj)->value);
} // expect-warning{{rc-leak}}

void bad_overwrite(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return;
	obj = rc_new(heap, &node_type); // expect-warning{{rc-leak}}
	rc_xdecref(obj);
}

long bad_read_and_forget(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return -1;
	return ((struct node *)obj)->value; // expect-warning{{rc-leak}}
}

int bad_conditional_release(rc_heap *heap, int keep)
{
	rc_object *obj = rc_new(heap, &node_type);
	if (!obj)
		return -1;
	if (!keep)
		rc_decref(obj);
	return 0; // expect-warning{{rc-leak}}
}

void bad_ignored_result(rc_heap *heap)
{
	rc_new(heap, &node_type); // expect-warning{{rc-leak}}
}

int bad_newref_dropped(rc_object *obj)
{
	rc_object *extra = rc_newref(obj);
	log_value(((struct node *)extra)->value);
	return 0; // expect-warning{{rc-leak}}
}

int bad_weakref_target_kept(rc_weakref *ref)
{
	rc_object *target = rc_weakref_get(ref);
	if (!target)
		return 0;
	if (((struct node *)target)->value < 0)
		return -1; // expect-warning{{rc-leak}}
	rc_decref(target);
	return 1;
}

void bad_incref_without_owner(rc_object *obj)
{
	rc_incref(obj);
	log_value(((struct node *)obj)->value);
} // expect-warning{{rc-leak}}

int bad_second_of_two(rc_heap *heap, struct node *parent)
{
	rc_object *a = rc_new(heap, &node_type);
	rc_object *b;

	if (!a)
		return -1;
	b = rc_new(heap, &node_type);
	if (!b) {
		rc_decref(a);
		return -1;
	}
	rc_set_field(&parent->left, a);
	return 0; // expect-warning{{rc-leak}}
}
