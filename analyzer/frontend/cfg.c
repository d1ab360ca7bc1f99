/*
 * cfg.c - lowers a C function's AST (libclang cursors) into the IR (cfg.h, ir.h).
 * docs/analyzer.md ("Lowering") describes the shapes produced for each statement form.
 *
 * The builder keeps a "current" node whose first successor is still open (-1 when the code
 * being lowered is unreachable, e.g. after return/goto/break or a noreturn call). Labels are
 * IR_NOP nodes created on demand and linked later; ir_compact() removes them afterwards.
 * Each full expression's temporaries (call results, ?: results) are killed by an IR_KILL at
 * the end of the statement, so that a new reference that is never stored is reported there.
 */
#include "frontend/cfg.h"

#include "models/model.h"
#include "util.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFG_DEFAULT_MAX_NODES 200000
#define CFG_MAX_DEPTH 400

struct kids {
	CXCursor *v;
	unsigned n, cap;
	CXCursor small[6];
};

struct var_slot {
	CXCursor decl;
	unsigned hash;
	int32_t var;
};

struct label {
	const char *name;
	int32_t node;
};

struct case_entry {
	int64_t val;
	int32_t node;
};

struct sw_ctx {
	struct case_entry *cases;
	uint32_t n, cap;
	int32_t dflt;
};

struct cx {
	const struct cfg_env *env;
	struct ir_func *fn;
	struct ir_arena *arena;
	int32_t cur;
	struct var_slot *vmap;
	uint32_t vcap, vcount;
	struct label *labels;
	uint32_t nlabels, cap_labels;
	int32_t brk, cont;
	struct sw_ctx *sw;
	int depth;
	uint32_t max_nodes;
	int overflow;
};

/* ------------------------------------------------------------------------------------------ */
/* libclang helpers                                                                            */
/* ------------------------------------------------------------------------------------------ */

static CXCursor strip(CXCursor c);

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct kids *k = data;
	if (k->n == k->cap) {
		unsigned nc = k->cap * 2;
		CXCursor *nv = malloc(nc * sizeof *nv);
		if (!nv)
			abort();
		memcpy(nv, k->v, k->n * sizeof *nv);
		if (k->v != k->small)
			free(k->v);
		k->v = nv;
		k->cap = nc;
	}
	k->v[k->n++] = c;
	return CXChildVisit_Continue;
}

static void kids_get(CXCursor c, struct kids *k)
{
	k->v = k->small;
	k->n = 0;
	k->cap = sizeof k->small / sizeof k->small[0];
	clang_visitChildren(c, collect, k);
}

static void kids_free(struct kids *k)
{
	if (k->v != k->small)
		free(k->v);
}

static int include_point(const struct cfg_env *env, CXFile f, unsigned *line, unsigned *col);

struct ir_loc cfg_loc(const struct cfg_env *env, CXSourceLocation l)
{
	unsigned line = 0, col = 0;
	CXFile f = NULL;
	clang_getExpansionLocation(l, env ? &f : NULL, &line, &col, NULL);
	if (env && f && env->main_file && !clang_File_isEqual(f, env->main_file))
		include_point(env, f, &line, &col);
	struct ir_loc r = { line, col };
	return r;
}

static struct ir_loc loc_of(struct cx *x, CXCursor c)
{
	return cfg_loc(x->env, clang_getCursorLocation(c));
}

/* A call written in a macro's body: where it is spelled (node->mloc, node->mfile). A call
 * written in the file itself, or in a macro's argument, has none. */
static void macro_spelling(struct cx *x, CXCursor c, struct ir_node *node)
{
	CXSourceLocation l = clang_getCursorLocation(c);
	{
		CXFile ef = NULL, sf = NULL;
		unsigned el = 0, sl = 0, sc = 0;
		clang_getExpansionLocation(l, &ef, &el, NULL, NULL);
		clang_getSpellingLocation(l, &sf, &sl, &sc, NULL);
		if (!sf || (ef && clang_File_isEqual(ef, sf) && el == sl))
			return; /* spelled where it is expanded: not in a macro body */
		CXString name = clang_getFileName(sf);
		const char *p = clang_getCString(name);
		node->mfile = ir_strdup(x->arena, p ? p : "");
		clang_disposeString(name);
		node->mloc.line = sl;
		node->mloc.col = sc;
	}
}

/*
 * The name the user's code wrote for what cursor c names, when a macro renamed it: the macro
 * whose body begins with c's token (`#define PyObject_CallMethod _PyObject_CallMethod_SizeT`,
 * `#define Py_None (&_Py_NoneStruct)`, `#define Py_True ((PyObject *)&_Py_TrueStruct)`,
 * `#define Py_XNewRef(obj) _Py_XNewRef(_PyObject_CAST(obj))`), else NULL. Messages say that name
 * (ir_node.shown, ir_func aliases); the model and the engine keep the real one.
 * Pre: none. Only '(', '&', blanks, line continuations and pointer casts may stand between the
 * macro's name (or its parameter list) and the token, so a macro whose body does more first
 * (`do { foo(x); } while (0)`) names nothing. libclang gives no expansion stack: the spelling
 * location is the innermost macro, which is the one that renamed c (`MY_NONE` defined as
 * `Py_None` shows `Py_None`).
 */
static const char *macro_alias(struct cx *x, CXCursor c)
{
	CXSourceLocation l = clang_getCursorLocation(c);
	CXFile ef = NULL, sf = NULL;
	unsigned el = 0, sl = 0, off = 0;
	clang_getExpansionLocation(l, &ef, &el, NULL, NULL);
	clang_getSpellingLocation(l, &sf, &sl, NULL, &off);
	if (!sf || (ef && clang_File_isEqual(ef, sf) && el == sl))
		return NULL; /* written where it is expanded: not in a macro's body */
	size_t size = 0;
	const char *t = clang_getFileContents(x->env->tu, sf, &size);
	if (!t || off >= size)
		return NULL;
	size_t i = off;
	for (;;) {
		while (i > 0 && (t[i - 1] == '(' || t[i - 1] == '&' || t[i - 1] == ' ' || t[i - 1] == '\t' ||
				 t[i - 1] == '\\' || t[i - 1] == '\n' || t[i - 1] == '\r'))
			i--;
		if (i == 0 || t[i - 1] != ')')
			break;
		/* `(TYPE *)`: a cast, skipped; `(a, b)`: the parameter list, before the name */
		size_t open = i - 1;
		while (open > 0 && t[open - 1] != '(' && t[open - 1] != ')' && t[open - 1] != '\n')
			open--;
		if (open == 0 || t[open - 1] != '(')
			return NULL;
		if (!memchr(t + open, '*', i - 1 - open)) {
			i = open - 1;
			break;
		}
		i = open - 1;
	}
	size_t end = i;
	while (i > 0 && (t[i - 1] == '_' || (t[i - 1] >= 'a' && t[i - 1] <= 'z') || (t[i - 1] >= 'A' && t[i - 1] <= 'Z') ||
			 (t[i - 1] >= '0' && t[i - 1] <= '9')))
		i--;
	size_t start = i;
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	if (start == end || i < 6 || memcmp(t + i - 6, "define", 6))
		return NULL;
	i -= 6;
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	if (i == 0 || t[i - 1] != '#')
		return NULL;
	i--;
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	if (i > 0 && t[i - 1] != '\n')
		return NULL;
	char *name = ir_alloc(x->arena, end - start + 1);
	memcpy(name, t + start, end - start);
	name[end - start] = '\0';
	return name;
}

static char *spelling(struct cx *x, CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	const char *p = clang_getCString(s);
	char *r = ir_strdup(x->arena, p ? p : "");
	clang_disposeString(s);
	return r;
}

/* Type class of a cursor's type: IR_VAR_PTR, IR_VAR_INT or 0. */
static unsigned type_class(CXType t)
{
	t = clang_getCanonicalType(t);
	switch (t.kind) {
	case CXType_Pointer:
	case CXType_BlockPointer:
		return IR_VAR_PTR;
	case CXType_Bool:
	case CXType_Char_U:
	case CXType_UChar:
	case CXType_Char16:
	case CXType_Char32:
	case CXType_UShort:
	case CXType_UInt:
	case CXType_ULong:
	case CXType_ULongLong:
	case CXType_UInt128:
	case CXType_Char_S:
	case CXType_SChar:
	case CXType_WChar:
	case CXType_Short:
	case CXType_Int:
	case CXType_Long:
	case CXType_LongLong:
	case CXType_Int128:
	case CXType_Enum:
		return IR_VAR_INT;
	default:
		return 0;
	}
}

/* Whether t is a pointer that cannot point to a counted object (IR_VAR_PLAIN): to a scalar
 * (char *), to a function, or to a struct whose definition the unit does not see (an opaque
 * handle of a C library: libpq's PGresult, curl's CURL). A counted object's header is part of
 * its type's definition (PyObject_HEAD, rc_object), so its definition is always visible. */
static int plain_pointer(CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind != CXType_Pointer)
		return 0;
	CXType p = clang_getCanonicalType(clang_getPointeeType(t));
	if (p.kind == CXType_FunctionProto || p.kind == CXType_FunctionNoProto)
		return 1;
	if (p.kind == CXType_Record)
		return clang_Type_getSizeOf(p) == CXTypeLayoutError_Incomplete;
	return type_class(p) == IR_VAR_INT || (p.kind >= CXType_Float && p.kind <= CXType_LongDouble);
}

/* The tag of the struct t points to (`_object` for PyObject *, whatever typedef names it), or
 * NULL when t is not a pointer to a named struct. */
static const char *pointee_tag(struct cx *x, CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind != CXType_Pointer)
		return NULL;
	CXType p = clang_getCanonicalType(clang_getPointeeType(t));
	if (p.kind != CXType_Record)
		return NULL;
	const char *tag = spelling(x, clang_getTypeDeclaration(p));
	return tag[0] ? tag : NULL;
}

static int is_expr(CXCursor c)
{
	return clang_isExpression(clang_getCursorKind(c));
}

/* ---- operators --------------------------------------------------------------------------------
 * libclang (17+) says which operator a BinaryOperator, CompoundAssignOperator or UnaryOperator
 * cursor is, wherever it is written: in the function, in a macro argument or inside a macro
 * body. Nothing is read from tokens or from macro definitions. */

static enum CXBinaryOperatorKind binop(CXCursor c)
{
	return clang_getCursorBinaryOperatorKind(c);
}

static enum CXUnaryOperatorKind unop(CXCursor c)
{
	return clang_getCursorUnaryOperatorKind(c);
}

static int is_comparison(enum CXBinaryOperatorKind op)
{
	return op == CXBinaryOperator_LT || op == CXBinaryOperator_GT || op == CXBinaryOperator_LE ||
	       op == CXBinaryOperator_GE || op == CXBinaryOperator_EQ || op == CXBinaryOperator_NE;
}

static int tok_is(CXTranslationUnit tu, CXToken t, const char *s)
{
	CXString sp = clang_getTokenSpelling(tu, t);
	const char *p = clang_getCString(sp);
	int r = p && !strcmp(p, s);
	clang_disposeString(sp);
	return r;
}

