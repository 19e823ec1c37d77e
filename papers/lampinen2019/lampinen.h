/* lampinen.h — Lampinen & Ganguli 2019, "An analytic theory of generalization dynamics and transfer learning in
 * deep linear networks" (ICLR 2019): the task (lib_task.c) and the theory (lib_theory.c).
 *
 * Conventions (reference sheet sec. 1): matrices are row-major doubles; the teacher is N3 x N1 (outputs x inputs),
 * A = N3/N1 <= 1; inputs are orthonormal with X = I, so Sigma11 = I and Sigma31 = Wbar + Z.  Time is measured in
 * units of tau = 1/lr ("t/tau" = lr * epoch).  The noise variance per entry is noise_var; in the paper's units
 * sigma_z^2 = N1 * noise_var (1/N1 gives sigma_z = 1; 1/N3 gives sigma_z^2 = N1/N3).
 * Every function that can fail returns a ts_err status (TS_OK = 0) after one ts_error() call, or NULL. */
#ifndef LAMPINEN_H
#define LAMPINEN_H

#include "ts_rng.h"

/* ================================================ the task (lib_task.c) ========================================== */

/* One draw of the task: teacher Wbar = sum_a sbar_a ubar_a vbar_a^T, data Sigma31 = Wbar + Z and the thin SVD of
 * Sigma31 = U diag(s) Vt (k = min(N3, N1) modes, s descending). */
typedef struct {
  int n1, n3, rank, k;  /* inputs N1, outputs N3, teacher rank Nbar2, k = min(N1, N3)                        */
  double svm, noise_var; /* smallest teacher singular value ("SNR"), variance of each Z_ij                      */
  double *sbar;          /* rank: svm * (rank, rank-1, ..., 1)                                                 */
  double *ubar, *vbar;   /* N3 x rank and N1 x rank (orthonormal columns, Haar)                                */
  double *wbar, *s31;    /* N3 x N1: teacher, data Sigma31                                                     */
  double *U, *s, *Vt;    /* N3 x k, k, k x N1: SVD of Sigma31                                                  */
  double *c;             /* k: c_a = U_a^T Wbar V_a, the teacher seen by data mode a (sets eps_test of TA runs) */
  double wbar_norm2, s31_norm2; /* ||Wbar||_F^2, ||Sigma31||_F^2                                               */
} lg_task;

/* Allocate a task of the given sizes (1 <= rank <= min(n1, n3)); NULL on error. */
lg_task *lg_task_alloc(int n1, int n3, int rank);
void lg_task_free(lg_task *t);

/* Draw the teacher (Haar ubar, vbar from r), the noise Z_ij ~ N(0, noise_var), Sigma31 = Wbar + Z, its SVD and c.
 * noise_var = 0 is allowed (noiseless data).  Draw order from r: a rank x N3 Gaussian block (orthonormalised rows,
 * sign-fixed QR = Haar frame: ubar), a rank x N1 block (vbar), then Z row by row. */
int lg_task_draw(lg_task *t, double svm, double noise_var, ts_rng *r);

/* The same draw without the SVD (t->U, s, Vt, c, norms not set): for callers that need only the top mode. */
int lg_task_draw_data(lg_task *t, double svm, double noise_var, ts_rng *r);

/* Largest singular value s1 of the m x n matrix M (m <= n) and its unit singular vectors u (m) and v (n), from the
 * top eigenpair of M M^T (LAPACKE dsyevr, one eigenvalue): ~ m^2 n + 4/3 m^3 flops instead of a full SVD.  The sign
 * of (u, v) is arbitrary (use |overlaps|).  TS_OK, TS_ENOMEM or TS_ELIB. */
int lg_top_mode(int m, int n, const double *M, double *s1, double *u, double *v);

/* Recompute Sigma31 = Wbar + Z from a given noise matrix Z (N3 x N1), then its SVD and c (used by tasks built from
 * other tasks, e.g. the joint task of fig. 8 or randomised labels).  Z may be NULL (noiseless). */
int lg_task_set_noise(lg_task *t, const double *Z);

/* Recompute the SVD, c and the norms after the caller changed t->s31 or t->wbar directly. */
int lg_task_refresh(lg_task *t);

