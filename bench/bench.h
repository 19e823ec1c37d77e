/* bench.h — the protocol every benchmark program follows, so that bench/run.sh can time it and count its
 * instructions with callgrind.
 *
 *   bench_x                      time every case; one line each:  case <TAB> seconds_per_step <TAB> steps
 *   bench_x --list               the case names, one per line
 *   bench_x --case NAME --steps N   run one case for N steps, with callgrind collection switched on only around
 *                                the timed loop (CALLGRIND_TOGGLE_COLLECT; run under
 *                                `valgrind --tool=callgrind --collect-atstart=no`), so the instruction total
 *                                divided by N is the per-step count, set-up excluded.
 * A case is a function `void run(void *state, long steps)` plus set-up/tear-down. */
#ifndef TS_BENCH_H
#define TS_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "ts_util.h"

typedef struct {
  const char *name;
  void *(*setup)(void);
  void (*run)(void *state, long steps);
  void (*teardown)(void *state);
  long timed_steps; /* steps for the timing run (aim for ~1 s) */
} ts_bench_case;

static inline int ts_bench_main(int argc, char **argv, const ts_bench_case *cases, int ncases)
{
  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (int i = 0; i < ncases; i++) printf("%s\n", cases[i].name);
    return 0;
  }
  const char *only = NULL;
  long steps = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--case") == 0) only = argv[i + 1];
    else if (strcmp(argv[i], "--steps") == 0) steps = atol(argv[i + 1]);
  }
  for (int i = 0; i < ncases; i++) {
    if (only && strcmp(only, cases[i].name) != 0) continue;
    void *st = cases[i].setup();
    if (!st) { fprintf(stderr, "bench: set-up of %s failed\n", cases[i].name); return 1; }
    long n = only ? (steps > 0 ? steps : 1000) : cases[i].timed_steps;
    cases[i].run(st, n > 10 ? n / 10 : 1); /* warm-up, not collected */
    CALLGRIND_TOGGLE_COLLECT;
    double t0 = ts_wall_seconds();
    cases[i].run(st, n);
    double t1 = ts_wall_seconds();
    CALLGRIND_TOGGLE_COLLECT;
    printf("%s\t%.6g\t%ld\n", cases[i].name, (t1 - t0) / (double)n, n);
    fflush(stdout);
    cases[i].teardown(st);
  }
  return 0;
}

#endif
