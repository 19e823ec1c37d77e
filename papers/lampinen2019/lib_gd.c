/* lib_gd — full-batch GD of deep linear and leaky-ReLU networks on orthonormal inputs (see lampinen_gd.h).
 *
 * Cost per epoch (N1 = 100, N3 = nh = 50): nmat = 2: three GEMMs of N3 nh N1 multiply-adds (1.5 MFLOP);
 * nmat = 4: nine GEMMs (4.5 MFLOP; the products W_2 W_1 and W_3 W_2 W_1 formed for the W_3 and W_4 updates are
 * exactly the next epoch's forward products, so they are kept).  Every buffer is nh x N1 or N3 x N1 (40 kB): the
 * working set stays in L2. */
#include "lampinen_gd.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts_err.h"
#include "ts_linalg.h"

/* a run has diverged when |l|^2 exceeds this multiple of |Sigma31|^2 (a converging run has |l| <= |Sigma31|) */
#define LGD_DIVERGE_FACTOR 1e12

struct lampinen_gd {
  lampinen_gd_params p;
  double *w[4];          /* weights                                                          */
  double *sig, *z, *l;   /* Sigma31, Z = Sigma31 - Wbar, residual l = Sigma31 - output (N3 x N1) */
  double sig2, wbar2;    /* |Sigma31|^2, |Wbar|^2                                            */
  double *P, *Q;         /* linear nmat = 4: W_2 W_1 and W_3 W_2 W_1 (nh x N1)               */
  double *g4, *g43, *g432; /* linear nmat = 4: W_4^T l, W_3^T W_4^T l, W_2^T W_3^T W_4^T l    */
  double *a[4], *h[4];   /* leaky: pre- and post-activations of hidden layers 1..nmat-1       */
  double *d1, *d2;       /* leaky: back-propagated errors                                     */
  int l_valid, pq_valid; /* caches consistent with the current weights                        */
  long epoch;
};

static size_t lgd__rows(const lampinen_gd_params *p, int i) { return i == p->nmat - 1 ? (size_t)p->n3 : (size_t)p->nh; }
static size_t lgd__cols(const lampinen_gd_params *p, int i) { return i == 0 ? (size_t)p->n1 : (size_t)p->nh; }

double lampinen_gd_flops_per_epoch(const lampinen_gd_params *p)
{
  double n1 = p->n1, n3 = p->n3, h = p->nh;
  if (p->nmat == 2) return 6 * n3 * h * n1;
  return 2 * n1 * h * (3 * n3 + 6 * h);
}

void lampinen_gd_free(lampinen_gd *g)
{
  if (!g) return;
  for (int i = 0; i < 4; i++) { free(g->w[i]); free(g->a[i]); free(g->h[i]); }
  free(g->sig); free(g->z); free(g->l); free(g->P); free(g->Q); free(g->g4); free(g->g43); free(g->g432);
  free(g->d1); free(g->d2);
  free(g);
}

