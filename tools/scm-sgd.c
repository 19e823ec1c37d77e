/* scm-sgd — online SGD of a two-layer teacher–student network (Goldt et al. 2020 eqs. 1–3).
 * Prints `# key=value` provenance, a column line (alpha, eg[, Q_i_k, R_i_n, v_i]) and one row per output point
 * (alpha = 0, then log-spaced to --alpha, each rounded to a whole number of steps).  eg is computed analytically
 * from the order parameters (no test set).  `scm-sgd --help` for options. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ts_cli.h"
#include "ts_err.h"
#include "ts_rng.h"
#include "ts_scmcli.h"
#include "ts_sgd.h"
#include "ts_util.h"

int main(int argc, char **argv)
{
  ts_scmcli a;
  ts_scmcli_init(&a);
  int N = 0, batch = 1;
  double init_std = -1;
  ts_opt opts[] = {TS_SCMCLI_OPTS(a),
                   {"-N", TS_OPT_INT, &N, "input dimension (required, >= 2)", 0},
                   {"--batch", TS_OPT_INT, &batch, "mini-batch size", 0},
                   {"--init-std", TS_OPT_DOUBLE, &init_std, "std of the student weights (default: 1 for erf, 1/sqrt(N) else)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "scm-sgd --act erf|linear|relu -N INT -M INT -K INT --lr X [--lr2 X] [--both] [--sigma X]\n"
                        "        [--vstar X] [--alpha X] [--batch B] [--seed S] [--overlaps]\n"
                        "Online SGD of a two-layer teacher-student network (Goldt et al. 2020).");
  if (rc) return rc == 1 ? 0 : 2;
  if (ts_scmcli_check(&a, opts, 1)) return 2;
  if (!ts_cli_seen(opts, "-N")) return ts_cli_fail("-N is required");
  if (N < 2) return ts_cli_fail("-N must be >= 2 (got %d)", N);
  if (batch < 1) return ts_cli_fail("--batch must be >= 1 (got %d)", batch);
  if (ts_cli_seen(opts, "--init-std") && !(init_std >= 0)) return ts_cli_fail("--init-std must be >= 0");
  if (a.alpha * N / batch > 1e12) return ts_cli_fail("--alpha %g is too long for N = %d", a.alpha, N);
  ts_gsl_errors_off();

  ts_sgd_params p;
  ts_sgd_params_init(&p, a.act, N, a.K, a.M, a.lr);
  p.lr2 = a.lr2;
  p.train_v = a.both;
  p.sigma = a.sigma;
  p.wd = a.wd;
  p.batch = batch;
  p.v0 = a.v0;
  p.vstar = a.vstar;
  if (init_std >= 0) p.init_std = init_std;
  ts_sgd *sgd = ts_sgd_alloc(&p, a.seed);
  ts_scm_state *s = ts_scm_alloc(a.K, a.M);
  int ncol = 2 + ts_scm_n_cols(a.K, a.M);
  double *grid = malloc((size_t)a.npoints * sizeof *grid), *row = malloc((size_t)ncol * sizeof *row);
  if (!sgd || !s || !grid || !row) return 1;
  ts_logspace(a.alpha > 1.0 ? 0.1 : a.alpha / 10, a.alpha, a.npoints, grid);

  ts_table *t = ts_table_open("-", "scm-sgd");
  if (!t) return 1;
  ts_scmcli_meta(&a, t);
  ts_table_meta(t, "N", "%d", N);
  ts_table_meta(t, "batch", "%d", batch);
  ts_table_meta(t, "init", "student w ~ N(0, %g^2), teacher w* ~ N(0, %g^2), v = v0, v* = vstar", p.init_std,
                p.teacher_std);
  ts_table_meta(t, "rng", "%s, sampler %s; weights from stream (seed, 0), data from stream (seed, 1)",
                ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(t, "eg", "analytic from the order parameters (ts_scm_eg)");
  int nout = ts_scmcli_columns(&a, t);
  if (nout < 0) return 1;
  long done = 0;
  for (int i = -1; i < a.npoints; i++) {
    long target = i < 0 ? 0 : lround(grid[i] * N / batch);
    if (i >= 0 && target <= done) continue; /* two points within one step: print once */
    if (target > done) {
      rc = ts_sgd_run(sgd, target - done);
      if (rc) {
        ts_error(rc, "SGD %s at alpha = %g (lower --lr)", rc == TS_EDIVERGE ? "diverged" : "failed", ts_sgd_alpha(sgd));
        return 1;
      }
      done = target;
    }
    if (ts_sgd_overlaps(sgd, s)) return 1;
    row[0] = ts_sgd_alpha(sgd);
    row[1] = ts_scm_eg(s, a.act, a.act);
    if (a.overlaps) ts_scm_cols(s, row + 2);
    if (ts_table_row(t, nout, row)) return 1;
  }
  if (ts_table_close(t)) return 1;
  free(row); free(grid);
  ts_scm_free(s); ts_sgd_free(sgd);
  return 0;
}
