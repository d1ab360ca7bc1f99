/*
 * lrucache - a least-recently-used cache as a CPython extension type (the FIXED twin).
 *
 * examples/pyext/buggy/lrucache.c is the same module with typical reference-count bugs, each
 * marked `// BUG(rc-...)`; this file is what it should have been, and rccheck must find nothing
 * here. The meson test (test_lrucache.py) imports this module and exercises every method,
 * including the collection of reference cycles through the cache.
 *
 *     c = lrucache.LRUCache(capacity, on_evict=None)
 *     c.put(key, value)         insert or replace; evicts the least recently used entry when full
 *     c.get(key, default=None)  the value (marks the key as most recently used) or default
 *     c.popitem()               removes and returns the least recently used (key, value)
 *     c.keys() / c.items()      lists, least recently used first
 *     c.resize(capacity)        evicts until the cache fits; c.clear(); c.stats(); len(c); key in c
 *     c.on_evict                callable(key, value) called for each eviction, or None
 *
 * Ownership: data (dict key -> value), order (list of keys, least recently used first) and
 * on_evict are strong references owned by the cache; tp_traverse visits all three, tp_clear
 * releases all three, so cycles through values or through the callback are collectable.
 * Invariant (between calls): the keys of data are exactly the items of order.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *data;     /* dict: key -> value */
	PyObject *order;    /* list of keys, least recently used first */
	PyObject *on_evict; /* callable(key, value), or NULL */
	Py_ssize_t capacity;
	Py_ssize_t hits;
	Py_ssize_t misses;
} LRUCache;

static PyObject *lrucache_error; /* lrucache.Error: one reference here, one in the module */

/* ---- helpers ----------------------------------------------------------------------------- */

/* Moves key to the most-recently-used end of order. 0, or -1 with an exception set. */
static int touch(LRUCache *self, PyObject *key)
{
	Py_ssize_t i = PySequence_Index(self->order, key);
	if (i < 0)
		return -1;
	if (PySequence_DelItem(self->order, i) < 0)
		return -1;
	return PyList_Append(self->order, key);
}

/* Removes the least recently used entry, calls on_evict(key, value).
 * 0, or -1 with an exception set. One exit label releases in reverse order. */
static int evict_oldest(LRUCache *self)
{
	PyObject *key, *value = NULL, *res = NULL;
	int rc = -1;

	key = PyList_GetItem(self->order, 0); /* borrowed; IndexError when empty */
	if (key == NULL)
		return -1;
	Py_INCREF(key); /* the list's reference goes away below */
	value = PyDict_GetItemWithError(self->data, key);
	if (value == NULL) {
		if (!PyErr_Occurred())
			PyErr_SetString(lrucache_error, "order and data disagree");
		goto out;
	}
	Py_INCREF(value); /* so is the dict's */
	if (PySequence_DelItem(self->order, 0) < 0)
		goto out;
	if (PyDict_DelItem(self->data, key) < 0)
		goto out;
	if (self->on_evict != NULL) {
		res = PyObject_CallFunctionObjArgs(self->on_evict, key, value, NULL);
		if (res == NULL)
			goto out;
	}
	rc = 0;
out:
	Py_XDECREF(res);
	Py_XDECREF(value);
	Py_DECREF(key);
	return rc;
}

/* ---- type slots -------------------------------------------------------------------------- */

static PyObject *LRUCache_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
			      PyObject *Py_UNUSED(kwds))
{
	LRUCache *self = (LRUCache *)type->tp_alloc(type, 0);
	if (self == NULL)
		return NULL;
	self->capacity = 1;
	self->data = PyDict_New();
	self->order = PyList_New(0);
	if (self->data == NULL || self->order == NULL) {
		Py_DECREF(self); /* tp_dealloc copes with NULL fields */
		return NULL;
	}
	return (PyObject *)self;
}

static int check_callback(PyObject *cb)
{
	if (cb != Py_None && !PyCallable_Check(cb)) {
		PyErr_SetString(PyExc_TypeError, "on_evict must be callable or None");
		return -1;
	}
	return 0;
}

static int LRUCache_init(LRUCache *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = {"capacity", "on_evict", NULL};
	Py_ssize_t capacity;
	PyObject *cb = Py_None;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "n|O:LRUCache", kwlist, &capacity, &cb))
		return -1;
	if (capacity < 1) {
		PyErr_SetString(PyExc_ValueError, "capacity must be at least 1");
		return -1;
	}
	if (check_callback(cb) < 0)
		return -1;
	self->capacity = capacity;
	Py_XSETREF(self->on_evict, cb == Py_None ? NULL : Py_NewRef(cb));
	return 0;
}

static int LRUCache_traverse(LRUCache *self, visitproc visit, void *arg)
{
	Py_VISIT(self->data);
	Py_VISIT(self->order);
	Py_VISIT(self->on_evict);
	return 0;
}

