/*
 * test_engine.c - the ownership engine and its checks on hand-built CFGs (no libclang): each
 * test builds an IR function with the ir_* builders, runs engine_run() and compares the
 * findings (check ID and line) with what must be reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "ir/ir.h"
#include "models/conventions.h"
#include "models/model.h"

/* ---- fixtures ------------------------------------------------------------------------------ */

#define MAX_FOUND 32

struct found {
	char id[32];
	uint32_t line;
	uint32_t nnotes;
	int severity;
};

static struct found found[MAX_FOUND];
static size_t nfound;
static int incomplete_calls;

static void on_report(void *ctx, const struct eng_finding *f)
{
	(void)ctx;
	if (nfound < MAX_FOUND) {
		snprintf(found[nfound].id, sizeof found[nfound].id, "%s", engine_checks[f->check]->id);
		found[nfound].line = f->loc.line;
		found[nfound].nnotes = f->nnotes;
		found[nfound].severity = f->severity;
		nfound++;
	}
}

static void on_incomplete(void *ctx, const struct ir_func *fn, uint32_t states)
{
	(void)ctx;
	(void)fn;
	(void)states;
	incomplete_calls++;
}

static struct model_fn m_new;      /* new null-on-failure */
static struct model_fn m_new_sure; /* new, never NULL */
static struct model_fn m_decref;   /* releases=1 */
static struct model_fn m_incref;   /* acquires=1 */
static struct model_fn m_borrow;   /* borrowed */
static struct model_fn m_steal;    /* steals=1 */

static int setup(void **state)
{
	(void)state;
	nfound = 0;
	incomplete_calls = 0;
	memset(&m_new, 0, sizeof m_new);
	m_new.name = "obj_new";
	m_new.ret = MODEL_RET_NEW;
	m_new.flags = MODEL_NULL_ON_FAILURE;
	m_new_sure = m_new;
	m_new_sure.flags = 0;
	memset(&m_decref, 0, sizeof m_decref);
	m_decref.name = "obj_decref";
	m_decref.arg[MODEL_RELEASES] = 1;
	memset(&m_incref, 0, sizeof m_incref);
	m_incref.name = "obj_incref";
	m_incref.arg[MODEL_ACQUIRES] = 1;
	memset(&m_borrow, 0, sizeof m_borrow);
	m_borrow.name = "obj_get";
	m_borrow.ret = MODEL_RET_BORROWED;
	memset(&m_steal, 0, sizeof m_steal);
	m_steal.name = "obj_give";
	m_steal.arg[MODEL_STEALS] = 1;
	return 0;
}

/* A function under construction: each helper appends one node after the previous one. */
struct fb {
	struct ir_arena arena;
	struct ir_func fn;
	int32_t last;
};

static void fb_init(struct fb *b, const char *name)
{
	memset(&b->arena, 0, sizeof b->arena);
	ir_func_init(&b->fn, &b->arena, name, "t.c");
	struct ir_loc l = { 1, 1 };
	b->last = ir_add_node(&b->fn, IR_NOP, l);
}

static void fb_free(struct fb *b)
{
	ir_func_free(&b->fn);
	ir_arena_free(&b->arena);
}

static struct ir_loc at(uint32_t line)
{
	struct ir_loc l = { line, 1 };
	return l;
}

/* Appends a node and links it from the previous one (if that one is still open). */
static int32_t add(struct fb *b, enum ir_op op, uint32_t line)
{
	int32_t n = ir_add_node(&b->fn, op, at(line));
	if (b->last >= 0)
		b->fn.nodes[b->last].succ[0] = n;
	b->last = n;
	return n;
}

static int32_t var(struct fb *b, const char *name, unsigned flags, int32_t param)
{
	return ir_add_var(&b->fn, name, flags, param);
}

/* t = callee(args...); x = t; kill t */
static void call_into(struct fb *b, uint32_t line, const struct model_fn *m, int32_t x, int nargs, ...)
{
	int32_t t = var(b, m->name, IR_VAR_PTR | IR_VAR_TEMP, -1);
	int32_t n = add(b, IR_CALL, line);
	b->fn.nodes[n].callee = m->name;
	b->fn.nodes[n].model = m;
	b->fn.nodes[n].dest = t;
	va_list ap;
	va_start(ap, nargs);
	for (int i = 0; i < nargs; i++)
		ir_add_operand(&b->fn, n, ir_var_opnd(va_arg(ap, int32_t)));
	va_end(ap);
	int32_t as = add(b, IR_ASSIGN, line);
	b->fn.nodes[as].dest = x;
	ir_add_operand(&b->fn, as, ir_var_opnd(t));
	int32_t k = add(b, IR_KILL, line);
	ir_add_operand(&b->fn, k, ir_var_opnd(t));
}

