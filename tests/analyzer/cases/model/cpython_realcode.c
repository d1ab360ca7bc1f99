/* Shapes met in real extension modules (psutil, pycurl, bitarray, simplejson, multidict, psycopg2)
 * where rccheck once reported false alarms, each reduced to a function of our own; plus the bug
 * next to each, which must still be found. Against the real Python.h. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cpython_realcode_macros.h"

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

/* ---- Py_INCREF(Py_True); return Py_True; is a new reference, as Py_RETURN_TRUE is ------------ */

static PyObject *good_is_dirty(PyObject *self, PyObject *unused)
{
	(void)unused;
	if (PyObject_IsTrue(self) > 0) {
		Py_INCREF(Py_True);
		return Py_True;
	}
	Py_INCREF(Py_False);
	return Py_False;
}

static PyObject *bad_is_dirty_forgets_one(PyObject *self, PyObject *unused)
{
	(void)unused;
	if (PyObject_IsTrue(self) > 0) {
		Py_INCREF(Py_False); /* the wrong object */
		return Py_True; // expect-warning{{rc-return-borrowed}}
	}
	Py_INCREF(Py_False);
	return Py_False;
}

static PyObject *bad_incref_on_one_branch(PyObject *self, PyObject *unused)
{
	(void)unused;
	if (PyObject_IsTrue(self) > 0)
		Py_INCREF(Py_True);
	return Py_True; // expect-warning{{rc-return-borrowed}}
}

static PyObject *good_richcompare(PyObject *v, PyObject *w, int op)
{
	if (op != Py_EQ && op != Py_NE) {
		Py_INCREF(Py_NotImplemented);
		return Py_NotImplemented;
	}
	if (v == w) {
		Py_INCREF(Py_True);
		return Py_True;
	}
	return PyObject_RichCompare(v, w, op);
}

static PyObject *bad_set_item_borrowed(PyObject *self, PyObject *x);

static PyMethodDef entry_methods[] = {
	{"good_is_dirty", good_is_dirty, METH_NOARGS, NULL},
	{"bad_set_item", bad_set_item_borrowed, METH_O, NULL},
	{"bad_is_dirty", bad_is_dirty_forgets_one, METH_NOARGS, NULL},
	{"bad_one_branch", bad_incref_on_one_branch, METH_NOARGS, NULL},
	{"bad_type", bad_return_type, METH_NOARGS, NULL},
	{"good_type", good_return_type, METH_NOARGS, NULL},
	{NULL, NULL, 0, NULL},
};

richcmpfunc entry_richcompare = good_richcompare;

PyObject *entry_methods_table(void);
PyObject *entry_methods_table(void)
{
	return PyCFunction_New(entry_methods, NULL);
}

/* ---- Py_SETREF on a local: the old value is released, the local takes the new one --------- */

static PyObject *step(PyObject *node, PyObject *key)
{
	if (key == Py_None)
		return Py_NewRef(node);
	return PyTuple_Pack(2, node, key);
}

static int good_setref_local_loop(PyObject *seq, PyObject *root, PyObject **result)
{
	PyObject *it = PyObject_GetIter(seq);
	PyObject *last, *key;
	if (it == NULL)
		return -1;
	last = Py_NewRef(root);
	while ((key = PyIter_Next(it))) {
		PyObject *next = step(last, key);
		Py_DECREF(key);
		if (next == NULL)
			goto err;
		Py_SETREF(last, next);
	}
	if (PyErr_Occurred())
		goto err;
	Py_DECREF(it);
	*result = last;
	return 0;
err:
	Py_DECREF(it);
	Py_DECREF(last);
	return -1;
}

/* (void: a status result that fails without the release would make it a steal-on-success
 * helper by design, as below) */
static void bad_setref_borrowed_local(PyObject *root, PyObject *key, PyObject **result)
{
	PyObject *last = root; /* borrowed: no Py_INCREF */
	PyObject *next = step(last, key);
	if (next == NULL)
		return;
	Py_SETREF(last, next); // expect-warning{{rc-release-borrowed}}
	*result = last;
}

