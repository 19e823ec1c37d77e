/* scm-ode — integrate the order-parameter ODEs of a two-layer teacher–student network (Goldt et al. 2020 eq. 9).
 * Prints `# key=value` provenance, a column line (alpha, eg[, Q_i_k, R_i_n, v_i]) and one row per output point
 * (alpha = 0, then log-spaced to --alpha).  --fixed-point adds a last row with alpha = inf: the fixed point found by
 * Newton from the final state, with its residual and stability in `#` lines.  `scm-ode --help` for options. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ts_cli.h"
#include "ts_err.h"
#include "ts_ode.h"
#include "ts_rng.h"
#include "ts_scmcli.h"
#include "ts_util.h"

typedef struct { ts_table *t; int overlaps; double *row; } out_ctx;

static int print_row(double alpha, const ts_scm_state *s, double eg, void *ctx)
{
  out_ctx *o = ctx;
  o->row[0] = alpha;
  o->row[1] = eg;
  int n = 2;
  if (o->overlaps) {
    ts_scm_cols(s, o->row + 2);
    n += ts_scm_n_cols(s->K, s->M);
  }
  return ts_table_row(o->t, n, o->row);
}

int main(int argc, char **argv)
{
  ts_scmcli a;
  ts_scmcli_init(&a);
  double dt = 0.01, init_noise = 1e-3, fp_tol = 1e-12;
  int adaptive = 0, fixed_point = 0;
  ts_opt opts[] = {TS_SCMCLI_OPTS(a),
                   {"--dt", TS_OPT_DOUBLE, &dt, "Euler step", 0},
                   {"--adaptive", TS_OPT_FLAG, &adaptive, "adaptive GSL rkf45 (rtol 1e-8, atol 1e-12) instead of Euler", 0},
                   {"--init-noise", TS_OPT_DOUBLE, &init_noise, "std of the initial R entries (Q = I, T = I)", 0},
                   {"--fixed-point", TS_OPT_FLAG, &fixed_point, "solve for the fixed point at the end (row alpha = inf)", 0},
                   {"--fp-tol", TS_OPT_DOUBLE, &fp_tol, "fixed point: max |f| tolerance", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "scm-ode --act erf|linear -M INT -K INT --lr X [--lr2 X] [--both] [--sigma X] [--vstar X]\n"
                        "        [--alpha X] [--dt X] [--adaptive] [--seed S] [--fixed-point] [--overlaps]\n"
                        "Order-parameter ODEs of online SGD in a two-layer teacher-student network (Goldt et al. 2020).");
  if (rc) return rc == 1 ? 0 : 2;
  if (ts_scmcli_check(&a, opts, 0)) return 2;
  if (!(dt > 0)) return ts_cli_fail("--dt must be > 0 (got %g)", dt);
  if (!(init_noise >= 0)) return ts_cli_fail("--init-noise must be >= 0 (got %g)", init_noise);
  if (!(fp_tol > 0)) return ts_cli_fail("--fp-tol must be > 0 (got %g)", fp_tol);
  ts_gsl_errors_off();

  ts_ode_params p;
  ts_ode_params_init(&p, a.act, a.K, a.M, a.lr);
  p.lr2 = a.lr2;
  p.train_v = a.both;
  p.sigma = a.sigma;
  p.wd = a.wd;
  ts_ode *w = ts_ode_alloc(&p);
  ts_scm_state *s = ts_scm_alloc(a.K, a.M);
  ts_rng *r = ts_rng_alloc(a.seed, 0);
  int ncol = 2 + ts_scm_n_cols(a.K, a.M);
  double *grid = malloc((size_t)a.npoints * sizeof *grid), *row = malloc((size_t)ncol * sizeof *row);
  if (!w || !s || !r || !grid || !row) return 1;
  for (int i = 0; i < a.K; i++) s->v[i] = a.v0;
  for (int n = 0; n < a.M; n++) s->vstar[n] = a.vstar;
  for (int i = 0; i < a.K * a.M; i++) s->R[i] = init_noise * ts_rng_gaussian(r);
  ts_logspace(a.alpha > 1.0 ? 0.1 : a.alpha / 10, a.alpha, a.npoints, grid);

  ts_table *t = ts_table_open("-", "scm-ode");
  if (!t) return 1;
  ts_scmcli_meta(&a, t);
  ts_table_meta(t, "init", "Q=I, T=I, v=v0, v*=vstar, R ~ N(0, %g^2) from %s stream (seed, 0)", init_noise,
                ts_rng_generator_name());
  ts_table_meta(t, "integrator", adaptive ? "GSL odeiv2 rkf45, rtol=1e-8, atol=1e-12" : "explicit Euler, dt=%g", dt);
  if (ts_scmcli_columns(&a, t) < 0) return 1;

  ts_ode_integrator integ;
  ts_ode_integrator_init(&integ);
  integ.adaptive = adaptive;
  integ.dt = dt;
  out_ctx oc = {t, a.overlaps, row};
  double alpha_fail = NAN;
  rc = ts_ode_integrate(w, s, 0.0, grid, a.npoints, &integ, print_row, &oc, &alpha_fail);
  if (rc == TS_EDIVERGE) {
    ts_error(rc, "the ODE diverged at alpha = %g (lower --lr or --dt)", alpha_fail);
    return 1;
  }
  if (rc) return 1;
  if (fixed_point) {
    ts_ode_fp_info info;
    rc = ts_ode_fixed_point(w, s, fp_tol, 200, &info);
    ts_table_comment(t, "fixed_point_status=%s", rc == TS_OK ? "converged" : "not converged");
    ts_table_comment(t, "fixed_point_residual=%.3g", info.residual);
    ts_table_comment(t, "fixed_point_iterations=%d", info.iterations);
    ts_table_comment(t, "fixed_point_max_re_eig=%.6g (%s)", info.max_re_eig, info.max_re_eig < 0 ? "stable" : "not stable");
    if (rc) {
      ts_error(rc, "no fixed point found from the final state (residual %.3g): integrate longer (--alpha)", info.residual);
      ts_table_close(t);
      return 1;
    }
    if (print_row(INFINITY, s, ts_scm_eg(s, a.act, a.act), &oc)) return 1;
  }
  if (ts_table_close(t)) return 1;
  free(row); free(grid);
  ts_rng_free(r); ts_scm_free(s); ts_ode_free(w);
  return 0;
}
