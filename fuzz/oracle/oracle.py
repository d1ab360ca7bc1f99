"""oracle.py - the differential oracle's driver (docs/oracle.md): builds a generated unit against
the debug runtime, runs every function on every path (harness.c), runs rccheck on the same
unit, and compares them per function and per kind; minimizes a disagreement by deleting and
flattening statements of the generated program (delta debugging on its statement tree).
"""

import concurrent.futures
import json
import os
import re
import subprocess

import gen

KINDS = ('leak', 'over', 'uar', 'null')
# rccheck's checks, by the kind of run-time failure each claims (rc-inconsistent and the
# CPython-only checks claim none: they are counted apart).
KIND_OF_ID = {
    'rc-leak': 'leak',
    'rc-double-release': 'over',
    'rc-release-borrowed': 'over',
    'rc-return-borrowed': 'over',
    'rc-use-after-release': 'uar',
    'rc-unchecked-null': 'null',
}
RUNTIME_SOURCES = ('check', 'collect', 'heap', 'pool', 'refcount', 'weakref', 'testhooks')


class OracleError(Exception):
    pass


def parse_numbers(text):
    """Numbers like `0-39` or `3,7,10-12` (seeds, mutants); ValueError on anything else."""
    out = []
    for part in text.split(','):
        a, sep, b = part.partition('-')
        if not a.strip().isdigit() or (sep and not b.strip().isdigit()):
            raise ValueError('not a number or range of numbers: %r' % part)
        out += range(int(a), int(b if sep else a) + 1)
    return out