static int bad_setref_local_leak(PyObject *root, PyObject *key)
{
	PyObject *last = Py_NewRef(root);
	PyObject *next = step(last, key);
	if (next == NULL) {
		Py_DECREF(last);
		return -1;
	}
	Py_SETREF(last, next);
	return 0; // expect-warning{{rc-leak}}
}

/* ---- rc-inconsistent: a parameter handed out through an out-parameter on one path ---------- */

static int good_node_without(PyObject *self, int reuse, int drop, PyObject **out)
{
	PyObject *target;
	if (drop) {
		PyObject *fresh = PyList_New(0);
		if (fresh == NULL)
			return -1;
		*out = fresh;
		return 3;
	}
	if (reuse) {
		target = self;
		Py_INCREF(target); /* the new reference goes out through *out */
	} else {
		target = PyList_New(0);
		if (target == NULL)
			return -1;
	}
	*out = target;
	return 3;
}

static int bad_node_pick_borrowed_out(PyObject *self, PyObject *other, int pick, PyObject **out)
{
	if (pick) {
		*out = other; /* borrowed: the caller cannot tell which it got */
		return 3;
	}
	Py_INCREF(self);
	*out = self;
	return 3; // expect-warning{{rc-inconsistent}}
}

static int bad_node_without(PyObject *self, int reuse, int drop)
{
	if (drop)
		return 3;
	if (reuse) {
		Py_INCREF(self);
		return 3; // expect-warning{{rc-inconsistent}} expect-warning{{rc-leak}}
	}
	return 0;
}

/* ---- NULL tests written inside the body of a macro of the file ------------------------------ */

#define STORE_OR_FAIL(i, make) \
	item = (make); \
	if (item == NULL) \
		goto fail; \
	PyTuple_SET_ITEM(pair, (i), item)

static PyObject *good_macro_store(long a, long b)
{
	PyObject *pair = PyTuple_New(2), *item;
	if (pair == NULL)
		return NULL;
	STORE_OR_FAIL(0, PyLong_FromLong(a));
	STORE_OR_FAIL(1, PyLong_FromLong(b));
	return pair;
fail:
	Py_DECREF(pair);
	return NULL;
}

#define RAISE_CODE(code) do { \
	PyObject *err = Py_BuildValue("(i)", (code)); \
	if (err != NULL) { \
		PyErr_SetObject(PyExc_RuntimeError, err); \
		Py_DECREF(err); \
	} \
	return NULL; \
} while (0)

static PyObject *good_macro_raise(long code)
{
	if (code != 0)
		RAISE_CODE((int)code);
	Py_RETURN_NONE;
}

#define RAISE_CODE_LEAKY(code) do { \
	PyObject *err = Py_BuildValue("(i)", (code)); \
	if (err != NULL) \
		PyErr_SetObject(PyExc_RuntimeError, err); \
	return NULL; \
} while (0)

static PyObject *bad_macro_raise(long code)
{
	if (code != 0)
		RAISE_CODE_LEAKY((int)code); // expect-warning{{rc-leak}}
	Py_RETURN_NONE;
}

#define FLUSH(list, chunk) \
	if ((chunk) != NULL) { \
		if (PyList_Append((list), (chunk)) < 0) \
			goto fail; \
		Py_CLEAR(chunk); \
	}

static PyObject *good_macro_nested_clear(long n)
{
	PyObject *list = PyList_New(0), *chunk = NULL;
	if (list == NULL)
		return NULL;
	for (long i = 0; i < n; i++) {
		FLUSH(list, chunk)
		chunk = PyLong_FromLong(i);
		if (chunk == NULL)
			goto fail;
	}
	FLUSH(list, chunk)
	return list;
fail:
	Py_XDECREF(chunk);
	Py_DECREF(list);
	return NULL;
}

