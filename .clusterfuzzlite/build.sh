#!/bin/bash -eu
# OSS-Fuzz build contract (also ClusterFuzzLite): uses $CC $CFLAGS $LIB_FUZZING_ENGINE, writes the
# fuzz targets with their seed corpora, dictionaries and options to $OUT. Local test:
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   OUT=/tmp/out SRC=<dir holding rccheck/> WORK=/tmp/work bash .clusterfuzzlite/build.sh
src=$SRC/rccheck
build=${WORK:-/tmp}/rccheck-build
rm -rf "$build"
# The runtime's shared library is not needed by the targets; static linking avoids the
# b_lundef trap with sanitizers. The analyzer (libclang) is built only when available.
meson setup "$build" "$src" \
  --buildtype=plain -Ddefault_library=static -Db_lundef=false -Dtests=false \
  -Danalyzer=auto -Dfuzzing_engine=libfuzzer -Dfuzzer_ldflags="$LIB_FUZZING_ENGINE"
ninja -C "$build" -j "$(nproc)" $(cd "$build" && ninja -t targets all | sed -n 's/^\(fuzz\/fuzz_[a-z_]*\): .*/\1/p' | sort -u)

for exe in "$build"/fuzz/fuzz_*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  name=$(basename "$exe")
  target=${name#fuzz_}
  cp "$exe" "$OUT/$name"
  # seeds: corpus/<target>/ and, for the analyzer, its test cases, flattened with unique names
  seeds=${WORK:-/tmp}/rccheck-seeds/$target
  rm -rf "$seeds"
  "$src/fuzz/seeds" "$target" "$seeds"
  if [ -n "$(ls -A "$seeds" 2>/dev/null)" ]; then
    rm -f "$OUT/${name}_seed_corpus.zip"
    (cd "$seeds" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
  [ -f "$src/fuzz/$target.dict" ] && cp "$src/fuzz/$target.dict" "$OUT/$name.dict"
  max_len=1028
  [ "$target" = analyzer ] && max_len=65536
  cat >"$OUT/$name.options" <<OPTS
[libfuzzer]
max_len = $max_len
timeout = 10
rss_limit_mb = 2560
OPTS
done
