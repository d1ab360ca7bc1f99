/* Recall of engine v2: defects that were silent before. A global object returned through a
 * local from a function that must return a new reference; a reference returned after its
 * release; a static type object handed to a stealing call without a reference of its own. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject Thing_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "recall.Thing",
	.tp_basicsize = sizeof(PyObject),
};

/* ---- must be reported --------------------------------------------------------------------- */

static PyObject *bad_none_through_local(PyObject *self, PyObject *arg)
{
	PyObject *rv = Py_None;
	(void)self;
	if (PyObject_IsTrue(arg) > 0)
		rv = Py_True;
	return rv; // expect-warning{{rc-return-borrowed}}
}

static PyObject *bad_returned_after_release(PyObject *self, PyObject *arg)
{
	PyObject *s = PyObject_Str(arg);
	(void)self;
	if (s == NULL)
		return NULL;
	Py_DECREF(s);
	return s; // expect-warning{{rc-use-after-release}}
}

int bad_type_added_without_reference(PyObject *m)
{
	if (PyType_Ready(&Thing_Type) < 0)
		return -1;
	// expect-warning@+1{{rc-release-borrowed}}
	if (PyModule_AddObject(m, "Thing", (PyObject *)&Thing_Type) < 0)
		return -1;
	return 0;
}

/* ---- must stay silent -------------------------------------------------------------------- */

static PyObject *good_none_through_local(PyObject *self, PyObject *arg)
{
	PyObject *rv = Py_None;
	(void)self;
	if (PyObject_IsTrue(arg) > 0)
		rv = Py_True;
	Py_INCREF(rv);
	return rv;
}

static PyObject *good_released_after_return_value_taken(PyObject *self, PyObject *arg)
{
	PyObject *s = PyObject_Str(arg);
	(void)self;
	if (s == NULL)
		return NULL;
	PyObject *r = PyObject_Repr(s);
	Py_DECREF(s);
	return r;
}

int good_type_added_with_reference(PyObject *m)
{
	if (PyType_Ready(&Thing_Type) < 0)
		return -1;
	Py_INCREF(&Thing_Type);
	if (PyModule_AddObject(m, "Thing", (PyObject *)&Thing_Type) < 0) {
		Py_DECREF(&Thing_Type);
		return -1;
	}
	return 0;
}

int good_type_reference_paid_back(PyObject *m)
{
	if (PyType_Ready(&Thing_Type) < 0)
		return -1;
	if (PyModule_AddObject(m, "Thing", (PyObject *)&Thing_Type) < 0)
		return -1;
	Py_INCREF(&Thing_Type); /* the reference the module took, given after the fact */
	return 0;
}

int good_type_added_by_ref(PyObject *m)
{
	return PyModule_AddObjectRef(m, "Thing", (PyObject *)&Thing_Type);
}

static PyMethodDef recall_methods[] = {
	{ "bad_none_through_local", bad_none_through_local, METH_O, NULL },
	{ "bad_returned_after_release", bad_returned_after_release, METH_O, NULL },
	{ "good_none_through_local", good_none_through_local, METH_O, NULL },
	{ "good_released_after_return_value_taken", good_released_after_return_value_taken, METH_O, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *recall_table(void)
{
	return recall_methods;
}
