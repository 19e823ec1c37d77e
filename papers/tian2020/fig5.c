/* Tian 2020, figure 5: the L-shape.  For each student node k of a two-layer ReLU student trained by SGD on a
 * teacher with m = 10 hidden nodes: x_k = max_j rho_jk (its best Pearson correlation with a teacher node, on the
 * train set) against y_k = ||v_k|| (its fan-out norm over the C outputs), at the end of training.  Theorem 2:
 * a student node that is not aligned with any teacher has a fan-out v_k -> 0, so the points sit on an "L": either
 * rho ~ 1 or ||v|| ~ 0.
 *
 * Setting (reference sheet sec. 1, the authors' recon_two_layer.py with the README sweep): d = 100, m = 10,
 * C = 50, teacher on the 9-value grid, bias -0.1, polarity p in {0, 1, 2} (the rows of visualize.py),
 * over-realisation 1x/2x/5x/10x, x ~ N(0, 1.5^2 I), N_train = N_eval = 10^4, SGD lr 0.01, batch 16 with
 * replacement, epochs of 1000 steps.
 * Seeds: run (p, multi, seed s) uses stream ts_rng_seed_for(base, s): the same teacher, data and (for equal n)
 * student init across p and multi, so over-realisations are compared on paired teachers.
 * Modes: full = 32 seeds x 100 epochs (the paper); fast = 8 seeds x 40 epochs; smoke = d 20, N 1000, 1 seed,
 * 1 epoch (claims skipped).
 * Outputs: fig5.tsv (one row per student node), fig5_runs.tsv (one row per run), fig5.claims.tsv. */
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

#define NP 3
#define NM 4
static const double pol[NP] = {0, 1, 2};
static const int multis[NM] = {1, 2, 5, 10};

/* L-shape thresholds of the reference sheet (calibrated there on full runs): an unspecialised student (best train
 * rho < TIAN_MATCH_RHO) has ||v_k|| <= LSHAPE_REL max_k ||v_k|| (p in {0,1}, 5x/10x), <= LSHAPE_REL_TIGHT
 * (p = 0, 2x-5x). */
#define LSHAPE_REL 0.15
#define LSHAPE_REL_TIGHT 0.05

