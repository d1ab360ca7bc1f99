/*
 * rc.h - rccheck's reference runtime: refcounted objects with a cycle collector.
 *
 * This is the only public header of the runtime. Everything named rc__ / RC__ in it is private:
 * it is here only because the inline fast paths (rc_incref, rc_decref) need the object layout.
 *
 * ---------------------------------------------------------------------------------------------
 * Model
 * ---------------------------------------------------------------------------------------------
 * An object lives in one heap (rc_heap) and starts with an rc_object header. Its count is the
 * number of references to it: those held by other objects (visited by its owners' traverse) plus
 * those held from outside (locals, globals, other data structures). When the count reaches zero
 * the object is destroyed at once:
 *     finalize (once per object, may resurrect) -> weak references cleared, callbacks run
 *     -> clear (drops the references the object holds) -> destroy (other resources) -> memory freed.
 * Destruction is iterative: dropping the last reference to the head of a chain of ten million
 * objects does not recurse.
 *
 * A type that can hold references declares traverse and clear, or a reference-field map (the
 * offsets of its rc_object * fields, which the runtime then visits and clears itself), or both;
 * objects of such a type are "collectable" and the cycle collector (rc_collect) frees those that
 * are unreachable from outside references, cycles included. A type with neither is a leaf: it
 * pays no collector cost, neither in header bytes nor in time.
 *
 * Counts: 32 bits, valid range 1..RC_REFCNT_MAX. Counts saturate instead of wrapping (the Linux
 * refcount_t rule: a leak is better than a use-after-free):
 *   - an increment past RC_REFCNT_MAX pins the count at RC_REFCNT_SATURATED, reports once, and
 *     the object is never freed afterwards;
 *   - a release of an object whose count is already zero (a double release) is reported, pins
 *     the count at RC_REFCNT_SATURATED and frees nothing;
 *   - immortal objects (rc_make_immortal, RC_STATIC_OBJECT) carry RC_REFCNT_IMMORTAL; increments
 *     and decrements leave it unchanged and the collector never frees or counts them.
 * Reports go to the heap's report hook (rc_heap_options.report). The default hook prints one line
 * naming the object's type and address to stderr and then, in debug builds of the runtime
 * (NDEBUG not defined), aborts; in release builds it returns and the object stays pinned
 * (leaked), which is the documented, defined behaviour.
 * A double release is detected as long as the header is still readable: during the object's own
 * destruction, while it sits in a collection, and (debug builds, or RC_HEAP_QUARANTINE) for the
 * RC_QUARANTINE_SLOTS most recently freed objects, whose memory is held back and marked dead.
 * Releasing memory that has been handed back to the allocator is undefined behaviour, as in C.
 *
 * Safe points: automatic collection runs only inside rc_new() / rc_new_sized() (and so
 * rc_weakref_new()) of the same heap, only when enabled, never while a collection or a teardown
 * of that heap is already running, and only when the number of buffered candidate roots has
 * reached the trigger: max(threshold, objects examined by the previous collection / 4). (The
 * second term keeps the amortized cost of collection per candidate root bounded when a large
 * live structure keeps being touched.) Finalizers and weak-reference callbacks therefore run
 * only inside rc_new*, rc_weakref_new, rc_collect, rc_heap_destroy, and inside any release that
 * drops an object's count to zero (for that object's own finalizer and callbacks, and for
 * objects that this release frees in turn).
 *
 * Candidate roots: a release that leaves a collectable object's count non-zero records it in a
 * per-heap buffer (8 bytes per candidate; holes of objects freed meanwhile are reused). The
 * buffer grows on that release path; if the allocator refuses, the object is not recorded:
 * heaps with RC_HEAP_TRACK_ALL then make their next collection a full one (nothing is lost),
 * other heaps may leak a cycle through that object (never free a live one).
 *
 * Memory: objects are aligned to 8 bytes (types that need more alignment are not supported).
 * Collectable objects carry 24 bytes of header, leaves 16; RC_HEAP_TRACK_ALL adds 16 bytes,
 * rc_new_sized 8 (the size).
 *
 * Thread safety: a heap and every object in it belong to one thread at a time; the runtime takes
 * no locks. Different heaps may be used from different threads concurrently. Immortal objects may
 * be shared by several heaps and threads (their counts never change), with one exception: a weak
 * reference to an object is made in that object's heap (its weak-reference table, and a tag in
 * the object's header), so rc_weakref_new on a shared immortal object may be called only by the
 * thread that owns the object's heap, or before the object is shared (another heap's collector
 * reads that header: a data race otherwise). An object must never hold a reference to an object
 * of another heap (rc_heap_check reports it).
 *
 * Errors: fallible functions return 0 or a negative RC_E* code (rc_strerror names it); functions
 * returning objects return NULL when out of memory.
 */
