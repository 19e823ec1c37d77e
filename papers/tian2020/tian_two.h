/* tian_two — the two-layer ReLU teacher-student network of Tian 2020 (sec. 5), as the authors' code
 * (recon_two_layer.py) runs it: float64, hand-written forward and backward, vanilla SGD.
 *
 *   teacher   layer 1, (d+1) x m: each teacher's d weights drawn from the 9-value grid {-1, -0.75, ..., 1},
 *             redrawn until non-zero and distinct, L2-normalised (||w~*_j|| = 1: "regular"), bias -0.1.
 *             layer 2, (m+1) x C: each output's m weights from the same grid (distinct, non-zero columns), bias
 *             -0.1; polarity: the fan-out row of teacher i (0-based) is divided by (i+1)^p (eq. 10, approximately).
 *   student   n hidden ReLU nodes (n = m x over-realisation), W1, W2 ~ N(0, init_std^2), bias rows 0.
 *   forward   h = ReLU([x,1] W1), y = [h,1] W2; the gate passes the gradient at pre-activation exactly 0.
 *   step      e = y* - y (B x C); W2 += lr [h,1]^T e / B; W1 += lr [x,1]^T ((e W2~^T) . gate) / B: SGD on
 *             J = 1/2 sum_c (y*_c - y_c)^2 averaged over the batch (eq. 2); B indices drawn with replacement.
 *   data      x ~ N(0, sigma^2 I_d), a fixed eval set (drawn first) and a fixed train set; teacher outputs and
 *             teacher activations are cached.
 * Layouts are row-major: X is N x (d+1) with the constant 1 in column d; W1 is (d+1) x n (column k = student k's
 * incoming weights, row d = biases); W2 is (n+1) x C (row k = student k's fan-out v_k, row n = output biases). */
#ifndef TIAN_TWO_H
#define TIAN_TWO_H
#include <stdint.h>

#include "ts_rng.h"

typedef struct {
  int d, m, n, C;      /* input dimension, teachers, students, outputs                           */
  double p;            /* polarity exponent                                                      */
  double bias;         /* teacher bias (both layers): -0.1                                       */
  double sigma;        /* input std: 1.5 (the code's config; sigma = 10 diverges at lr 0.01)      */
  double lr;           /* 0.01                                                                   */
  int batch;           /* 16; batch <= 0 means full-batch gradient descent on the train set      */
  int n_train, n_eval; /* 10^4 each                                                              */
  double init_std;     /* student init std: 0.005                                                */
} tian_two_params;

/* The README settings of the 2-layer sweep at (d, m, multi, p): C = 50, bias -0.1, sigma 1.5, lr 0.01, batch 16,
 * N_train = N_eval = 10^4, init std 0.005, n = m multi. */
void tian_two_params_init(tian_two_params *p, int d, int m, int multi, double polarity);

/* One run.  Fields are readable (and writable by tests and figure programs between steps). */
typedef struct {
  tian_two_params P;
  ts_rng *rng;          /* the run's stream: teacher, eval set, train set, student init, then batch indices */
  double *W1t, *W2t;    /* teacher (d+1) x m, (m+1) x C                                                    */
  double *W1, *W2;      /* student (d+1) x n, (n+1) x C                                                    */
  double *Xtr, *Xev;    /* n_train x (d+1), n_eval x (d+1)                                                 */
  double *Htr, *Hev;    /* teacher hidden activations n_train x m, n_eval x m                               */
  double *Ytr, *Yev;    /* teacher outputs n_train x C, n_eval x C                                          */
  long steps;           /* SGD steps done                                                                  */
  /* workspace of one step */
  double *xb, *yb, *z, *ha, *e, *g, *gW1, *gW2;
  int *idx;
  int wrows;            /* rows of the step workspace: batch, or n_train for full-batch GD                  */
  double *hs;           /* student activations on a data set (max(n_train, n_eval) x n)                   */
} tian_two;

