/* API facts of blind set 6 (session 5): small ints CPython keeps (by their type or form, not
 * only as constants), the empty tuple, NULL arguments CPython takes, the outputs of
 * PyArg_ParseTupleAndKeywords after its keyword list, and C pointers into objects whose NULL
 * means an exception is set. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ---- small ints: an unsigned char, a bool, `x & 3` cannot make PyLong_FromLong fail ---- */

int good_small_int_by_type(PyObject *d, unsigned char family, PyObject *v)
{
	PyObject *key = PyLong_FromLong(family);
	int r = PyDict_SetItem(d, key, v);
	Py_DECREF(key);
	return r;
}

int good_small_int_by_mask(PyObject *d, int mode, PyObject *v)
{
	PyObject *key = PyLong_FromLong(mode & 3);
	int r = PyDict_SetItem(d, key, v);
	Py_DECREF(key);
	return r;
}

PyObject *good_build_value_small(PyObject *self, PyObject *arg)
{
	unsigned char bits = 8;
	(void)self;
	(void)arg;
	PyObject *r = Py_BuildValue("i", bits);
	Py_INCREF(r);
	Py_DECREF(r);
	return r;
}

int bad_int_of_any_value(PyObject *d, int family, PyObject *v)
{
	PyObject *key = PyLong_FromLong(family);
	int r = PyDict_SetItem(d, key, v); // expect-warning{{rc-unchecked-null}}
	Py_XDECREF(key);
	return r;
}

int bad_mask_too_wide(PyObject *d, int mode, PyObject *v)
{
	PyObject *key = PyLong_FromLong(mode & 1023);
	int r = PyDict_SetItem(d, key, v); // expect-warning{{rc-unchecked-null}}
	Py_XDECREF(key);
	return r;
}

/* ---- the empty tuple ---- */

PyObject *good_empty_tuple(PyObject *callable)
{
	PyObject *args = PyTuple_New(0);
	PyObject *r = PyObject_Call(callable, args, NULL);
	Py_DECREF(args);
	return r;
}

PyObject *bad_tuple_of_one(PyObject *callable)
{
	PyObject *args = PyTuple_New(1);
	PyObject *r = PyObject_Call(callable, args, NULL); // expect-warning{{rc-unchecked-null}}
	Py_XDECREF(args);
	return r;
}

/* ---- NULL arguments CPython takes ---- */

PyObject *good_error_value_may_be_null(PyObject *self, PyObject *arg)
{
	(void)self;
	PyObject *v = Py_BuildValue("(O)", arg);
	PyErr_SetObject(PyExc_ValueError, v);
	Py_XDECREF(v);
	return NULL;
}

PyObject *good_call_without_args(PyObject *callable)
{
	return PyObject_CallObject(callable, NULL);
}

/* ---- Py_BuildValue succeeded: none of its "O" objects was NULL ---- */

PyObject *good_pair_checked_through_build(PyObject *self, PyObject *arg)
{
	(void)self;
	(void)arg;
	PyObject *num = PyLong_FromLong(100000);
	PyObject *name = PyUnicode_FromString("abc");
	PyObject *pair = Py_BuildValue("(OO)", num, name);
	if (pair == NULL) {
		Py_XDECREF(num);
		Py_XDECREF(name);
		return NULL;
	}
	Py_DECREF(num);
	Py_DECREF(name);
	return pair;
}

PyObject *bad_pair_failure_not_checked(PyObject *self, PyObject *arg)
{
	(void)self;
	(void)arg;
	PyObject *num = PyLong_FromLong(100000);
	PyObject *pair = Py_BuildValue("(sO)", "n", num);
	Py_DECREF(num); // expect-warning{{rc-unchecked-null}}
	return pair;
}

/* ---- a static helper every caller hands a new reference it does not use again: it takes the
 * reference by its callers' contract ---- */

static int add_item(PyObject *dict, PyObject *key, PyObject *obj)
{
	PyObject *list = PyDict_GetItem(dict, key);
	int rc;
	if (list == NULL) {
		if ((list = PyList_New(1)) == NULL) {
			Py_DECREF(obj);
			return -1;
		}
		PyList_SET_ITEM(list, 0, obj);
		rc = PyDict_SetItem(dict, key, list);
		Py_DECREF(list);
		return rc;
	}
	rc = PyList_Append(list, obj);
	Py_DECREF(obj);
	return rc;
}

PyObject *good_items_handed_over(PyObject *self, PyObject *key)
{
	PyObject *d = PyDict_New(), *item;
	(void)self;
	if (d == NULL)
		return NULL;
	if ((item = PyUnicode_FromString("x")) == NULL || add_item(d, key, item) < 0)
		Py_CLEAR(d);
	if (d && (item = PyLong_FromLong(100000)) != NULL && add_item(d, key, item) < 0)
		Py_CLEAR(d);
	return d;
}