lampinen_gd *lampinen_gd_alloc(const lampinen_gd_params *p, const double *sigma31, const double *wbar)
{
  if (!p || !sigma31 || !wbar || (p->nmat != 2 && p->nmat != 4) || p->n1 < 1 || p->n3 < 1 || p->nh < 1 ||
      !(p->lr > 0) || (p->act != LAMPINEN_GD_LINEAR && p->act != LAMPINEN_GD_LEAKY)) {
    ts_error(TS_EINVAL, "lampinen_gd_alloc: need nmat 2 or 4, widths >= 1, lr > 0 and the task matrices");
    return NULL;
  }
  lampinen_gd *g = calloc(1, sizeof *g);
  if (!g) { ts_error(TS_ENOMEM, "lampinen_gd_alloc: out of memory"); return NULL; }
  g->p = *p;
  const size_t n31 = (size_t)p->n3 * p->n1, nh1 = (size_t)p->nh * p->n1;
  int ok = 1;
  for (int i = 0; i < p->nmat; i++) ok = ok && (g->w[i] = calloc(lgd__rows(p, i) * lgd__cols(p, i), sizeof(double)));
  ok = ok && (g->sig = malloc(n31 * sizeof(double))) && (g->z = malloc(n31 * sizeof(double))) &&
       (g->l = malloc(n31 * sizeof(double)));
  if (ok && p->act == LAMPINEN_GD_LINEAR && p->nmat == 4)
    ok = (g->P = malloc(nh1 * sizeof(double))) && (g->Q = malloc(nh1 * sizeof(double))) &&
         (g->g4 = malloc(nh1 * sizeof(double))) && (g->g43 = malloc(nh1 * sizeof(double))) &&
         (g->g432 = malloc(nh1 * sizeof(double)));
  if (ok && p->act == LAMPINEN_GD_LEAKY) {
    for (int i = 1; i < p->nmat; i++)
      ok = ok && (g->a[i] = malloc(nh1 * sizeof(double))) && (g->h[i] = malloc(nh1 * sizeof(double)));
    ok = ok && (g->d1 = malloc(nh1 * sizeof(double))) && (g->d2 = malloc(nh1 * sizeof(double)));
  }
  if (!ok) { lampinen_gd_free(g); ts_error(TS_ENOMEM, "lampinen_gd_alloc: out of memory"); return NULL; }
  memcpy(g->sig, sigma31, n31 * sizeof(double));
  for (size_t k = 0; k < n31; k++) {
    g->z[k] = sigma31[k] - wbar[k];
    g->sig2 += sigma31[k] * sigma31[k];
    g->wbar2 += wbar[k] * wbar[k];
  }
  return g;
}

double *lampinen_gd_weights(lampinen_gd *g, int i) { return (i >= 0 && i < g->p.nmat) ? g->w[i] : NULL; }
void lampinen_gd_invalidate(lampinen_gd *g) { g->l_valid = g->pq_valid = 0; }
long lampinen_gd_epoch(const lampinen_gd *g) { return g->epoch; }

/* C (m x n) = alpha op(A) op(B) + beta C, row-major */
static void lgd__gemm(int ta, int tb, int m, int n, int k, double alpha, const double *A, int lda, const double *B,
                      int ldb, double beta, double *C, int ldc)
{
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, A, lda,
              B, ldb, beta, C, ldc);
}

static double lgd__phi(double x, double leak) { return x > 0 ? x : leak * x; }

/* residual l = Sigma31 - output of the current weights (and, for the leaky net, the activations) */
static void lgd__residual(lampinen_gd *g)
{
  const lampinen_gd_params *p = &g->p;
  const int n1 = p->n1, n3 = p->n3, h = p->nh;
  const size_t n31 = (size_t)n3 * n1, nh1 = (size_t)h * n1;
  memcpy(g->l, g->sig, n31 * sizeof(double));
  if (p->act == LAMPINEN_GD_LINEAR && p->nmat == 2) {
    lgd__gemm(0, 0, n3, n1, h, -1.0, g->w[1], h, g->w[0], n1, 1.0, g->l, n1);
  } else if (p->act == LAMPINEN_GD_LINEAR) {
    if (!g->pq_valid) {
      lgd__gemm(0, 0, h, n1, h, 1.0, g->w[1], h, g->w[0], n1, 0.0, g->P, n1);
      lgd__gemm(0, 0, h, n1, h, 1.0, g->w[2], h, g->P, n1, 0.0, g->Q, n1);
      g->pq_valid = 1;
    }
    lgd__gemm(0, 0, n3, n1, h, -1.0, g->w[3], h, g->Q, n1, 1.0, g->l, n1);
  } else {
    /* h_0 = X = I: a_1 = W_1 */
    memcpy(g->a[1], g->w[0], nh1 * sizeof(double));
    for (int i = 1; i < p->nmat; i++) {
      if (i > 1) lgd__gemm(0, 0, h, n1, h, 1.0, g->w[i - 1], h, g->h[i - 1], n1, 0.0, g->a[i], n1);
      for (size_t k = 0; k < nh1; k++) g->h[i][k] = lgd__phi(g->a[i][k], p->leak);
    }
    lgd__gemm(0, 0, n3, n1, h, -1.0, g->w[p->nmat - 1], h, g->h[p->nmat - 1], n1, 1.0, g->l, n1);
  }
  g->l_valid = 1;
}

