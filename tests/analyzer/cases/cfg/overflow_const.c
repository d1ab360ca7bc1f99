/* Constant expressions that overflow int64 are not folded (UBSan: signed overflow in the
 * lowering, found on a real JSON encoder): the analysis goes on with an unknown value. */
#include <rc/rc.h>
#include <stdint.h>

extern const rc_type thing_type;

int good_overflow_folding(rc_heap *heap, long long n)
{
	rc_object *o = rc_new(heap, &thing_type);
	if (o == NULL)
		return -1;
	if (n > INT64_MAX - 2 || n < INT64_MIN + 2 || n == INT64_MAX + 2LL - 4)
		n = 0;
	rc_decref(o);
	return (int)n;
}

int bad_overflow_folding(rc_heap *heap)
{
	rc_object *o = rc_new(heap, &thing_type);
	if (o == NULL)
		return -1;
	if (INT64_MAX + 2 > 0) // (folded only when it fits)
		return 1; // expect-warning{{rc-leak}}
	rc_decref(o);
	return 0;
}

/* the negation of INT64_MIN does not fit either (UBSan on the same encoder once rccheck read the
 * `-` of a macro body: `#define NEG(v) (-(v))`) */
#define NEG(v) (-(v))

int good_negated_minimum(rc_heap *heap, long long n)
{
	rc_object *o = rc_new(heap, &thing_type);
	if (o == NULL)
		return -1;
	if (n == -(INT64_MIN) || n == NEG(INT64_MIN))
		n = 1;
	rc_decref(o);
	return (int)n;
}
