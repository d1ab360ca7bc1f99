/*
 * transfer.c - the transfer functions: what one IR operation does to a state (engine_impl.h).
 * A call applies its model (new / borrowed results, releases, steals, acquires, clears,
 * out-parameters, format strings, setref) in its success or its failure outcome; a branch
 * refines the tested value and drops infeasible edges; a store lets a value escape.
 */
#define RCCHECK_ENGINE_INTERNAL
#include "engine/engine_impl.h"

#include "models/conventions.h"
#include "util.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Transfer functions                                                                          */
/* ------------------------------------------------------------------------------------------ */

uint8_t xfer_new_value(struct eng_state *st, int32_t site)
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

uint8_t xfer_operand_slot(const struct eng_state *st, const struct ir_operand *o)
{
	return o->kind == IR_OPND_VAR ? state_slot(st, o->var) : 0;
}

/* The slot of a call argument: a var's, or for &G the value a taken `x == &G` made G. */
uint8_t xfer_arg_slot(const struct ir_func *fn, const struct eng_state *st, const struct ir_operand *o)
{
	if (o->kind == IR_OPND_VAR)
		return state_slot(st, o->var);
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
	uint8_t s = xfer_arg_slot(eng->fn, st, o);
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
		if (st->vals[i].parent == s && st->vals[i].owned == 0 && !(st->vals[i].flags & ENG_V_FREED)) {
			/* an item of a container that others may hold too (a getter's result) dies with
			 * it only if the container was the function's own */
			if (!(st->vals[s].flags & ENG_V_FRESH) || (st->vals[s].flags & ENG_V_FREE_GUESS))
				st->vals[i].flags |= ENG_V_FREE_GUESS;
			mark_freed(st, (uint8_t)i);
		}
}

