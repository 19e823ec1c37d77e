# Tian 2020, Fig. 10 — REAL-DATA SUBSTITUTE (Fashion-MNIST, fully connected 784-64-64-10 teacher; the paper uses
# CIFAR-10 and a pruned ConvNet): per-layer rho_mean of students with over-realisation m against epoch (left) and their
# test accuracy on the true labels (right); data from bin/tian2020/fig10.
# Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig10.gp
#   fig10.png / fig10.pdf   mean over seeds with one-SE error bars; layer 1 solid, layer 2 dashed
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
f = datadir.'/fig10.tsv'

if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig10.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nrows < 4) { print sprintf("fig10.gp: %s has %d rows, expected >= 4", f, nrows); exit status 1 }
mode  = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
nblk  = int(system("grep -v '^#' ".f." | awk 'NR>1 && $1 ~ /^[0-9]/ {print $1}' | sort -un | wc -l"))
mlist = system("grep -v '^#' ".f." | awk 'NR>1 && $1 ~ /^[0-9]/ {print $1}' | sort -un | tr '\\n' ' '")
tacc  = real(system("grep -m1 '^# teacher=' ".f." | sed 's/.*test accuracy \\([0-9.]*\\).*/\\1/'"))
seeds = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2 | cut -d' ' -f1")

pal = '#1f77b4 #2ca02c #ff7f0e #d62728 #9467bd'
colour(i) = word(pal, i+1)

set grid lc rgb '#dddddd'
set xlabel 'epoch'
set key font ',9' spacing 1.0 opaque box

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,520 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8in,3.5in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig10.'.fmt
  set multiplot layout 1,2 title sprintf("Tian 2020, Fig. 10 — SUBSTITUTE: Fashion-MNIST, teacher 784-64-64-10 (test accuracy %.3f), students 784-64m-64m-10 by MSE on its logits (%s mode, %s seeds)", tacc, mode, seeds) font ',10'
  set title 'ρ_{mean} on the test images (solid: layer 1, dashed: layer 2)'
  set ylabel 'ρ_{mean}'
  set yrange [0:1]
  set key bottom right
  plot for [i=0:nblk-1] f index i u 2:3:4 w yerrorlines lw 2 pt 7 ps 0.6 lc rgb colour(i) t sprintf('%sx layer 1', word(mlist, i+1)), \
       for [i=0:nblk-1] f index i u 2:5:6 w yerrorlines lw 2 dt 2 pt 6 ps 0.6 lc rgb colour(i) t sprintf('%sx layer 2', word(mlist, i+1))
  set title 'student accuracy on the true test labels (from epoch 1)'
  set ylabel 'test accuracy'
  set yrange [0.78:0.88]
  set xrange [1:*]
  set key bottom right
  plot for [i=0:nblk-1] f index i u 2:7:8 w yerrorlines lw 2 pt 7 ps 0.6 lc rgb colour(i) t sprintf('%sx', word(mlist, i+1)), \
       tacc w l lw 1.5 dt 3 lc rgb 'black' t 'teacher'
  unset multiplot
  unset output
  set xrange [*:*]
}
