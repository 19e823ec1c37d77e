/* Veiga et al. 2022, figure 6: the trade-off of the learning-rate exponent at kappa = 0.  SGD only, d = 1000,
 * Delta = 1e-3, gamma = 8 d^-delta for delta in {0, 1/4, 3/8, 1/2}, against x = nu / d (samples per dimension).
 * Each run's records are the region grid t = nu / d^(1+delta), so its first record sits at x = d^delta.  A smaller
 * learning rate (larger delta) ends at a lower risk (R_inf ~ Delta d^-delta) but needs d^(1+delta) samples per unit
 * of rescaled time.
 *
 * Output: fig6.tsv (seed means: group d Delta delta t mean se seeds, with x = t d^delta), fig6_hit.tsv (samples to
 * reach a fixed risk level), fig6.claims.tsv.
 * Modes: smoke (d = 50, t_max = 10), fast (d = 300, t_max = 10^3 for every delta, 3 seeds), full (d = 1000, the
 * paper's lengths nu/d^(1+delta) = 10^5 (delta = 0), 10^4 (1/4, 1/2), 10^3 (3/8), 5 seeds). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"
#include "veiga.h"

#define N_DEL 4
static const double dels[N_DEL] = {0, 0.25, 0.375, 0.5};
#define NOISE 1e-3
/* Fixed risk level for the sample cost: above every floor (blue 0.11 Delta; green R_inf(d) <= 0.1 Delta), below the
 * early plateau (~2e-3), where every curve follows its region ODE. */
#define R_HIT 3e-4

