/*
 * baseline.c - see baseline.h.
 */
#include "baseline.h"
typedef int rccheck_baseline_placeholder; /* filled in by its issue work */
