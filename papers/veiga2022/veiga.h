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
#include <stdint.h>

#include "ts_scm.h"
#include "ts_sgd.h"

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

/* ---- the authors' "Figure IC" (figures 2-7) ------------------------------------------------------------------------
 * P = I_4, M0 = A, Q0 = A A^T with A the 8 x 4 matrix of NumPy's legacy generator after seed(0), randn(8, 4), rows
 * normalised to unit length (reference sheet sec. 4).  NumPy's legacy generator is emulated exactly: MT19937 with
 * init_genrand(seed), doubles (a 2^26 + b)/2^53 from a = next >> 5, b = next >> 6, normals by the Marsaglia polar
 * method (x1, x2 = 2u - 1 until 0 < r^2 < 1; f = sqrt(-2 ln r^2 / r^2); return f x2, cache f x1). */
#define VEIGA_IC_P 8
#define VEIGA_IC_K 4

typedef struct {
  uint32_t mt[624];
  int mti;
  int has_gauss;
  double gauss;
} veiga_np_legacy;

/* MT19937 init_genrand(seed); no cached normal. */
void veiga_np_seed(veiga_np_legacy *g, uint32_t seed);
/* The next 32-bit MT19937 output (genrand_int32). */
uint32_t veiga_np_u32(veiga_np_legacy *g);
/* NumPy's legacy 53-bit double in [0, 1) from two outputs. */
double veiga_np_double(veiga_np_legacy *g);
/* NumPy's legacy standard normal (polar method with its one-value cache). */
double veiga_np_randn(veiga_np_legacy *g);

/* A (8 x 4, row-major, unit rows) of the Figure IC into A[32]. */
void veiga_figure_ic_matrix(double A[VEIGA_IC_P * VEIGA_IC_K]);

/* The Figure IC state: s must be 8 x 4 (TS_EINVAL otherwise); sets Q = A A^T, R = A, T = I, v = 1/8, v* = 1/4. */
int veiga_figure_ic_state(ts_scm_state *s);

/* ---- simulations (one-pass SGD at finite d) ------------------------------------------------------------------------ */
typedef enum { VEIGA_IC_FIGURE = 0, VEIGA_IC_GAUSS = 1 } veiga_ic;

typedef struct {
  int d, p, k;          /* input dimension, student and teacher widths (p is given: p ~ d^kappa is the caller's)  */
  double kappa, delta;  /* exponents: gamma = gamma0 d^-delta; the time scale d^(1 + theta(kappa, delta))         */
  double gamma0, Delta; /* learning-rate prefactor, label-noise variance                                          */
  veiga_ic ic;          /* VEIGA_IC_FIGURE (p = 8, k = 4; W0 = A W*) or VEIGA_IC_GAUSS (rows sqrt(d) x unit vectors) */
  double region_tol;    /* band of veiga_region_of (VEIGA_REGION_TOL)                                              */
} veiga_sim_params;

/* Defaults: d = 1000, p = 8, k = 4, kappa = delta = 0, gamma0 = 8, Delta = 1e-3, Figure IC, VEIGA_REGION_TOL. */
void veiga_sim_params_init(veiga_sim_params *sp);

/* The ts_sgd parameters of a simulation: erf, N = d, K = p, M = k, lr = gamma0 d^-delta, v0 = 1/p, vstar = 1/k,
 * sigma = sqrt(Delta).  ts_sgd's step w_i += (lr/sqrt N) v_i g'(lambda_i) e x is then the sheet's
 * w_i += (gamma/p)(y - f) g'(lambda_i) x/sqrt(d) (tests/test_veiga.c checks one step by hand). */
void veiga_sgd_params(const veiga_sim_params *sp, ts_sgd_params *out);

/* Allocate the simulation of sp with the run's seed and set its initial condition: the teacher rows drawn by ts_sgd
 * are orthonormalised to norm sqrt(d) (P = I); Figure IC: W0 = A W* (Q0 = A A^T, M0 = A up to round-off); Gaussian
 * IC: the drawn student rows rescaled to norm sqrt(d) (Q_ii = 1).  NULL on error (reported). */
ts_sgd *veiga_sim_alloc(const veiga_sim_params *sp, uint64_t seed);

/* One learning curve: from the initial condition, R - Delta/2 (analytic from the overlaps, veiga_risk) at the
 * rescaled times t[0..n-1] (ascending, > 0), i.e. after floor(t_i d^(1 + theta)) SGD steps; the time actually reached,
 * steps / d^(1 + theta), goes to t_rec[i] (may be NULL), R(0) - Delta/2 to *risk0 (may be NULL).  Records with 0
 * steps are allowed (the risk at the start).  Returns TS_OK, TS_EINVAL (red region, bad arguments), TS_ENOMEM, or
 * TS_EDIVERGE with *t_fail (may be NULL) the rescaled time reached.  `progress` (may be NULL) receives steps. */