static int LRUCache_clear(LRUCache *self)
{
	Py_CLEAR(self->data);
	Py_CLEAR(self->order);
	Py_CLEAR(self->on_evict);
	return 0;
}

static void LRUCache_dealloc(LRUCache *self)
{
	PyObject_GC_UnTrack(self);
	(void)LRUCache_clear(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t LRUCache_length(LRUCache *self)
{
	return PyDict_GET_SIZE(self->data);
}

static int LRUCache_contains(LRUCache *self, PyObject *key)
{
	return PyDict_Contains(self->data, key);
}

/* ---- methods ----------------------------------------------------------------------------- */

static PyObject *LRUCache_get(LRUCache *self, PyObject *args)
{
	PyObject *key, *dflt = Py_None, *value;

	if (!PyArg_ParseTuple(args, "O|O:get", &key, &dflt))
		return NULL;
	value = PyDict_GetItemWithError(self->data, key); /* borrowed */
	if (value == NULL) {
		if (PyErr_Occurred())
			return NULL;
		self->misses++;
		return Py_NewRef(dflt);
	}
	Py_INCREF(value); /* key comparisons in touch() may run Python code */
	if (touch(self, key) < 0) {
		Py_DECREF(value);
		return NULL;
	}
	self->hits++;
	return value;
}

static PyObject *LRUCache_put(LRUCache *self, PyObject *args)
{
	PyObject *key, *value;
	int present;

	if (!PyArg_ParseTuple(args, "OO:put", &key, &value))
		return NULL;
	present = PyDict_Contains(self->data, key);
	if (present < 0)
		return NULL;
	if (present) {
		if (PyDict_SetItem(self->data, key, value) < 0 || touch(self, key) < 0)
			return NULL;
		Py_RETURN_NONE;
	}
	while (PyDict_GET_SIZE(self->data) >= self->capacity) {
		if (evict_oldest(self) < 0)
			return NULL;
	}
	if (PyList_Append(self->order, key) < 0)
		return NULL;
	if (PyDict_SetItem(self->data, key, value) < 0) {
		/* keep the invariant: drop the key appended above (cannot fail) */
		(void)PySequence_DelItem(self->order, PyList_GET_SIZE(self->order) - 1);
		return NULL;
	}
	Py_RETURN_NONE;
}

static PyObject *LRUCache_popitem(LRUCache *self, PyObject *Py_UNUSED(ignored))
{
	PyObject *key, *value, *result;

	if (PyList_GET_SIZE(self->order) == 0) {
		PyErr_SetString(PyExc_KeyError, "popitem(): cache is empty");
		return NULL;
	}
	key = PyList_GET_ITEM(self->order, 0);
	Py_INCREF(key); /* the list's reference goes away below */
	value = PyObject_CallMethod(self->data, "pop", "O", key); /* new reference */
	if (value == NULL) {
		Py_DECREF(key);
		return NULL;
	}
	if (PySequence_DelItem(self->order, 0) < 0) {
		Py_DECREF(value);
		Py_DECREF(key);
		return NULL;
	}
	result = PyTuple_Pack(2, key, value);
	Py_DECREF(value);
	Py_DECREF(key);
	return result;
}

static PyObject *LRUCache_keys(LRUCache *self, PyObject *Py_UNUSED(ignored))
{
	Py_ssize_t n = PyList_GET_SIZE(self->order);
	PyObject *result = PyList_New(n);

	if (result == NULL)
		return NULL;
	for (Py_ssize_t i = 0; i < n; i++)
		PyList_SET_ITEM(result, i, Py_NewRef(PyList_GET_ITEM(self->order, i)));
	return result;
}

static PyObject *LRUCache_items(LRUCache *self, PyObject *Py_UNUSED(ignored))
{
	PyObject *result, *pair = NULL;

	result = PyList_New(0);
	if (result == NULL)
		return NULL;
	for (Py_ssize_t i = 0; i < PyList_GET_SIZE(self->order); i++) {
		PyObject *key = PyList_GET_ITEM(self->order, i);
		PyObject *value = PyDict_GetItemWithError(self->data, key);
		if (value == NULL) {
			if (!PyErr_Occurred())
				PyErr_SetString(lrucache_error, "order and data disagree");
			goto fail;
		}
		pair = PyTuple_Pack(2, key, value);
		if (pair == NULL)
			goto fail;
		if (PyList_Append(result, pair) < 0)
			goto fail;
		Py_CLEAR(pair);
	}
	return result;
fail:
	Py_XDECREF(pair);
	Py_DECREF(result);
	return NULL;
}

static PyObject *LRUCache_resize(LRUCache *self, PyObject *arg)
{
	Py_ssize_t capacity = PyLong_AsSsize_t(arg);

	if (capacity == -1 && PyErr_Occurred())
		return NULL;
	if (capacity < 1) {
		PyErr_SetString(PyExc_ValueError, "capacity must be at least 1");
		return NULL;
	}
	self->capacity = capacity;
	while (PyDict_GET_SIZE(self->data) > self->capacity) {
		if (evict_oldest(self) < 0)
			return NULL;
	}
	Py_RETURN_NONE;
}

static PyObject *LRUCache_clear_method(LRUCache *self, PyObject *Py_UNUSED(ignored))
{
	PyDict_Clear(self->data);
	if (PyList_SetSlice(self->order, 0, PyList_GET_SIZE(self->order), NULL) < 0)
		return NULL;
	self->hits = 0;
	self->misses = 0;
	Py_RETURN_NONE;
}

static PyObject *LRUCache_stats(LRUCache *self, PyObject *Py_UNUSED(ignored))
{
	return Py_BuildValue("{s:n,s:n,s:n,s:n}", "hits", self->hits, "misses", self->misses,
			     "size", PyDict_GET_SIZE(self->data), "capacity", self->capacity);
}

static PyObject *LRUCache_get_on_evict(LRUCache *self, void *Py_UNUSED(closure))
{
	if (self->on_evict == NULL)
		Py_RETURN_NONE;
	return Py_NewRef(self->on_evict);
}

static int LRUCache_set_on_evict(LRUCache *self, PyObject *value, void *Py_UNUSED(closure))
{
	if (value == NULL)
		value = Py_None; /* del c.on_evict */
	if (check_callback(value) < 0)
		return -1;
	Py_XSETREF(self->on_evict, value == Py_None ? NULL : Py_NewRef(value));
	return 0;
}

/* ---- type and module --------------------------------------------------------------------- */

static PyMethodDef LRUCache_methods[] = {
	{"get", (PyCFunction)LRUCache_get, METH_VARARGS, "get(key, default=None)"},
	{"put", (PyCFunction)LRUCache_put, METH_VARARGS, "put(key, value)"},
	{"popitem", (PyCFunction)LRUCache_popitem, METH_NOARGS, "remove the LRU (key, value)"},
	{"keys", (PyCFunction)LRUCache_keys, METH_NOARGS, "keys, least recently used first"},
	{"items", (PyCFunction)LRUCache_items, METH_NOARGS, "(key, value) pairs, LRU first"},
	{"resize", (PyCFunction)LRUCache_resize, METH_O, "resize(capacity)"},
	{"clear", (PyCFunction)LRUCache_clear_method, METH_NOARGS, "remove every entry"},
	{"stats", (PyCFunction)LRUCache_stats, METH_NOARGS, "hits, misses, size, capacity"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef LRUCache_getset[] = {
	{"on_evict", (getter)LRUCache_get_on_evict, (setter)LRUCache_set_on_evict,
	 "callable(key, value) called on eviction, or None", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods LRUCache_as_sequence = {
	.sq_contains = (objobjproc)LRUCache_contains,
};

static PyMappingMethods LRUCache_as_mapping = {
	.mp_length = (lenfunc)LRUCache_length,
};

static PyTypeObject LRUCacheType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "lrucache.LRUCache",
	.tp_doc = "LRUCache(capacity, on_evict=None): a least-recently-used cache",
	.tp_basicsize = sizeof(LRUCache),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_new = LRUCache_new,
	.tp_init = (initproc)LRUCache_init,
	.tp_dealloc = (destructor)LRUCache_dealloc,
	.tp_traverse = (traverseproc)LRUCache_traverse,
	.tp_clear = (inquiry)LRUCache_clear,
	.tp_methods = LRUCache_methods,
	.tp_getset = LRUCache_getset,
	.tp_as_sequence = &LRUCache_as_sequence,
	.tp_as_mapping = &LRUCache_as_mapping,
};

static struct PyModuleDef lrucache_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "lrucache",
	.m_doc = "A least-recently-used cache type (rccheck's example extension, fixed twin).",
	.m_size = -1,
};

PyMODINIT_FUNC PyInit_lrucache(void)
{
	PyObject *m, *version;

	if (PyType_Ready(&LRUCacheType) < 0)
		return NULL;
	m = PyModule_Create(&lrucache_module);
	if (m == NULL)
		return NULL;
	if (PyModule_AddType(m, &LRUCacheType) < 0)
		goto fail;
	if (PyModule_AddIntConstant(m, "DEFAULT_CAPACITY", 128) < 0)
		goto fail;
	if (lrucache_error == NULL) {
		lrucache_error = PyErr_NewException("lrucache.Error", NULL, NULL);
		if (lrucache_error == NULL)
			goto fail;
	}
	if (PyModule_AddObjectRef(m, "Error", lrucache_error) < 0) /* never steals */
		goto fail;
	version = PyUnicode_FromString("1.0");
	if (version == NULL)
		goto fail;
	if (PyModule_AddObject(m, "__version__", version) < 0) { /* steals only on success */
		Py_DECREF(version);
		goto fail;
	}
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
