/* lib_gd_nl — leaky-ReLU teacher blocks and a one-hidden-layer leaky-ReLU student with a leaky-ReLU output layer
 * (see lampinen_gd_nl.h), for figure 12.
 *
 * Cost per epoch: with X = I the first layer needs no product; the forward W_2 phi(W_1), the back-propagated
 * W_2^T D and the weight gradient D phi(W_1)^T are three GEMMs of nout nh n1 multiply-adds (nout = 100, nh = 50,
 * n1 = 100: 3 MFLOP); the gradient of W_2 is accumulated into W_2 by the GEMM itself (beta = 1) after W_2^T D has
 * been formed from the old W_2, so the step is simultaneous as in TensorFlow. */
#include "lampinen_gd_nl.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts_err.h"

/* TensorFlow's truncated normal redraws values beyond this many standard deviations */
#define LGNL_TRUNC_SD 2.0
/* TensorFlow 1.x variance_scaling_initializer's correction for the truncation (stddev = sqrt(1.3 factor / n)) */
#define LGNL_TRUNC_CORR 1.3

struct lg_nl {
  lg_nl_params p;
  double *w1, *w2; /* nh x n1, nout x nh                                 */
  double *y;       /* nout x n1 noisy targets                            */
  double *h;       /* nh x n1: phi(W_1)                                  */
  double *a2, *o;  /* nout x n1: W_2 h and phi(W_2 h); o becomes D in place */
  double *d1;      /* nh x n1: W_2^T D                                   */
};

static double lgnl__phi(double x, double leak) { return x > 0 ? x : leak * x; }

void lg_nl_teacher_block_add(int n1, int n3, double leak, double sa, const double *ua, const double *va, double sb,
                             const double *ub, const double *vb, double *Y)
{
  for (int head = 0; head < (ub ? 2 : 1); head++) {
    const double s = head ? sb : sa, *u = head ? ub : ua, *v = head ? vb : va;
    for (int i = 0; i < n3; i++) {
      double *row = Y + (size_t)(head * n3 + i) * n1;
      for (int c = 0; c < n1; c++) row[c] += lgnl__phi(s * u[i] * lgnl__phi(v[c], leak), leak);
    }
  }
}

double lg_nl_flops_per_epoch(const lg_nl_params *p) { return 6.0 * p->nout * p->nh * p->n1; }

void lg_nl_free(lg_nl *g)
{
  if (!g) return;
  free(g->w1); free(g->w2); free(g->y); free(g->h); free(g->a2); free(g->o); free(g->d1);
  free(g);
}

lg_nl *lg_nl_alloc(const lg_nl_params *p, const double *y)
{
  if (!p || !y || p->n1 < 1 || p->nh < 1 || p->nout < 1 || !(p->lr > 0) || !(p->leak >= 0 && p->leak < 1)) {
    ts_error(TS_EINVAL, "lg_nl_alloc: need widths >= 1, lr > 0, 0 <= leak < 1 and the targets");
    return NULL;
  }
  lg_nl *g = calloc(1, sizeof *g);
  if (!g) { ts_error(TS_ENOMEM, "lg_nl_alloc: out of memory"); return NULL; }
  g->p = *p;
  const size_t n1 = (size_t)p->n1, nh = (size_t)p->nh, no = (size_t)p->nout;
  g->w1 = calloc(nh * n1, sizeof(double));
  g->w2 = calloc(no * nh, sizeof(double));
  g->y = malloc(no * n1 * sizeof(double));
  g->h = malloc(nh * n1 * sizeof(double));
  g->a2 = malloc(no * n1 * sizeof(double));
  g->o = malloc(no * n1 * sizeof(double));
  g->d1 = malloc(nh * n1 * sizeof(double));
  if (!g->w1 || !g->w2 || !g->y || !g->h || !g->a2 || !g->o || !g->d1) {
    lg_nl_free(g);
    ts_error(TS_ENOMEM, "lg_nl_alloc: out of memory");
    return NULL;
  }
  memcpy(g->y, y, no * n1 * sizeof(double));
  return g;
}

double *lg_nl_weights(lg_nl *g, int i) { return i == 0 ? g->w1 : i == 1 ? g->w2 : NULL; }

