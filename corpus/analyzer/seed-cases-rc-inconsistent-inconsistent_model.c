/* rc-inconsistent against an API the analyzer knows only from a model file (gadget.model): no
 * header, no annotations. Same shapes as inconsistent.c. */
// rccheck-args: --model gadget.model

#include <stddef.h>

struct gadget {
	int refs;
	int kind;
};

struct gadget *gadget_create(int kind);
void gadget_hold(struct gadget *g);
void gadget_drop(struct gadget *g);
struct gadget *gadget_dup(struct gadget *g);

struct panel {
	struct gadget *focus;
	struct gadget *children[8];
	int nchildren;
	int locked;
};

int panel_redraw(struct panel *p);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_add_child(struct panel *p, struct gadget *g)
{
	if (p->nchildren == 8)
		return -1;
	gadget_hold(g);
	p->children[p->nchildren++] = g;
	return 0;
}

int good_focus_either_way(struct panel *p, struct gadget *g)
{
	if (p->locked) {
		p->children[0] = gadget_dup(g);
		return 0;
	}
	gadget_hold(g);
	p->focus = g;
	return 0;
}

int good_hold_around_redraw(struct panel *p, struct gadget *g)
{
	if (g->kind == 0)
		return 0;
	gadget_hold(g);
	panel_redraw(p);
	gadget_drop(g);
	return 0;
}

int good_different_results(struct panel *p, struct gadget *g)
{
	if (p->locked)
		return 1;
	gadget_hold(g);
	p->focus = g;
	return 0;
}

int good_created_here(struct panel *p, int kind)
{
	if (kind > 0) {
		struct gadget *g = gadget_create(kind);
		if (!g)
			return -1;
		p->children[p->nchildren++] = g;
		return 0;
	}
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_add_child_fast_path(struct panel *p, struct gadget *g)
{
	if (p->nchildren == 0) {
		p->children[0] = g;
		p->nchildren = 1;
		return 0;
	}
	if (p->nchildren == 8)
		return -1;
	gadget_hold(g);
	p->children[p->nchildren++] = g;
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_focus_locked_forgets(struct panel *p, struct gadget *g)
{
	if (p->locked) {
		p->children[0] = g;
		return 0;
	}
	p->focus = gadget_dup(g);
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_switch(struct panel *p, struct gadget *g)
{
	switch (g->kind) {
	case 1:
		gadget_hold(g);
		p->focus = g;
		return 1;
	case 2:
		gadget_hold(g);
		p->children[0] = g;
		return 1;
	case 3:
		p->children[1] = g;
		return 1; // expect-warning{{rc-inconsistent}}
	default:
		return 0;
	}
}

int bad_loop_slot(struct panel *p, struct gadget *g)
{
	for (int i = 0; i < p->nchildren; i++) {
		if (p->children[i] == NULL) {
			gadget_hold(g);
			p->children[i] = g;
			return 0;
		}
	}
	p->focus = g;
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_pick_larger(struct gadget *a, struct gadget *b, struct gadget **out)
{
	if (a->kind > b->kind) {
		*out = gadget_dup(a);
		return 1;
	}
	*out = b; /* forgot gadget_hold */
	return 1; // expect-warning{{rc-inconsistent}}
}