static void call1(struct fb *b, uint32_t line, const struct model_fn *m, int32_t arg)
{
	int32_t n = add(b, IR_CALL, line);
	b->fn.nodes[n].callee = m->name;
	b->fn.nodes[n].model = m;
	ir_add_operand(&b->fn, n, ir_var_opnd(arg));
}

/* a read of var x (IR_USE) */
static void use1(struct fb *b, uint32_t line, int32_t x)
{
	int32_t n = add(b, IR_USE, line);
	ir_add_operand(&b->fn, n, ir_var_opnd(x));
}

static void ret(struct fb *b, uint32_t line, struct ir_operand *o)
{
	int32_t n = add(b, IR_RETURN, line);
	if (o)
		ir_add_operand(&b->fn, n, *o);
	b->last = -1;
}

/* A branch on "x is NULL": returns the node; its successors are set by the caller. */
static int32_t branch_null(struct fb *b, uint32_t line, int32_t x)
{
	int32_t n = add(b, IR_BRANCH, line);
	b->fn.nodes[n].cond = IR_COND_NULL;
	ir_add_operand(&b->fn, n, ir_var_opnd(x));
	b->last = -1;
	return n;
}

static size_t run_max_bytes; /* engine_options.max_state_bytes of run() (0: default) */

static uint32_t run(struct fb *b, uint32_t budget)
{
	assert_int_equal(ir_check(&b->fn, stderr), 0);
	struct engine_options o;
	memset(&o, 0, sizeof o);
	o.max_states = budget;
	o.max_state_bytes = run_max_bytes;
	o.report = on_report;
	o.incomplete = on_incomplete;
	struct eng_summary sum;
	return engine_run(&b->fn, &o, &sum);
}

static int has(const char *id, uint32_t line)
{
	for (size_t i = 0; i < nfound; i++)
		if (!strcmp(found[i].id, id) && found[i].line == line)
			return 1;
	return 0;
}

/* ---- tests --------------------------------------------------------------------------------- */

/* x = obj_new(); if (!x) return; return;  -> leak at line 4 */
static void test_leak_on_return(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new, x, 0);
	int32_t br = branch_null(&b, 3, x);
	b.last = -1;
	int32_t r1 = add(&b, IR_RETURN, 3);
	b.last = -1;
	int32_t r2 = add(&b, IR_RETURN, 4);
	b.fn.nodes[br].succ[0] = r1;
	b.fn.nodes[br].succ[1] = r2;
	assert_true(run(&b, 0) > 0);
	assert_int_equal(nfound, 1);
	assert_true(has("rc-leak", 4));
	assert_true(found[0].nnotes >= 2); /* acquired + branch */
	fb_free(&b);
}

/* x = obj_new(); if (!x) return; obj_decref(x); return; -> clean */
static void test_release_is_clean(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new, x, 0);
	int32_t br = branch_null(&b, 3, x);
	int32_t r1 = add(&b, IR_RETURN, 3);
	b.last = -1;
	int32_t d = add(&b, IR_CALL, 4);
	b.fn.nodes[d].callee = "obj_decref";
	b.fn.nodes[d].model = &m_decref;
	ir_add_operand(&b.fn, d, ir_var_opnd(x));
	ret(&b, 5, NULL);
	b.fn.nodes[br].succ[0] = r1;
	b.fn.nodes[br].succ[1] = d;
	run(&b, 0);
	assert_int_equal(nfound, 0);
	fb_free(&b);
}

/* x = obj_new_sure(); first(x); decref(x); -> one finding: a double release at line 4 */
static void expect_double_release_after(const struct model_fn *first)
{
	struct fb b;
	nfound = 0;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new_sure, x, 0);
	call1(&b, 3, first, x);
	call1(&b, 4, &m_decref, x);
	ret(&b, 5, NULL);
	run(&b, 0);
	assert_int_equal(nfound, 1);
	assert_true(has("rc-double-release", 4));
	fb_free(&b);
}

/* decref(x); decref(x) */
static void test_double_release(void **state)
{
	(void)state;
	expect_double_release_after(&m_decref);
}

