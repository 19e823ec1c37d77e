/* tian_metrics — the specialisation metrics of Tian 2020 (ICML, arXiv 1909.13458), shared by the two-layer and the
 * multi-layer experiments.
 *
 *   rho_jk        Pearson correlation of teacher node j and student node k: the post-activation (post-ReLU) values
 *                 of the two nodes over a sample set, centred, rho = <t,s> / (sqrt(sum t^2 + 1e-10) sqrt(sum s^2 +
 *                 1e-10)) (the authors' code; the bias column [..;1] is not a node and is excluded).  A dead node
 *                 (constant output) has rho = 0 with everyone.
 *   rho_mean      eq. (9) as the code computes it: mean over teachers of the max over students (the printed
 *                 "max max" is a typo).
 *   matched       teacher j is recovered iff max_k rho_jk > 0.95 (strict), Figs 7 and 8.
 *   per student   max_j rho_jk over teachers: the x axis of Fig. 5.
 *   success rate  fraction of seeds in which a teacher is matched, with a Wilson score interval.
 *   Spearman      rank correlation with average ranks for ties; +inf is an ordinary (largest) value (Fig. 8:
 *                 "never matched" = +inf).
 * Layout: matrices are row-major; rho is m x n with rho[j*n + k] (teacher j, student k). */
#ifndef TIAN_METRICS_H
#define TIAN_METRICS_H

/* The regulariser of the code's correlation: added to each centred sum of squares (as in recon_two_layer.py). */
#define TIAN_CORR_EPS 1e-10
/* The recovery threshold of Figs 7 and 8: matched iff max_k rho_jk > TIAN_MATCH_RHO. */
#define TIAN_MATCH_RHO 0.95

/* Pearson correlation matrix of the columns of T (N x m, row stride ldt >= m) with the columns of S (N x n, row
 * stride lds >= n) over the N rows: rho[j*n + k] as defined above (centred; TIAN_CORR_EPS added to both sums of
 * squares).  Pass pointers to the first node column (skip any bias column).  Allocates O(N (m + n)) scratch
 * internally; computes in double with one CBLAS dgemm.  N >= 1, m, n >= 1.  Returns TS_OK, TS_EINVAL or TS_ENOMEM
 * (reported through ts_error). */
int tian_corr(const double *T, int ldt, int m, const double *S, int lds, int n, int N, double *rho);

/* Streaming version (the multi-layer code accumulates its "train" correlation over batches): running sums of t, s,
 * t^2, s^2 and t s^T over the samples added so far.  Float32 activations may be converted to double by the caller
 * before tian_corr_acc_add. */
typedef struct tian_corr_acc tian_corr_acc;
tian_corr_acc *tian_corr_acc_alloc(int m, int n); /* NULL on allocation failure (reported) */
void tian_corr_acc_free(tian_corr_acc *a);
void tian_corr_acc_reset(tian_corr_acc *a);
/* Add B samples: T (B x m, stride ldt), S (B x n, stride lds).  Sums in double, in sample order (deterministic). */
void tian_corr_acc_add(tian_corr_acc *a, const double *T, int ldt, const double *S, int lds, int B);
/* rho from the sums: (sum ts - N tbar sbar) / (sqrt(sum t^2 - N tbar^2 + eps) sqrt(sum s^2 - N sbar^2 + eps)),
 * eps = TIAN_CORR_EPS; equals tian_corr on the same samples up to rounding (the sums are not centred first, so the
 * rounding error is ~ 1e-16 mean^2/var relative).  No samples: rho = 0. */
void tian_corr_acc_rho(const tian_corr_acc *a, double *rho);

/* Per teacher j: best[j] = max_k rho_jk and arg[j] = its student (first on ties).  arg may be NULL. */
void tian_teacher_best(const double *rho, int m, int n, double *best, int *arg);
/* Per student k: best[k] = max_j rho_jk and arg[k] = its teacher (first on ties); Fig. 5's x axis.  arg may be
 * NULL. */
void tian_student_best(const double *rho, int m, int n, double *best, int *arg);
/* eq. (9): (1/m) sum_j max_k rho_jk. */
double tian_rho_mean(const double *rho, int m, int n);
/* matched[j] = (max_k rho_jk > thr), strict; returns the number of matched teachers.  matched may be NULL. */
int tian_matched(const double *rho, int m, int n, double thr, int *matched);

/* Wilson score interval of a binomial proportion k/n at z standard normal quantiles (z = 1.96: 95%); n >= 1.
 * Unlike the Wald interval it is sensible at k = 0 and k = n (e.g. k = n = 32: [0.892, 1]). */
void tian_wilson(int k, int n, double z, double *lo, double *hi);
/* Binomial standard error sqrt(p(1-p)/n) at p = k/n. */
double tian_binom_se(int k, int n);

/* Spearman rank correlation of x[0..n) and y[0..n) (Pearson correlation of the average ranks; +inf allowed, NaN
 * not).  NaN if n < 2 or either variable is constant. */
double tian_spearman(const double *x, const double *y, int n);
/* Average ranks 1..n of x (ties share the mean of their ranks); helper of tian_spearman. */
void tian_ranks(const double *x, int n, double *rank);

#endif
