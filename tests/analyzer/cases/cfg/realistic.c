/* A small, realistic module written against the runtime: a refcounted vector and an LRU cache
 * with traverse/clear, growth with an error path, iteration that pins items around callbacks,
 * replacement with rc_set_field. Helpers carry no prefix; the entry points are good_* (the code
 * as it should be) and bad_* (the same code with one realistic mistake each). */
#include <stdlib.h>
#include <string.h>
#include <rc/rc.h>

struct vec {
	rc_object base;
	size_t len, cap;
	rc_object **items;
};

struct lru {
	rc_object base;
	struct vec *keys;
	struct vec *values;
	size_t limit;
	rc_object *last_hit;
};

extern const rc_type vec_type;
extern const rc_type lru_type;

typedef int (*visit_cb)(rc_object *item, void *arg);
int key_equal(const rc_object *a, const rc_object *b);

/* ---- the type's own functions ---------------------------------------------------------------- */

static void vec_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct vec *v = (struct vec *)self;
	for (size_t i = 0; i < v->len; i++)
		visit(v->items[i], arg);
}

static void vec_clear(rc_object *self)
{
	struct vec *v = (struct vec *)self;
	while (v->len > 0) {
		v->len--;
		rc_clear_field(&v->items[v->len]);
	}
}

static void vec_destroy(rc_object *self)
{
	struct vec *v = (struct vec *)self;
	free(v->items);
	v->items = NULL;
	v->cap = 0;
}

static void lru_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct lru *c = (struct lru *)self;
	visit(RC_OBJ(c->keys), arg);
	visit(RC_OBJ(c->values), arg);
	visit(c->last_hit, arg);
}

static void lru_clear(rc_object *self)
{
	struct lru *c = (struct lru *)self;
	rc_clear_field(&c->last_hit);
	rc_clear_field((rc_object **)&c->values);
	rc_clear_field((rc_object **)&c->keys);
}

/* ---- vector --------------------------------------------------------------------------------- */

static int vec_grow(struct vec *v)
{
	size_t cap = v->cap ? v->cap * 2 : 8;
	rc_object **items = realloc(v->items, cap * sizeof *items);
	if (!items)
		return RC_ENOMEM;
	v->items = items;
	v->cap = cap;
	return 0;
}

/* Appends a new reference to item (the caller keeps its own). */
int good_vec_append(struct vec *v, rc_object *item)
{
	if (v->len == v->cap && vec_grow(v) < 0)
		return RC_ENOMEM;
	v->items[v->len++] = rc_newref(item);
	return 0;
}

/* Removes and returns the last item (a new reference for the caller), NULL when empty. */
RC_NEW_REF rc_object *good_vec_pop(struct vec *v)
{
	if (v->len == 0)
		return NULL;
	v->len--;
	rc_object *item = v->items[v->len];
	v->items[v->len] = NULL;
	return item; /* the vector's reference moves to the caller */
}

/* Calls cb on every item, keeping each alive while cb runs (cb may shrink the vector). */
int good_vec_foreach(struct vec *v, visit_cb cb, void *arg)
{
	for (size_t i = 0; i < v->len; i++) {
		rc_object *item = v->items[i];
		int r;
		rc_incref(item);
		r = cb(item, arg);
		rc_decref(item);
		if (r != 0)
			return r;
	}
	return 0;
}

RC_NEW_REF RC_NULL_ON_FAILURE struct vec *good_vec_copy(rc_heap *heap, struct vec *src)
{
	struct vec *dst = (struct vec *)rc_new(heap, &vec_type);
	if (!dst)
		return NULL;
	for (size_t i = 0; i < src->len; i++) {
		if (good_vec_append(dst, src->items[i]) < 0)
			goto error;
	}
	return dst;
error:
	rc_decref(RC_OBJ(dst));
	return NULL;
}

/* ---- LRU cache ------------------------------------------------------------------------------ */

