/* Tests of papers/tian2020/lib_deep.c: the deep (leaky-)ReLU networks of Tian 2020's multi-layer experiments.
 *   - backpropagation against central finite differences, for the MSE and the cross-entropy loss, ReLU and leaky;
 *   - the fused SGD step equals W - lr * gradient (hand-composed from tian_net_gradient);
 *   - a student equal to the teacher: zero MSE, and correlation 1 for every teacher node of every layer;
 *   - the teacher construction: rows on the grid before normalisation (checked through regular rows), median shift
 *     (exactly half of the evaluation inputs activate each hidden node), standardised outputs;
 *   - PyTorch's default init stays inside U(+-1/sqrt(fan_in)) and fills it (mean and variance of the uniform). */
#include <string.h>

#include "ts_test.h"
#include "tian2020/tian_deep.h"
#include "tian2020/tian_metrics.h"
#include "../papers/tian2020/lib_deep.c"
#include "../papers/tian2020/lib_metrics.c"

/* Central-difference step and the tolerance it allows: truncation O(h^2 f''') ~ 1e-10, rounding O(eps f / h) ~ 1e-10
 * relative to the loss scale; kinks of ReLU are hit with probability ~ h / (spread of z) ~ 1e-7 per unit. */
#define FD_H 1e-6
#define FD_ATOL 1e-7
#define FD_RTOL 1e-6

static void fill_gauss(ts_rng *r, double *x, int n, double sd)
{
  for (int i = 0; i < n; i++) x[i] = sd * ts_rng_gaussian(r);
}

static void check_gradient(tian_loss loss, double leaky)
{
  const int size[4] = {5, 7, 6, 4}, B = 9;
  ts_rng *r = ts_rng_alloc(11, (uint64_t)loss * 10 + (leaky > 0));
  tian_net *n = tian_net_alloc(3, size, leaky), *g = tian_net_alloc(3, size, leaky);
  tian_work *w = tian_work_alloc(n, B);
  assert_non_null(n);
  assert_non_null(g);
  assert_non_null(w);
  tian_net_init_default(n, r);
  double X[9 * 5], T[9 * 4];
  fill_gauss(r, X, B * size[0], 1.0);
  fill_gauss(r, T, B * size[3], 1.0);
  tian_net_forward(n, w, X, B);
  double f0 = tian_net_gradient(n, w, T, loss, g);
  assert_close(f0, tian_work_loss(w, T, loss), 1e-15, 0);
  int checked = 0;
  for (int l = 1; l <= 3; l++) {
    int nw = size[l] * size[l - 1];
    for (int i = 0; i < nw + size[l]; i++) {
      double *p = i < nw ? &n->W[l - 1][i] : &n->b[l - 1][i - nw];
      double gi = i < nw ? g->W[l - 1][i] : g->b[l - 1][i - nw];
      double keep = *p;
      *p = keep + FD_H;
      tian_net_forward(n, w, X, B);
      double fp = tian_work_loss(w, T, loss);
      *p = keep - FD_H;
      tian_net_forward(n, w, X, B);
      double fm = tian_work_loss(w, T, loss);
      *p = keep;
      assert_close(gi, (fp - fm) / (2 * FD_H), FD_RTOL, FD_ATOL);
      checked++;
    }
  }
  assert_int_equal(checked, (int)tian_net_num_params(n));
  tian_work_free(w);
  tian_net_free(g);
  tian_net_free(n);
  ts_rng_free(r);
}

static void test_gradient_mse_relu(void **st) { (void)st; check_gradient(TIAN_LOSS_MSE, 0.0); }
static void test_gradient_mse_leaky(void **st) { (void)st; check_gradient(TIAN_LOSS_MSE, 0.1); }
static void test_gradient_ce_relu(void **st) { (void)st; check_gradient(TIAN_LOSS_CE, 0.0); }
static void test_gradient_ce_leaky(void **st) { (void)st; check_gradient(TIAN_LOSS_CE, 0.1); }

