#!/usr/bin/env python3
"""check_findings.py - does rccheck find exactly the bugs marked in examples/pyext?

    check_findings.py RCCHECK PYEXT_DIR [--include DIR] [-- EXTRA_COMPILER_ARGS...]
    check_findings.py RCCHECK PYEXT_DIR -p BUILD_DIR
    check_findings.py --json BUGGY_JSON FIXED_JSON PYEXT_DIR
    check_findings.py --selftest PYEXT_DIR

Markers, in the C files under PYEXT_DIR/buggy/:
    // BUG(rc-leak): explanation        rccheck must report rc-leak on this line
    // BUG-ALT(rc-traverse-incomplete)   another acceptable line for a BUG of that ID in the file
                                        (used when the report could reasonably sit in two places)

Rules: every BUG marker is matched by at least one finding of its ID on its line (or, failing
that, by a finding of its ID on a BUG-ALT line of that ID in the same file); no finding in
buggy/ sits on a line without a marker of its ID; no finding at all in fixed/. Input errors
reported by rccheck (its "errors" list) count as failures too.

The first form runs `RCCHECK --format=json FILE -- -I<include> EXTRA...` for each .c file, with
PYEXT_DIR as the working directory; --include defaults to the CPython include directory of
/usr/bin/python3 (exit 77, skipped, when it has no Python.h). The second form runs
`RCCHECK --format=json -p BUILD_DIR FILE` instead: the flags Meson compiled the file with (both
twins are Meson targets, so they are in BUILD_DIR/compile_commands.json when python3-dev was
found; exit 77 when they are not). The JSON is the contract of
tests/analyzer/run_case.py: {"findings": [{"id", "file", "line", "message", ...}], "errors": [...]}.
--json compares saved outputs instead (the same JSON, one document per directory, findings of
every file of that directory in one list). --selftest checks this script on fake outputs.

Prints one line per problem and a summary; exit 0 ok, 1 mismatch, 2 usage or rccheck failure,
77 skipped.
"""

import json
import os
import re
import subprocess
import sys

MARK_RE = re.compile(r"//\s*BUG\((rc-[a-z-]+)\)")
ALT_RE = re.compile(r"//\s*BUG-ALT\((rc-[a-z-]+)\)")
TIMEOUT = 300


class UsageError(Exception):
    pass


def c_files(directory):
    if not os.path.isdir(directory):
        raise UsageError("%s is not a directory" % directory)
    out = sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".c"))
    if not out:
        raise UsageError("no .c file in %s" % directory)
    return out


def read_markers(path):
    """Returns ([(id, line)], {id: set(alt lines)})."""
    marks, alts = [], {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            for m in MARK_RE.finditer(line):
                marks.append((m.group(1), n))
            for m in ALT_RE.finditer(line):
                alts.setdefault(m.group(1), set()).add(n)
    return marks, alts


def resolve(path, base):
    if not isinstance(path, str):
        return None
    return os.path.normpath(os.path.join(base, path))


def compare_dir(files, findings, base, expect_marks, problems):
    """Checks the findings (list of dicts) of the files of one directory; appends problems."""
    by_file = {os.path.abspath(f): [] for f in files}
    for f in findings:
        if not isinstance(f, dict) or not isinstance(f.get("line"), int) or "id" not in f:
            problems.append("malformed finding: %r" % (f,))
            continue
        p = resolve(f.get("file"), base)
        if p not in by_file:
            problems.append("%s:%s: %s reported outside the example files (%s)"
                            % (f.get("file"), f.get("line"), f.get("id"), f.get("message", "")))
            continue
        by_file[p].append(f)
    matched = 0
    for path in files:
        shown = os.path.relpath(path, base)
        got = by_file[os.path.abspath(path)]
        if not expect_marks:
            for f in got:
                problems.append("%s:%d: unexpected %s in the fixed twin (%s)"
                                % (shown, f["line"], f["id"], f.get("message", "")))
            continue
        marks, alts = read_markers(path)
        marked_lines = {(i, n) for i, n in marks}
        alt_lines = {(i, n) for i, ns in alts.items() for n in ns}
        used_alt = set()
        for check_id, line in marks:
            if any(f["id"] == check_id and f["line"] == line for f in got):
                matched += 1
                continue
            alt = [f for f in got if f["id"] == check_id and (check_id, f["line"]) in alt_lines
                   and id(f) not in used_alt]
            if alt:
                used_alt.add(id(alt[0]))
                matched += 1
                continue
            problems.append("%s:%d: missing %s" % (shown, line, check_id))
        for f in got:
            key = (f["id"], f["line"])
            if key in marked_lines or (key in alt_lines and id(f) in used_alt):
                continue
            problems.append("%s:%d: unexpected %s (%s)" % (shown, f["line"], f["id"],
                                                            f.get("message", "")))
    return matched


def in_compdb(build_dir, files):
    """True when every file has an entry in BUILD_DIR/compile_commands.json."""
    try:
        with open(os.path.join(build_dir, "compile_commands.json"), encoding="utf-8") as f:
            entries = json.load(f)
    except (OSError, ValueError):
        return False
    listed = set()
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict) and isinstance(e.get("file"), str):
            listed.add(os.path.normpath(os.path.join(e.get("directory", ""), e["file"])))
    return all(os.path.abspath(f) in listed for f in files)


