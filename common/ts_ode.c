/* ts_ode — order-parameter ODEs of two-layer teacher–student networks (see ts_ode.h for the equations).
 *
 * Fast erf kernel.  With the K+M fields' covariance C, D_a = 1 + C_aa and u as in the header:
 *  - I3 sums: sum_j u_j I3(a,b,j) = (2/pi) [D_a G_ab - C_ab G_aa] with G = W C, W_aj = u_j / (D_a sqrt(D_a D_j - C_aj^2)):
 *    K(K+M) square roots and a K x (K+M) x (K+M) product per step instead of K(K+M)^2 I3 evaluations.
 *  - I4 sums: I4(i,k,c,d) is symmetric in (i,k) and in (c,d), so only i <= k and c <= d are visited (weight
 *    u_c u_d, x2 off the diagonal): K(K+1)/2 x (K+M)(K+M+1)/2 asin, e.g. 15 x 28 = 420 at K = 5, M = 2.  The SIMD
 *    lanes hold different student pairs (i,k), so everything that depends on (i,k) or (i,k,c) -- Lambda4, the
 *    Lambda1(c)^{-1/2}, the coefficients of Lambda0 -- is computed once per lane and hoisted out of the (c,d) loop;
 *    what is left per term is 3 FMA-type operations and one asin.
 *    sigma^2 J2(i,k) = sigma^2 (2/pi) Lambda4^{-1/2} shares the prefactor.  With AVX2+FMA (x86-64-v3) the lanes are
 *    __m256d and asin is a branch-free polynomial (one sqrt, no division); otherwise the same code runs with one lane
 *    and libm asin.  Where the CPU has AVX-512F/DQ (checked at run time; the file is still built for x86-64-v3) the
 *    batches hold 8 pairs (__m512d, functions compiled with a target attribute), e.g. 36 pairs at K = 8 in 5
 *    batches instead of 9.  Every lane does the same operations in the same order in both widths (same polynomial,
 *    same FMAs, same summation order over (c, d)), so the results are bitwise identical (tests/test_ode.c checks it).
 * Linear activation: I3(a,b,c) = C_bc, I4(a,b,c,d) = C_cd, J2 = 1, I2 = C_ab, so everything follows from h = C u.
 * The straightforward version (one ts_gauss_* call per term) lives in tests/test_ode.c, which checks this kernel
 * against it to 1e-12.
 *
 * All scratch used per step lives in the workspace (nothing is allocated per step); the fixed-point solver's
 * O(dim^2) workspace is allocated on the first ts_ode_fixed_point call. */
#include "ts_ode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_vector.h>

#include "ts_err.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define TS__AVX 1
#else
#define TS__AVX 0
#endif

#define TS__2_PI 0.63661977236758134308   /* 2/pi   */
#define TS__4_PI2 0.40528473456935108578  /* 4/pi^2 */
#define TS__MAXDIM 4096                    /* K, M bound (keeps the index arithmetic in int) */

struct ts_ode {
  ts_ode_params p;
  int K, M, n, n4;   /* n = K + M fields; n4 = n rounded up to a multiple of 4 (row stride of C) */
  int nsp;           /* student pairs i <= k (the SIMD lanes of the I4 kernel)                 */
  int simd8;         /* 1: the I4 kernel runs 8-lane AVX-512 batches (chosen at run time)     */
  int dim;           /* unknowns: K(K+1)/2 + K M (+ K with train_v)                            */
  /* per-step tables (padded entries are harmless: zero weight) */
  double *C;         /* n x n4 covariance, padded columns 0                         */
  double *D;         /* n4: 1 + C_aa, padding 1                                     */
  double *u;         /* n4: (-v, v*), padding 0                                     */
  double *Wr;        /* n4 scratch row                                             */
  double *G;         /* n4 scratch row                                             */
  double *S3;        /* K x n4: sum_j u_j I3(a, b, j)                               */
  double *S2;        /* K: sum_j u_j I2(i, j)                                       */
  double *A2;        /* K x n4: asin arguments of I2                                */
  double *NQ;        /* K x K: noise term (I4 sum + sigma^2 J2) per student pair    */
  int *bi, *bk, *bik; /* nsp + TS__MAXVW lanes: the pair (i, k) of each lane, and i n4 + k (index of C_ik);
                         the padding lanes hold pair (0, 0) and are never stored    */
  double *lanes;     /* 3 n TS__MAXVW per-batch scratch: X, Y, r                    */
  int np;            /* field pairs c <= d                                          */
  double *wq;        /* np: u_c u_d (x2 off the diagonal), pair order               */
  double *arg;       /* np x TS__MAXVW: asin arguments of one batch, then asin values */
  /* states (arrays in `states_buf`) */
  ts_scm_state ds, tmp;
  double *states_buf;
  /* flat vectors */
  double *y, *y2, *f1, *f2;
  /* adaptive integrator */
  gsl_odeiv2_system sys;
  gsl_odeiv2_step *step;
  gsl_odeiv2_control *ctrl;
  gsl_odeiv2_evolve *evol;
  /* fixed point */
  gsl_multiroot_fdfsolver *mr;
  gsl_vector *x0;
  gsl_matrix *J;
  gsl_eigen_nonsymm_workspace *eig;
  gsl_vector_complex *eval;
  gsl_matrix *U, *V;           /* SVD-Newton fallback */
  gsl_vector *S, *svw, *xbest, *xt, *ft, *fb, *step_v;
};

/* ------------------------------------------------------------------------------------------------------------------ */
/* small vector layer: 4 lanes with AVX2+FMA, 1 lane otherwise; 8 lanes with AVX-512 (chosen at run time)              */

/* asin(sqrt z) = sqrt z + z^{3/2} P(z) on z in [0, 1/4]: the degree-12 Chebyshev fit of P (mpmath chebyfit, max error
 * 1.5e-17), and pi/2 split in hi + lo.  Shared by the 4- and 8-lane versions, which do the same operations per lane. */
#define TS__AS0 1.666666666666666851704e-01
#define TS__AS1 7.499999999998432920201e-02
#define TS__AS2 4.464285714635542884343e-02
#define TS__AS3 3.038194413853124650760e-02
#define TS__AS4 2.237217294214988855261e-02
#define TS__AS5 1.735239272086997255884e-02
#define TS__AS6 1.397121297355293292886e-02
#define TS__AS7 1.147917741518490568342e-02
#define TS__AS8 1.032281435018577928076e-02
#define TS__AS9 5.457506718640358148176e-03
#define TS__AS10 1.740087944269402137065e-02
#define TS__AS11 -1.485188707124720369768e-02
#define TS__AS12 2.875785136742156633538e-02
#define TS__PIO2_HI 1.57079632679489655800e+00
#define TS__PIO2_LO 6.12323399573676603587e-17

#if TS__AVX
typedef __m256d ts__vd;
#define TS__VW 4
#define TS__MAXVW 8 /* the AVX-512 batches */
#define V_LD(p) _mm256_loadu_pd(p)
#define V_ST(p, x) _mm256_storeu_pd((p), (x))
#define V_SET1(x) _mm256_set1_pd(x)
#define V_ADD(a, b) _mm256_add_pd((a), (b))
#define V_SUB(a, b) _mm256_sub_pd((a), (b))
#define V_MUL(a, b) _mm256_mul_pd((a), (b))
#define V_DIV(a, b) _mm256_div_pd((a), (b))
#define V_SQRT(a) _mm256_sqrt_pd(a)
#define V_FMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))   /* a b + c */
#define V_FNMA(a, b, c) _mm256_fnmadd_pd((a), (b), (c)) /* c - a b */
#define V_GATHER(base, idx) _mm256_i32gather_pd((base), _mm_loadu_si128((const __m128i *)(idx)), 8) /* base[idx[l]] */

static inline double ts__hsum(__m256d x)
{
  __m128d lo = _mm256_castpd256_pd128(x), hi = _mm256_extractf128_pd(x, 1);
  lo = _mm_add_pd(lo, hi);
  return _mm_cvtsd_f64(_mm_add_sd(lo, _mm_unpackhi_pd(lo, lo)));
}