/* The hand-computed losses of a one-layer (linear) net: MSE = mean square, CE = logsumexp - y[argmax target]. */
static void test_loss_values(void **st)
{
  (void)st;
  const int size[2] = {1, 3};
  tian_net *n = tian_net_alloc(1, size, 0.0);
  tian_work *w = tian_work_alloc(n, 2);
  n->W[0][0] = 1; n->W[0][1] = 2; n->W[0][2] = -1;
  n->b[0][0] = 0; n->b[0][1] = 0; n->b[0][2] = 0.5;
  double X[2] = {1, -1}, T[6] = {0, 0, 0, 3, 1, 2}; /* outputs: (1, 2, -0.5), (-1, -2, 1.5) */
  tian_net_forward(n, w, X, 2);
  double mse = (1 + 4 + 0.25 + 16 + 9 + 0.25) / 6;
  assert_close(tian_work_loss(w, T, TIAN_LOSS_MSE), mse, 1e-15, 0);
  /* argmax of (0,0,0) is the first, class 0; of (3,1,2) also class 0 */
  double ce0 = log(exp(1.0) + exp(2.0) + exp(-0.5)) - 1, ce1 = log(exp(-1.0) + exp(-2.0) + exp(1.5)) + 1;
  assert_close(tian_work_loss(w, T, TIAN_LOSS_CE), 0.5 * (ce0 + ce1), 1e-15, 0);
  tian_work_free(w);
  tian_net_free(n);
}

/* The fused SGD step (update inside the backward GEMMs) equals W - lr * gradient at the old weights. */
static void test_sgd_step_matches_gradient(void **st)
{
  (void)st;
  const int size[4] = {4, 8, 5, 3}, B = 6;
  const double lr = 0.3;
  ts_rng *r = ts_rng_alloc(5, 0);
  tian_net *n = tian_net_alloc(3, size, 0.0), *g = tian_net_alloc(3, size, 0.0), *m = tian_net_alloc(3, size, 0.0);
  tian_work *w = tian_work_alloc(n, B);
  tian_net_init_default(n, r);
  tian_net_copy(m, n);
  double X[6 * 4], T[6 * 3];
  fill_gauss(r, X, B * size[0], 2.0);
  fill_gauss(r, T, B * size[3], 1.0);
  for (int loss = 0; loss < 2; loss++) {
    tian_net_forward(m, w, X, B);
    double f = tian_net_gradient(m, w, T, (tian_loss)loss, g);
    double f2 = tian_net_sgd_step(n, w, X, T, B, (tian_loss)loss, lr);
    assert_close(f2, f, 1e-14, 0);
    for (int l = 1; l <= 3; l++) {
      for (int i = 0; i < size[l] * size[l - 1]; i++) {
        m->W[l - 1][i] -= lr * g->W[l - 1][i];
        assert_close(n->W[l - 1][i], m->W[l - 1][i], 1e-13, 1e-14);
      }
      for (int j = 0; j < size[l]; j++) {
        m->b[l - 1][j] -= lr * g->b[l - 1][j];
        assert_close(n->b[l - 1][j], m->b[l - 1][j], 1e-13, 1e-14);
      }
    }
  }
  tian_work_free(w);
  tian_net_free(m);
  tian_net_free(g);
  tian_net_free(n);
  ts_rng_free(r);
}

/* Fig. 6's teacher (20-50-75-100-125-100) on N(0, 10^2 I) evaluation inputs. */
#define NE 2048
static tian_net *make_teacher(ts_rng *r, double *X, double polarity)
{
  const int size[6] = {20, 50, 75, 100, 125, 100};
  tian_net *t = tian_net_alloc(5, size, 0.0);
  assert_non_null(t);
  fill_gauss(r, X, NE * 20, 10.0);
  assert_int_equal(tian_teacher_init(t, r, polarity, X, NE), TS_OK);
  return t;
}

/* Median shift: exactly half of the (even number of) evaluation inputs have z > 0 at every hidden node;
 * the outputs have mean 0 and standard deviation 1; rows are regular (the grid draws are normalised). */
