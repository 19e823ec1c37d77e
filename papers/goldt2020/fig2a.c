/* Goldt et al. 2020, figure 2a: asymptotic generalisation error eps* over sigma^2 of over-parameterised students
 * against L = K - M, for sigmoidal (erf) and linear soft committee machines.
 *
 * Paper: N = 784, M = 2, eta = 0.05, sigma = 0.01, L = 0..8; lines: eq. (10) (erf) and eq. (12) (linear);
 * crosses: one SGD run from random initial weights.
 *
 * What this program computes (papers/goldt2020/README.md walks through it):
 *   theory  eq. (10), (11), (12) on a fine L grid                                  -> fig2a_theory.tsv
 *   ODE     the fixed point of the order-parameter ODE (ts_ode): integrate from Q = I, R ~ small noise, then
 *           Newton (erf); linear: integrate to convergence (its fixed points form a manifold: only sum_k w_k
 *           matters, so Newton's Jacobian is singular there; eps* is still unique)            -> fig2a_ode.tsv
 *   SGD     one run per (activation, L) from random weights (ts_sgd), eps_g analytic from the overlaps; the runs
 *           of one activation form a group (goldt_run_sgd_group, ts_sgd_group): one teacher, one input stream,
 *           x and the label noise drawn once per step for all L; and the ODE integrated from each run's own initial
 *           overlaps (T != I at finite N) on the same alpha grid
 *                                                                           -> fig2a_sgd.tsv, fig2a_curves.tsv
 *   claims  -> fig2a.claims.tsv (each with its tolerance rule; see the rows below)
 * Modes: fast (default: SGD to alpha = 1e4, compared with the ODE at equal alpha), full (SGD to alpha = 6e5,
 * compared with eq. (10) directly), smoke (tiny sizes, for make check). */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goldt_runs.h"
#include "goldt_theory.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_ode.h"
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_sgd.h"
#include "ts_stats.h"
#include "ts_table.h"
#include "ts_util.h"

enum { ACT_ERF = 0, ACT_LIN = 1, N_ACT = 2 };
static const ts_act act_of[N_ACT] = {TS_ACT_ERF, TS_ACT_LINEAR};
static const char *act_label[N_ACT] = {"erf", "linear"};

typedef struct {
  int N, M, Lmax;
  double lr, sigma;
  double alpha_sgd;    /* SGD run length                                      */
  double alpha_fp_int; /* longest ODE integration before the Newton solve     */
  double alpha_long;   /* erf: plain integration from the random start        */
  double reseed_q;     /* Q of the reseeded superfluous students              */
  double init_noise;   /* std of the initial R entries of the fixed-point ODE  */
  double fp_tol;       /* Newton tolerance on max |f(m)|                       */
  int n_log, n_tail;   /* output points: log-spaced, then linear over the last half */
} fig_params;

/* One SGD run and its ODE twin. */
typedef struct {
  int act, L, status;
  double alpha_fail;
  int n;            /* grid points          */
  double *alpha;    /* n                    */
  double *eg_sgd;   /* n                    */
  double *eg_ode;   /* n                    */
  int tail0;        /* first tail index     */
  double tail_sgd, tail_ode, diff, diff_se;
  double exit_sgd, exit_ode; /* first alpha with eps_g < EXIT_LEVEL (NAN if never) */
} run_result;

/* The plateau exit: first alpha where eps_g falls below this level, which lies below the erf plateaus of M = 2
 * (1e-2..3e-2) and above the errors reached by alpha ~ 1e4 (1e-6..3e-4). */
#define EXIT_LEVEL 1e-3
/* A run is compared pointwise with its ODE twin only where the twin has settled: it changes by less than this factor
 * across the window.  During the steep fall after the plateau a small, legitimately random shift of the exit time
 * (Theorem 1 bounds the deviation by C(T)/sqrt N, with C large near the unstable plateau) gives large pointwise
 * differences; those runs are covered by the exit-time claim instead. */
#define SETTLED_RATIO 1.5

/* ODE fixed point at L for one activation, and (erf) eps_g of the state reached by integrating from the same random
 * start to alpha_long (*eps_long; 0 for linear).
 * erf: for L >= 2 the eq. (10) point is a saddle (the antisymmetric modes of the superfluous students grow at a rate
 * ~ sigma^2), so Newton from an integrated state stalls or finds other roots.  The start for Newton is therefore
 * the integrated state once it has specialised (each teacher has its own student with R > 1/2), with the
 * superfluous students replaced by identical, aligned, small ones (ts_ode_reseed_superfluous).
 * linear: integrate to alpha_fp_int; Newton (SVD fallback: the linear Jacobian is singular) polishes. */
