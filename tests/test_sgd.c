/* test_sgd — online SGD of the two-layer teacher–student network.
 * Independent checks: the update is recomputed by hand from the same random draws (the draw order documented in
 * ts_sgd.c: stream (seed, 0) for the initial weights, stream (seed, 1) with one fill of N+1 Gaussians per sample);
 * the mean increments of R and v over many single steps from one fixed state are compared with the exact
 * Gaussian averages of ts_gauss (the ODE drift); eps_g with a Monte Carlo average over fresh inputs.  Groups
 * (ts_sgd_group): stepping equals ts_sgd_step_on of every member on the group's samples and a group of one equals
 * ts_sgd_run, bit for bit; one teacher, enforced; the shared samples' moments; bad groups refused. */
#include "ts_test.h"

#include <stdlib.h>
#include <string.h>

#include "ts_err.h"
#include "ts_gauss.h"
#include "ts_rng.h"
#include "ts_scm.h"
#include "ts_sgd.h"

/* ---------- helpers ---------- */

static double dot_ld(const double *a, const double *b, int n)
{
  long double s = 0.0L;
  for (int j = 0; j < n; j++) s += (long double)a[j] * b[j];
  return (double)s;
}

static ts_sgd *make(ts_act act, int N, int K, int M, double lr, uint64_t seed)
{
  ts_sgd_params p;
  ts_sgd_params_init(&p, act, N, K, M, lr);
  ts_sgd *s = ts_sgd_alloc(&p, seed);
  assert_non_null(s);
  return s;
}

/* ---------- parameters and initialisation ---------- */

static void test_params_defaults(void **state)
{
  ts_sgd_params p;
  ts_sgd_params_init(&p, TS_ACT_RELU, 400, 3, 2, 0.1);
  assert_int_equal(p.N, 400);
  assert_int_equal(p.K, 3);
  assert_int_equal(p.M, 2);
  assert_true(p.lr == 0.1 && p.lr2 == 0.1);
  assert_true(p.sigma == 0.0 && p.wd == 0.0);
  assert_int_equal(p.batch, 1);
  assert_int_equal(p.train_v, 0);
  assert_int_equal(p.v_random, 0);
  assert_true(p.v0 == 1.0 && p.vstar == 1.0 && p.teacher_std == 1.0);
  assert_close(p.init_std, 0.05, 1e-15, 0.0); /* 1/sqrt(400) */
  ts_sgd_params_init(&p, TS_ACT_LINEAR, 100, 3, 2, 0.1);
  assert_close(p.init_std, 0.1, 1e-15, 0.0);
  ts_sgd_params_init(&p, TS_ACT_ERF, 400, 3, 2, 0.1);
  assert_true(p.init_std == 1.0);
}

static void test_invalid_params(void **state)
{
  ts_error_quiet(1);
  ts_sgd_params p;
  ts_sgd_params_init(&p, TS_ACT_ERF, 1, 2, 2, 0.1);
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd_params_init(&p, TS_ACT_ERF, 10, 0, 2, 0.1);
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd_params_init(&p, TS_ACT_ERF, 10, 2, 0, 0.1);
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd_params_init(&p, TS_ACT_ERF, 10, 2, 2, 0.0);
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd_params_init(&p, TS_ACT_ERF, 10, 2, 2, 0.1);
  p.batch = 0;
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd_params_init(&p, TS_ACT_ERF, 10, 2, 2, 0.1);
  p.sigma = -1.0;
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd_params_init(&p, TS_ACT_ERF, 10, 2, 2, 0.1);
  p.init_std = NAN;
  assert_null(ts_sgd_alloc(&p, 1));
  ts_sgd *s = make(TS_ACT_ERF, 10, 2, 2, 0.1, 1);
  assert_int_equal(ts_sgd_run(s, -1), TS_EINVAL);
  ts_scm_state *st = ts_scm_alloc(3, 2);
  assert_int_equal(ts_sgd_overlaps(s, st), TS_EINVAL);
  ts_scm_free(st);
  ts_sgd_free(s);
  ts_error_quiet(0);
}

/* The initial weights are the documented draws of stream (seed, 0): w* (M N, times teacher_std), then
 * w (K N, times init_std), then v (K) if v_random. */
static void test_init_draws(void **state)
{
  const int N = 53, K = 3, M = 2;
  ts_sgd_params p;
  ts_sgd_params_init(&p, TS_ACT_RELU, N, K, M, 0.1);
  p.teacher_std = 1.5;
  p.init_std = 0.25;
  p.v_random = 1;
  p.vstar = 2.0;
  ts_sgd *s = ts_sgd_alloc(&p, 4321);
  assert_non_null(s);
  ts_rng *r = ts_rng_alloc(4321, 0);
  double *z = malloc(sizeof(double) * (size_t)(M * N + K * N + K));
  assert_non_null(z);
  ts_rng_gaussian_fill(r, z, (size_t)(M * N + K * N + K));
  for (int j = 0; j < M * N; j++) assert_true(ts_sgd_wstar(s)[j] == 1.5 * z[j]);
  for (int j = 0; j < K * N; j++) assert_true(ts_sgd_w(s)[j] == 0.25 * z[M * N + j]);
  for (int k = 0; k < K; k++) assert_true(ts_sgd_v(s)[k] == z[M * N + K * N + k]);
  for (int m = 0; m < M; m++) assert_true(ts_sgd_vstar(s)[m] == 2.0);
  assert_true(ts_sgd_alpha(s) == 0.0);
  free(z);
  ts_rng_free(r);
  ts_sgd_free(s);
}

/* ---------- overlaps ---------- */

static void test_overlaps_direct(void **state)
{
  const int N = 37, K = 3, M = 2; /* N not a multiple of 4: the kernels' tails */
  ts_sgd *s = make(TS_ACT_ERF, N, K, M, 0.3, 7);
  assert_int_equal(ts_sgd_run(s, 50), TS_OK);
  ts_scm_state *st = ts_scm_alloc(K, M);
  assert_int_equal(ts_sgd_overlaps(s, st), TS_OK);
  const double *w = ts_sgd_w(s), *ws = ts_sgd_wstar(s);
  for (int i = 0; i < K; i++) {
    for (int k = 0; k < K; k++) assert_close(st->Q[i * K + k], dot_ld(w + i * N, w + k * N, N) / N, 1e-13, 1e-15);
    for (int n = 0; n < M; n++) assert_close(st->R[i * M + n], dot_ld(w + i * N, ws + n * N, N) / N, 1e-13, 1e-15);
    assert_true(st->v[i] == ts_sgd_v(s)[i]);
  }
  for (int n = 0; n < M; n++) {
    for (int m = 0; m < M; m++) assert_close(st->T[n * M + m], dot_ld(ws + n * N, ws + m * N, N) / N, 1e-13, 1e-15);
    assert_true(st->vstar[n] == ts_sgd_vstar(s)[n]);
  }
  ts_scm_free(st);
  ts_sgd_free(s);
}

