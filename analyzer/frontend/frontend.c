/*
 * frontend.c - one translation unit from source to findings (frontend.h).
 */
#define _GNU_SOURCE /* dladdr */
#include "frontend/frontend.h"

#include "frontend/cfg.h"
#include "engine/engine.h"
#include "ir/ir.h"
#include "frontend/pyheaders.h"
#include "unit/unit.h"
#include "util.h"

#include <clang-c/Index.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------------------------ */
/* Callee cache: annotations and noreturn per function name                                    */
/* ------------------------------------------------------------------------------------------ */

struct callee_entry {
	const char *name;
	struct cfg_callee_info info;
	struct model_fn model;
};

struct fe_unit {
	CXTranslationUnit tu;
	CXFile main_file; /* the file parsed (set before the declaration scan) */
	const struct fe_options *opt;
	struct ir_arena arena;
	struct callee_entry *cache;
	uint32_t cache_cap, cache_n;
	struct cfg_callee_info indirect;
	struct ir_func *funcs;
	uint32_t nfuncs, cap_funcs;
	struct diag_file *out;
	const char *text; /* main file contents */
	size_t text_len;
	struct diag_lines lines;
	/* source fragments the main file includes (`#include "part.c"`) that define functions */
	struct fragment {
		CXFile file;
		char *path; /* as printed */
		const char *text;
		size_t len;
		struct diag_lines lines;
		char *kept; /* the text lines.text points to once the parse is gone (keep_text) */
	} *frags;
	uint32_t nfrags;
	char *kept_text; /* the main file's text once the parse is gone (keep_text) */
	/* what the declaration scan found (scan_unit), kept for the analysis */
	struct unit_decls decls;
	struct unit_type_decl *types;
	struct unit_callable *methods;
	int analysed;           /* frontend_analyse ran on it */
	size_t ir_bytes;        /* what its IR holds (the per-file memory meter, util.h) */
	char **deps;            /* every file the parse read, main file first (frontend_unit_deps) */
	size_t ndeps;
	const char *input_path; /* for --timing */
	double t_parse, t_lower;
	/* the defects (finding_key) of the findings left out as guesses, counted once each */
	char **hidden;
	size_t nhidden, cap_hidden;
};

static void hidden_free(struct fe_unit *u)
{
	for (size_t i = 0; i < u->nhidden; i++)
		free(u->hidden[i]);
	free(u->hidden);
	u->hidden = NULL;
	u->nhidden = u->cap_hidden = 0;
}

/* Records a left-out finding's defect; 1 when it is the first of that defect. */
static int hidden_add(struct fe_unit *u, const char *key)
{
	for (size_t i = 0; i < u->nhidden; i++)
		if (!strcmp(u->hidden[i], key))
			return 0;
	if (u->nhidden == u->cap_hidden) {
		u->cap_hidden = u->cap_hidden ? u->cap_hidden * 2 : 8;
		u->hidden = util_xrealloc(u->hidden, u->cap_hidden * sizeof *u->hidden);
	}
	u->hidden[u->nhidden++] = util_xstrdup(key);
	return 1;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/*
 * Ownership attributes real code already carries, kept as annotate attributes that
 * read_annotations() reads (docs/analyzer.md, "Annotations"):
 * - gcc-python-plugin's cpychecker attributes: extensions spell them behind the
 *   WITH_CPYCHECKER_*_ATTRIBUTE macros the plugin predefines (psycopg2's config.h), and clang
 *   drops attributes it does not know, so rccheck predefines those macros too and turns each
 *   attribute name into an annotate attribute;
 * Passed before the user's flags, so that a -U in a compile command wins. (clang's own cf_/ns_
 * attributes are read from their cursors by ann_visit: a macro of their name would break
 * `#if __has_attribute(cf_consumed)`, and clang keeps them.)
 */
static const char *const attribute_macros[] = {
	"-DWITH_CPYCHECKER_RETURNS_BORROWED_REF_ATTRIBUTE=1",
	"-DWITH_CPYCHECKER_STEALS_REFERENCE_TO_ARG_ATTRIBUTE=1",
	"-DWITH_CPYCHECKER_SETS_EXCEPTION_ATTRIBUTE=1",
	"-DWITH_CPYCHECKER_NEGATIVE_RESULT_SETS_EXCEPTION_ATTRIBUTE=1",
	"-DWITH_CPYCHECKER_TYPEOBJECT_FOR_TYPEDEF_ATTRIBUTE=1",
	"-Dcpychecker_returns_borrowed_ref=annotate(\"rc::borrowed_ref\")",
	"-Dcpychecker_steals_reference_to_arg(n)=annotate(\"rc::steals_arg:\" #n)",
	"-Dcpychecker_sets_exception=annotate(\"rc::sets_exception\")",
	"-Dcpychecker_negative_result_sets_exception=annotate(\"rc::neg_on_failure\")",
	"-Dcpychecker_type_object_for_typedef(t)=annotate(\"rc::type_object_for\")",
};

struct ann_ctx {
	struct model_fn *m;
	int param; /* -1: the function */
	int found;
};

/* The rc:: name of a clang ownership attribute (cf_returns_retained ...: libclang 14 shows the
 * cf_ ones as UnexposedAttr, read by their first token, the attribute's or its macro's name;
 * the ns_ ones, kept by clang only in Objective-C, as cursors of their own), or NULL. */
static const char *ownership_attr(CXCursor c)
{
	switch (clang_getCursorKind(c)) {
	case CXCursor_NSReturnsRetained:
		return "rc::new_ref";
	case CXCursor_NSReturnsNotRetained:
	case CXCursor_NSReturnsAutoreleased:
		return "rc::borrowed_ref";
	case CXCursor_NSConsumed:
		return "rc::steals";
	case CXCursor_UnexposedAttr:
		break;
	default:
		return NULL;
	}
	static const struct {
		const char *spelling, *rc;
	} names[] = {
		{ "cf_returns_retained", "rc::new_ref" },
		{ "CF_RETURNS_RETAINED", "rc::new_ref" },
		{ "cf_returns_not_retained", "rc::borrowed_ref" },
		{ "CF_RETURNS_NOT_RETAINED", "rc::borrowed_ref" },
		{ "cf_consumed", "rc::steals" },
		{ "CF_CONSUMED", "rc::steals" },
	};
	const char *rc = NULL;
	CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
	CXToken *toks = NULL;
	unsigned n = 0;
	clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
	if (n > 0) {
		CXString sp = clang_getTokenSpelling(tu, toks[0]);
		const char *t = clang_getCString(sp);
		const char *w = t && !strncmp(t, "__", 2) ? t + 2 : t; /* __cf_consumed__ */
		for (size_t i = 0; w && !rc && i < sizeof names / sizeof names[0]; i++) {
			size_t len = strlen(names[i].spelling);
			if (!strncmp(w, names[i].spelling, len) && (w[len] == '\0' || !strcmp(w + len, "__")))
				rc = names[i].rc;
		}
		clang_disposeString(sp);
	}
	clang_disposeTokens(tu, toks, n);
	return rc;
}

static enum CXChildVisitResult ann_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct ann_ctx *a = data;
	const char *own = NULL;
	if (clang_getCursorKind(c) != CXCursor_AnnotateAttr && !(own = ownership_attr(c)))
		return CXChildVisit_Continue;
	CXString s = clang_getCursorSpelling(c);
	const char *p = own ? own : clang_getCString(s);
	if (p && !strncmp(p, "rc::", 4)) {
		const char *k = p + 4;
		uint32_t bit = a->param >= 0 && a->param < 32 ? 1u << a->param : 0;
		a->found = 1;
		if (!strcmp(k, "new_ref") && a->param >= 0)
			a->m->arg[MODEL_OUT_NEW] |= bit; /* on a T ** parameter: CF_RETURNS_RETAINED CFTypeRef *out */
		else if (!strcmp(k, "borrowed_ref") && a->param >= 0)
			a->m->arg[MODEL_OUT_BORROWED] |= bit;
		else if (!strcmp(k, "new_ref"))
			a->m->ret = MODEL_RET_NEW;
		else if (!strcmp(k, "borrowed_ref"))
			a->m->ret = MODEL_RET_BORROWED;
		else if (!strcmp(k, "null_on_failure"))
			a->m->flags |= MODEL_NULL_ON_FAILURE;
		else if (!strcmp(k, "neg_on_failure")) {
			a->m->flags |= MODEL_NEG_ON_FAILURE;
			if (a->m->ret == MODEL_RET_NONE)
				a->m->ret = MODEL_RET_INT;
		} else if (!strcmp(k, "steals"))
			a->m->arg[MODEL_STEALS] |= bit;
		else if (!strcmp(k, "steals_on_success"))
			a->m->arg[MODEL_STEALS_OK] |= bit;
		else if (!strcmp(k, "releases"))
			a->m->arg[MODEL_RELEASES] |= bit;
		else if (!strcmp(k, "acquires"))
			a->m->arg[MODEL_ACQUIRES] |= bit;
		else if (!strcmp(k, "accepts_null"))
			a->m->arg[MODEL_ACCEPTS_NULL] |= bit;
		else if (!strncmp(k, "steals_arg:", 11) && a->param < 0) {
			/* cpychecker_steals_reference_to_arg(N) on the function: N is 1-based */
			long n = strtol(k + 11, NULL, 10);
			if (n >= 1 && n <= 32)
				a->m->arg[MODEL_STEALS] |= 1u << (n - 1);
		}
		else
			a->found = a->found; /* unknown rc:: annotation: ignored */
	}
	clang_disposeString(s);
	return CXChildVisit_Continue;
}