static void release_slot(struct eng_state *st, uint8_t s, int32_t node)
{
	if (!s || (st->vals[s].flags & ENG_V_OPAQUE))
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
/* The memory key value v was loaded from or stored into (its key_site's load or store operand),
 * or NULL. */
static const struct ir_operand *value_key(const struct ir_func *fn, const struct eng_value *v)
{
	if (v->key_site < 0 || (uint32_t)v->key_site >= fn->nnodes)
		return NULL;
	const struct ir_node *n = &fn->nodes[v->key_site];
	uint32_t ki = n->op == IR_STORE ? 1 : 0;
	if (n->op == IR_CALL) {
		/* the field a call set through its out-new-on-failure argument (&job->error) */
		uint32_t out = model_mask(n->model, MODEL_OUT_NEW_FAIL, n->nargs);
		for (ki = 0; ki < n->nargs && ki < 32 && !((out >> ki) & 1u); ki++)
			;
	}
	return n->nargs > ki ? &fn->ops[n->arg0 + ki] : NULL;
}

static int key_matches(const struct ir_func *fn, const struct eng_value *v, const struct ir_operand *key)
{
	if (!(v->flags & ENG_V_FIELD) || key->var == -1 || !key->str)
		return 0;
	const struct ir_operand *k = value_key(fn, v);
	return k && k->var == key->var && k->str && !strcmp(k->str, key->str);
}

static uint8_t find_field(const struct ir_func *fn, const struct eng_state *st, const struct ir_operand *key)
{
	for (uint32_t i = 1; i <= st->nvals; i++)
		if (key_matches(fn, &st->vals[i], key) && !(st->vals[i].flags & ENG_V_FREED))
			return (uint8_t)i;
	return 0;
}

/* The memory holding value f (a slot, 0: none) releases its reference (Py_CLEAR(self->f),
 * Py_SETREF(self->f, ...)). A reference the function stored there goes; a value it read from
 * there dies with it unless the function took a reference of its own (`x = self->f;
 * Py_INCREF(x); Py_CLEAR(self->f);`: x lives on, owned by the function). */
static void clear_field_value(struct eng_state *st, uint8_t f, int32_t node)
{
	if (!f)
		return;
	struct eng_value *v = &st->vals[f];
	if (v->owned > 0 && (v->flags & ENG_V_LOADED) && !(v->flags & ENG_V_STORED))
		return;
	if (v->owned > 0)
		release_slot(st, f, node);
	else if (!(v->flags & ENG_V_ESCAPED))
		mark_freed(st, f);
}

/* var now points elsewhere: values loaded through it are no longer what var->f names. */
static void unlink_base(const struct ir_func *fn, struct eng_state *st, int32_t var)
{
	for (uint32_t i = 1; i <= st->nvals; i++) {
		struct eng_value *v = &st->vals[i];
		const struct ir_operand *k = (v->flags & ENG_V_FIELD) ? value_key(fn, v) : NULL;
		if (k && k->var == var)
			v->flags &= (uint32_t)~ENG_V_FIELD;
	}
}

/* The memory named by key now holds something else (a store, or a clear). */
static void unlink_field(const struct ir_func *fn, struct eng_state *st, const struct ir_operand *key)
{
	for (uint32_t i = 1; i <= st->nvals; i++)
		if (key_matches(fn, &st->vals[i], key))
			st->vals[i].flags &= (uint32_t)~ENG_V_FIELD;
}

static void steal_slot(struct eng_state *st, uint8_t s, int32_t node)
{
	if (!s || (st->vals[s].flags & ENG_V_OPAQUE))
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
	if (!s || (st->vals[s].flags & ENG_V_OPAQUE))
		return;
	struct eng_value *v = &st->vals[s];
	if (v->null == ENG_NULL || v->null == ENG_NULL_FAIL)
		return;
	v->delta++;
	v->mdelta++;
	v->flags &= (uint32_t)~ENG_V_FREED;
	if (v->flags & ENG_V_OWES) {
		v->flags &= (uint32_t)~ENG_V_OWES; /* pays back what a stealing callee took */
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
	uint8_t s = state_slot(st, var);
	if (s)
		st->vals[s].flags |= ENG_V_ESCAPED;
	state_bind(st, var, 0);
}

/* What a Py_BuildValue-style call does to the objects its format names: 'N' steals them; and
 * when the call succeeded, none of its 'O', 'S' or 'N' objects was NULL (a NULL one makes it
 * fail: docs arg.rst). */
/* json_pack's format (jansson's "Building Values"): `o` steals its json_t * (even when the call
 * fails), `O` does not; `s` and `+` take a string, and with `#` or `%` a length too; `b`, `i`,
 * `I`, `f` one value; `n` none; `?` and `*` after a unit change no argument. */
static void apply_format_jansson(struct eng_state *st, const struct ir_operand *a, uint32_t nargs, uint32_t k,
				 const char *p, int32_t node)
{
	for (; *p && k < nargs; p++) {
		switch (*p) {
		case 's':
		case '+':
			k++;
			if (p[1] == '#' || p[1] == '%')
				k++, p++;
			break;
		case 'o':
			steal_slot(st, xfer_operand_slot(st, &a[k]), node);
			k++;
			break;
		case 'O':
		case 'b':
		case 'i':
		case 'I':
		case 'f':
			k++;
			break;
		default: /* n, brackets, separators, ? and * */
			break;
		}
	}
}

static void apply_format_build(struct eng_state *st, const struct ir_func *fn, const struct ir_node *n, int fmt_arg,
			       int32_t node, int failed)
{
	const struct ir_operand *a = ir_args(fn, n);
	if ((uint32_t)fmt_arg > n->nargs || a[fmt_arg - 1].kind != IR_OPND_STR || !a[fmt_arg - 1].str)
		return;
	if (n->model->format_lang == MODEL_FORMAT_JANSSON) {
		apply_format_jansson(st, a, n->nargs, (uint32_t)fmt_arg, a[fmt_arg - 1].str, node);
		return;
	}
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
		case 'O':
		case 'S':
			if (p[1] == '&')
				break;
			if (!failed) {
				uint8_t s = xfer_operand_slot(st, &a[k]);
				if (s && (st->vals[s].null == ENG_MAYBE || st->vals[s].null == ENG_NULL_FAIL))
					st->vals[s].null = ENG_NONNULL;
			}
			if (*p == 'N')
				steal_slot(st, xfer_operand_slot(st, &a[k]), node);
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
	uint8_t s = xfer_new_value(st, node);
	if (s) {
		st->vals[s].flags = ENG_V_OBJ | (owned ? ENG_V_HAD_OWNED : ENG_V_BORROWED);
		st->vals[s].owned = owned ? 1 : 0;
		st->vals[s].null = owned ? ENG_MAYBE : ENG_NONNULL;
	}
	state_bind(st, var, s);
}

/* Value s (a slot, 0: none) handed as the data of a callback: a reference the function owns
 * escapes to the callback, which may keep it (a thread's data) or drop it; a borrowed parameter
 * goes on with it (ENG_V_CB_DATA, read by the summary's contract rules). */
static void give_to_callback(struct eng_state *st, uint8_t s)
{
	if (s && st->vals[s].owned > 0)
		st->vals[s].flags |= ENG_V_ESCAPED;
	else if (s && st->vals[s].param > 0)
		st->vals[s].flags |= ENG_V_CB_DATA;
}

/* What a call takes over without a steals= fact (docs/model-format.md): a floating reference
 * handed as an argument other than the first, which GLib's convention sinks
 * (g_variant_builder_add_value (b, g_variant_new_int32 (1)), gtk_container_add); the first is
 * the object a method works on (g_variant_get_int32 (v)), and an argument the model says what
 * happens to (the mask `said`) is left to the model. And with notify-takes=D,K, argument D when
 * its destroy notify K is not NULL: an owned reference only (user data that is not one, a
 * borrowed `self`, stays the caller's business). */
static void hand_over(const struct ir_func *fn, struct eng_state *st, const struct ir_node *n, const struct model_fn *m,
		      uint32_t said, int32_t node)
{
	const struct ir_operand *a = ir_args(fn, n);
	for (uint32_t k = 1; k < n->nargs && k < 32; k++) {
		uint8_t s = (said & (1u << k)) ? 0 : xfer_arg_slot(fn, st, &a[k]);
		if (s && (st->vals[s].flags & ENG_V_FLOATING) && st->vals[s].owned > 0) {
			st->vals[s].flags &= ~ENG_V_FLOATING;
			steal_slot(st, s, node);
		}
	}
	if (!m || m->notify_data < 1 || m->notify_fn < 1 || (uint32_t)m->notify_data > n->nargs ||
	    (uint32_t)m->notify_fn > n->nargs)
		return;
	const struct ir_operand *f = &a[m->notify_fn - 1];
	if (f->kind == IR_OPND_NULL || (f->kind == IR_OPND_INT && f->ival == 0))
		return;
	uint8_t s = xfer_arg_slot(fn, st, &a[m->notify_data - 1]);
	if (m->flags & MODEL_CALLBACK_DATA)
		give_to_callback(st, s);
	else if (s && st->vals[s].owned > 0)
		steal_slot(st, s, node);
}

/* The address of a static object (`&MyType`, `Py_None`) handed to a count operation before the
 * path knew anything of it: a value naming it (sign IS_GLOBAL), borrowed, so that an acquire
 * gives the function a reference a later steal can take (`Py_INCREF(&T);
 * PyModule_AddObject(m, "T", (PyObject *)&T)`), and a steal without one is owed (reported by
 * rc-release-borrowed at the return unless an acquire pays it back). 0 for other operands. */
static uint8_t global_value(const struct ir_func *fn, struct eng_state *st, const struct ir_operand *o, int32_t node)
{
	if (o->kind != IR_OPND_FIELD || o->var != -2 || !o->str)
		return 0;
	uint8_t s = xfer_new_value(st, node);
	if (!s)
		return 0;
	st->vals[s].flags = ENG_V_BORROWED | ENG_V_OBJ;
	st->vals[s].sign = ENG_SIGN_IS_GLOBAL;
	st->vals[s].ival = (int32_t)(o - fn->ops);
	return s;
}

/* What argument k (0-based) of a PyArg_ParseTuple-style call receives, reading the format
 * literal at fmt_arg (1-based): FMT_CONVERTED, the output of an "O&" unit (the argument after its
 * converter); FMT_LENGTH, the length of an "s#"-like unit (never negative once the call
 * succeeded); 0, anything else or not known. */
enum { FMT_CONVERTED = 1, FMT_LENGTH = 2 };

static int format_output(const struct engine *eng, const struct ir_node *n, int fmt_arg, uint32_t k)
{
	const struct ir_operand *a = ir_args(eng->fn, n);
	if (fmt_arg < 1 || (uint32_t)fmt_arg > n->nargs || a[fmt_arg - 1].kind != IR_OPND_STR || !a[fmt_arg - 1].str)
		return 0;
	const struct model_fn *m = n->model;
	/* the next argument (0-based) a unit fills: after the format, or after a keyword list */
	uint32_t at = m && m->format_args > fmt_arg ? (uint32_t)m->format_args - 1 : (uint32_t)fmt_arg;
	for (const char *p = a[fmt_arg - 1].str; *p && at <= k; p++) {
		if (*p == ':' || *p == ';')
			break; /* the function name or error message follows */
		if (strchr("()|$ ", *p))
			continue;
		if (*p == 'O' && p[1] == '&') {
			if (at + 1 == k)
				return FMT_CONVERTED; /* (converter, output) */
			at += 2;
			p++;
			continue;
		}
		if (*p == 'O' && p[1] == '!') { /* (type, output) */
			at += 2;
			p++;
			continue;
		}
		if (p[1] == '#') { /* s#, y#, z#...: the pointer and a length */
			if (at + 1 == k)
				return FMT_LENGTH;
			at += 2;
			p++;
			continue;
		}
		if (*p == 'e' && (p[1] == 's' || p[1] == 't')) { /* es, et(#): the encoding, then the output */
			if (p[2] == '#' && at + 2 == k)
				return FMT_LENGTH;
			at += p[2] == '#' ? 3 : 2;
			p += p[2] == '#' ? 2 : 1;
			continue;
		}
		if (p[1] == '*') { /* s*, y*, w*: one Py_buffer */
			at++;
			p++;
			continue;
		}
		at++;
	}
	return 0;
}

/* irfacts_var_read_later, its answers kept per (node, var): each is a search of the function. */
static int var_read_later_cached(struct engine *eng, int32_t from, int32_t var)
{
	for (uint32_t i = 0; i < eng->nread_later; i++)
		if (eng->read_later[i].node == from && eng->read_later[i].var == var)
			return eng->read_later[i].read;
	int r = irfacts_var_read_later(eng->fn, from, var);
	if (eng->nread_later == eng->cap_read_later) {
		eng->cap_read_later = eng->cap_read_later ? eng->cap_read_later * 2 : 8;
		eng->read_later = util_xrealloc(eng->read_later, eng->cap_read_later * sizeof *eng->read_later);
	}
	eng->read_later[eng->nread_later].node = from;
	eng->read_later[eng->nread_later].var = var;
	eng->read_later[eng->nread_later++].read = r;
	return r;
}

/*
 * The arguments where the call fails cleanly on NULL (fails-on-null), when the program looks at
 * that failure: the call's result is tested or returned (directly or through a copy), or the
 * argument itself is (`attrs = PyObject_Dir (t); PyObject_CallMethod (attrs, ...); return
 * attrs;`: the NULL carries the error on). A call whose result is dropped or only stored
 * (`PyList_Append (list, Py_BuildValue (...));`, `s->value = PyLong_AsLong (PyList_GetItem (l,
 * 1));`) with an argument nobody looks at again swallows the error it reports, so a failed result
 * handed there is reported as before, and the path ends there.
 */
uint32_t engine_fails_on_null(struct engine *eng, int32_t node)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	uint32_t m = model_mask(n->model, MODEL_FAILS_ON_NULL, n->nargs);
	if (!m || n->succ[0] < 0)
		return 0;
	if (!eng->fails_on_null)
		eng->fails_on_null = util_xcalloc(eng->fn->nnodes, sizeof *eng->fails_on_null);
	uint64_t *c = &eng->fails_on_null[node];
	if (!(*c >> 32)) {
		uint32_t keep = 0;
		if (n->dest >= 0 && irfacts_var_tested_later(eng->fn, n->succ[0], n->dest)) {
			keep = m;
		} else {
			const struct ir_operand *a = ir_args(eng->fn, n);
			for (uint32_t k = 0; k < n->nargs && k < 32; k++)
				if ((m >> k & 1) && a[k].kind == IR_OPND_VAR &&
				    irfacts_var_tested_later(eng->fn, n->succ[0], a[k].var))
					keep |= 1u << k;
		}
		*c = (uint64_t)1 << 32 | keep;
	}
	return (uint32_t)*c;
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
static void unknown_call_escapes(struct engine *eng, struct eng_state *st, int32_t node, const struct ir_operand *a)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	if (!n->callee || (eng->conv[node] & CC_API_BORROWS) || n->succ[0] < 0)
		return;
	for (uint32_t k = 0; k < n->nargs; k++) {
		uint8_t s = xfer_operand_slot(st, &a[k]);
		if (!s || st->vals[s].owned <= 0)
			continue;
		int used_later = 0, named = 0;
		for (uint32_t j = 0; j < st->nbind && !used_later; j++) {
			uint32_t i = bind_var(st->bind[j]);
			if (bind_slot(st->bind[j]) != s || (int32_t)i == n->dest)
				continue;
			used_later = var_read_later_cached(eng, n->succ[0], (int32_t)i);
			named |= !(eng->fn->vars[i].flags & IR_VAR_TEMP);
		}
		int replaced = n->dest >= 0 && (eng->fn->vars[n->dest].flags & IR_VAR_PTR);
		if (!used_later && (!named || replaced))
			st->vals[s].flags |= ENG_V_ESCAPED;
	}
}

/*
 * A reference handed to a call next to a callback of ours (a function designator argument:
 * do_async (self, on_done, simple), g_idle_add (cb, obj)) is, by the C convention of callback
 * data, the callback's to use and often to drop (the async idiom: the callback releases its
 * user data). For a call whose model comes from a file (GIR: notify-takes says which data an
 * async callback receives, and scope="call" data is only borrowed) the model decides; for one
 * of the tree (a summary says what its body does, but not what the callback it stores will do)
 * or one nothing is known about, the reference escapes: neither its loss nor a later release
 * by the caller is reported.
 */
static void callback_data_escapes(const struct ir_func *fn, struct eng_state *st, const struct ir_node *n,
				  const struct model_fn *m, uint32_t said)
{
	if (m && m->origin != MODEL_FROM_SUMMARY && m->origin != MODEL_FROM_NAME)
		return;
	const struct ir_operand *a = ir_args(fn, n);
	uint32_t k, cb = 0;
	for (k = 0; k < n->nargs && !cb; k++)
		cb = a[k].kind == IR_OPND_UNKNOWN && a[k].str;
	if (!cb)
		return;
	for (k = 1; k < n->nargs && k < 32; k++) {
		give_to_callback(st, (said & (1u << k)) ? 0 : xfer_arg_slot(fn, st, &a[k]));
	}
}

/* A call nothing is trusted about may write any memory: what a field or a global held before
 * it is not known to be what it holds after it (a reference the function owns through the
 * field stays followed: its loss is still the function's). */
/* Whether a call is handed the address of local struct `name` ("arg" or "arg.member"). */
static int call_reaches_local(const struct ir_func *fn, const struct ir_node *call, const char *name)
{
	size_t base = strcspn(name, ".");
	const struct ir_operand *a = ir_args(fn, call);
	for (uint32_t k = 0; k < call->nargs; k++)
		if (a[k].kind == IR_OPND_FIELD && a[k].var == -2 && a[k].str && !strncmp(a[k].str, name, base) &&
		    (a[k].str[base] == '\0' || a[k].str[base] == '.'))
			return 1;
	return 0;
}

static void forget_memory(const struct ir_func *fn, struct eng_state *st, const struct ir_node *call)
{
	for (uint32_t i = 1; i <= st->nvals; i++) {
		struct eng_value *v = &st->vals[i];
		if (!(v->flags & ENG_V_FIELD) || v->owned != 0 || v->param || (v->flags & ENG_V_OWES))
			continue;
		/* a local struct is out of the callee's reach unless the call is handed its address
		 * (parse_args(&arg, ...)) */
		const struct ir_operand *key = value_key(fn, v);
		if (key && key->var == -2 && key->ival == 2 && key->str && !call_reaches_local(fn, call, key->str))
			continue;
		v->flags &= (uint32_t)~ENG_V_FIELD;
	}
}

/*
 * What a call does to the error indicator (the `error-*` conventions): a call of the API that
 * fails (its failure outcome) sets it; an `error-set` call sets it, an `error-clear` one clears
 * it; an `error-query` leaves it. A modelled call's success leaves it as it was, except an
 * `error-maybe` one (in-band errors). A call nothing is trusted about (unknown, guessed from its
 * name, or a helper of the unit, whose summary does not say) may have set or cleared it.
 */
/* Whether a call that the model says cannot fail really leaves the error indicator alone: it
 * returns an object, or it is a reference operation (Py_INCREF, PyTuple_SET_ITEM, Py_CLEAR).
 * Other results (a C pointer, an int, nothing) may report an error in band: NULL from
 * PyCapsule_GetPointer, -1 from PyLong_AsLong, with an exception set. */
static int in_band_safe(const struct model_fn *m)
{
	if (m->flags & (MODEL_NULL_ON_FAILURE | MODEL_NEG_ON_FAILURE | MODEL_ZERO_ON_FAILURE))
		return 1;
	if (m->ret == MODEL_RET_NEW || m->ret == MODEL_RET_BORROWED)
		return 1;
	static const enum model_arg_kind effects[] = { MODEL_STEALS, MODEL_STEALS_OK, MODEL_RELEASES, MODEL_ACQUIRES,
						      MODEL_CLEARS, MODEL_FREES };
	for (size_t i = 0; i < sizeof effects / sizeof *effects; i++)
		if (m->arg[effects[i]] || m->arg_end[effects[i]])
			return 1;
	return m->setref_dst > 0 || (m->flags & MODEL_RETURN_STMT);
}

static void call_error_state(struct engine *eng, struct eng_state *st, const struct ir_node *n, int failed)
{
	const struct model_fn *m = n->model;
	uint8_t cc = eng->conv[n - eng->fn->nodes];
	uint8_t before = st->err;
	if ((cc & CC_ERR_QUERY) || (m && (m->flags & MODEL_ERROR_QUERY)))
		return;
	if (cc & CC_ERR_SET)
		st->err = ENG_ERR_SET;
	else if (cc & CC_ERR_CLEAR)
		st->err = ENG_ERR_CLEAR;
	else if (!m || (m->flags & MODEL_HEURISTIC) || m->origin == MODEL_FROM_SUMMARY || (cc & CC_ERR_MAYBE))
		st->err = ENG_ERR_UNKNOWN;
	else if (!(cc & CC_ERR_ON_FAILURE) && (n->dest >= 0 || !in_band_safe(m)))
		st->err = ENG_ERR_UNKNOWN; /* a function of the project's own (annotated, or of a model
					    * file): whatever it returns, it may have set an error */
	else if (failed == XFER_ABSENT)
		; /* a three-way call that found nothing sets no error */
	else if (failed)
		st->err = (cc & CC_ERR_ON_FAILURE) ? ENG_ERR_SET : ENG_ERR_UNKNOWN;
	else if (!in_band_safe(m) && (cc & CC_ERR_ON_FAILURE))
		st->err = ENG_ERR_UNKNOWN;
	if (st->err != before) /* an earlier query's answer is about the indicator as it was then */
		for (uint32_t i = 1; i <= st->nvals; i++)
			if (st->vals[i].sign == ENG_SIGN_ERR_QUERY)
				st->vals[i].sign = ENG_SIGN_ANY;
}

/* The operands of call n as its model sees them: with embedded-count=N, argument N written
 * `&obj->ref` stands for obj (the count is the object's: kref_put (&obj->ref, release)). buf
 * holds the copy when one is needed. */
static const struct ir_operand *embedded_counts(const struct ir_func *fn, const struct ir_node *n,
						const struct model_fn *m, struct ir_operand *buf)
{
	const struct ir_operand *a = ir_args(fn, n);
	uint32_t mask = model_mask(m, MODEL_EMBEDDED, n->nargs);
	if (!mask || n->nargs > 32)
		return a;
	for (uint32_t k = 0; k < n->nargs; k++) {
		buf[k] = a[k];
		if ((mask & (1u << k)) && a[k].kind == IR_OPND_FIELD && a[k].var >= 0)
			buf[k] = ir_var_opnd(a[k].var);
	}
	return buf;
}

void xfer_call(struct engine *eng, struct eng_state *st, int32_t node, int failed)
{
	const struct ir_func *fn = eng->fn;
	const struct ir_node *n = &fn->nodes[node];
	const struct model_fn *m = n->model;
	struct ir_operand embedded[32];
	const struct ir_operand *a = embedded_counts(fn, n, m, embedded);
	if (m && (m->flags & MODEL_FETCHES) && st->err != ENG_ERR_UNKNOWN)
		failed = st->err == ENG_ERR_SET ? XFER_OK : XFER_ABSENT; /* the indicator is known */
	call_error_state(eng, st, n, failed);
	int heuristic = m && (m->flags & MODEL_HEURISTIC);
	/* a guessed model (returns-new-type) says only what the result is: the call is otherwise
	 * one nothing is known about */
	int guessed = m && (m->flags & MODEL_GUESSED);
	if (!m || heuristic || guessed || m->origin == MODEL_FROM_SUMMARY)
		forget_memory(fn, st, n);
	if (heuristic && n->nargs != 1)
		m = NULL;
	uint32_t na = n->nargs;
	uint32_t rel = model_mask(m, MODEL_RELEASES, na), acq = model_mask(m, MODEL_ACQUIRES, na);
	uint32_t steals = model_mask(m, MODEL_STEALS, na) | (failed ? 0 : model_mask(m, MODEL_STEALS_OK, na));
	uint32_t clears = model_mask(m, MODEL_CLEARS, na);
	uint32_t out_new = model_mask(m, MODEL_OUT_NEW, na), out_bor = model_mask(m, MODEL_OUT_BORROWED, na);
	uint32_t out_fail = model_mask(m, MODEL_OUT_NEW_FAIL, na), sinks = model_mask(m, MODEL_SINKS, na);
	int sunk = 0; /* a sinks argument was floating: the result is that reference, no new one */
	int ret_arg = m && !heuristic ? returned_arg(m, na) : 0;
	if (ret_arg)
		acq &= ~(1u << (ret_arg - 1)); /* the acquired reference is the result */
	hand_over(fn, st, n, m && !heuristic ? m : NULL, rel | steals | acq | clears | out_new | out_bor | sinks, node);
	callback_data_escapes(fn, st, n, n->model, rel | steals | acq | clears | out_new | out_bor | sinks);
	if (!n->model || guessed)
		unknown_call_escapes(eng, st, node, a);
	if ((!n->model || (n->model->flags & (MODEL_HEURISTIC | MODEL_GUESSED))) &&
	    !(eng->conv[node] & CC_API_BORROWS)) {
		/* whatever a function nothing is known about does with an owned reference it is
		 * handed is a guess: a loss of that reference later rests on it */
		for (uint32_t k = 0; k < na; k++) {
			uint8_t s = xfer_operand_slot(st, &a[k]);
			if (s && st->vals[s].owned > 0)
				st->vals[s].flags |= ENG_V_GUESS;
		}
	}
	/* a call that fails when handed NULL there (fails-on-null) reported nothing: a failed
	 * result handed there is still unchecked after it; and if it succeeded, the argument was
	 * not NULL */
	uint32_t nonnull_ok = model_null_ok(m, na), fails_on_null = m && !heuristic ? engine_fails_on_null(eng, node) : 0;
	uint32_t not_null_now = failed || heuristic ? 0 : fails_on_null;
	for (uint32_t k = 0; k < na; k++) {
		uint32_t bit = k < 32 ? 1u << k : 0;
		uint8_t s = xfer_arg_slot(fn, st, &a[k]);
		if (!s && m && !heuristic && ((rel | steals | acq) & bit))
			s = global_value(fn, st, &a[k], node);
		if (s && !(rel & bit))
			st->vals[s].flags |= ENG_V_PASSED;
		if (s && m && !heuristic && !((nonnull_ok | fails_on_null) & bit) && st->vals[s].null == ENG_NULL_FAIL)
			st->vals[s].null = ENG_NULL; /* reported once (rc-unchecked-null) */
		if (s && (not_null_now & bit) && st->vals[s].null == ENG_MAYBE)
			st->vals[s].null = ENG_NONNULL; /* (a NULL there cannot succeed: explore.c follows
							 * the failure alone when the call can fail) */
		if (a[k].kind == IR_OPND_ADDR) {
			int32_t var = a[k].var;
			if (m && !heuristic && m->setref_dst && k + 1 == (uint32_t)m->setref_dst)
				continue; /* Py_SETREF(&local, v): below, not an escape of the old value */
			/* what a PyArg_ParseTuple-style format unit stores there (its format read once) */
			int fmt = m && !heuristic && m->format_parse && k >= (uint32_t)m->format_parse
					  ? format_output(eng, n, m->format_parse, k) : 0;
			if ((clears & bit) && (out_new & bit)) {
				/* _PyBytes_Resize(&b, n): the old reference is given up; on success *b is a
				 * new reference (maybe the same object), on failure NULL */
				release_slot(st, state_slot(st, var), node);
				if (!failed) {
					bind_new_out(st, var, node, 1);
				} else {
					uint8_t z = xfer_new_value(st, node);
					if (z)
						st->vals[z].null = ENG_NULL;
					state_bind(st, var, z);
				}
			} else if (clears & bit) {
				release_slot(st, state_slot(st, var), node);
				uint8_t z = xfer_new_value(st, node);
				if (z)
					st->vals[z].null = ENG_NULL;
				state_bind(st, var, z);
			} else if (((out_new | out_bor) & bit) && (m->flags & MODEL_FETCHES)) {
				/* PyErr_Fetch(&type, &value, &tb): all NULL without an error; with one, the
				 * first (the type) is not NULL and the others may be */
				if (failed == XFER_ABSENT) {
					uint8_t z = xfer_new_value(st, node);
					if (z)
						st->vals[z].null = ENG_NULL;
					state_bind(st, var, z);
				} else {
					bind_new_out(st, var, node, (out_new & bit) != 0);
					if (!((out_new | out_bor) & (bit - 1)) && state_slot(st, var))
						st->vals[state_slot(st, var)].null = ENG_NONNULL;
				}
			} else if ((out_new | out_bor) & bit) {
				if (!failed || (out_bor & bit)) {
					bind_new_out(st, var, node, (out_new & bit) != 0);
					if (!failed && (m->flags & MODEL_THREE_WAY) && state_slot(st, var))
						st->vals[state_slot(st, var)].null = ENG_NONNULL; /* 1: found */
				} else {
					/* PyDict_GetItemRef & co.: *result is set to NULL on error, and when
					 * nothing was found (a NULL the caller must check: NULL_FAIL) */
					uint8_t z = xfer_new_value(st, node);
					if (z)
						st->vals[z].null = failed == XFER_ABSENT ? ENG_NULL_FAIL : ENG_NULL;
					state_bind(st, var, z);
				}
			} else if (out_fail & bit) {
				/* GError **: set (not NULL) only when the call fails; untouched otherwise */
				if (failed) {
					bind_new_out(st, var, node, 1);
					if (state_slot(st, var))
						st->vals[state_slot(st, var)].null = ENG_NONNULL;
				}
			} else if (fmt == FMT_LENGTH) {
				/* the length of "s#": what a test `len < 0` finds on success */
				if (!failed) {
					uint8_t z = xfer_new_value(st, node);
					if (z) {
						st->vals[z].flags = ENG_V_INT;
						st->vals[z].sign = ENG_SIGN_NONNEG;
					}
					state_bind(st, var, z);
				}
			} else if (fmt == FMT_CONVERTED) {
				/* "O&": what the converter stores (PyUnicode_FSConverter: a new reference on
				 * success); a converter nothing is known about leaves it untracked */
				const struct model_fn *cv = eng->opt->model && a[k - 1].str
							    ? model_lookup(eng->opt->model, a[k - 1].str) : NULL;
				int64_t uf = a[k - 1].ival - 1; /* a converter of the unit: its summary */
				int unit_new = !cv && a[k - 1].kind == IR_OPND_UNKNOWN && uf >= 0 && eng->opt->unit_summaries &&
					       (uint64_t)uf < eng->opt->nunit_summaries && eng->opt->unit_summaries[uf].valid &&
					       (eng->opt->unit_summaries[uf].out_new_on_success & 2u);
				if (!failed && (unit_new || (cv && (model_mask(cv, MODEL_OUT_NEW, 2) & 2u)))) {
					bind_new_out(st, var, node, 1);
					if (state_slot(st, var)) /* a converter that succeeded stored an object */
						st->vals[state_slot(st, var)].null = ENG_NONNULL;
				} else
					state_bind(st, var, 0);
			} else if (m && !heuristic && ((m->format_parse && k >= (uint32_t)m->format_parse) ||
						       (m->unpack_borrowed && k + 1 >= (uint32_t)m->unpack_borrowed))) {
				if (!failed)
					bind_new_out(st, var, node, 0);
			} else {
				escape_var(st, var);
			}
			continue;
		}
		if (a[k].kind == IR_OPND_FIELD && (out_fail & bit) && a[k].var >= 0 && a[k].str) {
			/* call(..., &job->error): the field holds an error exactly when the call failed
			 * (empty before, by the API's rule), owned by the memory like any field; a test
			 * of it is a test of the failure */
			unlink_field(fn, st, &a[k]);
			uint8_t z = xfer_new_value(st, node);
			if (z) {
				st->vals[z].flags = ENG_V_FIELD | ENG_V_LOADED;
				st->vals[z].null = failed ? ENG_NONNULL : ENG_NULL;
				st->vals[z].key_site = node;
			}
			continue;
		}
		if (a[k].kind == IR_OPND_FIELD && (clears & bit)) {
			clear_field_value(st, find_field(fn, st, &a[k]), node);
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
		if (model_mask(m, MODEL_FREES, na) & bit)
			st->vals[s].flags |= ENG_V_MEMFREED;
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
		if ((sinks & bit) && (st->vals[s].flags & (ENG_V_FLOATING | ENG_V_MAYBE_FLOATING))) {
			st->vals[s].flags &= ~(ENG_V_FLOATING | ENG_V_MAYBE_FLOATING);
			sunk = 1;
		}
		if (rel & bit)
			release_slot(st, s, node);
		/* Py_INCREF(&Type); PyModule_AddObject(m, "T", (PyObject *)&Type): a static object
		 * named here (a fresh value of its own) carries the reference taken just before */
		if ((steals & bit) && st->vals[s].sign == ENG_SIGN_IS_GLOBAL && st->vals[s].owned == 0 &&
		    a[k].kind == IR_OPND_FIELD && a[k].var == -2 && a[k].str &&
		    engine_global_acquired_before(eng, n, a[k].str))
			st->vals[s].owned = 1;
		if (steals & bit)
			steal_slot(st, s, node);
		if (acq & bit)
			acquire_slot(st, s);
	}
	if (m && !heuristic && m->setref_dst && (uint32_t)m->setref_dst <= na && (uint32_t)m->setref_src <= na) {
		const struct ir_operand *d = &a[m->setref_dst - 1], *src = &a[m->setref_src - 1];
		uint8_t ss = xfer_operand_slot(st, src);
		if (d->kind == IR_OPND_VAR || d->kind == IR_OPND_ADDR) {
			release_slot(st, state_slot(st, d->var), node);
			state_bind(st, d->var, ss);
		} else {
			if (d->kind == IR_OPND_FIELD) {
				clear_field_value(st, find_field(fn, st, d), node);
				unlink_field(fn, st, d);
			}
			if (ss && st->vals[ss].owned > 0) {
				st->vals[ss].owned--; /* the reference moves into the field */
				st->vals[ss].flags |= ENG_V_STOLEN;
			}
		}
	}
	if (m && !heuristic && m->format_build)
		apply_format_build(st, fn, n, m->format_build, node, failed);
	if (n->dest < 0)
		return;
	uint8_t s = 0;
	if (m && !heuristic) {
		if (ret_arg && (uint32_t)ret_arg <= na && xfer_operand_slot(st, &a[ret_arg - 1])) {
			s = xfer_operand_slot(st, &a[ret_arg - 1]);
			if (m->ret == MODEL_RET_NEW && !failed && !sunk)
				acquire_slot(st, s);
			state_bind(st, n->dest, s);
			return;
		}
		switch (m->ret) {
		case MODEL_RET_NEW:
		case MODEL_RET_BORROWED:
			s = xfer_new_value(st, node);
			if (!s)
				break;
			st->vals[s].flags = ENG_V_OBJ;
			if (m->ret == MODEL_RET_NEW && !failed) {
				st->vals[s].owned = 1;
				st->vals[s].flags |= ENG_V_HAD_OWNED | ((m->flags & MODEL_FLOATING) ? ENG_V_FLOATING : 0) |
						     ((m->flags & MODEL_MAYBE_FLOATING) ? ENG_V_MAYBE_FLOATING : 0) |
						     (guessed ? ENG_V_GUESS_NEW : 0);
				if ((eng->conv[node] & CC_FAILS_ON_MEMORY) || (m->flags & MODEL_FRESH))
					st->vals[s].flags |= ENG_V_FRESH;
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
				st->vals[s].parent = xfer_operand_slot(st, &a[m->borrowed_from - 1]);
			if ((eng->conv[node] & CC_ERR_QUERY) || (m->flags & MODEL_ERROR_QUERY)) {
				/* PyErr_Occurred(): not NULL exactly when an error is set (refine) */
				st->vals[s].sign = ENG_SIGN_ERR_QUERY;
				st->vals[s].null = st->err == ENG_ERR_SET     ? ENG_NONNULL
						   : st->err == ENG_ERR_CLEAR ? ENG_NULL
									      : ENG_MAYBE;
			}
			if (m->element_of > 0 && (uint32_t)m->element_of <= na && xfer_operand_slot(st, &a[m->element_of - 1])) {
				st->vals[s].parent = xfer_operand_slot(st, &a[m->element_of - 1]);
				st->vals[s].flags |= ENG_V_ELEMENT;
			}
			break;
		case MODEL_RET_INT:
			s = xfer_new_value(st, node);
			if (!s)
				break;
			st->vals[s].flags = ENG_V_INT;
			if (m->flags & MODEL_ERROR_QUERY) {
				/* has_error(): non-zero exactly when an error is set (refine) */
				if (st->err == ENG_ERR_CLEAR) {
					st->vals[s].flags |= ENG_V_INT_KNOWN;
					st->vals[s].ival = 0;
					st->vals[s].sign = ENG_SIGN_NONNEG;
				} else if (st->err == ENG_ERR_SET) {
					st->vals[s].sign = ENG_SIGN_NONZERO;
				} else {
					st->vals[s].sign = ENG_SIGN_ERR_QUERY;
				}
				break;
			}
			if (m->nonnull_if_true > 0 && (uint32_t)m->nonnull_if_true <= na &&
			    xfer_operand_slot(st, &a[m->nonnull_if_true - 1])) {
				st->vals[s].flags |= ENG_V_INT_TESTS; /* PyCallable_Check(x) */
				st->vals[s].parent = xfer_operand_slot(st, &a[m->nonnull_if_true - 1]);
			}
			if (m->flags & MODEL_THREE_WAY) {
				/* 1 found, 0 found nothing, -1 error (PyDict_GetItemRef) */
				st->vals[s].flags |= ENG_V_INT_KNOWN;
				st->vals[s].ival = failed == XFER_FAILED ? -1 : failed == XFER_ABSENT ? 0 : 1;
				st->vals[s].sign = failed == XFER_FAILED ? ENG_SIGN_NEG
						   : failed == XFER_ABSENT ? ENG_SIGN_NONNEG : ENG_SIGN_POS;
			} else if (m->flags & MODEL_NEG_ON_FAILURE) {
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
				} else if (m->flags & MODEL_ONE_ON_SUCCESS) {
					st->vals[s].flags |= ENG_V_INT_KNOWN; /* a gboolean: TRUE */
					st->vals[s].ival = 1;
					st->vals[s].sign = ENG_SIGN_POS;
				} else {
					st->vals[s].sign = ENG_SIGN_NONZERO;
				}
			}
			break;
		case MODEL_RET_NONE:
			/* a C pointer, NULL exactly on failure (xfer_call_forks), or never NULL: not an
			 * object */
			if (!(m->flags & (MODEL_NULL_ON_FAILURE | MODEL_NEVER_NULL)) || !(fn->vars[n->dest].flags & IR_VAR_PTR))
				break;
			s = xfer_new_value(st, node);
			if (s)
				st->vals[s].null = failed ? ENG_NULL : ENG_NONNULL;
			break;
		default:
			break;
		}
	}
	state_bind(st, n->dest, s);
}

/* Whether argument k (0-based) of call n is an integer CPython keeps as a small int (-5..256):
 * a constant, or an expression whose type or form keeps it there (ir_node.small_args). */
static int small_int_arg(const struct ir_func *fn, const struct ir_node *n, uint32_t k)
{
	const struct ir_operand *a = &ir_args(fn, n)[k];
	if (a->kind == IR_OPND_INT)
		return a->ival >= -5 && a->ival <= 256;
	return k < 8 && (n->small_args & (1u << k));
}

int xfer_call_forks(const struct engine *eng, const struct ir_node *n)
{
	const struct ir_func *fn = eng->fn;
	const struct model_fn *m = n->model;
	if (!m || (m->flags & MODEL_HEURISTIC))
		return 0;
	/* PyTuple_GetItem(t, i) with i checked against the size of t (index_ranges) */
	if (m->index_arg && eng->in_range && eng->in_range[n - fn->nodes])
		return 0;
	/* Py_BuildValue("()"): the empty tuple (or None for ""), which CPython keeps: no failure */
	if (m->format_build > 0 && (uint32_t)m->format_build <= n->nargs && m->format_lang == MODEL_FORMAT_PYTHON) {
		const struct ir_operand *f = &ir_args(fn, n)[m->format_build - 1];
		int empty = f->kind == IR_OPND_STR && f->str;
		for (const char *p = empty ? f->str : ""; *p && empty; p++)
			empty = *p == '(' || *p == ')' || *p == ' ';
		if (empty)
			return 0;
	}
	/* Py_XNewRef(x): NULL exactly when x is NULL, which x's own value already says */
	if (m->returns_arg && !(m->flags & MODEL_NULL_ON_FAILURE))
		return 0;
	/* PyLong_FromLong(1), or of an unsigned char: CPython keeps the small ints, the call
	 * cannot fail */
	if ((m->flags & MODEL_SMALL_INT) && n->nargs >= 1 && small_int_arg(fn, n, 0))
		return 0;
	/* PyTuple_New(0): the empty tuple CPython keeps */
	if ((m->flags & MODEL_EMPTY_NEVER_FAILS) && n->nargs >= 1 && ir_args(fn, n)[0].kind == IR_OPND_INT &&
	    ir_args(fn, n)[0].ival == 0)
		return 0;
	/* Py_BuildValue("i", v) with v a small int: that int itself, kept by CPython */
	if (m->format_build > 0 && (uint32_t)m->format_build < n->nargs && m->format_lang == MODEL_FORMAT_PYTHON) {
		const struct ir_operand *f = &ir_args(fn, n)[m->format_build - 1];
		if (f->kind == IR_OPND_STR && f->str && f->str[0] && !f->str[1] && strchr("bBhHiIlkLKn", f->str[0]) &&
		    small_int_arg(fn, n, (uint32_t)m->format_build))
			return 0;
	}
	/* PyErr_Fetch: an error was set (XFER_OK), or none (XFER_ABSENT: every output NULL) */
	if (m->flags & MODEL_FETCHES)
		return 1;
	int has_ok = model_mask(m, MODEL_STEALS_OK, n->nargs) != 0 || model_mask(m, MODEL_OUT_NEW, n->nargs) != 0 ||
		     model_mask(m, MODEL_OUT_NEW_FAIL, n->nargs) != 0 ||
		     m->format_parse || m->unpack_borrowed;
	if ((m->ret == MODEL_RET_NEW || m->ret == MODEL_RET_BORROWED) &&
	    (m->flags & (MODEL_NULL_ON_FAILURE | MODEL_MAY_RETURN_NULL)))
		return n->dest >= 0 || has_ok;
	if (m->flags & (MODEL_NEG_ON_FAILURE | MODEL_ZERO_ON_FAILURE))
		return n->dest >= 0 || has_ok;
	/* a C pointer into an object, NULL with an exception set on failure (PyBytes_AsString):
	 * the test of the result is a test of the failure */
	if (m->ret == MODEL_RET_NONE && (m->flags & MODEL_NULL_ON_FAILURE))
		return n->dest >= 0 && (fn->vars[n->dest].flags & IR_VAR_PTR);
	return 0;
}

static void assign_operand(struct engine *eng, struct eng_state *st, int32_t node, int32_t dest,
			   const struct ir_operand *o)
{
	uint8_t s = 0;
	switch (o->kind) {
	case IR_OPND_VAR:
		s = state_slot(st, o->var);
		break;
	case IR_OPND_FIELD:
		/* rv = Py_None: the local names a static object the model says is borrowed */
		if (o->var == -2 && o->ival == 1 && o->str && (eng->fn->vars[dest].flags & IR_VAR_PTR)) {
			s = xfer_arg_slot(eng->fn, st, o); /* a value the path already has for it */
			if (!s)
				s = global_value(eng->fn, st, o, node);
		}
		break;
	case IR_OPND_NULL:
		s = xfer_new_value(st, node);
		if (s)
			st->vals[s].null = ENG_NULL;
		break;
	case IR_OPND_INT:
		if (eng->fn->vars[dest].flags & IR_VAR_PTR) {
			if (o->ival == 0) {
				s = xfer_new_value(st, node);
				if (s)
					st->vals[s].null = ENG_NULL;
			}
			break;
		}
		if (o->ival < -1000000 || o->ival > 1000000)
			break;
		s = xfer_new_value(st, node);
		if (s) {
			st->vals[s].flags = ENG_V_INT | ENG_V_INT_KNOWN;
			st->vals[s].ival = (int32_t)o->ival;
			st->vals[s].sign = o->ival < 0 ? ENG_SIGN_NEG : ENG_SIGN_NONNEG;
		}
		break;
	case IR_OPND_LOAD:
		if (eng->fn->vars[dest].flags & IR_VAR_INT) {
			/* an int stored into memory and read back (`s->flag = f(); if (s->flag < 0)`);
			 * a member of a local struct read twice is one value (`if (arg.fixed) ...`) */
			s = find_field(eng->fn, st, o);
			if (!s && o->var == -2 && o->ival == 2 && o->str && (s = xfer_new_value(st, node)) != 0) {
				st->vals[s].flags = ENG_V_INT | ENG_V_FIELD;
				st->vals[s].key_site = node;
			}
			break;
		}
		if (!(eng->fn->vars[dest].flags & IR_VAR_PTR))
			break;
		s = find_field(eng->fn, st, o);
		if (s)
			break;
		if (o->var == -2 && o->ival == 2) {
			/* a member of a local struct filled elsewhere (`r = read(self); return
			 * r.chunk;`): whether it holds a reference is the filler's business; read
			 * again, it is the same value */
			s = xfer_new_value(st, node);
			if (s) {
				st->vals[s].flags = ENG_V_OPAQUE | ENG_V_FIELD;
				st->vals[s].null = ENG_MAYBE;
				st->vals[s].key_site = node;
			}
			break;
		}
		s = xfer_new_value(st, node);
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
			uint8_t base = o->var >= 0 ? state_slot(st, o->var) : 0;
			if (base && !st->vals[base].param)
				st->vals[s].parent = base;
			if (o->var != -1 && o->str) {
				st->vals[s].flags |= ENG_V_FIELD;
				st->vals[s].key_site = node;
			}
		}
		break;
	default:
		break;
	}
	state_bind(st, dest, s);
}

/* Refines value slot s for one branch direction; returns 0 when that direction is infeasible. */
/* ---- integers: what the comparisons with constants say ---------------------------------------
 * An integer value is known exactly (ENG_V_INT_KNOWN) or by its sign (enum eng_sign): NEG is
 * [-inf, -1], NONNEG [0, inf], POS [1, inf], NONZERO everything but 0. A comparison with a
 * constant intersects that range with its edge's and maps the result back (a range the signs
 * cannot say, such as [0, 9], becomes the widest sign that holds). */

#define INT_INF (INT64_C(1) << 40)

static void int_range(const struct eng_value *v, int64_t *lo, int64_t *hi)
{
	*lo = -INT_INF;
	*hi = INT_INF;
	if (v->flags & ENG_V_INT_KNOWN)
		*lo = *hi = v->ival;
	else if (v->sign == ENG_SIGN_NEG)
		*hi = -1;
	else if (v->sign == ENG_SIGN_NONNEG)
		*lo = 0;
	else if (v->sign == ENG_SIGN_POS)
		*lo = 1;
}

/* Intersects v's range with [lo, hi], and with "not 0" when nonzero; 0 when empty. */
static int int_constrain(struct eng_value *v, int64_t lo, int64_t hi, int nonzero)
{
	int64_t vlo, vhi;
	int_range(v, &vlo, &vhi);
	nonzero |= v->sign == ENG_SIGN_NONZERO;
	if (lo > vlo)
		vlo = lo;
	if (hi < vhi)
		vhi = hi;
	if (nonzero && vlo == 0)
		vlo = 1;
	if (nonzero && vhi == 0)
		vhi = -1;
	if (vlo > vhi)
		return 0;
	if ((v->flags & ENG_V_INT_NE) && !(v->flags & ENG_V_INT_KNOWN) && vlo == vhi && vlo == v->ival)
		return 0; /* the one value left is the one excluded */
	if (vlo == vhi && vlo >= -1000000 && vlo <= 1000000) {
		v->flags &= ~ENG_V_INT_NE;
		v->flags |= ENG_V_INT_KNOWN;
		v->ival = (int32_t)vlo;
		v->sign = vlo < 0 ? ENG_SIGN_NEG : vlo > 0 ? ENG_SIGN_POS : ENG_SIGN_NONNEG;
		return 1;
	}
	if (v->flags & ENG_V_INT_KNOWN)
		return 1;
	v->sign = vlo >= 1 ? ENG_SIGN_POS : vlo >= 0 ? ENG_SIGN_NONNEG : vhi <= -1 ? ENG_SIGN_NEG
		: nonzero ? ENG_SIGN_NONZERO : ENG_SIGN_ANY;
	return 1;
}

/* v == k on the true edge, v != k on the other. */
static int int_equals(struct eng_value *v, int64_t k, int taken_true)
{
	int excluded = (v->flags & ENG_V_INT_NE) && !(v->flags & ENG_V_INT_KNOWN);
	if (taken_true)
		return !(excluded && v->ival == k) && int_constrain(v, k, k, 0);
	int64_t lo, hi;
	int_range(v, &lo, &hi);
	if (lo == k && hi == k)
		return 0;
	if (k == 0)
		return int_constrain(v, -INT_INF, INT_INF, 1);
	if (k == lo)
		return int_constrain(v, lo + 1, INT_INF, 0);
	if (k == hi)
		return int_constrain(v, -INT_INF, hi - 1, 0);
	/* inside the range: one excluded constant is kept (`if (c == 1) goto out; ... if (c == 1)`) */
	if (!excluded && !(v->flags & ENG_V_INT_KNOWN) && k >= INT32_MIN && k <= INT32_MAX) {
		v->flags |= ENG_V_INT_NE;
		v->ival = (int32_t)k;
	}
	return 1;
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
			if (v->sign == ENG_SIGN_ERR_QUERY) {
				/* if (has_error()): the edge says whether an error is set */
				if (st->err == (taken_true ? ENG_ERR_SET : ENG_ERR_CLEAR))
					return 0;
				st->err = taken_true ? ENG_ERR_CLEAR : ENG_ERR_SET;
				v->sign = ENG_SIGN_ANY;
			}
			return int_equals(v, 0, taken_true);
		}
		if (v->sign == ENG_SIGN_ERR_QUERY && v->null == ENG_MAYBE) {
			/* if (PyErr_Occurred()): the edge says whether an error is set */
			if (st->err == (taken_true ? ENG_ERR_SET : ENG_ERR_CLEAR))
				return 0;
			st->err = taken_true ? ENG_ERR_CLEAR : ENG_ERR_SET;
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
		if (v->sign == ENG_SIGN_ERR_QUERY) {
			/* if (check_error() < 0) with -1 / 0 results: negative exactly when set */
			if (st->err == (taken_true ? ENG_ERR_CLEAR : ENG_ERR_SET))
				return 0;
			st->err = taken_true ? ENG_ERR_SET : ENG_ERR_CLEAR;
			v->sign = ENG_SIGN_ANY;
		}
		return taken_true ? int_constrain(v, -INT_INF, -1, 0) : int_constrain(v, 0, INT_INF, 0);
	case IR_COND_IS:
		/* the address of a global is never NULL: a failed result is never equal to it; nor is a
		 * fresh object only the function holds (PyList_New's, a constructor helper's) */
		if (taken_true && !is_int && (v->null == ENG_NULL || v->null == ENG_NULL_FAIL))
			return 0;
		if (taken_true && !is_int && (v->flags & ENG_V_FRESH) && v->owned > 0)
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
		if (!is_int || n->ival < -1000000 || n->ival > 1000000)
			return 1;
		return int_equals(v, n->ival, taken_true);
	default:
		return 1;
	}
}

