/*
 * tree.h - the index of a whole tree (docs/analyzer.md, "Whole-tree summaries").
 *
 * After every translation unit of a run is lowered (frontend_prepare), the index knows which
 * unit defines each function with external linkage, which method tables and type slots name
 * which functions, and which units call functions other units define. It orders the units
 * callee-first (strongly connected components of the unit call graph, Tarjan), so a unit is
 * analysed after the units it calls into, and their summaries are ready for it: a helper that
 * takes its argument's reference or returns a new one is known in every file of the tree, as
 * a helper of the same file is.
 *
 * Units that call each other (a cycle: module.c calls type init functions of the other files,
 * which call helpers of module.c) form one group, analysed in turn by one thread, twice: the
 * first pass only computes their summaries, the second imports the latest summary of every
 * member and reports. Units of different groups import only from earlier groups.
 * A name that more than one unit defines with external linkage (two extension modules of one
 * tree, each with its own `init_types`) is nobody's: calls to it stay unknown.
 *
 * Threads: tree_add_unit and tree_link run on one thread before the analysis. During the
 * analysis, one thread analyses a group; the hooks of its units read the exports of its own
 * units and of the units of earlier groups it depends on (tree_group_deps), which the caller
 * must have seen finished under a lock that orders their writes before the reads.
 */
#ifndef RCCHECK_TREE_H
#define RCCHECK_TREE_H

#include "ir/ir.h"
#include "unit/unit.h"

#include <stddef.h>

struct tree;

struct tree *tree_new(size_t nunits);
void tree_free(struct tree *t);

/* Records what unit u defines and calls (funcs, as prepared) and which functions its tables
 * name (d may be NULL). Units never added (a file that did not parse) define nothing. */
void tree_add_unit(struct tree *t, size_t u, const struct ir_func *funcs, uint32_t nfuncs, const struct unit_decls *d);

/* The same for a unit known from a cache entry (driver/cache.h) instead of its IR: the names
 * it defines with external linkage, the names it calls and does not define, and what its tables
 * name that it does not define. */
void tree_add_names(struct tree *t, size_t u, const char *const *externals, size_t nexternals,
		    const char *const *calls, size_t ncalls, const struct unit_callable *callables, size_t ncallables);

/* Builds the index and the order once every unit is added. */
void tree_link(struct tree *t);

/* The units in the order to analyse them (every unit, added or not): nunits entries. */
const size_t *tree_order(const struct tree *t);

/* The groups (strongly connected components, callee-first): group g's units in order, *n of
 * them; the units of earlier groups it imports from, which must be finished first. */
size_t tree_ngroups(const struct tree *t);
const size_t *tree_group(const struct tree *t, size_t g, size_t *n);
const size_t *tree_group_deps(const struct tree *t, size_t g, size_t *n);

/* The hooks the unit driver calls for unit u (valid until tree_free). */
const struct unit_tree *tree_unit_hooks(struct tree *t, size_t u);
/* Unit u is about to be analysed (again): its earlier exports are dropped. Then it is
 * analysed: its exports are ready for the units after it. */
void tree_unit_begin(struct tree *t, size_t u);
void tree_unit_done(struct tree *t, size_t u);

/* ---- what a cache entry keeps (driver/cache.h) ---- */

/* The names of unit u as tree_add_names takes them (callables: read with tree_unit_callable). */
struct tree_names {
	const char *const *externals;
	size_t nexternals;
	const char *const *calls;
	size_t ncalls;
	const void *callables;
	size_t ncallables;
};
void tree_unit_names(const struct tree *t, size_t u, struct tree_names *out);
const char *tree_unit_callable(const struct tree *t, size_t u, size_t k, int *null_ok);
/* A unit known from a cache entry exports the summaries the entry kept (then tree_unit_done). */
void tree_set_export(struct tree *t, size_t u, const char *name, const struct eng_summary *s);
/* Unit u's k-th export (fn.name is its name), NULL past the last. */
const struct eng_summary *tree_unit_exports(const struct tree *t, size_t u, size_t k);
/* What unit u's analysis asked of other units: the k-th name (fn.name) and the summary it got
 * (valid 0: none), NULL past the last. */
const struct eng_summary *tree_unit_asked(const struct tree *t, size_t u, size_t k);
/* Whether the n questions of a cached analysis of u (asked[k].fn.name, with the answers it
 * got) get the same answers now: the cached result stands. Questions to units of u's own group
 * are not asked again: the group's results are taken from the cache only all together, when
 * none of its files changed, and those answers follow from its files. */
int tree_answers_same(struct tree *t, size_t u, const struct eng_summary *asked, size_t n);
/* A summary as integers (cache entries), and back; equality of two summaries. */
#define TREE_SUMMARY_INTS (3 + 2 * MODEL_NARG_KINDS + 16)
void tree_summary_encode(const struct eng_summary *s, int64_t *v);
void tree_summary_decode(const int64_t *v, struct eng_summary *s);
int tree_summary_same(const struct eng_summary *a, const struct eng_summary *b);

/* Counts for the summary of a run (tests read them with --timing): functions exported by
 * some unit, calls resolved across units. */
struct tree_stats {
	size_t exported;  /* summaries of external functions recorded */
	size_t imported;  /* calls resolved with another unit's summary */
	size_t ambiguous; /* external names more than one unit defines */
};
void tree_stats(const struct tree *t, struct tree_stats *s);

#endif
