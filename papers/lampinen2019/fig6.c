/* Lampinen & Ganguli 2019, figure 6 (sec. 3.5): randomised data are learned more slowly.
 *
 * Setting (reference sheet, paper text): N1 = 100 orthonormal inputs, N3 = 50 outputs, 50 hidden units (Nl = 3),
 * rank-3 teacher with svm = 10 (sbar = 30, 20, 10), noise variance 1/N1 (sigma_z = 1), lr = 1e-3, eps = 1e-5, random
 * initialisation, one run, t/tau <= 2.  Randomised data (sec. 3.5): the same orthonormal inputs with outputs i.i.d.
 * Gaussian of the structured data's mean output variance, i.e. Sigma31_r entries N(0, sigma_r^2/N1) with
 * sigma_r^2 = (1/N3) sum sbar_a^2 + sigma_z^2 = 29, so that the spectrum is an MP bulk on
 * [sigma_r (1 - sqrt A), sigma_r (1 + sqrt A)] = [1.577, 9.193] without outliers.
 * Outputs: fig6_spectrum.tsv (singular values of both data matrices), fig6_mp.tsv (the two MP densities, eq. 13
 * scaled by sigma_z and sigma_r), fig6_curves.tsv (ln eps_train against t/tau for both data sets: random-init GD, and
 * the exact TA curve of the same data).  All modes use the paper's settings (one run, 2000 epochs: cheap). */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lampinen.h"