#ifndef RC_RC_H
#define RC_RC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Export and ownership annotations                                                            */
/* ------------------------------------------------------------------------------------------ */

#if defined(_WIN32)
#define RC_API __declspec(dllexport)
#elif defined(__GNUC__)
#define RC_API __attribute__((visibility("default")))
#else
#define RC_API
#endif

/*
 * Ownership annotations. rccheck reads them from the AST (clang's annotate attribute); other
 * compilers see nothing. Put function annotations before the declaration, parameter annotations
 * before the parameter's type.
 *   RC_NEW_REF          the function returns a new reference the caller owns
 *   RC_BORROWED_REF     the function returns a borrowed reference (the caller must not release it)
 *   RC_NULL_ON_FAILURE  the function returns NULL on failure (callers must check)
 *   RC_NEG_ON_FAILURE   the function returns a negative int on failure
 *   RC_STEALS           parameter: the function takes over the caller's reference, always
 *   RC_STEALS_ON_SUCCESS parameter: taken over only when the function succeeds (returns >= 0)
 *   RC_RELEASES         parameter: the function releases one reference (a decref)
 *   RC_ACQUIRES         parameter: the function adds one reference (an incref)
 *   RC_ACCEPTS_NULL     parameter: NULL is allowed (x-variants)
 */
#if defined(__clang__)
#define RC_NEW_REF __attribute__((annotate("rc::new_ref")))
#define RC_BORROWED_REF __attribute__((annotate("rc::borrowed_ref")))
#define RC_NULL_ON_FAILURE __attribute__((annotate("rc::null_on_failure")))
#define RC_NEG_ON_FAILURE __attribute__((annotate("rc::neg_on_failure")))
#define RC_STEALS __attribute__((annotate("rc::steals")))
#define RC_STEALS_ON_SUCCESS __attribute__((annotate("rc::steals_on_success")))
#define RC_RELEASES __attribute__((annotate("rc::releases")))
#define RC_ACQUIRES __attribute__((annotate("rc::acquires")))
#define RC_ACCEPTS_NULL __attribute__((annotate("rc::accepts_null")))
#else
#define RC_NEW_REF
#define RC_BORROWED_REF
#define RC_NULL_ON_FAILURE
#define RC_NEG_ON_FAILURE
#define RC_STEALS
#define RC_STEALS_ON_SUCCESS
#define RC_RELEASES
#define RC_ACQUIRES
#define RC_ACCEPTS_NULL
#endif

#if defined(__GNUC__)
#define RC__LIKELY(x) __builtin_expect(!!(x), 1)
#define RC__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define RC__LIKELY(x) (x)
#define RC__UNLIKELY(x) (x)
#endif

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* X(name, value, message): one table generates the enum and rc_strerror(). */
#define RC_ERRNO_MAP(X)                                                                   \
	X(NOMEM, -1, "out of memory")                                                     \
	X(INVAL, -2, "invalid argument")                                                  \
	X(BUSY, -3, "a collection is already running on this heap")                       \
	X(DISABLED, -4, "the collector is disabled on this heap")                         \
	X(NOTRACK, -5, "the heap was created without RC_HEAP_TRACK_ALL")                  \
	X(DEAD, -6, "the object is dead")

enum rc_errno {
#define RC__ERRNO_ENUM(name, value, msg) RC_E##name = (value),
	RC_ERRNO_MAP(RC__ERRNO_ENUM)
#undef RC__ERRNO_ENUM
};

/* Message for an RC_E* code (or "unknown error"); never NULL. */
RC_API const char *rc_strerror(int err);

