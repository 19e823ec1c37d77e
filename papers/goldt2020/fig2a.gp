# Goldt et al. 2020, figure 2a: eps*/sigma^2 against L (data from bin/goldt2020/fig2a).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig2a.gp
#   fig2a.png        the paper's figure: theory lines, ODE fixed points, ODE from a random start, SGD (on scale)
#   fig2a_sgd.png    SGD against the ODE started from the same initial overlaps (Theorem 1 check), log scale
#   fig2a_curves.png every erf learning curve, SGD points over ODE lines
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
set grid lc rgb '#dddddd'

# The SGD window [alpha_lo, alpha_hi], read from the data, for the legends.
stats sgd u 10 nooutput
alo = STATS_min
stats sgd u 11 nooutput
ahi = STATS_max
win = sprintf('α ∈ [%.0f, %.0f]', alo, ahi)

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 960,680 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.4in,4.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig2a.'.fmt
  set title 'Goldt et al. 2020, Fig. 2a — N=784, M=2, η=0.05, σ=0.01' font ',12'
  set xlabel 'L = K − M'
  set ylabel 'ε^* / σ^2'
  set xrange [-0.3:8.3]
  set yrange [0:0.18]
  plot theory u 1:2 w l ls 1 t 'erf: eq. (10)', \
       theory u 1:3 w l ls 3 t 'erf: eq. (11), small η', \
       theory u 1:4 w l ls 2 t 'linear: eq. (12)', \
       ode u 1:3 w p pt 2 ps 1.8 lc rgb '#1f77b4' t 'erf: ODE fixed point', \
       ode u 1:8 w p pt 8 ps 1.4 lc rgb '#2ca02c' t 'erf: ODE from a random start, α = 10^6', \
       ode u 1:9 w p pt 2 ps 1.8 lc rgb '#d62728' t 'linear: ODE fixed point', \
       sgd u 1:2 w p pt 6 ps 1.3 lc rgb '#1f77b4' t 'erf: SGD mean over '.win.' (when on scale)', \
       sgd u 1:6 w p pt 4 ps 1.3 lc rgb '#d62728' t 'linear: SGD mean over '.win
  unset output

  set output outdir.'/fig2a_sgd.'.fmt
  set title 'Fig. 2a check: SGD (N=784) vs the ODE from the same initial overlaps, mean over '.win font ',12'
  set logscale y
  set format y '10^{%L}'
  set yrange [*:*]
  set ylabel 'mean ε_g / σ^2 over the window'
  set key bottom right
  plot sgd u 1:2:5 w yerrorbars pt 6 ps 1.3 lc rgb '#1f77b4' t 'erf: SGD (±1 SE of SGD−ODE)', \
       sgd u 1:3 w p pt 2 ps 1.8 lc rgb '#1f77b4' t 'erf: ODE twin', \
       sgd u 1:6:9 w yerrorbars pt 4 ps 1.3 lc rgb '#d62728' t 'linear: SGD (±1 SE of SGD−ODE)', \
       sgd u 1:7 w p pt 2 ps 1.8 lc rgb '#d62728' t 'linear: ODE twin', \
       theory u 1:2 w l ls 1 t 'erf: eq. (10) (ε^*)', \
       theory u 1:4 w l ls 2 t 'linear: eq. (12) (ε^*)'
  unset output
  unset logscale y
  set format y '%g'

  set output outdir.'/fig2a_curves.'.fmt
  set title 'Fig. 2a runs (erf): SGD (points) and the ODE from the same initial overlaps (lines)' font ',12'
  set logscale xy
  set format y '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g'
  set key top right
  set xrange [*:*]
  set yrange [*:*]
  plot for [L=0:8:2] curves u (($1==0 && $2==L) ? $3 : 1/0):4 w p pt 7 ps 0.4 lc L/2+1 t sprintf('L=%d', L), \
       for [L=0:8:2] curves u (($1==0 && $2==L) ? $3 : 1/0):5 w l lw 1.5 lc L/2+1 notitle
  unset output
  unset logscale
  set format y '%g'
}
