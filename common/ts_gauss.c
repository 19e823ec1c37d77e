/* ts_gauss — activation functions and Gaussian averages (see ts_gauss.h).
 *
 * Formulas: shared/reference/goldt2020.md sec. 2 (erf, linear, relu I2, mixed erf-relu).  The relu J2 and I3 are
 * derived below.  Degenerate covariances: asin arguments are clamped to [-1, 1] and square roots of (rounding-)
 * negative numbers are taken as 0, so |corr| = 1 gives the continuous limit.  The clamps are written with
 * explicit comparisons (not fmin/fmax, which would turn NaN into a number) so that NaN inputs give NaN. */
#include "ts_gauss.h"

#include "ts_err.h"

#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* sqrt(2/pi) and 1/sqrt(2) */
#define TS__SQRT_2_PI 0.79788456080286535588
#define TS__SQRT1_2 0.70710678118654752440

/* ---------- small helpers ---------- */

/* clamp a correlation-like number to [-1, 1]; NaN stays NaN */
static inline double ts__clamp1(double x)
{
  if (x > 1.0) return 1.0;
  if (x < -1.0) return -1.0;
  return x;
}

/* sqrt of a quantity that is >= 0 mathematically but may come out slightly negative by rounding; NaN stays NaN */
static inline double ts__sqrt0(double x) { return x < 0.0 ? 0.0 : sqrt(x); }

/* asin(cab / sqrt(caa cbb)) for caa, cbb > 0, clamped */
static inline double ts__asin_corr(double caa, double cab, double cbb)
{
  return asin(ts__clamp1(cab / sqrt(caa * cbb)));
}

/* ---------- activations ---------- */

int ts_act_parse(const char *name, ts_act *out)
{
  if (!name || !out) return TS_EINVAL;
  if (strcmp(name, "erf") == 0) {
    *out = TS_ACT_ERF;
  } else if (strcmp(name, "linear") == 0) {
    *out = TS_ACT_LINEAR;
  } else if (strcmp(name, "relu") == 0) {
    *out = TS_ACT_RELU;
  } else {
    return TS_EINVAL;
  }
  return TS_OK;
}

const char *ts_act_name(ts_act act)
{
  switch (act) {
  case TS_ACT_ERF: return "erf";
  case TS_ACT_LINEAR: return "linear";
  case TS_ACT_RELU: return "relu";
  }
  return "unknown";
}

double ts_act_g(ts_act act, double x)
{
  switch (act) {
  case TS_ACT_ERF: return erf(x * TS__SQRT1_2);
  case TS_ACT_LINEAR: return x;
  case TS_ACT_RELU: return x > 0.0 ? x : (x <= 0.0 ? 0.0 : x); /* NaN stays NaN */
  }
  return NAN;
}

double ts_act_dg(ts_act act, double x)
{
  switch (act) {
  case TS_ACT_ERF: return TS__SQRT_2_PI * exp(-0.5 * x * x);
  case TS_ACT_LINEAR: return 1.0;
  case TS_ACT_RELU: return x > 0.0 ? 1.0 : (x <= 0.0 ? 0.0 : x);
  }
  return NAN;
}

/* ---------- relu integrals ----------
 * A zero variance means the field is identically 0; with relu(0) = 0 and the step convention g'(0) = 0 every
 * average containing g or g' of that field is exactly 0.  (For I2 and for g(x_c) in I3 this is also the
 * continuous limit; for g'(x_a) the limit C_aa -> 0 depends on the direction of approach, so the convention
 * g'(0) = 0 of ts_act_dg decides.)  A variance is treated as zero when it is <= 0 (negative = invalid input
 * rounded to the PSD boundary). */

/* I2 = E[relu(a) relu(b)] = (1/2pi)[sqrt(caa cbb - cab^2) + cab (pi/2 + asin(cab/sqrt(caa cbb)))] */
static double ts__relu_i2(double caa, double cab, double cbb)
{
  if (caa <= 0.0 || cbb <= 0.0) return 0.0;
  return (ts__sqrt0(caa * cbb - cab * cab) + cab * (0.5 * M_PI + ts__asin_corr(caa, cab, cbb))) / (2.0 * M_PI);
}

/* J2 = E[Theta(a) Theta(b)] = P(a > 0, b > 0) = 1/4 + asin(corr)/(2 pi)  (Sheppard's formula) */
static double ts__relu_j2(double caa, double cab, double cbb)
{
  if (caa <= 0.0 || cbb <= 0.0) return 0.0;
  return 0.25 + ts__asin_corr(caa, cab, cbb) / (2.0 * M_PI);
}

/* I3 = E[Theta(a) x_b relu(c)].  Gaussian integration by parts (Stein) on x_b with f(a, c) = Theta(a) relu(c):
 *   E[x_b f] = C_ab E[d_a f] + C_bc E[d_c f] = C_ab E[delta(a) relu(c)] + C_bc E[Theta(a) Theta(c)].
 * E[delta(a) relu(c)] = p_a(0) E[relu(c) | a = 0] = (2 pi caa)^(-1/2) sqrt(ccc - cac^2/caa) / sqrt(2 pi)
 *                     = sqrt(caa ccc - cac^2) / (2 pi caa).
 * Hence I3 = cab sqrt(caa ccc - cac^2) / (2 pi caa) + cbc [1/4 + asin(cac/sqrt(caa ccc)) / (2 pi)]. */
