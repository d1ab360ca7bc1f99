/*
 * ir.h - rccheck's intermediate representation: one function lowered to a small control-flow
 * graph of ownership-relevant operations. See docs/analyzer.md ("The IR").
 *
 * Invariants (ir_check() tells whether they hold; the front end runs it on every function it
 * lowers and reports a violation as an internal error for that function, which is then not
 * analysed):
 *   - there is a node 0, the entry; every successor index is a valid node index or -1 (no edge);
 *   - a node has succ[1] != -1 only when op == IR_BRANCH (succ[0]: condition true, succ[1]: false);
 *   - IR_RETURN nodes and noreturn IR_CALL nodes have no successors;
 *   - op, cond and operand kinds are values of their enums;
 *   - operands [arg0, arg0 + nargs) index fn->ops; every IR_OPND_VAR/IR_OPND_ADDR refers to a
 *     var, every IR_OPND_LOAD/IR_OPND_FIELD to a var, -1 or -2;
 *   - IR_ASSIGN has a var dest and one operand; a branch on a known condition has its operand
 *     (two for IR_COND_IS and IR_COND_LT); IR_KILL operands are temporaries; IR_COUNT has an
 *     operand and ival +1 or -1;
 *   - a call's dest is -1 or a temporary var that is unbound when the call runs (the builder
 *     creates a fresh temporary per call and kills it with IR_KILL at the end of the full
 *     expression; that it is unbound is not checked).
 * ir_add_operand() asserts (debug builds) that a node's operands are appended contiguously.
 * Nothing in this header depends on libclang: the engine and the checks only see this.
 */
#ifndef RCCHECK_IR_H
#define RCCHECK_IR_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

struct model_fn;

enum ir_op {
	IR_NOP,    /* entry, labels, joins */
	IR_CALL,   /* dest = callee(args...) ; dest may be -1 */
	IR_ASSIGN, /* var dest = args[0] */
	IR_STORE,  /* args[0] is stored into memory args[1] (an IR_OPND_LOAD key): it escapes */
	IR_USE,    /* args[0] is dereferenced (field access, *p, p[i]) */
	IR_BRANCH, /* two-way branch on cond/args[0] */
	IR_RETURN, /* return args[0] (nargs == 0: falls off the end / return;) */
	IR_KILL,   /* the temporaries in args end their life here (end of a full expression) */
	IR_COUNT,  /* direct count change on args[0]: ival +1 (p->refcnt++) or -1 (p->refcnt--) */
};

enum ir_cond {
	IR_COND_UNKNOWN, /* nothing known: both successors feasible */
	IR_COND_NULL,    /* true when args[0] is NULL / zero */
	IR_COND_NEG,     /* true when args[0] < 0 */
	IR_COND_EQ,      /* true when args[0] == ival */
	IR_COND_IS,      /* true when args[0] is the object args[1] (&global: `x == Py_None`) */
	IR_COND_LT,      /* true when args[0] < args[1] (integers; refines nothing: read by the
			  * engine's index-range pass, engine.c) */
};

enum ir_opnd_kind {
	IR_OPND_UNKNOWN,  /* a value the analysis does not follow (str: the function a function
			   * designator names, e.g. a callback argument; ival: its index in the
			   * unit + 1 once the front end has linked it, else 0) */
	IR_OPND_VAR,      /* the value of local/param/temp var */
	IR_OPND_NULL,     /* a null pointer constant */
	IR_OPND_INT,      /* an integer constant (ival) */
	IR_OPND_ADDR,     /* &var */
	IR_OPND_STR,      /* a string literal (str, without quotes, escapes kept) */
	IR_OPND_LOAD,     /* memory: (var, str) = (base var, field), (-2, global), -1: anonymous;
			   * with var -2, ival 1: a global the model says is borrowed (Py_None's
			   * struct), ival 2: a local variable of aggregate type or its member
			   * (`result.chunk`), whose contents nobody owns by rule; with another
			   * var, ival 3 on a store's key: a `void *` field (a C library's
			   * pointer: reader->privdata = self) */
	IR_OPND_FIELD,    /* the address of memory named like IR_OPND_LOAD (&p->f, &global) */
};

