/*
 * harness.c - the dynamic half of the differential oracle (docs/oracle.md): runs every function
 * of a generated unit on every path and prints, per function, which defects any run showed.
 *
 * Linked with one generated unit (compiled with -DRC_ORACLE_TABLE, which appends the table
 * oracle_fns[]) and with the runtime's sources built in debug mode with its test hooks. For each
 * function, each combination of the branch-choosing parameters (c0, c1 in {0,1}: generated code
 * uses them as truth values; c2 in {0,1,2,3}: it compares c2 with 0, 1 and 2 only, so 3 stands
 * for every other value) and of the argument's two shapes (field b NULL, or holding a leaf of
 * its own), and each allocation-failure schedule (none; only the k-th allocation fails; the k-th and every
 * later one fail; for k = 1 .. the allocations the run without failure made, at most
 * ORACLE_MAX_FAIL) is one run on a fresh heap:
 *     heap (TRACK_ALL, quarantine, collector off, counting allocator hooks, report hook)
 *     -> arg = a box whose field a holds a leaf, field b NULL or another leaf (allocations
 *        before the call never fail)
 *     -> the call -> release of the result (object functions) -> release of arg
 *     -> objects still live = leak.
 * Kinds (a run may show several):
 *   leak   objects left after the caller released everything it owns
 *   over   a release at count zero (the runtime's misuse report): double release, release of a
 *          borrowed reference, borrowed reference returned (the caller's release goes too far)
 *   uar    a use of a released object: oracle_use() of a freed (quarantined) object, an
 *          increment of a dead object (misuse report), or AddressSanitizer's
 *          heap-use-after-free
 *   null   a use of NULL: oracle_use(NULL), or a fault at an address below 64 KiB, on a run
 *          where an allocation failed
 *   nullx  the same on a run where no allocation failed (a NULL that is no failure's result,
 *          which rc-unchecked-null does not claim to find)
 *   crash  any other abnormal end of a run (another signal, another AddressSanitizer error such
 *          as a heap-buffer-overflow, a timeout)
 * Each function runs in a child process; when a run kills the child, the run is recorded and a
 * new child goes on with the next run. Output, one line per function:
 *     NAME runs=N results=R kinds=leak,over witness=leak@c=1,0,2/b=null/fail=3;over@...
 * where R says what the runs that returned returned: both, nonnull or null (object functions),
 * ok or fail (int functions: >= 0, < 0), none.
 * (kinds=- when no run showed anything). Usage: harness [NAME...] (default: every function);
 * linked with a batch: harness --units K... (the functions of those units of the batch).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, sigaction, siginfo_t under -std=c11 */

#include "oracle_api.h"
#include "testhooks.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* One unit's table (RC_ORACLE_TABLE), or a batch's table of tables (oracle.py evaluate_batch):
 * whichever is linked in; weak, so that the harness links with either. */
extern const struct oracle_fn oracle_fns[] __attribute__((weak));
extern const size_t oracle_nfns __attribute__((weak));
extern const struct oracle_unit oracle_units[] __attribute__((weak));
extern const size_t oracle_nunits __attribute__((weak));

enum { ORACLE_MAX_FAIL = 12, NCOMBOS = 32, NSCHED = 1 + 2 * ORACLE_MAX_FAIL, NRUNS = NCOMBOS * NSCHED };

#define KIND_MAP(X) X(LEAK, "leak") X(OVER, "over") X(UAR, "uar") X(NULL, "null") X(NULLX, "nullx") X(CRASH, "crash")
enum {
#define KIND_ENUM(name, text) KIND_INDEX_##name,
	KIND_MAP(KIND_ENUM)
#undef KIND_ENUM
	NKINDS
};
static const char *const kind_names[NKINDS] = {
#define KIND_TEXT(name, text) text,
	KIND_MAP(KIND_TEXT)
#undef KIND_TEXT
};

/* State shared between the parent and the child that runs a function's paths (MAP_SHARED, so
 * that it survives the child's death). */
