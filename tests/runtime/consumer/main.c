/* Consumer of the installed or subproject runtime: a 3-cycle, collected. Exit 0 on success. */
#include <stdio.h>

#include <rc/rc.h>

struct cell {
	rc_object base;
	rc_object *next;
};

static void cell_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct cell *c = (struct cell *)self;
	if (c->next)
		visit(c->next, arg);
}

static void cell_clear(rc_object *self)
{
	rc_clear_field(&((struct cell *)self)->next);
}

static const rc_type cell_type = {
	.name = "cell", .size = sizeof(struct cell), .traverse = cell_traverse, .clear = cell_clear
};

int main(void)
{
	rc_heap *h = NULL;
	struct cell *c[3];
	long freed;

	if (rc_heap_new(&h, NULL) != 0)
		return 1;
	for (int i = 0; i < 3; i++)
		if (!(c[i] = (struct cell *)rc_new(h, &cell_type)))
			return 1;
	for (int i = 0; i < 3; i++)
		c[i]->next = rc_newref(&c[(i + 1) % 3]->base);
	for (int i = 0; i < 3; i++)
		rc_decref(&c[i]->base);
	freed = rc_collect(h);
	printf("consumer: collected %ld of 3 (%s)\n", freed, rc_strerror(RC_ENOMEM));
	return (freed == 3 && rc_heap_destroy(h) == 0) ? 0 : 1;
}
