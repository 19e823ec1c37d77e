# Tian 2020, figure 3: two teachers and six students on x in R^2 (data from bin/tian2020/fig3, seed 0).
# Called as: gnuplot -e "datadir='data/tian2020'; outdir='figures/tian2020'" fig3.gp
#   left:   boundaries w~.x + b = 0 at the end (teachers solid, students dashed; legend ||v_k||)
#   middle: trajectories of the students' weights (w1, w2) from the small initialisation; teacher directions as rays
#   right:  fan-out norms ||v_k|| against SGD steps
if (!exists("datadir")) datadir = 'data/tian2020'
if (!exists("outdir")) outdir = 'figures/tian2020'
system('mkdir -p '.outdir)
tr = datadir.'/fig3_traj.tsv'
te = datadir.'/fig3_teacher.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig3.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".tr." | grep -c '^[0-9]'"))
if (nrows < 12) { print sprintf("fig3.gp: %s has %d rows", tr, nrows); exit status 1 }
mode = system("grep -m1 '^# mode=' ".tr." | cut -d= -f2")
# the last recorded step (rows are selected by value: a column-name line shifts `every` counts)
stats tr index 0 u 1 nooutput
last = STATS_max
array VN[6]
do for [k=0:5] { stats tr index k u ($1 == last ? $6 : 1/0) nooutput; VN[k+1] = STATS_max }
L = 8
# boundary of (w1, w2, b): foot point -b w/|w|^2, direction (-w2, w1)/|w|
n2(a,b) = a*a + b*b
fx(a,b,c) = -c*a/n2(a,b) - L*(-b)/sqrt(n2(a,b))
fy(a,b,c) = -c*b/n2(a,b) - L*a/sqrt(n2(a,b))
set palette defined (0 '#1f77b4', 1 '#ff7f0e', 2 '#2ca02c', 3 '#d62728', 4 '#9467bd', 5 '#8c564b')
col(k) = word("#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b", k+1)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1500,520 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 10in,3.5in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig3.'.fmt
  set multiplot layout 1,3 title sprintf("Tian 2020, Fig. 3 — d=2, m=2 teachers, n=6 students, C=50, σ=1.5, SGD lr 0.01 (%s mode, seed 0)", mode)
  set size ratio -1
  set xrange [-4:4]; set yrange [-4:4]
  set xlabel 'x_1'; set ylabel 'x_2'
  set key bottom right opaque box font ',8' samplen 2
  set title 'boundaries at the end (students dashed)'
  plot te u (fx($2,$3,$4)):(fy($2,$3,$4)):(2*L*(-$3)):(2*L*$2) w vectors nohead lw 3 lc rgb 'black' t 'teachers', \
       for [k=0:5] tr index k u ($1 == last ? fx($3,$4,$5) : 1/0):(fy($3,$4,$5)):(2*L*(-$4)/sqrt(n2($3,$4))):(2*L*$3/sqrt(n2($3,$4))) \
           w vectors nohead dt 2 lw 2 lc rgb col(k) t sprintf('student %d, ||v||=%.2f', k, VN[k+1])
  set size noratio
  set title 'student weights (w_1, w_2) during training'
  set xrange [*:*]; set yrange [*:*]
  set xlabel 'w_1'; set ylabel 'w_2'
  unset key
  plot te u (0):(0):($2*3):($3*3) w vectors nohead lw 3 lc rgb 'black', \
       for [k=0:5] tr index k u 3:4 w l lw 2 lc rgb col(k)
  set title 'fan-out norms ||v_k||'
  set logscale x; set logscale y
  set format y '10^{%L}'; set format x '10^{%L}'
  set xlabel 'SGD step'; set ylabel '||v_k||'
  set xrange [100:*]
  plot for [k=0:5] tr index k u 1:6 w l lw 2 lc rgb col(k)
  unset logscale; set format x '%g'; set format y '%g'
  unset multiplot
  unset output
}
