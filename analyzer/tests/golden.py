#!/usr/bin/env python3
"""--dump-cfg golden test: runs `rccheck --dump-cfg NAME.c` in the file's directory and compares
the output with NAME.cfg beside it. --update rewrites NAME.cfg.
usage: golden.py RCCHECK CASE.c [--update]"""
import difflib
import os
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    rccheck, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    update = "--update" in sys.argv[3:]
    d, name = os.path.split(case)
    expected_path = os.path.splitext(case)[0] + ".cfg"
    p = subprocess.run([rccheck, "--dump-cfg", name], cwd=d, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        print("rccheck exited %d\n%s" % (p.returncode, p.stderr))
        return 1
    if update:
        with open(expected_path, "w") as f:
            f.write(p.stdout)
        return 0
    with open(expected_path) as f:
        expected = f.read()
    if p.stdout == expected:
        print("ok: %s" % name)
        return 0
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), p.stdout.splitlines(True),
                                               expected_path, "rccheck --dump-cfg " + name))
    return 1


if __name__ == "__main__":
    sys.exit(main())