/* handed over by every caller, and lost on one path of the helper: that path leaks it */
static int bad_add_nonempty(PyObject *list, PyObject *obj)
{
	if (!PyObject_Size(obj))
		return 1; // expect-warning{{rc-leak}}
	int r = PyList_Append(list, obj);
	Py_DECREF(obj);
	return r;
}

int good_hands_dict(PyObject *list)
{
	PyObject *d = PyDict_New();
	if (d == NULL)
		return -1;
	return bad_add_nonempty(list, d);
}

/* the reference comes through an out-parameter (PyUnicode_FSConverter stores a new one) */
static void drop_bytes(PyObject *o)
{
	if (PyByteArray_Check(o))
		PyErr_Clear();
	Py_DECREF(o);
}

Py_ssize_t good_converted_then_dropped(PyObject *name)
{
	PyObject *bytes = NULL;
	if (!PyUnicode_FSConverter(name, &bytes))
		return -1;
	Py_ssize_t n = PyBytes_GET_SIZE(bytes);
	drop_bytes(bytes);
	return n;
}

/* a caller lends its own argument: the helper releases a reference it was lent */
static void bad_drop_lent(PyObject *o)
{
	Py_DECREF(o); // expect-warning{{rc-release-borrowed}}
}

PyObject *bad_lends_its_argument(PyObject *self, PyObject *arg)
{
	(void)self;
	bad_drop_lent(arg); // expect-warning{{rc-release-borrowed}}
	Py_RETURN_NONE;
}

/* ---- an integer compared with a constant inside its range keeps "not that constant" ---- */

PyObject *good_constant_excluded(int c)
{
	PyObject *v = NULL;
	if (c == 1)
		return PyLong_FromLong(1);
	if (c == 1)
		v = PyList_New(0);
	switch (c) {
	case 1:
		Py_INCREF(v);
		return v;
	default:
		break;
	}
	return PyLong_FromLong(c);
}

/* ---- a helper that returns a fresh object (or NULL) never returns Py_None ---- */

static PyObject *make_entries(PyObject *item)
{
	PyObject *list = PyList_New(0);
	if (list == NULL)
		return NULL;
	if (PyList_Append(list, item) < 0) {
		Py_DECREF(list);
		return NULL;
	}
	return list;
}

PyObject *good_fresh_is_not_none(PyObject *self, PyObject *item)
{
	(void)self;
	PyObject *r = make_entries(item);
	if (r == NULL)
		return NULL;
	if (r != Py_None)
		Py_DECREF(r);
	Py_RETURN_NONE;
}

/* ---- PyArg_ParseTupleAndKeywords: the units fill the arguments after the keyword list ---- */

static PyObject *good_fs_path(PyObject *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "path", NULL };
	PyObject *path;
	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&:open", kwlist, PyUnicode_FSConverter, &path))
		return NULL;
	const char *s = PyBytes_AsString(path);
	if (s == NULL) {
		Py_DECREF(path);
		return NULL;
	}
	PyObject *r = PyUnicode_DecodeFSDefault(s);
	Py_DECREF(path);
	return r;
}

/* the converter succeeded: its output is not NULL (a test of it takes one branch only) */
static PyObject *good_fs_path_tested(PyObject *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "path", NULL };
	PyObject *path;
	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&:open", kwlist, PyUnicode_FSConverter, &path))
		return NULL;
	if (path == NULL)
		return NULL;
	PyObject *r = PyUnicode_DecodeFSDefault(PyBytes_AS_STRING(path));
	Py_DECREF(path);
	return r;
}

static PyObject *bad_fs_path_leaked(PyObject *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "path", NULL };
	PyObject *path;
	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&:open", kwlist, PyUnicode_FSConverter, &path))
		return NULL;
	return PyLong_FromLong(PyBytes_GET_SIZE(path)); // expect-warning{{rc-leak}}
}

static PyMethodDef methods[] = {
	{ "fs_path", (PyCFunction)(void (*)(void))good_fs_path, METH_VARARGS | METH_KEYWORDS, NULL },
	{ "fs_path_leaked", (PyCFunction)(void (*)(void))bad_fs_path_leaked, METH_VARARGS | METH_KEYWORDS, NULL },
	{ "fs_path_tested", (PyCFunction)(void (*)(void))good_fs_path_tested, METH_VARARGS | METH_KEYWORDS, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *blind6_methods(void)
{
	return methods;
}
