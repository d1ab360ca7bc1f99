/*
 * engine_impl.h - PRIVATE to analyzer/engine/: the engine's state and the calls between its
 * pieces. Checks and other modules use engine.h only.
 *
 * The pieces (docs/analyzer.md, "The engine"):
 *   explore.c   path exploration: states, canonical form, memo table, liveness, budget, events
 *   transfer.c  transfer functions: what one IR operation does to a state
 *   summary.c   what the returns say about the function: summaries and the by-design queries
 *   irfacts.c   facts of the IR that need no state (fields, aliases, index ranges...)
 *   findings.c  findings and their paths (notes), unit-level reports
 */
#ifndef RCCHECK_ENGINE_IMPL_H
#define RCCHECK_ENGINE_IMPL_H
#ifndef RCCHECK_ENGINE_INTERNAL
#error "engine_impl.h is private to analyzer/engine/"
#endif

#include "engine/engine.h"
#include "engine/irfacts.h"

#include <stdint.h>

#define ENG_MAX_VALUES 250 /* value slots per state (a slot is one byte) */
#define ENG_DEFAULT_BUDGET 20000
/* Bytes of stored states per function. A stored state is its bound vars and its values (see
 * struct eng_state), so this bounds a function whose states are large because many values are
 * live at once; past it, the function is reported incomplete like the state budget. */
#define ENG_MAX_STATE_BYTES (256u << 20)
#define ENG_MAX_NOTES 48
/* A binding packs its var above its slot in 32 bits: functions of more vars are not explored
 * (engine_run reports them incomplete; the lowering's node budget keeps them far below). */
#define ENG_MAX_VARS (1u << 24)

/*
 * A path's state. Bindings are sparse: bind[0..nbind) has one entry per var bound to a value,
 * (var << 8) | slot with slot in 1..nvals, sorted by var (so by entry) with no var twice; a var
 * without an entry is unbound (slot 0: a value the analysis does not follow). So copying,
 * canonicalizing, hashing and storing a state costs what is bound and its values, not the vars
 * of the function: with one byte per var, a function of N error exits (N temporaries, about 4N
 * states) cost N^2 (issue 12: 20,000 exits took 4.9 s and 1.7 GB). Read and change bindings
 * with state_slot() and state_bind() only; state_check() (explore.c) asserts the order.
 * Scratch states (engine.a, .b, .c) have room for an entry per var of the function.
 */
struct eng_state {
	uint32_t nvars;         /* the function's: entries name vars below it */
	uint32_t nbind;         /* bound vars */
	uint32_t *bind;         /* nbind entries, (var << 8) | slot, increasing */
	uint32_t nvals;
	struct eng_value *vals; /* vals[1..nvals] */
	uint8_t err;            /* enum eng_err: the API's error indicator on this path */
};

static inline uint32_t bind_var(uint32_t entry)
{
	return entry >> 8;
}

static inline uint8_t bind_slot(uint32_t entry)
{
	return (uint8_t)(entry & 0xffu);
}

/* The index of var's entry in st->bind, or where it would be inserted: a binary search down to
 * a few entries, then a scan (most states bind a handful of vars). */
