/* Tests of papers/veiga2022/lib_veiga.c: region boundaries with their tolerance bands, time exponents and step
 * counts, the record grid, and the region ODEs as the shared engine with the right coefficients (blue = the full
 * Saad–Solla right-hand side; green = gradient part only; orange = noise part only, M frozen); the Figure IC
 * (MT19937 reference outputs, NumPy's double and polar normal by hand, published NumPy values); ts_sgd's step against
 * the sheet's update by hand; simulation initial conditions, record times, the Euler order of the ODE runner,
 * thread-invariance of job batches. */
#include <omp.h>
#include <string.h>

#include "ts_err.h"
#include "ts_rng.h"
#include "ts_sgd.h"
#include "ts_test.h"
#include "veiga2022/veiga.h"
#include "../papers/veiga2022/lib_veiga.c"

static void test_regions(void **st)
{
  veiga_region r;
  const double tol = 1e-9;
  struct { double kappa, delta; veiga_region want; } cases[] = {
      {0, 0, VEIGA_BLUE},       {1.5, -1.5, VEIGA_BLUE},   {0.3, -0.3 + 1e-12, VEIGA_BLUE},
      {0, 0.5, VEIGA_GREEN},    {1.5, -0.5, VEIGA_GREEN},  {0, 1e-6, VEIGA_GREEN},
      {0, -0.375, VEIGA_ORANGE}, {1.25, -1.5, VEIGA_ORANGE}, {0, -0.4999, VEIGA_ORANGE},
      {1.1, -2.2, VEIGA_RED},   {0, -0.6, VEIGA_RED}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(veiga_region_of(cases[i].kappa, cases[i].delta, tol, &r), TS_OK);
    assert_int_equal(r, cases[i].want);
  }
  ts_error_quiet(1);
  assert_int_equal(veiga_region_of(0, -0.5, tol, &r), TS_EINVAL);        /* orange/red boundary */
  assert_int_equal(veiga_region_of(0.25, -0.75, tol, &r), TS_EINVAL);    /* same boundary, kappa > 0 */
  assert_int_equal(veiga_region_of(NAN, 0, tol, &r), TS_EINVAL);
  assert_int_equal(veiga_region_of(0, 0, -1, &r), TS_EINVAL);
  ts_error_quiet(0);
  assert_string_equal(veiga_region_name(VEIGA_ORANGE), "orange");
}

static void test_theta_steps_grid(void **st)
{
  assert_close(veiga_theta(VEIGA_GREEN, 0, 0.5), 0.5, 0, 0);
  assert_close(veiga_theta(VEIGA_ORANGE, 0, -0.375), -0.75, 0, 0);
  assert_true(isnan(veiga_theta(VEIGA_RED, 0, -1)));
  /* green delta = 1/2, d = 100: x_scale = 100^1.5 = 1000 */
  assert_int_equal(veiga_steps_for_time(VEIGA_GREEN, 0, 0.5, 100, 7), 7000);
  /* orange delta = -3/8, d = 10^4: x_scale = 10^(4/4) = 10 */
  assert_int_equal(veiga_steps_for_time(VEIGA_ORANGE, 0, -0.375, 1e4, 3), 30);
  assert_int_equal(veiga_steps_for_time(VEIGA_BLUE, 0, 0, 1000, 2.5), 2500);
  double t[64];
  assert_int_equal(veiga_record_grid(2, t), 19);
  assert_close(t[0], 1, 0, 0);
  assert_close(t[8], 9, 0, 0);
  assert_close(t[9], 10, 0, 0);
  assert_close(t[17], 90, 0, 0);
  assert_close(t[18], 100, 0, 0);
  assert_int_equal(veiga_record_grid(0, t), 1);
  assert_int_equal(veiga_record_grid(-1, t), -1);
}

