#!/usr/bin/env python3
"""Command-line tests of rccheck: one scenario per run, each building its own temporary tree of
sources under the current directory (meson runs tests in the build directory).

Usage: cli_test.py SCENARIO RCCHECK RUNTIME_INCLUDE_DIR
       cli_test.py --list

Every scenario checks the contract of the CLI (see tests/analyzer/meson.build and the issue):
exit status 0 clean / 1 findings / 2 usage or input error (also when findings AND errors), error
messages `rccheck: error: PATH: message` on stderr naming the bad input, the other files still
analysed and reported, the JSON and SARIF 2.1.0 structures, --dump-cfg, suppression comments,
-p with compile_commands.json, -j. Set RCCHECK_KEEP_TMP=1 to keep the temporary trees.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import testlib  # tests/analyzer/testlib.py, next to this script
from testlib import check, line_of

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "schema", "sarif-schema-2.1.0.json")
TIMEOUT = 120
CHECK_IDS = ["rc-leak", "rc-double-release", "rc-use-after-release", "rc-release-borrowed",
             "rc-return-borrowed", "rc-unchecked-null", "rc-null-argument", "rc-inconsistent", "rc-traverse-incomplete",
             "rc-error-unset"]

RCCHECK = None
INCLUDE = None


class Stop(Exception):
    """A failed precondition: the rest of the scenario cannot run."""


# ---------------------------------------------------------------------------------------------
# Sources. Lines carrying a marker comment /*@name*/ are looked up with line_of().
# ---------------------------------------------------------------------------------------------

PRELUDE = "#include <rc/rc.h>\nextern const rc_type thing_type;\nint consume(rc_object *o);\n"

LEAK = PRELUDE + """
int bad_leak(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type); /*@acquire*/
	if (!obj) /*@branch1*/
		return -1;
	if (consume(obj) < 0) /*@branch2*/
		return -2; /*@leak*/
	rc_decref(obj);
	return 0;
}
"""

DOUBLE = PRELUDE + """
void bad_double(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return;
	rc_decref(obj);
	rc_decref(obj); /*@double*/
}
"""

UAR = PRELUDE + """
void bad_use(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return;
	rc_decref(obj);
	consume(obj); /*@use*/
}
"""

BORROWED = PRELUDE + """
void bad_release_param(rc_object *obj)
{
	rc_decref(obj); /*@release*/
}

RC_NEW_REF rc_object *bad_return_param(rc_object *obj)
{
	return obj; /*@return*/
}
"""

NULLCHK = PRELUDE + """
void bad_unchecked(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	rc_incref(obj); /*@null*/
	rc_decref(obj);
	rc_decref(obj);
}
"""

INCONSISTENT = PRELUDE + """
struct reg { rc_object *slot[2]; };
int bad_store(struct reg *r, rc_object *obj, int first)
{
	if (first) {
		rc_incref(obj);
		r->slot[0] = obj;
		return 0;
	}
	r->slot[1] = obj;
	return 0; /*@inconsistent*/
}
"""

CLEAN = PRELUDE + """
int good_clean(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	consume(obj);
	rc_decref(obj);
	return 0;
}
"""

BROKEN = PRELUDE + """
int broken(rc_heap *heap
{
	rc_object *obj = rc_new(heap, &thing_type)
	return obj ? 0 : ;
}
"""


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def run(args, cwd, include=True, env=None, guesses=True):
    """Runs rccheck ARGS [-- -I<runtime include>]; returns (status, stdout, stderr). env: variables
    set for this run (RCCHECK_PROGRESS is otherwise removed, so that stderr is as in CI).
    guesses: pass --show-guesses (the scenarios' helper `consume` is a function rccheck knows
    nothing about; scenario `guesses` tests the default, which holds such findings back)."""
    cmd = [RCCHECK] + (["--show-guesses"] if guesses else []) + list(args)
    if include:
        cmd += (["-I" + INCLUDE] if "--" in cmd else ["--", "-I" + INCLUDE])
    environ = {k: v for k, v in os.environ.items() if k != "RCCHECK_PROGRESS"}
    environ.update(env or {})
    try:
        # Bytes, decoded here: text mode would turn the '\r' of a progress line into '\n'.
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT, env=environ)
    except subprocess.TimeoutExpired:
        raise Stop(f"timeout after {TIMEOUT} s: {shlex.join(cmd)}")
    out = p.stdout.decode("utf-8", errors="replace")
    err = p.stderr.decode("utf-8", errors="replace")
    print(f"$ (cd {cwd} && {shlex.join(cmd)})  -> {p.returncode}")
    if p.returncode < 0 or p.returncode > 2:
        check(False, f"rccheck exits with 0, 1 or 2 (got {p.returncode}: crash?)", err)
    return p.returncode, out, err


def run_json(args, cwd, include=True, env=None, guesses=True):
    st, out, err = run(["--format=json"] + list(args), cwd, include, env, guesses)
    try:
        doc = json.loads(out)
    except json.JSONDecodeError as e:
        check(False, "--format=json prints one JSON document", f"{e}\nstdout: {out[:800]}\nstderr: {err}")
        raise Stop("no JSON")
    return st, doc, err


def found(doc, file_suffix=None):
    """Set of (basename, line, id) of a JSON document's findings."""
    out = set()
    for f in doc.get("findings", []):
        if file_suffix and not str(f.get("file", "")).endswith(file_suffix):
            continue
        out.add((os.path.basename(str(f.get("file"))), f.get("line"), f.get("id")))
    return out


def error_lines(stderr):
    return [l for l in stderr.splitlines() if l.startswith("rccheck: error: ")]


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------

def sc_exit_codes(tmp):
    write_tree(tmp, {"clean.c": CLEAN, "leak.c": LEAK})
    st, out, err = run(["clean.c"], tmp)
    check(st == 0, "a clean file exits 0", err)
    st, out, err = run(["leak.c"], tmp)
    check(st == 1, "a file with a finding exits 1", err)
    st, out, err = run(["leak.c", "clean.c"], tmp)
    check(st == 1, "findings in one of two files exit 1", err)
    st, out, err = run(["nope.c"], tmp)
    check(st == 2, "a missing file exits 2", err)
    st, out, err = run(["leak.c", "nope.c"], tmp)
    check(st == 2, "findings AND an input error exit 2", err)
    check(f"leak.c:{line_of(LEAK, 'leak')}:" in out,
          "the finding is still reported when another input fails", out)
    st, out, err = run([], tmp, include=False)
    check(st == 2 and err.strip(), "no PATH (and no -p) is a usage error (2, with a message)", err)
    st, out, err = run(["--no-such-option", "clean.c"], tmp)
    check(st == 2 and err.strip(), "an unknown option is a usage error", err)
    st, out, err = run(["--format=xml", "clean.c"], tmp)
    check(st == 2 and err.strip(), "--format=xml is a usage error", err)
    for bad in (["-j", "0"], ["-j", "many"], ["-j"]):
        st, out, err = run(bad + ["clean.c"], tmp)
        check(st == 2 and err.strip(), f"{' '.join(bad)} is a usage error", err)
    st, out, err = run(["-o"], tmp, include=False)
    check(st == 2, "-o without a file is a usage error", err)


def sc_help_version(tmp):
    st, out, err = run(["--help"], tmp, include=False)
    text = out + err
    check(st == 0, "--help exits 0", err)
    for opt in ("-p", "-j", "--format", "-o", "--model", "--dump-cfg", "--version"):
        check(re.search(r"(^|\s|\[)" + re.escape(opt) + r"\b", text) is not None,
              f"--help mentions {opt}", text)
    check(re.search(r"usage", text, re.I) is not None, "--help prints a usage line", text)
    st, out, err = run(["--list-checks"], tmp, include=False)
    check(st == 0 and all(i in out for i in CHECK_IDS), "--list-checks lists every check ID", out + err)
    st, out, err = run(["--version"], tmp, include=False)
    check(st == 0 and "0.1.0" in out and "rccheck" in out,
          "--version exits 0 and prints 'rccheck' and 0.1.0", out + err)


def sc_bad_path(tmp):
    write_tree(tmp, {"src/leak.c": LEAK, "src/clean.c": CLEAN})
    st, out, err = run(["src/missing.c"], tmp)
    errs = error_lines(err)
    check(st == 2 and any("src/missing.c" in l for l in errs),
          "a missing file: exit 2 and `rccheck: error: src/missing.c: ...`", err)
    st, out, err = run(["does/not/exist"], tmp)
    check(st == 2 and any("does/not/exist" in l for l in error_lines(err)),
          "a missing directory: exit 2 and a message naming it", err)
    st, out, err = run(["src/missing.c", "src/leak.c", "src/clean.c"], tmp)
    check(st == 2, "missing file among good ones: exit 2", err)
    check(any("src/missing.c" in l for l in error_lines(err)), "the message names the missing file", err)
    check(not any("leak.c" in l for l in error_lines(err)), "no error names a good file", err)
    check(f"src/leak.c:{line_of(LEAK, 'leak')}:" in out and "[rc-leak]" in out,
          "the good files are still analysed and their findings reported", out)
    st, doc, err = run_json(["src/missing.c", "src/leak.c"], tmp)
    errors = doc.get("errors", [])
    check(st == 2 and len(errors) == 1 and "src/missing.c" in str(errors[0].get("file", "")),
          "JSON: errors[] has one entry naming the missing file", json.dumps(errors))
    check(("leak.c", line_of(LEAK, "leak"), "rc-leak") in found(doc),
          "JSON: the good file's finding is present", json.dumps(doc.get("findings")))


def sc_syntax_error_tree(tmp):
    write_tree(tmp, {"tree/a/one.c": LEAK, "tree/b/broken.c": BROKEN,
                     "tree/c/two.c": DOUBLE, "tree/c/three.c": CLEAN})
    st, out, err = run(["tree"], tmp)
    check(st == 2, "a tree with a file that does not parse exits 2", f"status {st}\n{err}")
    errs = error_lines(err)
    check(any("broken.c" in l for l in errs),
          "stderr has `rccheck: error: ...broken.c: ...`", err)
    check(not any(("one.c" in l or "two.c" in l or "three.c" in l) for l in errs),
          "no error names a good file", err)
    check(f"tree/a/one.c:{line_of(LEAK, 'leak')}:" in out,
          "the finding of tree/a/one.c is reported (path as walked)", out)
    check(f"tree/c/two.c:{line_of(DOUBLE, 'double')}:" in out,
          "the finding of tree/c/two.c is reported", out)
    st, doc, err = run_json(["tree"], tmp)
    check(st == 2, "JSON run exits 2 as well", err)
    errors = doc.get("errors", [])
    check(len(errors) >= 1 and all(str(e.get("file", "")).endswith("tree/b/broken.c")
                                   and str(e.get("message", "")).strip() for e in errors),
          "JSON errors[] has entries (one per diagnostic is fine) naming broken.c, with a message",
          json.dumps(errors))
    check(found(doc) == {("one.c", line_of(LEAK, "leak"), "rc-leak"),
                         ("two.c", line_of(DOUBLE, "double"), "rc-double-release")},
          "JSON findings are exactly those of the good files", json.dumps(doc.get("findings")))
    summ = doc.get("summary", {})
    check(summ.get("failed_files") == 1, "summary.failed_files == 1", json.dumps(summ))
    check(summ.get("files") in (3, 4), "summary.files counts the files walked", json.dumps(summ))


def sc_broken_compdb(tmp):
    write_tree(tmp, {"src/leak.c": LEAK})
    cases = {
        "bad-json": "[{ this is not json",
        "not-array": '{"directory": "/", "file": "x.c"}',
        "empty-file": "",
    }
    for name, text in cases.items():
        write_tree(tmp, {f"{name}/compile_commands.json": text})
        st, out, err = run(["-p", name], tmp, include=False)
        check(st == 2 and any("compile_commands.json" in l for l in error_lines(err)),
              f"-p with a broken database ({name}): exit 2, the message names compile_commands.json",
              err)
    os.makedirs(os.path.join(tmp, "nodb"), exist_ok=True)
    st, out, err = run(["-p", "nodb"], tmp, include=False)
    check(st == 2 and err.strip(), "-p DIR without compile_commands.json: exit 2 with a message", err)
    st, out, err = run(["-p", "no/such/dir"], tmp, include=False)
    check(st == 2 and any("no/such/dir" in l for l in error_lines(err)),
          "-p with a missing directory: exit 2 naming it", err)
    # A valid database whose second entry names a file that does not exist.
    src = os.path.join(tmp, "src")
    db = [{"directory": src, "file": "leak.c",
           "arguments": ["cc", "-I" + INCLUDE, "-c", "leak.c"]},
          {"directory": src, "file": "gone.c",
           "arguments": ["cc", "-I" + INCLUDE, "-c", "gone.c"]}]
    write_tree(tmp, {"halfdb/compile_commands.json": json.dumps(db)})
    st, out, err = run(["-p", "halfdb"], tmp, include=False)
    check(st == 2 and any("gone.c" in l for l in error_lines(err)),
          "an entry naming a missing file: exit 2, the message names it", err)
    check(f"leak.c:{line_of(LEAK, 'leak')}:" in out, "the other entry is still analysed", out)
    # One malformed entry is named and skipped; the others are analysed (issue 12: the whole
    # database was rejected).
    db = [{"directory": src, "file": "leak.c", "arguments": ["cc", "-I" + INCLUDE, "-c", "leak.c"]},
          {"directory": src, "command": "cc -c nofile.c"}, 42]
    write_tree(tmp, {"oddb/compile_commands.json": json.dumps(db)})
    st, out, err = run(["-p", "oddb"], tmp, include=False)
    check(st == 2 and any("entry 1 " in l for l in error_lines(err)) and any("entry 2 " in l for l in error_lines(err))
          and f"leak.c:{line_of(LEAK, 'leak')}:" in out,
          "a database with malformed entries: each named, exit 2, the good entry analysed", f"{st}\n{out}\n{err}")
    # A relative "directory" is relative to the database's folder (clang's tooling), not to
    # the working directory of rccheck.
    db = [{"directory": "../src", "file": "leak.c", "arguments": ["cc", "-I" + INCLUDE, "-c", "leak.c"]}]
    write_tree(tmp, {"reldb/compile_commands.json": json.dumps(db)})
    for cwd in (tmp, os.path.join(tmp, "reldb")):
        st, out, err = run(["-p", os.path.join(tmp, "reldb")], cwd, include=False)
        check(st == 1 and "leak.c:" in out and "[rc-leak]" in out,
              f"a relative \"directory\" is taken from the database's folder (run from {os.path.relpath(cwd, tmp)})",
              f"{st}\n{out}\n{err}")


WARN_RE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): warning: (?P<msg>.+) \[(?P<id>rc-[a-z-]+)\]$")
NOTE_RE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): note: (?P<msg>.+)$")


def sc_text_format(tmp):
    write_tree(tmp, {"src/leak.c": LEAK, "src/double.c": DOUBLE})
    st, out, err = run(["src/leak.c", "src/double.c"], tmp)
    check(st == 1, "exit 1 with findings", err)
    lines = [l for l in out.splitlines() if l.strip()]
    warns = [WARN_RE.match(l) for l in lines]
    warns = [m for m in warns if m]
    check(len(warns) == 2, "two warning lines `path:line:col: warning: MESSAGE [rc-ID]`", out)
    by_id = {m.group("id"): m for m in warns}
    m = by_id.get("rc-leak")
    check(m is not None and m.group("path") == "src/leak.c"
          and int(m.group("line")) == line_of(LEAK, "leak") and int(m.group("col")) >= 1,
          "the leak is reported on the return that loses it, path as given", out)
    m = by_id.get("rc-double-release")
    check(m is not None and m.group("path") == "src/double.c"
          and int(m.group("line")) == line_of(DOUBLE, "double"),
          "the double release is reported on the second release", out)
    # Notes follow their warning: where acquired, the branches taken, where lost.
    notes_after_leak = []
    seen_leak = False
    for l in lines:
        if WARN_RE.match(l):
            seen_leak = "[rc-leak]" in l
            continue
        n = NOTE_RE.match(l)
        if n and seen_leak:
            notes_after_leak.append(n)
    check(notes_after_leak, "the leak warning is followed by note lines", out)
    check(any(int(n.group("line")) == line_of(LEAK, "acquire") for n in notes_after_leak),
          "a note points at the acquisition (rc_new line)", out)
    check(all(n.group("path") == "src/leak.c" for n in notes_after_leak),
          "the notes name the file as given", out)
    for b in ("branch1", "branch2"):
        check(any(int(n.group("line")) == line_of(LEAK, b) for n in notes_after_leak),
              f"a note shows the branch taken at line {line_of(LEAK, b)}", out)
    for l in lines:
        if l.startswith("src/"):
            check(WARN_RE.match(l) or NOTE_RE.match(l), f"a line naming a file is a warning or a note: {l!r}")
    st, out, err = run(["src/none.c"], tmp)
    check(re.search(r"^rccheck: error: src/none\.c: \S", err, re.M) is not None,
          "errors print as `rccheck: error: path: message`", err)


def check_finding_shape(f, where):
    ok = isinstance(f, dict)
    ok = ok and f.get("id") in CHECK_IDS and f.get("severity") == "warning"
    ok = ok and isinstance(f.get("message"), str) and f["message"].strip() != ""
    ok = ok and isinstance(f.get("file"), str)
    ok = ok and isinstance(f.get("line"), int) and f["line"] >= 1
    ok = ok and isinstance(f.get("column"), int) and f["column"] >= 1
    ok = ok and isinstance(f.get("function"), str) and f["function"] != ""
    ok = ok and isinstance(f.get("path"), list)
    if ok:
        for step in f["path"]:
            ok = ok and isinstance(step, dict) and isinstance(step.get("file"), str)
            ok = ok and isinstance(step.get("line"), int) and isinstance(step.get("column"), int)
            ok = ok and isinstance(step.get("message"), str) and step["message"] != ""
    check(ok, f"finding has the contract's fields and types ({where})", json.dumps(f, indent=1))


def sc_json_output(tmp):
    files = {"src/leak.c": LEAK, "src/double.c": DOUBLE, "src/uar.c": UAR,
             "src/borrowed.c": BORROWED, "src/null.c": NULLCHK, "src/clean.c": CLEAN,
             "src/inconsistent.c": INCONSISTENT}
    write_tree(tmp, files)
    paths = sorted(files)
    st, doc, err = run_json(paths, tmp)
    check(st == 1, "exit 1 with findings", err)
    check(doc.get("tool") == "rccheck" and doc.get("version") == "0.1.0",
          "tool and version", json.dumps({k: doc.get(k) for k in ("tool", "version")}))
    check(doc.get("errors") == [], "errors is an empty list", json.dumps(doc.get("errors")))
    findings = doc.get("findings")
    check(isinstance(findings, list), "findings is a list")
    for f in findings or []:
        check_finding_shape(f, f"{f.get('file')}:{f.get('line')}")
    expect = {("leak.c", line_of(LEAK, "leak"), "rc-leak"),
              ("double.c", line_of(DOUBLE, "double"), "rc-double-release"),
              ("uar.c", line_of(UAR, "use"), "rc-use-after-release"),
              ("borrowed.c", line_of(BORROWED, "release"), "rc-release-borrowed"),
              ("borrowed.c", line_of(BORROWED, "return"), "rc-return-borrowed"),
              ("null.c", line_of(NULLCHK, "null"), "rc-unchecked-null"),
              ("inconsistent.c", line_of(INCONSISTENT, "inconsistent"), "rc-inconsistent")}
    got = found(doc)
    check(got == expect, "exactly the expected (file, line, id) findings",
          f"missing: {sorted(expect - got)}\nunexpected: {sorted(got - expect)}")
    for f in findings or []:
        check(f.get("file") in paths, f"file is the path as given ({f.get('file')})")
    leak = [f for f in findings or [] if f.get("id") == "rc-leak"]
    if leak:
        f = leak[0]
        check(f.get("function") == "bad_leak", "function names the enclosing function", f.get("function"))
        steps = f.get("path", [])
        check(any(s.get("line") == line_of(LEAK, "acquire") and "rc_new" in s.get("message", "")
                  for s in steps),
              "path has the acquisition step naming rc_new", json.dumps(steps, indent=1))
        check(len(steps) >= 2, "path has the acquisition and at least one more step (branch/loss)",
              json.dumps(steps, indent=1))
        check(all(s.get("file") == "src/leak.c" for s in steps), "path steps name the file as given")
        lines = [s.get("line") for s in steps]
        check(lines == sorted(lines), "path steps are in execution order (here: line order)", lines)
    summ = doc.get("summary", {})
    check(summ.get("files") == len(paths), "summary.files == number of files", json.dumps(summ))
    check(isinstance(summ.get("functions"), int) and summ["functions"] >= 8,
          "summary.functions counts the functions analysed", json.dumps(summ))
    check(summ.get("findings") == len(findings or []), "summary.findings == len(findings)",
          json.dumps(summ))
    by_id = summ.get("by_id", {})
    check(isinstance(by_id, dict) and sum(by_id.values()) == len(findings or [])
          and all(by_id.get(i, 0) == sum(1 for f in findings if f["id"] == i) for i in CHECK_IDS),
          "summary.by_id counts each ID", json.dumps(by_id))
    check(summ.get("failed_files") == 0, "summary.failed_files == 0", json.dumps(summ))
    check(isinstance(summ.get("seconds"), (int, float)) and summ["seconds"] >= 0,
          "summary.seconds is a number", json.dumps(summ))
    st, doc, err = run_json(["src/clean.c"], tmp)
    check(st == 0 and doc.get("findings") == [] and doc.get("summary", {}).get("findings") == 0,
          "a clean file: exit 0, empty findings", json.dumps(doc))


