/* Tests of papers/lampinen2019/lib_theory.c: eq. (9) and its inverse, the Nl = 5 solution of App. A, eqs. (11)-(13),
 * the learning curves (14)/(15) in their limits, eq. (16), eq. (27), sec. 3.5 and the derived transfer theory.
 * Reference values: closed forms, the numbers of the reference sheet (fig. 1a, fig. 2a outliers, fig. 11 line),
 * independent quadrature (GSL QAGS) and finite differences of the ODEs. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "ts_test.h"
#include "lampinen2019/lampinen.h"
#include "../papers/lampinen2019/lib_theory.c"

/* eq. (9): fig. 1a's half-height time of shat = 4 at eps = 1e-3 is ln(3999)/8 = 1.0367, where s = shat/2. */
static void test_eq9_half_height(void **st)
{
  assert_close(lg_t_half(4.0, 1e-3), log(3999.0) / 8.0, 1e-15, 0);
  assert_close(lg_t_half(4.0, 1e-3), 1.0367, 0, 5e-5);
  for (double sh = 0.5; sh < 12; sh += 1.5) assert_close(lg_s_of_t(lg_t_half(sh, 1e-3), sh, 1e-3), sh / 2, 1e-14, 0);
}

/* eq. (9) solves ds/dt = 2 s (shat - s) with s(0) = eps (central differences, O(h^2) = 1e-8 relative), also for
 * shat < eps (decay) and shat = 0 (limit eps / (1 + 2 eps t)); it does not overflow at large shat t. */
static void test_eq9_ode(void **st)
{
  const double eps = 1e-3, h = 1e-4;
  const double shs[] = {1e-4, 0.3, 1.0, 4.0, 10.0};
  for (int i = 0; i < 5; i++)
    for (double t = 0.05; t < 5; t += 0.37) {
      double sh = shs[i], s = lg_s_of_t(t, sh, eps);
      double d = (lg_s_of_t(t + h, sh, eps) - lg_s_of_t(t - h, sh, eps)) / (2 * h);
      /* rounding of s(t +- h) ~ 1e-16 sh / h: atol 1e-10 sh */
      assert_close(d, 2 * s * (sh - s), 1e-6, 1e-10 * sh);
    }
  assert_close(lg_s_of_t(0, 3.0, eps), eps, 1e-15, 0);
  assert_close(lg_s_of_t(2.0, 0.0, eps), eps / (1 + 2 * eps * 2.0), 1e-15, 0);
  assert_close(lg_s_of_t(1e6, 50.0, 1e-5), 50.0, 1e-15, 0);
}

/* The inverse of eq. (9): round trips to 1e-12. */
static void test_eq9_inverse(void **st)
{
  const double eps = 1e-5;
  for (double sh = 0.2; sh < 20; sh *= 1.7)
    for (double f = 0.01; f < 1; f += 0.07) {
      double s = eps + f * (sh - eps);
      double t = lg_t_of_s(s, sh, eps);
      assert_close(lg_s_of_t(t, sh, eps), s, 1e-12, 0);
    }
  assert_true(isnan(lg_t_of_s(5.0, 4.0, eps))); /* beyond shat: never reached */
}

/* App. A, Nl = 5: t(u) against direct quadrature of dt = du / (4 u^(3/2) (shat - u)) in v = ln u (QAG, 1e-12
 * relative), the round trip u -> t -> u to 1e-12, and the ODE by central differences. */
static double dt_dv(double v, void *p)
{
  double sh = *(double *)p, u = exp(v);
  return 1.0 / (4.0 * sqrt(u) * (sh - u));
}
static void test_deep(void **st)
{
  const double eps = 1e-5;
  gsl_set_error_handler_off();
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
  for (double sh = 0.5; sh < 20; sh *= 2.3) {
    for (double f = 0.001; f < 0.99; f *= 3) {
      double u = eps + f * (sh - eps), res, err;
      gsl_function F = {dt_dv, &sh};
      assert_int_equal(gsl_integration_qag(&F, log(eps), log(u), 0, 1e-12, 1000, GSL_INTEG_GAUSS61, w, &res, &err), 0);
      double t = lg_t_deep(u, sh, eps);
      assert_close(t, res, 1e-9, 0);
      assert_close(lg_s_deep(t, sh, eps), u, 1e-12, 0);
    }
    for (double t = 1.0; t < 400; t *= 2.1) {
      double h = 1e-5 * t, u = lg_s_deep(t, sh, eps);
      double d = (lg_s_deep(t + h, sh, eps) - lg_s_deep(t - h, sh, eps)) / (2 * h);
      assert_close(d, 4 * u * sqrt(u) * (sh - u), 1e-5, 1e-10 * sh);
    }
  }
  gsl_integration_workspace_free(w);
  /* far past the transition y >> 350 (sinh overflows): u -> shat */
  assert_close(lg_s_deep(1e6, 2.0, eps), 2.0, 1e-15, 0);
  assert_close(lg_s_deep(0.0, 2.0, eps), eps, 0, 0);
  assert_close(lg_s_deep(5.0, eps / 2, eps), eps, 0, 0); /* clamped bulk mode below eps */
}

