/* lib_theory.c — the analytic theory of Lampinen & Ganguli 2019 (see lampinen.h): single-mode dynamics (eq. 9,
 * App. A), the noisy data spectrum (eqs. 11-13), learning curves (eqs. 14, 15, 27), the non-gradient optimum
 * (eq. 16), randomised labels (sec. 3.5) and a derived asymptotic transfer theory (App. D). */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lampinen.h"
#include "ts_err.h"

/* Newton/bisection tolerances of the App. A inversion (relative in y) and the bisections below. */
#define LG_NEWTON_RTOL 1e-15
#define LG_NEWTON_MAXIT 200
#define LG_BISECT_IT 200
/* Gauss-Legendre nodes of the MP mass function (integrand smooth in theta). */
#define LG_MASS_NODES 128
/* Time grid of lg_theory_min_test_error: log-spaced points from LG_TMIN_FRAC t_max, then golden section. */
#define LG_TMIN_FRAC 1e-4
#define LG_TGRID 400
#define LG_GOLDEN_IT 80

/* ------------------------------------------------ single modes ------------------------------------------------ */

/* (1 - exp(-x)) / x, with the limit 1 at x = 0. */
static double lg__phi(double x) { return x == 0 ? 1.0 : -expm1(-x) / x; }

double lg_s_of_t(double t, double shat, double eps)
{
  /* s = shat eps / (shat e + eps (1 - e)), e = exp(-2 shat t): divide by shat -> eps / (e + 2 t eps phi(2 shat t)) */
  const double x = 2.0 * shat * t;
  return eps / (exp(-x) + 2.0 * t * eps * lg__phi(x));
}

double lg_t_of_s(double s, double shat, double eps)
{
  if (!(shat > 0) || !((s - eps) * (shat - s) > 0)) return NAN;
  return log((shat / eps - 1.0) / (shat / s - 1.0)) / (2.0 * shat);
}

double lg_t_half(double shat, double eps) { return log(shat / eps - 1.0) / (2.0 * shat); }

/* G(y) = y - coth y and G'(y) = 1 + csch^2 y (-> 1 where sinh overflows). */
static double lg__G(double y) { return y - 1.0 / tanh(y); }
static double lg__Gp(double y)
{
  double sh = sinh(y);
  return 1.0 + 1.0 / (sh * sh);
}

double lg_t_deep(double u, double shat, double eps)
{
  if (!(eps < u && u < shat)) return NAN;
  double y = atanh(sqrt(u / shat)), y0 = atanh(sqrt(eps / shat));
  return (lg__G(y) - lg__G(y0)) / (2.0 * shat * sqrt(shat));
}

double lg_s_deep(double t, double shat, double eps)
{
  if (!(shat > eps)) return eps;
  if (t <= 0) return eps;
  const double y0 = atanh(sqrt(eps / shat));
  const double target = lg__G(y0) + 2.0 * shat * sqrt(shat) * t;
  /* bracket [lo, hi]: G(lo) <= target <= G(hi); G(y) <= y, so hi >= target; G(y) >= y - 1 - 1/y */
  double lo = y0, hi = fmax(target, y0) + 2.0;
  while (lg__G(hi) < target) hi *= 2.0;
  double y = 0.5 * (lo + hi);
  for (int it = 0; it < LG_NEWTON_MAXIT; it++) {
    double g = lg__G(y) - target;
    if (g > 0) hi = y;
    else lo = y;
    double yn = y - g / lg__Gp(y);
    if (!(yn > lo && yn < hi)) yn = 0.5 * (lo + hi);
    if (fabs(yn - y) <= LG_NEWTON_RTOL * y) { y = yn; break; }
    y = yn;
  }
  double th = tanh(y);
  return shat * th * th;
}

double lg_s_nl(int nl, double t, double shat, double eps)
{
  return nl == 5 ? lg_s_deep(t, shat, eps) : lg_s_of_t(t, shat, eps);
}

/* ------------------------------------------------ data spectrum ----------------------------------------------- */

double lg_shat(double sbar, double A)
{
  if (sbar <= pow(A, 0.25)) return 1.0 + sqrt(A);
  double s2 = sbar * sbar;
  return sqrt((1.0 + s2) * (A + s2)) / sbar;
}

