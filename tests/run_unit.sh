#!/usr/bin/env bash
# Run each cmocka test binary given; print every binary's own summary and a closing `N passed, N failed` line
# counting the test binaries.  Exit 1 if any failed.
set -u
pass=0; fail=0; failed=()
for t in "$@"; do
  if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$t"); fi
done
[ $fail -eq 0 ] || echo "failed test programs: ${failed[*]}" >&2
echo "unit tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