def sc_sarif(tmp):
    try:
        import jsonschema
    except ImportError:
        check(False, "python3-jsonschema is importable (Debian package python3-jsonschema)")
        return
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    files = {"src/leak.c": LEAK, "src/double.c": DOUBLE, "src/uar.c": UAR,
             "src/borrowed.c": BORROWED, "src/null.c": NULLCHK, "src/clean.c": CLEAN}
    write_tree(tmp, files)
    paths = sorted(files)
    st, out, err = run(["--format=sarif"] + paths, tmp)
    check(st == 1, "exit 1 with findings", err)
    try:
        log = json.loads(out)
    except json.JSONDecodeError as e:
        check(False, "--format=sarif prints JSON", f"{e}\n{out[:500]}")
        return
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    check(not errors, "the SARIF log validates against sarif-schema-2.1.0.json",
          "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10]))
    check(log.get("version") == "2.1.0", "version is 2.1.0")
    runs = log.get("runs", [])
    check(len(runs) == 1, "exactly one run")
    if not runs:
        return
    run0 = runs[0]
    driver = run0.get("tool", {}).get("driver", {})
    check(driver.get("name") == "rccheck", "tool.driver.name is rccheck", json.dumps(driver)[:300])
    rule_ids = [r.get("id") for r in driver.get("rules", [])]
    check(all(i in rule_ids for i in CHECK_IDS), "driver.rules has every check ID", rule_ids)
    results = run0.get("results", [])
    st2, doc, _ = run_json(paths, tmp)
    json_paths = {(os.path.basename(f["file"]), f["line"], f["id"]): f.get("path", [])
                  for f in doc.get("findings", [])}
    check(len(results) == len(doc.get("findings", [])), "as many results as JSON findings",
          f"{len(results)} vs {len(doc.get('findings', []))}")
    got = set()
    for r in results:
        # level: warning, or note for a low-severity path (only out of memory)
        low = r.get("properties", {}).get("severity") == "low"
        check(r.get("ruleId") in rule_ids and r.get("level") == ("note" if low else "warning")
              and str(r.get("message", {}).get("text", "")).strip(),
              f"result has ruleId, level by severity, message.text ({r.get('ruleId')})", json.dumps(r)[:400])
        locs = r.get("locations", [])
        if not check(len(locs) >= 1, "result has a location"):
            continue
        pl = locs[0].get("physicalLocation", {})
        uri = pl.get("artifactLocation", {}).get("uri", "")
        region = pl.get("region", {})
        check(isinstance(region.get("startLine"), int) and isinstance(region.get("startColumn"), int),
              "region has startLine and startColumn", json.dumps(pl))
        got.add((os.path.basename(uri), region.get("startLine"), r.get("ruleId")))
        flows = r.get("codeFlows", [])
        tf = flows[0].get("threadFlows", []) if flows else []
        tlocs = tf[0].get("locations", []) if tf else []
        key = (os.path.basename(uri), region.get("startLine"), r.get("ruleId"))
        notes = json_paths.get(key, [])
        # A finding without notes (e.g. a released parameter) may have no codeFlows at all:
        # SARIF requires at least one location in a threadFlow.
        check(len(tlocs) == len(notes)
              and all("physicalLocation" in t.get("location", {}) for t in tlocs)
              and [t["location"]["physicalLocation"].get("region", {}).get("startLine")
                   for t in tlocs] == [n.get("line") for n in notes],
              f"codeFlows[0].threadFlows[0].locations are the path notes ({key})",
              json.dumps(flows)[:400] + "\nJSON path: " + json.dumps(notes)[:400])
    check(got == found(doc), "SARIF results match the JSON findings (file, line, id)",
          f"sarif: {sorted(got)}\njson: {sorted(found(doc))}")
    # SARIF 2.1.0 (3.10.2): artifactLocation.uri is a URI reference, so a path with a space or a
    # '%' must be percent-encoded (the schema's "format": "uri-reference" is not checked by the
    # validator, hence this explicit test).
    from urllib.parse import unquote
    write_tree(tmp, {"odd dir/a b%.c": LEAK})
    st, out, err = run(["--format=sarif", "odd dir/a b%.c"], tmp)
    try:
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]]
    except (json.JSONDecodeError, KeyError, IndexError) as e:
        uris = [f"<{e}>"]
    check(len(uris) == 1 and " " not in uris[0] and re.fullmatch(r"([^%]|%[0-9A-Fa-f]{2})*", uris[0])
          and unquote(uris[0]).endswith("odd dir/a b%.c"),
          "artifactLocation.uri is percent-encoded (space, '%')", uris)
    # A run with an input error is still a valid log.
    write_tree(tmp, {"src2/broken.c": BROKEN, "src2/leak.c": LEAK})
    st, out, err = run(["--format=sarif", "src2"], tmp)
    try:
        log = json.loads(out)
        errors = list(validator.iter_errors(log))
        check(st == 2 and not errors, "with a file that fails to parse: exit 2 and a valid SARIF log",
              "\n".join(e.message for e in errors[:5]))
    except json.JSONDecodeError as e:
        check(False, "with a file that fails to parse: still a SARIF log on stdout", str(e))


def sc_output_file(tmp):
    write_tree(tmp, {"leak.c": LEAK})
    st, out, err = run(["--format=json", "-o", "report.json", "leak.c"], tmp)
    check(st == 1, "exit status is unchanged by -o", err)
    check(out.strip() == "", "nothing on stdout with -o", out)
    try:
        with open(os.path.join(tmp, "report.json"), encoding="utf-8") as f:
            doc = json.load(f)
        check(found(doc) == {("leak.c", line_of(LEAK, "leak"), "rc-leak")}, "the file holds the report")
    except (OSError, json.JSONDecodeError) as e:
        check(False, "-o FILE writes the JSON report", str(e))
    st, out, err = run(["-o", "report.txt", "leak.c"], tmp)
    with open(os.path.join(tmp, "report.txt"), encoding="utf-8") as f:
        text = f.read()
    check(st == 1 and "[rc-leak]" in text, "-o works for the text format", text)
    st, out, err = run(["-o", "no/such/dir/report.txt", "leak.c"], tmp)
    check(st == 2 and "no/such/dir/report.txt" in err, "an unwritable -o FILE: exit 2 naming it", err)


# --dump-cfg: one function per statement form, with what its CFG must contain. The format is
# docs/analyzer.md's: a header line per function naming it, then one line per node
# `INDEX: [LINE] OPERATION -> SUCC[, SUCC]`. The checks are structural (counts of branches,
# returns, back edges, calls), not a golden text.
CFG_SRC = PRELUDE + """
#include <stdlib.h>
int cond(void);
void straight(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	rc_xdecref(o);
}
int if_else(rc_object *o)
{
	if (cond())
		consume(o);
	else
		consume(o);
	return 0;
}
int while_loop(rc_object *o)
{
	while (cond())
		consume(o);
	return 1;
}
int for_loop(rc_object *o)
{
	for (int i = 0; i < 10; i++)
		consume(o);
	return 2;
}
int do_while(rc_object *o)
{
	do
		consume(o);
	while (cond());
	return 3;
}
int switch_stmt(int k, rc_object *o)
{
	switch (k) {
	case 1:
		consume(o);
		/* fall through */
	case 2:
		return 1;
	case 3:
		break;
	default:
		return 4;
	}
	return 0;
}
int goto_back(rc_object *o)
{
again:
	if (consume(o) < 0)
		goto again;
	return 0;
}
int goto_cleanup(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		goto out;
	consume(o);
out:
	rc_xdecref(o);
	return 0;
}
int and_or(rc_object *a, rc_object *b)
{
	if ((a && consume(a)) || (b && consume(b)))
		return 1;
	return 0;
}
int ternary(rc_object *a, rc_object *b)
{
	return consume(cond() ? a : b);
}
int break_continue(rc_object *o)
{
	for (;;) {
		if (cond())
			continue;
		if (consume(o))
			break;
	}
	return 0;
}
int stmt_expr(rc_object *o)
{
	return ({ int t = consume(o); t + 1; });
}
void no_return(rc_object *o)
{
	if (!o)
		abort();
	consume(o);
}
"""

NODE_RE = re.compile(r"^\s*(\d+)\s*:\s*\[(\d+)\]\s*(.*?)\s*(?:->\s*(-?\d+)(?:\s*,\s*(-?\d+))?)?\s*$")


def parse_dump(text, names):
    """{function name: [(index, line, text, [successors])]} for the named functions."""
    sections = {}
    current = None
    for line in text.splitlines():
        m = NODE_RE.match(line)
        if m and current is not None:
            succ = [int(s) for s in (m.group(4), m.group(5)) if s is not None and int(s) >= 0]
            sections[current].append((int(m.group(1)), int(m.group(2)), m.group(3), succ))
            continue
        # Any other line starts a new function (or something this test does not look at, such
        # as the runtime header's inline functions).
        words = set(re.findall(r"[A-Za-z_]\w*", line))
        hit = [n for n in names if n in words]
        current = hit[0] if hit and not m else None
        if current is not None:
            sections[current] = []
    return sections


def sc_dump_cfg(tmp):
    write_tree(tmp, {"forms.c": CFG_SRC})
    names = ["straight", "if_else", "while_loop", "for_loop", "do_while", "switch_stmt", "goto_back",
             "goto_cleanup", "and_or", "ternary", "break_continue", "stmt_expr", "no_return"]
    st, out, err = run(["--dump-cfg", "forms.c"], tmp)
    check(st == 0, "--dump-cfg exits 0", err)
    check("[rc-" not in out, "--dump-cfg prints CFGs instead of findings", out[:500])
    cfgs = parse_dump(out, names)
    for n in names:
        check(n in cfgs and len(cfgs[n]) >= 2, f"a CFG for {n} with nodes", out[:2000])
    src_lines = CFG_SRC.split("\n")

    def branches(n):
        return [x for x in cfgs.get(n, []) if len(x[3]) == 2]

    def back_edges(n):
        return [x for x in cfgs.get(n, []) if any(s <= x[0] for s in x[3])]

    def has(n, word):
        return any(re.search(word, x[2]) for x in cfgs.get(n, []))

    def returns(n):
        return [x for x in cfgs.get(n, []) if re.search(r"\breturn\b", x[2])]

    for n, nodes in cfgs.items():
        idx = {x[0] for x in nodes}
        check(all(s in idx for x in nodes for s in x[3]), f"{n}: every edge targets a node")
        check(nodes and nodes[0][0] == 0, f"{n}: the entry is node 0")
        first = next(i for i, l in enumerate(src_lines, 1) if re.match(rf"^\w.*\b{n}\(", l))
        last = next(i for i in range(first, len(src_lines) + 1) if src_lines[i - 1] == "}")
        check(all(first <= x[1] <= last for x in nodes if x[1] > 0),
              f"{n}: node lines lie within the function ({first}-{last})",
              [x[1] for x in nodes])
    check(not branches("straight") and not back_edges("straight"), "straight: no branch, no loop")
    check(has("straight", r"rc_new") and has("straight", r"rc_xdecref"), "straight: both calls shown")
    check(len(branches("if_else")) == 1 and not back_edges("if_else"), "if_else: one branch, no loop")
    for n in ("while_loop", "for_loop", "do_while", "goto_back", "break_continue"):
        check(len(back_edges(n)) >= 1, f"{n}: a back edge")
    check(len(branches("while_loop")) == 1 and len(branches("for_loop")) == 1
          and len(branches("do_while")) == 1, "each simple loop has exactly one branch (its condition)")
    check(len(branches("switch_stmt")) >= 3, "switch_stmt: one branch per case at least (3 cases)")
    check(len(returns("switch_stmt")) >= 3, "switch_stmt: its three returns")
    check(len(branches("goto_cleanup")) == 1 and not back_edges("goto_cleanup"),
          "goto_cleanup: one branch (the NULL check), forward goto only")
    check(len(branches("and_or")) >= 4, "and_or: a branch per operand of && and ||")
    check(len(branches("ternary")) >= 1, "ternary: the ?: branch", cfgs.get("ternary"))
    check(len(branches("break_continue")) >= 2, "break_continue: branches for continue and break")
    check(has("stmt_expr", r"consume"), "stmt_expr: the call inside the statement expression")
    check(any("abort" in x[2] and not x[3] for x in cfgs.get("no_return", [])),
          "no_return: the abort() node has no successor")


SUPPRESS = PRELUDE + """
int bad_one(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; // rccheck: ignore[rc-leak]
}
int bad_two(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	// rccheck: ignore[rc-leak]
	return 0;
}
int bad_three(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; /* rccheck: ignore[rc-double-release, rc-leak] */
}
int bad_four(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; // rccheck: ignore[*]
}
int bad_five(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; /*@wrong-id*/ // rccheck: ignore[rc-double-release]
}
int bad_six(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	// rccheck: ignore[rc-leak]

	return 0; /*@too-far*/
}
void bad_seven(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return;
	rc_decref(o);
	rc_decref(o); // rccheck: ignore[rc-double-release]
}
int bad_eight(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; /* rccheck: ignore[rc-leak] the registry owns it, see reg_put */
}
"""


def sc_suppression(tmp):
    write_tree(tmp, {"s.c": SUPPRESS, "all.c": PRELUDE + """
int bad_all(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; // rccheck: ignore[rc-leak]
}
"""})
    st, doc, err = run_json(["s.c"], tmp)
    want = {("s.c", line_of(SUPPRESS, "wrong-id"), "rc-leak"),
            ("s.c", line_of(SUPPRESS, "too-far"), "rc-leak")}
    got = found(doc)
    check(got == want,
          "suppressed: same line, line above, comma list, block comment, '*', other IDs, "
          "trailing explanation; "
          "not suppressed: wrong ID, comment two lines above",
          f"missing: {sorted(want - got)}\nunexpected: {sorted(got - want)}")
    check(st == 1, "findings left after suppression: exit 1", err)
    st, out, err = run(["all.c"], tmp)
    check(st == 0 and "[rc-" not in out, "every finding suppressed: exit 0, nothing printed", out + err)


COMPDB_SRC = PRELUDE + """
#ifdef WANT_LEAK
int bad_maybe_leak(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; /*@leak*/
}
#endif
#if defined(WANT_DOUBLE)
void bad_maybe_double(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return;
	rc_decref(o);
	rc_decref(o); /*@double*/
}
#endif
int good_always(void) { return 0; }
"""


def write_compdb(tmp, entries):
    db = []
    for rel, flags, style in entries:
        d = os.path.join(tmp, os.path.dirname(rel))
        base = os.path.basename(rel)
        args = ["cc", "-I" + INCLUDE] + flags + ["-c", base, "-o", base + ".o"]
        e = {"directory": d, "file": base if style != "abs" else os.path.join(d, base)}
        if style == "command":
            e["command"] = shlex.join(args)
        else:
            e["arguments"] = args
        db.append(e)
    write_tree(tmp, {"build/compile_commands.json": json.dumps(db, indent=1)})


def sc_compdb(tmp):
    files = {"src/a.c": COMPDB_SRC, "src/b.c": COMPDB_SRC, "src/c.c": COMPDB_SRC, "src/d.c": COMPDB_SRC}
    write_tree(tmp, files)
    write_compdb(tmp, [("src/a.c", ["-DWANT_LEAK"], "arguments"),
                       ("src/b.c", [], "command"),
                       ("src/c.c", ["-DWANT_DOUBLE"], "command"),
                       ("src/d.c", ["-DWANT_LEAK", "-DWANT_DOUBLE"], "abs")])
    leak, double = line_of(COMPDB_SRC, "leak"), line_of(COMPDB_SRC, "double")
    st, doc, err = run_json(["-p", "build"], tmp, include=False)
    want = {("a.c", leak, "rc-leak"), ("c.c", double, "rc-double-release"),
            ("d.c", leak, "rc-leak"), ("d.c", double, "rc-double-release")}
    got = found(doc)
    check(st == 1 and got == want, "-p without PATH: every entry, each with its own -D flags",
          f"status {st}\nmissing: {sorted(want - got)}\nunexpected: {sorted(got - want)}\n{err}")
    check(doc.get("summary", {}).get("files") == 4, "summary.files == 4 entries",
          json.dumps(doc.get("summary")))
    st, doc, err = run_json(["-p", "build", "src/b.c"], tmp, include=False)
    check(st == 0 and found(doc) == set(), "-p with PATH src/b.c: only b.c, with its flags (clean)",
          json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["-p", "build", "src/b.c", "--", "-DWANT_LEAK"], tmp, include=False)
    check(found(doc) == {("b.c", leak, "rc-leak")},
          "-p with arguments after --: appended to the entry's flags", json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["-p", "build", "src/c.c"], tmp, include=False)
    check(found(doc) == {("c.c", double, "rc-double-release")},
          "-p with PATH src/c.c: c.c's own -DWANT_DOUBLE applies", json.dumps(doc.get("findings")))
    st, doc, err = run_json(["src/a.c"], tmp)
    check(st == 0 and found(doc) == set(), "without -p the file's -D flags are absent (clean)",
          json.dumps(doc.get("findings")) + err)
    # Flags in a response file (@file, relative to the entry's directory), as CMake writes them.
    write_tree(tmp, {"src/flags.rsp": f"-I{INCLUDE} -DWANT_LEAK\n",
                     "rsp/compile_commands.json": json.dumps([{
                         "directory": os.path.join(tmp, "src"), "file": "a.c",
                         "arguments": ["cc", "@flags.rsp", "-c", "a.c", "-o", "a.o"]}])})
    st, doc, err = run_json(["-p", "rsp"], tmp, include=False)
    check(found(doc) == {("a.c", leak, "rc-leak")}, "flags from a response file (@flags.rsp)",
          json.dumps(doc.get("findings")) + err)


def sc_compdb_dir(tmp):
    write_tree(tmp, {"src/x/a.c": COMPDB_SRC, "src/x/deep/b.c": COMPDB_SRC, "src/y/c.c": COMPDB_SRC})
    write_compdb(tmp, [("src/x/a.c", ["-DWANT_LEAK"], "arguments"),
                       ("src/x/deep/b.c", ["-DWANT_DOUBLE"], "arguments"),
                       ("src/y/c.c", ["-DWANT_LEAK"], "arguments")])
    st, doc, err = run_json(["-p", "build", "src/x"], tmp, include=False)
    got = found(doc)
    want = {("a.c", line_of(COMPDB_SRC, "leak"), "rc-leak"),
            ("b.c", line_of(COMPDB_SRC, "double"), "rc-double-release")}
    check(st == 1 and got == want, "-p with a directory PATH selects the entries under it",
          f"missing: {sorted(want - got)}\nunexpected: {sorted(got - want)}\n{err}")
    st, doc, err = run_json(["-p", "build", "src/y"], tmp, include=False)
    check(found(doc) == {("c.c", line_of(COMPDB_SRC, "leak"), "rc-leak")},
          "-p with src/y selects only c.c", json.dumps(doc.get("findings")))


def sc_compdb_file(tmp):
    """-p takes the database file itself, named compile_commands.json or not (a relative
    "directory" is then relative to that file's folder), and refuses what is neither."""
    write_tree(tmp, {"src/a.c": COMPDB_SRC, "src/b.c": COMPDB_SRC})
    write_compdb(tmp, [("src/a.c", ["-DWANT_LEAK"], "arguments"), ("src/b.c", ["-DWANT_DOUBLE"], "command")])
    want = {("a.c", line_of(COMPDB_SRC, "leak"), "rc-leak"), ("b.c", line_of(COMPDB_SRC, "double"), "rc-double-release")}
    st, doc, err = run_json(["-p", "build"], tmp, include=False)
    check(st == 1 and found(doc) == want, "-p build (the directory): both entries", err)
    st, doc, err = run_json(["-p", "build/compile_commands.json"], tmp, include=False)
    check(st == 1 and found(doc) == want, "-p build/compile_commands.json: the same", json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["-p", os.path.join(tmp, "build", "compile_commands.json"), "src/a.c"], tmp, include=False)
    check(st == 1 and found(doc) == {("a.c", line_of(COMPDB_SRC, "leak"), "rc-leak")},
          "-p ABSOLUTE/compile_commands.json with a PATH selects its entry", json.dumps(doc.get("findings")) + err)
    with open(os.path.join(tmp, "build", "compile_commands.json")) as f:
        db = json.load(f)
    for e in db:
        e["directory"] = os.path.relpath(e["directory"], os.path.join(tmp, "cdb"))
    write_tree(tmp, {"cdb/other-name.json": json.dumps(db)})
    st, doc, err = run_json(["-p", "cdb/other-name.json"], tmp, include=False)
    check(st == 1 and found(doc) == want and not doc.get("errors"),
          "-p with a database named otherwise, relative directories: taken from its folder",
          json.dumps(doc.get("findings")) + err)
    write_tree(tmp, {"here.json": json.dumps([dict(e, directory=os.path.join(tmp, "src")) for e in db])})
    st, doc, err = run_json(["-p", "here.json"], tmp, include=False)
    check(st == 1 and found(doc) == want, "-p with a database in the working directory (no folder in its name)",
          json.dumps(doc.get("findings")) + err)
    write_tree(tmp, {"bad.json": "[{\"file\": 3}"})
    st, out, err = run(["-p", "bad.json"], tmp, include=False)
    check(st == 2 and "rccheck: error: bad.json:" in err and "invalid JSON" in err, "-p with a broken file: exit 2 naming it", err)
    os.mkfifo(os.path.join(tmp, "fifo.json"))
    st, out, err = run(["-p", "fifo.json"], tmp, include=False)
    check(st == 2 and "fifo.json: is a FIFO" in err, "-p with a FIFO: refused without blocking, exit 2", err)
    st, out, err = run(["-p", "nowhere.json"], tmp, include=False)
    check(st == 2 and "nowhere.json/compile_commands.json" in err, "-p with a missing path: exit 2 naming it", err)


