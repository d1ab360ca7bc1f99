/* Shapes met in a third held-out set of real extension modules (a database driver, an imaging
 * library, an FFI and a regular-expression engine) where rccheck reported false alarms, each
 * reduced to a function of our own; plus the bug next to each, which must still be found.
 * Against the real Python.h. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ---- an index compared with the container's size: PyTuple_GetItem/PyList_GetItem cannot fail */

static int good_pair_constant_index(PyObject *pair, long *out)
{
	if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2)
		return -1;
	PyObject *x = PyTuple_GetItem(pair, 0);
	PyObject *y = PyTuple_GetItem(pair, 1);
	if (!PyLong_Check(x) || !PyLong_Check(y))
		return -1;
	*out = PyLong_AsLong(x) + PyLong_AsLong(y);
	return 0;
}

static int bad_pair_index_past_size(PyObject *pair)
{
	if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2)
		return -1;
	PyObject *z = PyTuple_GetItem(pair, 2);
	return PyLong_Check(z); // expect-warning{{rc-unchecked-null}}
}

static int good_loop_below_size(PyObject *t)
{
	Py_ssize_t i, n;
	if (!PyTuple_Check(t))
		return 0;
	n = PyTuple_GET_SIZE(t);
	for (i = 0; i < n; i++) {
		PyObject *item = PyTuple_GetItem(t, i);
		if (!PyLong_Check(item))
			return 0;
	}
	return 1;
}

static Py_ssize_t good_list_size_in_condition(PyObject *list)
{
	Py_ssize_t total = 0;
	for (Py_ssize_t i = 0; i < PyList_Size(list); i++)
		total += PyBytes_Size(PyList_GetItem(list, i));
	return total;
}

static Py_ssize_t good_size_copied(PyObject *list)
{
	Py_ssize_t total = 0, count = PyList_Size(list), i;
	Py_ssize_t n = count;
	for (i = n - 1; i >= 0; i--) {
		(void)i;
	}
	for (i = 0; n > i; i++)
		total += PyBytes_Size(PyList_GetItem(list, i));
	return total;
}

static int good_constant_bound_and_size(PyObject *extents, long *out)
{
	if (!PyTuple_Check(extents) || PyTuple_GET_SIZE(extents) != 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		PyObject *e = PyTuple_GetItem(extents, i);
		if (!PyLong_Check(e))
			return -1;
		out[i] = PyLong_AsLong(e);
	}
	return 0;
}

static PyObject *good_single_element_tuple(PyObject *color)
{
	Py_ssize_t size = PyTuple_Check(color) ? PyTuple_GET_SIZE(color) : -1;
	if (size == 1)
		color = PyTuple_GetItem(color, 0);
	return PyObject_Repr(color);
}

static int bad_loop_other_tuple(PyObject *a, PyObject *b)
{
	for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(a); i++) {
		PyObject *item = PyTuple_GetItem(b, i);
		if (!PyLong_Check(item)) // expect-warning{{rc-unchecked-null}}
			return 0;
	}
	return 1;
}

static int bad_loop_constant_above_size(PyObject *t)
{
	if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 2)
		return -1;
	for (int i = 0; i < 3; i++) {
		PyObject *item = PyTuple_GetItem(t, i);
		if (!PyLong_Check(item)) // expect-warning{{rc-unchecked-null}}
			return -1;
	}
	return 0;
}

static int bad_unchecked_index(PyObject *args, Py_ssize_t i)
{
	PyObject *item = PyTuple_GetItem(args, i);
	return PyLong_Check(item); // expect-warning{{rc-unchecked-null}}
}

/* ---- references kept in a local array, released through it --------------------------------- */

static PyObject *good_pair_in_array(PyObject *a, PyObject *b, int op)
{
	PyObject *pair[2];
	PyObject *res = NULL;
	pair[0] = a;
	Py_INCREF(a);
	pair[1] = b;
	Py_INCREF(b);
	for (int i = 0; i < 2; i++) {
		a = pair[i];
		if (!PyUnicode_Check(a))
			continue;
		b = PyNumber_Long(a);
		if (b == NULL)
			goto done;
		pair[i] = b;
		Py_DECREF(a);
	}
	res = PyObject_RichCompare(pair[0], pair[1], op);
done:
	Py_DECREF(pair[1]);
	Py_DECREF(pair[0]);
	return res;
}