double lg_sbar_of_shat(double shat, double A)
{
  if (shat <= 1.0 + sqrt(A)) return 0.0;
  double b = shat * shat - 1.0 - A;
  double disc = b * b - 4.0 * A;
  return sqrt(0.5 * (b + sqrt(fmax(disc, 0.0))));
}

double lg_overlap(double sbar, double A, double *out_f, double *in_f)
{
  double o = 0, i = 0;
  if (sbar > pow(A, 0.25)) {
    double s2 = sbar * sbar;
    o = sqrt(fmax(0.0, 1.0 - A * (1.0 + s2) / (s2 * (A + s2))));
    i = sqrt(fmax(0.0, 1.0 - (A + s2) / (s2 * (1.0 + s2))));
  }
  if (out_f) *out_f = o;
  if (in_f) *in_f = i;
  return o * i;
}

double lg_mp_density(double x, double A)
{
  double d = x * x - 1.0 - A, r = 4.0 * A - d * d;
  if (!(x > 0) || r <= 0) return 0.0;
  return sqrt(r) / (M_PI * A * x);
}

/* x^2 and the density in theta: P(x) dx = 2 sin^2(theta) / (pi x^2) dtheta. */
static double lg__l(double th, double A) { return 1.0 + A + 2.0 * sqrt(A) * cos(th); }
static double lg__dens_theta(double th, double A)
{
  double s = sin(th), l = lg__l(th, A);
  if (l <= 0) { /* A = 1, theta = pi: the limit 2 sin^2(theta/2) / pi */
    double h = sin(0.5 * th);
    return 2.0 * h * h / M_PI;
  }
  return 2.0 * s * s / (M_PI * l);
}

/* Mass of the bulk with theta in [0, th] (x >= x(th)). */
static double lg__mass_theta(double th, double A, const gsl_integration_glfixed_table *tab)
{
  if (th <= 0) return 0.0;
  double sum = 0;
  for (size_t i = 0; i < tab->n; i++) {
    double xi, wi;
    gsl_integration_glfixed_point(0.0, th, i, &xi, &wi, tab);
    sum += wi * lg__dens_theta(xi, A);
  }
  return sum;
}

static double lg__theta_of_x(double x, double A)
{
  double c = (x * x - 1.0 - A) / (2.0 * sqrt(A));
  if (c >= 1) return 0.0;
  if (c <= -1) return M_PI;
  return acos(c);
}

double lg_mp_mass_above(double x, double A)
{
  gsl_integration_glfixed_table *tab = gsl_integration_glfixed_table_alloc(LG_MASS_NODES);
  if (!tab) return NAN;
  double m = lg__mass_theta(lg__theta_of_x(x, A), A, tab);
  gsl_integration_glfixed_table_free(tab);
  return m;
}

void lg_mp_free(lg_mp *m)
{
  if (!m) return;
  free(m->x_in);
  free(m->w_in);
  free(m->x_out);
  free(m->w_out);
  free(m);
}

/* n conditional nodes on theta in [a, b] into x, w (weights normalised to 1, all 0 if the interval is empty). */
static void lg__nodes(double a, double b, double A, const gsl_integration_glfixed_table *tab, double *x, double *w)
{
  double sum = 0;
  for (size_t i = 0; i < tab->n; i++) {
    double th, wi;
    gsl_integration_glfixed_point(a, b, i, &th, &wi, tab);
    x[i] = sqrt(fmax(lg__l(th, A), 0.0));
    w[i] = b > a ? wi * lg__dens_theta(th, A) : 0.0;
    sum += w[i];
  }
  for (size_t i = 0; i < tab->n; i++) w[i] = sum > 0 ? w[i] / sum : 0.0;
}

