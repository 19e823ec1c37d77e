/* Lampinen & Ganguli 2019, figure 8: transfer benefit T^{A<-B} = min_t eps_A(trained on A alone)
 * - min_t eps_A(trained on A and B jointly) for two rank-1 tasks whose input modes overlap by q = vA.vB.
 * Setting [C] (transfer script at commit df10e43): N1 = 100 inputs, N3 = 50 outputs per task head, hidden 50 (joint and
 * separate networks), noise variance 1/N3 (sigma_z^2 = N1/N3 = 2 in the paper's units), TA initialisation, lr = 1e-3,
 * 5000 epochs evaluated every 5, eps = 1e-5, 10 seeds; sA in {0.84, 3, 100}, sB in {0.84, 3, 10, 30, 100},
 * q in {0, 0.1, ..., 1}.  Errors of task A are normalised by sA^2 (no logs).
 *
 * Simulation: the joint data are Sigma31 = [sA uA vA^T; sB uB vB^T] + Z (2 N3 x N1), vB = q vA + sqrt(1 - q^2) vperp;
 * the separate data are the top block (task A alone, the same noise rows).  TA gradient descent is exact per mode in
 * each data matrix's SVD basis (lg_ta_modes; modes from the top eigenpairs of S S^T); the error of head A reads (eq. 23 with P the projection on A's outputs)
 *   eps_A = [sum_a s_a^2 |P U_a|^2 - 2 sA sum_a s_a (P U_a . uA)(V_a . vA) + sA^2] / sA^2.
 * Common random numbers: seed s draws uA, uB, vA, vperp and Z once (ts_rng_seed_for(seed, s)) and every (sA, sB, q)
 * uses them, so differences between conditions are not blurred by independent draws.
 * Theory: the derived asymptotic transfer theory of the reference sheet (lg_transfer_theory; not in the paper). */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lampinen.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_linalg.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"

#define NSA 3
#define NSB 5
#define NQ 11
static const double sA_list[NSA] = {0.84, 3, 100};
static const double sB_list[NSB] = {0.84, 3, 10, 30, 100};

typedef struct {
  int n1, n3, hidden, every, n_eval;
  double lr, eps, noise_var;
} fig_params;

/* One seed's draws. */
typedef struct { double *uA, *uB, *vA, *vp, *Z; } draws;

/* min_t eps_A of TA training on the m x n1 data S (rows 0..n3-1 are head A).  The h = min(hidden, m) data modes
 * come from the top eigenpairs of S S^T (LAPACKE dsyevr: a few m^3 flops instead of a full SVD with vectors); only
 * |P U_a|^2 and (P U_a . uA)(V_a . vA) are needed, with V_a . vA = U_a . (S vA) / s_a.  Then the recurrences and
 * eq. (23) in the mode basis. */
static int min_error_A(const fig_params *fp, int m, const double *S, const double *uA, const double *vA, double sA,
                       double *emin)
{
  const int n1 = fp->n1, n3 = fp->n3, h = fp->hidden < m ? fp->hidden : m;
  double *G = malloc(sizeof(double) * (size_t)m * m), *U = malloc(sizeof(double) * (size_t)m * h);
  double *w = malloc(sizeof(double) * m), *s = malloc(sizeof(double) * h), *y = malloc(sizeof(double) * m);
  double *buf = malloc(sizeof(double) * (size_t)fp->n_eval * h);
  double *pa = malloc(sizeof(double) * h), *ca = malloc(sizeof(double) * h);
  lapack_int *isuppz = malloc(sizeof(lapack_int) * 2 * (size_t)m), found = 0;
  int rc = (!G || !U || !w || !s || !y || !buf || !pa || !ca || !isuppz) ? TS_ENOMEM : TS_OK;
  if (rc) goto out;
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, n1, 1.0, S, n1, 0.0, G, m);
  lapack_int info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'U', m, G, m, 0, 0, m - h + 1, m, 0.0, &found, w, U,
                                   h, isuppz);
  if (info != 0 || found != h) { rc = ts_error(TS_ELIB, "fig8: dsyevr failed (info %d)", (int)info); goto out; }
  cblas_dgemv(CblasRowMajor, CblasNoTrans, m, n1, 1.0, S, n1, vA, 1, 0.0, y, 1); /* y = S vA */
  /* eigenvalues ascending: data mode a (descending) is column h - 1 - a */
  for (int a = 0; a < h; a++) {
    const int col = h - 1 - a;
    double p = 0, du = 0, dy = 0;
    for (int i = 0; i < m; i++) {
      double u = U[(size_t)i * h + col];
      if (i < n3) { p += u * u; du += u * uA[i]; }
      dy += u * y[i];
    }
    s[a] = sqrt(fmax(w[col], 0.0));
    pa[a] = p;
    ca[a] = s[a] > 0 ? sA * du * dy / s[a] : 0.0;
  }
  if ((rc = lg_ta_modes(3, s, h, fp->eps, fp->lr, fp->every, fp->n_eval, buf))) goto out;
  double best = INFINITY;
  for (int e = 0; e < fp->n_eval; e++) {
    const double *sm = buf + (size_t)e * h;
    double num = sA * sA;
    for (int a = 0; a < h; a++) num += sm[a] * sm[a] * pa[a] - 2.0 * sm[a] * ca[a];
    best = fmin(best, num / (sA * sA));
  }
  *emin = best;
