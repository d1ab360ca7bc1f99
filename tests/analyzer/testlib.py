"""Helpers shared by the analyzer's Python test scripts (cli_test.py, pyheaders_test.py,
runner_selftest.py, install_test.py, action_test.py): one failure counter and the assertion that
feeds it, the marker lookup of the sources the scripts write, the end of a run (its temporary
tree, its verdict), and a source every script can use."""

import os
import shutil

failures = 0

# A function that leaks rc_new's reference when it returns 0 (our runtime's annotated API: the
# file needs -I to runtime/include or an installed rc/rc.h).
RC_LEAK = """#include <rc/rc.h>
extern const rc_type thing_type;
int bad(rc_heap *heap)
{
    rc_object *obj = rc_new(heap, &thing_type);
    if (!obj)
        return -1;
    return 0;
}
"""


def check(cond, what, detail=""):
    """Prints ok/FAIL for one assertion and counts the failures; returns cond."""
    global failures
    if cond:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what}")
        if detail:
            print("  " + str(detail).replace("\n", "\n  "))
    return cond


def line_of(source, marker):
    """The 1-based line of `source` that carries the marker comment /*@marker*/."""
    for i, text in enumerate(source.split("\n"), start=1):
        if f"/*@{marker}*/" in text:
            return i
    raise KeyError(f"marker {marker} not in source")


def cleanup(tmp):
    """Removes a run's temporary tree, or keeps it (and prints where) with RCCHECK_KEEP_TMP=1."""
    if os.environ.get("RCCHECK_KEEP_TMP"):
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def verdict(name):
    """Prints `NAME: N failure(s)` and returns the exit status (1 on any failure)."""
    print(f"{name}: {failures} failure(s)")
    return 1 if failures else 0
