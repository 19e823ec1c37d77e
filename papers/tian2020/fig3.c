/* Tian 2020, figure 3: a two-dimensional picture of specialisation.  Two teacher ReLU nodes and six student nodes
 * on x in R^2; each node's boundary is the line w~.x + b = 0.  Students whose boundary meets a teacher's boundary
 * align with it (rho -> 1); the others keep a small fan-out ||v_k|| (Theorem 2: v_k -> 0 for unaligned students).
 *
 * Paper: d = 2, m = 2, n = 6 [P].  The rest is not given [U]: the two-layer README settings (reference sheet):
 * C = 50, 9-value grid teacher with bias -0.1, p = 0, sigma = 1.5, SGD lr 0.01, batch 16, N = 10^4 / 10^4,
 * 100 epochs of 1000 steps; a 2-D grid teacher has only 48 distinct directions, duplicates are redrawn.
 * Outputs: fig3_traj.tsv (seed 0: every student's (w1, w2, b) and ||v_k|| every 100 steps), fig3_teacher.tsv
 * (seed 0 teacher), fig3.tsv (every seed: per student best eval rho and ||v_k|| at the end), fig3.claims.tsv.
 * Modes: full = 32 seeds; fast = 8 seeds; both 100 epochs; smoke = 2 seeds x 5 epochs (claims skipped). */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tian_metrics.h"
#include "tian_two.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"

#define M 2
#define NS 6
/* Steps between trajectory points. */
#define TRAJ_EVERY 100
/* The reference sheet's relative threshold for the fan-out of an unaligned student. */
#define UNALIGNED_REL 0.2

