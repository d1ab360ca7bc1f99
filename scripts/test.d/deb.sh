#!/usr/bin/env bash
# Test stage: the Debian packages (debian/, issue 14). scripts/build-deb builds rccheck,
# librccheck-runtime0 and librccheck-runtime-dev with dpkg-buildpackage (offline, from Debian 12
# packages; the quick meson tests run inside) and checks them with lintian; then the packages are
# unpacked into a scratch root (dpkg-deb -x: nothing is installed on this machine) and used from
# there: rccheck --version, rccheck on examples/pyext/buggy (exit 1) and fixed (exit 0), and the
# runtime example compiled and linked through the unpacked rccheck-runtime.pc.
# Installing them into a fresh Debian 12 as a user would is scripts/deb-smoke (README, Packages).
# RCCHECK_TEST_DEB=0 skips the stage (it counts as passed with a note).
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "${RCCHECK_TEST_DEB:-1}" = 0 ]; then
  echo "deb: skipped (RCCHECK_TEST_DEB=0)"
  echo "1 passed, 0 failed"
  exit 0
fi
out=build/deb
passed=0 failed=0
count() { # count NAME STATUS
  if [ "$2" -eq 0 ]; then echo "deb: ok   $1"; passed=$((passed + 1)); else echo "deb: FAIL $1"; failed=$((failed + 1)); fi
}
scripts/build-deb "$out" >"$out.log" 2>&1
st=$?
[ $st -ne 0 ] && tail -30 "$out.log"
count "scripts/build-deb: the three packages built, lintian clean" $st
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for deb in "$out"/rccheck_*.deb "$out"/librccheck-runtime0_*.deb "$out"/librccheck-runtime-dev_*.deb; do
  [ -f "$deb" ] && dpkg-deb -x "$deb" "$root"
done
rc="$root/usr/bin/rccheck"
"$rc" --version >/dev/null 2>&1
count "the unpacked rccheck runs (--version)" $?
"$rc" -q examples/pyext/buggy >/dev/null 2>&1
[ $? -eq 1 ]
count "rccheck examples/pyext/buggy: findings, exit 1" $?
"$rc" -q examples/pyext/fixed >/dev/null 2>&1
count "rccheck examples/pyext/fixed: exit 0" $?
exe="$root/example"
pc=$(find "$root" -name rccheck-runtime.pc | head -1)
# the .pc names /usr: point it at the unpacked root
sed "s|^prefix=.*|prefix=$root/usr|" "$pc" >"$root/rccheck-runtime.pc" 2>/dev/null
# shellcheck disable=SC2046 # pkg-config's words are separate arguments
cc -std=c11 -o "$exe" examples/runtime/example.c $(PKG_CONFIG_PATH="$root" pkg-config --cflags --libs rccheck-runtime) \
  >/dev/null 2>&1 && LD_LIBRARY_PATH=$(dirname "$(find "$root" -name 'librccheck-runtime.so.*' | head -1)") "$exe" >/dev/null 2>&1
count "examples/runtime built and linked with the unpacked rccheck-runtime.pc, and run" $?
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
