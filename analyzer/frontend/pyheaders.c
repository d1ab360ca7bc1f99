/*
 * pyheaders.c - Python's headers for files that include Python.h without an include path that
 * finds it: discovery (python3-config, sysconfig, /usr/include probing) and the built-in
 * stand-in. See pyheaders.h; the search order and the degraded-analysis notice are described in
 * docs/analyzer.md, "Python headers".
 */
#define _POSIX_C_SOURCE 200809L
#include "frontend/pyheaders.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------ */
/* The stand-in's fixed text                                                                   */
/* ------------------------------------------------------------------------------------------ */

/*
 * What the analysis reads from Python.h, in the shape of CPython 3.11's headers (the version
 * the tests compare with), so that a file is lowered the same way with either:
 *  - Py_INCREF, Py_DECREF, Py_XINCREF, Py_XDECREF, Py_NewRef, Py_TYPE... are functions of
 *    the same name behind a macro that casts the argument (calls, resolved by the model);
 *  - Py_CLEAR, Py_SETREF, Py_XSETREF, Py_VISIT are do { } while (0) statements (cfg.c lowers a
 *    statement that is one invocation of a macro the model knows as a call to it);
 *  - Py_RETURN_* are return statements (model: return-stmt); Py_None and the other singletons
 *    are addresses of global objects (model: global ... borrowed);
 *  - PyList_GET_ITEM/SET_ITEM and the tuple ones are element accesses, as in 3.11;
 *  - PyTypeObject has the real slot names in the real order (designated and positional
 *    initializers both work), PyMethodDef is "struct PyMethodDef" (frontend.c looks for it),
 *    the PyType_Slot ids are typeslots.h's.
 * Every identifier that appears here is skipped by the generated part (stand_in_names()): the
 * names declared here with precise types win over the generic prototypes.
 */
