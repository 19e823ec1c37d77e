/* ts_scm — order-parameter state of a teacher–student pair and its generalisation error (see ts_scm.h). */
#include "ts_scm.h"

#include "ts_err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ts_scm_state *ts_scm_alloc(int K, int M)
{
  if (K < 1 || M < 1) {
    ts_error(TS_EINVAL, "ts_scm_alloc: K = %d and M = %d must both be >= 1", K, M);
    return NULL;
  }
  ts_scm_state *s = calloc(1, sizeof *s);
  if (!s) {
    ts_error(TS_ENOMEM, "ts_scm_alloc: out of memory");
    return NULL;
  }
  s->K = K;
  s->M = M;
  s->Q = calloc((size_t)K * (size_t)K, sizeof(double));
  s->R = calloc((size_t)K * (size_t)M, sizeof(double));
  s->T = calloc((size_t)M * (size_t)M, sizeof(double));
  s->v = calloc((size_t)K, sizeof(double));
  s->vstar = calloc((size_t)M, sizeof(double));
  if (!s->Q || !s->R || !s->T || !s->v || !s->vstar) {
    ts_scm_free(s);
    ts_error(TS_ENOMEM, "ts_scm_alloc: out of memory (K = %d, M = %d)", K, M);
    return NULL;
  }
  for (int i = 0; i < K; i++) {
    s->Q[i * K + i] = 1.0;
    s->v[i] = 1.0;
  }
  for (int n = 0; n < M; n++) {
    s->T[n * M + n] = 1.0;
    s->vstar[n] = 1.0;
  }
  return s;
}

void ts_scm_free(ts_scm_state *s)
{
  if (!s) return;
  free(s->Q);
  free(s->R);
  free(s->T);
  free(s->v);
  free(s->vstar);
  free(s);
}

int ts_scm_copy(ts_scm_state *dst, const ts_scm_state *src)
{
  if (!dst || !src) return ts_error(TS_EINVAL, "ts_scm_copy: NULL state");
  if (dst->K != src->K || dst->M != src->M)
    return ts_error(TS_EINVAL, "ts_scm_copy: shapes differ (K %d vs %d, M %d vs %d)", dst->K, src->K, dst->M,
                    src->M);
  if (dst == src) return TS_OK;
  size_t K = (size_t)src->K, M = (size_t)src->M;
  memcpy(dst->Q, src->Q, K * K * sizeof(double));
  memcpy(dst->R, src->R, K * M * sizeof(double));
  memcpy(dst->T, src->T, M * M * sizeof(double));
  memcpy(dst->v, src->v, K * sizeof(double));
  memcpy(dst->vstar, src->vstar, M * sizeof(double));
  return TS_OK;
}

/* 1 if any of the n entries is NaN */
static int ts__has_nan(const double *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (isnan(x[i])) return 1;
  return 0;
}

/* eps_g = 1/2 sum_{a,b} u_a u_b I2(a,b), u = (v, -v*), written as
 *   1/2 [ sum_ik v_i v_k I2_s(Q_ii, Q_ik, Q_kk) + sum_nm v*_n v*_m I2_t(T_nn, T_nm, T_mm)
 *         - 2 sum_in v_i v*_n I2_mixed(Q_ii, R_in, T_nn) ].
 * The symmetric sums run over i <= k (off-diagonal terms doubled).  No allocation: called in ODE output loops. */
double ts_scm_eg(const ts_scm_state *s, ts_act student, ts_act teacher)
{
  const int K = s->K, M = s->M;
  const double *Q = s->Q, *R = s->R, *T = s->T, *v = s->v, *vs = s->vstar;
  if (ts__has_nan(Q, (size_t)K * K) || ts__has_nan(R, (size_t)K * M) || ts__has_nan(T, (size_t)M * M) ||
      ts__has_nan(v, (size_t)K) || ts__has_nan(vs, (size_t)M))
    return NAN;

  double ss = 0.0, tt = 0.0, st = 0.0;
  for (int i = 0; i < K; i++) {
    double qii = Q[i * K + i];
    ss += v[i] * v[i] * ts_gauss_i2(student, qii, qii, qii);
    for (int k = i + 1; k < K; k++)
      ss += 2.0 * v[i] * v[k] * ts_gauss_i2(student, qii, Q[i * K + k], Q[k * K + k]);
  }
  for (int n = 0; n < M; n++) {
    double tnn = T[n * M + n];
    tt += vs[n] * vs[n] * ts_gauss_i2(teacher, tnn, tnn, tnn);
    for (int m = n + 1; m < M; m++)
      tt += 2.0 * vs[n] * vs[m] * ts_gauss_i2(teacher, tnn, T[n * M + m], T[m * M + m]);
  }
  for (int i = 0; i < K; i++) {
    double qii = Q[i * K + i];
    for (int n = 0; n < M; n++)
      st += v[i] * vs[n] * ts_gauss_i2_mixed(student, teacher, qii, R[i * M + n], T[n * M + n]);
  }
  return 0.5 * (ss + tt - 2.0 * st);
}

int ts_scm_is_sane(const ts_scm_state *s, double bound)
{
  const int K = s->K, M = s->M;
  for (int j = 0; j < K * K; j++)
    if (!isfinite(s->Q[j])) return 0;
  for (int j = 0; j < K * M; j++)
    if (!isfinite(s->R[j])) return 0;
  for (int j = 0; j < M * M; j++)
    if (!isfinite(s->T[j])) return 0;
  for (int j = 0; j < M; j++)
    if (!isfinite(s->vstar[j])) return 0;
  for (int i = 0; i < K; i++) {
    if (!isfinite(s->v[i])) return 0;
    if (fabs(s->Q[i * K + i]) > bound || fabs(s->v[i]) > bound) return 0;
  }
  return 1;
}

int ts_scm_n_cols(int K, int M) { return K * (K + 1) / 2 + K * M + K; }

void ts_scm_col_name(int K, int M, int j, char *buf, int len)
{
  if (!buf || len <= 0) return;
  buf[0] = '\0';
  if (j < 0) return;
  int nq = K * (K + 1) / 2;
  if (j < nq) {
    for (int i = 0; i < K; i++) {
      int row = K - i; /* entries (i, i..K-1) */
      if (j < row) {
        snprintf(buf, (size_t)len, "Q_%d_%d", i + 1, i + j + 1);
        return;
      }
      j -= row;
    }
    return;
  }
  j -= nq;
  if (j < K * M) {
    snprintf(buf, (size_t)len, "R_%d_%d", j / M + 1, j % M + 1);
    return;
  }
  j -= K * M;
  if (j < K) snprintf(buf, (size_t)len, "v_%d", j + 1);
}

void ts_scm_cols(const ts_scm_state *s, double *out)
{
  const int K = s->K, M = s->M;
  int j = 0;
  for (int i = 0; i < K; i++)
    for (int k = i; k < K; k++) out[j++] = s->Q[i * K + k];
  for (int i = 0; i < K * M; i++) out[j++] = s->R[i];
  for (int i = 0; i < K; i++) out[j++] = s->v[i];
}
