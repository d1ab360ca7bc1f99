/* testhooks.h - PRIVATE: hooks compiled only into the internal static build (rc_internal_dep)
 * for the runtime's own unit tests. Not part of the shipped library or its ABI. */
#ifndef RC_TESTHOOKS_H
#define RC_TESTHOOKS_H
#if !defined(RC_BUILDING_RUNTIME) && !defined(RC_INTERNAL_TESTS)
#error "testhooks.h is private to the rccheck runtime and its unit tests"
#endif

#include "rc/rc.h"

#include <stdbool.h>
#include <stddef.h>

/* Sets an object's count directly (to test saturation near RC_REFCNT_MAX). */
void rc__test_set_refcnt(rc_object *obj, uint32_t n);
/* True when the runtime was built without NDEBUG (misuse aborts with the default hook). */
bool rc__test_debug_build(void);
/* Turns the quarantine of a new heap (nothing freed yet) off or on: a heap created without
 * RC_HEAP_QUARANTINE by a debug build then frees as a release build does (the fuzz harness
 * runs the heaps users ship; debug builds quarantine every heap). */
void rc__test_set_quarantine(rc_heap *heap, bool on);
/* True when obj is currently a buffered candidate root. */
bool rc__test_is_buffered(const rc_object *obj);
/* True when obj sits in the heap's quarantine (freed, memory held back). */
bool rc__test_in_quarantine(const rc_heap *heap, const rc_object *obj);

/* Pool (pool.h): whether the heap pools its small objects, how many slabs it holds, a cap on
 * the slabs it may take (0: none; past it the pool fails like an allocator), and a way to
 * plant a bad free-list head for the checker (returns the previous head; size: object bytes,
 * prefix included). */
bool rc__test_pooled(const rc_heap *heap);
size_t rc__test_pool_slabs(const rc_heap *heap);
void rc__test_pool_set_slab_limit(rc_heap *heap, size_t slabs);
void *rc__test_pool_swap_free_head(rc_heap *heap, size_t size, void *head);
/* How the heap's last collection found its garbage (collect.c): */
enum {
	RC_TEST_OUTCOME_NONE,          /* nothing examined */
	RC_TEST_OUTCOME_ALL_REACHABLE, /* every examined object reachable: nothing to do */
	RC_TEST_OUTCOME_ALL_HELD,      /* all garbage, held at once (weak references, finalizers) */
	RC_TEST_OUTCOME_ALL_LAZY,      /* all garbage, held lazily by the tear down */
	RC_TEST_OUTCOME_MIXED,         /* some reachable, some garbage: partition and restore */
};
int rc__test_last_outcome(const rc_heap *heap);
/* RC_HEAP_GENERATIONS: whether the last collection was minor, and whether obj is old. */
bool rc__test_last_minor(const rc_heap *heap);
/* Automatic collections of a RC_HEAP_GENERATIONS heap are minor but for the bound on minors
 * in a row (the fuzz harness: its heaps are too small for the other rules to allow minors). */
void rc__test_set_minors_only(rc_heap *heap, bool on);
#define RC__TEST_MAX_MINORS 100u /* RC__MAX_MINORS (internal.h; testhooks.c checks they agree) */
bool rc__test_is_old(const rc_object *obj);
/* True when the runtime was built with AddressSanitizer (freed pooled memory is poisoned). */
bool rc__test_asan(void);

#endif