/* Reads the rc:: annotations of a function declaration; returns 1 when there are some. */
static int read_annotations(CXCursor decl, struct model_fn *m)
{
	struct ann_ctx a = { m, -1, 0 };
	clang_visitChildren(decl, ann_visit, &a);
	int n = clang_Cursor_getNumArguments(decl);
	for (int i = 0; i < n; i++) {
		a.param = i;
		clang_visitChildren(clang_Cursor_getArgument(decl, (unsigned)i), ann_visit, &a);
	}
	return a.found;
}

static const struct cfg_callee_info *callee_lookup(void *ctx, CXCursor decl, const char *name)
{
	struct fe_unit *u = ctx;
	if (!name)
		return &u->indirect;
	if ((u->cache_n + 1) * 2 > u->cache_cap) {
		uint32_t nc = u->cache_cap ? u->cache_cap * 2 : 256;
		struct callee_entry *n = calloc(nc, sizeof *n);
		if (!n)
			abort();
		for (uint32_t i = 0; i < u->cache_cap; i++) {
			if (!u->cache[i].name)
				continue;
			uint32_t j = (uint32_t)hash_str(u->cache[i].name) & (nc - 1);
			while (n[j].name)
				j = (j + 1) & (nc - 1);
			n[j] = u->cache[i];
			if (n[j].info.annot)
				n[j].info.annot = &n[j].model;
		}
		free(u->cache);
		u->cache = n;
		u->cache_cap = nc;
	}
	uint32_t j = (uint32_t)hash_str(name) & (u->cache_cap - 1);
	while (u->cache[j].name) {
		if (!strcmp(u->cache[j].name, name))
			return &u->cache[j].info;
		j = (j + 1) & (u->cache_cap - 1);
	}
	struct callee_entry *e = &u->cache[j];
	memset(e, 0, sizeof *e);
	e->name = ir_strdup(&u->arena, name);
	e->model.name = e->name;
	e->model.origin = MODEL_FROM_ANNOTATION;
	int found = read_annotations(decl, &e->model);
	if (!found) {
		CXCursor canon = clang_getCanonicalCursor(decl);
		if (!clang_equalCursors(canon, decl))
			found = read_annotations(canon, &e->model);
	}
	e->info.annot = found ? &e->model : NULL;
	e->info.noreturn = cfg_decl_is_noreturn(u->tu, decl);
	if (e->info.noreturn)
		e->model.flags |= MODEL_NORETURN;
	u->cache_n++;
	/* the pointer is stable until the next insertion rehashes; callers copy what they need */
	return &e->info;
}

/* A model line for NAME when NAME is a macro (not a function the unit declares). */
static const struct model_fn *macro_model_lookup(void *ctx, const char *name)
{
	struct fe_unit *u = ctx;
	const struct model_fn *m = model_lookup(u->opt->model, name);
	if (!m || m->origin == MODEL_FROM_ANNOTATION)
		return NULL;
	return m;
}

/* ------------------------------------------------------------------------------------------ */
/* Functions of the unit                                                                       */
/* ------------------------------------------------------------------------------------------ */

struct collect_ctx {
	struct fe_unit *u;
	CXCursor *defs;
	uint32_t n, cap;
};

