/* Tests of papers/lampinen2019/lib_gd.c: full-batch GD of deep linear and leaky-ReLU networks (Lampinen & Ganguli
 * 2019, eq. 8 discretised as the authors' code).  Each test can fail: steps recomputed by hand with naive loops,
 * gradients against central finite differences, the TA run against the exact per-mode recurrence of lib_task.c, a
 * random-init run against the TA run on the same data. */
#include "ts_test.h"
#include "lampinen2019/lampinen_gd.h"
#include "../papers/lampinen2019/lib_gd.c"
#include "../papers/lampinen2019/lib_task.c"
#include "../papers/lampinen2019/lib_theory.c"

/* C = A B (m x k times k x n), naive */
static void mm(int m, int k, int n, const double *A, const double *B, double *C)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int q = 0; q < k; q++) s += A[i * k + q] * B[q * n + j];
      C[i * n + j] = s;
    }
}
static void tr(int m, int n, const double *A, double *At)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) At[j * m + i] = A[i * n + j];
}
static void gauss(ts_rng *r, double *x, int n, double sd)
{
  for (int i = 0; i < n; i++) x[i] = sd * ts_rng_gaussian(r);
}

enum { N1 = 7, N3 = 5, NH = 4 };

/* one epoch of the 2-matrix net by hand: l = S - W2 W1; W1 += lr W2^T l; W2 += lr l W1new^T */
static void test_step_by_hand_2(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(1, 0);
  double S[N3 * N1], Wb[N3 * N1], W1[NH * N1], W2[N3 * NH];
  gauss(r, S, N3 * N1, 1);
  gauss(r, Wb, N3 * N1, 1);
  gauss(r, W1, NH * N1, 0.5);
  gauss(r, W2, N3 * NH, 0.5);
  const double lr = 0.05;
  lampinen_gd_params p = {N1, N3, NH, 2, lr, LAMPINEN_GD_LINEAR, 0};
  lampinen_gd *g = lampinen_gd_alloc(&p, S, Wb);
  assert_non_null(g);
  memcpy(lampinen_gd_weights(g, 0), W1, sizeof W1);
  memcpy(lampinen_gd_weights(g, 1), W2, sizeof W2);
  lampinen_gd_invalidate(g);
  /* errors of the starting point, by hand */
  double W[N3 * N1], l[N3 * N1], e_tr = 0, e_te = 0, ns = 0, nb = 0;
  mm(N3, NH, N1, W2, W1, W);
  for (int i = 0; i < N3 * N1; i++) {
    l[i] = S[i] - W[i];
    e_tr += l[i] * l[i];
    e_te += (W[i] - Wb[i]) * (W[i] - Wb[i]);
    ns += S[i] * S[i];
    nb += Wb[i] * Wb[i];
  }
  double gtr, gte;
  assert_int_equal(lampinen_gd_errors(g, &gtr, &gte), TS_OK);
  assert_close(gtr, e_tr / ns, 1e-13, 0);
  assert_close(gte, e_te / nb, 1e-13, 0);
  assert_int_equal(lampinen_gd_step(g, 1), TS_OK);
  double W2t[NH * N3], d1[NH * N1], W1t[N1 * NH], d2[N3 * NH];
  tr(N3, NH, W2, W2t);
  mm(NH, N3, N1, W2t, l, d1);
  for (int i = 0; i < NH * N1; i++) W1[i] += lr * d1[i];
  tr(NH, N1, W1, W1t);
  mm(N3, N1, NH, l, W1t, d2);
  for (int i = 0; i < N3 * NH; i++) W2[i] += lr * d2[i];
  for (int i = 0; i < NH * N1; i++) assert_close(lampinen_gd_weights(g, 0)[i], W1[i], 1e-13, 1e-15);
  for (int i = 0; i < N3 * NH; i++) assert_close(lampinen_gd_weights(g, 1)[i], W2[i], 1e-13, 1e-15);
  assert_int_equal(lampinen_gd_epoch(g), 1);
  lampinen_gd_free(g);
  ts_rng_free(r);
}

