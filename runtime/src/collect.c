/*
 * collect.c - the cycle collector. Design note with worked examples: docs/collector.md.
 *
 * Algorithm: synchronous trial deletion over candidate roots (Bacon & Rajan 2001), organised
 * like CPython's gc (subtract internal references, then move_unreachable) so that it is
 * iterative and needs no memory of its own.
 *
 *   "traverse" below means the object's references: the fields of its type's reference-field
 *   map (walked inline, "Reference-field maps" in the design note), then its traverse callback.
 *
 *   Candidate roots: rc_decref buffers a collectable object whose count dropped to a non-zero
 *   value (it may have become the entry of a dead cycle). Leaves, immortal and saturated
 *   objects are never candidates.
 *
 *   1. gather     take every buffered root into the examined set S, traversing it at once
 *                 (phase 2) while it is in the cache; the buffer is empty after.
 *   2. closure    breadth-first over traverse from the roots, adding every
 *                 collectable mortal child, and in the same pass subtract one from the count of
 *                 the target of every edge inside S. Afterwards an object's count is the number
 *                 of references from outside S.
 *   3. partition  (CPython's move_unreachable) an object with an outside reference is
 *                 reachable, and so is everything it reaches; the rest is garbage.
 *   4. restore    add one per edge inside S back (for edges out of reachable objects this is
 *                 done in 3): every count is exact again. Reachable objects leave the
 *                 collection.
 *   5. hold       (folded into 4) each garbage object gets +1, so that no user code run below
 *                 can free one while it is still on the collector's list.
 *   6. weakrefs   detach every weak reference to garbage; then run the callbacks of those that
 *                 are not garbage themselves. (Skipped when no garbage has weak references.)
 *   7. finalize   run each finalizer once (CLS_FINALIZED). (Skipped when there is none.)
 *   8. recheck    only if user code ran in 6-7: redo 2-5 on the garbage set (minus the hold);
 *                 what a finalizer resurrected, and all it reaches, leaves the collection.
 *   9. tear down  detach weak references again (ones made by finalizers), call clear on every
 *                 garbage object, and drop the holds: an object that nothing references after
 *                 its own clear is destroyed and freed at once, the others when their count
 *                 reaches zero after all clears (or never, if a misbehaving clear kept them).
 *
 *   Fast outcomes of phases 3-5: phases 1-2 keep each member's trial count in its gc word, so
 *   its count stays the true one (see "Trial counts"), and count the trial counts that reach
 *   zero. If none does, all of S is reachable: the members just leave, no partition, no
 *   restore. If all do, all of S is garbage with its true counts: no partition, no restore,
 *   and, when no weak reference or finalizer can run (the heap has none), no hold pass
 *   either: the tear down holds each object as it reaches it, and rc__release_dead holds one
 *   that a clear releases to zero before that ("Lazy hold", at tear_down).
 *
 * Generations (RC_HEAP_GENERATIONS heaps; design note, "Generations"): members found reachable
 * become old (CLS_OLD). An automatic collection is minor unless a major one is due (major_due):
 * old objects are outside owners, never added to S nor decremented, so a large live structure
 * is not walked again each time one of its nodes is released; the old roots stay buffered at
 * the front of the buffer (gather_walk), and if the closure met an old object the roots found
 * reachable stay buffered too (keep_surviving_roots), so the next major still finds garbage
 * through old objects. Chosen over an epoch "not written since" (needs a write barrier we do
 * not have) and over CPython's generation lists (16 more header bytes): measured on
 * bench/runtime/run workload, the note has the numbers.
 *
 * Cost: phases 1-4 visit each object of S a bounded number of times (it enters the work queue
 * at most twice) and each edge out of S at most three times: O(|S| + edges(S)), where S is what
 * is reachable from the candidates, not the heap. Memory: none. Every list is threaded through
 * the objects' 8-byte link word; the tentatively-unreachable list of phase 3 is doubly linked,
 * its back pointers stored in the (refcnt, gc) pair of its members, whose trial count is known
 * to be zero while they sit there. On large graphs every phase is bound by memory traffic:
 * the walks prefetch the children of the objects ahead of them when children lie far from
 * their parents (see "Prefetching"), and the fast outcomes walk the gathered root buffer, an
 * array, rather than the list.
 *
 * Per-object state during a collection (only objects with CLS_IN_SET; see internal.h):
 *   phase 1-2      link: next in the list; gc: trial count << 1 | GC_NO_ROOT; refcnt: the true
 *                  count
 *   phase 3        in the work queue or the reachable list: gc 0 and refcnt the trial count once
 *                  partition has met the object (take_trial; a recheck starts that way); each
 *                  edge from a reachable object adds one back to its target (restore, and the
 *                  mark: a count above zero means reachable);
 *                  in the tentative list: link = next | LINK_TENT, (refcnt, gc) = prev pointer
 *   phase 4        garbage: converted (see convert_tentative) the first time restore meets it
 *   phase 5-9      link: next in the garbage list; gc: GC_NO_ROOT | GC_HELD (never buffered);
 *                  refcnt: true count + 1 (the hold)
 *   lazy tear down garbage not reached yet: gc GC_NO_ROOT (trial count 0), refcnt the true
 *                  count, until the tear down or rc__release_dead holds it (as above)
 */
#if defined(RC_PHASE_TIMERS) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime, for the phase timers only */
#endif
#include "internal.h"

#include <string.h>

#ifdef RC_PHASE_TIMERS
/* Profiling builds only (-DRC_PHASE_TIMERS; docs/runtime.md, "Performance"): the time of each
 * phase of every collection that examines at least 100000 objects, on stderr. Not
 * thread-safe. Marks: 0 start, 1 gathered, 2 closed, 3 partitioned and restored (or a fast
 * outcome), 5 first loop of the tear down, 4 end. */
#include <stdio.h>
#include <time.h>

static double phase_t[6];

static void phase_mark(int i)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	phase_t[i] = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void phase_report(size_t n, bool prefetch)
{
	double k = 1e9 / (double)n;
	if (n < 100000)
		return;
	fprintf(stderr,
		"rc: %zu examined, prefetch %d; ns/object: gather %.2f closure %.2f find %.2f garbage %.2f "
		"(first loop %.2f, rest %.2f)\n",
		n, (int)prefetch, (phase_t[1] - phase_t[0]) * k, (phase_t[2] - phase_t[1]) * k,
		(phase_t[3] - phase_t[2]) * k, (phase_t[4] - phase_t[3]) * k, (phase_t[5] - phase_t[3]) * k,
		(phase_t[4] - phase_t[5]) * k);
}
#else
static inline void phase_mark(int i)
{
	(void)i;
}

static inline void phase_report(size_t n, bool prefetch)
{
	(void)n;
	(void)prefetch;
}
#endif

_Static_assert(offsetof(rc_object, rc__gc) == offsetof(rc_object, rc__refcnt) + sizeof(uint32_t),
	       "the (refcnt, gc) pair must be contiguous");
_Static_assert(sizeof(rc_object *) <= 2 * sizeof(uint32_t), "a pointer must fit in (refcnt, gc)");

#define LINK_TENT ((uintptr_t)1)
#define LINK_TAGS ((uintptr_t)7)

