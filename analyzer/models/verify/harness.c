/*
 * harness.c - runs the cases of the CPython model verifier (verify_model.py) in an embedded
 * debug interpreter (python3.11-dbg: Py_REF_DEBUG gives _Py_GetRefTotal(), the sum of all
 * reference counts, and debug allocator hooks that make a release of a freed object fail).
 *
 * verify_model.py writes cases.inc (one call wrapper and one struct vcase per model function) and
 * compiles this file with it. Each case runs in phases, each in its own forked child, so a crash
 * or a hang tells about that phase only:
 *   call      the call once with representative arguments, observations printed, no policy;
 *   nomem     the same with every allocation failing (what _testcapi.set_nomemory(0) does, done
 *             here with PyMem_SetAllocator so that the harness can also count);
 *   bad       the call with the case's wrong-typed arguments (forces failure without memory);
 *   balance   W warm-up then K measured rounds of: fresh arguments, the call, then what the model
 *             says the caller must release (arguments not taken over, a new result, new outputs);
 *             prints the change of the total reference count over the K rounds (a collection of
 *             the cyclic garbage before and after, for types and modules): 0 when the model
 *             is right, +K or more when it leaves a reference unreleased, a crash or -K or less
 *             when it releases one the caller did not own;
 *   bal-nomem the same with failing allocations, the policy chosen by the outcome of each call;
 *   null:k    argument slot k replaced by NULL;
 *   pnull:j   the call with NULL in its j-th pointer argument that is not an object (a string, an
 *             output Py_ssize_t *...), through its own wrapper (struct vcase.ptrcall).
 * A policy given on the command line (-p) replaces the model's, so that the driver can find the
 * policy that balances when the model's does not.
 * Output: one line per phase, "PHASE name key=value...". The judgement is the driver's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <marshal.h>
#include <frameobject.h>
#include <datetime.h>
#include <structmember.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXOBJ 8
#define MAXOUT 4
#define MAXPTR 4

struct res {
	void *p;
	long long i;
	PyObject *out[MAXOUT];
};

enum { RET_NONE, RET_NEW, RET_BORROWED, RET_INT };

struct policy {
	int ret;              /* RET_*: a new result is released */
	unsigned steals;      /* object slots taken over always */
	unsigned steals_ok;   /* object slots taken over when the call succeeds */
	unsigned releases;    /* object slots the callee releases once (like steals) */
	unsigned acquires;    /* object slots the callee adds a reference to */
	unsigned out_new;     /* output slots receiving a new reference */
	unsigned accepts_null;
};

struct vcase {
	const char *name;
	void (*call)(PyObject **a, struct res *r);
	int nobj;                  /* object argument slots */
	const char *expr[MAXOBJ];  /* Python expression making each (a new reference) */
	const char *bad[MAXOBJ];   /* wrong-typed replacements (NULL: keep) */
	int nout;
	int robj;                  /* the C result is an object pointer */
	int rint;                  /* the C result is an integer */
	struct policy model;
	int nptr;                  /* pointer arguments tried with NULL (pnull:j) */
	void (*ptrcall[MAXPTR])(PyObject **a, struct res *r); /* the call with NULL in the j-th */
};

/* Static definitions the C-only parameters point to (recipes.SCALAR names them). */
static PyObject *mv_meth(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	Py_RETURN_NONE;
}
static PyMethodDef mv_methdef[] = { { "f", mv_meth, METH_NOARGS, NULL }, { NULL, NULL, 0, NULL } };
static PyModuleDef mv_moddef = { PyModuleDef_HEAD_INIT, "mvdef", NULL, -1, mv_methdef, NULL, NULL, NULL, NULL };
static PyType_Slot mv_slots[] = { { 0, NULL } };
static PyType_Spec mv_spec = { "mv.T", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, mv_slots };
static PyMemberDef mv_members[] = { { "m", T_INT, 0, READONLY, NULL }, { NULL, 0, 0, 0, NULL } };
static PyGetSetDef mv_getset[] = { { "g", NULL, NULL, NULL, NULL }, { NULL, NULL, NULL, NULL, NULL } };
static PyStructSequence_Field mv_fields[] = { { "a", NULL }, { "b", NULL }, { NULL, NULL } };
static PyStructSequence_Desc mv_desc = { "mv.S", NULL, mv_fields, 2 };
static int mv_word;
static void mv_noop(void)
{
}
static wchar_t mv_wbuf[64];
static PyTypeObject mv_sstype;