/* The region right-hand sides split the blue one: blue = green + orange term by term (gradient + noise). */
static void test_region_odes_split_blue(void **st)
{
  const int p = 8, k = 4;
  ts_scm_state *s = ts_scm_alloc(p, k), *db = ts_scm_alloc(p, k), *dg = ts_scm_alloc(p, k), *dor = ts_scm_alloc(p, k);
  veiga_state_init(s);
  for (int i = 0; i < p; i++) {
    for (int j = 0; j < p; j++) s->Q[i * p + j] = (i == j) ? 1.0 : 0.1 * cos(i + 2.0 * j) * cos(j + 2.0 * i);
    for (int r = 0; r < k; r++) s->R[i * k + r] = 0.3 * sin(1.0 + i + 3.0 * r);
  }
  ts_ode_params pb, pg, po;
  assert_int_equal(veiga_ode_params(VEIGA_BLUE, p, k, 8.0, 1e-3, &pb), TS_OK);
  assert_int_equal(veiga_ode_params(VEIGA_GREEN, p, k, 8.0, 1e-3, &pg), TS_OK);
  assert_int_equal(veiga_ode_params(VEIGA_ORANGE, p, k, 8.0, 1e-3, &po), TS_OK);
  ts_ode *wb = ts_ode_alloc(&pb), *wg = ts_ode_alloc(&pg), *wo = ts_ode_alloc(&po);
  assert_int_equal(ts_ode_rhs(wb, s, db), TS_OK);
  assert_int_equal(ts_ode_rhs(wg, s, dg), TS_OK);
  assert_int_equal(ts_ode_rhs(wo, s, dor), TS_OK);
  for (int j = 0; j < p * p; j++) assert_close(dg->Q[j] + dor->Q[j], db->Q[j], 1e-12, 1e-15);
  for (int j = 0; j < p * k; j++) {
    assert_close(dg->R[j], db->R[j], 1e-14, 0);
    assert_close(dor->R[j], 0, 0, 0); /* orange: M frozen */
  }
  /* the noise part scales as Delta + (I4 sums) and is (gamma0/p)^2 times E[g'g'(y-f)^2] > 0 on the diagonal */
  for (int i = 0; i < p; i++) assert_true(dor->Q[i * p + i] > 0);
  ts_error_quiet(1);
  ts_ode_params pr;
  assert_int_equal(veiga_ode_params(VEIGA_RED, p, k, 8.0, 1e-3, &pr), TS_EINVAL);
  ts_error_quiet(0);
  ts_ode_free(wb); ts_ode_free(wg); ts_ode_free(wo);
  ts_scm_free(s); ts_scm_free(db); ts_scm_free(dg); ts_scm_free(dor);
}

/* Risk at the perfect student (W = W*, p = k) is 0; with Q = I, M = 0 it is the sheet's formula by hand. */
static void test_risk(void **st)
{
  ts_scm_state *s = ts_scm_alloc(4, 4);
  veiga_state_init(s);
  for (int i = 0; i < 4; i++) s->R[i * 4 + i] = 1;
  assert_close(veiga_risk(s), 0, 0, 1e-15);
  memset(s->R, 0, 16 * sizeof(double));
  /* (1/pi)[(1/k^2) k asin(1/2) + (1/p^2) p asin(1/2)] = (2/(4 pi)) (pi/6) = 1/12 */
  assert_close(veiga_risk(s), 1.0 / 12, 1e-14, 0);
  ts_scm_free(s);
}

/* MT19937 reference outputs (public properties of the algorithm): init_genrand(5489) starts 3499211612, 581869302,
 * 3890346734, 3586334585, 545404204, and its 10000th output is 4123659995 (the C++ standard's check of mt19937);
 * init_genrand(0) starts 2357136044 (std::mt19937(0)). */
static void test_mt19937_reference(void **st)
{
  veiga_np_legacy g;
  veiga_np_seed(&g, 5489);
  const uint32_t want[5] = {3499211612u, 581869302u, 3890346734u, 3586334585u, 545404204u};
  for (int i = 0; i < 5; i++) assert_true(veiga_np_u32(&g) == want[i]);
  uint32_t x = 0;
  for (int i = 5; i < 10000; i++) x = veiga_np_u32(&g);
  assert_true(x == 4123659995u);
  veiga_np_seed(&g, 0);
  assert_true(veiga_np_u32(&g) == 2357136044u);
}

/* NumPy's legacy double and polar normal rebuilt by hand from the raw 32-bit outputs: u = (a 2^26 + b) / 2^53 with
 * a = out >> 5, b = out >> 6; pairs (x1, x2) = 2u - 1 until 0 < r^2 < 1; the first normal is f x2, the second the
 * cached f x1. */
