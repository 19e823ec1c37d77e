/* ts_linalg — LAPACKE helpers (see ts_linalg.h).  Row-major throughout. */
#include "ts_linalg.h"

#include "ts_err.h"

#include <lapacke.h>
#include <stdlib.h>
#include <string.h>

int ts_haar_orthogonal(ts_rng *r, int n, double *Q)
{
  if (!r || !Q || n < 1) return ts_error(TS_EINVAL, "haar: need an rng, n >= 1 (got %d) and an output", n);
  double *tau = malloc(sizeof(double) * (size_t)n);
  double *sg = malloc(sizeof(double) * (size_t)n);
  if (!tau || !sg) {
    free(tau);
    free(sg);
    return ts_error(TS_ENOMEM, "haar: out of memory (n = %d)", n);
  }
  int rc = TS_OK;
  ts_rng_gaussian_fill(r, Q, (size_t)n * (size_t)n);
  lapack_int info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, n, n, Q, n, tau);
  if (info != 0) {
    rc = ts_error(TS_ELIB, "haar: dgeqrf failed (info %d)", (int)info);
    goto out;
  }
  for (int j = 0; j < n; j++) sg[j] = Q[(size_t)j * n + j] < 0.0 ? -1.0 : 1.0; /* sign(R_jj), sign(0) = +1 */
  info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, n, n, n, Q, n, tau);
  if (info != 0) {
    rc = ts_error(TS_ELIB, "haar: dorgqr failed (info %d)", (int)info);
    goto out;
  }
  /* Q <- Q diag(sign(R_jj)): then Q R' = A with R' having a positive diagonal, which makes Q Haar (Mezzadri 2007) */
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) Q[(size_t)i * n + j] *= sg[j];
out:
  free(tau);
  free(sg);
  return rc;
}

int ts_svd(int m, int n, const double *A, double *U, double *s, double *Vt)
{
  if (m < 1 || n < 1 || !A || !s) return ts_error(TS_EINVAL, "svd: need m, n >= 1 (got %d, %d), A and s", m, n);
  const int k = m < n ? m : n;
  double *a = malloc(sizeof(double) * (size_t)m * (size_t)n);
  double *u = NULL, *vt = NULL;
  const char jobz = (U || Vt) ? 'S' : 'N';
  if (jobz == 'S') {
    u = U ? U : malloc(sizeof(double) * (size_t)m * (size_t)k);
    vt = Vt ? Vt : malloc(sizeof(double) * (size_t)k * (size_t)n);
  }
  int rc = TS_OK;
  if (!a || (jobz == 'S' && (!u || !vt))) {
    rc = ts_error(TS_ENOMEM, "svd: out of memory (%d x %d)", m, n);
    goto out;
  }
  memcpy(a, A, sizeof(double) * (size_t)m * (size_t)n);
  /* thin SVD: U is m x k (ldu = k), Vt is k x n (ldvt = n); LAPACKE checks ldu, ldvt even for jobz = N, when
   * u and vt are not referenced */
  lapack_int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, jobz, m, n, a, n, s, u ? u : a, k, vt ? vt : a, n);
  if (info != 0) rc = ts_error(TS_ELIB, "svd: dgesdd failed (info %d) on a %d x %d matrix", (int)info, m, n);
out:
  free(a);
  if (u != U) free(u);
  if (vt != Vt) free(vt);
  return rc;
}

int ts_orthonormal_rows(int k, int n, double *W, double norm)
{
  if (k < 1 || n < 1 || k > n || !W)
    return ts_error(TS_EINVAL, "orthonormal_rows: need 1 <= k <= n (got k = %d, n = %d)", k, n);
  double *at = malloc(sizeof(double) * (size_t)n * (size_t)k); /* W^T, n x k */
  double *tau = malloc(sizeof(double) * (size_t)k);
  double *sg = malloc(sizeof(double) * (size_t)k);
  int rc = TS_OK;
  if (!at || !tau || !sg) {
    rc = ts_error(TS_ENOMEM, "orthonormal_rows: out of memory (%d x %d)", k, n);
    goto out;
  }
  for (int i = 0; i < k; i++)
    for (int j = 0; j < n; j++) at[(size_t)j * k + i] = W[(size_t)i * n + j];
  lapack_int info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, n, k, at, k, tau);
  if (info != 0) {
    rc = ts_error(TS_ELIB, "orthonormal_rows: dgeqrf failed (info %d)", (int)info);
    goto out;
  }
  for (int i = 0; i < k; i++) sg[i] = at[(size_t)i * k + i] < 0.0 ? -1.0 : 1.0;
  info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, n, k, k, at, k, tau);
  if (info != 0) {
    rc = ts_error(TS_ELIB, "orthonormal_rows: dorgqr failed (info %d)", (int)info);
    goto out;
  }
  /* row i = sign(R_ii) Q[:, i]: what Gram-Schmidt of the rows in order gives (row i keeps a positive overlap
   * with the old row i) when W has full rank; with dependent rows the result is still orthonormal. */
  for (int i = 0; i < k; i++)
    for (int j = 0; j < n; j++) W[(size_t)i * n + j] = norm * sg[i] * at[(size_t)j * k + i];
out:
  free(at);
  free(tau);
  free(sg);
  return rc;
}