/* `v < K` (var_first) or `K < v` on one edge: the range of v's value. */
static int refine_lt(struct eng_value *v, int64_t k, int var_first, int taken_true)
{
	if (!(v->flags & ENG_V_INT) || k < -1000000 || k > 1000000)
		return 1;
	if (var_first)
		return taken_true ? int_constrain(v, -INT_INF, k - 1, 0) : int_constrain(v, k, INT_INF, 0);
	return taken_true ? int_constrain(v, k + 1, INT_INF, 0) : int_constrain(v, -INT_INF, k, 0);
}

/* ---- one function per IR operation (called by explore.c's step) -------------------------- */

int xfer_call_crashes(struct engine *eng, const struct eng_state *st, int32_t node)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	const struct ir_operand *a = ir_args(eng->fn, n);
	if (!engine_call_null_facts(eng, n))
		return 0;
	/* a call that fails on NULL there (fails-on-null) does not crash: it fails (xfer_call_must_fail) */
	uint32_t ok = model_null_ok(n->model, n->nargs) | engine_fails_on_null(eng, node);
	for (uint32_t k = 0; k < n->nargs && k < 32; k++) {
		const struct eng_value *v = engine_operand_value(st, &a[k]);
		if (v && v->null == ENG_NULL_FAIL && !(ok & (1u << k)))
			return 1;
	}
	return 0;
}

