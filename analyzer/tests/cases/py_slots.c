/* rc-traverse-incomplete on a PyType_Spec slot array ({Py_tp_traverse, fn}); no Python.h. */
typedef struct _object {
	long ob_refcnt;
} PyObject;
typedef int (*visitproc)(PyObject *, void *);
typedef struct {
	int slot;
	void *pfunc;
} PyType_Slot;
#define Py_tp_clear 51
#define Py_tp_traverse 71
#define Py_CLEAR(op) do { PyObject *_t = (PyObject *)(op); if (_t) { (op) = 0; Py_DECREF(_t); } } while (0)
void Py_DECREF(PyObject *o);

typedef struct {
	PyObject ob_base;
	PyObject *a, *b;
} Obj;

static int obj_traverse(Obj *self, visitproc visit, void *arg)
{
	return visit(self->a, arg);
}

static int obj_clear(Obj *self)
{
	Py_CLEAR(self->a);
	Py_CLEAR(self->b); // expect-warning{{rc-traverse-incomplete}}
	return 0;
}

static PyType_Slot obj_slots[] = {
	{ Py_tp_traverse, (void *)obj_traverse },
	{ Py_tp_clear, (void *)obj_clear },
	{ 0, 0 },
};

void *use_slots(void)
{
	return obj_slots;
}
