/* pool.h - PRIVATE to the rccheck runtime: the per-heap small-object pool (pool.c). */
#ifndef RC_BUILDING_RUNTIME
#error "runtime/src/pool.h is private to the rccheck runtime (define RC_BUILDING_RUNTIME only in its build)"
#endif
#ifndef RC_POOL_H
#define RC_POOL_H

/*
 * A heap created without allocator hooks (malloc/free) takes the memory of its small objects
 * from a pool of its own: slabs of RC__SLAB_BYTES obtained through the heap's allocator, cut
 * by a bump pointer shared by all sizes (so objects allocated one after the other sit one
 * after the other, whatever their types), and one free list per size class (multiples of 8
 * bytes up to RC__POOL_MAX_CHUNK), threaded through the first word of each freed chunk.
 * Allocation and release are a few instructions and touch only the chunk itself.
 *
 * Invariants (checked by rc__pool_check, which rc_heap_check calls):
 *   - every chunk lies inside exactly one slab of pool->slabs, after the slab's header;
 *   - a chunk on free[k] has size class k (chunk bytes = (k + 1) * 8 + RC__POOL_REDZONE);
 *   - [bump, bump_end) is the unused tail of the newest slab (or both are NULL);
 *   - slabs are returned only by rc__pool_destroy (rc_heap_destroy): a pool never shrinks,
 *     so a heap keeps the memory of its peak population of small objects until it is
 *     destroyed (what is freed is reused for new objects of the same size class).
 *
 * Heaps created with allocator hooks do not pool: each object is one hook call, so the hooks
 * keep seeing (and can fail) every object allocation, which is what the allocation-failure
 * tests and the fuzz harness rely on.
 *
 * Sanitizers: under AddressSanitizer the free parts of slabs and every freed chunk are
 * poisoned (a use after free of a pooled object is reported like one of malloc's), and every
 * chunk is followed by a poisoned redzone of RC__POOL_REDZONE bytes (an overflow into the next
 * object is reported). Under valgrind (memcheck), the same regions are marked no-access. A
 * valgrind client request costs about a dozen instructions even when the program does not run
 * under valgrind (a tenth of a collection's work per freed object, measured), so a build with
 * the valgrind headers asks once per heap (rc__pool_init) and makes the requests only then.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RC__ASAN 1
#endif
#endif
#if !defined(RC__ASAN) && defined(__SANITIZE_ADDRESS__)
#define RC__ASAN 1
#endif
#ifndef RC__ASAN
#define RC__ASAN 0
#endif

#if RC__ASAN
#include <sanitizer/asan_interface.h>
#define RC__MARKING_ON 1
#define RC__POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define RC__UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define RC__UNPOISON_WORD(p) ASAN_UNPOISON_MEMORY_REGION((p), sizeof(void *))
#define RC__POOL_REDZONE 16u
#elif defined(RC_HAVE_VALGRIND)
#include <valgrind/memcheck.h>
#define RC__MARKING_ON (RUNNING_ON_VALGRIND != 0)
#define RC__POISON(p, n) ((void)VALGRIND_MAKE_MEM_NOACCESS((p), (n)))
#define RC__UNPOISON(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define RC__UNPOISON_WORD(p) ((void)VALGRIND_MAKE_MEM_DEFINED((p), sizeof(void *)))
#define RC__POOL_REDZONE 0u
#else
#define RC__MARKING_ON 0
#define RC__POISON(p, n) ((void)(p), (void)(n))
#define RC__UNPOISON(p, n) ((void)(p), (void)(n))
#define RC__UNPOISON_WORD(p) ((void)(p))
#define RC__POOL_REDZONE 0u
#endif

#define RC__POOL_GRAIN 8u
#define RC__POOL_MAX_CHUNK 256u /* larger objects go to the allocator directly */
#define RC__POOL_CLASSES (RC__POOL_MAX_CHUNK / RC__POOL_GRAIN)
#define RC__SLAB_BYTES ((size_t)256 * 1024)

