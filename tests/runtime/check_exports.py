#!/usr/bin/env python3
"""Fails when the shared runtime exports a symbol that rc.h does not declare RC_API, or when
an RC_API function of rc.h is not exported (what users link is permanent ABI).
Usage: check_exports.py LIBRARY.so rc.h   (exit 77: nm missing)"""
import re
import shutil
import subprocess
import sys


def main():
    lib, header = sys.argv[1], sys.argv[2]
    nm = shutil.which("nm")
    if not nm:
        print("check_exports: nm not found")
        return 77
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    exported = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[1] == "A":  # version nodes
            continue
        exported.add(parts[2].split("@")[0])
    text = open(header, encoding="utf-8").read()
    # RC_API declarations: the name is the identifier just before the first '(' of the statement
    declared = set()
    for m in re.finditer(r"^RC_API\b([^;{]*?)\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", text, re.M):
        declared.add(m.group(2))
    extra = sorted(exported - declared)
    missing = sorted(declared - exported)
    print(f"check_exports: {len(exported)} exported, {len(declared)} declared RC_API in rc.h")
    for s in extra:
        print(f"check_exports: exported but not declared RC_API in rc.h: {s}")
    for s in missing:
        print(f"check_exports: declared RC_API in rc.h but not exported: {s}")
    if not declared:
        print("check_exports: no RC_API declaration found in the header (parser broken?)")
        return 1
    return 1 if extra or missing else 0


if __name__ == "__main__":
    sys.exit(main())
