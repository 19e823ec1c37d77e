/* lampinen_gd_nl — the nonlinear transfer experiment of Lampinen & Ganguli 2019, App. F (figure 12): a leaky-ReLU
 * teacher built from rank-2 blocks and a one-hidden-layer student with leaky-ReLU hidden AND output units, trained by
 * full-batch gradient descent (the authors' TensorFlow script).
 *
 * Conventions: one-hot inputs X = I (P = N1 examples), so the hidden pre-activation of example mu is column mu of
 * W_1 and every matrix of the network's activity is "units x examples", row-major.  phi(x) = x for x > 0, leak x
 * otherwise (TensorFlow's tf.nn.leaky_relu, leak = 0.2).
 *
 * Teacher (the authors' rank_k_correlated_nonlinear_dataset): outputs 2 N3 (head A = rows 0..N3-1, head B = rows
 * N3..2N3-1); block i = 0..k-1 has strengths (s1 g_i, s2 g_i), g_i = (k - i)/k, input directions v1_i and
 * v2_i = q v1_i + sqrt(1 - q^2) vperp_i (v1_i, vperp_i orthonormal), output directions u1_i, u2_i (unit, one per
 * head), and adds to the targets
 *     Y_A += phi(s1 g_i u1_i phi(v1_i)^T),   Y_B += phi(s2 g_i u2_i phi(v2_i)^T)     (phi elementwise).
 *
 * Student: O = phi(W_2 phi(W_1)), W_1 nh x N1, W_2 nout x nh; loss (1/2) |O - Y|_F^2 (TensorFlow's l2_loss) on the
 * noisy targets; one epoch = one simultaneous gradient step W_i <- W_i - lr dL/dW_i (GradientDescentOptimizer). */
#ifndef LAMPINEN_GD_NL_H
#define LAMPINEN_GD_NL_H

#include "ts_rng.h"

/* Add one teacher block to the targets Y (ld = N1 columns): rows 0..n3-1 get phi(sa ua phi(va)^T), and, if Y has a
 * second head (ub != NULL), rows n3..2 n3-1 get phi(sb ub phi(vb)^T).  ua, ub: n3; va, vb: n1. */
void lg_nl_teacher_block_add(int n1, int n3, double leak, double sa, const double *ua, const double *va, double sb,
                             const double *ub, const double *vb, double *Y);

typedef struct {
  int n1;      /* inputs = examples (X = I)                   */
  int nh;      /* hidden units                                */
  int nout;    /* outputs                                     */
  double lr;   /* learning rate on (1/2) |O - Y|^2, per epoch  */
  double leak; /* leaky-ReLU slope for negative inputs, [0, 1) */
} lg_nl_params;

typedef struct lg_nl lg_nl;

/* Allocate a network for the targets Y (nout x n1, row-major, copied).  Weights start at zero.  NULL on bad
 * parameters (a width < 1, lr <= 0, leak outside [0, 1)) or no memory. */
lg_nl *lg_nl_alloc(const lg_nl_params *p, const double *y);
void lg_nl_free(lg_nl *g);

/* Weight matrix i (0: W_1, nh x n1; 1: W_2, nout x nh), writable. */
double *lg_nl_weights(lg_nl *g, int i);

/* TensorFlow 1.x variance_scaling_initializer(factor, mode='FAN_AVG', uniform=False), as the authors' script uses
 * with factor = sqrt(1e-4): every entry of a rows x cols matrix is a normal of standard deviation
 * sqrt(1.3 factor / ((rows + cols) / 2)) truncated at 2 standard deviations (redrawn beyond).  Draws W_1 then W_2,
 * row by row, from r.  TS_OK or TS_EINVAL (factor <= 0). */
int lg_nl_init_varscale(lg_nl *g, double factor, ts_rng *r);

/* (1/2)|O - Y|^2 at the current weights (the training loss); also the output O (nout x n1) into out if non-NULL. */
double lg_nl_loss(lg_nl *g, double *out);

/* Run `epochs` gradient steps.  At epochs 0, every, 2 every, ..., epochs (before the step of that epoch, i.e. after
 * e steps: the authors' evaluation after each epoch's training) it writes into err[e / every] the error of the
 * output rows row0 .. row0 + nrows - 1 against the clean targets yc (nrows x n1):
 *     err = |O_rows - yc|_F^2 / |yc|_F^2          (eq. 5 on the training inputs; the script's l2_loss has a 1/2).
 * err needs epochs / every + 1 entries.  TS_OK, TS_EINVAL, or TS_EDIVERGE (naming the epoch) when the loss stops
 * being finite. */
int lg_nl_run(lg_nl *g, long epochs, int every, int row0, int nrows, const double *yc, double *err);

/* Floating-point operations of one epoch (multiply-adds counted as 2): three GEMMs of nout nh n1. */
double lg_nl_flops_per_epoch(const lg_nl_params *p);

#endif
