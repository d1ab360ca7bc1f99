/* internal.h - PRIVATE to the rccheck runtime: not installed, layout may change at any time. */
#ifndef RC_BUILDING_RUNTIME
#error "runtime/src/internal.h is private to the rccheck runtime (define RC_BUILDING_RUNTIME only in its build)"
#endif
#ifndef RC_INTERNAL_H
#define RC_INTERNAL_H

/*
 * Invariants of the runtime's private state. Each is stated once here; rc_heap_check() and the
 * collector's asserts check them.
 *
 * Memory layout of one object (addresses grow to the right):
 *
 *     [size_t size]?   [track prev, next]?   [link]?   rc_object { cls, refcnt, gc }  payload...
 *      rc_new_sized     RC_HEAP_TRACK_ALL     collectable
 *
 *   class->prefix is the number of bytes before the rc_object; the allocation starts at
 *   (char *)obj - prefix. A plain collectable object has prefix 8 (24 bytes of header), a plain
 *   leaf prefix 0 (16 bytes).
 *
 * cls word (rc_object.rc__cls as an integer). Class records are allocated 128-byte aligned, so
 * the low 7 bits are tags:
 *   CLS_STATIC       statically allocated immortal object: the word is the rc_type pointer | 1
 *                    (RC_STATIC_OBJECT_INIT); no other tag is ever set on it.
 *   CLS_COLLECTABLE  the type has traverse or a reference-field map; the object has a link
 *                    word. Set at creation, never
 *                    changed.
 *   CLS_FINALIZED    finalize has run (or started). Set once, never cleared.
 *   CLS_WEAKREFS     the heap's weak-reference table may hold weak references to the object.
 *                    Set by rc_weakref_new, cleared when they are detached.
 *   CLS_IN_SET       the object is a member of the running collection's examined set (phases
 *                    1-4) or of its garbage set (phases 5-9); see collect.c. Never set outside
 *                    rc_collect.
 *   CLS_DYING        the count reached zero and the object is being torn down (finalizer at
 *                    zero, weak callbacks, clear, destroy, or waiting on the pending list). A
 *                    release of a dying object is a double release.
 *   CLS_OLD          RC_HEAP_GENERATIONS heaps only: the object survived a collection (was
 *                    found reachable). A minor collection treats old objects as outside owners
 *                    (never examines them; collect.c, "Generations"). Set by the collector
 *                    when a member leaves as reachable, never cleared.
 *
 * refcnt: 1..RC_REFCNT_MAX mortal; 0 dying or freed (quarantine); (RC_REFCNT_MAX,
 * RC_REFCNT_IMMORTAL) saturated (pinned: never freed); >= RC_REFCNT_IMMORTAL immortal.
 * During a collection the collector rewrites the counts of the examined set in place (trial
 * deletion) and restores them exactly before any user code runs.
 *
 * gc word, outside a collection:
 *   leaf or immortal or saturated object           GC_NO_ROOT
 *   collectable mortal object, not buffered        0
 *   collectable mortal object, buffered root       GC_NO_ROOT | GC_BUFFERED | slot << GC_SLOT_SHIFT
 *                                                  where heap->roots[slot] == obj
 *   freed object held in quarantine                GC_NO_ROOT | GC_DEAD
 * Inside a collection the collector owns the gc word (and the link word) of CLS_IN_SET
 * objects; see collect.c for their meaning phase by phase. The one value code outside
 * collect.c reads: a garbage object the collector holds has gc == GC_NO_ROOT | GC_HELD; while
 * heap->lazy_hold is set, an examined object with gc == GC_NO_ROOT is garbage not held yet,
 * and rc__release_dead applies the hold when its count reaches zero (see collect.c, "Lazy
 * hold"). GC_NO_ROOT is set in every gc word the collector writes, so the inline rc_decref
 * never buffers an object of a running collection.
 *
 * link word (collectable objects only): free outside a collection except while the object is
 * on heap->pending (a dying collectable object waiting to be torn down), where it holds the
 * next pending object.
 */

#include "rc/rc.h"
#include "pool.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef RC_MUTATION
#define RC_MUTATION 0
#endif

#if !defined(NDEBUG)
#define RC__DEBUG 1
#else
#define RC__DEBUG 0
#endif

/* ------------------------------------------------------------------------------------------ */
/* Tags and states                                                                             */
/* ------------------------------------------------------------------------------------------ */

