/* Lampinen & Ganguli 2019, figure 4: the same panels as figure 3 for a network with three hidden layers (Nl = 5,
 * four weight matrices), rank-1 (a-d) and rank-3 (e-h) teachers.
 *
 * Setting (reference sheet sec. 3, the authors' deep script): N1 = 100 orthonormal inputs, N3 = 50 outputs, three
 * hidden layers of 50, noise variance 1/N1, lr = 1e-3, eps = 1e-5 (each matrix eps^(1/4) at the start),
 * 1.5e5 epochs with errors every 10, curves plotted for t/tau <= 120; svm in {0.84, 2, 4, 6, 8}, panels a, b, e, f
 * at svm in {2, 4, 8}; random-init students appear only in the minima and stopping times (c, d, g, h).
 *
 * What this program computes, per (rank, svm, seed), on one task draw (lg_task_draw, stream 0 of the seed):
 *   TA     exact per-mode recurrences of the authors' sequential 4-matrix update (lg_task_ta_curves, nl = 5),
 *          equal to matrix GD from the deep TA initialisation (eps^(1/4) (R1 Vhat^T, R2 R1^T, R3 R2^T, Uhat R3^T)):
 *          checked below on one draw for 2e4 epochs;
 *   random matrix GD of the four matrices (lampinen_gd, nmat = 4, stream 1 of the seed);
 *   theory eqs. (14), (15) with the Nl = 5 mode dynamics of App. A (lg_theory, nl = 5).
 * The curves are step-like (a 1 % shift in time moves ln eps by up to ~2 at a drop), so the checks are
 * shift-tolerant: minima, the levels at t = 120 tau, and the transition times (when the TA curve reaches the level
 * the theory has at each teacher mode's half-height time t*_a, App. A), not pointwise differences.
 * Modes: full (10 TA and 10 random seeds at every svm, 1.5e5 epochs), fast (1.2e5 epochs; 10 TA seeds; random
 * init: 1 seed at svm 4 and 8, each run stopped once ln eps_test is 0.5 above its running minimum, which is then past), smoke
 * (TA only with 1 seed and 1.5e4 epochs, 2000-epoch cross-check; statistics SKIP). */
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

#define NSVM 5
#define NRANK 2

typedef struct {
  int n1, n3, nh;
  double lr, eps, noise_var;
  long epochs, check_epochs;
  int every, n_ta, n_rd;
  double t_plot, stop_rise;
  double svm[NSVM];
  int rd_svm[NSVM]; /* 1: random-init runs at this svm */
  int rank[NRANK];
} fig_params;

typedef struct {
  int status;
  double *ta_tr, *ta_te; /* ln errors at the n evaluations (TA) */
  double *rd_te;         /* ln eps_test of the random run (n_rd_written entries), NULL if none */
  int n_rd_written;
  double oracle;         /* ln(1 - sum_{a<rank} c_a^2/|Wbar|^2) of this draw */
  double check;          /* max |ln eps| matrix TA vs recurrence (-1: not run) */
} job_result;