class Oracle:
    """cc, rccheck and a work directory; prepare() once, then evaluate() units."""

    def __init__(self, srcdir, cc, rccheck, workdir, jobs=2, sanitize=True):
        self.srcdir = os.path.abspath(srcdir)
        self.cc = cc
        self.rccheck = rccheck
        self.workdir = os.path.abspath(workdir)
        self.jobs = jobs
        here = os.path.join(self.srcdir, 'fuzz', 'oracle')
        self.here = here
        self.model = os.path.join(here, 'oracle.model')
        self.extra_models = []  # --model files after ours (fuzz/oracle/mutation-check)
        san = ['-fsanitize=address', '-fno-omit-frame-pointer'] if sanitize else []
        self.cflags = ['-g', '-O1', '-w'] + san + ['-I' + os.path.join(self.srcdir, 'runtime', 'include'),
                                                  '-I' + os.path.join(self.srcdir, 'runtime', 'src'), '-I' + here]
        self.ldflags = san + ['-Wl,--wrap=rc_weakref_new,--wrap=rc_weakref_get']  # harness.c
        # the generated units: no optimization, no debug information (a third of -O1 -g's time)
        self.unit_cflags = ['-O0', '-w'] + self.cflags[3:]
        self.objs = []
        self.runs = 0

    def _cc_in(self, args):
        """cc in the work directory (objects of `-c a.c b.c` land there)."""
        self._cc(args, cwd=self.workdir)

    def _cc(self, args, cwd=None):
        p = subprocess.run([self.cc] + args, capture_output=True, text=True, cwd=cwd)
        if p.returncode != 0:
            raise OracleError('%s %s failed:\n%s' % (self.cc, ' '.join(args[-3:]), p.stderr[-2000:]))

    def prepare(self):
        """The debug runtime (with its test hooks) and the harness, compiled once."""
        os.makedirs(self.workdir, exist_ok=True)
        jobs = []
        for name in RUNTIME_SOURCES:
            src = os.path.join(self.srcdir, 'runtime', 'src', name + '.c')
            obj = os.path.join(self.workdir, 'rt-%s.o' % name)
            jobs.append(self.cflags + ['-DRC_BUILDING_RUNTIME', '-DRC_MUTATION=0', '-c', src, '-o', obj])
            self.objs.append(obj)
        obj = os.path.join(self.workdir, 'harness.o')
        jobs.append(self.cflags + ['-DRC_INTERNAL_TESTS', '-c', os.path.join(self.here, 'harness.c'), '-o', obj])
        self.objs.append(obj)
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as ex:
            for f in [ex.submit(self._cc, j) for j in jobs]:
                f.result()

    def build(self, text, stem):
        """Writes the unit (two units when the text has gen.SECOND_UNIT), links it with the
        harness; returns ([unit paths], exe) or raises."""
        parts = text.split(gen.SECOND_UNIT + '\n')
        units = []
        for i, part in enumerate(parts):
            unit = os.path.join(self.workdir, '%s%s.c' % (stem, '' if i == 0 else '-%d' % (i + 1)))
            with open(unit, 'w') as f:
                f.write(part)
            units.append(unit)
        exe = os.path.join(self.workdir, stem)
        self._cc(self.unit_cflags + ['-DRC_ORACLE_TABLE'] + units + ['-o', exe] + self.objs + self.ldflags)
        return units, exe

    def dynamic(self, exe, names=()):
        """{function: {'kinds': set, 'runs': n, 'witness': str}} from running every path."""
        # the harness sets its own AddressSanitizer options (faults are its own, exit code 86);
        # those of the environment (meson test sets abort_on_error) would replace them
        env = {k: v for k, v in os.environ.items() if k not in ('ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS')}
        p = subprocess.run([exe] + list(names), capture_output=True, text=True, timeout=600, env=env)
        if p.returncode != 0:
            raise OracleError('%s exited %d:\n%s' % (exe, p.returncode, p.stderr[-2000:]))
        out = {}
        for line in p.stdout.splitlines():
            m = re.match(r'(\S+) runs=(\d+) results=(\S+) kinds=(\S+) witness=(\S*)$', line)
            if not m:
                raise OracleError('unexpected harness output: %r' % line)
            kinds = set() if m.group(4) == '-' else set(m.group(4).split(','))
            out[m.group(1)] = {'kinds': kinds, 'runs': int(m.group(2)), 'results': m.group(3),
                               'witness': m.group(5)}
            self.runs += int(m.group(2))
        return out

    def static(self, units):
        """{function: {kind: [findings]}} from rccheck on the units, and its incomplete notes."""
        models = []
        for m in [self.model] + self.extra_models:
            models += ['--model', m]
        cmd = [self.rccheck, '--format=json', '-q', '-j', str(self.jobs if len(units) > 2 else 1)] + models + units + ['--',
               '-I' + os.path.join(self.srcdir, 'runtime', 'include'), '-I' + self.here]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if p.returncode not in (0, 1):
            raise OracleError('rccheck exited %d on %s:\n%s' % (p.returncode, ' '.join(units), p.stderr[-2000:]))
        report = json.loads(p.stdout)
        out = {}
        for fd in report['findings']:
            kind = KIND_OF_ID.get(fd['id'], 'other')
            out.setdefault(fd['function'], {}).setdefault(kind, []).append(fd)
        return out, report.get('incomplete', [])


def callees(funcs):
    """Transitive callees of each function (by name)."""
    direct = {f.name: set(called(f)) for f in funcs}
    out = {}
    for f in funcs:
        seen, todo = set(), list(direct[f.name])
        while todo:
            g = todo.pop()
            if g in seen or g not in direct:
                continue
            seen.add(g)
            todo += direct[g]
        out[f.name] = seen
    return out


def called(f):
    return set(re.findall(r'\b(f\d+)\(h, arg,', f.render()))


def group(kind):
    """Kinds one callee defect can show as in its caller: a premature release shows as a
    release at zero or as a use of the released object, whichever the caller does next."""
    return {'over', 'uar'} if kind in ('over', 'uar') else {kind}