#define CLS_STATIC ((uintptr_t)RC__CLS_STATIC_TAG)
#define CLS_COLLECTABLE ((uintptr_t)2)
#define CLS_FINALIZED ((uintptr_t)4)
#define CLS_WEAKREFS ((uintptr_t)8)
#define CLS_IN_SET ((uintptr_t)16)
#define CLS_DYING ((uintptr_t)32)
#define CLS_OLD ((uintptr_t)64)
#define CLS_TAGS ((uintptr_t)127)
#define CLASS_ALIGN 128

#define GC_NO_ROOT RC__GC_NO_ROOT
#define GC_BUFFERED UINT32_C(0x2)
#define GC_HELD UINT32_C(0x4)
#define GC_DEAD UINT32_C(0x8)
#define GC_SLOT_SHIFT 4
#define GC_SLOT_MAX (UINT32_MAX >> GC_SLOT_SHIFT)

/* RC_HEAP_GENERATIONS: at most max(this, old population / (4 * threshold)) minor collections in
 * a row (collect.c, major_due). */
#define RC__MAX_MINORS 100u

/* Default number of candidate roots that triggers an automatic collection. */
#define RC_DEFAULT_THRESHOLD 10000u

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Per-heap record of a type (one for fixed-size objects, one for rc_new_sized objects). The
 * reference-field map is copied from the type (validated when the record is made), so that the
 * collector's walks read it next to the type pointer. */
struct rc__class {
	const rc_type *type;
	const uint16_t *ref_offsets; /* type->ref_offsets */
	size_t nrefs;                /* type->nrefs */
	rc_heap *heap;
	size_t live;     /* live objects of this class (immortal and pinned included) */
	size_t immortal; /* of which immortal */
	size_t prefix;   /* bytes before the rc_object header */
	bool sized;      /* objects carry their size in the prefix */
	bool collectable;
	void *raw; /* what the allocator returned (the record is aligned inside it) */
	size_t raw_size;
};

struct rc_heap {
	rc_allocator alloc;
	unsigned flags;
	bool quarantine_on;
	bool gc_enabled;
	bool collecting; /* rc_collect is running */
	bool destroying; /* the outermost teardown loop is draining `pending` */
	bool roots_lost; /* a candidate root could not be buffered (allocator failure) */
	bool lazy_hold;  /* rc_collect is tearing down garbage not all held yet (collect.c) */
	void (*report)(void *ctx, const char *line);
	void *report_ctx;

	/* type -> class, open addressing, capacity a power of two (or 0) */
	struct rc__class **classes;
	size_t classes_cap, classes_len;
	size_t map_classes; /* records with a reference-field map (the collector's hot walks take
			     * the callback-only path while there are none: collect.c) */
	struct rc__class *last_class;

	/* candidate roots: slots [0, nroots) of which `holes` are NULL */
	rc_object **roots;
	size_t nroots, roots_cap, holes;
	size_t roots_gen;  /* bumped whenever the buffer moves or is compacted (collect.c) */
	size_t threshold;  /* user threshold (>= 1) */
	size_t gc_trigger; /* effective trigger: max(threshold, last examined / 4) */

	rc_object *pending; /* dying collectable objects waiting for teardown (link words) */

	/* RC_HEAP_TRACK_ALL: every live object, doubly linked through its track words */
	rc_object *track_head;

	/* immortal objects made by rc_make_immortal, cleared and freed at rc_heap_destroy:
	 * collectable ones on a list through their link words (never used again otherwise),
	 * leaves of heaps without TRACK_ALL in an array (which may fail to grow: that leaf's
	 * memory is then not returned) */
	rc_object *immortal_list;
	rc_object **immortals;
	size_t nimmortals, immortals_cap;

	/* weak references, hashed by target, chained through the weakrefs themselves */
	rc_weakref **wr_buckets;
	size_t wr_nbuckets, wr_count;

	/* small objects of heaps without allocator hooks (pool.h); `pooled` is fixed at creation */
	bool pooled;
	struct rc__pool pool;

	/* quarantine ring of recently freed objects */
	rc_object *quarantine[RC_QUARANTINE_SLOTS];
	size_t q_next, q_len;

	/* statistics */
	size_t live_objects, live_collectable, live_bytes;
	size_t collections, collected, allocated_total, freed_total;
	size_t last_examined;
	/* RC_HEAP_GENERATIONS (collect.c, "Generations"): objects made old since the last major
	 * collection, live collectable objects right after it, old roots a minor collection left
	 * in the buffer (at its front), and whether the last collection was minor */
	size_t promoted, old_base, old_kept;
	size_t old_front; /* roots[0, old_front) were old when a minor collection kept them there */
	size_t minors;    /* minor collections since the last major one (major_due bounds it) */
	bool minors_only; /* test hook: major_due says only what the bound on minors says */
	bool last_minor;
	int last_outcome; /* enum rc__outcome of the last collection (collect.c; test hook) */
};

