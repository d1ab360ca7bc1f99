/* Model attributes beyond widget.model: several stolen arguments (steals=1,2), acquires=N and
 * releases=N on a later argument (kv_pin / kv_unpin: an incref / decref done for the caller),
 * xacquires, a borrowed result that can be NULL. */
// rccheck-args: --model attributes.model

#include <stddef.h>

typedef struct kv kv;
struct kv {
	long refs;
	long key;
};

kv *kv_new(long key);
void kv_release(kv *x);
kv *kv_find(kv *table, long key);
kv *kv_pair(kv *first, kv *second);
void kv_pin(kv *table, kv *item);
void kv_unpin(kv *table, kv *item);
void kv_maybe_retain(kv *x);
int kv_take_out(kv *table, long key, kv **out);
int kv_peek_out(kv *table, long key, kv **out);
kv *kv_self(kv *x);
kv *kv_maybe(kv *table);
void kv_log(const kv *x);
void kv_show(const kv *x);
extern kv *kv_empty; /* model: global kv_empty borrowed immortal */

/* ---- must stay silent ---------------------------------------------------------------------- */

kv *good_pair_steals_both(long a, long b)
{
	kv *x = kv_new(a);
	kv *y;
	if (!x)
		return NULL;
	y = kv_new(b);
	if (!y) {
		kv_release(x);
		return NULL;
	}
	return kv_pair(x, y); /* takes both references */
}

int good_pin_unpin(kv *table, long key)
{
	kv *item = kv_new(key);
	if (!item)
		return -1;
	kv_pin(table, item);
	if (item->key > 0)
		kv_find(table, item->key);
	kv_unpin(table, item);
	kv_release(item);
	return 0;
}

/* The pin is a reference like any other: two references, two releases. */
int good_pin_then_release_twice(kv *table, long key)
{
	kv *item = kv_new(key);
	if (!item)
		return -1;
	kv_pin(table, item);
	kv_release(item);
	kv_release(item);
	return 0;
}

/* Pinning a borrowed argument for the duration of a call. */
int good_pin_borrowed(kv *table, kv *arg)
{
	kv_pin(table, arg);
	kv_find(table, arg->key);
	kv_unpin(table, arg);
	return 0;
}

long good_find_checked(kv *table, long key)
{
	kv *hit = kv_find(table, key);
	if (!hit)
		return -1;
	return hit->key;
}

kv *good_maybe_retain(kv *table, long key)
{
	kv *hit = kv_find(table, key);
	kv_maybe_retain(hit); /* accepts NULL */
	return hit;
}

int good_out_new_released(kv *table, long key)
{
	kv *got = NULL;
	if (kv_take_out(table, key, &got) < 0)
		return -1;
	if (got)
		kv_release(got);
	return 0;
}

long good_out_borrowed_kept(kv *table, long key)
{
	kv *got = NULL;
	if (kv_peek_out(table, key, &got) < 0 || !got)
		return -1;
	return got->key;
}

void good_returns_arg(kv *x)
{
	kv *again = kv_self(x); /* one more reference to x */
	kv_show(again);
	kv_release(again);
}

void good_may_return_null(kv *table)
{
	kv *m = kv_maybe(table);
	kv_log(m); /* NULL is a normal result, and kv_log accepts it */
	if (m)
		kv_release(m);
}

void good_accepts_null(long key)
{
	kv *x = kv_new(key);
	kv_log(x); /* accepts-null: no check needed */
	if (x)
		kv_release(x);
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_out_new_leaked(kv *table, long key)
{
	kv *got = NULL;
	if (kv_take_out(table, key, &got) < 0)
		return -1;
	if (got)
		kv_show(got);
	return 0; // expect-warning{{rc-leak}}
}

void bad_out_borrowed_released(kv *table, long key)
{
	kv *got = NULL;
	if (kv_peek_out(table, key, &got) < 0 || !got)
		return;
	kv_release(got); // expect-warning{{rc-release-borrowed}}
}

void bad_returns_arg_dropped(kv *x)
{
	kv *again = kv_self(x);
	kv_show(again);
} // expect-warning{{rc-leak}}

void bad_null_to_modeled_function(long key)
{
	kv *x = kv_new(key);
	kv_show(x); // expect-warning{{rc-unchecked-null}}
	kv_release(x);
}


kv *bad_pair_then_release_second(long a, long b)
{
	kv *x = kv_new(a);
	kv *y = kv_new(b);
	kv *p;
	if (!x || !y) {
		if (x)
			kv_release(x);
		if (y)
			kv_release(y);
		return NULL;
	}
	p = kv_pair(x, y);
	kv_release(y); // expect-warning{{rc-double-release}}
	return p;
}

int bad_pin_forgotten(kv *table, long key)
{
	kv *item = kv_new(key);
	if (!item)
		return -1;
	kv_pin(table, item);
	if (item->key < 0)
		return -1; // expect-warning{{rc-leak}}
	kv_unpin(table, item);
	kv_release(item);
	return 0;
}

void bad_unpin_never_pinned(kv *table, kv *arg)
{
	kv_unpin(table, arg); // expect-warning{{rc-release-borrowed}}
}

long bad_find_unchecked(kv *table, long key)
{
	kv *hit = kv_find(table, key);
	return hit->key; // expect-warning{{rc-unchecked-null}}
}

void bad_release_found(kv *table, long key)
{
	kv *hit = kv_find(table, key);
	if (hit)
		kv_release(hit); // expect-warning{{rc-release-borrowed}}
}

void bad_found_used_after_table_released(long key)
{
	kv *table = kv_new(0);
	kv *hit;
	if (!table)
		return;
	hit = kv_find(table, key);
	kv_release(table);
	if (hit)
		hit->key = 0; // expect-warning{{rc-use-after-release}}
}

void bad_release_borrowed_global(void)
{
	kv_release(kv_empty); // expect-warning{{rc-release-borrowed}}
}