out:
  free(G); free(U); free(w); free(s); free(y); free(buf); free(pa); free(ca); free(isuppz);
  return rc;
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/lampinen2019", 2019, 0};
  fig_params fp = {100, 50, 50, 5, 0, 1e-3, 1e-5, 0};
  int seeds = 0;
  long epochs = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--n1", TS_OPT_INT, &fp.n1, "inputs N1", 0},
                   {"--n3", TS_OPT_INT, &fp.n3, "outputs per task head N3 (2 N3 <= N1)", 0},
                   {"--hidden", TS_OPT_INT, &fp.hidden, "hidden units", 0},
                   {"--seeds", TS_OPT_INT, &seeds, "seeds (default 10; smoke 2)", 0},
                   {"--epochs", TS_OPT_LONG, &epochs, "epochs (default 5000; smoke 500)", 0},
                   {"--lr", TS_OPT_DOUBLE, &fp.lr, "learning rate", 0},
                   {"--eps", TS_OPT_DOUBLE, &fp.eps, "initial singular value", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig8 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Lampinen & Ganguli 2019 figure 8: transfer benefit, TA simulations and "
                                          "the derived asymptotic theory.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = strcmp(fa.mode, "smoke") == 0;
  if (!seeds) seeds = smoke ? 2 : 10;
  if (!epochs) epochs = smoke ? 500 : 5000;
  if (smoke && !ts_cli_seen(opts, "--n1")) { fp.n1 = 40; fp.n3 = 20; fp.hidden = 20; }
  if (fp.n3 < 2 || 2 * fp.n3 > fp.n1 || fp.hidden < 2) return ts_cli_fail("need 2 <= N3, 2 N3 <= N1, hidden >= 2");
  if (seeds < 2 || seeds > 1000) return ts_cli_fail("--seeds must be in 2..1000");
  if (epochs < fp.every || !(fp.lr > 0 && fp.lr < 1e-2) || !(fp.eps > 0 && fp.eps < 0.1))
    return ts_cli_fail("need epochs >= %d, 0 < lr < 0.01 (lr shat < 1 at shat ~ 100), 0 < eps < 0.1", fp.every);
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  openblas_set_num_threads(1);
  double t0 = ts_wall_seconds();
  fp.n_eval = (int)(epochs / fp.every) + 1;
  fp.noise_var = 1.0 / fp.n3;
  const int n1 = fp.n1, n3 = fp.n3;
  const double q_step = 0.1;
  const int nodes = smoke ? 64 : 128; /* Gauss-Legendre nodes of the theory's MP averages */

  /* draws per seed */
  draws *dr = calloc((size_t)seeds, sizeof *dr);
  if (!dr) return 1;
  for (int s = 0; s < seeds; s++) {
    ts_rng *r = ts_rng_alloc(ts_rng_seed_for(fa.seed, (uint64_t)s), 0);
    double *u2 = malloc(sizeof(double) * 2 * n3), *v2 = malloc(sizeof(double) * 2 * n1);
    dr[s].uA = malloc(sizeof(double) * n3);
    dr[s].uB = malloc(sizeof(double) * n3);
    dr[s].vA = malloc(sizeof(double) * n1);
    dr[s].vp = malloc(sizeof(double) * n1);
    dr[s].Z = malloc(sizeof(double) * 2 * n3 * n1);
    if (!r || !u2 || !v2 || !dr[s].uA || !dr[s].uB || !dr[s].vA || !dr[s].vp || !dr[s].Z) return 1;
    /* uA, uB: independent unit vectors (different heads); vA, vperp: orthonormal pair (Haar frame) */
    ts_rng_gaussian_fill(r, u2, 2 * (size_t)n3);
    ts_rng_gaussian_fill(r, v2, 2 * (size_t)n1);
    if (ts_orthonormal_rows(1, n3, u2, 1.0) || ts_orthonormal_rows(1, n3, u2 + n3, 1.0) ||
        ts_orthonormal_rows(2, n1, v2, 1.0))
      return 1;
    memcpy(dr[s].uA, u2, sizeof(double) * n3);
    memcpy(dr[s].uB, u2 + n3, sizeof(double) * n3);
    memcpy(dr[s].vA, v2, sizeof(double) * n1);
    memcpy(dr[s].vp, v2 + n1, sizeof(double) * n1);
    ts_rng_gaussian_fill(r, dr[s].Z, 2 * (size_t)n3 * n1);
    for (size_t i = 0; i < 2 * (size_t)n3 * n1; i++) dr[s].Z[i] *= sqrt(fp.noise_var);
    free(u2);
    free(v2);
    ts_rng_free(r);
  }

  /* separate runs (sA, seed) and joint runs (sA, sB, q, seed) */
  const int nsep = NSA * seeds, njoint = NSA * NSB * NQ * seeds;
  double *esep = calloc((size_t)nsep, sizeof(double)), *ejoint = calloc((size_t)njoint, sizeof(double));
  int *st = calloc((size_t)(nsep + njoint), sizeof(int));
  if (!esep || !ejoint || !st) return 1;
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = 0; j < nsep + njoint; j++) {
    int joint = j >= nsep, jj = joint ? j - nsep : j;
    int s = jj % seeds, ia = joint ? jj / (NSB * NQ * seeds) : jj / seeds;
    int ib = joint ? (jj / (NQ * seeds)) % NSB : 0, iq = joint ? (jj / seeds) % NQ : 0;
    const draws *d = &dr[s];
    const double sA = sA_list[ia], sB = sB_list[ib], q = iq * q_step, qp = sqrt(fmax(0.0, 1 - q * q));
    const int m = joint ? 2 * n3 : n3;
    double *S = malloc(sizeof(double) * (size_t)m * n1);
    if (!S) { st[j] = TS_ENOMEM; continue; }
    for (int i = 0; i < m; i++)
      for (int c = 0; c < n1; c++) {
        double w = i < n3 ? sA * d->uA[i] * d->vA[c] : sB * d->uB[i - n3] * (q * d->vA[c] + qp * d->vp[c]);
        S[(size_t)i * n1 + c] = w + d->Z[(size_t)i * n1 + c];
      }
    st[j] = min_error_A(&fp, m, S, d->uA, d->vA, sA, joint ? &ejoint[jj] : &esep[jj]);
    free(S);
  }
  for (int j = 0; j < nsep + njoint; j++)
    if (st[j]) return ts_error(st[j], "fig8: run %d failed", j), 1;
  double t_runs = ts_wall_seconds() - t0;

  /* T per (sA, sB, q): mean and SE over seeds (paired: each seed's separate run); theory */
  const int ncond = NSA * NSB * NQ;
  double *Tm = malloc(sizeof(double) * ncond), *Ts = malloc(sizeof(double) * ncond), *Tth = malloc(sizeof(double) * ncond);
  double *th_sep = malloc(sizeof(double) * ncond), *th_joint = malloc(sizeof(double) * ncond);
  int *th_st = calloc((size_t)ncond, sizeof(int));
  if (!Tm || !Ts || !Tth || !th_sep || !th_joint || !th_st) return 1;
  const double sz = sqrt(n1 * fp.noise_var);
