/* Tests of ts_stats: batch means against exact values and against the known SE of independent data; straight-line
 * fits against exact lines and the textbook slope SE. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "ts_stats.h"
#include "ts_test.h"

static void test_batch_mean_exact(void **st)
{
  double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, m, se;
  ts_batch_mean(x, 10, 2, &m, &se);
  assert_close(m, 5.5, 1e-15, 0);
  /* batch means 3 and 8: SE = sqrt(((3-5.5)^2 + (8-5.5)^2) / 1 / 2) = 2.5 */
  assert_close(se, 2.5, 1e-15, 0);
  ts_batch_mean(x, 10, 1, &m, &se);
  assert_true(isinf(se));
  ts_batch_mean(x, 3, 10, &m, &se); /* nb capped at n: three batches of one */
  assert_close(m, 2, 1e-15, 0);
  assert_close(se, 1 / sqrt(3.0), 1e-15, 0);
}

/* For iid N(0,1) data the SE of the mean is 1/sqrt(n); the batch estimate with nb = 20 has relative spread
 * ~ 1/sqrt(2 (nb-1)) = 16 %: averaged over 200 repetitions its mean is within 5 % of 1/sqrt(n). */
static void test_batch_mean_iid(void **st)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 12345);
  enum { n = 2000, reps = 200 };
  static double x[n];
  double avg_se = 0, m, se;
  for (int k = 0; k < reps; k++) {
    for (int i = 0; i < n; i++) x[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    ts_batch_mean(x, n, 20, &m, &se);
    avg_se += se / reps;
  }
  /* E[se] is slightly below 1/sqrt(n) (E of a chi with 19 dof / sqrt 19 = 0.987) */
  assert_close(avg_se, 0.987 / sqrt((double)n), 0.05, 0);
  gsl_rng_free(r);
}

static void test_linfit(void **st)
{
  double x[5] = {0, 1, 2, 3, 4}, y[5], b, a, r2, se;
  for (int i = 0; i < 5; i++) y[i] = 2 - 0.5 * x[i];
  ts_linfit(x, y, 5, &b, &a, &r2, &se);
  assert_close(b, -0.5, 1e-14, 0);
  assert_close(a, 2, 1e-14, 0);
  assert_close(r2, 1, 1e-14, 0);
  assert_close(se, 0, 0, 1e-14);
  /* residuals +1, -1, 0, +1, -1 around y = x: slope 0 change... compute by hand */
  double y2[5] = {1, 0, 2, 4, 3}; /* fit: slope = sum (x-2)(y-2) / 10 = (2+2+0+2+2)/10 = 0.8 */
  ts_linfit(x, y2, 5, &b, &a, &r2, &se);
  assert_close(b, 0.8, 1e-14, 0);
  assert_close(a, 0.4, 1e-14, 0);
  /* rss = sum (y - 0.4 - 0.8 x)^2 = 0.36 + 1.44 + 0 + 1.44 + 0.36 = 3.6; SE = sqrt(3.6 / 3 / 10) */
  assert_close(se, sqrt(3.6 / 30), 1e-14, 0);
  assert_close(r2, 1 - 3.6 / 10, 1e-14, 0);
}

/* Weighted fit: with equal weights it is the ordinary fit; a point with a huge SE is ignored; slope SE = sigma /
 * sqrt(sum (x - mean)^2) for equal SE sigma; chi2 of exact data is 0. */
static void test_wlinfit(void **st)
{
  double x[5] = {0, 1, 2, 3, 4}, y[5] = {1, 0, 2, 4, 3}, se[5] = {0.5, 0.5, 0.5, 0.5, 0.5}, b, a, bse, chi2;
  ts_wlinfit(x, y, se, 5, &b, &a, &bse, &chi2);
  assert_close(b, 0.8, 1e-14, 0);
  assert_close(a, 0.4, 1e-14, 0);
  assert_close(bse, 0.5 / sqrt(10.0), 1e-14, 0);
  assert_close(chi2, 3.6 / 0.25, 1e-13, 0);
  double y2[5] = {2, 3, 4, 100, 6}, se2[5] = {1, 1, 1, 1e9, 1};
  ts_wlinfit(x, y2, se2, 5, &b, &a, NULL, &chi2);
  assert_close(b, 1, 1e-9, 0);
  assert_close(a, 2, 1e-9, 0);
  assert_close(chi2, 0, 0, 1e-12);
}

static void test_first_below(void **st)
{
  double a[4] = {1, 2, 3, 4}, e[4] = {5, 3, 0.5, 0.1};
  assert_close(ts_first_below(a, e, 4, 1.0), 3, 0, 0);
  assert_close(ts_first_below(a, e, 4, 10.0), 1, 0, 0);
  assert_true(isnan(ts_first_below(a, e, 4, 0.01)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_batch_mean_exact), cmocka_unit_test(test_batch_mean_iid),
                                     cmocka_unit_test(test_linfit), cmocka_unit_test(test_wlinfit),
                                     cmocka_unit_test(test_first_below)};
  return cmocka_run_group_tests_name("ts_stats", tests, NULL, NULL);
}
