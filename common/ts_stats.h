/* ts_stats — small statistics shared by the figure programs: means of correlated time series, straight-line fits. */
#ifndef TS_STATS_H
#define TS_STATS_H

/* Mean of x[0..n) and its standard error from nb contiguous batch means (neighbouring points of a learning curve
 * are correlated; batches much longer than the correlation time make their means nearly independent).
 * nb is capped at n and at 256; with fewer than 2 batches the SE is +inf.  n >= 1. */
void ts_batch_mean(const double *x, int n, int nb, double *mean, double *se);

/* Least-squares line y = intercept + slope x over n >= 2 points; r2 = coefficient of determination, slope_se the
 * standard error of the slope (inf for n = 2).  Any output pointer may be NULL. */
void ts_linfit(const double *x, const double *y, int n, double *slope, double *intercept, double *r2,
               double *slope_se);

/* Weighted least-squares line y = a + b x with weights 1/se_i^2: slope, intercept, the slope's standard error
 * sqrt(S/D) from the weights, and chi2 = sum ((y - a - b x)/se)^2.  n >= 2; any output pointer may be NULL. */
void ts_wlinfit(const double *x, const double *y, const double *se, int n, double *slope, double *intercept,
                double *slope_se, double *chi2);

/* x[i] of the first i with y[i] < level (e.g. the alpha where a learning curve leaves its plateau); NAN if none. */
double ts_first_below(const double *x, const double *y, int n, double level);

#endif