static void test_teacher_construction(void **st)
{
  (void)st;
  ts_rng *r = ts_rng_alloc(3, 0);
  double *X = malloc((size_t)NE * 20 * sizeof(double)), *Y = malloc((size_t)NE * 100 * sizeof(double));
  tian_net *t = make_teacher(r, X, 0.0);
  double *H[4];
  for (int l = 1; l <= 4; l++) H[l - 1] = malloc((size_t)NE * t->size[l] * sizeof(double));
  tian_work *w = tian_work_alloc(t, 256);
  tian_net_apply(t, w, X, NE, Y, H);
  for (int l = 1; l <= 4; l++)
    for (int j = 0; j < t->size[l]; j++) {
      int act = 0;
      for (int i = 0; i < NE; i++) act += H[l - 1][(size_t)i * t->size[l] + j] > 0;
      assert_int_equal(act, NE / 2);
    }
  for (int j = 0; j < 100; j++) {
    double m = 0, v = 0;
    for (int i = 0; i < NE; i++) m += Y[(size_t)i * 100 + j];
    m /= NE;
    for (int i = 0; i < NE; i++) v += (Y[(size_t)i * 100 + j] - m) * (Y[(size_t)i * 100 + j] - m);
    assert_close(m, 0.0, 0, 1e-12);
    assert_close(sqrt(v / NE), 1.0, 1e-12, 0);
  }
  /* hidden rows: norm 1 / (1 + 1e-5 / ||grid row||) ~ 1 within 1e-5 */
  for (int l = 1; l <= 4; l++)
    for (int j = 0; j < t->size[l]; j++) {
      double s = 0;
      for (int i = 0; i < t->size[l - 1]; i++) s += t->W[l - 1][(size_t)j * t->size[l - 1] + i] * t->W[l - 1][(size_t)j * t->size[l - 1] + i];
      assert_close(sqrt(s), 1.0, 0, 2 * TIAN_NORM_EPS);
    }
  /* the first layer's rows are grid rows divided by their norm: the ratios of entries are multiples of 1/4 */
  for (int j = 0; j < 50; j++) {
    const double *row = t->W[0] + (size_t)j * 20;
    double mx = 0;
    for (int i = 0; i < 20; i++) mx = fabs(row[i]) > mx ? fabs(row[i]) : mx;
    /* the row's norm scale s = 1/(||g|| + eps); every g_i = row_i / s is a multiple of 0.25 with |g_i| <= 1 */
    double best = 0;
    for (int k = 1; k <= 4; k++) { /* max |g_i| is 0.25 k for some k = 1..4 */
      double s = mx / (0.25 * k), err = 0;
      for (int i = 0; i < 20; i++) {
        double gi = row[i] / s;
        err = fmax(err, fabs(gi * 4 - round(gi * 4)));
      }
      if (k == 1 || err < best) best = err;
    }
    assert_true(best < 1e-9);
  }
  tian_work_free(w);
  for (int l = 0; l < 4; l++) free(H[l]);
  tian_net_free(t);
  free(X);
  free(Y);
  ts_rng_free(r);
}

/* Polarity p: the fan-out column i of the layers above is divided by (1+i)^p before the row normalisation, so the
 * column norms of layer 2 fall with i (checked: the mean |w| of column 9 is below that of column 0 by ~10^p / 2). */
static void test_teacher_polarity(void **st)
{
  (void)st;
  ts_rng *r = ts_rng_alloc(4, 0);
  double *X = malloc((size_t)NE * 20 * sizeof(double));
  tian_net *t = make_teacher(r, X, 2.0);
  double c0 = 0, c9 = 0;
  for (int j = 0; j < 75; j++) {
    c0 += fabs(t->W[1][(size_t)j * 50 + 0]);
    c9 += fabs(t->W[1][(size_t)j * 50 + 9]);
  }
  assert_true(c9 < c0 / 20); /* expected ratio 1/100 times the ratio of mean |grid| values (~1) */
  tian_net_free(t);
  free(X);
  ts_rng_free(r);
}

/* A student equal to the teacher: zero MSE and, at every hidden layer, every teacher node has correlation 1 with its
 * copy (rho_mean = 1 up to the 1e-10 regulariser). */
