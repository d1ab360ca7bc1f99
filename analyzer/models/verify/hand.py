"""hand.py - hand-written cases of the model verifier: calls the generic recipes cannot make.

Each entry: objs (Python expressions for the object slots a[0..]), body (C statements calling
the function; store a pointer result in r->p, an int one in r->i, outputs in r->out[j]),
robj/rint (the result kind), objpos/outpos (C parameter position -> slot, for the model's
argument numbers; by default object k is parameter k+1), nparams (for negative positions).
"""

CASES = {
    "PyDict_Next": {
        "objs": ["{'a': [1]}"],
        "body": "Py_ssize_t pos = 0; r->i = PyDict_Next(a[0], &pos, &r->out[0], &r->out[1]);",
        "rint": True, "objpos": {1: 0}, "outpos": {3: 0, 4: 1}, "nparams": 4,
    },
}

# The SET_ITEM macros store into a fresh container's empty slot (overwriting a filled one leaks
# the old item, as documented); the container is released inside the body, its items with it.
CASES.update({
    "PyList_SET_ITEM": {
        "objs": ["[3]"], "objpos": {3: 0}, "nparams": 3,
        "body": "int nm = nomem_on; nomem_on = 0; PyObject *l = PyList_New(1); nomem_on = nm; PyList_SET_ITEM(l, 0, a[0]); Py_DECREF(l);",
    },
    "PyTuple_SET_ITEM": {
        "objs": ["[3]"], "objpos": {3: 0}, "nparams": 3,
        "body": "int nm = nomem_on; nomem_on = 0; PyObject *t = PyTuple_New(1); nomem_on = nm; PyTuple_SET_ITEM(t, 0, a[0]); Py_DECREF(t);",
    },
    "PyStructSequence_SetItem": {
        "objs": ["type(sys.flags)", "[3]"], "objpos": {3: 1}, "nparams": 3,
        "body": "int nm = nomem_on; nomem_on = 0; PyObject *s = PyStructSequence_New((PyTypeObject *)a[0]); nomem_on = nm; "
                "PyStructSequence_SetItem(s, 0, a[1]); Py_DECREF(s);",
    },
    "_PyObject_New": {
        "objs": [], "robj": True, "nparams": 1,
        "body": "r->p = _PyObject_New(&PyBaseObject_Type);",
    },
    "PyInstanceMethod_Function": {
        "objs": ["(lambda s: 1)"], "robj": True,
        "body": "int nm = nomem_on; nomem_on = 0; PyObject *im = PyInstanceMethod_New(a[0]); nomem_on = nm; "
                "r->p = PyInstanceMethod_Function(im); Py_DECREF(im);",
    },
})


def _ret(name, macro):
    """A case for a Py_RETURN_* macro: a helper function whose body is the macro."""
    return {"objs": [], "robj": True, "nparams": 0,
            "helper": "static PyObject *ret_%s(void) { %s; }" % (name, macro),
            "body": "r->p = ret_%s();" % name}