/* ------------------------------------------------------------------------------------------ */
/* Types and objects                                                                           */
/* ------------------------------------------------------------------------------------------ */

typedef struct rc_heap rc_heap;
typedef struct rc_object rc_object;
typedef struct rc_type rc_type;

/* Called by traverse once per strong reference the object holds (NULL children are skipped by
 * the caller of visit, so visit(NULL) is harmless). */
typedef void (*rc_visit_fn)(rc_object *child, void *arg);

struct rc_type {
	const char *name; /* for reports; must outlive every object of the type */
	size_t size;      /* bytes of the user struct, rc_object header included (>= sizeof(rc_object)) */
	/* Visit every strong reference held (with a reference-field map: every one outside the
	 * map; see ref_offsets). Present => objects are collectable. Must not change counts,
	 * allocate or run user code. */
	void (*traverse)(rc_object *self, rc_visit_fn visit, void *arg);
	/* Drop every strong reference traverse visits (store NULL, then release: see
	 * rc_clear_field). May be called more than once; must leave the object safe to traverse.
	 * Required with traverse. */
	void (*clear)(rc_object *self);
	/* Optional. Runs at most once per object, before it is torn down, with the object intact and
	 * its count > 0 while it runs. It may store new references to the object or to others
	 * (resurrection): a resurrected object is not freed. */
	void (*finalize)(rc_object *self);
	/* Optional. Releases non-reference resources; runs once, after clear, just before the memory
	 * is freed. Must not resurrect. */
	void (*destroy)(rc_object *self);
	/*
	 * Optional reference-field map (CPython walks the slots of a __slots__ class the same way):
	 * ref_offsets[0..nrefs) are the byte offsets, from the start of the object (header
	 * included: offsetof(struct node, left)), of the rc_object * fields that hold strong
	 * references (or NULL). The runtime visits each non-NULL field and clears each one itself,
	 * exactly as rc_clear_field does (store NULL, then release), in map order, without calling
	 * the type: the collector pays no call per object or per edge. nrefs > 0 makes the objects
	 * collectable. Two forms:
	 *   map only       traverse and clear NULL: the map is every reference the object holds.
	 *   map + traverse traverse visits only the references that are NOT in the map (a variable
	 *                  part, say) and clear (required, as always with traverse) drops only
	 *                  those; the runtime clears the map's fields first, then calls clear.
	 * The map must be consistent, else rc_new / rc_new_sized return NULL for the type (and
	 * report why through the heap's report hook, without aborting): ref_offsets non-NULL iff
	 * nrefs > 0; offsets strictly increasing, multiples of sizeof(rc_object *), past the header
	 * (>= sizeof(rc_object)), each field inside size; clear without traverse is rejected when a
	 * map is given (the map already clears: such a clear is a mistake). Both the array and the
	 * type must outlive every object of the type. A static object's type has no map.
	 */
	const uint16_t *ref_offsets;
	uint16_t nrefs;
};

/* Count values (see the model above). */
#define RC_REFCNT_MAX UINT32_C(0x7fffffff)
#define RC_REFCNT_SATURATED UINT32_C(0xc0000000)
#define RC_REFCNT_IMMORTAL UINT32_C(0xe0000000)

/* Private: per-heap record of a type. The layout is not part of the ABI. */
struct rc__class;

/*
 * The header every object starts with. User structs embed it as their first member:
 *     struct node { rc_object base; rc_object *left, *right; };
 * Collectable objects carry 8 more bytes before the header (the collector's link), so a
 * collectable object pays 24 bytes of header and a leaf 16.
 */
struct rc_object {
	struct rc__class *rc__cls; /* private: type record (low bits: flags) */
	uint32_t rc__refcnt;       /* private: the count */
	uint32_t rc__gc;           /* private: collector state */
};

#define RC_OBJ(p) ((rc_object *)(p))

/* Statically allocated immortal objects (singletons such as a "none" value):
 *     static struct my_none { rc_object base; } none = { RC_STATIC_OBJECT_INIT(&none_type) };
 * The type must be a leaf (no traverse). Such objects belong to no heap. rc__cls then holds the
 * rc_type pointer itself with its lowest bit set (an address constant, so this is a valid static
 * initializer); rc_type objects are at least 8-byte aligned. The type has no map either. */