/* A heap GC type and a heap non-GC type whose deallocators follow the documented protocol
 * (untrack, free the memory with PyObject_GC_Del / PyObject_Del, release the type), for the
 * allocation APIs: GCT and NGT in the harness's globals. */
static int mv_gc_traverse(PyObject *self, visitproc visit, void *arg)
{
	Py_VISIT(Py_TYPE(self));
	return 0;
}
static void mv_gc_dealloc(PyObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);
	PyObject_GC_UnTrack(self);
	PyObject_GC_Del(self);
	Py_DECREF(tp);
}
static void mv_plain_dealloc(PyObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);
	PyObject_Del(self);
	Py_DECREF(tp);
}
static PyType_Slot mv_gc_slots[] = { { Py_tp_traverse, mv_gc_traverse }, { Py_tp_dealloc, mv_gc_dealloc }, { 0, NULL } };
static PyType_Spec mv_gc_spec = { "mv.GC", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, mv_gc_slots };
static PyType_Slot mv_plain_slots[] = { { Py_tp_dealloc, mv_plain_dealloc }, { 0, NULL } };
static PyType_Spec mv_plain_spec = { "mv.Plain", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, mv_plain_slots };

/* The v-forms of the format APIs, called through a variadic helper. */
static PyObject *mv_unicode_fromformatv(const char *f, ...)
{
	va_list va;
	va_start(va, f);
	PyObject *r = PyUnicode_FromFormatV(f, va);
	va_end(va);
	return r;
}
static PyObject *mv_bytes_fromformatv(const char *f, ...)
{
	va_list va;
	va_start(va, f);
	PyObject *r = PyBytes_FromFormatV(f, va);
	va_end(va);
	return r;
}
static PyObject *mv_err_formatv(PyObject *exc, const char *f, ...)
{
	va_list va;
	va_start(va, f);
	PyObject *r = PyErr_FormatV(exc, f, va);
	va_end(va);
	return r;
}
static PyObject *mv_vabuildvalue(const char *f, ...)
{
	va_list va;
	va_start(va, f);
	PyObject *r = Py_VaBuildValue(f, va);
	va_end(va);
	return r;
}

/* A fresh temporary file holding one line of Python ("x = 1"), read from its start. */
static FILE *mv_file(void)
{
	FILE *f = tmpfile();
	if (!f)
		abort();
	fputs("x = 1\n", f);
	rewind(f);
	return f;
}

/* Allocations fail while set (hand-written case bodies clear it to build their containers). */
static int nomem_on;

#include "cases.inc"

static PyObject *globals;

/* ---- allocation failure ----------------------------------------------------------------- */

static PyMemAllocatorEx orig_mem, orig_obj, orig_raw;

static void *fail_malloc(void *ctx, size_t n)
{
	PyMemAllocatorEx *o = ctx;
	return nomem_on ? NULL : o->malloc(o->ctx, n);
}
static void *fail_calloc(void *ctx, size_t n, size_t e)
{
	PyMemAllocatorEx *o = ctx;
	return nomem_on ? NULL : o->calloc(o->ctx, n, e);
}
static void *fail_realloc(void *ctx, void *p, size_t n)
{
	PyMemAllocatorEx *o = ctx;
	return nomem_on ? NULL : o->realloc(o->ctx, p, n);
}
static void fail_free(void *ctx, void *p)
{
	PyMemAllocatorEx *o = ctx;
	o->free(o->ctx, p);
}

static void hook_allocators(void)
{
	PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &orig_mem);
	PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &orig_obj);
	PyMem_GetAllocator(PYMEM_DOMAIN_RAW, &orig_raw);
	PyMemAllocatorEx m = { &orig_mem, fail_malloc, fail_calloc, fail_realloc, fail_free };
	PyMemAllocatorEx o = { &orig_obj, fail_malloc, fail_calloc, fail_realloc, fail_free };
	PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &m);
	PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &o);
	/* RAW stays: the debug hooks and the thread state allocate there, as set_nomemory's
	 * callers see them fail too rarely to matter */
}

/* ---- arguments -------------------------------------------------------------------------- */

static PyObject *make(const char *expr)
{
	PyObject *r = PyRun_String(expr, Py_eval_input, globals, globals);
	if (!r) {
		fprintf(stderr, "harness: cannot evaluate %s\n", expr);
		PyErr_Print();
		_exit(3);
	}
	return r;
}

