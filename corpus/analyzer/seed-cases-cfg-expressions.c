/* Hard control flow inside expressions: ?:, && and || (short-circuit acquisitions and NULL
 * checks), the comma operator, GNU statement expressions, assignments inside conditions. */
#include <rc/rc.h>

struct ctx {
	rc_object base;
	rc_object *a;
	rc_object *b;
	int verbose;
};

extern const rc_type obj_type;

int ready(const rc_object *o);
int use2(rc_object *x, rc_object *y);

/* A statement-expression helper macro in the style of the Linux kernel. */
#define NEW_OR_NULL(heap) ({ rc_object *__o = rc_new((heap), &obj_type); __o; })

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_and_chain_with_null_checks(rc_heap *heap)
{
	rc_object *x = NULL, *y = NULL;
	int ok;

	ok = (x = rc_new(heap, &obj_type)) != NULL && (y = rc_new(heap, &obj_type)) != NULL
	     && use2(x, y) == 0;
	rc_xdecref(y);
	rc_xdecref(x);
	return ok ? 0 : -1;
}

int good_or_early_exit(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	if (!x || !ready(x)) {
		rc_xdecref(x);
		return -1;
	}
	rc_decref(x);
	return 0;
}

int good_conditional_operator(rc_heap *heap, struct ctx *c)
{
	rc_object *x = c->verbose ? rc_new(heap, &obj_type) : rc_newref(c->a);
	if (!x)
		return -1;
	rc_decref(x);
	return 0;
}

int good_comma_operator(rc_heap *heap)
{
	rc_object *x;
	if ((x = rc_new(heap, &obj_type), !x))
		return -1;
	rc_decref(x);
	return 0;
}

int good_statement_expression(rc_heap *heap)
{
	rc_object *x = NEW_OR_NULL(heap);
	if (!x)
		return -1;
	rc_decref(x);
	return 0;
}

int good_release_inside_statement_expression(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	int r;
	if (!x)
		return -1;
	r = ({ int t = ready(x); rc_decref(x); t; });
	return r;
}

int good_nested_conditional(rc_heap *heap, struct ctx *c, int k)
{
	rc_object *x = k == 0 ? NULL : k == 1 ? rc_new(heap, &obj_type) : rc_xnewref(c->b);
	rc_xdecref(x);
	return 0;
}

/* Constant conditions: only the feasible branch counts. */
void good_constant_true_condition(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	if (!x)
		return;
	if (1)
		rc_decref(x);
}

/* ---- must fire ------------------------------------------------------------------------------ */

void bad_constant_false_condition(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	if (!x)
		return;
	if (0)
		rc_decref(x);
} // expect-warning{{rc-leak}}


int bad_and_chain_leaks_first(rc_heap *heap)
{
	rc_object *x = NULL, *y = NULL;

	if ((x = rc_new(heap, &obj_type)) != NULL && (y = rc_new(heap, &obj_type)) != NULL) {
		use2(x, y);
		rc_decref(y);
		rc_decref(x);
		return 0;
	}
	rc_xdecref(y);
	return -1; // expect-warning{{rc-leak}}
}

int bad_or_exit_forgets_release(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	if (!x || !ready(x))
		return -1; // expect-warning{{rc-leak}}
	rc_decref(x);
	return 0;
}

int bad_conditional_operator_one_arm(rc_heap *heap, struct ctx *c)
{
	rc_object *x = c->verbose ? rc_new(heap, &obj_type) : c->a;
	if (!x)
		return -1;
	ready(x);
	return 0; // expect-warning{{rc-leak}}
}

int bad_statement_expression(rc_heap *heap)
{
	rc_object *x = NEW_OR_NULL(heap);
	if (!x)
		return -1;
	return ready(x); // expect-warning{{rc-leak}}
}

int bad_comma_operator_overwrite(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	if (!x)
		return -1;
	x = (ready(x), rc_new(heap, &obj_type)); // expect-warning{{rc-leak}}
	rc_xdecref(x);
	return 0;
}

int bad_statement_expression_double_release(rc_heap *heap)
{
	rc_object *x = rc_new(heap, &obj_type);
	int r;
	if (!x)
		return -1;
	r = ({ int t = ready(x); rc_decref(x); t; });
	rc_decref(x); // expect-warning{{rc-double-release}}
	return r;
}