/* x = obj_new_sure(); decref(x); use x  -> use after release at 4 */
static void test_use_after_release(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new_sure, x, 0);
	call1(&b, 3, &m_decref, x);
	use1(&b, 4, x);
	ret(&b, 5, NULL);
	run(&b, 0);
	assert_int_equal(nfound, 1);
	assert_true(has("rc-use-after-release", 4));
	fb_free(&b);
}

/* f(p): decref(p) -> release of a borrowed parameter; g(p): incref(p); decref(p) -> clean */
static void test_release_borrowed_param(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t p = var(&b, "p", IR_VAR_PTR | IR_VAR_PARAM, 0);
	b.fn.nparams = 1;
	call1(&b, 2, &m_decref, p);
	ret(&b, 3, NULL);
	run(&b, 0);
	assert_int_equal(nfound, 1);
	assert_true(has("rc-release-borrowed", 2));
	fb_free(&b);

	nfound = 0;
	fb_init(&b, "g");
	p = var(&b, "p", IR_VAR_PTR | IR_VAR_PARAM, 0);
	b.fn.nparams = 1;
	call1(&b, 2, &m_incref, p);
	call1(&b, 3, &m_decref, p);
	ret(&b, 4, NULL);
	run(&b, 0);
	assert_int_equal(nfound, 0);
	fb_free(&b);
}

/* x = obj_new(); use x (no check) -> unchecked null at 3; with obj_new_sure -> clean */
static void test_unchecked_null(void **state)
{
	(void)state;
	for (int sure = 0; sure < 2; sure++) {
		struct fb b;
		nfound = 0;
		fb_init(&b, "f");
		int32_t x = var(&b, "x", IR_VAR_PTR, -1);
		call_into(&b, 2, sure ? &m_new_sure : &m_new, x, 0);
		use1(&b, 3, x);
		call1(&b, 4, &m_decref, x);
		ret(&b, 5, NULL);
		run(&b, 0);
		if (sure) {
			assert_int_equal(nfound, 0);
		} else {
			assert_int_equal(nfound, 1);
			assert_true(has("rc-unchecked-null", 3));
		}
		fb_free(&b);
	}
}

/* loop: head: x = obj_new_sure(); branch ? -> head, exit  -> terminates, leak at the overwrite */
static void test_loop_terminates(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	int32_t head = add(&b, IR_NOP, 2);
	call_into(&b, 3, &m_new_sure, x, 0);
	int32_t br = add(&b, IR_BRANCH, 4);
	b.last = -1;
	int32_t d = add(&b, IR_CALL, 5);
	b.fn.nodes[d].callee = "obj_decref";
	b.fn.nodes[d].model = &m_decref;
	ir_add_operand(&b.fn, d, ir_var_opnd(x));
	ret(&b, 6, NULL);
	b.fn.nodes[br].succ[0] = head; /* again: overwrites x while it is owned */
	b.fn.nodes[br].succ[1] = d;
	uint32_t states = run(&b, 0);
	assert_true(states > 0 && states < 100);
	assert_int_equal(incomplete_calls, 0);
	assert_true(has("rc-leak", 3));
	assert_int_equal(nfound, 1);
	fb_free(&b);
}

/* 40 unknown branches in a row, each setting its own var; with `read` the vars are all read at
 * the end. Returns the number of states explored with a budget of 500. */
static uint32_t run_branch_chain(int read)
{
	struct fb b;
	int32_t xs[40];
	fb_init(&b, "f");
	for (int i = 0; i < 40; i++) {
		int32_t x = xs[i] = var(&b, "x", IR_VAR_INT, -1);
		int32_t br = add(&b, IR_BRANCH, 2 + (uint32_t)i);
		b.last = -1;
		int32_t a1 = add(&b, IR_ASSIGN, 2 + (uint32_t)i);
		b.fn.nodes[a1].dest = x;
		ir_add_operand(&b.fn, a1, ir_int_opnd(1));
		int32_t join = add(&b, IR_NOP, 2 + (uint32_t)i);
		b.fn.nodes[br].succ[0] = a1;
		b.fn.nodes[br].succ[1] = join;
	}
	if (read) {
		int32_t sink = add(&b, IR_CALL, 49);
		b.fn.nodes[sink].callee = "sink";
		for (int i = 0; i < 40; i++)
			ir_add_operand(&b.fn, sink, ir_var_opnd(xs[i]));
	}
	ret(&b, 50, NULL);
	uint32_t states = run(&b, 500);
	fb_free(&b);
	return states;
}

