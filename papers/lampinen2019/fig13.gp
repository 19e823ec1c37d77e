# Lampinen & Ganguli 2019, Fig. 13: varying the number of examples P (data from bin/lampinen2019/fig13).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig13.gp
#   fig13.png / fig13.pdf  (a) ln eps_test(t) at svm = 3 for several P: TA (points) and eq. (27) (lines);
#                          (b) optimal ln eps_test vs P; (c) ln eps_test at the end of training vs P;
#                          (d) optimal ln eps_test with Gaussian inputs (matrix GD) vs orthonormal inputs
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
f = datadir.'/fig13.tsv'
fc = datadir.'/fig13_curves.tsv'
fd = datadir.'/fig13_d.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig13.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c ."))
if (nr < 2) { print "fig13.gp: ".f." has too few rows"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
Ps = system("grep -v '^#' ".f." | awk 'NR>1 && $1==2 {printf \"%s \", $2}'")
nP = words(Ps)
colors = '#440154 #31688e #35b779 #d8a800 #d62728'
svcol = '#440154 #31688e #35b779'
set grid lc rgb '#dddddd'
okp(j) = ($1==3 && $2==word(Ps,j)+0)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1900,480 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 12.5in,3.2in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig13.'.fmt
  set multiplot layout 1,4 title 'Lampinen and Ganguli 2019, Fig. 13 — varying P, N_1 = N_3 = hidden = 100, rank 1, TA, orthonormal inputs ('.mode.' mode)' font ',12'
  set title '(a) learning curves, s̄ = 3'
  set xlabel 't/τ'
  set ylabel 'ln ε_{test}'
  set key top left box opaque font ',9'
  set yrange [-3:3]
  plot for [j=1:nP:2] fc u (okp(j) ? $3 : 1/0):(okp(j) ? $4 : 1/0) every 5 w p pt 7 ps 0.5 lc rgb word(colors,(j+1)/2) t 'P = '.word(Ps,j), \
       for [j=1:nP:2] fc u (okp(j) ? $3 : 1/0):(okp(j) ? $6 : 1/0) w l lw 2 lc rgb word(colors,(j+1)/2) notitle
  set title '(b) optimal test error'
  set xlabel 'P'
  set ylabel 'min_t ln ε_{test}'
  set yrange [*:*]
  set key bottom left box opaque font ',10'
  plot for [k=0:2] f index k u 2:3:(1.96*$4) w yerr pt 7 ps 0.7 lc rgb word(svcol,k+1) t 's̄ = '.(k+2), \
       for [k=0:2] f index k u 2:8 w l lw 1.5 lc rgb word(svcol,k+1) notitle
  set title '(c) test error at t = 10τ'
  set ylabel 'ln ε_{test}(t_{end})'
  set key top right box opaque font ',10'
  plot for [k=0:2] f index k u 2:6:(1.96*$7) w yerr pt 7 ps 0.7 lc rgb word(svcol,k+1) t 's̄ = '.(k+2), \
       for [k=0:2] f index k u 2:10 w l lw 1.5 lc rgb word(svcol,k+1) notitle
  set title '(d) Gaussian vs orthonormal inputs'
  set xrange [0:220]
  set ylabel 'min_t ln ε_{test}'
  set key bottom left box opaque font ',10'
  plot fd u 2:3:(1.96*$4) w yerr pt 5 ps 0.8 lc rgb '#d62728' t 'Gaussian X (matrix GD)', \
       fd u 2:($7 >= 0 ? $6 : 1/0):(1.96*$7) w yerr pt 7 ps 0.8 lc rgb '#31688e' t 'orthonormal X (TA)'
  unset multiplot
  unset output
}