lg_mp *lg_mp_alloc(double A, double mass_in, int n)
{
  if (!(A > 0 && A <= 1) || !(mass_in >= 0 && mass_in <= 1) || n < 2) {
    ts_error(TS_EINVAL, "lg_mp_alloc: need 0 < A <= 1 (got %g), 0 <= mass_in <= 1 (got %g), n >= 2 (got %d)", A,
             mass_in, n);
    return NULL;
  }
  lg_mp *m = calloc(1, sizeof *m);
  gsl_integration_glfixed_table *tab = gsl_integration_glfixed_table_alloc((size_t)n);
  gsl_integration_glfixed_table *mt = gsl_integration_glfixed_table_alloc(LG_MASS_NODES);
  if (!m || !tab || !mt) goto fail;
  m->A = A;
  m->mass_in = mass_in;
  m->n = n;
  m->x_in = malloc(sizeof(double) * n);
  m->w_in = malloc(sizeof(double) * n);
  m->x_out = malloc(sizeof(double) * n);
  m->w_out = malloc(sizeof(double) * n);
  if (!m->x_in || !m->w_in || !m->x_out || !m->w_out) goto fail;
  /* split angle: mass(theta_f) = mass_in, by bisection (the mass is increasing in theta) */
  double thf;
  if (mass_in >= 1) thf = M_PI;
  else if (mass_in <= 0) thf = 0;
  else {
    double lo = 0, hi = M_PI;
    for (int it = 0; it < LG_BISECT_IT && hi - lo > 1e-15; it++) {
      double mid = 0.5 * (lo + hi);
      if (lg__mass_theta(mid, A, mt) < mass_in) lo = mid;
      else hi = mid;
    }
    thf = 0.5 * (lo + hi);
  }
  m->f = sqrt(fmax(lg__l(thf, A), 0.0));
  lg__nodes(0.0, thf, A, tab, m->x_in, m->w_in);
  lg__nodes(thf, M_PI, A, tab, m->x_out, m->w_out);
  gsl_integration_glfixed_table_free(tab);
  gsl_integration_glfixed_table_free(mt);
  return m;
fail:
  if (tab) gsl_integration_glfixed_table_free(tab);
  if (mt) gsl_integration_glfixed_table_free(mt);
  lg_mp_free(m);
  ts_error(TS_ENOMEM, "lg_mp_alloc: out of memory");
  return NULL;
}

/* ------------------------------------------------ learning curves --------------------------------------------- */

struct lg_theory {
  lg_theory_params p;
  int mode;            /* 0: standard (D = 1), 1: D < 1 (eq. 27), 2: D > 1                                     */
  double A, eps, tscale; /* effective aspect ratio; eps and time factor in sigma_z (and sqrt D) units          */
  double sb[16], sh[16], ov[16], cross[16]; /* teacher modes in those units; cross = coefficient of -2 s_a     */
  int learned;         /* teacher modes the student can hold: min(rank, N2)                                    */
  double n_in, n_out;  /* bulk modes in R_in (learned) and R_out (not learned)                                 */
  double extra_eps2;   /* (N - P) eps^2 of eq. (27)                                                            */
  double sum_sb2, train_den;
  lg_mp *mp;
};

