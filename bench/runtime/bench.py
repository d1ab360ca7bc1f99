#!/usr/bin/env python3
"""CPython side of the runtime benchmark: the same graph shapes as rc-bench (bench.c), timed
with gc.collect(); each shape runs REPEAT times (default 3) and the fastest run counts.
Prints one JSON object. Usage: bench.py [--repeat K] N [N...]"""
import gc
import json
import sys
import time


class Node:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = None
        self.b = None


class Rng:
    """The xorshift64 of bench.c, so both sides build the same random graphs."""

    def __init__(self):
        self.s = 88172645463325252

    def next(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFFFFFFFFFF
        s ^= s >> 7
        s ^= (s << 17) & 0xFFFFFFFFFFFFFFFF
        self.s = s
        return s


def timed_collect(expect):
    t0 = time.perf_counter()
    freed = gc.collect()
    t = time.perf_counter() - t0
    if expect is not None and freed < expect:
        raise SystemExit(f"bench.py: gc.collect() found {freed} objects, expected {expect}")
    return t


def shape_pairs(n):
    v = [Node() for _ in range(n)]
    for i in range(0, n - 1, 2):
        v[i].a = v[i + 1]
        v[i + 1].a = v[i]
    del v
    return timed_collect(n - n % 2)


def shape_ring(n):
    v = [Node() for _ in range(n)]
    for i in range(n):
        v[i].a = v[(i + 1) % n]
    del v
    return timed_collect(n)


def random_edges(v, rng):
    n = len(v)
    for x in v:
        x.a = v[rng.next() % n]
        x.b = v[rng.next() % n]


def shape_random(n, rng):
    v = [Node() for _ in range(n)]
    random_edges(v, rng)
    del v
    return timed_collect(None)  # refcounting already freed the nodes no cycle keeps


def shape_live(n, rng):
    v = [Node() for _ in range(n)]
    random_edges(v, rng)
    t = timed_collect(None)
    for x in v:
        x.a = x.b = None
    del v
    gc.collect()
    return t


def shape_acyclic(n):
    t0 = time.perf_counter()
    for _ in range(n):
        o = Node()
        del o
    return time.perf_counter() - t0


def main():
    args = sys.argv[1:]
    repeat = 3
    if len(args) >= 2 and args[0] == "--repeat":
        repeat = int(args[1])
        args = args[2:]
    ns = [int(a) for a in args] or [100000, 1000000]
    gc.disable()
    gc.collect()
    rng = Rng()
    header = sys.getsizeof(Node()) - 8 * len(Node.__slots__)
    results = []
    for n in ns:
        for name, fn in (("1-pairs", lambda: shape_pairs(n)), ("2-ring", lambda: shape_ring(n)),
                         ("3-random", lambda: shape_random(n, rng)), ("4-live", lambda: shape_live(n, rng)),
                         ("5-acyclic", lambda: shape_acyclic(n))):
            results.append({"shape": name, "n": n, "seconds": min(fn() for _ in range(repeat))})
    print(json.dumps({"python": sys.version.split()[0], "header_bytes": header, "results": results}))


if __name__ == "__main__":
    main()
