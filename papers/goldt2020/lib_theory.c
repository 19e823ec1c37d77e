/* Closed forms of Goldt et al. 2020, eqs. (10)-(12).  See goldt_theory.h. */
#include "goldt_theory.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "eq10_table.inc"

double goldt_eq10_poly(int poly, double M, double L, double eta)
{
  const int n = (int)(sizeof goldt__eq10_terms / sizeof goldt__eq10_terms[0]);
  double s = 0.0;
  for (int t = 0; t < n; t++) {
    if (goldt__eq10_terms[t].poly != poly) continue;
    s += goldt__eq10_terms[t].c * pow(M, goldt__eq10_terms[t].i) * pow(L, goldt__eq10_terms[t].j) *
         pow(eta, goldt__eq10_terms[t].k) * pow(M_PI, goldt__eq10_terms[t].p);
  }
  return s;
}

double goldt_eq10_f(double M, double L, double eta)
{
  double num = goldt_eq10_poly(0, M, L, eta);
  double den = goldt_eq10_poly(1, M, L, eta) * goldt_eq10_poly(2, M, L, eta) * goldt_eq10_poly(3, M, L, eta);
  return -30.0 * M_PI * num / den;
}

double goldt_eq10_eps(double M, double L, double eta, double sigma)
{
  return sigma * sigma * eta / (2.0 * M_PI) * goldt_eq10_f(M, L, eta);
}

double goldt_eq11_eps(double M, double L, double eta, double sigma)
{
  return sigma * sigma * eta / (2.0 * M_PI) * (L + M / sqrt(3.0));
}

double goldt_eq12_eps(double K, double eta, double sigma)
{
  double den = 4.0 - 2.0 * eta * K;
  return den > 0 ? eta * sigma * sigma * K / den : NAN;
}

double goldt_norm_scm_eps(double K, double eta, double sigma) { return eta * sigma * sigma / (4 * K - 2 * eta); }

double goldt_eq15_eps(double K, double eta, double sigma, double vstar)
{
  return eta * sigma * sigma * vstar * vstar / (2 * sqrt(3.0) * K * M_PI);
}
