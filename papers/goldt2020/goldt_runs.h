/* goldt_runs — pieces shared by the Goldt et al. 2020 figure programs: the eps*-against-K SGD runs of figures 4
 * (linear) and S4 (ReLU) with their output grid, per-point statistics, convergence rule and learning-curve table;
 * the weighted straight-line test of figures S3 and S4; the start and the record of an ODE fixed-point search
 * (figures 2a and S2); the output grid of figure 2a's runs. */
#ifndef GOLDT_RUNS_H
#define GOLDT_RUNS_H

#include <stdint.h>

#include "ts_ode.h"
#include "ts_progress.h"
#include "ts_scm.h"
#include "ts_table.h"

/* ---- SGD runs to eps* (figures 4 and S4) ----------------------------------------------------------------------- */

/* The student variants of figures 4 and S4 (values are the figures' variant indices):
 *   GOLDT_VAR_SCM      soft committee machine, v = v* fixed
 *   GOLDT_VAR_BOTH     both layers trained from small weights, v_k ~ N(0, 1/N) like w ("starting from small initial
 *                      weights", sec. 4)
 *   GOLDT_VAR_NORM     normalised SCM: teacher v* / M, student v = 1/K fixed
 *   GOLDT_VAR_BOTH_V1  both layers trained with v_k ~ N(0, 1) */
enum { GOLDT_VAR_SCM = 0, GOLDT_VAR_BOTH = 1, GOLDT_VAR_NORM = 2, GOLDT_VAR_BOTH_V1 = 3 };

/* What every run of a figure shares. */
typedef struct {
  const char *name;  /* program name, prefixes the divergence message                     */
  ts_act act;        /* student and teacher activation                                    */
  int N, M;          /* input dimension, teacher hidden units                             */
  double lr, sigma;  /* learning rate (both layers), output-noise std                     */
  double vstar;      /* teacher second-layer weight (normalised SCM: vstar / M)           */
  int n_log, n_tail; /* output points: log-spaced before the tail window, inside it        */
} goldt_runs_params;

/* One run: its output grid (caller-allocated), results and, optionally, its learning curve. */
typedef struct {
  int status;
  double alpha_fail;
  double *grid;                /* output points (alpha), ng of them; the tail starts at tail0     */
  int ng, tail0;
  double tail, tail_a, tail_b; /* tail mean; means over its first and second halves               */
  double vsq;                  /* sum_k v_k^2 at the end (both-layer variants)                    */
  double vsq0;                 /* sum_k v_k^2 at the start                                        */
  double *eg;                  /* learning curve on the grid, or NULL (caller-allocated, ng)      */
  ts_scm_state *init;          /* if not NULL (caller-allocated, K x M): the initial overlaps     */
} goldt_run;

/* Effective first-layer learning rate eta sum_k v_k^2 that sets a variant's relaxation (rate 2 eta_eff for eps_g):
 * SCM eta K; normalised SCM eta/K; both layers eta (small initial v: sum v^2 -> v* sqrt(M) at the end, and the
 * escape from the small weights takes a few 1/eta; with v ~ N(0,1) sum v^2 ~ K: faster). */
double goldt_eta_eff(int variant, double lr, int K);

/* Output grid of one run into res->grid (room for n_log + n_tail points, owned by the caller): n_log log-spaced
 * points in [1, alpha_burn), then n_tail equally spaced in [alpha_burn, 2 alpha_burn] (the tail window), each a
 * whole number of SGD steps (alpha = steps/N) and strictly increasing.  Sets res->ng and res->tail0.
 * Returns TS_OK or TS_ENOMEM. */
int goldt_run_grid(const goldt_runs_params *p, double alpha_burn, goldt_run *res);

/* Output grid of a run of length alpha_max into alpha (room for n_log + n_tail points, owned by the caller): n_log
 * log-spaced points in [1, alpha_max/2), then n_tail equally spaced in [alpha_max/2, alpha_max] (the tail window:
 * the last half of the run), each rounded to a whole number of SGD steps (alpha = steps/N) and strictly increasing.
 * *tail0 = the first tail index.  Returns the number of points, 0 if out of memory (figure 2a). */
int goldt_grid_tail_half(int N, int n_log, int n_tail, double alpha_max, double *alpha, int *tail0);

/* A group of n online-SGD runs (ts_sgd) of the variant at distinct student sizes Ks[0..n) that learn ONE teacher
 * from ONE input stream (ts_sgd_group: x, the label noise and phi*(x) drawn once per step for all of them).
 * Teacher: the w* ~ N(0, 1) (and v* of the variant) that ts_sgd_alloc draws from stream (seed, 0), copied into every
 * member (ts_sgd_copy_teacher); inputs and label noise: stream (seed, 1); the initial student of size K: from seed
 * ts_rng_seed_for(seed, K) (w ~ N(0, 1/N) for relu and linear).  Run i follows its own output grid res[i]->grid
 * (set by the caller; grids may differ, the group steps to the next point of any member and retires a member at
 * its last point): eps_g analytic from the overlaps at every grid point (into res[i]->eg if not NULL), the tail
 * mean over [tail0, ng) and over its two halves, sum_k v_k^2 at the start and the end, the initial overlaps into
 * res[i]->init if not NULL.  A run's results depend on
 * (seed, its K, its grid) only, not on the other members.  prog (may be NULL) advances by the member steps done.
 * res[i]->status: TS_OK, TS_EINVAL (bad parameters), TS_ENOMEM, TS_EDIVERGE (non-finite weights or eps_g;
 * res[i]->alpha_fail says where; the other members go on). */