/* ---- helpers of other files that take over a reference (no model, no body here) ------------- */

PyObject *ensure_text_steal(PyObject *obj);   /* releases obj, returns a new reference */
int list_append_steal(PyObject *list, PyObject *item); /* takes item over */
int check_value(PyObject *obj);               /* borrows obj */

static PyObject *good_helper_replaces(PyObject *o)
{
	PyObject *s = PyObject_Str(o);
	if (s == NULL)
		return NULL;
	s = ensure_text_steal(s);
	return s;
}

static PyObject *good_helper_takes_temporary(PyObject *o)
{
	return ensure_text_steal(PyObject_Repr(o));
}

static int good_helper_appends_temporary(PyObject *list, long v)
{
	return list_append_steal(list, PyLong_FromLong(v));
}

static int bad_helper_borrows_then_forgotten(long v)
{
	PyObject *o = PyLong_FromLong(v);
	if (o == NULL)
		return -1;
	if (check_value(o) < 0)
		return -1; // expect-warning{{rc-leak}}
	Py_DECREF(o);
	return 0;
}

static int bad_named_reference_to_unknown(long v)
{
	PyObject *o = PyLong_FromLong(v);
	if (o == NULL)
		return -1;
	check_value(o);
	return 0; // expect-warning{{rc-leak}}
}

/* ---- functions made to receive fresh references: they consume their parameter --------------- */

/* Steals obj (NULL allowed: a failed result passed straight in); returns bytes or NULL. */
static PyObject *good_to_bytes_steal(PyObject *obj)
{
	PyObject *rv = NULL;
	if (obj == NULL)
		return NULL;
	if (PyUnicode_Check(obj)) {
		rv = PyUnicode_AsUTF8String(obj);
		Py_DECREF(obj);
	} else if (PyBytes_Check(obj)) {
		rv = obj; /* the caller's reference goes on as the result */
	} else {
		PyErr_SetString(PyExc_TypeError, "expected str or bytes");
		Py_DECREF(obj);
	}
	return rv;
}

static int good_append_steal(PyObject *list, PyObject *obj)
{
	int ok;
	if (obj == NULL)
		return 0;
	ok = PyList_Append(list, obj) == 0;
	Py_DECREF(obj);
	return ok;
}

static PyObject *good_caller_of_steal(PyObject *o)
{
	PyObject *b = good_to_bytes_steal(PyObject_Str(o));
	if (b == NULL)
		return NULL;
	return b;
}

/* No NULL test and nothing passed on: the caller's reference is released. */
static void bad_releases_callers_reference(PyObject *list, PyObject *obj)
{
	if (PyList_Append(list, obj) < 0)
		PyErr_Clear();
	Py_DECREF(obj); // expect-warning{{rc-release-borrowed}}
}

/* ---- helpers that return their argument, or store it ----------------------------------------- */

static PyObject *mark_checked(PyObject *o)
{
	return o; /* the argument itself */
}

static PyObject *good_returns_through_helper(long v)
{
	PyObject *r = PyLong_FromLong(v);
	if (r == NULL)
		return NULL;
	return mark_checked(r);
}

typedef struct {
	PyObject_HEAD
	PyObject *wrapped;
} AdapterObject;

static int adapter_setup(AdapterObject *self, PyObject *o)
{
	Py_INCREF(o);
	self->wrapped = o;
	return 0;
}

static int good_adapter_init(PyObject *self, PyObject *args, PyObject *kwds)
{
	PyObject *o;
	(void)kwds;
	if (!PyArg_ParseTuple(args, "O", &o))
		return -1;
	return adapter_setup((AdapterObject *)self, o);
}

static int good_store_then_incref(AdapterObject *self, PyObject *obj)
{
	Py_XDECREF(self->wrapped);
	self->wrapped = obj;
	Py_INCREF(obj);
	return 0;
}

static int bad_incref_without_store(AdapterObject *self, PyObject *obj)
{
	Py_XDECREF(self->wrapped);
	self->wrapped = NULL;
	Py_INCREF(obj);
	return 0; // expect-warning{{rc-leak}}
}

