# Lampinen & Ganguli 2019, Fig. 4: Nl = 5 learning curves, theory vs TA vs random init (data from bin/lampinen2019/fig4).
# Called as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig4.gp
#   fig4.png / fig4.pdf  row 1 rank 1 (a-d), row 2 rank 3 (e-h): (a,e) ln eps_train, (b,f) ln eps_test against t/tau at
#   svm = 2, 4, 8 (lines: theory, dashed: TA mean over seeds); (c,g) min_t ln eps_test and (d,h) t_opt/tau against svm
#   (TA, random init where run, theory)
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
cur = datadir.'/fig4_curves.tsv'
thy = datadir.'/fig4_theory.tsv'
opt = datadir.'/fig4_opt.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig4.gp: font 'DejaVu Sans' not found"; exit status 1 }
do for [f in cur.' '.thy.' '.opt] {
  nr = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
  if (nr < 2) { print sprintf("fig4.gp: %s has %d rows", f, nr); exit status 1 }
}
mode = system("grep -m1 '^# mode=' ".cur." | cut -d= -f2")
col(s) = (s == 2 ? 0x1f77b4 : s == 4 ? 0xff7f0e : s == 8 ? 0x2ca02c : 0x7f7f7f)
stats cur u 3 nooutput
tmax = STATS_max

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1600,800 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 13in,6.5in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig4.'.fmt
  set multiplot layout 2,4 title sprintf("Lampinen and Ganguli 2019, Fig. 4 — Nl = 5 (three hidden layers of 50), N1 = 100, N3 = 50 (%s mode); lines: theory, dashed: TA", mode) font ',12'
  set grid lc rgb '#dddddd'
  do for [ri=0:1] {
    R = (ri == 0 ? 1 : 3)
    set xrange [0:tmax]; set yrange [*:*]
    set xlabel 't/τ'; set ylabel 'ln ε_{train}'
    set key bottom left font ',9'
    set title sprintf('(%s) rank %d: training error', ri == 0 ? 'a' : 'e', R)
    plot for [s in "2 4 8"] thy u ($1 == R && $2 == s+0 ? $3 : 1/0):4 w l lw 2 lc rgb col(s+0) t 'svm='.s, \
         for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):4 w l lw 2 dt 2 lc rgb col(s+0) notitle
    set ylabel 'ln ε_{test}'
    set title sprintf('(%s) rank %d: test error', ri == 0 ? 'b' : 'f', R)
    plot for [s in "2 4 8"] thy u ($1 == R && $2 == s+0 ? $3 : 1/0):5 w l lw 2 lc rgb col(s+0) t 'svm='.s, \
         for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):6 w l lw 2 dt 2 lc rgb col(s+0) notitle
    set xrange [0:9]; set xlabel 'svm (smallest teacher singular value)'
    set ylabel 'min_t ln ε_{test}'
    set key top right
    set title sprintf('(%s) rank %d: minimum test error', ri == 0 ? 'c' : 'g', R)
    plot opt u ($1 == R ? $2 : 1/0):3 w l lw 2 lc rgb 'black' t 'theory', \
         opt u ($1 == R ? $2 : 1/0):5:6 w yerrorbars pt 7 ps 0.8 lc rgb '#1f77b4' t 'TA', \
         opt u ($1 == R && $20 > 0 ? $2+0.1 : 1/0):9 w p pt 5 ps 0.9 lc rgb '#d62728' t 'random'
    set ylabel 't_{opt}/τ'
    set yrange [0:*]
    set title sprintf('(%s) rank %d: optimal stopping time', ri == 0 ? 'd' : 'h', R)
    plot opt u ($1 == R ? $2 : 1/0):4 w l lw 2 lc rgb 'black' t 'theory', \
         opt u ($1 == R ? $2 : 1/0):7:8 w yerrorbars pt 7 ps 0.8 lc rgb '#1f77b4' t 'TA', \
         opt u ($1 == R && $20 > 0 ? $2+0.1 : 1/0):11 w p pt 5 ps 0.9 lc rgb '#d62728' t 'random'
    set yrange [*:*]
  }
  unset multiplot
  unset output
}
