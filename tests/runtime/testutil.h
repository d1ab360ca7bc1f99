/* testutil.h - shared fixtures of the runtime unit tests (cmocka). */
#ifndef RC_TESTUTIL_H
#define RC_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/rc.h"
#include "testhooks.h"

/* A collectable node with up to four children. */
enum { NODE_KIDS = 4 };
struct node {
	rc_object base;
	rc_object *kid[NODE_KIDS];
	int id;
};

/* A leaf with a payload. */
struct leaf {
	rc_object base;
	long value;
};

extern const rc_type node_type;
extern const rc_type leaf_type;

/* Counters bumped by the fixture types' destroy functions. */
extern size_t nodes_destroyed, leaves_destroyed;

/* Report hook that records lines instead of aborting. */
struct report_log {
	size_t lines;
	char last[512];
};
void record_report(void *ctx, const char *line);

/* A TRACK_ALL heap with a recording report hook (log may be NULL: default hook). */
rc_heap *new_test_heap(unsigned flags, struct report_log *log);

/* Destroys heap, asserting that nothing leaked and (TRACK_ALL) that the heap checked clean. */
void destroy_clean(rc_heap *heap);

struct node *new_node(rc_heap *heap, int id);
struct leaf *new_leaf(rc_heap *heap, long value);

/* a->kid[slot] = new reference to b */
void link_to(struct node *a, int slot, struct node *b);

/* Asserts that rc_heap_check finds no problem (printing them otherwise). */
void assert_heap_ok(rc_heap *heap);

#endif
