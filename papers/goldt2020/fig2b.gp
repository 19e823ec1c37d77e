# Goldt et al. 2020, Fig. 2b: final overlap matrices Q (left) and R (right) of an M = 2, K = 5 soft committee machine
# after online SGD; erf students (top) specialise, ReLU students (bottom) share the teachers (data from bin/goldt2020/fig2b).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/goldt2020'; outdir='figures/goldt2020'" fig2b.gp
#   fig2b.png / fig2b.pdf   heat maps of seed 0 (long format, `with image`), values printed in each cell
if (!exists("datadir")) datadir = 'data/goldt2020'
if (!exists("outdir")) outdir = 'figures/goldt2020'
system('mkdir -p '.outdir)
ov = datadir.'/fig2b_overlaps.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig2b.gp: font 'DejaVu Sans' not found"; exit status 1 }

Nval  = system("grep -m1 '^# N=' ".ov." | cut -d= -f2")
Kval  = int(system("grep -m1 '^# K=' ".ov." | cut -d= -f2"))
Mval  = int(system("grep -m1 '^# M=' ".ov." | cut -d= -f2"))
eta   = system("grep -m1 '^# eta=' ".ov." | cut -d= -f2")
sig   = system("grep -m1 '^# sigma=' ".ov." | cut -d= -f2")
mode  = system("grep -m1 '^# mode=' ".ov." | cut -d= -f2")
aend  = system("grep -m1 '^# alpha=' ".ov." | sed 's/.*, \\([^]]*\\)\\].*/\\1/'")
# the row count is checked: an empty block would only warn
nrows = int(system("grep -v '^#' ".ov." | grep -c '^[0-9]'"))
if (nrows < 2*Kval*(Kval+Mval)) { print sprintf("fig2b.gp: %s has %d rows, expected >= %d", ov, nrows, 2*Kval*(Kval+Mval)); exit status 1 }

# common colour range over the four seed-0 matrices (blocks 1..4), at least [0, 1]
stats ov index 1:4 u 7 nooutput
cbmin = STATS_min < 0 ? STATS_min : 0
cbmax = STATS_max > 1 ? STATS_max : 1

# viridis, defined by hand (gnuplot 5.4 has no `set palette viridis`)
set palette defined (0 '#440154', 0.14 '#46327e', 0.29 '#365c8d', 0.43 '#277f8e', 0.57 '#1fa187', \
                     0.71 '#4ac16d', 0.86 '#a0da39', 1 '#fde725')
# cell labels: white on dark cells, black on light ones
lab(v) = sprintf('%.2f', abs(v) < 0.005 ? 0 : v)   # no '-0.00'
tcol(v) = ((v - cbmin)/(cbmax - cbmin) > 0.6 ? 0x000000 : 0xffffff)

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,900 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6in,6in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig2b.'.fmt
  set multiplot title sprintf("Goldt et al. 2020, Fig. 2b — final overlaps, M=%d, K=%d, N=%s, η=%s, σ=%s, α=%s (%s mode, seed 0)", \
                              Mval, Kval, Nval, eta, sig, aend, mode) font ',11'
  unset key
  set cbrange [cbmin:cbmax]
  set ytics 1
  set yrange [Kval+0.5:0.5]
  set ylabel 'student i'
  set tics scale 0
  # layout (screen coordinates, square cells): Q (K x K) left, R (K x M) right, one colour box per row
  hq = 0.34; cell = hq/Kval
  do for [row=0:1] {
    act = row == 0 ? 'erf' : 'ReLU'
    yb = row == 0 ? 0.56 : 0.07
    set bmargin at screen yb
    set tmargin at screen yb+hq
    set lmargin at screen 0.10
    set rmargin at screen 0.10+hq
    set xtics 1
    set xrange [0.5:Kval+0.5]
    set xlabel 'student k'
    set title act.': Q_{ik}'
    unset colorbox
    plot ov index (1+2*row) u 6:5:7 w image, \
         '' index (1+2*row) u 6:5:(lab($7)):(tcol($7)) w labels tc rgb variable font ',9'
    set lmargin at screen 0.62
    set rmargin at screen 0.62+Mval*cell
    set xrange [0.5:Mval+0.5]
    set xlabel 'teacher n'
    set title act.': R_{in}'
    set colorbox vertical user origin 0.62+Mval*cell+0.05, yb size 0.025, hq
    plot ov index (2+2*row) u 6:5:7 w image, \
         '' index (2+2*row) u 6:5:(lab($7)):(tcol($7)) w labels tc rgb variable font ',9'
  }
  unset multiplot
  unset output
  unset lmargin
  unset rmargin
  unset tmargin
  unset bmargin
}
