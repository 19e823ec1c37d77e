/* Veiga et al. 2022, figure 4: the green region at kappa = 0, delta = 0.5 (gamma = 8 d^-0.5, time nu/d^(1+0.5)).
 * Panel a: SGD at several d (seed means) with the green ODE (perfect learning: no floor); the simulations follow the
 * ODE early and then saturate at R_inf(d).  Panel b: R_inf against d for Delta in {1e-4, 1e-3, 1e-2} with log-log
 * fits; the slides' law R_inf - Delta/2 ~ Delta d^-delta predicts slope -0.5.  The program is
 * veiga_green_figure_main (lib_veiga.c), shared with figure 5.
 * Modes: smoke (d in {20, 30, 40}, t_max = 10, 2 seeds), fast (d in {30, 50, 100, 150, 200, 300}, t_max = 10^3,
 * 3 seeds), full (the paper's 17 d values 30..1000, t_max = 10^4, 5 seeds). */
#include "veiga.h"

int main(int argc, char **argv) { return veiga_green_figure_main(argc, argv, "fig4", 0.5); }
