/* The step that explains a finding is on its path (issue 14). A leak of a borrowed reference
 * shows the call that made it owned: Py_INCREF, Py_XINCREF, and Py_NewRef of a borrowed result
 * (`v = Py_NewRef(PyDict_GetItem(d, k))`, where no variable names the borrowed value). A use
 * after release, or a release again, shows the release, also when it went through another name
 * (`w = v; Py_CLEAR(v); use(w)`). The findings are pinned here; the notes are checked by the
 * CLI scenario path-steps, which reads this file. */
// compile-args-pkg: python3

#include <Python.h>

/* ---- must stay silent ---------------------------------------------------------------------- */

PyObject *good_newref_released(PyObject *d, PyObject *k)
{
	PyObject *v = PyDict_GetItemWithError(d, k);
	if (v == NULL)
		return NULL;
	v = Py_NewRef(v);
	if (PyObject_Length(k) < 0) {
		Py_DECREF(v);
		return NULL;
	}
	return v;
}

PyObject *good_clear_alias(PyObject *o)
{
	PyObject *v = PyObject_Str(o);
	if (!v)
		return NULL;
	PyObject *w = v;
	PyObject *r = PyObject_Repr(w);
	Py_CLEAR(v);
	return r;
}

/* ---- findings ------------------------------------------------------------------------------ */

PyObject *bad_incref_leak(PyObject *d, PyObject *k)
{
	PyObject *v = PyDict_GetItemWithError(d, k); /*@incref-acquire*/
	if (v == NULL)
		return NULL;
	Py_INCREF(v); /*@incref*/
	if (PyObject_Length(v) < 0)
		return NULL; // expect-warning{{rc-leak}}
	Py_DECREF(v);
	Py_RETURN_NONE;
}

PyObject *bad_newref_leak(PyObject *d, PyObject *k)
{
	PyObject *v = Py_NewRef(PyDict_GetItemWithError(d, k)); /*@newref*/ // expect-warning{{rc-unchecked-null}}
	if (PyObject_Length(k) < 0)
		return NULL; // expect-warning{{rc-leak}}
	Py_DECREF(v);
	Py_RETURN_NONE;
}

PyObject *bad_clear_alias_use(PyObject *o)
{
	PyObject *v = PyObject_Str(o);
	if (!v)
		return NULL;
	PyObject *w = v;
	Py_CLEAR(v); /*@clear*/
	return PyObject_Repr(w); // expect-warning{{rc-use-after-release}}
}

void bad_decref_alias_twice(PyObject *o)
{
	PyObject *v = PyObject_Str(o);
	if (!v)
		return;
	PyObject *w = v;
	Py_DECREF(w); /*@decref-w*/
	Py_DECREF(v); // expect-warning{{rc-double-release}}
}
