/* rc-error-unset: a function CPython calls (method table, getter, type slot) returns NULL where
 * no exception is set, which CPython turns into a SystemError. The error indicator is clear when
 * CPython calls the function, set by a failing API call or PyErr_Set*, cleared by PyErr_Clear.
 * Also: PyErr_Occurred() tests it, so a failure detected that way is followed (engine v2,
 * theme 4), and values read back from memory are the values stored there (theme 3). */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *cls;
	PyObject *data;
	PyObject *order;
	int for_json;
} BoxObject;

static PyTypeObject Box_Type;

/* ---- must be reported --------------------------------------------------------------------- */

static PyObject *bad_missing_field(BoxObject *self, PyObject *inst)
{
	(void)inst;
	if (self->cls == NULL)
		return NULL; // expect-warning{{rc-error-unset}}
	return Py_NewRef(self->cls);
}

static PyObject *bad_cleared_then_null(BoxObject *self, PyObject *arg)
{
	PyObject *r = PyObject_GetAttrString(arg, "name");
	if (r == NULL) {
		PyErr_Clear(); /* the AttributeError is dropped... */
		return NULL;   // expect-warning{{rc-error-unset}}
	}
	(void)self;
	return r;
}

static PyObject *bad_switch_without_default(BoxObject *self, PyObject *noargs)
{
	PyObject *result = NULL;
	int kind = self->for_json;
	(void)noargs;
	switch (kind) {
	case 0:
		result = Py_False;
		break;
	case 1:
		result = Py_True;
		break;
	}
	Py_XINCREF(result);
	return result; // expect-warning{{rc-error-unset}}
}

/* ---- must stay silent -------------------------------------------------------------------- */

static PyObject *good_failed_parse(BoxObject *self, PyObject *args)
{
	PyObject *o;
	(void)self;
	if (!PyArg_ParseTuple(args, "O", &o))
		return NULL;
	return Py_NewRef(o);
}

static PyObject *good_exception_set(BoxObject *self, PyObject *arg)
{
	(void)self;
	if (!PyLong_Check(arg)) {
		PyErr_SetString(PyExc_TypeError, "an int is needed");
		return NULL;
	}
	return Py_NewRef(arg);
}

/* -1 from PyLong_AsLong is an error only when an exception is set: not known here */
static PyObject *good_in_band_error(BoxObject *self, PyObject *arg)
{
	long v = PyLong_AsLong(arg);
	(void)self;
	if (v == -1)
		return NULL;
	return PyLong_FromLong(v + 1);
}

/* theme 4: the failure of the first call is seen through PyErr_Occurred(), not its result */
static PyObject *good_occurred_after_call(BoxObject *self, PyObject *arg)
{
	PyObject *name = PyObject_GetAttrString(arg, "name");
	(void)self;
	if (PyErr_Occurred())
		return NULL;
	PyObject *r = PyObject_Repr(name); /* name is not NULL here */
	Py_DECREF(name);
	return r;
}

/* theme 3: a field stored, then read back as a guard */
static PyObject *good_fields_read_back(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
	(void)args;
	(void)kwds;
	BoxObject *self = (BoxObject *)type->tp_alloc(type, 0);
	if (self == NULL)
		return NULL;
	self->data = PyDict_New();
	self->order = PyList_New(0);
	if (self->data == NULL || self->order == NULL) {
		Py_DECREF(self);
		return NULL;
	}
	return (PyObject *)self;
}

/* theme 3: an int status kept in a field and tested from there (read back from the field by the
 * engine; the front end still lowers `s->for_json < 0` as an unknown condition, issue 11) */
static PyObject *good_int_field_status(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
	(void)kwds;
	BoxObject *s = (BoxObject *)type->tp_alloc(type, 0);
	if (s == NULL)
		return NULL;
	s->for_json = PyObject_IsTrue(args);
	if (s->for_json < 0)
		goto bail;
	return (PyObject *)s;
bail:
	Py_DECREF(s);
	return NULL;
}

/* theme 3: the sign of a status: Py_ReprEnter is 0, 1 or -1 with an exception */
static PyObject *good_repr_enter(BoxObject *self)
{
	int i = Py_ReprEnter((PyObject *)self);
	if (i != 0)
		return i > 0 ? PyUnicode_FromString("Box(...)") : NULL;
	PyObject *r = PyUnicode_FromString("Box()");
	Py_ReprLeave((PyObject *)self);
	return r;
}