static PyObject *bad_new_reference_overwritten(PyObject *a)
{
	PyObject *n = PyNumber_Long(a);
	if (n == NULL)
		return NULL;
	n = PyNumber_Float(a); // expect-warning{{rc-leak}}
	return n;
}

/* ---- helpers that take the caller's reference by design ------------------------------------- */

/* Drops obj (the caller's fresh reference) when it fails; the caller returns at once. */
static int check_short(PyObject *obj)
{
	if (PyObject_Length(obj) > 10) {
		Py_DECREF(obj);
		PyErr_SetString(PyExc_ValueError, "too long");
		return -1;
	}
	return 0;
}

static PyObject *good_check_short_caller(void)
{
	PyObject *s = PyUnicode_FromString("abc");
	if (s == NULL)
		return NULL;
	if (check_short(s) < 0)
		return NULL;
	return s;
}

/* Releases some paths' reference only: not a contract a caller can rely on. */
static int bad_release_on_one_error(PyObject *obj, int mode)
{
	if (mode == 1) {
		Py_DECREF(obj); // expect-warning{{rc-release-borrowed}}
		return -1;
	}
	if (mode == 2)
		return -1; // expect-warning{{rc-inconsistent}}
	return 0;
}

/* Calls back and drops both references (the callback is optional, the argument may be NULL). */
static void finish_call(PyObject *callback, PyObject *arg)
{
	if (callback != NULL) {
		PyObject *r = PyObject_CallOneArg(callback, arg);
		if (r == NULL)
			PyErr_WriteUnraisable(callback);
		else
			Py_DECREF(r);
		Py_DECREF(callback);
	}
	Py_XDECREF(arg);
}

typedef struct {
	PyObject_HEAD
	PyObject *callback, *arg;
} PendingObject;

static void good_run_pending(PendingObject *p)
{
	PyObject *cb = p->callback, *arg = p->arg;
	p->callback = NULL;
	p->arg = NULL;
	finish_call(cb, arg); /* the two references move from the fields to finish_call */
}

/* Re-raises the exception it is handed: PyErr_Restore takes the three references. */
static void restore_with_context(PyObject *type, PyObject *value, PyObject *tb, const char *where)
{
	if (where != NULL && PyErr_WarnEx(PyExc_RuntimeWarning, where, 1) < 0)
		PyErr_Clear();
	PyErr_Restore(type, value, tb);
}

static void good_fetch_and_restore(void)
{
	PyObject *t, *v, *tb;
	PyErr_Fetch(&t, &v, &tb);
	restore_with_context(t, v, tb, "while cleaning up");
}

/* A cleanup label that releases a parameter as if the function owned it. */
static int bad_cleanup_xdecref_param(PyObject *key, PyObject *dict)
{
	int err = -1;
	PyObject *v = PyLong_FromLong(1000);
	if (v == NULL)
		goto out;
	err = PyDict_SetItem(dict, key, v);
out:
	Py_XDECREF(v);
	Py_XDECREF(key); // expect-warning{{rc-release-borrowed}}
	return err;
}

/* ---- a failed result is never a global object ----------------------------------------------- */

/* A new reference; Py_None (a new reference) when exhausted; NULL on error. */
static PyObject *next_or_none(PyObject *it)
{
	PyObject *r = PyIter_Next(it);
	if (r == NULL && !PyErr_Occurred())
		Py_RETURN_NONE;
	return r;
}

static PyObject *good_none_marker(PyObject *it)
{
	PyObject *r = next_or_none(it);
	if (r == Py_None) {
		Py_DECREF(r);
		return NULL;
	}
	return r;
}

/* A new reference; Py_False (a new reference) when exhausted; NULL on error. */
static PyObject *next_or_false(PyObject *it)
{
	PyObject *r = PyIter_Next(it);
	if (r == NULL && !PyErr_Occurred()) {
		Py_INCREF(Py_False);
		return Py_False;
	}
	return r;
}

static PyObject *good_false_marker_released_by_name(PyObject *it)
{
	PyObject *r = next_or_false(it);
	if (r == Py_False) {
		Py_DECREF(Py_False);
		Py_RETURN_NONE;
	}
	return r;
}

