/* ts_sgd — online SGD of two-layer teacher–student networks (see ts_sgd.h).
 *
 * Random draws (fixed order; tests reproduce them with their own ts_rng):
 *   stream (seed, 0), at ts_sgd_alloc: one ts_rng_gaussian_fill of M*N values -> w* (row-major, times teacher_std),
 *     then one fill of K*N -> w (times init_std), then, if v_random, one fill of K -> v.  (Fills concatenate
 *     exactly, so this equals a single fill of (M+K)N [+K] values.)  The teacher therefore depends on
 *     (seed, N, M, teacher_std) only, and the first rows of the student do not depend on K.
 *   stream (seed, 1), per sample: one ts_rng_gaussian_fill of N+1 values: x = the first N, zeta = the last.
 *     zeta is drawn even when sigma = 0, so runs that differ only in sigma see the same inputs.
 *   ts_sgd_step_on with zeta == NULL: one ts_rng_gaussian of stream (seed, 1) per sample, in order (the inputs are
 *     the caller's).
 *   ts_sgd_group (seed), per step: one fill of B (N+1) values from stream (seed, 1) of the GROUP's seed, sample b =
 *     values b(N+1) .. b(N+1)+N (x then zeta): the values ts_sgd_run of a run with that seed would draw for its B
 *     samples.  The members' own streams are not touched.
 * Groups: the teacher's fields and output phi*(x_b) are computed once per sample (ts__dots over the M teacher
 *   rows; every row's dot product has the same summation order whatever rows it is grouped with), then every member
 *   runs ts__group_step_member, which is ts_sgd_step_on with that phi* (ts__sample_student: the operations of
 *   ts__sample_at in the same order) — bit for bit the same update.
 * One step of B samples: every sample's fields use the weights at the start of the step; the increments
 *   dw_k = (lr/sqrt N) v_k g'(lambda_k) e x / B,  dv_k = (lr2/N) g(lambda_k) e / B  (v_k the pre-step value)
 * are summed over the B samples and then applied as w_k <- (1 - wd/N) w_k + sum dw_k (likewise v if train_v).
 * With B = 1 and wd = 0 this is w_k += c_k x with c_k = lr v_k g'(lambda_k) e / sqrt N, computed in place.
 *
 * Speed: fields and updates are hand-written loops over groups of up to 8 rows that read x once per 4
 * elements, written with GCC vector extensions (4 doubles) when available, plain C otherwise; both summation
 * orders are the same (lane t sums the elements j = t mod 4, then (l0 + l1) + (l2 + l3), then the tail), so
 * the result does not depend on the path.  No BLAS call: at K + M <= 10 and N < 1000 its overhead dominates.
 *
 * Divergence: the residual e is tested for finiteness every sample (weights that are NaN or infinite make it
 * NaN for linear and relu); every 1000 steps and at the end of ts_sgd_run every Q_ii = |w_i|^2/N and v_i is
 * checked: non-finite or beyond TS__SGD_BOUND (1e8) -> TS_EDIVERGE, reported with alpha. */
#include "ts_sgd.h"

#include "ts_err.h"
#include "ts_rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* no a*b+c -> fma contraction (clang's default): the same results from every compiler and -march (GCC in
 * -std=c11 mode does not contract) */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define TS__SGD_BOUND 1e8
#define TS__SGD_CHECK_EVERY 1000
#define TS__SQRT_2_PI 0.79788456080286535588 /* sqrt(2/pi) */
#define TS__SQRT1_2 0.70710678118654752440   /* 1/sqrt(2)  */

struct ts_sgd {
  ts_sgd_params p;
  double *w, *wstar, *v, *vstar; /* K*N, M*N, K, M                                */
  double *x;                     /* N+1: the current sample (x, zeta)             */
  double *dw, *dv;               /* K*N, K: accumulated increments (batch > 1)    */
  const double **rows;           /* K+M row pointers: w_0..w_K-1, w*_0..w*_M-1    */
  double *fld, *c, *gl, *dvs;    /* K+M fields; K coefficients, g(lambda), dv      */
  ts_rng *data;
  long samples;
  long given_steps; /* ts_sgd_step_on calls (for the periodic weight check) */
  double isqn; /* 1/sqrt(N) */
};

/* ---------- kernels ---------- */