static goldt_fp fixed_point(const fig_params *fp, int act, int L, uint64_t seed, double *eps_long)
{
  goldt_fp out = {0};
  int K = L + fp->M;
  ts_ode_params p;
  ts_ode_params_init(&p, act_of[act], K, fp->M, fp->lr);
  p.sigma = fp->sigma;
  ts_ode *w = ts_ode_alloc(&p);
  ts_scm_state *s = ts_scm_alloc(K, fp->M), *s_long = ts_scm_alloc(K, fp->M);
  if (!w || !s || !s_long) { out.status = TS_ENOMEM; goto done; }
  if ((out.status = goldt_fp_start(s, fp->init_noise, seed))) goto done;
  ts_scm_copy(s_long, s);

  ts_ode_integrator integ;
  ts_ode_integrator_init(&integ);
  integ.adaptive = 1;
  ts_ode_fp_info info = {0};
  if (act == ACT_ERF) {
    out.status = ts_ode_integrate(w, s_long, 0.0, &fp->alpha_long, 1, &integ, NULL, NULL, NULL);
    if (out.status) goto done;
    *eps_long = ts_scm_eg(s_long, act_of[act], act_of[act]);
    out.status = ts_ode_specialised_fixed_point(w, s, fp->alpha_fp_int, fp->reseed_q, fp->fp_tol, 200,
                                                &out.alpha_specialised, &info);
    if (out.status && !info.iterations) goto done; /* never reached Newton */
  } else {
    out.status = ts_ode_integrate(w, s, 0.0, &fp->alpha_fp_int, 1, &integ, NULL, NULL, NULL);
    if (out.status) goto done;
    out.status = ts_ode_fixed_point(w, s, fp->fp_tol, 200, &info);
  }
  goldt_fp_record(&out, &info, s, act_of[act]);
done:
  ts_scm_free(s_long);
  ts_scm_free(s);
  ts_ode_free(w);
  return out;
}

/* Observer of the ODE twin: stores eps_g at each grid point. */
typedef struct { double *eg; int i; } twin_ctx;
static int twin_obs(double alpha, const ts_scm_state *s, double eg, void *ctx)
{
  twin_ctx *c = ctx;
  c->eg[c->i++] = eg;
  return 0;
}

/* The ODE twin of an SGD run (integrated from the run's initial overlaps s0 on the same grid) and the comparison
 * statistics over the tail window. */
