# Goldt et al. 2020, Fig. 3a/3b: both layers trained (erf, M = 2, v* = 4), data from bin/goldt2020/fig3ab.
# Called as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig3ab.gp
#   fig3ab.png / .pdf       3a: eps_g(alpha) of SGD (points) and the ODE twin from each run's own start (lines), log-log;
#                           thin black: the ODE restarted from the SGD's overlaps at alpha/2; open circles at the right:
#                           eps* = the twin continued over a further alpha_ext (fig3ab_summary.tsv)
#   fig3ab_3b.png / .pdf    3b: final Q, R and v of the K = 5 run (seed 0), heat maps (long format, `with image`)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
system('mkdir -p '.outdir)
cv = datadir.'/fig3ab.tsv'
ov = datadir.'/fig3ab_overlaps.tsv'
rs = datadir.'/fig3ab_restart.tsv'
sm = datadir.'/fig3ab_summary.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig3ab.gp: font 'DejaVu Sans' not found"; exit status 1 }

Nval  = system("grep -m1 '^# N=' ".cv." | cut -d= -f2")
Klist = system("grep -m1 '^# K=' ".cv." | cut -d= -f2")
eta   = system("grep -m1 '^# eta=' ".cv." | cut -d= -f2")
sig   = system("grep -m1 '^# sigma=' ".cv." | cut -d= -f2")
vst   = system("grep -m1 '^# vstar=' ".cv." | cut -d= -f2")
mode  = system("grep -m1 '^# mode=' ".cv." | cut -d= -f2")
nK    = words(system("echo ".Klist." | tr ',' ' '"))
nseed = int(system("grep -m1 '^# seeds_per_K=' ".cv." | sed 's/.*=\\([0-9]*\\).*/\\1/'"))
# the row count is checked: an empty block would only warn
nrows = int(system("grep -v '^#' ".cv." | grep -c '^[0-9]'"))
if (nrows < 10*nK*nseed) { print sprintf("fig3ab.gp: %s has %d rows, expected >= %d", cv, nrows, 10*nK*nseed); exit status 1 }

Kof(k) = int(word(system("echo ".Klist." | tr ',' ' '"), k))
aend = real(system("grep -m1 '^# alpha=' ".cv." | sed 's/.*, \\([^]]*\\)\\] (tail.*/\\1/'"))
aext = real(system("grep -m1 '^# content=' ".sm." | sed 's/.*alpha_ext = \\([^ ]*\\) .*/\\1/'"))
xinf = aend + aext
array cols[6] = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02']

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,650 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,4.3in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig3ab.'.fmt
  set title sprintf("Goldt et al. 2020, Fig. 3a — both layers, erf, M=2, N=%s, η=η_v=%s, σ=%s, v*=%s (%s mode)", \
                    Nval, eta, sig, vst, mode) font ',11'
  set logscale xy
  set format y '10^{%L}'
  set format x '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g'
  set key bottom left spacing 1.1 font ',10'
  set grid lc rgb '#dddddd'
  # seed 0 of each K: SGD points, ODE twin line; further seeds (full mode) as thin SGD lines
  set xrange [1:xinf*1.5]
  # summary columns: 1 K, 2 seed, 21 eps_ext_twin; seed 0 only
  if (nseed > 1) {
    plot for [k=1:nK] cv index k u 4:5 every 2 w p pt 7 ps 0.45 lc rgb cols[k] title sprintf('K=%d SGD', Kof(k)), \
         for [k=1:nK] cv index k u 4:6 w l lw 2 lc rgb cols[k] title sprintf('K=%d ODE', Kof(k)), \
         for [b=nK+1:nK*nseed] cv index b u 4:5 w l lw 0.6 dt 2 lc rgb cols[(b-1)%nK+1] notitle, \
         for [k=1:nK] rs index k u 4:6 w l lw 0.8 lc rgb '#000000' title (k==1 ? 'ODE restarted from SGD at α/2' : ''), \
         for [k=1:nK] sm u (($1==Kof(k) && $2==0) ? xinf : 1/0):21 w p pt 6 ps 1.6 lw 2 lc rgb cols[k] title (k==1 ? sprintf('ε^*: twin continued to α=%.3g', xinf) : '')
  } else {
    plot for [k=1:nK] cv index k u 4:5 every 2 w p pt 7 ps 0.45 lc rgb cols[k] title sprintf('K=%d SGD', Kof(k)), \
         for [k=1:nK] cv index k u 4:6 w l lw 2 lc rgb cols[k] title sprintf('K=%d ODE', Kof(k)), \
         for [k=1:nK] rs index k u 4:6 w l lw 0.8 lc rgb '#000000' title (k==1 ? 'ODE restarted from SGD at α/2' : ''), \
         for [k=1:nK] sm u (($1==Kof(k) && $2==0) ? xinf : 1/0):21 w p pt 6 ps 1.6 lw 2 lc rgb cols[k] title (k==1 ? sprintf('ε^*: twin continued to α=%.3g', xinf) : '')
  }
  unset output
}
reset