CASES.update({
    # the 'N' unit takes its argument over, 'O' does not (extra: what the format says)
    "Py_BuildValue": {
        "objs": ["[1]", "[2]"], "robj": True, "objpos": {2: 0, 3: 1}, "nparams": 3,
        "extra": {"steals": [2]},
        "body": 'r->p = Py_BuildValue("(NO)", a[0], a[1]);',
    },
    "_Py_BuildValue_SizeT": {
        "objs": ["[1]", "[2]"], "robj": True, "objpos": {2: 0, 3: 1}, "nparams": 3,
        "extra": {"steals": [2]},
        "body": 'r->p = _Py_BuildValue_SizeT("(NOn)", a[0], a[1], (Py_ssize_t)3);',
    },
    "PyObject_CallFunction": {
        "objs": ["C()", "[1]", "[2]"], "robj": True, "objpos": {1: 0, 3: 1, 4: 2}, "nparams": 4,
        "extra": {"steals": [3]},
        "body": 'r->p = PyObject_CallFunction(a[0], "NO", a[1], a[2]);',
    },
    "_PyObject_CallFunction_SizeT": {
        "objs": ["C()", "[1]"], "robj": True, "objpos": {1: 0, 3: 1}, "nparams": 3,
        "body": 'r->p = _PyObject_CallFunction_SizeT(a[0], "On", a[1], (Py_ssize_t)2);',
    },
    "PyObject_CallMethod": {
        "objs": ["C()", "[1]"], "robj": True, "objpos": {1: 0, 4: 1}, "nparams": 4,
        "body": 'r->p = PyObject_CallMethod(a[0], "m", "O", a[1]);',
    },
    "_PyObject_CallMethod_SizeT": {
        "objs": ["C()", "[1]"], "robj": True, "objpos": {1: 0, 4: 1}, "nparams": 4,
        "body": 'r->p = _PyObject_CallMethod_SizeT(a[0], "m", "O", a[1]);',
    },
    "PyObject_CallFunctionObjArgs": {
        "objs": ["C()", "[1]", "[2]"], "robj": True,
        "body": "r->p = PyObject_CallFunctionObjArgs(a[0], a[1], a[2], NULL);",
    },
    "PyObject_CallMethodObjArgs": {
        "objs": ["C()", "'m'", "[1]"], "robj": True,
        "body": "r->p = PyObject_CallMethodObjArgs(a[0], a[1], a[2], NULL);",
    },
    "PyTuple_Pack": {
        "objs": ["[1]", "[2]"], "robj": True, "objpos": {2: 0, 3: 1}, "nparams": 3,
        "body": "r->p = PyTuple_Pack(2, a[0], a[1]);",
    },
    "PyUnicode_FromFormat": {
        "objs": ["[1]", "'s' + str(1)"], "robj": True, "objpos": {2: 0, 3: 1}, "nparams": 3,
        "body": 'r->p = PyUnicode_FromFormat("%R %U %d", a[0], a[1], 5);',
    },
    "PyBytes_FromFormat": {
        "objs": [], "robj": True, "nparams": 2,
        "body": 'r->p = PyBytes_FromFormat("%s %d", "ab", 5);',
    },
    "PyErr_Format": {
        "objs": ["E", "[1]"], "robj": True, "objpos": {1: 0, 3: 1}, "nparams": 3,
        "body": 'r->p = PyErr_Format(a[0], "%R", a[1]);',
    },
    "PyErr_WarnFormat": {
        "objs": ["None"], "rint": True, "objpos": {1: 0}, "nparams": 4,
        "body": 'r->i = PyErr_WarnFormat(PyExc_DeprecationWarning, 1, "%s", "w"); (void)a;',
    },
    # outputs of 'O' are borrowed from the tuple
    "PyArg_ParseTuple": {
        "objs": ["tuple([[1], 'x' + str(2)])"], "rint": True, "objpos": {1: 0}, "outpos": {3: 0, 4: 1},
        "nparams": 4, "bad": ["tuple([1])"],
        "body": 'r->i = PyArg_ParseTuple(a[0], "OU", &r->out[0], &r->out[1]);',
    },
    "PyArg_ParseTupleAndKeywords": {
        "objs": ["tuple([[1]])", "{'b': [2]}"], "rint": True, "objpos": {1: 0, 2: 1},
        "outpos": {5: 0, 6: 1}, "nparams": 6, "bad": ["tuple()", None],
        "body": 'static char *kw[] = {"a", "b", NULL}; '
                'r->i = PyArg_ParseTupleAndKeywords(a[0], a[1], "O|O", kw, &r->out[0], &r->out[1]);',
    },
    "PyArg_Parse": {
        "objs": ["[1]"], "rint": True, "objpos": {1: 0}, "outpos": {3: 0}, "nparams": 3,
        "body": 'r->i = PyArg_Parse(a[0], "O", &r->out[0]);',
    },
    "PyArg_UnpackTuple": {
        "objs": ["tuple([[1], [2]])"], "rint": True, "objpos": {1: 0}, "outpos": {5: 0, 6: 1},
        "nparams": 6, "bad": ["tuple([1, 2, 3])"],
        "body": 'r->i = PyArg_UnpackTuple(a[0], "f", 2, 2, &r->out[0], &r->out[1]);',
    },
    # macros whose arguments are lvalues
    "Py_CLEAR": {
        "objs": ["[1]"], "nparams": 1,
        "body": "PyObject *x = a[0]; Py_CLEAR(x); r->p = x;",
    },
    "Py_SETREF": {
        "objs": ["[1]", "[2]"], "outpos": {}, "nparams": 2,
        "extra": {"releases": [1], "steals": [2]},
        "body": "PyObject *d = a[0]; Py_SETREF(d, a[1]); Py_DECREF(d);",
    },
    "Py_XSETREF": {
        "objs": ["[1]", "[2]"], "nparams": 2,
        "extra": {"releases": [1], "steals": [2]},
        "body": "PyObject *d = a[0]; Py_XSETREF(d, a[1]); Py_XDECREF(d);",
    },
    "PyCell_SET": {
        "objs": ["types.CellType()", "[2]"], "nparams": 2,
        "body": "PyCell_SET(a[0], a[1]);",
    },
    "PyStructSequence_SET_ITEM": {
        "objs": ["type(sys.flags)", "[3]"], "objpos": {3: 1}, "nparams": 3,
        "body": "int nm = nomem_on; nomem_on = 0; PyObject *s = PyStructSequence_New((PyTypeObject *)a[0]); "
                "nomem_on = nm; PyStructSequence_SET_ITEM(s, 0, a[1]); Py_DECREF(s);",
    },
    "Py_RETURN_NONE": _ret("none", "Py_RETURN_NONE"),
    "Py_RETURN_TRUE": _ret("true", "Py_RETURN_TRUE"),
    "Py_RETURN_FALSE": _ret("false", "Py_RETURN_FALSE"),
    "Py_RETURN_NOTIMPLEMENTED": _ret("notimpl", "Py_RETURN_NOTIMPLEMENTED"),
    "Py_RETURN_NAN": _ret("nan", "Py_RETURN_NAN"),
    "Py_RETURN_INF": _ret("inf", "Py_RETURN_INF(1)"),
    "Py_RETURN_RICHCOMPARE": _ret("rich", "Py_RETURN_RICHCOMPARE(1, 2, Py_LT)"),
    "PyModule_AddIntMacro": {
        "objs": ["mkmod()"], "rint": True, "nparams": 2,
        "helper": "#define MV_CONST 5",
        "body": "r->i = PyModule_AddIntMacro(a[0], MV_CONST);",
    },
    "PyModule_AddStringMacro": {
        "objs": ["mkmod()"], "rint": True, "nparams": 2,
        "helper": '#define MV_STR "s"',
        "body": "r->i = PyModule_AddStringMacro(a[0], MV_STR);",
    },
})

