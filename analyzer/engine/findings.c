/*
 * findings.c - findings and their paths (engine_impl.h): a check reports at a location, and the
 * path from the function's entry to the current state becomes the notes (where the value was
 * produced, each branch taken, each failure assumed, where it went wrong). Reports of the unit
 * handlers (checks comparing functions) have one note.
 */
#define RCCHECK_ENGINE_INTERNAL
#include "engine/engine_impl.h"

#include "models/conventions.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
			 ir_callee_name(n, "an indirect call"));
	} else if (n->op == IR_ASSIGN && n->nargs && ir_args(fn, n)[0].kind == IR_OPND_NULL) {
		snprintf(buf, sizeof buf, "'%s' set to NULL", fn->vars[n->dest].name);
	} else if (n->op == IR_ASSIGN && n->nargs && ir_args(fn, n)[0].kind == IR_OPND_LOAD) {
		snprintf(buf, sizeof buf, "borrowed reference loaded into '%s'", fn->vars[n->dest].name);
	} else {
		snprintf(buf, sizeof buf, "value produced here");
	}
	return util_xstrdup(buf);
}

/* The severity of the path ending at record rec (the failures it assumes, from the entry; the
 * rarest decides), and the call whose failure it needs. */
static int path_severity(const struct engine *eng, int32_t rec, const char **needs)
{
	const struct conventions *conv = eng->opt->conventions;
	int sev = ENG_SEV_HIGH;
	*needs = NULL;
	if (conv_has_prefix(conv, CONV_MODULE_INIT, eng->fn->name)) {
		sev = ENG_SEV_LOW;
		*needs = "the module's import";
	}
	/* from the entry: the earliest failure of each kind is the one named */
	for (int32_t r = rec; r >= 0 && eng->recs[r].parent >= 0; r = eng->recs[r].parent) {
		if (eng->recs[r].via != VIA_FAIL)
			continue;
		const struct ir_node *pn = &eng->fn->nodes[eng->recs[eng->recs[r].parent].node];
		int low = (eng->conv[eng->recs[eng->recs[r].parent].node] & CC_FAILS_ON_MEMORY) != 0;
		if (low && (sev > ENG_SEV_LOW || (*needs && strcmp(*needs, "the module's import")))) {
			sev = ENG_SEV_LOW;
			*needs = ir_callee_name(pn, NULL);
		} else if (!low && sev >= ENG_SEV_MEDIUM) {
			sev = ENG_SEV_MEDIUM;
			*needs = ir_callee_name(pn, "an indirect call");
		}
	}
	return sev;
}

/* Whether (check, line, var) was reported on a path at least as easy to take: a path of a
 * higher severity reaching the same line is reported again (the report keeps the one that
 * bites most easily, diag_merge_last). */