lg_theory *lg_theory_alloc(const lg_theory_params *p)
{
  if (!p || p->rank < 1 || p->rank > 16 || p->n3 < p->rank || p->n2 < 1 || p->n2 > p->n3 || !(p->A > 0) ||
      p->A > 1 || !(p->sigma_z > 0) || !(p->eps > 0) || (p->nl != 3 && p->nl != 5) || p->nodes < 2) {
    ts_error(TS_EINVAL, "lg_theory_alloc: invalid parameters (need 1 <= rank <= 16, rank <= N3, 1 <= N2 <= N3, "
                        "0 < A <= 1, sigma_z > 0, eps > 0, nl = 3 or 5, nodes >= 2)");
    return NULL;
  }
  double D = p->D > 0 ? p->D : 1.0;
  if (D != 1.0 && (p->nl != 3 || p->A != 1.0 || p->n2 != p->n3)) {
    ts_error(TS_EINVAL, "lg_theory_alloc: D != 1 needs Nl = 3 and N1 = N2 = N3 (A = 1)");
    return NULL;
  }
  lg_theory *th = calloc(1, sizeof *th);
  if (!th) { ts_error(TS_ENOMEM, "lg_theory_alloc: out of memory"); return NULL; }
  th->p = *p;
  const double sz = p->sigma_z;
  th->mode = D < 1 ? 1 : D > 1 ? 2 : 0;
  th->A = th->mode == 1 ? D : p->A;
  double g = th->mode == 2 ? sqrt(D) : 1.0; /* D > 1: units scaled by sqrt(D) */
  th->eps = g * p->eps / sz;
  /* t' = tscale t: sigma_z^(1) for Nl = 3, sigma_z^(3/2) for Nl = 5 (u = sigma_z u'), times sqrt(D) if D > 1 */
  th->tscale = (p->nl == 5 ? sz * sqrt(sz) : sz) * g;
  th->learned = p->rank < p->n2 ? p->rank : p->n2;
  th->sum_sb2 = 0;
  double sum_sh2 = 0;
  for (int a = 0; a < p->rank; a++) {
    double sb = g * p->sbar[a] / sz;
    th->sb[a] = sb;
    th->sum_sb2 += sb * sb;
    if (th->mode == 1) { /* eq. (27): the data see sqrt(D) sbar at aspect ratio D */
      double sd = sqrt(D) * sb;
      th->sh[a] = lg_shat(sd, D);
      th->ov[a] = lg_overlap(sd, D, NULL, NULL);
      th->cross[a] = sd * th->ov[a];
    } else {
      th->sh[a] = lg_shat(sb, th->A);
      th->ov[a] = lg_overlap(sb, th->A, NULL, NULL);
      th->cross[a] = sb * th->ov[a];
    }
    sum_sh2 += th->sh[a] * th->sh[a];
  }
  double mass_in;
  if (th->mode == 1) { /* P - Nbar2 bulk modes over the whole MP(D) range, N - P modes stay at eps */
    th->n_in = (double)(D * p->n3) - p->rank;
    th->n_out = 0;
    th->extra_eps2 = (p->n3 - D * p->n3) * th->eps * th->eps;
    mass_in = 1.0;
  } else {
    int bulk = p->n3 - p->rank;
    int in = p->n2 - th->learned;
    th->n_in = in;
    th->n_out = bulk - in;
    mass_in = bulk > 0 ? (double)in / bulk : 0.0;
    if (p->whole_bulk) mass_in = 1.0;
    th->train_den = sum_sh2 + bulk;
  }
  th->mp = lg_mp_alloc(th->A, mass_in, p->nodes);
  if (!th->mp) { lg_theory_free(th); return NULL; }
  return th;
}

void lg_theory_free(lg_theory *th)
{
  if (!th) return;
  lg_mp_free(th->mp);
  free(th);
}

double lg_theory_shat(const lg_theory *th, int a) { return th->sh[a] * th->p.sigma_z; }
double lg_theory_overlap(const lg_theory *th, int a) { return th->ov[a]; }

double lg_theory_train_error(const lg_theory *th, double t)
{
  if (th->mode != 0) return NAN;
  const double tt = th->tscale * t, eps = th->eps;
  const lg_mp *m = th->mp;
  const int nl = th->p.nl;
  double num = 0;
  for (int a = 0; a < th->p.rank; a++) {
    double s = a < th->learned ? lg_s_nl(nl, tt, th->sh[a], eps) : 0.0;
    num += (s - th->sh[a]) * (s - th->sh[a]);
  }
  double in = 0, out = 0;
  for (int i = 0; i < m->n; i++) {
    double x = m->x_in[i], d = lg_s_nl(nl, tt, x, eps) - x;
    in += m->w_in[i] * d * d;
    out += m->w_out[i] * m->x_out[i] * m->x_out[i];
  }
  if (th->p.whole_bulk) { /* the authors' version: learned bulk over the whole range, the rest unlearned */
    double all2 = 1.0;  /* <x^2> over the whole bulk */
    num += th->n_in * in + th->n_out * all2;
  } else num += th->n_in * in + th->n_out * out;
  return num / th->train_den;
}

double lg_theory_test_error(const lg_theory *th, double t)
{
  const double tt = th->tscale * t, eps = th->eps;
  const lg_mp *m = th->mp;
  const int nl = th->p.nl;
  double num = th->extra_eps2;
  for (int a = 0; a < th->p.rank; a++) {
    double s = a < th->learned ? lg_s_nl(nl, tt, th->sh[a], eps) : 0.0;
    num += s * s + th->sb[a] * th->sb[a] - 2.0 * s * th->cross[a];
  }
  double in = 0;
  for (int i = 0; i < m->n; i++) {
    double s = lg_s_nl(nl, tt, m->x_in[i], eps);
    in += m->w_in[i] * s * s;
  }
  num += th->n_in * in;
  return num / th->sum_sb2;
}

