#!/usr/bin/env python3
"""mkseeds.py - the graph targets' seed corpus, written as readable programs.

    fuzz/mkseeds.py                 write corpus/graph*/seed-*, corpus/graph/repro-*, fuzz/graph*.dict
                                    (the analyzer's seeds are its test cases, read in place: fuzz/seeds)
    fuzz/mkseeds.py --check         fail if a committed seed differs from what this script writes
    fuzz/mkseeds.py --decode FILE   print a graph program (a seed, a crash) in this syntax
    fuzz/mkseeds.py --decode-alloc FILE   same for a graph_alloc input (header record first)
    fuzz/mkseeds.py --encode FILE   text program (this syntax) -> bytes on stdout

A program is a list of 4-byte records (op, a, b, c); graph_model.c is the reference for what
each one does and docs/fuzzing.md describes them. Syntax, one record per line (# comments):

    new rD KIND [slots=1..4] [param=0..15] [flag]   KIND: leaf container resurrect-self
                                                    resurrect-other dropper allocator leaf-finalizer
    store rA.S rC       rA.slot[S] = rC (new reference; an empty rC stores NULL)
    clear rA.S          rA.slot[S] = NULL
    load rD rA.S        rD = rA.slot[S]         dup rD rS        drop rD
    dup rD rS saturate  rS's count to RC_REFCNT_MAX at once (tracked heaps), then one more: it
                        saturates (one report, never freed; leaked at rc_heap_destroy)
    weak rD rT [cb|cb-collect]                  weakget rD rW [keep]
    collect             gc threshold N | gc disable | gc enable      failalloc N
    immortal rA         rc_make_immortal
    chain N             N containers in a list outside the model, the head dropped (N: 1024..32768,
                        a multiple of 1024): destruction must not recurse
    raw XX XX XX XX     any record, in hex
    heap KIND [generations]   before the first record: the heap the program runs on (checked, the
                        default; default, plain, tracked-pooled: graph_model.h), written as
                        12 * kind added to the first record's op byte; `generations` adds
                        RC_HEAP_GENERATIONS (48 more)
graph_alloc inputs start with a header line:  header fail=N [persist] [default-allocator] [threshold=T] [heap=KIND]
"""
import os
import re
import sys

SAT_MAGIC = 0x5A  # graph_model.c: an OP_DUP record whose c byte is this saturates first
OPS = ["new", "store", "clear", "load", "dup", "drop", "weak", "weakget", "collect", "gc", "failalloc", "immortal"]
KINDS = ["leaf", "container", "resurrect-self", "resurrect-other", "dropper", "allocator", "leaf-finalizer"]
COLLECTABLE = {"container", "resurrect-self", "resurrect-other", "dropper", "allocator"}
NREG = 16
SLOT_MOD = 12
HEAPS = ["checked", "default", "plain", "tracked-pooled"]


class SyntaxErr(Exception):
    pass


def reg(tok):
    m = re.fullmatch(r"r(\d+)", tok)
    if not m or int(m.group(1)) >= NREG:
        raise SyntaxErr("expected a register r0..r15, got %r" % tok)
    return int(m.group(1))


def regslot(tok):
    m = re.fullmatch(r"r(\d+)\.(\d+)", tok)
    if not m or int(m.group(1)) >= NREG or int(m.group(2)) >= SLOT_MOD:
        raise SyntaxErr("expected rN.S (register, slot), got %r" % tok)
    return int(m.group(1)), int(m.group(2))