#if defined(__GNUC__)
#define TS__INLINE inline __attribute__((always_inline))
#define TS__UNROLL _Pragma("GCC unroll 8")
typedef double ts__v4 __attribute__((vector_size(32)));
/* unaligned, aliasing view for loads and stores (macros, not functions: no vector-ABI warning without AVX) */
typedef double ts__v4u __attribute__((vector_size(32), aligned(8), may_alias));
#define ts__ld(p) (*(const ts__v4u *)(const void *)(p))
#define ts__st(p, v) (*(ts__v4u *)(void *)(p) = (v))
#else
#define TS__INLINE inline
#endif

/* out[g] = rows[g] . x  for g < G (G <= 8 a constant after inlining) */
static TS__INLINE void ts__dots_g(int G, const double *const *rows, const double *x, int n, double *out)
{
  int j = 0;
#if defined(__GNUC__)
  ts__v4 a[8];
  TS__UNROLL
  for (int g = 0; g < G; g++) a[g] = (ts__v4){0.0, 0.0, 0.0, 0.0};
  for (; j + 4 <= n; j += 4) {
    ts__v4 xv = ts__ld(x + j);
    TS__UNROLL
    for (int g = 0; g < G; g++) a[g] += ts__ld(rows[g] + j) * xv;
  }
#else
  double a[8][4];
  for (int g = 0; g < G; g++) a[g][0] = a[g][1] = a[g][2] = a[g][3] = 0.0;
  for (; j + 4 <= n; j += 4)
    for (int g = 0; g < G; g++)
      for (int t = 0; t < 4; t++) a[g][t] += rows[g][j + t] * x[j + t];
#endif
  for (int g = 0; g < G; g++) {
    double s = (a[g][0] + a[g][1]) + (a[g][2] + a[g][3]);
    for (int jj = j; jj < n; jj++) s += rows[g][jj] * x[jj];
    out[g] = s;
  }
}

static void ts__dots(int R, const double *const *rows, const double *x, int n, double *out)
{
  int r = 0;
  for (; R - r >= 8; r += 8) ts__dots_g(8, rows + r, x, n, out + r);
  switch (R - r) { /* the rest in one pass over x, with a constant row count */
  case 7: ts__dots_g(7, rows + r, x, n, out + r); break;
  case 6: ts__dots_g(6, rows + r, x, n, out + r); break;
  case 5: ts__dots_g(5, rows + r, x, n, out + r); break;
  case 4: ts__dots_g(4, rows + r, x, n, out + r); break;
  case 3: ts__dots_g(3, rows + r, x, n, out + r); break;
  case 2: ts__dots_g(2, rows + r, x, n, out + r); break;
  case 1: ts__dots_g(1, rows + r, x, n, out + r); break;
  default: break;
  }
}

/* rows[g] <- a rows[g] + c[g] x  (a == 1: rows[g] + c[g] x, no multiplication) for g < G */
static TS__INLINE void ts__axpy_g(int G, double a, double *const *rows, const double *c, const double *x, int n)
{
  double cc[8], *rp[8]; /* local copies: the vector stores below may alias anything */
  for (int g = 0; g < G; g++) cc[g] = c[g], rp[g] = rows[g];
  int j = 0;
#if defined(__GNUC__)
  if (a == 1.0) {
    for (; j + 4 <= n; j += 4) {
      ts__v4 xv = ts__ld(x + j);
      TS__UNROLL
      for (int g = 0; g < G; g++) ts__st(rp[g] + j, ts__ld(rp[g] + j) + cc[g] * xv);
    }
  } else {
    for (; j + 4 <= n; j += 4) {
      ts__v4 xv = ts__ld(x + j);
      TS__UNROLL
      for (int g = 0; g < G; g++) ts__st(rp[g] + j, a * ts__ld(rp[g] + j) + cc[g] * xv);
    }
  }
#endif
  if (a == 1.0) {
    for (; j < n; j++)
      for (int g = 0; g < G; g++) rp[g][j] += cc[g] * x[j];
  } else {
    for (; j < n; j++)
      for (int g = 0; g < G; g++) rp[g][j] = a * rp[g][j] + cc[g] * x[j];
  }
}

static void ts__axpy(int R, double a, double *const *rows, const double *c, const double *x, int n)
{
  int r = 0;
  for (; R - r >= 8; r += 8) ts__axpy_g(8, a, rows + r, c + r, x, n);
  switch (R - r) {
  case 7: ts__axpy_g(7, a, rows + r, c + r, x, n); break;
  case 6: ts__axpy_g(6, a, rows + r, c + r, x, n); break;
  case 5: ts__axpy_g(5, a, rows + r, c + r, x, n); break;
  case 4: ts__axpy_g(4, a, rows + r, c + r, x, n); break;
  case 3: ts__axpy_g(3, a, rows + r, c + r, x, n); break;
  case 2: ts__axpy_g(2, a, rows + r, c + r, x, n); break;
  case 1: ts__axpy_g(1, a, rows + r, c + r, x, n); break;
  default: break;
  }
}

