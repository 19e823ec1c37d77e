/* Lampinen & Ganguli 2019, figure 3: learning curves of a one-hidden-layer linear network (Nl = 3), theory vs
 * training-aligned (TA) vs randomly initialised students, for a rank-1 (panels a-d) and a rank-3 (e-h) teacher.
 *
 * Setting (reference sheet sec. 3, the authors' code): N1 = 100 orthonormal inputs (X = I), N3 = 50 outputs,
 * 50 hidden units, teacher singular values svm (rank, ..., 1), noise variance 1/N1 per entry (sigma_z = 1),
 * full-batch GD with lr = 1e-3 (tau = 1000 epochs) for 1e4 epochs from eps = 1e-5, errors every 5 epochs.
 * svm in {0.84, 2, 4, 6, 8}; panels a, b, e, f show svm in {2, 4, 8}; c, g the minimum of ln eps_test and d, h
 * the optimal stopping time per svm.
 *
 * What this program computes, per (rank, svm, seed): one draw of the task (lg_task_draw, stream 0 of the seed);
 *   TA     exact per-mode recurrences of the authors' loop (lg_task_ta_curves; equal to matrix GD from the TA
 *          initialisation to ~1e-13, checked below on one seed per rank);
 *   random matrix GD (lampinen_gd, both matrices sqrt(eps) Haar blocks, stream 1 of the seed) on the same data;
 *   theory eqs. (14), (15) (lg_theory; bulk over R_in).
 * Seed averages are means of ln eps (the authors' analysis); min ln eps_test and t_opt are taken per seed, then
 * averaged (mean +- SE).  t_opt is in true units t/tau = lr * every * (row index from 0), not the authors'
 * index/1000 (reference sheet sec. 4).
 * Modes: full (10 seeds for TA and random), fast (10 TA seeds, 4 random seeds), smoke (2000 epochs, svm {2, 8},
 * 1 seed; claims that need converged statistics are SKIP). */
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
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"

#define NSVM_MAX 8
#define NRANK 2

typedef struct {
  int n1, n3, nh;
  double lr, eps, noise_var;
  long epochs;
  int every, n_ta, n_rd, nsvm;
  double svm[NSVM_MAX];
  int rank[NRANK];
} fig_params;

typedef struct {
  int status;
  double *ta_tr, *ta_te, *rd_tr, *rd_te; /* ln errors at the n evaluations */
  double check;                          /* max |ln eps| difference matrix-TA vs recurrence (-1: not run) */
  double oracle; /* ln(1 - sum_{a<rank} c_a^2/|Wbar|^2): this draw's eq.-(16) error (teacher seen by data modes) */
} job_result;

