/*
 * rc-inconsistent: paths that return the same constant (0, -1, NULL...) but leave different
 * count changes on the parameters behind. Needs no API model: count changes come from models
 * when there are some, and otherwise from direct count updates (p->refcnt++) and count-like
 * function names (foo_get/foo_put, see model_guess_from_name). Reported at each return statement
 * whose path differs from the first path reaching the earliest return (in source order) of that
 * value; paths that only meet in one return statement are not compared.
 */
#include "common.h"

struct rec {
	eng_pos pos;
	struct ir_loc loc;
	int64_t key;
	int8_t *delta;
};

struct data {
	struct rec *r;
	uint32_t n, cap;
	int nparams;
};

#define KEY_NULL INT64_MIN

/*
 * Per path and parameter p, rec.delta[p] is p's count change and rec.delta[n + p] what else the
 * path did with p: STORED (p itself was stored), OUT_OWNED / OUT_BORROWED (p is a pointer and
 * `*p = v` stored an owned / a borrowed reference), IS_NULL (p is known NULL there: a tested
 * NULL parameter has nothing to release, so its count is not compared).
 */
enum { STORED = 1, OUT_OWNED = 2, OUT_BORROWED = 4, IS_NULL = 8 };

/* Every out-parameter written on the path received an owned reference, and at least one was. */
static int outs_all_owned(const int8_t *r, int n)
{
	int owned = 0;
	for (int p = 0; p < n; p++) {
		if (r[n + p] & OUT_BORROWED)
			return 0;
		owned |= r[n + p] & OUT_OWNED;
	}
	return owned != 0;
}

/*
 * First parameter whose count changes differ, or -1. A difference is explained when the path
 * with the higher change stored the parameter and both paths hand an owned reference out through
 * the same out-parameters (`*out = self` after Py_INCREF(self) on one path, `*out = fresh` on the
 * other): the extra reference went out with the result.
 */
static int first_difference(const int8_t *a, const int8_t *b, int n)
{
	int outs_ok = -1;
	for (int p = 0; p < n; p++) {
		if (a[p] == b[p] || ((a[n + p] | b[n + p]) & IS_NULL))
			continue; /* a NULL parameter (tested) has nothing to release on that path */
		const int8_t *hi = a[p] > b[p] ? a : b, *lo = hi == a ? b : a;
		if (hi[n + p] & STORED) {
			if (outs_ok < 0) {
				outs_ok = outs_all_owned(a, n) && outs_all_owned(b, n);
				for (int q = 0; q < n && outs_ok; q++)
					outs_ok = (a[n + q] & OUT_OWNED) == (b[n + q] & OUT_OWNED);
			}
			if (outs_ok)
				continue;
			/* Py_INCREF(conn); self->conn = conn; on one path, conn untouched on the other:
			 * the extra reference is held by the memory (self, released by its dealloc),
			 * unless some path handed a borrowed reference out (the caller cannot tell) */
			int borrowed_out = 0;
			for (int q = 0; q < n; q++)
				borrowed_out |= (a[n + q] | b[n + q]) & OUT_BORROWED;
			if (!(lo[n + p] & STORED) && !borrowed_out)
				continue;
		}
		return p;
	}
	return -1;
}

static int return_key(const struct eng_event_info *ev, int64_t *key)
{
	const struct ir_operand *o = ir_args(ev->fn, ev->node);
	if (o->kind == IR_OPND_INT) {
		*key = ev->fn->returns_ptr && o->ival == 0 ? KEY_NULL : o->ival;
		return 1;
	}
	if (o->kind == IR_OPND_NULL) {
		*key = KEY_NULL;
		return 1;
	}
	const struct eng_value *v = engine_operand_value(ev->state, o);
	if (!v)
		return 0;
	if ((v->flags & ENG_V_INT) && (v->flags & ENG_V_INT_KNOWN)) {
		*key = v->ival;
		return 1;
	}
	if (!(v->flags & ENG_V_INT) && v->null == ENG_NULL) {
		*key = KEY_NULL;
		return 1;
	}
	return 0;
}

