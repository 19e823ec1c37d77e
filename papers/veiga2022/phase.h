/* phase.h — Veiga et al. 2022: what the computed phase diagram (fig1), the width/learning-rate examples (fig8), the
 * Gaussian-start runs (fig9) and the measured theorem (figthm) share: the SGD of the model with the teacher and
 * student starts of the reference sheet, the time exponent extended to the whole (delta, kappa) plane, and the rule
 * that turns measurements at several d into a region.
 *
 * Model (reference sheet sec. 1, veiga.h): ts_sgd with N = d, K = p, M = k, lr = gamma = gamma0 d^-delta,
 * sigma = sqrt(Delta), v_i = 1/p, v*_r = 1/k.  Teacher rows orthonormal with norm sqrt(d) (P = I_k exactly). */
#ifndef VEIGA_PHASE_H
#define VEIGA_PHASE_H

#include <stdint.h>

#include "ts_sgd.h"
#include "veiga.h"

/* The simulation of sp (veiga_sim_alloc with sp->ic = VEIGA_IC_GAUSS: orthonormal teacher rows of norm sqrt(d)), with
 * the students then moved to a warm start: student i = sqrt(d) (m0 u_r + sqrt(1 - m0^2) e_i), r = i mod k, u_r the
 * teacher's unit row r and e_i the unit vector along the i-th drawn Gaussian row with its u_r component removed.  So
 * Q_ii = 1 and M_ir = m0 exactly (round-off), M_is (s != r) and Q_ij ~ d^-1/2 random.  sp->ic is ignored.
 * NULL on invalid input (k > d, m0 outside [0, 1], or what veiga_sim_alloc refuses; reported).  Free with
 * ts_sgd_free. */
ts_sgd *veiga_phase_warm_alloc(const veiga_sim_params *sp, double m0, uint64_t seed);

/* The time exponent extended to the whole plane, continuous in s = kappa + delta: theta = s for s >= 0 (blue line
 * and green), 2 s for s < 0 (orange, and its continuation into red, where 1 + theta < 0). */
double veiga_phase_theta(double kappa, double delta);

/* SGD steps that reach rescaled time t: floor(t d^max(0, 1 + theta)).  In red the clip makes one step per unit of
 * t: the orange time step d^-(1 + theta) would exceed one step.  -1 on invalid input (d < 1, t < 0, non-finite). */
long veiga_phase_steps(double kappa, double delta, double d, double t);

/* The classification rule of the computed phase diagram (fig1.c), applied to measurements at nd >= 2 values d[]
 * (ascending) of one (kappa, delta) point, each over n_seeds >= 2 runs started at (a small perturbation of) the
 * teacher.  Theory (reference sheet sec. 2): at finite d every region is the blue dynamics with an effective rate
 * (gamma0/p0) d^-(kappa+delta) per unit rescaled time, so the stationary R - Delta/2 scales as d^-(kappa+delta):
 * it vanishes (green), stays O(Delta) (blue) or grows towards O(1) (orange); in red one SGD step does not shrink.
 *   r_mean[i], r_se[i]   seed mean of r = time average of R - Delta/2 over the second half of the run, and its SE
 *   r_cv                 seed std / mean of r at the largest d
 *   jump_mean[i]         seed mean of the mean per-step change of the overlaps over the first SGD steps (fig1:
 *                        max over Q_ii and M_ir)
 *   n_div[i]             runs that diverged (TS_EDIVERGE)
 * Rule, in this order:
 *   red     any run diverged; or the fitted exponent of jump_mean against d is >= 0 (a step does not shrink with d:
 *           no deterministic limit, the theorem's delta_t -> 0 fails); or r_cv > cv_max (no concentration);
 *   green   b < -b_th, with b the least-squares exponent of r_mean against d (log axes);
 *   orange  b > +b_th;
 *   blue    otherwise (a d-independent level).
 * Outputs: *cls; *slope = b, *slope_se = max(residual SE of the fit, SE propagated from r_se by the delta method),
 * *jump_slope (NAN when a run diverged).  Output pointers other than cls may be NULL.  Returns TS_OK, or TS_EINVAL if
 * nd is not in 2..64, d is not ascending, or (no divergence) a mean is not finite and > 0. */
int veiga_phase_classify(int nd, const double *d, const double *r_mean, const double *r_se, double r_cv,
                         const double *jump_mean, const int *n_div, double cv_max, double b_th, veiga_region *cls,
                         double *slope, double *slope_se, double *jump_slope);

/* max |a - b| over the entries of Q and M (= R) of two states of the same shape: ||Omega_a - Omega_b||_inf
 * (P is fixed).  NAN if the shapes differ. */
double veiga_phase_dist(const ts_scm_state *a, const ts_scm_state *b);

#endif
