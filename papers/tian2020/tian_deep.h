/* tian_deep — deep fully connected (leaky-)ReLU networks with biases for the multi-layer experiments of Tian 2020
 * (Figs. 6 and 10): forward and backward passes as CBLAS GEMMs over a mini-batch, the teacher construction of the
 * authors' multi-layer code, PyTorch's default initialisation for students, and plain SGD on nn.MSELoss or on the
 * cross-entropy with the teacher's argmax as the class.
 *
 * Precision: float64 throughout (the authors' PyTorch code uses float32).
 *
 * A network has L weight layers: layer l = 1..L maps size[l-1] inputs to size[l] outputs,
 *   z_l = W_l h_{l-1} + b_l,  h_l = sigma(z_l) (l < L),  y = z_L (linear output),  h_0 = x,
 * with sigma(z) = z for z > 0 and leaky * z otherwise (leaky = 0: ReLU).  W_l is stored row-major as
 * size[l] x size[l-1] (nn.Linear's `weight`: one row per node, its fan-in), so row j of W_l and b_l[j] form the
 * augmented weight w_j = [w~_j; b_j] of the paper (sec. 3).  Batches are row-major: one row per sample.
 *
 * Threading: the functions call CBLAS; programs that run networks in parallel OpenMP threads call
 * tian_blas_single_thread() once first, so that OpenBLAS does not start threads of its own (results then do not
 * depend on the thread count: each GEMM runs on one thread with a fixed blocking). */
#ifndef TIAN_DEEP_H
#define TIAN_DEEP_H

#include "ts_rng.h"

#define TIAN_DEEP_MAXL 8 /* at most this many weight layers */

typedef enum { TIAN_LOSS_MSE = 0, TIAN_LOSS_CE = 1 } tian_loss;

typedef struct {
  int L;                        /* weight layers (hidden layers + the linear output layer), 1..TIAN_DEEP_MAXL */
  int size[TIAN_DEEP_MAXL + 1]; /* size[0] = input dimension d, size[L] = output dimension C                   */
  double leaky;                 /* slope of sigma for z <= 0 (0 = ReLU)                                         */
  double *W[TIAN_DEEP_MAXL];    /* W[l-1]: layer l, size[l] x size[l-1], row-major                             */
  double *b[TIAN_DEEP_MAXL];    /* b[l-1]: layer l, size[l]                                                     */
} tian_net;

/* A network with the given L and size[0..L], every weight and bias zero.  NULL (reported) on bad sizes or
 * allocation failure.  Free with tian_net_free (NULL is fine). */
tian_net *tian_net_alloc(int L, const int *size, double leaky);
void tian_net_free(tian_net *net);
/* Copy weights, biases and leaky of src into dst of the same shape.  TS_OK or TS_EINVAL (shape mismatch). */
int tian_net_copy(tian_net *dst, const tian_net *src);
/* Number of parameters (weights and biases). */
long tian_net_num_params(const tian_net *net);

/* PyTorch's default nn.Linear initialisation (what the authors' student gets, reference sheet "Multi-layer code"):
 * every weight and bias of layer l ~ U(-1/sqrt(size[l-1]), 1/sqrt(size[l-1])), drawn layer by layer, row by row. */
void tian_net_init_default(tian_net *net, ts_rng *r);

/* The teacher of the authors' multi-layer code (reference sheet, "Multi-layer code", teacher construction):
 *  1. every layer (the output layer included): each row's weights drawn uniformly from the 9 values
 *     {-1, -0.75, ..., 0.75, 1}, rows redrawn until distinct and non-zero; biases ~ U(-0.5, 0.5);
 *  2. polarity p > 0: column i (0-based) of every layer l >= 2 divided by (1 + i)^p (teacher node i of layer l-1
 *     has fan-out strength ~ 1/(1+i)^p, eq. (10));
 *  3. every row and its bias divided by (||w~_row|| + 1e-5) (regular weights, ||w~|| = 1);
 *  4. layer by layer from the bottom, each hidden bias shifted by minus the median over X_eval of its
 *     pre-activation, so that half of the evaluation inputs activate each hidden node;
 *  5. the output layer rescaled so that each output has mean 0 and (population) standard deviation 1 on X_eval.
 * X_eval is n_eval x size[0].  The net's leaky is used for the hidden activations.  TS_OK, TS_ENOMEM, or TS_EINVAL
 * (n_eval < 2, or an output constant on X_eval). */
int tian_teacher_init(tian_net *net, ts_rng *r, double polarity, const double *X_eval, int n_eval);

/* Buffers of forward and backward passes for batches of up to max_batch samples. */
typedef struct tian_work tian_work;
tian_work *tian_work_alloc(const tian_net *net, int max_batch); /* NULL (reported) on failure */
void tian_work_free(tian_work *w);

/* Forward pass of the B x size[0] batch X (B <= max_batch).  Returns the B x size[L] outputs (inside w, valid until
 * the next call); the post-activations of hidden layer l = 1..L-1 are then tian_work_hidden(w, l). */
const double *tian_net_forward(const tian_net *net, tian_work *w, const double *X, int B);
/* Post-activations h_l (B x size[l], row-major) of the last forward pass; l = 1..L-1. */
const double *tian_work_hidden(const tian_work *w, int l);

/* Loss of the last forward pass (B rows) against target (B x size[L]):
 *   MSE: (1/(B C)) sum (y - target)^2                          (nn.MSELoss, mean over batch and outputs)
 *   CE : (1/B) sum_b [logsumexp(y_b) - y_b[c_b]],  c_b = argmax target_b  (nn.CrossEntropyLoss on the teacher's
 *        argmax, as the authors' code; ties go to the first maximum). */
double tian_work_loss(const tian_work *w, const double *target, tian_loss loss);

/* Gradient of tian_work_loss with respect to every weight and bias, by backpropagation through the last forward
 * pass (which must have been made with this net), into grad (same shape as net).  Returns the loss.  The ReLU
 * derivative at z = 0 is taken as `leaky` (as PyTorch: 0 for ReLU). */
double tian_net_gradient(const tian_net *net, tian_work *w, const double *target, tian_loss loss, tian_net *grad);

/* One SGD step on the batch (X, target) of B samples: forward, backward, and W -= lr grad for every layer, the
 * gradient of each layer taken at the weights before the step (as optim.SGD without momentum or weight decay).
 * The update is fused into the backward GEMMs (no gradient buffer).  Returns the batch loss before the step. */
double tian_net_sgd_step(tian_net *net, tian_work *w, const double *X, const double *target, int B, tian_loss loss,
                         double lr);

/* Forward pass over n samples in chunks of the workspace's batch: outputs into Y (n x size[L]) and the
 * post-activations of hidden layer l into H[l-1] (n x size[l]) for l = 1..L-1; Y, H, or any H[l-1] may be NULL. */
void tian_net_apply(const tian_net *net, tian_work *w, const double *X, int n, double *Y, double **H);

/* Make CBLAS single-threaded (OpenBLAS: openblas_set_num_threads(1), process-wide); idempotent. */
void tian_blas_single_thread(void);

#endif