/* ------------------------------------------------------------------------------------------ */
/* Intrusive lists                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* Singly linked through link words (untagged), FIFO. */
struct olist {
	rc_object *head, *tail;
};

/* The tentatively-unreachable list: next = link & ~LINK_TAGS (tagged LINK_TENT), prev in the
 * (refcnt, gc) pair. */
struct tlist {
	rc_object *head, *tail;
};

struct gc_state {
	rc_heap *heap;
	struct olist work; /* phase 1-2: the roots (traversed as gathered); then all of S */
	struct olist todo; /* phase 1-2: other members of S, traversed by closure() */
	struct tlist tent;
	bool gathering;    /* phase 1: buffered objects reached are roots still to come */
	bool prefetch;     /* children are far from their parents: the walks prefetch them */
	rc_object *parent; /* phase 1: the root being traversed */
	size_t edges, far; /* phase 1: edges seen, of which to a child far from its parent */
	size_t examined;
	size_t zero;       /* phases 1-2: members of S whose trial count reached zero */
	rc_object **roots; /* the root buffer as gathered (intact until user code runs) */
	size_t nroots;
	size_t roots_gen;  /* heap->roots_gen then */
	size_t at;         /* tear down: index in roots of the object being torn down */
	bool use_roots;    /* tear down: the garbage list is roots (in order) then rest */
	bool maps;         /* some class of the heap has a reference-field map (else the hot walks
			    * call traverse and clear as they did before maps existed) */
	rc_object *rest;   /* the first member of S that is not in roots (the rest follow it) */
	unsigned found; /* HAS_WEAKREFS | HAS_FINALIZERS seen in the garbage */
	bool minor;        /* "Generations": old objects are outside owners, never examined */
	bool hit_old;      /* minor: the closure met an old object */
	size_t roots_base; /* roots == heap->roots + roots_base (a minor keeps old roots in front) */
};

enum { HAS_WEAKREFS = 1, HAS_FINALIZERS = 2 };

/* &heap->roots[k] (the buffer may not exist yet: then k is 0 and so is the result). */
static inline rc_object **roots_from(const rc_heap *h, size_t k)
{
	return k ? h->roots + k : h->roots;
}

static inline rc_object *next_of(rc_object *o)
{
	return (rc_object *)(*link_of(o) & ~LINK_TAGS);
}

static inline void push_back(struct olist *l, rc_object *o)
{
	*link_of(o) = 0;
	if (l->tail)
		*link_of(l->tail) = (uintptr_t)o;
	else
		l->head = o;
	l->tail = o;
}

static inline rc_object *pop_front(struct olist *l)
{
	rc_object *o = l->head;
	if (o) {
		l->head = next_of(o);
		if (!l->head)
			l->tail = NULL;
	}
	return o;
}

static inline void set_prev(rc_object *o, rc_object *prev)
{
	memcpy((char *)o + offsetof(rc_object, rc__refcnt), &prev, sizeof prev);
}

static inline rc_object *get_prev(rc_object *o)
{
	rc_object *prev;
	memcpy(&prev, (char *)o + offsetof(rc_object, rc__refcnt), sizeof prev);
	return prev;
}

static void tent_push(struct tlist *t, rc_object *o)
{
	set_prev(o, t->tail);
	*link_of(o) = LINK_TENT;
	if (t->tail)
		*link_of(t->tail) = (uintptr_t)o | LINK_TENT;
	else
		t->head = o;
	t->tail = o;
}

static void tent_remove(struct tlist *t, rc_object *o)
{
	rc_object *prev = get_prev(o), *next = next_of(o);
	if (prev)
		*link_of(prev) = (uintptr_t)next | LINK_TENT;
	else
		t->head = next;
	if (next)
		set_prev(next, prev);
	else
		t->tail = prev;
}

/*
 * Turns a member of the tentative list, once partition is over, into a held garbage object:
 * link untagged (next pointer kept), count 1 (the collector's hold; restore then adds the
 * references from inside S), gc GC_NO_ROOT (never buffered while held). Notes whether the
 * garbage has weak references or finalizers to run, so that those passes are skipped otherwise.
 * Done lazily, the first time restore meets the object, so it costs no pass of its own.
 */
static void convert_tentative(struct gc_state *st, rc_object *o)
{
	uintptr_t w = cls_word(o);

#if RC_MUTATION == 10 /* mutant 10: garbage is not held: user code in a collection can free a garbage object */
	*link_of(o) &= ~LINK_TAGS;
	o->rc__refcnt = 0;
#else
	*link_of(o) &= ~LINK_TAGS;
	o->rc__refcnt = 1;
#endif
	o->rc__gc = GC_NO_ROOT | GC_HELD;
	if (w & CLS_WEAKREFS)
		st->found |= HAS_WEAKREFS;
	if (!(w & CLS_FINALIZED) && class_of(o)->type->finalize)
		st->found |= HAS_FINALIZERS;
}

/* ------------------------------------------------------------------------------------------ */
/* Trial counts                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*
 * In the closure each member's trial count lives in its gc word, as trial << 1 | GC_NO_ROOT
 * (a count is at most RC_REFCNT_MAX, 31 bits), and its count keeps the true value. So the two
 * fast outcomes need no pass to put counts back: the counts never changed. GC_NO_ROOT stays set
 * so that an rc_decref by user code (a clear, in the lazy tear down) never tries to buffer a
 * member. Partition and restore work on the count instead (their rebuilding is what makes it
 * exact again): take_trial moves the trial count there when partition first meets a member.
 */
#define TRIAL_ONE UINT32_C(2)

static inline uint32_t trial_init(uint32_t n)
{
	return n << 1 | GC_NO_ROOT;
}

/* A member whose trial count is still in its gc word: move it to the count (gc 0 after). A
 * member of a recheck has it there already (gc 0). */
static inline void take_trial(rc_object *o)
{
	if (o->rc__gc & GC_NO_ROOT) {
		o->rc__refcnt = o->rc__gc >> 1;
		o->rc__gc = 0;
	}
}

/*
 * The collector's hold on a garbage object: one extra count, so that no user code can free it
 * while it is on the collector's list, and GC_HELD, so that rc__release_dead can tell a held
 * object (a release to zero is one too many) from one not held yet (see "Lazy hold"). A count
 * that is no longer mortal (made immortal, or saturated, by user code in the lazy tear down) is
 * left alone, and the tear down does not drop a hold from it either.
 */
static inline void hold_one(rc_object *o)
{
#if RC_MUTATION == 10 /* mutant 10: garbage is not held (fast outcome) */
	o->rc__gc = GC_NO_ROOT | GC_HELD;
#else
	if (count_is_mortal(o->rc__refcnt))
		o->rc__refcnt++;
	o->rc__gc = GC_NO_ROOT | GC_HELD;
#endif
}

/* o is a heap object (the collector never examines a static one: they are immortal). Inlined
 * with the visitor (see each_child): a type with a reference-field map costs no call. */
static RC__ALWAYS_INLINE void traverse(rc_object *o, rc_visit_fn visit, void *arg)
{
	each_child(class_of(o), o, visit, arg);
}