static const char *const standin_python_h[] = {
	"#ifndef RCCHECK_STANDIN_PYTHON_H",
	"#define RCCHECK_STANDIN_PYTHON_H",
	"#include <assert.h>",
	"#include <errno.h>",
	"#include <limits.h>",
	"#include <math.h>",
	"#include <stdarg.h>",
	"#include <stddef.h>",
	"#include <stdint.h>",
	"#include <stdio.h>",
	"#include <stdlib.h>",
	"#include <string.h>",
	"#include <sys/types.h>",
	"#include <wchar.h>",
	"",
	"#define PY_MAJOR_VERSION 3",
	"#define PY_MINOR_VERSION 11",
	"#define PY_MICRO_VERSION 0",
	"#define PY_VERSION \"3.11.0\"",
	"#define PY_VERSION_HEX 0x030B00F0",
	"#define PyAPI_FUNC(RTYPE) extern RTYPE",
	"#define PyAPI_DATA(RTYPE) extern RTYPE",
	"#define PyMODINIT_FUNC PyObject *",
	"#define Py_LOCAL(type) static type",
	"#define Py_LOCAL_INLINE(type) static inline type",
	"#define Py_UNUSED(name) _unused_ ## name",
	"#define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))",
	"#define Py_MIN(x, y) (((x) > (y)) ? (y) : (x))",
	"#define Py_MAX(x, y) (((x) > (y)) ? (x) : (y))",
	"#define Py_ABS(x) ((x) < 0 ? -(x) : (x))",
	"#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))",
	"#define Py_STRINGIFY(x) #x",
	"#define Py_UNREACHABLE() abort()",
	"#define Py_GCC_ATTRIBUTE(x)",
	"#define Py_DEPRECATED(version)",
	"#define Py_ALWAYS_INLINE",
	"#define Py_NO_INLINE",
	"#define _Py_NO_RETURN __attribute__((__noreturn__))",
	"#define PyDoc_STR(str) str",
	"#define PyDoc_STRVAR(name, str) static const char name[] = PyDoc_STR(str)",
	"",
	"typedef ssize_t Py_ssize_t;",
	"typedef Py_ssize_t Py_hash_t;",
	"typedef size_t Py_uhash_t;",
	"typedef uint32_t Py_UCS4;",
	"typedef uint16_t Py_UCS2;",
	"typedef uint8_t Py_UCS1;",
	"#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))",
	"#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)",
	"",
	"typedef struct _typeobject PyTypeObject;",
	"typedef struct _object {",
	"\tPy_ssize_t ob_refcnt;",
	"\tPyTypeObject *ob_type;",
	"} PyObject;",
	"typedef struct {",
	"\tPyObject ob_base;",
	"\tPy_ssize_t ob_size;",
	"} PyVarObject;",
	"#define PyObject_HEAD PyObject ob_base;",
	"#define PyObject_VAR_HEAD PyVarObject ob_base;",
	"#define _PyObject_CAST(op) ((PyObject *)(op))",
	"#define _PyVarObject_CAST(op) ((PyVarObject *)(op))",
	"#define PyObject_HEAD_INIT(type) { 1, (type) },",
	"#define PyVarObject_HEAD_INIT(type, size) { PyObject_HEAD_INIT(type) (size) },",
	"",
	"typedef struct bufferinfo {",
	"\tvoid *buf;",
	"\tPyObject *obj;",
	"\tPy_ssize_t len;",
	"\tPy_ssize_t itemsize;",
	"\tint readonly;",
	"\tint ndim;",
	"\tchar *format;",
	"\tPy_ssize_t *shape;",
	"\tPy_ssize_t *strides;",
	"\tPy_ssize_t *suboffsets;",
	"\tvoid *internal;",
	"} Py_buffer;",
	"#define PyBUF_SIMPLE 0",
	"#define PyBUF_WRITABLE 0x0001",
	"#define PyBUF_FORMAT 0x0004",
	"#define PyBUF_ND 0x0008",
	"#define PyBUF_STRIDES (0x0010 | PyBUF_ND)",
	"#define PyBUF_READ 0x100",
	"#define PyBUF_WRITE 0x200",
	"",
	"typedef PyObject *(*unaryfunc)(PyObject *);",
	"typedef PyObject *(*binaryfunc)(PyObject *, PyObject *);",
	"typedef PyObject *(*ternaryfunc)(PyObject *, PyObject *, PyObject *);",
	"typedef int (*inquiry)(PyObject *);",
	"typedef Py_ssize_t (*lenfunc)(PyObject *);",
	"typedef PyObject *(*ssizeargfunc)(PyObject *, Py_ssize_t);",
	"typedef int (*ssizeobjargproc)(PyObject *, Py_ssize_t, PyObject *);",
	"typedef int (*objobjargproc)(PyObject *, PyObject *, PyObject *);",
	"typedef int (*objobjproc)(PyObject *, PyObject *);",
	"typedef int (*visitproc)(PyObject *, void *);",
	"typedef int (*traverseproc)(PyObject *, visitproc, void *);",
	"typedef void (*freefunc)(void *);",
	"typedef void (*destructor)(PyObject *);",
	"typedef PyObject *(*getattrfunc)(PyObject *, char *);",
	"typedef PyObject *(*getattrofunc)(PyObject *, PyObject *);",
	"typedef int (*setattrfunc)(PyObject *, char *, PyObject *);",
	"typedef int (*setattrofunc)(PyObject *, PyObject *, PyObject *);",
	"typedef PyObject *(*reprfunc)(PyObject *);",
	"typedef Py_hash_t (*hashfunc)(PyObject *);",
	"typedef PyObject *(*richcmpfunc)(PyObject *, PyObject *, int);",
	"typedef PyObject *(*getiterfunc)(PyObject *);",
	"typedef PyObject *(*iternextfunc)(PyObject *);",
	"typedef PyObject *(*descrgetfunc)(PyObject *, PyObject *, PyObject *);",
	"typedef int (*descrsetfunc)(PyObject *, PyObject *, PyObject *);",
	"typedef int (*initproc)(PyObject *, PyObject *, PyObject *);",
	"typedef PyObject *(*newfunc)(PyTypeObject *, PyObject *, PyObject *);",
	"typedef PyObject *(*allocfunc)(PyTypeObject *, Py_ssize_t);",
	"typedef PyObject *(*vectorcallfunc)(PyObject *, PyObject *const *, size_t, PyObject *);",
	"typedef int (*getbufferproc)(PyObject *, Py_buffer *, int);",
	"typedef void (*releasebufferproc)(PyObject *, Py_buffer *);",
	"typedef PyObject *(*getter)(PyObject *, void *);",
	"typedef int (*setter)(PyObject *, PyObject *, void *);",
	"typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);",
	"typedef PyObject *(*PyCFunctionWithKeywords)(PyObject *, PyObject *, PyObject *);",
	"typedef PyObject *(*_PyCFunctionFast)(PyObject *, PyObject *const *, Py_ssize_t);",
	"typedef PyObject *(*_PyCFunctionFastWithKeywords)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);",
	"typedef PyObject *(*PyCMethod)(PyObject *, PyTypeObject *, PyObject *const *, size_t, PyObject *);",
	"#define _PyCFunction_CAST(func) ((PyCFunction)(void (*)(void))(func))",
	"",
	"typedef struct {",
	"\tbinaryfunc nb_add;",
	"\tbinaryfunc nb_subtract;",
	"\tbinaryfunc nb_multiply;",
	"\tbinaryfunc nb_remainder;",
	"\tbinaryfunc nb_divmod;",
	"\tternaryfunc nb_power;",
	"\tunaryfunc nb_negative;",
	"\tunaryfunc nb_positive;",
	"\tunaryfunc nb_absolute;",
	"\tinquiry nb_bool;",
	"\tunaryfunc nb_invert;",
	"\tbinaryfunc nb_lshift;",
	"\tbinaryfunc nb_rshift;",
	"\tbinaryfunc nb_and;",
	"\tbinaryfunc nb_xor;",
	"\tbinaryfunc nb_or;",
	"\tunaryfunc nb_int;",
	"\tvoid *nb_reserved;",
	"\tunaryfunc nb_float;",
	"\tbinaryfunc nb_inplace_add;",
	"\tbinaryfunc nb_inplace_subtract;",
	"\tbinaryfunc nb_inplace_multiply;",
	"\tbinaryfunc nb_inplace_remainder;",
	"\tternaryfunc nb_inplace_power;",
	"\tbinaryfunc nb_inplace_lshift;",
	"\tbinaryfunc nb_inplace_rshift;",
	"\tbinaryfunc nb_inplace_and;",
	"\tbinaryfunc nb_inplace_xor;",
	"\tbinaryfunc nb_inplace_or;",
	"\tbinaryfunc nb_floor_divide;",
	"\tbinaryfunc nb_true_divide;",
	"\tbinaryfunc nb_inplace_floor_divide;",
	"\tbinaryfunc nb_inplace_true_divide;",
	"\tunaryfunc nb_index;",
	"\tbinaryfunc nb_matrix_multiply;",
	"\tbinaryfunc nb_inplace_matrix_multiply;",
	"} PyNumberMethods;",
	"typedef struct {",
	"\tlenfunc sq_length;",
	"\tbinaryfunc sq_concat;",
	"\tssizeargfunc sq_repeat;",
	"\tssizeargfunc sq_item;",
	"\tvoid *was_sq_slice;",
	"\tssizeobjargproc sq_ass_item;",
	"\tvoid *was_sq_ass_slice;",
	"\tobjobjproc sq_contains;",
	"\tbinaryfunc sq_inplace_concat;",
	"\tssizeargfunc sq_inplace_repeat;",
	"} PySequenceMethods;",
	"typedef struct {",
	"\tlenfunc mp_length;",
	"\tbinaryfunc mp_subscript;",
	"\tobjobjargproc mp_ass_subscript;",
	"} PyMappingMethods;",
	"typedef struct {",
	"\tunaryfunc am_await;",
	"\tunaryfunc am_aiter;",
	"\tunaryfunc am_anext;",
	"\tvoid *am_send;",
	"} PyAsyncMethods;",
	"typedef struct {",
	"\tgetbufferproc bf_getbuffer;",
	"\treleasebufferproc bf_releasebuffer;",
	"} PyBufferProcs;",
	"",
	"struct PyMethodDef {",
	"\tconst char *ml_name;",
	"\tPyCFunction ml_meth;",
	"\tint ml_flags;",
	"\tconst char *ml_doc;",
	"};",
	"typedef struct PyMethodDef PyMethodDef;",
	"#define METH_VARARGS 0x0001",
	"#define METH_KEYWORDS 0x0002",
	"#define METH_NOARGS 0x0004",
	"#define METH_O 0x0008",
	"#define METH_CLASS 0x0010",
	"#define METH_STATIC 0x0020",
	"#define METH_COEXIST 0x0040",
	"#define METH_FASTCALL 0x0080",
	"#define METH_METHOD 0x0200",
	"",
	"typedef struct PyGetSetDef {",
	"\tconst char *name;",
	"\tgetter get;",
	"\tsetter set;",
	"\tconst char *doc;",
	"\tvoid *closure;",
	"} PyGetSetDef;",
	"typedef struct PyMemberDef {",
	"\tconst char *name;",
	"\tint type;",
	"\tPy_ssize_t offset;",
	"\tint flags;",
	"\tconst char *doc;",
	"} PyMemberDef;",
	"#define Py_T_INT 1",
	"#define Py_T_LONG 2",
	"#define Py_T_DOUBLE 4",
	"#define Py_T_STRING 5",
	"#define _Py_T_OBJECT 6",
	"#define Py_T_BOOL 14",
	"#define Py_T_OBJECT_EX 16",
	"#define Py_T_PYSSIZET 19",
	"#define Py_READONLY 1",
	"#define Py_RELATIVE_OFFSET 8",
	"",
	"struct _typeobject {",
	"\tPyVarObject ob_base;",
	"\tconst char *tp_name;",
	"\tPy_ssize_t tp_basicsize, tp_itemsize;",
	"\tdestructor tp_dealloc;",
	"\tPy_ssize_t tp_vectorcall_offset;",
	"\tgetattrfunc tp_getattr;",
	"\tsetattrfunc tp_setattr;",
	"\tPyAsyncMethods *tp_as_async;",
	"\treprfunc tp_repr;",
	"\tPyNumberMethods *tp_as_number;",
	"\tPySequenceMethods *tp_as_sequence;",
	"\tPyMappingMethods *tp_as_mapping;",
	"\thashfunc tp_hash;",
	"\tternaryfunc tp_call;",
	"\treprfunc tp_str;",
	"\tgetattrofunc tp_getattro;",
	"\tsetattrofunc tp_setattro;",
	"\tPyBufferProcs *tp_as_buffer;",
	"\tunsigned long tp_flags;",
	"\tconst char *tp_doc;",
	"\ttraverseproc tp_traverse;",
	"\tinquiry tp_clear;",
	"\trichcmpfunc tp_richcompare;",
	"\tPy_ssize_t tp_weaklistoffset;",
	"\tgetiterfunc tp_iter;",
	"\titernextfunc tp_iternext;",
	"\tstruct PyMethodDef *tp_methods;",
	"\tstruct PyMemberDef *tp_members;",
	"\tstruct PyGetSetDef *tp_getset;",
	"\tPyTypeObject *tp_base;",
	"\tPyObject *tp_dict;",
	"\tdescrgetfunc tp_descr_get;",
	"\tdescrsetfunc tp_descr_set;",
	"\tPy_ssize_t tp_dictoffset;",
	"\tinitproc tp_init;",
	"\tallocfunc tp_alloc;",
	"\tnewfunc tp_new;",
	"\tfreefunc tp_free;",
	"\tinquiry tp_is_gc;",
	"\tPyObject *tp_bases;",
	"\tPyObject *tp_mro;",
	"\tPyObject *tp_cache;",
	"\tPyObject *tp_subclasses;",
	"\tPyObject *tp_weaklist;",
	"\tdestructor tp_del;",
	"\tunsigned int tp_version_tag;",
	"\tdestructor tp_finalize;",
	"\tvectorcallfunc tp_vectorcall;",
	"};",
	"#define Py_TPFLAGS_MANAGED_DICT (1UL << 4)",
	"#define Py_TPFLAGS_SEQUENCE (1UL << 5)",
	"#define Py_TPFLAGS_MAPPING (1UL << 6)",
	"#define Py_TPFLAGS_DISALLOW_INSTANTIATION (1UL << 7)",
	"#define Py_TPFLAGS_IMMUTABLETYPE (1UL << 8)",
	"#define Py_TPFLAGS_HEAPTYPE (1UL << 9)",
	"#define Py_TPFLAGS_BASETYPE (1UL << 10)",
	"#define Py_TPFLAGS_HAVE_VECTORCALL (1UL << 11)",
	"#define Py_TPFLAGS_READY (1UL << 12)",
	"#define Py_TPFLAGS_READYING (1UL << 13)",
	"#define Py_TPFLAGS_HAVE_GC (1UL << 14)",
	"#define Py_TPFLAGS_METHOD_DESCRIPTOR (1UL << 17)",
	"#define Py_TPFLAGS_HAVE_VERSION_TAG (1UL << 18)",
	"#define Py_TPFLAGS_VALID_VERSION_TAG (1UL << 19)",
	"#define Py_TPFLAGS_IS_ABSTRACT (1UL << 20)",
	"#define Py_TPFLAGS_LONG_SUBCLASS (1UL << 24)",
	"#define Py_TPFLAGS_LIST_SUBCLASS (1UL << 25)",
	"#define Py_TPFLAGS_TUPLE_SUBCLASS (1UL << 26)",
	"#define Py_TPFLAGS_BYTES_SUBCLASS (1UL << 27)",
	"#define Py_TPFLAGS_UNICODE_SUBCLASS (1UL << 28)",
	"#define Py_TPFLAGS_DICT_SUBCLASS (1UL << 29)",
	"#define Py_TPFLAGS_BASE_EXC_SUBCLASS (1UL << 30)",
	"#define Py_TPFLAGS_TYPE_SUBCLASS (1UL << 31)",
	"#define Py_TPFLAGS_DEFAULT Py_TPFLAGS_HAVE_VERSION_TAG",
	"",
	"typedef struct {",
	"\tint slot;",
	"\tvoid *pfunc;",
	"} PyType_Slot;",
	"typedef struct {",
	"\tconst char *name;",
	"\tint basicsize;",
	"\tint itemsize;",
	"\tunsigned int flags;",
	"\tPyType_Slot *slots;",
	"} PyType_Spec;",
	"#define Py_bf_getbuffer 1",
	"#define Py_bf_releasebuffer 2",
	"#define Py_mp_ass_subscript 3",
	"#define Py_mp_length 4",
	"#define Py_mp_subscript 5",
	"#define Py_nb_absolute 6",
	"#define Py_nb_add 7",
	"#define Py_nb_and 8",
	"#define Py_nb_bool 9",
	"#define Py_nb_divmod 10",
	"#define Py_nb_float 11",
	"#define Py_nb_floor_divide 12",
	"#define Py_nb_index 13",
	"#define Py_nb_inplace_add 14",
	"#define Py_nb_inplace_and 15",
	"#define Py_nb_inplace_floor_divide 16",
	"#define Py_nb_inplace_lshift 17",
	"#define Py_nb_inplace_multiply 18",
	"#define Py_nb_inplace_or 19",
	"#define Py_nb_inplace_power 20",
	"#define Py_nb_inplace_remainder 21",
	"#define Py_nb_inplace_rshift 22",
	"#define Py_nb_inplace_subtract 23",
	"#define Py_nb_inplace_true_divide 24",
	"#define Py_nb_inplace_xor 25",
	"#define Py_nb_int 26",
	"#define Py_nb_invert 27",
	"#define Py_nb_lshift 28",
	"#define Py_nb_multiply 29",
	"#define Py_nb_negative 30",
	"#define Py_nb_or 31",
	"#define Py_nb_positive 32",
	"#define Py_nb_power 33",
	"#define Py_nb_remainder 34",
	"#define Py_nb_rshift 35",
	"#define Py_nb_subtract 36",
	"#define Py_nb_true_divide 37",
	"#define Py_nb_xor 38",
	"#define Py_sq_ass_item 39",
	"#define Py_sq_concat 40",
	"#define Py_sq_contains 41",
	"#define Py_sq_inplace_concat 42",
	"#define Py_sq_inplace_repeat 43",
	"#define Py_sq_item 44",
	"#define Py_sq_length 45",
	"#define Py_sq_repeat 46",
	"#define Py_tp_alloc 47",
	"#define Py_tp_base 48",
	"#define Py_tp_bases 49",
	"#define Py_tp_call 50",
	"#define Py_tp_clear 51",
	"#define Py_tp_dealloc 52",
	"#define Py_tp_del 53",
	"#define Py_tp_descr_get 54",
	"#define Py_tp_descr_set 55",
	"#define Py_tp_doc 56",
	"#define Py_tp_getattr 57",
	"#define Py_tp_getattro 58",
	"#define Py_tp_hash 59",
	"#define Py_tp_init 60",
	"#define Py_tp_is_gc 61",
	"#define Py_tp_iter 62",
	"#define Py_tp_iternext 63",
	"#define Py_tp_methods 64",
	"#define Py_tp_new 65",
	"#define Py_tp_repr 66",
	"#define Py_tp_richcompare 67",
	"#define Py_tp_setattr 68",
	"#define Py_tp_setattro 69",
	"#define Py_tp_str 70",
	"#define Py_tp_traverse 71",
	"#define Py_tp_members 72",
	"#define Py_tp_getset 73",
	"#define Py_tp_free 74",
	"#define Py_nb_matrix_multiply 75",
	"#define Py_nb_inplace_matrix_multiply 76",
	"#define Py_am_await 77",
	"#define Py_am_aiter 78",
	"#define Py_am_anext 79",
	"#define Py_tp_finalize 80",
	"#define Py_am_send 81",
	"",
	"typedef struct PyModuleDef_Base {",
	"\tPyObject_HEAD",
	"\tPyObject *(*m_init)(void);",
	"\tPy_ssize_t m_index;",
	"\tPyObject *m_copy;",
	"} PyModuleDef_Base;",
	"#define PyModuleDef_HEAD_INIT { PyObject_HEAD_INIT(NULL) NULL, 0, NULL, }",
	"typedef struct PyModuleDef_Slot {",
	"\tint slot;",
	"\tvoid *value;",
	"} PyModuleDef_Slot;",
	"#define Py_mod_create 1",
	"#define Py_mod_exec 2",
	"#define Py_mod_multiple_interpreters 3",
	"typedef struct PyModuleDef {",
	"\tPyModuleDef_Base m_base;",
	"\tconst char *m_name;",
	"\tconst char *m_doc;",
	"\tPy_ssize_t m_size;",
	"\tPyMethodDef *m_methods;",
	"\tPyModuleDef_Slot *m_slots;",
	"\ttraverseproc m_traverse;",
	"\tinquiry m_clear;",
	"\tfreefunc m_free;",
	"} PyModuleDef;",
	"#define PYTHON_API_VERSION 1013",
	"#define PYTHON_ABI_VERSION 3",
	"",
	"typedef struct {",
	"\tPyObject_VAR_HEAD",
	"\tPyObject **ob_item;",
	"\tPy_ssize_t allocated;",
	"} PyListObject;",
	"typedef struct {",
	"\tPyObject_VAR_HEAD",
	"\tPyObject *ob_item[1];",
	"} PyTupleObject;",
	"typedef struct {",
	"\tPyObject_HEAD",
	"\tdouble ob_fval;",
	"} PyFloatObject;",
	"typedef struct _longobject PyLongObject;",
	"typedef struct _dictobject PyDictObject;",
	"typedef struct _ts PyThreadState;",
	"typedef struct _is PyInterpreterState;",
	"typedef struct _frame PyFrameObject;",
	"typedef struct PyCodeObject PyCodeObject;",
	"typedef enum { PyGILState_LOCKED, PyGILState_UNLOCKED } PyGILState_STATE;",
	"typedef void (*PyCapsule_Destructor)(PyObject *);",
	"",
	"extern PyObject _Py_NoneStruct;",
	"extern PyObject _Py_NotImplementedStruct;",
	"extern PyObject _Py_EllipsisObject;",
	"extern struct _longobject _Py_FalseStruct;",
	"extern struct _longobject _Py_TrueStruct;",
	"#define Py_None (&_Py_NoneStruct)",
	"#define Py_NotImplemented (&_Py_NotImplementedStruct)",
	"#define Py_Ellipsis (&_Py_EllipsisObject)",
	"#define Py_False ((PyObject *)&_Py_FalseStruct)",
	"#define Py_True ((PyObject *)&_Py_TrueStruct)",
	"",
	"PyTypeObject *Py_TYPE(PyObject *ob);",
	"#define Py_TYPE(ob) Py_TYPE(_PyObject_CAST(ob))",
	"Py_ssize_t Py_REFCNT(PyObject *ob);",
	"#define Py_REFCNT(ob) Py_REFCNT(_PyObject_CAST(ob))",
	"Py_ssize_t Py_SIZE(PyObject *ob);",
	"#define Py_SIZE(ob) Py_SIZE(_PyObject_CAST(ob))",
	"void Py_SET_REFCNT(PyObject *ob, Py_ssize_t refcnt);",
	"#define Py_SET_REFCNT(ob, refcnt) Py_SET_REFCNT(_PyObject_CAST(ob), (refcnt))",
	"void Py_SET_TYPE(PyObject *ob, PyTypeObject *type);",
	"#define Py_SET_TYPE(ob, type) Py_SET_TYPE(_PyObject_CAST(ob), (type))",
	"void Py_SET_SIZE(PyVarObject *ob, Py_ssize_t size);",
	"#define Py_SET_SIZE(ob, size) Py_SET_SIZE(_PyVarObject_CAST(ob), (size))",
	"int Py_IS_TYPE(PyObject *ob, PyTypeObject *type);",
	"#define Py_IS_TYPE(ob, type) Py_IS_TYPE(_PyObject_CAST(ob), (type))",
	"#define Py_Is(x, y) ((x) == (y))",
	"#define Py_IsNone(x) Py_Is((x), Py_None)",
	"#define Py_IsTrue(x) Py_Is((x), Py_True)",
	"#define Py_IsFalse(x) Py_Is((x), Py_False)",
	"",
	"void Py_INCREF(PyObject *op);",
	"#define Py_INCREF(op) Py_INCREF(_PyObject_CAST(op))",
	"void Py_DECREF(PyObject *op);",
	"#define Py_DECREF(op) Py_DECREF(_PyObject_CAST(op))",
	"void Py_XINCREF(PyObject *op);",
	"#define Py_XINCREF(op) Py_XINCREF(_PyObject_CAST(op))",
	"void Py_XDECREF(PyObject *op);",
	"#define Py_XDECREF(op) Py_XDECREF(_PyObject_CAST(op))",
	"void Py_IncRef(PyObject *op);",
	"void Py_DecRef(PyObject *op);",
	"PyObject *Py_NewRef(PyObject *obj);",
	"#define Py_NewRef(obj) Py_NewRef(_PyObject_CAST(obj))",
	"PyObject *Py_XNewRef(PyObject *obj);",
	"#define Py_XNewRef(obj) Py_XNewRef(_PyObject_CAST(obj))",
	"#define Py_CLEAR(op) do { PyObject *_rc_old = _PyObject_CAST(op); if (_rc_old != NULL) { (op) = NULL; Py_DECREF(_rc_old); } } while (0)",
	"#define Py_SETREF(dst, src) do { PyObject *_rc_old = _PyObject_CAST(dst); (dst) = (src); Py_DECREF(_rc_old); } while (0)",
	"#define Py_XSETREF(dst, src) do { PyObject *_rc_old = _PyObject_CAST(dst); (dst) = (src); Py_XDECREF(_rc_old); } while (0)",
	"#define Py_VISIT(op) do { if (op) { int _rc_vret = visit(_PyObject_CAST(op), arg); if (_rc_vret) return _rc_vret; } } while (0)",
	"#define Py_RETURN_NONE return Py_NewRef(Py_None)",
	"#define Py_RETURN_TRUE return Py_NewRef(Py_True)",
	"#define Py_RETURN_FALSE return Py_NewRef(Py_False)",
	"#define Py_RETURN_NOTIMPLEMENTED return Py_NewRef(Py_NotImplemented)",
	"#define Py_LT 0",
	"#define Py_LE 1",
	"#define Py_EQ 2",
	"#define Py_NE 3",
	"#define Py_GT 4",
	"#define Py_GE 5",
	"#define Py_RETURN_RICHCOMPARE(val1, val2, op) do { switch (op) { case Py_EQ: if ((val1) == (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; case Py_NE: if ((val1) != (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; case Py_LT: if ((val1) < (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; case Py_GT: if ((val1) > (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; case Py_LE: if ((val1) <= (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; case Py_GE: if ((val1) >= (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; default: Py_UNREACHABLE(); } } while (0)",
	"",
	"#define Py_NAN ((double)NAN)",
	"#define Py_HUGE_VAL HUGE_VAL",
	"#define Py_RETURN_NAN return PyFloat_FromDouble(Py_NAN)",
	"#define Py_RETURN_INF(sign) do { if (copysign(1., (sign)) == 1.) return PyFloat_FromDouble(Py_HUGE_VAL); return PyFloat_FromDouble(-Py_HUGE_VAL); } while (0)",
	"",
	"#define _PyList_CAST(op) ((PyListObject *)(op))",
	"#define _PyTuple_CAST(op) ((PyTupleObject *)(op))",
	"#define PyList_GET_ITEM(op, index) (_PyList_CAST(op)->ob_item[index])",
	"#define PyList_SET_ITEM(op, index, value) (_PyList_CAST(op)->ob_item[index] = _PyObject_CAST(value))",
	"Py_ssize_t PyList_GET_SIZE(PyObject *op);",
	"#define PyList_GET_SIZE(op) PyList_GET_SIZE(_PyObject_CAST(op))",
	"#define PyTuple_GET_ITEM(op, index) (_PyTuple_CAST(op)->ob_item[index])",
	"#define PyTuple_SET_ITEM(op, index, value) (_PyTuple_CAST(op)->ob_item[index] = _PyObject_CAST(value))",
	"Py_ssize_t PyTuple_GET_SIZE(PyObject *op);",
	"#define PyTuple_GET_SIZE(op) PyTuple_GET_SIZE(_PyObject_CAST(op))",
	"#define PySequence_Fast_GET_SIZE(o) (PyList_Check(o) ? PyList_GET_SIZE(o) : PyTuple_GET_SIZE(o))",
	"#define PySequence_Fast_GET_ITEM(o, i) (PyList_Check(o) ? PyList_GET_ITEM((o), (i)) : PyTuple_GET_ITEM((o), (i)))",
	"#define PySequence_Fast_ITEMS(sf) (PyList_Check(sf) ? ((PyListObject *)(sf))->ob_item : ((PyTupleObject *)(sf))->ob_item)",
	"double PyFloat_AS_DOUBLE(PyObject *op);",
	"#define PyFloat_AS_DOUBLE(op) PyFloat_AS_DOUBLE(_PyObject_CAST(op))",
	"",
	"PyObject *_PyObject_New(PyTypeObject *type);",
	"PyVarObject *_PyObject_NewVar(PyTypeObject *type, Py_ssize_t n);",
	"PyObject *_PyObject_GC_New(PyTypeObject *type);",
	"PyVarObject *_PyObject_GC_NewVar(PyTypeObject *type, Py_ssize_t n);",
	"PyVarObject *_PyObject_GC_Resize(PyVarObject *op, Py_ssize_t n);",
	"#define PyObject_New(type, typeobj) ((type *)_PyObject_New(typeobj))",
	"#define PyObject_NEW(type, typeobj) PyObject_New(type, (typeobj))",
	"#define PyObject_NewVar(type, typeobj, n) ((type *)_PyObject_NewVar((typeobj), (n)))",
	"#define PyObject_NEW_VAR(type, typeobj, n) PyObject_NewVar(type, (typeobj), (n))",
	"#define PyObject_GC_New(type, typeobj) ((type *)_PyObject_GC_New(typeobj))",
	"#define PyObject_GC_NewVar(type, typeobj, n) ((type *)_PyObject_GC_NewVar((typeobj), (n)))",
	"#define PyObject_GC_Resize(type, op, n) ((type *)_PyObject_GC_Resize(_PyVarObject_CAST(op), (n)))",
	"void *PyMem_Malloc(size_t size);",
	"void *PyMem_Calloc(size_t nelem, size_t elsize);",
	"void *PyMem_Realloc(void *ptr, size_t new_size);",
	"void PyMem_Free(void *ptr);",
	"void *PyMem_RawMalloc(size_t size);",
	"void *PyMem_RawCalloc(size_t nelem, size_t elsize);",
	"void *PyMem_RawRealloc(void *ptr, size_t new_size);",
	"void PyMem_RawFree(void *ptr);",
	"void *PyObject_Malloc(size_t size);",
	"void *PyObject_Calloc(size_t nelem, size_t elsize);",
	"void *PyObject_Realloc(void *ptr, size_t new_size);",
	"void PyObject_Free(void *ptr);",
	"void PyObject_GC_Del(void *op);",
	"#define PyMem_New(type, n) ((type *)PyMem_Malloc((n) * sizeof(type)))",
	"#define PyMem_NEW(type, n) PyMem_New(type, n)",
	"#define PyMem_Resize(p, type, n) ((p) = (type *)PyMem_Realloc((p), (n) * sizeof(type)))",
	"#define PyMem_RESIZE(p, type, n) PyMem_Resize(p, type, n)",
	"#define PyMem_Del PyMem_Free",
	"#define PyMem_DEL PyMem_Free",
	"#define PyObject_Del PyObject_Free",
	"#define PyObject_DEL PyObject_Free",
	"",
	"PyObject *PyErr_Format(PyObject *exception, const char *format, ...);",
	"PyObject *PyErr_FormatV(PyObject *exception, const char *format, va_list vargs);",
	"PyObject *PyErr_NoMemory(void);",
	"PyObject *PyErr_SetFromErrno(PyObject *type);",
	"PyObject *PyErr_SetFromErrnoWithFilename(PyObject *type, const char *filename);",
	"PyObject *PyErr_SetFromErrnoWithFilenameObject(PyObject *type, PyObject *filename);",
	"PyObject *PyErr_SetFromErrnoWithFilenameObjects(PyObject *type, PyObject *a, PyObject *b);",
	"PyObject *PyErr_SetExcFromWindowsErr(PyObject *type, int ierr);",
	"PyObject *PyErr_SetFromWindowsErr(int ierr);",
	"void PyErr_SetString(PyObject *type, const char *message);",
	"void PyErr_SetObject(PyObject *type, PyObject *value);",
	"void PyErr_SetNone(PyObject *type);",
	"void PyErr_Clear(void);",
	"_Py_NO_RETURN void Py_FatalError(const char *message);",
	"const char *PyUnicode_AsUTF8(PyObject *unicode);",
	"const char *PyUnicode_AsUTF8AndSize(PyObject *unicode, Py_ssize_t *size);",
	"wchar_t *PyUnicode_AsWideCharString(PyObject *unicode, Py_ssize_t *size);",
	"char *PyBytes_AsString(PyObject *o);",
	"char *PyBytes_AS_STRING(PyObject *o);",
	"char *PyByteArray_AsString(PyObject *o);",
	"char *PyByteArray_AS_STRING(PyObject *o);",
	"void *PyCapsule_GetPointer(PyObject *capsule, const char *name);",
	"const char *PyCapsule_GetName(PyObject *capsule);",
	"void *PyCapsule_GetContext(PyObject *capsule);",
	"PyCapsule_Destructor PyCapsule_GetDestructor(PyObject *capsule);",
	"void *PyCapsule_Import(const char *name, int no_block);",
	"void *PyModule_GetState(PyObject *module);",
	"PyModuleDef *PyModule_GetDef(PyObject *module);",
	"const char *PyModule_GetName(PyObject *module);",
	"const char *PyModule_GetFilename(PyObject *module);",
	"void *PyType_GetSlot(PyTypeObject *type, int slot);",
	"void *PyType_GetModuleState(PyTypeObject *type);",
	"unsigned long PyType_GetFlags(PyTypeObject *type);",
	"void *PyLong_AsVoidPtr(PyObject *obj);",
	"double PyFloat_AsDouble(PyObject *obj);",
	"double PyLong_AsDouble(PyObject *obj);",
	"long PyLong_AsLong(PyObject *obj);",
	"long PyLong_AsLongAndOverflow(PyObject *obj, int *overflow);",
	"long long PyLong_AsLongLong(PyObject *obj);",
	"long long PyLong_AsLongLongAndOverflow(PyObject *obj, int *overflow);",
	"unsigned long PyLong_AsUnsignedLong(PyObject *obj);",
	"unsigned long PyLong_AsUnsignedLongMask(PyObject *obj);",
	"unsigned long long PyLong_AsUnsignedLongLong(PyObject *obj);",
	"unsigned long long PyLong_AsUnsignedLongLongMask(PyObject *obj);",
	"size_t PyLong_AsSize_t(PyObject *obj);",
	"Py_ssize_t PyLong_AsSsize_t(PyObject *obj);",
	"Py_hash_t PyObject_Hash(PyObject *o);",
	"Py_hash_t PyObject_HashNotImplemented(PyObject *o);",
	"PyThreadState *PyEval_SaveThread(void);",
	"void PyEval_RestoreThread(PyThreadState *tstate);",
	"PyThreadState *PyThreadState_Get(void);",
	"PyGILState_STATE PyGILState_Ensure(void);",
	"void PyGILState_Release(PyGILState_STATE state);",
	"void PyObject_GC_Track(void *op);",
	"void PyObject_GC_UnTrack(void *op);",
	"void PyBuffer_Release(Py_buffer *view);",
	"#define Py_BEGIN_ALLOW_THREADS { PyThreadState *_save; _save = PyEval_SaveThread();",
	"#define Py_BLOCK_THREADS PyEval_RestoreThread(_save);",
	"#define Py_UNBLOCK_THREADS _save = PyEval_SaveThread();",
	"#define Py_END_ALLOW_THREADS PyEval_RestoreThread(_save); }",
	"#define PyModule_AddIntMacro(m, c) PyModule_AddIntConstant((m), #c, (c))",
	"#define PyModule_AddStringMacro(m, c) PyModule_AddStringConstant((m), #c, (c))",
	"",
	"extern PyTypeObject PyType_Type;",
	"extern PyTypeObject PyBaseObject_Type;",
	"extern PyTypeObject PyBool_Type;",
	"extern PyTypeObject PyByteArray_Type;",
	"extern PyTypeObject PyBytes_Type;",
	"extern PyTypeObject PyCapsule_Type;",
	"extern PyTypeObject PyCFunction_Type;",
	"extern PyTypeObject PyComplex_Type;",
	"extern PyTypeObject PyDict_Type;",
	"extern PyTypeObject PyFloat_Type;",
	"extern PyTypeObject PyFrozenSet_Type;",
	"extern PyTypeObject PyList_Type;",
	"extern PyTypeObject PyLong_Type;",
	"extern PyTypeObject PyMemoryView_Type;",
	"extern PyTypeObject PyModule_Type;",
	"extern PyTypeObject PyProperty_Type;",
	"extern PyTypeObject PyRange_Type;",
	"extern PyTypeObject PySet_Type;",
	"extern PyTypeObject PySlice_Type;",
	"extern PyTypeObject PyTuple_Type;",
	"extern PyTypeObject PyUnicode_Type;",
	"",
	"extern PyObject *PyExc_BaseException;",
	"extern PyObject *PyExc_Exception;",
	"extern PyObject *PyExc_ArithmeticError;",
	"extern PyObject *PyExc_AssertionError;",
	"extern PyObject *PyExc_AttributeError;",
	"extern PyObject *PyExc_BufferError;",
	"extern PyObject *PyExc_EOFError;",
	"extern PyObject *PyExc_FileNotFoundError;",
	"extern PyObject *PyExc_ImportError;",
	"extern PyObject *PyExc_IndexError;",
	"extern PyObject *PyExc_KeyError;",
	"extern PyObject *PyExc_KeyboardInterrupt;",
	"extern PyObject *PyExc_LookupError;",
	"extern PyObject *PyExc_MemoryError;",
	"extern PyObject *PyExc_NameError;",
	"extern PyObject *PyExc_NotImplementedError;",
	"extern PyObject *PyExc_OSError;",
	"extern PyObject *PyExc_IOError;",
	"extern PyObject *PyExc_OverflowError;",
	"extern PyObject *PyExc_RecursionError;",
	"extern PyObject *PyExc_ReferenceError;",
	"extern PyObject *PyExc_RuntimeError;",
	"extern PyObject *PyExc_StopAsyncIteration;",
	"extern PyObject *PyExc_StopIteration;",
	"extern PyObject *PyExc_SystemError;",
	"extern PyObject *PyExc_TimeoutError;",
	"extern PyObject *PyExc_TypeError;",
	"extern PyObject *PyExc_UnicodeDecodeError;",
	"extern PyObject *PyExc_UnicodeEncodeError;",
	"extern PyObject *PyExc_UnicodeError;",
	"extern PyObject *PyExc_ValueError;",
	"extern PyObject *PyExc_ZeroDivisionError;",
	"extern PyObject *PyExc_Warning;",
	"extern PyObject *PyExc_DeprecationWarning;",
	"extern PyObject *PyExc_RuntimeWarning;",
	"extern PyObject *PyExc_UserWarning;",
	NULL,
};

