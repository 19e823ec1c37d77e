# Tian 2020, figure 8: best eval correlation of each of the 20 teachers against the epoch (5x), seed 0; rainbow
# colour = teacher index (0 = strongest).  Right: first epoch with ρ > 0.95 per teacher, every seed.
# Data from bin/tian2020/fig8.  Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig8.gp
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
f = datadir.'/fig8.tsv'
g = datadir.'/fig8_first.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig8.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nrows < 20) { print sprintf("fig8.gp: %s has %d rows", f, nrows); exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
ns = int(system("grep -m1 '^# seeds=' ".f." | cut -d= -f2"))
mm = int(system("grep -m1 '^# m=' ".f." | cut -d= -f2"))
mu = system("grep -m1 '^# multi=' ".f." | cut -d= -f2")
set palette defined (0 '#d62728', 0.2 '#ff7f0e', 0.4 '#bcbd22', 0.6 '#2ca02c', 0.8 '#1f77b4', 1 '#9467bd')
set cbrange [0:mm-1]
set cblabel 'teacher index'
pol = "1.5 2.5"
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1500,480 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 10.5in,3.4in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig8.'.fmt
  set multiplot layout 1,3 title sprintf("Tian 2020, Fig. 8 — max_k ρ_{jk} (eval) per teacher vs epoch, m=%d, %sx (%s mode)", mm, mu, mode)
  set grid lc rgb '#dddddd'
  unset key
  do for [ip=0:1] {
    set title sprintf('p = %s, seed 0', word(pol, ip+1))
    set xlabel 'epoch (1000 steps)'
    set ylabel 'max_k ρ_{jk}'
    set yrange [*:1.02]
    set xrange [0:*]
    plot f index (ip*ns) u 3:5:4 w l lw 1.5 lc palette, 0.95 w l dt 2 lc rgb 'black'
  }
  set title sprintf('first epoch with ρ > 0.95 (%d seeds; never: not shown)', ns)
  set xlabel 'teacher index'
  set ylabel 'epoch'
  set yrange [0:*]
  set xrange [-0.5:mm-0.5]
  set key top left
  plot g u ($1 == 1.5 ? $3-0.15 : 1/0):($4 < 1e300 ? $4 : 1/0) w p pt 7 ps 0.6 lc rgb '#1f77b4' t 'p = 1.5', \
       g u ($1 == 2.5 ? $3+0.15 : 1/0):($4 < 1e300 ? $4 : 1/0) w p pt 5 ps 0.6 lc rgb '#d62728' t 'p = 2.5'
  unset multiplot
  unset output
}