static inline double ts__g(ts_act act, double x)
{
  switch (act) {
  case TS_ACT_ERF: return erf(x * TS__SQRT1_2);
  case TS_ACT_LINEAR: return x;
  default: return x > 0.0 ? x : 0.0;
  }
}

static inline double ts__dg(ts_act act, double x)
{
  switch (act) {
  case TS_ACT_ERF: return TS__SQRT_2_PI * exp(-0.5 * x * x);
  case TS_ACT_LINEAR: return 1.0;
  default: return x > 0.0 ? 1.0 : 0.0;
  }
}

/* ---------- parameters, allocation ---------- */

void ts_sgd_params_init(ts_sgd_params *p, ts_act act, int N, int K, int M, double lr)
{
  memset(p, 0, sizeof *p);
  p->act = act;
  p->N = N;
  p->K = K;
  p->M = M;
  p->lr = lr;
  p->lr2 = lr;
  p->train_v = 0;
  p->sigma = 0.0;
  p->wd = 0.0;
  p->batch = 1;
  p->init_std = (act == TS_ACT_ERF || N <= 0) ? 1.0 : 1.0 / sqrt((double)N);
  p->teacher_std = 1.0;
  p->v0 = 1.0;
  p->v_random = 0;
  p->vstar = 1.0;
}

static int ts__check_params(const ts_sgd_params *p)
{
  if (p->act != TS_ACT_ERF && p->act != TS_ACT_LINEAR && p->act != TS_ACT_RELU)
    return ts_error(TS_EINVAL, "sgd: unknown activation %d", (int)p->act);
  if (p->N < 2) return ts_error(TS_EINVAL, "sgd: N = %d, need N >= 2", p->N);
  if (p->K < 1 || p->M < 1) return ts_error(TS_EINVAL, "sgd: K = %d, M = %d, need K, M >= 1", p->K, p->M);
  if (!(p->lr > 0.0) || !isfinite(p->lr)) return ts_error(TS_EINVAL, "sgd: learning rate %g, need > 0", p->lr);
  if (!(p->lr2 > 0.0) || !isfinite(p->lr2))
    return ts_error(TS_EINVAL, "sgd: second-layer learning rate %g, need > 0", p->lr2);
  if (!(p->sigma >= 0.0) || !isfinite(p->sigma)) return ts_error(TS_EINVAL, "sgd: sigma = %g, need >= 0", p->sigma);
  if (!(p->wd >= 0.0) || !isfinite(p->wd)) return ts_error(TS_EINVAL, "sgd: weight decay %g, need >= 0", p->wd);
  if (p->batch < 1) return ts_error(TS_EINVAL, "sgd: batch = %d, need >= 1", p->batch);
  if (!(p->init_std >= 0.0) || !isfinite(p->init_std) || !(p->teacher_std >= 0.0) || !isfinite(p->teacher_std))
    return ts_error(TS_EINVAL, "sgd: init_std = %g, teacher_std = %g, need finite >= 0", p->init_std,
                    p->teacher_std);
  if (!isfinite(p->v0) || !isfinite(p->vstar))
    return ts_error(TS_EINVAL, "sgd: v0 = %g, vstar = %g, need finite", p->v0, p->vstar);
  return TS_OK;
}

void ts_sgd_free(ts_sgd *s)
{
  if (!s) return;
  free(s->w);
  free(s->wstar);
  free(s->v);
  free(s->vstar);
  free(s->x);
  free(s->dw);
  free(s->dv);
  free(s->rows);
  free(s->fld);
  free(s->c);
  free(s->gl);
  free(s->dvs);
  ts_rng_free(s->data);
  free(s);
}