#define RC__CLS_STATIC_TAG 1u
#define RC_STATIC_OBJECT_INIT(type_ptr)                                                  \
	{ .rc__cls = (struct rc__class *)((char *)(rc_type *)(type_ptr) + RC__CLS_STATIC_TAG), \
	  .rc__refcnt = RC_REFCNT_IMMORTAL, .rc__gc = RC__GC_NO_ROOT }

/* ------------------------------------------------------------------------------------------ */
/* Heaps                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Allocator hooks. alloc returns NULL on failure; free receives the size that was allocated. */
typedef struct rc_allocator {
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr, size_t size);
	void *ctx;
} rc_allocator;

enum rc_heap_flags {
	/* Keep every object on a list (16 more bytes per object): enables rc_heap_check, the
	 * total-reference count, rc_heap_foreach and a leak report with addresses. Tests and
	 * fuzzers use it; production heaps usually don't. */
	RC_HEAP_TRACK_ALL = 1u << 0,
	/* Hold back the most recently freed objects to detect double releases (always on in
	 * debug builds). */
	RC_HEAP_QUARANTINE = 1u << 1,
	/* Start with automatic collection disabled. */
	RC_HEAP_GC_DISABLED = 1u << 2,
	/* Generations for automatic collections: an object that a collection found reachable
	 * becomes old, and an automatic collection is usually *minor*: it examines only what the
	 * young candidate roots reach without passing through an old object (old objects count
	 * as outside owners), so a large live structure is not walked again at every collection.
	 * Garbage that holds or is held by an old object waits for the next *major* collection:
	 * rc_collect() is always major, and an automatic one is major once the objects made old
	 * since the last major one exceed max(threshold, live collectable objects then / 4), or
	 * the old candidate roots waiting exceed max(threshold, live collectable objects / 4), and
	 * at the latest after max(100, old population / (4 * threshold)) minor ones in a row.
	 * Without this flag every collection is major (and finds all cyclic garbage). */
	RC_HEAP_GENERATIONS = 1u << 3,
};

enum { RC_QUARANTINE_SLOTS = 64 };

typedef struct rc_heap_options {
	unsigned flags;              /* rc_heap_flags */
	const rc_allocator *allocator; /* NULL: malloc/free, small objects pooled per heap (slabs
					  returned at rc_heap_destroy). Copied. */
	/* Misuse reports (double release, saturation, leak report lines). NULL: stderr, and abort()
	 * on misuse in debug builds. */
	void (*report)(void *ctx, const char *line);
	void *report_ctx;
	size_t gc_threshold; /* candidate roots that trigger an automatic collection; 0: default */
} rc_heap_options;

/* Creates a heap. opts may be NULL. Returns 0 or RC_ENOMEM / RC_EINVAL. */
RC_API int rc_heap_new(rc_heap **out, const rc_heap_options *opts);

/* Drops the references held by immortal objects (their clear), collects (a full collection
 * with TRACK_ALL), then reports every surviving object (type and count per type; with
 * TRACK_ALL also each address) through the report hook, runs the destroy of immortal objects,
 * frees all remaining memory and the heap. Returns the number of objects that survived
 * (leaked; immortal objects do not count). Survivors are not destroyed (they may still be in
 * use); without TRACK_ALL their memory cannot be found and is not returned, except that of
 * small objects of a heap without allocator hooks, which goes with the heap's pool. Objects must not be
 * used afterwards; must not be called from a finalizer, callback, clear or destroy of the
 * heap. */
RC_API size_t rc_heap_destroy(rc_heap *heap);

/* The heap an object belongs to (NULL for static immortal objects). */
RC_API rc_heap *rc_heap_of(const rc_object *obj);

/* ------------------------------------------------------------------------------------------ */
/* Allocation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* A new object of `type` with count 1, zero-filled past the header. NULL when out of memory or
 * type is invalid. A safe point: an automatic collection may run first. */
