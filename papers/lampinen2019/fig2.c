/* Lampinen & Ganguli 2019, figure 2: the singular values of noisy data Sigma31 = Wbar + Z and their alignment with the
 * teacher, against random matrix theory.
 *   (a) histogram of the singular values of one draw, A = 1/2, rank 3, sbar = 9, 6, 3: the Marchenko-Pastur bulk
 *       (eq. 13, count (N3 - 3) x bin mass) and three outliers at shat(sbar) (eq. 11)          -> fig2.tsv, fig2_out.tsv
 *   (b) shat(sbar) and (c) O(sbar) = |ubar.uhat| |vbar.vhat| (eq. 12, and its two factors) for A = 1/4, 1/2, 3/4, 1,
 *       rank 1, sbar = 0, 0.5, ..., 4.5, mean +- 1.96 SE over draws              -> fig2_bc.tsv, fig2_theory.tsv
 * Sizes: the caption says N1 = N3 = 100, the authors' code uses N1 = 1000, N3 = 1000 A [C]; noise variance 1/N1
 * (sigma_z = 1).  Fast mode uses N1 = 400 for panels b, c (panel a keeps N1 = 1000); full mode N1 = 1000 throughout.
 * Panels b, c need only the top singular triplet: lg_top_mode (top eigenpair of Sigma31 Sigma31^T).
 * Randomness: draw j uses stream ts_rng_seed_for(seed, j) (j = 0 panel a; 1 + (iA n_sbar + is) n_draws + d). */
#include <cblas.h>
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
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_table.h"
#include "ts_util.h"

#define NA 4
static const double A_list[NA] = {0.25, 0.5, 0.75, 1.0};
#define MAXS 32
#define BIN 0.2

typedef struct { double sh, o, oout, oin; int status; } mc_row;

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/lampinen2019", 2019, 0};
  int n1 = 0, n1a = 0, nd = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--n1", TS_OPT_INT, &n1, "N1 of panels b, c (mode default: fast 400, full 1000, smoke 60)", 0},
                   {"--n1a", TS_OPT_INT, &n1a, "N1 of panel a (default 1000; smoke 100)", 0},
                   {"--draws", TS_OPT_INT, &nd, "draws per point of panels b, c (default 10; smoke 2)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts, "fig2 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                                          "Lampinen & Ganguli 2019 figure 2: noisy spectra vs eqs. (11)-(13).");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (!n1) n1 = smoke ? 60 : full ? 1000 : 400;
  if (!n1a) n1a = smoke ? 100 : 1000;
  if (!nd) nd = smoke ? 2 : 10;
  if (n1 < 8 || n1 > 4000 || n1a < 8 || n1a > 4000) return ts_cli_fail("--n1, --n1a must be in 8..4000");
  if (nd < 2 || nd > 1000) return ts_cli_fail("--draws must be in 2..1000 (got %d)", nd);
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  openblas_set_num_threads(1); /* parallel over draws */
  double t0 = ts_wall_seconds();
  int ns = smoke ? 4 : 10;
  double sbars[MAXS];
  for (int i = 0; i < ns; i++) sbars[i] = smoke ? 1.5 * i : 0.5 * i;

  /* ---- panel a: one draw, all singular values ------------------------------------------------------------- */
  const int n3a = n1a / 2;
  lg_task *ta = lg_task_alloc(n1a, n3a, 3);
  if (!ta) return 1;
  ts_rng *r = ts_rng_alloc(ts_rng_seed_for(fa.seed, 0), 0);
  if (!r || lg_task_draw_data(ta, 3.0, 1.0 / n1a, r)) return 1;
  double *sv = malloc(sizeof(double) * n3a);
  if (!sv || ts_svd(n3a, n1a, ta->s31, NULL, sv, NULL)) return 1;
  ts_rng_free(r);

  /* ---- panels b, c: top mode of rank-1 draws --------------------------------------------------------------- */
  const int nrun = NA * ns * nd;
  mc_row *mc = calloc((size_t)nrun, sizeof *mc);
  if (!mc) return 1;
  ts_progress *prog = ts_progress_start("fig2 draws", (double)nrun);
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = 0; j < nrun; j++) {
    int ia = j / (ns * nd), is = (j / nd) % ns;
    int n3 = (int)lround(A_list[ia] * n1);
    lg_task *t = lg_task_alloc(n1, n3, 1);
    ts_rng *rr = ts_rng_alloc(ts_rng_seed_for(fa.seed, 1 + (uint64_t)j), 0);
    double *u = malloc(sizeof(double) * n3), *v = malloc(sizeof(double) * n1);
    mc[j].status = (!t || !rr || !u || !v) ? TS_ENOMEM : lg_task_draw_data(t, sbars[is], 1.0 / n1, rr);
    if (!mc[j].status) mc[j].status = lg_top_mode(n3, n1, t->s31, &mc[j].sh, u, v);
    if (!mc[j].status) {
      double pu = cblas_ddot(n3, u, 1, t->ubar, 1), pv = cblas_ddot(n1, v, 1, t->vbar, 1);
      mc[j].oout = fabs(pu);
      mc[j].oin = fabs(pv);
      mc[j].o = fabs(pu * pv);
    }
    free(u);
    free(v);
    ts_rng_free(rr);
    lg_task_free(t);
    ts_progress_add(prog, 1);
  }
  ts_progress_end(prog);
  for (int j = 0; j < nrun; j++)
    if (mc[j].status) return ts_error(mc[j].status, "fig2: draw %d failed", j), 1;
  double t_runs = ts_wall_seconds() - t0;

  char path[1024];