/* eqs. (11), (12): the reference numbers (fig. 2a outliers at A = 1/2, fig. 11's line ln(1 - O^2)), the inverse
 * of eq. (11), continuity at the threshold sbar = A^(1/4), and sigma_z = 0-like limits (sbar -> inf). */
static void test_eq11_eq12(void **st)
{
  assert_close(lg_shat(9, 0.5), 9.083, 0, 5e-4);
  assert_close(lg_shat(6, 0.5), 6.125, 0, 5e-4);
  assert_close(lg_shat(3, 0.5), 3.249, 0, 5e-4);
  const double line[] = {-1.101, -2.398, -3.192, -3.761, -4.205};
  for (int i = 0; i < 5; i++) {
    double o = lg_overlap(2.0 * (i + 1), 0.5, NULL, NULL);
    assert_close(log(1 - o * o), line[i], 0, 5e-4);
  }
  const double As[] = {0.25, 0.5, 0.75, 1.0};
  for (int i = 0; i < 4; i++) {
    double A = As[i], th = pow(A, 0.25);
    assert_close(lg_shat(th * (1 + 1e-10), A), 1 + sqrt(A), 1e-9, 0);
    assert_close(lg_shat(th * (1 - 1e-10), A), 1 + sqrt(A), 1e-15, 0);
    assert_true(lg_overlap(th * (1 + 1e-10), A, NULL, NULL) < 1e-4);
    assert_close(lg_overlap(th * 0.99, A, NULL, NULL), 0, 0, 0);
    for (double sb = th * 1.01; sb < 30; sb *= 1.3) assert_close(lg_sbar_of_shat(lg_shat(sb, A), A), sb, 1e-12, 0);
    double o, in;
    double ov = lg_overlap(1e4, A, &o, &in);
    assert_close(ov, 1, 0, 1e-7); /* 1 - O ~ (1 + A) / (2 sbar^2) */
    assert_close(ov, o * in, 1e-15, 0);
  }
  assert_close(lg_sbar_of_shat(1.5, 0.5), 0, 0, 0);
}

/* eq. (13): the MP density has mass 1 and <x^2> = 1 (conditional nodes with mass_in = 1) to 1e-12 for every A,
 * agrees with direct x-quadrature of the density (QAGS) for the mass above a point, and the split at f leaves
 * the requested mass in R_in. */
static double mp_x(double x, void *p) { return lg_mp_density(x, *(double *)p); }
static void test_mp(void **st)
{
  const double As[] = {0.1, 0.25, 0.5, 0.75, 1.0};
  gsl_set_error_handler_off();
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
  for (int i = 0; i < 5; i++) {
    double A = As[i];
    assert_close(lg_mp_mass_above(0.0, A), 1.0, 1e-12, 0);
    lg_mp *m = lg_mp_alloc(A, 1.0, 128); /* 128: a GSL precomputed order, exact nodes */
    assert_non_null(m);
    double mass = 0, x2 = 0;
    for (int k = 0; k < m->n; k++) {
      mass += m->w_in[k];
      x2 += m->w_in[k] * m->x_in[k] * m->x_in[k];
    }
    assert_close(mass, 1, 1e-12, 0);
    assert_close(x2, 1, 1e-12, 0);
    assert_close(m->f, 1 - sqrt(A), 1e-12, 1e-7);
    lg_mp_free(m);
    /* mass above a point against QAGS in x (density has sqrt edges: QAGS handles them) */
    double x0 = 1.0 + 0.3 * sqrt(A), res, err;
    gsl_function F = {mp_x, &A};
    gsl_integration_qags(&F, x0, 1 + sqrt(A), 1e-13, 1e-11, 1000, w, &res, &err);
    assert_close(lg_mp_mass_above(x0, A), res, 1e-8, 1e-10);
    /* split */
    m = lg_mp_alloc(A, 0.3, 100);
    assert_non_null(m);
    assert_close(lg_mp_mass_above(m->f, A), 0.3, 1e-10, 0);
    for (int k = 0; k < m->n; k++) {
      assert_true(m->x_in[k] >= m->f - 1e-12);
      assert_true(m->x_out[k] <= m->f + 1e-12);
    }
    lg_mp_free(m);
  }
  gsl_integration_workspace_free(w);
}

