/* test_rng — streams are reproducible and distinct; uniforms and Gaussians have the right distribution.
 * Statistical checks use fixed seeds and thresholds at tiny false-positive rates (5 standard errors, about
 * 6e-7 two-sided, or the stated p for the goodness-of-fit tests), computed from the statistic's own
 * distribution, never from this generator's output. */
#include "ts_test.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

#include "ts_rng.h"

#define NDRAW 1000000

/* ---------- reproducibility ---------- */

static void test_same_stream_same_sequence(void **state)
{
  ts_rng *a = ts_rng_alloc(12345, 3), *b = ts_rng_alloc(12345, 3);
  assert_non_null(a);
  assert_non_null(b);
  for (int i = 0; i < 1000; i++) assert_true(ts_rng_u64(a) == ts_rng_u64(b));
  double xa[1001], xb[1001];
  ts_rng_gaussian_fill(a, xa, 1001);
  ts_rng_gaussian_fill(b, xb, 1001);
  assert_memory_equal(xa, xb, sizeof xa);
  for (int i = 0; i < 100; i++) assert_true(ts_rng_gaussian(a) == ts_rng_gaussian(b));
  for (int i = 0; i < 100; i++) assert_true(ts_rng_uniform(a) == ts_rng_uniform(b));
  ts_rng_free(a);
  ts_rng_free(b);
}

/* count equal values at equal positions of two sequences */
static int count_equal_u64(ts_rng *a, ts_rng *b, int n)
{
  int eq = 0;
  for (int i = 0; i < n; i++) eq += ts_rng_u64(a) == ts_rng_u64(b);
  return eq;
}

static int count_equal_gauss(ts_rng *a, ts_rng *b, int n)
{
  double xa[64], xb[64];
  int eq = 0;
  for (int i = 0; i < n; i += 64) {
    ts_rng_gaussian_fill(a, xa, 64);
    ts_rng_gaussian_fill(b, xb, 64);
    for (int j = 0; j < 64; j++) eq += xa[j] == xb[j];
  }
  return eq;
}

static void test_streams_differ(void **state)
{
  /* other stream, other seed, neighbouring stream ids and seeds: no value in common (64-bit values coincide with
   * probability 2^-64, Gaussians with 2^-50 or so) */
  const uint64_t pairs[][4] = {{1, 0, 1, 1}, {1, 0, 2, 0}, {0, 0, 0, 1}, {7, 100, 7, 101}, {7, 100, 8, 100}};
  for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
    ts_rng *a = ts_rng_alloc(pairs[p][0], pairs[p][1]), *b = ts_rng_alloc(pairs[p][2], pairs[p][3]);
    assert_int_equal(count_equal_u64(a, b, 4096), 0);
    assert_int_equal(count_equal_gauss(a, b, 4096), 0);
    ts_rng_free(a);
    ts_rng_free(b);
  }
}

static void test_names(void **state)
{
  assert_true(strlen(ts_rng_generator_name()) > 0);
  assert_true(strlen(ts_rng_sampler_name()) > 0);
}

/* ---------- uniforms ---------- */

static void test_uniform(void **state)
{
  ts_rng *r = ts_rng_alloc(2024, 0);
  double s = 0.0, s2 = 0.0, mn = 1.0, mx = 0.0;
  for (int i = 0; i < NDRAW; i++) {
    double u = ts_rng_uniform(r);
    s += u;
    s2 += u * u;
    if (u < mn) mn = u;
    if (u > mx) mx = u;
  }
  assert_true(mn > 0.0);
  assert_true(mx < 1.0);
  /* mean 1/2 (SE sqrt(1/12 n)), second moment 1/3 (Var u^2 = 1/5 - 1/9 = 4/45) */
  assert_close(s / NDRAW, 0.5, 0.0, 5.0 * sqrt(1.0 / 12.0 / NDRAW));
  assert_close(s2 / NDRAW, 1.0 / 3.0, 0.0, 5.0 * sqrt(4.0 / 45.0 / NDRAW));
  /* each bit of the 64-bit output is 1 with probability 1/2 (SE sqrt(1/4 n)) */
  long ones[64] = {0};
  const int nb = 200000;
  for (int i = 0; i < nb; i++) {
    uint64_t u = ts_rng_u64(r);
    for (int b = 0; b < 64; b++) ones[b] += (long)(u >> b & 1u);
  }
  for (int b = 0; b < 64; b++) assert_close((double)ones[b] / nb, 0.5, 0.0, 5.0 * sqrt(0.25 / nb));
  ts_rng_free(r);
}

