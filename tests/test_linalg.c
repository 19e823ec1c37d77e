/* test_linalg — Haar orthogonal matrices, thin SVD, orthonormalised rows. */
#include "ts_test.h"

#include <stdlib.h>
#include <string.h>

#include "ts_err.h"
#include "ts_linalg.h"
#include "ts_rng.h"

/* C = A B^T for row-major A (m x p), B (n x p) */
static void mul_abt(int m, int n, int p, const double *A, const double *B, double *C)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      long double s = 0.0L;
      for (int k = 0; k < p; k++) s += (long double)A[i * p + k] * B[j * p + k];
      C[i * n + j] = (double)s;
    }
}

static void transpose(int m, int n, const double *A, double *At)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) At[j * m + i] = A[i * n + j];
}

static void assert_identity(int n, const double *G, double scale, double tol)
{
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) assert_close(G[i * n + j], i == j ? scale : 0.0, 0.0, tol);
}

/* ---------- Haar ---------- */

static void test_haar_orthogonal(void **state)
{
  ts_rng *r = ts_rng_alloc(1, 0);
  for (int n = 1; n <= 9; n += 4) {
    double Q[81], Qt[81], G[81];
    assert_int_equal(ts_haar_orthogonal(r, n, Q), TS_OK);
    mul_abt(n, n, n, Q, Q, G); /* Q Q^T */
    assert_identity(n, G, 1.0, 1e-12);
    transpose(n, n, Q, Qt);
    mul_abt(n, n, n, Qt, Qt, G); /* Q^T Q */
    assert_identity(n, G, 1.0, 1e-12);
  }
  ts_rng_free(r);
}

/* Haar moments over D draws of n x n: E Q_ij = 0 (Var 1/n), E Q_ij^2 = 1/n (Var E Q^4 - 1/n^2 with
 * E Q_ij^4 = 3/(n(n+2))), E tr Q = 0 (Var 1), each within 5 SE.  Without the sign correction LAPACK's
 * Householder QR gives Q_11 < 0 always, which the first check catches. */
static void test_haar_distribution(void **state)
{
  enum { n = 4, D = 20000 };
  ts_rng *r = ts_rng_alloc(2, 0);
  double m1[n * n] = {0}, m2[n * n] = {0}, tr = 0.0;
  for (int d = 0; d < D; d++) {
    double Q[n * n];
    assert_int_equal(ts_haar_orthogonal(r, n, Q), TS_OK);
    for (int j = 0; j < n * n; j++) m1[j] += Q[j], m2[j] += Q[j] * Q[j];
    for (int i = 0; i < n; i++) tr += Q[i * n + i];
  }
  const double var2 = 3.0 / (n * (n + 2.0)) - 1.0 / (n * (double)n);
  for (int j = 0; j < n * n; j++) {
    assert_close(m1[j] / D, 0.0, 0.0, 5.0 * sqrt(1.0 / n / D));
    assert_close(m2[j] / D, 1.0 / n, 0.0, 5.0 * sqrt(var2 / D));
  }
  assert_close(tr / D, 0.0, 0.0, 5.0 * sqrt(1.0 / D));
  ts_rng_free(r);
}

/* ---------- SVD ---------- */