/* two epochs of the 4-matrix net by hand (authors' deep loop): l once; W1 += lr (W4 W3 W2)^T l; W2 += lr (W4 W3)^T l
 * W1^T; W3 += lr W4^T l (W2 W1)^T; W4 += lr l (W3 W2 W1)^T, each with the updated earlier matrices.  The second epoch
 * exercises the cached products. */
static void test_step_by_hand_4(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(2, 0);
  double S[N3 * N1], Wb[N3 * N1], W1[NH * N1], W2[NH * NH], W3[NH * NH], W4[N3 * NH];
  gauss(r, S, N3 * N1, 1);
  gauss(r, Wb, N3 * N1, 1);
  gauss(r, W1, NH * N1, 0.6);
  gauss(r, W2, NH * NH, 0.6);
  gauss(r, W3, NH * NH, 0.6);
  gauss(r, W4, N3 * NH, 0.6);
  const double lr = 0.03;
  lampinen_gd_params p = {N1, N3, NH, 4, lr, LAMPINEN_GD_LINEAR, 0};
  lampinen_gd *g = lampinen_gd_alloc(&p, S, Wb);
  memcpy(lampinen_gd_weights(g, 0), W1, sizeof W1);
  memcpy(lampinen_gd_weights(g, 1), W2, sizeof W2);
  memcpy(lampinen_gd_weights(g, 2), W3, sizeof W3);
  memcpy(lampinen_gd_weights(g, 3), W4, sizeof W4);
  lampinen_gd_invalidate(g);
  assert_int_equal(lampinen_gd_step(g, 2), TS_OK);
  for (int e = 0; e < 2; e++) {
    double A[NH * N1], B[NH * N1], W[N3 * N1], l[N3 * N1], M43[N3 * NH], M432[N3 * NH], Mt[NH * N3], D[NH * N1];
    double T1[NH * N1], T2[N1 * NH], T3[NH * NH], T4[N3 * NH];
    mm(NH, NH, N1, W2, W1, A);
    mm(NH, NH, N1, W3, A, B);
    mm(N3, NH, N1, W4, B, W);
    for (int i = 0; i < N3 * N1; i++) l[i] = S[i] - W[i];
    mm(N3, NH, NH, W4, W3, M43);
    mm(N3, NH, NH, M43, W2, M432);
    tr(N3, NH, M432, Mt);
    mm(NH, N3, N1, Mt, l, D);
    for (int i = 0; i < NH * N1; i++) W1[i] += lr * D[i];
    tr(N3, NH, M43, Mt);
    mm(NH, N3, N1, Mt, l, T1); /* (W4 W3)^T l */
    tr(NH, N1, W1, T2);
    mm(NH, N1, NH, T1, T2, T3);
    for (int i = 0; i < NH * NH; i++) W2[i] += lr * T3[i];
    tr(N3, NH, W4, Mt);
    mm(NH, N3, N1, Mt, l, T1); /* W4^T l */
    mm(NH, NH, N1, W2, W1, A);
    tr(NH, N1, A, T2);
    mm(NH, N1, NH, T1, T2, T3);
    for (int i = 0; i < NH * NH; i++) W3[i] += lr * T3[i];
    mm(NH, NH, N1, W3, A, B);
    tr(NH, N1, B, T2);
    mm(N3, N1, NH, l, T2, T4);
    for (int i = 0; i < N3 * NH; i++) W4[i] += lr * T4[i];
  }
  for (int i = 0; i < NH * N1; i++) assert_close(lampinen_gd_weights(g, 0)[i], W1[i], 1e-12, 1e-14);
  for (int i = 0; i < NH * NH; i++) assert_close(lampinen_gd_weights(g, 1)[i], W2[i], 1e-12, 1e-14);
  for (int i = 0; i < NH * NH; i++) assert_close(lampinen_gd_weights(g, 2)[i], W3[i], 1e-12, 1e-14);
  for (int i = 0; i < N3 * NH; i++) assert_close(lampinen_gd_weights(g, 3)[i], W4[i], 1e-12, 1e-14);
  lampinen_gd_free(g);
  ts_rng_free(r);
}

/* L = (1/2) |Sigma31 - f(W)|^2 from the library's training error */
static double loss(lampinen_gd *g, double s2)
{
  double e;
  lampinen_gd_invalidate(g);
  assert_int_equal(lampinen_gd_errors(g, &e, NULL), TS_OK);
  return 0.5 * e * s2;
}