RC_API RC_NEW_REF RC_NULL_ON_FAILURE rc_object *rc_new(rc_heap *heap, const rc_type *type);
/* Same with a size >= type->size (variable-sized objects). */
RC_API RC_NEW_REF RC_NULL_ON_FAILURE rc_object *rc_new_sized(rc_heap *heap, const rc_type *type, size_t size);

RC_API const rc_type *rc_type_of(const rc_object *obj);

/* Makes obj immortal: never freed, never collected, count frozen. Its memory is returned at
 * rc_heap_destroy. A leaf or a collectable object may be made immortal; what it references
 * stays alive until rc_heap_destroy, which calls its clear first. (On a heap without
 * TRACK_ALL, an immortal leaf whose bookkeeping cannot be allocated is not returned.) */
RC_API void rc_make_immortal(rc_object *obj);

/* ------------------------------------------------------------------------------------------ */
/* Counting                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Private slow paths (saturation, zero, immortal, destruction, candidate roots). */
RC_API void rc__incref_slow(rc_object *obj);
RC_API void rc__decref_slow(rc_object *obj);
RC_API void rc__possible_root(rc_object *obj);

/* rc__gc bit the inline decref reads: set while the object is a buffered candidate root, or
 * when it is not collectable, so that the fast path skips rc__possible_root. */
#define RC__GC_NO_ROOT UINT32_C(0x1)

RC_API uint32_t rc_refcount(const rc_object *obj);

static inline void rc_incref(RC_ACQUIRES rc_object *obj)
{
	uint32_t n = obj->rc__refcnt;
	/* one compare: 1 <= n < RC_REFCNT_MAX */
	if (RC__LIKELY(n - 1u < RC_REFCNT_MAX - 1u))
		obj->rc__refcnt = n + 1u;
	else
		rc__incref_slow(obj);
}

static inline void rc_decref(RC_RELEASES rc_object *obj)
{
	uint32_t n = obj->rc__refcnt;
	/* one compare: 2 <= n <= RC_REFCNT_MAX */
	if (RC__LIKELY(n - 2u < RC_REFCNT_MAX - 1u)) {
		obj->rc__refcnt = n - 1u;
		if (!(obj->rc__gc & RC__GC_NO_ROOT))
			rc__possible_root(obj);
	} else {
		rc__decref_slow(obj);
	}
}

static inline void rc_xincref(RC_ACQUIRES RC_ACCEPTS_NULL rc_object *obj)
{
	if (obj)
		rc_incref(obj);
}

static inline void rc_xdecref(RC_RELEASES RC_ACCEPTS_NULL rc_object *obj)
{
	if (obj)
		rc_decref(obj);
}

/* Py_NewRef: adds a reference and returns obj, so `x->f = rc_newref(y);` reads as one step. */
static inline RC_NEW_REF rc_object *rc_newref(RC_ACQUIRES rc_object *obj)
{
	rc_incref(obj);
	return obj;
}

static inline RC_NEW_REF rc_object *rc_xnewref(RC_ACQUIRES RC_ACCEPTS_NULL rc_object *obj)
{
	rc_xincref(obj);
	return obj;
}

/*
 * Safe field updates. Releasing an object can run arbitrary code (finalizers, destroy, weak
 * callbacks) that may read the very field being changed; so the field is updated first and the
 * old value released last:
 *     rc_clear_field(&self->child);          // Py_CLEAR: tmp = f; f = NULL; xdecref(tmp)
 *     rc_set_field(&self->child, newref);    // Py_SETREF: tmp = f; f = new; xdecref(tmp)
 * rc_set_field steals `value` (which may be NULL).
 */
static inline void rc_clear_field(rc_object **field)
{
	rc_object *old = *field;
	*field = NULL;
	rc_xdecref(old);
}

static inline void rc_set_field(rc_object **field, RC_STEALS RC_ACCEPTS_NULL rc_object *value)
{
	rc_object *old = *field;
	*field = value;
	rc_xdecref(old);
}

/* ------------------------------------------------------------------------------------------ */
/* Cycle collection                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* Runs a collection now (even when automatic collection is disabled). Returns the number of
 * objects freed (>= 0), or RC_EBUSY when called from inside a collection of the same heap (from
 * a finalizer, clear, destroy or weak callback): the running collection is not disturbed. */
