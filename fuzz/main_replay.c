/* main_replay.c - standalone driver (fuzzing_engine=none): replays the files and directories
 * named on the command line through the target, e.g. `fuzz_graph corpus/graph`. */
#include "fuzz_target.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n  replays each input through the fuzz target\n", argv[0]);
		return 2;
	}
	return fuzz_replay_paths(argc - 1, argv + 1, argv[0]);
}