static const char *const standin_structmember_h[] = {
	"#ifndef RCCHECK_STANDIN_STRUCTMEMBER_H",
	"#define RCCHECK_STANDIN_STRUCTMEMBER_H",
	"#include \"Python.h\"",
	"#define T_SHORT 0",
	"#define T_INT 1",
	"#define T_LONG 2",
	"#define T_FLOAT 3",
	"#define T_DOUBLE 4",
	"#define T_STRING 5",
	"#define T_OBJECT 6",
	"#define T_CHAR 7",
	"#define T_BYTE 8",
	"#define T_UBYTE 9",
	"#define T_USHORT 10",
	"#define T_UINT 11",
	"#define T_ULONG 12",
	"#define T_STRING_INPLACE 13",
	"#define T_BOOL 14",
	"#define T_OBJECT_EX 16",
	"#define T_LONGLONG 17",
	"#define T_ULONGLONG 18",
	"#define T_PYSSIZET 19",
	"#define T_NONE 20",
	"#define READONLY 1",
	"#define READ_RESTRICTED 2",
	"#define PY_WRITE_RESTRICTED 4",
	"#define RESTRICTED (READ_RESTRICTED | PY_WRITE_RESTRICTED)",
	"PyObject *PyMember_GetOne(const char *obj, PyMemberDef *member);",
	"int PyMember_SetOne(char *obj, PyMemberDef *member, PyObject *value);",
	"#endif",
	NULL,
};