static void on_return(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct data *d = data;
	int64_t key;
	if (!ev->node->nargs || ev->fn->nparams == 0 || !return_key(ev, &key))
		return;
	d->nparams = ev->fn->nparams;
	int8_t *delta = calloc((size_t)d->nparams * 2, 1);
	if (!delta)
		return;
	uint32_t n = engine_nvalues(ev->state);
	for (uint32_t i = 1; i <= n; i++) {
		const struct eng_value *v = engine_value_at(ev->state, i);
		if (v->param && v->param <= d->nparams) {
			int8_t *what = &delta[d->nparams + v->param - 1];
			delta[v->param - 1] = v->delta;
			*what = (int8_t)(((v->flags & (ENG_V_ESCAPED | ENG_V_FIELD | ENG_V_STORED | ENG_V_STOLEN)) ? STORED : 0) |
					 ((v->flags & ENG_V_OUT_OWNED) ? OUT_OWNED : 0) |
					 ((v->flags & ENG_V_OUT_BORROWED) ? OUT_BORROWED : 0) |
					 (v->null == ENG_NULL ? IS_NULL : 0));
		}
	}
	for (uint32_t i = 0; i < d->n; i++) {
		if (d->r[i].key == key && d->r[i].loc.line == ev->node->loc.line && d->r[i].loc.col == ev->node->loc.col &&
		    !memcmp(d->r[i].delta, delta, (size_t)d->nparams * 2)) {
			free(delta);
			return;
		}
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		struct rec *nr = realloc(d->r, d->cap * sizeof *nr);
		if (!nr) {
			free(delta);
			return;
		}
		d->r = nr;
	}
	struct rec *r = &d->r[d->n++];
	r->pos = engine_position(eng);
	r->loc = ev->node->loc;
	r->key = key;
	r->delta = delta;
}

static int before(const struct rec *a, const struct rec *b)
{
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col;
	return a->pos < b->pos;
}

static void on_end(struct engine *eng, const struct eng_event_info *ev, void *data)
{
	struct data *d = data;
	for (uint32_t i = 0; i < d->n; i++) {
		/* the reference record of this key: earliest return, first path */
		const struct rec *ref = &d->r[i];
		for (uint32_t j = 0; j < d->n; j++)
			if (d->r[j].key == ref->key && before(&d->r[j], ref))
				ref = &d->r[j];
		const struct rec *r = &d->r[i];
		/* two return statements of the same value, not two paths into one return */
		if (r == ref || (r->loc.line == ref->loc.line && r->loc.col == ref->loc.col))
			continue;
		int p = first_difference(r->delta, ref->delta, d->nparams);
		if (p < 0)
			continue;
		char val[64];
		if (r->key == KEY_NULL)
			snprintf(val, sizeof val, "NULL");
		else
			snprintf(val, sizeof val, "%lld", (long long)r->key);
		const char *pname = "?";
		for (uint32_t v = 0; v < ev->fn->nvars; v++)
			if (ev->fn->vars[v].param == p)
				pname = ev->fn->vars[v].name;
		engine_report_at(eng, r->pos, ev->self, r->loc, -1, pname,
				 "this path returns %s with a count change of %+d on '%s', but the return of %s at line %u "
				 "leaves %+d",
				 val, r->delta[p], pname, val, ref->loc.line, ref->delta[p]);
	}
	for (uint32_t i = 0; i < d->n; i++)
		free(d->r[i].delta);
	free(d->r);
}

const struct check check_inconsistent = {
	.id = "rc-inconsistent",
	.description = "paths that return the same value leave different reference counts behind",
	.data_size = sizeof(struct data),
	.handler = {
		[ENG_EV_RETURN] = on_return,
		[ENG_EV_END] = on_end,
	},
};
