#include "ts_stats.h"

#include <math.h>

void ts_batch_mean(const double *x, int n, int nb, double *mean, double *se)
{
  if (nb > n) nb = n;
  if (nb > 256) nb = 256;
  double m = 0;
  for (int i = 0; i < n; i++) m += x[i];
  m /= n;
  *mean = m;
  if (nb < 2) {
    *se = INFINITY;
    return;
  }
  double bm[256], mb = 0, s2 = 0;
  for (int k = 0; k < nb; k++) {
    int lo = (int)((long)k * n / nb), hi = (int)((long)(k + 1) * n / nb);
    bm[k] = 0;
    for (int i = lo; i < hi; i++) bm[k] += x[i];
    bm[k] /= hi - lo;
    mb += bm[k];
  }
  mb /= nb;
  for (int k = 0; k < nb; k++) s2 += (bm[k] - mb) * (bm[k] - mb);
  *se = sqrt(s2 / (nb - 1) / nb);
}

void ts_linfit(const double *x, const double *y, int n, double *slope, double *intercept, double *r2,
               double *slope_se)
{
  double mx = 0, my = 0;
  for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n;
  my /= n;
  double sxx = 0, sxy = 0, syy = 0;
  for (int i = 0; i < n; i++) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  double b = sxy / sxx, a = my - b * mx, rss = 0;
  for (int i = 0; i < n; i++) rss += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]);
  if (slope) *slope = b;
  if (intercept) *intercept = a;
  if (r2) *r2 = syy > 0 ? 1 - rss / syy : 1;
  if (slope_se) *slope_se = n > 2 ? sqrt(rss / (n - 2) / sxx) : INFINITY;
}

void ts_wlinfit(const double *x, const double *y, const double *se, int n, double *slope, double *intercept,
                double *slope_se, double *chi2)
{
  double S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  for (int i = 0; i < n; i++) {
    double w = 1.0 / (se[i] * se[i]);
    S += w; Sx += w * x[i]; Sy += w * y[i]; Sxx += w * x[i] * x[i]; Sxy += w * x[i] * y[i];
  }
  double D = S * Sxx - Sx * Sx, b = (S * Sxy - Sx * Sy) / D, a = (Sxx * Sy - Sx * Sxy) / D;
  if (slope) *slope = b;
  if (intercept) *intercept = a;
  if (slope_se) *slope_se = sqrt(S / D);
  if (chi2) {
    double c = 0;
    for (int i = 0; i < n; i++) c += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]) / (se[i] * se[i]);
    *chi2 = c;
  }
}

double ts_first_below(const double *x, const double *y, int n, double level)
{
  for (int i = 0; i < n; i++)
    if (y[i] < level) return x[i];
  return NAN;
}
