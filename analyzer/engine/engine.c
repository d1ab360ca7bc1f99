/*
 * engine.c - path-sensitive ownership analysis over one IR function (engine.h;
 * docs/analyzer.md explains the exploration, the memo table and the budget).
 */
#include "engine/engine.h"

#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ENG_MAX_VALUES 250 /* value slots per state (bindings are one byte) */
#define ENG_DEFAULT_BUDGET 20000
#define ENG_MAX_NOTES 48

struct eng_state {
	uint32_t nvars, nvals;
	uint8_t *bind;          /* nvars bindings: 0 or a slot in 1..nvals */
	struct eng_value *vals; /* vals[1..nvals] */
};

/* An explored (node, state) pair. */
struct record {
	int32_t node;
	int32_t parent; /* record index, -1 for the entry */
	uint32_t off;   /* serialized state in eng->blob */
	uint32_t len;
	uint32_t hash;
	int32_t next; /* memo chain */
	uint8_t via;  /* edge from the parent: VIA_* */
};

enum { VIA_TRUE = 0, VIA_FALSE = 1, VIA_PLAIN = 2, VIA_FAIL = 3, VIA_OK = 4 };

struct reported {
	int check;
	uint32_t line;
	char *var;
};

/*
 * What the returns of the function say about it, for its summary and for checks at the end.
 * Per parameter, count changes are merged over the paths that reach a return with the
 * parameter not NULL and not returned (a NULL parameter says nothing; a returned one is below).
 */
struct ret_info {
	int saw_new, saw_borrowed, saw_null, saw_other;
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
	uint8_t *kept_all;  /* every merged path stored it, without a reference of its own, into a
			     * field the unit releases elsewhere (the field owns what it holds) */
	/* the same merge split by the value returned: failure (NULL, a negative constant) or not */
	int8_t *fdelta, *odelta;
	uint8_t *fmixed, *omixed, *fseen, *oseen;
	int int_fail, int_ok, int_other; /* int results: negative constants, others known, unknown */
	int have_delta;
	uint32_t deref_unchecked; /* parameters dereferenced while possibly NULL */
	/* parameters handed to an API that takes them over and accepts NULL there (PyErr_Restore(t,
	 * v, tb)), or released by one (Py_XDECREF(p)): see engine_param_consumed */
	uint32_t xsteal, xrelease;
};

struct engine {
	const struct ir_func *fn;
	const struct engine_options *opt;
	uint8_t *memo; /* per node: states are memoized there (memo_node) */
	uint64_t *live;  /* live-in var bitsets, words_per_node words per node (NULL: none) */
	uint32_t words;
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
	/* scratch states */
	struct eng_state a, b, c;
	uint8_t *global_acq; /* per return node: 0 not asked, 1 no, 2 yes (engine_global_acquired_before) */
	uint8_t *in_range;   /* per call node: its index is in range of its container (index_ranges) */
	uint8_t *ser;
	int returns_new;
};

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void state_alloc(struct eng_state *s, uint32_t nvars)
{
	s->nvars = nvars;
	s->nvals = 0;
	s->bind = util_xcalloc(nvars + 1, 1);
	/* only vals[0] (slot 0: no value) and vals[1..nvals] are read: zeroing all
	 * ENG_MAX_VALUES slots for every function was 7% of the engine's instructions */
	s->vals = util_xrealloc(NULL, (ENG_MAX_VALUES + 1) * sizeof *s->vals);
	memset(&s->vals[0], 0, sizeof s->vals[0]);
}

static void state_free(struct eng_state *s)
{
	free(s->bind);
	free(s->vals);
}

static void state_copy(struct eng_state *dst, const struct eng_state *src)
{
	dst->nvals = src->nvals;
	memcpy(dst->bind, src->bind, src->nvars);
	memcpy(dst->vals + 1, src->vals + 1, src->nvals * sizeof *src->vals);
}

const struct ir_func *engine_func(const struct engine *eng)
{
	return eng->fn;
}

int engine_returns_new(const struct engine *eng)
{
	return eng->returns_new;
}

uint32_t engine_self_params(const struct engine *eng, enum model_arg_kind kind)
{
	return model_mask(eng->fn->self_model, kind, (uint32_t)eng->fn->nparams);
}

int engine_returns_failure(const struct engine *eng, const struct eng_state *st, const struct ir_node *n)
{
	const struct model_fn *m = eng->fn->self_model;
	if (!m || !n->nargs)
		return 0;
	const struct ir_operand *o = ir_args(eng->fn, n);
	const struct eng_value *v = engine_operand_value(st, o);
	if (m->flags & MODEL_NEG_ON_FAILURE) {
		if (o->kind == IR_OPND_INT)
			return o->ival < 0;
		return v && (v->flags & ENG_V_INT) &&
		       (((v->flags & ENG_V_INT_KNOWN) && v->ival < 0) || v->sign == ENG_SIGN_NEG);
	}
	if (m->flags & MODEL_NULL_ON_FAILURE)
		return o->kind == IR_OPND_NULL || (o->kind == IR_OPND_INT && o->ival == 0) ||
		       (v && (v->null == ENG_NULL || v->null == ENG_NULL_FAIL));
	return 0;
}

const struct eng_value *engine_value(const struct eng_state *st, int32_t var)
{
	if (var < 0 || (uint32_t)var >= st->nvars || !st->bind[var])
		return NULL;
	return &st->vals[st->bind[var]];
}

const struct eng_value *engine_operand_value(const struct eng_state *st, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR ? engine_value(st, o->var) : NULL;
}

uint32_t engine_nvalues(const struct eng_state *st)
{
	return st->nvals;
}

const struct eng_value *engine_value_at(const struct eng_state *st, uint32_t i)
{
	return i >= 1 && i <= st->nvals ? &st->vals[i] : NULL;
}

static uint32_t slot_of(const struct eng_state *st, const struct eng_value *v)
{
	return (uint32_t)(v - st->vals);
}

uint32_t engine_binders(const struct eng_state *st, const struct eng_value *v, int32_t except)
{
	uint32_t slot = slot_of(st, v), n = 0;
	for (uint32_t i = 0; i < st->nvars; i++)
		if (st->bind[i] == slot && (int32_t)i != except)
			n++;
	return n;
}

const char *engine_value_name(const struct engine *eng, const struct eng_state *st, const struct eng_value *v)
{
	uint32_t slot = slot_of(st, v);
	const char *temp = NULL;
	for (uint32_t i = 0; i < st->nvars; i++) {
		if (st->bind[i] != slot)
			continue;
		if (!(eng->fn->vars[i].flags & IR_VAR_TEMP))
			return eng->fn->vars[i].name;
		if (!temp)
			temp = eng->fn->vars[i].name;
	}
	return temp;
}

const char *engine_value_origin(const struct engine *eng, const struct eng_value *v)
{
	char *buf = ((struct engine *)eng)->origin_buf;
	if (v->param) {
		for (uint32_t i = 0; i < eng->fn->nvars; i++)
			if (eng->fn->vars[i].param == v->param - 1) {
				snprintf(buf, sizeof eng->origin_buf, "parameter '%s'", eng->fn->vars[i].name);
				return buf;
			}
		snprintf(buf, sizeof eng->origin_buf, "parameter %d", v->param);
		return buf;
	}
	if (v->site >= 0 && (uint32_t)v->site < eng->fn->nnodes) {
		const struct ir_node *n = &eng->fn->nodes[v->site];
		if (n->op == IR_CALL && n->callee) {
			snprintf(buf, sizeof eng->origin_buf, "'%s'", n->callee);
			return buf;
		}
		if (n->op == IR_CALL)
			return "an indirect call";
		return "a load";
	}
	return "an unknown source";
}

/* ------------------------------------------------------------------------------------------ */
/* Fields                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static const char *operand_field(const struct ir_func *fn, const struct ir_operand *o, int depth, int32_t *base)
{
	if (depth > 8)
		return NULL;
	if (o->kind == IR_OPND_FIELD && o->var >= 0) {
		*base = o->var;
		return o->str;
	}
	if (o->kind != IR_OPND_VAR)
		return NULL;
	/* a temporary, or a local such as `old = p->f` (its first assignment) */
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op == IR_ASSIGN && n->dest == o->var && n->nargs) {
			const struct ir_operand *src = ir_args(fn, n);
			if (src->kind == IR_OPND_LOAD && src->var >= 0) {
				*base = src->var;
				return src->str;
			}
			if (src->kind == IR_OPND_VAR && src->var != o->var)
				return operand_field(fn, src, depth + 1, base);
			return NULL;
		}
	}
	return NULL;
}

const char *engine_operand_field(const struct ir_func *fn, const struct ir_operand *o)
{
	int32_t base = -1;
	return operand_field(fn, o, 0, &base);
}

/* The parameter (0-based) var is, directly or as a local first assigned it (`struct node *n =
 * (void *)self`), or -1. */
static int param_alias(const struct ir_func *fn, int32_t var, int depth)
{
	if (var < 0 || (uint32_t)var >= fn->nvars || depth > 4)
		return -1;
	if (fn->vars[var].param >= 0)
		return fn->vars[var].param;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op == IR_ASSIGN && n->dest == var && n->nargs) {
			const struct ir_operand *src = ir_args(fn, n);
			return src->kind == IR_OPND_VAR && src->var != var ? param_alias(fn, src->var, depth + 1) : -1;
		}
	}
	return -1;
}

int engine_operand_param(const struct ir_func *fn, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR ? param_alias(fn, o->var, 0) : -1;
}

const char *engine_operand_field_of(const struct ir_func *fn, const struct ir_operand *o, int param)
{
	int32_t base = -1;
	const char *f = operand_field(fn, o, 0, &base);
	return f && param >= 0 && param_alias(fn, base, 0) == param ? f : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether the unit releases field `name` somewhere (a store into it hands a reference over). */
static int field_released(const struct engine *eng, const char *name)
{
	return name && eng->opt->released_fields &&
	       bsearch(&name, eng->opt->released_fields, eng->opt->nreleased_fields, sizeof(const char *), cmp_str);
}

/* ------------------------------------------------------------------------------------------ */
/* Canonical form, memo table                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* Drops values bound by no var (parameters excepted) and renumbers slots in order of first
 * binding; writes the serialized form to eng->ser and returns its length. */
static uint32_t canonicalize(struct engine *eng, struct eng_state *st)
{
	uint8_t map[ENG_MAX_VALUES + 1];
	memset(map, 0, st->nvals + 1);
	uint32_t n = 0;
	int identity = 1;
	for (uint32_t i = 0; i < st->nvars; i++) {
		uint8_t s = st->bind[i];
		if (s && !map[s]) {
			map[s] = (uint8_t)++n;
			identity &= map[s] == s;
		}
	}
	for (uint32_t s = 1; s <= st->nvals; s++) {
		const struct eng_value *v = &st->vals[s];
		int keep = v->param || ((v->flags & ENG_V_FIELD) && !(v->flags & ENG_V_ESCAPED) && (v->owned || v->delta)) ||
			   (v->flags & ENG_V_OWES); /* reported at the return unless paid back */
		if (!map[s] && keep) {
			map[s] = (uint8_t)++n;
			identity &= map[s] == s;
		}
	}
	identity &= n == st->nvals;
	if (!identity) {
		struct eng_value tmp[ENG_MAX_VALUES + 1];
		for (uint32_t s = 1; s <= st->nvals; s++)
			if (map[s])
				tmp[map[s]] = st->vals[s];
		for (uint32_t i = 1; i <= n; i++)
			tmp[i].parent = map[tmp[i].parent];
		for (uint32_t i = 0; i < st->nvars; i++)
			st->bind[i] = map[st->bind[i]];
		memcpy(st->vals + 1, tmp + 1, n * sizeof *tmp);
		st->nvals = n;
	}
	uint8_t *p = eng->ser;
	*p++ = (uint8_t)n;
	memcpy(p, st->bind, st->nvars);
	p += st->nvars;
	memcpy(p, st->vals + 1, n * sizeof *st->vals);
	p += n * sizeof *st->vals;
	return (uint32_t)(p - eng->ser);
}

static void deserialize(const struct engine *eng, const struct record *r, struct eng_state *st)
{
	const uint8_t *p = eng->blob + r->off;
	st->nvals = *p++;
	memcpy(st->bind, p, st->nvars);
	p += st->nvars;
	memcpy(st->vals + 1, p, st->nvals * sizeof *st->vals);
}

static uint32_t hash_bytes(const uint8_t *p, uint32_t len, int32_t node)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)(uint32_t)node * 0xff51afd7ed558ccdull) ^ len;
	uint32_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/*
 * Where states are memoized. Join points: a node with one predecessor sees a state twice only if
 * its predecessor did (or the predecessor forks), and every cycle goes through a join. And the
 * node after the end of a full expression (IR_KILL): a call that can fail sends two states on
 * (its result NULL, or not), which differ only until the result is stored or dies; when it dies,
 * the two become one again. Without that, straight-line code of N unchecked calls (a module's
 * init adding 60 constants) has 2^N paths and exhausts the budget.
 */
