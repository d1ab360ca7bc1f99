/* What blind set 8's first run showed (docs/realcode.md), in cases of our own: memory overwritten
 * without a release hands the reference it held to the function (the swap idiom); a call that fails
 * cleanly when handed NULL (fails-on-null, found by running CPython: CPython's null_error keeps
 * the pending exception) needs no check of a failed result before it, and its success says the
 * argument was not NULL; what is released after it is still a crash when NULL. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyType_Spec thing_spec = {"m.Thing", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, NULL};

/* PyModule_AddObject returns -1 for a NULL value: after it succeeded, 'type' is not NULL */
static int good_add_type(PyObject *module, PyObject **keep)
{
	PyObject *type = PyType_FromSpec(&thing_spec);

	if (PyModule_AddObject(module, "Thing", type) < 0) {
		Py_XDECREF(type);
		return -1;
	}
	Py_INCREF(type);
	*keep = type;
	return 0;
}

/* PyObject_CallMethod (NULL, ...) fails and keeps the error PyObject_Dir set */
static PyObject *good_dir_sorted(PyObject *self)
{
	PyObject *names = PyObject_Dir(self);
	PyObject *res = PyObject_CallMethod(names, "sort", NULL);

	Py_XDECREF(names);
	if (res == NULL)
		return NULL;
	Py_DECREF(res);
	return Py_NewRef(Py_None);
}

/* the call fails on NULL, the release after it crashes */
static PyObject *bad_release_after_failed_call(PyObject *self)
{
	PyObject *names = PyObject_Dir(self);
	PyObject *res = PyObject_CallMethod(names, "sort", NULL);

	Py_DECREF(names); // expect-warning{{rc-unchecked-null}}
	return res;
}

/* ---- the swap idiom: memory overwritten without a release hands its reference to the function */

typedef struct {
	PyObject_HEAD
	PyObject *target; /* owned */
} Box;

static PyObject *default_name; /* owned */

static PyObject *good_swap_global(PyObject *self, PyObject *arg)
{
	PyObject *old = default_name;

	(void)self;
	Py_INCREF(arg);
	default_name = arg;
	return old;
}

static PyObject *good_swap_field(PyObject *self, PyObject *arg)
{
	Box *box = (Box *)self;
	PyObject *result = box->target;

	Py_INCREF(arg);
	box->target = arg;
	return result;
}

static PyObject *good_replace_then_release(PyObject *self, PyObject *arg)
{
	Box *box = (Box *)self;
	PyObject *old = box->target;

	Py_INCREF(arg);
	box->target = arg;
	Py_XDECREF(old);
	Py_RETURN_NONE;
}

static PyObject *default_host; /* owned */

/* the new value from a call that can fail (NULL then) or a static object it took a reference to */
static PyObject *good_swap_global_from_call(PyObject *self, PyObject *args)
{
	char *tmp = NULL;
	PyObject *old;

	(void)self;
	if (!PyArg_ParseTuple(args, "z", &tmp))
		return NULL;
	old = default_host;
	if (tmp) {
		default_host = PyUnicode_FromString(tmp);
	} else {
		Py_INCREF(Py_None);
		default_host = Py_None;
	}
	return old;
}

/* PyLong_AsSsize_t fails cleanly on NULL (no failure of its own to follow here): the release
 * after it crashes */
static Py_ssize_t bad_length_of_failed_int(long n)
{
	PyObject *tmp = PyLong_FromLong(n);
	Py_ssize_t len = PyLong_AsSsize_t(tmp);

	Py_DECREF(tmp); // expect-warning{{rc-unchecked-null}}
	return len;
}

/* PyList_Append fails cleanly on NULL, but its result is dropped: the error is swallowed */
static void bad_append_result_dropped(PyObject *list, PyObject *item)
{
	PyObject *name = PyObject_Str(item);

	PyList_Append(list, name); // expect-warning{{rc-unchecked-null}}
	Py_XDECREF(name);
}

/* the result of the call that fails cleanly is only stored: the error is swallowed */
struct setting {
	long value;
};

static void bad_value_stored_unchecked(struct setting *s, PyObject *list)
{
	s->value = PyLong_AsLong(PyList_GetItem(list, 1)); // expect-warning{{rc-unchecked-null}}
}

/* the NULL itself is returned after the call that fails cleanly on it: the error goes on */
static PyObject *good_dir_extended(PyObject *self)
{
	PyObject *type = PyObject_Type(self);
	PyObject *attrs = PyObject_Dir(type);
	PyObject *r = PyObject_CallMethod(attrs, "extend", "[ss]", "a", "b");

	Py_DECREF(type);
	Py_XDECREF(r);
	return attrs;
}

/* blind set 9: a constant the AST folds (a flag macro `1 << 2`) inside CPython's small-int
 * cache: PyLong_FromLong cannot fail */
#define FLAG_C (1 << 2)

static int good_small_constant_flag(PyObject *d)
{
	PyObject *val = PyLong_FromLong(FLAG_C);
	int r = PyDict_SetItemString(d, "FLAG_C", val);

	Py_DECREF(val);
	return r;
}

static PyMethodDef methods[] = {
	{"dir_sorted", (PyCFunction)good_dir_sorted, METH_NOARGS, NULL},
	{"bad", (PyCFunction)bad_release_after_failed_call, METH_NOARGS, NULL},
	{"swap_global", good_swap_global, METH_O, NULL},
	{"swap_field", good_swap_field, METH_O, NULL},
	{"swap_host", good_swap_global_from_call, METH_VARARGS, NULL},
	{"dir_extended", (PyCFunction)good_dir_extended, METH_NOARGS, NULL},
	{"replace", good_replace_then_release, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "m", NULL, -1, methods, NULL, NULL, NULL, NULL};
static PyObject *thing;

PyMODINIT_FUNC PyInit_m(void)
{
	PyObject *m;

	if (bad_length_of_failed_int(3) < 0)
		return NULL;
	bad_append_result_dropped(Py_None, Py_None);
	if (good_small_constant_flag(Py_None) < 0)
		return NULL;
	{
		struct setting st;
		bad_value_stored_unchecked(&st, Py_None);
	}
	m = PyModule_Create(&mod);
	if (m == NULL)
		return NULL;
	if (good_add_type(m, &thing) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
