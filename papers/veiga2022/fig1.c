/* Veiga et al. 2022, figure 1 computed (beyond the paper, whose figure 1 is a schematic): the phase diagram of
 * one-pass SGD in the (delta, kappa) plane, p ~ d^kappa students, learning rate gamma = gamma0 d^-delta, measured
 * point by point from simulations at several d and compared with the theory's regions (reference sheet sec. 1):
 * green kappa+delta > 0, blue line kappa+delta = 0, orange -1/2 < kappa+delta < 0, red kappa+delta < -1/2.
 *
 * Setting (chosen, [U]; the paper gives none for this figure): k = 4 teachers, p = p0 round(d^kappa) students with
 * p0 = 4 = k (so p is a multiple of k and the teacher is exactly representable at every kappa), gamma0 = p0 = 4 (the
 * authors' gamma0 = p, i.e. gamma0/p0 = 1 in the limit ODE), Delta = 1e-3, erf.  Start: the teacher up to a small
 * perturbation (veiga_phase_warm_alloc, m0 = 0.999: student i = teacher i mod k rotated by ~0.045 rad in a random
 * direction).  Why not a random start: the regions are statements about R_inf, and from a random start R_inf is
 * reached only after the plateau, whose length grows like log d (fig9: t ~ 10^2..10^3), at a cost t d^(1+theta) p
 * that the plane cannot afford; from the teacher, the noise-sustained level is set up within the relaxation time.
 *
 * What is measured, per (kappa, delta) and d (several seeds each):
 *   r     time average of R - Delta/2 over the second half of [0, t_end] (n_rec records; rescaled time t = nu delta_t
 *         with the time exponent continued over the plane, veiga_phase_theta / veiga_phase_steps: red points make one
 *         step per unit t)
 *   jump  mean over the first n_jump steps of the per-step change max(|dQ_ii|, |dM_ir|) of the overlaps
 * and the rule of veiga_phase_classify (fixed before the runs): red if a run diverged, the jump does not shrink with d
 * (fitted exponent >= 0) or the seeds do not concentrate (CV of r at the largest d > 1/2); otherwise the exponent b
 * of r against d: green if b < -1/8, orange if b > 1/8, blue otherwise.  Theory: at finite d each region is the blue
 * dynamics with an effective rate d^-(kappa+delta) per unit rescaled time, so r ~ d^-(kappa+delta) (sheet sec. 2:
 * Delta d^-delta in green at kappa = 0) until it saturates at O(1) in orange; 1/8 is half the smallest |kappa+delta|
 * != 0 of the grids.  Points with 0 < |kappa+delta| < band or |kappa+delta + 1/2| < band (band = 0.2) are excluded
 * from the comparison and counted separately; points on the blue line (|kappa+delta| <= 1e-9) are compared.
 * Points with kappa+delta > s_max are not run (cost t d^(2+s) p per run) and drawn grey.
 *
 * Outputs: fig1_runs.tsv (one row per run), fig1_d.tsv (per point and d), fig1.tsv (per point: theory, measured class,
 * exponents), fig1.claims.tsv.
 * Modes: fast (default: d = 16, 32, 64; kappa = 0..1.5 and delta = -2..1, both step 0.25; s_max = 0.75; 5 seeds;
 * t_end = 20), full (d = 16..128 doubling; s_max = 1; 8 seeds; t_end = 50), smoke (d = 8, 16; 2 seeds; 6 points;
 * t_end = 2; s_max = 1.5; claims SKIP).
 * Run (kappa, delta, d, s) uses ts_rng_seed_for(seed, id(kappa, delta, d, s)): the same in every mode, any thread
 * count. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"
#include "ts_claim.h"
#include "ts_cli.h"
#include "ts_err.h"
#include "ts_progress.h"
#include "ts_rng.h"
#include "ts_sgd.h"
#include "ts_table.h"
#include "ts_util.h"

#define MAX_D 8
#define MAX_K 16
#define MAX_DL 32
#define MAX_SEEDS 64
#define LINE_TOL 1e-9 /* |kappa + delta| below this: on the blue line (grid values are exact binary fractions) */

typedef struct {
  int p0, k, nd, ds[MAX_D], nk, ndl, n_seeds, n_rec, n_jump;
  double kap[MAX_K], del[MAX_DL];
  double gamma0, Delta, m0, t_end, s_max, band, b_th, cv_max;
} fig_params;

