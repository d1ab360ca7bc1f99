#!/usr/bin/env python3
"""verify_model.py - checks analyzer/models/cpython.model against the running CPython.

    verify_model.py MODEL [--include DIR] [--lib LIBPYTHON] [--cc CC] [--workdir DIR]
                    [--only NAME...] [--details FILE] [--expected FILE]

For every function of MODEL that the installed debug interpreter (python3.11-dbg) exports or
defines inline in its headers, a case is generated (arguments from recipes.py, or a hand-written
call from hand.py), compiled with harness.c against libpython3.11d, and run in phases (see
harness.c). The observations are compared with the model line:
  - balance: the model's ownership facts (new or borrowed result, arguments taken over always or
    on success, outputs receiving new references) applied by the caller over repeated calls leave
    the total reference count unchanged; when they do not, the policies differing in one fact are
    tried, and the one that balances names the wrong fact;
  - failure: a call that fails (with every allocation failing, or with wrong-typed arguments) has
    the result the model says (NULL, negative, 0) and sets an exception; a function the model says
    cannot fail must not fail;
  - NULL: an argument the model says may be NULL does not crash the call; an argument the model
    says must not be NULL, when the call with NULL succeeds without an exception, is reported;
  - zero-on-success: the int result of a successful call is exactly 0.
Prints a table (functions in the model; verified by execution; exercised on their failure path
only; not exercised, by reason; mismatches). Exit status: 0 when every mismatch is listed in the
--expected file (with its reason), 1 otherwise, 2 on bad input or a harness that does not build.
"""

import argparse
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import decls  # noqa: E402
import recipes  # noqa: E402
import hand  # noqa: E402

K = 6  # measured rounds of the balance phase (harness.c)
MAXPTR = 4  # pointer arguments (not objects) tried with NULL, per function (harness.c)

OBJ_TYPES_RE = re.compile(r"^Py\w*Object\*$")


def parse_model(path):
    funcs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            body = line.split("#", 1)[0].split()
            if not body or body[0] == "global" or body[0].endswith("*"):
                continue
            attrs = {}
            flags = set()
            for a in body[2:]:
                k, eq, v = a.partition("=")
                if eq:
                    attrs[k] = [int(x) for x in v.split(",")]
                else:
                    flags.add(k)
            funcs[body[0]] = {"ret": body[1], "attrs": attrs, "flags": flags, "line": line.rstrip()}
    return funcs


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    return {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1] in "TW"}


def family(name):
    n = name.lstrip("_")
    return n.split("_")[0] if "_" in n else n


def obj_expr(fam, pname, first):
    if not pname and not first and fam in recipes.FAMILY_SECOND:
        return recipes.FAMILY_SECOND[fam]
    if (fam, pname) in recipes.FAMILY_PARAM_OBJ:
        return recipes.FAMILY_PARAM_OBJ[(fam, pname)]
    if first and fam in recipes.FAMILY_OBJ:
        return recipes.FAMILY_OBJ[fam]
    if pname in recipes.PARAM_OBJ:
        return recipes.PARAM_OBJ[pname]
    return recipes.FAMILY_OBJ.get(fam, "[1000003]")


class Case:
    def __init__(self, name):
        self.name = name
        self.objs = []      # expressions
        self.bad = []
        self.objpos = {}    # C parameter position (1-based) -> object slot
        self.outpos = {}    # C parameter position -> output slot
        self.nparams = 0
        self.body = ""
        self.robj = False
        self.rint = False
        self.helper = ""
        self.ptrnull = []   # (C parameter position, call body with NULL in that pointer argument)