struct ts_progress;
int veiga_sim_curve(const veiga_sim_params *sp, uint64_t seed, const double *t, int n, double *risk, double *t_rec,
                    double *risk0, double *t_fail, struct ts_progress *progress);

/* A batch of independent simulations (e.g. every (d, Delta, seed) of a figure), run in parallel with OpenMP: each
 * job has its own seed, so the results do not depend on the thread count or the schedule (costliest jobs first). */
typedef struct {
  veiga_sim_params sp;
  uint64_t seed;
  double *risk, *t_rec; /* n each, allocated by veiga_sim_jobs_run, freed by veiga_sim_jobs_free      */
  double risk0;         /* R(0) - Delta/2                                                            */
  int status;           /* TS_OK or the error of veiga_sim_curve                                      */
  double t_fail;        /* rescaled time reached when status != TS_OK                                 */
} veiga_sim_job;

/* Run every job on the record times t[0..n-1]; `label` names the progress line.  Returns TS_OK if every job
 * succeeded; otherwise the first failing job's status, with one line per failure reported (d, Delta, delta, seed,
 * t reached). TS_ENOMEM if the curves cannot be allocated. */
int veiga_sim_jobs_run(veiga_sim_job *jobs, int nj, const double *t, int n, const char *label);
void veiga_sim_jobs_free(veiga_sim_job *jobs, int nj);

/* Mean and standard error over the seeds of a group of jobs (indices idx[0..m-1]) at record i: se = sd/sqrt(m)
 * (inf for m = 1). */
void veiga_jobs_mean(const veiga_sim_job *jobs, const int *idx, int m, int i, double *mean, double *se);

/* ---- the region ODE on a time grid ------------------------------------------------------------------------------- */
/* Integrate the limit ODE of region r (veiga_ode_params: p0 = s->K, k = s->M) from the state s (modified in place) and
 * write R - Delta/2 at t[0..n-1] (ascending, > 0) into risk.  integ: adaptive rkf45 or Euler with integ->dt (e.g. the
 * authors' dt = 1/d_discr^(1+theta)).  Returns TS_OK, TS_EINVAL, TS_ENOMEM or TS_EDIVERGE (*t_fail set). */
int veiga_ode_curve(veiga_region r, double gamma0, double Delta, ts_scm_state *s, const double *t, int n,
                    const ts_ode_integrator *integ, double *risk, double *t_fail);

/* Euler step of the authors' code: dt = 1 / d_discr^(1 + theta) (theta = veiga_theta of the region). */
double veiga_euler_dt(double theta, double d_discr);

/* ---- statistics ------------------------------------------------------------------------------------------------ */
/* OLS of ln y on ln x (n >= 2, all positive): slope, its standard error (inf for n = 2), intercept. */
void veiga_loglog_fit(const double *x, const double *y, int n, double *slope, double *slope_se, double *intercept);

/* ---- figure-program helpers ------------------------------------------------------------------------------------- */
struct ts_table;
/* Open DIR/NAME (ts_table) with the lines every data file of the paper carries: mode, seed, rng, the model, the risk
 * convention.  NULL on error (reported). */
struct ts_table *veiga_table_open(const char *dir, const char *name, const char *program, const char *mode,
                                  uint64_t seed);
/* Rows (group d Delta delta t mean se seeds) for jobs stored group-major, `seeds` consecutive jobs per group with the
 * same parameters: the seed mean of R - Delta/2 and its standard error at every record.  Returns ts_table_row's
 * status (TS_EDIVERGE for a NaN). */
int veiga_write_sim_means(struct ts_table *t, const veiga_sim_job *jobs, int nj, int n, int seeds);
/* Mean and SE over the seeds of group g (jobs group-major, `seeds` per group) of the mean of R - Delta/2 over records
 * i0..n-1 of each run (a time average over the saturated end of a curve). */
void veiga_group_tail_mean(const veiga_sim_job *jobs, int g, int seeds, int i0, int n, double *mean, double *se);
/* The record index from which the last `frac` of a decade-spaced grid starts: the first i with t[i] >= t[n-1] frac. */
int veiga_tail_start(const double *t, int n, double frac);

/* The program of figures 4 and 5 (green region, kappa = 0, delta = 1/2 or 1/4; panel a: SGD at several d with the
 * green ODE; panel b: R_inf against d for three Delta with log-log fits, slope -delta).  `name` is "fig4" or "fig5".
 * Returns the process exit status (0, 1 on failure, 2 on bad options). */
int veiga_green_figure_main(int argc, char **argv, const char *name, double delta);

#endif
