/*
 * test_buffer.c - the in-memory entry point (rccheck_analyze_buffer, the fuzz target's door):
 * findings on a known input, and no crash, hang or leak on hostile inputs (garbage, truncated
 * code, deep nesting, huge functions). Run under ASan/UBSan in the sanitizer build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rccheck.h"

static const char leaky[] =
	"typedef struct o o;\n"
	"__attribute__((annotate(\"rc::new_ref\"), annotate(\"rc::null_on_failure\"))) o *mk(void);\n"
	"void rel(__attribute__((annotate(\"rc::releases\"))) o *p);\n"
	"int f(int c) {\n"
	"  o *x = mk();\n"
	"  if (!x) return -1;\n"
	"  if (c) return -2;\n" /* line 7: leak */
	"  rel(x);\n"
	"  return 0;\n"
	"}\n";

static int analyze(const char *text, size_t len, enum rccheck_format fmt)
{
	FILE *out = fopen("/dev/null", "w");
	assert_non_null(out);
	int n = rccheck_analyze_buffer("input.c", text, len, NULL, 0, fmt, 2000, out);
	fclose(out);
	return n;
}

static void test_known_finding(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);
	assert_non_null(ms);
	int n = rccheck_analyze_buffer("input.c", leaky, sizeof leaky - 1, NULL, 0, RCCHECK_FORMAT_TEXT, 0, ms);
	fclose(ms);
	assert_int_equal(n, 1);
	assert_non_null(strstr(buf, "input.c:7:"));
	assert_non_null(strstr(buf, "[rc-leak]"));
	free(buf);
	for (int f = RCCHECK_FORMAT_TEXT; f <= RCCHECK_FORMAT_DUMP_CFG; f++)
		assert_true(analyze(leaky, sizeof leaky - 1, (enum rccheck_format)f) >= 0);
}

static void test_hostile_inputs(void **state)
{
	(void)state;
	/* garbage bytes, NULs included */
	unsigned char junk[4096];
	uint32_t seed = 12345;
	for (size_t i = 0; i < sizeof junk; i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (unsigned char)(seed >> 16);
	}
	assert_true(analyze((const char *)junk, sizeof junk, RCCHECK_FORMAT_JSON) >= -1);
	assert_true(analyze("", 0, RCCHECK_FORMAT_JSON) >= 0);
	/* every prefix of a valid file (truncated code) */
	for (size_t l = 0; l <= sizeof leaky - 1; l += 7)
		assert_true(analyze(leaky, l, RCCHECK_FORMAT_SARIF) >= -1);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *mid, const char *unit2, const char *tail)
{
	size_t len = strlen(head) + n * (strlen(unit) + strlen(unit2)) + strlen(mid) + strlen(tail) + 1;
	char *s = malloc(len);
	assert_non_null(s);
	strcpy(s, head);
	for (size_t i = 0; i < n; i++)
		strcat(s, unit);
	strcat(s, mid);
	for (size_t i = 0; i < n; i++)
		strcat(s, unit2);
	strcat(s, tail);
	return s;
}

static void test_deep_and_wide(void **state)
{
	(void)state;
	/* deep nesting: the builder's depth limit skips the function instead of overflowing */
	char *deep = repeat("void *mk(void); int f(int c) {", "if (c) {", 2000, "mk();", "}", "return 0; }");
	assert_true(analyze(deep, strlen(deep), RCCHECK_FORMAT_JSON) >= 0);
	free(deep);
	/* many independent branches: the state budget ends the exploration */
	char *wide = repeat("int g(void); int f(void) { int r = 0;", "if (g()) r = 1; else r = 2;", 300, "", "",
			    "return r; }");
	assert_true(analyze(wide, strlen(wide), RCCHECK_FORMAT_TEXT) >= 0);
	free(wide);
	/* a long goto chain */
	char *gotos = repeat("int f(int c) {", "if (c) goto L; L: c++;", 500, "", "", "return c; }");
	assert_true(analyze(gotos, strlen(gotos), RCCHECK_FORMAT_DUMP_CFG) >= 0);
	free(gotos);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_finding),
		cmocka_unit_test(test_hostile_inputs),
		cmocka_unit_test(test_deep_and_wide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
