"""Helpers shared by the analyzer's Python test scripts (cli_test.py, pyheaders_test.py,
runner_selftest.py): one failure counter and the assertion that feeds it, and the marker lookup
of the sources the scripts write."""

failures = 0


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
