#!/usr/bin/env bash
# Smoke run of every figure program at tiny sizes (--mode smoke) into a scratch folder, then its gnuplot script;
# checks exit status, non-empty data, a claims file and a PNG.  Also checks that the same seed gives identical
# data bytes with 1 and 2 threads.  Prints `N passed, N failed` (one per figure program).
set -u
top=$(cd "$(dirname "$0")/.." && pwd); cd "$top"
B=${B:-bin}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
for src in $(ls papers/*/fig*.c 2>/dev/null | sort -V); do
  p=$(basename "$(dirname "$src")"); f=$(basename "$src" .c)
  ok=1; why=""
  for th in 1 2; do
    out=$tmp/t$th/data/$p; mkdir -p "$out" "$tmp/t$th/fig/$p"
    OMP_NUM_THREADS=$th "$B/$p/$f" --mode smoke --out "$out" --threads $th 2> "$tmp/err"; rc=$?
    if [ $rc -ne 0 ]; then ok=0; why="exit status $rc with $th thread(s): $(tail -1 "$tmp/err")"; break; fi
  done
  if [ $ok = 1 ]; then
    [ -s "$tmp/t1/data/$p/$f.claims.tsv" ] || { ok=0; why="no claims file"; }
    for d in "$tmp"/t1/data/$p/$f.tsv "$tmp"/t1/data/$p/${f}_*.tsv "$tmp"/t1/data/$p/$f.claims.tsv; do
      [ -f "$d" ] || continue
      n=$(grep -v '^#' "$d" | tail -n +2 | grep -c .)
      [ "$n" -gt 0 ] || { ok=0; why="$(basename "$d") has no rows"; }
      if ! cmp -s <(grep -v '^# wall_seconds' "$d") <(grep -v '^# wall_seconds' "$tmp/t2/data/$p/$(basename "$d")"); then
        ok=0; why="$(basename "$d") differs between 1 and 2 threads"
      fi
    done
  fi
  if [ $ok = 1 ]; then
    gnuplot -e "datadir='$tmp/t1/data/$p'; outdir='$tmp/t1/fig/$p'" "papers/$p/$f.gp" 2> "$tmp/gperr" \
      && [ -s "$tmp/t1/fig/$p/$f.png" ] || { ok=0; why="gnuplot: $(head -3 "$tmp/gperr")"; }
  fi
  if [ $ok = 1 ]; then pass=$((pass+1)); echo "smoke $p/$f: ok"
  else fail=$((fail+1)); echo "smoke $p/$f: FAILED: $why"; fi
done
echo "smoke: $pass passed, $fail failed"
[ -z "${TS_COUNTS:-}" ] || echo "$pass $fail" >> "$TS_COUNTS"
[ $fail -eq 0 ]