/* ---------- one step by hand ---------- */

/* Replays n steps of the run with parameters p from weights w, v (modified in place) with the data stream
 * (seed, 1): every sample one fill of N+1 values (x, zeta); the mean of the batch's increments is applied
 * after weight decay. */
static void hand_steps(const ts_sgd_params *p, uint64_t seed, long n, double *w, double *v, const double *ws,
                       const double *vs)
{
  const int N = p->N, K = p->K, M = p->M, B = p->batch;
  ts_rng *r = ts_rng_alloc(seed, 1);
  double *x = malloc(sizeof(double) * (size_t)(N + 1));
  double *dw = malloc(sizeof(double) * (size_t)(K * N)), *dv = malloc(sizeof(double) * (size_t)K);
  double *lam = malloc(sizeof(double) * (size_t)K);
  assert_non_null(x);
  assert_non_null(dw);
  for (long t = 0; t < n; t++) {
    memset(dw, 0, sizeof(double) * (size_t)(K * N));
    memset(dv, 0, sizeof(double) * (size_t)K);
    for (int b = 0; b < B; b++) {
      ts_rng_gaussian_fill(r, x, (size_t)N + 1);
      double phi = 0.0, phis = 0.0;
      for (int k = 0; k < K; k++) {
        lam[k] = dot_ld(w + k * N, x, N) / sqrt((double)N);
        phi += v[k] * ts_act_g(p->act, lam[k]);
      }
      for (int m = 0; m < M; m++) phis += vs[m] * ts_act_g(p->act, dot_ld(ws + m * N, x, N) / sqrt((double)N));
      double e = phis + p->sigma * x[N] - phi;
      for (int k = 0; k < K; k++) {
        double c = p->lr / sqrt((double)N) * v[k] * ts_act_dg(p->act, lam[k]) * e / B;
        for (int j = 0; j < N; j++) dw[k * N + j] += c * x[j];
        dv[k] += p->lr2 / N * ts_act_g(p->act, lam[k]) * e / B;
      }
    }
    double a = 1.0 - p->wd / N;
    for (int j = 0; j < K * N; j++) w[j] = a * w[j] + dw[j];
    if (p->train_v)
      for (int k = 0; k < K; k++) v[k] = a * v[k] + dv[k];
  }
  free(x);
  free(dw);
  free(dv);
  free(lam);
  ts_rng_free(r);
}

static void check_hand(ts_act act, int N, int K, int M, int B, double wd, int train_v, long nsteps)
{
  const uint64_t seed = 55;
  ts_sgd_params p;
  ts_sgd_params_init(&p, act, N, K, M, 0.7);
  p.lr2 = 0.4;
  p.sigma = 0.3;
  p.wd = wd;
  p.batch = B;
  p.train_v = train_v;
  p.vstar = 1.3;
  ts_sgd *s = ts_sgd_alloc(&p, seed);
  assert_non_null(s);
  /* custom weights (a set initial condition, as the API allows): w from another stream, v varied */
  double *w = ts_sgd_w(s), *v = ts_sgd_v(s);
  ts_rng *q = ts_rng_alloc(999, 3);
  ts_rng_gaussian_fill(q, w, (size_t)(K * N));
  for (int j = 0; j < K * N; j++) w[j] *= 0.8;
  for (int k = 0; k < K; k++) v[k] = 0.5 + 0.25 * k;
  ts_rng_free(q);
  double *w0 = malloc(sizeof(double) * (size_t)(K * N)), *v0 = malloc(sizeof(double) * (size_t)K);
  memcpy(w0, w, sizeof(double) * (size_t)(K * N));
  memcpy(v0, v, sizeof(double) * (size_t)K);

  assert_int_equal(ts_sgd_run(s, nsteps), TS_OK);
  hand_steps(&p, seed, nsteps, w0, v0, ts_sgd_wstar(s), ts_sgd_vstar(s));
  for (int j = 0; j < K * N; j++) assert_close(w[j], w0[j], 1e-11, 1e-13);
  for (int k = 0; k < K; k++) assert_close(v[k], v0[k], 1e-11, 1e-13);
  if (!train_v)
    for (int k = 0; k < K; k++) assert_true(v[k] == 0.5 + 0.25 * k);
  assert_close(ts_sgd_alpha(s), (double)(nsteps * B) / N, 1e-15, 0.0);
  free(w0);
  free(v0);
  ts_sgd_free(s);
}

static void test_step_by_hand(void **state)
{
  for (int a = 0; a < 3; a++) {
    ts_act act = (ts_act)a;
    check_hand(act, 37, 3, 2, 1, 0.0, 0, 1); /* plain SCM step          */
    check_hand(act, 37, 3, 2, 1, 0.0, 1, 3); /* both layers, 3 steps    */
    check_hand(act, 41, 9, 3, 1, 2.0, 1, 2); /* weight decay; 8-row groups */
  }
}

static void test_minibatch_by_hand(void **state)
{
  for (int a = 0; a < 3; a++) {
    ts_act act = (ts_act)a;
    check_hand(act, 37, 3, 2, 3, 0.0, 1, 2); /* mean of 3 increments */
    check_hand(act, 30, 9, 2, 2, 1.0, 1, 2);
  }
}

/* batch = 1 is the plain step: every activation, with weight decay and both layers, 4 steps against the rule
 * written out per sample (hand_steps with B = 1) */
static void test_batch_one_equals_plain(void **state)
{
  for (int a = 0; a < 3; a++) check_hand((ts_act)a, 29, 2, 2, 1, 0.5, 1, 4);
}

/* ---------- determinism ---------- */