struct ir_operand {
	uint8_t kind;
	int32_t var;
	int64_t ival;
	const char *str;
};

struct ir_loc {
	uint32_t line;
	uint32_t col;
};

enum ir_node_flags {
	IR_NODE_NORETURN = 1u << 0, /* call never returns */
	IR_NODE_NEGATED = 1u << 1,  /* branch: written as the negation (for notes only) */
	IR_NODE_LOOP = 1u << 2,     /* branch: a loop condition */
	IR_NODE_RETURN_MACRO = 1u << 3, /* return: the expansion of a return-stmt macro (Py_RETURN_NONE) */
};

struct ir_node {
	uint8_t op;    /* enum ir_op */
	uint8_t cond;  /* enum ir_cond (IR_BRANCH) */
	uint8_t flags; /* enum ir_node_flags */
	/* IR_CALL: bit k set when argument k + 1 (k < 8) is an integer expression whose type or
	 * form keeps it in -5..256 (an unsigned char, a bool, `x & 3`): a small int CPython keeps */
	uint8_t small_args;
	int32_t succ[2];
	int32_t dest;   /* IR_CALL result temp, IR_ASSIGN target var; else -1 */
	uint32_t arg0;  /* first operand in fn->ops */
	uint32_t nargs;
	int64_t ival;             /* IR_BRANCH IR_COND_EQ constant; IR_COUNT delta */
	const char *callee;       /* IR_CALL: function name, NULL for indirect calls */
	const char *shown;        /* IR_CALL: the name the user's code wrote when a macro renamed the
				   * callee (PyObject_CallMethod for _PyObject_CallMethod_SizeT), else
				   * NULL; messages say it (ir_callee_name), the model looks up callee */
	const struct model_fn *model; /* IR_CALL: what the call does (resolved before analysis) */
	int32_t callee_fn;        /* IR_CALL: index of a function of the same unit, or -1 */
	struct ir_loc loc;
	/* IR_CALL written in the body of a macro: where it is spelled (the line and column in the
	 * macro's definition, and that file); mfile NULL otherwise. Every expansion of the macro
	 * shares it: findings on such a call's result are one defect (INT_CONSTANT(x) x 251). */
	struct ir_loc mloc;
	const char *mfile;
	/* IR_CALL of a named function returning a pointer to a struct: that struct's tag (`_object`
	 * for PyObject *), for the convention `returns-new-type` (unit.c); NULL otherwise */
	const char *ret_tag;
};

enum ir_var_flags {
	IR_VAR_PARAM = 1u << 0,
	IR_VAR_PTR = 1u << 1,
	IR_VAR_INT = 1u << 2,
	IR_VAR_TEMP = 1u << 3,
	IR_VAR_OPAQUE = 1u << 4, /* a parameter declared `void *`: its contract is outside its type */
	IR_VAR_PLAIN = 1u << 5,  /* a pointer that cannot be to a counted object: to a scalar, a
				  * function, or a struct the unit never sees the inside of (libpq's
				  * PGresult): summaries give it no ownership facts */
	IR_VAR_MACRO = 1u << 6,  /* a local declared in a macro's body (GLib's G_IS_* `__inst`): a
				  * hidden alias, dropped once dead while a live var holds its value */
	IR_VAR_CLEANUP = 1u << 7, /* declared with __attribute__((cleanup(f))) (g_autoptr, _cleanup_):
				   * its cleanup function releases what it holds at scope end, so a
				   * reference it holds escapes to it; its value is still followed */
};

struct ir_var {
	const char *name; /* temporaries: the callee's name */
	uint8_t flags;
	int32_t param; /* 0-based parameter index, or -1 */
};

/* A simple bump allocator: everything of one function (or one unit) is freed at once. */
struct ir_arena {
	struct ir_arena_block *head;
	size_t bytes; /* allocated from malloc so far (the per-file memory meter, util.h) */
};

void *ir_alloc(struct ir_arena *a, size_t size);
char *ir_strdup(struct ir_arena *a, const char *s);
void ir_arena_free(struct ir_arena *a);

