/* Tests of papers/goldt2020/lib_runs.c: the small statistics and grids shared by the Goldt figure programs, on hand
 * examples (mean and sample sd; an exact weighted line with zero residual and a perturbed point found as the
 * largest residual; grids strictly increasing, on whole SGD steps, the tail window where documented; the drift rule);
 * a group of SGD runs gives every member the results it has alone. */
#include "ts_test.h"
#include "goldt2020/goldt_runs.h"
#include "../papers/goldt2020/lib_runs.c"

static void test_mean_std(void **st)
{
  double x[4] = {1, 2, 3, 6}, m, sd;
  goldt_mean_std(x, 4, &m, &sd);
  assert_close(m, 3, 1e-15, 0);
  /* sum of squares about 3: 4 + 1 + 0 + 9 = 14; sample sd sqrt(14/3) */
  assert_close(sd, sqrt(14.0 / 3), 1e-14, 0);
}

static void test_weighted_fit(void **st)
{
  double x[5] = {0, 1, 2, 3, 4}, y[5], se[5] = {0.1, 0.2, 0.1, 0.3, 0.1};
  for (int i = 0; i < 5; i++) y[i] = 2 - 0.5 * x[i];
  goldt_wfit f = goldt_weighted_fit(x, y, se, 5, 0.05);
  assert_close(f.b, -0.5, 1e-12, 0);
  assert_close(f.a, 2, 1e-12, 0);
  assert_close(f.maxres, 0, 0, 1e-10);
  /* move one point by 6 of its SE: it is the largest residual, and it exceeds its allowance (3 se + 5 % of line) */
  y[3] += 6 * se[3];
  f = goldt_weighted_fit(x, y, se, 5, 0.05);
  assert_true(f.maxres > 1);
  assert_int_equal(f.argmax, 3);
}

static void test_grid_tail_half(void **st)
{
  const int N = 500, n_log = 30, n_tail = 20;
  double alpha[50];
  int tail0, n = goldt_grid_tail_half(N, n_log, n_tail, 2e4, alpha, &tail0);
  assert_true(n > n_tail && n <= n_log + n_tail);
  for (int i = 0; i < n; i++) {
    assert_close(alpha[i] * N, round(alpha[i] * N), 0, 1e-9); /* whole SGD steps */
    if (i) assert_true(alpha[i] > alpha[i - 1]);
  }
  assert_close(alpha[tail0], 1e4, 1e-12, 0);  /* the tail window is the last half */
  assert_close(alpha[n - 1], 2e4, 1e-12, 0);
  assert_true(alpha[tail0 - 1] < 1e4);
}

/* A group of runs (goldt_run_sgd_group) on different grids: each member's results are those of the member run alone
 * (goldt_run_sgd with the group's seed), bit for bit: one teacher and one input stream, whatever the other members;
 * every member has finite results and the initial overlaps are recorded with the group's teacher (T the same for
 * every member). */
static void test_run_group_members_independent(void **st)
{
  const goldt_runs_params p = {"test", TS_ACT_LINEAR, 40, 2, 0.05, 0.01, 1.0, 8, 12};
  enum { n = 3 };
  const int Ks[n] = {2, 5, 3};
  const double burn[n] = {30, 12, 20};
  goldt_run g[n], one[n], *gp[n];
  double grid[2][n][20], eg[2][n][20];
  ts_scm_state *init[n];
  for (int i = 0; i < n; i++) {
    g[i] = (goldt_run){.grid = grid[0][i], .eg = eg[0][i]};
    one[i] = (goldt_run){.grid = grid[1][i], .eg = eg[1][i]};
    assert_int_equal(goldt_run_grid(&p, burn[i], &g[i]), TS_OK);
    assert_int_equal(goldt_run_grid(&p, burn[i], &one[i]), TS_OK);
    init[i] = g[i].init = ts_scm_alloc(Ks[i], p.M);
    gp[i] = &g[i];
  }
  goldt_run_sgd_group(&p, GOLDT_VAR_BOTH, n, Ks, gp, 99, NULL);
  for (int i = 0; i < n; i++) {
    goldt_run_sgd(&p, GOLDT_VAR_BOTH, Ks[i], &one[i], 99, NULL);
    assert_int_equal(g[i].status, TS_OK);
    assert_int_equal(one[i].status, TS_OK);
    assert_memory_equal(g[i].eg, one[i].eg, sizeof(double) * (size_t)g[i].ng);
    assert_true(g[i].tail == one[i].tail && g[i].tail_a == one[i].tail_a && g[i].tail_b == one[i].tail_b);
    assert_true(g[i].vsq == one[i].vsq && g[i].vsq0 == one[i].vsq0);
    assert_true(isfinite(g[i].tail) && g[i].tail > 0);
    assert_memory_equal(init[i]->T, init[0]->T, sizeof(double) * p.M * p.M);
  }
  assert_true(g[0].tail != g[2].tail);
  for (int i = 0; i < n; i++) ts_scm_free(init[i]);
}

static void test_drift_worst(void **st)
{
  /* drift relative to its allowance (GOLDT_DRIFT_NSE SE + GOLDT_DRIFT_REL): the largest ratio wins */
  double drift[3] = {0.0, 0.5, -0.01}, se[3] = {0.01, 0.01, 0.01}, worst;
  int arg;
  assert_int_equal(goldt_drift_worst(drift, se, 3, &worst, &arg), 0);
  assert_int_equal(arg, 1);
  assert_close(worst, 0.5 / (3 * 0.01 + 0.03), 1e-12, 0);
  drift[1] = 0.05; /* 0.05 / 0.06 < 1: every point passes */
  assert_int_equal(goldt_drift_worst(drift, se, 3, &worst, &arg), 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mean_std),
      cmocka_unit_test(test_weighted_fit),
      cmocka_unit_test(test_grid_tail_half),
      cmocka_unit_test(test_drift_worst),
      cmocka_unit_test(test_run_group_members_independent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
