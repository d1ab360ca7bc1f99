/* An API known from a refcounts.dat-shaped file (spam-refcounts.dat): no header, no
 * annotations. */
// rccheck-args: --model spam-refcounts.dat

#include <stddef.h>

typedef struct SpamObject SpamObject;
struct SpamObject {
	long ob_refcnt;
	long value;
};

SpamObject *Spam_New(long value);
SpamObject *Spam_GetAttr(SpamObject *self, const char *name);
SpamObject *Spam_Copy(SpamObject *self);
void Spam_Decref(SpamObject *o);
int Spam_SetAttrSteal(SpamObject *self, const char *name, SpamObject *value);
long Spam_Size(SpamObject *self);
int Spam_Lookup(SpamObject *self, const char *name, SpamObject **result);

/* ---- must stay silent ---------------------------------------------------------------------- */

long good_new_then_decref(long v)
{
	long n;
	SpamObject *s = Spam_New(v);
	if (!s)
		return -1;
	n = Spam_Size(s);
	Spam_Decref(s);
	return n;
}

long good_borrowed_attr(SpamObject *self)
{
	SpamObject *a = Spam_GetAttr(self, "x");
	return a ? a->value : 0;
}

int good_set_attr_consumes(SpamObject *self, long v)
{
	SpamObject *s = Spam_New(v);
	if (!s)
		return -1;
	return Spam_SetAttrSteal(self, "x", s);
}

SpamObject *good_copy_returned(SpamObject *self)
{
	return Spam_Copy(self);
}

long good_lookup_released(SpamObject *self)
{
	SpamObject *r = NULL;
	long v;
	Spam_Lookup(self, "x", &r); /* refcounts.dat says nothing about failures: test r */
	if (!r)
		return -1;
	v = r->value;
	Spam_Decref(r);
	return v;
}

/* ---- must fire ------------------------------------------------------------------------------ */

long bad_lookup_leaked(SpamObject *self)
{
	SpamObject *r = NULL;
	Spam_Lookup(self, "x", &r);
	if (!r)
		return -1;
	return r->value; // expect-warning{{rc-leak}}
}


long bad_new_leaked(long v)
{
	SpamObject *s = Spam_New(v);
	if (!s)
		return -1;
	return Spam_Size(s); // expect-warning{{rc-leak}}
}

void bad_decref_borrowed_attr(SpamObject *self)
{
	SpamObject *a = Spam_GetAttr(self, "x");
	if (a)
		Spam_Decref(a); // expect-warning{{rc-release-borrowed}}
}

int bad_decref_after_consumed(SpamObject *self, long v)
{
	int err;
	SpamObject *s = Spam_New(v);
	if (!s)
		return -1;
	err = Spam_SetAttrSteal(self, "x", s);
	Spam_Decref(s); // expect-warning{{rc-double-release}}
	return err;
}

void bad_copy_dropped(SpamObject *self)
{
	Spam_Copy(self); // expect-warning{{rc-leak}}
}