static int memo_node(const struct engine *eng, int32_t node)
{
	return eng->memo[node];
}

static void rehash(struct engine *eng)
{
	uint32_t nb = eng->nbuckets ? eng->nbuckets * 2 : 1024;
	free(eng->buckets);
	eng->buckets = util_xrealloc(NULL, nb * sizeof *eng->buckets);
	for (uint32_t i = 0; i < nb; i++)
		eng->buckets[i] = -1;
	eng->nbuckets = nb;
	for (uint32_t i = 0; i < eng->nrecs; i++) {
		int32_t node = eng->recs[i].node;
		if (!memo_node(eng, node))
			continue;
		uint32_t b = eng->recs[i].hash & (nb - 1);
		eng->recs[i].next = eng->buckets[b];
		eng->buckets[b] = (int32_t)i;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Liveness: a var that no path from here reads again is unbound before memoization, so that */
/* dead integers and pointers do not multiply the states (owned references stay bound: their */
/* loss is what rc-leak reports).                                                              */
/* ------------------------------------------------------------------------------------------ */

static void compute_liveness(struct engine *eng)
{
	const struct ir_func *fn = eng->fn;
	uint32_t w = (fn->nvars + 63) / 64;
	if (w == 0 || (uint64_t)w * fn->nnodes > (1u << 22))
		return; /* too large: no pruning */
	eng->words = w;
	eng->live = util_xcalloc((size_t)w * fn->nnodes, sizeof *eng->live);
	uint64_t *addr = util_xcalloc(w, sizeof *addr); /* vars whose address is taken: always live */
	for (uint32_t i = 0; i < fn->nops; i++)
		if (fn->ops[i].kind == IR_OPND_ADDR)
			addr[fn->ops[i].var / 64] |= 1ull << (fn->ops[i].var % 64);
	uint64_t *tmp = util_xcalloc(w, sizeof *tmp);
	int changed = 1;
	/* bounded work: without convergence within it, no pruning (correct, only slower) */
	uint64_t work = 0, max_work = 50u * 1000u * 1000u;
	for (int round = 0; changed; round++) {
		work += (uint64_t)fn->nnodes * w;
		if (work > max_work) {
			free(eng->live);
			eng->live = NULL;
			break;
		}
		changed = 0;
		for (uint32_t k = fn->nnodes; k-- > 0;) {
			const struct ir_node *n = &fn->nodes[k];
			memset(tmp, 0, w * sizeof *tmp);
			for (int sidx = 0; sidx < 2; sidx++)
				if (n->succ[sidx] >= 0)
					for (uint32_t j = 0; j < w; j++)
						tmp[j] |= eng->live[(size_t)n->succ[sidx] * w + j];
			if (n->op == IR_ASSIGN || (n->op == IR_CALL && n->dest >= 0))
				tmp[n->dest / 64] &= ~(1ull << (n->dest % 64));
			const struct ir_operand *a = ir_args(fn, n);
			for (uint32_t j = 0; j < n->nargs; j++)
				if ((a[j].kind == IR_OPND_VAR && n->op != IR_KILL) || a[j].kind == IR_OPND_ADDR ||
				    ((a[j].kind == IR_OPND_LOAD || a[j].kind == IR_OPND_FIELD) && a[j].var >= 0))
					tmp[a[j].var / 64] |= 1ull << (a[j].var % 64);
			for (uint32_t j = 0; j < w; j++)
				tmp[j] |= addr[j];
			uint64_t *dst = &eng->live[(size_t)k * w];
			if (memcmp(dst, tmp, w * sizeof *tmp)) {
				memcpy(dst, tmp, w * sizeof *tmp);
				changed = 1;
			}
		}
	}
	free(tmp);
	free(addr);
}

/* Unbinds the vars dead at node, except those holding the last binding of an owned reference. */
static void drop_dead(struct engine *eng, struct eng_state *st, int32_t node)
{
	if (!eng->live)
		return;
	const uint64_t *lv = &eng->live[(size_t)node * eng->words];
	for (uint32_t i = 0; i < st->nvars; i++) {
		uint8_t s = st->bind[i];
		if (!s || (lv[i / 64] & (1ull << (i % 64))))
			continue;
		const struct eng_value *v = &st->vals[s];
		if (v->owned > 0 && !(v->flags & (ENG_V_ESCAPED | ENG_V_LOADED)) && v->null != ENG_NULL &&
		    v->null != ENG_NULL_FAIL)
			continue;
		st->bind[i] = 0;
	}
}

/* Adds the successor (node, st) unless already explored; st is canonicalized in place. */
static void push_state(struct engine *eng, struct eng_state *st, int32_t node, uint8_t via)
{
	if (node < 0)
		return;
	drop_dead(eng, st, node);
	uint32_t len = canonicalize(eng, st);
	int memo = memo_node(eng, node);
	uint32_t h = memo ? hash_bytes(eng->ser, len, node) : 0;
	if (memo) {
		for (int32_t r = eng->buckets[h & (eng->nbuckets - 1)]; r >= 0; r = eng->recs[r].next) {
			const struct record *rec = &eng->recs[r];
			if (rec->hash == h && rec->node == node && rec->len == len &&
			    !memcmp(eng->blob + rec->off, eng->ser, len))
				return;
		}
	}
	if (eng->nrecs == eng->cap_recs) {
		eng->cap_recs = eng->cap_recs ? eng->cap_recs * 2 : 256;
		eng->recs = util_xrealloc(eng->recs, eng->cap_recs * sizeof *eng->recs);
	}
	if (eng->blob_len + len > eng->blob_cap) {
		eng->blob_cap = (eng->blob_cap + len) * 2;
		eng->blob = util_xrealloc(eng->blob, eng->blob_cap);
	}
	memcpy(eng->blob + eng->blob_len, eng->ser, len);
	struct record *rec = &eng->recs[eng->nrecs];
	rec->node = node;
	rec->parent = eng->cur;
	rec->off = (uint32_t)eng->blob_len;
	rec->len = len;
	rec->hash = h;
	rec->via = via;
	eng->blob_len += len;
	rec->next = -1;
	if (memo) {
		uint32_t b = h & (eng->nbuckets - 1);
		rec->next = eng->buckets[b];
		eng->buckets[b] = (int32_t)eng->nrecs;
	}
	if (eng->sp == eng->cap_stack) {
		eng->cap_stack = eng->cap_stack ? eng->cap_stack * 2 : 256;
		eng->stack = util_xrealloc(eng->stack, eng->cap_stack * sizeof *eng->stack);
	}
	eng->stack[eng->sp++] = (int32_t)eng->nrecs;
	eng->nrecs++;
	if (eng->nrecs > eng->nbuckets)
		rehash(eng);
}

/* ------------------------------------------------------------------------------------------ */
/* Reports and paths                                                                           */
/* ------------------------------------------------------------------------------------------ */

static const char *var_label(const struct ir_func *fn, const struct ir_operand *o, char *buf, size_t n)
{
	if (o->kind != IR_OPND_VAR)
		return "the condition";
	const struct ir_var *v = &fn->vars[o->var];
	if (v->flags & IR_VAR_TEMP)
		snprintf(buf, n, "the result of '%s'", v->name);
	else
		snprintf(buf, n, "'%s'", v->name);
	return buf;
}

static char *branch_note(const struct ir_func *fn, const struct ir_node *n, int via)
{
	char buf[512], name[200];
	const struct ir_operand *a = n->nargs ? ir_args(fn, n) : NULL;
	int is_int = a && a->kind == IR_OPND_VAR && (fn->vars[a->var].flags & IR_VAR_INT);
	const char *lab = a ? var_label(fn, a, name, sizeof name) : "the condition";
	switch (n->cond) {
	case IR_COND_NULL:
		if (is_int)
			snprintf(buf, sizeof buf, "assuming %s is %s", lab, via == VIA_TRUE ? "0" : "not 0");
		else
			snprintf(buf, sizeof buf, "assuming %s is %s", lab, via == VIA_TRUE ? "NULL" : "not NULL");
		break;
	case IR_COND_NEG:
		snprintf(buf, sizeof buf, "assuming %s is %s", lab, via == VIA_TRUE ? "negative" : "not negative");
		break;
	case IR_COND_EQ:
		snprintf(buf, sizeof buf, "assuming %s %s %lld", lab, via == VIA_TRUE ? "==" : "!=", (long long)n->ival);
		break;
	default:
		if (n->flags & IR_NODE_LOOP)
			snprintf(buf, sizeof buf, "%s", via == VIA_TRUE ? "entering the loop body" : "leaving the loop");
		else
			snprintf(buf, sizeof buf, "taking the %s branch", via == VIA_TRUE ? "true" : "false");
		break;
	}
	return util_xstrdup(buf);
}

static char *site_note(const struct ir_func *fn, const struct ir_node *n)
{
	char buf[512];
	if (n->op == IR_CALL) {
		const struct model_fn *m = n->model;
		const char *what = "reference";
		if (m && m->ret == MODEL_RET_NEW)
			what = "new reference";
		else if (m && m->ret == MODEL_RET_BORROWED)
			what = "borrowed reference";
		else if (m && m->ret == MODEL_RET_INT)
			what = "status";
		snprintf(buf, sizeof buf, "%s %s from '%s'", what, m && m->ret == MODEL_RET_INT ? "returned" : "acquired",
			 n->callee ? n->callee : "an indirect call");
	} else if (n->op == IR_ASSIGN && n->nargs && ir_args(fn, n)[0].kind == IR_OPND_NULL) {
		snprintf(buf, sizeof buf, "'%s' set to NULL", fn->vars[n->dest].name);
	} else if (n->op == IR_ASSIGN && n->nargs && ir_args(fn, n)[0].kind == IR_OPND_LOAD) {
		snprintf(buf, sizeof buf, "borrowed reference loaded into '%s'", fn->vars[n->dest].name);
	} else {
		snprintf(buf, sizeof buf, "value produced here");
	}
	return util_xstrdup(buf);
}

static int already_reported(struct engine *eng, int check, uint32_t line, const char *var)
{
	for (uint32_t i = 0; i < eng->nreported; i++)
		if (eng->reported[i].check == check && eng->reported[i].line == line && !strcmp(eng->reported[i].var, var))
			return 1;
	if (eng->nreported == eng->cap_reported) {
		eng->cap_reported = eng->cap_reported ? eng->cap_reported * 2 : 8;
		eng->reported = util_xrealloc(eng->reported, eng->cap_reported * sizeof *eng->reported);
	}
	eng->reported[eng->nreported].check = check;
	eng->reported[eng->nreported].line = line;
	eng->reported[eng->nreported].var = util_xstrdup(var);
	eng->nreported++;
	return 0;
}

static void add_note(struct eng_finding *f, uint32_t *cap, struct ir_loc loc, char *msg)
{
	if (f->nnotes == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		f->notes = util_xrealloc(f->notes, *cap * sizeof *f->notes);
	}
	f->notes[f->nnotes].loc = loc;
	f->notes[f->nnotes].message = msg;
	f->nnotes++;
}

static void report_va(struct engine *eng, int32_t rec, int check, struct ir_loc loc, int32_t from_site,
		      const char *var, const char *fmt, va_list ap)
{
	if (!var)
		var = "";
	if (already_reported(eng, check, loc.line, var) || !eng->opt->report)
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	struct eng_finding f;
	memset(&f, 0, sizeof f);
	f.check = check;
	f.func = eng->fn->name;
	f.file = eng->fn->file;
	f.loc = loc;
	f.message = msg;
	f.var = (char *)var;
	/* the chain of records from the entry to rec */
	uint32_t depth = 0;
	for (int32_t r = rec; r >= 0; r = eng->recs[r].parent)
		depth++;
	int32_t *chain = util_xrealloc(NULL, (depth + 1) * sizeof *chain);
	uint32_t k = depth;
	for (int32_t r = rec; r >= 0; r = eng->recs[r].parent)
		chain[--k] = r;
	uint32_t cap = 0;
	int started = from_site < 0;
	if (from_site >= 0) {
		int found = 0;
		for (uint32_t i = 0; i < depth; i++)
			if (eng->recs[chain[i]].node == from_site)
				found = 1;
		if (!found)
			started = 1;
	}
	uint32_t first_branch = 0;
	for (uint32_t i = 1; i < depth; i++) {
		const struct record *r = &eng->recs[chain[i]];
		const struct ir_node *pn = &eng->fn->nodes[eng->recs[r->parent].node];
		if (!started && eng->recs[r->parent].node == from_site) {
			started = 1;
			add_note(&f, &cap, pn->loc, site_note(eng->fn, pn));
			first_branch = f.nnotes;
		}
		if (!started)
			continue;
		if (pn->op == IR_BRANCH && (r->via == VIA_TRUE || r->via == VIA_FALSE) &&
		    (pn->succ[0] != pn->succ[1]))
			add_note(&f, &cap, pn->loc, branch_note(eng->fn, pn, r->via));
		else if (r->via == VIA_FAIL) {
			char buf[300];
			snprintf(buf, sizeof buf, "assuming '%s' fails", pn->callee ? pn->callee : "the call");
			add_note(&f, &cap, pn->loc, util_xstrdup(buf));
		}
	}
	free(chain);
	if (engine_checks[check]->last_note)
		add_note(&f, &cap, loc, util_xstrdup(engine_checks[check]->last_note));
	/* keep the acquisition and the last branches when the path is long */
	if (f.nnotes > ENG_MAX_NOTES) {
		uint32_t keep_tail = ENG_MAX_NOTES - first_branch - 1;
		uint32_t drop = f.nnotes - first_branch - keep_tail;
		for (uint32_t i = first_branch; i < first_branch + drop; i++)
			free(f.notes[i].message);
		memmove(f.notes + first_branch, f.notes + first_branch + drop, keep_tail * sizeof *f.notes);
		f.nnotes = first_branch + keep_tail;
	}
	eng->opt->report(eng->opt->ctx, &f);
	for (uint32_t i = 0; i < f.nnotes; i++)
		free(f.notes[i].message);
	free(f.notes);
}

void engine_report(struct engine *eng, int check, struct ir_loc loc, const struct eng_value *value,
		   const char *var, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_va(eng, eng->cur, check, loc, value && !value->param ? value->site : -1, var, fmt, ap);
	va_end(ap);
}

eng_pos engine_position(const struct engine *eng)
{
	return (eng_pos)eng->cur;
}

void engine_report_at(struct engine *eng, eng_pos pos, int check, struct ir_loc loc, int32_t from_site,
		      const char *var, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_va(eng, (int32_t)pos, check, loc, from_site, var, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void fire(struct engine *eng, enum eng_event kind, int32_t node, const struct eng_state *st, int32_t var,
		 int succ)
{
	struct eng_event_info ev;
	ev.kind = kind;
	ev.fn = eng->fn;
	ev.node = node >= 0 ? &eng->fn->nodes[node] : NULL;
	ev.node_index = node;
	ev.state = st;
	ev.var = var;
	ev.succ = succ;
	for (size_t i = 0; i < engine_ncheck; i++)
		if (engine_checks[i]->handler[kind])
			engine_checks[i]->handler[kind](eng, &ev, eng->check_data[i]);
}

/* ------------------------------------------------------------------------------------------ */
/* Transfer functions                                                                          */
/* ------------------------------------------------------------------------------------------ */

static uint8_t new_value(struct eng_state *st, int32_t site)
{
	if (st->nvals >= ENG_MAX_VALUES)
		return 0;
	uint8_t s = (uint8_t)++st->nvals;
	memset(&st->vals[s], 0, sizeof st->vals[s]);
	st->vals[s].site = site;
	st->vals[s].key_site = -1;
	st->vals[s].rel_site = -1;
	st->vals[s].null = ENG_NONNULL;
	return s;
}

static uint8_t operand_slot(const struct eng_state *st, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR ? st->bind[o->var] : 0;
}

/* The slot of a call argument: a var's, or for &G the value a taken `x == &G` made G. */
static uint8_t arg_slot(const struct ir_func *fn, const struct eng_state *st, const struct ir_operand *o)
{
	if (o->kind == IR_OPND_VAR)
		return st->bind[o->var];
	if (o->kind != IR_OPND_FIELD || o->var != -2 || !o->str)
		return 0;
	for (uint32_t i = 1; i <= st->nvals; i++) {
		const struct eng_value *v = &st->vals[i];
		if (v->sign == ENG_SIGN_IS_GLOBAL && v->ival > 0 && (uint32_t)v->ival < fn->nops &&
		    fn->ops[v->ival].str && !strcmp(fn->ops[v->ival].str, o->str))
			return (uint8_t)i;
	}
	return 0;
}

const struct eng_value *engine_arg_value(const struct engine *eng, const struct eng_state *st,
					 const struct ir_operand *o)
{
	uint8_t s = arg_slot(eng->fn, st, o);
	return s ? &st->vals[s] : NULL;
}

/* Marks s freed, and the values borrowed from it. */
static void mark_freed(struct eng_state *st, uint8_t s)
{
	const struct eng_value *v = &st->vals[s];
	if ((v->flags & ENG_V_ELEMENT) && v->parent && !(st->vals[v->parent].flags & ENG_V_FREED))
		return; /* PySequence_GetItem(list, i) released: the list still holds the element */
	st->vals[s].flags |= ENG_V_FREED;
	for (uint32_t i = 1; i <= st->nvals; i++)
		if (st->vals[i].parent == s && st->vals[i].owned == 0 && !(st->vals[i].flags & ENG_V_FREED))
			mark_freed(st, (uint8_t)i);
}

static void release_slot(struct eng_state *st, uint8_t s, int32_t node)
{
	if (!s)
		return;
	struct eng_value *v = &st->vals[s];
	if (v->null == ENG_NULL || v->null == ENG_NULL_FAIL)
		return;
	v->rel_site = node;
	v->delta--;
	v->mdelta--;
	if (v->owned > 0) {
		v->owned--;
		/* the last owned reference is gone: only a caller's reference (parameters) is known
		 * to keep the object alive */
		if (v->owned == 0 && !v->param && !(v->flags & ENG_V_ESCAPED))
			mark_freed(st, s);
	}
}

/* Whether value v was loaded from the memory named by key (an IR_OPND_LOAD/FIELD operand). */
static int key_matches(const struct ir_func *fn, const struct eng_value *v, const struct ir_operand *key)
{
	if (!(v->flags & ENG_V_FIELD) || v->key_site < 0 || key->var == -1 || !key->str)
		return 0;
	const struct ir_node *n = &fn->nodes[v->key_site];
	uint32_t ki = n->op == IR_STORE ? 1 : 0;
	if (n->nargs <= ki)
		return 0;
	const struct ir_operand *k = &fn->ops[n->arg0 + ki];
	return k->var == key->var && k->str && !strcmp(k->str, key->str);
}

static uint8_t find_field(const struct ir_func *fn, const struct eng_state *st, const struct ir_operand *key)
{
	for (uint32_t i = 1; i <= st->nvals; i++)
		if (key_matches(fn, &st->vals[i], key) && !(st->vals[i].flags & ENG_V_FREED))
			return (uint8_t)i;
	return 0;
}

/* var now points elsewhere: values loaded through it are no longer what var->f names. */
static void unlink_base(const struct ir_func *fn, struct eng_state *st, int32_t var)
{
	for (uint32_t i = 1; i <= st->nvals; i++) {
		struct eng_value *v = &st->vals[i];
		if (!(v->flags & ENG_V_FIELD) || v->key_site < 0)
			continue;
		const struct ir_node *n = &fn->nodes[v->key_site];
		uint32_t ki = n->op == IR_STORE ? 1 : 0;
		if (n->nargs > ki && fn->ops[n->arg0 + ki].var == var)
			v->flags &= (uint16_t)~ENG_V_FIELD;
	}
}

/* The memory named by key now holds something else (a store, or a clear). */
static void unlink_field(const struct ir_func *fn, struct eng_state *st, const struct ir_operand *key)
{
	for (uint32_t i = 1; i <= st->nvals; i++)
		if (key_matches(fn, &st->vals[i], key))
			st->vals[i].flags &= (uint16_t)~ENG_V_FIELD;
}

static void steal_slot(struct eng_state *st, uint8_t s, int32_t node)
{
	if (!s)
		return;
	struct eng_value *v = &st->vals[s];
	if (v->null == ENG_NULL || v->null == ENG_NULL_FAIL)
		return;
	v->flags |= ENG_V_STOLEN; /* the count does not change: the reference moves */
	if (v->owned > 0) {
		v->owned--;
	} else if ((v->param || (v->flags & ENG_V_BORROWED)) && !(v->flags & (ENG_V_ESCAPED | ENG_V_HAD_OWNED | ENG_V_OWES))) {
		v->flags |= ENG_V_OWES;
		v->rel_site = node;
	}
}

static void acquire_slot(struct eng_state *st, uint8_t s)
{
	if (!s)
		return;
	struct eng_value *v = &st->vals[s];
	if (v->null == ENG_NULL || v->null == ENG_NULL_FAIL)
		return;
	v->delta++;
	v->mdelta++;
	v->flags &= (uint16_t)~ENG_V_FREED;
	if (v->flags & ENG_V_OWES) {
		v->flags &= (uint16_t)~ENG_V_OWES; /* pays back what a stealing callee took */
		return;
	}
	if ((v->flags & ENG_V_STORED) && v->owned == 0 && !(v->flags & ENG_V_ESCAPED)) {
		/* self->f = o; Py_INCREF(o): the reference is the one the memory holds; the same
		 * for an element (items[0] = o; Py_INCREF(o), released later through items[0]) */
		v->flags |= ENG_V_ESCAPED;
		return;
	}
	if (v->owned < 100)
		v->owned++;
	v->flags |= ENG_V_HAD_OWNED;
}

/* Marks what a var holds as escaped and unbinds the var (the callee may overwrite it). */
static void escape_var(struct eng_state *st, int32_t var)
{
	uint8_t s = st->bind[var];
	if (s)
		st->vals[s].flags |= ENG_V_ESCAPED;
	st->bind[var] = 0;
}

/* Number of arguments a Py_BuildValue-style unit consumes, and whether it steals ('N'). */
static void apply_format_build(struct eng_state *st, const struct ir_func *fn, const struct ir_node *n, int fmt_arg,
			       int32_t node)
{
	const struct ir_operand *a = ir_args(fn, n);
	if ((uint32_t)fmt_arg > n->nargs || a[fmt_arg - 1].kind != IR_OPND_STR || !a[fmt_arg - 1].str)
		return;
	uint32_t k = (uint32_t)fmt_arg; /* next argument, 0-based */
	for (const char *p = a[fmt_arg - 1].str; *p && k < n->nargs; p++) {
		switch (*p) {
		case '(': case ')': case '[': case ']': case '{': case '}': case ':': case ',': case ' ': case '\t':
			continue;
		case '#':
			k++; /* length argument */
			continue;
		case '&':
			k++; /* converter + argument: the converter was counted, the argument follows */
			continue;
		case 'N':
			if (p[1] == '&')
				break;
			steal_slot(st, operand_slot(st, &a[k]), node);
			k++;
			continue;
		default:
			k++;
			continue;
		}
		k++;
	}
}

/* rc_newref-style annotations (a new reference and one acquired argument) describe a function
 * that returns its argument with one more reference: the argument returned, 1-based, or 0. */
static int returned_arg(const struct model_fn *m, uint32_t nargs)
{
	if (m->returns_arg)
		return m->returns_arg;
	uint32_t acq = model_mask(m, MODEL_ACQUIRES, nargs);
	if (m->ret == MODEL_RET_NEW && acq && !(acq & (acq - 1))) {
		int k = 0;
		while (!(acq & (1u << k)))
			k++;
		return k + 1;
	}
	return 0;
}

static void bind_new_out(struct eng_state *st, int32_t var, int32_t node, int owned)
{
	uint8_t s = new_value(st, node);
	if (s) {
		st->vals[s].flags = ENG_V_OBJ | (owned ? ENG_V_HAD_OWNED : ENG_V_BORROWED);
		st->vals[s].owned = owned ? 1 : 0;
		st->vals[s].null = owned ? ENG_MAYBE : ENG_NONNULL;
	}
	st->bind[var] = s;
}

/* Names of an API whose every function is modelled (CPython's Py*, _Py*; our runtime's rc_*):
 * a call to an unmodelled one of them borrows its arguments, as the API's convention says. */
static int api_name(const char *name)
{
	return !strncmp(name, "Py", 2) || !strncmp(name, "_Py", 3) || !strncmp(name, "rc_", 3);
}

/*
 * A function nothing is known about (defined in another file, no model) that is handed a
 * reference the caller owns may take it over when the call has the shape of a hand-over:
 * the reference is a temporary nobody named (`wrap(PyObject_Repr(o))`,
 * `append_steal(list, Py_BuildValue(...))`) or the helper returns a pointer that replaces it
 * (`s = ensure_text(s)`), and the caller never mentions it again on any path. Helpers that steal
 * by design are common in real extensions. Otherwise (`check(obj); return 0;`, or a later
 * Py_DECREF(obj) on another path) the helper only borrowed it, as the C API's convention says.
 */
/* Whether some path from node `from` reads var before assigning it (its address counts as a
 * read; unlike the liveness sets, an address taken earlier does not keep it live). */
static int var_read_later(const struct ir_func *fn, int32_t from, int32_t var)
{
	uint8_t *seen = util_xcalloc(fn->nnodes ? fn->nnodes : 1, 1);
	int32_t *stack = util_xrealloc(NULL, (fn->nnodes + 1) * sizeof *stack);
	uint32_t sp = 0;
	int found = 0;
	stack[sp++] = from;
	while (sp && !found) {
		int32_t k = stack[--sp];
		if (k < 0 || (uint32_t)k >= fn->nnodes || seen[k])
			continue;
		seen[k] = 1;
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t j = 0; j < n->nargs && !found; j++)
			found = n->op != IR_KILL && a[j].var == var &&
				(a[j].kind == IR_OPND_VAR || a[j].kind == IR_OPND_ADDR || a[j].kind == IR_OPND_LOAD ||
				 a[j].kind == IR_OPND_FIELD);
		if (found || ((n->op == IR_ASSIGN || n->op == IR_CALL) && n->dest == var))
			continue;
		for (int t = 0; t < 2; t++)
			if (n->succ[t] >= 0 && !seen[n->succ[t]])
				stack[sp++] = n->succ[t];
	}
	free(stack);
	free(seen);
	return found;
}

static int var_read_later_cached(struct engine *eng, int32_t from, int32_t var)
{
	for (uint32_t i = 0; i < eng->nread_later; i++)
		if (eng->read_later[i].node == from && eng->read_later[i].var == var)
			return eng->read_later[i].read;
	int r = var_read_later(eng->fn, from, var);
	if (eng->nread_later == eng->cap_read_later) {
		eng->cap_read_later = eng->cap_read_later ? eng->cap_read_later * 2 : 8;
		eng->read_later = util_xrealloc(eng->read_later, eng->cap_read_later * sizeof *eng->read_later);
	}
	eng->read_later[eng->nread_later].node = from;
	eng->read_later[eng->nread_later].var = var;
	eng->read_later[eng->nread_later++].read = r;
	return r;
}

static void unknown_call_escapes(struct engine *eng, struct eng_state *st, int32_t node, const struct ir_operand *a)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	if (!n->callee || api_name(n->callee) || n->succ[0] < 0)
		return;
	for (uint32_t k = 0; k < n->nargs; k++) {
		uint8_t s = operand_slot(st, &a[k]);
		if (!s || st->vals[s].owned <= 0)
			continue;
		int used_later = 0, named = 0;
		for (uint32_t i = 0; i < st->nvars && !used_later; i++) {
			if (st->bind[i] != s || (int32_t)i == n->dest)
				continue;
			used_later = var_read_later_cached(eng, n->succ[0], (int32_t)i);
			named |= !(eng->fn->vars[i].flags & IR_VAR_TEMP);
		}
		int replaced = n->dest >= 0 && (eng->fn->vars[n->dest].flags & IR_VAR_PTR);
		if (!used_later && (!named || replaced))
			st->vals[s].flags |= ENG_V_ESCAPED;
	}
}

static void do_call(struct engine *eng, struct eng_state *st, int32_t node, int failed)
{
	const struct ir_func *fn = eng->fn;
	const struct ir_node *n = &fn->nodes[node];
	const struct model_fn *m = n->model;
	const struct ir_operand *a = ir_args(fn, n);
	int heuristic = m && (m->flags & MODEL_HEURISTIC);
	if (heuristic && n->nargs != 1)
		m = NULL;
	uint32_t na = n->nargs;
	uint32_t rel = model_mask(m, MODEL_RELEASES, na), acq = model_mask(m, MODEL_ACQUIRES, na);
	uint32_t steals = model_mask(m, MODEL_STEALS, na) | (failed ? 0 : model_mask(m, MODEL_STEALS_OK, na));
	uint32_t clears = model_mask(m, MODEL_CLEARS, na);
	uint32_t out_new = model_mask(m, MODEL_OUT_NEW, na), out_bor = model_mask(m, MODEL_OUT_BORROWED, na);
	int ret_arg = m && !heuristic ? returned_arg(m, na) : 0;
	if (ret_arg)
		acq &= ~(1u << (ret_arg - 1)); /* the acquired reference is the result */
	if (!n->model)
		unknown_call_escapes(eng, st, node, a);
	uint32_t nonnull_ok = model_null_ok(m, na);
	for (uint32_t k = 0; k < na; k++) {
		uint32_t bit = k < 32 ? 1u << k : 0;
		uint8_t s = arg_slot(fn, st, &a[k]);
		if (s && m && !heuristic && !(nonnull_ok & bit) && st->vals[s].null == ENG_NULL_FAIL)
			st->vals[s].null = ENG_NULL; /* reported once (rc-unchecked-null) */
		if (a[k].kind == IR_OPND_ADDR) {
			int32_t var = a[k].var;
			if (m && !heuristic && m->setref_dst && k + 1 == (uint32_t)m->setref_dst)
				continue; /* Py_SETREF(&local, v): below, not an escape of the old value */
			if ((clears & bit) && (out_new & bit)) {
				/* _PyBytes_Resize(&b, n): the old reference is given up; on success *b is a
				 * new reference (maybe the same object), on failure NULL */
				release_slot(st, st->bind[var], node);
				if (!failed) {
					bind_new_out(st, var, node, 1);
				} else {
					uint8_t z = new_value(st, node);
					if (z)
						st->vals[z].null = ENG_NULL;
					st->bind[var] = z;
				}
			} else if (clears & bit) {
				release_slot(st, st->bind[var], node);
				uint8_t z = new_value(st, node);
				if (z)
					st->vals[z].null = ENG_NULL;
				st->bind[var] = z;
			} else if ((out_new | out_bor) & bit) {
				if (!failed || (out_bor & bit)) {
					bind_new_out(st, var, node, (out_new & bit) != 0);
				} else {
					/* PyDict_GetItemRef & co.: *result is set to NULL on error */
					uint8_t z = new_value(st, node);
					if (z)
						st->vals[z].null = ENG_NULL;
					st->bind[var] = z;
				}
			} else if (m && !heuristic && ((m->format_parse && k >= (uint32_t)m->format_parse) ||
						       (m->unpack_borrowed && k + 1 >= (uint32_t)m->unpack_borrowed))) {
				if (!failed)
					bind_new_out(st, var, node, 0);
			} else {
				escape_var(st, var);
			}
			continue;
		}
		if (a[k].kind == IR_OPND_FIELD && (clears & bit)) {
			uint8_t f = find_field(fn, st, &a[k]);
			if (f) {
				if (st->vals[f].owned > 0)
					release_slot(st, f, node);
				else if (!(st->vals[f].flags & ENG_V_ESCAPED))
					mark_freed(st, f);
			}
			unlink_field(fn, st, &a[k]);
			continue;
		}
		if (!m || !s)
			continue;
		if (heuristic) {
			if (m->arg[MODEL_ACQUIRES] & 1u)
				st->vals[s].delta++;
			if (m->arg[MODEL_RELEASES] & 1u)
				st->vals[s].delta--;
			continue;
		}
		if (m->setref_dst && k + 1 == (uint32_t)m->setref_dst)
			continue; /* below */
		if (model_mask(m, MODEL_COUNT_UP, na) & bit)
			st->vals[s].delta++;
		if (model_mask(m, MODEL_COUNT_DOWN, na) & bit)
			st->vals[s].delta--;
		if ((model_mask(m, MODEL_MAY_TAKE, na) & bit) && st->vals[s].owned > 0)
			st->vals[s].flags |= ENG_V_ESCAPED;
		if ((model_mask(m, MODEL_FREES, na) & bit) && st->vals[s].owned > 0) {
			st->vals[s].owned = 0; /* PyObject_Del(fresh): the reference goes with the memory */
			st->vals[s].rel_site = node;
			mark_freed(st, s);
		}
		if ((nonnull_ok & bit) && m->origin != MODEL_FROM_SUMMARY && st->vals[s].param > 0 &&
		    st->vals[s].param <= 32) {
			if (steals & bit)
				eng->ret.xsteal |= 1u << (st->vals[s].param - 1);
			if (rel & bit)
				eng->ret.xrelease |= 1u << (st->vals[s].param - 1);
		}
		if (rel & bit)
			release_slot(st, s, node);
		if (steals & bit)
			steal_slot(st, s, node);
		if (acq & bit)
			acquire_slot(st, s);
	}
	if (m && !heuristic && m->setref_dst && (uint32_t)m->setref_dst <= na && (uint32_t)m->setref_src <= na) {
		const struct ir_operand *d = &a[m->setref_dst - 1], *src = &a[m->setref_src - 1];
		uint8_t ss = operand_slot(st, src);
		if (d->kind == IR_OPND_VAR || d->kind == IR_OPND_ADDR) {
			release_slot(st, st->bind[d->var], node);
			st->bind[d->var] = ss;
		} else {
			if (d->kind == IR_OPND_FIELD) {
				uint8_t old = find_field(fn, st, d);
				if (old && st->vals[old].owned > 0)
					release_slot(st, old, node);
				else if (old && !(st->vals[old].flags & ENG_V_ESCAPED))
					mark_freed(st, old);
				unlink_field(fn, st, d);
			}
			if (ss && st->vals[ss].owned > 0) {
				st->vals[ss].owned--; /* the reference moves into the field */
				st->vals[ss].flags |= ENG_V_STOLEN;
			}
		}
	}
	if (m && !heuristic && m->format_build)
		apply_format_build(st, fn, n, m->format_build, node);
	if (n->dest < 0)
		return;
	uint8_t s = 0;
	if (m && !heuristic) {
		if (ret_arg && (uint32_t)ret_arg <= na && operand_slot(st, &a[ret_arg - 1])) {
			s = operand_slot(st, &a[ret_arg - 1]);
			if (m->ret == MODEL_RET_NEW && !failed)
				acquire_slot(st, s);
			st->bind[n->dest] = s;
			return;
		}
		switch (m->ret) {
		case MODEL_RET_NEW:
		case MODEL_RET_BORROWED:
			s = new_value(st, node);
			if (!s)
				break;
			st->vals[s].flags = ENG_V_OBJ;
			if (m->ret == MODEL_RET_NEW && !failed) {
				st->vals[s].owned = 1;
				st->vals[s].flags |= ENG_V_HAD_OWNED;
			} else if (m->ret == MODEL_RET_BORROWED) {
				/* held-by: a reference the argument holds (Py_TYPE of a heap type's
				 * instance): like a field load, its owner's destructor may release it */
				st->vals[s].flags |= m->held_by ? ENG_V_LOADED : ENG_V_BORROWED;
			}
			if (failed)
				st->vals[s].null = (m->flags & MODEL_NULL_ON_FAILURE) ? ENG_NULL_FAIL : ENG_NULL;
			else if (!(m->flags & (MODEL_NULL_ON_FAILURE | MODEL_MAY_RETURN_NULL)))
				st->vals[s].null = ENG_MAYBE; /* not a failure, but NULL is not excluded */
			if (m->borrowed_from > 0 && (uint32_t)m->borrowed_from <= na)
				st->vals[s].parent = operand_slot(st, &a[m->borrowed_from - 1]);
			if (m->element_of > 0 && (uint32_t)m->element_of <= na && operand_slot(st, &a[m->element_of - 1])) {
				st->vals[s].parent = operand_slot(st, &a[m->element_of - 1]);
				st->vals[s].flags |= ENG_V_ELEMENT;
			}
			break;
		case MODEL_RET_INT:
			s = new_value(st, node);
			if (!s)
				break;
			st->vals[s].flags = ENG_V_INT;
			if (m->nonnull_if_true > 0 && (uint32_t)m->nonnull_if_true <= na &&
			    operand_slot(st, &a[m->nonnull_if_true - 1])) {
				st->vals[s].flags |= ENG_V_INT_TESTS; /* PyCallable_Check(x) */
				st->vals[s].parent = operand_slot(st, &a[m->nonnull_if_true - 1]);
			}
			if (m->flags & MODEL_NEG_ON_FAILURE) {
				st->vals[s].sign = failed ? ENG_SIGN_NEG : ENG_SIGN_NONNEG;
				if (!failed && (m->flags & MODEL_ZERO_ON_SUCCESS)) {
					st->vals[s].flags |= ENG_V_INT_KNOWN; /* "0 on success, -1 on failure" */
					st->vals[s].ival = 0;
				}
			} else if (m->flags & MODEL_ZERO_ON_FAILURE) {
				if (failed) {
					st->vals[s].flags |= ENG_V_INT_KNOWN;
					st->vals[s].ival = 0;
					st->vals[s].sign = ENG_SIGN_NONNEG;
				} else {
					st->vals[s].sign = ENG_SIGN_NONZERO;
				}
			}
			break;
		default:
			break;
		}
	}
	st->bind[n->dest] = s;
}

/* ---- index ranges: PyTuple_GetItem(t, i) cannot fail when i is below the size of t -------------
 * A call whose model names an index argument (index-arg) fails only for an index out of the
 * container's range. The pass below, over the whole function and not per path, finds calls whose
 * index the function compares with the container's size: `i < n` with n the result of a size-of
 * call on the same container var (or a copy of it), or a constant index (or `i < K`) below a
 * constant the size is compared with (`PyTuple_GET_SIZE(t) != 2` before `PyTuple_GetItem(t, 1)`).
 * Such calls do not fork a failure. Not path-sensitive: a comparison anywhere in the function
 * counts, which is what code that checks sizes and then indexes looks like. */

#define NO_CONTAINER (-1)
#define MANY_CONTAINERS (-3)

/* The container var whose size the operand is (a size-of result or a copy), or -1. */
static int32_t size_container(const int32_t *size_of, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR && size_of[o->var] >= 0 ? size_of[o->var] : NO_CONTAINER;
}

static void note_size(int32_t *size_of, int32_t var, int32_t container, int *changed)
{
	int32_t old = size_of[var];
	int32_t now = old == NO_CONTAINER ? container : (old == container ? old : MANY_CONTAINERS);
	if (now != old) {
		size_of[var] = now;
		*changed = 1;
	}
}

static uint8_t *index_ranges(const struct ir_func *fn)
{
	int any = 0;
	for (uint32_t k = 0; k < fn->nnodes && !any; k++)
		any = fn->nodes[k].op == IR_CALL && fn->nodes[k].model && fn->nodes[k].model->index_arg;
	if (!any || !fn->nvars)
		return NULL;
	int32_t *size_of = util_xrealloc(NULL, fn->nvars * sizeof *size_of);
	for (uint32_t v = 0; v < fn->nvars; v++)
		size_of[v] = NO_CONTAINER;
	/* vars holding the size of a container: size-of call results and their copies; a var
	 * assigned anything else (but a constant <= 0, as in `t ? PyTuple_GET_SIZE(t) : -1`) holds
	 * no known size */
	int changed = 1;
	for (int round = 0; changed && round < 8; round++) {
		changed = 0;
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			const struct ir_node *n = &fn->nodes[k];
			const struct ir_operand *a = ir_args(fn, n);
			if (n->dest < 0)
				continue;
			if (n->op == IR_CALL) {
				const struct model_fn *m = n->model;
				if (m && m->size_of > 0 && (uint32_t)m->size_of <= n->nargs && a[m->size_of - 1].kind == IR_OPND_VAR)
					note_size(size_of, n->dest, a[m->size_of - 1].var, &changed);
				else
					note_size(size_of, n->dest, MANY_CONTAINERS, &changed);
			} else if (n->op == IR_ASSIGN && n->nargs) {
				if (a[0].kind == IR_OPND_VAR && size_of[a[0].var] != NO_CONTAINER)
					note_size(size_of, n->dest, size_of[a[0].var], &changed);
				else if (a[0].kind == IR_OPND_LOAD && a[0].var >= 0 && a[0].str && !strcmp(a[0].str, "ob_size"))
					note_size(size_of, n->dest, a[0].var, &changed); /* Py_SIZE as a macro */
				else if (!(a[0].kind == IR_OPND_INT && a[0].ival <= 0))
					note_size(size_of, n->dest, MANY_CONTAINERS, &changed);
			}
		}
	}
	/* what the comparisons say: index var < size of container; index var < K; size >= K */
	struct bound {
		int32_t var;   /* index var, or container var (size bounds) */
		int32_t other; /* container (index < size), or -1 */
		int64_t k;
	} *lt_size = NULL, *lt_const = NULL, *size_ge = NULL;
	uint32_t nlt_size = 0, nlt_const = 0, nsize_ge = 0;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct ir_operand *a = ir_args(fn, n);
		if (n->op != IR_BRANCH)
			continue;
		int32_t c0 = n->nargs ? size_container(size_of, &a[0]) : NO_CONTAINER;
		if (n->cond == IR_COND_LT && n->nargs == 2) {
			int32_t c1 = size_container(size_of, &a[1]);
			if (a[0].kind == IR_OPND_VAR && c1 >= 0) {
				lt_size = util_xrealloc(lt_size, (nlt_size + 1) * sizeof *lt_size);
				lt_size[nlt_size++] = (struct bound){ a[0].var, c1, 0 };
			} else if (a[0].kind == IR_OPND_VAR && a[1].kind == IR_OPND_INT) {
				lt_const = util_xrealloc(lt_const, (nlt_const + 1) * sizeof *lt_const);
				lt_const[nlt_const++] = (struct bound){ a[0].var, -1, a[1].ival };
			}
			if (c0 >= 0 && a[1].kind == IR_OPND_INT) { /* size < K, K on its other edge */
				size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
				size_ge[nsize_ge++] = (struct bound){ c0, -1, a[1].ival };
			} else if (c1 >= 0 && a[0].kind == IR_OPND_INT) { /* K < size */
				size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
				size_ge[nsize_ge++] = (struct bound){ c1, -1, a[0].ival + 1 };
			}
		} else if (n->cond == IR_COND_EQ && c0 >= 0) {
			size_ge = util_xrealloc(size_ge, (nsize_ge + 1) * sizeof *size_ge);
			size_ge[nsize_ge++] = (struct bound){ c0, -1, n->ival };
		}
	}
	uint8_t *in_range = util_xcalloc(fn->nnodes, 1);
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		const struct model_fn *m = n->model;
		if (n->op != IR_CALL || !m || m->index_arg < 2 || (uint32_t)m->index_arg > n->nargs)
			continue;
		const struct ir_operand *a = ir_args(fn, n);
		const struct ir_operand *t = &a[0], *i = &a[m->index_arg - 1];
		if (t->kind != IR_OPND_VAR)
			continue;
		/* the least size the function compares t's size with (every such comparison counts) */
		int64_t least = -1;
		for (uint32_t b = 0; b < nsize_ge; b++)
			if (size_ge[b].var == t->var && (least < 0 || size_ge[b].k < least))
				least = size_ge[b].k;
		int ok = 0;
		if (i->kind == IR_OPND_INT) {
			ok = i->ival >= 0 && i->ival < least;
		} else if (i->kind == IR_OPND_VAR) {
			for (uint32_t b = 0; b < nlt_size && !ok; b++)
				ok = lt_size[b].var == i->var && lt_size[b].other == t->var;
			/* i < K with K at most the least size: every K the function compares i with */
			int64_t most = -1;
			for (uint32_t b = 0; b < nlt_const; b++)
				if (lt_const[b].var == i->var && lt_const[b].k > most)
					most = lt_const[b].k;
			ok = ok || (most > 0 && least >= most);
		}
		in_range[k] = (uint8_t)ok;
	}
	free(lt_size);
	free(lt_const);
	free(size_ge);
	free(size_of);
	return in_range;
}

