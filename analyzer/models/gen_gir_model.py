#!/usr/bin/env python3
"""gen_gir_model.py - turns GObject-Introspection data (.gir XML) into an rccheck model
(docs/model-format.md, "Models from GObject-Introspection").

    gen_gir_model.py GIR... [--overrides FILE] [--include GIR]... [-o OUT] [--check]

Every GIR given is modelled; an --include GIR only lends its types (Gio's functions return
GObject.Object, a class of GObject-2.0.gir). --overrides is a model file whose lines replace the
generated line of the same name (and are added when GIR has no such function): what GIR does not
say. --check compares with OUT instead of writing it (exit 1 when they differ).

What is taken from the GIR, per function, method and constructor with a c:identifier:
  - the result, when its type is a reference-counted type (a class, an interface, a record with
    ref and unref methods): transfer-ownership "full" -> new, "none" -> borrowed; nullable ->
    may-return-null, or null-on-failure when the function throws (GError **);
  - a gboolean result of a function that throws -> int zero-on-failure;
  - parameters (the instance parameter is argument 1) of a reference-counted type: "in" with
    transfer full -> steals=N; "out" with transfer full -> out-new=N, with transfer none ->
    out-borrowed=N; nullable or allow-none -> accepts-null=N;
  - a function that throws and whose result says how it fails (null-on-failure or
    zero-on-failure): its GError ** (the last argument, not listed in the GIR) receives an error
    only when the call fails -> out-new-on-failure=N;
  - the ref, unref and ref_sink methods of a record -> new returns-arg=1 / none releases=1 /
    new returns-arg=1 sinks=1
    (GObject's own, g_object_ref and g_object_unref, are in the overrides);
  - a floating result: transfer "floating", or transfer "none" of a new instance (a
    constructor, a *_new* function, a builder's *_end) of a floating type (a record with a
    ref_sink method, GVariant; a class descending from GObject.InitiallyUnowned) -> new floating;
  - a GDestroyNotify parameter K and the gpointer parameter D it will be called on: the one
    right after it, else the nearest before it -> notify-takes=D,K.
GLib.Error (GError) counts as a counted type: it is owned by whoever holds it and handed over
with transfer full (g_task_return_error), released by g_error_free (an override).
Strings, containers and plain memory (transfer full of a gchar *, a GList *) are left out: they
are freed, not released, and the model speaks of references. A function the GIR marks
introspectable="0" is modelled like any other (its annotations are still the library's word).
Functions with nothing to say get no line.

Exit status: 0 ok, 1 --check found a difference, 2 bad input (message on stderr).
"""

import re
import argparse
import hashlib
import os
import sys
import xml.etree.ElementTree as ET

NS = {"c": "http://www.gtk.org/introspection/core/1.0",
      "cc": "http://www.gtk.org/introspection/c/1.0",
      "glib": "http://www.gtk.org/introspection/glib/1.0"}
CORE = "{%s}" % NS["c"]
C_IDENT = "{%s}identifier" % NS["cc"]
C_TYPE = "{%s}type" % NS["cc"]
MAX_ARGS = 32
CALLABLES = ("function", "method", "constructor")


class Fail(Exception):
    pass