typedef struct { int status; long fail_step; double rho[M * NS], vnorm[NS]; int matched; double max_rel; } run_t;

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/tian2020", 2020, 0};
  int seeds = 0, epochs = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--seeds", TS_OPT_INT, &seeds, "seeds (mode default: fast 8, full 32, smoke 2)", 0},
                   {"--epochs", TS_OPT_INT, &epochs, "epochs of 1000 steps (default 100; smoke 5)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig3 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Tian 2020 figure 3: 2-D teacher and student boundaries, fan-out norms.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = !strcmp(fa.mode, "smoke"), full = !strcmp(fa.mode, "full");
  int S = smoke ? 2 : full ? 32 : 8, E = smoke ? 5 : 100;
  if (seeds) S = seeds;
  if (epochs) E = epochs;
  if (S < 1 || S > 1000) return ts_cli_fail("--seeds must be in 1..1000 (got %d)", S);
  if (E < 1 || E > 10000) return ts_cli_fail("--epochs must be in 1..10000 (got %d)", E);
  if (ts_fig_args_check(&fa)) return 2;
  double t0 = ts_wall_seconds();
  const long steps = 1000L * E, npt = steps / TRAJ_EVERY + 1;

  tian_two_params P;
  tian_two_params_init(&P, 2, M, NS / M, 0.0);
  run_t *runs = calloc((size_t)S, sizeof *runs);
  double *traj = malloc((size_t)npt * NS * 4 * sizeof *traj); /* seed 0: w1, w2, b, ||v|| */
  double teacher[M * 3];
  if (!runs || !traj) return ts_error(TS_ENOMEM, "out of memory"), 1;
  tian_two_blas_serial();
#pragma omp parallel for schedule(dynamic, 1)
  for (int s = 0; s < S; s++) {
    run_t *u = &runs[s];
    tian_two *t = tian_two_alloc(&P, ts_rng_seed_for(fa.seed, (uint64_t)s));
    if (!t) { u->status = TS_ENOMEM; continue; }
    for (long i = 0; i < npt && !u->status; i++) {
      if (i > 0) u->status = tian_two_run(t, TRAJ_EVERY);
      if (s == 0) {
        double v[NS];
        tian_two_fanout_norms(t, v);
        for (int k = 0; k < NS; k++) {
          double *q = traj + ((size_t)i * NS + k) * 4;
          q[0] = t->W1[0 * NS + k]; q[1] = t->W1[1 * NS + k]; q[2] = t->W1[2 * NS + k]; q[3] = v[k];
        }
      }
    }
    if (s == 0)
      for (int j = 0; j < M; j++)
        for (int u3 = 0; u3 < 3; u3++) teacher[j * 3 + u3] = t->W1t[u3 * M + j];
    if (!u->status) u->status = tian_two_eval(t, TIAN_EVAL, u->rho, NULL);
    if (!u->status) tian_two_fanout_norms(t, u->vnorm);
    u->fail_step = t->steps;
    tian_two_free(t);
  }
  for (int s = 0; s < S; s++) {
    run_t *u = &runs[s];
    if (u->status)
      return ts_error(u->status, "seed %d failed at step %ld%s", s, u->fail_step,
                      u->status == TS_EDIVERGE ? " (diverged)" : ""), 1;
    double best[NS], vmax = 0;
    tian_student_best(u->rho, M, NS, best, NULL);
    u->matched = tian_matched(u->rho, M, NS, TIAN_MATCH_RHO, NULL);
    for (int k = 0; k < NS; k++) vmax = fmax(vmax, u->vnorm[k]);
    u->max_rel = 0;
    for (int k = 0; k < NS; k++)
      if (best[k] < TIAN_MATCH_RHO) u->max_rel = fmax(u->max_rel, u->vnorm[k] / vmax);
  }

  char path[1024];
#define META(t)                                                                                                      \
  do {                                                                                                               \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                         \
    ts_table_meta(t, "seed", "%llu (seed s: ts_rng_seed_for(seed, s))", (unsigned long long)fa.seed);               \
    ts_table_meta(t, "rng", "%s / %s", ts_rng_generator_name(), ts_rng_sampler_name());                              \
    ts_table_meta(t, "d", "2");                                                                                      \
    ts_table_meta(t, "m", "%d", M);                                                                                  \
    ts_table_meta(t, "n", "%d", NS);                                                                                 \
    ts_table_meta(t, "C", "50");                                                                                     \
    ts_table_meta(t, "p", "0");                                                                                      \
    ts_table_meta(t, "teacher", "9-value grid, rows L2-normalised, bias -0.1");                                      \
    ts_table_meta(t, "student_init", "N(0, 0.005^2), bias rows 0");                                                  \
    ts_table_meta(t, "sigma", "1.5");                                                                                \
    ts_table_meta(t, "optimiser", "SGD lr 0.01, batch 16 with replacement, float64");                              \
    ts_table_meta(t, "epochs", "%d x 1000 steps", E);                                                                \
    ts_table_meta(t, "n_train", "10000");                                                                            \
    ts_table_meta(t, "n_eval", "10000");                                                                             \
    ts_table_meta(t, "seeds", "%d", S);                                                                              \
  } while (0)
  snprintf(path, sizeof path, "%s/fig3_traj.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "tian2020/fig3");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "seed 0: student k's incoming weights (w1, w2, bias) and ||v_k|| every %d steps; "
                              "gnuplot block = student", TRAJ_EVERY);
  ts_table_columns(t, 6, (const char *[]){"step", "student", "w1", "w2", "b", "vnorm"});
  for (int k = 0; k < NS; k++) {
    for (long i = 0; i < npt; i++) {
      const double *q = traj + ((size_t)i * NS + k) * 4;
      ts_table_row(t, 6, (double[]){(double)i * TRAJ_EVERY, k, q[0], q[1], q[2], q[3]});
    }
    fprintf(ts_table_stream(t), "\n\n");
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig3_teacher.tsv", fa.outdir);
  t = ts_table_open(path, "tian2020/fig3");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "seed 0 teacher nodes: (w1, w2) unit vector, bias");
  ts_table_columns(t, 4, (const char *[]){"teacher", "w1", "w2", "b"});
  for (int j = 0; j < M; j++) ts_table_row(t, 4, (double[]){j, teacher[j * 3], teacher[j * 3 + 1], teacher[j * 3 + 2]});
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig3.tsv", fa.outdir);
  t = ts_table_open(path, "tian2020/fig3");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "every seed at the end: per student best eval rho over teachers, ||v_k||, ||v_k||/max");
  ts_table_columns(t, 6, (const char *[]){"seed", "student", "rho_best", "best_teacher", "vnorm", "vnorm_rel"});
  for (int s = 0; s < S; s++) {
    double best[NS], vmax = 0;
    int arg[NS];
    tian_student_best(runs[s].rho, M, NS, best, arg);
    for (int k = 0; k < NS; k++) vmax = fmax(vmax, runs[s].vnorm[k]);
    for (int k = 0; k < NS; k++)
      ts_table_row(t, 6, (double[]){s, k, best[k], arg[k], runs[s].vnorm[k], runs[s].vnorm[k] / vmax});
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig3.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  const char *why_smoke = "smoke mode: 5 epochs";
  char meas[1024], rule[256];
  {
    const char *st = "both teachers are recovered (eval rho > 0.95) in every seed";
    int bad = 0;
    for (int s = 0; s < S; s++) bad += runs[s].matched < M;
    if (smoke) ts_claim_skip(c, "fig3-both-matched", "Fig. 3", st, why_smoke);
    else {
      snprintf(meas, sizeof meas, "%d of %d seeds with an unrecovered teacher", bad, S);
      ts_claim_check(c, "fig3-both-matched", "Fig. 3", st, "2/2 in every seed", "paper Fig. 3", meas, bad <= 1,
                     "at most 1 seed may fail (one seed of binomial slack)", NULL);
    }
  }
  {
    const char *st = "every student with best eval rho < 0.95 has ||v_k|| < 0.2 max ||v||";
    int bad = 0;
    double worst = 0;
    for (int s = 0; s < S; s++) { bad += runs[s].max_rel >= UNALIGNED_REL; worst = fmax(worst, runs[s].max_rel); }
    if (smoke) ts_claim_skip(c, "fig3-unaligned-small", "Fig. 3, Theorem 2", st, why_smoke);
    else {
      snprintf(meas, sizeof meas, "%d of %d seeds fail; largest ||v_k||/max||v|| of an unaligned student %.3f", bad, S,
               worst);
      snprintf(rule, sizeof rule, "relative threshold %g (reference sheet); at most 1 seed may fail", UNALIGNED_REL);
      ts_claim_check(c, "fig3-unaligned-small", "Fig. 3, Theorem 2", st, "< 0.2", "Theorem 2 (v_k -> 0)", meas,
                     bad <= 1, rule, NULL);
    }
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig3: %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", ts_wall_seconds() - t0,
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  free(runs);
  free(traj);
  return 0;
}
