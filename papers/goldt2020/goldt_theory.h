/* goldt_theory — closed-form asymptotic errors of Goldt et al. 2020 (shared/reference/goldt2020.md sec. 2).
 * All for the soft committee machine (first layer trained, v = v* = 1, T = I), to first order in sigma^2. */
#ifndef GOLDT_THEORY_H
#define GOLDT_THEORY_H

/* f(M, L, eta) of eq. (10): f = -30 pi N / (D1 D2 D3), erf activation.  Valid for small eta only (poles near
 * eta ~ 0.5-1 for moderate M, L).  M >= 1, L >= 0 (real L allowed: f is a polynomial ratio). */
double goldt_eq10_f(double M, double L, double eta);
/* Eq. (10): eps* = sigma^2 eta / (2 pi) f(M, L, eta). */
double goldt_eq10_eps(double M, double L, double eta, double sigma);
/* Eq. (11), the small-eta form: eps* = sigma^2 eta / (2 pi) (L + M / sqrt 3). */
double goldt_eq11_eps(double M, double L, double eta, double sigma);
/* Eq. (12), linear: eps* = eta sigma^2 K / (4 - 2 eta K), K = L + M (NaN where 2 eta K >= 4: no fixed point). */
double goldt_eq12_eps(double K, double eta, double sigma);
/* Normalised linear SCM (v = 1/K, v* = 1/M fixed; Fig. 4): a perceptron with learning rate eta/K, so
 * eps* = eta sigma^2 / (4K - 2 eta), independent of M (reference sheet; not printed in the paper). */
double goldt_norm_scm_eps(double K, double eta, double sigma);
/* Eq. (15), both layers trained, erf, M = 1, small eta: eps* = eta (sigma v*)^2 / (2 sqrt(3) K pi). */
double goldt_eq15_eps(double K, double eta, double sigma, double vstar);
/* The four polynomials of eq. (10) separately (poly 0 = N, 1 = D1, 2 = D2, 3 = D3), for tests. */
double goldt_eq10_poly(int poly, double M, double L, double eta);

#endif
