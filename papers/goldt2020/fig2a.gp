# Goldt et al. 2020, figure 2a: eps*/sigma^2 against L (data from bin/goldt2020/fig2a).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig2a.gp
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
theory = datadir.'/fig2a_theory.tsv'
ode    = datadir.'/fig2a_ode.tsv'
sgd    = datadir.'/fig2a_sgd.tsv'
curves = datadir.'/fig2a_curves.tsv'

set style line 1 lc rgb '#1f77b4' lw 2          # erf
set style line 2 lc rgb '#d62728' lw 2 dt 2     # linear
set style line 3 lc rgb '#1f77b4' lw 1 dt 3     # eq. 11
set key top left box opaque font ',10'
set xlabel 'L = K - M'
set ylabel 'ε^* / σ^2'
set grid lc rgb '#dddddd'
set xrange [-0.3:*]
set yrange [0:*]

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,640 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,4.3in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig2a.'.fmt
  set title 'Goldt et al. 2020, Fig. 2a — N=784, M=2, η=0.05, σ=0.01' font ',12'
  plot theory u 1:2 w l ls 1 t 'erf: eq. (10)', \
       theory u 1:3 w l ls 3 t 'erf: eq. (11), small η', \
       theory u 1:4 w l ls 2 t 'linear: eq. (12)', \
       ode u 1:3 w p pt 2 ps 1.6 lc rgb '#1f77b4' t 'erf: ODE fixed point', \
       ode u 1:7 w p pt 2 ps 1.6 lc rgb '#d62728' t 'linear: ODE fixed point', \
       sgd u 1:2 w p pt 6 ps 1.3 lc rgb '#1f77b4' t 'erf: SGD, mean over last decade of α', \
       sgd u 1:3 w p pt 1 ps 1.3 lc rgb '#17becf' t 'erf: ODE from the same start, same α', \
       sgd u 1:6 w p pt 4 ps 1.3 lc rgb '#d62728' t 'linear: SGD, mean over last decade of α'
  unset output
}

# Supplementary panel: every SGD learning curve against its ODE twin.
set logscale xy
set format y '10^{%L}'
set xlabel 'α'
set ylabel 'ε_g'
set key top right
set xrange [*:*]
set yrange [*:*]
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,640 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,4.3in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig2a_curves.'.fmt
  set title 'Fig. 2a runs: SGD (points) and ODE from the same initial overlaps (lines), erf' font ',12'
  plot for [L=0:8:2] curves u (($1==0 && $2==L) ? $3 : 1/0):4 w p pt 7 ps 0.4 lc L t sprintf('L=%d', L), \
       for [L=0:8:2] curves u (($1==0 && $2==L) ? $3 : 1/0):5 w l lw 1.5 lc L notitle
  unset output
}
