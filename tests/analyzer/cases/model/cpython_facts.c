/* One good_/bad_ pair per fact class of the CPython model, per refcount macro and per format
 * code that cpython_api.c does not already cover: PyTuple_SetItem (steals always),
 * PyModule_AddObjectRef (never steals), -1 failures, Py_INCREF/Py_XINCREF,
 * Py_RETURN_TRUE/FALSE, PyList_SET_ITEM/PyList_GET_ITEM, PyArg_ParseTuple "O" and Py_BuildValue
 * "O", PyGetSetDef getters and type slots. Against the real Python.h (pkg-config python3), and
 * again against rccheck's built-in stand-in (tests/analyzer/meson.build, "Python headers"). */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *value;
	PyObject *extra;
} BoxObject;

/* ---- must stay silent ---------------------------------------------------------------------- */

static PyObject *good_tuple_setitem(void)
{
	PyObject *t = PyTuple_New(1);
	PyObject *x;
	if (!t)
		return NULL;
	x = PyLong_FromLong(1);
	if (!x) {
		Py_DECREF(t);
		return NULL;
	}
	if (PyTuple_SetItem(t, 0, x) < 0) { /* x is stolen even on failure */
		Py_DECREF(t);
		return NULL;
	}
	return t;
}

static PyObject *good_list_set_item_macro(void)
{
	PyObject *l = PyList_New(1);
	PyObject *x;
	if (!l)
		return NULL;
	x = PyUnicode_FromString("a");
	if (!x) {
		Py_DECREF(l);
		return NULL;
	}
	PyList_SET_ITEM(l, 0, x); /* steals x */
	return l;
}

static PyObject *good_list_get_item_macro(PyObject *l)
{
	PyObject *first = PyList_GET_ITEM(l, 0); /* borrowed */
	Py_INCREF(first);
	return first;
}

static PyObject *good_return_bool(PyObject *o)
{
	int r = PyObject_IsTrue(o);
	if (r < 0)
		return NULL;
	if (r)
		Py_RETURN_TRUE;
	Py_RETURN_FALSE;
}

static void good_xincref(BoxObject *self, PyObject *v)
{
	PyObject *old = self->extra;
	Py_XINCREF(v);
	self->extra = v;
	Py_XDECREF(old);
}

static int good_add_object_ref(PyObject *m)
{
	PyObject *v = PyUnicode_FromString("1.0");
	int r;
	if (!v)
		return -1;
	r = PyModule_AddObjectRef(m, "version", v);
	Py_DECREF(v);
	return r;
}

static PyObject *good_parse_o(PyObject *self, PyObject *args)
{
	PyObject *o;
	(void)self;
	if (!PyArg_ParseTuple(args, "O", &o))
		return NULL;
	Py_INCREF(o); /* 'O' is borrowed: take our own reference before returning it */
	return o;
}

static PyObject *good_build_o(long v)
{
	PyObject *x = PyLong_FromLong(v);
	PyObject *r;
	if (!x)
		return NULL;
	r = Py_BuildValue("(O)", x); /* 'O' adds its own reference */
	Py_DECREF(x);
	return r;
}

static PyObject *good_box_get_value(BoxObject *self, void *closure)
{
	(void)closure;
	return Py_NewRef(self->value);
}

static int good_box_set_value(BoxObject *self, PyObject *value, void *closure)
{
	(void)closure;
	if (!value)
		return -1;
	Py_XSETREF(self->value, Py_NewRef(value));
	return 0;
}

static int box_traverse(BoxObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->value);
	Py_VISIT(self->extra);
	return 0;
}

static int good_box_clear(BoxObject *self)
{
	Py_CLEAR(self->value);
	Py_CLEAR(self->extra);
	return 0;
}

