/*
 * heap.c - heaps, type records, allocation, immortal objects, quarantine, teardown and the
 * leak report. The object layout and the invariants are described in internal.h; the
 * collector in collect.c (design note: docs/collector.md).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Errors and reports                                                                          */
/* ------------------------------------------------------------------------------------------ */

const char *rc_strerror(int err)
{
	switch (err) {
#define RC__ERRNO_CASE(name, value, msg) \
	case (value):                    \
		return msg;
		RC_ERRNO_MAP(RC__ERRNO_CASE)
#undef RC__ERRNO_CASE
	default:
		return "unknown error";
	}
}

void rc__report(rc_heap *heap, enum rc__report_kind kind, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (heap && heap->report) {
		heap->report(heap->report_ctx, line);
		return;
	}
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
	if (RC__DEBUG && kind == RC__REPORT_MISUSE)
		abort();
}

/* ------------------------------------------------------------------------------------------ */
/* Memory                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void *default_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void default_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

static const rc_allocator default_allocator = { default_alloc, default_free, NULL };

void *rc__mem_alloc(rc_heap *heap, size_t size)
{
	return heap->alloc.alloc(heap->alloc.ctx, size);
}

void rc__mem_free(rc_heap *heap, void *ptr, size_t size)
{
	if (ptr)
		heap->alloc.free(heap->alloc.ctx, ptr, size);
}

/* ------------------------------------------------------------------------------------------ */
/* Heaps                                                                                       */
/* ------------------------------------------------------------------------------------------ */

#define KNOWN_FLAGS (RC_HEAP_TRACK_ALL | RC_HEAP_QUARANTINE | RC_HEAP_GC_DISABLED | RC_HEAP_GENERATIONS)

int rc_heap_new(rc_heap **out, const rc_heap_options *opts)
{
	rc_heap_options none = { 0 };
	const rc_allocator *a;
	rc_heap *h;

	if (!out)
		return RC_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &none;
	a = opts->allocator ? opts->allocator : &default_allocator;
	if (!a->alloc || !a->free || (opts->flags & ~(unsigned)KNOWN_FLAGS))
		return RC_EINVAL;
	h = a->alloc(a->ctx, sizeof *h);
	if (!h)
		return RC_ENOMEM;
	memset(h, 0, sizeof *h);
	h->alloc = *a;
	h->pooled = !opts->allocator; /* hooks see every object allocation: see pool.h */
	rc__pool_init(&h->pool);
	h->flags = opts->flags;
	h->quarantine_on = RC__DEBUG || (opts->flags & RC_HEAP_QUARANTINE);
	h->gc_enabled = !(opts->flags & RC_HEAP_GC_DISABLED);
	h->report = opts->report;
	h->report_ctx = opts->report_ctx;
	h->threshold = opts->gc_threshold ? opts->gc_threshold : RC_DEFAULT_THRESHOLD;
	h->gc_trigger = h->threshold;
	*out = h;
	return 0;
}

rc_heap *rc_heap_of(const rc_object *obj)
{
	return obj ? heap_of(obj) : NULL;
}

const rc_type *rc_type_of(const rc_object *obj)
{
	return obj ? type_of(obj) : NULL;
}

