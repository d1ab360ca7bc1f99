/* rc-leak: the goto-cleanup idiom with several acquisitions, `if (!x) goto error;`, error paths
 * that forget one release. */
#include <rc/rc.h>

struct pair {
	rc_object base;
	rc_object *first;
	rc_object *second;
};

struct tree {
	rc_object base;
	rc_object *root;
	rc_object *cache;
	size_t size;
};

extern const rc_type pair_type;
extern const rc_type leaf_type;

int leaf_init(rc_object *leaf, long value);
int tree_insert(struct tree *t, rc_object *key, rc_object *value);

/* ---- must stay silent ---------------------------------------------------------------------- */

/* One exit label that releases in reverse order of acquisition. */
int good_build_pair(rc_heap *heap, struct tree *t)
{
	int err = -1;
	rc_object *pair = NULL, *a = NULL, *b = NULL;

	a = rc_new(heap, &leaf_type);
	if (!a)
		goto out;
	b = rc_new(heap, &leaf_type);
	if (!b)
		goto out;
	pair = rc_new(heap, &pair_type);
	if (!pair)
		goto out;
	rc_set_field(&((struct pair *)pair)->first, rc_newref(a));
	rc_set_field(&((struct pair *)pair)->second, rc_newref(b));
	if (tree_insert(t, a, pair) < 0)
		goto out;
	err = 0;
out:
	rc_xdecref(pair);
	rc_xdecref(b);
	rc_xdecref(a);
	return err;
}

/* Separate labels, each releasing what was acquired before the jump. */
int good_chain_of_labels(rc_heap *heap, struct tree *t)
{
	rc_object *key, *value;

	key = rc_new(heap, &leaf_type);
	if (!key)
		goto fail;
	if (leaf_init(key, 1) < 0)
		goto fail_key;
	value = rc_new(heap, &leaf_type);
	if (!value)
		goto fail_key;
	if (tree_insert(t, key, value) < 0)
		goto fail_value;
	rc_decref(value);
	rc_decref(key);
	return 0;

fail_value:
	rc_decref(value);
fail_key:
	rc_decref(key);
fail:
	return -1;
}

/* Ownership handed to the tree on success, released on the error path. */
int good_error_label_then_success_store(rc_heap *heap, struct tree *t)
{
	rc_object *root = rc_new(heap, &pair_type);
	if (!root)
		goto error;
	if (leaf_init(root, 0) < 0)
		goto error;
	rc_set_field(&t->root, root);
	t->size = 1;
	return 0;
error:
	rc_xdecref(root);
	return -1;
}

/* Clear-then-release of fields in an error path (Py_CLEAR style). */
int good_reset_on_error(rc_heap *heap, struct tree *t)
{
	rc_object *fresh = rc_new(heap, &leaf_type);
	if (!fresh)
		goto error;
	rc_set_field(&t->cache, fresh);
	if (leaf_init(t->cache, 7) < 0)
		goto error;
	return 0;
error:
	rc_clear_field(&t->cache);
	rc_clear_field(&t->root);
	t->size = 0;
	return -1;
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* The error label forgets `a` (the first acquisition). */
int bad_build_pair_forgets_first(rc_heap *heap, struct tree *t)
{
	int err = -1;
	rc_object *pair = NULL, *a = NULL, *b = NULL;

	a = rc_new(heap, &leaf_type);
	if (!a)
		goto out;
	b = rc_new(heap, &leaf_type);
	if (!b)
		goto out;
	pair = rc_new(heap, &pair_type);
	if (!pair)
		goto out;
	rc_set_field(&((struct pair *)pair)->first, rc_newref(a));
	rc_set_field(&((struct pair *)pair)->second, rc_newref(b));
	if (tree_insert(t, a, pair) < 0)
		goto out;
	err = 0;
out:
	rc_xdecref(pair);
	rc_xdecref(b);
	return err; // expect-warning{{rc-leak}}
}

/* Jumps to the label that is one step too late. */
int bad_wrong_label(rc_heap *heap, struct tree *t)
{
	rc_object *key, *value;

	key = rc_new(heap, &leaf_type);
	if (!key)
		goto fail;
	value = rc_new(heap, &leaf_type);
	if (!value)
		goto fail; /* should be fail_key */
	if (tree_insert(t, key, value) < 0)
		goto fail_value;
	rc_decref(value);
	rc_decref(key);
	return 0;

fail_value:
	rc_decref(value);
	rc_decref(key);
fail:
	return -1; // expect-warning{{rc-leak}}
}

/* An early return after the first acquisition bypasses the cleanup label. */
int bad_early_return_bypasses_cleanup(rc_heap *heap, struct tree *t, int readonly)
{
	int err = -1;
	rc_object *node = rc_new(heap, &pair_type);
	if (!node)
		goto out;
	if (readonly)
		return -2; // expect-warning{{rc-leak}}
	if (tree_insert(t, node, node) < 0)
		goto out;
	err = 0;
out:
	rc_xdecref(node);
	return err;
}

/* A second acquisition into the same variable inside the cleanup chain. */
int bad_reuse_variable_before_cleanup(rc_heap *heap, struct tree *t)
{
	int err = -1;
	rc_object *tmp = rc_new(heap, &leaf_type);
	if (!tmp)
		goto out;
	if (tree_insert(t, tmp, tmp) < 0)
		goto out;
	tmp = rc_new(heap, &leaf_type); // expect-warning{{rc-leak}}
	if (!tmp)
		goto out;
	err = tree_insert(t, tmp, tmp);
out:
	rc_xdecref(tmp);
	return err;
}

/* Success path is fine; the error path after the field store releases nothing, but the
 * second object was never stored. */
int bad_leak_on_late_error(rc_heap *heap, struct tree *t)
{
	rc_object *root, *cache;

	root = rc_new(heap, &pair_type);
	if (!root)
		return -1;
	rc_set_field(&t->root, root);
	cache = rc_new(heap, &leaf_type);
	if (!cache)
		goto error;
	if (leaf_init(cache, 3) < 0)
		goto error;
	rc_set_field(&t->cache, cache);
	return 0;
error:
	rc_clear_field(&t->root);
	return -1; // expect-warning{{rc-leak}}
}
