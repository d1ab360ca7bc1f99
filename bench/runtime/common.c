/* common.c - helpers of the CPython comparison benchmarks (common.h). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bench_rng_seed(struct bench_rng *r, uint64_t seed)
{
	r->s = seed ? seed : 88172645463325252u;
}

uint64_t bench_rng_next(struct bench_rng *r)
{
	uint64_t s = r->s;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	r->s = s;
	return s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_quantile(double *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

struct bench_stat bench_stat_of(double *v, size_t n)
{
	struct bench_stat s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(v, n, sizeof *v, cmp_double);
	s.lo = v[0];
	s.hi = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

void bench_python_start(void)
{
	Py_InitializeEx(0);
	if (!Py_IsInitialized()) {
		fprintf(stderr, "bench: cannot start the embedded CPython\n");
		exit(1);
	}
	PyGC_Disable();
	PyGC_Collect();
}

void bench_python_stop(void)
{
	if (Py_FinalizeEx() < 0)
		fprintf(stderr, "bench: CPython finalization reported an error\n");
}

void *bench_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}
