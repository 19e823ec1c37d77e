/* lib_veiga — regions, time scalings and ODE coefficients of Veiga et al. 2022; the authors' Figure IC (NumPy legacy
 * generator emulated); finite-d simulations and region-ODE curves on the record grid (see veiga.h). */
#include "veiga.h"

#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_util.h"
#include "ts_linalg.h"
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_stats.h"
#include "ts_table.h"

int veiga_region_of(double kappa, double delta, double tol, veiga_region *r)
{
  if (!isfinite(kappa) || !isfinite(delta) || !(tol >= 0 && tol < 0.25))
    return ts_error(TS_EINVAL, "veiga_region_of: kappa = %g, delta = %g, tol = %g (finite, 0 <= tol < 1/4)", kappa,
                    delta, tol);
  double s = kappa + delta;
  if (fabs(s) <= tol) *r = VEIGA_BLUE;
  else if (s > tol) *r = VEIGA_GREEN;
  else if (s > -0.5 + tol) *r = VEIGA_ORANGE;
  else if (s < -0.5 - tol) *r = VEIGA_RED;
  else
    return ts_error(TS_EINVAL, "veiga_region_of: kappa + delta = %g is on the orange/red boundary -1/2 (band %g)", s,
                    tol);
  return TS_OK;
}

const char *veiga_region_name(veiga_region r)
{
  static const char *names[] = {"blue", "green", "orange", "red"};
  return (r >= VEIGA_BLUE && r <= VEIGA_RED) ? names[r] : "?";
}

double veiga_theta(veiga_region r, double kappa, double delta)
{
  switch (r) {
  case VEIGA_BLUE: return 0;
  case VEIGA_GREEN: return kappa + delta;
  case VEIGA_ORANGE: return 2 * (kappa + delta);
  default: return NAN;
  }
}

long veiga_steps_for_time(veiga_region r, double kappa, double delta, double d, double t)
{
  double th = veiga_theta(r, kappa, delta);
  if (isnan(th) || !(d >= 1) || !(t >= 0)) return -1;
  return (long)floor(t * pow(d, 1 + th));
}

int veiga_ode_params(veiga_region r, int p0, int k, double gamma0, double Delta, ts_ode_params *out)
{
  if (r == VEIGA_RED) return ts_error(TS_EINVAL, "the red region (kappa + delta < -1/2) has no ODE limit");
  if (p0 < 1 || k < 1 || !(gamma0 > 0) || !isfinite(gamma0) || !(Delta >= 0) || !isfinite(Delta))
    return ts_error(TS_EINVAL, "veiga_ode_params: p = %d, k = %d, gamma0 = %g, Delta = %g", p0, k, gamma0, Delta);
  ts_ode_params_init(out, TS_ACT_ERF, p0, k, gamma0);
  out->sigma = sqrt(Delta);
  out->c_grad = (r == VEIGA_ORANGE) ? 0 : 1;
  out->c_noise = (r == VEIGA_GREEN) ? 0 : 1;
  return TS_OK;
}

void veiga_state_init(ts_scm_state *s)
{
  for (int i = 0; i < s->K; i++) s->v[i] = 1.0 / s->K;
  for (int r = 0; r < s->M; r++) s->vstar[r] = 1.0 / s->M;
}

double veiga_risk(const ts_scm_state *s) { return ts_scm_eg(s, TS_ACT_ERF, TS_ACT_ERF); }

int veiga_record_grid(int L, double *t)
{
  if (L < 0 || L > 12) return -1;
  int n = 0;
  double dec = 1;
  for (int l = 0; l < L; l++, dec *= 10)
    for (int j = 1; j <= 9; j++) t[n++] = j * dec;
  t[n++] = dec;
  return n;
}

/* ---- NumPy legacy generator (MT19937 + 53-bit doubles + polar normals) ---------------------------------------- */

#define VEIGA__MT_N 624
#define VEIGA__MT_M 397

void veiga_np_seed(veiga_np_legacy *g, uint32_t seed)
{
  g->mt[0] = seed;
  for (int i = 1; i < VEIGA__MT_N; i++)
    g->mt[i] = 1812433253u * (g->mt[i - 1] ^ (g->mt[i - 1] >> 30)) + (uint32_t)i;
  g->mti = VEIGA__MT_N;
  g->has_gauss = 0;
  g->gauss = 0;
}