/* How a collection found its garbage (heap->last_outcome, for the tests). */
enum rc__outcome {
	RC__OUTCOME_NONE,          /* nothing examined */
	RC__OUTCOME_ALL_REACHABLE, /* no trial count reached zero: nothing to free */
	RC__OUTCOME_ALL_HELD,      /* everything garbage, held at once (weak references or finalizers) */
	RC__OUTCOME_ALL_LAZY,      /* everything garbage, held lazily by the tear down */
	RC__OUTCOME_MIXED,         /* partition and restore ran */
};

/* A weak reference: an internal collectable type whose traverse visits nothing (so that the
 * collector can tell a weak reference that is itself garbage). */
struct rc_weakref {
	rc_object base;
	rc_object *target; /* not a counted reference; NULL once cleared */
	rc_weakref_callback cb;
	void *arg;
	rc_weakref *hnext, *hprev; /* bucket chain while target != NULL */
	rc_weakref *cbnext;        /* list of callbacks to run */
};

extern const rc_type rc__weakref_type;

/* ------------------------------------------------------------------------------------------ */
/* Small accessors                                                                             */
/* ------------------------------------------------------------------------------------------ */

static inline uintptr_t cls_word(const rc_object *o)
{
	return (uintptr_t)o->rc__cls;
}

static inline void cls_set(rc_object *o, uintptr_t w)
{
	o->rc__cls = (struct rc__class *)w;
}

static inline void cls_tag(rc_object *o, uintptr_t tag)
{
	cls_set(o, cls_word(o) | tag);
}

static inline void cls_untag(rc_object *o, uintptr_t tag)
{
	cls_set(o, cls_word(o) & ~tag);
}

static inline bool is_static(const rc_object *o)
{
	return (cls_word(o) & CLS_STATIC) != 0;
}

static inline bool is_collectable(const rc_object *o)
{
	return (cls_word(o) & CLS_COLLECTABLE) != 0;
}

/* The class record of a heap object (not of a static one). */
static inline struct rc__class *class_of(const rc_object *o)
{
	return (struct rc__class *)(cls_word(o) & ~CLS_TAGS);
}

static inline const rc_type *type_of(const rc_object *o)
{
	uintptr_t w = cls_word(o);
	if (w & CLS_STATIC)
		return (const rc_type *)(w & ~(uintptr_t)7);
	return ((struct rc__class *)(w & ~CLS_TAGS))->type;
}

static inline rc_heap *heap_of(const rc_object *o)
{
	if (is_static(o))
		return NULL;
	return class_of(o)->heap;
}

/* 1..RC_REFCNT_MAX: an ordinary count (not dying, saturated or immortal). */
static inline bool count_is_mortal(uint32_t n)
{
	return n - 1u < RC_REFCNT_MAX;
}

static inline bool count_is_immortal(uint32_t n)
{
	return n >= RC_REFCNT_IMMORTAL;
}

/* The link word of a collectable object (8 bytes just before its header). */
static inline uintptr_t *link_of(rc_object *o)
{
	return (uintptr_t *)(void *)((char *)o - sizeof(uintptr_t));
}

/* RC_HEAP_TRACK_ALL: the two track words (prev, next object) just before the link word. */
static inline rc_object **track_of(rc_object *o)
{
	return (rc_object **)(void *)((char *)o - (is_collectable(o) ? sizeof(uintptr_t) : 0) -
				      2 * sizeof(rc_object *));
}

static inline void *object_base(const rc_object *o)
{
	return (char *)(uintptr_t)o - class_of(o)->prefix;
}

/* ------------------------------------------------------------------------------------------ */
/* References an object holds                                                                  */
/* ------------------------------------------------------------------------------------------ */

#if defined(__GNUC__)
#define RC__ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define RC__ALWAYS_INLINE inline
#endif

static inline rc_object **ref_field(rc_object *o, uint16_t off)
{
	return (rc_object **)(void *)((char *)o + off);
}

/*
 * Calls visit once per non-NULL strong reference o (a collectable heap object) holds: the
 * fields of its class's map, then what its type's traverse visits. Always inlined: with a
 * constant visit (every caller in the runtime), the map's walk calls nothing, and the visitor's
 * body is inlined too (the collector's visitors are static inline).
 */
