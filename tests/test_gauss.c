/* test_gauss — Gaussian averages of ts_gauss against Monte Carlo and exact special cases.
 *
 * Monte Carlo: for each of a few random 4x4 SPD covariances C (A A^T/n + small diagonal, fixed seed), draw
 * TS__NMC samples x = L z (L = Cholesky factor of C, z ~ N(0, I)) and average every integrand (I2, J2, I3, I4
 * for each activation, with distinct and repeated indices, and every mixed I2 pair) over the same samples.  Each
 * estimate must agree with the closed form within 5 standard errors (sample standard deviation / sqrt(n)). */
#include "ts_test.h"

#include "ts_err.h"
#include "ts_gauss.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define TS__NMC 1000000 /* MC samples per covariance (>= 1e6 as required; cost ~0.2 s per covariance at -O2) */
#define TS__NSE 5.0     /* tolerance in standard errors */
/* Absolute slack added to the 5-SE MC tolerance: only matters for integrands with zero variance (e.g. linear J2
 * = 1 for every sample), where the MC mean equals the exact value up to summation rounding (~1e6 * 1e-16). */
#define TS__MC_ATOL 1e-9

/* ---------- random SPD covariances ---------- */

/* C = scale * (A A^T / n + diag * I) with A (4 x n) standard normal. */
static void ts__random_cov(gsl_rng *r, int n, double diag, double scale, double C[16])
{
  double A[4][16];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < n; j++) A[i][j] = gsl_ran_gaussian_ziggurat(r, 1.0);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 4; k++) {
      double s = 0.0;
      for (int j = 0; j < n; j++) s += A[i][j] * A[k][j];
      C[i * 4 + k] = scale * (s / n + (i == k ? diag : 0.0));
    }
}

/* ---------- integrand cases ---------- */

enum { TS__I2, TS__J2, TS__I3, TS__I4, TS__MIX };

typedef struct {
  int kind;
  ts_act act, act2; /* act2 only for TS__MIX */
  int idx[4];
  double sum, sumsq; /* MC accumulators */
} ts__case;

static double ts__analytic(const ts__case *c, const double C[16])
{
  const int *x = c->idx;
#define CV(i, j) C[x[i] * 4 + x[j]]
  switch (c->kind) {
  case TS__I2: return ts_gauss_i2(c->act, CV(0, 0), CV(0, 1), CV(1, 1));
  case TS__J2: return ts_gauss_j2(c->act, CV(0, 0), CV(0, 1), CV(1, 1));
  case TS__I3: return ts_gauss_i3(c->act, CV(0, 0), CV(0, 1), CV(0, 2), CV(1, 2), CV(2, 2));
  case TS__I4: {
    double S[16];
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) S[i * 4 + j] = CV(i, j);
    return ts_gauss_i4(c->act, S);
  }
  case TS__MIX: return ts_gauss_i2_mixed(c->act, c->act2, CV(0, 0), CV(0, 1), CV(1, 1));
  }
#undef CV
  return NAN;
}

/* g and g' written out here, independently of ts_act_g / ts_act_dg */
static void ts__eval_acts(const double x[4], double g[3][4], double dg[3][4])
{
  for (int i = 0; i < 4; i++) {
    g[TS_ACT_ERF][i] = erf(x[i] / sqrt(2.0));
    dg[TS_ACT_ERF][i] = sqrt(2.0 / M_PI) * exp(-x[i] * x[i] / 2.0);
    g[TS_ACT_LINEAR][i] = x[i];
    dg[TS_ACT_LINEAR][i] = 1.0;
    g[TS_ACT_RELU][i] = x[i] > 0.0 ? x[i] : 0.0;
    dg[TS_ACT_RELU][i] = x[i] > 0.0 ? 1.0 : 0.0;
  }
}

static double ts__integrand(const ts__case *c, const double x[4], double g[3][4], double dg[3][4])
{
  const int *i = c->idx;
  const int a = c->act;
  switch (c->kind) {
  case TS__I2: return g[a][i[0]] * g[a][i[1]];
  case TS__J2: return dg[a][i[0]] * dg[a][i[1]];
  case TS__I3: return dg[a][i[0]] * x[i[1]] * g[a][i[2]];
  case TS__I4: return dg[a][i[0]] * dg[a][i[1]] * g[a][i[2]] * g[a][i[3]];
  case TS__MIX: return g[a][i[0]] * g[c->act2][i[1]];
  }
  return NAN;
}

