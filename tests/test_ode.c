/* test_ode — the order-parameter ODE (ts_ode): fast kernel vs a straightforward sum of ts_gauss_* terms, vs Monte
 * Carlo of one SGD step's expected increment, fixed points vs closed forms, integrators, divergence, bad input. */
#include "ts_test.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "ts_err.h"
#include "ts_gauss.h"
#include "ts_ode.h"
#include "ts_scm.h"

#define PI 3.14159265358979323846

/* ts_ode.c test hook: 0 = the I4 kernel uses only its AVX2 (or scalar) batches, 1 = the run-time choice (8-lane
 * AVX-512 batches where the CPU has them); returns whether the 8-lane batches are used */
int ts_ode__test_simd8(ts_ode *w, int on);

/* ---- helpers ------------------------------------------------------------------------------------------------------ */

/* covariance entry of fields a, b (0..K-1 students, K..K+M-1 teachers) */
static double cv(const ts_scm_state *s, int a, int b)
{
  const int K = s->K, M = s->M;
  if (a < K && b < K) return s->Q[a * K + b];
  if (a < K) return s->R[a * M + (b - K)];
  if (b < K) return s->R[b * M + (a - K)];
  return s->T[(a - K) * M + (b - K)];
}

static double uu(const ts_scm_state *s, int j) { return j < s->K ? -s->v[j] : s->vstar[j - s->K]; }

static double ref_i3(ts_act act, const ts_scm_state *s, int a, int b, int c)
{
  return ts_gauss_i3(act, cv(s, a, a), cv(s, a, b), cv(s, a, c), cv(s, b, c), cv(s, c, c));
}

static double ref_i4(ts_act act, const ts_scm_state *s, int a, int b, int c, int d)
{
  const int idx[4] = {a, b, c, d};
  double C[16];
  for (int r = 0; r < 4; r++)
    for (int q = 0; q < 4; q++) C[r * 4 + q] = cv(s, idx[r], idx[q]);
  return ts_gauss_i4(act, C);
}

/* The ODE of ts_ode.h written out term by term with one ts_gauss_* call per term (no symmetry, no hoisting). */
static void ref_rhs(const ts_ode_params *p, const ts_scm_state *s, ts_scm_state *ds)
{
  const int K = s->K, M = s->M, n = K + M;
  const ts_act g = p->act;
  const double eta = p->lr;
  for (int i = 0; i < K; i++) {
    for (int m = 0; m < M; m++) {
      double t = 0.0;
      for (int j = 0; j < n; j++) t += uu(s, j) * ref_i3(g, s, i, K + m, j);
      ds->R[i * M + m] = p->c_grad * eta * s->v[i] * t - p->wd * s->R[i * M + m];
    }
    for (int k = 0; k < K; k++) {
      double t1 = 0.0, t2 = 0.0, t4 = 0.0;
      for (int j = 0; j < n; j++) {
        t1 += uu(s, j) * ref_i3(g, s, i, k, j);
        t2 += uu(s, j) * ref_i3(g, s, k, i, j);
        for (int l = 0; l < n; l++) t4 += uu(s, j) * uu(s, l) * ref_i4(g, s, i, k, j, l);
      }
      double j2 = ts_gauss_j2(g, cv(s, i, i), cv(s, i, k), cv(s, k, k));
      ds->Q[i * K + k] = p->c_grad * eta * (s->v[i] * t1 + s->v[k] * t2) +
                         p->c_noise * eta * eta * s->v[i] * s->v[k] * (t4 + p->sigma * p->sigma * j2) -
                         2.0 * p->wd * s->Q[i * K + k];
    }
    double t = 0.0;
    for (int j = 0; j < n; j++) t += uu(s, j) * ts_gauss_i2(g, cv(s, i, i), cv(s, i, j), cv(s, j, j));
    ds->v[i] = p->train_v ? p->c_grad * p->lr2 * t - p->wd * s->v[i] : 0.0;
  }
}

/* A valid (positive semi-definite) state from random weight vectors in R^(K+M+3); random second layers. */
static void random_state(gsl_rng *r, ts_scm_state *s, double wscale, int random_v)
{
  const int K = s->K, M = s->M, n = K + M, N0 = n + 3;
  double *Wt = malloc(sizeof(double) * (size_t)n * N0);
  assert_non_null(Wt);
  for (int a = 0; a < n; a++) {
    double sc = (a < K ? wscale * (0.3 + gsl_rng_uniform(r)) : 1.0) / sqrt((double)N0);
    for (int j = 0; j < N0; j++) Wt[a * N0 + j] = sc * gsl_ran_gaussian(r, 1.0);
    if (a >= K && a > 0 && a < n) /* correlate some students with teachers */
      for (int j = 0; j < N0; j++) Wt[(a - K) % K * N0 + j] += 0.5 * Wt[a * N0 + j];
  }
  for (int a = 0; a < n; a++)
    for (int b = 0; b < n; b++) {
      double d = 0.0;
      for (int j = 0; j < N0; j++) d += Wt[a * N0 + j] * Wt[b * N0 + j];
      if (a < K && b < K) s->Q[a * K + b] = d;
      else if (a < K) s->R[a * M + (b - K)] = d;
      else if (b >= K) s->T[(a - K) * M + (b - K)] = d;
    }
  for (int i = 0; i < K; i++) s->v[i] = random_v ? 0.3 + gsl_ran_gaussian(r, 0.8) : 1.0;
  for (int m = 0; m < M; m++) s->vstar[m] = random_v ? 0.5 + gsl_rng_uniform(r) : 1.0;
  free(Wt);
}