static int cmp_cstr_key(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* Whether a declaration at loc belongs to the unit's own sources: the main file, or a source
 * fragment it includes — a file named *.c (`#include "Automaton.c"`, a unity build: such files
 * usually do not compile alone) that is not itself an input of the run (then it is analysed
 * on its own, once). Headers are not: their static inline functions belong to the API they
 * come with. */
static int in_unit_sources(const struct fe_unit *u, CXSourceLocation loc)
{
	const struct fe_options *opt = u->opt;
	if (clang_Location_isFromMainFile(loc))
		return 1;
	if (clang_Location_isInSystemHeader(loc))
		return 0;
	CXFile f = NULL;
	clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
	if (!f)
		return 0;
	/* a function defined by a macro expanded in the main file (SLOT(name) ...): the location
	 * of its name is in the macro, isFromMainFile says no, its expansion is the main file */
	if (u->main_file && clang_File_isEqual(f, u->main_file))
		return 1;
	CXString s = clang_getFileName(f);
	const char *name = clang_getCString(s);
	size_t n = name ? strlen(name) : 0;
	int frag = n > 2 && !strcmp(name + n - 2, ".c");
	if (frag && opt->ninputs) {
		char *c = util_canonical_path(name);
		frag = !bsearch(c, opt->inputs, opt->ninputs, sizeof *opt->inputs, cmp_cstr_key);
		free(c);
	}
	clang_disposeString(s);
	return frag;
}

/* The path a fragment is printed with: canonical, relative to the working directory when it is
 * under it (as compile_commands.json entries are). */
static char *fragment_display(const char *name)
{
	char *c = util_canonical_path(name);
	char *r = util_display_path(c);
	free(c);
	return r;
}

/* The fragment record of file f (added on first use), for a function defined in it. */
static struct fragment *fragment_of(struct fe_unit *u, CXFile f)
{
	for (uint32_t i = 0; i < u->nfrags; i++)
		if (clang_File_isEqual(u->frags[i].file, f))
			return &u->frags[i];
	u->frags = util_xrealloc(u->frags, (u->nfrags + 1) * sizeof *u->frags);
	struct fragment *fr = &u->frags[u->nfrags++];
	memset(fr, 0, sizeof *fr);
	fr->file = f;
	CXString s = clang_getFileName(f);
	const char *name = clang_getCString(s);
	fr->path = fragment_display(name ? name : "");
	clang_disposeString(s);
	fr->text = clang_getFileContents(u->tu, f, &fr->len);
	diag_lines_build(&fr->lines, fr->text, fr->len);
	return fr;
}

/* The fragment a finding or note of fn's file belongs to, or NULL for the main file. */
static struct fragment *fragment_named(struct fe_unit *u, const char *file)
{
	if (!file || file == u->out->path)
		return NULL;
	for (uint32_t i = 0; i < u->nfrags; i++)
		if (u->frags[i].path == file || !strcmp(u->frags[i].path, file))
			return &u->frags[i];
	return NULL;
}

static enum CXChildVisitResult top_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct collect_ctx *cc = data;
	if (clang_getCursorKind(c) != CXCursor_FunctionDecl)
		return CXChildVisit_Continue;
	if (!clang_isCursorDefinition(c) || !in_unit_sources(cc->u, clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (cc->n == cc->cap) {
		cc->cap = cc->cap ? cc->cap * 2 : 64;
		CXCursor *nd = realloc(cc->defs, cc->cap * sizeof *nd);
		if (!nd)
			abort();
		cc->defs = nd;
	}
	cc->defs[cc->n++] = c;
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult top_last_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct {
		CXCursor c;
		int n;
	} *l = data;
	if (clang_getCursorKind(c) != CXCursor_TypeRef)
		l->c = c;
	l->n++;
	return CXChildVisit_Continue;
}

/* ------------------------------------------------------------------------------------------ */
/* Types: which functions are a type's traverse and clear (designated initializers)            */
/* ------------------------------------------------------------------------------------------ */

struct type_scan {
	struct fe_unit *u;
	struct unit_type_decl *types;
	uint32_t n, cap;
	struct unit_callable *methods; /* functions CPython calls (unit_decls.callables) */
	uint32_t nmethods, cap_methods;
	struct unit_type_decl cur;
	int depth;
	/* the field the designator just visited names, for the value that follows it (the next
	 * sibling): 0 none, 1 traverse, 2 clear, 3 destroy, 4 object slot, 5 tp_iternext */
	int field;
};

/* The name of the function a designated initializer's value names, through casts (in the
 * unit's arena), or NULL. */
static const char *init_function(struct type_scan *ts, CXCursor value)
{
	for (int guard = 0; guard < 8; guard++) {
		enum CXCursorKind k = clang_getCursorKind(value);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(value);
			if (clang_getCursorKind(d) != CXCursor_FunctionDecl)
				return NULL;
			CXString s = clang_getCursorSpelling(d);
			const char *name = clang_getCString(s);
			const char *f = name && *name ? ir_strdup(&ts->u->arena, name) : NULL;
			clang_disposeString(s);
			return f;
		}
		/* UnexposedExpr / CStyleCastExpr / ParenExpr: descend into the last child */
		struct last {
			CXCursor c;
			int n;
		} l = { clang_getNullCursor(), 0 };
		clang_visitChildren(value, top_last_child, &l);
		if (clang_Cursor_isNull(l.c))
			return NULL;
		value = l.c;
	}
	return NULL;
}

static enum CXChildVisitResult scan_designator(CXCursor c, CXCursor parent, CXClientData data);

struct two {
	CXCursor c[2];
	int n;
};

static enum CXChildVisitResult first_two(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct two *t = data;
	if (t->n < 2)
		t->c[t->n] = c;
	t->n++;
	return CXChildVisit_Continue;
}

/* Type slots whose function returns an object: CPython expects a new reference (or NULL with
 * an exception). `name` is the slot field (tp_repr) or, without "Py_", its PyType_Slot id. */
static int object_slot(const char *name)
{
	static const char *const slots[] = {
		"tp_repr", "tp_str", "tp_call", "tp_getattr", "tp_getattro", "tp_richcompare", "tp_iter",
		"tp_iternext", "tp_new", "tp_descr_get", "mp_subscript", "sq_item", "sq_concat", "sq_repeat",
		"sq_inplace_concat", "sq_inplace_repeat", "am_await", "am_aiter", "am_anext",
	};
	if (!name)
		return 0;
	if (!strncmp(name, "Py_", 3))
		name += 3;
	for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
		if (!strcmp(name, slots[i]))
			return 1;
	/* number slots: all return objects but nb_bool (an int) */
	return !strncmp(name, "nb_", 3) && strcmp(name, "nb_bool") != 0;
}

/* The slot whose function returns NULL without an exception as a normal result (the end of
 * an iteration): ir_func.py_callable == 2. */
static int slot_null_ok(const char *name)
{
	return name && (!strcmp(name, "tp_iternext") || !strcmp(name, "Py_tp_iternext"));
}

/* f is called by CPython; null_ok: through a slot where NULL without an exception is normal. */
static void add_callable(struct type_scan *ts, const char *f, int null_ok)
{
	if (!f)
		return;
	if (ts->nmethods == ts->cap_methods) {
		ts->cap_methods = ts->cap_methods ? ts->cap_methods * 2 : 8;
		ts->methods = util_xrealloc(ts->methods, ts->cap_methods * sizeof *ts->methods);
	}
	ts->methods[ts->nmethods].name = f;
	ts->methods[ts->nmethods].null_ok = null_ok != 0;
	ts->nmethods++;
}

/* {Py_tp_traverse, fn} in a PyType_Slot array: 1 traverse, 2 clear, 3 dealloc, 4 a slot that
 * returns an object, 0 not a slot. The slot names are macros: read the token where the first
 * element is written. */
static int slot_kind(struct type_scan *ts, CXCursor c, CXCursor *value)
{
	struct two t = { { clang_getNullCursor(), clang_getNullCursor() }, 0 };
	clang_visitChildren(c, first_two, &t);
	if (t.n != 2)
		return 0;
	CXFile f = NULL;
	unsigned off = 0;
	clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(t.c[0])), &f, NULL, NULL, &off);
	if (!f)
		return 0;
	CXSourceLocation a = clang_getLocationForOffset(ts->u->tu, f, off);
	CXSourceLocation b = clang_getRangeEnd(clang_getCursorExtent(t.c[0]));
	CXToken *toks = NULL;
	unsigned nt = 0;
	clang_tokenize(ts->u->tu, clang_getRange(a, b), &toks, &nt);
	int kind = 0;
	if (nt >= 1) {
		CXString sp = clang_getTokenSpelling(ts->u->tu, toks[0]);
		const char *p = clang_getCString(sp);
		kind = !p                              ? 0
		       : !strcmp(p, "Py_tp_traverse") ? 1
		       : !strcmp(p, "Py_tp_clear")    ? 2
		       : !strcmp(p, "Py_tp_dealloc")  ? 3
		       : slot_null_ok(p)              ? 5
		       : object_slot(p)               ? 4
						      : 0;
		clang_disposeString(sp);
	}
	if (toks)
		clang_disposeTokens(ts->u->tu, toks, nt);
	*value = t.c[1];
	return kind;
}

