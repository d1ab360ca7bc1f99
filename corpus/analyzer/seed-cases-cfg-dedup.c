/* One finding per (check, line, variable): many paths reaching the same loss point report it
 * once; two variables lost at the same statement are two findings. */
#include <rc/rc.h>

extern const rc_type item_type;

int step(int i);
int consume(rc_object *obj);

/* 2^6 paths reach the same leaking return: one finding. */
int bad_many_paths_one_return(rc_heap *heap)
{
	int acc = 0;
	rc_object *obj = rc_new(heap, &item_type);
	if (!obj)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (step(i))
			acc += i;
		else
			consume(obj);
	}
	return acc; // expect-warning{{rc-leak}}
}

/* Two references lost at the same return: two findings on one line. */
int bad_two_lost_at_once(rc_heap *heap)
{
	rc_object *a = rc_new(heap, &item_type);
	rc_object *b = rc_new(heap, &item_type);
	if (!a || !b) {
		rc_xdecref(a);
		rc_xdecref(b);
		return -1;
	}
	consume(a);
	consume(b);
	return 0; // expect-warning{{rc-leak}} expect-warning{{rc-leak}}
}

/* The same double release reached through several gotos: one finding. */
int bad_double_release_from_three_gotos(rc_heap *heap, int a, int b)
{
	rc_object *obj = rc_new(heap, &item_type);
	if (!obj)
		return -1;
	rc_decref(obj);
	if (a)
		goto out;
	if (b)
		goto out;
	step(0);
out:
	rc_decref(obj); // expect-warning{{rc-double-release}}
	return 0;
}

/* Clean, with the same shape. */
int good_many_paths_one_release(rc_heap *heap)
{
	int acc = 0;
	rc_object *obj = rc_new(heap, &item_type);
	if (!obj)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (step(i))
			acc += i;
		else
			consume(obj);
	}
	rc_decref(obj);
	return acc;
}
