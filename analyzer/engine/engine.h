/*
 * engine.h - ownership analysis over one IR function (docs/analyzer.md, "The engine").
 *
 * The engine explores the paths of the CFG with an abstract state per path:
 *   - each var is bound to a value slot (0: a value the analysis does not follow);
 *   - each value records how many references the function owns (owned), whether it was ever
 *     owned (so a release after the last owned one is a double release), whether it may be
 *     NULL and why, whether it was freed (released while only owned by us), whether it escaped
 *     (stored into memory the function does not track), and for parameters the net count
 *     change (delta) the function applied.
 * States are canonical (values renumbered in order of first binding), hashed and memoized
 * per CFG node, so loops and goto-cleanup code terminate; a per-function budget bounds the
 * number of explored states. Checks (checks/checks.def) subscribe to events emitted before the
 * engine applies each operation, query the state with the accessors below and report through
 * engine_report(), which attaches the path (acquisition, branches taken, loss point).
 */
#ifndef RCCHECK_ENGINE_H
#define RCCHECK_ENGINE_H

#include "engine/irfacts.h"
#include "ir/ir.h"
#include "models/model.h"

#include <stdint.h>

/* Per-value bytes the registered checks may own, in all (struct check.value_bytes). */
#define ENG_CHECK_BYTES 4

enum eng_null {
	ENG_NONNULL,    /* known not NULL */
	ENG_MAYBE,      /* may be NULL; no check required (parameters, loads) */
	ENG_NULL_FAIL,  /* NULL because the call that produced it failed, not yet checked */
	ENG_NULL,       /* known NULL (constant, or checked) */
};

enum eng_value_flags {
	ENG_V_BORROWED = 1u << 0,   /* came from a borrowed source (parameter, load, borrowed call) */
	ENG_V_HAD_OWNED = 1u << 1,  /* the function owned a reference to it at some point */
	ENG_V_FREED = 1u << 2,      /* its last reference was released by this function */
	ENG_V_ESCAPED = 1u << 3,    /* stored where the function no longer follows it */
	ENG_V_INT = 1u << 4,        /* an integer (status code or constant) */
	ENG_V_INT_KNOWN = 1u << 5,  /* ival is exact */
	ENG_V_STOLEN = 1u << 6,     /* a reference was handed over to a callee */
	ENG_V_OBJ = 1u << 7,        /* a reference (from a model or annotation) */
	ENG_V_FIELD = 1u << 8,      /* still the content of the memory it was loaded from (key_site) */
	ENG_V_LOADED = 1u << 9,     /* read from memory: borrowed from whatever owns that memory */
	/* on a pointer parameter p: what `*p = v` stored on this path (an out-parameter) */
	ENG_V_OUT_OWNED = 1u << 10,    /* a reference the function owned */
	ENG_V_OUT_BORROWED = 1u << 11, /* one it did not own */
	ENG_V_STORED = 1u << 12,       /* stored into memory on this path (owned or not) */
	/* handed to a callee that steals it while the function owned no reference (rel_site: the
	 * call): a later acquire pays it back (PyList_SET_ITEM(l, i, x); Py_INCREF(x);), else it
	 * is rc-release-borrowed at the return */
	ENG_V_OWES = 1u << 13,
	ENG_V_INT_TESTS = 1u << 14,    /* int result that is non-zero only if `parent` is not NULL */
	ENG_V_ELEMENT = 1u << 15,      /* an element of `parent` (a container): alive while it is */
	/* a value whose ownership is not followed, only what tests learn about it (a var from an
	 * unknown call, tested twice): count operations on it do nothing */
	ENG_V_OPAQUE = 1u << 16,
	/* owned while handed to a function nothing is known about (no model, no summary, not an
	 * API modelled whole): that it only borrowed it, and that losing it later is a leak, is a
	 * guess */
	ENG_V_GUESS = 1u << 17,
	/* handed to a call as an argument (other than to be released): the callee may have taken a
	 * reference of its own (PyDict_SetItem(d, k, v)) */
	ENG_V_PASSED = 1u << 18,
	/* its memory was freed (tp_free(self), PyObject_Del): owned or not */
	ENG_V_MEMFREED = 1u << 19,
	/* a new object only the function holds (from a constructor: a fails-on-memory call) */
	ENG_V_FRESH = 1u << 20,
	/* freed because what it is borrowed from lost the function's last reference, which was
	 * not known to be the object's last (it was not fresh): a guess */
	ENG_V_FREE_GUESS = 1u << 21,
	/* an integer that is not ival (a false `v == K` with K inside its range, which one range
	 * cannot say); only while not ENG_V_INT_KNOWN */
	ENG_V_INT_NE = 1u << 22,
	/* a floating reference (a `floating` result, GVariant's and GInitiallyUnowned's): owned,
	 * sunk by a call it is handed to; a `sinks` call (ref_sink) makes it an ordinary one */
	ENG_V_FLOATING = 1u << 23,
	/* owned because a convention guessed its call returns a new reference (MODEL_GUESSED:
	 * returns-new-type): a finding that rests on that ownership is a guess */
	ENG_V_GUESS_NEW = 1u << 24,
	/* maybe floating (a `maybe-floating` result: g_object_new): an ordinary reference that a
	 * `sinks` call takes over instead of adding one */
	ENG_V_MAYBE_FLOATING = 1u << 25,
	/* a borrowed parameter handed as the data of a callback (callback_data_escapes, or a
	 * model's callback-data): the reference the function was given goes on with it */
	ENG_V_CB_DATA = 1u << 26,
};

