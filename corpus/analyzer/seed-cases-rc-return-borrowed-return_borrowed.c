/* rc-return-borrowed: a function that must return a new reference (RC_NEW_REF) returns a
 * borrowed one. Reported on the return statement. */
#include <rc/rc.h>

struct cache {
	rc_object base;
	rc_object *last;
	rc_object *fallback;
	rc_object **slots;
	size_t nslots;
};

extern const rc_type value_type;
extern rc_object *default_value;

RC_BORROWED_REF rc_object *cache_peek(struct cache *c, size_t i);
extern const rc_type none_type;

/* A statically allocated immortal singleton (like Py_None). */
static struct none_object {
	rc_object base;
} none_singleton = { RC_STATIC_OBJECT_INIT(&none_type) };
int matches(const rc_object *obj, long key);

/* ---- must stay silent ---------------------------------------------------------------------- */

RC_NEW_REF rc_object *good_newref_param(rc_object *obj)
{
	return rc_newref(obj);
}

RC_NEW_REF rc_object *good_incref_then_return(rc_object *obj)
{
	rc_incref(obj);
	return obj;
}

RC_NEW_REF rc_object *good_fresh_object(rc_heap *heap)
{
	rc_object *v = rc_new(heap, &value_type);
	return v;
}

RC_NEW_REF rc_object *good_null_when_empty(struct cache *c)
{
	if (!c->last)
		return NULL;
	return rc_newref(c->last);
}

RC_NEW_REF rc_object *good_hit_or_miss(rc_heap *heap, struct cache *c)
{
	if (c->last) {
		rc_incref(c->last);
		return c->last;
	}
	return rc_new(heap, &value_type);
}

RC_NEW_REF rc_object *good_search_with_newref(struct cache *c, long key)
{
	for (size_t i = 0; i < c->nslots; i++) {
		rc_object *v = cache_peek(c, i);
		if (v && matches(v, key))
			return rc_newref(v);
	}
	return NULL;
}

RC_NEW_REF rc_object *good_weakref_target(rc_weakref *ref)
{
	return rc_weakref_get(ref);
}

/* No annotation: returning a borrowed reference is this function's documented contract. */
rc_object *good_unannotated_peek(struct cache *c)
{
	return c->last;
}

RC_BORROWED_REF rc_object *good_borrowed_getter(struct cache *c)
{
	return c->fallback;
}

RC_NEW_REF rc_object *good_via_goto(struct cache *c, long key)
{
	rc_object *result = NULL;
	for (size_t i = 0; i < c->nslots; i++) {
		if (matches(c->slots[i], key)) {
			result = rc_newref(c->slots[i]);
			goto done;
		}
	}
	result = rc_xnewref(c->fallback);
done:
	return result;
}

RC_NEW_REF rc_object *good_none_with_newref(void)
{
	return rc_newref(RC_OBJ(&none_singleton));
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* Immortal or not, the caller will release what a new-reference function returns. */
RC_NEW_REF rc_object *bad_none_through_cast(void)
{
	return RC_OBJ(&none_singleton); // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_none_through_member(void)
{
	return &none_singleton.base; // expect-warning{{rc-return-borrowed}}
}


RC_NEW_REF rc_object *bad_return_param(rc_object *obj)
{
	return obj; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_return_field(struct cache *c)
{
	return c->last; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_return_peek(struct cache *c)
{
	rc_object *v = cache_peek(c, 0);
	return v; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_hit_forgets_incref(rc_heap *heap, struct cache *c)
{
	if (c->last)
		return c->last; // expect-warning{{rc-return-borrowed}}
	return rc_new(heap, &value_type);
}

RC_NEW_REF rc_object *bad_switch_case(struct cache *c, int which)
{
	switch (which) {
	case 0:
		return rc_xnewref(c->last);
	case 1:
		return c->fallback; // expect-warning{{rc-return-borrowed}}
	default:
		return NULL;
	}
}

RC_NEW_REF rc_object *bad_return_alias_of_param(rc_object *obj)
{
	rc_object *result = obj;
	return result; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_search_without_newref(struct cache *c, long key)
{
	for (size_t i = 0; i < c->nslots; i++) {
		rc_object *v = cache_peek(c, i);
		if (v && matches(v, key))
			return v; // expect-warning{{rc-return-borrowed}}
	}
	return NULL;
}

RC_NEW_REF rc_object *bad_return_after_store(rc_heap *heap, struct cache *c)
{
	rc_object *v = rc_new(heap, &value_type);
	if (!v)
		return NULL;
	rc_set_field(&c->last, v); /* the cache took the only reference */
	return v; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_incref_decref_then_return(rc_object *obj)
{
	rc_incref(obj);
	matches(obj, 0);
	rc_decref(obj);
	return obj; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_via_goto(struct cache *c, long key)
{
	rc_object *result = NULL;
	for (size_t i = 0; i < c->nslots; i++) {
		if (matches(c->slots[i], key)) {
			result = c->slots[i];
			goto done;
		}
	}
	result = rc_xnewref(c->fallback);
done:
	return result; // expect-warning{{rc-return-borrowed}}
}

RC_NEW_REF rc_object *bad_conditional_default(rc_object *obj)
{
	return obj ? rc_newref(obj) : default_value; // expect-warning{{rc-return-borrowed}}
}

/* No annotation, but one path returns a new reference: the function's contract is "new
 * reference", and the path returning the borrowed field breaks it. */
rc_object *bad_unannotated_mixed(rc_heap *heap, struct cache *c)
{
	if (c->last)
		return c->last; // expect-warning{{rc-return-borrowed}}
	return rc_new(heap, &value_type);
}
