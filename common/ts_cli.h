/* ts_cli — command-line options with validation.
 *
 * Each option is a row {name, type, destination, help}.  Numbers must parse completely and be finite; the caller
 * validates ranges afterwards with ts_cli_fail.  Errors print exactly one line on stderr ("prog: error: ...") and
 * the program exits 2 having written nothing on stdout.  --help / -h prints the usage and the options on stdout. */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <stdint.h>

typedef enum { TS_OPT_INT, TS_OPT_LONG, TS_OPT_DOUBLE, TS_OPT_U64, TS_OPT_STRING, TS_OPT_FLAG } ts_opt_type;

typedef struct {
  const char *name;  /* "--lr", "-N", ... (exact match; "--name=value" and "--name value" both accepted) */
  ts_opt_type type;
  void *dest;        /* int*, long*, double*, uint64_t*, const char**, or int* (FLAG: set to 1) */
  const char *help;  /* one line; the default is shown from *dest                                     */
  int seen;          /* set by the parser                                                              */
} ts_opt;

/* Parse argv[1..].  opts ends with a row whose name is NULL.  Returns 0 on success, 1 if --help was printed
 * (caller exits 0), 2 on error (one line printed; caller exits 2). */
int ts_cli_parse(int argc, char **argv, ts_opt *opts, const char *usage);
/* 1 if the option was given on the command line. */
int ts_cli_seen(const ts_opt *opts, const char *name);
/* Print one error line "prog: error: ..." and return 2. */
int ts_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Options common to every figure program (papers/<paper>/figN): --mode fast|full|smoke, --out DIR, --seed S,
 * --threads T.  TS_FIG_OPTS(a) expands to their rows. */
typedef struct {
  const char *mode;   /* "fast" (default), "full" (paper fidelity) or "smoke" (tiny sizes, for make check) */
  const char *outdir; /* data folder, e.g. data/goldt2020                                                    */
  uint64_t seed;
  int threads;        /* 0 = OpenMP default; results never depend on it                                   */
} ts_fig_args;

#define TS_FIG_OPTS(a)                                                                                         \
  {"--mode", TS_OPT_STRING, &(a).mode, "fast | full | smoke", 0},                                              \
      {"--out", TS_OPT_STRING, &(a).outdir, "output data folder", 0},                                          \
      {"--seed", TS_OPT_U64, &(a).seed, "base seed of every random stream", 0},                                \
      {"--threads", TS_OPT_INT, &(a).threads, "OpenMP threads (0 = default); data do not depend on it", 0}

/* Checks mode and threads, creates outdir, sets the thread count.  Returns 0 or 2 (error printed). */
int ts_fig_args_check(ts_fig_args *a);

#endif
