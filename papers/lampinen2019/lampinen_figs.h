/* lampinen_figs — small pieces shared by the figure programs of Lampinen & Ganguli 2019: the index of a curve's
 * minimum, mean and standard error over seeds, the eq.-(16) error of one task draw, and a randomly initialised
 * gradient-descent student on a fresh task draw. */
#ifndef LAMPINEN_FIGS_H
#define LAMPINEN_FIGS_H

#include <stdint.h>

#include "lampinen.h"
#include "lampinen_gd.h"

/* Index of the smallest of y[0..n-1] (the first one on ties); 0 if n < 1.  NaN entries never win. */
int lg_fig_argmin(const double *y, int n);

/* Mean *m and standard error *se over ns >= 1 seeds of x[0..ns-1]: ts_batch_mean with one value per batch for
 * ns >= 2; for a single seed *m = x[0] and *se = INFINITY (no spread can be measured). */
void lg_fig_mean_se(const double *x, int ns, double *m, double *se);

/* Early-stopping statistics over seeds of ln eps_test curves: curve s is c[s * n .. s * n + n - 1], evaluated
 * every `every` epochs at learning rate lr.  Per seed the minimum (lg_fig_argmin) and its time t/tau =
 * index * every * lr; *mean and *se are the mean and standard error (sample variance / seeds) of the minima, *topt
 * the mean time.  2 <= seeds <= LG_FIG_MAX_SEEDS (not checked). */
#define LG_FIG_MAX_SEEDS 1000
void lg_fig_seed_minima(const double *c, int seeds, int n, int every, double lr, double *mean, double *se,
                        double *topt);

/* ln(1 - sum_{a<rank} c_a^2 / |Wbar|_F^2) of a drawn task t: the asymptotic eq.-(16) error of this draw, with the
 * teacher seen through the data modes (c_a = U_a^T Wbar V_a, lampinen.h).  rank <= t's rank. */
double lg_fig_oracle_ln(const lg_task *t, int rank);

/* A task and a randomly initialised student, as in the authors' scripts: t = lg_task_alloc(p->n1, p->n3, rank)
 * drawn by lg_task_draw(t, svm, noise_var, stream 0 of seed), then g = lampinen_gd_alloc(p, t->s31, t->wbar)
 * initialised by lampinen_gd_init_random(g, eps, stream 1 of seed).  On success *t and *g are owned by the caller
 * (lg_task_free, lampinen_gd_free) and 0 is returned; on error (TS_ENOMEM, or the code of the draw or of the
 * initialisation) whatever was allocated is still returned in *t and *g (NULL otherwise) for the caller to free. */
int lg_fig_random_student(const lampinen_gd_params *p, int rank, double svm, double noise_var, double eps,
                          uint64_t seed, lg_task **t, lampinen_gd **g);

#endif
