/* rc-null-argument: NULL passed where the CPython C API refuses it (the arguments of
 * analyzer/models/cpython-nonnull.model, where CPython 3.11 crashes or fails on NULL), written
 * as the argument or held by a variable that is NULL on every run reaching the call. NULL where
 * the API accepts it (documented, or what the call means with NULL: PyObject_SetAttr deletes)
 * and NULL sentinels of variadic calls stay silent. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ---- must stay silent ---------------------------------------------------------------------- */

/* documented: NULL args is an empty call, NULL kwargs none */
PyObject *good_call_null_args(PyObject *f, PyObject *args)
{
	return PyObject_Call(f, args, NULL);
}

/* PyObject_SetAttr with NULL deletes the attribute (docs object.rst) */
int good_delete_attribute(PyObject *o, PyObject *name)
{
	return PyObject_SetAttr(o, name, NULL);
}

/* the sentinel ending a variadic call */
PyObject *good_sentinel(PyObject *o, PyObject *name, PyObject *arg)
{
	return PyObject_CallMethodObjArgs(o, name, arg, NULL);
}

/* PySet_New(NULL) is an empty set (docs set.rst) */
PyObject *good_empty_set(void)
{
	return PySet_New(NULL);
}

/* a tuple item may be NULL while it is being filled */
int good_tuple_null_item(PyObject *t)
{
	return PyTuple_SetItem(t, 0, NULL);
}

/* the variable is NULL on one path only, and that path does not reach the call */
int good_assigned_on_every_path(PyObject *d, int flag)
{
	PyObject *v = NULL;
	if (flag)
		v = PyLong_FromLong(1);
	else
		v = PyLong_FromLong(2);
	if (v == NULL)
		return -1;
	int r = PyDict_SetItemString(d, "k", v);
	Py_DECREF(v);
	return r;
}

/* a NULL tested and given a value before the call */
int good_default_filled(PyObject *list, PyObject *item)
{
	if (item == NULL)
		item = Py_None;
	return PyList_Append(list, item);
}

/* NULL on one path only is not enough: the path may be one the program never takes. Here two
 * tests of one field, with a call between that could change it, decide together whether the
 * value was set (a switch read twice) */
struct store { PyObject_HEAD int kind; };
void store_prepare(struct store *st);

int good_correlated_switch(struct store *st, PyObject *args, PyObject *list)
{
	PyObject *value = NULL;
	if (st->kind == 1) {
		value = PyTuple_GetItem(args, 1);
		if (value == NULL)
			return -1;
	}
	store_prepare(st);
	if (st->kind == 1)
		return PyList_Append(list, value);
	return 0;
}

/* a result that may be NULL as a normal outcome (no failure) is not "NULL on every path" */
PyObject *good_may_be_null_result(PyObject *o)
{
	PyObject *d = PyInterpreterState_GetDict(PyInterpreterState_Get());
	Py_INCREF(d);
	(void)o;
	return d;
}

/* Py_XDECREF and Py_CLEAR take NULL */
void good_xdecref_null(void)
{
	PyObject *o = NULL;
	Py_XDECREF(o);
}

/* ---- must be reported ---------------------------------------------------------------------- */

int bad_append_literal(PyObject *list)
{
	return PyList_Append(list, NULL); // expect-warning{{rc-null-argument}}
}

int bad_setitem_value(PyObject *d, PyObject *key)
{
	return PyDict_SetItem(d, key, NULL); // expect-warning{{rc-null-argument}}
}

PyObject *bad_call_null_callable(PyObject *args)
{
	return PyObject_Call(NULL, args, NULL); // expect-warning{{rc-null-argument}}
}

int bad_module_add_to_null(PyObject *value)
{
	return PyModule_AddObjectRef(NULL, "x", value); // expect-warning{{rc-null-argument}}
}

/* NULL on every path to the call */
int bad_value_never_set(PyObject *d, const char *key)
{
	PyObject *value = NULL;
	if (key[0] == '_')
		return 0;
	int r = PyDict_SetItemString(d, key, value); // expect-warning{{rc-null-argument}}
	Py_XDECREF(value);
	return r;
}

/* a failed _PyBytes_Resize releases the bytes and sets the variable to NULL: Py_DECREF(NULL) */
PyObject *bad_decref_after_failed_resize(const char *s, Py_ssize_t n)
{
	PyObject *str = PyBytes_FromStringAndSize(s, n);
	if (str == NULL)
		return NULL;
	if (_PyBytes_Resize(&str, n / 2) < 0) {
		Py_DECREF(str); // expect-warning{{rc-null-argument}}
		return NULL;
	}
	return str;
}

/* tested NULL, then passed anyway */
int bad_tested_then_passed(PyObject *list, PyObject *item)
{
	if (item == NULL) {
		PyErr_SetString(PyExc_ValueError, "no item");
		return PyList_Append(list, item); // expect-warning{{rc-null-argument}}
	}
	return PyList_Append(list, item);
}
