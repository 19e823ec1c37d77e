# Goldt et al. 2020, Theorem 1 measured: SGD - ODE deviation D against N (data from bin/goldt2020/figthm1).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" figthm1.gp
#   figthm1.png/.pdf  left: mean D over seeds (+- SE) against N, log-log, with the least-squares line and a reference
#                     line C N^-1/2 (C = mean of sqrt(N) mean D over the N values); right: sqrt(N) times the seed-mean
#                     of max_entries |m_SGD - m_ODE| along alpha, one curve per N (collapse = N^-1/2 scaling)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
system('mkdir -p '.outdir)
summ   = datadir.'/figthm1.tsv'
curves = datadir.'/figthm1_curves.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "figthm1.gp: font 'DejaVu Sans' not found"; exit status 1 }

meta(key) = system("grep -m1 '^# ".key."=' ".summ." | cut -d= -f2-")
mode  = meta('mode')
Mval  = meta('M')
Kval  = meta('K')
eta   = meta('eta')
sig   = meta('sigma')
Tval  = meta('T')
slope = real(meta('fit_slope'))
icpt  = real(meta('fit_intercept'))

stats summ u 7 nooutput
Cref = STATS_mean
stats summ u 1 nooutput
Nmin = STATS_min
Nmax = STATS_max
nN = int(STATS_records)
Nlist = system("grep -v '^#' ".summ." | tail -n +2 | cut -f1 | tr '\n' ' '")
stats summ u 2 nooutput
nseed = int(STATS_max)
stats curves u 5 nooutput
ymax2 = STATS_max

colors = '#440154 #3b528b #21918c #3fae5a #a8b820 #e08a00 #e15759 #76b7b2'   # viridis-like, the light end darkened for white
fitline(x) = exp(icpt) * x**slope
refline(x) = Cref / sqrt(x)
set grid lc rgb '#dddddd'

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,540 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8in,3.6in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/figthm1.'.fmt
  set multiplot layout 1,2 title sprintf('Theorem 1 measured — erf SCM, M=%s, K=%s, η=%s, σ=%s, α ∈ [0, %s], %d seeds per N (%s mode)', \
      Mval, Kval, eta, sig, Tval, nseed, mode) font ',12'

  # ---- left: D against N --------------------------------------------------------------------------------------
  set logscale xy
  set xrange [Nmin/1.4:Nmax*1.4]
  set xlabel 'N'
  set ylabel 'D = max_α max_{entries} |m_{SGD} − m_{ODE}|'
  set format x '%g'
  set format y '%g'
  set key top right box opaque font ',10' samplen 2
  set title 'mean D over seeds ± SE' font ',11'
  plot refline(x) w l dt 2 lw 1.5 lc rgb '#888888' t sprintf('reference %.2f N^{−1/2}', Cref), \
       fitline(x) w l lw 2 lc rgb '#d62728' t sprintf('fit: slope %.3f', slope), \
       summ u 1:3:4 w yerrorbars pt 7 ps 0.9 lw 1.5 lc rgb '#1f77b4' t 'SGD vs ODE (same start)'

  # ---- right: sqrt(N) mean deviation along alpha ---------------------------------------------------------------
  unset logscale
  set xrange [0:*]
  set yrange [0:ymax2*1.15]
  set xlabel 'α'
  set ylabel '√N · mean_{seeds} max_{entries} |m_{SGD} − m_{ODE}|'
  set key top right box opaque font ',9' samplen 2 maxrows 6
  set title 'collapse: the deviation along α scaled by √N' font ',11'
  plot for [b=0:nN-1] curves index b u 2:5 w lp pt 7 ps 0.4 lw 1.5 lc rgb word(colors, b+1) \
       t 'N='.word(Nlist, b+1)
  unset multiplot
  unset output
  set yrange [*:*]
  set xrange [*:*]
}