/* ---- rc-inconsistent: a tested NULL parameter has nothing to release -------------------------- */

static int good_release_unless_null(PyObject *list, PyObject *item)
{
	if (item == NULL)
		return -1;
	if (PyList_Append(list, item) < 0) {
		Py_DECREF(item);
		return -1;
	}
	Py_DECREF(item);
	return 0;
}

/* ---- PyModule_AddObjectRef / PyModule_AddObject accept a NULL value (they fail with -1) ------- */

static int good_add_unchecked_value(PyObject *module, long v)
{
	PyObject *obj = PyLong_FromLong(v);
	int res = PyModule_AddObjectRef(module, "spam", obj); /* the documented example */
	Py_XDECREF(obj);
	return res;
}

static int good_add_steal_unchecked(PyObject *module)
{
	PyObject *obj = PyUnicode_FromString("x");
	if (PyModule_AddObject(module, "x", obj) < 0) {
		Py_XDECREF(obj);
		return -1;
	}
	return 0;
}

/* ---- NULL tests inside macros of a project header, and !(x = f()) in a macro body ------------ */

static PyObject *good_header_macro_raise(int status)
{
	if (status != 0)
		RAISE_STATUS(PyExc_RuntimeError, status);
	Py_RETURN_NONE;
}

static int good_header_macro_items(PyObject *d, int physical)
{
	PyObject *item = NULL;
	int rv = -1;
	if (physical) {
		SET_TEXT_ITEM(d, "replication", "true");
		SET_TEXT_ITEM(d, "dbname", "replication");
	} else {
		SET_TEXT_ITEM(d, "replication", "database");
	}
	rv = 0;
exit:
	Py_XDECREF(item);
	return rv;
}

static int bad_header_macro_items(PyObject *d)
{
	PyObject *item = NULL;
	SET_TEXT_ITEM(d, "replication", "true");
	item = PyUnicode_FromString("x");
	return 0; // expect-warning{{rc-leak}}
exit:
	Py_XDECREF(item);
	return -1;
}

/* ---- a same-file helper taking its argument over on success only ----------------------------- */

static int insert_steal_on_success(PyObject *d, const char *name, PyObject *value)
{
	if (PyDict_SetItemString(d, name, value) < 0)
		return -1;
	Py_DECREF(value); /* by design: the dict holds it now */
	return 0;
}

static int good_caller_steal_on_success(PyObject *d, long v)
{
	PyObject *o = PyLong_FromLong(v);
	if (o == NULL)
		return -1;
	if (insert_steal_on_success(d, "v", o) < 0) {
		Py_DECREF(o);
		return -1;
	}
	return 0;
}

static int bad_caller_steal_on_success(PyObject *d, long v)
{
	PyObject *o = PyLong_FromLong(v);
	if (o == NULL)
		return -1;
	if (insert_steal_on_success(d, "v", o) < 0)
		return -1; // expect-warning{{rc-leak}}
	return 0;
}

/* ---- type slots called through the type: tp_alloc returns a new reference, tp_free frees ----- */

typedef struct {
	PyObject_HEAD
	char *buf;
} BufObject;

static PyObject *good_new_with_tp_alloc(PyTypeObject *type, Py_ssize_t n)
{
	BufObject *obj = (BufObject *)type->tp_alloc(type, 0);
	if (obj == NULL)
		return NULL;
	obj->buf = PyMem_Malloc((size_t)n + 1);
	if (obj->buf == NULL) {
		PyObject_Del(obj); /* the fresh object's only reference goes with its memory */
		return PyErr_NoMemory();
	}
	return (PyObject *)obj;
}

