/* Control flow hidden in macros (do { } while (0) wrappers with goto, release-and-NULL macros,
 * statement expressions), block scopes (sibling and shadowing declarations of the same name),
 * several declarators in one declaration, explicit (void) discards, a comma in a ?: arm. */
#include <rc/rc.h>

extern const rc_type blob_type;

int fill(rc_object *obj);

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if ((expr) < 0)                                                                    \
			goto error;                                                                \
	} while (0)

#define DROP(obj)                                                                                  \
	do {                                                                                       \
		rc_decref(obj);                                                                    \
		(obj) = NULL;                                                                      \
	} while (0)

/* A `break` inside a do { } while (0) macro leaves the macro's loop, not the enclosing switch. */
#define DROP_AND_BREAK(obj)                                                                        \
	do {                                                                                       \
		rc_decref(obj);                                                                    \
		break;                                                                             \
	} while (0)

#define NEW_BLOB(heap) ((rc_object *)rc_new((heap), &blob_type))

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_try_macro(rc_heap *heap)
{
	rc_object *a = NULL, *b = NULL;

	a = NEW_BLOB(heap);
	if (!a)
		goto error;
	TRY(fill(a));
	b = NEW_BLOB(heap);
	if (!b)
		goto error;
	TRY(fill(b));
	DROP(b);
	DROP(a);
	return 0;
error:
	rc_xdecref(b);
	rc_xdecref(a);
	return -1;
}

int good_sibling_scopes(rc_heap *heap, int which)
{
	if (which) {
		rc_object *o = NEW_BLOB(heap);
		if (!o)
			return -1;
		fill(o);
		rc_decref(o);
	} else {
		rc_object *o = NEW_BLOB(heap);
		if (!o)
			return -1;
		rc_decref(o);
	}
	return 0;
}

int good_shadowing(rc_heap *heap)
{
	rc_object *o = NEW_BLOB(heap);
	if (!o)
		return -1;
	{
		rc_object *o = NEW_BLOB(heap); /* a different variable */
		if (o)
			rc_decref(o);
	}
	rc_decref(o);
	return 0;
}

int good_two_declarators(rc_heap *heap)
{
	rc_object *a = NEW_BLOB(heap), *b = NEW_BLOB(heap);
	rc_xdecref(a);
	rc_xdecref(b);
	return 0;
}

RC_NEW_REF rc_object *good_comma_in_conditional(rc_heap *heap)
{
	rc_object *o = NEW_BLOB(heap);
	if (!o)
		return NULL;
	return fill(o) == 0 ? o : (rc_decref(o), (rc_object *)NULL);
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_try_macro_error_label_forgets(rc_heap *heap)
{
	rc_object *a = NULL, *b = NULL;

	a = NEW_BLOB(heap);
	if (!a)
		goto error;
	TRY(fill(a));
	b = NEW_BLOB(heap);
	if (!b)
		goto error;
	TRY(fill(b));
	DROP(b);
	DROP(a);
	return 0;
error:
	rc_xdecref(b);
	return -1; // expect-warning{{rc-leak}}
}

int bad_drop_twice(rc_heap *heap)
{
	rc_object *a = NEW_BLOB(heap);
	rc_object *alias = a;
	if (!a)
		return -1;
	DROP(a);
	rc_decref(alias); // expect-warning{{rc-double-release}}
	return 0;
}

int bad_shadowing_inner_leaks(rc_heap *heap)
{
	rc_object *o = NEW_BLOB(heap);
	if (!o)
		return -1;
	{
		rc_object *o = NEW_BLOB(heap);
		if (o)
			fill(o);
	}
	rc_decref(o);
	return 0; // expect-warning{{rc-leak}}
}

int bad_second_declarator_leaks(rc_heap *heap)
{
	rc_object *a = NEW_BLOB(heap), *b = NEW_BLOB(heap);
	rc_xdecref(a);
	return b != NULL; // expect-warning{{rc-leak}}
}

void bad_void_discard(rc_heap *heap)
{
	(void)rc_new(heap, &blob_type); // expect-warning{{rc-leak}}
}

RC_NEW_REF rc_object *bad_comma_in_conditional(rc_heap *heap)
{
	rc_object *o = NEW_BLOB(heap);
	if (!o)
		return NULL;
	return fill(o) == 0 ? o : (fill(o), (rc_object *)NULL); // expect-warning{{rc-leak}}
}

int bad_break_inside_macro(rc_heap *heap, int kind)
{
	rc_object *o = NEW_BLOB(heap);
	if (!o)
		return -1;
	switch (kind) {
	case 0:
		DROP_AND_BREAK(o); /* meant to leave the switch... */
		rc_decref(o); // expect-warning{{rc-double-release}}
		break;
	default:
		rc_decref(o);
		break;
	}
	return 0;
}

