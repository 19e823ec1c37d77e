#!/usr/bin/env bash
# Run each cmocka test binary given, showing its output; count the individual test cases from cmocka's summaries.
# Prints `unit tests (<label>): N passed, N failed` and appends "passed failed" to $TS_COUNTS if set.
# Exit 1 if any test (or a whole binary) failed.
set -u
label=${TS_LABEL:-unit}
pass=0; fail=0; failed=()
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:.*/\1/p' | tail -1)
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    [ -n "$f" ] || fail=$((fail + 1)) # crashed or exited before cmocka's summary
  fi
done
[ ${#failed[@]} -eq 0 ] || echo "failed test programs: ${failed[*]}" >&2
echo "unit tests ($label): $pass passed, $fail failed"
[ -z "${TS_COUNTS:-}" ] || echo "$pass $fail" >> "$TS_COUNTS"
[ ${#failed[@]} -eq 0 ]