int xfer_call_must_fail(struct engine *eng, const struct eng_state *st, int32_t node)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	const struct ir_operand *a = ir_args(eng->fn, n);
	uint32_t fails = engine_fails_on_null(eng, node);
	for (uint32_t k = 0; fails && k < n->nargs && k < 32; k++) {
		const struct eng_value *v = engine_operand_value(st, &a[k]);
		if ((fails & (1u << k)) && v && (v->null == ENG_NULL_FAIL || v->null == ENG_NULL))
			return 1;
	}
	return 0;
}

void xfer_call_derefs(struct engine *eng, const struct eng_state *st, int32_t node)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	const struct ir_operand *a = ir_args(eng->fn, n);
	if (!n->model || (n->model->flags & MODEL_HEURISTIC))
		return;
	for (uint32_t k = 0; k < n->nargs && k < 32; k++) {
		const struct eng_value *v = engine_operand_value(st, &a[k]);
		if (v && v->param && v->null == ENG_MAYBE && !(model_null_ok(n->model, n->nargs) & (1u << k)) &&
		    v->param <= 32)
			eng->ret.deref_unchecked |= 1u << (v->param - 1);
	}
}

void xfer_assign(struct engine *eng, struct eng_state *st, int32_t node)
{
	const struct ir_func *fn = eng->fn;
	const struct ir_node *n = &fn->nodes[node];
	assign_operand(eng, st, node, n->dest, &ir_args(fn, n)[0]);
	if (!(fn->vars[n->dest].flags & IR_VAR_TEMP))
		unlink_base(fn, st, n->dest); /* p = ...: p->f names other memory now */
}