static void test_same_seed_bitwise(void **state)
{
  const int N = 100, K = 3, M = 2;
  ts_sgd *a = make(TS_ACT_ERF, N, K, M, 0.3, 11), *b = make(TS_ACT_ERF, N, K, M, 0.3, 11);
  ts_sgd *c = make(TS_ACT_ERF, N, K, M, 0.3, 12);
  assert_int_equal(ts_sgd_run(a, 500), TS_OK);
  /* in three calls: the runs continue the same data stream */
  assert_int_equal(ts_sgd_run(b, 100), TS_OK);
  assert_int_equal(ts_sgd_run(b, 0), TS_OK);
  assert_int_equal(ts_sgd_run(b, 400), TS_OK);
  assert_int_equal(ts_sgd_run(c, 500), TS_OK);
  assert_memory_equal(ts_sgd_w(a), ts_sgd_w(b), sizeof(double) * K * N);
  assert_memory_equal(ts_sgd_v(a), ts_sgd_v(b), sizeof(double) * K);
  assert_true(memcmp(ts_sgd_w(a), ts_sgd_w(c), sizeof(double) * K * N) != 0);
  assert_true(ts_sgd_alpha(a) == 5.0);
  ts_sgd_free(a);
  ts_sgd_free(b);
  ts_sgd_free(c);
}

enum { OMP_RUNS = 4, OMP_N = 64, OMP_K = 3, OMP_M = 2 };

static void omp_runs(int nthreads, double out[OMP_RUNS][OMP_K * OMP_N], int *status)
{
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 1)
  for (int i = 0; i < OMP_RUNS; i++) {
    ts_sgd_params p;
    ts_sgd_params_init(&p, TS_ACT_ERF, OMP_N, OMP_K, OMP_M, 0.4);
    p.sigma = 0.1;
    ts_sgd *s = ts_sgd_alloc(&p, 1000 + (uint64_t)i);
    if (!s || ts_sgd_run(s, 300) != TS_OK) {
      status[i] = 1;
    } else {
      memcpy(out[i], ts_sgd_w(s), sizeof(double) * OMP_K * OMP_N);
      status[i] = 0;
    }
    ts_sgd_free(s);
  }
}

static void test_openmp_independent_of_threads(void **state)
{
  static double serial[OMP_RUNS][OMP_K * OMP_N], par[OMP_RUNS][OMP_K * OMP_N];
  int st[OMP_RUNS];
  for (int i = 0; i < OMP_RUNS; i++) {
    ts_sgd_params p;
    ts_sgd_params_init(&p, TS_ACT_ERF, OMP_N, OMP_K, OMP_M, 0.4);
    p.sigma = 0.1;
    ts_sgd *s = ts_sgd_alloc(&p, 1000 + (uint64_t)i);
    assert_non_null(s);
    assert_int_equal(ts_sgd_run(s, 300), TS_OK);
    memcpy(serial[i], ts_sgd_w(s), sizeof serial[i]);
    ts_sgd_free(s);
  }
  for (int nt = 1; nt <= 2; nt++) {
    memset(par, 0, sizeof par);
    omp_runs(nt, par, st);
    for (int i = 0; i < OMP_RUNS; i++) {
      assert_int_equal(st[i], 0);
      assert_memory_equal(par[i], serial[i], sizeof serial[i]);
    }
  }
}

/* ---------- drift: the mean increment is the ODE's right-hand side ---------- */

/* Two students, two teachers: the expected single-step increments N E[dR_in] = lr v_i sum_j u_j I3(i, n, j) and
 * N E[dv_i] = lr2 sum_j u_j I2(i, j) (u = (-v, v*), fields with covariance [[Q, R], [R^T, T]] of the rows w0, ws),
 * goldt2020.md sec. 2. */
enum { DK = 2, DM = 2, DF = DK + DM };
static void drift_want(ts_act act, double lr, double lr2, const double *w0, const double *ws, const double *v0,
                       const double *vs, int N, double wantR[DK][DM], double wantv[DK])
{
  double C[DF][DF], u[DF];
  const double *rows[DF] = {w0, w0 + N, ws, ws + N};
  for (int a = 0; a < DF; a++)
    for (int b = 0; b < DF; b++) C[a][b] = dot_ld(rows[a], rows[b], N) / N;
  u[0] = -v0[0], u[1] = -v0[1], u[2] = vs[0], u[3] = vs[1];
  for (int i = 0; i < DK; i++) {
    for (int n = 0; n < DM; n++) {
      double sum = 0.0;
      for (int j = 0; j < DF; j++)
        sum += u[j] * ts_gauss_i3(act, C[i][i], C[i][DK + n], C[i][j], C[DK + n][j], C[j][j]);
      wantR[i][n] = lr * v0[i] * sum;
    }
    double sum = 0.0;
    for (int j = 0; j < DF; j++) sum += u[j] * ts_gauss_i2(act, C[i][i], C[i][j], C[j][j]);
    wantv[i] = lr2 * sum;
  }
}

/* Sums over single steps of N dR_in and N dv_i (and their squares), then the 5-SE comparison with the drift. */
typedef struct {
  double mR[DK][DM], sR[DK][DM], mv[DK], sv[DK];
  int S;
} drift_acc;

static void drift_add(drift_acc *a, const double *w, const double *w0, const double *v, const double *v0,
                      const double *ws, int N)
{
  for (int i = 0; i < DK; i++) {
    double d[64];
    assert_true(N <= 64);
    for (int j = 0; j < N; j++) d[j] = w[i * N + j] - w0[i * N + j];
    for (int n = 0; n < DM; n++) {
      double dr = dot_ld(d, ws + n * N, N); /* = N dR_in */
      a->mR[i][n] += dr;
      a->sR[i][n] += dr * dr;
    }
    double dv = (v[i] - v0[i]) * N;
    a->mv[i] += dv;
    a->sv[i] += dv * dv;
  }
  a->S++;
}

static void drift_check(const drift_acc *a, double wantR[DK][DM], const double wantv[DK])
{
  const int S = a->S;
  for (int i = 0; i < DK; i++) {
    for (int n = 0; n < DM; n++) {
      double mean = a->mR[i][n] / S, se = sqrt((a->sR[i][n] / S - mean * mean) / S);
      assert_close(mean, wantR[i][n], 0.0, 5.0 * se);
    }
    double mean = a->mv[i] / S, se = sqrt((a->sv[i] / S - mean * mean) / S);
    assert_close(mean, wantv[i], 0.0, 5.0 * se);
  }
}

/* From one fixed state, many independent single steps (weights reset after each): N E[dR_in] must equal
 * lr v_i sum_j u_j I3(i, n, j) and N E[dv_i] = lr2 sum_j u_j I2(i, j) (u = (-v, v*), fields with covariance
 * [[Q, R], [R^T, T]] of the state), goldt2020.md sec. 2.  Exact at any N: the fields of x ~ N(0, I) are exactly
 * Gaussian with that covariance.  Tolerance 5 SE of the sample mean. */
