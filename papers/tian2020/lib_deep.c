/* lib_deep — deep fully connected (leaky-)ReLU networks of Tian 2020's multi-layer experiments (see tian_deep.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "tian_deep.h"
#include "ts_err.h"

/* OpenBLAS's thread-count setter (declared by its cblas.h; declared again here so that another CBLAS header works). */
void openblas_set_num_threads(int num_threads);

/* Added to a teacher row's norm before dividing (authors' normalize_layer). */
#define TIAN_NORM_EPS 1e-5
/* Grid of teacher weight values {-1, -0.75, ..., 1} (reference sheet, 2-layer and multi-layer teacher). */
#define TIAN_GRID_N 9
#define TIAN_GRID_LO (-1.0)
#define TIAN_GRID_STEP 0.25
/* Teacher bias range U(-TIAN_BIAS_HALF, TIAN_BIAS_HALF). */
#define TIAN_BIAS_HALF 0.5
/* Redraws of a teacher row before giving up (a duplicate is unlikely unless fan-in is tiny). */
#define TIAN_MAX_REDRAW 10000

struct tian_work {
  int L, max_batch, B;
  int size[TIAN_DEEP_MAXL + 1];
  double leaky;
  const double *X;                 /* input of the last forward pass (not owned)              */
  double *H[TIAN_DEEP_MAXL + 1];   /* H[l], l = 1..L: max_batch x size[l]; H[L] = the outputs */
  double *G0, *G1;                 /* backward buffers: max_batch x max_l size[l]            */
};

static size_t tian__wsize(const tian_net *n, int l) { return (size_t)n->size[l] * (size_t)n->size[l - 1]; }

tian_net *tian_net_alloc(int L, const int *size, double leaky)
{
  if (L < 1 || L > TIAN_DEEP_MAXL) {
    ts_error(TS_EINVAL, "tian_net_alloc: L = %d not in 1..%d", L, TIAN_DEEP_MAXL);
    return NULL;
  }
  for (int l = 0; l <= L; l++)
    if (size[l] < 1) {
      ts_error(TS_EINVAL, "tian_net_alloc: size[%d] = %d < 1", l, size[l]);
      return NULL;
    }
  tian_net *n = calloc(1, sizeof *n);
  if (!n) { ts_error(TS_ENOMEM, "tian_net_alloc: out of memory"); return NULL; }
  n->L = L;
  n->leaky = leaky;
  for (int l = 0; l <= L; l++) n->size[l] = size[l];
  for (int l = 1; l <= L; l++) {
    n->W[l - 1] = calloc(tian__wsize(n, l), sizeof(double));
    n->b[l - 1] = calloc((size_t)size[l], sizeof(double));
    if (!n->W[l - 1] || !n->b[l - 1]) {
      tian_net_free(n);
      ts_error(TS_ENOMEM, "tian_net_alloc: out of memory");
      return NULL;
    }
  }
  return n;
}

void tian_net_free(tian_net *n)
{
  if (!n) return;
  for (int l = 0; l < n->L; l++) { free(n->W[l]); free(n->b[l]); }
  free(n);
}

int tian_net_copy(tian_net *dst, const tian_net *src)
{
  if (dst->L != src->L) return ts_error(TS_EINVAL, "tian_net_copy: depth %d != %d", dst->L, src->L);
  for (int l = 0; l <= src->L; l++)
    if (dst->size[l] != src->size[l]) return ts_error(TS_EINVAL, "tian_net_copy: size[%d] differs", l);
  for (int l = 1; l <= src->L; l++) {
    memcpy(dst->W[l - 1], src->W[l - 1], tian__wsize(src, l) * sizeof(double));
    memcpy(dst->b[l - 1], src->b[l - 1], (size_t)src->size[l] * sizeof(double));
  }
  dst->leaky = src->leaky;
  return TS_OK;
}

long tian_net_num_params(const tian_net *n)
{
  long p = 0;
  for (int l = 1; l <= n->L; l++) p += (long)tian__wsize(n, l) + n->size[l];
  return p;
}

void tian_net_init_default(tian_net *n, ts_rng *r)
{
  for (int l = 1; l <= n->L; l++) {
    double bound = 1.0 / sqrt((double)n->size[l - 1]);
    size_t nw = tian__wsize(n, l);
    for (size_t i = 0; i < nw; i++) n->W[l - 1][i] = bound * (2 * ts_rng_uniform(r) - 1);
    for (int j = 0; j < n->size[l]; j++) n->b[l - 1][j] = bound * (2 * ts_rng_uniform(r) - 1);
  }
}