/* the vars are read at the end, so liveness cannot merge the paths: the budget stops it */
static void test_budget(void **state)
{
	(void)state;
	assert_int_equal(run_branch_chain(1), 0);
	assert_int_equal(incomplete_calls, 1);
}

/* the chain that completes within the state budget (test_liveness_merges) under a byte budget
 * its stored states exceed (more than 100 states of at least 6 bytes): the memory of a
 * function's states is bounded too */
static void test_byte_budget(void **state)
{
	(void)state;
	run_max_bytes = 100;
	uint32_t states = run_branch_chain(0);
	run_max_bytes = 0;
	assert_int_equal(states, 0);
	assert_int_equal(incomplete_calls, 1);
}

/*
 * Issue 12's shape, n error exits between an acquisition and its release:
 *     a = obj_new(); for each k: if (step#k = step(k), step#k < 0) goto error; ...
 *     obj_decref(a); return 0;  error: obj_decref(a); return -1;
 * with a temporary per exit, killed after its test, or (named) a var of its own, `int rk =
 * step(k); if (rk < 0) goto error;`, which only liveness unbinds. Runs it under a byte budget of
 * 256 bytes per exit and returns the states explored (0: incomplete).
 */
static uint32_t run_error_exits(int n, int named)
{
	struct fb b;
	fb_init(&b, "f");
	b.fn.returns_int = 1;
	int32_t a = var(&b, "a", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new_sure, a, 0);
	int32_t *exits = calloc((size_t)n, sizeof *exits);
	assert_non_null(exits);
	for (int k = 0; k < n; k++) {
		uint32_t line = 3 + (uint32_t)k;
		int32_t t = var(&b, "step", IR_VAR_INT | IR_VAR_TEMP, -1);
		int32_t c = add(&b, IR_CALL, line);
		b.fn.nodes[c].callee = "step";
		b.fn.nodes[c].dest = t;
		ir_add_operand(&b.fn, c, ir_int_opnd(k));
		if (named) { /* rk = step#k; kill step#k; test rk */
			int32_t r = var(&b, "r", IR_VAR_INT, -1);
			int32_t as = add(&b, IR_ASSIGN, line);
			b.fn.nodes[as].dest = r;
			ir_add_operand(&b.fn, as, ir_var_opnd(t));
			int32_t kill = add(&b, IR_KILL, line);
			ir_add_operand(&b.fn, kill, ir_var_opnd(t));
			t = r;
		}
		int32_t br = add(&b, IR_BRANCH, line);
		b.fn.nodes[br].cond = IR_COND_NEG;
		ir_add_operand(&b.fn, br, ir_var_opnd(t));
		b.last = -1;
		if (named) {
			exits[k] = br; /* its true edge goes to error, linked below */
		} else {
			exits[k] = add(&b, IR_KILL, line); /* to error, linked below */
			ir_add_operand(&b.fn, exits[k], ir_var_opnd(t));
			b.fn.nodes[br].succ[0] = exits[k];
			b.last = -1;
		}
		int32_t go_on = add(&b, named ? IR_NOP : IR_KILL, line);
		if (!named)
			ir_add_operand(&b.fn, go_on, ir_var_opnd(t));
		b.fn.nodes[br].succ[1] = go_on;
	}
	call1(&b, (uint32_t)n + 3, &m_decref, a);
	struct ir_operand zero = ir_int_opnd(0), minus_one = ir_int_opnd(-1);
	ret(&b, (uint32_t)n + 4, &zero);
	int32_t error = add(&b, IR_NOP, (uint32_t)n + 5);
	for (int k = 0; k < n; k++)
		b.fn.nodes[exits[k]].succ[0] = error;
	free(exits);
	call1(&b, (uint32_t)n + 6, &m_decref, a);
	ret(&b, (uint32_t)n + 7, &minus_one);
	run_max_bytes = (size_t)n * 256;
	uint32_t states = run(&b, 0);
	run_max_bytes = 0;
	fb_free(&b);
	return states;
}

/* 4,000 exits through temporaries: 4N states (call, branch, two kills). While a state held a
 * byte per var, its stored states took about 4N^2 bytes (64 MB); a stored state must cost what
 * is bound in it (here `a` and its value, about 50 bytes). A count, not a time: a return of the
 * quadratic cost makes the function incomplete here. */
