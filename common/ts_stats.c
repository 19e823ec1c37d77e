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
