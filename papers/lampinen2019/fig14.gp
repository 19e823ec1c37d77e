# Lampinen & Ganguli 2019, Fig. 14: students of limited rank (data from bin/lampinen2019/fig14).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig14.gp
#   fig14.png / fig14.pdf  (a) ln eps_test(t) at svm = 4 for hidden 100, 50, 4, 1: TA (points), eq. (15) with R_in
#                          (lines), the authors' whole-bulk version (dashed); (b) optimal ln eps_test vs svm, TA
#                          (filled) and random init (open); (c) the random-initialisation lag t_opt(random) -
#                          t_opt(TA) vs svm (mean +- 1.96 SE over paired seeds, log scale) with the linear-regime
#                          estimate ln(eps/e0)/(2 shat_1) (lines)
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
f = datadir.'/fig14.tsv'
fc = datadir.'/fig14_curves.tsv'
fr = datadir.'/fig14_random.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig14.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c ."))
if (nr < 2) { print "fig14.gp: ".f." has too few rows"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
hids = system("grep -m1 '^# hidden=' ".f." | cut -d= -f2")
colors = '#440154 #31688e #35b779 #d8a800'
S = 4
# rows of hidden size h at svm S (x and y undefined elsewhere, so autoscaling sees only these)
ok(h) = ($1==word(hids,h)+0 && $2==S)
set grid lc rgb '#dddddd'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1800,520 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 12in,3.5in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig14.'.fmt
  set multiplot layout 1,3 title 'Lampinen and Ganguli 2019, Fig. 14 — low-rank students, N_1 = N_3 = 100, rank-1 teacher, TA and random init ('.mode.' mode)' font ',12'
  set title sprintf('(a) learning curves at s̄ = %d', S)
  set xlabel 't/τ'
  set ylabel 'ln ε_{test}'
  set key top left box opaque font ',10'
  plot for [h=1:4] fc u (ok(h) ? $3 : 1/0):(ok(h) ? $4 : 1/0) every 4 w p pt 7 ps 0.5 lc rgb word(colors,h) t 'TA, hidden '.word(hids,h), \
       for [h=1:4] fc u (ok(h) ? $3 : 1/0):(ok(h) ? $6 : 1/0) w l lw 2 lc rgb word(colors,h) notitle, \
       for [h=1:4] fc u (ok(h) ? $3 : 1/0):(ok(h) ? $7 : 1/0) w l lw 1.5 dt 2 lc rgb word(colors,h) notitle, \
       NaN w l lw 2 lc rgb 'black' t 'eq. (15), R_{in}', NaN w l lw 1.5 dt 2 lc rgb 'black' t "authors' whole-bulk line"
  set title '(b) optimal test error'
  set xrange [0.5:10.6]
  set xlabel 's̄'
  set ylabel 'min_t ln ε_{test}'
  set key top right box opaque font ',10'
  plot for [h=0:3] f index h u 2:3:(1.96*$4) w yerr pt 7 ps 0.7 lc rgb word(colors,h+1) t 'TA, hidden '.word(hids,h+1), \
       for [h=0:3] fr index h u ($2+0.15):11:(1.96*$12) w yerr pt 6 ps 0.9 lc rgb word(colors,h+1) notitle, \
       for [h=0:3] f index h u 2:6 w l lw 1.5 lc rgb word(colors,h+1) notitle, \
       NaN w p pt 6 ps 0.9 lc rgb 'black' t 'random init'
  set title '(c) random-initialisation lag'
  set xlabel 's̄'
  set ylabel 't_{opt}(random) − t_{opt}(TA)  [τ]'
  set logscale y
  set yrange [0.02:4]
  set key bottom left box opaque font ',10'
  plot for [h=0:3] fr index h u 2:7:($7-1.96*$8 > 1e-3 ? $7-1.96*$8 : 1e-3):($7+1.96*$8) w yerr pt 7 ps 0.7 lc rgb word(colors,h+1) t 'hidden '.word(hids,h+1), \
       for [h=0:3] fr index h u 2:9 w l lw 1.5 dt 2 lc rgb word(colors,h+1) notitle, \
       NaN w l lw 1.5 dt 2 lc rgb 'black' t 'ln(ε/e_0)/(2ŝ_1)'
  unset logscale y
  set autoscale
  unset multiplot
  unset output
}
