/* Veiga et al. 2022, figure 3: the blue line kappa = delta = 0 (Saad–Solla scaling, gamma = gamma0 = 8 = p), x = nu/d.
 * SGD at d = 1000 (markers) and the blue ODE (lines) for Delta in {1e-2, 1e-3, 1e-4, 0}, Figure IC, p = 8, k = 4.
 * The risk R - Delta/2 reaches a floor proportional to Delta (the plateau "O(Delta)" of the phase diagram); with
 * Delta = 0 it decays without a floor.
 *
 * Output: fig3.tsv (ODE curves: Delta t risk), fig3_sim.tsv (seed means of SGD: veiga_write_sim_means), claims.
 * Modes: smoke (d = 100, t_max = 10, 2 seeds), fast (d = 1000, t_max = 10^3 for SGD, 3 seeds; ODE to 10^4),
 * full (d = 1000, t_max = 10^4, 5 seeds: the paper's setting with more seeds; ~4 x 5 x 10^7 SGD steps). */
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

#define N_DELTA 4
static const double Deltas[N_DELTA] = {1e-2, 1e-3, 1e-4, 0};
#define ODE_L 4          /* ODE to t = 10^4 in every mode but smoke (cheap: adaptive rkf45) */
#define ODE_RTOL 1e-10
#define ODE_ATOL 1e-14

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/veiga2022", 2022, 0};
  int d = 0, seeds = 0, L = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"-d", TS_OPT_INT, &d, "input dimension (default 1000; smoke 100)", 0},
                   {"--seeds", TS_OPT_INT, &seeds, "SGD runs per Delta (fast 3, full 5, smoke 2)", 0},
                   {"--L", TS_OPT_INT, &L, "SGD to t_max = 10^L (fast 3, full 4, smoke 1)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig3 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Veiga et al. 2022 figure 3: blue line, SGD d=1000 and ODE, four Delta.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  const int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (!d) d = smoke ? 100 : 1000;
  if (!seeds) seeds = smoke ? 2 : full ? 5 : 3;
  if (!L) L = smoke ? 1 : full ? 4 : 3;
  if (d < 8 || d > 100000) return ts_cli_fail("-d must be in 8..100000 (got %d)", d);
  if (seeds < 2 || seeds > 100) return ts_cli_fail("--seeds must be in 2..100 (got %d)", seeds);
  if (L < 1 || L > 5) return ts_cli_fail("--L must be in 1..5 (got %d)", L);
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  ts_error_set_program("veiga2022/fig3");
  const int Lo = smoke ? L : (L > ODE_L ? L : ODE_L);

  double t[64], to[64];
  const int n = veiga_record_grid(L, t), no = veiga_record_grid(Lo, to);

  /* ---- ODE per Delta (adaptive) ------------------------------------------------------------------------------ */
  double ode[N_DELTA][64];
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.adaptive = 1;
  in.rtol = ODE_RTOL;
  in.atol = ODE_ATOL;
  double r0_ode = 0;
  for (int a = 0; a < N_DELTA; a++) {
    ts_scm_state *s = ts_scm_alloc(8, 4);
    if (!s || veiga_figure_ic_state(s)) return 1;
    r0_ode = veiga_risk(s);
    double tf;
    if ((rc = veiga_ode_curve(VEIGA_BLUE, 8, Deltas[a], s, to, no, &in, ode[a], &tf))) {
      ts_error(rc, "blue ODE at Delta = %g failed at t = %g", Deltas[a], tf);
      return 1;
    }
    ts_scm_free(s);
  }

  /* ---- SGD: group a = Delta index, `seeds` runs each --------------------------------------------------------- */
  const int nj = N_DELTA * seeds;
  veiga_sim_job *jobs = calloc((size_t)nj, sizeof *jobs);
  if (!jobs) return 1;
  for (int j = 0; j < nj; j++) {
    veiga_sim_params_init(&jobs[j].sp);
    jobs[j].sp.d = d;
    jobs[j].sp.Delta = Deltas[j / seeds];
    jobs[j].seed = ts_rng_seed_for(fa.seed, (uint64_t)j);
  }
  double w0 = ts_wall_seconds();
  if (veiga_sim_jobs_run(jobs, nj, t, n, "fig3 SGD")) return 1;
  double w1 = ts_wall_seconds();

  /* ---- data --------------------------------------------------------------------------------------------------- */
  ts_table *tb = veiga_table_open(fa.outdir, "fig3.tsv", "veiga2022/fig3", fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "blue ODE (kappa = delta = 0): R - Delta/2 at the record times, Figure IC");
  ts_table_meta(tb, "p", "8");
  ts_table_meta(tb, "k", "4");
  ts_table_meta(tb, "gamma0", "8");
  ts_table_meta(tb, "Delta", "1e-2, 1e-3, 1e-4, 0");
  ts_table_meta(tb, "R0", "%.10g (Figure IC, every Delta)", r0_ode);
  ts_table_meta(tb, "integrator", "GSL rkf45, rtol %g, atol %g", ODE_RTOL, ODE_ATOL);
  ts_table_columns(tb, 3, (const char *[]){"Delta", "t", "risk"});
  for (int a = 0; a < N_DELTA; a++)
    for (int i = 0; i < no; i++) ts_table_row(tb, 3, (double[]){Deltas[a], to[i], ode[a][i]});
  if (ts_table_close(tb)) return 1;

  tb = veiga_table_open(fa.outdir, "fig3_sim.tsv", "veiga2022/fig3", fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "SGD (blue line): seed mean and SE of R - Delta/2 at nu = floor(t d) steps");
  ts_table_meta(tb, "d", "%d", d);
  ts_table_meta(tb, "p", "8");
  ts_table_meta(tb, "k", "4");
  ts_table_meta(tb, "gamma", "8 (gamma0 = 8, delta = 0)");
  ts_table_meta(tb, "seeds_per_Delta", "%d", seeds);
  ts_table_meta(tb, "t_max", "1e%d", L);
  ts_table_meta(tb, "init", "Figure IC: W* orthonormal rows of norm sqrt d (from N(0,1) draws), W0 = A W*");
  ts_table_meta(tb, "wall_seconds_sgd", "%.1f", w1 - w0);
  ts_table_columns(tb, 8, (const char *[]){"group", "d", "Delta", "delta", "t", "mean", "se", "seeds"});
  if (veiga_write_sim_means(tb, jobs, nj, n, seeds) || ts_table_close(tb)) return 1;

  /* ---- claims --------------------------------------------------------------------------------------------------- */
  char path[4096], meas[1024], rule[512];
  snprintf(path, sizeof path, "%s/fig3.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  const char *why_smoke = "smoke mode: t_max = 10, before the floor";

  /* C1: floor proportional to Delta.  The blue fixed point has R - Delta/2 = c Delta + O(Delta^2) (the noise term
   * Delta J2 drives it; the I4 part vanishes at the teacher): relative spread across Delta = 1e-4..1e-2 is O(1e-2 c);
   * the sheet's tolerance, 10 %, also covers the unfinished approach at t = 10^4 (the last decade changes R by <1 %). */
  {
    double lo = INFINITY, hi = 0;
    for (int a = 0; a < 3; a++) {
      double x = ode[a][no - 1] / Deltas[a];
      lo = fmin(lo, x);
      hi = fmax(hi, x);
    }
    snprintf(meas, sizeof meas, "(R - Delta/2)/Delta at t = %g: %.4f (1e-2), %.4f (1e-3), %.4f (1e-4); max/min - 1 = "
             "%.3f", to[no - 1], ode[0][no - 1] / 1e-2, ode[1][no - 1] / 1e-3, ode[2][no - 1] / 1e-4, hi / lo - 1);
    if (smoke) ts_claim_skip(c, "fig3-floor-prop-Delta", "Fig. 3", "(R_inf - Delta/2)/Delta is the same for every Delta > 0", why_smoke);
    else
      ts_claim_check(c, "fig3-floor-prop-Delta", "Fig. 3, slides (blue line: plateau O(Delta))",
                     "ODE: (R_inf - Delta/2)/Delta is the same for Delta = 1e-2, 1e-3, 1e-4", "max/min - 1 <= 0.1",
                     "fixed point of the blue ODE: R - Delta/2 = c Delta + O(Delta^2)", meas, hi / lo - 1 <= 0.1,
                     "10 % (reference sheet): O(Delta) corrections and the unfinished approach at t = 10^4", NULL);
  }
  /* C2: Delta = 0 decays without a floor: over the last decade R must fall by at least a factor 2 (a floor gives a
   * ratio -> 1; the Delta = 1e-4 curve is listed for contrast). */
  {
    int i10 = veiga_tail_start(to, no, 0.1);
    double ratio = ode[3][no - 1] / ode[3][i10], ratio4 = ode[2][no - 1] / ode[2][i10];
    snprintf(meas, sizeof meas, "Delta = 0: R(%g)/R(%g) = %.3g (R = %.3g); Delta = 1e-4: %.3f", to[no - 1], to[i10],
             ratio, ode[3][no - 1], ratio4);
    if (smoke) ts_claim_skip(c, "fig3-Delta0-no-floor", "Fig. 3", "Delta = 0: no floor", why_smoke);
    else
      ts_claim_check(c, "fig3-Delta0-no-floor", "Fig. 3 (Delta = 0 line)", "ODE, Delta = 0: R keeps decaying (no floor)",
                     "R(t)/R(t/10) <= 0.5 over the last decade", "blue ODE without noise: perfect learning", meas,
                     ratio <= 0.5, "a floor would give a ratio -> 1; a power law t^-a with a >= 0.3 gives <= 0.5", NULL);
  }
  /* C3: SGD at d = 1000 follows the ODE.  At late t each seed fluctuates around the floor; the seed mean must match
   * the ODE within 3 SE (seed spread) plus the theorem's finite-size scale log(p) d^-1/2 (relative). */
  {
    int ok = 1, i0 = veiga_tail_start(t, n, 0.5);
    char *m = meas;
    size_t left = sizeof meas;
    for (int a = 0; a < N_DELTA; a++) {
      double mean, se;
      veiga_group_tail_mean(jobs, a, seeds, i0, n, &mean, &se);
      /* the ODE on the SGD records (the SGD grid is the first n points of the ODE grid) */
      double om = 0;
      for (int i = i0; i < n; i++) om += ode[a][i];
      om /= n - i0;
      double tol = 3 * se + om * log(8.0) / sqrt((double)d);
      int good = fabs(mean - om) <= tol;
      ok = ok && good;
      int w = snprintf(m, left, "%sDelta=%g: SGD %.4g +- %.2g, ODE %.4g (tol %.2g)", a ? "; " : "", Deltas[a], mean,
                       se, om, tol);
      m += w;
      left -= (size_t)w;
    }
    snprintf(rule, sizeof rule, "|SGD - ODE| <= 3 SE (%d seeds) + ODE log(p)/sqrt(d), averaged over t in [%g, %g]",
             seeds, t[i0], t[n - 1]);
    if (smoke) ts_claim_skip(c, "fig3-sgd-follows-ode", "Fig. 3", "SGD at d = 1000 follows the ODE", why_smoke);
    else
      ts_claim_check(c, "fig3-sgd-follows-ode", "Fig. 3 (markers vs lines)", "SGD at d follows the blue ODE at late t",
                     "ODE", "theorem (slides): error C(T) log(p) sqrt(delta t)", meas, ok, rule, NULL);
  }
  /* C4: SGD floor proportional to Delta: (R - Delta/2)/Delta of the SGD tail means agree across the three Delta > 0
   * within the combined seed error (3 SE of the ratio) plus the 10 % of C1. */
  {
    int i0 = veiga_tail_start(t, n, 0.5);
    double x[3], e[3], lo = INFINITY, hi = 0, elo = 0, ehi = 0;
    for (int a = 0; a < 3; a++) {
      veiga_group_tail_mean(jobs, a, seeds, i0, n, &x[a], &e[a]);
      x[a] /= Deltas[a];
      e[a] /= Deltas[a];
      if (x[a] < lo) { lo = x[a]; elo = e[a]; }
      if (x[a] > hi) { hi = x[a]; ehi = e[a]; }
    }
    double tol = 0.1 + 3 * sqrt(elo * elo + ehi * ehi) / lo;
    /* the same ratio for the ODE over the same window: if it also exceeds 0.1, the window is not yet on the floor
     * (a finite-t_max effect, not a property of SGD) */
    double olo = INFINITY, ohi = 0;
    for (int a = 0; a < 3; a++) {
      double om = 0;
      for (int i = i0; i < n; i++) om += ode[a][i];
      om /= (n - i0) * Deltas[a];
      olo = fmin(olo, om);
      ohi = fmax(ohi, om);
    }
    snprintf(meas, sizeof meas, "SGD (R - Delta/2)/Delta over t in [%g, %g]: %.4f +- %.2g, %.4f +- %.2g, %.4f +- %.2g;"
             " max/min - 1 = %.3f (tol %.3f); ODE over the same window: max/min - 1 = %.3f", t[i0], t[n - 1], x[0],
             e[0], x[1], e[1], x[2], e[2], hi / lo - 1, tol, ohi / olo - 1);
    const char *xf = ohi / olo - 1 > 0.1
                         ? "t_max is too short for the small-Delta curves to reach their floor: the ODE itself is off by "
                           "the same amount over this window (SGD matches the ODE, claim fig3-sgd-follows-ode); the ODE "
                           "at t = 10^4 passes (fig3-floor-prop-Delta); MODE=full runs SGD to 10^4"
                         : NULL;
    if (smoke) ts_claim_skip(c, "fig3-sgd-floor-prop-Delta", "Fig. 3", "SGD floor proportional to Delta", why_smoke);
    else
      ts_claim_check(c, "fig3-sgd-floor-prop-Delta", "Fig. 3, slides", "SGD: (R - Delta/2)/Delta is about constant "
                     "across Delta = 1e-2, 1e-3, 1e-4", "max/min - 1 <= 0.1", "blue line: R_inf - Delta/2 = O(Delta)",
                     meas, hi / lo - 1 <= tol, "0.1 (as C1) + 3 combined SE of the extreme ratios", xf);
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig3: SGD %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", w1 - w0, counts[TS_PASS],
          counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  veiga_sim_jobs_free(jobs, nj);
  free(jobs);
  return 0;
}
