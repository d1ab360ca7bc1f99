/*
 * test_tree.c - the index of a whole tree (unit/tree.h) on hand-built units: who defines each
 * external name, the callee-first order of units (cycles included), the units each waits for,
 * and the summaries handed from one unit to the next. No libclang.
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
#include "unit/tree.h"

#define MAX_UNITS 4
#define MAX_FUNCS 4

struct built {
	struct ir_arena arena;
	struct ir_func funcs[MAX_UNITS][MAX_FUNCS];
	uint32_t nfuncs[MAX_UNITS];
};

/* Adds to unit u a function `name` (external or static) calling each name of calls (NULL
 * terminated), then returning. */
static struct ir_func *add_fn(struct built *b, size_t u, const char *name, int external, const char *const *calls)
{
	struct ir_func *fn = &b->funcs[u][b->nfuncs[u]++];
	ir_func_init(fn, &b->arena, name, "t.c");
	fn->external = external;
	struct ir_loc loc = { 1, 1 };
	int32_t prev = ir_add_node(fn, IR_NOP, loc);
	for (size_t k = 0; calls && calls[k]; k++) {
		int32_t c = ir_add_node(fn, IR_CALL, loc);
		fn->nodes[c].callee = ir_strdup(&b->arena, calls[k]);
		fn->nodes[prev].succ[0] = c;
		prev = c;
	}
	int32_t r = ir_add_node(fn, IR_RETURN, loc);
	fn->nodes[prev].succ[0] = r;
	return fn;
}

static void free_built(struct built *b)
{
	for (size_t u = 0; u < MAX_UNITS; u++)
		for (uint32_t i = 0; i < b->nfuncs[u]; i++)
			ir_func_free(&b->funcs[u][i]);
	ir_arena_free(&b->arena);
}

static size_t position(const struct tree *t, size_t n, size_t u)
{
	const size_t *order = tree_order(t);
	for (size_t k = 0; k < n; k++)
		if (order[k] == u)
			return k;
	fail_msg("unit %zu not in the order", u);
	return n;
}

/* A chain 0 -> 1 -> 2 (unit 0 calls a function of unit 1, which calls one of unit 2) is
 * analysed 2, 1, 0; each waits for the one it calls; unit 3 calls nothing of the tree. */
static void test_chain_callee_first(void **state)
{
	(void)state;
	struct built b;
	memset(&b, 0, sizeof b);
	const char *c0[] = { "mid", "PyList_New", NULL }, *c1[] = { "leaf", NULL };
	add_fn(&b, 0, "top", 1, c0);
	add_fn(&b, 1, "mid", 1, c1);
	add_fn(&b, 2, "leaf", 1, NULL);
	add_fn(&b, 3, "alone", 1, NULL);
	struct tree *t = tree_new(4);
	for (size_t u = 0; u < 4; u++)
		tree_add_unit(t, u, b.funcs[u], b.nfuncs[u], NULL);
	tree_link(t);
	assert_true(position(t, 4, 2) < position(t, 4, 1));
	assert_true(position(t, 4, 1) < position(t, 4, 0));
	assert_int_equal(tree_ngroups(t), 4); /* no cycle: a group per unit */
	for (size_t g = 0; g < 4; g++) {
		size_t n, nd;
		const size_t *m = tree_group(t, g, &n);
		assert_int_equal(n, 1);
		const size_t *d = tree_group_deps(t, g, &nd);
		if (m[0] == 0 || m[0] == 1) {
			assert_int_equal(nd, 1);
			assert_int_equal(d[0], m[0] + 1);
		} else {
			assert_int_equal(nd, 0);
		}
	}
	tree_free(t);
	free_built(&b);
}

/* Units that call each other (0 <-> 1) are one group, in input order, and import from each
 * other (the latest summary each has); a unit that calls into the group (2) comes after it. */