static const char *ts__kind_name(int k)
{
  static const char *n[] = {"I2", "J2", "I3", "I4", "I2mixed"};
  return n[k];
}

/* Build the case list: returns the number of cases written into cs (capacity cap). */
static int ts__build_cases(ts__case *cs, int cap)
{
  int n = 0;
#define ADD(k, a1, a2, i0, i1, i2, i3)                                                                             \
  do {                                                                                                             \
    assert_true(n < cap);                                                                                          \
    cs[n++] = (ts__case){.kind = (k), .act = (a1), .act2 = (a2), .idx = {(i0), (i1), (i2), (i3)}};                 \
  } while (0)
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  for (int q = 0; q < 3; q++) {
    ts_act a = acts[q];
    ADD(TS__I2, a, a, 0, 1, 0, 0);
    ADD(TS__I2, a, a, 2, 3, 0, 0);
    ADD(TS__I2, a, a, 2, 2, 0, 0); /* repeated index */
    ADD(TS__J2, a, a, 0, 1, 0, 0);
    ADD(TS__J2, a, a, 1, 3, 0, 0);
    ADD(TS__J2, a, a, 3, 3, 0, 0);
    ADD(TS__I3, a, a, 0, 1, 2, 0);
    ADD(TS__I3, a, a, 3, 2, 1, 0);
    ADD(TS__I3, a, a, 0, 0, 2, 0); /* b = a */
    ADD(TS__I3, a, a, 0, 1, 0, 0); /* c = a */
    ADD(TS__I3, a, a, 0, 2, 2, 0); /* c = b */
    ADD(TS__I3, a, a, 1, 1, 1, 0); /* all equal */
    if (a != TS_ACT_RELU) {
      ADD(TS__I4, a, a, 0, 1, 2, 3);
      ADD(TS__I4, a, a, 3, 1, 0, 2);
      ADD(TS__I4, a, a, 0, 0, 2, 3); /* a = b */
      ADD(TS__I4, a, a, 0, 1, 2, 2); /* c = d */
      ADD(TS__I4, a, a, 0, 1, 0, 1); /* c = a, d = b */
      ADD(TS__I4, a, a, 2, 2, 2, 2); /* all equal */
    }
  }
  for (int p = 0; p < 3; p++)
    for (int q = 0; q < 3; q++) {
      if (p == q) continue;
      ADD(TS__MIX, acts[p], acts[q], 0, 1, 0, 0);
      ADD(TS__MIX, acts[p], acts[q], 3, 2, 0, 0);
      ADD(TS__MIX, acts[p], acts[q], 1, 1, 0, 0); /* same field */
    }
#undef ADD
  return n;
}

/* Run the MC for one covariance and compare every case; prints each failure, fails at the end. */
static void ts__mc_check(const double C[16], unsigned long seed)
{
  ts__case cs[128];
  int nc = ts__build_cases(cs, 128);

  gsl_matrix *L = gsl_matrix_alloc(4, 4);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) gsl_matrix_set(L, i, j, C[i * 4 + j]);
  assert_int_equal(gsl_linalg_cholesky_decomp1(L), GSL_SUCCESS);
  double Lc[4][4] = {{0}};
  for (int i = 0; i < 4; i++)
    for (int j = 0; j <= i; j++) Lc[i][j] = gsl_matrix_get(L, i, j);
  gsl_matrix_free(L);

  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  for (long s = 0; s < TS__NMC; s++) {
    double z[4], x[4], g[3][4], dg[3][4];
    for (int i = 0; i < 4; i++) z[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int i = 0; i < 4; i++) {
      x[i] = 0.0;
      for (int j = 0; j <= i; j++) x[i] += Lc[i][j] * z[j];
    }
    ts__eval_acts(x, g, dg);
    for (int k = 0; k < nc; k++) {
      double f = ts__integrand(&cs[k], x, g, dg);
      cs[k].sum += f;
      cs[k].sumsq += f * f;
    }
  }
  gsl_rng_free(r);

  int nfail = 0;
  for (int k = 0; k < nc; k++) {
    double mean = cs[k].sum / TS__NMC;
    double var = (cs[k].sumsq / TS__NMC - mean * mean) * TS__NMC / (TS__NMC - 1.0);
    double se = sqrt(var > 0.0 ? var : 0.0) / sqrt((double)TS__NMC);
    double want = ts__analytic(&cs[k], C);
    double err = fabs(mean - want);
    if (!(err <= TS__NSE * se + TS__MC_ATOL)) {
      print_error("%s %s/%s idx (%d,%d,%d,%d): closed form %.10g, MC %.10g +- %.3g (%.1f SE)\n",
                  ts__kind_name(cs[k].kind), ts_act_name(cs[k].act), ts_act_name(cs[k].act2), cs[k].idx[0],
                  cs[k].idx[1], cs[k].idx[2], cs[k].idx[3], want, mean, se, se > 0 ? err / se : INFINITY);
      nfail++;
    }
  }
  assert_int_equal(nfail, 0);
}

