/* test_scm — order-parameter state, generalisation error, sanity check and column layout of ts_scm.
 *
 * States come from explicit random weights (Q = W W^T/N, R = W W*^T/N, T = W* W*^T/N with small N, so the
 * overlaps are far from diagonal), v and v* random.  eps_g is checked against the linear and erf closed forms
 * written out here, and against Monte Carlo of 1/2 <(phi - phi*)^2> over fields with covariance [[Q,R],[R^T,T]]
 * (5 standard errors). */
#include "ts_test.h"

#include "ts_err.h"
#include "ts_scm.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define TS__NMC 1000000 /* MC samples per configuration */
#define TS__NSE 5.0     /* tolerance in standard errors */

/* Fill s from random weights: W (K x N), W* (M x N) with N(0,1) entries, v, v* ~ N(0,1) + offset. */
static void ts__random_state(ts_scm_state *s, int N, unsigned long seed)
{
  const int K = s->K, M = s->M;
  double *W = malloc(sizeof(double) * (size_t)K * N), *Ws = malloc(sizeof(double) * (size_t)M * N);
  assert_non_null(W);
  assert_non_null(Ws);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  for (int j = 0; j < K * N; j++) W[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
  for (int j = 0; j < M * N; j++) Ws[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
  for (int i = 0; i < K; i++) s->v[i] = 0.5 + gsl_ran_gaussian_ziggurat(r, 1.0);
  for (int n = 0; n < M; n++) s->vstar[n] = 0.5 + gsl_ran_gaussian_ziggurat(r, 1.0);
  gsl_rng_free(r);
  for (int i = 0; i < K; i++)
    for (int k = 0; k < K; k++) {
      double d = 0;
      for (int j = 0; j < N; j++) d += W[i * N + j] * W[k * N + j];
      s->Q[i * K + k] = d / N;
    }
  for (int i = 0; i < K; i++)
    for (int n = 0; n < M; n++) {
      double d = 0;
      for (int j = 0; j < N; j++) d += W[i * N + j] * Ws[n * N + j];
      s->R[i * M + n] = d / N;
    }
  for (int n = 0; n < M; n++)
    for (int m = 0; m < M; m++) {
      double d = 0;
      for (int j = 0; j < N; j++) d += Ws[n * N + j] * Ws[m * N + j];
      s->T[n * M + m] = d / N;
    }
  free(W);
  free(Ws);
}

/* ---------- alloc / copy ---------- */

static void test_alloc_defaults(void **state)
{
  (void)state;
  ts_scm_state *s = ts_scm_alloc(3, 2);
  assert_non_null(s);
  assert_int_equal(s->K, 3);
  assert_int_equal(s->M, 2);
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 3; k++) assert_true(s->Q[i * 3 + k] == (i == k ? 1.0 : 0.0));
  for (int j = 0; j < 6; j++) assert_true(s->R[j] == 0.0);
  for (int n = 0; n < 2; n++)
    for (int m = 0; m < 2; m++) assert_true(s->T[n * 2 + m] == (n == m ? 1.0 : 0.0));
  for (int i = 0; i < 3; i++) assert_true(s->v[i] == 1.0);
  for (int n = 0; n < 2; n++) assert_true(s->vstar[n] == 1.0);
  /* erf, Q = T = I, R = 0, v = v* = 1: eps_g = (1/pi)(K + M) asin(1/2) = (K + M)/6 */
  assert_close(ts_scm_eg(s, TS_ACT_ERF, TS_ACT_ERF), 5.0 / 6.0, 1e-14, 0);
  /* linear: 1/2 (K + M) */
  assert_close(ts_scm_eg(s, TS_ACT_LINEAR, TS_ACT_LINEAR), 2.5, 1e-15, 0);
  ts_scm_free(s);
  assert_null(ts_scm_alloc(0, 2));
  assert_null(ts_scm_alloc(2, -1));
  ts_scm_free(NULL);
}

static void test_copy(void **state)
{
  (void)state;
  ts_scm_state *a = ts_scm_alloc(3, 2), *b = ts_scm_alloc(3, 2), *c = ts_scm_alloc(2, 3);
  assert_non_null(a);
  assert_non_null(b);
  assert_non_null(c);
  ts__random_state(a, 5, 1);
  assert_int_equal(ts_scm_copy(b, a), TS_OK);
  assert_memory_equal(b->Q, a->Q, 9 * sizeof(double));
  assert_memory_equal(b->R, a->R, 6 * sizeof(double));
  assert_memory_equal(b->T, a->T, 4 * sizeof(double));
  assert_memory_equal(b->v, a->v, 3 * sizeof(double));
  assert_memory_equal(b->vstar, a->vstar, 2 * sizeof(double));
  assert_true(b->Q != a->Q); /* deep copy */
  assert_int_equal(ts_scm_copy(c, a), TS_EINVAL);
  ts_scm_free(a);
  ts_scm_free(b);
  ts_scm_free(c);
}

/* ---------- eps_g closed forms ---------- */

/* linear: eps_g = 1/2 (v^T Q v + v*^T T v* - 2 v^T R v*) */
static void test_eg_linear(void **state)
{
  (void)state;
  const int Ks[3] = {1, 3, 4}, Ms[3] = {1, 2, 4};
  for (int t = 0; t < 3; t++) {
    int K = Ks[t], M = Ms[t];
    ts_scm_state *s = ts_scm_alloc(K, M);
    assert_non_null(s);
    ts__random_state(s, 6, 10 + t);
    double qq = 0, tt = 0, rr = 0;
    for (int i = 0; i < K; i++)
      for (int k = 0; k < K; k++) qq += s->v[i] * s->Q[i * K + k] * s->v[k];
    for (int n = 0; n < M; n++)
      for (int m = 0; m < M; m++) tt += s->vstar[n] * s->T[n * M + m] * s->vstar[m];
    for (int i = 0; i < K; i++)
      for (int n = 0; n < M; n++) rr += s->v[i] * s->R[i * M + n] * s->vstar[n];
    double want = 0.5 * (qq + tt - 2 * rr);
    /* rounding only; the scale of the terms (not of their difference) sets the error */
    assert_close(ts_scm_eg(s, TS_ACT_LINEAR, TS_ACT_LINEAR), want, 0, 1e-13 * (fabs(qq) + fabs(tt) + 2 * fabs(rr)));
    ts_scm_free(s);
  }
}

/* erf: (1/pi)[sum_ik v_i v_k asin(Q_ik/sqrt((1+Q_ii)(1+Q_kk))) + sum_nm v*_n v*_m asin(T_nm/...)
 *             - 2 sum_in v_i v*_n asin(R_in/sqrt((1+Q_ii)(1+T_nn)))]   (reference sheet sec. 2) */
static void test_eg_erf_formula(void **state)
{
  (void)state;
  const int Ks[3] = {1, 3, 5}, Ms[3] = {1, 2, 3};
  for (int t = 0; t < 3; t++) {
    int K = Ks[t], M = Ms[t];
    ts_scm_state *s = ts_scm_alloc(K, M);
    assert_non_null(s);
    ts__random_state(s, 9, 20 + t);
    const double *Q = s->Q, *R = s->R, *T = s->T, *v = s->v, *vs = s->vstar;
    double a = 0, b = 0, c = 0, scale = 0;
    for (int i = 0; i < K; i++)
      for (int k = 0; k < K; k++) {
        double x = v[i] * v[k] * asin(Q[i * K + k] / sqrt((1 + Q[i * K + i]) * (1 + Q[k * K + k])));
        a += x;
        scale += fabs(x);
      }
    for (int n = 0; n < M; n++)
      for (int m = 0; m < M; m++) {
        double x = vs[n] * vs[m] * asin(T[n * M + m] / sqrt((1 + T[n * M + n]) * (1 + T[m * M + m])));
        b += x;
        scale += fabs(x);
      }
    for (int i = 0; i < K; i++)
      for (int n = 0; n < M; n++) {
        double x = v[i] * vs[n] * asin(R[i * M + n] / sqrt((1 + Q[i * K + i]) * (1 + T[n * M + n])));
        c += x;
        scale += 2 * fabs(x);
      }
    double want = (a + b - 2 * c) / M_PI;
    assert_close(ts_scm_eg(s, TS_ACT_ERF, TS_ACT_ERF), want, 0, 1e-13 * scale / M_PI);
    ts_scm_free(s);
  }
}

/* ---------- eps_g against Monte Carlo ---------- */

static double ts__act(ts_act a, double x)
{
  switch (a) {
  case TS_ACT_ERF: return erf(x / sqrt(2.0));
  case TS_ACT_LINEAR: return x;
  case TS_ACT_RELU: return x > 0 ? x : 0;
  }
  return NAN;
}

static void ts__eg_mc_check(int K, int M, int N, unsigned long seed, ts_act sa, ts_act ta)
{
  ts_scm_state *s = ts_scm_alloc(K, M);
  assert_non_null(s);
  ts__random_state(s, N, seed);
  const int D = K + M;
  gsl_matrix *L = gsl_matrix_alloc(D, D);
  for (int i = 0; i < K; i++) {
    for (int k = 0; k < K; k++) gsl_matrix_set(L, i, k, s->Q[i * K + k]);
    for (int n = 0; n < M; n++) {
      gsl_matrix_set(L, i, K + n, s->R[i * M + n]);
      gsl_matrix_set(L, K + n, i, s->R[i * M + n]);
    }
  }
  for (int n = 0; n < M; n++)
    for (int m = 0; m < M; m++) gsl_matrix_set(L, K + n, K + m, s->T[n * M + m]);
  assert_int_equal(gsl_linalg_cholesky_decomp1(L), GSL_SUCCESS); /* needs N >= K + M */

  double z[16], x[16];
  assert_true(D <= 16);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed + 1000);
  double sum = 0, sumsq = 0;
  for (long t = 0; t < TS__NMC; t++) {
    for (int i = 0; i < D; i++) z[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int i = 0; i < D; i++) {
      x[i] = 0;
      for (int j = 0; j <= i; j++) x[i] += gsl_matrix_get(L, i, j) * z[j];
    }
    double d = 0;
    for (int i = 0; i < K; i++) d += s->v[i] * ts__act(sa, x[i]);
    for (int n = 0; n < M; n++) d -= s->vstar[n] * ts__act(ta, x[K + n]);
    double f = 0.5 * d * d;
    sum += f;
    sumsq += f * f;
  }
  gsl_rng_free(r);
  gsl_matrix_free(L);
  double mean = sum / TS__NMC;
  double var = (sumsq / TS__NMC - mean * mean) * TS__NMC / (TS__NMC - 1.0);
  double se = sqrt(var) / sqrt((double)TS__NMC);
  double eg = ts_scm_eg(s, sa, ta);
  if (!(fabs(eg - mean) <= TS__NSE * se))
    print_error("student %s, teacher %s, K=%d M=%d: eps_g %.10g, MC %.10g +- %.3g\n", ts_act_name(sa),
                ts_act_name(ta), K, M, eg, mean, se);
  assert_close(eg, mean, 0, TS__NSE * se);
  ts_scm_free(s);
}

