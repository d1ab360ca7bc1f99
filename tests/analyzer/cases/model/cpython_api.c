/* Code against the real CPython C API (Python.h from pkg-config python3; skipped without it),
 * known to rccheck through its built-in CPython model: stolen list/tuple items, borrowed dict
 * items, PyArg_ParseTuple 'O', Py_BuildValue 'N'/'O', Py_CLEAR and Py_SETREF in an object's
 * clear and setter. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *name;
	PyObject *cache;
} NodeObject;

/* ---- must stay silent ---------------------------------------------------------------------- */

static PyObject *good_make_list(long n)
{
	PyObject *list = PyList_New(n);
	if (!list)
		return NULL;
	for (long i = 0; i < n; i++) {
		PyObject *item = PyLong_FromLong(i);
		if (!item) {
			Py_DECREF(list);
			return NULL;
		}
		PyList_SetItem(list, i, item); /* steals item */
	}
	return list;
}

static int good_append(PyObject *list, long v)
{
	PyObject *item = PyLong_FromLong(v);
	int err;
	if (item == NULL)
		return -1;
	err = PyList_Append(list, item); /* does not steal */
	Py_DECREF(item);
	return err;
}

static PyObject *good_lookup(PyObject *dict, PyObject *key)
{
	PyObject *v = PyDict_GetItem(dict, key); /* borrowed */
	if (!v)
		Py_RETURN_NONE;
	return Py_NewRef(v);
}

static PyObject *good_parse(PyObject *self, PyObject *args)
{
	PyObject *obj;
	(void)self;
	if (!PyArg_ParseTuple(args, "O", &obj))
		return NULL;
	return Py_BuildValue("(OO)", obj, obj); /* 'O' adds its own references */
}

static PyObject *good_build_n(long v)
{
	PyObject *x = PyLong_FromLong(v);
	if (!x)
		return NULL;
	return Py_BuildValue("(N)", x); /* 'N' steals x */
}

static int good_node_clear(NodeObject *self)
{
	Py_CLEAR(self->name);
	Py_CLEAR(self->cache);
	return 0;
}

static int good_node_set_name(NodeObject *self, PyObject *value)
{
	Py_SETREF(self->name, Py_NewRef(value));
	return 0;
}

/* The accumulator idiom of CPython's own sum(): the new value may be NULL; Py_SETREF stores it
 * anyway (a plain assignment) and the check follows. */
static PyObject *good_sum_setref(PyObject *seq)
{
	PyObject *result = PyLong_FromLong(0);
	Py_ssize_t n = PySequence_Size(seq);
	if (!result || n < 0) {
		Py_XDECREF(result);
		return NULL;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *item = PySequence_GetItem(seq, i);
		if (!item) {
			Py_DECREF(result);
			return NULL;
		}
		Py_SETREF(result, PyNumber_Add(result, item));
		Py_DECREF(item);
		if (result == NULL)
			return NULL;
	}
	return result;
}

static void good_xsetref_slot(PyObject **slot, long v)
{
	Py_XSETREF(*slot, PyLong_FromLong(v)); /* NULL on failure is a valid new value */
}

static int good_module_add_object(PyObject *m)
{
	PyObject *v = PyLong_FromLong(1);
	if (!v)
		return -1;
	if (PyModule_AddObject(m, "one", v) < 0) { /* steals only on success */
		Py_DECREF(v);
		return -1;
	}
	return 0;
}

static int good_module_add_object_ref(PyObject *m)
{
	PyObject *v = PyLong_FromLong(1);
	int err;
	if (!v)
		return -1;
	err = PyModule_AddObjectRef(m, "one", v); /* never steals */
	Py_DECREF(v);
	return err;
}

static PyObject *good_tuple_set_item_macro(void)
{
	PyObject *t = PyTuple_New(1);
	PyObject *x;
	if (!t)
		return NULL;
	x = PyLong_FromLong(5);
	if (!x) {
		Py_DECREF(t);
		return NULL;
	}
	PyTuple_SET_ITEM(t, 0, x); /* steals x */
	return t;
}

static PyObject *good_return_none(PyObject *self, PyObject *args)
{
	(void)self;
	(void)args;
	Py_RETURN_NONE;
}

static PyObject *good_iterate(PyObject *o)
{
	PyObject *it = PyObject_GetIter(o);
	PyObject *item;
	long n = 0;
	if (!it)
		return NULL;
	while ((item = PyIter_Next(it))) {
		n++;
		Py_DECREF(item);
	}
	Py_DECREF(it);
	if (PyErr_Occurred())
		return NULL;
	return PyLong_FromLong(n);
}

static PyObject *good_dict_next(PyObject *d)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;
	long n = 0;
	while (PyDict_Next(d, &pos, &key, &value)) { /* borrowed key and value */
		if (PyObject_IsTrue(value) > 0)
			n++;
	}
	return PyLong_FromLong(n);
}

static PyObject *good_optional_argument(PyObject *self, PyObject *args)
{
	PyObject *a, *b = NULL;
	(void)self;
	if (!PyArg_ParseTuple(args, "O|O", &a, &b))
		return NULL;
	if (b)
		return Py_NewRef(b);
	return Py_NewRef(a);
}

