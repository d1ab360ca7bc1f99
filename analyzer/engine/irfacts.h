/*
 * irfacts.h - facts of one IR function that need no analysis state: which field or parameter an
 * operand names, whether a function reports ownership in a flag, which calls index within the
 * size of their container, whether a var is read again. Each is a pure function of the IR, so
 * it is tested on hand-built functions (analyzer/tests/test_engine.c).
 */
#ifndef RCCHECK_ENGINE_IRFACTS_H
#define RCCHECK_ENGINE_IRFACTS_H

#include "ir/ir.h"

#include <stdint.h>

/* The operand var is first assigned (`x = <operand>`, the first IR_ASSIGN to it in node order),
 * or NULL. */
const struct ir_operand *irfacts_first_assigned(const struct ir_func *fn, int32_t var);
/* The field an operand names: &p->f, or a var (temporary or local) first assigned a read of
 * p->f; NULL otherwise. */
const char *engine_operand_field(const struct ir_func *fn, const struct ir_operand *o);
/* The same, only for a field of parameter `param` (0-based: self->f; not self->other->f). */
const char *engine_operand_field_of(const struct ir_func *fn, const struct ir_operand *o, int param);
/* The parameter (0-based) an operand is, directly or through a local assigned it; -1 if none. */
int engine_operand_param(const struct ir_func *fn, const struct ir_operand *o);
/* Whether fn writes different constants through one pointer parameter (`*copied = 0;` on one
 * path, `*copied = 1;` on another): a function that reports in a flag whether the pointer it
 * returns is a new reference (`*copied = 0; Py_INCREF(obj); return obj;` / `*copied = 1; return
 * obj;`). Its result is then neither new nor borrowed for its callers, and its returns are not
 * compared with each other. */
int engine_ownership_flag(const struct ir_func *fn);

/* Per call node (array of fn->nnodes, malloc'd; NULL when no call has an index argument):
 * 1 when the call's index argument is known to be within the size of its container, because
 * the function compares them (see irfacts.c); such a call cannot fail. */
uint8_t *irfacts_index_ranges(const struct ir_func *fn);
/* Whether some path from node `from` reads var before assigning it (its address counts as a
 * read; unlike liveness, an address taken earlier does not keep it live). */
int irfacts_var_read_later(const struct ir_func *fn, int32_t from, int32_t var);
/* Whether some path from node `from` tests var (a branch on it) or returns it, directly or
 * through a copy, before var is assigned again. */
int irfacts_var_tested_later(const struct ir_func *fn, int32_t from, int32_t var);
/* Whether local var holds only new references (or NULL): each of its definitions is a call
 * whose result is new (is_new(ctx, call, -1)), or a copy of such a call's temporary, or NULL,
 * or a call given its address as argument k that stores a new reference there (is_new(ctx,
 * call, k): PyUnicode_FSConverter(o, &bytes)); its address is taken by nothing else. */
int irfacts_holds_new(const struct ir_func *fn, int32_t var, int (*is_new)(void *ctx, const struct ir_node *call, int arg),
		      void *ctx);
/* Whether the call at node `call` hands its argument k (0-based) over: a local holding only new
 * references (irfacts_holds_new) that no path from the call reads again before assigning it. */
int irfacts_hands_over(const struct ir_func *fn, int32_t call, uint32_t k,
		       int (*is_new)(void *ctx, const struct ir_node *call, int arg), void *ctx);
/* Whether the straight-line code just before return node ret acquires a reference to the
 * global object g (Py_INCREF(Py_True); return Py_True;). */
int irfacts_global_acquired_before(const struct ir_func *fn, const struct ir_node *ret, const char *g);

#endif
