/*
 * rc-example: a small program on the rccheck runtime. It builds a little object graph with a
 * cycle (a doubly linked ring of "people" who each hold a name string), drops its references,
 * shows that reference counting alone cannot free the ring, collects it, and prints the heap
 * statistics at each step.
 */
#include <stdio.h>
#include <string.h>

#include <rc/rc.h>

/* A leaf: a string. */
struct str {
	rc_object base;
	char text[32];
};

static const rc_type str_type = { .name = "str", .size = sizeof(struct str) };

/* A collectable object: a person in a ring, with a name and two neighbours. */
struct person {
	rc_object base;
	rc_object *name;
	rc_object *next;
	rc_object *prev;
};

static void person_traverse(rc_object *self, rc_visit_fn visit, void *arg)
{
	struct person *p = (struct person *)self;
	if (p->name)
		visit(p->name, arg);
	if (p->next)
		visit(p->next, arg);
	if (p->prev)
		visit(p->prev, arg);
}

static void person_clear(rc_object *self)
{
	struct person *p = (struct person *)self;
	rc_clear_field(&p->name);
	rc_clear_field(&p->next);
	rc_clear_field(&p->prev);
}

static void person_finalize(rc_object *self)
{
	struct person *p = (struct person *)self;
	printf("  goodbye, %s\n", p->name ? ((struct str *)p->name)->text : "(nameless)");
}

static const rc_type person_type = {
	.name = "person",
	.size = sizeof(struct person),
	.traverse = person_traverse,
	.clear = person_clear,
	.finalize = person_finalize,
};

static void print_type(const rc_type *type, size_t live, void *arg)
{
	(void)arg;
	printf("    %-8s %zu live\n", type->name, live);
}

static void print_stats(rc_heap *heap, const char *when)
{
	rc_heap_stats st;
	rc_heap_get_stats(heap, &st);
	printf("%s: %zu live objects (%zu collectable), %zu bytes%s, %zu candidate roots, %zu collected so far\n",
	       when, st.live_objects, st.live_collectable, st.live_bytes,
	       st.live_objects == 0 && st.live_bytes ? " (freed objects held back by the debug quarantine)" : "",
	       st.candidate_roots, st.collected);
	rc_heap_foreach_type(heap, print_type, NULL);
}

int main(void)
{
	static const char *names[] = { "ada", "grace", "edsger", "barbara", "donald" };
	enum { N = sizeof names / sizeof names[0] };
	rc_heap *heap = NULL;
	struct person *ring[N] = { NULL };
	int err;
	long freed;

	err = rc_heap_new(&heap, &(rc_heap_options){ .flags = RC_HEAP_GC_DISABLED });
	if (err) {
		fprintf(stderr, "rc-example: %s\n", rc_strerror(err));
		return 1;
	}
	for (int i = 0; i < N; i++) {
		struct str *s = (struct str *)rc_new(heap, &str_type);
		if (!s)
			goto out_of_memory;
		snprintf(s->text, sizeof s->text, "%s", names[i]);
		ring[i] = (struct person *)rc_new(heap, &person_type);
		if (!ring[i]) {
			rc_decref(&s->base);
			goto out_of_memory;
		}
		ring[i]->name = &s->base; /* the person takes over our reference */
	}
	for (int i = 0; i < N; i++) {
		rc_set_field(&ring[i]->next, rc_newref(&ring[(i + 1) % N]->base));
		rc_set_field(&ring[i]->prev, rc_newref(&ring[(i + N - 1) % N]->base));
	}
	print_stats(heap, "built a ring of 5 people");
	for (int i = 0; i < N; i++)
		rc_decref(&ring[i]->base);
	print_stats(heap, "dropped our references (the ring keeps itself alive)");
	printf("collecting:\n");
	freed = rc_collect(heap);
	printf("rc_collect freed %ld objects\n", freed);
	print_stats(heap, "after collection");
	if (rc_heap_destroy(heap) != 0) {
		fprintf(stderr, "rc-example: leaked objects\n");
		return 1;
	}
	return freed == N ? 0 : 1;

out_of_memory:
	fprintf(stderr, "rc-example: out of memory\n");
	for (int i = 0; i < N; i++)
		if (ring[i])
			rc_decref(&ring[i]->base);
	rc_heap_destroy(heap);
	return 1;
}
