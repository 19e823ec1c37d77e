/* Tests of papers/tian2020/lib_metrics.c: the Pearson correlation of the authors' code (centred, 1e-10 guards),
 * rho_mean (eq. 9 as the code computes it), matching at 0.95 (strict), Wilson intervals and Spearman ranks. */
#include <string.h>

#include "ts_test.h"
#include "ts_rng.h"
#include "tian2020/tian_metrics.h"
#include "../papers/tian2020/lib_metrics.c"

/* Exact small cases, the guard included: t = s = (1, -1) gives 2 / (2 + 1e-10). */
static void test_corr_exact(void **state)
{
  (void)state;
  double T[] = {1, -1}, S[] = {3, 1}, rho;
  assert_int_equal(tian_corr(T, 1, 1, S, 1, 1, 2, &rho), 0);
  assert_close(rho, 2.0 / (sqrt(2 + TIAN_CORR_EPS) * sqrt(2 + TIAN_CORR_EPS)), 1e-15, 0);
  /* affine images: +1 for a positive scale, -1 for a negative one; a constant column gives 0 */
  double X[] = {0.3, 1.7, -2.0, 0.5, 4.0}, Sm[5 * 3];
  for (int i = 0; i < 5; i++) { Sm[3 * i] = 2 * X[i] + 3; Sm[3 * i + 1] = -X[i]; Sm[3 * i + 2] = 7; }
  double r3[3];
  assert_int_equal(tian_corr(X, 1, 1, Sm, 3, 3, 5, r3), 0);
  assert_close(r3[0], 1, 1e-10, 0);
  assert_close(r3[1], -1, 1e-10, 0);
  assert_close(r3[2], 0, 0, 1e-300);
  /* the stride skips a bias column: columns (t, 1) with ld 2 but m = 1 */
  double Tb[] = {1, 1, -1, 1};
  assert_int_equal(tian_corr(Tb, 2, 1, S, 1, 1, 2, &rho), 0);
  assert_close(rho, 2.0 / (2 + TIAN_CORR_EPS), 1e-15, 0);
  ts_error_quiet(1);
  assert_int_equal(tian_corr(T, 1, 1, S, 1, 1, 0, &rho), TS_EINVAL);
  ts_error_quiet(0);
}

/* Gaussian closed cases, u ~ N(0,1): corr(relu(u), u) = (1/2)/sqrt(1/2 - 1/(2 pi)) = 0.8565 and
 * corr(relu(u), relu(-u)) = -(1/(2 pi))/(1/2 - 1/(2 pi)) = -1/(pi - 1).  Monte Carlo with N = 2e5: the standard
 * error of a sample correlation is <= (1 - rho^2 + O(kurtosis)) / sqrt(N) < 3e-3; allow 5 of them. */
static void test_corr_gaussian(void **state)
{
  (void)state;
  const int N = 200000;
  double *T = malloc((size_t)N * sizeof *T), *S = malloc((size_t)N * 2 * sizeof *S);
  ts_rng *r = ts_rng_alloc(7, 0);
  for (int i = 0; i < N; i++) {
    double u = ts_rng_gaussian(r);
    T[i] = fmax(u, 0);
    S[2 * i] = u;
    S[2 * i + 1] = fmax(-u, 0);
  }
  double rho[2];
  assert_int_equal(tian_corr(T, 1, 1, S, 2, 2, N, rho), 0);
  assert_close(rho[0], 0.5 / sqrt(0.5 - 0.5 / M_PI), 0, 5 * 3e-3);
  assert_close(rho[1], -1 / (M_PI - 1), 0, 5 * 3e-3);
  /* the streaming accumulator gives the same numbers (fed in uneven batches) */
  tian_corr_acc *a = tian_corr_acc_alloc(1, 2);
  for (int i = 0; i < N;) {
    int B = i % 3 == 0 ? 64 : 37;
    if (i + B > N) B = N - i;
    tian_corr_acc_add(a, T + i, 1, S + 2 * (size_t)i, 2, B);
    i += B;
  }
  double ra[2];
  tian_corr_acc_rho(a, ra);
  assert_close(ra[0], rho[0], 1e-9, 0);
  assert_close(ra[1], rho[1], 1e-9, 0);
  tian_corr_acc_reset(a);
  tian_corr_acc_rho(a, ra);
  assert_close(ra[0], 0, 0, 0);
  tian_corr_acc_free(a);
  ts_rng_free(r);
  free(T);
  free(S);
}

