# Goldt et al. 2020, figure 3c: eps* against K = Z M, erf, both layers trained (data from bin/goldt2020/fig3c).
# Called as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig3c.gp
#   fig3c.png  lines: exact denoising fixed points of the ODE (9); crosses: ODE integrated from the near-symmetric
#              start to alpha_cap; dashed: eq. (15) (M = 1, small eta)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
system('mkdir -p '.outdir)
fpf = datadir.'/fig3c.tsv'
ode = datadir.'/fig3c_ode.tsv'

# alpha_cap from the crosses' header, for the legend
acap = system("sed -n 's/^# integrator=.*alpha_cap=\\([0-9.e+]*\\).*/\\1/p' ".ode)
set style line 1 lc rgb '#1f77b4' lw 2 pt 2
set style line 2 lc rgb '#d62728' lw 2 pt 2
set style line 4 lc rgb '#2ca02c' lw 2 pt 2
set key bottom left box opaque font ',9'
set grid lc rgb '#dddddd'
set logscale xy
set xrange [0.9:22]
set yrange [0.003:1.5]
set xtics (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 960,680 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.4in,4.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig3c.'.fmt
  set title 'Goldt et al. 2020, Fig. 3c — erf, both layers, σ=0.01, η=η_v=0.2, v*=2' font ',12'
  set xlabel 'K = Z M'
  set ylabel 'ε^* / σ^2'
  plot for [m in "1 2 4"] fpf u ($1==m ? $3 : 1/0):5 w lp ls (m+0 == 4 ? 4 : m+0) pt 7 ps 0.6 \
         t sprintf('M=%s: denoising fixed point of ODE (9)', m), \
       for [m in "1 2 4"] ode u ($1==m ? $3 : 1/0):5 w p ls (m+0 == 4 ? 4 : m+0) pt 2 ps 2 \
         t sprintf('M=%s: ODE from near-symmetric start, α=%s', m, acap), \
       fpf u ($1==1 ? $3 : 1/0):14 w l lc rgb '#1f77b4' lw 1.5 dt 2 t 'M=1: eq. (15) (small η)'
  unset output
}
