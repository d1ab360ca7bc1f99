/* common.h - shared by the benchmarks that compare the runtime with CPython through its C API
 * (vs_cpython.c, workload.c): clock, random numbers, statistics, and the interpreter's setup.
 * Benchmark code only: never part of the runtime, which stays libc-only. */
#ifndef RC_BENCH_COMMON_H
#define RC_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic seconds. */
double bench_now(void);

/* xorshift64, reseeded by each shape so that both sides build the same graphs. */
struct bench_rng {
	uint64_t s;
};
void bench_rng_seed(struct bench_rng *r, uint64_t seed);
uint64_t bench_rng_next(struct bench_rng *r);

/* Median, min and max of v[0..n) (sorts v in place). */
struct bench_stat {
	double median, lo, hi;
};
struct bench_stat bench_stat_of(double *v, size_t n);

/* q-quantile (0..1) of v[0..n) (sorts v in place); 0 for n == 0. */
double bench_quantile(double *v, size_t n, double q);

/* Starts the embedded interpreter (Debian's libpython3.11) with its automatic collection off;
 * exits on failure. */
void bench_python_start(void);
void bench_python_stop(void);

/* Allocation that exits on failure. */
void *bench_xmalloc(size_t size);

#endif
