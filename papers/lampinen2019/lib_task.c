/* lib_task.c — the teacher/data task of Lampinen & Ganguli 2019 and exact training-aligned gradient descent in the
 * data's SVD basis (see lampinen.h). */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lampinen.h"
#include "ts_err.h"
#include "ts_linalg.h"

lg_task *lg_task_alloc(int n1, int n3, int rank)
{
  int k = n1 < n3 ? n1 : n3;
  if (n1 < 1 || n3 < 1 || rank < 1 || rank > k) {
    ts_error(TS_EINVAL, "lg_task_alloc: need 1 <= rank <= min(N1, N3) (N1 %d, N3 %d, rank %d)", n1, n3, rank);
    return NULL;
  }
  lg_task *t = calloc(1, sizeof *t);
  if (!t) goto fail;
  t->n1 = n1;
  t->n3 = n3;
  t->rank = rank;
  t->k = k;
  size_t nm = (size_t)n1 * n3;
  t->sbar = malloc(sizeof(double) * rank);
  t->ubar = malloc(sizeof(double) * (size_t)n3 * rank);
  t->vbar = malloc(sizeof(double) * (size_t)n1 * rank);
  t->wbar = malloc(sizeof(double) * nm);
  t->s31 = malloc(sizeof(double) * nm);
  t->U = malloc(sizeof(double) * (size_t)n3 * k);
  t->s = malloc(sizeof(double) * k);
  t->Vt = malloc(sizeof(double) * (size_t)k * n1);
  t->c = malloc(sizeof(double) * k);
  if (t->sbar && t->ubar && t->vbar && t->wbar && t->s31 && t->U && t->s && t->Vt && t->c) return t;
fail:
  lg_task_free(t);
  ts_error(TS_ENOMEM, "lg_task_alloc: out of memory (N1 %d, N3 %d)", n1, n3);
  return NULL;
}

void lg_task_free(lg_task *t)
{
  if (!t) return;
  free(t->sbar);
  free(t->ubar);
  free(t->vbar);
  free(t->wbar);
  free(t->s31);
  free(t->U);
  free(t->s);
  free(t->Vt);
  free(t->c);
  free(t);
}

/* rank x n Gaussian block, orthonormal rows, transposed into the n x rank column matrix out. */
static int lg__haar_frame(ts_rng *r, int rank, int n, double *out)
{
  double *w = malloc(sizeof(double) * (size_t)rank * n);
  if (!w) return ts_error(TS_ENOMEM, "lg_task_draw: out of memory");
  ts_rng_gaussian_fill(r, w, (size_t)rank * n);
  int rc = ts_orthonormal_rows(rank, n, w, 1.0);
  if (!rc)
    for (int a = 0; a < rank; a++)
      for (int i = 0; i < n; i++) out[(size_t)i * rank + a] = w[(size_t)a * n + i];
  free(w);
  return rc;
}

int lg_task_refresh(lg_task *t)
{
  const int n1 = t->n1, n3 = t->n3, k = t->k, R = t->rank;
  int rc = ts_svd(n3, n1, t->s31, t->U, t->s, t->Vt);
  if (rc) return rc;
  double nw = 0, ns = 0;
  for (size_t i = 0; i < (size_t)n1 * n3; i++) {
    nw += t->wbar[i] * t->wbar[i];
    ns += t->s31[i] * t->s31[i];
  }
  t->wbar_norm2 = nw;
  t->s31_norm2 = ns;
  /* c_a = sum_b sbar_b (U_a . ubar_b)(V_a . vbar_b) */
  for (int a = 0; a < k; a++) {
    double ca = 0;
    for (int b = 0; b < R; b++) {
      double pu = 0, pv = 0;
      for (int i = 0; i < n3; i++) pu += t->U[(size_t)i * k + a] * t->ubar[(size_t)i * R + b];
      for (int j = 0; j < n1; j++) pv += t->Vt[(size_t)a * n1 + j] * t->vbar[(size_t)j * R + b];
      ca += t->sbar[b] * pu * pv;
    }
    t->c[a] = ca;
  }
  return TS_OK;
}

int lg_task_set_noise(lg_task *t, const double *Z)
{
  const size_t nm = (size_t)t->n1 * t->n3;
  for (size_t i = 0; i < nm; i++) t->s31[i] = t->wbar[i] + (Z ? Z[i] : 0.0);
  return lg_task_refresh(t);
}

