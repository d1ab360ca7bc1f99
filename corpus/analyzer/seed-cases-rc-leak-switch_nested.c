/* rc-leak: switch statements (fall-through, default, early return in a case) and nested
 * conditions. */
#include <rc/rc.h>

enum op { OP_PUSH, OP_DUP, OP_DROP, OP_SWAP, OP_PEEK };

struct vm {
	rc_object base;
	rc_object *top;
	rc_object *second;
	int depth;
	int strict;
};

extern const rc_type int_type;

int vm_trace(struct vm *vm, enum op op);
int check_value(const rc_object *v);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_dispatch(rc_heap *heap, struct vm *vm, enum op op)
{
	rc_object *v;

	switch (op) {
	case OP_PUSH:
		v = rc_new(heap, &int_type);
		if (!v)
			return -1;
		rc_set_field(&vm->second, rc_xnewref(vm->top));
		rc_set_field(&vm->top, v);
		vm->depth++;
		break;
	case OP_DUP:
		rc_set_field(&vm->second, rc_xnewref(vm->top));
		break;
	case OP_DROP:
		rc_clear_field(&vm->top);
		vm->depth--;
		break;
	default:
		return -2;
	}
	return 0;
}

int good_fallthrough_releases_once(rc_heap *heap, int kind)
{
	rc_object *v = rc_new(heap, &int_type);
	if (!v)
		return -1;
	switch (kind) {
	case 0:
		check_value(v);
		/* fall through */
	case 1:
		check_value(v);
		/* fall through */
	default:
		rc_decref(v);
		break;
	}
	return 0;
}

int good_nested_conditions(rc_heap *heap, struct vm *vm, int a, int b)
{
	rc_object *v = rc_new(heap, &int_type);
	if (!v)
		return -1;
	if (a) {
		if (b) {
			rc_set_field(&vm->top, v);
			return 1;
		} else if (vm->strict) {
			rc_decref(v);
			return -1;
		}
	} else if (b) {
		rc_set_field(&vm->second, v);
		return 2;
	}
	rc_decref(v);
	return 0;
}

int good_switch_in_loop(rc_heap *heap, const enum op *ops, int n)
{
	for (int i = 0; i < n; i++) {
		rc_object *v = rc_new(heap, &int_type);
		if (!v)
			return -1;
		switch (ops[i]) {
		case OP_PEEK:
			check_value(v);
			break;
		case OP_SWAP:
			rc_decref(v);
			continue;
		default:
			break;
		}
		rc_decref(v);
	}
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_dispatch_forgets_case(rc_heap *heap, struct vm *vm, enum op op)
{
	rc_object *v = rc_new(heap, &int_type);
	if (!v)
		return -1;

	switch (op) {
	case OP_PUSH:
		rc_set_field(&vm->top, v);
		break;
	case OP_PEEK:
		check_value(v);
		rc_decref(v);
		break;
	case OP_DROP:
		vm->depth--;
		break; /* v is lost after the switch */
	default:
		rc_decref(v);
		return -2;
	}
	return vm_trace(vm, op); // expect-warning{{rc-leak}}
}

int bad_early_return_in_case(rc_heap *heap, struct vm *vm, int kind)
{
	rc_object *v = rc_new(heap, &int_type);
	if (!v)
		return -1;
	switch (kind) {
	case 1:
		if (vm->strict)
			return -1; // expect-warning{{rc-leak}}
		/* fall through */
	case 2:
		rc_set_field(&vm->second, v);
		return 0;
	default:
		rc_decref(v);
		return 1;
	}
}

int bad_nested_else_forgotten(rc_heap *heap, struct vm *vm, int a, int b)
{
	rc_object *v = rc_new(heap, &int_type);
	if (!v)
		return -1;
	if (a) {
		if (b) {
			rc_set_field(&vm->top, v);
			return 1;
		} else if (vm->strict) {
			return -1; // expect-warning{{rc-leak}}
		}
	} else if (b) {
		rc_set_field(&vm->second, v);
		return 2;
	}
	rc_decref(v);
	return 0;
}

int bad_deep_condition(rc_heap *heap, int a, int b, int c)
{
	rc_object *v = rc_new(heap, &int_type);
	if (!v)
		return -1;
	if (a) {
		if (b) {
			if (c)
				rc_decref(v);
			else
				check_value(v);
		} else {
			rc_decref(v);
		}
	} else {
		rc_decref(v);
	}
	return 0; // expect-warning{{rc-leak}}
}