def build_case(name, decl):
    """A Case, or a string: why there is none."""
    if name in hand.CASES:
        h = hand.CASES[name]
        c = Case(name)
        c.objs = list(h["objs"])
        c.bad = list(h.get("bad", [None] * len(c.objs)))
        c.objpos = dict(h.get("objpos", {i + 1: i for i in range(len(c.objs))}))
        c.outpos = dict(h.get("outpos", {}))
        c.nparams = h.get("nparams", len(c.objs))
        c.body = h["body"]
        c.helper = h.get("helper", "")
        c.robj = h.get("robj", False)
        c.rint = h.get("rint", False)
        return c
    fam = family(name)
    c = Case(name)
    args = []
    locals_ = []
    first = True
    for pos, (t, pname) in enumerate(decl.params, 1):
        if t == "...":
            return "variadic (hand-written case needed)"
        if t == "PyObject*" or OBJ_TYPES_RE.match(t):
            k = len(c.objs)
            if pos in recipes.FUNC_OBJ.get(name, {}):
                expr = recipes.FUNC_OBJ[name][pos]
            elif t == "PyFrameObject*":
                expr = "sys._getframe()"
            elif t == "PyTypeObject*":
                expr = "E" if pname in ("type",) and fam in ("PyErr", "PyException") else "C"
                if fam == "PyStructSequence":
                    expr = "type(sys.flags)"
            elif t in ("PyObject*", "PyVarObject*", "PyLongObject*", "PyUnicodeObject*",
                       "PyBytesObject*", "PyListObject*", "PyTupleObject*", "PyDictObject*",
                       "PyCodeObject*", "PyFunctionObject*", "PyFrameObject*"):
                expr = obj_expr(fam, pname, first)
            else:
                return "no recipe for a %s argument" % t
            c.objs.append(expr)
            c.bad.append(recipes.FAMILY_BAD.get(fam) if first else None)
            c.objpos[pos] = k
            first = False
            args.append("(%s)a[%d]" % (t.replace("*", " *"), k) if t != "PyObject*" else "a[%d]" % k)
        elif pos in recipes.FUNC_SCALAR.get(name, {}):
            args.append(recipes.FUNC_SCALAR[name][pos])
        elif t == "PyObject**":
            j = len(c.outpos)
            c.outpos[pos] = j
            args.append("&r->out[%d]" % j)
        elif t in ("Py_ssize_t*", "int*", "char**", "size_t*", "long*", "Py_UCS4*", "double*",
                   "unsigned long*", "long long*"):
            v = "s%d" % pos
            locals_.append("%s %s = 0;" % (t[:-1], v))
            args.append("&" + v)
        elif (t, pname) in recipes.SCALAR:
            args.append(recipes.SCALAR[(t, pname)])
        elif (t, None) in recipes.SCALAR:
            args.append(recipes.SCALAR[(t, None)])
        else:
            return "no recipe for a %s argument" % t
    if len(c.objs) > 8 or len(c.outpos) > 4:
        return "too many object arguments"
    c.nparams = len(decl.params)
    call = "%s(%s)" % (name, ", ".join(args))
    ptrs = [pos for pos, (t, _) in enumerate(decl.params, 1)
            if t.endswith("*") and pos not in c.objpos and pos not in c.outpos][:MAXPTR]
    rt = decl.ret
    if rt.endswith("*"):
        c.robj = rt == "PyObject*" or bool(OBJ_TYPES_RE.match(rt))
        body = "r->p = (void *)%s;" % call
    elif rt in ("int", "long", "Py_ssize_t", "Py_hash_t", "unsigned long", "long long",
                "unsigned long long", "size_t", "unsigned int", "unsigned", "Py_UCS4", "char",
                "PyGILState_STATE", "PySendResult", "uint64_t", "int64_t"):
        c.rint = True
        body = "r->i = (long long)%s;" % call
    elif rt in ("void", "double", "Py_complex", "PyObject"):
        body = "(void)%s;" % call
    else:
        return "no recipe for a %s result" % rt
    c.body = " ".join(locals_ + [body])
    for pos in ptrs:
        typed = "((%s)NULL)" % decl.params[pos - 1][0].replace("*", " *")  # macros dereference it
        nulled = "%s(%s)" % (name, ", ".join(typed if i == pos else a for i, a in enumerate(args, 1)))
        c.ptrnull.append((pos, " ".join(locals_ + [body.replace(call, nulled, 1)])))
    return c