def verdicts(funcs, dyn, stat):
    """{function: {kind: 'tp'|'tn'|'fp'|'fn'|'inh'|'out'|'masked'}}.
    inh     the runs showed the kind, and so do a callee's (it may be the callee's own defect,
            which rccheck reports there), rccheck silent. over and uar count as one here: a
            callee's premature release shows in its caller as either
    out     null on a run where no allocation failed (a NULL no failure made: beyond what
            rc-unchecked-null claims; the same use may be the one a failing run reached),
            rccheck silent
    masked  rccheck reports the kind, no run showed it, but a run crashed (a fault ends the run:
            what would have followed is not observed)
    latent  rccheck reports the kind, no run showed it, and the function calls a helper whose
            result never varied (always NULL, always failing, never failing): rccheck follows
            the helper's declared contract, the runs only what it does today; the finding is
            most likely on a path through the other result (a latent defect), though not
            necessarily"""
    cal = callees(funcs)
    out = {}
    for f in funcs:
        d = dyn.get(f.name)
        if d is None:
            continue
        row = {}
        crashed = bool(d['kinds'] & {'null', 'nullx', 'crash'})
        const = any(dyn.get(g, {}).get('results', 'both') != 'both' for g in cal[f.name])
        for k in KINDS:
            dk = k in d['kinds']
            sk = k in stat.get(f.name, {})
            if k == 'null' and 'nullx' in d['kinds'] and not sk:
                row[k] = 'out'
            elif k == 'null' and not dk and 'nullx' in d['kinds']:
                row[k] = 'tp' if sk else 'out'
            elif sk and not dk and crashed:
                row[k] = 'masked'
            elif sk and not dk and const:
                row[k] = 'latent'
            elif dk and any(group(k) & dyn.get(g, {'kinds': set()})['kinds'] for g in cal[f.name]):
                row[k] = 'inh' if not sk else 'tp'
            elif dk:
                row[k] = 'tp' if sk else 'fn'
            else:
                row[k] = 'fp' if sk else 'tn'
        out[f.name] = row
    return out


def evaluate(oracle, funcs, stem):
    text = gen.render_unit(funcs, stem)
    unit, exe = oracle.build(text, stem)
    dyn = oracle.dynamic(exe)
    stat, incomplete = oracle.static(unit)
    return text, dyn, stat, verdicts(funcs, dyn, stat), incomplete


# ---- batches: many units per build, per run of the harness and per run of rccheck ------------
# Each unit's own names (its functions f0..fN and its table) get the prefix `<stem>_` in the
# text both the compiler and rccheck read, so that the units of a batch can be linked into one
# harness and analysed as one tree without a name defined twice; results are filed back under
# the unit's own names. Nothing else in a generated unit is named like them.

UNIT_NAMES_RE = re.compile(r'\b(f\d+|oracle_fns|oracle_nfns)\b')


def prefixed(text, prefix):
    return UNIT_NAMES_RE.sub(lambda m: prefix + m.group(1), text)


