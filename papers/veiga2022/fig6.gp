# Veiga et al. 2022, figure 6: the learning-rate trade-off at kappa = 0 (SGD only; data from bin/veiga2022/fig6).
# x = nu/d (samples per dimension): each run's records are its region grid t = nu/d^(1+delta), so x = t d^delta and
# the first record sits at x = d^delta.  Seed means +- SE; the dotted horizontal line is the risk level of the
# sample-cost claim.  Called as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig6.gp
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig6.gp: font 'DejaVu Sans' not found"; exit status 1 }
f = datadir.'/fig6.tsv'
n = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c .")); if (n < 4) { print "fig6.gp: ".f." is empty"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
d = system("grep -m1 '^# d=' ".f." | cut -d= -f2")
seeds = system("grep -m1 '^# seeds_per_delta=' ".f." | cut -d= -f2")
dl = '0 1/4 3/8 1/2'
cols = '#1f77b4 #2ca02c #9467bd #d62728'
set logscale xy
set format x '10^{%L}'; set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key bottom left box opaque font ',10'
set xlabel 'ν / d'
set ylabel 'R − Δ/2'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,640 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.2in,4.4in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig6.'.fmt
  set title sprintf('Veiga et al. 2022, Fig. 6 — trade-off, κ=0, γ=8 d^{−δ}, d=%s, Δ=10^{-3}, %s seeds (%s mode)', d, seeds, mode) font ',12'
  plot for [i=0:3] f u ($1==i ? $5*$2**$4 : 1/0):6:7 w yerrorlines pt 7 ps 0.5 lw 1.5 lc rgb word(cols,i+1) t 'δ='.word(dl,i+1), \
       3e-4 w l dt 3 lc rgb '#555555' t 'level of the sample-cost claim'
  unset output
}