/* |l|^2 and |Z - l|^2 in one pass */
static void lgd__norms(const lampinen_gd *g, double *l2, double *zl2)
{
  const size_t n31 = (size_t)g->p.n3 * g->p.n1;
  double a = 0, b = 0;
  for (size_t k = 0; k < n31; k++) {
    double d = g->z[k] - g->l[k];
    a += g->l[k] * g->l[k];
    b += d * d;
  }
  *l2 = a;
  *zl2 = b;
}

/* one epoch from a valid residual */
static void lgd__update(lampinen_gd *g)
{
  const lampinen_gd_params *p = &g->p;
  const int n1 = p->n1, n3 = p->n3, h = p->nh;
  const double lr = p->lr;
  const size_t nh1 = (size_t)h * n1;
  double **w = g->w;
  if (p->act == LAMPINEN_GD_LINEAR && p->nmat == 2) {
    lgd__gemm(1, 0, h, n1, n3, lr, w[1], h, g->l, n1, 1.0, w[0], n1);  /* W21 += lr W32^T l          */
    lgd__gemm(0, 1, n3, h, n1, lr, g->l, n1, w[0], n1, 1.0, w[1], h);  /* W32 += lr l W21^T (new W21) */
  } else if (p->act == LAMPINEN_GD_LINEAR) {
    lgd__gemm(1, 0, h, n1, n3, 1.0, w[3], h, g->l, n1, 0.0, g->g4, n1);     /* W4^T l                */
    lgd__gemm(1, 0, h, n1, h, 1.0, w[2], h, g->g4, n1, 0.0, g->g43, n1);    /* (W4 W3)^T l           */
    lgd__gemm(1, 0, h, n1, h, 1.0, w[1], h, g->g43, n1, 0.0, g->g432, n1);  /* (W4 W3 W2)^T l        */
    cblas_daxpy((int)nh1, lr, g->g432, 1, w[0], 1);                          /* W1 update             */
    lgd__gemm(0, 1, h, h, n1, lr, g->g43, n1, w[0], n1, 1.0, w[1], h);      /* W2 += (W4W3)^T l W1^T */
    lgd__gemm(0, 0, h, n1, h, 1.0, w[1], h, w[0], n1, 0.0, g->P, n1);       /* P = W2 W1 (new)       */
    lgd__gemm(0, 1, h, h, n1, lr, g->g4, n1, g->P, n1, 1.0, w[2], h);       /* W3 += W4^T l P^T      */
    lgd__gemm(0, 0, h, n1, h, 1.0, w[2], h, g->P, n1, 0.0, g->Q, n1);       /* Q = W3 W2 W1 (new)    */
    lgd__gemm(0, 1, n3, h, n1, lr, g->l, n1, g->Q, n1, 1.0, w[3], h);       /* W4 += l Q^T           */
    g->pq_valid = 1; /* W1..W3 are final for this epoch: P, Q are the next forward products */
  } else {
    /* back-propagation, every gradient at the old weights (delta_k is formed before W_k changes) */
    const int L = p->nmat;
    double *dn = g->l, *dk = g->d1;
    for (int k = L - 1; k >= 1; k--) {
      /* delta_k = (W_k^T delta_{k+1}) .* phi'(a_k), with delta_L = l */
      lgd__gemm(1, 0, h, n1, k == L - 1 ? n3 : h, 1.0, w[k], h, dn, n1, 0.0, dk, n1);
      for (size_t q = 0; q < nh1; q++)
        if (!(g->a[k][q] > 0)) dk[q] *= p->leak;
      /* W_k += lr delta_{k+1} h_k^T */
      lgd__gemm(0, 1, k == L - 1 ? n3 : h, h, n1, lr, dn, n1, g->h[k], n1, 1.0, w[k], h);
      dn = dk;
      dk = dn == g->d1 ? g->d2 : g->d1;
    }
    cblas_daxpy((int)nh1, lr, dn, 1, w[0], 1); /* W_1 += lr delta_1 X^T, X = I */
  }
  g->l_valid = 0;
  g->epoch++;
}

