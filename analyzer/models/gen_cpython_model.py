#!/usr/bin/env python3
"""gen_cpython_model.py - builds analyzer/models/cpython.model from CPython's refcounts.dat and
our hand-written overrides (analyzer/models/cpython-overrides.model).

    gen_cpython_model.py REFCOUNTS_DAT OVERRIDES [-o OUT] [--source TEXT] [--check]
    gen_cpython_model.py --from-model OLD_MODEL OVERRIDES [-o OUT] [--check]

REFCOUNTS_DAT is CPython's Doc/data/refcounts.dat (not kept in this repository: see README.md
for the commit it was taken from). OVERRIDES is our own file in the model format; every line of it
replaces the generated line of the same name entirely. --check compares the result with OUT
instead of writing it (exit 1 when they differ), for a test or CI.

What is taken from refcounts.dat, and how (docs/cpython-model.md explains why):
  - return refcount '+1' -> new null-on-failure; '0' -> borrowed null-on-failure; 'null' (always
    returns NULL, e.g. PyErr_Format) -> none; blank -> by return type: int -> int neg-on-failure,
    except predicates (*_Check*, Has*, Is*...) -> none; Py_ssize_t sizes -> int neg-on-failure;
    anything else -> none.
  - parameter 'PyObject**' with '+1' -> out-new=N (a new reference is stored through it).
  - parameter with a comment saying 'stolen' -> steals=N.
  - parameter with '-1': refcounts.dat uses it both for stolen arguments (PyErr_Restore) and for
    references the callee merely drops from a container (PySet_Discard), so the generator refuses
    to guess: each such function must have an override line, or generation fails.
  - argument '0' and '+1' (the callee takes its own reference) add no attribute. refcounts.dat
    does not record steals (see its "XXX NOTE": PyList_SetItem says 0): steals come from the
    overrides, which quote the C API documentation.
Everything else (can-fail facts that differ from the defaults, steal-on-success, format-driven
APIs, macros and static inline functions, names missing from refcounts.dat, globals) is in the
overrides file.

--from-model takes the refcounts.dat lines from a cpython.model generated before (its lines marked
'# refcounts.dat', its recorded source and hash), so that an edit of the overrides can be
regenerated without fetching refcounts.dat again. It refuses when an override line of the old
model is gone (the refcounts.dat line it replaced is not in the old model).

Exit status: 0 ok, 1 --check found a difference, 2 bad input (message on stderr).
"""

import argparse
import hashlib
import re
import sys

RETURN_KINDS = ("new", "borrowed", "none", "int")
# Attributes of docs/model-format.md plus ours (docs/cpython-model.md). ARGS = 1-based list.
ATTRS_FLAG = {"null-on-failure", "neg-on-failure", "zero-on-failure", "zero-on-success", "small-int-never-fails", "empty-never-fails", "may-return-null", "never-null", "fetches",
              "three-way",
              "noreturn", "return-stmt"}
ATTRS_ARGS = {"steals", "steals-on-success", "releases", "xreleases", "acquires", "xacquires",
              "clears", "accepts-null", "nonnull", "fails-on-null", "out-new", "out-borrowed", "borrowed-from", "held-by", "frees", "nonnull-if-true", "element-of", "index-arg", "size-of",
              "format-parse", "format-build", "returns-arg", "setref", "xsetref",
              "unpack-borrowed", "size-arg"}

# int-returning functions that answer a question and cannot fail (or whose -1 is a value).
PREDICATE_RE = re.compile(
    r"(_Check(Exact|Proxy|Ref|Buffer|ReadBuffer)?$|_IsValid|_IsData|_HasFeature|_IS_GC|_IsSubtype"
    r"|_TypeCheck|ExceptionMatches|^Py_UNICODE_|^PyUnicode_KIND$|_is_created$|^Py_IsInitialized$"
    r"|^PyObject_HasAttr(String)?$|^PyMapping_HasKey(String)?$|^PyBuffer_IsContiguous$"
    r"|^PyCode_GetNumFree$|^PyDict_Next$|^PyErr_BadArgument$|^PyRun_|^Py_FdIsInteractive$"
    r"|^PyEval_MergeCompilerFlags$|^PySignal_SetWakeupFd$|^PyUnicode_Compare"
    r"|^PyType_HasFeature$)")
SIZE_RE = re.compile(r"(_Size|_Length|_Count|_LengthHint|^PySequence_Index)$")


class InputError(Exception):
    pass


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise InputError("cannot read %s: %s" % (path, e.strerror))
    except UnicodeDecodeError:
        raise InputError("%s is not UTF-8 text" % path)