void xfer_store(struct engine *eng, struct eng_state *w, int32_t node)
{
	const struct ir_func *fn = eng->fn;
	const struct ir_node *n = &fn->nodes[node];
	const struct ir_operand *a = ir_args(fn, n);
	if (n->nargs > 1) {
		/* tmp = p->f; p->f = NULL (or another value): the reference the memory held moves to
		 * the function, which must release or hand on tmp (old = g_default; g_default = arg;
		 * return old: the swap idiom returns a new reference) */
		uint8_t old = find_field(fn, w, &a[1]), nv = xfer_arg_slot(fn, w, &a[0]);
		/* another value: only a reference the function owns (a new one, the failed NULL of a
		 * call that would have made one, or a static object it took a reference to:
		 * Py_INCREF(Py_None); g = Py_None) replacing a reference read from that memory (not an
		 * integer, not what a call wrote there) */
		int owned_new = nv && nv != old &&
				(w->vals[nv].owned > 0 ||
				 ((w->vals[nv].flags & ENG_V_OBJ) && w->vals[nv].null == ENG_NULL_FAIL));
		int static_new = !nv && a[0].kind == IR_OPND_FIELD && a[0].var == -2 && a[0].str &&
				 engine_global_acquired_before(eng, n, a[0].str);
		int swap = old && (owned_new || static_new) && w->vals[old].owned == 0 &&
			   (w->vals[old].flags & ENG_V_LOADED) && !(w->vals[old].flags & ENG_V_INT);
		if (old && (a[0].kind == IR_OPND_NULL || swap) && w->vals[old].owned < 100 &&
		    !(w->vals[old].flags & ENG_V_OPAQUE)) {
			w->vals[old].owned++;
			w->vals[old].flags |= ENG_V_HAD_OWNED;
		}
		unlink_field(fn, w, &a[1]);
	}
	if (n->nargs > 1 && a[1].var >= 0 && a[1].str && a[1].str[0] == '*' && fn->vars[a[1].var].param >= 0 &&
	    state_slot(w, a[1].var) && a[0].kind == IR_OPND_VAR && state_slot(w, a[0].var)) {
		const struct eng_value *v = &w->vals[state_slot(w, a[0].var)];
		if (v->flags & (ENG_V_OBJ | ENG_V_BORROWED | ENG_V_LOADED | ENG_V_HAD_OWNED) || v->param)
			w->vals[state_slot(w, a[1].var)].flags |= v->owned > 0 ? ENG_V_OUT_OWNED : ENG_V_OUT_BORROWED;
	}
	if (n->nargs > 1 && a[1].ival == 3 && a[1].var != -2 && xfer_arg_slot(fn, w, &a[0])) {
		/* into a C library's `void *` (reader->privdata = self): the library may keep the
		 * reference, it does not own the object by it (returning it after is no borrow) */
		struct eng_value *v = &w->vals[xfer_arg_slot(fn, w, &a[0])];
		if (v->owned > 0)
			v->flags |= ENG_V_ESCAPED;
		return;
	}
	if (n->nargs && xfer_arg_slot(fn, w, &a[0])) { /* a var, or &G naming a value (x == &G) */
		struct eng_value *v = &w->vals[xfer_arg_slot(fn, w, &a[0])];
		v->flags |= ENG_V_STORED;
		if (v->owned > 0)
			v->flags |= ENG_V_ESCAPED;
		if (n->nargs > 1 && a[1].var != -1 && a[1].str && !(v->flags & ENG_V_FIELD)) {
			v->flags |= ENG_V_FIELD; /* p->f = v; later loads of p->f give v */
			v->key_site = node;
		}
	}
}

