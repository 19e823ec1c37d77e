# Veiga et al. 2022, Fig. 8: SGD at one point of each region with wide students p = d^kappa (data from bin/veiga2022/fig8).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig8.gp
#   fig8.png / fig8.pdf  seed-mean R - Delta/2 (+- SE band) against the rescaled time t = nu/d^(1+theta) (red: t = nu),
#                        log-log; the blue point also at 10 Delta (dashed); the blue-line floor of the kappa = 0 limit
#                        ODE (dash-dotted); the levels Delta and 10 Delta dotted.
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
f = datadir.'/fig8.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig8.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c '^[0-9]'"))
if (nrows < 10) { print sprintf("fig8.gp: %s has %d rows", f, nrows); exit status 1 }

meta(key) = system("grep -m1 '^# ".key."=' ".f." | cut -d= -f2-")
mode = meta('mode')
dval = meta('d')
Dl = real(system("grep -m1 '^# Delta=' ".f." | cut -d= -f2 | cut -d' ' -f1"))
seeds = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2 | cut -d' ' -f1")
ps = system("grep -m1 '^# points=' ".f." | sed 's/.*red (1.1,-2.2) p=\\([0-9]*\\), orange (1.25,-1.5) p=\\([0-9]*\\), blue (1.5,-1.5) p=\\([0-9]*\\), green (1.5,-0.5) p=\\([0-9]*\\).*/\\1 \\2 \\3 \\4/'")
F1 = real(system("grep -m1 '^# ode_floor=' ".f." | cut -d= -f2 | cut -d' ' -f1"))
cols = '#d62728 #ff7f0e #1f77b4 #2ca02c #1f77b4'
name(q) = (q == 0 ? 'red (κ,δ) = (1.1, −2.2)' : (q == 1 ? 'orange (5/4, −3/2)' : (q == 2 ? 'blue (3/2, −3/2)' : 'green (3/2, −1/2)')))
set grid lc rgb '#dddddd'

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,620 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,4.1in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig8.'.fmt
  set title sprintf("Veiga et al. 2022, Fig. 8 — d = %s, p = d^κ, γ = d^{−δ}, k = 4, Δ = %g, %s seeds (%s mode)", dval, Dl, seeds, mode) font ',11'
  set logscale xy
  set format x '10^{%T}'
  set format y '10^{%T}'
  set xrange [0.8:*]
  set xlabel 't = ν / d^{1+θ}   (red: t = ν)'
  set ylabel 'R − Δ/2'
  set key top right box opaque font ',9' samplen 2
  plot for [q=0:3] f index q u (($2 > 0) ? $2 : 1/0):($3-$4):($3+$4) w filledcurves fs transparent solid 0.2 noborder lc rgb word(cols, q+1) notitle, \
       for [q=0:3] f index q u (($2 > 0) ? $2 : 1/0):3 w lp pt 7 ps 0.4 lw 2 lc rgb word(cols, q+1) t sprintf('%s, p = %s', name(q), word(ps, q+1)), \
       f index 4 u (($2 > 0) ? $2 : 1/0):3 w l dt 2 lw 2 lc rgb '#1f77b4' t 'blue at 10Δ', \
       F1 w l dt 4 lw 1.5 lc rgb '#1f77b4' t sprintf('blue-line ODE floor (κ = 0) %.3gΔ', F1/Dl), \
       Dl w l dt 3 lc rgb '#666666' t 'Δ', 10*Dl w l dt 3 lc rgb '#aaaaaa' t '10Δ'
  unset output
}
