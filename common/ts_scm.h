/* ts_scm — the macroscopic state of a two-layer teacher–student pair and its generalisation error.
 *
 * Student phi(x) = sum_k v_k g(lambda_k), lambda_k = w_k.x/sqrt(N), k = 1..K;
 * teacher phi*(x) = sum_m v*_m g(rho_m),  rho_m = w*_m.x/sqrt(N),  m = 1..M.
 * Order parameters (Goldt et al. 2020 eq. 5): Q_ik = w_i.w_k/N (KxK), R_in = w_i.w*_n/N (KxM),
 * T_nm = w*_n.w*_m/N (MxM), plus the second layers v (K) and v* (M).
 * The Veiga et al. 2022 committee (student output 1/p, teacher 1/k) is the same state with v_k = 1/p, v*_m = 1/k.
 * All matrices are row-major arrays owned by the state. */
#ifndef TS_SCM_H
#define TS_SCM_H

#include "ts_gauss.h"

typedef struct {
  int K, M;
  double *Q;     /* K*K, symmetric        */
  double *R;     /* K*M, R[i*M + n]       */
  double *T;     /* M*M, symmetric        */
  double *v;     /* K                     */
  double *vstar; /* M                     */
} ts_scm_state;

/* Allocate a state with Q = I, R = 0, T = I, v = 1, v* = 1.  NULL on failure (K, M >= 1). */
ts_scm_state *ts_scm_alloc(int K, int M);
void ts_scm_free(ts_scm_state *s);
/* dst and src must have the same K, M.  Returns TS_OK or TS_EINVAL. */
int ts_scm_copy(ts_scm_state *dst, const ts_scm_state *src);

/* Generalisation error eps_g = 1/2 <(phi - phi*)^2> over noiseless Gaussian inputs (SM eq. S31):
 * eps_g = 1/2 sum_{a,b} u_a u_b I2(a,b),  u = (v, -v*) over the K+M fields with covariance [[Q,R],[R^T,T]].
 * Student and teacher may use different activations (mixed I2).  Returns NaN if the state holds NaN. */
double ts_scm_eg(const ts_scm_state *s, ts_act student, ts_act teacher);

/* 1 if every entry is finite and max |Q_ii|, |v_i| <= bound; 0 otherwise (divergence test). */
int ts_scm_is_sane(const ts_scm_state *s, double bound);

/* The flattened state for --overlaps output, in a fixed order: Q_i_k (i <= k, 1-based), R_i_n, v_i.
 * ts_scm_n_cols(K, M) = K(K+1)/2 + K*M + K;  ts_scm_col_name writes column j's name (0-based j) into buf. */
int ts_scm_n_cols(int K, int M);
void ts_scm_col_name(int K, int M, int j, char *buf, int len);
void ts_scm_cols(const ts_scm_state *s, double *out); /* out has ts_scm_n_cols entries */

#endif