ts_sgd *ts_sgd_alloc(const ts_sgd_params *p, uint64_t seed)
{
  if (!p) {
    ts_error(TS_EINVAL, "sgd: no parameters");
    return NULL;
  }
  if (ts__check_params(p) != TS_OK) return NULL;
  const int N = p->N, K = p->K, M = p->M;
  if ((size_t)N * (size_t)(K > M ? K : M) > ((size_t)1 << 40)) {
    ts_error(TS_EINVAL, "sgd: N (K + M) too large");
    return NULL;
  }
  ts_sgd *s = calloc(1, sizeof *s);
  if (!s) goto nomem;
  s->p = *p;
  s->isqn = 1.0 / sqrt((double)N);
  s->w = malloc(sizeof(double) * (size_t)K * (size_t)N);
  s->wstar = malloc(sizeof(double) * (size_t)M * (size_t)N);
  s->v = malloc(sizeof(double) * (size_t)K);
  s->vstar = malloc(sizeof(double) * (size_t)M);
  s->x = malloc(sizeof(double) * ((size_t)N + 1));
  s->rows = malloc(sizeof(double *) * (size_t)(K + M));
  s->fld = malloc(sizeof(double) * (size_t)(K + M));
  s->c = malloc(sizeof(double) * (size_t)K);
  s->gl = malloc(sizeof(double) * (size_t)K);
  s->dvs = malloc(sizeof(double) * (size_t)K);
  if (!s->w || !s->wstar || !s->v || !s->vstar || !s->x || !s->rows || !s->fld || !s->c || !s->gl || !s->dvs)
    goto nomem;
  if (p->batch > 1) {
    s->dw = malloc(sizeof(double) * (size_t)K * (size_t)N);
    s->dv = malloc(sizeof(double) * (size_t)K);
    if (!s->dw || !s->dv) goto nomem;
  }
  for (int k = 0; k < K; k++) s->rows[k] = s->w + (size_t)k * N;
  for (int m = 0; m < M; m++) s->rows[K + m] = s->wstar + (size_t)m * N;

  ts_rng *init = ts_rng_alloc(seed, 0);
  s->data = ts_rng_alloc(seed, 1);
  if (!init || !s->data) {
    ts_rng_free(init);
    goto nomem;
  }
  size_t nt = (size_t)M * N, ns = (size_t)K * N;
  ts_rng_gaussian_fill(init, s->wstar, nt);
  for (size_t j = 0; j < nt; j++) s->wstar[j] *= p->teacher_std;
  ts_rng_gaussian_fill(init, s->w, ns);
  for (size_t j = 0; j < ns; j++) s->w[j] *= p->init_std;
  if (p->v_random)
    ts_rng_gaussian_fill(init, s->v, (size_t)K);
  else
    for (int k = 0; k < K; k++) s->v[k] = p->v0;
  for (int m = 0; m < M; m++) s->vstar[m] = p->vstar;
  ts_rng_free(init);
  return s;

nomem:
  ts_sgd_free(s);
  ts_error(TS_ENOMEM, "sgd: out of memory (N = %d, K = %d, M = %d)", N, K, M);
  return NULL;
}

const ts_sgd_params *ts_sgd_get_params(const ts_sgd *s) { return &s->p; }
double *ts_sgd_w(ts_sgd *s) { return s->w; }
double *ts_sgd_wstar(ts_sgd *s) { return s->wstar; }
double *ts_sgd_v(ts_sgd *s) { return s->v; }
double *ts_sgd_vstar(ts_sgd *s) { return s->vstar; }
double ts_sgd_alpha(const ts_sgd *s) { return (double)s->samples / (double)s->p.N; }

/* ---------- the step ---------- */

/* The residual e of the sample (x, zeta) (x: N values, label y = phi*(x) + sigma zeta) and, into s->c and s->dvs,
 * the first- and second-layer increments' coefficients (times `scale`).  Returns e (NaN/Inf signals divergence). */
static inline double ts__sample_at(ts_sgd *s, const double *x, double zeta, double scale)
{
  const ts_sgd_params *p = &s->p;
  const int N = p->N, K = p->K, M = p->M;
  const ts_act act = p->act;
  ts__dots(K + M, s->rows, x, N, s->fld);
  double phi = 0.0, phis = 0.0;
  for (int k = 0; k < K; k++) {
    s->fld[k] *= s->isqn;
    s->gl[k] = ts__g(act, s->fld[k]);
    phi += s->v[k] * s->gl[k];
  }
  for (int m = 0; m < M; m++) phis += s->vstar[m] * ts__g(act, s->fld[K + m] * s->isqn);
  double e = phis + p->sigma * zeta - phi;
  double cw = scale * p->lr * s->isqn * e, cv = scale * p->lr2 / (double)N * e;
  for (int k = 0; k < K; k++) {
    s->c[k] = cw * s->v[k] * ts__dg(act, s->fld[k]);
    s->dvs[k] = cv * s->gl[k];
  }
  return e;
}