static void test_mc_cov_a(void **state)
{
  (void)state;
  double C[16];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 11);
  ts__random_cov(r, 4, 0.05, 1.0, C); /* generic, unit-ish variances */
  gsl_rng_free(r);
  ts__mc_check(C, 101);
}

static void test_mc_cov_b(void **state)
{
  (void)state;
  double C[16];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 12);
  ts__random_cov(r, 2, 0.02, 2.5, C); /* nearly rank 2: strong (anti)correlations; variances ~2.5 */
  gsl_rng_free(r);
  ts__mc_check(C, 102);
}

static void test_mc_cov_c(void **state)
{
  (void)state;
  double C[16];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 13);
  ts__random_cov(r, 8, 0.05, 0.3, C); /* weak correlations, small variances */
  gsl_rng_free(r);
  ts__mc_check(C, 103);
}

/* ---------- exact special cases ---------- */

static void test_act_parse_name(void **state)
{
  (void)state;
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  for (int i = 0; i < 3; i++) {
    ts_act a = (ts_act)99;
    assert_int_equal(ts_act_parse(ts_act_name(acts[i]), &a), TS_OK);
    assert_int_equal(a, acts[i]);
  }
  ts_act a;
  assert_int_equal(ts_act_parse("erf", &a), TS_OK);
  assert_int_equal(a, TS_ACT_ERF);
  assert_int_equal(ts_act_parse("ReLU", &a), TS_EINVAL);
  assert_int_equal(ts_act_parse("", &a), TS_EINVAL);
  assert_int_equal(ts_act_parse(NULL, &a), TS_EINVAL);
  assert_string_equal(ts_act_name(TS_ACT_RELU), "relu");
}

static void test_act_values(void **state)
{
  (void)state;
  /* erf(1/sqrt2) = P(|Z| < 1) = 0.682689492137086 (the "68%" of the 68-95-99.7 rule) */
  assert_close(ts_act_g(TS_ACT_ERF, 1.0), 0.682689492137086, 1e-14, 0);
  assert_close(ts_act_g(TS_ACT_ERF, -1.0), -0.682689492137086, 1e-14, 0);
  assert_close(ts_act_dg(TS_ACT_ERF, 0.0), sqrt(2.0 / M_PI), 1e-15, 0);
  assert_close(ts_act_g(TS_ACT_LINEAR, -3.5), -3.5, 0, 0);
  assert_close(ts_act_dg(TS_ACT_LINEAR, -3.5), 1.0, 0, 0);
  assert_close(ts_act_g(TS_ACT_RELU, 2.0), 2.0, 0, 0);
  assert_close(ts_act_g(TS_ACT_RELU, -2.0), 0.0, 0, 0);
  assert_close(ts_act_dg(TS_ACT_RELU, 2.0), 1.0, 0, 0);
  assert_close(ts_act_dg(TS_ACT_RELU, -2.0), 0.0, 0, 0);
  assert_close(ts_act_dg(TS_ACT_RELU, 0.0), 0.0, 0, 0); /* convention g'(0) = 0 */
  /* g' is the derivative of g: central difference, h = 1e-5 gives O(h^2) = 1e-10 truncation error */
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  const double xs[4] = {-1.7, -0.3, 0.4, 2.2};
  for (int q = 0; q < 3; q++)
    for (int i = 0; i < 4; i++) {
      double h = 1e-5, x = xs[i];
      double fd = (ts_act_g(acts[q], x + h) - ts_act_g(acts[q], x - h)) / (2 * h);
      assert_close(ts_act_dg(acts[q], x), fd, 0, 1e-8);
    }
}

