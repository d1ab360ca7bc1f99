/* cpychecker.c's declarations with the WITH_CPYCHECKER_*_ATTRIBUTE macros undefined (a -U in the
 * compile command wins over rccheck's predefinitions): the attributes are gone, the functions
 * are unknown, and what cpychecker.c finds or clears is not known here. */
// compile-args-pkg: python3
// compile-args: -UWITH_CPYCHECKER_RETURNS_BORROWED_REF_ATTRIBUTE -UWITH_CPYCHECKER_STEALS_REFERENCE_TO_ARG_ATTRIBUTE

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if defined(WITH_CPYCHECKER_RETURNS_BORROWED_REF_ATTRIBUTE)
#define BORROWED __attribute__((cpychecker_returns_borrowed_ref))
#else
#define BORROWED
#endif
#if defined(WITH_CPYCHECKER_STEALS_REFERENCE_TO_ARG_ATTRIBUTE)
#define STEALS(n) __attribute__((cpychecker_steals_reference_to_arg(n)))
#else
#define STEALS(n)
#endif

BORROWED PyObject *conn_cached_type(PyObject *conn);
STEALS(2) int conn_queue_put(PyObject *conn, PyObject *item);

/* an unknown function's result is not followed: its release is not reported */
static PyObject *good_release_unknown(PyObject *conn)
{
	PyObject *t = conn_cached_type(conn);
	if (t == NULL)
		return NULL;
	Py_DECREF(t);
	Py_RETURN_NONE;
}

/* an unknown function borrows its arguments: item is still owned after the call */
static PyObject *bad_put_unknown(PyObject *conn)
{
	PyObject *item = PyLong_FromLong(1000);
	if (item == NULL)
		return NULL;
	/* lost at either return: one defect, reported once, on its shortest path */
	if (conn_queue_put(conn, item) < 0)
		return NULL; // expect-warning{{rc-leak}}
	Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
	{"a", (PyCFunction)good_release_unknown, METH_O, NULL},
	{"b", (PyCFunction)bad_put_unknown, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

PyObject *methods_table(void)
{
	return PyLong_FromVoidPtr(methods);
}