uint32_t veiga_np_u32(veiga_np_legacy *g)
{
  static const uint32_t mag01[2] = {0u, 0x9908b0dfu};
  const uint32_t upper = 0x80000000u, lower = 0x7fffffffu;
  if (g->mti >= VEIGA__MT_N) { /* regenerate the block */
    int kk;
    uint32_t y;
    for (kk = 0; kk < VEIGA__MT_N - VEIGA__MT_M; kk++) {
      y = (g->mt[kk] & upper) | (g->mt[kk + 1] & lower);
      g->mt[kk] = g->mt[kk + VEIGA__MT_M] ^ (y >> 1) ^ mag01[y & 1u];
    }
    for (; kk < VEIGA__MT_N - 1; kk++) {
      y = (g->mt[kk] & upper) | (g->mt[kk + 1] & lower);
      g->mt[kk] = g->mt[kk + (VEIGA__MT_M - VEIGA__MT_N)] ^ (y >> 1) ^ mag01[y & 1u];
    }
    y = (g->mt[VEIGA__MT_N - 1] & upper) | (g->mt[0] & lower);
    g->mt[VEIGA__MT_N - 1] = g->mt[VEIGA__MT_M - 1] ^ (y >> 1) ^ mag01[y & 1u];
    g->mti = 0;
  }
  uint32_t y = g->mt[g->mti++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double veiga_np_double(veiga_np_legacy *g)
{
  uint32_t a = veiga_np_u32(g) >> 5, b = veiga_np_u32(g) >> 6;
  return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

double veiga_np_randn(veiga_np_legacy *g)
{
  if (g->has_gauss) {
    g->has_gauss = 0;
    return g->gauss;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * veiga_np_double(g) - 1.0;
    x2 = 2.0 * veiga_np_double(g) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = sqrt(-2.0 * log(r2) / r2);
  g->gauss = f * x1;
  g->has_gauss = 1;
  return f * x2;
}

void veiga_figure_ic_matrix(double A[VEIGA_IC_P * VEIGA_IC_K])
{
  veiga_np_legacy g;
  veiga_np_seed(&g, 0);
  for (int j = 0; j < VEIGA_IC_P * VEIGA_IC_K; j++) A[j] = veiga_np_randn(&g);
  for (int i = 0; i < VEIGA_IC_P; i++) {
    double n2 = 0;
    for (int r = 0; r < VEIGA_IC_K; r++) n2 += A[i * VEIGA_IC_K + r] * A[i * VEIGA_IC_K + r];
    double inv = 1.0 / sqrt(n2);
    for (int r = 0; r < VEIGA_IC_K; r++) A[i * VEIGA_IC_K + r] *= inv;
  }
}

int veiga_figure_ic_state(ts_scm_state *s)
{
  if (!s || s->K != VEIGA_IC_P || s->M != VEIGA_IC_K)
    return ts_error(TS_EINVAL, "veiga_figure_ic_state: the Figure IC is p = %d, k = %d", VEIGA_IC_P, VEIGA_IC_K);
  double A[VEIGA_IC_P * VEIGA_IC_K];
  veiga_figure_ic_matrix(A);
  const int p = VEIGA_IC_P, k = VEIGA_IC_K;
  for (int i = 0; i < p; i++) {
    for (int j = 0; j < p; j++) {
      double q = 0;
      for (int r = 0; r < k; r++) q += A[i * k + r] * A[j * k + r];
      s->Q[i * p + j] = q;
    }
    for (int r = 0; r < k; r++) s->R[i * k + r] = A[i * k + r];
  }
  for (int r = 0; r < k; r++)
    for (int q = 0; q < k; q++) s->T[r * k + q] = (r == q);
  veiga_state_init(s);
  return TS_OK;
}

/* ---- simulations ------------------------------------------------------------------------------------------------ */

void veiga_sim_params_init(veiga_sim_params *sp)
{
  sp->d = 1000;
  sp->p = VEIGA_IC_P;
  sp->k = VEIGA_IC_K;
  sp->kappa = 0;
  sp->delta = 0;
  sp->gamma0 = 8;
  sp->Delta = 1e-3;
  sp->ic = VEIGA_IC_FIGURE;
  sp->region_tol = VEIGA_REGION_TOL;
}

void veiga_sgd_params(const veiga_sim_params *sp, ts_sgd_params *out)
{
  ts_sgd_params_init(out, TS_ACT_ERF, sp->d, sp->p, sp->k, sp->gamma0 * pow((double)sp->d, -sp->delta));
  out->v0 = 1.0 / sp->p;
  out->vstar = 1.0 / sp->k;
  out->sigma = sqrt(sp->Delta);
}

static int veiga__check_sim(const veiga_sim_params *sp)
{
  if (!sp || sp->d < 2 || sp->p < 1 || sp->k < 1 || !isfinite(sp->kappa) || !isfinite(sp->delta) ||
      !(sp->gamma0 > 0) || !isfinite(sp->gamma0) || !(sp->Delta >= 0) || !isfinite(sp->Delta))
    return ts_error(TS_EINVAL, "veiga simulation: invalid parameters");
  if (sp->ic == VEIGA_IC_FIGURE && (sp->p != VEIGA_IC_P || sp->k != VEIGA_IC_K))
    return ts_error(TS_EINVAL, "veiga simulation: the Figure IC needs p = %d, k = %d (got %d, %d)", VEIGA_IC_P,
                    VEIGA_IC_K, sp->p, sp->k);
  if (sp->ic == VEIGA_IC_FIGURE && sp->d < VEIGA_IC_K)
    return ts_error(TS_EINVAL, "veiga simulation: d = %d < k", sp->d);
  if (sp->ic != VEIGA_IC_FIGURE && sp->ic != VEIGA_IC_GAUSS)
    return ts_error(TS_EINVAL, "veiga simulation: unknown initial condition %d", (int)sp->ic);
  return TS_OK;
}

ts_sgd *veiga_sim_alloc(const veiga_sim_params *sp, uint64_t seed)
{
  if (veiga__check_sim(sp) != TS_OK) return NULL;
  ts_sgd_params p;
  veiga_sgd_params(sp, &p);
  ts_sgd *s = ts_sgd_alloc(&p, seed);
  if (!s) return NULL;
  const int d = sp->d, K = sp->p, M = sp->k;
  double *ws = ts_sgd_wstar(s), *w = ts_sgd_w(s);
  if (ts_orthonormal_rows(M, d, ws, sqrt((double)d)) != TS_OK) {
    ts_sgd_free(s);
    return NULL;
  }
  if (sp->ic == VEIGA_IC_FIGURE) {
    double A[VEIGA_IC_P * VEIGA_IC_K];
    veiga_figure_ic_matrix(A);
    for (int i = 0; i < K; i++)
      for (int j = 0; j < d; j++) {
        double x = 0;
        for (int r = 0; r < M; r++) x += A[i * M + r] * ws[(size_t)r * d + j];
        w[(size_t)i * d + j] = x;
      }
  } else {
    for (int i = 0; i < K; i++) {
      double n2 = 0, *wi = w + (size_t)i * d;
      for (int j = 0; j < d; j++) n2 += wi[j] * wi[j];
      double sc = sqrt((double)d / n2);
      for (int j = 0; j < d; j++) wi[j] *= sc;
    }
  }
  return s;
}

static double veiga__risk_of(const ts_sgd *s, ts_scm_state *st)
{
  if (ts_sgd_overlaps(s, st) != TS_OK) return NAN;
  return veiga_risk(st);
}

int veiga_sim_curve(const veiga_sim_params *sp, uint64_t seed, const double *t, int n, double *risk, double *t_rec,
                    double *risk0, double *t_fail, struct ts_progress *progress)
{
  if (veiga__check_sim(sp) != TS_OK) return TS_EINVAL;
  veiga_region r;
  if (veiga_region_of(sp->kappa, sp->delta, sp->region_tol, &r) != TS_OK) return TS_EINVAL;
  if (r == VEIGA_RED) return ts_error(TS_EINVAL, "veiga_sim_curve: the red region has no rescaled time");
  if (n < 1 || !t || !risk) return ts_error(TS_EINVAL, "veiga_sim_curve: empty record grid");
  for (int i = 0; i < n; i++)
    if (!(t[i] > 0) || !isfinite(t[i]) || (i > 0 && t[i] <= t[i - 1]))
      return ts_error(TS_EINVAL, "veiga_sim_curve: record times must be positive and ascending");
  const double xs = pow((double)sp->d, 1 + veiga_theta(r, sp->kappa, sp->delta));
  ts_sgd *s = veiga_sim_alloc(sp, seed);
  ts_scm_state *st = ts_scm_alloc(sp->p, sp->k);
  int rc = TS_OK;
  if (!s || !st) {
    rc = s ? ts_error(TS_ENOMEM, "veiga_sim_curve: out of memory") : TS_EINVAL;
    goto out;
  }
  if (risk0) *risk0 = veiga__risk_of(s, st);
  long done = 0;
  for (int i = 0; i < n; i++) {
    long target = (long)floor(t[i] * xs);
    if (target > done) {
      rc = ts_sgd_run(s, target - done);
      if (progress) ts_progress_add(progress, (double)(target - done));
      if (rc != TS_OK) {
        if (t_fail) *t_fail = (double)done / xs;
        goto out;
      }
      done = target;
    }
    risk[i] = veiga__risk_of(s, st);
    if (t_rec) t_rec[i] = (double)done / xs;
    if (!isfinite(risk[i])) {
      if (t_fail) *t_fail = (double)done / xs;
      rc = ts_error(TS_EDIVERGE, "veiga_sim_curve: non-finite risk at t = %g (d = %d)", (double)done / xs, sp->d);
      goto out;
    }
  }
out:
  ts_scm_free(st);
  ts_sgd_free(s);
  return rc;
}

/* ---- region ODE on a grid --------------------------------------------------------------------------------------- */

typedef struct {
  double *risk;
  int i, n;
} veiga__ode_ctx;

static int veiga__ode_obs(double alpha, const ts_scm_state *s, double eg, void *ctx)
{
  veiga__ode_ctx *c = ctx;
  (void)alpha;
  (void)eg;
  if (c->i > 0 && c->i <= c->n) c->risk[c->i - 1] = veiga_risk(s); /* call 0 is at t = 0 */
  c->i++;
  return 0;
}

int veiga_ode_curve(veiga_region r, double gamma0, double Delta, ts_scm_state *s, const double *t, int n,
                    const ts_ode_integrator *integ, double *risk, double *t_fail)
{
  ts_ode_params p;
  if (!s || !t || !risk || n < 1) return ts_error(TS_EINVAL, "veiga_ode_curve: missing arguments");
  int rc = veiga_ode_params(r, s->K, s->M, gamma0, Delta, &p);
  if (rc) return rc;
  ts_ode *w = ts_ode_alloc(&p);
  if (!w) return TS_ENOMEM;
  veiga__ode_ctx c = {risk, 0, n};
  rc = ts_ode_integrate(w, s, 0.0, t, n, integ, veiga__ode_obs, &c, t_fail);
  ts_ode_free(w);
  return rc;
}

double veiga_euler_dt(double theta, double d_discr) { return pow(d_discr, -(1 + theta)); }

void veiga_loglog_fit(const double *x, const double *y, int n, double *slope, double *slope_se, double *intercept)
{
  double lx[256], ly[256];
  int m = n < 256 ? n : 256;
  for (int i = 0; i < m; i++) {
    lx[i] = log(x[i]);
    ly[i] = log(y[i]);
  }
  ts_linfit(lx, ly, m, slope, intercept, NULL, slope_se);
}

/* ---- batches of simulations ---------------------------------------------------------------------------------------- */

static double veiga__job_cost(const veiga_sim_job *j, double t_end)
{
  veiga_region r;
  if (veiga_region_of(j->sp.kappa, j->sp.delta, j->sp.region_tol, &r) != TS_OK || r == VEIGA_RED) return 0;
  /* steps x per-step work ~ (d (2p + k) + a fixed cost of ~ 100 d-units) */
  double steps = t_end * pow((double)j->sp.d, 1 + veiga_theta(r, j->sp.kappa, j->sp.delta));
  return steps * ((double)j->sp.d * (2 * j->sp.p + j->sp.k) + 100.0);
}

int veiga_sim_jobs_run(veiga_sim_job *jobs, int nj, const double *t, int n, const char *label)
{
  if (nj < 1 || n < 1) return ts_error(TS_EINVAL, "veiga_sim_jobs_run: no jobs or no records");
  int *order = malloc(sizeof(int) * (size_t)nj);
  if (!order) return ts_error(TS_ENOMEM, "veiga_sim_jobs_run: out of memory");
  double total = 0;
  for (int j = 0; j < nj; j++) {
    order[j] = j;
    jobs[j].risk = calloc((size_t)n, sizeof(double));
    jobs[j].t_rec = calloc((size_t)n, sizeof(double));
    jobs[j].status = TS_OK;
    if (!jobs[j].risk || !jobs[j].t_rec) {
      free(order);
      return ts_error(TS_ENOMEM, "veiga_sim_jobs_run: out of memory");
    }
    veiga_region r;
    if (veiga_region_of(jobs[j].sp.kappa, jobs[j].sp.delta, jobs[j].sp.region_tol, &r) == TS_OK && r != VEIGA_RED)
      total += t[n - 1] * pow((double)jobs[j].sp.d, 1 + veiga_theta(r, jobs[j].sp.kappa, jobs[j].sp.delta));
  }
  /* costliest first (insertion sort: a few hundred jobs at most; ties keep the index order) */
  for (int a = 1; a < nj; a++) {
    int x = order[a], b = a;
    double cx = veiga__job_cost(&jobs[x], t[n - 1]);
    while (b > 0 && veiga__job_cost(&jobs[order[b - 1]], t[n - 1]) < cx) {
      order[b] = order[b - 1];
      b--;
    }
    order[b] = x;
  }
  ts_progress *prog = ts_progress_start(label ? label : "simulations", total);
#pragma omp parallel for schedule(dynamic, 1)
  for (int a = 0; a < nj; a++) {
    veiga_sim_job *j = &jobs[order[a]];
    j->status = veiga_sim_curve(&j->sp, j->seed, t, n, j->risk, j->t_rec, &j->risk0, &j->t_fail, prog);
  }
  ts_progress_end(prog);
  free(order);
  int rc = TS_OK;
  for (int j = 0; j < nj; j++)
    if (jobs[j].status != TS_OK) {
      ts_error(jobs[j].status, "simulation d = %d, Delta = %g, delta = %g, kappa = %g (seed %llu) failed at t = %g%s",
               jobs[j].sp.d, jobs[j].sp.Delta, jobs[j].sp.delta, jobs[j].sp.kappa, (unsigned long long)jobs[j].seed,
               jobs[j].t_fail, jobs[j].status == TS_EDIVERGE ? " (diverged)" : "");
      if (rc == TS_OK) rc = jobs[j].status;
    }
  return rc;
}

void veiga_sim_jobs_free(veiga_sim_job *jobs, int nj)
{
  for (int j = 0; j < nj; j++) {
    free(jobs[j].risk);
    free(jobs[j].t_rec);
    jobs[j].risk = jobs[j].t_rec = NULL;
  }
}

void veiga_jobs_mean(const veiga_sim_job *jobs, const int *idx, int m, int i, double *mean, double *se)
{
  double s = 0, s2 = 0;
  for (int a = 0; a < m; a++) s += jobs[idx[a]].risk[i];
  double mu = s / m;
  for (int a = 0; a < m; a++) s2 += (jobs[idx[a]].risk[i] - mu) * (jobs[idx[a]].risk[i] - mu);
  *mean = mu;
  *se = m > 1 ? sqrt(s2 / (m - 1) / m) : INFINITY;
}

/* ---- figure-program helpers ------------------------------------------------------------------------------------- */

ts_table *veiga_table_open(const char *dir, const char *name, const char *program, const char *mode, uint64_t seed)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  ts_table *t = ts_table_open(path, program);
  if (!t) return NULL;
  ts_table_meta(t, "mode", "%s", mode);
  ts_table_meta(t, "seed", "%llu (run j of a figure uses splitmix64(seed, j))", (unsigned long long)seed);
  ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(t, "model", "erf committees: student (1/p) sum_i g(w_i.x/sqrt d), teacher (1/k) sum_r g(w*_r.x/sqrt "
                "d), y = f* + sqrt(Delta) xi; SGD w_i += (gamma/p)(y - f) g'(lambda_i) x/sqrt d, gamma = gamma0 "
                "d^-delta");
  ts_table_meta(t, "risk", "R - Delta/2 = 1/2 E(f* - f)^2, analytic from the overlaps (no test set)");
  ts_table_meta(t, "time", "t = nu / d^(1 + theta): theta = 0 (blue), kappa+delta (green), 2(kappa+delta) (orange)");
  return t;
}

int veiga_write_sim_means(ts_table *t, const veiga_sim_job *jobs, int nj, int n, int seeds)
{
  int idx[1024], rc = TS_OK;
  if (seeds > 1024) seeds = 1024;
  for (int g = 0; g * seeds < nj; g++) {
    const veiga_sim_job *j0 = &jobs[g * seeds];
    for (int a = 0; a < seeds; a++) idx[a] = g * seeds + a;
    for (int i = 0; i < n; i++) {
      double mean, se;
      veiga_jobs_mean(jobs, idx, seeds, i, &mean, &se);
      if (!isfinite(se)) se = 0;
      double row[8] = {g, j0->sp.d, j0->sp.Delta, j0->sp.delta, j0->t_rec[i], mean, se, seeds};
      int r = ts_table_row(t, 8, row);
      if (r && !rc) rc = r;
    }
  }
  return rc;
}

void veiga_group_tail_mean(const veiga_sim_job *jobs, int g, int seeds, int i0, int n, double *mean, double *se)
{
  double s = 0, s2 = 0, m[1024];
  if (seeds > 1024) seeds = 1024;
  for (int a = 0; a < seeds; a++) {
    const double *r = jobs[g * seeds + a].risk;
    double x = 0;
    for (int i = i0; i < n; i++) x += r[i];
    m[a] = x / (n - i0);
    s += m[a];
  }
  double mu = s / seeds;
  for (int a = 0; a < seeds; a++) s2 += (m[a] - mu) * (m[a] - mu);
  *mean = mu;
  *se = seeds > 1 ? sqrt(s2 / (seeds - 1) / seeds) : INFINITY;
}

int veiga_tail_start(const double *t, int n, double frac)
{
  int i = 0;
  while (i < n - 1 && t[i] < t[n - 1] * frac) i++;
  return i;
}

/* ---- figures 4 and 5: the green region at kappa = 0 ---------------------------------------------------------------- */

#define VEIGA__GREEN_RTOL 1e-10
#define VEIGA__GREEN_ATOL 1e-16
#define VEIGA__MAXD 32

/* Claims of one figure: tail excess over the ODE per (Delta, d) group. */
typedef struct {
  double mean, se;       /* seed mean and SE of the tail mean of R - Delta/2                  */
  double last, last_se;  /* the same for the single last record (the paper's R_inf)           */
  double ex, ex_se;      /* tail mean minus the ODE's tail mean (the finite-d saturation)      */
} veiga__sat;

int veiga_green_figure_main(int argc, char **argv, const char *name, double delta)
{
  ts_fig_args fa = {"fast", "data/veiga2022", 2022, 0};
  int seeds = 0, L = 0;
  ts_opt opts[] = {TS_FIG_OPTS(fa),
                   {"--seeds", TS_OPT_INT, &seeds, "SGD runs per (d, Delta) (fast 3, full 5, smoke 2)", 0},
                   {"--L", TS_OPT_INT, &L, "t_max = 10^L (fast 3, full 4, smoke 1)", 0},
                   {NULL, 0, NULL, NULL, 0}};
  char usage[256], prog[64];
  snprintf(usage, sizeof usage, "%s [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\nVeiga et al. 2022 "
           "figure %s: green region, delta = %g: SGD vs ODE, R_inf against d.", name, name + 3, delta);
  snprintf(prog, sizeof prog, "veiga2022/%s", name);
  int rc = ts_cli_parse(argc, argv, opts, usage);
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  const int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  if (!seeds) seeds = smoke ? 2 : full ? 5 : 3;
  if (!L) L = smoke ? 1 : full ? 4 : 3;
  if (seeds < 2 || seeds > 100) return ts_cli_fail("--seeds must be in 2..100 (got %d)", seeds);
  if (L < 1 || L > 5) return ts_cli_fail("--L must be in 1..5 (got %d)", L);
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  ts_error_set_program(prog);

  /* d values: panel b (all), panel a (a subset, Delta = 1e-3) */
  static const int d_full[] = {30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
  static const int d_fast[] = {30, 50, 100, 150, 200, 300};
  static const int d_smoke[] = {20, 30, 40};
  const int *dl = smoke ? d_smoke : full ? d_full : d_fast;
  const int nd = smoke ? 3 : full ? 17 : 6;
  static const int a_full[] = {30, 100, 300, 1000}, a_fast[] = {30, 100, 300}, a_smoke[] = {20, 40};
  const int *al = smoke ? a_smoke : full ? a_full : a_fast;
  const int na = smoke ? 2 : full ? 4 : 3;
  static const double Deltas[3] = {1e-4, 1e-3, 1e-2};
  const int nD = 3, iD_a = 1;

  double t[64];
  const int n = veiga_record_grid(L, t);
  const double theta = delta; /* kappa = 0 */

  /* ---- green ODE per Delta (Delta does not enter the green ODE: one curve; computed once) ------------------ */
  double ode[64];
  {
    ts_scm_state *s = ts_scm_alloc(8, 4);
    ts_ode_integrator in;
    ts_ode_integrator_init(&in);
    in.adaptive = 1;
    in.rtol = VEIGA__GREEN_RTOL;
    in.atol = VEIGA__GREEN_ATOL;
    double tf;
    if (!s || veiga_figure_ic_state(s)) return 1;
    if ((rc = veiga_ode_curve(VEIGA_GREEN, 8, 1e-3, s, t, n, &in, ode, &tf))) {
      ts_error(rc, "green ODE failed at t = %g", tf);
      return 1;
    }
    ts_scm_free(s);
  }

  /* ---- SGD: groups (Delta index, d index), group-major ---------------------------------------------------------- */
  const int ng = nD * nd, nj = ng * seeds;
  veiga_sim_job *jobs = calloc((size_t)nj, sizeof *jobs);
  veiga__sat *sat = calloc((size_t)ng, sizeof *sat);
  if (!jobs || !sat) return 1;
  for (int j = 0; j < nj; j++) {
    int g = j / seeds;
    veiga_sim_params_init(&jobs[j].sp);
    jobs[j].sp.d = dl[g % nd];
    jobs[j].sp.Delta = Deltas[g / nd];
    jobs[j].sp.delta = delta;
    jobs[j].seed = ts_rng_seed_for(ts_rng_seed_for(fa.seed, (uint64_t)(1000 * delta)), (uint64_t)j);
  }
  char label[64];
  snprintf(label, sizeof label, "%s SGD", name);
  double w0 = ts_wall_seconds();
  if (veiga_sim_jobs_run(jobs, nj, t, n, label)) return 1;
  double w1 = ts_wall_seconds();

  /* saturation values: tail = records with t >= t_max/2 (the last half decade) */
  const int i0 = veiga_tail_start(t, n, 0.5);
  double ode_tail = 0;
  for (int i = i0; i < n; i++) ode_tail += ode[i];
  ode_tail /= n - i0;
  for (int g = 0; g < ng; g++) {
    veiga_group_tail_mean(jobs, g, seeds, i0, n, &sat[g].mean, &sat[g].se);
    veiga_group_tail_mean(jobs, g, seeds, n - 1, n, &sat[g].last, &sat[g].last_se);
    sat[g].ex = sat[g].mean - ode_tail;
    sat[g].ex_se = sat[g].se;
  }
  /* fits of ln(excess) and ln(last) on ln d per Delta */
  double slope[3], sse[3], icpt[3], slope_l[3], sse_l[3], icpt_l[3];
  int fit_ok[3];
  for (int a = 0; a < nD; a++) {
    double x[VEIGA__MAXD], y[VEIGA__MAXD], yl[VEIGA__MAXD];
    fit_ok[a] = 1;
    for (int k = 0; k < nd; k++) {
      x[k] = dl[k];
      y[k] = sat[a * nd + k].ex;
      yl[k] = sat[a * nd + k].last;
      if (!(y[k] > 0)) fit_ok[a] = 0;
    }
    if (fit_ok[a]) veiga_loglog_fit(x, y, nd, &slope[a], &sse[a], &icpt[a]);
    else slope[a] = sse[a] = icpt[a] = NAN;
    veiga_loglog_fit(x, yl, nd, &slope_l[a], &sse_l[a], &icpt_l[a]);
  }

  /* ---- data ------------------------------------------------------------------------------------------------------- */
  char fn[128];
  snprintf(fn, sizeof fn, "%s.tsv", name);
  ts_table *tb = veiga_table_open(fa.outdir, fn, prog, fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "green ODE (no noise term; independent of Delta and delta): R - Delta/2 at the record "
                "times, Figure IC");
  ts_table_meta(tb, "kappa", "0");
  ts_table_meta(tb, "delta", "%g", delta);
  ts_table_meta(tb, "p", "8");
  ts_table_meta(tb, "k", "4");
  ts_table_meta(tb, "gamma0", "8");
  ts_table_meta(tb, "integrator", "GSL rkf45, rtol %g, atol %g", VEIGA__GREEN_RTOL, VEIGA__GREEN_ATOL);
  ts_table_columns(tb, 2, (const char *[]){"t", "risk"});
  for (int i = 0; i < n; i++) ts_table_row(tb, 2, (double[]){t[i], ode[i]});
  if (ts_table_close(tb)) return 1;

  snprintf(fn, sizeof fn, "%s_sim.tsv", name);
  tb = veiga_table_open(fa.outdir, fn, prog, fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "SGD, green region: seed mean and SE of R - Delta/2 at nu = floor(t d^(1+delta)) steps");
  ts_table_meta(tb, "kappa", "0");
  ts_table_meta(tb, "delta", "%g", delta);
  ts_table_meta(tb, "gamma", "8 d^-%g", delta);
  ts_table_meta(tb, "p", "8");
  ts_table_meta(tb, "k", "4");
  ts_table_meta(tb, "Delta", "1e-4, 1e-3, 1e-2");
  {
    char buf[256] = "";
    for (int k = 0; k < nd; k++) snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", k ? "," : "", dl[k]);
    ts_table_meta(tb, "d", "%s", buf);
    buf[0] = 0;
    for (int k = 0; k < na; k++) snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", k ? "," : "", al[k]);
    ts_table_meta(tb, "d_panel_a", "%s", buf);
  }
  ts_table_meta(tb, "seeds_per_point", "%d", seeds);
  ts_table_meta(tb, "t_max", "1e%d", L);
  ts_table_meta(tb, "init", "Figure IC: W* orthonormal rows of norm sqrt d, W0 = A W*");
  ts_table_meta(tb, "wall_seconds_sgd", "%.1f", w1 - w0);
  ts_table_columns(tb, 8, (const char *[]){"group", "d", "Delta", "delta", "t", "mean", "se", "seeds"});
  if (veiga_write_sim_means(tb, jobs, nj, n, seeds) || ts_table_close(tb)) return 1;

  snprintf(fn, sizeof fn, "%s_rinf.tsv", name);
  tb = veiga_table_open(fa.outdir, fn, prog, fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "R_inf(d) per Delta: tail = mean over records t >= t_max/2 (t = %g..%g), last = the "
                "last record (the paper's R_inf), excess = tail minus the ODE's tail mean %.6g", t[i0], t[n - 1],
                ode_tail);
  ts_table_meta(tb, "delta", "%g", delta);
  ts_table_meta(tb, "seeds_per_point", "%d", seeds);
  ts_table_meta(tb, "t_max", "1e%d", L);
  ts_table_columns(tb, 9, (const char *[]){"Delta", "d", "tail", "tail_se", "last", "last_se", "excess", "excess_se",
                                           "panel_a"});
  for (int a = 0; a < nD; a++)
    for (int k = 0; k < nd; k++) {
      const veiga__sat *q = &sat[a * nd + k];
      int in_a = 0;
      for (int b = 0; b < na; b++) in_a |= al[b] == dl[k] && a == iD_a;
      ts_table_row(tb, 9, (double[]){Deltas[a], dl[k], q->mean, q->se, q->last, q->last_se, q->ex, q->ex_se, in_a});
    }
  if (ts_table_close(tb)) return 1;

  snprintf(fn, sizeof fn, "%s_fit.tsv", name);
  tb = veiga_table_open(fa.outdir, fn, prog, fa.mode, fa.seed);
  if (!tb) return 1;
  ts_table_meta(tb, "content", "OLS of ln R_inf on ln d per Delta: excess (gated) and last record (paper's)");
  ts_table_meta(tb, "delta", "%g", delta);
  ts_table_columns(tb, 7, (const char *[]){"Delta", "slope", "slope_se", "intercept", "slope_last", "slope_last_se",
                                           "intercept_last"});
  for (int a = 0; a < nD; a++)
    if (fit_ok[a]) ts_table_row(tb, 7, (double[]){Deltas[a], slope[a], sse[a], icpt[a], slope_l[a], sse_l[a], icpt_l[a]});
  if (ts_table_close(tb)) return 1;

  /* ---- claims ----------------------------------------------------------------------------------------------------- */
  char path[4096], meas[2048], rule[512], id[64], st[256], where[64];
  snprintf(path, sizeof path, "%s/%s.claims.tsv", fa.outdir, name);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  snprintf(where, sizeof where, "Fig. %sb, slides", name + 3);
  const char *why_smoke = "smoke mode: t_max = 10, no saturation yet";

  /* B1: R_inf - (ODE) ~ Delta d^-delta: slope -delta of ln(excess) against ln d, within 2 SE of the fit (the OLS
   * SE contains the seed scatter and the small-d noise).  The excess over the ODE removes the deterministic decay
   * that has not finished at t_max (it is ~ 0 at the paper's t_max = 10^4). */
  for (int a = 0; a < nD; a++) {
    snprintf(id, sizeof id, "%s-slope-Delta%g", name, Deltas[a]);
    snprintf(st, sizeof st, "R_inf - Delta/2 ~ Delta d^-delta at kappa = 0: log-log slope -%g (Delta = %g)", delta,
             Deltas[a]);
    if (smoke) { ts_claim_skip(c, id, where, st, why_smoke); continue; }
    if (!fit_ok[a]) {
      snprintf(meas, sizeof meas, "an excess over the ODE is <= 0: cannot fit (ODE tail %.3g)", ode_tail);
      ts_claim_check(c, id, where, st, "-delta", "slides: R_inf ~ Delta d^-delta", meas, 0, "fit impossible",
                     "the saturation is not resolved above the unfinished ODE decay at this t_max");
      continue;
    }
    snprintf(meas, sizeof meas, "slope %.3f +- %.3f (excess over ODE, %d d values, %d seeds); last-record slope %.3f "
             "+- %.3f", slope[a], sse[a], nd, seeds, slope_l[a], sse_l[a]);
    snprintf(rule, sizeof rule, "|slope + %g| <= 2 SE of the OLS slope", delta);
    int ok = fabs(slope[a] + delta) <= 2 * sse[a];
    char xf[512];
    const veiga__sat *big = &sat[a * nd + nd - 1];
    snprintf(xf, sizeof xf, "%.1f SE from -%g.  At t_max = 10^%d the ODE's own decay (%.3g) is still %.0f %% of the "
             "excess at d = %d and is subtracted; and the OLS SE over %d d values (largest %d) does not contain the "
             "curvature of subleading finite-size corrections; the paper's last-record estimate, slope %.3f, is further "
             "off", fabs(slope[a] + delta) / sse[a], delta, L, ode_tail, 100 * ode_tail / big->ex, dl[nd - 1], nd,
             dl[nd - 1], slope_l[a]);
    /* expected failure only where the estimator is dominated by the subtraction: the ODE's tail is >= 30 % of the
     * excess at the largest d (fast mode's t_max = 10^3); elsewhere a miss is a FAIL */
    const int subtraction_dominated = ode_tail >= 0.3 * big->ex;
    ts_claim_check(c, id, where, st, delta == 0.5 ? "-1/2" : "-1/4", "slides: R_inf - Delta/2 ~ Delta d^-delta", meas,
                   ok, rule, (!ok && subtraction_dominated) ? xf : NULL);
  }
  /* B2: proportional to Delta: at every d the excess at Delta = 1e-2 is 10x the one at 1e-3 (geometric mean over the
   * d values; tolerance 10 % for O(Delta) corrections plus 3 SE from the seed scatter). */
  {
    double lr = 0, var = 0;
    for (int k = 0; k < nd; k++) {
      const veiga__sat *h = &sat[2 * nd + k], *m = &sat[1 * nd + k];
      if (!(h->ex > 0 && m->ex > 0)) { lr = NAN; break; }
      lr += log(h->ex / m->ex) / nd;
      var += (pow(h->ex_se / h->ex, 2) + pow(m->ex_se / m->ex, 2)) / ((double)nd * nd);
    }
    double ratio = exp(lr), tol = 0.1 + 3 * sqrt(var);
    snprintf(meas, sizeof meas, "geometric mean over d of excess(1e-2)/excess(1e-3) = %.3f (relative SE %.3f)", ratio,
             sqrt(var));
    snprintf(rule, sizeof rule, "|ratio/10 - 1| <= 0.1 + 3 SE = %.3f", tol);
    snprintf(id, sizeof id, "%s-prop-Delta", name);
    if (smoke) ts_claim_skip(c, id, where, "R_inf - Delta/2 proportional to Delta", why_smoke);
    else
      ts_claim_check(c, id, where, "R_inf - Delta/2 proportional to Delta at fixed d", "10",
                     "slides: R_inf ~ Delta d^-delta", meas, isfinite(ratio) && fabs(ratio / 10 - 1) <= tol, rule,
                     NULL);
  }
  /* A1 (panel a): SGD follows the ODE early: t in [1, 10], at the largest panel-a d, within 3 SE plus the theorem's
   * scale log(p) sqrt(delta t) = log(p) d^-(1+theta)/2 (relative). */
  snprintf(where, sizeof where, "Fig. %sa", name + 3);
  {
    int ga = iD_a * nd, k;
    for (k = 0; k < nd; k++)
      if (dl[k] == al[na - 1]) break;
    ga += k;
    int idx[128], ok = 1;
    for (int s = 0; s < seeds; s++) idx[s] = ga * seeds + s;
    double worst = 0;
    int iend = veiga_tail_start(t, n, 1.0);
    if (iend > 9) iend = 9; /* t = 1..10 */
    const double fs = log(8.0) * pow((double)al[na - 1], -(1 + theta) / 2);
    for (int i = 0; i <= iend; i++) {
      double mean, se;
      veiga_jobs_mean(jobs, idx, seeds, i, &mean, &se);
      double dev = fabs(mean - ode[i]), tol = 3 * se + fs * ode[i];
      worst = fmax(worst, dev / tol);
      ok = ok && dev <= tol;
    }
    snprintf(meas, sizeof meas, "d = %d, t = 1..%g: max |SGD - ODE| / tolerance = %.3f", al[na - 1], t[iend], worst);
    snprintf(rule, sizeof rule, "|SGD - ODE| <= 3 SE + ODE log(p) d^-(1+theta)/2 (= %.3g relative) at every record",
             fs);
    snprintf(id, sizeof id, "%s-early-ode", name);
    ts_claim_check(c, id, where, "SGD follows the green ODE early", "ODE", "theorem (slides)", meas, ok, rule, NULL);
  }
  /* A2 (panel a): saturation R_inf(d) decreases with d (Delta = 1e-3, tail means, panel-a d values). */
  {
    int ok = 1;
    char *m = meas;
    size_t left = sizeof meas;
    double prev = INFINITY;
    for (int b = 0; b < na; b++) {
      int k;
      for (k = 0; k < nd; k++)
        if (dl[k] == al[b]) break;
      const veiga__sat *q = &sat[iD_a * nd + k];
      ok = ok && q->mean < prev;
      prev = q->mean;
      int w = snprintf(m, left, "%sd=%d: %.4g +- %.2g", b ? ", " : "", al[b], q->mean, q->se);
      m += w;
      left -= (size_t)w;
    }
    snprintf(id, sizeof id, "%s-sat-decreases", name);
    if (smoke) ts_claim_skip(c, id, where, "saturation level decreases with d", why_smoke);
    else
      ts_claim_check(c, id, where, "the sims saturate at R_inf(d), which decreases with d (Delta = 1e-3)",
                     "decreasing", "slides", meas, ok, "strictly decreasing seed means of the tail", NULL);
  }
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "%s: SGD %.1f s; claims: %d pass, %d fail, %d xfail, %d skip\n", name, w1 - w0, counts[TS_PASS],
          counts[TS_FAIL], counts[TS_XFAIL], counts[TS_SKIP]);
  veiga_sim_jobs_free(jobs, nj);
  free(jobs);
  free(sat);
  return 0;
}
