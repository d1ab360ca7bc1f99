/*
 * summary.c - what the returns of a function say about it (engine_impl.h): its summary for
 * callers (new / borrowed / NULL on failure; which parameters it releases, steals, acquires,
 * takes over on success) and the by-design queries checks ask at the end of the function
 * (engine_param_consumed, engine_param_acquired).
 */
#define RCCHECK_ENGINE_INTERNAL
#include "engine/engine_impl.h"

#include "models/conventions.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Whether the unit releases field `name` somewhere (a store into it hands a reference over). */
static int field_released(const struct engine *eng, const char *name)
{
	return name && eng->opt->released_fields &&
	       bsearch(&name, eng->opt->released_fields, eng->opt->nreleased_fields, sizeof(const char *), util_cmp_str);
}


int engine_owned_by_memory(const struct engine *eng, const struct eng_value *v)
{
	const struct ir_func *fn = eng->fn;
	if (v->owned != 1 || (v->flags & (ENG_V_STORED | ENG_V_ESCAPED)) != (ENG_V_STORED | ENG_V_ESCAPED))
		return 0;
	if (!(v->flags & ENG_V_FIELD))
		return 1; /* stored into anonymous memory: an element (cache[n] = x) */
	if (v->key_site < 0 || (uint32_t)v->key_site >= fn->nnodes)
		return 0;
	const struct ir_node *n = &fn->nodes[v->key_site];
	if (n->op != IR_STORE || n->nargs < 2)
		return 0;
	/* a global, or a field of what a parameter points to that the unit releases somewhere (a
	 * getter filling its object's cache: `if (!p->opts) p->opts = make (); return p->opts;`,
	 * the finalizer clearing p->opts): memory that outlives the call and owns what it holds; a
	 * field never released is a scratch record's (fb->fct = fct; return fct;: the caller's) */
	const struct ir_operand *key = &ir_args(fn, n)[1];
	return key->var == -2 || (key->var >= 0 && (uint32_t)key->var < fn->nvars && fn->vars[key->var].param >= 0 &&
				  field_released(eng, key->str));
}

/* Asked at every state that reaches a return of a global, and each answer scans the function:
 * answers are kept per return node (g is always that return's operand). */
int engine_global_acquired_before(struct engine *eng, const struct ir_node *ret, const char *g)
{
	const struct ir_func *fn = eng->fn;
	uint32_t at = (uint32_t)(ret - fn->nodes);
	if (!eng->global_acq)
		eng->global_acq = util_xcalloc(fn->nnodes, 1);
	if (!eng->global_acq[at])
		eng->global_acq[at] = irfacts_global_acquired_before(fn, ret, g) ? 2 : 1;
	return eng->global_acq[at] == 2;
}

