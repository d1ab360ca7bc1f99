/* rc-leak through helpers defined in the same file: make_cell has no annotation and the analyzer
 * infers from its body that it returns a new reference; the helpers that take over or release
 * their argument say so with parameter annotations (a body alone cannot tell a stealing
 * function from one that releases a borrowed argument by mistake). */
#include <rc/rc.h>

struct list {
	rc_object base;
	rc_object *head;
	size_t len;
};

extern const rc_type cell_type;

void show(const rc_object *obj);

/* Returns a new reference or NULL. */
static rc_object *make_cell(rc_heap *heap, long v)
{
	rc_object *c = rc_new(heap, &cell_type);
	if (!c)
		return NULL;
	show(c);
	(void)v;
	return c;
}

/* Takes over `cell` (stores it, or releases it on failure). */
static int list_push_steal(struct list *l, RC_STEALS rc_object *cell)
{
	if (l->len == 1000) {
		rc_decref(cell);
		return -1;
	}
	rc_set_field(&l->head, cell);
	l->len++;
	return 0;
}

/* Releases its argument. */
static void drop(RC_RELEASES RC_ACCEPTS_NULL rc_object *obj)
{
	rc_xdecref(obj);
}

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_helper_result_released(rc_heap *heap)
{
	rc_object *c = make_cell(heap, 1);
	if (!c)
		return -1;
	show(c);
	drop(c);
	return 0;
}

int good_helper_steals(rc_heap *heap, struct list *l)
{
	rc_object *c = make_cell(heap, 2);
	if (!c)
		return -1;
	return list_push_steal(l, c);
}

/* ---- must fire ------------------------------------------------------------------------------ */

void bad_helper_result_ignored(rc_heap *heap)
{
	make_cell(heap, 3); // expect-warning{{rc-leak}}
}

int bad_helper_result_leaked_on_error(rc_heap *heap, struct list *l)
{
	rc_object *c = make_cell(heap, 4);
	if (!c)
		return -1;
	if (l->len > 10)
		return -1; // expect-warning{{rc-leak}}
	return list_push_steal(l, c);
}

int bad_release_after_helper_steals(rc_heap *heap, struct list *l)
{
	int err;
	rc_object *c = make_cell(heap, 5);
	if (!c)
		return -1;
	err = list_push_steal(l, c);
	rc_decref(c); // expect-warning{{rc-double-release}}
	return err;
}
