/* jansson (--model jansson) on its real header: the *_new setters steal (also on failure),
 * json_pack's `o` steals and `O` does not (format-lang=jansson), borrowed getters, json_decref
 * of NULL. */
// rccheck-args: --model jansson
// expect-complete

#include <jansson.h>

/* ---- must stay silent ---------------------------------------------------------------------- */

json_t *good_object_built(const char *name, json_int_t id)
{
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	if (json_object_set_new(obj, "name", json_string(name)) < 0 ||
	    json_object_set_new(obj, "id", json_integer(id)) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

json_t *good_pack_steals_o(const char *name)
{
	json_t *tags = json_array();

	if (!tags)
		return NULL;
	return json_pack("{s:s, s:o}", "name", name, "tags", tags);
}

json_t *good_pack_keeps_O(json_t *shared)
{
	json_t *copy = json_incref(shared);
	json_t *r = json_pack("{s:O, s:i}", "shared", copy, "n", 1);

	json_decref(copy);
	return r;
}

const char *good_borrowed_get(json_t *root)
{
	json_t *name = json_object_get(root, "name");

	return json_is_string(name) ? json_string_value(name) : NULL;
}

int good_append_then_decref(json_t *list, json_t *item)
{
	int r = json_array_append(list, item);

	json_decref(NULL);
	return r;
}

/* ---- must be reported ---------------------------------------------------------------------- */

json_t *bad_set_not_new(const char *name)
{
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	/* json_object_set adds its own reference: the string's is never released */
	json_object_set(obj, "name", json_string(name)); // expect-warning{{rc-leak}}
	return obj;
}

json_t *bad_pack_O_leaks(void)
{
	json_t *tags = json_array();

	if (!tags)
		return NULL;
	return json_pack("{s:O}", "tags", tags); // expect-warning{{rc-leak}}
}

void bad_decref_borrowed(json_t *root)
{
	json_t *name = json_object_get(root, "name");

	json_decref(name); // expect-warning{{rc-release-borrowed}}
}

int bad_decref_after_set_new(json_t *obj)
{
	json_t *v = json_integer(42);

	json_object_set_new(obj, "answer", v);
	json_decref(v); // expect-warning{{rc-double-release}}
	return 0;
}
