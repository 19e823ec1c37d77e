/* bench_veiga2022_steps — speed of the Veiga et al. 2022 building blocks (protocol: bench/bench.h).
 * Reference (shared/reference/veiga2022.md, "Speed of the authors' code"): the authors' Cython ODE takes 56 us per Euler
 * step at p = 8, k = 4 (blue, all terms), 7.9 us (green), 50 us (orange); their SGD ~1.2 ms per step at d = 1000,
 * p = 8, and ~114 s of start-up (test set).  Targets here: ODE step <= 4 us (blue), SGD step <= 10 us (d = 1000,
 * p = 8), start-up <= 1 s.
 *   ode_euler_{blue,green,orange}_p8_k4  one Euler step (dt = 1/2000^(1+theta)) of the region ODE from the Figure IC,
 *                                        through veiga_ode_curve in chunks of 1000 steps
 *   sgd_blue_d1000_p8_k4                 one SGD step, gamma = 8, Delta = 1e-3 (veiga_sim_alloc, ts_sgd_run)
 *   sgd_green_d300_p8_k4                 delta = 1/2 at d = 300 (the fast-mode green simulations)
 *   startup_d1000_p8_k4                  one step = a whole simulation set-up: teacher draw and orthonormalisation,
 *                                        Figure IC W0 = A W*, the initial overlaps and risk, free
 * The paper's lib is compiled into this program by inclusion (the build links papers/P/lib*.c only into
 * bench_P_*.c programs).
 * The ODE's I4 kernel picks 8-lane AVX-512 batches at run time where the CPU has them (common/ts_ode.c).  valgrind
 * does not emulate AVX-512 and hides it from CPUID, so callgrind counts the 4-lane AVX2 path (same results, bit for
 * bit); the timed run uses whichever path the CPU supports. */
#include <math.h>

#include "bench.h"
#include "ts_err.h"
#include "veiga.h"

typedef struct {
  veiga_region r;
  double Delta, dt, t;
  ts_scm_state *s;
  ts_ode_integrator in;
} bench__ode;

static void *bench__ode_setup(veiga_region r, double theta)
{
  bench__ode *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->r = r;
  c->Delta = 1e-3;
  c->s = ts_scm_alloc(8, 4);
  if (!c->s || veiga_figure_ic_state(c->s)) return NULL;
  ts_ode_integrator_init(&c->in);
  c->in.dt = veiga_euler_dt(theta, 2000);
  return c;
}

static void bench__ode_run(void *st, long steps)
{
  bench__ode *c = st;
  double risk;
  while (steps > 0) {
    long chunk = steps < 1000 ? steps : 1000;
    double t1 = c->t + (double)chunk * c->in.dt;
    /* veiga_ode_curve starts at t = 0: integrate the chunk length from the current state */
    double len = t1 - c->t;
    if (veiga_ode_curve(c->r, 8, c->Delta, c->s, &len, 1, &c->in, &risk, NULL) != TS_OK) {
      fprintf(stderr, "bench_veiga2022_steps: ODE failed\n");
      exit(1);
    }
    c->t = t1;
    steps -= chunk;
  }
}

static void bench__ode_free(void *st)
{
  bench__ode *c = st;
  ts_scm_free(c->s);
  free(c);
}

static void *bench__blue(void) { return bench__ode_setup(VEIGA_BLUE, 0); }
static void *bench__green(void) { return bench__ode_setup(VEIGA_GREEN, 0.5); }
static void *bench__orange(void) { return bench__ode_setup(VEIGA_ORANGE, -0.75); }

static void *bench__sgd_setup(int d, double delta)
{
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = d;
  sp.delta = delta;
  return veiga_sim_alloc(&sp, 1);
}

static void bench__sgd_run(void *st, long steps)
{
  if (ts_sgd_run(st, steps) != TS_OK) {
    fprintf(stderr, "bench_veiga2022_steps: SGD failed\n");
    exit(1);
  }
}

static void bench__sgd_free(void *st) { ts_sgd_free(st); }
static void *bench__sgd_blue(void) { return bench__sgd_setup(1000, 0); }
static void *bench__sgd_green(void) { return bench__sgd_setup(300, 0.5); }

/* start-up: a whole simulation set-up per step */
typedef struct {
  double sink;
} bench__start;

static void *bench__start_setup(void) { return calloc(1, sizeof(bench__start)); }

static void bench__start_run(void *st, long steps)
{
  bench__start *b = st;
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  ts_scm_state *o = ts_scm_alloc(8, 4);
  for (long i = 0; i < steps; i++) {
    ts_sgd *s = veiga_sim_alloc(&sp, (uint64_t)i + 1);
    if (!s || ts_sgd_overlaps(s, o) != TS_OK) {
      fprintf(stderr, "bench_veiga2022_steps: set-up failed\n");
      exit(1);
    }
    b->sink += veiga_risk(o);
    ts_sgd_free(s);
  }
  ts_scm_free(o);
}

static void bench__start_free(void *st) { free(st); }

int main(int argc, char **argv)
{
  ts_error_set_program("bench_veiga2022_steps");
  static const ts_bench_case cases[] = {
      {"ode_euler_blue_p8_k4", bench__blue, bench__ode_run, bench__ode_free, 200000},
      {"ode_euler_green_p8_k4", bench__green, bench__ode_run, bench__ode_free, 1000000},
      {"ode_euler_orange_p8_k4", bench__orange, bench__ode_run, bench__ode_free, 200000},
      {"sgd_blue_d1000_p8_k4", bench__sgd_blue, bench__sgd_run, bench__sgd_free, 200000},
      {"sgd_green_d300_p8_k4", bench__sgd_green, bench__sgd_run, bench__sgd_free, 500000},
      {"startup_d1000_p8_k4", bench__start_setup, bench__start_run, bench__start_free, 20},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
