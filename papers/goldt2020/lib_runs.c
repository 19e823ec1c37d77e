/* Pieces shared by the Goldt et al. 2020 figure programs.  See goldt_runs.h. */
#include "goldt_runs.h"

#include <math.h>
#include <stdlib.h>

#include "ts_err.h"
#include "ts_rng.h"
#include "ts_sgd.h"
#include "ts_stats.h"
#include "ts_util.h"

/* Cosine overlap above which a student counts as specialised to a teacher. */
#define GOLDT__SPECIALISED_COS 0.9

static double goldt__sum_sq(const double *x, int n)
{
  double s = 0;
  for (int i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}

double goldt_eta_eff(int variant, double lr, int K)
{
  return variant == GOLDT_VAR_SCM ? lr * K : variant == GOLDT_VAR_NORM ? lr / K : lr;
}

int goldt_run_grid(const goldt_runs_params *p, double alpha_burn, goldt_run *res)
{
  int n = 0;
  double *g = res->grid, *lg = malloc((size_t)p->n_log * sizeof *lg);
  if (!lg) return ts_error(TS_ENOMEM, "out of memory");
  ts_logspace(1.0, alpha_burn, p->n_log, lg);
  for (int i = 0; i < p->n_log - 1; i++) {
    double a = round(lg[i] * p->N) / p->N;
    if (a > 0 && (n == 0 || a > g[n - 1])) g[n++] = a;
  }
  free(lg);
  res->tail0 = n;
  for (int i = 0; i < p->n_tail; i++) {
    double a = round(alpha_burn * (1.0 + (double)i / (p->n_tail - 1)) * p->N) / p->N;
    if (n == 0 || a > g[n - 1]) g[n++] = a;
  }
  res->ng = n;
  return TS_OK;
}

int goldt_grid_tail_half(int N, int n_log, int n_tail, double alpha_max, double *alpha, int *tail0)
{
  int n = 0;
  double a_tail = alpha_max / 2;
  double *lg = malloc((size_t)n_log * sizeof *lg);
  if (!lg) return 0;
  ts_logspace(1.0, a_tail, n_log, lg);
  for (int i = 0; i < n_log - 1; i++) {
    double a = round(lg[i] * N) / N;
    if (a > 0 && (n == 0 || a > alpha[n - 1])) alpha[n++] = a;
  }
  free(lg);
  *tail0 = n;
  for (int i = 0; i < n_tail; i++) {
    double a = round((a_tail + (alpha_max - a_tail) * i / (n_tail - 1)) * N) / N;
    if (n == 0 || a > alpha[n - 1]) alpha[n++] = a;
  }
  return n;
}

/* The ts_sgd parameters of a variant at student size K. */
static void goldt__sgd_params(const goldt_runs_params *p, int variant, int K, ts_sgd_params *sp)
{
  ts_sgd_params_init(sp, p->act, p->N, K, p->M, p->lr);
  sp->sigma = p->sigma;
  sp->vstar = p->vstar;
  if (variant == GOLDT_VAR_BOTH || variant == GOLDT_VAR_BOTH_V1) { sp->train_v = 1; sp->v_random = 1; }
  if (variant == GOLDT_VAR_NORM) { sp->v0 = 1.0 / K; sp->vstar = p->vstar / p->M; }
}

/* Per-member bookkeeping of a group run. */
typedef struct {
  ts_sgd *sgd;
  int pos, nh; /* next grid index; points in the first half of the tail window */
  double sa, sb;
} goldt__member;

void goldt_run_sgd_group(const goldt_runs_params *p, int variant, int n, const int *Ks, goldt_run *const *res,
                         uint64_t seed, ts_progress *prog)
{
  goldt__member *mb = calloc((size_t)n, sizeof *mb);
  ts_sgd **sg = calloc((size_t)n, sizeof *sg);
  ts_sgd *teacher = NULL;
  ts_sgd_group *g = NULL;
  int status = TS_OK;
  if (!mb || !sg) { status = ts_error(TS_ENOMEM, "out of memory"); goto done; }
  ts_sgd_params sp;
  goldt__sgd_params(p, variant, 1, &sp);
  if (!(teacher = ts_sgd_alloc(&sp, seed))) { status = TS_EINVAL; goto done; } /* its w*, v*: the group's teacher */
  for (int i = 0; i < n; i++) {
    goldt__sgd_params(p, variant, Ks[i], &sp);
    if (!(sg[i] = mb[i].sgd = ts_sgd_alloc(&sp, ts_rng_seed_for(seed, (uint64_t)Ks[i])))) { status = TS_EINVAL; goto done; }
    if ((status = ts_sgd_copy_teacher(sg[i], teacher))) goto done;
    double *v = ts_sgd_v(sg[i]);
    if (variant == GOLDT_VAR_BOTH)
      for (int k = 0; k < Ks[i]; k++) v[k] *= sp.init_std; /* v ~ N(0, 1/N): the same small scale as w */
    res[i]->vsq0 = goldt__sum_sq(v, Ks[i]);
    if (res[i]->init && (status = ts_sgd_overlaps(sg[i], res[i]->init))) goto done;
    res[i]->status = TS_OK;
    mb[i].nh = (res[i]->ng - res[i]->tail0) / 2;
  }
  if (!(g = ts_sgd_group_alloc(sg, n, seed))) { status = TS_EINVAL; goto done; }
  long done_steps = 0;
  for (int active = n; active > 0;) {
    long target = -1; /* the next grid point of any active member */
    for (int i = 0; i < n; i++)
      if (mb[i].pos < res[i]->ng && !res[i]->status) {
        long ti = lround(res[i]->grid[mb[i].pos] * p->N);
        if (target < 0 || ti < target) target = ti;
      }
    ts_sgd_group_run(g, target - done_steps); /* a diverged member is retired by the group; its status below */
    ts_progress_add(prog, (double)(target - done_steps) * active);
    done_steps = target;
    for (int i = 0; i < n; i++) {
      goldt_run *r = res[i];
      if (mb[i].pos >= r->ng || r->status) continue;
      if ((r->status = ts_sgd_group_status(g, i))) { r->alpha_fail = ts_sgd_alpha(sg[i]); active--; continue; }
      if (lround(r->grid[mb[i].pos] * p->N) != target) continue;
      double eg = ts_sgd_eg(sg[i]);
      if (!isfinite(eg)) {
        r->status = ts_error(TS_EDIVERGE, "%s: eps_g non-finite (K = %d)", p->name, Ks[i]);
        r->alpha_fail = r->grid[mb[i].pos];
      } else {
        int at = mb[i].pos;
        if (r->eg) r->eg[at] = eg;
        if (at >= r->tail0) { if (at - r->tail0 < mb[i].nh) mb[i].sa += eg; else mb[i].sb += eg; }
        mb[i].pos++;
      }
      if (r->status || mb[i].pos == r->ng) { ts_sgd_group_retire(g, i); active--; }
    }
  }
  for (int i = 0; i < n; i++) {
    goldt_run *r = res[i];
    if (r->status) continue;
    r->tail_a = mb[i].sa / mb[i].nh;
    r->tail_b = mb[i].sb / (r->ng - r->tail0 - mb[i].nh);
    r->tail = (mb[i].sa + mb[i].sb) / (r->ng - r->tail0);
    r->vsq = goldt__sum_sq(ts_sgd_v(sg[i]), Ks[i]);
  }
done:
  if (status)
    for (int i = 0; i < n; i++) res[i]->status = status;
  ts_sgd_group_free(g);
  for (int i = 0; sg && i < n; i++) ts_sgd_free(sg[i]);
  ts_sgd_free(teacher);
  free(sg);
  free(mb);
}

void goldt_run_sgd(const goldt_runs_params *p, int variant, int K, goldt_run *res, uint64_t seed, ts_progress *prog)
{
  goldt_run *r[1] = {res};
  goldt_run_sgd_group(p, variant, 1, &K, r, seed, prog);
}

int goldt_runs_report_failures(const goldt_run *runs, int n_var, int nK, int R, const int *Ks,
                               const char *const *labels)
{
  int bad = 0;
  for (int j = 0; j < n_var * nK * R; j++)
    if (runs[j].status) {
      ts_error(runs[j].status, "SGD run %s K=%d run %d failed at alpha=%g: %s", labels[j / (nK * R)],
               Ks[(j / R) % nK], j % R, runs[j].alpha_fail, runs[j].status == TS_EDIVERGE ? "diverged" : "error");
      bad++;
    }
  return bad;
}

int goldt_runs_write_curves(ts_table *t, const goldt_run *runs, int n_var, int nK, int R, const int *Ks)
{
  int rc = TS_OK;
  ts_table_columns(t, 5, (const char *[]){"variant", "K", "alpha", "eg", "tail"});
  for (int v = 0; v < n_var && !rc; v++)
    for (int k = 0; k < nK && !rc; k++) {
      const goldt_run *r = &runs[(v * nK + k) * R];
      for (int i = 0; i < r->ng && !rc; i++) {
        double row[5] = {v, Ks[k], r->grid[i], r->eg[i], i >= r->tail0};
        rc = ts_table_row(t, 5, row);
      }
    }
  return rc;
}

void goldt_mean_std(const double *x, int n, double *mean, double *sd)
{
  double a = 0, b = 0;
  for (int i = 0; i < n; i++) a += x[i];
  a /= n;
  for (int i = 0; i < n; i++) b += (x[i] - a) * (x[i] - a);
  *mean = a;
  *sd = n > 1 ? sqrt(b / (n - 1)) : 0;
}

int goldt_runs_stats(const goldt_run *r, int R, double *mean, double *sd, double *se, double *drift,
                     double *drift_se, double *vsq)
{
  double *x = malloc((size_t)R * sizeof *x), unused;
  if (!x) return ts_error(TS_ENOMEM, "out of memory");
  for (int i = 0; i < R; i++) x[i] = r[i].tail;
  goldt_mean_std(x, R, mean, sd);
  *se = *sd / sqrt(R);
  for (int i = 0; i < R; i++) x[i] = (r[i].tail_b - r[i].tail_a) / r[i].tail;
  goldt_mean_std(x, R, drift, drift_se);
  *drift_se /= sqrt(R);
  for (int i = 0; i < R; i++) x[i] = r[i].vsq;
  goldt_mean_std(x, R, vsq, &unused);
  free(x);
  return TS_OK;
}

int goldt_drift_worst(const double *drift, const double *drift_se, int n, double *worst, int *argworst)
{
  int ok = 1;
  *worst = 0;
  *argworst = 0;
  for (int i = 0; i < n; i++) {
    double ratio = fabs(drift[i]) / (GOLDT_DRIFT_NSE * drift_se[i] + GOLDT_DRIFT_REL);
    if (ratio > *worst) { *worst = ratio; *argworst = i; }
    ok = ok && ratio <= 1;
  }
  return ok;
}

goldt_wfit goldt_weighted_fit(const double *x, const double *y, const double *se, int n, double rel_allow)
{
  goldt_wfit f = {0};
  f.n = n;
  ts_wlinfit(x, y, se, n, &f.b, &f.a, &f.b_se, &f.chi2);
  f.argmax = 0;
  for (int i = 0; i < n; i++) {
    double m = fabs(y[i] - f.a - f.b * x[i]) / (3 * se[i] + rel_allow * fabs(f.a + f.b * x[i]));
    if (m > f.maxres || i == 0) { f.maxres = m; f.argmax = i; }
  }
  return f;
}

int goldt_fp_start(ts_scm_state *s, double noise, uint64_t seed)
{
  ts_rng *r = ts_rng_alloc(seed, 0);
  if (!r) return ts_error(TS_ENOMEM, "out of memory");
  for (int i = 0; i < s->K * s->M; i++) s->R[i] = noise * ts_rng_gaussian(r);
  ts_rng_free(r);
  return TS_OK;
}

int goldt_count_specialised(const ts_scm_state *s)
{
  int count = 0;
  for (int n = 0; n < s->M; n++)
    for (int i = 0; i < s->K; i++)
      if (s->R[i * s->M + n] / sqrt(s->Q[i * s->K + i] * s->T[n * s->M + n]) > GOLDT__SPECIALISED_COS) {
        count++;
        break;
      }
  return count;
}

void goldt_fp_record(goldt_fp *out, const ts_ode_fp_info *info, const ts_scm_state *s, ts_act act)
{
  out->residual = info->residual;
  out->max_re_eig = info->max_re_eig;
  out->iterations = info->iterations;
  out->eps = ts_scm_eg(s, act, act);
  out->specialised = goldt_count_specialised(s);
}