def sc_jobs(tmp):
    files = {}
    for i in range(8):
        src = [LEAK, DOUBLE, UAR, BORROWED, NULLCHK, CLEAN, INCONSISTENT, LEAK][i]
        files[f"tree/d{i % 3}/f{i}.c"] = src
    files["tree/d1/broken.c"] = BROKEN
    write_tree(tmp, files)

    def norm(doc):
        fs = sorted(json.dumps(f, sort_keys=True) for f in doc.get("findings", []))
        es = sorted(json.dumps(e, sort_keys=True) for e in doc.get("errors", []))
        s = dict(doc.get("summary", {}))
        s.pop("seconds", None)
        return fs, es, s

    st1, d1, e1 = run_json(["-j", "1", "tree"], tmp)
    st2, d2, e2 = run_json(["-j", "2", "tree"], tmp)
    check(st1 == st2 == 2, "same exit status with -j 1 and -j 2 (2: one file fails)", f"{st1} {st2}")
    n1, n2 = norm(d1), norm(d2)
    check(n1[0] == n2[0] and len(n1[0]) >= 7, "same findings (all fields) with -j 1 and -j 2",
          f"-j1: {len(n1[0])} -j2: {len(n2[0])}")
    check(n1[1] == n2[1], "same errors with -j 1 and -j 2")
    check(n1[2] == n2[2], "same summary (but seconds) with -j 1 and -j 2", f"{n1[2]}\n{n2[2]}")
    st1, o1, _ = run(["-j", "1", "tree"], tmp)
    st2, o2, _ = run(["-j", "2", "tree"], tmp)
    check(sorted(o1.splitlines()) == sorted(o2.splitlines()), "same text output with -j 1 and -j 2")
    check(o1 == o2, "the text report is in the same order with -j 1 and -j 2 (deterministic)")
    again = [run(["-j", "2", "tree"], tmp)[1] for _ in range(3)]
    check(all(o == o2 for o in again), "three more -j 2 runs print the same report")
    # Two files define a static helper of the same name with different ownership: the inferred
    # summaries stay per translation unit, also when the files are analysed in parallel.
    one = PRELUDE + ("static rc_object *make(rc_heap *h) { return rc_new(h, &thing_type); }\n"
                     "int bad_dropped(rc_heap *h)\n{\n\trc_object *o = make(h);\n\tif (!o)\n"
                     "\t\treturn -1;\n\treturn 0; /*@leak*/\n}\n")
    two = PRELUDE + ("extern rc_object *shared;\n"
                     "static rc_object *make(rc_heap *h) { (void)h; return shared; }\n"
                     "int good_borrowed(rc_heap *h)\n{\n\trc_object *o = make(h);\n\tif (!o)\n"
                     "\t\treturn -1;\n\treturn consume(o);\n}\n")
    write_tree(tmp, {"same/one.c": one, "same/two.c": two})
    for j in ("1", "2"):
        st, doc, err = run_json(["-j", j, "same"], tmp)
        check(found(doc) == {("one.c", line_of(one, "leak"), "rc-leak")},
              f"-j {j}: same-named static helpers keep their own summaries", json.dumps(doc.get("findings")))


def sc_compiler_args(tmp):
    write_tree(tmp, {"c.c": COMPDB_SRC})
    st, doc, err = run_json(["c.c"], tmp)
    check(st == 0 and found(doc) == set(), "without -D: clean", err)
    st, doc, err = run_json(["c.c", "--", "-DWANT_LEAK"], tmp)
    check(st == 1 and found(doc) == {("c.c", line_of(COMPDB_SRC, "leak"), "rc-leak")},
          "args after -- reach the parser (-DWANT_LEAK)", json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["c.c", "--", "-DWANT_LEAK", "-DWANT_DOUBLE"], tmp)
    check(len(found(doc)) == 2, "several args after --", json.dumps(doc.get("findings")))
    st, out, err = run(["c.c", "--", "-I/nonexistent"], tmp, include=False)
    check(st == 2 and "c.c" in err, "a missing header (no -I): the file fails to parse, exit 2 naming it",
          err)
    # an argument libclang refuses whole (it says only "error 4"): the one without which the file
    # parses is named, in a compilation database too
    st, out, err = run(["c.c", "--", "-DWANT_LEAK", "-Xclang", "-no-such-cc1-option"], tmp)
    check(st == 2 and "refuses the compiler arguments '-Xclang -no-such-cc1-option'" in err,
          "libclang error 4: the refused argument is named", err)
    write_compdb(tmp, [("c.c", ["-Xclang", "-no-such-cc1-option"], "arguments")])
    st, out, err = run(["-p", "build"], tmp)
    check(st == 2 and "c.c" in err and "'-Xclang -no-such-cc1-option'" in err,
          "libclang error 4 from a database entry: the file and the argument are named", err)


MODEL_SRC = """
typedef struct gizmo gizmo;
gizmo *gz_make(void);
void gz_free(gizmo *g);
gizmo *gz_peek(gizmo *g);
int gz_use(gizmo *g);
int bad_leak(void)
{
	gizmo *g = gz_make();
	if (!g)
		return -1;
	return gz_use(g); /*@leak*/
}
void bad_free_peeked(gizmo *g)
{
	gizmo *p = gz_peek(g);
	gz_free(p); /*@borrowed*/
}
"""


def sc_model_option(tmp):
    write_tree(tmp, {"api.c": MODEL_SRC,
                     "good.model": "# gizmo API\ngz_make new null-on-failure\ngz_free none releases=1\n"
                                   "gz_peek borrowed\n",
                     "half1.model": "gz_make new null-on-failure\n",
                     "half2.model": "gz_free none releases=1\ngz_peek borrowed\n",
                     "bad.model": "gz_make new null-on-failure\ngz_free none frobnicates=1\n"})
    st, doc, err = run_json(["api.c"], tmp)
    check(st == 0 and found(doc) == set(), "without a model the fake API is unknown: clean", err)
    want = {("api.c", line_of(MODEL_SRC, "leak"), "rc-leak"),
            ("api.c", line_of(MODEL_SRC, "borrowed"), "rc-release-borrowed")}
    st, doc, err = run_json(["--model", "good.model", "api.c"], tmp)
    check(st == 1 and found(doc) == want, "--model applies the model", json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["--model", "half1.model", "--model", "half2.model", "api.c"], tmp)
    check(found(doc) == want, "--model is repeatable (both files apply)", json.dumps(doc.get("findings")))
    st, out, err = run(["--model", "missing.model", "api.c"], tmp)
    check(st == 2 and any("missing.model" in l for l in error_lines(err)),
          "a missing model file: exit 2 naming it", err)
    st, out, err = run(["--model", "bad.model", "api.c"], tmp)
    check(st == 2 and any("bad.model" in l for l in error_lines(err)),
          "a model file with an unknown attribute: exit 2 naming the file", err)
    check(re.search(r"bad\.model:2\b", err) is not None or "frobnicates" in err,
          "the message points at the bad line or attribute", err)
    bad_lines = {"no-return": "gz_make\n", "bad-return": "gz_make brand-new\n",
                 "zero-index": "gz_free none releases=0\n", "not-a-number": "gz_free none releases=x\n",
                 "empty-steals": "gz_free none steals=\n"}
    for name, text in bad_lines.items():
        write_tree(tmp, {f"{name}.model": "# comment\n" + text})
        st, out, err = run(["--model", f"{name}.model", "api.c"], tmp)
        check(st == 2 and any(f"{name}.model" in l for l in error_lines(err)),
              f"a malformed model line ({name}: {text.strip()!r}): exit 2 naming the file", err)
    # a built-in model by name (--model glib ...): loaded only when named; a name that is no
    # built-in and no file is an error like a missing file; a file of that name wins
    write_tree(tmp, {"kr.c": "struct kref { int n; };\nvoid kref_get(struct kref *k);\n"
                             "struct dev { struct kref ref; };\n"
                             "void get_only(struct dev *d, int f)\n{\n\tif (f)\n\t\tkref_get(&d->ref);\n}\n"})
    st, doc, err = run_json(["kr.c"], tmp)
    check(st == 0 and found(doc) == set(), "kref is not loaded unless named", json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["--model", "kref", "kr.c"], tmp)
    check(st == 1 and {f[2] for f in found(doc)} == {"rc-leak"}, "--model kref selects the built-in kref model",
          json.dumps(doc.get("findings")) + err)
    for name in ("glib", "jansson", "libdbus"):
        st, doc, err = run_json(["--model", name, "kr.c"], tmp)
        check(st == 0 and not doc.get("errors"), f"--model {name} loads", err)
    st, out, err = run(["--model", "nosuchmodel", "kr.c"], tmp)
    check(st == 2 and any("nosuchmodel" in l for l in error_lines(err)),
          "an unknown model name: exit 2 naming it", err)
    write_tree(tmp, {"kref": "# a user file named like a built-in model wins\n"})
    st, doc, err = run_json(["--model", "kref", "kr.c"], tmp)
    check(st == 0 and found(doc) == set(), "a file named kref wins over the built-in name", err)
    os.remove(os.path.join(tmp, "kref"))
    # blank lines count: the error names line 6 (issue 12: it said 3)
    write_tree(tmp, {"blanks.model": "gz_make new null-on-failure\n\n\n# c\n\ngz_free none frobnicates=1\n"})
    st, out, err = run(["--model", "blanks.model", "api.c"], tmp)
    check(st == 2 and re.search(r"blanks\.model:6:", err) is not None,
          "a model error after blank lines names its real line (6)", err)


def sc_directory_walk(tmp):
    write_tree(tmp, {"w/b/leak.c": LEAK, "w/a/z/double.c": DOUBLE, "w/a/clean.c": CLEAN,
                     "w/a/header.h": "int bad_not_a_c_file(void);\n",
                     "w/notes.txt": "not C\n", "w/a/skip.cc": "int x = ;\n",
                     "w/c/uar.c": UAR})
    st, doc, err = run_json(["-j", "1", "w"], tmp)
    check(st == 1 and doc.get("errors") == [], "a directory: exit 1, no errors (only .c files read)",
          err + json.dumps(doc.get("errors")))
    check(doc.get("summary", {}).get("files") == 4, "summary.files == 4 .c files (recursive)",
          json.dumps(doc.get("summary")))
    got = found(doc)
    check({x[0] for x in got} == {"leak.c", "double.c", "uar.c"}, "findings from every level",
          sorted(got))
    files = [f.get("file") for f in doc.get("findings", [])]
    check(all(f.startswith("w/") for f in files), "paths are given relative to the PATH as typed", files)
    check(files == sorted(files), "files are walked and reported in sorted order", files)
    st, doc2, err = run_json(["-j", "1", "w/"], tmp)
    check(found(doc2) == got, "a trailing slash walks the same files", err)
    # A symbolic link back to an ancestor directory must not make the walk analyse the same
    # file again and again (follow no directory twice, or no directory links at all).
    write_tree(tmp, {"loop/sub/leak.c": LEAK})
    os.symlink("..", os.path.join(tmp, "loop/sub/up"))
    st, doc, err = run_json(["-j", "1", "loop"], tmp)
    real = [os.path.realpath(os.path.join(tmp, f.get("file", ""))) for f in doc.get("findings", [])]
    check(st == 1 and len(real) == 1 and doc.get("summary", {}).get("files") == 1,
          "a directory symlink loop: the file is analysed once",
          f"status {st}, {len(real)} findings, summary {json.dumps(doc.get('summary'))}")
    # The same file named twice, and again through its directory: analysed (and reported) once.
    st, doc, err = run_json(["-j", "2", "loop/sub/leak.c", "loop/sub/leak.c", "loop"], tmp)
    check(st == 1 and len(doc.get("findings", [])) == 1 and doc.get("summary", {}).get("files") == 1,
          "a file named twice and through its directory is analysed once",
          f"status {st}, findings {json.dumps(doc.get('findings'))}, summary {json.dumps(doc.get('summary'))}")


def sc_robustness(tmp):
    """Inputs that must neither crash nor hang: an empty file, declarations only, a path with
    spaces, bytes that are not UTF-8 in a comment, a function with 2^40 paths (the per-function
    budget and the memoized states must bound the work), a deeply nested expression."""
    many_paths = PRELUDE + "int cond(void);\nint bad_paths(rc_heap *h)\n{\n" \
        "\trc_object *o = rc_new(h, &thing_type);\n\tint n = 0;\n\tif (!o)\n\t\treturn -1;\n" + \
        "".join(f"\tif (cond())\n\t\tn += {i};\n\telse\n\t\tconsume(o);\n" for i in range(40)) + \
        "\treturn n; /*@leak*/\n}\n"
    nested = PRELUDE + "int good_nested(int x)\n{\n\treturn " + "(" * 200 + "x" + ")" * 200 + ";\n}\n"
    write_tree(tmp, {"empty.c": "", "decls.c": PRELUDE, "with space/a b.c": LEAK,
                     "paths.c": many_paths, "nested.c": nested})
    with open(os.path.join(tmp, "latin1.c"), "wb") as f:
        f.write(b"/* caf\xe9 \xff\xfe */\n" + CLEAN.encode())
    st, doc, err = run_json(["empty.c", "decls.c", "latin1.c", "nested.c"], tmp)
    check(st == 0 and doc.get("findings") == [] and doc.get("errors") == [],
          "empty file, declarations only, non-UTF-8 comment, nested parentheses: clean, exit 0",
          err + json.dumps(doc.get("errors")))
    st, doc, err = run_json(["with space/a b.c"], tmp)
    check(st == 1 and found(doc) == {("a b.c", line_of(LEAK, "leak"), "rc-leak")}
          and doc["findings"][0].get("file") == "with space/a b.c",
          "a path with spaces is reported as given", json.dumps(doc.get("findings")) + err)
    import time
    t0 = time.monotonic()
    st, doc, err = run_json(["paths.c"], tmp)
    dt = time.monotonic() - t0
    check(dt < 60, f"a function with 2^40 paths is analysed in bounded time ({dt:.1f} s)")
    check(st in (0, 1) and doc.get("errors") == [], "...and reported normally (exit 0 or 1, no error)",
          err)
    check(("paths.c", line_of(many_paths, "leak"), "rc-leak") in found(doc),
          "...and the leak at its end is still found", json.dumps(doc.get("findings"))[:500])
    # docs/analyzer.md: a tiny budget leaves the function incomplete, said in a note / the
    # JSON "incomplete" list, without an error and without changing the exit status rules.
    st, doc, err = run_json(["--max-states", "5", "paths.c"], tmp)
    inc = doc.get("incomplete", [])
    check(st in (0, 1) and doc.get("errors") == [] and inc
          and any("bad_paths" in str(i.get("message", "")) for i in inc),
          "--max-states 5: the function is listed in 'incomplete', no input error",
          f"status {st}\n{json.dumps(inc)}\n{err}")
    st, out, err = run(["--max-states", "5", "paths.c"], tmp)
    check(re.search(r"^paths\.c:\d+:\d+: note: .*bad_paths", out, re.M) is not None,
          "--max-states 5: the text report has a note naming the function", out)


def sc_compdb_meson(tmp):
    """-p on a compile_commands.json written by a real Meson + gcc setup: relative paths
    (../src/a.c from the build directory), gcc's flags (-MD -MQ -MF -o -c, -fdiagnostics-color,
    -Winvalid-pch, -pipe), per-target c_args."""
    meson = shutil.which("meson")
    if not meson:
        check(False, "meson is on PATH")
        return
    write_tree(tmp, {
        "proj/meson.build": (
            "project('demo', 'c', default_options : ['warning_level=3', 'c_std=c11'])\n"
            f"inc = include_directories({INCLUDE!r})\n"
            "lib = static_library('b', 'src/b.c', include_directories : inc,\n"
            "  c_args : ['-DWANT_DOUBLE'])\n"
            "executable('demo', 'src/a.c', 'src/c.c', include_directories : inc,\n"
            "  c_args : ['-DWANT_LEAK', '-DGREETING=\"hi there\"'], link_with : lib)\n"),
        "proj/src/a.c": COMPDB_SRC, "proj/src/b.c": COMPDB_SRC,
        "proj/src/c.c": COMPDB_SRC.replace("int good_always(void) { return 0; }",
                                           "int main(void) { return good_always(); }\n"
                                           "int good_always(void) { return sizeof GREETING > 1; }"),
    })
    env = dict(os.environ, CC="gcc")
    p = subprocess.run([meson, "setup", "build"], cwd=os.path.join(tmp, "proj"), env=env,
                       capture_output=True, text=True, timeout=TIMEOUT)
    if not check(p.returncode == 0 and os.path.exists(os.path.join(tmp, "proj/build/compile_commands.json")),
                 "meson setup writes compile_commands.json", p.stdout[-1500:] + p.stderr[-1500:]):
        return
    st, doc, err = run_json(["-p", "build"], os.path.join(tmp, "proj"), include=False)
    leak, double = line_of(COMPDB_SRC, "leak"), line_of(COMPDB_SRC, "double")
    want = {("a.c", leak, "rc-leak"), ("c.c", leak, "rc-leak"), ("b.c", double, "rc-double-release")}
    got = found(doc)
    check(st == 1 and doc.get("errors") == [] and got == want,
          "every entry of a Meson database analysed with its own flags, no errors",
          f"status {st}\nerrors: {doc.get('errors')}\nmissing: {sorted(want - got)}\n"
          f"unexpected: {sorted(got - want)}\n{err}")
    st, doc, err = run_json(["-p", "build", "src/b.c"], os.path.join(tmp, "proj"), include=False)
    check(found(doc) == {("b.c", double, "rc-double-release")},
          "a PATH relative to the current directory selects its Meson entry (given as ../src/b.c)",
          json.dumps(doc.get("findings")) + err)


# ---------------------------------------------------------------------------------------------
# Nothing lost in silence (issue 12): names that are not UTF-8, what a directory walk skips,
# functions too large to analyse, inputs that are not regular files
# ---------------------------------------------------------------------------------------------

