/* ts_ode — order-parameter ODEs of two-layer teacher–student networks under online SGD.
 *
 * Goldt et al. 2020 eq. (9) with the residual convention e = y - phi (shared/reference/goldt2020.md sec. 2).
 * Let u = (-v_1..-v_K, v*_1..v*_M) over the K+M fields with covariance [[Q,R],[R^T,T]]. Then
 *   dR_in/da = c_grad  * lr v_i sum_j u_j I3(i,n,j)                                   - wd R_in
 *   dQ_ik/da = c_grad  * lr [v_i sum_j u_j I3(i,k,j) + v_k sum_j u_j I3(k,i,j)]
 *            + c_noise * lr^2 v_i v_k [sum_{j,l} u_j u_l I4(i,k,j,l) + sigma^2 J2(i,k)] - 2 wd Q_ik
 *   dv_i/da  = c_grad  * lr2 sum_j u_j I2(i,j)           (train_v only)                 - wd v_i
 * T and v* are constant.  c_grad = c_noise = 1 is Saad–Solla / Goldt.  Veiga et al. 2022 is the same code with
 * v_k = 1/p, v*_m = 1/k, lr = gamma0, and per region: blue (1,1), green (1,0), orange (0,1) — c_grad = 0 freezes R.
 *
 * Activations: erf and linear (closed-form I3, I4).  relu has no closed-form I4: ts_ode_alloc fails (TS_EUNSUP).
 * Integrators: fixed-step explicit Euler (one step of dt = 1/N is one expected SGD step; all right-hand sides from
 * the state at the start of the step) and adaptive GSL odeiv2 (rkf45 with error control).
 * Divergence (NaN/Inf, or |Q_ii| or |v_i| beyond `diverge_bound`) stops the integration with TS_EDIVERGE, reporting
 * the alpha where it was detected. */
#ifndef TS_ODE_H
#define TS_ODE_H

#include "ts_scm.h"

typedef struct {
  ts_act act;     /* TS_ACT_ERF or TS_ACT_LINEAR                                           */
  int K, M;       /* student and teacher hidden units                                      */
  double lr;      /* eta, first layer                                                       */
  double lr2;     /* eta_v, second layer (train_v only)                                     */
  int train_v;    /* 0: soft committee machine (v fixed); 1: both layers trained            */
  double sigma;   /* output-noise standard deviation                                        */
  double c_grad;  /* coefficient of the gradient (I3, I2) terms; 1 by default               */
  double c_noise; /* coefficient of the lr^2 terms in dQ; 1 by default                      */
  double wd;      /* weight decay kappa (0 in the papers): -kappa R, -2 kappa Q, -kappa v   */
} ts_ode_params;

/* Defaults: lr2 = lr, train_v = 0, sigma = 0, c_grad = c_noise = 1, wd = 0. */
void ts_ode_params_init(ts_ode_params *p, ts_act act, int K, int M, double lr);

typedef struct ts_ode ts_ode; /* workspace: parameters, scratch tables, GSL driver; one per thread */

/* NULL on invalid parameters (K, M >= 1, lr > 0 finite, sigma >= 0, act erf|linear) with the reason reported. */
ts_ode *ts_ode_alloc(const ts_ode_params *p);
void ts_ode_free(ts_ode *w);
const ts_ode_params *ts_ode_get_params(const ts_ode *w);

/* Time derivative at state s into ds (ds->Q, ds->R, ds->v; ds->T and ds->vstar set to 0).  ds->v is 0 unless
 * train_v.  s and ds must have the parameters' K, M.  Returns TS_OK or TS_EINVAL. */
int ts_ode_rhs(ts_ode *w, const ts_scm_state *s, ts_scm_state *ds);

