/* rc-leak in code around the runtime's own hooks: type callbacks (traverse, clear, finalize,
 * destroy), weak references and their callbacks, heap setup and teardown. */
#include <stdio.h>
#include <rc/rc.h>

struct session {
	rc_object base;
	rc_object *user;
	rc_weakref *peer; /* does not keep the peer alive */
	int closed;
};

extern const rc_type session_type;
extern rc_object *resurrected;

void log_line(const char *msg);

static void session_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	visit(((struct session *)self)->user, arg);
}

static void session_clear(rc_object *self)
{
	rc_clear_field(&((struct session *)self)->user);
}

/* A finalizer may resurrect: it stores a new reference to itself. */
static void session_finalize(rc_object *self)
{
	if (!((struct session *)self)->closed)
		rc_set_field(&resurrected, rc_newref(self));
}

static void session_destroy(rc_object *self)
{
	struct session *s = (struct session *)self;
	/* the session owns its weak reference: clear the field, then release (rc_clear_field) */
	rc_clear_field((rc_object **)&s->peer);
}

const rc_type session_type = { "session", sizeof(struct session), session_traverse, session_clear,
			       session_finalize, session_destroy };

static void on_peer_gone(rc_weakref *ref, void *arg)
{
	(void)ref;
	((struct session *)arg)->closed = 1;
}

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_watch_peer(struct session *s, rc_object *peer)
{
	rc_weakref *w = rc_weakref_new(peer, on_peer_gone, s);
	if (!w)
		return RC_ENOMEM;
	s->peer = w; /* owned by the session, released in session_destroy */
	return 0;
}

int good_peer_alive(struct session *s)
{
	rc_object *peer;
	int alive;

	if (!s->peer)
		return 0;
	peer = rc_weakref_get(s->peer);
	alive = peer != NULL;
	rc_xdecref(peer);
	return alive;
}

size_t good_heap_lifecycle(void)
{
	rc_heap *heap;
	rc_object *s;

	if (rc_heap_new(&heap, NULL) < 0)
		return 0;
	s = rc_new(heap, &session_type);
	if (s)
		rc_decref(s);
	rc_collect(heap);
	return rc_heap_destroy(heap);
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_weakref_dropped(struct session *s, rc_object *peer)
{
	rc_weakref *w = rc_weakref_new(peer, on_peer_gone, s);
	if (!w)
		return RC_ENOMEM;
	if (s->closed)
		return 1; // expect-warning{{rc-leak}}
	s->peer = w;
	return 0;
}

int bad_peer_kept(struct session *s)
{
	rc_object *peer;

	if (!s->peer)
		return 0;
	peer = rc_weakref_get(s->peer);
	if (!peer)
		return 0;
	log_line("peer alive");
	return 1; // expect-warning{{rc-leak}}
}

size_t bad_object_outlives_heap(void)
{
	rc_heap *heap;
	rc_object *s;

	if (rc_heap_new(&heap, NULL) < 0)
		return 0;
	s = rc_new(heap, &session_type);
	if (!s)
		return rc_heap_destroy(heap);
	rc_collect(heap);
	return rc_heap_destroy(heap); // expect-warning{{rc-leak}}
}
