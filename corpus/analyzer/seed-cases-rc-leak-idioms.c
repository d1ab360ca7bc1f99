/* rc-leak in everyday idioms: hand-over-hand list traversal, get-or-create, a variable reused
 * for another role, an error-code variable, swapping fields. */
#include <rc/rc.h>

struct node {
	rc_object base;
	rc_object *next;
	long value;
};

extern const rc_type node_type;

void visit(rc_object *obj);
RC_BORROWED_REF rc_object *cache_lookup(long key);
RC_BORROWED_REF rc_object *chain_first(long key);
int cache_insert(long key, rc_object *value); /* takes its own reference */

/* ---- must stay silent ---------------------------------------------------------------------- */

void good_hand_over_hand(rc_object *head)
{
	rc_object *cur = rc_xnewref(head);
	while (cur) {
		rc_object *next = rc_xnewref(((struct node *)cur)->next);
		visit(cur);
		rc_decref(cur);
		cur = next;
	}
}

RC_NEW_REF rc_object *good_get_or_create(rc_heap *heap, long key)
{
	rc_object *v = cache_lookup(key);
	if (v)
		return rc_newref(v);
	v = rc_new(heap, &node_type);
	if (!v)
		return NULL;
	if (cache_insert(key, v) < 0) {
		rc_decref(v);
		return NULL;
	}
	return v;
}

void good_variable_reused_for_a_borrowed_value(rc_heap *heap)
{
	rc_object *o = rc_new(heap, &node_type);
	if (!o)
		return;
	visit(o);
	rc_decref(o);
	o = cache_lookup(1);
	if (o)
		visit(o);
}

int good_error_code_variable(rc_heap *heap)
{
	int err = 0;
	rc_object *o = rc_new(heap, &node_type);
	if (!o)
		err = RC_ENOMEM;
	if (err)
		return err;
	visit(o);
	rc_decref(o);
	return 0;
}

void good_swap_fields(struct node *a, struct node *b)
{
	rc_object *tmp = a->next;
	a->next = b->next;
	b->next = tmp;
}

/* References kept in a local array and a local struct, released from there. */
int good_local_array(rc_heap *heap)
{
	rc_object *objs[4] = { NULL };
	int err = 0;
	for (int i = 0; i < 4; i++) {
		objs[i] = rc_new(heap, &node_type);
		if (!objs[i]) {
			err = RC_ENOMEM;
			break;
		}
	}
	for (int i = 0; i < 4; i++)
		rc_xdecref(objs[i]);
	return err;
}

struct pair {
	rc_object *first, *second;
};

int good_local_struct(rc_heap *heap)
{
	struct pair p = { NULL, NULL };
	p.first = rc_new(heap, &node_type);
	p.second = rc_new(heap, &node_type);
	rc_xdecref(p.first);
	rc_xdecref(p.second);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* Each node's reference is lost when cur moves on (cur is its only holder). */
void bad_hand_over_hand(long key)
{
	rc_object *cur = rc_xnewref(chain_first(key));
	while (cur) {
		rc_object *next = rc_xnewref(((struct node *)cur)->next);
		visit(cur);
		cur = next; // expect-warning{{rc-leak}}
	}
}

RC_NEW_REF rc_object *bad_get_or_create_insert_fails(rc_heap *heap, long key)
{
	rc_object *v = cache_lookup(key);
	if (v)
		return rc_newref(v);
	v = rc_new(heap, &node_type);
	if (!v)
		return NULL;
	if (cache_insert(key, v) < 0)
		return NULL; // expect-warning{{rc-leak}}
	return v;
}

int bad_error_code_variable(rc_heap *heap)
{
	int err = 0;
	rc_object *o = rc_new(heap, &node_type);
	if (!o)
		err = RC_ENOMEM;
	else if (((struct node *)o)->value < 0)
		err = RC_EINVAL;
	if (err)
		return err; // expect-warning{{rc-leak}}
	visit(o);
	rc_decref(o);
	return 0;
}
