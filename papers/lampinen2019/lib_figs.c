/* lib_figs — pieces shared by the figure programs of Lampinen & Ganguli 2019 (see lampinen_figs.h). */
#include "lampinen_figs.h"

#include <math.h>

#include "ts_err.h"
#include "ts_rng.h"
#include "ts_stats.h"

int lg_fig_argmin(const double *y, int n)
{
  int k = 0;
  for (int i = 1; i < n; i++)
    if (y[i] < y[k]) k = i;
  return k;
}

void lg_fig_mean_se(const double *x, int ns, double *m, double *se)
{
  if (ns >= 2) ts_batch_mean(x, ns, ns, m, se);
  else { *m = x[0]; *se = INFINITY; }
}

void lg_fig_seed_minima(const double *c, int seeds, int n, int every, double lr, double *mean, double *se,
                        double *topt)
{
  double mins[LG_FIG_MAX_SEEDS], m = 0, v = 0, tm = 0;
  for (int s = 0; s < seeds; s++) {
    int ib = lg_fig_argmin(c + (size_t)s * n, n);
    mins[s] = c[(size_t)s * n + ib];
    m += mins[s] / seeds;
    tm += (double)ib * every * lr / seeds;
  }
  for (int s = 0; s < seeds; s++) v += (mins[s] - m) * (mins[s] - m) / (seeds - 1);
  *mean = m;
  *se = sqrt(v / seeds);
  *topt = tm;
}

double lg_fig_oracle_ln(const lg_task *t, int rank)
{
  double cc = 0;
  for (int a = 0; a < rank; a++) cc += t->c[a] * t->c[a];
  return log(1 - cc / t->wbar_norm2);
}

int lg_fig_random_student(const lampinen_gd_params *p, int rank, double svm, double noise_var, double eps,
                          uint64_t seed, lg_task **t, lampinen_gd **g)
{
  *g = NULL;
  *t = lg_task_alloc(p->n1, p->n3, rank);
  ts_rng *rd = ts_rng_alloc(seed, 0), *ri = ts_rng_alloc(seed, 1);
  int rc = !*t || !rd || !ri ? TS_ENOMEM : lg_task_draw(*t, svm, noise_var, rd);
  if (!rc) {
    *g = lampinen_gd_alloc(p, (*t)->s31, (*t)->wbar);
    rc = *g ? lampinen_gd_init_random(*g, eps, ri) : TS_ENOMEM;
  }
  ts_rng_free(rd);
  ts_rng_free(ri);
  return rc;
}