/* ---------- Gaussians ---------- */

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* The full battery on n draws (x is sorted in place). */
static void check_gaussian_sample(double *x, size_t n)
{
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (size_t i = 0; i < n; i++) {
    assert_true(isfinite(x[i]));
    double z2 = x[i] * x[i];
    m1 += x[i];
    m2 += z2;
    m3 += z2 * x[i];
    m4 += z2 * z2;
  }
  m1 /= n, m2 /= n, m3 /= n, m4 /= n;
  /* moments of N(0,1): 0, 1, 0, 3; variances of z^k: 1, 2, 15, 96 (E z^2k - (E z^k)^2) */
  assert_close(m1, 0.0, 0.0, 5.0 * sqrt(1.0 / n));
  assert_close(m2, 1.0, 0.0, 5.0 * sqrt(2.0 / n));
  assert_close(m3, 0.0, 0.0, 5.0 * sqrt(15.0 / n));
  assert_close(m4, 3.0, 0.0, 5.0 * sqrt(96.0 / n));

  /* chi^2 on 80 bins of width 0.1 in [-4, 4] plus the two tails (expected >= 31 per bin at n = 1e6);
   * threshold: the chi^2(81) quantile at p = 1e-6 */
  enum { NB = 82 };
  double cnt[NB] = {0};
  for (size_t i = 0; i < n; i++) {
    int b;
    if (x[i] < -4.0) b = 0;
    else if (x[i] >= 4.0) b = NB - 1;
    else {
      b = 1 + (int)floor((x[i] + 4.0) * 10.0);
      if (b > NB - 2) b = NB - 2;
    }
    cnt[b] += 1.0;
  }
  double chi2 = 0.0;
  for (int b = 0; b < NB; b++) {
    double lo = b == 0 ? -INFINITY : -4.0 + 0.1 * (b - 1), hi = b == NB - 1 ? INFINITY : -4.0 + 0.1 * b;
    double p = (b == 0 ? normal_cdf(-4.0) : b == NB - 1 ? normal_cdf(-4.0) : normal_cdf(hi) - normal_cdf(lo));
    double e = p * (double)n;
    chi2 += (cnt[b] - e) * (cnt[b] - e) / e;
  }
  double crit = gsl_cdf_chisq_Qinv(1e-6, NB - 1);
  if (!(chi2 < crit)) print_error("chi2 = %g >= %g\n", chi2, crit);
  assert_true(chi2 < crit);

  /* the ziggurat's tail beyond r = 3.6541528853610088 (its own code path): binomial count within 5 SE */
  const double r = 3.6541528853610088;
  double pt = 2.0 * normal_cdf(-r), nt = 0.0;
  for (size_t i = 0; i < n; i++) nt += fabs(x[i]) > r;
  assert_close(nt, pt * n, 0.0, 5.0 * sqrt(n * pt * (1.0 - pt)));

  /* Kolmogorov-Smirnov: sqrt(n) D < 2.6934, where 2 exp(-2 t^2) = 1e-6 (asymptotic Kolmogorov tail) */
  qsort(x, n, sizeof *x, cmp_double);
  double d = 0.0;
  for (size_t i = 0; i < n; i++) {
    double f = normal_cdf(x[i]);
    double d1 = (double)(i + 1) / n - f, d2 = f - (double)i / n;
    if (d1 > d) d = d1;
    if (d2 > d) d = d2;
  }
  assert_close(sqrt((double)n) * d, 0.0, 0.0, sqrt(log(2e6) / 2.0));
}

static void test_gaussian_fill_distribution(void **state)
{
  double *x = malloc(sizeof(double) * NDRAW);
  assert_non_null(x);
  ts_rng *r = ts_rng_alloc(99, 5);
  ts_rng_gaussian_fill(r, x, NDRAW);
  check_gaussian_sample(x, NDRAW);
  ts_rng_free(r);
  free(x);
}

static void test_gaussian_single_distribution(void **state)
{
  double *x = malloc(sizeof(double) * NDRAW);
  assert_non_null(x);
  ts_rng *r = ts_rng_alloc(4242, 0);
  for (size_t i = 0; i < NDRAW; i++) x[i] = ts_rng_gaussian(r);
  check_gaussian_sample(x, NDRAW);
  ts_rng_free(r);
  free(x);
}

/* fills of irregular lengths (0..20), interleaved with single draws and uniforms: still N(0,1) */
static void test_gaussian_mixed_distribution(void **state)
{
  double *x = malloc(sizeof(double) * NDRAW);
  assert_non_null(x);
  ts_rng *r = ts_rng_alloc(31337, 2);
  size_t i = 0;
  while (i < NDRAW) {
    size_t len = (size_t)(ts_rng_u64(r) % 21);
    if (len > NDRAW - i) len = NDRAW - i;
    ts_rng_gaussian_fill(r, x + i, len);
    i += len;
    if (i < NDRAW && (ts_rng_u64(r) & 1u)) x[i++] = ts_rng_gaussian(r);
  }
  check_gaussian_sample(x, NDRAW);
  ts_rng_free(r);
  free(x);
}

