/* The two-layer teacher-student network of Tian 2020 (see tian_two.h). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tian_metrics.h"
#include "tian_two.h"
#include "ts_err.h"

/* The code's weight grid {-1, -0.75, ..., 0.75, 1}. */
#define TIAN__NGRID 9
static double tian__grid(ts_rng *r) { return -1.0 + 0.25 * (double)(ts_rng_u64(r) % TIAN__NGRID); }
/* Two normalised teacher vectors closer than this (in every coordinate) are the same node. */
#define TIAN__SAME_TOL 1e-12
/* Draws per vector before distinctness is given up (a tiny grid, e.g. d = 2 with many teachers, may not have
 * enough distinct directions). */
#define TIAN__MAX_DRAWS 100000
/* Weights are checked for non-finite values every this many steps. */
#define TIAN__CHECK_EVERY 1000

void tian_two_params_init(tian_two_params *p, int d, int m, int multi, double polarity)
{
  p->d = d; p->m = m; p->n = m * multi; p->C = 50;
  p->p = polarity; p->bias = -0.1; p->sigma = 1.5; p->lr = 0.01; p->batch = 16;
  p->n_train = 10000; p->n_eval = 10000; p->init_std = 0.005;
}

/* Draw `count` vectors of length len from the grid, stored with stride `stride` between elements of one vector
 * and `vstride` between vectors, non-zero and distinct (after L2 normalisation if normalise; exact otherwise).
 * Distinctness is dropped if the grid has fewer than count non-zero vectors, or after TIAN__MAX_DRAWS draws. */
static void tian__grid_vectors(ts_rng *r, double *W, int count, int len, long stride, long vstride, int normalise)
{
  double possible = pow(TIAN__NGRID, len) - 1;
  int need_distinct = possible >= count;
  for (int j = 0; j < count; j++) {
    double *w = W + j * vstride;
    for (long draws = 0;; draws++) {
      double nrm = 0;
      for (int i = 0; i < len; i++) { w[i * stride] = tian__grid(r); nrm += w[i * stride] * w[i * stride]; }
      if (nrm == 0) continue;
      if (normalise) for (int i = 0; i < len; i++) w[i * stride] /= sqrt(nrm);
      int dup = 0;
      for (int q = 0; q < j && need_distinct && draws < TIAN__MAX_DRAWS && !dup; q++) {
        const double *u = W + q * vstride;
        int same = 1;
        for (int i = 0; i < len && same; i++) same = fabs(u[i * stride] - w[i * stride]) <= TIAN__SAME_TOL;
        dup = same;
      }
      if (!dup) break;
    }
  }
}

/* H = ReLU(X W1) for X (N x (d+1)), W1 ((d+1) x k): N x k with stride ldh. */
static void tian__hidden(const double *X, int N, int d1, const double *W1, int k, double *H, int ldh)
{
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, k, d1, 1.0, X, d1, W1, k, 0.0, H, ldh);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < k; j++) H[(size_t)i * ldh + j] = fmax(H[(size_t)i * ldh + j], 0.0);
}

/* Teacher caches of a data set: H (N x m) and Y (N x C). */
static int tian__teacher_cache(const tian_two *t, const double *X, int N, double *H, double *Y)
{
  const int d1 = t->P.d + 1, m = t->P.m, C = t->P.C;
  double *Ha = malloc((size_t)N * (m + 1) * sizeof *Ha);
  if (!Ha) return ts_error(TS_ENOMEM, "tian_two: out of memory");
  tian__hidden(X, N, d1, t->W1t, m, Ha, m + 1);
  for (int i = 0; i < N; i++) Ha[(size_t)i * (m + 1) + m] = 1.0;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, m + 1, 1.0, Ha, m + 1, t->W2t, C, 0.0, Y, C);
  for (int i = 0; i < N; i++) memcpy(H + (size_t)i * m, Ha + (size_t)i * (m + 1), (size_t)m * sizeof *H);
  free(Ha);
  return TS_OK;
}