struct ir_func {
	const char *name;
	const char *file;
	struct ir_loc loc;     /* the function's name */
	struct ir_loc end_loc; /* its closing brace */
	int returns_ptr;       /* return type is a pointer */
	int returns_int;       /* return type is an integer */
	int returns_plain;     /* returns a pointer that cannot be to a counted object (IR_VAR_PLAIN) */
	int has_cleanup_vars;  /* some var is IR_VAR_CLEANUP */
	int nparams;
	int py_callable;       /* named in a method table or a type slot: CPython calls it, its arguments
				* are borrowed, no exception is set when it starts, and a NULL result
				* means an exception it set; 2: a slot where NULL without an exception
				* is a normal result (tp_iternext) */
	int external;          /* has external linkage (not static): other units of the tree can call it */
	uint32_t handed_over;  /* bit p: every call of this static function in its unit hands over, as
				* argument p + 1, a new reference it does not use again (unit.c): the
				* function takes it by its callers' contract */
	int callback;          /* its address is passed to a function outside the unit (a destroy or
				* user-data callback of a C library): its contract is that library's */
	const struct model_fn *self_model; /* the function's own annotations/model entry, or NULL */
	struct ir_node *nodes;
	uint32_t nnodes, cap_nodes;
	struct ir_operand *ops;
	uint32_t nops, cap_ops;
	struct ir_var *vars;
	uint32_t nvars, cap_vars;
	struct ir_arena *arena; /* strings and the function's own allocations */
	/* Static objects a macro renamed (`Py_None` for the global `_Py_NoneStruct`): the operand
	 * keeps the global's name (its identity, what models say), messages say the user's
	 * (ir_global_shown). At most one entry per global, in the arena. */
	struct ir_alias *aliases;
};

struct ir_alias {
	const char *name;  /* the global's own name (ir_operand.str) */
	const char *shown; /* what the user's code wrote */
	struct ir_alias *next;
};

/* Builder helpers (the CFG builder and the unit tests build functions with these). */
void ir_func_init(struct ir_func *fn, struct ir_arena *arena, const char *name, const char *file);
void ir_func_free(struct ir_func *fn);
/* Bytes fn's own arrays hold (nodes, operands, vars: their capacity), not its arena's. */
size_t ir_func_bytes(const struct ir_func *fn);
int32_t ir_add_var(struct ir_func *fn, const char *name, unsigned flags, int32_t param);
/* Appends a node with no successors and returns its index. */
int32_t ir_add_node(struct ir_func *fn, enum ir_op op, struct ir_loc loc);
/* Appends an operand to the most recently added node (operands of a node are contiguous). */
void ir_add_operand(struct ir_func *fn, int32_t node, struct ir_operand op);
struct ir_operand ir_var_opnd(int32_t var);
struct ir_operand ir_int_opnd(int64_t v);
struct ir_operand ir_kind_opnd(enum ir_opnd_kind kind);

/* Records that the user's code writes global `name` as `shown` (the first spelling stays). */
void ir_add_alias(struct ir_func *fn, const char *name, const char *shown);
/* The name messages give global `name`: the user's spelling when a macro renamed it. */
const char *ir_global_shown(const struct ir_func *fn, const char *name);

/* The name messages give the callee of IR_CALL n: the user's spelling, else the callee's name,
 * else (an indirect call) `indirect`. */
static inline const char *ir_callee_name(const struct ir_node *n, const char *indirect)
{
	return n->shown ? n->shown : n->callee ? n->callee : indirect;
}

static inline const struct ir_operand *ir_args(const struct ir_func *fn, const struct ir_node *n)
{
	return n->nargs ? fn->ops + n->arg0 : fn->ops; /* fn->ops may be NULL when nargs == 0 */
}

/* Removes unreachable nodes and empty IR_NOP chains (keeping node 0 as the entry) and
 * renumbers the rest in order. */
void ir_compact(struct ir_func *fn);
/* Returns 0 when the invariants above hold, else -1 (and prints the first violation to err). */
int ir_check(const struct ir_func *fn, FILE *err);
/* Number of predecessors of every node (array of fn->nnodes, malloc'd). */
uint32_t *ir_pred_counts(const struct ir_func *fn);
/* The --dump-cfg format (documented in docs/analyzer.md). */
void ir_dump(const struct ir_func *fn, FILE *out);
const char *ir_op_name(enum ir_op op);

#endif