/* Per unit: the files it includes and where each is included from (for include_point). */
struct cfg_unit {
	CXFile *files;
	unsigned nfiles, cap_files;
	int have_files;
	/* per file of files[]: where it is included from (inclusion_stack of clang_getInclusions,
	 * innermost first; stacks[i] has nstack[i] entries) */
	CXSourceLocation **stacks;
	unsigned *nstack;
};

struct cfg_unit *cfg_unit_new(void)
{
	return util_xcalloc(1, sizeof(struct cfg_unit));
}

void cfg_unit_free(struct cfg_unit *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nfiles; i++)
		free(m->stacks[i]);
	free(m->stacks);
	free(m->nstack);
	free(m->files);
	free(m);
}

static void add_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	struct cfg_unit *m = data;
	if (depth == 0)
		return; /* the main file */
	if (m->nfiles == m->cap_files) {
		m->cap_files = m->cap_files ? m->cap_files * 2 : 64;
		m->files = util_xrealloc(m->files, m->cap_files * sizeof *m->files);
		m->stacks = util_xrealloc(m->stacks, m->cap_files * sizeof *m->stacks);
		m->nstack = util_xrealloc(m->nstack, m->cap_files * sizeof *m->nstack);
	}
	m->files[m->nfiles] = f;
	m->stacks[m->nfiles] = util_xrealloc(NULL, depth * sizeof *stack);
	memcpy(m->stacks[m->nfiles], stack, depth * sizeof *stack);
	m->nstack[m->nfiles] = depth;
	m->nfiles++;
}

/* Code of the function written in another file (`#include "errors.h"` in its body: an X-macro
 * list) is located at the #include line of the function's own file: findings and notes name
 * the function's file, and one finding per line and value covers the whole list. */
static int include_point(const struct cfg_env *env, CXFile f, unsigned *line, unsigned *col)
{
	struct cfg_unit *m = env->unit;
	if (!m || !env->main_file)
		return 0;
	if (!m->have_files) {
		clang_getInclusions(env->tu, add_inclusion, m);
		m->have_files = 1;
	}
	for (unsigned i = 0; i < m->nfiles; i++) {
		if (!clang_File_isEqual(m->files[i], f))
			continue;
		for (unsigned k = 0; k < m->nstack[i]; k++) {
			CXFile g = NULL;
			clang_getExpansionLocation(m->stacks[i][k], &g, line, col, NULL);
			if (g && clang_File_isEqual(g, env->main_file))
				return 1;
		}
		return 0;
	}
	return 0;
}

/* Where cursor c is written in the main file's text (its expansion point), or NULL. */
static const char *main_text_at(struct cx *x, CXCursor c)
{
	if (!x->env->main_text)
		return NULL;
	CXFile f = NULL;
	unsigned off = 0;
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
	if (!f || !clang_File_isEqual(f, x->env->main_file) || off >= x->env->main_len)
		return NULL;
	return x->env->main_text + off;
}
static int eval_int(CXCursor c, int64_t *out)
{
	CXEvalResult r = clang_Cursor_Evaluate(c);
	if (!r)
		return 0;
	int ok = 0;
	if (clang_EvalResult_getKind(r) == CXEval_Int) {
		*out = clang_EvalResult_getAsLongLong(r);
		ok = 1;
	}
	clang_EvalResult_dispose(r);
	return ok;
}

/* Strips parentheses and implicit conversions (UnexposedExpr with one expression child). */
static CXCursor strip(CXCursor c)
{
	for (int guard = 0; guard < 64; guard++) {
		enum CXCursorKind k = clang_getCursorKind(c);
		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
			return c;
		struct kids ks;
		kids_get(c, &ks);
		if (ks.n != 1 || !is_expr(ks.v[0])) {
			kids_free(&ks);
			return c;
		}
		c = ks.v[0];
		kids_free(&ks);
	}
	return c;
}

/* ------------------------------------------------------------------------------------------ */
/* Vars, nodes, labels                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* Declaration cursors are equal when they name the same declaration (data[0]) of the same unit
 * (clang_equalCursors ignores the rest for them); hashing and comparing that directly saves two
 * libclang calls per variable reference. */
static unsigned decl_hash(CXCursor decl)
{
	uint64_t h = (uint64_t)(uintptr_t)decl.data[0] * 0x9e3779b97f4a7c15ull;
	return (unsigned)(h >> 32) ^ (unsigned)decl.kind;
}

static int decl_equal(CXCursor a, CXCursor b)
{
	return a.kind == b.kind && a.data[0] == b.data[0] && a.data[2] == b.data[2];
}

static int32_t var_lookup(struct cx *x, CXCursor decl)
{
	if (!x->vcap)
		return -1;
	unsigned h = decl_hash(decl);
	for (uint32_t i = h & (x->vcap - 1);; i = (i + 1) & (x->vcap - 1)) {
		struct var_slot *s = &x->vmap[i];
		if (s->var < 0)
			return -1;
		if (s->hash == h && decl_equal(s->decl, decl))
			return s->var;
	}
}

static void var_map_insert(struct cx *x, CXCursor decl, int32_t var)
{
	if ((x->vcount + 1) * 2 > x->vcap) {
		uint32_t nc = x->vcap ? x->vcap * 2 : 64;
		struct var_slot *nm = malloc(nc * sizeof *nm);
		if (!nm)
			abort();
		for (uint32_t i = 0; i < nc; i++)
			nm[i].var = -1;
		for (uint32_t i = 0; i < x->vcap; i++) {
			if (x->vmap[i].var < 0)
				continue;
			uint32_t j = x->vmap[i].hash & (nc - 1);
			while (nm[j].var >= 0)
				j = (j + 1) & (nc - 1);
			nm[j] = x->vmap[i];
		}
		free(x->vmap);
		x->vmap = nm;
		x->vcap = nc;
	}
	unsigned h = decl_hash(decl);
	uint32_t j = h & (x->vcap - 1);
	while (x->vmap[j].var >= 0)
		j = (j + 1) & (x->vcap - 1);
	x->vmap[j].decl = decl;
	x->vmap[j].hash = h;
	x->vmap[j].var = var;
	x->vcount++;
}

/* Whether a local's declaration is written in a macro's body (spelled elsewhere than where it
 * is expanded). */
static int declared_in_macro(CXCursor decl)
{
	CXSourceLocation at = clang_getCursorLocation(decl);
	CXFile sf = NULL, ef = NULL;
	unsigned so = 0, eo = 0;
	clang_getSpellingLocation(at, &sf, NULL, NULL, &so);
	clang_getExpansionLocation(at, &ef, NULL, NULL, &eo);
	return so != eo || !sf || !ef || !clang_File_isEqual(sf, ef);
}

static int32_t add_decl_var(struct cx *x, CXCursor decl, int32_t param)
{
	unsigned cls = type_class(clang_getCursorType(decl));
	if (!cls)
		return -1;
	if (param >= 0 && cls == IR_VAR_PTR) {
		CXType t = clang_getCanonicalType(clang_getCursorType(decl));
		if (clang_getCanonicalType(clang_getPointeeType(t)).kind == CXType_Void)
			cls |= IR_VAR_OPAQUE;
		if (plain_pointer(t))
			cls |= IR_VAR_PLAIN;
	}
	if (param < 0 && declared_in_macro(decl))
		cls |= IR_VAR_MACRO;
	int32_t v = ir_add_var(x->fn, spelling(x, decl), cls | (param >= 0 ? IR_VAR_PARAM : 0), param);
	var_map_insert(x, decl, v);
	return v;
}

static int32_t new_temp(struct cx *x, const char *name, unsigned cls)
{
	return ir_add_var(x->fn, name ? name : "tmp", cls | IR_VAR_TEMP, -1);
}

static int32_t new_node(struct cx *x, enum ir_op op, struct ir_loc loc)
{
	if (x->fn->nnodes >= x->max_nodes) {
		x->overflow = 1;
		return 0; /* keep going harmlessly: everything links into the entry */
	}
	return ir_add_node(x->fn, op, loc);
}

static void link_to(struct cx *x, int32_t to)
{
	if (x->cur >= 0 && !x->overflow) {
		assert((uint32_t)x->cur < x->fn->nnodes && to >= 0 && (uint32_t)to < x->fn->nnodes);
		x->fn->nodes[x->cur].succ[0] = to;
	}
}

/* Appends a node after the current one and makes it current. */
static int32_t emit(struct cx *x, enum ir_op op, struct ir_loc loc)
{
	int32_t n = new_node(x, op, loc);
	if (x->overflow)
		return 0;
	link_to(x, n);
	x->cur = n;
	return n;
}

static int32_t new_label(struct cx *x)
{
	struct ir_loc l = { 0, 0 };
	return new_node(x, IR_NOP, l);
}

static void place(struct cx *x, int32_t label)
{
	assert(x->overflow || x->fn->nodes[label].op == IR_NOP);
	link_to(x, label);
	x->cur = label;
}

static void jump(struct cx *x, int32_t label)
{
	link_to(x, label);
	x->cur = -1;
}

