/*
 * refcount.c - the slow paths of rc_incref / rc_decref (saturation, zero, immortal), the
 * candidate-root buffer, and the iterative teardown of objects whose count reached zero.
 *
 * Teardown never recurses on the object graph: a collectable object that dies while another
 * teardown is running goes on heap->pending (threaded through its link word) and the outermost
 * teardown drains that list. Leaves hold no references, so their teardown cannot cascade and
 * runs at once.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Misuse reports                                                                              */
/* ------------------------------------------------------------------------------------------ */

static const char *name_of(const rc_object *o)
{
	const char *n = type_of(o)->name;
	return n ? n : "?";
}

/* Pins o (never freed afterwards), then reports. Pinning first: a report hook that returns
 * must find the object already safe. */
static void pin_and_report(rc_object *o, const char *what)
{
	o->rc__refcnt = RC_REFCNT_SATURATED;
	rc__report(heap_of(o), RC__REPORT_MISUSE, "rc: %s of object %p (type '%s'); object pinned and leaked", what,
		   (void *)o, name_of(o));
}

/* ------------------------------------------------------------------------------------------ */
/* Counting slow paths                                                                         */
/* ------------------------------------------------------------------------------------------ */

void rc__incref_slow(rc_object *obj)
{
	uint32_t n = obj->rc__refcnt;

	if (count_is_mortal(n) && n < RC_REFCNT_MAX) {
		obj->rc__refcnt = n + 1u; /* not reached from rc_incref; kept for direct callers */
	} else if (n == RC_REFCNT_MAX) {
#if RC_MUTATION == 50 /* mutant 50: the count wraps (31 bits) instead of saturating: it reaches 0, no report */
		obj->rc__refcnt = (n + 1u) & RC_REFCNT_MAX;
		return;
#endif
		pin_and_report(obj, "count saturated (increment past RC_REFCNT_MAX)");
	} else if (n == 0) {
		pin_and_report(obj, "increment of a dead object (count zero)");
	} else if (!count_is_immortal(n)) {
		obj->rc__refcnt = RC_REFCNT_SATURATED; /* saturated stays saturated */
	}
}

