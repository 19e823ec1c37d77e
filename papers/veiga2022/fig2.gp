# Veiga et al. 2022, figure 2: the three region ODEs from the Figure IC (data from bin/veiga2022/fig2).
# Called as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig2.gp  ->  fig2.png, fig2.pdf
# x: rescaled time t = nu/d^(1+theta) on a log axis (the paper's symlog axis also shows t < 1; the record grid
# starts at t = 1); y: R - Delta/2, log.
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig2.gp: font 'DejaVu Sans' not found"; exit status 1 }
f = datadir.'/fig2.tsv'
nrows = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c .")); if (nrows < 5) { print "fig2.gp: ".f." is empty"; exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
green = '#2ca02c'; blue = '#1f77b4'; orange = '#ff7f0e'
set logscale xy
set format x '10^{%L}'; set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key bottom left box opaque font ',10'
set xlabel 'rescaled time t = ν / d^{1+θ}'
set ylabel 'R − Δ/2'
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 900,640 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 6.2in,4.4in font 'DejaVu Sans,10' enhanced }
  set output outdir.'/fig2.'.fmt
  set title sprintf('Veiga et al. 2022, Fig. 2 — region ODEs, Figure IC, p=8, k=4, γ_0=8, Δ=10^{-3} (%s mode)', mode) font ',12'
  plot f u ($1==0 ? $2 : 1/0):3 w l lw 2.5 lc rgb green t 'green (κ+δ>0): gradient terms only', \
       f u ($1==1 ? $2 : 1/0):3 w l lw 2.5 lc rgb blue t 'blue (κ+δ=0): all terms', \
       f u ($1==2 ? $2 : 1/0):3 w l lw 2.5 lc rgb orange t 'orange (κ=0, δ=−3/8): noise terms only', \
       f u ($1==3 ? $2 : 1/0):3 w l lw 1.5 dt 2 lc rgb blue t 'blue, Δ=10^{-4} (floor ∝ Δ)', \
       f u ($1==4 ? $2 : 1/0):3 w l lw 1.5 dt 2 lc rgb orange t 'orange, Δ=0'
  unset output
}
