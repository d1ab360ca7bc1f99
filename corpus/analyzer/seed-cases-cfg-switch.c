/* Hard control flow: switch fall-through chains, default in the middle, nested switches, switch
 * without default, GNU case ranges, a switch inside a loop with continue/break. */
#include <rc/rc.h>

enum tok { T_EOF, T_NUM, T_STR, T_LPAREN, T_RPAREN, T_NAME, T_OP };

struct parser {
	rc_object base;
	rc_object *stack[32];
	int sp;
	enum tok (*next)(struct parser *p);
};

extern const rc_type atom_type;

int push(struct parser *p, RC_STEALS rc_object *obj);
void note(int what);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_fallthrough_chain(rc_heap *heap, int level)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (level) {
	case 3:
		note(3);
		/* fall through */
	case 2:
		note(2);
		/* fall through */
	case 1:
		note(1);
		/* fall through */
	case 0:
		rc_decref(obj);
		return 0;
	}
	rc_decref(obj); /* level outside 0..3: no case matched */
	return 1;
}

int good_default_in_the_middle(rc_heap *heap, enum tok t)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (t) {
	case T_NUM:
		note(1);
		break;
	default:
		note(0);
		/* fall through */
	case T_STR:
		note(2);
		break;
	}
	rc_decref(obj);
	return 0;
}

int good_nested_switch(rc_heap *heap, enum tok a, enum tok b)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (a) {
	case T_LPAREN:
		switch (b) {
		case T_RPAREN:
			rc_decref(obj);
			return 0;
		default:
			break;
		}
		break;
	case T_EOF:
		rc_decref(obj);
		return 1;
	default:
		break;
	}
	rc_decref(obj);
	return 2;
}

int good_case_ranges(rc_heap *heap, int c)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (c) {
	case '0' ... '9':
		note(c - '0');
		break;
	case 'a' ... 'z':
	case 'A' ... 'Z':
		note(c);
		break;
	}
	rc_decref(obj);
	return 0;
}

int good_tokenizer_loop(rc_heap *heap, struct parser *p)
{
	for (;;) {
		rc_object *atom;
		switch (p->next(p)) {
		case T_EOF:
			return 0;
		case T_NAME:
		case T_NUM:
			atom = rc_new(heap, &atom_type);
			if (!atom)
				return -1;
			if (push(p, atom) < 0)
				return -1;
			continue;
		case T_OP:
			break;
		default:
			continue;
		}
		note(T_OP);
	}
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_fallthrough_skips_release(rc_heap *heap, int level)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (level) {
	case 2:
		note(2);
		/* fall through */
	case 1:
		rc_decref(obj);
		/* fall through */
	case 0:
		return 0; // expect-warning{{rc-leak}}
	default:
		rc_decref(obj);
		return 1;
	}
}

int bad_no_default(rc_heap *heap, enum tok t)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (t) {
	case T_NUM:
		rc_decref(obj);
		return 1;
	case T_STR:
		rc_decref(obj);
		return 2;
	default:
		break;
	}
	return 0; // expect-warning{{rc-leak}}
}

int bad_nested_switch(rc_heap *heap, enum tok a, enum tok b)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (a) {
	case T_LPAREN:
		switch (b) {
		case T_RPAREN:
			return 0; // expect-warning{{rc-leak}}
		default:
			break;
		}
		break;
	default:
		break;
	}
	rc_decref(obj);
	return 2;
}

int bad_tokenizer_loop(rc_heap *heap, struct parser *p)
{
	for (;;) {
		rc_object *atom = NULL;
		switch (p->next(p)) {
		case T_EOF:
			return 0;
		case T_NAME:
			atom = rc_new(heap, &atom_type);
			if (!atom)
				return -1;
			if (p->sp == 32)
				return -2; // expect-warning{{rc-leak}}
			push(p, atom);
			continue;
		default:
			continue;
		}
	}
}

int bad_default_in_the_middle(rc_heap *heap, enum tok t)
{
	rc_object *obj = rc_new(heap, &atom_type);
	if (!obj)
		return -1;
	switch (t) {
	case T_NUM:
		rc_decref(obj);
		break;
	default:
		note(0);
		/* fall through */
	case T_STR:
		note(2);
		break;
	}
	return 0; // expect-warning{{rc-leak}}
}