# datetime: the C API is a capsule the macros read (PyDateTime_IMPORT)
_DT = "if (!PyDateTimeAPI) { int nm = nomem_on; nomem_on = 0; PyDateTime_IMPORT; nomem_on = nm; } "
for _name, _call in [
        ("PyDate_FromDate", "PyDate_FromDate(2020, 1, 2)"),
        ("PyDateTime_FromDateAndTime", "PyDateTime_FromDateAndTime(2020, 1, 2, 3, 4, 5, 6)"),
        ("PyDateTime_FromDateAndTimeAndFold", "PyDateTime_FromDateAndTimeAndFold(2020, 1, 2, 3, 4, 5, 6, 1)"),
        ("PyTime_FromTime", "PyTime_FromTime(3, 4, 5, 6)"),
        ("PyTime_FromTimeAndFold", "PyTime_FromTimeAndFold(3, 4, 5, 6, 1)"),
        ("PyDelta_FromDSU", "PyDelta_FromDSU(1, 2, 3)")]:
    CASES[_name] = {"objs": [], "robj": True, "body": _DT + "r->p = %s;" % _call}
for _name, _objs, _call in [
        ("PyDate_FromTimestamp", ["tuple([1000000])"], "PyDate_FromTimestamp(a[0])"),
        ("PyDateTime_FromTimestamp", ["tuple([1000000])"], "PyDateTime_FromTimestamp(a[0])"),
        ("PyTimeZone_FromOffset", ["__import__('datetime').timedelta(hours=1)"], "PyTimeZone_FromOffset(a[0])"),
        ("PyTimeZone_FromOffsetAndName", ["__import__('datetime').timedelta(hours=1)", "'z' + str(1)"],
         "PyTimeZone_FromOffsetAndName(a[0], a[1])")]:
    CASES[_name] = {"objs": _objs, "robj": True, "body": _DT + "r->p = %s;" % _call}
