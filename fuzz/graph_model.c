/*
 * graph_model.c - the graph targets' engine: program decoder, runtime driver and model oracle.
 * Private to fuzz/. The story (record format, what the oracle checks and why) is in
 * docs/fuzzing.md; fuzz/mkseeds.py writes and reads the same format.
 *
 * Model invariants (checked against the runtime after every record, and in every hook):
 *   - obj[i].cnt = registers holding i + slots of live objects holding i. It is the count the
 *     runtime must report for a live i, and a live i has cnt > 0 at the end of each record.
 *   - A weak reference reads as gone iff its target was freed, or its target was garbage of a
 *     collection (a resurrected target included: the collector clears weak references to all
 *     garbage before any finalizer runs).
 *   - finalize / clear run only on an object that has no references left (cnt == 0) or is in the
 *     garbage of the running collection; destroy only on one the model counts no reference to.
 *   - After a collection every object of its garbage is freed unless it is reachable again
 *     (resurrected) from the roots: registers, and objects being destroyed outside the garbage.
 *
 * Forms: the collectable kinds come in the three forms of rc.h, in turn (the n-th object the
 * program creates has form n % 3): traverse + clear callbacks; a reference-field map of all
 * MAX_SLOTS slots (the runtime visits and clears them without calling the harness); and a map
 * of slots 0-1 with traverse + clear for slots 2-3. The runtime clears a map's slots itself (store
 * NULL, then release), so the model learns of it afterwards: sync_map_clears() at the entry of
 * every hook and at every quiet point, which also checks that the owner was allowed to be
 * cleared, as t_clear checks for the callback form.
 *
 * Frames: every call that may collect (rc_new*, rc_collect) is bracketed by frame_push/frame_pop.
 * The outermost frame computes the model's garbage (g[]) before the call, so hooks that run
 * inside a collection can tell garbage from live objects; nested frames (allocations and
 * collections requested from finalizers and callbacks inside a collection) must not collect.
 */
#include "graph_model.h"

#include <rc/rc.h>
#include "testhooks.h" /* rc__test_set_quarantine: the internal build is linked (rc_internal_dep) */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================================================ */
/* Program format                                                                                */
/* ============================================================================================ */

enum {
	NREG = 16,        /* registers: outside references the program holds */
	MAX_OBJS = 1024,  /* objects (weak references included) one run may create */
	MAX_SLOTS = 4,    /* slots per container */
	MAX_DEPTH = 8,    /* nested frames (finalizer allocating inside a collection, ...) */
	END_ROUNDS = 16,  /* drop-everything-and-collect rounds at the end */
	SLOT_MOD = 12,    /* canonical slot index: b % 12 % nslots == b % nslots for nslots 1..4 */
};

enum op {
	OP_NEW,       /* a=dst, b=kind, c=(slots-1) | param<<2 | flag<<6 */
	OP_STORE,     /* reg[a].slot[b] = reg[c] (new reference; empty register stores NULL) */
	OP_CLEAR,     /* reg[a].slot[b] = NULL */
	OP_LOAD,      /* reg[a] = reg[b].slot[c] (takes an outside reference) */
	OP_DUP,       /* reg[a] = reg[b] (takes an outside reference); c == SAT_MAGIC: saturate first */
	OP_DROP,      /* reg[a] = empty (drops an outside reference) */
	OP_WEAK,      /* reg[a] = weakref to reg[b]; c&1: callback, c&2: the callback calls rc_collect */
	OP_WEAKGET,   /* read weakref reg[b]; c&1: keep the result in reg[a] */
	OP_COLLECT,   /* rc_collect */
	OP_GC,        /* a%3: 0 threshold 1+b, 1 disable, 2 enable */
	OP_FAILALLOC, /* the (b+1)th allocation from now fails */
	OP_IMMORTAL,  /* rc_make_immortal(reg[a]) */
	NOPS
};
/*
 * `chain N` (an OP_COLLECT record whose a byte is CHAIN_MAGIC; b gives N): N containers in a
 * list, each holding the next, outside the model, then the head dropped. rc.h: destruction is
 * iterative (a release inside a teardown is queued), so however long the chain the stack does
 * not grow with it; a recursive teardown overflows it (mutant 52). Checked: every object of the
 * chain is freed (live-object and per-type totals back to what they were).
 */
enum { CHAIN_MAGIC = 0xC4, CHAIN_UNIT = 1024 };
static unsigned chain_length(unsigned b)
{
	return CHAIN_UNIT * (1 + b % 32); /* 1024 .. 32768: under ASan 16384 already overflow a
					   * recursive teardown's stack (mutant 52); longer chains
					   * only slowed the fuzzers down */
}
/*
 * `dup rD rS saturate` (an OP_DUP record whose c byte is SAT_MAGIC): the program adds
 * RC_REFCNT_MAX - count references to rS's object at once (the internal build's
 * rc__test_set_refcnt puts its count at RC_REFCNT_MAX: what that many rc_incref calls would do,
 * in one step) and never drops them, then rD takes one more with rc_incref. rc.h: an increment
 * past RC_REFCNT_MAX pins the count at RC_REFCNT_SATURATED, reports once through the heap's
 * report hook, and the object is never freed afterwards, nor anything it holds; rc_heap_destroy
 * counts it (and what it keeps) as leaked. A count that wraps instead (mutant 50) reaches zero
 * with no report. Tracked heaps only: an untracked heap does not return a survivor's memory at
 * rc_heap_destroy (rc.h), so there the record is a plain `dup`; so is it on an immortal or an
 * already saturated object (an increment leaves those unchanged, silently).
 */
enum { SAT_MAGIC = 0x5A };

_Static_assert((int)NOPS == (int)GM_NOPS, "graph_model.h: GM_NOPS is the number of operations");

enum kind {
	K_LEAF,        /* no traverse */
	K_CONT,        /* container, no finalizer */
	K_RES_SELF,    /* container whose finalizer stores itself into reg[param] */
	K_RES_OTHER,   /* container whose finalizer stores its slot 0 into reg[param] */
	K_DROPPER,     /* container whose finalizer clears its own slots */
	K_ALLOCATOR,   /* container whose finalizer allocates a leaf into slot 0 (flag: then collects) */
	K_LEAF_FIN,    /* leaf with a finalizer (flag: stores itself into reg[param]) */
	NKINDS_NEW,
	K_WEAK = NKINDS_NEW, /* a runtime weak reference */
};

/* How a collectable kind declares its references (leaves are always FORM_CALLBACKS). */
enum form {
	FORM_CALLBACKS, /* traverse + clear over every slot */
	FORM_MAP,       /* reference-field map of all MAX_SLOTS slots, no traverse, no clear */
	FORM_BOTH,      /* map of slots 0..MAP_BOTH-1, traverse + clear for the others */
	/* Containers only: traverse + clear without destroy (and they have no finalizer), like
	 * most user types, of one fixed size (rc_new_sized at the type's size: not a "sized"
	 * class). On a pooled heap without TRACK_ALL and quarantine their garbage takes the
	 * collector's plain free path, which the forms above never reach. No hook tells the model
	 * they were freed: it infers it (settle, check_collection), and the heap's live-object and
	 * per-type totals, checked after every record, say whether it is right. Their clear is a
	 * hook, so the model sees every reference they drop. (A map form without destroy would
	 * drop references nobody sees, at a moment the model cannot tell: dying and queued behind
	 * a teardown, or already gone.) */
	FORM_PLAIN_CALLBACKS,
	NFORMS
};
enum { NFORMS_FINALIZER = FORM_PLAIN_CALLBACKS }; /* the forms of kinds with a finalizer */

enum { MAP_BOTH = 2 };

static const char *const heap_names[GM_NHEAPS] = { "checked", "default", "plain", "tracked-pooled" };
static const char *const form_names[NFORMS] = { "", " (map)", " (map+traverse)", " (no destroy)" };

static const char *const kind_names[NKINDS_NEW + 1] = {
	"leaf", "container", "resurrect-self", "resurrect-other", "dropper", "allocator",
	"leaf-finalizer", "weakref",
};

/* ============================================================================================ */
/* State                                                                                         */
/* ============================================================================================ */

/* The objects of every type the harness defines. */
struct fobj {
	rc_object base;
	uint32_t id;     /* index in gm.obj */
	uint32_t nslots; /* 0 for leaves */
	rc_object *slot[];
};

struct mobj {
	rc_object *ptr;           /* NULL once freed */
	uint32_t cnt;             /* references the model counts */
	int16_t slot[MAX_SLOTS];  /* ids, -1 = empty */
	int16_t target;           /* K_WEAK: the target's id (never changes) */
	uint8_t kind, nslots, param, flag;
	uint8_t form;             /* enum form */
	uint8_t cb;               /* K_WEAK: 0 none, 1 callback, 2 callback that calls rc_collect */
	uint8_t cleared;          /* K_WEAK: reads as gone */
	uint8_t cb_ran, finalized, dying, freed;
	uint8_t gained;           /* got a new reference inside the current outermost frame */
	uint8_t immortal;         /* rc_make_immortal: a root, never freed before rc_heap_destroy */
	uint8_t saturated;        /* its count saturated (`dup ... saturate`): a root, never freed,
	                           * not even by rc_heap_destroy, which reports it as leaked */
	uint8_t in_cb;            /* K_WEAK: its callback is running (the runtime holds it: a root) */
	uint8_t cb_pending;       /* K_WEAK: its target died and its callback is queued behind another
	                           * one that is running: the runtime holds it until it runs (a root) */
	uint32_t born;            /* record that created it */
};

struct fz_alloc {
	size_t calls;    /* allocations requested */
	size_t fail_at;  /* 0, or the allocation number that fails */
	int persist;     /* every allocation after fail_at fails too */
	size_t failures; /* allocations refused */
	size_t live_allocs, live_bytes;
};

struct frame {
	int collect;        /* rc_collect (else rc_new*) */
	int has_g;          /* outermost: g[] describes this frame */
	size_t collections; /* stats.collections at push */
	int first_new;      /* objects created inside have ids >= first_new */
	size_t destroyed;   /* gm.destroyed at push */
	size_t collectable, allocated; /* stats.live_collectable and allocated_total at push */
};

#define G_GARBAGE 1u         /* unreachable from the roots at push */
#define G_WEAK_TO_GARBAGE 2u /* weakref, not cleared at push, to a collectable garbage object */