/* eq. (5) with X = I: eps_train = ||W - Sigma31||_F^2 / ||Sigma31||_F^2 of a composite map W (N3 x N1). */
double lg_task_train_error(const lg_task *t, const double *W);
/* eq. (5) with X = I: eps_test = ||W - Wbar||_F^2 / ||Wbar||_F^2 (isotropic noiseless test inputs). */
double lg_task_test_error(const lg_task *t, const double *W);

/* Errors of the training-aligned map W = sum_{a < m} sm_a U_a V_a^T (m <= k modes, singular values sm):
 * eps_train = [sum_{a<m} (sm_a - s_a)^2 + sum_{a>=m} s_a^2] / sum s_a^2,
 * eps_test  = [sum sm_a^2 - 2 sum sm_a c_a + ||Wbar||^2] / ||Wbar||^2.  O(m). */
double lg_task_ta_train_error(const lg_task *t, const double *sm, int m);
double lg_task_ta_test_error(const lg_task *t, const double *sm, int m);

/* Exact training-aligned (TA) gradient descent, per data mode, as the authors' full-batch loop in the SVD basis.
 *   nl = 3 (one hidden layer): scalars a (W21) and b (W32), a = b = sqrt(eps) at t = 0; each epoch
 *        l = shat - a b;  a <- a + lr b l;  b <- b + lr l a   (b uses the updated a, like the code);
 *   nl = 5 (three hidden layers): c1..c4 = eps^(1/4); l = shat - c4 c3 c2 c1 once per epoch, then
 *        c_i <- c_i + lr l prod_{j != i} c_j for i = 1..4 in order, each with the already updated c_j.
 * The composite singular value of the mode is a b (resp. c4 c3 c2 c1).  Evaluations are at epochs
 * 0, every, 2 every, ..., n_eval-1 (evaluated before that epoch's update, as the code's rows);
 * out[e * m + a] = singular value of mode a at evaluation e.  m modes with values shat[0..m).
 * TS_EINVAL for nl not 3 or 5; TS_EDIVERGE (naming the epoch) if a value becomes non-finite. */
int lg_ta_modes(int nl, const double *shat, int m, double eps, double lr, int every, int n_eval, double *out);

/* TA learning curves of a task for a student of `hidden` units: m = min(hidden, k) modes, lg_ta_modes, then
 * etrain[e], etest[e] (either may be NULL) at the n_eval evaluations.  ws: NULL or n_eval * m doubles of scratch
 * (allocated internally when NULL). */
int lg_task_ta_curves(const lg_task *t, int nl, int hidden, double eps, double lr, int every, int n_eval,
                      double *etrain, double *etest, double *ws);

/* Optimal shrinkage of eq. (16) applied to one data draw (plug-in, no gradient descent): keep the data modes with
 * s_a > sigma_z (1 + sqrt A), invert eq. (11) for sbar_a, set the singular value to sbar_a O(sbar_a) (eq. 12), drop
 * the rest.  Returns eps_test of that map; sigma_z^2 = N1 noise_var. */
double lg_task_shrinkage_test_error(const lg_task *t);

/* ================================================ the theory (lib_theory.c) ====================================== */

/* --- single-mode dynamics, time in units of tau (t = lr * epoch) --- */

/* eq. (9): s(t, shat) = shat / (1 + (shat/eps - 1) exp(-2 shat t)), solution of ds/dt = 2 s (shat - s), s(0) = eps;
 * evaluated without overflow, also for shat <= eps and shat -> 0 (limit eps / (1 + 2 eps t)). */
double lg_s_of_t(double t, double shat, double eps);
/* Inverse of eq. (9): t = ln[(shat/eps - 1)/(shat/s - 1)] / (2 shat) for s between eps and shat; NAN outside. */
double lg_t_of_s(double s, double shat, double eps);
/* Half-height time t* = ln(shat/eps - 1) / (2 shat): s(t*) = shat / 2 (shat > 2 eps). */
double lg_t_half(double shat, double eps);

