# Tian 2020, figure 5: the L-shape (data from bin/tian2020/fig5).  One panel per (p, over-realisation); each point
# is a student node: x = its best train correlation with a teacher, y = its fan-out norm ||v_k||; colour = seed.
# Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig5.gp
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
f = datadir.'/fig5.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig5.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nrows < 12*10) { print sprintf("fig5.gp: %s has %d rows", f, nrows); exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
ep = system("grep -m1 '^# epochs=' ".f." | cut -d= -f2")
ns = int(system("grep -m1 '^# seeds=' ".f." | cut -d= -f2"))
dd = system("grep -m1 '^# d=' ".f." | cut -d= -f2")
set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')
unset colorbox
set cbrange [0:(ns > 1 ? ns-1 : 1)]
pol = "0 1 2"
mul = "1 2 5 10"
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1400,1000 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 10in,7in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig5.'.fmt
  set multiplot layout 3,4 title sprintf("Tian 2020, Fig. 5 — best train ρ vs ||v_k|| per student, d=%s, m=10, %d seeds (colour), %s (%s mode)", dd, ns, ep, mode)
  set xrange [0:1.1]
  set yrange [-0.1:2.5]   # the paper's axes
  set grid lc rgb '#dddddd'
  unset key
  do for [ip=0:2] {
    do for [im=0:3] {
      set title sprintf('p = %s, %sx', word(pol, ip+1), word(mul, im+1))
      set xlabel (ip == 2 ? 'max_j ρ_{jk} (train)' : '')
      set ylabel (im == 0 ? '||v_k||' : '')
      plot f index (ip*4+im) u 5:7:3 w p pt 7 ps 0.6 lc palette
    }
  }
  unset multiplot
  unset output
}