static int already_reported(struct engine *eng, int check, uint32_t line, const char *var, int severity)
{
	for (uint32_t i = 0; i < eng->nreported; i++)
		if (eng->reported[i].check == check && eng->reported[i].line == line && !strcmp(eng->reported[i].var, var)) {
			if (eng->reported[i].severity >= severity)
				return 1;
			eng->reported[i].severity = severity;
			return 0;
		}
	if (eng->nreported == eng->cap_reported) {
		eng->cap_reported = eng->cap_reported ? eng->cap_reported * 2 : 8;
		eng->reported = util_xrealloc(eng->reported, eng->cap_reported * sizeof *eng->reported);
	}
	eng->reported[eng->nreported].check = check;
	eng->reported[eng->nreported].line = line;
	eng->reported[eng->nreported].var = util_xstrdup(var);
	eng->reported[eng->nreported].severity = severity;
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

/* The arguments call n releases or takes over with the outcome via: its model's releases,
 * steals, clears (Py_CLEAR(&v)), and steals-on-success unless the call failed. */
static uint32_t released_args(const struct ir_node *n, int via)
{
	uint32_t down = model_mask(n->model, MODEL_RELEASES, n->nargs) | model_mask(n->model, MODEL_STEALS, n->nargs) |
			model_mask(n->model, MODEL_CLEARS, n->nargs);
	if (via != VIA_FAIL)
		down |= model_mask(n->model, MODEL_STEALS_OK, n->nargs);
	return down;
}

/* Whether operand o is the variable named var, or its address (a clear's argument). */
static int names_var(const struct ir_func *fn, const struct ir_operand *o, const char *var)
{
	return (o->kind == IR_OPND_VAR || o->kind == IR_OPND_ADDR) && o->var >= 0 && !strcmp(fn->vars[o->var].name, var);
}

/* -1 when call n, with the outcome via, releases or takes over (released_args) an argument
 * that is the variable named var, +1 when it adds a reference to it (acquires), or returns a new
 * reference to an argument (returns-arg: Py_NewRef) that is var or that the next node stores into
 * var (`v = Py_NewRef(PyDict_GetItem(d, k))`: the step that made a borrowed reference owned),
 * else 0. Name-guessed models are not trusted for this. By name: the path notes name
 * variables, not values (an alias under another name gets no note; report_va adds the release
 * of a freed value whatever its name). */
static int ownership_change(const struct ir_func *fn, const struct ir_node *n, int via, const char *var)
{
	if (n->op != IR_CALL || !n->model || (n->model->flags & MODEL_HEURISTIC) || !var[0])
		return 0;
	uint32_t down = released_args(n, via);
	uint32_t up = model_mask(n->model, MODEL_ACQUIRES, n->nargs);
	const struct ir_operand *a = ir_args(fn, n);
	for (uint32_t k = 0; k < n->nargs && k < 32; k++) {
		if (!((down | up) & (1u << k)) || !names_var(fn, &a[k], var))
			continue;
		return (down & (1u << k)) ? -1 : 1;
	}
	int ra = n->model->returns_arg;
	if (ra > 0 && (uint32_t)ra <= n->nargs && n->model->ret == MODEL_RET_NEW && via != VIA_FAIL) {
		if (names_var(fn, &a[ra - 1], var))
			return 1;
		const struct ir_node *next = n->succ[0] >= 0 ? &fn->nodes[n->succ[0]] : NULL;
		if (n->dest >= 0 && next && next->op == IR_ASSIGN && next->dest >= 0 && next->nargs == 1 &&
		    !strcmp(fn->vars[next->dest].name, var)) {
			const struct ir_operand *src = ir_args(fn, next);
			if (src->kind == IR_OPND_VAR && src->var == n->dest)
				return 1;
		}
	}
	return 0;
}

/* The note of release call n of a freed value when its argument is not named as the finding's
 * variable (an alias: `w = v; Py_CLEAR(v); use(w)`). */
static char *alias_release_note(const struct ir_func *fn, const struct ir_node *n, int via)
{
	char buf[300];
	const char *name = NULL;
	if (n->model) {
		uint32_t down = released_args(n, via);
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t k = 0; k < n->nargs && k < 32 && !name; k++)
			if ((down & (1u << k)) && (a[k].kind == IR_OPND_VAR || a[k].kind == IR_OPND_ADDR) && a[k].var >= 0 &&
			    !(fn->vars[a[k].var].flags & IR_VAR_TEMP))
				name = fn->vars[a[k].var].name;
	}
	if (name)
		snprintf(buf, sizeof buf, "'%s' released here by '%s' (the same object)", name, ir_callee_name(n, "a call"));
	else
		snprintf(buf, sizeof buf, "released here by '%s'", ir_callee_name(n, "a call"));
	return util_xstrdup(buf);
}

static void report_va(struct engine *eng, int32_t rec, int check, struct ir_loc loc, int32_t from_site,
		      int32_t rel_site, const char *var, const char *guess, const char *fmt, va_list ap)
{
	if (!var)
		var = "";
	const char *needs;
	int severity = path_severity(eng, rec, &needs);
	if (already_reported(eng, check, loc.line, var, severity) || !eng->opt->report)
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
	f.guess = guess;
	if (from_site >= 0 && (uint32_t)from_site < eng->fn->nnodes) {
		f.has_site = 1;
		f.site = eng->fn->nodes[from_site].loc;
		f.site_macro = eng->fn->nodes[from_site].mfile;
		f.site_mloc = eng->fn->nodes[from_site].mloc;
	}
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
	f.severity = severity;
	f.needs = needs;
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
		else if (r->via == VIA_FAIL || r->via == VIA_ABSENT) {
			char buf[300];
			snprintf(buf, sizeof buf, r->via == VIA_FAIL ? "assuming '%s' fails" : "assuming '%s' finds nothing",
				 ir_callee_name(pn, "the call"));
			add_note(&f, &cap, pn->loc, util_xstrdup(buf));
		}
		int change = engine_checks[check]->ownership_notes ? ownership_change(eng->fn, pn, r->via, var) : 0;
		if (change) {
			char buf[300];
			snprintf(buf, sizeof buf, change < 0 ? "'%s' released here by '%s'" : "reference to '%s' taken here by '%s'",
				 var, ir_callee_name(pn, "a call"));
			add_note(&f, &cap, pn->loc, util_xstrdup(buf));
		} else if (rel_site >= 0 && eng->recs[r->parent].node == rel_site && engine_checks[check]->ownership_notes) {
			add_note(&f, &cap, pn->loc, alias_release_note(eng->fn, pn, r->via));
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

static void report_va(struct engine *eng, int32_t rec, int check, struct ir_loc loc, int32_t from_site,
		      int32_t rel_site, const char *var, const char *guess, const char *fmt, va_list ap);

static void report_guess_msg(struct engine *eng, int32_t rec, int check, struct ir_loc loc, int32_t from_site,
			     const char *var, const char *guess, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 8, 9)))
