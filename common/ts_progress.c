#include "ts_progress.h"

#include "ts_err.h"
#include "ts_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ts_progress {
  char label[64];
  double total;
  double done;
  double t0;
  double last;  /* time of the last line printed */
  int enabled;  /* stderr is a terminal or TS_PROGRESS=1 */
};

/* "42s", "1m05s", "2h03m". */
static void ts__duration(char *buf, size_t n, double s)
{
  if (!(s >= 0.0)) s = 0.0;
  if (s < 60.0)
    snprintf(buf, n, "%.0fs", s);
  else if (s < 3600.0)
    snprintf(buf, n, "%dm%02ds", (int)(s / 60.0), (int)s % 60);
  else if (s < 1e7)
    snprintf(buf, n, "%dh%02dm", (int)(s / 3600.0), ((int)s % 3600) / 60);
  else
    snprintf(buf, n, "%.3gh", s / 3600.0);
}

ts_progress *ts_progress_start(const char *label, double total)
{
  ts_progress *p = calloc(1, sizeof *p);
  if (p == NULL) {
    ts_error(TS_ENOMEM, "ts_progress_start: out of memory");
    return NULL;
  }
  snprintf(p->label, sizeof p->label, "%s", label ? label : "");
  p->total = total;
  p->t0 = p->last = ts_wall_seconds();
  const char *env = getenv("TS_PROGRESS");
  p->enabled = isatty(2) || (env != NULL && strcmp(env, "1") == 0);
  return p;
}

void ts_progress_add(ts_progress *p, double amount)
{
  if (p == NULL || !p->enabled) return; /* nothing is ever printed: no bookkeeping, no contention */
#pragma omp critical(ts__progress)
  {
    p->done += amount;
    double now = ts_wall_seconds();
    if (now - p->last >= 0.5) {
      p->last = now;
      char eta[32] = "?";
      double elapsed = now - p->t0;
      if (p->done > 0.0 && p->total > 0.0) ts__duration(eta, sizeof eta, elapsed * (p->total - p->done) / p->done);
      double pct = p->total > 0.0 ? 100.0 * p->done / p->total : 0.0;
      if (pct > 100.0) pct = 100.0;
      if (pct < 0.0) pct = 0.0;
      fprintf(stderr, "\r%s %3.0f%% ETA %s   ", p->label, pct, eta);
      fflush(stderr);
    }
  }
}

void ts_progress_end(ts_progress *p)
{
  if (p == NULL) return;
  if (p->enabled) {
    char el[32];
    double s = ts_wall_seconds() - p->t0;
    if (s < 10.0)
      snprintf(el, sizeof el, "%.2fs", s);
    else
      ts__duration(el, sizeof el, s);
    fprintf(stderr, "\r%s done in %s              \n", p->label, el);
    fflush(stderr);
  }
  free(p);
}
