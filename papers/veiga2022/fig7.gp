# Veiga et al. 2022, figure 7: the orange region, kappa = 0, delta = -3/8 (data from bin/veiga2022/fig7).
# x = nu/d^(1/4), y = R - Delta/2; SGD seed means +- SE at three d (markers), the orange ODE (rkf45, black) and the
# authors' Euler at d_discr = 2000 (dashed).  Called as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig7.gp
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig7.gp: font 'DejaVu Sans' not found"; exit status 1 }
ode = datadir.'/fig7.tsv'; sim = datadir.'/fig7_sim.tsv'
do for [g in ode.' '.sim] { n = int(system("grep -v '^#' ".g." | tail -n +2 | grep -c .")); if (n < 2) { print "fig7.gp: ".g." is empty"; exit status 1 } }
mode = system("grep -m1 '^# mode=' ".sim." | cut -d= -f2")
seeds = system("grep -m1 '^# seeds_per_d=' ".sim." | cut -d= -f2")
ds = system("grep -v '^#' ".sim." | tail -n +2 | cut -f2 | sort -n -u | tr '\\n' ' '")
cols = '#ff7f0e #d62728 #8c564b #9467bd'
set logscale xy
set format x '10^{%L}'; set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key top left box opaque font ',10'
set xlabel 'ν / d^{1/4}'
set ylabel 'R − Δ/2'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,640 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.2in,4.4in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig7.'.fmt
  set title sprintf('Veiga et al. 2022, Fig. 7 — orange region κ=0, δ=−3/8, γ=8 d^{3/8}, Δ=10^{-3}, %s seeds (%s mode)', seeds, mode) font ',12'
  plot ode u 1:2 w l lw 2.5 lc rgb 'black' t 'orange ODE (rkf45)', \
       ode u 1:3 w l lw 1.5 dt 2 lc rgb '#555555' t 'Euler, d_{discr}=2000', \
       for [i=1:words(ds)] sim u ($2 == word(ds,i)+0 ? $5 : 1/0):6:7 w yerrorbars pt 7 ps 0.6 lc rgb word(cols,i) t 'SGD, d='.word(ds,i)
  unset output
}