int lg_task_draw(lg_task *t, double svm, double noise_var, ts_rng *r)
{
  int rc = lg_task_draw_data(t, svm, noise_var, r);
  return rc ? rc : lg_task_refresh(t);
}

int lg_task_draw_data(lg_task *t, double svm, double noise_var, ts_rng *r)
{
  if (!t || !r || !(svm >= 0) || !(noise_var >= 0))
    return ts_error(TS_EINVAL, "lg_task_draw: need a task, an rng, svm >= 0 and noise_var >= 0");
  const int n1 = t->n1, n3 = t->n3, R = t->rank;
  t->svm = svm;
  t->noise_var = noise_var;
  for (int a = 0; a < R; a++) t->sbar[a] = svm * (R - a);
  int rc = lg__haar_frame(r, R, n3, t->ubar);
  if (!rc) rc = lg__haar_frame(r, R, n1, t->vbar);
  if (rc) return rc;
  for (int i = 0; i < n3; i++)
    for (int j = 0; j < n1; j++) {
      double w = 0;
      for (int a = 0; a < R; a++) w += t->sbar[a] * t->ubar[(size_t)i * R + a] * t->vbar[(size_t)j * R + a];
      t->wbar[(size_t)i * n1 + j] = w;
    }
  const double sd = sqrt(noise_var);
  for (int i = 0; i < n3; i++) {
    double *row = t->s31 + (size_t)i * n1;
    ts_rng_gaussian_fill(r, row, (size_t)n1);
    for (int j = 0; j < n1; j++) row[j] = t->wbar[(size_t)i * n1 + j] + sd * row[j];
  }
  return TS_OK;
}

int lg_top_mode(int m, int n, const double *M, double *s1, double *u, double *v)
{
  if (m < 1 || n < m || !M || !s1 || !u || !v) return ts_error(TS_EINVAL, "lg_top_mode: need 1 <= m <= n");
  double *G = malloc(sizeof(double) * (size_t)m * m);
  if (!G) return ts_error(TS_ENOMEM, "lg_top_mode: out of memory (%d x %d)", m, n);
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, n, 1.0, M, n, 0.0, G, m);
  double w[1];
  lapack_int found, isuppz[2];
  lapack_int info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'V', 'I', 'U', m, G, m, 0, 0, m, m, 0.0, &found, w, u, 1,
                                   isuppz);
  free(G);
  if (info != 0 || found != 1) return ts_error(TS_ELIB, "lg_top_mode: dsyevr failed (info %d)", (int)info);
  *s1 = sqrt(fmax(w[0], 0.0));
  cblas_dgemv(CblasRowMajor, CblasTrans, m, n, *s1 > 0 ? 1.0 / *s1 : 0.0, M, n, u, 1, 0.0, v, 1);
  return TS_OK;
}

double lg_task_train_error(const lg_task *t, const double *W)
{
  double e = 0;
  for (size_t i = 0; i < (size_t)t->n1 * t->n3; i++) {
    double d = W[i] - t->s31[i];
    e += d * d;
  }
  return e / t->s31_norm2;
}

double lg_task_test_error(const lg_task *t, const double *W)
{
  double e = 0;
  for (size_t i = 0; i < (size_t)t->n1 * t->n3; i++) {
    double d = W[i] - t->wbar[i];
    e += d * d;
  }
  return e / t->wbar_norm2;
}

double lg_task_ta_train_error(const lg_task *t, const double *sm, int m)
{
  double e = 0, tot = 0;
  for (int a = 0; a < t->k; a++) {
    double d = a < m ? sm[a] - t->s[a] : -t->s[a];
    e += d * d;
    tot += t->s[a] * t->s[a];
  }
  return e / tot;
}

double lg_task_ta_test_error(const lg_task *t, const double *sm, int m)
{
  double e = t->wbar_norm2;
  for (int a = 0; a < m && a < t->k; a++) e += sm[a] * sm[a] - 2.0 * sm[a] * t->c[a];
  return e / t->wbar_norm2;
}