/* The leaky-ReLU update is simultaneous: (W_new - W)/lr = -dL/dW for every matrix, checked by central differences
 * (h = 1e-6: truncation ~h^2, rounding ~1e-16/h; tolerance 1e-6 relative + 1e-8).  nmat = 2 and 4, leak 0.2. */
static void check_fd(int nmat, double leak)
{
  ts_rng *r = ts_rng_alloc(3 + nmat, 0);
  double S[N3 * N1], Wb[N3 * N1];
  gauss(r, S, N3 * N1, 1);
  gauss(r, Wb, N3 * N1, 1);
  const double lr = 1e-3, h = 1e-6;
  lampinen_gd_params p = {N1, N3, NH, nmat, lr, LAMPINEN_GD_LEAKY, leak};
  lampinen_gd *g = lampinen_gd_alloc(&p, S, Wb);
  double s2 = 0;
  for (int i = 0; i < N3 * N1; i++) s2 += S[i] * S[i];
  size_t sz[4];
  double *w0[4];
  for (int m = 0; m < nmat; m++) {
    sz[m] = lgd__rows(&p, m) * lgd__cols(&p, m);
    gauss(r, lampinen_gd_weights(g, m), (int)sz[m], 0.7);
    w0[m] = malloc(sz[m] * sizeof(double));
    memcpy(w0[m], lampinen_gd_weights(g, m), sz[m] * sizeof(double));
  }
  double *grad[4];
  for (int m = 0; m < nmat; m++) {
    grad[m] = malloc(sz[m] * sizeof(double));
    double *w = lampinen_gd_weights(g, m);
    for (size_t q = 0; q < sz[m]; q++) {
      double keep = w[q];
      w[q] = keep + h;
      double lp = loss(g, s2);
      w[q] = keep - h;
      double lm = loss(g, s2);
      w[q] = keep;
      grad[m][q] = (lp - lm) / (2 * h);
    }
  }
  lampinen_gd_invalidate(g);
  assert_int_equal(lampinen_gd_step(g, 1), TS_OK);
  for (int m = 0; m < nmat; m++) {
    const double *w = lampinen_gd_weights(g, m);
    for (size_t q = 0; q < sz[m]; q++) assert_close((w[q] - w0[m][q]) / lr, -grad[m][q], 1e-6, 1e-8);
    free(grad[m]);
    free(w0[m]);
  }
  lampinen_gd_free(g);
  ts_rng_free(r);
}
static void test_gradient_fd_leaky(void **state)
{
  (void)state;
  check_fd(2, 0.2);
  check_fd(4, 0.1);
}

/* The linear net's first-matrix update is exactly -lr dL/dW_1 (later matrices use updated ones): finite differences
 * for nmat = 2 and 4. */
static void test_gradient_fd_linear_first(void **state)
{
  (void)state;
  for (int nmat = 2; nmat <= 4; nmat += 2) {
    ts_rng *r = ts_rng_alloc(9 + nmat, 0);
    double S[N3 * N1], Wb[N3 * N1];
    gauss(r, S, N3 * N1, 1);
    gauss(r, Wb, N3 * N1, 1);
    const double lr = 1e-3, h = 1e-6;
    lampinen_gd_params p = {N1, N3, NH, nmat, lr, LAMPINEN_GD_LINEAR, 0};
    lampinen_gd *g = lampinen_gd_alloc(&p, S, Wb);
    double s2 = 0;
    for (int i = 0; i < N3 * N1; i++) s2 += S[i] * S[i];
    for (int m = 0; m < nmat; m++) gauss(r, lampinen_gd_weights(g, m), (int)(lgd__rows(&p, m) * lgd__cols(&p, m)), 0.7);
    double *w = lampinen_gd_weights(g, 0), w0[NH * N1], grad[NH * N1];
    memcpy(w0, w, sizeof w0);
    for (int q = 0; q < NH * N1; q++) {
      double keep = w[q];
      w[q] = keep + h;
      double lp = loss(g, s2);
      w[q] = keep - h;
      double lm = loss(g, s2);
      w[q] = keep;
      grad[q] = (lp - lm) / (2 * h);
    }
    lampinen_gd_invalidate(g);
    assert_int_equal(lampinen_gd_step(g, 1), TS_OK);
    for (int q = 0; q < NH * N1; q++) assert_close((w[q] - w0[q]) / lr, -grad[q], 1e-6, 1e-8);
    lampinen_gd_free(g);
    ts_rng_free(r);
  }
}