def sc_nothing_lost(tmp):
    os.makedirs(os.path.join(tmp, "u"))
    bad_name = os.path.join(tmp.encode(), b"u", b"lea\xffk.c")
    with open(bad_name, "w", encoding="utf-8") as f:
        f.write(LEAK)
    arg = os.fsdecode(b"u/lea\xffk.c")
    # JSON keeps the finding, naming the file with the byte as %FF (docs/analyzer.md)
    st, doc, err = run_json([arg], tmp)
    fs = doc.get("findings", [])
    check(st == 1 and len(fs) == 1 and fs[0].get("file") == "u/lea%FFk.c"
          and all(p.get("file") == "u/lea%FFk.c" for p in fs[0].get("path", [])),
          "--format=json keeps a finding whose file name is not UTF-8, as u/lea%FFk.c",
          f"status {st}\n{json.dumps(doc)[:1500]}\n{err}")
    check(doc.get("summary", {}).get("findings") == len(fs), "the summary counts what the report holds",
          json.dumps(doc.get("summary")))
    # baselines written either way absorb it
    for fmt in ("json", "sarif"):
        st, out, err = run([f"--format={fmt}", "-o", f"base.{fmt}", arg], tmp)
        st, out, err = run(["--baseline", f"base.{fmt}", arg], tmp)
        check(st == 0 and "[rc-leak]" not in out and "1 in baseline not shown" in err,
              f"a {fmt} baseline holds the finding of a non-UTF-8 file name", f"{st}\n{out}\n{err}")
    # an error naming such a file (it does not parse) is kept too
    with open(os.path.join(tmp.encode(), b"u", b"bro\xfeken.c"), "w", encoding="utf-8") as f:
        f.write(BROKEN)
    st, doc, err = run_json([os.fsdecode(b"u/bro\xfeken.c")], tmp)
    errs = doc.get("errors", [])
    check(st == 2 and errs and all(e.get("file") == "u/bro%FEken.c" for e in errs),
          "--format=json keeps the errors of a non-UTF-8 file name", json.dumps(errs) + err)
    st, out, err = run(["--format=sarif", os.fsdecode(b"u/bro\xfeken.c")], tmp)
    try:
        sarif = json.loads(out)
        notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    except (ValueError, KeyError, IndexError) as e:
        notes = []
        check(False, "SARIF output parses", f"{e}\n{out[:800]}")
    check(st == 2 and notes and all("%FE" in json.dumps(n) for n in notes),
          "--format=sarif keeps the errors of a non-UTF-8 file name", json.dumps(notes)[:800])

    # A directory walk names what it skips, counts it, and the status says the run is incomplete.
    write_tree(tmp, {"w/a/leak.c": LEAK, "w/b/clean.c": CLEAN})
    os.symlink("nowhere.c", os.path.join(tmp, "w/dangling.c"))
    os.symlink("loop.c", os.path.join(tmp, "w/loop.c"))
    os.mkfifo(os.path.join(tmp, "w/b/fifo.c"))
    deep = os.path.join(tmp, "w", *(["d"] * 66))
    os.makedirs(deep)
    with open(os.path.join(deep, "deep.c"), "w") as f:
        f.write(LEAK)
    st, doc, err = run_json(["-j", "1", "w"], tmp)
    errs = {e.get("file"): e.get("message") for e in doc.get("errors", [])}
    check(st == 2, "a walk that skipped something exits 2", err)
    for name, what in (("w/dangling.c", "dangling"), ("w/loop.c", "loop"), ("w/b/fifo.c", "FIFO")):
        check(what in str(errs.get(name, "")), f"the walk names {name} ({what})", json.dumps(errs))
    check(any(k.startswith("w/d/d/") and "levels" in v for k, v in errs.items()),
          "the walk names the directory deeper than its depth limit", json.dumps(errs))
    summ = doc.get("summary", {})
    check(summ.get("input_errors") == 4 and summ.get("complete") is False and summ.get("files") == 2,
          "summary: 2 files analysed, 4 input errors, complete: false", json.dumps(summ))
    check(found(doc) == {("leak.c", line_of(LEAK, "leak"), "rc-leak")}, "the other files are still reported",
          json.dumps(doc.get("findings"))[:500])
    sums = summary_lines(err)
    check(len(sums) == 1 and sums[0]["input_errors"] == "4", "the summary line counts 4 input errors", err)
    # an unreadable subdirectory (as an unprivileged user when run as root)
    write_tree(tmp, {"r/ok/leak.c": LEAK, "r/closed/hidden.c": LEAK})
    os.chmod(os.path.join(tmp, "r/closed"), 0)
    cmd_prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv:
            cmd_prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() != 0 or cmd_prefix:
        global RCCHECK
        saved = RCCHECK
        try:
            os.chmod(tmp, 0o755)
            probe = subprocess.run(cmd_prefix + ["test", "-x", saved], capture_output=True)
            if probe.returncode == 0:
                RCCHECK = saved
                st, out, err = run(["-j", "1", "r"], tmp) if not cmd_prefix else (None, None, None)
                if cmd_prefix:
                    p = subprocess.run(cmd_prefix + [saved, "--show-guesses", "-j", "1", "r", "--", "-I" + INCLUDE], cwd=tmp,
                                       capture_output=True, timeout=TIMEOUT)
                    st, out, err = p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
                check(st == 2 and "rccheck: error: r/closed: cannot read directory" in err
                      and "[rc-leak]" in out,
                      "an unreadable subdirectory is named, exit 2, the rest reported", f"{st}\n{out}\n{err}")
            else:
                print("(unreadable directory: rccheck is not executable by an unprivileged user here; skipped)")
        finally:
            RCCHECK = saved
    os.chmod(os.path.join(tmp, "r/closed"), 0o755)

    # A function too large to analyse: named, counted as not analysed, exit 2.
    big = "int g(int);\nint bad_big(int x)\n{\n" + "x = g(x);\n" * 68000 + "return x;\n}\n" \
          "int good_small(void)\n{\n\treturn 0;\n}\n"
    write_tree(tmp, {"big.c": big})
    st, doc, err = run_json(["big.c"], tmp)
    summ = doc.get("summary", {})
    check(st == 2 and summ.get("not_analysed_functions") == 1 and summ.get("functions") == 2
          and any("bad_big" in i.get("message", "") for i in doc.get("incomplete", [])),
          "a function too large to analyse: exit 2, named, counted (2 functions, 1 not analysed)",
          f"{st}\n{json.dumps(summ)}\n{json.dumps(doc.get('incomplete'))}")
    sums = summary_lines(err)
    check(len(sums) == 1 and sums[0]["functions"] == "2" and sums[0]["functions_skipped"] == "1",
          "the summary line says `2 functions (1 not analysed)`", err)
    st, out, err = run(["--format=sarif", "big.c"], tmp)
    check(st == 2 and "bad_big" in out, "SARIF names the function too large to analyse", out[-1500:])


def terminate(p):
    """Sends SIGTERM to a running rccheck (subprocess.Popen); its stderr once it has ended."""
    p.terminate()
    try:
        _, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        check(False, "SIGTERM ends the run")
    return err


