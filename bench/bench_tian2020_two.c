/* Benchmark of the two-layer Tian 2020 network (papers/tian2020/lib_two.c): one SGD step (batch 16, C = 50,
 * float64, CBLAS GEMMs) at the README size d = 100, m = 10 and over-realisations 1x, 5x, 10x, plus one evaluation
 * (correlations and loss on 10^4 eval points).  Target: <= 3 s for 10^5 steps at 5x on one core. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "tian_two.h"

static void *bench__setup(int multi)
{
  tian_two_blas_serial();
  tian_two_params p;
  tian_two_params_init(&p, 100, 10, multi, 1.0);
  return tian_two_alloc(&p, 1);
}
static void *bench__m1(void) { return bench__setup(1); }
static void *bench__m5(void) { return bench__setup(5); }
static void *bench__m10(void) { return bench__setup(10); }

static void bench__run(void *st, long steps)
{
  if (tian_two_run(st, steps)) { fprintf(stderr, "bench_tian2020_two: run failed\n"); exit(1); }
}
static void bench__free(void *st) { tian_two_free(st); }

/* eval_5x: one step = one evaluation on the eval set (correlation matrix and loss) */
static void bench__eval(void *st, long steps)
{
  tian_two *t = st;
  double rho[10 * 50], mse;
  for (long s = 0; s < steps; s++)
    if (tian_two_eval(t, TIAN_EVAL, rho, &mse)) { fprintf(stderr, "bench_tian2020_two: eval failed\n"); exit(1); }
}

int main(int argc, char **argv)
{
  const ts_bench_case cases[] = {
      {"step_d100_m10_1x", bench__m1, bench__run, bench__free, 20000},
      {"step_d100_m10_5x", bench__m5, bench__run, bench__free, 20000},
      {"step_d100_m10_10x", bench__m10, bench__run, bench__free, 10000},
      {"eval_d100_m10_5x", bench__m5, bench__eval, bench__free, 20},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