def encode_line(line):
    """One line -> 4 bytes (or None for blank/comment lines)."""
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    t = line.split()
    op, args = t[0], t[1:]
    if op == "raw":
        if len(args) != 4:
            raise SyntaxErr("raw takes 4 hex bytes")
        return bytes(int(x, 16) for x in args)
    if op == "header":
        fail, persist, thr = 1, 0, 0
        for a in args:
            if a.startswith("fail="):
                fail = int(a[5:])
            elif a == "persist":
                persist |= 1
            elif a == "default-allocator":
                persist |= 2
            elif a.startswith("threshold="):
                thr = int(a[10:])
            elif a.startswith("heap=") and a[5:] in HEAPS:
                persist |= HEAPS.index(a[5:]) << 2
            else:
                raise SyntaxErr("bad header field %r" % a)
        if not 1 <= fail <= 65536 or not 0 <= thr <= 255:
            raise SyntaxErr("header: fail is 1..65536, threshold 0..255")
        return bytes([(fail - 1) & 0xFF, (fail - 1) >> 8, persist, thr])
    if op not in OPS and op != "chain":
        raise SyntaxErr("unknown operation %r" % op)
    code = OPS.index(op) if op in OPS else OPS.index("collect")
    if op == "new":
        d = reg(args[0])
        kind = args[1]
        if kind not in KINDS:
            raise SyntaxErr("unknown kind %r" % kind)
        slots, param, flag = 1, 0, 0
        for a in args[2:]:
            if a.startswith("slots="):
                slots = int(a[6:])
            elif a.startswith("param="):
                param = int(a[6:])
            elif a == "flag":
                flag = 1
            else:
                raise SyntaxErr("bad new field %r" % a)
        if not 1 <= slots <= 4 or not 0 <= param <= 15:
            raise SyntaxErr("slots is 1..4, param 0..15")
        if kind not in COLLECTABLE:
            slots = 1
        return bytes([code, d, KINDS.index(kind), (slots - 1) | param << 2 | flag << 6])
    if op == "store":
        (a, s), c = regslot(args[0]), reg(args[1])
        return bytes([code, a, s, c])
    if op == "clear":
        a, s = regslot(args[0])
        return bytes([code, a, s, 0])
    if op == "load":
        d, (a, s) = reg(args[0]), regslot(args[1])
        return bytes([code, d, a, s])
    if op == "dup":
        if len(args) > 2 and args[2] != "saturate":
            raise SyntaxErr("dup rD rS [saturate]")
        return bytes([code, reg(args[0]), reg(args[1]), SAT_MAGIC if len(args) > 2 else 0])
    if op == "drop":
        return bytes([code, reg(args[0]), 0, 0])
    if op == "weak":
        d, t = reg(args[0]), reg(args[1])
        cb = {"": 0, "cb": 1, "cb-collect": 3}.get(args[2] if len(args) > 2 else "")
        if cb is None:
            raise SyntaxErr("weak: cb or cb-collect")
        return bytes([code, d, t, cb])
    if op == "weakget":
        d, w = reg(args[0]), reg(args[1])
        keep = 1 if len(args) > 2 and args[2] == "keep" else 0
        return bytes([code, d, w, keep])
    if op == "collect":
        return bytes([code, 0, 0, 0])
    if op == "chain":
        n = int(args[0])
        if n % 1024 or not 1024 <= n <= 32768:
            raise SyntaxErr("chain N: N is a multiple of 1024, 1024..32768")
        return bytes([OPS.index("collect"), 0xC4, n // 1024 - 1, 0])
    if op == "gc":
        if args[0] == "threshold":
            n = int(args[1])
            if not 1 <= n <= 256:
                raise SyntaxErr("gc threshold is 1..256")
            return bytes([code, 0, n - 1, 0])
        return bytes([code, {"disable": 1, "enable": 2}[args[0]], 0, 0])
    if op == "immortal":
        return bytes([code, reg(args[0]), 0, 0])
    if op == "failalloc":
        n = int(args[0])
        if not 0 <= n <= 255:
            raise SyntaxErr("failalloc is 0..255")
        return bytes([code, 0, n, 0])
    raise SyntaxErr("unhandled %r" % op)


def encode(text):
    out = bytearray()
    heap = 0
    for no, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if words[:1] == ["heap"]:
            if len(words) not in (2, 3) or words[1] not in HEAPS or out or words[2:] not in ([], ["generations"]):
                raise SystemExit("mkseeds: line %d: heap KIND [generations] (%s) comes before the first record" %
                                 (no, ", ".join(HEAPS)))
            heap = HEAPS.index(words[1]) + (len(HEAPS) if words[2:] else 0)
            continue
        try:
            rec = encode_line(line)
        except (SyntaxErr, IndexError, ValueError, KeyError) as e:
            raise SystemExit("mkseeds: line %d: %s: %s" % (no, line.strip(), e))
        if rec is not None:
            if not out and heap:
                rec = bytes([rec[0] % len(OPS) + len(OPS) * heap]) + rec[1:]
            out += rec
    return bytes(out)


def decode_record(r):
    op, a, b, c = OPS[r[0] % len(OPS)], r[1], r[2], r[3]
    if op == "new":
        kind = KINDS[b % len(KINDS)]
        s = "new r%d %s" % (a % NREG, kind)
        if kind in COLLECTABLE:
            s += " slots=%d" % (1 + (c & 3))
        s += " param=%d" % ((c >> 2) & 15)
        return s + (" flag" if (c >> 6) & 1 else "")
    if op == "store":
        return "store r%d.%d r%d" % (a % NREG, b % SLOT_MOD, c % NREG)
    if op == "clear":
        return "clear r%d.%d" % (a % NREG, b % SLOT_MOD)
    if op == "load":
        return "load r%d r%d.%d" % (a % NREG, b % NREG, c % SLOT_MOD)
    if op == "dup":
        return "dup r%d r%d%s" % (a % NREG, b % NREG, " saturate" if c == SAT_MAGIC else "")
    if op == "drop":
        return "drop r%d" % (a % NREG)
    if op == "weak":
        return "weak r%d r%d%s" % (a % NREG, b % NREG, (" cb-collect" if c & 2 else " cb") if c & 1 else "")
    if op == "weakget":
        return "weakget r%d r%d%s" % (a % NREG, b % NREG, " keep" if c & 1 else "")
    if op == "collect":
        return "chain %d" % (1024 * (1 + b % 32)) if a == 0xC4 else "collect"
    if op == "gc":
        return ["gc threshold %d" % (1 + b), "gc disable", "gc enable"][a % 3]
    if op == "immortal":
        return "immortal r%d" % (a % NREG)
    return "failalloc %d" % b


def decode(data, alloc=False):
    lines = []
    if alloc:
        if len(data) < 4:
            return "# (shorter than the header: the target ignores it)\n"
        h = data[:4]
        lines.append("header fail=%d%s%s threshold=%d%s" % (1 + (h[0] | h[1] << 8), " persist" if h[2] & 1 else "",
                                                           " default-allocator" if h[2] & 2 else "", h[3],
                                                           " heap=" + HEAPS[(h[2] >> 2) % 4] if (h[2] >> 2) % 4 else ""))
        data = data[4:]
    elif len(data) >= 4 and (data[0] // len(OPS)) % (2 * len(HEAPS)):
        lines.append("heap %s%s" % (HEAPS[(data[0] // len(OPS)) % len(HEAPS)],
                                    " generations" if (data[0] // len(OPS) // len(HEAPS)) & 1 else ""))
    for i in range(0, len(data) - len(data) % 4, 4):
        r = data[i:i + 4]
        lines.append("%-40s # %4d: %s" % (decode_record(r), i // 4, " ".join("%02x" % x for x in r)))
    if len(data) % 4:
        lines.append("# (%d trailing byte(s) ignored)" % (len(data) % 4))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------
# The seeds: each one reaches an operation, a finalizer kind or a weak-reference case.
# ------------------------------------------------------------------------------------------------

GRAPH = {
    "long-chain": """
        # a list of 32768 containers torn down from its head: iterative destruction (mutant 52)
        new r0 container slots=1
        chain 32768
        drop r0
        chain 1024
    """,
    "plain-map-holder-dies": """
        # the fifth object, a map-form container without destroy, dies by counting and its
        # teardown releases the leaf it holds, telling nobody: the leaf's destroy must find
        # the model agreeing (a false report of the first harness with heap kinds, libFuzzer)
        new r0 container slots=1
        new r1 container slots=1
        store r1.0 r0
        new r0 container slots=1
        store r0.0 r1
        clear r1.0
        new r0 leaf
        new r1 container slots=1
        store r1.0 r0
        drop r0
        drop r1
    """,
    "plain-cycle": """
        # containers of the form without destroy (every 4th object made: graph_model.c
        # FORM_PLAIN_CALLBACKS) in cycles of their own; on the default heap their garbage takes
        # the collector's plain free path (mutant 53)
        new r0 leaf
        new r1 leaf
        new r2 leaf
        new r3 container slots=2
        store r3.0 r3
        drop r3
        collect
        new r0 leaf
        new r1 leaf
        new r2 leaf
        new r3 container slots=1
        new r4 leaf
        new r5 leaf
        new r6 leaf
        new r7 container slots=1
        store r3.0 r7
        store r7.0 r3
        drop r3
        drop r7
        collect
    """,
    "leaf": """
        new r0 leaf
        dup r1 r0
        drop r0
        drop r1
    """,
    "container-slots": """
        new r0 container slots=3
        new r1 leaf
        store r0.0 r1
        store r0.2 r1
        store r0.1 r0          # self reference
        load r2 r0.2
        clear r0.0
        store r0.2 r3          # empty register: stores NULL
        drop r1
        drop r0                # self cycle left for the collector
        collect
        drop r2
    """,
    "old-written-then-garbage": """
        # RC_HEAP_GENERATIONS (the gen- variants): r0 survives a minor collection (old), is
        # written to hold a new r2 that holds it back, both are dropped: minors keep them (r0
        # is an outside owner), the collect (major) frees them; then a ring made old, every
        # node touched again, dropped
        gc threshold 1
        new r0 container slots=2
        dup r1 r0
        drop r1
        new r2 container slots=2
        store r0.1 r2
        store r2.0 r0
        drop r2
        drop r0
        new r3 container
        drop r3
        new r3 container
        drop r3
        collect
        new r4 container
        new r5 container
        new r6 container
        store r4.0 r5
        store r5.0 r6
        store r6.0 r4
        drop r5
        drop r6
        collect
        load r5 r4.0
        drop r5
        new r7 container
        drop r7
        drop r4
        new r7 container
        drop r7
    """,
    "cycle-collect": """
        new r0 container slots=2
        new r1 container slots=1
        store r0.0 r1
        store r1.0 r0
        new r2 leaf
        store r0.1 r2
        drop r2
        drop r0
        collect                # still reachable from r1
        drop r1
        collect                # now garbage: cycle and leaf freed
    """,
    "chain-release": """
        new r0 container
        new r1 container
        store r1.0 r0
        new r0 container       # replaces r0: the first one lives on in r1.0
        store r0.0 r1
        new r1 container
        store r1.0 r0
        drop r0
        drop r1                # the whole chain goes by counting
    """,
    "resurrect-self-count": """
        new r0 resurrect-self param=5
        drop r0                # finalizer stores itself into r5
        dup r6 r5
        drop r5
        drop r6                # freed, finalizer does not run again
    """,
    "resurrect-self-collect": """
        new r0 resurrect-self slots=1 param=4
        new r1 container
        store r0.0 r1
        store r1.0 r0
        weak r2 r0 cb
        drop r0
        drop r1
        collect                # weakref cleared, callback runs, finalizer resurrects into r4
        weakget r3 r2 keep     # gone although the object lives
        load r5 r4.0
        collect
        drop r4
        drop r5
        collect
    """,
    "resurrect-other": """
        new r0 resurrect-other slots=2 param=7
        new r1 container
        store r0.0 r1
        store r1.0 r0
        drop r1
        drop r0
        collect                # finalizer resurrects r1's old object into r7 (and the cycle with it)
        collect
        drop r7
        collect
        new r0 resurrect-other param=3
        new r1 leaf-finalizer param=0
        store r0.0 r1
        drop r1
        drop r0                # counting path: finalizer takes the leaf into r3
        drop r3
    """,
    "dropper": """
        new r0 dropper slots=2
        new r1 container
        store r0.0 r1
        store r0.1 r1
        store r1.0 r0
        new r2 leaf
        store r0.1 r2
        drop r2
        drop r1
        drop r0
        collect                # the finalizer drops references during the collection
        new r0 dropper slots=1
        new r1 leaf
        store r0.0 r1
        drop r1
        drop r0                # counting path
    """,
    "allocator": """
        new r0 allocator slots=2
        drop r0                # finalizer allocates a leaf into slot 0 of a dying object
        new r0 allocator slots=1 flag
        drop r0                # ...and collects from the finalizer outside any collection
        new r0 allocator slots=1 flag
        new r1 container
        store r0.0 r1
        store r1.0 r0
        drop r1
        drop r0
        collect                # inside a collection: allocation, and rc_collect is RC_EBUSY
    """,
    "leaf-finalizer": """
        new r0 leaf-finalizer param=9 flag
        new r1 leaf-finalizer param=2
        drop r0                # resurrects into r9
        drop r1                # plain finalizer
        drop r9
    """,
    "weak-basic": """
        new r0 container
        weak r1 r0
        weakget r2 r1 keep
        weakget r3 r1
        drop r0
        drop r2                # target freed by counting
        weakget r4 r1 keep     # NULL
        drop r1
    """,
    "weak-callback-count": """
        new r0 leaf
        weak r1 r0 cb
        weak r2 r0 cb
        weak r3 r0
        drop r0                # two callbacks
        drop r1
        drop r2
        drop r3
    """,
    "weak-callback-garbage": """
        new r0 container slots=2
        new r1 container
        store r0.0 r1
        store r1.0 r0
        weak r2 r0 cb          # alive weakref: its callback runs
        weak r3 r1 cb
        store r0.1 r3          # weakref held only by garbage: no callback
        drop r3
        drop r0
        drop r1
        collect
        drop r2
    """,
    "weak-callback-collect": """
        new r0 container
        weak r1 r0 cb-collect
        drop r0                # callback collects outside any collection
        new r2 container
        new r3 container
        store r2.0 r3
        store r3.0 r2
        weak r4 r2 cb-collect
        drop r2
        drop r3
        collect                # callback's rc_collect is RC_EBUSY
        drop r1
        drop r4
    """,
    "weak-to-weak": """
        new r0 leaf
        weak r1 r0 cb
        weak r2 r1 cb
        drop r1                # weakref freed: the weakref to it is cleared, callback runs
        weakget r3 r2 keep
        weakget r4 r1 keep
        drop r0
        drop r2
    """,
    "auto-collect": """
        gc threshold 2
        new r0 container
        store r0.0 r0
        drop r0
        new r1 container
        store r1.0 r1
        drop r1
        new r2 container       # safe point: automatic collection
        new r3 container
        gc disable
        store r2.0 r3
        store r3.0 r2
        drop r2
        drop r3
        new r4 leaf
        new r5 leaf
        gc enable
        new r6 resurrect-self param=6
        store r6.0 r6
        drop r6
        new r7 leaf
        new r8 leaf
        collect
    """,
    "auto-collect-allocator": """
        gc threshold 1
        new r0 allocator slots=1
        new r1 resurrect-self slots=1 param=2
        store r0.0 r1
        store r1.0 r0
        drop r0
        drop r1
        new r3 leaf            # collection at this safe point: finalizers allocate inside it
        new r4 leaf
        drop r2
        new r5 leaf
    """,
    "weakref-new-safe-point": """
        gc threshold 1
        new r0 container
        dup r1 r0
        drop r1
        weak r2 r0             # rc_weakref_new allocates with rc_new: a safe point (rc.h)
        new r3 container
        store r3.0 r3
        drop r3
        weak r4 r2 cb
    """,
    "saturate": """
        # counts driven to saturation (rc.h): an increment past RC_REFCNT_MAX reports once,
        # pins the count, and the object is never freed, nor what it holds (mutant 50 wraps)
        new r0 container slots=2
        new r1 container
        store r0.0 r1
        store r1.0 r0          # a cycle
        weak r2 r0 cb
        dup r3 r0 saturate     # r0 at RC_REFCNT_MAX, one more: saturated, one report
        dup r4 r0 saturate     # already saturated: a plain dup, no report
        drop r3
        drop r4
        drop r1
        drop r0                # the cycle is unreachable, but r0 is pinned: nothing freed
        collect
        weakget r5 r2 keep     # still alive
        drop r5
        new r6 leaf
        dup r7 r6 saturate     # a leaf saturates too
        drop r7
        drop r6
        dup r8 r2 saturate     # and a weak reference
        drop r8
        drop r2
        new r9 container
        store r9.0 r9
        immortal r9
        dup r10 r9 saturate    # an immortal object: a plain dup, its count does not change
    """,
    "immortal": """
        new r0 container slots=2
        new r1 container
        store r0.0 r1
        store r1.0 r0          # a cycle kept by an immortal object
        immortal r0
        new r2 leaf-finalizer param=3 flag
        store r0.1 r2
        weak r4 r0 cb
        drop r2
        drop r1
        drop r0
        collect                # nothing to free: the immortal object is a root
        immortal r4            # an immortal weak reference
        new r5 resurrect-self param=5
        immortal r5
        drop r5
    """,
    "immortal-teardown-garbage-weakref": """
        # rc_heap_destroy: clearing an immortal object makes a cycle garbage that holds a weak
        # reference (with a collecting callback) to a member of the cycle: no callback
        new r0 resurrect-other slots=1 param=0
        new r1 container slots=1 param=1
        new r2 allocator slots=3 param=0 flag
        immortal r0
        store r2.1 r1
        store r0.0 r2
        weak r5 r2 cb-collect
        store r1.1 r5
        store r2.5 r2
    """,
    "garbage-weakref-to-weakref-resurrected": """
        # a garbage weakref to a garbage weakref is resurrected by a finalizer: cleared, no
        # callback; its target is freed by counting at the end of the collection
        new r3 container slots=4 param=12
        store r3.7 r3
        new r0 resurrect-other slots=2 param=1
        weak r2 r0 cb-collect
        store r3.0 r0
        weak r5 r2 cb
        store r0.3 r2
        store r0.0 r5
    """,
    "weakref-held-by-its-callback": """
        # a weakref held only by a garbage cycle runs a collecting callback: the runtime holds
        # the weakref while its callback runs, so that collection must not treat it as garbage
        new r0 container slots=2
        store r0.0 r0
        new r1 leaf
        weak r2 r1 cb-collect
        store r0.1 r2
        weak r3 r2 cb
        drop r2
        drop r0
        drop r1
    """,
    "weakref-new-failures": """
        # rc_weakref_new failing at each of its allocations (weakref class record, the weakref,
        # the weakref table: the positions of the first one on a fresh heap)
        new r0 container
        failalloc 2
        weak r1 r0 cb
        failalloc 1
        weak r2 r0 cb
        failalloc 0
        weak r3 r0 cb
        weak r4 r0 cb
        drop r0
    """,
    "resurrected-then-dropped": """
        # finalizers resurrect garbage that a counting death at the end of the collection drops
        # again: it (and the leaf it holds) survives that collection and the next one frees it
        new r1 leaf param=1
        new r5 allocator slots=2 param=9
        store r5.0 r5
        new r0 resurrect-self slots=2 param=9
        store r5.1 r0
        new r5 resurrect-self slots=1 param=0
        store r5.0 r5
        new r5 resurrect-self slots=2 param=9
        store r5.0 r1
        store r5.1 r5
        new r5 resurrect-self slots=1 param=0
        store r5.10 r0
    """,
    "resurrected-via-dropped-holder": """
        # the collector finds a ring resurrected (through an object a finalizer stored in a
        # register); a death by counting afterwards drops that register again: the ring survives
        # this collection (a candidate again) and the next one frees it
        new r0 resurrect-other slots=4 param=1
        new r1 dropper slots=2 param=0
        new r2 allocator slots=3 param=0 flag
        new r3 resurrect-self slots=2 param=0
        store r0.0 r1
        store r1.0 r2
        store r2.4 r3
        store r3.0 r0
        store r0.3 r0
        new r8 resurrect-self slots=4 param=0
        new r6 leaf-finalizer param=8 flag
        store r2.2 r6
        drop r6
        drop r0
        drop r1
        dup r2 r0
        drop r3
        collect
    """,
    "failalloc": """
        failalloc 0
        new r0 container       # fails
        new r0 container
        failalloc 0
        weak r1 r0 cb          # fails
        failalloc 1
        new r2 leaf
        new r3 leaf            # fails
        store r0.0 r2
        new r4 allocator
        failalloc 0
        drop r4                # the finalizer's allocation fails
        drop r0
        drop r2
    """,
    "mixed": """
        new r0 resurrect-other slots=4 param=1
        new r1 dropper slots=2
        new r2 allocator slots=3 flag
        new r3 resurrect-self slots=2 param=0
        store r0.0 r1
        store r1.0 r2
        store r2.0 r3
        store r3.0 r0
        store r0.3 r2
        weak r4 r0 cb
        weak r5 r2 cb-collect
        store r1.1 r5
        new r6 leaf-finalizer param=8 flag
        store r2.2 r6
        drop r6
        drop r5
        drop r0
        drop r1
        drop r2
        drop r3
        collect
        collect
        drop r0
        drop r1
        collect
    """,
}

ALLOC = {
    "default-allocator": """
        header fail=1 default-allocator threshold=2
        new r0 container slots=2
        new r1 resurrect-self slots=1 param=3
        store r0.0 r1
        store r1.0 r0
        weak r2 r1 cb
        drop r0
        drop r1
        new r4 leaf
        new r5 allocator flag
        drop r5
        collect
        drop r3
        collect
        failalloc 0
        new r6 leaf
    """,
    "heap": """
        header fail=1
        new r0 leaf
    """,
    "new": """
        header fail=2
        new r0 container
        new r1 leaf
        store r0.0 r1
        drop r1
        drop r0
    """,
    "persist": """
        header fail=3 persist threshold=1
        new r0 container
        store r0.0 r0
        new r1 leaf
        drop r0
        new r2 allocator
        drop r2
        new r3 leaf
    """,
    "weak": """
        header fail=3
        new r0 container
        weak r1 r0 cb
        weak r2 r0 cb
        drop r0
    """,
    "finalizer": """
        header fail=3 threshold=1
        new r0 allocator slots=2 flag
        store r0.0 r0
        drop r0
        new r1 leaf
        new r2 leaf
        collect
    """,
    "cycles": """
        header fail=6 threshold=2
        new r0 container slots=2
        new r1 resurrect-self slots=2 param=3
        store r0.0 r1
        store r1.0 r0
        weak r2 r1 cb
        drop r0
        drop r1
        new r4 leaf
        new r5 leaf
        new r6 leaf
        collect
        drop r3
        collect
    """,
}


# Hand-minimized reproducers of bugs the harness found (written as corpus/<target>/repro-*).
# Minimized crash files from the fuzzers are committed as they are (corpus/<target>/crash-*);
# `fuzz/mkseeds.py --decode FILE` shows them in this syntax.
REPRO_GRAPH = {
    "finalizer-drops-last-ref": """
        # A finalizer drops the last reference to another garbage object during a collection:
        # that object must be freed at the end of the collection. Found 2026-11-24 in the first
        # runtime slice: hold() pins a garbage object whose count is 0 after recheck (leak).
        new r0 dropper slots=1
        new r1 container
        store r0.0 r1
        store r1.0 r0
        drop r1
        drop r0
        collect
    """,
    "immortal-destroy-not-called": """
        # rc.h: destroy "runs once, after clear, just before the memory is freed", and an
        # immortal object's "memory is returned at rc_heap_destroy"; the runtime returns the
        # memory of immortal objects without calling destroy (found 2026-11-24).
        new r0 leaf
        immortal r0
    """,
    "immortal-weakref-callback-skipped": """
        # rc.h: when the target dies "each callback whose weak reference is still alive runs
        # once"; an immortal weak reference is alive, but the runtime skips its callback
        # (rc__weakrefs_detach: !count_is_mortal) (found 2026-11-24).
        new r0 leaf
        weak r1 r0 cb
        immortal r1
        drop r0
    """,
    "immortal-weakref-alive-at-teardown": """
        # rc_heap_destroy destroys immortal objects, but a weak reference to one (itself
        # immortal, so alive) still reads alive when the target's destroy runs: weak references
        # must be cleared before clear/destroy (rc.h destruction order) (found 2026-11-24).
        new r0 container
        weak r1 r0
        immortal r1
        immortal r0
    """,
}


# Dictionary entries: one whole record per operation shape, so that libFuzzer and AFL++ insert
# well-formed records (written as fuzz/<target>.dict).
DICT_LINES = """
    chain 16384
    new r0 leaf
    new r1 container slots=2
    new r2 resurrect-self slots=1 param=3
    new r3 resurrect-other slots=2 param=1
    new r0 dropper slots=3
    new r1 allocator slots=1 flag
    new r2 leaf-finalizer param=2 flag
    store r0.0 r1
    store r1.1 r0
    store r0.0 r0
    clear r0.0
    load r2 r0.0
    dup r1 r0
    dup r1 r0 saturate
    drop r0
    weak r3 r0
    weak r3 r1 cb
    weak r4 r0 cb-collect
    weakget r5 r3 keep
    weakget r5 r3
    collect
    gc threshold 1
    gc threshold 4
    gc disable
    gc enable
    failalloc 0
    failalloc 3
    immortal r0
"""


# Multi-record idioms (whole records, so they keep the alignment): the shapes most bugs need.
DICT_IDIOMS = {
    "self_cycle": "new r0 container slots=2\nstore r0.0 r0",
    "two_cycle": "new r0 container slots=2\nnew r1 container\nstore r0.0 r1\nstore r1.0 r0",
    "garbage_weakref": "weak r1 r0 cb\nstore r0.1 r1\ndrop r1\ndrop r0\ncollect",
    "resurrecting_cycle": "new r0 resurrect-self slots=2 param=4\nstore r0.0 r0\ndrop r0\ncollect",
    "drop_collect": "drop r0\ndrop r1\ncollect",
}


def dictionary(alloc):
    out = ["# fuzz/%s.dict: written by fuzz/mkseeds.py (records and idioms)" % ("graph_alloc" if alloc else "graph")]
    for name, text in DICT_IDIOMS.items():
        out.append('%s="%s"' % (name, "".join("\\x%02x" % x for x in encode(text))))
    for line in DICT_LINES.strip().splitlines():
        rec = encode_line(line)
        name = re.sub(r"[^a-z0-9]+", "_", line.strip().lower()).strip("_")
        out.append('%s="%s"' % (name, "".join("\\x%02x" % x for x in rec)))
    if alloc:
        for text in ("header fail=1", "header fail=2 persist", "header fail=5 threshold=1", "header fail=20",
                     "header fail=1 default-allocator threshold=2"):
            rec = encode_line(text)
            name = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
            out.append('%s="%s"' % (name, "".join("\\x%02x" % x for x in rec)))
    return "\n".join(out) + "\n"


# seeds not repeated on every heap (slow: a chain of 32768 objects takes 25 ms under ASan)
ONE_HEAP = {"long-chain"}


def write_seeds(check):
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bad = 0
    # every graph seed also on the heaps users get (graph_model.h): the corpus replay runs the
    # runtime's untracked and pooled free paths under the oracle
    on_heaps = {"%s-%s" % (h, name): "heap %s\n%s" % (h, text) for h in HEAPS[1:] for name, text in GRAPH.items()
                if name not in ONE_HEAP}
    # and with RC_HEAP_GENERATIONS (minor automatic collections) on the two tracked heaps (the
    # oracle learns what a minor collection freed from the list of live objects)
    on_heaps.update({"gen-%s-%s" % (h, name): "heap %s generations\n%s" % (h, text) for h in (HEAPS[0], HEAPS[3])
                     for name, text in GRAPH.items() if name not in ONE_HEAP})
    for target, prefix, seeds in (("graph", "seed-", GRAPH), ("graph", "seed-", on_heaps),
                                  ("graph_alloc", "seed-", ALLOC), ("graph", "repro-", REPRO_GRAPH)):
        d = os.path.join(top, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name, text in seeds.items():
            data = encode(text)
            path = os.path.join(d, prefix + name)
            if check:
                try:
                    with open(path, "rb") as f:
                        same = f.read() == data
                except OSError:
                    same = False
                if not same:
                    print("mkseeds: %s is stale (run fuzz/mkseeds.py)" % path)
                    bad += 1
            else:
                with open(path, "wb") as f:
                    f.write(data)
    for target, alloc in (("graph", False), ("graph_alloc", True)):
        path = os.path.join(top, "fuzz", target + ".dict")
        text = dictionary(alloc)
        if check:
            try:
                with open(path) as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                print("mkseeds: %s is stale (run fuzz/mkseeds.py)" % path)
                bad += 1
        else:
            with open(path, "w") as f:
                f.write(text)
    return bad


def main(argv):
    if len(argv) >= 3 and argv[1] in ("--decode", "--decode-alloc"):
        with open(argv[2], "rb") as f:
            sys.stdout.write(decode(f.read(), argv[1] == "--decode-alloc"))
        return 0
    if len(argv) >= 3 and argv[1] == "--encode":
        with open(argv[2]) as f:
            sys.stdout.buffer.write(encode(f.read()))
        return 0
    if len(argv) == 2 and argv[1] == "--check":
        return 1 if write_seeds(True) else 0
    if len(argv) == 1:
        write_seeds(False)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
