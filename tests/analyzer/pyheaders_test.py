#!/usr/bin/env python3
"""Python headers (docs/analyzer.md, "Python headers"): what rccheck does with a file that includes
Python.h when no include path finds it. One scenario per run, each in its own temporary tree under
the current directory (meson runs tests in the build directory).

Usage: pyheaders_test.py SCENARIO RCCHECK
       pyheaders_test.py --list

Exit status: 0 passed, 1 failed, 77 skipped (the machine has no Python headers to discover).
Set RCCHECK_KEEP_TMP=1 to keep the temporary trees.
"""

import glob
import json
import os
import subprocess
import sys
import sysconfig
import tempfile

import testlib  # tests/analyzer/testlib.py, next to this script
from testlib import check, line_of

TIMEOUT = 120
SKIP = 77
DEGRADED = "analysed with rccheck's built-in CPython declarations"

RCCHECK = None


class Skipped(Exception):
    pass


# A module with one known leak (line LEAK_LINE), written against the C API only.
LEAKY = """#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *bad_leak(PyObject *self, PyObject *args)
{
	PyObject *v = PyLong_FromLong(1);
	(void)self;
	(void)args;
	if (!v)
		return NULL;
	return PyLong_FromLong(2); /*@leak*/
}

static PyMethodDef leaky_methods[] = {
	{"leak", bad_leak, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

void *leaky_table = leaky_methods;
"""

CLEAN = """#include <Python.h>

static PyObject *good_none(PyObject *self, PyObject *args)
{
	(void)self;
	(void)args;
	Py_RETURN_NONE;
}

static PyMethodDef clean_methods[] = {
	{"none", good_none, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

void *clean_table = clean_methods;
"""

# Includes Python.h and a project header nobody provides; the leak is still found.
PROJECT = """#include <Python.h>
#include "missing_project.h"

int uses_project_type(struct project_thing *t)
{
	return project_value(t) + PROJECT_CONSTANT;
}

static PyObject *bad_leak(long n)
{
	PyObject *list = PyList_New(n);
	PyObject *x = PyLong_FromLong(n);
	if (!list || !x)
		return NULL; /*@leak*/
	PyList_SET_ITEM(list, 0, x);
	return list;
}

void *project_fn = bad_leak;
"""