static int lgd__check(lampinen_gd *g, double l2)
{
  if (!isfinite(l2) || l2 > LGD_DIVERGE_FACTOR * g->sig2)
    return ts_error(TS_EDIVERGE, "lampinen_gd: diverged at epoch %ld (|l|^2 = %g, lr = %g)", g->epoch, l2, g->p.lr);
  return TS_OK;
}

int lampinen_gd_step(lampinen_gd *g, long n)
{
  for (long e = 0; e < n; e++) {
    if (!g->l_valid) lgd__residual(g);
    lgd__update(g);
  }
  if (n > 0) {
    /* a cheap finiteness check once per call (a NaN spreads to every entry of the residual) */
    lgd__residual(g);
    double l2, zl2;
    lgd__norms(g, &l2, &zl2);
    return lgd__check(g, l2);
  }
  return TS_OK;
}

int lampinen_gd_errors(lampinen_gd *g, double *train, double *test)
{
  if (!g->l_valid) lgd__residual(g);
  double l2, zl2;
  lgd__norms(g, &l2, &zl2);
  if (train) *train = l2 / g->sig2;
  if (test) *test = zl2 / g->wbar2;
  return lgd__check(g, l2);
}

int lampinen_gd_run(lampinen_gd *g, long epochs, int every, double *train, double *test, double stop_rise,
                    int *n_written)
{
  if (every < 1 || epochs < 0) return ts_error(TS_EINVAL, "lampinen_gd_run: need every >= 1, epochs >= 0");
  const long npts = epochs / every + 1;
  double best = INFINITY;
  int rc = TS_OK;
  long i;
  for (i = 0; i < npts; i++) {
    double tr, te;
    rc = lampinen_gd_errors(g, &tr, &te);
    if (rc) break;
    if (train) train[i] = tr;
    if (test) test[i] = te;
    double lt = log(te);
    if (lt < best) best = lt;
    if (stop_rise > 0 && lt > best + stop_rise) { i++; break; }
    if (i == npts - 1) { i++; break; }
    for (int e = 0; e < every; e++) {
      if (!g->l_valid) lgd__residual(g);
      lgd__update(g);
    }
  }
  if (n_written) *n_written = (int)i;
  return rc;
}

int lampinen_gd_composite(lampinen_gd *g, double *W)
{
  if (!g->l_valid) lgd__residual(g);
  const size_t n31 = (size_t)g->p.n3 * g->p.n1;
  for (size_t k = 0; k < n31; k++) W[k] = g->sig[k] - g->l[k];
  return TS_OK;
}

int lampinen_gd_init_random(lampinen_gd *g, double eps, ts_rng *r)
{
  const lampinen_gd_params *p = &g->p;
  const int n1 = p->n1, n3 = p->n3, h = p->nh;
  if (!(eps > 0) || !r || h > n1 || h > n3)
    return ts_error(TS_EINVAL, "lampinen_gd_init_random: need eps > 0, an rng and nh <= min(N1, N3) (nh = %d)", h);
  const double c = pow(eps, 1.0 / p->nmat);
  int nmax = n1 > n3 ? n1 : n3;
  double *q = malloc((size_t)nmax * nmax * sizeof(double));
  if (!q) return ts_error(TS_ENOMEM, "lampinen_gd_init_random: out of memory");
  int rc = ts_haar_orthogonal(r, n1, q); /* W_1: first nh rows of Haar(N1) */
  for (int i = 0; !rc && i < h; i++)
    for (int j = 0; j < n1; j++) g->w[0][(size_t)i * n1 + j] = c * q[(size_t)i * n1 + j];
  for (int m = 1; !rc && m < p->nmat - 1; m++) { /* middle: Haar(nh) */
    rc = ts_haar_orthogonal(r, h, q);
    for (size_t k = 0; !rc && k < (size_t)h * h; k++) g->w[m][k] = c * q[k];
  }
  if (!rc) rc = ts_haar_orthogonal(r, n3, q); /* last: first nh columns of Haar(N3) */
  for (int i = 0; !rc && i < n3; i++)
    for (int j = 0; j < h; j++) g->w[p->nmat - 1][(size_t)i * h + j] = c * q[(size_t)i * n3 + j];
  free(q);
  lampinen_gd_invalidate(g);
  g->epoch = 0;
  return rc;
}

