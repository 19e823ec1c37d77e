/* bench_sgd — per-step cost of online SGD (ts_sgd_run) and of the Gaussian sampler (protocol: bench/bench.h).
 * Reference (goldt2020.md, "Speed of the authors' code"): nn2pp needs 34.7 us and 302k instructions per SGD step
 * at N = 784, K = M = 4, erf (case sgd_erf_N784_K4_M4). */
#include "bench.h"
#include "ts_err.h"
#include "ts_rng.h"
#include "ts_sgd.h"

typedef struct {
  ts_act act;
  int N, K, M;
  double lr, sigma, vstar;
  int both;
} bench__cfg;

static void *bench__sgd_setup(const bench__cfg *c)
{
  ts_sgd_params p;
  ts_sgd_params_init(&p, c->act, c->N, c->K, c->M, c->lr);
  p.sigma = c->sigma;
  if (c->both) {
    p.train_v = 1;
    p.v_random = 1;
    p.vstar = c->vstar;
  }
  return ts_sgd_alloc(&p, 1);
}

static void bench__sgd_run(void *st, long steps)
{
  if (ts_sgd_run(st, steps) != TS_OK) {
    fprintf(stderr, "bench_sgd: run failed\n");
    exit(1);
  }
}

static void bench__sgd_free(void *st) { ts_sgd_free(st); }

static void *bench__erf_k4m4(void)
{
  static const bench__cfg c = {TS_ACT_ERF, 784, 4, 4, 0.2, 0.0, 1.0, 0};
  return bench__sgd_setup(&c);
}
static void *bench__erf_k5m2_sigma(void)
{
  static const bench__cfg c = {TS_ACT_ERF, 784, 5, 2, 0.05, 0.01, 1.0, 0};
  return bench__sgd_setup(&c);
}
static void *bench__linear_k5m2(void)
{
  static const bench__cfg c = {TS_ACT_LINEAR, 784, 5, 2, 0.05, 0.0, 1.0, 0};
  return bench__sgd_setup(&c);
}
static void *bench__erf_n500_both(void)
{
  static const bench__cfg c = {TS_ACT_ERF, 500, 5, 2, 0.05, 0.01, 4.0, 1};
  return bench__sgd_setup(&c);
}
static void *bench__relu_k4m4(void)
{
  static const bench__cfg c = {TS_ACT_RELU, 784, 4, 4, 0.2, 0.0, 1.0, 0};
  return bench__sgd_setup(&c);
}

/* gauss_fill_784: one step = 784 standard normals, the x of one N = 784 sample */
typedef struct {
  ts_rng *r;
  double x[784];
  double sink;
} bench__gauss;

static void *bench__gauss_setup(void)
{
  bench__gauss *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->r = ts_rng_alloc(1, 1);
  if (!g->r) {
    free(g);
    return NULL;
  }
  return g;
}

static void bench__gauss_run(void *st, long steps)
{
  bench__gauss *g = st;
  for (long t = 0; t < steps; t++) {
    ts_rng_gaussian_fill(g->r, g->x, 784);
    g->sink += g->x[t % 784];
  }
}

static void bench__gauss_free(void *st)
{
  bench__gauss *g = st;
  ts_rng_free(g->r);
  free(g);
}

int main(int argc, char **argv)
{
  static const ts_bench_case cases[] = {
      {"sgd_erf_N784_K4_M4", bench__erf_k4m4, bench__sgd_run, bench__sgd_free, 400000},
      {"sgd_erf_N784_K5_M2_sigma", bench__erf_k5m2_sigma, bench__sgd_run, bench__sgd_free, 400000},
      {"sgd_linear_N784_K5_M2", bench__linear_k5m2, bench__sgd_run, bench__sgd_free, 400000},
      {"sgd_erf_N500_K5_M2_both", bench__erf_n500_both, bench__sgd_run, bench__sgd_free, 600000},
      {"gauss_fill_784", bench__gauss_setup, bench__gauss_run, bench__gauss_free, 600000},
      {"sgd_relu_N784_K4_M4", bench__relu_k4m4, bench__sgd_run, bench__sgd_free, 400000},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