/* asin on 4 lanes without a division: |x| < 1/2: s = |x|, z = x^2; otherwise z = (1 - |x|)/2, s = sqrt z (the
 * fdlibm reduction asin|x| = pi/2 - 2 asin sqrt z), and asin(s) = s + s z P(z) (TS__AS*, Estrin's scheme).
 * Arguments are clamped to [-1, 1] (rounding in degenerate covariances); NaN propagates.  Max error ~2 ulp (checked
 * against libm). */
static inline __m256d ts__asin4(__m256d x)
{
  const __m256d sgnbit = _mm256_set1_pd(-0.0), one = _mm256_set1_pd(1.0), half = _mm256_set1_pd(0.5);
  __m256d sgn = _mm256_and_pd(sgnbit, x);
  __m256d ax = _mm256_min_pd(one, _mm256_andnot_pd(sgnbit, x)); /* min(1, NaN) = NaN */
  __m256d big = _mm256_cmp_pd(ax, half, _CMP_GE_OQ);
  __m256d zb = _mm256_mul_pd(_mm256_sub_pd(one, ax), half);
  __m256d z = _mm256_blendv_pd(_mm256_mul_pd(ax, ax), zb, big);
  __m256d s = _mm256_blendv_pd(ax, _mm256_sqrt_pd(zb), big);
  /* Estrin: P = p0 + z p1 + ... + z^12 p12 */
  __m256d z2 = _mm256_mul_pd(z, z), z4 = _mm256_mul_pd(z2, z2), z8 = _mm256_mul_pd(z4, z4);
#define TS__C(v) _mm256_set1_pd(v)
  __m256d e0 = _mm256_fmadd_pd(z, TS__C(TS__AS1), TS__C(TS__AS0));
  __m256d e1 = _mm256_fmadd_pd(z, TS__C(TS__AS3), TS__C(TS__AS2));
  __m256d e2 = _mm256_fmadd_pd(z, TS__C(TS__AS5), TS__C(TS__AS4));
  __m256d e3 = _mm256_fmadd_pd(z, TS__C(TS__AS7), TS__C(TS__AS6));
  __m256d e4 = _mm256_fmadd_pd(z, TS__C(TS__AS9), TS__C(TS__AS8));
  __m256d e5 = _mm256_fmadd_pd(z, TS__C(TS__AS11), TS__C(TS__AS10));
  __m256d g1 = _mm256_fmadd_pd(z4, TS__C(TS__AS12), _mm256_fmadd_pd(z2, e5, e4));
  __m256d f0 = _mm256_fmadd_pd(z2, e1, e0);
  __m256d f1 = _mm256_fmadd_pd(z2, e3, e2);
  __m256d g0 = _mm256_fmadd_pd(z4, f1, f0);
  __m256d pz = _mm256_fmadd_pd(z8, g1, g0);
  __m256d r = _mm256_fmadd_pd(_mm256_mul_pd(s, z), pz, s);
  /* big: pi/2 - 2 r */
  __m256d rb = _mm256_sub_pd(TS__C(TS__PIO2_HI), _mm256_sub_pd(_mm256_add_pd(r, r), TS__C(TS__PIO2_LO)));
#undef TS__C
  return _mm256_or_pd(_mm256_blendv_pd(r, rb, big), sgn);
}
#define V_ASIN(x) ts__asin4(x)
#define V_HSUM(x) ts__hsum(x)

/* 8 lanes (AVX-512F/DQ), only in functions compiled with TS__AVX512; every operation is the 4-lane one per lane */
#define TS__AVX512 __attribute__((target("avx512f,avx512dq")))
typedef __m512d ts__wd;
#define W_LD(p) _mm512_loadu_pd(p)
#define W_SET1(x) _mm512_set1_pd(x)
#define W_ADD(a, b) _mm512_add_pd((a), (b))
#define W_MUL(a, b) _mm512_mul_pd((a), (b))
#define W_DIV(a, b) _mm512_div_pd((a), (b))
#define W_SQRT(a) _mm512_sqrt_pd(a)
#define W_FMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define W_FNMA(a, b, c) _mm512_fnmadd_pd((a), (b), (c))
#define W_ST(p, x) _mm512_storeu_pd((p), (x))
#define W_GATHER(base, idx) _mm512_i32gather_pd(_mm256_loadu_si256((const __m256i *)(idx)), (base), 8)

/* ts__asin4 on 8 lanes: the same operations (blendv -> mask blend) */
TS__AVX512 static inline __m512d ts__asin8(__m512d x)
{
  const __m512d sgnbit = _mm512_set1_pd(-0.0), one = _mm512_set1_pd(1.0), half = _mm512_set1_pd(0.5);
  __m512d sgn = _mm512_and_pd(sgnbit, x);
  __m512d ax = _mm512_min_pd(one, _mm512_andnot_pd(sgnbit, x)); /* min(1, NaN) = NaN */
  __mmask8 big = _mm512_cmp_pd_mask(ax, half, _CMP_GE_OQ);
  __m512d zb = _mm512_mul_pd(_mm512_sub_pd(one, ax), half);
  __m512d z = _mm512_mask_blend_pd(big, _mm512_mul_pd(ax, ax), zb);
  __m512d s = _mm512_mask_blend_pd(big, ax, _mm512_sqrt_pd(zb));
  __m512d z2 = _mm512_mul_pd(z, z), z4 = _mm512_mul_pd(z2, z2), z8 = _mm512_mul_pd(z4, z4);
#define TS__C(v) _mm512_set1_pd(v)
  __m512d e0 = _mm512_fmadd_pd(z, TS__C(TS__AS1), TS__C(TS__AS0));
  __m512d e1 = _mm512_fmadd_pd(z, TS__C(TS__AS3), TS__C(TS__AS2));
  __m512d e2 = _mm512_fmadd_pd(z, TS__C(TS__AS5), TS__C(TS__AS4));
  __m512d e3 = _mm512_fmadd_pd(z, TS__C(TS__AS7), TS__C(TS__AS6));
  __m512d e4 = _mm512_fmadd_pd(z, TS__C(TS__AS9), TS__C(TS__AS8));
  __m512d e5 = _mm512_fmadd_pd(z, TS__C(TS__AS11), TS__C(TS__AS10));
  __m512d g1 = _mm512_fmadd_pd(z4, TS__C(TS__AS12), _mm512_fmadd_pd(z2, e5, e4));
  __m512d f0 = _mm512_fmadd_pd(z2, e1, e0);
  __m512d f1 = _mm512_fmadd_pd(z2, e3, e2);
  __m512d g0 = _mm512_fmadd_pd(z4, f1, f0);
  __m512d pz = _mm512_fmadd_pd(z8, g1, g0);
  __m512d r = _mm512_fmadd_pd(_mm512_mul_pd(s, z), pz, s);
  __m512d rb = _mm512_sub_pd(TS__C(TS__PIO2_HI), _mm512_sub_pd(_mm512_add_pd(r, r), TS__C(TS__PIO2_LO)));
#undef TS__C
  return _mm512_or_pd(_mm512_mask_blend_pd(big, r, rb), sgn);
}
#define W_ASIN(x) ts__asin8(x)

/* 1 if the CPU (and the OS) support the AVX-512 subsets used here */
static int ts__have_avx512(void)
{
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}

#else /* scalar fallback */
typedef double ts__vd;
#define TS__VW 1
#define TS__MAXVW 1
#define V_LD(p) (*(p))
#define V_ST(p, x) (*(p) = (x))
#define V_SET1(x) (x)
#define V_ADD(a, b) ((a) + (b))
#define V_SUB(a, b) ((a) - (b))
#define V_MUL(a, b) ((a) * (b))
#define V_DIV(a, b) ((a) / (b))
#define V_SQRT(a) sqrt(a)
#define V_FMA(a, b, c) ((a) * (b) + (c))
#define V_FNMA(a, b, c) ((c) - (a) * (b))
#define V_GATHER(base, idx) ((base)[(idx)[0]])
static inline double ts__asin1(double x)
{
  if (x > 1.0) x = 1.0;
  else if (x < -1.0) x = -1.0;
  return asin(x);
}
#define V_ASIN(x) ts__asin1(x)
#define V_HSUM(x) (x)
static int ts__have_avx512(void) { return 0; }
#endif

