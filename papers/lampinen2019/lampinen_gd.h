/* lampinen_gd — full-batch gradient descent of deep linear (and leaky-ReLU) networks on orthonormal inputs, for
 * Lampinen & Ganguli 2019 (figures 3, 4, 5, 6, 9, 12).
 *
 * The data are P = N1 orthonormal inputs, X = I (the authors' one-hot inputs), so Sigma11 = I and
 * Sigma31 = Y X^T = Y is the N3 x N1 target matrix; the identity product W Sigma11 is skipped.  The student is
 * W = W_2 W_1 (nmat = 2, Nl = 3 layers of units) or W = W_4 W_3 W_2 W_1 (nmat = 4, Nl = 5): W_1 is nh x N1, the middle
 * matrices nh x nh, the last N3 x nh; all matrices are row-major.
 *
 * One epoch of the linear network follows the authors' code (a discretisation of eq. (8) with tau = 1/lr epochs):
 * the residual l = Sigma31 - W is computed once, then the matrices are updated in order W_1, W_2, ... each with the
 * already-updated earlier matrices (for nmat = 2: W_1 += lr W_2^T l; W_2 += lr l W_1^T with the new W_1).
 * The leaky-ReLU variant (hidden units phi(x) = x for x > 0, leak*x otherwise; linear output) takes simultaneous
 * back-propagation steps, as TensorFlow's GradientDescentOptimizer does.
 *
 * Errors (eq. 5 with X = I): eps_train = |W - Sigma31|_F^2 / |Sigma31|_F^2 and eps_test = |W - Wbar|_F^2 / |Wbar|_F^2,
 * both read off the residual l that the next step needs anyway (eps_test = |Z - l|^2 with Z = Sigma31 - Wbar):
 * O(N3 N1) work per evaluation, no matrix product. */
#ifndef LAMPINEN_GD_H
#define LAMPINEN_GD_H

#include "ts_rng.h"

typedef enum { LAMPINEN_GD_LINEAR = 0, LAMPINEN_GD_LEAKY = 1 } lampinen_gd_act;

typedef struct {
  int n1, n3, nh;      /* input, output and hidden widths (every hidden layer has nh units)               */
  int nmat;            /* weight matrices: 2 (Nl = 3) or 4 (Nl = 5)                                      */
  double lr;           /* learning rate lambda per epoch; tau = 1/lr epochs                              */
  lampinen_gd_act act; /* activation of the hidden layers (the output is linear)                        */
  double leak;         /* leaky-ReLU slope for negative inputs (LAMPINEN_GD_LEAKY only)                  */
} lampinen_gd_params;

typedef struct lampinen_gd lampinen_gd;

/* Allocate a network for the task (Sigma31, Wbar), both N3 x N1 row-major (copied).  Weights start at zero: call
 * one of the init functions.  NULL on bad parameters (nmat not 2 or 4, a width < 1, lr <= 0) or no memory. */
lampinen_gd *lampinen_gd_alloc(const lampinen_gd_params *p, const double *sigma31, const double *wbar);
void lampinen_gd_free(lampinen_gd *g);

/* Weight matrix i (0 = the first layer W_1 = W21, nmat-1 = the output layer).  After writing into it, call
 * lampinen_gd_invalidate (cached products and the residual depend on the weights). */
double *lampinen_gd_weights(lampinen_gd *g, int i);
void lampinen_gd_invalidate(lampinen_gd *g);

/* Random initialisation (the authors' code): every matrix is eps^(1/nmat) times an orthonormal block of a Haar
 * orthogonal matrix (W_1: first nh rows of Haar(N1); middle: Haar(nh); last: first nh columns of Haar(N3)), so the
 * composite map has all singular values eps (nh <= min(N1, N3)).  TS_OK, TS_EINVAL or TS_ENOMEM. */
int lampinen_gd_init_random(lampinen_gd *g, double eps, ts_rng *r);

/* Training-aligned (TA) initialisation from the thin SVD Sigma31 = Uhat Shat Vhat^T with k = min(N1, N3) modes
 * (lg_task's U, Vt): uhat is N3 x k (columns the left singular vectors), vt is k x N1 (rows the right ones).  nmat = 2: W_1 = sqrt(eps) Vhat[:, :nh]^T,
 * W_2 = sqrt(eps) Uhat[:, :nh].  nmat = 4: eps^(1/4) (R1 Vhat^T, R2 R1^T, R3 R2^T, Uhat R3^T) with Haar R_i drawn
 * from r (r may be NULL for nmat = 2).  Needs nh <= k.  TS_OK, TS_EINVAL or TS_ENOMEM. */
int lampinen_gd_init_aligned(lampinen_gd *g, double eps, const double *uhat, const double *vt, ts_rng *r);

/* n epochs of full-batch GD.  TS_OK, or TS_EDIVERGE (message names the epoch) if the residual stops being finite
 * or grows beyond 1e6 |Sigma31|. */
int lampinen_gd_step(lampinen_gd *g, long n);

/* eps_train and eps_test (eq. 5) of the current weights.  TS_OK or TS_EDIVERGE. */
int lampinen_gd_errors(lampinen_gd *g, double *train, double *test);

/* Run `epochs` epochs, writing the errors at epochs 0, every, 2 every, ..., into train[], test[] (epochs/every + 1
 * entries each; either may be NULL).  The epoch reached is lampinen_gd_epoch().  With stop_rise > 0 the run ends
 * early once ln eps_test exceeds its running minimum by stop_rise (remaining entries are left untouched; the number
 * of entries written is returned in *n_written if non-NULL).  TS_OK or TS_EDIVERGE. */
int lampinen_gd_run(lampinen_gd *g, long epochs, int every, double *train, double *test, double stop_rise,
                    int *n_written);

/* Epochs taken since the last init. */
long lampinen_gd_epoch(const lampinen_gd *g);

/* The network's output on the N1 inputs (the composite map W for a linear net), N3 x N1 into W.  TS_OK. */
int lampinen_gd_composite(lampinen_gd *g, double *W);

/* SVD tracking (Fig. 9): the composite's top k singular triplets (u_a, s_a, v_a) compared with the data's
 * (uhat N3 x k, shat, vt k x N1 as for lampinen_gd_init_aligned): udot[a] = |u_a . uhat_a|, vdot[a] = |v_a . vhat_a|
 * (signs of singular vectors are arbitrary), sratio[a] = s_a/shat_a, for a < k <= min(N3, N1).  TS_OK or TS_ELIB. */
int lampinen_gd_track(lampinen_gd *g, int k, const double *uhat, const double *shat, const double *vt, double *udot,
                      double *vdot, double *sratio);

/* Floating-point operations of one epoch (multiply-adds counted as 2), for the benchmarks. */
double lampinen_gd_flops_per_epoch(const lampinen_gd_params *p);

#endif