#pragma omp parallel for schedule(dynamic, 1)
  for (int cidx = 0; cidx < ncond; cidx++) {
    int ia = cidx / (NSB * NQ), ib = (cidx / NQ) % NSB, iq = cidx % NQ;
    double m = 0, v = 0;
    for (int s = 0; s < seeds; s++) m += (esep[ia * seeds + s] - ejoint[(size_t)cidx * seeds + s]) / seeds;
    for (int s = 0; s < seeds; s++) {
      double d = esep[ia * seeds + s] - ejoint[(size_t)cidx * seeds + s] - m;
      v += d * d / (seeds - 1);
    }
    Tm[cidx] = m;
    Ts[cidx] = sqrt(v / seeds);
    th_st[cidx] = lg_transfer_theory(sA_list[ia], sB_list[ib], iq * q_step, n1, n3, fp.hidden, sz, fp.eps,
                                     epochs * fp.lr, nodes, &th_sep[cidx], &th_joint[cidx]);
    Tth[cidx] = th_sep[cidx] - th_joint[cidx];
  }
  for (int cidx = 0; cidx < ncond; cidx++)
    if (th_st[cidx]) return ts_error(th_st[cidx], "fig8: theory failed at condition %d", cidx), 1;

  char path[1024];
  snprintf(path, sizeof path, "%s/fig8.tsv", fa.outdir);
  ts_table *tb = ts_table_open(path, "lampinen2019/fig8");
  if (!tb) return 1;
  ts_table_meta(tb, "mode", "%s", fa.mode);
  ts_table_meta(tb, "N1", "%d", n1);
  ts_table_meta(tb, "N3", "%d per task head (joint network: %d outputs)", n3, 2 * n3);
  ts_table_meta(tb, "hidden", "%d", fp.hidden);
  ts_table_meta(tb, "noise", "variance 1/N3 = %g (sigma_z^2 = N1/N3 = %g)", fp.noise_var, sz * sz);
  ts_table_meta(tb, "gd", "TA init, exact per-mode recurrences, lr=%g, eps=%g, %ld epochs, eval every %d", fp.lr,
                fp.eps, epochs, fp.every);
  ts_table_meta(tb, "seeds", "%d; seed s draws uA, uB, vA, vperp, Z with ts_rng_seed_for(seed=%llu, s), shared by "
                "every (sA, sB, q)", seeds, (unsigned long long)fa.seed);
  ts_table_meta(tb, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(tb, "theory", "derived asymptotic transfer theory (reference sheet, App. D; not in the paper), "
                "minima over t in [0, %g] tau, %d Gauss-Legendre nodes", epochs * fp.lr, nodes);
  ts_table_meta(tb, "wall_seconds_runs", "%.2f", t_runs);
  ts_table_meta(tb, "content", "per (sA, sB, q): T = min eps_A,sep - min eps_A,joint (errors / sA^2), mean and SE "
                "over seeds (paired), the theory's T and its two minima; gnuplot index = sA block * %d + sB block", NSB);
  ts_table_columns(tb, 8, (const char *[]){"sA", "sB", "q", "T", "T_se", "T_theory", "sep_theory", "joint_theory"});
  for (int cidx = 0; cidx < ncond; cidx++) {
    int ia = cidx / (NSB * NQ), ib = (cidx / NQ) % NSB, iq = cidx % NQ;
    if (cidx && iq == 0) fputs("\n\n", ts_table_stream(tb));
    double row[8] = {sA_list[ia], sB_list[ib], iq * q_step, Tm[cidx], Ts[cidx], Tth[cidx], th_sep[cidx],
                     th_joint[cidx]};
    if (ts_table_row(tb, 8, row)) { ts_table_discard(tb); return 1; }
  }
  if (ts_table_close(tb)) return 1;

  /* ---- claims (rules fixed before the results were seen) -------------------------------------------------- */
  snprintf(path, sizeof path, "%s/fig8.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], rule[512];
  const char *skip = "smoke: N1 = 40, 2 seeds";
#define IDX(ia, ib, iq) (((ia) * NSB + (ib)) * NQ + (iq))
  /* C1: sA = 0.84 (weak, below threshold at sigma_z^2 = 2): T >= 0 wherever |T| > 2 SE, and T(q = 1) > T(q = 0) for
   * every sB (difference > 2 SE of the paired difference, bounded by sqrt(SE1^2 + SE2^2)) */
  {
    int neg = 0, gated = 0, inc = 1;
    double tmin = INFINITY;
    for (int ib = 0; ib < NSB; ib++) {
      for (int iq = 0; iq < NQ; iq++) {
        int x = IDX(0, ib, iq);
        if (fabs(Tm[x]) > 2 * Ts[x]) { gated++; neg += Tm[x] < 0; }
        tmin = fmin(tmin, Tm[x]);
      }
      int a = IDX(0, ib, 0), b = IDX(0, ib, NQ - 1);
      inc = inc && Tm[b] - Tm[a] > 2 * sqrt(Ts[a] * Ts[a] + Ts[b] * Ts[b]);
    }
    snprintf(meas, sizeof meas, "%d of %d resolved points (|T| > 2 SE) negative; smallest T %.3g; T(q=1) - T(q=0) > 2 SE "
             "for every sB: %s", neg, gated, tmin, inc ? "yes" : "no");
    if (smoke) ts_claim_skip(c, "fig8-weak-positive", "Fig. 8, sA = 0.84", "weak task A benefits", skip);
    else ts_claim_check(c, "fig8-weak-positive", "Fig. 8 left, sec. 5",
                        "a weak task (sA = 0.84) always benefits from joint training, more as q grows",
                        "T >= 0, increasing in q", "paper (empirical)", meas, neg == 0 && inc,
                        "no resolved negative T; T(1) - T(0) > 2 sqrt(SE0^2 + SE1^2) for each sB",
                        "finite-N effect: at sigma_z^2 = 2 the weak mode (sA/sigma_z = 0.59) is below the threshold "
                        "A^1/4 = 0.84, yet at N3 = 50 the separate network's early-stopped error dips ~1 % below 1 "
                        "(sub-threshold modes keep O(N^-1/2) alignment, cf. fig2c-*-below); joint training with an "
                        "unrelated task (A_j = 1, more bulk modes) loses that dip, so T ~ -0.01 at small q; the "
                        "asymptotic theory gives T = 0 there.  T rises with q as claimed");
  }
  /* C2: sA = 3: T < 0 for large sB (30, 100) at small q (0, 0.1) where resolved, and T > 0 at q = 1 */
  {
    int bad = 0, gated = 0, pos1 = 1;
    char list[256] = "";
    for (int ib = 3; ib < NSB; ib++) {
      for (int iq = 0; iq <= 1; iq++) {
        int x = IDX(1, ib, iq);
        if (fabs(Tm[x]) > 2 * Ts[x]) { gated++; bad += Tm[x] >= 0; }
      }
      int y = IDX(1, ib, NQ - 1);
      pos1 = pos1 && Tm[y] > 2 * Ts[y];
      size_t l = strlen(list);
      snprintf(list + l, sizeof list - l, "%ssB %g: T(q=0) = %.3g +- %.2g, T(q=1) = %.3g +- %.2g", l ? "; " : "",
               sB_list[ib], Tm[IDX(1, ib, 0)], Ts[IDX(1, ib, 0)], Tm[y], Ts[y]);
    }
    snprintf(meas, sizeof meas, "%s; %d of %d resolved small-q points not negative", list, bad, gated);
    if (smoke) ts_claim_skip(c, "fig8-mid-sign-change", "Fig. 8, sA = 3", "negative transfer turns positive", skip);
    else ts_claim_check(c, "fig8-mid-sign-change", "Fig. 8 middle, sec. 5",
                        "sA = 3: a strong unrelated task hurts (T < 0 at large sB, small q) and helps as q -> 1",
                        "T < 0 at q <= 0.1, T > 0 at q = 1 (sB = 30, 100)", "paper (empirical)", meas,
                        bad == 0 && gated > 0 && pos1,
                        "resolved (|T| > 2 SE) small-q points negative, at least one resolved; T(q=1) > 2 SE", NULL);
  }
  /* C3: sA = 100: |T| <~ 1e-4 everywhere, negative unless q ~ 1 (q <= 0.8 where resolved) */
  {
    double tmax = 0;
    int bad = 0, gated = 0;
    for (int ib = 0; ib < NSB; ib++)
      for (int iq = 0; iq < NQ; iq++) {
        int x = IDX(2, ib, iq);
        tmax = fmax(tmax, fabs(Tm[x]));
        if (iq <= 8 && fabs(Tm[x]) > 2 * Ts[x]) { gated++; bad += Tm[x] >= 0; }
      }
    snprintf(meas, sizeof meas, "max |T| = %.3g; %d of %d resolved points with q <= 0.8 not negative", tmax, bad, gated);
    if (smoke) ts_claim_skip(c, "fig8-strong-small", "Fig. 8, sA = 100", "strong task: tiny negative T", skip);
    else ts_claim_check(c, "fig8-strong-small", "Fig. 8 right, sec. 5",
                        "a strong task (sA = 100) is barely affected: |T| <~ 1e-4, negative unless q ~ 1",
                        "|T| <= 1e-4 (x2: '<~'), T < 0 for q <= 0.8", "paper (empirical)", meas,
                        tmax <= 2e-4 && bad == 0, "max |T| <= 2e-4; no resolved non-negative T at q <= 0.8", NULL);
  }
  /* C4: simulation vs the derived asymptotic theory: |T_sim - T_th| <= 3 SE + 0.2 |T_th| (finite size at N3 = 50:
   * the theory matched faithful simulations to ~2 SE / 20 %, reference sheet), per sA */
  for (int ia = 0; ia < NSA; ia++) {
    double wr = 0, wd = 0, wth = 0, wsb = 0, wq = 0;
    int nbad = 0;
    for (int ib = 0; ib < NSB; ib++)
      for (int iq = 0; iq < NQ; iq++) {
        int x = IDX(ia, ib, iq);
        double d = fabs(Tm[x] - Tth[x]), tol = 3 * Ts[x] + 0.2 * fabs(Tth[x]);
        double r_ = tol > 0 ? d / tol : (d > 0 ? INFINITY : 0);
        nbad += r_ > 1;
        if (r_ > wr) { wr = r_; wd = d; wth = Tth[x]; wsb = sB_list[ib]; wq = iq * q_step; }
      }
    char id[64], stt[256];
    snprintf(id, sizeof id, "fig8-theory-sA%g", sA_list[ia]);
    snprintf(stt, sizeof stt, "sA = %g: simulated T matches the derived asymptotic theory (55 points)", sA_list[ia]);
    snprintf(meas, sizeof meas, "%d of 55 outside; worst |diff|/tol = %.2f (|diff| %.3g, theory %.3g at sB = %g, q = "
             "%.1f)", nbad, wr, wd, wth, wsb, wq);
    snprintf(rule, sizeof rule, "|T_sim - T_theory| <= 3 SE + 0.2 |T_theory| at every point");
    if (smoke) ts_claim_skip(c, id, "Fig. 8", stt, skip);
    else ts_claim_check(c, id, "Fig. 8, App. D (derived theory)", stt, "theory", "derived asymptotic theory "
                        "(reference sheet)", meas, nbad == 0, rule,
                        ia == 0 ? "the asymptotic theory has no finite-N dip of the sub-threshold task (T_theory = 0 "
                                  "at small q, simulation -0.01; see fig8-weak-positive); above q ~ 0.4 it tracks "
                                  "the simulation"
                        : ia == 2 ? "at q = 0 the theory's T (only the bulk's aspect ratio changes) is ~1e-8, while "
                                    "the simulation resolves a finite-N negative transfer of ~1e-6 (1 % of the "
                                    "paper's 1e-4 scale); the rule has no absolute finite-size term"
                                  : NULL);
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig8: runs %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", t_runs, counts[TS_PASS],
          counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  for (int s = 0; s < seeds; s++) { free(dr[s].uA); free(dr[s].uB); free(dr[s].vA); free(dr[s].vp); free(dr[s].Z); }
  free(dr); free(esep); free(ejoint); free(st); free(Tm); free(Ts); free(Tth); free(th_sep); free(th_joint);
  free(th_st);
  return 0;
}