int lampinen_gd_init_aligned(lampinen_gd *g, double eps, const double *uhat, const double *vt, ts_rng *r)
{
  const lampinen_gd_params *p = &g->p;
  const int n1 = p->n1, n3 = p->n3, h = p->nh, k = n1 < n3 ? n1 : n3;
  if (!(eps > 0) || !uhat || !vt || h > k || (p->nmat == 4 && !r))
    return ts_error(TS_EINVAL, "lampinen_gd_init_aligned: need eps > 0, the SVD, nh <= min(N1, N3) (nh = %d) and an "
                    "rng for nmat = 4", h);
  const double c = pow(eps, 1.0 / p->nmat);
  double **w = g->w;
  if (p->nmat == 2) {
    for (size_t q = 0; q < (size_t)h * n1; q++) w[0][q] = c * vt[q];
    for (int i = 0; i < n3; i++)
      for (int j = 0; j < h; j++) w[1][(size_t)i * h + j] = c * uhat[(size_t)i * k + j];
  } else {
    double *R = malloc(3 * (size_t)h * h * sizeof(double));
    if (!R) return ts_error(TS_ENOMEM, "lampinen_gd_init_aligned: out of memory");
    double *R1 = R, *R2 = R + (size_t)h * h, *R3 = R + 2 * (size_t)h * h;
    int rc = ts_haar_orthogonal(r, h, R1);
    if (!rc) rc = ts_haar_orthogonal(r, h, R2);
    if (!rc) rc = ts_haar_orthogonal(r, h, R3);
    if (rc) { free(R); return rc; }
    lgd__gemm(0, 0, h, n1, h, c, R1, h, vt, n1, 0.0, w[0], n1); /* R1 Vhat[:, :nh]^T */
    lgd__gemm(0, 1, h, h, h, c, R2, h, R1, h, 0.0, w[1], h);    /* R2 R1^T           */
    lgd__gemm(0, 1, h, h, h, c, R3, h, R2, h, 0.0, w[2], h);    /* R3 R2^T           */
    lgd__gemm(0, 1, n3, h, h, c, uhat, k, R3, h, 0.0, w[3], h);  /* Uhat[:, :nh] R3^T */
    free(R);
  }
  lampinen_gd_invalidate(g);
  g->epoch = 0;
  return TS_OK;
}

int lampinen_gd_track(lampinen_gd *g, int k, const double *uhat, const double *shat, const double *vt, double *udot,
                      double *vdot, double *sratio)
{
  const int n1 = g->p.n1, n3 = g->p.n3, m = n1 < n3 ? n1 : n3;
  if (k < 1 || k > m) return ts_error(TS_EINVAL, "lampinen_gd_track: need 1 <= k <= %d (got %d)", m, k);
  double *W = malloc((size_t)n3 * n1 * sizeof(double)), *U = malloc((size_t)n3 * m * sizeof(double));
  double *s = malloc((size_t)m * sizeof(double)), *Vt = malloc((size_t)m * n1 * sizeof(double));
  int rc = (!W || !U || !s || !Vt) ? ts_error(TS_ENOMEM, "lampinen_gd_track: out of memory") : TS_OK;
  if (!rc) rc = lampinen_gd_composite(g, W);
  if (!rc) rc = ts_svd(n3, n1, W, U, s, Vt);
  for (int a = 0; !rc && a < k; a++) {
    double du = 0, dv = 0;
    for (int i = 0; i < n3; i++) du += U[(size_t)i * m + a] * uhat[(size_t)i * m + a];
    for (int j = 0; j < n1; j++) dv += Vt[(size_t)a * n1 + j] * vt[(size_t)a * n1 + j];
    udot[a] = fabs(du);
    vdot[a] = fabs(dv);
    sratio[a] = s[a] / shat[a];
  }
  free(W); free(U); free(s); free(Vt);
  return rc;
}
