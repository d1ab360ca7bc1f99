/* What blind set 7's first run showed (docs/realcode.md), in cases of our own: a format string
 * held in a local, the storage macros that never return NULL, a tuple or list the function made
 * itself indexed within its size, a static type given the reference it hands over, and the
 * outputs of PyErr_Fetch, NULL together. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static PyTypeObject ThingType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "m.Thing",
	.tp_basicsize = sizeof(PyObject),
};

/* ---- must stay silent ---------------------------------------------------------------------- */

/* the format is a local holding one literal: the O& output of PyUnicode_FSConverter is new */
PyObject *good_local_format(PyObject *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "path", NULL };
	char *format = "|O&";
	PyObject *path = NULL;
	long n = 0;
	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, format, kwlist, PyUnicode_FSConverter, &path))
		return NULL;
	if (path != NULL) {
		n = (long)strlen(PyBytes_AS_STRING(path));
		Py_DECREF(path);
	}
	return PyLong_FromLong(n);
}

/* PyBytes_AS_STRING is the object's own storage: the test for NULL is dead */
PyObject *good_storage_not_null(PyObject *bytes_obj)
{
	Py_INCREF(bytes_obj);
	char *s = PyBytes_AS_STRING(bytes_obj);
	if (s == NULL)
		return NULL;
	PyObject *r = PyLong_FromSize_t(strlen(s));
	Py_DECREF(bytes_obj);
	return r;
}

/* a tuple made here, a constant index below its size: PyTuple_SetItem cannot fail */
PyObject *good_fresh_tuple(PyObject *callable, PyObject *value)
{
	PyObject *t = PyTuple_New(1);
	if (t == NULL)
		return NULL;
	Py_INCREF(value);
	if (PyTuple_SetItem(t, 0, value) != 0)
		return NULL;
	PyObject *r = PyObject_CallObject(callable, t);
	Py_DECREF(t);
	return r;
}

/* a list made of size n, indexed below n */
PyObject *good_fresh_list(Py_ssize_t n)
{
	PyObject *l = PyList_New(n);
	if (l == NULL)
		return NULL;
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *v = PyLong_FromSsize_t(i);
		if (v == NULL) {
			Py_DECREF(l);
			return NULL;
		}
		if (PyList_SetItem(l, i, v) < 0)
			return NULL;
	}
	return l;
}

/* the reference PyModule_AddObject takes over was taken just before */
int good_type_increfed(PyObject *module)
{
	Py_INCREF(&ThingType);
	return PyModule_AddObject(module, "Thing", (PyObject *)&ThingType);
}

/* PyErr_Fetch: with no error set, all three are NULL: nothing to restore or release */
int good_fetch_restore(PyObject *callable)
{
	PyObject *type, *value, *tb;
	int failed = 0;
	PyErr_Fetch(&type, &value, &tb);
	PyObject *res = PyObject_CallNoArgs(callable);
	Py_XDECREF(res);
	if (type != NULL)
		PyErr_Restore(type, value, tb);
	else if (res == NULL)
		failed = 1;
	return failed;
}

/* the length an "s#" unit stores is never negative once the call succeeded: no path returns
 * NULL without an exception */
static PyObject *good_length_never_negative(PyObject *self, PyObject *args)
{
	const char *in;
	Py_ssize_t len;
	(void)self;
	if (!PyArg_ParseTuple(args, "s#", &in, &len))
		return NULL;
	if (len < 0)
		return NULL;
	return PyLong_FromSsize_t(len);
}

/* ---- must be reported ---------------------------------------------------------------------- */

/* an "i" unit may store a negative number: NULL without an exception */
static PyObject *bad_int_may_be_negative(PyObject *self, PyObject *args)
{
	int n;
	(void)self;
	if (!PyArg_ParseTuple(args, "i", &n))
		return NULL;
	if (n < 0)
		return NULL; // expect-warning{{rc-error-unset}}
	return PyLong_FromLong(n);
}

/* a tuple handed in may be shared or too short: PyTuple_SetItem can fail, and the new
 * reference the function made is lost on that path */
int bad_tuple_param(PyObject *t, PyObject *value)
{
	PyObject *copy = PySequence_List(value);
	if (copy == NULL)
		return -1;
	if (PyTuple_SetItem(t, 1, Py_NewRef(value)) < 0)
		return -1; // expect-warning{{rc-leak}}
	Py_DECREF(copy);
	return 0;
}

/* the static type handed over without a reference of its own */
int bad_type_not_increfed(PyObject *module)
{
	return PyModule_AddObject(module, "Thing", (PyObject *)&ThingType); // expect-warning{{rc-release-borrowed}}
}

/* PyErr_Fetch's value and traceback, kept when the type is not NULL, never restored */
int bad_fetch_dropped(PyObject *callable)
{
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyObject *res = PyObject_CallNoArgs(callable);
	Py_XDECREF(res);
	Py_XDECREF(type);
	return res == NULL; // expect-warning{{rc-leak}} expect-warning{{rc-leak}}
}

static PyMethodDef blind7_methods[] = {
	{ "good_length_never_negative", good_length_never_negative, METH_VARARGS, NULL },
	{ "bad_int_may_be_negative", bad_int_may_be_negative, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *blind7_table(void)
{
	return blind7_methods;
}
