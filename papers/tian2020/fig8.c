/* Tian 2020, figure 8: when each teacher node gets recovered.  For m = 20 teachers and a 5x over-realised student,
 * the best eval correlation max_k rho_jk of every teacher j against the epoch (20 rainbow curves, index 0 =
 * strongest fan-out).  The paper's observation (sec. 5.1): strong teachers are learned first.
 *
 * Setting: as Fig. 7 (d = 100, C = 50, sigma = 1.5, N = 10^4 / 10^4, SGD lr 0.01, batch 16, epochs of 1000 steps),
 * 5x, evaluated after every epoch.  The paper's "large p" is not given [U]: p = 1.5 and p = 2.5 (the two largest
 * odd steps of the README sweep; at p <= 1 every teacher is matched within a few epochs and the order is not
 * resolved).
 * Statistic: the first epoch with max_k rho_jk > 0.95 (never = +inf), and per seed the Spearman rank correlation of
 * the teacher index with that epoch.
 * Modes: full = 32 seeds x 100 epochs; fast = 8 seeds x 30 epochs; smoke = d 20, m 10, N 1000, 1 seed, 3 epochs of
 * 200 steps (claims skipped).
 * Outputs: fig8.tsv (curves), fig8_first.tsv (first-recovery epochs and Spearman per seed), fig8.claims.tsv. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tian_figs.h"
#include "tian_metrics.h"
#include "tian_two.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"

#define NP 2
static const double pol[NP] = {1.5, 2.5};
/* The paper's rank-order statement, made quantitative by the reference sheet: Spearman >= this per seed. */
#define SPEARMAN_MIN 0.85