RC_API long rc_collect(rc_heap *heap);

RC_API void rc_gc_enable(rc_heap *heap);
RC_API void rc_gc_disable(rc_heap *heap);
RC_API int rc_gc_is_enabled(const rc_heap *heap);
/* Candidate roots that trigger an automatic collection at the next safe point (>= 1). */
RC_API int rc_gc_set_threshold(rc_heap *heap, size_t roots);
RC_API size_t rc_gc_get_threshold(const rc_heap *heap);

/* ------------------------------------------------------------------------------------------ */
/* Weak references                                                                             */
/* ------------------------------------------------------------------------------------------ */

/*
 * A weak reference is itself a refcounted object of the target's heap (of an internal
 * collectable type with no children, so that the collector can tell when a weak reference is
 * itself garbage; it holds no counted reference to the target). When the target
 * dies (count reaches zero, or the collector frees it) every weak reference to it reads as gone
 * (rc_weakref_get returns NULL) and then each callback whose weak reference is still alive runs
 * once, with the target already unreachable through any weak reference. During a collection,
 * all weak references to garbage are cleared before any finalizer or clear runs; callbacks of
 * weak references that are themselves garbage do not run (CPython's rule).
 */
typedef struct rc_weakref rc_weakref;
typedef void (*rc_weakref_callback)(rc_weakref *ref, void *arg);

RC_API RC_NEW_REF RC_NULL_ON_FAILURE rc_weakref *rc_weakref_new(rc_object *target, rc_weakref_callback cb, void *arg);
/* New reference to the target, or NULL when it is gone. */
RC_API RC_NEW_REF rc_object *rc_weakref_get(rc_weakref *ref);
RC_API int rc_weakref_alive(const rc_weakref *ref);
#define RC_WEAKREF_OBJ(w) ((rc_object *)(w))

/* ------------------------------------------------------------------------------------------ */
/* Introspection                                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef struct rc_heap_stats {
	size_t live_objects;      /* objects allocated and not yet freed (immortals included) */
	size_t live_collectable;  /* of which collectable */
	size_t live_bytes;        /* bytes of objects (headers included) allocated and not yet
				     freed (quarantined objects included; not the pool's slabs) */
	size_t total_refs;        /* sum of the counts of mortal objects (immortal and pinned
				     ones excluded; TRACK_ALL only, else SIZE_MAX) */
	size_t candidate_roots;   /* currently buffered */
	size_t collections;       /* collections run (automatic and explicit) */
	size_t collected;         /* objects freed by the collector, all time */
	size_t allocated_total;   /* objects ever allocated */
	size_t freed_total;       /* objects ever freed */
} rc_heap_stats;

RC_API void rc_heap_get_stats(const rc_heap *heap, rc_heap_stats *out);
/* Live objects of one type in this heap. */
RC_API size_t rc_heap_count_type(const rc_heap *heap, const rc_type *type);
/* Calls fn for each type with live objects. */
RC_API void rc_heap_foreach_type(const rc_heap *heap, void (*fn)(const rc_type *type, size_t live, void *arg), void *arg);
/* Calls fn for each live object (TRACK_ALL only: RC_ENOTRACK otherwise). fn must not allocate
 * or release. */
RC_API int rc_heap_foreach(rc_heap *heap, void (*fn)(rc_object *obj, void *arg), void *arg);
/*
 * Whole-heap invariant check (TRACK_ALL only: RC_ENOTRACK otherwise). For each live object:
 * count >= references from other live objects of the heap, every child is live and of this
 * heap, collector state is idle, type record consistent; heap totals agree with the objects.
 * Prints one line per bad object to `out` (may be NULL) and returns the number of problems.
 * Allocates nothing; must not be called from inside a collection or teardown (it reports that
 * as a problem).
 */
RC_API long rc_heap_check(rc_heap *heap, FILE *out);
/* Bytes of header the runtime adds to an object of this type (24 collectable, that is with
 * traverse or a reference-field map; 16 leaf). */
RC_API size_t rc_header_size(const rc_type *type);

#ifdef __cplusplus
}
#endif

#endif /* RC_RC_H */