def model_policy(m, c):
    """(ret, steals, steals_ok, releases, acquires, out_new, accepts_null) over slots."""
    n = c.nparams

    def pos(p):
        return p if p > 0 else n + 1 + p

    def mask(key, table):
        r = 0
        for p in m["attrs"].get(key, []):
            if pos(p) in table:
                r |= 1 << table[pos(p)]
        return r

    extra = hand.CASES.get(c.name, {}).get("extra", {})
    m = dict(m, attrs=dict(m["attrs"]))
    for k, v in extra.items():
        m["attrs"][k] = m["attrs"].get(k, []) + v
    for p in m["attrs"].get("clears", []):  # the variable's reference is released by the call
        m["attrs"].setdefault("releases", []).append(p)
    ret = {"none": 0, "new": 1, "borrowed": 2, "int": 3}[m["ret"]]
    return (ret, mask("steals", c.objpos), mask("steals-on-success", c.objpos),
            mask("releases", c.objpos) | mask("xreleases", c.objpos),
            mask("acquires", c.objpos) | mask("xacquires", c.objpos),
            mask("out-new", c.outpos),
            mask("accepts-null", c.objpos) | mask("xreleases", c.objpos) | mask("xacquires", c.objpos))


def cstr(s):
    return "NULL" if s is None else '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def write_cases(cases, models, path):
    out = ["/* generated by verify_model.py: the cases of the CPython model verifier */"]
    for c in cases:
        if c.helper:
            out.append(c.helper)
    for i, c in enumerate(cases):
        out.append("static void call_%d(PyObject **a, struct res *r) { (void)a; (void)r; %s }"
                   % (i, c.body))
        for j, (_, body) in enumerate(c.ptrnull):
            out.append("static void call_%d_p%d(PyObject **a, struct res *r) { (void)a; (void)r; %s }"
                       % (i, j, body))
    out.append("static const struct vcase cases[] = {")
    for i, c in enumerate(cases):
        pol = model_policy(models[c.name], c)
        exprs = ", ".join(cstr(e) for e in c.objs) or "NULL"
        bads = ", ".join(cstr(e) for e in c.bad) or "NULL"
        ptrs = ", ".join("call_%d_p%d" % (i, j) for j in range(len(c.ptrnull))) or "NULL"
        out.append('\t{ "%s", call_%d, %d, { %s }, { %s }, %d, %d, %d, { %d, %du, %du, %du, %du, %du, %du }, %d, { %s } },'
                   % (c.name, i, len(c.objs), exprs, bads, len(c.outpos), c.robj, c.rint, *pol,
                      len(c.ptrnull), ptrs))
    out.append("};")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def parse_output(text):
    obs = collections.defaultdict(dict)
    for line in text.splitlines():
        w = line.split()
        if len(w) < 3 or "=" not in w[2]:
            continue
        phase, name = w[0], w[1]
        kv = dict(x.split("=", 1) for x in w[2:] if "=" in x)
        if kv.get("ok") == "0" or phase not in obs[name]:
            obs[name][phase] = kv
    return obs


def run_harness(exe, args):
    p = subprocess.run([exe] + args, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       timeout=900,
                       # a fixed hash seed: the allocations a call makes (and so where failing
                       # allocations hit) do not change from one run to the next
                       env=dict(os.environ, PYTHONMALLOC="debug", PYTHONHASHSEED="0"))
    return p.stdout


