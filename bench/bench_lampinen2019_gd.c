/* bench_lampinen2019_gd — per-epoch cost of the full-batch GD of Lampinen & Ganguli 2019 (papers/lampinen2019/lib_gd.c;
 * protocol: bench/bench.h).  One step = one epoch, errors (eq. 5) every 5 epochs as in the figure programs.
 * Sizes of the paper's main figures: N1 = 100 orthonormal inputs, N3 = 50 outputs, hidden layers of 50.
 * Cases:
 *   gd_nl3_random       Nl = 3 (W32 W21), random init: 3 GEMMs of 50x50x100 per epoch (1.5 MFLOP)
 *   gd_nl5_random       Nl = 5 (4 matrices): 9 GEMMs (4.5 MFLOP)
 *   gd_nl3_leaky        one leaky-ReLU hidden layer (figs 5, 12; simultaneous back-propagation)
 *   gd_nl5_leaky        three leaky-ReLU hidden layers
 *   ta_modes_nl5        the exact TA recurrence of lib_task.c, 50 modes, Nl = 5 (fig 4's TA curves), per epoch
 *   svd_track           one SVD-tracking evaluation (fig 9; dgesdd of the 50 x 100 composite), per step
 * Reference (reference sheet, "Speed of the authors' code"): NumPy port 0.50 ms CPU per Nl = 3 epoch (incl. the
 * identity product and evaluation), 1.15 ms per Nl = 5 epoch.
 * Projections: the figure-3 random set is 100 runs x 1e4 epochs, the figure-4 set 100 runs x 1.5e5 epochs; on 2
 * cores divide by 2. */
#include <cblas.h>

#include "bench.h"
#include "lampinen.h"
#include "lampinen_gd.h"
#include "ts_err.h"
#include "ts_rng.h"

typedef struct {
  lg_task *task;
  lampinen_gd *g;
  int every;
} bench__st;

static void *bench__setup(int nmat, lampinen_gd_act act, double leak, double lr)
{
  openblas_set_num_threads(1);
  bench__st *s = calloc(1, sizeof *s);
  ts_rng *r = ts_rng_alloc(1, 0);
  s->task = lg_task_alloc(100, 50, 3);
  if (!s || !r || !s->task || lg_task_draw(s->task, 4.0, 0.01, r)) return NULL;
  lampinen_gd_params p = {100, 50, 50, nmat, lr, act, leak};
  s->g = lampinen_gd_alloc(&p, s->task->s31, s->task->wbar);
  if (!s->g || lampinen_gd_init_random(s->g, 1e-5, r)) return NULL;
  s->every = 5;
  ts_rng_free(r);
  return s;
}
static void *bench__nl3(void) { return bench__setup(2, LAMPINEN_GD_LINEAR, 0, 1e-3); }
static void *bench__nl5(void) { return bench__setup(4, LAMPINEN_GD_LINEAR, 0, 1e-3); }
static void *bench__nl3_leaky(void) { return bench__setup(2, LAMPINEN_GD_LEAKY, 0.1, 2e-4); }
static void *bench__nl5_leaky(void) { return bench__setup(4, LAMPINEN_GD_LEAKY, 0.1, 2e-4); }

static void bench__run(void *st, long steps)
{
  bench__st *s = st;
  if (lampinen_gd_run(s->g, steps, s->every, NULL, NULL, 0, NULL) != TS_OK) {
    fprintf(stderr, "bench_lampinen2019_gd: run failed\n");
    exit(1);
  }
}
static void bench__free(void *st)
{
  bench__st *s = st;
  lampinen_gd_free(s->g);
  lg_task_free(s->task);
  free(s);
}

/* TA recurrence: one call of `steps` epochs for 50 modes */
static void *bench__ta(void)
{
  bench__st *s = calloc(1, sizeof *s);
  ts_rng *r = ts_rng_alloc(1, 0);
  s->task = lg_task_alloc(100, 50, 3);
  if (!s->task || lg_task_draw(s->task, 4.0, 0.01, r)) return NULL;
  ts_rng_free(r);
  return s;
}
static void bench__ta_run(void *st, long steps)
{
  bench__st *s = st;
  double out[2 * 50];
  if (lg_ta_modes(5, s->task->s, 50, 1e-5, 1e-3, (int)steps, 2, out) != TS_OK) exit(1);
}

static void bench__track_run(void *st, long steps)
{
  bench__st *s = st;
  double ud[3], vd[3], sr[3];
  for (long i = 0; i < steps; i++)
    if (lampinen_gd_track(s->g, 3, s->task->U, s->task->s, s->task->Vt, ud, vd, sr) != TS_OK) exit(1);
}

int main(int argc, char **argv)
{
  const ts_bench_case cases[] = {
      {"gd_nl3_random", bench__nl3, bench__run, bench__free, 20000},
      {"gd_nl5_random", bench__nl5, bench__run, bench__free, 5000},
      {"gd_nl3_leaky", bench__nl3_leaky, bench__run, bench__free, 10000},
      {"gd_nl5_leaky", bench__nl5_leaky, bench__run, bench__free, 5000},
      {"ta_modes_nl5", bench__ta, bench__ta_run, bench__free, 100000},
      {"svd_track", bench__nl3, bench__track_run, bench__free, 500},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