static void test_np_polar_by_hand(void **st)
{
  veiga_np_legacy raw, g;
  veiga_np_seed(&raw, 0);
  veiga_np_seed(&g, 0);
  double x1, x2, r2;
  do {
    double u[2];
    for (int h = 0; h < 2; h++) {
      uint32_t a = veiga_np_u32(&raw) >> 5, b = veiga_np_u32(&raw) >> 6;
      u[h] = (a * 67108864.0 + b) / 9007199254740992.0;
    }
    x1 = 2 * u[0] - 1;
    x2 = 2 * u[1] - 1;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1 || r2 == 0);
  double f = sqrt(-2 * log(r2) / r2);
  assert_close(veiga_np_randn(&g), f * x2, 0, 0);
  assert_close(veiga_np_randn(&g), f * x1, 0, 0);
  /* the published output of NumPy's np.random.seed(0); np.random.randn(3) */
  veiga_np_seed(&g, 0);
  assert_close(veiga_np_randn(&g), 1.764052345967664, 1e-15, 0);
  assert_close(veiga_np_randn(&g), 0.4001572083672233, 1e-15, 0);
  assert_close(veiga_np_randn(&g), 0.9787379841057392, 1e-15, 0);
}

/* Figure IC: unit rows of A, Q = A A^T (diagonal 1, symmetric), M = A, P = I, v = 1/8, v* = 1/4; the state is
 * rejected for other sizes. */
static void test_figure_ic_state(void **st)
{
  double A[32];
  veiga_figure_ic_matrix(A);
  ts_scm_state *s = ts_scm_alloc(8, 4);
  assert_int_equal(veiga_figure_ic_state(s), TS_OK);
  for (int i = 0; i < 8; i++) {
    double n2 = 0;
    for (int r = 0; r < 4; r++) {
      n2 += A[i * 4 + r] * A[i * 4 + r];
      assert_close(s->R[i * 4 + r], A[i * 4 + r], 0, 0);
    }
    assert_close(n2, 1, 1e-15, 0);
    assert_close(s->Q[i * 8 + i], 1, 1e-15, 0);
    for (int j = 0; j < 8; j++) assert_close(s->Q[i * 8 + j], s->Q[j * 8 + i], 0, 0);
    assert_close(s->v[i], 0.125, 0, 0);
  }
  for (int r = 0; r < 4; r++) {
    assert_close(s->vstar[r], 0.25, 0, 0);
    for (int q = 0; q < 4; q++) assert_close(s->T[r * 4 + q], r == q, 0, 0);
  }
  /* the first entry is NumPy's first normal over the norm of the first row */
  veiga_np_legacy g;
  veiga_np_seed(&g, 0);
  double a[4], n2 = 0;
  for (int r = 0; r < 4; r++) { a[r] = veiga_np_randn(&g); n2 += a[r] * a[r]; }
  assert_close(A[0], a[0] / sqrt(n2), 1e-15, 0);
  ts_scm_state *bad = ts_scm_alloc(4, 4);
  ts_error_quiet(1);
  assert_int_equal(veiga_figure_ic_state(bad), TS_EINVAL);
  ts_error_quiet(0);
  ts_scm_free(bad);
  ts_scm_free(s);
}

/* ts_sgd with veiga_sgd_params IS the sheet's step: w_i <- w_i + (gamma/p)(y - f) g'(lambda_i) x/sqrt d with
 * gamma = gamma0 d^-delta, f = (1/p) sum g(lambda), y = (1/k) sum g(rho) + sqrt(Delta) xi, g = erf(./sqrt 2).
 * The sample is redrawn from the documented data stream (seed, 1): N + 1 normals, x then xi. */