enum eng_sign {
	ENG_SIGN_ANY,
	ENG_SIGN_NEG,
	ENG_SIGN_NONNEG,
	ENG_SIGN_NONZERO,
	ENG_SIGN_IS_GLOBAL, /* pointers: the value is the global object fn->ops[ival] names */
	ENG_SIGN_POS,       /* integers: > 0 */
	ENG_SIGN_ERR_QUERY, /* pointers: not NULL exactly when the error indicator is set (the
			     * result of an `error-query` call: PyErr_Occurred()) */
};

/* The API's error indicator (CPython's thread error state) on a path: what the `error-*`
 * conventions of the model say the calls did to it. */
enum eng_err {
	ENG_ERR_UNKNOWN, /* not known (an unknown call, an in-band error, a helper's entry) */
	ENG_ERR_CLEAR,   /* no error is set */
	ENG_ERR_SET,     /* an error is set */
};

struct eng_value {
	int32_t site;     /* node that produced it, -1 for parameters */
	int32_t ival;     /* integer value when ENG_V_INT_KNOWN */
	int32_t key_site; /* IR_ASSIGN node whose IR_OPND_LOAD names the memory it came from, or -1 */
	int8_t owned;     /* references owned by the function */
	int8_t delta;     /* net count change applied by the function (parameters) */
	uint8_t null;     /* enum eng_null */
	uint8_t sign;     /* enum eng_sign, for integers */
	uint32_t flags;   /* enum eng_value_flags */
	int16_t param;    /* 1-based parameter number, 0 for others */
	uint8_t parent;   /* slot of the value it is borrowed from (dies with it), 0: none */
	int8_t mdelta;    /* part of delta that comes from models (not from p->refcnt++ or names) */
	int32_t rel_site; /* call that last released it, or -1 */
	/* Bytes the checks own: check i has value_bytes of them from its offset on (engine_value_byte);
	 * the engine copies, hashes and memoizes them with the rest and never reads them. */
	uint8_t check_bytes[ENG_CHECK_BYTES];
};
/* States are stored, hashed and compared as bytes (explore.c), so a value has no padding (bytes
 * a struct copy need not keep): seven 4-byte words of fields, then the checks' bytes. Order new
 * fields so that it stays so. */
_Static_assert(sizeof(struct eng_value) == 7 * 4 + ENG_CHECK_BYTES, "struct eng_value has padding");

struct engine;
struct eng_state;

enum eng_event {
	ENG_EV_CALL,   /* before a call's effects */
	ENG_EV_ASSIGN, /* before a var is overwritten (IR_ASSIGN) or a temporary dies (IR_KILL) */
	ENG_EV_USE,    /* before a dereference */
	ENG_EV_BRANCH, /* a branch is taken (succ given) */
	ENG_EV_RETURN, /* before a return */
	ENG_EV_END,    /* the function has been explored (state is NULL) */
	ENG_EV_COUNT_, /* number of events */
};