typedef struct { int ip, s; tian_two_record rec; double first[32], spear, ceil; } run_t;

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/tian2020", 2020, 0};
  int seeds = 0, epochs = 0, d = 0, ntrain = 0, mm = 0, multi = 5;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--seeds", TS_OPT_INT, &seeds, "seeds per p (mode default: fast 8, full 32, smoke 1)", 0},
                   {"--epochs", TS_OPT_INT, &epochs, "epochs of 1000 steps (default: fast 30, full 100, smoke 3)", 0},
                   {"-d", TS_OPT_INT, &d, "input dimension (default 100; smoke 20)", 0},
                   {"-m", TS_OPT_INT, &mm, "teacher nodes (default 20; smoke 10; at most 32)", 0},
                   {"--multi", TS_OPT_INT, &multi, "over-realisation", 0},
                   {"--ntrain", TS_OPT_INT, &ntrain, "train = eval set size (default 10000; smoke 1000)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig8 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Tian 2020 figure 8: best eval correlation of each teacher vs epoch.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = !strcmp(fa.mode, "smoke"), full = !strcmp(fa.mode, "full");
  int S = smoke ? 1 : full ? 32 : 8, E = smoke ? 3 : full ? 100 : 30, D = smoke ? 20 : 100;
  int NT = smoke ? 1000 : 10000, m = smoke ? 10 : 20;
  if (seeds) S = seeds;
  if (epochs) E = epochs;
  if (d) D = d;
  if (ntrain) NT = ntrain;
  if (mm) m = mm;
  if (S < 1 || S > 1000) return ts_cli_fail("--seeds must be in 1..1000 (got %d)", S);
  if (E < 1 || E > 10000) return ts_cli_fail("--epochs must be in 1..10000 (got %d)", E);
  if (D < 2) return ts_cli_fail("-d must be >= 2 (got %d)", D);
  if (m < 2 || m > 32) return ts_cli_fail("-m must be in 2..32 (got %d)", m);
  if (multi < 1 || multi > 20) return ts_cli_fail("--multi must be in 1..20 (got %d)", multi);
  if (NT < 16) return ts_cli_fail("--ntrain must be >= 16 (got %d)", NT);
  if (ts_fig_args_check(&fa)) return 2;
  double t0 = ts_wall_seconds();

  const int nrun = NP * S;
  run_t *runs = calloc((size_t)nrun, sizeof *runs);
  int *eval_at = malloc((size_t)(E + 1) * sizeof *eval_at);
  if (!runs || !eval_at) return ts_error(TS_ENOMEM, "out of memory"), 1;
  for (int e = 0; e <= E; e++) eval_at[e] = e;
  for (int r = 0; r < nrun; r++) { runs[r].ip = r / S; runs[r].s = r % S; }
  tian_two_plan plan = {E, smoke ? 200 : 1000, eval_at, E + 1};
  ts_progress *prog = ts_progress_start("fig8", nrun);
  tian_two_blas_serial();
#pragma omp parallel for schedule(dynamic, 1)
  for (int r = 0; r < nrun; r++) {
    tian_figs_two_run(D, m, multi, pol[runs[r].ip], NT, fa.seed, runs[r].s, &plan, &runs[r].rec);
    ts_progress_add(prog, 1);
  }
  ts_progress_end(prog);
  for (int r = 0; r < nrun; r++) {
    run_t *u = &runs[r];
    if (tian_figs_two_check(&u->rec, pol[u->ip], multi, u->s)) return 1;
    double idx[32];
    for (int j = 0; j < m; j++) {
      idx[j] = j;
      u->first[j] = INFINITY;
      for (int e = 0; e <= E; e++)
        if (u->rec.tbest[(size_t)e * m + j] > TIAN_MATCH_RHO) { u->first[j] = e; break; }
    }
    u->spear = tian_spearman(idx, u->first, m);
    /* the largest Spearman the tie structure allows: the same first-epoch values in index order (ties among
     * never-recovered teachers, +inf, and among teachers recovered in the same epoch cap it below 1) */
    double srt[32];
    memcpy(srt, u->first, (size_t)m * sizeof *srt);
    tian_sort(srt, m);
    u->ceil = tian_spearman(idx, srt, m);
  }

  char path[1024];
  char multi_desc[16], epochs_desc[64];
  snprintf(multi_desc, sizeof multi_desc, "%d", multi);
  snprintf(epochs_desc, sizeof epochs_desc, "%d x %d steps, eval after each", E, plan.steps_per_epoch);
#define META(t)                                                                                                      \
  tian_figs_meta_two(t, fa.mode, fa.seed, "shared across p", D, m, multi_desc,                                       \
                     "1.5,2.5 (the paper's 'large p' is unspecified)", epochs_desc, NT, S)
  snprintf(path, sizeof path, "%s/fig8.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "tian2020/fig8");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "max_k rho_jk (eval) per teacher and epoch; gnuplot block = (p index) * seeds + seed");
  ts_table_columns(t, 5, (const char *[]){"p", "seed", "epoch", "teacher", "rho_best"});
  for (int r = 0; r < nrun; r++) {
    const run_t *u = &runs[r];
    for (int j = 0; j < m; j++) {
      for (int e = 0; e <= E; e++)
        ts_table_row(t, 5, (double[]){pol[u->ip], u->s, e, j, u->rec.tbest[(size_t)e * m + j]});
      fprintf(ts_table_stream(t), "\n"); /* one curve per teacher */
    }
    fprintf(ts_table_stream(t), "\n");
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig8_first.tsv", fa.outdir);
  t = ts_table_open(path, "tian2020/fig8");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "first epoch with max_k rho_jk > 0.95 (inf: never), Spearman(index, first epoch) per "
                              "seed and its ceiling under the seed's ties (-2: undefined, all values equal)");
  ts_table_columns(t, 6, (const char *[]){"p", "seed", "teacher", "first_epoch", "spearman", "spearman_tie_ceiling"});
  for (int r = 0; r < nrun; r++)
    for (int j = 0; j < m; j++) {
      const run_t *u = &runs[r];
      ts_table_row(t, 6, (double[]){pol[u->ip], u->s, j, u->first[j], isfinite(u->spear) ? u->spear : -2,
                                    isfinite(u->ceil) ? u->ceil : -2});
    }
  if (ts_table_close(t)) return 1;

  /* ---- claims (rules fixed before the results were looked at) ------------------------------------------------ */
  snprintf(path, sizeof path, "%s/fig8.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  const char *why_smoke = "smoke mode: 3 short epochs at d = 20";
  char meas[2048];
  {
    const char *st = "strong teachers are recovered first: Spearman(teacher index, first epoch with rho > 0.95) >= 0.85 "
                     "in every seed";
    if (smoke) ts_claim_skip(c, "fig8-order", "Fig. 8, sec. 5.1", st, why_smoke);
    else {
      int ok = 1, all_at_ceiling = 1;
      meas[0] = 0;
      for (int ip = 0; ip < NP; ip++) {
        int bad = 0, at_ceil = 0;
        double mean = 0, mn = INFINITY;
        for (int r = 0; r < nrun; r++) {
          if (runs[r].ip != ip) continue;
          double sp = runs[r].spear;
          int miss = !(sp >= SPEARMAN_MIN); /* NaN (all never / all equal) counts as a miss */
          bad += miss;
          /* a miss explained by ties: the order is perfect, the rank correlation is at its tie ceiling */
          int c0 = isfinite(sp) && fabs(sp - runs[r].ceil) <= 1e-12;
          at_ceil += miss && c0;
          if (miss && !c0) all_at_ceiling = 0;
          mean += sp / S;
          mn = fmin(mn, sp);
        }
        ok = ok && bad <= 1;
        size_t l = strlen(meas);
        snprintf(meas + l, sizeof meas - l, "%sp=%g: mean %.3f, min %.3f, %d/%d seeds below %.2f (%d of them at "
                 "the ceiling set by their ties: order perfect)", l ? "; " : "", pol[ip], mean, mn, bad, S,
                 SPEARMAN_MIN, at_ceil);
      }
      ts_claim_check(c, "fig8-order", "Fig. 8, sec. 5.1", st, ">= 0.85 per seed",
                     "paper Fig. 8 (rainbow order); threshold from the reference sheet", meas, ok,
                     "never-recovered teachers count as +inf (average ranks for ties); at most 1 seed per p below 0.85",
                     all_at_ceiling ? "every seed below 0.85 recovers its teachers in exact index order; its Spearman "
                                      "is capped below 0.85 by ties (many never-recovered weak teachers share rank "
                                      "+inf at large p, strong ones share epoch 1), so the threshold cannot be met "
                                      "at this p and run length even by a perfect order"
                                    : NULL);
    }
  }
  {
    const char *st = "teacher 0 is recovered after the first epoch (10^3 steps)";
    if (smoke) ts_claim_skip(c, "fig8-first-epoch", "Fig. 8", st, why_smoke);
    else {
      int bad = 0;
      double worst = 0;
      for (int r = 0; r < nrun; r++) { bad += !(runs[r].first[0] <= 1); worst = fmax(worst, runs[r].first[0]); }
      snprintf(meas, sizeof meas, "%d of %d runs miss; latest first-recovery epoch of teacher 0: %g", bad, nrun, worst);
      ts_claim_check(c, "fig8-first-epoch", "Fig. 8", st, "epoch 1", "paper Fig. 8", meas, bad <= 1,
                     "first epoch with max_k rho_0k > 0.95 is <= 1 in all runs but at most one", NULL);
    }
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig8: %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", ts_wall_seconds() - t0,
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int r = 0; r < nrun; r++) tian_two_record_free(&runs[r].rec);
  free(runs);
  free(eval_at);
  return 0;
}