static void lgnl__fill_truncated(double *w, size_t rows, size_t cols, double factor, ts_rng *r)
{
  const double sd = sqrt(LGNL_TRUNC_CORR * factor / (0.5 * (double)(rows + cols)));
  for (size_t i = 0; i < rows * cols; i++) {
    double x;
    do x = ts_rng_gaussian(r);
    while (fabs(x) > LGNL_TRUNC_SD);
    w[i] = sd * x;
  }
}

int lg_nl_init_varscale(lg_nl *g, double factor, ts_rng *r)
{
  if (!(factor > 0) || !r) return ts_error(TS_EINVAL, "lg_nl_init_varscale: need factor > 0 and a generator");
  lgnl__fill_truncated(g->w1, (size_t)g->p.nh, (size_t)g->p.n1, factor, r);
  lgnl__fill_truncated(g->w2, (size_t)g->p.nout, (size_t)g->p.nh, factor, r);
  return TS_OK;
}

/* h = phi(W_1), a2 = W_2 h, o = phi(a2) */
static void lgnl__forward(lg_nl *g)
{
  const lg_nl_params *p = &g->p;
  const size_t nh1 = (size_t)p->nh * p->n1, no1 = (size_t)p->nout * p->n1;
  for (size_t k = 0; k < nh1; k++) g->h[k] = lgnl__phi(g->w1[k], p->leak);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, p->nout, p->n1, p->nh, 1.0, g->w2, p->nh, g->h, p->n1, 0.0,
              g->a2, p->n1);
  for (size_t k = 0; k < no1; k++) g->o[k] = lgnl__phi(g->a2[k], p->leak);
}

double lg_nl_loss(lg_nl *g, double *out)
{
  lgnl__forward(g);
  const size_t no1 = (size_t)g->p.nout * g->p.n1;
  double l = 0;
  for (size_t k = 0; k < no1; k++) l += (g->o[k] - g->y[k]) * (g->o[k] - g->y[k]);
  if (out) memcpy(out, g->o, no1 * sizeof(double));
  return 0.5 * l;
}

int lg_nl_run(lg_nl *g, long epochs, int every, int row0, int nrows, const double *yc, double *err)
{
  const lg_nl_params *p = &g->p;
  if (epochs < 0 || every < 1 || row0 < 0 || nrows < 1 || row0 + nrows > p->nout || !yc || !err)
    return ts_error(TS_EINVAL, "lg_nl_run: bad arguments (epochs %ld, every %d, rows %d..%d of %d)", epochs, every,
                    row0, row0 + nrows - 1, p->nout);
  const size_t n1 = (size_t)p->n1, nh1 = (size_t)p->nh * n1, no1 = (size_t)p->nout * n1;
  double yc2 = 0;
  for (size_t k = 0; k < (size_t)nrows * n1; k++) yc2 += yc[k] * yc[k];
  if (!(yc2 > 0)) return ts_error(TS_EINVAL, "lg_nl_run: the clean targets are zero");
  for (long e = 0;; e++) {
    lgnl__forward(g);
    if (e % every == 0) {
      const double *o = g->o + (size_t)row0 * n1;
      double s = 0;
      for (size_t k = 0; k < (size_t)nrows * n1; k++) s += (o[k] - yc[k]) * (o[k] - yc[k]);
      if (!isfinite(s)) return ts_error(TS_EDIVERGE, "lg_nl_run: output not finite at epoch %ld", e);
      err[e / every] = s / yc2;
    }
    if (e == epochs) break;
    /* D = (O - Y) phi'(a2), in place of o */
    double loss = 0;
    for (size_t k = 0; k < no1; k++) {
      double d = g->o[k] - g->y[k];
      loss += d * d;
      g->o[k] = g->a2[k] > 0 ? d : p->leak * d;
    }
    if (!isfinite(loss)) return ts_error(TS_EDIVERGE, "lg_nl_run: loss not finite at epoch %ld", e);
    /* d1 = W_2^T D (old W_2), then W_2 -= lr D h^T, W_1 -= lr d1 phi'(W_1) (X = I) */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p->nh, p->n1, p->nout, 1.0, g->w2, p->nh, g->o, p->n1, 0.0,
                g->d1, p->n1);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, p->nout, p->nh, p->n1, -p->lr, g->o, p->n1, g->h, p->n1, 1.0,
                g->w2, p->nh);
    for (size_t k = 0; k < nh1; k++) g->w1[k] -= p->lr * (g->w1[k] > 0 ? g->d1[k] : p->leak * g->d1[k]);
  }
  return TS_OK;
}
