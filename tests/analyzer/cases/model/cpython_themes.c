/* Engine v2, the themes of false alarms on code nobody tuned rccheck for (issue "engine v2"):
 * each good_ function was reported by the engine before it, each bad_ one is a real defect of
 * the same shape. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *items;
} FooObject;

typedef struct {
	PyObject *chunk;
	int errored;
} ReadResult;

ReadResult read_chunk(PyObject *source);
PyObject *validate(PyObject *self, PyObject *query); /* defined elsewhere: new or NULL */
Py_ssize_t chunk_size(PyObject *o);

/* ---- theme 5: a type's dealloc called directly on a fresh object ------------------------- */

static void Foo_dealloc(FooObject *self)
{
	Py_XDECREF(self->items);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *good_new_deallocs_on_error(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	(void)args;
	(void)kw;
	FooObject *self = (FooObject *)type->tp_alloc(type, 0);
	if (!self)
		return NULL;
	self->items = PyList_New(0);
	if (!self->items) {
		Foo_dealloc(self); /* frees the memory: the reference goes with it */
		return NULL;
	}
	return (PyObject *)self;
}

static PyObject *bad_dealloc_then_decref(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	(void)args;
	(void)kw;
	FooObject *self = (FooObject *)type->tp_alloc(type, 0);
	if (!self)
		return NULL;
	self->items = PyList_New(0);
	if (!self->items) {
		Foo_dealloc(self);
		Py_DECREF(self); // expect-warning{{rc-double-release}}
		return NULL;
	}
	return (PyObject *)self;
}

/* ---- theme 3: one value tested twice ----------------------------------------------------- */

/* query comes from a function of another file; tested twice, it is one value */
static int good_query_tested_twice(PyObject *self, PyObject *query, PyObject *cvt)
{
	PyObject *fquery = NULL;
	int res = -1;
	if (!(query = validate(self, query)))
		goto exit;
	if (cvt) {
		fquery = PyObject_Repr(cvt);
		if (!fquery)
			goto exit;
	} else {
		Py_INCREF(query);
		fquery = query;
	}
	res = 0;
exit:
	Py_XDECREF(query);
	Py_XDECREF(fquery);
	return res;
}

/* a size from an unknown function, tested twice: the second test agrees with the first */
static PyObject *good_size_tested_twice(PyObject *self, PyObject *src)
{
	PyObject *buf = PyBytes_FromStringAndSize(NULL, 16);
	Py_ssize_t n = chunk_size(src);
	(void)self;
	if (!buf)
		return NULL;
	if (n == 0) {
		Py_DECREF(buf);
		Py_RETURN_NONE;
	}
	if (n)
		return buf;
	Py_DECREF(buf);
	return PyLong_FromLong(0);
}

/* ---- theme 6: a member of a local struct ------------------------------------------------- */

static PyObject *good_local_struct_member(PyObject *self, PyObject *src)
{
	ReadResult result;
	(void)self;
	result = read_chunk(src);
	if (result.chunk || result.errored)
		return result.chunk; /* whether it holds a reference is read_chunk's contract */
	Py_RETURN_NONE;
}

static PyMethodDef foo_methods[] = {
	{ "good_size_tested_twice", good_size_tested_twice, METH_O, NULL },
	{ "good_local_struct_member", good_local_struct_member, METH_O, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject Foo_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "themes.Foo",
	.tp_basicsize = sizeof(FooObject),
	.tp_dealloc = (destructor)Foo_dealloc,
	.tp_new = good_new_deallocs_on_error,
	.tp_methods = foo_methods,
};

PyTypeObject *foo_type(void)
{
	return &Foo_Type;
}
