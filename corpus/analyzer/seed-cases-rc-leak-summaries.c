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

/* ---- a recursive-descent parser: mutually recursive helpers returning new references ---- */

struct lexer;
int lex_peek(struct lexer *lx);
void lex_skip(struct lexer *lx);
extern const rc_type binop_type;
extern const rc_type atom_type;

static rc_object *parse_expr(rc_heap *heap, struct lexer *lx);

struct binop {
	rc_object base;
	rc_object *lhs, *rhs;
};

/* Takes over both operands, also on failure (so callers need no cleanup). */
static rc_object *make_binop(rc_heap *heap, RC_STEALS rc_object *lhs, RC_STEALS rc_object *rhs)
{
	struct binop *op = (struct binop *)rc_new(heap, &binop_type);
	if (!op) {
		rc_decref(lhs);
		rc_decref(rhs);
		return NULL;
	}
	rc_set_field(&op->lhs, lhs);
	rc_set_field(&op->rhs, rhs);
	return RC_OBJ(op);
}

static rc_object *parse_atom(rc_heap *heap, struct lexer *lx)
{
	if (lex_peek(lx) == '(') {
		rc_object *inner;
		lex_skip(lx);
		inner = parse_expr(heap, lx);
		if (!inner)
			return NULL;
		if (lex_peek(lx) != ')') {
			rc_decref(inner);
			return NULL;
		}
		lex_skip(lx);
		return inner;
	}
	lex_skip(lx);
	return rc_new(heap, &atom_type);
}

static rc_object *parse_expr(rc_heap *heap, struct lexer *lx)
{
	rc_object *lhs = parse_atom(heap, lx);
	if (!lhs)
		return NULL;
	while (lex_peek(lx) == '+') {
		rc_object *rhs;
		lex_skip(lx);
		rhs = parse_atom(heap, lx);
		if (!rhs) {
			rc_decref(lhs);
			return NULL;
		}
		lhs = make_binop(heap, lhs, rhs);
		if (!lhs)
			return NULL;
	}
	return lhs;
}

int good_parse_and_release(rc_heap *heap, struct lexer *lx)
{
	rc_object *tree = parse_expr(heap, lx);
	if (!tree)
		return -1;
	show(tree);
	rc_decref(tree);
	return 0;
}

void bad_parse_result_dropped(rc_heap *heap, struct lexer *lx)
{
	parse_expr(heap, lx); // expect-warning{{rc-leak}}
}

int bad_parse_error_path(rc_heap *heap, struct lexer *lx)
{
	rc_object *tree = parse_atom(heap, lx);
	if (!tree)
		return -1;
	if (lex_peek(lx) != 0)
		return -1; // expect-warning{{rc-leak}}
	rc_decref(tree);
	return 0;
}
