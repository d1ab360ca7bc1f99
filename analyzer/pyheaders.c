/*
 * pyheaders.c - see pyheaders.h.
 */
#include "pyheaders.h"
typedef int rccheck_pyheaders_placeholder; /* filled in by its issue work */