static void add_opnd(struct cx *x, int32_t node, struct ir_operand o)
{
	if (!x->overflow)
		ir_add_operand(x->fn, node, o);
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The label node of a goto target, created on first mention (open addressing by name, so that
 * generated code with thousands of labels stays linear). */
static int32_t named_label(struct cx *x, const char *name)
{
	if ((x->nlabels + 1) * 2 > x->cap_labels) {
		uint32_t nc = x->cap_labels ? x->cap_labels * 2 : 16;
		struct label *nl = calloc(nc, sizeof *nl);
		if (!nl)
			abort();
		for (uint32_t i = 0; i < x->cap_labels; i++) {
			if (!x->labels[i].name)
				continue;
			uint32_t j = name_hash(x->labels[i].name) & (nc - 1);
			while (nl[j].name)
				j = (j + 1) & (nc - 1);
			nl[j] = x->labels[i];
		}
		free(x->labels);
		x->labels = nl;
		x->cap_labels = nc;
	}
	uint32_t j = name_hash(name) & (x->cap_labels - 1);
	while (x->labels[j].name) {
		if (!strcmp(x->labels[j].name, name))
			return x->labels[j].node;
		j = (j + 1) & (x->cap_labels - 1);
	}
	int32_t n = new_label(x);
	x->labels[j].name = name;
	x->labels[j].node = n;
	x->nlabels++;
	return n;
}

/* Kills the temporaries created since mark (vars [mark, nvars)). */
static void kill_temps(struct cx *x, uint32_t mark, CXCursor at)
{
	assert(mark <= x->fn->nvars);
	if (x->cur < 0 || x->fn->nvars <= mark || x->overflow)
		return;
	int any = 0;
	for (uint32_t v = mark; v < x->fn->nvars; v++)
		if (x->fn->vars[v].flags & IR_VAR_TEMP)
			any = 1;
	if (!any)
		return;
	int32_t n = emit(x, IR_KILL, loc_of(x, at));
	for (uint32_t v = mark; v < x->fn->nvars; v++)
		if (x->fn->vars[v].flags & IR_VAR_TEMP)
			add_opnd(x, n, ir_var_opnd((int32_t)v));
}

/* ------------------------------------------------------------------------------------------ */
/* Expressions                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static struct ir_operand lower_expr(struct cx *x, CXCursor c);
static void lower_cond(struct cx *x, CXCursor c, int32_t t, int32_t f);
static void lower_stmt(struct cx *x, CXCursor c);

static struct ir_operand unknown(void)
{
	return ir_kind_opnd(IR_OPND_UNKNOWN);
}

/* A var of the function for a DeclRefExpr to a local or parameter, else -1. */
static int32_t local_of(struct cx *x, CXCursor c)
{
	c = strip(c);
	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return -1;
	CXCursor d = clang_getCursorReferenced(c);
	enum CXCursorKind k = clang_getCursorKind(d);
	if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
		return -1;
	return var_lookup(x, d);
}

static void use_of(struct cx *x, struct ir_operand o, CXCursor at)
{
	if (o.kind != IR_OPND_VAR)
		return;
	int32_t n = emit(x, IR_USE, loc_of(x, at));
	add_opnd(x, n, o);
}

/*
 * Lowers the parts of an lvalue that is not a local var (emitting the uses of dereferenced
 * bases) and returns its memory key: an IR_OPND_LOAD operand naming (base var, field) or a
 * global (var -2), or var -1 when the location has no identity the engine can follow.
 */
static struct ir_operand lvalue_key(struct cx *x, CXCursor c)
{
	struct ir_operand key = ir_kind_opnd(IR_OPND_LOAD);
	c = strip(c);
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids ks;
	if (k == CXCursor_DeclRefExpr) {
		CXCursor d = clang_getCursorReferenced(c);
		if (clang_getCursorKind(d) == CXCursor_VarDecl && var_lookup(x, d) < 0) {
			key.var = -2;
			key.str = spelling(x, d);
			const char *shown = macro_alias(x, c);
			if (shown && strcmp(shown, key.str))
				ir_add_alias(x->fn, key.str, shown);
			if (clang_Cursor_hasVarDeclGlobalStorage(d) == 0)
				key.ival = 2; /* a local aggregate: what it holds is not the memory's */
		}
		return key;
	}
	kids_get(c, &ks);
	if (k == CXCursor_MemberRefExpr && ks.n >= 1) {
		CXType bt = clang_getCanonicalType(clang_getCursorType(ks.v[0]));
		CXCursor sb = strip(ks.v[0]);
		if (bt.kind != CXType_Pointer && clang_getCursorKind(sb) == CXCursor_DeclRefExpr &&
		    clang_getCursorKind(clang_getCursorReferenced(sb)) == CXCursor_VarDecl &&
		    var_lookup(x, clang_getCursorReferenced(sb)) < 0) {
			/* g.f of a global struct: named "g.f" (the first member is g itself, below) */
			CXCursor field = clang_getCursorReferenced(c);
			const char *g = spelling(x, clang_getCursorReferenced(sb));
			key.var = -2;
			if (clang_Cursor_hasVarDeclGlobalStorage(clang_getCursorReferenced(sb)) == 0)
				key.ival = 2; /* a member of a local struct (`result.chunk`) */
			if (clang_getCursorKind(field) == CXCursor_FieldDecl && clang_Cursor_getOffsetOfField(field) == 0) {
				key.str = g;
			} else {
				const char *f = spelling(x, c);
				size_t len = strlen(g) + strlen(f) + 2;
				char *n = ir_alloc(x->arena, len);
				snprintf(n, len, "%s.%s", g, f);
				key.str = n;
			}
		} else {
			struct ir_operand base = lower_expr(x, ks.v[0]);
			if (bt.kind == CXType_Pointer) {
				use_of(x, base, c);
				if (base.kind == IR_OPND_VAR) {
					key.var = base.var;
					key.str = spelling(x, c);
				}
			}
		}
	} else if (k == CXCursor_ArraySubscriptExpr && ks.n >= 2) {
		/* a[i]: every element of one array shares a key ("field[]" of its base, or "[]") */
		CXCursor arr = strip(ks.v[0]);
		int32_t av = local_of(x, arr);
		struct ir_operand akey = ir_kind_opnd(IR_OPND_LOAD);
		struct ir_operand base;
		if (av >= 0) {
			base = ir_var_opnd(av);
			akey.var = av;
			akey.str = "[]";
		} else if (clang_getCursorKind(arr) == CXCursor_MemberRefExpr) {
			akey = lvalue_key(x, arr);
			if (akey.var != -1 && akey.str) {
				size_t len = strlen(akey.str) + 3;
				char *name = ir_alloc(x->arena, len);
				snprintf(name, len, "%s[]", akey.str);
				akey.str = name;
			}
			base = unknown();
		} else {
			base = lower_expr(x, ks.v[0]);
		}
		lower_expr(x, ks.v[1]);
		use_of(x, base, c);
		if (akey.var != -1 && akey.str)
			key = akey;
	} else if (k == CXCursor_UnaryOperator && ks.n >= 1) {
		struct ir_operand base = lower_expr(x, ks.v[0]);
		use_of(x, base, c);
		/* *p: named "*" of p (an out-parameter when p is a parameter) */
		if (base.kind == IR_OPND_VAR && clang_getCanonicalType(clang_getCursorType(ks.v[0])).kind == CXType_Pointer) {
			key.var = base.var;
			key.str = "*";
		}
	} else {
		lower_expr(x, c);
	}
	kids_free(&ks);
	return key;
}

/* A read of memory: pointers get a temporary holding a borrowed reference keyed by key. */
static struct ir_operand load_value(struct cx *x, CXCursor c, struct ir_operand key)
{
	int cls = type_class(clang_getCursorType(c));
	const char *name = "<memory>";
	if (cls == IR_VAR_INT) {
		/* an integer read from named memory (a status kept in a field, a flag of a local
		 * struct) is followed too: read twice, it is one value (engine/transfer.c) */
		if (!key.str || key.var == -1)
			return unknown();
		name = key.str;
	} else if (cls != IR_VAR_PTR) {
		return unknown();
	} else if (key.var >= 0 && key.str) {
		size_t len = strlen(x->fn->vars[key.var].name) + strlen(key.str) + 3;
		char *n = ir_alloc(x->arena, len);
		snprintf(n, len, "%s->%s", x->fn->vars[key.var].name, key.str);
		name = n;
	} else if (key.str) {
		name = key.str;
	}
	int32_t t = ir_add_var(x->fn, name, (unsigned)cls | IR_VAR_TEMP, -1);
	int32_t n = emit(x, IR_ASSIGN, loc_of(x, c));
	if (!x->overflow)
		x->fn->nodes[n].dest = t;
	add_opnd(x, n, key);
	return ir_var_opnd(t);
}

static void lower_lvalue(struct cx *x, CXCursor c)
{
	lvalue_key(x, c);
}

/* A field that looks like a reference count: refcnt, refcount, ref_count, refs, kref... */
static int count_field(const char *name)
{
	return !strncmp(name, "ref", 3) || strstr(name, "_ref") || strstr(name, "refcnt") || strstr(name, "refcount") ||
	       !strcmp(name, "kref");
}

/* p->refcnt++ style updates: the var p, or -1. */
static int32_t count_target(struct cx *x, CXCursor target)
{
	target = strip(target);
	if (clang_getCursorKind(target) != CXCursor_MemberRefExpr)
		return -1;
	CXString s = clang_getCursorSpelling(target);
	const char *name = clang_getCString(s);
	int is_count = name && count_field(name);
	clang_disposeString(s);
	if (!is_count)
		return -1;
	struct kids ks;
	kids_get(target, &ks);
	int32_t v = ks.n >= 1 ? local_of(x, ks.v[0]) : -1;
	kids_free(&ks);
	return v;
}

/* For p->m with m at offset 0 and a struct itself (an embedded header such as rc_object base,
 * PyObject ob_base): lowers p into *out. A first member that is a pointer (`GError *error`:
 * `&job->error` is the address of that slot, a GError **) is a field like any other. */
static int first_member_base(struct cx *x, CXCursor c, struct ir_operand *out)
{
	c = strip(c);
	if (clang_getCursorKind(c) != CXCursor_MemberRefExpr)
		return 0;
	CXCursor field = clang_getCursorReferenced(c);
	if (clang_getCursorKind(field) != CXCursor_FieldDecl || clang_Cursor_getOffsetOfField(field) != 0 ||
	    clang_getCanonicalType(clang_getCursorType(field)).kind != CXType_Record)
		return 0;
	struct kids ks;
	kids_get(c, &ks);
	int ok = 0;
	if (ks.n == 1 && clang_getCanonicalType(clang_getCursorType(ks.v[0])).kind == CXType_Pointer) {
		*out = lower_expr(x, ks.v[0]);
		if (out->kind != IR_OPND_VAR)
			*out = unknown();
		ok = 1;
	}
	kids_free(&ks);
	return ok;
}

static struct ir_operand assign_to(struct cx *x, CXCursor lhs, struct ir_operand val, struct ir_loc loc)
{
	int32_t v = local_of(x, lhs);
	if (v >= 0) {
		int32_t n = emit(x, IR_ASSIGN, loc);
		if (!x->overflow)
			x->fn->nodes[n].dest = v;
		add_opnd(x, n, val);
		return ir_var_opnd(v);
	}
	struct ir_operand key = lvalue_key(x, lhs);
	int32_t n = emit(x, IR_STORE, loc);
	/* an object's address kept in a `char *` (a buffer pointer into the object itself:
	 * cd->data = (char *)cd) is no reference: the memory is written, nothing is stored */
	CXType t = clang_getCanonicalType(clang_getCursorType(lhs));
	if (t.kind == CXType_Pointer && val.kind == IR_OPND_VAR) {
		enum CXTypeKind pk = clang_getCanonicalType(clang_getPointeeType(t)).kind;
		if (pk == CXType_Char_S || pk == CXType_Char_U || pk == CXType_SChar || pk == CXType_UChar)
			val = unknown();
		/* a `void *` member of a C struct (reader->privdata = self): a C library's pointer
		 * (not an element of a `void *` array: such arrays hold objects, items[i] = obj) */
		if (pk == CXType_Void && key.var != -2 && clang_getCursorKind(strip(lhs)) == CXCursor_MemberRefExpr)
			key.ival = 3;
	}
	add_opnd(x, n, val);
	add_opnd(x, n, key);
	return val;
}

static void count_update(struct cx *x, int32_t v, int delta, struct ir_loc loc)
{
	int32_t n = emit(x, IR_COUNT, loc);
	add_opnd(x, n, ir_var_opnd(v));
	if (!x->overflow)
		x->fn->nodes[n].ival = delta;
}

static struct ir_operand lower_incdec(struct cx *x, CXCursor c, CXCursor target, int delta)
{
	struct ir_loc loc = loc_of(x, c);
	int32_t cv = count_target(x, target);
	if (cv >= 0) {
		count_update(x, cv, delta, loc);
		return unknown();
	}
	int32_t v = local_of(x, target);
	if (v >= 0) {
		int32_t n = emit(x, IR_ASSIGN, loc);
		if (!x->overflow)
			x->fn->nodes[n].dest = v;
		add_opnd(x, n, unknown());
		return unknown();
	}
	lower_lvalue(x, target);
	return unknown();
}

static const struct cfg_callee_info *callee_info(struct cx *x, CXCursor decl, const char *name)
{
	return x->env->callee(x->env->ctx, decl, name);
}

static int noreturn_name(const char *n)
{
	static const char *const names[] = { "abort", "exit", "_exit", "_Exit", "quick_exit", "__builtin_unreachable",
					     "__builtin_trap", "__assert_fail", "__assert_rtn", "longjmp", "siglongjmp",
					     "__stack_chk_fail", "pthread_exit", "err", "errx", "Py_FatalError" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(n, names[i]))
			return 1;
	return 0;
}

/* The range of values an integer expression's type allows: 0 when it is not a narrow one. */
static int type_range(CXType t, int64_t *lo, int64_t *hi)
{
	switch (clang_getCanonicalType(t).kind) {
	case CXType_Bool:
		*lo = 0, *hi = 1;
		return 1;
	case CXType_Char_U:
	case CXType_UChar:
		*lo = 0, *hi = 255;
		return 1;
	case CXType_Char_S:
	case CXType_SChar:
		*lo = -128, *hi = 127;
		return 1;
	case CXType_UShort:
		*lo = 0, *hi = 65535;
		return 1;
	case CXType_Short:
		*lo = -32768, *hi = 32767;
		return 1;
	default:
		return 0;
	}
}

/* Whether integer expression e stays in [lo, hi] whatever its operands: by its type, through
 * casts and parentheses (an unsigned char widened to long), or as `x & K` with a constant
 * K >= 0 (then [0, K]). Nothing is assumed of a variable's value. */
static int static_range(CXCursor e, int64_t *lo, int64_t *hi, int depth)
{
	int64_t tlo, thi;
	int typed = type_range(clang_getCursorType(e), &tlo, &thi);
	int64_t ilo = 0, ihi = 0;
	int inner = 0;
	enum CXCursorKind k = clang_getCursorKind(e);
	if (depth < 8 && (k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr || k == CXCursor_ParenExpr)) {
		struct kids ks;
		kids_get(e, &ks);
		if (ks.n >= 1)
			inner = static_range(ks.v[ks.n - 1], &ilo, &ihi, depth + 1);
		kids_free(&ks);
	} else if (k == CXCursor_BinaryOperator && clang_getCursorBinaryOperatorKind(e) == CXBinaryOperator_And) {
		struct kids ks;
		kids_get(e, &ks);
		for (unsigned i = 0; i < ks.n && i < 2 && !inner; i++) {
			CXEvalResult r = clang_Cursor_Evaluate(ks.v[i]);
			if (r && clang_EvalResult_getKind(r) == CXEval_Int) {
				long long kv = clang_EvalResult_getAsLongLong(r);
				if (kv >= 0) {
					ilo = 0, ihi = kv;
					inner = 1;
				}
			}
			if (r)
				clang_EvalResult_dispose(r);
		}
		kids_free(&ks);
	}
	if (!typed && !inner)
		return 0;
	*lo = typed ? tlo : ilo;
	*hi = typed ? thi : ihi;
	if (typed && inner) { /* both hold */
		*lo = tlo > ilo ? tlo : ilo;
		*hi = thi < ihi ? thi : ihi;
	}
	return 1;
}

static struct ir_operand lower_call(struct cx *x, CXCursor c)
{
	struct kids ks;
	kids_get(c, &ks);
	struct ir_loc loc = loc_of(x, c);
	CXCursor ref = clang_getCursorReferenced(c);
	const char *name = NULL, *shown = NULL;
	if (clang_getCursorKind(ref) != CXCursor_FunctionDecl && ks.n >= 1) {
		/* a parenthesized callee, `(g_object_ref) (o)` (GLib's macros call the function
		 * that way so that the macro does not expand again): a direct call */
		CXCursor callee = strip(ks.v[0]);
		if (clang_getCursorKind(callee) == CXCursor_DeclRefExpr &&
		    clang_getCursorKind(clang_getCursorReferenced(callee)) == CXCursor_FunctionDecl)
			ref = clang_getCursorReferenced(callee);
	}
	if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
		name = spelling(x, ref);
		shown = ks.n >= 1 ? macro_alias(x, ks.v[0]) : NULL;
		if (shown && !strcmp(shown, name))
			shown = NULL;
	} else if (ks.n >= 1) {
		lower_expr(x, ks.v[0]); /* indirect call: evaluate the callee expression */
		/* a type slot (type->tp_alloc(type, 0), Py_TYPE(self)->tp_free(self)): the model
		 * names it like the slot, as CPython's documentation does */
		CXCursor fp = strip(ks.v[0]);
		if (clang_getCursorKind(fp) == CXCursor_MemberRefExpr) {
			const char *member = spelling(x, fp);
			if (member && !strncmp(member, "tp_", 3)) {
				name = member;
			} else if (member && *member) {
				/* api->set_aux(ctx, obj, destroy): named "->set_aux", which no function
				 * of the unit is, so that a callback handed to it is seen (unit.c) */
				size_t len = strlen(member) + 3;
				char *n = ir_alloc(x->arena, len);
				snprintf(n, len, "->%s", member);
				name = n;
			}
			ref = clang_getNullCursor();
		}
	}
	if (name && !strcmp(name, "__builtin_expect") && ks.n >= 3) {
		struct ir_operand o = lower_expr(x, ks.v[1]);
		lower_expr(x, ks.v[2]);
		kids_free(&ks);
		return o;
	}
	uint32_t nargs = ks.n > 0 ? ks.n - 1 : 0;
	struct ir_operand small[8];
	struct ir_operand *args = nargs <= 8 ? small : malloc(nargs * sizeof *args);
	if (!args)
		abort();
	for (uint32_t i = 0; i < nargs; i++)
		args[i] = lower_expr(x, ks.v[i + 1]);
	const struct cfg_callee_info *info = callee_info(x, ref, name);
	int32_t n = emit(x, IR_CALL, loc);
	unsigned cls = type_class(clang_getCursorType(c));
	int32_t dest = cls ? new_temp(x, shown ? shown : name ? name : "<indirect>", cls) : -1;
	if (!x->overflow)
		macro_spelling(x, c, &x->fn->nodes[n]);
	if (!x->overflow) {
		struct ir_node *nd = &x->fn->nodes[n];
		nd->callee = name;
		nd->shown = shown;
		nd->dest = dest;
		for (uint32_t i = 0; i < nargs && i < 8; i++) {
			int64_t lo, hi, v;
			/* by its type or form, or a constant the AST folds (`1 << 2` from a macro) */
			if (args[i].kind != IR_OPND_INT &&
			    ((static_range(ks.v[i + 1], &lo, &hi, 0) && lo >= -5 && hi <= 256) ||
			     (eval_int(ks.v[i + 1], &v) && v >= -5 && v <= 256)))
				nd->small_args |= (uint8_t)(1u << i);
		}
		nd->model = info ? info->annot : NULL;
		/* only for a function whose body the unit does not see (a static inline one of a
		 * header is known by its body) */
		if (name && clang_getCursorKind(ref) == CXCursor_FunctionDecl &&
		    clang_Cursor_isNull(clang_getCursorDefinition(ref)))
			nd->ret_tag = pointee_tag(x, clang_getCursorType(c));
		if ((name && noreturn_name(name)) || (info && info->noreturn))
			nd->flags |= IR_NODE_NORETURN;
	}
	for (uint32_t i = 0; i < nargs; i++)
		add_opnd(x, n, args[i]);
	if (args != small)
		free(args);
	kids_free(&ks);
	if (!x->overflow && (x->fn->nodes[n].flags & IR_NODE_NORETURN)) {
		x->cur = -1;
		return unknown();
	}
	return dest >= 0 ? ir_var_opnd(dest) : unknown();
}