/* {"name", fn, flags, doc}: an element of a PyMethodDef table, or {"name", get, set, doc,
 * closure} of a PyGetSetDef table (their types say so): the second element returns objects. */
static int is_method_def(CXCursor c)
{
	CXString ts = clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(c)));
	const char *t = clang_getCString(ts);
	int r = t && (!strcmp(t, "struct PyMethodDef") || !strcmp(t, "PyMethodDef") ||
		      !strcmp(t, "struct PyGetSetDef") || !strcmp(t, "PyGetSetDef"));
	clang_disposeString(ts);
	return r;
}

struct nth {
	CXCursor c;
	int want, n;
};

static enum CXChildVisitResult nth_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct nth *t = data;
	if (t->n++ == t->want)
		t->c = c;
	return CXChildVisit_Continue;
}

static void add_method(struct type_scan *ts, CXCursor c)
{
	/* positional: the second element; designated: .ml_meth */
	struct nth t = { clang_getNullCursor(), 1, 0 };
	clang_visitChildren(c, nth_child, &t);
	if (clang_Cursor_isNull(t.c))
		return;
	CXCursor value = t.c;
	if (clang_getCursorKind(value) == CXCursor_UnexposedExpr) {
		struct two d = { { clang_getNullCursor(), clang_getNullCursor() }, 0 };
		clang_visitChildren(value, first_two, &d);
		if (d.n == 2 && clang_getCursorKind(d.c[0]) == CXCursor_MemberRef)
			value = d.c[1];
	}
	add_callable(ts, init_function(ts, value), 0);
}

/* Positional initializers ({PyVarObject_HEAD_INIT(NULL, 0) "name", sizeof(T), 0,
 * (destructor)dealloc, ...}): the i-th element initializes the struct's i-th field. */
struct field_names {
	const char *name[96];
	CXString str[96];
	int n;
};

static enum CXVisitorResult collect_field(CXCursor c, CXClientData data)
{
	struct field_names *fn = data;
	if (fn->n >= 96)
		return CXVisit_Break;
	fn->str[fn->n] = clang_getCursorSpelling(c);
	fn->name[fn->n] = clang_getCString(fn->str[fn->n]);
	fn->n++;
	return CXVisit_Continue;
}

struct elements {
	CXCursor c[96];
	int n, designated;
};

static enum CXChildVisitResult collect_element(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct elements *e = data;
	if (clang_getCursorKind(c) == CXCursor_UnexposedExpr) {
		struct two t = { { clang_getNullCursor(), clang_getNullCursor() }, 0 };
		clang_visitChildren(c, first_two, &t);
		if (t.n >= 1 && clang_getCursorKind(t.c[0]) == CXCursor_MemberRef)
			e->designated = 1;
	}
	if (e->n < 96)
		e->c[e->n] = c;
	e->n++;
	return CXChildVisit_Continue;
}

static void scan_positional(struct type_scan *ts, CXCursor c)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(c));
	if (t.kind != CXType_Record)
		return;
	struct elements e;
	e.n = e.designated = 0;
	clang_visitChildren(c, collect_element, &e);
	if (e.designated || e.n < 5)
		return;
	struct field_names f;
	f.n = 0;
	clang_Type_visitFields(t, collect_field, &f);
	for (int i = 0; i < e.n && i < f.n && i < 96; i++) {
		const char *n = f.name[i];
		if (!n || (strcmp(n, "tp_traverse") && strcmp(n, "tp_clear") && strcmp(n, "tp_dealloc") && !object_slot(n)))
			continue;
		const char *fn = init_function(ts, e.c[i]);
		if (!strcmp(n, "tp_traverse"))
			ts->cur.traverse = fn;
		else if (!strcmp(n, "tp_clear"))
			ts->cur.clear = fn;
		else if (!strcmp(n, "tp_dealloc"))
			ts->cur.destroy = fn;
		else
			add_callable(ts, fn, slot_null_ok(n));
	}
	for (int i = 0; i < f.n; i++)
		clang_disposeString(f.str[i]);
}

static enum CXChildVisitResult scan_init(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct type_scan *ts = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor slot_value;
	if (k == CXCursor_InitListExpr && is_method_def(c)) {
		add_method(ts, c);
		return CXChildVisit_Continue;
	}
	int slot = k == CXCursor_InitListExpr && ts->depth > 0 ? slot_kind(ts, c, &slot_value) : 0;
	if (slot) {
		const char *f = init_function(ts, slot_value);
		if (slot == 1)
			ts->cur.traverse = f;
		else if (slot == 2)
			ts->cur.clear = f;
		else if (slot == 3)
			ts->cur.destroy = f;
		else
			add_callable(ts, f, slot == 5);
	} else if (k == CXCursor_InitListExpr && ts->depth < 3) {
		struct unit_type_decl saved = ts->cur;
		ts->cur.traverse = ts->cur.clear = ts->cur.destroy = NULL;
		ts->cur.loc = cfg_loc(NULL, clang_getCursorLocation(c));
		ts->depth++;
		scan_positional(ts, c);
		clang_visitChildren(c, scan_init, ts);
		ts->depth--;
		if (ts->cur.traverse && (ts->cur.clear || ts->cur.destroy)) {
			if (ts->n == ts->cap) {
				ts->cap = ts->cap ? ts->cap * 2 : 8;
				ts->types = util_xrealloc(ts->types, ts->cap * sizeof *ts->types);
			}
			ts->types[ts->n++] = ts->cur;
		}
		ts->cur = saved;
	} else if (k == CXCursor_UnexposedExpr) {
		clang_visitChildren(c, scan_designator, ts);
	}
	return CXChildVisit_Continue;
}

