#!/usr/bin/env bash
# scripts/test prints the failed results of each build (failed_lines): every kind of failure,
# and not EXPECTEDFAIL, the result of a should_fail test that failed as it must (its
# "exit status 1" read like a failure in a passing run). Usage: failed_lines_test.sh SCRIPTS_TEST
set -u
source <(sed -n '/^failed_lines() {/,/^}/p' "$1")
declare -F failed_lines >/dev/null || { echo "FAIL: $1 defines no failed_lines()"; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cat >"$log" <<'LOG'
 1/6 rccheck:analyzer / analyzer/boundary                 OK              0.16s
 2/6 rccheck:analyzer / analyzer/runner/wrong-expectation EXPECTEDFAIL    0.17s   exit status 1
 3/6 rccheck:analyzer / analyzer/cli/sarif                FAIL            0.17s   exit status 1
 4/6 rccheck:analyzer / analyzer/cli/slow                 TIMEOUT         180.00s   killed by signal 15 SIGTERM
 5/6 rccheck:analyzer / analyzer/should-fail              UNEXPECTEDPASS  0.10s
 6/6 rccheck:analyzer / analyzer/broken                   ERROR           0.10s   exit status 99
Ok:                 1
Expected Fail:      1
Fail:               2
LOG
got=$(failed_lines "$log" | awk '{print $4}' | tr '\n' ' ')
want="analyzer/cli/sarif analyzer/cli/slow analyzer/should-fail analyzer/broken "
if [ "$got" != "$want" ]; then
  echo "FAIL: failed_lines printed '$got', expected '$want'"
  exit 1
fi
echo "ok: failed_lines prints FAIL, TIMEOUT, UNEXPECTEDPASS and ERROR results, not EXPECTEDFAIL or OK"