typedef struct {
  int adaptive;         /* 0: fixed-step Euler with step dt; 1: GSL odeiv2 rkf45 with rtol/atol       */
  double dt;            /* Euler step (the last step before each output point is shortened to land on it) */
  double rtol, atol;    /* adaptive error control                                                      */
  double diverge_bound; /* |Q_ii| or |v_i| above this counts as divergence (e.g. 1e6)                  */
} ts_ode_integrator;

/* Defaults: Euler, dt = 0.01, rtol = 1e-8, atol = 1e-12, diverge_bound = 1e8. */
void ts_ode_integrator_init(ts_ode_integrator *integ);

/* Called at alpha0 and at every output point; a non-zero return stops the integration with that value. */
typedef int (*ts_ode_observer)(double alpha, const ts_scm_state *s, double eg, void *ctx);

/* Integrate s in place from alpha0 through the ascending output points grid[0..n-1] (all > alpha0).
 * Returns TS_OK, TS_EDIVERGE (with *alpha_fail set, if non-NULL, to the alpha where it was detected),
 * TS_ELIB (GSL failure) or the observer's non-zero value. */
int ts_ode_integrate(ts_ode *w, ts_scm_state *s, double alpha0, const double *grid, int n,
                     const ts_ode_integrator *integ, ts_ode_observer obs, void *ctx, double *alpha_fail);

typedef struct {
  int iterations;    /* Newton/hybrid iterations used                                  */
  double residual;   /* max |f(m)| at the returned state                               */
  double max_re_eig; /* largest real part of the Jacobian's eigenvalues (< 0: stable)  */
  int n_unknowns;    /* K(K+1)/2 + K M (+ K with train_v)                              */
} ts_ode_fp_info;

/* Fixed point f(m) = 0 by GSL multiroot (hybridsj with a finite-difference Jacobian), starting from s, which is
 * overwritten by the solution.  Unknowns: the upper triangle of Q, R, and v if train_v.  Converged when
 * max |f| <= tol.  If the hybrid method stalls (singular or nearly singular Jacobian, e.g. the conserved differences
 * of the linear committee), Newton steps with the SVD pseudo-inverse continue from its best iterate.  Also computes
 * the Jacobian's spectrum at the solution (stability).
 * Returns TS_OK, TS_ENOCONV (s holds the best iterate, info filled) or TS_ELIB. */
int ts_ode_fixed_point(ts_ode *w, ts_scm_state *s, double tol, int max_iter, ts_ode_fp_info *info);

/* Start for the specialised fixed point of eq. (10) type (SCM with K >= M): teacher n's student is the one with the
 * largest R_in (it must exceed 1/2, and differ between teachers); every other (superfluous) student is replaced by
 * identical, mutually aligned ones: Q_aa = Q_ab = q, R_an = 0, Q_ia = 0 for the specialised i.  Needed because for
 * L = K - M >= 2 the eq. (10) point is a saddle (the antisymmetric modes of the superfluous students grow at a rate
 * ~ sigma^2; integrated runs drift along them), so Newton from an integrated state finds other roots or stalls.
 * Returns TS_OK, or TS_EINVAL (state unchanged) if s is not yet specialised or q < 0. */
int ts_ode_reseed_superfluous(ts_scm_state *s, double q);

/* The specialised fixed point of a soft committee machine (the eq. (10) type, K >= M) from the state s: integrate
 * adaptively (rkf45, default tolerances) through alpha = alpha_max/16, /8, ..., alpha_max until the state is
 * specialised, reseed the superfluous students (ts_ode_reseed_superfluous with q), then ts_ode_fixed_point.
 * On return s holds the solution (or the last iterate), *alpha_specialised the integration length used.
 * Returns TS_OK, TS_ENOCONV (not specialised by alpha_max, or Newton failed; info filled if it ran), or an
 * integration error. */
int ts_ode_specialised_fixed_point(ts_ode *w, ts_scm_state *s, double alpha_max, double q, double tol, int max_iter,
                                   double *alpha_specialised, ts_ode_fp_info *info);

#endif
