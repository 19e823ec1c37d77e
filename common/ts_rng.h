/* ts_rng — seeded random streams for simulations.
 *
 * A stream is identified by (seed, stream id): independent runs (seeds, sweep points, threads) each take their own
 * stream id, so results never depend on the thread count or on scheduling.  The generator and the Gaussian sampler
 * are fixed at build time; their names go into every data header (ts_rng_generator_name, ts_rng_sampler_name). */
#ifndef TS_RNG_H
#define TS_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct ts_rng ts_rng;

ts_rng *ts_rng_alloc(uint64_t seed, uint64_t stream); /* NULL on allocation failure */
void ts_rng_free(ts_rng *r);

uint64_t ts_rng_u64(ts_rng *r);
double ts_rng_uniform(ts_rng *r);  /* uniform on (0, 1), never 0 or 1 */
double ts_rng_gaussian(ts_rng *r); /* standard normal                  */
/* n standard normals into x: the hot path of SGD.  Deterministic given the stream state (it need not give the
 * same values as n calls of ts_rng_gaussian). */
void ts_rng_gaussian_fill(ts_rng *r, double *x, size_t n);

/* The seed of independent run number `index` of an experiment with base seed `base` (splitmix64 finaliser of
 * base + golden-ratio increments): distinct, well-mixed seeds whatever thread runs which index. */
uint64_t ts_rng_seed_for(uint64_t base, uint64_t index);

const char *ts_rng_generator_name(void); /* e.g. "philox4x32-10"   */
const char *ts_rng_sampler_name(void);   /* e.g. "ziggurat-256"    */

#endif
