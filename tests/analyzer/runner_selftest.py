#!/usr/bin/env python3
"""Self-test of run_case.py, independent of the analyzer: a fake rccheck prints canned JSON and
the runner must accept exactly the matching annotations and report every difference.

Usage: runner_selftest.py compare          the runner's comparison logic (fake rccheck)
       runner_selftest.py registered SRCDIR every cases/**/*.c is a test in meson.build
"""

import json
import os
import re
import stat
import subprocess
import sys
import tempfile

import testlib  # tests/analyzer/testlib.py, next to this script
from testlib import check

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "run_case.py")

FAKE = r'''#!{python}
import json, os, sys
spec = json.loads(os.environ["FAKE_RCCHECK"])
with open(os.environ["FAKE_ARGV"], "w") as f:
    json.dump({{"argv": sys.argv[1:], "cwd": os.getcwd()}}, f)
if spec.get("raw") is not None:
    sys.stdout.write(spec["raw"])
    sys.exit(spec.get("status", 0))
findings = []
for (cid, line, *rest) in spec.get("findings", []):
    findings.append({{"id": cid, "severity": "warning", "message": "fake " + cid,
                     "file": rest[0] if rest else sys.argv[-1 - sys.argv[::-1].index("--") - 1],
                     "line": line, "column": 1, "function": "f", "path": []}})
errors = spec.get("errors", [])
doc = {{"tool": "rccheck", "version": "0.1.0", "findings": findings, "errors": errors,
       "summary": {{"files": 1, "functions": 1, "findings": len(findings), "by_id": {{}},
                   "failed_files": len(errors), "seconds": 0}}}}
print(json.dumps(doc))
sys.exit(spec.get("status", 2 if errors else (1 if findings else 0)))
'''