/* rho_mean = mean over teachers of the max over students (not max max); per-student best; strict 0.95. */
static void test_best_and_matched(void **state)
{
  (void)state;
  /* m = 2 teachers, n = 3 students */
  const double rho[] = {0.20, 0.95, 0.10,   /* teacher 0: best 0.95 (student 1): NOT matched (strict) */
                        0.97, 0.30, -0.50}; /* teacher 1: best 0.97 (student 0): matched */
  assert_close(tian_rho_mean(rho, 2, 3), (0.95 + 0.97) / 2, 1e-15, 0);
  double b[3];
  int a[3], mt[2];
  tian_teacher_best(rho, 2, 3, b, a);
  assert_close(b[0], 0.95, 0, 0); assert_int_equal(a[0], 1);
  assert_close(b[1], 0.97, 0, 0); assert_int_equal(a[1], 0);
  tian_student_best(rho, 2, 3, b, a);
  assert_close(b[0], 0.97, 0, 0); assert_int_equal(a[0], 1);
  assert_close(b[1], 0.95, 0, 0); assert_int_equal(a[1], 0);
  assert_close(b[2], 0.10, 0, 0); assert_int_equal(a[2], 0);
  assert_int_equal(tian_matched(rho, 2, 3, TIAN_MATCH_RHO, mt), 1);
  assert_int_equal(mt[0], 0);
  assert_int_equal(mt[1], 1);
  assert_int_equal(tian_matched(rho, 2, 3, 0.94, NULL), 2);
}

/* Wilson score intervals against hand-computed values (z = 1.96). */
static void test_wilson(void **state)
{
  (void)state;
  double lo, hi;
  tian_wilson(5, 10, 1.96, &lo, &hi); /* centre 0.5, half-width 1.96 sqrt(0.025 + 0.0096) / 1.38416 */
  assert_close(lo, 0.5 - 1.96 * sqrt(0.025 + 1.96 * 1.96 / 400) / (1 + 1.96 * 1.96 / 10), 1e-12, 0);
  assert_close(lo, 0.2366, 0, 1e-4);
  assert_close(hi, 0.7634, 0, 1e-4);
  tian_wilson(32, 32, 1.96, &lo, &hi);
  assert_close(lo, 32 / (32 + 1.96 * 1.96), 1e-12, 0);
  assert_close(hi, 1, 0, 0);
  tian_wilson(0, 8, 1.96, &lo, &hi);
  assert_close(lo, 0, 0, 0);
  assert_close(hi, 1.96 * 1.96 / (8 + 1.96 * 1.96), 1e-12, 0);
  assert_close(tian_binom_se(8, 32), sqrt(0.25 * 0.75 / 32), 1e-15, 0);
}

/* Spearman: monotone maps give +-1; ties get average ranks; +inf is the largest value. */
static void test_spearman(void **state)
{
  (void)state;
  double x[] = {1, 2, 3, 4, 5}, y[] = {2, 20, 21, 100, 1e9}, z[] = {5, 4, 3, 2, 1};
  assert_close(tian_spearman(x, y, 5), 1, 1e-15, 0);
  assert_close(tian_spearman(x, z, 5), -1, 1e-15, 0);
  double xt[] = {1, 2, 2, 3}, yt[] = {1, 2, 3, 4}, rk[4];
  tian_ranks(xt, 4, rk);
  assert_close(rk[0], 1, 0, 0); assert_close(rk[1], 2.5, 0, 0); assert_close(rk[2], 2.5, 0, 0);
  assert_close(rk[3], 4, 0, 0);
  assert_close(tian_spearman(xt, yt, 4), 4.5 / sqrt(4.5 * 5), 1e-15, 0);
  double xi[] = {1, INFINITY, INFINITY}, yi[] = {1, 2, 3};
  assert_close(tian_spearman(xi, yi, 3), sqrt(0.75), 1e-15, 0);
  double c[] = {1, 1, 1};
  assert_true(isnan(tian_spearman(c, yi, 3)));
  assert_true(isnan(tian_spearman(x, y, 1)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corr_exact),  cmocka_unit_test(test_corr_gaussian), cmocka_unit_test(test_best_and_matched),
      cmocka_unit_test(test_wilson),      cmocka_unit_test(test_spearman),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