static int call_forks(const struct engine *eng, const struct ir_node *n)
{
	const struct ir_func *fn = eng->fn;
	const struct model_fn *m = n->model;
	if (!m || (m->flags & MODEL_HEURISTIC))
		return 0;
	/* PyTuple_GetItem(t, i) with i checked against the size of t (index_ranges) */
	if (m->index_arg && eng->in_range && eng->in_range[n - fn->nodes])
		return 0;
	/* PyLong_FromLong(1): CPython keeps the small ints, the call cannot fail */
	if ((m->flags & MODEL_SMALL_INT) && n->nargs >= 1 && ir_args(fn, n)[0].kind == IR_OPND_INT &&
	    ir_args(fn, n)[0].ival >= -5 && ir_args(fn, n)[0].ival <= 256)
		return 0;
	int has_ok = model_mask(m, MODEL_STEALS_OK, n->nargs) != 0 || model_mask(m, MODEL_OUT_NEW, n->nargs) != 0 ||
		     m->format_parse || m->unpack_borrowed;
	if ((m->ret == MODEL_RET_NEW || m->ret == MODEL_RET_BORROWED) &&
	    (m->flags & (MODEL_NULL_ON_FAILURE | MODEL_MAY_RETURN_NULL)))
		return n->dest >= 0 || has_ok;
	if (m->flags & (MODEL_NEG_ON_FAILURE | MODEL_ZERO_ON_FAILURE))
		return n->dest >= 0 || has_ok;
	return 0;
}

