# Tian 2020, figure 9: train and eval MSE against the training-set size for teacher-agnostic (Gaussian), the
# authors' teacher-aware set (theory_suggest_train) and Definition 7 (b)/(a) as printed; geometric mean over seeds,
# bars x/ exp(SE of the log).  Data from bin/tian2020/fig9.
# Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig9.gp
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
f = datadir.'/fig9.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig9.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nrows < 8) { print sprintf("fig9.gp: %s has %d rows", f, nrows); exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
ns = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2")
lab(k) = word("Gaussian(agnostic) code-aware(theory\\_suggest\\_train) Def.7(b)(aware) Def.7(a)(agnostic-aug.)", k+1)
col(k) = word("#1f77b4 #d62728 #2ca02c #7f7f7f", k+1)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,520 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 9in,3.6in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig9.'.fmt
  set multiplot layout 1,2 title sprintf("Tian 2020, Fig. 9 — teacher-aware vs teacher-agnostic sets, d=20, m=5, 2x, %s seeds (%s mode)", ns, mode)
  set logscale xy
  set format y '10^{%L}'
  set grid lc rgb '#dddddd'
  set xlabel 'training-set size N'
  set key bottom left font ',9'
  do for [w=0:1] {
    set title (w == 0 ? 'train MSE' : 'eval MSE')
    set ylabel (w == 0 ? 'train MSE' : 'eval MSE')
    c = (w == 0 ? 4 : 6)
    plot for [k=0:3] f index k u 3:(column(c)):(column(c)*exp(-column(c+1))):(column(c)*exp(column(c+1))) w yerrorlines lw 2 pt 7 lc rgb col(k) t lab(k)
  }
  unset multiplot
  unset output
}