static void test_sgd_step_is_the_sheets(void **st)
{
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = 40;
  sp.p = 3;
  sp.k = 2;
  sp.delta = 0.25;
  sp.Delta = 0.01;
  sp.ic = VEIGA_IC_GAUSS;
  const uint64_t seed = 77;
  ts_sgd *s = veiga_sim_alloc(&sp, seed);
  assert_non_null(s);
  const int d = sp.d, p = sp.p, k = sp.k;
  double w0[3 * 40], ws[2 * 40], x[41];
  memcpy(w0, ts_sgd_w(s), sizeof w0);
  memcpy(ws, ts_sgd_wstar(s), sizeof ws);
  assert_int_equal(ts_sgd_run(s, 1), TS_OK);
  ts_rng *r = ts_rng_alloc(seed, 1);
  ts_rng_gaussian_fill(r, x, (size_t)d + 1);
  ts_rng_free(r);
  double lam[3], f = 0, y = 0;
  for (int i = 0; i < p; i++) {
    lam[i] = 0;
    for (int j = 0; j < d; j++) lam[i] += w0[i * d + j] * x[j];
    lam[i] /= sqrt((double)d);
    f += erf(lam[i] / sqrt(2.0)) / p;
  }
  for (int q = 0; q < k; q++) {
    double rho = 0;
    for (int j = 0; j < d; j++) rho += ws[q * d + j] * x[j];
    y += erf(rho / sqrt((double)d) / sqrt(2.0)) / k;
  }
  y += sqrt(sp.Delta) * x[d];
  const double gamma = sp.gamma0 * pow((double)d, -sp.delta);
  for (int i = 0; i < p; i++) {
    double gp = sqrt(2 / M_PI) * exp(-lam[i] * lam[i] / 2);
    for (int j = 0; j < d; j++) {
      double want = w0[i * d + j] + (gamma / p) * (y - f) * gp * x[j] / sqrt((double)d);
      assert_close(ts_sgd_w(s)[i * d + j], want, 1e-12, 1e-14);
    }
  }
  ts_sgd_free(s);
}

/* The simulation's Figure IC: P = I exactly (orthonormal teacher rows of norm sqrt d), M0 = A, Q0 = A A^T (round-off);
 * the Gaussian IC has Q_ii = 1. */
static void test_sim_initial_conditions(void **st)
{
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = 200;
  ts_sgd *s = veiga_sim_alloc(&sp, 5);
  assert_non_null(s);
  ts_scm_state *o = ts_scm_alloc(8, 4), *want = ts_scm_alloc(8, 4);
  veiga_figure_ic_state(want);
  assert_int_equal(ts_sgd_overlaps(s, o), TS_OK);
  for (int j = 0; j < 16; j++) assert_close(o->T[j], want->T[j], 0, 1e-12);
  for (int j = 0; j < 32; j++) assert_close(o->R[j], want->R[j], 0, 1e-12);
  for (int j = 0; j < 64; j++) assert_close(o->Q[j], want->Q[j], 0, 1e-12);
  assert_close(veiga_risk(o), veiga_risk(want), 1e-10, 0);
  ts_sgd_free(s);
  sp.ic = VEIGA_IC_GAUSS;
  s = veiga_sim_alloc(&sp, 5);
  assert_int_equal(ts_sgd_overlaps(s, o), TS_OK);
  for (int i = 0; i < 8; i++) assert_close(o->Q[i * 8 + i], 1, 1e-12, 0);
  ts_sgd_free(s);
  /* the Figure IC needs p = 8, k = 4 */
  sp.ic = VEIGA_IC_FIGURE;
  sp.p = 5;
  ts_error_quiet(1);
  assert_null(veiga_sim_alloc(&sp, 5));
  ts_error_quiet(0);
  ts_scm_free(o);
  ts_scm_free(want);
}

/* Records: green delta = 1/2 at d = 64 has x_scale = 64^1.5 = 512, so t = 1, 2.5 are 512 and 1280 steps; orange
 * delta = -3/8 at d = 16 has x_scale = 16^(1/4) = 2: t = 0.75 is floor(1.5) = 1 step, reached t = 0.5.  R(0) is
 * the Figure IC's.  Red is rejected. */
static void test_sim_curve_records(void **st)
{
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = 64;
  sp.delta = 0.5;
  double t[2] = {1, 2.5}, risk[2], tr[2], r0;
  assert_int_equal(veiga_sim_curve(&sp, 3, t, 2, risk, tr, &r0, NULL, NULL), TS_OK);
  assert_close(tr[0], 1, 0, 0);
  assert_close(tr[1], 2.5, 0, 0);
  ts_scm_state *s = ts_scm_alloc(8, 4);
  veiga_figure_ic_state(s);
  assert_close(r0, veiga_risk(s), 1e-9, 0);
  assert_true(risk[1] < r0); /* green learns */
  sp.d = 16;
  sp.delta = -0.375;
  double t2[1] = {0.75};
  assert_int_equal(veiga_sim_curve(&sp, 3, t2, 1, risk, tr, NULL, NULL, NULL), TS_OK);
  assert_close(tr[0], 0.5, 0, 0);
  sp.delta = -0.8;
  ts_error_quiet(1);
  assert_int_equal(veiga_sim_curve(&sp, 3, t, 2, risk, tr, NULL, NULL, NULL), TS_EINVAL);
  ts_error_quiet(0);
  ts_scm_free(s);
}