static PyObject *bad_marker_unchecked(PyObject *it)
{
	PyObject *r = next_or_none(it);
	if (r != Py_None)
		return PyObject_Repr(r); // expect-warning{{rc-unchecked-null}} expect-warning{{rc-leak}}
	Py_DECREF(r);
	return NULL;
}

/* ---- a macro of this file invoked from an included list: its NULL tests are read from the
 * #define; what goes wrong in the list is reported at the #include line, once per value ---- */

#define ADD_ERROR(name, num)                                                          \
	do {                                                                          \
		exc = PyErr_NewException("m." #name, base, NULL);                     \
		if (exc == NULL)                                                      \
			return -1;                                                    \
		code = PyLong_FromLong(num + 1000);                                   \
		if (code == NULL)                                                     \
			return -1;                                                    \
		if (PyObject_SetAttrString(exc, "errnum", code) < 0)                  \
			return -1;                                                    \
		Py_DECREF(code);                                                      \
		if (PyModule_AddObject(module, #name, exc) < 0)                       \
			return -1;                                                    \
	} while (0);

static int init_errors(PyObject *module, PyObject *base)
{
	PyObject *exc, *code;
#include "cpython_realcode2_errors.h" // expect-warning{{rc-leak}} expect-warning{{rc-leak}}
	return 0;
}

/* ---- straight-line init code: 40 calls that can fail, one after the other. Each fork meets its
 * twin again once the temporary dies; without merging them there (2^80 paths) the budget ran
 * out and most leaks went unreported. PyModule_AddObject takes the reference only on success. */

static int add_constants(PyObject *m)
{
	PyModule_AddObject(m, "C0", PyLong_FromLong(0 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C1", PyLong_FromLong(1 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C2", PyLong_FromLong(2 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C3", PyLong_FromLong(3 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C4", PyLong_FromLong(4 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C5", PyLong_FromLong(5 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C6", PyLong_FromLong(6 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C7", PyLong_FromLong(7 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C8", PyLong_FromLong(8 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C9", PyLong_FromLong(9 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C10", PyLong_FromLong(10 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C11", PyLong_FromLong(11 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C12", PyLong_FromLong(12 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C13", PyLong_FromLong(13 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C14", PyLong_FromLong(14 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C15", PyLong_FromLong(15 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C16", PyLong_FromLong(16 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C17", PyLong_FromLong(17 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C18", PyLong_FromLong(18 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C19", PyLong_FromLong(19 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C20", PyLong_FromLong(20 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C21", PyLong_FromLong(21 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C22", PyLong_FromLong(22 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C23", PyLong_FromLong(23 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C24", PyLong_FromLong(24 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C25", PyLong_FromLong(25 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C26", PyLong_FromLong(26 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C27", PyLong_FromLong(27 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C28", PyLong_FromLong(28 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C29", PyLong_FromLong(29 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C30", PyLong_FromLong(30 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C31", PyLong_FromLong(31 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C32", PyLong_FromLong(32 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C33", PyLong_FromLong(33 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C34", PyLong_FromLong(34 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C35", PyLong_FromLong(35 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C36", PyLong_FromLong(36 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C37", PyLong_FromLong(37 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C38", PyLong_FromLong(38 + 1000)); // expect-warning{{rc-leak}}
	PyModule_AddObject(m, "C39", PyLong_FromLong(39 + 1000)); // expect-warning{{rc-leak}}
	return 0;
}

/* ---- a helper that hands its new object to a cache and returns it: the cache owns it ------- */

static PyObject *kinds[8];

static PyObject *make_kind(int n)
{
	PyObject *x = PyLong_FromLong(n + 1000);
	kinds[n] = x; /* the cache keeps the reference */
	return x;     /* borrowed */
}

#define get_kind(n) (kinds[n] != NULL ? kinds[n] : make_kind(n))

static int good_cached_kinds(PyObject *d)
{
	PyObject *a = get_kind(0);
	if (a == NULL)
		return -1;
	PyObject *b = get_kind(1);
	if (b == NULL)
		return -1;
	if (PyDict_SetItemString(d, "a", a) < 0)
		return -1;
	return PyDict_SetItemString(d, "b", b);
}

static PyObject *good_cached_kind_new_ref(int n)
{
	PyObject *k = get_kind(n);
	Py_XINCREF(k);
	return k;
}

/* keeps one reference and returns another: a new reference */
static PyObject *make_kind_ref(int n)
{
	PyObject *x = PyLong_FromLong(n + 1000);
	if (x == NULL)
		return NULL;
	kinds[n] = x;
	Py_INCREF(x);
	return x;
}

static int bad_kind_ref_dropped(PyObject *d)
{
	PyObject *k = make_kind_ref(2);
	if (k == NULL)
		return -1;
	return PyDict_SetItemString(d, "k", k); // expect-warning{{rc-leak}}
}

typedef struct {
	PyObject_HEAD
	PyObject *cached;
} CachingObject;

/* a method must return a new reference: the field owns the only one */
static PyObject *bad_method_returns_cached(CachingObject *self, PyObject *unused)
{
	(void)unused;
	if (self->cached == NULL) {
		PyObject *v = PyUnicode_FromString("value");
		if (v == NULL)
			return NULL;
		self->cached = v;
		return v; // expect-warning{{rc-return-borrowed}}
	}
	Py_INCREF(self->cached);
	return self->cached;
}

static PyMethodDef caching_methods[] = {
	{ "value", (PyCFunction)bad_method_returns_cached, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

/* an object whose buffer pointer points into itself: storing its address in a `char *` field
 * gives no reference away (the helper returns a new reference) */
typedef struct {
	PyObject_HEAD
	char *data;
	char inline_buf[16];
} BufferObject;

static PyObject *new_buffer(PyTypeObject *tp)
{
	BufferObject *b = PyObject_New(BufferObject, tp);
	if (b == NULL)
		return NULL;
	b->data = (char *)b;
	return (PyObject *)b;
}

static int bad_buffer_dropped(PyTypeObject *tp)
{
	PyObject *b = new_buffer(tp);
	if (b == NULL)
		return -1;
	return 0; // expect-warning{{rc-leak}}
}

/* ---- objects handed to a C library with a callback that releases them ---------------------- */

typedef void (*lib_destroy_fn)(void *);
extern int lib_set_user_data(void *owner, const void *key, void *data, lib_destroy_fn destroy);
extern void lib_attach(void *owner, lib_destroy_fn destroy, void *closure);
static const int user_key;

static void release_user_data(void *p)
{
	Py_DECREF((PyObject *)p);
}

/* a callback of the library: it receives the reference it drops (not a borrowed parameter) */
static void release_object(PyObject *o)
{
	Py_DECREF(o);
}

static PyObject *good_keep_callback(PyObject *self, PyObject *args)
{
	PyObject *cb;
	void *owner = PyCapsule_GetPointer(self, NULL);
	if (!PyArg_ParseTuple(args, "O", &cb))
		return NULL;
	if (lib_set_user_data(owner, &user_key, cb, release_user_data) != 0) {
		PyErr_NoMemory();
		return NULL;
	}
	Py_INCREF(cb); /* the library's reference, dropped by release_user_data */
	Py_RETURN_NONE;
}

static int good_keep_new_data(void *owner, PyObject *obj)
{
	PyObject *data = Py_BuildValue("(O)", obj);
	if (data == NULL)
		return -1;
	if (lib_set_user_data(owner, &user_key, data, release_user_data) != 0) {
		Py_DECREF(data); /* not taken: still ours */
		return -1;
	}
	return 0;
}

static void good_attach_closure(void *owner, PyObject *obj)
{
	Py_INCREF(obj);
	lib_attach(owner, (lib_destroy_fn)release_object, obj);
}

static int bad_data_leaked_when_refused(void *owner, PyObject *obj)
{
	PyObject *data = Py_BuildValue("(O)", obj);
	if (data == NULL)
		return -1;
	if (lib_set_user_data(owner, &user_key, data, release_user_data) != 0)
		return -1; // expect-warning{{rc-leak}}
	return 0;
}

static PyMethodDef callback_methods[] = {
	{ "keep", (PyCFunction)good_keep_callback, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

/* a function whose only statement is a call without arguments has no operands at all (a null
 * operand array: the callback scan must not index it; UBSan in CI) */
extern void lib_flush(void);
static void only_a_call(void)
{
	lib_flush();
}

/* ---- ownership reported through an out-parameter flag -------------------------------------- */

/* a new reference when *borrowed is 0, a borrowed one when it is 1 */
static PyObject *as_text(PyObject *obj, int *borrowed)
{
	if (PyUnicode_Check(obj)) {
		*borrowed = 1;
		return obj;
	}
	*borrowed = 0;
	return PyObject_Str(obj);
}

static Py_ssize_t good_text_length(PyObject *obj)
{
	int borrowed = 0;
	PyObject *t = as_text(obj, &borrowed);
	if (t == NULL)
		return -1;
	Py_ssize_t n = PyUnicode_GetLength(t);
	if (!borrowed)
		Py_DECREF(t);
	return n;
}

/* no flag says which: the caller cannot know whether to release */
static PyObject *bad_text_or_self(PyObject *obj)
{
	if (PyUnicode_Check(obj))
		return obj; // expect-warning{{rc-return-borrowed}}
	return PyObject_Str(obj);
}

/* ---- a `!` on a macro parameter inside the macro's body (it used to be dropped: the test was
 * read inverted) ------------------------------------------------------------------------- */

#define RELEASE_UNLESS(keep, ref) if (ref && !keep) { Py_DECREF(ref); }

static void good_release_unless_kept(PyObject *self)
{
	PyObject *a = PyNumber_Absolute(self);
	int keep = 0;
	if (a == NULL)
		return;
	RELEASE_UNLESS(keep, a)
}

static void bad_release_unless_kept(PyObject *self)
{
	PyObject *a = PyNumber_Absolute(self);
	int keep = 1;
	if (a == NULL)
		return;
	RELEASE_UNLESS(keep, a)
} // expect-warning{{rc-leak}}

/* ---- a macro defined once per #if branch: the compiled definition is the one the operands fit */

#ifdef RCCHECK_CASE_UNSET_CONFIG
#define DROP_IF_SET(ref)
#else
#define DROP_IF_SET(ref) if (ref != NULL) { Py_DECREF(ref); }
#endif

static PyObject *good_drop_if_set(PyObject *self, int n)
{
	PyObject *a = NULL;
	if (n > 0) {
		a = PyNumber_Absolute(self);
		if (a == NULL)
			PyErr_Clear();
	}
	DROP_IF_SET(a)
	Py_RETURN_NONE;
}

PyObject *use_all(PyObject *a, PyObject *b, PendingObject *p);
PyObject *use_all(PyObject *a, PyObject *b, PendingObject *p)
{
	long v[4];
	good_pair_constant_index(a, v);
	bad_pair_index_past_size(a);
	good_loop_below_size(a);
	good_list_size_in_condition(a);
	good_size_copied(a);
	good_constant_bound_and_size(a, v);
	Py_XDECREF(good_single_element_tuple(a));
	bad_loop_other_tuple(a, b);
	bad_loop_constant_above_size(a);
	bad_unchecked_index(a, 3);
	Py_XDECREF(good_pair_in_array(a, b, Py_EQ));
	Py_XDECREF(bad_new_reference_overwritten(a));
	Py_XDECREF(good_check_short_caller());
	bad_release_on_one_error(a, 1);
	good_run_pending(p);
	good_fetch_and_restore();
	bad_cleanup_xdecref_param(a, b); // expect-warning{{rc-release-borrowed}}
	Py_XDECREF(good_none_marker(a));
	Py_XDECREF(good_false_marker_released_by_name(a));
	init_errors(a, b);
	add_constants(a);
	good_cached_kinds(a);
	Py_XDECREF(good_cached_kind_new_ref(3));
	bad_kind_ref_dropped(a);
	(void)caching_methods;
	bad_buffer_dropped(Py_TYPE(a));
	good_keep_new_data(p, a);
	good_attach_closure(p, a);
	bad_data_leaked_when_refused(p, a);
	(void)callback_methods;
	only_a_call();
	good_text_length(a);
	good_release_unless_kept(a);
	Py_XDECREF(good_drop_if_set(a, 1));
	bad_release_unless_kept(a);
	Py_XDECREF(bad_text_or_self(a));
	return bad_marker_unchecked(a);
}