struct gm {
	rc_heap *heap;
	const struct gm_config *cfg;
	const uint8_t *prog;
	size_t nrec;
	size_t pc;            /* record being run; nrec during teardown */
	int reg[NREG];        /* ids, -1 = empty */
	rc_object *regp[NREG]; /* the references themselves */
	int nobj;
	unsigned nnew;        /* objects the program asked for (picks the form, in turn) */
	int depth;
	int hooks;            /* hooks of the harness running (the runtime is inside a teardown) */
	int pinned;           /* object the harness holds a temporary reference to (a root), or -1 */
	int in_destroy;       /* inside rc_heap_destroy: report lines are expected */
	int expect_saturation; /* a saturating rc_incref is running: its report is expected */
	int nsaturated;       /* objects saturated so far */
	int tracked;          /* the heap has RC_HEAP_TRACK_ALL (rc_heap_check, foreach, total_refs) */
	int generations;      /* the heap has RC_HEAP_GENERATIONS (minor automatic collections) */
	int can_fail;         /* allocations go through the hooks and may be refused */
	int quarantined;      /* freed objects stay readable for a while (RC_HEAP_QUARANTINE) */
	/* automatic collection (rc.h, "Safe points"): enabled, the threshold, and a bound on the
	 * objects the last collection examined (its trigger is max(threshold, examined / 4)) */
	int gc_on;
	size_t threshold, examined_bound;
	size_t destroyed;     /* objects freed so far */
	size_t collections_seen;
	size_t fe_seen, fe_weak, fe_bad; /* rc_heap_foreach tallies */
	size_t ft_total, ft_kind[NKINDS_NEW];  /* rc_heap_foreach_type tallies */
	struct fz_alloc alloc;
	struct frame frames[MAX_DEPTH];
	uint8_t g[MAX_OBJS];
	uint8_t mark[MAX_OBJS];
	int stack[MAX_OBJS];
	struct mobj obj[MAX_OBJS];
};

static struct gm the_model;
static struct gm *cur; /* the run in progress (hooks have no context argument) */

static int collectable(unsigned kind)
{
	return kind >= K_CONT && kind <= K_ALLOCATOR;
}

/* Examined by the collector: our collectable kinds, and weak references (rc.h: an internal
 * collectable type without children, so that the collector can tell a garbage weakref). */
static int gc_tracked(unsigned kind)
{
	return collectable(kind) || kind == K_WEAK;
}

static int has_finalizer(unsigned kind)
{
	return kind >= K_RES_SELF && kind <= K_LEAF_FIN;
}

/* ============================================================================================ */
/* Reporting a mismatch                                                                          */
/* ============================================================================================ */

/* One record in mkseeds.py syntax (canonical: every field reduced to what the engine uses). */
static void format_record(char *buf, size_t n, const uint8_t *r)
{
	unsigned op = r[0] % NOPS, a = r[1], b = r[2], c = r[3];
	switch (op) {
	case OP_NEW: {
		unsigned kind = b % NKINDS_NEW;
		char slots[16] = "";
		if (collectable(kind))
			snprintf(slots, sizeof slots, " slots=%u", 1 + (c & 3));
		snprintf(buf, n, "new r%u %s%s param=%u%s", a % NREG, kind_names[kind], slots, (c >> 2) & 15,
			((c >> 6) & 1) ? " flag" : "");
		break;
	}
	case OP_STORE:
		snprintf(buf, n, "store r%u.%u r%u", a % NREG, b % SLOT_MOD, c % NREG);
		break;
	case OP_CLEAR:
		snprintf(buf, n, "clear r%u.%u", a % NREG, b % SLOT_MOD);
		break;
	case OP_LOAD:
		snprintf(buf, n, "load r%u r%u.%u", a % NREG, b % NREG, c % SLOT_MOD);
		break;
	case OP_DUP:
		snprintf(buf, n, "dup r%u r%u%s", a % NREG, b % NREG, c == SAT_MAGIC ? " saturate" : "");
		break;
	case OP_DROP:
		snprintf(buf, n, "drop r%u", a % NREG);
		break;
	case OP_WEAK:
		snprintf(buf, n, "weak r%u r%u%s", a % NREG, b % NREG, (c & 1) ? ((c & 2) ? " cb-collect" : " cb") : "");
		break;
	case OP_WEAKGET:
		snprintf(buf, n, "weakget r%u r%u%s", a % NREG, b % NREG, (c & 1) ? " keep" : "");
		break;
	case OP_COLLECT:
		if (a == CHAIN_MAGIC)
			snprintf(buf, n, "chain %u", chain_length(b));
		else
			snprintf(buf, n, "collect");
		break;
	case OP_GC:
		if (a % 3 == 0)
			snprintf(buf, n, "gc threshold %u", 1 + b);
		else
			snprintf(buf, n, "%s", a % 3 == 1 ? "gc disable" : "gc enable");
		break;
	case OP_FAILALLOC:
		snprintf(buf, n, "failalloc %u", b);
		break;
	default: /* OP_IMMORTAL */
		snprintf(buf, n, "immortal r%u", a % NREG);
		break;
	}
}

void gm_print_program(FILE *out, const uint8_t *prog, size_t size, size_t mark)
{
	size_t nrec = size / GM_RECORD;
	if (nrec > GM_MAX_RECORDS)
		nrec = GM_MAX_RECORDS;
	for (size_t i = 0; i < nrec; i++) {
		const uint8_t *r = prog + i * GM_RECORD;
		char text[80];
		format_record(text, sizeof text, r);
		fprintf(out, "%s%-40s # %4zu: %02x %02x %02x %02x\n", i == mark ? "=> " : "   ", text, i, r[0], r[1],
			r[2], r[3]);
	}
	if (size % GM_RECORD)
		fprintf(out, "   # (%zu trailing byte(s) ignored)\n", size % GM_RECORD);
}

static int unreadable(const struct gm *m, int i);

static void dump_graph(FILE *out, struct gm *m)
{
	fputs("-- registers:", out);
	for (int r = 0; r < NREG; r++) {
		if (m->reg[r] >= 0)
			fprintf(out, " r%d=#%d", r, m->reg[r]);
	}
	fputc('\n', out);
	fputs("-- objects: #id kind (born at record) count model/runtime, slots, state\n", out);
	for (int i = 0; i < m->nobj; i++) {
		const struct mobj *o = &m->obj[i];
		fprintf(out, "#%d %s%s (r%u)", i, kind_names[o->kind], form_names[o->form], o->born);
		if (o->freed) {
			fputs(" freed", out);
		} else if (unreadable(m, i)) {
			fprintf(out, " count %u/(not read: may be freed without a hook)", o->cnt);
		} else {
			fprintf(out, " count %u/%u", o->cnt, rc_refcount(o->ptr));
		}
		if (o->nslots) {
			fputs(" [", out);
			for (int k = 0; k < o->nslots; k++) {
				if (o->slot[k] >= 0)
					fprintf(out, "%s#%d", k ? " " : "", o->slot[k]);
				else
					fprintf(out, "%s-", k ? " " : "");
			}
			fputc(']', out);
		}
		if (o->kind == K_WEAK)
			fprintf(out, " -> #%d%s%s%s", o->target, o->cb ? " cb" : "", o->cleared ? " cleared" : "",
				o->cb_ran ? " cb-ran" : "");
		if (has_finalizer(o->kind))
			fprintf(out, " param=%u%s", o->param, o->flag ? " flag" : "");
		if (o->finalized)
			fputs(" finalized", out);
		if (o->immortal)
			fputs(" immortal", out);
		if (o->saturated)
			fputs(" saturated", out);
		if (o->dying)
			fputs(" dying", out);
		if (m->depth > 0 && m->frames[0].has_g && i < m->frames[0].first_new && (m->g[i] & G_GARBAGE))
			fputs(" garbage", out);
		fputc('\n', out);
	}
}