/*
 * The hot walks (gather, closure, tear down) keep the reference-field map of the class they
 * met last in registers: an object of that class (the common case: long runs of one type)
 * then has the address of its first two fields without a chain of loads (its cls word, the
 * class, the map, the offset) in front of the field's own load; the compare with the cached
 * class is a predicted branch, so the field loads start at once. (The callback form gets the
 * same from the indirect-branch predictor.) Measured about 1 ns per object of pairs and rings
 * against each_child's loads. Fields past the second come from the map in memory. The common
 * forms are told apart by one or two compares (`only`): a map of one or two fields and no
 * callbacks (lists and rings, pairs and binary trees), or callbacks and no map; this saves the
 * general walk's other tests, about 10 instructions per object (callgrind).
 */
struct map_cache {
	const struct rc__class *c; /* the class cached (NULL: none yet) */
	size_t only;               /* 1 or 2: the map has that many fields and there are no
				    * callbacks; ONLY_CALLBACKS: callbacks and no map; 0: anything
				    * else (the general walk) */
	size_t nrefs;
	uint16_t off0, off1;
	const uint16_t *offs;
	void (*traverse)(rc_object *self, rc_visit_fn visit, void *arg);
	void (*clear)(rc_object *self);
};

enum { ONLY_CALLBACKS = 4 };

static inline void map_cache_fill(struct map_cache *mc, const struct rc__class *c)
{
	mc->c = c;
	mc->nrefs = c->nrefs;
	mc->offs = c->ref_offsets;
	mc->off0 = c->nrefs > 0 ? c->ref_offsets[0] : 0;
	mc->off1 = c->nrefs > 1 ? c->ref_offsets[1] : 0;
	mc->traverse = c->type->traverse;
	mc->clear = c->type->clear;
	if (!mc->traverse && !mc->clear)
		mc->only = c->nrefs == 1 || c->nrefs == 2 ? c->nrefs : 0;
	else
		mc->only = c->nrefs ? 0 : ONLY_CALLBACKS;
}

/* each_child through the cache (filled for o's class if it holds another one). On a heap
 * without maps (!maps) the type's traverse is called directly: the callback form then pays
 * nothing for the dispatch (about 15 instructions per object, 1 ns on pairs, measured). */
static RC__ALWAYS_INLINE void traverse_cached(struct map_cache *mc, bool maps, rc_object *o, rc_visit_fn visit,
					      void *arg)
{
	const struct rc__class *c = class_of(o);
	rc_object *child;
	size_t i;

	if (!maps) {
		c->type->traverse(o, visit, arg);
		return;
	}
	if (c != mc->c)
		map_cache_fill(mc, c);
	if (mc->only & 3) {
		child = *ref_field(o, mc->off0);
		if (child)
			visit(child, arg);
		if (mc->only == 2) {
			child = *ref_field(o, mc->off1);
			if (child)
				visit(child, arg);
		}
		return;
	}
	if (mc->only) {
		mc->traverse(o, visit, arg);
		return;
	}
	if (mc->nrefs > 0) {
		child = *ref_field(o, mc->off0);
		if (child)
			visit(child, arg);
		if (mc->nrefs > 1) {
			child = *ref_field(o, mc->off1);
			if (child)
				visit(child, arg);
			for (i = 2; i < mc->nrefs; i++) {
				child = *ref_field(o, mc->offs[i]);
				if (child)
					visit(child, arg);
			}
		}
	}
	if (mc->traverse)
		mc->traverse(o, visit, arg);
}

/* clear_refs through the cache, for an object of the cached class: the same fields in the same
 * order (as rc_clear_field), then the type's clear. */
static inline void clear_cached(const struct map_cache *mc, bool maps, rc_object *o)
{
	size_t i;

	if (!maps) {
		mc->clear(o);
		return;
	}
	if (mc->only & 3) {
		rc_clear_field(ref_field(o, mc->off0));
		if (mc->only == 2)
			rc_clear_field(ref_field(o, mc->off1));
		return;
	}
	if (mc->only) {
		mc->clear(o);
		return;
	}
	if (mc->nrefs > 0) {
		rc_clear_field(ref_field(o, mc->off0));
		if (mc->nrefs > 1) {
			rc_clear_field(ref_field(o, mc->off1));
			for (i = 2; i < mc->nrefs; i++)
				rc_clear_field(ref_field(o, mc->offs[i]));
		}
	}
	if (mc->clear)
		mc->clear(o);
}

/* ------------------------------------------------------------------------------------------ */
/* Prefetching                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/*
 * Every phase walks a list and touches the children of each object it walks; on a large
 * graph those children are cache misses, one after the other. So each walk keeps a cursor
 * AHEAD objects further down its list and traverses that object with a visitor that only
 * prefetches the children's headers: their misses overlap with the work on the objects in
 * between. (Measured: about 2x on random graphs of 1M objects; on graphs whose children sit
 * next to their parents it costs one extra traverse call per object.) Prefetching has no
 * semantic effect; the cursor only ever points at objects of S, which no phase frees before
 * the walk has passed them.
 */
enum { AHEAD = 16 };

/* Prefetching is on when more than a quarter of the edges out of the roots lead further than
 * FAR_BYTES from their parent (measured on one root in LOCALITY_STRIDE, decided every
 * LOCALITY_SAMPLE roots while gathering, then for the rest of the collection). */
enum { FAR_BYTES = 1024, LOCALITY_SAMPLE = 256, LOCALITY_STRIDE = 16 };

struct ahead {
	rc_object *p; /* AHEAD or fewer objects after the one being walked (or stale if gap 0) */
	unsigned gap; /* how many */
};

static inline void visit_prefetch(rc_object *c, void *arg)
{
	(void)arg;
	if (c) {
		__builtin_prefetch((char *)c - sizeof(uintptr_t), 0); /* link word (collectable) */
		__builtin_prefetch((char *)c + sizeof(rc_object) - 1, 0);
	}
}

/* The header and the first 32 bytes of the payload (at most two cache lines). */
static inline void prefetch_object(const rc_object *o)
{
	__builtin_prefetch((const char *)o - sizeof(uintptr_t), 1);
	__builtin_prefetch((const char *)o + 32, 1);
}

static inline void prefetch_children(rc_object *o)
{
	traverse(o, visit_prefetch, NULL);
}

/* Call before walking cur (the next object of the list): moves the cursor up to AHEAD objects
 * past cur, prefetching the children of each object it passes. Nothing when !on. */
static inline void ahead_fill(struct ahead *a, rc_object *cur, bool on)
{
	rc_object *n;

	if (!on)
		return;
	if (a->gap == 0)
		a->p = cur;
	while (a->gap < AHEAD && (n = next_of(a->p)) != NULL) {
		a->p = n;
		a->gap++;
		prefetch_children(n);
	}
}

/* Call after walking one object. */
static inline void ahead_step(struct ahead *a)
{
	if (a->gap)
		a->gap--;
}

/* ------------------------------------------------------------------------------------------ */
/* Phase 1: gather                                                                             */
/* ------------------------------------------------------------------------------------------ */

static inline void visit_closure(rc_object *c, void *arg);