struct shared {
	long current;            /* the run in progress (set by the child before each run) */
	long done;               /* runs completed or recorded */
	int allocs[NCOMBOS];     /* allocations of the run without failure of each combination */
	unsigned kinds;          /* bit per kind, over all runs */
	long witness[NKINDS];    /* first run showing each kind, -1 none */
	int fault_null;          /* the child's fault handler saw an address below 64 KiB */
	int run_failed;          /* an allocation of the run in progress failed */
	int asan_uaf;            /* AddressSanitizer's report was a heap-use-after-free */
	unsigned results;        /* bit 0: some run returned non-NULL / >= 0; bit 1: NULL / < 0 */
};

static struct shared *shm;

/* ---- one run --------------------------------------------------------------------------------- */

static rc_heap *cur_heap;
static unsigned cur_kinds;
static bool counting;
static long alloc_count, fail_at;
static bool fail_persist;
static int cur_combo = -1;

static const uint16_t box_refs[] = { offsetof(struct box, a), offsetof(struct box, b) };
const rc_type oracle_leaf_type = { .name = "leaf", .size = sizeof(rc_object) };
const rc_type oracle_box_type = { .name = "box", .size = sizeof(struct box), .ref_offsets = box_refs, .nrefs = 2 };

static bool tearing_down;

static void record(int kind)
{
	if (!tearing_down)
		cur_kinds |= 1u << kind;
}

void oracle_use(rc_object *obj)
{
	if (!obj) {
		record(shm->run_failed ? KIND_INDEX_NULL : KIND_INDEX_NULLX);
		return;
	}
	if (rc__test_in_quarantine(cur_heap, obj) || rc_refcount(obj) == 0)
		record(KIND_INDEX_UAR);
}

/*
 * The weak-reference calls of a unit, through the linker (-Wl,--wrap=rc_weakref_new,
 * --wrap=rc_weakref_get): the runtime returns NULL for a NULL argument (weakref.c) where rc.h
 * allows none (no RC_ACCEPTS_NULL), so the harness records the misuse as a use of NULL, and a
 * released target as a use after release, before the call.
 */
rc_weakref *__real_rc_weakref_new(rc_object *target, rc_weakref_callback cb, void *arg);
rc_object *__real_rc_weakref_get(rc_weakref *ref);
rc_weakref *__wrap_rc_weakref_new(rc_object *target, rc_weakref_callback cb, void *arg);
rc_object *__wrap_rc_weakref_get(rc_weakref *ref);

rc_weakref *__wrap_rc_weakref_new(rc_object *target, rc_weakref_callback cb, void *arg)
{
	oracle_use(target);
	return __real_rc_weakref_new(target, cb, arg);
}

rc_object *__wrap_rc_weakref_get(rc_weakref *ref)
{
	oracle_use(ref ? RC_WEAKREF_OBJ(ref) : NULL);
	return __real_rc_weakref_get(ref);
}

static void *hook_alloc(void *ctx, size_t size)
{
	(void)ctx;
	if (counting) {
		alloc_count++;
		if (cur_combo >= 0)
			shm->allocs[cur_combo] = (int)alloc_count; /* kept if the run dies */
		if (fail_at > 0 && (alloc_count == fail_at || (fail_persist && alloc_count > fail_at))) {
			shm->run_failed = 1;
			return NULL;
		}
	}
	return malloc(size);
}

static void hook_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

static const rc_allocator hooks = { .alloc = hook_alloc, .free = hook_free, .ctx = NULL };

static void hook_report(void *ctx, const char *line)
{
	(void)ctx;
	if (strstr(line, "release at count zero"))
		record(KIND_INDEX_OVER);
	else if (strstr(line, "dead object"))
		record(KIND_INDEX_UAR);
}

/* Runs fn once: combination combo, failure schedule sched (0 none, 1..MAX only the k-th,
 * MAX+1..2*MAX the k-th and later). Returns the kinds seen. */
