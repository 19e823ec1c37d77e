# Veiga et al. 2022, figure 3: the blue line kappa = delta = 0: SGD (markers: seed mean +- SE) and ODE (lines) for
# four Delta (data from bin/veiga2022/fig3).  x = nu/d, y = R - Delta/2, log-log.
# Called as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig3.gp  ->  fig3.png, fig3.pdf
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig3.gp: font 'DejaVu Sans' not found"; exit status 1 }
ode = datadir.'/fig3.tsv'; sim = datadir.'/fig3_sim.tsv'
do for [g in ode.' '.sim] { n = int(system("grep -v '^#' ".g." | tail -n +2 | grep -c .")); if (n < 4) { print "fig3.gp: ".g." is empty"; exit status 1 } }
mode = system("grep -m1 '^# mode=' ".sim." | cut -d= -f2")
d = system("grep -m1 '^# d=' ".sim." | cut -d= -f2")
seeds = system("grep -m1 '^# seeds_per_Delta=' ".sim." | cut -d= -f2")
Ds = '0.01 0.001 0.0001 0'
Dl = '10^{-2} 10^{-3} 10^{-4} 0'
cols = '#d62728 #1f77b4 #2ca02c #7f7f7f'
near(a, b) = (b == 0 ? a == 0 : abs(a/b - 1) < 1e-6)
set logscale xy
set format x '10^{%L}'; set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key bottom left box opaque font ',10'
set xlabel 'ν / d'
set ylabel 'R − Δ/2'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,640 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.2in,4.4in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig3.'.fmt
  set title sprintf('Veiga et al. 2022, Fig. 3 — blue line κ=δ=0, γ=8, d=%s, %s seeds (%s mode)', d, seeds, mode) font ',12'
  plot for [i=1:4] ode u (near($1, word(Ds,i)+0) ? $2 : 1/0):3 w l lw 2 lc rgb word(cols,i) t 'ODE, Δ='.word(Dl,i), \
       for [i=1:4] sim u (near($3, word(Ds,i)+0) ? $5 : 1/0):6:7 w yerrorbars pt 7 ps 0.6 lc rgb word(cols,i) t 'SGD, Δ='.word(Dl,i)
  unset output
}
