/* tian_figs — pieces shared by the Tian 2020 figure programs: the provenance header of the two-layer sweep tables
 * (fig5, fig7, fig8), one two-layer run at a sweep point with its failure report, the epoch shuffle of the deep
 * programs (fig6, fig10), and small statistics helpers (mean and standard error over seeds, in-place sort).  No
 * state; only tian_shuffle and tian_figs_two_run draw random numbers, from the stream they are given. */
#ifndef TIAN_FIGS_H
#define TIAN_FIGS_H
#include <stdint.h>

#include "tian_two.h"
#include "ts_rng.h"
#include "ts_table.h"

/* Writes the provenance keys common to the tables of the two-layer sweeps (sec. 5, the README setting of
 * tian_two_params_init), in this order: mode, seed (with seed_scope, e.g. "shared across p", saying over what the
 * run seed ts_rng_seed_for(seed, s) is shared), rng, d, m, C, multi, p, teacher, student_init, sigma, optimiser,
 * epochs, n_train, n_eval (= n_train), seeds.  multi, p and epochs are the caller's descriptions, written as given.
 * Errors are kept by the table (reported by ts_table_close). */
void tian_figs_meta_two(ts_table *t, const char *mode, uint64_t seed, const char *seed_scope, int d, int m,
                        const char *multi, const char *p, const char *epochs, int n_train, int seeds);

/* One run of the two-layer sweep: the README setting at (d, m, multi, polarity p) with N_train = N_eval = n_train,
 * trained by tian_two_run_plan on stream ts_rng_seed_for(base_seed, s) (so the teacher and data are shared by every
 * (p, multi) of seed s).  rec is filled as by tian_two_run_plan (the caller frees it with tian_two_record_free);
 * returns rec->status.  Thread-safe (call tian_two_blas_serial once before a parallel loop). */
int tian_figs_two_run(int d, int m, int multi, double p, int n_train, uint64_t base_seed, int s,
                      const tian_two_plan *plan, tian_two_record *rec);

/* If the run recorded in rec failed, reports it with ts_error ("run p=.. multi=.. seed .. failed at step ..",
 * naming a divergence) and returns its status; returns 0 otherwise. */
int tian_figs_two_check(const tian_two_record *rec, double p, int multi, int s);

/* Mean *m and standard error *se = sd / sqrt(n) (sd with n - 1; se = 0 for n = 1) of x[0..n-1], n >= 1, summed in
 * index order (the result does not depend on the thread count). */
void tian_mean_se(const double *x, int n, double *m, double *se);

/* Shuffles perm[0..n-1] in place (Fisher-Yates from the top: for i = n-1 .. 1, swap perm[i] with perm[k],
 * k = u64 mod (i + 1), one ts_rng_u64 draw of r per i; the modulo bias, < (i+1) / 2^64, is negligible). */
void tian_shuffle(int *perm, int n, ts_rng *r);

/* Sorts x[0..n-1] ascending in place (insertion sort: stable, for the few values of a per-seed summary; no NaN). */
void tian_sort(double *x, int n);

#endif
