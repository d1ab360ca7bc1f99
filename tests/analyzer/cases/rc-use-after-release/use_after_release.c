/* rc-use-after-release: a reference used (dereference, field access, argument to a call) after
 * its last owned reference was released. Reported on the use. */
#include <rc/rc.h>

struct entry {
	rc_object base;
	rc_object *key;
	rc_object *value;
	long hash;
	int flags;
};

extern const rc_type entry_type;

void emit(const rc_object *obj);
long hash_of(const rc_object *obj);
int table_add(rc_object *table, rc_object *entry);
RC_NEW_REF RC_NULL_ON_FAILURE rc_object *load_entry(rc_heap *heap);

/* ---- must stay silent ---------------------------------------------------------------------- */

long good_use_then_release(rc_heap *heap)
{
	long h;
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return -1;
	h = hash_of(e);
	((struct entry *)e)->hash = h;
	rc_decref(e);
	return h;
}

void good_release_then_reassign(rc_heap *heap)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	rc_decref(e);
	e = rc_new(heap, &entry_type);
	if (!e)
		return;
	emit(e);
	rc_decref(e);
}

void good_extra_reference_keeps_alive(rc_heap *heap)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	rc_incref(e);
	rc_decref(e);
	emit(e); /* one reference is still owned */
	rc_decref(e);
}

void good_borrowed_from_field_after_steal(rc_heap *heap, struct entry *owner)
{
	rc_object *v = rc_new(heap, &entry_type);
	if (!v)
		return;
	rc_set_field(&owner->value, v);
	emit(v); /* kept alive by owner->value */
}

void good_param_outlives_own_reference(rc_object *obj)
{
	rc_incref(obj);
	emit(obj);
	rc_decref(obj);
	emit(obj); /* still borrowed from the caller */
}

void good_null_after_release(rc_heap *heap, int n)
{
	rc_object *e = NULL;
	for (int i = 0; i < n; i++) {
		if (e) {
			emit(e);
			rc_decref(e);
			e = NULL;
		}
		e = rc_new(heap, &entry_type);
	}
	rc_xdecref(e);
}

void good_cleared_field_is_checked(struct entry *ent)
{
	rc_clear_field(&ent->value);
	if (ent->value)
		emit(ent->value);
}

void good_newref_alias(rc_heap *heap, struct entry *owner)
{
	rc_object *a = rc_new(heap, &entry_type);
	rc_object *b;
	if (!a)
		return;
	b = rc_newref(a);
	rc_decref(a);
	emit(b);
	rc_set_field(&owner->key, b);
}

int good_release_in_cleanup_last(rc_heap *heap, rc_object *table)
{
	int err = -1;
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		goto out;
	err = table_add(table, e);
	if (err < 0)
		goto out;
	emit(e);
out:
	rc_xdecref(e);
	return err;
}

void good_loop_fresh_each_time(rc_heap *heap, rc_object *table, int n)
{
	while (n-- > 0) {
		rc_object *e = rc_new(heap, &entry_type);
		if (!e)
			break;
		table_add(table, e);
		rc_decref(e);
	}
}

/* A child read from an object the function owns, pinned before the owner is released. */
void good_child_pinned_before_owner_released(rc_heap *heap)
{
	rc_object *owner = load_entry(heap);
	rc_object *child;
	if (!owner)
		return;
	child = rc_xnewref(((struct entry *)owner)->value);
	rc_decref(owner);
	if (child)
		emit(child);
	rc_xdecref(child);
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* The child is borrowed from its owner (the field holds its reference), like an item borrowed
 * from a list (borrowed-from in the model files): releasing the only reference to the owner
 * may free the child too. */
void bad_child_used_after_owner_released(rc_heap *heap)
{
	rc_object *owner = load_entry(heap);
	rc_object *child;
	if (!owner)
		return;
	child = ((struct entry *)owner)->value;
	rc_decref(owner);
	emit(child); // expect-warning{{rc-use-after-release}}
}


long bad_field_after_release(rc_heap *heap)
{
	struct entry *e = (struct entry *)rc_new(heap, &entry_type);
	if (!e)
		return -1;
	rc_decref(RC_OBJ(e));
	return e->hash; // expect-warning{{rc-use-after-release}}
}

void bad_call_after_release(rc_heap *heap)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	rc_decref(e);
	emit(e); // expect-warning{{rc-use-after-release}}
}