typedef struct {
  double kappa, delta;
  int d, p, seed_idx, status;
  long steps;
  double gamma, r0, r, jump, t_fail, cost;
} run_result;

/* snapshot of the overlaps one SGD step moves first: qm[i (k+1)] = Q_ii, qm[i (k+1) + 1 + r] = M_ir (O(p k d)) */
static void diag_overlaps(ts_sgd *s, int d, int p, int k, double *qm)
{
  const double *w = ts_sgd_w(s), *ws = ts_sgd_wstar(s);
  for (int i = 0; i < p; i++) {
    const double *wi = w + (size_t)i * d;
    double q = 0;
    for (int j = 0; j < d; j++) q += wi[j] * wi[j];
    qm[i * (k + 1)] = q / d;
    for (int r = 0; r < k; r++) {
      const double *u = ws + (size_t)r * d;
      double m = 0;
      for (int j = 0; j < d; j++) m += wi[j] * u[j];
      qm[i * (k + 1) + 1 + r] = m / d;
    }
  }
}

static void run_one(const fig_params *fp, run_result *res, uint64_t seed, ts_progress *prog)
{
  veiga_sim_params sp;
  veiga_sim_params_init(&sp);
  sp.d = res->d;
  sp.p = res->p;
  sp.k = fp->k;
  sp.kappa = res->kappa;
  sp.delta = res->delta;
  sp.gamma0 = fp->gamma0;
  sp.Delta = fp->Delta;
  const int d = res->d, p = res->p, k = fp->k, nq = p * (k + 1);
  ts_sgd *s = veiga_phase_warm_alloc(&sp, fp->m0, seed);
  ts_scm_state *st = ts_scm_alloc(p, k);
  double *a = malloc(sizeof(double) * (size_t)nq), *b = malloc(sizeof(double) * (size_t)nq);
  if (!s || !st || !a || !b) { res->status = TS_ENOMEM; goto done; }
  ts_sgd_overlaps(s, st);
  res->r0 = veiga_risk(st);
  /* the first n_jump steps, one at a time */
  diag_overlaps(s, d, p, k, a);
  double jsum = 0;
  long done = 0;
  for (int j = 0; j < fp->n_jump; j++) {
    if ((res->status = ts_sgd_run(s, 1)) != TS_OK) goto failed;
    done++;
    diag_overlaps(s, d, p, k, b);
    double m = 0;
    for (int i = 0; i < nq; i++) m = fmax(m, fabs(b[i] - a[i]));
    jsum += m;
    double *tmp = a; a = b; b = tmp;
  }
  res->jump = jsum / fp->n_jump;
  /* records over the second half of [0, t_end] */
  double rsum = 0;
  for (int i = 0; i < fp->n_rec; i++) {
    double t = fp->t_end * (0.5 + 0.5 * i / (fp->n_rec - 1));
    long target = veiga_phase_steps(res->kappa, res->delta, d, t);
    if (target > done) {
      res->status = ts_sgd_run(s, target - done);
      ts_progress_add(prog, (double)(target - done) * p);
      done = target;
      if (res->status) goto failed;
    }
    ts_sgd_overlaps(s, st);
    double r = veiga_risk(st);
    if (!isfinite(r)) { res->status = ts_error(TS_EDIVERGE, "non-finite risk"); goto failed; }
    rsum += r;
  }
  res->r = rsum / fp->n_rec;
  res->steps = done;
  goto done;
failed:
  res->t_fail = (double)done / fmax(1.0, pow(d, 1 + veiga_phase_theta(res->kappa, res->delta)));
  res->steps = done;
done:
  free(a);
  free(b);
  ts_scm_free(st);
  ts_sgd_free(s);
}

static int parse_list(const char *str, double *out, int max, int *n)
{
  char buf[512];
  snprintf(buf, sizeof buf, "%s", str);
  *n = 0;
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
    char *end;
    double v = strtod(tok, &end);
    if (*end != '\0' || !isfinite(v) || *n >= max) return 1;
    if (*n > 0 && v <= out[*n - 1]) return 1;
    out[(*n)++] = v;
  }
  return *n < 1;
}

/* theory region with the bands: -1 excluded (near a boundary), else the veiga_region */
static int theory_class(const fig_params *fp, double s)
{
  if (fabs(s) <= LINE_TOL) return VEIGA_BLUE;
  if (fabs(s) < fp->band || fabs(s + 0.5) < fp->band) return -1;
  return s > 0 ? VEIGA_GREEN : (s > -0.5 ? VEIGA_ORANGE : VEIGA_RED);
}

