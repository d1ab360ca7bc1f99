/* Hard control flow: goto cleanup chains (fall-through between labels), backward goto (retry),
 * jumps out of nested loops, a label reached both by goto and by falling into it. */
#include <rc/rc.h>

struct doc {
	rc_object base;
	rc_object *title;
	rc_object *body;
	rc_object *footer;
	int retries;
};

extern const rc_type text_type;

int render(rc_object *a, rc_object *b, rc_object *c);
int transient_error(void);

/* ---- must stay silent ---------------------------------------------------------------------- */

/* Labels in reverse order of acquisition, each falling into the next. */
int good_three_stage_chain(rc_heap *heap)
{
	int err = -1;
	rc_object *a, *b, *c;

	a = rc_new(heap, &text_type);
	if (!a)
		goto fail_a;
	b = rc_new(heap, &text_type);
	if (!b)
		goto fail_b;
	c = rc_new(heap, &text_type);
	if (!c)
		goto fail_c;
	err = render(a, b, c);
	rc_decref(c);
fail_c:
	rc_decref(b);
fail_b:
	rc_decref(a);
fail_a:
	return err;
}

/* A retry loop written with a backward goto. */
int good_retry(rc_heap *heap, struct doc *d)
{
	rc_object *t;
again:
	t = rc_new(heap, &text_type);
	if (!t)
		return -1;
	if (render(t, t, t) < 0 && transient_error() && d->retries-- > 0) {
		rc_decref(t);
		goto again;
	}
	rc_set_field(&d->title, t);
	return 0;
}

/* Leaving two nested loops at once. */
int good_goto_out_of_nested_loops(rc_heap *heap, int rows, int cols)
{
	rc_object *cell = NULL;
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			cell = rc_new(heap, &text_type);
			if (!cell)
				goto done;
			if (render(cell, NULL, NULL) < 0)
				goto done;
			rc_decref(cell);
			cell = NULL;
		}
	}
done:
	rc_xdecref(cell);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* The chain's labels are in the wrong order: fail_c releases `a` instead of `b`. */
int bad_three_stage_chain_order(rc_heap *heap)
{
	int err = -1;
	rc_object *a, *b, *c;

	a = rc_new(heap, &text_type);
	if (!a)
		goto fail_a;
	b = rc_new(heap, &text_type);
	if (!b)
		goto fail_b;
	c = rc_new(heap, &text_type);
	if (!c)
		goto fail_c;
	err = render(a, b, c);
	rc_decref(c);
fail_c:
	rc_decref(a);
fail_b:
	rc_decref(a); // expect-warning{{rc-double-release}}
fail_a:
	return err; // expect-warning{{rc-leak}}
}

/* The retry path forgets to release the failed attempt: overwritten by the backward jump. */
int bad_retry(rc_heap *heap, struct doc *d)
{
	rc_object *t;
again:
	t = rc_new(heap, &text_type); // expect-warning{{rc-leak}}
	if (!t)
		return -1;
	if (render(t, t, t) < 0 && transient_error() && d->retries-- > 0)
		goto again;
	rc_set_field(&d->title, t);
	return 0;
}

/* Jumping out of the nested loops skips the release of the current cell. */
int bad_goto_out_of_nested_loops(rc_heap *heap, int rows, int cols)
{
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			rc_object *cell = rc_new(heap, &text_type);
			if (!cell)
				goto done;
			if (render(cell, NULL, NULL) < 0)
				goto done;
			rc_decref(cell);
		}
	}
done:
	return 0; // expect-warning{{rc-leak}}
}

/* The success path falls into the error label, which releases what was just stored. */
int bad_fall_into_error_label(rc_heap *heap, struct doc *d)
{
	rc_object *body = rc_new(heap, &text_type);
	if (!body)
		goto error;
	rc_set_field(&d->body, rc_newref(body));
	rc_decref(body);
error:
	rc_xdecref(body); // expect-warning{{rc-double-release}}
	return -1;
}