static void assign_operand(struct engine *eng, struct eng_state *st, int32_t node, int32_t dest,
			   const struct ir_operand *o)
{
	uint8_t s = 0;
	switch (o->kind) {
	case IR_OPND_VAR:
		s = st->bind[o->var];
		break;
	case IR_OPND_NULL:
		s = new_value(st, node);
		if (s)
			st->vals[s].null = ENG_NULL;
		break;
	case IR_OPND_INT:
		if (eng->fn->vars[dest].flags & IR_VAR_PTR) {
			if (o->ival == 0) {
				s = new_value(st, node);
				if (s)
					st->vals[s].null = ENG_NULL;
			}
			break;
		}
		if (o->ival < -1000000 || o->ival > 1000000)
			break;
		s = new_value(st, node);
		if (s) {
			st->vals[s].flags = ENG_V_INT | ENG_V_INT_KNOWN;
			st->vals[s].ival = (int32_t)o->ival;
			st->vals[s].sign = o->ival < 0 ? ENG_SIGN_NEG : ENG_SIGN_NONNEG;
		}
		break;
	case IR_OPND_LOAD:
		if (!(eng->fn->vars[dest].flags & IR_VAR_PTR))
			break;
		s = find_field(eng->fn, st, o);
		if (s)
			break;
		s = new_value(st, node);
		if (s && o->var == -2 && o->ival == 1) {
			/* a global the model says is borrowed (Py_None's struct, kv_empty) */
			st->vals[s].flags = ENG_V_BORROWED | ENG_V_OBJ;
			st->vals[s].null = ENG_NONNULL;
			break;
		}
		if (s) {
			st->vals[s].flags = ENG_V_LOADED;
			st->vals[s].null = ENG_MAYBE;
			/* p->f lives as long as the object p holds: it dies when p's last reference goes */
			if (o->var >= 0 && st->bind[o->var] && !st->vals[st->bind[o->var]].param)
				st->vals[s].parent = st->bind[o->var];
			if (o->var != -1 && o->str) {
				st->vals[s].flags |= ENG_V_FIELD;
				st->vals[s].key_site = node;
			}
		}
		break;
	default:
		break;
	}
	st->bind[dest] = s;
}

