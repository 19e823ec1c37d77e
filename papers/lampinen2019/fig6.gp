# Lampinen & Ganguli 2019, Fig. 6: structured vs randomised data (data from bin/lampinen2019/fig6).
# Called as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig6.gp
#   fig6.png / fig6.pdf  (a) singular values of Sigma31, structured (top) and randomised (bottom), histograms against the
#   MP densities of eq. (13) (scaled by sigma_z = 1 and sigma_r = sqrt 29); (b) ln eps_train against t/tau
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
sp = datadir.'/fig6_spectrum.tsv'
mp = datadir.'/fig6_mp.tsv'
cu = datadir.'/fig6_curves.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig6.gp: font 'DejaVu Sans' not found"; exit status 1 }
do for [f in sp.' '.mp.' '.cu] {
  nr = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
  if (nr < 10) { print sprintf("fig6.gp: %s has %d rows", f, nr); exit status 1 }
}
bw = 0.25
bin(x) = bw * (floor(x / bw) + 0.5)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1400,600 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 11in,4.7in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig6.'.fmt
  set multiplot title "Lampinen and Ganguli 2019, Fig. 6 — structured (rank 3, svm = 10) vs randomised data, N1 = 100, N3 = 50, hidden 50" font ',12'
  set grid lc rgb '#dddddd'
  set style fill solid 0.5 border -1
  set boxwidth bw absolute
  set key top right font ',9'
  set size 0.5, 0.46; set origin 0, 0.47
  set title '(a) singular values of Σ_{31}: structured'
  set xrange [0:32]; set yrange [0:*]
  set ylabel 'count per bin'; unset xlabel
  plot sp u (bin($2)):(1) smooth freq w boxes lc rgb '#1f77b4' t sprintf('data (bin %.2f)', bw), \
       mp u 1:($2*bw) w l lw 2 lc rgb 'black' t 'MP bulk, eq. (13)', \
       sp u ($3 > 0 ? $3 : 1/0):(1) w impulses lw 3 lc rgb '#d62728' t 'eq. (11) outliers'
  set size 0.5, 0.46; set origin 0, 0.0
  set title 'randomised labels (σ_r = √29)'
  set xlabel 'singular value'
  plot sp u (bin($4)):(1) smooth freq w boxes lc rgb '#ff7f0e' t 'data', \
       mp u 1:($3*bw) w l lw 2 lc rgb 'black' t 'stretched MP, [1.577, 9.193]'
  set size 0.5, 0.93; set origin 0.5, 0.0
  set title '(b) training error'
  set xrange [0:2]; set yrange [*:*]
  set xlabel 't/τ'; set ylabel 'ln ε_{train}'
  set key bottom left
  plot cu u 1:2 w l lw 2 lc rgb '#1f77b4' t 'structured (random init)', \
       cu u 1:3 w l lw 2 lc rgb '#ff7f0e' t 'randomised (random init)', \
       cu u 1:4 w l lw 1.5 dt 2 lc rgb '#1f77b4' t 'structured (TA)', \
       cu u 1:5 w l lw 1.5 dt 2 lc rgb '#ff7f0e' t 'randomised (TA)', \
       log(0.5) w l lw 1 dt 3 lc rgb 'grey' t 'ε = 0.5'
  unset multiplot
  unset output
}
