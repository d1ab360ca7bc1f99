/*
 * cache.h - results kept on disk between runs (`--cache DIR`; docs/analyzer.md, "The cache").
 *
 * One entry per input (a JSON file DIR/<key>.json), keyed by what decides how the file is read
 * and analysed: rccheck's own executable (any change of code or built-in models), the model
 * files given, the options that change findings, the file's path, its compiler arguments and
 * the checks it runs.
 * An entry holds what the analysis of the file made: its findings, notes and errors; the names
 * the tree index needs (tree_add_names); the summaries it exported; and the questions its
 * analysis asked other files (each name with the summary it got).
 *
 * An entry is used when every file its parse read (the file itself, headers, fragments) is as
 * it was: same size and modification time, or else the same contents (XXH3-128); and, once the
 * files it imports from are done in this run, when each of its questions gets the same answer.
 * Otherwise the file is parsed and analysed again, and its entry replaced. So a re-run after a
 * change to one file parses that file, and the files whose imported summaries changed.
 *
 * Entries that cannot be read or do not match the format are ignored (the file is analysed);
 * an entry that cannot be written is named on stderr once per run. Thread-safe: cache_load and
 * cache_store may run in several workers at once.
 */
#ifndef RCCHECK_CACHE_H
#define RCCHECK_CACHE_H

#include "report/diag.h"
#include "unit/tree.h"

#include <stddef.h>

struct cache;

/* What goes into every key besides the input: the options that change findings. */
struct cache_config {
	const char *dir;
	const char *const *models; /* model files given with --model */
	int nmodels;
	unsigned max_states;
	int all_paths, show_guesses;
	const char *python_include;
};

/* Opens (creating it if needed) the cache directory. NULL with a message in err. */
struct cache *cache_open(const struct cache_config *cfg, char *err, size_t errlen);
void cache_close(struct cache *c);

struct cache_entry;

/* The entry of input `source` (as given to clang) with args and the checks it runs (disabled[c]
 * for engine_checks[c]; NULL: all), when every file it read is unchanged; NULL otherwise. */
struct cache_entry *cache_load(struct cache *c, const char *source, const char *const *args, int nargs,
			       const unsigned char *disabled);
void cache_entry_free(struct cache_entry *e);

/* Adds what the entry says of the unit to the tree index (tree_add_names), before tree_link. */
void cache_entry_add_names(const struct cache_entry *e, struct tree *t, size_t u);
/* Sets the unit's exports from the entry (tree_set_export, tree_unit_done). */
void cache_entry_set_exports(const struct cache_entry *e, struct tree *t, size_t u);
/* The questions the cached analysis asked (tree_answers_same) */
const struct eng_summary *cache_entry_asked(const struct cache_entry *e, size_t *n);
/* Moves the cached findings, notes, errors and counts into f (initialised with the file's
 * path). */
void cache_entry_take_file(struct cache_entry *e, struct diag_file *f);

/* Writes the entry of an input analysed in this run: deps as frontend_unit_deps, the unit's
 * names, exports and questions from the tree, its results f. Returns 0, or -1 (named on stderr
 * once per run). */
int cache_store(struct cache *c, const char *source, const char *const *args, int nargs,
		const unsigned char *disabled, const char *const *deps, size_t ndeps, const struct tree *t, size_t u,
		const struct diag_file *f);

/* Counts for RCCHECK_TIMING: entries used, entries written. */
void cache_stats(const struct cache *c, size_t *used, size_t *written);
void cache_note_used(struct cache *c);

#endif
