#!/usr/bin/env python3
"""scan_headers.py - coverage of a model against CPython's installed headers.

    scan_headers.py MODEL INCLUDE_DIR [INCLUDE_DIR...] [--all] [--names]

Lists the public functions declared in the headers (PyAPI_FUNC(T) NAME(...) and
`static inline T NAME(`) whose return type is an object pointer (PyObject *, PyTypeObject *, ...)
and that MODEL does not cover, exact or by prefix pattern. With --all, every uncovered public
function is listed, whatever its return type. With --names, prints every declared name and exits
(used to check that model names exist). Private names (leading underscore) are skipped, except
with --names.

Exit status: 0 (nothing uncovered), 1 (some uncovered: listed on stdout), 2 bad input.
"""

import argparse
import os
import re
import sys

DECL_RE = re.compile(
    r"PyAPI_FUNC\(\s*([^()]*(?:\([^()]*\))?[^()]*)\)\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")
INLINE_RE = re.compile(
    r"static\s+inline\s+(?:Py_ALWAYS_INLINE\s+)?([A-Za-z_][A-Za-z0-9_ ]*\**)\s*\b"
    r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
DEFINE_RE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)


def model_names(path):
    exact, prefixes = set(), []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                words = line.split("#", 1)[0].split()
                if not words:
                    continue
                name = words[1] if words[0] == "global" and len(words) > 1 else words[0]
                if name.endswith("*"):
                    prefixes.append(name[:-1])
                else:
                    exact.add(name)
    except OSError as e:
        raise SystemExit("scan_headers: cannot read %s: %s" % (path, e.strerror))
    return exact, prefixes


def declarations(dirs):
    """{name: return type} for functions; plus the set of macro names."""
    funcs, macros = {}, set()
    for d in dirs:
        if not os.path.isdir(d):
            print("scan_headers: %s is not a directory" % d, file=sys.stderr)
            sys.exit(2)
        for root, subdirs, files in os.walk(d):
            subdirs[:] = [s for s in subdirs if s != "internal"]  # Py_BUILD_CORE only
            for fn in files:
                if not fn.endswith(".h"):
                    continue
                with open(os.path.join(root, fn), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
                for m in DECL_RE.finditer(text):
                    funcs.setdefault(m.group(2), " ".join(m.group(1).split()))
                for m in INLINE_RE.finditer(text):
                    funcs.setdefault(m.group(2), " ".join(m.group(1).split()))
                macros.update(DEFINE_RE.findall(text))
    return funcs, macros


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("include_dirs", nargs="+")
    ap.add_argument("--all", action="store_true", help="any return type")
    ap.add_argument("--names", action="store_true", help="print declared names and exit")
    args = ap.parse_args(argv)
    funcs, macros = declarations(args.include_dirs)
    if args.names:
        for n in sorted(set(funcs) | macros):
            print(n)
        return 0
    exact, prefixes = model_names(args.model)
    missing = []
    for name, rtype in sorted(funcs.items()):
        if name.startswith("_"):
            continue
        objptr = re.search(r"Py\w*Object\s*\*$", rtype) is not None
        if not (objptr or args.all):
            continue
        if name in exact or any(name.startswith(p) for p in prefixes):
            continue
        missing.append("%s\t%s" % (name, rtype))
    for line in missing:
        print(line)
    print("%d uncovered of %d declared functions" % (len(missing), len(funcs)), file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