void bad_alias_used(rc_heap *heap)
{
	rc_object *e = rc_new(heap, &entry_type);
	struct entry *view;
	if (!e)
		return;
	view = (struct entry *)e;
	rc_decref(e);
	view->flags = 0; // expect-warning{{rc-use-after-release}}
}

void bad_incref_after_release(rc_heap *heap, struct entry *owner)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	rc_decref(e);
	rc_incref(e); // expect-warning{{rc-use-after-release}}
	rc_set_field(&owner->value, e);
}

int bad_error_path_logs_released(rc_heap *heap, rc_object *table)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return -1;
	if (table_add(table, e) < 0) {
		rc_decref(e);
		emit(e); // expect-warning{{rc-use-after-release}}
		return -1;
	}
	rc_decref(e);
	return 0;
}

void bad_clear_then_use_old_value(struct entry *ent)
{
	rc_object *old = ent->value;
	rc_clear_field(&ent->value);
	emit(old); // expect-warning{{rc-use-after-release}}
}

void bad_released_in_branch(rc_heap *heap, int drop)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	if (drop) {
		rc_decref(e);
		goto report;
	}
	rc_decref(e);
	return;
report:
	emit(e); // expect-warning{{rc-use-after-release}}
}

void bad_switch_fallthrough(rc_heap *heap, struct entry *owner, int kind)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	switch (kind) {
	case 0:
		rc_decref(e); /* drop it */
		/* fall through (the bug: a missing break) */
	case 1:
		emit(e); // expect-warning{{rc-use-after-release}}
		/* handing over a reference the function no longer has: a second release */
		rc_set_field(&owner->value, e); // expect-warning{{rc-double-release}}
		break;
	default:
		rc_decref(e);
		break;
	}
}

void bad_use_in_next_iteration(rc_heap *heap, rc_object *table, int n)
{
	rc_object *e = rc_new(heap, &entry_type);
	if (!e)
		return;
	for (int i = 0; i < n; i++) {
		if (table_add(table, e) < 0) { // expect-warning{{rc-use-after-release}}
			/* released again on the next failure, and after the loop: one defect (one
			 * acquisition, one variable), reported on its shortest path, below */
			rc_decref(e);
			continue;
		}
	}
	rc_xdecref(e); // expect-warning{{rc-double-release}}
}

long bad_hash_after_xdecref(rc_heap *heap)
{
	rc_object *e = rc_new(heap, &entry_type);
	rc_xdecref(e);
	if (!e)
		return 0;
	return ((struct entry *)e)->hash; // expect-warning{{rc-use-after-release}}
}

/* rc_clear_field on a local: the alias still points at the released object. */
void bad_alias_after_clearing_local(rc_heap *heap)
{
	rc_object *e = rc_new(heap, &entry_type);
	rc_object *alias = e;
	if (!e)
		return;
	rc_clear_field(&e);
	emit(alias); // expect-warning{{rc-use-after-release}}
}

long bad_member_header_released(rc_heap *heap)
{
	struct entry *e = (struct entry *)rc_new(heap, &entry_type);
	if (!e)
		return -1;
	rc_decref(&e->base);
	return e->hash; // expect-warning{{rc-use-after-release}}
}

void bad_weakref_used_after_release(rc_object *target)
{
	rc_weakref *w = rc_weakref_new(target, NULL, NULL);
	rc_object *t;
	if (!w)
		return;
	rc_decref(RC_WEAKREF_OBJ(w));
	t = rc_weakref_get(w); // expect-warning{{rc-use-after-release}}
	rc_xdecref(t);
}

long bad_released_then_loop_condition(rc_heap *heap)
{
	struct entry *e = (struct entry *)rc_new(heap, &entry_type);
	long k = 0;
	if (!e)
		return -1;
	rc_decref(RC_OBJ(e));
	while (e->hash > k) // expect-warning{{rc-use-after-release}}
		k++;
	return k;
}


/* One defect, one finding: the uses after the first on the same path are not reported again
 * (the check keeps a byte per value, engine_value_byte). */
long bad_used_three_times_after_release(rc_heap *heap)
{
	struct entry *e = (struct entry *)rc_new(heap, &entry_type);
	long h;
	if (!e)
		return -1;
	rc_decref(RC_OBJ(e));
	h = e->hash; // expect-warning{{rc-use-after-release}}
	h += e->flags;
	emit(RC_OBJ(e));
	return h;
}