static void check_drift(ts_act act)
{
  const int N = 60, K = DK, M = DM, S = 40000;
  ts_sgd_params p;
  ts_sgd_params_init(&p, act, N, K, M, 0.5);
  p.lr2 = 0.3;
  p.train_v = 1;
  p.sigma = 0.2;
  p.init_std = 1.0;
  p.vstar = 1.2;
  ts_sgd *s = ts_sgd_alloc(&p, 8);
  assert_non_null(s);
  double *w = ts_sgd_w(s), *v = ts_sgd_v(s);
  const double *ws = ts_sgd_wstar(s), *vs = ts_sgd_vstar(s);
  /* student 0 partly aligned with teacher 0, student 1 with teacher 1 (negatively) */
  for (int j = 0; j < N; j++) {
    w[j] = 0.6 * ws[j] + 0.8 * w[j];
    w[N + j] = -0.4 * ws[N + j] + 0.7 * w[N + j];
  }
  v[0] = 0.8;
  v[1] = 1.1;
  double w0[2 * 60], v0[2];
  memcpy(w0, w, sizeof w0);
  memcpy(v0, v, sizeof v0);

  double wantR[DK][DM], wantv[DK];
  drift_want(act, p.lr, p.lr2, w0, ws, v0, vs, N, wantR, wantv);
  drift_acc acc = {0};
  for (int t = 0; t < S; t++) {
    memcpy(w, w0, sizeof w0);
    memcpy(v, v0, sizeof v0);
    assert_int_equal(ts_sgd_run(s, 1), TS_OK);
    drift_add(&acc, w, w0, v, v0, ws, N);
  }
  drift_check(&acc, wantR, wantv);
  ts_sgd_free(s);
}

static void test_drift_erf(void **state) { check_drift(TS_ACT_ERF); }
static void test_drift_relu(void **state) { check_drift(TS_ACT_RELU); }
static void test_drift_linear(void **state) { check_drift(TS_ACT_LINEAR); }

/* ---------- eps_g ---------- */

/* ts_sgd_eg (analytic, from the overlaps) against 1/2 <(phi - phi*)^2> over 2e5 fresh inputs, within 5 SE */
static void check_eg(ts_act act)
{
  const int N = 40, K = 3, M = 2, S = 200000;
  ts_sgd_params p;
  ts_sgd_params_init(&p, act, N, K, M, 0.1);
  p.init_std = 1.0;
  p.v_random = 1;
  p.vstar = 0.9;
  ts_sgd *s = ts_sgd_alloc(&p, 21);
  assert_non_null(s);
  const double *w = ts_sgd_w(s), *ws = ts_sgd_wstar(s), *v = ts_sgd_v(s), *vs = ts_sgd_vstar(s);
  ts_rng *r = ts_rng_alloc(77, 0);
  double x[40], m = 0.0, m2 = 0.0;
  for (int t = 0; t < S; t++) {
    ts_rng_gaussian_fill(r, x, N);
    double d = 0.0;
    for (int k = 0; k < K; k++) d += v[k] * ts_act_g(act, dot_ld(w + k * N, x, N) / sqrt((double)N));
    for (int n = 0; n < M; n++) d -= vs[n] * ts_act_g(act, dot_ld(ws + n * N, x, N) / sqrt((double)N));
    double e = 0.5 * d * d;
    m += e;
    m2 += e * e;
  }
  m /= S;
  double se = sqrt((m2 / S - m * m) / S);
  assert_close(ts_sgd_eg(s), m, 0.0, 5.0 * se);
  ts_rng_free(r);
  ts_sgd_free(s);
}

static void test_eg_monte_carlo(void **state)
{
  check_eg(TS_ACT_ERF);
  check_eg(TS_ACT_RELU);
  check_eg(TS_ACT_LINEAR);
}

/* ---------- divergence ---------- */

static void test_divergence(void **state)
{
  ts_error_quiet(1);
  /* linear with a huge learning rate: weights blow up exponentially */
  ts_sgd *s = make(TS_ACT_LINEAR, 50, 2, 1, 50.0, 1);
  assert_int_equal(ts_sgd_run(s, 100000), TS_EDIVERGE);
  assert_non_null(strstr(ts_error_last(), "alpha"));
  assert_true(ts_sgd_alpha(s) < 100000.0 / 50);
  ts_sgd_free(s);
  /* erf with an infinite weight: the residual stays finite (g saturates), the weight check catches it */
  s = make(TS_ACT_ERF, 50, 2, 1, 0.1, 1);
  ts_sgd_w(s)[3] = INFINITY;
  assert_int_equal(ts_sgd_run(s, 5), TS_EDIVERGE);
  ts_sgd_free(s);
  /* weights beyond the bound */
  s = make(TS_ACT_ERF, 50, 2, 1, 0.1, 1);
  for (int j = 0; j < 50; j++) ts_sgd_w(s)[j] = 1e5;
  assert_int_equal(ts_sgd_run(s, 1), TS_EDIVERGE);
  ts_sgd_free(s);
  ts_error_quiet(0);
  /* a sane run is not flagged */
  s = make(TS_ACT_ERF, 50, 2, 1, 0.5, 1);
  assert_int_equal(ts_sgd_run(s, 3000), TS_OK);
  ts_sgd_free(s);
}

/* ---------- steps on caller-provided samples (ts_sgd_step_on) ---------- */

/* One step of batch B from given inputs x (B x N) and noise zeta (B), recomputed by hand (long-double dots, the
 * update rule of ts_sgd.h written out): the mean of the B increments, applied after weight decay. */
static void hand_step_given(const ts_sgd_params *p, const double *x, const double *zeta, double *w, double *v,
                            const double *ws, const double *vs)
{
  const int N = p->N, K = p->K, M = p->M, B = p->batch;
  double *dw = calloc((size_t)(K * N), sizeof(double)), *dv = calloc((size_t)K, sizeof(double));
  assert_non_null(dw);
  assert_non_null(dv);
  for (int b = 0; b < B; b++) {
    const double *xb = x + (size_t)b * N;
    double lam[16], phi = 0.0, phis = 0.0;
    for (int k = 0; k < K; k++) {
      lam[k] = dot_ld(w + k * N, xb, N) / sqrt((double)N);
      phi += v[k] * ts_act_g(p->act, lam[k]);
    }
    for (int m = 0; m < M; m++) phis += vs[m] * ts_act_g(p->act, dot_ld(ws + m * N, xb, N) / sqrt((double)N));
    double e = phis + p->sigma * zeta[b] - phi;
    for (int k = 0; k < K; k++) {
      double c = p->lr / sqrt((double)N) * v[k] * ts_act_dg(p->act, lam[k]) * e / B;
      for (int j = 0; j < N; j++) dw[k * N + j] += c * xb[j];
      dv[k] += p->lr2 / N * ts_act_g(p->act, lam[k]) * e / B;
    }
  }
  double a = 1.0 - p->wd / N;
  for (int j = 0; j < K * N; j++) w[j] = a * w[j] + dw[j];
  if (p->train_v)
    for (int k = 0; k < K; k++) v[k] = a * v[k] + dv[k];
  free(dw);
  free(dv);
}

