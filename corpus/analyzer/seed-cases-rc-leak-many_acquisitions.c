/* rc-leak with many acquisitions in one function (six objects, one cleanup label), and
 * acquisitions in a for statement's clauses. */
#include <rc/rc.h>

struct config {
	rc_object base;
	rc_object *parts[6];
};

struct iter;

extern const rc_type part_type;

int part_init(rc_object *part, int i);
RC_NEW_REF rc_object *iter_next(struct iter *it);
void show(const rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_six_parts(rc_heap *heap, struct config *cfg)
{
	rc_object *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;
	int err = RC_ENOMEM;

	if (!(a = rc_new(heap, &part_type)) || !(b = rc_new(heap, &part_type)) ||
	    !(c = rc_new(heap, &part_type)) || !(d = rc_new(heap, &part_type)) ||
	    !(e = rc_new(heap, &part_type)) || !(f = rc_new(heap, &part_type)))
		goto out;
	err = RC_EINVAL;
	if (part_init(a, 0) < 0 || part_init(b, 1) < 0 || part_init(c, 2) < 0)
		goto out;
	if (part_init(d, 3) < 0 || part_init(e, 4) < 0 || part_init(f, 5) < 0)
		goto out;
	rc_set_field(&cfg->parts[0], rc_newref(a));
	rc_set_field(&cfg->parts[1], rc_newref(b));
	rc_set_field(&cfg->parts[2], rc_newref(c));
	rc_set_field(&cfg->parts[3], rc_newref(d));
	rc_set_field(&cfg->parts[4], rc_newref(e));
	rc_set_field(&cfg->parts[5], rc_newref(f));
	err = 0;
out:
	rc_xdecref(f);
	rc_xdecref(e);
	rc_xdecref(d);
	rc_xdecref(c);
	rc_xdecref(b);
	rc_xdecref(a);
	return err;
}

int good_for_clauses(struct iter *it)
{
	int n = 0;
	for (rc_object *o = iter_next(it); o; rc_decref(o), o = iter_next(it)) {
		show(o);
		n++;
	}
	return n;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_six_parts_forgets_d(rc_heap *heap, struct config *cfg)
{
	rc_object *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;
	int err = RC_ENOMEM;

	if (!(a = rc_new(heap, &part_type)) || !(b = rc_new(heap, &part_type)) ||
	    !(c = rc_new(heap, &part_type)) || !(d = rc_new(heap, &part_type)) ||
	    !(e = rc_new(heap, &part_type)) || !(f = rc_new(heap, &part_type)))
		goto out;
	err = RC_EINVAL;
	if (part_init(a, 0) < 0 || part_init(b, 1) < 0 || part_init(c, 2) < 0)
		goto out;
	if (part_init(d, 3) < 0 || part_init(e, 4) < 0 || part_init(f, 5) < 0)
		goto out;
	rc_set_field(&cfg->parts[0], rc_newref(a));
	rc_set_field(&cfg->parts[1], rc_newref(b));
	rc_set_field(&cfg->parts[2], rc_newref(c));
	rc_set_field(&cfg->parts[3], rc_newref(d));
	rc_set_field(&cfg->parts[4], rc_newref(e));
	rc_set_field(&cfg->parts[5], rc_newref(f));
	err = 0;
out:
	rc_xdecref(f);
	rc_xdecref(e);
	rc_xdecref(c);
	rc_xdecref(b);
	rc_xdecref(a);
	return err; // expect-warning{{rc-leak}}
}

int bad_for_clauses_break(struct iter *it)
{
	int n = 0;
	for (rc_object *o = iter_next(it); o; rc_decref(o), o = iter_next(it)) {
		if (n == 10)
			break;
		show(o);
		n++;
	}
	return n; // expect-warning{{rc-leak}}
}