double lg_theory_min_test_error(const lg_theory *th, double t_max, double *t_opt)
{
  /* log grid (plus t = 0), then golden section on the bracket around the best grid point */
  double best_t = 0, best = lg_theory_test_error(th, 0.0);
  double tg[LG_TGRID];
  const double t0 = LG_TMIN_FRAC * t_max, r = pow(t_max / t0, 1.0 / (LG_TGRID - 1));
  int ib = -1;
  for (int i = 0; i < LG_TGRID; i++) {
    tg[i] = i == LG_TGRID - 1 ? t_max : t0 * pow(r, i);
    double e = lg_theory_test_error(th, tg[i]);
    if (e < best) { best = e; best_t = tg[i]; ib = i; }
  }
  if (ib >= 0) {
    double a = ib > 0 ? tg[ib - 1] : 0.0, b = ib < LG_TGRID - 1 ? tg[ib + 1] : t_max;
    const double gr = 0.5 * (sqrt(5.0) - 1.0);
    double c = b - gr * (b - a), d = a + gr * (b - a);
    double fc = lg_theory_test_error(th, c), fd = lg_theory_test_error(th, d);
    for (int it = 0; it < LG_GOLDEN_IT; it++) {
      if (fc < fd) { b = d; d = c; fd = fc; c = b - gr * (b - a); fc = lg_theory_test_error(th, c); }
      else { a = c; c = d; fc = fd; d = a + gr * (b - a); fd = lg_theory_test_error(th, d); }
    }
    double tm = 0.5 * (a + b), fm = lg_theory_test_error(th, tm);
    if (fm < best) { best = fm; best_t = tm; }
  }
  if (t_opt) *t_opt = best_t;
  return best;
}

/* ------------------------------------------------ eq. (16), sec. 3.5 ------------------------------------------ */

double lg_nongrad_error(const double *sbar, int rank, double A, double sigma_z)
{
  double num = 0, den = 0;
  for (int a = 0; a < rank; a++) {
    double o = lg_overlap(sbar[a] / sigma_z, A, NULL, NULL);
    num += sbar[a] * sbar[a] * (1.0 - o * o);
    den += sbar[a] * sbar[a];
  }
  return num / den;
}

double lg_randomized_sigma(const double *sbar, int rank, int n3, double sigma_z)
{
  double s2 = 0;
  for (int a = 0; a < rank; a++) s2 += sbar[a] * sbar[a];
  return sqrt(s2 / n3 + sigma_z * sigma_z);
}

/* ------------------------------------------------ App. D (derived) -------------------------------------------- */

typedef struct {
  double sA, sB, q, Aj, eps;
  int nk;
  double sig[2], eA[2], eB[2], shk[2], al[2], be[2];
  double n_bulk_in; /* H - n_out learned bulk modes, half of them in head A */
  const lg_mp *mp;
} lg__joint;

static double lg__joint_error(const lg__joint *j, double t)
{
  double num = j->sA * j->sA;
  double in = 0;
  for (int i = 0; i < j->mp->n; i++) {
    double s = lg_s_of_t(t, j->mp->x_in[i], j->eps);
    in += j->mp->w_in[i] * s * s;
  }
  num += 0.5 * j->n_bulk_in * in;
  for (int k = 0; k < j->nk; k++) {
    double s = lg_s_of_t(t, j->shk[k], j->eps), a2 = j->al[k] * j->al[k];
    num += s * s * (a2 * j->eA[k] * j->eA[k] + 0.5 * (1.0 - a2));
    num -= 2.0 * j->sA * s * j->al[k] * j->be[k] * j->eA[k] * (j->sA * j->eA[k] + j->q * j->sB * j->eB[k]) /
           j->sig[k];
  }
  return num / (j->sA * j->sA);
}

