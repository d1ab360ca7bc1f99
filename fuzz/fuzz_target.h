/* fuzz_target.h - private to the fuzz harness (fuzz/): the libFuzzer entry point every target
 * defines, and the replay helper the standalone and AFL++ drivers share. */
#ifndef RC_FUZZ_TARGET_H
#define RC_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* The target: runs one input, returns 0 (aborts on a bug). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs every file named in paths[0..n) (a directory: each regular file in it, sorted by name).
 * Returns 0 when at least one input ran, 2 on a usage or I/O error (message on stderr). */
int fuzz_replay_paths(int n, char **paths, const char *prog);

#endif /* RC_FUZZ_TARGET_H */