# A realistic extension module: the stand-in must declare all of it (0 parse errors), and the
# real headers must accept it too.
MODULE = """#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
	PyObject_HEAD
	PyObject *items;
	PyObject *weakreflist;
	double scale;
	Py_ssize_t count;
} BagObject;

static PyTypeObject Bag_Type;

static PyObject *bag_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
	BagObject *self = (BagObject *)type->tp_alloc(type, 0);
	(void)args;
	(void)kwds;
	if (!self)
		return NULL;
	self->items = PyList_New(0);
	if (!self->items) {
		Py_DECREF(self);
		return NULL;
	}
	return (PyObject *)self;
}

static int bag_traverse(BagObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->items);
	Py_VISIT(Py_TYPE(self));
	return 0;
}

static int bag_clear(BagObject *self)
{
	Py_CLEAR(self->items);
	return 0;
}

static void bag_dealloc(BagObject *self)
{
	PyObject_GC_UnTrack(self);
	if (self->weakreflist)
		PyObject_ClearWeakRefs((PyObject *)self);
	bag_clear(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *bag_add(BagObject *self, PyObject *item)
{
	if (PyList_Append(self->items, item) < 0)
		return NULL;
	self->count++;
	Py_RETURN_NONE;
}

static PyObject *bag_total(BagObject *self, PyObject *Py_UNUSED(ignored))
{
	double total = 0;
	Py_ssize_t n = PyList_GET_SIZE(self->items);
	for (Py_ssize_t i = 0; i < n; i++) {
		double d = PyFloat_AsDouble(PyList_GET_ITEM(self->items, i));
		if (d == -1.0 && PyErr_Occurred())
			return NULL;
		total += d;
	}
	Py_BEGIN_ALLOW_THREADS
	total *= self->scale;
	Py_END_ALLOW_THREADS
	return PyFloat_FromDouble(total);
}

static PyObject *bag_find(BagObject *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = {"key", "default", NULL};
	PyObject *key, *dflt = Py_None;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O", kwlist, &key, &dflt))
		return NULL;
	int r = PySequence_Contains(self->items, key);
	if (r < 0)
		return NULL;
	if (!r)
		return Py_NewRef(dflt);
	return PyErr_Format(PyExc_KeyError, "%R is there", key);
}

static PyObject *bag_get_count(BagObject *self, void *closure)
{
	(void)closure;
	return PyLong_FromSsize_t(self->count);
}

static int bag_set_scale(BagObject *self, PyObject *value, void *closure)
{
	(void)closure;
	if (!value) {
		PyErr_SetString(PyExc_TypeError, "cannot delete scale");
		return -1;
	}
	self->scale = PyFloat_AsDouble(value);
	return PyErr_Occurred() ? -1 : 0;
}

static PyObject *bag_richcompare(PyObject *a, PyObject *b, int op)
{
	if (!PyObject_TypeCheck(b, &Bag_Type))
		Py_RETURN_NOTIMPLEMENTED;
	Py_ssize_t x = ((BagObject *)a)->count, y = ((BagObject *)b)->count;
	Py_RETURN_RICHCOMPARE(x, y, op);
}

static PyMethodDef bag_methods[] = {
	{"add", (PyCFunction)bag_add, METH_O, PyDoc_STR("add an item")},
	{"total", (PyCFunction)bag_total, METH_NOARGS, NULL},
	{"find", (PyCFunction)(void (*)(void))bag_find, METH_VARARGS | METH_KEYWORDS, NULL},
	{NULL, NULL, 0, NULL},
};

static PyMemberDef bag_members[] = {
	{"items", T_OBJECT_EX, offsetof(BagObject, items), READONLY, NULL},
	{NULL, 0, 0, 0, NULL},
};

static PyGetSetDef bag_getset[] = {
	{"count", (getter)bag_get_count, NULL, NULL, NULL},
	{"scale", NULL, (setter)bag_set_scale, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject Bag_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "bag.Bag",
	.tp_basicsize = sizeof(BagObject),
	.tp_dealloc = (destructor)bag_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
	.tp_traverse = (traverseproc)bag_traverse,
	.tp_clear = (inquiry)bag_clear,
	.tp_richcompare = bag_richcompare,
	.tp_weaklistoffset = offsetof(BagObject, weakreflist),
	.tp_methods = bag_methods,
	.tp_members = bag_members,
	.tp_getset = bag_getset,
	.tp_new = bag_new,
};

static int bag_exec(PyObject *m)
{
	if (PyType_Ready(&Bag_Type) < 0)
		return -1;
	if (PyModule_AddObjectRef(m, "Bag", (PyObject *)&Bag_Type) < 0)
		return -1;
	return PyModule_AddIntConstant(m, "VERSION", 1);
}

static PyModuleDef_Slot bag_slots[] = {
	{Py_mod_exec, bag_exec},
	{0, NULL},
};

static struct PyModuleDef bag_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "bag",
	.m_size = 0,
	.m_slots = bag_slots,
};

PyMODINIT_FUNC PyInit_bag(void)
{
	return PyModuleDef_Init(&bag_module);
}
"""