static void test_error_exits_linear(void **state)
{
	(void)state;
	enum { N = 4000 };
	uint32_t states = run_error_exits(N, 0);
	assert_int_equal(incomplete_calls, 0);
	assert_true(states > 4 * N && states < 5 * N);
	assert_int_equal(nfound, 0);
}

/* 10,000 exits through named vars: 20,001 vars x 50,000 nodes is too large for liveness
 * bitsets, and without liveness every rk stays bound, so states grow to ENG_MAX_VALUES values
 * (about 10 KB each) and pass the budget; the per-var lists unbind each rk after its test. */
static void test_error_exits_named(void **state)
{
	(void)state;
	enum { N = 10000 };
	uint32_t states = run_error_exits(N, 1);
	assert_int_equal(incomplete_calls, 0);
	assert_true(states > 5 * N && states < 6 * N); /* call, assign, kill, branch, its false edge */
	assert_int_equal(nfound, 0);
}

/* nobody reads the vars: dead vars are dropped and the paths merge */
static void test_liveness_merges(void **state)
{
	(void)state;
	uint32_t states = run_branch_chain(0);
	assert_true(states > 0 && states < 500);
	assert_int_equal(incomplete_calls, 0);
}

/* int f(p): if (?) { incref(p); [store p;] return 0; } return 0;
 * without the store: rc-inconsistent at the second return (and the reference leaks at the
 * first); with it, the memory holds the extra reference and both paths are balanced. */
static void run_inconsistent(int store)
{
	nfound = 0;
	struct fb b;
	fb_init(&b, "f");
	int32_t p = var(&b, "p", IR_VAR_PTR | IR_VAR_PARAM, 0);
	b.fn.nparams = 1;
	b.fn.returns_int = 1;
	int32_t br = add(&b, IR_BRANCH, 2);
	b.last = -1;
	int32_t first = add(&b, IR_NOP, 3);
	call1(&b, 3, &m_incref, p);
	if (store) {
		int32_t st = add(&b, IR_STORE, 4);
		ir_add_operand(&b.fn, st, ir_var_opnd(p));
	}
	struct ir_operand zero = ir_int_opnd(0);
	ret(&b, 5, &zero);
	int32_t second = add(&b, IR_RETURN, 7);
	ir_add_operand(&b.fn, second, zero);
	b.fn.nodes[br].succ[0] = first;
	b.fn.nodes[br].succ[1] = second;
	run(&b, 0);
	if (store) {
		assert_int_equal(nfound, 0);
	} else {
		assert_int_equal(nfound, 2);
		assert_true(has("rc-inconsistent", 7));
		assert_true(has("rc-leak", 5));
	}
	fb_free(&b);
}

static void test_inconsistent(void **state)
{
	(void)state;
	run_inconsistent(0);
	run_inconsistent(1);
}

/* obj_give(x) steals; later decref(x) is a double release; summary of a function returning new */
static void test_steal_and_summary(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "make");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	b.fn.returns_ptr = 1;
	call_into(&b, 2, &m_new_sure, x, 0);
	struct ir_operand rx = ir_var_opnd(x);
	ret(&b, 3, &rx);
	struct engine_options o;
	memset(&o, 0, sizeof o);
	o.report = on_report;
	struct eng_summary sum;
	assert_true(engine_run(&b.fn, &o, &sum) > 0);
	assert_true(sum.valid);
	assert_int_equal(sum.fn.ret, MODEL_RET_NEW);
	assert_int_equal(nfound, 0);
	fb_free(&b);

	/* obj_give(x) took the reference: decref(x) after it releases what the function no longer owns */
	expect_double_release_after(&m_steal);
}

/* every check is registered once, with an rc- ID and a description */
/* x = new; decref(x); use x; use x; call(x) -> one rc-use-after-release (the check's byte) */
static void test_use_after_release_once(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new_sure, x, 0);
	call1(&b, 3, &m_decref, x);
	use1(&b, 4, x);
	use1(&b, 5, x);
	call1(&b, 6, &m_borrow, x);
	ret(&b, 7, NULL);
	run(&b, 0);
	assert_int_equal(nfound, 1);
	assert_true(has("rc-use-after-release", 4));
	fb_free(&b);
}