static void good_box_dealloc(BoxObject *self)
{
	PyObject_GC_UnTrack(self);
	good_box_clear(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* (an index the function does not know to be in range: the call can fail; at index 0 of a
 * tuple of 1 it could not, cpython_blind7.c) */
static PyObject *bad_tuple_setitem_then_decref(PyObject *x, Py_ssize_t i)
{
	PyObject *t = PyTuple_New(1);
	if (!t)
		return NULL;
	Py_INCREF(x);
	if (PyTuple_SetItem(t, i, x) < 0) {
		Py_DECREF(x); // expect-warning{{rc-double-release}}
		Py_DECREF(t);
		return NULL;
	}
	return t;
}

static int bad_add_object_ref_leaks(PyObject *m)
{
	PyObject *v = PyUnicode_FromString("1.0");
	if (!v)
		return -1;
	return PyModule_AddObjectRef(m, "version", v); // expect-warning{{rc-leak}}
}

/* -1 on failure: the reference is still ours on that path. */
static int bad_append_failure_leaks(PyObject *l)
{
	PyObject *x = PyLong_FromLong(3);
	if (!x)
		return -1;
	if (PyList_Append(l, x) < 0)
		return -1; // expect-warning{{rc-leak}}
	Py_DECREF(x);
	return 0;
}

static PyObject *bad_list_get_item_returned(PyObject *self, PyObject *l)
{
	(void)self;
	return PyList_GET_ITEM(l, 0); // expect-warning{{rc-return-borrowed}}
}

static PyObject *bad_list_set_item_twice(PyObject *x)
{
	PyObject *l = PyList_New(2);
	if (!l)
		return NULL;
	Py_INCREF(x);
	PyList_SET_ITEM(l, 0, x);
	PyList_SET_ITEM(l, 1, x); // expect-warning{{rc-double-release}}
	return l;
}

static void bad_incref_leaks(PyObject *o)
{
	Py_INCREF(o);
} // expect-warning{{rc-leak}}

static PyObject *bad_parse_o_decref(PyObject *self, PyObject *args)
{
	PyObject *o;
	(void)self;
	if (!PyArg_ParseTuple(args, "O", &o))
		return NULL;
	Py_DECREF(o); // expect-warning{{rc-release-borrowed}}
	Py_RETURN_NONE;
}

static PyObject *bad_build_o_leaks(long v)
{
	PyObject *x = PyLong_FromLong(v);
	if (!x)
		return NULL;
	return Py_BuildValue("(O)", x); // expect-warning{{rc-leak}}
}

static PyObject *bad_box_get_extra(BoxObject *self, void *closure)
{
	PyObject *s = PyObject_Str(self->extra);
	(void)closure;
	if (!s)
		return NULL;
	return Py_NewRef(self->extra); // expect-warning{{rc-leak}}
}

static PyObject *bad_box_method_true(BoxObject *self, PyObject *Py_UNUSED(ignored))
{
	(void)self;
	return Py_True; // expect-warning{{rc-return-borrowed}}
}

static int bad_box2_clear(BoxObject *self)
{
	Py_CLEAR(self->value);
	Py_CLEAR(self->extra); // expect-warning{{rc-traverse-incomplete}}
	return 0;
}

static int box2_traverse(BoxObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->value);
	return 0;
}

static PyGetSetDef box_getset[] = {
	{"value", (getter)good_box_get_value, (setter)good_box_set_value, NULL, NULL},
	{"extra", (getter)bad_box_get_extra, NULL, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef box_methods[] = {
	{"true", (PyCFunction)bad_box_method_true, METH_NOARGS, NULL},
	{"first", bad_list_get_item_returned, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static PyTypeObject Box_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "facts.Box",
	.tp_basicsize = sizeof(BoxObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_dealloc = (destructor)good_box_dealloc,
	.tp_traverse = (traverseproc)box_traverse,
	.tp_clear = (inquiry)good_box_clear,
	.tp_methods = box_methods,
	.tp_getset = box_getset,
};

static PyTypeObject Box2_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "facts.Box2",
	.tp_basicsize = sizeof(BoxObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)box2_traverse,
	.tp_clear = (inquiry)bad_box2_clear,
};

/* Keep the static functions referenced. */
void *cpython_facts_case[] = {
	(void *)good_tuple_setitem, (void *)good_list_set_item_macro, (void *)good_list_get_item_macro,
	(void *)good_return_bool, (void *)good_xincref, (void *)good_add_object_ref, (void *)good_parse_o,
	(void *)good_build_o, (void *)bad_tuple_setitem_then_decref, (void *)bad_add_object_ref_leaks,
	(void *)bad_append_failure_leaks, (void *)bad_list_get_item_returned, (void *)bad_list_set_item_twice,
	(void *)bad_incref_leaks, (void *)bad_parse_o_decref, (void *)bad_build_o_leaks, &Box_Type, &Box2_Type,
};