void summary_record_return(struct engine *eng, const struct eng_state *st, const struct ir_node *n)
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
		else if (o->kind == IR_OPND_FIELD && o->var == -2 && xfer_arg_slot(fn, st, o) &&
			 st->vals[xfer_arg_slot(fn, st, o)].owned > 0)
			ri->saw_new = 1; /* if (r == Py_None) return Py_None; with r owned */
		else if (o->kind == IR_OPND_FIELD && o->var == -2)
			ri->saw_borrowed = 1; /* &static_object */
		else if (v && engine_owned_by_memory(eng, v))
			ri->saw_borrowed = 1; /* cache[n] = x; return x;: the cache owns it */
		else if (v && v->owned > 0 && (v->flags & ENG_V_GUESS_NEW))
			ri->saw_other = 1; /* owned by a guess: callers are not told it is new */
		else if (v && v->owned > 0)
			ri->saw_new = 1;
		else if (v && v->param && !(v->flags & (ENG_V_FREED | ENG_V_ESCAPED)))
			ri->saw_param = 1; /* borrowed, or passed through by a function consuming it */
		else if (v && (v->flags & (ENG_V_BORROWED | ENG_V_LOADED)))
			ri->saw_borrowed = 1;
		else
			ri->saw_other = 1;
		if (!null) {
			/* an untracked result (an unknown callee: LDAPerror() returning NULL) does not
			 * contradict the others, as for saw_new */
			if (v) {
				int fresh = v->owned > 0 && (v->flags & ENG_V_FRESH);
				ri->fresh_all = ri->fresh_seen ? ri->fresh_all && fresh : fresh;
				ri->fresh_seen = 1;
			}
			if (v && v->param && (!ri->ret_param || ri->ret_param == v->param))
				ri->ret_param = v->param;
			else
				ri->ret_mixed = 1;
			rv = v;
		}
	}
	/* does this return tell whether an error is set? (PyErr_Occurred() itself, or 1/-1 where
	 * it is set and 0 where it is not) */
	{
		int errq = 0;
		if (n->nargs) {
			const struct ir_operand *o = ir_args(fn, n);
			const struct eng_value *v = engine_operand_value(st, o);
			int64_t k = 0;
			int known = o->kind == IR_OPND_INT || (v && (v->flags & ENG_V_INT) && (v->flags & ENG_V_INT_KNOWN));
			if (o->kind == IR_OPND_INT)
				k = o->ival;
			else if (known)
				k = v->ival;
			if (v && v->sign == ENG_SIGN_ERR_QUERY)
				errq = 1;
			else if (known && st->err != ENG_ERR_UNKNOWN)
				errq = (k != 0) == (st->err == ENG_ERR_SET);
		}
		ri->errq_all = ri->errq_seen ? (ri->errq_all && errq) : errq;
		ri->errq_seen = 1;
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
	/* the pointer parameters through which this path stored a reference it owned (`*out =
	 * new`): an out-parameter receiving a new reference when the function succeeds */
	{
		uint32_t outs = 0, borrowed_outs = 0;
		for (uint32_t s = 1; s <= st->nvals; s++) {
			const struct eng_value *v = &st->vals[s];
			if (v->param > 0 && v->param <= 32 && (v->flags & ENG_V_OUT_OWNED))
				outs |= 1u << (v->param - 1);
			if (v->param > 0 && v->param <= 32 && (v->flags & ENG_V_OUT_BORROWED))
				borrowed_outs |= 1u << (v->param - 1);
		}
		int fails = n->nargs && ((fn->returns_ptr && (ir_args(fn, n)->kind == IR_OPND_NULL)) ||
					 (!fn->returns_ptr && ir_args(fn, n)->kind == IR_OPND_INT &&
					  ir_args(fn, n)->ival <= 0));
		if (!fails) {
			ri->out_ok = ri->out_seen ? (ri->out_ok & outs) : outs;
			ri->out_seen = 1;
		}
		ri->out_borrowed |= borrowed_outs;
	}
	/* the parameters whose memory this path freed (a NULL one says nothing) */
	uint32_t freed = 0, nullp = 0, cb_path = 0;
	for (uint32_t s = 1; s <= st->nvals; s++) {
		const struct eng_value *v = &st->vals[s];
		if (v->param > 0 && v->param <= 32 && (v->flags & ENG_V_MEMFREED))
			freed |= 1u << (v->param - 1);
		if (v->param > 0 && v->param <= 32 && v->null == ENG_NULL)
			nullp |= 1u << (v->param - 1);
	}
	if (!ri->freed_seen) {
		ri->freed_all = freed | nullp;
		ri->freed_seen = 1;
	} else {
		ri->freed_all &= freed | nullp;
	}
	ri->freed_any |= freed;
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
		if (p < 32) {
			uint32_t bit = 1u << p, handed = (v->flags & ENG_V_CB_DATA) && md == 0 ? bit : 0;
			ri->cb_any |= handed;
			cb_path |= (md == -1 ? bit : 0) | handed;
		}
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
	ri->cb_all = ri->cb_seen ? ri->cb_all & cb_path : cb_path;
	ri->cb_seen = 1;
	ri->have_delta = 1;
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
	 * function) has the library's contract: it receives the reference to drop. A static
	 * function every caller of its unit hands a new reference it does not use again
	 * (ir_func.handed_over) takes it by its callers' contract. */
	uint32_t bit = p < 32 ? 1u << p : 0;
	return ri->was_null[p] || ri->passed[p] || conv_name_says_steal(eng->opt->conventions, eng->fn->name) || param_is_opaque(eng->fn, p) ||
	       eng->fn->callback || (ri->xsteal & bit) || (others && (ri->xrelease & bit)) || (eng->fn->handed_over & bit);
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
	/* a callback (or a `void *` user data) that releases what it was given on some paths and
	 * hands it on as the data of the next callback on the others (the async idiom:
	 * `if (failed) { ...; g_object_unref (task); return; } next_async (..., on_next, task);`) */
	if (p < 32 && ri->cb_seen && ((ri->cb_any & ri->cb_all) >> p & 1) && ri->went_down[p] &&
	    (eng->fn->callback || param_is_opaque(eng->fn, p)))
		return 1;
	if (p >= 32 || !(ri->xrelease & (1u << p)))
		return 0;
	for (int q = 0; q < eng->fn->nparams; q++)
		if (q != p && param_consumed(eng, q, 0))
			return param_consumed(eng, p, 1);
	return 0;
}