static void make_args(const struct vcase *c, PyObject **a, int bad, int nullslot)
{
	for (int k = 0; k < c->nobj; k++) {
		if (k == nullslot)
			a[k] = NULL;
		else if (bad && c->bad[k])
			a[k] = make(c->bad[k]);
		else
			a[k] = make(c->expr[k]);
	}
}

static char last_exc[64]; /* the type of the exception the last call set, "-" for none */

/* Calls the case; returns 1 when it failed (an exception is set afterwards), and clears it. */
static int do_call(const struct vcase *c, PyObject **a, struct res *r, int nomem, int ptrnull)
{
	memset(r, 0, sizeof *r);
	PyErr_Clear();
	nomem_on = nomem;
	if (ptrnull >= 0)
		c->ptrcall[ptrnull](a, r);
	else
		c->call(a, r);
	nomem_on = 0;
	PyObject *exc = PyErr_Occurred();
	snprintf(last_exc, sizeof last_exc, "%s", exc ? ((PyTypeObject *)exc)->tp_name : "-");
	PyErr_Clear();
	return exc != NULL;
}

/* What the caller must release after the call, by the policy. */
static void apply_policy(const struct vcase *c, const struct policy *p, PyObject **a,
			 struct res *r, int failed)
{
	if (c->robj && p->ret == RET_NEW && r->p)
		Py_DECREF((PyObject *)r->p);
	for (int j = 0; j < c->nout; j++)
		if ((p->out_new >> j) & 1u)
			Py_XDECREF(r->out[j]);
	for (int k = 0; k < c->nobj; k++) {
		unsigned bit = 1u << k;
		if (!a[k])
			continue;
		if (p->acquires & bit)
			Py_DECREF(a[k]);
		if ((p->steals | p->releases) & bit)
			continue;
		if ((p->steals_ok & bit) && !failed)
			continue;
		Py_DECREF(a[k]);
	}
}

/* ---- phases ----------------------------------------------------------------------------- */

static void phase_call(const struct vcase *c, int nomem, int bad, int nullslot, int ptrnull)
{
	PyObject *a[MAXOBJ];
	Py_ssize_t before[MAXOBJ];
	struct res r;
	make_args(c, a, bad, nullslot);
	for (int k = 0; k < c->nobj; k++)
		before[k] = a[k] ? Py_REFCNT(a[k]) : 0;
	int failed = do_call(c, a, &r, nomem, ptrnull);
	printf("ok=1 failed=%d exc=%s", failed, last_exc);
	if (c->robj || (!c->rint && r.p))
		printf(" null=%d", r.p == NULL);
	if (c->rint)
		printf(" int=%lld", r.i);
	if (c->robj && r.p) {
		int same = -1;
		for (int k = 0; k < c->nobj; k++)
			if (a[k] == (PyObject *)r.p)
				same = k;
		printf(" same=%d rc=%zd", same, Py_REFCNT((PyObject *)r.p));
	}
	for (int k = 0; k < c->nobj; k++)
		if (a[k])
			printf(" d%d=%zd", k, Py_REFCNT(a[k]) - before[k]);
	for (int j = 0; j < c->nout; j++)
		printf(" out%d=%s", j, r.out[j] ? "obj" : "null");
	printf("\n");
}

static void phase_balance(const struct vcase *c, const struct policy *p, int nomem)
{
	enum { W = 3, K = 6 };
	Py_ssize_t t0 = 0;
	int nfailed = 0;
	for (int it = 0; it < W + K; it++) {
		PyObject *a[MAXOBJ];
		struct res r;
		if (it == W) {
			PyGC_Collect(); /* types, modules: cycles the collector alone frees */
			t0 = _Py_GetRefTotal();
		}
		make_args(c, a, 0, -1);
		int failed = do_call(c, a, &r, nomem, -1);
		nfailed += failed && it >= W;
		apply_policy(c, p, a, &r, failed);
	}
	PyGC_Collect();
	printf("ok=1 delta=%zd k=%d failed=%d\n", _Py_GetRefTotal() - t0, (int)K, nfailed);
}

static int run_phase(const struct vcase *c, const char *phase, const struct policy *p)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		alarm(10);
		printf("%s %s ", phase, c->name);
		if (!strcmp(phase, "call"))
			phase_call(c, 0, 0, -1, -1);
		else if (!strcmp(phase, "nomem"))
			phase_call(c, 1, 0, -1, -1);
		else if (!strcmp(phase, "bad"))
			phase_call(c, 0, 1, -1, -1);
		else if (!strncmp(phase, "null:", 5))
			phase_call(c, 0, 0, atoi(phase + 5), -1);
		else if (!strncmp(phase, "pnull:", 6) && atoi(phase + 6) < c->nptr)
			phase_call(c, 0, 0, -1, atoi(phase + 6));
		else if (!strcmp(phase, "balance"))
			phase_balance(c, p, 0);
		else if (!strcmp(phase, "bal-nomem"))
			phase_balance(c, p, 1);
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("\n%s %s ok=0 status=%s%d\n", phase, c->name, WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		fflush(stdout);
	}
	return 0;
}