def evaluate_batch(oracle, items):
    """[(funcs, stem)] -> [(text, dyn, stat, verdicts, incomplete)] in order, as evaluate() for
    each, with one link, one harness process per job and one rccheck run for the whole batch.
    The stems must be distinct identifiers."""
    texts = [gen.render_unit(funcs, stem) for funcs, stem in items]
    files, tables, parts = [], [], []
    for (funcs, stem), text in zip(items, texts):
        for i, part in enumerate(prefixed(text, stem + '_').split(gen.SECOND_UNIT + '\n')):
            path = os.path.join(oracle.workdir, '%s%s.c' % (stem, '' if i == 0 else '-%d' % (i + 1)))
            with open(path, 'w') as f:
                f.write(part)
            files.append(path)
            parts.append(part)
        tables.append(stem + '_')
    table = os.path.join(oracle.workdir, 'batch-table.c')
    with open(table, 'w') as f:
        f.write('#include "oracle_api.h"\n')
        for p in tables:
            f.write('extern const struct oracle_fn %soracle_fns[];\nextern const size_t %soracle_nfns;\n' % (p, p))
        f.write('const struct oracle_unit oracle_units[] = {\n')
        for p in tables:
            f.write('\t{ %soracle_fns, &%soracle_nfns },\n' % (p, p))
        f.write('};\nconst size_t oracle_nunits = %d;\n' % len(tables))
    # the compiler reads the parts of `jobs` units at a time as one file each (their names are
    # distinct: a third of the time of a file per part, which pays the compiler's start, the
    # headers and the sanitizer's set-up each time); rccheck reads the units as they are
    chunks = []
    for i in range(oracle.jobs):
        if parts[i::oracle.jobs]:
            path = os.path.join(oracle.workdir, 'batch-%d.c' % i)
            with open(path, 'w') as f:
                f.write('\n'.join(parts[i::oracle.jobs]))
            chunks.append(path)
    with concurrent.futures.ThreadPoolExecutor(oracle.jobs) as ex:
        futs = [ex.submit(oracle._cc_in, oracle.unit_cflags + ['-DRC_ORACLE_TABLE', '-c', c]) for c in chunks]
        futs.append(ex.submit(oracle._cc_in, oracle.unit_cflags + ['-c', table]))
        for fu in futs:
            fu.result()
    exe = os.path.join(oracle.workdir, 'batch')
    objs = [os.path.splitext(p)[0] + '.o' for p in chunks + [table]]
    oracle._cc(oracle.unit_cflags + objs + ['-o', exe] + oracle.objs + oracle.ldflags)
    # the harness over the batch: one process per job, each a share of the units
    shares = [range(i, len(items), oracle.jobs) for i in range(oracle.jobs)]
    with concurrent.futures.ThreadPoolExecutor(oracle.jobs + 1) as ex:
        dfuts = [ex.submit(oracle.dynamic, exe, ['--units'] + [str(k) for k in sh]) for sh in shares if sh]
        sfut = ex.submit(oracle.static, files)
        dyn_all = {}
        for fu in dfuts:
            dyn_all.update(fu.result())
        stat_all, inc_all = sfut.result()
    out = []
    for (funcs, stem), text in zip(items, texts):
        p = stem + '_'
        dyn = {n[len(p):]: v for n, v in dyn_all.items() if n.startswith(p)}
        stat = {n[len(p):]: v for n, v in stat_all.items() if n.startswith(p)}
        inc = [x for x in inc_all if str(x.get('function', '')).startswith(p) or
               os.path.basename(str(x.get('file', ''))).startswith(stem + '.') or
               os.path.basename(str(x.get('file', ''))).startswith(stem + '-')]
        out.append((text, dyn, stat, verdicts(funcs, dyn, stat), inc))
    return out


# ---- minimization ----------------------------------------------------------------------------

def count_stmts(stmts):
    n = 0
    for s in stmts:
        n += 1
        for b in s.bodies():
            n += count_stmts(b)
    return n


def edit_nth(stmts, n, op):
    """Applies op ('delete' or ('flatten', k)) to the n-th statement in preorder (in place).
    Returns the remaining n (< 0 once applied) or raises ValueError when op does not apply."""
    i = 0
    while i < len(stmts):
        s = stmts[i]
        if n == 0:
            if op == 'delete':
                if s.fixed:
                    raise ValueError('fixed')
                del stmts[i]
            else:
                bodies = s.bodies()
                if op[1] >= len(bodies) or s.fixed:
                    raise ValueError('no such body')
                body = [t for t in bodies[op[1]] if not (t.fixed and t.text == 'break;')]
                if s.parts[0].startswith('for '):
                    body = [t for t in body if not (t.parts is None and t.text in ('break;', 'continue;'))]
                stmts[i:i + 1] = body
            return -1
        n -= 1
        for b in s.bodies():
            n = edit_nth(b, n, op)
            if n < 0:
                return n
        i += 1
    return n