/* Children of a designated initializer: MemberRef 'field', then the value. */
static enum CXChildVisitResult scan_designator(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct type_scan *ts = data;
	if (clang_getCursorKind(c) == CXCursor_MemberRef) {
		CXString s = clang_getCursorSpelling(c);
		const char *n = clang_getCString(s);
		ts->field = !n                                                    ? 0
			: (!strcmp(n, "traverse") || !strcmp(n, "tp_traverse")) ? 1
			: (!strcmp(n, "clear") || !strcmp(n, "tp_clear"))       ? 2
			: (!strcmp(n, "destroy") || !strcmp(n, "tp_dealloc"))   ? 3
			: slot_null_ok(n)                                         ? 5
			: object_slot(n)                                          ? 4
										: 0;
		clang_disposeString(s);
		return CXChildVisit_Continue;
	}
	if (clang_getCursorKind(c) == CXCursor_InitListExpr)
		return scan_init(c, parent, data);
	if (ts->field) {
		const char *f = init_function(ts, c);
		if (ts->field == 1)
			ts->cur.traverse = f;
		else if (ts->field == 2)
			ts->cur.clear = f;
		else if (ts->field == 3)
			ts->cur.destroy = f;
		else
			add_callable(ts, f, ts->field == 5);
		ts->field = 0;
	}
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult scan_top(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_VarDecl ||
	    !in_unit_sources(((struct type_scan *)data)->u, clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	clang_visitChildren(c, scan_init, data);
	return CXChildVisit_Continue;
}

/* One defect: the check, where the value was acquired, the variable holding it; without an
 * acquisition (or with --all-paths), the line: a path of a higher severity to a line already
 * reported replaces the first (diag_merge_last). */
static void finding_key(const struct fe_unit *u, const struct eng_finding *f, char *key, size_t size)
{
	const char *id = engine_checks[f->check]->id;
	if (!u->opt->all_paths && f->has_site && f->site_macro)
		snprintf(key, size, "%s|macro %s:%u:%u|%s", id, f->site_macro, f->site_mloc.line, f->site_mloc.col,
			 f->var ? f->var : "");
	else if (!u->opt->all_paths && f->has_site)
		snprintf(key, size, "%s|%u:%u|%s", id, f->site.line, f->site.col, f->var ? f->var : "");
	else
		snprintf(key, size, "%s|line %u|%s", id, f->loc.line, f->var ? f->var : "");
}

static void on_finding(void *ctx, const struct eng_finding *f)
{
	struct fe_unit *u = ctx;
	if (u->opt->disabled && u->opt->disabled[f->check])
		return;
	const char *id = engine_checks[f->check]->id;
	struct fragment *fr = fragment_named(u, f->file);
	if (diag_lines_suppressed(fr ? &fr->lines : &u->lines, f->loc.line, id))
		return;
	char key[300];
	finding_key(u, f, key, sizeof key);
	if (f->guess && !u->opt->show_guesses) {
		char hkey[600]; /* diag_merge_last merges within one function */
		snprintf(hkey, sizeof hkey, "%s|%s", f->func ? f->func : "", key);
		u->out->nguesses += (uint32_t)hidden_add(u, hkey);
		return;
	}
	struct diag_finding *d = diag_add(u->out, f->check, f->func, f->loc.line, f->loc.col, f->message);
	if (fr)
		d->file = util_xstrdup(fr->path);
	d->severity = f->severity;
	d->needs = f->needs ? util_xstrdup(f->needs) : NULL;
	d->guess = f->guess ? util_xstrdup(f->guess) : NULL;
	for (uint32_t i = 0; i < f->nnotes; i++)
		diag_add_note(d, f->notes[i].loc.line, f->notes[i].loc.col, f->notes[i].message);
	d->key = util_xstrdup(key);
	diag_merge_last(u->out);
}

static void on_incomplete(void *ctx, const struct ir_func *fn, uint32_t states)
{
	struct fe_unit *u = ctx;
	char msg[512];
	snprintf(msg, sizeof msg, "analysis of '%s' stopped after %u states (budget); its findings may be incomplete",
		 fn->name, states);
	struct fragment *fr = fragment_named(u, fn->file);
	diag_add_incomplete_in(u->out, fr ? fr->path : NULL, fn->loc.line, fn->loc.col, msg);
}

/* ---- Python headers (pyheaders.h): the parse retried with Python's include directory ---- */

struct inclusion_ctx {
	CXFile target;
	CXSourceLocation at; /* the #include in the main file that brings target in */
	int found;
};

static void find_inclusion(CXFile included, CXSourceLocation *stack, unsigned len, CXClientData data)
{
	struct inclusion_ctx *c = data;
	/* stack[0] includes the file, stack[len - 1] is in the main file */
	if (!c->found && len > 0 && clang_File_isEqual(included, c->target)) {
		c->at = stack[len - 1];
		c->found = 1;
	}
}

/* Whether the unit's diagnostics say Python.h was not found; line and col: the #include of the
 * main file that leads to it (1:1 when that cannot be told). */
static int python_h_missing(CXTranslationUnit tu, uint32_t *line, uint32_t *col)
{
	unsigned nd = clang_getNumDiagnostics(tu);
	int found = 0;
	for (unsigned i = 0; i < nd && !found; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		CXString s = clang_getDiagnosticSpelling(d);
		found = pyheaders_is_missing(clang_getCString(s));
		if (found) {
			CXSourceLocation loc = clang_getDiagnosticLocation(d);
			unsigned l = 1, c = 1;
			if (!clang_Location_isFromMainFile(loc)) {
				/* in a header of the file: where the file includes that header */
				struct inclusion_ctx ic = { NULL, clang_getNullLocation(), 0 };
				clang_getSpellingLocation(loc, &ic.target, NULL, NULL, NULL);
				if (ic.target)
					clang_getInclusions(tu, find_inclusion, &ic);
				loc = ic.found ? ic.at : clang_getNullLocation();
			}
			if (clang_Location_isFromMainFile(loc))
				clang_getSpellingLocation(loc, NULL, &l, &c, NULL);
			*line = l;
			*col = c;
		}
		clang_disposeString(s);
		clang_disposeDiagnostic(d);
	}
	return found;
}

/* Parse errors make the file failed (exit status 2) and are shown (the first five). With the
 * built-in Python.h stand-in (py_standin: the unit was parsed with it), the errors are expected
 * (the extension's own headers, API the stand-in lacks): the file is analysed anyway and gets
 * one note saying the analysis is degraded, at the #include (py_line:py_col). */
static void record_parse_errors(struct fe_unit *u, int py_standin, uint32_t py_line, uint32_t py_col)
{
	unsigned nd = clang_getNumDiagnostics(u->tu);
	unsigned shown = 0;
	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = clang_getDiagnostic(u->tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		if (sev >= CXDiagnostic_Error) {
			if (!py_standin)
				u->out->failed = 1;
			if (shown < 5 && !py_standin) {
				CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
									CXDiagnostic_DisplayColumn);
				diag_add_error(u->out, "parse error: %s", clang_getCString(s));
				clang_disposeString(s);
			}
			shown++;
		}
		clang_disposeDiagnostic(d);
	}
	if (py_standin) {
		const char *why = u->opt->python_include ? "--python-include none"
							 : "no include path, python3-config or sysconfig";
		char msg[512];
		snprintf(msg, sizeof msg,
			 "Python.h not found (%s); analysed with rccheck's built-in CPython declarations: "
			 "results may be incomplete (%u parse error%s ignored)",
			 why, shown, shown == 1 ? "" : "s");
		diag_add_incomplete(u->out, py_line, py_col, msg);
	} else if (shown > 5) {
		diag_add_error(u->out, "%u more parse errors", shown - 5);
	}
}

/* ---- end of Python headers ---------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct fe_index *frontend_index_new(void)
{
	return (struct fe_index *)clang_createIndex(0, 0);
}

void frontend_index_free(struct fe_index *index)
{
	clang_disposeIndex((CXIndex)index);
}

int frontend_libclang_path(char *buf, size_t len)
{
	Dl_info info;
	union {
		CXString (*fn)(void);
		void *p;
	} sym;
	sym.fn = clang_getClangVersion;
	if (!dladdr(sym.p, &info) || !info.dli_fname)
		return -1;
	int n = snprintf(buf, len, "%s", info.dli_fname);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* An internal error: fn, as lowered, breaks an invariant of the IR (ir_check). */
static void report_bad_ir(struct diag_file *out, const struct ir_func *fn, const char *fragment)
{
	char *why = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&why, &len);
	if (ms) {
		ir_check(fn, ms);
		fclose(ms);
	}
	while (why && len && why[len - 1] == '\n')
		why[--len] = '\0';
	diag_add_error(out, "internal error: the IR of '%s' (%s:%u) breaks an invariant: %s; function not analysed",
		       fn->name, fragment ? fragment : out->path, fn->loc.line, why ? why : "?");
	free(why);
}