static unsigned run_once(const struct oracle_fn *fn, int combo, int sched)
{
	rc_heap_options opts = { .flags = RC_HEAP_TRACK_ALL | RC_HEAP_QUARANTINE | RC_HEAP_GC_DISABLED,
				 .allocator = &hooks,
				 .report = hook_report };
	int c0 = combo & 1, c1 = (combo >> 1) & 1, c2 = (combo >> 2) & 3, shape = combo >> 4;
	rc_heap_stats st;
	rc_object *arg, *leaf, *res = NULL;

	cur_kinds = 0;
	counting = false;
	shm->run_failed = 0;
	if (rc_heap_new(&cur_heap, &opts) != 0) {
		fprintf(stderr, "harness: cannot create a heap\n");
		exit(2);
	}
	arg = rc_new(cur_heap, &oracle_box_type);
	leaf = rc_new(cur_heap, &oracle_leaf_type);
	if (!arg || !leaf) {
		fprintf(stderr, "harness: out of memory before the call\n");
		exit(2);
	}
	((struct box *)arg)->a = leaf; /* the box takes the leaf's reference */
	if (shape) {
		((struct box *)arg)->b = rc_new(cur_heap, &oracle_leaf_type);
		if (!((struct box *)arg)->b) {
			fprintf(stderr, "harness: out of memory before the call\n");
			exit(2);
		}
	}

	alloc_count = 0;
	fail_at = sched == 0 ? 0 : sched <= ORACLE_MAX_FAIL ? sched : sched - ORACLE_MAX_FAIL;
	fail_persist = sched > ORACLE_MAX_FAIL;
	cur_combo = sched == 0 ? combo : -1;
	counting = true;
	if (fn->obj) {
		res = fn->obj(cur_heap, arg, c0, c1, c2);
		shm->results |= res ? 1u : 2u;
	} else {
		shm->results |= fn->num(cur_heap, arg, c0, c1, c2) >= 0 ? 1u : 2u;
	}
	counting = false;
	cur_combo = -1;
	if (sched == 0)
		shm->allocs[combo] = (int)alloc_count;

	if (res)
		rc_decref(res);
	rc_decref(arg);
	rc_heap_get_stats(cur_heap, &st);
	if (st.live_objects > 0 && !(cur_kinds & ~(1u << KIND_INDEX_NULL | 1u << KIND_INDEX_NULLX))) {
		/* what is left may be a cycle nothing holds (a box stored into itself, or into a box
		 * holding it back): the collector's garbage, not a count defect. A collection frees
		 * it; an object an extra reference keeps (a leak) survives it. Not after an
		 * over-release or a use after release: the heap's counts are wrong then. */
		(void)rc_collect(cur_heap);
		rc_heap_get_stats(cur_heap, &st);
	}
	if (st.live_objects > 0)
		record(KIND_INDEX_LEAK);
	tearing_down = true; /* the leak report of rc_heap_destroy is not a finding of the call */
	(void)rc_heap_destroy(cur_heap);
	tearing_down = false;
	cur_heap = NULL;
	return cur_kinds;
}

static void add_kinds(unsigned kinds, long run)
{
	for (int k = 0; k < NKINDS; k++)
		if ((kinds & (1u << k)) && !(shm->kinds & (1u << k))) {
			shm->kinds |= 1u << k;
			shm->witness[k] = run;
		}
}

/* Whether run r is worth running: a schedule that fails allocation k > the allocations of the
 * combination's run without failure is that run again. */
static bool run_needed(long r)
{
	int combo = (int)(r / NSCHED), sched = (int)(r % NSCHED);
	int k = sched <= ORACLE_MAX_FAIL ? sched : sched - ORACLE_MAX_FAIL;

	return sched == 0 || k <= shm->allocs[combo];
}

static void on_fault(int sig, siginfo_t *info, void *uctx)
{
	(void)sig;
	(void)uctx;
	shm->fault_null = (uintptr_t)info->si_addr < 65536u;
	_exit(3);
}

static void child(const struct oracle_fn *fn)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	alarm(20);
	for (long r = shm->done; r < NRUNS; r++) {
		shm->current = r;
		if (run_needed(r))
			add_kinds(run_once(fn, (int)(r / NSCHED), (int)(r % NSCHED)), r);
		shm->done = r + 1;
	}
	_exit(0);
}

