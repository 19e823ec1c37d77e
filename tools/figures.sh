#!/usr/bin/env bash
# The main job, called by `make figures` / `make paper P=...` / `make figures/P/figN.png`:
#   for each figure program bin/P/figN:  run it (data/P/figN*.tsv + figN.claims.tsv) -> check the data are not
#   empty -> gnuplot papers/P/figN.gp (figures/P/figN.{png,pdf}) -> check the PNG;  then reports/P.md and
#   reports/index.md.  Ends with `N passed, N failed` over all claims; exits 1 if a claim failed or a step broke.
#   MODE=full writes to data/full/P, figures/full/P and reports/full/P.md instead, so that the paper-fidelity
#   results and the default-mode ones are kept side by side.  `--one` runs a single figure and rebuilds its paper's
#   report from the data present (a long MODE=full paper can be run figure by figure).
# Usage: figures.sh MODE PAPER...      figures.sh --one MODE PAPER/FIGN
set -u
one=""
if [ "${1:-}" = "--one" ]; then one=$3; set -- "$2" "${3%%/*}"; fi
mode=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd); cd "$top"
B=${B:-bin}

fc-match 'DejaVu Sans' 2>/dev/null | grep -qi dejavu \
  || { echo "figures: the font 'DejaVu Sans' is missing (gnuplot would write PNGs without text): make deps" >&2; exit 1; }

root=""; [ "$mode" = full ] && root="full/"
broken=0
for p in "$@"; do
  dd="data/$root$p"; fd="figures/$root$p"
  mkdir -p "$dd" "$fd" "reports/$root"
  timing="$dd/timing.tsv"
  # a whole-paper run starts the timing table afresh; a single figure (--one) replaces its own row
  if [ -z "$one" ] || [ ! -f "$timing" ]; then printf 'figure\twall_seconds\tmode\tload\n' > "$timing"; fi
  for src in $(ls papers/$p/fig*.c 2>/dev/null | sort -V); do
    f=$(basename "$src" .c)
    [ -z "$one" ] || [ "$p/$f" = "$one" ] || continue
    echo "== $p/$f ($mode)"
    # outputs of an earlier run must never pass for this run's
    rm -f "$dd/$f.tsv" $dd/${f}_*.tsv "$dd/$f.claims.tsv" "$fd/$f".{png,pdf} $fd/${f}_*.{png,pdf}
    t0=$(date +%s.%N)
    if ! "$B/$p/$f" --mode "$mode" --out "$dd"; then
      echo "figures: $p/$f failed" >&2; broken=$((broken+1)); continue
    fi
    for d in $dd/$f.tsv $dd/${f}_*.tsv; do
      [ -f "$d" ] || continue
      rows=$(grep -v '^#' "$d" | tail -n +2 | grep -c .)
      [ "$rows" -gt 0 ] || { echo "figures: $d has no data rows" >&2; broken=$((broken+1)); }
    done
    [ -f "$dd/$f.claims.tsv" ] || { echo "figures: $p/$f wrote no claims file" >&2; broken=$((broken+1)); }
    if ! gnuplot -e "datadir='$dd'; outdir='$fd'" "papers/$p/$f.gp"; then
      echo "figures: gnuplot failed on papers/$p/$f.gp" >&2; broken=$((broken+1)); continue
    fi
    [ -s "$fd/$f.png" ] || { echo "figures: $fd/$f.png was not written" >&2; broken=$((broken+1)); }
    t1=$(date +%s.%N)
    # load: the machine's 1-minute load average when the figure finished (wall times on shared cores depend on it)
    row=$(printf '%s\t%.1f\t%s\t%s' "$f" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$mode" \
          "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)")
    { head -1 "$timing"; { tail -n +2 "$timing" | awk -F'\t' -v f="$f" '$1 != f'; echo "$row"; } | sort -V; } \
      > "$timing.tmp.$$" && mv "$timing.tmp.$$" "$timing"
  done
  bash tools/report.sh "$p" "$mode" || broken=$((broken+1))
done
bash tools/report.sh --index
pass=0; fail=0; xfail=0; skip=0
for p in "$@"; do
  for c in data/$root$p/*.claims.tsv; do
    [ -f "$c" ] || continue
    read -r a b x s < <(awk -F'\t' 'NR>1{n[$8]++} END{print n["PASS"]+0, n["FAIL"]+0, n["XFAIL"]+0, n["SKIP"]+0}' "$c")
    pass=$((pass+a)); fail=$((fail+b)); xfail=$((xfail+x)); skip=$((skip+s))
  done
done
[ $broken -eq 0 ] || echo "figures: $broken step(s) broke (see above)" >&2
echo "claims ($mode): $xfail xfail, $skip skipped"
echo "claims: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $broken -eq 0 ]