/* ---- teacher construction --------------------------------------------------------------------------------------- */

static int tian__cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of column j of the n x m row-major Z (scratch: n doubles). */
static double tian__column_median(const double *Z, int n, int m, int j, double *scratch)
{
  for (int i = 0; i < n; i++) scratch[i] = Z[(size_t)i * m + j];
  qsort(scratch, (size_t)n, sizeof(double), tian__cmp_double);
  return n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

/* Z (n x nout) = Hin (n x nin) W^T + b. */
static void tian__affine(const double *Hin, int n, int nin, const double *W, const double *b, int nout, double *Z)
{
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, nout, nin, 1.0, Hin, nin, W, nin, 0.0, Z, nout);
  for (int i = 0; i < n; i++) {
    double *z = Z + (size_t)i * nout;
    for (int j = 0; j < nout; j++) z[j] += b[j];
  }
}

/* Rows of layer l on the grid, distinct and non-zero; biases U(-0.5, 0.5). */
static int tian__grid_layer(tian_net *n, int l, ts_rng *r)
{
  const int nin = n->size[l - 1], nout = n->size[l];
  double *W = n->W[l - 1];
  for (int j = 0; j < nout; j++) {
    double *row = W + (size_t)j * nin;
    int tries = 0, ok = 0;
    while (!ok) {
      if (++tries > TIAN_MAX_REDRAW)
        return ts_error(TS_EINVAL, "teacher layer %d: no distinct non-zero grid row after %d draws", l, tries - 1);
      int nonzero = 0;
      for (int i = 0; i < nin; i++) {
        int k = (int)(ts_rng_uniform(r) * TIAN_GRID_N);
        if (k >= TIAN_GRID_N) k = TIAN_GRID_N - 1;
        row[i] = TIAN_GRID_LO + TIAN_GRID_STEP * k;
        nonzero |= row[i] != 0.0;
      }
      ok = nonzero;
      for (int jj = 0; ok && jj < j; jj++) ok = memcmp(row, W + (size_t)jj * nin, (size_t)nin * sizeof(double)) != 0;
    }
  }
  for (int j = 0; j < nout; j++) n->b[l - 1][j] = TIAN_BIAS_HALF * (2 * ts_rng_uniform(r) - 1);
  return TS_OK;
}

int tian_teacher_init(tian_net *n, ts_rng *r, double polarity, const double *X_eval, int n_eval)
{
  if (n_eval < 2) return ts_error(TS_EINVAL, "tian_teacher_init: n_eval = %d < 2", n_eval);
  const int L = n->L;
  /* 1. grid rows and uniform biases, bottom to top */
  for (int l = 1; l <= L; l++) {
    int rc = tian__grid_layer(n, l, r);
    if (rc) return rc;
  }
  /* 2. polarity of the fan-out of every node below the top */
  if (polarity > 0)
    for (int l = 2; l <= L; l++) {
      const int nin = n->size[l - 1], nout = n->size[l];
      for (int j = 0; j < nout; j++)
        for (int i = 0; i < nin; i++) n->W[l - 1][(size_t)j * nin + i] /= pow(1.0 + i, polarity);
    }
  /* 3. regular rows */
  for (int l = 1; l <= L; l++) {
    const int nin = n->size[l - 1];
    for (int j = 0; j < n->size[l]; j++) {
      double *row = n->W[l - 1] + (size_t)j * nin, s = 0;
      for (int i = 0; i < nin; i++) s += row[i] * row[i];
      double norm = sqrt(s) + TIAN_NORM_EPS;
      for (int i = 0; i < nin; i++) row[i] /= norm;
      n->b[l - 1][j] /= norm;
    }
  }
  /* 4-5. median shift of the hidden biases, standardised outputs, on the evaluation set */
  int wmax = 0;
  for (int l = 1; l <= L; l++) wmax = n->size[l] > wmax ? n->size[l] : wmax;
  double *Ha = malloc((size_t)n_eval * wmax * sizeof(double)), *Hb = malloc((size_t)n_eval * wmax * sizeof(double));
  double *scratch = malloc((size_t)n_eval * sizeof(double));
  int rc = TS_OK;
  if (!Ha || !Hb || !scratch) { rc = ts_error(TS_ENOMEM, "tian_teacher_init: out of memory"); goto done; }
  const double *Hin = X_eval;
  for (int l = 1; l <= L; l++) {
    const int nin = n->size[l - 1], nout = n->size[l];
    double *Z = (l % 2) ? Ha : Hb;
    tian__affine(Hin, n_eval, nin, n->W[l - 1], n->b[l - 1], nout, Z);
    if (l < L) {
      for (int j = 0; j < nout; j++) {
        double med = tian__column_median(Z, n_eval, nout, j, scratch);
        n->b[l - 1][j] -= med;
        for (int i = 0; i < n_eval; i++) {
          double z = Z[(size_t)i * nout + j] - med;
          Z[(size_t)i * nout + j] = z > 0 ? z : n->leaky * z;
        }
      }
      Hin = Z;
    } else {
      for (int j = 0; j < nout; j++) {
        double m = 0, v = 0;
        for (int i = 0; i < n_eval; i++) m += Z[(size_t)i * nout + j];
        m /= n_eval;
        for (int i = 0; i < n_eval; i++) {
          double e = Z[(size_t)i * nout + j] - m;
          v += e * e;
        }
        double sd = sqrt(v / n_eval);
        if (!(sd > 0)) { rc = ts_error(TS_EINVAL, "tian_teacher_init: output %d is constant on the eval set", j); goto done; }
        double *row = n->W[l - 1] + (size_t)j * nin;
        for (int i = 0; i < nin; i++) row[i] /= sd;
        n->b[l - 1][j] = (n->b[l - 1][j] - m) / sd;
      }
    }
  }
done:
  free(Ha);
  free(Hb);
  free(scratch);
  return rc;
}

