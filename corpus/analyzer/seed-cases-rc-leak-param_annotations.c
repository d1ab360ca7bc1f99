/* Functions whose own parameters carry RC_ACQUIRES / RC_RELEASES: what they must do with the
 * argument on every path (the runtime's rc_incref / rc_xdecref are written this way). */
#include <rc/rc.h>

void log_object(const rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

/* Adds a reference for the caller: not a leak of this function. */
void good_retain(RC_ACQUIRES rc_object *obj)
{
	log_object(obj);
	rc_incref(obj);
}

void good_release(RC_RELEASES rc_object *obj)
{
	log_object(obj);
	rc_decref(obj);
}

void good_xrelease(RC_RELEASES RC_ACCEPTS_NULL rc_object *obj)
{
	if (obj)
		rc_decref(obj);
}

/* ---- must fire ------------------------------------------------------------------------------ */

void bad_release_sometimes(RC_RELEASES rc_object *obj, int quiet)
{
	if (quiet)
		return; // expect-warning{{rc-leak}}
	rc_decref(obj);
}
