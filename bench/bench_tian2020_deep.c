/* bench_tian2020_deep — per-step cost of the multi-layer SGD of Tian 2020 Fig. 6 (protocol: bench/bench.h).
 * The student is Fig. 6's 2x student 20-100-150-200-250-100 (122k multiply-adds per sample forward), batch 64,
 * float64, single-threaded OpenBLAS:
 *   fig6_student_step_mse   forward + backward + fused update of the student (tian_net_sgd_step), MSE
 *   fig6_student_step_ce    the same with the cross-entropy loss
 *   fig6_step_with_teacher  what fig6 does per batch: gather the batch, teacher forward (the targets), student step
 * Reference (tian2020.md, "Cost"): ~0.73 MFLOP per sample-step, i.e. ~47 MFLOP per batch-64 step. */
#include <string.h>

#include "bench.h"
#include "tian_deep.h"
#include "ts_rng.h"

enum { BENCH_B = 64, BENCH_POOL = 4096 };

typedef struct {
  tian_net *t, *s;
  tian_work *wt, *ws;
  ts_rng *r;
  double *X, *Xb, *Yb;
  tian_loss loss;
  int with_teacher;
  long pos;
} bench__state;

static void *bench__setup(tian_loss loss, int with_teacher)
{
  tian_blas_single_thread();
  const int tsize[6] = {20, 50, 75, 100, 125, 100}, ssize[6] = {20, 100, 150, 200, 250, 100};
  bench__state *b = calloc(1, sizeof *b);
  b->r = ts_rng_alloc(1, 0);
  b->t = tian_net_alloc(5, tsize, 0.0);
  b->s = tian_net_alloc(5, ssize, 0.0);
  b->X = malloc((size_t)BENCH_POOL * 20 * sizeof(double));
  b->Xb = malloc((size_t)BENCH_B * 20 * sizeof(double));
  b->Yb = malloc((size_t)BENCH_B * 100 * sizeof(double));
  for (int i = 0; i < BENCH_POOL * 20; i++) b->X[i] = 10.0 * ts_rng_gaussian(b->r);
  if (tian_teacher_init(b->t, b->r, 0.0, b->X, BENCH_POOL)) return NULL;
  tian_net_init_default(b->s, b->r);
  b->wt = tian_work_alloc(b->t, BENCH_B);
  b->ws = tian_work_alloc(b->s, BENCH_B);
  b->loss = loss;
  b->with_teacher = with_teacher;
  memcpy(b->Xb, b->X, (size_t)BENCH_B * 20 * sizeof(double));
  memcpy(b->Yb, tian_net_forward(b->t, b->wt, b->Xb, BENCH_B), (size_t)BENCH_B * 100 * sizeof(double));
  return b;
}

static void bench__run(void *st, long steps)
{
  bench__state *b = st;
  for (long k = 0; k < steps; k++) {
    if (b->with_teacher) {
      for (int i = 0; i < BENCH_B; i++) {
        long idx = (long)(ts_rng_u64(b->r) % BENCH_POOL);
        memcpy(b->Xb + (size_t)i * 20, b->X + (size_t)idx * 20, 20 * sizeof(double));
      }
      memcpy(b->Yb, tian_net_forward(b->t, b->wt, b->Xb, BENCH_B), (size_t)BENCH_B * 100 * sizeof(double));
    }
    tian_net_sgd_step(b->s, b->ws, b->Xb, b->Yb, BENCH_B, b->loss, 0.01);
  }
}

static void bench__free(void *st)
{
  bench__state *b = st;
  tian_work_free(b->wt);
  tian_work_free(b->ws);
  tian_net_free(b->t);
  tian_net_free(b->s);
  ts_rng_free(b->r);
  free(b->X);
  free(b->Xb);
  free(b->Yb);
  free(b);
}

static void *bench__mse(void) { return bench__setup(TIAN_LOSS_MSE, 0); }
static void *bench__ce(void) { return bench__setup(TIAN_LOSS_CE, 0); }
static void *bench__full(void) { return bench__setup(TIAN_LOSS_MSE, 1); }

int main(int argc, char **argv)
{
  static const ts_bench_case cases[] = {
      {"fig6_student_step_mse", bench__mse, bench__run, bench__free, 2000},
      {"fig6_student_step_ce", bench__ce, bench__run, bench__free, 2000},
      {"fig6_step_with_teacher", bench__full, bench__run, bench__free, 2000},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