def load(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise Fail(f"{path}: {e}")
    ns = root.find(CORE + "namespace")
    if ns is None:
        raise Fail(f"{path}: no <namespace>")
    return ns


def qualify(name, ns_name):
    return name if "." in name else f"{ns_name}.{name}"


def counted_types(namespaces):
    """Qualified names (Namespace.Name) of the reference-counted types of the namespaces, and of
    those whose new instances are floating: a record with a ref_sink method (GVariant), a class
    descending from GObject.InitiallyUnowned."""
    counted = {"GLib.Error"}
    floating = {"GObject.InitiallyUnowned"}
    parents = {}
    for ns in namespaces:
        name = ns.get("name")
        for kind in ("class", "interface"):
            for el in ns.findall(CORE + kind):
                counted.add(f"{name}.{el.get('name')}")
                if el.get("parent"):
                    parents[f"{name}.{el.get('name')}"] = qualify(el.get("parent"), name)
        for rec in ns.findall(CORE + "record"):
            methods = {m.get("name") for m in rec.findall(CORE + "method")}
            if "ref" in methods and "unref" in methods:
                counted.add(f"{name}.{rec.get('name')}")
            if "ref_sink" in methods:
                floating.add(f"{name}.{rec.get('name')}")
    for cls in parents:
        seen, p = set(), cls
        while p in parents and p not in seen:
            seen.add(p)
            p = parents[p]
            if p in floating:
                floating.add(cls)
                break
    return counted, floating


def type_name(typ, ns_name):
    return qualify(typ.get("name") or "", ns_name) if typ is not None else ""


def is_counted(typ, ns_name, counted):
    """Whether <type> names a pointer to a reference-counted type."""
    if typ is None or typ.tag != CORE + "type":
        return False
    name = typ.get("name") or ""
    if "." not in name:
        name = f"{ns_name}.{name}"
    ctype = (typ.get(C_TYPE) or "").replace("const", "").strip()
    return name in counted and (ctype.endswith("*") or ctype in ("gpointer", "gconstpointer", ""))


def type_of(el):
    for child in el:
        if child.tag in (CORE + "type", CORE + "array"):
            return child
    return None


def model_line(fn, ns_name, counted, floating=frozenset()):
    """The model line of one callable, or None when there is nothing to say."""
    ident = fn.get(C_IDENT)
    if fn.tag == CORE + "method" and fn.get("name") in ("ref", "unref", "ref_sink"):
        # a counted record's own count functions (g_variant_ref, g_bytes_unref, g_variant_ref_sink)
        return {"ref": f"{ident} new returns-arg=1", "unref": f"{ident} none releases=1",
                "ref_sink": f"{ident} new returns-arg=1 sinks=1"}[fn.get("name")]
    throws = fn.get("throws") == "1"
    attrs = []
    ret_kind = None
    ret = fn.find(CORE + "return-value")
    rtype = type_of(ret) if ret is not None else None
    if is_counted(rtype, ns_name, counted):
        ret_kind = "new" if ret.get("transfer-ownership") == "full" else "borrowed"
        if ret.get("transfer-ownership") is None and (
                fn.tag == CORE + "constructor" or "_new" in ident or ident.endswith(("_copy", "_dup"))):
            # no transfer at all (a function the scanner marks introspectable="0", such as
            # g_async_queue_new, "Free with g_async_queue_unref()"): a constructor's result is new
            ret_kind = "new"
        doc = ret.find(CORE + "doc")
        text = (doc.text or "") if doc is not None else ""
        says_floating = bool(re.search(r"\bfloating\b", text)) and not re.search(r"(non-|never |not (be )?)floating", text)
        if ret.get("transfer-ownership") == "floating" or (
                ret_kind == "borrowed" and type_name(rtype, ns_name) in floating and
                (fn.tag == CORE + "constructor" or "_new" in ident or ident.endswith("_end"))) or (
                type_name(rtype, ns_name) in floating and says_floating):
            # (the last: GIR writes g_variant_new_parsed `transfer full` while its return's
            # documentation says "a new floating #GVariant instance")
            # GIR writes a floating result `transfer none` (older) or `floating`: a new
            # instance of a floating type from a constructor (or a builder's end) is one
            ret_kind = "new"
            attrs.append("floating")
        if throws:
            attrs.append("null-on-failure")
        elif ret.get("nullable") == "1" or ret.get("allow-none") == "1":
            attrs.append("may-return-null")
    elif throws and rtype is not None and rtype.get("name") == "gboolean":
        ret_kind = "int"
        attrs.append("zero-on-failure")
        attrs.append("one-on-success")  # a gboolean is TRUE or FALSE: `== TRUE` tests success
    args = {"steals": [], "out-new": [], "out-borrowed": [], "accepts-null": []}
    params = fn.find(CORE + "parameters")
    plist = list(params) if params is not None else []
    plist = [p for p in plist if p.tag in (CORE + "instance-parameter", CORE + "parameter")]
    for i, p in enumerate(plist, 1):
        if i > MAX_ARGS or not is_counted(type_of(p), ns_name, counted):
            continue
        transfer = p.get("transfer-ownership", "none")
        direction = p.get("direction", "in")
        if direction == "in":
            if transfer == "full":
                args["steals"].append(i)
            if p.get("nullable") == "1" or p.get("allow-none") == "1":
                args["accepts-null"].append(i)
        elif direction == "out":
            args["out-new" if transfer == "full" else "out-borrowed"].append(i)
    for i, p in enumerate(plist, 1):
        # a GDestroyNotify: the gpointer right after it (`GDestroyNotify notify, gpointer
        # user_data`: g_variant_new_from_data, g_bytes_new_with_free_func), else the nearest
        # gpointer before it (`gpointer data, GDestroyNotify notify`) is the data it will be
        # called on
        if i > MAX_ARGS or type_name(type_of(p), ns_name) != "GLib.DestroyNotify":
            continue
        after = type_of(plist[i]) if i < len(plist) else None
        order = ([i + 1] if after is not None and after.get("name") == "gpointer" else []) + list(range(i - 1, 0, -1))
        for j in order:
            t = type_of(plist[j - 1])
            if t is not None and t.get("name") == "gpointer":
                if not any(j in nums for nums in args.values()):
                    args["notify-takes"] = [j, i]
                break
    has_instance = bool(plist) and plist[0].tag == CORE + "instance-parameter"
    for i, p in enumerate(plist, 1):
        # an async callback (scope="async": called once, when the operation completes) receives
        # its closure data: a reference handed there escapes to the callback, which usually
        # drops it (g_file_read_async (f, 0, NULL, on_read, g_object_ref (self))) but may only
        # borrow it while the caller waits (g_thread_new (name, fn, queue))
        if i > MAX_ARGS or p.get("scope") != "async" or p.get("closure") is None or \
                "notify-takes" in args or "callback-data" in args:
            continue
        j = int(p.get("closure")) + 1 + has_instance
        t = type_of(plist[j - 1]) if 1 <= j <= len(plist) else None
        if j <= MAX_ARGS and t is not None and t.get("name") == "gpointer" and not any(j in nums for nums in args.values()):
            args["callback-data"] = [j, i]
    if throws and len(plist) + 1 <= MAX_ARGS and ("null-on-failure" in attrs or "zero-on-failure" in attrs):
        args["out-new-on-failure"] = [len(plist) + 1]
    for key, nums in args.items():
        if nums:
            attrs.append(f"{key}={','.join(str(n) for n in nums)}")
    # a callback called during the call only (scope="call": g_list_foreach) borrows its data:
    # a line of its own says the function is known (a reference handed to an unknown function
    # next to a callback is taken to be the callback's)
    sync_callback = any(p.get("scope", "call") == "call" and p.get("closure") is not None and
                        type_of(p) is not None and type_of(p).get("name") != "gpointer" for p in plist)
    if ret_kind is None and not attrs and not sync_callback:
        return None
    return " ".join([ident, ret_kind or "none"] + attrs)


def callables(ns):
    """Every function, method and constructor of a namespace, at top level or in a type."""
    for el in ns.iter():
        if el.tag in tuple(CORE + k for k in CALLABLES) and el.get(C_IDENT):
            yield el


def read_overrides(path):
    lines = {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            words = text.split()
            key = " ".join(words[:2]) if words[0] in ("convention", "global") else words[0]
            if key in lines and not words[0] == "convention":
                raise Fail(f"{path}:{n}: {key} given twice")
            lines[key if words[0] != "convention" else text] = text
    return lines


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def generate(girs, includes, overrides_path):
    models = [load(p) for p in girs]
    lent = [load(p) for p in includes]
    counted, floating = counted_types(models + lent)
    lines = {}
    for ns in models:
        for fn in callables(ns):
            line = model_line(fn, ns.get("name"), counted, floating)
            if line:
                lines.setdefault(fn.get(C_IDENT), line)
    overrides = read_overrides(overrides_path) if overrides_path else {}
    out = ["# generated by analyzer/models/gen_gir_model.py: do not edit; edit the overrides and",
           "# regenerate (analyzer/models/README.md). Sources:"]
    for p in girs + includes:
        out.append(f"#   {os.path.basename(p)} sha256 {sha256(p)}")
    if overrides_path:
        out.append(f"#   {os.path.basename(overrides_path)} (hand-written; its lines replace the generated ones)")
    for name in sorted(set(lines) | set(overrides)):
        if name in overrides:
            out.append(overrides[name])
        else:
            out.append(lines[name])
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gir", nargs="+")
    ap.add_argument("--include", action="append", default=[])
    ap.add_argument("--overrides")
    ap.add_argument("-o", "--output")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args(argv)
    try:
        text = generate(a.gir, a.include, a.overrides)
    except (Fail, OSError) as e:
        print(f"gen_gir_model.py: {e}", file=sys.stderr)
        return 2
    if a.check:
        if not a.output:
            print("gen_gir_model.py: --check needs -o", file=sys.stderr)
            return 2
        with open(a.output, encoding="utf-8") as f:
            if f.read() != text:
                print(f"gen_gir_model.py: {a.output} is out of date: regenerate it", file=sys.stderr)
                return 1
        return 0
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
