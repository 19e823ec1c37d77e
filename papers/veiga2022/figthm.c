/* Veiga et al. 2022, the main theorem measured (beyond the paper): for delta_t >= c max(gamma/(dp), gamma^2/(dp^2)),
 * E ||Omega^nu - Omega_bar(nu delta_t)||_inf <= C(T) log(p) sqrt(delta_t) for nu delta_t <= T (slides, "Main
 * theoretical result"), with Omega_bar the solution of dOmega/dt = psi(Omega), psi the expected increment per step
 * divided by delta_t.
 *
 * Setting: kappa = 0, p = 8, k = 4, gamma0 = 8, Delta = 1e-3, erf, Gaussian start (veiga_sim_alloc, VEIGA_IC_GAUSS:
 * orthonormal teacher rows, student rows sqrt(d) times random unit vectors), two points of the plane:
 *   blue   delta = 0:   gamma = 8,           delta_t = 1/d,       bound exponent -1/2
 *   green  delta = 1/2: gamma = 8 d^-1/2,    delta_t = d^-3/2,    bound exponent -3/4
 * Horizon T = 10 (rescaled time): the initial descent into the plateau of this start; the plateau exit (t ~ 10^2,
 * fig9) is a stochastic O(log d) event that amplifies deviations by the unstable mode, as in Goldt's Theorem 1.
 *
 * Omega_bar: the ODE of the expected increment at this d (ts_ode with K = p, M = k, lr = gamma0, v = 1/p, v* = 1/k,
 * c_grad = 1 and c_noise = d^-delta: per step the noise term is gamma^2/(dp^2) psi_Q^(2), i.e. (gamma0/p)^2 d^-delta
 * per unit t), integrated adaptively (rkf45, rtol 1e-9) from the run's own initial overlaps.  In green its noise term
 * vanishes as d^-1/2, and the limit ODE of the region (c_noise = 0) is also integrated: the distance to it is
 * dominated by that bias, d^-1/2, not by the fluctuations, d^-3/4 (a second, informative measurement).
 *
 * Per (region, d, seed): D = max over the n_grid record times t_i = i T / n_grid (whole SGD steps) of
 * ||Omega_SGD - Omega_bar||_inf over the entries of Q and M (veiga_phase_dist); per (region, d): mean D over seeds and
 * its SE; the exponent of mean D against d by least squares on log axes with SE = max(residual SE, SE propagated
 * from the seed scatter) (as goldt2020/figthm1).
 * Outputs: figthm_runs.tsv, figthm.tsv (per region and d), figthm_curves.tsv (seed-mean deviation along t), claims.
 * Modes: fast (d = 50..800 doubling, 8 seeds), full (d = 100..3200, 32 seeds), smoke (d = 20, 40, 2 seeds, T = 1).
 * Run (region, d, s) uses ts_rng_seed_for(seed, 1000000 region + 1000 d + s). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_sgd.h"
#include "ts_stats.h"
#include "ts_table.h"
#include "ts_util.h"

#define MAX_D 12
#define MAX_SEEDS 256
#define N_REG 2

static const double reg_delta[N_REG] = {0.0, 0.5};
static const char *reg_name[N_REG] = {"blue", "green"};

typedef struct {
  int p, k, nd, ds[MAX_D], n_seeds, n_grid;
  double gamma0, Delta, T;
} fig_params;

typedef struct {
  int reg, d, seed_idx, status;
  double *t;          /* n_grid actual rescaled times */
  double *dev, *dlim; /* n_grid: distance to the finite-d ODE and to the limit ODE */
  double D, Dlim, Dbias, t_fail; /* Dbias: max_t distance between the finite-d and the limit ODE (green) */
} run_result;

typedef struct { ts_scm_state **st; int i, n; } obs_ctx;
static int obs(double alpha, const ts_scm_state *s, double eg, void *ctx)
{
  (void)alpha;
  (void)eg;
  obs_ctx *c = ctx;
  if (c->i > 0 && c->i <= c->n) ts_scm_copy(c->st[c->i - 1], s);
  c->i++;
  return 0;
}

