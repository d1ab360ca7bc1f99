/*
 * test_unit.c - the unit driver (unit/unit.h) and ir_check() on hand-built functions: no
 * libclang (links rccheck_analysis only). Each test builds the functions of one unit with the
 * ir_* builders, as the front end would hand them over, runs unit_analyse() and checks the
 * links, the order and the findings.
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
#include "models/model.h"
#include "unit/unit.h"

/* ---- fixtures ------------------------------------------------------------------------------ */

#define MAX_FOUND 16

struct found {
	char id[32];
	char func[32];
	uint32_t line;
};

static struct found found[MAX_FOUND];
static size_t nfound;

static void on_report(void *ctx, const struct eng_finding *f)
{
	(void)ctx;
	if (nfound < MAX_FOUND) {
		snprintf(found[nfound].id, sizeof found[nfound].id, "%s", engine_checks[f->check]->id);
		snprintf(found[nfound].func, sizeof found[nfound].func, "%s", f->func ? f->func : "");
		found[nfound].line = f->loc.line;
		nfound++;
	}
}

static void on_incomplete(void *ctx, const struct ir_func *fn, uint32_t states)
{
	(void)ctx;
	(void)fn;
	(void)states;
}

static const char model_text[] = "obj_new new null-on-failure\n"
				 "obj_decref none releases=1\n"
				 "obj_clear none clears=1\n";

struct unit_fixture {
	struct model *model;
	struct ir_arena arena;
	struct ir_func funcs[4];
	uint32_t nfuncs;
};

static int setup(void **state)
{
	struct unit_fixture *t = calloc(1, sizeof *t);
	assert_non_null(t);
	t->model = model_new();
	char err[256];
	assert_int_equal(model_parse(t->model, model_text, sizeof model_text - 1, "test", 0, err, sizeof err), 0);
	nfound = 0;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct unit_fixture *t = *state;
	for (uint32_t i = 0; i < t->nfuncs; i++)
		ir_func_free(&t->funcs[i]);
	ir_arena_free(&t->arena);
	model_free(t->model);
	free(t);
	return 0;
}

static uint64_t analyse(struct unit_fixture *t, const struct unit_decls *d)
{
	for (uint32_t i = 0; i < t->nfuncs; i++)
		assert_int_equal(ir_check(&t->funcs[i], stderr), 0);
	struct unit_options o;
	memset(&o, 0, sizeof o);
	o.model = t->model;
	o.report = on_report;
	o.incomplete = on_incomplete;
	return unit_analyse(t->funcs, t->nfuncs, d, &t->arena, &o);
}

static int reported(const char *id, const char *func, uint32_t line)
{
	for (size_t i = 0; i < nfound; i++)
		if (!strcmp(found[i].id, id) && !strcmp(found[i].func, func) && found[i].line == line)
			return 1;
	return 0;
}

/* ---- building functions -------------------------------------------------------------------- */

/* A function under construction: each helper appends one node after the previous one. */
struct fb {
	struct ir_func *fn;
	int32_t last;
};

static struct fb fb_new(struct unit_fixture *t, const char *name, int returns_ptr)
{
	struct fb b = { &t->funcs[t->nfuncs++], 0 };
	ir_func_init(b.fn, &t->arena, name, "t.c");
	b.fn->returns_ptr = returns_ptr;
	struct ir_loc l = { 1, 1 };
	b.fn->loc = l;
	b.last = ir_add_node(b.fn, IR_NOP, l);
	return b;
}

static int32_t add(struct fb *b, enum ir_op op, uint32_t line)
{
	struct ir_loc l = { line, 1 };
	int32_t n = ir_add_node(b->fn, op, l);
	if (b->last >= 0)
		b->fn->nodes[b->last].succ[0] = n;
	b->last = n;
	return n;
}

/* tmp = callee(args); returns tmp (a temporary; the caller kills it) */
static int32_t call(struct fb *b, uint32_t line, const char *callee, int nargs, const struct ir_operand *args)
{
	int32_t tmp = ir_add_var(b->fn, callee, IR_VAR_PTR | IR_VAR_TEMP, -1);
	int32_t n = add(b, IR_CALL, line);
	b->fn->nodes[n].callee = callee;
	b->fn->nodes[n].dest = tmp;
	for (int i = 0; i < nargs; i++)
		ir_add_operand(b->fn, n, args[i]);
	return tmp;
}

static void kill(struct fb *b, uint32_t line, int32_t tmp)
{
	int32_t n = add(b, IR_KILL, line);
	ir_add_operand(b->fn, n, ir_var_opnd(tmp));
}

static void ret(struct fb *b, uint32_t line, const struct ir_operand *o)
{
	int32_t n = add(b, IR_RETURN, line);
	if (o)
		ir_add_operand(b->fn, n, *o);
	b->last = -1;
}

static struct ir_operand field(int32_t var, const char *name)
{
	struct ir_operand o = { IR_OPND_FIELD, var, 0, name };
	return o;
}

static struct ir_operand named_function(const char *name)
{
	struct ir_operand o = { IR_OPND_UNKNOWN, -1, 0, name };
	return o;
}

/* ---- tests --------------------------------------------------------------------------------- */

/* caller() drops what helper() returns; helper comes after caller in the unit, so only the
 * callee-first order gives caller helper's summary (a new reference). */
