"""decls.py - the C prototypes of CPython's public headers, for the model verifier.

Reads PyAPI_FUNC(T) NAME(PARAMS); and static inline T NAME(PARAMS) declarations (comments
removed, lines joined) and splits each parameter into (type, name). Private headers
(internal/) are skipped. A parameter that is a function pointer keeps its whole text as type
and an empty name.
"""

import os
import re

DECL_RE = re.compile(
    r"PyAPI_FUNC\(\s*([^()]*(?:\([^()]*\))?[^()]*)\)\s*([A-Za-z_][A-Za-z0-9_]*)\s*"
    r"\(((?:[^()]|\([^()]*\))*)\)")
INLINE_RE = re.compile(
    r"static\s+inline\s+(?:Py_ALWAYS_INLINE\s+)?([A-Za-z_][A-Za-z0-9_ ]*\**)\s*\b"
    r"([A-Za-z_][A-Za-z0-9_]*)\s*\(((?:[^()]|\([^()]*\))*)\)\s*\{")
DEFINE_RE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\()?", re.M)


def norm_type(t):
    t = re.sub(r"\b(const|volatile|struct|Py_ALWAYS_INLINE|_Py_NO_RETURN)\b", " ", t)
    t = t.replace("*", " * ")
    return " ".join(t.split()).replace(" *", "*")


def split_params(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        p = " ".join(p.split())
        if not p or p == "void":
            continue
        if p == "...":
            out.append(("...", ""))
            continue
        if "(" in p:
            out.append((p, ""))
            continue
        p = re.sub(r"\[\s*\]$", "*", p)  # char *argv[] -> char **
        m = re.match(r"^(.*?[\s*])([A-Za-z_][A-Za-z0-9_]*)$", p)
        if m and norm_type(m.group(1)) not in ("",):
            typ, name = m.group(1), m.group(2)
            out.append((norm_type(typ), name))
        else:
            out.append((norm_type(p), ""))
    return out


class Decl:
    def __init__(self, name, ret, params, inline):
        self.name = name
        self.ret = norm_type(ret)
        self.params = params
        self.inline = inline

    def __repr__(self):
        return "%s %s(%s)" % (self.ret, self.name, ", ".join("%s %s" % p for p in self.params))


def declarations(include_dir):
    """({name: Decl}, {macro name: is_function_like})."""
    decls, macros = {}, {}
    for root, subdirs, files in os.walk(include_dir, followlinks=True):
        subdirs[:] = sorted(s for s in subdirs if s != "internal")
        for fn in sorted(files):
            if not fn.endswith(".h"):
                continue
            with open(os.path.join(root, fn), encoding="utf-8", errors="replace") as f:
                text = f.read()
            text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
            text = re.sub(r"//[^\n]*", " ", text)
            for m in DEFINE_RE.finditer(text):
                macros[m.group(1)] = macros.get(m.group(1), False) or bool(m.group(2))
            flat = re.sub(r"\\\n", " ", text)
            for m in DECL_RE.finditer(flat):
                decls.setdefault(m.group(2), Decl(m.group(2), m.group(1), split_params(m.group(3)), False))
            for m in INLINE_RE.finditer(flat):
                if m.group(2) not in decls:
                    decls[m.group(2)] = Decl(m.group(2), m.group(1), split_params(m.group(3)), True)
    return decls, macros


def parse_proto(text):
    """A Decl from one C prototype 'RET NAME(PARAMS)' (for macros the headers do not declare)."""
    m = re.match(r"^(.*?)\b([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*$", text)
    return Decl(m.group(2), m.group(1), split_params(m.group(3)), True)
