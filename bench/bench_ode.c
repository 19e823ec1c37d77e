/* bench_ode — speed of the order-parameter ODE (ts_ode): Euler steps and one fixed-point solve (bench/bench.h).
 *
 * Cases (eta = 0.05, sigma = 0.01 as in Goldt et al. Fig. 2a unless noted):
 *   ode_euler_erf_K5_M2        erf SCM, one Euler step (dt = 0.01) per step; authors' C++: 15 us, 247k instr
 *   ode_euler_erf_K4_M4_both   erf, both layers trained, K = M = 4 (Fig. 1b size)
 *   ode_euler_linear_K5_M2     linear SCM
 *   fixed_point_erf_K5_M2      one step = one whole eps* solve for a Fig. 2a point (K = 5, M = 2): from Q = I,
 *                              R ~ 1e-3 N(0,1), integrate (adaptive rkf45) until specialised (alpha = 1e4, 2e4, ...);
 *                              re-seed the superfluous students as identical, aligned and tiny (the symmetric
 *                              subspace of eq. (10)); Newton (ts_ode_fixed_point).  Target <= 1 s.
 * The Euler cases integrate in chunks of 1000 steps through ts_ode_integrate (observer off), so the time includes
 * the stepping loop and the divergence check, not only the right-hand side. */
#include <math.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "bench.h"
#include "ts_err.h"
#include "ts_ode.h"

typedef struct {
  ts_ode *w;
  ts_scm_state *s, *s0;
  double alpha;
  ts_ode_integrator in;
  gsl_rng *r;
} ode_case;

static void *ode_setup(ts_act act, int K, int M, int train_v)
{
  ode_case *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  ts_ode_params p;
  ts_ode_params_init(&p, act, K, M, 0.05);
  p.sigma = 0.01;
  p.train_v = train_v;
  c->w = ts_ode_alloc(&p);
  c->s = ts_scm_alloc(K, M);
  c->s0 = ts_scm_alloc(K, M);
  c->r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!c->w || !c->s || !c->s0 || !c->r) return NULL;
  gsl_rng_set(c->r, 1);
  /* a generic state on the way to specialisation: Q = I, R ~ 0.3 N(0,1) (v ~ 1 + 0.1 N(0,1) when trained) */
  for (int j = 0; j < K * M; j++) c->s->R[j] = 0.3 * gsl_ran_gaussian(c->r, 1.0);
  if (train_v)
    for (int i = 0; i < K; i++) c->s->v[i] = 1.0 + 0.1 * gsl_ran_gaussian(c->r, 1.0);
  ts_scm_copy(c->s0, c->s);
  ts_ode_integrator_init(&c->in);
  c->in.dt = 0.01;
  return c;
}

static void ode_run(void *state, long steps)
{
  ode_case *c = state;
  while (steps > 0) {
    long chunk = steps < 1000 ? steps : 1000;
    double a1 = c->alpha + (double)chunk * c->in.dt;
    if (ts_ode_integrate(c->w, c->s, c->alpha, &a1, 1, &c->in, NULL, NULL, NULL) != TS_OK) {
      fprintf(stderr, "bench_ode: integration failed\n");
      exit(1);
    }
    c->alpha = a1;
    steps -= chunk;
  }
}

static void ode_teardown(void *state)
{
  ode_case *c = state;
  ts_ode_free(c->w);
  ts_scm_free(c->s);
  ts_scm_free(c->s0);
  gsl_rng_free(c->r);
  free(c);
}

static void *setup_erf_K5_M2(void) { return ode_setup(TS_ACT_ERF, 5, 2, 0); }
static void *setup_erf_K4_M4_both(void) { return ode_setup(TS_ACT_ERF, 4, 4, 1); }
static void *setup_linear_K5_M2(void) { return ode_setup(TS_ACT_LINEAR, 5, 2, 0); }

/* ---- fixed point ------------------------------------------------------------------------------------------------- */

static void fp_run(void *state, long steps)
{
  ode_case *c = state;
  ts_ode_integrator in;
  ts_ode_integrator_init(&in);
  in.adaptive = 1;
  in.rtol = 1e-9;
  in.atol = 1e-13;
  for (long t = 0; t < steps; t++) {
    const int K = c->s->K, M = c->s->M;
    for (int i = 0; i < K; i++)
      for (int k = 0; k < K; k++) c->s->Q[i * K + k] = (i == k);
    for (int j = 0; j < K * M; j++) c->s->R[j] = 1e-3 * gsl_ran_gaussian(c->r, 1.0);
    /* integrate until specialised (the plateau length depends on the draw): alpha = 1e4, 2e4, 4e4, ... */
    double a0 = 0.0, a1 = 1e4;
    int ok = 0;
    while (!ok && a1 <= 1.1e6) {
      if (ts_ode_integrate(c->w, c->s, a0, &a1, 1, &in, NULL, NULL, NULL) != TS_OK) break;
      ts_scm_copy(c->s0, c->s);
      ts_error_quiet(1);
      ok = ts_ode_reseed_superfluous(c->s0, 1e-5) == TS_OK;
      ts_error_quiet(0);
      a0 = a1;
      a1 *= 2.0;
    }
    ts_ode_fp_info info;
    if (!ok || ts_ode_fixed_point(c->w, c->s0, 1e-15, 100, &info) != TS_OK) {
      fprintf(stderr, "bench_ode: fixed-point solve failed\n");
      exit(1);
    }
  }
}

static void *setup_fp(void) { return ode_setup(TS_ACT_ERF, 5, 2, 0); }

int main(int argc, char **argv)
{
  ts_error_set_program("bench_ode");
  const ts_bench_case cases[] = {
    {"ode_euler_erf_K5_M2", setup_erf_K5_M2, ode_run, ode_teardown, 500000},
    {"ode_euler_erf_K4_M4_both", setup_erf_K4_M4_both, ode_run, ode_teardown, 300000},
    {"ode_euler_linear_K5_M2", setup_linear_K5_M2, ode_run, ode_teardown, 5000000},
    {"fixed_point_erf_K5_M2", setup_fp, fp_run, ode_teardown, 10},
  };
  return ts_bench_main(argc, argv, cases, (int)(sizeof cases / sizeof cases[0]));
}