def judge(name, m, c, ob, exe, diag, facts):
    """(status, [mismatch texts], [notes]); adds the facts found right to the set facts."""
    mism, notes = [], []
    call = ob.get("call", {})
    if call.get("ok") != "1":
        return "crash", [], ["the call with the representative arguments crashed (%s)" % call.get("status", "?")]
    ret = m["ret"]
    fl = m["flags"]
    can_fail = bool(fl & {"null-on-failure", "neg-on-failure", "zero-on-failure"})
    # failure form, over call, nomem, bad
    forced = False
    for ph in ("call", "nomem", "bad"):
        o = ob.get(ph)
        if not o or o.get("ok") != "1":
            continue
        if o.get("failed") != "1":
            if ph != "call" and ret in ("new", "borrowed") and o.get("null") == "1" \
                    and "may-return-null" not in fl and "null-on-failure" not in fl and c.robj:
                mism.append("%s: NULL result without an exception, model: %s" % (ph, ret))
            continue
        if ret in ("new", "borrowed") and c.robj:
            if o.get("null") != "1":
                mism.append("%s: failed with a non-NULL result" % ph)
            elif "null-on-failure" in fl:
                forced = True
            elif ph == "nomem" and call.get("failed") == "0":
                mism.append("%s: fails (NULL with an exception), model says it cannot" % ph)
            else:
                notes.append("%s: fails (NULL with an exception) with these arguments" % ph)
        elif ret == "int" and c.rint:
            v = int(o.get("int", "0"))
            if "neg-on-failure" in fl:
                if v < 0:
                    forced = True
                    if v != -1:
                        notes.append("%s: failure result %d" % (ph, v))
                else:
                    mism.append("%s: failed with result %d, model: neg-on-failure" % (ph, v))
            elif "zero-on-failure" in fl:
                if v == 0:
                    forced = True
                else:
                    mism.append("%s: failed with result %d, model: zero-on-failure" % (ph, v))
            elif ph == "nomem" and call.get("failed") == "0":
                mism.append("%s: fails (result %d with an exception), model says it cannot" % (ph, v))
            else:
                notes.append("%s: fails (result %d with an exception) with these arguments" % (ph, v))
        elif ret == "none" and c.rint and call.get("failed") != "1":
            notes.append("%s: fails (result %s with an exception); model: none" % (ph, o.get("int")))
    if can_fail and not forced:
        notes.append("failure not forced")
    if "zero-on-success" in fl and call.get("failed") == "0" and call.get("int") not in (None, "0"):
        mism.append("call: success result %s, model: zero-on-success" % call.get("int"))
    elif ("neg-on-failure" in fl and "zero-on-success" not in fl and call.get("failed") == "0"
          and call.get("int") == "0"):
        notes.append("success result 0 (zero-on-success if the documentation says so)")
    pol = model_policy(m, c)
    # returns-arg=N: the result is argument N (one more reference to it when new); with NULL in
    # an argument that may be NULL, the result is NULL without an exception (Py_XNewRef)
    for n in m["attrs"].get("returns-arg", []):
        k = c.objpos.get(n)
        if k is None:
            continue
        if call.get("failed") == "0":
            if call.get("same") != str(k):
                mism.append("call: the result is not argument %d (returns-arg=%d)" % (n, n))
            elif call.get("d%d" % k) != ("1" if ret == "new" else "0"):
                mism.append("call: argument %d's count changed by %s, model: %s result"
                            % (n, call.get("d%d" % k), ret))
        o = ob.get("null:%d" % k, {})
        if pol[6] >> k & 1 and o.get("ok") == "1" and (o.get("null") != "1" or o.get("failed") != "0"):
            mism.append("NULL argument %d: result %s, exception %s; model: NULL in, NULL out"
                        % (n, "NULL" if o.get("null") == "1" else "not NULL", o.get("failed")))
    # three-way: 1 with new references in the outputs, 0 with NULL outputs and no exception,
    # -1 with NULL outputs and an exception
    if "three-way" in fl:
        outs = [c.outpos[p] for p in m["attrs"].get("out-new", []) if p in c.outpos]
        seen = set()
        for ph in ("call", "nomem", "bad"):
            o = ob.get(ph)
            if not o or o.get("ok") != "1" or "int" not in o:
                continue
            v = int(o["int"])
            got = ["obj" if o.get("out%d" % j) == "obj" else "null" for j in outs]
            want = {1: ("obj", "0"), 0: ("null", "0"), -1: ("null", "1")}.get(v)
            if want is None or any(g != want[0] for g in got) or o.get("failed") != want[1]:
                mism.append("%s: three-way result %d with outputs %s, exception %s"
                            % (ph, v, ",".join(got), o.get("failed")))
            seen.add(v)
        notes.append("three-way results seen: %s" % ",".join(map(str, sorted(seen))))
    # NULL arguments
    for k in range(len(c.objs)):
        o = ob.get("null:%d" % k)
        if not o:
            continue
        accepted = bool(pol[6] >> k & 1)
        if o.get("ok") != "1" and accepted:
            mism.append("NULL in object slot %d crashes, model: accepts-null" % k)
        elif o.get("ok") == "1" and not accepted and o.get("failed") == "0":
            # not a mismatch by itself: accepts-null means a NULL from a failed call may be
            # passed on; listed for reading against the documentation
            notes.append("NULL in object slot %d accepted without an exception" % k)
    # balance
    if name in recipes.NO_BALANCE:
        notes.append("balance not measured: " + recipes.NO_BALANCE[name])
        return ("mismatch" if mism else "verified-partly"), mism, notes
    bal = ob.get("balance", {})
    status = "failure-path" if call.get("failed") == "1" else "verified"
    if status == "failure-path" and ret == "none" and (family(name) == "PyErr" or c.robj):
        status = "verified"  # setting the exception is what these functions do
    if bal.get("ok") != "1" or abs(int(bal.get("delta", "0"))) >= K:
        what = "crash" if bal.get("ok") != "1" else "delta %s over %d rounds" % (bal.get("delta"), K)
        fix = diag(c, pol)
        mism.append("balance under the model's policy: %s%s" % (what, "; balances with: " + fix if fix else ""))
    bn = ob.get("bal-nomem", {})
    if bn and (bn.get("ok") != "1" or abs(int(bn.get("delta", "0"))) >= K):
        what = "crash" if bn.get("ok") != "1" else "delta %s over %d rounds" % (bn.get("delta"), K)
        mism.append("balance with failing allocations: %s" % what)
    if not mism:
        facts.update(verified_facts(m, c, ob, pol, forced))
    return ("mismatch" if mism else status), mism, notes