static struct ir_operand lower_conditional(struct cx *x, CXCursor c, struct kids *ks)
{
	struct ir_loc loc = loc_of(x, c);
	unsigned cls = type_class(clang_getCursorType(c));
	int32_t t = new_label(x), f = new_label(x), j = new_label(x);
	int32_t tmp = cls ? new_temp(x, "?:", cls) : -1;
	CXCursor a = ks->n == 3 ? ks->v[1] : ks->v[0];
	CXCursor b = ks->v[ks->n - 1];
	lower_cond(x, ks->v[0], t, f);
	for (int side = 0; side < 2; side++) {
		place(x, side == 0 ? t : f);
		struct ir_operand o = lower_expr(x, side == 0 ? a : b);
		if (tmp >= 0 && x->cur >= 0) {
			int32_t n = emit(x, IR_ASSIGN, loc);
			if (!x->overflow)
				x->fn->nodes[n].dest = tmp;
			add_opnd(x, n, o);
		}
		jump(x, j);
	}
	place(x, j);
	return tmp >= 0 ? ir_var_opnd(tmp) : unknown();
}

/* A condition used as a value (n = x != NULL): 1 or 0 in a temporary, per path, so that later
 * tests of the value stay correlated with the condition. */
static struct ir_operand cond_value(struct cx *x, CXCursor c)
{
	struct ir_loc loc = loc_of(x, c);
	int32_t tmp = new_temp(x, "cond", IR_VAR_INT);
	int32_t t = new_label(x), f = new_label(x), j = new_label(x);
	lower_cond(x, c, t, f);
	for (int side = 0; side < 2; side++) {
		place(x, side == 0 ? t : f);
		int32_t n = emit(x, IR_ASSIGN, loc);
		if (!x->overflow)
			x->fn->nodes[n].dest = tmp;
		add_opnd(x, n, ir_int_opnd(side == 0));
		jump(x, j);
	}
	place(x, j);
	return ir_var_opnd(tmp);
}

static struct ir_operand lower_stmt_expr(struct cx *x, CXCursor c)
{
	struct kids ks, body;
	kids_get(c, &ks);
	struct ir_operand r = unknown();
	for (unsigned i = 0; i < ks.n; i++) {
		if (clang_getCursorKind(ks.v[i]) != CXCursor_CompoundStmt) {
			lower_stmt(x, ks.v[i]);
			continue;
		}
		kids_get(ks.v[i], &body);
		for (unsigned j = 0; j < body.n; j++) {
			if (j + 1 == body.n && is_expr(body.v[j]))
				r = lower_expr(x, body.v[j]);
			else
				lower_stmt(x, body.v[j]);
		}
		kids_free(&body);
	}
	kids_free(&ks);
	return r;
}

/* A decimal or hexadecimal literal written in the main file, read from its text (cheaper than
 * evaluating it); 0 when it is spelled elsewhere (a macro) or otherwise. */
static int literal_from_text(struct cx *x, CXCursor c, int64_t *out)
{
	const char *p = main_text_at(x, c), *end = x->env->main_text + x->env->main_len;
	if (!p || p >= end || *p < '0' || *p > '9')
		return 0;
	uint64_t v = 0;
	int base = 10;
	if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
		return 0; /* octal: let clang do it */
	}
	int digits = 0;
	for (; p < end; p++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX >> 4))
			return 0;
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	while (p < end && (*p == 'u' || *p == 'U' || *p == 'l' || *p == 'L'))
		p++;
	if (!digits || (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    *p == '_' || *p == '.' || *p == '\'')))
		return 0;
	if (v > INT64_MAX)
		return 0;
	*out = (int64_t)v;
	return 1;
}

