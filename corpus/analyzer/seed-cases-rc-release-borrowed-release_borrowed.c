/* rc-release-borrowed: releasing a reference the function never owned (parameters, results of
 * borrowed-returning functions). Reported on the release call. */
#include <rc/rc.h>

struct registry;

struct holder {
	rc_object *value;
};

struct slot {
	rc_object base;
	rc_object *current;
	rc_object *previous;
};

extern const rc_type value_type;

/* Borrowed: the registry keeps the reference; NULL when the key is unknown. */
RC_BORROWED_REF rc_object *registry_lookup(struct registry *r, const char *key);
RC_BORROWED_REF rc_object *registry_at(struct registry *r, size_t i);
size_t registry_size(const struct registry *r);
int consume(rc_object *obj);
/* Stores a new reference in *out on success (not annotated: the analyzer cannot know). */
int registry_parse(struct registry *r, const char *text, rc_object **out);

/* ---- must stay silent ---------------------------------------------------------------------- */

void good_incref_then_decref_param(rc_object *obj)
{
	rc_incref(obj);
	consume(obj);
	rc_decref(obj);
}

void good_release_own_new(rc_heap *heap)
{
	rc_object *v = rc_new(heap, &value_type);
	if (!v)
		return;
	consume(v);
	rc_decref(v);
}

int good_borrowed_lookup_not_released(struct registry *r)
{
	rc_object *v = registry_lookup(r, "answer");
	if (!v)
		return -1;
	return consume(v);
}

void good_param_stored_with_newref(struct slot *s, rc_object *obj)
{
	rc_set_field(&s->current, rc_newref(obj));
}

void good_xnewref_then_xdecref(struct registry *r)
{
	rc_object *v = rc_xnewref(registry_lookup(r, "maybe"));
	if (v)
		consume(v);
	rc_xdecref(v);
}

void good_consumes_stolen_param(RC_STEALS rc_object *obj)
{
	consume(obj);
	rc_decref(obj); /* this function owns what it steals */
}

void good_conditional_expression_both_owned(rc_heap *heap, struct registry *r, int fresh)
{
	rc_object *v = fresh ? rc_new(heap, &value_type) : rc_xnewref(registry_lookup(r, "cached"));
	if (!v)
		return;
	consume(v);
	rc_decref(v);
}

int good_loop_over_borrowed_items(struct registry *r)
{
	int total = 0;
	for (size_t i = 0; i < registry_size(r); i++) {
		rc_object *item = registry_at(r, i);
		rc_incref(item); /* consume() may drop the registry's reference */
		total += consume(item);
		rc_decref(item);
	}
	return total;
}

void good_clear_owned_fields(struct slot *s)
{
	rc_clear_field(&s->previous);
	rc_clear_field(&s->current);
}

void good_weakref_target_released(rc_weakref *ref)
{
	rc_object *target = rc_weakref_get(ref);
	if (!target)
		return;
	consume(target);
	rc_decref(target);
}

/* Filled through an out-parameter by an unannotated function: ownership unknown, no finding. */
int good_out_param_from_unknown_function(struct registry *r, const char *text)
{
	rc_object *v = NULL;
	if (registry_parse(r, text, &v) < 0)
		return -1;
	consume(v);
	rc_decref(v);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

void bad_release_param(rc_object *obj)
{
	consume(obj);
	rc_decref(obj); // expect-warning{{rc-release-borrowed}}
}

void bad_release_lookup_result(struct registry *r)
{
	rc_object *v = registry_lookup(r, "answer");
	if (!v)
		return;
	consume(v);
	rc_decref(v); // expect-warning{{rc-release-borrowed}}
}

int bad_cleanup_releases_param(rc_heap *heap, rc_object *key)
{
	int err = -1;
	rc_object *v = rc_new(heap, &value_type);
	if (!v)
		goto out;
	err = consume(v);
out:
	rc_xdecref(v);
	rc_xdecref(key); // expect-warning{{rc-release-borrowed}}
	return err;
}

void bad_release_param_on_error(rc_object *obj, int failed)
{
	if (failed) {
		rc_decref(obj); // expect-warning{{rc-release-borrowed}}
		return;
	}
	consume(obj);
}

void bad_release_alias_of_param(rc_object *obj)
{
	rc_object *tmp = obj;
	consume(tmp);
	rc_decref(tmp); // expect-warning{{rc-release-borrowed}}
}

int bad_loop_releases_borrowed_items(struct registry *r)
{
	int total = 0;
	for (size_t i = 0; i < registry_size(r); i++) {
		rc_object *item = registry_at(r, i);
		total += consume(item);
		rc_decref(item); // expect-warning{{rc-release-borrowed}}
	}
	return total;
}

void bad_conditional_expression_one_borrowed(rc_heap *heap, struct registry *r, int fresh)
{
	rc_object *v = fresh ? rc_new(heap, &value_type) : registry_lookup(r, "cached");
	if (!v)
		return;
	consume(v);
	rc_decref(v); // expect-warning{{rc-release-borrowed}}
}

void bad_switch_releases_param(rc_object *obj, int how)
{
	switch (how) {
	case 0:
		consume(obj);
		break;
	case 1:
		rc_xdecref(obj); // expect-warning{{rc-release-borrowed}}
		break;
	default:
		rc_incref(obj);
		consume(obj);
		rc_decref(obj);
		break;
	}
}

void bad_one_incref_two_decrefs_other_path(rc_object *obj, int keep)
{
	if (keep)
		rc_incref(obj);
	consume(obj);
	if (keep)
		consume(obj);
	rc_decref(obj); // expect-warning{{rc-release-borrowed}}
}

void bad_release_borrowed_after_null_check(struct registry *r, struct slot *s)
{
	rc_object *v = registry_lookup(r, "key");
	if (v == NULL)
		return;
	s->current = v; /* a borrowed reference stored without rc_newref... */
	rc_decref(v);   // expect-warning{{rc-release-borrowed}}
}

/* The variable first holds a new reference, then a borrowed one: only the first is ours. */
void bad_variable_reused_for_a_borrowed_value(rc_heap *heap, struct registry *r)
{
	rc_object *v = rc_new(heap, &value_type);
	if (!v)
		return;
	consume(v);
	rc_decref(v);
	v = registry_lookup(r, "other");
	if (v)
		rc_decref(v); // expect-warning{{rc-release-borrowed}}
}

/* On failure a steals-on-success function does not own its argument: the caller still does. */
RC_NEG_ON_FAILURE int bad_offer_releases_on_failure(struct holder *h, RC_STEALS_ON_SUCCESS rc_object *item)
{
	if (h->value) {
		rc_decref(item); // expect-warning{{rc-release-borrowed}}
		return -1;
	}
	rc_set_field(&h->value, item);
	return 0;
}