int tian_two_teacher_refresh(tian_two *t)
{
  int rc = tian__teacher_cache(t, t->Xtr, t->P.n_train, t->Htr, t->Ytr);
  return rc ? rc : tian__teacher_cache(t, t->Xev, t->P.n_eval, t->Hev, t->Yev);
}

/* x ~ N(0, sigma^2 I_d) rows with the constant 1 appended. */
static void tian__gauss_set(ts_rng *r, double *X, int N, int d, double sigma)
{
  for (int i = 0; i < N; i++) {
    double *x = X + (size_t)i * (d + 1);
    ts_rng_gaussian_fill(r, x, (size_t)d);
    for (int u = 0; u < d; u++) x[u] *= sigma;
    x[d] = 1.0;
  }
}

static int tian__alloc_work(tian_two *t)
{
  const tian_two_params *P = &t->P;
  const int d1 = P->d + 1, n = P->n, C = P->C;
  int B = P->batch > 0 ? P->batch : P->n_train;
  t->wrows = B;
  int Nmax = P->n_train > P->n_eval ? P->n_train : P->n_eval;
  free(t->xb); free(t->yb); free(t->z); free(t->ha); free(t->e); free(t->g); free(t->idx); free(t->hs);
  t->xb = malloc((size_t)B * d1 * sizeof(double));
  t->yb = malloc((size_t)B * C * sizeof(double));
  t->z = malloc((size_t)B * n * sizeof(double));
  t->ha = malloc((size_t)B * (n + 1) * sizeof(double));
  t->e = malloc((size_t)B * C * sizeof(double));
  t->g = malloc((size_t)B * n * sizeof(double));
  t->idx = malloc((size_t)B * sizeof(int));
  t->hs = malloc((size_t)Nmax * (n + 1) * sizeof(double));
  if (!t->xb || !t->yb || !t->z || !t->ha || !t->e || !t->g || !t->idx || !t->hs)
    return ts_error(TS_ENOMEM, "tian_two: out of memory");
  return TS_OK;
}

tian_two *tian_two_alloc(const tian_two_params *p, uint64_t seed)
{
  if (p->d < 1 || p->m < 1 || p->n < 1 || p->C < 1 || p->n_train < 1 || p->n_eval < 1 || !(p->sigma > 0) ||
      !(p->lr > 0) || !(p->init_std >= 0) || !isfinite(p->p)) {
    ts_error(TS_EINVAL, "tian_two_alloc: bad parameters (d=%d m=%d n=%d C=%d)", p->d, p->m, p->n, p->C);
    return NULL;
  }
  tian_two *t = calloc(1, sizeof *t);
  if (!t) { ts_error(TS_ENOMEM, "tian_two_alloc: out of memory"); return NULL; }
  t->P = *p;
  const int d = p->d, d1 = d + 1, m = p->m, n = p->n, C = p->C;
  t->rng = ts_rng_alloc(seed, 0);
  t->W1t = calloc((size_t)d1 * m, sizeof(double));
  t->W2t = calloc((size_t)(m + 1) * C, sizeof(double));
  t->W1 = calloc((size_t)d1 * n, sizeof(double));
  t->W2 = calloc((size_t)(n + 1) * C, sizeof(double));
  t->Xtr = malloc((size_t)p->n_train * d1 * sizeof(double));
  t->Xev = malloc((size_t)p->n_eval * d1 * sizeof(double));
  t->Htr = malloc((size_t)p->n_train * m * sizeof(double));
  t->Hev = malloc((size_t)p->n_eval * m * sizeof(double));
  t->Ytr = malloc((size_t)p->n_train * C * sizeof(double));
  t->Yev = malloc((size_t)p->n_eval * C * sizeof(double));
  t->gW1 = malloc((size_t)d1 * n * sizeof(double));
  t->gW2 = malloc((size_t)(n + 1) * C * sizeof(double));
  if (!t->rng || !t->W1t || !t->W2t || !t->W1 || !t->W2 || !t->Xtr || !t->Xev || !t->Htr || !t->Hev || !t->Ytr ||
      !t->Yev || !t->gW1 || !t->gW2 || tian__alloc_work(t)) {
    ts_error(TS_ENOMEM, "tian_two_alloc: out of memory");
    tian_two_free(t);
    return NULL;
  }
  /* teacher layer 1: column j of W1t is teacher j (stride m between its elements) */
  tian__grid_vectors(t->rng, t->W1t, m, d, m, 1, 1);
  for (int j = 0; j < m; j++) t->W1t[(size_t)d * m + j] = p->bias;
  /* teacher layer 2: column c of W2t (its m weights, stride C), then polarity on row i */
  tian__grid_vectors(t->rng, t->W2t, C, m, C, 1, 0);
  for (int c = 0; c < C; c++) t->W2t[(size_t)m * C + c] = p->bias;
  for (int i = 0; i < m; i++) {
    double s = pow(i + 1.0, -p->p);
    for (int c = 0; c < C; c++) t->W2t[(size_t)i * C + c] *= s;
  }
  /* data: eval first, then train */
  tian__gauss_set(t->rng, t->Xev, p->n_eval, d, p->sigma);
  tian__gauss_set(t->rng, t->Xtr, p->n_train, d, p->sigma);
  if (tian_two_teacher_refresh(t)) { tian_two_free(t); return NULL; }
  /* student: N(0, init_std^2) weights, zero bias rows */
  ts_rng_gaussian_fill(t->rng, t->W1, (size_t)d * n);
  for (size_t i = 0; i < (size_t)d * n; i++) t->W1[i] *= p->init_std;
  ts_rng_gaussian_fill(t->rng, t->W2, (size_t)n * C);
  for (size_t i = 0; i < (size_t)n * C; i++) t->W2[i] *= p->init_std;
  return t;
}