static long count_runs(void)
{
	long n = 0;

	for (long r = 0; r < NRUNS; r++)
		n += run_needed(r);
	return n;
}

static void run_function(const struct oracle_fn *fn)
{
	memset(shm, 0, sizeof *shm);
	for (int k = 0; k < NKINDS; k++)
		shm->witness[k] = -1;
	while (shm->done < NRUNS) {
		int status;
		pid_t pid;

		shm->fault_null = 0;
		shm->asan_uaf = 0;
		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			perror("harness: fork");
			exit(2);
		}
		if (pid == 0)
			child(fn);
		if (waitpid(pid, &status, 0) < 0) {
			perror("harness: waitpid");
			exit(2);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			break;
		/* the run in progress died: record it, go on with the next one */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
			add_kinds(1u << (!shm->fault_null ? KIND_INDEX_CRASH : shm->run_failed ? KIND_INDEX_NULL : KIND_INDEX_NULLX),
				  shm->current);
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 86) /* AddressSanitizer */
			add_kinds(1u << (shm->asan_uaf ? KIND_INDEX_UAR : KIND_INDEX_CRASH), shm->current);
		else
			add_kinds(1u << KIND_INDEX_CRASH, shm->current);
		shm->done = shm->current + 1;
	}

	printf("%s runs=%ld results=%s kinds=", fn->name, count_runs(),
	       shm->results == 3 ? "both" : shm->results == 1 ? (fn->obj ? "nonnull" : "ok") : shm->results == 2 ? (fn->obj ? "null" : "fail") : "none");
	if (!shm->kinds)
		printf("-");
	for (int k = 0, first = 1; k < NKINDS; k++)
		if (shm->kinds & (1u << k)) {
			printf("%s%s", first ? "" : ",", kind_names[k]);
			first = 0;
		}
	printf(" witness=");
	for (int k = 0, first = 1; k < NKINDS; k++) {
		long r = shm->witness[k];
		int combo, sched;

		if (r < 0)
			continue;
		combo = (int)(r / NSCHED);
		sched = (int)(r % NSCHED);
		printf("%s%s@c=%d,%d,%d/b=%s/fail=", first ? "" : ";", kind_names[k], combo & 1, (combo >> 1) & 1,
		       (combo >> 2) & 3, combo >> 4 ? "leaf" : "null");
		if (sched == 0)
			printf("none");
		else if (sched <= ORACLE_MAX_FAIL)
			printf("%d", sched);
		else
			printf("%d+", sched - ORACLE_MAX_FAIL);
		first = 0;
	}
	printf("\n");
}

/* AddressSanitizer's report interface (sanitizer/asan_interface.h; weak: absent without ASan). */
const char *__asan_get_report_description(void) __attribute__((weak));
void __asan_on_error(void);
void __asan_on_error(void)
{
	const char *what = __asan_get_report_description ? __asan_get_report_description() : NULL;

	shm->asan_uaf = what && strcmp(what, "heap-use-after-free") == 0;
}

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	/* faults are the harness's (on_fault); leaks are counted by the runtime, not LSan */
	return "handle_segv=0:handle_sigbus=0:detect_leaks=0:exitcode=86";
}

int main(int argc, char **argv)
{
	shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("harness: mmap");
		return 2;
	}
	if (&oracle_nunits != NULL) {
		for (int a = 1; a < argc; a++) {
			char *end;
			unsigned long k = strtoul(argv[a], &end, 10);

			if (strcmp(argv[a], "--units") == 0)
				continue;
			if (*end || k >= oracle_nunits) {
				fprintf(stderr, "harness: no unit %s in this batch\n", argv[a]);
				return 2;
			}
			for (size_t i = 0; i < *oracle_units[k].n; i++)
				run_function(&oracle_units[k].fns[i]);
		}
		return 0;
	}
	for (size_t i = 0; i < oracle_nfns; i++) {
		bool wanted = argc < 2;

		for (int a = 1; a < argc; a++)
			wanted |= strcmp(argv[a], oracle_fns[i].name) == 0;
		if (wanted)
			run_function(&oracle_fns[i]);
	}
	return 0;
}