static struct ir_operand lower_expr_inner(struct cx *x, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids ks;
	struct ir_operand r = unknown();
	enum CXBinaryOperatorKind op;
	switch (k) {
	case CXCursor_DeclRefExpr: {
		CXCursor d = clang_getCursorReferenced(c);
		enum CXCursorKind dk = clang_getCursorKind(d);
		if (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl) {
			int32_t v = var_lookup(x, d);
			if (v >= 0)
				return ir_var_opnd(v);
			return load_value(x, c, lvalue_key(x, c));
		}
		if (dk == CXCursor_EnumConstantDecl)
			return ir_int_opnd(clang_getEnumConstantDeclValue(d));
		if (dk == CXCursor_FunctionDecl) {
			r = unknown(); /* a function designator: named, for callbacks (frontend.c) */
			r.str = spelling(x, d);
			return r;
		}
		return unknown();
	}
	case CXCursor_IntegerLiteral: {
		int64_t v;
		if (literal_from_text(x, c, &v))
			return ir_int_opnd(v);
		return eval_int(c, &v) ? ir_int_opnd(v) : unknown();
	}
	case CXCursor_CharacterLiteral: {
		int64_t v;
		return eval_int(c, &v) ? ir_int_opnd(v) : unknown();
	}
	case CXCursor_StringLiteral: {
		char *s = spelling(x, c);
		size_t len = strlen(s);
		char *q = strchr(s, '"');
		r = ir_kind_opnd(IR_OPND_STR);
		if (q && len >= 2 && s[len - 1] == '"') {
			s[len - 1] = '\0';
			r.str = q + 1;
		}
		return r;
	}
	case CXCursor_GNUNullExpr:
		return ir_kind_opnd(IR_OPND_NULL);
	case CXCursor_CallExpr:
		return lower_call(x, c);
	case CXCursor_StmtExpr:
		return lower_stmt_expr(x, c);
	case CXCursor_UnaryExpr: /* sizeof, _Alignof: operands are not evaluated */
		return unknown();
	case CXCursor_MemberRefExpr:
	case CXCursor_ArraySubscriptExpr:
		return load_value(x, c, lvalue_key(x, c));
	default:
		break;
	}

	kids_get(c, &ks);
	switch (k) {
	case CXCursor_ParenExpr:
	case CXCursor_UnexposedExpr:
	case CXCursor_CStyleCastExpr: {
		int n_expr = 0;
		/* a cast's operand is its last child: expressions before it are in its type name
		 * (`(__typeof__ (o)) (g_object_ref) (o)`), not evaluated */
		unsigned first = 0;
		if (k == CXCursor_CStyleCastExpr)
			for (unsigned i = 0; i < ks.n; i++)
				if (is_expr(ks.v[i]))
					first = i;
		for (unsigned i = first; i < ks.n; i++) {
			if (!is_expr(ks.v[i]))
				continue;
			r = lower_expr(x, ks.v[i]);
			n_expr++;
		}
		if (n_expr != 1)
			r = unknown();
		/* only a constant needs the type: 0 converted to a pointer is NULL, (void)0 is nothing */
		if (r.kind == IR_OPND_INT) {
			unsigned cls = type_class(clang_getCursorType(c));
			if (r.ival == 0 && cls == IR_VAR_PTR)
				r = ir_kind_opnd(IR_OPND_NULL);
			else if (k == CXCursor_CStyleCastExpr && !cls)
				r = unknown();
		}
		break;
	}
	case CXCursor_UnaryOperator:
		if (ks.n < 1)
			break;
		switch (unop(c)) {
		case CXUnaryOperator_AddrOf: {
			CXCursor target = strip(ks.v[0]);
			if (clang_getCursorKind(target) == CXCursor_DeclRefExpr &&
			    clang_getCursorKind(clang_getCursorReferenced(target)) == CXCursor_FunctionDecl) {
				r = lower_expr(x, target); /* &callback: the function designator */
				break;
			}
			int32_t v = local_of(x, ks.v[0]);
			struct ir_operand base;
			if (v >= 0) {
				r.kind = IR_OPND_ADDR;
				r.var = v;
			} else if (first_member_base(x, ks.v[0], &base)) {
				r = base; /* &p->base where base is the first member: the same object */
			} else {
				struct ir_operand key = lvalue_key(x, ks.v[0]);
				if (key.var != -1) {
					r = key;
					r.kind = IR_OPND_FIELD;
				}
			}
			break;
		}
		case CXUnaryOperator_Deref:
			r = load_value(x, c, lvalue_key(x, c));
			break;
		case CXUnaryOperator_PreInc:
		case CXUnaryOperator_PostInc:
			r = lower_incdec(x, c, ks.v[0], 1);
			break;
		case CXUnaryOperator_PreDec:
		case CXUnaryOperator_PostDec:
			r = lower_incdec(x, c, ks.v[0], -1);
			break;
		case CXUnaryOperator_Minus: {
			struct ir_operand o = lower_expr(x, ks.v[0]);
			if (o.kind == IR_OPND_INT && o.ival != INT64_MIN) /* -INT64_MIN does not fit */
				r = ir_int_opnd(-o.ival);
			break;
		}
		case CXUnaryOperator_LNot:
			r = cond_value(x, c);
			break;
		case CXUnaryOperator_Plus:
		case CXUnaryOperator_Extension: /* __extension__ e is e */
			r = lower_expr(x, ks.v[0]);
			break;
		default: /* ~, __real__, __imag__ */
			lower_expr(x, ks.v[0]);
			break;
		}
		break;
	case CXCursor_BinaryOperator:
		if (ks.n < 2)
			break;
		op = binop(c);
		if (op == CXBinaryOperator_Assign) {
			struct ir_operand v = lower_expr(x, ks.v[1]);
			r = assign_to(x, ks.v[0], v, loc_of(x, c));
		} else if (op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr || is_comparison(op)) {
			r = cond_value(x, c);
		} else if (op == CXBinaryOperator_Comma) {
			lower_expr(x, ks.v[0]);
			r = lower_expr(x, ks.v[1]);
		} else {
			struct ir_operand a = lower_expr(x, ks.v[0]);
			struct ir_operand b = lower_expr(x, ks.v[1]);
			int64_t folded;
			if (a.kind == IR_OPND_INT && b.kind == IR_OPND_INT) {
				/* constants only when they fit (INT64_MAX + 2 in real code: unknown) */
				if (op == CXBinaryOperator_Add && !__builtin_add_overflow(a.ival, b.ival, &folded))
					r = ir_int_opnd(folded);
				else if (op == CXBinaryOperator_Sub && !__builtin_sub_overflow(a.ival, b.ival, &folded))
					r = ir_int_opnd(folded);
			}
		}
		break;
	case CXCursor_CompoundAssignOperator: {
		if (ks.n < 2)
			break;
		op = binop(c);
		struct ir_operand v = lower_expr(x, ks.v[1]);
		int32_t cv = count_target(x, ks.v[0]);
		if (cv >= 0 && v.kind == IR_OPND_INT && v.ival == 1 &&
		    (op == CXBinaryOperator_AddAssign || op == CXBinaryOperator_SubAssign)) {
			count_update(x, cv, op == CXBinaryOperator_AddAssign ? 1 : -1, loc_of(x, c));
			break;
		}
		int32_t lv = local_of(x, ks.v[0]);
		if (lv >= 0) {
			int32_t n = emit(x, IR_ASSIGN, loc_of(x, c));
			if (!x->overflow)
				x->fn->nodes[n].dest = lv;
			add_opnd(x, n, unknown());
		} else {
			lower_lvalue(x, ks.v[0]);
		}
		break;
	}
	case CXCursor_ConditionalOperator:
		if (ks.n >= 2)
			r = lower_conditional(x, c, &ks);
		break;
	case CXCursor_InitListExpr:
	case CXCursor_CompoundLiteralExpr:
		for (unsigned i = 0; i < ks.n; i++) {
			if (!is_expr(ks.v[i]))
				continue;
			struct ir_operand o = lower_expr(x, ks.v[i]);
			if (o.kind == IR_OPND_VAR) {
				int32_t n = emit(x, IR_STORE, loc_of(x, ks.v[i]));
				add_opnd(x, n, o);
			}
		}
		break;
	default:
		for (unsigned i = 0; i < ks.n; i++)
			if (is_expr(ks.v[i]))
				lower_expr(x, ks.v[i]);
			else if (clang_isStatement(clang_getCursorKind(ks.v[i])))
				lower_stmt(x, ks.v[i]);
		break;
	}
	kids_free(&ks);
	return r;
}

