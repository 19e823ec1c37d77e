# Lampinen & Ganguli 2019, Fig. 3: Nl = 3 learning curves, theory vs TA vs random init (data from bin/lampinen2019/fig3).
# Called as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig3.gp
#   fig3.png / fig3.pdf  row 1 rank 1 (a-d), row 2 rank 3 (e-h): (a,e) ln eps_train, (b,f) ln eps_test against t/tau at
#   svm = 2, 4, 8 (lines: theory eqs. 14-15; dashed: TA mean over seeds; dotted: random init mean); (c,g) min_t ln
#   eps_test and (d,h) t_opt/tau against svm (TA, random, theory)
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
cur = datadir.'/fig3_curves.tsv'
opt = datadir.'/fig3_opt.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig3.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".cur." | grep -c '^[0-9]'"))
if (nrows < 100) { print sprintf("fig3.gp: %s has %d rows", cur, nrows); exit status 1 }
nopt = int(system("grep -v '^#' ".opt." | grep -c '^[0-9]'"))
if (nopt < 2) { print sprintf("fig3.gp: %s has %d rows", opt, nopt); exit status 1 }
mode = system("grep -m1 '^# mode=' ".cur." | cut -d= -f2")

# svm -> colour (2: blue, 4: orange, 8: green; others grey)
col(s) = (s == 2 ? 0x1f77b4 : s == 4 ? 0xff7f0e : s == 8 ? 0x2ca02c : 0x7f7f7f)
sel(r, s, rr, ss) = (r == rr && s == ss)
tmax = 5

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1600,800 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 13in,6.5in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig3.'.fmt
  set multiplot layout 2,4 title sprintf("Lampinen and Ganguli 2019, Fig. 3 — Nl = 3, N1 = 100, N3 = 50, hidden 50 (%s mode); lines: theory, dashed: TA, dotted: random init", mode) font ',12'
  set grid lc rgb '#dddddd'
  do for [ri=0:1] {
    R = (ri == 0 ? 1 : 3)
    # (a)/(e) training error
    set xrange [0:tmax]; set yrange [*:*]
    set xlabel 't/τ'; set ylabel 'ln ε_{train}'
    set key bottom left font ',9'
    set title sprintf('(%s) rank %d: training error', ri == 0 ? 'a' : 'e', R)
    plot for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):4 w l lw 2 lc rgb col(s+0) t 'svm='.s, \
         for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):6 w l lw 2 dt 2 lc rgb col(s+0) notitle, \
         for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):10 w l lw 1.5 dt 3 lc rgb col(s+0) notitle
    # (b)/(f) test error
    set ylabel 'ln ε_{test}'
    set title sprintf('(%s) rank %d: test error', ri == 0 ? 'b' : 'f', R)
    plot for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):5 w l lw 2 lc rgb col(s+0) t 'svm='.s, \
         for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):8 w l lw 2 dt 2 lc rgb col(s+0) notitle, \
         for [s in "2 4 8"] cur u ($1 == R && $2 == s+0 ? $3 : 1/0):11 w l lw 1.5 dt 3 lc rgb col(s+0) notitle
    # (c)/(g) minimum test error
    set xrange [0:9]; set xlabel 'svm (smallest teacher singular value)'
    set ylabel 'min_t ln ε_{test}'
    set key top right
    set title sprintf('(%s) rank %d: minimum test error', ri == 0 ? 'c' : 'g', R)
    plot opt u ($1 == R ? $2 : 1/0):3 w l lw 2 lc rgb 'black' t 'theory', \
         opt u ($1 == R ? $2 : 1/0):5:6 w yerrorbars pt 7 ps 0.8 lc rgb '#1f77b4' t 'TA', \
         opt u ($1 == R ? $2+0.1 : 1/0):9:10 w yerrorbars pt 5 ps 0.8 lc rgb '#d62728' t 'random'
    # (d)/(h) optimal stopping time
    set ylabel 't_{opt}/τ'
    set yrange [0:*]
    set title sprintf('(%s) rank %d: optimal stopping time', ri == 0 ? 'd' : 'h', R)
    plot opt u ($1 == R ? $2 : 1/0):4 w l lw 2 lc rgb 'black' t 'theory', \
         opt u ($1 == R ? $2 : 1/0):7:8 w yerrorbars pt 7 ps 0.8 lc rgb '#1f77b4' t 'TA', \
         opt u ($1 == R ? $2+0.1 : 1/0):11:12 w yerrorbars pt 5 ps 0.8 lc rgb '#d62728' t 'random'
    set yrange [*:*]
  }
  unset multiplot
  unset output
}