/* Draw one sample from the data stream into s->x and compute as ts__sample_at. */
static inline double ts__sample(ts_sgd *s, double scale)
{
  const int N = s->p.N;
  ts_rng_gaussian_fill(s->data, s->x, (size_t)N + 1);
  return ts__sample_at(s, s->x, s->x[N], scale);
}

static int ts__diverged(const ts_sgd *s, const char *why)
{
  return ts_error(TS_EDIVERGE, "sgd: diverged at alpha = %.6g (%s; N = %d, K = %d, M = %d, lr = %g)",
                  ts_sgd_alpha(s), why, s->p.N, s->p.K, s->p.M, s->p.lr);
}

/* Q_ii and v_i finite and within the bound? */
static int ts__check_weights(const ts_sgd *s)
{
  const int N = s->p.N, K = s->p.K;
  for (int k = 0; k < K; k++) {
    double q;
    const double *wk = s->w + (size_t)k * N;
    ts__dots(1, &wk, wk, N, &q);
    q /= (double)N;
    if (!isfinite(q) || !isfinite(s->v[k])) return ts__diverged(s, "non-finite weights");
    if (q > TS__SGD_BOUND || fabs(s->v[k]) > TS__SGD_BOUND) return ts__diverged(s, "weights beyond 1e8");
  }
  return TS_OK;
}

/* Mini-batch: add one sample's update (coefficients s->c, s->dvs from ts__sample_*) to the accumulators dw, dv. */
static void ts__batch_accumulate(ts_sgd *s, const double *xb)
{
  const int N = s->p.N, K = s->p.K;
  double *dwrows[8];
  for (int k0 = 0; k0 < K; k0 += 8) {
    int G = K - k0 < 8 ? K - k0 : 8;
    for (int g = 0; g < G; g++) dwrows[g] = s->dw + (size_t)(k0 + g) * N;
    ts__axpy(G, 1.0, dwrows, s->c + k0, xb, N);
  }
  for (int k = 0; k < K; k++) s->dv[k] += s->dvs[k];
}

/* Mini-batch: w <- a w + dw (and v <- a v + dv when the second layer is trained); a = 1 - wd/N. */
static void ts__batch_apply(ts_sgd *s, double a, int train_v)
{
  const int N = s->p.N, K = s->p.K;
  for (int k = 0; k < K; k++) {
    double *wk = s->w + (size_t)k * N;
    const double *dk = s->dw + (size_t)k * N;
    if (a == 1.0)
      for (int j = 0; j < N; j++) wk[j] += dk[j];
    else
      for (int j = 0; j < N; j++) wk[j] = a * wk[j] + dk[j];
  }
  if (train_v)
    for (int k = 0; k < K; k++) s->v[k] = a * s->v[k] + s->dv[k];
}

int ts_sgd_run(ts_sgd *s, long n)
{
  if (n < 0) return ts_error(TS_EINVAL, "sgd: negative number of steps %ld", n);
  const ts_sgd_params *p = &s->p;
  const int N = p->N, K = p->K, B = p->batch, train_v = p->train_v;
  const double a = 1.0 - p->wd / (double)N;
  double *const *wrows = (double *const *)s->rows; /* the first K rows are the student's (owned, writable) */
  for (long t = 0; t < n; t++) {
    if (B == 1) {
      double e = ts__sample(s, 1.0);
      if (!isfinite(e)) return ts__diverged(s, "non-finite residual");
      ts__axpy(K, a, wrows, s->c, s->x, N);
      if (train_v)
        for (int k = 0; k < K; k++) s->v[k] = a * s->v[k] + s->dvs[k];
      s->samples += 1;
    } else {
      memset(s->dw, 0, sizeof(double) * (size_t)K * N);
      memset(s->dv, 0, sizeof(double) * (size_t)K);
      for (int b = 0; b < B; b++) {
        double e = ts__sample(s, 1.0 / (double)B);
        if (!isfinite(e)) return ts__diverged(s, "non-finite residual");
        ts__batch_accumulate(s, s->x);
      }
      ts__batch_apply(s, a, train_v);
      s->samples += B;
    }
    if ((t + 1) % TS__SGD_CHECK_EVERY == 0 && ts__check_weights(s) != TS_OK) return TS_EDIVERGE;
  }
  return ts__check_weights(s);
}