static struct ir_operand lower_expr(struct cx *x, CXCursor c)
{
	if (x->depth > CFG_MAX_DEPTH || x->overflow) {
		x->overflow = 1;
		return unknown();
	}
	x->depth++;
	struct ir_operand r = lower_expr_inner(x, c);
	x->depth--;
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Conditions                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static int32_t branch(struct cx *x, struct ir_loc loc, enum ir_cond cond, struct ir_operand o, int64_t ival,
		      int32_t t, int32_t f)
{
	int32_t n = emit(x, IR_BRANCH, loc);
	if (x->overflow)
		return n;
	struct ir_node *nd = &x->fn->nodes[n];
	nd->cond = (uint8_t)cond;
	nd->ival = ival;
	nd->succ[0] = t;
	nd->succ[1] = f;
	if (cond != IR_COND_UNKNOWN)
		add_opnd(x, n, o);
	x->cur = -1;
	return n;
}

/* b OP a for a OP' b */
static enum CXBinaryOperatorKind mirror(enum CXBinaryOperatorKind op)
{
	switch (op) {
	case CXBinaryOperator_LT:
		return CXBinaryOperator_GT;
	case CXBinaryOperator_GT:
		return CXBinaryOperator_LT;
	case CXBinaryOperator_LE:
		return CXBinaryOperator_GE;
	case CXBinaryOperator_GE:
		return CXBinaryOperator_LE;
	default:
		return op;
	}
}

static int is_const(struct ir_operand o)
{
	return o.kind == IR_OPND_INT || o.kind == IR_OPND_NULL;
}

/* a OP b with OP one of < <= > >= (anything else: an unknown condition), as args[0] < args[1]:
 * a > b is b < a, a >= b is !(a < b), a <= b is !(b < a). Kept for the index ranges of the
 * engine (i < PyTuple_GET_SIZE(t)); both edges stay feasible. */
static void less_than(struct cx *x, struct ir_loc loc, enum CXBinaryOperatorKind op, struct ir_operand a,
		      struct ir_operand b, int32_t t, int32_t f)
{
	int ok = (a.kind == IR_OPND_VAR || a.kind == IR_OPND_INT) && (b.kind == IR_OPND_VAR || b.kind == IR_OPND_INT);
	if (!ok || op == CXBinaryOperator_EQ || op == CXBinaryOperator_NE) {
		branch(x, loc, IR_COND_UNKNOWN, a, 0, t, f);
		return;
	}
	int swap = op == CXBinaryOperator_GT || op == CXBinaryOperator_LE;   /* > and <=: b < a */
	int negate = op == CXBinaryOperator_LE || op == CXBinaryOperator_GE; /* <= and >=: the false edge */
	int32_t n = branch(x, loc, IR_COND_LT, swap ? b : a, 0, negate ? f : t, negate ? t : f);
	if (!x->overflow)
		add_opnd(x, n, swap ? a : b);
}

static void compare(struct cx *x, CXCursor c, enum CXBinaryOperatorKind op, struct ir_operand a,
		    struct ir_operand b, int32_t t, int32_t f)
{
	struct ir_loc loc = loc_of(x, c);
	if (is_const(a) && b.kind == IR_OPND_VAR) {
		struct ir_operand tmp = a;
		a = b;
		b = tmp;
		op = mirror(op);
	}
	if (b.kind == IR_OPND_VAR && a.kind == IR_OPND_FIELD && a.var == -2) {
		struct ir_operand tmp = a;
		a = b;
		b = tmp;
	}
	if (a.kind == IR_OPND_VAR && b.kind == IR_OPND_FIELD && b.var == -2 && b.str &&
	    (op == CXBinaryOperator_EQ || op == CXBinaryOperator_NE)) {
		/* x == Py_None: on the equal edge x is that object (Py_DECREF(Py_None) releases x) */
		int eq = op == CXBinaryOperator_EQ;
		int32_t n = branch(x, loc, IR_COND_IS, a, 0, eq ? t : f, eq ? f : t);
		if (!x->overflow)
			add_opnd(x, n, b);
		return;
	}
	if (a.kind != IR_OPND_VAR || !is_const(b)) {
		less_than(x, loc, op, a, b, t, f);
		return;
	}
	int64_t k = b.kind == IR_OPND_NULL ? 0 : b.ival;
	if (op == CXBinaryOperator_EQ || op == CXBinaryOperator_NE) {
		int eq = op == CXBinaryOperator_EQ;
		if (k == 0)
			branch(x, loc, IR_COND_NULL, a, 0, eq ? t : f, eq ? f : t);
		else
			branch(x, loc, IR_COND_EQ, a, k, eq ? t : f, eq ? f : t);
	} else if ((op == CXBinaryOperator_LT && k == 0) || (op == CXBinaryOperator_LE && k == -1)) {
		branch(x, loc, IR_COND_NEG, a, 0, t, f);
	} else if ((op == CXBinaryOperator_GE && k == 0) || (op == CXBinaryOperator_GT && k == -1)) {
		branch(x, loc, IR_COND_NEG, a, 0, f, t);
	} else {
		less_than(x, loc, op, a, b, t, f);
	}
}

/* Lowers a condition: control continues at t when it is true, at f when false; cur = -1 after. */
static void lower_cond(struct cx *x, CXCursor c, int32_t t, int32_t f)
{
	if (x->depth > CFG_MAX_DEPTH || x->overflow) {
		x->overflow = 1;
		return;
	}
	x->depth++;
	c = strip(c);
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids ks;
	int done = 0;
	if (k == CXCursor_UnaryOperator || k == CXCursor_BinaryOperator) {
		kids_get(c, &ks);
		if (k == CXCursor_UnaryOperator && ks.n == 1) {
			if (unop(c) == CXUnaryOperator_LNot) {
				lower_cond(x, ks.v[0], f, t);
				done = 1;
			}
		} else if (k == CXCursor_BinaryOperator && ks.n == 2) {
			enum CXBinaryOperatorKind op = binop(c);
			if (op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr) {
				int32_t m = new_label(x);
				if (op == CXBinaryOperator_LAnd)
					lower_cond(x, ks.v[0], m, f);
				else
					lower_cond(x, ks.v[0], t, m);
				place(x, m);
				lower_cond(x, ks.v[1], t, f);
				done = 1;
			} else if (op == CXBinaryOperator_Comma) {
				lower_expr(x, ks.v[0]);
				lower_cond(x, ks.v[1], t, f);
				done = 1;
			} else if (is_comparison(op)) {
				/* a constant operand the AST folds (GLib's TRUE is `(!(0))`): its value,
				 * not a temporary the branch cannot relate to the other operand */
				int64_t kv;
				struct ir_operand a = eval_int(ks.v[0], &kv) ? ir_int_opnd(kv) : lower_expr(x, ks.v[0]);
				struct ir_operand b = eval_int(ks.v[1], &kv) ? ir_int_opnd(kv) : lower_expr(x, ks.v[1]);
				compare(x, c, op, a, b, t, f);
				done = 1;
			}
		}
		kids_free(&ks);
	}
	if (!done) {
		struct ir_operand o = lower_expr(x, c);
		if (o.kind == IR_OPND_VAR)
			branch(x, loc_of(x, c), IR_COND_NULL, o, 0, f, t);
		else if (o.kind == IR_OPND_INT)
			jump(x, o.ival ? t : f);
		else if (o.kind == IR_OPND_NULL)
			jump(x, f);
		else
			branch(x, loc_of(x, c), IR_COND_UNKNOWN, o, 0, t, f);
	}
	x->depth--;
}

/* A statement's condition: temporaries die on both edges. */
static void cond_stmt(struct cx *x, CXCursor c, int32_t t, int32_t f, int loop)
{
	uint32_t mark = x->fn->nvars;
	uint32_t first = x->fn->nnodes;
	int32_t t0 = new_label(x), f0 = new_label(x);
	lower_cond(x, c, t0, f0);
	if (loop && !x->overflow)
		for (uint32_t i = first; i < x->fn->nnodes; i++)
			if (x->fn->nodes[i].op == IR_BRANCH)
				x->fn->nodes[i].flags |= IR_NODE_LOOP;
	place(x, t0);
	kill_temps(x, mark, c);
	jump(x, t);
	place(x, f0);
	kill_temps(x, mark, c);
	jump(x, f);
}

/* ------------------------------------------------------------------------------------------ */
/* Statements                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void expr_stmt(struct cx *x, CXCursor c)
{
	uint32_t mark = x->fn->nvars;
	lower_expr(x, c);
	kill_temps(x, mark, c);
}

static void lower_decl(struct cx *x, CXCursor decl)
{
	if (clang_getCursorKind(decl) != CXCursor_VarDecl) {
		return;
	}
	enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
	int is_static = sc == CX_SC_Static || sc == CX_SC_Extern;
	struct kids ks;
	kids_get(decl, &ks);
	/* a var with an attribute such as __attribute__((cleanup(f))) (g_autoptr, _cleanup_) is
	 * released by its cleanup function: what it holds escapes to it (IR_VAR_CLEANUP), while
	 * its value is followed (g_autoptr(GError) error = NULL; f (&error); if (error) ...) */
	int has_attr = 0;
	for (unsigned i = 0; i < ks.n; i++)
		has_attr |= clang_isAttribute(clang_getCursorKind(ks.v[i])) != 0;
	int32_t v = is_static ? -1 : add_decl_var(x, decl, -1);
	if (v >= 0 && has_attr && !x->overflow) {
		x->fn->vars[v].flags |= IR_VAR_CLEANUP;
		x->fn->has_cleanup_vars = 1;
	}
	uint32_t mark = x->fn->nvars;
	int last = -1;
	for (unsigned i = 0; i < ks.n; i++)
		if (is_expr(ks.v[i]))
			last = (int)i;
	if (is_static) {
		kids_free(&ks);
		return; /* initialised once, with a constant */
	}
	for (int i = 0; i < last; i++)
		if (is_expr(ks.v[i]))
			lower_expr(x, ks.v[i]);
	if (last >= 0) {
		struct ir_operand o = lower_expr(x, ks.v[last]);
		if (v >= 0) {
			int32_t n = emit(x, IR_ASSIGN, loc_of(x, decl));
			if (!x->overflow)
				x->fn->nodes[n].dest = v;
			add_opnd(x, n, o);
		} else if (o.kind == IR_OPND_VAR) {
			int32_t n = emit(x, IR_STORE, loc_of(x, decl));
			add_opnd(x, n, o);
		}
	} else if (v >= 0 && (x->fn->vars[v].flags & IR_VAR_PTR)) {
		/* uninitialised: forget what a previous iteration left in it */
		int32_t n = emit(x, IR_ASSIGN, loc_of(x, decl));
		if (!x->overflow)
			x->fn->nodes[n].dest = v;
		add_opnd(x, n, unknown());
	}
	kill_temps(x, mark, decl);
	kids_free(&ks);
}

/* Classifies the children of a for statement into init, cond, inc (NULL cursors when absent). */
static void for_parts(struct cx *x, CXCursor c, struct kids *ks, CXCursor *init, CXCursor *cond, CXCursor *inc)
{
	*init = *cond = *inc = clang_getNullCursor();
	unsigned nh = ks->n - 1; /* header parts; the body is last */
	if (nh == 0)
		return;
	if (nh == 3) {
		*init = ks->v[0];
		*cond = ks->v[1];
		*inc = ks->v[2];
		return;
	}
	/* find the two ';' of the header by their offsets */
	CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
	CXSourceLocation body = clang_getRangeStart(clang_getCursorExtent(ks->v[nh]));
	CXToken *toks = NULL;
	unsigned nt = 0;
	CXFile fa = NULL, fb = NULL;
	unsigned oa = 0, ob = 0;
	clang_getExpansionLocation(start, &fa, NULL, NULL, &oa);
	clang_getExpansionLocation(body, &fb, NULL, NULL, &ob);
	if (fa && fb && clang_File_isEqual(fa, fb) && oa < ob)
		clang_tokenize(x->env->tu,
			       clang_getRange(clang_getLocationForOffset(x->env->tu, fa, oa),
					      clang_getLocationForOffset(x->env->tu, fb, ob)),
			       &toks, &nt);
	unsigned semi[2] = { 0, 0 }, ns = 0;
	int depth = 0;
	for (unsigned i = 0; i < nt && ns < 2; i++) {
		if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
			continue;
		CXString s = clang_getTokenSpelling(x->env->tu, toks[i]);
		const char *p = clang_getCString(s);
		if (p && !strcmp(p, "("))
			depth++;
		else if (p && !strcmp(p, ")"))
			depth--;
		else if (p && !strcmp(p, ";") && depth == 1)
			clang_getExpansionLocation(clang_getTokenLocation(x->env->tu, toks[i]), NULL, NULL, NULL, &semi[ns++]);
		clang_disposeString(s);
	}
	if (toks)
		clang_disposeTokens(x->env->tu, toks, nt);
	if (ns == 2) {
		for (unsigned i = 0; i < nh; i++) {
			unsigned off = 0;
			clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(ks->v[i])), NULL, NULL, NULL, &off);
			if (off < semi[0])
				*init = ks->v[i];
			else if (off < semi[1])
				*cond = ks->v[i];
			else
				*inc = ks->v[i];
		}
		/* a DeclStmt init includes its ';': it starts before semi[0] anyway */
		return;
	}
	/* inside a macro: guess from the kinds */
	if (nh == 2) {
		*init = ks->v[0];
		*cond = ks->v[1];
	} else if (clang_getCursorKind(ks->v[0]) == CXCursor_DeclStmt) {
		*init = ks->v[0];
	} else {
		*cond = ks->v[0];
	}
}