static double max_abs_state(const ts_scm_state *s)
{
  double m = 0.0;
  for (int j = 0; j < s->K * s->K; j++) m = fmax(m, fabs(s->Q[j]));
  for (int j = 0; j < s->K * s->M; j++) m = fmax(m, fabs(s->R[j]));
  for (int j = 0; j < s->K; j++) m = fmax(m, fabs(s->v[j]));
  return m;
}

/* Q = I, R = r0 * N(0,1), T = I, v = v* = 1 */
static void near_symmetric_init(ts_scm_state *s, double r0, unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  const int K = s->K, M = s->M;
  for (int i = 0; i < K; i++)
    for (int k = 0; k < K; k++) s->Q[i * K + k] = (i == k) ? 1.0 : 0.0;
  for (int j = 0; j < K * M; j++) s->R[j] = r0 * gsl_ran_gaussian(r, 1.0);
  for (int m = 0; m < M; m++)
    for (int l = 0; l < M; l++) s->T[m * M + l] = (m == l) ? 1.0 : 0.0;
  for (int i = 0; i < K; i++) s->v[i] = 1.0;
  for (int m = 0; m < M; m++) s->vstar[m] = 1.0;
  gsl_rng_free(r);
}

/* ---- 1. fast right-hand side == straightforward sum ---------------------------------------------------------------- */

static void test_rhs_vs_reference(void **state)
{
  (void)state;
  const int KM[][2] = {{1, 1}, {2, 3}, {3, 2}, {5, 2}, {4, 4}, {6, 1}, {2, 7}, {8, 4}};
  const double cc[][2] = {{1, 1}, {1, 0}, {0, 1}, {0.7, 1.3}};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 12345);
  int checked = 0;
  for (int act = 0; act < 2; act++)
    for (size_t c = 0; c < sizeof KM / sizeof KM[0]; c++)
      for (int tv = 0; tv < 2; tv++)
        for (size_t g = 0; g < sizeof cc / sizeof cc[0]; g++) {
          const int K = KM[c][0], M = KM[c][1];
          ts_ode_params p;
          ts_ode_params_init(&p, act ? TS_ACT_LINEAR : TS_ACT_ERF, K, M, 0.3 + gsl_rng_uniform(r));
          p.train_v = tv;
          p.lr2 = 0.2 + gsl_rng_uniform(r);
          p.sigma = (g % 2) ? 0.0 : 0.4;
          p.c_grad = cc[g][0];
          p.c_noise = cc[g][1];
          p.wd = (g == 3) ? 0.013 : 0.0;
          ts_ode *w = ts_ode_alloc(&p);
          assert_non_null(w);
          ts_scm_state *s = ts_scm_alloc(K, M), *d1 = ts_scm_alloc(K, M), *d2 = ts_scm_alloc(K, M);
          assert_non_null(s);
          assert_non_null(d1);
          assert_non_null(d2);
          for (int rep = 0; rep < 6; rep++) { /* even rep: run-time kernel choice; odd rep: AVX2 batches only */
            ts_ode__test_simd8(w, rep % 2 == 0);
            if (rep % 2 == 0) random_state(r, s, rep == 4 ? 3.0 : 1.2, tv || rep == 2);
            for (int j = 0; j < M * M; j++) d1->T[j] = 7.0; /* must be overwritten with 0 */
            for (int j = 0; j < M; j++) d1->vstar[j] = 7.0;
            assert_int_equal(ts_ode_rhs(w, s, d1), TS_OK);
            ref_rhs(&p, s, d2);
            const double atol = 1e-12 * max_abs_state(d2);
            for (int j = 0; j < K * K; j++) assert_close(d1->Q[j], d2->Q[j], 1e-12, atol);
            for (int j = 0; j < K * M; j++) assert_close(d1->R[j], d2->R[j], 1e-12, atol);
            for (int j = 0; j < K; j++) assert_close(d1->v[j], d2->v[j], 1e-12, atol);
            for (int i = 0; i < K; i++)
              for (int k = 0; k < K; k++) assert_true(d1->Q[i * K + k] == d1->Q[k * K + i]);
            for (int j = 0; j < M * M; j++) assert_true(d1->T[j] == 0.0);
            for (int j = 0; j < M; j++) assert_true(d1->vstar[j] == 0.0);
            checked++;
          }
          /* mismatched dimensions */
          ts_scm_state *bad = ts_scm_alloc(K + 1, M);
          ts_error_quiet(1);
          assert_int_equal(ts_ode_rhs(w, bad, d1), TS_EINVAL);
          assert_int_equal(ts_ode_rhs(w, s, bad), TS_EINVAL);
          ts_error_quiet(0);
          ts_scm_free(bad);
          ts_scm_free(s);
          ts_scm_free(d1);
          ts_scm_free(d2);
          ts_ode_free(w);
        }
  assert_true(checked == 2 * 8 * 2 * 4 * 6);
  gsl_rng_free(r);
}

