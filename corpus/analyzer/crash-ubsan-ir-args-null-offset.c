static PyObject *bad_build_n_then_decref(long v)
{
