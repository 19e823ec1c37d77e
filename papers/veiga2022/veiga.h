/* veiga.h — Veiga, Stephan, Loureiro, Krzakala, Zdeborová 2022: the regions of the (delta, kappa) phase diagram of
 * one-pass SGD and how each region's ODE is the shared engine (common/ts_ode) with other coefficients.
 *
 * Model (reference sheet sec. 1): erf committee machines, student f = (1/p) sum_i g(w_i.x/sqrt d) with p ~ d^kappa,
 * teacher (1/k) sum_r g(w*_r.x/sqrt d), labels y = f* + sqrt(Delta) xi, step w_i += (gamma/p)(y - f) g'(lambda_i)
 * x/sqrt d with gamma = gamma0 d^-delta.  In ts_sgd / ts_ode terms: K = p, M = k, v_i = 1/p, v*_r = 1/k,
 * lr = gamma, sigma = sqrt(Delta); the risk R - Delta/2 is ts_scm_eg of the overlaps (no Delta inside).
 *
 * Rescaled time t = nu delta_t with delta_t = d^-(1 + theta):
 *   region   condition              theta          ODE terms kept (ts_ode c_grad, c_noise)
 *   blue     kappa + delta = 0       0              both   (1, 1)       Saad–Solla
 *   green    kappa + delta > 0       kappa + delta  gradient only (1, 0): perfect learning
 *   orange   -1/2 < kappa+delta < 0  2(kappa+delta) noise only (0, 1): M frozen, R - Delta/2 rises to O(1)
 *   red      kappa + delta < -1/2    -              no deterministic limit
 * With p = p0 d^kappa the limit ODE in t has lr / p0 = gamma0 / p0 in front of the gradient terms and
 * (gamma0 / p0)^2 in front of the noise terms, i.e. ts_ode with K = p0, v_i = 1/p0, lr = gamma0, and the
 * region's (c_grad, c_noise): one ODE per region, independent of (kappa, delta) inside it. */
#ifndef VEIGA_H
#define VEIGA_H

#include "ts_ode.h"
#include "ts_scm.h"

typedef enum { VEIGA_BLUE = 0, VEIGA_GREEN, VEIGA_ORANGE, VEIGA_RED } veiga_region;

/* Default half-width of the boundary bands: kappa + delta within VEIGA_REGION_TOL of 0 is the blue line; within it
 * of -1/2 is the orange/red boundary (no region). */
#define VEIGA_REGION_TOL 1e-9

/* The region of (kappa, delta), by the slides' conditions with a tolerance band `tol` >= 0 (never exact float
 * equality): |kappa+delta| <= tol -> blue; > tol -> green; in (-1/2 + tol, -tol) -> orange; < -1/2 - tol -> red.
 * Returns TS_OK, or TS_EINVAL (reported) if a value is not finite, tol < 0 or tol >= 1/4, or kappa+delta lies within
 * tol of -1/2 (the orange/red boundary belongs to neither region). */
int veiga_region_of(double kappa, double delta, double tol, veiga_region *r);

/* "blue", "green", "orange", "red". */
const char *veiga_region_name(veiga_region r);

/* The time exponent theta of the region (delta_t = d^-(1 + theta)): 0, kappa+delta, 2(kappa+delta); NAN for red. */
double veiga_theta(veiga_region r, double kappa, double delta);

/* The number of SGD steps (samples) that reach rescaled time t at dimension d: floor(t d^(1 + theta)), as the
 * authors' code (x_scale = d^(1+theta)).  -1 for red. */
long veiga_steps_for_time(veiga_region r, double kappa, double delta, double d, double t);

/* ts_ode parameters of the region's limit ODE (see the table above): erf, K = p0, M = k, lr = gamma0,
 * sigma = sqrt(Delta), (c_grad, c_noise) of the region.  TS_EINVAL for red or invalid numbers.  The state must
 * have v_i = 1/p0 and v*_r = 1/k: use veiga_state_init. */
int veiga_ode_params(veiga_region r, int p0, int k, double gamma0, double Delta, ts_ode_params *out);

/* Sets the second layers of s to v_i = 1/K, v*_r = 1/M (the committee normalisation). */
void veiga_state_init(ts_scm_state *s);

/* R - Delta/2 of the overlaps in s (erf; equals 1/2 E (f* - f)^2 over noiseless inputs, the sheet's formula). */
double veiga_risk(const ts_scm_state *s);

/* The authors' record grid for t_max = 10^L (L >= 0): t in {1..9, 10..90, ..., 10^L}, i.e. 9L + 1 points, written to
 * t (caller allocates 9L + 1) and the count returned; -1 if L < 0 or L > 12. */
int veiga_record_grid(int L, double *t);

#endif
