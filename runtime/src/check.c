/*
 * check.c - rc_heap_check(), the whole-heap invariant checker for tests and fuzzers (the
 * invariants are listed in internal.h). Needs RC_HEAP_TRACK_ALL. Allocates nothing: incoming
 * edges are counted in the link word of collectable objects and in the gc word of leaves,
 * both idle while the heap is (immortal objects excepted: not counted), and put back before
 * returning.
 */
#include "internal.h"

#include <stdio.h>

struct check_ctx {
	rc_heap *heap;
	FILE *out;
	long problems;
	rc_object *owner;
};

static const char *tname(const rc_object *o)
{
	const char *n = type_of(o)->name;
	return n ? n : "?";
}

static void problem(struct check_ctx *cx, const rc_object *o, const char *what)
{
	cx->problems++;
	if (cx->out)
		fprintf(cx->out, "rc_heap_check: object %p (type '%s'): %s\n", (const void *)o, tname(o), what);
}

/* Per-object state, and marks it (CLS_IN_SET) as live for the edge pass. */
static void check_object(struct check_ctx *cx, rc_object *o, size_t *buffered)
{
	rc_heap *h = cx->heap;
	uint32_t n = o->rc__refcnt, g = o->rc__gc;
	uintptr_t w = cls_word(o);
	struct rc__class *c = class_of(o);

	if ((w & CLS_STATIC) || c->heap != h || !c->type) {
		problem(cx, o, "type record does not belong to this heap");
		return;
	}
	if ((w & CLS_COLLECTABLE) != (c->collectable ? CLS_COLLECTABLE : 0))
		problem(cx, o, "collectable tag disagrees with the type");
	if (w & CLS_IN_SET)
		problem(cx, o, "collector state is not idle (CLS_IN_SET)");
	if (n == 0)
		problem(cx, o, "live object with count zero");
	if ((w & CLS_DYING) && n != RC_REFCNT_SATURATED)
		problem(cx, o, "dying object still tracked");
	if (!(w & CLS_COLLECTABLE)) {
		if (g != GC_NO_ROOT)
			problem(cx, o, "leaf with a collector state");
	} else if (g & GC_BUFFERED) {
		size_t slot = g >> GC_SLOT_SHIFT;
		if (!(g & GC_NO_ROOT) || slot >= h->nroots || h->roots[slot] != o)
			problem(cx, o, "buffered root not in its buffer slot");
		else
			(*buffered)++;
	} else if (count_is_mortal(n) ? g != 0 : (g != GC_NO_ROOT && (count_is_immortal(n) || g != 0))) {
		/* mortal: idle 0; immortal: GC_NO_ROOT; saturated: either (it saturated in place) */
		problem(cx, o, "bad collector state word");
	}
	cls_tag(o, CLS_IN_SET);
	if (count_is_immortal(n))
		return; /* no counting (and its link word holds heap->immortal_list) */
	if (w & CLS_COLLECTABLE)
		*link_of(o) = 0;
	else
		o->rc__gc = 0;
}

static void visit_edge(rc_object *child, void *arg)
{
	struct check_ctx *cx = arg;

	if (!child || is_static(child))
		return;
	if (!(cls_word(child) & CLS_IN_SET)) {
		problem(cx, cx->owner, "references an object that is dead or of another heap");
		return;
	}
	if (count_is_immortal(child->rc__refcnt))
		return;
	if (is_collectable(child))
		(*link_of(child))++;
	else
		child->rc__gc++;
}

static void compare_and_reset(struct check_ctx *cx, rc_object *o)
{
	size_t incoming;
	char line[128];

	cls_untag(o, CLS_IN_SET);
	if (count_is_immortal(o->rc__refcnt))
		return;
	if (is_collectable(o)) {
		incoming = *link_of(o);
		*link_of(o) = 0;
	} else {
		incoming = o->rc__gc;
		o->rc__gc = GC_NO_ROOT;
	}
	if (count_is_mortal(o->rc__refcnt) && incoming > o->rc__refcnt) {
		snprintf(line, sizeof line, "count %u < %zu references from live objects", (unsigned)o->rc__refcnt,
			 incoming);
		problem(cx, o, line);
	}
}

static void check_totals(struct check_ctx *cx, size_t objects, size_t collectable, size_t buffered)
{
	rc_heap *h = cx->heap;
	size_t i, sum = 0;

	for (i = 0; i < h->classes_cap; i++)
		if (h->classes[i])
			sum += h->classes[i]->live;
	if (objects != h->live_objects || sum != h->live_objects || collectable != h->live_collectable) {
		cx->problems++;
		if (cx->out)
			fprintf(cx->out, "rc_heap_check: heap %p: %zu tracked objects (%zu collectable), stats say %zu (%zu), types say %zu\n",
				(void *)h, objects, collectable, h->live_objects, h->live_collectable, sum);
	}
	if (buffered != h->nroots - h->holes || h->pending) {
		cx->problems++;
		if (cx->out)
			fprintf(cx->out, "rc_heap_check: heap %p: root buffer holds %zu roots, %zu found; pending list %s\n",
				(void *)h, h->nroots - h->holes, buffered, h->pending ? "not empty" : "empty");
	}
}

long rc_heap_check(rc_heap *heap, FILE *out)
{
	struct check_ctx cx = { heap, out, 0, NULL };
	size_t objects = 0, collectable = 0, buffered = 0;
	rc_object *o;

	if (!heap)
		return RC_EINVAL;
	if (!(heap->flags & RC_HEAP_TRACK_ALL))
		return RC_ENOTRACK;
	if (heap->collecting || heap->destroying) {
		if (out)
			fprintf(out, "rc_heap_check: heap %p: called during a collection or teardown\n", (void *)heap);
		return 1;
	}
	for (o = heap->track_head; o; o = track_of(o)[1]) {
		objects++;
		collectable += is_collectable(o);
		check_object(&cx, o, &buffered);
	}
	for (o = heap->track_head; o; o = track_of(o)[1]) {
		if (!is_collectable(o) || !(cls_word(o) & CLS_IN_SET))
			continue;
		cx.owner = o;
		each_child(class_of(o), o, visit_edge, &cx);
	}
	for (o = heap->track_head; o; o = track_of(o)[1])
		if (cls_word(o) & CLS_IN_SET)
			compare_and_reset(&cx, o);
	check_totals(&cx, objects, collectable, buffered);
	if (heap->pooled)
		cx.problems += (long)rc__pool_check(&heap->pool, out);
	return cx.problems;
}