/* ------------------------------------------------------------------------------------------------------------------ */
/* parameters, allocation                                                                                              */

void ts_ode_params_init(ts_ode_params *p, ts_act act, int K, int M, double lr)
{
  p->act = act;
  p->K = K;
  p->M = M;
  p->lr = lr;
  p->lr2 = lr;
  p->train_v = 0;
  p->sigma = 0.0;
  p->c_grad = 1.0;
  p->c_noise = 1.0;
  p->wd = 0.0;
}

void ts_ode_integrator_init(ts_ode_integrator *integ)
{
  integ->adaptive = 0;
  integ->dt = 0.01;
  integ->rtol = 1e-8;
  integ->atol = 1e-12;
  integ->diverge_bound = 1e8;
}

const ts_ode_params *ts_ode_get_params(const ts_ode *w) { return &w->p; }

/* Test hook (not in ts_ode.h; tests/test_ode.c declares it): on = 0 makes the I4 kernel use only TS__VW-lane
 * batches, on = 1 restores the run-time choice (8-lane AVX-512 batches where the CPU has them).  Returns whether the
 * 8-lane batches are now used. */
int ts_ode__test_simd8(ts_ode *w, int on);
int ts_ode__test_simd8(ts_ode *w, int on)
{
  w->simd8 = on ? ts__have_avx512() : 0;
  return w->simd8;
}

static int ts__round4(int x) { return (x + 3) & ~3; }

/* n doubles, zeroed, on a 64-byte boundary (one cache line per 8-lane vector: unaligned 64-byte loads and stores
 * straddle two lines: measured ~7 % of the K = 8, M = 4 step); NULL if out of memory */
static double *ts__alloc64(size_t n)
{
  const size_t bytes = (n * sizeof(double) + 63) & ~(size_t)63;
  double *p = aligned_alloc(64, bytes ? bytes : 64);
  if (p) memset(p, 0, bytes ? bytes : 64);
  return p;
}

static int ts__gsl_func(double t, const double y[], double dydt[], void *params);
static int ts__fp_f(const gsl_vector *x, void *params, gsl_vector *f);
static int ts__fp_df(const gsl_vector *x, void *params, gsl_matrix *J);
static int ts__fp_fdf(const gsl_vector *x, void *params, gsl_vector *f, gsl_matrix *J);

ts_ode *ts_ode_alloc(const ts_ode_params *p)
{
  if (!p) { ts_error(TS_EINVAL, "ts_ode_alloc: NULL parameters"); return NULL; }
  if (p->act == TS_ACT_RELU) {
    ts_error(TS_EUNSUP, "ts_ode_alloc: relu has no closed-form I4; the ODE supports erf and linear");
    return NULL;
  }
  if (p->act != TS_ACT_ERF && p->act != TS_ACT_LINEAR) {
    ts_error(TS_EINVAL, "ts_ode_alloc: unknown activation %d", (int)p->act);
    return NULL;
  }
  if (p->K < 1 || p->M < 1 || p->K > TS__MAXDIM || p->M > TS__MAXDIM) {
    ts_error(TS_EINVAL, "ts_ode_alloc: need 1 <= K, M <= %d (got K = %d, M = %d)", TS__MAXDIM, p->K, p->M);
    return NULL;
  }
  if (!(p->lr > 0.0) || !isfinite(p->lr)) {
    ts_error(TS_EINVAL, "ts_ode_alloc: learning rate must be positive and finite (got %g)", p->lr);
    return NULL;
  }
  if (p->train_v && (!(p->lr2 >= 0.0) || !isfinite(p->lr2))) {
    ts_error(TS_EINVAL, "ts_ode_alloc: second-layer learning rate must be >= 0 and finite (got %g)", p->lr2);
    return NULL;
  }
  if (!(p->sigma >= 0.0) || !isfinite(p->sigma)) {
    ts_error(TS_EINVAL, "ts_ode_alloc: sigma must be >= 0 and finite (got %g)", p->sigma);
    return NULL;
  }
  if (!isfinite(p->c_grad) || !isfinite(p->c_noise) || !(p->wd >= 0.0) || !isfinite(p->wd)) {
    ts_error(TS_EINVAL, "ts_ode_alloc: c_grad, c_noise must be finite and wd >= 0 finite (got %g, %g, %g)",
             p->c_grad, p->c_noise, p->wd);
    return NULL;
  }
  ts_gsl_errors_off();

  ts_ode *w = calloc(1, sizeof *w);
  if (!w) { ts_error(TS_ENOMEM, "ts_ode_alloc: out of memory"); return NULL; }
  w->p = *p;
  w->p.train_v = p->train_v ? 1 : 0;
  const int K = p->K, M = p->M, n = K + M;
  w->K = K;
  w->M = M;
  w->n = n;
  w->n4 = ts__round4(n);
  w->nsp = K * (K + 1) / 2;
  w->simd8 = ts__have_avx512();
  w->dim = K * (K + 1) / 2 + K * M + (w->p.train_v ? K : 0);
  const int n4 = w->n4, nl = w->nsp + TS__MAXVW, dim = w->dim;

  w->C = calloc((size_t)n * n4, sizeof(double));
  w->D = calloc((size_t)n4, sizeof(double));
  w->u = calloc((size_t)n4, sizeof(double));
  w->Wr = calloc((size_t)n4, sizeof(double));
  w->G = calloc((size_t)n4, sizeof(double));
  w->S3 = calloc((size_t)K * n4, sizeof(double));
  w->S2 = calloc((size_t)K, sizeof(double));
  w->A2 = calloc((size_t)K * n4, sizeof(double));
  w->NQ = calloc((size_t)K * K, sizeof(double));
  w->bi = calloc((size_t)nl, sizeof(int));
  w->bk = calloc((size_t)nl, sizeof(int));
  w->bik = calloc((size_t)nl, sizeof(int));
  w->lanes = ts__alloc64((size_t)3 * n * TS__MAXVW);
  w->np = n * (n + 1) / 2;
  w->wq = calloc((size_t)w->np, sizeof(double));
  w->arg = ts__alloc64((size_t)w->np * TS__MAXVW);
  size_t per_state = (size_t)K * K + (size_t)K * M + (size_t)M * M + K + M;
  w->states_buf = calloc(2 * per_state, sizeof(double));
  w->y = calloc((size_t)dim, sizeof(double));
  w->y2 = calloc((size_t)dim, sizeof(double));
  w->f1 = calloc((size_t)dim, sizeof(double));
  w->f2 = calloc((size_t)dim, sizeof(double));
  if (!w->C || !w->D || !w->u || !w->Wr || !w->G || !w->S3 || !w->S2 || !w->A2 || !w->NQ || !w->bi ||
      !w->bk || !w->bik || !w->lanes || !w->wq || !w->arg || !w->states_buf || !w->y || !w->y2 || !w->f1 || !w->f2) {
    ts_ode_free(w);
    ts_error(TS_ENOMEM, "ts_ode_alloc: out of memory");
    return NULL;
  }
  ts_scm_state *st[2] = {&w->ds, &w->tmp};
  double *b = w->states_buf;
  for (int q = 0; q < 2; q++) {
    st[q]->K = K;
    st[q]->M = M;
    st[q]->Q = b; b += (size_t)K * K;
    st[q]->R = b; b += (size_t)K * M;
    st[q]->T = b; b += (size_t)M * M;
    st[q]->v = b; b += K;
    st[q]->vstar = b; b += M;
  }
  /* student pairs i <= k, the lanes of the I4 kernel; the padding lanes (calloc: pair (0, 0)) are never stored */
  for (int i = 0, q = 0; i < K; i++)
    for (int k = i; k < K; k++, q++) {
      w->bi[q] = i;
      w->bk[q] = k;
      w->bik[q] = i * n4 + k;
    }
  for (int a = 0; a < n4; a++) w->D[a] = 1.0;

  /* GSL: adaptive integrator and fixed-point solver, all sized here */
  w->sys.function = ts__gsl_func;
  w->sys.jacobian = NULL;
  w->sys.dimension = (size_t)dim;
  w->sys.params = w;
  w->step = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rkf45, (size_t)dim);
  w->ctrl = gsl_odeiv2_control_standard_new(1e-12, 1e-8, 1.0, 0.0);
  w->evol = gsl_odeiv2_evolve_alloc((size_t)dim);
  if (!w->step || !w->ctrl || !w->evol) {
    ts_ode_free(w);
    ts_error(TS_ENOMEM, "ts_ode_alloc: GSL allocation failed (dimension %d)", dim);
    return NULL;
  }
  /* the fixed-point solver's O(dim^2) workspace is allocated by the first ts_ode_fixed_point call */
  return w;
}