def sc_no_hang(tmp):
    """No blocking read of anything but a regular file; size limits on models and baselines."""
    write_tree(tmp, {"leak.c": LEAK})
    os.mkfifo(os.path.join(tmp, "fifo"))
    os.mkfifo(os.path.join(tmp, "fifo.c"))
    for args, what in ((["fifo.c"], "a FIFO as an input"),
                       (["--model", "fifo", "leak.c"], "a FIFO as --model"),
                       (["--baseline", "fifo", "leak.c"], "a FIFO as --baseline"),
                       (["--model", "/dev/zero", "leak.c"], "--model /dev/zero"),
                       (["--baseline", "/dev/zero", "leak.c"], "--baseline /dev/zero")):
        st, out, err = run(args, tmp)
        check(st == 2 and re.search(r"rccheck: error: .*(FIFO|character device)", err),
              f"{what}: a clear error, exit 2, no wait", f"{st}\n{err}")
    st, out, err = run(["fifo.c", "leak.c"], tmp)
    check(st == 2 and "[rc-leak]" in out, "a FIFO input does not stop the other files", f"{st}\n{out}\n{err}")
    # a compile database entry that is a FIFO
    write_compdb(tmp, [("fifo.c", [], "command"), ("leak.c", [], "arguments")])
    st, out, err = run(["-p", "build"], tmp, include=False)
    check(st == 2 and "fifo.c: is a FIFO" in err and "[rc-leak]" in out,
          "-p: an entry that is a FIFO is an error naming it, the other entries are analysed", f"{st}\n{out}\n{err}")
    # An input that #includes a FIFO: its parse blocks (libclang cannot be told not to open it),
    # the per-file time limit reports it as not analysed, the other files are reported.
    write_tree(tmp, {"t/a.c": LEAK, "t/b.c": '#include "inc.h"\nint x;\n', "t/c.c": DOUBLE})
    os.mkfifo(os.path.join(tmp, "t/inc.h"))
    t0 = time.monotonic()
    st, doc, err = run_json(["-j", "2", "--file-timeout", "2", "t"], tmp)
    dt = time.monotonic() - t0
    errs = {e.get("file"): e.get("message") for e in doc.get("errors", [])}
    check(st == 2 and dt < 30 and "time limit" in str(errs.get("t/b.c"))
          and {x[0] for x in found(doc)} == {"a.c", "c.c"}
          and doc.get("summary", {}).get("not_analysed_files") == 1,
          f"a file that includes a FIFO: not analysed after --file-timeout 2 ({dt:.1f} s), the others reported",
          f"status {st}\n{json.dumps(doc)[:1200]}\n{err}")
    m = summary_lines(err)
    check(len(m) == 1 and m[0]["files_skipped"] == "1", "the summary line says `3 files (1 not analysed)`", err)
    st, out, err = run(["--file-timeout", "x", "t/a.c"], tmp)
    check(st == 2 and "--file-timeout" in err, "--file-timeout x is a usage error", err)
    # SIGTERM while one file hangs in its parse (a CI timeout): the files parsed before it are
    # still analysed (whole-tree summaries wait for every parse) and written, the files not
    # parsed are named, and the process dies of SIGTERM; JSON stays whole.
    env = {k: v for k, v in os.environ.items() if k != "RCCHECK_PROGRESS"}
    cmd = [RCCHECK, "--show-guesses", "-j", "1", "t/a.c", "t/b.c", "t/c.c", "--", "-I" + INCLUDE]
    p = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(3)
    check(p.poll() is None, "a run with a file that includes a FIFO is still running after 3 s", str(p.poll()))
    p.terminate()
    try:
        out, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    check(b"a.c:" in out and b"[rc-leak]" in out,
          "text: SIGTERM while the second file hangs still writes the first file's findings",
          out.decode(errors="replace"))
    check(p.returncode == -15 and b"t/b.c: not analysed: the run was stopped by signal 15" in err
          and b"t/c.c: not analysed: the run was stopped by signal 15" in err,
          "SIGTERM: the files not done are named, and the process dies of SIGTERM",
          f"{p.returncode}\n{err.decode(errors='replace')}")
    cmd = [RCCHECK, "--show-guesses", "-j", "1", "--format=json", "-o", "killed.json", "t/a.c", "t/b.c", "t/c.c", "--",
           "-I" + INCLUDE]
    p = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(3)
    err = terminate(p)
    try:
        with open(os.path.join(tmp, "killed.json"), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        doc = {}
        check(False, "a run stopped by SIGTERM writes a whole JSON report", str(e))
    errs = {e.get("file"): e.get("message") for e in doc.get("errors", [])}
    check({x[0] for x in found(doc)} == {"a.c"} and "signal 15" in str(errs.get("t/b.c"))
          and "signal 15" in str(errs.get("t/c.c")) and doc.get("summary", {}).get("complete") is False,
          "SIGTERM with --format=json: the finished file's findings, the others named as not analysed",
          json.dumps(doc)[:1500])
    # a model file above the size limit (sparse: no disk used)
    with open(os.path.join(tmp, "huge.model"), "wb") as f:
        f.truncate(65 << 20)
    st, out, err = run(["--model", "huge.model", "leak.c"], tmp)
    check(st == 2 and "huge.model" in err and "limit" in err, "a model file over the size limit is refused",
          f"{st}\n{err}")


def heavy_source(live=200, exits=6000):
    """A file whose memory grows at each stage: a parse of about 3 MB (rc.h and the file), the
    IR of `long_init` (one function of `exits` error exits: about 8 MB at 6000), and the
    exploration of `many_live` (`live` references alive at once through `live` branches: each
    stored state holds all of them, about 200 MB of states without a limit at 200)."""
    lines = ["#include <rc/rc.h>", "int cond(int);", "int step(rc_heap *h, int k);",
             "int many_live(rc_heap *h)", "{"]
    lines += [f"\trc_object *o{k} = rc_new(h, NULL);" for k in range(live)]
    lines += [f"\tif (cond({k})) rc_decref(o{k}); else rc_decref(o{k});" for k in range(live)]
    lines += ["\treturn 0;", "}", "int long_init(rc_heap *h)", "{", "\trc_object *o = rc_new(h, NULL);",
              "\tif (!o)", "\t\treturn -1;"]
    lines += [f"\tif (step(h, {k}) < 0)\n\t\tgoto error;" for k in range(exits)]
    lines += ["\trc_decref(o);", "\treturn 0;", "error:", "\trc_decref(o);", "\treturn -1;", "}"]
    return "\n".join(lines) + "\n"


MEMORY_RE = re.compile(r"not analysed: over the memory limit of (\d+) MB \(--file-memory\): ([\d.]+) MB "
                       r"(after its parse|while lowering|while analysing)")
STAGES = ["after its parse", "while lowering", "while analysing"]


def sc_memory_limit(tmp):
    """--file-memory: a file whose parse, IR or analysis needs more than the limit is named as not
    analysed with the stage and the amount, the other files are still reported, exit 2, in text,
    JSON and SARIF and in the summary; under the default limit the same files are analysed."""
    write_tree(tmp, {"t/heavy.c": heavy_source(), "t/leak.c": LEAK})
    leak_line = line_of(LEAK, "leak")
    # text: the analysis of heavy.c passes 16 MB (its parse and IR alone stay below: the sweep)
    st, out, err = run(["-j", "2", "--file-memory", "16", "t"], tmp)
    m = [MEMORY_RE.search(l) for l in error_lines(err) if "t/heavy.c:" in l]
    check(st == 2 and len(m) == 1 and m[0] and m[0].group(3) == "while analysing"
          and "'many_live'" in err and "the run went on without it" in err,
          "text: heavy.c over --file-memory 16 is an error naming the limit, the stage and the function, exit 2",
          f"{st}\n{err}")
    check(f"t/leak.c:{leak_line}:" in out and "[rc-leak]" in out and "heavy.c" not in out,
          "text: the other file's finding is still reported, none of heavy.c's", out)
    sm = summary_lines(err)
    check(len(sm) == 1 and sm[0]["files_skipped"] == "1", "the summary line says `2 files (1 not analysed)`", err)
    # JSON: the error, the summary, the other file's finding
    st, doc, err = run_json(["-j", "2", "--file-memory", "16", "t"], tmp)
    errs = {e.get("file"): e.get("message") for e in doc.get("errors", [])}
    summ = doc.get("summary", {})
    check(st == 2 and MEMORY_RE.search(str(errs.get("t/heavy.c"))) and found(doc) == {("leak.c", leak_line, "rc-leak")}
          and summ.get("not_analysed_files") == 1 and summ.get("complete") is False,
          "json: heavy.c named as not analysed (memory), leak.c's finding reported, summary counts it",
          f"{st}\n{json.dumps(doc)[:1500]}")
    # SARIF: the error is a tool execution notification naming the file
    st, out, err = run(["--format=sarif", "--file-memory", "16", "t"], tmp)
    try:
        sarif = json.loads(out)
        inv = sarif["runs"][0]["invocations"][0]
        notes = [n["message"]["text"] for n in inv.get("toolExecutionNotifications", [])]
        results = sarif["runs"][0]["results"]
    except (ValueError, KeyError, IndexError) as e:
        notes, results = [str(e)], []
    check(st == 2 and any("--file-memory" in n for n in notes) and len(results) == 1,
          "sarif: a notification says heavy.c was over the memory limit, leak.c's result is there",
          f"{st}\n{notes}\n{out[:800]}")
    # the default limit (1024 MB): both files analysed, nothing said about memory
    st, doc, err = run_json(["-j", "2", "t"], tmp)
    check(st == 1 and not doc.get("errors") and "memory" not in err
          and doc.get("summary", {}).get("not_analysed_files") == 0
          and ("leak.c", leak_line, "rc-leak") in found(doc) and any(x[0] == "heavy.c" for x in found(doc)),
          "under the default limit heavy.c and leak.c are analysed and reported, exit 1",
          f"{st}\n{json.dumps(doc)[:1500]}\n{err}")
    # --file-memory 0: no limit
    st, doc, err = run_json(["--file-memory", "0", "t/heavy.c"], tmp)
    check(st == 1 and not doc.get("errors"), "--file-memory 0: no limit", f"{st}\n{err}")
    # the sweep: as the limit grows, the stage where heavy.c passes it moves forward (parse,
    # lowering, analysis) and the amount said is above the limit, until it is analysed whole
    seen = []
    for mb in (1, 2, 4, 8, 16, 32, 64, 512):
        st, out, err = run(["--file-memory", str(mb), "t/heavy.c"], tmp)
        m = MEMORY_RE.search(err)
        if m:
            check(st == 2 and int(m.group(1)) == mb and float(m.group(2)) > mb,
                  f"--file-memory {mb}: exit 2, the amount said ({m.group(2)} MB) is over the limit", f"{st}\n{err}")
            seen.append(STAGES.index(m.group(3)))
        else:
            check(st == 1 and "not analysed" not in err, f"--file-memory {mb}: analysed whole", f"{st}\n{err}")
            seen.append(len(STAGES))
    check(seen == sorted(seen) and set(seen) == {0, 1, 2, 3},
          "as the limit grows the file passes it after its parse, then while lowering, then while "
          "analysing, then not at all", str(seen))
    # --cache: a file over its limit is not a result kept for later runs
    st, out, err = run(["--cache", "cache", "--file-memory", "16", "t"], tmp)
    check(st == 2 and "memory limit" in err, "--cache: heavy.c over the limit the first time", f"{st}\n{err}")
    st, doc, err = run_json(["--cache", "cache", "t"], tmp)
    check(st == 1 and not doc.get("errors") and any(x[0] == "heavy.c" for x in found(doc)),
          "--cache: a later run under the default limit analyses heavy.c (the first run cached nothing for it)",
          f"{st}\n{json.dumps(doc)[:1200]}\n{err}")
    # bad values are usage errors
    for bad in ("x", "-1", "1.5", "99999999999"):
        st, out, err = run(["--file-memory", bad, "t/leak.c"], tmp)
        check(st == 2 and "--file-memory needs a number of megabytes" in err, f"--file-memory {bad}: usage error",
              f"{st}\n{err}")
    # the process's ceiling (RCCHECK_MEMORY_CEILING_MB, a testing aid, instead of the one the
    # limit gives): past it the run stops, every file not finished is named, JSON stays whole
    st, doc, err = run_json(["-j", "2", "t"], tmp, env={"RCCHECK_MEMORY_CEILING_MB": "1"})
    errs = {e.get("file"): e.get("message") for e in doc.get("errors", [])}
    check(st == 2 and all("memory ceiling of 1 MB" in str(errs.get(f)) for f in ("t/heavy.c", "t/leak.c"))
          and not found(doc) and doc.get("summary", {}).get("not_analysed_files") == 2,
          "past the process's memory ceiling the run stops and names every file, exit 2",
          f"{st}\n{json.dumps(doc)[:1500]}\n{err}")


# ---------------------------------------------------------------------------------------------
# Whole-tree runs: the summary line, terminal progress, --baseline
# ---------------------------------------------------------------------------------------------

SUMMARY_RE = re.compile(
    r"^rccheck: (?P<files>\d+) files?"
    r"(?: \((?:(?P<failed>\d+) failed to parse)?(?:, )?(?:(?P<files_skipped>\d+) not analysed)?\))?, "
    r"(?P<functions>\d+) functions?(?: \((?P<functions_skipped>\d+) not analysed\))?, "
    r"(?P<findings>\d+) findings?(?: \((?P<by_id>[^)]*)\))?"
    r"(?:, (?P<baseline>\d+) in baseline not shown)?(?:, (?P<input_errors>\d+) input errors?)?"
    r", (?P<seconds>\d+\.\d\d) s$")
PROGRESS_RE = re.compile(r"rccheck: \[(\d+)/(\d+)\] (\d+) findings?")
CLEAR = "\r\033[K"


def summary_lines(stderr):
    """The summary lines of stderr (what follows the last erase of the progress line)."""
    text = stderr.split(CLEAR)[-1]
    return [m for m in (SUMMARY_RE.match(l) for l in text.splitlines()) if m]


def by_id_of(m):
    """[(id, count)] of a summary line, in its order."""
    if not m.group("by_id"):
        return []
    out = []
    for part in m.group("by_id").split(", "):
        name, _, n = part.rpartition(" ")
        out.append((name, int(n) if n.isdigit() else n))
    return out


def engine_order(tmp):
    st, out, err = run(["--list-checks"], tmp, include=False)
    return [l.split()[0] for l in out.splitlines() if l.strip()]


def sc_summary(tmp):
    write_tree(tmp, {"tree/leak.c": LEAK, "tree/clean.c": CLEAN, "tree/broken.c": BROKEN,
                     "tree/null.c": NULLCHK})
    st, out, err = run(["-j", "1", "tree"], tmp)
    check(st == 2, "a tree with a file that does not parse exits 2", err)
    lines = err.splitlines()
    sums = summary_lines(err)
    check(len(sums) == 1 and lines and SUMMARY_RE.match(lines[-1]) is not None,
          "stderr ends with exactly one summary line", err)
    check(any("broken.c" in l for l in error_lines(err)), "the parse error is still printed", err)
    if sums:
        m = sums[0]
        check(m["files"] == "4" and m["failed"] == "1", "summary: 4 files (1 failed to parse)", m.group(0))
        order = engine_order(tmp)
        want = sorted([("rc-leak", 1), ("rc-unchecked-null", 1)], key=lambda x: order.index(x[0]))
        check(m["findings"] == "2" and by_id_of(m) == want,
              f"summary: 2 findings, by ID in the order of --list-checks {want}", m.group(0))
        check(m["baseline"] is None, "no baseline part without --baseline", m.group(0))
    st_j, doc, err_j = run_json(["-j", "1", "tree"], tmp)
    summ = doc.get("summary", {})
    jm = summary_lines(err_j)
    check(len(jm) == 1 and int(jm[0]["files"]) == summ.get("files")
          and int(jm[0]["functions"]) == summ.get("functions") and summ.get("functions", 0) >= 3
          and int(jm[0]["findings"]) == summ.get("findings") == 2
          and int(jm[0]["failed"] or 0) == summ.get("failed_files"),
          "with --format=json the summary line agrees with the JSON summary", err_j + json.dumps(summ))
    check(len(jm) == 1 and abs(float(jm[0]["seconds"]) - float(summ.get("seconds", -1))) <= 0.0051,
          "the time printed is the JSON summary's seconds (2 decimals)", err_j + json.dumps(summ))
    check("baseline_suppressed" not in summ, "no baseline_suppressed in the JSON summary without --baseline",
          json.dumps(summ))
    # -q: the report and the exit status do not change, only the summary goes.
    for q in ("-q", "--quiet"):
        st_q, out_q, err_q = run([q, "-j", "1", "tree"], tmp)
        check(st_q == st and out_q == out, f"{q}: same exit status and the same report on stdout",
              f"{st_q} vs {st}\n{out_q}")
        check(not summary_lines(err_q) and error_lines(err_q) and err_q.splitlines() == error_lines(err_q),
              f"{q}: no summary line, only the error lines on stderr", err_q)
    st, out, err = run(["tree/clean.c"], tmp)
    m = SUMMARY_RE.match(err.rstrip("\n"))
    check(st == 0 and out == "" and err.count("\n") == 1 and m is not None,
          "a clean file: nothing on stdout, one summary line on stderr", repr(err))
    if m:
        check(err.startswith("rccheck: 1 file, ") and m["findings"] == "0" and m["by_id"] is None
              and m["failed"] is None,
              "a clean file: `rccheck: 1 file, N functions, 0 findings, T s` (no empty lists)", err)
    st, out, err = run(["-q", "tree/clean.c"], tmp)
    check(st == 0 and err == "", "-q on a clean file: stderr is empty", repr(err))
    st, out, err = run(["--dump-cfg", "tree/clean.c"], tmp)
    check(st == 0 and err == "", "--dump-cfg prints no summary", repr(err))
    st, out, err = run(["--help"], tmp, include=False)
    check(st == 0 and not summary_lines(out + err), "--help prints no summary", err)


def pty_drain(master, p):
    """Everything the running process p writes to the terminal whose master side is master,
    until it closes it or exits (at most TIMEOUT seconds)."""
    import select
    data = b""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            if p.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
    return data


def read_pty(cmd, cwd, env):
    """Runs cmd with stderr on a pseudo-terminal; returns (status, stdout, bytes written to the
    terminal)."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    data = pty_drain(master, p)
    out = p.stdout.read()
    status = p.wait(timeout=TIMEOUT)
    os.close(master)
    return status, out.decode(), data.decode(errors="replace")


def sc_progress(tmp):
    files = {f"many/f{i}.c": (LEAK if i % 2 == 0 else CLEAN) for i in range(6)}
    write_tree(tmp, files)
    force = {"RCCHECK_PROGRESS": "1"}
    st0, out0, err0 = run(["-j", "2", "many"], tmp)
    check(st0 == 1, "6 files, 3 with a leak: exit 1", err0)
    check("\r" not in err0 and "\033" not in err0,
          "stderr a pipe (no RCCHECK_PROGRESS): no '\\r' and no escape sequence at all", repr(err0))
    st, out, err = run(["-j", "2", "many"], tmp, env=force)
    prog = PROGRESS_RE.findall(err)
    check(prog, "RCCHECK_PROGRESS=1: progress `rccheck: [DONE/TOTAL] N findings` on stderr", repr(err))
    check(err.count("\rrccheck: [") == len(prog), "each progress line is rewritten in place ('\\r')", repr(err))
    check(all(t == "6" for _, t, _ in prog), "the total is the number of files (6)", prog)
    done = [int(d) for d, _, _ in prog]
    check(done == sorted(done) and done[-1:] == [6], "files done only grow, up to [6/6]", prog)
    check(prog[-1:] and prog[-1][2] == "3", "the last progress line counts the 3 findings", prog)
    rest = err.split(CLEAR)[-1]
    check(CLEAR in err and "\r" not in rest and [SUMMARY_RE.match(l) is not None for l in rest.splitlines()] == [True],
          "the progress line is erased (\\r ESC[K) before the summary line", repr(err))
    check(st == st0 and out == out0, "progress changes neither the report on stdout nor the exit status")
    for args, env, what in ((["-q", "-j", "2", "many"], force, "-q wins over RCCHECK_PROGRESS=1"),
                            (["many/f0.c"], force, "a single file: no progress"),
                            (["-j", "2", "many"], {"RCCHECK_PROGRESS": "0"}, "RCCHECK_PROGRESS=0: no progress")):
        st, out, err = run(args, tmp, env=env)
        check("\r" not in err and "[1/" not in err, what, repr(err))
    # Errors print as their file is done (a killed run keeps them), after the progress line is
    # erased, never in the middle of it; the progress goes on after them.
    write_tree(tmp, {"many/zz_broken.c": BROKEN})
    st, out, err = run(["-j", "2", "many"], tmp, env=force)
    before, _, after = err.rpartition(CLEAR)
    starts = [m.start() for m in re.finditer(r"rccheck: error:", err)]
    check(st == 2 and "[7/7]" in before and starts
          and all(err[:k].endswith(CLEAR) or err[:k].endswith("\n") for k in starts)
          and any("zz_broken.c" in l for l in error_lines(err)) and summary_lines(after),
          "with a parse error: each error line after an erase, progress up to [7/7], the erase, the summary",
          repr(err))
    # A real terminal (no variable): isatty(2) turns progress on.
    environ = {k: v for k, v in os.environ.items() if k != "RCCHECK_PROGRESS"}
    cmd = [RCCHECK, "--show-guesses", "-j", "2", "many", "--", "-I" + INCLUDE]
    try:
        st, out, term = read_pty(cmd, tmp, environ)
    except OSError as e:
        check(False, "a pseudo-terminal can be opened", str(e))
        return
    before, _, after = term.rpartition(CLEAR)
    sums = summary_lines(after.replace("\r\n", "\n"))  # the terminal turns "\n" into "\r\n"
    check("[7/7]" in before and len(sums) == 1 and sums[0]["files"] == "7" and sums[0]["failed"] == "1",
          "stderr a terminal: progress up to [7/7], erased, then the summary", repr(term))
    check(st == 2 and "[rc-leak]" in out, "stdout (a pipe) still has the report", out)


# Baseline sources: version 1, then version 2 with three lines inserted above the old bugs (their
# lines move; the rc-inconsistent message names a line number) and a new bug.
BODY_LEAK = LEAK[len(PRELUDE):]
BODY_INCONSISTENT = """
struct device { int refcnt; int state; };
int bad_count(struct device *d, int fast)
{
	if (fast)
		return 0;
	d->refcnt++;
	return 0; /*@count*/
}
"""
BODY_DOUBLE = DOUBLE[len(PRELUDE):]
BASE_V1 = PRELUDE + BODY_LEAK + BODY_INCONSISTENT
BASE_V2 = PRELUDE + "/* one */\n/* two */\n/* three */\n" + BODY_LEAK + BODY_INCONSISTENT + BODY_DOUBLE
TWICE_V1 = PRELUDE + """
int bad_twice(rc_heap *heap, int k)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	if (k == 1)
		return 1; /*@first*/
	rc_decref(obj);
	return 0;
}
"""
# A second acquisition into the same variable, leaked the same way: a second defect with the
# same message (one acquisition leaked on two paths would be one defect, merged).
TWICE_V2 = TWICE_V1.replace("	rc_decref(obj);\n", "	rc_decref(obj);\n	obj = rc_new(heap, &thing_type);\n"
                            "	if (!obj)\n		return -1;\n	if (k == 2)\n		return 2; /*@second*/\n"
                            "	rc_decref(obj);\n")
# One acquisition leaked on two paths: one defect, reported once with its number of paths.
TWICE_PATHS = TWICE_V1.replace("	rc_decref(obj);\n", "	if (k == 2)\n		return 2; /*@second*/\n	rc_decref(obj);\n")


def ids_lines(doc):
    return sorted((f.get("id"), f.get("line")) for f in doc.get("findings", []))


def sc_baseline(tmp):
    write_tree(tmp, {"src/a.c": BASE_V1, "other/a.c": BASE_V1})
    st, out, err = run(["--format=json", "-o", "base.json", "src/a.c"], tmp)
    check(st == 1, "version 1 has findings (the baseline run exits 1)", err)
    st, v1, err = run_json(["src/a.c"], tmp)
    write_tree(tmp, {"src/a.c": BASE_V2})
    st, v2, err = run_json(["src/a.c"], tmp)
    old_ids = sorted(f["id"] for f in v1.get("findings", []))
    check(old_ids == ["rc-inconsistent", "rc-leak"] and len(v2.get("findings", [])) == 3,
          "precondition: version 1 has a leak and an rc-inconsistent, version 2 one more finding",
          json.dumps(v1.get("findings")) + json.dumps(v2.get("findings")))
    msgs1 = {f["id"]: f["message"] for f in v1.get("findings", [])}
    msgs2 = {f["id"]: f["message"] for f in v2.get("findings", [])}
    check(all(i in msgs1 and i in msgs2 and msgs1[i] != msgs2[i] and re.search(r"\d", msgs1[i])
              for i in ["rc-inconsistent"]) and set(ids_lines(v1)).isdisjoint(ids_lines(v2)),
          "precondition: the old findings moved, and the rc-inconsistent message names the moved line",
          f"{msgs1}\n{msgs2}\n{ids_lines(v1)} {ids_lines(v2)}")
    new = ("rc-double-release", line_of(BASE_V2, "double"))

    # Text: only the new bug, exit 1, the summary counts the others.
    st, out, err = run(["--baseline", "base.json", "src/a.c"], tmp)
    warns = [m for m in (WARN_RE.match(l) for l in out.splitlines()) if m]
    check(st == 1 and [(m["id"], int(m["line"])) for m in warns] == [new],
          "--baseline: only the new bug is reported (exit 1)", out + err)
    check(not any(l.startswith("src/a.c:") and "rc-leak" in l for l in out.splitlines()),
          "no note or warning of the baselined leak", out)
    sums = summary_lines(err)
    check(len(sums) == 1 and sums[0]["findings"] == "1" and sums[0]["baseline"] == "2"
          and by_id_of(sums[0]) == [("rc-double-release", 1)],
          "summary: 1 finding (rc-double-release 1), 2 in baseline not shown", err)
    # JSON and SARIF outputs omit baselined findings too.
    st, doc, err = run_json(["--baseline", "base.json", "src/a.c"], tmp)
    summ = doc.get("summary", {})
    check(st == 1 and ids_lines(doc) == [new], "--format=json: only the new finding", json.dumps(doc.get("findings")))
    check(summ.get("findings") == 1 and summ.get("baseline_suppressed") == 2
          and sum(summ.get("by_id", {}).values()) == 1 and summ.get("by_id", {}).get("rc-leak") == 0,
          "JSON summary: findings 1, by_id without the baselined ones, baseline_suppressed 2", json.dumps(summ))
    st, out, err = run(["--format=sarif", "--baseline", "base.json", "src/a.c"], tmp)
    try:
        results = json.loads(out)["runs"][0]["results"]
    except (json.JSONDecodeError, KeyError, IndexError) as e:
        results = [f"<{e}>"]
    check(st == 1 and [r.get("ruleId") for r in results if isinstance(r, dict)] == ["rc-double-release"]
          and len(results) == 1, "--format=sarif: only the new result", out[:1500])

    # A baseline of the current state: nothing reported, exit 0.
    run(["--format=json", "-o", "base2.json", "src/a.c"], tmp)
    st, out, err = run(["--baseline", "base2.json", "src/a.c"], tmp)
    sums = summary_lines(err)
    check(st == 0 and out == "", "a baseline of the current state: exit 0, nothing reported", out + err)
    check(len(sums) == 1 and sums[0]["findings"] == "0" and sums[0]["baseline"] == "3",
          "summary: 0 findings, 3 in baseline not shown", err)
    st, doc, err = run_json(["--baseline", "base2.json", "src/a.c"], tmp)
    check(st == 0 and doc.get("findings") == [] and doc.get("summary", {}).get("baseline_suppressed") == 3,
          "JSON: empty findings, baseline_suppressed 3", json.dumps(doc.get("summary")))
    # Another file of the same name is another file: other/a.c (version 1) does not cover src/a.c.
    run(["--format=json", "-o", "other.json", "other/a.c"], tmp)
    st, out, err = run(["--baseline", "other.json", "src/a.c"], tmp)
    warns = [m for m in (WARN_RE.match(l) for l in out.splitlines()) if m]
    sums = summary_lines(err)
    check(st == 1 and len(warns) == 3 and len(sums) == 1 and sums[0]["baseline"] == "0",
          "a baseline of other/a.c does not hide the same findings in src/a.c (0 in baseline)", out + err)

    # Paths given differently still match: absolute vs relative, another working directory.
    abs_a = os.path.join(tmp, "src", "a.c")
    st, doc, err = run_json(["--baseline", "base.json", abs_a], tmp)
    check(st == 1 and ids_lines(doc) == [new], "baseline with relative paths, run with an absolute path",
          json.dumps(doc.get("findings")))
    st, doc, err = run_json(["--baseline", "../base.json", "a.c"], os.path.join(tmp, "src"))
    check(st == 1 and ids_lines(doc) == [new], "baseline written from the top, run from src/ on a.c",
          json.dumps(doc.get("findings")))
    write_tree(tmp, {"src/a.c": BASE_V1})
    run(["--format=json", "-o", "abs.json", abs_a], tmp)
    write_tree(tmp, {"src/a.c": BASE_V2})
    st, doc, err = run_json(["--baseline", "abs.json", "src/a.c"], tmp)
    check(st == 1 and ids_lines(doc) == [new], "baseline with absolute paths, run with a relative path",
          json.dumps(doc.get("findings")))

    # The multiset rule: two identical leaks in one function, one of them in the baseline.
    write_tree(tmp, {"t/twice.c": TWICE_V1})
    run(["--format=json", "-o", "twice.json", "t/twice.c"], tmp)
    write_tree(tmp, {"t/twice.c": TWICE_V2})
    st, doc, err = run_json(["t/twice.c"], tmp)
    leaks = [f for f in doc.get("findings", []) if f.get("id") == "rc-leak"]
    check(len(leaks) == 2 and leaks[0]["message"] == leaks[1]["message"]
          and leaks[0]["function"] == leaks[1]["function"],
          "precondition: two leaks with the same function and message", json.dumps(leaks))
    st, doc, err = run_json(["--baseline", "twice.json", "t/twice.c"], tmp)
    got = [(f.get("id"), f.get("function")) for f in doc.get("findings", [])]
    check(st == 1 and got == [("rc-leak", "bad_twice")] and doc.get("summary", {}).get("baseline_suppressed") == 1,
          "one baseline entry absorbs one of two identical findings: the other is reported", json.dumps(doc))
    run(["--format=json", "-o", "twice2.json", "t/twice.c"], tmp)
    st, doc, err = run_json(["--baseline", "twice2.json", "t/twice.c"], tmp)
    check(st == 0 and doc.get("findings") == [], "both in the baseline: none reported", json.dumps(doc))

    # One defect, several paths: one finding (the shortest path, the first return) with the number
    # of paths, in JSON, text and SARIF; --all-paths lists each; a baseline of the merged form
    # absorbs the defect however many paths reach it.
    write_tree(tmp, {"t/paths.c": TWICE_PATHS})
    st, doc, err = run_json(["t/paths.c"], tmp)
    leaks = [f for f in doc.get("findings", []) if f.get("id") == "rc-leak"]
    check(len(leaks) == 1 and leaks[0].get("paths") == 2 and leaks[0]["line"] == line_of(TWICE_PATHS, "first"),
          "one acquisition leaked on two paths is one finding with paths: 2", json.dumps(doc))
    st, out, err = run(["t/paths.c"], tmp)
    check(out.count("warning:") == 1 and "2 paths lead to this defect" in out, "text: one warning, its paths", out)
    st, doc, err = run_json(["--all-paths", "t/paths.c"], tmp)
    check(sorted(f["line"] for f in doc.get("findings", [])) == [line_of(TWICE_PATHS, "first"), line_of(TWICE_PATHS, "second")]
          and all(f.get("paths") == 1 for f in doc.get("findings", [])), "--all-paths: each path's finding", json.dumps(doc))
    st, out, err = run(["--format=sarif", "t/paths.c"], tmp)
    res = json.loads(out)["runs"][0]["results"] if st == 1 else []
    check(len(res) == 1 and res[0].get("properties", {}).get("paths") == 2, "SARIF: one result, properties.paths", out[:2000])
    write_tree(tmp, {"t/paths.c": TWICE_V1})
    run(["--format=json", "-o", "paths.json", "t/paths.c"], tmp)
    write_tree(tmp, {"t/paths.c": TWICE_PATHS})
    st, doc, err = run_json(["--baseline", "paths.json", "t/paths.c"], tmp)
    check(st == 0 and doc.get("findings") == [], "a new path to a defect in the baseline is not a new finding",
          json.dumps(doc))

    # SARIF: partialFingerprints, stable when lines move; a SARIF report as the baseline.
    write_tree(tmp, {"src/a.c": BASE_V1})
    st, out, err = run(["--format=sarif", "-o", "base.sarif", "src/a.c"], tmp)
    write_tree(tmp, {"src/a.c": BASE_V2})
    st, out2, err = run(["--format=sarif", "src/a.c"], tmp)

    def fingerprints(text):
        try:
            return [r.get("partialFingerprints", {}).get("rccheck/v1")
                    for r in json.loads(text)["runs"][0]["results"]]
        except (json.JSONDecodeError, KeyError, IndexError, AttributeError):
            return []
    try:
        with open(os.path.join(tmp, "base.sarif"), encoding="utf-8") as f:
            fp1 = fingerprints(f.read())
    except OSError:
        fp1 = []
    fp2 = fingerprints(out2)
    check(len(fp1) == 2 and len(fp2) == 3 and all(isinstance(x, str) and re.fullmatch(r"[0-9a-f]{16}", x)
                                                  for x in fp1 + fp2),
          "every SARIF result has partialFingerprints[\"rccheck/v1\"] (16 hex digits)", f"{fp1} {fp2}")
    check(set(fp1) < set(fp2) and len(set(fp2)) == 3,
          "fingerprints survive moved lines; the new bug has a new one", f"{fp1} {fp2}")
    for path, what in (("src/a.c", "same path"), (abs_a, "absolute path")):
        st, doc, err = run_json(["--baseline", "base.sarif", path], tmp)
        check(st == 1 and ids_lines(doc) == [new], f"a SARIF baseline: only the new bug ({what})",
              json.dumps(doc.get("findings")) + err)
    try:
        import jsonschema
        with open(SCHEMA, encoding="utf-8") as f:
            validator = jsonschema.Draft4Validator(json.load(f))
        errors = list(validator.iter_errors(json.loads(out2)))
        check(not errors, "the SARIF log with partialFingerprints validates",
              "\n".join(e.message for e in errors[:5]))
    except ImportError:
        print("note: python3-jsonschema missing, SARIF schema not checked here (the sarif scenario does)")
    except json.JSONDecodeError as e:
        check(False, "--format=sarif prints JSON", str(e))

    # Bad baselines: exit 2 before any analysis, with a message naming the file.
    bad = {
        "empty.json": "",
        "notjson.json": "{ this is not json",
        "array.json": "[]",
        "nofindings.json": '{"tool": "rccheck", "errors": []}',
        "findings-object.json": '{"findings": {"id": "rc-leak"}}',
        "entry-not-object.json": '{"findings": [1]}',
        "entry-no-file.json": '{"findings": [{"id": "rc-leak", "function": "f", "message": "m"}]}',
        "foreign.sarif": '{"version": "2.1.0", "runs": [{"results": [{"ruleId": "x", "message": {"text": "m"},'
                         ' "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}}}]}]}]}',
    }
    write_tree(tmp, {f"bad/{k}": v for k, v in bad.items()})
    os.makedirs(os.path.join(tmp, "bad", "dir.json"), exist_ok=True)
    for name in sorted(bad) + ["dir.json", "missing.json"]:
        st, out, err = run(["--baseline", f"bad/{name}", "src/a.c"], tmp)
        errs = error_lines(err)
        check(st == 2 and len(errs) == 1 and errs[0].startswith(f"rccheck: error: bad/{name}: ")
              and out == "" and not summary_lines(err),
              f"a bad baseline ({name}): exit 2, `rccheck: error: bad/{name}: ...`, nothing analysed", out + err)
    st, out, err = run(["src/a.c", "--baseline"], tmp, include=False)
    check(st == 2 and "--baseline" in err, "--baseline without a file is a usage error", err)
    st, out, err = run(["--baseline", "base.json", "--baseline", "base2.json", "src/a.c"], tmp)
    check(st == 2 and "--baseline" in err, "--baseline twice is a usage error", err)


# A unity build: the module's one source includes its parts (`#include "part.c"`), which do not
# compile alone; their functions are analysed in the including file and reported at their own
# file. Functions of headers (static inline helpers) are not analysed.
UNITY_MAIN = PRELUDE + """#include "helpers.h"
#include "part.c"

int bad_main_leak(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; /*@main-leak*/
}
"""

UNITY_PART = """/* a part of unity.c: it needs the declarations unity.c has before it */
static int bad_part_leak(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return used_by_part(o); /*@part-leak*/
}

static int ok_part_suppressed(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	if (!o)
		return -1;
	return 0; // rccheck: ignore[rc-leak]
}

int part_entry(rc_heap *h)
{
	return bad_part_leak(h) + ok_part_suppressed(h);
}
"""

UNITY_HEADER = """static inline int used_by_part(rc_object *o)
{
	return o != 0;
}

