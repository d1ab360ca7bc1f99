/*
 * cfg.h - the CFG builder: lowers one C function (a libclang cursor) into the IR (ir.h).
 * With the front end, the only module that speaks libclang. docs/analyzer.md lists how each
 * statement and expression form is lowered.
 */
#ifndef RCCHECK_CFG_H
#define RCCHECK_CFG_H

#include "ir/ir.h"

#include <clang-c/Index.h>

/* What the front end knows about a callee declaration. */
struct cfg_callee_info {
	const struct model_fn *annot; /* from annotate attributes, or NULL */
	int noreturn;
};

struct cfg_env {
	CXTranslationUnit tu;
	const char *file; /* path printed for the function */
	CXFile main_file; /* the function's file and its text (integer literals are read from it), or NULL */
	const char *main_text;
	size_t main_len;
	/* Information about the function a call refers to (decl may be a null cursor for indirect
	 * calls, then name is NULL). Never NULL. */
	const struct cfg_callee_info *(*callee)(void *ctx, CXCursor decl, const char *name);
	/* The model of a function-like macro name (Py_CLEAR...), or NULL: a statement that is a
	 * whole invocation of such a macro is lowered as a call to it. May be NULL. */
	const struct model_fn *(*macro_model)(void *ctx, const char *name);
	void *ctx;
	uint32_t max_nodes; /* lowering budget per function (0: default) */
	/* What the unit's lowering keeps from one function to the next (the files it includes,
	 * for code written in another file: include_point), cfg_unit_new() / cfg_unit_free();
	 * NULL: such code is located where it is written. */
	struct cfg_unit *unit;
};

struct cfg_unit *cfg_unit_new(void);
void cfg_unit_free(struct cfg_unit *m);

/*
 * Lowers the function definition `fn_cursor` into *out (initialised here; strings in arena).
 * Returns 0, or -1 when the function is too large for the budget (then *out is freed).
 */
int cfg_build(const struct cfg_env *env, CXCursor fn_cursor, struct ir_arena *arena, struct ir_func *out);

/* Where l is reported: its expansion point; code of env's function written in another file
 * (an X-macro list included in the body) at the #include of env's main file. env may be NULL:
 * the expansion point. */
struct ir_loc cfg_loc(const struct cfg_env *env, CXSourceLocation l);
/* Whether a declaration's type or specifiers say it never returns. */
int cfg_decl_is_noreturn(CXTranslationUnit tu, CXCursor decl);

#endif