/* the fixed-point workspace (allocated by the first ts_ode_fixed_point call) */
static void ts__fp_free(ts_ode *w)
{
  if (w->mr) gsl_multiroot_fdfsolver_free(w->mr);
  if (w->x0) gsl_vector_free(w->x0);
  if (w->J) gsl_matrix_free(w->J);
  if (w->eig) gsl_eigen_nonsymm_free(w->eig);
  if (w->eval) gsl_vector_complex_free(w->eval);
  gsl_matrix *mats[2] = {w->U, w->V};
  for (int j = 0; j < 2; j++)
    if (mats[j]) gsl_matrix_free(mats[j]);
  gsl_vector *vecs[7] = {w->S, w->svw, w->xbest, w->xt, w->ft, w->fb, w->step_v};
  for (int j = 0; j < 7; j++)
    if (vecs[j]) gsl_vector_free(vecs[j]);
  w->mr = NULL;
  w->x0 = w->S = w->svw = w->xbest = w->xt = w->ft = w->fb = w->step_v = NULL;
  w->J = w->U = w->V = NULL;
  w->eig = NULL;
  w->eval = NULL;
}

void ts_ode_free(ts_ode *w)
{
  if (!w) return;
  free(w->C); free(w->D); free(w->u); free(w->Wr); free(w->G); free(w->S3); free(w->S2); free(w->A2);
  free(w->NQ); free(w->bi); free(w->bk); free(w->bik); free(w->lanes); free(w->wq); free(w->arg);
  free(w->states_buf); free(w->y); free(w->y2); free(w->f1); free(w->f2);
  if (w->step) gsl_odeiv2_step_free(w->step);
  if (w->ctrl) gsl_odeiv2_control_free(w->ctrl);
  if (w->evol) gsl_odeiv2_evolve_free(w->evol);
  ts__fp_free(w);
  free(w);
}

/* ------------------------------------------------------------------------------------------------------------------ */
/* right-hand side                                                                                                     */

/* C (padded), D = 1 + diag C, u = (-v, v*) */
static void ts__build_cov(ts_ode *w, const ts_scm_state *s)
{
  const int K = w->K, M = w->M, n4 = w->n4;
  double *C = w->C;
  for (int i = 0; i < K; i++) {
    double *row = C + (size_t)i * n4;
    for (int k = 0; k < K; k++) row[k] = s->Q[i * K + k];
    for (int m = 0; m < M; m++) row[K + m] = s->R[i * M + m];
    w->D[i] = 1.0 + s->Q[i * K + i];
    w->u[i] = -s->v[i];
  }
  for (int m = 0; m < M; m++) {
    double *row = C + (size_t)(K + m) * n4;
    for (int i = 0; i < K; i++) row[i] = s->R[i * M + m];
    for (int l = 0; l < M; l++) row[K + l] = s->T[m * M + l];
    w->D[K + m] = 1.0 + s->T[m * M + m];
    w->u[K + m] = s->vstar[m];
  }
}

/* erf: S3[a][b] = sum_j u_j I3(a, b, j) for students a, all fields b */
static void ts__erf_i3sums(ts_ode *w)
{
  const int K = w->K, n = w->n, n4 = w->n4;
  const double *C = w->C, *D = w->D, *u = w->u;
  double *Wr = w->Wr, *G = w->G;
  for (int a = 0; a < K; a++) {
    const double *Ca = C + (size_t)a * n4;
    const double Da = D[a];
    const ts__vd vDa = V_SET1(Da);
    for (int j = 0; j < n4; j += TS__VW) {
      ts__vd c = V_LD(Ca + j), d = V_LD(D + j);
      ts__vd den = V_MUL(vDa, V_SQRT(V_FNMA(c, c, V_MUL(vDa, d))));
      V_ST(Wr + j, V_DIV(V_LD(u + j), den));
    }
    for (int b = 0; b < n4; b += TS__VW) { /* G_ab = sum_j W_aj C_jb, accumulated in a register */
      ts__vd g = V_SET1(0.0);
      for (int j = 0; j < n; j++) g = V_FMA(V_SET1(Wr[j]), V_LD(C + (size_t)j * n4 + b), g);
      V_ST(G + b, g);
    }
    const double Gaa = G[a];
    double *S = w->S3 + (size_t)a * n4;
    for (int b = 0; b < n; b++) S[b] = TS__2_PI * (Da * G[b] - Ca[b] * Gaa);
  }
}

/* erf: NQ[i][k] = Lambda4^{-1/2} [(4/pi^2) sum_{c,d} u_c u_d asin(Lambda0 / sqrt(Lambda1 Lambda2)) + (2/pi) sigma^2]
 * = sum_{c,d} u_c u_d I4(i,k,c,d) + sigma^2 J2(i,k) for all i <= k.  The SIMD lanes hold student pairs, so the
 * per-(i,k,c) factors are computed once per lane: with x_c = C_ic, y_c = C_kc, A = D_i, B = D_k, cab = C_ik,
 *   r_c = Lambda1(c)^{-1/2},  Lambda1(c) = l4 D_c - A y_c^2 - B x_c^2 + 2 cab x_c y_c,
 *   Lambda0(c,d) r_c r_d = (L_c C_cd + P_c x_d + S_c y_d) r_d,
 *   L_c = l4 r_c,  P_c = (cab y_c - B x_c) r_c,  S_c = (cab x_c - A y_c) r_c,
 * and the (c, d) loop runs over c <= d with weight u_c u_d (x2 off the diagonal): one sqrt (in asin) per term.
 * Three streaming loops (arguments, asin, weighted sum) measured faster than one fused loop (register pressure).
 * ts__noise_batch8 is this function on 8 lanes with the same operations per lane, so both give the same bits. */
static void ts__noise_batch(ts_ode *w, int o, double s2)
{
  const int K = w->K, n = w->n, n4 = w->n4, np = w->np;
  const double *C = w->C, *D = w->D, *wq = w->wq;
  const int *bi = w->bi + o, *bk = w->bk + o;
  double *X = w->lanes, *Y = X + n * TS__VW, *Rr = Y + n * TS__VW;
  const ts__vd A = V_GATHER(D, bi), B = V_GATHER(D, bk), cab = V_GATHER(C, w->bik + o);
  const ts__vd l4 = V_FNMA(cab, cab, V_MUL(A, B));
  const ts__vd cab2 = V_ADD(cab, cab), one = V_SET1(1.0);
  for (int c = 0; c < n; c++) { /* x_c, y_c, r_c (C symmetric: C_ic = C_ci) */
    const ts__vd x = V_GATHER(C + (size_t)c * n4, bi), y = V_GATHER(C + (size_t)c * n4, bk);
    ts__vd l1 = V_MUL(l4, V_SET1(D[c]));
    l1 = V_FNMA(A, V_MUL(y, y), l1);
    l1 = V_FNMA(B, V_MUL(x, x), l1);
    l1 = V_FMA(cab2, V_MUL(x, y), l1);
    V_ST(X + c * TS__VW, x);
    V_ST(Y + c * TS__VW, y);
    V_ST(Rr + c * TS__VW, V_DIV(one, V_SQRT(l1)));
  }
  double *ab = w->arg; /* 1. the asin arguments of every c <= d */
  for (int c = 0; c < n; c++) {
    const ts__vd x = V_LD(X + c * TS__VW), y = V_LD(Y + c * TS__VW), r = V_LD(Rr + c * TS__VW);
    const ts__vd L = V_MUL(l4, r), P = V_MUL(V_FNMA(B, x, V_MUL(cab, y)), r),
                 S = V_MUL(V_FNMA(A, y, V_MUL(cab, x)), r);
    const double *Cc = C + (size_t)c * n4;
    for (int d = c; d < n; d++, ab += TS__VW) {
      ts__vd t = V_MUL(L, V_SET1(Cc[d]));
      t = V_FMA(P, V_LD(X + d * TS__VW), t);
      t = V_FMA(S, V_LD(Y + d * TS__VW), t);
      V_ST(ab, V_MUL(t, V_LD(Rr + d * TS__VW)));
    }
  }
  /* 2. asin of all of them: a streaming loop of independent iterations (the long latencies overlap) */
  ab = w->arg;
  for (int q = 0; q < np; q++) V_ST(ab + q * TS__VW, V_ASIN(V_LD(ab + q * TS__VW)));
  /* 3. weighted sum, even and odd q in two accumulators */
  ts__vd acc = V_SET1(0.0), acc2 = V_SET1(0.0);
  int q = 0;
  for (; q + 1 < np; q += 2) {
    acc = V_FMA(V_SET1(wq[q]), V_LD(ab + q * TS__VW), acc);
    acc2 = V_FMA(V_SET1(wq[q + 1]), V_LD(ab + (q + 1) * TS__VW), acc2);
  }
  if (q < np) acc = V_FMA(V_SET1(wq[q]), V_LD(ab + q * TS__VW), acc);
  /* (4/pi^2 sum + 2/pi sigma^2) / sqrt(l4) per lane */
  const ts__vd nq = V_DIV(V_FMA(V_SET1(TS__4_PI2), V_ADD(acc, acc2), V_SET1(TS__2_PI * s2)), V_SQRT(l4));
  double out[TS__VW];
  V_ST(out, nq);
  for (int l = 0; l < TS__VW && o + l < w->nsp; l++) {
    w->NQ[bi[l] * K + bk[l]] = out[l];
    w->NQ[bk[l] * K + bi[l]] = out[l];
  }
}

