/* lib_phase — SGD starts, the extended time exponent and the classification rule of the computed phase diagram
 * (see phase.h). */
#include "phase.h"

#include <math.h>
#include <stdlib.h>

#include "ts_err.h"
#include "ts_linalg.h"
#include "ts_stats.h"

/* x <- x / |x| * norm; returns |x| before scaling */
static double veiga__normalise(double *x, int n, double norm)
{
  double s = 0;
  for (int j = 0; j < n; j++) s += x[j] * x[j];
  double l = sqrt(s);
  if (l > 0)
    for (int j = 0; j < n; j++) x[j] *= norm / l;
  return l;
}

ts_sgd *veiga_phase_warm_alloc(const veiga_sim_params *sp, double m0, uint64_t seed)
{
  if (!sp || !(m0 >= 0 && m0 <= 1) || sp->k > sp->d) {
    ts_error(TS_EINVAL, "veiga_phase_warm_alloc: m0 = %g (need [0, 1]), k = %d, d = %d (need k <= d)", m0,
             sp ? sp->k : 0, sp ? sp->d : 0);
    return NULL;
  }
  veiga_sim_params g = *sp;
  g.ic = VEIGA_IC_GAUSS;
  ts_sgd *s = veiga_sim_alloc(&g, seed);
  if (!s) return NULL;
  const int d = sp->d, p = sp->p, k = sp->k;
  const double *ws = ts_sgd_wstar(s);
  double *w = ts_sgd_w(s), sd = sqrt((double)d);
  for (int i = 0; i < p; i++) {
    double *wi = w + (size_t)i * d;
    const double *u = ws + (size_t)(i % k) * d; /* norm sqrt(d) */
    double c = 0;
    for (int j = 0; j < d; j++) c += wi[j] * u[j];
    c /= d;
    for (int j = 0; j < d; j++) wi[j] -= c * u[j]; /* orthogonal to u */
    veiga__normalise(wi, d, sd * sqrt(1 - m0 * m0));
    for (int j = 0; j < d; j++) wi[j] += m0 * u[j];
  }
  return s;
}

double veiga_phase_theta(double kappa, double delta)
{
  double s = kappa + delta;
  return s >= 0 ? s : 2 * s;
}

long veiga_phase_steps(double kappa, double delta, double d, double t)
{
  if (!isfinite(kappa) || !isfinite(delta) || !(d >= 1) || !isfinite(d) || !(t >= 0) || !isfinite(t)) return -1;
  double e = 1 + veiga_phase_theta(kappa, delta);
  return (long)floor(t * pow(d, e > 0 ? e : 0));
}

int veiga_phase_classify(int nd, const double *d, const double *r_mean, const double *r_se, double r_cv,
                         const double *jump_mean, const int *n_div, double cv_max, double b_th, veiga_region *cls,
                         double *slope, double *slope_se, double *jump_slope)
{
  if (nd < 2 || nd > 64) return ts_error(TS_EINVAL, "veiga_phase_classify: need 2..64 values of d (got %d)", nd);
  for (int i = 1; i < nd; i++)
    if (!(d[i] > d[i - 1])) return ts_error(TS_EINVAL, "veiga_phase_classify: d not ascending");
  if (slope) *slope = NAN;
  if (slope_se) *slope_se = NAN;
  if (jump_slope) *jump_slope = NAN;
  for (int i = 0; i < nd; i++)
    if (n_div[i] > 0) {
      *cls = VEIGA_RED;
      return TS_OK;
    }
  double lx[64] = {0}, ly[64] = {0}, lj[64] = {0};
  for (int i = 0; i < nd; i++) {
    if (!(d[i] > 0) || !(r_mean[i] > 0) || !isfinite(r_mean[i]) || !(jump_mean[i] > 0) || !isfinite(jump_mean[i]) ||
        !(r_se[i] >= 0) || !isfinite(r_se[i]))
      return ts_error(TS_EINVAL, "veiga_phase_classify: measurement %d not finite and positive", i);
    lx[i] = log(d[i]);
    ly[i] = log(r_mean[i]);
    lj[i] = log(jump_mean[i]);
  }
  double b, se_fit, bj;
  ts_linfit(lx, ly, nd, &b, NULL, NULL, &se_fit);
  ts_linfit(lx, lj, nd, &bj, NULL, NULL, NULL);
  /* SE propagated from the seed scatter: Var(ln r_i) ~ (se_i / r_i)^2, independent between d */
  double xbar = 0, sxx = 0, vprop = 0;
  for (int i = 0; i < nd; i++) xbar += lx[i] / nd;
  for (int i = 0; i < nd; i++) {
    double rel = r_se[i] / r_mean[i];
    sxx += (lx[i] - xbar) * (lx[i] - xbar);
    vprop += (lx[i] - xbar) * (lx[i] - xbar) * rel * rel;
  }
  double se_prop = sqrt(vprop) / sxx;
  if (slope) *slope = b;
  if (slope_se) *slope_se = (isfinite(se_fit) && se_fit > se_prop) ? se_fit : se_prop;
  if (jump_slope) *jump_slope = bj;
  if (bj >= 0 || !(r_cv <= cv_max)) *cls = VEIGA_RED;
  else if (b < -b_th) *cls = VEIGA_GREEN;
  else if (b > b_th) *cls = VEIGA_ORANGE;
  else *cls = VEIGA_BLUE;
  return TS_OK;
}

double veiga_phase_dist(const ts_scm_state *a, const ts_scm_state *b)
{
  if (a->K != b->K || a->M != b->M) return NAN;
  double m = 0;
  int bad = 0;
  for (int i = 0; i < a->K * a->K; i++) {
    double x = fabs(a->Q[i] - b->Q[i]);
    bad |= isnan(x);
    m = fmax(m, x);
  }
  for (int i = 0; i < a->K * a->M; i++) {
    double x = fabs(a->R[i] - b->R[i]);
    bad |= isnan(x);
    m = fmax(m, x);
  }
  return bad ? NAN : m;
}