/* What a check sees for one event. */
struct eng_event_info {
	enum eng_event kind;
	const struct ir_func *fn;
	const struct ir_node *node; /* NULL for ENG_EV_END */
	int32_t node_index;
	const struct eng_state *state; /* NULL for ENG_EV_END */
	int32_t var;   /* ENG_EV_ASSIGN: the var losing its value */
	int succ;      /* ENG_EV_BRANCH: 0 (true) or 1 (false) */
	int self;      /* the index of the check receiving the event (its ID for engine_report) */
};

struct engine_options;

/* What a whole translation unit offers to checks that compare functions with each other. */
struct eng_type_pair {
	int32_t traverse, clear, destroy; /* function indexes in funcs (-1: none) */
	struct ir_loc loc;       /* where the type is defined */
};

struct eng_unit {
	const struct ir_func *funcs;
	uint32_t nfuncs;
	const struct eng_type_pair *types;
	uint32_t ntypes;
};

struct check {
	const char *id;          /* "rc-leak" */
	const char *description; /* one line, for --help and SARIF rules */
	size_t data_size;        /* per-function private data (zeroed before each function) */
	uint8_t value_bytes;     /* bytes of state the check keeps per value, per path (0: none) */
	const char *last_note;   /* note added at the finding's own location, ending the path, or NULL */
	/* The path's notes also say where the reported variable gained a reference or lost one on
	 * the way ("'x' released here by 'Py_DECREF'", "reference to 'x' taken here by
	 * 'Py_INCREF'"): the steps a leak of a borrowed value, a double release or a use after
	 * release need to be understood. Matched by the variable's name at the call. */
	int ownership_notes;
	void (*handler[ENG_EV_COUNT_])(struct engine *eng, const struct eng_event_info *ev, void *data);
	/* Once per translation unit, after every function was analysed (may be NULL). */
	void (*unit)(const struct eng_unit *u, const struct engine_options *opt, int self);
};

/* The registered checks, in the order of checks/checks.def. */
extern const struct check *const engine_checks[];
extern const size_t engine_ncheck;
/* Index of a check ID, or -1. */
int engine_check_index(const char *id);

/* What it takes for a finding's path to happen at run time (the failures it assumes). */
enum eng_severity {
	ENG_SEV_LOW,    /* only out of memory, or a failed module import */
	ENG_SEV_MEDIUM, /* an ordinary error: a call failing (a bad argument, a missing key...) */
	ENG_SEV_HIGH,   /* nothing unusual: no failure is assumed */
};
const char *engine_severity_name(int severity); /* "low", "medium", "high" */

/* A reported finding with its path (owned by the receiver after the callback returns). */
struct eng_note {
	struct ir_loc loc;
	char *message;
};

struct eng_finding {
	int check;          /* index in engine_checks */
	const char *func;   /* function name */
	const char *file;   /* the file the function is in (ir_func.file) */
	struct ir_loc loc;
	char *message;
	char *var;          /* name used for de-duplication ("" if none) */
	struct eng_note *notes;
	uint32_t nnotes;
	/* Where the defect's value was acquired (the node that produced it), the identity of one
	 * defect: findings of one check on one acquisition held in one variable are one defect
	 * reached by several paths. has_site == 0: no acquisition (a parameter, a constant): the
	 * finding's own line identifies it. */
	int has_site;
	struct ir_loc site;
	const char *site_macro;    /* the acquisition is spelled in a macro's body: that file... */
	struct ir_loc site_mloc;   /* ...and place (ir_node.mloc): every expansion is one defect */
	/* What must happen at run time for the path to be taken: enum eng_severity, and the call
	 * whose failure it needs (NULL when none). */
	int severity;
	const char *needs;
	/* The finding rests on a guess (what an unknown function does): held back by default. */
	const char *guess;
};

/* Summary inferred for the analysed function (for calls from the same unit). */
struct eng_summary {
	struct model_fn fn;
	int valid;
	/* out-parameters (bit p: parameter p + 1) every successful return stores an owned reference
	 * through: what a PyArg_ParseTuple "O&" converter of the unit gives its caller. Not a fact
	 * of fn (callers in general cannot tell success from failure by its result). */
	uint32_t out_new_on_success;
};