static void test_callee_first(void **state)
{
	struct unit_fixture *t = *state;
	struct fb c = fb_new(t, "caller", 0);
	int32_t r = call(&c, 10, "helper", 0, NULL);
	kill(&c, 10, r);
	ret(&c, 11, NULL);
	struct fb h = fb_new(t, "helper", 1);
	int32_t n = call(&h, 20, "obj_new", 0, NULL);
	struct ir_operand o = ir_var_opnd(n);
	ret(&h, 21, &o);
	analyse(t, NULL);
	assert_int_equal(t->funcs[0].nodes[1].callee_fn, 1);
	assert_ptr_equal(t->funcs[1].nodes[1].model, model_lookup(t->model, "obj_new"));
	assert_true(reported("rc-leak", "caller", 10));
	assert_int_equal(nfound, 1);
}

/* A function of the unit passed by name to a call outside the unit is a callback of that
 * library; its operand gets its index + 1. */
static void test_callback_linked(void **state)
{
	struct unit_fixture *t = *state;
	struct fb r = fb_new(t, "register_it", 0);
	struct ir_operand a = named_function("on_event");
	int32_t n = call(&r, 5, "lib_register", 1, &a);
	kill(&r, 5, n);
	ret(&r, 6, NULL);
	struct fb cb = fb_new(t, "on_event", 0);
	ret(&cb, 9, NULL);
	analyse(t, NULL);
	assert_int_equal(t->funcs[0].ops[t->funcs[0].nodes[1].arg0].ival, 2);
	assert_int_equal(t->funcs[0].nodes[1].callee_fn, -1);
	assert_true(t->funcs[1].callback);
	assert_false(t->funcs[0].callback);
	assert_int_equal(nfound, 0);
}

/* A function the interpreter calls (a method table names it) must return a new reference:
 * returning its borrowed argument is reported; a name outside the unit is ignored. */
static void test_callables(void **state)
{
	struct unit_fixture *t = *state;
	struct fb m = fb_new(t, "meth", 1);
	m.fn->nparams = 1;
	int32_t self = ir_add_var(m.fn, "self", IR_VAR_PTR | IR_VAR_PARAM, 0);
	struct ir_operand o = ir_var_opnd(self);
	ret(&m, 3, &o);
	const struct unit_callable callables[] = { { "meth", 0 }, { "not_in_unit", 0 } };
	struct unit_decls d = { NULL, 0, callables, 2 };
	analyse(t, &d);
	assert_int_equal(t->funcs[0].py_callable, 1);
	assert_non_null(t->funcs[0].self_model);
	assert_int_equal(t->funcs[0].self_model->ret, MODEL_RET_NEW);
	assert_true(reported("rc-return-borrowed", "meth", 3));
}

/* A type whose clear releases a field its traverse never visits; a second type naming
 * functions outside the unit is dropped. */
static void test_types(void **state)
{
	struct unit_fixture *t = *state;
	struct fb tr = fb_new(t, "obj_traverse", 0);
	tr.fn->nparams = 1;
	ir_add_var(tr.fn, "self", IR_VAR_PTR | IR_VAR_PARAM, 0);
	struct ir_operand zero = ir_int_opnd(0);
	ret(&tr, 30, &zero);
	struct fb cl = fb_new(t, "obj_clear_fields", 0);
	cl.fn->nparams = 1;
	int32_t self = ir_add_var(cl.fn, "self", IR_VAR_PTR | IR_VAR_PARAM, 0);
	struct ir_operand f = field(self, "child");
	int32_t n = add(&cl, IR_CALL, 40);
	cl.fn->nodes[n].callee = "obj_clear";
	ir_add_operand(cl.fn, n, f);
	ret(&cl, 41, &zero);
	struct unit_type_decl types[] = {
		{ "obj_traverse", "obj_clear_fields", NULL, { 50, 1 } },
		{ "elsewhere_traverse", "elsewhere_clear", NULL, { 60, 1 } },
	};
	struct unit_decls d = { types, 2, NULL, 0 };
	analyse(t, &d);
	assert_true(reported("rc-traverse-incomplete", "obj_clear_fields", 40));
	assert_int_equal(nfound, 1);
}

/* ir_check: each broken invariant is found and named. */
static void test_ir_check(void **state)
{
	struct unit_fixture *t = *state;
	char buf[256];
	FILE *err;

	struct fb a = fb_new(t, "bad_succ", 0);
	ret(&a, 1, NULL);
	a.fn->nodes[1].succ[0] = 7;
	err = fmemopen(buf, sizeof buf, "w");
	assert_int_equal(ir_check(a.fn, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "bad_succ: node 1: bad successor 7"));

	struct fb b = fb_new(t, "two_succ", 0);
	int32_t n = add(&b, IR_USE, 2);
	ir_add_operand(b.fn, n, ir_kind_opnd(IR_OPND_NULL));
	ret(&b, 3, NULL);
	b.fn->nodes[n].succ[1] = 2;
	err = fmemopen(buf, sizeof buf, "w");
	assert_int_equal(ir_check(b.fn, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "two successors on a use"));

	struct fb c = fb_new(t, "kill_param", 0);
	int32_t p = ir_add_var(c.fn, "p", IR_VAR_PTR | IR_VAR_PARAM, 0);
	kill(&c, 4, p);
	ret(&c, 5, NULL);
	err = fmemopen(buf, sizeof buf, "w");
	assert_int_equal(ir_check(c.fn, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "not a temporary"));

	struct fb d = fb_new(t, "branch_without_operand", 0);
	int32_t br = add(&d, IR_BRANCH, 6);
	d.fn->nodes[br].cond = IR_COND_NULL;
	d.last = -1;
	err = fmemopen(buf, sizeof buf, "w");
	assert_int_equal(ir_check(d.fn, err), -1);
	fclose(err);
	assert_non_null(strstr(buf, "condition with 0 operands"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_callee_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_linked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ir_check, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
