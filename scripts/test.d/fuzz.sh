#!/usr/bin/env bash
# Test stage (sourced by scripts/test as `bash scripts/test.d/fuzz.sh`): builds build/fuzz-lf
# (clang, libFuzzer, ASan+UBSan) and fuzzes each target for a short fixed time with fuzz/run
# (the committed corpus is replayed first). One test per target run: it fails on any crash,
# sanitizer report, leak, timeout or model mismatch. Last line: "N passed, N failed".
# Environment: FUZZ_SECONDS (per target, default 45), JOBS (build parallelism).
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-45}
bdir=build/fuzz-lf
passed=0
failed=0

mkdir -p build
if [ ! -f "$bdir/build.ninja" ]; then
  CC=clang CFLAGS=-fsanitize=fuzzer-no-link meson setup "$bdir" --werror --buildtype=debugoptimized -Dtests=false \
    -Dfuzzing_engine=libfuzzer -Db_sanitize=address,undefined -Db_lundef=false >"$bdir.setup.log" 2>&1
else
  meson setup --reconfigure "$bdir" --buildtype=debugoptimized >"$bdir.setup.log" 2>&1
fi || { echo "fuzz: meson setup of $bdir failed:"; tail -20 "$bdir.setup.log"; echo "0 passed, 1 failed"; exit 1; }
if ! ninja -C "$bdir" -j "${JOBS:-2}" >"$bdir.ninja.log" 2>&1; then
  echo "fuzz: build of $bdir failed:"; grep -E 'error|warning|undefined' "$bdir.ninja.log" | head -30
  echo "0 passed, 1 failed"; exit 1
fi

for target in graph graph_alloc analyzer; do
  if [ ! -x "$bdir/fuzz/fuzz_$target" ]; then
    echo "fuzz: $target: not built in this configuration (skipped)"
    continue
  fi
  if FUZZ_BUILD_DIR=$bdir FUZZ_OUT=.fuzz-out/ci-$target fuzz/run libfuzzer "$target" "$secs"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
