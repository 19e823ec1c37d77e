# Veiga et al. 2022, the theorem measured: SGD - ODE distance against d in blue and green (data from bin/veiga2022/figthm).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" figthm.gp
#   figthm.png / figthm.pdf  left: mean over seeds (+- SE) of D = max_t ||Omega_SGD - Omega_ODE||_inf against d,
#                            log-log, blue (delta_t = 1/d) and green (delta_t = d^-3/2), the least-squares lines and the
#                            bound's sqrt(delta_t) slopes (dashed, through the first point); open green symbols: the
#                            distance to the limit ODE (noise term dropped), ~ d^-1/2.
#                            right: the seed-mean deviation along t divided by sqrt(delta_t), one curve per d.
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
summ   = datadir.'/figthm.tsv'
curves = datadir.'/figthm_curves.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "figthm.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".summ." | tail -n +2 | grep -c '^[0-9]'"))
if (nrows < 4) { print sprintf("figthm.gp: %s has %d rows", summ, nrows); exit status 1 }

meta(key) = system("grep -m1 '^# ".key."=' ".summ." | cut -d= -f2-")
mode = meta('mode')
Tval = system("grep -m1 '^# T=' ".summ." | cut -d= -f2 | cut -d';' -f1")
seeds = system("grep -m1 '^# seeds=' ".summ." | cut -d= -f2 | cut -d' ' -f1")
bb = real(meta('slope_blue'));  ab = real(meta('icpt_blue'))
bg = real(meta('slope_green')); ag = real(meta('icpt_green'))
bl = real(meta('slope_green_limit')); al = real(meta('icpt_green_limit'))
dlist = meta('d')
nd = words(system("echo ".dlist." | tr ',' ' '"))
stats summ index 0 u 2 nooutput
d0 = STATS_min
stats summ index 0 u (($2 == d0) ? $3 : 1/0) nooutput
D0b = STATS_max
stats summ index 1 u (($2 == d0) ? $3 : 1/0) nooutput
D0g = STATS_max

set grid lc rgb '#dddddd'
blues  = '#08306b #08519c #2171b5 #4292c6 #6baed6 #9ecae1'
greens = '#00441b #006d2c #238b45 #41ab5d #74c476 #a1d99b'

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,560 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8.6in,3.7in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/figthm.'.fmt
  set multiplot layout 1,2 title sprintf("Veiga et al. 2022, theorem measured — κ = 0, p = 8, k = 4, γ_0 = 8, t ≤ %s, %s seeds per d (%s mode)", Tval, seeds, mode) font ',11'

  set logscale xy
  set format x '%g'
  set format y '%g'
  set xlabel 'd'
  set ylabel 'D = max_t ||Ω_{SGD} − Ω_{ODE}||_∞'
  set key bottom left box opaque font ',9' samplen 2
  set title 'mean D over seeds ± SE' font ',10'
  plot summ index 0 u 2:3:4 w yerrorbars pt 7 ps 0.9 lw 1.5 lc rgb '#1f77b4' t 'blue (δ = 0, δt = 1/d)', \
       exp(ab)*x**bb w l lw 2 lc rgb '#1f77b4' t sprintf('fit: slope %.3f', bb), \
       D0b*(x/d0)**(-0.5) w l dt 2 lw 1.5 lc rgb '#1f77b4' t 'bound slope −1/2', \
       summ index 1 u 2:3:4 w yerrorbars pt 5 ps 0.9 lw 1.5 lc rgb '#2ca02c' t 'green (δ = 1/2, δt = d^{−3/2})', \
       exp(ag)*x**bg w l lw 2 lc rgb '#2ca02c' t sprintf('fit: slope %.3f', bg), \
       D0g*(x/d0)**(-0.75) w l dt 2 lw 1.5 lc rgb '#2ca02c' t 'bound slope −3/4', \
       summ index 1 u 2:5:6 w yerrorbars pt 4 ps 0.9 lw 1 lc rgb '#2ca02c' t sprintf('green vs limit ODE: slope %.3f', bl), \
       summ index 1 u 2:9 w lp pt 3 ps 0.8 dt 3 lw 1.5 lc rgb '#2ca02c' t 'green: finite-d ODE − limit ODE (bias)'

  unset logscale
  set logscale y
  set xlabel 't'
  set ylabel 'mean deviation / √δt'
  set key top left box opaque font ',8' maxrows 6 samplen 1.5
  set title 'deviation along t in units of √δt (blue: circles, green: squares)' font ',10'
  plot for [i=0:nd-1] curves index i u 3:5 w lp pt 7 ps 0.4 lw 1.2 lc rgb word(blues, i+1) t 'blue d='.word(system("echo ".dlist." | tr ',' ' '"), i+1), \
       for [i=0:nd-1] curves index nd+i u 3:5 w lp pt 5 ps 0.4 lw 1.2 lc rgb word(greens, i+1) t 'green d='.word(system("echo ".dlist." | tr ',' ' '"), i+1)
  unset multiplot
  unset output
  unset logscale
}
