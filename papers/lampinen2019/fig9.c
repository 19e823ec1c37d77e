/* Lampinen & Ganguli 2019, figure 9 (App. B): alignment lag of randomly initialised students.
 *
 * Setting (reference sheet, the authors' track_SVD option): N1 = 100, N3 = 50, hidden 50, svm = 2, noise variance
 * 1/N1, lr = 1e-3, eps = 1e-5, seed 0, random initialisation; one (Nl = 3) and three (Nl = 5) hidden layers, teacher
 * rank 1 and 3.  At each evaluation the composite map W is decomposed (LAPACKE dgesdd) and its a-th singular triplet
 * compared with the a-th of the training data Sigma31 (as the authors' code: diag(U^T Uhat)): |u_a . uhat_a|,
 * |v_a . vhat_a| (signs are arbitrary) and s_a / shat_a, for the teacher's modes a < rank.
 * Runs: Nl = 3 for 6e3 epochs (errors every 10), Nl = 5 until every tracked mode has s/shat > 0.9 (at most 1.5e5
 * epochs; every 100).  fast and full both run this (the paper's single run); smoke: 1000 / 2000 epochs (claims
 * SKIP).
 * Definitions for the checks: t_align(a) = first t with |u.uhat| > 0.9 and |v.vhat| > 0.9; t_grow(a) = first t with
 * s/shat > 0.5 (the half-height of eq. 9 / App. A). */
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lampinen.h"
#include "lampinen_figs.h"
#include "lampinen_gd.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"

#define ALIGN_LEVEL 0.9 /* "aligned": both overlaps above this (the authors' plots saturate at 1)  */
#define GROW_LEVEL 0.5  /* "grown": half of the data singular value (half-height of eq. 9)         */
#define DONE_LEVEL 0.9  /* Nl = 5 runs stop once every tracked mode has s/shat above this           */

typedef struct {
  int status, n;    /* evaluations written */
  int nl, rank;
  double *t, *ud, *vd, *sr; /* n x 3 */
  double t_align[3], t_grow[3];
} run_t;

