"""gen.py - the generator of the differential oracle (docs/oracle.md): C functions against the
runtime's API (rc.h), written from a string of bytes.

Every byte string is a valid input (a byte chooses among the choices open at that point, modulo
their number; past the end every choice is 0), so libFuzzer or AFL++ can drive the generator
through `fuzz/differential --bytes FILE`, and `--seed N` expands N into bytes with a fixed PRNG.

A program is a list of functions (`Func`) of one signature (oracle_api.h); each body is a tree
of `Stmt` (simple lines, or compound statements whose bodies are lists of `Stmt`), which is what
the minimizer (minimize.py) cuts. Modes:

  correct   correct by construction: every local is NULL or holds an owned reference at every
            statement boundary (the generator tracks, per local, NULL / owned / maybe-NULL and
            leaf / box, joins the states of branches, and releases what is held on every exit),
  defect    a correct program, then one defect injected into one function (missing release,
            extra release, release moved to the other branch, use after release, missing NULL
            check, borrowed reference returned); the oracle decides whether it bites,
  random    the same statements with locals, checks and releases chosen at random.
"""

import itertools
import random

MODES = ('correct', 'defect', 'random')
DEFECTS = ('missing-release', 'extra-release', 'wrong-path', 'use-after-release', 'missing-null-check',
           'borrowed-return', 'borrowed-steal', 'unpinned-store')
PARAMS = ('c0', 'c1', 'c2')