static PyObject *bad_tp_alloc_leaked(PyTypeObject *type, Py_ssize_t n)
{
	BufObject *obj = (BufObject *)type->tp_alloc(type, 0);
	if (obj == NULL)
		return NULL;
	obj->buf = PyMem_Malloc((size_t)n + 1);
	if (obj->buf == NULL)
		return PyErr_NoMemory(); // expect-warning{{rc-leak}}
	return (PyObject *)obj;
}

static void good_buf_dealloc(BufObject *self)
{
	PyMem_Free(self->buf);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ---- a helper stealing its argument into Py_BuildValue "N" consumes it ------------------------ */

static PyObject *build_pair_steal(PyObject *rval, Py_ssize_t idx)
{
	if (rval == NULL)
		return NULL;
	return Py_BuildValue("(Nn)", rval, idx);
}

static PyObject *good_caller_of_build_steal(PyObject *o)
{
	return build_pair_steal(PyObject_Str(o), 1);
}

/* ---- take-a-reference and maybe-release helpers for a third party ----------------------------- */

typedef struct {
	PyObject_HEAD
	int shared;
} OwnerObject;

static void owner_add_ref(OwnerObject *owner)
{
	if (owner == NULL)
		return;
	owner->shared += 1;
	Py_INCREF(owner); /* for the C library holding it */
}

static void owner_release_ref(OwnerObject *owner)
{
	if (owner == NULL || owner->shared <= 0)
		return;
	owner->shared -= 1;
	Py_DECREF(owner); // expect-warning{{rc-release-borrowed}}
}

int library_register(OwnerObject *owner);

static int good_caller_of_maybe_release(OwnerObject *owner)
{
	owner_add_ref(owner); /* the library's reference */
	if (library_register(owner) < 0) {
		owner_release_ref(owner);
		return -1;
	}
	return 0;
}

/* ---- resize in place: the old reference is replaced (or released and NULL on failure) -------- */

static PyObject *resize_steal(PyObject *b, Py_ssize_t n)
{
	if (_PyBytes_Resize(&b, n) == 0)
		return b;
	return NULL;
}

static PyObject *good_grow(Py_ssize_t n)
{
	PyObject *result = PyBytes_FromStringAndSize(NULL, 8);
	if (result == NULL)
		return NULL;
	if (!(result = resize_steal(result, n)))
		return NULL;
	return result;
}

static PyObject *good_resize_direct(Py_ssize_t n)
{
	PyObject *b = PyBytes_FromStringAndSize(NULL, 8);
	if (b == NULL)
		return NULL;
	if (_PyBytes_Resize(&b, n) < 0)
		return NULL; /* b was released and set to NULL */
	return b;
}

static PyObject *bad_resize_then_release(Py_ssize_t n)
{
	PyObject *b = PyBytes_FromStringAndSize(NULL, 8);
	if (b == NULL)
		return NULL;
	if (_PyBytes_Resize(&b, n) < 0) {
		return NULL;
	}
	return NULL; // expect-warning{{rc-leak}}
}

static PyObject *good_concat(PyObject *a, PyObject *tail)
{
	PyObject *s = PyUnicode_FromString("x");
	PyUnicode_Append(&s, tail); /* s replaced; NULL on error */
	(void)a;
	return s;
}

/* ---- "0 on success, -1 on failure": a non-zero test is the failure test ---------------------- */

static int good_add_nonzero_test(PyObject *module)
{
	PyObject *f = PyLong_FromLong(1);
	if (f == NULL)
		return -1;
	if (PyModule_AddObject(module, "f", f)) {
		Py_DECREF(f); /* failed: still ours */
		return -1;
	}
	return 0;
}

static int bad_add_nonzero_test(PyObject *module)
{
	PyObject *f = PyLong_FromLong(1);
	if (f == NULL)
		return -1;
	if (PyModule_AddObject(module, "f", f))
		return -1; // expect-warning{{rc-leak}}
	return 0;
}

/* ---- a function named for stealing its argument ----------------------------------------------- */

static int steal_accumulate(PyObject *list, PyObject *stolen)
{
	int rval = PyList_Append(list, stolen);
	Py_DECREF(stolen);
	return rval;
}

static int good_use_steal_accumulate(PyObject *list, long v)
{
	PyObject *o = PyLong_FromLong(v);
	if (o == NULL)
		return -1;
	return steal_accumulate(list, o);
}

/* ---- rc-inconsistent: a reference stored into self on one failing path only ------------------ */

typedef struct {
	PyObject_HEAD
	PyObject *conn;
	PyObject *factory;
} CursorObject;

static int good_cursor_setup(CursorObject *self, PyObject *conn, const char *name)
{
	if (name && name[0] == '\0')
		return -1;
	Py_INCREF(conn);
	self->conn = conn; /* released by the cursor's dealloc, whatever the result */
	self->factory = PyObject_GetAttrString(conn, "factory");
	if (self->factory == NULL)
		return -1;
	return 0;
}

/* ---- store, then Py_INCREF: the reference is the field's, given back when it is cleared ------- */

static PyObject *good_set_share(CursorObject *self, PyObject *obj, int fail)
{
	PyObject *share = obj;
	self->factory = share;
	Py_INCREF(share);
	if (fail) {
		self->factory = NULL;
		Py_DECREF(share);
		return NULL;
	}
	Py_RETURN_NONE;
}

/* ---- PyDict_GetItemRef sets *result to NULL on error --------------------------------------- */

static int good_get_ref_loop(PyObject *dict, PyObject *keys)
{
	PyObject *iter = PyObject_GetIter(keys), *key, *value = NULL;
	if (iter == NULL)
		return -1;
	while ((key = PyIter_Next(iter))) {
		if (PyDict_GetItemRef(dict, key, &value) < 0)
			goto error; /* value is NULL here, not the previous item */
		Py_DECREF(key);
		Py_XDECREF(value);
	}
	Py_DECREF(iter);
	return PyErr_Occurred() ? -1 : 0;
error:
	Py_DECREF(iter);
	Py_DECREF(key);
	Py_XDECREF(value);
	return -1;
}

/* ---- a helper that dereferences an unchecked allocation does not return NULL to its callers --- */

typedef struct {
	PyObject_HEAD
	Py_ssize_t count;
} VecObject;

extern PyTypeObject VecType;

static VecObject *new_vec(Py_ssize_t n)
{
	VecObject *v = PyObject_New(VecObject, &VecType);
	v->count = n; // expect-warning{{rc-unchecked-null}}
	return v;
}

static PyObject *good_caller_of_unchecked_helper(Py_ssize_t n)
{
	VecObject *v = new_vec(n);
	v->count += 1; /* the helper's own missing check is the finding, not this */
	return (PyObject *)v;
}

/* ---- callbacks of a parser table: `void *` parameters consumed by contract -------------------- */

typedef void *JOBJ;

typedef struct {
	JOBJ (*make_int)(long v);
	void (*add_item)(JOBJ list, JOBJ value);
	void (*drop)(JOBJ obj);
} ParserCallbacks;

static JOBJ cb_make_int(long v)
{
	return PyLong_FromLong(v);
}

static void cb_add_item(JOBJ list, JOBJ value)
{
	if (PyList_Append((PyObject *)list, (PyObject *)value) < 0)
		PyErr_Clear();
	Py_DECREF((PyObject *)value);
}

static void cb_drop(JOBJ obj)
{
	Py_DECREF((PyObject *)obj);
}

const ParserCallbacks parser_callbacks = { cb_make_int, cb_add_item, cb_drop };

/* a PyObject * parameter released everywhere, nothing else said: the caller's reference */
static void bad_drop_typed(PyObject *obj)
{
	Py_DECREF(obj); // expect-warning{{rc-release-borrowed}}
}

/* ---- hand over, then take a reference back: PyList_SET_ITEM(l, i, x); Py_INCREF(x); ---------- */

static PyObject *good_set_item_then_incref(PyObject *x)
{
	PyObject *l = PyList_New(1);
	if (l == NULL)
		return NULL;
	PyList_SET_ITEM(l, 0, x); /* steals the caller's... */
	Py_INCREF(x);             /* ...and pays it back */
	return l;
}

static PyObject *bad_set_item_borrowed(PyObject *self, PyObject *x)
{
	(void)self;
	PyObject *l = PyList_New(1);
	if (l == NULL)
		return NULL;
	PyList_SET_ITEM(l, 0, x); // expect-warning{{rc-release-borrowed}}
	return l;
}

/* ---- a same-file helper that keeps a pointer without a reference of its own ------------------ */

typedef struct {
	PyObject_HEAD
	PyObject *error_obj; /* for the message only: not a reference */
} EncoderState;

static void set_error(EncoderState *enc, PyObject *obj)
{
	enc->error_obj = obj; /* borrowed on purpose: the caller keeps its reference */
}

static int good_encode_checks(EncoderState *enc, PyObject *obj)
{
	if (!PyUnicode_Check(obj)) {
		set_error(enc, obj);
		return -1;
	}
	return 0;
}

/* ---- a same-file helper keeping its argument in a field the unit releases elsewhere ----------- */

typedef struct {
	PyObject_HEAD
	PyObject *dict_obj;
} IterContext;

static void setup_dict_iter(IterContext *pc, PyObject *dict)
{
	pc->dict_obj = dict; /* the context owns what it holds: released by dict_iter_end */
}

static void dict_iter_end(IterContext *pc)
{
	Py_CLEAR(pc->dict_obj);
}

static int good_begin_with_new(IterContext *pc, PyObject *obj)
{
	PyObject *d = PyObject_CallMethod(obj, "toDict", NULL);
	if (d == NULL)
		return -1;
	setup_dict_iter(pc, d); /* hands the new reference over */
	return 0;
}

static int good_begin_with_incref(IterContext *pc, PyObject *obj)
{
	setup_dict_iter(pc, obj);
	Py_INCREF(obj); /* the context's reference */
	return 0;
}

static int bad_begin_borrowed(IterContext *pc, PyObject *obj)
{
	setup_dict_iter(pc, obj); // expect-warning{{rc-release-borrowed}}
	return 0;
}

void iter_context_done(IterContext *pc);
void iter_context_done(IterContext *pc)
{
	dict_iter_end(pc);
}

/* ---- PyCallable_Check(NULL) is 0: it tests a failed lookup as well ----------------------------- */

static PyObject *good_call_writer(PyObject *o, PyObject *args)
{
	PyObject *m = PyObject_GetAttrString(o, "write");
	PyObject *r;
	if (!PyCallable_Check(m)) {
		Py_XDECREF(m);
		PyErr_SetString(PyExc_TypeError, "expected a writer");
		return NULL;
	}
	r = PyObject_CallObject(m, args);
	Py_DECREF(m);
	return r;
}

static PyObject *bad_call_unchecked(PyObject *o, PyObject *args)
{
	PyObject *m = PyObject_GetAttrString(o, "write");
	PyObject *r = PyObject_CallObject(m, args); // expect-warning{{rc-unchecked-null}}
	Py_XDECREF(m);
	return r;
}

/* ---- small ints cannot fail; Py_BuildValue takes a failed object (returns NULL) ---------------- */

static PyObject *good_small_int_constant(PyObject *list)
{
	PyObject *zero = PyLong_FromLong(0); /* CPython keeps -5..256 */
	if (PyList_Append(list, zero) < 0) {
		Py_DECREF(zero);
		return NULL;
	}
	Py_DECREF(zero);
	Py_RETURN_NONE;
}

static PyObject *bad_big_int_constant(PyObject *list)
{
	PyObject *big = PyLong_FromLong(100000);
	/* PyList_Append fails cleanly on NULL (fails-on-null: SystemError), the release crashes */
	if (PyList_Append(list, big) < 0) {
		Py_DECREF(big); // expect-warning{{rc-unchecked-null}}
		return NULL;
	}
	Py_DECREF(big);
	Py_RETURN_NONE;
}

static PyObject *good_build_with_failed(PyObject *o)
{
	PyObject *r = PyObject_Repr(o);
	return Py_BuildValue("(N)", r); /* NULL in: NULL out, the exception kept */
}

/* ---- an element fetched from a list the function still owns outlives the fetched reference ---- */

static int good_copy_pairs(PyObject *dst, PyObject *mapping)
{
	PyObject *pairs = PyMapping_Items(mapping);
	Py_ssize_t i, n;
	if (pairs == NULL)
		return -1;
	n = PyList_Size(pairs);
	for (i = 0; i < n; i++) {
		PyObject *item = PySequence_GetItem(pairs, i);
		PyObject *key, *value;
		if (item == NULL)
			goto fail;
		key = PyTuple_GetItem(item, 0);
		value = PyTuple_GetItem(item, 1);
		Py_DECREF(item); /* pairs still holds the tuple */
		if (key == NULL || value == NULL)
			goto fail;
		if (PyObject_SetItem(dst, key, value) < 0)
			goto fail;
	}
	Py_DECREF(pairs);
	return 0;
fail:
	Py_DECREF(pairs);
	return -1;
}

static int bad_use_after_container_released(PyObject *dst, PyObject *mapping)
{
	PyObject *pairs = PyMapping_Items(mapping);
	PyObject *item, *key;
	if (pairs == NULL)
		return -1;
	item = PySequence_GetItem(pairs, 0);
	Py_DECREF(pairs);
	if (item == NULL)
		return -1;
	key = PyTuple_GetItem(item, 0);
	Py_DECREF(item);
	if (key == NULL)
		return -1;
	return PyObject_SetItem(dst, key, key); // expect-warning{{rc-use-after-release}}
}

/* ---- `if (r == Py_None)`: inside, Py_None names r --------------------------------------------- */

static PyObject *good_call_or_default(PyObject *fn, PyObject *dflt)
{
	PyObject *result = PyObject_CallNoArgs(fn);
	if (result == NULL)
		return NULL;
	if (result == Py_None) {
		Py_DECREF(Py_None); /* result's reference */
		Py_INCREF(dflt);
		return dflt;
	}
	return result;
}

static PyObject *good_none_is_result(PyObject *fn)
{
	PyObject *result = PyObject_CallNoArgs(fn);
	if (result == NULL)
		return NULL;
	if (result != Py_None)
		return result;
	return Py_None; /* result's reference, under the name Py_None */
}

static PyObject *bad_decref_none_other(PyObject *fn, PyObject *other)
{
	PyObject *result = PyObject_CallNoArgs(fn);
	if (result == NULL)
		return NULL;
	if (other == Py_None) {
		Py_DECREF(Py_None); // expect-warning{{rc-release-borrowed}}
		return result;
	}
	return result;
}

typedef struct {
	PyObject_HEAD
	PyObject *encoding;
} EncoderObject;

static int good_store_none_alias(EncoderObject *s, PyObject *args)
{
	PyObject *encoding;
	if (!PyArg_ParseTuple(args, "O", &encoding))
		return -1;
	if (encoding == Py_None) {
		Py_INCREF(Py_None);
		s->encoding = Py_None; /* the reference goes into the field */
	} else {
		s->encoding = PyObject_Str(encoding);
		if (s->encoding == NULL)
			return -1;
	}
	return 0;
}

int cache_lookup(PyObject *cache, PyObject *key, PyObject **result); /* another file's */

static PyObject *good_unknown_result_is_none(PyObject *cache, PyObject *key, PyObject *dflt)
{
	PyObject *result;
	if (cache_lookup(cache, key, &result) <= 0)
		return NULL;
	if (result == Py_None && dflt != NULL) {
		Py_DECREF(Py_None); /* the reference cache_lookup gave */
		Py_INCREF(dflt);
		return dflt;
	}
	return result;
}