/* ---------- order parameters ---------- */

int ts_sgd_overlaps(const ts_sgd *s, ts_scm_state *out)
{
  const int N = s->p.N, K = s->p.K, M = s->p.M;
  if (!out || out->K != K || out->M != M)
    return ts_error(TS_EINVAL, "sgd: overlaps need a state with K = %d, M = %d", K, M);
  double *d = malloc(sizeof(double) * (size_t)(K + M));
  if (!d) return ts_error(TS_ENOMEM, "sgd: out of memory");
  const double invn = 1.0 / (double)N;
  for (int i = 0; i < K + M; i++) {
    /* row i against rows i..K+M-1 */
    ts__dots(K + M - i, s->rows + i, s->rows[i], N, d + i);
    for (int j = i; j < K + M; j++) {
      double q = d[j] * invn;
      if (i < K && j < K) out->Q[i * K + j] = out->Q[j * K + i] = q;
      else if (i < K) out->R[i * M + (j - K)] = q;
      else out->T[(i - K) * M + (j - K)] = out->T[(j - K) * M + (i - K)] = q;
    }
  }
  free(d);
  memcpy(out->v, s->v, sizeof(double) * (size_t)K);
  memcpy(out->vstar, s->vstar, sizeof(double) * (size_t)M);
  return TS_OK;
}

double ts_sgd_eg(const ts_sgd *s)
{
  ts_scm_state *st = ts_scm_alloc(s->p.K, s->p.M);
  if (!st) return NAN;
  double eg = NAN;
  if (ts_sgd_overlaps(s, st) == TS_OK) eg = ts_scm_eg(st, s->p.act, s->p.act);
  ts_scm_free(st);
  return eg;
}

/* ---------- steps on given samples ---------- */


int ts_sgd_step_on(ts_sgd *s, const double *x, const double *zeta)
{
  if (!s || !x) return ts_error(TS_EINVAL, "sgd: step_on needs a run and its inputs (got NULL)");
  const ts_sgd_params *p = &s->p;
  const int N = p->N, K = p->K, B = p->batch, train_v = p->train_v;
  const double a = 1.0 - p->wd / (double)N;
  double *const *wrows = (double *const *)s->rows;
  if (B == 1) {
    double z = zeta ? zeta[0] : ts_rng_gaussian(s->data);
    double e = ts__sample_at(s, x, z, 1.0);
    if (!isfinite(e)) return ts__diverged(s, "non-finite residual");
    ts__axpy(K, a, wrows, s->c, x, N);
    if (train_v)
      for (int k = 0; k < K; k++) s->v[k] = a * s->v[k] + s->dvs[k];
  } else {
    memset(s->dw, 0, sizeof(double) * (size_t)K * N);
    memset(s->dv, 0, sizeof(double) * (size_t)K);
    for (int b = 0; b < B; b++) {
      const double *xb = x + (size_t)b * N;
      double z = zeta ? zeta[b] : ts_rng_gaussian(s->data);
      double e = ts__sample_at(s, xb, z, 1.0 / (double)B);
      if (!isfinite(e)) return ts__diverged(s, "non-finite residual");
      ts__batch_accumulate(s, xb);
    }
    ts__batch_apply(s, a, train_v);
  }
  s->samples += B;
  if (++s->given_steps % TS__SGD_CHECK_EVERY == 0) return ts__check_weights(s);
  return TS_OK;
}

/* ---------- groups of students on one input stream ---------- */

struct ts_sgd_group {
  ts_sgd **mem;        /* n borrowed members                                                     */
  char *active;        /* n flags: stepped or retired                                            */
  int *status;         /* n: TS_OK or TS_EDIVERGE                                                 */
  int n;               /* members                                                                 */
  int N, M, B;         /* shared input dimension, teacher units, batch                            */
  ts_act act;          /* shared activation                                                      */
  const double **trows; /* M rows of the shared teacher (member 0's w*)                           */
  const double *vstar; /* member 0's v*                                                          */
  double isqn;         /* 1/sqrt(N)                                                              */
  double *x;           /* B (N+1): the step's samples (x_b, zeta_b)                               */
  double *rho, *phis;  /* M teacher fields; B teacher outputs phi*(x_b)                           */
  ts_rng *data;        /* stream (seed, 1)                                                       */
};

/* As ts__sample_at, with the teacher output phis = phi*(x) given: the student's fields, the residual and the
 * increments' coefficients.  The same operations in the same order as ts__sample_at, so the same bits. */
