# Goldt et al. 2020, figure 4: eps* against K for linear networks (data from bin/goldt2020/fig4).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig4.gp
#   fig4.png         the paper's figure: SCM (blue), both layers (green), normalised SCM (orange), SGD mean over the
#                    runs with one-std error bars; theory lines and ODE fixed points; both layers with v ~ N(0,1) (grey)
#   fig4_curves.png  learning curves of run 0 at K = 4 and 12 for every variant (the averaging window in bold)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
sgd    = datadir.'/fig4_sgd.tsv'
theory = datadir.'/fig4_theory.tsv'
ode    = datadir.'/fig4_ode.tsv'
curves = datadir.'/fig4_curves.tsv'
system('mkdir -p '.outdir)

# fig4_sgd.tsv columns: K, then per variant (scm, both, norm, both_v1) 8 columns: mean sd se vsq pred drift drift_se burn
c(v) = 2 + 8*v
blue = '#1f77b4'; green = '#2ca02c'; orange = '#ff7f0e'; grey = '#7f7f7f'

stats sgd u 1 nooutput
kmin = STATS_min; kmax = STATS_max

set key top right box opaque font ',10' spacing 1.1
set grid lc rgb '#dddddd'
set logscale y
set format y '10^{%L}'
set mytics 10

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 960,680 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.4in,4.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig4.'.fmt
  set title 'Goldt et al. 2020, Fig. 4 — linear, N=100, M=4, v^*=1, η=0.01, σ=0.01' font ',12'
  set xlabel 'K (student hidden units)'
  set ylabel 'ε^*_g'
  set xrange [kmin-0.5:kmax+0.5]
  set yrange [1e-10:1e-5]
  set key bottom left
  plot theory u 1:2 w l lw 2 lc rgb blue t 'SCM: eq. (12)', \
       ode u 1:2 w p pt 2 ps 1.8 lc rgb blue t 'SCM: ODE fixed point', \
       sgd u 1:c(0):c(0)+1 w yerrorbars pt 7 ps 1.0 lc rgb blue t 'SCM (v=v^*=1): SGD', \
       sgd u 1:c(1):c(1)+1 w yerrorbars pt 5 ps 1.0 lc rgb green t 'both layers, w, v ∼ N(0,1/N): SGD', \
       sgd u 1:c(1)+4 w l lw 1 dt 2 lc rgb green t 'both layers: ησ^2V/(4−2ηV), V = Σv_k^2 at the end', \
       sgd u 1:c(3):c(3)+1 w yerrorbars pt 4 ps 1.0 lc rgb grey t 'both layers, v ∼ N(0,1): SGD', \
       theory u 1:3 w l lw 2 lc rgb orange t 'normalised SCM: ησ^2/(4K−2η)', \
       ode u 1:4 w p pt 2 ps 1.8 lc rgb orange t 'normalised SCM: ODE fixed point', \
       sgd u 1:c(2):c(2)+1 w yerrorbars pt 9 ps 1.2 lc rgb orange t 'normalised SCM (v^*=1/M, v=1/K): SGD'
  unset output

  set output outdir.'/fig4_curves.'.fmt
  set title 'Fig. 4 runs: ε_g(α) of run 0 at the smallest and largest K (bold: averaging window)' font ',12'
  set logscale x
  set format x '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g'
  set xrange [*:*]
  set yrange [*:*]
  set key top right
  plot for [v=0:3] curves u (($1==v && $2==kmin) ? $3 : 1/0):4 w l lw 1 \
         lc rgb word(blue.' '.green.' '.orange.' '.grey, v+1) \
         t word('SCM both-layers normalised-SCM both-layers,v∼N(0,1)', v+1).sprintf(' K=%d', kmin), \
       for [v=0:3] curves u (($1==v && $2==kmax) ? $3 : 1/0):4 w l lw 1 dt 2 \
         lc rgb word(blue.' '.green.' '.orange.' '.grey, v+1) \
         t word('SCM both-layers normalised-SCM both-layers,v∼N(0,1)', v+1).sprintf(' K=%d', kmax), \
       for [v=0:3] curves u (($1==v && ($2==kmin || $2==kmax) && $5==1) ? $3 : 1/0):4 w p pt 7 ps 0.25 \
         lc rgb word(blue.' '.green.' '.orange.' '.grey, v+1) notitle
  unset output
  unset logscale x
  set format x '%g'
}