/* rescaled time where the curve r(t) first drops below level (log-log interpolation between records); NAN if never */
static double t_hit(const double *t, const double *r, int n, double level)
{
  for (int i = 1; i < n; i++)
    if (r[i] < level && r[i - 1] >= level) {
      double f = log(level / r[i - 1]) / log(r[i] / r[i - 1]);
      return exp(log(t[i - 1]) + f * log(t[i] / t[i - 1]));
    }
  return NAN;
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/veiga2022", 2022, 0};
  int d = 0, seeds = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"-d", TS_OPT_INT, &d, "input dimension (fast 300, full 1000, smoke 50)", 0},
                   {"--seeds", TS_OPT_INT, &seeds, "SGD runs per delta (fast 3, full 5, smoke 2)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig6 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Veiga et al. 2022 figure 6: the learning-rate trade-off, SGD only.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  const int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (!d) d = smoke ? 50 : full ? 1000 : 300;
  if (!seeds) seeds = smoke ? 2 : full ? 5 : 3;
  if (d < 8 || d > 100000) return ts_cli_fail("-d must be in 8..100000 (got %d)", d);
  if (seeds < 2 || seeds > 100) return ts_cli_fail("--seeds must be in 2..100 (got %d)", seeds);
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  ts_error_set_program("veiga2022/fig6");
  static const int L_full[N_DEL] = {5, 4, 3, 4};
  int L[N_DEL], n[N_DEL];
  double t[N_DEL][80];
  for (int k = 0; k < N_DEL; k++) {
    L[k] = smoke ? 1 : full ? L_full[k] : 3;
    n[k] = veiga_record_grid(L[k], t[k]);
  }

  /* ---- region ODEs (blue for delta = 0, green otherwise) on the longest grid, for the hitting times ---------- */
  double to[80], ode_b[80], ode_g[80];
  const int Lmax = smoke ? 1 : full ? 5 : 3, no = veiga_record_grid(Lmax, to);
  for (int h = 0; h < 2; h++) {
    ts_scm_state *s = ts_scm_alloc(8, 4);
    ts_ode_integrator in;
    ts_ode_integrator_init(&in);
    in.adaptive = 1;
    in.rtol = 1e-10;
    in.atol = 1e-16;
    double tf;
    if (!s || veiga_figure_ic_state(s)) return 1;
    if ((rc = veiga_ode_curve(h ? VEIGA_GREEN : VEIGA_BLUE, 8, NOISE, s, to, no, &in, h ? ode_g : ode_b, &tf))) {
      ts_error(rc, "ODE failed at t = %g", tf);
      return 1;
    }
    ts_scm_free(s);
  }
  const double th_b = t_hit(to, ode_b, no, R_HIT), th_g = t_hit(to, ode_g, no, R_HIT);

  /* ---- SGD, one batch per delta (their record grids differ) ----------------------------------------------------- */
  veiga_sim_job *jobs = calloc((size_t)N_DEL * seeds, sizeof *jobs);
  if (!jobs) return 1;
  double w0 = ts_wall_seconds();
  for (int k = 0; k < N_DEL; k++) {
    veiga_sim_job *jb = jobs + k * seeds;
    for (int a = 0; a < seeds; a++) {
      veiga_sim_params_init(&jb[a].sp);
      jb[a].sp.d = d;
      jb[a].sp.delta = dels[k];
      jb[a].sp.Delta = NOISE;
      jb[a].seed = ts_rng_seed_for(fa.seed, 6000 + (uint64_t)(k * seeds + a));
    }
    if (veiga_sim_jobs_run(jb, seeds, t[k], n[k], "fig6 SGD")) return 1;
  }
  double w1 = ts_wall_seconds();

  /* per delta: tail mean (t >= t_max/2) and hitting samples nu_hit = t_hit d^(1+delta) per seed */
  double tail[N_DEL], tail_se[N_DEL], nu[N_DEL], nu_se[N_DEL], th[N_DEL], th_se[N_DEL];
  for (int k = 0; k < N_DEL; k++) {
    veiga_group_tail_mean(jobs, k, seeds, veiga_tail_start(t[k], n[k], 0.5), n[k], &tail[k], &tail_se[k]);
    double s = 0, s2 = 0, h[128];
    for (int a = 0; a < seeds; a++) {
      h[a] = log(t_hit(jobs[k * seeds + a].t_rec, jobs[k * seeds + a].risk, n[k], R_HIT));
      s += h[a];
    }
    double mu = s / seeds;
    for (int a = 0; a < seeds; a++) s2 += (h[a] - mu) * (h[a] - mu);
    th[k] = exp(mu);
    th_se[k] = sqrt(s2 / (seeds - 1) / seeds); /* of ln t_hit */
    nu[k] = th[k] * pow((double)d, 1 + dels[k]);
    nu_se[k] = th_se[k];
  }

  /* ---- data ------------------------------------------------------------------------------------------------------- */
  ts_table *tb = veiga_table_open(fa.outdir, "fig6.tsv", "veiga2022/fig6", fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "SGD seed means of R - Delta/2; t = nu/d^(1+delta) (x = nu/d = t d^delta)");
  ts_table_meta(tb, "d", "%d", d);
  ts_table_meta(tb, "kappa", "0");
  ts_table_meta(tb, "delta", "0, 0.25, 0.375, 0.5");
  ts_table_meta(tb, "gamma", "8 d^-delta");
  ts_table_meta(tb, "Delta", "%g", NOISE);
  ts_table_meta(tb, "t_max", "1e%d, 1e%d, 1e%d, 1e%d (per delta)", L[0], L[1], L[2], L[3]);
  ts_table_meta(tb, "seeds_per_delta", "%d", seeds);
  ts_table_meta(tb, "init", "Figure IC: W* orthonormal rows of norm sqrt d, W0 = A W*");
  ts_table_meta(tb, "wall_seconds_sgd", "%.1f", w1 - w0);
  ts_table_columns(tb, 8, (const char *[]){"group", "d", "Delta", "delta", "t", "mean", "se", "seeds"});
  for (int k = 0; k < N_DEL; k++) {
    int idx[128];
    for (int a = 0; a < seeds; a++) idx[a] = k * seeds + a;
    for (int i = 0; i < n[k]; i++) {
      double mean, se;
      veiga_jobs_mean(jobs, idx, seeds, i, &mean, &se);
      ts_table_row(tb, 8, (double[]){k, d, NOISE, dels[k], jobs[k * seeds].t_rec[i], mean, se, seeds});
    }
  }
  if (ts_table_close(tb)) return 1;

  tb = veiga_table_open(fa.outdir, "fig6_hit.tsv", "veiga2022/fig6", fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "per delta: tail mean of R - Delta/2 (t >= t_max/2), and (-1 when not reached) the samples nu_hit to first "
                "reach R - Delta/2 = %g (geometric seed mean; rescaled t_hit = nu_hit / d^(1+delta)); ODE t_hit: blue "
                "%.6g, green %.6g", R_HIT, th_b, th_g);
  ts_table_meta(tb, "d", "%d", d);
  ts_table_columns(tb, 8, (const char *[]){"delta", "tail", "tail_se", "nu_hit", "ln_nu_hit_se", "t_hit", "t_hit_ode",
                                           "nu_end"});
  for (int k = 0; k < N_DEL; k++)
    ts_table_row(tb, 8, (double[]){dels[k], tail[k], tail_se[k], isfinite(nu[k]) ? nu[k] : -1,
                                   isfinite(nu_se[k]) ? nu_se[k] : -1, isfinite(th[k]) ? th[k] : -1,
                                   isfinite(k ? th_g : th_b) ? (k ? th_g : th_b) : -1, t[k][n[k] - 1] * pow((double)d, 1 + dels[k])});
  if (ts_table_close(tb)) return 1;

  /* ---- claims ------------------------------------------------------------------------------------------------------ */
  char path[4096], meas[1024];
  snprintf(path, sizeof path, "%s/fig6.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  const char *why = "smoke mode: t_max = 10, before the floors";
  /* T1: the final risk decreases with delta: every step in delta lowers the tail mean by more than 2 combined SE. */
  {
    int ok = 1;
    char *m = meas;
    size_t left = sizeof meas;
    for (int k = 0; k < N_DEL; k++) {
      if (k) ok = ok && tail[k - 1] - tail[k] > 2 * hypot(tail_se[k], tail_se[k - 1]);
      int w = snprintf(m, left, "%sdelta=%g: %.4g +- %.2g", k ? "; " : "", dels[k], tail[k], tail_se[k]);
      m += w;
      left -= (size_t)w;
    }
    if (smoke) ts_claim_skip(c, "fig6-risk-decreases", "Fig. 6", "final risk decreases with delta", why);
    else
      ts_claim_check(c, "fig6-risk-decreases", "Fig. 6, slides", "the final risk decreases with delta",
                     "decreasing", "slides: R_inf - Delta/2 ~ Delta d^-delta (blue: O(Delta))", meas, ok,
                     "successive tail means differ by > 2 combined SE (seed spread)", NULL);
  }
  /* T2: the sample cost grows as d^(1+delta): the rescaled hitting time t_hit = nu_hit / d^(1+delta) of every green
   * delta equals the green ODE's (so nu_hit = t_hit d^(1+delta)).  Tolerance: 3 SE of ln t_hit over seeds plus the
   * finite-size scale log(p) d^-1/2 of the risk divided by the ODE's log-slope at the hit (converts a relative risk
   * error into a relative time error). */
  {
    double sl = 0;
    for (int i = 1; i < no; i++)
      if (to[i] >= th_g) {
        sl = fabs(log(ode_g[i] / ode_g[i - 1]) / log(to[i] / to[i - 1]));
        break;
      }
    int ok = isfinite(th_g) && sl > 0;
    char *m = meas;
    size_t left = sizeof meas;
    for (int k = 1; k < N_DEL; k++) {
      double tol = 3 * th_se[k] + log(8.0) / sqrt((double)d) / sl;
      int good = isfinite(th[k]) && fabs(log(th[k] / th_g)) <= tol;
      ok = ok && good;
      int w = snprintf(m, left, "delta=%g: nu_hit = %.4g, t_hit = %.4g (ODE %.4g, |ln ratio| %.3f, tol %.3f); ",
                       dels[k], nu[k], th[k], th_g, fabs(log(th[k] / th_g)), tol);
      m += w;
      left -= (size_t)w;
    }
    snprintf(m, left, "delta=0: nu_hit = %.4g (blue ODE t_hit %.4g)", nu[0], th_b);
    if (smoke) ts_claim_skip(c, "fig6-sample-cost", "Fig. 6", "samples grow as d^(1+delta)", why);
    else
      ts_claim_check(c, "fig6-sample-cost", "Fig. 6, slides (lowering gamma by d^-delta costs d^delta more samples)",
                     "samples to reach R - Delta/2 = 3e-4 grow as d^(1+delta) (rescaled hitting time = the ODE's)",
                     "t_hit = ODE's", "slides: n ~ d^(1+delta)", meas, ok,
                     "|ln(t_hit/t_hit_ODE)| <= 3 SE + log(p) d^-1/2 / |d ln R/d ln t|", NULL);
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig6: SGD %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", w1 - w0, counts[TS_PASS],
          counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  veiga_sim_jobs_free(jobs, N_DEL * seeds);
  free(jobs);
  return 0;
}
