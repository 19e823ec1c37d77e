# Lampinen & Ganguli 2019, Fig. 2: singular values of noisy data vs random matrix theory (data from bin/lampinen2019/fig2).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig2.gp
#   fig2.png / fig2.pdf   (a) histogram of one draw (A = 1/2, sbar = 9, 6, 3) with the MP count and the outliers
#                         (bars x5) at eq. (11); (b) shat(sbar), eq. (11); (c) O(sbar), eq. (12); MC mean +- 1.96 SE
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
fh = datadir.'/fig2.tsv'
fo = datadir.'/fig2_out.tsv'
fb = datadir.'/fig2_bc.tsv'
ft = datadir.'/fig2_theory.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig2.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".fb." | tail -n +2 | grep -c ."))
if (nr < 4) { print "fig2.gp: ".fb." has too few rows"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".fb." | cut -d= -f2")
pa = system("grep -m1 '^# panel_a=' ".fb." | sed 's/^# panel_a=//' | cut -d' ' -f1,2")
pb = system("grep -m1 '^# panel_bc=' ".fb." | sed 's/^# panel_bc=//' | cut -d, -f1")
set grid lc rgb '#dddddd'
colors = '#440154 #31688e #35b779 #d8a800'
Avals = '0.25 0.5 0.75 1'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1500,480 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 10in,3.2in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig2.'.fmt
  set multiplot layout 1,3 title 'Lampinen and Ganguli 2019, Fig. 2 — noisy data spectra vs eqs. (11)–(13) ('.mode.' mode)' font ',12'
  set title '(a) singular values, A = 1/2, '.pa
  set xlabel 'singular value'
  set ylabel 'count'
  set key top right box opaque
  set style fill solid 0.5 noborder
  set boxwidth 0.2
  set xrange [0:10]
  set yrange [0:*]
  plot fh u 1:2 w boxes lc rgb '#31688e' t 'data (one draw)', \
       '' u 1:3 w l lw 2 lc rgb '#d62728' t 'MP, eq. (13)', \
       fo u 2:(5) w impulses lw 4 lc rgb '#31688e' t 'outliers (x5)', \
       '' u 3:(5) w impulses lw 2 dt 2 lc rgb '#d62728' t 'eq. (11)'
  set title '(b) ŝ(s̄), '.pb
  set xlabel 's̄'
  set ylabel 'ŝ'
  set xrange [0:5]
  set yrange [0:*]
  set key top left box opaque
  plot for [k=0:3] ft index k u 2:3 w l lw 2 lc rgb word(colors,k+1) t 'A = '.word(Avals,k+1), \
       for [k=1:4] fb u ($1==word(Avals,k)+0 ? $2 : 1/0):3:(1.96*$4) w yerr pt 7 ps 0.6 lc rgb word(colors,k) notitle
  set title '(c) O(s̄) = |ū·û||v̄·v̂|'
  set ylabel 'O'
  set yrange [0:1.05]
  set key bottom right box opaque
  plot for [k=0:3] ft index k u 2:4 w l lw 2 lc rgb word(colors,k+1) t 'A = '.word(Avals,k+1), \
       for [k=1:4] fb u ($1==word(Avals,k)+0 ? $2 : 1/0):5:(1.96*$6) w yerr pt 7 ps 0.6 lc rgb word(colors,k) notitle
  unset multiplot
  unset output
}
