/*
 * main_afl.c - AFL++ driver (fuzzing_engine=afl, compiled with afl-clang-fast): persistent mode
 * with shared-memory test cases under afl-fuzz; with arguments it replays files and directories
 * like the standalone driver; without arguments and outside afl-fuzz it runs stdin once.
 */
#include "fuzz_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef __AFL_FUZZ_TESTCASE_LEN
/* afl-clang-fast's macros use GNU statement expressions and end in an extra ';' */
#pragma clang diagnostic ignored "-Wgnu-statement-expression"
#pragma clang diagnostic ignored "-Wextra-semi"
#pragma clang diagnostic ignored "-Wlanguage-extension-token"
__AFL_FUZZ_INIT();
#endif

enum { MAX_INPUT = 1 << 20 };

int main(int argc, char **argv)
{
	if (argc > 1)
		return fuzz_replay_paths(argc - 1, argv + 1, argv[0]);
#ifdef __AFL_FUZZ_TESTCASE_LEN
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		LLVMFuzzerTestOneInput(buf, len);
	}
	return 0;
#else
	unsigned char *buf = malloc(MAX_INPUT);
	if (!buf)
		return 2;
	size_t len = fread(buf, 1, MAX_INPUT, stdin);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
#endif
}
