/* Tests of papers/lampinen2019/lib_gd_nl.c: the leaky-ReLU teacher blocks and the one-hidden-layer leaky-ReLU student
 * with leaky-ReLU outputs (figure 12).  Each test can fail: teacher entries recomputed by hand, the GD step against
 * central finite differences of the loss, the recorded error against the output, the initialiser's variance against
 * the truncated-normal value, divergence detection. */
#include "ts_test.h"
#include "lampinen2019/lampinen_gd_nl.h"
#include "../papers/lampinen2019/lib_gd_nl.c"

enum { N1 = 9, N3 = 4, NH = 5 };
#define LK 0.2

static double phi(double x) { return x > 0 ? x : LK * x; }

/* teacher entries by hand; q = 1 with equal strengths and ub = ua makes head B a copy of head A */
static void test_teacher_block(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(3, 0);
  double ua[N3], ub[N3], va[N1], vb[N1], Y[2 * N3 * N1] = {0};
  for (int i = 0; i < N3; i++) { ua[i] = ts_rng_gaussian(r); ub[i] = ts_rng_gaussian(r); }
  for (int c = 0; c < N1; c++) { va[c] = ts_rng_gaussian(r); vb[c] = ts_rng_gaussian(r); }
  lg_nl_teacher_block_add(N1, N3, LK, 2.5, ua, va, 0.7, ub, vb, Y);
  lg_nl_teacher_block_add(N1, N3, LK, 1.5, ua, va, 0.3, ub, vb, Y);
  for (int i = 0; i < N3; i++)
    for (int c = 0; c < N1; c++) {
      assert_close(Y[i * N1 + c], phi(2.5 * ua[i] * phi(va[c])) + phi(1.5 * ua[i] * phi(va[c])), 1e-14, 1e-14);
      assert_close(Y[(N3 + i) * N1 + c], phi(0.7 * ub[i] * phi(vb[c])) + phi(0.3 * ub[i] * phi(vb[c])), 1e-14, 1e-14);
    }
  double Z[2 * N3 * N1] = {0};
  lg_nl_teacher_block_add(N1, N3, LK, 1.3, ua, va, 1.3, ua, va, Z);
  for (int k = 0; k < N3 * N1; k++) assert_true(Z[k] == Z[N3 * N1 + k]);
  ts_rng_free(r);
}

/* one epoch: (W_before - W_after) / lr = dL/dW, against central differences of L = (1/2)|O - Y|^2 */
static void test_gradient_fd(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(5, 0);
  const int nout = 2 * N3;
  double Y[2 * N3 * N1], yc[N3 * N1], err[2];
  for (int k = 0; k < nout * N1; k++) Y[k] = ts_rng_gaussian(r);
  for (int k = 0; k < N3 * N1; k++) yc[k] = Y[k] + 0.1;
  const double lr = 1e-3;
  lg_nl_params p = {N1, NH, nout, lr, LK};
  lg_nl *g = lg_nl_alloc(&p, Y);
  assert_non_null(g);
  double *w[2] = {lg_nl_weights(g, 0), lg_nl_weights(g, 1)};
  const int n[2] = {NH * N1, nout * NH};
  for (int m = 0; m < 2; m++)
    for (int k = 0; k < n[m]; k++) w[m][k] = ts_rng_gaussian(r);
  double before[2][2 * N3 * NH > NH * N1 ? 2 * N3 * NH : NH * N1], fd[2][2 * N3 * NH > NH * N1 ? 2 * N3 * NH : NH * N1];
  const double h = 1e-6;
  for (int m = 0; m < 2; m++)
    for (int k = 0; k < n[m]; k++) {
      double w0 = w[m][k];
      w[m][k] = w0 + h;
      double lp = lg_nl_loss(g, NULL);
      w[m][k] = w0 - h;
      double lm = lg_nl_loss(g, NULL);
      w[m][k] = w0;
      fd[m][k] = (lp - lm) / (2 * h);
      before[m][k] = w0;
    }
  assert_int_equal(lg_nl_run(g, 1, 1, 0, N3, yc, err), TS_OK);
  for (int m = 0; m < 2; m++)
    for (int k = 0; k < n[m]; k++) assert_close((before[m][k] - w[m][k]) / lr, fd[m][k], 1e-6, 1e-6);
  lg_nl_free(g);
  ts_rng_free(r);
}

