#!/usr/bin/env bash
# make bench: for every benchmark program, the per-step wall time of each case (timed run) and its instructions
# per step counted by callgrind (collection switched on only around the measured loop; see bench/bench.h).
# Writes bench/results.tsv (committed when refreshed) and prints a table.
set -u
top=$(cd "$(dirname "$0")/.." && pwd); cd "$top"
out=bench/results.tsv; tmp=$out.tmp.$$
printf 'case\tus_per_step\tinstructions_per_step\tcallgrind_steps\n' > "$tmp"
for b in "$@"; do
  while IFS=$'\t' read -r name sec steps; do
    # callgrind runs ~50x slower than native: count over ~50 ms of native work (2..2000 steps; per-step counts do not
    # depend on the number of steps once warmed up), or CG_STEPS if set
    cg_steps=${CG_STEPS:-$(awk -v s="$sec" 'BEGIN{n = int(0.05 / s); if (n < 2) n = 2; if (n > 2000) n = 2000; print n}')}
    case "$name" in fixed_point*|*_solve*|startup*) cg_steps=2;; esac
    f=$(mktemp)
    valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$f" "$b" --case "$name" --steps "$cg_steps" >/dev/null 2>&1
    ir=$(awk '/^summary:/{print $2} /^totals:/{t=$2} END{}' "$f" | head -1)
    [ -n "$ir" ] || ir=$(awk '/^totals:/{print $2}' "$f")
    rm -f "$f"
    ips=$(awk -v a="$ir" -v n="$cg_steps" 'BEGIN{ if (a=="") print "nan"; else printf "%.0f", a/n }')
    us=$(awk -v s="$sec" 'BEGIN{printf "%.3f", s*1e6}')
    printf '%s\t%s\t%s\t%s\n' "$name" "$us" "$ips" "$cg_steps" >> "$tmp"
  done < <("$b")
done
# End-to-end: the wall time of each figure program in the last `make figures` (data/*/timing.tsv), for the record.
for t in data/*/timing.tsv; do
  [ -f "$t" ] || continue
  p=$(basename "$(dirname "$t")")
  awk -F'\t' -v p="$p" 'NR>1{printf "figure_%s_%s_%s\t%s s (whole program)\t-\t-\n", p, $1, $3, $2}' "$t" >> "$tmp"
done
mv "$tmp" "$out"
awk -F'\t' '{printf "%-32s %14s %22s %16s\n", $1, $2, $3, $4}' "$out"
