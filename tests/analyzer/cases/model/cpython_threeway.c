/* Three-way results (model attribute three-way: 1 found with a new reference, 0 nothing found
 * and no exception, -1 an exception; docs/cpython-model.md) and Py_XNewRef, whose NULL result
 * is its NULL argument: facts the model verifier established (analyzer/models/verify). The
 * 3.13 functions are declared here so that Python 3.11's headers parse the file the same way. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
int PyDict_GetItemRef(PyObject *p, PyObject *key, PyObject **result);
int PyObject_GetOptionalAttr(PyObject *obj, PyObject *name, PyObject **result);
int PyWeakref_GetRef(PyObject *ref, PyObject **pobj);
#endif

/* ---- must be reported --------------------------------------------------------------------- */

static PyObject *bad_weakref_on_nothing(PyObject *self, PyObject *w)
{
	PyObject *o;
	(void)self;
	if (PyWeakref_GetRef(w, &o) >= 0)
		Py_DECREF(o); // expect-warning{{rc-unchecked-null}}
	Py_RETURN_NONE;
}

/* ---- must stay silent -------------------------------------------------------------------- */

static PyObject *good_found_released(PyObject *self, PyObject *args)
{
	PyObject *d, *k, *o;
	(void)self;
	if (!PyArg_ParseTuple(args, "OO", &d, &k))
		return NULL;
	if (PyDict_GetItemRef(d, k, &o) == 1) {
		PyObject *r = PyObject_Repr(o);
		Py_DECREF(o);
		return r;
	}
	Py_RETURN_NONE;
}

static PyObject *good_optional_attr(PyObject *self, PyObject *args)
{
	PyObject *x, *n, *o;
	(void)self;
	if (!PyArg_ParseTuple(args, "OO", &x, &n))
		return NULL;
	int r = PyObject_GetOptionalAttr(x, n, &o);
	if (r < 0)
		return NULL;
	if (r == 0)
		Py_RETURN_NONE;
	return o;
}

static PyObject *good_xnewref(PyObject *self, PyObject *x)
{
	(void)self;
	PyObject *a = Py_XNewRef(x);
	Py_XDECREF(a);
	Py_RETURN_NONE;
}

static PyObject *cache;

static PyObject *good_xnewref_returned(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	if (cache == NULL)
		Py_RETURN_NONE;
	return Py_XNewRef(cache);
}

static PyMethodDef methods[] = {
	{ "bad_weakref_on_nothing", bad_weakref_on_nothing, METH_O, NULL },
	{ "good_found_released", good_found_released, METH_VARARGS, NULL },
	{ "good_optional_attr", good_optional_attr, METH_VARARGS, NULL },
	{ "good_xnewref", good_xnewref, METH_O, NULL },
	{ "good_xnewref_returned", good_xnewref_returned, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *threeway_methods(void)
{
	return methods;
}
