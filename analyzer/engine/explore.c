/*
 * explore.c - path exploration (engine.h; docs/analyzer.md, "The engine"): states, their
 * canonical form, the memo table, liveness, the budget, and the events checks subscribe to.
 * What one operation does to a state is transfer.c's; what the returns say is summary.c's.
 */
#define RCCHECK_ENGINE_INTERNAL
#include "engine/engine_impl.h"

#include "models/conventions.h"
#include "util.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void state_alloc(struct eng_state *s, uint32_t nvars)
{
	s->nvars = nvars;
	s->nbind = 0;
	s->nvals = 0;
	s->bind = util_xrealloc(NULL, (nvars + 1) * sizeof *s->bind); /* room for every var */
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
	dst->err = src->err;
	dst->nbind = src->nbind;
	memcpy(dst->bind, src->bind, src->nbind * sizeof *src->bind);
	memcpy(dst->vals + 1, src->vals + 1, src->nvals * sizeof *src->vals);
}

void state_bind(struct eng_state *st, int32_t var, uint8_t slot)
{
	uint32_t i = state_bind_pos(st, (uint32_t)var);
	int found = i < st->nbind && bind_var(st->bind[i]) == (uint32_t)var;
	if (found && slot) {
		st->bind[i] = ((uint32_t)var << 8) | slot;
	} else if (found) {
		memmove(&st->bind[i], &st->bind[i + 1], (st->nbind - i - 1) * sizeof *st->bind);
		st->nbind--;
	} else if (slot) {
		memmove(&st->bind[i + 1], &st->bind[i], (st->nbind - i) * sizeof *st->bind);
		st->bind[i] = ((uint32_t)var << 8) | slot;
		st->nbind++;
	}
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

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* Each distinct callee is looked up once (a function calls the same few names again and again,
 * and a lookup compares the name with every prefix of several lists): an open-addressing table
 * of the first call node of each name. */
uint8_t *engine_call_conventions(const struct ir_func *fn, const struct conventions *c)
{
	uint8_t *r = util_xcalloc(fn->nnodes ? fn->nnodes : 1, 1);
	uint32_t ncalls = 0;
	for (uint32_t k = 0; k < fn->nnodes; k++)
		ncalls += fn->nodes[k].op == IR_CALL && fn->nodes[k].callee;
	uint32_t size = 16;
	while (size < 2 * ncalls)
		size *= 2;
	int32_t *first = util_xrealloc(NULL, size * sizeof *first);
	for (uint32_t i = 0; i < size; i++)
		first[i] = -1;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const char *name = fn->nodes[k].callee;
		if (fn->nodes[k].op != IR_CALL || !name)
			continue;
		uint32_t i = hash_name(name) & (size - 1);
		while (first[i] >= 0 && strcmp(fn->nodes[first[i]].callee, name))
			i = (i + 1) & (size - 1);
		if (first[i] >= 0) {
			r[k] = r[first[i]];
			continue;
		}
		first[i] = (int32_t)k;
		r[k] = (uint8_t)((conv_is(c, CONV_ERROR_QUERY, name) ? CC_ERR_QUERY : 0) |
				 (conv_is(c, CONV_ERROR_SET, name) ? CC_ERR_SET : 0) |
				 (conv_is(c, CONV_ERROR_CLEAR, name) ? CC_ERR_CLEAR : 0) |
				 (conv_has_prefix(c, CONV_ERROR_MAYBE, name) ? CC_ERR_MAYBE : 0) |
				 (conv_has_prefix(c, CONV_ERROR_ON_FAILURE, name) ? CC_ERR_ON_FAILURE : 0) |
				 (conv_has_prefix(c, CONV_FAILS_ON_MEMORY, name) ? CC_FAILS_ON_MEMORY : 0) |
				 (conv_api_borrows(c, name) ? CC_API_BORROWS : 0));
	}
	free(first);
	return r;
}

uint8_t engine_value_byte(const struct engine *eng, const struct eng_value *v, int self, unsigned i)
{
	if (!v || self < 0 || (size_t)self >= engine_ncheck || i >= engine_checks[self]->value_bytes)
		return 0;
	return v->check_bytes[eng->check_off[self] + i];
}

