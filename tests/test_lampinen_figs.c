/* Tests of papers/lampinen2019/lib_figs.c: the small pieces shared by the Lampinen & Ganguli 2019 figure programs
 * (argmin, mean and SE over seeds, per-seed early-stopping minima, the eq.-(16) error of a draw, the random-init
 * student).  Expected values are computed by hand. */
#include <math.h>

#include "ts_test.h"
#include "lampinen2019/lampinen_figs.h"
#include "../papers/lampinen2019/lib_figs.c"
#include "../papers/lampinen2019/lib_gd.c"
#include "../papers/lampinen2019/lib_task.c"
#include "../papers/lampinen2019/lib_theory.c"

/* relative tolerance of a few roundings in sums of O(1) numbers */
#define TOL 1e-14

static void test_argmin(void **state)
{
  (void)state;
  const double y[] = {3, 1, 2, 1, 5};
  assert_int_equal(lg_fig_argmin(y, 5), 1); /* first of two equal minima */
  assert_int_equal(lg_fig_argmin(y, 1), 0);
  assert_int_equal(lg_fig_argmin(y + 2, 3), 1);
}

static void test_mean_se(void **state)
{
  (void)state;
  const double x[] = {1, 2, 3, 6};
  double m, se;
  lg_fig_mean_se(x, 4, &m, &se);
  /* mean 3, sample variance (4 + 1 + 0 + 9) / 3 = 14/3, SE sqrt(14/12) */
  assert_close(m, 3, TOL, 0);
  assert_close(se, sqrt(14.0 / 12), TOL, 0);
  lg_fig_mean_se(x + 3, 1, &m, &se);
  assert_close(m, 6, 0, 0);
  assert_true(isinf(se));
}

static void test_seed_minima(void **state)
{
  (void)state;
  /* three seeds of four evaluations; minima 1 at index 2, -1 at index 1, 4 at index 3 */
  const double c[] = {5, 3, 1, 2, 0, -1, 0, 7, 9, 8, 6, 4};
  double m, se, topt;
  lg_fig_seed_minima(c, 3, 4, 5, 0.01, &m, &se, &topt);
  /* mean 4/3; deviations -1/3, -7/3, 8/3: variance (1 + 49 + 64) / 9 / 2 = 19/3, SE sqrt(19/9); t = i * 5 * 0.01 */
  assert_close(m, 4.0 / 3, TOL, 0);
  assert_close(se, sqrt(19.0 / 9), TOL, 0);
  assert_close(topt, (2 + 1 + 3) * 0.05 / 3, TOL, 0);
}

static void test_oracle_and_student(void **state)
{
  (void)state;
  const uint64_t seed = 12345;
  const int rank = 2;
  lampinen_gd_params p = {20, 10, 10, 2, 1e-3, LAMPINEN_GD_LINEAR, 0};
  lg_task *t = NULL;
  lampinen_gd *g = NULL;
  assert_int_equal(lg_fig_random_student(&p, rank, 3, 1.0 / p.n1, 1e-3, seed, &t, &g), 0);
  assert_non_null(t);
  assert_non_null(g);
  /* the same task and student built step by step: draw on stream 0, random init on stream 1 */
  lg_task *t2 = lg_task_alloc(p.n1, p.n3, rank);
  ts_rng *rd = ts_rng_alloc(seed, 0), *ri = ts_rng_alloc(seed, 1);
  assert_int_equal(lg_task_draw(t2, 3, 1.0 / p.n1, rd), 0);
  lampinen_gd *g2 = lampinen_gd_alloc(&p, t2->s31, t2->wbar);
  assert_int_equal(lampinen_gd_init_random(g2, 1e-3, ri), 0);
  double tr[3], te[3], tr2[3], te2[3];
  assert_int_equal(lampinen_gd_run(g, 10, 5, tr, te, 0, NULL), 0);
  assert_int_equal(lampinen_gd_run(g2, 10, 5, tr2, te2, 0, NULL), 0);
  for (int i = 0; i < 3; i++) {
    assert_close(tr[i], tr2[i], 0, 0);
    assert_close(te[i], te2[i], 0, 0);
  }
  /* eq.-(16) error of the draw: ln(1 - (c_0^2 + c_1^2) / |Wbar|^2), in (-inf, 0] */
  double want = log(1 - (t->c[0] * t->c[0] + t->c[1] * t->c[1]) / t->wbar_norm2);
  assert_close(lg_fig_oracle_ln(t, rank), want, 0, 0);
  assert_true(lg_fig_oracle_ln(t, rank) < 0);
  assert_close(lg_fig_oracle_ln(t, 0), 0, 0, 0);
  ts_rng_free(rd);
  ts_rng_free(ri);
  lampinen_gd_free(g);
  lampinen_gd_free(g2);
  lg_task_free(t);
  lg_task_free(t2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_argmin),
      cmocka_unit_test(test_mean_se),
      cmocka_unit_test(test_seed_minima),
      cmocka_unit_test(test_oracle_and_student),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
