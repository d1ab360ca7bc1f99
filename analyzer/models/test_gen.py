#!/usr/bin/env python3
"""test_gen.py - tests of gen_cpython_model.py on small hand-written inputs (no CPython file).

Each case writes a refcounts.dat-shaped file and an overrides file to a temporary directory,
runs the generator as a program, and checks its exit status and the lines it writes.
Prints one line per case; exit 0 when all pass.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "gen_cpython_model.py")

MINI = """\
# a comment
Foo_New:PyObject*::+1:
Foo_New:const char*:name::

Foo_Get:PyObject*::0:
Foo_Get:PyObject*:self:0:

Foo_Check:int:::
Foo_Check:PyObject*:o:0:

Foo_Set:int:::
Foo_Set:PyObject*:self:0:
Foo_Set:PyObject*:value:+1:

Foo_Size:Py_ssize_t:::
Foo_Size:PyObject*:self:0:

Foo_Fail:PyObject*::null:
Foo_Fail:const char*:format::
Foo_Fail::...::

Foo_Fetch:void:::
Foo_Fetch:PyObject**:out:+1:

Foo_Take:void:::
Foo_Take:PyObject *:exc:0:stolen

Foo_AsDouble:double:::
Foo_AsDouble:PyObject*:o:0:
"""

DROP = MINI + """
Foo_Drop:void:::
Foo_Drop:PyObject*:o:-1:
"""


def run(files, *extra):
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, text in files:
            p = os.path.join(d, name)
            with open(p, "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            paths.append(p)
        r = subprocess.run([sys.executable, GEN] + paths + list(extra), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        return r.returncode, r.stdout, r.stderr


def body(out):
    """{name: 'RETURN ATTRS'} without comments."""
    res = {}
    for line in out.splitlines():
        words = line.split("#", 1)[0].split()
        if words and words[0] != "global":
            res[words[0]] = " ".join(words[1:])
    return res


def case_defaults():
    rc, out, err = run([("r.dat", MINI), ("o.model", "")])
    assert rc == 0, err
    b = body(out)
    want = {
        "Foo_New": "new null-on-failure",
        "Foo_Get": "borrowed null-on-failure",
        "Foo_Check": "none",
        "Foo_Set": "int neg-on-failure",
        "Foo_Size": "int neg-on-failure",
        "Foo_Fail": "none",
        "Foo_Fetch": "none out-new=1",
        "Foo_Take": "none steals=1",
        "Foo_AsDouble": "none",
    }
    for k, v in want.items():
        assert b.get(k) == v, "%s: got %r, want %r" % (k, b.get(k), v)
    assert "sha256" in out


def case_override_replaces():
    ov = "Foo_Set int neg-on-failure steals=2  # docs: steals\nFoo_Extra* new\n" \
         "global Foo_None borrowed immortal\n"
    rc, out, err = run([("r.dat", MINI), ("o.model", ov)])
    assert rc == 0, err
    b = body(out)
    assert b["Foo_Set"] == "int neg-on-failure steals=2", b["Foo_Set"]
    assert b["Foo_Extra*"] == "new"
    assert "# docs: steals" in out
    assert "global Foo_None borrowed immortal" in out
    # prefix patterns come after exact names
    names = [l.split()[0] for l in out.splitlines() if l and not l.startswith("#")]
    assert names.index("Foo_Extra*") > names.index("Foo_Take")


def case_drop_needs_override():
    rc, out, err = run([("r.dat", DROP), ("o.model", "")])
    assert rc == 2 and "Foo_Drop" in err and out == "", (rc, err)
    rc, out, err = run([("r.dat", DROP), ("o.model", "Foo_Drop none steals=1\n")])
    assert rc == 0 and body(out)["Foo_Drop"] == "none steals=1", err


def case_bad_inputs():
    rc, _, err = run([("r.dat", "not a refcounts file\n"), ("o.model", "")])
    assert rc == 2 and "expected" in err, err
    rc, _, err = run([("r.dat", MINI), ("o.model", "Foo_X maybe\n")])
    assert rc == 2 and "unknown return kind" in err, err
    rc, _, err = run([("r.dat", MINI), ("o.model", "Foo_X new steals=zero\n")])
    assert rc == 2 and "bad attribute" in err, err
    rc, _, err = run([("r.dat", MINI), ("o.model", "Foo_X new\nFoo_X none\n")])
    assert rc == 2 and "twice" in err, err
    rc, _, err = run([("r.dat", MINI)], os.path.join(HERE, "no-such-file.model"))
    assert rc == 2 and "cannot read" in err, err
    rc, _, err = run([("r.dat", b"Foo_New:PyObject*::+1:\xff\n"), ("o.model", "")])
    assert rc == 2 and "not UTF-8" in err, err


def case_check_mode():
    with tempfile.TemporaryDirectory() as d:
        r, o, out = (os.path.join(d, n) for n in ("r.dat", "o.model", "out.model"))
        with open(r, "w") as f:
            f.write(MINI)
        with open(o, "w") as f:
            f.write("")
        cmd = [sys.executable, GEN, r, o, "-o", out]
        assert subprocess.run(cmd).returncode == 0
        assert subprocess.run(cmd + ["--check"]).returncode == 0
        with open(o, "w") as f:
            f.write("Foo_New borrowed\n")
        res = subprocess.run(cmd + ["--check"], stderr=subprocess.PIPE, text=True)
        assert res.returncode == 1 and "out of date" in res.stderr, res.stderr


def case_from_model():
    """--from-model: regenerating from an old model equals regenerating from refcounts.dat."""
    with tempfile.TemporaryDirectory() as d:
        r, o, old, new1, new2 = (os.path.join(d, n) for n in
                                 ("r.dat", "o.model", "old.model", "new1.model", "new2.model"))
        with open(r, "w") as f:
            f.write(MINI)
        with open(o, "w") as f:
            f.write("Foo_Set int neg-on-failure zero-on-success  # docs\nFoo_Only new\n")
        gen = [sys.executable, GEN]
        assert subprocess.run(gen + [r, o, "-o", old, "--source", "mini"]).returncode == 0
        with open(o, "a") as f:
            f.write("Foo_Get borrowed three-way  # docs\nFoo_Other none\n")
        assert subprocess.run(gen + [r, o, "-o", new1, "--source", "mini"]).returncode == 0
        assert subprocess.run(gen + ["--from-model", old, o, "-o", new2]).returncode == 0
        with open(new1) as f1, open(new2) as f2:
            a, b = f1.read(), f2.read()
        assert a == b, "from refcounts.dat:\n%s\nfrom the old model:\n%s" % (a, b)
        assert "9 names from refcounts.dat, 2 of them replaced by overrides, 2 names only" in a, a
        # an override line removed: its refcounts.dat line is unknown
        with open(o, "w") as f:
            f.write("Foo_Only new\n")
        res = subprocess.run(gen + ["--from-model", old, o, "-o", new2], stderr=subprocess.PIPE,
                             text=True)
        assert res.returncode == 2 and "Foo_Set" in res.stderr, res.stderr


def main():
    failed = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("case_"):
            try:
                fn()
                print("ok   %s" % name)
            except AssertionError as e:
                failed += 1
                print("FAIL %s: %s" % (name, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