/* The user's argument (index into in->args; *len 1, or 2 for an option and its value such as
 * `-Xclang X`) without which libclang accepts the parse, or -1. argv holds the user's
 * arguments at [from, from + in->nargs). Tries each in turn: only after a failed parse. */
static int culprit_argument(CXIndex index, const struct fe_input *in, const char **argv, int argc, int from,
			    struct CXUnsavedFile *unsaved, unsigned flags, int *len)
{
	const char **v = util_xrealloc(NULL, (size_t)(argc ? argc : 1) * sizeof *v);
	int found = -1;
	for (int i = 0; i < in->nargs && i < 64 && found < 0; i++) {
		const char *a = in->args[i];
		int n = i + 1 < in->nargs && (!strcmp(a, "-Xclang") || !strcmp(a, "-mllvm") ||
					      !strcmp(a, "-Xpreprocessor") || !strcmp(a, "-Xanalyzer")) ? 2 : 1;
		int vc = 0;
		for (int k = 0; k < argc; k++)
			if (k < from + i || k >= from + i + n)
				v[vc++] = argv[k];
		CXTranslationUnit tu = NULL;
		enum CXErrorCode ec = clang_parseTranslationUnit2(index, in->source, v, vc, unsaved, unsaved ? 1 : 0,
								  flags, &tu);
		if (ec == CXError_Success && tu) {
			found = i;
			*len = n;
		}
		if (tu)
			clang_disposeTranslationUnit(tu);
		if (n == 2)
			i++;
	}
	free(v);
	return found;
}

/* Step 1: parses the input into u->tu (again with Python's include directory when Python.h
 * was not found) and records its parse errors. Returns 0, or -1 when nothing was parsed. */
static int parse_unit(struct fe_unit *u, CXIndex index, const struct fe_input *in)
{
	const struct fe_options *opt = u->opt;
	struct diag_file *out = u->out;
	if (!in->buffer) {
		FILE *f = fopen(in->source, "rb");
		if (!f) {
			diag_add_error(out, "%s", strerror(errno));
			out->failed = 1;
			return -1;
		}
		fclose(f);
	}
	/* arguments: resource dir, the ownership attributes kept (before the user's flags, which can
	 * undefine them), the user's flags, no warnings (only errors matter); what clang 16 made
	 * errors by default is accepted as compilers still accept it (GCC 12 warns): code with
	 * implicit function declarations (an API newer than the headers it is parsed with,
	 * PyDict_GetItemRef behind a version test), implicit int, int/pointer conversions */
	static const char *const lenient[] = {
		"-w",
		"-Wno-error=implicit-function-declaration",
		"-Wno-error=implicit-int",
		"-Wno-error=int-conversion",
		"-Wno-error=incompatible-function-pointer-types",
	};
	size_t nlenient = sizeof lenient / sizeof *lenient;
	size_t nattr = sizeof attribute_macros / sizeof attribute_macros[0];
	int argc = 0;
	const char **argv = util_xrealloc(NULL, ((size_t)in->nargs + nlenient + nattr + 4) * sizeof *argv); /* + -isystem DIR */
	if (opt->resource_dir) {
		argv[argc++] = "-resource-dir";
		argv[argc++] = opt->resource_dir;
	}
	for (size_t i = 0; i < nattr; i++)
		argv[argc++] = attribute_macros[i];
	for (int i = 0; i < in->nargs; i++)
		argv[argc++] = in->args[i];
	for (size_t i = 0; i < nlenient; i++)
		argv[argc++] = lenient[i];
	struct CXUnsavedFile unsaved;
	unsigned nunsaved = 0;
	if (in->buffer) {
		unsaved.Filename = in->source;
		unsaved.Contents = in->buffer;
		unsaved.Length = (unsigned long)in->len;
		nunsaved = 1;
	}
	unsigned flags = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
	enum CXErrorCode ec = clang_parseTranslationUnit2(index, in->source, argv, argc, nunsaved ? &unsaved : NULL,
							  nunsaved, flags, &u->tu);
	/* Python.h not found: parse again with Python's include directory (pyheaders.h) */
	int py_standin = 0;
	uint32_t py_line = 1, py_col = 1;
	if (ec == CXError_Success && u->tu && python_h_missing(u->tu, &py_line, &py_col)) {
		enum pyheaders_kind kind;
		char err[512];
		const char *dir = pyheaders_dir(opt->python_include, opt->model, &kind, err, sizeof err);
		if (!dir) {
			diag_add_error(out, "%s", err);
			out->failed = 1;
		} else {
			clang_disposeTranslationUnit(u->tu);
			u->tu = NULL;
			argv[argc++] = "-isystem";
			argv[argc++] = dir;
			ec = clang_parseTranslationUnit2(index, in->source, argv, argc, nunsaved ? &unsaved : NULL,
							 nunsaved, flags, &u->tu);
			py_standin = kind == PYHEADERS_STANDIN;
		}
	}
	if (ec != CXError_Success || !u->tu) {
		/* libclang says only a number (4: it refused the arguments): name the user's argument
		 * without which the file parses, if one is */
		int from = opt->resource_dir ? 2 + (int)nattr : (int)nattr, len = 0;
		int bad = culprit_argument(index, in, argv, argc, from, nunsaved ? &unsaved : NULL, flags, &len);
		if (bad >= 0)
			diag_add_error(out, "cannot parse (libclang error %d): libclang refuses the compiler argument%s "
				       "'%s%s%s' (the file parses without %s)", (int)ec, len > 1 ? "s" : "", in->args[bad],
				       len > 1 ? " " : "", len > 1 ? in->args[bad + 1] : "", len > 1 ? "them" : "it");
		else
			diag_add_error(out, "cannot parse (libclang error %d)", (int)ec);
		free(argv);
		out->failed = 1;
		return -1;
	}
	free(argv);
	record_parse_errors(u, py_standin, py_line, py_col);
	return 0;
}