void rc__decref_slow(rc_object *obj)
{
	uint32_t n = obj->rc__refcnt;

	if (n == 1) {
		obj->rc__refcnt = 0;
		rc__release_dead(obj);
	} else if (n == 0) {
		pin_and_report(obj, "release at count zero (double release)");
	} else if (count_is_mortal(n)) {
		obj->rc__refcnt = n - 1u; /* not reached from rc_decref; kept for direct callers */
		if (!(obj->rc__gc & GC_NO_ROOT))
			rc__possible_root(obj);
	} else if (!count_is_immortal(n)) {
		obj->rc__refcnt = RC_REFCNT_SATURATED;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Candidate roots                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* Squeezes the holes out of the root buffer, renumbering the slots kept in the gc words. */
static void compact_roots(rc_heap *h)
{
	size_t i, j = 0;
	rc_object *o;

	for (i = 0; i < h->nroots; i++) {
		o = h->roots[i];
		if (!o)
			continue;
		h->roots[j] = o;
		o->rc__gc = GC_NO_ROOT | GC_BUFFERED | (uint32_t)(j << GC_SLOT_SHIFT);
		j++;
	}
	h->nroots = j;
	h->holes = 0;
	h->old_front = 0; /* the old roots a minor collection kept are no longer all at the front */
	h->roots_gen++;
}

/* Makes room for one more root: compacts when at least half the slots are holes, else grows
 * the buffer (doubling). Returns false when the allocator fails or the slot field is full. */
static bool roots_reserve(rc_heap *h)
{
	size_t cap;
	rc_object **tab;

	if (h->nroots < h->roots_cap)
		return true;
	if (h->holes && h->holes * 2 >= h->nroots) {
		compact_roots(h);
		return true;
	}
	cap = h->roots_cap ? h->roots_cap * 2 : 256;
	if (cap - 1 > GC_SLOT_MAX)
		return false;
	if (h->pooled) {
		/* the default allocator (malloc): realloc moves a large buffer by remapping its
		 * pages, where a new buffer would be faulted in page by page and copied (measured
		 * on a fresh heap recording 1M roots: the growth was most of each release's cost) */
		tab = realloc(h->roots, cap * sizeof *tab);
		if (!tab)
			return false;
	} else {
		tab = rc__mem_alloc(h, cap * sizeof *tab);
		if (!tab)
			return false;
		if (h->nroots)
			memcpy(tab, h->roots, h->nroots * sizeof *tab);
		rc__mem_free(h, h->roots, h->roots_cap * sizeof *tab);
	}
	h->roots = tab;
	h->roots_cap = cap;
	h->roots_gen++;
	return true;
}

/*
 * Pre: obj collectable, mortal, not buffered (gc == 0).
 * Post: obj is in the buffer (true), or the buffer could not grow and obj is not a candidate
 * (false; heap->roots_lost is set: TRACK_ALL heaps then make the next collection a full one).
 */
bool rc__buffer_root(rc_heap *h, rc_object *obj)
{
	if (!roots_reserve(h)) {
		h->roots_lost = true;
		return false;
	}
	obj->rc__gc = GC_NO_ROOT | GC_BUFFERED | (uint32_t)(h->nroots << GC_SLOT_SHIFT);
	h->roots[h->nroots++] = obj;
	return true;
}

/* Pre: obj buffered. Post: its slot is a hole, gc == 0. */
void rc__unbuffer(rc_heap *h, rc_object *obj)
{
	size_t slot = obj->rc__gc >> GC_SLOT_SHIFT;
	h->roots[slot] = NULL;
	h->holes++;
	obj->rc__gc = 0;
}

/* Called by rc_decref when a collectable object's count dropped to a non-zero value. */
void rc__possible_root(rc_object *obj)
{
	rc_heap *h = heap_of(obj);
#if RC_MUTATION == 4 /* mutant 4: a release to a non-zero count never records a candidate root */
	if (h || !h)
		return;
#else
	if (!h || !count_is_mortal(obj->rc__refcnt) || (obj->rc__gc & GC_NO_ROOT))
		return;
#endif
	(void)rc__buffer_root(h, obj);
}

/* ------------------------------------------------------------------------------------------ */
/* Teardown at zero                                                                            */
/* ------------------------------------------------------------------------------------------ */

/*
 * The finalizer at zero: runs with count 1. Returns true when the object is still dying
 * (count back to 0), false when it was resurrected or pinned (it stays alive).
 */
static bool finalize_at_zero(rc_heap *h, rc_object *o, const rc_type *t)
{
	uint32_t n;

#if RC_MUTATION == 1 /* mutant 1: a finalizer runs again when a resurrected object dies (counting path) */
	o->rc__refcnt = 1;
	t->finalize(o);
#else
	cls_tag(o, CLS_FINALIZED);
	o->rc__refcnt = 1;
	t->finalize(o);
#endif
#if RC_MUTATION == 2 /* mutant 2: an object resurrected by its finalizer is freed anyway (counting path) */
	n = 1;
	if (o->rc__gc & GC_BUFFERED)
		rc__unbuffer(h, o);
	if (n == 1) {
#else
	n = o->rc__refcnt;
	if (o->rc__gc & GC_BUFFERED)
		rc__unbuffer(h, o);
	if (n == 1) {
#endif
		o->rc__refcnt = 0;
		return true;
	}
	cls_untag(o, CLS_DYING);
	if (count_is_mortal(n)) {
		o->rc__refcnt = n - 1u; /* resurrected: a candidate (it may sit in a new cycle) */
		if (is_collectable(o))
			(void)rc__buffer_root(h, o);
	}
	return false;
}

/*
 * Tears down one dying object (count 0, CLS_DYING): finalizer (once; may resurrect), weak
 * references (cleared, then callbacks), clear, destroy, memory. A release or increment of the
 * object meanwhile is misuse: it pins the object, which is then left allocated (leaked).
 */
static void teardown(rc_heap *h, rc_object *o)
{
	const rc_type *t = type_of(o);
	rc_weakref *cbs = NULL;

	if (o->rc__refcnt != 0)
		return; /* pinned while waiting on the pending list */
	if (t->finalize && !(cls_word(o) & CLS_FINALIZED) && !finalize_at_zero(h, o, t))
		return;
	if (cls_word(o) & CLS_WEAKREFS) {
		rc__weakrefs_detach(h, o, &cbs, false);
		rc__weakrefs_run(cbs);
		if (o->rc__refcnt != 0)
			return;
	}
	clear_refs(class_of(o), o);
	if (t->destroy)
		t->destroy(o);
	if (o->rc__refcnt != 0)
		return;
	if (o->rc__gc & GC_BUFFERED)
		rc__unbuffer(h, o);
	rc__free_object(h, o);
}

/*
 * Pre: obj's count just became 0 (rc_decref of the last reference, or the collector dropping
 * its hold). Post: obj is torn down, or queued for the teardown loop already running.
 */
void rc__release_dead(rc_object *obj)
{
	rc_heap *h = heap_of(obj);
	rc_object *o;

	if ((cls_word(obj) & CLS_IN_SET) && h->lazy_hold && obj->rc__gc == GC_NO_ROOT) {
		/* garbage of a running collection that the collector has not held yet: the last
		 * reference to it went (a clear or destroy released it); the collector's hold is
		 * all that is left, and the tear down frees it when it gets to it (collect.c) */
		obj->rc__refcnt = 1;
		obj->rc__gc = GC_NO_ROOT | GC_HELD;
		return;
	}
	if (cls_word(obj) & (CLS_DYING | CLS_IN_SET)) {
		/* already being torn down, or held by a running collection: one release too many */
		pin_and_report(obj, "release at count zero (double release)");
		return;
	}
	cls_tag(obj, CLS_DYING);
	if (obj->rc__gc & GC_BUFFERED)
		rc__unbuffer(h, obj);
	if (!is_collectable(obj)) {
		teardown(h, obj);
		return;
	}
	if (h->destroying) {
#if RC_MUTATION == 52 /* mutant 52: a release inside a teardown recurses instead of queueing */
		teardown(h, obj);
		return;
#endif
		*link_of(obj) = (uintptr_t)h->pending;
		h->pending = obj;
		return;
	}
	h->destroying = true;
	teardown(h, obj);
#if RC_MUTATION == 3 /* mutant 3: the teardown loop drains one queued object only (the rest leak) */
	if ((o = h->pending) != NULL) {
		h->pending = NULL;
#else
	while ((o = h->pending) != NULL) {
		h->pending = (rc_object *)*link_of(o);
#endif
		*link_of(o) = 0;
		teardown(h, o);
	}
	h->destroying = false;
}
