# Veiga et al. 2022, figure 4 (green region, kappa = 0, delta = 1/2), panels a and b side by side
# (data from bin/veiga2022/fig4).  Called as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig4.gp
#   (a) SGD seed means (markers) at the panel-a d values, Delta = 1e-3, with the green ODE (black line); x = nu/d^(1+delta)
#   (b) R_inf against d for three Delta: filled = tail mean (t >= t_max/2), open = excess over the ODE; lines = OLS fits
#       of the excess (slope and SE in the key; theory: -delta).
if (!exists("name")) name = 'fig4'
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print name.".gp: font 'DejaVu Sans' not found"; exit status 1 }
ode = datadir.'/'.name.'.tsv'; sim = datadir.'/'.name.'_sim.tsv'; rinf = datadir.'/'.name.'_rinf.tsv'; fit = datadir.'/'.name.'_fit.tsv'
do for [g in ode.' '.sim.' '.rinf] { n = int(system("grep -v '^#' ".g." | tail -n +2 | grep -c .")); if (n < 2) { print name.".gp: ".g." is empty"; exit status 1 } }
mode = system("grep -m1 '^# mode=' ".sim." | cut -d= -f2")
delta = system("grep -m1 '^# delta=' ".sim." | cut -d= -f2")
seeds = system("grep -m1 '^# seeds_per_point=' ".sim." | cut -d= -f2")
da = system("grep -m1 '^# d_panel_a=' ".sim." | cut -d= -f2 | tr , ' '")
nfit = int(system("grep -v '^#' ".fit." | tail -n +2 | grep -c ."))
fitv(D, col) = real(system(sprintf("grep -v '^#' %s | tail -n +2 | awk -F'\t' '$1 == %s {print $%d}'", fit, D, col)))
Ds = '0.0001 0.001 0.01'
Dl = '10^{-4} 10^{-3} 10^{-2}'
cols = '#2ca02c #1f77b4 #d62728'
acols = '#9467bd #1f77b4 #ff7f0e #8c564b'
near(a, b) = abs(a/b - 1) < 1e-6
set grid lc rgb '#dddddd'
set logscale xy
set format x '10^{%L}'; set format y '10^{%L}'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1400,600 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 10in,4.3in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/'.name.'.'.fmt
  set multiplot layout 1,2 title sprintf('Veiga et al. 2022, Fig. %s — green region κ=0, δ=%s, γ=8 d^{−δ}, %s seeds per point (%s mode)', substr(name,4,4), delta, seeds, mode) font ',12'
  set title '(a) SGD and the green ODE, Δ=10^{-3}'
  set xlabel 'ν / d^{1+δ}'
  set ylabel 'R − Δ/2'
  set key bottom left box opaque font ',10'
  plot ode u 1:2 w l lw 2.5 lc rgb 'black' t 'green ODE', \
       for [i=1:words(da)] sim u (($2 == word(da,i)+0 && near($3, 0.001)) ? $5 : 1/0):6:7 w yerrorbars pt 7 ps 0.6 lc rgb word(acols,i) t 'SGD, d='.word(da,i)
  set title '(b) R_∞ against d'
  set xlabel 'd'
  set ylabel 'R_∞ − Δ/2'
  set key top right box opaque font ',9'
  set offsets 0, 0, graph 0.55, 0   # room for the key above the data
  if (nfit > 0) {
    plot for [i=1:3] rinf u (near($1, word(Ds,i)+0) ? $2 : 1/0):3:4 w yerrorbars pt 7 ps 0.8 lc rgb word(cols,i) t 'tail mean, Δ='.word(Dl,i), \
         for [i=1:3] rinf u (near($1, word(Ds,i)+0) && $7 > 0 ? $2 : 1/0):7:8 w yerrorbars pt 6 ps 1.0 lc rgb word(cols,i) t 'excess over ODE', \
         for [i=1:3] exp(fitv(word(Ds,i), 4)) * x**fitv(word(Ds,i), 2) w l lw 1.5 lc rgb word(cols,i) t sprintf('fit: slope %.3f ± %.3f', fitv(word(Ds,i), 2), fitv(word(Ds,i), 3))
  } else {
    plot for [i=1:3] rinf u (near($1, word(Ds,i)+0) ? $2 : 1/0):3:4 w yerrorbars pt 7 ps 0.8 lc rgb word(cols,i) t 'tail mean, Δ='.word(Dl,i)
  }
  unset multiplot
  set offsets 0, 0, 0, 0
  unset output
}
