/* for returns_new_convention.c: a function whose body the unit sees in a header */
static inline PyObject *header_value(PyObject *holder)
{
	return holder;
}
