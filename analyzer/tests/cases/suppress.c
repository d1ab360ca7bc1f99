/* Suppression comments: on the finding's line or the line above, one ID, a list, or '*'. */
#include <rc/rc.h>

extern const rc_type t;

int good_suppressed_same_line(rc_heap *h, int c)
{
	rc_object *o = rc_new(h, &t);
	if (!o)
		return -1;
	if (c)
		return 1; /* rccheck: ignore[rc-leak] kept on purpose */
	rc_decref(o);
	return 0;
}

int good_suppressed_line_above(rc_heap *h, int c)
{
	rc_object *o = rc_new(h, &t);
	if (!o)
		return -1;
	if (c)
		// rccheck: ignore[rc-double-release, rc-leak]
		return 1;
	rc_decref(o);
	return 0;
}

int bad_other_id_not_suppressed(rc_heap *h, int c)
{
	rc_object *o = rc_new(h, &t);
	if (!o)
		return -1;
	if (c)
		return 1; // expect-warning{{rc-leak}} rccheck: ignore[rc-double-release]
	rc_decref(o);
	return 0;
}

void good_star(rc_heap *h)
{
	rc_object *o = rc_new(h, &t);
	rc_decref(o); /* rccheck: ignore[*] */
}