static double ts__relu_i3(double caa, double cab, double cac, double cbc, double ccc)
{
  if (caa <= 0.0 || ccc <= 0.0) return 0.0;
  return cab * ts__sqrt0(caa * ccc - cac * cac) / (2.0 * M_PI * caa) + cbc * ts__relu_j2(caa, cac, ccc);
}

/* ---------- erf integrals (reference sheet sec. 2) ---------- */

static double ts__erf_i2(double caa, double cab, double cbb)
{
  return (2.0 / M_PI) * asin(ts__clamp1(cab / sqrt((1.0 + caa) * (1.0 + cbb))));
}

static double ts__erf_j2(double caa, double cab, double cbb)
{
  return (2.0 / M_PI) / sqrt((1.0 + caa) * (1.0 + cbb) - cab * cab);
}

static double ts__erf_i3(double caa, double cab, double cac, double cbc, double ccc)
{
  double opa = 1.0 + caa;
  return (2.0 / M_PI) * (cbc * opa - cab * cac) / (opa * sqrt(opa * (1.0 + ccc) - cac * cac));
}

static double ts__erf_i4(const double C[16])
{
  double caa = C[0], cab = C[1], cac = C[2], cad = C[3];
  double cbb = C[5], cbc = C[6], cbd = C[7];
  double ccc = C[10], ccd = C[11];
  double cdd = C[15];
  double opa = 1.0 + caa, opb = 1.0 + cbb;
  double l4 = opa * opb - cab * cab;
  double l0 = l4 * ccd - cbc * cbd * opa - cac * cad * opb + cab * cac * cbd + cab * cad * cbc;
  double l1 = l4 * (1.0 + ccc) - cbc * cbc * opa - cac * cac * opb + 2.0 * cab * cac * cbc;
  double l2 = l4 * (1.0 + cdd) - cbd * cbd * opa - cad * cad * opb + 2.0 * cab * cad * cbd;
  return (4.0 / (M_PI * M_PI)) / sqrt(l4) * asin(ts__clamp1(l0 / sqrt(l1 * l2)));
}

/* ---------- public ---------- */

double ts_gauss_i2(ts_act act, double caa, double cab, double cbb)
{
  switch (act) {
  case TS_ACT_ERF: return ts__erf_i2(caa, cab, cbb);
  case TS_ACT_LINEAR: return cab;
  case TS_ACT_RELU: return ts__relu_i2(caa, cab, cbb);
  }
  return NAN;
}

double ts_gauss_j2(ts_act act, double caa, double cab, double cbb)
{
  switch (act) {
  case TS_ACT_ERF: return ts__erf_j2(caa, cab, cbb);
  case TS_ACT_LINEAR: return 1.0;
  case TS_ACT_RELU: return ts__relu_j2(caa, cab, cbb);
  }
  return NAN;
}

double ts_gauss_i3(ts_act act, double caa, double cab, double cac, double cbc, double ccc)
{
  switch (act) {
  case TS_ACT_ERF: return ts__erf_i3(caa, cab, cac, cbc, ccc);
  case TS_ACT_LINEAR: return cbc;
  case TS_ACT_RELU: return ts__relu_i3(caa, cab, cac, cbc, ccc);
  }
  return NAN;
}

double ts_gauss_i4(ts_act act, const double C[16])
{
  switch (act) {
  case TS_ACT_ERF: return ts__erf_i4(C);
  case TS_ACT_LINEAR: return C[2 * 4 + 3];
  case TS_ACT_RELU: return NAN; /* no closed form (see header) */
  }
  return NAN;
}

/* E[ga(x_a) gb(x_b)] with ga != gb, ordered so that ga < gb in the enum (erf < linear < relu):
 *   erf-linear: E[erf(a/sqrt2) b]    = C_ab E[g'(a)] = sqrt(2/pi) C_ab / sqrt(1 + C_aa)   (Stein)
 *   erf-relu:   E[erf(a/sqrt2) relu(b)] = C_ab / sqrt(2 pi (1 + C_aa))  (only the odd part b/2 of relu counts)
 *   linear-relu: E[a relu(b)]        = C_ab E[Theta(b)] = C_ab / 2                      (Stein) */
double ts_gauss_i2_mixed(ts_act ga, ts_act gb, double caa, double cab, double cbb)
{
  if (ga == gb) return ts_gauss_i2(ga, caa, cab, cbb);
  if (ga > gb) { /* swap the roles of a and b */
    ts_act t = ga;
    ga = gb;
    gb = t;
    double c = caa;
    caa = cbb;
    cbb = c;
  }
  if (ga == TS_ACT_ERF && gb == TS_ACT_LINEAR) return TS__SQRT_2_PI * cab / sqrt(1.0 + caa);
  if (ga == TS_ACT_ERF && gb == TS_ACT_RELU) return cab / sqrt(2.0 * M_PI * (1.0 + caa));
  if (ga == TS_ACT_LINEAR && gb == TS_ACT_RELU) return 0.5 * cab;
  return NAN;
}