/* Refines value slot s for one branch direction; returns 0 when that direction is infeasible. */
static int refine(const struct ir_func *fn, struct eng_state *st, uint8_t s, const struct ir_node *n, int taken_true)
{
	if (!s)
		return 1;
	struct eng_value *v = &st->vals[s];
	int is_int = (v->flags & ENG_V_INT) != 0;
	switch (n->cond) {
	case IR_COND_NULL:
		if (is_int) {
			if (!taken_true && (v->flags & ENG_V_INT_TESTS) && v->parent) {
				struct eng_value *o = &st->vals[v->parent];
				if (o->null == ENG_NULL || o->null == ENG_NULL_FAIL)
					return 0; /* non-zero for a NULL argument: impossible */
				o->null = ENG_NONNULL;
			}
			if (v->flags & ENG_V_INT_KNOWN)
				return (v->ival == 0) == taken_true;
			if (v->sign == ENG_SIGN_NEG || v->sign == ENG_SIGN_NONZERO)
				return !taken_true;
			if (taken_true) {
				v->flags |= ENG_V_INT_KNOWN;
				v->ival = 0;
				v->sign = ENG_SIGN_NONNEG;
			}
			return 1;
		}
		if (v->null == ENG_NONNULL)
			return !taken_true;
		if (v->null == ENG_NULL || v->null == ENG_NULL_FAIL)
			return taken_true; /* a use after "if (!x)" is still a use of the failed result */
		if (taken_true) {
			v->null = ENG_NULL;
			v->owned = 0;
		} else {
			v->null = ENG_NONNULL;
		}
		return 1;
	case IR_COND_NEG:
		if (!is_int)
			return 1;
		if (v->flags & ENG_V_INT_KNOWN)
			return (v->ival < 0) == taken_true;
		if (v->sign == ENG_SIGN_NEG)
			return taken_true;
		if (v->sign == ENG_SIGN_NONNEG)
			return !taken_true;
		if (v->sign == ENG_SIGN_NONZERO && !taken_true)
			return 1;
		v->sign = taken_true ? ENG_SIGN_NEG : ENG_SIGN_NONNEG;
		return 1;
	case IR_COND_IS:
		/* the address of a global is never NULL: a failed result is never equal to it */
		if (taken_true && !is_int && (v->null == ENG_NULL || v->null == ENG_NULL_FAIL))
			return 0;
		/* x == &G taken: x is G from here on (a later Py_DECREF(&G) releases x) */
		if (taken_true && !is_int && n->nargs > 1 && v->sign == ENG_SIGN_ANY) {
			v->sign = ENG_SIGN_IS_GLOBAL;
			v->ival = (int32_t)(n->arg0 + 1);
			if (v->null != ENG_NULL && v->null != ENG_NULL_FAIL)
				v->null = ENG_NONNULL;
		}
		(void)fn;
		return 1;
	case IR_COND_EQ:
		if (!is_int)
			return 1;
		if (v->flags & ENG_V_INT_KNOWN)
			return (v->ival == n->ival) == taken_true;
		if (v->sign == ENG_SIGN_NEG && n->ival >= 0)
			return !taken_true;
		if (v->sign == ENG_SIGN_NONNEG && n->ival < 0)
			return !taken_true;
		if (taken_true && n->ival >= -1000000 && n->ival <= 1000000) {
			v->flags |= ENG_V_INT_KNOWN;
			v->ival = (int32_t)n->ival;
			v->sign = n->ival < 0 ? ENG_SIGN_NEG : ENG_SIGN_NONNEG;
		}
		return 1;
	default:
		return 1;
	}
}