/* facts of the IR alone: a var read later or not, an ownership flag written through *param */
static void test_irfacts(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t p = var(&b, "copied", IR_VAR_PTR | IR_VAR_PARAM, 0);
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new_sure, x, 0);
	int32_t br = branch_null(&b, 3, x);
	/* true edge: *copied = 0; return x;  false edge: *copied = 1; return x; */
	for (int e = 0; e < 2; e++) {
		int32_t st = ir_add_node(&b.fn, IR_STORE, at(4u + (uint32_t)e));
		b.fn.nodes[br].succ[e] = st;
		ir_add_operand(&b.fn, st, ir_int_opnd(e));
		struct ir_operand key = ir_kind_opnd(IR_OPND_LOAD);
		key.var = p;
		key.str = "*";
		ir_add_operand(&b.fn, st, key);
		b.last = st;
		struct ir_operand o = ir_var_opnd(x);
		ret(&b, 6, &o);
	}
	assert_int_equal(ir_check(&b.fn, stderr), 0);
	assert_true(engine_ownership_flag(&b.fn));
	assert_true(irfacts_var_read_later(&b.fn, br, x));
	/* the call's temporary is dead after its kill */
	assert_false(irfacts_var_read_later(&b.fn, br, x + 1));
	assert_null(irfacts_index_ranges(&b.fn)); /* no call with an index argument */
	fb_free(&b);
}

static int is_new_model(void *ctx, const struct ir_node *call, int arg)
{
	(void)ctx;
	return arg < 0 && call->model && call->model->ret == MODEL_RET_NEW;
}

/* irfacts_hands_over: x = new(); helper(x); -- handed over; then a read of x after a second
 * call -- not; a parameter, or a var also assigned something else -- not */
static void test_irfacts_hands_over(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "caller");
	int32_t p = var(&b, "p", IR_VAR_PTR | IR_VAR_PARAM, 0);
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	int32_t y = var(&b, "y", IR_VAR_PTR, -1);
	static const struct model_fn helper = { .name = "helper" };
	/* y = ?; (a declaration: it cannot reach the calls) x = new(); helper(x); helper(p); y = new();
	 * helper(y); use y; y = p */
	int32_t decl = add(&b, IR_ASSIGN, 1);
	b.fn.nodes[decl].dest = y;
	ir_add_operand(&b.fn, decl, ir_kind_opnd(IR_OPND_UNKNOWN));
	call_into(&b, 2, &m_new_sure, x, 0);
	call1(&b, 3, &helper, x);
	int32_t c1 = b.last;
	call1(&b, 4, &helper, p);
	int32_t c2 = b.last;
	call_into(&b, 5, &m_new_sure, y, 0);
	call1(&b, 6, &helper, y);
	int32_t c3 = b.last;
	use1(&b, 7, y);
	ret(&b, 8, NULL);
	assert_int_equal(ir_check(&b.fn, stderr), 0);
	assert_true(irfacts_hands_over(&b.fn, c1, 0, is_new_model, NULL));
	assert_false(irfacts_hands_over(&b.fn, c2, 0, is_new_model, NULL)); /* a parameter */
	assert_false(irfacts_hands_over(&b.fn, c3, 0, is_new_model, NULL)); /* read again */
	assert_true(irfacts_holds_new(&b.fn, x, is_new_model, NULL));
	assert_false(irfacts_holds_new(&b.fn, y, is_new_model, NULL)); /* its declaration, anywhere */
	fb_free(&b);
}

/* convention lines: kinds, prefixes, words, errors */
static void test_conventions(void **state)
{
	(void)state;
	char err[256];
	struct model *m = model_new();
	const char *text = "convention api-prefix wt_ gx\nconvention steal-word Steal\nconvention untrack wt_untrack\n"
			   "convention error-query wt_err_occurred\n";
	assert_int_equal(model_parse(m, text, strlen(text), "t", MODEL_FROM_FILE, err, sizeof err), 0);
	const struct conventions *c = model_conventions(m);
	assert_true(conv_api_borrows(c, "wt_thing"));
	assert_true(conv_api_borrows(c, "gxy"));
	assert_false(conv_api_borrows(c, "w_thing"));
	assert_true(conv_name_says_steal(c, "list_append_steal"));
	assert_true(conv_name_says_steal(c, "_STEAL_it"));
	assert_false(conv_name_says_steal(c, "stale"));
	assert_true(conv_is(c, CONV_UNTRACK, "wt_untrack"));
	assert_false(conv_is(c, CONV_UNTRACK, "wt_untrack2"));
	assert_true(conv_is(c, CONV_ERROR_QUERY, "wt_err_occurred"));
	assert_false(conv_is(NULL, CONV_UNTRACK, "wt_untrack"));
	const char *bad = "convention api-prefixes wt_\n";
	assert_int_equal(model_parse(m, bad, strlen(bad), "t", MODEL_FROM_FILE, err, sizeof err), -1);
	assert_non_null(strstr(err, "t:1: unknown convention 'api-prefixes'"));
	const char *bad2 = "convention untrack\n";
	assert_int_equal(model_parse(m, bad2, strlen(bad2), "t", MODEL_FROM_FILE, err, sizeof err), -1);
	/* the built-in models carry the CPython and runtime conventions */
	assert_int_equal(model_load_builtin(m, err, sizeof err), 0);
	assert_true(conv_api_borrows(model_conventions(m), "PyFoo_Bar"));
	assert_true(conv_api_borrows(model_conventions(m), "rc_thing"));
	assert_true(conv_is(model_conventions(m), CONV_ERROR_QUERY, "PyErr_Occurred"));
	model_free(m);
}

