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

void rc__test_set_quarantine(rc_heap *heap, bool on)
{
	if (heap->q_len == 0)
		heap->quarantine_on = on || (heap->flags & RC_HEAP_QUARANTINE);
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

bool rc__test_pooled(const rc_heap *heap)
{
	return heap->pooled;
}

size_t rc__test_pool_slabs(const rc_heap *heap)
{
	return heap->pool.nslabs;
}

void rc__test_pool_set_slab_limit(rc_heap *heap, size_t slabs)
{
	heap->pool.slab_limit = slabs;
}

void *rc__test_pool_swap_free_head(rc_heap *heap, size_t size, void *head)
{
	size_t k = rc__pool_class(size);
	void *old = heap->pool.free[k];
	heap->pool.free[k] = head;
	return old;
}

bool rc__test_asan(void)
{
	return RC__ASAN;
}

_Static_assert((int)RC_TEST_OUTCOME_NONE == (int)RC__OUTCOME_NONE &&
		       (int)RC_TEST_OUTCOME_ALL_REACHABLE == (int)RC__OUTCOME_ALL_REACHABLE &&
		       (int)RC_TEST_OUTCOME_ALL_HELD == (int)RC__OUTCOME_ALL_HELD &&
		       (int)RC_TEST_OUTCOME_ALL_LAZY == (int)RC__OUTCOME_ALL_LAZY &&
		       (int)RC_TEST_OUTCOME_MIXED == (int)RC__OUTCOME_MIXED,
	       "testhooks.h and internal.h disagree on the outcomes");

int rc__test_last_outcome(const rc_heap *heap)
{
	return heap->last_outcome;
}

_Static_assert(RC__TEST_MAX_MINORS == RC__MAX_MINORS, "testhooks.h must say RC__MAX_MINORS");

bool rc__test_last_minor(const rc_heap *heap)
{
	return heap->last_minor;
}

bool rc__test_is_old(const rc_object *obj)
{
	return (cls_word(obj) & CLS_OLD) != 0;
}

void rc__test_set_minors_only(rc_heap *heap, bool on)
{
	heap->minors_only = on;
}