def run_rccheck(rccheck, path, base, flags):
    rel = os.path.relpath(path, base)
    if flags[:1] == ["-p"]:
        cmd = [rccheck, "--format=json"] + flags + [rel]
    else:
        cmd = [rccheck, "--format=json", rel] + flags
    try:
        proc = subprocess.run(cmd, cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=TIMEOUT)
    except OSError as e:
        raise UsageError("cannot run %s: %s" % (rccheck, e.strerror))
    except subprocess.TimeoutExpired:
        raise UsageError("rccheck did not finish within %d s: %s" % (TIMEOUT, " ".join(cmd)))
    if proc.returncode not in (0, 1):
        raise UsageError("rccheck exited with status %d on %s: %s"
                         % (proc.returncode, path, proc.stderr.strip()[:2000]))
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise UsageError("rccheck output for %s is not JSON (%s)" % (path, e))
    return doc


def check_doc(doc, what, problems):
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise UsageError("%s: JSON has no 'findings' list" % what)
    for err in doc.get("errors") or []:
        problems.append("%s: rccheck reported an input error: %s" % (what, err))
    return doc["findings"]


def default_include():
    try:
        out = subprocess.run(["/usr/bin/python3", "-c",
                              "import sysconfig; print(sysconfig.get_path('include'))"],
                             stdout=subprocess.PIPE, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out or None


def report(problems, matched, total):
    for p in problems:
        print(p)
    print("check_findings: %d of %d marked bugs found, %d problem(s)" % (matched, total,
                                                                         len(problems)))
    return 1 if problems else 0


def total_marks(files):
    return sum(len(read_markers(f)[0]) for f in files)


def mode_run(argv):
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    include = None
    build_dir = None
    if "-p" in argv:
        i = argv.index("-p")
        if i + 1 >= len(argv):
            raise UsageError("-p needs a build directory")
        build_dir = os.path.abspath(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    if "--include" in argv:
        i = argv.index("--include")
        if i + 1 >= len(argv):
            raise UsageError("--include needs a directory")
        include = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) != 2:
        raise UsageError("expected RCCHECK PYEXT_DIR")
    rccheck, base = argv[0], os.path.abspath(argv[1])
    if os.sep in rccheck:  # run from PYEXT_DIR: keep a relative path meaningful
        rccheck = os.path.abspath(rccheck)
    buggy, fixed = c_files(os.path.join(base, "buggy")), c_files(os.path.join(base, "fixed"))
    if build_dir:
        if not in_compdb(build_dir, buggy + fixed):
            print("check_findings: the examples are not in %s/compile_commands.json "
                  "(python3-dev missing?): skipped" % build_dir)
            return 77
        flags = ["-p", build_dir]
    else:
        include = include or default_include()
        if not include or not os.path.isfile(os.path.join(include, "Python.h")):
            print("check_findings: Python.h not found (install python3-dev): skipped")
            return 77
        flags = ["--", "-I" + include] + extra
    problems = []
    matched = 0
    for files, expect in ((buggy, True), (fixed, False)):
        findings = []
        for path in files:
            findings += check_doc(run_rccheck(rccheck, path, base, flags), path, problems)
        matched += compare_dir(files, findings, base, expect, problems)
    return report(problems, matched, total_marks(buggy))


def mode_json(argv):
    if len(argv) != 3:
        raise UsageError("expected --json BUGGY_JSON FIXED_JSON PYEXT_DIR")
    base = os.path.abspath(argv[2])
    buggy, fixed = c_files(os.path.join(base, "buggy")), c_files(os.path.join(base, "fixed"))
    problems = []
    matched = 0
    for jpath, files, expect in ((argv[0], buggy, True), (argv[1], fixed, False)):
        try:
            with open(jpath, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            raise UsageError("cannot read %s: %s" % (jpath, e))
        matched += compare_dir(files, check_doc(doc, jpath, problems), base, expect, problems)
    return report(problems, matched, total_marks(buggy))


def mode_selftest(argv):
    """The comparison must accept the exact answer and reject each kind of wrong answer."""
    if len(argv) != 1:
        raise UsageError("expected --selftest PYEXT_DIR")
    base = os.path.abspath(argv[0])
    buggy, fixed = c_files(os.path.join(base, "buggy")), c_files(os.path.join(base, "fixed"))
    exact = []
    alts = []
    for path in buggy:
        marks, alt = read_markers(path)
        rel = os.path.relpath(path, base)
        exact += [{"id": i, "file": rel, "line": n, "message": "m"} for i, n in marks]
        alts += [(rel, i, n) for i, ns in alt.items() for n in ns]
    ids = {f["id"] for f in exact}
    failures = []

    def verdict(buggy_findings, fixed_findings):
        problems = []
        compare_dir(buggy, buggy_findings, base, True, problems)
        compare_dir(fixed, fixed_findings, base, False, problems)
        return problems

    def expect(name, ok, buggy_findings, fixed_findings=()):
        problems = verdict(list(buggy_findings), list(fixed_findings))
        if bool(problems) == ok:
            failures.append("%s: expected %s, got %s" % (name, "ok" if ok else "problems",
                                                           problems or "ok"))

    for required in ("rc-leak", "rc-return-borrowed", "rc-use-after-release", "rc-double-release",
                     "rc-unchecked-null", "rc-traverse-incomplete"):
        if required not in ids:
            failures.append("buggy/ has no BUG(%s) marker" % required)
    if total_marks(fixed):
        failures.append("fixed/ carries BUG markers")
    expect("exact answer", True, exact)
    expect("duplicate finding on a marked line", True, exact + exact[:1])
    expect("one marker missed", False, exact[1:])
    expect("extra finding on an unmarked line", False,
           exact + [{"id": "rc-leak", "file": exact[0]["file"], "line": 1, "message": "x"}])
    expect("right line, wrong id", False,
           [dict(f, id="rc-inconsistent") if k == 0 else f for k, f in enumerate(exact)])
    expect("finding in fixed/", False, exact,
           [{"id": "rc-leak", "file": os.path.relpath(fixed[0], base), "line": 10}])
    expect("finding in another file", False,
           exact + [{"id": "rc-leak", "file": "/usr/include/python3.11/object.h", "line": 1}])
    expect("malformed finding", False, exact + [{"id": "rc-leak"}])
    for rel, check_id, n in alts:
        moved = [dict(f, line=n) if f["id"] == check_id else f for f in exact]
        expect("%s reported on its BUG-ALT line" % check_id, True, moved)
    for line in failures:
        print("selftest FAIL: %s" % line)
    print("check_findings selftest: %d markers in buggy/, %s"
          % (len(exact), "FAIL" if failures else "ok"))
    return 1 if failures else 0


def main(argv):
    try:
        if argv[:1] == ["--json"]:
            return mode_json(argv[1:])
        if argv[:1] == ["--selftest"]:
            return mode_selftest(argv[1:])
        if not argv or argv[0].startswith("-"):
            raise UsageError("see --help" if argv[:1] != ["--help"] else "")
        return mode_run(argv)
    except UsageError as e:
        if str(e):
            print("check_findings: %s" % e, file=sys.stderr)
        if not argv or argv[0] == "--help" or str(e).startswith(("expected", "see")):
            print(__doc__, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