/* ------------------------------------------------------------------------------------------ */
/* Generation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *s, const char *p, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		char **nv = realloc(s->v, s->cap * sizeof *nv);
		if (!nv)
			abort();
		s->v = nv;
	}
	char *c = malloc(len + 1);
	if (!c)
		abort();
	memcpy(c, p, len);
	c[len] = '\0';
	s->v[s->n++] = c;
}

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int names_has(const struct names *s, const char *name)
{
	return s->n && bsearch(&name, s->v, s->n, sizeof *s->v, util_cmp_str) != NULL;
}

static int ident_start(int c)
{
	return isalpha(c) || c == '_';
}

/* Every identifier of the fixed texts, sorted. */
static void stand_in_names(struct names *s)
{
	const char *const *texts[] = { standin_python_h, standin_structmember_h };
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (const char *const *l = texts[t]; *l; l++)
			for (const char *p = *l; *p;) {
				if (!ident_start((unsigned char)*p)) {
					/* skip numbers whole (1UL is not an identifier) */
					if (isdigit((unsigned char)*p))
						while (isalnum((unsigned char)*p) || *p == '_')
							p++;
					else
						p++;
					continue;
				}
				const char *b = p;
				while (isalnum((unsigned char)*p) || *p == '_')
					p++;
				names_add(s, b, (size_t)(p - b));
			}
	qsort(s->v, s->n, sizeof *s->v, util_cmp_str);
}

