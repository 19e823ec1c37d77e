/* Specialisation metrics of Tian 2020: correlations, rho_mean (eq. 9), matching, Wilson intervals, Spearman.
 * See tian_metrics.h. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tian_metrics.h"
#include "ts_err.h"

/* Column means of X (N x c, stride ld) into mu, and centred copy into Y (N x c, dense); Y may be NULL. */
static void tian__centre(const double *X, int ld, int c, int N, double *mu, double *Y)
{
  for (int k = 0; k < c; k++) mu[k] = 0;
  for (int i = 0; i < N; i++)
    for (int k = 0; k < c; k++) mu[k] += X[(size_t)i * ld + k];
  for (int k = 0; k < c; k++) mu[k] /= N;
  for (int i = 0; i < N; i++)
    for (int k = 0; k < c; k++) Y[(size_t)i * c + k] = X[(size_t)i * ld + k] - mu[k];
}

int tian_corr(const double *T, int ldt, int m, const double *S, int lds, int n, int N, double *rho)
{
  if (N < 1 || m < 1 || n < 1 || ldt < m || lds < n)
    return ts_error(TS_EINVAL, "tian_corr: bad sizes N=%d m=%d n=%d ldt=%d lds=%d", N, m, n, ldt, lds);
  double *Tc = malloc((size_t)N * m * sizeof *Tc), *Sc = malloc((size_t)N * n * sizeof *Sc);
  double *mt = malloc((size_t)(2 * m + 2 * n) * sizeof *mt);
  if (!Tc || !Sc || !mt) { free(Tc); free(Sc); free(mt); return ts_error(TS_ENOMEM, "tian_corr: out of memory"); }
  double *ms = mt + m, *nt = ms + n, *ns = nt + m;
  tian__centre(T, ldt, m, N, mt, Tc);
  tian__centre(S, lds, n, N, ms, Sc);
  for (int j = 0; j < m; j++) {
    double q = 0;
    for (int i = 0; i < N; i++) q += Tc[(size_t)i * m + j] * Tc[(size_t)i * m + j];
    nt[j] = sqrt(q + TIAN_CORR_EPS);
  }
  for (int k = 0; k < n; k++) {
    double q = 0;
    for (int i = 0; i < N; i++) q += Sc[(size_t)i * n + k] * Sc[(size_t)i * n + k];
    ns[k] = sqrt(q + TIAN_CORR_EPS);
  }
  /* rho = Tc^T Sc (m x n) */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, N, 1.0, Tc, m, Sc, n, 0.0, rho, n);
  for (int j = 0; j < m; j++)
    for (int k = 0; k < n; k++) rho[(size_t)j * n + k] /= nt[j] * ns[k];
  free(Tc); free(Sc); free(mt);
  return TS_OK;
}

struct tian_corr_acc {
  int m, n;
  double N;
  double *st, *ss, *stt, *sss, *sts; /* m, n, m, n, m*n */
};

tian_corr_acc *tian_corr_acc_alloc(int m, int n)
{
  if (m < 1 || n < 1) { ts_error(TS_EINVAL, "tian_corr_acc_alloc: m=%d n=%d", m, n); return NULL; }
  tian_corr_acc *a = calloc(1, sizeof *a);
  double *buf = calloc((size_t)(2 * m + 2 * n) + (size_t)m * n, sizeof *buf);
  if (!a || !buf) { free(a); free(buf); ts_error(TS_ENOMEM, "tian_corr_acc_alloc: out of memory"); return NULL; }
  a->m = m; a->n = n;
  a->st = buf; a->ss = buf + m; a->stt = a->ss + n; a->sss = a->stt + m; a->sts = a->sss + n;
  return a;
}

void tian_corr_acc_free(tian_corr_acc *a)
{
  if (!a) return;
  free(a->st);
  free(a);
}

void tian_corr_acc_reset(tian_corr_acc *a)
{
  a->N = 0;
  memset(a->st, 0, ((size_t)(2 * a->m + 2 * a->n) + (size_t)a->m * a->n) * sizeof(double));
}

void tian_corr_acc_add(tian_corr_acc *a, const double *T, int ldt, const double *S, int lds, int B)
{
  const int m = a->m, n = a->n;
  for (int i = 0; i < B; i++) {
    const double *t = T + (size_t)i * ldt, *s = S + (size_t)i * lds;
    for (int j = 0; j < m; j++) { a->st[j] += t[j]; a->stt[j] += t[j] * t[j]; }
    for (int k = 0; k < n; k++) { a->ss[k] += s[k]; a->sss[k] += s[k] * s[k]; }
  }
  /* sum_i t_i s_i^T as one GEMM: sts += T^T S */
  if (B > 0) cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, B, 1.0, T, ldt, S, lds, 1.0, a->sts, n);
  a->N += B;
}

