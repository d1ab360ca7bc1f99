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

/* ---- positional PyTypeObject initializers (older extensions) --------------------------------- */

typedef struct {
	PyObject_HEAD
	PyObject *cb;
	PyObject *extra;
} OldObject;

static void old_dealloc(OldObject *self)
{
	PyObject_GC_UnTrack(self);
	Py_CLEAR(self->cb);
	Py_CLEAR(self->extra);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int old_traverse(OldObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->cb);
	return 0;
}

static int old_clear(OldObject *self)
{
	Py_CLEAR(self->cb);
	Py_CLEAR(self->extra); // expect-warning{{rc-traverse-incomplete}}
	return 0;
}

static PyObject *bad_old_repr(OldObject *self)
{
	return self->cb; // expect-warning{{rc-return-borrowed}}
}

static PyObject *good_old_str(OldObject *self)
{
	return PyObject_Str(self->cb);
}

static PyTypeObject OldType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	"old",                       /* tp_name */
	sizeof(OldObject),           /* tp_basicsize */
	0,                           /* tp_itemsize */
	(destructor)old_dealloc,     /* tp_dealloc */
	0,                           /* tp_vectorcall_offset */
	0,                           /* tp_getattr */
	0,                           /* tp_setattr */
	0,                           /* tp_as_async */
	(reprfunc)bad_old_repr,      /* tp_repr */
	0,                           /* tp_as_number */
	0,                           /* tp_as_sequence */
	0,                           /* tp_as_mapping */
	0,                           /* tp_hash */
	0,                           /* tp_call */
	(reprfunc)good_old_str,      /* tp_str */
	0,                           /* tp_getattro */
	0,                           /* tp_setattro */
	0,                           /* tp_as_buffer */
	Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, /* tp_flags */
	0,                           /* tp_doc */
	(traverseproc)old_traverse,  /* tp_traverse */
	(inquiry)old_clear,          /* tp_clear */
};

PyTypeObject *old_type = &OldType;