/* Each call's model is what the callee's declaration says (its annotations), as the unit driver
 * expects it; it replaces that with what it resolved, so this runs again before each analysis
 * of the unit. Every callee is in the cache by then (lower_unit looked each up): the cache does
 * not grow, its entries stay where they are and no cursor is needed. */
static void set_call_annotations(struct fe_unit *u)
{
	for (uint32_t i = 0; i < u->nfuncs; i++) {
		struct ir_func *fn = &u->funcs[i];
		for (uint32_t k = 0; k < fn->nnodes; k++) {
			struct ir_node *nd = &fn->nodes[k];
			if (nd->op != IR_CALL || !nd->callee)
				continue;
			const struct cfg_callee_info *ci = callee_lookup(u, clang_getNullCursor(), nd->callee);
			nd->model = ci->annot;
		}
	}
}

/* Step 2: lowers every function the unit's own sources define (cfg.c) into u->funcs, with
 * each one's own model and its calls' annotation models. */
static void lower_unit(struct fe_unit *u, const struct fe_input *in)
{
	const struct fe_options *opt = u->opt;
	struct diag_file *out = u->out;
	CXFile mainf = clang_getFile(u->tu, in->source);
	u->main_file = mainf;
	if (mainf)
		u->text = clang_getFileContents(u->tu, mainf, &u->text_len);
	diag_lines_build(&u->lines, u->text, u->text_len);
	u->indirect.annot = NULL;
	u->indirect.noreturn = 0;

	struct collect_ctx cc = { u, NULL, 0, 0 };
	clang_visitChildren(clang_getTranslationUnitCursor(u->tu), top_visit, &cc);
	struct cfg_env env;
	memset(&env, 0, sizeof env);
	env.tu = u->tu;
	env.file = out->path;
	env.main_file = mainf;
	env.main_text = u->text;
	env.main_len = u->text_len;
	env.callee = callee_lookup;
	env.macro_model = macro_model_lookup;
	env.ctx = u;
	env.unit = cfg_unit_new();
	u->funcs = util_xcalloc(cc.n ? cc.n : 1, sizeof *u->funcs);
	struct util_meter *meter = util_meter_current();
	size_t func_bytes = (cc.n ? cc.n : 1) * sizeof *u->funcs;
	for (uint32_t i = 0; i < cc.n; i++) {
		struct ir_func *fn = &u->funcs[u->nfuncs];
		if (meter) { /* over the file's memory limit: the rest is not lowered (frontend_prepare) */
			meter->ir = u->arena.bytes + func_bytes;
			if (util_meter_check(UTIL_METER_LOWER, u->nfuncs ? u->funcs[u->nfuncs - 1].name : NULL))
				break;
		}
		/* a function of an included source fragment: its findings name that file, and its
		 * literals are read from that file's text */
		struct fragment *fr = NULL;
		CXFile deff = NULL;
		clang_getExpansionLocation(clang_getCursorLocation(cc.defs[i]), &deff, NULL, NULL, NULL);
		if (deff && mainf && !clang_File_isEqual(deff, mainf))
			fr = fragment_of(u, deff);
		env.file = fr ? fr->path : out->path;
		env.main_file = fr ? fr->file : mainf;
		env.main_text = fr ? fr->text : u->text;
		env.main_len = fr ? fr->len : u->text_len;
		if (cfg_build(&env, cc.defs[i], &u->arena, fn) < 0) {
			CXString s = clang_getCursorSpelling(cc.defs[i]);
			struct ir_loc l = cfg_loc(&env, clang_getCursorLocation(cc.defs[i]));
			char msg[512];
			snprintf(msg, sizeof msg, "function '%s' is too large to analyse; skipped", clang_getCString(s));
			clang_disposeString(s);
			diag_add_skipped_function(out, fr ? fr->path : NULL, l.line, l.col, msg);
			continue;
		}
		/* the builder's output must hold the IR's invariants (ir.h): a function that does not
		 * is an internal error reported for it, and is not analysed */
		if (ir_check(fn, NULL) < 0) {
			report_bad_ir(out, fn, fr ? fr->path : NULL);
			ir_func_free(fn);
			continue;
		}
		fn->external = clang_Cursor_getStorageClass(cc.defs[i]) != CX_SC_Static;
		/* the function's own model: model files, else its annotations */
		CXString s = clang_getCursorSpelling(cc.defs[i]);
		const struct cfg_callee_info *self = callee_lookup(u, cc.defs[i], clang_getCString(s));
		clang_disposeString(s);
		fn->self_model = model_lookup(opt->model, fn->name);
		if (!fn->self_model && self->annot) {
			struct model_fn *m = ir_alloc(&u->arena, sizeof *m);
			*m = *self->annot;
			fn->self_model = m;
		}
		func_bytes += ir_func_bytes(fn);
		u->nfuncs++;
	}
	u->ir_bytes = u->arena.bytes + func_bytes;
	if (meter) {
		meter->ir = u->ir_bytes;
		util_meter_check(UTIL_METER_LOWER, u->nfuncs ? u->funcs[u->nfuncs - 1].name : NULL);
	}
	set_call_annotations(u);
	free(cc.defs);
	cfg_unit_free(env.unit);
	out->nfunctions = u->nfuncs;
}

/* Step 3: the declaration scan (types' traverse and clear, method tables, object slots) into
 * *d, whose arrays the caller frees (ts->types, ts->methods). */
static void scan_unit(struct fe_unit *u, struct type_scan *ts, struct unit_decls *d)
{
	memset(ts, 0, sizeof *ts);
	ts->u = u;
	clang_visitChildren(clang_getTranslationUnitCursor(u->tu), scan_top, ts);
	d->types = ts->types;
	d->ntypes = ts->n;
	d->callables = ts->methods;
	d->ncallables = ts->nmethods;
}

static void dump_unit(const struct fe_unit *u)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);
	if (!ms)
		return;
	for (uint32_t i = 0; i < u->nfuncs; i++)
		ir_dump(&u->funcs[i], ms);
	fclose(ms);
	u->out->dump = buf;
	u->out->dump_len = len;
}

static void collect_dep(CXFile included, CXSourceLocation *stack, unsigned len, CXClientData data)
{
	(void)stack;
	(void)len;
	struct fe_unit *u = data;
	CXString s = clang_getFileName(included);
	const char *name = clang_getCString(s);
	if (name && *name) {
		u->deps = util_xrealloc(u->deps, (u->ndeps + 1) * sizeof *u->deps);
		u->deps[u->ndeps++] = util_xstrdup(name);
	}
	clang_disposeString(s);
}