static inline int header_leak(rc_heap *h)
{
	rc_object *o = rc_new(h, &thing_type);
	return o != 0; /*@header-leak*/
}
"""


def sc_fragments(tmp):
    write_tree(tmp, {"src/unity.c": UNITY_MAIN, "src/part.c": UNITY_PART, "src/helpers.h": UNITY_HEADER})
    st, doc, err = run_json(["src/unity.c"], tmp)
    want = {("unity.c", line_of(UNITY_MAIN, "main-leak"), "rc-leak"),
            ("part.c", line_of(UNITY_PART, "part-leak"), "rc-leak")}
    got = found(doc)
    check(got == want, "functions of an included part.c are analysed and reported at part.c (its suppression "
          "comment honoured); a header's static inline functions are not",
          f"missing: {sorted(want - got)}\nunexpected: {sorted(got - want)}\n{err}")
    files = {f["file"] for f in doc.get("findings", [])}
    check(files == {"src/unity.c", "src/part.c"}, "the part is printed with the path clang opened it by",
          files)
    part = [f for f in doc.get("findings", []) if f["file"] == "src/part.c"]
    check(part and all(n["file"] == "src/part.c" for n in part[0]["path"]) and
          all(n["line"] <= len(UNITY_PART.splitlines()) for n in part[0]["path"]),
          "the path notes of a part's finding name the part and its lines", part)
    check(doc.get("summary", {}).get("functions") == 4, "4 functions: the main file's and the part's",
          doc.get("summary"))
    st, out, err = run(["src/unity.c"], tmp)
    line = line_of(UNITY_PART, "part-leak")
    check(any(l.startswith(f"src/part.c:{line}:") and "[rc-leak]" in l for l in out.splitlines()),
          "text output: the part's finding at src/part.c:LINE", out)
    st, out, err = run(["--format=sarif", "src/unity.c"], tmp)
    try:
        sarif = json.loads(out)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in sarif["runs"][0]["results"]}
    except (ValueError, KeyError, IndexError) as e:
        uris = {str(e)}
    check(uris == {"src/unity.c", "src/part.c"}, "SARIF: each result's location names its own file", uris)
    # a baseline written now absorbs the part's finding too
    base = os.path.join(tmp, "base.json")
    with open(base, "w") as f:
        json.dump(doc, f)
    st, doc2, err = run_json(["--baseline", base, "src/unity.c"], tmp)
    check(st == 0 and not doc2.get("findings"), "--baseline absorbs the findings of parts as well",
          (st, doc2.get("findings"), err))
    # a part that is an input of the run too (a directory walk meets it) is analysed once, alone
    part = PRELUDE + UNITY_PART.replace("used_by_part(o)", "o != 0")
    write_tree(tmp, {"both/main.c": '#include "part.c"\n', "both/part.c": part})
    st, doc3, err = run_json(["both"], tmp)
    got = sorted((os.path.basename(f["file"]), f["line"], f["id"]) for f in doc3.get("findings", []))
    check(got == [("part.c", line_of(part, "part-leak"), "rc-leak")],
          "a part that is also an input is analysed on its own only: its finding is reported once", got)


SEVERITY = PRELUDE + """
RC_NEG_ON_FAILURE int fill(rc_object *o);

int bad_high(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	return 0; /*@high*/
}

int bad_medium(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	if (fill(obj) < 0)
		return -1; /*@medium*/
	rc_decref(obj);
	return 0;
}

/* the same line reached with and without a failure: the finding is as easy as the easiest */
int bad_both(rc_heap *heap, int k)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	if (fill(obj) < 0) /* its failure is explored first */
		k = 0;
	return k; /*@both*/
}

int bad_low(rc_heap *heap)
{
	rc_object *a = rc_new(heap, &thing_type);
	if (!a)
		return -1;
	rc_object *b = rc_new(heap, &thing_type);
	if (!b)
		return -1; /*@low*/
	rc_decref(b);
	rc_decref(a);
	return 0;
}
"""


def sc_severity(tmp):
    """What it takes for a finding's path to happen: high (no failure), medium (an ordinary
    failure), low (only out of memory); in JSON, text and SARIF; --min-severity filters."""
    write_tree(tmp, {"sev.c": SEVERITY})
    st, doc, err = run_json(["sev.c"], tmp)
    got = {f["line"]: (f.get("rank"), f.get("needs")) for f in doc.get("findings", [])}
    want = {line_of(SEVERITY, "high"): ("high", None), line_of(SEVERITY, "medium"): ("medium", "fill"),
            line_of(SEVERITY, "low"): ("low", "rc_new"), line_of(SEVERITY, "both"): ("high", None)}
    check(st == 1 and got == want, "JSON rank and needs: high, medium (fill fails), low (rc_new out of memory)",
          json.dumps(doc.get("findings")))
    st, out, err = run(["sev.c"], tmp)
    check("note: severity medium: the path needs 'fill' to fail" in out
          and "note: severity low: the path needs 'rc_new' to run out of memory" in out
          and "note: severity high: the path needs no failure" in out, "text: a severity note per finding", out)
    st, out, err = run(["--format=sarif", "sev.c"], tmp)
    res = json.loads(out)["runs"][0]["results"] if st == 1 else []
    levels = sorted((r.get("level"), r.get("rank")) for r in res)
    check(levels == [("note", 30.0), ("warning", 60.0), ("warning", 90.0), ("warning", 90.0)], "SARIF level and rank",
          out[:3000])
    st, doc, err = run_json(["--min-severity", "medium", "sev.c"], tmp)
    check(st == 1 and sorted(f["line"] for f in doc["findings"]) == sorted([line_of(SEVERITY, "high"), line_of(SEVERITY, "medium"),
                                                                           line_of(SEVERITY, "both")])
          and doc["summary"].get("below_min_severity") == 1, "--min-severity medium leaves the low one out, counted",
          json.dumps(doc))
    st, out, err = run(["--min-severity=high", "sev.c"], tmp)
    check(st == 1 and out.count("warning:") == 2 and "2 below --min-severity not shown" in err,
          "--min-severity=high: the two high ones, the summary counts the others", out + err)
    st, out, err = run(["--min-severity", "severe", "sev.c"], tmp)
    check(st == 2 and "--min-severity" in err, "a bad level is a usage error", err)


def sc_guesses(tmp):
    """A reference handed to a function rccheck knows nothing about (declared, not defined, no
    model), then lost: the leak rests on the guess that the function only borrowed it. Held
    back by default and counted; --show-guesses reports it with the guess named."""
    write_tree(tmp, {"src/leak.c": LEAK})
    st, doc, err = run_json(["src/leak.c"], tmp, guesses=False)
    check(st == 0 and doc.get("findings") == [] and doc["summary"].get("held_back_guesses") == 1,
          "by default the leak after consume(obj) is held back, and counted", json.dumps(doc))
    st, out, err = run(["src/leak.c"], tmp, guesses=False)
    check(st == 0 and "1 resting on guesses not shown (--show-guesses)" in err, "the summary line counts it", err)
    st, doc, err = run_json(["--show-guesses", "src/leak.c"], tmp, guesses=False)
    f = doc.get("findings", [])
    check(st == 1 and len(f) == 1 and "knows nothing about" in f[0].get("guess", ""),
          "--show-guesses reports it, with the guess it rests on", json.dumps(doc))
    st, out, err = run(["--show-guesses", "src/leak.c"], tmp, guesses=False)
    check("note: this finding rests on a guess" in out, "text: a note names the guess", out)
    # the same leak without the unknown call is no guess
    plain = LEAK.replace("if (consume(obj) < 0) /*@branch2*/", "if (rc_refcount(obj) > 1) /*@branch2*/")
    write_tree(tmp, {"src/plain.c": plain})
    st, doc, err = run_json(["src/plain.c"], tmp, guesses=False)
    check(st == 1 and len(doc.get("findings", [])) == 1 and "guess" not in doc["findings"][0],
          "a leak that needs no guess is reported by default", json.dumps(doc))


MACRO_FNS = PRELUDE + """
#define DEFINE_MAKER(name) \\
	int name(rc_heap *heap) \\
	{ \\
		rc_object *o = rc_new(heap, &thing_type); \\
		if (!o) \\
			return -1; \\
		return 0; \\
	}

DEFINE_MAKER(make_one) /*@one*/
DEFINE_MAKER(make_two) /*@two*/
"""


def sc_macro_functions(tmp):
    """Functions defined by a macro expanded in the file are analysed (CPython's own SLOT* and
    math wrappers are written so): each expansion is a function, reported at its expansion."""
    write_tree(tmp, {"m.c": MACRO_FNS})
    st, doc, err = run_json(["m.c"], tmp)
    got = sorted((f["function"], f["line"]) for f in doc.get("findings", []))
    check(st == 1 and got == [("make_one", line_of(MACRO_FNS, "one")), ("make_two", line_of(MACRO_FNS, "two"))]
          and doc["summary"].get("functions") == 2, "both macro-defined functions analysed, leaks at the expansions",
          json.dumps(doc))



MACRO_NAMES = """#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "api.h"

static PyObject *bad_call_method(PyObject *self, PyObject *o)
{
	PyObject *r = PyObject_CallMethod(o, "m", NULL); /*@call*/
	(void)self;
	if (r == NULL)
		return NULL;
	return Py_None; /*@none*/
}

static PyObject *bad_true(PyObject *self, PyObject *o)
{
	(void)self;
	(void)o;
	return Py_True; /*@true*/
}

static PyObject *bad_none_release(PyObject *self, PyObject *o)
{
	(void)self;
	(void)o;
	Py_DECREF(MY_NONE); /*@mynone*/
	Py_RETURN_NONE;
}

int bad_widget(void)
{
	struct widget *w = make_widget(3); /*@widget*/
	if (!w)
		return -1;
	return 0; /*@wleak*/
}

int bad_widget_block(void)
{
	struct widget *w;
	MAKE_BLOCK(w); /*@block*/
	if (!w)
		return -1;
	return 0;
}