/* ---- 1b. the 8-lane (AVX-512) and 4-lane (AVX2) I4 batches give the same bits --------------------------------- */

/* student 1 := (1 - e) student 0 + e student 1 (weight vectors; the state stays positive semi-definite): asin
 * arguments of the pairs involving both come within ~e^2 of +-1 */
static void near_duplicate_student(ts_scm_state *s, double e)
{
  const int K = s->K, M = s->M;
  const double q00 = s->Q[0], q01 = s->Q[1], q11 = s->Q[K + 1];
  for (int k = 0; k < K; k++)
    if (k != 1) {
      s->Q[1 * K + k] = (1.0 - e) * s->Q[0 * K + k] + e * s->Q[1 * K + k];
      s->Q[k * K + 1] = s->Q[1 * K + k];
    }
  s->Q[K + 1] = (1.0 - e) * (1.0 - e) * q00 + 2.0 * e * (1.0 - e) * q01 + e * e * q11;
  for (int m = 0; m < M; m++) s->R[1 * M + m] = (1.0 - e) * s->R[m] + e * s->R[1 * M + m];
}

static void test_rhs_simd8_bitwise(void **state)
{
  (void)state;
  /* pair counts K(K+1)/2: 36, 15, 21, 45, 6, 10, 28, 55, 3, 1 (odd ones, one 8-lane batch padded, 4-lane tails) */
  const int KM[][2] = {{8, 4}, {5, 2}, {6, 1}, {9, 3}, {3, 2}, {4, 4}, {7, 2}, {10, 1}, {2, 3}, {1, 2}};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 4242);
  int compared = 0;
  for (size_t c = 0; c < sizeof KM / sizeof KM[0]; c++)
    for (int g = 0; g < 3; g++) {
      const int K = KM[c][0], M = KM[c][1];
      ts_ode_params p;
      ts_ode_params_init(&p, TS_ACT_ERF, K, M, 0.3 + gsl_rng_uniform(r));
      p.sigma = g == 1 ? 0.0 : 0.5;
      p.c_grad = g == 2 ? 0.0 : 1.0; /* g = 2: the orange region (noise term only) */
      p.train_v = g == 0;
      ts_ode *w = ts_ode_alloc(&p);
      assert_non_null(w);
      if (!ts_ode__test_simd8(w, 1)) {
        ts_ode_free(w);
        gsl_rng_free(r);
        skip(); /* no AVX-512 on this CPU: only one kernel to run */
      }
      ts_scm_state *s = ts_scm_alloc(K, M), *d8 = ts_scm_alloc(K, M), *d4 = ts_scm_alloc(K, M);
      assert_non_null(s);
      assert_non_null(d8);
      assert_non_null(d4);
      for (int rep = 0; rep < 4; rep++) {
        random_state(r, s, rep == 1 ? 3.0 : 1.0, 1);
        if (rep == 2 && K >= 2) near_duplicate_student(s, 1e-6);
        if (rep == 3) { /* students' weights scaled by 1e-2: small arguments (the |x| < 1/2 branch of asin) */
          for (int j = 0; j < K * K; j++) s->Q[j] *= 1e-4;
          for (int j = 0; j < K * M; j++) s->R[j] *= 1e-2;
        }
        assert_true(ts_ode__test_simd8(w, 1));
        assert_int_equal(ts_ode_rhs(w, s, d8), TS_OK);
        ts_ode__test_simd8(w, 0);
        assert_int_equal(ts_ode_rhs(w, s, d4), TS_OK);
        assert_memory_equal(d8->Q, d4->Q, sizeof(double) * (size_t)K * K);
        assert_memory_equal(d8->R, d4->R, sizeof(double) * (size_t)K * M);
        assert_memory_equal(d8->v, d4->v, sizeof(double) * (size_t)K);
        for (int j = 0; j < K * K; j++) assert_true(isfinite(d8->Q[j]));
        compared++;
      }
      ts_scm_free(s);
      ts_scm_free(d8);
      ts_scm_free(d4);
      ts_ode_free(w);
    }
  assert_int_equal(compared, 10 * 3 * 4);
  gsl_rng_free(r);
}

/* ---- 2. right-hand side vs Monte Carlo of the expected SGD increment ----------------------------------------------- */

static double g_act(ts_act a, double x) { return a == TS_ACT_ERF ? erf(x / sqrt(2.0)) : x; }
static double dg_act(ts_act a, double x) { return a == TS_ACT_ERF ? sqrt(2.0 / PI) * exp(-0.5 * x * x) : 1.0; }

