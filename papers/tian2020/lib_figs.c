/* Pieces shared by the Tian 2020 figure programs; see tian_figs.h. */
#include "tian_figs.h"

#include <math.h>

#include "ts_err.h"
#include "ts_rng.h"

void tian_figs_meta_two(ts_table *t, const char *mode, uint64_t seed, const char *seed_scope, int d, int m,
                        const char *multi, const char *p, const char *epochs, int n_train, int seeds)
{
  ts_table_meta(t, "mode", "%s", mode);
  ts_table_meta(t, "seed", "%llu (run seed s: ts_rng_seed_for(seed, s), %s)", (unsigned long long)seed, seed_scope);
  ts_table_meta(t, "rng", "%s / %s", ts_rng_generator_name(), ts_rng_sampler_name());
  ts_table_meta(t, "d", "%d", d);
  ts_table_meta(t, "m", "%d", m);
  ts_table_meta(t, "C", "50");
  ts_table_meta(t, "multi", "%s", multi);
  ts_table_meta(t, "p", "%s", p);
  ts_table_meta(t, "teacher", "9-value grid, rows L2-normalised, bias -0.1, fan-out row i / (i+1)^p");
  ts_table_meta(t, "student_init", "N(0, 0.005^2), bias rows 0");
  ts_table_meta(t, "sigma", "1.5");
  ts_table_meta(t, "optimiser", "SGD lr 0.01, batch 16 with replacement, float64");
  ts_table_meta(t, "epochs", "%s", epochs);
  ts_table_meta(t, "n_train", "%d", n_train);
  ts_table_meta(t, "n_eval", "%d", n_train);
  ts_table_meta(t, "seeds", "%d", seeds);
}

int tian_figs_two_run(int d, int m, int multi, double p, int n_train, uint64_t base_seed, int s,
                      const tian_two_plan *plan, tian_two_record *rec)
{
  tian_two_params P;
  tian_two_params_init(&P, d, m, multi, p);
  P.n_train = P.n_eval = n_train;
  tian_two_run_plan(&P, ts_rng_seed_for(base_seed, (uint64_t)s), plan, rec);
  return rec->status;
}

int tian_figs_two_check(const tian_two_record *rec, double p, int multi, int s)
{
  if (!rec->status) return 0;
  return ts_error(rec->status, "run p=%g multi=%d seed %d failed at step %ld%s", p, multi, s, rec->fail_step,
                  rec->status == TS_EDIVERGE ? " (diverged)" : "");
}

void tian_mean_se(const double *x, int n, double *m, double *se)
{
  double s = 0, v = 0;
  for (int i = 0; i < n; i++) s += x[i];
  s /= n;
  for (int i = 0; i < n; i++) v += (x[i] - s) * (x[i] - s);
  *m = s;
  *se = n > 1 ? sqrt(v / (n - 1) / n) : 0;
}

void tian_shuffle(int *perm, int n, ts_rng *r)
{
  for (int i = n - 1; i > 0; i--) {
    int k = (int)(ts_rng_u64(r) % (uint64_t)(i + 1)), tmp = perm[i];
    perm[i] = perm[k];
    perm[k] = tmp;
  }
}

void tian_sort(double *x, int n)
{
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && x[j - 1] > x[j]; j--) {
      double y = x[j];
      x[j] = x[j - 1];
      x[j - 1] = y;
    }
}
