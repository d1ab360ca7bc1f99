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

/* ---- theme 6: a C library's pointer, a field's reference given back ----------------------- */

struct creader {
	void *privdata;
	int n;
};
struct creader *creader_new(void);

typedef struct {
	PyObject_HEAD
	struct creader *reader;
	PyObject *key;
} ReaderObject;

/* the C reader points back at its owner through a `void *`: no reference is stored there */
static PyObject *good_privdata_back_pointer(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	(void)args;
	(void)kw;
	ReaderObject *self = (ReaderObject *)type->tp_alloc(type, 0);
	if (!self)
		return NULL;
	self->reader = creader_new();
	self->reader->privdata = self;
	return (PyObject *)self;
}

/* the function takes its own reference before the field lets go of its one */
static PyObject *good_key_taken_then_cleared(ReaderObject *self)
{
	PyObject *retkey = self->key;
	if (!retkey)
		Py_RETURN_NONE;
	Py_INCREF(retkey);
	Py_CLEAR(self->key);
	return retkey;
}

static PyObject *bad_key_cleared_then_returned(ReaderObject *self)
{
	PyObject *retkey = self->key;
	if (!retkey)
		Py_RETURN_NONE;
	Py_CLEAR(self->key);
	Py_INCREF(retkey); // expect-warning{{rc-use-after-release}}
	return retkey;
}

/* ---- theme 2: API facts ------------------------------------------------------------------ */

/* Py_BuildValue("()") is the empty tuple CPython keeps: it cannot fail */
static PyObject *good_empty_tuple(PyObject *self, PyObject *callable)
{
	(void)self;
	PyObject *args = Py_BuildValue("()");
	PyObject *r = PyObject_Call(callable, args, NULL);
	Py_DECREF(args);
	return r;
}

/* ---- theme 3: a member of a local struct tested twice ------------------------------------- */

struct opts {
	int fixed;
	int n;
};
void parse_opts(struct opts *o, PyObject *a);

static PyObject *good_local_flag_twice(PyObject *self, PyObject *a)
{
	struct opts arg;
	PyObject *list = NULL;
	(void)self;
	parse_opts(&arg, a);
	if (!arg.fixed) {
		list = PyList_New(0);
		if (!list)
			return NULL;
	}
	if (arg.fixed)
		Py_RETURN_NONE;
	return list;
}