for _name, _obj in [("PyDate_Check", "__import__('datetime').date(2020, 1, 2)"),
                    ("PyDate_CheckExact", "__import__('datetime').date(2020, 1, 2)"),
                    ("PyDateTime_Check", "__import__('datetime').datetime(2020, 1, 2)"),
                    ("PyDateTime_CheckExact", "__import__('datetime').datetime(2020, 1, 2)"),
                    ("PyTime_Check", "__import__('datetime').time(1)"),
                    ("PyTime_CheckExact", "__import__('datetime').time(1)"),
                    ("PyDelta_Check", "__import__('datetime').timedelta(1)"),
                    ("PyDelta_CheckExact", "__import__('datetime').timedelta(1)")]:
    CASES[_name] = {"objs": [_obj], "rint": True, "body": _DT + "r->i = %s(a[0]);" % _name}

# Three-way lookup (3.7-3.12, the model of the 3.13 PyObject_GetOptionalAttr): the call finds
# the property 'p' (1: a new list each time), the wrong-typed arguments look up a missing name
# (0), failing allocations make the property raise MemoryError (-1).
CASES["_PyObject_LookupAttr"] = {
    "objs": ["C(a=[1], x=[2])", "'p'"], "bad": [None, "'missing' + str(1)"], "rint": True,
    "outpos": {3: 0}, "nparams": 3,
    "body": "r->i = _PyObject_LookupAttr(a[0], a[1], &r->out[0]);",
}

# In/out references (PyObject **): the reference in the variable moves into the call, and the
# variable holds the caller's reference afterwards (a new one, or NULL); extra= says so for the
# lines whose model says it without clears (the engine reads an unchanged variable the same).
def _inout(call, objs, objpos, outpos, nparams, extra=None, rint=False, bad=None):
    e = {"objs": objs, "objpos": objpos, "outpos": outpos, "nparams": nparams, "body": call,
         "rint": rint}
    if extra:
        e["extra"] = extra
    if bad:
        e["bad"] = bad
    return e


CASES.update({
    "PyUnicode_Append": _inout("PyObject *l = a[0]; PyUnicode_Append(&l, a[1]); r->out[0] = l;",
                               ["'abc' + str(12345)", "'xy' + str(9)"], {1: 0, 2: 1}, {1: 0}, 2,
                               bad=[None, "b'x'"]),
    "PyUnicode_AppendAndDel": _inout("PyObject *l = a[0]; PyUnicode_AppendAndDel(&l, a[1]); r->out[0] = l;",
                                     ["'abc' + str(12345)", "'xy' + str(9)"], {1: 0, 2: 1}, {1: 0}, 2,
                                     bad=[None, "b'x'"]),
    "PyBytes_Concat": _inout("PyObject *l = a[0]; PyBytes_Concat(&l, a[1]); r->out[0] = l;",
                             ["b'abc' + bytes(3)", "b'xy' + bytes(1)"], {1: 0, 2: 1}, {1: 0}, 2,
                             bad=[None, "'x'"]),
    "PyBytes_ConcatAndDel": _inout("PyObject *l = a[0]; PyBytes_ConcatAndDel(&l, a[1]); r->out[0] = l;",
                                   ["b'abc' + bytes(3)", "b'xy' + bytes(1)"], {1: 0, 2: 1}, {1: 0}, 2,
                                   bad=[None, "'x'"]),
    "_PyBytes_Resize": _inout("PyObject *l = a[0]; r->i = _PyBytes_Resize(&l, 40); r->out[0] = l;",
                              ["b'abc' + bytes(3)"], {1: 0}, {1: 0}, 2, rint=True),
    "_PyTuple_Resize": _inout("PyObject *l = a[0]; r->i = _PyTuple_Resize(&l, 40); r->out[0] = l;",
                              ["tuple([1, [2]])"], {1: 0}, {1: 0}, 2, rint=True),
    # on failure *unicode is unchanged (still the caller's): the reference moves in and out
    "PyUnicode_Resize": _inout("PyObject *l = a[0]; r->i = PyUnicode_Resize(&l, 40); r->out[0] = l;",
                               ["'abc' + str(12345)"], {1: 0}, {1: 0}, 2,
                               extra={"releases": [1], "out-new": [1]}, rint=True),
    "PyUnicode_InternInPlace": _inout("PyObject *l = a[0]; PyUnicode_InternInPlace(&l); r->out[0] = l;",
                                      ["'mv_intern_' + str(12345)"], {1: 0}, {1: 0}, 1,
                                      extra={"releases": [1], "out-new": [1]}),
    "PyErr_NormalizeException": _inout(
        "PyObject *t = a[0], *v = a[1], *tb = NULL; PyErr_NormalizeException(&t, &v, &tb); "
        "r->out[0] = t; r->out[1] = v; r->out[2] = tb;",
        ["E", "'msg'"], {1: 0, 2: 1}, {1: 0, 2: 1, 3: 2}, 3,
        extra={"releases": [1, 2], "out-new": [1, 2, 3]}),
    "PyContextVar_Reset": {
        "objs": ["contextvars.ContextVar('v')", "[1]"], "rint": True, "nparams": 2,
        "body": "int nm = nomem_on; nomem_on = 0; PyObject *tok = PyContextVar_Set(a[0], a[1]); "
                "nomem_on = nm; if (!tok) return; "
                "r->i = PyContextVar_Reset(a[0], tok); Py_DECREF(tok);",
    },
    "PyContext_Exit": {
        "objs": ["contextvars.copy_context()"], "rint": True, "nparams": 1,
        "body": "int nm = nomem_on; nomem_on = 0; int e = PyContext_Enter(a[0]); nomem_on = nm; "
                "if (e < 0) return; r->i = PyContext_Exit(a[0]);",
    },
})