# Exceptions that say "this argument may not be NULL": CPython's null_error() and
# PyErr_BadInternalCall() raise SystemError, PyErr_BadArgument() TypeError. Others can be an
# outcome of what NULL means there with these particular arguments: AttributeError from
# PyObject_SetAttr(o, name, NULL), which deletes; MemoryError from PyObject_Init(NULL, type),
# which passes on a failed allocation; ValueError from PyCapsule_GetPointer(c, NULL), which asks
# for a capsule without a name (ours has one), and from PyBytes_AsStringAndSize(b, &s, NULL) on
# bytes with a NUL in them.
NULL_REFUSED = {"SystemError", "TypeError"}


def null_rejected(c, ob, pol, decl, m_attrs):
    """{C parameter position (1-based): how} of the arguments (objects, and other pointers tried
    with NULL: c.ptrnull) where NULL crashes the call
    or makes it fail with an exception that refuses the argument, while the same call with the
    representative arguments succeeds. Left out: arguments the model says accept NULL (that
    contradiction is a mismatch of judge()), arguments of a variadic part (what they may be
    depends on the format), and the failures of PyErr_* functions, whose job is to set one."""
    call = ob.get("call", {})
    if call.get("ok") != "1" or call.get("failed") != "0":
        return {}
    fixed = None
    if decl is not None:
        types = [t for t, _ in decl.params]
        fixed = types.index("...") if "..." in types else len(types)
    allowed = set(m_attrs.get("accepts-null", []))
    tries = [(pos, ob.get("null:%d" % k), pol[6] >> k & 1) for pos, k in c.objpos.items()]
    tries += [(pos, ob.get("pnull:%d" % j), pos in allowed) for j, (pos, _) in enumerate(c.ptrnull)]
    out = {}
    for pos, o, accepted in tries:
        if not o or accepted or (fixed is not None and pos > fixed):
            continue
        if o.get("ok") != "1" and o.get("status", "").startswith("signal") and o.get("status") != "signal14":
            out[pos] = "crashes (%s)" % o.get("status")
        elif o.get("ok") == "1" and o.get("failed") == "1" and o.get("exc") in NULL_REFUSED \
                and family(c.name) != "PyErr":
            out[pos] = "fails (%s)" % o.get("exc")
    return out


