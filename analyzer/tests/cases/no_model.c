/* rc-inconsistent with no model at all: direct count updates, count-like names, and a static
 * helper whose summary (inferred from its body) moves the count. Run by
 * tests/analyzer/run_case.py (annotations: see there). */
struct obj {
	int refcnt;
	int n;
};

void obj_get(struct obj *o);
void obj_put(struct obj *o);
int table_add(void *t, struct obj *o);

int bad_direct(struct obj *o, int c)
{
	if (c) {
		o->refcnt++;
		return 0;
	}
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_named(struct obj *o, void *t)
{
	if (table_add(t, o) < 0)
		return -1;
	if (o->n > 3)
		return 0;
	obj_get(o);
	return 0; // expect-warning{{rc-inconsistent}}
}

int good_balanced(struct obj *o, int c)
{
	obj_get(o);
	if (c) {
		obj_put(o);
		return 0;
	}
	obj_put(o);
	return 0;
}

static void my_hold(struct obj *o)
{
	o->refcnt++;
}

int bad_helper(struct obj *o, int c)
{
	if (c)
		return 0;
	my_hold(o);
	return 0; // expect-warning{{rc-inconsistent}}
}

/* a counter that is not a reference count */
struct table {
	int count;
};

int good_not_a_refcount(struct table *t, int c)
{
	if (c) {
		t->count++;
		return 0;
	}
	return 0;
}

int good_error_paths_differ(struct obj *o, int c)
{
	if (c)
		return -1;
	o->refcnt++;
	return 0;
}
