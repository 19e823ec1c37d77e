/* bench_sgd — per-step cost of online SGD (ts_sgd_run), of groups of students on one input stream (ts_sgd_group)
 * and of the Gaussian sampler (protocol: bench/bench.h).
 * Reference (goldt2020.md, "Speed of the authors' code"): nn2pp needs 34.7 us and 302k instructions per SGD step
 * at N = 784, K = M = 4, erf (case sgd_erf_N784_K4_M4).
 * Figure 2a's setting (erf, N = 784, M = 2, eta = 0.05, sigma = 0.01): sgd_erf_N784_M2_K<K> is one student's step
 * for K = 2..10; group_erf_N784_M2_K2-10 one step of a group of the nine students K = 2..10 (one draw of x, zeta
 * and phi*(x) for all); group_erf_N784_M2_draw_teacher a group whose only member is retired: the shared part alone
 * (the fill of N + 1 Gaussians and the teacher's M fields and output). */
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

/* a group of the students K = Kmin..Kmax (seeds 1, 2, ...; the teacher copied from the first); Kmax < Kmin: a
 * group of one K = Kmin student, retired (the shared draw and teacher output only) */
typedef struct {
  ts_sgd *m[16];
  int n;
  ts_sgd_group *g;
} bench__grp;

static void bench__grp_free(void *st)
{
  bench__grp *b = st;
  ts_sgd_group_free(b->g);
  for (int i = 0; i < b->n; i++) ts_sgd_free(b->m[i]);
  free(b);
}

static void *bench__grp_setup(int Kmin, int Kmax)
{
  bench__grp *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  int retire = Kmax < Kmin;
  if (retire) Kmax = Kmin;
  for (int K = Kmin; K <= Kmax; K++) {
    ts_sgd_params p;
    ts_sgd_params_init(&p, TS_ACT_ERF, 784, K, 2, 0.05);
    p.sigma = 0.01;
    ts_sgd *s = ts_sgd_alloc(&p, (uint64_t)(b->n + 1));
    if (!s) { bench__grp_free(b); return NULL; }
    b->m[b->n++] = s;
    if (b->n > 1) ts_sgd_copy_teacher(s, b->m[0]);
  }
  b->g = ts_sgd_group_alloc(b->m, b->n, 1);
  if (!b->g) { bench__grp_free(b); return NULL; }
  if (retire) ts_sgd_group_retire(b->g, 0);
  return b;
}

static void bench__grp_run(void *st, long steps)
{
  bench__grp *b = st;
  if (ts_sgd_group_run(b->g, steps) != TS_OK) {
    fprintf(stderr, "bench_sgd: group run failed\n");
    exit(1);
  }
}

static void *bench__grp_k2_10(void) { return bench__grp_setup(2, 10); }
static void *bench__grp_draw_teacher(void) { return bench__grp_setup(2, 0); }

#define BENCH__M2(K)                                                                                                  \
  static void *bench__erf_m2_k##K(void)                                                                               \
  {                                                                                                                   \
    static const bench__cfg c = {TS_ACT_ERF, 784, K, 2, 0.05, 0.01, 1.0, 0};                                         \
    return bench__sgd_setup(&c);                                                                                      \
  }
BENCH__M2(2)
BENCH__M2(3)
BENCH__M2(4)
BENCH__M2(5)
BENCH__M2(6)
BENCH__M2(7)
BENCH__M2(8)
BENCH__M2(9)
BENCH__M2(10)

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
      {"sgd_erf_N784_M2_K2", bench__erf_m2_k2, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K3", bench__erf_m2_k3, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K4", bench__erf_m2_k4, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K5", bench__erf_m2_k5, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K6", bench__erf_m2_k6, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K7", bench__erf_m2_k7, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K8", bench__erf_m2_k8, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K9", bench__erf_m2_k9, bench__sgd_run, bench__sgd_free, 100000},
      {"sgd_erf_N784_M2_K10", bench__erf_m2_k10, bench__sgd_run, bench__sgd_free, 100000},
      {"group_erf_N784_M2_K2-10", bench__grp_k2_10, bench__grp_run, bench__grp_free, 10000},
      {"group_erf_N784_M2_draw_teacher", bench__grp_draw_teacher, bench__grp_run, bench__grp_free, 100000},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