/* App. A, Nl = 5 (balanced, composite value u): du/dt = 4 u^(3/2) (shat - u), u(0) = eps.
 * lg_t_deep: t(u) = [G(y) - G(y0)] / (2 shat^(3/2)), y = artanh sqrt(u/shat), G(y) = y - coth y
 * (= (1/2)[F(u) - F(eps)] of the appendix with the lower limit restored).  Needs eps < u < shat; NAN outside. */
double lg_t_deep(double u, double shat, double eps);
/* Inverse: u(t) = shat tanh^2 y with G(y) = G(y0) + 2 shat^(3/2) t, by bracketed Newton (G' = 1 + csch^2 y > 0).
 * shat <= eps (possible only for bulk modes at A = 1): clamped, returns eps. */
double lg_s_deep(double t, double shat, double eps);
/* s(t, shat) for nl = 3 (eq. 9) or nl = 5 (App. A). */
double lg_s_nl(int nl, double t, double shat, double eps);

/* --- the data spectrum, sigma_z = 1 (general sigma_z: shat = sigma_z lg_shat(sbar / sigma_z, A)) --- */

/* eq. (11): shat(sbar) = sqrt((1 + sbar^2)(A + sbar^2)) / sbar for sbar > A^(1/4), else 1 + sqrt(A). */
double lg_shat(double sbar, double A);
/* Inverse of eq. (11) for shat > 1 + sqrt(A): sbar^2 = [(shat^2 - 1 - A) + sqrt((shat^2 - 1 - A)^2 - 4A)] / 2;
 * returns 0 for shat <= 1 + sqrt(A) (no detectable teacher mode). */
double lg_sbar_of_shat(double shat, double A);
/* eq. (12): O(sbar) = |ubar.uhat| |vbar.vhat| = out * in, with
 * out = [1 - A (1 + sbar^2) / (sbar^2 (A + sbar^2))]^(1/2), in = [1 - (A + sbar^2) / (sbar^2 (1 + sbar^2))]^(1/2)
 * above threshold sbar > A^(1/4), 0 below.  out_f, in_f may be NULL. */
double lg_overlap(double sbar, double A, double *out_f, double *in_f);

/* eq. (13): Marchenko-Pastur density of the bulk singular values, sqrt(4A - (x^2 - 1 - A)^2) / (pi A x) on
 * [1 - sqrt A, 1 + sqrt A], 0 outside. */
double lg_mp_density(double x, double A);

/* Conditional averages over the MP bulk split at f: R_in = [f, 1 + sqrt A] (the largest bulk values, learned by
 * a student of limited rank) and R_out = [1 - sqrt A, f].  Gauss-Legendre (gsl_integration_glfixed) in theta with
 * x^2 = 1 + A + 2 sqrt(A) cos(theta), where P(x) dx = 2 sin^2(theta) / (pi x^2) dtheta (smooth, no edge
 * singularity).  The split is set by the fraction of the bulk's mass in R_in (mass_in in [0, 1]). */
typedef struct {
  double A, mass_in, f; /* f: the split point (1 - sqrt A when mass_in = 1)                                  */
  int n;                /* nodes per region                                                                   */
  double *x_in, *w_in;  /* nodes and weights in R_in, weights summing to 1 (conditional density)             */
  double *x_out, *w_out;/* same in R_out (all zero weights when mass_in = 1)                                 */
} lg_mp;
/* NULL on error (A not in (0, 1], mass_in not in [0, 1], n < 2).  Use one of GSL's precomputed orders (64, 96,
 * 100, 128, 256, 512, 1024) for nodes exact to double precision; other n give ~1e-10. */
lg_mp *lg_mp_alloc(double A, double mass_in, int n);
void lg_mp_free(lg_mp *m);
/* Mass of the MP bulk above x (exact quadrature; 1 for x <= 1 - sqrt A, 0 for x >= 1 + sqrt A). */
double lg_mp_mass_above(double x, double A);