RC_NEW_REF RC_NULL_ON_FAILURE struct lru *good_lru_new(rc_heap *heap, size_t limit)
{
	struct lru *c = NULL;
	rc_object *keys = NULL, *values = NULL;

	keys = rc_new(heap, &vec_type);
	if (!keys)
		goto error;
	values = rc_new(heap, &vec_type);
	if (!values)
		goto error;
	c = (struct lru *)rc_new(heap, &lru_type);
	if (!c)
		goto error;
	c->keys = (struct vec *)keys;     /* the cache takes both references */
	c->values = (struct vec *)values;
	c->limit = limit;
	return c;
error:
	rc_xdecref(values);
	rc_xdecref(keys);
	return NULL;
}

/* Returns a new reference to the cached value, or NULL. */
RC_NEW_REF rc_object *good_lru_get(struct lru *c, const rc_object *key)
{
	for (size_t i = 0; i < c->keys->len; i++) {
		if (key_equal(c->keys->items[i], key)) {
			rc_object *value = c->values->items[i];
			rc_set_field(&c->last_hit, rc_newref(value));
			return rc_newref(value);
		}
	}
	return NULL;
}

int good_lru_put(struct lru *c, rc_object *key, rc_object *value)
{
	if (c->keys->len >= c->limit) {
		rc_object *old_key = good_vec_pop(c->keys);
		rc_object *old_value = good_vec_pop(c->values);
		rc_xdecref(old_value);
		rc_xdecref(old_key);
	}
	if (good_vec_append(c->keys, key) < 0)
		return RC_ENOMEM;
	if (good_vec_append(c->values, value) < 0) {
		rc_object *k = good_vec_pop(c->keys);
		rc_xdecref(k);
		return RC_ENOMEM;
	}
	return 0;
}

/* ---- the same code with one mistake each ---------------------------------------------------- */

/* The error path returns without releasing the half-built copy. */
RC_NEW_REF RC_NULL_ON_FAILURE struct vec *bad_vec_copy(rc_heap *heap, struct vec *src)
{
	struct vec *dst = (struct vec *)rc_new(heap, &vec_type);
	if (!dst)
		return NULL;
	for (size_t i = 0; i < src->len; i++) {
		if (good_vec_append(dst, src->items[i]) < 0)
			return NULL; // expect-warning{{rc-leak}}
	}
	return dst;
}

/* Evicting pops a new reference and drops it on the floor. */
int bad_lru_put(struct lru *c, rc_object *key, rc_object *value)
{
	if (c->keys->len >= c->limit) {
		rc_object *old_key = good_vec_pop(c->keys);
		rc_object *old_value = good_vec_pop(c->values);
		rc_xdecref(old_key);
		(void)old_value;
	}
	/* old_value is lost at either return: one defect, reported on its shortest path */
	if (good_vec_append(c->keys, key) < 0)
		return RC_ENOMEM; // expect-warning{{rc-leak}}
	return good_vec_append(c->values, value);
}

/* Returns the cached value without a reference of its own. */
RC_NEW_REF rc_object *bad_lru_get(struct lru *c, const rc_object *key)
{
	for (size_t i = 0; i < c->keys->len; i++) {
		if (key_equal(c->keys->items[i], key)) {
			rc_object *value = c->values->items[i];
			rc_set_field(&c->last_hit, rc_newref(value));
			return value; // expect-warning{{rc-return-borrowed}}
		}
	}
	return NULL;
}

/* The item is released before the callback's result is looked at... and used again. */
int bad_vec_foreach(struct vec *v, visit_cb cb, void *arg)
{
	for (size_t i = 0; i < v->len; i++) {
		rc_object *item = rc_newref(v->items[i]);
		int r = cb(item, arg);
		rc_decref(item);
		if (r < 0)
			return cb(item, arg); // expect-warning{{rc-use-after-release}}
	}
	return 0;
}

const rc_type vec_type = { "vec", sizeof(struct vec), vec_traverse, vec_clear, NULL, vec_destroy };
const rc_type lru_type = { "lru", sizeof(struct lru), lru_traverse, lru_clear, NULL, NULL };
