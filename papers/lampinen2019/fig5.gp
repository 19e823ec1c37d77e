# Lampinen & Ganguli 2019, Fig. 5: leaky-ReLU networks on the linear teacher task (data from bin/lampinen2019/fig5).
# Called as: gnuplot -e "datadir='data/lampinen2019'; outdir='figures/lampinen2019'" fig5.gp
#   fig5.png / fig5.pdf  columns: one hidden layer rank 1, rank 3 (compare Fig. 3a,b / 3e,f), three hidden layers rank 1,
#   rank 3 (compare Fig. 4); rows: ln eps_train, ln eps_test against t/tau, one curve per svm
if (!exists("datadir")) datadir = 'data/lampinen2019'
if (!exists("outdir")) outdir = 'figures/lampinen2019'
system('mkdir -p '.outdir)
f = datadir.'/fig5.tsv'
if (strlen(system("fc-list 'DejaVu Sans' 2>/dev/null")) == 0) { print "fig5.gp: font 'DejaVu Sans' not found"; exit status 1 }
nr = int(system("grep -v '^#' ".f." | grep -c '^[0-9]'"))
if (nr < 10) { print sprintf("fig5.gp: %s has %d rows", f, nr); exit status 1 }
mode = system("grep -m1 '^# mode=' ".f." | cut -d= -f2")
col(s) = (s == 5 ? 0x1f77b4 : s == 10 ? 0xff7f0e : 0x2ca02c)
do for [fmt in "png pdf"] {
  if (fmt eq "png") { set terminal pngcairo size 1600,750 font 'DejaVu Sans,11' enhanced }
  else              { set terminal pdfcairo size 13in,6in font 'DejaVu Sans,9' enhanced }
  set output outdir.'/fig5.'.fmt
  set multiplot layout 2,4 title sprintf("Lampinen and Ganguli 2019, Fig. 5 — leaky-ReLU (0.1) hidden layers, linear teacher, N1 = 100, N3 = 50, hidden 50 (%s mode)", mode) font ',12'
  set grid lc rgb '#dddddd'
  set xlabel 't/τ'
  set key bottom left font ',9'
  do for [row=0:1] {
    do for [nl in "3 5"] {
      do for [R in "1 3"] {
        set title sprintf('%s hidden layer%s, rank %s', nl == 3 ? 'one' : 'three', nl == 3 ? '' : 's', R)
        set ylabel (row == 0 ? 'ln ε_{train}' : 'ln ε_{test}')
        # panels without runs in this mode (smoke) get a note instead of an empty plot (which gnuplot refuses)
        cnt = int(system(sprintf("awk '!/^#/ && $1 == %s && $2 == %s' %s | wc -l", nl, R, f)))
        if (cnt == 0) {
          set label 1 'not run in this mode' at graph 0.5, 0.5 center
          plot [0:1][0:1] NaN notitle
          unset label 1
        } else {
          plot [*:*][*:*] for [s in "5 10 30"] f u ($1 == nl && $2 == R && $3 == s+0 ? $4 : 1/0):(row == 0 ? $5 : $6) w l lw 2 lc rgb col(s+0) t 'svm='.s
        }
      }
    }
  }
  unset multiplot
  unset output
}