/* Integrate the ODE with noise coefficient cn from s0 onto the grid; states into st[0..n-1]. */
static int ode_on_grid(const fig_params *fp, double cn, const ts_scm_state *s0, const double *t, int n,
                       ts_scm_state **st, double *t_fail)
{
  ts_ode_params op;
  int rc = veiga_ode_params(VEIGA_BLUE, fp->p, fp->k, fp->gamma0, fp->Delta, &op);
  if (rc) return rc;
  op.c_noise = cn;
  ts_ode *w = ts_ode_alloc(&op);
  ts_scm_state *s = ts_scm_alloc(fp->p, fp->k);
  if (!w || !s) { ts_ode_free(w); ts_scm_free(s); return TS_ENOMEM; }
  ts_scm_copy(s, s0);
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.adaptive = 1;
  in.rtol = 1e-9;
  obs_ctx c = {st, 0, n};
  rc = ts_ode_integrate(w, s, 0.0, t, n, &in, obs, &c, t_fail);
  ts_scm_free(s);
  ts_ode_free(w);
  return rc;
}

static void run_one(const fig_params *fp, run_result *res, uint64_t seed, ts_progress *prog)
{
  const int n = fp->n_grid, d = res->d;
  const double delta = reg_delta[res->reg], xs = pow(d, 1 + delta); /* kappa = 0: theta = delta */
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = d;
  sp.p = fp->p;
  sp.k = fp->k;
  sp.delta = delta;
  sp.gamma0 = fp->gamma0;
  sp.Delta = fp->Delta;
  sp.ic = VEIGA_IC_GAUSS;
  ts_sgd *s = veiga_sim_alloc(&sp, seed);
  ts_scm_state *s0 = ts_scm_alloc(fp->p, fp->k), *cur = ts_scm_alloc(fp->p, fp->k);
  ts_scm_state **st = calloc((size_t)n, sizeof *st), **sl = calloc((size_t)n, sizeof *sl), **ss = calloc((size_t)n, sizeof *ss);
  if (!s || !s0 || !cur || !st || !sl || !ss) { res->status = TS_ENOMEM; goto done; }
  for (int i = 0; i < n; i++) {
    st[i] = ts_scm_alloc(fp->p, fp->k);
    sl[i] = ts_scm_alloc(fp->p, fp->k);
    ss[i] = ts_scm_alloc(fp->p, fp->k);
    if (!st[i] || !sl[i] || !ss[i]) { res->status = TS_ENOMEM; goto done; }
  }
  ts_sgd_overlaps(s, s0);
  long done_steps = 0;
  for (int i = 0; i < n; i++) {
    long target = (long)floor(fp->T * (i + 1) / n * xs);
    if ((res->status = ts_sgd_run(s, target - done_steps)) != TS_OK) { res->t_fail = done_steps / xs; goto done; }
    ts_progress_add(prog, (double)(target - done_steps));
    done_steps = target;
    res->t[i] = target / xs;
    ts_sgd_overlaps(s, ss[i]);
  }
  if ((res->status = ode_on_grid(fp, pow(d, -delta), s0, res->t, n, st, &res->t_fail))) goto done;
  if (delta > 0 && (res->status = ode_on_grid(fp, 0.0, s0, res->t, n, sl, &res->t_fail))) goto done;
  res->D = res->Dlim = res->Dbias = 0;
  for (int i = 0; i < n; i++) {
    res->dev[i] = veiga_phase_dist(ss[i], st[i]);
    res->dlim[i] = delta > 0 ? veiga_phase_dist(ss[i], sl[i]) : res->dev[i];
    if (!isfinite(res->dev[i]) || !isfinite(res->dlim[i])) { res->status = TS_EDIVERGE; goto done; }
    res->D = fmax(res->D, res->dev[i]);
    res->Dlim = fmax(res->Dlim, res->dlim[i]);
    if (delta > 0) res->Dbias = fmax(res->Dbias, veiga_phase_dist(st[i], sl[i]));
  }
done:
  for (int i = 0; i < n; i++) {
    if (st) ts_scm_free(st[i]);
    if (sl) ts_scm_free(sl[i]);
    if (ss) ts_scm_free(ss[i]);
  }
  free(st);
  free(sl);
  free(ss);
  ts_scm_free(cur);
  ts_scm_free(s0);
  ts_sgd_free(s);
}