/* Build a run from stream (seed, 0): teacher, X_eval, X_train, student init, in this order.  NULL on bad
 * parameters or allocation failure (reported through ts_error). */
tian_two *tian_two_alloc(const tian_two_params *p, uint64_t seed);
void tian_two_free(tian_two *t);

/* Replace the train set by X (N x d, no bias column), recomputing the teacher caches.  TS_OK, TS_EINVAL,
 * TS_ENOMEM. */
int tian_two_set_train(tian_two *t, const double *X, int N);

/* Recompute the cached teacher activations and outputs (after editing W1t or W2t).  TS_OK or TS_ENOMEM. */
int tian_two_teacher_refresh(tian_two *t);

/* Loss J = 1/(2B) sum_b sum_c (y*_bc - y_bc)^2 on the train rows idx[0..B) and its NEGATIVE gradient (the SGD
 * direction) into gW1 ((d+1) x n) and gW2 ((n+1) x C); idx NULL means the first B rows.  1 <= B <= wrows (the
 * workspace: batch, or n_train when batch <= 0).  Returns J, or NAN with TS_EINVAL reported for a bad B. */
double tian_two_batch_grad(tian_two *t, const int *idx, int B, double *gW1, double *gW2);

/* `steps` SGD steps (or GD steps if batch <= 0).  Checks the weights for non-finite values every 1000 steps and
 * at the end: TS_EDIVERGE (reported with the step) if any.  TS_OK otherwise. */
int tian_two_run(tian_two *t, long steps);

enum { TIAN_TRAIN = 0, TIAN_EVAL = 1 };
/* On the train or eval set: rho (m x n, may be NULL) = tian_corr of teacher and student hidden activations, and
 * the code's logged loss mse = mean over samples and outputs of (y* - y)^2 (no 1/2; may be NULL).  TS_OK or an
 * error of tian_corr. */
int tian_two_eval(tian_two *t, int set, double *rho, double *mse);

/* ||v_k|| over the C outputs (row k of W2, bias excluded), k = 0..n-1. */
void tian_two_fanout_norms(const tian_two *t, double *vnorm);

/* A whole run, as the figure programs use it: build (tian_two_alloc), train for `epochs` x `steps_per_epoch`
 * steps, evaluate on the eval set at the epochs listed in eval_at (0 = initial state; "after 5 epochs" is entry 5),
 * and at the end measure the per-student best train correlation and the fan-out norms. */
typedef struct {
  int epochs, steps_per_epoch;
  const int *eval_at; /* increasing epochs in 0..epochs                                   */
  int n_eval_at;
} tian_two_plan;

/* What a run records.  Arrays are allocated by tian_two_run_plan and freed by tian_two_record_free. */
typedef struct {
  int status;          /* TS_OK, or the error (TS_EDIVERGE: the run diverged; fail_step says where)   */
  long fail_step;
  int m, n, n_eval_at;
  double *tbest;       /* n_eval_at x m: per teacher max_k rho_jk on the eval set (Figs 7, 8)          */
  double *mse;         /* n_eval_at: eval loss (mean over samples and outputs, no 1/2)                 */
  double *sbest;       /* n: per student max_j rho_jk on the train set at the end (Fig. 5 x axis)      */
  int *sarg;           /* n: its teacher                                                              */
  double *vnorm;       /* n: ||v_k|| at the end (Fig. 5 y axis)                                       */
  double mse_train;    /* train loss at the end                                                       */
} tian_two_record;

/* Run the plan for parameters p and seed; fills rec (allocating its arrays).  Returns rec->status.  Never writes
 * NaN into rec: a non-finite loss or weight ends the run with TS_EDIVERGE. */
int tian_two_run_plan(const tian_two_params *p, uint64_t seed, const tian_two_plan *plan, tian_two_record *rec);
void tian_two_record_free(tian_two_record *rec);

/* Make OpenBLAS single-threaded (call before a parallel region of independent runs: each run then computes the
 * same bits whatever the number of OpenMP threads). */
void tian_two_blas_serial(void);

#endif