static void test_eg_mc_erf(void **state)
{
  (void)state;
  ts__eg_mc_check(3, 2, 7, 31, TS_ACT_ERF, TS_ACT_ERF);
}

static void test_eg_mc_relu(void **state)
{
  (void)state;
  ts__eg_mc_check(3, 2, 7, 32, TS_ACT_RELU, TS_ACT_RELU);
}

static void test_eg_mc_mixed(void **state)
{
  (void)state;
  ts__eg_mc_check(3, 2, 7, 33, TS_ACT_ERF, TS_ACT_RELU);
  ts__eg_mc_check(2, 3, 7, 34, TS_ACT_RELU, TS_ACT_ERF);
  ts__eg_mc_check(2, 2, 6, 35, TS_ACT_LINEAR, TS_ACT_RELU);
}

/* eps_g = 0 when the student is the teacher: K = M, Q = R = T, v = v* */
static void test_eg_zero_when_equal(void **state)
{
  (void)state;
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  ts_scm_state *s = ts_scm_alloc(4, 4);
  assert_non_null(s);
  ts__random_state(s, 8, 40);
  memcpy(s->R, s->Q, 16 * sizeof(double));
  memcpy(s->T, s->Q, 16 * sizeof(double));
  memcpy(s->vstar, s->v, 4 * sizeof(double));
  for (int q = 0; q < 3; q++) {
    double eg = ts_scm_eg(s, acts[q], acts[q]);
    /* the three sums are equal mathematically; only summation-order rounding (~1e-16 x sum size ~10) remains */
    assert_close(eg, 0.0, 0, 1e-13);
  }
  ts_scm_free(s);
}