#include "lampinen_gd.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_rng.h"
#include "ts_stats.h"
#include "ts_table.h"
#include "ts_util.h"

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/lampinen2019", 2019, 0};
  ts_opt opts[] = {TS_FIG_OPTS(fa), {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig6 [--mode fast|full|smoke] [--out DIR] [--seed S] [--threads T]\n"
                        "Lampinen & Ganguli 2019 figure 6: structured vs randomised data (spectra, training error).");
  if (rc) return rc == 1 ? 0 : 2;
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  openblas_set_num_threads(1);
  const double t_start = ts_wall_seconds();
  const int n1 = 100, n3 = 50, nh = 50, R = 3;
  const double svm = 10, lr = 1e-3, eps = 1e-5, noise_var = 1.0 / n1, A = (double)n3 / n1;
  const long epochs = 2000;
  const int every = 5, n = (int)(epochs / every) + 1;
  const uint64_t seed = ts_rng_seed_for(fa.seed, 0);

  ts_rng *rd = ts_rng_alloc(seed, 0), *ri = ts_rng_alloc(seed, 1), *rr = ts_rng_alloc(seed, 2);
  lg_task *ts = lg_task_alloc(n1, n3, R), *tr = lg_task_alloc(n1, n3, R);
  double *tr_curve[4], *te_dummy = malloc((size_t)n * sizeof(double));
  for (int q = 0; q < 4; q++) tr_curve[q] = malloc((size_t)n * sizeof(double));
  if (!rd || !ri || !rr || !ts || !tr || !te_dummy) { ts_error(TS_ENOMEM, "fig6: out of memory"); return 1; }
  if (lg_task_draw(ts, svm, noise_var, rd)) return 1;
  const double sigma_z = sqrt(noise_var * n1);
  const double sigma_r = lg_randomized_sigma(ts->sbar, R, n3, sigma_z);
  /* randomised task: same teacher record (for the provenance), Sigma31 replaced by i.i.d. N(0, sigma_r^2/N1) */
  if (lg_task_draw(tr, svm, noise_var, rd)) return 1;
  for (size_t i = 0; i < (size_t)n1 * n3; i++) tr->s31[i] = sigma_r / sqrt(n1) * ts_rng_gaussian(rr);
  if (lg_task_refresh(tr)) return 1;

  /* runs: q = 0 structured random init, 1 randomised random init, 2 structured TA, 3 randomised TA */
  for (int q = 0; q < 2; q++) {
    lg_task *t = q ? tr : ts;
    lampinen_gd_params p = {n1, n3, nh, 2, lr, LAMPINEN_GD_LINEAR, 0};
    lampinen_gd *g = lampinen_gd_alloc(&p, t->s31, t->wbar);
    if (!g || lampinen_gd_init_random(g, eps, ri) || lampinen_gd_run(g, epochs, every, tr_curve[q], te_dummy, 0, NULL))
      return 1;
    lampinen_gd_free(g);
    if (lg_task_ta_curves(t, 3, nh, eps, lr, every, n, tr_curve[2 + q], NULL, NULL)) return 1;
  }

  char path[1024];
#define META(t)                                                                                                 \
  do {                                                                                                          \
    ts_table_meta(t, "mode", "%s (every mode runs the paper's setting)", fa.mode);                              \
    ts_table_meta(t, "setting", "N1 = %d, N3 = %d, hidden %d (Nl = 3), rank %d, svm %g, noise_var %g, lr %g, "  \
                  "eps %g, %ld epochs", n1, n3, nh, R, svm, noise_var, lr, eps, epochs);                        \
    ts_table_meta(t, "randomised", "Sigma31 entries i.i.d. N(0, sigma_r^2/N1), sigma_r = %.6f (sec. 3.5)",       \
                  sigma_r);                                                                                     \
    ts_table_meta(t, "seed", "%llu; splitmix64(seed, 0): data stream 0, init stream 1, randomised data stream 2", \
                  (unsigned long long)fa.seed);                                                                 \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                        \
  } while (0)
  snprintf(path, sizeof path, "%s/fig6_spectrum.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "lampinen2019/fig6");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "singular values of Sigma31: structured (with the eq. (11) prediction for the teacher "
                "modes, 0 for bulk modes) and randomised");
  ts_table_columns(t, 4, (const char *[]){"index", "structured", "eq11", "randomised"});
  for (int a = 0; a < ts->k; a++) {
    double pred = a < R ? sigma_z * lg_shat(ts->sbar[a] / sigma_z, A) : 0;
    double row[4] = {a + 1, ts->s[a], pred, tr->s[a]};
    if (ts_table_row(t, 4, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig6_mp.tsv", fa.outdir);
  t = ts_table_open(path, "lampinen2019/fig6");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "expected number of singular values per unit x: (N3 - rank) P(x/sigma_z)/sigma_z "
                "(structured bulk) and N3 P(x/sigma_r)/sigma_r (randomised), P of eq. (13) at A = %g", A);
  ts_table_columns(t, 3, (const char *[]){"x", "structured", "randomised"});
  for (int i = 0; i <= 1000; i++) {
    double x = 10.0 * i / 1000;
    double row[3] = {x, (n3 - R) * lg_mp_density(x / sigma_z, A) / sigma_z, n3 * lg_mp_density(x / sigma_r, A) / sigma_r};
    if (ts_table_row(t, 3, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig6_curves.tsv", fa.outdir);
  t = ts_table_open(path, "lampinen2019/fig6");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "ln eps_train against t/tau: random-init GD and exact TA, structured and randomised");
  ts_table_columns(t, 5, (const char *[]){"t", "structured", "randomised", "structured_ta", "randomised_ta"});
  for (int i = 0; i < n; i++) {
    double row[5] = {i * every * lr, log(tr_curve[0][i]), log(tr_curve[1][i]), log(tr_curve[2][i]),
                     log(tr_curve[3][i])};
    if (ts_table_row(t, 5, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  /* ---- claims -------------------------------------------------------------------------------------------------- */
  snprintf(path, sizeof path, "%s/fig6.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[512];
  const double lo = sigma_r * (1 - sqrt(A)), hi = sigma_r * (1 + sqrt(A));
  snprintf(meas, sizeof meas, "sigma_r = %.4f, support [%.3f, %.3f]", sigma_r, lo, hi);
  ts_claim_check(c, "fig6-sigma-r", "Sec. 3.5", "randomised data have sigma_r^2 = (1/N3) sum sbar^2 + sigma_z^2 and an "
                 "MP support [sigma_r (1 - sqrt A), sigma_r (1 + sqrt A)]", "sqrt(29) = 5.385, [1.577, 9.193]",
                 "sec. 3.5; reference sheet", meas,
                 fabs(sigma_r - sqrt(29)) < 1e-12 && fabs(lo - 1.577) < 5e-4 && fabs(hi - 9.193) < 5e-4,
                 "exact (the sheet's 3 decimals)", NULL);
  /* largest randomised singular value at the MP edge: finite-N edge fluctuations are Tracy-Widom, relative scale
   * ~ N3^(-2/3) = 0.07; tolerance 0.15 relative (2 x that scale) */
  snprintf(meas, sizeof meas, "largest randomised singular value %.3f (edge %.3f); structured: %.3f, %.3f, %.3f "
           "(eq. 11: %.3f, %.3f, %.3f), largest bulk value %.3f (edge %.3f)", tr->s[0], hi, ts->s[0], ts->s[1],
           ts->s[2], lg_shat(ts->sbar[0], A), lg_shat(ts->sbar[1], A), lg_shat(ts->sbar[2], A), ts->s[R],
           1 + sqrt(A));
  ts_claim_check(c, "fig6-spectrum", "Fig. 6a, sec. 3.5",
                 "randomisation destroys the outliers: the randomised spectrum ends at the stretched MP edge, below "
                 "every structured outlier", "s_max = 9.193, below the outliers", "sec. 3.5 (MP support)", meas,
                 fabs(tr->s[0] - hi) <= 0.15 * hi && tr->s[0] < ts->s[R - 1],
                 "|s_max - edge| <= 0.15 edge (Tracy-Widom scale N3^(-2/3) = 0.07, x2) and s_max < smallest "
                 "structured outlier", NULL);
  /* slower: the training error crosses 0.5 later for randomised data (random init and TA) */
  double tx[4];
  for (int q = 0; q < 4; q++) {
    double *lc = malloc((size_t)n * sizeof(double)), *tt = malloc((size_t)n * sizeof(double));
    for (int i = 0; i < n; i++) { lc[i] = tr_curve[q][i]; tt[i] = i * every * lr; }
    tx[q] = ts_first_below(tt, lc, n, 0.5);
    if (isnan(tx[q])) tx[q] = INFINITY; /* not crossed by t/tau = 2 */
    free(lc);
    free(tt);
  }
  snprintf(meas, sizeof meas, "eps_train = 0.5 at t/tau: random init structured %.3f, randomised %.3f; TA "
           "structured %.3f, randomised %.3f", tx[0], tx[1], tx[2], tx[3]);
  ts_claim_check(c, "fig6-slower", "Fig. 6b, sec. 3.5", "randomised data are learned more slowly: the training "
                 "error falls to 0.5 later", "t_0.5(randomised) > t_0.5(structured)", "paper text, Fig. 6b", meas,
                 tx[1] > tx[0] && tx[3] > tx[2], "strict order, random init and TA (a crossing after t/tau = 2 counts "
                 "as later)", NULL);
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig6: %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", ts_wall_seconds() - t_start,
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int q = 0; q < 4; q++) free(tr_curve[q]);
  free(te_dummy);
  lg_task_free(ts); lg_task_free(tr);
  ts_rng_free(rd); ts_rng_free(ri); ts_rng_free(rr);
  return 0;
}
