# Tian 2020, Fig. 6: per-layer rho_mean (left axis) and evaluation loss (right axis) against the training-set size,
# MSE (left panel) and cross-entropy (right panel); teacher 20-50-75-100-125-100, student 2x (data from bin/tian2020/fig6).
# Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig6.gp
#   fig6.png / fig6.pdf   mean over seeds with one-SE error bars; dotted: rho_mean of the untrained student
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
f = datadir.'/fig6.tsv'

if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig6.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nrows < 4) { print sprintf("fig6.gp: %s has %d rows, expected >= 4", f, nrows); exit status 1 }
mode  = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
sgd   = system("grep -m1 '^# sgd=' ".f." | cut -d= -f2")
seeds = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2 | cut -d';' -f1")

# columns: loss N eval_loss se eval_mse se rho1 se rho2 se rho3 se rho4 se agree se rho1_init .. rho4_init
rc(l) = 7 + 2*(l-1)
col1 = '#1f77b4'; col2 = '#2ca02c'; col3 = '#ff7f0e'; col4 = '#d62728'
colour(l) = word(col1.' '.col2.' '.col3.' '.col4, l)

set grid lc rgb '#dddddd'
set logscale x
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0
set xlabel 'training-set size N (x1000)'
set ylabel 'ρ_{mean}'
set y2label 'evaluation loss'
set ytics nomirror
set y2tics
set yrange [0:1]
set key bottom right font ',8' spacing 1.0 opaque box

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,520 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8in,3.5in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig6.'.fmt
  set multiplot layout 1,2 title sprintf("Tian 2020, Fig. 6 — teacher 20-50-75-100-125-100, student 2x, x∼N(0,10^2I); %s (%s mode, %s seeds)", sgd, mode, seeds) font ',10'
  do for [lo=0:1] {
    set title (lo == 0 ? 'MSE loss' : 'cross-entropy loss (teacher argmax)')
    set y2range [0:*]
    plot for [l=1:4] f index lo u ($2/1000):rc(l):rc(l)+1 w yerrorlines lw 2 pt 7 ps 0.7 lc rgb colour(l) t sprintf('ρ_{mean} layer %d', l), \
         for [l=1:4] f index lo u ($2/1000):(column(16+l)) w l lw 1 dt 3 lc rgb colour(l) t (l == 1 ? 'ρ_{mean} at init (chance level)' : ''), \
         f index lo u ($2/1000):3:4 axes x1y2 w yerrorlines lw 2 dt 2 pt 6 lc rgb 'black' t (lo == 0 ? 'eval MSE' : 'eval CE')
  }
  unset multiplot
  unset output
}