# ---- 3b --------------------------------------------------------------------------------------------------------
# smoke mode runs K = 2, 3 only: no 3b panel then (said, not an error)
if (!strlen(system("test -f ".ov." && echo y"))) { print "fig3ab.gp: ".ov." absent (K=5 not run): fig3ab_3b skipped"; exit }
Kmap  = 5
Mval  = int(system("grep -m1 '^# M=' ".ov." | cut -d= -f2"))
aend  = system("grep -m1 '^# alpha=' ".ov." | sed 's/.*, \\([^]]*\\)\\] (tail.*/\\1/'")
nrows = int(system("grep -v '^#' ".ov." | grep -c '^[0-9]'"))
if (nrows < Kmap*(Kmap+Mval+1)) { print sprintf("fig3ab.gp: %s has %d rows, expected >= %d", ov, nrows, Kmap*(Kmap+Mval+1)); exit status 1 }

# diverging palette for Q and R (signed), defined by hand; v has its own range (v* = 4 scale)
set palette defined (0 '#2166ac', 0.25 '#67a9cf', 0.5 '#f7f7f7', 0.75 '#ef8a62', 1 '#b2182b')
lab(v) = sprintf('%.2f', abs(v) < 0.005 ? 0 : v)
stats ov index 1:2 u 6 nooutput
qa = abs(STATS_min) > abs(STATS_max) ? abs(STATS_min) : abs(STATS_max)
qa = qa < 1 ? 1 : qa
stats ov index 3 u 6 nooutput
va = abs(STATS_min) > abs(STATS_max) ? abs(STATS_min) : abs(STATS_max)
tcol(v, a) = (abs(v)/a > 0.6 ? 0xffffff : 0x000000)

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1100,520 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 7.5in,3.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig3ab_3b.'.fmt
  set multiplot title sprintf("Goldt et al. 2020, Fig. 3b — final overlaps and v, K=5, M=%d, N=%s, v*=%s, α=%s (%s mode, seed 0)", \
                              Mval, Nval, vst, aend, mode) font ',11'
  unset key
  set tics scale 0
  set ytics 1
  set yrange [Kmap+0.5:0.5]
  set ylabel 'student i'
  yb = 0.12; hq = 0.66; cell = hq/Kmap
  set bmargin at screen yb
  set tmargin at screen yb+hq
  # Q
  set lmargin at screen 0.07
  set rmargin at screen 0.07+hq*520.0/1100*Kmap/Kmap
  wq = hq*520.0/1100
  set rmargin at screen 0.07+wq
  set xtics 1
  set xrange [0.5:Kmap+0.5]
  set xlabel 'student k'
  set title 'Q_{ik}'
  set cbrange [-qa:qa]
  unset colorbox
  plot ov index 1 u 5:4:6 w image, '' index 1 u 5:4:(lab($6)):(tcol($6, qa)) w labels tc rgb variable font ',9'
  # R
  x0 = 0.07 + wq + 0.08
  set lmargin at screen x0
  set rmargin at screen x0 + wq*Mval/Kmap
  set xrange [0.5:Mval+0.5]
  set xlabel 'teacher n'
  set title 'R_{in}'
  set colorbox vertical user origin x0 + wq*Mval/Kmap + 0.015, yb size 0.015, hq
  plot ov index 2 u 5:4:6 w image, '' index 2 u 5:4:(lab($6)):(tcol($6, qa)) w labels tc rgb variable font ',9'
  # v
  x1 = x0 + wq*Mval/Kmap + 0.12
  set lmargin at screen x1
  set rmargin at screen x1 + wq/Kmap
  set xrange [0.5:1.5]
  set xtics ('v_i' 1)
  set xlabel ' '
  unset ylabel
  set title 'v_i'
  set cbrange [-va:va]
  set colorbox vertical user origin x1 + wq/Kmap + 0.015, yb size 0.015, hq
  # a single column: `with image` needs >= 2 pixels per axis, so the cells are drawn as boxes
  plot ov index 3 u 5:4:(0.5):(0.5):6 w boxxy fs solid 1.0 noborder lc palette, '' index 3 u 5:4:(lab($6)):(tcol($6, va)) w labels tc rgb variable font ',9'
  unset multiplot
  unset output
}