static void lower_switch(struct cx *x, CXCursor c, struct kids *ks)
{
	struct ir_loc loc = loc_of(x, c);
	uint32_t mark = x->fn->nvars;
	struct ir_operand o = unknown();
	unsigned bi = ks->n - 1;
	for (unsigned i = 0; i < bi; i++) {
		if (is_expr(ks->v[i]))
			o = lower_expr(x, ks->v[i]);
		else
			lower_stmt(x, ks->v[i]);
	}
	int32_t dispatch = new_label(x), exit_l = new_label(x);
	jump(x, dispatch);
	struct sw_ctx sw = { NULL, 0, 0, -1 };
	struct sw_ctx *saved_sw = x->sw;
	int32_t saved_brk = x->brk;
	x->sw = &sw;
	x->brk = exit_l;
	lower_stmt(x, ks->v[bi]);
	jump(x, exit_l);
	x->sw = saved_sw;
	x->brk = saved_brk;
	x->cur = dispatch;
	kill_temps(x, mark, c);
	for (uint32_t i = 0; i < sw.n && !x->overflow; i++) {
		int32_t next = new_label(x);
		if (o.kind == IR_OPND_VAR && sw.cases[i].val != INT64_MIN)
			branch(x, loc, IR_COND_EQ, o, sw.cases[i].val, sw.cases[i].node, next);
		else
			branch(x, loc, IR_COND_UNKNOWN, o, sw.cases[i].val, sw.cases[i].node, next);
		place(x, next);
	}
	jump(x, sw.dflt >= 0 ? sw.dflt : exit_l);
	free(sw.cases);
	place(x, exit_l);
}

/* ------------------------------------------------------------------------------------------ */
/* Macros known to the model (Py_CLEAR(x), Py_SETREF(d, s)...)                                 */
/* ------------------------------------------------------------------------------------------ */

struct arg_span {
	unsigned start, end; /* file offsets of one macro argument */
	CXCursor found;      /* the expression spelled exactly as the argument */
	CXCursor loose;      /* else the outermost one starting with it */
};

struct find_ctx {
	struct arg_span *args;
	unsigned nargs;
	int depth;
};

static enum CXChildVisitResult find_args(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct find_ctx *f = data;
	if (is_expr(c)) {
		CXSourceRange r = clang_getCursorExtent(c);
		unsigned a = 0, b = 0;
		clang_getFileLocation(clang_getRangeStart(r), NULL, NULL, NULL, &a);
		clang_getFileLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &b);
		/* the outermost expression spelled exactly as the argument (file locations: a macro
		 * argument's tokens where the invocation writes them); a macro call inside the
		 * argument has its extent collapsed to its name. clang_getSpellingLocation gave the
		 * same before libclang 16; since, it says where a macro body is written. */
		for (unsigned i = 0; i < f->nargs; i++) {
			if (a != f->args[i].start)
				continue;
			if (clang_Cursor_isNull(f->args[i].found) && (b == f->args[i].end || b == a))
				f->args[i].found = c;
			/* an argument containing a macro call has its extent cut or extended by it */
			enum CXCursorKind k = clang_getCursorKind(c);
			if (clang_Cursor_isNull(f->args[i].loose) && b != f->args[i].end && k != CXCursor_BinaryOperator &&
			    k != CXCursor_CompoundAssignOperator)
				f->args[i].loose = c;
		}
	}
	if (f->depth < 64) {
		f->depth++;
		clang_visitChildren(c, find_args, f);
		f->depth--;
	}
	return CXChildVisit_Continue;
}

/* Whether c is `&lvalue`: a macro argument that already is an address (g_clear_object(&p))
 * is lowered like a function's argument, not given a second `&`. */
static int is_address_of(CXCursor c)
{
	c = strip(c);
	return clang_getCursorKind(c) == CXCursor_UnaryOperator &&
	       clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_AddrOf;
}

/* Lowers the macro argument cursor c as the address of what it names (for clears/setref). */
static struct ir_operand lvalue_address(struct cx *x, CXCursor c)
{
	int32_t v = local_of(x, c);
	if (v >= 0) {
		struct ir_operand o = ir_var_opnd(v);
		o.kind = IR_OPND_ADDR;
		return o;
	}
	struct ir_operand key = lvalue_key(x, c);
	if (key.var != -1)
		key.kind = IR_OPND_FIELD;
	else
		key = unknown();
	return key;
}

static enum CXChildVisitResult last_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	*(CXCursor *)data = c;
	return CXChildVisit_Continue;
}

/* Whether statement c comes from a macro body: its children are spelled where it starts (a
 * macro's expansion collapses to the macro name), while written code has its last child after
 * its first token. Cheap filter before tokenizing. */
static int from_macro(CXCursor c)
{
	CXCursor last = clang_getNullCursor();
	clang_visitChildren(c, last_child, &last);
	if (clang_Cursor_isNull(last))
		return 0;
	unsigned a = 0, b = 0;
	clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL, NULL, &a);
	clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(last)), NULL, NULL, NULL, &b);
	return a == b;
}

/* Whether statement c starts with a macro the model says is a return statement (Py_RETURN_NONE
 * is `return Py_None` for immortal objects in 3.12+: not a borrowed return). */
static int return_macro(struct cx *x, CXCursor c)
{
	if (!x->env->macro_model)
		return 0;
	CXFile f = NULL;
	unsigned start = 0;
	clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f, NULL, NULL, &start);
	if (!f)
		return 0;
	CXToken *toks = NULL;
	unsigned nt = 0;
	size_t size = 0;
	if (!clang_getFileContents(x->env->tu, f, &size) || start >= size)
		return 0;
	unsigned end = (unsigned)(size - start > 48 ? start + 48 : size);
	clang_tokenize(x->env->tu,
		       clang_getRange(clang_getLocationForOffset(x->env->tu, f, start),
				      clang_getLocationForOffset(x->env->tu, f, end)),
		       &toks, &nt);
	int r = 0;
	if (nt >= 1 && clang_getTokenKind(toks[0]) == CXToken_Identifier) {
		CXString ns = clang_getTokenSpelling(x->env->tu, toks[0]);
		const struct model_fn *m = x->env->macro_model(x->env->ctx, clang_getCString(ns));
		r = m && (m->flags & MODEL_RETURN_STMT);
		clang_disposeString(ns);
	}
	if (toks)
		clang_disposeTokens(x->env->tu, toks, nt);
	return r;
}

/* If statement c is exactly one invocation NAME(args) of a macro the model knows, lowers it as
 * a call to NAME and returns 1. */
static int lower_model_macro(struct cx *x, CXCursor c)
{
	if (!x->env->macro_model)
		return 0;
	CXSourceRange ext = clang_getCursorExtent(c);
	CXFile f = NULL, fe = NULL;
	unsigned start = 0, end = 0;
	clang_getExpansionLocation(clang_getRangeStart(ext), &f, NULL, NULL, &start);
	clang_getExpansionLocation(clang_getRangeEnd(ext), &fe, NULL, NULL, &end);
	if (!f || !fe || !clang_File_isEqual(f, fe) || end <= start || end - start > 4096)
		return 0;
	CXToken *toks = NULL;
	unsigned nt = 0;
	/* cheap filter first: "NAME (" with a model for NAME */
	clang_tokenize(x->env->tu,
		       clang_getRange(clang_getLocationForOffset(x->env->tu, f, start),
				      clang_getLocationForOffset(x->env->tu, f, end - start > 64 ? start + 64 : end)),
		       &toks, &nt);
	int candidate = 0;
	if (nt >= 2 && clang_getTokenKind(toks[0]) == CXToken_Identifier && tok_is(x->env->tu, toks[1], "(")) {
		CXString ns = clang_getTokenSpelling(x->env->tu, toks[0]);
		candidate = x->env->macro_model(x->env->ctx, clang_getCString(ns)) != NULL;
		clang_disposeString(ns);
	}
	if (toks)
		clang_disposeTokens(x->env->tu, toks, nt);
	toks = NULL;
	nt = 0;
	if (!candidate)
		return 0;
	clang_tokenize(x->env->tu,
		       clang_getRange(clang_getLocationForOffset(x->env->tu, f, start),
				      clang_getLocationForOffset(x->env->tu, f, end)),
		       &toks, &nt);
	int done = 0;
	if (nt >= 3 && clang_getTokenKind(toks[0]) == CXToken_Identifier && tok_is(x->env->tu, toks[1], "(")) {
		CXString ns = clang_getTokenSpelling(x->env->tu, toks[0]);
		const struct model_fn *m = x->env->macro_model(x->env->ctx, clang_getCString(ns));
		const char *name = m ? ir_strdup(x->arena, clang_getCString(ns)) : NULL;
		clang_disposeString(ns);
		/* the arguments: top-level commas inside the parentheses; the ')' must end the statement */
		struct arg_span spans[8];
		unsigned nspan = 0, i = 2;
		int depth = 1;
		unsigned arg_start = 0;
		CXSourceRange r0 = clang_getTokenExtent(x->env->tu, toks[2]);
		clang_getExpansionLocation(clang_getRangeStart(r0), NULL, NULL, NULL, &arg_start);
		unsigned prev_end = arg_start;
		for (; m && i < nt && depth > 0; i++) {
			CXSourceRange tr = clang_getTokenExtent(x->env->tu, toks[i]);
			unsigned ts = 0, te = 0;
			clang_getExpansionLocation(clang_getRangeStart(tr), NULL, NULL, NULL, &ts);
			clang_getExpansionLocation(clang_getRangeEnd(tr), NULL, NULL, NULL, &te);
			if (tok_is(x->env->tu, toks[i], "(") || tok_is(x->env->tu, toks[i], "["))
				depth++;
			else if (tok_is(x->env->tu, toks[i], ")") || tok_is(x->env->tu, toks[i], "]"))
				depth--;
			if ((depth == 1 && tok_is(x->env->tu, toks[i], ",")) || depth == 0) {
				if (nspan < 8 && prev_end > arg_start) {
					spans[nspan].start = arg_start;
					spans[nspan].end = prev_end;
					spans[nspan].found = clang_getNullCursor();
					spans[nspan].loose = clang_getNullCursor();
					nspan++;
				}
				if (i + 1 < nt) {
					CXSourceRange nr = clang_getTokenExtent(x->env->tu, toks[i + 1]);
					clang_getExpansionLocation(clang_getRangeStart(nr), NULL, NULL, NULL, &arg_start);
				}
				prev_end = arg_start;
				continue;
			}
			prev_end = te;
		}
		unsigned after = i;
		int whole = m && depth == 0 && (after == nt || (after + 1 == nt && tok_is(x->env->tu, toks[after], ";")));
		if (whole && nspan > 0) {
			struct find_ctx fc = { spans, nspan, 0 };
			clang_visitChildren(c, find_args, &fc);
			int all = 1;
			for (unsigned k = 0; k < nspan; k++) {
				if (clang_Cursor_isNull(spans[k].found))
					spans[k].found = spans[k].loose;
				if (clang_Cursor_isNull(spans[k].found))
					all = 0;
			}
			if (all) {
				uint32_t mark = x->fn->nvars;
				struct ir_operand ops[8];
				uint32_t dst_mask = m->arg[MODEL_CLEARS];
				if (m->setref_dst > 0)
					dst_mask |= 1u << (m->setref_dst - 1);
				for (unsigned k = 0; k < nspan; k++)
					ops[k] = (dst_mask & (1u << k)) && !is_address_of(spans[k].found)
							 ? lvalue_address(x, spans[k].found)
							 : lower_expr(x, spans[k].found);
				int32_t n = emit(x, IR_CALL, loc_of(x, c));
				if (!x->overflow) {
					x->fn->nodes[n].callee = name;
					x->fn->nodes[n].model = m;
				}
				for (unsigned k = 0; k < nspan; k++)
					add_opnd(x, n, ops[k]);
				kill_temps(x, mark, c);
				done = 1;
			}
		}
	}
	if (toks)
		clang_disposeTokens(x->env->tu, toks, nt);
	return done;
}

