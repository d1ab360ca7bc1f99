/* Pointers that cannot be to counted objects carry no ownership facts in summaries
 * (IR_VAR_PLAIN): a C library's opaque handle taken out of an object's field and handed to a
 * setter is not a reference (psycopg2's green.c/pqpath.c with libpq's PGresult), nor is a
 * char buffer. */
// compile-args-pkg: python3

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct pg_result PGresult; /* opaque: its definition is the library's */
void PQclear(PGresult *res);
PGresult *PQgetResult(void *conn);

typedef struct {
	PyObject_HEAD
	PGresult *pgres;
	PyObject *cache;
} connObject;

/* the result is now the caller's: taken out of the field */
static PGresult *take_result(connObject *c)
{
	PGresult *r = c->pgres;
	c->pgres = NULL;
	return r;
}

static void set_result(connObject *c, PGresult *r)
{
	PQclear(c->pgres);
	c->pgres = r;
}

int good_opaque_handoff(connObject *c)
{
	set_result(c, take_result(c));
	return c->pgres != NULL;
}

/* the same shape with an object: the field's reference is the caller's */
static PyObject *take_cache(connObject *c)
{
	PyObject *r = c->cache;
	c->cache = NULL;
	return r;
}

int bad_object_taken_and_dropped(connObject *c)
{
	PyObject *o = take_cache(c);
	if (o == NULL)
		return -1;
	return 0; // expect-warning{{rc-leak}}
}