/* x = obj_new() (can fail); y = obj_new_sure(); obj_get(x) (x must not be NULL); decref(x);
 * return; -> y
 * leaks once, on the path where x was made: where x failed, the program crashed at obj_get */
static void test_crash_ends_path(void **state)
{
	(void)state;
	struct fb b;
	fb_init(&b, "f");
	int32_t x = var(&b, "x", IR_VAR_PTR, -1);
	int32_t y = var(&b, "y", IR_VAR_PTR, -1);
	call_into(&b, 2, &m_new, x, 0);
	call_into(&b, 3, &m_new_sure, y, 0);
	call1(&b, 4, &m_borrow, x);
	call1(&b, 5, &m_decref, x);
	ret(&b, 6, NULL);
	run(&b, 0);
	assert_true(has("rc-unchecked-null", 4));
	size_t leaks = 0;
	for (size_t i = 0; i < nfound; i++)
		if (!strcmp(found[i].id, "rc-leak")) {
			leaks++;
			assert_int_equal(found[i].severity, ENG_SEV_HIGH);
		}
	assert_int_equal(leaks, 1);
	fb_free(&b);
}

static void test_registry(void **state)
{
	(void)state;
	assert_true(engine_ncheck >= 7);
	for (size_t i = 0; i < engine_ncheck; i++) {
		assert_non_null(engine_checks[i]->id);
		assert_true(!strncmp(engine_checks[i]->id, "rc-", 3));
		assert_non_null(engine_checks[i]->description);
		assert_int_equal(engine_check_index(engine_checks[i]->id), (int)i);
	}
	assert_int_equal(engine_check_index("rc-nope"), -1);
	/* the per-value bytes the checks ask for fit in the value */
	unsigned bytes = 0;
	for (size_t i = 0; i < engine_ncheck; i++)
		bytes += engine_checks[i]->value_bytes;
	assert_true(bytes <= ENG_CHECK_BYTES);
}

/* model files: our format, prefixes, negative arguments, refcounts.dat, errors */
static void test_model_parse(void **state)
{
	(void)state;
	char err[256];
	struct model *m = model_new();
	assert_non_null(m);
	const char *text = "# c\nfoo new null-on-failure\nfoo_* borrowed\nbar none releases=-1 steals=2\n"
			   "global Py_None borrowed immortal\n";
	assert_int_equal(model_parse(m, text, strlen(text), "t", MODEL_FROM_FILE, err, sizeof err), 0);
	const struct model_fn *f = model_lookup(m, "foo");
	assert_non_null(f);
	assert_int_equal(f->ret, MODEL_RET_NEW);
	assert_true(f->flags & MODEL_NULL_ON_FAILURE);
	assert_int_equal(model_lookup(m, "foo_x")->ret, MODEL_RET_BORROWED);
	assert_null(model_lookup(m, "fo"));
	const struct model_fn *bar = model_lookup(m, "bar");
	assert_int_equal(model_mask(bar, MODEL_RELEASES, 3), 1u << 2);
	assert_int_equal(model_mask(bar, MODEL_STEALS, 3), 1u << 1);
	const char *bad = "x wat\n";
	assert_int_equal(model_parse(m, bad, strlen(bad), "t", MODEL_FROM_FILE, err, sizeof err), -1);
	assert_non_null(strstr(err, "t:1"));
	const char *bad2 = "x new steals=0\n";
	assert_int_equal(model_parse(m, bad2, strlen(bad2), "t", MODEL_FROM_FILE, err, sizeof err), -1);
	const char *dat = "# refcounts\nPyList_New:PyObject*::+1:\nPyList_New:Py_ssize_t:len::\n\n"
			  "PyTuple_SetItem:int:::\nPyTuple_SetItem:PyObject*:p:0:\nPyTuple_SetItem:Py_ssize_t:pos::\n"
			  "PyTuple_SetItem:PyObject*:o:-1:\n";
	assert_int_equal(model_parse(m, dat, strlen(dat), "r", MODEL_FROM_FILE, err, sizeof err), 0);
	assert_int_equal(model_lookup(m, "PyList_New")->ret, MODEL_RET_NEW);
	assert_int_equal(model_mask(model_lookup(m, "PyTuple_SetItem"), MODEL_STEALS, 3), 1u << 2);
	assert_int_equal(model_load_builtin(m, err, sizeof err), 0);
	assert_non_null(model_lookup(m, "rc_clear_field"));
	/* the verifier's facts (cpython-nonnull.model) reach the generated lines they add to */
	assert_int_equal(model_mask(model_lookup(m, "PyList_Append"), MODEL_NONNULL, 2), 3u);
	model_free(m);
}

