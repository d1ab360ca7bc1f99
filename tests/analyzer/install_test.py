#!/usr/bin/env python3
"""`meson install` of rccheck, checked as a user would find it: installs the build into a
temporary DESTDIR, then runs the installed program from a directory outside the source and build
trees and reads what was installed beside it.

Usage: install_test.py MESON BUILD_ROOT PREFIX BINDIR MANDIR DATADIR INCLUDEDIR
(the last five as Meson's options say, absolute or relative to PREFIX)

Checks: the program, man page, bash completion, checks' documentation, model files and the
runtime's header are installed; the program carries no run path into the build tree and works
there (its built-in CPython model, the runtime's annotations read from the installed header, each
installed model file loads); the man page formats without a groff warning and names every option
of --help and every check; the completion names every option and completes check IDs and
formats.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import testlib
from testlib import RC_LEAK, check

LEAK_PY = """#include <Python.h>
PyObject *bad(PyObject *a)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    if (PyList_Append(list, a) < 0)
        return NULL;
    return list;
}
"""



def main(argv):
    if len(argv) != 8:
        print(__doc__, file=sys.stderr)
        return 2
    meson, build, prefix, bindir, mandir, datadir, includedir = argv[1:]
    under = lambda d: os.path.join(prefix, d)  # noqa: E731 (Meson's options: relative to prefix)
    tmp = tempfile.mkdtemp(prefix="install-", dir=os.getcwd())
    try:
        dest = os.path.join(tmp, "dest")
        p = subprocess.run([meson, "install", "-C", build, "--no-rebuild", "--destdir", dest],
                           capture_output=True, text=True, timeout=300)
        if not check(p.returncode == 0, "meson install --destdir succeeds", p.stdout[-2000:] + p.stderr[-2000:]):
            return 1
        root = lambda d: dest + os.path.abspath(under(d))  # noqa: E731
        exe = os.path.join(root(bindir), "rccheck")
        man = os.path.join(root(mandir), "man1", "rccheck.1")
        comp = os.path.join(root(datadir), "bash-completion", "completions", "rccheck")
        models = os.path.join(root(datadir), "rccheck", "models")
        docs = os.path.join(root(datadir), "doc", "rccheck")
        header = os.path.join(root(includedir), "rc", "rc.h")
        for path, what in ((exe, "the program"), (man, "the man page"), (comp, "the bash completion"),
                           (os.path.join(docs, "checks.md"), "docs/checks.md"),
                           (os.path.join(models, "cpython.model"), "the CPython model"), (header, "rc/rc.h")):
            check(os.path.isfile(path), f"{what} is installed ({os.path.relpath(path, dest)})")
        if not os.path.isfile(exe):
            return 1
        # no run path into the build tree: the installed program must not need it
        p = subprocess.run(["readelf", "-d", exe], capture_output=True, text=True)
        if p.returncode == 0:
            paths = re.findall(r"\((?:RUNPATH|RPATH)\).*\[(.*)\]", p.stdout)
            check(not any(os.path.abspath(build) in x for x in paths), "no RPATH/RUNPATH into the build tree", paths)
        # run it from elsewhere, without the build's environment
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        for name, text in (("py.c", LEAK_PY), ("rc.c", RC_LEAK)):
            with open(os.path.join(work, name), "w") as f:
                f.write(text)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MESON") and k != "LD_LIBRARY_PATH"}

        def run(*args):
            p = subprocess.run([exe, *args], cwd=work, capture_output=True, text=True, env=env, timeout=120)
            print(f"$ {' '.join([os.path.relpath(exe, tmp), *args])} -> {p.returncode}")
            return p.returncode, p.stdout, p.stderr
        st, out, err = run("--version")
        check(st == 0 and out.startswith("rccheck "), "the installed program runs", out + err)
        st, out, err = run("--no-config", "--python-include", "none", "py.c")
        check(st == 1 and "[rc-leak]" in out and "'PyList_New'" in out,
              "its built-in CPython model applies (PyList_New's leak found)", out + err)
        st, out, err = run("--no-config", "rc.c", "--", "-I" + root(includedir))
        check(st == 1 and "[rc-leak]" in out and "'rc_new'" in out,
              "the installed rc/rc.h's annotations are read (rc_new's leak found)", out + err)
        installed = sorted(os.listdir(models)) if os.path.isdir(models) else []
        check(len(installed) >= 4, "the model files are installed", installed)
        for m in installed:
            st, out, err = run("--no-config", "--model", os.path.join(models, m), "--python-include", "none", "py.c")
            check(st == 1 and "error" not in err, f"the installed {m} loads with --model", err)
        st, help_text, _ = run("--help")
        options = sorted(set(re.findall(r"^\s+(--?[a-z][a-z-]*)", help_text, flags=re.M)) |
                         set(re.findall(r",\s(--[a-z][a-z-]*)", help_text)))
        st, checks, _ = run("--list-checks")
        ids = [line.split()[0] for line in checks.splitlines() if line.strip()]
        check(len(options) > 15 and len(ids) >= 9, "--help and --list-checks list options and checks", options)
        # the man page
        with open(man, encoding="utf-8") as f:
            roff = f.read()
        page = roff.replace("\\-", "-")
        check(all(o in page for o in options), "the man page names every option of --help",
              [o for o in options if o not in page])
        check(all(i in page for i in ids), "the man page names every check", [i for i in ids if i not in page])
        st, version, _ = run("--version")
        th = re.search(r'^\.TH RCCHECK 1 \S+ "([^"]*)"', roff, flags=re.M)
        check(th is not None and th.group(1) == version.strip(), "the man page's .TH names this version",
              f"{th.group(1) if th else None!r} vs {version.strip()!r}")
        if shutil.which("groff"):
            p = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", man], capture_output=True, text=True)
            check(p.returncode == 0 and not p.stderr.strip(), "groff -man -ww formats it without a warning", p.stderr)
            p = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou", man], capture_output=True, text=True)
            check("find the paths on which reference counts go wrong" in p.stdout and "EXIT STATUS" in p.stdout,
                  "the formatted page has its NAME and EXIT STATUS", p.stdout[:300])
        else:
            print("(groff not found: the page is not formatted)")
        # the completion, in bash, without the bash-completion package
        with open(comp, encoding="utf-8") as f:
            script = f.read()
        check(all(o in script for o in options if o not in ("-h",)), "the completion names every option",
              [o for o in options if o not in script and o != "-h"])
        probe = f"""source {comp!r}
t() {{ COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _rccheck; printf '%s ' "${{COMPREPLY[@]}}"; echo; }}
t {exe!r} --checks = ''
t {exe!r} --checks = '-*,rc-l'
t {exe!r} --format = ''
t {exe!r} --col
t {exe!r} p
"""
        p = subprocess.run(["bash", "-c", probe], cwd=work, capture_output=True, text=True, env=env, timeout=60)
        lines = p.stdout.split("\n")
        check(p.returncode == 0 and len(lines) >= 5, "the completion runs in bash", p.stdout + p.stderr)
        if len(lines) >= 5:
            check(lines[0].split() == ids, "--checks= completes every check ID", lines[0])
            check(lines[1].split() == ["-*,rc-leak"], "--checks=-*,rc-l completes the list's last item", lines[1])
            check(lines[2].split() == ["text", "json", "sarif", "html"], "--format= completes the formats", lines[2])
            check(lines[3].split() == ["--color="], "--col completes --color=", lines[3])
            check(lines[4].split() == ["py.c"], "a PATH completes to .c files", lines[4])
    finally:
        testlib.cleanup(tmp)
    return testlib.verdict("install")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