static inline double ts__sample_student(ts_sgd *s, const double *x, double phis, double zeta, double scale)
{
  const ts_sgd_params *p = &s->p;
  const int N = p->N, K = p->K;
  const ts_act act = p->act;
  ts__dots(K, s->rows, x, N, s->fld);
  double phi = 0.0;
  for (int k = 0; k < K; k++) {
    s->fld[k] *= s->isqn;
    s->gl[k] = ts__g(act, s->fld[k]);
    phi += s->v[k] * s->gl[k];
  }
  double e = phis + p->sigma * zeta - phi;
  double cw = scale * p->lr * s->isqn * e, cv = scale * p->lr2 / (double)N * e;
  for (int k = 0; k < K; k++) {
    s->c[k] = cw * s->v[k] * ts__dg(act, s->fld[k]);
    s->dvs[k] = cv * s->gl[k];
  }
  return e;
}

/* One step of member s on the group's current samples g->x with teacher outputs g->phis: the update of
 * ts_sgd_step_on(s, x, zeta). */
static int ts__group_step_member(ts_sgd_group *g, ts_sgd *s)
{
  const ts_sgd_params *p = &s->p;
  const int N = p->N, K = p->K, B = p->batch, train_v = p->train_v;
  const double a = 1.0 - p->wd / (double)N;
  double *const *wrows = (double *const *)s->rows;
  if (B == 1) {
    double e = ts__sample_student(s, g->x, g->phis[0], g->x[N], 1.0);
    if (!isfinite(e)) return ts__diverged(s, "non-finite residual");
    ts__axpy(K, a, wrows, s->c, g->x, N);
    if (train_v)
      for (int k = 0; k < K; k++) s->v[k] = a * s->v[k] + s->dvs[k];
  } else {
    memset(s->dw, 0, sizeof(double) * (size_t)K * N);
    memset(s->dv, 0, sizeof(double) * (size_t)K);
    for (int b = 0; b < B; b++) {
      const double *xb = g->x + (size_t)b * (N + 1);
      double e = ts__sample_student(s, xb, g->phis[b], xb[N], 1.0 / (double)B);
      if (!isfinite(e)) return ts__diverged(s, "non-finite residual");
      ts__batch_accumulate(s, xb);
    }
    ts__batch_apply(s, a, train_v);
  }
  s->samples += B;
  return TS_OK;
}

int ts_sgd_copy_teacher(ts_sgd *dst, const ts_sgd *src)
{
  if (!dst || !src) return ts_error(TS_EINVAL, "sgd: copy_teacher needs two runs (got NULL)");
  if (dst->p.N != src->p.N || dst->p.M != src->p.M)
    return ts_error(TS_EINVAL, "sgd: copy_teacher between N = %d, M = %d and N = %d, M = %d", src->p.N, src->p.M,
                    dst->p.N, dst->p.M);
  if (dst != src) {
    memcpy(dst->wstar, src->wstar, sizeof(double) * (size_t)src->p.M * (size_t)src->p.N);
    memcpy(dst->vstar, src->vstar, sizeof(double) * (size_t)src->p.M);
  }
  return TS_OK;
}

void ts_sgd_group_free(ts_sgd_group *g)
{
  if (!g) return;
  free(g->mem);
  free(g->active);
  free(g->status);
  free(g->trows);
  free(g->x);
  free(g->rho);
  free(g->phis);
  ts_rng_free(g->data);
  free(g);
}