/* The region ODE runner: the authors' Euler converges at first order to rkf45 (error halves with dt). */
static void test_ode_curve_euler_first_order(void **st)
{
  double t[2] = {0.5, 1}, rk[2], e1[2], e2[2];
  ts_ode_integrator in;
  for (int h = 0; h < 3; h++) {
    ts_scm_state *s = ts_scm_alloc(8, 4);
    veiga_figure_ic_state(s);
    ts_ode_integrator_init(&in);
    if (h == 0) {
      in.adaptive = 1;
      in.rtol = 1e-12;
      in.atol = 1e-15;
    } else in.dt = veiga_euler_dt(0, 100) / h; /* 1/100, 1/200 */
    assert_int_equal(veiga_ode_curve(VEIGA_BLUE, 8, 1e-3, s, t, 2, &in, h == 0 ? rk : h == 1 ? e1 : e2, NULL), TS_OK);
    ts_scm_free(s);
  }
  double q = fabs(e1[1] - rk[1]) / fabs(e2[1] - rk[1]);
  assert_true(q > 1.8 && q < 2.2);
  assert_close(veiga_euler_dt(0.5, 100), 1e-3, 1e-14, 0);
}

/* Jobs: results do not depend on the thread count (each job its own seed); seed mean and SE by hand. */
static void test_jobs(void **st)
{
  veiga_sim_job jobs[4];
  double t[2] = {1, 2};
  double first[4][2];
  for (int rep = 0; rep < 2; rep++) {
    memset(jobs, 0, sizeof jobs);
    for (int j = 0; j < 4; j++) {
      veiga_sim_params_init(&jobs[j].sp);
      jobs[j].sp.d = 30 + 10 * (j % 2);
      jobs[j].seed = 100 + (uint64_t)j;
    }
    omp_set_num_threads(rep + 1);
    assert_int_equal(veiga_sim_jobs_run(jobs, 4, t, 2, "test"), TS_OK);
    for (int j = 0; j < 4; j++)
      for (int i = 0; i < 2; i++) {
        if (rep == 0) first[j][i] = jobs[j].risk[i];
        else assert_close(jobs[j].risk[i], first[j][i], 0, 0);
      }
    if (rep == 1) {
      int idx[2] = {0, 2};
      double m, se;
      veiga_jobs_mean(jobs, idx, 2, 1, &m, &se);
      double a = jobs[0].risk[1], b = jobs[2].risk[1];
      assert_close(m, (a + b) / 2, 1e-15, 0);
      assert_close(se, fabs(a - b) / 2, 1e-12, 1e-18);
    }
    veiga_sim_jobs_free(jobs, 4);
  }
}

/* log-log fit of an exact power law */
static void test_loglog_fit(void **st)
{
  double x[5] = {30, 60, 100, 300, 1000}, y[5], sl, se, ic;
  for (int i = 0; i < 5; i++) y[i] = 2e-3 * pow(x[i], -0.25);
  veiga_loglog_fit(x, y, 5, &sl, &se, &ic);
  assert_close(sl, -0.25, 1e-12, 0);
  assert_close(ic, log(2e-3), 1e-12, 0);
  assert_true(se < 1e-10);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_regions),
      cmocka_unit_test(test_theta_steps_grid),
      cmocka_unit_test(test_region_odes_split_blue),
      cmocka_unit_test(test_risk),
      cmocka_unit_test(test_mt19937_reference),
      cmocka_unit_test(test_np_polar_by_hand),
      cmocka_unit_test(test_figure_ic_state),
      cmocka_unit_test(test_sgd_step_is_the_sheets),
      cmocka_unit_test(test_sim_initial_conditions),
      cmocka_unit_test(test_sim_curve_records),
      cmocka_unit_test(test_ode_curve_euler_first_order),
      cmocka_unit_test(test_jobs),
      cmocka_unit_test(test_loglog_fit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