void tian_corr_acc_rho(const tian_corr_acc *a, double *rho)
{
  const int m = a->m, n = a->n;
  if (a->N <= 0) { memset(rho, 0, (size_t)m * n * sizeof *rho); return; }
  for (int j = 0; j < m; j++) {
    double tb = a->st[j] / a->N, vt = fmax(a->stt[j] - a->N * tb * tb, 0.0);
    for (int k = 0; k < n; k++) {
      double sb = a->ss[k] / a->N, vs = fmax(a->sss[k] - a->N * sb * sb, 0.0);
      rho[(size_t)j * n + k] = (a->sts[(size_t)j * n + k] - a->N * tb * sb) /
                               (sqrt(vt + TIAN_CORR_EPS) * sqrt(vs + TIAN_CORR_EPS));
    }
  }
}

void tian_teacher_best(const double *rho, int m, int n, double *best, int *arg)
{
  for (int j = 0; j < m; j++) {
    int a = 0;
    for (int k = 1; k < n; k++)
      if (rho[(size_t)j * n + k] > rho[(size_t)j * n + a]) a = k;
    best[j] = rho[(size_t)j * n + a];
    if (arg) arg[j] = a;
  }
}

void tian_student_best(const double *rho, int m, int n, double *best, int *arg)
{
  for (int k = 0; k < n; k++) {
    int a = 0;
    for (int j = 1; j < m; j++)
      if (rho[(size_t)j * n + k] > rho[(size_t)a * n + k]) a = j;
    best[k] = rho[(size_t)a * n + k];
    if (arg) arg[k] = a;
  }
}

double tian_rho_mean(const double *rho, int m, int n)
{
  double s = 0;
  for (int j = 0; j < m; j++) {
    double b = rho[(size_t)j * n];
    for (int k = 1; k < n; k++) b = fmax(b, rho[(size_t)j * n + k]);
    s += b;
  }
  return s / m;
}

int tian_matched(const double *rho, int m, int n, double thr, int *matched)
{
  int c = 0;
  for (int j = 0; j < m; j++) {
    int ok = 0;
    for (int k = 0; k < n; k++) ok |= rho[(size_t)j * n + k] > thr;
    if (matched) matched[j] = ok;
    c += ok;
  }
  return c;
}

void tian_wilson(int k, int n, double z, double *lo, double *hi)
{
  double p = (double)k / n, z2 = z * z, den = 1 + z2 / n;
  double c = (p + z2 / (2.0 * n)) / den, h = z * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / den;
  *lo = fmax(0.0, c - h);
  *hi = fmin(1.0, c + h);
  if (k == 0) *lo = 0;
  if (k == n) *hi = 1;
}

double tian_binom_se(int k, int n)
{
  double p = (double)k / n;
  return sqrt(p * (1 - p) / n);
}

/* Sort indices by x (insertion sort: n is small, a few tens; stable, so the result is deterministic). */
static void tian__argsort(const double *x, int n, int *idx)
{
  for (int i = 0; i < n; i++) idx[i] = i;
  for (int i = 1; i < n; i++) {
    int v = idx[i], j = i - 1;
    while (j >= 0 && x[idx[j]] > x[v]) { idx[j + 1] = idx[j]; j--; }
    idx[j + 1] = v;
  }
}

void tian_ranks(const double *x, int n, double *rank)
{
  int *idx = malloc((size_t)n * sizeof *idx);
  if (!idx) { ts_error(TS_ENOMEM, "tian_ranks: out of memory"); for (int i = 0; i < n; i++) rank[i] = NAN; return; }
  tian__argsort(x, n, idx);
  for (int i = 0; i < n;) {
    int j = i;
    while (j + 1 < n && x[idx[j + 1]] == x[idx[i]]) j++;
    double r = 0.5 * (i + j) + 1; /* mean of ranks i+1 .. j+1 */
    for (int t = i; t <= j; t++) rank[idx[t]] = r;
    i = j + 1;
  }
  free(idx);
}

double tian_spearman(const double *x, const double *y, int n)
{
  if (n < 2) return NAN;
  double *rx = malloc((size_t)2 * n * sizeof *rx);
  if (!rx) { ts_error(TS_ENOMEM, "tian_spearman: out of memory"); return NAN; }
  double *ry = rx + n;
  tian_ranks(x, n, rx);
  tian_ranks(y, n, ry);
  double mx = 0, my = 0;
  for (int i = 0; i < n; i++) { mx += rx[i]; my += ry[i]; }
  mx /= n; my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) * (rx[i] - mx);
    syy += (ry[i] - my) * (ry[i] - my);
  }
  free(rx);
  if (sxx == 0 || syy == 0) return NAN;
  return sxy / sqrt(sxx * syy);
}