/* Random initialisation: every singular value of the composite map is eps (nmat = 2 and 4). */
static void test_random_init_singular_values(void **state)
{
  (void)state;
  for (int nmat = 2; nmat <= 4; nmat += 2) {
    ts_rng *r = ts_rng_alloc(5, 0);
    double S[N3 * N1] = {0}, Wb[N3 * N1] = {0}, W[N3 * N1], s[N3];
    S[0] = Wb[0] = 1;
    lampinen_gd_params p = {N1, N3, NH, nmat, 1e-3, LAMPINEN_GD_LINEAR, 0};
    lampinen_gd *g = lampinen_gd_alloc(&p, S, Wb);
    assert_int_equal(lampinen_gd_init_random(g, 1e-3, r), TS_OK);
    lampinen_gd_composite(g, W);
    assert_int_equal(ts_svd(N3, N1, W, NULL, s, NULL), TS_OK);
    for (int a = 0; a < NH; a++) assert_close(s[a], 1e-3, 1e-12, 0);
    assert_close(s[NH], 0, 0, 1e-15); /* rank NH < N3 */
    lampinen_gd_free(g);
    ts_rng_free(r);
  }
}

/* GD from the TA initialisation equals the exact per-mode recurrence (lib_task.c, lg_task_ta_curves): N1 = 100,
 * N3 = 50, hidden 50, rank 3, svm 3, 3000 epochs (Nl = 3) and 20000 (Nl = 5, through the first drops); both errors
 * to 1e-11 relative (rounding: the reference sheet measures 5e-15 for Nl = 3).  Also the tracked alignment of the
 * top modes is 1 and s/shat follows the recurrence. */
static void test_ta_equals_recurrence(void **state)
{
  (void)state;
  for (int nl = 3; nl <= 5; nl += 2) {
    ts_rng *r = ts_rng_alloc(6, 0), *ri = ts_rng_alloc(6, 1);
    lg_task *t = lg_task_alloc(100, 50, 3);
    assert_int_equal(lg_task_draw(t, 3.0, 0.01, r), TS_OK);
    const long E = nl == 3 ? 3000 : 20000;
    const int every = 100, n = (int)(E / every) + 1;
    double tr_m[201], te_m[201], tr_r[201], te_r[201], modes[201 * 50];
    lampinen_gd_params p = {100, 50, 50, nl == 3 ? 2 : 4, 1e-3, LAMPINEN_GD_LINEAR, 0};
    lampinen_gd *g = lampinen_gd_alloc(&p, t->s31, t->wbar);
    assert_int_equal(lampinen_gd_init_aligned(g, 1e-5, t->U, t->Vt, ri), TS_OK);
    assert_int_equal(lampinen_gd_run(g, E, every, tr_m, te_m, 0, NULL), TS_OK);
    assert_int_equal(lg_task_ta_curves(t, nl, 50, 1e-5, 1e-3, every, n, tr_r, te_r, NULL), TS_OK);
    for (int i = 0; i < n; i++) {
      assert_close(tr_m[i], tr_r[i], 1e-11, 0);
      assert_close(te_m[i], te_r[i], 1e-11, 0);
    }
    assert_int_equal(lg_ta_modes(nl, t->s, 50, 1e-5, 1e-3, every, n, modes), TS_OK);
    double ud[3], vd[3], sr[3];
    assert_int_equal(lampinen_gd_track(g, 3, t->U, t->s, t->Vt, ud, vd, sr), TS_OK);
    for (int a = 0; a < 3; a++) {
      assert_close(ud[a], 1, 0, 1e-9);
      assert_close(vd[a], 1, 0, 1e-9);
      assert_close(sr[a], modes[(n - 1) * 50 + a] / t->s[a], 1e-9, 0);
    }
    lampinen_gd_free(g);
    lg_task_free(t);
    ts_rng_free(r);
    ts_rng_free(ri);
  }
}

