# Lampinen & Ganguli 2019, Fig. 9 (App. B): alignment lag of randomly initialised students (data from bin/lampinen2019/fig9).
# Called as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig9.gp
#   fig9.png / fig9.pdf  rows: one (Nl = 3) and three (Nl = 5) hidden layers; columns: rank-1 and rank-3 teacher (svm = 2).
#   Per teacher mode a: |u_a.uhat_a| (solid), |v_a.vhat_a| (dashed) and s_a/shat_a (thick dotted) against t/tau
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
f = datadir.'/fig9.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig9.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nr < 10) { print sprintf("fig9.gp: %s has %d rows", f, nr); exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
mc(a) = (a == 0 ? 0x2ca02c : a == 1 ? 0xff7f0e : 0x1f77b4)
ml(a) = (a == 0 ? 'mode 1 (strongest)' : a == 1 ? 'mode 2' : 'mode 3')
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,900 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 10in,7in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig9.'.fmt
  set multiplot layout 2,2 title sprintf("Lampinen and Ganguli 2019, Fig. 9 — random init, svm = 2: |u·û| (solid), |v·v̂| (dashed), s/ŝ (dotted) (%s mode)", mode) font ',12'
  set grid lc rgb '#dddddd'
  set yrange [0:1.05]
  set xlabel 't/τ'
  set key bottom right font ',9'
  do for [nl in "3 5"] {
    do for [R in "1 3"] {
      set title sprintf('Nl = %s (%s hidden layer%s), rank %s', nl, nl == 3 ? 'one' : 'three', nl == 3 ? '' : 's', R)
      plot for [a=0:R-1] f u ($1 == nl && $2 == R && $3 == a ? $4 : 1/0):5 w l lw 2 lc rgb mc(a) t ml(a), \
           for [a=0:R-1] f u ($1 == nl && $2 == R && $3 == a ? $4 : 1/0):6 w l lw 1.5 dt 2 lc rgb mc(a) notitle, \
           for [a=0:R-1] f u ($1 == nl && $2 == R && $3 == a ? $4 : 1/0):7 w l lw 3 dt 3 lc rgb mc(a) notitle
    }
  }
  unset multiplot
  unset output
}
