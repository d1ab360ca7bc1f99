/* Runner self-test: the expectations below are deliberately wrong, so run_case.py must fail on
 * this file (meson test with should_fail: true). The leak is real but annotated one line off,
 * and a clean function carries an expectation that cannot be met. */
#include <rc/rc.h>

extern const rc_type thing_type;

int good_clean(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1; // expect-warning{{rc-double-release}}
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
