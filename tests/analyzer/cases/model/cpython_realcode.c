/* Shapes met in real extension modules (psutil, pycurl, bitarray, simplejson, multidict, psycopg2)
 * where rccheck once reported false alarms, each reduced to a function of our own; plus the bug
 * next to each, which must still be found. Against the real Python.h. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *key;
} EntryObject;

/* ---- heap types: an instance owns a reference to its type, released by tp_dealloc ---------- */

static void good_heaptype_dealloc(EntryObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);
	PyObject_GC_UnTrack(self);
	Py_CLEAR(self->key);
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

static void good_heaptype_dealloc_cast(PyObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);
	tp->tp_free(self);
	Py_DECREF((PyObject *)tp);
}

static PyObject *bad_return_type(PyObject *self, PyObject *unused)
{
	(void)unused;
	return (PyObject *)Py_TYPE(self); // expect-warning{{rc-return-borrowed}}
}

static PyObject *good_return_type(PyObject *self, PyObject *unused)
{
	(void)unused;
	return Py_NewRef((PyObject *)Py_TYPE(self));
}

static PyMethodDef entry_methods[] = {
	{"bad_type", bad_return_type, METH_NOARGS, NULL},
	{"good_type", good_return_type, METH_NOARGS, NULL},
	{NULL, NULL, 0, NULL},
};

PyObject *entry_methods_table(void);
PyObject *entry_methods_table(void)
{
	return PyCFunction_New(entry_methods, NULL);
}