typedef struct { int ip, im, s; tian_two_record rec; int matched; double max_rel; } run_t;

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/tian2020", 2020, 0};
  int seeds = 0, epochs = 0, d = 0, ntrain = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--seeds", TS_OPT_INT, &seeds, "seeds per (p, multi) (mode default: fast 8, full 32, smoke 1)", 0},
                   {"--epochs", TS_OPT_INT, &epochs, "epochs of 1000 steps (mode default: fast 40, full 100, smoke 1)", 0},
                   {"-d", TS_OPT_INT, &d, "input dimension (default 100; smoke 20)", 0},
                   {"--ntrain", TS_OPT_INT, &ntrain, "train = eval set size (default 10000; smoke 1000)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig5 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Tian 2020 figure 5: best train correlation vs fan-out norm per student node.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = !strcmp(fa.mode, "smoke"), full = !strcmp(fa.mode, "full");
  int S = smoke ? 1 : full ? 32 : 8, E = smoke ? 1 : full ? 100 : 40, D = smoke ? 20 : 100, NT = smoke ? 1000 : 10000;
  if (seeds) S = seeds;
  if (epochs) E = epochs;
  if (d) D = d;
  if (ntrain) NT = ntrain;
  if (S < 1 || S > 1000) return ts_cli_fail("--seeds must be in 1..1000 (got %d)", S);
  if (E < 1 || E > 10000) return ts_cli_fail("--epochs must be in 1..10000 (got %d)", E);
  if (D < 2) return ts_cli_fail("-d must be >= 2 (got %d)", D);
  if (NT < 16) return ts_cli_fail("--ntrain must be >= 16 (got %d)", NT);
  if (ts_fig_args_check(&fa)) return 2;
  const int m = 10;
  double t0 = ts_wall_seconds();

  const int nrun = NP * NM * S;
  run_t *runs = calloc((size_t)nrun, sizeof *runs);
  if (!runs) return ts_error(TS_ENOMEM, "out of memory"), 1;
  /* order: largest students first (load balance); results are stored by index, so the order is immaterial */
  for (int r = 0; r < nrun; r++) {
    runs[r].im = NM - 1 - r / (NP * S);
    runs[r].ip = (r / S) % NP;
    runs[r].s = r % S;
  }
  int eval_at[1] = {E};
  tian_two_plan plan = {E, 1000, eval_at, 1};
  double work = 0;
  for (int r = 0; r < nrun; r++) work += multis[runs[r].im];
  ts_progress *prog = ts_progress_start("fig5", work);
  tian_two_blas_serial();
#pragma omp parallel for schedule(dynamic, 1)
  for (int r = 0; r < nrun; r++) {
    tian_figs_two_run(D, m, multis[runs[r].im], pol[runs[r].ip], NT, fa.seed, runs[r].s, &plan, &runs[r].rec);
    ts_progress_add(prog, multis[runs[r].im]);
  }
  ts_progress_end(prog);
  for (int r = 0; r < nrun; r++)
    if (tian_figs_two_check(&runs[r].rec, pol[runs[r].ip], multis[runs[r].im], runs[r].s)) return 1;

  /* per-run summaries: matched teachers (eval, strict 0.95), the largest ||v|| / max ||v|| of an unspecialised
   * student (best train rho < 0.95) */
  for (int r = 0; r < nrun; r++) {
    run_t *u = &runs[r];
    const tian_two_record *q = &u->rec;
    u->matched = 0;
    for (int j = 0; j < m; j++) u->matched += q->tbest[j] > TIAN_MATCH_RHO;
    double vmax = 0;
    for (int k = 0; k < q->n; k++) vmax = fmax(vmax, q->vnorm[k]);
    u->max_rel = 0;
    for (int k = 0; k < q->n; k++)
      if (q->sbest[k] < TIAN_MATCH_RHO) u->max_rel = fmax(u->max_rel, q->vnorm[k] / vmax);
  }

  char path[1024];
  char epochs_desc[64];
  snprintf(epochs_desc, sizeof epochs_desc, "%d x 1000 steps", E);
#define META(t)                                                                                                      \
  tian_figs_meta_two(t, fa.mode, fa.seed, "shared across p and multi", D, m, "1,2,5,10", "0,1,2", epochs_desc, NT, S)
  snprintf(path, sizeof path, "%s/fig5.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "tian2020/fig5");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "one row per student node at the end: best train rho over teachers, ||v_k||");
  ts_table_columns(t, 8, (const char *[]){"p", "multi", "seed", "student", "rho_train_best", "best_teacher", "vnorm",
                                          "vnorm_rel"});
  for (int ip = 0; ip < NP; ip++)
    for (int im = 0; im < NM; im++) {
      ts_table_comment(t, "block p=%g multi=%d", pol[ip], multis[im]);
      for (int s = 0; s < S; s++)
        for (int r = 0; r < nrun; r++) {
          if (runs[r].ip != ip || runs[r].im != im || runs[r].s != s) continue;
          const tian_two_record *q = &runs[r].rec;
          double vmax = 0;
          for (int k = 0; k < q->n; k++) vmax = fmax(vmax, q->vnorm[k]);
          for (int k = 0; k < q->n; k++)
            ts_table_row(t, 8, (double[]){pol[ip], multis[im], s, k, q->sbest[k], q->sarg[k], q->vnorm[k],
                                          q->vnorm[k] / vmax});
        }
      fprintf(ts_table_stream(t), "\n\n"); /* gnuplot index blocks: ip * NM + im */
    }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig5_runs.tsv", fa.outdir);
  t = ts_table_open(path, "tian2020/fig5");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "one row per run: teachers matched (eval rho > 0.95), rho_mean (eq. 9, eval), losses, "
                              "largest ||v||/max||v|| of a student with best train rho < 0.95");
  ts_table_columns(t, 8, (const char *[]){"p", "multi", "seed", "matched", "rho_mean_eval", "mse_eval", "mse_train",
                                          "max_rel_unspecialised"});
  for (int ip = 0; ip < NP; ip++)
    for (int im = 0; im < NM; im++)
      for (int s = 0; s < S; s++)
        for (int r = 0; r < nrun; r++) {
          const run_t *u = &runs[r];
          if (u->ip != ip || u->im != im || u->s != s) continue;
          double rm = 0;
          for (int j = 0; j < m; j++) rm += u->rec.tbest[j] / m;
          ts_table_row(t, 8, (double[]){pol[ip], multis[im], s, u->matched, rm, u->rec.mse[0], u->rec.mse_train,
                                        u->max_rel});
        }
  if (ts_table_close(t)) return 1;

  /* ---- claims (rules fixed before the results were looked at; see report.md.in) ------------------------------ */
  snprintf(path, sizeof path, "%s/fig5.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  const char *why_smoke = "smoke mode: 1 epoch, d = 20; the L-shape needs long training";
  char meas[2048], rule[512];
  /* per cell: the number of seeds violating a per-run condition; 1 seed of slack per cell (binomial spread: a rate
   * of 1 - 1/S is within ~1 SE of 1 at S <= 32) */
#define CELL_LOOP(cond_ok, ips, nips, ims, nims)                                                                     \
  do {                                                                                                               \
    ok = 1;                                                                                                          \
    meas[0] = 0;                                                                                                     \
    for (int a = 0; a < (nips); a++)                                                                                 \
      for (int b = 0; b < (nims); b++) {                                                                             \
        int bad = 0;                                                                                                 \
        double worst = 0, mean_matched = 0;                                                                          \
        for (int r = 0; r < nrun; r++) {                                                                             \
          const run_t *u = &runs[r];                                                                                 \
          if (u->ip != (ips)[a] || u->im != (ims)[b]) continue;                                                      \
          bad += !(cond_ok);                                                                                         \
          worst = fmax(worst, u->max_rel);                                                                           \
          mean_matched += (double)u->matched / S;                                                                    \
        }                                                                                                            \
        ok = ok && bad <= 1;                                                                                         \
        size_t l = strlen(meas);                                                                                     \
        snprintf(meas + l, sizeof meas - l, "%sp=%g %dx: %d/%d seeds fail (max ||v||/max = %.3f, mean matched %.2f)", \
                 l ? "; " : "", pol[(ips)[a]], multis[(ims)[b]], bad, S, worst, mean_matched);                      \
      }                                                                                                              \
  } while (0)
  int ok;
  /* Theorem 2 is asymptotic: the fan-out of an unaligned student decays while training goes on.  With fewer epochs
   * than the paper's 100 a miss of the relative-norm thresholds is expected and named (not a pass). */
  char short_note[512];
  snprintf(short_note, sizeof short_note, "%d of the paper's 100 epochs (reduced mode): the fan-out norms of "
           "unaligned students are still decaying (Theorem 2 is an asymptotic statement); see the full-mode run", E);
  const char *xnote = E < 100 ? short_note : NULL;
  {
    const int ips[] = {0, 1}, ims[] = {2, 3};
    const char *st = "p in {0,1}, 5x/10x: every student with best train rho < 0.95 has ||v_k|| <= 0.15 max ||v||";
    if (smoke) ts_claim_skip(c, "fig5-lshape", "Fig. 5, Theorem 2", st, why_smoke);
    else {
      CELL_LOOP(u->max_rel <= LSHAPE_REL, ips, 2, ims, 2);
      snprintf(rule, sizeof rule, "per run: max over unspecialised students of ||v_k||/max||v|| <= %g (threshold "
               "relative to max||v||, reference sheet); at most 1 of %d seeds may fail per cell", LSHAPE_REL, S);
      ts_claim_check(c, "fig5-lshape", "Fig. 5, Theorem 2", st, "<= 0.15 in every seed",
                     "Theorem 2 (v_k -> 0 for unaligned students); threshold from the reference sheet", meas, ok, rule,
                     xnote);
    }
  }
  {
    const int ips[] = {0}, ims[] = {1, 2};
    const char *st = "p = 0, 2x-5x: unspecialised students have ||v_k|| <= 0.05 max ||v||";
    if (smoke) ts_claim_skip(c, "fig5-lshape-tight", "Fig. 5, Theorem 2", st, why_smoke);
    else {
      CELL_LOOP(u->max_rel <= LSHAPE_REL_TIGHT, ips, 1, ims, 2);
      snprintf(rule, sizeof rule, "per run: max over unspecialised students of ||v_k||/max||v|| <= %g; at most 1 of %d "
               "seeds may fail per cell", LSHAPE_REL_TIGHT, S);
      ts_claim_check(c, "fig5-lshape-tight", "Fig. 5, Theorem 2", st, "<= 0.05 in every seed",
                     "Theorem 2; threshold from the reference sheet", meas, ok, rule, xnote);
    }
  }
  {
    const int ips[] = {0, 1}, ims[] = {2, 3};
    const char *st = "p in {0,1}, 5x/10x: all 10 teachers are matched (eval rho > 0.95) in every seed";
    if (smoke) ts_claim_skip(c, "fig5-all-matched", "Fig. 5, sec. 5.1", st, why_smoke);
    else {
      CELL_LOOP(u->matched == m, ips, 2, ims, 2);
      snprintf(rule, sizeof rule, "matched = max_k rho_jk(eval) > 0.95 for all j; at most 1 of %d seeds may fail per "
               "cell", S);
      ts_claim_check(c, "fig5-all-matched", "Fig. 5, sec. 5.1", st, "10/10 in every seed", "paper Fig. 5 (points at "
                     "rho ~ 1 for every teacher)", meas, ok, rule, NULL);
    }
  }
  /* p = 2: incomplete recovery at 1x, improved by over-realisation (paired over seeds: same teacher) */
  {
    const char *st = "p = 2, 1x: not all teachers are matched; over-realisation (10x) increases the matched count";
    if (smoke) ts_claim_skip(c, "fig5-p2-overrealisation", "Fig. 5 (bottom row), sec. 5.1", st, why_smoke);
    else {
      double m1 = 0, m10 = 0, dsum = 0, dsq = 0;
      int all1 = 0;
      for (int s = 0; s < S; s++) {
        int a = -1, b = -1;
        for (int r = 0; r < nrun; r++)
          if (runs[r].ip == 2 && runs[r].s == s) {
            if (runs[r].im == 0) a = runs[r].matched;
            if (runs[r].im == 3) b = runs[r].matched;
          }
        m1 += (double)a / S; m10 += (double)b / S;
        dsum += b - a; dsq += (double)(b - a) * (b - a);
        all1 += a == m;
      }
      double dm = dsum / S, se = S > 1 ? sqrt(fmax(dsq / S - dm * dm, 0) / (S - 1)) : INFINITY;
      snprintf(meas, sizeof meas, "1x: mean matched %.2f/10, all matched in %d/%d seeds; 10x: mean %.2f; paired "
               "difference %.2f +- %.2f (SE)", m1, all1, S, m10, dm, se);
      ok = all1 < S && dm > 2 * se && dm > 0;
      ts_claim_check(c, "fig5-p2-overrealisation", "Fig. 5 (bottom row), sec. 5.1", st,
                     "1x incomplete; 10x - 1x > 0", "paper Fig. 5 and sec. 5.1", meas, ok,
                     "some seed at 1x has an unmatched teacher, and the paired mean difference (10x - 1x) of matched "
                     "counts exceeds 2 SE over seeds", NULL);
    }
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig5: %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", ts_wall_seconds() - t0,
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int r = 0; r < nrun; r++) tian_two_record_free(&runs[r].rec);
  free(runs);
  return 0;
}
