/* ts_sgd — online (one-pass) SGD of two-layer teacher–student networks.
 *
 * Goldt et al. 2020 eqs. (1)–(3) with the residual e = y - phi(x), y = phi*(x) + sigma zeta, fresh x ~ N(0, I_N)
 * every sample:
 *   w_k <- (1 - wd/N) w_k + (lr/sqrt N) v_k g'(lambda_k) e x
 *   v_k <- (1 - wd/N) v_k + (lr2/N) g(lambda_k) e            (train_v only)
 * With mini-batches of B samples the update uses the mean of the B per-sample increments, and alpha advances by
 * B/N per step (alpha counts samples per input dimension).
 * Veiga et al. 2022 (student output 1/p, teacher 1/k, step gamma/p) is the same code with v_k = 1/p, v*_m = 1/k,
 * lr = gamma.
 * Generalisation error: analytic from the order parameters (ts_scm_eg), for erf, linear and relu — no test set.
 * ts_sgd_step_on runs the same update on caller-provided samples (finite training sets, real images).
 * ts_sgd_group_* steps several students of one teacher on one shared input stream (x, zeta and phi*(x) drawn once
 * per step for all of them), each bit for bit as ts_sgd_step_on on those samples. */
#ifndef TS_SGD_H
#define TS_SGD_H

#include <stdint.h>

#include "ts_scm.h"

typedef struct {
  ts_act act;         /* student and teacher activation                                        */
  int N, K, M;        /* input dimension (>= 2), student and teacher hidden units (>= 1)        */
  double lr, lr2;     /* first- and second-layer learning rates (> 0)                           */
  int train_v;        /* 0: soft committee machine (v fixed); 1: both layers trained            */
  double sigma;       /* output-noise standard deviation (>= 0)                                 */
  double wd;          /* weight decay (>= 0), 0 in the papers                                   */
  int batch;          /* mini-batch size B >= 1                                                 */
  double init_std;    /* std of the student's first-layer entries                               */
  double teacher_std; /* std of the teacher's first-layer entries                               */
  double v0;          /* initial (or fixed) student second-layer weight                         */
  int v_random;       /* 1: student v_k ~ N(0, 1) initially instead of v0 (both-layer runs)     */
  double vstar;       /* teacher second-layer weight, the same for every m                      */
} ts_sgd_params;

/* Defaults after Goldt et al.: lr2 = lr, sigma = 0, wd = 0, batch = 1, v0 = vstar = 1, v_random = 0,
 * teacher_std = 1, init_std = 1 for erf and 1/sqrt(N) for relu and linear (reference sheet sec. 1). */
void ts_sgd_params_init(ts_sgd_params *p, ts_act act, int N, int K, int M, double lr);

typedef struct ts_sgd ts_sgd;

/* Allocates and draws the teacher and the initial student from the run's stream (seed); the data stream is a
 * separate stream of the same seed.  NULL on invalid parameters (reason reported). */
ts_sgd *ts_sgd_alloc(const ts_sgd_params *p, uint64_t seed);
void ts_sgd_free(ts_sgd *s);
const ts_sgd_params *ts_sgd_get_params(const ts_sgd *s);

/* Direct access to the weights (row-major, owned by s), e.g. to set a custom initial condition before training:
 * w is K x N, wstar is M x N, v has K entries, vstar M entries. */
double *ts_sgd_w(ts_sgd *s);
double *ts_sgd_wstar(ts_sgd *s);
double *ts_sgd_v(ts_sgd *s);
double *ts_sgd_vstar(ts_sgd *s);

/* Run n SGD steps (each of `batch` samples).  Returns TS_OK, or TS_EDIVERGE if the weights became non-finite
 * or exploded (checked at least every 1000 steps and at the end), with the alpha reported. */
int ts_sgd_run(ts_sgd *s, long n);
double ts_sgd_alpha(const ts_sgd *s); /* samples seen / N */

/* One SGD step on caller-provided samples instead of fresh Gaussian ones: finite training sets re-used, real images.
 * x holds `batch` inputs of N values each (row-major; read only, not kept); the label of sample b is
 * y_b = phi*(x_b) + sigma zeta[b], so a finite training set fixes its label noise by passing the same zeta with the
 * same x.  zeta == NULL draws zeta_b from the run's data stream instead (one ts_rng_gaussian per sample: fresh label
 * noise on every presentation).  The update is that of ts_sgd_run for the same samples, bit for bit: ts_sgd_run is
 * ts_sgd_step_on applied to the first N values of each data-stream fill of N+1, with zeta the last one.  Inputs are
 * used as given: the fields are w.x/sqrt(N), so for the Gaussian theory (and the analytic ts_sgd_eg) x should have
 * unit-variance, uncorrelated entries; correlated inputs change the fields' variance (the caller measures eps_g
 * itself then).  alpha advances by batch/N.  Returns TS_OK; TS_EINVAL if s or x is NULL; TS_EDIVERGE if a residual
 * is non-finite (e.g. non-finite x) or, checked every 1000 calls, the weights are non-finite or beyond 1e8
 * (ts_sgd_run(s, 0) runs that check on demand). */
