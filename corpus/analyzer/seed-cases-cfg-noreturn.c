/* Hard control flow: calls that never return (abort, exit, _Noreturn and
 * __attribute__((noreturn)) functions, __builtin_unreachable) end a path: nothing leaks there and
 * nothing after them is reachable from that path. */
#include <stdlib.h>
#include <rc/rc.h>

struct job {
	rc_object base;
	rc_object *input;
	int status;
};

extern const rc_type job_type;

_Noreturn void die(const char *why);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int run(rc_object *job);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_die_on_failure(rc_heap *heap)
{
	rc_object *j = rc_new(heap, &job_type);
	if (!j)
		die("out of memory");
	if (run(j) < 0)
		panic("job %p failed", (void *)j); /* exits: the reference does not leak */
	rc_decref(j);
	return 0;
}

int good_exit_in_switch(rc_heap *heap, int mode)
{
	rc_object *j = rc_new(heap, &job_type);
	if (!j)
		abort();
	switch (mode) {
	case 0:
		exit(2);
	case 1:
		run(j);
		break;
	default:
		__builtin_unreachable();
	}
	rc_decref(j);
	return 0;
}

static _Noreturn void fail_with(rc_object *j)
{
	run(j);
	abort();
}

int good_local_noreturn_helper(rc_heap *heap)
{
	rc_object *j = rc_new(heap, &job_type);
	if (!j)
		return -1;
	if (((struct job *)j)->status)
		fail_with(j);
	rc_decref(j);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

/* A plain function that returns: the path goes on and leaks. */
void report(const char *why);

int bad_report_is_not_noreturn(rc_heap *heap)
{
	rc_object *j = rc_new(heap, &job_type);
	if (!j)
		return -1;
	if (run(j) < 0) {
		report("job failed");
		return -1; // expect-warning{{rc-leak}}
	}
	rc_decref(j);
	return 0;
}

int bad_leak_before_noreturn_branch(rc_heap *heap, int mode)
{
	rc_object *j = rc_new(heap, &job_type);
	if (!j)
		die("out of memory");
	switch (mode) {
	case 0:
		exit(2);
	case 1:
		return run(j); // expect-warning{{rc-leak}}
	default:
		break;
	}
	rc_decref(j);
	return 0;
}

int bad_use_after_release_before_abort(rc_heap *heap)
{
	rc_object *j = rc_new(heap, &job_type);
	if (!j)
		abort();
	rc_decref(j);
	if (((struct job *)j)->status) // expect-warning{{rc-use-after-release}}
		abort();
	return 0;
}