int main(int argc, char **argv)
{
  ts_fig_args fa = {"fast", "data/veiga2022", 2022, 0};
  fig_params fp = {.p0 = 4, .k = 4, .nd = 3, .ds = {16, 32, 64}, .n_seeds = 5, .n_rec = 11, .n_jump = 8,
                   .gamma0 = 4, .Delta = 1e-3, .m0 = 0.999, .t_end = 20, .s_max = 0.75, .band = 0.2,
                   .b_th = 0.125, .cv_max = 0.5};
  const char *dstr = NULL, *kstr = NULL, *lstr = NULL;
  int n_seeds = 0;
  double t_end = 0, s_max = NAN;
  ts_opt opts[] = {
      TS_FIG_OPTS(fa),
      {"--d", TS_OPT_STRING, &dstr, "increasing comma-separated d (fast 16,32,64; full 16,32,64,128; smoke 8,16)", 0},
      {"--kappa", TS_OPT_STRING, &kstr, "increasing comma-separated kappa values (default 0..1.5 step 0.25)", 0},
      {"--delta", TS_OPT_STRING, &lstr, "increasing comma-separated delta values (default -2..1 step 0.25)", 0},
      {"--seeds", TS_OPT_INT, &n_seeds, "runs per point and d (fast 5, full 8, smoke 2)", 0},
      {"--t", TS_OPT_DOUBLE, &t_end, "rescaled run length t_end (fast 20, full 50, smoke 2)", 0},
      {"--s-max", TS_OPT_DOUBLE, &s_max, "points with kappa+delta above this are not run (fast 0.75, full 1)", 0},
      {"--m0", TS_OPT_DOUBLE, &fp.m0, "overlap of each student with its teacher at the start", 0},
      {NULL, 0, NULL, NULL, 0}};
  int rc = ts_cli_parse(argc, argv, opts,
                        "fig1 [--mode fast|full|smoke] [--out DIR] [--seed S] [options]\n"
                        "Veiga et al. 2022 figure 1 computed: the (delta, kappa) phase diagram measured by SGD.");
  if (rc) return rc == 1 ? 0 : 2;
  if (!fa.mode) fa.mode = "fast";
  int smoke = strcmp(fa.mode, "smoke") == 0, full = strcmp(fa.mode, "full") == 0;
  fp.nk = 7;
  for (int i = 0; i < fp.nk; i++) fp.kap[i] = 0.25 * i;
  fp.ndl = 13;
  for (int i = 0; i < fp.ndl; i++) fp.del[i] = -2 + 0.25 * i;
  if (full) {
    fp.nd = 4;
    fp.ds[3] = 128;
    fp.s_max = 1.0;
    fp.n_seeds = 8;
    fp.t_end = 50;
  }
  if (smoke) {
    fp.nd = 2;
    fp.ds[0] = 8;
    fp.ds[1] = 16;
    fp.nk = 2;
    fp.kap[0] = 0;
    fp.kap[1] = 1;
    fp.ndl = 3;
    fp.del[0] = -1;
    fp.del[1] = 0;
    fp.del[2] = 0.5;
    fp.n_seeds = 2;
    fp.t_end = 2;
    fp.n_rec = 3;
    fp.s_max = 1.5;
  }
  if (ts_cli_seen(opts, "--seeds")) fp.n_seeds = n_seeds;
  if (ts_cli_seen(opts, "--t")) fp.t_end = t_end;
  if (!isnan(s_max)) fp.s_max = s_max;
  double dd[MAX_D];
  int nd;
  if (dstr) {
    if (parse_list(dstr, dd, MAX_D, &nd) || nd < 2) return ts_cli_fail("--d must be 2..%d increasing integers >= 4", MAX_D);
    for (int i = 0; i < nd; i++) {
      if (dd[i] != floor(dd[i]) || dd[i] < 4 || dd[i] > 100000) return ts_cli_fail("--d values must be integers in 4..100000");
      fp.ds[i] = (int)dd[i];
    }
    fp.nd = nd;
  }
  if (kstr && (parse_list(kstr, fp.kap, MAX_K, &fp.nk) || fp.kap[0] < 0 || fp.kap[fp.nk - 1] > 3))
    return ts_cli_fail("--kappa must be 1..%d increasing values in [0, 3]", MAX_K);
  if (lstr && (parse_list(lstr, fp.del, MAX_DL, &fp.ndl) || fp.del[0] < -4 || fp.del[fp.ndl - 1] > 3))
    return ts_cli_fail("--delta must be 1..%d increasing values in [-4, 3]", MAX_DL);
  if (fp.n_seeds < 2 || fp.n_seeds > MAX_SEEDS) return ts_cli_fail("--seeds must be in 2..%d", MAX_SEEDS);
  if (!(fp.t_end > 0 && fp.t_end <= 1e4)) return ts_cli_fail("--t must be in (0, 1e4]");
  if (!(fp.s_max > -4 && fp.s_max <= 3)) return ts_cli_fail("--s-max must be in (-4, 3]");
  if (!(fp.m0 >= 0 && fp.m0 <= 1)) return ts_cli_fail("--m0 must be in [0, 1]");
  if (ts_fig_args_check(&fa)) return 2;
  ts_gsl_errors_off();
  double t_start = ts_wall_seconds();

  /* ---- runs ---------------------------------------------------------------------------------------------------- */
  const int npt = fp.nk * fp.ndl, nper = fp.nd * fp.n_seeds, nrun = npt * nper;
  run_result *runs = calloc((size_t)nrun, sizeof *runs);
  int *order = malloc(sizeof(int) * (size_t)nrun);
  if (!runs || !order) return ts_error(TS_ENOMEM, "out of memory"), 1;
  double work = 0;
  int n_active = 0;
  for (int j = 0; j < nrun; j++) {
    run_result *r = &runs[j];
    int pt = j / nper, a = (j % nper) / fp.n_seeds;
    r->kappa = fp.kap[pt / fp.ndl];
    r->delta = fp.del[pt % fp.ndl];
    r->d = fp.ds[a];
    r->seed_idx = j % fp.n_seeds;
    r->p = fp.p0 * (int)lround(pow(r->d, r->kappa));
    r->gamma = fp.gamma0 * pow(r->d, -r->delta);
    r->status = -1; /* not run */
    if (r->kappa + r->delta > fp.s_max) continue;
    r->status = 0;
    r->cost = (double)veiga_phase_steps(r->kappa, r->delta, r->d, fp.t_end) * r->p;
    work += r->cost;
    order[n_active++] = j;
  }
  /* most expensive first (stable: ties by index), for load balance; results do not depend on the order */
  for (int i = 1; i < n_active; i++) {
    int x = order[i], m = i;
    while (m > 0 && (runs[order[m - 1]].cost < runs[x].cost)) { order[m] = order[m - 1]; m--; }
    order[m] = x;
  }
  ts_progress *prog = ts_progress_start("fig1 SGD", work);
  ts_error_quiet(1); /* a diverging red run is an expected outcome, recorded in the table */
#pragma omp parallel for schedule(dynamic, 1)
  for (int i = 0; i < n_active; i++) {
    run_result *r = &runs[order[i]];
    uint64_t id = ((uint64_t)(lround(r->kappa * 1000) + 10000) * 100000 + (uint64_t)(lround(r->delta * 1000) + 10000)) *
                      1000000 + (uint64_t)r->d * 100 + (uint64_t)r->seed_idx;
    run_one(&fp, r, ts_rng_seed_for(fa.seed, id), prog);
  }
  ts_error_quiet(0);
  ts_progress_end(prog);
  double t_runs = ts_wall_seconds();
  for (int j = 0; j < nrun; j++)
    if (runs[j].status > 0 && runs[j].status != TS_EDIVERGE)
      return ts_error(runs[j].status, "run kappa=%g delta=%g d=%d seed %d failed", runs[j].kappa, runs[j].delta,
                      runs[j].d, runs[j].seed_idx), 1;

  /* ---- per point and d, per point ------------------------------------------------------------------------------ */
  typedef struct {
    double r_mean[MAX_D], r_sd[MAX_D], r_se[MAX_D], jump[MAX_D], r0[MAX_D], cv;
    int n_div[MAX_D], run, theory, measured, agree;
    double b, b_se, bj;
  } point;
  point *pts = calloc((size_t)npt, sizeof *pts);
  if (!pts) return ts_error(TS_ENOMEM, "out of memory"), 1;
  int n_cmp = 0, n_agree = 0, n_band = 0, n_notrun = 0, n_exp = 0, n_exp_ok = 0;
  int conf[4][4] = {{0}};
  for (int pt = 0; pt < npt; pt++) {
    point *q = &pts[pt];
    double kappa = fp.kap[pt / fp.ndl], delta = fp.del[pt % fp.ndl], s = kappa + delta;
    q->theory = theory_class(&fp, s);
    q->run = runs[pt * nper].status >= 0;
    q->measured = -1;
    if (!q->run) { n_notrun++; continue; }
    for (int a = 0; a < fp.nd; a++) {
      double m = 0, v = 0, m0 = 0, mj = 0;
      int nok = 0;
      for (int si = 0; si < fp.n_seeds; si++) {
        const run_result *r = &runs[pt * nper + a * fp.n_seeds + si];
        if (r->status) { q->n_div[a]++; continue; }
        m += r->r; m0 += r->r0; mj += r->jump; nok++;
      }
      if (nok) { m /= nok; m0 /= nok; mj /= nok; }
      for (int si = 0; si < fp.n_seeds; si++) {
        const run_result *r = &runs[pt * nper + a * fp.n_seeds + si];
        if (!r->status) v += (r->r - m) * (r->r - m);
      }
      q->r_mean[a] = m;
      q->r0[a] = m0;
      q->jump[a] = mj;
      q->r_sd[a] = nok > 1 ? sqrt(v / (nok - 1)) : 0;
      q->r_se[a] = nok > 1 ? q->r_sd[a] / sqrt((double)nok) : 0;
    }
    q->cv = q->r_mean[fp.nd - 1] > 0 ? q->r_sd[fp.nd - 1] / q->r_mean[fp.nd - 1] : INFINITY;
    double dv[MAX_D];
    for (int a = 0; a < fp.nd; a++) dv[a] = fp.ds[a];
    veiga_region cls;
    if (veiga_phase_classify(fp.nd, dv, q->r_mean, q->r_se, q->cv, q->jump, q->n_div, fp.cv_max, fp.b_th, &cls, &q->b,
                             &q->b_se, &q->bj) != TS_OK)
      return 1;
    q->measured = (int)cls;
    if (q->theory < 0) { n_band++; continue; }
    n_cmp++;
    q->agree = q->measured == q->theory;
    n_agree += q->agree;
    conf[q->theory][q->measured]++;
    if (q->theory == VEIGA_GREEN || q->theory == VEIGA_BLUE) {
      n_exp++;
      n_exp_ok += fabs(q->b + s) <= 2 * q->b_se;
    }
  }

  /* ---- tables -------------------------------------------------------------------------------------------------- */
  char path[1024], dlist[128] = "", klist[256] = "", llist[512] = "";
  for (int a = 0; a < fp.nd; a++) snprintf(dlist + strlen(dlist), sizeof dlist - strlen(dlist), "%s%d", a ? "," : "", fp.ds[a]);
  for (int i = 0; i < fp.nk; i++) snprintf(klist + strlen(klist), sizeof klist - strlen(klist), "%s%g", i ? "," : "", fp.kap[i]);
  for (int i = 0; i < fp.ndl; i++) snprintf(llist + strlen(llist), sizeof llist - strlen(llist), "%s%g", i ? "," : "", fp.del[i]);
#define META(t)                                                                                                      \
  do {                                                                                                               \
    ts_table_meta(t, "mode", "%s", fa.mode);                                                                         \
    ts_table_meta(t, "d", "%s", dlist);                                                                              \
    ts_table_meta(t, "kappa", "%s", klist);                                                                          \
    ts_table_meta(t, "delta", "%s", llist);                                                                          \
    ts_table_meta(t, "s_max", "%g (points with kappa+delta above are not run)", fp.s_max);                           \
    ts_table_meta(t, "p", "%d round(d^kappa)", fp.p0);                                                               \
    ts_table_meta(t, "k", "%d", fp.k);                                                                               \
    ts_table_meta(t, "gamma", "%g d^-delta", fp.gamma0);                                                             \
    ts_table_meta(t, "Delta", "%g", fp.Delta);                                                                       \
    ts_table_meta(t, "act", "erf(x/sqrt2); student 1/p sum, teacher 1/k sum, orthonormal teacher rows of norm sqrt d"); \
    ts_table_meta(t, "start", "warm: student i = teacher (i mod k) rotated, M_ii = m0 = %g, Q_ii = 1", fp.m0);       \
    ts_table_meta(t, "time", "t = steps / d^max(0, 1 + theta), theta = s (s >= 0), 2 s (s < 0), s = kappa + delta"); \
    ts_table_meta(t, "t_end", "%g; r = mean of R - Delta/2 at %d records evenly spaced in [t_end/2, t_end]",         \
                  fp.t_end, fp.n_rec);                                                                               \
    ts_table_meta(t, "jump", "mean over the first %d steps of max_i,r(|dQ_ii|, |dM_ir|) per step", fp.n_jump);      \
    ts_table_meta(t, "rule", "red: a run diverged, or jump exponent >= 0, or CV of r at the largest d > %g; else "    \
                  "exponent b of r vs d: green b < -%g, orange b > %g, blue otherwise", fp.cv_max, fp.b_th, fp.b_th); \
    ts_table_meta(t, "band", "%g (0 < |s| < band or |s + 1/2| < band: excluded from the comparison)", fp.band);      \
    ts_table_meta(t, "classes", "0 blue, 1 green, 2 orange, 3 red, -1 excluded (theory) / not run (measured)");       \
    ts_table_meta(t, "seed", "%llu", (unsigned long long)fa.seed);                                                   \
    ts_table_meta(t, "seeds", "%d per point and d; run id from (kappa, delta, d, s)", fp.n_seeds);                   \
    ts_table_meta(t, "rng", "%s + %s", ts_rng_generator_name(), ts_rng_sampler_name());                              \
    ts_table_meta(t, "wall_seconds_runs", "%.2f", t_runs - t_start);                                                 \
  } while (0)

  snprintf(path, sizeof path, "%s/fig1_runs.tsv", fa.outdir);
  ts_table *t = ts_table_open(path, "veiga2022/fig1");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "one row per run (not-run points omitted); status 0 ok, 4 diverged (r, jump = 0)");
  ts_table_columns(t, 12, (const char *[]){"kappa", "delta", "d", "p", "gamma", "seed", "status", "steps", "r0", "r",
                                          "jump", "t_fail"});
  for (int j = 0; j < nrun; j++) {
    const run_result *r = &runs[j];
    if (r->status < 0) continue;
    double row[12] = {r->kappa, r->delta, r->d, r->p, r->gamma, r->seed_idx, r->status, (double)r->steps, r->r0,
                      r->r, r->jump, r->t_fail};
    if (ts_table_row(t, 12, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig1_d.tsv", fa.outdir);
  t = ts_table_open(path, "veiga2022/fig1");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "per run point and d: seed mean, SE, std of r, mean R(0) - Delta/2, mean jump, diverged");
  ts_table_columns(t, 10, (const char *[]){"kappa", "delta", "s", "d", "r_mean", "r_se", "r_sd", "r0_mean",
                                          "jump_mean", "n_diverged"});
  for (int pt = 0; pt < npt; pt++) {
    const point *q = &pts[pt];
    if (!q->run) continue;
    double kappa = fp.kap[pt / fp.ndl], delta = fp.del[pt % fp.ndl];
    for (int a = 0; a < fp.nd; a++) {
      double row[10] = {kappa, delta, kappa + delta, fp.ds[a], q->r_mean[a], q->r_se[a], q->r_sd[a], q->r0[a],
                        q->jump[a], q->n_div[a]};
      if (ts_table_row(t, 10, row)) { ts_table_discard(t); return 1; }
    }
  }
  if (ts_table_close(t)) return 1;

  snprintf(path, sizeof path, "%s/fig1.tsv", fa.outdir);
  t = ts_table_open(path, "veiga2022/fig1");
  if (!t) return 1;
  META(t);
  ts_table_meta(t, "content", "per grid point: theory class (-1 = in a boundary band), measured class (-1 = not run), "
                "agree (1/0; -1 not compared), exponent b of r vs d and its SE, exponent of the jump (0 when a run "
                "diverged or not run), r at the largest d, CV of r there (0 when not run or diverged)");
  ts_table_meta(t, "summary", "compared %d, agree %d, band %d, not run %d", n_cmp, n_agree, n_band, n_notrun);
  ts_table_columns(t, 11, (const char *[]){"delta", "kappa", "s", "theory", "measured", "agree", "b", "b_se",
                                          "jump_exponent", "r_dmax", "cv_dmax"});
  for (int pt = 0; pt < npt; pt++) {
    const point *q = &pts[pt];
    double kappa = fp.kap[pt / fp.ndl], delta = fp.del[pt % fp.ndl];
    int cmp = q->run && q->theory >= 0;
    int okb = q->run && isfinite(q->b);
    double row[11] = {delta, kappa, kappa + delta, q->theory, q->measured, cmp ? q->agree : -1, okb ? q->b : 0,
                      okb && isfinite(q->b_se) ? q->b_se : 0, okb && isfinite(q->bj) ? q->bj : 0,
                      q->run ? q->r_mean[fp.nd - 1] : 0, okb && isfinite(q->cv) ? q->cv : 0};
    if (ts_table_row(t, 11, row)) { ts_table_discard(t); return 1; }
  }
  if (ts_table_close(t)) return 1;

  /* ---- claims (rules fixed before the runs) ---------------------------------------------------------------------- */
  snprintf(path, sizeof path, "%s/fig1.claims.tsv", fa.outdir);
  ts_claims *c = ts_claims_open(path);
  if (!c) return 1;
  char meas[1024], st[512], rule[512];
  snprintf(meas, sizeof meas, "%d of %d compared points agree (%.0f%%); %d excluded in the bands, %d not run "
           "(kappa+delta > %g); theory -> measured counts [blue g o r]: blue %d %d %d %d, green %d %d %d %d, orange "
           "%d %d %d %d, red %d %d %d %d", n_agree, n_cmp, n_cmp ? 100.0 * n_agree / n_cmp : 0.0, n_band, n_notrun,
           fp.s_max, conf[0][0], conf[0][1], conf[0][2], conf[0][3], conf[1][0], conf[1][1], conf[1][2], conf[1][3],
           conf[2][0], conf[2][1], conf[2][2], conf[2][3], conf[3][0], conf[3][1], conf[3][2], conf[3][3]);
  snprintf(st, sizeof st, "the class measured from SGD at d = %s (rule of veiga_phase_classify) equals the theory's "
           "region at every grid point outside the bands |s| < %g, |s + 1/2| < %g (s = kappa + delta)", dlist,
           fp.band, fp.band);
  snprintf(rule, sizeof rule, ">= 90%% of the compared points agree: each green/blue/orange decision is a 2-SE-scale "
           "test of a 3-point exponent (~5%% false rate), red tests are sharp");
  if (smoke) ts_claim_skip(c, "fig1-agree", "Fig. 1 (schematic), slides 'Phase diagram'", st,
                           "smoke mode: 2 values of d and t_end = 2 do not test the classification");
  else
    ts_claim_check(c, "fig1-agree", "Fig. 1 (schematic), slides 'Phase diagram'", st, "100% (theory)",
                   "slides: regions kappa+delta > 0, = 0, in (-1/2, 0), < -1/2", meas,
                   n_cmp > 0 && n_agree >= 0.9 * n_cmp, rule, NULL);

  snprintf(meas, sizeof meas, "%d of %d blue-line and green points have |b + kappa + delta| <= 2 SE", n_exp_ok, n_exp);
  snprintf(st, sizeof st, "on the blue line and in green, R_inf - Delta/2 scales as d^-(kappa+delta)");
  if (smoke) ts_claim_skip(c, "fig1-exponent", "slides 'Green region' (R_inf - Delta/2 ~ d^-delta)", st,
                           "smoke mode: 2 values of d give no SE");
  else
    ts_claim_check(c, "fig1-exponent", "slides 'Green region' (R_inf - Delta/2 ~ d^-delta)", st,
                   "exponent -(kappa+delta)", "slides (kappa = 0); sheet sec. 2 [I] for kappa > 0", meas,
                   n_exp > 0 && n_exp_ok >= 0.9 * n_exp,
                   ">= 90% of the points within 2 SE (SE = max(fit residual, propagated seed SE)): 2 SE covers ~95%",
                   NULL);
  int counts[4];
  if (ts_claims_finish(c, counts)) return 1;
  fprintf(stderr, "fig1: runs %.1f s; %d/%d agree, %d band, %d not run; claims: %d pass, %d fail, %d xfail, %d skip\n",
          t_runs - t_start, n_agree, n_cmp, n_band, n_notrun, counts[TS_PASS], counts[TS_FAIL], counts[TS_XFAIL],
          counts[TS_SKIP]);
  free(pts);
  free(order);
  free(runs);
  return 0;
}