int ts_sgd_step_on(ts_sgd *s, const double *x, const double *zeta);

/* Order parameters Q, R, T, v, v* of the current weights into out (out->K, out->M must match). */
int ts_sgd_overlaps(const ts_sgd *s, ts_scm_state *out);
/* eps_g of the current weights, analytic from the overlaps. */
double ts_sgd_eg(const ts_sgd *s);

/* ---------- groups of students on one input stream ----------
 * Several students that learn the same teacher from the same inputs (e.g. one teacher, many K) need the inputs
 * x ~ N(0, I_N), the label noise zeta and the teacher's output phi*(x) only once per sample: a group draws them once
 * per step and steps every member on them.  Each member's update is that of ts_sgd_step_on(member, x, zeta) on the
 * shared (x, zeta), bit for bit (the teacher's pre-activations are computed once, with the same summation order).
 * A member's trajectory therefore depends only on its own initial weights, the teacher and the group's stream:
 * not on the other members, on their number or order, or on retired members. */

/* Copies the teacher (w*, M x N, and v*, M) of src into dst, so that both learn the same teacher.  dst and src must
 * have the same N and M (TS_EINVAL otherwise); the activation is a parameter of each run and is not copied. */
int ts_sgd_copy_teacher(ts_sgd *dst, const ts_sgd *src);

typedef struct ts_sgd_group ts_sgd_group;

/* A group of n >= 1 distinct runs (borrowed: the caller frees them after the group) that learn one teacher from one
 * input stream.  The members must have the same N, M, activation and batch size and bitwise the same teacher (w*,
 * v*; make it so with ts_sgd_copy_teacher, never by relying on the seeds) and must not change it while grouped; K,
 * the learning rates, train_v, sigma (member i's label is phi*(x) + sigma_i zeta), weight decay and the student
 * weights may differ.  The shared samples come from stream (seed, 1), one ts_rng_gaussian_fill of batch (N+1) values
 * per step (sample b: x = values b(N+1) .. b(N+1)+N-1, zeta the next), exactly as ts_sgd_run draws them: a member
 * allocated with the same seed is stepped exactly as ts_sgd_run would step it (a group of one is an ordinary run).
 * The members' own data streams are not used.  NULL with TS_EINVAL (reason reported) on a NULL or repeated member,
 * n < 1, or members that differ in N, M, activation, batch or teacher; NULL with TS_ENOMEM when out of memory. */
ts_sgd_group *ts_sgd_group_alloc(ts_sgd *const *members, int n, uint64_t seed);
void ts_sgd_group_free(ts_sgd_group *g); /* frees the group, not its members */

/* n steps of the group: each draws one batch of shared samples and steps every active member on it (their alpha
 * advances by batch/N).  Divergence is checked per member as in ts_sgd_run (residual every sample; weights every
 * 1000 steps and at the end); a member that diverges is reported (ts_error, with its alpha and K), retired with
 * status TS_EDIVERGE (ts_sgd_group_status; its alpha stays where it failed) and the others go on undisturbed.
 * Returns TS_OK, TS_EINVAL (n < 0), or TS_EDIVERGE if a member diverged during this call. */
int ts_sgd_group_run(ts_sgd_group *g, long n);

/* Member i stops being stepped (e.g. its run has reached its length); the stream goes on for the others, whose
 * trajectories do not change.  TS_EINVAL if i is out of range. */
int ts_sgd_group_retire(ts_sgd_group *g, int i);

/* TS_OK, or TS_EDIVERGE if member i diverged (TS_EINVAL if i is out of range). */
int ts_sgd_group_status(const ts_sgd_group *g, int i);

/* The samples of the group's last step (owned by g, overwritten by the next step): batch blocks of N+1 values,
 * x_b then zeta_b, as drawn from stream (seed, 1).  Contents undefined before the first step. */
const double *ts_sgd_group_samples(const ts_sgd_group *g);

#endif