static void run_job(const fig_params *fp, int ri, int si, int seed, int do_rd, int do_check, uint64_t base,
                    job_result *res)
{
  const int n = (int)(fp->epochs / fp->every) + 1;
  lg_task *t = lg_task_alloc(fp->n1, fp->n3, fp->rank[ri]);
  ts_rng *rd = ts_rng_alloc(ts_rng_seed_for(base, (uint64_t)seed), 0);
  ts_rng *ri_rng = ts_rng_alloc(ts_rng_seed_for(base, (uint64_t)seed), 1);
  double *tr = malloc((size_t)n * sizeof *tr), *te = malloc((size_t)n * sizeof *te);
  lampinen_gd *g = NULL;
  res->check = -1;
  if (!t || !rd || !ri_rng || !tr || !te) { res->status = TS_ENOMEM; goto done; }
  res->status = lg_task_draw(t, fp->svm[si], fp->noise_var, rd);
  if (!res->status) res->oracle = lg_fig_oracle_ln(t, fp->rank[ri]);
  if (!res->status)
    res->status = lg_task_ta_curves(t, 3, fp->nh, fp->eps, fp->lr, fp->every, n, res->ta_tr, res->ta_te, NULL);
  if (res->status) goto done;
  if (do_rd || do_check) {
    lampinen_gd_params p = {fp->n1, fp->n3, fp->nh, 2, fp->lr, LAMPINEN_GD_LINEAR, 0};
    g = lampinen_gd_alloc(&p, t->s31, t->wbar);
    if (!g) { res->status = TS_ENOMEM; goto done; }
  }
  if (do_check) {
    res->status = lampinen_gd_init_aligned(g, fp->eps, t->U, t->Vt, NULL);
    if (!res->status) res->status = lampinen_gd_run(g, fp->epochs, fp->every, tr, te, 0, NULL);
    if (res->status) goto done;
    double d = 0;
    for (int i = 0; i < n; i++)
      d = fmax(d, fmax(fabs(log(tr[i]) - log(res->ta_tr[i])), fabs(log(te[i]) - log(res->ta_te[i]))));
    res->check = d;
  }
  if (do_rd) {
    res->status = lampinen_gd_init_random(g, fp->eps, ri_rng);
    if (!res->status) res->status = lampinen_gd_run(g, fp->epochs, fp->every, res->rd_tr, res->rd_te, 0, NULL);
    if (res->status) goto done;
    for (int i = 0; i < n; i++) { res->rd_tr[i] = log(res->rd_tr[i]); res->rd_te[i] = log(res->rd_te[i]); }
  }
  for (int i = 0; i < n; i++) { res->ta_tr[i] = log(res->ta_tr[i]); res->ta_te[i] = log(res->ta_te[i]); }
done:
  lampinen_gd_free(g);
  lg_task_free(t);
  ts_rng_free(rd);
  ts_rng_free(ri_rng);
  free(tr);
  free(te);
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/lampinen2019", 2019, 0};
  fig_params fp = {100, 50, 50, 1e-3, 1e-5, 0.01, 10000, 5, 10, 4, 5, {0.84, 2, 4, 6, 8}, {1, 3}};
  int n_rd = 0, n_ta = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--ta-seeds", TS_OPT_INT, &n_ta, "TA seeds (mode default: 10; smoke 1)", 0},
                   {"--random-seeds", TS_OPT_INT, &n_rd, "random-init seeds (mode default: fast 4, full 10, smoke 1)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig3 [--mode fast|full|smoke] [--out DIR] [--seed S] [--threads T]\n"
                        "Lampinen & Ganguli 2019 figure 3: Nl = 3 learning curves, theory vs TA vs random init.");
  if (rc) return rc == 1 ? 0 : 2;
  if (ts_fig_args_check(&fa)) return 2;
  const int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (full) fp.n_rd = 10;
  if (smoke) { fp.epochs = 2000; fp.n_ta = 1; fp.n_rd = 1; fp.nsvm = 2; fp.svm[0] = 2; fp.svm[1] = 8; }
  if (n_ta) fp.n_ta = n_ta;
  if (n_rd) fp.n_rd = n_rd;
  if (fp.n_ta < 1 || fp.n_ta > 64) return ts_cli_fail("--ta-seeds must be in 1..64 (got %d)", fp.n_ta);
  if (fp.n_rd < 1 || fp.n_rd > fp.n_ta) return ts_cli_fail("--random-seeds must be in 1..TA seeds (got %d)", fp.n_rd);
  ts_gsl_errors_off();
  openblas_set_num_threads(1); /* parallelism is over runs (OpenMP); each GEMM single-threaded */
  const double t_start = ts_wall_seconds();
  const int n = (int)(fp.epochs / fp.every) + 1, S = fp.n_ta, nsv = fp.nsvm;
  const int njobs = NRANK * nsv * S;
  const double dt = fp.lr * fp.every; /* t/tau between evaluations */

  /* ---- runs: job (ri, si, seed); random-init jobs (seed < n_rd) first for load balance ---------------------- */
  job_result *jr = calloc((size_t)njobs, sizeof *jr);
  double *store = calloc((size_t)njobs * 4 * n, sizeof *store);
  if (!jr || !store) { ts_error(TS_ENOMEM, "fig3: out of memory"); return 1; }
  for (int j = 0; j < njobs; j++) {
    jr[j].ta_tr = store + (size_t)j * 4 * n;
    jr[j].ta_te = jr[j].ta_tr + n;
    jr[j].rd_tr = jr[j].ta_te + n;
    jr[j].rd_te = jr[j].rd_tr + n;
  }
  ts_progress *prog = ts_progress_start("fig3 runs", (double)njobs);
#pragma omp parallel for schedule(dynamic, 1)
  for (int jj = 0; jj < njobs; jj++) {
    /* order: seed-major so that the expensive (random) seeds come first */
    int seed = jj / (NRANK * nsv), ri = (jj / nsv) % NRANK, si = jj % nsv;
    int j = (ri * nsv + si) * S + seed;
    int check = seed == 0 && si == (nsv > 1 ? 1 : 0); /* matrix TA cross-check: seed 0 at svm[1] */
    run_job(&fp, ri, si, seed, seed < fp.n_rd, check, fa.seed, &jr[j]);
    ts_progress_add(prog, 1);
  }
  ts_progress_end(prog);
  const double t_runs = ts_wall_seconds();
  for (int j = 0; j < njobs; j++)
    if (jr[j].status) {
      ts_error(jr[j].status, "fig3: run rank=%d svm=%g seed=%d failed", fp.rank[j / (nsv * S)],
               fp.svm[(j / S) % nsv], j % S);
      return 1;
    }

  /* ---- theory and statistics --------------------------------------------------------------------------- */
  const int npt = NRANK * nsv;
  double *th_tr = malloc((size_t)npt * n * sizeof(double)), *th_te = malloc((size_t)npt * n * sizeof(double));
  double *m_ta_tr = malloc((size_t)npt * n * sizeof(double)), *m_ta_te = malloc((size_t)npt * n * sizeof(double));
  double *se_ta_te = malloc((size_t)npt * n * sizeof(double)), *se_ta_tr = malloc((size_t)npt * n * sizeof(double));
  double *m_rd_tr = malloc((size_t)npt * n * sizeof(double)), *m_rd_te = malloc((size_t)npt * n * sizeof(double));
  double *se_rd_te = malloc((size_t)npt * n * sizeof(double));
  /* per point: theory min, t_opt; TA min, se, topt, se; random min, se, topt, se; paired diff min, se; lag, se */
  double (*opt)[17] = calloc((size_t)npt, sizeof *opt);
  double *tmp = malloc((size_t)S * sizeof(double) * 4);
  for (int p = 0; p < npt; p++) {
    int ri = p / nsv, si = p % nsv, R = fp.rank[ri];
    lg_theory_params tp = {.A = (double)fp.n3 / fp.n1, .n3 = fp.n3, .n2 = fp.nh < fp.n3 ? fp.nh : fp.n3, .rank = R,
                           .sigma_z = sqrt(fp.noise_var * fp.n1), .eps = fp.eps, .nl = 3, .nodes = 200};
    for (int a = 0; a < R; a++) tp.sbar[a] = fp.svm[si] * (R - a);
    lg_theory *th = lg_theory_alloc(&tp);
    if (!th) return 1;
    for (int i = 0; i < n; i++) {
      th_tr[(size_t)p * n + i] = log(lg_theory_train_error(th, i * dt));
      th_te[(size_t)p * n + i] = log(lg_theory_test_error(th, i * dt));
    }
    double topt;
    opt[p][0] = log(lg_theory_min_test_error(th, fp.epochs * fp.lr, &topt));
    opt[p][1] = topt;
    lg_theory_free(th);
    const job_result *r = &jr[(size_t)p * S];
    for (int i = 0; i < n; i++) {
      double m, se;
      for (int s = 0; s < S; s++) tmp[s] = r[s].ta_tr[i];
      lg_fig_mean_se(tmp, S, &m, &se);
      m_ta_tr[(size_t)p * n + i] = m; se_ta_tr[(size_t)p * n + i] = se;
      for (int s = 0; s < S; s++) tmp[s] = r[s].ta_te[i];
      lg_fig_mean_se(tmp, S, &m, &se);
      m_ta_te[(size_t)p * n + i] = m; se_ta_te[(size_t)p * n + i] = se;
      for (int s = 0; s < fp.n_rd; s++) tmp[s] = r[s].rd_tr[i];
      lg_fig_mean_se(tmp, fp.n_rd, &m, &se);
      m_rd_tr[(size_t)p * n + i] = m;
      for (int s = 0; s < fp.n_rd; s++) tmp[s] = r[s].rd_te[i];
      lg_fig_mean_se(tmp, fp.n_rd, &m, &se);
      m_rd_te[(size_t)p * n + i] = m; se_rd_te[(size_t)p * n + i] = se;
    }
    double *mn = tmp, *to = tmp + S, *dm = tmp + 2 * S, *lag = tmp + 3 * S;
    for (int s = 0; s < S; s++) {
      int k = lg_fig_argmin(r[s].ta_te, n);
      mn[s] = r[s].ta_te[k];
      to[s] = k * dt;
    }
    lg_fig_mean_se(mn, S, &opt[p][2], &opt[p][3]);
    lg_fig_mean_se(to, S, &opt[p][4], &opt[p][5]);
    for (int s = 0; s < fp.n_rd; s++) {
      int k = lg_fig_argmin(r[s].rd_te, n);
      dm[s] = r[s].rd_te[k] - mn[s];
      lag[s] = k * dt - to[s];
      mn[s] = r[s].rd_te[k];
      to[s] = k * dt;
    }
    lg_fig_mean_se(mn, fp.n_rd, &opt[p][6], &opt[p][7]);
    lg_fig_mean_se(to, fp.n_rd, &opt[p][8], &opt[p][9]);
    lg_fig_mean_se(dm, fp.n_rd, &opt[p][10], &opt[p][11]);
    lg_fig_mean_se(lag, fp.n_rd, &opt[p][12], &opt[p][13]);
    for (int s = 0; s < S; s++) mn[s] = r[s].oracle;
    lg_fig_mean_se(mn, S, &opt[p][14], &opt[p][15]);
    opt[p][16] = log(lg_nongrad_error(tp.sbar, R, tp.A, tp.sigma_z));
  }

  /* ---- tables -------------------------------------------------------------------------------------------- */
  char path[1024];
#define META(t)                                                                                                 \
  do {                                                                                                          \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                    \
    ts_table_meta(t, "N1", "%d (orthonormal inputs, X = I)", fp.n1);                                            \
    ts_table_meta(t, "N3", "%d", fp.n3);                                                                        \
    ts_table_meta(t, "hidden", "%d (Nl = 3)", fp.nh);                                                           \
    ts_table_meta(t, "ranks", "%d, %d", fp.rank[0], fp.rank[1]);                                                \
    ts_table_meta(t, "teacher", "sbar = svm (rank, ..., 1), Haar ubar, vbar");                                  \
    ts_table_meta(t, "noise_var", "%g per entry (sigma_z = 1)", fp.noise_var);                                  \
    ts_table_meta(t, "lr", "%g (tau = %g epochs), sequential W21 then W32 (authors' code)", fp.lr, 1 / fp.lr);  \
    ts_table_meta(t, "eps", "%g (composite initial singular value)", fp.eps);                                   \
    ts_table_meta(t, "epochs", "%ld, errors every %d", fp.epochs, fp.every);                                    \
    ts_table_meta(t, "seeds", "TA %d, random %d (the first %d of the TA seeds: paired)", fp.n_ta, fp.n_rd,      \
                  fp.n_rd);                                                                                     \
    ts_table_meta(t, "seed", "%llu; run (seed s): data stream (splitmix64(seed, s), 0), random init stream 1", \
                  (unsigned long long)fa.seed);                                                                 \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                        \
    ts_table_meta(t, "theory", "eqs. (14), (15), bulk over R_in, 200 Gauss-Legendre nodes (lg_theory)");       \
  } while (0)
  snprintf(path, sizeof path, "%s/fig3_curves.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "lampinen2019/fig3");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "ln eps vs t/tau: theory; TA and random-init means over seeds of ln eps (SE over "
                "seeds); one block per (rank, svm)");
  ts_table_columns(t, 12, (const char *[]){"rank", "svm", "t", "th_train", "th_test", "ta_train", "ta_train_se",
                                           "ta_test", "ta_test_se", "rd_train", "rd_test", "rd_test_se"});
  for (int p = 0; p < npt; p++)
    for (int i = 0; i < n; i++) {
      size_t q = (size_t)p * n + i;
      double row[12] = {fp.rank[p / nsv], fp.svm[p % nsv], i * dt, th_tr[q], th_te[q], m_ta_tr[q], se_ta_tr[q],
                        m_ta_te[q], se_ta_te[q], m_rd_tr[q], m_rd_te[q], fp.n_rd > 1 ? se_rd_te[q] : 0};
      if (ts_table_row(t, 12, row)) { ts_table_discard(t); return 1; }
    }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig3_opt.tsv", fa.outdir);
  t = ts_table_open(path, "lampinen2019/fig3");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "min over t of ln eps_test and its t_opt (t/tau), per seed then mean and SE over "
                "seeds; theory: minimum of eq. (15); rd_minus_ta, lag: paired (same data) random - TA");
  ts_table_meta(t, "oracle", "data_oracle: mean over seeds of ln(1 - sum_{a<rank} c_a^2/|Wbar|^2), c_a = U_a^T Wbar "
                "V_a (this draw's eq. (16) error); th_oracle: eq. (16) asymptotic, ln eps_non-grad");
  ts_table_columns(t, 19, (const char *[]){"rank", "svm", "th_min", "th_topt", "ta_min", "ta_min_se", "ta_topt",
                                           "ta_topt_se", "rd_min", "rd_min_se", "rd_topt", "rd_topt_se",
                                           "rd_minus_ta", "rd_minus_ta_se", "lag", "lag_se", "data_oracle",
                                           "data_oracle_se", "th_oracle"});
  for (int p = 0; p < npt; p++) {
    double row[19] = {fp.rank[p / nsv], fp.svm[p % nsv]};
    for (int q = 0; q < 17; q++) row[2 + q] = isfinite(opt[p][q]) ? opt[p][q] : 0;
    if (ts_table_row(t, 19, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  /* ---- claims (tolerances fixed before looking at the results) -------------------------------------------- */
  snprintf(path, sizeof path, "%s/fig3.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], rule[512], id[64];
  /* C0: the matrix GD from the TA initialisation equals the per-mode recurrence (rounding only). */
  {
    double worst = 0;
    for (int j = 0; j < njobs; j++) worst = fmax(worst, jr[j].check);
    snprintf(meas, sizeof meas, "max |ln eps_matrix - ln eps_recurrence| over both errors and all %d evaluations, "
             "seed 0, svm = %g, ranks 1 and 3: %.2e", n, fp.svm[nsv > 1 ? 1 : 0], worst);
    ts_claim_check(c, "fig3-ta-matrix-vs-modes", "Sec. 3.1, eq. (10)",
                   "GD from the TA initialisation keeps the data's singular vectors: matrix GD equals the per-mode "
                   "recurrence", "0 (rounding)", "eq. (10); reference sheet sec. 5 (5e-15)", meas,
                   worst >= 0 && worst <= 1e-10,
                   "<= 1e-10 in ln eps (double rounding over 1e4 epochs, relative errors ~1e-13)", NULL);
  }
  if (smoke) {
    const char *why = "smoke mode: 1 seed, 2000 epochs (statistics need the fast or full mode)";
    for (int ri = 0; ri < NRANK; ri++) {
      const char *nm[6] = {"ta-test-theory", "ta-train-theory", "min-ta-theory", "min-random-ta", "topt-ta-theory",
                           "topt-random-lag"};
      const char *st[6] = {"TA test error follows eq. (15)", "TA training error follows eq. (14)",
                           "min ln eps_test of TA equals the theory", "random and TA students reach the same minimum",
                           "TA optimal stopping time equals the theory", "random students stop later than TA"};
      for (int q = 0; q < 6; q++) {
        snprintf(id, sizeof id, "fig3-%s-r%d", nm[q], fp.rank[ri]);
        ts_claim_skip(c, id, ri == 0 ? "Fig. 3a-d" : "Fig. 3e-h", st[q], why);
      }
    }
  } else {
    for (int ri = 0; ri < NRANK; ri++) {
      const int R = fp.rank[ri];
      /* C1: TA mean-ln test curve vs eq. (15) at every evaluation.  Tolerance: 0.15 (svm >= 2) / 0.3 (svm = 0.84,
       * at the detection threshold A^(1/4)) for the finite-size (N3 = 50) deviation of the data spectrum from its
       * N -> infinity limit (reference sheet), plus 2 SE of the seed mean at that t. */
      for (int q = 0; q < 4; q++) {
        /* q: 0 test svm >= 2, 1 test svm = 0.84, 2 train svm >= 2, 3 train svm = 0.84 */
        const int test = q < 2, thr = q % 2;
        const double base = test ? (thr ? 0.3 : 0.15) : 0.05;
        double worst = 0, wt = 0, wd = 0, wsv = 0;
        int ok = 1, any = 0;
        for (int si = 0; si < nsv; si++) {
          if ((fp.svm[si] < 1) != thr) continue;
          any = 1;
          int p = ri * nsv + si;
          const double *m = test ? m_ta_te : m_ta_tr, *sev = test ? se_ta_te : se_ta_tr, *th = test ? th_te : th_tr;
          for (int i = 0; i < n; i++) {
            size_t k = (size_t)p * n + i;
            double d = fabs(m[k] - th[k]), tol = base + 2 * sev[k];
            if (d / tol > worst) { worst = d / tol; wt = i * dt; wd = d; wsv = fp.svm[si]; }
            ok = ok && d <= tol;
          }
        }
        if (!any) continue;
        snprintf(meas, sizeof meas, "worst: svm = %g at t/tau = %.3f, |mean ln TA - ln theory| = %.3f (%.2f x "
                 "tolerance); %d seeds", wsv, wt, wd, worst, S);
        snprintf(id, sizeof id, "fig3-ta-%s-theory%s-r%d", test ? "test" : "train", thr ? "-threshold" : "", R);
        snprintf(rule, sizeof rule, "per t: |diff| <= %.2f [finite N3 = 50%s] + 2 SE over seeds", base,
                 thr && test ? "; threshold svm = A^(1/4)" : "");
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%s", thr ? " (svm = 0.84 = A^(1/4))" : " (svm >= 2)");
        ts_claim_check(c, id, ri == 0 ? (test ? "Fig. 3b" : "Fig. 3a") : (test ? "Fig. 3f" : "Fig. 3e"),
                       test ? "TA mean ln eps_test follows the theory (eq. 15) for t/tau <= 10"
                            : "TA mean ln eps_train follows the theory (eq. 14) for t/tau <= 10",
                       test ? "eq. (15)" : "eq. (14)", "theory (lg_theory)", meas, ok, rule,
                       thr ? "at svm = 0.84 = A^(1/4) the weakest teacher mode sits at the detection threshold, the "
                             "edge of the MP bulk, where finite-N corrections to eqs. (11), (13) scale as N^(-1/3) "
                             "(edge fluctuations) instead of N^(-1/2); the reference sheet widens the test-error "
                             "tolerance to 0.3 there for this reason, the training-error rule was kept at 0.05"
                           : NULL);
      }
      /* C2: min ln eps_test: TA vs theory (svm >= 2) 0.05 + 2 SE; random vs TA (paired) 0.02 + 2 SE. */
      {
        double worst = 0; int wsi = 0, ok = 1;
        for (int si = 0; si < nsv; si++) {
          if (fp.svm[si] < 1) continue;
          int p = ri * nsv + si;
          double d = fabs(opt[p][2] - opt[p][0]), tol = 0.05 + 2 * opt[p][3];
          if (d / tol > worst) { worst = d / tol; wsi = si; }
          ok = ok && d <= tol;
        }
        int p = ri * nsv + wsi;
        /* Diagnostic for a failure: the draws' own eq.-(16) error (data_oracle) against its asymptotic value.  The
         * svm values share each seed's ubar, vbar, Z (the authors' seeding), so a lucky or unlucky set of draws
         * shifts every svm alike; if TA - theory equals that shift (data_oracle - th_oracle) within the same
         * tolerance, the disagreement is the seeds' draw, not the dynamics. */
        double luck = opt[p][14] - opt[p][16], resid = opt[p][2] - opt[p][0] - luck;
        int explained = fabs(resid) <= 0.05 + 2 * opt[p][3];
        snprintf(meas, sizeof meas, "worst svm = %g: TA %.3f +- %.3f, theory %.3f (%.2f x tolerance); these draws' "
                 "eq.-(16) error ln(1 - sum c_a^2/|Wbar|^2) = %.3f +- %.3f vs asymptotic %.3f (shift %+.3f); TA - "
                 "theory - shift = %+.3f", fp.svm[wsi], opt[p][2], opt[p][3], opt[p][0], worst, opt[p][14],
                 opt[p][15], opt[p][16], luck, resid);
        char note[512];
        snprintf(note, sizeof note, "the %d data draws are atypical: their mean ln(1 - O^2) is %+.3f from the "
                 "N -> infinity value (%.1f of their SE; the svm values share each seed's teacher and noise, so every "
                 "svm shifts alike); corrected for that shift TA matches the theory (%+.3f)", S, luck,
                 fabs(luck) / fmax(opt[p][15], 1e-300), resid);
        snprintf(id, sizeof id, "fig3-min-ta-theory-r%d", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 3c" : "Fig. 3g", "min_t ln eps_test of TA students equals the theory",
                       "min of eq. (15)", "theory", meas, ok,
                       "per svm >= 2: |diff| <= 0.05 (finite size) + 2 SE over seeds", explained ? note : NULL);
      }
      {
        double worst = 0; int wsi = 0, ok = 1;
        for (int si = 0; si < nsv; si++) {
          int p = ri * nsv + si;
          double d = fabs(opt[p][10]), tol = 0.02 + 2 * (fp.n_rd > 1 ? opt[p][11] : 0);
          if (d / tol > worst) { worst = d / tol; wsi = si; }
          ok = ok && d <= tol;
        }
        int p = ri * nsv + wsi;
        snprintf(meas, sizeof meas, "worst svm = %g: random - TA = %+.4f +- %.4f (paired, %d seeds; %.2f x "
                 "tolerance)", fp.svm[wsi], opt[p][10], opt[p][11], fp.n_rd, worst);
        snprintf(id, sizeof id, "fig3-min-random-ta-r%d", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 3c" : "Fig. 3g",
                       "randomly initialised and TA students reach the same min_t ln eps_test (\"almost perfect "
                       "match\")", "difference 0", "paper text, Fig. 3 caption", meas, ok,
                       "per svm: |mean paired difference| <= 0.02 + 2 SE (seed spread of the difference)", NULL);
      }
      /* C3: t_opt of TA vs theory (svm >= 2): 0.1 tau + 2 SE.  At svm = 0.84 the theory's t_opt is 0 while
       * finite-N runs dip slightly: reported in the table, not gated. */
      {
        double worst = 0; int wsi = 0, ok = 1;
        for (int si = 0; si < nsv; si++) {
          if (fp.svm[si] < 1) continue;
          int p = ri * nsv + si;
          double d = fabs(opt[p][4] - opt[p][1]), tol = 0.1 + 2 * opt[p][5];
          if (d / tol > worst) { worst = d / tol; wsi = si; }
          ok = ok && d <= tol;
        }
        int p = ri * nsv + wsi;
        snprintf(meas, sizeof meas, "worst svm = %g: TA t_opt = %.3f +- %.3f tau, theory %.3f tau (%.2f x "
                 "tolerance)", fp.svm[wsi], opt[p][4], opt[p][5], opt[p][1], worst);
        snprintf(id, sizeof id, "fig3-topt-ta-theory-r%d", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 3d" : "Fig. 3h", "the TA optimal stopping time equals the theory's",
                       "argmin of eq. (15)", "theory", meas, ok,
                       "per svm >= 2: |diff| <= 0.1 tau (finite size) + 2 SE over seeds", NULL);
      }
      /* C4: random students stop later (alignment lag), svm >= 2: mean paired lag > 2 SE. */
      {
        double worst = INFINITY; int wsi = 0, ok = 1;
        for (int si = 0; si < nsv; si++) {
          if (fp.svm[si] < 1) continue;
          int p = ri * nsv + si;
          double se = fp.n_rd > 1 ? opt[p][13] : 0, z = opt[p][12] / fmax(se, 1e-300);
          if (z < worst) { worst = z; wsi = si; }
          ok = ok && opt[p][12] > 2 * se && opt[p][12] > 0;
        }
        int p = ri * nsv + wsi;
        snprintf(meas, sizeof meas, "smallest: svm = %g, t_opt(random) - t_opt(TA) = %.3f +- %.3f tau (%d paired "
                 "seeds)", fp.svm[wsi], opt[p][12], opt[p][13], fp.n_rd);
        snprintf(id, sizeof id, "fig3-topt-random-lag-r%d", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 3d" : "Fig. 3h",
                       "randomly initialised students reach their optimum later than TA students (alignment lag)",
                       "lag > 0", "paper text (Fig. 3 caption, App. B)", meas, ok,
                       "per svm >= 2: mean paired lag > 0 and > 2 SE", NULL);
      }
    }
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig3: runs %.1f s, total %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n",
          t_runs - t_start, ts_wall_seconds() - t_start, counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL],
          counts[TS_SKIP]);
  free(jr); free(store); free(th_tr); free(th_te); free(m_ta_tr); free(m_ta_te); free(se_ta_te); free(se_ta_tr);
  free(m_rd_tr); free(m_rd_te); free(se_rd_te); free(opt); free(tmp);
  return 0;
}