#endif
	;

static void report_guess_msg(struct engine *eng, int32_t rec, int check, struct ir_loc loc, int32_t from_site,
			     const char *var, const char *guess, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_va(eng, rec, check, loc, from_site, -1, var, guess, fmt, ap);
	va_end(ap);
}

/* The call that released value when the finding is about a freed value (use after release,
 * release again): its path shows that release even when it names an alias; -1 otherwise. */
static int32_t freed_release(const struct eng_value *value)
{
	return value && (value->flags & ENG_V_FREED) ? value->rel_site : -1;
}

void engine_report(struct engine *eng, int check, struct ir_loc loc, const struct eng_value *value,
		   const char *var, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_va(eng, eng->cur, check, loc, value && !value->param ? value->site : -1, freed_release(value), var, NULL,
		  fmt, ap);
	va_end(ap);
}

void engine_report_guess(struct engine *eng, int check, struct ir_loc loc, const struct eng_value *value,
			 const char *var, const char *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_va(eng, eng->cur, check, loc, value && !value->param ? value->site : -1, freed_release(value), var, why,
		  fmt, ap);
	va_end(ap);
}

/* A branch whose direction the analysis chose without knowing anything: an unknown condition
 * (`nbits % 4`, a call's result nothing is known about), a comparison of two non-constants, or
 * a test of a value read from memory without an identity (`lst[2]`, `*p`). */
static int blind_branch(const struct ir_func *fn, const struct ir_node *n)
{
	const struct ir_operand *a = ir_args(fn, n);
	if (n->cond == IR_COND_UNKNOWN || !n->nargs)
		return 1;
	if (n->cond == IR_COND_LT)
		return n->nargs < 2 || (a[0].kind != IR_OPND_INT && a[1].kind != IR_OPND_INT);
	if (a[0].kind != IR_OPND_VAR)
		return 0;
	const struct ir_operand *src = irfacts_first_assigned(fn, a[0].var); /* its first definition */
	return src && src->kind == IR_OPND_LOAD && src->var == -1;
}

int engine_explored_whole(const struct engine *eng)
{
	return !eng->partial;
}

int engine_path_is_certain(const struct engine *eng)
{
	for (int32_t r = eng->cur; r >= 0 && eng->recs[r].parent >= 0; r = eng->recs[r].parent) {
		const struct record *rec = &eng->recs[r];
		const struct ir_node *pn = &eng->fn->nodes[eng->recs[rec->parent].node];
		if (pn->op == IR_BRANCH && (rec->via == VIA_TRUE || rec->via == VIA_FALSE) && pn->succ[0] != pn->succ[1] &&
		    blind_branch(eng->fn, pn))
			return 0;
	}
	return 1;
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
	report_va(eng, (int32_t)pos, check, loc, from_site, -1, var, NULL, fmt, ap);
	va_end(ap);
}


const char *engine_severity_name(int severity)
{
	return severity == ENG_SEV_HIGH ? "high" : severity == ENG_SEV_MEDIUM ? "medium" : "low";
}

void findings_free(struct engine *eng)
{
	for (uint32_t i = 0; i < eng->nreported; i++)
		free(eng->reported[i].var);
	free(eng->reported);
}


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
	f.severity = ENG_SEV_HIGH;
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

void engine_report_at_guess(struct engine *eng, eng_pos pos, int check, struct ir_loc loc, int32_t from_site,
			    const char *var, const char *why, const char *msg)
{
	report_guess_msg(eng, (int32_t)pos, check, loc, from_site, var, why, "%s", msg);
}
