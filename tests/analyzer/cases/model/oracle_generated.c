/* Programs of the differential oracle (fuzz/differential, docs/oracle.md) on which rccheck and
 * the runtime agree: each bad_* function is an injected defect the runs showed and rccheck
 * reports, minimized by `fuzz/differential --minimize` (verdict kept: both found it); the good_*
 * function is a correct-by-construction one (seed 52, trimmed of a few statements that did
 * nothing) that no run faults and rccheck leaves alone. Disagreements are not here: they are judged in fuzz/oracle/known/. */
// rccheck-args: --model oracle_generated.model
#include <rc/rc.h>

struct box {
	rc_object base;
	rc_object *a;
	rc_object *b;
};

extern const rc_type oracle_leaf_type;
extern const rc_type oracle_box_type;
void oracle_use(rc_object *obj);

/* ---- must stay silent ---------------------------------------------------------------------- */

/* Seed 52, f0: a loop with a loop-local reference released on continue and on return, switches,
 * a weak reference on a borrowed argument, conditional allocations, goto-cleanup. */
int good_generated_seed52(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	int ret = -1;
	rc_object *v0 = NULL;
	rc_object *v1 = NULL;
	rc_object *v2 = NULL;
	rc_weakref *w = NULL;
	rc_object *b;

	if (c2 == 2) {
		goto out;
	}
	oracle_use(arg);
	for (int i = 0; i < 3; i++) {
		rc_object *t0 = NULL;
		t0 = rc_new(h, &oracle_leaf_type);
		if (!t0) {
			rc_xdecref(t0);
			goto out;
		}
		switch (c2) {
		case 1:
			if (c0 || c2 == 1) {
				rc_decref(t0);
				return -1;
			}
			break;
		default:
			break;
		}
		if ((c1 && c2 != 0) && i == 1) {
			rc_decref(t0);
			continue;
		}
		rc_decref(t0);
	}
	rc_clear_field(&((struct box *)arg)->b);
	if (c0) {
		oracle_use(arg);
		if (c2 != 0) {
			b = ((struct box *)arg)->b;
			if (b)
				oracle_use(b);
			rc_clear_field(&((struct box *)arg)->a);
		}
	} else {
		b = ((struct box *)arg)->b;
		if (b)
			oracle_use(b);
		if (c0 || c1) {
			w = rc_weakref_new(arg, NULL, NULL);
			if (w == NULL)
				goto out;
			oracle_use(arg);
		} else {
			if (c1 ? c2 == 0 : c0) {
				if (c0 ? c1 : !c1) {
					goto out;
				}
				rc_clear_field(&((struct box *)arg)->b);
			} else {
				w = rc_weakref_new(arg, NULL, NULL);
				if (!w)
					goto out;
			}
			switch (c2) {
			case 0:
				v1 = c1 ? rc_new(h, &oracle_leaf_type) : NULL;
				rc_xdecref(RC_WEAKREF_OBJ(w));
				w = NULL;
				break;
			case 1:
				break;
			default:
				v0 = rc_new(h, &oracle_box_type);
				if (!v0 || c1) {
					rc_xdecref(RC_WEAKREF_OBJ(w));
					rc_xdecref(v0);
					return -1;
				}
				break;
			}
			v2 = c0 ? rc_new(h, &oracle_leaf_type) : NULL;
			if (!v2 || !c0) {
				goto out;
			}
		}
		rc_xdecref(v0);
		v0 = NULL;
	}
	switch (c2) {
	case 0:
		v0 = c2 == 2 ? rc_new(h, &oracle_box_type) : NULL;
		if (v0 == NULL)
			goto out;
		if (!c1) {
			if (v1)
				oracle_use(v1);
		}
		break;
	default:
		break;
	}
	if (c2 == 1) {
		rc_xdecref(v1);
		v1 = NULL;
	}
	ret = 0;
out:
	rc_xdecref(RC_WEAKREF_OBJ(w));
	rc_xdecref(v2);
	rc_xdecref(v1);
	rc_xdecref(v0);
	return ret;
}

/* ---- must be reported ---------------------------------------------------------------------- */

/* Seed 5, missing-release: a loop-local box never released. */
int bad_generated_missing_release(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *t0 = NULL;

	(void)arg, (void)c0, (void)c1, (void)c2;
	t0 = rc_new(h, &oracle_box_type);
	return -1; // expect-warning{{rc-leak}}
}

/* Seed 6, wrong-path: the release moved out of its branch, then the cleanup releases again. */
int bad_generated_wrong_path(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v0 = NULL;

	(void)arg, (void)c0, (void)c1;
	v0 = c2 == 1 ? rc_new(h, &oracle_box_type) : NULL;
	rc_xdecref(v0);
	rc_xdecref(v0); // expect-warning{{rc-double-release}}
	return -1;
}

/* Seed 9, missing-null-check: the weak reference's creation can fail. */
int bad_generated_missing_null_check(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_weakref *w = NULL;

	(void)h, (void)c0, (void)c1, (void)c2;
	w = rc_weakref_new(arg, NULL, NULL);
	rc_decref(RC_WEAKREF_OBJ(w)); // expect-warning{{rc-unchecked-null}}
	return -1;
}

RC_NEW_REF RC_NULL_ON_FAILURE rc_object *generated_newref_of_arg(rc_heap *h, rc_object *arg, int c0, int c1, int c2);

/* Seed 46, wrong-path: a copy released twice in a loop; the next iteration copies a dead object. */
RC_NEW_REF RC_NULL_ON_FAILURE rc_object *bad_generated_loop_copy(rc_heap *h, rc_object *arg, int c0, int c1, int c2)
{
	rc_object *v1 = NULL;

	v1 = generated_newref_of_arg(h, arg, 0, c0, c2);
	for (int i = 0; i < 3; i++) {
		rc_object *t0 = NULL;
		t0 = rc_xnewref(v1); // expect-warning{{rc-use-after-release}}
		rc_xdecref(t0);
		rc_xdecref(t0); // expect-warning{{rc-double-release}}
	}
	return NULL;
}
