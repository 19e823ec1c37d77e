# Goldt et al. 2020, figure S3: eps*/sigma^2 of ReLU soft committee machines against L (data from bin/goldt2020/figS3).
# Called as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" figS3.gp
#   figS3.png/.pdf   eps*/sigma^2 vs L at eta and eta/2 (mean over seeds, +-1 SE), weighted linear fits,
#                    and the previous-quarter means (open symbols: the convergence check)
#   figS3_curves.png every learning curve (log-log)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
pts    = datadir.'/figS3.tsv'
curves = datadir.'/figS3_curves.tsv'

stats pts u 1 nooutput
eta1 = STATS_max
eta2 = STATS_min
stats pts u 2 nooutput
Lmax = STATS_max

set key top left box opaque font ',10'
set grid lc rgb '#dddddd'
sel(e) = (abs($1 - e) < 1e-12 * e)

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 960,680 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.4in,4.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/figS3.'.fmt
  set title sprintf('Goldt et al. 2020, Fig. S3 — ReLU SCM, M=2, σ=0.01, SGD (η = %g and %g)', eta1, eta2) font ',12'
  set xlabel 'L = K − M'
  set ylabel 'ε^* / σ^2'
  set xrange [-0.3:Lmax + 0.3]
  set yrange [0:*]
  plot pts u (sel(eta1) ? $2 : 1/0):4:5 w yerrorbars pt 7 ps 1.2 lc rgb '#1f77b4' t sprintf('η = %g: last-quarter mean ± SE', eta1), \
       pts u (sel(eta1) ? $2 : 1/0):11 w l lw 2 lc rgb '#1f77b4' t 'η: weighted linear fit', \
       pts u (sel(eta1) ? $2 : 1/0):8 w p pt 6 ps 1.2 lc rgb '#1f77b4' t 'η: previous-quarter mean', \
       pts u (sel(eta2) ? $2 : 1/0):4:5 w yerrorbars pt 5 ps 1.2 lc rgb '#d62728' t sprintf('η = %g: last-quarter mean ± SE', eta2), \
       pts u (sel(eta2) ? $2 : 1/0):11 w l lw 2 dt 2 lc rgb '#d62728' t 'η/2: weighted linear fit', \
       pts u (sel(eta2) ? $2 : 1/0):8 w p pt 4 ps 1.2 lc rgb '#d62728' t 'η/2: previous-quarter mean'
  unset output

  set output outdir.'/figS3_curves.'.fmt
  set title 'Fig. S3 runs: ε_g(α)/σ^2, every seed (filled η, open η/2)' font ',12'
  set logscale xy
  set format y '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g / σ^2'
  set key top right
  set xrange [*:*]
  set yrange [*:*]
  plot for [L=0:Lmax] curves u ((sel(eta1) && $2==L) ? $4 : 1/0):5 w p pt 7 ps 0.25 lc L+1 t sprintf('L=%d', L), \
       for [L=0:Lmax] curves u ((sel(eta2) && $2==L) ? $4 : 1/0):5 w p pt 6 ps 0.25 lc L+1 notitle
  unset output
  unset logscale
  set format y '%g'
}
