#!/usr/bin/env python3
"""Runs rccheck on one annotated case file and compares its findings with the annotations.

Usage: run_case.py [--python-headers=none] RCCHECK RUNTIME_INCLUDE_DIR CASE.c

Annotations (clang -verify style), anywhere in a comment of the case file:
    // expect-warning{{rc-leak}}          a finding with this ID is reported on this line
    // expect-warning@+1{{rc-leak}}       ... on the next line (@-2: two lines up)
    // expect-no-diagnostics              the file must produce no finding at all
    // rccheck-args: --model foo.model    extra rccheck options (paths relative to the case file)
    // compile-args: -DFOO                extra compiler arguments (after `--`)
    // compile-args-pkg: python3          add `pkg-config --cflags python3` (skip when missing)
    // expect-complete                    every function is analysed whole (no budget note)
Several expectations may sit on one line; they are compared as a multiset of (ID, line).

--python-headers=none runs a case that includes Python.h without Python's headers: its
`compile-args-pkg: python3` adds nothing and rccheck gets `--python-include none`, so it analyses
with its built-in stand-in (docs/analyzer.md, "Python headers"). The run must then report the
degraded-analysis note with 0 parse errors ignored (the stand-in declares everything the case
uses), and the same findings. An expectation that legitimately differs between the two runs is
written `expect-warning[headers]{{ID}}` (only with the real headers) or
`expect-warning[stand-in]{{ID}}` (only with the stand-in); offsets go after it
(`expect-warning[stand-in]@+1{{ID}}`).

The runner runs `rccheck --format=json --show-guesses [rccheck-args] CASE.c -- -I<runtime include> [compile-args]`
with the case's directory as working directory, and prints one line per difference:
    file:line: missing rc-leak
    file:line: unexpected rc-leak (message)
Exit status (77 = skipped, when a compile-args-pkg package is not installed): 0 when the findings match exactly and at least one expectation was compared (or the
file says expect-no-diagnostics); 1 on any difference, on a bad annotation, or when rccheck fails
(crash, exit status other than 0/1, input errors in its JSON, output that is not the JSON of the
contract).
"""

import collections
import json
import os
import re
import shlex
import subprocess
import sys

EXPECT_RE = re.compile(r"expect-warning(?:\[(headers|stand-in)\])?(?:@([+-]\d+))?\{\{([^}]*)\}\}")
NO_DIAG_RE = re.compile(r"expect-no-diagnostics")
ARGS_RE = re.compile(r"rccheck-args:(.*)$")
COMPILE_RE = re.compile(r"compile-args:(.*)$")
PKG_RE = re.compile(r"compile-args-pkg:(.*)$")
COMPLETE_RE = re.compile(r"//\s*expect-complete\b")
SKIP = 77
ID_RE = re.compile(r"^rc-[a-z-]+$")
TIMEOUT = 120
PYTHON_PKGS = ("python3", "python3-embed")
STANDIN_NOTE = "analysed with rccheck's built-in CPython declarations"


class CaseError(Exception):
    pass


class CaseSkipped(Exception):
    pass


def pkg_cflags(names):
    """`pkg-config --cflags NAMES`, split; CaseSkipped when pkg-config or a package is missing."""
    try:
        proc = subprocess.run(["pkg-config", "--cflags"] + names, capture_output=True, text=True,
                              timeout=30)
    except OSError as e:
        raise CaseSkipped(f"pkg-config not available ({e})")
    if proc.returncode != 0:
        raise CaseSkipped(f"pkg-config --cflags {' '.join(names)} failed: {proc.stderr.strip()}")
    return shlex.split(proc.stdout)


def strip_comment_end(text):
    """The argument text of a `// rccheck-args:` line, without a closing `*/`."""
    text = text.strip()
    if text.endswith("*/"):
        text = text[:-2].rstrip()
    return text