static void ode_twin(const fig_params *fp, run_result *res, const ts_scm_state *s0_in)
{
  int K = res->L + fp->M;
  ts_ode_params op;
  ts_ode_params_init(&op, act_of[res->act], K, fp->M, fp->lr);
  op.sigma = fp->sigma;
  ts_ode *ode = ts_ode_alloc(&op);
  ts_scm_state *s0 = ts_scm_alloc(K, fp->M);
  /* the observer is also called at alpha0 = 0: give it a slot before the grid */
  double *eg0 = malloc((size_t)(res->n + 1) * sizeof *eg0), *d = malloc((size_t)res->n * sizeof *d);
  if (!ode || !s0 || !eg0 || !d) { res->status = ts_error(TS_ENOMEM, "out of memory"); goto done; }
  ts_scm_copy(s0, s0_in);
  ts_ode_integrator integ;
  ts_ode_integrator_init(&integ);
  integ.adaptive = 1;
  twin_ctx tc = {eg0, 0};
  res->status = ts_ode_integrate(ode, s0, 0.0, res->alpha, res->n, &integ, twin_obs, &tc, &res->alpha_fail);
  if (res->status) goto done;
  memcpy(res->eg_ode, eg0 + 1, (size_t)res->n * sizeof *eg0);
  for (int i = 0; i < res->n; i++) d[i] = res->eg_sgd[i] - res->eg_ode[i];
  double se_unused;
  ts_batch_mean(res->eg_sgd + res->tail0, res->n - res->tail0, 10, &res->tail_sgd, &se_unused);
  ts_batch_mean(res->eg_ode + res->tail0, res->n - res->tail0, 10, &res->tail_ode, &se_unused);
  ts_batch_mean(d + res->tail0, res->n - res->tail0, 10, &res->diff, &res->diff_se);
  res->exit_sgd = ts_first_below(res->alpha, res->eg_sgd, res->n, EXIT_LEVEL);
  res->exit_ode = ts_first_below(res->alpha, res->eg_ode, res->n, EXIT_LEVEL);
done:
  free(eg0);
  free(d);
  ts_scm_free(s0);
  ts_ode_free(ode);
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/goldt2020", 2020, 0};
  fig_params fp = {784, 2, 8, 0.05, 0.01, 1e4, 1e5, 1e6, 1e-4, 1e-2, 1e-12, 40, 100};
  double alpha_sgd = 0, alpha_fp_int = 0;
  int N = 0, Lmax = -1;
  ts_opt opts[] = {
      TS_FIG_OPTS(fa),
      {"-N", TS_OPT_INT, &N, "input dimension (mode default: 784; smoke 100)", 0},
      {"-M", TS_OPT_INT, &fp.M, "teacher hidden units", 0},
      {"--Lmax", TS_OPT_INT, &Lmax, "largest L = K - M (mode default: 8; smoke 1)", 0},
      {"--lr", TS_OPT_DOUBLE, &fp.lr, "learning rate eta", 0},
      {"--sigma", TS_OPT_DOUBLE, &fp.sigma, "output-noise std", 0},
      {"--alpha-sgd", TS_OPT_DOUBLE, &alpha_sgd, "SGD run length (mode default: fast 1e4, full 6e5)", 0},
      {"--alpha-fp", TS_OPT_DOUBLE, &alpha_fp_int, "longest ODE integration before the Newton solve (default 1e5)", 0},
      {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig2a [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                        "Goldt et al. 2020 figure 2a: eps*/sigma^2 against L for erf and linear students.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (smoke) { fp.N = 100; fp.Lmax = 2; fp.alpha_sgd = 100; fp.alpha_long = 2e3; fp.n_log = 10; fp.n_tail = 20; }
  if (full) fp.alpha_sgd = 6e5;
  if (N) fp.N = N;
  if (Lmax >= 0) fp.Lmax = Lmax;
  if (alpha_sgd > 0) fp.alpha_sgd = alpha_sgd;
  if (alpha_fp_int > 0) fp.alpha_fp_int = alpha_fp_int;
  if (fp.N < 2) return ts_cli_fail("-N must be >= 2 (got %d)", fp.N);
  if (fp.M < 1) return ts_cli_fail("-M must be >= 1 (got %d)", fp.M);
  if (fp.Lmax < 0 || fp.Lmax > 40) return ts_cli_fail("--Lmax must be in 0..40 (got %d)", fp.Lmax);
  if (!(fp.lr > 0)) return ts_cli_fail("--lr must be > 0");
  if (!(fp.sigma > 0)) return ts_cli_fail("--sigma must be > 0 (the figure is eps*/sigma^2)");
  if (!(fp.alpha_sgd >= 20)) return ts_cli_fail("--alpha-sgd must be >= 20");
  if (fp.M > 20) return ts_cli_fail("-M must be <= 20 (got %d)", fp.M);
  if (!(2 * fp.lr * (fp.Lmax + fp.M) < 4))
    return ts_cli_fail("--lr %g is too large for K = %d: eq. (12) has no fixed point for 2 eta K >= 4", fp.lr,
                       fp.Lmax + fp.M);
  if (!(fp.alpha_fp_int >= 16)) return ts_cli_fail("--alpha-fp must be >= 16");
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  double t_start = ts_wall_seconds();
  const int nL = fp.Lmax + 1;

  /* ---- ODE fixed points ---------------------------------------------------------------------------------- */
  goldt_fp *fpr = calloc((size_t)(N_ACT * nL), sizeof *fpr);
  double *eps_long = calloc((size_t)(N_ACT * nL), sizeof *eps_long);
  if (!fpr || !eps_long) return ts_error(TS_ENOMEM, "out of memory"), 1;
#pragma omp parallel for schedule(dynamic, 1)
  for (int job = 0; job < N_ACT * nL; job++) {
    int act = job % N_ACT, L = nL - 1 - job / N_ACT; /* largest K first: better load balance */
    uint64_t seed = ts_rng_seed_for(fa.seed, 1000 + 100 * (uint64_t)act + (uint64_t)L);
    fpr[act * nL + L] = fixed_point(&fp, act, L, seed, &eps_long[act * nL + L]);
  }
  double t_ode = ts_wall_seconds();

  /* ---- SGD runs and their ODE twins ---------------------------------------------------------------------- */
  int cap = fp.n_log + fp.n_tail, tail0 = 0;
  double *grid = malloc((size_t)cap * sizeof *grid);
  int ng = goldt_grid_tail_half(fp.N, fp.n_log, fp.n_tail, fp.alpha_sgd, grid, &tail0);
  if (ng - tail0 < 20) return ts_error(TS_EINVAL, "the tail window has %d points (< 20): raise --alpha-sgd", ng - tail0), 1;
  run_result *runs = calloc((size_t)(N_ACT * nL), sizeof *runs);
  if (!grid || !runs) return ts_error(TS_ENOMEM, "out of memory"), 1;
  for (int j = 0; j < N_ACT * nL; j++) {
    runs[j].act = j / nL;
    runs[j].L = j % nL;
    runs[j].n = ng;
    runs[j].tail0 = tail0;
    runs[j].alpha = grid;
    runs[j].eg_sgd = calloc((size_t)ng, sizeof(double));
    runs[j].eg_ode = calloc((size_t)ng, sizeof(double));
    if (!runs[j].eg_sgd || !runs[j].eg_ode) return ts_error(TS_ENOMEM, "out of memory"), 1;
  }
  /* one group per activation: its students L = 0..Lmax learn one teacher from one input stream
   * (goldt_run_sgd_group); both groups use the same group seed, so erf and linear see the same teacher weights w*
   * and the same inputs and label noise.  Two groups: two threads at most here; the ODE twins below use all. */
  goldt_run *gr = calloc((size_t)(N_ACT * nL), sizeof *gr);
  ts_scm_state **s0 = calloc((size_t)(N_ACT * nL), sizeof *s0);
  int *Ks = malloc((size_t)nL * sizeof *Ks);
  if (!gr || !s0 || !Ks) return ts_error(TS_ENOMEM, "out of memory"), 1;
  for (int L = 0; L < nL; L++) Ks[L] = L + fp.M;
  for (int j = 0; j < N_ACT * nL; j++) {
    gr[j].grid = grid;
    gr[j].ng = ng;
    gr[j].tail0 = tail0;
    gr[j].eg = runs[j].eg_sgd;
    if (!(gr[j].init = s0[j] = ts_scm_alloc(runs[j].L + fp.M, fp.M))) return ts_error(TS_ENOMEM, "out of memory"), 1;
  }
  const uint64_t group_seed = ts_rng_seed_for(fa.seed, 1);
  ts_progress *prog = ts_progress_start("fig2a SGD", (double)N_ACT * nL * fp.alpha_sgd * fp.N);
#pragma omp parallel for schedule(dynamic, 1)
  for (int act = 0; act < N_ACT; act++) {
    const goldt_runs_params rp = {"fig2a", act_of[act], fp.N, fp.M, fp.lr, fp.sigma, 1.0, 0, 0};
    goldt_run *members[64];
    for (int L = 0; L < nL; L++) members[L] = &gr[act * nL + L];
    goldt_run_sgd_group(&rp, GOLDT_VAR_SCM, nL, Ks, members, group_seed, prog);
  }
  ts_progress_end(prog);
  double t_sgd = ts_wall_seconds();
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = N_ACT * nL - 1; j >= 0; j--) {
    runs[j].status = gr[j].status;
    runs[j].alpha_fail = gr[j].alpha_fail;
    if (!runs[j].status) ode_twin(&fp, &runs[j], s0[j]);
  }
  double t_twin = ts_wall_seconds();
  for (int j = 0; j < N_ACT * nL; j++) ts_scm_free(s0[j]);
  free(s0);
  free(gr);
  free(Ks);

  /* ---- divergence is named, never written ---------------------------------------------------------------- */
  int bad = 0;
  for (int j = 0; j < N_ACT * nL; j++) {
    if (runs[j].status) {
      ts_error(runs[j].status, "SGD/ODE run %s L=%d failed at alpha=%g: %s", act_label[runs[j].act], runs[j].L,
               runs[j].alpha_fail, runs[j].status == TS_EDIVERGE ? "diverged" : "error");
      bad = 1;
    }
  }
  for (int j = 0; j < N_ACT * nL; j++) {
    if (fpr[j].status) {
      ts_error(fpr[j].status, "ODE fixed point %s L=%d failed (residual %.3g after %d iterations)",
               act_label[j / nL], j % nL, fpr[j].residual, fpr[j].iterations);
      bad = 1;
    }
  }
  if (bad) return 1;

  /* ---- tables -------------------------------------------------------------------------------------------- */
  char path[1024];
  const double s2 = fp.sigma * fp.sigma;
#define META(t)                                                                                                 \
  do {                                                                                                          \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                    \
    ts_table_meta(t, "N", "%d", fp.N);                                                                          \
    ts_table_meta(t, "M", "%d", fp.M);                                                                          \
    ts_table_meta(t, "L", "0..%d", fp.Lmax);                                                                    \
    ts_table_meta(t, "eta", "%g", fp.lr);                                                                       \
    ts_table_meta(t, "sigma", "%g", fp.sigma);                                                                  \
    ts_table_meta(t, "v", "1 (fixed, soft committee machine)");                                                 \
    ts_table_meta(t, "seed", "%llu", (unsigned long long)fa.seed);                                              \
  } while (0)

  snprintf(path, sizeof path, "%s/fig2a_theory.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "goldt2020/fig2a");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "eps*/sigma^2 from eq. (10) (erf), eq. (11) (erf, small eta), eq. (12) (linear)");
  ts_table_columns(t, 4, (const char *[]){"L", "eq10", "eq11", "eq12"});
  for (int i = 0; i <= 40 * fp.Lmax; i++) {
    double L = i / 40.0;
    double row[4] = {L, goldt_eq10_eps(fp.M, L, fp.lr, 1.0), goldt_eq11_eps(fp.M, L, fp.lr, 1.0),
                     goldt_eq12_eps(L + fp.M, fp.lr, 1.0)};
    if (ts_table_row(t, 4, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig2a_ode.tsv", fa.outdir);
  t = ts_table_open(path, "goldt2020/fig2a");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "ODE fixed points: eps*/sigma^2, residual max|f|, largest real Jacobian eigenvalue");
  ts_table_meta(t, "ode_init", "Q=I, T=I, v=v*=1, R ~ N(0, %g^2)", fp.init_noise);
  ts_table_meta(t, "integrator", "GSL odeiv2 rkf45 (rtol 1e-8, atol 1e-12); erf: until specialised (alpha doubling "
                "from %g), superfluous students reseeded identical and aligned (Q=%g), then GSL multiroot hybridsj "
                "(SVD-Newton fallback) to max|f| <= %g; linear: to alpha=%g, then the same solver", fp.alpha_fp_int / 16,
                fp.reseed_q, fp.fp_tol, fp.alpha_fp_int);
  ts_table_meta(t, "erf_long", "eps/sigma^2 integrated from the same random start to alpha=%g, no reseeding",
                fp.alpha_long);
  ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(t, "wall_seconds_ode", "%.2f", t_ode - t_start);
  ts_table_columns(t, 10, (const char *[]){"L", "K", "erf", "erf_residual", "erf_max_re_eig", "erf_specialised",
                                           "erf_alpha_specialised", "erf_long", "linear", "linear_residual"});
  for (int L = 0; L < nL; L++) {
    const goldt_fp *e = &fpr[ACT_ERF * nL + L], *l = &fpr[ACT_LIN * nL + L];
    double row[10] = {L, L + fp.M, e->eps / s2, e->residual, e->max_re_eig, e->specialised, e->alpha_specialised,
                      eps_long[ACT_ERF * nL + L] / s2, l->eps / s2, l->residual};
    if (ts_table_row(t, 10, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig2a_sgd.tsv", fa.outdir);
  t = ts_table_open(path, "goldt2020/fig2a");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "SGD tail means over alpha in [%g, %g] (eps/sigma^2), the ODE from the same initial "
                "overlaps over the same points, and the mean difference SGD-ODE with its batch-means SE",
                grid[tail0], grid[ng - 1]);
  ts_table_meta(t, "sgd_init", "w ~ N(0,1) (erf), N(0,1/N) (linear); teacher w* ~ N(0,1); v = v* = 1");
  ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(t, "seeds", "SGD: one group per act (all L, one teacher, one input stream), both with g = "
                "splitmix64(seed, 1): teacher w* from stream (g, 0), inputs and label noise from stream (g, 1) (the "
                "same for erf and linear), the initial student of size K = L + M from splitmix64(g, K); the ODE fixed "
                "point splitmix64(seed, 1000 + 100 act + L); act 0 = erf, 1 = linear");
  ts_table_meta(t, "wall_seconds_sgd", "%.2f", t_sgd - t_ode);
  ts_table_meta(t, "wall_seconds_twin", "%.2f", t_twin - t_sgd);
  ts_table_columns(t, 13, (const char *[]){"L", "erf_sgd", "erf_ode", "erf_diff", "erf_diff_se", "linear_sgd",
                                           "linear_ode", "linear_diff", "linear_diff_se", "alpha_lo", "alpha_hi",
                                           "erf_exit_sgd", "erf_exit_ode"});
  for (int L = 0; L < nL; L++) {
    const run_result *e = &runs[ACT_ERF * nL + L], *l = &runs[ACT_LIN * nL + L];
    /* an exit that did not happen in the run is written as inf */
    double row[13] = {L, e->tail_sgd / s2, e->tail_ode / s2, e->diff / s2, e->diff_se / s2, l->tail_sgd / s2,
                      l->tail_ode / s2, l->diff / s2, l->diff_se / s2, grid[tail0], grid[ng - 1],
                      isnan(e->exit_sgd) ? INFINITY : e->exit_sgd, isnan(e->exit_ode) ? INFINITY : e->exit_ode};
    if (ts_table_row(t, 13, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig2a_curves.tsv", fa.outdir);
  t = ts_table_open(path, "goldt2020/fig2a");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "learning curves eps_g(alpha) of every SGD run and its ODE twin; act 0 = erf, 1 = linear");
  ts_table_columns(t, 5, (const char *[]){"act", "L", "alpha", "eg_sgd", "eg_ode"});
  for (int j = 0; j < N_ACT * nL; j++)
    for (int i = 0; i < ng; i++) {
      double row[5] = {runs[j].act, runs[j].L, grid[i], runs[j].eg_sgd[i], runs[j].eg_ode[i]};
      if (ts_table_row(t, 5, row)) { ts_table_discard(t); return 1; }
    }
  if (ts_table_close(t)) return 1;

  /* ---- claims -------------------------------------------------------------------------------------------- */
  snprintf(path, sizeof path, "%s/fig2a.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], rule[512];

  /* C1: erf ODE fixed point vs eq. (10).  Eq. (10) is the first order in sigma^2 of eps*; the next order is
   * O(sigma^2) relative, 1e-4 at sigma = 0.01, and the Newton residual 1e-12 is negligible: 1e-3 leaves a factor
   * 10 for the O(sigma^2) term's coefficient. */
  {
    double worst = 0; int wL = 0;
    for (int L = 0; L < nL; L++) {
      double th = goldt_eq10_eps(fp.M, L, fp.lr, fp.sigma), rel = fabs(fpr[ACT_ERF * nL + L].eps / th - 1);
      if (rel > worst) { worst = rel; wL = L; }
    }
    snprintf(meas, sizeof meas, "max relative deviation %.3g (at L=%d) over L=0..%d", worst, wL, fp.Lmax);
    ts_claim_check(c, "fig2a-erf-fp-eq10", "Fig. 2a, eq. (10)",
                   "the erf ODE fixed point equals eq. (10) for every L", "relative deviation 0",
                   "eq. (10), first order in sigma^2", meas, worst <= 1e-3,
                   "<= 1e-3 relative: neglected O(sigma^2) = 1e-4 relative terms, x10 margin", NULL);
  }
  /* C2: linear ODE fixed point vs eq. (12). */
  {
    double worst = 0; int wL = 0;
    for (int L = 0; L < nL; L++) {
      double th = goldt_eq12_eps(L + fp.M, fp.lr, fp.sigma), rel = fabs(fpr[ACT_LIN * nL + L].eps / th - 1);
      if (rel > worst) { worst = rel; wL = L; }
    }
    snprintf(meas, sizeof meas, "max relative deviation %.3g (at L=%d)", worst, wL);
    ts_claim_check(c, "fig2a-lin-fp-eq12", "Fig. 2a, eq. (12)",
                   "the linear ODE fixed point equals eq. (12) with K = L + M", "relative deviation 0",
                   "eq. (12)", meas, worst <= 1e-5,
                   "<= 1e-5 relative, the accuracy to which the reference sheet verifies it; integration rtol 1e-8, Newton 1e-12", NULL);
  }
  /* C3: stability and specialisation of the erf fixed points.  Known: for L >= 2 the eq. (10) point is a saddle
   * whose unstable eigenvalue is tiny and ~ sigma^2 (antisymmetric mode of the superfluous students); that case is
   * recognised from the numbers (specialised, 0 < eigenvalue < 1e3 sigma^2 eta^2) and reported as XFAIL with them. */
  {
    int ok = 1, explained = 1;
    char list[256] = "";
    double maxeig = -INFINITY;
    int minspec = 1 << 30, maxspec = 0;
    for (int L = 0; L < nL; L++) {
      const goldt_fp *e = &fpr[ACT_ERF * nL + L];
      if (e->max_re_eig > maxeig) maxeig = e->max_re_eig;
      if (e->specialised < minspec) minspec = e->specialised;
      if (e->specialised > maxspec) maxspec = e->specialised;
      int good = e->max_re_eig < 0 && e->specialised == fp.M;
      ok = ok && good;
      if (!good) {
        explained = explained && e->specialised == fp.M && L >= 2 && e->max_re_eig < 1e3 * s2 * fp.lr * fp.lr;
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%sL=%d: %+.2g", n ? ", " : "", L, e->max_re_eig);
      }
    }
    snprintf(meas, sizeof meas, "largest real eigenvalue %.3g; specialised students %d..%d%s%s", maxeig, minspec,
             maxspec, list[0] ? "; unstable: " : "", list);
    snprintf(rule, sizeof rule, "all eigenvalues < 0 and exactly M=%d students with cosine > 0.9 to distinct teachers",
             fp.M);
    ts_claim_check(c, "fig2a-erf-fp-stable", "Sec. 3.1, Fig. 2a",
                   "the eq. (10) fixed point attracts the dynamics and is specialised (M students match the teachers)",
                   "stable, M specialised", "paper sec. 3.1 (SGD converges to it)", meas, ok, rule,
                   explained ? "for L >= 2 the eq. (10) point is a saddle: one eigenvalue is positive but tiny "
                               "(~ sigma^2: the antisymmetric mode of the superfluous students, w_a - w_b); its "
                               "e-folding time in alpha (~1/eigenvalue) exceeds the paper's runs, but runs drift "
                               "along it (see fig2a-erf-ode-long-eq10)" : NULL);
  }
  /* C3b: the ODE integrated from a random start (no reseeding) to alpha_long vs eq. (10).  The approach is a slow
   * power law (within 1 % at alpha = 6e5 for K = 5, reference sheet): tolerance 1e-2 relative at alpha = 1e6. */
  if (smoke) {
    ts_claim_skip(c, "fig2a-erf-ode-long-eq10", "Fig. 2a, sec. 3.1", "the erf ODE integrated from a random start "
                  "reaches eq. (10)", "smoke mode integrates to alpha = 2e3 only (still on the plateau)");
  } else {
    int ok = 1, below = 1;
    char list[512] = "";
    for (int L = 0; L < nL; L++) {
      double th = goldt_eq10_eps(fp.M, L, fp.lr, fp.sigma), rel = eps_long[ACT_ERF * nL + L] / th - 1;
      size_t n = strlen(list);
      snprintf(list + n, sizeof list - n, "%sL=%d %+.2f%%", n ? ", " : "", L, 100 * rel);
      if (fabs(rel) > 1e-2) { ok = 0; below = below && rel < 0 && L >= 2; }
    }
    snprintf(meas, sizeof meas, "eps(alpha=%g)/eq.(10) - 1: %s", fp.alpha_long, list);
    ts_claim_check(c, "fig2a-erf-ode-long-eq10", "Fig. 2a, sec. 3.1",
                   "the erf ODE integrated from a random start reaches eq. (10)", "eq. (10)", "eq. (10)", meas, ok,
                   "|relative deviation| <= 1e-2 at alpha = 1e6 (residual power-law convergence)",
                   below ? "runs from random starts settle below eq. (10) for some L >= 2: superfluous students "
                           "pair up with nearly opposite weights whose outputs cancel (the saddle of "
                           "fig2a-erf-fp-stable), a lower-error state than the symmetric one eq. (10) assumes" : NULL);
  }
  /* C4/C5: SGD vs the ODE from the same initial overlaps, over the tail window, for the runs whose twin has settled
   * there (SETTLED_RATIO); the others are listed. */
  for (int act = 0; act < N_ACT; act++) {
    double worst = 0;
    int wL = -1, ok = 1, ncmp = 0;
    char skipped[128] = "";
    for (int L = 0; L < nL; L++) {
      const run_result *r = &runs[act * nL + L];
      if (r->eg_ode[r->tail0] > SETTLED_RATIO * r->eg_ode[r->n - 1]) {
        size_t n = strlen(skipped);
        snprintf(skipped + n, sizeof skipped - n, "%s%d", n ? "," : "", L);
        continue;
      }
      ncmp++;
      double tol = 3 * r->diff_se + r->tail_ode / sqrt(fp.N);
      double ratio = fabs(r->diff) / tol;
      if (ratio > worst || wL < 0) { worst = ratio; wL = L; }
      ok = ok && ratio <= 1;
    }
    char id[64], st[256];
    snprintf(id, sizeof id, "fig2a-%s-sgd-ode", act_label[act]);
    snprintf(st, sizeof st, "%s SGD (N=%d) follows the ODE started from its own initial overlaps, alpha in [%g, %g]",
             act_label[act], fp.N, grid[tail0], grid[ng - 1]);
    if (ncmp == 0) {
      ts_claim_skip(c, id, "Fig. 2a, Theorem 1 (eq. 7)", st, "no run has settled in the window (longer runs needed)");
      continue;
    }
    const run_result *r = &runs[act * nL + wL];
    snprintf(meas, sizeof meas, "%d runs compared; worst L=%d: SGD %.4g, ODE %.4g (eps/sigma^2), |diff| = %.2f x "
             "tolerance%s%s", ncmp, wL, r->tail_sgd / s2, r->tail_ode / s2, worst,
             skipped[0] ? "; not settled in the window (exit-time claim instead): L=" : "", skipped);
    ts_claim_check(c, id, "Fig. 2a, Theorem 1 (eq. 7)", st, "mean difference 0", "Theorem 1: O(N^-1/2)", meas, ok,
                   "|mean(SGD-ODE)| <= 3 SE (10 batch means) + ODE/sqrt(N) (Theorem 1), for runs whose ODE changes "
                   "by < 1.5x across the window", NULL);
  }
  /* C5b: plateau-exit times of SGD and its ODE twin (erf).  The exit is driven by the growth of the initial
   * asymmetry between students, whose finite-N fluctuations are O(N^-1/2) and enter the exit time through a
   * logarithm: a factor 2 (reference sheet, Fig. 1b) covers it. */
  if (!smoke) {
    double worst = 1;
    int wL = 0, ok = 1, early = 0, counted = 0;
    for (int L = 0; L < nL; L++) {
      const run_result *r = &runs[ACT_ERF * nL + L];
      if (isnan(r->exit_sgd) || isnan(r->exit_ode)) { ok = 0; continue; }
      double f = r->exit_sgd > r->exit_ode ? r->exit_sgd / r->exit_ode : r->exit_ode / r->exit_sgd;
      early += r->exit_sgd < r->exit_ode;
      counted++;
      if (f > worst) { worst = f; wL = L; }
      ok = ok && f <= 2;
    }
    snprintf(meas, sizeof meas, "largest ratio %.3f at L=%d (SGD %.0f, ODE %.0f); SGD left first in %d of %d runs",
             worst, wL, runs[ACT_ERF * nL + wL].exit_sgd, runs[ACT_ERF * nL + wL].exit_ode, early, counted);
    ts_claim_check(c, "fig2a-erf-exit-time", "Fig. 1b, Theorem 1",
                   "SGD leaves the plateau at the alpha the ODE from the same start predicts", "ratio 1",
                   "ODE twin (eq. 9)", meas, ok,
                   "exit alpha (first eps_g < 1e-3) of SGD and ODE within a factor 2 for every L: the O(N^-1/2) "
                   "initial asymmetry enters the exit time logarithmically", NULL);
  } else {
    ts_claim_skip(c, "fig2a-erf-exit-time", "Fig. 1b, Theorem 1",
                  "SGD leaves the plateau at the alpha the ODE from the same start predicts",
                  "smoke runs are too short to leave the plateau");
  }
  /* C6: SGD vs eq. (10): only meaningful once the run has converged (full mode). */
  if (full) {
    double worst = 0; int wL = 0, ok = 1;
    for (int L = 0; L < nL; L++) {
      const run_result *r = &runs[ACT_ERF * nL + L];
      double th = goldt_eq10_eps(fp.M, L, fp.lr, fp.sigma);
      /* 3 SE of the fluctuations, the finite-size term, and 5 % for the residual power-law convergence at
       * alpha = 6e5 (reference sheet: within 1 % at 6e5 for K = 5; 5-10 % for single runs) */
      double tol = 3 * r->diff_se + th / sqrt(fp.N) + 0.05 * th;
      double ratio = fabs(r->tail_sgd - th) / tol;
      if (ratio > worst) { worst = ratio; wL = L; }
      ok = ok && ratio <= 1;
    }
    const run_result *r = &runs[ACT_ERF * nL + wL];
    snprintf(meas, sizeof meas, "worst L=%d: SGD %.4g vs eq.(10) %.4g (eps/sigma^2), %.2f x tolerance", wL,
             r->tail_sgd / s2, goldt_eq10_eps(fp.M, wL, fp.lr, 1.0), worst);
    ts_claim_check(c, "fig2a-erf-sgd-eq10", "Fig. 2a crosses", "erf SGD tail mean agrees with eq. (10)",
                   "eq. (10)", "eq. (10)", meas, ok,
                   "3 SE + eq10/sqrt(N) + 5% residual power-law convergence (reference sheet)", NULL);
  } else {
    ts_claim_skip(c, "fig2a-erf-sgd-eq10", "Fig. 2a crosses", "erf SGD tail mean agrees with eq. (10)",
                  "needs alpha >= 6e5 (eps approaches eps* as a slow power law: 10% above it at alpha = 2e5); "
                  "run MODE=full. In this mode SGD is compared with the ODE at equal alpha and the ODE fixed point "
                  "with eq. (10).");
  }
  /* C7: eps* grows linearly with L (ODE fixed points; least squares). */
  {
    double Ls[64], ys[64], slope, r2;
    for (int L = 0; L < nL; L++) {
      Ls[L] = L;
      ys[L] = fpr[ACT_ERF * nL + L].eps / s2;
    }
    if (nL >= 2) ts_linfit(Ls, ys, nL, &slope, NULL, &r2, NULL);
    else { slope = 1; r2 = 1; }
    int mono = 1;
    for (int L = 1; L < nL; L++) mono = mono && fpr[ACT_ERF * nL + L].eps > fpr[ACT_ERF * nL + L - 1].eps;
    snprintf(meas, sizeof meas, "slope %.4g per unit L (eq. 11 at eta->0: %.4g), R^2 = %.5f, increasing: %s", slope,
             fp.lr / (2 * M_PI), r2, mono ? "yes" : "no");
    ts_claim_check(c, "fig2a-erf-linear-in-L", "Sec. 3.1, Fig. 2a",
                   "eps* increases (roughly linearly) with the number of superfluous units L", "increasing, R^2 ~ 1",
                   "paper text below eq. (10)", meas, mono && slope > 0 && r2 >= 0.99,
                   "strictly increasing and linear fit R^2 >= 0.99 (eq. 10's curvature is O(eta L) relative)", NULL);
  }
  /* C8: eq. (10) -> eq. (11) as eta -> 0, checked at two small eta so that the first-order approach shows. */
  {
    double worst = 0, worst_h = 0.5;
    for (int L = 0; L < nL; L++) {
      double lim = L + fp.M / sqrt(3.0);
      double e1 = fabs(goldt_eq10_f(fp.M, L, 1e-6) - lim) / lim, e2 = fabs(goldt_eq10_f(fp.M, L, 5e-7) - lim) / lim;
      if (e1 > worst) worst = e1;
      if (fabs(e2 / e1 - 0.5) > fabs(worst_h - 0.5)) worst_h = e2 / e1;
    }
    snprintf(meas, sizeof meas, "max relative deviation at eta=1e-6: %.3g; ratio when eta halves (farthest from 0.5): %.3f", worst,
             worst_h);
    ts_claim_check(c, "fig2a-eq10-small-eta", "eq. (11)", "eq. (10) tends to sigma^2 eta/(2 pi) (L + M/sqrt 3) as eta -> 0",
                   "L + M/sqrt(3)", "eq. (11); reference sheet (symbolic limit)", meas,
                   worst <= 1e-4 && fabs(worst_h - 0.5) <= 0.01,
                   "deviation <= 1e-4 at eta = 1e-6 and halves with eta (first-order approach)", NULL);
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig2a: ODE %.1f s, SGD %.1f s, ODE twins %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n",
          t_ode - t_start, t_sgd - t_ode, t_twin - t_sgd, counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int j = 0; j < N_ACT * nL; j++) { free(runs[j].eg_sgd); free(runs[j].eg_ode); }
  free(runs); free(grid); free(fpr); free(eps_long);
  return 0;
}