/* ---- forward and backward --------------------------------------------------------------------------------------- */

tian_work *tian_work_alloc(const tian_net *n, int max_batch)
{
  if (max_batch < 1) { ts_error(TS_EINVAL, "tian_work_alloc: max_batch = %d < 1", max_batch); return NULL; }
  tian_work *w = calloc(1, sizeof *w);
  if (!w) { ts_error(TS_ENOMEM, "tian_work_alloc: out of memory"); return NULL; }
  w->L = n->L;
  w->max_batch = max_batch;
  w->leaky = n->leaky;
  int wmax = 0;
  for (int l = 0; l <= n->L; l++) w->size[l] = n->size[l];
  for (int l = 1; l <= n->L; l++) {
    wmax = n->size[l] > wmax ? n->size[l] : wmax;
    w->H[l] = malloc((size_t)max_batch * n->size[l] * sizeof(double));
    if (!w->H[l]) goto fail;
  }
  w->G0 = malloc((size_t)max_batch * wmax * sizeof(double));
  w->G1 = malloc((size_t)max_batch * wmax * sizeof(double));
  if (!w->G0 || !w->G1) goto fail;
  return w;
fail:
  tian_work_free(w);
  ts_error(TS_ENOMEM, "tian_work_alloc: out of memory");
  return NULL;
}

void tian_work_free(tian_work *w)
{
  if (!w) return;
  for (int l = 1; l <= w->L; l++) free(w->H[l]);
  free(w->G0);
  free(w->G1);
  free(w);
}

const double *tian_net_forward(const tian_net *n, tian_work *w, const double *X, int B)
{
  w->B = B;
  w->X = X;
  w->leaky = n->leaky;
  const double *Hin = X;
  for (int l = 1; l <= n->L; l++) {
    const int nout = n->size[l];
    double *Z = w->H[l];
    tian__affine(Hin, B, n->size[l - 1], n->W[l - 1], n->b[l - 1], nout, Z);
    if (l < n->L) {
      const size_t cnt = (size_t)B * nout;
      const double c = n->leaky;
      for (size_t i = 0; i < cnt; i++) Z[i] = Z[i] > 0 ? Z[i] : c * Z[i];
    }
    Hin = Z;
  }
  return w->H[n->L];
}

const double *tian_work_hidden(const tian_work *w, int l) { return (l >= 1 && l < w->L) ? w->H[l] : NULL; }

/* Index of the first maximum of y[0..C). */
static int tian__argmax(const double *y, int C)
{
  int k = 0;
  for (int c = 1; c < C; c++)
    if (y[c] > y[k]) k = c;
  return k;
}

