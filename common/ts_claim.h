/* ts_claim — claims checked against theory, one row each, in data/<paper>/<fig>.claims.tsv.
 *
 * Columns (tab-separated, one header line):
 *   id  where  statement  expected  source  measured  rule  verdict  note
 * `where` is the paper location ("Fig. 2a, eq. (10)"), `source` where the expected value comes from (equation,
 * paper text, theory), `rule` the tolerance and its reason.  Verdicts: PASS, FAIL, XFAIL (a known, explained
 * disagreement: the note gives the numbers and the reason), SKIP (not checked in this mode: the note says why).
 * Tabs and newlines inside fields are replaced by spaces.  Written atomically like ts_table. */
#ifndef TS_CLAIM_H
#define TS_CLAIM_H

typedef enum { TS_PASS = 0, TS_FAIL = 1, TS_XFAIL = 2, TS_SKIP = 3 } ts_verdict;

typedef struct ts_claims ts_claims;

ts_claims *ts_claims_open(const char *path);
const char *ts_verdict_name(ts_verdict v);

/* A row with every field given by the caller. */
void ts_claim_row(ts_claims *c, const char *id, const char *where, const char *statement, const char *expected,
                  const char *source, const char *measured, const char *rule, ts_verdict v, const char *note);

/* |measured - expected| <= atol + rtol |expected|  => PASS.  Otherwise FAIL, or XFAIL when xfail_note is non-NULL
 * (the note must say why).  Non-finite measured => FAIL.  Returns the verdict written. */
ts_verdict ts_claim_close(ts_claims *c, const char *id, const char *where, const char *statement, double expected,
                          const char *source, double measured, double rtol, double atol, const char *rule,
                          const char *xfail_note);

/* A boolean check with its numbers given as text (e.g. a fit slope and its standard error). */
ts_verdict ts_claim_check(ts_claims *c, const char *id, const char *where, const char *statement,
                          const char *expected, const char *source, const char *measured, int ok, const char *rule,
                          const char *xfail_note);

/* Mark every later claim of c as undecidable in this run (e.g. smoke mode: toy sizes and run lengths, for make
 * check): a FAIL or XFAIL verdict of ts_claim_close / ts_claim_check on a finite measurement is then written as
 * SKIP, its note giving `reason` and the verdict the check gave.  A non-finite measurement stays a FAIL (it is a
 * bug or a divergence whatever the run length); PASS stays PASS.  The return values are the checks' own verdicts. */
void ts_claims_undecided(ts_claims *c, const char *reason);
/* A claim not checked in this run, with the reason. */
void ts_claim_skip(ts_claims *c, const char *id, const char *where, const char *statement, const char *reason);

/* Write and rename into place; counts per verdict if non-NULL (array of 4 indexed by ts_verdict).
 * TS_OK or TS_EIO. */
int ts_claims_finish(ts_claims *c, int counts[4]);
void ts_claims_discard(ts_claims *c);

#endif