def parse_case(path, standin=False):
    """Returns (expected Counter of (id, line), no_diagnostics, rccheck_args, compile_args).
    standin: the run without Python's headers (expectations marked [headers] are left out,
    [stand-in] ones kept; the python3 package adds no flags)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    expected = collections.Counter()
    no_diag = False
    rc_args = []
    cc_args = []
    for lineno, text in enumerate(lines, start=1):
        for m in EXPECT_RE.finditer(text):
            if m.group(1) and (m.group(1) == "stand-in") != standin:
                continue
            target = lineno + (int(m.group(2)) if m.group(2) else 0)
            if target < 1 or target > len(lines):
                raise CaseError(f"{path}:{lineno}: expectation points to line {target}, "
                                f"outside the file")
            ids = [s.strip() for s in m.group(3).split(",")]
            for check_id in ids:
                if not ID_RE.match(check_id):
                    raise CaseError(f"{path}:{lineno}: bad check ID {check_id!r} in expectation")
                expected[(check_id, target)] += 1
        if "expect-warning" in text and not EXPECT_RE.search(text):
            raise CaseError(f"{path}:{lineno}: malformed expect-warning annotation")
        if NO_DIAG_RE.search(text):
            no_diag = True
        m = ARGS_RE.search(text)
        if m:
            rc_args += shlex.split(strip_comment_end(m.group(1)))
        m = COMPILE_RE.search(text)
        if m:
            cc_args += shlex.split(strip_comment_end(m.group(1)))
        m = PKG_RE.search(text)
        if m:
            pkgs = shlex.split(strip_comment_end(m.group(1)))
            if standin:
                pkgs = [p for p in pkgs if p not in PYTHON_PKGS]
            if pkgs:
                cc_args += pkg_cflags(pkgs)
    if no_diag and expected:
        raise CaseError(f"{path}: says expect-no-diagnostics but also has expectations")
    check_naming(path, lines, expected)
    return expected, no_diag, rc_args, cc_args


FUNC_RE = re.compile(r"^[A-Za-z_][^;=]*\b((?:good|bad)_\w*)\s*\(")


def check_naming(path, lines, expected):
    """The case convention: every expectation lies in a bad_* function, every bad_* function
    has one, no good_* function has one. Function bodies are found by their layout (definition
    at column 0, closing brace alone at column 0), which is how the cases are written."""
    targets = {line for (_id, line) in expected}
    problems = []
    i = 0
    while i < len(lines):
        m = FUNC_RE.match(lines[i])
        code = re.sub(r"/\*.*?\*/", "", re.sub(r"//.*$", "", lines[i])).rstrip()
        if not m or code.endswith(";"):
            i += 1
            continue
        name, start = m.group(1), i + 1
        end = start
        while end < len(lines) and not lines[end].startswith("}"):
            end += 1
        inside = {t for t in targets if start <= t <= end + 1}
        if name.startswith("good_") and inside:
            problems.append(f"{path}:{min(inside)}: expectation inside {name} (good_* must stay silent)")
        if name.startswith("bad_") and not inside:
            problems.append(f"{path}:{start}: {name} has no expectation (bad_* must fire)")
        i = end + 1
    if problems:
        raise CaseError("\n".join(problems))


def run_rccheck(rccheck, include_dir, case, rc_args, cc_args):
    """Runs rccheck in the case's directory; returns (exit status, parsed JSON, stderr)."""
    case_dir = os.path.dirname(case) or "."
    # --show-guesses: a case tests the analysis, including findings that rest on what an unknown
    # function does (held back by default: cli_test.py's scenario `guesses` tests that)
    cmd = [rccheck, "--format=json", "--show-guesses"] + rc_args + [os.path.basename(case), "--",
                                                  "-I" + include_dir] + cc_args
    try:
        proc = subprocess.run(cmd, cwd=case_dir, capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CaseError(f"{case}: rccheck did not finish within {TIMEOUT} s: {shlex.join(cmd)}")
    if proc.returncode < 0 or proc.returncode not in (0, 1, 2):
        raise CaseError(f"{case}: rccheck exited with status {proc.returncode} "
                        f"(crash?)\n  command: {shlex.join(cmd)}\n  stderr: {proc.stderr.strip()}")
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise CaseError(f"{case}: rccheck output is not JSON ({e}); exit status "
                        f"{proc.returncode}\n  command: {shlex.join(cmd)}\n"
                        f"  stdout: {proc.stdout[:500]!r}\n  stderr: {proc.stderr.strip()}")
    return proc.returncode, doc, proc.stderr, cmd


def same_file(reported, case):
    if not isinstance(reported, str):
        return False
    case_dir = os.path.dirname(os.path.abspath(case))
    return os.path.normpath(os.path.join(case_dir, reported)) == os.path.abspath(case)


def check_standin_note(shown, doc):
    """The run without headers must say it used the stand-in, and the stand-in must have
    declared everything the case uses (0 parse errors ignored). Returns the problems."""
    notes = [n.get("message", "") for n in doc.get("incomplete") or [] if isinstance(n, dict)]
    degraded = [n for n in notes if STANDIN_NOTE in n]
    if len(degraded) != 1:
        print(f"{shown}: expected one degraded-analysis note (--python-include none), got {notes!r}")
        return 1
    if "(0 parse errors ignored)" not in degraded[0]:
        print(f"{shown}: the built-in Python.h stand-in lacks something this case uses: {degraded[0]}")
        return 1
    return 0


def compare(case, expected, no_diag, status, doc, stderr, cmd, standin=False):
    """Prints every difference; returns the number of problems."""
    problems = 0
    shown = os.path.relpath(case)
    if shown.startswith(".."):
        shown = case
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        print(f"{shown}: rccheck JSON has no 'findings' list")
        return 1
    if standin:
        problems += check_standin_note(shown, doc)
    errors = doc.get("errors") or []
    for err in errors:
        print(f"{shown}: rccheck reported an input error: {err}")
        problems += 1
    if status == 2 and not errors:
        print(f"{shown}: rccheck exited with status 2 (input error): {stderr.strip()}")
        problems += 1

    reported = collections.Counter()
    messages = collections.defaultdict(list)
    for f in doc["findings"]:
        if not isinstance(f, dict) or "id" not in f or "line" not in f:
            print(f"{shown}: malformed finding in rccheck JSON: {f!r}")
            problems += 1
            continue
        if not same_file(f.get("file"), case):
            # A finding in another file (a header?) can never be expected by this case.
            print(f"{f.get('file')}:{f.get('line')}: unexpected {f.get('id')} "
                  f"({f.get('message', '')}) [reported outside the case file]")
            problems += 1
            continue
        key = (f["id"], f["line"])
        reported[key] += 1
        messages[key].append(f"{f.get('message', '')}) [in {f.get('function', '?')}]")

    missing = expected - reported
    unexpected = reported - expected
    for (check_id, line), n in sorted(missing.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for _ in range(n):
            print(f"{shown}:{line}: missing {check_id}")
            problems += 1
    for (check_id, line), n in sorted(unexpected.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        msgs = messages[(check_id, line)]
        for i in range(n):
            print(f"{shown}:{line}: unexpected {check_id} ({msgs[-1 - i] if msgs else ')'}")
            problems += 1

    n_findings = sum(reported.values())
    if not errors and status != (1 if doc["findings"] else 0):
        print(f"{shown}: rccheck exited with status {status} with {len(doc['findings'])} "
              f"finding(s) (contract: 0 without findings, 1 with)")
        problems += 1
    if not expected and not no_diag:
        print(f"{shown}: no expectation compared: add expect-warning annotations or "
              f"`// expect-no-diagnostics`")
        problems += 1
    print(f"{shown}: {sum(expected.values())} expected, {n_findings} reported, "
          f"{sum(missing.values())} missing, {sum(unexpected.values())} unexpected")
    if problems:
        print(f"  command: (cd {shlex.quote(os.path.dirname(case) or '.')} && {shlex.join(cmd)})")
    return problems


def main(argv):
    standin = len(argv) > 1 and argv[1] == "--python-headers=none"
    if standin:
        argv = argv[:1] + argv[2:]
    if len(argv) != 4:
        print("usage: run_case.py [--python-headers=none] RCCHECK RUNTIME_INCLUDE_DIR CASE.c",
              file=sys.stderr)
        return 2
    rccheck = os.path.abspath(argv[1])
    include_dir = os.path.abspath(argv[2])
    case = os.path.abspath(argv[3])
    try:
        expected, no_diag, rc_args, cc_args = parse_case(case, standin)
        if standin:
            rc_args = ["--python-include", "none"] + rc_args
        status, doc, stderr, cmd = run_rccheck(rccheck, include_dir, case, rc_args, cc_args)
    except CaseSkipped as e:
        print(f"{case}: skipped: {e}")
        return SKIP
    except (CaseError, OSError) as e:
        print(e)
        return 1
    problems = compare(case, expected, no_diag, status, doc, stderr, cmd, standin)
    problems += check_complete(case, doc)
    return 1 if problems else 0


def check_complete(case, doc):
    """`// expect-complete`: no function of the case may stop on its budget."""
    with open(case, encoding="utf-8", errors="replace") as f:
        if not COMPLETE_RE.search(f.read()):
            return 0
    notes = [n.get("message", "") for n in (doc.get("incomplete") or []) if isinstance(n, dict)]
    for n in notes:
        print(f"{os.path.relpath(case)}: incomplete analysis (expect-complete): {n}")
    return len(notes)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
