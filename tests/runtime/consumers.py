#!/usr/bin/env python3
"""Builds the example program (examples/runtime/example.c) against the runtime the two ways
users consume it, and runs it:
  install     `meson install` the build tree into a temporary DESTDIR, then compile the example
              with the C compiler and `pkg-config --cflags --libs rccheck-runtime`
  subproject  a copy of tests/runtime/consumer/ (plus the example) whose subprojects/rccheck is a
              symlink to this source tree, configured and built with meson (only that target)
Usage: consumers.py MODE SOURCE_ROOT BUILD_ROOT CC [CFLAG...]
Exit 77 (skip) when a needed tool is missing."""
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


def subproject(src, build, cc):
    if not shutil.which("meson") or not shutil.which("ninja"):
        print("consumers: meson or ninja not found")
        return 77
    with tempfile.TemporaryDirectory(prefix="rc-subproject-") as tmp:
        proj = os.path.join(tmp, "consumer")
        shutil.copytree(os.path.join(src, "tests", "runtime", "consumer"), proj)
        shutil.copy(os.path.join(src, "examples", "runtime", "example.c"), proj)
        os.makedirs(os.path.join(proj, "subprojects"))
        os.symlink(os.path.abspath(src), os.path.join(proj, "subprojects", "rccheck"))
        env = dict(os.environ, CC=" ".join(cc))
        bdir = os.path.join(tmp, "build")
        run(["meson", "setup", bdir, proj, "--force-fallback-for=rccheck-runtime"], env=env)
        run(["ninja", "-C", bdir, "consumer"], env=env)
        out = run([os.path.join(bdir, "consumer")])
        print(out.strip())
        print("consumers: built through dependency('rccheck-runtime') from subprojects/rccheck")
    return 0


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
