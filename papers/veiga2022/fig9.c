/* Veiga et al. 2022, figure 9: the blue line at kappa = delta = 0 from a Gaussian start — simulations at several d,
 * each with the ODE started from that simulation's own initial overlaps.  The initial student–teacher overlaps are
 * M0 ~ N(0, 1/d), so the symmetric plateau is left later for larger d (the unstable mode needs ln(1/M0) ~ (1/2) ln d
 * more time), and every ODE ends at the same fixed point.
 *
 * Setting (sheet, Fig. 9): p = 8, k = 4, gamma0 = 8, Delta = 1e-3, erf; Gaussian start (veiga_sim_alloc,
 * VEIGA_IC_GAUSS: orthonormal teacher rows of norm sqrt(d), student rows sqrt(d) times random unit vectors);
 * d in {30, 100, 300, 1000}; the paper runs d <= 300 to t = 10^4 and d = 1000 to t = 10^3 (one seed each).
 * Records: 30 log-spaced times per decade from t = 0.1 (whole SGD steps, t = steps/d), R - Delta/2 analytic from the
 * overlaps (veiga_risk); ODE: the blue limit ODE (veiga_ode_curve, adaptive rkf45) from the run's initial overlaps
 * to t = 10^4 on the same kind of grid.
 * Plateau exit: the first record with R - Delta/2 below EXIT_LEVEL = Delta (ten times the O(Delta) floor of this
 * setting, ~1e-4, and well below the plateau, ~1e-2).
 * Outputs: fig9.tsv (seed 0's curves: one index block per d for SGD, then one per d for the ODE), fig9_exit.tsv (per d
 * and seed: exit times of SGD and ODE, the ODE's final risk, rms of M0 times sqrt(d)), fig9.claims.tsv.
 * Modes: fast (default: 5 seeds, SGD to t = 10^3 for every d, ODE to 10^4), full (10 seeds, SGD to 10^4 for d <= 300
 * and 10^3 for d = 1000 as the paper), smoke (d = 30, 60, 1 seed, SGD to t = 10, ODE to 100; claims SKIP).
 * Run (d, s) uses ts_rng_seed_for(seed, 1000 d + s). */
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

#define MAX_D 8
#define MAX_SEEDS 64
#define PER_DECADE 30
#define T_FIRST 0.1

typedef struct {
  int p, k, nd, ds[MAX_D], n_seeds;
  double gamma0, Delta, t_sgd[MAX_D], t_ode;
} fig_params;

typedef struct {
  int d, seed_idx, status, n_sgd, n_ode;
  double *t_sgd, *r_sgd, *t_ode, *r_ode;
  double exit_sgd, exit_ode, r_end_ode, m0_rms, t_fail;
} run_result;

/* log grid from T_FIRST to tmax, PER_DECADE points per decade; for SGD rounded to whole steps (xs steps per unit t) and
 * deduplicated.  Returns the count. */
static int make_grid(double tmax, double xs, double *t, int cap)
{
  int n = 0, m = (int)lround(PER_DECADE * log10(tmax / T_FIRST));
  for (int i = 0; i <= m && n < cap; i++) {
    double x = T_FIRST * pow(10.0, (double)i / PER_DECADE);
    if (xs > 0) x = floor(x * xs + 0.5) / xs;
    if (x > 0 && (n == 0 || x > t[n - 1])) t[n++] = x;
  }
  return n;
}