__attribute__((format(printf, 1, 2))) static _Noreturn void fail(const char *fmt, ...)
{
	struct gm *m = cur;
	va_list ap;
	fflush(stdout);
	fputs("\n==== rccheck fuzz: runtime and model disagree ====\n", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (m && m->prog) {
		if (m->pc < m->nrec)
			fprintf(stderr, "-- while running record %zu (frame depth %d)\n", m->pc, m->depth);
		else
			fprintf(stderr, "-- during teardown (every register dropped, then collect)\n");
		fprintf(stderr, "-- config: heap %s%s, fail_at=%zu%s gc_threshold=%zu%s; allocations %zu, refused %zu\n",
			heap_names[m->cfg->heap_kind % GM_NHEAPS], m->generations ? " +generations" : "",
			m->cfg->fail_at, m->cfg->fail_persist ? " persist" : "", m->cfg->gc_threshold,
			m->cfg->default_allocator ? " default-allocator" : "", m->alloc.calls, m->alloc.failures);
		fprintf(stderr, "-- program (%zu records, => marks the one running):\n", m->nrec);
		gm_print_program(stderr, m->prog, m->nrec * GM_RECORD, m->pc);
		dump_graph(stderr, m);
	}
	fputs("==== end of dump ====\n", stderr);
	fflush(stderr);
	abort();
}

/* ============================================================================================ */
/* Allocator hooks: count, check sizes, fail on request                                          */
/* ============================================================================================ */

#define BLOCK_LIVE UINT64_C(0x6c697665626c6b21)
#define BLOCK_DEAD UINT64_C(0x6465616464656164)

struct block {
	uint64_t magic;
	uint64_t size;
}; /* 16 bytes: keeps the payload max-aligned */

static void *fz_alloc(void *ctx, size_t size)
{
	struct fz_alloc *a = ctx;
	a->calls++;
	if (a->fail_at && (a->calls == a->fail_at || (a->persist && a->calls > a->fail_at))) {
		a->failures++;
		return NULL;
	}
	if (size > SIZE_MAX - sizeof(struct block))
		fail("allocator: absurd request of %zu bytes", size);
	struct block *b = malloc(sizeof *b + size);
	if (!b)
		fail("allocator: the system is out of memory (%zu bytes)", size);
	b->magic = BLOCK_LIVE;
	b->size = size;
	a->live_allocs++;
	a->live_bytes += size;
	return b + 1;
}

static void fz_free(void *ctx, void *ptr, size_t size)
{
	struct fz_alloc *a = ctx;
	if (!ptr)
		return;
	struct block *b = (struct block *)ptr - 1;
	if (b->magic != BLOCK_LIVE)
		fail("allocator: free of %p, which is not a live block", ptr);
	if (b->size != size)
		fail("allocator: %p freed with size %zu, allocated with %zu", ptr, size, (size_t)b->size);
	b->magic = BLOCK_DEAD;
	a->live_allocs--;
	a->live_bytes -= size;
	free(b);
}

static void on_report(void *ctx, const char *line)
{
	struct gm *m = ctx;
	if (m->expect_saturation && strstr(line, "saturated")) {
		m->expect_saturation = 0; /* the one report of a saturating increment (saturate()) */
		return;
	}
	if (m->in_destroy) {
		/* leak lines: expected for saturated objects, and counted (teardown checks the
		 * number rc_heap_destroy returns), so only printed when none is expected */
		if (!m->nsaturated)
			fprintf(stderr, "runtime: %s\n", line);
		return;
	}
	fail("the runtime reported misuse: %s", line);
}

/* ============================================================================================ */
/* Model queries                                                                                 */
/* ============================================================================================ */

static int in_g(const struct gm *m, int id)
{
	return m->depth > 0 && m->frames[0].has_g && id < m->frames[0].first_new && (m->g[id] & G_GARBAGE);
}

/* mark[i] = 1 for every object reachable from the roots: registers, and objects that are being
 * destroyed outside the current garbage (they still hold their references until cleared). */
static void mark_reachable(struct gm *m)
{
	int sp = 0;
	memset(m->mark, 0, (size_t)m->nobj);
	if (m->pinned >= 0) {
		m->mark[m->pinned] = 1;
		m->stack[sp++] = m->pinned;
	}
	for (int r = 0; r < NREG; r++) {
		int id = m->reg[r];
		if (id >= 0 && !m->mark[id]) {
			m->mark[id] = 1;
			m->stack[sp++] = id;
		}
	}
	for (int i = 0; i < m->nobj; i++) {
		const struct mobj *o = &m->obj[i];
		if (!o->freed && (o->immortal || o->saturated || o->in_cb || o->cb_pending || (o->dying && !in_g(m, i))) &&
		    !m->mark[i]) {
			m->mark[i] = 1;
			m->stack[sp++] = i;
		}
	}
	while (sp > 0) {
		const struct mobj *o = &m->obj[m->stack[--sp]];
		for (int k = 0; k < o->nslots; k++) {
			int s = o->slot[k];
			if (s >= 0 && !m->mark[s]) {
				m->mark[s] = 1;
				m->stack[sp++] = s;
			}
		}
	}
}

static size_t collections(const struct gm *m)
{
	rc_heap_stats st;
	rc_heap_get_stats(m->heap, &st);
	return st.collections;
}

static void sync_map_clears(struct gm *m);
static void model_unref(struct gm *m, int id);

/* Hook on object `self`: its model id, after checking that it is one of ours and alive. The
 * model first learns what the runtime cleared in map slots since it last looked. */
static int id_of(struct gm *m, rc_object *self, const char *hook)
{
	uint32_t id = ((struct fobj *)self)->id;
	if (id >= (uint32_t)m->nobj || m->obj[id].ptr != self)
		fail("%s called on %p, which is not a live object of the harness", hook, (void *)self);
	sync_map_clears(m);
	return id;
}

/* finalize / clear / callback legality: the object has no reference left, or is garbage. */
static void check_may_die(struct gm *m, int id, const char *what)
{
	const struct mobj *o = &m->obj[id];
	if (o->saturated)
		fail("%s of #%d (%s), whose count saturated: it must never die", what, id, kind_names[o->kind]);
	if (m->in_destroy)
		return; /* rc_heap_destroy: immortal objects are cleared and everything is collected */
	if (o->immortal)
		fail("%s of immortal #%d (%s)", what, id, kind_names[o->kind]);
	if (o->cnt != 0 && !in_g(m, id))
		fail("%s of #%d (%s) while the model counts %u references to it and it is not garbage", what, id,
			kind_names[o->kind], o->cnt);
}

static int no_destroy(const struct mobj *o);

/*
 * Whether the memory of object i may already be gone although the model has not marked it
 * freed: an object without a hook of ours (a weak reference, a FORM_PLAIN_CALLBACKS container)
 * that is dying (no reference left) or garbage of the running collection, on a heap that
 * returns freed memory at once (no quarantine; ASan poisons pooled memory). The model does not
 * read it then; it learns its end in settle() or check_collection().
 */
static int unreadable(const struct gm *m, int i)
{
	const struct mobj *o = &m->obj[i];
	return !m->quarantined && !o->saturated && !o->immortal && (o->kind == K_WEAK || no_destroy(o)) &&
	       (o->cnt == 0 || in_g(m, i) || m->in_destroy);
}

/* Inside a collection: every weak reference to garbage must already read as gone. Not inside
 * an automatic collection of a generations heap: it may be minor, and a minor keeps garbage
 * that an old object holds or that holds one (its weak references stay alive until a major). */
static void check_weak_to_garbage_cleared(struct gm *m, const char *when)
{
	if (m->generations && !m->frames[0].collect)
		return;
	for (int i = 0; i < m->frames[0].first_new; i++) {
		const struct mobj *w = &m->obj[i];
		if ((m->g[i] & G_WEAK_TO_GARBAGE) && !w->freed && !unreadable(m, i) &&
		    rc_weakref_alive((rc_weakref *)w->ptr))
			fail("weakref #%d to garbage #%d still reads alive when %s", i, w->target, when);
	}
}

/* The slots of o that its type's map covers (the runtime clears them itself). */
static int map_slots(const struct mobj *o)
{
	switch (o->form) {
	case FORM_MAP:
		return MAX_SLOTS;
	case FORM_BOTH:
		return MAP_BOTH;
	default:
		return 0;
	}
}

/*
 * The runtime clears the map slots of an object it tears down without telling the harness: a
 * map slot that the model holds but the object no longer does was cleared by the runtime (the
 * program changes slots only through slot_put, which keeps the two in step). Applies those
 * releases to the model (the releases already happened: no settle here, the runtime may be in
 * the middle of a teardown), then checks that each owner was allowed to be cleared, as t_clear
 * checks for the callback form: no references left or garbage (and not reachable again), and
 * its finalizer already run.
 */
static void sync_map_clears(struct gm *m)
{
	int owners[MAX_OBJS], n = 0;

	for (int i = 0; i < m->nobj; i++) {
		struct mobj *o = &m->obj[i];
		if (o->freed || o->kind == K_WEAK || !map_slots(o) || unreadable(m, i))
			continue;
		const struct fobj *f = (const struct fobj *)o->ptr;
		int any = 0;
		for (int k = 0; k < o->nslots && k < map_slots(o); k++) {
			int old = o->slot[k];
			if (old < 0 || f->slot[k])
				continue;
			o->slot[k] = -1;
			model_unref(m, old);
			any = 1;
		}
		if (any)
			owners[n++] = i;
	}
	if (n == 0)
		return;
	mark_reachable(m);
	for (int j = 0; j < n; j++) {
		int id = owners[j];
		const struct mobj *o = &m->obj[id];
		check_may_die(m, id, "clear of a map slot");
		if (has_finalizer(o->kind) && !o->finalized && !m->in_destroy)
			fail("the runtime cleared a map slot of #%d (%s) before its finalizer ran", id, kind_names[o->kind]);
		if (in_g(m, id) && m->mark[id])
			fail("map slot of #%d cleared, which is garbage of this collection but reachable again (resurrected)",
				id);
		if (in_g(m, id))
			check_weak_to_garbage_cleared(m, "a map slot is cleared");
	}
}

/* ============================================================================================ */
/* Frames: calls that may collect                                                                */
/* ============================================================================================ */

static void settle(struct gm *m);
static int no_destroy(const struct mobj *o);
static void weak_freed(struct gm *m, int id);

static void frame_push(struct gm *m, int collect)
{
	if (m->depth == MAX_DEPTH)
		fail("harness: frames nested more than %d deep", MAX_DEPTH);
	struct frame *f = &m->frames[m->depth];
	f->collect = collect;
	rc_heap_stats st;
	rc_heap_get_stats(m->heap, &st);
	f->collections = st.collections;
	f->collectable = st.live_collectable;
	f->allocated = st.allocated_total;
	f->first_new = m->nobj;
	f->destroyed = m->destroyed;
	f->has_g = 0;
	if (m->depth == 0) {
		/* the garbage a full collection starting now must find */
		f->has_g = 1;
		mark_reachable(m);
		for (int i = 0; i < m->nobj; i++) {
			m->g[i] = (!m->obj[i].freed && !m->mark[i]) ? G_GARBAGE : 0;
			m->obj[i].gained = 0;
		}
		for (int i = 0; i < m->nobj; i++) {
			const struct mobj *w = &m->obj[i];
			/* Only targets the collector examines: a leaf held by garbage dies by counting when
			 * its holder is cleared, and its weak references follow the counting rules then. */
			if (w->kind == K_WEAK && !w->freed && !w->cleared && (m->g[w->target] & G_GARBAGE) &&
			    gc_tracked(m->obj[w->target].kind))
				m->g[i] |= G_WEAK_TO_GARBAGE;
		}
	}
	m->depth++;
}

/* After a collection of the outermost frame: its garbage is gone or resurrected. */
static void check_collection(struct gm *m, const struct frame *f)
{
	int inferred = 0;
	mark_reachable(m);
	/* first the garbage without a destroy of ours (FORM_PLAIN_CALLBACKS): gone (its clear
	 * released what it held; anything left in its slots goes with it) */
	for (int i = 0; i < f->first_new; i++) {
		const struct mobj *o = &m->obj[i];
		if ((m->g[i] & G_GARBAGE) && !o->freed && o->cnt != 0 && !o->gained && !m->mark[i] && no_destroy(o)) {
			weak_freed(m, i); /* no destroy: the totals of the next check_all say if it was */
			inferred = 1;
		}
	}
	if (inferred && m->hooks == 0 && m->depth == 0)
		settle(m);
	for (int i = 0; i < f->first_new; i++) {
		const struct mobj *o = &m->obj[i];
		/* cnt == 0: queued for teardown (a collection run from a hook); settle() checks it.
		 * gained: resurrected when the collector rechecked, dropped again afterwards by a
		 * finalizer of an object that died by counting at the end of the collection: it is a
		 * candidate again and the next collection must free it (the teardown proves that). */
		if ((m->g[i] & G_GARBAGE) && !o->freed && o->cnt != 0 && !o->gained && !m->mark[i])
			fail("#%d (%s) was garbage when the collection started and survived it unreachable", i,
				kind_names[o->kind]);
	}
	for (int i = 0; i < f->first_new; i++) {
		struct mobj *w = &m->obj[i];
		if (!(m->g[i] & G_WEAK_TO_GARBAGE))
			continue;
		w->cleared = 1; /* even when the target was resurrected */
		/* dying and not settled yet (a collection run from a hook): without quarantine its
		 * memory may be gone already */
		if (w->freed || (!m->quarantined && w->cnt == 0 && !w->immortal))
			continue;
		if (rc_weakref_alive((rc_weakref *)w->ptr))
			fail("weakref #%d to garbage #%d still reads alive after the collection", i, w->target);
		if (w->cb && !w->cb_ran && w->cnt > 0 && !(m->g[i] & G_GARBAGE))
			fail("callback of weakref #%d did not run although its target #%d was collected and the "
			     "weakref is alive",
				i, w->target);
	}
}

/* rc_heap_foreach collector for learn_minor. */
struct live_set {
	rc_object **v;
	size_t n, cap;
};

static void live_add(rc_object *o, void *arg)
{
	struct live_set *b = arg;
	if (b->n < b->cap)
		b->v[b->n++] = o;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (rc_object *const *)a, y = (uintptr_t) * (rc_object *const *)b;
	return (x > y) - (x < y);
}

/*
 * After a minor collection (a generations heap, always tracked): it freed part of the garbage
 * at most, so instead of requiring all of it gone (check_collection), the model learns from the
 * heap's list of live objects which garbage without a destroy of ours went, and from the weak
 * references which of them it cleared. What it must never do, free a live object, the destroy
 * hooks check as for any collection; a weak reference that reads alive while its target is
 * gone is a failure here too.
 */
static void learn_minor(struct gm *m, const struct frame *f)
{
	rc_heap_stats st;
	struct live_set b;
	int inferred = 0;

	rc_heap_get_stats(m->heap, &st);
	b.cap = st.live_objects + 1;
	b.n = 0;
	b.v = malloc(b.cap * sizeof *b.v);
	if (!b.v)
		fail("harness: out of memory");
	if (rc_heap_foreach(m->heap, live_add, &b) != 0)
		fail("rc_heap_foreach refused a tracked heap");
	qsort(b.v, b.n, sizeof *b.v, cmp_ptr);
	for (int i = 0; i < f->first_new; i++) {
		const struct mobj *o = &m->obj[i];
		if ((m->g[i] & G_GARBAGE) && !o->freed && o->cnt != 0 && !o->gained && no_destroy(o) && o->ptr &&
		    !bsearch(&o->ptr, b.v, b.n, sizeof *b.v, cmp_ptr)) {
			weak_freed(m, i);
			inferred = 1;
		}
	}
	free(b.v);
	if (inferred && m->hooks == 0 && m->depth == 0)
		settle(m);
	for (int i = 0; i < f->first_new; i++) {
		struct mobj *w = &m->obj[i];
		/* (an immortal weak reference is never freed: count 0 or not, it is read) */
		if (!(m->g[i] & G_WEAK_TO_GARBAGE) || w->freed || (!m->quarantined && w->cnt == 0 && !w->immortal))
			continue;
		if (!rc_weakref_alive((rc_weakref *)w->ptr))
			w->cleared = 1;
		else if (m->obj[w->target].freed)
			fail("weakref #%d reads alive after a minor collection freed its target #%d", i, w->target);
	}
}

static void frame_pop(struct gm *m)
{
	sync_map_clears(m);
	struct frame *f = &m->frames[m->depth - 1];
	size_t now = collections(m);
	int collected = now != f->collections;
	if (collected && m->depth > 1)
		fail("a collection ran inside a collection (safe point reached from a finalizer, clear or "
		     "callback of a running collection)");
	if (collected && now != f->collections + 1)
		fail("one call ran %zu collections", now - f->collections);
	if (collected) {
		/* it examined at most what was collectable, and what its finalizers made */
		rc_heap_stats st;
		rc_heap_get_stats(m->heap, &st);
		m->examined_bound = f->collectable + (st.allocated_total - f->allocated);
	}
	m->collections_seen = now;
	/* settle while the frame's garbage is still known (weakrefs freed by it are garbage) */
	if (m->hooks == 0 && m->depth == 1)
		settle(m);
	m->depth--;
	/* a minor collection (RC_HEAP_GENERATIONS) may leave garbage that an old object holds or
	 * that holds one: only major collections must have freed all of it */
	if (collected && f->has_g && m->generations && rc__test_last_minor(m->heap))
		learn_minor(m, f);
	else if (collected && f->has_g)
		check_collection(m, f);
}

/* ============================================================================================ */
/* Mirrored reference operations                                                                 */
/* ============================================================================================ */

static void target_died(struct gm *m, int t);

/* An object of the harness whose type has no destroy (FORM_PLAIN_*). */
static int no_destroy(const struct mobj *o)
{
	return o->kind != K_WEAK && o->form == FORM_PLAIN_CALLBACKS;
}

/* An object without a destroy of ours (a weak reference, a FORM_PLAIN_CALLBACKS container) is
 * gone; references still in its slots (its clear drops them, so none normally) go with it. */
static void weak_freed(struct gm *m, int id)
{
	struct mobj *o = &m->obj[id];
	for (int k = 0; o->kind != K_WEAK && k < o->nslots; k++) {
		int old = o->slot[k];
		if (old >= 0) {
			o->slot[k] = -1;
			model_unref(m, old);
		}
	}
	o->freed = 1;
	o->ptr = NULL;
	o->dying = 0;
	m->destroyed++;
	target_died(m, id);
}

/*
 * Outside every hook and frame no teardown is running, so every object whose count reached zero
 * must be gone: the runtime destroys iteratively (a release inside a teardown queues the object
 * and the outermost teardown drains the queue), so this is the earliest point to check it.
 * Weak references have no hook of ours: this is where the model learns that they were freed.
 */
static void settle(struct gm *m)
{
	sync_map_clears(m);
	for (int again = 1; again;) { /* an object inferred freed may leave others dying */
		again = 0;
		for (int i = 0; i < m->nobj; i++) {
			const struct mobj *o = &m->obj[i];
			if (o->freed || !o->dying || o->cnt != 0)
				continue;
			if (o->kind != K_WEAK && !no_destroy(o))
				fail("#%d (%s): the last reference was released but the object was not destroyed", i,
					kind_names[o->kind]);
			weak_freed(m, i);
			again = 1;
		}
	}
}

/* After the runtime released a reference to `id` (model count already lowered). */
static void after_release(struct gm *m, int id)
{
	struct mobj *o = &m->obj[id];
	if (!o->freed && o->cnt > 0)
		o->dying = 0; /* resurrected by its finalizer, or never died */
	if (m->hooks == 0 && m->depth == 0)
		settle(m);
}

/*
 * Inside a collection: `id` became reachable from the roots again. It and everything it reaches
 * are "gained": the collector may have found them resurrected when it rechecked, even if user
 * code drops them again before the collection ends (they must then go in a later collection).
 */
static void resurrected(struct gm *m, int id)
{
	if (m->depth == 0 || !m->frames[0].has_g || m->obj[id].gained)
		return;
	int sp = 0;
	m->obj[id].gained = 1;
	m->stack[sp++] = id;
	while (sp > 0) {
		const struct mobj *o = &m->obj[m->stack[--sp]];
		for (int k = 0; k < o->nslots; k++) {
			int c = o->slot[k];
			if (c >= 0 && !m->obj[c].gained) {
				m->obj[c].gained = 1;
				m->stack[sp++] = c;
			}
		}
	}
}

/* The model's half of dropping a reference to `id`; the caller then makes the runtime call. */
static void model_unref(struct gm *m, int id)
{
	struct mobj *o = &m->obj[id];
	if (o->cnt == 0)
		fail("harness: dropping a reference to #%d that the model does not count", id);
	if (--o->cnt == 0 && !o->immortal && !o->saturated)
		o->dying = 1;
}

/* reg[r] = id, taking over an owned runtime reference to id (or empty); releases the old one. */
static void reg_put(struct gm *m, int r, int id)
{
	int old = m->reg[r];
	m->reg[r] = id;
	if (id >= 0) {
		m->obj[id].cnt++;
		m->obj[id].dying = 0;
		resurrected(m, id);
	}
	if (old >= 0)
		model_unref(m, old);
	rc_set_field(&m->regp[r], id >= 0 ? m->obj[id].ptr : NULL);
	if (old >= 0)
		after_release(m, old);
}

/* owner.slot[k] = id, taking over an owned runtime reference (or NULL); releases the old one. */
static void slot_put(struct gm *m, int owner, int k, int id)
{
	struct mobj *o = &m->obj[owner];
	struct fobj *f = (struct fobj *)o->ptr;
	int old = o->slot[k];
	if (f->slot[k] != (old >= 0 ? m->obj[old].ptr : NULL))
		fail("#%d slot %d holds %p, the model says #%d", owner, k, (void *)f->slot[k], old);
	o->slot[k] = (int16_t)id;
	if (id >= 0) {
		m->obj[id].cnt++;
		m->obj[id].dying = 0;
		if (!(m->depth > 0 && m->frames[0].has_g && owner < m->frames[0].first_new &&
		      (m->g[owner] & G_GARBAGE) && !o->gained))
			resurrected(m, id); /* stored into a live (or resurrected) owner */
	}
	if (old >= 0)
		model_unref(m, old);
	rc_set_field(&f->slot[k], id >= 0 ? m->obj[id].ptr : NULL);
	if (old >= 0)
		after_release(m, old);
}

/* ============================================================================================ */
/* Creating objects                                                                              */
/* ============================================================================================ */

static rc_type types[NFORMS][NKINDS_NEW];

/* The kind of a type of the harness, or -1 (a weak reference). */
static int kind_of_type(const rc_type *t)
{
	const rc_type *first = &types[0][0];
	if (t < first || t >= first + NFORMS * NKINDS_NEW)
		return -1;
	return (int)((t - first) % NKINDS_NEW);
}

/*
 * Whether the safe point about to run (rc_new*, rc_weakref_new, called by the program itself:
 * no collection or teardown running) must collect: the collector is on and the candidate roots
 * have reached the trigger, max(threshold, examined / 4), of which the model knows an upper
 * bound (examined_bound / 4 + 1 > examined / 4). The caller checks a collection ran.
 */
static int must_collect(struct gm *m)
{
	if (m->depth != 0 || m->hooks != 0 || !m->gc_on)
		return 0;
	if (m->generations)
		return 0; /* the trigger also counts the old roots a minor collection kept (rc.h) */
	rc_heap_stats st;
	rc_heap_get_stats(m->heap, &st);
	size_t trigger = m->threshold, e = m->examined_bound / 4 + 1;
	if (m->examined_bound && e > trigger)
		trigger = e;
	return st.candidate_roots >= trigger;
}

/* Before a safe point the program calls: whether an automatic collection may not run there
 * (the trigger is never below the threshold, rc.h): -1 unknown (in a hook or a frame). */
static int must_not_collect(struct gm *m)
{
	if (m->depth != 0 || m->hooks != 0)
		return -1;
	if (!m->gc_on)
		return 1;
	rc_heap_stats st;
	rc_heap_get_stats(m->heap, &st);
	return st.candidate_roots < m->threshold;
}

static void check_collected(struct gm *m, int must, int must_not, size_t before, const char *call)
{
	if (must_not == 1 && collections(m) != before)
		fail("%s ran an automatic collection although the collector is off or the candidate roots are below "
		     "the threshold %zu",
			call, m->threshold);
	if (must && collections(m) == before)
		fail("%s ran no automatic collection although the candidate roots reached the trigger (threshold %zu, "
		     "the previous collection examined at most %zu objects)",
			call, m->threshold, m->examined_bound);
}

/* A new object; the caller owns its one reference and must reg_put/slot_put it at once.
 * Returns -1 when the runtime is out of memory (or the object cap is reached). */
static int new_object(struct gm *m, unsigned kind, unsigned nslots, unsigned param, unsigned flag)
{
	/* each frame level keeps one id in reserve for the allocation it is inside of */
	if (m->nobj >= MAX_OBJS - MAX_DEPTH + m->depth)
		return -1;
	size_t failures = m->alloc.failures;
	unsigned form = !collectable(kind) ? FORM_CALLBACKS
		       : kind == K_CONT    ? m->nnew % NFORMS
					   : m->nnew % NFORMS_FINALIZER;
	const rc_type *t = &types[form][kind];
	/* map forms: every slot the map names must be inside the object (unused ones stay NULL) */
	size_t size = form == FORM_CALLBACKS ? sizeof(struct fobj) + nslots * sizeof(rc_object *) : t->size;
	m->nnew++;
	int must = must_collect(m), must_not = must_not_collect(m);
	size_t before = collections(m);
	frame_push(m, 0);
	rc_object *p = rc_new_sized(m->heap, t, size);
	frame_pop(m);
	check_collected(m, must, must_not, before, "rc_new_sized");
	if (!p) {
		if (m->alloc.failures == failures)
			fail("rc_new_sized returned NULL although no allocation failed");
		return -1;
	}
	if (m->nobj >= MAX_OBJS)
		fail("harness: object cap reached inside a frame");
	struct fobj *f = (struct fobj *)p;
	if (rc_refcount(p) != 1)
		fail("new object has count %u", rc_refcount(p));
	if (rc_type_of(p) != t || rc_heap_of(p) != m->heap)
		fail("new object has the wrong type or heap");
	if (f->id != 0 || f->nslots != 0)
		fail("new object is not zero-filled past the header");
	for (unsigned k = 0; k < nslots; k++) {
		if (f->slot[k])
			fail("new object is not zero-filled past the header");
	}
	int id = m->nobj++;
	struct mobj *o = &m->obj[id];
	memset(o, 0, sizeof *o);
	o->ptr = p;
	o->kind = (uint8_t)kind;
	o->nslots = (uint8_t)nslots;
	o->param = (uint8_t)param;
	o->flag = (uint8_t)flag;
	o->form = (uint8_t)form;
	o->target = -1;
	o->born = (uint32_t)m->pc;
	for (int k = 0; k < MAX_SLOTS; k++)
		o->slot[k] = -1;
	f->id = (uint32_t)id;
	f->nslots = nslots;
	return id;
}

static void on_weak(rc_weakref *ref, void *arg);

static int new_weak(struct gm *m, int target, unsigned cb)
{
	if (m->nobj >= MAX_OBJS - MAX_DEPTH + m->depth)
		return -1;
	size_t failures = m->alloc.failures;
	/* A safe point (rc.h): it allocates with rc_new, so finalizers may run and drop the register
	 * the target came from; like any caller, the harness holds its own reference across the
	 * call (released by unpin()). The callback finds its weakref by address. */
	rc_incref(m->obj[target].ptr);
	m->obj[target].cnt++;
	m->pinned = target;
	int must = must_collect(m), must_not = must_not_collect(m);
	size_t before = collections(m);
	frame_push(m, 0);
	rc_weakref *w = rc_weakref_new(m->obj[target].ptr, cb ? on_weak : NULL, NULL);
	frame_pop(m);
	check_collected(m, must, must_not, before, "rc_weakref_new");
	if (m->nobj >= MAX_OBJS)
		fail("harness: object cap reached inside a frame");
	int id = m->nobj;
	if (!w) {
		if (m->alloc.failures == failures)
			fail("rc_weakref_new returned NULL although no allocation failed");
		return -1;
	}
	if (rc_refcount(RC_WEAKREF_OBJ(w)) != 1 || !rc_weakref_alive(w))
		fail("new weakref has count %u and reads %s", rc_refcount(RC_WEAKREF_OBJ(w)),
			rc_weakref_alive(w) ? "alive" : "gone");
	m->nobj++;
	struct mobj *o = &m->obj[id];
	memset(o, 0, sizeof *o);
	o->ptr = RC_WEAKREF_OBJ(w);
	o->kind = K_WEAK;
	o->target = (int16_t)target;
	o->cb = (uint8_t)cb;
	o->born = (uint32_t)m->pc;
	for (int k = 0; k < MAX_SLOTS; k++)
		o->slot[k] = -1;
	return id;
}

/* Drops the harness's temporary reference. */
static void unpin(struct gm *m)
{
	int t = m->pinned;
	if (t < 0)
		return;
	model_unref(m, t);
	m->pinned = -1;
	rc_decref(m->obj[t].ptr);
	after_release(m, t);
}

/* rc_collect from a finalizer or callback: RC_EBUSY inside a collection, else a collection. */
static void nested_collect(struct gm *m)
{
	if (m->in_destroy) {
		long r = rc_collect(m->heap); /* RC_EBUSY inside rc_heap_destroy's collections */
		if (r < 0 && r != RC_EBUSY)
			fail("rc_collect inside rc_heap_destroy returned %ld", r);
		return;
	}
	if (m->depth > 0) {
		long r = rc_collect(m->heap);
		if (r != RC_EBUSY)
			fail("rc_collect inside a collection returned %ld, expected RC_EBUSY", r);
		return;
	}
	frame_push(m, 1);
	long r = rc_collect(m->heap);
	frame_pop(m);
	if (r < 0)
		fail("rc_collect from a finalizer outside any collection returned %ld (%s)", r, rc_strerror((int)r));
}

/* ============================================================================================ */
/* Type hooks                                                                                    */
/* ============================================================================================ */

/* A weak reference to `t` died with it (t was freed). */
static void target_died(struct gm *m, int t)
{
	for (int i = 0; i < m->nobj; i++) {
		struct mobj *w = &m->obj[i];
		if (w->kind != K_WEAK || w->target != t || w->cleared)
			continue;
		w->cleared = 1;
		if (w->freed || unreadable(m, i))
			continue;
		if (rc_weakref_alive((rc_weakref *)w->ptr))
			fail("weakref #%d still reads alive after its target #%d was destroyed", i, t);
		/* alive: not freed, not itself dying (count 0, queued), not garbage of the collection */
		/* (inside rc_heap_destroy the model has no frame: its collections' garbage is unknown) */
		if (w->cb && !w->cb_ran && w->cnt > 0 && !in_g(m, i) && !m->in_destroy)
			fail("callback of alive weakref #%d did not run before its target #%d was destroyed", i, t);
	}
}

/* FORM_BOTH: only the slots past the map (rc.h: traverse visits what the map does not name). */
static void t_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct fobj *f = (struct fobj *)self;
	for (uint32_t k = rc_type_of(self)->nrefs; k < f->nslots; k++) {
		if (f->slot[k])
			visit(f->slot[k], arg);
	}
}

