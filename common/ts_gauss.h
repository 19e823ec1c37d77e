/* ts_gauss — activation functions and Gaussian averages over jointly Gaussian local fields.
 *
 * Fields x_a, x_b, ... are zero-mean jointly Gaussian with covariance C.  Indices may repeat (then C_ab = C_aa).
 * Notation of Goldt et al. 2020 (SM sec. B) and of shared/reference/goldt2020.md sec. 2:
 *   I2(a,b)     = E[g(x_a) g(x_b)]
 *   J2(a,b)     = E[g'(x_a) g'(x_b)]
 *   I3(a,b,c)   = E[g'(x_a) x_b g(x_c)]
 *   I4(a,b,c,d) = E[g'(x_a) g'(x_b) g(x_c) g(x_d)]
 * Activations: erf  g(x) = erf(x/sqrt 2);  linear g(x) = x;  relu g(x) = max(0, x) (g' = step, g'(0) = 0).
 * erf and linear: all four in closed form.  relu: I2, J2 and I3 in closed form; I4 is not available
 * (ts_gauss_i4 returns NaN for relu; ts_ode_alloc refuses relu with TS_EUNSUP).
 * Degenerate covariances (|corr| = 1, zero variances) are handled: results are the continuous limits.
 * All functions are pure and thread-safe. */
#ifndef TS_GAUSS_H
#define TS_GAUSS_H

typedef enum { TS_ACT_ERF = 0, TS_ACT_LINEAR = 1, TS_ACT_RELU = 2 } ts_act;

/* "erf" | "linear" | "relu" -> *out; returns TS_OK or TS_EINVAL (no message printed: callers word the error). */
int ts_act_parse(const char *name, ts_act *out);
const char *ts_act_name(ts_act act);

double ts_act_g(ts_act act, double x);  /* g(x)  */
double ts_act_dg(ts_act act, double x); /* g'(x) */

/* Covariance entries are passed by name: caa = C_aa, cab = C_ab, and so on. */
double ts_gauss_i2(ts_act act, double caa, double cab, double cbb);
double ts_gauss_j2(ts_act act, double caa, double cab, double cbb);
double ts_gauss_i3(ts_act act, double caa, double cab, double cac, double cbc, double ccc);
/* C is the 4x4 covariance of (x_a, x_b, x_c, x_d), row-major, symmetric.  relu: NaN. */
double ts_gauss_i4(ts_act act, const double C[16]);

/* Mixed average E[g1(x_a) g2(x_b)] for two different activations (e.g. erf student, relu teacher). */
double ts_gauss_i2_mixed(ts_act ga, ts_act gb, double caa, double cab, double cbb);

#endif
