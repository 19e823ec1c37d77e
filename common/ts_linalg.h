/* ts_linalg — LAPACKE/CBLAS helpers.  Matrices are row-major doubles. */
#ifndef TS_LINALG_H
#define TS_LINALG_H

#include "ts_rng.h"

/* Haar-distributed n x n orthogonal matrix into Q: QR of a Gaussian matrix with the signs of R's diagonal moved
 * into Q (Mezzadri 2007).  TS_OK, TS_ENOMEM or TS_ELIB. */
int ts_haar_orthogonal(ts_rng *r, int n, double *Q);
/* Thin SVD A = U diag(s) Vt of the m x n matrix A (not modified): U is m x k, s has k, Vt is k x n,
 * k = min(m, n); s descending.  Any of U, Vt may be NULL when not wanted. */
int ts_svd(int m, int n, const double *A, double *U, double *s, double *Vt);
/* Orthonormalise the k rows of the k x n matrix W (k <= n) in place and scale them to norm `norm`. */
int ts_orthonormal_rows(int k, int n, double *W, double norm);

#endif