static RC__ALWAYS_INLINE void each_child(const struct rc__class *c, rc_object *o, rc_visit_fn visit, void *arg)
{
	const uint16_t *off = c->ref_offsets;
	size_t i, n = c->nrefs;
	rc_object *child;
	void (*trav)(rc_object *, rc_visit_fn, void *);

	for (i = 0; i < n; i++) {
		child = *ref_field(o, off[i]);
		if (child)
			visit(child, arg);
	}
	trav = c->type->traverse;
	if (trav)
		trav(o, visit, arg);
}

/*
 * Drops the references o holds: each field of the map in map order, as rc_clear_field (store
 * NULL, then release: user code that a release runs sees the field empty), then the type's
 * clear, if any. The class record is never freed while o lives, so user code run by a release
 * cannot invalidate c.
 */
static inline void clear_refs(const struct rc__class *c, rc_object *o)
{
	const uint16_t *off = c->ref_offsets;
	size_t i, n = c->nrefs;
	void (*clr)(rc_object *);

	for (i = 0; i < n; i++)
		rc_clear_field(ref_field(o, off[i]));
	clr = c->type->clear;
	if (clr)
		clr(o);
}

/* ------------------------------------------------------------------------------------------ */
/* Cross-file functions (rc__ prefix, hidden)                                                  */
/* ------------------------------------------------------------------------------------------ */

enum rc__report_kind { RC__REPORT_MISUSE, RC__REPORT_INFO };

/* Formats one line and hands it to the heap's report hook (heap may be NULL: default hook).
 * The default hook prints it to stderr and, for RC__REPORT_MISUSE in debug builds, aborts. */
void rc__report(rc_heap *heap, enum rc__report_kind kind, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

void *rc__mem_alloc(rc_heap *heap, size_t size);
void rc__mem_free(rc_heap *heap, void *ptr, size_t size);

/* Candidate-root buffer (refcount.c). */
bool rc__buffer_root(rc_heap *heap, rc_object *obj);
void rc__unbuffer(rc_heap *heap, rc_object *obj);

/* Teardown of an object whose count just reached zero (refcount.c). */
void rc__release_dead(rc_object *obj);
void rc__free_object_slow(rc_heap *heap, rc_object *obj);

/* Bytes allocated for o (prefix included). */
static inline size_t object_alloc_size(const rc_object *o)
{
	const struct rc__class *c = class_of(o);
	if (c->sized)
		return *(const size_t *)object_base(o);
	return c->prefix + c->type->size;
}

/* Really returns o's memory: to the heap's pool or to its allocator. */
static inline void rc__release_memory(rc_heap *h, rc_object *o)
{
	size_t total = object_alloc_size(o);
	h->live_bytes -= total;
	if (h->pooled && rc__pool_fits(total))
		rc__pool_free(&h->pool, object_base(o), total);
	else
		rc__mem_free(h, object_base(o), total);
}

/*
 * Pre: o is dead (count 0, torn down), not buffered, not on any list.
 * Post: o is no longer live; its memory is returned, or held in the quarantine (marked dead:
 * count 0, gc GC_DEAD) where a late release or increment is still detected and reported
 * (heap.c, with the removal from the tracking list).
 */
static inline void rc__free_object(rc_heap *h, rc_object *o)
{
	struct rc__class *c = class_of(o);

	c->live--;
	h->live_objects--;
	h->live_collectable -= c->collectable;
	h->freed_total++;
	if ((h->flags & RC_HEAP_TRACK_ALL) || h->quarantine_on)
		rc__free_object_slow(h, o);
	else
		rc__release_memory(h, o);
}

/* Weak references (weakref.c). */
/* Detaches every weak reference to obj; pushes those whose callback must run on *cbs (each
 * with a reference held). `in_collection`: skip callbacks of weakrefs that are CLS_IN_SET. */
void rc__weakrefs_detach(rc_heap *heap, rc_object *obj, rc_weakref **cbs, bool in_collection);
/* Runs and releases the callbacks collected by rc__weakrefs_detach. */
void rc__weakrefs_run(rc_weakref *cbs);
void rc__weakrefs_free_table(rc_heap *heap);

/* Puts a collectable object that just became immortal on heap->immortal_list (heap.c). */
void rc__immortal_push(rc_heap *heap, rc_object *obj);

/* Collection (collect.c). full: every tracked object is a candidate (TRACK_ALL heaps). A major
 * collection (every one of a heap without RC_HEAP_GENERATIONS). */
long rc__collect(rc_heap *heap, bool full);
/* The automatic collection of a safe point: minor on RC_HEAP_GENERATIONS heaps unless a major
 * one is due (collect.c, "Generations"), else as rc__collect(heap, false). */
long rc__collect_auto(rc_heap *heap);

#endif /* RC_INTERNAL_H */
