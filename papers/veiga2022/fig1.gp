# Veiga et al. 2022, Fig. 1 computed: the (delta, kappa) phase diagram measured by SGD (data from bin/veiga2022/fig1).
# Called by tools/figures.sh as: gnuplot -e "datadir='data/veiga2022'; outdir='figures/veiga2022'" fig1.gp
#   fig1.png / fig1.pdf  left: every grid point coloured by its measured class (green, blue, orange, red; grey = not
#                        run), circled when it lies in a boundary band (not compared), crossed when the measured class
#                        differs from the theory; the lines kappa+delta = 0 (blue line) and kappa+delta = -1/2.
#                        right: the measured exponent b of R_inf - Delta/2 against d (+- SE) versus kappa+delta, with
#                        the theory b = -(kappa+delta) (points whose class was measured red are left out).
if (!exists("datadir")) datadir = 'data/veiga2022'
if (!exists("outdir")) outdir = 'figures/veiga2022'
system('mkdir -p '.outdir)
f = datadir.'/fig1.tsv'

# The font must exist: a missing font gives a PNG with no text and exit status 0.
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig1.gp: font 'DejaVu Sans' not found"; exit status 1 }
nrows = int(system("grep -v '^#' ".f." | tail -n +2 | grep -c .")) 
if (nrows < 2) { print sprintf("fig1.gp: %s has %d rows", f, nrows); exit status 1 }

meta(key) = system("grep -m1 '^# ".key."=' ".f." | cut -d= -f2-")
mode = meta('mode')
dl   = meta('d')
summ = meta('summary')
tend = system("grep -m1 '^# t_end=' ".f." | cut -d= -f2 | cut -d';' -f1")

col(c) = (c == 0 ? 0x1f77b4 : (c == 1 ? 0x2ca02c : (c == 2 ? 0xff7f0e : (c == 3 ? 0xd62728 : 0xbbbbbb))))
set grid lc rgb '#eeeeee'

do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,620 font 'DejaVu Sans,12' enhanced }
  else              { set terminal pdfcairo size 8.6in,4.1in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig1.'.fmt
  set multiplot layout 1,2 title sprintf("Veiga et al. 2022, Fig. 1 computed — SGD at d = %s, t = %s (%s mode); %s", dl, tend, mode, summ) font ',11'

  # ---- left: the plane ---------------------------------------------------------------------------------------------
  set xrange [-2.2:1.2]
  set yrange [-0.12:1.62]
  set xlabel 'δ   (γ = γ_0 d^{−δ})'
  set ylabel 'κ   (p = p_0 d^κ)'
  set key below horizontal maxrows 2 font ',9' samplen 1.5
  set title 'measured class (× = differs from theory, ○ = in a boundary band)' font ',10'
  set label 1 'green: κ+δ > 0' at 0.2,1.375 tc rgb '#2ca02c' font ',10' front
  set label 2 'orange' at -1.125,0.875 center tc rgb '#ff7f0e' font ',10' front
  set label 3 'red: κ+δ < −1/2' at -2.15,0.125 tc rgb '#d62728' font ',10' front
  plot -x w l lw 2.5 lc rgb '#1f77b4' t 'κ+δ = 0 (blue line)', \
       -x-0.5 w l lw 2 dt 2 lc rgb '#444444' t 'κ+δ = −1/2', \
       f u 1:(($5 == -1) ? $2 : 1/0):(col($5)) w p pt 4 ps 2.6 lw 1.5 lc rgb variable t 'not run', \
       f u 1:(($5 >= 0) ? $2 : 1/0):(col($5)) w p pt 5 ps 2.6 lc rgb variable t 'measured class', \
       f u 1:(($4 == -1 && $5 >= 0) ? $2 : 1/0) w p pt 6 ps 3.0 lw 2 lc rgb 'black' t 'band (not compared)', \
       f u 1:(($6 == 0) ? $2 : 1/0) w p pt 2 ps 2.2 lw 2.5 lc rgb 'black' t 'disagrees'
  unset label 1
  unset label 2
  unset label 3

  # ---- right: exponent against kappa + delta ----------------------------------------------------------------------------
  set xrange [-0.9:1.1]
  set yrange [*:*]
  set xlabel 'κ + δ'
  set ylabel 'exponent b of R_∞ − Δ/2 against d'
  set key inside top right vertical maxrows auto box opaque font ',9'
  set title 'R_∞ − Δ/2 ∝ d^{−(κ+δ)} (red-measured points left out)' font ',10'
  plot -x w l lw 2 lc rgb '#444444' t 'theory b = −(κ+δ)', \
       f u 3:(($5 >= 0 && $5 < 3) ? $7 : 1/0):8:(col($5)) w yerrorbars pt 7 ps 0.9 lw 1.2 lc rgb variable t 'measured ± SE'
  unset multiplot
  unset output
}