def read_nonnull(path, word="nonnull"):
    """{name: set of positions} of the 'WORD NAME N,M' lines of a file (nonnull, fails-on-null)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.split("#", 1)[0].split()
            if len(w) == 3 and w[0] == word:
                out.setdefault(w[1], set()).update(int(x) for x in w[2].split(","))
    return out


def verified_facts(m, c, ob, pol, forced):
    """The facts of a model line that this run exercised and found right."""
    call, bal, bn = ob.get("call", {}), ob.get("balance", {}), ob.get("bal-nomem", {})
    ok = call.get("failed") == "0" and bal.get("ok") == "1" and c.name not in recipes.NO_BALANCE
    nomem_failed = bn.get("ok") == "1" and bn.get("failed", "0") != "0"
    fl, ret = m["flags"], m["ret"]
    out = set()
    if ok and c.robj and call.get("null") == "0" and ret in ("new", "borrowed"):
        out.add("result " + ret)
    if pol[1] | pol[3]:
        if ok:
            out.add("steals (success)")
        if nomem_failed:
            out.add("steals (failure)")
    if pol[2]:
        if ok:
            out.add("steals-on-success (success)")
        if nomem_failed:
            out.add("steals-on-success (failure: kept)")
    if pol[5] and ok:
        out.add("out-new")
    if m["attrs"].get("out-borrowed") and ok:
        out.add("out-borrowed")
    if forced:
        out.add("failure form (%s)" % next(f for f in ("null-on-failure", "neg-on-failure",
                                                       "zero-on-failure") if f in fl))
    elif ret in ("new", "borrowed", "int") and not fl & {"null-on-failure", "neg-on-failure",
                                                         "zero-on-failure", "may-return-null"}:
        nm = ob.get("nomem", {})
        if call.get("failed") == "0" and nm.get("ok") == "1" and nm.get("failed") == "0":
            out.add("cannot fail (not with failing allocations)")
    if "zero-on-success" in fl and call.get("failed") == "0":
        out.add("zero-on-success")
    if pol[6] and any(ob.get("null:%d" % k, {}).get("ok") == "1"
                      for k in range(len(c.objs)) if pol[6] >> k & 1):
        out.add("accepts-null")
    if m["attrs"].get("returns-arg") and call.get("failed") == "0":
        out.add("returns-arg")
    if "three-way" in fl:
        out.add("three-way")
    return out


def make_diag(exe):
    def diag(c, pol):
        ret, st, sok, rel, acq, outn, _ = pol
        alts = []
        if c.robj:
            for r in (1, 2):
                if r != ret:
                    alts.append(("result %s" % ("new" if r == 1 else "borrowed"), (r, st, sok, rel, acq, outn)))
        for k in range(len(c.objs)):
            b = 1 << k
            if (st | rel) & b:
                alts.append(("slot %d not taken over" % k, (ret, st & ~b, sok, rel & ~b, acq, outn)))
            else:
                alts.append(("slot %d taken over" % k, (ret, st | b, sok & ~b, rel, acq, outn)))
        for j in range(len(c.outpos)):
            alts.append(("output %d %s" % (j, "borrowed" if outn >> j & 1 else "new"), (ret, st, sok, rel, acq, outn ^ (1 << j))))
        for what, p in alts:
            out = run_harness(exe, ["-p", ",".join(map(str, p)), c.name, "balance"])
            o = parse_output(out).get(c.name, {}).get("balance", {})
            if o.get("ok") == "1" and abs(int(o.get("delta", "99"))) < K:
                return what
        return ""
    return diag


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--include", default="/usr/include/python3.11d")
    ap.add_argument("--lib", default="/usr/lib/x86_64-linux-gnu/libpython3.11d.so")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--workdir", default="modelverify.d")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--details", help="write one line per function here")
    ap.add_argument("--expected", help="known mismatches: NAME # reason, one a line")
    ap.add_argument("--nonnull", help="'nonnull NAME N' lines: each exercised one must still "
                    "crash or fail on NULL (a mismatch otherwise)")
    ap.add_argument("--write-nonnull", metavar="FILE",
                    help="write the 'nonnull NAME N' lines this run found (cpython-nonnull.model)")
    ap.add_argument("--must-mismatch", nargs="*",
                    help="self-test: exit 0 only when exactly these functions mismatch")
    args = ap.parse_args(argv)

    if not os.path.isfile(args.lib) or not os.path.isfile(os.path.join(args.include, "Python.h")):
        print("verify_model: %s or %s/Python.h missing: install python3.11-dbg "
              "(scripts/install-deps)" % (args.lib, args.include), file=sys.stderr)
        return 2
    models = parse_model(args.model)
    dd, macros = decls.declarations(args.include)
    for proto in recipes.MACRO_PROTOS:
        d = decls.parse_proto(proto)
        if d.name in macros and d.name not in dd:
            dd[d.name] = d
    exp = exported(args.lib)
    os.makedirs(args.workdir, exist_ok=True)

    status = {}
    reasons = {}
    cases = []
    for name in sorted(models):
        if args.only and name not in args.only:
            continue
        if name in recipes.SKIP:
            status[name], reasons[name] = "not-exercised", recipes.SKIP[name]
            continue
        d = dd.get(name)
        if name not in hand.CASES:
            if d is None:
                if name in macros:
                    status[name], reasons[name] = "not-exercised", "a macro in 3.11 (not a function)"
                elif name in exp:
                    status[name], reasons[name] = "not-exercised", "exported but not declared in the 3.11 headers"
                else:
                    status[name], reasons[name] = "not-exercised", "not in 3.11 (documentation only)"
                continue
            if not d.inline and name not in exp:
                status[name], reasons[name] = "not-exercised", "declared but not exported by libpython3.11d"
                continue
        c = build_case(name, d)
        if isinstance(c, str):
            status[name], reasons[name] = "not-exercised", c
            continue
        cases.append(c)

    inc = os.path.join(args.workdir, "cases.inc")
    write_cases(cases, models, inc)
    exe = os.path.join(args.workdir, "harness")
    cc = [args.cc, "-std=c11", "-D_GNU_SOURCE", "-O0", "-g", "-w", "-I", args.workdir,
          "-I", args.include, os.path.join(HERE, "harness.c"), "-o", exe,
          "-L", os.path.dirname(args.lib), "-l:" + os.path.basename(args.lib),
          "-Wl,-rpath," + os.path.dirname(args.lib), "-lm"]
    p = subprocess.run(cc, capture_output=True, text=True)
    if p.returncode != 0:
        print("verify_model: the harness does not build:\n%s" % p.stderr[-4000:], file=sys.stderr)
        return 2
    obs = parse_output(run_harness(exe, [])) if cases else {}
    diag = make_diag(exe)
    mism = {}
    notes = {}
    facts = {}
    listed = read_nonnull(args.nonnull) if args.nonnull else {}
    listed_fails = read_nonnull(args.nonnull, "fails-on-null") if args.nonnull else {}
    rejected = {}
    for c in cases:
        facts[c.name] = set()
        st, mm, nn = judge(c.name, models[c.name], c, obs.get(c.name, {}), exe, diag, facts[c.name])
        rej = null_rejected(c, obs.get(c.name, {}), model_policy(models[c.name], c), dd.get(c.name),
                             models[c.name]["attrs"])
        rejected[c.name] = rej
        for pos in sorted(listed.get(c.name, ())):
            if pos in c.objpos and pos not in rej and obs.get(c.name, {}).get("null:%d" % c.objpos[pos]):
                mm.append("NULL in argument %d neither crashes nor fails, model: nonnull" % pos)
                if st != "crash":
                    st = "mismatch"
        for pos in sorted(set(rej) & listed.get(c.name, set())):
            facts[c.name].add("nonnull")
        # a 'fails-on-null NAME N' line: NULL there still makes the call fail, and not crash
        for pos in sorted(listed_fails.get(c.name, ())):
            how = rej.get(pos)
            if how is None and (pos not in c.objpos or not obs.get(c.name, {}).get("null:%d" % c.objpos[pos])):
                continue  # not exercised this run (the nonnull check above says the same)
            if how is None or not how.startswith("fails"):
                mm.append("NULL in argument %d %s, model: fails-on-null" % (pos, how or "does not fail"))
                if st != "crash":
                    st = "mismatch"
            else:
                facts[c.name].add("fails-on-null")
        # fails-on-null=N: NULL there makes the call fail (an error, no crash)
        for pos in models[c.name]["attrs"].get("fails-on-null", []):
            o = obs.get(c.name, {}).get("null:%d" % c.objpos[pos]) if pos in c.objpos else None
            if o is None:
                mm.append("fails-on-null=%d: NULL in that argument was not tried" % pos)
            elif o.get("ok") != "1" or o.get("failed") != "1":
                mm.append("NULL in argument %d did not make the call fail (%s), model: fails-on-null" %
                          (pos, o.get("status") or "it succeeded"))
            else:
                facts[c.name].add("fails-on-null")
            if mm and st != "crash":
                st = "mismatch"
        status[c.name] = st
        if st == "crash":
            reasons[c.name] = nn[0]
        mism[c.name] = mm
        notes[c.name] = nn

    expected = {}
    if args.expected:
        with open(args.expected, encoding="utf-8") as f:
            for line in f:
                body, _, why = line.partition("#")
                if body.strip():
                    expected[body.strip()] = why.strip()

    counts = collections.Counter(status.values())
    why = collections.Counter(reasons[n] for n, s in status.items() if s in ("not-exercised", "crash"))
    print("CPython model verified against %s" % args.lib)
    print("| what | functions |")
    print("|---|---|")
    print("| functions in the model (exact names) | %d |" % len(status))
    print("| verified by execution (success path, balance, failure form, NULL arguments) | %d |" % counts["verified"])
    print("| exercised on the failure path only (the representative call fails) | %d |" % counts["failure-path"])
    print("| verified by execution except the balance (reason per function in --details) | %d |" % counts["verified-partly"])
    print("| mismatches | %d (%d listed as expected) |" % (counts["mismatch"], sum(1 for n in status if status[n] == "mismatch" and n in expected)))
    print("| not exercised | %d |" % (counts["not-exercised"] + counts["crash"]))
    for r, n in why.most_common():
        print("|   %s | %d |" % (r, n))
    print()
    fcount = collections.Counter(f for n in facts for f in facts[n])
    print("| fact of the model line, found right by execution | functions |")
    print("|---|---|")
    for f in sorted(fcount):
        print("| %s | %d |" % (f, fcount[f]))
    nf = sum(1 for n in notes if "failure not forced" in notes[n] and status[n] != "mismatch")
    print("| (can fail, but no failure could be forced: documentation only) | %d |" % nf)
    nz = sum(1 for n in notes if any(t.startswith("success result 0") for t in notes[n]))
    print("| (neg-on-failure with a success result 0, not zero-on-success: read the documentation) | %d |" % nz)
    print()
    if args.must_mismatch is not None:
        got = {n for n in status if status[n] == "mismatch"}
        for n in sorted(got):
            print("MISMATCH %s\n    %s" % (n, "\n    ".join(mism[n])))
        want = set(args.must_mismatch)
        missed, extra = sorted(want - got), sorted(got - want)
        print("not found: %s" % (", ".join(missed) or "none"))
        print("reported though right: %s" % (", ".join(extra) or "none"))
        print("%d passed, %d failed" % (len(want & got) + len(status) - len(got | want), len(missed) + len(extra)))
        return 1 if missed or extra else 0
    unexpected = []
    for n in sorted(status):
        if status[n] == "mismatch":
            tag = "expected: " + expected[n] if n in expected else "UNEXPECTED"
            print("MISMATCH %s (%s)\n    model: %s" % (n, tag, models[n]["line"]))
            for t in mism[n]:
                print("    " + t)
            if n not in expected:
                unexpected.append(n)
    for n in expected:
        if status.get(n) not in (None, "mismatch"):
            print("note: %s is listed as expected to mismatch but is %s" % (n, status[n]))
    if args.write_nonnull:
        with open(args.write_nonnull, "w", encoding="utf-8") as f:
            f.write("# cpython-nonnull.model - the object arguments of the CPython C API where NULL crashes\n"
                    "# the call or makes it fail, found by running CPython (%s).\n"
                    "# GENERATED by analyzer/models/verify/verify_model.py --write-nonnull: do not edit.\n"
                    "# Each line adds nonnull=N to NAME's model line (docs/model-format.md), and a\n"
                    "# fails-on-null line says which of those fail cleanly (no crash); the\n"
                    "# verifier checks every line again (meson test models/verify).\n"
                    % os.path.basename(args.lib))
            for n in sorted(rejected):
                r = rejected[n]
                if r:
                    hows = sorted(set(r.values()))
                    f.write("%-60s # %s\n" % ("nonnull %s %s" % (n, ",".join(map(str, sorted(r)))),
                                               "; ".join(hows)))
                fails = sorted(p for p, how in r.items() if how.startswith("fails"))
                if fails:
                    # no crash: the call fails (CPython's null_error keeps a pending exception),
                    # so a failed result handed there needs no check of its own
                    f.write("%-60s # %s\n" % ("fails-on-null %s %s" % (n, ",".join(map(str, fails))),
                                               "; ".join(sorted(set(r[p] for p in fails)))))
    if args.details:
        with open(args.details, "w") as f:
            for n in sorted(status):
                f.write("%s\t%s\t%s\t%s\t%s\n" % (n, status[n], reasons.get(n, ""),
                        "; ".join(mism.get(n, []) + notes.get(n, [])),
                        ", ".join(sorted(facts.get(n, ())))))
    if unexpected:
        print("%d passed, %d failed" % (counts["verified"] + counts["failure-path"], len(unexpected)))
        return 1
    print("%d passed, 0 failed" % (counts["verified"] + counts["failure-path"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
