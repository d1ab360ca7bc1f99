#!/usr/bin/env python3
"""check_models.py - consistency test of the built-in CPython models.

    check_models.py MODELS_DIR [--headers INCLUDE_DIR]

Fails (exit 1, one line per problem) when:
  - a line of cpython.model, python2-legacy.model or cpython-overrides.model is malformed
    (same grammar as gen_cpython_model.py: docs/model-format.md + docs/cpython-model.md);
  - cpython.model is stale: an override line does not appear in it verbatim (the overrides were
    edited without regenerating), or it lacks the generator's header;
  - a name is defined twice in a file, or python2-legacy.model redefines a cpython.model name;
  - one of the facts issue #4 names explicitly is wrong (the table FACTS below);
  - with --headers: a public object-returning function declared in those headers is not covered
    (scan_headers.py), e.g. /usr/include/python3.11.
Exit status: 0 ok, 1 problems found, 2 bad usage.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_cpython_model as gen  # noqa: E402

# name -> (return kind, attributes that must be present, attributes that must be absent)
FACTS = {
    "PyList_SetItem": ("int", {"steals=3", "neg-on-failure"}, set()),
    "PyTuple_SetItem": ("int", {"steals=3", "neg-on-failure"}, set()),
    "PyList_SET_ITEM": ("none", {"steals=3"}, {"neg-on-failure"}),
    "PyTuple_SET_ITEM": ("none", {"steals=3"}, {"neg-on-failure"}),
    "PyList_GET_ITEM": ("borrowed", set(), {"null-on-failure"}),
    "PyTuple_GET_ITEM": ("borrowed", set(), {"null-on-failure"}),
    "PyModule_AddObject": ("int", {"steals-on-success=3", "neg-on-failure"}, {"steals=3"}),
    "PyModule_AddObjectRef": ("int", {"neg-on-failure"}, {"steals=3", "steals-on-success=3"}),
    "PyModule_Add": ("int", {"steals=3"}, set()),
    "PyDict_GetItem": ("borrowed", {"null-on-failure"}, set()),
    "PyDict_GetItemRef": ("int", {"out-new=3", "neg-on-failure"}, set()),
    "PyList_GetItem": ("borrowed", {"null-on-failure"}, set()),
    "PyList_GetItemRef": ("new", {"null-on-failure"}, set()),
    "PyImport_AddModuleRef": ("new", {"null-on-failure"}, set()),
    "PyImport_AddModule": ("borrowed", {"null-on-failure"}, set()),
    "PyWeakref_GetRef": ("int", {"out-new=2"}, set()),
    "PyList_New": ("new", {"null-on-failure"}, set()),
    "PyList_Append": ("int", {"neg-on-failure"}, {"steals=2"}),
    "PyDict_SetItem": ("int", {"neg-on-failure"}, set()),
    "PyObject_SetAttrString": ("int", {"neg-on-failure"}, set()),
    "PyArg_ParseTuple": ("int", {"zero-on-failure", "format-parse=2"}, {"neg-on-failure"}),
    "PyArg_ParseTupleAndKeywords": ("int", {"zero-on-failure", "format-parse=3,5"}, set()),
    "_PyArg_ParseTuple_SizeT": ("int", {"zero-on-failure", "format-parse=2"}, set()),
    "Py_BuildValue": ("new", {"format-build=1", "null-on-failure"}, set()),
    "_Py_BuildValue_SizeT": ("new", {"format-build=1"}, set()),
    "Py_INCREF": ("none", {"acquires=1"}, set()),
    "Py_DECREF": ("none", {"releases=-1"}, set()),
    "Py_XINCREF": ("none", {"xacquires=1"}, set()),
    "Py_XDECREF": ("none", {"xreleases=1"}, set()),
    "_Py_INCREF": ("none", {"acquires=1"}, set()),
    "_Py_DECREF": ("none", {"releases=-1"}, set()),
    "_Py_XDECREF": ("none", {"xreleases=1"}, set()),
    "Py_IncRef": ("none", {"xacquires=1"}, set()),
    "Py_DecRef": ("none", {"xreleases=1"}, set()),
    "Py_CLEAR": ("none", {"clears=1"}, set()),
    "Py_SETREF": ("none", {"setref=1,2"}, set()),
    "Py_XSETREF": ("none", {"xsetref=1,2"}, set()),
    "Py_NewRef": ("new", {"returns-arg=1"}, set()),
    "Py_XNewRef": ("new", {"returns-arg=1"}, set()),
    "_Py_NewRef": ("new", {"returns-arg=1"}, set()),
    "Py_RETURN_NONE": ("new", {"return-stmt"}, set()),
    "Py_RETURN_TRUE": ("new", {"return-stmt"}, set()),
    "Py_RETURN_FALSE": ("new", {"return-stmt"}, set()),
    "Py_RETURN_NOTIMPLEMENTED": ("new", {"return-stmt"}, set()),
    "PyErr_Restore": ("none", {"steals=1,2,3"}, set()),
    "PyErr_Format": ("none", set(), set()),
    "PyErr_Occurred": ("borrowed", set(), set()),
    "PyDict_Next": ("none", {"out-borrowed=3,4"}, set()),
    "PyObject_GetAttrString": ("new", {"null-on-failure"}, set()),
    "PyLong_FromLong": ("new", {"null-on-failure"}, set()),
}
GLOBALS = ["Py_None", "Py_True", "Py_False", "Py_NotImplemented", "Py_Ellipsis",
           "_Py_NoneStruct", "_Py_TrueStruct", "_Py_FalseStruct", "_Py_NotImplementedStruct",
           "_Py_EllipsisObject"]
PY2_FACTS = {
    "PyString_FromString": ("new", {"null-on-failure"}),
    "PyString_ConcatAndDel": ("none", {"steals=2"}),
    "PyInt_FromLong": ("new", {"null-on-failure"}),
    "Py_InitModule4_64": ("borrowed", set()),
    "Py_InitModule3": ("borrowed", set()),
}


def load(path, problems):
    """{name: words} for functions and {name: words} for globals; reports malformed lines."""
    funcs, globs = {}, {}
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        problems.append("%s: cannot read: %s" % (path, e.strerror))
        return funcs, globs
    for n, raw in enumerate(lines, 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        where = "%s:%d" % (os.path.basename(path), n)
        if words[0] == "global":
            if len(words) < 3 or words[2] != "borrowed":
                problems.append("%s: bad global line" % where)
            elif words[1] in globs:
                problems.append("%s: global %s defined twice" % (where, words[1]))
            else:
                globs[words[1]] = words
            continue
        try:
            gen.check_line(words, where)
        except gen.InputError as e:
            problems.append(str(e))
            continue
        if words[0] in funcs:
            problems.append("%s: %s defined twice" % (where, words[0]))
        funcs[words[0]] = words
    return funcs, globs


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    models = argv[0]
    headers = []
    rest = argv[1:]
    while rest:
        if rest[0] == "--headers" and len(rest) > 1:
            headers.append(rest[1])
            rest = rest[2:]
        else:
            print("check_models: unexpected argument %r" % rest[0], file=sys.stderr)
            return 2
    problems = []
    cp_path = os.path.join(models, "cpython.model")
    ov_path = os.path.join(models, "cpython-overrides.model")
    py2_path = os.path.join(models, "python2-legacy.model")
    cp, cp_globs = load(cp_path, problems)
    ov, ov_globs = load(ov_path, problems)
    py2, _ = load(py2_path, problems)

    with open(cp_path, encoding="utf-8") as f:
        cp_text = f.read()
    if "GENERATED by analyzer/models/gen_cpython_model.py" not in cp_text:
        problems.append("cpython.model: generator header missing")
    for name, words in ov.items():
        if cp.get(name) != words:
            problems.append("cpython.model is stale: override %r reads %r there; regenerate "
                            "(README.md)" % (" ".join(words), " ".join(cp.get(name, ["(absent)"]))))
    for name in ov_globs:
        if name not in cp_globs:
            problems.append("cpython.model is stale: global %s missing" % name)
    for name in sorted(set(py2) & set(cp)):
        problems.append("python2-legacy.model redefines %s from cpython.model" % name)

    for name, (ret, need, forbid) in sorted(FACTS.items()):
        words = cp.get(name)
        if not words:
            problems.append("fact: %s missing from cpython.model" % name)
            continue
        attrs = set(words[2:])
        if words[1] != ret:
            problems.append("fact: %s returns %s, expected %s" % (name, words[1], ret))
        for a in sorted(need - attrs):
            problems.append("fact: %s lacks %s" % (name, a))
        for a in sorted(forbid & attrs):
            problems.append("fact: %s must not have %s" % (name, a))
    for g in GLOBALS:
        if g not in cp_globs:
            problems.append("fact: global %s missing" % g)
    for name, (ret, need) in sorted(PY2_FACTS.items()):
        words = py2.get(name)
        if not words or words[1] != ret or not need <= set(words[2:]):
            problems.append("fact: python2-legacy.model %s should be %s %s"
                            % (name, ret, " ".join(sorted(need))))

    for inc in headers:
        r = subprocess.run([sys.executable, os.path.join(HERE, "scan_headers.py"), cp_path, inc],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode == 2:
            problems.append("scan_headers %s: %s" % (inc, r.stderr.strip()))
        elif r.returncode != 0:
            for line in r.stdout.splitlines():
                problems.append("uncovered in %s: %s" % (inc, line))

    # cpython-nonnull.model (written by verify/verify_model.py --write-nonnull): each line adds
    # nonnull=N (or, for a clean failure, fails-on-null=N) to a function the CPython model knows,
    # and says how the interpreter refused NULL
    nn_path = os.path.join(models, "cpython-nonnull.model")
    with open(nn_path, encoding="utf-8") as f:
        for n, raw in enumerate(f.read().splitlines(), 1):
            body, _, why = raw.partition("#")
            words = body.split()
            if not words:
                continue
            where = "cpython-nonnull.model:%d" % n
            if len(words) != 3 or words[0] not in ("nonnull", "fails-on-null") or \
                    not re.fullmatch(r"[1-9]\d*(,[1-9]\d*)*", words[2]):
                problems.append("%s: expected 'nonnull NAME N[,M...]' or 'fails-on-null NAME N[,M...]'" % where)
            elif words[0] == "fails-on-null" and not re.search(r"fails", why):
                problems.append("%s: the comment does not say how the call failed" % where)
            elif words[1] not in cp:
                problems.append("%s: %s is not in cpython.model" % (where, words[1]))
            elif not re.search(r"crashes|fails", why):
                problems.append("%s: the comment does not say how CPython refused NULL" % where)
            else:
                ok_null = {a for w in cp[words[1]][2:] if w.startswith("accepts-null=")
                           for a in gen.parse_attr_list(w.split("=", 1)[1]) or ()}
                if ok_null & {int(a) for a in words[2].split(",")}:
                    problems.append("%s: %s accepts NULL there by its model line" % (where, words[1]))

    for p in problems:
        print(p)
    print("check_models: %d functions, %d globals, %d python2 names, %d facts: %s"
          % (len(cp), len(cp_globs), len(py2), len(FACTS), "FAIL" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