/* Loss and, if G != NULL, its derivative with respect to the outputs (B x C) into G. */
static double tian__loss_grad(const tian_work *w, const double *target, tian_loss loss, double *G)
{
  const int B = w->B, C = w->size[w->L];
  const double *Y = w->H[w->L];
  double total = 0;
  if (loss == TIAN_LOSS_MSE) {
    const double scale = 2.0 / ((double)B * C);
    for (int i = 0; i < B * C; i++) {
      double e = Y[i] - target[i];
      total += e * e;
      if (G) G[i] = scale * e;
    }
    return total / ((double)B * C);
  }
  for (int bi = 0; bi < B; bi++) {
    const double *y = Y + (size_t)bi * C;
    int cls = tian__argmax(target + (size_t)bi * C, C);
    double mx = y[tian__argmax(y, C)], s = 0;
    for (int c = 0; c < C; c++) s += exp(y[c] - mx);
    total += mx + log(s) - y[cls];
    if (G) {
      double *g = G + (size_t)bi * C;
      for (int c = 0; c < C; c++) g[c] = exp(y[c] - mx) / s / B;
      g[cls] -= 1.0 / B;
    }
  }
  return total / B;
}

double tian_work_loss(const tian_work *w, const double *target, tian_loss loss)
{
  return tian__loss_grad(w, target, loss, NULL);
}

/* Backpropagation through the last forward pass.  grad != NULL: write the gradient there.  grad == NULL: update
 * the net in place, W_l -= lr dW_l, layer by layer from the top; the error signal of layer l-1 is computed from
 * W_l before W_l is updated, so every layer moves along the gradient at the old weights. */
static double tian__backward(tian_net *n, tian_work *w, const double *target, tian_loss loss, tian_net *grad, double lr)
{
  const int B = w->B;
  double *G = w->G0, *Gp = w->G1;
  double value = tian__loss_grad(w, target, loss, G);
  for (int l = n->L; l >= 1; l--) {
    const int nin = n->size[l - 1], nout = n->size[l];
    const double *Hin = l > 1 ? w->H[l - 1] : w->X;
    if (l > 1) {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, nin, nout, 1.0, G, nout, n->W[l - 1], nin, 0.0, Gp,
                  nin);
      const size_t cnt = (size_t)B * nin;
      const double c = w->leaky;
      for (size_t i = 0; i < cnt; i++)
        if (!(Hin[i] > 0)) Gp[i] *= c;
    }
    double *Wout = grad ? grad->W[l - 1] : n->W[l - 1], *bout = grad ? grad->b[l - 1] : n->b[l - 1];
    const double alpha = grad ? 1.0 : -lr, beta = grad ? 0.0 : 1.0;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nout, nin, B, alpha, G, nout, Hin, nin, beta, Wout, nin);
    if (grad) memset(bout, 0, (size_t)nout * sizeof(double));
    for (int bi = 0; bi < B; bi++) {
      const double *g = G + (size_t)bi * nout;
      for (int j = 0; j < nout; j++) bout[j] += alpha * g[j];
    }
    double *t = G;
    G = Gp;
    Gp = t;
  }
  return value;
}

double tian_net_gradient(const tian_net *n, tian_work *w, const double *target, tian_loss loss, tian_net *grad)
{
  return tian__backward((tian_net *)n, w, target, loss, grad, 0.0); /* n is only read when grad != NULL */
}

double tian_net_sgd_step(tian_net *n, tian_work *w, const double *X, const double *target, int B, tian_loss loss,
                         double lr)
{
  tian_net_forward(n, w, X, B);
  return tian__backward(n, w, target, loss, NULL, lr);
}

void tian_net_apply(const tian_net *n, tian_work *w, const double *X, int count, double *Y, double **H)
{
  const int d = n->size[0], C = n->size[n->L];
  for (int start = 0; start < count; start += w->max_batch) {
    int B = count - start < w->max_batch ? count - start : w->max_batch;
    const double *out = tian_net_forward(n, w, X + (size_t)start * d, B);
    if (Y) memcpy(Y + (size_t)start * C, out, (size_t)B * C * sizeof(double));
    if (H)
      for (int l = 1; l < n->L; l++)
        if (H[l - 1])
          memcpy(H[l - 1] + (size_t)start * n->size[l], w->H[l], (size_t)B * n->size[l] * sizeof(double));
  }
}

void tian_blas_single_thread(void) { openblas_set_num_threads(1); }
