/* A hand-written 'return Py_None;' is rc-return-borrowed; the same from Py_RETURN_NONE (a return-stmt
 * macro: 3.12+ expands it to a bare return of the immortal object) is not. No Python.h needed. */
typedef struct _object { long ob_refcnt; } PyObject;
extern PyObject _Py_NoneStruct;
#define Py_None (&_Py_NoneStruct)
#define Py_RETURN_NONE return Py_None
PyObject *PyLong_FromLong(long v);
PyObject *good_return_none_312(long v)
{
	if (v)
		return PyLong_FromLong(v);
	Py_RETURN_NONE;
}
PyObject *bad_return_none_by_hand(long v)
{
	if (v)
		return PyLong_FromLong(v);
	return Py_None; // expect-warning{{rc-return-borrowed}}
}
