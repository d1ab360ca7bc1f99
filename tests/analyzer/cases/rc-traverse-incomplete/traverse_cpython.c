/* rc-traverse-incomplete in CPython extension types (Python.h from pkg-config python3; skipped
 * without it): tp_traverse with Py_VISIT and tp_clear with Py_CLEAR, in a static PyTypeObject
 * and in a PyType_Slot array. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *dict;
	PyObject *callback;
	PyObject *weakreflist; /* not a strong reference: never visited, never cleared */
} ProxyObject;

static int proxy_traverse(ProxyObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->dict);
	Py_VISIT(self->callback);
	return 0;
}

static int good_proxy_clear(ProxyObject *self)
{
	Py_CLEAR(self->dict);
	Py_CLEAR(self->callback);
	return 0;
}

static PyTypeObject Proxy_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "demo.Proxy",
	.tp_basicsize = sizeof(ProxyObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)proxy_traverse,
	.tp_clear = (inquiry)good_proxy_clear,
};

/* The callback was added later; traverse was not updated. */
static int watcher_traverse(ProxyObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->dict);
	return 0;
}

static int bad_watcher_clear(ProxyObject *self)
{
	Py_CLEAR(self->dict);
	Py_CLEAR(self->callback); // expect-warning{{rc-traverse-incomplete}}
	return 0;
}

static PyType_Slot watcher_slots[] = {
	{Py_tp_traverse, watcher_traverse},
	{Py_tp_clear, bad_watcher_clear},
	{0, NULL},
};

static PyType_Spec watcher_spec = {
	.name = "demo.Watcher",
	.basicsize = sizeof(ProxyObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.slots = watcher_slots,
};

void *traverse_cpython_case[] = { &Proxy_Type, &watcher_spec };

/* ---- three types sharing one traverse/clear/dealloc (the views of a mapping): one finding -- */

typedef struct {
	PyObject_HEAD
	PyObject *view_map;
	PyObject *view_extra;
} ViewObject;

static int view_traverse(ViewObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->view_map);
	return 0;
}

static int view_clear(ViewObject *self)
{
	Py_CLEAR(self->view_map);
	Py_CLEAR(self->view_extra); // expect-warning{{rc-traverse-incomplete}}
	return 0;
}

static void view_dealloc(ViewObject *self)
{
	PyObject_GC_UnTrack(self);
	(void)view_clear(self);
	PyObject_GC_Del(self);
}

static PyTypeObject KeysViewType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "keys",
	.tp_basicsize = sizeof(ViewObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)view_traverse,
	.tp_clear = (inquiry)view_clear,
	.tp_dealloc = (destructor)view_dealloc,
};

static PyTypeObject ValuesViewType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "values",
	.tp_basicsize = sizeof(ViewObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)view_traverse,
	.tp_clear = (inquiry)view_clear,
	.tp_dealloc = (destructor)view_dealloc,
};

static PyTypeObject ItemsViewType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "items",
	.tp_basicsize = sizeof(ViewObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)view_traverse,
	.tp_clear = (inquiry)view_clear,
	.tp_dealloc = (destructor)view_dealloc,
};

PyTypeObject *view_types[] = {&KeysViewType, &ValuesViewType, &ItemsViewType};

/* ---- helpers called with other objects: their fields are not the type's ------------------------ */

typedef struct LinkObject LinkObject;
struct LinkObject {
	PyObject_HEAD
	PyObject *payload;
	PyObject *scratch; /* owned by whoever set it; never part of a cycle through self */
	LinkObject *peer;
};

static void drop_scratch(LinkObject *other)
{
	Py_CLEAR(other->scratch);
}

static int link_traverse(LinkObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->payload);
	return 0;
}

static int link_clear(LinkObject *self)
{
	if (self->peer != NULL) {
		drop_scratch(self->peer);     /* the peer's field, not ours */
		Py_CLEAR(self->peer->scratch); /* also not ours */
	}
	Py_CLEAR(self->payload);
	return 0;
}

static PyTypeObject LinkType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "link",
	.tp_basicsize = sizeof(LinkObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)link_traverse,
	.tp_clear = (inquiry)link_clear,
};

PyTypeObject *link_type = &LinkType;

/* ---- a field holding an object taken out of the collector (PyObject_GC_UnTrack) -------------- */

typedef struct {
	PyObject_HEAD
	PyObject *jar;
	PyObject *data; /* a dict of uncounted references, untracked on purpose */
	PyObject *other;
} CacheObject;

static int cache_init(CacheObject *self)
{
	self->data = PyDict_New();
	if (self->data == NULL)
		return -1;
	PyObject_GC_UnTrack((void *)self->data);
	return 0;
}

static int cache_traverse(CacheObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->jar);
	return 0;
}

static int cache_clear(CacheObject *self)
{
	Py_CLEAR(self->jar);
	Py_CLEAR(self->data);  /* untracked: never part of a collected cycle */
	Py_CLEAR(self->other); // expect-warning{{rc-traverse-incomplete}}
	return 0;
}

static PyTypeObject CacheType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "cache",
	.tp_basicsize = sizeof(CacheObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_traverse = (traverseproc)cache_traverse,
	.tp_clear = (inquiry)cache_clear,
	.tp_init = (initproc)cache_init,
};

PyTypeObject *cache_type = &CacheType;
