/* Tests of papers/tian2020/lib_two.c: the two-layer teacher-student network of Tian 2020 as the authors' code runs
 * it.  Teacher construction, the gradient against central finite differences, one SGD step by hand, the logged
 * loss against J, and a teacher copied into the student (rho = 1, zero loss, zero gradient). */
#include <string.h>

#include "ts_test.h"
#include "tian2020/tian_two.h"
#include "../papers/tian2020/lib_metrics.c"
#include "../papers/tian2020/lib_two.c"

/* Grid weights are multiples of 1/4: a value v is on the grid (times scale s) if v/s*4 is an integer. */
static int on_grid(double v, double s) { double q = v / s * 4; return fabs(q - round(q)) < 1e-9 && fabs(v / s) <= 1 + 1e-12; }

static void test_teacher(void **state)
{
  (void)state;
  tian_two_params p;
  tian_two_params_init(&p, 7, 4, 2, 1.5);
  p.n_train = 50; p.n_eval = 40;
  tian_two *t = tian_two_alloc(&p, 3);
  assert_non_null(t);
  assert_int_equal(t->P.n, 8);
  const int d = 7, m = 4, C = 50;
  for (int j = 0; j < m; j++) {
    double nrm = 0;
    for (int u = 0; u < d; u++) nrm += t->W1t[u * m + j] * t->W1t[u * m + j];
    assert_close(nrm, 1, 1e-14, 0);                  /* regular teachers */
    assert_close(t->W1t[d * m + j], -0.1, 0, 0);      /* bias, not normalised */
    double s = 0; /* the unnormalised vector was on the grid: w / max|w| * (its max grid value) is */
    for (int u = 0; u < d; u++) s = fmax(s, fabs(t->W1t[u * m + j]));
    int found = 0;
    for (int q = 1; q <= 4 && !found; q++) {
      int ok = 1;
      for (int u = 0; u < d; u++) ok = ok && on_grid(t->W1t[u * m + j] / s * 0.25 * q, 1);
      found = ok;
    }
    assert_true(found);
  }
  for (int i = 0; i < m; i++)
    for (int c = 0; c < C; c++) assert_true(on_grid(t->W2t[i * C + c], pow(i + 1.0, -1.5))); /* polarity */
  for (int c = 0; c < C; c++) assert_close(t->W2t[m * C + c], -0.1, 0, 0);
  /* student: bias rows zero, weights of scale init_std */
  double s2 = 0;
  for (int k = 0; k < 8; k++) { assert_close(t->W1[d * 8 + k], 0, 0, 0); }
  for (int i = 0; i < d * 8; i++) s2 += t->W1[i] * t->W1[i];
  assert_close(sqrt(s2 / (d * 8)), 0.005, 0.5, 0); /* 56 draws: std within 50% */
  /* the bias column of the data is 1; teacher caches agree with a direct evaluation */
  for (int i = 0; i < p.n_eval; i++) assert_close(t->Xev[i * (d + 1) + d], 1, 0, 0);
  for (int i = 0; i < 3; i++)
    for (int c = 0; c < 3; c++) {
      double y = t->W2t[m * C + c];
      for (int j = 0; j < m; j++) {
        double z = 0;
        for (int u = 0; u <= d; u++) z += t->Xtr[i * (d + 1) + u] * t->W1t[u * m + j];
        y += fmax(z, 0) * t->W2t[j * C + c];
      }
      assert_close(t->Ytr[i * C + c], y, 1e-12, 1e-14);
    }
  tian_two_free(t);
}

/* Negative gradient of J = 1/(2B) sum (y* - y)^2 against central differences (h = 1e-6; J is smooth away from
 * the ReLU kinks, which random weights of scale 0.5 avoid by a margin >> h with probability ~1). */