static void t_clear(rc_object *self)
{
	struct gm *m = cur;
	int id = id_of(m, self, "clear");
	struct mobj *o = &m->obj[id];
	m->hooks++;
	check_may_die(m, id, "clear");
	if (in_g(m, id)) {
		mark_reachable(m);
		if (m->mark[id])
			fail("clear of #%d, which is garbage of this collection but reachable again (resurrected)", id);
		check_weak_to_garbage_cleared(m, "clear runs");
	}
	/* FORM_BOTH: the runtime cleared the map's slots first (id_of synced them) */
	for (int k = 0; k < map_slots(o); k++) {
		if (o->slot[k] >= 0)
			fail("clear of #%d runs before the runtime cleared its map slot %d", id, k);
	}
	for (int k = map_slots(o); k < o->nslots; k++) {
		if (o->slot[k] >= 0)
			slot_put(m, id, k, -1);
	}
	m->hooks--;
}

static void t_finalize(rc_object *self)
{
	struct gm *m = cur;
	int id = id_of(m, self, "finalize");
	struct mobj *o = &m->obj[id];
	struct fobj *f = (struct fobj *)self;
	if (o->finalized)
		fail("finalizer of #%d ran twice", id);
	check_may_die(m, id, "finalize");
	if (rc_refcount(self) == 0)
		fail("finalizer of #%d runs with count 0", id);
	for (int k = 0; k < o->nslots; k++) {
		if (f->slot[k] != (o->slot[k] >= 0 ? m->obj[o->slot[k]].ptr : NULL))
			fail("finalizer of #%d sees slot %d changed before it ran", id, k);
	}
	if (in_g(m, id))
		check_weak_to_garbage_cleared(m, "a finalizer runs");
	o->finalized = 1;
	m->hooks++;
	/* inside rc_heap_destroy the program is over: storing into a register would be a leak of
	 * the harness's own making, so resurrecting finalizers do nothing then */
	switch (m->in_destroy && o->kind != K_ALLOCATOR && o->kind != K_DROPPER ? K_LEAF : o->kind) {
	case K_LEAF:
		break;
	case K_LEAF_FIN:
		if (!o->flag)
			break;
		/* fallthrough */
	case K_RES_SELF:
		rc_incref(self);
		reg_put(m, o->param % NREG, id);
		break;
	case K_RES_OTHER:
		if (o->slot[0] >= 0) {
			int c = o->slot[0];
			rc_incref(m->obj[c].ptr);
			reg_put(m, o->param % NREG, c);
		}
		break;
	case K_DROPPER:
		for (int k = 0; k < o->nslots; k++) {
			if (o->slot[k] >= 0)
				slot_put(m, id, k, -1);
		}
		break;
	case K_ALLOCATOR: {
		int n = new_object(m, K_LEAF, 0, 0, 0);
		if (n >= 0)
			slot_put(m, id, 0, n);
		if (o->flag)
			nested_collect(m);
		break;
	}
	default:
		fail("harness: finalizer on kind %s", kind_names[o->kind]);
	}
	m->hooks--;
	/* rccheck: ignore[rc-leak] K_RES_*: the reference taken on self goes to reg_put, stored by index */
}