static void run_job(const fig_params *fp, int ri, int si, int seed, int do_rd, int do_check, uint64_t base,
                    job_result *res)
{
  const int n = (int)(fp->epochs / fp->every) + 1;
  lg_task *t = lg_task_alloc(fp->n1, fp->n3, fp->rank[ri]);
  ts_rng *rd = ts_rng_alloc(ts_rng_seed_for(base, (uint64_t)seed), 0);
  ts_rng *rinit = ts_rng_alloc(ts_rng_seed_for(base, (uint64_t)seed), 1);
  ts_rng *rta = ts_rng_alloc(ts_rng_seed_for(base, (uint64_t)seed), 2);
  lampinen_gd *g = NULL;
  double *tr = NULL, *te = NULL;
  res->check = -1;
  if (!t || !rd || !rinit || !rta) { res->status = TS_ENOMEM; goto done; }
  res->status = lg_task_draw(t, fp->svm[si], fp->noise_var, rd);
  if (res->status) goto done;
  res->oracle = lg_fig_oracle_ln(t, fp->rank[ri]);
  res->status = lg_task_ta_curves(t, 5, fp->nh, fp->eps, fp->lr, fp->every, n, res->ta_tr, res->ta_te, NULL);
  if (res->status) goto done;
  for (int i = 0; i < n; i++) { res->ta_tr[i] = log(res->ta_tr[i]); res->ta_te[i] = log(res->ta_te[i]); }
  if (do_rd || do_check) {
    lampinen_gd_params p = {fp->n1, fp->n3, fp->nh, 4, fp->lr, LAMPINEN_GD_LINEAR, 0};
    g = lampinen_gd_alloc(&p, t->s31, t->wbar);
    if (!g) { res->status = TS_ENOMEM; goto done; }
  }
  if (do_check) {
    const int nc = (int)(fp->check_epochs / fp->every) + 1;
    tr = malloc((size_t)nc * sizeof *tr);
    te = malloc((size_t)nc * sizeof *te);
    if (!tr || !te) { res->status = TS_ENOMEM; goto done; }
    res->status = lampinen_gd_init_aligned(g, fp->eps, t->U, t->Vt, rta);
    if (!res->status) res->status = lampinen_gd_run(g, fp->check_epochs, fp->every, tr, te, 0, NULL);
    if (res->status) goto done;
    double d = 0;
    for (int i = 0; i < nc; i++)
      d = fmax(d, fmax(fabs(log(tr[i]) - res->ta_tr[i]), fabs(log(te[i]) - res->ta_te[i])));
    res->check = d;
  }
  if (do_rd) {
    res->status = lampinen_gd_init_random(g, fp->eps, rinit);
    if (!res->status)
      res->status = lampinen_gd_run(g, fp->epochs, fp->every, NULL, res->rd_te, fp->stop_rise, &res->n_rd_written);
    if (res->status) goto done;
    for (int i = 0; i < res->n_rd_written; i++) res->rd_te[i] = log(res->rd_te[i]);
  }
done:
  lampinen_gd_free(g);
  lg_task_free(t);
  ts_rng_free(rd);
  ts_rng_free(rinit);
  ts_rng_free(rta);
  free(tr);
  free(te);
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/lampinen2019", 2019, 0};
  fig_params fp = {100, 50, 50, 1e-3, 1e-5, 0.01, 150000, 20000, 10, 10, 1, 120, 0.5,
                   {0.84, 2, 4, 6, 8}, {0, 0, 1, 0, 1}, {1, 3}};
  int n_rd = -1;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--random-seeds", TS_OPT_INT, &n_rd, "random-init seeds (mode default: fast 1 at svm 4, 8; full 10)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig4 [--mode fast|full|smoke] [--out DIR] [--seed S] [--threads T]\n"
                        "Lampinen & Ganguli 2019 figure 4: Nl = 5 learning curves, theory vs TA vs random init.");
  if (rc) return rc == 1 ? 0 : 2;
  if (ts_fig_args_check(&fa)) return 2;
  const int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (full) {
    fp.n_rd = 10;
    fp.stop_rise = 0;
    for (int i = 0; i < NSVM; i++) fp.rd_svm[i] = 1;
  }
  if (!full) fp.epochs = 120000; /* fast: only t/tau <= 120 is plotted or checked */
  if (smoke) { fp.epochs = 15000; fp.check_epochs = 2000; fp.n_ta = 1; fp.n_rd = 0; fp.t_plot = 15; }
  if (n_rd >= 0) fp.n_rd = n_rd;
  if (fp.n_rd < 0 || fp.n_rd > fp.n_ta) return ts_cli_fail("--random-seeds must be in 0..%d (got %d)", fp.n_ta, fp.n_rd);
  ts_gsl_errors_off();
  openblas_set_num_threads(1);
  const double t_start = ts_wall_seconds();
  const int n = (int)(fp.epochs / fp.every) + 1, S = fp.n_ta;
  const int njobs = NRANK * NSVM * S, npt = NRANK * NSVM;
  const double dt = fp.lr * fp.every;
  const int stride = 5;     /* TA curves written every 5 evaluations = 50 epochs = 0.05 tau          */
  /* theory evaluated and written every th_stride evaluations: 0.2 tau (smoke 1 tau); one Nl = 5 evaluation of
   * eq. (15) inverts App. A at every MP node (~0.7 ms) */
  const int th_stride = smoke ? 100 : 20;

  job_result *jr = calloc((size_t)njobs, sizeof *jr);
  double *store = calloc((size_t)njobs * 2 * n, sizeof *store);
  if (!jr || !store) { ts_error(TS_ENOMEM, "fig4: out of memory"); return 1; }
  for (int j = 0; j < njobs; j++) {
    int si = (j / S) % NSVM, seed = j % S;
    jr[j].ta_tr = store + (size_t)j * 2 * n;
    jr[j].ta_te = jr[j].ta_tr + n;
    if (seed < fp.n_rd && fp.rd_svm[si]) {
      jr[j].rd_te = malloc((size_t)n * sizeof(double));
      if (!jr[j].rd_te) { ts_error(TS_ENOMEM, "fig4: out of memory"); return 1; }
    }
  }
  ts_progress *prog = ts_progress_start("fig4 runs", (double)njobs);
  /* random-init jobs first (they dominate the cost), smallest svm first among them (longest runs) */