void tian_two_free(tian_two *t)
{
  if (!t) return;
  ts_rng_free(t->rng);
  free(t->W1t); free(t->W2t); free(t->W1); free(t->W2); free(t->Xtr); free(t->Xev); free(t->Htr); free(t->Hev);
  free(t->Ytr); free(t->Yev); free(t->gW1); free(t->gW2);
  free(t->xb); free(t->yb); free(t->z); free(t->ha); free(t->e); free(t->g); free(t->idx); free(t->hs);
  free(t);
}

int tian_two_set_train(tian_two *t, const double *X, int N)
{
  const int d = t->P.d, d1 = d + 1, m = t->P.m, C = t->P.C;
  if (N < 1) return ts_error(TS_EINVAL, "tian_two_set_train: N=%d", N);
  double *Xn = malloc((size_t)N * d1 * sizeof *Xn), *Hn = malloc((size_t)N * m * sizeof *Hn);
  double *Yn = malloc((size_t)N * C * sizeof *Yn);
  if (!Xn || !Hn || !Yn) { free(Xn); free(Hn); free(Yn); return ts_error(TS_ENOMEM, "tian_two: out of memory"); }
  for (int i = 0; i < N; i++) {
    memcpy(Xn + (size_t)i * d1, X + (size_t)i * d, (size_t)d * sizeof *Xn);
    Xn[(size_t)i * d1 + d] = 1.0;
  }
  free(t->Xtr); free(t->Htr); free(t->Ytr);
  t->Xtr = Xn; t->Htr = Hn; t->Ytr = Yn; t->P.n_train = N;
  int rc = tian__alloc_work(t);
  if (rc) return rc;
  return tian__teacher_cache(t, t->Xtr, N, t->Htr, t->Ytr);
}

/* Forward and backward on B rows (idx, or the first B rows if idx is NULL) of the train set; negative gradient
 * into gW1, gW2; returns J. */
