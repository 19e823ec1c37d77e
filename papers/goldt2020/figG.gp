# Goldt et al. 2020, SM section G: robustness of Fig. 2a's eps-L curve (data from bin/goldt2020/figG).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" figG.gp
#   figG.png         four panels, eps_g/sigma^2 (tail mean, mean +- SE over seeds) against L:
#                    (a) mini-batches, (b) weight decay (+ ODE fixed points eps*(kappa)), (c) finite training sets,
#                    (d) Fashion-MNIST inputs; eq. (10) (the ODE fixed point at kappa = 0) for reference
#   figG_curves.png  learning curves (geometric mean over seeds): Gaussian vs Fashion-MNIST inputs, every L
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
tab    = datadir.'/figG.tsv'
curves = datadir.'/figG_curves.tsv'
ode    = datadir.'/figG_wd_ode.tsv'
system('mkdir -p '.outdir)
have_ode = (system('test -f '.ode.' && echo 1 || echo 0') eq '1')

# figG.tsv columns: variant L K tail tail_se logratio logratio_se; variants: 0 base, 1 batch, 2 wd1, 3 wd2,
# 4..6 finite P (small to large), 7 Gaussian at the image N, 8 Fashion-MNIST
sel(v) = ($1 == v ? $2 : 1/0)
blue = '#1f77b4'; red = '#d62728'; green = '#2ca02c'; orange = '#ff7f0e'; purple = '#9467bd'; grey = '#7f7f7f'

# the parameters, read from the header line "variants"
B = system("grep -m1 '^# variants=' ".tab." | sed 's/.*batch B=\\([0-9]*\\).*/\\1/'")
k1 = system("grep -m1 '^# variants=' ".tab." | sed 's/.*2 wd kappa=\\([^;]*\\);.*/\\1/'")
k2 = system("grep -m1 '^# variants=' ".tab." | sed 's/.*3 wd kappa=\\([^;]*\\);.*/\\1/'")
P  = system("grep -m1 '^# variants=' ".tab." | sed 's/.*P\\/N=\\([0-9.e+,]*\\) .*/\\1/'")
eval('k1n = '.k1)
eval('k2n = '.k2)
Ng = system("grep -m1 '^# gaussian_group=' ".tab." | sed 's/.*N=\\([0-9]*\\),.*/\\1/'")
Ni = system("grep -m1 '^# image_group=' ".tab." | sed 's/.*N=\\([0-9]*\\),.*/\\1/'")

stats tab u 2 nooutput
Lmax = int(STATS_max)

set grid lc rgb '#dddddd'
set logscale y
set format y '10^{%L}'
set xlabel 'L = K − M'
set ylabel 'ε_g / σ^2 (tail mean)'
set key top left box opaque font ',9' spacing 1.0
set offsets 0.3, 0.3, 0, 0

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1280,960 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8.5in,6.4in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/figG.'.fmt
  set multiplot layout 2,2 title 'Goldt et al. 2020, SM sec. G — robustness of Fig. 2a (erf SCM, M=2, η=0.05, σ=0.01)' font ',13'

  set title '(a) mini-batches, N='.Ng font ',11'
  plot tab u (sel(0)):4:5 w yerrorlines pt 7 lc rgb blue t 'online (B=1, η)', \
       tab u (sel(1)+0.08):4:5 w yerrorlines pt 5 dt 2 lc rgb red t 'B='.B.', η_B = Bη', \
       (have_ode ? ode : tab) u (have_ode && $2 == 0 ? $1 : 1/0):3 w l lw 2 lc rgb grey t 'ε^*: eq. (10)'

  set title '(b) weight decay κ, N='.Ng font ',11'
  set key bottom right
  plot tab u (sel(0)):4:5 w yerrorlines pt 7 lc rgb blue t 'SGD, κ=0', \
       tab u (sel(2)+0.08):4:5 w yerrorlines pt 5 lc rgb orange t 'SGD, κ='.k1, \
       tab u (sel(3)+0.16):4:5 w yerrorlines pt 9 lc rgb red t 'SGD, κ='.k2, \
       (have_ode ? ode : tab) u (have_ode && $2 == 0 ? $1 : 1/0):3 w l lw 2 lc rgb grey t 'ODE ε^*, κ=0 (eq. 10)', \
       (have_ode ? ode : tab) u (have_ode && abs($2 - k1n) < 1e-15 ? $1 : 1/0):3 w l lw 2 dt 2 lc rgb orange t 'ODE ε^*, κ='.k1, \
       (have_ode ? ode : tab) u (have_ode && abs($2 - k2n) < 1e-15 ? $1 : 1/0):3 w l lw 2 dt 2 lc rgb red t 'ODE ε^*, κ='.k2

  set key top left
  set title '(c) finite training set of P = pN samples, re-used (N='.Ng.'; p = '.P.')' font ',11'
  plot tab u (sel(0)):4:5 w yerrorlines pt 7 lc rgb blue t 'online (fresh samples)', \
       tab u (sel(4)+0.08):4:5 w yerrorlines pt 5 lc rgb red t 'smallest P', \
       tab u (sel(5)+0.16):4:5 w yerrorlines pt 9 lc rgb orange t 'middle P', \
       tab u (sel(6)+0.24):4:5 w yerrorlines pt 11 lc rgb green t 'largest P', \
       (have_ode ? ode : tab) u (have_ode && $2 == 0 ? $1 : 1/0):3 w l lw 2 lc rgb grey t 'ε^*: eq. (10)'

  set title '(d) Fashion-MNIST inputs vs Gaussian inputs, N='.Ni font ',11'
  plot tab u (sel(7)):4:5 w yerrorlines pt 7 lc rgb blue t 'Gaussian inputs', \
       tab u (sel(8)+0.08):4:5 w yerrorlines pt 5 lc rgb purple t 'Fashion-MNIST (test-set ε_g)', \
       (have_ode ? ode : tab) u (have_ode && $2 == 0 ? $1 : 1/0):3 w l lw 2 lc rgb grey t 'ε^*: eq. (10)'
  unset multiplot
  unset output

  set output outdir.'/figG_curves.'.fmt
  set multiplot layout 1,2 title 'SM sec. G (d): learning curves, geometric mean over seeds, N='.Ni font ',13'
  set logscale xy
  set format x '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g / σ^2'
  set key bottom left
  set offsets 0, 0, 0, 0
  set title 'Gaussian inputs' font ',11'
  plot for [L=0:Lmax] curves u (($1 == 7 && $2 == L) ? $3 : 1/0):4 w l lw 2 lc L+1 t sprintf('L=%d', L)
  set title 'Fashion-MNIST inputs (10000 test images)' font ',11'
  plot for [L=0:Lmax] curves u (($1 == 8 && $2 == L) ? $3 : 1/0):4 w l lw 2 lc L+1 t sprintf('L=%d', L)
  unset multiplot
  unset output
  unset logscale x
  set format x '%g'
}