static void t_destroy(rc_object *self)
{
	struct gm *m = cur;
	int id = id_of(m, self, "destroy");
	struct mobj *o = &m->obj[id];
	struct fobj *f = (struct fobj *)self;
	if (o->saturated)
		fail("#%d (%s) destroyed, but its count saturated: it must never be freed", id, kind_names[o->kind]);
	/* rc_heap_destroy destroys immortal objects although a survivor (a saturated object, or
	 * one it holds) may still hold a reference to them: rc.h, "immortal objects end with the
	 * heap" */
	if (o->cnt != 0 && !(m->in_destroy && o->immortal && m->nsaturated))
		fail("#%d (%s) destroyed while the model counts %u references to it", id, kind_names[o->kind], o->cnt);
	for (uint32_t k = 0; k < f->nslots; k++) {
		if (f->slot[k] || o->slot[k] >= 0)
			fail("#%d destroyed with slot %u still set (clear did not run)", id, k);
	}
	if (has_finalizer(o->kind) && !o->finalized && !o->immortal)
		fail("#%d (%s) destroyed without its finalizer having run", id, kind_names[o->kind]);
	o->freed = 1;
	o->ptr = NULL;
	o->dying = 0;
	m->destroyed++;
	target_died(m, id);
}

static void on_weak(rc_weakref *ref, void *arg)
{
	struct gm *m = cur;
	int id = 0;
	sync_map_clears(m);
	while (id < m->nobj && (m->obj[id].kind != K_WEAK || m->obj[id].ptr != RC_WEAKREF_OBJ(ref)))
		id++;
	if (id == m->nobj || arg != NULL)
		fail("weak callback called with %p / %p, not a live weakref of the harness", (void *)ref, arg);
	struct mobj *w = &m->obj[id];
	int t = w->target;
	if (!w->cb)
		fail("callback ran for weakref #%d, created without one", id);
	if (w->cb_ran)
		fail("callback of weakref #%d ran twice", id);
	if (!m->obj[t].freed)
		check_may_die(m, t, "weak callback (target)");
	if (in_g(m, id) && in_g(m, t) && gc_tracked(m->obj[t].kind))
		fail("callback ran for weakref #%d, which is itself garbage of the collection", id);
	/* (w->cnt may be 0 here: "alive" is decided when the target dies, and the runtime holds the
	 * weakref until its callback has run even if user code dropped it in between) */
	if (rc_weakref_alive(ref))
		fail("weakref #%d reads alive inside its callback", id);
	rc_object *x = rc_weakref_get(ref);
	if (x)
		fail("rc_weakref_get of weakref #%d returns %p inside its callback", id, (void *)x);
	if (rc_refcount(RC_WEAKREF_OBJ(ref)) == 0)
		fail("callback of weakref #%d runs while the weakref has count 0", id);
	w->cb_ran = 1;
	w->cleared = 1;
	w->cb_pending = 0;
	/* The runtime detached every weak reference to t before running the first callback, holding
	 * each one whose callback is still to run: those are roots for a collection run from here. */
	for (int i = 0; i < m->nobj; i++) {
		struct mobj *s = &m->obj[i];
		if (i != id && s->kind == K_WEAK && s->target == t && s->cb && !s->cb_ran && !s->freed &&
		    s->cnt > 0 && !(in_g(m, i) && in_g(m, t) && gc_tracked(m->obj[t].kind)))
			s->cb_pending = 1;
	}
	if (w->cb == 2) {
		m->hooks++;
		w->in_cb = 1;
		nested_collect(m);
		w->in_cb = 0;
		m->hooks--;
	}
}