# The O& converters of CPython: *result (a void * parameter) receives a new reference on success;
# the result is Py_CLEANUP_SUPPORTED (non-zero) on success and 0 on failure.
CASES.update({
    "PyUnicode_FSConverter": {
        "objs": ["'/tmp/mv' + str(1)"], "bad": ["1"], "rint": True, "outpos": {2: 0}, "nparams": 2,
        "body": "r->i = PyUnicode_FSConverter(a[0], &r->out[0]);",
    },
    "PyUnicode_FSDecoder": {
        "objs": ["b'/tmp/mv' + b'1'"], "bad": ["1"], "rint": True, "outpos": {2: 0}, "nparams": 2,
        "body": "r->i = PyUnicode_FSDecoder(a[0], &r->out[0]);",
    },
})

# Vectorcall: arguments in a C array (the slot before them free for PY_VECTORCALL_ARGUMENTS_OFFSET)
CASES.update({
    "PyObject_Vectorcall": {
        "objs": ["C()", "[1]"], "robj": True, "objpos": {1: 0}, "nparams": 4,
        "body": "PyObject *v[2] = {NULL, a[1]}; "
                "r->p = PyObject_Vectorcall(a[0], v + 1, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);",
    },
    "PyObject_VectorcallDict": {
        "objs": ["C()", "[1]", "{'k': [2]}"], "robj": True, "objpos": {1: 0, 4: 2}, "nparams": 4,
        "body": "PyObject *v[1] = {a[1]}; r->p = PyObject_VectorcallDict(a[0], v, 1, a[2]);",
    },
    "PyObject_VectorcallMethod": {
        "objs": ["'m'", "C()", "[1]"], "robj": True, "objpos": {1: 0}, "nparams": 4,
        "body": "PyObject *v[2] = {a[1], a[2]}; r->p = PyObject_VectorcallMethod(a[0], v, 2, NULL);",
    },
    "PyVectorcall_Call": {
        "objs": ["len", "tuple([[1, 2]])", "{}"], "robj": True,
        "body": "r->p = PyVectorcall_Call(a[0], a[1], a[2]);",
    },
    "PyCFunction_Call": {
        "objs": ["len", "tuple([[1, 2]])", "{}"], "robj": True,
        "body": "r->p = PyCFunction_Call(a[0], a[1], NULL);",
    },
    "PyStructSequence_InitType2": {
        "objs": [], "rint": True, "nparams": 2,
        "body": "memset(&mv_sstype, 0, sizeof mv_sstype); r->i = PyStructSequence_InitType2(&mv_sstype, &mv_desc);",
    },
})
# these add to the exception that is set: set one first
for _name, _call in [("PyErr_SyntaxLocation", 'PyErr_SyntaxLocation("f.py", 1)'),
                     ("PyErr_SyntaxLocationEx", 'PyErr_SyntaxLocationEx("f.py", 1, 2)'),
                     ("PyErr_SyntaxLocationObject", "PyErr_SyntaxLocationObject(a[0], 1, 2)")]:
    CASES[_name] = {"objs": ["'f.py'"] if "Object" in _name else [], "nparams": 3,
                    "body": 'int nm = nomem_on; nomem_on = 0; PyErr_SetString(PyExc_SyntaxError, "x"); '
                            'nomem_on = nm; %s;' % _call}