/* err[0] = |O_rows - yc|^2 / |yc|^2 of the initial output, rows N3..2N3-1 */
static void test_error_record(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(7, 0);
  const int nout = 2 * N3;
  double Y[2 * N3 * N1], yc[N3 * N1], O[2 * N3 * N1], err[5];
  for (int k = 0; k < nout * N1; k++) Y[k] = ts_rng_gaussian(r);
  for (int k = 0; k < N3 * N1; k++) yc[k] = ts_rng_gaussian(r);
  lg_nl_params p = {N1, NH, nout, 1e-2, LK};
  lg_nl *g = lg_nl_alloc(&p, Y);
  assert_int_equal(lg_nl_init_varscale(g, 1.0, r), TS_OK);
  lg_nl_loss(g, O);
  double num = 0, den = 0;
  for (int k = 0; k < N3 * N1; k++) { num += (O[N3 * N1 + k] - yc[k]) * (O[N3 * N1 + k] - yc[k]); den += yc[k] * yc[k]; }
  assert_int_equal(lg_nl_run(g, 10, 5, N3, N3, yc, err), TS_OK);
  assert_close(err[0], num / den, 1e-13, 0);
  /* err[2] is the error after 10 steps: the same formula on the output of the current weights */
  lg_nl_loss(g, O);
  num = 0;
  for (int k = 0; k < N3 * N1; k++) num += (O[N3 * N1 + k] - yc[k]) * (O[N3 * N1 + k] - yc[k]);
  assert_close(err[2], num / den, 1e-13, 0);
  /* the training loss decreases at this small lr (gradient descent on a smooth-enough loss) */
  double l0, l1;
  lg_nl_params p2 = {N1, NH, nout, 1e-3, LK};
  lg_nl *g2 = lg_nl_alloc(&p2, Y);
  assert_int_equal(lg_nl_init_varscale(g2, 1.0, r), TS_OK);
  l0 = lg_nl_loss(g2, NULL);
  assert_int_equal(lg_nl_run(g2, 20, 5, 0, N3, yc, err), TS_OK);
  l1 = lg_nl_loss(g2, NULL);
  assert_true(l1 < l0);
  lg_nl_free(g2);
  lg_nl_free(g);
  ts_rng_free(r);
}

/* TF variance scaling: entries N(0, sd^2) truncated at 2 sd, sd = sqrt(1.3 f / ((rows + cols)/2)); the truncated
 * normal's variance is sd^2 (1 - 4 phi(2) / (2 Phi(2) - 1)) = 0.77374 sd^2.  200 x 300 entries: the sample variance has
 * relative SE sqrt(2 (kurtosis - 1) / n) < 0.006; checked to 5 SE (0.03) */
static void test_init_variance(void **state)
{
  (void)state;
  enum { R = 200, C = 300 };
  double *y = calloc((size_t)R * C, sizeof(double));
  lg_nl_params p = {C, R, 1, 1e-3, LK};
  lg_nl *g = lg_nl_alloc(&p, y);
  ts_rng *r = ts_rng_alloc(11, 0);
  const double f = 0.01, sd = sqrt(1.3 * f / (0.5 * (R + C)));
  assert_int_equal(lg_nl_init_varscale(g, f, r), TS_OK);
  const double *w = lg_nl_weights(g, 0);
  double v = 0, mx = 0;
  for (int k = 0; k < R * C; k++) { v += w[k] * w[k]; mx = fmax(mx, fabs(w[k])); }
  v /= (double)R * C;
  const double phi2 = exp(-2.0) / sqrt(2 * M_PI), mass = erf(2 / sqrt(2.0));
  assert_close(v / (sd * sd), 1 - 4 * phi2 / mass, 0.03, 0);
  assert_true(mx <= 2 * sd);
  ts_error_quiet(1);
  assert_int_equal(lg_nl_init_varscale(g, 0.0, r), TS_EINVAL);
  ts_error_quiet(0);
  lg_nl_free(g);
  ts_rng_free(r);
  free(y);
}

static void test_divergence(void **state)
{
  (void)state;
  ts_rng *r = ts_rng_alloc(13, 0);
  double Y[N3 * N1], err[201];
  for (int k = 0; k < N3 * N1; k++) Y[k] = 10 * ts_rng_gaussian(r);
  lg_nl_params p = {N1, NH, N3, 50.0, LK};
  lg_nl *g = lg_nl_alloc(&p, Y);
  assert_int_equal(lg_nl_init_varscale(g, 1.0, r), TS_OK);
  ts_error_quiet(1);
  assert_int_equal(lg_nl_run(g, 1000, 5, 0, N3, Y, err), TS_EDIVERGE);
  p.leak = 1.0;
  assert_null(lg_nl_alloc(&p, Y));
  ts_error_quiet(0);
  lg_nl_free(g);
  ts_rng_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_teacher_block),
      cmocka_unit_test(test_gradient_fd),
      cmocka_unit_test(test_error_record),
      cmocka_unit_test(test_init_variance),
      cmocka_unit_test(test_divergence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