static int global_acquired_before(const struct ir_func *fn, const struct ir_node *ret, const char *g)
{
	int32_t at = (int32_t)(ret - fn->nodes);
	for (int steps = 0; steps < 8 && g; steps++) {
		int32_t pred = -1;
		int npred = 0;
		for (uint32_t k = 0; k < fn->nnodes; k++)
			for (int s = 0; s < 2; s++)
				if (fn->nodes[k].succ[s] == at) {
					pred = (int32_t)k;
					npred++;
				}
		if (npred != 1)
			return 0;
		const struct ir_node *p = &fn->nodes[pred];
		if (p->op == IR_BRANCH || p->op == IR_RETURN)
			return 0;
		if (p->op == IR_CALL && p->model && !(p->model->flags & MODEL_HEURISTIC)) {
			uint32_t acq = model_mask(p->model, MODEL_ACQUIRES, p->nargs);
			const struct ir_operand *a = ir_args(fn, p);
			for (uint32_t k = 0; k < p->nargs && k < 32; k++)
				if ((acq & (1u << k)) && a[k].kind == IR_OPND_FIELD && a[k].var == -2 && a[k].str &&
				    !strcmp(a[k].str, g))
					return 1;
		}
		at = pred;
	}
	return 0;
}

/* Asked at every state that reaches a return of a global, and each answer scans the function:
 * answers are kept per return node (g is always that return's operand). */
int engine_ownership_flag(const struct ir_func *fn)
{
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op != IR_STORE || n->nargs < 2)
			continue;
		const struct ir_operand *a = ir_args(fn, n);
		if (a[0].kind != IR_OPND_INT || a[1].kind != IR_OPND_LOAD || a[1].var < 0 || !a[1].str ||
		    strcmp(a[1].str, "*") || !(fn->vars[a[1].var].flags & IR_VAR_PARAM))
			continue;
		for (uint32_t j = k + 1; j < fn->nnodes; j++) {
			const struct ir_node *m = &fn->nodes[j];
			if (m->op != IR_STORE || m->nargs < 2)
				continue;
			const struct ir_operand *b = ir_args(fn, m);
			if (b[0].kind == IR_OPND_INT && b[0].ival != a[0].ival && b[1].kind == IR_OPND_LOAD &&
			    b[1].var == a[1].var && b[1].str && !strcmp(b[1].str, "*"))
				return 1;
		}
	}
	return 0;
}

int engine_owned_by_memory(const struct ir_func *fn, const struct eng_value *v)
{
	if (v->owned != 1 || (v->flags & (ENG_V_STORED | ENG_V_ESCAPED)) != (ENG_V_STORED | ENG_V_ESCAPED))
		return 0;
	if (!(v->flags & ENG_V_FIELD))
		return 1; /* stored into anonymous memory: an element (cache[n] = x) */
	if (v->key_site < 0 || (uint32_t)v->key_site >= fn->nnodes)
		return 0;
	const struct ir_node *n = &fn->nodes[v->key_site];
	return n->op == IR_STORE && n->nargs > 1 && ir_args(fn, n)[1].var == -2; /* a global */
}

int engine_global_acquired_before(struct engine *eng, const struct ir_node *ret, const char *g)
{
	const struct ir_func *fn = eng->fn;
	uint32_t at = (uint32_t)(ret - fn->nodes);
	if (!eng->global_acq)
		eng->global_acq = util_xcalloc(fn->nnodes, 1);
	if (!eng->global_acq[at])
		eng->global_acq[at] = global_acquired_before(fn, ret, g) ? 2 : 1;
	return eng->global_acq[at] == 2;
}

static void record_return(struct engine *eng, const struct eng_state *st, const struct ir_node *n)
{
	struct ret_info *ri = &eng->ret;
	const struct ir_func *fn = eng->fn;
	const struct eng_value *rv = NULL;
	if (fn->returns_ptr && n->nargs) {
		const struct ir_operand *o = ir_args(fn, n);
		const struct eng_value *v = engine_operand_value(st, o);
		int null = o->kind == IR_OPND_NULL || (o->kind == IR_OPND_INT && o->ival == 0) ||
			   (v && (v->null == ENG_NULL || v->null == ENG_NULL_FAIL));
		if (null)
			ri->saw_null = 1;
		else if (o->kind == IR_OPND_FIELD && o->var == -2 && engine_global_acquired_before(eng, n, o->str))
			ri->saw_new = 1; /* Py_INCREF(Py_True); return Py_True; */
		else if (o->kind == IR_OPND_FIELD && o->var == -2 && arg_slot(fn, st, o) &&
			 st->vals[arg_slot(fn, st, o)].owned > 0)
			ri->saw_new = 1; /* if (r == Py_None) return Py_None; with r owned */
		else if (o->kind == IR_OPND_FIELD && o->var == -2)
			ri->saw_borrowed = 1; /* &static_object */
		else if (v && engine_owned_by_memory(fn, v))
			ri->saw_borrowed = 1; /* cache[n] = x; return x;: the cache owns it */
		else if (v && v->owned > 0)
			ri->saw_new = 1;
		else if (v && v->param && !(v->flags & (ENG_V_FREED | ENG_V_ESCAPED)))
			ri->saw_param = 1; /* borrowed, or passed through by a function consuming it */
		else if (v && (v->flags & (ENG_V_BORROWED | ENG_V_LOADED)))
			ri->saw_borrowed = 1;
		else
			ri->saw_other = 1;
		if (!null) {
			if (v && v->param && (!ri->ret_param || ri->ret_param == v->param))
				ri->ret_param = v->param;
			else
				ri->ret_mixed = 1;
			rv = v;
		}
	}
	int failing = 0;
	if (n->nargs) {
		const struct ir_operand *o = ir_args(fn, n);
		const struct eng_value *v = engine_operand_value(st, o);
		if (fn->returns_ptr) {
			failing = o->kind == IR_OPND_NULL || (o->kind == IR_OPND_INT && o->ival == 0) ||
				  (v && (v->null == ENG_NULL || v->null == ENG_NULL_FAIL));
		} else {
			int known = o->kind == IR_OPND_INT || (v && (v->flags & ENG_V_INT_KNOWN));
			int64_t iv = o->kind == IR_OPND_INT ? o->ival : v && known ? v->ival : 0;
			failing = known && iv < 0;
			if (failing)
				ri->int_fail = 1;
			else if (known)
				ri->int_ok = 1;
			else
				ri->int_other = 1;
		}
	}
	if (!ri->delta) {
		size_t np = (size_t)fn->nparams + 1;
		ri->delta = util_xcalloc(np, 1);
		ri->delta_mixed = util_xcalloc(np, 1);
		ri->tdelta = util_xcalloc(np, 1);
		ri->tdelta_mixed = util_xcalloc(np, 1);
		ri->seen = util_xcalloc(np, 1);
		ri->passed = util_xcalloc(np, 1);
		ri->ret_odd = util_xcalloc(np, 1);
		ri->was_null = util_xcalloc(np, 1);
		ri->went_down = util_xcalloc(np, 1);
		ri->kept_all = util_xcalloc(np, 1);
		ri->fdelta = util_xcalloc(np, 1);
		ri->odelta = util_xcalloc(np, 1);
		ri->fmixed = util_xcalloc(np, 1);
		ri->omixed = util_xcalloc(np, 1);
		ri->fseen = util_xcalloc(np, 1);
		ri->oseen = util_xcalloc(np, 1);
	}
	for (uint32_t s = 1; s <= st->nvals; s++) {
		const struct eng_value *v = &st->vals[s];
		if (!v->param || v->param > fn->nparams)
			continue;
		int p = v->param - 1;
		if (v->null == ENG_NULL) {
			ri->was_null[p] = 1;
			continue;
		}
		if (v == rv) {
			if (v->mdelta == 0 && v->owned == 0)
				ri->passed[p] = 1;
			else if (v->mdelta != 1)
				ri->ret_odd[p] = 1;
			continue;
		}
		/* handed over to a callee that steals it (PyTuple_SET_ITEM, Py_BuildValue "N"): for the
		 * caller the reference is gone as if released */
		int stolen = (v->flags & ENG_V_STOLEN) != 0;
		int8_t md = (int8_t)(v->mdelta - stolen), td = (int8_t)(v->delta - stolen);
		/* Py_INCREF(o); self->f = o: the added reference is the memory's, not the caller's */
		if (md > 0 && (v->flags & (ENG_V_ESCAPED | ENG_V_FIELD)))
			md = td = 0;
		if (md < 0)
			ri->went_down[p] = 1;
		int8_t *sd = failing ? ri->fdelta : ri->odelta;
		uint8_t *sm = failing ? ri->fmixed : ri->omixed, *ss = failing ? ri->fseen : ri->oseen;
		if (!ss[p]) {
			sd[p] = md;
			ss[p] = 1;
		} else if (sd[p] != md) {
			sm[p] = 1;
		}
		int kept = 0;
		if ((v->flags & ENG_V_STORED) && v->mdelta == 0 && !stolen && v->key_site >= 0 &&
		    (uint32_t)v->key_site < fn->nnodes && fn->nodes[v->key_site].op == IR_STORE &&
		    fn->nodes[v->key_site].nargs > 1)
			kept = field_released(eng, ir_args(fn, &fn->nodes[v->key_site])[1].str);
		ri->kept_all[p] = ri->seen[p] ? (ri->kept_all[p] && kept) : kept;
		if (!ri->seen[p]) {
			ri->delta[p] = md;
			ri->tdelta[p] = td;
			ri->seen[p] = 1;
		} else {
			if (ri->delta[p] != md)
				ri->delta_mixed[p] = 1;
			if (ri->tdelta[p] != td)
				ri->tdelta_mixed[p] = 1;
		}
	}
	ri->have_delta = 1;
}