static void run_one(const fig_params *fp, run_result *res, int a, uint64_t seed, ts_progress *prog)
{
  const int d = res->d;
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = d;
  sp.p = fp->p;
  sp.k = fp->k;
  sp.gamma0 = fp->gamma0;
  sp.Delta = fp->Delta;
  sp.ic = VEIGA_IC_GAUSS;
  ts_sgd *s = veiga_sim_alloc(&sp, seed);
  ts_scm_state *s0 = ts_scm_alloc(fp->p, fp->k), *st = ts_scm_alloc(fp->p, fp->k);
  if (!s || !s0 || !st) { res->status = TS_ENOMEM; goto done; }
  ts_sgd_overlaps(s, s0);
  double m2 = 0;
  for (int i = 0; i < fp->p * fp->k; i++) m2 += s0->R[i] * s0->R[i];
  res->m0_rms = sqrt(m2 / (fp->p * fp->k)) * sqrt((double)d);
  long done_steps = 0;
  for (int i = 0; i < res->n_sgd; i++) {
    long target = lround(res->t_sgd[i] * d);
    if ((res->status = ts_sgd_run(s, target - done_steps)) != TS_OK) { res->t_fail = (double)done_steps / d; goto done; }
    ts_progress_add(prog, (double)(target - done_steps));
    done_steps = target;
    ts_sgd_overlaps(s, st);
    res->r_sgd[i] = veiga_risk(st);
    if (!isfinite(res->r_sgd[i])) { res->status = TS_EDIVERGE; res->t_fail = res->t_sgd[i]; goto done; }
  }
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.adaptive = 1;
  if ((res->status = veiga_ode_curve(VEIGA_BLUE, fp->gamma0, fp->Delta, s0, res->t_ode, res->n_ode, &in, res->r_ode,
                                     &res->t_fail)))
    goto done;
  res->exit_sgd = ts_first_below(res->t_sgd, res->r_sgd, res->n_sgd, fp->Delta);
  res->exit_ode = ts_first_below(res->t_ode, res->r_ode, res->n_ode, fp->Delta);
  res->r_end_ode = res->r_ode[res->n_ode - 1];
  (void)a;
done:
  ts_scm_free(st);
  ts_scm_free(s0);
  ts_sgd_free(s);
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/veiga2022", 2022, 0};
  fig_params fp = {8, 4, 4, {30, 100, 300, 1000}, 5, 8, 1e-3, {1e3, 1e3, 1e3, 1e3}, 1e4};
  int n_seeds = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--seeds", TS_OPT_INT, &n_seeds, "runs per d (fast 5, full 10, smoke 1)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig9 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                        "Veiga et al. 2022 figure 9: blue line, Gaussian start, SGD at d = 30..1000 and one ODE each.");
  if (rc) return rc == 1 ? 0 : 2;
  int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (full) {
    fp.n_seeds = 10;
    for (int a = 0; a < 3; a++) fp.t_sgd[a] = 1e4;
  }
  if (smoke) {
    fp.nd = 2;
    fp.ds[0] = 30;
    fp.ds[1] = 60;
    fp.n_seeds = 1;
    fp.t_sgd[0] = fp.t_sgd[1] = 10;
    fp.t_ode = 100;
  }
  if (ts_cli_seen(opts, "--seeds")) fp.n_seeds = n_seeds;
  if (fp.n_seeds < 1 || fp.n_seeds > MAX_SEEDS) return ts_cli_fail("--seeds must be in 1..%d", MAX_SEEDS);
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  double t_start = ts_wall_seconds();

  const int nrun = fp.nd * fp.n_seeds, cap = PER_DECADE * 7 + 2;
  run_result *runs = calloc((size_t)nrun, sizeof *runs);
  if (!runs) return ts_error(TS_ENOMEM, "out of memory"), 1;
  double work = 0;
  for (int j = 0; j < nrun; j++) {
    run_result *r = &runs[j];
    int a = j / fp.n_seeds;
    r->d = fp.ds[a];
    r->seed_idx = j % fp.n_seeds;
    r->t_sgd = malloc(sizeof(double) * cap);
    r->r_sgd = calloc(cap, sizeof(double));
    r->t_ode = malloc(sizeof(double) * cap);
    r->r_ode = calloc(cap, sizeof(double));
    if (!r->t_sgd || !r->r_sgd || !r->t_ode || !r->r_ode) return ts_error(TS_ENOMEM, "out of memory"), 1;
    r->n_sgd = make_grid(fp.t_sgd[a], r->d, r->t_sgd, cap);
    r->n_ode = make_grid(fp.t_ode, 0, r->t_ode, cap);
    work += fp.t_sgd[a] * r->d;
  }
  ts_progress *prog = ts_progress_start("fig9 SGD + ODE", work);
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = nrun - 1; j >= 0; j--)
    run_one(&fp, &runs[j], j / fp.n_seeds,
            ts_rng_seed_for(fa.seed, 1000 * (uint64_t)runs[j].d + (uint64_t)runs[j].seed_idx), prog);
  ts_progress_end(prog);
  double t_runs = ts_wall_seconds();
  for (int j = 0; j < nrun; j++)
    if (runs[j].status)
      return ts_error(runs[j].status, "run d=%d seed %d failed at t=%g (%s)", runs[j].d, runs[j].seed_idx,
                      runs[j].t_fail, runs[j].status == TS_EDIVERGE ? "diverged" : "error"), 1;

  /* ---- tables ---------------------------------------------------------------------------------------------------- */
  char path[1024], dlist[128] = "", tlist[128] = "";
  for (int a = 0; a < fp.nd; a++) {
    snprintf(dlist + strlen(dlist), sizeof dlist - strlen(dlist), "%s%d", a ? "," : "", fp.ds[a]);
    snprintf(tlist + strlen(tlist), sizeof tlist - strlen(tlist), "%s%g", a ? "," : "", fp.t_sgd[a]);
  }