static inline uint32_t state_bind_pos(const struct eng_state *st, uint32_t var)
{
	uint32_t lo = 0, hi = st->nbind, key = var << 8;
	while (hi - lo > 8) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (st->bind[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < hi && st->bind[lo] < key)
		lo++;
	return lo;
}

/* The slot var is bound to (0: none). var is a var of the function (0 <= var < nvars). */
static inline uint8_t state_slot(const struct eng_state *st, int32_t var)
{
	uint32_t i = state_bind_pos(st, (uint32_t)var);
	return i < st->nbind && bind_var(st->bind[i]) == (uint32_t)var ? bind_slot(st->bind[i]) : 0;
}

/* Binds var to slot (0: unbinds it). O(bound vars) at worst, for the move. */
void state_bind(struct eng_state *st, int32_t var, uint8_t slot);

/* An explored (node, state) pair. */
struct record {
	int32_t node;
	int32_t parent; /* record index, -1 for the entry */
	uint32_t off;   /* serialized state in eng->blob (explore.c's serialize()): valid while */
	uint32_t len;   /* the record is not yet stepped, and for good at a memo node */
	uint32_t hash;
	int32_t next; /* memo chain */
	uint8_t via;  /* edge from the parent: VIA_* */
};

/* VIA_ABSENT: the third outcome of a three-way call (0: nothing found, no error) */
enum { VIA_TRUE = 0, VIA_FALSE = 1, VIA_PLAIN = 2, VIA_FAIL = 3, VIA_OK = 4, VIA_ABSENT = 5 };

/* xfer_call's outcome of a call that forks */
enum { XFER_OK = 0, XFER_FAILED = 1, XFER_ABSENT = 2 };

struct reported {
	int check;
	uint32_t line;
	char *var;
	int severity; /* of the path reported (findings.c: a path of a higher one is reported too) */
};

/*
 * What the returns of the function say about it, for its summary and for checks at the end.
 * Per parameter, count changes are merged over the paths that reach a return with the
 * parameter not NULL and not returned (a NULL parameter says nothing; a returned one is below).
 */
struct ret_info {
	int saw_new, saw_borrowed, saw_null, saw_other;
	int fresh_seen, fresh_all; /* every non-NULL return returns a fresh object (ENG_V_FRESH) */
	int saw_param;    /* a non-NULL return of a parameter the function took no reference to */
	int ret_param;    /* 1-based parameter that every non-NULL return returns (0: none) ... */
	int ret_mixed;    /* ... unless some non-NULL return returns something else */
	int8_t *delta;    /* per parameter, the model delta of the first path merged */
	uint8_t *delta_mixed;
	int8_t *tdelta;   /* same for the total delta (direct count updates included) */
	uint8_t *tdelta_mixed;
	uint8_t *seen;    /* a path was merged */
	uint8_t *passed;  /* some path returned the parameter itself, count unchanged */
	uint8_t *ret_odd; /* some path returned the parameter with a count change */
	uint8_t *was_null; /* some path returned with the parameter known NULL (it was tested) */
	uint8_t *went_down; /* some path released (or handed over) the parameter */
	/* parameters (bit p, p < 32): handed as callback data on some path (cb_any), and released or
	 * handed so on every path (cb_all; cb_seen once a path was merged) */
	uint32_t cb_any, cb_all;
	int cb_seen;
	uint8_t *kept_all;  /* every merged path stored it, without a reference of its own, into a
			     * field the unit releases elsewhere (the field owns what it holds) */
	/* the same merge split by the value returned: failure (NULL, a negative constant) or not */
	int8_t *fdelta, *odelta;
	uint8_t *fmixed, *omixed, *fseen, *oseen;
	int int_fail, int_ok, int_other; /* int results: negative constants, others known, unknown */
	int errq_seen, errq_all; /* every return returns whether the error indicator is set */
	/* out-parameters: an owned reference stored through them on every successful return
	 * (not returning NULL or a constant <= 0), and those ever given a borrowed one */
	uint32_t out_ok, out_borrowed;
	int out_seen;
	int have_delta;
	uint32_t deref_unchecked; /* parameters dereferenced while possibly NULL */
	/* parameters whose memory every return path freed (a dealloc called as a function) */
	uint32_t freed_all; /* ... or NULL on that path */
	uint32_t freed_any; /* freed on some path */
	int freed_seen;
	/* parameters handed to an API that takes them over and accepts NULL there (PyErr_Restore(t,
	 * v, tb)), or released by one (Py_XDECREF(p)): see engine_param_consumed */
	uint32_t xsteal, xrelease;
};

struct engine {
	const struct ir_func *fn;
	const struct engine_options *opt;
	int partial; /* at ENG_EV_END: the budget stopped the exploration (engine_explored_whole) */
	uint8_t *memo; /* per node: states are memoized there (memo_node) */
	/* liveness (explore.c's compute_liveness), one of: live-in var bitsets, words per node
	 * (live); or var v live on entry to the nodes live_nodes[live_off[v] .. live_off[v + 1]),
	 * sorted, or everywhere if live_always[v] (its address is taken). Both NULL: none. */
	uint64_t *live;
	uint32_t words;
	uint32_t *live_off;
	int32_t *live_nodes;
	uint8_t *live_always;
	struct record *recs;
	uint32_t nrecs, cap_recs;
	uint8_t *blob;
	size_t blob_len, blob_cap;
	int32_t *buckets;
	uint32_t nbuckets;
	int32_t *stack;
	uint32_t sp, cap_stack;
	int32_t cur; /* record being processed */
	void **check_data;
	uint8_t *check_off; /* per check: the offset of its bytes in eng_value.check_bytes */
	/* per event kind, the checks with a handler for it: subs[kind * engine_ncheck + j] for j
	 * below nsubs[kind], in registry order (fire() calls only those) */
	uint8_t *subs;
	uint8_t nsubs[ENG_EV_COUNT_];
	uint8_t *conv;      /* per call node: enum call_conv bits, the conventions its callee has */
	struct reported *reported;
	uint32_t nreported, cap_reported;
	struct ret_info ret;
	char origin_buf[256];
	/* var_read_later() answers, by (node, var): each is a search over the whole function */
	struct read_later {
		int32_t node, var;
		int read;
	} *read_later;
	uint32_t nread_later, cap_read_later;
	/* engine_fails_on_null's answers by node (bit 32: computed; bits 0-31: the mask), or NULL */
	uint64_t *fails_on_null;
	/* scratch states */
	struct eng_state a, b, c;
	uint8_t *global_acq; /* per return node: 0 not asked, 1 no, 2 yes (engine_global_acquired_before) */
	uint8_t *in_range;   /* per call node: its index is in range of its container (index_ranges) */
	int returns_new;
};

/* The conventions of a call's callee, looked up once per function (explore.c) instead of once
 * per state: string compares over the convention lists were the engine's hottest code. */
enum call_conv {
	CC_ERR_QUERY = 1u << 0,
	CC_ERR_SET = 1u << 1,
	CC_ERR_CLEAR = 1u << 2,
	CC_ERR_MAYBE = 1u << 3,
	CC_ERR_ON_FAILURE = 1u << 4,
	CC_FAILS_ON_MEMORY = 1u << 5,
	CC_API_BORROWS = 1u << 6,
};
uint8_t *engine_call_conventions(const struct ir_func *fn, const struct conventions *c);

/* ---- transfer.c ------------------------------------------------------------------------- */
uint8_t xfer_new_value(struct eng_state *st, int32_t site);
uint8_t xfer_operand_slot(const struct eng_state *st, const struct ir_operand *o);
uint8_t xfer_arg_slot(const struct ir_func *fn, const struct eng_state *st, const struct ir_operand *o);
/* Whether the call at n forks into a success and a failure state. */
int xfer_call_forks(const struct engine *eng, const struct ir_node *n);
/* A call's effects on st (failed: XFER_FAILED for the failure outcome of a forking call,
 * XFER_ABSENT for the "found nothing" outcome of a three-way one). */
void xfer_call(struct engine *eng, struct eng_state *st, int32_t node, int failed);
/* Whether the call is handed a failed (NULL) result where its model does not accept NULL: the
 * program crashes there (rc-unchecked-null reports it) and the path ends. */
int xfer_call_crashes(struct engine *eng, const struct eng_state *st, int32_t node);
/* The call fails for sure: NULL in an argument where it fails on NULL (fails-on-null). */
int xfer_call_must_fail(struct engine *eng, const struct eng_state *st, int32_t node);
/* Parameters dereferenced by a callee that does not accept NULL (for the summary). */
void xfer_call_derefs(struct engine *eng, const struct eng_state *st, int32_t node);
void xfer_assign(struct engine *eng, struct eng_state *st, int32_t node);
void xfer_store(struct engine *eng, struct eng_state *st, int32_t node);
/* A dereference; returns 0 when the path stops there (a NULL failed result was used). */
int xfer_use(struct engine *eng, struct eng_state *st, int32_t node);
void xfer_count(struct engine *eng, struct eng_state *st, int32_t node);
/* The state on edge t (0: condition true) of branch node; returns 0 when the edge is infeasible. */
int xfer_branch(struct engine *eng, struct eng_state *st, int32_t node, int t);

/* ---- summary.c -------------------------------------------------------------------------- */
/* Merges what a return says about the function (returned value, parameters' count changes). */
void summary_record_return(struct engine *eng, const struct eng_state *st, const struct ir_node *n);
void summary_make(struct engine *eng, struct eng_summary *sum);
void summary_free(struct engine *eng);

/* ---- findings.c ------------------------------------------------------------------------- */
void findings_free(struct engine *eng);

#endif