void engine_set_value_byte(struct engine *eng, const struct eng_value *v, int self, unsigned i, uint8_t b)
{
	if (!v || self < 0 || (size_t)self >= engine_ncheck || i >= engine_checks[self]->value_bytes)
		return;
	/* v is a value of the event's state: a scratch copy the engine owns (explore.c's step) */
	((struct eng_value *)v)->check_bytes[eng->check_off[self] + i] = b;
}

int engine_call_null_facts(const struct engine *eng, const struct ir_node *n)
{
	const struct model_fn *m = n->model;
	if (!m || (m->flags & (MODEL_HEURISTIC | MODEL_GUESSED)))
		return 0;
	return m->origin != MODEL_FROM_ANNOTATION || (eng->conv[n - eng->fn->nodes] & CC_API_BORROWS);
}

enum eng_err engine_error_state(const struct eng_state *st)
{
	return (enum eng_err)st->err;
}

const struct eng_value *engine_value(const struct eng_state *st, int32_t var)
{
	if (var < 0 || (uint32_t)var >= st->nvars)
		return NULL;
	uint8_t s = state_slot(st, var);
	return s ? &st->vals[s] : NULL;
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
	for (uint32_t j = 0; j < st->nbind; j++)
		if (bind_slot(st->bind[j]) == slot && (int32_t)bind_var(st->bind[j]) != except)
			n++;
	return n;
}

const char *engine_value_name(const struct engine *eng, const struct eng_state *st, const struct eng_value *v)
{
	uint32_t slot = slot_of(st, v);
	const char *temp = NULL;
	for (uint32_t j = 0; j < st->nbind; j++) {
		uint32_t i = bind_var(st->bind[j]);
		if (bind_slot(st->bind[j]) != slot)
			continue;
		if (!(eng->fn->vars[i].flags & IR_VAR_TEMP))
			return eng->fn->vars[i].name;
		if (!temp)
			temp = eng->fn->vars[i].name;
	}
	if (!temp && v->sign == ENG_SIGN_IS_GLOBAL && v->ival >= 0 && (uint32_t)v->ival < eng->fn->nops &&
	    eng->fn->ops[v->ival].str)
		return ir_global_shown(eng->fn, eng->fn->ops[v->ival].str); /* a static object no var holds: &MyType */
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
	if (v->sign == ENG_SIGN_IS_GLOBAL && v->ival >= 0 && (uint32_t)v->ival < eng->fn->nops &&
	    eng->fn->ops[v->ival].str && !(v->flags & ENG_V_HAD_OWNED)) {
		snprintf(buf, sizeof eng->origin_buf, "the static object '%s'", ir_global_shown(eng->fn, eng->fn->ops[v->ival].str));
		return buf;
	}
	if (v->site >= 0 && (uint32_t)v->site < eng->fn->nnodes) {
		const struct ir_node *n = &eng->fn->nodes[v->site];
		if (n->op == IR_CALL && n->callee) {
			snprintf(buf, sizeof eng->origin_buf, "'%s'", ir_callee_name(n, NULL));
			return buf;
		}
		if (n->op == IR_CALL)
			return "an indirect call";
		return "a load";
	}
	return "an unknown source";
}

/* ------------------------------------------------------------------------------------------ */
/* Canonical form, memo table                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* The most bytes serialize() writes for st. */
static size_t serialized_max(const struct eng_state *st)
{
	return 2 + sizeof st->nbind + st->nbind * sizeof *st->bind + st->nvals * sizeof *st->vals;
}

/* Drops values bound by no var (parameters excepted) and renumbers slots in order of first
 * binding. */