static PyMethodDef reader_methods[] = {
	{ "good_key_taken_then_cleared", (PyCFunction)good_key_taken_then_cleared, METH_NOARGS, NULL },
	{ "bad_key_cleared_then_returned", (PyCFunction)bad_key_cleared_then_returned, METH_NOARGS, NULL },
	{ "good_empty_tuple", good_empty_tuple, METH_O, NULL },
	{ "good_local_flag_twice", good_local_flag_twice, METH_O, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject Reader_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "themes.Reader",
	.tp_basicsize = sizeof(ReaderObject),
	.tp_new = good_privdata_back_pointer,
	.tp_methods = reader_methods,
};

PyTypeObject *reader_type(void)
{
	return &Reader_Type;
}

/* ---- one defect, many expansions: a macro that leaks is one finding ----------------------- */

#define ADD_INT(d, name) PyDict_SetItemString(d, #name, PyLong_FromLong(name))
enum { K_ONE = 1000, K_TWO = 2000, K_THREE = 3000 };

int bad_macro_constants(PyObject *d)
{
	ADD_INT(d, K_ONE); // expect-warning{{rc-leak}} expect-warning{{rc-unchecked-null}}
	ADD_INT(d, K_TWO);
	ADD_INT(d, K_THREE);
	return 0;
}

/* ---- theme 1: objects handed to a C library with a destroy callback ----------------------- */

typedef void (*destroy_fn)(void *);
struct lib_api {
	int (*set_aux)(void *ctx, void *data, destroy_fn d);
};
int lib_set_data(void *ctx, void *data, destroy_fn d);
int lib_set_data_rev(destroy_fn d, void *ctx, void *data);
int sqlite3_create_function_v2(void *db, const char *name, int n, int rep, void *app, void *f, void *s, void *fin,
			       destroy_fn d);

static void drop_object(void *p)
{
	Py_DECREF((PyObject *)p);
}

/* the callback's address, written &cb */
static PyObject *good_callback_address(PyObject *self, PyObject *arg)
{
	(void)self;
	Py_INCREF(arg);
	if (lib_set_data(NULL, arg, &drop_object) < 0) {
		Py_DECREF(arg);
		return PyErr_NoMemory();
	}
	Py_RETURN_NONE;
}

/* the callback first, the object past a NULL context */
static PyObject *good_callback_first(PyObject *self, PyObject *arg)
{
	(void)self;
	Py_INCREF(arg);
	if (lib_set_data_rev(drop_object, NULL, arg) < 0) {
		Py_DECREF(arg);
		return PyErr_NoMemory();
	}
	Py_RETURN_NONE;
}

/* through a function pointer member of an API struct */
static int good_callback_member(struct lib_api *api, PyObject *arg)
{
	Py_INCREF(arg);
	if (api->set_aux(NULL, arg, drop_object) < 0) {
		Py_DECREF(arg);
		return -1;
	}
	return 0;
}

/* SQLite's _v2 registrations call the destroy callback even when they fail */
static PyObject *good_sqlite_v2_on_failure(PyObject *self, PyObject *func)
{
	(void)self;
	Py_INCREF(func);
	if (sqlite3_create_function_v2(NULL, "f", 1, 1, func, NULL, NULL, NULL, drop_object) != 0) {
		PyErr_SetString(PyExc_RuntimeError, "cannot register");
		return NULL; /* drop_object(func) already ran */
	}
	Py_RETURN_NONE;
}

static PyObject *bad_sqlite_v2_released_twice(PyObject *self, PyObject *func)
{
	(void)self;
	Py_INCREF(func);
	if (sqlite3_create_function_v2(NULL, "f", 1, 1, func, NULL, NULL, NULL, drop_object) != 0) {
		Py_DECREF(func); // expect-warning{{rc-double-release}}
		PyErr_SetString(PyExc_RuntimeError, "cannot register");
		return NULL;
	}
	Py_RETURN_NONE;
}

static PyMethodDef callback_methods[] = {
	{ "good_callback_address", good_callback_address, METH_O, NULL },
	{ "good_callback_first", good_callback_first, METH_O, NULL },
	{ "good_sqlite_v2_on_failure", good_sqlite_v2_on_failure, METH_O, NULL },
	{ "bad_sqlite_v2_released_twice", bad_sqlite_v2_released_twice, METH_O, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *callback_table(struct lib_api *api, PyObject *arg)
{
	return good_callback_member(api, arg) ? NULL : callback_methods;
}

/* ---- theme 2: NULL arguments the API documents (the base and dict of a new exception) -------- */

static PyObject *ThemesError, *ThemesSubError;

int good_exception_base_maybe_null(PyObject *m)
{
	ThemesError = PyErr_NewException("themes.Error", NULL, NULL);
	ThemesSubError = PyErr_NewException("themes.SubError", ThemesError, NULL); /* NULL base: Exception */
	if (!ThemesError || !ThemesSubError)
		return -1;
	return PyModule_AddObjectRef(m, "Error", ThemesError);
}

/* ---- theme 2: "O&" converters of PyArg_ParseTuple -------------------------------------------- */

int my_converter(PyObject *o, void *out);

/* PyUnicode_FSConverter stores a new reference the caller releases */
static PyObject *good_fs_converter(PyObject *self, PyObject *args)
{
	PyObject *path = NULL;
	(void)self;
	if (!PyArg_ParseTuple(args, "O&:open", PyUnicode_FSConverter, &path))
		return NULL;
	PyObject *r = PyObject_Repr(path);
	Py_DECREF(path);
	return r;
}

static PyObject *bad_fs_converter_leaked(PyObject *self, PyObject *args)
{
	PyObject *path = NULL;
	(void)self;
	if (!PyArg_ParseTuple(args, "iO&", &(int){ 0 }, PyUnicode_FSConverter, &path))
		return NULL;
	Py_RETURN_NONE; // expect-warning{{rc-leak}}
}

/* what an unknown converter stores is its business */
static PyObject *good_unknown_converter(PyObject *self, PyObject *args)
{
	PyObject *thing = NULL;
	(void)self;
	if (!PyArg_ParseTuple(args, "O&", my_converter, &thing))
		return NULL;
	Py_XDECREF(thing);
	Py_RETURN_NONE;
}

static PyMethodDef converter_methods[] = {
	{ "good_fs_converter", good_fs_converter, METH_VARARGS, NULL },
	{ "bad_fs_converter_leaked", bad_fs_converter_leaked, METH_VARARGS, NULL },
	{ "good_unknown_converter", good_unknown_converter, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *converter_table(void)
{
	return converter_methods;
}

/* a converter of the module: it stores a new reference on success (its summary says so) */
static int to_text(PyObject *o, void *out)
{
	PyObject *s = PyObject_Str(o);
	if (s == NULL)
		return 0;
	*(PyObject **)out = s;
	return 1;
}

static PyObject *good_own_converter(PyObject *self, PyObject *args)
{
	PyObject *text = NULL;
	(void)self;
	if (!PyArg_ParseTuple(args, "O&", to_text, &text))
		return NULL;
	PyObject *r = PyObject_Repr(text);
	Py_DECREF(text);
	return r;
}

static PyObject *bad_own_converter_leaked(PyObject *self, PyObject *args)
{
	PyObject *text = NULL;
	(void)self;
	if (!PyArg_ParseTuple(args, "O&", to_text, &text))
		return NULL;
	return PyLong_FromLong(1); // expect-warning{{rc-leak}}
}

static PyMethodDef own_converter_methods[] = {
	{ "good_own_converter", good_own_converter, METH_VARARGS, NULL },
	{ "bad_own_converter_leaked", bad_own_converter_leaked, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *own_converter_table(void)
{
	return own_converter_methods;
}
