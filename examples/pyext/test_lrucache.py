#!/usr/bin/env python3
"""test_lrucache.py - exercises every method of the fixed lrucache extension.

Run by meson with Debian's /usr/bin/python3 and PYTHONPATH set to the directory of the built
module. Besides behaviour, it checks reference counts: a reference leaked or released twice by
the C code shows up as a sys.getrefcount() drift over many calls, and a cycle through the cache
(a value or the on_evict callback referring back to it) must be freed by gc.collect(), which
only works when tp_traverse visits what tp_clear releases.
Prints one line per test; exit 0 when all pass, 1 otherwise.
"""

import gc
import sys
import weakref

import lrucache


class Token:
    """A value that can be weakly referenced (to observe its destruction)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Token(%r)" % self.name


def expect_raises(exc, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError("%s did not raise %s" % (getattr(fn, "__name__", fn), exc.__name__))


def test_module():
    assert lrucache.DEFAULT_CAPACITY == 128
    assert lrucache.__version__ == "1.0"
    assert issubclass(lrucache.Error, Exception)
    assert lrucache.LRUCache.__name__ == "LRUCache"


def test_construct():
    c = lrucache.LRUCache(2)
    assert len(c) == 0 and c.on_evict is None
    assert c.stats() == {"hits": 0, "misses": 0, "size": 0, "capacity": 2}
    expect_raises(ValueError, lrucache.LRUCache, 0)
    expect_raises(TypeError, lrucache.LRUCache, "x")
    expect_raises(TypeError, lrucache.LRUCache, 2, on_evict=42)
    c = lrucache.LRUCache(capacity=3, on_evict=print)
    assert c.on_evict is print


def test_put_get():
    c = lrucache.LRUCache(3)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1
    assert c.get("zz") is None
    assert c.get("zz", "dflt") == "dflt"
    c.put("a", 10)  # replace
    assert c.get("a") == 10 and len(c) == 2
    assert "a" in c and "zz" not in c
    assert c.stats()["hits"] == 2 and c.stats()["misses"] == 2
    expect_raises(TypeError, c.get)
    expect_raises(TypeError, c.put, "only-key")
    expect_raises(TypeError, c.put, [], 1)  # unhashable key
    expect_raises(TypeError, c.get, [])


def test_lru_order_and_eviction():
    evicted = []
    c = lrucache.LRUCache(2, on_evict=lambda k, v: evicted.append((k, v)))
    c.put("a", 1)
    c.put("b", 2)
    c.get("a")  # b is now least recently used
    assert c.keys() == ["b", "a"]
    c.put("c", 3)
    assert evicted == [("b", 2)]
    assert c.keys() == ["a", "c"]
    assert c.items() == [("a", 1), ("c", 3)]
    c.on_evict = None
    c.put("d", 4)
    assert evicted == [("b", 2)] and c.keys() == ["c", "d"]
    del c.on_evict
    assert c.on_evict is None
    expect_raises(TypeError, setattr, c, "on_evict", 3)


def test_on_evict_error_propagates():
    def boom(k, v):
        raise RuntimeError("boom %s" % k)

    c = lrucache.LRUCache(1, on_evict=boom)
    c.put("a", 1)
    expect_raises(RuntimeError, c.put, "b", 2)
    # the entry was evicted before the callback failed; the new one was not inserted
    assert len(c) == 0 and c.keys() == []


def test_popitem_resize_clear():
    c = lrucache.LRUCache(4)
    for i in range(4):
        c.put(i, str(i))
    assert c.popitem() == (0, "0")
    assert len(c) == 3
    seen = []
    c.on_evict = lambda k, v: seen.append(k)
    c.resize(1)
    assert seen == [1, 2] and c.keys() == [3]
    expect_raises(ValueError, c.resize, 0)
    expect_raises(TypeError, c.resize, "big")
    c.resize(10)
    c.put("x", 1)
    c.get("x")
    c.clear()
    assert len(c) == 0 and c.keys() == [] and c.items() == []
    assert c.stats() == {"hits": 0, "misses": 0, "size": 0, "capacity": 10}
    expect_raises(KeyError, c.popitem)


def test_refcounts_stable():
    """Every method, many times: the counts of the objects involved must not drift."""
    key, value, dflt = Token("k"), Token("v"), Token("d")
    c = lrucache.LRUCache(8, on_evict=lambda k, v: None)
    c.put(key, value)
    before = [sys.getrefcount(o) for o in (key, value, dflt)]
    for _ in range(2000):
        assert c.get(key) is value
        assert c.get("missing", dflt) is dflt
        c.put(key, value)
        c.keys()
        c.items()
        c.stats()
        assert key in c
        c.put("tmp", value)
        assert c.popitem() == (key, value)
        c.put(key, value)
        c.resize(1)  # evicts "tmp" through on_evict
        c.resize(8)
        c.on_evict = c.on_evict
    after = [sys.getrefcount(o) for o in (key, value, dflt)]
    assert before == after, "reference counts drifted: %s -> %s" % (before, after)


def test_none_refcount_stable():
    """Methods returning None must return a new reference to it (Py_RETURN_NONE)."""
    c = lrucache.LRUCache(2)
    before = sys.getrefcount(None)
    for i in range(5000):
        c.put(i, i)
        c.clear()
        c.resize(2)
        c.on_evict = None
        assert c.on_evict is None
        c.get("missing")
    after = sys.getrefcount(None)
    # immortal (3.12+) or balanced: the count must not drift by thousands
    assert abs(after - before) < 100, "None's count drifted: %d -> %d" % (before, after)


def test_dealloc_releases_everything():
    value, cb = Token("v"), Token("cb")
    c = lrucache.LRUCache(4)
    c.put("k", value)
    before = sys.getrefcount(value)
    del c
    assert sys.getrefcount(value) == before - 1
    wr = weakref.ref(value)
    del value
    assert wr() is None
    del cb


def test_cycle_through_value_is_collected():
    gc.collect()
    c = lrucache.LRUCache(4)
    token = Token("t")
    wr = weakref.ref(token)
    c.put("self", c)  # cache -> dict -> cache
    c.put("token", token)
    del c, token
    assert wr() is not None  # kept alive by the cycle
    gc.collect()
    assert wr() is None, "cycle through a value was not collected"


def test_cycle_through_on_evict_is_collected():
    gc.collect()
    c = lrucache.LRUCache(4)
    token = Token("t")
    wr = weakref.ref(token)
    c.on_evict = lambda k, v, c=c: c  # cache -> callback -> default argument -> cache
    c.put("token", token)
    del c, token
    assert wr() is not None
    gc.collect()
    assert wr() is None, "cycle through on_evict was not collected (tp_traverse incomplete?)"


def test_gc_is_tracked():
    c = lrucache.LRUCache(2)
    assert gc.is_tracked(c)
    referents = gc.get_referents(c)
    assert any(isinstance(r, dict) for r in referents)
    assert any(isinstance(r, list) for r in referents)
    c.on_evict = len
    assert len in gc.get_referents(c)


def main():
    failed = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            try:
                fn()
                print("ok   %s" % name)
            except Exception as e:  # noqa: BLE001 - report any failure and go on
                failed += 1
                print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
    print("python %s, module %s" % (sys.version.split()[0], lrucache.__file__))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