static void test_gradient_fd(void **state)
{
  (void)state;
  tian_two_params p;
  tian_two_params_init(&p, 5, 3, 2, 1.0);
  p.C = 4; p.n_train = 30; p.n_eval = 10; p.init_std = 0.5;
  tian_two *t = tian_two_alloc(&p, 11);
  assert_non_null(t);
  const int d1 = 6, n = 6, C = 4, B = 7;
  int idx[7] = {0, 3, 3, 9, 17, 29, 5};
  double gW1[36], gW2[28];
  tian_two_batch_grad(t, idx, B, gW1, gW2);
  const double h = 1e-6;
  double *W[2] = {t->W1, t->W2}, *G[2] = {gW1, gW2};
  int len[2] = {d1 * n, (n + 1) * C};
  double g1[36], g2[28];
  for (int w = 0; w < 2; w++)
    for (int i = 0; i < len[w]; i++) {
      double keep = W[w][i];
      W[w][i] = keep + h;
      double jp = tian_two_batch_grad(t, idx, B, g1, g2);
      W[w][i] = keep - h;
      double jm = tian_two_batch_grad(t, idx, B, g1, g2);
      W[w][i] = keep;
      assert_close(G[w][i], -(jp - jm) / (2 * h), 1e-5, 1e-8);
    }
  tian_two_free(t);
}

/* One SGD step by hand: d = 1, n = m = 1, C = 1, one training point x = 2 (every index is 0).
 * Teacher w* = (1, -0.1), v* = (1, -0.1): z* = 1.9, y* = 1.8.  Student w = (0.5, 0.1), v = (0.3, 0.2): z = 1.1,
 * y = 0.53, e = 1.27.  lr 0.01: v += lr (h e, e) = (0.31397, 0.2127); w += lr (x e v, e v) = (0.50762, 0.10381). */
static void test_step_by_hand(void **state)
{
  (void)state;
  tian_two_params p;
  tian_two_params_init(&p, 1, 1, 1, 0.0);
  p.C = 1; p.n_train = 1; p.n_eval = 1; p.batch = 1;
  tian_two *t = tian_two_alloc(&p, 1);
  assert_non_null(t);
  double x = 2;
  assert_int_equal(tian_two_set_train(t, &x, 1), 0);
  t->W1t[0] = 1; t->W1t[1] = -0.1; t->W2t[0] = 1; t->W2t[1] = -0.1;
  tian_two_teacher_refresh(t);
  assert_close(t->Ytr[0], 1.8, 1e-15, 0);
  t->W1[0] = 0.5; t->W1[1] = 0.1; t->W2[0] = 0.3; t->W2[1] = 0.2;
  assert_int_equal(tian_two_run(t, 1), 0);
  assert_close(t->W2[0], 0.31397, 1e-13, 0);
  assert_close(t->W2[1], 0.2127, 1e-13, 0);
  assert_close(t->W1[0], 0.50762, 1e-13, 0);
  assert_close(t->W1[1], 0.10381, 1e-13, 0);
  /* a dead student (z < 0) gets no first-layer gradient; at z = 0 exactly the gate passes */
  t->W1[0] = -0.1; t->W1[1] = 0.2; /* z = 0 */
  double w0 = t->W1[0];
  assert_int_equal(tian_two_run(t, 1), 0);
  assert_true(t->W1[0] != w0);
  t->W1[0] = -1; t->W1[1] = 0.0; /* z = -2 */
  assert_int_equal(tian_two_run(t, 1), 0);
  assert_close(t->W1[0], -1, 0, 0);
  assert_close(t->W1[1], 0, 0, 0);
  tian_two_free(t);
}