struct engine_options {
	uint32_t max_states; /* budget per function (0: default) */
	size_t max_state_bytes; /* bytes of stored states per function (0: ENG_MAX_STATE_BYTES) */
	/* Receives each finding (de-duplicated per function by (check, line, var)). */
	void (*report)(void *ctx, const struct eng_finding *f);
	/* Receives a note when a function was not fully explored. */
	void (*incomplete)(void *ctx, const struct ir_func *fn, uint32_t states);
	void *ctx;
	/* Names of the fields some function of the unit releases (Py_DECREF(p->f), Py_CLEAR...),
	 * sorted (strcmp): storing into one of them hands a reference over. May be NULL. */
	const char *const *released_fields;
	uint32_t nreleased_fields;
	/* The API's conventions (models/conventions.h: model_conventions()); may be NULL. */
	const struct conventions *conventions;
	/* The model, for what a function handed by name does (a PyArg_ParseTuple "O&" converter);
	 * may be NULL. */
	const struct model *model;
	/* The summaries of the unit's functions, by function index (callee-first: those a function
	 * calls or hands by name are ready when it runs), for a converter the unit defines; may be
	 * NULL. */
	const struct eng_summary *unit_summaries;
	uint32_t nunit_summaries;
};

/* Runs the unit handlers of the checks (after engine_run of every function of the unit). */
void engine_run_unit(const struct eng_unit *u, const struct engine_options *opt);
/* Reports a finding of a unit handler in function fn, with one note (may be NULL). */
void engine_report_unit(const struct engine_options *opt, int check, const struct ir_func *fn, struct ir_loc loc,
			const char *var, struct ir_loc note_loc, const char *note, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 8, 9)))
#endif
	;

/*
 * Analyses fn. Every IR_CALL's model must be resolved (NULL: unknown function). Fills
 * *summary (may be NULL) with what the function does to its caller. Returns the number of
 * states explored, or 0 when the function was not fully explored.
 */
uint32_t engine_run(const struct ir_func *fn, const struct engine_options *opt, struct eng_summary *summary);

/* ---- queries for checks ------------------------------------------------------------------ */

/* Byte i (< value_bytes) of the state check `self` keeps on value v: 0 until the check sets it.
 * A handler may set the bytes of the values of the event's state: the change carries into the
 * successor states (and makes states that differ in it different for memoization). */
uint8_t engine_value_byte(const struct engine *eng, const struct eng_value *v, int self, unsigned i);
void engine_set_value_byte(struct engine *eng, const struct eng_value *v, int self, unsigned i, uint8_t b);

/* Whether the NULL-ness facts of call n's model can be trusted: a model file, the built-in
 * models, or the annotations of an API modelled whole (rc.h). The annotations a project puts on
 * its own functions (cpychecker's, clang's) say who owns what, not whether NULL is accepted. */
int engine_call_null_facts(const struct engine *eng, const struct ir_node *n);
/* The arguments (bit k: argument k + 1) where the call at node fails cleanly on NULL and the
 * program looks at its result (fails-on-null; transfer.c). */
uint32_t engine_fails_on_null(struct engine *eng, int32_t node);
/* The error indicator on the event's path. */
enum eng_err engine_error_state(const struct eng_state *st);
/* The value bound to var, or NULL when the var holds nothing the analysis follows. */
const struct eng_value *engine_value(const struct eng_state *st, int32_t var);
/* Value of a call argument: a var's, or for &global the value known to be that object (after
 * `if (x == Py_None)`); NULL otherwise. */
const struct eng_value *engine_arg_value(const struct engine *eng, const struct eng_state *st,
					 const struct ir_operand *o);
