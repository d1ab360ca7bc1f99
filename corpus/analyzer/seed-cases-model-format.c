/* Format-string APIs from a model file (format.model): ob_parse is PyArg_ParseTuple-like ('O'
 * outputs borrowed references), ob_build is Py_BuildValue-like ('N' steals its argument, 'O'
 * does not). */
// rccheck-args: --model format.model

#include <stddef.h>

typedef struct ob ob;
struct ob {
	long refcnt;
	long ival;
};

int ob_parse(ob *args, const char *format, ...);
ob *ob_build(const char *format, ...);
ob *ob_int(long v);
void ob_retain(ob *o);
void ob_release(ob *o);

struct state {
	ob *saved;
};

/* ---- must stay silent ---------------------------------------------------------------------- */

long good_parse_borrowed(ob *args)
{
	ob *a, *b;
	if (ob_parse(args, "OO", &a, &b) < 0)
		return -1;
	return a->ival + b->ival;
}

int good_parse_retain_store(ob *args, struct state *st)
{
	ob *a;
	int n;
	if (ob_parse(args, "iO", &n, &a) < 0)
		return -1;
	ob_retain(a);
	st->saved = a;
	return n;
}

ob *good_build_o_keeps_ownership(long v)
{
	ob *x = ob_int(v);
	ob *t;
	if (!x)
		return NULL;
	t = ob_build("(OO)", x, x);
	ob_release(x);
	return t;
}

ob *good_build_n_steals(long v, ob *other)
{
	ob *x = ob_int(v);
	if (!x)
		return NULL;
	return ob_build("(NO)", x, other);
}

int good_build_result_released(long v)
{
	ob *t = ob_build("(il)", 1, v);
	if (!t)
		return -1;
	ob_release(t);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_release_parsed(ob *args)
{
	ob *a;
	if (ob_parse(args, "O", &a) < 0)
		return -1;
	ob_release(a); // expect-warning{{rc-release-borrowed}}
	return 0;
}

int bad_release_second_parsed(ob *args)
{
	ob *a;
	int n;
	if (ob_parse(args, "iO", &n, &a) < 0)
		return -1;
	ob_release(a); // expect-warning{{rc-release-borrowed}}
	return n;
}

ob *bad_build_o_not_released(long v)
{
	ob *x = ob_int(v);
	if (!x)
		return NULL;
	return ob_build("(OO)", x, x); // expect-warning{{rc-leak}}
}

ob *bad_build_n_released_again(long v, ob *other)
{
	ob *x = ob_int(v);
	ob *t;
	if (!x)
		return NULL;
	t = ob_build("(NO)", x, other);
	ob_release(x); // expect-warning{{rc-double-release}}
	return t;
}

int bad_build_result_dropped(long v)
{
	ob *t = ob_build("(il)", 1, v);
	if (!t)
		return -1;
	return 0; // expect-warning{{rc-leak}}
}

ob *bad_build_int_then_n(long v)
{
	ob *x = ob_int(v);
	ob *t;
	if (!x)
		return NULL;
	t = ob_build("(iN)", 7, x);
	ob_release(x); // expect-warning{{rc-double-release}}
	return t;
}
