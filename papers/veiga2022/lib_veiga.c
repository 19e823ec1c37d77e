/* lib_veiga — regions, time scalings and ODE coefficients of Veiga et al. 2022 (see veiga.h). */
#include "veiga.h"

#include <math.h>

#include "ts_err.h"

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