def minimize(oracle, funcs, fname, kind, verdict, log=None, budget=400):
    """The smallest program found (a list of Func) on which `fname` still has `verdict` for
    `kind`. Tries, until nothing changes: dropping the functions it does not call, deleting one
    statement (a whole compound statement first), replacing a compound statement by one of its
    bodies, deleting an epilogue release, dropping unused locals."""
    tests = [0]

    def interesting(fs):
        if tests[0] >= budget:
            return False
        tests[0] += 1
        try:
            text = gen.render_unit(fs, 'minimized')
            unit, exe = oracle.build(text, 'min')
            names = [f.name for f in fs]
            dyn = oracle.dynamic(exe, names)
            stat, _ = oracle.static(unit)
        except (OracleError, subprocess.TimeoutExpired):
            return False
        v = verdicts(fs, dyn, stat)
        return v.get(fname, {}).get(kind) == verdict

    def keep_called(fs):
        need = callees(fs)[fname] | {fname}
        return [f for f in fs if f.name in need]

    cur = keep_called([f.copy() for f in funcs])
    if not interesting(cur):
        cur = [f.copy() for f in funcs]
    changed = True
    while changed and tests[0] < budget:
        changed = False
        for name in [f.name for f in cur]:
            if name not in [f.name for f in cur]:
                continue
            n = 0
            while True:
                fi = [f.name for f in cur].index(name)
                if n >= count_stmts(cur[fi].body):
                    break
                done = False
                for op in ['delete', ('flatten', 0), ('flatten', 1), ('flatten', 2)]:
                    cand = [f.copy() for f in cur]
                    try:
                        edit_nth(cand[fi].body, n, op)
                    except ValueError:
                        continue
                    cand = keep_called(cand)
                    if interesting(cand):
                        cur = cand
                        changed = done = True
                        break
                if not done:
                    n += 1
            fi = [f.name for f in cur].index(name)
            for j in reversed(range(len(cur[fi].epilogue))):
                cand = [f.copy() for f in cur]
                del cand[fi].epilogue[j]
                if interesting(cand):
                    cur, changed = cand, True
    # unused locals (a compile error rejects the used ones)
    for fi in range(len(cur)):
        for v in list(cur[fi].locals):
            cand = [f.copy() for f in cur]
            cand[fi].locals.remove(v)
            cand[fi].epilogue = [s for s in cand[fi].epilogue if s.text != 'rc_xdecref(%s);' % v]
            if interesting(cand):
                cur = cand
    if log:
        log('minimized %s/%s (%s) in %d tests: %d statements' % (fname, kind, verdict, tests[0],
                                                                  sum(count_stmts(f.body) for f in cur)))
    return cur


# ---- hand-kept units (fuzz/oracle/known/*.c) -------------------------------------------------

class FileFunc:
    """A function of a unit on disk, as verdicts() needs it (name and text)."""

    def __init__(self, name, text):
        self.name = name
        self.text = text

    def render(self):
        return self.text


def read_unit(path):
    """(text, [FileFunc], expectations) of a unit on disk: its functions come from its oracle
    table, expectations from `// oracle-expect: FUNCTION KIND fp|fn|latent` lines."""
    with open(path) as f:
        text = f.read()
    names = re.findall(r'\{ "(\w+)", \w+, \w+ \}', text)
    if not names:
        raise OracleError('%s: no oracle table (RC_ORACLE_TABLE)' % path)
    funcs = []
    for name in names:
        m = re.search(r'^[^\n]*\b%s\(rc_heap \*h[^\n]*\n\{\n.*?^\}$' % re.escape(name), text, re.M | re.S)
        if not m:
            raise OracleError('%s: function %s of the table is not defined' % (path, name))
        funcs.append(FileFunc(name, m.group(0)))
    expect = set()
    for m in re.finditer(r'oracle-expect: (\w+) (\w+) (\w+)', text):
        expect.add(m.groups())
    return text, funcs, expect


def check_unit(oracle, path):
    """The disagreements (function, kind, fp|fn) of a unit on disk, and those it expects."""
    text, funcs, expect = read_unit(path)
    unit, exe = oracle.build(text, 'case')
    dyn = oracle.dynamic(exe)
    stat, _ = oracle.static(unit)
    got = set()
    for fname, row in verdicts(funcs, dyn, stat).items():
        for k, v in row.items():
            if v in ('fp', 'fn', 'latent'):
                got.add((fname, k, v))
    return got, expect
