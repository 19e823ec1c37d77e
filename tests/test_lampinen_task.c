/* Tests of papers/lampinen2019/lib_task.c: the teacher and data draw, eq. (5) errors, the mode-basis (TA) errors,
 * the exact TA recurrences (against matrix gradient descent, and against eq. 9 / App. A with the O(lr)
 * discretisation error measured by halving lr), and eqs. (11), (12), (16) against Monte Carlo SVDs. */
#include <string.h>

#include "ts_test.h"
#include "lampinen2019/lampinen.h"
#include "../papers/lampinen2019/lib_task.c"
#include "../papers/lampinen2019/lib_theory.c"

/* The teacher has singular values svm (rank, ..., 1) on orthonormal frames; Sigma31's SVD reconstructs it. */
static void test_draw(void **st)
{
  ts_rng *r = ts_rng_alloc(7, 0);
  lg_task *t = lg_task_alloc(30, 12, 3);
  assert_int_equal(lg_task_draw(t, 2.0, 1.0 / 30, r), 0);
  assert_close(t->sbar[0], 6, 0, 0);
  assert_close(t->sbar[2], 2, 0, 0);
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++) {
      double du = 0, dv = 0;
      for (int i = 0; i < 12; i++) du += t->ubar[i * 3 + a] * t->ubar[i * 3 + b];
      for (int j = 0; j < 30; j++) dv += t->vbar[j * 3 + a] * t->vbar[j * 3 + b];
      assert_close(du, a == b, 0, 1e-14);
      assert_close(dv, a == b, 0, 1e-14);
    }
  assert_close(t->wbar_norm2, 36 + 16 + 4, 1e-13, 0);
  /* full TA map sm = s reproduces Sigma31: zero training error, and the direct formulas agree */
  double *W = calloc(12 * 30, sizeof(double)), sm[12];
  for (int a = 0; a < 12; a++) sm[a] = 0.5 * t->s[a] + 0.1 * a;
  for (int a = 0; a < 12; a++)
    for (int i = 0; i < 12; i++)
      for (int j = 0; j < 30; j++) W[i * 30 + j] += sm[a] * t->U[i * 12 + a] * t->Vt[a * 30 + j];
  assert_close(lg_task_ta_train_error(t, sm, 12), lg_task_train_error(t, W), 1e-12, 0);
  assert_close(lg_task_ta_test_error(t, sm, 12), lg_task_test_error(t, W), 1e-12, 0);
  /* fewer modes: the rest count as zero */
  assert_close(lg_task_ta_train_error(t, sm, 5), lg_task_ta_train_error(t, (double[12]){sm[0], sm[1], sm[2], sm[3],
                                                                                          sm[4]}, 12), 1e-15, 0);
  assert_close(lg_task_ta_train_error(t, t->s, 12), 0, 0, 1e-28);
  /* the top mode from the Gram matrix equals the SVD's */
  double s1, u[12], v[30], pu = 0, pv = 0;
  assert_int_equal(lg_top_mode(12, 30, t->s31, &s1, u, v), 0);
  assert_close(s1, t->s[0], 1e-13, 0);
  for (int i = 0; i < 12; i++) pu += u[i] * t->U[i * 12];
  for (int j = 0; j < 30; j++) pv += v[j] * t->Vt[j];
  assert_close(fabs(pu), 1, 0, 1e-12);
  assert_close(pu * pv, 1, 0, 1e-12); /* consistent signs: u^T S v = +s1 */
  free(W);
  lg_task_free(t);
  ts_rng_free(r);
}

/* The recurrences equal sequential matrix gradient descent from the TA initialisation (the authors' loop with
 * Sigma11 = I), Nl = 3, to rounding: N1 = 16, N3 = 8, hidden 6, 300 epochs at lr = 0.02. */
static void test_ta_vs_matrix(void **st)
{
  enum { N1 = 16, N3 = 8, H = 6, EP = 300 };
  const double lr = 0.02, eps = 1e-3;
  ts_rng *r = ts_rng_alloc(3, 0);
  lg_task *t = lg_task_alloc(N1, N3, 2);
  assert_int_equal(lg_task_draw(t, 1.5, 1.0 / N1, r), 0);
  double W21[H * N1], W32[N3 * H], L[N3 * N1], W[N3 * N1];
  for (int h = 0; h < H; h++)
    for (int j = 0; j < N1; j++) W21[h * N1 + j] = sqrt(eps) * t->Vt[h * N1 + j];
  for (int i = 0; i < N3; i++)
    for (int h = 0; h < H; h++) W32[i * H + h] = sqrt(eps) * t->U[i * N3 + h];
  for (int e = 0; e < EP; e++) {
    for (int i = 0; i < N3; i++)
      for (int j = 0; j < N1; j++) {
        double w = 0;
        for (int h = 0; h < H; h++) w += W32[i * H + h] * W21[h * N1 + j];
        L[i * N1 + j] = t->s31[i * N1 + j] - w;
      }
    for (int h = 0; h < H; h++) /* W21 += lr W32^T L */
      for (int j = 0; j < N1; j++) {
        double g = 0;
        for (int i = 0; i < N3; i++) g += W32[i * H + h] * L[i * N1 + j];
        W21[h * N1 + j] += lr * g;
      }
    for (int i = 0; i < N3; i++) /* W32 += lr L W21^T (updated W21) */
      for (int h = 0; h < H; h++) {
        double g = 0;
        for (int j = 0; j < N1; j++) g += L[i * N1 + j] * W21[h * N1 + j];
        W32[i * H + h] += lr * g;
      }
  }
  for (int i = 0; i < N3; i++)
    for (int j = 0; j < N1; j++) {
      double w = 0;
      for (int h = 0; h < H; h++) w += W32[i * H + h] * W21[h * N1 + j];
      W[i * N1 + j] = w;
    }
  double tr[2], te[2];
  assert_int_equal(lg_task_ta_curves(t, 3, H, eps, lr, EP, 2, tr, te, NULL), 0);
  assert_close(tr[0], 1, 0, 1e-2);
  assert_close(tr[1], lg_task_train_error(t, W), 1e-11, 0);
  assert_close(te[1], lg_task_test_error(t, W), 1e-11, 0);
  lg_task_free(t);
  ts_rng_free(r);
}

