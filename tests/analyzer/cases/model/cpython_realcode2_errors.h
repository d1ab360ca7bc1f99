/* An X-macro list, included inside a function body by cpython_realcode2.c. */
ADD_ERROR(NotFound, 1)
ADD_ERROR(Busy, 2)
ADD_ERROR(Closed, 3)