static void mc_check(ts_act act, int K, int M, long nsamp, unsigned long seed)
{
  const int n = K + M;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  ts_ode_params p;
  ts_ode_params_init(&p, act, K, M, 0.8);
  p.train_v = 1;
  p.lr2 = 0.5;
  p.sigma = 0.3;
  ts_ode *w = ts_ode_alloc(&p);
  assert_non_null(w);
  ts_scm_state *s = ts_scm_alloc(K, M), *ds = ts_scm_alloc(K, M);
  assert_non_null(s);
  assert_non_null(ds);
  random_state(r, s, 1.0, 1);
  assert_int_equal(ts_ode_rhs(w, s, ds), TS_OK);

  gsl_matrix *L = gsl_matrix_alloc((size_t)n, (size_t)n);
  for (int a = 0; a < n; a++)
    for (int b = 0; b < n; b++) gsl_matrix_set(L, (size_t)a, (size_t)b, cv(s, a, b));
  assert_int_equal(gsl_linalg_cholesky_decomp1(L), 0);

  /* quantities: Q (K*K, i <= k used), R (K*M), v (K) */
  const int nq = K * K + K * M + K;
  double *sum = calloc((size_t)nq, sizeof(double)), *sum2 = calloc((size_t)nq, sizeof(double));
  double *z = malloc(sizeof(double) * n), *x = malloc(sizeof(double) * n), *val = malloc(sizeof(double) * nq);
  double *gx = malloc(sizeof(double) * n), *dgx = malloc(sizeof(double) * n);
  assert_true(sum && sum2 && z && x && val && gx && dgx);
  const double eta = p.lr;
  for (long t = 0; t < nsamp; t++) {
    for (int a = 0; a < n; a++) z[a] = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int a = 0; a < n; a++) {
      double acc = 0.0;
      for (int b = 0; b <= a; b++) acc += gsl_matrix_get(L, (size_t)a, (size_t)b) * z[b];
      x[a] = acc;
      gx[a] = g_act(act, acc);
      dgx[a] = a < K ? dg_act(act, acc) : 0.0;
    }
    double e = p.sigma * gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int m = 0; m < M; m++) e += s->vstar[m] * gx[K + m];
    for (int k = 0; k < K; k++) e -= s->v[k] * gx[k];
    for (int i = 0; i < K; i++) {
      for (int k = i; k < K; k++)
        val[i * K + k] = eta * s->v[i] * dgx[i] * e * x[k] + eta * s->v[k] * dgx[k] * e * x[i] +
                         eta * eta * s->v[i] * s->v[k] * dgx[i] * dgx[k] * e * e;
      for (int m = 0; m < M; m++) val[K * K + i * M + m] = eta * s->v[i] * dgx[i] * e * x[K + m];
      val[K * K + K * M + i] = p.lr2 * gx[i] * e;
    }
    for (int q = 0; q < nq; q++) { sum[q] += val[q]; sum2[q] += val[q] * val[q]; }
  }
  double worst = 0.0;
  for (int q = 0; q < nq; q++) {
    if (q < K * K && q / K > q % K) continue; /* lower triangle not sampled */
    const double mean = sum[q] / nsamp, var = sum2[q] / nsamp - mean * mean;
    const double se = sqrt(var / nsamp);
    double ode = q < K * K ? ds->Q[q] : (q < K * K + K * M ? ds->R[q - K * K] : ds->v[q - K * K - K * M]);
    double zsc = fabs(ode - mean) / se;
    if (zsc > worst) worst = zsc;
    if (!(zsc <= 5.0)) print_error("quantity %d: ode %.10g, MC %.10g +- %.3g (%.2f SE)\n", q, ode, mean, se, zsc);
    assert_true(zsc <= 5.0);
    assert_true(se < 0.05 * (fabs(mean) + 0.01)); /* the check has teeth: SE well below the values */
  }
  gsl_matrix_free(L);
  free(sum); free(sum2); free(z); free(x); free(val); free(gx); free(dgx);
  ts_scm_free(s);
  ts_scm_free(ds);
  ts_ode_free(w);
  gsl_rng_free(r);
}

static void test_rhs_vs_monte_carlo_erf(void **state) { (void)state; mc_check(TS_ACT_ERF, 3, 2, 1000000, 7); }
static void test_rhs_vs_monte_carlo_linear(void **state) { (void)state; mc_check(TS_ACT_LINEAR, 2, 3, 1000000, 8); }

/* ---- 3. fixed points ------------------------------------------------------------------------------------------------- */

/* integrate to alpha_end (adaptive), then Newton */
static int integrate_then_solve(ts_ode *w, ts_scm_state *s, double alpha_end, double tol, ts_ode_fp_info *info)
{
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.adaptive = 1;
  in.rtol = 1e-9;
  in.atol = 1e-13;
  int rc = ts_ode_integrate(w, s, 0.0, &alpha_end, 1, &in, NULL, NULL, NULL);
  assert_int_equal(rc, TS_OK);
  return ts_ode_fixed_point(w, s, tol, 200, info);
}