static void run_one(int nl, int rank, long epochs, int every, double svm, uint64_t seed, run_t *r)
{
  const int n1 = 100, n3 = 50, nh = 50, maxn = (int)(epochs / every) + 1;
  r->nl = nl;
  r->rank = rank;
  lg_task *t = NULL;
  lampinen_gd *g = NULL;
  r->t = malloc((size_t)maxn * sizeof(double));
  r->ud = malloc((size_t)maxn * 3 * sizeof(double));
  r->vd = malloc((size_t)maxn * 3 * sizeof(double));
  r->sr = malloc((size_t)maxn * 3 * sizeof(double));
  if (!r->t || !r->ud || !r->vd || !r->sr) { r->status = TS_ENOMEM; goto done; }
  lampinen_gd_params p = {n1, n3, nh, nl == 3 ? 2 : 4, 1e-3, LAMPINEN_GD_LINEAR, 0};
  r->status = lg_fig_random_student(&p, rank, svm, 1.0 / n1, 1e-5, seed, &t, &g);
  if (r->status) goto done;
  for (int a = 0; a < 3; a++) r->t_align[a] = r->t_grow[a] = NAN;
  int i = 0;
  while (!r->status && i < maxn) {
    double *u = r->ud + 3 * i, *v = r->vd + 3 * i, *s = r->sr + 3 * i;
    r->t[i] = lampinen_gd_epoch(g) * p.lr;
    r->status = lampinen_gd_track(g, rank, t->U, t->s, t->Vt, u, v, s);
    if (r->status) break;
    int done = 1;
    for (int a = 0; a < rank; a++) {
      if (isnan(r->t_align[a]) && u[a] > ALIGN_LEVEL && v[a] > ALIGN_LEVEL) r->t_align[a] = r->t[i];
      if (isnan(r->t_grow[a]) && s[a] > GROW_LEVEL) r->t_grow[a] = r->t[i];
      done = done && s[a] > DONE_LEVEL;
    }
    for (int a = rank; a < 3; a++) u[a] = v[a] = s[a] = 0;
    i++;
    if (nl == 5 && done) break;
    if (i < maxn) r->status = lampinen_gd_step(g, every);
  }
  r->n = i;
done:
  lampinen_gd_free(g);
  lg_task_free(t);
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/lampinen2019", 2019, 0};
  double svm = 2;
  ts_opt opts[] = {TS_FIG_OPTS(fa), {"--svm", TS_OPT_DOUBLE, &svm, "teacher's smallest singular value", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig9 [--mode fast|full|smoke] [--out DIR] [--seed S] [--threads T]\n"
                        "Lampinen & Ganguli 2019 figure 9: alignment of the modes of randomly initialised students.");
  if (rc) return rc == 1 ? 0 : 2;
  if (ts_fig_args_check(&fa)) return 2;
  if (!(svm > 1 && svm <= 20)) return ts_cli_fail("--svm must be in (1, 20] (above the detection threshold)");
  const int smoke = strcmp(fa.mode, "smoke") == 0;
  ts_gsl_errors_off();
  openblas_set_num_threads(1);
  const double t_start = ts_wall_seconds();
  const long ep3 = smoke ? 1000 : 6000, ep5 = smoke ? 2000 : 150000;
  const int ev3 = 10, ev5 = 100;
  run_t runs[4] = {{0}};
  const uint64_t seed = ts_rng_seed_for(fa.seed, 0); /* "seed 0" */
  /* the two deep runs first (longest) */
#pragma omp parallel for schedule(dynamic, 1)
  for (int k = 0; k < 4; k++) {
    int nl = k < 2 ? 5 : 3, rank = k % 2 ? 3 : 1;
    run_one(nl, rank, nl == 3 ? ep3 : ep5, nl == 3 ? ev3 : ev5, svm, seed, &runs[k]);
  }
  for (int k = 0; k < 4; k++)
    if (runs[k].status) { ts_error(runs[k].status, "fig9: run Nl=%d rank=%d failed", runs[k].nl, runs[k].rank); return 1; }

  char path[1024];
  snprintf(path, sizeof path, "%s/fig9.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "lampinen2019/fig9");
  if (!t) return 1;
  ts_table_meta(t, "mode", "%s", fa.mode);
  ts_table_meta(t, "setting", "N1 = 100, N3 = 50, hidden 50 per layer, svm = %g, noise_var 1/N1, lr 1e-3, eps 1e-5, "
                "random init", svm);
  ts_table_meta(t, "runs", "Nl = 3: %ld epochs, every %d; Nl = 5: until s/shat > %g for every tracked mode (at "
                "most %ld epochs), every %d", ep3, ev3, DONE_LEVEL, ep5, ev5);
  ts_table_meta(t, "seed", "%llu; run seed splitmix64(seed, 0): data stream 0, init stream 1",
                (unsigned long long)fa.seed);
  ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(t, "content", "per (Nl, rank, mode a): |u_a.uhat_a|, |v_a.vhat_a|, s_a/shat_a of the composite map "
                "against t/tau (SVD by LAPACKE dgesdd)");
  ts_table_columns(t, 7, (const char *[]){"nl", "rank", "mode", "t", "udot", "vdot", "s_ratio"});
  for (int k = 0; k < 4; k++)
    for (int a = 0; a < runs[k].rank; a++)
      for (int i = 0; i < runs[k].n; i++) {
        double row[7] = {runs[k].nl, runs[k].rank, a, runs[k].t[i], runs[k].ud[3 * i + a], runs[k].vd[3 * i + a],
                         runs[k].sr[3 * i + a]};
        if (ts_table_row(t, 7, row)) { ts_table_discard(t); return 1; }
      }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig9.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024];
  if (smoke) {
    const char *why = "smoke mode: runs too short for the modes to grow";
    ts_claim_skip(c, "fig9-align-before-growth", "App. B, Fig. 9", "alignment precedes growth", why);
    ts_claim_skip(c, "fig9-stronger-first", "App. B, Fig. 9", "stronger modes align first", why);
    ts_claim_skip(c, "fig9-deep-late-alignment", "App. B, Fig. 9", "deep nets align late", why);
    ts_claim_skip(c, "fig9-mode-independent", "App. B, Fig. 9", "alignment of the svm mode independent of rank", why);
  } else {
    /* C1: every tracked mode in every run aligns (> 0.9) before it grows (s/shat > 0.5) */
    int ok = 1;
    meas[0] = 0;
    for (int k = 0; k < 4; k++)
      for (int a = 0; a < runs[k].rank; a++) {
        ok = ok && runs[k].t_align[a] < runs[k].t_grow[a];
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%sNl=%d r=%d a=%d: %.2f < %.2f", strlen(meas) ? "; " : "",
                 runs[k].nl, runs[k].rank, a + 1, runs[k].t_align[a], runs[k].t_grow[a]);
      }
    ts_claim_check(c, "fig9-align-before-growth", "App. B, Fig. 9",
                   "each mode's singular vectors align with the data's before its singular value grows",
                   "t_align < t_grow", "paper text (App. B)", meas, ok,
                   "t_align = first t with both overlaps > 0.9, t_grow = first t with s/shat > 0.5; strict order",
                   NULL);
    /* C2: stronger modes align first (rank 3, both depths) */
    ok = 1;
    meas[0] = 0;
    for (int k = 0; k < 4; k++) {
      if (runs[k].rank < 3) continue;
      ok = ok && runs[k].t_align[0] < runs[k].t_align[1] && runs[k].t_align[1] < runs[k].t_align[2];
      snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%sNl=%d: %.2f, %.2f, %.2f", strlen(meas) ? "; " : "",
               runs[k].nl, runs[k].t_align[0], runs[k].t_align[1], runs[k].t_align[2]);
    }
    ts_claim_check(c, "fig9-stronger-first", "App. B, Fig. 9", "stronger modes align more quickly (rank 3)",
                   "t_align(a=1) < t_align(2) < t_align(3)", "paper text (App. B)", meas, ok,
                   "strict order of the alignment times, tau", NULL);
    /* C3: deeper networks align late: alignment takes a larger fraction of the time to growth,
     * t_align/t_grow (Nl = 5) > t_align/t_grow (Nl = 3), for every mode */
    ok = 1;
    meas[0] = 0;
    for (int rk = 0; rk < 2; rk++) {
      const run_t *d = &runs[rk], *s = &runs[2 + rk];
      for (int a = 0; a < d->rank; a++) {
        double fd = d->t_align[a] / d->t_grow[a], fs = s->t_align[a] / s->t_grow[a];
        ok = ok && fd > fs;
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%sr=%d a=%d: Nl=5 %.2f vs Nl=3 %.2f",
                 strlen(meas) ? "; " : "", d->rank, a + 1, fd, fs);
      }
    }
    ts_claim_check(c, "fig9-deep-late-alignment", "App. B, Fig. 9",
                   "in deeper networks alignment is not completed until around when the singular value grows",
                   "t_align/t_grow larger for Nl = 5", "paper text (App. B)", meas, ok,
                   "per mode: t_align/t_grow of Nl = 5 > that of Nl = 3 (the fraction of the pre-growth time spent "
                   "aligning)", NULL);
    /* C4 (reported): the svm mode aligns alike for rank 1 and rank 3 */
    snprintf(meas, sizeof meas, "t_align of the sbar = %g mode: Nl=3 rank 1 %.2f, rank 3 %.2f; Nl=5 rank 1 %.2f, "
             "rank 3 %.2f (tau)", svm, runs[2].t_align[0], runs[3].t_align[2], runs[0].t_align[0], runs[1].t_align[2]);
    ts_claim_row(c, "fig9-mode-independent", "App. B, Fig. 9",
                 "the alignment of the sbar = svm mode is similar for rank-1 and rank-3 teachers", "similar",
                 "paper text (App. B)", meas, "reported, not gated (the paper gives no scale for 'similar')", TS_SKIP,
                 "reported");
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig9: %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", ts_wall_seconds() - t_start,
          counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int k = 0; k < 4; k++) { free(runs[k].t); free(runs[k].ud); free(runs[k].vd); free(runs[k].sr); }
  return 0;
}