#if TS__AVX
/* ts__noise_batch on 8 lanes (AVX-512) */
TS__AVX512 static void ts__noise_batch8(ts_ode *w, int o, double s2)
{
  const int K = w->K, n = w->n, n4 = w->n4, np = w->np;
  const double *C = w->C, *D = w->D, *wq = w->wq;
  const int *bi = w->bi + o, *bk = w->bk + o;
  double *X = w->lanes, *Y = X + n * 8, *Rr = Y + n * 8;
  const ts__wd A = W_GATHER(D, bi), B = W_GATHER(D, bk), cab = W_GATHER(C, w->bik + o);
  const ts__wd l4 = W_FNMA(cab, cab, W_MUL(A, B));
  const ts__wd cab2 = W_ADD(cab, cab), one = W_SET1(1.0);
  for (int c = 0; c < n; c++) {
    const ts__wd x = W_GATHER(C + (size_t)c * n4, bi), y = W_GATHER(C + (size_t)c * n4, bk);
    ts__wd l1 = W_MUL(l4, W_SET1(D[c]));
    l1 = W_FNMA(A, W_MUL(y, y), l1);
    l1 = W_FNMA(B, W_MUL(x, x), l1);
    l1 = W_FMA(cab2, W_MUL(x, y), l1);
    W_ST(X + c * 8, x);
    W_ST(Y + c * 8, y);
    W_ST(Rr + c * 8, W_DIV(one, W_SQRT(l1)));
  }
  double *ab = w->arg; /* 1. the asin arguments of every c <= d */
  for (int c = 0; c < n; c++) {
    const ts__wd x = W_LD(X + c * 8), y = W_LD(Y + c * 8), r = W_LD(Rr + c * 8);
    const ts__wd L = W_MUL(l4, r), P = W_MUL(W_FNMA(B, x, W_MUL(cab, y)), r),
                 S = W_MUL(W_FNMA(A, y, W_MUL(cab, x)), r);
    const double *Cc = C + (size_t)c * n4;
    for (int d = c; d < n; d++, ab += 8) {
      ts__wd t = W_MUL(L, W_SET1(Cc[d]));
      t = W_FMA(P, W_LD(X + d * 8), t);
      t = W_FMA(S, W_LD(Y + d * 8), t);
      W_ST(ab, W_MUL(t, W_LD(Rr + d * 8)));
    }
  }
  /* 2. asin of all of them: a streaming loop of independent iterations (the long latencies overlap) */
  ab = w->arg;
  for (int q = 0; q < np; q++) W_ST(ab + q * 8, W_ASIN(W_LD(ab + q * 8)));
  /* 3. weighted sum, even and odd q in two accumulators */
  ts__wd acc = W_SET1(0.0), acc2 = W_SET1(0.0);
  int q = 0;
  for (; q + 1 < np; q += 2) {
    acc = W_FMA(W_SET1(wq[q]), W_LD(ab + q * 8), acc);
    acc2 = W_FMA(W_SET1(wq[q + 1]), W_LD(ab + (q + 1) * 8), acc2);
  }
  if (q < np) acc = W_FMA(W_SET1(wq[q]), W_LD(ab + q * 8), acc);
  const ts__wd nq = W_DIV(W_FMA(W_SET1(TS__4_PI2), W_ADD(acc, acc2), W_SET1(TS__2_PI * s2)), W_SQRT(l4));
  double out[8];
  W_ST(out, nq);
  for (int l = 0; l < 8 && o + l < w->nsp; l++) {
    w->NQ[bi[l] * K + bk[l]] = out[l];
    w->NQ[bk[l] * K + bi[l]] = out[l];
  }
}
#endif

/* erf: the noise term NQ of every student pair, in batches of 8 (AVX-512; the last one padded: an 8-lane operation
 * costs what a 4-lane one does on CPUs with 512-bit units) or of TS__VW */
static void ts__erf_noise(ts_ode *w, double s2)
{
  const int n = w->n, nsp = w->nsp;
  const double *u = w->u;
  double *wq = w->wq;
  for (int c = 0, q = 0; c < n; c++)
    for (int d = c; d < n; d++, q++) wq[q] = (c == d ? 1.0 : 2.0) * u[c] * u[d];
#if TS__AVX
  if (w->simd8) {
    for (int o = 0; o < nsp; o += 8) ts__noise_batch8(w, o, s2);
    return;
  }
#endif
  for (int o = 0; o < nsp; o += TS__VW) ts__noise_batch(w, o, s2);
}

/* erf: S2[i] = sum_j u_j I2(i, j) */
static void ts__erf_i2sums(ts_ode *w)
{
  const int K = w->K, n4 = w->n4;
  const double *C = w->C, *D = w->D, *u = w->u;
  for (int i = 0; i < K; i++) {
    const double *Ci = C + (size_t)i * n4;
    double *a2 = w->A2 + (size_t)i * n4;
    const ts__vd vDi = V_SET1(D[i]);
    ts__vd acc = V_SET1(0.0);
    for (int j = 0; j < n4; j += TS__VW) {
      ts__vd arg = V_DIV(V_LD(Ci + j), V_SQRT(V_MUL(vDi, V_LD(D + j))));
      V_ST(a2 + j, arg);
      acc = V_FMA(V_LD(u + j), V_ASIN(arg), acc);
    }
    w->S2[i] = TS__2_PI * V_HSUM(acc);
  }
}