/* linear SCM: eps* = eta sigma^2 K / (4 - 2 eta K) (Goldt eq. 12, exact for the linear ODE) */
static void test_fixed_point_linear(void **state)
{
  (void)state;
  const int KM[][2] = {{2, 2}, {3, 2}, {5, 2}, {4, 1}, {6, 3}};
  const double eta = 0.05, sigma = 0.01;
  for (size_t c = 0; c < sizeof KM / sizeof KM[0]; c++) {
    const int K = KM[c][0], M = KM[c][1];
    ts_ode_params p;
    ts_ode_params_init(&p, TS_ACT_LINEAR, K, M, eta);
    p.sigma = sigma;
    ts_ode *w = ts_ode_alloc(&p);
    ts_scm_state *s = ts_scm_alloc(K, M);
    assert_non_null(w);
    assert_non_null(s);
    near_symmetric_init(s, 0.1, 11 + c);
    for (int j = 0; j < K * K; j++) s->Q[j] *= 0.01; /* linear init: small weights */
    ts_ode_fp_info info;
    assert_int_equal(integrate_then_solve(w, s, 200.0, 1e-15, &info), TS_OK);
    assert_true(info.residual <= 1e-15);
    assert_int_equal(info.n_unknowns, K * (K + 1) / 2 + K * M);
    const double want = eta * sigma * sigma * K / (4.0 - 2.0 * eta * K);
    assert_close(ts_scm_eg(s, TS_ACT_LINEAR, TS_ACT_LINEAR), want, 1e-5, 0.0);
    assert_true(info.max_re_eig < 1e-8); /* no unstable direction (conserved differences give zero modes) */
    ts_scm_free(s);
    ts_ode_free(w);
  }
}

static int n_specialised_ok(const ts_scm_state *s)
{
  for (int m = 0; m < s->M; m++) {
    int nbig = 0;
    for (int i = 0; i < s->K; i++) nbig += s->R[i * s->M + m] > 0.9;
    if (nbig != 1) return 0;
  }
  return 1;
}

/* erf SCM, M = 2, K = 2..4, eta = 0.05, sigma = 0.01, T = I, v = v* = 1.
 * Reference: eq. (10) of Goldt et al., evaluated (40 digits) from shared/reference/goldt2020-eq10-erf-scm.txt;
 * it is first order in sigma^2, and the exact ODE fixed point differs by O(sigma^2) relative (~1e-6 here).
 * Stability: K = 2, 3 are stable.  For K = 4 (L = 2) the eq. (10) point is a saddle: the antisymmetric mode of the
 * two superfluous students (direction Q_33 - 2 Q_34 + Q_44) grows at a rate ~ +1.7e-7 (proportional to sigma^2),
 * so the test pins max Re(eig) in (0, 1e-6); integrated runs with L >= 2 drift along that mode to eps below eq. (10). */
static void test_fixed_point_erf(void **state)
{
  (void)state;
  const int M = 2;
  const double eta = 0.05, sigma = 0.01;
  const double eq10[3] = {9.39090589422103e-07, 1.77865281452518e-06, 2.64635252431312e-06}; /* K = 2, 3, 4 */
  for (int K = 2; K <= 4; K++) {
    ts_ode_params p;
    ts_ode_params_init(&p, TS_ACT_ERF, K, M, eta);
    p.sigma = sigma;
    ts_ode *w = ts_ode_alloc(&p);
    ts_scm_state *s = ts_scm_alloc(K, M), *s1 = ts_scm_alloc(K, M);
    assert_non_null(w);
    assert_non_null(s);
    assert_non_null(s1);
    ts_ode_fp_info info;

    /* (a) informed start: student m on teacher m, superfluous students tiny and identical */
    for (int i = 0; i < K; i++)
      for (int k = 0; k < K; k++) s->Q[i * K + k] = (i < M && k < M) ? (i == k) : (i >= M && k >= M ? 1e-5 : 0.0);
    for (int i = 0; i < K; i++)
      for (int m = 0; m < M; m++) s->R[i * M + m] = (i == m);
    assert_int_equal(ts_ode_fixed_point(w, s, 1e-15, 100, &info), TS_OK);
    assert_true(info.residual <= 1e-15);
    assert_int_equal(info.n_unknowns, K * (K + 1) / 2 + K * M);
    const double eps = ts_scm_eg(s, TS_ACT_ERF, TS_ACT_ERF);
    assert_close(eps, eq10[K - 2], 1e-5, 0.0);
    assert_true(n_specialised_ok(s));
    if (K < 4) assert_true(info.max_re_eig < 0.0);
    else assert_true(info.max_re_eig > 0.0 && info.max_re_eig < 1e-6);

    /* (b) from Q = I, R ~ 1e-3 N(0,1): integrate (adaptive) past specialisation, then Newton (K = 4: after
     * re-seeding the superfluous pair, which the integration leaves anti-aligned with O(0.1) norms) */
    near_symmetric_init(s1, 1e-3, 100 + K);
    ts_ode_integrator in;
    ts_ode_integrator_init(&in);
    in.adaptive = 1;
    in.rtol = 1e-9;
    in.atol = 1e-13;
    const double grid[2] = {3e3, 1e4};
    double eg[2];
    for (int g = 0; g < 2; g++) {
      assert_int_equal(ts_ode_integrate(w, s1, g ? grid[0] : 0.0, grid + g, 1, &in, NULL, NULL, NULL), TS_OK);
      eg[g] = ts_scm_eg(s1, TS_ACT_ERF, TS_ACT_ERF);
    }
    assert_true(n_specialised_ok(s1));
    if (K == 2) assert_close(eg[1], eps, 1e-5, 0.0); /* no superfluous unit: exponential approach */
    if (K == 3) {                                      /* one superfluous unit: slow approach from above */
      assert_true(eg[0] > eg[1] && eg[1] > eps);
      assert_close(eg[1], eps, 1e-2, 0.0);
    }
    if (K == 4) {
      assert_close(eg[1], eps, 0.1, 0.0);
      assert_int_equal(ts_ode_reseed_superfluous(s1, 1e-5), TS_OK);
    }
    assert_int_equal(ts_ode_fixed_point(w, s1, 1e-15, 100, &info), TS_OK);
    assert_close(ts_scm_eg(s1, TS_ACT_ERF, TS_ACT_ERF), eps, 1e-9, 0.0);
    ts_scm_free(s);
    ts_scm_free(s1);
    ts_ode_free(w);
  }
}