/* Inputs that are not Gaussian (uniform on (-2, 2), shifted by 0.3: non-zero mean, variance 4/3) and given noise:
 * the step is the rule of ts_sgd.h on exactly these samples, for every activation, batch 1 and 3, with weight decay
 * and both layers trained. */
static void check_step_on_hand(ts_act act, int N, int K, int M, int B, double wd, int train_v)
{
  ts_sgd_params p;
  ts_sgd_params_init(&p, act, N, K, M, 0.6);
  p.lr2 = 0.35;
  p.sigma = 0.4;
  p.wd = wd;
  p.batch = B;
  p.train_v = train_v;
  p.vstar = 1.2;
  ts_sgd *s = ts_sgd_alloc(&p, 31);
  assert_non_null(s);
  double *w = ts_sgd_w(s), *v = ts_sgd_v(s);
  for (int k = 0; k < K; k++) v[k] = 0.7 + 0.2 * k;
  /* positive student weights and inputs of positive mean: positive fields, so relu units are active */
  for (int j = 0; j < K * N; j++) w[j] = fabs(w[j]);
  ts_rng *r = ts_rng_alloc(123, 4);
  double *x = malloc(sizeof(double) * (size_t)(B * N)), zeta[8];
  assert_non_null(x);
  for (int j = 0; j < B * N; j++) x[j] = 0.3 + 4.0 * (ts_rng_uniform(r) - 0.5);
  for (int b = 0; b < B; b++) zeta[b] = ts_rng_gaussian(r);
  double *w0 = malloc(sizeof(double) * (size_t)(K * N)), v0[16];
  assert_non_null(w0);
  memcpy(w0, w, sizeof(double) * (size_t)(K * N));
  memcpy(v0, v, sizeof(double) * (size_t)K);
  double *wbefore = malloc(sizeof(double) * (size_t)(K * N));
  assert_non_null(wbefore);
  memcpy(wbefore, w, sizeof(double) * (size_t)(K * N));
  assert_int_equal(ts_sgd_step_on(s, x, zeta), TS_OK);
  hand_step_given(&p, x, zeta, w0, v0, ts_sgd_wstar(s), ts_sgd_vstar(s));
  for (int j = 0; j < K * N; j++) assert_close(w[j], w0[j], 1e-11, 1e-13);
  for (int k = 0; k < K; k++) assert_close(v[k], v0[k], 1e-11, 1e-13);
  /* the step moved the weights (a step that did nothing would pass the comparison above only if the hand step
   * also did nothing) */
  double moved = 0.0;
  for (int j = 0; j < K * N; j++) moved += fabs(w[j] - wbefore[j]);
  assert_true(moved > 0.0);
  assert_close(ts_sgd_alpha(s), (double)B / N, 1e-15, 0.0);
  free(wbefore);
  free(w0);
  free(x);
  ts_rng_free(r);
  ts_sgd_free(s);
}

static void test_step_on_by_hand(void **state)
{
  for (int a = 0; a < 3; a++) {
    check_step_on_hand((ts_act)a, 37, 3, 2, 1, 0.0, 0);
    check_step_on_hand((ts_act)a, 41, 9, 3, 3, 1.5, 1); /* batch, weight decay, 8-row groups */
  }
}

/* ts_sgd_run is ts_sgd_step_on on the data stream's fills (x = first N values, zeta = the last): bit for bit. */
static void check_step_on_equals_run(ts_act act, int B, double wd, int train_v)
{
  const int N = 43, K = 4, M = 2, steps = 25;
  const uint64_t seed = 808;
  ts_sgd_params p;
  ts_sgd_params_init(&p, act, N, K, M, 0.5);
  p.sigma = 0.2;
  p.wd = wd;
  p.batch = B;
  p.train_v = train_v;
  ts_sgd *a = ts_sgd_alloc(&p, seed), *b = ts_sgd_alloc(&p, seed);
  assert_non_null(a);
  assert_non_null(b);
  assert_int_equal(ts_sgd_run(a, steps), TS_OK);
  ts_rng *r = ts_rng_alloc(seed, 1);
  double *fill = malloc(sizeof(double) * (size_t)(N + 1)), *x = malloc(sizeof(double) * (size_t)(B * N)), zeta[4];
  assert_non_null(fill);
  assert_non_null(x);
  for (int t = 0; t < steps; t++) {
    for (int i = 0; i < B; i++) {
      ts_rng_gaussian_fill(r, fill, (size_t)N + 1);
      memcpy(x + (size_t)i * N, fill, sizeof(double) * (size_t)N);
      zeta[i] = fill[N];
    }
    assert_int_equal(ts_sgd_step_on(b, x, zeta), TS_OK);
  }
  assert_memory_equal(ts_sgd_w(a), ts_sgd_w(b), sizeof(double) * (size_t)(K * N));
  assert_memory_equal(ts_sgd_v(a), ts_sgd_v(b), sizeof(double) * (size_t)K);
  assert_true(ts_sgd_alpha(a) == ts_sgd_alpha(b));
  free(x);
  free(fill);
  ts_rng_free(r);
  ts_sgd_free(a);
  ts_sgd_free(b);
}

static void test_step_on_equals_run(void **state)
{
  for (int a = 0; a < 3; a++) {
    check_step_on_equals_run((ts_act)a, 1, 0.0, 0);
    check_step_on_equals_run((ts_act)a, 1, 0.7, 1);
    check_step_on_equals_run((ts_act)a, 3, 0.7, 1);
  }
}

/* zeta == NULL draws the label noise from the run's data stream, one ts_rng_gaussian per sample, in order. */
static void test_step_on_stream_noise(void **state)
{
  const int N = 30, K = 3, M = 2, B = 2;
  ts_sgd_params p;
  ts_sgd_params_init(&p, TS_ACT_ERF, N, K, M, 0.5);
  p.sigma = 0.5;
  p.batch = B;
  ts_sgd *a = ts_sgd_alloc(&p, 9), *b = ts_sgd_alloc(&p, 9);
  assert_non_null(a);
  assert_non_null(b);
  ts_rng *in = ts_rng_alloc(5, 7), *noise = ts_rng_alloc(9, 1);
  double x[2 * 30], zeta[2];
  for (int t = 0; t < 5; t++) {
    ts_rng_gaussian_fill(in, x, (size_t)(B * N));
    zeta[0] = ts_rng_gaussian(noise);
    zeta[1] = ts_rng_gaussian(noise);
    assert_int_equal(ts_sgd_step_on(a, x, NULL), TS_OK);
    assert_int_equal(ts_sgd_step_on(b, x, zeta), TS_OK);
  }
  assert_memory_equal(ts_sgd_w(a), ts_sgd_w(b), sizeof(double) * (size_t)(K * N));
  ts_rng_free(in);
  ts_rng_free(noise);
  ts_sgd_free(a);
  ts_sgd_free(b);
}