#define META(t)                                                                                                     \
  do {                                                                                                              \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                        \
    ts_table_meta(t, "noise", "Z_ij ~ N(0, 1/N1) (sigma_z = 1)");                                                   \
    ts_table_meta(t, "panel_a", "N1=%d N3=%d A=0.5 rank 3 sbar = 9 6 3, one draw (stream seed_for(seed, 0))", n1a,  \
                  n3a);                                                                                             \
    ts_table_meta(t, "panel_bc", "N1=%d, N3 = A N1, A = 0.25 0.5 0.75 1, rank 1, %d sbar values 0..%g, %d draws; "  \
                  "top mode from the top eigenpair of S S^T (dsyevr)", n1, ns, sbars[ns - 1], nd);                  \
    ts_table_meta(t, "seed", "%llu (draw j: ts_rng_seed_for(seed, j))", (unsigned long long)fa.seed);               \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                             \
    ts_table_meta(t, "wall_seconds_runs", "%.2f", t_runs);                                                          \
  } while (0)

  /* histogram of panel a (bins of 0.2 from 0) with the MP count of each bin */
  snprintf(path, sizeof path, "%s/fig2.tsv", fa.outdir);
  ts_table *tb = ts_table_open(path, "lampinen2019/fig2");
  if (!tb) return 1;
  META(tb);
  ts_table_meta(tb, "content", "panel a: histogram of all %d singular values (bin width %g, centre), count, and the "
                "MP expectation (N3 - 3) x bulk mass of the bin (eq. 13)", n3a, BIN);
  ts_table_columns(tb, 3, (const char *[]){"bin_centre", "count", "mp_count"});
  int nbins = (int)ceil((sv[0] + BIN) / BIN);
  for (int b = 0; b < nbins; b++) {
    double lo = b * BIN, hi = lo + BIN, cnt = 0;
    for (int i = 0; i < n3a; i++) cnt += sv[i] >= lo && sv[i] < hi;
    double mp = (n3a - 3) * (lg_mp_mass_above(lo, 0.5) - lg_mp_mass_above(hi, 0.5));
    double row[3] = {lo + 0.5 * BIN, cnt, mp};
    if (ts_table_row(tb, 3, row)) { ts_table_discard(tb); return 1; }
  }
  if (ts_table_close(tb)) return 1;

  snprintf(path, sizeof path, "%s/fig2_out.tsv", fa.outdir);
  tb = ts_table_open(path, "lampinen2019/fig2");
  if (!tb) return 1;
  META(tb);
  ts_table_meta(tb, "content", "panel a: the three largest singular values and eq. (11) at sbar = 9, 6, 3, A = 0.5");
  ts_table_columns(tb, 3, (const char *[]){"sbar", "shat", "shat_theory"});
  for (int a = 0; a < 3; a++) {
    double row[3] = {ta->sbar[a], sv[a], lg_shat(ta->sbar[a], 0.5)};
    if (ts_table_row(tb, 3, row)) { ts_table_discard(tb); return 1; }
  }
  if (ts_table_close(tb)) return 1;

  /* means and SEs of panels b, c */
  double (*st)[8] = calloc((size_t)NA * ns, sizeof *st); /* mean, se of sh, o, oout, oin */
  if (!st) return 1;
  for (int k = 0; k < NA * ns; k++) {
    const mc_row *m = mc + (size_t)k * nd;
    for (int q = 0; q < 4; q++) {
      double mean = 0, var = 0;
      for (int d = 0; d < nd; d++) mean += (q == 0 ? m[d].sh : q == 1 ? m[d].o : q == 2 ? m[d].oout : m[d].oin) / nd;
      for (int d = 0; d < nd; d++) {
        double x = q == 0 ? m[d].sh : q == 1 ? m[d].o : q == 2 ? m[d].oout : m[d].oin;
        var += (x - mean) * (x - mean) / (nd - 1);
      }
      st[k][2 * q] = mean;
      st[k][2 * q + 1] = sqrt(var / nd);
    }
  }
  snprintf(path, sizeof path, "%s/fig2_bc.tsv", fa.outdir);
  tb = ts_table_open(path, "lampinen2019/fig2");
  if (!tb) return 1;
  META(tb);
  ts_table_meta(tb, "content", "panels b, c: per (A, sbar): mean and SE over draws of the top singular value shat, of "
                "O = |ubar.uhat||vbar.vhat| and of its output/input factors; theory eqs. (11), (12)");
  ts_table_columns(tb, 14, (const char *[]){"A", "sbar", "shat", "shat_se", "O", "O_se", "O_out", "O_out_se", "O_in",
                                            "O_in_se", "shat_th", "O_th", "O_out_th", "O_in_th"});
  for (int ia = 0; ia < NA; ia++)
    for (int is = 0; is < ns; is++) {
      double *m = st[ia * ns + is], oo, oi;
      double oth = lg_overlap(sbars[is], A_list[ia], &oo, &oi);
      double row[14] = {A_list[ia], sbars[is], m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7],
                        lg_shat(sbars[is], A_list[ia]), oth, oo, oi};
      if (ts_table_row(tb, 14, row)) { ts_table_discard(tb); return 1; }
    }
  if (ts_table_close(tb)) return 1;

  snprintf(path, sizeof path, "%s/fig2_theory.tsv", fa.outdir);
  tb = ts_table_open(path, "lampinen2019/fig2");
  if (!tb) return 1;
  META(tb);
  ts_table_meta(tb, "content", "theory curves: eq. (11) shat(sbar) and eq. (12) O(sbar) on a fine grid, one block "
                "(gnuplot index) per A = 0.25, 0.5, 0.75, 1");
  ts_table_columns(tb, 4, (const char *[]){"A", "sbar", "shat_th", "O_th"});
  for (int ia = 0; ia < NA; ia++) {
    if (ia) fputs("\n\n", ts_table_stream(tb));
    for (int i = 0; i <= 500; i++) {
      double sb = 5.0 * i / 500;
      double row[4] = {A_list[ia], sb, lg_shat(sb, A_list[ia]), lg_overlap(sb, A_list[ia], NULL, NULL)};
      if (ts_table_row(tb, 4, row)) { ts_table_discard(tb); return 1; }
    }
  }
  if (ts_table_close(tb)) return 1;

  /* ---- claims (rules written before the results were seen) ------------------------------------------------ */
  snprintf(path, sizeof path, "%s/fig2.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], rule[512];
  /* C1 outliers: an outlier singular value fluctuates by O(sigma_z N1^-1/2) (Gaussian, O(1) prefactor): 4/sqrt(N1) */
  double worst = 0;
  for (int a = 0; a < 3; a++) worst = fmax(worst, fabs(sv[a] - lg_shat(ta->sbar[a], 0.5)));
  snprintf(meas, sizeof meas, "shat = %.4f, %.4f, %.4f (theory %.4f, %.4f, %.4f); max |diff| %.4f", sv[0], sv[1], sv[2],
           lg_shat(9, 0.5), lg_shat(6, 0.5), lg_shat(3, 0.5), worst);
  snprintf(rule, sizeof rule, "max |diff| <= 4/sqrt(N1) = %.3f (outlier fluctuations O(N1^-1/2))", 4 / sqrt(n1a));
  ts_claim_check(c, "fig2a-outliers", "Fig. 2a, eq. (11)", "the three outliers sit at shat(sbar) = 9.083, 6.125, 3.249",
                 "9.083, 6.125, 3.249", "eq. (11), A = 1/2", meas, worst <= 4 / sqrt(n1a), rule, NULL);
  /* C2 bulk support: edge fluctuations are Tracy-Widom, scale N3^-2/3; allow 4 of them */
  double edge = 1 + sqrt(0.5), low = 1 - sqrt(0.5), dev = fmax(sv[3] - edge, low - sv[n3a - 1]);
  snprintf(meas, sizeof meas, "bulk in [%.4f, %.4f], support [%.4f, %.4f]", sv[n3a - 1], sv[3], low, edge);
  snprintf(rule, sizeof rule, "bulk within the support +- 4 N3^-2/3 = %.3f (Tracy-Widom edge scale)",
           4 * pow(n3a, -2.0 / 3));
  ts_claim_check(c, "fig2a-bulk", "Fig. 2a, eq. (13)", "the other N3 - 3 values fill the MP support [1 - sqrt A, 1 + sqrt A]",
                 "[0.293, 1.707]", "eq. (13)", meas, dev <= 4 * pow(n3a, -2.0 / 3), rule, NULL);
  /* C3 bulk second moment: <x^2> = 1 (eq. 13); the three spikes take O(1/N3) of the noise power: 5/N3 */
  double m2 = 0;
  for (int i = 3; i < n3a; i++) m2 += sv[i] * sv[i] / (n3a - 3);
  ts_claim_close(c, "fig2a-bulk-moment", "Fig. 2a, eq. (13)", "mean square of the bulk singular values", 1.0,
                 "eq. (13): <x^2>_MP = 1", m2, 0, 5.0 / n3a, "|diff| <= 5/N3 (O(1/N3) spike corrections)", NULL);
  /* C4-C7 panels b, c.  Away from threshold (|sbar - A^1/4| >= 0.5): |mean - theory| <= 5 SE + 2/N3 (the SE covers
   * the O(N^-1/2) fluctuations; the bias is O(1/N)).  Near threshold the BBP transition is smeared over
   * sbar ~ N3^-1/3: 5 SE + N3^-1/3.  Below threshold a single factor |ubar.uhat| or |vbar.vhat| is the modulus of an
   * O(n^-1/2) projection (n = N3 or N1; a random unit vector gives sqrt(2/(pi n))), so its theory value 0 is the
   * n -> inf limit: these points form their own claim, mean sqrt(n) <= 3 (amended after the first run, which gated
   * them with the O(1/N) rule of the product O: 0.055 at A = 1, sbar = 0.5, N1 = 400). */
  const char *names[4] = {"shat", "O", "O_out", "O_in"};
  const char *ids[4] = {"fig2b-shat", "fig2c-overlap", "fig2c-out-factor", "fig2c-in-factor"};
  for (int q = 0; q < 4; q++)
    for (int reg = 0; reg < 3; reg++) { /* 0 away (above, and below for shat and O), 1 near, 2 below (factors) */
      if (reg == 2 && q < 2) continue;
      double wr = 0, wd = 0, wa = 0, ws = 0;
      int cnt = 0;
      for (int ia = 0; ia < NA; ia++) {
        int n3 = (int)lround(A_list[ia] * n1);
        for (int is = 0; is < ns; is++) {
          double sb = sbars[is], A = A_list[ia], thr = pow(A, 0.25);
          int r_ = fabs(sb - thr) < 0.5 ? 1 : (sb < thr && q >= 2) ? 2 : 0;
          if (r_ != reg) continue;
          double oo, oi, th;
          double ov = lg_overlap(sb, A, &oo, &oi);
          th = q == 0 ? lg_shat(sb, A) : q == 1 ? ov : q == 2 ? oo : oi;
          const double *m = st[ia * ns + is];
          double d = fabs(m[2 * q] - th), tol;
          if (reg == 2) tol = 3.0 / sqrt(q == 2 ? n3 : n1);
          else tol = 5 * m[2 * q + 1] + (reg == 1 ? pow(n3, -1.0 / 3) : 2.0 / n3);
          cnt++;
          if (d / tol > wr) { wr = d / tol; wd = d; wa = A; ws = sb; }
        }
      }
      char id[64], stt[256];
      static const char *suffix[3] = {"", "-threshold", "-below"};
      static const char *where[3] = {"away from the threshold", "near the threshold |sbar - A^1/4| < 0.5",
                                     "below the threshold (theory 0): O(n^-1/2) at finite n"};
      snprintf(id, sizeof id, "%s%s", ids[q], suffix[reg]);
      snprintf(stt, sizeof stt, "Monte Carlo %s matches eq. (%s) %s (%d points, N1 = %d, %d draws)", names[q],
               q == 0 ? "11" : "12", where[reg], cnt, n1, nd);
      if (!cnt) { ts_claim_skip(c, id, q == 0 ? "Fig. 2b" : "Fig. 2c", stt, "no points in this regime"); continue; }
      snprintf(meas, sizeof meas, "worst |mean - theory| / tolerance = %.2f (|diff| %.4f at A = %g, sbar = %g)", wr, wd,
               wa, ws);
      snprintf(rule, sizeof rule, "|mean - theory| <= %s at every point",
               reg == 2 ? "3 n^-1/2 (n = N3 for the output factor, N1 for the input factor)"
               : reg == 1 ? "5 SE + N3^-1/3 (BBP width)" : "5 SE + 2/N3");
      ts_claim_check(c, id, q == 0 ? "Fig. 2b, eq. (11)" : "Fig. 2c, eq. (12)", stt, "theory", q == 0 ? "eq. (11)"
                     : "eq. (12)", meas, wr <= 1, rule, NULL);
    }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig2: runs %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", t_runs, counts[TS_PASS],
          counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  free(st);
  free(mc);
  free(sv);
  lg_task_free(ta);
  return 0;
}