static void test_reseed_superfluous(void **state)
{
  (void)state;
  const int K = 4, M = 2;
  ts_scm_state *s = ts_scm_alloc(K, M), *s0 = ts_scm_alloc(K, M);
  assert_non_null(s);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 3);
  random_state(r, s, 1.0, 0);
  const double R[8] = {0.1, 0.8, 0.6, 0.2, 0.9, 0.3, 0.4, 0.7}; /* teacher 1 -> student 3, teacher 2 -> student 1 */
  memcpy(s->R, R, sizeof R);
  ts_scm_copy(s0, s);
  assert_int_equal(ts_ode_reseed_superfluous(s, 1e-4), TS_OK);
  const int spec[4] = {1, 0, 1, 0};
  for (int a = 0; a < K; a++) {
    for (int m = 0; m < M; m++) assert_true(s->R[a * M + m] == (spec[a] ? R[a * M + m] : 0.0));
    for (int b = 0; b < K; b++) {
      double want = (spec[a] && spec[b]) ? s0->Q[a * K + b] : ((spec[a] || spec[b]) ? 0.0 : 1e-4);
      assert_true(s->Q[a * K + b] == want);
    }
  }
  /* not specialised: teacher 2's best student (R 0.45) is below 1/2; two teachers with the same best student */
  const double Rbad[2][8] = {{0.1, 0.45, 0.6, 0.2, 0.9, 0.3, 0.4, 0.1}, {0.9, 0.8, 0.6, 0.2, 0.1, 0.3, 0.4, 0.1}};
  ts_error_quiet(1);
  for (int c = 0; c < 2; c++) {
    memcpy(s0->R, Rbad[c], sizeof Rbad[c]);
    ts_scm_copy(s, s0);
    assert_int_equal(ts_ode_reseed_superfluous(s, 1e-4), TS_EINVAL);
    for (int j = 0; j < K * K; j++) assert_true(s->Q[j] == s0->Q[j]);
    for (int j = 0; j < K * M; j++) assert_true(s->R[j] == s0->R[j]);
  }
  assert_int_equal(ts_ode_reseed_superfluous(s, -1.0), TS_EINVAL);
  ts_error_quiet(0);
  gsl_rng_free(r);
  ts_scm_free(s);
  ts_scm_free(s0);
}

/* ---- 4. integrators ------------------------------------------------------------------------------------------------ */

typedef struct {
  int calls;
  double last_alpha, last_eg;
  int saw_nonfinite;
} obs_rec;

static int rec_obs(double alpha, const ts_scm_state *s, double eg, void *ctx)
{
  obs_rec *o = ctx;
  o->calls++;
  o->last_alpha = alpha;
  o->last_eg = eg;
  for (int j = 0; j < s->K * s->K; j++) if (!isfinite(s->Q[j])) o->saw_nonfinite = 1;
  for (int j = 0; j < s->K * s->M; j++) if (!isfinite(s->R[j])) o->saw_nonfinite = 1;
  if (!isfinite(eg)) o->saw_nonfinite = 1;
  return 0;
}

static double state_dist(const ts_scm_state *a, const ts_scm_state *b)
{
  double d = 0.0;
  for (int j = 0; j < a->K * a->K; j++) d = fmax(d, fabs(a->Q[j] - b->Q[j]));
  for (int j = 0; j < a->K * a->M; j++) d = fmax(d, fabs(a->R[j] - b->R[j]));
  for (int j = 0; j < a->K; j++) d = fmax(d, fabs(a->v[j] - b->v[j]));
  return d;
}

static void run_to(ts_ode *w, const ts_scm_state *init, ts_scm_state *s, double alpha, int adaptive, double dt)
{
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.adaptive = adaptive;
  in.dt = dt;
  in.rtol = 1e-11;
  in.atol = 1e-14;
  ts_scm_copy(s, init);
  assert_int_equal(ts_ode_integrate(w, s, 0.0, &alpha, 1, &in, NULL, NULL, NULL), TS_OK);
}