/* The map forms: every slot; the map+traverse form uses the first MAP_BOTH of them. */
static const uint16_t slot_offsets[MAX_SLOTS] = {
	offsetof(struct fobj, slot) + 0 * sizeof(rc_object *),
	offsetof(struct fobj, slot) + 1 * sizeof(rc_object *),
	offsetof(struct fobj, slot) + 2 * sizeof(rc_object *),
	offsetof(struct fobj, slot) + 3 * sizeof(rc_object *),
};

#define FULL_SIZE (sizeof(struct fobj) + MAX_SLOTS * sizeof(rc_object *))
#define CB_TYPE(nm, fin) \
	{ .name = nm, .size = sizeof(struct fobj), .traverse = t_traverse, .clear = t_clear, .finalize = fin, \
	  .destroy = t_destroy }
#define MAP_TYPE(nm, fin) \
	{ .name = nm "/map", .size = FULL_SIZE, .finalize = fin, .destroy = t_destroy, .ref_offsets = slot_offsets, \
	  .nrefs = MAX_SLOTS }
#define PLAIN_CB_TYPE(nm) { .name = nm "/no-destroy", .size = FULL_SIZE, .traverse = t_traverse, .clear = t_clear }
#define BOTH_TYPE(nm, fin) \
	{ .name = nm "/map+traverse", .size = FULL_SIZE, .traverse = t_traverse, .clear = t_clear, .finalize = fin, \
	  .destroy = t_destroy, .ref_offsets = slot_offsets, .nrefs = MAP_BOTH }

/* types[form][kind]; leaves exist in FORM_CALLBACKS only (the other rows' leaves are unused). */
static rc_type types[NFORMS][NKINDS_NEW] = {
	[FORM_CALLBACKS] = {
		[K_LEAF] = { .name = "fz.leaf", .size = sizeof(struct fobj), .destroy = t_destroy },
		[K_CONT] = CB_TYPE("fz.container", NULL),
		[K_RES_SELF] = CB_TYPE("fz.resurrect-self", t_finalize),
		[K_RES_OTHER] = CB_TYPE("fz.resurrect-other", t_finalize),
		[K_DROPPER] = CB_TYPE("fz.dropper", t_finalize),
		[K_ALLOCATOR] = CB_TYPE("fz.allocator", t_finalize),
		[K_LEAF_FIN] = { .name = "fz.leaf-finalizer", .size = sizeof(struct fobj), .finalize = t_finalize,
				 .destroy = t_destroy },
	},
	[FORM_MAP] = {
		[K_CONT] = MAP_TYPE("fz.container", NULL),
		[K_RES_SELF] = MAP_TYPE("fz.resurrect-self", t_finalize),
		[K_RES_OTHER] = MAP_TYPE("fz.resurrect-other", t_finalize),
		[K_DROPPER] = MAP_TYPE("fz.dropper", t_finalize),
		[K_ALLOCATOR] = MAP_TYPE("fz.allocator", t_finalize),
	},
	[FORM_BOTH] = {
		[K_CONT] = BOTH_TYPE("fz.container", NULL),
		[K_RES_SELF] = BOTH_TYPE("fz.resurrect-self", t_finalize),
		[K_RES_OTHER] = BOTH_TYPE("fz.resurrect-other", t_finalize),
		[K_DROPPER] = BOTH_TYPE("fz.dropper", t_finalize),
		[K_ALLOCATOR] = BOTH_TYPE("fz.allocator", t_finalize),
	},
	[FORM_PLAIN_CALLBACKS] = { [K_CONT] = PLAIN_CB_TYPE("fz.container") },
};

/* ============================================================================================ */
/* Whole-state check after every record                                                          */
/* ============================================================================================ */

static void foreach_cb(rc_object *obj, void *arg)
{
	struct gm *m = arg;
	const rc_type *t = rc_type_of(obj);
	m->fe_seen++;
	if (kind_of_type(t) >= 0) {
		uint32_t id = ((struct fobj *)obj)->id;
		if (id >= (uint32_t)m->nobj || m->obj[id].ptr != obj)
			m->fe_bad++;
	} else {
		m->fe_weak++;
	}
}

static void foreach_type_cb(const rc_type *type, size_t live, void *arg)
{
	struct gm *m = arg;
	m->ft_total += live;
	if (kind_of_type(type) >= 0)
		m->ft_kind[kind_of_type(type)] += live;
}