#define META(t)                                                                                                    \
  do {                                                                                                             \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                       \
    ts_table_meta(t, "d", "%s", dlist);                                                                            \
    ts_table_meta(t, "kappa", "0");                                                                                \
    ts_table_meta(t, "delta", "0 (blue line; t = steps/d)");                                                      \
    ts_table_meta(t, "p", "%d", fp.p);                                                                             \
    ts_table_meta(t, "k", "%d", fp.k);                                                                             \
    ts_table_meta(t, "gamma0", "%g", fp.gamma0);                                                                   \
    ts_table_meta(t, "Delta", "%g", fp.Delta);                                                                     \
    ts_table_meta(t, "start", "Gaussian: orthonormal teacher rows, student rows sqrt(d) x random unit vectors");    \
    ts_table_meta(t, "t_sgd", "%s (per d)", tlist);                                                                \
    ts_table_meta(t, "t_ode", "%g", fp.t_ode);                                                                     \
    ts_table_meta(t, "records", "%d log-spaced per decade from t = %g (SGD: whole steps)", PER_DECADE, T_FIRST);   \
    ts_table_meta(t, "ode", "blue limit ODE (veiga_ode_curve), rkf45 rtol 1e-8, from the run's initial overlaps"); \
    ts_table_meta(t, "exit_level", "%g (first record with R - Delta/2 below)", fp.Delta);                          \
    ts_table_meta(t, "seed", "%llu", (unsigned long long)fa.seed);                                                 \
    ts_table_meta(t, "seeds", "%d per d; run id 1000 d + s", fp.n_seeds);                                          \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                            \
    ts_table_meta(t, "wall_seconds_runs", "%.2f", t_runs - t_start);                                               \
  } while (0)
  snprintf(path, sizeof path, "%s/fig9.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "veiga2022/fig9");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "seed 0: index blocks 0..%d SGD per d, then %d..%d the ODE from that run's start",
                fp.nd - 1, fp.nd, 2 * fp.nd - 1);
  ts_table_columns(t, 3, (const char *[]){"d", "t", "risk"});
  for (int src = 0; src < 2; src++)
    for (int a = 0; a < fp.nd; a++) {
      if (src || a) fputs("\n\n", ts_table_stream(t));
      const run_result *r = &runs[a * fp.n_seeds];
      int n = src ? r->n_ode : r->n_sgd;
      for (int i = 0; i < n; i++) {
        double row[3] = {r->d, src ? r->t_ode[i] : r->t_sgd[i], src ? r->r_ode[i] : r->r_sgd[i]};
        if (ts_table_row(t, 3, row)) { ts_table_discard(t); return 1; }
      }
    }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig9_exit.tsv", fa.outdir);
  t = ts_table_open(path, "veiga2022/fig9");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "per d and seed: plateau exit of SGD and of its ODE (-1: not within the run), the ODE's "
                "R - Delta/2 at t_ode, rms of M0 entries times sqrt(d)");
  ts_table_columns(t, 6, (const char *[]){"d", "seed", "exit_sgd", "exit_ode", "r_end_ode", "m0_rms_sqrtd"});
  for (int j = 0; j < nrun; j++) {
    const run_result *r = &runs[j];
    double row[6] = {r->d, r->seed_idx, isnan(r->exit_sgd) ? -1 : r->exit_sgd, isnan(r->exit_ode) ? -1 : r->exit_ode,
                     r->r_end_ode, r->m0_rms};
    if (ts_table_row(t, 6, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  /* ---- claims (rules fixed before the runs) ------------------------------------------------------------------------ */
  snprintf(path, sizeof path, "%s/fig9.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], st[512], rule[512];
  /* C1: exit later for larger d.  Theory: t_exit = t0 + ln(d) / (2 lambda) (M0 ~ d^-1/2, unstable rate lambda):
   * least squares of the SGD exit times (every escaped run) on ln d; slope > 2 SE. */
  {
    double x[MAX_D * MAX_SEEDS], y[MAX_D * MAX_SEEDS];
    int n = 0, not_esc = 0;
    char per[512] = "";
    for (int a = 0; a < fp.nd; a++) {
      double m = 0;
      int ne = 0;
      for (int s = 0; s < fp.n_seeds; s++) {
        const run_result *r = &runs[a * fp.n_seeds + s];
        if (isnan(r->exit_sgd)) { not_esc++; continue; }
        x[n] = log(r->d);
        y[n++] = r->exit_sgd;
        m += r->exit_sgd;
        ne++;
      }
      snprintf(per + strlen(per), sizeof per - strlen(per), "%sd=%d: %.3g (%d runs)", a ? ", " : "", fp.ds[a],
               ne ? m / ne : NAN, ne);
    }
    double b = NAN, bse = NAN;
    if (n >= 3) ts_linfit(x, y, n, &b, NULL, NULL, &bse);
    snprintf(meas, sizeof meas, "mean SGD exit t: %s; slope d t_exit / d ln d = %.3g +- %.3g (SE); %d runs did not "
             "exit within their t_sgd", per, b, bse, not_esc);
    snprintf(st, sizeof st, "the plateau exit of SGD (first R - Delta/2 < Delta) comes later for larger d");
    snprintf(rule, sizeof rule, "slope of t_exit against ln d (least squares over all escaped runs) > 2 SE; theory "
             "t_exit = t0 + ln d/(2 lambda)");
    if (smoke || fp.n_seeds < 2) ts_claim_skip(c, "fig9-exit-later", "Fig. 9", st, "smoke mode: runs too short to exit");
    else
      ts_claim_check(c, "fig9-exit-later", "Fig. 9", st, "slope > 0", "sheet Fig. 9 (initial M ~ d^-1/2)", meas,
                     n >= 3 && b > 2 * bse, rule, NULL);
  }
  /* C2: every ODE ends at the same fixed point (up to permutations of the students): R - Delta/2 at t_ode equal
   * within 1% (sheet) — (max - min)/mean. */
  {
    double mn = INFINITY, mx = -INFINITY, m = 0;
    for (int j = 0; j < nrun; j++) {
      mn = fmin(mn, runs[j].r_end_ode);
      mx = fmax(mx, runs[j].r_end_ode);
      m += runs[j].r_end_ode / nrun;
    }
    snprintf(meas, sizeof meas, "R - Delta/2 at t = %g over %d ODEs: min %.6g, max %.6g, mean %.6g, (max - min)/mean "
             "= %.3g%%", fp.t_ode, nrun, mn, mx, m, 100 * (mx - mn) / m);
    snprintf(st, sizeof st, "all ODEs (one per run, from its own start) end at the same fixed point");
    if (smoke) ts_claim_skip(c, "fig9-same-fixed-point", "Fig. 9", st, "smoke mode: ODE to t = 100 only");
    else
      ts_claim_check(c, "fig9-same-fixed-point", "Fig. 9", st, "equal", "sheet Fig. 9 (within ~1%)", meas,
                     (mx - mn) / m <= 0.01, "(max - min)/mean <= 1% (sheet)", NULL);
  }
  /* C3: the start has M0 ~ d^-1/2: rms(M0) sqrt(d) = 1 for random unit vectors against an orthonormal teacher (each
   * entry has variance exactly 1/d); sampling error of an rms of n = p k seeds values: 1/sqrt(2n) relative, 3 of
   * them. */
  {
    int ok = 1;
    char per[512] = "";
    double tol = 3 / sqrt(2.0 * fp.p * fp.k * fp.n_seeds);
    for (int a = 0; a < fp.nd; a++) {
      double m2 = 0;
      for (int s = 0; s < fp.n_seeds; s++) m2 += runs[a * fp.n_seeds + s].m0_rms * runs[a * fp.n_seeds + s].m0_rms;
      double rms = sqrt(m2 / fp.n_seeds);
      ok = ok && fabs(rms - 1) <= tol;
      snprintf(per + strlen(per), sizeof per - strlen(per), "%sd=%d: %.3f", a ? ", " : "", fp.ds[a], rms);
    }
    snprintf(meas, sizeof meas, "rms(M0) sqrt(d): %s", per);
    snprintf(rule, sizeof rule, "|rms sqrt(d) - 1| <= 3/sqrt(2 p k seeds) = %.3f (sampling error of an rms)", tol);
    ts_claim_check(c, "fig9-m0-scale", "Fig. 9", "the Gaussian start has M0 ~ d^-1/2: rms(M0) sqrt(d) = 1", "1",
                   "Var(u . e_r) = 1/d for a uniform unit vector u", meas, ok, rule, NULL);
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig9: runs %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", t_runs - t_start,
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int j = 0; j < nrun; j++) {
    free(runs[j].t_sgd);
    free(runs[j].r_sgd);
    free(runs[j].t_ode);
    free(runs[j].r_ode);
  }
  free(runs);
  return 0;
}