/* least squares of ln y on ln x with SE = max(residual SE, SE propagated from se_y / y) */
static void fit(const double *x, const double *y, const double *se, int n, double *b, double *a, double *bse)
{
  double lx[MAX_D] = {0}, ly[MAX_D] = {0}, se_fit, xbar = 0, sxx = 0, vprop = 0;
  for (int i = 0; i < n; i++) {
    lx[i] = log(x[i]);
    ly[i] = log(y[i]);
    xbar += lx[i] / n;
  }
  ts_linfit(lx, ly, n, b, a, NULL, &se_fit);
  for (int i = 0; i < n; i++) {
    double rel = se[i] / y[i];
    sxx += (lx[i] - xbar) * (lx[i] - xbar);
    vprop += (lx[i] - xbar) * (lx[i] - xbar) * rel * rel;
  }
  double sp = sqrt(vprop) / sxx;
  *bse = (isfinite(se_fit) && se_fit > sp) ? se_fit : sp;
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/veiga2022", 2022, 0};
  fig_params fp = {8, 4, 5, {50, 100, 200, 400, 800}, 8, 20, 8, 1e-3, 10};
  int n_seeds = 0;
  double T = 0;
  ts_opt opts[] = {
      TS_FIG_OPTS(fa),
      {"--seeds", TS_OPT_INT, &n_seeds, "runs per region and d (fast 8, full 32, smoke 2)", 0},
      {"--T", TS_OPT_DOUBLE, &T, "horizon in rescaled time (default 10; smoke 1)", 0},
      {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "figthm [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                        "Veiga et al. 2022 theorem measured: max_t ||Omega_SGD - Omega_ODE||_inf against d (blue, green).");
  if (rc) return rc == 1 ? 0 : 2;
  int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (full) {
    fp.nd = 6;
    for (int a = 0; a < 6; a++) fp.ds[a] = 100 << a;
    fp.n_seeds = 32;
  }
  if (smoke) {
    fp.nd = 2;
    fp.ds[0] = 20;
    fp.ds[1] = 40;
    fp.n_seeds = 2;
    fp.T = 1;
    fp.n_grid = 5;
  }
  if (ts_cli_seen(opts, "--seeds")) fp.n_seeds = n_seeds;
  if (ts_cli_seen(opts, "--T")) fp.T = T;
  if (fp.n_seeds < 2 || fp.n_seeds > MAX_SEEDS) return ts_cli_fail("--seeds must be in 2..%d", MAX_SEEDS);
  if (!(fp.T > 0 && fp.T <= 1000)) return ts_cli_fail("--T must be in (0, 1000]");
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  double t_start = ts_wall_seconds();

  const int nper = fp.nd * fp.n_seeds, nrun = N_REG * nper, ng = fp.n_grid;
  run_result *runs = calloc((size_t)nrun, sizeof *runs);
  if (!runs) return ts_error(TS_ENOMEM, "out of memory"), 1;
  double work = 0;
  for (int j = 0; j < nrun; j++) {
    run_result *r = &runs[j];
    r->reg = j / nper;
    r->d = fp.ds[(j % nper) / fp.n_seeds];
    r->seed_idx = j % fp.n_seeds;
    r->t = calloc((size_t)ng, sizeof(double));
    r->dev = calloc((size_t)ng, sizeof(double));
    r->dlim = calloc((size_t)ng, sizeof(double));
    if (!r->t || !r->dev || !r->dlim) return ts_error(TS_ENOMEM, "out of memory"), 1;
    work += fp.T * pow(r->d, 1 + reg_delta[r->reg]);
  }
  ts_progress *prog = ts_progress_start("figthm SGD", work);
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = nrun - 1; j >= 0; j--) /* green, largest d first */
    run_one(&fp, &runs[j],
            ts_rng_seed_for(fa.seed, 1000000 * (uint64_t)runs[j].reg + 1000 * (uint64_t)runs[j].d + runs[j].seed_idx),
            prog);
  ts_progress_end(prog);
  double t_runs = ts_wall_seconds();
  for (int j = 0; j < nrun; j++)
    if (runs[j].status)
      return ts_error(runs[j].status, "%s run d=%d seed %d failed at t=%g (%s)", reg_name[runs[j].reg], runs[j].d,
                      runs[j].seed_idx, runs[j].t_fail, runs[j].status == TS_EDIVERGE ? "diverged" : "error"), 1;

  /* ---- statistics ------------------------------------------------------------------------------------------------ */
  double mD[N_REG][MAX_D], seD[N_REG][MAX_D], mL[N_REG][MAX_D], seL[N_REG][MAX_D], mB[N_REG][MAX_D], dx[MAX_D];
  double b[N_REG], a[N_REG], bse[N_REG], bl[N_REG], al[N_REG], blse[N_REG];
  for (int i = 0; i < fp.nd; i++) dx[i] = fp.ds[i];
  for (int g = 0; g < N_REG; g++) {
    for (int i = 0; i < fp.nd; i++) {
      double m = 0, v = 0, ml = 0, vl = 0, mb = 0;
      const run_result *r = &runs[g * nper + i * fp.n_seeds];
      for (int s = 0; s < fp.n_seeds; s++) { m += r[s].D; ml += r[s].Dlim; mb += r[s].Dbias / fp.n_seeds; }
      mB[g][i] = mb;
      m /= fp.n_seeds;
      ml /= fp.n_seeds;
      for (int s = 0; s < fp.n_seeds; s++) {
        v += (r[s].D - m) * (r[s].D - m);
        vl += (r[s].Dlim - ml) * (r[s].Dlim - ml);
      }
      mD[g][i] = m;
      seD[g][i] = sqrt(v / (fp.n_seeds - 1) / fp.n_seeds);
      mL[g][i] = ml;
      seL[g][i] = sqrt(vl / (fp.n_seeds - 1) / fp.n_seeds);
    }
    fit(dx, mD[g], seD[g], fp.nd, &b[g], &a[g], &bse[g]);
    fit(dx, mL[g], seL[g], fp.nd, &bl[g], &al[g], &blse[g]);
  }

  /* ---- tables ---------------------------------------------------------------------------------------------------- */
  char path[1024], dlist[160] = "";
  for (int i = 0; i < fp.nd; i++) snprintf(dlist + strlen(dlist), sizeof dlist - strlen(dlist), "%s%d", i ? "," : "", fp.ds[i]);
#define META(t)                                                                                                    \
  do {                                                                                                             \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                       \
    ts_table_meta(t, "d", "%s", dlist);                                                                            \
    ts_table_meta(t, "regions", "blue kappa=0 delta=0 (delta_t = 1/d); green kappa=0 delta=1/2 (delta_t = d^-3/2)"); \
    ts_table_meta(t, "p", "%d", fp.p);                                                                             \
    ts_table_meta(t, "k", "%d", fp.k);                                                                             \
    ts_table_meta(t, "gamma", "%g d^-delta", fp.gamma0);                                                           \
    ts_table_meta(t, "Delta", "%g", fp.Delta);                                                                     \
    ts_table_meta(t, "start", "Gaussian: orthonormal teacher rows, student rows sqrt(d) x random unit vectors");    \
    ts_table_meta(t, "T", "%g; %d records t_i = i T/%d in whole SGD steps", fp.T, ng, ng);                         \
    ts_table_meta(t, "ode", "finite-d ODE (c_grad 1, c_noise d^-delta) and, green, limit ODE (c_noise 0); rkf45 "  \
                  "rtol 1e-9, from the run's own initial overlaps");                                               \
    ts_table_meta(t, "D", "max over the records of max over Q, M entries |Omega_SGD - Omega_ODE|");                \
    ts_table_meta(t, "seed", "%llu", (unsigned long long)fa.seed);                                                 \
    ts_table_meta(t, "seeds", "%d per region and d; run id 1000000 region + 1000 d + s", fp.n_seeds);              \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                            \
    ts_table_meta(t, "wall_seconds_runs", "%.2f", t_runs - t_start);                                               \
  } while (0)
  snprintf(path, sizeof path, "%s/figthm_runs.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "veiga2022/figthm");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "one row per run: region (0 blue, 1 green), d, seed, D (finite-d ODE), D_limit");
  ts_table_columns(t, 5, (const char *[]){"region", "d", "seed", "D", "D_limit"});
  for (int j = 0; j < nrun; j++) {
    double row[5] = {runs[j].reg, runs[j].d, runs[j].seed_idx, runs[j].D, runs[j].Dlim};
    if (ts_table_row(t, 5, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/figthm.tsv", fa.outdir);
  t = ts_table_open(path, "veiga2022/figthm");
  if (!t) return 1;
  META(t);
  for (int g = 0; g < N_REG; g++) {
    ts_table_meta(t, g ? "fit_green" : "fit_blue", "slope %.6f SE %.6f intercept %.6f; limit ODE: slope %.6f SE %.6f "
                  "intercept %.6f", b[g], bse[g], a[g], bl[g], blse[g], al[g]);
    ts_table_meta(t, g ? "slope_green" : "slope_blue", "%.10g", b[g]);
    ts_table_meta(t, g ? "icpt_green" : "icpt_blue", "%.10g", a[g]);
    ts_table_meta(t, g ? "slope_green_limit" : "slope_blue_limit", "%.10g", bl[g]);
    ts_table_meta(t, g ? "icpt_green_limit" : "icpt_blue_limit", "%.10g", al[g]);
  }
  ts_table_meta(t, "content", "per region (one index block each: blue, green) and d: seed mean of D and its SE, of "
                "D_limit and its SE, sqrt(delta_t), the fitted line, the mean max_t distance between the finite-d and the "
                "limit ODE (green; 0 in blue, where they coincide)");
  ts_table_columns(t, 9, (const char *[]){"region", "d", "mean_D", "se_D", "mean_D_limit", "se_D_limit",
                                         "sqrt_delta_t", "fit_D", "ode_bias"});
  for (int g = 0; g < N_REG; g++) {
    if (g) fputs("\n\n", ts_table_stream(t));
    for (int i = 0; i < fp.nd; i++) {
      double row[9] = {g, fp.ds[i], mD[g][i], seD[g][i], mL[g][i], seL[g][i], pow(fp.ds[i], -(1 + reg_delta[g]) / 2),
                       exp(a[g] + b[g] * log(fp.ds[i])), mB[g][i]};
      if (ts_table_row(t, 9, row)) { ts_table_discard(t); return 1; }
    }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/figthm_curves.tsv", fa.outdir);
  t = ts_table_open(path, "veiga2022/figthm");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "per region and d (index blocks: blue d..., green d...): seed mean of the deviation "
                "along t, and divided by sqrt(delta_t)");
  ts_table_columns(t, 5, (const char *[]){"region", "d", "t", "mean_dev", "dev_over_sqrt_delta_t"});
  for (int g = 0; g < N_REG; g++)
    for (int i = 0; i < fp.nd; i++) {
      if (g || i) fputs("\n\n", ts_table_stream(t));
      const run_result *r = &runs[g * nper + i * fp.n_seeds];
      double sq = pow(fp.ds[i], -(1 + reg_delta[g]) / 2);
      for (int k = 0; k < ng; k++) {
        double m = 0;
        for (int s = 0; s < fp.n_seeds; s++) m += r[s].dev[k];
        m /= fp.n_seeds;
        double row[5] = {g, fp.ds[i], r[0].t[k], m, m / sq};
        if (ts_table_row(t, 5, row)) { ts_table_discard(t); return 1; }
      }
    }
  if (ts_table_close(t)) return 1;

  /* ---- claims (rules fixed before the runs) ------------------------------------------------------------------------ */
  snprintf(path, sizeof path, "%s/figthm.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[768], st[512];
  for (int g = 0; g < N_REG; g++) {
    double be = -(1 + reg_delta[g]) / 2;
    char id[64];
    snprintf(id, sizeof id, "thm-rate-%s", reg_name[g]);
    snprintf(st, sizeof st, "%s (kappa = 0, delta = %g, p = %d, k = %d, gamma0 = %g): the exponent of max_{t <= %g} "
             "||Omega_SGD - Omega_ODE||_inf against d is at most the bound's sqrt(delta_t) exponent %g",
             reg_name[g], reg_delta[g], fp.p, fp.k, fp.gamma0, fp.T, be);
    snprintf(meas, sizeof meas, "slope %.4f +- %.4f (SE); bound exponent %g; (slope - bound)/SE = %.2f; mean D %.3g "
             "(d=%d) .. %.3g (d=%d); %d seeds per d", b[g], bse[g], be, (b[g] - be) / bse[g], mD[g][0], fp.ds[0],
             mD[g][fp.nd - 1], fp.ds[fp.nd - 1], fp.n_seeds);
    if (smoke)
      ts_claim_skip(c, id, "slides 'Main theoretical result'", st, "smoke mode: 2 values of d, 2 seeds, T = 1");
    else
      ts_claim_check(c, id, "slides 'Main theoretical result'", st, "slope <= -(1+theta)/2",
                     "theorem: E||Omega - Omega_bar||_inf <= C(T) log(p) sqrt(delta_t)", meas,
                     b[g] <= be + 2 * bse[g],
                     "slope <= bound exponent + 2 SE (an upper bound; SE = max(residual SE, propagated seed SE))",
                     NULL);
  }
  snprintf(st, sizeof st, "green: the distance to the limit ODE (noise term dropped) scales as d^-delta = d^-1/2, the "
           "size of the dropped term, not as sqrt(delta_t) = d^-3/4");
  const int L = fp.nd - 1;
  snprintf(meas, sizeof meas, "slope %.4f +- %.4f (SE); (slope + 1/2)/SE = %.2f; the ODEs' own distance (the bias) is "
           "%.3g at d=%d and %.3g at d=%d, the SGD fluctuations D %.3g and %.3g", bl[1], blse[1],
           (bl[1] + 0.5) / blse[1], mB[1][0], fp.ds[0], mB[1][L], fp.ds[L], mD[1][0], mD[1][L]);
  /* The expectation assumed the bias dominates.  If it is below the fluctuations at every d, the distance to the limit
   * ODE is fluctuation-dominated and follows sqrt(delta_t) instead: that is the explanation of a failure, and only
   * then is the failure an XFAIL. */
  int bias_small = 1;
  for (int i = 0; i < fp.nd; i++) bias_small = bias_small && mB[1][i] < mD[1][i];
  char note[512];
  snprintf(note, sizeof note, "the dropped noise term moves the ODE by only %.2g (d=%d) .. %.2g (d=%d) within t <= %g "
           "(psi_Q^(2) ~ E g'g'(y-f)^2 is small once the risk is O(10^-2)), below the SGD fluctuations (%.2g .. %.2g) "
           "at every d: the distance to the limit ODE is fluctuation-dominated (it follows the fitted D slope); the "
           "d^-1/2 bias overtakes the fluctuations near d ~ %.2g (extrapolating D ~ d^%.2f)", mB[1][0], fp.ds[0],
           mB[1][L], fp.ds[L], fp.T, mD[1][0], mD[1][L],
           b[1] < -0.5 ? fp.ds[L] * pow(mD[1][L] / mB[1][L], 1 / (-b[1] - 0.5)) : INFINITY, b[1]);
  if (smoke) ts_claim_skip(c, "thm-green-limit-bias", "sheet sec. 2 (green: noise term ~ d^-(kappa+delta))", st,
                           "smoke mode: 2 values of d, 2 seeds, T = 1");
  else
    ts_claim_check(c, "thm-green-limit-bias", "sheet sec. 2 (green: noise term ~ d^-(kappa+delta))", st, "-1/2",
                   "rescaled ODE: (gamma0/p0)^2 d^(theta - 2(kappa+delta)) psi_Q^(2)", meas,
                   fabs(bl[1] + 0.5) <= 2 * blse[1], "|slope + 1/2| <= 2 SE", bias_small ? note : NULL);
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "figthm: runs %.1f s; slopes blue %.3f (%.3f) green %.3f (%.3f) green-limit %.3f (%.3f); claims: %d "
          "pass, %d fail, %d xfail, %d skip\n", t_runs - t_start, b[0], bse[0], b[1], bse[1], bl[1], blse[1],
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int j = 0; j < nrun; j++) {
    free(runs[j].t);
    free(runs[j].dev);
    free(runs[j].dlim);
  }
  free(runs);
  return 0;
}