/* --- learning curves, eqs. (14), (15); Nl = 3 or 5 --- */
typedef struct {
  double A;        /* N3 / N1 (<= 1)                                                                           */
  int n3;          /* outputs N3                                                                               */
  int n2;          /* student rank N2 = min(N1, hidden, N3)                                                    */
  int rank;        /* teacher rank Nbar2 (<= 16)                                                                */
  double sbar[16]; /* teacher singular values, in absolute units                                               */
  double sigma_z;  /* noise scale, sigma_z^2 = N1 noise_var (1 for variance 1/N1)                              */
  double eps;      /* initial composite singular value (absolute units)                                       */
  int nl;          /* 3 or 5                                                                                   */
  int nodes;       /* Gauss-Legendre nodes per MP region (e.g. 128)                                            */
  int whole_bulk;  /* 0: bulk term over R_in (the paper's eq.); 1: the authors' code, whole MP range with weight
                      N2 - Nbar2 (Fig. 14's "authors' line")                                                    */
  double D;        /* P / N1 (eq. 27, fewer or more inputs than N1); 0 or 1: the standard P = N1.  D != 1 needs
                      N1 = N2 = N3 = n3 (A = 1) and Nl = 3:
                      D < 1, the code's version of eq. (27):
                        eps_test = [sum sbar^2]^-1 [(N - P) eps^2 + (P - Nbar2) <s(x,t)^2>_{MP, A -> D}
                                   + sum_a (s_a^2 + sbar_a^2 - 2 s_a sqrt(D) sbar_a O(sqrt(D) sbar_a; D))],
                        s_a = s(t, shat(sqrt(D) sbar_a; D)) (the printed cross term lacks the sqrt(D));
                      D > 1, the code's oversampled variant: eq. (15) at A = 1 with sbar -> sqrt(D) sbar,
                        eps -> sqrt(D) eps, t -> sqrt(D) t (tau -> tau / sqrt(D)), in units scaled by sqrt(D).
                      The training error is not defined for D != 1 (NAN).                                       */
} lg_theory_params;
typedef struct lg_theory lg_theory;
/* Precomputes shat_a, O_a, the R_in/R_out nodes.  NULL on error. */
lg_theory *lg_theory_alloc(const lg_theory_params *p);
void lg_theory_free(lg_theory *th);
/* eq. (14): training error at time t (units of tau).  Denominator sum_a shat_a^2 + (N3 - Nbar2) sigma_z^2. */
double lg_theory_train_error(const lg_theory *th, double t);
/* eq. (15): test error at time t. */
double lg_theory_test_error(const lg_theory *th, double t);
/* Minimum of eq. (15) over t in [0, t_max] (log grid of n points then golden-section refinement); *t_opt the
 * minimiser (may be NULL). */
double lg_theory_min_test_error(const lg_theory *th, double t_max, double *t_opt);
/* shat_a and O_a of teacher mode a as used (absolute units). */
double lg_theory_shat(const lg_theory *th, int a);
double lg_theory_overlap(const lg_theory *th, int a);

/* eq. (16): the non-gradient optimum eps = sum sbar_a^2 (1 - O_a^2) / sum sbar_a^2 (sigma_z units). */
double lg_nongrad_error(const double *sbar, int rank, double A, double sigma_z);

/* sec. 3.5 (randomised labels): sigma_r^2 = (1/N3) sum sbar_a^2 + sigma_z^2; support [sigma_r (1 - sqrt A),
 * sigma_r (1 + sqrt A)]. */
double lg_randomized_sigma(const double *sbar, int rank, int n3, double sigma_z);

/* App. D, derived asymptotic transfer theory (not in the paper; reference sheet): two rank-1 tasks with teacher
 * singular values sA, sB, input overlap q = vA.vB, N3 outputs per head, N1 inputs, `hidden` units, noise scale
 * sigma_z; returns min_t eps_A (separate training, eq. 15 at A = N3/N1) in *sep and min_t eps_A (joint training) in
 * *joint, minima over t in [0, t_max] (units of tau); the transfer benefit T^{A<-B} = *sep - *joint.  Errors are
 * normalised by sA^2 (not logs).  Nl = 3.  The joint task is 2 N3 x N1 with aspect ratio A_j = 2 N3 / N1 <= 1. */
int lg_transfer_theory(double sA, double sB, double q, int n1, int n3, int hidden, double sigma_z, double eps,
                       double t_max, int nodes, double *sep, double *joint);

#endif