/* eqs. (14), (15) in their limits: at t = 0 (s = eps) both errors are 1 up to O(eps); at t -> inf a full-rank
 * student (N2 = N3) has zero training error and test error [sum (shat^2 + sbar^2 - 2 shat sbar O) + (N3 - 1) <x^2>]
 * / sum sbar^2 with <x^2> = 1; the same for Nl = 5; sigma_z rescales only time (and units). */
static void test_curves_limits(void **st)
{
  lg_theory_params p = {0};
  p.A = 0.5;
  p.n3 = 50;
  p.n2 = 50;
  p.rank = 1;
  p.sbar[0] = 4.0;
  p.sigma_z = 1.0;
  p.eps = 1e-5;
  p.nl = 3;
  p.nodes = 128;
  for (int nl = 3; nl <= 5; nl += 2) {
    p.nl = nl;
    lg_theory *th = lg_theory_alloc(&p);
    assert_non_null(th);
    /* s = eps: relative corrections 2 eps sum(x) / sum(x^2) ~ 1e-4 at most */
    assert_close(lg_theory_train_error(th, 0), 1, 0, 1e-4);
    assert_close(lg_theory_test_error(th, 0), 1, 0, 1e-4);
    double sh = lg_shat(4, 0.5), o = lg_overlap(4, 0.5, NULL, NULL);
    double tinf = nl == 3 ? 1e4 : 1e8;
    assert_close(lg_theory_train_error(th, tinf), 0, 0, 1e-12);
    assert_close(lg_theory_test_error(th, tinf), (sh * sh + 16 - 2 * sh * 4 * o + 49) / 16, 1e-10, 0);
    double topt, emin = lg_theory_min_test_error(th, 100, &topt);
    assert_true(emin < lg_theory_test_error(th, topt * 1.05) && emin < lg_theory_test_error(th, topt * 0.95));
    lg_theory_free(th);
  }
  /* sigma_z: errors at t equal those at sigma_z = 1 with sbar / sigma_z, eps / sigma_z and time sigma_z t */
  p.nl = 3;
  lg_theory *a = lg_theory_alloc(&p);
  p.sigma_z = sqrt(2.0);
  p.sbar[0] = 4.0 * sqrt(2.0);
  p.eps = 1e-5 * sqrt(2.0);
  lg_theory *b = lg_theory_alloc(&p);
  for (double t = 0.1; t < 5; t += 0.7)
    assert_close(lg_theory_test_error(b, t / sqrt(2.0)), lg_theory_test_error(a, t), 1e-13, 0);
  lg_theory_free(a);
  lg_theory_free(b);
}

/* Nl = 5 learning curves: the optimal stopping times of rank-1 tasks at A = 1/2, eps = 1e-5 are 66.7, 37.8, 19.6 tau
 * for svm = 2, 4, 8 (reference sheet, fig. 4; printed to 0.1 tau), and the optimum equals 1 - O^2 closely. */
static void test_deep_topt(void **st)
{
  const double sv[3] = {2, 4, 8}, want[3] = {66.7, 37.8, 19.6};
  for (int i = 0; i < 3; i++) {
    lg_theory_params p = {0};
    p.A = 0.5;
    p.n3 = p.n2 = 50;
    p.rank = 1;
    p.sbar[0] = sv[i];
    p.sigma_z = 1;
    p.eps = 1e-5;
    p.nl = 5;
    p.nodes = 128;
    lg_theory *th = lg_theory_alloc(&p);
    assert_non_null(th);
    double t, e = lg_theory_min_test_error(th, 150, &t), o = lg_overlap(sv[i], 0.5, NULL, NULL);
    assert_close(t, want[i], 0, 0.05);
    assert_close(log(e), log(1 - o * o), 0, 0.02);
    lg_theory_free(th);
  }
}