/* The code's logged loss (mean over samples and outputs, no 1/2) is 2 J / C for the full train set. */
static void test_loss_scaling(void **state)
{
  (void)state;
  tian_two_params p;
  tian_two_params_init(&p, 6, 3, 2, 1.0);
  p.n_train = 200; p.n_eval = 100; p.init_std = 0.3; p.batch = 0;
  tian_two *t = tian_two_alloc(&p, 5);
  assert_non_null(t);
  ts_error_quiet(1);
  assert_true(isnan(tian_two_batch_grad(t, NULL, p.n_train + 1, t->gW1, t->gW2)));
  ts_error_quiet(0);
  double J = tian_two_batch_grad(t, NULL, p.n_train, t->gW1, t->gW2), mse;
  assert_int_equal(tian_two_eval(t, TIAN_TRAIN, NULL, &mse), 0);
  assert_close(mse, 2 * J / p.C, 1e-12, 0);
  tian_two_free(t);
}

/* A teacher copied into the student: zero loss, rho = 1 on the diagonal, all teachers matched, gradient zero;
 * extra students with zero weights are dead (rho = 0) and stay put. */
static void test_teacher_copy(void **state)
{
  (void)state;
  tian_two_params p;
  tian_two_params_init(&p, 10, 4, 2, 1.0);
  p.n_train = 2000; p.n_eval = 2000;
  tian_two *t = tian_two_alloc(&p, 9);
  assert_non_null(t);
  const int d1 = 11, m = 4, n = 8, C = 50;
  memset(t->W1, 0, (size_t)d1 * n * sizeof(double));
  memset(t->W2, 0, (size_t)(n + 1) * C * sizeof(double));
  for (int u = 0; u < d1; u++)
    for (int j = 0; j < m; j++) t->W1[u * n + 2 * j] = t->W1t[u * m + j]; /* teacher j -> student 2j */
  for (int j = 0; j < m; j++) memcpy(t->W2 + 2 * j * C, t->W2t + j * C, C * sizeof(double));
  memcpy(t->W2 + n * C, t->W2t + m * C, C * sizeof(double));
  double rho[32], mse;
  assert_int_equal(tian_two_eval(t, TIAN_EVAL, rho, &mse), 0);
  assert_close(mse, 0, 0, 1e-28);
  for (int j = 0; j < m; j++) {
    assert_close(rho[j * n + 2 * j], 1, 1e-9, 0);
    assert_close(rho[j * n + 2 * j + 1], 0, 0, 0); /* dead student */
  }
  assert_close(tian_rho_mean(rho, m, n), 1, 1e-9, 0);
  assert_int_equal(tian_matched(rho, m, n, TIAN_MATCH_RHO, NULL), m);
  double W1[11 * 8];
  memcpy(W1, t->W1, sizeof W1);
  assert_int_equal(tian_two_run(t, 50), 0);
  for (int i = 0; i < d1 * n; i++) assert_close(t->W1[i], W1[i], 0, 1e-14);
  tian_two_free(t);
}

/* Same seed => same bits; the fan-out norms are the row norms of W2 without the bias row. */
static void test_determinism_and_norms(void **state)
{
  (void)state;
  tian_two_params p;
  tian_two_params_init(&p, 8, 3, 2, 0.0);
  p.n_train = 300; p.n_eval = 300;
  tian_two *a = tian_two_alloc(&p, 42), *b = tian_two_alloc(&p, 42);
  assert_int_equal(tian_two_run(a, 300), 0);
  assert_int_equal(tian_two_run(b, 300), 0);
  assert_memory_equal(a->W1, b->W1, 9 * 6 * sizeof(double));
  assert_memory_equal(a->W2, b->W2, 7 * 50 * sizeof(double));
  double v[6];
  tian_two_fanout_norms(a, v);
  double s = 0;
  for (int c = 0; c < 50; c++) s += a->W2[2 * 50 + c] * a->W2[2 * 50 + c];
  assert_close(v[2], sqrt(s), 1e-15, 0);
  tian_two_free(a);
  tian_two_free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_teacher),      cmocka_unit_test(test_gradient_fd),  cmocka_unit_test(test_step_by_hand),
      cmocka_unit_test(test_loss_scaling), cmocka_unit_test(test_teacher_copy), cmocka_unit_test(test_determinism_and_norms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
