#!/usr/bin/env bash
# Writes reports/P.md from papers/P/report.md.in, the claims data/P/*.claims.tsv, the data headers and the timing;
# `report.sh --index` writes reports/index.md from the reports present.
# Placeholders, each alone on its line in report.md.in:
#   @VERDICT@           verdict line: counts of PASS / FAIL / XFAIL / SKIP
#   @CLAIMS figN@       the claims table of one figure program
#   @FIGURE figN@       the figure image(s): figures/P/figN.png and any figures/P/figN_*.png
#   @PROVENANCE@        commit, mode, compiler, libraries, and every data file's `#` header
#   @RUNTIME@           wall time per figure program
set -u
top=$(cd "$(dirname "$0")/.." && pwd); cd "$top"

md_escape() { sed -e 's/|/\\|/g'; }

if [ "${1:-}" = "--index" ]; then
  out=reports/index.md; tmp=$out.tmp.$$
  {
    echo "# Validation reports"
    echo
    echo "One report per paper: every figure's claims checked against theory, with the figures and provenance."
    echo "Regenerate with \`make figures\` (or \`make paper P=NAME\`); the paper-fidelity runs (\`MODE=full\`) are in"
    echo "\`full/\`, with their figures in \`figures/full/\`."
    echo
    echo "| paper | report | figures run | claims passed | failed | xfail | skipped | mode | commit |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for r in reports/*.md reports/full/*.md; do
      [ -f "$r" ] && [ "$r" != reports/index.md ] || continue
      p=$(basename "$r" .md); rel=${r#reports/}
      line=$(grep -m1 '^<!-- counts ' "$r" || true)
      read -r _ _ pa fa xa sa mo co fr ft _ <<<"$line"
      [ "${fr:-}" = "-->" ] && fr=""
      echo "| $p | [$rel]($rel) | ${fr:-?} of ${ft:-?} | ${pa:-?} | ${fa:-?} | ${xa:-?} | ${sa:-?} | ${mo:-?} | ${co:-?} |"
    done
    echo
    echo "Totals (default mode): $(cat reports/*.md | grep '^<!-- counts ' | awk '{p+=$3; f+=$4} END{print p+0 " passed, " f+0 " failed"}')"
  } > "$tmp" && mv "$tmp" "$out"
  exit 0
fi

p=$1; mode=$2
in=papers/$p/report.md.in
[ -f "$in" ] || { echo "report: $in is missing" >&2; exit 1; }
# MODE=full reads data/full/P and figures/full/P and writes reports/full/P.md (see figures.sh)
root=""; up="../"; [ "$mode" = full ] && { root="full/"; up="../../"; }
dd=data/$root$p; fd=figures/$root$p
out=reports/$root$p.md; tmp=$out.tmp.$$
mkdir -p "reports/$root"
# The commit the data were built from (every data header records the binary's `git describe`).
commit=$(cat $dd/*.tsv 2>/dev/null | sed -n 's/^# git=//p' | sort -u | paste -sd, -)
[ -n "$commit" ] || commit=$(git describe --always --dirty --tags 2>/dev/null || echo unknown)
# figure programs of the paper, and those whose claims are present (a full-mode paper may be run figure by figure)
nfig=$(ls papers/$p/fig*.c 2>/dev/null | wc -l); nrun=$(ls $dd/*.claims.tsv 2>/dev/null | wc -l)
read -r np nf nx ns < <(cat $dd/*.claims.tsv 2>/dev/null | awk -F'\t' '$1!="id"{n[$8]++} END{print n["PASS"]+0, n["FAIL"]+0, n["XFAIL"]+0, n["SKIP"]+0}')

claims_table() { # $1 = figure
  local c=$dd/$1.claims.tsv
  if [ ! -f "$c" ]; then echo "_No claims file for $1 (the program did not run in this build)._"; return; fi
  echo "| id | where | statement | expected (source) | measured | tolerance rule | verdict |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' 'NR>1{
      for (i = 1; i <= NF; i++) gsub(/\|/, "\\|", $i);
      v=$8; if (v=="FAIL") v="**FAIL**"; if ($9!="") v=v " — " $9;
      e = ($4 == "" && $5 == "") ? "—" : ($5 == "" ? $4 : $4 " (" $5 ")");
      m = ($6 == "") ? "—" : $6; r = ($7 == "") ? "—" : $7;
      printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,e,m,r,v }' "$c"
}

figure_links() { # $1 = figure
  for png in $fd/$1.png $fd/$1_*.png; do
    [ -f "$png" ] || continue
    local b=$(basename "$png" .png)
    echo "![${b}](${up}$png)"
    echo
    echo "[${b}.pdf](${up}$fd/$b.pdf) · data: \`$dd/${b%%_*}*.tsv\` · program: [\`papers/$p/${1}.c\`](${up}papers/$p/$1.c) · plot: [\`papers/$p/$1.gp\`](${up}papers/$p/$1.gp)"
    echo
  done
}

provenance() {
  echo "- commit: \`$commit\`; mode: \`$mode\`; date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- compiler: \`$(${CC:-cc} --version | head -1)\`; GSL $(pkg-config --modversion gsl 2>/dev/null), LAPACKE $(pkg-config --modversion lapacke 2>/dev/null), OpenBLAS $(pkg-config --modversion openblas 2>/dev/null), gnuplot $(gnuplot --version | awk '{print $2}')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo
  for d in $dd/*.tsv; do
    case "$d" in *.claims.tsv|*/timing.tsv) continue;; esac
    echo "<details><summary><code>$d</code></summary>"
    echo
    echo '```'
    grep '^#' "$d"
    echo '```'
    echo "</details>"
  done
}

runtime() {
  [ -f $dd/timing.tsv ] || { echo "_no timing recorded_"; return; }
  echo "| figure program | wall time (s) | mode | load average when it finished ($(nproc) cores) |"
  echo "|---|---|---|---|"
  awk -F'\t' 'NR>1{printf "| %s | %s | %s | %s |\n", $1, $2, $3, ($4 == "" ? "—" : $4)}' $dd/timing.tsv
  awk -F'\t' 'NR>1{w+=$2} END{printf "\nTotal: %.0f s (%.1f min) of wall time.\n", w, w/60}' $dd/timing.tsv
}

{
  while IFS= read -r line; do
    case "$line" in
      "@VERDICT@")
        if [ "$nf" -eq 0 ]; then v="**Verdict: every checked claim holds**"; else v="**Verdict: $nf claim(s) FAIL**"; fi
        partial=""; [ "$nrun" -lt "$nfig" ] && partial=" Figure programs run: $nrun of $nfig (the others are marked below)."
        echo "$v — $np passed, $nf failed, $nx xfail (explained disagreements), $ns skipped in mode \`$mode\` (commit \`$commit\`).$partial"
        echo "<!-- counts $np $nf $nx $ns $mode $commit $nrun $nfig -->";;
      "@CLAIMS "*) f=${line#@CLAIMS }; claims_table "${f%@}";;
      "@FIGURE "*) f=${line#@FIGURE }; figure_links "${f%@}";;
      "@PROVENANCE@") provenance;;
      "@RUNTIME@") runtime;;
      *) printf '%s\n' "${line//"](../"/"](${up}"}";; # prose links are written relative to reports/
    esac
  done < "$in"
} > "$tmp" && mv "$tmp" "$out" || { rm -f "$tmp"; echo "report: could not write $out" >&2; exit 1; }
echo "report: $out ($np passed, $nf failed, $nx xfail, $ns skipped)"
