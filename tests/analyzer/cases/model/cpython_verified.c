/* Model facts fixed after the model verifier (analyzer/models/verify) ran them against CPython
 * 3.11 and its documentation: PyObject_Type cannot fail with an object; "0 on success" ints
 * (PySys_SetObject, PyCell_Set, PySlice_Unpack, PyModule_AddIntMacro) tested with `if (f(...))`;
 * PyImport_GetMagicNumber's -1 sets an exception; PyUnicode_FSConverter is 0 on failure and stores a
 * new reference on success. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* PyObject_Type(o) with an object is never NULL: its result needs no check */
static PyObject *good_type_name(PyObject *o)
{
	PyObject *t = PyObject_Type(o);
	PyObject *name = PyObject_GetAttrString(t, "__name__");
	Py_DECREF(t);
	return name;
}

/* exactly 0 on success: a non-zero result is the failure, with the exception set */
static PyObject *good_sys_set(PyObject *v)
{
	PyObject *r = PyLong_FromLong(1000);
	if (r == NULL)
		return NULL;
	if (PySys_SetObject("rccheck_value", v)) {
		Py_DECREF(r);
		return NULL;
	}
	return r;
}

static PyObject *good_cell_set(PyObject *cell, PyObject *v)
{
	if (PyCell_Set(cell, v))
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *good_slice_unpack(PyObject *slice)
{
	Py_ssize_t start, stop, step;
	if (PySlice_Unpack(slice, &start, &stop, &step))
		return NULL;
	return PyLong_FromSsize_t(stop - start);
}

#define RCCHECK_LEVEL 3
static int good_add_macro(PyObject *m)
{
	if (PyModule_AddIntMacro(m, RCCHECK_LEVEL))
		return -1;
	return 0;
}

/* -1 is a failure with the exception set: returning NULL there is right */
static PyObject *good_magic(void)
{
	long magic = PyImport_GetMagicNumber();
	if (magic == -1)
		return NULL;
	return PyLong_FromLong(magic);
}

/* a converter: 0 on failure (nothing stored), the bytes object is the caller's on success */
static PyObject *good_fs_path(PyObject *path)
{
	PyObject *bytes;
	PyObject *r;
	if (!PyUnicode_FSConverter(path, &bytes))
		return NULL;
	r = PyLong_FromSsize_t(PyBytes_Size(bytes));
	Py_DECREF(bytes);
	return r;
}

static PyObject *bad_fs_path_leak(PyObject *path)
{
	PyObject *bytes;
	if (PyUnicode_FSConverter(path, &bytes) == 0)
		return NULL;
	return PyLong_FromSsize_t(PyBytes_Size(bytes)); // expect-warning{{rc-leak}}
}

static PyMethodDef methods[] = {
	{"fs_path", (PyCFunction)good_fs_path, METH_O, NULL},
	{"fs_path_leak", (PyCFunction)bad_fs_path_leak, METH_O, NULL},
	{"type_name", (PyCFunction)good_type_name, METH_O, NULL},
	{"sys_set", (PyCFunction)good_sys_set, METH_O, NULL},
	{"slice_unpack", (PyCFunction)good_slice_unpack, METH_O, NULL},
	{"magic", (PyCFunction)good_magic, METH_NOARGS, NULL},
	{NULL, NULL, 0, NULL},
};

PyObject *use_all(PyObject *cell, PyObject *v, PyObject *m)
{
	(void)methods;
	if (good_add_macro(m) < 0)
		return NULL;
	return good_cell_set(cell, v);
}