static void test_eg_nan(void **state)
{
  (void)state;
  ts_scm_state *s = ts_scm_alloc(2, 2);
  assert_non_null(s);
  double *slots[5];
  slots[0] = &s->Q[1];
  slots[1] = &s->R[2];
  slots[2] = &s->T[3];
  slots[3] = &s->v[0];
  slots[4] = &s->vstar[1];
  const ts_act acts[3] = {TS_ACT_ERF, TS_ACT_LINEAR, TS_ACT_RELU};
  for (int j = 0; j < 5; j++) {
    double keep = *slots[j];
    *slots[j] = NAN;
    for (int q = 0; q < 3; q++) assert_true(isnan(ts_scm_eg(s, acts[q], acts[(q + 1) % 3])));
    *slots[j] = keep;
    assert_false(isnan(ts_scm_eg(s, TS_ACT_ERF, TS_ACT_ERF)));
  }
  ts_scm_free(s);
}

/* ---------- is_sane ---------- */

static void test_is_sane(void **state)
{
  (void)state;
  ts_scm_state *s = ts_scm_alloc(3, 2);
  assert_non_null(s);
  assert_int_equal(ts_scm_is_sane(s, 10.0), 1);
  double *slots[5] = {&s->Q[5], &s->R[4], &s->T[1], &s->v[2], &s->vstar[0]};
  for (int j = 0; j < 5; j++) {
    double keep = *slots[j];
    *slots[j] = NAN;
    assert_int_equal(ts_scm_is_sane(s, 10.0), 0);
    *slots[j] = INFINITY;
    assert_int_equal(ts_scm_is_sane(s, 10.0), 0);
    *slots[j] = keep;
    assert_int_equal(ts_scm_is_sane(s, 10.0), 1);
  }
  s->Q[2 * 3 + 2] = 11.0; /* big norm of student 3 */
  assert_int_equal(ts_scm_is_sane(s, 10.0), 0);
  assert_int_equal(ts_scm_is_sane(s, 12.0), 1);
  s->Q[2 * 3 + 2] = 1.0;
  s->v[1] = -11.0; /* big second-layer weight */
  assert_int_equal(ts_scm_is_sane(s, 10.0), 0);
  assert_int_equal(ts_scm_is_sane(s, 12.0), 1);
  ts_scm_free(s);
}