static void test_euler_vs_adaptive(void **state)
{
  (void)state;
  const int K = 3, M = 2;
  ts_ode_params p;
  ts_ode_params_init(&p, TS_ACT_ERF, K, M, 0.5);
  p.sigma = 0.1;
  p.train_v = 1;
  ts_ode *w = ts_ode_alloc(&p);
  ts_scm_state *s0 = ts_scm_alloc(K, M), *ref = ts_scm_alloc(K, M), *e1 = ts_scm_alloc(K, M),
               *e2 = ts_scm_alloc(K, M), *e3 = ts_scm_alloc(K, M);
  assert_non_null(w);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 5);
  random_state(r, s0, 1.0, 1);
  const double horizon = 2.0;
  run_to(w, s0, ref, horizon, 1, 0.01);
  run_to(w, s0, e1, horizon, 0, 0.02);
  run_to(w, s0, e2, horizon, 0, 0.01);
  run_to(w, s0, e3, horizon, 0, 0.005);
  const double d1 = state_dist(e1, ref), d2 = state_dist(e2, ref), d3 = state_dist(e3, ref);
  /* first order: the error halves with dt (ratio 2 up to O(dt) corrections) */
  assert_true(d1 > 1e-6);
  assert_close(d1 / d2, 2.0, 0.05, 0.0);
  assert_close(d2 / d3, 2.0, 0.05, 0.0);
  assert_true(d3 < 1e-2 * max_abs_state(ref));
  /* a long run: Euler (dt 0.01) and adaptive agree on eps_g */
  run_to(w, s0, ref, 200.0, 1, 0.01);
  run_to(w, s0, e2, 200.0, 0, 0.01);
  assert_close(ts_scm_eg(e2, TS_ACT_ERF, TS_ACT_ERF), ts_scm_eg(ref, TS_ACT_ERF, TS_ACT_ERF), 1e-2, 1e-9);

  /* observer: called at alpha0 and at every grid point, exactly on the grid */
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.dt = 0.3; /* does not divide the grid spacing: last step of each interval shortened */
  const double grid[4] = {0.5, 1.0, 1.7, 10.0};
  for (int ad = 0; ad < 2; ad++) {
    obs_rec o = {0, 0, 0, 0};
    in.adaptive = ad;
    ts_scm_copy(e1, s0);
    assert_int_equal(ts_ode_integrate(w, e1, 0.0, grid, 4, &in, rec_obs, &o, NULL), TS_OK);
    assert_int_equal(o.calls, 5);
    assert_true(o.last_alpha == 10.0);
    assert_close(o.last_eg, ts_scm_eg(e1, TS_ACT_ERF, TS_ACT_ERF), 0.0, 0.0);
  }
  gsl_rng_free(r);
  ts_scm_free(s0); ts_scm_free(ref); ts_scm_free(e1); ts_scm_free(e2); ts_scm_free(e3);
  ts_ode_free(w);
}

static int stop_obs(double alpha, const ts_scm_state *s, double eg, void *ctx)
{
  int *n = ctx;
  return ++*n == 2 ? 42 : 0;
}

static void test_observer_stop(void **state)
{
  (void)state;
  ts_ode_params p;
  ts_ode_params_init(&p, TS_ACT_ERF, 2, 2, 0.5);
  ts_ode *w = ts_ode_alloc(&p);
  ts_scm_state *s = ts_scm_alloc(2, 2);
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  const double grid[3] = {1, 2, 3};
  int n = 0;
  assert_int_equal(ts_ode_integrate(w, s, 0.0, grid, 3, &in, stop_obs, &n, NULL), 42);
  assert_int_equal(n, 2);
  ts_scm_free(s);
  ts_ode_free(w);
}

/* c_grad = 0 freezes R (and v); only the noise term moves Q */
static void test_cgrad_zero_freezes_R(void **state)
{
  (void)state;
  const int K = 4, M = 2;
  for (int act = 0; act < 2; act++) {
    ts_ode_params p;
    ts_ode_params_init(&p, act ? TS_ACT_LINEAR : TS_ACT_ERF, K, M, 0.3);
    p.c_grad = 0.0;
    p.train_v = 1;
    p.sigma = 0.1;
    ts_ode *w = ts_ode_alloc(&p);
    ts_scm_state *s = ts_scm_alloc(K, M), *s0 = ts_scm_alloc(K, M);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 9);
    random_state(r, s0, 1.0, 1);
    ts_scm_copy(s, s0);
    ts_ode_integrator in;
    ts_ode_integrator_init(&in);
    in.dt = 0.05;
    const double a1 = 5.0;
    assert_int_equal(ts_ode_integrate(w, s, 0.0, &a1, 1, &in, NULL, NULL, NULL), TS_OK);
    for (int j = 0; j < K * M; j++) assert_true(s->R[j] == s0->R[j]);
    for (int j = 0; j < K; j++) assert_true(s->v[j] == s0->v[j]);
    for (int i = 0; i < K; i++) assert_true(s->Q[i * K + i] > s0->Q[i * K + i]); /* noise only grows norms */
    gsl_rng_free(r);
    ts_scm_free(s);
    ts_scm_free(s0);
    ts_ode_free(w);
  }
}