/* A random-init run approaches the TA run on the same data (Fig. 3): N1 = 100, N3 = 50, hidden 50, rank 1, svm 4,
 * 4000 epochs.  min ln eps_test within 0.05 of TA's (the paired Nl = 3 spread is ~0.01 at svm >= 2), the optimum
 * later than TA's by 0 < lag < 1 tau (alignment lag ~0.1 tau), and TA's minimum within 0.4 of the theory's
 * (eq. 15; one seed: 3 x the per-seed spread 0.13 of ln(1 - O^2)). */
static void test_random_approaches_ta(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(7, 0), *ri = ts_rng_alloc(7, 1);
  lg_task *t = lg_task_alloc(100, 50, 1);
  assert_int_equal(lg_task_draw(t, 4.0, 0.01, r), TS_OK);
  const long E = 4000;
  const int every = 5, n = (int)(E / every) + 1;
  double *te_m = malloc((size_t)n * sizeof(double)), *te_r = malloc((size_t)n * sizeof(double));
  lampinen_gd_params p = {100, 50, 50, 2, 1e-3, LAMPINEN_GD_LINEAR, 0};
  lampinen_gd *g = lampinen_gd_alloc(&p, t->s31, t->wbar);
  assert_int_equal(lampinen_gd_init_random(g, 1e-5, ri), TS_OK);
  assert_int_equal(lampinen_gd_run(g, E, every, NULL, te_m, 0, NULL), TS_OK);
  assert_int_equal(lg_task_ta_curves(t, 3, 50, 1e-5, 1e-3, every, n, NULL, te_r, NULL), TS_OK);
  int km = 0, kr = 0;
  for (int i = 1; i < n; i++) {
    if (te_m[i] < te_m[km]) km = i;
    if (te_r[i] < te_r[kr]) kr = i;
  }
  assert_close(log(te_m[km]), log(te_r[kr]), 0, 0.05);
  double lag = (km - kr) * every * 1e-3;
  assert_true(lag > 0 && lag < 1);
  lg_theory_params tp = {.A = 0.5, .n3 = 50, .n2 = 50, .rank = 1, .sbar = {4}, .sigma_z = 1, .eps = 1e-5, .nl = 3,
                         .nodes = 200};
  lg_theory *th = lg_theory_alloc(&tp);
  double topt;
  assert_close(log(te_r[kr]), log(lg_theory_min_test_error(th, 4, &topt)), 0, 0.4);
  lg_theory_free(th);
  lampinen_gd_free(g);
  lg_task_free(t);
  ts_rng_free(r);
  ts_rng_free(ri);
  free(te_m);
  free(te_r);
}

/* A learning rate far beyond stability diverges and is reported as TS_EDIVERGE (never a NaN result). */
static void test_divergence(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(8, 0);
  double S[N3 * N1], Wb[N3 * N1];
  gauss(r, S, N3 * N1, 3);
  gauss(r, Wb, N3 * N1, 1);
  lampinen_gd_params p = {N1, N3, NH, 2, 5.0, LAMPINEN_GD_LINEAR, 0};
  lampinen_gd *g = lampinen_gd_alloc(&p, S, Wb);
  assert_int_equal(lampinen_gd_init_random(g, 1.0, r), TS_OK);
  ts_error_quiet(1);
  assert_int_equal(lampinen_gd_step(g, 200), TS_EDIVERGE);
  p.nmat = 3;
  assert_null(lampinen_gd_alloc(&p, S, Wb));
  ts_error_quiet(0);
  lampinen_gd_free(g);
  ts_rng_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_step_by_hand_2),
      cmocka_unit_test(test_step_by_hand_4),
      cmocka_unit_test(test_gradient_fd_leaky),
      cmocka_unit_test(test_gradient_fd_linear_first),
      cmocka_unit_test(test_random_init_singular_values),
      cmocka_unit_test(test_ta_equals_recurrence),
      cmocka_unit_test(test_random_approaches_ta),
      cmocka_unit_test(test_divergence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