int lg_transfer_theory(double sA, double sB, double q, int n1, int n3, int hidden, double sigma_z, double eps,
                       double t_max, int nodes, double *sep, double *joint)
{
  if (!(sA > 0) || !(sB > 0) || !(q >= 0 && q <= 1) || 2 * n3 > n1 || hidden < 2 || !(sigma_z > 0) ||
      !(eps > 0) || !(t_max > 0))
    return ts_error(TS_EINVAL, "lg_transfer_theory: need sA, sB > 0, 0 <= q <= 1, 2 N3 <= N1, hidden >= 2, "
                               "sigma_z, eps, t_max > 0");
  /* separate: eq. (15), rank 1, A = N3/N1, student rank min(N1, hidden, N3) */
  lg_theory_params p = {0};
  p.A = (double)n3 / n1;
  p.n3 = n3;
  p.n2 = hidden < n3 ? hidden : n3;
  p.rank = 1;
  p.sbar[0] = sA;
  p.sigma_z = sigma_z;
  p.eps = eps;
  p.nl = 3;
  p.nodes = nodes;
  lg_theory *th = lg_theory_alloc(&p);
  if (!th) return TS_EINVAL;
  *sep = lg_theory_min_test_error(th, t_max, NULL);
  lg_theory_free(th);

  /* joint: singular values of [sA uA vA^T; sB uB vB^T] from the 2 x 2 Gram matrix of the input sides */
  lg__joint j = {0};
  j.sA = sA / sigma_z;
  j.sB = sB / sigma_z;
  j.q = q;
  j.Aj = 2.0 * n3 / n1;
  j.eps = eps / sigma_z;
  double a = j.sA * j.sA, b = j.sB * j.sB, c = q * j.sA * j.sB;
  double mean = 0.5 * (a + b), dif = 0.5 * (a - b), rad = sqrt(dif * dif + c * c);
  double lam[2] = {mean + rad, mean - rad};
  const double thr = pow(j.Aj, 0.25);
  for (int k = 0; k < 2; k++) {
    /* eigenvector of [[a, c], [c, b]] for lam[k] */
    double ex, ey;
    if (c != 0) { ex = c; ey = lam[k] - a; }
    else if ((a >= b) == (k == 0)) { ex = 1; ey = 0; }
    else { ex = 0; ey = 1; }
    double nrm = hypot(ex, ey);
    if (nrm == 0) { ex = 1; ey = 0; nrm = 1; }
    double sg = sqrt(fmax(lam[k], 0.0));
    if (!(sg > thr)) continue; /* below the detectability threshold: part of the bulk */
    int n = j.nk++;
    j.sig[n] = sg;
    j.eA[n] = ex / nrm;
    j.eB[n] = ey / nrm;
    j.shk[n] = lg_shat(sg, j.Aj);
    lg_overlap(sg, j.Aj, &j.al[n], &j.be[n]);
  }
  int bulk = 2 * n3 - j.nk, h = hidden < 2 * n3 ? hidden : 2 * n3;
  j.n_bulk_in = h - j.nk;
  lg_mp *mp = lg_mp_alloc(j.Aj, bulk > 0 ? (double)(h - j.nk) / bulk : 0.0, nodes);
  if (!mp) return TS_ENOMEM;
  j.mp = mp;
  /* min over t in [0, t_max]: log grid then golden section (t in sigma_z units) */
  const double tm = t_max * sigma_z;
  double best = lg__joint_error(&j, 0.0), bt = 0;
  double tg[LG_TGRID];
  const double t0 = LG_TMIN_FRAC * tm, r = pow(tm / t0, 1.0 / (LG_TGRID - 1));
  int ib = -1;
  for (int i = 0; i < LG_TGRID; i++) {
    tg[i] = i == LG_TGRID - 1 ? tm : t0 * pow(r, i);
    double e = lg__joint_error(&j, tg[i]);
    if (e < best) { best = e; bt = tg[i]; ib = i; }
  }
  if (ib >= 0) {
    double lo = ib > 0 ? tg[ib - 1] : 0.0, hi = ib < LG_TGRID - 1 ? tg[ib + 1] : tm;
    for (int it = 0; it < LG_GOLDEN_IT; it++) {
      double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
      if (lg__joint_error(&j, m1) < lg__joint_error(&j, m2)) hi = m2;
      else lo = m1;
    }
    double e = lg__joint_error(&j, 0.5 * (lo + hi));
    if (e < best) best = e;
  }
  (void)bt;
  *joint = best;
  lg_mp_free(mp);
  return TS_OK;
}