/* the end of an iteration: NULL without an exception is tp_iternext's normal result */
static PyObject *good_iternext(BoxObject *self)
{
	if (self->data == NULL)
		return NULL;
	return Py_NewRef(self->data);
}

/* a helper of the module: CPython does not call it, its contract is its callers' */
static PyObject *good_helper_returns_null(BoxObject *self)
{
	if (self->order == NULL)
		return NULL;
	return Py_NewRef(self->order);
}

/* a branch nothing is known about: the path may not exist */
static PyObject *good_blind_branch(BoxObject *self, PyObject *arg)
{
	PyObject *r = NULL;
	(void)arg;
	if (self->for_json % 4 == 0)
		r = PyLong_FromLong(1);
	if (self->for_json % 4) {
		Py_XDECREF(r);
		return PyLong_FromLong(0);
	}
	return r;
}

static PyMethodDef box_methods[] = {
	{ "bad_missing_field", (PyCFunction)bad_missing_field, METH_O, NULL },
	{ "bad_cleared_then_null", (PyCFunction)bad_cleared_then_null, METH_O, NULL },
	{ "bad_switch_without_default", (PyCFunction)bad_switch_without_default, METH_NOARGS, NULL },
	{ "good_failed_parse", (PyCFunction)good_failed_parse, METH_VARARGS, NULL },
	{ "good_exception_set", (PyCFunction)good_exception_set, METH_O, NULL },
	{ "good_in_band_error", (PyCFunction)good_in_band_error, METH_O, NULL },
	{ "good_occurred_after_call", (PyCFunction)good_occurred_after_call, METH_O, NULL },
	{ "good_blind_branch", (PyCFunction)good_blind_branch, METH_O, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject Box_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "box.Box",
	.tp_basicsize = sizeof(BoxObject),
	.tp_methods = box_methods,
	.tp_new = good_fields_read_back,
	.tp_init = NULL,
	.tp_repr = (reprfunc)good_repr_enter,
	.tp_iternext = (iternextfunc)good_iternext,
};

static PyTypeObject Box2_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "box.Box2",
	.tp_basicsize = sizeof(BoxObject),
	.tp_new = good_int_field_status,
};

PyObject *box_types(void)
{
	return Py_BuildValue("(OO)", (PyObject *)&Box_Type, (PyObject *)&Box2_Type);
}

/* ---- theme 4: the failure seen through a helper that returns PyErr_Occurred() -------------- */

static int error_pending(void)
{
	return PyErr_Occurred() != NULL;
}

static int fail_with(const char *msg)
{
	PyErr_SetString(PyExc_ValueError, msg);
	return -1;
}

PyObject *good_occurred_through_helper(PyObject *self, PyObject *arg)
{
	PyObject *name = PyObject_GetAttrString(arg, "name");
	(void)self;
	if (error_pending())
		return NULL;
	PyObject *r = PyObject_Repr(name); /* name is not NULL here */
	Py_DECREF(name);
	return r;
}

/* a helper that sets an error is no query: its -1 is the failure */
static PyObject *good_helper_sets_error(BoxObject *self, PyObject *arg)
{
	if (arg == Py_None)
		return fail_with("None") < 0 ? NULL : Py_NewRef(arg);
	(void)self;
	return Py_NewRef(arg);
}

static PyObject *bad_pending_checked_wrong_way(BoxObject *self, PyObject *arg)
{
	(void)self;
	(void)arg;
	if (!error_pending())
		return NULL; // expect-warning{{rc-error-unset}}
	return Py_NewRef(arg);
}

static PyMethodDef box_methods2[] = {
	{ "good_occurred_through_helper", good_occurred_through_helper, METH_O, NULL },
	{ "good_helper_sets_error", (PyCFunction)good_helper_sets_error, METH_O, NULL },
	{ "bad_pending_checked_wrong_way", (PyCFunction)bad_pending_checked_wrong_way, METH_O, NULL },
	{ NULL, NULL, 0, NULL },
};

PyMethodDef *box_methods_2(void)
{
	return box_methods2;
}
