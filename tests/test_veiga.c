/* Tests of papers/veiga2022/lib_veiga.c: region boundaries with their tolerance bands, time exponents and step
 * counts, the record grid, and the region ODEs as the shared engine with the right coefficients (blue = the full
 * Saad–Solla right-hand side; green = gradient part only; orange = noise part only, M frozen). */
#include <string.h>

#include "ts_err.h"
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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_regions),
      cmocka_unit_test(test_theta_steps_grid),
      cmocka_unit_test(test_region_odes_split_blue),
      cmocka_unit_test(test_risk),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
