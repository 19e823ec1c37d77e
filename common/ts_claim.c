#include "ts_claim.h"

#include "ts_err.h"
#include "ts_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* From ts_table.c (library-internal): an atomically written file without provenance header or trailer. */
ts_table *ts__table_open_bare(const char *path);

struct ts_claims {
  ts_table *t;
  int counts[4];
  const char *undecided; /* ts_claims_undecided: FAIL/XFAIL of a finite measurement become SKIP with this reason */
};

static const char *const ts__verdicts[4] = {"PASS", "FAIL", "XFAIL", "SKIP"};

const char *ts_verdict_name(ts_verdict v)
{
  return (int)v >= 0 && (int)v < 4 ? ts__verdicts[v] : "UNKNOWN";
}

ts_claims *ts_claims_open(const char *path)
{
  ts_claims *c = calloc(1, sizeof *c);
  if (c == NULL) {
    ts_error(TS_ENOMEM, "ts_claims_open %s: out of memory", path ? path : "(null)");
    return NULL;
  }
  c->t = ts__table_open_bare(path);
  if (c->t == NULL) {
    free(c);
    return NULL;
  }
  fputs("id\twhere\tstatement\texpected\tsource\tmeasured\trule\tverdict\tnote\n", ts_table_stream(c->t));
  return c;
}

/* One field, tabs/newlines/carriage returns replaced by spaces, preceded by a tab unless it is the first. */
static void ts__field(FILE *f, int first, const char *s)
{
  if (!first) putc('\t', f);
  for (; s != NULL && *s != '\0'; s++) putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

void ts_claim_row(ts_claims *c, const char *id, const char *where, const char *statement, const char *expected,
                  const char *source, const char *measured, const char *rule, ts_verdict v, const char *note)
{
  if (c == NULL) return;
  FILE *f = ts_table_stream(c->t);
  ts__field(f, 1, id);
  ts__field(f, 0, where);
  ts__field(f, 0, statement);
  ts__field(f, 0, expected);
  ts__field(f, 0, source);
  ts__field(f, 0, measured);
  ts__field(f, 0, rule);
  ts__field(f, 0, ts_verdict_name(v));
  ts__field(f, 0, note);
  putc('\n', f);
  if ((int)v >= 0 && (int)v < 4) c->counts[v]++;
}

void ts_claims_undecided(ts_claims *c, const char *reason)
{
  if (c != NULL) c->undecided = reason;
}

/* The verdict v of a finite measurement with its note, written as SKIP when the claims are marked undecided. */
static void ts__row_or_undecided(ts_claims *c, const char *id, const char *where, const char *statement,
                                 const char *expected, const char *source, const char *measured, const char *rule,
                                 ts_verdict v, const char *note)
{
  if (c != NULL && c->undecided != NULL && (v == TS_FAIL || v == TS_XFAIL)) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s (this run's check gave %s%s%s)", c->undecided, ts_verdict_name(v),
             note && *note ? ": " : "", note ? note : "");
    ts_claim_row(c, id, where, statement, expected, source, measured, rule, TS_SKIP, buf);
  } else
    ts_claim_row(c, id, where, statement, expected, source, measured, rule, v, note);
}

/* %.6g, with non-finite values as "nan", "inf", "-inf" (never glibc's "-nan"). */
static void ts__num(char *buf, size_t n, double x)
{
  if (isnan(x))
    snprintf(buf, n, "nan");
  else if (isinf(x))
    snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
  else
    snprintf(buf, n, "%.6g", x);
}

ts_verdict ts_claim_close(ts_claims *c, const char *id, const char *where, const char *statement, double expected,
                          const char *source, double measured, double rtol, double atol, const char *rule,
                          const char *xfail_note)
{
  char exp_s[32], mea_s[32], note[768];
  ts__num(exp_s, sizeof exp_s, expected);
  ts__num(mea_s, sizeof mea_s, measured);
  double diff = fabs(measured - expected), tol = atol + rtol * fabs(expected);
  ts_verdict v;
  if (!isfinite(measured)) {
    /* A non-finite measurement is a failure whatever the xfail note says: it is a bug or a divergence. */
    v = TS_FAIL;
    snprintf(note, sizeof note, "measured value is not finite (%s)", mea_s);
  } else {
    v = diff <= tol ? TS_PASS : xfail_note != NULL ? TS_XFAIL : TS_FAIL;
    snprintf(note, sizeof note, "%s%s|diff| = %.3g, tolerance = %.3g (rtol %.3g, atol %.3g)",
             v == TS_XFAIL ? xfail_note : "", v == TS_XFAIL ? "; " : "", diff, tol, rtol, atol);
    ts__row_or_undecided(c, id, where, statement, exp_s, source, mea_s, rule, v, note);
    return v;
  }
  ts_claim_row(c, id, where, statement, exp_s, source, mea_s, rule, v, note);
  return v;
}

ts_verdict ts_claim_check(ts_claims *c, const char *id, const char *where, const char *statement,
                          const char *expected, const char *source, const char *measured, int ok, const char *rule,
                          const char *xfail_note)
{
  ts_verdict v = ok ? TS_PASS : xfail_note != NULL ? TS_XFAIL : TS_FAIL;
  ts__row_or_undecided(c, id, where, statement, expected, source, measured, rule, v, v == TS_XFAIL ? xfail_note : "");
  return v;
}

void ts_claim_skip(ts_claims *c, const char *id, const char *where, const char *statement, const char *reason)
{
  ts_claim_row(c, id, where, statement, "", "", "", "", TS_SKIP, reason);
}

int ts_claims_finish(ts_claims *c, int counts[4])
{
  if (c == NULL) return ts_error(TS_EINVAL, "ts_claims_finish: no claims");
  if (counts != NULL)
    for (int k = 0; k < 4; k++) counts[k] = c->counts[k];
  int status = ts_table_close(c->t);
  free(c);
  return status;
}

void ts_claims_discard(ts_claims *c)
{
  if (c == NULL) return;
  ts_table_discard(c->t);
  free(c);
}