static void canonicalize(struct eng_state *st)
{
	uint8_t map[ENG_MAX_VALUES + 1];
	memset(map, 0, st->nvals + 1);
	uint32_t n = 0;
	int identity = 1;
	for (uint32_t j = 0; j < st->nbind; j++) {
		uint8_t s = bind_slot(st->bind[j]);
		if (!map[s]) {
			map[s] = (uint8_t)++n;
			identity &= map[s] == s;
		}
	}
	for (uint32_t s = 1; s <= st->nvals; s++) {
		const struct eng_value *v = &st->vals[s];
		if (map[s])
			continue;
		/* a value still in the memory it was loaded from or stored into (key_site) is what the
		 * next read of that memory gives: `self->data = PyDict_New(); ... if (self->data ==
		 * NULL)` tests the call's result */
		int keep = v->param || ((v->flags & ENG_V_FIELD) && !(v->flags & ENG_V_FREED)) ||
			   (v->sign == ENG_SIGN_IS_GLOBAL && v->owned > 0) || /* Py_INCREF(&T) before a steal */
			   (v->flags & ENG_V_OWES); /* reported at the return unless paid back */
		if (keep) {
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
		for (uint32_t j = 0; j < st->nbind; j++)
			st->bind[j] = (st->bind[j] & ~0xffu) | map[bind_slot(st->bind[j])];
		memcpy(st->vals + 1, tmp + 1, n * sizeof *tmp);
		st->nvals = n;
	}
}

/* Writes st (canonical) to out, at least serialized_max(st) bytes; returns the length. The
 * form is what memoization compares: equal states, equal bytes. */
static uint32_t serialize(const struct eng_state *st, uint8_t *out)
{
	uint8_t *p = out;
	*p++ = (uint8_t)st->nvals;
	*p++ = st->err;
	memcpy(p, &st->nbind, sizeof st->nbind);
	p += sizeof st->nbind;
	memcpy(p, st->bind, st->nbind * sizeof *st->bind);
	p += st->nbind * sizeof *st->bind;
	memcpy(p, st->vals + 1, st->nvals * sizeof *st->vals);
	p += st->nvals * sizeof *st->vals;
	return (uint32_t)(p - out);
}

static void deserialize(const struct engine *eng, const struct record *r, struct eng_state *st)
{
	const uint8_t *p = eng->blob + r->off;
	st->nvals = *p++;
	st->err = *p++;
	memcpy(&st->nbind, p, sizeof st->nbind);
	p += sizeof st->nbind;
	memcpy(st->bind, p, st->nbind * sizeof *st->bind);
	p += st->nbind * sizeof *st->bind;
	memcpy(st->vals + 1, p, st->nvals * sizeof *st->vals);
}

static uint32_t hash_bytes(const uint8_t *p, uint32_t len, int32_t node)
{
	/* a word at a time: xor, then a multiply by an odd constant (a bijection, so states that
	 * differ in one word never collide); one final mix folds the high bits into the low ones */
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h = ((uint64_t)(uint32_t)node * 0xff51afd7ed558ccdull) ^ len;
	uint32_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * k;
	}
	if (i < len) { /* the last 1 to 7 bytes, zero-filled (the length is in h already) */
		uint64_t w = 0;
		memcpy(&w, p + i, len - i);
		h = (h ^ w) * k;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
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

/* Whether operand a of node n reads its var (what makes the var live there). An IR_KILL names
 * temporaries without reading them. */
static int reads_var(const struct ir_node *n, const struct ir_operand *a)
{
	return (a->kind == IR_OPND_VAR && n->op != IR_KILL) || a->kind == IR_OPND_ADDR ||
	       ((a->kind == IR_OPND_LOAD || a->kind == IR_OPND_FIELD) && a->var >= 0);
}

static int cmp_node(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
	return (a > b) - (a < b);
}

/* Bitsets of the vars live on entry to each node, computed to the fixpoint; 0 when they would be
 * too large (vars x nodes) or the iteration does not converge within its work bound. */
static int liveness_bitsets(struct engine *eng)
{
	const struct ir_func *fn = eng->fn;
	uint32_t w = (fn->nvars + 63) / 64;
	if (w == 0 || (uint64_t)w * fn->nnodes > (1u << 22))
		return 0; /* too large */
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
	while (changed) {
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
				if (reads_var(n, &a[j]))
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
	return eng->live != NULL;
}

/*
 * Liveness of a function too large for bitsets: per var, the sorted nodes where it is live on
 * entry (some path from there reads it before assigning it). Computed a var at a time,
 * backwards from the nodes that read it through the predecessors, stopping at nodes that
 * assign it (liveness is a per-var problem: this is the fixpoint of the bitsets' equations).
 * A var whose address is taken is live everywhere.
 * Sparse, so the cost is what is live: a function of 20,000 vars each read once right after
 * its assignment costs 20,000 short ranges, where bitsets per node cost vars x nodes.
 * Bounded: past LIVE_MAX_WORK predecessor visits or LIVE_MAX_NODES stored nodes, no pruning
 * (correct, only slower).
 */
#define LIVE_MAX_WORK (50u * 1000u * 1000u)
#define LIVE_MAX_NODES (8u * 1000u * 1000u) /* 32 MB */
static void liveness_lists(struct engine *eng)
{
	const struct ir_func *fn = eng->fn;
	uint32_t nv = fn->nvars, nn = fn->nnodes;
	if (!nv)
		return;
	/* predecessors, and the nodes reading each var, as offset arrays */
	uint32_t *poff = util_xcalloc(nn + 1, sizeof *poff), *roff = util_xcalloc(nv + 1, sizeof *roff);
	for (uint32_t k = 0; k < nn; k++) {
		const struct ir_node *n = &fn->nodes[k];
		for (int t = 0; t < 2; t++)
			if (n->succ[t] >= 0)
				poff[n->succ[t] + 1]++;
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t j = 0; j < n->nargs; j++)
			if (reads_var(n, &a[j]))
				roff[a[j].var + 1]++;
	}
	for (uint32_t k = 0; k < nn; k++)
		poff[k + 1] += poff[k];
	for (uint32_t v = 0; v < nv; v++)
		roff[v + 1] += roff[v];
	int32_t *preds = util_xrealloc(NULL, (poff[nn] + 1) * sizeof *preds);
	int32_t *readers = util_xrealloc(NULL, (roff[nv] + 1) * sizeof *readers);
	uint32_t *pfill = util_xcalloc(nn + 1, sizeof *pfill), *rfill = util_xcalloc(nv + 1, sizeof *rfill);
	eng->live_always = util_xcalloc(nv, 1);
	for (uint32_t k = 0; k < nn; k++) {
		const struct ir_node *n = &fn->nodes[k];
		for (int t = 0; t < 2; t++)
			if (n->succ[t] >= 0)
				preds[poff[n->succ[t]] + pfill[n->succ[t]]++] = (int32_t)k;
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t j = 0; j < n->nargs; j++)
			if (reads_var(n, &a[j]))
				readers[roff[a[j].var] + rfill[a[j].var]++] = (int32_t)k;
	}
	for (uint32_t i = 0; i < fn->nops; i++)
		if (fn->ops[i].kind == IR_OPND_ADDR)
			eng->live_always[fn->ops[i].var] = 1;
	free(pfill);
	free(rfill);
	/* mark[k] == v + 1: node k is live-in for the var v being computed (no clearing between vars) */
	uint32_t *mark = util_xcalloc(nn, sizeof *mark);
	int32_t *work = util_xrealloc(NULL, (nn + 1) * sizeof *work);
	uint32_t cap = 1024, len = 0;
	eng->live_nodes = util_xrealloc(NULL, cap * sizeof *eng->live_nodes);
	eng->live_off = util_xcalloc(nv + 1, sizeof *eng->live_off);
	uint64_t visits = 0;
	int ok = 1;
	for (uint32_t v = 0; v < nv && ok; v++) {
		eng->live_off[v] = len;
		if (eng->live_always[v])
			continue;
		uint32_t sp = 0, first = len;
		for (uint32_t i = roff[v]; i < roff[v + 1]; i++) {
			int32_t k = readers[i];
			if (mark[k] != v + 1) {
				mark[k] = v + 1;
				work[sp++] = k;
			}
		}
		while (sp && ok) {
			int32_t k = work[--sp];
			if (len == cap) {
				cap *= 2;
				eng->live_nodes = util_xrealloc(eng->live_nodes, cap * sizeof *eng->live_nodes);
			}
			eng->live_nodes[len++] = k;
			for (uint32_t i = poff[k]; i < poff[k + 1]; i++) {
				int32_t p = preds[i];
				const struct ir_node *pn = &fn->nodes[p];
				int assigns = (pn->op == IR_ASSIGN || pn->op == IR_CALL) && pn->dest == (int32_t)v;
				if (mark[p] != v + 1 && !assigns) {
					mark[p] = v + 1;
					work[sp++] = p;
				}
			}
			visits += poff[k + 1] - poff[k] + 1;
			ok = visits <= LIVE_MAX_WORK && len <= LIVE_MAX_NODES;
		}
		qsort(eng->live_nodes + first, len - first, sizeof *eng->live_nodes, cmp_node);
	}
	eng->live_off[nv] = len;
	if (!ok) {
		free(eng->live_nodes);
		free(eng->live_off);
		free(eng->live_always);
		eng->live_nodes = NULL;
		eng->live_off = NULL;
		eng->live_always = NULL;
	}
	free(mark);
	free(work);
	free(preds);
	free(readers);
	free(poff);
	free(roff);
}

/* Bitsets where they fit: one bit test per query, at the cost of vars x nodes bits; per-var
 * lists beyond (a query is a binary search, the memory what is live). The two give the same
 * answers; the lists only where the bitsets would be too large. */
static void compute_liveness(struct engine *eng)
{
	if (!liveness_bitsets(eng))
		liveness_lists(eng);
}

/* Whether var is live on entry to node, by the lists of liveness_lists(). */
static int listed_live(const struct engine *eng, uint32_t var, int32_t node)
{
	if (eng->live_always[var])
		return 1;
	uint32_t lo = eng->live_off[var], hi = eng->live_off[var + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (eng->live_nodes[mid] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < eng->live_off[var + 1] && eng->live_nodes[lo] == node;
}

static int var_live(const struct engine *eng, const uint64_t *lv, uint32_t var, int32_t node)
{
	return lv ? (lv[var / 64] & (1ull << (var % 64))) != 0 : listed_live(eng, var, node);
}

/* Unbinds the vars dead at node, except those holding an owned reference; a macro's hidden
 * local (IR_VAR_MACRO: GLib's G_IS_* `__inst` in a statement expression) is unbound all the same
 * when a live var holds its value. (Kept, each loop iteration's checks made new states, and a
 * leak was reported on the hidden local.) */
static void drop_dead(struct engine *eng, struct eng_state *st, int32_t node)
{
	if (!eng->live && !eng->live_off)
		return;
	const uint64_t *lv = eng->live ? &eng->live[(size_t)node * eng->words] : NULL;
	uint64_t held[(ENG_MAX_VALUES + 64) / 64] = { 0 }; /* slots a live var binds */
	for (uint32_t j = 0; j < st->nbind; j++) {
		uint8_t s = bind_slot(st->bind[j]);
		if (var_live(eng, lv, bind_var(st->bind[j]), node))
			held[s / 64] |= 1ull << (s % 64);
	}
	uint32_t kept = 0;
	for (uint32_t j = 0; j < st->nbind; j++) {
		uint8_t s = bind_slot(st->bind[j]);
		const struct eng_value *v = &st->vals[s];
		int keep = var_live(eng, lv, bind_var(st->bind[j]), node) ||
			   ((!(held[s / 64] & (1ull << (s % 64))) ||
			     !(eng->fn->vars[bind_var(st->bind[j])].flags & IR_VAR_MACRO)) &&
			    v->owned > 0 &&
			    !(v->flags & (ENG_V_ESCAPED | ENG_V_LOADED)) && v->null != ENG_NULL && v->null != ENG_NULL_FAIL);
		if (keep)
			st->bind[kept++] = st->bind[j];
	}
	st->nbind = kept;
}

/* Adds the successor (node, st) unless already explored; st is canonicalized in place. */
/* The invariants of a state (engine_impl.h), asserted on every state pushed in debug builds:
 * bindings and parents name existing slots, counts stay in their ranges, the error indicator is
 * one of its three values, a freed value is not owned. */
static void state_check(const struct engine *eng, const struct eng_state *st)
{
#ifndef NDEBUG
	assert(st->nvals <= ENG_MAX_VALUES);
	assert(st->nvars == eng->fn->nvars);
	assert(st->err <= ENG_ERR_SET);
	assert(st->nbind <= st->nvars);
	for (uint32_t j = 0; j < st->nbind; j++) {
		assert(bind_var(st->bind[j]) < st->nvars);
		assert(bind_slot(st->bind[j]) >= 1 && bind_slot(st->bind[j]) <= st->nvals);
		assert(j == 0 || st->bind[j - 1] >> 8 < st->bind[j] >> 8);
	}
	for (uint32_t s = 1; s <= st->nvals; s++) {
		const struct eng_value *v = &st->vals[s];
		assert(v->parent <= st->nvals);
		assert(v->owned >= 0 && v->owned <= 100);
		assert(v->null <= ENG_NULL);
		assert(!(v->flags & ENG_V_FREED) || v->owned == 0 || (v->flags & ENG_V_ELEMENT));
	}
#else
	(void)eng;
	(void)st;
#endif
}

static void push_state(struct engine *eng, struct eng_state *st, int32_t node, uint8_t via)
{
	if (node < 0)
		return;
	state_check(eng, st);
	/* a reference held by a cleanup var (g_autoptr) is its cleanup function's to release */
	for (uint32_t j = 0; eng->fn->has_cleanup_vars && j < st->nbind; j++) {
		uint32_t var = bind_var(st->bind[j]);
		uint8_t s = bind_slot(st->bind[j]);
		if (var < eng->fn->nvars && (eng->fn->vars[var].flags & IR_VAR_CLEANUP) && st->vals[s].owned > 0)
			st->vals[s].flags |= ENG_V_ESCAPED;
	}
	drop_dead(eng, st, node);
	canonicalize(st);
	/* serialized at the end of the blob, where it stays if it is new */
	size_t max = serialized_max(st);
	if (eng->blob_len + max > eng->blob_cap) {
		size_t cap = (eng->blob_cap + max) * 2;
		/* under a file memory limit (util.h), the blob does not double past what the limit
		 * leaves it: the meter then stops the exploration near the limit, not at twice it */
		const struct util_meter *m = util_meter_current();
		if (m && m->limit) {
			size_t others = m->tu + m->ir + (m->engine > eng->blob_cap ? m->engine - eng->blob_cap : 0);
			size_t room = m->limit > others ? m->limit - others : 0;
			if (cap > room)
				cap = room > eng->blob_len + max ? room : eng->blob_len + max + (max > 65536 ? max : 65536);
		}
		eng->blob_cap = cap;
		eng->blob = util_xrealloc(eng->blob, eng->blob_cap);
	}
	const uint8_t *ser = eng->blob + eng->blob_len;
	uint32_t len = serialize(st, eng->blob + eng->blob_len);
	int memo = memo_node(eng, node);
	uint32_t h = memo ? hash_bytes(ser, len, node) : 0;
	if (memo) {
		for (int32_t r = eng->buckets[h & (eng->nbuckets - 1)]; r >= 0; r = eng->recs[r].next) {
			const struct record *rec = &eng->recs[r];
			if (rec->hash == h && rec->node == node && rec->len == len && !memcmp(eng->blob + rec->off, ser, len))
				return;
		}
	}
	if (eng->nrecs == eng->cap_recs) {
		eng->cap_recs = eng->cap_recs ? eng->cap_recs * 2 : 256;
		eng->recs = util_xrealloc(eng->recs, eng->cap_recs * sizeof *eng->recs);
	}
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
	for (uint32_t j = 0; j < eng->nsubs[kind]; j++) {
		size_t i = eng->subs[kind * engine_ncheck + j];
		ev.self = (int)i;
		engine_checks[i]->handler[kind](eng, &ev, eng->check_data[i]);
	}
}

/* Processes one record: fires the events of its node, applies its transfer function and pushes
 * the successor states. */
static void step(struct engine *eng, int32_t r)
{
	const struct ir_func *fn = eng->fn;
	eng->cur = r;
	int32_t node = eng->recs[r].node;
	const struct ir_node *n = &fn->nodes[node];
	const struct ir_operand *a = ir_args(fn, n);
	struct eng_state *st = &eng->a, *w = &eng->b;
	deserialize(eng, &eng->recs[r], st);
	/* only a memoized state is read again (compared with the states that reach its node): the
	 * bytes of another are given back when they are the last stored, as they are when the path
	 * goes straight on (depth first, the state stepped is the one just pushed) */
	const struct record *rec = &eng->recs[r];
	if (!memo_node(eng, node) && rec->off + rec->len == eng->blob_len)
		eng->blob_len = rec->off;
	/* one successor: the state read is changed in place; calls and branches copy it for each
	 * outcome */
	switch (n->op) {
	case IR_NOP:
		push_state(eng, st, n->succ[0], VIA_PLAIN);
		break;
	case IR_CALL: {
		fire(eng, ENG_EV_CALL, node, st, -1, 0);
		xfer_call_derefs(eng, st, node);
		if (xfer_call_crashes(eng, st, node))
			break; /* like a dereference of a failed result (xfer_use) */
		if ((n->flags & IR_NODE_NORETURN) ||
		    (n->model && (n->model->flags & (MODEL_NORETURN | MODEL_RETURN_STMT))))
			break;
		int forks = xfer_call_forks(eng, n);
		/* NULL handed where the call fails on it (fails-on-null): only its failure follows */
		if (!forks || !xfer_call_must_fail(eng, st, node)) {
			state_copy(w, st);
			xfer_call(eng, w, node, XFER_OK);
			push_state(eng, w, n->succ[0], forks ? VIA_OK : VIA_PLAIN);
		}
		if (forks && !(n->model->flags & MODEL_FETCHES)) {
			state_copy(w, st);
			xfer_call(eng, w, node, XFER_FAILED);
			push_state(eng, w, n->succ[0], VIA_FAIL);
		}
		if (forks && (n->model->flags & (MODEL_THREE_WAY | MODEL_FETCHES))) {
			state_copy(w, st);
			xfer_call(eng, w, node, XFER_ABSENT);
			push_state(eng, w, n->succ[0], VIA_ABSENT);
		}
		break;
	}
	case IR_ASSIGN:
		fire(eng, ENG_EV_ASSIGN, node, st, n->dest, 0);
		xfer_assign(eng, st, node);
		push_state(eng, st, n->succ[0], VIA_PLAIN);
		break;
	case IR_KILL:
		for (uint32_t k = 0; k < n->nargs; k++) {
			if (a[k].kind != IR_OPND_VAR || !state_slot(st, a[k].var))
				continue;
			fire(eng, ENG_EV_ASSIGN, node, st, a[k].var, 0);
			state_bind(st, a[k].var, 0);
		}
		push_state(eng, st, n->succ[0], VIA_PLAIN);
		break;
	case IR_STORE:
		xfer_store(eng, st, node);
		push_state(eng, st, n->succ[0], VIA_PLAIN);
		break;
	case IR_USE:
		fire(eng, ENG_EV_USE, node, st, -1, 0);
		if (xfer_use(eng, st, node))
			push_state(eng, st, n->succ[0], VIA_PLAIN);
		break;
	case IR_COUNT:
		xfer_count(eng, st, node);
		push_state(eng, st, n->succ[0], VIA_PLAIN);
		break;
	case IR_BRANCH:
		for (int t = 0; t < 2; t++) {
			if (n->succ[t] < 0)
				continue;
			state_copy(w, st);
			if (!xfer_branch(eng, w, node, t))
				continue;
			fire(eng, ENG_EV_BRANCH, node, w, -1, t);
			push_state(eng, w, n->succ[t], (uint8_t)t);
		}
		break;
	case IR_RETURN:
		fire(eng, ENG_EV_RETURN, node, st, -1, 0);
		summary_record_return(eng, st, n);
		break;
	default:
		break;
	}
}

int engine_check_index(const char *id)
{
	for (size_t i = 0; i < engine_ncheck; i++)
		if (!strcmp(engine_checks[i]->id, id))
			return (int)i;
	return -1;
}

/* Steps between two looks at the file's memory meter: a step stores at most a few states, so
 * the exploration stops at most a few hundred kilobytes of states past the limit. The stored
 * states' blob, the largest array, does not double past what the limit leaves it (push_state);
 * the others still grow by doubling. */
#define ENG_METER_STEPS 256

/* What the exploration of a function holds now, in bytes: its stored states (the blob), their
 * records, the memo table, the stack (capacities: what was allocated), and the per-node and
 * liveness arrays. */
static size_t engine_bytes(const struct engine *eng)
{
	size_t b = eng->blob_cap + (size_t)eng->cap_recs * sizeof *eng->recs + (size_t)eng->nbuckets * sizeof *eng->buckets +
		   (size_t)eng->cap_stack * sizeof *eng->stack + (size_t)eng->cap_read_later * sizeof *eng->read_later;
	size_t nodes = eng->fn->nnodes;
	b += nodes * 3; /* memo, in_range, conv */
	if (eng->live)
		b += (size_t)eng->words * nodes * sizeof *eng->live;
	if (eng->live_off)
		b += (size_t)(eng->fn->nvars + 1) * sizeof *eng->live_off + (size_t)eng->live_off[eng->fn->nvars] * sizeof *eng->live_nodes;
	return b;
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
	if (fn->nvars >= ENG_MAX_VARS) { /* bindings cannot name its vars (engine_impl.h) */
		if (opt->incomplete)
			opt->incomplete(opt->ctx, fn, 0);
		if (summary)
			summary->valid = 0;
		return 0;
	}
	/* the default budget grows with the function: a large function with few paths completes */
	uint32_t budget = opt->max_states;
	if (!budget)
		budget = ENG_DEFAULT_BUDGET + (fn->nnodes < (1u << 26) ? 4 * fn->nnodes : (1u << 28));
	state_alloc(&eng.a, fn->nvars);
	state_alloc(&eng.b, fn->nvars);
	state_alloc(&eng.c, fn->nvars);
	eng.check_data = util_xcalloc(engine_ncheck, sizeof *eng.check_data);
	eng.check_off = util_xcalloc(engine_ncheck ? engine_ncheck : 1, 1);
	unsigned off = 0;
	for (size_t i = 0; i < engine_ncheck; i++) {
		eng.check_off[i] = (uint8_t)off;
		off += engine_checks[i]->value_bytes;
	}
	if (off > ENG_CHECK_BYTES) { /* a registry that cannot work: every test fails here */
		fprintf(stderr, "rccheck: internal error: the checks ask for %u bytes per value, ENG_CHECK_BYTES is %d\n",
			off, ENG_CHECK_BYTES);
		abort();
	}
	for (size_t i = 0; i < engine_ncheck; i++)
		eng.check_data[i] = engine_checks[i]->data_size ? util_xcalloc(1, engine_checks[i]->data_size) : NULL;
	eng.subs = util_xcalloc(ENG_EV_COUNT_ * (engine_ncheck ? engine_ncheck : 1), 1);
	for (int kind = 0; kind < ENG_EV_COUNT_; kind++)
		for (size_t i = 0; i < engine_ncheck; i++)
			if (engine_checks[i]->handler[kind])
				eng.subs[kind * engine_ncheck + eng.nsubs[kind]++] = (uint8_t)i; /* < 256, as check_off */
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
	eng.in_range = irfacts_index_ranges(fn);
	eng.conv = engine_call_conventions(fn, opt->conventions);
	rehash(&eng);

	/* entry state: one value per pointer or integer parameter */
	struct eng_state *st = &eng.c;
	st->nvals = 0;
	st->nbind = 0;
	/* CPython never calls a function of a method table or a type slot with an exception set */
	st->err = fn->py_callable ? ENG_ERR_CLEAR : ENG_ERR_UNKNOWN;
	for (uint32_t i = 0; i < fn->nvars; i++) {
		const struct ir_var *v = &fn->vars[i];
		if (!(v->flags & IR_VAR_PARAM) || !(v->flags & IR_VAR_PTR))
			continue;
		uint8_t s = xfer_new_value(st, -1);
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
		state_bind(st, (int32_t)i, s);
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

	size_t max_bytes = opt->max_state_bytes ? opt->max_state_bytes : ENG_MAX_STATE_BYTES;
	int complete = 1;
	struct util_meter *meter = util_meter_current();
	uint32_t until_meter = 0;
	while (eng.sp) {
		if (eng.nrecs > budget || eng.blob_len > max_bytes) {
			complete = 0;
			break;
		}
		/* the file's memory limit (util.h): what the exploration holds, every few steps */
		if (meter && until_meter-- == 0) {
			until_meter = ENG_METER_STEPS;
			meter->engine = engine_bytes(&eng);
			if (util_meter_check(UTIL_METER_ANALYSE, fn->name)) {
				complete = 0;
				break;
			}
		}
		int32_t r = eng.stack[--eng.sp];
		step(&eng, r);
	}
	eng.cur = -1;
	eng.partial = !complete;
	fire(&eng, ENG_EV_END, -1, NULL, -1, 0);
	if (!complete && opt->incomplete)
		opt->incomplete(opt->ctx, fn, eng.nrecs);
	if (summary) {
		summary_make(&eng, summary);
		summary->valid = complete; /* a partial exploration says nothing reliable to callers */
	}
	uint32_t explored = complete ? eng.nrecs : 0;
	if (meter) {
		meter->engine = engine_bytes(&eng);
		util_meter_check(UTIL_METER_ANALYSE, fn->name);
		meter->engine = 0;
	}

	for (size_t i = 0; i < engine_ncheck; i++)
		free(eng.check_data[i]);
	free(eng.check_data);
	free(eng.check_off);
	free(eng.subs);
	findings_free(&eng);
	summary_free(&eng);
	free(eng.read_later);
	free(eng.fails_on_null);
	free(eng.in_range);
	free(eng.conv);
	state_free(&eng.a);
	state_free(&eng.b);
	state_free(&eng.c);
	free(eng.recs);
	free(eng.blob);
	free(eng.buckets);
	free(eng.stack);
	free(eng.memo);
	free(eng.live);
	free(eng.live_off);
	free(eng.live_nodes);
	free(eng.live_always);
	return explored;
}

