/* Hard control flow in loops: do/while with continue, nested loops with break and continue at
 * both levels, while (1) left by break or return, a for loop without condition, loops whose body
 * never runs. */
#include <rc/rc.h>

struct grid {
	rc_object base;
	rc_object **cells;
	int w, h;
};

extern const rc_type cell_type;

int fill(rc_object *cell, int x, int y);
int more_input(void);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_do_while_continue(rc_heap *heap)
{
	int n = 0;
	do {
		rc_object *c = rc_new(heap, &cell_type);
		if (!c)
			return -1;
		if (fill(c, n, 0) < 0) {
			rc_decref(c);
			continue;
		}
		rc_decref(c);
		n++;
	} while (more_input());
	return n;
}

int good_nested_break_continue(rc_heap *heap, struct grid *g)
{
	for (int y = 0; y < g->h; y++) {
		for (int x = 0; x < g->w; x++) {
			rc_object *c = rc_new(heap, &cell_type);
			if (!c)
				return -1;
			if (fill(c, x, y) > 0) {
				rc_decref(c);
				break; /* rest of the row is blank */
			}
			if (fill(c, x, y) < 0) {
				rc_decref(c);
				continue;
			}
			rc_set_field(&g->cells[y * g->w + x], c);
		}
	}
	return 0;
}

int good_while_true(rc_heap *heap)
{
	rc_object *c = NULL;
	while (1) {
		c = rc_new(heap, &cell_type);
		if (!c)
			return -1;
		if (!more_input())
			break;
		rc_decref(c);
	}
	rc_decref(c);
	return 0;
}

int good_for_without_condition(rc_heap *heap)
{
	for (int i = 0;; i++) {
		rc_object *c = rc_new(heap, &cell_type);
		if (!c)
			return -1;
		if (fill(c, i, i) != 0) {
			rc_decref(c);
			return i;
		}
		rc_decref(c);
	}
}

int good_acquire_before_loop_release_after(rc_heap *heap, struct grid *g)
{
	rc_object *proto = rc_new(heap, &cell_type);
	if (!proto)
		return -1;
	for (int i = 0; i < g->w * g->h; i++)
		rc_set_field(&g->cells[i], rc_newref(proto));
	rc_decref(proto);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_do_while_continue(rc_heap *heap)
{
	int n = 0;
	do {
		/* after `continue`, c is lost here on the next iteration, or at the return: one
		 * defect (one acquisition, one variable), reported once, on the path that needs the
		 * least (then the shortest) */
		rc_object *c = rc_new(heap, &cell_type); // expect-warning{{rc-leak}}
		if (!c)
			return -1;
		if (fill(c, n, 0) < 0)
			continue;
		rc_decref(c);
		n++;
	} while (more_input());
	return n;
}

int bad_nested_break(rc_heap *heap, struct grid *g)
{
	for (int y = 0; y < g->h; y++) {
		for (int x = 0; x < g->w; x++) {
			/* after `break`, c is lost here in the next row, or at the return: one
			 * defect, reported on its shortest path */
			rc_object *c = rc_new(heap, &cell_type);
			if (!c)
				return -1;
			if (fill(c, x, y) > 0)
				break;
			rc_set_field(&g->cells[y * g->w + x], c);
		}
	}
	return 0; // expect-warning{{rc-leak}}
}

int bad_while_true_break(rc_heap *heap)
{
	rc_object *c = NULL;
	while (1) {
		c = rc_new(heap, &cell_type);
		if (!c)
			return -1;
		if (!more_input())
			break;
		rc_decref(c);
	}
	return 0; // expect-warning{{rc-leak}}
}

int bad_acquire_before_loop_early_return(rc_heap *heap, struct grid *g)
{
	rc_object *proto = rc_new(heap, &cell_type);
	if (!proto)
		return -1;
	for (int i = 0; i < g->w * g->h; i++) {
		if (fill(g->cells[i], i, 0) < 0)
			return -1; // expect-warning{{rc-leak}}
		rc_set_field(&g->cells[i], rc_newref(proto));
	}
	rc_decref(proto);
	return 0;
}
