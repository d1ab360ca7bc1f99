#!/usr/bin/env bash
# Test stage: rccheck over our own runtime, fuzz and example sources, with each file's flags from
# the gcc build's compile_commands.json. Every finding must be fixed or carry a justified
# `rccheck: ignore[...]` comment, so the run must exit 0. Runs from scripts/test after the builds.
set -uo pipefail
cd "$(dirname "$0")/../.."
rccheck=build/gcc/analyzer/rccheck
if [ ! -x $rccheck ]; then
  echo "dogfood: $rccheck was not built"
  echo "0 passed, 1 failed"; exit 1
fi
passed=0 failed=0
for tree in runtime fuzz examples/runtime; do
  out=$($rccheck -p build/gcc "$tree" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then
    echo "dogfood: $tree clean"; passed=$((passed + 1))
  else
    echo "dogfood: $tree: rccheck exit $rc"; printf '%s\n' "$out" | grep -E 'warning:|error:' | head -20
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
