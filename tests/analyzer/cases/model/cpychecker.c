/* gcc-python-plugin's cpychecker attributes, spelled as real extensions spell them (psycopg2's
 * config.h): behind the WITH_CPYCHECKER_*_ATTRIBUTE macros the plugin predefines, which rccheck
 * predefines too, turning each attribute into a model fact of the declaration. The same code
 * without the macros: cpychecker_off.c. And clang's cf_ ownership attributes, written directly
 * and through a macro (as CoreFoundation's CF_CONSUMED), which must still answer __has_attribute. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if defined(WITH_CPYCHECKER_RETURNS_BORROWED_REF_ATTRIBUTE)
#define BORROWED __attribute__((cpychecker_returns_borrowed_ref))
#else
#define BORROWED
#endif
#if defined(WITH_CPYCHECKER_STEALS_REFERENCE_TO_ARG_ATTRIBUTE)
#define STEALS(n) __attribute__((cpychecker_steals_reference_to_arg(n)))
#else
#define STEALS(n)
#endif
#if defined(WITH_CPYCHECKER_NEGATIVE_RESULT_SETS_EXCEPTION_ATTRIBUTE)
#define RAISES_NEG __attribute__((cpychecker_negative_result_sets_exception))
#else
#define RAISES_NEG
#endif
#if defined(WITH_CPYCHECKER_SETS_EXCEPTION_ATTRIBUTE)
#define RAISES __attribute__((cpychecker_sets_exception))
#else
#define RAISES
#endif

/* declared here, defined in another file of the extension */
BORROWED PyObject *conn_cached_type(PyObject *conn);
STEALS(2) int conn_queue_put(PyObject *conn, PyObject *item);
RAISES_NEG int conn_poll(PyObject *conn);
RAISES PyObject *conn_raise(PyObject *conn);
__attribute__((cf_returns_retained)) PyObject *conn_make(void);
#define CF_CONSUMED __attribute__((cf_consumed))
void conn_take(PyObject *conn, CF_CONSUMED PyObject *item);
#if __has_attribute(cf_consumed) && __has_attribute(cf_returns_retained)
#define HAVE_CF_ATTRIBUTES 1
#endif

static PyObject *good_borrowed(PyObject *conn)
{
	PyObject *t = conn_cached_type(conn);
	if (t == NULL)
		return NULL;
	Py_INCREF(t);
	return t;
}

static PyObject *bad_release_borrowed(PyObject *conn)
{
	PyObject *t = conn_cached_type(conn);
	if (t == NULL)
		return NULL;
	Py_DECREF(t); // expect-warning{{rc-release-borrowed}}
	Py_RETURN_NONE;
}

static PyObject *good_steals(PyObject *conn)
{
	PyObject *item = PyLong_FromLong(1000);
	if (item == NULL)
		return NULL;
	if (conn_queue_put(conn, item) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *good_poll(PyObject *conn)
{
	if (conn_poll(conn) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *good_retained(PyObject *conn)
{
	PyObject *made = conn_make();
	if (made == NULL)
		return NULL;
	conn_take(conn, made);
	Py_RETURN_NONE;
}

static PyObject *bad_retained_leak(PyObject *conn)
{
	PyObject *made = conn_make();
	(void)conn;
	if (made == NULL)
		return NULL;
	Py_RETURN_NONE; // expect-warning{{rc-leak}}
}

/* the attributes say who owns what, not whether NULL is accepted: a helper of the project that
 * steals may well take NULL (psycopg2's psyco_ensure_text(obj) returns a NULL obj as it is) */
static PyObject *good_steals_maybe_null(PyObject *conn, PyObject *arg)
{
	if (conn_queue_put(conn, PyObject_Str(arg)) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
	{"h", (PyCFunction)good_steals_maybe_null, METH_VARARGS, NULL},
	{"a", (PyCFunction)good_borrowed, METH_O, NULL},
	{"b", (PyCFunction)bad_release_borrowed, METH_O, NULL},
	{"c", (PyCFunction)good_steals, METH_O, NULL},
	{"d", (PyCFunction)good_poll, METH_O, NULL},
	{"e", (PyCFunction)good_retained, METH_O, NULL},
	{"f", (PyCFunction)bad_retained_leak, METH_O, NULL},
	{"g", (PyCFunction)conn_raise, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

PyObject *methods_table(void)
{
	return PyLong_FromVoidPtr(methods);
}