/* Locality sample: counts the edges out of st->parent, and those that lead far from it. */
static inline void visit_measure(rc_object *c, void *arg)
{
	struct gc_state *st = arg;

	if (c) {
		st->edges++;
		st->far += (uintptr_t)c - (uintptr_t)st->parent + FAR_BYTES > 2 * (uintptr_t)FAR_BYTES;
	}
}

/* Tags o as a member of S: its trial count starts at its count, in the gc word (the count
 * keeps the true value, see "Trial counts"). */
static inline void enter_set(struct gc_state *st, rc_object *o)
{
	cls_tag(o, CLS_IN_SET);
	o->rc__gc = trial_init(o->rc__refcnt);
	st->examined++;
}

/* Tags o as a member of S and appends it to l. */
static void join_set(struct gc_state *st, struct olist *l, rc_object *o)
{
	enter_set(st, o);
	push_back(l, o);
}

/*
 * Phases 1-2 for the buffered roots: each root joins S and is traversed at once, while it is in
 * the cache; the buffer is left empty. The roots keep buffer order (usually allocation order)
 * at the head of S, and the other members follow in breadth-first order, so that every later
 * pass walks memory mostly sequentially. (Running the whole closure from each root in turn
 * would put S in breadth-first order: several times slower on large random graphs, measured.)
 */
static RC__ALWAYS_INLINE void gather_walk(struct gc_state *st, const bool maps)
{
	rc_heap *h = st->heap;
	rc_object **roots = h->roots, *o, *tail = NULL; /* the work list is empty */
	size_t i, n = h->nroots;                        /* (locals: the calls below cannot
							 * change them, but the compiler
							 * would reload them after each) */
	size_t kept = 0, holes = 0;                     /* old roots kept (minor), holes seen */
	bool prefetch = st->prefetch, minor = st->minor;
	struct map_cache mc = { .c = NULL };

	st->gathering = true;
	/* a minor collection leaves the old roots it kept at the front, where the next one need
	 * not look at them again (compact_roots and a major collection reset old_front) */
	i = 0;
	if (minor) {
		i = kept = h->old_front < n ? h->old_front : n;
	}
	for (; i < n; i++) {
		if ((i & (LOCALITY_SAMPLE - 1)) == 0 && i)
			prefetch = st->far * 4 > st->edges;
		if (prefetch) {
			if (i + 2 * AHEAD < n && roots[i + 2 * AHEAD])
				prefetch_object(roots[i + 2 * AHEAD]);
			if (i + AHEAD < n && roots[i + AHEAD])
				prefetch_children(roots[i + AHEAD]);
		}
		o = roots[i];
		if (!o) {
			holes++;
			continue;
		}
		if (minor && (cls_word(o) & CLS_OLD)) {
			/* an old root stays buffered, moved to the front: the entries before i are
			 * roots already taken (or holes), so the one it trades places with is
			 * still in the gathered part of the array */
			roots[i] = roots[kept];
			roots[kept] = o;
			o->rc__gc = GC_NO_ROOT | GC_BUFFERED | (uint32_t)(kept << GC_SLOT_SHIFT);
			kept++;
			continue;
		}
		/* a root already reached from an earlier one is in S (trial count in gc) */
		if (!(cls_word(o) & CLS_IN_SET)) {
			if (!count_is_mortal(o->rc__refcnt)) {
				o->rc__gc = GC_NO_ROOT; /* saturated since it was buffered */
				continue;
			}
			enter_set(st, o);
		}
		*link_of(o) = 0; /* appended to the work list */
		if (tail)
			*link_of(tail) = (uintptr_t)o;
		else
			st->work.head = o;
		tail = o;
		if ((i & (LOCALITY_STRIDE - 1)) == 0) {
			st->parent = o;
			traverse(o, visit_measure, st);
		}
		traverse_cached(&mc, maps, o, visit_closure, st);
	}
	st->work.tail = tail;
	st->prefetch = st->far * 4 > st->edges;
	st->gathering = false;
	st->roots = roots_from(h, kept);
	st->nroots = n - kept;
	st->roots_base = kept;
	st->roots_gen = h->roots_gen;
	h->nroots = kept; /* new roots go after the old ones kept */
	h->holes = h->holes - holes; /* those left in the front (0 but in a minor) */
	h->old_kept = kept - h->holes;
	h->old_front = kept;
}

/* The hot walks are compiled twice (the `maps` argument is a constant in each copy): heaps
 * whose classes all use callbacks run them as they were before maps existed. */
static void gather_roots(struct gc_state *st)
{
	if (st->maps)
		gather_walk(st, true);
	else
		gather_walk(st, false);
}

/* TRACK_ALL heaps, full collection: every collectable mortal object is a candidate. */
static void gather_all(struct gc_state *st)
{
	rc_object *o;

	for (o = st->heap->track_head; o; o = track_of(o)[1])
		if (is_collectable(o) && count_is_mortal(o->rc__refcnt) && !(cls_word(o) & CLS_IN_SET))
			join_set(st, &st->todo, o);
}

/* ------------------------------------------------------------------------------------------ */
/* Phase 2: closure and subtraction                                                            */
/* ------------------------------------------------------------------------------------------ */

static inline void visit_closure(rc_object *c, void *arg)
{
	struct gc_state *st = arg;
	uintptr_t w;

	if (!c)
		return;
	w = cls_word(c);
	if (!(w & CLS_IN_SET)) {
		if (!(w & CLS_COLLECTABLE) || !count_is_mortal(c->rc__refcnt))
			return; /* leaf, immortal, saturated or dying: an outside owner */
		if (st->minor && (w & CLS_OLD)) {
			st->hit_old = true; /* an old object: an outside owner in a minor collection */
			return;
		}
		if (st->gathering && (c->rc__gc & GC_BUFFERED)) {
			/* a root still to come in the buffer: it joins S (and is traversed) there */
			enter_set(st, c);
		} else {
			join_set(st, &st->todo, c);
		}
	}
#if RC_MUTATION == 5 /* mutant 5: off-by-one in the internal-reference count: an edge inside S is subtracted twice */
	if (c->rc__gc > trial_init(1))
		c->rc__gc -= TRIAL_ONE;
	if (c->rc__gc != trial_init(0) && (c->rc__gc -= TRIAL_ONE) == trial_init(0))
		st->zero++;
#else
	/* already 0: the count was too low (a user bug) */
	if (c->rc__gc != trial_init(0) && (c->rc__gc -= TRIAL_ONE) == trial_init(0))
		st->zero++;
#endif
}

/* Phase 2 for the rest of S: traverses st->todo (which grows while we walk it: read next only
 * after traverse), then appends it to st->work. Post: S is closed under collectable mortal
 * children, and each count in S is the number of references from outside S. */
static RC__ALWAYS_INLINE void closure_walk(struct gc_state *st, const bool maps)
{
	struct ahead a = { NULL, 0 };
	struct map_cache mc = { .c = NULL };
	rc_object *o;

	for (o = st->todo.head; o; o = next_of(o)) {
		ahead_fill(&a, o, st->prefetch);
		traverse_cached(&mc, maps, o, visit_closure, st);
		ahead_step(&a);
	}
	if (!st->todo.head)
		return;
	st->rest = st->todo.head;
	if (st->work.tail)
		*link_of(st->work.tail) = (uintptr_t)st->todo.head;
	else
		st->work.head = st->todo.head;
	st->work.tail = st->todo.tail;
	st->todo.head = st->todo.tail = NULL;
}