int lg_ta_modes(int nl, const double *shat, int m, double eps, double lr, int every, int n_eval, double *out)
{
  if ((nl != 3 && nl != 5) || m < 0 || !(eps > 0) || !(lr > 0) || every < 1 || n_eval < 1)
    return ts_error(TS_EINVAL, "lg_ta_modes: need nl = 3 or 5 (got %d), eps > 0, lr > 0, every >= 1, n_eval >= 1",
                    nl);
  if (m == 0) return TS_OK;
  /* modes are independent: the epoch loop is outside, the mode loop inside (vectorisable; every mode sees exactly
   * the scalar recurrence of the header, so the result does not depend on m or on the order of the modes) */
  const int nv = nl == 3 ? 2 : 4;
  double *c = malloc(sizeof(double) * (size_t)nv * m);
  if (!c) return ts_error(TS_ENOMEM, "lg_ta_modes: out of memory (%d modes)", m);
  const double c0 = nl == 3 ? sqrt(eps) : pow(eps, 0.25);
  for (int i = 0; i < nv * m; i++) c[i] = c0;
  double *restrict c1 = c, *restrict c2 = c + m, *restrict c3 = c + 2 * (size_t)m, *restrict c4 = c + 3 * (size_t)m;
  int rc = TS_OK;
  for (int e = 0; e < n_eval; e++) {
    double *o = out + (size_t)e * m;
    if (nl == 3)
      for (int a = 0; a < m; a++) o[a] = c1[a] * c2[a];
    else
      for (int a = 0; a < m; a++) o[a] = c1[a] * c2[a] * c3[a] * c4[a];
    for (int a = 0; a < m; a++)
      if (!isfinite(o[a])) {
        rc = ts_error(TS_EDIVERGE, "lg_ta_modes: mode %d diverged by epoch %ld (lr %g, shat %g)", a, (long)e * every,
                      lr, shat[a]);
        goto out;
      }
    if (e == n_eval - 1) break;
    for (int k = 0; k < every; k++) {
      if (nl == 3)
        for (int a = 0; a < m; a++) { /* W21 = x, W32 = y: x += lr y l; y += lr l x (updated x) */
          double x = c1[a], y = c2[a], l = shat[a] - x * y;
          x += lr * y * l;
          y += lr * l * x;
          c1[a] = x;
          c2[a] = y;
        }
      else
        for (int a = 0; a < m; a++) {
          double x1 = c1[a], x2 = c2[a], x3 = c3[a], x4 = c4[a];
          double l = shat[a] - x1 * x2 * x3 * x4;
          x1 += lr * l * x2 * x3 * x4;
          x2 += lr * l * x1 * x3 * x4;
          x3 += lr * l * x1 * x2 * x4;
          x4 += lr * l * x1 * x2 * x3;
          c1[a] = x1;
          c2[a] = x2;
          c3[a] = x3;
          c4[a] = x4;
        }
    }
  }
out:
  free(c);
  return rc;
}

int lg_task_ta_curves(const lg_task *t, int nl, int hidden, double eps, double lr, int every, int n_eval,
                      double *etrain, double *etest, double *ws)
{
  const int m = hidden < t->k ? hidden : t->k;
  double *buf = ws ? ws : malloc(sizeof(double) * (size_t)n_eval * m);
  if (!buf) return ts_error(TS_ENOMEM, "lg_task_ta_curves: out of memory");
  int rc = lg_ta_modes(nl, t->s, m, eps, lr, every, n_eval, buf);
  if (!rc)
    for (int e = 0; e < n_eval; e++) {
      if (etrain) etrain[e] = lg_task_ta_train_error(t, buf + (size_t)e * m, m);
      if (etest) etest[e] = lg_task_ta_test_error(t, buf + (size_t)e * m, m);
    }
  if (buf != ws) free(buf);
  return rc;
}

double lg_task_shrinkage_test_error(const lg_task *t)
{
  const double sz = sqrt(t->n1 * t->noise_var), A = (double)t->n3 / t->n1;
  double *sm = calloc((size_t)t->k, sizeof(double));
  if (!sm) return NAN;
  for (int a = 0; a < t->k; a++) {
    double sh = t->s[a] / sz;
    if (sh <= 1.0 + sqrt(A)) break; /* s descending: the rest is bulk */
    double sb = lg_sbar_of_shat(sh, A);
    sm[a] = sz * sb * lg_overlap(sb, A, NULL, NULL);
  }
  double e = lg_task_ta_test_error(t, sm, t->k);
  free(sm);
  return e;
}