static void test_student_equals_teacher(void **st)
{
  (void)st;
  ts_rng *r = ts_rng_alloc(6, 0);
  double *X = malloc((size_t)NE * 20 * sizeof(double));
  tian_net *t = make_teacher(r, X, 0.0);
  tian_net *s = tian_net_alloc(t->L, t->size, 0.0);
  tian_net_copy(s, t);
  tian_work *w = tian_work_alloc(t, 64), *ws = tian_work_alloc(s, 64);
  double Yt[64 * 100];
  memcpy(Yt, tian_net_forward(t, w, X, 64), sizeof Yt);
  tian_net_forward(s, ws, X, 64);
  assert_close(tian_work_loss(ws, Yt, TIAN_LOSS_MSE), 0.0, 0, 1e-28);
  /* one SGD step at zero error leaves the student unchanged */
  tian_net_sgd_step(s, ws, X, Yt, 64, TIAN_LOSS_MSE, 0.2);
  for (int i = 0; i < 50 * 20; i++) assert_close(s->W[0][i], t->W[0][i], 0, 1e-15);
  double *Ht[4], *Hs[4];
  for (int l = 1; l <= 4; l++) {
    Ht[l - 1] = malloc((size_t)NE * t->size[l] * sizeof(double));
    Hs[l - 1] = malloc((size_t)NE * t->size[l] * sizeof(double));
  }
  tian_net_apply(t, w, X, NE, NULL, Ht);
  tian_net_apply(s, ws, X, NE, NULL, Hs);
  for (int l = 1; l <= 4; l++) {
    int m = t->size[l];
    double *rho = malloc((size_t)m * m * sizeof(double));
    assert_int_equal(tian_corr(Ht[l - 1], m, m, Hs[l - 1], m, m, NE, rho), TS_OK);
    assert_close(tian_rho_mean(rho, m, m), 1.0, 1e-9, 0);
    for (int j = 0; j < m; j++) assert_close(rho[j * m + j], 1.0, 1e-9, 0);
    free(rho);
  }
  for (int l = 0; l < 4; l++) { free(Ht[l]); free(Hs[l]); }
  tian_work_free(w);
  tian_work_free(ws);
  tian_net_free(s);
  tian_net_free(t);
  free(X);
  ts_rng_free(r);
}

/* PyTorch default init: U(-a, a), a = 1/sqrt(fan_in): inside the bound; mean 0 and variance a^2/3 within 5 standard
 * errors (n = 20000 weights: SE of the mean a/sqrt(3n), of the variance a^2 sqrt(4/45 / n)). */
static void test_default_init(void **st)
{
  (void)st;
  const int size[2] = {400, 50};
  ts_rng *r = ts_rng_alloc(8, 0);
  tian_net *n = tian_net_alloc(1, size, 0.0);
  tian_net_init_default(n, r);
  const double a = 1.0 / 20.0;
  const int cnt = 400 * 50;
  double m = 0, v = 0;
  for (int i = 0; i < cnt; i++) {
    assert_true(fabs(n->W[0][i]) <= a);
    m += n->W[0][i];
    v += n->W[0][i] * n->W[0][i];
  }
  m /= cnt;
  v /= cnt;
  assert_close(m, 0.0, 0, 5 * a / sqrt(3.0 * cnt));
  assert_close(v, a * a / 3, 0, 5 * a * a * sqrt(4.0 / 45 / cnt));
  for (int j = 0; j < 50; j++) assert_true(fabs(n->b[0][j]) <= a);
  tian_net_free(n);
  ts_rng_free(r);
}

/* Bad shapes are refused with one error. */
static void test_bad_input(void **st)
{
  (void)st;
  ts_error_quiet(1);
  const int bad[3] = {3, 0, 2};
  assert_null(tian_net_alloc(2, bad, 0.0));
  assert_null(tian_net_alloc(0, bad, 0.0));
  ts_error_quiet(0);
}

int main(void)
{
  tian_blas_single_thread();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gradient_mse_relu),     cmocka_unit_test(test_gradient_mse_leaky),
      cmocka_unit_test(test_gradient_ce_relu),      cmocka_unit_test(test_gradient_ce_leaky),
      cmocka_unit_test(test_loss_values),           cmocka_unit_test(test_sgd_step_matches_gradient),
      cmocka_unit_test(test_teacher_construction),  cmocka_unit_test(test_teacher_polarity),
      cmocka_unit_test(test_student_equals_teacher), cmocka_unit_test(test_default_init),
      cmocka_unit_test(test_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