/* The suppression comments of a file are read from its text, which the parse owns: a file that
 * has any gets a copy of its own before the parse is disposed of. */
static void keep_text(struct diag_lines *l, char **kept)
{
	*kept = NULL;
	if (!l->start || !l->text)
		return;
	*kept = util_xrealloc(NULL, l->len + 1);
	memcpy(*kept, l->text, l->len);
	(*kept)[l->len] = '\0';
	l->text = *kept;
}

/* What libclang says the parse of a unit holds (every kind of clang_getCXTUResourceUsage:
 * the AST, identifiers, the source manager's buffers, the preprocessor...), in bytes. */
static size_t tu_bytes(CXTranslationUnit tu)
{
	CXTUResourceUsage r = clang_getCXTUResourceUsage(tu);
	size_t sum = 0;
	for (unsigned k = 0; k < r.numEntries; k++)
		sum += (size_t)r.entries[k].amount;
	clang_disposeCXTUResourceUsage(r);
	return sum;
}

static double mib(size_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

/* A file over its memory limit (util.h's meter, bound by the driver) is not analysed: what was
 * found in it so far is dropped, and one error says where the limit was passed. Returns 1 when
 * that is so. */
static int meter_verdict(struct diag_file *out)
{
	const struct util_meter *m = util_meter_current();
	if (!m || !m->over)
		return 0;
	char *path = util_xstrdup(out->path);
	uint32_t nfunctions = out->nfunctions;
	diag_file_free(out);
	diag_file_init(out, path);
	free(path);
	out->nfunctions = nfunctions;
	static const char *const stage[] = { "", "after its parse", "while lowering", "while analysing" };
	char where[300];
	if (m->what[0])
		snprintf(where, sizeof where, "%s '%s'", stage[m->over], m->what);
	else
		snprintf(where, sizeof where, "%s", m->over == UTIL_METER_LOWER ? "while lowering its functions" :
				 m->over == UTIL_METER_ANALYSE ? "while analysing it" : stage[m->over]);
	diag_add_error(out, "not analysed: over the memory limit of %.0f MB (--file-memory): %.1f MB %s; "
		       "the run went on without it", mib(m->limit), mib(m->over_bytes), where);
	out->not_analysed = 1;
	return 1;
}

struct fe_unit *frontend_prepare(struct fe_index *fe_index, const struct fe_options *opt, const struct fe_input *in,
				 struct diag_file *out)
{
	double t_start = now_s();
	struct fe_unit *u = util_xcalloc(1, sizeof *u);
	u->opt = opt;
	u->out = out;
	u->input_path = in->path;
	if (parse_unit(u, (CXIndex)fe_index, in) < 0) {
		free(u);
		return NULL;
	}
	double t_parsed = now_s();
	struct util_meter *meter = util_meter_current();
	if (meter) {
		meter->tu = tu_bytes(u->tu);
		util_meter_check(UTIL_METER_PARSE, NULL);
	}
	if (!util_meter_over())
		lower_unit(u, in);
	if (meter_verdict(out)) {
		meter->tu = meter->ir = 0;
		frontend_unit_free(u);
		return NULL;
	}
	if (!opt->dump_cfg) {
		struct type_scan ts;
		scan_unit(u, &ts, &u->decls);
		u->types = ts.types;
		u->methods = ts.methods;
	}
	clang_getInclusions(u->tu, collect_dep, u);
	/* from here on, IR only (unit/unit.h): the parse is not needed any more */
	keep_text(&u->lines, &u->kept_text);
	for (uint32_t i = 0; i < u->nfrags; i++) {
		keep_text(&u->frags[i].lines, &u->frags[i].kept);
		u->frags[i].text = NULL;
		u->frags[i].file = NULL;
	}
	u->text = NULL;
	u->main_file = NULL;
	clang_disposeTranslationUnit(u->tu);
	u->tu = NULL;
	if (meter)
		meter->tu = 0;
	u->t_parse = t_parsed - t_start;
	u->t_lower = now_s() - t_parsed;
	return u;
}

const struct ir_func *frontend_unit_funcs(const struct fe_unit *u, uint32_t *n)
{
	*n = u->nfuncs;
	return u->funcs;
}

const struct unit_decls *frontend_unit_decls(const struct fe_unit *u)
{
	return &u->decls;
}

const char *const *frontend_unit_deps(const struct fe_unit *u, size_t *n)
{
	*n = u->ndeps;
	return (const char *const *)u->deps;
}

void frontend_analyse(struct fe_unit *u, const struct unit_tree *tree, struct diag_file *out)
{
	double t_start = now_s();
	u->out = out;
	hidden_free(u);
	if (u->analysed)
		set_call_annotations(u); /* analysed again: units that call each other (tree.h) */
	u->analysed = 1;
	uint64_t states = 0;
	if (u->opt->dump_cfg) {
		dump_unit(u);
	} else {
		struct unit_options uo;
		memset(&uo, 0, sizeof uo);
		uo.model = u->opt->model;
		uo.max_states = u->opt->max_states;
		uo.report = on_finding;
		uo.incomplete = on_incomplete;
		uo.ctx = u;
		uo.tree = tree;
		struct util_meter *meter = util_meter_current();
		if (meter)
			meter->ir = u->ir_bytes;
		states = unit_analyse(u->funcs, u->nfuncs, &u->decls, &u->arena, &uo);
		meter_verdict(out);
	}
	diag_sort(out);
	if (u->opt->timing) {
		const struct util_meter *m = util_meter_current();
		fprintf(stderr, "rccheck: timing: %s: parse %.3fs, lower %.3fs, analyse %.3fs (%u functions, %llu states)",
			u->input_path, u->t_parse, u->t_lower, now_s() - t_start, u->nfuncs,
			(unsigned long long)states);
		if (m)
			fprintf(stderr, ", memory %.1f MB", mib(m->peak));
		fputc('\n', stderr);
	}
}

void frontend_unit_free(struct fe_unit *u)
{
	if (!u)
		return;
	for (uint32_t i = 0; i < u->nfuncs; i++)
		ir_func_free(&u->funcs[i]);
	free(u->funcs);
	free(u->cache);
	free(u->types);
	free(u->methods);
	diag_lines_free(&u->lines);
	free(u->kept_text);
	for (uint32_t i = 0; i < u->nfrags; i++) {
		diag_lines_free(&u->frags[i].lines);
		free(u->frags[i].kept);
		free(u->frags[i].path);
	}
	free(u->frags);
	for (size_t i = 0; i < u->ndeps; i++)
		free(u->deps[i]);
	free(u->deps);
	hidden_free(u);
	ir_arena_free(&u->arena);
	if (u->tu)
		clang_disposeTranslationUnit(u->tu);
	free(u);
}

int frontend_run(struct fe_index *fe_index, const struct fe_options *opt, const struct fe_input *in,
		 struct diag_file *out)
{
	struct fe_unit *u = frontend_prepare(fe_index, opt, in, out);
	if (!u)
		return -1;
	frontend_analyse(u, NULL, out);
	frontend_unit_free(u);
	return 0;
}