static PyMethodDef methods[] = {
	{"call_method", bad_call_method, METH_O, NULL},
	{"t", bad_true, METH_O, NULL},
	{"n", bad_none_release, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};
"""

MACRO_NAMES_API = """struct widget;
struct widget *_make_widget_v2(int size);
void widget_free(struct widget *w);
/* the API renames its functions: users write make_widget */
#define make_widget _make_widget_v2
/* a macro whose body does more than name the function: its name is not the callee's */
#define MAKE_BLOCK(w) do { (w) = _make_widget_v2(1); } while (0)
#define MY_NONE Py_None
"""


def sc_macro_names(tmp):
    """Messages name what the user's code wrote when a macro renamed it: PyObject_CallMethod
    (a macro for _PyObject_CallMethod_SizeT), Py_None and Py_True (macros for the addresses of
    _Py_NoneStruct and _Py_TrueStruct), an API's own renaming macro; the model still applies
    to the real name. A macro that does more than rename (a do-while block) keeps the callee's
    name; a macro defined as another macro shows the innermost (MY_NONE: Py_None)."""
    write_tree(tmp, {"m.c": MACRO_NAMES, "api.h": MACRO_NAMES_API,
                     "api.model": "_make_widget_v2 new null-on-failure\nwidget_free none releases=1\n"})
    st, doc, err = run_json(["--model", "api.model", "m.c"], tmp, include=False)
    fs = doc.get("findings", [])
    text = json.dumps(fs)
    by_line = {}
    for f in fs:
        by_line.setdefault(f["line"], []).append(f)

    def messages(tag):
        return [f["message"] for f in by_line.get(line_of(MACRO_NAMES, tag), [])]

    def notes(tag):
        line = line_of(MACRO_NAMES, tag)
        return [n.get("message") for f in fs for n in f.get("path", []) if n.get("line") == line]
    check(st == 1 and not doc.get("errors"), "m.c is analysed with findings", err)
    check("_PyObject_CallMethod_SizeT" not in text and "_Py_NoneStruct" not in text and "_Py_TrueStruct" not in text,
          "no macro internals in any message or note", text)
    check("new reference acquired from 'PyObject_CallMethod'" in notes("call"),
          "the acquisition is named as written: PyObject_CallMethod", notes("call"))
    check(any("returns 'Py_None', borrowed from a static object" in m for m in messages("none")),
          "the return of Py_None says Py_None", messages("none"))
    check(any("returns 'Py_True'" in m for m in messages("true")), "Py_True (a cast in its macro) says Py_True",
          messages("true"))
    check(any(m.startswith("'Py_None' is released by 'Py_DECREF'") for m in messages("mynone")),
          "a macro defined as Py_None shows Py_None (the innermost macro)", messages("mynone"))
    check("new reference acquired from 'make_widget'" in notes("widget")
          and any("rc-leak" == f["id"] for f in by_line.get(line_of(MACRO_NAMES, "wleak"), [])),
          "an API's renaming macro: make_widget in the note, and its model (by the real name) applies", text)
    check(any("'_make_widget_v2'" in n for n in notes("block")),
          "a macro whose body does more than rename keeps the callee's name", notes("block"))
    st, out, err = run(["--model", "api.model", "m.c"], tmp, include=False)
    check(f"m.c:{line_of(MACRO_NAMES, 'call')}:16: note: new reference acquired from 'PyObject_CallMethod'" in out,
          "the text output says it too", out)

# ---------------------------------------------------------------------------------------------
# SARIF for GitHub code scanning, and the per-check documentation (docs/checks.md)
# ---------------------------------------------------------------------------------------------

DOCS_CHECKS = os.path.join(HERE, "..", "..", "docs", "checks.md")


def doc_sections():
    """{check ID: section body} of docs/checks.md (the '## ID' sections, heading left out), as
    analyzer/report/embed_rule_docs.py reads them."""
    with open(DOCS_CHECKS, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = part.partition("\n")
        out[head.strip()] = body.strip("\n") + "\n"
    return out


def github_problems(log):
    """What GitHub code scanning's documentation ("SARIF support for code scanning") lists as
    required and rccheck's log lacks: tool.driver.name; for each rule id, shortDescription.text,
    fullDescription.text and help.text; for each result ruleId, message.text and a location with
    an artifact URI and a start line. Returns a list of messages (empty: nothing missing)."""
    bad = []
    for ri, run_ in enumerate(log.get("runs", [])):
        driver = run_.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            bad.append(f"runs[{ri}].tool.driver.name")
        for rule in driver.get("rules", []):
            for path in (("id",), ("shortDescription", "text"), ("fullDescription", "text"), ("help", "text")):
                v = rule
                for k in path:
                    v = v.get(k, {}) if isinstance(v, dict) else {}
                if not isinstance(v, str) or not v.strip():
                    bad.append(f"rule {rule.get('id')}: {'.'.join(path)}")
        for k, res in enumerate(run_.get("results", [])):
            if not res.get("ruleId") or not res.get("message", {}).get("text"):
                bad.append(f"result {k}: ruleId, message.text")
            locs = res.get("locations", [])
            pl = locs[0].get("physicalLocation", {}) if locs else {}
            if not pl.get("artifactLocation", {}).get("uri") or not isinstance(pl.get("region", {}).get("startLine"), int):
                bad.append(f"result {k}: locations[0] with uri and startLine")
    return bad


def sc_sarif_github(tmp):
    """The SARIF log as GitHub code scanning reads it: every rule documented from
    docs/checks.md (fullDescription, help text and markdown, helpUri to the check's anchor),
    GitHub's required fields, the schema, and what was not analysed as notifications."""
    try:
        import jsonschema
    except ImportError:
        check(False, "python3-jsonschema is importable (Debian package python3-jsonschema)")
        return
    with open(SCHEMA, encoding="utf-8") as f:
        validator = jsonschema.Draft4Validator(json.load(f))
    many_paths = PRELUDE + "int cond(void);\nint h(rc_object *o)\n{\n\tint n = 0;\n" + \
        "".join(f"\tif (cond())\n\t\tn += {i};\n\telse\n\t\tconsume(o);\n" for i in range(40)) + "\treturn n;\n}\n"
    write_tree(tmp, {"src/leak.c": LEAK, "src/paths.c": many_paths})
    st, out, err = run(["--format=sarif", "--max-states", "200", "src/leak.c", "src/paths.c", "src/missing.c"], tmp)
    try:
        log = json.loads(out)
    except json.JSONDecodeError as e:
        check(False, "--format=sarif prints JSON", f"{e}\n{out[:500]}")
        return
    errors = list(validator.iter_errors(log))
    check(not errors, "the log validates against sarif-schema-2.1.0.json",
          "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10]))
    problems = github_problems(log)
    check(not problems, "GitHub's required fields are all there", "\n".join(problems))
    driver = log["runs"][0]["tool"]["driver"]
    docs = doc_sections()
    rules = {r.get("id"): r for r in driver.get("rules", [])}
    check(sorted(rules) == sorted(CHECK_IDS), "one rule per check ID", sorted(rules))
    for cid, r in sorted(rules.items()):
        body = docs.get(cid)
        if not check(body is not None, f"docs/checks.md has a section '## {cid}'"):
            continue
        first = " ".join(body.split("\n\n")[0].split())
        check(r.get("fullDescription", {}).get("text") == first,
              f"{cid}: fullDescription is the first paragraph of its section", r.get("fullDescription"))
        check(r.get("help", {}).get("markdown") == body, f"{cid}: help.markdown is its section of docs/checks.md",
              str(r.get("help", {}).get("markdown"))[:300])
        text = r.get("help", {}).get("text", "")
        first_code = re.search(r"^```c\n(.*)$", body, flags=re.M)
        check("```" not in text and "**" not in text and first_code
              and "\n    " + first_code.group(1) + "\n" in text,
              f"{cid}: help.text is the section without markup, code indented", text[:300])
        uri = str(r.get("helpUri", ""))
        check(re.fullmatch(r"https?://[^#\s]+/docs/checks\.md#" + re.escape(cid), uri) is not None,
              f"{cid}: helpUri is docs/checks.md's anchor #{cid} (an absolute URL)", uri)
    check(str(driver.get("informationUri", "")).startswith("http"), "driver.informationUri is a URL",
          driver.get("informationUri"))
    # What was not analysed goes to the invocation's notifications, and the run is unsuccessful.
    inv = log["runs"][0].get("invocations", [{}])[0]
    notes = inv.get("toolExecutionNotifications", [])
    check(st == 2 and inv.get("executionSuccessful") is False, "an input error: exit 2, executionSuccessful false",
          json.dumps(inv)[:400])
    check(any(n.get("level") == "error" and "missing.c" in json.dumps(n) for n in notes),
          "the missing input is a notification of level error", json.dumps(notes)[:800])
    check(any(n.get("level") == "note" and "stopped after" in n.get("message", {}).get("text", "")
              and n.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
              == "src/paths.c" for n in notes),
          "the function stopped by its budget is a notification of level note at its file", json.dumps(notes)[:800])
    check(any(r.get("ruleId") == "rc-leak" for r in log["runs"][0].get("results", [])),
          "the other file's finding is still a result")
    # A clean complete run: no notification, executionSuccessful true.
    write_tree(tmp, {"ok/clean.c": CLEAN})
    st, out, err = run(["--format=sarif", "ok/clean.c"], tmp)
    inv = json.loads(out)["runs"][0]["invocations"][0]
    check(st == 0 and inv.get("executionSuccessful") is True and inv.get("toolExecutionNotifications") == [],
          "a clean run: exit 0, executionSuccessful, no notification", json.dumps(inv))


def doc_examples():
    """[(check ID, [C blocks])] of docs/checks.md."""
    return [(cid, re.findall(r"^```c\n(.*?)^```", body, flags=re.M | re.S))
            for cid, body in doc_sections().items()]


def sc_check_docs(tmp):
    """Each section of docs/checks.md tells the truth: its first C example gets findings of its
    check and of no other, its fixed twin none (with Python's headers as rccheck finds them by
    itself, as a user's run would)."""
    docs = doc_examples()
    check(sorted(cid for cid, _ in docs) == sorted(CHECK_IDS), "docs/checks.md has one section per check",
          [cid for cid, _ in docs])
    for cid, blocks in docs:
        if not check(len(blocks) >= 2, f"{cid}: an example and its fix"):
            continue
        for k, want in ((0, {cid}), (1, set())):
            name = f"{cid}-{'bad' if k == 0 else 'fixed'}.c"
            write_tree(tmp, {name: "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n" + blocks[k]})
            st, doc, err = run_json([name], tmp, include=False)
            ids = {f.get("id") for f in doc.get("findings", [])}
            check(ids == want and st == (1 if want else 0) and not doc.get("errors"),
                  f"{cid}: the {'example' if k == 0 else 'fix'} gets {sorted(want) or 'no finding'}",
                  f"status {st}, found {sorted(ids)}\n{json.dumps(doc.get('findings'))[:800]}\n{err}")


# ---------------------------------------------------------------------------------------------
# Choosing checks (--checks=) and the configuration file (.rccheck)
# ---------------------------------------------------------------------------------------------

ALL_BAD = {"src/leak.c": LEAK, "src/double.c": DOUBLE, "src/uar.c": UAR, "src/borrowed.c": BORROWED}


def ids_of(doc):
    return sorted({f.get("id") for f in doc.get("findings", [])})


def sc_checks(tmp):
    write_tree(tmp, ALL_BAD)
    st, doc, err = run_json(["--no-config", "src"], tmp)
    every = ids_of(doc)
    check(st == 1 and {"rc-leak", "rc-double-release", "rc-use-after-release", "rc-release-borrowed"} <= set(every),
          "without --checks every check reports", every)
    cases = [("-*,rc-leak", ["rc-leak"]),
             ("-rc-leak", [i for i in every if i != "rc-leak"]),
             ("-*,rc-*-release*", ["rc-double-release", "rc-use-after-release"]),
             (" -* , rc-leak ,, rc-double-release", ["rc-double-release", "rc-leak"]),
             ("-*,rc-leak,-rc-leak,rc-release-borrowed", ["rc-release-borrowed"]),
             ("*", every)]
    for spec, want in cases:
        st, doc, err = run_json([f"--checks={spec}", "--no-config", "src"], tmp)
        check(ids_of(doc) == sorted(want) and st == 1, f"--checks={spec!r} reports {sorted(want)}",
              f"status {st}: {ids_of(doc)}\n{err}")
        sums = summary_lines(err)
        check(doc.get("summary", {}).get("findings") == len(doc.get("findings", [])),
              f"--checks={spec!r}: the summary counts only what is reported", json.dumps(doc.get("summary")))
    st, doc, err = run_json(["--checks", "-*,rc-inconsistent", "--no-config", "src"], tmp)
    check(st == 0 and doc.get("findings") == [], "--checks VALUE (separate): only rc-inconsistent, clean, exit 0",
          err)
    # SARIF still lists every rule, results only of the checks that ran
    st, out, err = run(["--format=sarif", "--checks=-*,rc-leak", "--no-config", "src"], tmp)
    log = json.loads(out)
    check(len(log["runs"][0]["tool"]["driver"]["rules"]) == len(CHECK_IDS)
          and {r["ruleId"] for r in log["runs"][0]["results"]} == {"rc-leak"},
          "SARIF: every rule listed, results of rc-leak only", out[:300])
    for spec, what in (("rc-lek", "'rc-lek' names no check"), ("-*,nothing*", "'nothing*' names no check")):
        st, out, err = run([f"--checks={spec}", "--no-config", "src"], tmp)
        check(st == 2 and what in err and out == "", f"--checks={spec}: exit 2, {what}", err)
    st, out, err = run(["--checks=-*", "--no-config", "src"], tmp)
    check(st == 2 and "no check enabled" in err, "--checks=-*: exit 2, no check enabled", err)
    st, out, err = run(["--checks=", "src"], tmp)
    check(st == 2 and "--checks needs" in err, "--checks= (empty): usage error", err)
    st, out, err = run(["--checks=rc-leak", "--checks=rc-leak", "src"], tmp)
    check(st == 2 and "once" in err, "--checks twice: usage error", err)


def sc_config(tmp):
    api_model = "gz_make new null-on-failure\ngz_free none releases=1\ngz_peek borrowed\n"
    write_tree(tmp, dict(ALL_BAD, **{
        "proj/src/leak.c": LEAK, "proj/src/double.c": DOUBLE, "proj/src/api.c": MODEL_SRC,
        "proj/models/gizmo.model": api_model,
        "proj/inc/flag.h": "#define FLAG 1\n",
        "proj/src/flag.c": PRELUDE + "#include \"flag.h\"\n#ifdef WANT_LEAK\n" + LEAK.replace(PRELUDE, "") + "#endif\n",
        "proj/.rccheck": "# rccheck configuration\n\nchecks: -rc-double-release\n"
                         "model: models/gizmo.model\ncompile-args: -DWANT_LEAK -I inc\n"}))
    proj = os.path.join(tmp, "proj")
    # found from the working directory (proj/src: one level below the file)
    st, doc, err = run_json(["leak.c", "double.c", "api.c", "flag.c"], os.path.join(proj, "src"))
    got = found(doc)
    check(st == 1 and not doc.get("errors"), "a run under proj/ reads proj/.rccheck", err)
    check(not any(i == "rc-double-release" for _, _, i in got), "checks: -rc-double-release is applied", got)
    check(("api.c", line_of(MODEL_SRC, "leak"), "rc-leak") in got,
          "model: (relative to the file's directory) is loaded", got)
    check(("flag.c", line_of(LEAK, "leak") + 2, "rc-leak") in got,
          "compile-args: -D and -I (relative to the file's directory) reach the parser", got)
    # the command line takes precedence
    st, doc, err = run_json(["--checks=rc-double-release", "double.c"], os.path.join(proj, "src"))
    check(("double.c", line_of(DOUBLE, "double"), "rc-double-release") in found(doc),
          "--checks on the command line applies after the file's checks", json.dumps(doc.get("findings")) + err)
    st, doc, err = run_json(["--no-config", "double.c", "api.c"], os.path.join(proj, "src"))
    check(("double.c", line_of(DOUBLE, "double"), "rc-double-release") in found(doc)
          and not any(f == "api.c" for f, _, _ in found(doc)), "--no-config ignores .rccheck", found(doc))
    # baseline: and min-severity:
    st, out, err = run(["--no-config", "--format=json", "-o", "base.json", "leak.c"], os.path.join(proj, "src"))
    write_tree(tmp, {"proj/src/.rccheck": "baseline: base.json\n"})
    st, out, err = run(["leak.c"], os.path.join(proj, "src"))
    check(st == 0 and "1 in baseline not shown" in err, "baseline: (relative to the file) applies; the nearest "
          ".rccheck wins (proj/src over proj)", f"{st}\n{out}\n{err}")
    write_tree(tmp, {"proj/src/.rccheck": "min-severity: medium\n", "proj/src/null.c": NULLCHK})
    st, doc, err = run_json(["null.c"], os.path.join(proj, "src"))
    check(st == 0 and doc["summary"].get("below_min_severity") == 1,
          "min-severity: medium leaves out a path that needs out of memory", json.dumps(doc.get("summary")))
    st, doc, err = run_json(["--min-severity", "low", "null.c"], os.path.join(proj, "src"))
    check(st == 1, "--min-severity on the command line overrides the file's", err)
    os.remove(os.path.join(proj, "src", ".rccheck"))
    # each file also takes checks and compile-args from the nearest .rccheck upward from it
    write_tree(tmp, {"proj/tests/double.c": DOUBLE, "proj/tests/leak.c": LEAK,
                     "proj/tests/flag.c": PRELUDE + "#ifdef WANT_LEAK\n" + LEAK.replace(PRELUDE, "") + "#endif\n",
                     "proj/tests/.rccheck": "checks: -*,rc-double-release\nmodel: ../models/gizmo.model\n"})
    st, doc, err = run_json(["src/leak.c", "src/double.c", "tests"], proj)
    got = {(os.path.dirname(f["file"]), f["id"]) for f in doc.get("findings", [])}
    check(("tests", "rc-double-release") in got and ("tests", "rc-leak") not in got,
          "tests/ files take checks from tests/.rccheck (only rc-double-release)", sorted(got))
    check(("src", "rc-leak") in got and ("src", "rc-double-release") not in got,
          "src/ files keep proj/.rccheck's checks", sorted(got))
    check("rccheck: note: tests/.rccheck: model, baseline and min-severity apply to a whole run" in err,
          "a model line in another file than the run's is named as not used", err)
    st, doc, err = run_json(["tests/flag.c", "src/flag.c"], proj)
    check({f["file"] for f in doc.get("findings", [])} == {"src/flag.c"},
          "compile-args are the file's own .rccheck's (tests/flag.c has no -DWANT_LEAK)", json.dumps(doc.get("findings")))
    st, doc, err = run_json(["double.c"], os.path.join(proj, "tests"))
    check(st == 1 and ids_of(doc) == ["rc-double-release"], "the same from tests/ itself (its .rccheck is the run's)",
          ids_of(doc))
    st, doc, err = run_json(["--config-file", ".rccheck", "tests/double.c", "tests/leak.c"], proj)
    check(ids_of(doc) == ["rc-leak"], "--config-file: that file for every input, no lookup per file", ids_of(doc))
    st, doc, err = run_json(["--checks=rc-leak", "tests/leak.c"], proj)
    check(ids_of(doc) == ["rc-leak"], "--checks applies after a file's own checks", ids_of(doc))
    write_tree(tmp, {"proj/tests/.rccheck": "checks: -*,rc-doubel-release\n"})
    st, out, err = run(["src/leak.c", "tests"], proj)
    check(st == 2 and "rccheck: error: tests/.rccheck:1: checks: 'rc-doubel-release' names no check" in err
          and out == "", "a malformed .rccheck of an analysed file: exit 2, FILE:LINE, nothing analysed", err)
    os.remove(os.path.join(proj, "tests", ".rccheck"))
    st, doc, err = run_json(["tests/double.c", "tests/leak.c"], proj)
    check(ids_of(doc) == ["rc-leak"], "without tests/.rccheck, proj/.rccheck applies to tests/ again", ids_of(doc))
    # --config-file
    write_tree(tmp, {"other.cfg": "checks: -*,rc-use-after-release\n"})
    st, doc, err = run_json(["--config-file", "other.cfg", "src"], tmp)
    check(st == 1 and ids_of(doc) == ["rc-use-after-release"], "--config-file FILE is read", ids_of(doc))
    st, out, err = run(["--config-file", "nowhere.cfg", "src"], tmp)
    check(st == 2 and "rccheck: error: nowhere.cfg: " in err and out == "", "--config-file missing: exit 2 naming it",
          err)
    # bad files: FILE:LINE: message, exit 2, nothing analysed
    bad = {"unknown-key": ("# c\n\nchekcs: rc-leak\n", 3, "unknown key 'chekcs'"),
           "no-colon": ("checks -rc-leak\n", 1, "expected 'key: value'"),
           "no-value": ("model:\n", 1, "'model' needs a value"),
           "bad-check": ("checks: -*,rc-lek\n", 1, "checks: 'rc-lek' names no check"),
           "bad-severity": ("min-severity: huge\n", 1, "'huge' is not low, medium or high"),
           "two-baselines": ("baseline: a.json\nbaseline: b.json\n", 2, "baseline can be given once")}
    for name, (text, line, what) in bad.items():
        write_tree(tmp, {f"{name}.cfg": text})
        st, out, err = run(["--config-file", f"{name}.cfg", "src"], tmp)
        check(st == 2 and f"rccheck: error: {name}.cfg:{line}: " in err and what in err and out == "",
              f"a bad configuration ({name}): exit 2, '{name}.cfg:{line}: {what}'", err)
    write_tree(tmp, {"missing-model.cfg": "model: no.model\n"})
    st, out, err = run(["--config-file", "missing-model.cfg", "src"], tmp)
    check(st == 2 and "no.model" in err, "a model named by the file that is missing: exit 2 naming it", err)
    os.mkdir(os.path.join(tmp, "dirconf"))
    os.mkdir(os.path.join(tmp, "dirconf", ".rccheck"))
    st, out, err = run(["../src"], os.path.join(tmp, "dirconf"))
    check(st == 2 and "rccheck: error: .rccheck: is a directory" in err, "a .rccheck that is a directory: exit 2, said",
          err)


def sc_config_inherit(tmp):
    """inherit-parent-config: true puts a .rccheck on top of the nearest one above it (as
    .clang-tidy's InheritParentConfig): the parent's checks first, then the child's; models and
    compile-args of both; through a chain of files; the run's file inherits the same way. Without
    it, the nearest file alone counts."""
    flag = PRELUDE + "#ifdef WANT_LEAK\n" + LEAK.replace(PRELUDE, "") + "#endif\n"
    write_tree(tmp, {
        "proj/.rccheck": "checks: -rc-double-release\nmodel: models/gizmo.model\ncompile-args: -DWANT_LEAK\n",
        "proj/models/gizmo.model": "gz_make new null-on-failure\ngz_free none releases=1\ngz_peek borrowed\n",
        "proj/tests/.rccheck": "# tests: also no rc-use-after-release\ninherit-parent-config: true\n"
                               "checks: -rc-use-after-release\n",
        "proj/tests/double.c": DOUBLE, "proj/tests/uar.c": UAR, "proj/tests/flag.c": flag,
        "proj/tests/api.c": MODEL_SRC,
        "proj/tests/unit/.rccheck": "inherit-parent-config: true\nchecks: rc-double-release\n",
        "proj/tests/unit/double.c": DOUBLE, "proj/tests/unit/uar.c": UAR, "proj/tests/unit/flag.c": flag,
        "proj/other/.rccheck": "checks: -rc-use-after-release\n",
        "proj/other/double.c": DOUBLE, "proj/other/flag.c": flag,
    })
    proj = os.path.join(tmp, "proj")

    def got(doc):
        return sorted((f["file"], f["id"]) for f in doc.get("findings", []))
    st, doc, err = run_json(["tests/double.c", "tests/uar.c", "tests/flag.c"], proj)
    check(got(doc) == [("tests/flag.c", "rc-leak")],
          "tests/ inherits proj/: rc-double-release off (the parent's checks), rc-use-after-release off (its own), "
          "-DWANT_LEAK (the parent's compile-args)", got(doc))
    check("rccheck: note:" not in err, "a file that inherits a model but gives none itself gets no note", err)
    st, doc, err = run_json(["unit"], os.path.join(proj, "tests"))
    check(got(doc) == [("unit/double.c", "rc-double-release"), ("unit/flag.c", "rc-leak")],
          "a chain: unit/ on tests/ on proj/ (rc-double-release back on, rc-use-after-release still off, "
          "-DWANT_LEAK)", got(doc))
    st, doc, err = run_json(["api.c"], os.path.join(proj, "tests"))
    check(("api.c", "rc-leak") in got(doc), "the run's file (tests/.rccheck) inherits the parent's model", got(doc))
    st, doc, err = run_json(["other/double.c", "other/flag.c"], proj)
    check(got(doc) == [("other/double.c", "rc-double-release")],
          "without inherit-parent-config the nearest file alone counts (no -DWANT_LEAK, double-release on)", got(doc))
    write_tree(tmp, {"proj/other/.rccheck": "inherit-parent-config: false\nchecks: -rc-use-after-release\n"})
    st, doc, err = run_json(["other/double.c", "other/flag.c"], proj)
    check(got(doc) == [("other/double.c", "rc-double-release")], "inherit-parent-config: false is the same", got(doc))
    write_tree(tmp, {"proj/other/.rccheck": "inherit-parent-config: yes\n"})
    st, out, err = run(["other/double.c"], proj)
    check(st == 2 and "rccheck: error: other/.rccheck:1: inherit-parent-config: 'yes' is not true or false" in err,
          "a value other than true or false: exit 2, FILE:LINE", err)
    write_tree(tmp, {"proj/.rccheck": "chekcs: -rc-leak\n"})
    st, out, err = run(["double.c"], os.path.join(proj, "tests"))
    check(st == 2 and "/proj/.rccheck:1: unknown key 'chekcs'" in err and out == "",
          "a malformed parent of the run's file: exit 2 naming the parent's line", err)

def run_stdout_pty(args, cwd, env=None):
    """Runs rccheck ARGS with stdout on a pseudo-terminal (stderr a pipe); returns (status, bytes
    written to the terminal, with the terminal's \\r\\n turned back into \\n)."""
    import pty
    import termios
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST  # no output processing: the bytes as rccheck wrote them
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    environ = {k: v for k, v in os.environ.items() if k not in ("RCCHECK_PROGRESS", "NO_COLOR", "TERM")}
    environ.update(env or {})
    cmd = [RCCHECK, "--show-guesses"] + list(args) + ["--", "-I" + INCLUDE]
    p = subprocess.Popen(cmd, cwd=cwd, stdout=slave, stderr=subprocess.PIPE, env=environ)
    os.close(slave)
    data = pty_drain(master, p)
    p.stderr.read()
    status = p.wait(timeout=TIMEOUT)
    os.close(master)
    print(f"$ (cd {cwd} && {shlex.join(cmd)}) [stdout on a terminal] -> {status}")
    return status, data.decode("utf-8", errors="replace")


SGR = re.compile("\033\\[[0-9;]*m")


def sc_color(tmp):
    write_tree(tmp, {"leak.c": LEAK, "double.c": DOUBLE})
    files = ["leak.c", "double.c"]
    st, plain, err = run(files, tmp)
    st2, never, _ = run(["--color=never"] + files, tmp)
    check(st == 1 and "\033" not in plain and "\033" not in err and plain == never,
          "through a pipe (auto): no escape sequence, the same bytes as --color=never", repr(plain[:300]))
    check(re.match(r"^leak\.c:\d+:\d+: warning: .* \[rc-leak\]$", plain.split("\n")[0]) is not None,
          "the plain format is the compiler's", plain[:200])
    st, always, _ = run(["--color=always"] + files, tmp)
    check(st == 1 and "\033[1;35mwarning:" in always and "\033[1;36mnote:" in always and SGR.sub("", always) == plain,
          "--color=always: warning and note coloured; without the escapes, the plain text", repr(always[:300]))
    st, _, _ = run(["--colour", "always"] + files, tmp)
    check(st == 1, "--colour VALUE is accepted too")
    st, tty = run_stdout_pty(files, tmp)
    check(st == 1 and "\033[1;35mwarning:" in tty and SGR.sub("", tty) == plain,
          "auto with stdout on a terminal: coloured, the same text", repr(tty[:300]))
    for env, what in (({"NO_COLOR": "1"}, "NO_COLOR=1"), ({"TERM": "dumb"}, "TERM=dumb")):
        st, tty = run_stdout_pty(files, tmp, env=env)
        check(st == 1 and tty == plain, f"auto on a terminal with {what}: plain", repr(tty[:200]))
    st, tty = run_stdout_pty(files, tmp, env={"NO_COLOR": ""})
    check("\033[" in tty, "an empty NO_COLOR does not count (no-color.org)", repr(tty[:200]))
    st, tty = run_stdout_pty(["--color=never"] + files, tmp)
    check(st == 1 and tty == plain, "--color=never on a terminal: plain", repr(tty[:200]))
    st, tty = run_stdout_pty(["-o", "report.txt"] + files, tmp)
    with open(os.path.join(tmp, "report.txt"), encoding="utf-8") as f:
        check(f.read() == plain, "-o FILE with auto: the file is plain even from a terminal")
    st, tty = run_stdout_pty(["--format=json"] + files, tmp)
    check("\033" not in tty and json.loads(tty).get("findings"), "JSON on a terminal is never coloured", tty[:200])
    st, out, err = run(["--color=red"] + files, tmp)
    check(st == 2 and "'red' is not auto, always or never" in err, "--color=red: usage error", err)


ALIAS_UAR = PRELUDE + """
void bad_alias(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	rc_object *other;
	if (!obj)
		return;
	other = obj;
	rc_decref(other); /*@release*/
	consume(obj); /*@use*/
}
"""


INCREF_LEAK = PRELUDE + """
int bad_incref_leak(rc_object *obj)
{
	rc_incref(obj); /*@incref*/
	if (consume(obj) < 0)
		return -1; /*@leak*/
	rc_decref(obj);
	return 0;
}
"""

STEAL_OK = PRELUDE + """
int give(rc_object *o); /* steals-on-success=1 (give.model) */
int bad_give(rc_heap *heap)
{
	rc_object *obj = rc_new(heap, &thing_type);
	if (!obj)
		return -1;
	if (give(obj) < 0) /*@give*/
		return -1; /*@leak*/
	return 0;
}
"""


def sc_release_notes(tmp):
    """The paths of rc-double-release, rc-use-after-release and rc-leak show where the variable
    gained or lost a reference on the way (the step that explains them); steals-on-success is
    a release only where the call succeeded; other checks' paths get no such notes."""
    write_tree(tmp, {"double.c": DOUBLE, "uar.c": UAR, "leak.c": LEAK, "alias.c": ALIAS_UAR, "inc.c": INCREF_LEAK,
                     "give.c": STEAL_OK, "give.model": "give int neg-on-failure steals-on-success=1\n",
                     "null.c": NULLCHK})
    st, doc, err = run_json(["--model", "give.model", "double.c", "uar.c", "leak.c", "alias.c", "inc.c", "give.c",
                             "null.c"], tmp)
    by = {(os.path.basename(f["file"]), f["id"]): f for f in doc.get("findings", [])}

    def notes(key):
        return [(n.get("line"), n.get("message")) for n in by.get(key, {}).get("path", [])]
    d = notes(("double.c", "rc-double-release"))
    first = line_of(DOUBLE, "double") - 1
    check((first, "'obj' released here by 'rc_decref'") in d and d[-1] == (line_of(DOUBLE, "double"), "released again here")
          and d.index((first, "'obj' released here by 'rc_decref'")) == len(d) - 2,
          "rc-double-release: the first release is a note just before 'released again here'", d)
    u = notes(("uar.c", "rc-use-after-release"))
    check((line_of(UAR, "use") - 1, "'obj' released here by 'rc_decref'") in u
          and u[-1] == (line_of(UAR, "use"), "used here after the release"),
          "rc-use-after-release: the release is a note before the use", u)
    leak = notes(("leak.c", "rc-leak"))
    check(leak and not any("here by" in m for _, m in leak), "an rc-leak path without incref or release: no such note",
          leak)
    inc = notes(("inc.c", "rc-leak"))
    check((line_of(INCREF_LEAK, "incref"), "reference to 'obj' taken here by 'rc_incref'") in inc,
          "rc-leak of a parameter: the rc_incref that made it owned is a note", inc)
    give = notes(("give.c", "rc-leak"))
    check(give and not any("released here" in m for _, m in give),
          "a steals-on-success call assumed to fail is not a release", give)
    nul = notes(("null.c", "rc-unchecked-null"))
    check(nul and not any("here by" in m for _, m in nul), "rc-unchecked-null's path gets no such note", nul)
    a = notes(("alias.c", "rc-use-after-release"))
    check(a and [m for _, m in a if "released here" in m] == ["'other' released here by 'rc_decref' (the same object)"],
          "the release that freed a value used after it, under another name (an alias): one note naming it", a)
    st, out, err = run(["double.c"], tmp)
    check(f"double.c:{first}:2: note: 'obj' released here by 'rc_decref'" in out, "the text shows it too", out)


TREE_HELPERS = PRELUDE + """
/* takes the caller's reference (it accepts a failed result: made for fresh references) */
int give_away(rc_object *obj)
{
	if (!obj)
		return -1;
	rc_decref(obj);
	return 0;
}

rc_object *make_thing(rc_heap *heap)
{
	return rc_new(heap, &thing_type);
}

rc_object *twice(rc_heap *heap)
{
	return rc_new(heap, &thing_type);
}

/* calls back into mod.c: the two files call each other */
int helper_calls_back(rc_heap *heap)
{
	return bad_made(heap);
}
"""

TREE_OTHER = PRELUDE + """
/* a second definition with external linkage: calls to `twice` are nobody's */
rc_object *twice(rc_heap *heap)
{
	(void)heap;
	return 0;
}
"""

TREE_MOD = PRELUDE + """
int give_away(rc_object *obj);
rc_object *make_thing(rc_heap *heap);
rc_object *twice(rc_heap *heap);
int helper_calls_back(rc_heap *heap);

int good_given(rc_heap *heap)
{
	rc_object *o = rc_new(heap, &thing_type); /*@given*/
	return give_away(o);
}

int bad_made(rc_heap *heap)
{
	rc_object *o = make_thing(heap);
	if (!o)
		return -1;
	return 0; /*@made*/
}

int good_twice(rc_heap *heap)
{
	rc_object *o = twice(heap);
	return o != 0;
}

int good_cycle(rc_heap *heap)
{
	return helper_calls_back(heap);
}
"""


def sc_whole_tree(tmp):
    """A run over several files first lowers them all, then analyses them callee-first with
    the summaries of the functions other files define (docs/analyzer.md, "Whole-tree
    summaries"): a helper of another file that takes its argument, or returns a new reference,
    is known as one of the same file is."""
    write_tree(tmp, {"t/mod.c": TREE_MOD, "t/helpers.c": TREE_HELPERS, "t/other.c": TREE_OTHER})
    want = {("mod.c", line_of(TREE_MOD, "made"), "rc-leak")}
    st, doc, err = run_json(["t/mod.c", "t/helpers.c", "t/other.c"], tmp)
    check(st == 1 and found(doc) == want,
          "whole tree: make_thing's new reference leaks in bad_made; give_away takes good_given's; "
          "`twice`, defined in two files, stays unknown", json.dumps(doc.get("findings"))[:1500] + err)
    for args, what in ((["-j", "1", "t/mod.c", "t/helpers.c", "t/other.c"], "-j 1"),
                       (["-j", "3", "t/other.c", "t/helpers.c", "t/mod.c"], "-j 3, other input order"),
                       (["t"], "a directory")):
        st, doc2, err = run_json(args, tmp)
        check(st == 1 and found(doc2) == want, f"whole tree: the same findings with {what}",
              json.dumps(doc2.get("findings"))[:1500] + err)
    # alone, mod.c knows nothing of the helpers: the leak of bad_made is not seen, and
    # good_given's reference handed to an unknown function is a guess
    st, doc, err = run_json(["t/mod.c"], tmp)
    got = found(doc)
    check(("mod.c", line_of(TREE_MOD, "made"), "rc-leak") not in got
          and any(f[0] == "mod.c" and f[2] == "rc-leak" and f[1] != line_of(TREE_MOD, "made") for f in got),
          "one file alone: what the tree's summaries change (no make_thing leak, a guessed leak in good_given)",
          json.dumps(doc.get("findings"))[:1500])
    # the timing line counts what crossed files
    st, out, err = run(["t/mod.c", "t/helpers.c", "t/other.c"], tmp, env={"RCCHECK_TIMING": "1"})
    m = re.search(r"tree: (\d+) summaries exported, (\d+) calls resolved with another file's, "
                  r"(\d+) names defined in more than one file", err)
    check(m and int(m.group(2)) >= 3 and m.group(3) == "1",
          "RCCHECK_TIMING: summaries exported, calls resolved across files (3), names defined twice (1)", err)


def cache_counts(err):
    m = re.search(r"cache: (\d+) files from the cache, (\d+) entries written", err)
    return (int(m.group(1)), int(m.group(2))) if m else None


def sc_cache(tmp):
    """--cache DIR: a re-run uses each file's kept results while the files it read and the
    summaries it took from other files are unchanged; the findings are the same as without it."""
    write_tree(tmp, {"t/mod.c": '#include "local.h"\n' + TREE_MOD, "t/helpers.c": TREE_HELPERS,
                     "t/other.c": TREE_OTHER, "t/local.h": "/* a header of the tree */\n"})
    files = ["t/mod.c", "t/helpers.c", "t/other.c"]
    timing = {"RCCHECK_TIMING": "1"}
    st, plain, err = run_json(files, tmp)
    want = plain.get("findings")
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(st == 1 and doc.get("findings") == want and cache_counts(err) == (0, 3),
          "cold: the findings of a run without the cache, 3 entries written", f"{cache_counts(err)}\n{err}")
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(st == 1 and doc.get("findings") == want and cache_counts(err) == (3, 0),
          "warm: every file from the cache, the same findings (paths and notes included)",
          f"{cache_counts(err)}\n{json.dumps(doc.get('findings'))[:800]}")
    check(doc.get("summary", {}).get("functions") == plain.get("summary", {}).get("functions"),
          "warm: the summary counts the functions of the cached files", json.dumps(doc.get("summary")))
    os.utime(os.path.join(tmp, "t/helpers.c"))
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(cache_counts(err) == (3, 0), "a file touched but not changed is still taken from the cache",
          str(cache_counts(err)))
    # a change that does not change what other.c exports: only other.c is analysed again
    with open(os.path.join(tmp, "t/other.c"), "a") as f:
        f.write("/* a comment added */\n")
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(doc.get("findings") == want and cache_counts(err) == (2, 1),
          "a changed file whose summaries are the same: it alone is analysed again", str(cache_counts(err)))
    # mod.c and helpers.c call each other: a change to either analyses both again
    with open(os.path.join(tmp, "t/helpers.c"), "a") as f:
        f.write("/* a comment added */\n")
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(doc.get("findings") == want and cache_counts(err) == (1, 2),
          "files that call each other are analysed again together", str(cache_counts(err)))
    # a change of what it exports: make_thing no longer returns a new reference; mod.c asked
    # for it, so mod.c is analysed again and its leak is gone; other.c stays cached
    helpers2 = TREE_HELPERS.replace("return rc_new(heap, &thing_type);\n}\n\nrc_object *twice",
                                    "static rc_object *one;\n\t(void)heap;\n\treturn one;\n}\n\nrc_object *twice")
    check(helpers2 != TREE_HELPERS, "test setup: make_thing rewritten", "")
    write_tree(tmp, {"t/helpers.c": helpers2})
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    st2, fresh, _ = run_json(files, tmp)
    check(doc.get("findings") == fresh.get("findings") and not any(
        f["function"] == "bad_made" for f in doc.get("findings", [])) and cache_counts(err) == (1, 2),
          "a changed summary: the files that asked for it are analysed again (2), the others cached (1)",
          f"{cache_counts(err)}\n{json.dumps(doc.get('findings'))[:800]}")
    # a header one file reads (other.c includes it too now)
    write_tree(tmp, {"t/other.c": '#include "local.h"\n' + TREE_OTHER})
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(cache_counts(err) == (2, 1), "setup: other.c includes local.h", str(cache_counts(err)))
    write_tree(tmp, {"t/local.h": "/* a header of the tree, changed */\n"})
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(cache_counts(err) == (0, 3), "a changed header: every file that includes it is parsed again",
          str(cache_counts(err)))
    # a method table of another file decides what a function must return: a.c's cached result
    # stands only while b.c's table still names (or does not name) its function
    a_c = '#include <Python.h>\nPyObject *meth(PyObject *self, PyObject *arg)\n{\n\t(void)self;\n\treturn arg; /*@borrowed*/\n}\n'
    b_c = ('#include <Python.h>\nPyObject *meth(PyObject *self, PyObject *arg);\n'
           'static PyMethodDef methods[] = {\n\t{"meth", meth, METH_O, NULL},\n\t{NULL, NULL, 0, NULL},\n};\n'
           'PyMethodDef *table(void) { return methods; }\n')
    write_tree(tmp, {"py/a.c": a_c, "py/b.c": b_c})
    st, doc, err = run_json(["--cache", "pc", "py/a.c", "py/b.c"], tmp, env=timing)
    check(found(doc) == {("a.c", line_of(a_c, "borrowed"), "rc-return-borrowed")},
          "a function another file's method table names must return a new reference", json.dumps(doc.get("findings")))
    write_tree(tmp, {"py/b.c": b_c.replace('\t{"meth", meth, METH_O, NULL},\n', "")})
    st, doc, err = run_json(["--cache", "pc", "py/a.c", "py/b.c"], tmp, env=timing)
    check(found(doc) == set() and cache_counts(err) == (0, 2),
          "the table no longer names it: a.c's cached finding does not stand, a.c is analysed again",
          f"{cache_counts(err)} {json.dumps(doc.get('findings'))}")
    # cpychecker's convention (returns-new-type): a function declared to return PyObject * and
    # defined nowhere in the tree is guessed to return a new reference; defined in another file,
    # its body decides. Whether the tree defines it is one of the answers a cached result rests on
    c_c = ('#include <Python.h>\nPyObject *helper_value(int n);\nint use(PyObject *list)\n{\n'
           '\treturn PyList_Append(list, helper_value(1)); /*@guessed*/\n}\n')
    d_c = '#include <Python.h>\nstatic PyObject *cached;\nPyObject *helper_value(int n)\n{\n\t(void)n;\n\treturn cached;\n}\n'
    write_tree(tmp, {"pg/c.c": c_c, "pg/d.c": d_c})
    st, doc, err = run_json(["--cache", "gc", "pg/c.c", "pg/d.c"], tmp, env=timing)
    check(st == 0 and found(doc) == set(), "helper_value defined in another file of the tree: its body says borrowed, no guess",
          json.dumps(doc.get("findings")) + err)
    write_tree(tmp, {"pg/d.c": "#include <Python.h>\n"})
    st, doc, err = run_json(["--cache", "gc", "pg/c.c", "pg/d.c"], tmp, env=timing)
    check(found(doc) == {("c.c", line_of(c_c, "guessed"), "rc-leak")} and cache_counts(err) == (0, 2),
          "defined nowhere now: c.c's cached result does not stand, and the guessed new reference leaks",
          f"{cache_counts(err)} {json.dumps(doc.get('findings'))}")
    st, doc, err = run_json(["pg/c.c", "pg/d.c"], tmp, guesses=False)
    check(st == 0 and found(doc) == set() and doc.get("summary", {}).get("held_back_guesses") == 1,
          "without --show-guesses the convention's finding is held back and counted once",
          json.dumps(doc.get("summary")))
    # entries that are not ours, or cut short: ignored, the files analysed
    for name in os.listdir(os.path.join(tmp, "c")):
        with open(os.path.join(tmp, "c", name), "w") as f:
            f.write('{"format": 1, "deps": [')
    st, doc, err = run_json(["--cache", "c"] + files, tmp, env=timing)
    check(st == st2 and doc.get("findings") == fresh.get("findings") and cache_counts(err) == (0, 3),
          "broken entries are ignored and rewritten", f"{st} {cache_counts(err)}\n{err}")
    # a cache that is not a directory
    write_tree(tmp, {"notadir": "x"})
    st, out, err = run(["--cache", "notadir"] + files, tmp)
    check(st == 2 and "--cache notadir" in err, "--cache on a file: an error, exit 2", f"{st}\n{err}")
    st, out, err = run(["--cache"], tmp, include=False)
    check(st == 2 and "--cache" in err, "--cache without a directory: a usage error", err)


HTML_SRC = PRELUDE + """
int bad_leak_html(rc_heap *heap, int n)
{
	rc_object *obj = rc_new(heap, &thing_type); /*@acquire*/
	/* markup in the source: <b>bold</b> & "quotes" */
	if (!obj) /*@branch1*/
		return -1;
	if (n < 3 && consume(obj) < 0) /*@branch2*/
		return -2; /*@leak*/
	rc_decref(obj);
	return 0;
}
"""


def sc_html(tmp):
    """--format=html: one page on standard output, a table linking to each finding, each
    finding's path drawn on its source with numbered notes under their lines, the source escaped;
    with -o DIR the same as index.html and one page per finding; -o on a file is an error."""
    import html.parser

    class Page(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.ids, self.rows, self.steps, self.hits = [], [], [], [], []
            self.cur = None
            self.in_head = False
            self.text = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "a" and a.get("href", "") not in ("", "index.html"):
                self.links.append(a["href"])
            if tag == "section" and a.get("id"):
                self.ids.append(a["id"])
            if tag == "thead":
                self.in_head = True
            if tag == "tr" and "data-n" not in a and not self.in_head:  # a row of the source, not of the index
                cls = (a.get("class") or "").split()
                self.cur = "hit" if "hit" in cls else "note" if "note" in cls else "gap" if "gap" in cls else "line"
                if "step" in cls:
                    self.steps.append(a.get("id"))
                self.text = []

        def handle_endtag(self, tag):
            if tag == "thead":
                self.in_head = False
            if tag == "tr" and self.cur is not None:
                row = "".join(self.text)
                self.rows.append((self.cur, row))
                if self.cur == "hit":
                    self.hits.append(row)
                self.cur = None

        def handle_data(self, data):
            if self.cur is not None:
                self.text.append(data)

    def parse(page):
        p = Page()
        p.feed(page)
        check(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"), "a whole HTML document",
              page[:200])
        return p

    write_tree(tmp, {"h.c": HTML_SRC, "clean.c": LEAK.replace("return -2; /*@leak*/", "{ rc_decref(obj); return -2; }")})
    st, page, err = run(["--format=html", "h.c", "clean.c"], tmp)
    check(st == 1, "--format=html: exit status 1 with a finding", f"{st}\n{err}")
    p = parse(page)
    check(len(p.ids) == 1 and p.links == ["#" + i for i in p.ids], "one finding: the index links to its section",
          f"{p.links} {p.ids}")
    acq, leak = line_of(HTML_SRC, "acquire"), line_of(HTML_SRC, "leak")
    lines = [r for r in p.rows if r[0] in ("line", "hit")]
    check(any(r[1].startswith(str(acq)) and "rc_new(heap, &thing_type)" in r[1] for r in lines),
          "the acquisition's source line is shown, & and markup as text", str(lines[:6]))
    check(len(p.hits) == 1 and p.hits[0].startswith(str(leak)), "the finding's line is marked", str(p.hits))
    check(f"L{acq}" in p.steps, "the lines of the path's steps are marked", str(p.steps))
    notes = [r[1] for r in p.rows if r[0] == "note"]
    check(len(notes) >= 3 and notes[0].startswith("1") and "new reference acquired" in notes[0]
          and notes[-1].startswith(str(len(notes))), "the path's notes are numbered in order under their lines",
          str(notes))
    check("<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;" in page,
          "markup in the source is escaped", "")

    # -o DIR: index.html links to f1.html, which draws the same path
    st, out, err = run(["--format=html", "-o", "rep", "h.c", "clean.c"], tmp)
    check(st == 1 and out == "", "--format=html -o DIR: exit status 1, nothing on stdout", f"{st}\n{err}")
    names = sorted(os.listdir(os.path.join(tmp, "rep"))) if os.path.isdir(os.path.join(tmp, "rep")) else []
    check(names == ["f1.html", "index.html"], "-o DIR: the directory is created with index.html and f1.html",
          str(names))
    if names == ["f1.html", "index.html"]:
        with open(os.path.join(tmp, "rep", "index.html"), encoding="utf-8") as f:
            idx = parse(f.read())
        check(idx.links == ["f1.html"] and not idx.ids, "the index links to the finding's page", str(idx.links))
        with open(os.path.join(tmp, "rep", "f1.html"), encoding="utf-8") as f:
            one = parse(f.read())
        check(one.rows == p.rows, "the finding's page draws the path as the single page does", str(one.rows[:4]))
    # a re-run with fewer findings leaves no stale page
    st, out, err = run(["--format=html", "-o", "rep", "clean.c"], tmp)
    check(st == 0 and sorted(os.listdir(os.path.join(tmp, "rep"))) == ["index.html"],
          "a re-run removes the pages of the earlier report", str(os.listdir(os.path.join(tmp, "rep"))))
    # -o on a file, or on a name that reads as a page: a usage error that says what to do
    for target in ("h.c", "r.html"):
        st, out, err = run(["--format=html", "-o", target, "clean.c"], tmp)
        check(st == 2 and "--format=html -o writes a directory" in err and not os.path.exists(os.path.join(tmp, "r.html")),
              f"--format=html -o {target}: an error naming the directory it needs", f"{st}\n{err}")

    st, out, err = run(["--format=html", "clean.c"], tmp)
    check(st == 0 and "<section id=" not in out and "0 findings" in out, "no finding: a page that says so (stdout)",
          out[:300])
    st, out, err = run(["--format=xhtml", "clean.c"], tmp)
    check(st == 2 and "html" in err, "an unknown format names html among the choices", err)


def sc_path_steps(tmp):
    """The step that explains a finding is on its path (cases/model/cpython_path_steps.c, whose
    findings its case test pins): the Py_INCREF or Py_NewRef that made a borrowed reference
    owned, the release of a value used or released again, also under another name."""
    case = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases", "model", "cpython_path_steps.c")
    with open(case) as f:
        src = f.read()
    st, doc, err = run_json([case], tmp, include=False)
    check(st == 1, "findings: exit status 1", err)
    by_fn = {}
    for d in doc.get("findings", []):
        by_fn.setdefault(d["function"], []).append(d)

    def steps(fn, check_id):
        got = [d for d in by_fn.get(fn, []) if d["id"] == check_id]
        return [(n["line"], n["message"]) for n in got[0]["path"]] if len(got) == 1 else None

    want = [
        ("bad_incref_leak", "rc-leak", "incref", "reference to 'v' taken here by 'Py_INCREF'"),
        ("bad_newref_leak", "rc-leak", "newref", "reference to 'v' taken here by 'Py_NewRef'"),
        ("bad_clear_alias_use", "rc-use-after-release", "clear", "'v' released here by 'Py_CLEAR' (the same object)"),
        ("bad_decref_alias_twice", "rc-double-release", "decref-w", "'w' released here by 'Py_DECREF' (the same object)"),
    ]
    for fn, check_id, marker, note in want:
        path = steps(fn, check_id)
        check(path is not None and (line_of(src, marker), note) in path,
              f"{fn}: {check_id} shows the step on line {line_of(src, marker)}: {note}", json.dumps(path))
    path = steps("bad_newref_leak", "rc-leak") or []
    check(path and "borrowed reference acquired" in path[0][1] and path.index((line_of(src, "newref"),
          "reference to 'v' taken here by 'Py_NewRef'")) == 1,
          "the Py_NewRef step follows the borrowed acquisition", json.dumps(path))


SCENARIOS = {
    "exit-codes": sc_exit_codes,
    "help-version": sc_help_version,
    "bad-path": sc_bad_path,
    "syntax-error-tree": sc_syntax_error_tree,
    "broken-compdb": sc_broken_compdb,
    "text-format": sc_text_format,
    "json-output": sc_json_output,
    "sarif": sc_sarif,
    "output-file": sc_output_file,
    "dump-cfg": sc_dump_cfg,
    "suppression": sc_suppression,
    "compdb": sc_compdb,
    "compdb-dir": sc_compdb_dir,
    "compdb-file": sc_compdb_file,
    "jobs": sc_jobs,
    "compiler-args": sc_compiler_args,
    "model-option": sc_model_option,
    "directory-walk": sc_directory_walk,
    "robustness": sc_robustness,
    "compdb-meson": sc_compdb_meson,
    "summary": sc_summary,
    "progress": sc_progress,
    "baseline": sc_baseline,
    "fragments": sc_fragments,
    "severity": sc_severity,
    "guesses": sc_guesses,
    "macro-functions": sc_macro_functions,
    "macro-names": sc_macro_names,
    "nothing-lost": sc_nothing_lost,
    "no-hang": sc_no_hang,
    "memory-limit": sc_memory_limit,
    "sarif-github": sc_sarif_github,
    "check-docs": sc_check_docs,
    "checks": sc_checks,
    "config": sc_config,
    "config-inherit": sc_config_inherit,
    "color": sc_color,
    "release-notes": sc_release_notes,
    "whole-tree": sc_whole_tree,
    "cache": sc_cache,
    "html": sc_html,
    "path-steps": sc_path_steps,
}


def main(argv):
    global RCCHECK, INCLUDE
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(SCENARIOS))
        return 0
    if len(argv) != 4 or argv[1] not in SCENARIOS:
        print(__doc__, file=sys.stderr)
        print("scenarios: " + " ".join(SCENARIOS), file=sys.stderr)
        return 2
    if argv[1] in ("sarif", "baseline", "sarif-github"):
        try:
            import jsonschema  # noqa: F401
        except ImportError:
            # `python3` on PATH may be a pyenv copy without Debian's python3-jsonschema.
            system = "/usr/bin/python3"
            if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system):
                os.execv(system, [system] + argv)
    RCCHECK = os.path.abspath(argv[2])
    INCLUDE = os.path.abspath(argv[3])
    if not os.access(RCCHECK, os.X_OK):
        print(f"rccheck not found or not executable: {RCCHECK}")
        return 1
    tmp = tempfile.mkdtemp(prefix=f"cli-{argv[1]}-", dir=os.getcwd())
    try:
        SCENARIOS[argv[1]](tmp)
    except Stop as e:
        check(False, f"scenario stopped: {e}")
    finally:
        testlib.cleanup(tmp)
    return testlib.verdict(argv[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
