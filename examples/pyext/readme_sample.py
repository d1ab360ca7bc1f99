#!/usr/bin/env python3
"""README's sample finding is what scripts/demo prints: runs rccheck the way scripts/demo's last
command does (its `exec $dir/analyzer/rccheck ARGS` line, $dir being this build), from the
source root, and requires the indented block after README's `<!-- demo-sample -->` marker to be
one whole finding of its output (the warning line and every note up to the next warning),
byte for byte.

Usage: readme_sample.py SOURCE_ROOT BUILD_ROOT RCCHECK
"""

import os
import re
import shlex
import subprocess
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    src, build, rccheck = (os.path.abspath(a) for a in argv[1:])
    with open(os.path.join(src, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    m = re.search(r"<!-- demo-sample[^>]*-->\n\n((?:    .*\n)+)", readme)
    if not m:
        print("FAIL: README.md has no indented block after a <!-- demo-sample --> marker")
        return 1
    sample = [line[4:] for line in m.group(1).splitlines()]
    with open(os.path.join(src, "scripts", "demo"), encoding="utf-8") as f:
        demo = f.read()
    d = re.search(r"^\s*exec \$dir/analyzer/rccheck (.*)$", demo, flags=re.M)
    if not d:
        print("FAIL: scripts/demo has no `exec $dir/analyzer/rccheck ...` line")
        return 1
    args = [a.replace("$dir", build) for a in shlex.split(d.group(1)) if a != "$@"]
    cmd = [rccheck] + args
    print("$ (cd " + src + " && " + shlex.join(cmd) + ")")
    p = subprocess.run(cmd, cwd=src, capture_output=True, text=True, timeout=120,
                       env={k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "RCCHECK_PROGRESS")})
    out = p.stdout.splitlines()
    if p.returncode != 1:
        print(f"FAIL: the demo's rccheck exits 1 (findings), got {p.returncode}\n{p.stderr}")
        return 1
    # the output cut into findings: a warning line and the notes that follow it
    blocks, cur = [], None
    for line in out:
        if ": warning: " in line:
            cur = [line]
            blocks.append(cur)
        elif cur is not None:
            cur.append(line)
    if sample in blocks:
        print(f"ok: README's sample is finding {blocks.index(sample) + 1} of {len(blocks)} that scripts/demo prints")
        return 0
    print("FAIL: README's sample is not a finding scripts/demo prints")
    print("README:\n  " + "\n  ".join(sample))
    near = [b for b in blocks if b and sample and b[0].split(": warning: ")[0] == sample[0].split(": warning: ")[0]]
    print("demo prints" + (" at that location" if near else "") + ":\n  " +
          "\n  ".join(near[0] if near else out[:20]))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