#pragma omp parallel for schedule(dynamic, 1)
  for (int jj = 0; jj < njobs; jj++) {
    int seed = jj / (NRANK * NSVM), ri = (jj / NSVM) % NRANK, si = jj % NSVM;
    int j = (ri * NSVM + si) * S + seed;
    int check = seed == 0 && ri == 1 && si == 2; /* matrix TA cross-check: rank 3, svm 4, seed 0 */
    run_job(&fp, ri, si, seed, jr[j].rd_te != NULL, check, fa.seed, &jr[j]);
    ts_progress_add(prog, 1);
  }
  ts_progress_end(prog);
  const double t_runs = ts_wall_seconds();
  for (int j = 0; j < njobs; j++)
    if (jr[j].status) {
      ts_error(jr[j].status, "fig4: run rank=%d svm=%g seed=%d failed", fp.rank[j / (NSVM * S)],
               fp.svm[(j / S) % NSVM], j % S);
      return 1;
    }

  /* ---- theory and statistics ------------------------------------------------------------------------------ */
  double *th_tr = malloc((size_t)npt * n * sizeof(double)), *th_te = malloc((size_t)npt * n * sizeof(double));
  double *m_tr = malloc((size_t)npt * n * sizeof(double)), *m_te = malloc((size_t)npt * n * sizeof(double));
  double *se_tr = malloc((size_t)npt * n * sizeof(double)), *se_te = malloc((size_t)npt * n * sizeof(double));
  /* per point: 0 th_min 1 th_topt 2 ta_min 3 se 4 ta_topt 5 se 6 rd_min 7 se 8 rd_topt 9 se 10 rd-ta 11 se 12 lag
   * 13 se 14 data_oracle 15 se 16 th_oracle 17 n_rd 18 th_half_time(last mode) */
  double (*opt)[19] = calloc((size_t)npt, sizeof *opt);
  double (*trans)[2][3] = calloc((size_t)npt, sizeof *trans); /* per mode: theory t*_a, TA crossing time */
  int bad = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (int p = 0; p < npt; p++) {
    int ri = p / NSVM, si = p % NSVM, R = fp.rank[ri];
    double tmp[5 * 64];
    lg_theory_params tp = {.A = (double)fp.n3 / fp.n1, .n3 = fp.n3, .n2 = fp.nh < fp.n3 ? fp.nh : fp.n3, .rank = R,
                           .sigma_z = sqrt(fp.noise_var * fp.n1), .eps = fp.eps, .nl = 5, .nodes = 200};
    for (int a = 0; a < R; a++) tp.sbar[a] = fp.svm[si] * (R - a);
    lg_theory *th = lg_theory_alloc(&tp);
    if (!th) {
#pragma omp atomic write
      bad = 1;
      continue;
    }
    for (int i = 0; i < n; i++) { /* theory only where it is written or checked (every th_stride-th point) */
      th_tr[(size_t)p * n + i] = i % th_stride ? NAN : log(lg_theory_train_error(th, i * dt));
      th_te[(size_t)p * n + i] = i % th_stride ? NAN : log(lg_theory_test_error(th, i * dt));
    }
    double topt = NAN;
    opt[p][0] = smoke ? NAN : log(lg_theory_min_test_error(th, fp.t_plot, &topt)); /* unused in smoke */
    opt[p][1] = topt;
    opt[p][16] = log(lg_nongrad_error(tp.sbar, R, tp.A, tp.sigma_z));
    const job_result *r = &jr[(size_t)p * S];
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < S; s++) tmp[s] = r[s].ta_tr[i];
      lg_fig_mean_se(tmp, S, &m_tr[(size_t)p * n + i], &se_tr[(size_t)p * n + i]);
      for (int s = 0; s < S; s++) tmp[s] = r[s].ta_te[i];
      lg_fig_mean_se(tmp, S, &m_te[(size_t)p * n + i], &se_te[(size_t)p * n + i]);
    }
    /* transition times: theory half-height t*_a of each teacher mode (App. A); the TA mean curve's first crossing
     * of the theory's level ln eps_train(t*_a), linearly interpolated */
    for (int a = 0; a < R && a < 3; a++) {
      double sh = lg_theory_shat(th, a), ts = lg_t_deep(sh / 2, sh, fp.eps);
      trans[p][0][a] = ts;
      trans[p][1][a] = NAN;
      if (!(ts > 0 && ts < fp.t_plot)) continue;
      double level = log(lg_theory_train_error(th, ts));
      const double *m = m_tr + (size_t)p * n;
      for (int i = 1; i < n; i++)
        if (m[i] <= level && m[i - 1] > level) {
          trans[p][1][a] = (i - 1 + (m[i - 1] - level) / (m[i - 1] - m[i])) * dt;
          break;
        }
    }
    lg_theory_free(th);
    const int nplot = (int)lround(fp.t_plot / dt) + 1 < n ? (int)lround(fp.t_plot / dt) + 1 : n;
    double *mn = tmp, *to = tmp + S, *dm = tmp + 2 * S, *lag = tmp + 3 * S, *orc = tmp + 4 * S;
    for (int s = 0; s < S; s++) {
      int k = lg_fig_argmin(r[s].ta_te, nplot);
      mn[s] = r[s].ta_te[k];
      to[s] = k * dt;
      orc[s] = r[s].oracle;
    }
    lg_fig_mean_se(mn, S, &opt[p][2], &opt[p][3]);
    lg_fig_mean_se(to, S, &opt[p][4], &opt[p][5]);
    lg_fig_mean_se(orc, S, &opt[p][14], &opt[p][15]);
    int nr = 0;
    for (int s = 0; s < S; s++) {
      if (!r[s].rd_te) continue;
      int nw = r[s].n_rd_written < nplot ? r[s].n_rd_written : nplot;
      int k = lg_fig_argmin(r[s].rd_te, nw);
      dm[nr] = r[s].rd_te[k] - mn[s];
      lag[nr] = k * dt - to[s];
      mn[nr] = r[s].rd_te[k];
      to[nr] = k * dt;
      nr++;
    }
    opt[p][17] = nr;
    if (nr) {
      lg_fig_mean_se(mn, nr, &opt[p][6], &opt[p][7]);
      lg_fig_mean_se(to, nr, &opt[p][8], &opt[p][9]);
      lg_fig_mean_se(dm, nr, &opt[p][10], &opt[p][11]);
      lg_fig_mean_se(lag, nr, &opt[p][12], &opt[p][13]);
    } else {
      for (int q = 6; q < 14; q++) opt[p][q] = NAN;
    }
  }

  if (bad) return 1;

  /* ---- tables ------------------------------------------------------------------------------------------------ */
  char path[1024];
