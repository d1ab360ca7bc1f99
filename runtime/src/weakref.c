/*
 * weakref.c - weak references.
 *
 * A weak reference is an object of the internal type rc__weakref_type (collectable with a
 * traverse that visits nothing, so that the collector can tell when a weak reference is itself
 * garbage). Targets carry no pointer to their weak references: the heap keeps a hash table
 * keyed by target address whose chains run through the weak references themselves, and the
 * target's CLS_WEAKREFS tag says that it may have entries. So objects that never get a weak
 * reference pay nothing, and detaching allocates nothing (the collector may do it). The table
 * grows only in rc_weakref_new, which may fail.
 */
#include "internal.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Table                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static size_t bucket_of(const rc_heap *h, const rc_object *target)
{
	uintptr_t x = (uintptr_t)target >> 3;
	x *= (uintptr_t)0x9E3779B97F4A7C15u;
	return (size_t)(x >> 17) & (h->wr_nbuckets - 1);
}

static void chain_insert(rc_weakref **buckets, size_t b, rc_weakref *w)
{
	w->hprev = NULL;
	w->hnext = buckets[b];
	if (w->hnext)
		w->hnext->hprev = w;
	buckets[b] = w;
}

static void chain_remove(rc_heap *h, rc_weakref *w)
{
	if (w->hprev)
		w->hprev->hnext = w->hnext;
	else
		h->wr_buckets[bucket_of(h, w->target)] = w->hnext;
	if (w->hnext)
		w->hnext->hprev = w->hprev;
	w->hnext = w->hprev = NULL;
	h->wr_count--;
}

/* Keeps the load factor <= 1 when possible. Returns false only when there is no table at
 * all and none can be allocated (a full table just gets longer chains). */
static bool table_reserve(rc_heap *h)
{
	size_t n, i, old_n = h->wr_nbuckets;
	rc_weakref **tab, **old = h->wr_buckets, *w, *next;

	if (h->wr_count < old_n)
		return true;
	n = old_n ? old_n * 2 : 64;
	tab = rc__mem_alloc(h, n * sizeof *tab);
	if (!tab)
		return old_n != 0;
	memset(tab, 0, n * sizeof *tab);
	h->wr_buckets = tab;
	h->wr_nbuckets = n;
	for (i = 0; i < old_n; i++) {
		for (w = old[i]; w; w = next) {
			next = w->hnext;
			chain_insert(tab, bucket_of(h, w->target), w);
		}
	}
	rc__mem_free(h, old, old_n * sizeof *old);
	return true;
}

void rc__weakrefs_free_table(rc_heap *h)
{
	rc__mem_free(h, h->wr_buckets, h->wr_nbuckets * sizeof *h->wr_buckets);
	h->wr_buckets = NULL;
	h->wr_nbuckets = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The weak-reference type                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void weakref_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	(void)self;
	(void)visit;
	(void)arg;
}

static void weakref_clear(rc_object *self)
{
	(void)self;
}

/* A weak reference that dies before its target leaves the target's chain. */
static void weakref_destroy(rc_object *self)
{
	rc_weakref *w = (rc_weakref *)(void *)self;
	if (w->target) {
		chain_remove(heap_of(self), w);
		w->target = NULL;
	}
}

const rc_type rc__weakref_type = {
	.name = "rc.weakref",
	.size = sizeof(rc_weakref),
	.traverse = weakref_traverse,
	.clear = weakref_clear,
	.destroy = weakref_destroy,
};

/* ------------------------------------------------------------------------------------------ */
/* Public functions                                                                            */
/* ------------------------------------------------------------------------------------------ */

rc_weakref *rc_weakref_new(rc_object *target, rc_weakref_callback cb, void *arg)
{
	rc_heap *h;
	rc_weakref *w;

	/* any heap object that is not dead (a static object belongs to no heap) */
	if (!target || is_static(target) || target->rc__refcnt == 0)
		return NULL;
	h = heap_of(target);
	w = (rc_weakref *)(void *)rc_new(h, &rc__weakref_type);
	if (!w)
		return NULL;
#if RC_MUTATION == 13 /* mutant 13: leak on an allocation-failure path: rc_weakref_new drops the new weakref without releasing it */
	if (!table_reserve(h)) {
		return NULL;
#else
	if (!table_reserve(h)) {
		rc_decref(&w->base);
		return NULL;
#endif
	}
	w->target = target;
	w->cb = cb;
	w->arg = arg;
	chain_insert(h->wr_buckets, bucket_of(h, target), w);
	h->wr_count++;
	cls_tag(target, CLS_WEAKREFS);
	return w;
}

rc_object *rc_weakref_get(rc_weakref *ref)
{
	if (!ref || !ref->target)
		return NULL;
	rc_incref(ref->target);
	return ref->target;
}

int rc_weakref_alive(const rc_weakref *ref)
{
	return ref && ref->target != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Detaching                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/*
 * Pre: obj is dying, or garbage in a collection. Post: no weak reference reads obj; each
 * detached weak reference whose callback must run (it has one, it is alive, and, in a
 * collection, it is not garbage itself) is pushed on *cbs with a reference held. Allocates
 * nothing and runs no user code.
 */
void rc__weakrefs_detach(rc_heap *h, rc_object *obj, rc_weakref **cbs, bool in_collection)
{
	rc_weakref *w, *next;

	cls_untag(obj, CLS_WEAKREFS);
	if (!h->wr_nbuckets)
		return;
	for (w = h->wr_buckets[bucket_of(h, obj)]; w; w = next) {
		next = w->hnext;
		if (w->target != obj)
			continue;
#if RC_MUTATION == 11 /* mutant 11: a weak reference is not cleared when its target dies */
		chain_remove(h, w);
#else
		chain_remove(h, w);
		w->target = NULL;
#endif
#if RC_MUTATION == 12 /* mutant 12: callbacks run for weak references that are garbage themselves */
		if (!w->cb || w->base.rc__refcnt == 0 || (cls_word(&w->base) & CLS_DYING) || (in_collection && 0))
#else
		if (!w->cb || w->base.rc__refcnt == 0 || /* dead (immortal and pinned are alive) */
		    (cls_word(&w->base) & CLS_DYING) || (in_collection && (cls_word(&w->base) & CLS_IN_SET)))
#endif
			continue;
		rc_incref(&w->base);
		w->cbnext = *cbs;
		*cbs = w;
	}
}

/* Runs the callbacks pushed by rc__weakrefs_detach (in detach order), releasing each weakref. */
void rc__weakrefs_run(rc_weakref *cbs)
{
	rc_weakref *rev = NULL, *w;

	while (cbs) { /* the list was built by pushing: reverse it */
		w = cbs;
		cbs = w->cbnext;
		w->cbnext = rev;
		rev = w;
	}
	while ((w = rev) != NULL) {
		rev = w->cbnext;
		w->cbnext = NULL;
		w->cb(w, w->arg);
		rc_decref(&w->base);
	}
}