/* A function named for it (`_steal_accumulate`, `list_append_steal`) takes its argument over. */
static int name_says_steal(const char *name)
{
	for (const char *p = name; p && *p; p++)
		if ((p[0] == 's' || p[0] == 'S') && !strncasecmp(p, "steal", 5))
			return 1;
	return 0;
}

/* A `void *` parameter released as an object (a callback of a parser table: the contract that
 * it consumes the reference is the table's, not the type's). */
static int param_is_opaque(const struct ir_func *fn, int p)
{
	for (uint32_t i = 0; i < fn->nvars; i++)
		if (fn->vars[i].param == p)
			return (fn->vars[i].flags & IR_VAR_OPAQUE) != 0;
	return 0;
}

/* Parameter p (0-based) released on every success path and kept on every failure path. */
static int steals_on_success(const struct engine *eng, int p)
{
	const struct ret_info *ri = &eng->ret;
	int status = eng->fn->returns_ptr ? ri->saw_null : (ri->int_fail && ri->int_ok && !ri->int_other);
	return status && ri->oseen[p] && ri->fseen[p] && !ri->omixed[p] && !ri->fmixed[p] && ri->odelta[p] == -1 &&
	       ri->fdelta[p] == 0;
}

/* Parameter p (0-based) released on every failure path and kept on every success path: a
 * helper that takes the caller's fresh reference only to drop it when it fails
 * (`if (!ok) { Py_DECREF(obj); return -1; } return 0;`, the caller returning at once). */
static int steals_on_failure(const struct engine *eng, int p)
{
	const struct ret_info *ri = &eng->ret;
	int status = eng->fn->returns_ptr ? ri->saw_null : (ri->int_fail && ri->int_ok && !ri->int_other);
	return status && ri->oseen[p] && ri->fseen[p] && !ri->omixed[p] && !ri->fmixed[p] && ri->odelta[p] == 0 &&
	       ri->fdelta[p] == -1;
}

int engine_param_acquired(const struct engine *eng, int param)
{
	const struct ret_info *ri = &eng->ret;
	if (!ri->have_delta || !ri->seen || param < 1 || param > eng->fn->nparams)
		return 0;
	int p = param - 1;
	/* tested for NULL, one reference taken on every other path: a take-a-reference helper */
	return ri->seen[p] && !ri->delta_mixed[p] && ri->delta[p] == 1 && !ri->ret_odd[p] && ri->was_null[p];
}

/* The rules of engine_param_consumed, for parameter p (0-based); `others`: some other parameter
 * is consumed by these rules. */
static int param_consumed(const struct engine *eng, int p, int others)
{
	const struct ret_info *ri = &eng->ret;
	if (ri->delta_mixed[p] && !ri->ret_odd[p] && (steals_on_success(eng, p) || steals_on_failure(eng, p)))
		return 1;
	if (!ri->seen[p] || ri->delta_mixed[p] || ri->delta[p] != -1 || ri->ret_odd[p])
		return 0;
	/* releasing a parameter everywhere is by design only for a function made to receive fresh
	 * references: one that accepts a failed result (tests it for NULL: f(PyObject_Str(x)), or
	 * hands it to an API that takes NULL there: PyErr_Restore(t, v, tb)) or passes the
	 * reference on as its result; otherwise it is the caller's reference released. A
	 * Py_XDECREF(p) says the same only next to another parameter consumed by design
	 * (`if (cb) { ...; Py_DECREF(cb); } Py_XDECREF(arg);`): alone it is as often a cleanup
	 * label releasing a parameter by mistake. A callback handed to a C library (a destroy
	 * function) has the library's contract: it receives the reference to drop. */
	uint32_t bit = p < 32 ? 1u << p : 0;
	return ri->was_null[p] || ri->passed[p] || name_says_steal(eng->fn->name) || param_is_opaque(eng->fn, p) ||
	       eng->fn->callback || (ri->xsteal & bit) || (others && (ri->xrelease & bit));
}

int engine_param_consumed(const struct engine *eng, int param)
{
	const struct ret_info *ri = &eng->ret;
	/* functions CPython calls (methods, getters, slots) borrow their arguments: that contract
	 * is known, no design of their own can change it */
	if (eng->fn->py_callable)
		return 0;
	if (!ri->have_delta || !ri->seen || param < 1 || param > eng->fn->nparams)
		return 0;
	int p = param - 1;
	if (param_consumed(eng, p, 0))
		return 1;
	if (p >= 32 || !(ri->xrelease & (1u << p)))
		return 0;
	for (int q = 0; q < eng->fn->nparams; q++)
		if (q != p && param_consumed(eng, q, 0))
			return param_consumed(eng, p, 1);
	return 0;
}

