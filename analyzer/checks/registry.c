/*
 * registry.c - builds engine_checks[] from checks.def (X-macro). Never edited when adding a check.
 */
#include "engine/engine.h"

#define RC_CHECK(name) extern const struct check check_##name;
#include "checks.def"
#undef RC_CHECK

const struct check *const engine_checks[] = {
#define RC_CHECK(name) &check_##name,
#include "checks.def"
#undef RC_CHECK
};

const size_t engine_ncheck = sizeof engine_checks / sizeof engine_checks[0];