double tian_two_batch_grad(tian_two *t, const int *idx, int B, double *gW1, double *gW2)
{
  const int d1 = t->P.d + 1, n = t->P.n, C = t->P.C, n1 = n + 1;
  const double *xb, *yt;
  if (B < 1 || B > t->wrows || (!idx && B > t->P.n_train)) {
    ts_error(TS_EINVAL, "tian_two_batch_grad: B=%d outside 1..%d", B, t->wrows);
    return NAN;
  }
  if (idx) {
    for (int b = 0; b < B; b++) {
      memcpy(t->xb + (size_t)b * d1, t->Xtr + (size_t)idx[b] * d1, (size_t)d1 * sizeof(double));
      memcpy(t->yb + (size_t)b * C, t->Ytr + (size_t)idx[b] * C, (size_t)C * sizeof(double));
    }
    xb = t->xb; yt = t->yb;
  } else {
    xb = t->Xtr; yt = t->Ytr;
  }
  double *z = t->z, *ha = t->ha, *e = t->e, *g = t->g;
  /* z = xb W1 (B x n); ha = [relu(z), 1] */
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, n, d1, 1.0, xb, d1, t->W1, n, 0.0, z, n);
  for (int b = 0; b < B; b++) {
    for (int k = 0; k < n; k++) ha[(size_t)b * n1 + k] = z[(size_t)b * n + k] > 0 ? z[(size_t)b * n + k] : 0.0;
    ha[(size_t)b * n1 + n] = 1.0;
  }
  /* e = yt - ha W2 */
  memcpy(e, yt, (size_t)B * C * sizeof *e);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, C, n1, -1.0, ha, n1, t->W2, C, 1.0, e, C);
  double J = 0;
  for (size_t i = 0; i < (size_t)B * C; i++) J += e[i] * e[i];
  J *= 0.5 / B;
  /* g = (e W2[0:n]^T) . gate(z >= 0) */
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, n, C, 1.0, e, C, t->W2, C, 0.0, g, n);
  for (size_t i = 0; i < (size_t)B * n; i++)
    if (z[i] < 0) g[i] = 0;
  /* gW2 = ha^T e / B; gW1 = xb^T g / B */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n1, C, B, 1.0 / B, ha, n1, e, C, 0.0, gW2, C);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d1, n, B, 1.0 / B, xb, d1, g, n, 0.0, gW1, n);
  return J;
}

static int tian__finite(const double *x, size_t n)
{
  double s = 0;
  for (size_t i = 0; i < n; i++) s += x[i] * 0.0;
  return s == 0.0; /* NaN or inf anywhere makes s NaN */
}

int tian_two_run(tian_two *t, long steps)
{
  const int d1 = t->P.d + 1, n = t->P.n, C = t->P.C, N = t->P.n_train;
  const int gd = t->P.batch <= 0, B = gd ? N : t->P.batch;
  const double lr = t->P.lr;
  for (long s = 0; s < steps; s++) {
    if (!gd)
      for (int b = 0; b < B; b++) {
        int i = (int)(ts_rng_uniform(t->rng) * N);
        t->idx[b] = i < N ? i : N - 1;
      }
    tian_two_batch_grad(t, gd ? NULL : t->idx, B, t->gW1, t->gW2);
    cblas_daxpy(d1 * n, lr, t->gW1, 1, t->W1, 1);
    cblas_daxpy((n + 1) * C, lr, t->gW2, 1, t->W2, 1);
    t->steps++;
    if ((t->steps % TIAN__CHECK_EVERY == 0 || s == steps - 1) &&
        !(tian__finite(t->W1, (size_t)d1 * n) && tian__finite(t->W2, (size_t)(n + 1) * C)))
      return ts_error(TS_EDIVERGE, "tian_two: weights not finite at step %ld", t->steps);
  }
  return TS_OK;
}

