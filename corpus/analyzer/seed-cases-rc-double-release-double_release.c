/* rc-double-release: a reference released again after the function no longer owns it. Reported
 * on the second release call. */
#include <rc/rc.h>

struct conn {
	rc_object base;
	rc_object *request;
	rc_object *response;
	int state;
};

extern const rc_type buf_type;

RC_NEG_ON_FAILURE int queue_push(struct conn *c, RC_STEALS rc_object *item);
RC_NEG_ON_FAILURE int queue_offer(struct conn *c, RC_STEALS_ON_SUCCESS rc_object *item);
int parse(rc_object *buf);
int send_buf(struct conn *c, const rc_object *buf);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_release_once_per_branch(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	if (parse(buf) < 0) {
		rc_decref(buf);
		return -1;
	}
	send_buf(c, buf);
	rc_decref(buf);
	return 0;
}

int good_null_after_release(rc_heap *heap, struct conn *c)
{
	int err = -1;
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		goto out;
	if (send_buf(c, buf) < 0)
		goto out;
	rc_decref(buf);
	buf = NULL; /* the cleanup below must not release it again */
	err = 0;
out:
	rc_xdecref(buf);
	return err;
}

void good_two_references(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return;
	rc_incref(buf);
	send_buf(c, buf);
	rc_decref(buf);
	rc_decref(buf);
}

void good_clear_field_twice(struct conn *c)
{
	rc_clear_field(&c->request);
	rc_clear_field(&c->request); /* the field is NULL now: a no-op */
	rc_clear_field(&c->response);
}

int good_offer_failure_only(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	if (queue_offer(c, buf) < 0) {
		rc_decref(buf);
		return -1;
	}
	return 0;
}

int good_switch_without_fallthrough(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	switch (c->state) {
	case 0:
		rc_decref(buf);
		return 0;
	case 1:
		send_buf(c, buf);
		rc_decref(buf);
		break;
	default:
		rc_decref(buf);
		break;
	}
	return 1;
}

int good_loop_release_each(rc_heap *heap, struct conn *c, int n)
{
	for (int i = 0; i < n; i++) {
		rc_object *buf = rc_new(heap, &buf_type);
		if (!buf)
			return -1;
		send_buf(c, buf);
		rc_decref(buf);
	}
	return 0;
}

void good_newref_alias(rc_object *shared, struct conn *c)
{
	rc_object *mine = rc_newref(shared);
	send_buf(c, mine);
	rc_decref(mine);
}

void good_set_field_twice(rc_heap *heap, struct conn *c)
{
	rc_set_field(&c->request, rc_new(heap, &buf_type));
	rc_set_field(&c->request, rc_new(heap, &buf_type)); /* releases the first one */
}

int good_push_steals(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	return queue_push(c, buf);
}

/* ---- must fire ------------------------------------------------------------------------------ */

void bad_straight_twice(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return;
	send_buf(c, buf);
	rc_decref(buf);
	rc_decref(buf); // expect-warning{{rc-double-release}}
}

int bad_error_branch_then_cleanup(rc_heap *heap, struct conn *c)
{
	int err = -1;
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		goto out;
	if (parse(buf) < 0) {
		rc_decref(buf);
		goto out;
	}
	err = send_buf(c, buf);
out:
	rc_xdecref(buf); // expect-warning{{rc-double-release}}
	return err;
}

int bad_forgot_null_before_cleanup(rc_heap *heap, struct conn *c)
{
	int err = -1;
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		goto out;
	if (send_buf(c, buf) < 0)
		goto out;
	rc_decref(buf);
	err = 0;
out:
	rc_xdecref(buf); // expect-warning{{rc-double-release}}
	return err;
}

void bad_alias(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	rc_object *same;

	if (!buf)
		return;
	same = buf;
	send_buf(c, same);
	rc_decref(buf);
	rc_decref(same); // expect-warning{{rc-double-release}}
}

void bad_release_in_loop_then_after(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return;
	while (c->state > 0) {
		if (send_buf(c, buf) < 0) {
			rc_decref(buf);
			break;
		}
		c->state--;
	}
	rc_decref(buf); // expect-warning{{rc-double-release}}
}

int bad_release_after_steal(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	if (queue_push(c, buf) < 0) {
		rc_decref(buf); // expect-warning{{rc-double-release}}
		return -1;
	}
	return 0;
}

int bad_release_after_set_field(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	rc_set_field(&c->response, buf);
	send_buf(c, buf);
	rc_decref(buf); // expect-warning{{rc-double-release}}
	return 0;
}

int bad_offer_success_released(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	if (queue_offer(c, buf) < 0)
		return -1; // expect-warning{{rc-leak}}
	rc_decref(buf); // expect-warning{{rc-double-release}}
	return 0;
}

int bad_switch_fallthrough(rc_heap *heap, struct conn *c)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return -1;
	switch (c->state) {
	case 0:
		rc_decref(buf);
		/* fall through */
	case 1:
		rc_decref(buf); // expect-warning{{rc-double-release}}
		break;
	default:
		rc_decref(buf);
		break;
	}
	return 0;
}

void bad_nested_conditions(rc_heap *heap, struct conn *c, int a, int b)
{
	rc_object *buf = rc_new(heap, &buf_type);
	if (!buf)
		return;
	if (a) {
		send_buf(c, buf);
		rc_decref(buf);
		if (b)
			return;
	}
	rc_decref(buf); // expect-warning{{rc-double-release}}
}

void bad_weakref_target(rc_weakref *ref, struct conn *c)
{
	rc_object *target = rc_weakref_get(ref);
	if (!target)
		return;
	send_buf(c, target);
	rc_decref(target);
	if (c->state)
		rc_decref(target); // expect-warning{{rc-double-release}}
}

struct message {
	rc_object base;
	long id;
};

/* The same object through its cast and through its header member. */
void bad_cast_and_member(rc_heap *heap)
{
	struct message *m = (struct message *)rc_new(heap, &buf_type);
	if (!m)
		return;
	rc_decref(RC_OBJ(m));
	rc_decref(&m->base); // expect-warning{{rc-double-release}}
}

