# Goldt et al. 2020, figure S2: erf SCM eps*/sigma^2 against L with eta = 1/K (data from bin/goldt2020/figS2).
# Called as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" figS2.gp
#   figS2.png  eq. (10) at eta = 1/(L+M) (solid) and its L -> infinity limit (dotted), eq. (11) at eta = 1/K (dashed),
#              ODE fixed points (crosses); for contrast eq. (10) at the fixed eta = 0.05 of figure 2a (grey)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
pts = datadir.'/figS2.tsv'
th  = datadir.'/figS2_theory.tsv'
system('mkdir -p '.outdir)

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "figS2.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".pts." | grep -c '^[0-9]'"))
if (nrows < 2) { print sprintf("figS2.gp: %s has %d rows, expected >= 2", pts, nrows); exit status 1 }

Mval = system("grep -m1 '^# M=' ".pts." | cut -d= -f2")
sig  = system("grep -m1 '^# sigma=' ".pts." | sed 's/^# sigma=\\([^ ]*\\).*/\\1/'")
mode = system("grep -m1 '^# mode=' ".pts." | cut -d= -f2")
lim  = real(system("grep -m1 '^# eq10_limit=' ".pts." | sed 's/^# eq10_limit=\\([^ ]*\\).*/\\1/'"))
stats pts u 1 nooutput
lmax = STATS_max

blue = '#1f77b4'; red = '#d62728'; grey = '#7f7f7f'
set grid lc rgb '#dddddd'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,650 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,4.3in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/figS2.'.fmt
  set title sprintf('Goldt et al. 2020, Fig. S2 — erf SCM, M=%s, σ=%s, η = 1/K (%s mode)', Mval, sig, mode) font ',12'
  set xlabel 'L = K − M'
  set ylabel 'ε^*_g / σ^2'
  set xrange [-0.3:lmax+0.3]
  set yrange [0:*]
  set key bottom right box opaque font ',10' spacing 1.1
  plot th u 1:2 w l lw 2 lc rgb blue t 'eq. (10), η = 1/K', \
       lim w l lw 1 dt 3 lc rgb blue t sprintf('eq. (10), L → ∞ limit (%.4f)', lim), \
       th u 1:3 w l lw 1.5 dt 2 lc rgb blue t 'eq. (11), η = 1/K', \
       pts u 1:4 w p pt 2 ps 1.8 lw 2 lc rgb red t 'ODE fixed point (η = 1/K)', \
       th u 1:4 w l lw 1.5 lc rgb grey t 'eq. (10), η = 0.05 (Fig. 2a)'
  unset output
}
