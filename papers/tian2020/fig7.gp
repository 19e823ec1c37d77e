# Tian 2020, figure 7: success rate of recovering each teacher (index 0 = strongest) vs polarity p and
# over-realisation; dotted: after 5 epochs, solid: at the end; bars: Wilson 95% intervals over seeds (end, 1x and
# 10x only, for legibility).
# Data from bin/tian2020/fig7.  Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig7.gp
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
f = datadir.'/fig7.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig7.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nrows < 40*5) { print sprintf("fig7.gp: %s has %d rows", f, nrows); exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
ep = system("grep -m1 '^# epochs=' ".f." | cut -d= -f2")
ns = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2")
mm = int(system("grep -m1 '^# m=' ".f." | cut -d= -f2"))
pol = "0.5 1 1.5 2 2.5"
mul = "1 2 5 10"
col(i) = word("#1f77b4 #ff7f0e #2ca02c #d62728", i+1)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1700,420 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 12in,3in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig7.'.fmt
  set multiplot layout 1,5 title sprintf("Tian 2020, Fig. 7 — success rate per teacher (ρ > 0.95), m=%d, %s seeds, %s (%s mode)", mm, ns, ep, mode)
  set xrange [-0.5:mm-0.5]
  set yrange [-0.05:1.05]
  set grid lc rgb '#dddddd'
  set xlabel 'teacher index'
  do for [ip=0:4] {
    set title sprintf('p = %s', word(pol, ip+1))
    set ylabel (ip == 0 ? 'success rate' : '')
    if (ip == 0) { set key bottom left font ',9' samplen 2 } else { unset key }
    plot for [im=0:3:3] f index (ip*8+im*2+1) u ($4+0.1*(im-1.5)):5:6:7 w yerrorbars pt 7 ps 0.4 lw 0.6 lc rgb col(im) notitle, \
         for [im=0:3] f index (ip*8+im*2+1) u 4:5 w l lw 2 lc rgb col(im) t word(mul, im+1).'x end', \
         for [im=0:3] f index (ip*8+im*2) u 4:5 w l lw 1.5 dt 3 lc rgb col(im) t word(mul, im+1).'x 5 epochs'
  }
  unset multiplot
  unset output
}