struct rc__slab;

struct rc__pool {
	void *free[RC__POOL_CLASSES]; /* free chunks of each size class */
	char *bump, *bump_end;        /* the unused tail of the newest slab */
	struct rc__slab *slabs;       /* every slab, newest first */
	size_t nslabs;
	size_t slab_limit; /* test hook: refuse slabs past this many (0: no limit) */
	bool marking;      /* free memory is poisoned (ASan) or marked (under valgrind) */
};

/* Sets up an empty (zeroed) pool. */
static inline void rc__pool_init(struct rc__pool *p)
{
	p->marking = RC__MARKING_ON;
}

/* The poisoning of pool.h's header comment, when p->marking. */
static inline void rc__pool_poison(const struct rc__pool *p, void *ptr, size_t n)
{
	if (p->marking)
		RC__POISON(ptr, n);
}

static inline void rc__pool_unpoison(const struct rc__pool *p, void *ptr, size_t n)
{
	if (p->marking)
		RC__UNPOISON(ptr, n);
}

/* Just the first word (a free chunk's link), readable and defined. */
static inline void rc__pool_unpoison_word(const struct rc__pool *p, void *ptr)
{
	if (p->marking)
		RC__UNPOISON_WORD(ptr);
}

struct rc_heap;

/* Slow path of rc__pool_alloc: a new slab. NULL when the allocator (or the test limit)
 * refuses it. */
void *rc__pool_alloc_slow(struct rc_heap *heap, struct rc__pool *p, size_t chunk);
/* Returns every slab to the heap's allocator. */
void rc__pool_destroy(struct rc_heap *heap, struct rc__pool *p);
/* Checks the pool's invariants; prints one line per fault to out (may be NULL) and returns
 * the number found. Allocates nothing. */
size_t rc__pool_check(const struct rc__pool *p, FILE *out);

/* Whether an object of `size` bytes (prefix included) is pooled. */
static inline bool rc__pool_fits(size_t size)
{
	return size <= RC__POOL_MAX_CHUNK;
}

static inline size_t rc__pool_class(size_t size)
{
	return (size + RC__POOL_GRAIN - 1) / RC__POOL_GRAIN - 1;
}

/* Bytes a chunk of class k occupies in its slab (the object's bytes rounded up, redzone). */
static inline size_t rc__pool_chunk_bytes(size_t k)
{
	return (k + 1) * RC__POOL_GRAIN + RC__POOL_REDZONE;
}

/* Pre: 0 < size <= RC__POOL_MAX_CHUNK. Post: size usable bytes, 8-byte aligned, or NULL. */
static inline void *rc__pool_alloc(struct rc_heap *heap, struct rc__pool *p, size_t size)
{
	size_t k = rc__pool_class(size), chunk = rc__pool_chunk_bytes(k);
	void *c = p->free[k];

	if (c) {
		rc__pool_unpoison_word(p, c);
		p->free[k] = *(void **)c;
		rc__pool_unpoison(p, c, size);
		return c;
	}
	if ((size_t)(p->bump_end - p->bump) >= chunk) {
		c = p->bump;
		p->bump += chunk;
		rc__pool_unpoison(p, c, size);
		return c;
	}
	return rc__pool_alloc_slow(heap, p, size);
}

/* Pre: ptr came from rc__pool_alloc(…, size) of this pool, size class k, and was not freed
 * since. */
static inline void rc__pool_free_class(struct rc__pool *p, void *ptr, size_t k)
{
	*(void **)ptr = p->free[k];
	p->free[k] = ptr;
	rc__pool_poison(p, ptr, rc__pool_chunk_bytes(k));
}

/* Pre: ptr came from rc__pool_alloc(…, size) of this pool and was not freed since. */
static inline void rc__pool_free(struct rc__pool *p, void *ptr, size_t size)
{
	rc__pool_free_class(p, ptr, rc__pool_class(size));
}

#endif /* RC_POOL_H */