def write(root, name, text):
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def run(args, cwd, env=None):
    proc = subprocess.run([RCCHECK] + args, cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def run_json(args, cwd, env=None):
    status, out, err = run(["--format=json"] + args, cwd, env)
    try:
        doc = json.loads(out)
    except json.JSONDecodeError:
        doc = None
    return status, doc, err


def degraded_notes(doc):
    return [n for n in (doc or {}).get("incomplete", []) if DEGRADED in n.get("message", "")]


def findings(doc):
    return sorted((f["id"], f["line"]) for f in (doc or {}).get("findings", []))


def real_include():
    """Python's include directory of this machine, as rccheck's discovery would find one."""
    for d in [sysconfig.get_paths().get("include", "")] + sorted(
            glob.glob("/usr/include/python3.*"), reverse=True):
        if d and os.path.isfile(os.path.join(d, "Python.h")):
            return d
    return None


def fake_bin(root, programs):
    """A directory holding shell scripts named after programs (name -> script body)."""
    d = os.path.join(root, "bin")
    os.makedirs(d, exist_ok=True)
    for name, body in programs.items():
        p = os.path.join(d, name)
        with open(p, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(p, 0o755)
    return d


# A Python.h that says it is the fake one: the case file then has a leak only when it was used.
FAKE_PYTHON_H = """typedef struct _object { long ob_refcnt; } PyObject;
PyObject *PyLong_FromLong(long v);
#define FAKE_PYTHON_H_%s 1
"""

WHICH = """#include <Python.h>
#ifdef FAKE_PYTHON_H_%s
int bad_leak(void)
{
	PyObject *v = PyLong_FromLong(1);
	return 0; /*@leak*/
}
#endif
"""


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------

def sc_discovered(tmp):
    """(1) No -I: the machine's headers are found; no notice; the leak is found; exit 1."""
    if not real_include():
        raise Skipped("no Python.h on this machine (python3-dev) to discover")
    write(tmp, "leaky.c", LEAKY)
    status, doc, err = run_json(["leaky.c"], tmp)
    check(status == 1, "a known leak with discovered headers: exit 1", f"status {status}\n{err}")
    check(doc is not None and not doc["errors"], "no input errors", doc and doc["errors"])
    check(findings(doc) == [("rc-leak", line_of(LEAKY, "leak"))], "the leak is reported",
          findings(doc))
    check(not degraded_notes(doc), "no degraded-analysis note with real headers",
          doc and doc.get("incomplete"))
    # the module parses without any error against the real headers (the stand-in scenario
    # relies on it being valid C for CPython)
    write(tmp, "module.c", MODULE)
    status, doc, err = run_json(["module.c"], tmp)
    check(status == 0 and doc is not None and not doc["errors"],
          "the extension module is clean with the real headers", f"status {status}\n{err}")


def sc_none(tmp):
    """(2) --python-include none: the stand-in; a note in text and JSON; findings; exit 1."""
    write(tmp, "leaky.c", LEAKY)
    leak = line_of(LEAKY, "leak")
    status, out, err = run(["--python-include", "none", "leaky.c"], tmp)
    check(status == 1, "a known leak with the stand-in: exit 1 (not 2)", f"status {status}\n{err}")
    check(f"leaky.c:{leak}:" in out and "[rc-leak]" in out, "the leak is reported (text)", out)
    notes = [l for l in out.split("\n") if DEGRADED in l]
    check(len(notes) == 1 and notes[0].startswith("leaky.c:2:10: note: Python.h not found "
                                                  "(--python-include none)"),
          "one degraded-analysis note at the #include, saying why", out)
    check("(0 parse errors ignored)" in out, "the stand-in declares all the file uses", out)
    check("error" not in err, "no error on stderr", err)
    status, doc, err = run_json(["--python-include", "none", "leaky.c"], tmp)
    check(status == 1 and doc is not None and findings(doc) == [("rc-leak", leak)],
          "JSON: the same finding, exit 1", f"status {status}\n{doc}\n{err}")
    notes = degraded_notes(doc)
    check(len(notes) == 1 and notes[0]["file"] == "leaky.c" and notes[0]["line"] == 2,
          "JSON: the note is in 'incomplete', on the #include line", doc and doc.get("incomplete"))
    check(doc is not None and not doc["errors"] and doc["summary"]["failed_files"] == 0,
          "JSON: no error, the file is not failed", doc and doc["summary"])
    # Python.h included by a header of the file: the note is at the file's #include of it
    write(tmp, "ext.h", "#include <Python.h>\n")
    write(tmp, "via.c", "/* through a header */\n#include \"ext.h\"\n" + LEAKY.split("\n", 2)[2])
    status, doc, err = run_json(["--python-include", "none", "via.c"], tmp)
    notes = degraded_notes(doc)
    check(status == 1 and len(notes) == 1 and (notes[0]["line"], notes[0]["column"]) == (2, 10),
          "Python.h from a header: the note is at the #include of that header (2:10)",
          f"status {status}\n{doc}\n{err}")
    # no place for the stand-in: an input error naming the reason, not a crash
    status, out, err = run(["--python-include", "none", "leaky.c"], tmp,
                           dict(os.environ, TMPDIR=os.path.join(tmp, "no", "such", "dir")))
    check(status == 2 and "rccheck: error: leaky.c: cannot write the built-in Python.h stand-in "
          "(a directory in " in err, "an unwritable TMPDIR: exit 2 with a clear message",
          f"status {status}\n{err}")
    # the note alone does not change the exit status
    write(tmp, "clean.c", CLEAN)
    status, doc, err = run_json(["--python-include", "none", "clean.c"], tmp)
    check(status == 0 and len(degraded_notes(doc)) == 1 and not findings(doc),
          "a clean file in degraded mode: exit 0, with the note", f"status {status}\n{doc}\n{err}")


def sc_bad_dir(tmp):
    """(3) --python-include DIR without Python.h: an input error for each file that needs it."""
    write(tmp, "leaky.c", LEAKY)
    write(tmp, "plain.c", "int plain(void) { return 0; }\n")
    status, out, err = run(["--python-include", "/nonexistent", "leaky.c", "plain.c"], tmp)
    check(status == 2, "exit 2", f"status {status}\n{err}")
    check("rccheck: error: leaky.c: --python-include /nonexistent: no readable Python.h in that "
          "directory" in err, "the error names the file and the directory", err)
    check("plain.c" not in err, "a file that does not include Python.h is not concerned", err)
    status, out, err = run(["--python-include", "/nonexistent", "plain.c"], tmp)
    check(status == 0, "without Python.h in the files the option is not used: exit 0",
          f"status {status}\n{err}")
    status, out, err = run(["--python-include", "", "plain.c"], tmp)
    check(status == 2 and "--python-include" in err, "an empty --python-include is a usage error",
          f"status {status}\n{err}")
    # a directory given explicitly wins over discovery
    inc = os.path.join(tmp, "inc")
    write(inc, "Python.h", FAKE_PYTHON_H % "GIVEN")
    write(tmp, "which.c", WHICH % "GIVEN")
    status, doc, err = run_json(["--python-include", inc, "which.c"], tmp)
    check(status == 1 and findings(doc) == [("rc-leak", line_of(WHICH, "leak"))]
          and not degraded_notes(doc), "--python-include DIR is used, without a note",
          f"status {status}\n{doc}\n{err}")


def sc_include_path(tmp):
    """(4) A -I that finds Python.h: no retry (--python-include is never consulted), no note."""
    inc = real_include()
    if not inc:
        raise Skipped("no Python.h on this machine (python3-dev)")
    write(tmp, "leaky.c", LEAKY)
    status, doc, err = run_json(["--python-include", "/nonexistent", "leaky.c", "--", "-I" + inc],
                                tmp)
    check(status == 1 and doc is not None and not doc["errors"],
          "Python.h found through -I: the bad --python-include is never used", f"status {status}\n{err}")
    check(findings(doc) == [("rc-leak", line_of(LEAKY, "leak"))] and not degraded_notes(doc),
          "the leak, and no note", doc)


def sc_missing_project_header(tmp):
    """(5) Python.h and a missing project header: analysed in degraded mode, errors counted."""
    write(tmp, "project.c", PROJECT)
    status, doc, err = run_json(["--python-include", "none", "project.c"], tmp)
    check(status == 1, "exit 1 (findings), not 2", f"status {status}\n{err}")
    check(findings(doc) == [("rc-leak", line_of(PROJECT, "leak"))] * 2,
          "the leaks (list and x) are still found",
          doc and doc["findings"])
    notes = degraded_notes(doc)
    check(len(notes) == 1 and "(0 parse errors" not in notes[0]["message"]
          and "parse error" in notes[0]["message"], "the note counts the ignored parse errors",
          notes)
    check(doc is not None and not doc["errors"], "no input error", doc and doc["errors"])
    # with real headers (discovered) a missing project header stays an input error, as for any
    # file: the degraded mode is only for the stand-in
    if real_include():
        status, doc, err = run_json(["project.c"], tmp)
        check(status == 2 and "missing_project.h" in err,
              "with real Python headers the missing header is an input error (exit 2)",
              f"status {status}\n{err}")


def sc_stand_in_coverage(tmp):
    """The stand-in declares what a realistic extension module uses (0 parse errors), and the
    analysis of it is as clean as with the real headers."""
    write(tmp, "module.c", MODULE)
    status, doc, err = run_json(["--python-include", "none", "module.c"], tmp)
    notes = degraded_notes(doc)
    check(len(notes) == 1 and "(0 parse errors ignored)" in notes[0]["message"],
          "the module parses with the stand-in without any error", notes)
    check(status == 0 and not findings(doc), "no finding, exit 0", f"status {status}\n{doc}")


def sc_discovery_order(tmp):
    """python3-config first, then python3's sysconfig, then probing; each only when the one
    before finds no Python.h; missing programs print nothing; discovery runs once per process."""
    cfg_dir = os.path.join(tmp, "from-config")
    sys_dir = os.path.join(tmp, "from-sysconfig")
    write(cfg_dir, "Python.h", FAKE_PYTHON_H % "CONFIG")
    write(sys_dir, "Python.h", FAKE_PYTHON_H % "SYSCONFIG")
    log = os.path.join(tmp, "calls.log")
    for i in range(4):
        write(tmp, f"a{i}.c", WHICH % "CONFIG")
    files = [f"a{i}.c" for i in range(4)]
    leak = line_of(WHICH, "leak")

    # python3-config answers (among other -I flags): its directory is used, once for 4 files
    bin_dir = fake_bin(os.path.join(tmp, "b1"), {
        "python3-config": f'echo "$@" >> {log}; echo "-I{tmp}/nowhere -I{cfg_dir} -I{sys_dir}"',
        "python3": f"echo {sys_dir}"})
    env = dict(os.environ, PATH=bin_dir)
    status, doc, err = run_json(["-j", "2"] + files, tmp, env)
    check(status == 1 and findings(doc) == [("rc-leak", leak)] * 4 and not degraded_notes(doc),
          "python3-config's first -I with a Python.h is used", f"status {status}\n{doc}\n{err}")
    with open(log, encoding="utf-8") as f:
        calls = f.read().split("\n")
    check(calls == ["--includes", ""], "python3-config ran once (4 files, 2 jobs)", calls)

    # python3-config without a usable directory: python3's sysconfig path
    write(tmp, "b.c", WHICH % "SYSCONFIG")
    bin_dir = fake_bin(os.path.join(tmp, "b2"), {
        "python3-config": f"echo -I{tmp}/nowhere; echo oops >&2; exit 1",
        "python3": f"echo {sys_dir}"})
    status, doc, err = run_json(["b.c"], tmp, dict(os.environ, PATH=bin_dir))
    check(status == 1 and findings(doc) == [("rc-leak", leak)], "then sysconfig's include path",
          f"status {status}\n{doc}\n{err}")
    check("oops" not in err, "the commands' stderr is not shown", err)

    # neither program: probing /usr/include, else the stand-in; nothing on stderr either way
    write(tmp, "c.c", CLEAN)
    empty = fake_bin(os.path.join(tmp, "b3"), {})
    status, doc, err = run_json(["c.c"], tmp, dict(os.environ, PATH=empty))
    probed = sorted(glob.glob("/usr/include/python3.*/Python.h") +
                    glob.glob("/usr/local/include/python3.*/Python.h"))
    check(status == 0 and doc is not None and not doc["errors"], "no program: still analysed",
          f"status {status}\n{err}")
    check(bool(degraded_notes(doc)) != bool(probed),
          "probed headers when /usr/include has some, else the stand-in with its note",
          f"probed {probed}\n{doc}")
    check(err.strip() == "" or "not found" not in err, "a missing program prints nothing", err)


RUN_CASE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_case.py")

# Expectations for one run only: [headers] with Python's headers, [stand-in] without.
MODES_CASE = """// compile-args-pkg: python3
#include <Python.h>

int bad_both(void)
{
	PyObject *v = PyLong_FromLong(1);
	return 0; // expect-warning{{rc-leak}}
}

int bad_split(void)
{
	PyObject *v = PyLong_FromLong(1);
	if (!v)
		return -1; // expect-warning[stand-in]{{rc-leak}}
	return 0; // expect-warning[headers]{{rc-leak}}
}
"""

# Uses what the stand-in does not declare (a member of an opaque type): the run without
# headers must fail, saying so.
LACKING_CASE = """// compile-args-pkg: python3
// expect-no-diagnostics
#include <Python.h>

int good_flags(PyCodeObject *code)
{
	return code->co_flags;
}
"""


def run_runner(args, cwd):
    proc = subprocess.run([sys.executable, RUN_CASE] + args, cwd=cwd, capture_output=True,
                          text=True, timeout=TIMEOUT)
    return proc.returncode, proc.stdout + proc.stderr


def sc_runner_modes(tmp):
    """run_case.py --python-headers=none: [headers]/[stand-in] expectations are kept or left
    out per run, the python3 package adds no flags, and a stand-in lacking what the case
    uses is a failure."""
    sys.path.insert(0, os.path.dirname(RUN_CASE))
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import run_case  # noqa: E402 (the runner's own parser)
    case = write(tmp, "modes.c", MODES_CASE)
    try:
        with_h = run_case.parse_case(case, standin=False)
    except run_case.CaseSkipped:
        raise Skipped("pkg-config python3 is not available")
    without = run_case.parse_case(case, standin=True)
    lines = MODES_CASE.split("\n")
    both = 1 + next(i for i, l in enumerate(lines) if "{{rc-leak}}" in l and "[" not in l)
    first = 1 + next(i for i, l in enumerate(lines) if "[stand-in]" in l)
    second = 1 + next(i for i, l in enumerate(lines) if "[headers]" in l)
    check(sorted(with_h[0]) == [("rc-leak", both), ("rc-leak", second)],
          "with headers: the plain and the [headers] expectations", with_h[0])
    check(sorted(without[0]) == [("rc-leak", both), ("rc-leak", first)],
          "without headers: the plain and the [stand-in] expectations", without[0])
    check(any(a.startswith("-I") for a in with_h[3]) and not without[3],
          "compile-args-pkg: python3 adds -I only with headers", (with_h[3], without[3]))

    lacking = write(tmp, "lacking.c", LACKING_CASE)
    status, out = run_runner([RCCHECK, tmp, lacking], tmp)
    check(status == 0, "a case valid against the real headers passes with them", out)
    status, out = run_runner(["--python-headers=none", RCCHECK, tmp, lacking], tmp)
    check(status == 1 and "stand-in lacks something this case uses" in out,
          "the same case fails without headers: the stand-in lacks a declaration", out)
    status, out = run_runner(["--python-headers=none", RCCHECK, tmp, case], tmp)
    check(status == 1 and "missing rc-leak" in out,
          "modes.c itself: the stand-in run reports what it really finds (the [stand-in] "
          "expectation is deliberately wrong)", out)


SCENARIOS = {
    "discovered": sc_discovered,
    "none": sc_none,
    "bad-dir": sc_bad_dir,
    "include-path": sc_include_path,
    "missing-project-header": sc_missing_project_header,
    "stand-in-coverage": sc_stand_in_coverage,
    "discovery-order": sc_discovery_order,
    "runner-modes": sc_runner_modes,
}


def main(argv):
    global RCCHECK
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(SCENARIOS))
        return 0
    if len(argv) != 3 or argv[1] not in SCENARIOS:
        print(__doc__, file=sys.stderr)
        return 2
    RCCHECK = os.path.abspath(argv[2])
    tmp = tempfile.mkdtemp(prefix=f"pyheaders-{argv[1]}-", dir=os.getcwd())
    try:
        SCENARIOS[argv[1]](tmp)
    except Skipped as e:
        print(f"{argv[1]}: skipped: {e}")
        return SKIP
    finally:
        testlib.cleanup(tmp)
    return testlib.verdict(argv[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