/* The statistics of the new path with fresh Gaussian inputs supplied by the caller (an independent stream): from
 * one fixed state, the mean over S single steps of N dR_in and N dv_i must equal the ODE drift (goldt2020.md sec. 2,
 * evaluated with ts_gauss), as check_drift does for ts_sgd_run.  Exact at any N (the fields of x ~ N(0, I) are
 * exactly Gaussian with covariance [[Q, R], [R^T, T]]); tolerance 5 SE of the sample mean. */
static void test_step_on_gaussian_drift(void **state)
{
  enum { N = 50, K = DK, M = DM };
  const int S = 40000;
  ts_sgd_params p;
  ts_sgd_params_init(&p, TS_ACT_ERF, N, K, M, 0.5);
  p.lr2 = 0.4;
  p.train_v = 1;
  p.sigma = 0.3;
  ts_sgd *s = ts_sgd_alloc(&p, 17);
  assert_non_null(s);
  double *w = ts_sgd_w(s), *v = ts_sgd_v(s);
  const double *ws = ts_sgd_wstar(s), *vs = ts_sgd_vstar(s);
  for (int j = 0; j < N; j++) {
    w[j] = 0.5 * ws[j] + 0.9 * w[j];
    w[N + j] = 0.3 * ws[N + j] - 0.6 * w[N + j];
  }
  v[0] = 0.9;
  v[1] = 1.2;
  double w0[K * N], v0[K] = {v[0], v[1]};
  memcpy(w0, w, sizeof w0);
  double wantR[DK][DM], wantv[DK];
  drift_want(TS_ACT_ERF, p.lr, p.lr2, w0, ws, v0, vs, N, wantR, wantv);
  ts_rng *in = ts_rng_alloc(4242, 9);
  double x[N], zeta;
  drift_acc acc = {0};
  for (int t = 0; t < S; t++) {
    memcpy(w, w0, sizeof w0);
    v[0] = v0[0];
    v[1] = v0[1];
    ts_rng_gaussian_fill(in, x, N);
    zeta = ts_rng_gaussian(in);
    assert_int_equal(ts_sgd_step_on(s, x, &zeta), TS_OK);
    drift_add(&acc, w, w0, v, v0, ws, N);
  }
  drift_check(&acc, wantR, wantv);
  ts_rng_free(in);
  ts_sgd_free(s);
}

/* Bad arguments are refused without touching the run; non-finite inputs are caught as divergence. */
static void test_step_on_errors(void **state)
{
  ts_error_quiet(1);
  const int N = 20;
  double x[20];
  for (int j = 0; j < N; j++) x[j] = 1.0;
  assert_int_equal(ts_sgd_step_on(NULL, x, NULL), TS_EINVAL);
  ts_sgd *s = make(TS_ACT_LINEAR, N, 2, 1, 0.1, 3);
  assert_int_equal(ts_sgd_step_on(s, NULL, NULL), TS_EINVAL);
  assert_true(ts_sgd_alpha(s) == 0.0);
  x[4] = NAN; /* linear: the residual is NaN */
  assert_int_equal(ts_sgd_step_on(s, x, NULL), TS_EDIVERGE);
  assert_non_null(strstr(ts_error_last(), "alpha"));
  ts_sgd_free(s);
  /* erf with an infinite input entry: the residual stays finite (g saturates) but the weights become NaN; the
   * periodic check (every 1000 calls) and ts_sgd_run(s, 0) catch it */
  s = make(TS_ACT_ERF, N, 2, 1, 0.1, 3);
  x[4] = INFINITY;
  int rc = TS_OK, calls = 0;
  while (rc == TS_OK && calls < 2000) {
    rc = ts_sgd_step_on(s, x, NULL);
    calls++;
  }
  assert_int_equal(rc, TS_EDIVERGE);
  assert_true(calls <= 1000);
  assert_int_equal(ts_sgd_run(s, 0), TS_EDIVERGE);
  ts_sgd_free(s);
  ts_error_quiet(0);
}

/* ---------- groups of students on one input stream (ts_sgd_group) ---------- */

/* n members of sizes Ks (seeds 100 + i), the teacher copied from member 0; member i gets its own sigma, rates, weight
 * decay and train_v so that the test covers members that differ in everything a group allows. */
static void group_members(ts_act act, int N, int M, int B, const int *Ks, int n, ts_sgd **out)
{
  for (int i = 0; i < n; i++) {
    ts_sgd_params p;
    ts_sgd_params_init(&p, act, N, Ks[i], M, 0.1 + 0.02 * i);
    p.batch = B;
    p.sigma = 0.1 * i;
    p.lr2 = 0.1 + 0.03 * i;
    p.train_v = i % 2;
    p.v_random = i % 2;
    p.wd = i == 2 ? 0.5 : 0.0;
    out[i] = ts_sgd_alloc(&p, 100 + (uint64_t)i);
    assert_non_null(out[i]);
    if (i) assert_int_equal(ts_sgd_copy_teacher(out[i], out[0]), TS_OK);
  }
}

/* Group stepping = ts_sgd_step_on of each member on the group's samples (stream (seed, 1), one fill of B(N+1) per
 * step), bit for bit, across the periodic weight checks; the members' sizes include 9 (two row groups of the
 * kernels). */
