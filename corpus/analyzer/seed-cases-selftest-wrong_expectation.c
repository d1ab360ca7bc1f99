/* Runner self-test: the expectation below is deliberately wrong, so run_case.py must fail on
 * this file (meson test with should_fail: true): the leak is real but annotated on the line of
 * the acquisition instead of the return that loses it (one missing, one unexpected finding). */
#include <rc/rc.h>

extern const rc_type thing_type;

int good_clean(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	rc_decref(obj);
	return 0;
}

int bad_leak_annotated_on_wrong_line(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type); // expect-warning{{rc-leak}}
	if (!obj)
		return -1;
	return 0;
}
