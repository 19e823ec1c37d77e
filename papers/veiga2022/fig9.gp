# Veiga et al. 2022, Fig. 9: blue line (kappa = delta = 0) from a Gaussian start, SGD at several d and one ODE per d
# started from that simulation's overlaps (data from bin/veiga2022/fig9).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig9.gp
#   fig9.png / fig9.pdf  left: R - Delta/2 against t = nu/d (log-log) for seed 0: SGD (points) and its ODE (line);
#                        right: plateau-exit times (first R - Delta/2 < Delta) of every seed against d, SGD and ODE.
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
f = datadir.'/fig9.tsv'
fe = datadir.'/fig9_exit.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig9.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c '^[0-9]'"))
if (nrows < 4) { print sprintf("fig9.gp: %s has %d rows", f, nrows); exit status 1 }

meta(key) = system("grep -m1 '^# ".key."=' ".f." | cut -d= -f2-")
mode = meta('mode')
dlist = system("echo ".meta('d')." | tr ',' ' '")
nd = words(dlist)
Dl = real(meta('Delta'))
seeds = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2 | cut -d' ' -f1")
nexit = int(system("grep -v '^#' ".fe." | tail -n +2 | awk '$3 > 0 || $4 > 0' | wc -l"))
colors = '#440154 #31688e #35b779 #e08a00 #d62728 #8c564b'
set grid lc rgb '#dddddd'

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,560 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8.6in,3.7in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig9.'.fmt
  set multiplot layout 1,2 title sprintf("Veiga et al. 2022, Fig. 9 — blue line κ = δ = 0, p = 8, k = 4, γ_0 = 8, Δ = %g, Gaussian start (%s mode)", Dl, mode) font ',11'
  set logscale xy
  set format x '10^{%T}'
  set format y '10^{%T}'
  set xlabel 't = ν/d'
  set ylabel 'R − Δ/2'
  set key bottom left box opaque font ',9' samplen 2
  set title 'seed 0: SGD (points) and the ODE from its start (lines)' font ',10'
  plot for [i=0:nd-1] f index i u 2:3 w p pt 7 ps 0.45 lc rgb word(colors, i+1) t 'SGD d='.word(dlist, i+1), \
       for [i=0:nd-1] f index nd+i u 2:3 w l lw 2 lc rgb word(colors, i+1) t 'ODE d='.word(dlist, i+1), \
       Dl w l dt 3 lw 1 lc rgb '#888888' t 'exit level Δ'
  unset logscale
  set logscale x
  set format x '%g'
  set format y '%g'
  set xrange [*:*]
  set xlabel 'd'
  set ylabel 'plateau exit t (first R − Δ/2 < Δ)'
  set key top left box opaque font ',9'
  set title sprintf('exit times, %s seeds per d (not exited: left out)', seeds) font ',10'
  if (nexit == 0) {
    set label 9 'no run left the plateau (short runs)' at graph 0.5,0.5 center
    plot [10:1000][0:1] 2 notitle
    unset label 9
  } else {
  plot fe u ($1*0.97):(($3 > 0) ? $3 : 1/0) w p pt 7 ps 0.8 lc rgb '#1f77b4' t 'SGD', \
       fe u ($1*1.03):(($4 > 0) ? $4 : 1/0) w p pt 4 ps 0.8 lw 1.5 lc rgb '#d62728' t 'ODE from the same start'
  }
  unset multiplot
  unset output
  unset logscale
}