/* derivative of Q, R (and v) into ds; ds->T, ds->vstar untouched.  s and ds have the workspace's K, M. */
static void ts__rhs(ts_ode *w, const ts_scm_state *s, ts_scm_state *ds)
{
  const ts_ode_params *p = &w->p;
  const int K = w->K, M = w->M, n4 = w->n4;
  const double eta = p->lr, cg = p->c_grad, cn = p->c_noise, wd = p->wd, s2 = p->sigma * p->sigma;
  const double *v = s->v;
  ts__build_cov(w, s);
  const double *C = w->C;
  double *dQ = ds->Q, *dR = ds->R;

  if (p->act == TS_ACT_LINEAR) {
    /* h = C u (reuse G for h) */
    double *h = w->G;
    const int n = w->n;
    double uhu = 0.0;
    for (int a = 0; a < n; a++) {
      const double *Ca = C + (size_t)a * n4;
      double acc = 0.0;
      for (int j = 0; j < n; j++) acc += Ca[j] * w->u[j];
      h[a] = acc;
      uhu += w->u[a] * acc;
    }
    const double noise = cn * eta * eta * (uhu + s2);
    for (int i = 0; i < K; i++) {
      for (int k = i; k < K; k++) {
        double d = cg * eta * (v[i] * h[k] + v[k] * h[i]) + noise * v[i] * v[k] - 2.0 * wd * s->Q[i * K + k];
        dQ[i * K + k] = d;
        dQ[k * K + i] = d;
      }
      for (int m = 0; m < M; m++) dR[i * M + m] = cg * eta * v[i] * h[K + m] - wd * s->R[i * M + m];
      if (p->train_v) ds->v[i] = cg * p->lr2 * h[i] - wd * v[i];
      else ds->v[i] = 0.0;
    }
    return;
  }

  /* erf */
  if (cg != 0.0) ts__erf_i3sums(w);
  if (cn != 0.0) ts__erf_noise(w, s2);
  const double *S3 = w->S3;
  for (int i = 0; i < K; i++) {
    for (int k = i; k < K; k++) {
      double d = -2.0 * wd * s->Q[i * K + k];
      if (cg != 0.0) d += cg * eta * (v[i] * S3[(size_t)i * n4 + k] + v[k] * S3[(size_t)k * n4 + i]);
      if (cn != 0.0) d += cn * eta * eta * v[i] * v[k] * w->NQ[i * K + k];
      dQ[i * K + k] = d;
      dQ[k * K + i] = d;
    }
    for (int m = 0; m < M; m++) {
      double d = -wd * s->R[i * M + m];
      if (cg != 0.0) d += cg * eta * v[i] * S3[(size_t)i * n4 + K + m];
      dR[i * M + m] = d;
    }
  }
  if (p->train_v && cg != 0.0) {
    ts__erf_i2sums(w);
    for (int i = 0; i < K; i++) ds->v[i] = cg * p->lr2 * w->S2[i] - wd * v[i];
  } else {
    for (int i = 0; i < K; i++) ds->v[i] = p->train_v ? -wd * v[i] : 0.0;
  }
}

static int ts__dims_ok(const ts_ode *w, const ts_scm_state *s)
{
  return s && s->K == w->K && s->M == w->M && s->Q && s->R && s->T && s->v && s->vstar;
}

int ts_ode_rhs(ts_ode *w, const ts_scm_state *s, ts_scm_state *ds)
{
  if (!w || !ts__dims_ok(w, s) || !ts__dims_ok(w, ds))
    return ts_error(TS_EINVAL, "ts_ode_rhs: state dimensions do not match the workspace");
  ts__rhs(w, s, ds);
  memset(ds->T, 0, sizeof(double) * (size_t)w->M * w->M);
  memset(ds->vstar, 0, sizeof(double) * (size_t)w->M);
  return TS_OK;
}

/* ------------------------------------------------------------------------------------------------------------------ */
/* flat vectors: upper triangle of Q (row-major, i <= k), R, v (train_v)                                               */

static void ts__pack(const ts_ode *w, const ts_scm_state *s, double *y)
{
  const int K = w->K, M = w->M;
  int q = 0;
  for (int i = 0; i < K; i++)
    for (int k = i; k < K; k++) y[q++] = s->Q[i * K + k];
  for (int j = 0; j < K * M; j++) y[q++] = s->R[j];
  if (w->p.train_v)
    for (int i = 0; i < K; i++) y[q++] = s->v[i];
}

static void ts__unpack(const ts_ode *w, const double *y, ts_scm_state *s)
{
  const int K = w->K, M = w->M;
  int q = 0;
  for (int i = 0; i < K; i++)
    for (int k = i; k < K; k++) { s->Q[i * K + k] = y[q]; s->Q[k * K + i] = y[q]; q++; }
  for (int j = 0; j < K * M; j++) s->R[j] = y[q++];
  if (w->p.train_v)
    for (int i = 0; i < K; i++) s->v[i] = y[q++];
}

/* 1 if all of Q, R, v are finite and |Q_ii|, |v_i| <= bound */
static int ts__sane(const ts_ode *w, const ts_scm_state *s, double bound)
{
  const int K = w->K, M = w->M;
  double sum = 0.0, mx = 0.0;
  for (int j = 0; j < K * K; j++) sum += s->Q[j];
  for (int j = 0; j < K * M; j++) sum += s->R[j];
  for (int i = 0; i < K; i++) {
    double q = fabs(s->Q[i * K + i]), vv = fabs(s->v[i]);
    sum += s->v[i];
    mx = q > mx ? q : mx;
    mx = vv > mx ? vv : mx;
  }
  return isfinite(sum) && mx <= bound; /* an Inf or NaN anywhere makes the sum non-finite */
}

/* ------------------------------------------------------------------------------------------------------------------ */
/* integration                                                                                                         */

static int ts__gsl_func(double t, const double y[], double dydt[], void *params)
{
  ts_ode *w = params;
  ts__unpack(w, y, &w->tmp);
  ts__rhs(w, &w->tmp, &w->ds);
  ts__pack(w, &w->ds, dydt);
  for (int j = 0; j < w->dim; j++)
    if (!isfinite(dydt[j])) return GSL_EBADFUNC;
  return GSL_SUCCESS;
}

static int ts__diverged(double alpha, double *alpha_fail)
{
  if (alpha_fail) *alpha_fail = alpha;
  return ts_error(TS_EDIVERGE, "ode diverged at alpha = %.10g (non-finite or beyond the divergence bound)", alpha);
}

int ts_ode_integrate(ts_ode *w, ts_scm_state *s, double alpha0, const double *grid, int n,
                     const ts_ode_integrator *integ, ts_ode_observer obs, void *ctx, double *alpha_fail)
{
  if (!w || !integ || !ts__dims_ok(w, s))
    return ts_error(TS_EINVAL, "ts_ode_integrate: missing workspace/integrator or state dimensions mismatch");
  if (n < 0 || (n > 0 && !grid) || !isfinite(alpha0))
    return ts_error(TS_EINVAL, "ts_ode_integrate: bad output grid (n = %d)", n);
  for (int g = 0; g < n; g++) {
    if (!isfinite(grid[g]) || grid[g] <= alpha0 || (g > 0 && grid[g] < grid[g - 1]))
      return ts_error(TS_EINVAL, "ts_ode_integrate: output points must be finite, > alpha0 = %g and ascending "
                                 "(grid[%d] = %g)", alpha0, g, grid[g]);
  }
  if (!(integ->diverge_bound > 0.0))
    return ts_error(TS_EINVAL, "ts_ode_integrate: diverge_bound must be positive (got %g)", integ->diverge_bound);
  if (!integ->adaptive && (!(integ->dt > 0.0) || !isfinite(integ->dt)))
    return ts_error(TS_EINVAL, "ts_ode_integrate: Euler step dt must be positive and finite (got %g)", integ->dt);
  if (integ->adaptive && (!(integ->rtol >= 0.0) || !(integ->atol >= 0.0) || !(integ->rtol + integ->atol > 0.0)))
    return ts_error(TS_EINVAL, "ts_ode_integrate: need rtol, atol >= 0, not both 0 (got %g, %g)", integ->rtol,
                    integ->atol);
  if (!ts__sane(w, s, integ->diverge_bound))
    return ts_error(TS_EINVAL, "ts_ode_integrate: initial state is not finite or beyond the divergence bound");

  const ts_act act = w->p.act;
  const double bound = integ->diverge_bound;
  int rc;
  if (obs && (rc = obs(alpha0, s, ts_scm_eg(s, act, act), ctx)) != 0) return rc;

  if (!integ->adaptive) {
    const int K = w->K, M = w->M, tv = w->p.train_v;
    const double dt = integ->dt;
    ts_scm_state *ds = &w->ds;
    double a = alpha0;
    for (int g = 0; g < n; g++) {
      const double a_seg = a, len = grid[g] - a_seg;
      if (len > 0.0) {
        /* full steps of dt, the last one shortened (or stretched by < 1e-9 dt) to land exactly on grid[g] */
        double nf = ceil(len / dt - 1e-9);
        if (nf < 1.0) nf = 1.0;
        const long nsteps = (long)nf;
        for (long m = 0; m < nsteps; m++) {
          const int last = (m == nsteps - 1);
          const double h = last ? len - (double)(nsteps - 1) * dt : dt;
          ts__rhs(w, s, ds);
          for (int j = 0; j < K * K; j++) s->Q[j] += h * ds->Q[j];
          for (int j = 0; j < K * M; j++) s->R[j] += h * ds->R[j];
          if (tv)
            for (int i = 0; i < K; i++) s->v[i] += h * ds->v[i];
          a = last ? grid[g] : a_seg + (double)(m + 1) * dt;
          if (!ts__sane(w, s, bound)) return ts__diverged(a, alpha_fail);
        }
      }
      if (obs && (rc = obs(a, s, ts_scm_eg(s, act, act), ctx)) != 0) return rc;
    }
    return TS_OK;
  }

  /* adaptive: GSL odeiv2 rkf45 with the standard error control on y */
  double *y = w->y;
  ts_scm_copy(&w->tmp, s); /* T, v* for the system function */
  ts__pack(w, s, y);
  gsl_odeiv2_step_reset(w->step);
  gsl_odeiv2_evolve_reset(w->evol);
  if (gsl_odeiv2_control_init(w->ctrl, integ->atol, integ->rtol, 1.0, 0.0) != GSL_SUCCESS)
    return ts_error(TS_ELIB, "ts_ode_integrate: gsl_odeiv2_control_init failed");
  double a = alpha0;
  double h = (integ->dt > 0.0 && isfinite(integ->dt)) ? integ->dt : 1e-3;
  for (int g = 0; g < n; g++) {
    const double t1 = grid[g];
    while (a < t1) { /* evolve_apply shortens the last step to land exactly on t1 */
      int st = gsl_odeiv2_evolve_apply(w->evol, w->ctrl, w->step, &w->sys, &a, t1, &h, y);
      if (st == GSL_EBADFUNC) { ts__unpack(w, y, s); return ts__diverged(a, alpha_fail); }
      if (st != GSL_SUCCESS) {
        ts__unpack(w, y, s);
        if (!ts__sane(w, s, bound)) return ts__diverged(a, alpha_fail);
        return ts_error(TS_ELIB, "ts_ode_integrate: gsl_odeiv2_evolve_apply failed at alpha = %g: %s", a,
                        gsl_strerror(st));
      }
      ts__unpack(w, y, &w->tmp);
      if (!ts__sane(w, &w->tmp, bound)) { ts__unpack(w, y, s); return ts__diverged(a, alpha_fail); }
    }
    ts__unpack(w, y, s);
    if (obs && (rc = obs(a, s, ts_scm_eg(s, act, act), ctx)) != 0) return rc;
  }
  return TS_OK;
}