/* 2e7 draws (fill path, chunks of odd length): chi^2 on 180 bins of width 0.05 in [-4.5, 4.5] plus the two tails
 * (the smallest expected count is 68), and the shape of the tail beyond the ziggurat's r, which has its own
 * code path: KS of |x| given |x| > r against 1 - Q(x)/Q(r), Q the normal upper tail (about 5200 draws). */
static void test_gaussian_large_sample(void **state)
{
  enum { NB = 182, CH = 100003 };
  const size_t n = 20000000;
  const double r = 3.6541528853610088;
  double *x = malloc(sizeof(double) * CH), *tail = malloc(sizeof(double) * 20000);
  double *cnt = calloc(NB, sizeof(double));
  assert_non_null(x);
  assert_non_null(tail);
  assert_non_null(cnt);
  size_t nt = 0;
  ts_rng *g = ts_rng_alloc(777, 9);
  for (size_t done = 0; done < n; done += CH) {
    size_t len = n - done < CH ? n - done : CH;
    ts_rng_gaussian_fill(g, x, len);
    for (size_t i = 0; i < len; i++) {
      int b;
      if (x[i] < -4.5) b = 0;
      else if (x[i] >= 4.5) b = NB - 1;
      else {
        b = 1 + (int)floor((x[i] + 4.5) * 20.0);
        if (b > NB - 2) b = NB - 2;
      }
      cnt[b] += 1.0;
      if (fabs(x[i]) > r && nt < 20000) tail[nt++] = fabs(x[i]);
    }
  }
  double chi2 = 0.0;
  for (int b = 0; b < NB; b++) {
    double p = (b == 0 || b == NB - 1) ? normal_cdf(-4.5)
                                       : normal_cdf(-4.5 + 0.05 * b) - normal_cdf(-4.5 + 0.05 * (b - 1));
    double e = p * (double)n;
    chi2 += (cnt[b] - e) * (cnt[b] - e) / e;
  }
  double crit = gsl_cdf_chisq_Qinv(1e-6, NB - 1);
  if (!(chi2 < crit)) print_error("chi2 = %g >= %g\n", chi2, crit);
  assert_true(chi2 < crit);

  double pt = 2.0 * normal_cdf(-r);
  assert_close((double)nt, pt * n, 0.0, 5.0 * sqrt(n * pt * (1.0 - pt)));
  qsort(tail, nt, sizeof *tail, cmp_double);
  double d = 0.0, qr = erfc(r / sqrt(2.0));
  for (size_t i = 0; i < nt; i++) {
    double f = 1.0 - erfc(tail[i] / sqrt(2.0)) / qr;
    double d1 = (double)(i + 1) / nt - f, d2 = f - (double)i / nt;
    if (d1 > d) d = d1;
    if (d2 > d) d = d2;
  }
  assert_close(sqrt((double)nt) * d, 0.0, 0.0, sqrt(log(2e6) / 2.0));
  ts_rng_free(g);
  free(x);
  free(tail);
  free(cnt);
}

/* successive draws and two streams are uncorrelated: sample correlations within 5 SE (1/sqrt n) of 0 at lags
 * 1..17 (covers the 8-lane structure of the generator) and between streams 0 and 1 of one seed */
static void test_gaussian_correlations(void **state)
{
  const size_t n = 400000;
  double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n);
  assert_non_null(x);
  assert_non_null(y);
  ts_rng *a = ts_rng_alloc(5, 0), *b = ts_rng_alloc(5, 1);
  ts_rng_gaussian_fill(a, x, n);
  ts_rng_gaussian_fill(b, y, n);
  for (size_t lag = 1; lag <= 17; lag++) {
    double c = 0.0;
    for (size_t i = 0; i + lag < n; i++) c += x[i] * x[i + lag];
    assert_close(c / (double)(n - lag), 0.0, 0.0, 5.0 / sqrt((double)(n - lag)));
  }
  double c = 0.0, c2 = 0.0;
  for (size_t i = 0; i < n; i++) c += x[i] * y[i], c2 += x[i] * x[i] * y[i] * y[i];
  assert_close(c / (double)n, 0.0, 0.0, 5.0 / sqrt((double)n));
  /* E[x^2 y^2] = 1 for independent x, y (Var x^2 y^2 = 9 - 1 = 8) */
  assert_close(c2 / (double)n, 1.0, 0.0, 5.0 * sqrt(8.0 / (double)n));
  ts_rng_free(a);
  ts_rng_free(b);
  free(x);
  free(y);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_stream_same_sequence),
      cmocka_unit_test(test_streams_differ),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_uniform),
      cmocka_unit_test(test_gaussian_fill_distribution),
      cmocka_unit_test(test_gaussian_single_distribution),
      cmocka_unit_test(test_gaussian_mixed_distribution),
      cmocka_unit_test(test_gaussian_large_sample),
      cmocka_unit_test(test_gaussian_correlations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