CASES.update({
    "PySys_WriteStdout": {"objs": [], "nparams": 2, "body": 'PySys_WriteStdout("%s", "");'},
    "PySys_WriteStderr": {"objs": [], "nparams": 2, "body": 'PySys_WriteStderr("%s", "");'},
    "PySys_FormatStdout": {"objs": ["''"], "objpos": {2: 0}, "nparams": 2,
                           "body": 'PySys_FormatStdout("%S", a[0]);'},
    "PySys_FormatStderr": {"objs": ["''"], "objpos": {2: 0}, "nparams": 2,
                           "body": 'PySys_FormatStderr("%S", a[0]);'},
    "PyErr_ResourceWarning": {"objs": ["None"], "rint": True, "objpos": {1: 0}, "nparams": 4,
                              "body": 'r->i = PyErr_ResourceWarning(a[0], 1, "%s", "w");'},
    "PyEval_CallFunction": {"objs": ["C()", "[1]"], "robj": True, "objpos": {1: 0, 3: 1}, "nparams": 3,
                            "body": 'r->p = PyEval_CallFunction(a[0], "(O)", a[1]);'},
    "PyEval_CallMethod": {"objs": ["C()", "[1]"], "robj": True, "objpos": {1: 0, 4: 1}, "nparams": 4,
                          "body": 'r->p = PyEval_CallMethod(a[0], "m", "(O)", a[1]);'},
})

# Buffers: the exporter's reference in view.obj is released by PyBuffer_Release.
_GETBUF = ("Py_buffer view; r->i = PyObject_GetBuffer(a[0], &view, PyBUF_SIMPLE); "
           "if (r->i == 0) PyBuffer_Release(&view);")
