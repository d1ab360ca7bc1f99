/* testhooks.c - hooks for the runtime's unit tests; linked only into the internal build. */
#include "internal.h"
#include "testhooks.h"

void rc__test_set_refcnt(rc_object *obj, uint32_t n)
{
	obj->rc__refcnt = n;
}

bool rc__test_debug_build(void)
{
	return RC__DEBUG;
}

bool rc__test_is_buffered(const rc_object *obj)
{
	return (obj->rc__gc & GC_BUFFERED) != 0;
}

bool rc__test_in_quarantine(const rc_heap *heap, const rc_object *obj)
{
	size_t i;
	for (i = 0; i < heap->q_len; i++)
		if (heap->quarantine[i] == obj)
			return true;
	return false;
}
