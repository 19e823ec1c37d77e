#include "ts_scmcli.h"

#include <math.h>
#include <stdlib.h>

#include "ts_cli.h"
#include "ts_err.h"
#include "ts_scm.h"

void ts_scmcli_init(ts_scmcli *a)
{
  *a = (ts_scmcli){.act_name = "erf", .act = TS_ACT_ERF, .K = 0, .M = 0, .lr = 0, .lr2 = -1, .both = 0,
                   .sigma = 0, .vstar = 1, .v0 = 1, .wd = 0, .alpha = 100, .npoints = 100, .seed = 1,
                   .overlaps = 0};
}

int ts_scmcli_check(ts_scmcli *a, const void *opts_v, int relu_ok)
{
  const ts_opt *opts = opts_v;
  if (ts_act_parse(a->act_name, &a->act) || (a->act == TS_ACT_RELU && !relu_ok))
    return ts_cli_fail("--act must be erf or linear%s (got '%s')", relu_ok ? " or relu" : "", a->act_name);
  if (!ts_cli_seen(opts, "-K")) return ts_cli_fail("-K is required");
  if (!ts_cli_seen(opts, "-M")) return ts_cli_fail("-M is required");
  if (!ts_cli_seen(opts, "--lr")) return ts_cli_fail("--lr is required");
  if (a->K < 1) return ts_cli_fail("-K must be >= 1 (got %d)", a->K);
  if (a->M < 1) return ts_cli_fail("-M must be >= 1 (got %d)", a->M);
  if (a->K > 1000 || a->M > 1000) return ts_cli_fail("-K and -M must be <= 1000");
  if (!(a->lr > 0)) return ts_cli_fail("--lr must be > 0 (got %g)", a->lr);
  if (ts_cli_seen(opts, "--lr2") && !(a->lr2 > 0)) return ts_cli_fail("--lr2 must be > 0 (got %g)", a->lr2);
  if (!ts_cli_seen(opts, "--lr2")) a->lr2 = a->lr;
  if (!(a->sigma >= 0)) return ts_cli_fail("--sigma must be >= 0 (got %g)", a->sigma);
  if (!(a->wd >= 0)) return ts_cli_fail("--wd must be >= 0 (got %g)", a->wd);
  if (!(a->alpha > 0)) return ts_cli_fail("--alpha must be > 0 (got %g)", a->alpha);
  if (a->npoints < 1 || a->npoints > 100000) return ts_cli_fail("--points must be in 1..100000 (got %d)", a->npoints);
  return 0;
}

void ts_scmcli_meta(const ts_scmcli *a, ts_table *t)
{
  ts_table_meta(t, "act", "%s", ts_act_name(a->act));
  ts_table_meta(t, "K", "%d", a->K);
  ts_table_meta(t, "M", "%d", a->M);
  ts_table_meta(t, "lr", "%.17g", a->lr);
  ts_table_meta(t, "lr2", "%.17g", a->lr2);
  ts_table_meta(t, "train", "%s", a->both ? "both layers" : "first layer (v fixed)");
  ts_table_meta(t, "sigma", "%.17g", a->sigma);
  ts_table_meta(t, "vstar", "%.17g", a->vstar);
  ts_table_meta(t, "v0", "%.17g", a->v0);
  ts_table_meta(t, "wd", "%.17g", a->wd);
  ts_table_meta(t, "alpha", "%.17g", a->alpha);
  ts_table_meta(t, "seed", "%llu", (unsigned long long)a->seed);
}

int ts_scmcli_columns(const ts_scmcli *a, ts_table *t)
{
  int n = 2 + (a->overlaps ? ts_scm_n_cols(a->K, a->M) : 0);
  const char **names = malloc((size_t)n * sizeof *names);
  char *buf = malloc((size_t)n * 32);
  if (!names || !buf) {
    free(names);
    free(buf);
    return ts_error(TS_ENOMEM, "out of memory"), -1;
  }
  names[0] = "alpha";
  names[1] = "eg";
  for (int j = 2; j < n; j++) {
    ts_scm_col_name(a->K, a->M, j - 2, buf + 32 * j, 32);
    names[j] = buf + 32 * j;
  }
  ts_table_columns(t, n, names);
  free(buf);
  free(names);
  return n;
}