/* eq. (16) and sec. 3.5: closed forms (rank 1: 1 - O^2; sigma_r = sqrt(29) for rank 3, svm 10, N3 = 50). */
static void test_eq16_randomized(void **st)
{
  double sb[3] = {30, 20, 10};
  double o = lg_overlap(4, 0.5, NULL, NULL), s4 = 4;
  assert_close(lg_nongrad_error(&s4, 1, 0.5, 1), 1 - o * o, 1e-15, 0);
  assert_close(lg_randomized_sigma(sb, 3, 50, 1), sqrt(29.0), 1e-15, 0);
  assert_close(lg_randomized_sigma(sb, 3, 50, 1) * (1 - sqrt(0.5)), 1.577, 0, 5e-4);
  assert_close(lg_randomized_sigma(sb, 3, 50, 1) * (1 + sqrt(0.5)), 9.193, 0, 5e-4);
}

/* eq. (27): D -> 1 from below and above approaches the standard eq. (15) at A = 1; at t -> inf (D < 1) a strong
 * mode leaves the unseen fraction, eps -> 1 - D + O(1/sbar^2). */
static void test_eq27(void **st)
{
  lg_theory_params p = {0};
  p.A = 1;
  p.n3 = p.n2 = 100;
  p.rank = 1;
  p.sbar[0] = 3;
  p.sigma_z = 1;
  p.eps = 1e-5;
  p.nl = 3;
  p.nodes = 128;
  lg_theory *s = lg_theory_alloc(&p);
  p.D = 1 - 1e-9;
  lg_theory *lo = lg_theory_alloc(&p);
  p.D = 1 + 1e-9;
  lg_theory *hi = lg_theory_alloc(&p);
  for (double t = 0.2; t < 5; t += 0.6) {
    assert_close(lg_theory_test_error(lo, t), lg_theory_test_error(s, t), 1e-6, 0);
    assert_close(lg_theory_test_error(hi, t), lg_theory_test_error(s, t), 1e-6, 0);
  }
  assert_true(isnan(lg_theory_train_error(lo, 1.0)));
  lg_theory_free(s);
  lg_theory_free(lo);
  lg_theory_free(hi);
  p.D = 0.5;
  p.sbar[0] = 1e3;
  lg_theory *d = lg_theory_alloc(&p);
  /* at t = 1: the strong mode is learned, the bulk (50 modes, x ~ 1) adds ~ 50 / 1e6 */
  assert_close(lg_theory_test_error(d, 1.0), 0.5, 0, 2e-4);
  lg_theory_free(d);
}

/* Derived transfer theory: q = 0 with equal strong tasks changes nothing but the aspect ratio (T small);
 * q = 1 with sA = sB weak makes the joint task's mode sqrt(2) stronger, so T > 0. */
static void test_transfer(void **st)
{
  double sep, joint;
  assert_int_equal(lg_transfer_theory(100, 100, 0, 100, 50, 50, sqrt(2.0), 1e-5, 5, 100, &sep, &joint), 0);
  assert_true(fabs(sep - joint) < 1e-3);
  assert_int_equal(lg_transfer_theory(3, 3, 1.0, 100, 50, 50, sqrt(2.0), 1e-5, 5, 100, &sep, &joint), 0);
  assert_true(sep - joint > 0);
  assert_int_equal(lg_transfer_theory(0.84, 10, 1.0, 100, 50, 50, sqrt(2.0), 1e-5, 5, 100, &sep, &joint), 0);
  assert_true(sep - joint > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_eq9_half_height), cmocka_unit_test(test_eq9_ode),
      cmocka_unit_test(test_eq9_inverse),     cmocka_unit_test(test_deep),
      cmocka_unit_test(test_eq11_eq12),       cmocka_unit_test(test_mp),
      cmocka_unit_test(test_curves_limits),   cmocka_unit_test(test_deep_topt),
      cmocka_unit_test(test_eq16_randomized),
      cmocka_unit_test(test_eq27),            cmocka_unit_test(test_transfer),
  };
  return cmocka_run_group_tests_name("lampinen2019 theory", tests, NULL, NULL);
}
