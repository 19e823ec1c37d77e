# Goldt et al. 2020, figure S4: eps* against K for ReLU networks (data from bin/goldt2020/figS4).
# Called as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" figS4.gp
#   figS4.png         SCM (blue), both layers (green), normalised SCM (orange): SGD mean over the runs with one-std
#                     error bars (the paper's convention), and the weighted line fit of the SCM
#   figS4_curves.png  learning curves of run 0 at the smallest and largest K for every variant (averaging window: dots)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
sgd    = datadir.'/figS4_sgd.tsv'
curves = datadir.'/figS4_curves.tsv'
system('mkdir -p '.outdir)

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "figS4.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".sgd." | grep -c '^[0-9]'"))
if (nrows < 2) { print sprintf("figS4.gp: %s has %d rows, expected >= 2", sgd, nrows); exit status 1 }

# figS4_sgd.tsv columns: K, then per variant (scm, both, norm) 7 columns: mean sd se vsq drift drift_se burn
c(v) = 2 + 7*v
blue = '#1f77b4'; green = '#2ca02c'; orange = '#ff7f0e'
eta  = system("grep -m1 '^# eta=' ".sgd." | sed 's/^# eta=\\([^ ]*\\).*/\\1/'")
mode = system("grep -m1 '^# mode=' ".sgd." | cut -d= -f2")
fitl = system("grep -m1 '^# scm=' ".sgd." | sed 's/.*= \\([^ ]*\\) + \\([^ ]*\\) K.*/\\1 \\2/'")
fa = real(word(fitl, 1)); fb = real(word(fitl, 2))

stats sgd u 1 nooutput
kmin = STATS_min; kmax = STATS_max

set grid lc rgb '#dddddd'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 960,680 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.4in,4.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/figS4.'.fmt
  set title sprintf('Goldt et al. 2020, Fig. S4 — ReLU, N=100, M=4, v^*=1, η=%s, σ=0.01 (%s mode)', eta, mode) font ',12'
  set xlabel 'K (student hidden units)'
  set ylabel 'ε^*_g / σ^2'
  set logscale y
  set format y '10^{%L}'
  set xrange [kmin-0.5:kmax+0.5]
  set key top center box opaque font ',10' spacing 1.1
  plot sgd u 1:(column(c(0))/1e-4):(column(c(0)+1)/1e-4) w yerrorbars pt 7 ps 1.0 lc rgb blue t 'SCM (v=v^*=1): SGD', \
       [kmin:kmax] fa + fb*x w l lw 1.5 dt 2 lc rgb blue t 'SCM: weighted line fit', \
       sgd u 1:(column(c(1))/1e-4):(column(c(1)+1)/1e-4) w yerrorbars pt 5 ps 1.0 lc rgb green t 'both layers, w, v ∼ N(0,1/N): SGD', \
       sgd u 1:(column(c(2))/1e-4):(column(c(2)+1)/1e-4) w yerrorbars pt 9 ps 1.2 lc rgb orange t 'normalised SCM (v^*=1/M, v=1/K): SGD'
  unset output

  set output outdir.'/figS4_curves.'.fmt
  set title 'Fig. S4 runs: ε_g(α) of run 0 at the smallest and largest K (dots: averaging window)' font ',12'
  set logscale x
  set format x '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g'
  set xrange [*:*]
  set key top right
  plot for [v=0:2] curves u (($1==v && $2==kmin) ? $3 : 1/0):4 w l lw 1 \
         lc rgb word(blue.' '.green.' '.orange, v+1) t word('SCM both-layers normalised-SCM', v+1).sprintf(' K=%d', kmin), \
       for [v=0:2] curves u (($1==v && $2==kmax) ? $3 : 1/0):4 w l lw 1 dt 2 \
         lc rgb word(blue.' '.green.' '.orange, v+1) t word('SCM both-layers normalised-SCM', v+1).sprintf(' K=%d', kmax), \
       for [v=0:2] curves u (($1==v && ($2==kmin || $2==kmax) && $5==1) ? $3 : 1/0):4 w p pt 7 ps 0.25 \
         lc rgb word(blue.' '.green.' '.orange, v+1) notitle
  unset output
  unset logscale x
  set format x '%g'
}