static void check_group_equals_step_on(ts_act act, int B)
{
  enum { n = 4, N = 23, M = 3, STEPS = 1100 };
  const int Ks[n] = {1, 3, 9, 2};
  const uint64_t seed = 77;
  ts_sgd *a[n], *b[n];
  group_members(act, N, M, B, Ks, n, a);
  group_members(act, N, M, B, Ks, n, b);
  ts_sgd_group *g = ts_sgd_group_alloc(a, n, seed);
  assert_non_null(g);
  assert_int_equal(ts_sgd_group_run(g, STEPS - 100), TS_OK);
  assert_int_equal(ts_sgd_group_run(g, 100), TS_OK);
  ts_rng *r = ts_rng_alloc(seed, 1);
  double buf[3 * (N + 1)], x[3 * N], zeta[3];
  for (int t = 0; t < STEPS; t++) {
    ts_rng_gaussian_fill(r, buf, (size_t)B * (N + 1));
    for (int s = 0; s < B; s++) {
      memcpy(x + s * N, buf + s * (N + 1), N * sizeof(double));
      zeta[s] = buf[s * (N + 1) + N];
    }
    for (int i = 0; i < n; i++) assert_int_equal(ts_sgd_step_on(b[i], x, zeta), TS_OK);
  }
  for (int i = 0; i < n; i++) {
    assert_memory_equal(ts_sgd_w(a[i]), ts_sgd_w(b[i]), sizeof(double) * (size_t)Ks[i] * N);
    assert_memory_equal(ts_sgd_v(a[i]), ts_sgd_v(b[i]), sizeof(double) * (size_t)Ks[i]);
    assert_true(ts_sgd_alpha(a[i]) == ts_sgd_alpha(b[i]));
    assert_true(ts_sgd_alpha(a[i]) == (double)STEPS * B / N);
  }
  /* the members really moved (the comparison is not between untouched weights) */
  ts_sgd *c[n];
  group_members(act, N, M, B, Ks, n, c);
  assert_true(memcmp(ts_sgd_w(a[1]), ts_sgd_w(c[1]), sizeof(double) * 3 * N) != 0);
  ts_rng_free(r);
  ts_sgd_group_free(g);
  for (int i = 0; i < n; i++) ts_sgd_free(a[i]), ts_sgd_free(b[i]), ts_sgd_free(c[i]);
}

static void test_group_equals_step_on(void **state)
{
  for (int act = 0; act < 3; act++) {
    check_group_equals_step_on((ts_act)act, 1);
    check_group_equals_step_on((ts_act)act, 3);
  }
}

/* A group of one member allocated with the group's seed is the ordinary run (ts_sgd_run), bit for bit. */
static void test_group_of_one_is_run(void **state)
{
  for (int B = 1; B <= 2; B++) {
    ts_sgd_params p;
    ts_sgd_params_init(&p, TS_ACT_ERF, 31, 4, 2, 0.4);
    p.sigma = 0.3;
    p.batch = B;
    p.train_v = 1;
    ts_sgd *a = ts_sgd_alloc(&p, 5), *b = ts_sgd_alloc(&p, 5);
    ts_sgd_group *g = ts_sgd_group_alloc(&a, 1, 5);
    assert_non_null(g);
    assert_int_equal(ts_sgd_group_run(g, 1500), TS_OK);
    assert_int_equal(ts_sgd_run(b, 1500), TS_OK);
    assert_memory_equal(ts_sgd_w(a), ts_sgd_w(b), sizeof(double) * 4 * 31);
    assert_memory_equal(ts_sgd_v(a), ts_sgd_v(b), sizeof(double) * 4);
    assert_true(ts_sgd_alpha(a) == ts_sgd_alpha(b));
    assert_true(ts_sgd_eg(a) == ts_sgd_eg(b));
    ts_sgd_group_free(g);
    ts_sgd_free(a);
    ts_sgd_free(b);
  }
}

/* One teacher: members drawn with different seeds have different teachers and are refused until the teacher is
 * copied; then every member's w*, v* is member 0's, and a member's trajectory does not depend on the other members
 * (alone, or in a group with others one of which is retired half-way). */
static void test_group_one_teacher(void **state)
{
  ts_error_quiet(1);
  enum { N = 40, M = 2 };
  ts_sgd *m[3];
  for (int i = 0; i < 3; i++) m[i] = make(TS_ACT_RELU, N, 2 + i, M, 0.2, 10 + (uint64_t)i);
  assert_true(memcmp(ts_sgd_wstar(m[0]), ts_sgd_wstar(m[1]), sizeof(double) * M * N) != 0);
  assert_null(ts_sgd_group_alloc(m, 3, 1));
  assert_non_null(strstr(ts_error_last(), "teacher"));
  for (int i = 1; i < 3; i++) assert_int_equal(ts_sgd_copy_teacher(m[i], m[0]), TS_OK);
  ts_sgd_vstar(m[2])[1] = 0.5; /* v* is part of the teacher */
  assert_null(ts_sgd_group_alloc(m, 3, 1));
  ts_sgd_vstar(m[2])[1] = 1.0;
  for (int i = 1; i < 3; i++) {
    assert_memory_equal(ts_sgd_wstar(m[i]), ts_sgd_wstar(m[0]), sizeof(double) * M * N);
    assert_memory_equal(ts_sgd_vstar(m[i]), ts_sgd_vstar(m[0]), sizeof(double) * M);
  }
  ts_sgd_group *g = ts_sgd_group_alloc(m, 3, 9);
  assert_non_null(g);
  /* member 1 alone in a group of the same seed, from the same start */
  ts_sgd *solo = make(TS_ACT_RELU, N, 3, M, 0.2, 11);
  assert_int_equal(ts_sgd_copy_teacher(solo, m[0]), TS_OK);
  ts_sgd_group *g1 = ts_sgd_group_alloc(&solo, 1, 9);
  assert_non_null(g1);
  assert_int_equal(ts_sgd_group_run(g, 300), TS_OK);
  assert_int_equal(ts_sgd_group_retire(g, 2), TS_OK);
  assert_int_equal(ts_sgd_group_run(g, 300), TS_OK);
  assert_int_equal(ts_sgd_group_run(g1, 600), TS_OK);
  assert_memory_equal(ts_sgd_w(m[1]), ts_sgd_w(solo), sizeof(double) * 3 * N);
  assert_true(ts_sgd_alpha(m[2]) == 300.0 / N); /* retired: not stepped further */
  assert_true(ts_sgd_alpha(m[1]) == 600.0 / N);
  ts_sgd_group_free(g1);
  ts_sgd_group_free(g);
  ts_sgd_free(solo);
  for (int i = 0; i < 3; i++) ts_sgd_free(m[i]);
  ts_error_quiet(0);
}

/* The shared samples are standard Gaussians: over S steps of N = 50 inputs and one zeta each, the sample means are
 * 0 within 4 SE (SE = 1/sqrt(count)) and the sample variances 1 within 4 SE (SE = sqrt(2/count)); the inputs equal
 * the stream (seed, 1) fills. */