CASES.update({
    "PyObject_GetBuffer": {"objs": ["b'abc' + bytes(2)"], "bad": ["[1]"], "rint": True, "nparams": 3,
                           "body": _GETBUF},
    "PyBuffer_Release": {"objs": ["b'abc' + bytes(2)"], "rint": True, "nparams": 1, "objpos": {},
                         "body": _GETBUF},
    "PyBuffer_FillInfo": {"objs": ["b'abc' + bytes(2)"], "rint": True, "objpos": {2: 0}, "nparams": 6,
                          "body": "Py_buffer view; r->i = PyBuffer_FillInfo(&view, a[0], (void *)&mv_word, "
                                  "sizeof mv_word, 1, PyBUF_SIMPLE); if (r->i == 0) PyBuffer_Release(&view);"},
    "PyBuffer_IsContiguous": {"objs": ["b'abc' + bytes(2)"], "rint": True, "objpos": {}, "nparams": 2,
                              "body": "Py_buffer view; if (PyObject_GetBuffer(a[0], &view, PyBUF_SIMPLE) < 0) return; "
                                      "r->i = PyBuffer_IsContiguous(&view, 'C'); PyBuffer_Release(&view);"},
    "PyModule_Create": {"objs": [], "robj": True, "nparams": 1,
                        "body": "r->p = PyModule_Create(&mv_moddef);"},
    # allocation: new objects of heap types whose tp_dealloc frees them (PyObject_GC_Del,
    # PyObject_Del) and releases the type, as documented
    "PyObject_New": {"objs": ["NGT"], "robj": True, "objpos": {2: 0}, "nparams": 2,
                     "body": "r->p = PyObject_New(PyObject, (PyTypeObject *)a[0]);"},
    "PyObject_NEW": {"objs": ["NGT"], "robj": True, "objpos": {2: 0}, "nparams": 2,
                     "body": "r->p = PyObject_NEW(PyObject, (PyTypeObject *)a[0]);"},
    "PyObject_GC_New": {"objs": ["GCT"], "robj": True, "objpos": {2: 0}, "nparams": 2,
                        "body": "r->p = PyObject_GC_New(PyObject, (PyTypeObject *)a[0]); "
                                "if (r->p) PyObject_GC_Track(r->p);"},
    "PyObject_GC_Track": {"objs": ["GCT"], "objpos": {}, "nparams": 1,
                          "body": "PyObject *o = PyObject_GC_New(PyObject, (PyTypeObject *)a[0]); "
                                  "if (o) { PyObject_GC_Track(o); Py_DECREF(o); }"},
    "PyObject_GC_UnTrack": {"objs": ["GCT"], "objpos": {}, "nparams": 1,
                            "body": "PyObject *o = PyObject_GC_New(PyObject, (PyTypeObject *)a[0]); "
                                    "if (o) { PyObject_GC_Track(o); Py_DECREF(o); }"},
    "PyObject_GC_Del": {"objs": ["GCT"], "objpos": {}, "nparams": 1,
                        "body": "PyObject *o = PyObject_GC_New(PyObject, (PyTypeObject *)a[0]); "
                                "if (o) { PyObject_GC_Track(o); Py_DECREF(o); } /* tp_dealloc: PyObject_GC_Del */"},
    "PyObject_Del": {"objs": ["NGT"], "objpos": {}, "nparams": 1,
                     "body": "PyObject *o = PyObject_New(PyObject, (PyTypeObject *)a[0]); "
                             "Py_XDECREF(o); /* tp_dealloc: PyObject_Del */"},
    "PyObject_Free": {"objs": [], "nparams": 1,
                      "body": "void *m = PyObject_Malloc(16); PyObject_Free(m);"},
    # the va_list forms, through variadic helpers
    "PyUnicode_FromFormatV": {"objs": ["[1]"], "robj": True, "objpos": {}, "nparams": 2,
                              "body": 'r->p = mv_unicode_fromformatv("%R %d", a[0], 5);'},
    "PyBytes_FromFormatV": {"objs": [], "robj": True, "nparams": 2,
                            "body": 'r->p = mv_bytes_fromformatv("%s %d", "ab", 5);'},
    "PyErr_FormatV": {"objs": ["E", "[1]"], "robj": True, "objpos": {1: 0}, "nparams": 3,
                      "body": 'r->p = mv_err_formatv(a[0], "%R", a[1]);'},
    "Py_VaBuildValue": {"objs": ["[1]", "[2]"], "robj": True, "objpos": {}, "nparams": 2,
                        "extra": {}, "body": 'Py_INCREF(a[1]); r->p = mv_vabuildvalue("(ON)", a[0], a[1]);'},
    "PyErr_WriteUnraisable": {"objs": ["None"], "nparams": 1,
                              "body": 'int nm = nomem_on; nomem_on = 0; PyErr_SetString(PyExc_ValueError, "x"); '
                                      'nomem_on = nm; PyErr_WriteUnraisable(a[0]);'},
})

CASES.update({
    # the exception printed (sys.last_value replaced each time: balanced after the warm-up)
    "PyErr_Print": {"objs": [], "nparams": 0,
                    "body": 'int nm = nomem_on; nomem_on = 0; PyErr_SetString(PyExc_ValueError, "mv"); '
                            'nomem_on = nm; PyErr_Print();'},
    "PyErr_PrintEx": {"objs": [], "nparams": 1,
                      "body": 'int nm = nomem_on; nomem_on = 0; PyErr_SetString(PyExc_ValueError, "mv"); '
                              'nomem_on = nm; PyErr_PrintEx(0);'},
    # the GIL released and taken back
    "PyEval_SaveThread": {"objs": [], "nparams": 0,
                          "body": "PyThreadState *ts = PyEval_SaveThread(); PyEval_RestoreThread(ts);"},
    "PyEval_RestoreThread": {"objs": [], "nparams": 1,
                             "body": "PyThreadState *ts = PyEval_SaveThread(); PyEval_RestoreThread(ts);"},
})