/* ---------- columns ---------- */

static void test_columns(void **state)
{
  (void)state;
  const int K = 3, M = 2;
  assert_int_equal(ts_scm_n_cols(K, M), 6 + 6 + 3);
  assert_int_equal(ts_scm_n_cols(1, 1), 3);
  const char *want[15] = {"Q_1_1", "Q_1_2", "Q_1_3", "Q_2_2", "Q_2_3", "Q_3_3", "R_1_1", "R_1_2",
                          "R_2_1", "R_2_2", "R_3_1", "R_3_2", "v_1",   "v_2",   "v_3"};
  char buf[32];
  for (int j = 0; j < 15; j++) {
    ts_scm_col_name(K, M, j, buf, sizeof buf);
    assert_string_equal(buf, want[j]);
  }
  /* truncation keeps a terminated string */
  ts_scm_col_name(K, M, 0, buf, 3);
  assert_string_equal(buf, "Q_");

  ts_scm_state *s = ts_scm_alloc(K, M);
  assert_non_null(s);
  /* entry value encodes its position: Q_ik = 10 i + k, R_in = 100 + 10 i + n, v_i = 1000 + i (1-based) */
  for (int i = 0; i < K; i++)
    for (int k = 0; k < K; k++) s->Q[i * K + k] = 10 * (i + 1) + (k + 1);
  for (int i = 0; i < K; i++)
    for (int n = 0; n < M; n++) s->R[i * M + n] = 100 + 10 * (i + 1) + (n + 1);
  for (int i = 0; i < K; i++) s->v[i] = 1000 + (i + 1);
  double out[15];
  ts_scm_cols(s, out);
  for (int j = 0; j < 15; j++) {
    int a = 0, b = 0;
    ts_scm_col_name(K, M, j, buf, sizeof buf);
    double expect;
    if (sscanf(buf, "Q_%d_%d", &a, &b) == 2)
      expect = 10 * a + b;
    else if (sscanf(buf, "R_%d_%d", &a, &b) == 2)
      expect = 100 + 10 * a + b;
    else {
      assert_int_equal(sscanf(buf, "v_%d", &a), 1);
      expect = 1000 + a;
    }
    assert_close(out[j], expect, 0, 0);
  }
  ts_scm_free(s);
}

int main(void)
{
  ts_error_quiet(1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_alloc_defaults), cmocka_unit_test(test_copy),
      cmocka_unit_test(test_eg_linear),      cmocka_unit_test(test_eg_erf_formula),
      cmocka_unit_test(test_eg_zero_when_equal), cmocka_unit_test(test_eg_nan),
      cmocka_unit_test(test_is_sane),        cmocka_unit_test(test_columns),
      cmocka_unit_test(test_eg_mc_erf),      cmocka_unit_test(test_eg_mc_relu),
      cmocka_unit_test(test_eg_mc_mixed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