static void test_erf_exact(void **state)
{
  (void)state;
  /* I2 with C_aa = C_bb = C_ab = 1: (2/pi) asin(1/2) = 1/3 */
  assert_close(ts_gauss_i2(TS_ACT_ERF, 1, 1, 1), 1.0 / 3.0, 1e-15, 0);
  /* independent fields: E[g(a)] E[g(b)] = 0 */
  assert_close(ts_gauss_i2(TS_ACT_ERF, 0.7, 0, 1.3), 0.0, 0, 1e-300);
  /* J2(a,a) with C_aa = 1: (2/pi) E[exp(-x^2)] = (2/pi) / sqrt(3) */
  assert_close(ts_gauss_j2(TS_ACT_ERF, 1, 1, 1), 2.0 / (M_PI * sqrt(3.0)), 1e-15, 0);
  /* J2 with independent fields factorises: E[g'(a)] E[g'(b)] = (2/pi) / sqrt((1+caa)(1+cbb)) */
  assert_close(ts_gauss_j2(TS_ACT_ERF, 0.5, 0, 2.0), (2.0 / M_PI) / sqrt(1.5 * 3.0), 1e-15, 0);
  /* I4 with all four fields independent: E[g'(a)] E[g'(b)] E[g(c)] E[g(d)] = 0;
   * with (a,b) independent of (c,d): E[g'(a)g'(b)] E[g(c)g(d)] = J2 * I2 */
  double C[16] = {1.2, 0.3, 0, 0, 0.3, 0.8, 0, 0, 0, 0, 1.5, -0.4, 0, 0, -0.4, 0.6};
  assert_close(ts_gauss_i4(TS_ACT_ERF, C),
               ((2.0 / M_PI) / sqrt(2.2 * 1.8 - 0.09)) * ((2.0 / M_PI) * asin(-0.4 / sqrt(2.5 * 1.6))), 1e-14, 0);
}

/* I3 = 0 when x_b is independent of x_a and x_c (C_ab = C_bc = 0): E[x_b] = 0 factorises out */
static void test_i3_independent_b(void **state)
{
  (void)state;
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  for (int q = 0; q < 3; q++) {
    assert_close(ts_gauss_i3(acts[q], 1.3, 0.0, 0.6, 0.0, 0.9), 0.0, 0, 1e-300);
    assert_close(ts_gauss_i3(acts[q], 0.4, 0.0, -0.5, 0.0, 2.0), 0.0, 0, 1e-300);
  }
}

/* I4 is symmetric under a <-> b and under c <-> d */
static void test_i4_symmetry(void **state)
{
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 21);
  for (int t = 0; t < 5; t++) {
    double C[16], P[16];
    ts__random_cov(r, 3, 0.1, 1.5, C);
    const int perms[3][4] = {{1, 0, 2, 3}, {0, 1, 3, 2}, {1, 0, 3, 2}};
    for (int p = 0; p < 3; p++) {
      for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) P[i * 4 + j] = C[perms[p][i] * 4 + perms[p][j]];
      assert_close(ts_gauss_i4(TS_ACT_ERF, P), ts_gauss_i4(TS_ACT_ERF, C), 1e-13, 1e-15);
      assert_close(ts_gauss_i4(TS_ACT_LINEAR, P), ts_gauss_i4(TS_ACT_LINEAR, C), 0, 0);
    }
  }
  gsl_rng_free(r);
}

static void test_linear_exact(void **state)
{
  (void)state;
  double C[16] = {1.1, 0.2, -0.3, 0.4, 0.2, 0.9, 0.5, -0.1, -0.3, 0.5, 1.7, 0.25, 0.4, -0.1, 0.25, 0.6};
  assert_close(ts_gauss_i2(TS_ACT_LINEAR, 1.1, 0.2, 0.9), 0.2, 0, 0);
  assert_close(ts_gauss_j2(TS_ACT_LINEAR, 1.1, 0.2, 0.9), 1.0, 0, 0);
  assert_close(ts_gauss_i3(TS_ACT_LINEAR, 1.1, 0.2, -0.3, 0.5, 1.7), 0.5, 0, 0);
  assert_close(ts_gauss_i4(TS_ACT_LINEAR, C), 0.25, 0, 0);
}

