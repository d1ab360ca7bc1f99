/* Functions CPython calls through a type's slots and a PyGetSetDef table must return a new
 * reference (or NULL with an exception): designated PyTypeObject initializers, PyType_Slot
 * arrays and getters. A slot that returns an int (nb_bool) is not concerned. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *name;
	PyObject *items;
	Py_ssize_t pos;
} BoxObject;

/* ---- getters ------------------------------------------------------------------------------- */

static PyObject *bad_get_name(BoxObject *self, void *closure)
{
	(void)closure;
	return self->name; // expect-warning{{rc-return-borrowed}}
}

static PyObject *good_get_name(BoxObject *self, void *closure)
{
	(void)closure;
	return Py_NewRef(self->name);
}

static PyGetSetDef box_getset[] = {
	{"name", (getter)bad_get_name, NULL, NULL, NULL},
	{"name2", (getter)good_get_name, NULL, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

/* ---- designated slots ---------------------------------------------------------------------- */

static PyObject *bad_box_repr(BoxObject *self)
{
	return self->name; // expect-warning{{rc-return-borrowed}}
}

static PyObject *bad_box_iternext(BoxObject *self)
{
	if (self->pos >= PyList_GET_SIZE(self->items))
		return NULL;
	return PyList_GET_ITEM(self->items, self->pos++); // expect-warning{{rc-return-borrowed}}
}

static PyObject *good_box_richcompare(PyObject *a, PyObject *b, int op)
{
	(void)a;
	(void)b;
	(void)op;
	Py_RETURN_NOTIMPLEMENTED;
}

static PyObject *bad_box_add(PyObject *a, PyObject *b)
{
	(void)b;
	return a; // expect-warning{{rc-return-borrowed}}
}

static int good_box_bool(PyObject *a)
{
	(void)a;
	return 1;
}

static PyNumberMethods box_as_number = {
	.nb_add = bad_box_add,
	.nb_bool = good_box_bool,
};

static PyTypeObject BoxType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "box",
	.tp_basicsize = sizeof(BoxObject),
	.tp_repr = (reprfunc)bad_box_repr,
	.tp_iternext = (iternextfunc)bad_box_iternext,
	.tp_richcompare = good_box_richcompare,
	.tp_as_number = &box_as_number,
	.tp_getset = box_getset,
};

/* ---- PyType_Slot arrays (heap types) --------------------------------------------------------- */

static PyObject *bad_heap_str(PyObject *self)
{
	return PyTuple_GetItem(self, 0); // expect-warning{{rc-return-borrowed}}
}

static PyObject *good_heap_repr(PyObject *self)
{
	PyObject *first = PyTuple_GetItem(self, 0);
	if (first == NULL)
		return NULL;
	return PyObject_Repr(first);
}

static PyType_Slot heap_slots[] = {
	{Py_tp_str, bad_heap_str},
	{Py_tp_repr, good_heap_repr},
	{0, NULL},
};

PyType_Spec heap_spec = {"heap", 0, 0, Py_TPFLAGS_DEFAULT, heap_slots};
PyTypeObject *box_type = &BoxType;