int tian_two_eval(tian_two *t, int set, double *rho, double *mse)
{
  const int d1 = t->P.d + 1, m = t->P.m, n = t->P.n, C = t->P.C, n1 = n + 1;
  const int N = set == TIAN_TRAIN ? t->P.n_train : t->P.n_eval;
  const double *X = set == TIAN_TRAIN ? t->Xtr : t->Xev, *H = set == TIAN_TRAIN ? t->Htr : t->Hev;
  const double *Y = set == TIAN_TRAIN ? t->Ytr : t->Yev;
  tian__hidden(X, N, d1, t->W1, n, t->hs, n1);
  for (int i = 0; i < N; i++) t->hs[(size_t)i * n1 + n] = 1.0;
  if (mse) {
    double *y = malloc((size_t)N * C * sizeof *y);
    if (!y) return ts_error(TS_ENOMEM, "tian_two_eval: out of memory");
    memcpy(y, Y, (size_t)N * C * sizeof *y);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, n1, -1.0, t->hs, n1, t->W2, C, 1.0, y, C);
    double s = 0;
    for (size_t i = 0; i < (size_t)N * C; i++) s += y[i] * y[i];
    *mse = s / ((double)N * C);
    free(y);
  }
  if (rho) return tian_corr(H, m, m, t->hs, n1, n, N, rho);
  return TS_OK;
}

void tian_two_fanout_norms(const tian_two *t, double *vnorm)
{
  const int n = t->P.n, C = t->P.C;
  for (int k = 0; k < n; k++) {
    double s = 0;
    for (int c = 0; c < C; c++) s += t->W2[(size_t)k * C + c] * t->W2[(size_t)k * C + c];
    vnorm[k] = sqrt(s);
  }
}

void tian_two_record_free(tian_two_record *rec)
{
  free(rec->tbest); free(rec->mse); free(rec->sbest); free(rec->sarg); free(rec->vnorm);
  memset(rec, 0, sizeof *rec);
}

int tian_two_run_plan(const tian_two_params *p, uint64_t seed, const tian_two_plan *plan, tian_two_record *rec)
{
  const int m = p->m, n = p->n, ne = plan->n_eval_at;
  memset(rec, 0, sizeof *rec);
  rec->m = m; rec->n = n; rec->n_eval_at = ne;
  rec->tbest = calloc((size_t)(ne > 0 ? ne : 1) * m, sizeof(double));
  rec->mse = calloc((size_t)(ne > 0 ? ne : 1), sizeof(double));
  rec->sbest = calloc((size_t)n, sizeof(double));
  rec->sarg = calloc((size_t)n, sizeof(int));
  rec->vnorm = calloc((size_t)n, sizeof(double));
  double *rho = malloc((size_t)m * n * sizeof *rho);
  tian_two *t = NULL;
  if (!rec->tbest || !rec->mse || !rec->sbest || !rec->sarg || !rec->vnorm || !rho) {
    rec->status = ts_error(TS_ENOMEM, "tian_two_run_plan: out of memory");
    goto done;
  }
  t = tian_two_alloc(p, seed);
  if (!t) { rec->status = TS_ENOMEM; goto done; }
  int next = 0;
  for (int ep = 0; ep <= plan->epochs && !rec->status; ep++) {
    if (ep > 0 && (rec->status = tian_two_run(t, plan->steps_per_epoch))) break;
    while (next < ne && plan->eval_at[next] == ep) {
      double mse;
      if ((rec->status = tian_two_eval(t, TIAN_EVAL, rho, &mse))) break;
      if (!isfinite(mse)) { rec->status = ts_error(TS_EDIVERGE, "tian_two: eval loss not finite at epoch %d", ep); break; }
      tian_teacher_best(rho, m, n, rec->tbest + (size_t)next * m, NULL);
      rec->mse[next++] = mse;
    }
  }
  if (!rec->status) rec->status = tian_two_eval(t, TIAN_TRAIN, rho, &rec->mse_train);
  if (!rec->status && !isfinite(rec->mse_train)) rec->status = ts_error(TS_EDIVERGE, "tian_two: train loss not finite");
  if (!rec->status) {
    tian_student_best(rho, m, n, rec->sbest, rec->sarg);
    tian_two_fanout_norms(t, rec->vnorm);
  }
done:
  if (rec->status) rec->fail_step = t ? t->steps : 0;
  tian_two_free(t);
  free(rho);
  return rec->status;
}

void tian_two_blas_serial(void) { openblas_set_num_threads(1); }
