/*
 * unit.h - the unit driver: what happens to the functions of one translation unit once the
 * front end has lowered them. It links calls to functions of the unit, orders the functions
 * callee-first, resolves what each call does (model files, annotations, summaries of the
 * unit's functions, name guesses, callbacks), runs the engine on each function and then the
 * checks that compare functions (docs/analyzer.md, "Architecture").
 *
 * It sees only the IR and names: no libclang (it is part of rccheck_analysis, built without
 * libclang's headers), so it is tested on hand-built functions (analyzer/tests/test_unit.c).
 */
#ifndef RCCHECK_UNIT_H
#define RCCHECK_UNIT_H

#include "engine/engine.h"
#include "ir/ir.h"
#include "models/model.h"

#include <stdint.h>

/* A type the front end's declaration scan found (designated or positional initializers of an
 * rc_type or PyTypeObject, PyType_Slot arrays): the functions named as its traverse, clear and
 * destroy (tp_dealloc), NULL when not named. Names that are not functions of the unit are
 * ignored; a type is kept when it has a traverse and a clear or a destroy of the unit. */
struct unit_type_decl {
	const char *traverse, *clear, *destroy;
	struct ir_loc loc; /* where the type is defined */
};

/* A function the Python interpreter calls: named in a PyMethodDef or PyGetSetDef table, or in
 * a type slot that returns an object. It must return a new reference (when it returns a pointer
 * and no model says otherwise) and its arguments are borrowed (ir_func.py_callable). */
struct unit_callable {
	const char *name;
	int null_ok; /* a slot where NULL without an exception is a normal result (tp_iternext) */
};

/* What the declaration scan found in the unit. */
struct unit_decls {
	const struct unit_type_decl *types;
	uint32_t ntypes;
	const struct unit_callable *callables;
	uint32_t ncallables;
};

/* What the other translation units of the tree say, in a run over a whole tree (the driver's
 * tree index, docs/analyzer.md "Whole-tree summaries"). Each hook may be NULL. */
struct unit_tree {
	/* The summary of a function with external linkage that another unit of the tree defines
	 * and that was analysed before this unit, or NULL. */
	const struct eng_summary *(*import)(void *ctx, const char *name);
	/* Whether a method table or type slot of another unit names this unit's external function
	 * `name`: 0 no, 1 yes, 2 a slot where NULL without an exception is a normal result. */
	int (*callable)(void *ctx, const char *name);
	/* Whether any unit of the tree defines a function `name` (this one included, and names two
	 * units define). */
	int (*defined)(void *ctx, const char *name);
	/* Receives the summary of each function with external linkage once it is analysed. */
	void (*exported)(void *ctx, const struct ir_func *fn, const struct eng_summary *s);
	void *ctx;
};

struct unit_options {
	const struct model *model;
	uint32_t max_states; /* engine budget per function (0: default) */
	/* findings and "stopped after N states" notes, as engine_options */
	void (*report)(void *ctx, const struct eng_finding *f);
	void (*incomplete)(void *ctx, const struct ir_func *fn, uint32_t states);
	void *ctx;
	const struct unit_tree *tree; /* NULL: the unit alone */
};

/*
 * Analyses the nfuncs functions of one unit.
 * Pre: every function holds the IR's invariants (ir_check); a call's `model` is what the
 * callee's declaration says (annotations), or NULL; callee_fn is -1; an unknown operand naming
 * a function (a callback argument) has str set and ival 0. decls may be NULL.
 * Post: calls are linked (callee_fn, the callback operands' ival = index + 1, ir_func.callback),
 * each call's `model` is what the engine applied, functions named in decls->callables are
 * py_callable (1, or 2 when null_ok; and get a new-reference self model), loads of globals the
 * model borrows have ival 1. The engine gets the model's API conventions. Models made here are allocated in arena. Returns the number of states explored.
 */
uint64_t unit_analyse(struct ir_func *funcs, uint32_t nfuncs, const struct unit_decls *decls, struct ir_arena *arena,
		      const struct unit_options *opt);

#endif
