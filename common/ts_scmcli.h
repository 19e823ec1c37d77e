/* ts_scmcli — the command-line options that scm-ode and scm-sgd share (network, learning rates, noise, length),
 * their validation and their provenance lines, so that both tools accept and record them identically. */
#ifndef TS_SCMCLI_H
#define TS_SCMCLI_H

#include <stdint.h>

#include "ts_gauss.h"
#include "ts_table.h"

typedef struct {
  const char *act_name; /* --act                                   */
  ts_act act;           /* parsed by ts_scmcli_check               */
  int K, M;
  double lr, lr2;       /* lr2 < 0: same as lr                      */
  int both;             /* train the second layer too               */
  double sigma, vstar, v0, wd;
  double alpha;         /* run length                               */
  int npoints;          /* log-spaced output points                 */
  uint64_t seed;
  int overlaps;         /* print Q, R, v columns                    */
} ts_scmcli;

/* Defaults: erf, K = M = 2, lr = 0.5, lr2 = lr, sigma = 0, v* = v0 = 1, wd = 0, alpha = 100, 100 points, seed 1.
 * K, M and lr must still be given on the command line (checked by ts_scmcli_check). */
void ts_scmcli_init(ts_scmcli *a);

#define TS_SCMCLI_OPTS(a)                                                                                      \
  {"--act", TS_OPT_STRING, &(a).act_name, "activation: erf | linear (| relu for SGD)", 0},                     \
      {"-K", TS_OPT_INT, &(a).K, "student hidden units (required, >= 1)", 0},                                  \
      {"-M", TS_OPT_INT, &(a).M, "teacher hidden units (required, >= 1)", 0},                                  \
      {"--lr", TS_OPT_DOUBLE, &(a).lr, "learning rate eta of the first layer (required, > 0)", 0},             \
      {"--lr2", TS_OPT_DOUBLE, &(a).lr2, "learning rate of the second layer (default: --lr)", 0},              \
      {"--both", TS_OPT_FLAG, &(a).both, "train both layers (default: first layer only, v fixed)", 0},         \
      {"--sigma", TS_OPT_DOUBLE, &(a).sigma, "output-noise standard deviation", 0},                            \
      {"--vstar", TS_OPT_DOUBLE, &(a).vstar, "teacher second-layer weight (all m)", 0},                        \
      {"--v0", TS_OPT_DOUBLE, &(a).v0, "student second-layer weight (initial; fixed without --both)", 0},      \
      {"--wd", TS_OPT_DOUBLE, &(a).wd, "weight decay (0 in the papers)", 0},                                   \
      {"--alpha", TS_OPT_DOUBLE, &(a).alpha, "run length in alpha = samples / N", 0},                          \
      {"--points", TS_OPT_INT, &(a).npoints, "number of log-spaced output points", 0},                         \
      {"--seed", TS_OPT_U64, &(a).seed, "seed of the random initial conditions", 0},                           \
      {"--overlaps", TS_OPT_FLAG, &(a).overlaps, "also print Q, R and v as columns", 0}

/* Validates after ts_cli_parse (opts gives which options were seen).  relu_ok: whether relu is accepted.
 * Returns 0 or 2 (one error line printed). */
int ts_scmcli_check(ts_scmcli *a, const void *opts, int relu_ok);
/* The column line shared by both tools: alpha, eg, and with --overlaps the Q, R, v columns of ts_scm_col_name.
 * Returns the number of columns, or -1 (out of memory, reported). */
int ts_scmcli_columns(const ts_scmcli *a, ts_table *t);
/* `# key=value` lines for every option. */
void ts_scmcli_meta(const ts_scmcli *a, ts_table *t);

#endif