static void check_all(struct gm *m)
{
	if (m->depth != 0)
		fail("harness: frame left open");
	long problems = rc_heap_check(m->heap, m->tracked ? stderr : NULL);
	if (m->tracked && problems != 0)
		fail("rc_heap_check found %ld problem(s) (listed above)", problems);
	if (!m->tracked && problems != RC_ENOTRACK)
		fail("rc_heap_check on a heap without RC_HEAP_TRACK_ALL returned %ld, not RC_ENOTRACK", problems);
	rc_heap_stats st;
	rc_heap_get_stats(m->heap, &st);
	if (st.collections != m->collections_seen)
		fail("a collection ran outside rc_new*/rc_collect (%zu, expected %zu)", st.collections,
			m->collections_seen);
	size_t live = 0, weak = 0, refs = 0, coll = 0;
	for (int i = 0; i < m->nobj; i++) {
		struct mobj *o = &m->obj[i];
		if (o->freed)
			continue;
		live++;
		coll += gc_tracked(o->kind);
		if (o->dying)
			fail("harness: #%d is marked dying with count %u", i, o->cnt);
		uint32_t rc = rc_refcount(o->ptr);
		if (o->immortal) {
			if (rc != RC_REFCNT_IMMORTAL)
				fail("immortal #%d (%s) has count %#x", i, kind_names[o->kind], rc);
		} else if (o->saturated) { /* pinned: not in the runtime's total of references (rc.h) */
			if (rc != RC_REFCNT_SATURATED)
				fail("#%d (%s) saturated, but its count is now %#x, not RC_REFCNT_SATURATED", i,
					kind_names[o->kind], rc);
		} else {
			refs += o->cnt;
			if (o->cnt == 0)
				fail("#%d (%s) has no reference left but is still alive", i, kind_names[o->kind]);
			if (rc != o->cnt)
				fail("#%d (%s): runtime count %u, model count %u", i, kind_names[o->kind], rc, o->cnt);
		}
		if (o->kind == K_WEAK) {
			weak++;
			int alive = rc_weakref_alive((rc_weakref *)o->ptr);
			if (alive != !o->cleared)
				fail("weakref #%d reads %s, the model says %s", i, alive ? "alive" : "gone",
					o->cleared ? "gone" : "alive");
			if (!o->cleared && m->obj[o->target].freed)
				fail("harness: weakref #%d not cleared but its target is freed", i);
			continue;
		}
		const struct fobj *f = (const struct fobj *)o->ptr;
		if (f->id != (uint32_t)i || f->nslots != o->nslots)
			fail("#%d: object header of the harness overwritten (id %u, slots %u)", i, f->id, f->nslots);
		for (int k = 0; k < o->nslots; k++) {
			if (f->slot[k] != (o->slot[k] >= 0 ? m->obj[o->slot[k]].ptr : NULL))
				fail("#%d slot %d holds %p, the model says #%d", i, k, (void *)f->slot[k], o->slot[k]);
		}
	}
	if (st.live_objects != live)
		fail("the runtime counts %zu live objects, the model %zu", st.live_objects, live);
	if (st.live_collectable != coll)
		fail("the runtime counts %zu live collectable objects, the model %zu", st.live_collectable, coll);
	if (m->tracked ? st.total_refs != refs : st.total_refs != SIZE_MAX)
		fail("the runtime counts %zu references, the model %zu%s", st.total_refs, refs,
			m->tracked ? "" : " (an untracked heap must say SIZE_MAX)");
	m->fe_seen = m->fe_weak = m->fe_bad = 0;
	int err = rc_heap_foreach(m->heap, foreach_cb, m);
	if (!m->tracked) {
		if (err != RC_ENOTRACK || m->fe_seen)
			fail("rc_heap_foreach on a heap without RC_HEAP_TRACK_ALL: %s, %zu objects visited",
				rc_strerror(err), m->fe_seen);
	} else if (err) {
		fail("rc_heap_foreach: %s", rc_strerror(err));
	} else if (m->fe_seen != live || m->fe_weak != weak || m->fe_bad) {
		fail("rc_heap_foreach visited %zu objects (%zu weakrefs, %zu unknown), the model has %zu (%zu)",
			m->fe_seen, m->fe_weak, m->fe_bad, live, weak);
	}
	/* per-type counts */
	size_t per_kind[NKINDS_NEW] = {0};
	for (int i = 0; i < m->nobj; i++) {
		if (!m->obj[i].freed && m->obj[i].kind < NKINDS_NEW)
			per_kind[m->obj[i].kind]++;
	}
	m->ft_total = 0;
	memset(m->ft_kind, 0, sizeof m->ft_kind);
	rc_heap_foreach_type(m->heap, foreach_type_cb, m);
	if (m->ft_total != live)
		fail("rc_heap_foreach_type counts %zu live objects, the model %zu", m->ft_total, live);
	for (int k = 0; k < NKINDS_NEW; k++) {
		size_t n = 0;
		for (int fm = 0; fm < NFORMS; fm++)
			n += rc_heap_count_type(m->heap, &types[fm][k]);
		if (n != per_kind[k] || m->ft_kind[k] != per_kind[k])
			fail("kind %s: rc_heap_count_type %zu, rc_heap_foreach_type %zu, the model %zu", kind_names[k], n,
				m->ft_kind[k], per_kind[k]);
	}
}

/* ============================================================================================ */
/* Running a program                                                                             */
/* ============================================================================================ */

struct chain_obj {
	rc_object base;
	rc_object *next;
};
static const uint16_t chain_offsets[1] = { offsetof(struct chain_obj, next) };
static const rc_type chain_type = { .name = "fz.chain", .size = sizeof(struct chain_obj),
				    .ref_offsets = chain_offsets, .nrefs = 1 };

static void run_chain(struct gm *m, unsigned n)
{
	rc_heap_stats st0, st;
	rc_heap_get_stats(m->heap, &st0);
	/* no safe point may collect meanwhile: the model knows nothing of these objects */
	rc_gc_disable(m->heap);
	rc_object *head = NULL;
	unsigned made = 0;
	for (; made < n; made++) {
		struct chain_obj *c = (struct chain_obj *)rc_new(m->heap, &chain_type);
		if (!c)
			break; /* failalloc: the chain is shorter */
		c->next = head; /* takes over the reference to the rest */
		head = &c->base;
	}
	if (m->gc_on)
		rc_gc_enable(m->heap);
	rc_heap_get_stats(m->heap, &st);
	if (rc_heap_count_type(m->heap, &chain_type) != made || st.live_objects != st0.live_objects + made)
		fail("chain: %u objects made, the heap counts %zu of the type and %zu more live objects", made,
			rc_heap_count_type(m->heap, &chain_type), st.live_objects - st0.live_objects);
	if (head)
		rc_decref(head); /* the whole chain goes, iteratively */
	rc_heap_get_stats(m->heap, &st);
	if (rc_heap_count_type(m->heap, &chain_type) != 0 || st.live_objects != st0.live_objects)
		fail("chain of %u: %zu left after dropping its head (%zu live objects, %zu before)", made,
			rc_heap_count_type(m->heap, &chain_type), st.live_objects, st0.live_objects);
}

/* `dup ... saturate` (SAT_MAGIC): the object's count goes to RC_REFCNT_MAX at once (the
 * references the program adds and keeps), then one rc_incref more, which the caller's reg_put
 * records. That increment must report once through the heap's hook and pin the count. */
static void saturate(struct gm *m, int id)
{
	struct mobj *o = &m->obj[id];
	rc__test_set_refcnt(o->ptr, RC_REFCNT_MAX);
	m->expect_saturation = 1;
	rc_incref(o->ptr);
	if (m->expect_saturation)
		fail("#%d (%s): an increment past RC_REFCNT_MAX was not reported (count now %#x)", id,
			kind_names[o->kind], rc_refcount(o->ptr));
	o->saturated = 1;
	m->nsaturated++;
	if (rc_refcount(o->ptr) != RC_REFCNT_SATURATED)
		fail("#%d (%s): an increment past RC_REFCNT_MAX left the count at %#x, not RC_REFCNT_SATURATED", id,
			kind_names[o->kind], rc_refcount(o->ptr));
}

static void run_record(struct gm *m, const uint8_t *r)
{
	unsigned op = r[0] % NOPS, a = r[1], b = r[2], c = r[3];
	switch (op) {
	case OP_NEW: {
		unsigned kind = b % NKINDS_NEW;
		unsigned nslots = collectable(kind) ? 1 + (c & 3) : 0;
		int id = new_object(m, kind, nslots, (c >> 2) & 15, (c >> 6) & 1);
		if (id >= 0)
			reg_put(m, (int)(a % NREG), id);
		break;
	}
	case OP_STORE: {
		int o = m->reg[a % NREG], src = m->reg[c % NREG];
		if (o < 0 || m->obj[o].nslots == 0)
			break;
		if (src >= 0)
			rc_incref(m->obj[src].ptr);
		slot_put(m, o, (int)(b % m->obj[o].nslots), src);
		break;
	}
	case OP_CLEAR: {
		int o = m->reg[a % NREG];
		if (o < 0 || m->obj[o].nslots == 0)
			break;
		slot_put(m, o, (int)(b % m->obj[o].nslots), -1);
		break;
	}
	case OP_LOAD: {
		int o = m->reg[b % NREG];
		if (o < 0 || m->obj[o].nslots == 0)
			break;
		int s = m->obj[o].slot[c % m->obj[o].nslots];
		if (s >= 0)
			rc_incref(m->obj[s].ptr);
		reg_put(m, (int)(a % NREG), s);
		break;
	}
	case OP_DUP: {
		int s = m->reg[b % NREG];
		if (s >= 0 && c == SAT_MAGIC && m->tracked && !m->obj[s].immortal && !m->obj[s].saturated)
			saturate(m, s);
		else if (s >= 0)
			rc_incref(m->obj[s].ptr);
		reg_put(m, (int)(a % NREG), s);
		break;
	}
	case OP_DROP:
		reg_put(m, (int)(a % NREG), -1);
		break;
	case OP_WEAK: {
		int t = m->reg[b % NREG];
		if (t < 0)
			break;
		int id = new_weak(m, t, (c & 1) ? 1 + ((c >> 1) & 1) : 0);
		if (id >= 0)
			reg_put(m, (int)(a % NREG), id);
		unpin(m);
		break;
	}
	case OP_WEAKGET: {
		int w = m->reg[b % NREG];
		if (w < 0 || m->obj[w].kind != K_WEAK)
			break;
		const struct mobj *o = &m->obj[w];
		rc_object *x = rc_weakref_get((rc_weakref *)o->ptr);
		rc_object *want = o->cleared ? NULL : m->obj[o->target].ptr;
		if (x != want)
			fail("rc_weakref_get of #%d returned %p, the model says %p (#%d%s)", w, (void *)x, (void *)want,
				o->target, o->cleared ? ", cleared" : "");
		if (!x)
			break;
		int t = o->target;
		if (c & 1) {
			reg_put(m, (int)(a % NREG), t);
		} else {
			m->obj[t].cnt++;
			model_unref(m, t);
			rc_decref(x);
			after_release(m, t);
		}
		break;
	}
	case OP_COLLECT: {
		if (a == CHAIN_MAGIC) {
			run_chain(m, chain_length(b));
			break;
		}
		size_t before = m->destroyed, coll = collections(m);
		frame_push(m, 1);
		long n = rc_collect(m->heap);
		frame_pop(m);
		if (n < 0)
			fail("rc_collect returned %ld (%s)", n, rc_strerror((int)n));
		if (collections(m) != coll + 1)
			fail("rc_collect returned %ld but the collection count went from %zu to %zu", n, coll,
				collections(m));
		if ((size_t)n > m->destroyed - before)
			fail("rc_collect says it freed %ld objects; %zu were destroyed", n, m->destroyed - before);
		break;
	}
	case OP_GC:
		if (a % 3 == 0) {
			int err = rc_gc_set_threshold(m->heap, 1 + (size_t)b);
			if (err || rc_gc_get_threshold(m->heap) != 1 + (size_t)b)
				fail("rc_gc_set_threshold(%u): %d, now %zu", 1 + b, err, rc_gc_get_threshold(m->heap));
			m->threshold = 1 + (size_t)b;
			m->examined_bound = 0; /* rc.h: the new threshold is the trigger */
		} else if (a % 3 == 1) {
			rc_gc_disable(m->heap);
			m->gc_on = 0;
			if (rc_gc_is_enabled(m->heap))
				fail("rc_gc_disable left the collector enabled");
		} else {
			rc_gc_enable(m->heap);
			m->gc_on = 1;
			if (!rc_gc_is_enabled(m->heap))
				fail("rc_gc_enable left the collector disabled");
		}
		break;
	case OP_FAILALLOC:
		if (!m->can_fail)
			break; /* no hooks, or an untracked heap: nothing to fail */
		m->alloc.fail_at = m->alloc.calls + 1 + b;
		m->alloc.persist = 0;
		break;
	case OP_IMMORTAL: {
		int o = m->reg[a % NREG];
		if (o < 0 || m->obj[o].saturated)
			break; /* a saturated object stays what it is (pinned, leaked at the end) */
		rc_make_immortal(m->obj[o].ptr);
		m->obj[o].immortal = 1;
		break;
	}
	default:
		break;
	}
	/* rccheck: ignore[rc-leak] OP_WEAKGET: x is m->obj[t].ptr; reg_put stores that reference by index */
}