/* Recurrences against the continuous solution (eq. 9 for Nl = 3, App. A for Nl = 5): the deviation is O(lr);
 * halving lr halves it (ratio 2 within 20 %) and it stays below 2 lr shat t relative. */
static void test_ta_vs_theory(void **st)
{
  const double eps = 1e-5, shat = 4.0;
  for (int nl = 3; nl <= 5; nl += 2) {
    const double T = nl == 3 ? 2.5 : 40.0; /* during the transition (s ~ shat / 2 ... shat) */
    double dev[2];
    for (int k = 0; k < 2; k++) {
      double lr = (nl == 3 ? 1e-3 : 2e-3) / (1 << k);
      int every = (int)lround(T / lr);
      double out[2];
      assert_int_equal(lg_ta_modes(nl, &shat, 1, eps, lr, every, 2, out), 0);
      double want = lg_s_nl(nl, T, shat, eps);
      dev[k] = out[1] - want;
      assert_true(fabs(dev[k]) < 2 * lr * shat * T * want);
    }
    assert_true(fabs(dev[0] / dev[1] - 2) < 0.4);
  }
  ts_error_quiet(1);
  assert_int_equal(lg_ta_modes(4, &shat, 1, eps, 1e-3, 1, 1, (double[1]){0}), TS_EINVAL);
  double big = 1e4, o[2];
  assert_int_equal(lg_ta_modes(3, &big, 1, 1.0, 1.0, 50, 2, o), TS_EDIVERGE); /* lr shat >> 1 */
  ts_error_quiet(0);
}

/* eqs. (11), (12) against Monte Carlo: N1 = 400, N3 = 200 (A = 1/2), rank 1, sbar = 3 and 1.5, 12 draws.
 * Tolerance (set before running): the O(N^-1/2) fluctuations are in the SE of the draws, the finite-size bias is
 * O(1/N): 4 SE + 5/N3. */
static void test_mc_spectrum(void **st)
{
  enum { N1 = 400, N3 = 200, ND = 12 };
  const double sbs[2] = {3.0, 1.5}, A = 0.5;
  lg_task *t = lg_task_alloc(N1, N3, 1);
  for (int k = 0; k < 2; k++) {
    double sh[ND], ov[ND], sk[ND], mean[3] = {0}, var[3] = {0};
    for (int d = 0; d < ND; d++) {
      ts_rng *r = ts_rng_alloc(11, (uint64_t)(100 * k + d));
      assert_int_equal(lg_task_draw(t, sbs[k], 1.0 / N1, r), 0);
      sh[d] = t->s[0];
      double pu = 0, pv = 0;
      for (int i = 0; i < N3; i++) pu += t->U[i * N3] * t->ubar[i];
      for (int j = 0; j < N1; j++) pv += t->Vt[j] * t->vbar[j];
      ov[d] = fabs(pu * pv);
      sk[d] = lg_task_shrinkage_test_error(t);
      ts_rng_free(r);
    }
    double *xs[3] = {sh, ov, sk};
    for (int q = 0; q < 3; q++) {
      for (int d = 0; d < ND; d++) mean[q] += xs[q][d] / ND;
      for (int d = 0; d < ND; d++) var[q] += (xs[q][d] - mean[q]) * (xs[q][d] - mean[q]) / (ND - 1);
    }
    double want_sh = lg_shat(sbs[k], A), want_o = lg_overlap(sbs[k], A, NULL, NULL);
    double want_sk = lg_nongrad_error(&sbs[k], 1, A, 1.0);
    assert_close(mean[0], want_sh, 0, 4 * sqrt(var[0] / ND) + 5.0 / N3);
    assert_close(mean[1], want_o, 0, 4 * sqrt(var[1] / ND) + 5.0 / N3);
    /* the plug-in shrinkage error approaches eq. (16) (its spread also enters through the bulk: 4 SE + 5/N3) */
    assert_close(mean[2], want_sk, 0, 4 * sqrt(var[2] / ND) + 5.0 / N3);
  }
  lg_task_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_draw),
      cmocka_unit_test(test_ta_vs_matrix),
      cmocka_unit_test(test_ta_vs_theory),
      cmocka_unit_test(test_mc_spectrum),
  };
  return cmocka_run_group_tests_name("lampinen2019 task", tests, NULL, NULL);
}