/* ------------------------------------------------------------------------------------------------------------------ */
/* fixed point                                                                                                         */

static int ts__fp_f(const gsl_vector *x, void *params, gsl_vector *f)
{
  ts_ode *w = params;
  ts__unpack(w, x->data, &w->tmp); /* x, f come from the solver: contiguous (stride 1) */
  ts__rhs(w, &w->tmp, &w->ds);
  ts__pack(w, &w->ds, f->data);
  for (int j = 0; j < w->dim; j++)
    if (!isfinite(f->data[j])) return GSL_EBADFUNC;
  return GSL_SUCCESS;
}

/* central finite differences, step 1e-6 max(1, |x_j|) (truncation ~1e-12 relative for O(1) curvature) */
static int ts__fp_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
  ts_ode *w = params;
  const int dim = w->dim;
  double *xx = w->y2;
  for (int j = 0; j < dim; j++) xx[j] = x->data[j];
  for (int j = 0; j < dim; j++) {
    const double x0 = xx[j], hj = 1e-6 * (fabs(x0) > 1.0 ? fabs(x0) : 1.0);
    xx[j] = x0 + hj;
    ts__unpack(w, xx, &w->tmp);
    ts__rhs(w, &w->tmp, &w->ds);
    ts__pack(w, &w->ds, w->f1);
    xx[j] = x0 - hj;
    ts__unpack(w, xx, &w->tmp);
    ts__rhs(w, &w->tmp, &w->ds);
    ts__pack(w, &w->ds, w->f2);
    xx[j] = x0;
    const double inv = 1.0 / (2.0 * hj);
    for (int i = 0; i < dim; i++) {
      double d = (w->f1[i] - w->f2[i]) * inv;
      if (!isfinite(d)) return GSL_EBADFUNC;
      gsl_matrix_set(J, (size_t)i, (size_t)j, d);
    }
  }
  return GSL_SUCCESS;
}

static int ts__fp_fdf(const gsl_vector *x, void *params, gsl_vector *f, gsl_matrix *J)
{
  int st = ts__fp_f(x, params, f);
  return st ? st : ts__fp_df(x, params, J);
}

static double ts__maxabs(const gsl_vector *f)
{
  double m = 0.0;
  for (size_t j = 0; j < f->size; j++) {
    double a = fabs(gsl_vector_get(f, j));
    if (!(a <= m)) m = a; /* NaN wins */
  }
  return m;
}

/* the fixed-point workspace (multiroot solver, Jacobian, eigen and SVD scratch): once per ts_ode */
static int ts__fp_alloc(ts_ode *w)
{
  if (w->mr) return TS_OK;
  const size_t dim = (size_t)w->dim;
  w->mr = gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, dim);
  w->x0 = gsl_vector_alloc(dim);
  w->J = gsl_matrix_alloc(dim, dim);
  w->eig = gsl_eigen_nonsymm_alloc(dim);
  w->eval = gsl_vector_complex_alloc(dim);
  w->U = gsl_matrix_alloc(dim, dim);
  w->V = gsl_matrix_alloc(dim, dim);
  w->S = gsl_vector_alloc(dim);
  w->svw = gsl_vector_alloc(dim);
  w->xbest = gsl_vector_alloc(dim);
  w->xt = gsl_vector_alloc(dim);
  w->ft = gsl_vector_alloc(dim);
  w->fb = gsl_vector_alloc(dim);
  w->step_v = gsl_vector_alloc(dim);
  if (!w->mr || !w->x0 || !w->J || !w->eig || !w->eval || !w->U || !w->V || !w->S || !w->svw || !w->xbest || !w->xt ||
      !w->ft || !w->fb || !w->step_v) {
    ts__fp_free(w);
    return ts_error(TS_ENOMEM, "ts_ode_fixed_point: GSL allocation failed (%d unknowns)", w->dim);
  }
  return TS_OK;
}

/* Newton steps with the SVD pseudo-inverse of the finite-difference Jacobian (singular values below 1e-10 of the
 * largest dropped: exact zero modes such as the conserved differences of the linear committee) and step halving on
 * max |f|.  Starts from xbest with f = fb and max |f| = *res; updates all three.  Returns the iterations used. */
static int ts__svd_newton(ts_ode *w, double tol, int max_iter, double *res)
{
  const size_t dim = (size_t)w->dim;
  int it = 0;
  while (!(*res <= tol) && it < max_iter) {
    if (ts__fp_df(w->xbest, w, w->U) != GSL_SUCCESS) break;
    if (gsl_linalg_SV_decomp(w->U, w->V, w->S, w->svw) != GSL_SUCCESS) break;
    it++;
    const double smax = gsl_vector_get(w->S, 0);
    /* step = -V S^+ U^T f */
    for (size_t j = 0; j < dim; j++) {
      const double sj = gsl_vector_get(w->S, j);
      double c = 0.0;
      if (sj > 1e-10 * smax)
        for (size_t i = 0; i < dim; i++) c += gsl_matrix_get(w->U, i, j) * gsl_vector_get(w->fb, i);
      gsl_vector_set(w->svw, j, sj > 1e-10 * smax ? c / sj : 0.0);
    }
    for (size_t i = 0; i < dim; i++) {
      double d = 0.0;
      for (size_t j = 0; j < dim; j++) d += gsl_matrix_get(w->V, i, j) * gsl_vector_get(w->svw, j);
      gsl_vector_set(w->step_v, i, -d);
    }
    int accepted = 0;
    for (double lam = 1.0; lam > 1e-6; lam *= 0.5) {
      for (size_t i = 0; i < dim; i++)
        gsl_vector_set(w->xt, i, gsl_vector_get(w->xbest, i) + lam * gsl_vector_get(w->step_v, i));
      if (ts__fp_f(w->xt, w, w->ft) != GSL_SUCCESS) continue;
      const double r = ts__maxabs(w->ft);
      if (r < *res) {
        gsl_vector_memcpy(w->xbest, w->xt);
        gsl_vector_memcpy(w->fb, w->ft);
        *res = r;
        accepted = 1;
        break;
      }
    }
    if (!accepted) break;
  }
  return it;
}