def run(tmp, source, spec, name="case.c"):
    case = os.path.join(tmp, name)
    with open(case, "w") as f:
        f.write(source)
    env = dict(os.environ, FAKE_RCCHECK=json.dumps(spec), FAKE_ARGV=os.path.join(tmp, "argv.json"))
    proc = subprocess.run([sys.executable, RUNNER, os.path.join(tmp, "rccheck"), "/inc", case],
                          capture_output=True, text=True, env=env, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


CASE = """\
int bad_a(void)
{
	return 0; // expect-warning{{rc-leak}}
}
// expect-warning@+1{{rc-double-release}} expect-warning@+1{{rc-leak}}
int bad_b(void);
int bad_c(void); // expect-warning@-1{{rc-use-after-release}}
"""
# Expected multiset: (rc-leak, 3), (rc-double-release, 6), (rc-leak, 6), (rc-use-after-release, 6)
MATCH = [["rc-leak", 3], ["rc-double-release", 6], ["rc-leak", 6], ["rc-use-after-release", 6]]


def test_compare(tmp):
    fake = os.path.join(tmp, "rccheck")
    with open(fake, "w") as f:
        f.write(FAKE.format(python=sys.executable))
    os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)

    st, out = run(tmp, CASE, {"findings": MATCH})
    check(st == 0, f"exact match passes (status {st})\n{out}")

    st, out = run(tmp, CASE, {"findings": MATCH[1:]})
    check(st == 1 and re.search(r"case\.c:3: missing rc-leak", out),
          f"missing finding reported as file:line: missing ID\n{out}")

    st, out = run(tmp, CASE, {"findings": MATCH + [["rc-leak", 2]]})
    check(st == 1 and re.search(r"case\.c:2: unexpected rc-leak \(.*fake rc-leak\)", out),
          f"unexpected finding reported with its message\n{out}")

    st, out = run(tmp, CASE, {"findings": MATCH + [["rc-leak", 6]]})
    check(st == 1 and "case.c:6: unexpected rc-leak" in out,
          f"findings compared as a multiset (a duplicate is unexpected)\n{out}")

    st, out = run(tmp, CASE, {"findings": [["rc-leak", 3], ["rc-leak", 6],
                                          ["rc-use-after-release", 6], ["rc-leak", 5]]})
    check(st == 1 and "case.c:6: missing rc-double-release" in out
          and "case.c:5: unexpected rc-leak" in out,
          f"offsets @+1 and @-1 point to the right lines\n{out}")

    st, out = run(tmp, CASE, {"findings": MATCH + [["rc-leak", 3, "other.h"]]})
    check(st == 1 and "other.h:3: unexpected rc-leak" in out,
          f"a finding in another file is unexpected even on an expected line\n{out}")

    st, out = run(tmp, "int good(void) { return 0; }\n", {"findings": []})
    check(st == 1 and "no expectation" in out,
          f"a file without expectations and without expect-no-diagnostics fails\n{out}")

    clean = "// expect-no-diagnostics\nint good(void) { return 0; }\n"
    st, out = run(tmp, clean, {"findings": []})
    check(st == 0, f"expect-no-diagnostics with no findings passes\n{out}")
    st, out = run(tmp, clean, {"findings": [["rc-leak", 2]]})
    check(st == 1 and "case.c:2: unexpected rc-leak" in out,
          f"expect-no-diagnostics with a finding fails\n{out}")

    st, out = run(tmp, "// expect-no-diagnostics\nint x; // expect-warning{{rc-leak}}\n",
                  {"findings": [["rc-leak", 2]]})
    check(st == 1, f"expect-no-diagnostics together with expectations is a case error\n{out}")

    st, out = run(tmp, "int x; // expect-warning{{leak}}\n", {"findings": []})
    check(st == 1 and "bad check ID" in out, f"a malformed check ID is rejected\n{out}")

    st, out = run(tmp, "int x; // expect-warning@+5{{rc-leak}}\n", {"findings": []})
    check(st == 1 and "outside the file" in out, f"an offset past the end is rejected\n{out}")

    st, out = run(tmp, CASE, {"findings": MATCH, "status": 0})
    check(st == 1 and "contract" in out, f"exit status 0 with findings is reported\n{out}")

    st, out = run(tmp, CASE, {"findings": MATCH, "errors": [{"file": "case.c", "message": "x"}]})
    check(st == 1 and "input error" in out, f"an input error in the JSON fails the case\n{out}")

    st, out = run(tmp, CASE, {"raw": "case.c:3:1: warning: x [rc-leak]\n", "status": 1})
    check(st == 1 and "not JSON" in out, f"output that is not JSON fails the case\n{out}")

    st, out = run(tmp, CASE, {"raw": "", "status": 139})
    check(st == 1 and "139" in out, f"a crash (status 139) fails the case\n{out}")

    st, out = run(tmp, "// compile-args-pkg: rccheck-no-such-package\n// expect-no-diagnostics\n",
                  {"findings": []})
    check(st == 77 and "skipped" in out, f"a missing compile-args-pkg package skips the case (77)\n{out}")

    st, out = run(tmp, "int good_x(void)\n{\n\treturn 0; // expect-warning{{rc-leak}}\n}\n",
                  {"findings": [["rc-leak", 3]]})
    check(st == 1 and "inside good_x" in out, f"an expectation inside a good_* function is refused\n{out}")
    st, out = run(tmp, "int bad_x(void)\n{\n\treturn 0;\n}\n// expect-no-diagnostics\n",
                  {"findings": []})
    check(st == 1 and "bad_x has no expectation" in out,
          f"a bad_* function without an expectation is refused\n{out}")

    args_case = ("// rccheck-args: --model api.model --model 'b c.model'\n"
                 "/* compile-args: -DFOO=1 -DBAR */\n"
                 "// expect-no-diagnostics\n")
    st, out = run(tmp, args_case, {"findings": []}, name="args.c")
    with open(os.path.join(tmp, "argv.json")) as f:
        seen = json.load(f)
    check(st == 0 and seen["argv"] == ["--format=json", "--show-guesses", "--model", "api.model", "--model",
                                       "b c.model", "args.c", "--", "-I/inc", "-DFOO=1", "-DBAR"]
          and os.path.samefile(seen["cwd"], tmp),
          f"rccheck-args and compile-args are passed, in the case's directory: {seen}\n{out}")


def test_registered(srcdir):
    with open(os.path.join(srcdir, "meson.build"), encoding="utf-8") as f:
        build = f.read()
    listed = {os.path.basename(p) for p in re.findall(r"'([\w./-]+\.c)'", build)}
    cases = os.path.join(srcdir, "cases")
    for root, _dirs, files in os.walk(cases):
        for name in sorted(files):
            if not name.endswith(".c"):
                continue
            rel = os.path.relpath(os.path.join(root, name), cases)
            group, base = os.path.split(rel)
            check(base in listed and group in build,
                  f"cases/{rel} is registered in tests/analyzer/meson.build")
    m = re.search(r"cli_scenarios = \[(.*?)\]", build, re.S)
    in_meson = re.findall(r"'([\w-]+)'", m.group(1)) if m else []
    proc = subprocess.run([sys.executable, os.path.join(srcdir, "cli_test.py"), "--list"],
                          capture_output=True, text=True, timeout=60)
    in_script = proc.stdout.split()
    check(sorted(in_meson) == sorted(in_script) and in_script,
          f"meson.build runs every cli_test.py scenario: {in_meson} vs {in_script}")


def main(argv):
    if len(argv) == 2 and argv[1] == "compare":
        with tempfile.TemporaryDirectory(prefix="rccheck-runner-") as tmp:
            test_compare(tmp)
    elif len(argv) == 3 and argv[1] == "registered":
        test_registered(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"{testlib.failures} failure(s)")
    return 1 if testlib.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