size_t rc_header_size(const rc_type *type)
{
	if (!type)
		return 0;
	return sizeof(rc_object) + (type->traverse || type->nrefs ? sizeof(uintptr_t) : 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Type records                                                                                */
/* ------------------------------------------------------------------------------------------ */

static size_t class_hash(const rc_type *t, bool sized, size_t cap)
{
	uintptr_t x = (uintptr_t)t >> 3;
	x ^= x >> 17;
	x *= (uintptr_t)0x9E3779B97F4A7C15u;
	return ((size_t)(x >> 7) ^ (size_t)sized) & (cap - 1);
}

/* Inserts c into the table (which has room). */
static void class_insert(struct rc__class **tab, size_t cap, struct rc__class *c)
{
	size_t i = class_hash(c->type, c->sized, cap);
	while (tab[i])
		i = (i + 1) & (cap - 1);
	tab[i] = c;
}

/* Grows the class table to keep its load <= 1/2. Returns false when out of memory. */
static bool classes_reserve(rc_heap *h)
{
	size_t cap, i;
	struct rc__class **tab;

	if ((h->classes_len + 1) * 2 <= h->classes_cap)
		return true;
	cap = h->classes_cap ? h->classes_cap * 2 : 16;
	tab = rc__mem_alloc(h, cap * sizeof *tab);
	if (!tab)
		return false;
	memset(tab, 0, cap * sizeof *tab);
	for (i = 0; i < h->classes_cap; i++)
		if (h->classes[i])
			class_insert(tab, cap, h->classes[i]);
	rc__mem_free(h, h->classes, h->classes_cap * sizeof *h->classes);
	h->classes = tab;
	h->classes_cap = cap;
	return true;
}

static struct rc__class *class_find(const rc_heap *h, const rc_type *t, bool sized)
{
	size_t i;

	if (!h->classes_cap)
		return NULL;
	i = class_hash(t, sized, h->classes_cap);
	while (h->classes[i]) {
		if (h->classes[i]->type == t && h->classes[i]->sized == sized)
			return h->classes[i];
		i = (i + 1) & (h->classes_cap - 1);
	}
	return NULL;
}

/*
 * Whether t's reference-field map is consistent (rc.h, rc_type.ref_offsets); when not, says why
 * through the report hook (an error of the program, but one rc_new can refuse: no abort) and
 * returns false. Checked once per heap and type, when its record is made.
 */
static bool map_is_valid(rc_heap *h, const rc_type *t)
{
	const char *why = NULL;
	size_t i, off = 0;

	if (!t->ref_offsets != !t->nrefs)
		why = "ref_offsets and nrefs must be given together";
	else if (t->nrefs && t->clear && !t->traverse)
		why = "clear without traverse (the map's fields are cleared by the runtime)";
	for (i = 0; !why && i < t->nrefs; i++) {
		off = t->ref_offsets[i];
		if (off < sizeof(rc_object))
			why = "overlaps the object header";
		else if (off % sizeof(rc_object *))
			why = "is not aligned to sizeof(rc_object *)";
		else if (off > t->size || t->size - off < sizeof(rc_object *))
			why = "lies outside the type's size";
		else if (i && off <= t->ref_offsets[i - 1])
			why = "is not above the previous offset (offsets must be strictly increasing)";
	}
	if (!why)
		return true;
	if (i && i <= t->nrefs)
		rc__report(h, RC__REPORT_INFO, "rc: type '%s': ref_offsets[%zu] = %zu %s; no object of it is created",
			   t->name ? t->name : "?", i - 1, off, why);
	else
		rc__report(h, RC__REPORT_INFO, "rc: type '%s': %s; no object of it is created", t->name ? t->name : "?",
			   why);
	return false;
}

/* The record of (t, sized) in h, created on first use (64-byte aligned so that the object's
 * cls word has 6 tag bits). NULL when out of memory or t's map is inconsistent. */
static struct rc__class *class_get(rc_heap *h, const rc_type *t, bool sized)
{
	struct rc__class *c = h->last_class;
	size_t raw_size = sizeof *c + CLASS_ALIGN - 1;
	void *raw;

	if (c && c->type == t && c->sized == sized)
		return c;
	c = class_find(h, t, sized);
	if (!c) {
		if (!map_is_valid(h, t) || !classes_reserve(h))
			return NULL;
		raw = rc__mem_alloc(h, raw_size);
		if (!raw)
			return NULL;
		c = (struct rc__class *)(((uintptr_t)raw + CLASS_ALIGN - 1) & ~(uintptr_t)(CLASS_ALIGN - 1));
		memset(c, 0, sizeof *c);
		c->type = t;
		c->heap = h;
		c->sized = sized;
		c->collectable = t->traverse != NULL || t->nrefs;
		c->ref_offsets = t->ref_offsets;
		c->nrefs = t->nrefs;
		c->raw = raw;
		c->raw_size = raw_size;
		c->prefix = (sized ? sizeof(size_t) : 0) +
			    ((h->flags & RC_HEAP_TRACK_ALL) ? 2 * sizeof(rc_object *) : 0) +
			    (c->collectable ? sizeof(uintptr_t) : 0);
		class_insert(h->classes, h->classes_cap, c);
		h->classes_len++;
		h->map_classes += c->nrefs != 0;
	}
	h->last_class = c;
	return c;
}

/* ------------------------------------------------------------------------------------------ */
/* Allocation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static bool type_is_valid(const rc_type *t)
{
	return t && t->size >= sizeof(rc_object) && (!t->traverse || t->clear) &&
	       ((uintptr_t)t & 7u) == 0;
}

/* Safe point: an automatic collection when enabled, idle and past the trigger. */
static void maybe_collect(rc_heap *h)
{
#if RC_MUTATION == 51 /* mutant 51: automatic collection never runs at the safe points */
	(void)h;
#else
	if (h->gc_enabled && !h->collecting && !h->destroying && h->nroots - h->holes >= h->gc_trigger)
		(void)rc__collect_auto(h);
#endif
}

static void track_insert(rc_heap *h, rc_object *o)
{
	rc_object **t = track_of(o);
	t[0] = NULL;
	t[1] = h->track_head;
	if (h->track_head)
		track_of(h->track_head)[0] = o;
	h->track_head = o;
}

static void track_remove(rc_heap *h, rc_object *o)
{
	rc_object **t = track_of(o);
	if (t[0])
		track_of(t[0])[1] = t[1];
	else
		h->track_head = t[1];
	if (t[1])
		track_of(t[1])[0] = t[0];
}

static rc_object *new_object(rc_heap *h, const rc_type *t, size_t size, bool sized)
{
	struct rc__class *c;
	size_t total;
	char *base;
	rc_object *o;

	if (!h || !type_is_valid(t) || size < t->size)
		return NULL;
	maybe_collect(h);
	c = class_get(h, t, sized);
	if (!c || size > SIZE_MAX - c->prefix)
		return NULL;
	total = c->prefix + size;
	if (h->pooled && rc__pool_fits(total))
		base = rc__pool_alloc(h, &h->pool, total);
	else
		base = rc__mem_alloc(h, total);
	if (!base)
		return NULL;
	o = (rc_object *)(void *)(base + c->prefix);
	if (sized)
		*(size_t *)(void *)base = total;
	if (c->collectable)
		*link_of(o) = 0;
	cls_set(o, (uintptr_t)c | (c->collectable ? CLS_COLLECTABLE : 0));
	o->rc__refcnt = 1;
	o->rc__gc = c->collectable ? 0 : GC_NO_ROOT;
	memset(o + 1, 0, size - sizeof(rc_object));
	if (h->flags & RC_HEAP_TRACK_ALL)
		track_insert(h, o);
	c->live++;
	h->live_objects++;
	h->live_collectable += c->collectable;
	h->live_bytes += total;
	h->allocated_total++;
	return o;
}

rc_object *rc_new(rc_heap *heap, const rc_type *type)
{
	return new_object(heap, type, type ? type->size : 0, false);
}

rc_object *rc_new_sized(rc_heap *heap, const rc_type *type, size_t size)
{
	if (type && size == type->size)
		return new_object(heap, type, size, false);
	return new_object(heap, type, size, true);
}

static void release_memory(rc_heap *h, rc_object *o)
{
	rc__release_memory(h, o);
}

/* rc__free_object (internal.h) for heaps with tracking or the quarantine: same contract. */
void rc__free_object_slow(rc_heap *h, rc_object *o)
{
	rc_object *old;
	size_t i, slot;

#if RC_MUTATION == 14 /* mutant 14: a freed object is not untracked (heap walks see freed objects) */
	if ((h->flags & RC_HEAP_TRACK_ALL) && !o)
		track_remove(h, o);
#else
	if (h->flags & RC_HEAP_TRACK_ALL)
		track_remove(h, o);
#endif
	if (!h->quarantine_on) {
		release_memory(h, o);
		return;
	}
	o->rc__gc = GC_NO_ROOT | GC_DEAD;
	cls_untag(o, CLS_DYING);
	if (h->q_len < RC_QUARANTINE_SLOTS) {
		h->quarantine[h->q_len++] = o;
		return;
	}
	/* evict the oldest entry that no late release has pinned (a pinned one means someone
	 * still uses the pointer: it stays until rc_heap_destroy); if all are pinned, the
	 * quarantine is full of evidence and o is returned at once */
	for (i = 0; i < RC_QUARANTINE_SLOTS; i++) {
		slot = (h->q_next + i) % RC_QUARANTINE_SLOTS;
		old = h->quarantine[slot];
		if (old->rc__refcnt == 0) {
			release_memory(h, old);
			h->quarantine[slot] = o;
			h->q_next = (slot + 1) % RC_QUARANTINE_SLOTS;
			return;
		}
	}
	release_memory(h, o);
}

/* ------------------------------------------------------------------------------------------ */
/* Immortal objects                                                                            */
/* ------------------------------------------------------------------------------------------ */

void rc__immortal_push(rc_heap *h, rc_object *obj)
{
	*link_of(obj) = (uintptr_t)h->immortal_list;
	h->immortal_list = obj;
}

/* Remembers an immortal leaf of a heap without TRACK_ALL so that rc_heap_destroy can free it;
 * if the array cannot grow, that leaf's memory is not returned at teardown. */
static void remember_immortal_leaf(rc_heap *h, rc_object *obj)
{
	rc_object **tab;
	size_t cap;

	if (h->nimmortals == h->immortals_cap) {
		cap = h->immortals_cap ? h->immortals_cap * 2 : 8;
		tab = rc__mem_alloc(h, cap * sizeof *tab);
		if (!tab)
			return;
		if (h->nimmortals)
			memcpy(tab, h->immortals, h->nimmortals * sizeof *tab);
		rc__mem_free(h, h->immortals, h->immortals_cap * sizeof *tab);
		h->immortals = tab;
		h->immortals_cap = cap;
	}
	h->immortals[h->nimmortals++] = obj;
}

void rc_make_immortal(rc_object *obj)
{
	rc_heap *h;

	if (!obj || is_static(obj) || count_is_immortal(obj->rc__refcnt) || obj->rc__refcnt == 0)
		return;
	h = heap_of(obj);
	if (obj->rc__gc & GC_BUFFERED)
		rc__unbuffer(h, obj);
	obj->rc__refcnt = RC_REFCNT_IMMORTAL;
	obj->rc__gc = GC_NO_ROOT;
	cls_untag(obj, CLS_DYING);
	class_of(obj)->immortal++;
	if (!is_collectable(obj)) {
		if (!(h->flags & RC_HEAP_TRACK_ALL))
			remember_immortal_leaf(h, obj);
	} else if (!(cls_word(obj) & CLS_IN_SET)) {
		rc__immortal_push(h, obj);
	} /* else: in a running collection, which pushes it when it lets go of it */
}

/* ------------------------------------------------------------------------------------------ */
/* Statistics                                                                                  */
/* ------------------------------------------------------------------------------------------ */

uint32_t rc_refcount(const rc_object *obj)
{
	return obj ? obj->rc__refcnt : 0;
}

void rc_heap_get_stats(const rc_heap *heap, rc_heap_stats *out)
{
	const rc_object *o;

	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!heap)
		return;
	out->live_objects = heap->live_objects;
	out->live_collectable = heap->live_collectable;
	out->live_bytes = heap->live_bytes;
	out->candidate_roots = heap->nroots - heap->holes;
	out->collections = heap->collections;
	out->collected = heap->collected;
	out->allocated_total = heap->allocated_total;
	out->freed_total = heap->freed_total;
#if RC_MUTATION == 55 /* mutant 55: an untracked heap reports 0 references instead of SIZE_MAX (unknown) */
	out->total_refs = 0;
#else
	out->total_refs = SIZE_MAX;
#endif
	if (heap->flags & RC_HEAP_TRACK_ALL) {
		out->total_refs = 0;
		for (o = heap->track_head; o; o = track_of((rc_object *)(uintptr_t)o)[1])
			if (count_is_mortal(o->rc__refcnt))
				out->total_refs += o->rc__refcnt;
	}
}

size_t rc_heap_count_type(const rc_heap *heap, const rc_type *type)
{
	size_t n = 0;
	const struct rc__class *c;

	if (!heap || !type)
		return 0;
	if ((c = class_find(heap, type, false)))
		n += c->live;
	if ((c = class_find(heap, type, true)))
		n += c->live;
	return n;
}

void rc_heap_foreach_type(const rc_heap *heap, void (*fn)(const rc_type *type, size_t live, void *arg), void *arg)
{
	size_t i, n;
	const struct rc__class *c, *twin;

	if (!heap || !fn)
		return;
	for (i = 0; i < heap->classes_cap; i++) {
		c = heap->classes[i];
		if (!c || !c->live)
			continue;
		n = c->live;
		twin = class_find(heap, c->type, !c->sized);
		if (twin && twin->live) {
			if (c->sized)
				continue; /* reported with its fixed-size twin */
			n += twin->live;
		}
		fn(c->type, n, arg);
	}
}

int rc_heap_foreach(rc_heap *heap, void (*fn)(rc_object *obj, void *arg), void *arg)
{
	rc_object *o, *next;

	if (!heap || !fn)
		return RC_EINVAL;
	if (!(heap->flags & RC_HEAP_TRACK_ALL))
#if RC_MUTATION == 56 /* mutant 56: rc_heap_foreach on an untracked heap visits nothing and says it succeeded */
		return 0;
#else
		return RC_ENOTRACK;
#endif
	for (o = heap->track_head; o; o = next) {
		next = track_of(o)[1];
		fn(o, arg);
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Teardown                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Drops the references held by immortal objects, so that what they kept alive can go. */
static void clear_immortals(rc_heap *h)
{
	rc_object *o;

	/* immortal objects are never freed, so the list stays intact while clear runs */
	for (o = h->immortal_list; o; o = (rc_object *)*link_of(o))
		clear_refs(class_of(o), o);
}

/* Reports survivors (immortal objects excepted). Returns how many. */
static size_t leak_report(rc_heap *h)
{
	size_t i, n, leaked = 0;
	const struct rc__class *c;
	rc_object *o;

	for (i = 0; i < h->classes_cap; i++) {
		c = h->classes[i];
		if (!c || c->live == c->immortal)
			continue;
		n = c->live - c->immortal;
		leaked += n;
		rc__report(h, RC__REPORT_INFO, "rc: leak: %zu object%s of type '%s' survived heap teardown", n,
			   n == 1 ? "" : "s", c->type->name ? c->type->name : "?");
	}
	if (!(h->flags & RC_HEAP_TRACK_ALL))
		return leaked;
	for (o = h->track_head; o; o = track_of(o)[1]) {
		if (count_is_immortal(o->rc__refcnt))
			continue;
		rc__report(h, RC__REPORT_INFO, "rc: leak: object %p of type '%s' survived (count %u)", (void *)o,
			   type_of(o)->name ? type_of(o)->name : "?", (unsigned)o->rc__refcnt);
	}
	return leaked;
}

static void destroy_if_any(rc_object *o)
{
	const rc_type *t = type_of(o);
	if (t->destroy)
		t->destroy(o);
}

/* Immortal objects end with the heap: their destroy runs (once, after the clear of
 * clear_immortals), before any memory is returned. Survivors (leaks) are not destroyed: they
 * may still be in use. */
static void detach_if_any(rc_heap *h, rc_object *o, rc_weakref **cbs)
{
	if (cls_word(o) & CLS_WEAKREFS)
		rc__weakrefs_detach(h, o, cbs, false);
}

/* Calls fn on every immortal object of the heap (collectable ones first). */
static void foreach_immortal(rc_heap *h, void (*fn)(rc_heap *, rc_object *, rc_weakref **), rc_weakref **cbs)
{
	size_t i;
	rc_object *o;

	for (o = h->immortal_list; o; o = (rc_object *)*link_of(o))
		fn(h, o, cbs);
	if (h->flags & RC_HEAP_TRACK_ALL) {
		for (o = h->track_head; o; o = track_of(o)[1])
			if (!is_collectable(o) && count_is_immortal(o->rc__refcnt))
				fn(h, o, cbs);
	} else {
		for (i = 0; i < h->nimmortals; i++)
			fn(h, h->immortals[i], cbs);
	}
}

static void destroy_one(rc_heap *h, rc_object *o, rc_weakref **cbs)
{
	(void)h;
	(void)cbs;
	destroy_if_any(o);
}

/* Immortal objects end with the heap, like garbage in a collection: first every weak reference
 * to them reads as gone and the callbacks run (with all immortals still intact), then their
 * destroy runs (once, after the clear of clear_immortals), before any memory is returned.
 * Survivors (leaks) are not destroyed: they may still be in use. */
static void destroy_immortals(rc_heap *h)
{
	rc_weakref *cbs = NULL;

	foreach_immortal(h, detach_if_any, &cbs);
	rc__weakrefs_run(cbs);
	foreach_immortal(h, destroy_one, NULL);
}

static void free_everything(rc_heap *h)
{
	size_t i;
	rc_object *o, *next;

	if (h->flags & RC_HEAP_TRACK_ALL) {
		for (o = h->track_head; o; o = next) {
			next = track_of(o)[1];
			release_memory(h, o);
		}
	} else {
		for (o = h->immortal_list; o; o = next) {
			next = (rc_object *)*link_of(o);
			release_memory(h, o);
		}
		for (i = 0; i < h->nimmortals; i++)
			release_memory(h, h->immortals[i]);
	}
	for (i = 0; i < h->q_len; i++)
		release_memory(h, h->quarantine[i]);
	rc__pool_destroy(h, &h->pool); /* survivors' memory goes with it: they were reported */
	for (i = 0; i < h->classes_cap; i++)
		if (h->classes[i])
			rc__mem_free(h, h->classes[i]->raw, h->classes[i]->raw_size);
	rc__mem_free(h, h->classes, h->classes_cap * sizeof *h->classes);
	rc__mem_free(h, h->roots, h->roots_cap * sizeof *h->roots);
	rc__mem_free(h, h->immortals, h->immortals_cap * sizeof *h->immortals);
	rc__weakrefs_free_table(h);
}

size_t rc_heap_destroy(rc_heap *heap)
{
	size_t leaked;
	int rounds;
	rc_allocator a;

	if (!heap)
		return 0;
	if (heap->collecting || heap->destroying) {
		rc__report(heap, RC__REPORT_MISUSE, "rc: rc_heap_destroy(%p) called from inside a collection or teardown; ignored",
			   (void *)heap);
		return 0;
	}
	clear_immortals(heap);
	/* finalizers may create new garbage: collect until a round frees nothing (bounded) */
	for (rounds = 0; rounds < 8; rounds++)
		if (rc__collect(heap, (heap->flags & RC_HEAP_TRACK_ALL) != 0) <= 0)
			break;
	leaked = leak_report(heap);
	destroy_immortals(heap);
	free_everything(heap);
	a = heap->alloc;
	a.free(a.ctx, heap, sizeof *heap);
	return leaked;
}