int ts_ode_fixed_point(ts_ode *w, ts_scm_state *s, double tol, int max_iter, ts_ode_fp_info *info)
{
  if (!w || !ts__dims_ok(w, s)) return ts_error(TS_EINVAL, "ts_ode_fixed_point: state dimensions mismatch");
  if (!(tol > 0.0) || max_iter < 0)
    return ts_error(TS_EINVAL, "ts_ode_fixed_point: need tol > 0 and max_iter >= 0 (got %g, %d)", tol, max_iter);
  const int dim = w->dim;
  ts_ode_fp_info dummy;
  if (!info) info = &dummy;
  info->iterations = 0;
  info->residual = NAN;
  info->max_re_eig = NAN;
  info->n_unknowns = dim;
  if (ts__fp_alloc(w) != TS_OK) return TS_ENOMEM;

  ts_scm_copy(&w->tmp, s); /* T, v* */
  ts__pack(w, s, w->x0->data);
  gsl_multiroot_function_fdf fdf = {ts__fp_f, ts__fp_df, ts__fp_fdf, (size_t)dim, w};
  int st = gsl_multiroot_fdfsolver_set(w->mr, &fdf, w->x0);
  if (st != GSL_SUCCESS)
    return ts_error(st == GSL_EBADFUNC ? TS_EINVAL : TS_ELIB,
                    "ts_ode_fixed_point: cannot start the solver at this state: %s", gsl_strerror(st));
  /* 1. Powell's hybrid method (GSL hybridsj), keeping the best iterate */
  gsl_vector_memcpy(w->xbest, w->x0);
  gsl_vector_memcpy(w->fb, w->mr->f);
  double res = ts__maxabs(w->fb);
  int it = 0, why = GSL_SUCCESS, stall = 0;
  double res_mark = res;
  while (!(res <= tol) && it < max_iter && stall < 10) {
    why = gsl_multiroot_fdfsolver_iterate(w->mr);
    it++;
    if (why != GSL_SUCCESS) break; /* GSL_ENOPROG(J), GSL_EBADFUNC (singular Jacobian steps), ... */
    const double r = ts__maxabs(w->mr->f);
    if (r < res) {
      res = r;
      gsl_vector_memcpy(w->xbest, w->mr->x);
      gsl_vector_memcpy(w->fb, w->mr->f);
    }
    /* crawling (tiny trust region near a nearly singular Jacobian): hand over after 10 iterations without a 2x gain */
    if (res < 0.5 * res_mark) { res_mark = res; stall = 0; }
    else stall++;
  }
  /* 2. if that stalled (singular or nearly singular Jacobian), Newton with the pseudo-inverse from the best point */
  if (!(res <= tol) && it < max_iter) it += ts__svd_newton(w, tol, max_iter - it, &res);
  ts__unpack(w, w->xbest->data, s);
  info->iterations = it;
  info->residual = res;

  /* spectrum of the Jacobian at the returned state */
  st = ts__fp_df(w->xbest, w, w->J);
  if (st == GSL_SUCCESS) st = gsl_eigen_nonsymm(w->J, w->eval, w->eig);
  if (st != GSL_SUCCESS)
    return ts_error(TS_ELIB, "ts_ode_fixed_point: Jacobian spectrum failed: %s", gsl_strerror(st));
  double mre = -INFINITY;
  for (int j = 0; j < dim; j++) {
    double re = GSL_REAL(gsl_vector_complex_get(w->eval, (size_t)j));
    if (re > mre) mre = re;
  }
  info->max_re_eig = mre;
  if (!(res <= tol))
    return ts_error(TS_ENOCONV, "ts_ode_fixed_point: no convergence after %d iterations (max |f| = %g > %g%s%s)",
                    it, res, tol, why != GSL_SUCCESS ? "; hybrid solver: " : "",
                    why != GSL_SUCCESS ? gsl_strerror(why) : "");
  return TS_OK;
}

/* The specialised students: spec[i] = 1 for the student with the largest R_in of each teacher n, provided it is
 * > 1/2 and not taken by another teacher.  Returns the first teacher (0-based) without one, or -1 when every
 * teacher has its student; *bad_i is then the best student of that teacher.  Reports nothing. */
static int ts__specialised(const ts_scm_state *s, int *spec, int *bad_i)
{
  const int K = s->K, M = s->M;
  for (int i = 0; i < K; i++) spec[i] = 0;
  for (int n = 0; n < M; n++) {
    int im = 0;
    for (int i = 1; i < K; i++)
      if (s->R[i * M + n] > s->R[im * M + n]) im = i;
    if (!(s->R[im * M + n] > 0.5) || spec[im]) {
      *bad_i = im;
      return n;
    }
    spec[im] = 1;
  }
  return -1;
}

int ts_ode_reseed_superfluous(ts_scm_state *s, double q)
{
  if (!s || s->K < 1 || s->M < 1 || s->K < s->M || !(q >= 0.0))
    return ts_error(TS_EINVAL, "ts_ode_reseed_superfluous: need a state with K >= M and q >= 0");
  const int K = s->K, M = s->M;
  int *spec = calloc((size_t)K, sizeof(int));
  if (!spec) return ts_error(TS_ENOMEM, "ts_ode_reseed_superfluous: out of memory");
  int im, nb = ts__specialised(s, spec, &im);
  if (nb >= 0) {
    double r = s->R[im * M + nb];
    free(spec);
    return ts_error(TS_EINVAL, "ts_ode_reseed_superfluous: not specialised (teacher %d: best R = %g, student %d)",
                    nb + 1, r, im + 1);
  }
  for (int a = 0; a < K; a++) {
    if (spec[a]) continue;
    for (int n = 0; n < M; n++) s->R[a * M + n] = 0.0;
    for (int b = 0; b < K; b++) s->Q[a * K + b] = s->Q[b * K + a] = spec[b] ? 0.0 : q;
  }
  free(spec);
  return TS_OK;
}

int ts_ode_specialised_fixed_point(ts_ode *w, ts_scm_state *s, double alpha_max, double q, double tol, int max_iter,
                                   double *alpha_specialised, ts_ode_fp_info *info)
{
  ts_scm_state *trial = ts_scm_alloc(s->K, s->M);
  if (!trial) return ts_error(TS_ENOMEM, "ts_ode_specialised_fixed_point: out of memory");
  ts_ode_integrator integ;
  ts_ode_integrator_init(&integ);
  integ.adaptive = 1;
  double a = 0;
  int ok = 0, status = TS_OK;
  for (double stop = alpha_max / 16; stop <= alpha_max * 1.0001 && !ok; stop *= 2) {
    status = ts_ode_integrate(w, s, a, &stop, 1, &integ, NULL, NULL, NULL);
    if (status) break;
    a = stop;
    ts_scm_copy(trial, s);
    /* not yet specialised is the expected outcome of the early trials: test quietly, reseed when it is */
    int bad_i, *spec = calloc((size_t)s->K, sizeof(int));
    if (!spec) { status = ts_error(TS_ENOMEM, "ts_ode_specialised_fixed_point: out of memory"); break; }
    ok = ts__specialised(trial, spec, &bad_i) < 0;
    free(spec);
    if (ok) ok = ts_ode_reseed_superfluous(trial, q) == TS_OK;
  }
  if (alpha_specialised) *alpha_specialised = a;
  if (!status && !ok) status = ts_error(TS_ENOCONV, "not specialised by alpha = %g", a);
  if (!status) {
    ts_scm_copy(s, trial);
    status = ts_ode_fixed_point(w, s, tol, max_iter, info);
  }
  ts_scm_free(trial);
  return status;
}