static const char setup[] =
	"import sys, types, weakref, contextvars\n"
	"class C(dict):\n"
	"    x = 1\n"
	"    p = property(lambda self: [self])\n"
	"    def m(self, *a, **k): return list(a)\n"
	"    def __call__(self, *a, **k): return [a, k]\n"
	"    def __hash__(self): return 12345\n"
	"class E(Exception): pass\n"
	"KEEP = C(a=1)\n"
	"CAPSULE = None\n"
	"KEEPREF = weakref.ref(KEEP)\n"
	"def mkmod():\n"
	"    m = types.ModuleType('mvmod')\n"
	"    m.x = [1]\n"
	"    return m\n";

int main(int argc, char **argv)
{
	/* usage: harness [-p RET,STEALS,STEALS_OK,RELEASES,ACQUIRES,OUT_NEW] [NAME PHASE...]...
	 * without names: every case, the standard phases */
	struct policy override;
	int have_override = 0;
	int argi = 1;
	if (argc > 2 && !strcmp(argv[1], "-p")) {
		if (sscanf(argv[2], "%d,%u,%u,%u,%u,%u", &override.ret, &override.steals,
			   &override.steals_ok, &override.releases, &override.acquires,
			   &override.out_new) != 6)
			return 2;
		have_override = 1;
		argi = 3;
	}
	Py_InitializeEx(0);
	hook_allocators(); /* after: initialisation installs the allocators PYTHONMALLOC names */
	globals = PyDict_New();
	PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
	PyObject *r = PyRun_String(setup, Py_file_input, globals, globals);
	if (!r) {
		PyErr_Print();
		return 3;
	}
	Py_DECREF(r);
	PyObject *cap = PyCapsule_New((void *)&globals, "mv.cap", NULL);
	if (!cap || PyDict_SetItemString(globals, "CAPSULE", cap) < 0)
		return 3;
	Py_DECREF(cap);
	PyObject *gct = PyType_FromSpec(&mv_gc_spec), *ngt = PyType_FromSpec(&mv_plain_spec);
	if (!gct || !ngt || PyDict_SetItemString(globals, "GCT", gct) < 0 ||
	    PyDict_SetItemString(globals, "NGT", ngt) < 0)
		return 3;
	Py_DECREF(gct);
	Py_DECREF(ngt);
	/* a module and a heap type defined by it (PyType_GetModule...): MTMOD, MT */
	PyObject *mtmod = PyModule_Create(&mv_moddef);
	PyObject *mt = mtmod ? PyType_FromModuleAndSpec(mtmod, &mv_spec, NULL) : NULL;
	if (!mt || PyDict_SetItemString(globals, "MTMOD", mtmod) < 0 ||
	    PyDict_SetItemString(globals, "MT", mt) < 0)
		return 3;
	Py_DECREF(mt);
	Py_DECREF(mtmod);
	signal(SIGPIPE, SIG_IGN);
	size_t ncases = sizeof cases / sizeof cases[0];
	for (size_t i = 0; i < ncases; i++) {
		const struct vcase *c = &cases[i];
		const struct policy *p = have_override ? &override : &c->model;
		if (argi < argc) {
			if (strcmp(argv[argi], c->name))
				continue;
			for (int j = argi + 1; j < argc; j++)
				run_phase(c, argv[j], p);
			continue;
		}
		run_phase(c, "call", p);
		run_phase(c, "nomem", p);
		for (int k = 0; k < c->nobj; k++)
			if (c->bad[k]) {
				run_phase(c, "bad", p);
				break;
			}
		run_phase(c, "balance", p);
		run_phase(c, "bal-nomem", p);
		for (int k = 0; k < c->nobj; k++) {
			char ph[16];
			snprintf(ph, sizeof ph, "null:%d", k);
			run_phase(c, ph, p);
		}
		for (int j = 0; j < c->nptr; j++) {
			char ph[16];
			snprintf(ph, sizeof ph, "pnull:%d", j);
			run_phase(c, ph, p);
		}
	}
	return 0;
}
