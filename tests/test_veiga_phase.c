/* Tests of papers/veiga2022/lib_phase.c: the time exponent continued over the plane and its step counts, the warm
 * start (exact overlaps by construction, random ones at the N(0, 1/d) scale), the distance between overlap states,
 * and the classification rule of the computed phase diagram on synthetic power laws. */
#include <string.h>

#include "ts_err.h"
#include "ts_test.h"
#include "veiga2022/phase.h"
#include "../papers/veiga2022/lib_veiga.c"
#include "../papers/veiga2022/lib_phase.c"

static void test_theta_steps(void **st)
{
  /* continuous in s = kappa + delta: s on the blue line, 2 s below */
  assert_close(veiga_phase_theta(0.25, -0.25), 0, 0, 0);
  assert_close(veiga_phase_theta(0, 0.5), 0.5, 0, 0);
  assert_close(veiga_phase_theta(1.5, -1.75), -0.5, 0, 1e-15);
  assert_close(veiga_phase_theta(0, -1), -2, 0, 0);
  /* agrees with the region formula where a region exists */
  assert_close(veiga_phase_theta(0, -0.375), veiga_theta(VEIGA_ORANGE, 0, -0.375), 0, 0);
  assert_close(veiga_phase_theta(0.5, 0.25), veiga_theta(VEIGA_GREEN, 0.5, 0.25), 0, 0);
  assert_int_equal(veiga_phase_steps(0, 0.5, 100, 7), 7000);   /* green: 100^1.5 = 1000 per unit t */
  assert_int_equal(veiga_phase_steps(0, -0.25, 16, 3), 12);    /* orange: 16^0.5 = 4 per unit t     */
  assert_int_equal(veiga_phase_steps(0, -1, 100, 5), 5);       /* red: clipped at one step per unit */
  assert_int_equal(veiga_phase_steps(1, -1, 1000, 2.5), 2500); /* blue line at kappa = 1            */
  assert_int_equal(veiga_phase_steps(0, 0, 0.5, 1), -1);
  assert_int_equal(veiga_phase_steps(0, 0, 10, -1), -1);
  assert_int_equal(veiga_phase_steps(NAN, 0, 10, 1), -1);
}

static void test_warm_start(void **st)
{
  const int d = 400, p = 12, k = 4;
  const double m0 = 0.6;
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = d;
  sp.p = p;
  sp.k = k;
  ts_sgd *s = veiga_phase_warm_alloc(&sp, m0, 7);
  assert_non_null(s);
  ts_scm_state *o = ts_scm_alloc(p, k);
  assert_int_equal(ts_sgd_overlaps(s, o), TS_OK);
  double maxoff = 0;
  for (int r = 0; r < k; r++)
    for (int q = 0; q < k; q++) assert_close(o->T[r * k + q], r == q ? 1 : 0, 0, 1e-12);
  for (int i = 0; i < p; i++) {
    assert_close(o->Q[i * p + i], 1, 1e-12, 0);
    assert_close(o->v[i], 1.0 / p, 1e-15, 0);
    for (int r = 0; r < k; r++) {
      if (r == i % k) assert_close(o->R[i * k + r], m0, 1e-12, 0);
      else maxoff = fmax(maxoff, fabs(o->R[i * k + r]));
    }
  }
  /* off-target overlaps: sqrt(1 - m0^2) times a uniform unit vector's component, std <= 1/sqrt(d); 5 std bounds the
   * largest of p (k - 1) = 36 draws with probability > 1 - 1e-5 */
  assert_true(maxoff > 0);
  assert_true(maxoff < 5 / sqrt((double)d));
  ts_scm_free(o);
  ts_sgd_free(s);
  ts_error_quiet(1);
  assert_null(veiga_phase_warm_alloc(&sp, 1.5, 7));
  sp.k = d + 1;
  assert_null(veiga_phase_warm_alloc(&sp, 0.5, 7));
  ts_error_quiet(0);
}