/* Value of an operand (vars only), or NULL. */
const struct eng_value *engine_operand_value(const struct eng_state *st, const struct ir_operand *o);
/* Number of value slots, and the value in slot i (1-based, i <= n). */
uint32_t engine_nvalues(const struct eng_state *st);
const struct eng_value *engine_value_at(const struct eng_state *st, uint32_t i);
/* Number of vars other than except bound to the same slot as value v (v from this state). */
uint32_t engine_binders(const struct eng_state *st, const struct eng_value *v, int32_t except);
/* Name of a var bound to v (the first one that is not a temporary if any), or NULL. */
const char *engine_value_name(const struct engine *eng, const struct eng_state *st, const struct eng_value *v);
/* What produced v: "'rc_new'" or "parameter 'x'" (static buffer of the engine). */
const char *engine_value_origin(const struct engine *eng, const struct eng_value *v);
/* The model of a call node (or NULL). */
static inline const struct model_fn *engine_call_model(const struct ir_node *n)
{
	return n->model;
}
/* Whether v's only reference went into a cache: an array element, a global (`cache[n] = x;`,
 * x owned once, no Py_INCREF after), or a field of a parameter's record that the unit releases
 * somewhere (`p->opts = x;`, and a finalizer clears p->opts). Returning it returns a reference
 * the cache owns, a borrowed one. A field the unit never releases (`builder->last = x;`) is
 * not such a cache: it may be scratch memory of the caller. */
int engine_owned_by_memory(const struct engine *eng, const struct eng_value *v);
/* Whether the straight-line code just before the return node ret acquires a reference to the
 * global object g (Py_INCREF(Py_True); return Py_True;): the return hands out a new reference. */
int engine_global_acquired_before(struct engine *eng, const struct ir_node *ret, const char *g);
/* At the end of the run (ENG_EV_END): whether the function consumes its parameter (1-based)
 * by design: released once on every path that returns with it not NULL, except paths that
 * return it as the result (the caller's reference passed on), and it either tests it for NULL,
 * passes it on somewhere (a function made to receive fresh, possibly failed, references) or
 * says so in its name ("steal");
 * or released on every path returning success and kept on every path returning failure (NULL,
 * a negative constant): taken over on success, like PyModule_AddObject. */
int engine_param_consumed(const struct engine *eng, int param);
/* At the end of the run: whether the function takes one reference to its parameter (1-based)
 * on every path that returns with it not NULL, and tests it for NULL (`hold(o) { if (!o)
 * return; ...; Py_INCREF(o); }`): it acquires it for someone else by design. */
int engine_param_acquired(const struct engine *eng, int param);
/* The function the engine is analysing, and its own model (may be NULL). */
const struct ir_func *engine_func(const struct engine *eng);
/* Whether the function being analysed must return a new reference (own model says so). */
int engine_returns_new(const struct engine *eng);
/* Whether the return node n, in state st, returns the failure value of the function's own model
 * (negative for neg-on-failure, NULL for null-on-failure). */
int engine_returns_failure(const struct engine *eng, const struct eng_state *st, const struct ir_node *n);
/* Mask of the function's own parameters (bit p: parameter p + 1) of one model kind. */
uint32_t engine_self_params(const struct engine *eng, enum model_arg_kind kind);

/*
 * Reports a finding of check `check` at loc. value (may be NULL) selects the path notes: the
 * notes start where that value was produced. message is formatted printf-style.
 */
void engine_report(struct engine *eng, int check, struct ir_loc loc, const struct eng_value *value,
		   const char *var, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;
/* Whether the current path took no branch blindly: every branch on it tested a value the
 * analysis knows something about (not an unknown condition, not a comparison of two unknown
 * integers, not a read of anonymous memory). A check whose finding depends on the whole path
 * being feasible (rc-error-unset) reports only such paths. */
int engine_path_is_certain(const struct engine *eng);
/* At ENG_EV_END: whether every path was explored (the budget did not stop the exploration). A
 * check that reports what holds on every path (rc-null-argument) needs them all. */
int engine_explored_whole(const struct engine *eng);
/* Like engine_report, for a finding that rests on a guess (why: "'f' could keep the reference"):
 * held back unless the user asks for such findings. */
void engine_report_guess(struct engine *eng, int check, struct ir_loc loc, const struct eng_value *value,
			 const char *var, const char *why, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;
/* Same, with the path of a saved position (engine_position) instead of the current one. */
typedef uint32_t eng_pos;
eng_pos engine_position(const struct engine *eng);
void engine_report_at(struct engine *eng, eng_pos pos, int check, struct ir_loc loc, int32_t from_site,
		      const char *var, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;
/* engine_report_at for a finding that rests on a guess (why), like engine_report_guess. */
void engine_report_at_guess(struct engine *eng, eng_pos pos, int check, struct ir_loc loc, int32_t from_site,
			    const char *var, const char *why, const char *msg);

#endif