static void closure(struct gc_state *st)
{
	if (st->maps)
		closure_walk(st, true);
	else
		closure_walk(st, false);
}

/* Used by the recheck, where S is already closed. */
static inline void visit_subtract(rc_object *c, void *arg)
{
	(void)arg;
	if (c && (cls_word(c) & CLS_IN_SET) && c->rc__refcnt != 0 && c->rc__refcnt <= RC_REFCNT_MAX)
		c->rc__refcnt--;
}

/* ------------------------------------------------------------------------------------------ */
/* Phase 3: partition                                                                          */
/* ------------------------------------------------------------------------------------------ */

/*
 * An edge from a reachable object: its target is reachable too. The edge is also added back
 * to the target's count right here (phase 4 for the edges out of reachable objects), which
 * doubles as the mark: a count above zero means reachable.
 */
static inline void visit_reachable(rc_object *c, void *arg)
{
	struct gc_state *st = arg;

	if (!c || !(cls_word(c) & CLS_IN_SET))
		return;
	if (*link_of(c) & LINK_TENT) {
		/* thought unreachable, but reached: back to the work queue, to be scanned */
		tent_remove(&st->tent, c);
		c->rc__refcnt = 0;
		c->rc__gc = 0;
		push_back(&st->work, c);
	} else {
		take_trial(c);
	}
	if (c->rc__refcnt <= RC_REFCNT_MAX)
		c->rc__refcnt++;
}

/*
 * Pre: st->work holds S with outside-reference counts. Post: *reach holds every object of S
 * reachable from an outside reference, with the edges out of them added back to the counts;
 * st->tent holds the others. Each object enters the work queue at most twice (once more only
 * when it leaves the tentative list), so this is linear.
 */