static void test_dist(void **st)
{
  ts_scm_state *a = ts_scm_alloc(3, 2), *b = ts_scm_alloc(3, 2), *c = ts_scm_alloc(2, 2);
  assert_close(veiga_phase_dist(a, b), 0, 0, 0);
  b->Q[1 * 3 + 2] += 0.3;
  b->R[2 * 2 + 1] -= 0.5;
  b->T[0] = 9; /* P is fixed: not part of the distance */
  assert_close(veiga_phase_dist(a, b), 0.5, 1e-15, 0);
  b->Q[0] = NAN;
  assert_true(isnan(veiga_phase_dist(a, b)));
  assert_true(isnan(veiga_phase_dist(a, c)));
  ts_scm_free(a);
  ts_scm_free(b);
  ts_scm_free(c);
}

/* r = c d^-s exactly, jumps d^je: the rule recovers the slope and the class. */
static void classify_power(double s, double je, double cv, int div, veiga_region want, double *b_out, double *se_out)
{
  double d[3] = {16, 32, 64}, r[3], se[3], j[3];
  int nd[3] = {0, 0, div};
  for (int i = 0; i < 3; i++) {
    r[i] = 1e-3 * pow(d[i], -s);
    se[i] = 0.01 * r[i];
    j[i] = 0.1 * pow(d[i], je);
  }
  veiga_region cls;
  double b, bse, bj;
  assert_int_equal(veiga_phase_classify(3, d, r, se, cv, j, nd, 0.5, 0.125, &cls, &b, &bse, &bj), TS_OK);
  assert_int_equal(cls, want);
  if (b_out) *b_out = b;
  if (se_out) *se_out = bse;
  if (!div) assert_close(bj, je, 1e-12, 1e-12);
}

static void test_classify(void **st)
{
  double b, se;
  classify_power(0.5, -1.5, 0.1, 0, VEIGA_GREEN, &b, &se);
  assert_close(b, -0.5, 1e-12, 0);
  /* exact power law: the residual SE is 0; the SE propagated from 1% relative errors at ln d = ln 16 + (0, 1, 2) ln 2
   * is sqrt(sum (x - xbar)^2 0.01^2) / sum (x - xbar)^2 = 0.01 / sqrt(2 ln^2 2) */
  assert_close(se, 0.01 / sqrt(2.0) / log(2.0), 1e-12, 0);
  classify_power(0.0, -1.0, 0.1, 0, VEIGA_BLUE, NULL, NULL);
  classify_power(0.1, -1.0, 0.1, 0, VEIGA_BLUE, NULL, NULL);  /* |b| < 1/8 */
  classify_power(-0.3, -0.4, 0.1, 0, VEIGA_ORANGE, NULL, NULL);
  classify_power(-0.3, 0.5, 0.1, 0, VEIGA_RED, NULL, NULL);   /* the step does not shrink */
  classify_power(-0.3, 0.0, 0.1, 0, VEIGA_RED, NULL, NULL);   /* exponent exactly 0: no limit */
  classify_power(0.5, -1.5, 0.7, 0, VEIGA_RED, NULL, NULL);   /* no concentration */
  classify_power(0.5, -1.5, 0.1, 1, VEIGA_RED, &b, NULL);     /* a diverged run */
  assert_true(isnan(b));
  /* invalid input */
  double d[2] = {32, 16}, r[2] = {1, 1}, s2[2] = {0, 0}, j[2] = {1, 1};
  int nd[2] = {0, 0};
  veiga_region cls;
  ts_error_quiet(1);
  assert_int_equal(veiga_phase_classify(2, d, r, s2, 0, j, nd, 0.5, 0.125, &cls, NULL, NULL, NULL), TS_EINVAL);
  assert_int_equal(veiga_phase_classify(1, d, r, s2, 0, j, nd, 0.5, 0.125, &cls, NULL, NULL, NULL), TS_EINVAL);
  d[0] = 8;
  r[1] = 0;
  assert_int_equal(veiga_phase_classify(2, d, r, s2, 0, j, nd, 0.5, 0.125, &cls, NULL, NULL, NULL), TS_EINVAL);
  ts_error_quiet(0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_theta_steps),
      cmocka_unit_test(test_warm_start),
      cmocka_unit_test(test_dist),
      cmocka_unit_test(test_classify),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