/* Processes one record: fires the events of its node and pushes the successor states. */
static void step(struct engine *eng, int32_t r)
{
	const struct ir_func *fn = eng->fn;
	eng->cur = r;
	int32_t node = eng->recs[r].node;
	const struct ir_node *n = &fn->nodes[node];
	const struct ir_operand *a = ir_args(fn, n);
	struct eng_state *st = &eng->a, *w = &eng->b;
	deserialize(eng, &eng->recs[r], st);
	switch (n->op) {
	case IR_NOP:
		state_copy(w, st);
		push_state(eng, w, n->succ[0], VIA_PLAIN);
		break;
	case IR_CALL: {
		fire(eng, ENG_EV_CALL, node, st, -1, 0);
		/* parameters dereferenced by a callee that does not accept NULL */
		if (n->model && !(n->model->flags & MODEL_HEURISTIC)) {
			for (uint32_t k = 0; k < n->nargs && k < 32; k++) {
				const struct eng_value *v = engine_operand_value(st, &a[k]);
				if (v && v->param && v->null == ENG_MAYBE &&
				    !(model_null_ok(n->model, n->nargs) & (1u << k)) &&
				    v->param <= 32)
					eng->ret.deref_unchecked |= 1u << (v->param - 1);
			}
		}
		if ((n->flags & IR_NODE_NORETURN) ||
		    (n->model && (n->model->flags & (MODEL_NORETURN | MODEL_RETURN_STMT))))
			break;
		int forks = call_forks(eng, n);
		state_copy(w, st);
		do_call(eng, w, node, 0);
		push_state(eng, w, n->succ[0], forks ? VIA_OK : VIA_PLAIN);
		if (forks) {
			state_copy(w, st);
			do_call(eng, w, node, 1);
			push_state(eng, w, n->succ[0], VIA_FAIL);
		}
		break;
	}
	case IR_ASSIGN:
		fire(eng, ENG_EV_ASSIGN, node, st, n->dest, 0);
		state_copy(w, st);
		assign_operand(eng, w, node, n->dest, &a[0]);
		if (!(fn->vars[n->dest].flags & IR_VAR_TEMP))
			unlink_base(fn, w, n->dest); /* p = ...: p->f names other memory now */
		push_state(eng, w, n->succ[0], VIA_PLAIN);
		break;
	case IR_KILL:
		state_copy(w, st);
		for (uint32_t k = 0; k < n->nargs; k++) {
			if (a[k].kind != IR_OPND_VAR || !w->bind[a[k].var])
				continue;
			fire(eng, ENG_EV_ASSIGN, node, w, a[k].var, 0);
			w->bind[a[k].var] = 0;
		}
		push_state(eng, w, n->succ[0], VIA_PLAIN);
		break;
	case IR_STORE:
		state_copy(w, st);
		if (n->nargs > 1) {
			/* tmp = p->f; p->f = NULL: the container's reference moves to the function */
			uint8_t old = find_field(fn, w, &a[1]);
			if (old && a[0].kind == IR_OPND_NULL && w->vals[old].owned < 100) {
				w->vals[old].owned++;
				w->vals[old].flags |= ENG_V_HAD_OWNED;
			}
			unlink_field(fn, w, &a[1]);
		}
		if (n->nargs > 1 && a[1].var >= 0 && a[1].str && a[1].str[0] == '*' && fn->vars[a[1].var].param >= 0 &&
		    w->bind[a[1].var] && a[0].kind == IR_OPND_VAR && w->bind[a[0].var]) {
			const struct eng_value *v = &w->vals[w->bind[a[0].var]];
			if (v->flags & (ENG_V_OBJ | ENG_V_BORROWED | ENG_V_LOADED | ENG_V_HAD_OWNED) || v->param)
				w->vals[w->bind[a[1].var]].flags |= v->owned > 0 ? ENG_V_OUT_OWNED : ENG_V_OUT_BORROWED;
		}
		if (n->nargs && arg_slot(fn, w, &a[0])) { /* a var, or &G naming a value (x == &G) */
			struct eng_value *v = &w->vals[arg_slot(fn, w, &a[0])];
			v->flags |= ENG_V_STORED;
			if (v->owned > 0)
				v->flags |= ENG_V_ESCAPED;
			if (n->nargs > 1 && a[1].var != -1 && a[1].str && !(v->flags & ENG_V_FIELD)) {
				v->flags |= ENG_V_FIELD; /* p->f = v; later loads of p->f give v */
				v->key_site = node;
			}
		}
		push_state(eng, w, n->succ[0], VIA_PLAIN);
		break;
	case IR_USE: {
		fire(eng, ENG_EV_USE, node, st, -1, 0);
		state_copy(w, st);
		uint8_t s = n->nargs ? operand_slot(w, &a[0]) : 0;
		if (s) {
			struct eng_value *v = &w->vals[s];
			if (v->param && v->null == ENG_MAYBE && v->param <= 32)
				eng->ret.deref_unchecked |= 1u << (v->param - 1);
			if (v->null == ENG_MAYBE)
				v->null = ENG_NONNULL; /* it was dereferenced: from here on it is not NULL */
			else if (v->null == ENG_NULL_FAIL || v->null == ENG_NULL)
				break; /* the program stops here (reported by rc-unchecked-null): a helper
					* that dereferences an unchecked allocation does not return NULL */
		}
		push_state(eng, w, n->succ[0], VIA_PLAIN);
		break;
	}
	case IR_COUNT: {
		state_copy(w, st);
		uint8_t s = n->nargs ? operand_slot(w, &a[0]) : 0;
		if (s)
			w->vals[s].delta = (int8_t)(w->vals[s].delta + (n->ival > 0 ? 1 : -1));
		push_state(eng, w, n->succ[0], VIA_PLAIN);
		break;
	}
	case IR_BRANCH: {
		uint8_t s = n->nargs ? operand_slot(st, &a[0]) : 0;
		for (int t = 0; t < 2; t++) {
			if (n->succ[t] < 0)
				continue;
			state_copy(w, st);
			uint8_t ws = s;
			if (!ws && t == 0 && n->cond == IR_COND_IS && a[0].kind == IR_OPND_VAR) {
				/* x == &G with x untracked (from an unknown call): on the equal edge x
				 * is G, an object whose references the analysis does not count */
				ws = new_value(w, node);
				if (ws)
					w->bind[a[0].var] = ws;
			}
			if (!refine(fn, w, ws, n, t == 0))
				continue;
			fire(eng, ENG_EV_BRANCH, node, w, -1, t);
			push_state(eng, w, n->succ[t], (uint8_t)t);
		}
		break;
	}
	case IR_RETURN:
		fire(eng, ENG_EV_RETURN, node, st, -1, 0);
		record_return(eng, st, n);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Driver                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void make_summary(struct engine *eng, struct eng_summary *sum)
{
	const struct ir_func *fn = eng->fn;
	struct ret_info *ri = &eng->ret;
	memset(sum, 0, sizeof *sum);
	sum->fn.name = fn->name;
	sum->fn.origin = MODEL_FROM_SUMMARY;
	sum->fn.arg[MODEL_ACCEPTS_NULL] = ~0u & ~ri->deref_unchecked;
	/* a parameter returned as it came: by a function that consumes it (releases it on every
	 * other path), the caller's reference passed on as the result; otherwise borrowed, and the
	 * result is the argument itself when every non-NULL return returns it */
	int ret_p = ri->ret_param && !ri->ret_mixed ? ri->ret_param : 0;
	int flagged = fn->returns_ptr && ri->saw_new && (ri->saw_param || ri->saw_borrowed) && engine_ownership_flag(fn);
	if (flagged) {
		/* new or borrowed as its out-parameter flag says: callers cannot tell, the result is
		 * not followed */
		ri->saw_new = ri->saw_borrowed = ri->saw_param = 0;
		ri->saw_other = 1;
		ret_p = 0;
	}
	if (ri->saw_param) {
		if (ret_p == 0 && ri->ret_param && engine_param_consumed(eng, ri->ret_param))
			ri->saw_new = 1;
		else if (ret_p == 0)
			ri->saw_borrowed = 1;
	}
	if (fn->returns_ptr && ret_p && !ri->ret_odd[ret_p - 1] && !ri->saw_borrowed && !ri->saw_other) {
		sum->fn.returns_arg = (int8_t)ret_p;
		sum->fn.ret = ri->saw_new ? MODEL_RET_NEW : MODEL_RET_BORROWED;
		if (ri->saw_null)
			sum->fn.flags |= ri->saw_new ? MODEL_NULL_ON_FAILURE : MODEL_MAY_RETURN_NULL;
	} else if (fn->returns_ptr) {
		/* untracked results (unknown callees, a recursive call not summarized yet) do not
		 * contradict the paths that return an owned reference; borrowed ones do */
		if (ri->saw_new && !ri->saw_borrowed) {
			sum->fn.ret = MODEL_RET_NEW;
			if (ri->saw_null)
				sum->fn.flags |= MODEL_NULL_ON_FAILURE;
		} else if (ri->saw_borrowed && !ri->saw_new && !ri->saw_other) {
			sum->fn.ret = MODEL_RET_BORROWED;
			if (ri->saw_null)
				sum->fn.flags |= MODEL_MAY_RETURN_NULL;
		}
	}
	if (ri->have_delta) {
		/* int results: negative constants on some paths, other constants on the rest */
		int int_status = !fn->returns_ptr && ri->int_fail && ri->int_ok && !ri->int_other;
		for (int p = 0; p < fn->nparams && p < 32; p++) {
			/* released on every success, kept on every failure: taken over on success only
			 * (a helper like PyModule_AddObject) */
			if (ri->delta_mixed[p] && steals_on_success(eng, p)) {
				sum->fn.arg[MODEL_STEALS_OK] |= 1u << p;
				if (int_status) {
					sum->fn.ret = MODEL_RET_INT;
					sum->fn.flags |= MODEL_NEG_ON_FAILURE;
				} else {
					sum->fn.flags |= MODEL_NULL_ON_FAILURE;
				}
				continue;
			}
			if (ri->delta_mixed[p] && ri->went_down[p]) {
				/* released on some paths only (`if (o->count > 0) Py_DECREF(o)`): after a
				 * call the caller cannot tell whether its reference is still there */
				sum->fn.arg[MODEL_MAY_TAKE] |= 1u << p;
				continue;
			}
			if (ri->delta_mixed[p] || !ri->seen[p])
				continue;
			if (ri->delta[p] == 0 && ri->kept_all[p] && !ri->passed[p]) {
				/* pc->dictObj = obj; (released by another function): the helper keeps the
				 * caller's reference. A field nobody releases holds borrowed pointers. */
				sum->fn.arg[MODEL_STEALS] |= 1u << p;
				continue;
			}
			if (ri->delta[p] == 1 && engine_param_acquired(eng, p + 1))
				sum->fn.arg[MODEL_COUNT_UP] |= 1u << p; /* for a third party: not the caller's */
			else if (ri->delta[p] == 1)
				sum->fn.arg[MODEL_ACQUIRES] |= 1u << p;
			else if (ri->delta[p] == -1)
				sum->fn.arg[MODEL_RELEASES] |= 1u << p;
			else if (!ri->tdelta_mixed[p] && ri->tdelta[p] == 1)
				sum->fn.arg[MODEL_COUNT_UP] |= 1u << p;
			else if (!ri->tdelta_mixed[p] && ri->tdelta[p] == -1)
				sum->fn.arg[MODEL_COUNT_DOWN] |= 1u << p;
		}
	}
	sum->valid = 1;
}

int engine_check_index(const char *id)
{
	for (size_t i = 0; i < engine_ncheck; i++)
		if (!strcmp(engine_checks[i]->id, id))
			return (int)i;
	return -1;
}

uint32_t engine_run(const struct ir_func *fn, const struct engine_options *opt, struct eng_summary *summary)
{
	struct engine eng;
	memset(&eng, 0, sizeof eng);
	eng.fn = fn;
	eng.opt = opt;
	eng.cur = -1;
	eng.returns_new = fn->self_model && fn->self_model->ret == MODEL_RET_NEW && fn->returns_ptr;
	if (fn->nnodes == 0) {
		if (summary)
			summary->valid = 0;
		return 1;
	}
	/* the default budget grows with the function: a large function with few paths completes */
	uint32_t budget = opt->max_states;
	if (!budget)
		budget = ENG_DEFAULT_BUDGET + (fn->nnodes < (1u << 26) ? 4 * fn->nnodes : (1u << 28));
	state_alloc(&eng.a, fn->nvars);
	state_alloc(&eng.b, fn->nvars);
	state_alloc(&eng.c, fn->nvars);
	eng.ser = util_xrealloc(NULL, 1 + fn->nvars + (ENG_MAX_VALUES + 1) * sizeof(struct eng_value));
	eng.check_data = util_xcalloc(engine_ncheck, sizeof *eng.check_data);
	for (size_t i = 0; i < engine_ncheck; i++)
		eng.check_data[i] = engine_checks[i]->data_size ? util_xcalloc(1, engine_checks[i]->data_size) : NULL;
	uint32_t *npred = ir_pred_counts(fn);
	eng.memo = util_xcalloc(fn->nnodes, 1);
	eng.memo[0] = 1;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		if (npred[k] > 1)
			eng.memo[k] = 1;
		if (fn->nodes[k].op == IR_KILL && fn->nodes[k].succ[0] >= 0)
			eng.memo[fn->nodes[k].succ[0]] = 1;
	}
	free(npred);
	compute_liveness(&eng);
	eng.in_range = index_ranges(fn);
	rehash(&eng);

	/* entry state: one value per pointer or integer parameter */
	struct eng_state *st = &eng.c;
	st->nvals = 0;
	memset(st->bind, 0, fn->nvars);
	for (uint32_t i = 0; i < fn->nvars; i++) {
		const struct ir_var *v = &fn->vars[i];
		if (!(v->flags & IR_VAR_PARAM) || !(v->flags & IR_VAR_PTR))
			continue;
		uint8_t s = new_value(st, -1);
		if (!s)
			break;
		st->vals[s].param = v->param + 1;
		/* a parameter var that is reassigned walks a list or is replaced: what it points
		 * to later is not known to be the caller's borrowed reference */
		int reassigned = 0;
		for (uint32_t k = 0; k < fn->nnodes && !reassigned; k++)
			reassigned = fn->nodes[k].op == IR_ASSIGN && fn->nodes[k].dest == (int32_t)i;
		st->vals[s].flags = reassigned ? 0 : ENG_V_BORROWED;
		st->vals[s].null = ENG_MAYBE;
		st->bind[i] = s;
		/* a parameter the function's own model says it takes over: it owns that reference */
		uint32_t np = (uint32_t)fn->nparams;
		uint32_t own = model_mask(fn->self_model, MODEL_STEALS, np) | model_mask(fn->self_model, MODEL_STEALS_OK, np) |
			       model_mask(fn->self_model, MODEL_RELEASES, np);
		if (v->param < 32 && (own & (1u << v->param))) {
			st->vals[s].owned = 1;
			st->vals[s].flags = ENG_V_HAD_OWNED;
		}
	}
	push_state(&eng, st, 0, VIA_PLAIN);

	int complete = 1;
	while (eng.sp) {
		if (eng.nrecs > budget) {
			complete = 0;
			break;
		}
		int32_t r = eng.stack[--eng.sp];
		step(&eng, r);
	}
	eng.cur = -1;
	fire(&eng, ENG_EV_END, -1, NULL, -1, 0);
	if (!complete && opt->incomplete)
		opt->incomplete(opt->ctx, fn, eng.nrecs);
	if (summary) {
		make_summary(&eng, summary);
		summary->valid = complete; /* a partial exploration says nothing reliable to callers */
	}
	uint32_t explored = complete ? eng.nrecs : 0;

	for (size_t i = 0; i < engine_ncheck; i++)
		free(eng.check_data[i]);
	free(eng.check_data);
	for (uint32_t i = 0; i < eng.nreported; i++)
		free(eng.reported[i].var);
	free(eng.reported);
	free(eng.ret.delta);
	free(eng.ret.delta_mixed);
	free(eng.ret.tdelta);
	free(eng.ret.tdelta_mixed);
	free(eng.ret.seen);
	free(eng.ret.passed);
	free(eng.ret.ret_odd);
	free(eng.ret.was_null);
	free(eng.ret.went_down);
	free(eng.ret.kept_all);
	free(eng.ret.fdelta);
	free(eng.ret.odelta);
	free(eng.ret.fmixed);
	free(eng.ret.omixed);
	free(eng.ret.fseen);
	free(eng.ret.oseen);
	free(eng.read_later);
	free(eng.global_acq);
	free(eng.in_range);
	state_free(&eng.a);
	state_free(&eng.b);
	state_free(&eng.c);
	free(eng.ser);
	free(eng.recs);
	free(eng.blob);
	free(eng.buckets);
	free(eng.stack);
	free(eng.memo);
	free(eng.live);
	return explored;
}

/* ------------------------------------------------------------------------------------------ */
/* Unit-level checks                                                                           */
/* ------------------------------------------------------------------------------------------ */

void engine_run_unit(const struct eng_unit *u, const struct engine_options *opt)
{
	for (size_t i = 0; i < engine_ncheck; i++)
		if (engine_checks[i]->unit)
			engine_checks[i]->unit(u, opt, (int)i);
}

void engine_report_unit(const struct engine_options *opt, int check, const struct ir_func *fn, struct ir_loc loc,
			const char *var, struct ir_loc note_loc, const char *note, const char *fmt, ...)
{
	if (!opt->report)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct eng_note n;
	struct eng_finding f;
	memset(&f, 0, sizeof f);
	f.check = check;
	f.func = fn->name;
	f.file = fn->file;
	f.loc = loc;
	f.message = msg;
	f.var = (char *)(var ? var : "");
	if (note) {
		n.loc = note_loc;
		n.message = (char *)note;
		f.notes = &n;
		f.nnotes = 1;
	}
	opt->report(opt->ctx, &f);
}
