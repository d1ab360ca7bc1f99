#!/usr/bin/env python3
"""Builds the example program (examples/runtime/example.c) against the runtime the two ways
users consume it, and runs it:
  install     `meson install` the build tree into a temporary DESTDIR, then compile the example
              with the C compiler and `pkg-config --cflags --libs rccheck-runtime`
  subproject  a copy of tests/runtime/consumer/ (plus the example) whose subprojects/rccheck is a
              symlink to this source tree, configured and built with meson, no option given:
              only the runtime library is configured and built, the parent's `meson test`
              runs no test of this tree; with -Drccheck:tests=true, the runtime's unit tests
Usage: consumers.py MODE SOURCE_ROOT BUILD_ROOT CC [CFLAG...]
Exit 77 (skip) when a needed tool is missing."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        print("$ " + " ".join(cmd))
        print(r.stdout[-4000:])
        print(r.stderr[-4000:])
        raise SystemExit(1)
    return r.stdout


def installed(src, build, cc):
    for tool in ("meson", "pkg-config"):
        if not shutil.which(tool):
            print(f"consumers: {tool} not found")
            return 77
    with tempfile.TemporaryDirectory(prefix="rc-install-") as dest:
        run(["meson", "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", dest,
             "--tags", "runtime,devel"])
        pcdirs = [os.path.join(root) for root, dirs, files in os.walk(dest) if "rccheck-runtime.pc" in files]
        if not pcdirs:
            print("consumers: rccheck-runtime.pc was not installed")
            return 1
        headers = [root for root, dirs, files in os.walk(dest) if "rc.h" in files and root.endswith("/rc")]
        if not headers:
            print("consumers: rc/rc.h was not installed")
            return 1
        env = dict(os.environ, PKG_CONFIG_PATH=pcdirs[0], PKG_CONFIG_SYSROOT_DIR=dest,
                   PKG_CONFIG_LIBDIR=pcdirs[0])
        flags = run(["pkg-config", "--cflags", "--libs", "rccheck-runtime"], env=env).split()
        exe = os.path.join(dest, "consumer")
        run(cc + [os.path.join(src, "examples", "runtime", "example.c"), "-o", exe] + flags)
        libdirs = [f[2:] for f in flags if f.startswith("-L")]
        renv = dict(os.environ, LD_LIBRARY_PATH=":".join(libdirs))
        out = run([exe], env=renv)
        print(out.strip())
        print(f"consumers: built and ran against {pcdirs[0]}/rccheck-runtime.pc: {' '.join(flags)}")
    return 0


def built_files(root):
    """The build products under root: ELF files, static archives and shared libraries."""
    found = []
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.endswith(".p")]  # objects of a target
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                head = f.read(8)
            if head[:4] == b"\x7fELF" or head == b"!<arch>\n":
                found.append(os.path.relpath(path, root))
    return sorted(found)


def test_list(bdir):
    """The tests `meson test --list` names: "NAME" for the parent's, "PROJECT:SUITE / NAME"."""
    out = run(["meson", "test", "-C", bdir, "--list", "--no-rebuild"])
    return [line.strip() for line in out.splitlines() if line.strip()]


def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond and detail:
        print("  " + str(detail).replace("\n", "\n  "))
    return cond


def subproject(src, build, cc):
    """The tree as a subproject with no option given: the library and its dependency alone are
    configured and built, `meson test` in the parent runs only the parent's test; with
    -Drccheck:tests=true the runtime's unit tests (and no other of the tree's) are added."""
    if not shutil.which("meson") or not shutil.which("ninja"):
        print("consumers: meson or ninja not found")
        return 77
    ok = True
    with tempfile.TemporaryDirectory(prefix="rc-subproject-") as tmp:
        proj = os.path.join(tmp, "consumer")
        shutil.copytree(os.path.join(src, "tests", "runtime", "consumer"), proj)
        shutil.copy(os.path.join(src, "examples", "runtime", "example.c"), proj)
        os.makedirs(os.path.join(proj, "subprojects"))
        os.symlink(os.path.abspath(src), os.path.join(proj, "subprojects", "rccheck"))
        env = dict(os.environ, CC=" ".join(cc))
        bdir = os.path.join(tmp, "build")
        run(["meson", "setup", bdir, proj, "--force-fallback-for=rccheck-runtime"], env=env)
        targets = json.loads(run(["meson", "introspect", "--targets", bdir]))
        sub = sorted((t["name"], t["type"]) for t in targets if t.get("subproject") == "rccheck")
        ok &= check(sub == [("rccheck-runtime", "shared library")],
                    "configured: the subproject's only target is the runtime library", str(sub))
        run(["ninja", "-C", bdir], env=env)
        products = built_files(os.path.join(bdir, "subprojects", "rccheck"))
        ok &= check(len(products) >= 1 and all(os.path.basename(p).startswith("librccheck-runtime.so")
                                                for p in products),
                    "built (ninja, everything by default): the runtime library alone", str(products))
        out = run([os.path.join(bdir, "consumer")])
        print(out.strip())
        listed = test_list(bdir)
        ok &= check(listed == ["consumer-runs"], "meson test --list in the parent: its own test alone", str(listed))
        out = run(["meson", "test", "-C", bdir, "--no-rebuild"])
        ok &= check("1/1 consumer-runs" in out and "rccheck" not in out.replace("rc-subproject", ""),
                    "meson test in the parent runs no test of rccheck", out[-1500:])
        # the runtime's unit tests, when asked for (they need cmocka)
        run(["meson", "configure", bdir, "-Drccheck:tests=true"])
        run(["ninja", "-C", bdir, "build.ninja"], env=env)  # regenerate, build nothing
        extra = sorted(n for n in test_list(bdir) if not n.endswith("consumer-runs"))
        if not extra:
            print("consumers: no runtime unit test with -Drccheck:tests=true (cmocka missing?); checked no further")
        else:
            ok &= check(all(n.startswith("rccheck:runtime / runtime-") or n.startswith("rccheck:runtime+slow / ")
                            for n in extra) and "rccheck:runtime / runtime-core" in extra,
                        "-Drccheck:tests=true: the runtime's unit tests, no other test of the tree", str(extra))
        print("consumers: built through dependency('rccheck-runtime') from subprojects/rccheck")
    # the tree's own defaults (meson setup without options, then meson install): a release build
    # with NDEBUG, whose misuse hook reports and pins instead of aborting (docs/runtime.md)
    opts = {o["name"]: o["value"] for o in json.loads(run(["meson", "introspect", "--buildoptions",
                                                          os.path.join(src, "meson.build")]))}
    ok &= check(opts.get("buildtype") == "release" and opts.get("b_ndebug") == "if-release",
                "the tree's default build is release with NDEBUG", f"{opts.get('buildtype')} {opts.get('b_ndebug')}")
    return 0 if ok else 1


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    mode, src, build, cc = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    if mode == "install":
        return installed(src, build, cc)
    if mode == "subproject":
        return subproject(src, build, cc)
    print(f"consumers: unknown mode {mode}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
