# Lampinen & Ganguli 2019, Fig. 12 (App. F): transfer benefit T^{A←B} vs the input overlap q for leaky-ReLU teachers
# and students, at sA = 0.84, 3, 100 and several sB (data from bin/lampinen2019/fig12): gradient-descent simulations,
# mean ± 1.96 SE over seeds.
# Called by tools/figures.sh as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig12.gp
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
f = datadir.'/fig12.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig12.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c ."))
if (nr < 2) { print "fig12.gp: ".f." has too few rows"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
seeds = system("grep -m1 '^# seeds=' ".f." | cut -d= -f2 | cut -d';' -f1")
sAs = '0.84 3 100'
sBs = '0.84 3 10 30 100'
sBp = ' '.system("grep -m1 '^# sB_list=' ".f." | cut -d= -f2").' '
has(b) = strstrt(sBp, ' '.word(sBs,b).' ') > 0
colors = '#440154 #31688e #35b779 #d8a800 #d62728'
set grid lc rgb '#dddddd'
# rows of panel a, curve b (x and y both undefined elsewhere, so that autoscaling sees only this panel)
ok(a,b) = ($1==word(sAs,a)+0 && $2==word(sBs,b)+0)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1500,480 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 10in,3.2in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig12.'.fmt
  set multiplot layout 1,3 title 'Lampinen and Ganguli 2019, Fig. 12 — nonlinear transfer T^{A←B}: leaky-ReLU teacher (4 rank-2 blocks) and student, N_1 = 100, N_3 = 50 per task, hidden 50 ('.mode.' mode, '.seeds.' seeds)' font ',12'
  set xlabel 'q = v_A·v_B (every teacher block)'
  set ylabel 'T^{A←B}'
  set xrange [-0.05:1.05]
  do for [a=1:3] {
    set title sprintf('s_A = %s', word(sAs,a))
    if (a == 3) { set format y '%.1e' } else { set format y '%g' }
    set key top left box opaque font ',9'
    set autoscale y
    set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb 'black'
    plot for [b=1:5] f u (ok(a,b) ? $3 : 1/0):(ok(a,b) ? $4 : 1/0):(1.96*$5) w yerrorlines pt 7 ps 0.6 lw 1.2 lc rgb word(colors,b) t (has(b) ? 's_B = '.word(sBs,b) : '')
  }
  unset multiplot
  unset output
}