/* Whether every call of the function leaves the error indicator alone: queries of it
 * (PyErr_Occurred) and reference operations, nothing that sets or clears it (a helper that sets
 * an error and returns -1 reports it, it does not query it). */
static int only_queries(const struct engine *eng)
{
	const struct ir_func *fn = eng->fn;
	int queried = 0;
	for (uint32_t k = 0; k < fn->nnodes; k++) {
		const struct ir_node *n = &fn->nodes[k];
		if (n->op != IR_CALL)
			continue;
		const struct model_fn *m = n->model;
		uint8_t cc = eng->conv[k]; /* the callee's conventions (engine_call_conventions) */
		if ((cc & CC_ERR_QUERY) || (m && (m->flags & MODEL_ERROR_QUERY))) {
			queried = 1;
			continue;
		}
		if (!m || (m->flags & (MODEL_HEURISTIC | MODEL_NULL_ON_FAILURE | MODEL_NEG_ON_FAILURE |
				       MODEL_ZERO_ON_FAILURE)) || m->origin == MODEL_FROM_SUMMARY ||
		    (cc & (CC_ERR_SET | CC_ERR_CLEAR | CC_ERR_MAYBE)))
			return 0;
	}
	return queried;
}

void summary_make(struct engine *eng, struct eng_summary *sum)
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
	if (sum->fn.ret == MODEL_RET_NEW && ri->fresh_seen && ri->fresh_all)
		sum->fn.flags |= MODEL_FRESH; /* LDAPmessage_to_python: a new list, or NULL */
	/* an out-parameter every success path stores an owned reference through (a converter of
	 * PyArg_ParseTuple "O&", `*out = PyUnicode_FromString(s); return 1;`) */
	if (ri->out_seen)
		sum->out_new_on_success = ri->out_ok & ~ri->out_borrowed;
	/* a function that frees its parameter's memory on every path (a type's dealloc called as a
	 * function on a fresh object): a reference the caller owns goes with the memory */
	for (int p = 0; p < fn->nparams && p < 32; p++) {
		uint32_t bit = 1u << p;
		if (ri->freed_seen && (ri->freed_all & ri->freed_any & bit))
			sum->fn.arg[MODEL_FREES] |= bit;
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
	/* parameters its callers hand over by contract (ir_func.handed_over): taken on every path,
	 * whatever the paths do with them (one that does not release it leaks it: reported here) */
	for (int k = 0; fn->handed_over && k < MODEL_NARG_KINDS; k++)
		if (k != MODEL_ACCEPTS_NULL)
			sum->fn.arg[k] &= ~fn->handed_over;
	sum->fn.arg[MODEL_STEALS] |= fn->handed_over;
	/* pointers that cannot be to counted objects (IR_VAR_PLAIN: a PGresult taken from a field
	 * and handed back) carry no ownership facts */
	if (fn->returns_plain) {
		sum->fn.ret = MODEL_RET_NONE;
		sum->fn.returns_arg = 0;
		sum->fn.flags &= ~(uint32_t)(MODEL_NULL_ON_FAILURE | MODEL_MAY_RETURN_NULL);
	}
	uint32_t plain = 0;
	for (uint32_t v = 0; v < fn->nvars; v++)
		if ((fn->vars[v].flags & IR_VAR_PLAIN) && fn->vars[v].param >= 0 && fn->vars[v].param < 32)
			plain |= 1u << fn->vars[v].param;
	for (int k = 0; plain && k < MODEL_NARG_KINDS; k++)
		if (k != MODEL_ACCEPTS_NULL)
			sum->fn.arg[k] &= ~plain;
	if (ri->errq_seen && ri->errq_all && only_queries(eng)) {
		/* has_error() { return PyErr_Occurred() != NULL; }: the caller's test of the result
		 * is a test of the error indicator */
		sum->fn.flags |= MODEL_ERROR_QUERY;
		if (!fn->returns_ptr)
			sum->fn.ret = MODEL_RET_INT;
	}
	sum->valid = 1;
}


void summary_free(struct engine *eng)
{
	struct ret_info *ri = &eng->ret;
	uint8_t *arrays[] = { (uint8_t *)ri->delta, ri->delta_mixed, (uint8_t *)ri->tdelta, ri->tdelta_mixed, ri->seen,
			      ri->passed, ri->ret_odd, ri->was_null, ri->went_down, ri->kept_all, (uint8_t *)ri->fdelta,
			      (uint8_t *)ri->odelta, ri->fmixed, ri->omixed, ri->fseen, ri->oseen };
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
		free(arrays[i]);
	free(eng->global_acq);
}