def parse_refcounts(text, path):
    """Returns {name: {"ret": (type, rc, comment), "params": [(type, name, rc, comment)]}}."""
    funcs = {}
    order = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(":", 4)
        if len(fields) < 4:
            raise InputError("%s:%d: expected 'function:type:param:refcount:comment'"
                             % (path, lineno))
        while len(fields) < 5:
            fields.append("")
        name, typ, param, rc, comment = (f.strip() for f in fields)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError("%s:%d: bad function name %r" % (path, lineno, name))
        if name not in funcs:
            funcs[name] = {"ret": (typ, rc, comment), "params": [], "line": lineno}
            order.append(name)
        else:
            funcs[name]["params"].append((typ, param, rc, comment))
    if not funcs:
        raise InputError("%s: no function found: is this refcounts.dat?" % path)
    return funcs


def parse_attr_list(value):
    out = []
    for part in value.split(","):
        if not re.fullmatch(r"-?[1-9][0-9]*", part):
            return None
        out.append(int(part))
    return out


def check_line(words, where):
    """Validates one model line (NAME RETURN ATTR...); raises InputError."""
    if len(words) < 2:
        raise InputError("%s: expected 'NAME RETURN [ATTR...]'" % where)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\*?", words[0]):
        raise InputError("%s: bad name %r" % (where, words[0]))
    if words[1] not in RETURN_KINDS:
        raise InputError("%s: unknown return kind %r (new, borrowed, none, int)" % (where, words[1]))
    for attr in words[2:]:
        key, eq, val = attr.partition("=")
        if not eq and key in ATTRS_FLAG:
            continue
        if eq and key in ATTRS_ARGS and parse_attr_list(val) is not None:
            continue
        raise InputError("%s: bad attribute %r" % (where, attr))


def parse_overrides(text, path):
    """Returns (functions {name: (words, comment)}, globals [(name, words, comment)])."""
    funcs = {}
    globs = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        body, _, comment = raw.partition("#")
        words = body.split()
        comment = comment.strip()
        if not words:
            continue
        where = "%s:%d" % (path, lineno)
        if words[0] == "global":
            if len(words) < 3 or words[2] not in ("borrowed",) or \
                    any(w not in ("immortal",) for w in words[3:]):
                raise InputError("%s: expected 'global NAME borrowed [immortal]'" % where)
            globs.append((words[1], words[1:], comment))
            continue
        check_line(words, where)
        if words[0] in funcs:
            raise InputError("%s: %s is overridden twice" % (where, words[0]))
        funcs[words[0]] = (words, comment)
    return funcs, globs


def is_object_ptr(typ):
    t = typ.replace(" ", "")
    return t.endswith("*") and not t.endswith("**") and (
        "Object" in t or t == "TYPE*" or t == "PyObject*")


def derive(name, info):
    """The generated line for one refcounts.dat entry: (words, comment, needs_review)."""
    rtype, rrc, _ = info["ret"]
    attrs = []
    needs_review = []
    if rrc == "+1":
        ret = "new"
        attrs.append("null-on-failure")
    elif rrc == "0":
        ret = "borrowed"
        attrs.append("null-on-failure")
    elif rrc == "null":
        ret = "none"  # always NULL: carries no reference
    elif rtype == "int" or rtype == "Py_hash_t":
        if PREDICATE_RE.search(name):
            ret = "none"
        else:
            ret = "int"
            attrs.append("neg-on-failure")
    elif rtype == "Py_ssize_t" and SIZE_RE.search(name) and "_GET_" not in name:
        ret = "int"
        attrs.append("neg-on-failure")
    else:
        ret = "none"
    steals = []
    out_new = []
    for i, (ptype, _pname, prc, pcomment) in enumerate(info["params"], 1):
        if ptype == "" and _pname in ("...", "TYPE", "macro", "void"):
            continue
        if "stolen" in pcomment.lower():
            steals.append(i)
        elif prc == "-1":
            needs_review.append(i)
        elif prc == "+1" and ptype.replace(" ", "").endswith("**"):
            out_new.append(i)
    if steals:
        attrs.append("steals=" + ",".join(map(str, steals)))
    if out_new:
        attrs.append("out-new=" + ",".join(map(str, out_new)))
    return [name, ret] + attrs, "refcounts.dat", needs_review


def fmt(words, comment):
    line = " ".join(words)
    if comment:
        line = "%-60s # %s" % (line, comment)
    return line


HEADER_COUNTS_RE = re.compile(r"^# (\d+) names from refcounts\.dat, (\d+) of them replaced by overrides")