/* Lowers a loop body with break going to brk and continue to cont. */
static void loop_body(struct cx *x, CXCursor body, int32_t brk, int32_t cont)
{
	int32_t sb = x->brk, sc = x->cont;
	x->brk = brk;
	x->cont = cont;
	lower_stmt(x, body);
	x->brk = sb;
	x->cont = sc;
}

static void lower_stmt_inner(struct cx *x, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	/* macros expand to do { } while (0), ({ }), or a parenthesized expression */
	if ((k == CXCursor_DoStmt || k == CXCursor_ParenExpr || k == CXCursor_CStyleCastExpr || k == CXCursor_StmtExpr ||
	     k == CXCursor_ConditionalOperator) &&
	    from_macro(c) && lower_model_macro(x, c))
		return;
	if (clang_isExpression(k)) {
		expr_stmt(x, c);
		return;
	}
	struct kids ks;
	kids_get(c, &ks);
	switch (k) {
	case CXCursor_CompoundStmt:
		for (unsigned i = 0; i < ks.n; i++)
			lower_stmt(x, ks.v[i]);
		break;
	case CXCursor_DeclStmt:
		for (unsigned i = 0; i < ks.n; i++)
			lower_decl(x, ks.v[i]);
		break;
	case CXCursor_IfStmt: {
		if (ks.n < 2)
			break;
		int32_t t = new_label(x), f = new_label(x), j = new_label(x);
		cond_stmt(x, ks.v[0], t, f, 0);
		place(x, t);
		lower_stmt(x, ks.v[1]);
		jump(x, j);
		place(x, f);
		if (ks.n >= 3)
			lower_stmt(x, ks.v[2]);
		jump(x, j);
		place(x, j);
		break;
	}
	case CXCursor_WhileStmt: {
		if (ks.n < 2)
			break;
		int32_t h = new_label(x), b = new_label(x), e = new_label(x);
		place(x, h);
		cond_stmt(x, ks.v[0], b, e, 1);
		place(x, b);
		loop_body(x, ks.v[ks.n - 1], e, h);
		jump(x, h);
		place(x, e);
		break;
	}
	case CXCursor_DoStmt: {
		if (ks.n < 2)
			break;
		int32_t b = new_label(x), cl = new_label(x), e = new_label(x);
		place(x, b);
		loop_body(x, ks.v[0], e, cl);
		place(x, cl);
		cond_stmt(x, ks.v[1], b, e, 1);
		place(x, e);
		break;
	}
	case CXCursor_ForStmt: {
		if (ks.n < 1)
			break;
		CXCursor init, cond, inc;
		for_parts(x, c, &ks, &init, &cond, &inc);
		if (!clang_Cursor_isNull(init))
			lower_stmt(x, init);
		int32_t h = new_label(x), b = new_label(x), i = new_label(x), e = new_label(x);
		place(x, h);
		if (!clang_Cursor_isNull(cond))
			cond_stmt(x, cond, b, e, 1);
		else
			jump(x, b);
		place(x, b);
		loop_body(x, ks.v[ks.n - 1], e, i);
		place(x, i);
		if (!clang_Cursor_isNull(inc))
			expr_stmt(x, inc);
		jump(x, h);
		place(x, e);
		break;
	}
	case CXCursor_SwitchStmt:
		if (ks.n >= 2)
			lower_switch(x, c, &ks);
		break;
	case CXCursor_CaseStmt: {
		int32_t l = new_label(x);
		place(x, l);
		int64_t v = 0;
		if (ks.n >= 1 && x->sw) {
			if (ks.n >= 3 || !eval_int(ks.v[0], &v))
				v = INT64_MIN; /* a GNU range (case 1 ... 5) or a value we cannot compute */
			if (x->sw->n == x->sw->cap) {
				x->sw->cap = x->sw->cap ? x->sw->cap * 2 : 8;
				struct case_entry *ne = realloc(x->sw->cases, x->sw->cap * sizeof *ne);
				if (!ne)
					abort();
				x->sw->cases = ne;
			}
			x->sw->cases[x->sw->n].val = v;
			x->sw->cases[x->sw->n].node = l;
			x->sw->n++;
		}
		if (ks.n >= 2)
			lower_stmt(x, ks.v[ks.n - 1]);
		break;
	}
	case CXCursor_DefaultStmt: {
		int32_t l = new_label(x);
		place(x, l);
		if (x->sw)
			x->sw->dflt = l;
		if (ks.n >= 1)
			lower_stmt(x, ks.v[ks.n - 1]);
		break;
	}
	case CXCursor_BreakStmt:
		if (x->brk >= 0)
			jump(x, x->brk);
		break;
	case CXCursor_ContinueStmt:
		if (x->cont >= 0)
			jump(x, x->cont);
		break;
	case CXCursor_GotoStmt:
		if (ks.n >= 1) {
			const char *name = spelling(x, ks.v[0]);
			jump(x, named_label(x, name));
		}
		break;
	case CXCursor_LabelStmt: {
		const char *name = spelling(x, c);
		place(x, named_label(x, name));
		for (unsigned i = 0; i < ks.n; i++)
			lower_stmt(x, ks.v[i]);
		break;
	}
	case CXCursor_ReturnStmt: {
		struct ir_operand o = unknown();
		int has = 0;
		for (unsigned i = 0; i < ks.n; i++)
			if (is_expr(ks.v[i])) {
				o = lower_expr(x, ks.v[i]);
				has = 1;
			}
		int32_t n = emit(x, IR_RETURN, loc_of(x, c));
		if (has)
			add_opnd(x, n, o);
		if (has && !x->overflow && from_macro(c) && return_macro(x, c))
			x->fn->nodes[n].flags |= IR_NODE_RETURN_MACRO;
		x->cur = -1;
		break;
	}
	case CXCursor_IndirectGotoStmt:
		for (unsigned i = 0; i < ks.n; i++)
			if (is_expr(ks.v[i]))
				lower_expr(x, ks.v[i]);
		x->cur = -1;
		break;
	case CXCursor_NullStmt:
	case CXCursor_GCCAsmStmt:
	case CXCursor_MSAsmStmt:
		break;
	default:
		for (unsigned i = 0; i < ks.n; i++)
			lower_stmt(x, ks.v[i]);
		break;
	}
	kids_free(&ks);
}

static void lower_stmt(struct cx *x, CXCursor c)
{
	if (x->depth > CFG_MAX_DEPTH || x->overflow) {
		x->overflow = 1;
		return;
	}
	x->depth++;
	lower_stmt_inner(x, c);
	x->depth--;
}

/* ------------------------------------------------------------------------------------------ */
/* Functions                                                                                   */
/* ------------------------------------------------------------------------------------------ */

int cfg_decl_is_noreturn(CXTranslationUnit tu, CXCursor decl)
{
	CXString ts = clang_getTypeSpelling(clang_getCursorType(decl));
	const char *p = clang_getCString(ts);
	int nr = p && strstr(p, "noreturn");
	clang_disposeString(ts);
	if (nr)
		return 1;
	/* _Noreturn is a specifier, not part of the type: look at the tokens before the name */
	CXSourceRange ext = clang_getCursorExtent(decl);
	CXToken *toks = NULL;
	unsigned nt = 0;
	clang_tokenize(tu, clang_getRange(clang_getRangeStart(ext), clang_getCursorLocation(decl)), &toks, &nt);
	for (unsigned i = 0; i < nt && !nr; i++) {
		CXString s = clang_getTokenSpelling(tu, toks[i]);
		const char *q = clang_getCString(s);
		if (q && (!strcmp(q, "_Noreturn") || !strcmp(q, "noreturn") || !strcmp(q, "__noreturn__")))
			nr = 1;
		clang_disposeString(s);
	}
	if (toks)
		clang_disposeTokens(tu, toks, nt);
	return nr;
}

int cfg_build(const struct cfg_env *env, CXCursor fn_cursor, struct ir_arena *arena, struct ir_func *out)
{
	struct cx x;
	memset(&x, 0, sizeof x);
	x.env = env;
	x.fn = out;
	x.arena = arena;
	x.brk = x.cont = -1;
	x.max_nodes = env->max_nodes ? env->max_nodes : CFG_DEFAULT_MAX_NODES;
	CXString name = clang_getCursorSpelling(fn_cursor);
	ir_func_init(out, arena, clang_getCString(name), env->file);
	clang_disposeString(name);
	out->loc = loc_of(&x, fn_cursor);
	CXSourceRange ext = clang_getCursorExtent(fn_cursor);
	out->end_loc = cfg_loc(env, clang_getRangeEnd(ext));
	if (out->end_loc.col > 1)
		out->end_loc.col--;
	CXType rtype = clang_getResultType(clang_getCursorType(fn_cursor));
	unsigned rcls = type_class(rtype);
	out->returns_ptr = rcls == IR_VAR_PTR;
	out->returns_plain = plain_pointer(rtype);
	out->returns_int = rcls == IR_VAR_INT;
	int np = clang_Cursor_getNumArguments(fn_cursor);
	out->nparams = np > 0 ? np : 0;
	for (int i = 0; i < np; i++)
		add_decl_var(&x, clang_Cursor_getArgument(fn_cursor, (unsigned)i), i);

	x.cur = ir_add_node(out, IR_NOP, out->loc);
	struct kids ks;
	kids_get(fn_cursor, &ks);
	for (unsigned i = 0; i < ks.n; i++)
		if (clang_getCursorKind(ks.v[i]) == CXCursor_CompoundStmt)
			lower_stmt(&x, ks.v[i]);
	kids_free(&ks);
	if (!x.overflow && x.cur >= 0)
		emit(&x, IR_RETURN, out->end_loc);
	/* every construct restored what it changed: nesting depth, break/continue targets, switch */
	assert(x.overflow || (x.depth == 0 && x.brk == -1 && x.cont == -1 && x.sw == NULL));
	free(x.vmap);
	free(x.labels);
	if (x.overflow) {
		ir_func_free(out);
		return -1;
	}
	ir_compact(out);
	return 0;
}
