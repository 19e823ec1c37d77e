# Goldt et al. 2020, Fig. 1b: eps_g(alpha) for several K, ODE (lines) vs SGD (crosses), and the R_in insets
# (data from bin/goldt2020/fig1b).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig1b.gp
#   fig1b.png    the paper's figure: ODE from each run's own initial overlaps (lines), SGD seed 0 (crosses); arrows
#                mark the two times of the R_in insets (K = 4); the shaded band is the K = 4 plateau window
#   fig1b_R.png  the insets: R_in (student i x teacher n) of the K = 4 run on the plateau and after specialisation,
#                SGD (top) and ODE (bottom)
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
system('mkdir -p '.outdir)
curves  = datadir.'/fig1b_curves.tsv'
plateau = datadir.'/fig1b_plateau.tsv'
rfile   = datadir.'/fig1b_R.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig1b.gp: font 'DejaVu Sans' not found"; exit status 1 }

Nval = system("grep -m1 '^# N=' ".curves." | cut -d= -f2")
mode = system("grep -m1 '^# mode=' ".curves." | cut -d= -f2")

# Inset times and the K = 4 plateau window (seed 0), read from the data.
stats plateau u (($1==4 && $2==0) ? $12 : 1/0) nooutput
a_plat = STATS_max
stats plateau u (($1==4 && $2==0) ? $4 : 1/0) nooutput
w_lo = STATS_max
stats plateau u (($1==4 && $2==0) ? $5 : 1/0) nooutput
w_hi = STATS_max
stats curves u 3 nooutput
a_end = STATS_max
a_min = STATS_min
# the K values present (at most 4 are drawn)
stats curves u 1 nooutput
kmin = int(STATS_min)
kmax = int(STATS_max)

colors = '#1f77b4 #d62728 #2ca02c #9467bd'   # K = kmin, kmin+2, ...
set grid lc rgb '#dddddd'

# viridis, defined by hand (gnuplot 5.4 has no `set palette viridis`)
set palette defined (0 '#440154', 0.14 '#46327e', 0.29 '#365c8d', 0.43 '#277f8e', 0.57 '#1fa187', \
                     0.71 '#4ac16d', 0.86 '#a0da39', 1 '#fde725')

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 960,680 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.4in,4.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig1b.'.fmt
  set title 'Goldt et al. 2020, Fig. 1b — erf SCM, N='.Nval.', M=4, η=0.2, σ=0 ('.mode.' mode)' font ',12'
  set logscale xy
  set format x '10^{%L}'
  set format y '10^{%L}'
  set xlabel 'α'
  set ylabel 'ε_g'
  set xrange [a_min:a_end]
  set yrange [1e-5:3]
  set key at graph 0.52, graph 0.42 box opaque font ',10' maxrows 3 samplen 2 width 2
  set object 1 rect from w_lo, graph 0 to w_hi, graph 1 fc rgb '#eeeeee' fs solid 1.0 noborder behind
  set arrow 1 from a_plat, graph 0.93 to a_plat, graph 0.80 head filled lw 1.5 lc rgb 'black'
  set arrow 2 from a_end*0.93, 2e-5 to a_end*0.93, 1e-5*1.05 head filled lw 1.5 lc rgb 'black'
  set label 1 'R inset 1' at a_plat, graph 0.96 center font ',9'
  set label 2 'R inset 2' at a_end*0.93, 3.5e-5 right font ',9'
  set label 3 'K=4 plateau window' at sqrt(w_lo*w_hi), graph 0.04 center font ',9'
  # eps_g of the converged K >= M runs falls to rounding level (and may be printed as -0): such points drop out
  plot for [k=kmin:kmax:2] curves u (($1==k && $2==0 && $5>0) ? $3 : 1/0):5 w l lw 2 \
                           lc rgb word(colors, int((k-kmin)/2)+1) t sprintf('K=%d ODE', k), \
       for [k=kmin:kmax:2] curves u (($1==k && $2==0 && $4>0) ? $3 : 1/0):4 w p pt 2 ps 0.7 \
                           lc rgb word(colors, int((k-kmin)/2)+1) t sprintf('K=%d SGD', k)
  unset output
  unset object 1
  unset arrow 1
  unset arrow 2
  unset label 1
  unset label 2
  unset label 3
  unset logscale
  set format x '%g'
  set format y '%g'
  unset grid

  # ---- insets: R_in heat maps ----------------------------------------------------------------------------------
  if (fmt eq "png") { set terminal pngcairo size 900,820 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,5.5in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig1b_R.'.fmt
  set multiplot layout 2,2 title sprintf('Fig. 1b insets: R_{in} of the K=4 student (seed 0) at α = %.3g (plateau) and α = %.3g (specialised)', a_plat, a_end) font ',12'
  set size ratio -1
  unset key
  set xlabel 'teacher n'
  set ylabel 'student i'
  set xtics 1
  set ytics 1
  set xrange [0.5:4.5]
  set yrange [4.5:0.5]
  set cbrange [0:0.35]
  set title 'plateau, SGD'
  plot rfile index 1 u 4:3:5 w image notitle, \
       '' index 1 u 4:3:(sprintf('%.2f', $5)) w labels tc rgb 'white' font ',9' notitle
  set cbrange [-0.1:1.1]
  set title 'specialised, SGD'
  plot rfile index 3 u 4:3:5 w image notitle, \
       '' index 3 u 4:3:(sprintf('%.2f', $5)) w labels tc rgb 'white' font ',9' notitle
  set cbrange [0:0.35]
  set title 'plateau, ODE (same start)'
  plot rfile index 2 u 4:3:5 w image notitle, \
       '' index 2 u 4:3:(sprintf('%.2f', $5)) w labels tc rgb 'white' font ',9' notitle
  set cbrange [-0.1:1.1]
  set title 'specialised, ODE (same start)'
  plot rfile index 4 u 4:3:5 w image notitle, \
       '' index 4 u 4:3:(sprintf('%.2f', $5)) w labels tc rgb 'white' font ',9' notitle
  unset multiplot
  unset output
  set size noratio
  set key default
  set xtics autofreq
  set ytics autofreq
  set xrange [*:*]
  set yrange [*:*]
  set cbrange [*:*]
}