int xfer_use(struct engine *eng, struct eng_state *w, int32_t node)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	uint8_t s = n->nargs ? xfer_operand_slot(w, &ir_args(eng->fn, n)[0]) : 0;
	if (!s)
		return 1;
	struct eng_value *v = &w->vals[s];
	if (v->param && v->null == ENG_MAYBE && v->param <= 32)
		eng->ret.deref_unchecked |= 1u << (v->param - 1);
	if (v->null == ENG_MAYBE)
		v->null = ENG_NONNULL; /* it was dereferenced: from here on it is not NULL */
	else if (v->null == ENG_NULL_FAIL || v->null == ENG_NULL)
		return 0; /* the program stops here (reported by rc-unchecked-null): a helper that
			   * dereferences an unchecked allocation does not return NULL */
	return 1;
}

void xfer_count(struct engine *eng, struct eng_state *w, int32_t node)
{
	const struct ir_node *n = &eng->fn->nodes[node];
	uint8_t s = n->nargs ? xfer_operand_slot(w, &ir_args(eng->fn, n)[0]) : 0;
	if (s)
		w->vals[s].delta = (int8_t)(w->vals[s].delta + (n->ival > 0 ? 1 : -1));
}

int xfer_branch(struct engine *eng, struct eng_state *w, int32_t node, int t)
{
	const struct ir_func *fn = eng->fn;
	const struct ir_node *n = &fn->nodes[node];
	const struct ir_operand *a = ir_args(fn, n);
	uint8_t s = n->nargs ? xfer_operand_slot(w, &a[0]) : 0;
	if (!s && n->nargs && a[0].kind == IR_OPND_VAR && n->cond != IR_COND_UNKNOWN && n->cond != IR_COND_LT &&
	    (fn->vars[a[0].var].flags & (IR_VAR_PTR | IR_VAR_INT))) {
		/* a var the analysis does not follow (from an unknown call, or whose address was
		 * taken) is still one value until it is assigned: what this test learns holds for
		 * the next test of it (`if (n == 0) ...; if (n) ...`). For x == &G: on the equal
		 * edge x is G, an object whose references the analysis does not count. */
		s = xfer_new_value(w, node);
		if (s) {
			state_bind(w, a[0].var, s);
			if (fn->vars[a[0].var].flags & IR_VAR_INT)
				w->vals[s].flags = ENG_V_INT;
			else if (n->cond != IR_COND_IS) {
				w->vals[s].null = ENG_MAYBE;
				w->vals[s].flags = ENG_V_OPAQUE;
			}
		}
	}
	if (n->cond == IR_COND_LT && n->nargs == 2) {
		/* v < K or K < v: the var's value, made one for the next test if not followed */
		int vi = a[0].kind == IR_OPND_VAR && a[1].kind == IR_OPND_INT ? 0
			 : a[1].kind == IR_OPND_VAR && a[0].kind == IR_OPND_INT ? 1
										: -1;
		if (vi < 0 || !(fn->vars[a[vi].var].flags & IR_VAR_INT))
			return 1;
		uint8_t vs = state_slot(w, a[vi].var);
		if (!vs) {
			vs = xfer_new_value(w, node);
			if (!vs)
				return 1;
			w->vals[vs].flags = ENG_V_INT;
			state_bind(w, a[vi].var, vs);
		}
		return refine_lt(&w->vals[vs], a[1 - vi].ival, vi == 0, t == 0);
	}
	return refine(fn, w, s, n, t == 0);
}
