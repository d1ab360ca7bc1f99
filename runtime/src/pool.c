/*
 * pool.c - the per-heap small-object pool: slab management and its checker. The fast paths
 * (rc__pool_alloc, rc__pool_free) are inline in pool.h, where the layout and the invariants
 * are described. Only heaps without allocator hooks pool (see pool.h and docs/runtime.md).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Slab header; the chunks follow it. 16 bytes, so chunks stay 16-byte aligned at the start. */
struct rc__slab {
	struct rc__slab *next;
	size_t bytes; /* what was asked of the allocator */
};

_Static_assert(sizeof(struct rc__slab) % RC__POOL_GRAIN == 0, "chunks must stay 8-byte aligned");
_Static_assert(RC__SLAB_BYTES > sizeof(struct rc__slab) + RC__POOL_MAX_CHUNK + RC__POOL_REDZONE,
	       "a slab must hold the largest chunk");

/*
 * Pre: the free list of size's class is empty and the current slab has no room for it.
 * Post: a new slab is the current one and the chunk comes from it; or NULL (allocator
 * failure, or the test limit) and the pool is unchanged. The unused tail of the old slab
 * (smaller than one chunk of this class) is given to the free lists of the smaller classes it
 * can hold, largest first, so no memory is lost.
 */
void *rc__pool_alloc_slow(rc_heap *h, struct rc__pool *p, size_t size)
{
	size_t chunk = rc__pool_chunk_bytes(rc__pool_class(size)), rest, k;
	struct rc__slab *s;
	char *c;

	if (p->slab_limit && p->nslabs >= p->slab_limit)
		return NULL;
	s = rc__mem_alloc(h, RC__SLAB_BYTES);
	if (!s)
		return NULL;
	s->next = p->slabs;
	s->bytes = RC__SLAB_BYTES;
	p->slabs = s;
	p->nslabs++;
	/* recycle the old tail: it is already poisoned, and rc__pool_free keeps it so */
	while ((rest = (size_t)(p->bump_end - p->bump)) >= rc__pool_chunk_bytes(0)) {
		k = (rest - RC__POOL_REDZONE) / RC__POOL_GRAIN - 1;
		if (k >= RC__POOL_CLASSES)
			k = RC__POOL_CLASSES - 1;
		c = p->bump;
		p->bump += rc__pool_chunk_bytes(k);
		rc__pool_unpoison_word(p, c);
		rc__pool_free(p, c, (k + 1) * RC__POOL_GRAIN);
	}
	p->bump = (char *)(s + 1);
	p->bump_end = (char *)s + RC__SLAB_BYTES;
	rc__pool_poison(p, p->bump, (size_t)(p->bump_end - p->bump));
	c = p->bump;
	p->bump += chunk;
	rc__pool_unpoison(p, c, size);
	return c;
}

void rc__pool_destroy(rc_heap *h, struct rc__pool *p)
{
	struct rc__slab *s, *next;

	for (s = p->slabs; s; s = next) {
		next = s->next;
		rc__pool_unpoison(p, s, s->bytes);
		rc__mem_free(h, s, s->bytes);
	}
	memset(p, 0, sizeof *p);
}

static bool in_some_slab(const struct rc__pool *p, const char *c, size_t bytes)
{
	const struct rc__slab *s;

	for (s = p->slabs; s; s = s->next)
		if (c >= (const char *)(s + 1) && c + bytes <= (const char *)s + s->bytes)
			return true;
	return false;
}

size_t rc__pool_check(const struct rc__pool *p, FILE *out)
{
	const struct rc__slab *s;
	size_t faults = 0, k, n = 0;
	void *c, *next;

	for (s = p->slabs; s; s = s->next)
		n++;
	if (n != p->nslabs) {
		if (out)
			fprintf(out, "rc_heap_check: pool: %zu slabs on the list, %zu counted\n", n, p->nslabs);
		faults++;
	}
	if ((p->bump == NULL) != (p->bump_end == NULL) || p->bump > p->bump_end ||
	    (p->bump && (!p->slabs || p->bump < (char *)(p->slabs + 1) ||
			 p->bump_end != (char *)p->slabs + p->slabs->bytes))) {
		if (out)
			fprintf(out, "rc_heap_check: pool: bump region [%p, %p) is not the tail of the newest slab\n",
				(void *)p->bump, (void *)p->bump_end);
		faults++;
	}
	for (k = 0; k < RC__POOL_CLASSES; k++) {
		for (c = p->free[k]; c; c = next) {
			if (((uintptr_t)c & (RC__POOL_GRAIN - 1)) || !in_some_slab(p, c, rc__pool_chunk_bytes(k))) {
				if (out)
					fprintf(out, "rc_heap_check: pool: free chunk %p of %zu bytes is outside the pool's slabs\n",
						c, rc__pool_chunk_bytes(k));
				faults++;
				break; /* its next pointer cannot be trusted */
			}
			rc__pool_unpoison_word(p, c);
			next = *(void **)c;
			rc__pool_poison(p, c, rc__pool_chunk_bytes(k));
		}
	}
	return faults;
}