static void check_svd(int m, int n, uint64_t seed)
{
  const int k = m < n ? m : n;
  double *A = malloc(sizeof(double) * m * n), *U = malloc(sizeof(double) * m * k), *Vt = malloc(sizeof(double) * k * n);
  double *s = malloc(sizeof(double) * k), *s2 = malloc(sizeof(double) * k), *B = malloc(sizeof(double) * m * n);
  double *G = malloc(sizeof(double) * k * k), *Ut = malloc(sizeof(double) * m * k);
  ts_rng *r = ts_rng_alloc(seed, 0);
  ts_rng_gaussian_fill(r, A, (size_t)m * n);
  memcpy(B, A, sizeof(double) * m * n);
  assert_int_equal(ts_svd(m, n, A, U, s, Vt), TS_OK);
  assert_memory_equal(A, B, sizeof(double) * m * n); /* A not modified */
  for (int i = 0; i < k; i++) {
    assert_true(s[i] >= 0.0);
    if (i > 0) assert_true(s[i] <= s[i - 1]);
  }
  /* U diag(s) Vt = A */
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      long double acc = 0.0L;
      for (int l = 0; l < k; l++) acc += (long double)U[i * k + l] * s[l] * Vt[l * n + j];
      assert_close((double)acc, A[i * n + j], 0.0, 1e-12);
    }
  transpose(m, k, U, Ut);
  mul_abt(k, k, m, Ut, Ut, G); /* U^T U */
  assert_identity(k, G, 1.0, 1e-12);
  mul_abt(k, k, n, Vt, Vt, G); /* Vt Vt^T */
  assert_identity(k, G, 1.0, 1e-12);
  /* sum of s^2 = Frobenius norm^2; the values alone (U, Vt NULL) are the same */
  double fro = 0.0, ss = 0.0;
  for (int j = 0; j < m * n; j++) fro += A[j] * A[j];
  for (int i = 0; i < k; i++) ss += s[i] * s[i];
  assert_close(ss, fro, 1e-12, 0.0);
  assert_int_equal(ts_svd(m, n, A, NULL, s2, NULL), TS_OK);
  for (int i = 0; i < k; i++) assert_close(s2[i], s[i], 1e-12, 1e-14);
  assert_int_equal(ts_svd(m, n, A, U, s2, NULL), TS_OK);
  for (int i = 0; i < k; i++) assert_close(s2[i], s[i], 1e-12, 1e-14);
  ts_rng_free(r);
  free(A), free(U), free(Vt), free(s), free(s2), free(B), free(G), free(Ut);
}

static void test_svd(void **state)
{
  check_svd(5, 3, 1);
  check_svd(3, 7, 2);
  check_svd(6, 6, 3);
  /* a matrix with known singular values: [[0, 3], [2, 0], [0, 0]] -> 3, 2 */
  double A[6] = {0, 3, 2, 0, 0, 0}, s[2];
  assert_int_equal(ts_svd(3, 2, A, NULL, s, NULL), TS_OK);
  assert_close(s[0], 3.0, 1e-14, 0.0);
  assert_close(s[1], 2.0, 1e-14, 0.0);
}

/* ---------- orthonormal rows ---------- */

static void test_orthonormal_rows(void **state)
{
  enum { k = 3, n = 10 };
  ts_rng *r = ts_rng_alloc(3, 0);
  double W[k * n], W0[k * n], G[k * k];
  ts_rng_gaussian_fill(r, W, k * n);
  memcpy(W0, W, sizeof W);
  const double norm = 2.0;
  assert_int_equal(ts_orthonormal_rows(k, n, W, norm), TS_OK);
  mul_abt(k, k, n, W, W, G);
  assert_identity(k, G, norm * norm, 1e-12);
  /* same row space: every old row is its projection onto the new rows */
  for (int i = 0; i < k; i++) {
    double proj[n] = {0};
    for (int l = 0; l < k; l++) {
      double c = 0.0;
      for (int j = 0; j < n; j++) c += W0[i * n + j] * W[l * n + j];
      for (int j = 0; j < n; j++) proj[j] += c * W[l * n + j] / (norm * norm);
    }
    for (int j = 0; j < n; j++) assert_close(proj[j], W0[i * n + j], 0.0, 1e-12);
  }
  /* Gram-Schmidt orientation: the first row keeps its direction */
  double c = 0.0, a = 0.0;
  for (int j = 0; j < n; j++) c += W0[j] * W[j], a += W0[j] * W0[j];
  assert_close(c / (sqrt(a) * norm), 1.0, 1e-12, 0.0);
  ts_error_quiet(1);
  assert_int_equal(ts_orthonormal_rows(n + 1, n, W, 1.0), TS_EINVAL);
  ts_error_quiet(0);
  ts_rng_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_haar_orthogonal),
      cmocka_unit_test(test_haar_distribution),
      cmocka_unit_test(test_svd),
      cmocka_unit_test(test_orthonormal_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
