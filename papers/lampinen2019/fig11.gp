# Lampinen & Ganguli 2019, Fig. 11: optimal (early-stopped) ln test error of TA gradient descent vs SNR, with the
# line ln(1 - O^2) of eq. (16) (data from bin/lampinen2019/fig11).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig11.gp
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
f = datadir.'/fig11.tsv'
ft = datadir.'/fig11_theory.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig11.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c ."))
if (nr < 2) { print "fig11.gp: ".f." has too few rows"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
set grid lc rgb '#dddddd'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 760,540 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 5in,3.6in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig11.'.fmt
  set title "Lampinen and Ganguli 2019, Fig. 11 — optimal test error vs SNR\n(N_1 = 100, N_3 = 50, rank 1, TA, ".mode." mode)" font ',12'
  set xlabel 'SNR (s̄)'
  set ylabel 'min_t ln ε_{test}'
  set key bottom left box opaque
  set xrange [0:10.5]
  plot ft u 1:2 w l lw 2 lc rgb '#d62728' t 'ln(1 − O^2), eq. (16)', \
       ft u 1:3 w l lw 2 dt 2 lc rgb '#31688e' t 'min_t eq. (15)', \
       f u 1:5:(1.96*$6) w yerr pt 7 ps 1 lc rgb '#000000' t 'TA simulation (mean ± 1.96 SE)', \
       f u 1:8 w p pt 4 ps 1.2 lc rgb '#35b779' t 'plug-in shrinkage, eq. (16) per seed'
  unset output
}