ts_sgd_group *ts_sgd_group_alloc(ts_sgd *const *members, int n, uint64_t seed)
{
  if (!members || n < 1) {
    ts_error(TS_EINVAL, "sgd: a group needs at least one member (got %d)", members ? n : 0);
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    if (!members[i]) {
      ts_error(TS_EINVAL, "sgd: group member %d is NULL", i);
      return NULL;
    }
    for (int j = 0; j < i; j++)
      if (members[j] == members[i]) {
        ts_error(TS_EINVAL, "sgd: group members %d and %d are the same run", j, i);
        return NULL;
      }
  }
  const ts_sgd *m0 = members[0];
  const int N = m0->p.N, M = m0->p.M, B = m0->p.batch;
  for (int i = 1; i < n; i++) {
    const ts_sgd *s = members[i];
    if (s->p.N != N || s->p.M != M || s->p.act != m0->p.act || s->p.batch != B) {
      ts_error(TS_EINVAL, "sgd: group member %d has N = %d, M = %d, act = %d, batch = %d; member 0 has %d, %d, %d, %d", i,
               s->p.N, s->p.M, (int)s->p.act, s->p.batch, N, M, (int)m0->p.act, B);
      return NULL;
    }
    if (memcmp(s->wstar, m0->wstar, sizeof(double) * (size_t)M * N) != 0 ||
        memcmp(s->vstar, m0->vstar, sizeof(double) * (size_t)M) != 0) {
      ts_error(TS_EINVAL, "sgd: group member %d has another teacher than member 0 (use ts_sgd_copy_teacher)", i);
      return NULL;
    }
  }
  ts_sgd_group *g = calloc(1, sizeof *g);
  if (!g) goto nomem;
  g->n = n;
  g->N = N;
  g->M = M;
  g->B = B;
  g->act = m0->p.act;
  g->isqn = m0->isqn;
  g->vstar = m0->vstar;
  g->mem = malloc(sizeof *g->mem * (size_t)n);
  g->active = malloc((size_t)n);
  g->status = malloc(sizeof *g->status * (size_t)n);
  g->trows = malloc(sizeof *g->trows * (size_t)M);
  g->x = malloc(sizeof(double) * (size_t)B * ((size_t)N + 1));
  g->rho = malloc(sizeof(double) * (size_t)M);
  g->phis = malloc(sizeof(double) * (size_t)B);
  g->data = ts_rng_alloc(seed, 1);
  if (!g->mem || !g->active || !g->status || !g->trows || !g->x || !g->rho || !g->phis || !g->data) goto nomem;
  for (int i = 0; i < n; i++) g->mem[i] = members[i], g->active[i] = 1, g->status[i] = TS_OK;
  for (int m = 0; m < M; m++) g->trows[m] = m0->wstar + (size_t)m * N;
  return g;
nomem:
  ts_sgd_group_free(g);
  ts_error(TS_ENOMEM, "sgd: out of memory (group of %d)", n);
  return NULL;
}

int ts_sgd_group_retire(ts_sgd_group *g, int i)
{
  if (!g || i < 0 || i >= g->n) return ts_error(TS_EINVAL, "sgd: no group member %d", i);
  g->active[i] = 0;
  return TS_OK;
}

int ts_sgd_group_status(const ts_sgd_group *g, int i)
{
  if (!g || i < 0 || i >= g->n) return ts_error(TS_EINVAL, "sgd: no group member %d", i);
  return g->status[i];
}
const double *ts_sgd_group_samples(const ts_sgd_group *g) { return g->x; }

/* Member i diverged: retire it with status TS_EDIVERGE (the message has been reported). */
static void ts__group_fail(ts_sgd_group *g, int i)
{
  g->active[i] = 0;
  g->status[i] = TS_EDIVERGE;
}

int ts_sgd_group_run(ts_sgd_group *g, long n)
{
  if (!g) return ts_error(TS_EINVAL, "sgd: no group");
  if (n < 0) return ts_error(TS_EINVAL, "sgd: negative number of steps %ld", n);
  const int N = g->N, M = g->M, B = g->B;
  int rc = TS_OK;
  for (long t = 0; t < n; t++) {
    ts_rng_gaussian_fill(g->data, g->x, (size_t)B * ((size_t)N + 1));
    for (int b = 0; b < B; b++) { /* phi*(x_b): as in ts__sample_at */
      ts__dots(M, g->trows, g->x + (size_t)b * (N + 1), N, g->rho);
      double phis = 0.0;
      for (int m = 0; m < M; m++) phis += g->vstar[m] * ts__g(g->act, g->rho[m] * g->isqn);
      g->phis[b] = phis;
    }
    for (int i = 0; i < g->n; i++)
      if (g->active[i] && ts__group_step_member(g, g->mem[i]) != TS_OK) ts__group_fail(g, i), rc = TS_EDIVERGE;
    if ((t + 1) % TS__SGD_CHECK_EVERY == 0 && t + 1 != n)
      for (int i = 0; i < g->n; i++)
        if (g->active[i] && ts__check_weights(g->mem[i]) != TS_OK) ts__group_fail(g, i), rc = TS_EDIVERGE;
  }
  for (int i = 0; i < g->n; i++) /* at the end, as ts_sgd_run */
    if (g->active[i] && ts__check_weights(g->mem[i]) != TS_OK) ts__group_fail(g, i), rc = TS_EDIVERGE;
  return rc;
}