/* After rc_heap_destroy: mark[i] = 1 for the objects it must have left alive and counted as
 * leaked, the saturated ones and what they hold (never freed), but not through immortal
 * objects (cleared first) nor those themselves (not counted). Returns how many. */
static size_t mark_saturated(struct gm *m)
{
	int sp = 0;
	size_t n = 0;
	memset(m->mark, 0, (size_t)m->nobj);
	for (int i = 0; i < m->nobj; i++) {
		if (m->obj[i].saturated && !m->obj[i].freed) {
			m->mark[i] = 1;
			m->stack[sp++] = i;
		}
	}
	while (sp > 0) {
		const struct mobj *o = &m->obj[m->stack[--sp]];
		n++;
		for (int k = 0; k < o->nslots; k++) {
			int c = o->slot[k];
			if (c >= 0 && !m->mark[c] && !m->obj[c].immortal) {
				m->mark[c] = 1;
				m->stack[sp++] = c;
			}
		}
	}
	return n;
}

/* Drops every register and collects until nothing is left (finalizers may resurrect objects into
 * registers, once each); then the heap must be empty and every allocation returned. */
static void teardown(struct gm *m)
{
	for (int round = 0; round < END_ROUNDS; round++) {
		for (int r = 0; r < NREG; r++)
			reg_put(m, r, -1);
		check_all(m);
		frame_push(m, 1);
		long n = rc_collect(m->heap);
		frame_pop(m);
		if (n < 0)
			fail("rc_collect returned %ld (%s) at teardown", n, rc_strerror((int)n));
		check_all(m);
		int held = 0;
		for (int r = 0; r < NREG; r++)
			held |= m->reg[r] >= 0;
		if (!held)
			break;
	}
	/* only what immortal objects keep alive (rc_heap_destroy drops it) and what saturated
	 * objects keep (never freed) may be left */
	mark_reachable(m);
	size_t kept = 0;
	for (int i = 0; i < m->nobj; i++) {
		if (m->obj[i].freed)
			continue;
		if (!m->mark[i])
			fail("#%d (%s) left after dropping every outside reference and collecting", i,
				kind_names[m->obj[i].kind]);
		kept++;
	}
	rc_heap_stats st;
	rc_heap_get_stats(m->heap, &st);
	if (st.live_objects != kept)
		fail("%zu object(s) left after dropping every outside reference and collecting, %zu kept by "
		     "immortal or saturated objects",
			st.live_objects, kept);
	if (st.allocated_total != st.freed_total + kept)
		fail("the runtime allocated %zu objects and freed %zu", st.allocated_total, st.freed_total);
	m->in_destroy = 1;
	size_t leaked = rc_heap_destroy(m->heap);
	m->in_destroy = 0;
	m->heap = NULL;
	size_t survivors = mark_saturated(m);
	if (leaked != survivors)
		fail("rc_heap_destroy reports %zu leaked object(s); the model expects %zu (saturated objects and what "
		     "they hold)", leaked, survivors);
	/* rc.h: destroy "runs once, after clear, just before the memory is freed" - immortal objects
	 * included, whose memory rc_heap_destroy returns */
	for (int i = 0; i < m->nobj; i++) {
		if (!m->obj[i].freed && m->obj[i].kind != K_WEAK && !no_destroy(&m->obj[i]) && !m->mark[i])
			fail("#%d (%s%s): rc_heap_destroy returned its memory without calling destroy", i,
				m->obj[i].immortal ? "immortal " : "", kind_names[m->obj[i].kind]);
	}
	if (m->alloc.live_allocs || m->alloc.live_bytes)
		fail("%zu allocation(s) (%zu bytes) not returned after rc_heap_destroy", m->alloc.live_allocs,
			m->alloc.live_bytes);
}

void gm_run(const uint8_t *prog, size_t size, const struct gm_config *cfg)
{
	struct gm *m = &the_model;
	memset(m, 0, offsetof(struct gm, frames));
	cur = m;
	m->cfg = cfg;
	m->prog = prog;
	m->nrec = size / GM_RECORD;
	if (m->nrec > GM_MAX_RECORDS)
		m->nrec = GM_MAX_RECORDS;
	for (int r = 0; r < NREG; r++)
		m->reg[r] = -1;
	m->pinned = -1;
	rc_allocator al = {fz_alloc, fz_free, &m->alloc};
	rc_heap_options opt = {
		.flags = RC_HEAP_TRACK_ALL | RC_HEAP_QUARANTINE,
		.allocator = cfg->default_allocator ? NULL : &al,
		.report = on_report,
		.report_ctx = m,
		.gc_threshold = cfg->gc_threshold,
	};
	unsigned kind = cfg->heap_kind % GM_NHEAPS;
	if (kind == GM_HEAP_DEFAULT || kind == GM_HEAP_PLAIN)
		opt.flags = 0;
	if (kind == GM_HEAP_TRACKED_POOLED)
		opt.flags = RC_HEAP_TRACK_ALL;
	if (kind == GM_HEAP_DEFAULT || kind == GM_HEAP_TRACKED_POOLED)
		opt.allocator = NULL;
	if (kind == GM_HEAP_PLAIN)
		opt.allocator = &al;
	/* generations on the tracked kinds only: after a minor collection the model learns what it
	 * freed from the heap's list of live objects (learn_minor) */
	if (cfg->generations && (opt.flags & RC_HEAP_TRACK_ALL))
		opt.flags |= RC_HEAP_GENERATIONS;
	m->generations = (opt.flags & RC_HEAP_GENERATIONS) != 0;
	m->tracked = (opt.flags & RC_HEAP_TRACK_ALL) != 0;
	m->can_fail = opt.allocator && kind == GM_HEAP_CHECKED;
	m->alloc.fail_at = m->can_fail ? cfg->fail_at : 0;
	m->alloc.persist = cfg->fail_persist;
	/* the default heap exactly as users make it, unless the program sets a threshold */
	int err = kind == GM_HEAP_DEFAULT && !cfg->gc_threshold && !cfg->generations ? rc_heap_new(&m->heap, NULL)
								 : rc_heap_new(&m->heap, &opt);
	if (err) {
		if (err != RC_ENOMEM || m->alloc.failures == 0)
			fail("rc_heap_new failed: %s", rc_strerror(err));
		if (m->alloc.live_allocs)
			fail("rc_heap_new failed and left %zu allocation(s) behind", m->alloc.live_allocs);
		cur = NULL;
		return;
	}
	/* a heap without RC_HEAP_QUARANTINE frees as in the release builds users ship (a debug
	 * build of the runtime quarantines every heap: the plain free paths would never run) */
	if (!(opt.flags & RC_HEAP_QUARANTINE) || kind == GM_HEAP_DEFAULT)
		rc__test_set_quarantine(m->heap, false);
	m->quarantined = kind == GM_HEAP_CHECKED;
	if (m->generations)
		rc__test_set_minors_only(m->heap, true); /* minor collections happen in small programs too */
	m->gc_on = 1;
	m->threshold = rc_gc_get_threshold(m->heap);
	m->collections_seen = collections(m);
	if (rc_header_size(&types[0][K_LEAF]) != 16 || rc_header_size(&types[0][K_CONT]) != 24 ||
	    rc_header_size(&types[FORM_MAP][K_CONT]) != 24 || rc_header_size(&types[FORM_BOTH][K_CONT]) != 24)
		fail("rc_header_size: leaf %zu, collectable %zu, map %zu, map+traverse %zu (rc.h: 16 and 24)",
			rc_header_size(&types[0][K_LEAF]), rc_header_size(&types[0][K_CONT]),
			rc_header_size(&types[FORM_MAP][K_CONT]), rc_header_size(&types[FORM_BOTH][K_CONT]));
	check_all(m);
	for (m->pc = 0; m->pc < m->nrec; m->pc++) {
		run_record(m, prog + m->pc * GM_RECORD);
		check_all(m);
	}
	teardown(m);
	cur = NULL;
}
