/* cpychecker's convention (convention returns-new-type _object, cpython-conventions.model): a
 * function declared to return PyObject *, that no model knows and no file of the tree defines,
 * returns a new reference. A guess: its findings are held back unless --show-guesses (which the
 * case runner passes). Functions the unit defines are known by their bodies, names of the API
 * modelled whole (Py...) borrow, and other pointer types are not objects. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyObject *ext_make_value(int n);          /* defined nowhere: guessed new */
PyTypeObject *ext_lookup_type(int n);     /* a type, not PyObject *: not guessed */
char *ext_name(int n);                    /* not an object */
PyObject *PyExt_Unknown(int n);           /* the API's prefix: an unknown Py name borrows */

/* defined here: its body says what it returns (borrowed) */
static PyObject *cached;
PyObject *local_borrowed(void)
{
	return cached;
}

/* header_value is defined in a header the unit includes: not "defined nowhere" */
#include "returns_new_convention.h"

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_released(PyObject *list)
{
	PyObject *v = ext_make_value(1);
	if (v == NULL)
		return -1;
	int r = PyList_Append(list, v);
	Py_DECREF(v);
	return r;
}

PyObject *good_returned(void)
{
	return ext_make_value(2);
}

int good_body_known(PyObject *list)
{
	return PyList_Append(list, local_borrowed());
}

int good_api_prefix(PyObject *list)
{
	return PyList_Append(list, PyExt_Unknown(3));
}

int good_inline_body_seen(PyObject *list, PyObject *holder)
{
	PyObject *v = header_value(holder);
	return PyList_Append(list, v);
}

int good_not_object(void)
{
	return ext_lookup_type(4) != NULL && ext_name(5) != NULL;
}

/* ---- guesses (held back by default) -------------------------------------------------------- */

int bad_guessed_leak(PyObject *list)
{
	return PyList_Append(list, ext_make_value(6)); // expect-warning{{rc-leak}}
}

int bad_guessed_leak_var(PyObject *d)
{
	PyObject *v = ext_make_value(7);
	if (v == NULL)
		return -1;
	return PyDict_SetItemString(d, "k", v); // expect-warning{{rc-leak}}
}