static void test_cycle_input_order(void **state)
{
	(void)state;
	struct built b;
	memset(&b, 0, sizeof b);
	const char *c0[] = { "helper", NULL }, *c1[] = { "callback", NULL };
	const char *c2[] = { "helper", NULL };
	add_fn(&b, 0, "callback", 1, c0);
	add_fn(&b, 1, "helper", 1, c1);
	add_fn(&b, 2, "user", 1, c2);
	struct tree *t = tree_new(3);
	tree_add_unit(t, 2, b.funcs[2], b.nfuncs[2], NULL);
	tree_add_unit(t, 0, b.funcs[0], b.nfuncs[0], NULL);
	tree_add_unit(t, 1, b.funcs[1], b.nfuncs[1], NULL);
	tree_link(t);
	assert_int_equal(tree_ngroups(t), 2);
	size_t n, nd;
	const size_t *m = tree_group(t, 0, &n);
	assert_int_equal(n, 2);
	assert_int_equal(m[0], 0);
	assert_int_equal(m[1], 1);
	tree_group_deps(t, 0, &nd);
	assert_int_equal(nd, 0);
	m = tree_group(t, 1, &n);
	assert_int_equal(n, 1);
	assert_int_equal(m[0], 2);
	const size_t *d = tree_group_deps(t, 1, &nd);
	assert_int_equal(nd, 1);
	assert_int_equal(d[0], 1);
	/* in the group, each imports the other's latest summary (none before it is analysed) */
	struct eng_summary s;
	memset(&s, 0, sizeof s);
	s.valid = 1;
	s.fn.ret = MODEL_RET_NEW;
	const struct unit_tree *h0 = tree_unit_hooks(t, 0), *h1 = tree_unit_hooks(t, 1);
	assert_null(h0->import(h0->ctx, "helper"));
	h0->exported(h0->ctx, &b.funcs[0][0], &s);
	tree_unit_done(t, 0);
	const struct eng_summary *got = h1->import(h1->ctx, "callback");
	assert_non_null(got);
	assert_int_equal(got->fn.ret, MODEL_RET_NEW);
	assert_string_equal(got->fn.name, "callback");
	h1->exported(h1->ctx, &b.funcs[1][0], &s);
	tree_unit_done(t, 1);
	assert_non_null(h0->import(h0->ctx, "helper"));
	/* analysed again: the earlier summary is dropped until the new one comes */
	tree_unit_begin(t, 1);
	assert_null(h0->import(h0->ctx, "helper"));
	/* a unit never imports its own name */
	assert_null(h0->import(h0->ctx, "callback"));
	struct tree_stats st;
	tree_stats(t, &st);
	assert_int_equal(st.exported, 1);
	assert_int_equal(st.imported, 2);
	tree_free(t);
	free_built(&b);
}

/* A name two units define with external linkage is nobody's; a static function is never
 * exported through the index and its callers in the unit do not depend on other units. */
static void test_ambiguous_and_static(void **state)
{
	(void)state;
	struct built b;
	memset(&b, 0, sizeof b);
	const char *c2[] = { "init_types", "local", NULL };
	add_fn(&b, 0, "init_types", 1, NULL);
	add_fn(&b, 1, "init_types", 1, NULL);
	add_fn(&b, 1, "local", 0, NULL);
	add_fn(&b, 2, "user", 1, c2);
	add_fn(&b, 2, "local", 0, NULL);
	struct tree *t = tree_new(3);
	for (size_t u = 0; u < 3; u++)
		tree_add_unit(t, u, b.funcs[u], b.nfuncs[u], NULL);
	tree_link(t);
	assert_int_equal(tree_ngroups(t), 3); /* unit 2 calls nobody's `init_types`: no edge */
	struct eng_summary s;
	memset(&s, 0, sizeof s);
	s.valid = 1;
	const struct unit_tree *h0 = tree_unit_hooks(t, 0), *h2 = tree_unit_hooks(t, 2);
	h0->exported(h0->ctx, &b.funcs[0][0], &s);
	tree_unit_done(t, 0);
	assert_null(h2->import(h2->ctx, "init_types"));
	struct tree_stats st;
	tree_stats(t, &st);
	assert_int_equal(st.ambiguous, 1);
	tree_free(t);
	free_built(&b);
}

/* A method table of one unit names an external function of another: that function is callable
 * (CPython calls it), in its own unit only; a name the table's unit defines itself is its own. */
static void test_callable_across_units(void **state)
{
	(void)state;
	struct built b;
	memset(&b, 0, sizeof b);
	add_fn(&b, 0, "module_init", 1, NULL);
	add_fn(&b, 0, "own_method", 0, NULL);
	add_fn(&b, 1, "impl_method", 1, NULL);
	add_fn(&b, 1, "iter_next", 1, NULL);
	add_fn(&b, 2, "own_method", 1, NULL);
	struct unit_callable calls[] = { { "impl_method", 0 }, { "iter_next", 1 }, { "own_method", 0 } };
	struct unit_decls d = { NULL, 0, calls, 3 };
	struct tree *t = tree_new(3);
	tree_add_unit(t, 0, b.funcs[0], b.nfuncs[0], &d);
	tree_add_unit(t, 1, b.funcs[1], b.nfuncs[1], NULL);
	tree_add_unit(t, 2, b.funcs[2], b.nfuncs[2], NULL);
	tree_link(t);
	const struct unit_tree *h1 = tree_unit_hooks(t, 1), *h2 = tree_unit_hooks(t, 2);
	assert_int_equal(h1->callable(h1->ctx, "impl_method"), 1);
	assert_int_equal(h1->callable(h1->ctx, "iter_next"), 2);
	assert_int_equal(h2->callable(h2->ctx, "impl_method"), 0);
	assert_int_equal(h2->callable(h2->ctx, "own_method"), 0);
	tree_free(t);
	free_built(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_callee_first),
		cmocka_unit_test(test_cycle_input_order),
		cmocka_unit_test(test_ambiguous_and_static),
		cmocka_unit_test(test_callable_across_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
