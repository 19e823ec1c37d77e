# Lampinen & Ganguli 2019, Fig. 1: training-aligned dynamics of one mode, eq. (9) (data from bin/lampinen2019/fig1).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig1.gp
#   fig1.png / fig1.pdf   (a) s(t, shat) for shat = 1, 4, 7, 10 with the half-height times; (b) s/shat vs shat
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
fa = datadir.'/fig1.tsv'
fb = datadir.'/fig1_b.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig1.gp: font 'DejaVu Sans' not found"; exit status 1 }
na = int(system("grep -v '^#' ".fa." | tail -n +2 | grep -c ."))
nb = int(system("grep -v '^#' ".fb." | tail -n +2 | grep -c ."))
if (na < 2 || nb < 2) { print "fig1.gp: empty data"; exit status 1 }
eps = system("grep -m1 '^# eps=' ".fa." | cut -d= -f2")
th = system("grep -m1 '^# t_half=' ".fa." | cut -d= -f2")
set grid lc rgb '#dddddd'
colors = '#440154 #31688e #35b779 #d8a800 #d62728'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1100,460 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 7.5in,3.1in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig1.'.fmt
  set multiplot layout 1,2 title 'Lampinen and Ganguli 2019, Fig. 1 — TA mode dynamics, eq. (9), ε = '.eps.', τ = 1' font ',12'
  set title '(a) s(t, ŝ)'
  set xlabel 't/τ'
  set ylabel 's(t)'
  set key bottom right box opaque
  set xrange [0:5]
  set yrange [0:10.5]
  do for [k=1:4] { set arrow k from word(th,k)+0, graph 0 to word(th,k)+0, graph 1 nohead dt 2 lc rgb word(colors,k) }
  plot fa u 1:2 w l lw 2 lc rgb word(colors,1) t 'ŝ = 1', \
       '' u 1:3 w l lw 2 lc rgb word(colors,2) t 'ŝ = 4', \
       '' u 1:4 w l lw 2 lc rgb word(colors,3) t 'ŝ = 7', \
       '' u 1:5 w l lw 2 lc rgb word(colors,4) t 'ŝ = 10'
  unset arrow
  set title '(b) s/ŝ against ŝ'
  set xlabel 'ŝ'
  set ylabel 's(t)/ŝ'
  set xrange [0:10]
  set yrange [0:1.05]
  set key bottom right box opaque
  plot fb u 1:2 w l lw 2 lc rgb word(colors,1) t 't/τ = 0.5', \
       '' u 1:3 w l lw 2 lc rgb word(colors,2) t 't/τ = 1', \
       '' u 1:4 w l lw 2 lc rgb word(colors,3) t 't/τ = 2', \
       '' u 1:5 w l lw 2 lc rgb word(colors,4) t 't/τ = 3', \
       '' u 1:6 w l lw 2 lc rgb word(colors,5) t 't/τ = 4'
  unset multiplot
  unset output
}