struct gen_ctx {
	const struct names *fixed;
	struct names out; /* "PyObject *NAME();" / "int NAME();" lines, without the newline */
};

static int is_identifier(const char *s)
{
	if (!ident_start((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int gen_one(const struct model_fn *f, void *data)
{
	struct gen_ctx *g = data;
	/* CPython's names only: rc.model's runtime functions must not clash with rc.h */
	if (strncmp(f->name, "Py", 2) != 0 && strncmp(f->name, "_Py", 3) != 0)
		return 0;
	/* global objects ("global:NAME"), return-statement macros (Py_RETURN_NAN): not functions */
	if (!is_identifier(f->name) || (f->flags & MODEL_RETURN_STMT) || names_has(g->fixed, f->name))
		return 0;
	/* no parameter list: any arguments are accepted, as the real prototypes would */
	char line[512];
	int n = snprintf(line, sizeof line, "%s%s();",
			 f->ret == MODEL_RET_NEW || f->ret == MODEL_RET_BORROWED ? "PyObject *" : "int ", f->name);
	if (n > 0 && (size_t)n < sizeof line)
		names_add(&g->out, line, (size_t)n);
	return 0;
}

static int write_lines(const char *const *lines, FILE *out)
{
	for (; *lines; lines++)
		if (fputs(*lines, out) == EOF || fputc('\n', out) == EOF)
			return -1;
	return 0;
}

int pyheaders_write_python_h(const struct model *model, FILE *out)
{
	struct names fixed = { NULL, 0, 0 };
	stand_in_names(&fixed);
	struct gen_ctx g = { &fixed, { NULL, 0, 0 } };
	model_foreach(model, gen_one, &g);
	/* sorted by name: the same model gives the same file */
	qsort(g.out.v, g.out.n, sizeof *g.out.v, util_cmp_str);
	int r = 0;
	if (fputs("/* Python.h - rccheck's built-in stand-in for CPython's Python.h, used because no Python.h\n"
		  " * was found (docs/analyzer.md, \"Python headers\"). Not CPython's header: only what rccheck's\n"
		  " * model of the C API knows. */\n",
		  out) == EOF ||
	    write_lines(standin_python_h, out) < 0 ||
	    fputs("\n/* The functions of rccheck's CPython model not declared above: a new or borrowed\n"
		  " * reference is a PyObject *, anything else an int. */\n",
		  out) == EOF)
		r = -1;
	for (size_t i = 0; r == 0 && i < g.out.n; i++)
		if (fputs(g.out.v[i], out) == EOF || fputc('\n', out) == EOF)
			r = -1;
	if (r == 0 && fputs("#endif\n", out) == EOF)
		r = -1;
	names_free(&g.out);
	names_free(&fixed);
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* The stand-in directory: written once per process, removed at exit                            */
/* ------------------------------------------------------------------------------------------ */

static pthread_mutex_t standin_lock = PTHREAD_MUTEX_INITIALIZER;
static int standin_state; /* 0 not written yet, 1 written, -1 failed (standin_err says why) */
static char standin_dir[4096];
static char standin_err[4400]; /* a path and a reason */

static void standin_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", standin_dir, name);
}

static void standin_remove(void)
{
	if (!standin_dir[0])
		return;
	char p[4200];
	standin_path(p, sizeof p, "Python.h");
	unlink(p);
	standin_path(p, sizeof p, "structmember.h");
	unlink(p);
	rmdir(standin_dir);
	standin_dir[0] = '\0';
}

void pyheaders_cleanup(void)
{
	pthread_mutex_lock(&standin_lock);
	if (standin_state != 0)
		standin_remove();
	pthread_mutex_unlock(&standin_lock);
}

/* Writes one file of the stand-in; -1 with standin_err set on failure. */
static int standin_write(const char *name, const struct model *model, const char *const *lines)
{
	char p[4200];
	standin_path(p, sizeof p, name);
	FILE *f = fopen(p, "w");
	if (!f) {
		snprintf(standin_err, sizeof standin_err, "%s: %s", p, strerror(errno));
		return -1;
	}
	int r = lines ? write_lines(lines, f) : pyheaders_write_python_h(model, f);
	if (fclose(f) != 0)
		r = -1;
	if (r < 0)
		snprintf(standin_err, sizeof standin_err, "%s: write error", p);
	return r;
}

/* The stand-in's directory, written from the model of the first caller (one process analyses
 * with one model); NULL with standin_err set when it cannot be written. */
static const char *standin(const struct model *model)
{
	pthread_mutex_lock(&standin_lock);
	if (standin_state == 0) {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = "/tmp";
		int n = snprintf(standin_dir, sizeof standin_dir, "%s/rccheck-python-XXXXXX", tmp);
		standin_state = -1;
		if (n < 0 || (size_t)n >= sizeof standin_dir) {
			snprintf(standin_err, sizeof standin_err, "TMPDIR is too long");
		} else if (!mkdtemp(standin_dir)) {
			snprintf(standin_err, sizeof standin_err, "a directory in %s: %s", tmp, strerror(errno));
		} else {
			atexit(standin_remove);
			if (standin_write("Python.h", model, NULL) == 0 &&
			    standin_write("structmember.h", model, standin_structmember_h) == 0)
				standin_state = 1;
		}
	}
	const char *r = standin_state == 1 ? standin_dir : NULL;
	pthread_mutex_unlock(&standin_lock);
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Discovery                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static pthread_once_t discover_once = PTHREAD_ONCE_INIT;
static char discovered[4096];

static int has_python_h(const char *dir)
{
	char p[4200];
	struct stat st;
	if (snprintf(p, sizeof p, "%s/Python.h", dir) >= (int)sizeof p)
		return 0;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, R_OK) == 0;
}

static int take(const char *dir)
{
	if (!*dir || strlen(dir) >= sizeof discovered || !has_python_h(dir))
		return 0;
	strcpy(discovered, dir);
	return 1;
}

/* Runs a shell command (stdin and stderr from/to /dev/null: a missing program prints nothing)
 * and reads at most len - 1 bytes of its output. */
static void run_quiet(const char *cmd, char *buf, size_t len)
{
	char full[512];
	buf[0] = '\0';
	snprintf(full, sizeof full, "{ %s; } </dev/null 2>/dev/null", cmd);
	fflush(NULL); /* the child must not write our buffered output again */
	FILE *p = popen(full, "r");
	if (!p)
		return;
	size_t n = fread(buf, 1, len - 1, p);
	buf[n] = '\0';
	char drain[256];
	while (fread(drain, 1, sizeof drain, p) > 0)
		;
	pclose(p);
}

/* python3.N in a path: N, or -1. */
static long minor_version(const char *path)
{
	const char *p = strstr(path, "/python3.");
	if (!p || !isdigit((unsigned char)p[9]))
		return -1;
	return strtol(p + 9, NULL, 10);
}

static void discover(void)
{
	char out[8192];
	discovered[0] = '\0';
	/* 1. python3-config --includes: "-I/usr/include/python3.11 -I/usr/include/x86_64-..." */
	run_quiet("python3-config --includes", out, sizeof out);
	for (char *save = NULL, *t = strtok_r(out, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
		if (!strncmp(t, "-I", 2) && take(t + 2))
			return;
	/* 2. sysconfig's include path (one line; it may contain blanks) */
	run_quiet("python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"include\"])'", out, sizeof out);
	out[strcspn(out, "\r\n")] = '\0';
	if (take(out))
		return;
	/* 3. the highest python3.N with a Python.h under /usr/include, then /usr/local/include */
	const char *patterns[] = { "/usr/include/python3.*/Python.h", "/usr/local/include/python3.*/Python.h" };
	long best = -1;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		glob_t g;
		if (glob(patterns[i], 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc; k++) {
			long v = minor_version(g.gl_pathv[k]);
			char *slash = strrchr(g.gl_pathv[k], '/');
			if (v <= best || !slash || (size_t)(slash - g.gl_pathv[k]) >= sizeof out)
				continue;
			memcpy(out, g.gl_pathv[k], (size_t)(slash - g.gl_pathv[k]));
			out[slash - g.gl_pathv[k]] = '\0';
			if (take(out)) /* take() changes nothing when it fails */
				best = v;
		}
		globfree(&g);
	}
}

const char *pyheaders_discover(void)
{
	pthread_once(&discover_once, discover);
	return discovered[0] ? discovered : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Choice                                                                                      */
/* ------------------------------------------------------------------------------------------ */

int pyheaders_is_missing(const char *diagnostic)
{
	/* clang: "'Python.h' file not found" (with angle brackets or quotes) */
	return diagnostic && strstr(diagnostic, "'Python.h' file not found") != NULL;
}

const char *pyheaders_dir(const char *python_include, const struct model *model, enum pyheaders_kind *kind,
			  char *err, size_t errlen)
{
	int none = python_include && !strcmp(python_include, "none");
	*kind = PYHEADERS_REAL;
	if (python_include && !none) {
		if (has_python_h(python_include))
			return python_include;
		snprintf(err, errlen, "--python-include %s: no readable Python.h in that directory", python_include);
		return NULL;
	}
	const char *d = none ? NULL : pyheaders_discover();
	if (d)
		return d;
	*kind = PYHEADERS_STANDIN;
	d = standin(model);
	if (!d)
		snprintf(err, errlen, "cannot write the built-in Python.h stand-in (%s)", standin_err);
	return d;
}