static void test_relu_exact(void **state)
{
  (void)state;
  /* I2 at correlation +1 (x_b = 2 x_a): E[relu(a) relu(2a)] = 2 E[a^2 Theta(a)] = C_aa = 1 = C_ab/2;
   * at correlation -1 the two are never positive together: 0 */
  assert_close(ts_gauss_i2(TS_ACT_RELU, 1, 2, 4), 1.0, 1e-15, 0);
  assert_close(ts_gauss_i2(TS_ACT_RELU, 1, -2, 4), 0.0, 0, 1e-15);
  /* independent: E[relu(a)] E[relu(b)] = sqrt(caa cbb) / (2 pi) */
  assert_close(ts_gauss_i2(TS_ACT_RELU, 0.5, 0, 2), 1.0 / (2 * M_PI), 1e-15, 0);
  /* J2 = P(a > 0, b > 0): 1/4 independent, 1/2 identical, 0 opposite, 1/3 at corr 1/2 (orthant angle) */
  assert_close(ts_gauss_j2(TS_ACT_RELU, 2, 0, 3), 0.25, 1e-15, 0);
  assert_close(ts_gauss_j2(TS_ACT_RELU, 2, 2, 2), 0.5, 1e-15, 0);
  assert_close(ts_gauss_j2(TS_ACT_RELU, 1, -3, 9), 0.0, 0, 1e-15);
  assert_close(ts_gauss_j2(TS_ACT_RELU, 1, 0.5, 1), 1.0 / 3.0, 1e-15, 0);
  /* I3(a,b,a) = E[Theta(a) relu(a) x_b]: regress x_b = (C_ab/C_aa) a + z -> (C_ab/C_aa) E[a^2 Theta(a)] = C_ab/2 */
  assert_close(ts_gauss_i3(TS_ACT_RELU, 1.7, 0.6, 1.7, 0.6, 1.7), 0.3, 1e-15, 0);
  /* I3(a,a,a) = E[a^2 Theta(a)] = C_aa/2 */
  assert_close(ts_gauss_i3(TS_ACT_RELU, 0.9, 0.9, 0.9, 0.9, 0.9), 0.45, 1e-15, 0);
  /* I3(a,a,c) with c independent of a: E[a Theta(a)] E[relu(c)] = sqrt(caa/(2pi)) sqrt(ccc/(2pi)) */
  assert_close(ts_gauss_i3(TS_ACT_RELU, 1.3, 1.3, 0.0, 0.0, 0.8), sqrt(1.3 * 0.8) / (2 * M_PI), 1e-15, 0);
  /* I4: not available */
  double C[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  assert_true(isnan(ts_gauss_i4(TS_ACT_RELU, C)));
}

static void test_mixed_exact(void **state)
{
  (void)state;
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  for (int p = 0; p < 3; p++)
    for (int q = 0; q < 3; q++) {
      /* symmetric in argument order (bitwise) */
      double x = ts_gauss_i2_mixed(acts[p], acts[q], 0.7, -0.35, 1.9);
      double y = ts_gauss_i2_mixed(acts[q], acts[p], 1.9, -0.35, 0.7);
      assert_false(isnan(x));
      assert_true(x == y);
      /* independent fields: E[g1] E[g2] = 0 since at least one of erf, linear (odd) is involved */
      if (acts[p] != TS_ACT_RELU || acts[q] != TS_ACT_RELU)
        assert_close(ts_gauss_i2_mixed(acts[p], acts[q], 0.7, 0.0, 1.9), 0.0, 0, 1e-300);
    }
  /* same activation -> plain I2 */
  for (int p = 0; p < 3; p++)
    assert_true(ts_gauss_i2_mixed(acts[p], acts[p], 0.7, 0.3, 1.9) == ts_gauss_i2(acts[p], 0.7, 0.3, 1.9));
  /* linear with relu on the same field: E[a relu(a)] = C_aa/2 */
  assert_close(ts_gauss_i2_mixed(TS_ACT_LINEAR, TS_ACT_RELU, 1.4, 1.4, 1.4), 0.7, 1e-15, 0);
  /* erf with linear, same field, C_aa = 1: E[x erf(x/sqrt2)] = E[g'(x)] = sqrt(2/pi)/sqrt(2) = 1/sqrt(pi) */
  assert_close(ts_gauss_i2_mixed(TS_ACT_ERF, TS_ACT_LINEAR, 1, 1, 1), 1.0 / sqrt(M_PI), 1e-15, 0);
  /* erf with relu, same field: E[erf(x/sqrt2) relu(x)] = E[x erf(x/sqrt2)]/2 (erf(x) x even) */
  assert_close(ts_gauss_i2_mixed(TS_ACT_ERF, TS_ACT_RELU, 1, 1, 1), 0.5 / sqrt(M_PI), 1e-15, 0);
}

/* Degenerate covariances: finite, and equal to the limit from a slightly perturbed covariance. */
static void test_degenerate(void **state)
{
  (void)state;
  /* relu, correlation exactly +-1 up to rounding: cab one ulp beyond sqrt(caa cbb) */
  double caa = 0.1, cbb = 0.3, c1 = nextafter(sqrt(caa * cbb), INFINITY);
  double i2 = ts_gauss_i2(TS_ACT_RELU, caa, c1, cbb);
  assert_true(isfinite(i2));
  assert_close(i2, c1 / 2, 1e-14, 0);
  /* perturbed inward by relative 1e-12: I2 changes by ~ sqrt(2e-12) sqrt(caa cbb)/(2pi) ~ 2.5e-8 */
  assert_close(i2, ts_gauss_i2(TS_ACT_RELU, caa, c1 * (1 - 1e-12), cbb), 0, 1e-7);
  double i2m = ts_gauss_i2(TS_ACT_RELU, caa, -c1, cbb);
  assert_true(isfinite(i2m));
  assert_close(i2m, 0.0, 0, 1e-15);
  assert_true(isfinite(ts_gauss_j2(TS_ACT_RELU, caa, c1, cbb)));
  assert_close(ts_gauss_j2(TS_ACT_RELU, caa, c1, cbb), 0.5, 1e-15, 0);
  assert_close(ts_gauss_j2(TS_ACT_RELU, caa, -c1, cbb), 0.0, 0, 1e-15);
  /* relu I3 with |corr_ac| = 1 by rounding: finite and close to the slightly-inside value (sqrt(1e-12) effect)
   * (x_c = sqrt(cbb/caa) x_a, so a consistent C_bc = C_ab sqrt(cbb/caa)) */
  double cbc = 0.05 * sqrt(cbb / caa);
  double i3 = ts_gauss_i3(TS_ACT_RELU, caa, 0.05, c1, cbc, cbb);
  assert_true(isfinite(i3));
  assert_close(i3, ts_gauss_i3(TS_ACT_RELU, caa, 0.05, c1 * (1 - 1e-12), cbc, cbb), 0, 1e-7);
  /* relu with a zero variance: the field is 0, relu(0) = 0 -> I2 = 0 = limit as the variance -> 0 */
  assert_close(ts_gauss_i2(TS_ACT_RELU, 0.0, 0.0, 1.3), 0.0, 0, 0);
  assert_close(ts_gauss_i2(TS_ACT_RELU, 1e-14, 0.0, 1.3), 0.0, 0, 1e-7); /* ~ sqrt(1e-14) */
  assert_close(ts_gauss_i2(TS_ACT_RELU, 0.0, 0.0, 0.0), 0.0, 0, 0);
  /* ... I3 with C_cc = 0 (g(x_c) = 0): 0, and the small-variance limit agrees */
  assert_close(ts_gauss_i3(TS_ACT_RELU, 1.0, 0.3, 0.0, 0.0, 0.0), 0.0, 0, 0);
  assert_close(ts_gauss_i3(TS_ACT_RELU, 1.0, 0.3, 0.0, 0.0, 1e-14), 0.0, 0, 1e-7);
  /* ... g'(x_a) of a zero field is 0 by the convention g'(0) = 0 */
  assert_close(ts_gauss_i3(TS_ACT_RELU, 0.0, 0.0, 0.0, 0.3, 1.0), 0.0, 0, 0);
  assert_close(ts_gauss_j2(TS_ACT_RELU, 0.0, 0.0, 1.0), 0.0, 0, 0);
  /* mixed with a zero-variance relu field */
  assert_close(ts_gauss_i2_mixed(TS_ACT_ERF, TS_ACT_RELU, 1.0, 0.0, 0.0), 0.0, 0, 0);
  /* erf with zero variances: g(0) = 0, g'(0) = sqrt(2/pi) */
  assert_close(ts_gauss_i2(TS_ACT_ERF, 0.0, 0.0, 0.0), 0.0, 0, 0);
  assert_close(ts_gauss_j2(TS_ACT_ERF, 0.0, 0.0, 0.0), 2.0 / M_PI, 1e-15, 0);
  /* erf I2 at corr 1 by rounding: asin clamped, equals (2/pi) asin(caa/(1+caa)) for x_b = x_a */
  double e = ts_gauss_i2(TS_ACT_ERF, caa, c1, cbb);
  assert_true(isfinite(e));
  assert_close(e, ts_gauss_i2(TS_ACT_ERF, caa, c1 * (1 - 1e-12), cbb), 0, 1e-9);
  /* erf I4 on a rank-1 covariance (all four fields identical, variance 1) vs the same + 1e-9 I */
  double C[16], P[16];
  for (int i = 0; i < 16; i++) C[i] = 1.0;
  for (int i = 0; i < 16; i++) P[i] = C[i] + (i % 5 == 0 ? 1e-9 : 0.0);
  double i4 = ts_gauss_i4(TS_ACT_ERF, C);
  assert_true(isfinite(i4));
  assert_close(i4, ts_gauss_i4(TS_ACT_ERF, P), 0, 1e-7); /* smooth in C: change O(1e-9) */
  /* erf I4 with a zero-variance field c (g(x_c) = 0): exactly 0 */
  double Z[16] = {1.0, 0.4, 0, 0.2, 0.4, 0.9, 0, -0.1, 0, 0, 0, 0, 0.2, -0.1, 0, 1.3};
  assert_close(ts_gauss_i4(TS_ACT_ERF, Z), 0.0, 0, 1e-300);
  /* erf I3 with x_a identical to x_c: finite */
  assert_true(isfinite(ts_gauss_i3(TS_ACT_ERF, 1.0, 0.3, 1.0, 0.3, 1.0)));
}

/* NaN inputs give NaN (the clamps must not turn NaN into a number) */
static void test_nan_propagates(void **state)
{
  (void)state;
  const ts_act acts[2] = {TS_ACT_ERF, TS_ACT_RELU};
  for (int q = 0; q < 2; q++) {
    assert_true(isnan(ts_gauss_i2(acts[q], 1.0, NAN, 1.0)));
    assert_true(isnan(ts_gauss_j2(acts[q], 1.0, NAN, 1.0)));
    assert_true(isnan(ts_gauss_i3(acts[q], 1.0, 0.2, NAN, 0.1, 1.0)));
    assert_true(isnan(ts_gauss_i2(acts[q], NAN, 0.5, 1.0)));
  }
  assert_true(isnan(ts_gauss_i2_mixed(TS_ACT_ERF, TS_ACT_RELU, 1.0, NAN, 1.0)));
  assert_true(isnan(ts_act_g(TS_ACT_RELU, NAN)));
}

int main(void)
{
  ts_error_quiet(1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_act_parse_name), cmocka_unit_test(test_act_values),
      cmocka_unit_test(test_erf_exact),      cmocka_unit_test(test_i3_independent_b),
      cmocka_unit_test(test_i4_symmetry),    cmocka_unit_test(test_linear_exact),
      cmocka_unit_test(test_relu_exact),     cmocka_unit_test(test_mixed_exact),
      cmocka_unit_test(test_degenerate),     cmocka_unit_test(test_nan_propagates),
      cmocka_unit_test(test_mc_cov_a),       cmocka_unit_test(test_mc_cov_b),
      cmocka_unit_test(test_mc_cov_c),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