/* divergence: linear SCM with eta K > 2 blows up; TS_EDIVERGE with alpha reported, no NaN to the observer */
static void test_divergence(void **state)
{
  (void)state;
  const int K = 3, M = 2;
  for (int ad = 0; ad < 2; ad++) {
    ts_ode_params p;
    ts_ode_params_init(&p, TS_ACT_LINEAR, K, M, 5.0);
    p.sigma = 0.1;
    ts_ode *w = ts_ode_alloc(&p);
    ts_scm_state *s = ts_scm_alloc(K, M);
    ts_ode_integrator in;
    ts_ode_integrator_init(&in);
    in.adaptive = ad;
    in.dt = 0.01;
    in.diverge_bound = 1e6;
    double grid[200];
    for (int g = 0; g < 200; g++) grid[g] = 0.05 * (g + 1);
    obs_rec o = {0, 0, 0, 0};
    double afail = -1.0;
    ts_error_quiet(1);
    int rc = ts_ode_integrate(w, s, 0.0, grid, 200, &in, rec_obs, &o, &afail);
    ts_error_quiet(0);
    assert_int_equal(rc, TS_EDIVERGE);
    assert_true(afail > 0.0 && afail < 10.0);
    assert_true(o.last_alpha <= afail);
    assert_int_equal(o.saw_nonfinite, 0);
    assert_non_null(strstr(ts_error_last(), "diverge"));
    ts_scm_free(s);
    ts_ode_free(w);
  }
}

/* ---- 5. bad input -------------------------------------------------------------------------------------------------- */

static void test_bad_params(void **state)
{
  (void)state;
  ts_ode_params p;
  ts_error_quiet(1);
  ts_ode_params_init(&p, TS_ACT_ERF, 0, 2, 0.1);
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, TS_ACT_ERF, 2, 0, 0.1);
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, TS_ACT_ERF, 2, 2, 0.0);
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, TS_ACT_ERF, 2, 2, NAN);
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, TS_ACT_ERF, 2, 2, INFINITY);
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, TS_ACT_ERF, 2, 2, 0.1);
  p.sigma = -1.0;
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, TS_ACT_RELU, 2, 2, 0.1);
  assert_null(ts_ode_alloc(&p));
  ts_ode_params_init(&p, (ts_act)17, 2, 2, 0.1);
  assert_null(ts_ode_alloc(&p));
  assert_null(ts_ode_alloc(NULL));

  /* defaults */
  ts_ode_params_init(&p, TS_ACT_LINEAR, 3, 2, 0.25);
  assert_true(p.lr2 == 0.25 && p.train_v == 0 && p.sigma == 0.0 && p.c_grad == 1.0 && p.c_noise == 1.0 &&
              p.wd == 0.0);
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  assert_true(in.adaptive == 0 && in.dt == 0.01 && in.rtol == 1e-8 && in.atol == 1e-12 && in.diverge_bound == 1e8);

  /* bad integrator arguments */
  ts_ode *w = ts_ode_alloc(&p);
  assert_non_null(w);
  assert_true(ts_ode_get_params(w)->K == 3);
  ts_scm_state *s = ts_scm_alloc(3, 2);
  const double g1[2] = {1.0, 0.5};
  assert_int_equal(ts_ode_integrate(w, s, 0.0, g1, 2, &in, NULL, NULL, NULL), TS_EINVAL); /* not ascending */
  assert_int_equal(ts_ode_integrate(w, s, 2.0, g1, 1, &in, NULL, NULL, NULL), TS_EINVAL); /* before alpha0 */
  in.dt = 0.0;
  assert_int_equal(ts_ode_integrate(w, s, 0.0, g1, 1, &in, NULL, NULL, NULL), TS_EINVAL);
  ts_ode_integrator_init(&in);
  s->Q[0] = NAN;
  assert_int_equal(ts_ode_integrate(w, s, 0.0, g1, 1, &in, NULL, NULL, NULL), TS_EINVAL);
  assert_int_equal(ts_ode_fixed_point(w, s, 0.0, 10, NULL), TS_EINVAL);
  ts_error_quiet(0);
  ts_scm_free(s);
  ts_ode_free(w);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rhs_vs_reference),
    cmocka_unit_test(test_rhs_simd8_bitwise),
    cmocka_unit_test(test_rhs_vs_monte_carlo_erf),
    cmocka_unit_test(test_rhs_vs_monte_carlo_linear),
    cmocka_unit_test(test_fixed_point_linear),
    cmocka_unit_test(test_fixed_point_erf),
    cmocka_unit_test(test_reseed_superfluous),
    cmocka_unit_test(test_euler_vs_adaptive),
    cmocka_unit_test(test_observer_stop),
    cmocka_unit_test(test_cgrad_zero_freezes_R),
    cmocka_unit_test(test_divergence),
    cmocka_unit_test(test_bad_params),
  };
  return cmocka_run_group_tests_name("ode", tests, NULL, NULL);
}