#define META(t)                                                                                                 \
  do {                                                                                                          \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                    \
    ts_table_meta(t, "N1", "%d (orthonormal inputs, X = I)", fp.n1);                                            \
    ts_table_meta(t, "N3", "%d", fp.n3);                                                                        \
    ts_table_meta(t, "hidden", "3 layers of %d (Nl = 5, four matrices)", fp.nh);                                \
    ts_table_meta(t, "teacher", "sbar = svm (rank, ..., 1), Haar ubar, vbar; ranks 1, 3");                      \
    ts_table_meta(t, "noise_var", "%g per entry (sigma_z = 1)", fp.noise_var);                                  \
    ts_table_meta(t, "lr", "%g (tau = %g epochs), sequential W1..W4 (authors' code)", fp.lr, 1 / fp.lr);        \
    ts_table_meta(t, "eps", "%g (composite; each matrix eps^(1/4))", fp.eps);                                   \
    ts_table_meta(t, "epochs", "%ld, errors every %d; minima over t/tau <= %g", fp.epochs, fp.every, fp.t_plot); \
    ts_table_meta(t, "seeds", "TA %d; random %d at svm with rd_svm (paired with the TA seeds)", fp.n_ta,        \
                  fp.n_rd);                                                                                     \
    ts_table_meta(t, "rd_svm", "%d %d %d %d %d (svm 0.84 2 4 6 8)", fp.rd_svm[0], fp.rd_svm[1], fp.rd_svm[2],   \
                  fp.rd_svm[3], fp.rd_svm[4]);                                                                  \
    ts_table_meta(t, "stop_rise", "%g (random runs stop once ln eps_test exceeds its running minimum by this; " \
                  "0 = never)", fp.stop_rise);                                                                  \
    ts_table_meta(t, "seed", "%llu; run (seed s): data stream (splitmix64(seed, s), 0), init stream 1",        \
                  (unsigned long long)fa.seed);                                                                 \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                        \
    ts_table_meta(t, "theory", "eqs. (14), (15) with App. A Nl = 5 dynamics, bulk over R_in (lg_theory)");     \
  } while (0)
  snprintf(path, sizeof path, "%s/fig4_curves.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "lampinen2019/fig4");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "TA: mean over seeds of ln eps and its SE vs t/tau (every %d evaluations, t/tau <= %g)",
                stride, fp.t_plot);
  ts_table_columns(t, 7, (const char *[]){"rank", "svm", "t", "ta_train", "ta_train_se", "ta_test", "ta_test_se"});
  for (int p = 0; p < npt; p++)
    for (int i = 0; i < n && i * dt <= fp.t_plot + 1e-9; i += stride) {
      size_t q = (size_t)p * n + i;
      double row[7] = {fp.rank[p / NSVM], fp.svm[p % NSVM], i * dt, m_tr[q], S > 1 ? se_tr[q] : 0, m_te[q],
                       S > 1 ? se_te[q] : 0};
      if (ts_table_row(t, 7, row)) { ts_table_discard(t); return 1; }
    }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig4_theory.tsv", fa.outdir);
  t = ts_table_open(path, "lampinen2019/fig4");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "theory ln eps_train (eq. 14), ln eps_test (eq. 15) with Nl = 5 dynamics vs t/tau, "
                "every %g tau", th_stride * dt);
  ts_table_columns(t, 5, (const char *[]){"rank", "svm", "t", "th_train", "th_test"});
  for (int p = 0; p < npt; p++)
    for (int i = 0; i < n && i * dt <= fp.t_plot + 1e-9; i += th_stride) {
      size_t q = (size_t)p * n + i;
      double row[5] = {fp.rank[p / NSVM], fp.svm[p % NSVM], i * dt, th_tr[q], th_te[q]};
      if (ts_table_row(t, 5, row)) { ts_table_discard(t); return 1; }
    }
  if (ts_table_close(t)) return 1;

  /* the random-init curves (written only when random runs exist: none in smoke mode) */
  if (fp.n_rd > 0) {
    snprintf(path, sizeof path, "%s/fig4_random.tsv", fa.outdir);
    t = ts_table_open(path, "lampinen2019/fig4");
    if (!t) return 1;
    META(t);
    ts_table_meta(t, "content", "ln eps_test of each random-init run (seed s) against t/tau, every %d evaluations",
                  stride);
    ts_table_columns(t, 5, (const char *[]){"rank", "svm", "seed", "t", "rd_test"});
    for (int j = 0; j < njobs; j++) {
      if (!jr[j].rd_te) continue;
      for (int i = 0; i < jr[j].n_rd_written && i * dt <= fp.t_plot + 1e-9; i += stride) {
        double row[5] = {fp.rank[j / (NSVM * S)], fp.svm[(j / S) % NSVM], j % S, i * dt, jr[j].rd_te[i]};
        if (ts_table_row(t, 5, row)) { ts_table_discard(t); return 1; }
      }
    }
    if (ts_table_close(t)) return 1;
  }

  snprintf(path, sizeof path, "%s/fig4_opt.tsv", fa.outdir);
  t = ts_table_open(path, "lampinen2019/fig4");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "min over t/tau <= %g of ln eps_test and its t_opt, per seed then mean and SE; "
                "random columns 0 where no random run (n_rd = 0); data_oracle: mean ln(1 - sum c_a^2/|Wbar|^2)",
                fp.t_plot);
  ts_table_columns(t, 20, (const char *[]){"rank", "svm", "th_min", "th_topt", "ta_min", "ta_min_se", "ta_topt",
                                           "ta_topt_se", "rd_min", "rd_min_se", "rd_topt", "rd_topt_se",
                                           "rd_minus_ta", "rd_minus_ta_se", "lag", "lag_se", "data_oracle",
                                           "data_oracle_se", "th_oracle", "n_rd"});
  for (int p = 0; p < npt; p++) {
    double row[20] = {fp.rank[p / NSVM], fp.svm[p % NSVM]};
    for (int q = 0; q < 18; q++) row[2 + q] = isfinite(opt[p][q]) ? opt[p][q] : 0;
    if (ts_table_row(t, 20, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  /* ---- claims ------------------------------------------------------------------------------------------------ */
  snprintf(path, sizeof path, "%s/fig4.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], id[64], note[512];
  {
    double worst = 0;
    for (int j = 0; j < njobs; j++) worst = fmax(worst, jr[j].check);
    snprintf(meas, sizeof meas, "max |ln eps_matrix - ln eps_recurrence| (train and test, %ld epochs, rank 3, svm "
             "4, seed 0): %.2e", fp.check_epochs, worst);
    ts_claim_check(c, "fig4-ta-matrix-vs-modes", "Sec. 3.3, App. A",
                   "4-matrix GD from the deep TA initialisation equals the per-mode recurrence", "0 (rounding)",
                   "App. A (decoupled modes); reference sheet sec. 5", meas, worst >= 0 && worst <= 1e-10,
                   "<= 1e-10 in ln eps (double rounding)", NULL);
  }
  /* theory t_opt of the rank-1 curves: the reference sheet's values 66.7 / 37.8 / 19.6 tau (svm 2 / 4 / 8);
   * tolerance 0.2 tau (the sheet's one decimal plus the evaluation of the minimum on a grid) */
  {
    const double ref[3] = {66.7, 37.8, 19.6};
    const int sidx[3] = {1, 2, 4};
    int ok = 1;
    meas[0] = 0;
    for (int q = 0; q < 3; q++) {
      double v = opt[sidx[q]][1];
      ok = ok && fabs(v - ref[q]) <= 0.2;
      snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%ssvm %g: %.2f", q ? ", " : "", fp.svm[sidx[q]], v);
    }
    if (smoke) ts_claim_skip(c, "fig4-theory-topt", "Fig. 4d", "theory t_opt of rank 1", "smoke mode: t/tau <= 15");
    else
      ts_claim_check(c, "fig4-theory-topt", "Fig. 4d", "theory optimal stopping times of the rank-1 curves (tau)",
                     "66.7, 37.8, 19.6", "reference sheet sec. 3 (App. A dynamics in eq. 15)", meas, ok,
                     "each within 0.2 tau", NULL);
  }
  if (smoke) {
    const char *why = "smoke mode: 1 seed, t/tau <= 15 (the Nl = 5 transitions come at 20-70 tau)";
    const char *nm[5] = {"min-ta-theory", "late-ta-theory", "transition-ta-theory", "min-random-ta", "random-lag"};
    for (int ri = 0; ri < NRANK; ri++)
      for (int q = 0; q < 5; q++) {
        snprintf(id, sizeof id, "fig4-%s-r%d", nm[q], fp.rank[ri]);
        ts_claim_skip(c, id, ri == 0 ? "Fig. 4a-d" : "Fig. 4e-h", nm[q], why);
      }
  } else {
    for (int ri = 0; ri < NRANK; ri++) {
      const int R = fp.rank[ri];
      /* C1: min ln eps_test (t <= 120 tau), TA vs theory, svm >= 2: 0.05 + 2 SE (reference sheet), with the same
       * draw-luck diagnostic as figure 3. */
      {
        double worst = 0; int wsi = 0, ok = 1;
        for (int si = 0; si < NSVM; si++) {
          if (fp.svm[si] < 1) continue;
          int p = ri * NSVM + si;
          double d = fabs(opt[p][2] - opt[p][0]), tol = 0.05 + 2 * opt[p][3];
          if (d / tol > worst) { worst = d / tol; wsi = si; }
          ok = ok && d <= tol;
        }
        int p = ri * NSVM + wsi;
        double luck = opt[p][14] - opt[p][16], resid = opt[p][2] - opt[p][0] - luck;
        int explained = fabs(resid) <= 0.05 + 2 * opt[p][3];
        snprintf(meas, sizeof meas, "worst svm = %g: TA %.3f +- %.3f, theory %.3f (%.2f x tolerance); these draws' "
                 "ln(1 - sum c_a^2/|Wbar|^2) = %.3f vs asymptotic %.3f (shift %+.3f); TA - theory - shift = %+.3f",
                 fp.svm[wsi], opt[p][2], opt[p][3], opt[p][0], worst, opt[p][14], opt[p][16], luck, resid);
        snprintf(note, sizeof note, "the %d data draws are atypical: their mean ln(1 - O^2) is %+.3f from the "
                 "N -> infinity value (%.1f of their SE; every svm shares each seed's teacher and noise); corrected "
                 "for that shift TA matches the theory (%+.3f)", S, luck, fabs(luck) / fmax(opt[p][15], 1e-300), resid);
        snprintf(id, sizeof id, "fig4-min-ta-theory-r%d", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 4c" : "Fig. 4g", "min_t ln eps_test of TA students equals the theory",
                       "min of eq. (15), Nl = 5", "theory", meas, ok,
                       "per svm >= 2: |diff| <= 0.05 + 2 SE over seeds", explained ? note : NULL);
      }
      /* C2: levels at t = 120 tau (train and test): 0.1 + 2 SE (reference sheet); svm >= 2 and the threshold
       * svm = 0.84 = A^(1/4) reported separately (as in figure 3). */
      for (int thr = 0; thr < 2; thr++) {
        double worst = 0, wd = 0; int wsi = 0, wq = 0, ok = 1;
        int i120 = (int)lround(fp.t_plot / dt) / th_stride * th_stride;
        for (int si = 0; si < NSVM; si++) {
          if ((fp.svm[si] < 1) != thr) continue;
          for (int q = 0; q < 2; q++) {
            size_t k = (size_t)(ri * NSVM + si) * n + i120;
            double d = q ? fabs(m_te[k] - th_te[k]) : fabs(m_tr[k] - th_tr[k]);
            double tol = 0.1 + 2 * (q ? se_te[k] : se_tr[k]);
            if (d / tol > worst) { worst = d / tol; wsi = si; wq = q; wd = d; }
            ok = ok && d <= tol;
          }
        }
        snprintf(meas, sizeof meas, "worst: svm = %g, %s error, |mean ln TA - ln theory| = %.3f (%.2f x tolerance)",
                 fp.svm[wsi], wq ? "test" : "train", wd, worst);
        snprintf(id, sizeof id, "fig4-late-ta-theory%s-r%d", thr ? "-threshold" : "", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 4a,b" : "Fig. 4e,f",
                       thr ? "TA train and test errors at t = 120 tau equal the theory (svm = 0.84 = A^(1/4))"
                           : "TA train and test errors at t = 120 tau equal the theory (svm >= 2)",
                       "eqs. (14), (15)", "theory", meas, ok, "per svm: |diff| <= 0.1 (finite size) + 2 SE over seeds",
                       thr ? "at svm = 0.84 = A^(1/4) the weakest teacher mode sits at the detection threshold (edge "
                             "of the MP bulk), where finite-N corrections to eqs. (11)-(13) scale as N^(-1/3) instead "
                             "of N^(-1/2); figure 3 shows the same (the reference sheet allows 0.3 there for Nl = 3)"
                           : NULL);
      }
      /* C3: transition times, svm >= 2, every teacher mode learned before 120 tau: relative 3 % (reference sheet). */
      {
        double worst = 0; int ok = 1, cnt = 0;
        meas[0] = 0;
        for (int si = 0; si < NSVM; si++) {
          if (fp.svm[si] < 1) continue;
          int p = ri * NSVM + si;
          for (int a = 0; a < R; a++) {
            double ts = trans[p][0][a], tm = trans[p][1][a];
            if (!(ts > 0 && ts < fp.t_plot)) continue;
            double rel = fabs(tm - ts) / ts;
            if (!isfinite(rel)) rel = INFINITY;
            worst = fmax(worst, rel);
            ok = ok && rel <= 0.03;
            cnt++;
            if (strlen(meas) < 700)
              snprintf(meas + strlen(meas), sizeof meas - strlen(meas), "%ssvm %g mode %d: %.2f vs %.2f", cnt > 1 ? "; " : "",
                       fp.svm[si], a + 1, tm, ts);
          }
        }
        snprintf(meas + strlen(meas), sizeof meas - strlen(meas), " (TA crossing vs theory t*_a, tau); worst "
                 "relative %.3f", worst);
        snprintf(id, sizeof id, "fig4-transition-ta-theory-r%d", R);
        ts_claim_check(c, id, ri == 0 ? "Fig. 4a" : "Fig. 4e",
                       "the drops of the TA training error come at the theory's times (App. A half-height times)",
                       "t*_a = [G(y) - G(y0)]/(2 shat^(3/2))", "App. A", meas, ok && cnt > 0,
                       "per mode: |t_TA - t*_a| <= 3 % of t*_a (finite-N shat_a shifts t* by ~ dshat/shat)", NULL);
      }
      /* C4, C5: random init vs TA (only where random runs exist). */
      {
        int any = 0, ok_min = 1, ok_lag = 1;
        char m1[512] = "", m2[512] = "";
        for (int si = 0; si < NSVM; si++) {
          int p = ri * NSVM + si;
          if (opt[p][17] < 1 || fp.svm[si] < 1) continue;
          any = 1;
          int nr = (int)opt[p][17];
          double tol = nr > 1 ? 0.02 + 2 * opt[p][11] : 0.05;
          ok_min = ok_min && fabs(opt[p][10]) <= tol;
          ok_lag = ok_lag && opt[p][12] > 0 && (nr < 2 || opt[p][12] > 2 * opt[p][13]);
          snprintf(m1 + strlen(m1), sizeof m1 - strlen(m1), "%ssvm %g: %+.3f (tol %.3f, %d seed%s)", strlen(m1) ? "; " : "",
                   fp.svm[si], opt[p][10], tol, nr, nr > 1 ? "s" : "");
          snprintf(m2 + strlen(m2), sizeof m2 - strlen(m2), "%ssvm %g: random %.1f vs TA %.1f tau (lag %.1f = %.0f %%)",
                   strlen(m2) ? "; " : "", fp.svm[si], opt[p][8], opt[p][4], opt[p][12],
                   100 * opt[p][12] / opt[p][4]);
        }
        snprintf(id, sizeof id, "fig4-min-random-ta-r%d", R);
        /* a failure with the random student above TA everywhere has a physical reading (App. B): in deep nets the
         * random student's modes finish aligning only as their singular value grows, and the Nl = 5 minimum is a
         * dip during that growth, so residual misalignment raises it */
        int all_above = 1;
        for (int si = 0; si < NSVM; si++) {
          int p = ri * NSVM + si;
          if (opt[p][17] >= 1 && fp.svm[si] >= 1) all_above = all_above && opt[p][10] > 0;
        }
        if (!any) ts_claim_skip(c, id, "Fig. 4c,g", "random and TA reach the same minimum", "no random-init runs");
        else
          ts_claim_check(c, id, ri == 0 ? "Fig. 4c" : "Fig. 4g",
                         "randomly initialised and TA students reach the same min_t ln eps_test", "difference 0",
                         "paper text (Fig. 4 caption)", m1, ok_min,
                         "paired random - TA: <= 0.02 + 2 SE (>= 2 seeds), 0.05 with one seed (Nl = 3 per-seed "
                         "spread of the paired difference ~0.015 at svm >= 2)",
                         all_above ? "the random student's minimum is systematically above TA's (never below): in "
                                     "deep nets alignment completes only as the singular value grows (App. B, figure 9) "
                                     "and the Nl = 5 minimum is a dip during that growth, so the residual misalignment "
                                     "raises it; in fast mode this rests on one paired seed per svm" : NULL);
        snprintf(id, sizeof id, "fig4-random-lag-r%d", R);
        if (!any) ts_claim_skip(c, id, "Fig. 4d,h", "random students lag TA", "no random-init runs");
        else if (R > 1)
          ts_claim_row(c, id, "Fig. 4h", "random students reach the optimum later than TA (rank 3: reported only)",
                       "lag > 0", "paper text", m2, "not gated: the rank-3 minimum sits on a flat plateau "
                       "(reference sheet: skip rank-3 t_opt)", TS_SKIP, "reported, not gated");
        else
          ts_claim_check(c, id, "Fig. 4d",
                         "randomly initialised deep students reach their optimum much later than TA (alignment lag)",
                         "lag > 0", "paper text (Fig. 4 caption, App. B)", m2, ok_lag,
                         "paired lag > 0 (and > 2 SE with >= 2 seeds)", NULL);
      }
    }
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig4: runs %.1f s, total %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", t_runs - t_start,
          ts_wall_seconds() - t_start, counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int j = 0; j < njobs; j++) free(jr[j].rd_te);
  free(jr); free(store); free(th_tr); free(th_te); free(m_tr); free(m_te); free(se_tr); free(se_te); free(opt);
  free(trans);
  return 0;
}