void goldt_run_sgd_group(const goldt_runs_params *p, int variant, int n, const int *Ks, goldt_run *const *res,
                         uint64_t seed, ts_progress *prog);

/* One run: goldt_run_sgd_group with the single student size K. */
void goldt_run_sgd(const goldt_runs_params *p, int variant, int K, goldt_run *res, uint64_t seed, ts_progress *prog);

/* Names every failed run of a (variant, K, run) sweep through ts_error ("SGD run <label> K=<K> run <r> failed at
 * alpha=..."): run j = (variant nK + kidx) R + run has student size Ks[kidx] and variant label labels[variant].
 * Returns the number of failed runs (0: all ran). */
int goldt_runs_report_failures(const goldt_run *runs, int n_var, int nK, int R, const int *Ks,
                               const char *const *labels);

/* Writes the learning curve of run 0 of every (variant, K) of such a sweep into table t (opened by the caller, which
 * closes it, or discards it on error): columns variant, K = Ks[kidx], alpha, eg, tail (1 inside the averaging
 * window).  Returns TS_OK or the ts_table_row error. */
int goldt_runs_write_curves(ts_table *t, const goldt_run *runs, int n_var, int nK, int R, const int *Ks);

/* Mean and sample standard deviation (n - 1) of x[0..n) (sd = 0 for n = 1).  n >= 1. */
void goldt_mean_std(const double *x, int n, double *mean, double *sd);

/* Statistics of one point (R >= 1 runs r[0..R), all with status TS_OK): mean, std and standard error
 * (std/sqrt R) of the tail means; relative drift (tail_b - tail_a)/tail averaged over the runs and its standard
 * error; the mean final sum_k v_k^2.  Returns TS_OK or TS_ENOMEM. */
int goldt_runs_stats(const goldt_run *r, int R, double *mean, double *sd, double *se, double *drift,
                     double *drift_se, double *vsq);

/* Convergence rule of the tail window: a point has converged when its relative drift between the window's halves
 * is within GOLDT_DRIFT_NSE standard errors (seed spread) plus GOLDT_DRIFT_REL (a residual relaxation smaller than
 * 3 % of eps* changes the figure by less than its error bars). */
#define GOLDT_DRIFT_NSE 3.0
#define GOLDT_DRIFT_REL 0.03

/* Worst point of the rule above over drift[0..n), drift_se[0..n): *worst = the largest |drift| / (GOLDT_DRIFT_NSE
 * drift_se + GOLDT_DRIFT_REL) (at least 0), *argworst its index (0 if none exceeds 0).  Returns 1 if every point
 * passes (ratio <= 1), else 0. */
int goldt_drift_worst(const double *drift, const double *drift_se, int n, double *worst, int *argworst);

/* ---- straight-line test (figures S3 and S4) ------------------------------------------------------------------- */

/* Allowance for curvature in the residual test of a straight-line fit, fixed before the data were seen: the linear
 * SCM's exact eps* = eta sigma^2 K/(4 - 2 eta K) (eq. 12) deviates from its best straight line over K = 2..8 at
 * eta = 0.05 by ~2-3 % of the value (an O(eta K) effect the "~" of eq. (14) does not exclude); 5 % covers that. */
#define GOLDT_CURV_ALLOW 0.05

typedef struct {
  double a, b, b_se, chi2; /* line y = a + b x, the slope's standard error, chi2 of the fit       */
  double maxres;           /* largest |residual| / (3 se_i + rel_allow |fitted value|)           */
  int n, argmax;           /* number of points; index of the largest residual                    */
} goldt_wfit;

/* Weighted least-squares line through (x_i, y_i) with weights 1/se_i^2 (ts_wlinfit) and its largest residual in
 * units of its allowance 3 se_i + rel_allow |a + b x_i|.  n >= 2. */
goldt_wfit goldt_weighted_fit(const double *x, const double *y, const double *se, int n, double rel_allow);

/* ---- ODE fixed points (figures 2a and S2) --------------------------------------------------------------------- */

/* Record of a fixed-point search of the SCM ODE (eq. 9). */
typedef struct {
  int status;               /* TS_OK or the search's ts_err code                                    */
  int iterations;           /* Newton iterations                                                     */
  int specialised;          /* goldt_count_specialised of the final state                            */
  double eps;               /* eps_g of the final state                                              */
  double residual;          /* max |f(m)| there                                                      */
  double max_re_eig;        /* largest real part of the Jacobian's eigenvalues there                 */
  double alpha_specialised; /* integration length before Newton (specialised searches)               */
} goldt_fp;

/* Start of the fixed-point searches: Q = I, T = I, v = v* = 1 (as ts_scm_alloc leaves them) and R_in ~ noise
 * N(0, 1) drawn in order from stream 0 of seed.  Returns TS_OK or TS_ENOMEM. */
int goldt_fp_start(ts_scm_state *s, double noise, uint64_t seed);

/* Number of teachers n with a student i whose cosine overlap R_in / sqrt(Q_ii T_nn) exceeds 0.9, each teacher
 * counted once: the specialised solution of eq. (10) has M. */
int goldt_count_specialised(const ts_scm_state *s);

/* Fills out from a finished search ending in state s (activation act): the Newton record info (iterations,
 * residual, max_re_eig), eps_g of s and goldt_count_specialised(s).  out->status and out->alpha_specialised are
 * left alone. */
void goldt_fp_record(goldt_fp *out, const ts_ode_fp_info *info, const ts_scm_state *s, ts_act act);

#endif