static void good_node_dealloc(NodeObject *self)
{
	PyObject_GC_UnTrack(self);
	Py_XDECREF(self->name);
	Py_XDECREF(self->cache);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *good_error_label(void)
{
	PyObject *a = NULL, *b = NULL, *res = NULL;
	a = PyLong_FromLong(1);
	if (!a)
		goto error;
	b = PyLong_FromLong(2);
	if (!b)
		goto error;
	res = PyTuple_Pack(2, a, b);
error:
	Py_XDECREF(a);
	Py_XDECREF(b);
	return res;
}

static PyObject *good_sequence_fast(PyObject *o)
{
	PyObject *seq = PySequence_Fast(o, "not a sequence");
	Py_ssize_t n;
	long total = 0;
	if (!seq)
		return NULL;
	n = PySequence_Fast_GET_SIZE(seq);
	for (Py_ssize_t i = 0; i < n; i++)
		total += PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, i));
	Py_DECREF(seq);
	return PyLong_FromLong(total);
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* A temporary new reference passed straight to a function that does not steal it (and may be
 * NULL). */
static int bad_temporary_leaked(PyObject *d)
{
	return PyDict_SetItemString(d, "k", PyLong_FromLong(1000)); // expect-warning{{rc-leak}} expect-warning{{rc-unchecked-null}}
}

static int bad_setattr_does_not_steal(PyObject *o)
{
	PyObject *v = PyUnicode_FromString("x");
	if (!v)
		return -1;
	return PyObject_SetAttrString(o, "name", v); // expect-warning{{rc-leak}}
}

static void bad_list_getitem_decref(PyObject *l)
{
	PyObject *x = PyList_GetItem(l, 0);
	if (x)
		Py_DECREF(x); // expect-warning{{rc-release-borrowed}}
}

/* Py_None is a borrowed global (built-in model: global Py_None borrowed immortal). */
static void bad_decref_none(void)
{
	Py_DECREF(Py_None); // expect-warning{{rc-release-borrowed}}
}

/* A function registered in a PyMethodDef table returns a new reference: Py_None needs one. */
static PyObject *bad_method_returns_none(PyObject *self, PyObject *args)
{
	(void)self;
	(void)args;
	return Py_None; // expect-warning{{rc-return-borrowed}}
}

static PyMethodDef case_methods[] = {
	{"returns_none", bad_method_returns_none, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static void bad_dict_next_decref(PyObject *d)
{
	Py_ssize_t pos = 0;
	PyObject *key, *value;
	while (PyDict_Next(d, &pos, &key, &value))
		Py_DECREF(value); // expect-warning{{rc-release-borrowed}}
}


/* The classic PyModule_AddObject leak: on failure the reference is still ours. */
static int bad_module_add_object(PyObject *m)
{
	PyObject *v = PyLong_FromLong(1);
	if (!v)
		return -1;
	if (PyModule_AddObject(m, "one", v) < 0)
		return -1; // expect-warning{{rc-leak}}
	return 0;
}


static PyObject *bad_make_list_error_path(long n)
{
	PyObject *list = PyList_New(n);
	if (!list)
		return NULL;
	for (long i = 0; i < n; i++) {
		PyObject *item = PyLong_FromLong(i);
		if (!item)
			return NULL; // expect-warning{{rc-leak}}
		PyList_SetItem(list, i, item);
	}
	return list;
}

static int bad_decref_after_setitem(PyObject *list, long v)
{
	PyObject *item = PyLong_FromLong(v);
	if (!item)
		return -1;
	if (PyList_SetItem(list, 0, item) < 0)
		return -1;
	Py_DECREF(item); // expect-warning{{rc-double-release}}
	return 0;
}

static void bad_decref_borrowed(PyObject *dict, PyObject *key)
{
	PyObject *v = PyDict_GetItem(dict, key);
	if (!v)
		return;
	Py_DECREF(v); // expect-warning{{rc-release-borrowed}}
}

static int bad_append_leaks(PyObject *list, long v)
{
	PyObject *item = PyLong_FromLong(v);
	if (!item)
		return -1;
	return PyList_Append(list, item); // expect-warning{{rc-leak}}
}

static PyObject *bad_tuple_unchecked(void)
{
	PyObject *t = PyTuple_New(1);
	PyObject *first = PyTuple_GET_ITEM(t, 0); // expect-warning{{rc-unchecked-null}}
	(void)first;
	return t;
}

static PyObject *bad_build_n_then_decref(long v)
{
	PyObject *x = PyLong_FromLong(v);
	PyObject *t;
	if (!x)
		return NULL;
	t = Py_BuildValue("(N)", x);
	Py_DECREF(x); // expect-warning{{rc-double-release}}
	return t;
}

/* Keep the static functions referenced. */
void *cpython_api_case_functions[] = {
	(void *)good_make_list, (void *)good_append, (void *)good_lookup, (void *)good_parse,
	(void *)good_build_n, (void *)good_node_clear, (void *)good_node_set_name,
	(void *)bad_make_list_error_path, (void *)bad_decref_after_setitem, (void *)bad_decref_borrowed,
	(void *)bad_append_leaks, (void *)bad_tuple_unchecked, (void *)bad_build_n_then_decref,
	(void *)good_sum_setref, (void *)good_xsetref_slot, (void *)good_module_add_object,
	(void *)good_module_add_object_ref, (void *)good_tuple_set_item_macro, (void *)good_return_none,
	(void *)bad_module_add_object, (void *)good_iterate, (void *)good_dict_next,
	(void *)good_optional_argument, (void *)good_node_dealloc, (void *)good_error_label,
	(void *)good_sequence_fast, (void *)bad_dict_next_decref, (void *)bad_temporary_leaked,
	(void *)bad_setattr_does_not_steal, (void *)bad_list_getitem_decref, (void *)bad_decref_none,
	(void *)case_methods,
};