def read_old_model(path):
    """(derived lines {name: line}, old override names, source note, sha256, n_rc, n_replaced)
    of a cpython.model written by this generator."""
    text = read_text(path)
    derived, old_over = {}, set()
    source = digest = None
    n_rc = n_replaced = None
    for raw in text.splitlines():
        if raw.startswith("# refcounts.dat: "):
            source = raw[len("# refcounts.dat: "):]
        elif raw.startswith("# refcounts.dat sha256: "):
            digest = raw.split()[-1]
        m = HEADER_COUNTS_RE.match(raw)
        if m:
            n_rc, n_replaced = int(m.group(1)), int(m.group(2))
        body, _, comment = raw.partition("#")
        words = body.split()
        if not words or words[0] == "global":
            continue
        if comment.strip() == "refcounts.dat":
            derived[words[0]] = fmt(words, "refcounts.dat")
        else:
            old_over.add(words[0])
    if digest is None or n_rc is None:
        raise InputError("%s: not a cpython.model written by this generator (no refcounts.dat "
                         "hash or counts in its header)" % path)
    return derived, old_over, source or "", digest, n_rc, n_replaced


def generate(rc_path, ov_path, source_note, from_model=False):
    ov_text = read_text(ov_path)
    overrides, globs = parse_overrides(ov_text, ov_path)

    if from_model:
        lines, old_over, old_source, digest, n_rc, n_replaced = read_old_model(rc_path)
        gone = sorted(old_over - set(overrides))
        if gone:
            raise InputError("%s: the override lines of %s are gone from %s; the refcounts.dat "
                             "lines they replaced are not in the old model: regenerate from "
                             "refcounts.dat" % (rc_path, ", ".join(gone), ov_path))
        source_note = source_note or old_source
        for name, (words, comment) in overrides.items():
            if name in lines:
                n_replaced += 1
            lines[name] = fmt(words, comment or "override")
    else:
        rc_text = read_text(rc_path)
        refcounts = parse_refcounts(rc_text, rc_path)
        lines = {}
        unreviewed = []
        for name, info in refcounts.items():
            words, comment, review = derive(name, info)
            if review and name not in overrides:
                unreviewed.append("%s (argument %s is '-1')" % (name, ",".join(map(str, review))))
            lines[name] = fmt(words, comment)
        if unreviewed:
            raise InputError("these refcounts.dat entries drop a reference and need an override line "
                             "in %s saying whether they steal it:\n  %s"
                             % (ov_path, "\n  ".join(unreviewed)))
        n_rc = len(lines)
        n_replaced = 0
        for name, (words, comment) in overrides.items():
            if name in lines:
                n_replaced += 1
            lines[name] = fmt(words, comment or "override")
        digest = hashlib.sha256(rc_text.encode("utf-8")).hexdigest()
    out = []
    out.append("# cpython.model - the built-in model of the CPython C API (3.8-3.13 + 3.14 names).")
    out.append("# GENERATED by analyzer/models/gen_cpython_model.py: do not edit; edit")
    out.append("# analyzer/models/cpython-overrides.model and regenerate (see README.md there).")
    out.append("# Format: docs/model-format.md; attributes beyond it: docs/cpython-model.md.")
    if source_note:
        out.append("# refcounts.dat: %s" % source_note)
    out.append("# refcounts.dat sha256: %s" % digest)
    out.append("# %d names from refcounts.dat, %d of them replaced by overrides, %d names only in"
               % (n_rc, n_replaced, len(overrides) - n_replaced))
    out.append("# the overrides; %d globals. '# refcounts.dat' marks a line derived by the generator's"
               % len(globs))
    out.append("# defaults, any other comment is the override's (with its documentation source).")
    out.append("")
    for name in sorted(lines, key=lambda s: (s.endswith("*"), s)):
        out.append(lines[name])
    out.append("")
    out.append("# Global objects: a use of NAME is a borrowed reference (never released by the user).")
    out.append("# 'immortal': since 3.12 its count never changes, so returning it without a new")
    out.append("# reference is harmless there (still a bug on 3.8-3.11); see docs/cpython-model.md.")
    for name, words, comment in sorted(globs):
        out.append(fmt(["global"] + words, comment))
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("refcounts", help="CPython's Doc/data/refcounts.dat")
    ap.add_argument("overrides", help="analyzer/models/cpython-overrides.model")
    ap.add_argument("-o", "--output", help="output file (default: stdout)")
    ap.add_argument("--source", default="", help="where refcounts.dat came from (recorded)")
    ap.add_argument("--from-model", action="store_true",
                    help="the first argument is a cpython.model generated before, not refcounts.dat")
    ap.add_argument("--check", action="store_true",
                    help="compare with --output instead of writing it; exit 1 if different")
    args = ap.parse_args(argv)
    try:
        text = generate(args.refcounts, args.overrides, args.source, args.from_model)
    except InputError as e:
        print("gen_cpython_model: %s" % e, file=sys.stderr)
        return 2
    if args.check:
        if not args.output:
            print("gen_cpython_model: --check needs --output", file=sys.stderr)
            return 2
        try:
            old = read_text(args.output)
        except InputError as e:
            print("gen_cpython_model: %s" % e, file=sys.stderr)
            return 2
        if old != text:
            print("gen_cpython_model: %s is out of date: regenerate it" % args.output,
                  file=sys.stderr)
            return 1
        return 0
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
