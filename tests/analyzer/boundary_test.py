#!/usr/bin/env python3
"""The analyzer's layering, checked on its sources (docs/analyzer.md, "Architecture").

- Only analyzer/frontend/ speaks libclang: no other file includes clang-c/ or calls clang_*.
- The engine and the checks never spell an API's name: every convention of an API (name
  prefixes, slot tables, noreturn names...) lives in analyzer/models/ (conventions.c and the
  model files). Comments may cite API code as examples; string literals may not.

Usage: boundary_test.py ANALYZER_DIR [RULE...]   (RULE: libclang, api-names; default: both)
meson test runs the libclang rule (analyzer/boundary/libclang).
"""
import os
import re
import sys


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def main():
    root = sys.argv[1]
    rules = set(sys.argv[2:]) or {"libclang", "api-names"}
    unknown = rules - {"libclang", "api-names"}
    if unknown:
        print(f"boundary: unknown rule(s): {', '.join(sorted(unknown))}")
        return 2
    bad = []
    for dirpath, _, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir.startswith("tests"):
            continue
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            rel = os.path.normpath(os.path.join(rel_dir, name))
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                code = strip_comments(f.read())
            top = rel.split(os.sep)[0]
            if "libclang" in rules and top != "frontend":
                for m in re.finditer(r"#\s*include\s*[<\"]clang-c/|\bclang_[a-zA-Z]+\s*\(|\bCX[A-Z][a-zA-Z]*\b", code):
                    line = code[: m.start()].count("\n") + 1
                    bad.append(f"{rel}:{line}: libclang outside analyzer/frontend/: {m.group(0).strip()}")
            if "api-names" in rules and top in ("engine", "checks"):
                for m in re.finditer(r"\"(_?Py[A-Za-z_]*|rc_[a-z_]*|tp_[a-z_]*|nb_[a-z_]*)\"", code):
                    line = code[: m.start()].count("\n") + 1
                    bad.append(f"{rel}:{line}: an API's name spelled in the engine or a check: {m.group(0)} "
                               "(put the convention in analyzer/models/)")
    for b in bad:
        print(b)
    print(f"boundary: {len(bad)} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