class Bytes:
    """Choices read from a byte string; 0 once it is exhausted."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def pick(self, n):
        if n <= 1:
            return 0
        if self.pos >= len(self.data):
            return 0
        b = self.data[self.pos]
        self.pos += 1
        return b % n

    def chance(self, num, den):
        return self.pick(den) < num

    def choice(self, seq):
        seq = list(seq)
        return seq[self.pick(len(seq))]


class Stmt:
    """A simple statement (text) or a compound one (parts: lines and bodies, in order).
    tag: what the defect injector looks for, e.g. ('release', 'v0'), ('nullcheck', 'v1').
    fixed: the minimizer keeps it (declarations of loop locals, the loop's own release)."""

    def __init__(self, text=None, parts=None, tag=None, fixed=False):
        self.text = text
        self.parts = parts
        self.tag = tag
        self.fixed = fixed

    def bodies(self):
        return [p for p in self.parts if isinstance(p, list)] if self.parts else []

    def copy(self):
        if self.parts is None:
            return Stmt(self.text, None, self.tag, self.fixed)
        return Stmt(None, [p if isinstance(p, str) else [s.copy() for s in p] for p in self.parts], self.tag,
                    self.fixed)


def emit(stmts, indent, out):
    for s in stmts:
        if s.parts is None:
            out.append('\t' * indent + s.text)
            continue
        for p in s.parts:
            if isinstance(p, str):
                out.append('\t' * indent + p)
            else:
                emit(p, indent + 1, out)


class Func:
    def __init__(self, name, returns_obj, nlocals):
        self.name = name
        self.returns_obj = returns_obj
        self.locals = ['v%d' % i for i in range(nlocals)]
        self.body = []
        self.epilogue = []  # the releases after `out:`, one Stmt per local
        self.calls = set()
        self.defect = None
        self.second = False  # defined in the second unit

    def signature(self):
        if self.returns_obj:
            return 'RC_NEW_REF RC_NULL_ON_FAILURE rc_object *%s(rc_heap *h, rc_object *arg, int c0, int c1, int c2)' % self.name
        return 'int %s(rc_heap *h, rc_object *arg, int c0, int c1, int c2)' % self.name

    def copy(self):
        f = Func(self.name, self.returns_obj, 0)
        f.second = self.second
        f.locals = list(self.locals)
        f.body = [s.copy() for s in self.body]
        f.epilogue = [s.copy() for s in self.epilogue]
        f.calls = set(self.calls)
        f.defect = self.defect
        return f

    def render(self):
        out = []
        if self.defect:
            out.append('/* injected: %s */' % self.defect)
        out.append(self.signature())
        out.append('{')
        out.append('\t%s' % ('rc_object *ret = NULL;' if self.returns_obj else 'int ret = -1;'))
        for v in self.locals:
            out.append('\trc_object *%s = NULL;' % v)
        out.append('\trc_weakref *w = NULL;')
        out.append('\trc_object *b;')
        out.append('')
        out.append('\t(void)h, (void)arg, (void)c0, (void)c1, (void)c2, (void)b, (void)w;')
        emit(self.body, 1, out)
        out.append('out:')
        emit(self.epilogue, 1, out)
        out.append('\treturn ret;')
        out.append('}')
        return '\n'.join(out) + '\n'


PRELUDE = '''/* generated by fuzz/oracle/gen.py (%s) */
#include "oracle_api.h"

'''
# A program whose functions live in two translation units is one text: the main unit, this
# line, the second unit (Oracle.build splits it; rccheck sees each unit's functions and only the
# declarations of the other's).
SECOND_UNIT = '/* ==== second unit ==== */'


def render_unit(funcs, origin):
    out = [PRELUDE % origin]
    first = [f for f in funcs if not f.second]
    second = [f for f in funcs if f.second]
    if second:
        out.append('/* defined in the second unit */')
        out += [f.signature() + ';' for f in second]
        out.append('')
    for f in first:
        out.append(f.render())
        out.append('')
    out.append('#ifdef RC_ORACLE_TABLE')
    out.append('const struct oracle_fn oracle_fns[] = {')
    for f in funcs:
        if f.returns_obj:
            out.append('\t{ "%s", %s, NULL },' % (f.name, f.name))
        else:
            out.append('\t{ "%s", NULL, %s },' % (f.name, f.name))
    out.append('};')
    out.append('const size_t oracle_nfns = %d;' % len(funcs))
    out.append('#endif')
    if second:
        out.append(SECOND_UNIT)
        out.append(PRELUDE % (origin + ', second unit'))
        out.append('/* defined in the main unit */')
        out += [f.signature() + ';' for f in first]
        out.append('')
        for f in second:
            out.append(f.render())
            out.append('')
    return '\n'.join(out) + '\n'


# ---- generation ------------------------------------------------------------------------------

N, O, M = 'N', 'O', 'M'  # NULL, owned (not NULL), NULL or owned


def join_state(a, b):
    return a if a == b else M


class State:
    def __init__(self, vars_):
        self.s = {v: N for v in vars_}
        self.t = {v: None for v in vars_}

    def copy(self):
        c = State([])
        c.s = dict(self.s)
        c.t = dict(self.t)
        return c

    def join(self, other):
        for v in self.s:
            self.s[v] = join_state(self.s[v], other.s[v])
            if self.t[v] != other.t[v]:
                self.t[v] = None

    def set(self, v, st, ty=None):
        self.s[v] = st
        self.t[v] = ty if st != N else None


COND_SIMPLE = ['c0', '!c0', 'c1', '!c1', 'c2 == 1', 'c2 != 0', 'c2 == 2']


class Gen:
    def __init__(self, data, mode, nfuncs):
        self.r = Bytes(data)
        self.mode = mode
        self.nfuncs = nfuncs
        self.funcs = []

    # -- helpers --
    def rand(self):
        """In random mode, one decision in three ignores what the locals hold."""
        return self.mode == 'random' and self.r.chance(1, 3)

    def cond(self):
        r = self.r
        k = r.pick(4)
        if k == 0:
            return r.choice(COND_SIMPLE)
        if k == 1:
            return '%s && %s' % (r.choice(COND_SIMPLE[:4]), r.choice(COND_SIMPLE[4:]))
        if k == 2:
            return '%s || %s' % (r.choice(COND_SIMPLE[:4]), r.choice(COND_SIMPLE[4:]))
        return r.choice(['c0 ? c1 : !c1', 'c1 ? c2 == 0 : c0', 'c0 && c1', 'c0 || c1'])

    def vars_in(self, ctx, st, states, writable=True):
        """Object locals (not the weak reference w) in one of states."""
        vs = [v for v in ctx.vars if v != 'w' and (self.rand() or st.s[v] in states)
              and not (writable and v in ctx.frozen)]
        return vs

    def release_stmts(self, st, vs, ctx):
        """Releases of what vs hold (a correct exit), tagged for the injector."""
        out = []
        for v in vs:
            s = st.s[v]
            if self.rand():
                if self.r.chance(1, 3):
                    continue
                s = M
            x = 'RC_WEAKREF_OBJ(w)' if v == 'w' else v
            if s == O:
                out.append(Stmt('rc_decref(%s);' % x, tag=('release', v, O)))
            elif s == M:
                out.append(Stmt('rc_xdecref(%s);' % x, tag=('release', v, M)))
        return out

    def exit_stmts(self, st, ctx):
        """Leave the function from here, releasing what is held."""
        if ctx.loop_locals and not self.r.chance(1, 3):
            rel = self.release_stmts(st, ctx.loop_locals, ctx)
            return rel + [Stmt('goto out;')]
        if self.r.chance(1, 2) and not ctx.loop_locals:
            return [Stmt('goto out;')]
        rel = self.release_stmts(st, list(reversed(ctx.vars)), ctx)
        ret = Stmt('return NULL;' if ctx.func.returns_obj else 'return -1;')
        return rel + [ret]

    def block(self, body):
        return body

    def null_check(self, v, st, ctx):
        """After v = <may fail>: a check that leaves v owned, or none."""
        r = self.r
        k = r.pick(5)
        if self.rand() and r.chance(1, 3):
            return []
        if k <= 1:
            ex = self.exit_stmts(st, ctx)
            if len(ex) == 1:
                s = Stmt(None, ['if (!%s)' % v if k == 0 else 'if (%s == NULL)' % v, ex], tag=('nullcheck', v))
            else:
                s = Stmt(None, ['if (!%s) {' % v, ex, '}'], tag=('nullcheck', v))
            st.s[v] = O
            return [s]
        if k == 2:
            c = r.choice(COND_SIMPLE)
            ex = self.exit_stmts(st, ctx)
            st.s[v] = O
            return [Stmt(None, ['if (!%s || %s) {' % (v, c), ex, '}'], tag=('nullcheck', v))]
        if k == 3 and ctx.loop_locals and v in ctx.loop_locals and not ctx.in_switch:
            # inside a loop: skip the iteration
            st.s[v] = O
            return [Stmt(None, ['if (!%s)' % v, [Stmt('continue;')]], tag=('nullcheck', v))]
        return []  # left maybe-NULL

    # -- operations; each returns a list of Stmt or None when it does not apply --
    def op_alloc(self, st, ctx, depth):
        vs = self.vars_in(ctx, st, (N,))
        if not vs:
            return None
        v = self.r.choice(vs)
        ty = 'box' if self.r.chance(1, 3) else 'leaf'
        new = 'rc_new(h, &oracle_%s_type)' % ty
        if self.r.chance(1, 5):
            # a variable-sized object: the type's size and some more
            new = 'rc_new_sized(h, &oracle_%s_type, sizeof(%s) + %d)' % (
                ty, 'struct box' if ty == 'box' else 'rc_object', self.r.choice([0, 8, 24]))
        if self.r.chance(1, 5):
            out = [Stmt('%s = %s ? %s : NULL;' % (v, self.r.choice(COND_SIMPLE), new))]
        else:
            out = [Stmt('%s = %s;' % (v, new))]
        st.set(v, M, ty)
        return out + self.null_check(v, st, ctx)

    def op_newref(self, st, ctx, depth):
        srcs = self.vars_in(ctx, st, (O, M), writable=False)
        dsts = self.vars_in(ctx, st, (N,))
        if not srcs or not dsts:
            return None
        s, d = self.r.choice(srcs), self.r.choice(dsts)
        if s == d:
            return None
        if self.r.chance(1, 4):
            # an increment, then a plain copy (rc_incref / rc_xincref: acquires, no result)
            st.set(d, st.s[s], st.t[s])
            inc = 'rc_incref' if st.s[s] == O else 'rc_xincref'
            return [Stmt('%s(%s);' % (inc, s)), Stmt('%s = %s;' % (d, s))]
        if st.s[s] == M or self.r.chance(1, 5):
            # rc_xnewref: a maybe-NULL source (a failed allocation, a NULL local) stays so
            st.set(d, M if st.s[s] != O else O, st.t[s])
            return [Stmt('%s = rc_xnewref(%s);' % (d, s))]
        if self.r.chance(1, 4):
            st.set(d, M, st.t[s])
            return [Stmt('%s = %s ? rc_newref(%s) : NULL;' % (d, self.r.choice(COND_SIMPLE), s))]
        st.set(d, O, st.t[s])
        return [Stmt('%s = rc_newref(%s);' % (d, s))]

    def op_release(self, st, ctx, depth):
        vs = self.vars_in(ctx, st, (O, M))
        if not vs:
            return None
        v = self.r.choice(vs)
        if st.s[v] == O and self.r.chance(1, 2):
            rel = Stmt('rc_decref(%s);' % v, tag=('release', v, O))
        else:
            rel = Stmt('rc_xdecref(%s);' % v, tag=('release', v, M))
        st.set(v, N)
        return [rel, Stmt('%s = NULL;' % v, tag=('nulled', v))]

    def op_store(self, st, ctx, depth):
        r = self.r
        # what a field receives: mostly leaves, sometimes a box (a container in a container: a
        # box stored into itself or into a box that holds it back is a cycle, which the
        # harness's final collection frees: garbage, not a leak)
        leaves = [v for v in self.vars_in(ctx, st, (O, M) if not self.rand() else (N, O, M))
                  if self.rand() or st.t[v] == 'leaf' or (st.t[v] == 'box' and r.chance(1, 3))]
        # a field is written only in a box (a leaf has none: that would be a buffer overflow,
        # not a reference-count defect), even in random mode
        boxes = [v for v in self.vars_in(ctx, st, (O,), writable=False) if st.t[v] == 'box']
        field = r.choice(['a', 'b'])
        target = 'arg'
        if boxes and r.chance(1, 2):
            target = r.choice(boxes)
        lhs = '&((struct box *)%s)->%s' % (target, field)
        k = r.pick(3)
        if k == 0 and leaves:
            v = r.choice(leaves)
            if v == target:
                return None
            st.set(v, N)
            return [Stmt('rc_set_field(%s, %s);' % (lhs, v), tag=('steal', v)), Stmt('%s = NULL;' % v)]
        if k == 1 and leaves:
            v = r.choice(leaves)
            if (v == target and st.t[v] != 'box') or (st.s[v] != O and not self.rand()):
                return None
            if r.chance(1, 3):
                # the field's own reference by hand: emptied, a plain store, then the increment
                # (the memory holds that reference, not the function)
                return [Stmt('rc_clear_field(%s);' % lhs), Stmt('%s = %s;' % (lhs[1:], v)), Stmt('rc_incref(%s);' % v)]
            return [Stmt('rc_set_field(%s, rc_newref(%s));' % (lhs, v))]
        if target == 'arg' and field == 'a' and r.chance(1, 2):
            return None  # keep arg->a mostly intact for borrowed loads
        return [Stmt('rc_clear_field(%s);' % lhs)]

    def op_steal_arg(self, st, ctx, depth):
        """The borrowed arg handed to a stealing call (rc_set_field into a field of an owned local
        box), then its reference paid back by an increment: correct, the box's reference is the
        increment's. Without the increment (the 'borrowed-steal' defect, or random mode) the
        box's release releases the caller's reference: rccheck reports the steal of a borrowed
        reference (rc-release-borrowed) unless the steal is on every success path and no failure
        path, which it takes for steals-on-success by design (steals-on-success-inferred.c)."""
        r = self.r
        boxes = [v for v in self.vars_in(ctx, st, (O,), writable=False) if st.t[v] == 'box']
        if not boxes:
            return None
        lhs = '&((struct box *)%s)->%s' % (r.choice(boxes), r.choice(['a', 'b']))
        out = [Stmt('rc_set_field(%s, arg);' % lhs, tag=('steal-arg',))]
        if not (self.rand() and r.chance(1, 2)):
            out.append(Stmt('rc_incref(arg);', tag=('payback', 'arg')))
        return out

    def op_pin(self, st, ctx, depth):
        """A value read from a field of arg (borrowed: neither owned nor a parameter), stored by
        hand into another field (of an owned local box, or arg's other field) and incremented
        (the new field's reference), then arg's field cleared: the value lives on in the other
        field, so the use after is no use after release. Without the increment (the
        'unpinned-store' defect) the clear frees it: a use after release, and the other field's
        release later is one too many."""
        r = self.r
        src = r.choice(['a', 'b'])
        boxes = [v for v in self.vars_in(ctx, st, (O,), writable=False) if st.t[v] == 'box']
        if boxes and r.chance(2, 3):
            lhs = '((struct box *)%s)->%s' % (r.choice(boxes), r.choice(['a', 'b']))
        else:
            lhs = '((struct box *)arg)->%s' % ('b' if src == 'a' else 'a')
        body = [Stmt('rc_clear_field(&%s);' % lhs), Stmt('%s = b;' % lhs),
                Stmt('rc_incref(b);', tag=('pin-incref', 'b'))]
        if self.rand() and r.chance(1, 2):
            body.pop()
        body += [Stmt('rc_clear_field(&((struct box *)arg)->%s);' % src), Stmt('oracle_use(b);')]
        return [Stmt('b = ((struct box *)arg)->%s;' % src), Stmt(None, ['if (b) {', body, '}'])]

    def op_temp(self, st, ctx, depth):
        """A new reference that lives only in a temporary of one full expression, released at
        once: rc_xdecref(f(...)) of an object helper, rc_decref(rc_newref(v)). In random mode
        one in two is dropped unreleased ((void)f(...): a leak at the end of the statement)."""
        r = self.r
        helpers = [g for g in self.funcs if g.returns_obj]
        srcs = self.vars_in(ctx, st, (O,), writable=False)
        if helpers and (not srcs or r.chance(1, 2)):
            g = r.choice(helpers)
            ctx.func.calls.add(g.name)
            call = '%s(h, arg, %s)' % (g.name, ', '.join(r.choice(['c0', 'c1', 'c2', '0', '1']) for _ in range(3)))
            if self.rand() and r.chance(1, 2):
                return [Stmt('(void)%s;' % call)]
            return [Stmt('rc_xdecref(%s);' % call, tag=('temp-release',))]
        if not srcs:
            return None
        v = r.choice(srcs)
        if self.rand() and r.chance(1, 2):
            return [Stmt('(void)rc_newref(%s);' % v)]
        return [Stmt('rc_decref(rc_newref(%s));' % v, tag=('temp-release',))]

    def op_use(self, st, ctx, depth):
        vs = self.vars_in(ctx, st, (O, M), writable=False)
        r = self.r
        if vs and r.chance(3, 4):
            v = r.choice(vs)
            if st.s[v] == M and not self.rand():
                if r.chance(1, 2):
                    return [Stmt(None, ['if (%s)' % v, [Stmt('oracle_use(%s);' % v)]])]
                return [Stmt(None, ['if (%s && %s)' % (r.choice(COND_SIMPLE[:4]), v), [Stmt('oracle_use(%s);' % v)]])]
            return [Stmt('oracle_use(%s);' % v, tag=('use', v))]
        if r.chance(1, 3):
            # a collection: frees the cycles nothing outside holds, never what a local holds
            return [Stmt('(void)rc_collect(h);')]
        return [Stmt('oracle_use(arg);')]

    def op_borrow(self, st, ctx, depth):
        """b = arg->f (borrowed), then a use or a new reference taken from it."""
        r = self.r
        field = r.choice(['a', 'b'])
        out = [Stmt('b = ((struct box *)arg)->%s;' % field)]
        dsts = self.vars_in(ctx, st, (N,))
        if dsts and r.chance(1, 2):
            d = r.choice(dsts)
            out.append(Stmt('%s = rc_xnewref(b);' % d if r.chance(1, 2) else '%s = b ? rc_newref(b) : NULL;' % d))
            st.set(d, M, 'leaf')
        else:
            out.append(Stmt(None, ['if (b)', [Stmt('oracle_use(b);')]]))
        return out

    def op_call(self, st, ctx, depth):
        r = self.r
        if not self.funcs:
            return None
        g = r.choice(self.funcs)
        args = ', '.join(r.choice(['c0', 'c1', 'c2', '0', '1']) for _ in range(3))
        call = '%s(h, arg, %s)' % (g.name, args)
        if g.returns_obj:
            dsts = self.vars_in(ctx, st, (N,))
            if not dsts:
                return None
            d = r.choice(dsts)
            ctx.func.calls.add(g.name)
            st.set(d, M, None)
            return [Stmt('%s = %s;' % (d, call))] + self.null_check(d, st, ctx)
        ctx.func.calls.add(g.name)
        if r.chance(1, 3):
            return [Stmt('(void)%s;' % call)]
        ex = self.exit_stmts(st, ctx)
        return [Stmt(None, ['if (%s < 0) {' % call, ex, '}'])]

    def op_if(self, st, ctx, depth):
        if depth >= 3:
            return None
        r = self.r
        c = self.cond()
        then_st = st.copy()
        then = self.gen_block(then_st, ctx, depth + 1, 1 + r.pick(3))
        if r.chance(1, 2):
            else_st = st.copy()
            els = self.gen_block(else_st, ctx, depth + 1, 1 + r.pick(3))
            then_st.join(else_st)
            st.s, st.t = then_st.s, then_st.t
            return [Stmt(None, ['if (%s) {' % c, then, '} else {', els, '}'])]
        st.join(then_st)
        return [Stmt(None, ['if (%s) {' % c, then, '}'])]

    def op_exit(self, st, ctx, depth):
        c = self.cond()
        ex = self.exit_stmts(st.copy(), ctx)
        return [Stmt(None, ['if (%s) {' % c, ex, '}'])]

    def op_switch(self, st, ctx, depth):
        if depth >= 3:
            return None
        r = self.r
        parts = ['switch (c2) {']
        joined = None
        was = ctx.in_switch
        ctx.in_switch = True
        labels = ['case 0:', 'case 1:', 'default:'] if r.chance(1, 2) else ['case 1:', 'default:']
        for lab in labels:
            cs = st.copy()
            body = self.gen_block(cs, ctx, depth + 1, r.pick(3))
            body.append(Stmt('break;', fixed=True))
            parts += [lab, body]
            if joined is None:
                joined = cs
            else:
                joined.join(cs)
        ctx.in_switch = was
        parts.append('}')
        st.s, st.t = joined.s, joined.t
        return [Stmt(None, parts)]

    def op_loop(self, st, ctx, depth):
        if depth >= 2 or ctx.loop_locals:
            return None
        r = self.r
        t = 't%d' % depth
        n = 2 + r.pick(2)
        saved = (ctx.vars, ctx.frozen, ctx.loop_locals, ctx.in_switch)
        unfrozen = self.rand()
        ctx.frozen = set() if unfrozen else set(ctx.vars)
        ctx.vars = ctx.vars + [t]
        ctx.loop_locals = [t]
        ctx.in_switch = False
        inner = st.copy()
        inner.set(t, N)
        body = [Stmt('rc_object *%s = NULL;' % t, fixed=True)]
        body += self.gen_block(inner, ctx, depth + 1, 1 + r.pick(4))
        if r.chance(1, 2):
            c = self.cond()
            rel = self.release_stmts(inner, [t], ctx)
            body.append(Stmt(None, ['if ((%s) && i == 1) {' % c, rel + [Stmt(r.choice(['break;', 'continue;']))], '}']))
        body += self.release_stmts(inner, [t], ctx)
        ctx.vars, ctx.frozen, ctx.loop_locals, ctx.in_switch = saved
        if unfrozen:
            for v in st.s:
                st.s[v] = join_state(st.s[v], inner.s[v])
        return [Stmt(None, ['for (int i = 0; i < %d; i++) {' % n, body, '}'])]

    def op_weak(self, st, ctx, depth):
        """The weak reference w: created on an owned local, read back, or released."""
        r = self.r
        if 'w' in ctx.frozen and not self.rand():
            # in a loop body: only a read of it
            if st.s['w'] != O:
                return None
        ws = st.s['w']
        if ws == N or self.rand() and r.chance(1, 4):
            srcs = self.vars_in(ctx, st, (O,), writable=False) + ['arg']
            if 'w' in ctx.frozen:
                return None
            src = r.choice(srcs)
            st.set('w', M, 'weak')
            return [Stmt('w = rc_weakref_new(%s, NULL, NULL);' % src)] + self.null_check('w', st, ctx)
        dsts = self.vars_in(ctx, st, (N,))
        if dsts and (ws == O or self.rand()) and r.chance(2, 3):
            d = r.choice(dsts)
            st.set(d, M, None)  # NULL when the target is gone (no failure)
            out = [Stmt('%s = rc_weakref_get(w);' % d)]
            if r.chance(1, 2):
                out.append(Stmt(None, ['if (%s)' % d, [Stmt('oracle_use(%s);' % d)]]))
            return out
        if 'w' in ctx.frozen:
            return None
        st.set('w', N)
        rel = Stmt('rc_xdecref(RC_WEAKREF_OBJ(w));' if ws == M else 'rc_decref(RC_WEAKREF_OBJ(w));',
                   tag=('release', 'w', ws))
        return [rel, Stmt('w = NULL;', tag=('nulled', 'w'))]

    OPS = ('alloc', 'alloc', 'newref', 'release', 'store', 'use', 'borrow', 'call', 'call', 'if', 'if', 'exit',
           'switch', 'loop', 'weak', 'steal_arg', 'pin', 'temp')

    def gen_block(self, st, ctx, depth, n):
        out = []
        for _ in range(n):
            for _attempt in range(4):
                op = self.r.choice(self.OPS)
                res = getattr(self, 'op_' + op)(st, ctx, depth)
                if res is not None:
                    out += res
                    break
        return out

    def gen_func(self, idx):
        r = self.r
        f = Func('f%d' % idx, r.chance(1, 2), 2 + r.pick(3))
        # helpers (never the last function) may live in the second unit
        f.second = idx < self.nfuncs - 1 and r.chance(1, 4)
        ctx = Ctx(f)
        st = State(f.locals + ['w'])
        f.body = self.gen_block(st, ctx, 0, 3 + r.pick(6))
        # success: the result
        if f.returns_obj:
            k = r.pick(3)
            cands = [v for v in f.locals if st.s[v] != N or self.rand()]
            if k == 0 and cands:
                v = r.choice(cands)
                f.body += [Stmt('ret = %s;' % v, tag=('retvar', v)), Stmt('%s = NULL;' % v)]
            elif k == 1:
                f.body.append(Stmt('ret = rc_newref(arg);', tag=('retnew', 'arg')))
            else:
                f.body.append(Stmt('ret = rc_xnewref(((struct box *)arg)->a);', tag=('retnew', 'field')))
        else:
            f.body.append(Stmt('ret = 0;'))
        f.epilogue = [Stmt('rc_xdecref(RC_WEAKREF_OBJ(w));', tag=('release', 'w', M))]
        f.epilogue += [Stmt('rc_xdecref(%s);' % v, tag=('release', v, M)) for v in reversed(f.locals)]
        if self.mode == 'random':
            f.epilogue = [s for s in f.epilogue if r.chance(3, 4)]
        return f

    def generate(self):
        for i in range(self.nfuncs):
            self.funcs.append(self.gen_func(i))
        return self.funcs


class Ctx:
    def __init__(self, func):
        self.func = func
        self.vars = list(func.locals) + ['w']
        self.frozen = set()
        self.loop_locals = []
        self.in_switch = False


# ---- defect injection ------------------------------------------------------------------------

def walk(stmts, parent=None):
    """Yields (list, index, stmt) for every statement, depth first."""
    for i, s in enumerate(stmts):
        yield stmts, i, s
        for b in s.bodies():
            yield from walk(b, s)


def inject(f, kind, r):
    """Injects one defect of `kind` into f (in place). False when f has no place for it."""
    sites = list(walk(f.body))
    if kind == 'missing-release':
        cands = [(l, i) for l, i, s in sites if s.tag and s.tag[0] == 'release']
        cands += [(f.epilogue, i) for i, s in enumerate(f.epilogue)]
        if not cands:
            return False
        l, i = r.choice(cands)
        del l[i]
        return True
    if kind == 'extra-release':
        # one release too many: of an owned local right after it was used or copied, or of arg
        cands = [(l, i, s.tag[1]) for l, i, s in sites if s.tag and s.tag[0] == 'use']
        cands += [(l, i, s.text.split(' = ')[0]) for l, i, s in sites
                  if s.parts is None and ' = rc_newref(' in s.text and '?' not in s.text]
        if not cands or r.chance(1, 4):
            l, i = r.choice([(l, i) for l, i, s in sites] or [(f.body, 0)])
            l.insert(i, Stmt('rc_decref(arg);'))
            return True
        l, i, v = r.choice(cands)
        l.insert(i + 1, Stmt('rc_decref(%s);' % v))
        return True
    if kind == 'wrong-path':
        cands = [s for l, i, s in sites if s.parts and s.parts[0].startswith('if (') and
                 any(t.tag and t.tag[0] == 'release' for t in s.parts[1])]
        if not cands:
            return False
        s = r.choice(cands)
        then = s.parts[1]
        j = r.choice([k for k, t in enumerate(then) if t.tag and t.tag[0] == 'release'])
        moved = then.pop(j)
        if len(s.parts) == 3:
            s.parts = [s.parts[0], then, '} else {', [moved], '}']
        else:
            s.parts[3].insert(0, moved)
        return True
    if kind == 'use-after-release':
        # a use right after the release of an owned local, or of a borrowed field value after
        # the field was cleared (its owner released it)
        cands = [(l, i, 'oracle_use(%s);' % s.tag[1]) for l, i, s in sites
                 if s.tag and s.tag[0] == 'release' and s.tag[2] == O and s.tag[1] != 'w']
        cands += [(l, i, 'rc_clear_field(&%s);' % s.text[len('b = '):-1].replace('((struct box *)arg)', '((struct box *)arg)'))
                  for l, i, s in sites if s.parts is None and s.text.startswith('b = ((struct box *)arg)->')
                  and i + 1 < len(l) and l[i + 1].parts and l[i + 1].parts[0] == 'if (b)']
        if not cands:
            return False
        l, i, text = r.choice(cands)
        l.insert(i + 1, Stmt(text))
        return True
    if kind == 'missing-null-check':
        cands = [(l, i) for l, i, s in sites if s.tag and s.tag[0] == 'nullcheck']
        if not cands:
            return False
        l, i = r.choice(cands)
        del l[i]
        return True
    if kind == 'borrowed-return':
        for l, i, s in sites:
            if s.tag and s.tag[0] == 'retnew':
                l[i] = Stmt('ret = arg;' if s.tag[1] == 'arg' else 'ret = ((struct box *)arg)->a;')
                return True
        return False
    if kind == 'borrowed-steal':
        # the increment that pays back a steal of the borrowed arg (op_steal_arg) deleted
        cands = [(l, i) for l, i, s in sites if s.tag and s.tag[0] == 'payback']
        if not cands:
            return False
        l, i = r.choice(cands)
        del l[i]
        return True
    if kind == 'unpinned-store':
        # the increment of a value stored by hand into a field (op_pin) deleted
        cands = [(l, i) for l, i, s in sites if s.tag and s.tag[0] == 'pin-incref']
        if not cands:
            return False
        l, i = r.choice(cands)
        del l[i]
        return True
    raise ValueError(kind)


def generate(data, mode, nfuncs=8):
    """The functions a byte string makes in a mode."""
    if mode not in MODES:
        raise ValueError('unknown mode %r (one of %s)' % (mode, ', '.join(MODES)))
    g = Gen(data, 'random' if mode == 'random' else 'correct', nfuncs)
    funcs = g.generate()
    if mode == 'defect':
        r = g.r
        order = list(range(len(funcs)))
        victim = funcs[order[r.pick(len(order))]]
        kinds = list(DEFECTS)
        first = r.pick(len(kinds))
        for kind in kinds[first:] + kinds[:first]:
            if inject(victim, kind, r):
                victim.defect = kind
                break
    return funcs


def seed_bytes(seed, n=4096):
    return random.Random(seed).randbytes(n)


def mode_of_seed(seed):
    """The mode `--seed N` uses when none is given: correct, defect, defect, random, in turn."""
    return ('correct', 'defect', 'defect', 'random')[seed % 4]
