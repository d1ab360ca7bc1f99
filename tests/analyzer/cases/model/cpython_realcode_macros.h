/* Macros of a project header used by cpython_realcode.c: NULL tests inside their bodies. */
#ifndef CPYTHON_REALCODE_MACROS_H
#define CPYTHON_REALCODE_MACROS_H

#define RAISE_STATUS(exc, status) do { \
	PyObject *v_; \
	v_ = Py_BuildValue("(i)", (int)(status)); \
	if (v_ != NULL) { PyErr_SetObject((exc), v_); Py_DECREF(v_); } \
	return NULL; \
} while (0)

#define SET_TEXT_ITEM(d, k, text) \
	if (!(item = PyUnicode_FromString(text))) { goto exit; } \
	if (PyDict_SetItemString((d), (k), item) != 0) { goto exit; } \
	Py_DECREF(item); \
	item = NULL;

#endif