static void partition(struct gc_state *st, struct olist *reach)
{
	struct ahead a = { NULL, 0 };
	rc_object *o;

	while (st->work.head) {
		ahead_fill(&a, st->work.head, st->prefetch);
		o = pop_front(&st->work);
		ahead_step(&a);
		take_trial(o);
		if (o->rc__refcnt != 0) {
			traverse(o, visit_reachable, st);
			push_back(reach, o);
		} else {
			tent_push(&st->tent, o);
		}
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Phase 4: restore                                                                            */
/* ------------------------------------------------------------------------------------------ */

static inline void visit_restore(rc_object *c, void *arg)
{
	if (!c || !(cls_word(c) & CLS_IN_SET))
		return;
	if (*link_of(c) & LINK_TENT)
		convert_tentative(arg, c);
	if (c->rc__refcnt <= RC_REFCNT_MAX)
		c->rc__refcnt++;
}

/* Adds back one per edge from the objects of l to objects of S. */
static void restore(struct gc_state *st, struct olist *l)
{
	struct ahead a = { NULL, 0 };
	rc_object *o;

	for (o = l->head; o; o = next_of(o)) {
		ahead_fill(&a, o, st->prefetch);
		ahead_step(&a);
		if (*link_of(o) & LINK_TENT)
			convert_tentative(st, o);
		traverse(o, visit_restore, st);
	}
}

/* RC_HEAP_GENERATIONS: a member found reachable is old from now on. */
static inline void make_old(rc_heap *h, rc_object *o)
{
	if ((h->flags & RC_HEAP_GENERATIONS) && !(cls_word(o) & CLS_OLD)) {
		cls_tag(o, CLS_OLD);
		h->promoted++;
	}
}

/* Reachable objects leave the collection: untagged, idle, not buffered (they were examined;
 * they become candidates again at their next decrement). */
static void release_reachable(rc_heap *h, struct olist *reach, bool rebuffer)
{
	rc_object *o;

	while ((o = pop_front(reach)) != NULL) {
		*link_of(o) = 0;
		cls_untag(o, CLS_IN_SET);
		o->rc__gc = 0;
		make_old(h, o);
		if (!count_is_mortal(o->rc__refcnt)) {
			o->rc__gc = GC_NO_ROOT;
			if (count_is_immortal(o->rc__refcnt)) /* made immortal by a finalizer */
				rc__immortal_push(h, o);
		} else if (rebuffer)
			(void)rc__buffer_root(h, o);
	}
}

/* Phases 3-5 on st->work. Post: *garbage holds the unreachable part, each object with its
 * exact count plus the collector's hold; st->found says what it needs. */
static void find_garbage(struct gc_state *st, struct olist *garbage, bool resurrected)
{
	struct olist reach = { NULL, NULL };

	st->found = 0;
	partition(st, &reach); /* restores the edges out of reachable objects */
	garbage->head = st->tent.head; /* still tagged: converted by restore */
	garbage->tail = st->tent.tail;
	st->tent.head = st->tent.tail = NULL;
	restore(st, garbage); /* the edges out of garbage (to garbage and to reachable objects) */
	release_reachable(st->heap, &reach, resurrected);
}

/*
 * The two fast outcomes of a first pass (not of a recheck). S holds each member's true count
 * in its gc word (saved when it joined), and st->zero says how many trial counts are zero.
 * These passes walk S through the root buffer as it was gathered (no user code has run, so it
 * is intact), then the rest of the list: an array can be prefetched ahead, a list only as fast
 * as its links come in.
 */
static inline void prefetch_header(const rc_object *o)
{
	__builtin_prefetch((const char *)o - sizeof(uintptr_t), 1);
	__builtin_prefetch((const char *)o + sizeof(rc_object) - 1, 1);
}

/* Calls fn on every member of S once. fn may rewrite the member's link word. */
static inline void for_each_member(struct gc_state *st, void (*fn)(struct gc_state *, rc_object *))
{
	size_t i;
	rc_object *o, *next;

	for (i = 0; i < st->nroots; i++) {
		if (i + AHEAD < st->nroots && st->roots[i + AHEAD])
			prefetch_header(st->roots[i + AHEAD]);
		o = st->roots[i];
		if (o && (cls_word(o) & CLS_IN_SET)) /* else a hole, or a root found saturated */
			fn(st, o);
	}
	for (o = st->rest; o; o = next) {
		next = next_of(o);
		fn(st, o);
	}
}

/* No trial count is zero: every member has a reference from outside S, so all of S is
 * reachable. Partition and restore would only rebuild the counts, which are still the true
 * ones: the member just leaves the collection. */
static void leave_reachable(struct gc_state *st, rc_object *o)
{
	*link_of(o) = 0;
	cls_untag(o, CLS_IN_SET);
	o->rc__gc = 0;
	make_old(st->heap, o);
}

static void release_all_reachable(struct gc_state *st)
{
	for_each_member(st, leave_reachable);
	st->work.head = st->work.tail = NULL;
}

/*
 * Every trial count is zero: nothing in S has a reference from outside, so all of S is
 * garbage; its counts are the true ones (the trial counts were kept in the gc words). Post:
 * the work list becomes the garbage list. If user code other than clear and destroy may run
 * on the garbage (weak reference callbacks, finalizers), each member is held now, as
 * find_garbage leaves it, and st->found says what is needed; otherwise the hold is lazy: see
 * tear_down and rc__release_dead.
 */
static void hold(struct gc_state *st, rc_object *o)
{
	uintptr_t w = cls_word(o);

	hold_one(o);
	if (w & CLS_WEAKREFS)
		st->found |= HAS_WEAKREFS;
	if (!(w & CLS_FINALIZED) && class_of(o)->type->finalize)
		st->found |= HAS_FINALIZERS;
}

/*
 * Whether some garbage may need weak-reference callbacks or finalizers, answered for the
 * whole heap rather than object by object (that would cost the closure a look at every
 * member's type): no weak reference exists at all, and no live object has a type with a
 * finalizer. Conservative: a finalizer that already ran still counts. Costs a look at each
 * type the heap has seen, once per collection.
 */
static bool may_run_user_code(const rc_heap *h)
{
	size_t i;
	const struct rc__class *c;

	if (h->wr_count)
		return true;
	for (i = 0; i < h->classes_cap; i++) {
		c = h->classes[i];
		if (c && c->live && c->type->finalize)
			return true;
	}
	return false;
}

static void take_all_garbage(struct gc_state *st, struct olist *garbage)
{
	st->found = 0;
	if (may_run_user_code(st->heap))
		for_each_member(st, hold);
	else
		st->heap->lazy_hold = true;
	*garbage = st->work;
	st->work.head = st->work.tail = NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Phases 5-9: garbage                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void unhold(rc_object *o)
{
	if (count_is_mortal(o->rc__refcnt))
		o->rc__refcnt--;
}

/* Detaches the weak references to every garbage object, then runs the callbacks of those
 * that are not garbage. Returns true when a callback ran. */
static bool handle_weakrefs(rc_heap *h, struct olist *g)
{
	rc_weakref *cbs = NULL;
	rc_object *o;

	for (o = g->head; o; o = next_of(o))
		if (cls_word(o) & CLS_WEAKREFS)
			rc__weakrefs_detach(h, o, &cbs, true);
	if (!cbs)
		return false;
	rc__weakrefs_run(cbs);
	return true;
}

static bool run_finalizers(struct olist *g)
{
	bool ran = false;
	rc_object *o;
	const rc_type *t;

	for (o = g->head; o; o = next_of(o)) {
		t = type_of(o);
		if (!t->finalize || (cls_word(o) & CLS_FINALIZED))
			continue;
#if RC_MUTATION == 7 /* mutant 7: the collector does not mark finalized objects: a finalizer runs twice */
		t->finalize(o);
		ran = true;
#else
		cls_tag(o, CLS_FINALIZED);
		t->finalize(o);
		ran = true;
#endif
	}
	return ran;
}

/*
 * Phase 8. Pre: *g is the garbage set, held, after user code ran. Post: *g keeps only what is
 * still unreachable (held again); resurrected objects left the collection as candidates.
 */
static void recheck(struct gc_state *st, struct olist *g)
{
	rc_object *o;

	for (o = g->head; o; o = next_of(o)) {
		unhold(o);
		o->rc__gc = 0;
	}
	for (o = g->head; o; o = next_of(o))
		traverse(o, visit_subtract, NULL);
	st->work = *g;
	find_garbage(st, g, true);
}

/*
 * Drops the hold of a garbage object that has been cleared and that nothing references any
 * more: destroy and free it directly (its finalizer ran, its weak references are gone, clear
 * was called), or through the ordinary teardown when that is not certain.
 */
static void free_garbage(rc_heap *h, rc_object *o)
{
	uintptr_t w = cls_word(o);
	const rc_type *t = class_of(o)->type;

	o->rc__refcnt = 0;
	if (h->destroying || (w & CLS_WEAKREFS) || (t->finalize && !(w & CLS_FINALIZED))) {
		rc__release_dead(o);
		return;
	}
	if (t->destroy) {
		cls_set(o, w | CLS_DYING);
		t->destroy(o);
		if (o->rc__refcnt != 0)
			return; /* pinned by a misuse report */
	}
	rc__free_object(h, o);
}

/* A garbage object that only the hold keeps: it leaves the collection and is freed. */
static void release_held(rc_heap *h, rc_object *o)
{
	*link_of(o) = 0;
	cls_untag(o, CLS_IN_SET);
	o->rc__gc = 0;
	free_garbage(h, o);
}

/*
 * Prefetching for the tear down of the garbage of a fast outcome (st->use_roots: the garbage
 * list is the gathered root buffer in order, then the rest): the objects AHEAD and 2 * AHEAD
 * entries past o in the buffer, read from the array rather than by following links. Only
 * entries the collection still owns are used: the buffer must not have moved or been
 * compacted (user code may buffer new roots, into [0, heap->nroots)), and entries past o are
 * garbage not yet torn down (held, or, in the lazy tear down, held by rc__release_dead the
 * moment their count would reach zero: nothing frees them) or roots found saturated (alive).
 * Returns false, and stops for good (use_roots = false), as soon as that cannot be
 * guaranteed, or at the end of the buffer part.
 */
/* The heap's root buffer is still the array gathered (not moved, not compacted): entries past
 * heap->nroots are the collection's. Checked again after any user code ran. */
static inline bool roots_intact(const struct gc_state *st)
{
	return roots_from(st->heap, st->roots_base) == st->roots && st->heap->roots_gen == st->roots_gen;
}

/* Entry k of st->roots is past the new roots buffered since the gather (still the collection's). */
static inline bool past_new_roots(const struct gc_state *st, size_t k)
{
	return k + st->roots_base >= st->heap->nroots;
}

static bool prefetch_from_roots(struct gc_state *st, rc_object *o)
{
	size_t j = st->at, k;

	if (!roots_intact(st)) {
		st->use_roots = false; /* the old array may be freed: not even read */
		return false;
	}
	while (j < st->nroots && st->roots[j] != o)
		j++;
	st->at = j;
	if (j >= st->nroots) {
		st->use_roots = false;
		return false;
	}
	k = j + 2 * AHEAD;
	if (k < st->nroots && past_new_roots(st, k) && st->roots[k])
		prefetch_object(st->roots[k]);
	k = j + AHEAD;
	if (k < st->nroots && past_new_roots(st, k) && st->roots[k])
		prefetch_children(st->roots[k]);
	return true;
}

/*
 * The same for the objects the first loop of tear_down could not free (the rest list): they
 * are the entries of the buffer it did not clear, in about the same order. Only their memory
 * is prefetched (no object is read), so an entry that is off by a few costs a useless
 * prefetch, never a wrong access; the buffer itself must still be the gathered one.
 */
static void prefetch_rest(struct gc_state *st)
{
	size_t j = st->at;

	if (!roots_intact(st)) {
		st->use_roots = false;
		return;
	}
	while (j < st->nroots && !st->roots[j])
		j++;
	st->at = j + 1;
	if (j + 2 * AHEAD < st->nroots && st->roots[j + 2 * AHEAD])
		prefetch_object(st->roots[j + 2 * AHEAD]);
}

/*
 * What the tear down needs to know about the class of the objects it clears and frees, looked
 * up once per run of objects of one class (garbage usually comes in long runs).
 */
struct run_class {
	struct rc__class *c; /* the class (NULL: nothing looked up yet) */
	bool plain;   /* freeing is just counting and a push on the pool: no destroy, no
		       * finalizer, fixed size, pooled, no tracking, no quarantine, and no teardown
		       * running around the collection (see free_held) */
	size_t bytes; /* allocation size (prefix included) */
	size_t k;     /* its pool size class */
	struct map_cache map; /* its references, for clear_cached */
};

/* heap->destroying is read once here: user code run by the tear down (clear, destroy) leaves it
 * as it found it (rc__release_dead restores it). */
static inline void run_class_get(rc_heap *h, struct run_class *rc, struct rc__class *c)
{
	const rc_type *t = c->type;

	rc->c = c;
	rc->bytes = c->prefix + t->size;
	rc->k = rc__pool_class(rc->bytes);
	rc->plain = !t->destroy && !t->finalize && !c->sized && h->pooled && rc__pool_fits(rc->bytes) &&
		    !(h->flags & RC_HEAP_TRACK_ALL) && !h->quarantine_on && !h->destroying;
	map_cache_fill(&rc->map, c);
}

/*
 * A held garbage object of the class rc describes, whose count is down to the hold: it has
 * been cleared and nothing references it. Plain pooled objects are freed here (free_garbage
 * and rc__free_object without their checks, which run_class_get made once); the others
 * (and any that a weak reference was made to meanwhile) through release_held.
 */
static inline void free_held(rc_heap *h, const struct run_class *rc, rc_object *o)
{
	struct rc__class *c = rc->c;

	if (rc->plain && !(cls_word(o) & CLS_WEAKREFS)) {
		/* no quarantine: the header is not read again (the chunk goes back to the pool) */
#if RC_MUTATION == 54 /* mutant 54: the plain free path leaves its type's live count one too high */
#else
		c->live--;
#endif
#if RC_MUTATION == 53 /* mutant 53: the plain free path of the default heap leaves live_objects one too high */
#else
		h->live_objects--;
#endif
#if RC_MUTATION == 59 /* mutant 59: the plain free path leaves live_collectable one too high */
#else
		h->live_collectable--;
#endif
		h->freed_total++;
		h->live_bytes -= rc->bytes;
		rc__pool_free_class(&h->pool, (char *)o - c->prefix, rc->k);
	} else {
		release_held(h, o);
	}
}

/*
 * Phase 9. Returns the number of objects whose count reached zero.
 *
 * Lazy hold (heap->lazy_hold, set by the all-garbage outcome when no weak-reference callback
 * or finalizer can run): the garbage enters the tear down unheld, with its true counts (gc
 * GC_NO_ROOT). The only user code that runs is clear and destroy, and each object is held
 * before its own clear (and the next one on the list too, which in pairs and rings is the
 * object that clear releases: its count then stays above zero and the release takes the
 * inline path). An object not reached yet whose count a clear takes to zero is held by
 * rc__release_dead at that moment (count 1: the hold alone), so from then on it is exactly
 * as if it had been held from the start: nothing frees it behind the collector's back, and a
 * release below the hold is reported as a double release. Until then, user code reads its
 * true count (never a trial count, never zero).
 */
static RC__ALWAYS_INLINE long tear_down_walk(struct gc_state *st, struct olist *g, const bool maps)
{
	rc_heap *h = st->heap;
	struct olist rest = { NULL, NULL };
	rc_object *recent = NULL, *o, *next;
	struct ahead a = { NULL, 0 };
	struct run_class rc = { .c = NULL };
	struct rc__class *c;
	long freed = 0;
	uint32_t n;
	const bool lazy = h->lazy_hold;
	bool from_roots = st->use_roots && st->prefetch;

	/* clear each object; one that only the hold keeps after a clear is referenced by nothing
	 * (every reference is counted), so it goes at once, while in the cache */
	for (o = g->head; o; o = next) {
		if (from_roots) {
			from_roots = prefetch_from_roots(st, o);
		} else if (st->prefetch) {
			ahead_fill(&a, o, true);
			ahead_step(&a);
		}
		next = next_of(o);
		if (lazy) {
			/* hold o before its clear, and the next one too (see above) */
			if (o->rc__gc == GC_NO_ROOT)
				hold_one(o);
			if (next && next->rc__gc == GC_NO_ROOT)
				hold_one(next);
		}
		c = class_of(o);
		if (c != rc.c)
			run_class_get(h, &rc, c);
#if RC_MUTATION == 9 /* mutant 9: tear down skips clear on the last garbage object (its references are never dropped) */
		if (next)
			clear_cached(&rc.map, maps, o);
#else
		clear_cached(&rc.map, maps, o); /* the map inline, then the type's clear if any */
#endif
		/* the object cleared just before, if still referenced then: in a pair or a short
		 * cycle, the clear of the partner lets go of it, while it is in the cache (checking
		 * more than one was measured slower: on scattered graphs they rarely go) */
		if (recent && recent->rc__refcnt == 1) {
			if (class_of(recent) == rc.c)
				free_held(h, &rc, recent);
			else
				release_held(h, recent);
			freed++;
			recent = NULL;
		}
		if (o->rc__refcnt == 1) {
			free_held(h, &rc, o);
			freed++;
			if (from_roots && roots_intact(st) && past_new_roots(st, st->at))
				st->roots[st->at] = NULL; /* what stays in the buffer is the rest list */
			continue;
		}
		if (recent)
			push_back(&rest, recent);
		recent = o;
	}
	if (recent)
		push_back(&rest, recent);
	phase_mark(5);
	*g = rest;
	st->at = 0;
	while ((o = pop_front(g)) != NULL) {
		if (st->use_roots && st->prefetch)
			prefetch_rest(st);
		n = o->rc__refcnt;
		if (n == 1) {
			if (class_of(o) != rc.c)
				run_class_get(h, &rc, class_of(o));
			free_held(h, &rc, o);
			freed++;
			continue;
		}
		*link_of(o) = 0;
		cls_untag(o, CLS_IN_SET);
		o->rc__gc = 0;
		if (count_is_mortal(n)) {
			o->rc__refcnt = n - 1u; /* something kept it (clear misbehaved): a candidate */
			(void)rc__buffer_root(h, o);
		} else {
			o->rc__gc = GC_NO_ROOT;
			if (count_is_immortal(n))
				rc__immortal_push(h, o);
		}
	}
	return freed;
}

static long tear_down(struct gc_state *st, struct olist *g)
{
	return st->maps ? tear_down_walk(st, g, true) : tear_down_walk(st, g, false);
}

static long collect_garbage(struct gc_state *st, struct olist *g)
{
	bool user_ran = false;

	if (st->found & HAS_WEAKREFS)
		user_ran = handle_weakrefs(st->heap, g);
	if (st->found & HAS_FINALIZERS)
		user_ran |= run_finalizers(g);
#if RC_MUTATION == 6 /* mutant 6: no recheck after finalizers: resurrected objects are torn down */
	if (user_ran && 0) {
		recheck(st, g);
#else
	if (user_ran) {
		recheck(st, g);
#endif
		(void)handle_weakrefs(st->heap, g);
		st->use_roots = false; /* the list changed, and resurrected objects may be freed */
	}
	return tear_down(st, g);
}

/* ------------------------------------------------------------------------------------------ */
/* Entry points                                                                                */
/* ------------------------------------------------------------------------------------------ */


/*
 * A minor collection whose closure stopped at an old object proved its roots reachable only
 * on the assumption that old objects are; a root found reachable must then stay a candidate
 * for the next major collection (else garbage through an old object would lose the one
 * candidate that leads to it). Pre: no user code ran since the gather (the buffer holds the
 * old roots kept, heap->nroots == st->roots_base, and the gathered part is intact). Post: the
 * surviving roots are buffered again, in place (each entry is written at or before the
 * place it is read from), old (make_old tagged them as they left).
 */
static void keep_surviving_roots(struct gc_state *st)
{
	rc_heap *h = st->heap;
	rc_object *o;
	size_t i;

	for (i = 0; i < st->nroots; i++) {
		o = st->roots[i];
		if (!o || (cls_word(o) & CLS_IN_SET) || o->rc__gc != 0 || !count_is_mortal(o->rc__refcnt))
			continue; /* a hole, garbage, or a root found saturated */
		o->rc__gc = GC_NO_ROOT | GC_BUFFERED | (uint32_t)(h->nroots << GC_SLOT_SHIFT);
		h->roots[h->nroots++] = o;
	}
	h->old_kept = h->nroots - h->holes;
	h->old_front = h->nroots;
}

/* The trigger of the next automatic collection: max(threshold, examined / 4) candidate roots
 * more than the old roots a minor collection left in the buffer. */
static void set_trigger(rc_heap *h, size_t examined)
{
#if RC_MUTATION == 58 /* mutant 58: the trigger after a collection ignores the threshold (collects below it) */
	h->gc_trigger = examined / 4;
#else
	h->gc_trigger = examined / 4 > h->threshold ? examined / 4 : h->threshold;
#endif
	h->gc_trigger += h->old_kept;
}

static long collect(rc_heap *h, bool full, bool minor)
{
	struct gc_state st;
	struct olist garbage;
	long freed = 0;

#if RC_MUTATION == 8 /* mutant 8: a nested rc_collect runs instead of returning RC_EBUSY */
	h->collecting = true;
#else
	if (h->collecting)
		return RC_EBUSY;
	h->collecting = true;
#endif
	memset(&st, 0, sizeof st);
	st.heap = h;
	if (h->roots_lost && (h->flags & RC_HEAP_TRACK_ALL))
		full = true;
	if (full) {
		h->roots_lost = false;
		/* a full collection is major: gather_all takes every object into S, old roots a
		 * minor would keep buffered at the front included, and one freed as garbage would
		 * stay in the buffer (test_generations: lost_roots_make_a_major) */
		minor = false;
	}
	st.minor = minor;
	if (!minor)
		h->old_front = 0;
	st.maps = h->map_classes != 0; /* classes are made only by rc_new*, never inside the walks
					* that read this (user code of the tear down may make one:
					* its objects are not garbage of this collection) */
	phase_mark(0);
	gather_roots(&st);
	if (full && (h->flags & RC_HEAP_TRACK_ALL))
		gather_all(&st);
	phase_mark(1);
	closure(&st);
	phase_mark(2);
	garbage.head = garbage.tail = NULL;
	if (st.zero == 0) {
		release_all_reachable(&st);
		h->last_outcome = st.examined ? RC__OUTCOME_ALL_REACHABLE : RC__OUTCOME_NONE;
	} else if (st.zero == st.examined) {
		take_all_garbage(&st, &garbage);
		st.use_roots = true;
		h->last_outcome = h->lazy_hold ? RC__OUTCOME_ALL_LAZY : RC__OUTCOME_ALL_HELD;
	} else {
		find_garbage(&st, &garbage, false);
		h->last_outcome = RC__OUTCOME_MIXED;
	}
	if (minor && st.hit_old)
		keep_surviving_roots(&st);
	phase_mark(3);
	phase_mark(5);
	if (garbage.head)
		freed = collect_garbage(&st, &garbage);
	h->lazy_hold = false;
	phase_mark(4);
	phase_report(st.examined, st.prefetch);
	h->collections++;
	h->collected += (size_t)freed;
	h->last_examined = st.examined;
	h->last_minor = minor;
	if (!minor) {
		h->promoted = 0;
		h->old_base = h->live_collectable;
		h->minors = 0;
	} else {
		h->minors++;
	}
	/* with generations, a major collection's cost is paid for by the promotions that make it
	 * due (major_due), not by delaying the next minor one */
	set_trigger(h, (h->flags & RC_HEAP_GENERATIONS) && !minor ? 0 : st.examined);
	h->collecting = false;
	return freed;
}

long rc__collect(rc_heap *h, bool full)
{
	return collect(h, full, false);
}

/* "Generations": a major collection is due once the objects made old since the last one
 * exceed max(threshold, old_base / 4) (CPython's rule for its oldest generation: the work of
 * a major collection, about the live heap, is then paid for by as many promotions), once
 * the old roots waiting in the buffer exceed max(threshold, live collectable / 4) (they hold
 * the buffer's memory, and the garbage they may lead to), and at the latest after
 * max(RC__MAX_MINORS, old_base / (4 * threshold)) minor collections in a row (each was
 * triggered by at least `threshold` new candidate roots, so a major's work is still paid for
 * by old_base / 4 of them): garbage that holds or is held by an old object is freed by the
 * automatic collection after that many at the latest, even in a program that makes nothing
 * old any more. */
static bool major_due(const rc_heap *h)
{
	size_t t = h->threshold;
	size_t promoted_max = h->old_base / 4 > t ? h->old_base / 4 : t;
	size_t kept_max = h->live_collectable / 4 > t ? h->live_collectable / 4 : t;
	size_t minors_max = h->old_base / 4 / t > RC__MAX_MINORS ? h->old_base / 4 / t : RC__MAX_MINORS;
	if (h->minors >= minors_max)
		return true;
	return !h->minors_only && (h->promoted > promoted_max || h->old_kept > kept_max);
}

long rc__collect_auto(rc_heap *h)
{
	return collect(h, false, (h->flags & RC_HEAP_GENERATIONS) && !major_due(h));
}

long rc_collect(rc_heap *heap)
{
	if (!heap)
		return RC_EINVAL;
	return rc__collect(heap, false);
}

void rc_gc_enable(rc_heap *heap)
{
	if (heap)
		heap->gc_enabled = true;
}

void rc_gc_disable(rc_heap *heap)
{
	if (heap)
		heap->gc_enabled = false;
}

int rc_gc_is_enabled(const rc_heap *heap)
{
	return heap && heap->gc_enabled;
}

int rc_gc_set_threshold(rc_heap *heap, size_t roots)
{
	if (!heap || roots < 1)
		return RC_EINVAL;
	heap->threshold = roots;
#if RC_MUTATION == 57 /* mutant 57: a new threshold does not become the trigger (a larger old trigger stays) */
	heap->gc_trigger = roots > heap->gc_trigger ? roots : heap->gc_trigger;
#else
	heap->gc_trigger = roots;
#endif
	return 0;
}

size_t rc_gc_get_threshold(const rc_heap *heap)
{
	return heap ? heap->threshold : 0;
}
