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