static void test_group_sample_moments(void **state)
{
  enum { N = 50, S = 20000 };
  ts_sgd *m = make(TS_ACT_ERF, N, 2, 1, 0.01, 3);
  ts_sgd_group *g = ts_sgd_group_alloc(&m, 1, 123);
  assert_non_null(g);
  ts_rng *r = ts_rng_alloc(123, 1);
  double want[N + 1];
  double sx = 0, sxx = 0, sz = 0, szz = 0;
  for (int t = 0; t < S; t++) {
    assert_int_equal(ts_sgd_group_run(g, 1), TS_OK);
    const double *x = ts_sgd_group_samples(g);
    ts_rng_gaussian_fill(r, want, N + 1);
    assert_memory_equal(x, want, sizeof want);
    for (int j = 0; j < N; j++) sx += x[j], sxx += x[j] * x[j];
    sz += x[N], szz += x[N] * x[N];
  }
  const double nx = (double)S * N, nz = S;
  double mx = sx / nx, vx = sxx / nx - mx * mx, mz = sz / nz, vz = szz / nz - mz * mz;
  assert_true(fabs(mx) < 4 / sqrt(nx));
  assert_true(fabs(vx - 1) < 4 * sqrt(2 / nx));
  assert_true(fabs(mz) < 4 / sqrt(nz));
  assert_true(fabs(vz - 1) < 4 * sqrt(2 / nz));
  ts_rng_free(r);
  ts_sgd_group_free(g);
  ts_sgd_free(m);
}

/* Bad groups are refused with a reason; a diverging member is named. */
static void test_group_errors(void **state)
{
  ts_error_quiet(1);
  enum { N = 20 };
  ts_sgd *a = make(TS_ACT_ERF, N, 2, 2, 0.1, 1), *m[2];
  assert_null(ts_sgd_group_alloc(NULL, 1, 1));
  assert_null(ts_sgd_group_alloc(&a, 0, 1));
  m[0] = a, m[1] = NULL;
  assert_null(ts_sgd_group_alloc(m, 2, 1));
  m[1] = a; /* the same run twice */
  assert_null(ts_sgd_group_alloc(m, 2, 1));
  assert_non_null(strstr(ts_error_last(), "same run"));
  /* N, M, activation, batch must agree */
  ts_sgd *bad[4] = {make(TS_ACT_ERF, N + 1, 2, 2, 0.1, 1), make(TS_ACT_ERF, N, 2, 3, 0.1, 1),
                    make(TS_ACT_RELU, N, 2, 2, 0.1, 1), NULL};
  ts_sgd_params p;
  ts_sgd_params_init(&p, TS_ACT_ERF, N, 2, 2, 0.1);
  p.batch = 2;
  bad[3] = ts_sgd_alloc(&p, 1);
  for (int i = 0; i < 4; i++) {
    m[1] = bad[i];
    if (i >= 2) assert_int_equal(ts_sgd_copy_teacher(bad[i], a), TS_OK);
    else assert_int_equal(ts_sgd_copy_teacher(bad[i], a), TS_EINVAL);
    assert_null(ts_sgd_group_alloc(m, 2, 1));
  }
  assert_int_equal(ts_sgd_copy_teacher(NULL, a), TS_EINVAL);
  m[1] = make(TS_ACT_ERF, N, 5, 2, 0.1, 2);
  assert_int_equal(ts_sgd_copy_teacher(m[1], a), TS_OK);
  ts_sgd_group *g = ts_sgd_group_alloc(m, 2, 1);
  assert_non_null(g);
  assert_int_equal(ts_sgd_group_run(g, -1), TS_EINVAL);
  assert_int_equal(ts_sgd_group_retire(g, 2), TS_EINVAL);
  assert_int_equal(ts_sgd_group_retire(g, -1), TS_EINVAL);
  assert_int_equal(ts_sgd_group_status(g, 1), TS_OK);
  assert_int_equal(ts_sgd_group_status(g, 2), TS_EINVAL);
  assert_int_equal(ts_sgd_group_run(g, 10), TS_OK);
  /* member 1 now diverges: named, with its alpha and K, and retired; member 0 goes on as a group of one would */
  ts_sgd *solo = make(TS_ACT_ERF, N, 2, 2, 0.1, 1);
  ts_sgd_group *g1 = ts_sgd_group_alloc(&solo, 1, 1);
  assert_int_equal(ts_sgd_group_run(g1, 30), TS_OK);
  ts_sgd_w(m[1])[3] = NAN;
  assert_int_equal(ts_sgd_group_run(g, 10), TS_EDIVERGE);
  assert_non_null(strstr(ts_error_last(), "alpha = 0.5 "));
  assert_non_null(strstr(ts_error_last(), "K = 5"));
  assert_int_equal(ts_sgd_group_status(g, 0), TS_OK);
  assert_int_equal(ts_sgd_group_status(g, 1), TS_EDIVERGE);
  assert_true(ts_sgd_alpha(m[1]) == 10.0 / N);
  assert_int_equal(ts_sgd_group_run(g, 10), TS_OK);
  assert_memory_equal(ts_sgd_w(a), ts_sgd_w(solo), sizeof(double) * 2 * N);
  ts_sgd_group_free(g1);
  ts_sgd_free(solo);
  ts_sgd_group_free(g);
  ts_sgd_group_free(NULL);
  for (int i = 0; i < 4; i++) ts_sgd_free(bad[i]);
  ts_sgd_free(m[1]);
  ts_sgd_free(a);
  ts_error_quiet(0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_params_defaults),
      cmocka_unit_test(test_invalid_params),
      cmocka_unit_test(test_init_draws),
      cmocka_unit_test(test_overlaps_direct),
      cmocka_unit_test(test_step_by_hand),
      cmocka_unit_test(test_minibatch_by_hand),
      cmocka_unit_test(test_batch_one_equals_plain),
      cmocka_unit_test(test_same_seed_bitwise),
      cmocka_unit_test(test_openmp_independent_of_threads),
      cmocka_unit_test(test_drift_erf),
      cmocka_unit_test(test_drift_relu),
      cmocka_unit_test(test_drift_linear),
      cmocka_unit_test(test_eg_monte_carlo),
      cmocka_unit_test(test_divergence),
      cmocka_unit_test(test_step_on_by_hand),
      cmocka_unit_test(test_step_on_equals_run),
      cmocka_unit_test(test_step_on_stream_noise),
      cmocka_unit_test(test_step_on_gaussian_drift),
      cmocka_unit_test(test_step_on_errors),
      cmocka_unit_test(test_group_equals_step_on),
      cmocka_unit_test(test_group_of_one_is_run),
      cmocka_unit_test(test_group_one_teacher),
      cmocka_unit_test(test_group_sample_moments),
      cmocka_unit_test(test_group_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