/* "nonnull NAME ARGS" adds to NAME's record whether it comes before or after it, survives a
 * later line replacing the record, and accumulates; nonnull=N on a line says the same */
static void test_model_nonnull(void **state)
{
	(void)state;
	char err[256];
	struct model *m = model_new();
	assert_non_null(m);
	const char *text = "nonnull early 1\nearly new null-on-failure\nlate int\nnonnull late 2\n"
			   "nonnull late -1\ninline none nonnull=1,3\n";
	assert_int_equal(model_parse(m, text, strlen(text), "t", MODEL_FROM_FILE, err, sizeof err), 0);
	assert_int_equal(model_mask(model_lookup(m, "early"), MODEL_NONNULL, 2), 1u);
	assert_int_equal(model_lookup(m, "early")->ret, MODEL_RET_NEW);
	assert_int_equal(model_mask(model_lookup(m, "late"), MODEL_NONNULL, 4), (1u << 1) | (1u << 3));
	assert_int_equal(model_mask(model_lookup(m, "inline"), MODEL_NONNULL, 3), 5u);
	const char *again = "early borrowed\n";
	assert_int_equal(model_parse(m, again, strlen(again), "u", MODEL_FROM_FILE, err, sizeof err), 0);
	assert_int_equal(model_lookup(m, "early")->ret, MODEL_RET_BORROWED);
	assert_int_equal(model_mask(model_lookup(m, "early"), MODEL_NONNULL, 2), 1u);
	assert_null(model_lookup(m, "nonnull"));
	const char *bad = "nonnull x\n";
	assert_int_equal(model_parse(m, bad, strlen(bad), "t", MODEL_FROM_FILE, err, sizeof err), -1);
	assert_non_null(strstr(err, "nonnull NAME"));
	const char *bad2 = "nonnull x 0\n";
	assert_int_equal(model_parse(m, bad2, strlen(bad2), "t", MODEL_FROM_FILE, err, sizeof err), -1);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_leak_on_return, setup),
		cmocka_unit_test_setup(test_release_is_clean, setup),
		cmocka_unit_test_setup(test_double_release, setup),
		cmocka_unit_test_setup(test_use_after_release, setup),
		cmocka_unit_test_setup(test_release_borrowed_param, setup),
		cmocka_unit_test_setup(test_unchecked_null, setup),
		cmocka_unit_test_setup(test_loop_terminates, setup),
		cmocka_unit_test_setup(test_budget, setup),
		cmocka_unit_test_setup(test_liveness_merges, setup),
		cmocka_unit_test_setup(test_inconsistent, setup),
		cmocka_unit_test_setup(test_steal_and_summary, setup),
		cmocka_unit_test_setup(test_use_after_release_once, setup),
		cmocka_unit_test_setup(test_irfacts, setup),
		cmocka_unit_test_setup(test_irfacts_hands_over, setup),
		cmocka_unit_test_setup(test_conventions, setup),
		cmocka_unit_test_setup(test_crash_ends_path, setup),
		cmocka_unit_test_setup(test_byte_budget, setup),
		cmocka_unit_test_setup(test_error_exits_linear, setup),
		cmocka_unit_test_setup(test_error_exits_named, setup),
		cmocka_unit_test_setup(test_registry, setup),
		cmocka_unit_test_setup(test_model_parse, setup),
		cmocka_unit_test_setup(test_model_nonnull, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
