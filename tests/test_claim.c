/* Tests of ts_claim: the PASS/FAIL/XFAIL rule |m - e| <= atol + rtol |e| at and just past its boundary (absolute,
 * relative with negative expected, both); non-finite measured => FAIL even with an xfail note, written "nan"/"inf";
 * boolean checks and skips; counts per verdict; the file (exact header line, 9 fields per row, %.6g numbers,
 * tabs/newlines in fields replaced by spaces); atomic writing (nothing at path until finish, nothing after discard,
 * missing folder refused); claims marked undecided (smoke mode). */
#include "ts_test.h"

#include "ts_claim.h"
#include "ts_err.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ts__header[] = "id\twhere\tstatement\texpected\tsource\tmeasured\trule\tverdict\tnote\n";

static char ts__base[64], ts__path[128];

static int setup(void **state)
{
  snprintf(ts__base, sizeof ts__base, "/tmp/ts_test_claim.XXXXXX");
  if (mkdtemp(ts__base) == NULL) return -1;
  snprintf(ts__path, sizeof ts__path, "%s/c.claims.tsv", ts__base);
  ts_error_quiet(1);
  return 0;
}

static int teardown(void **state)
{
  remove(ts__path);
  rmdir(ts__base);
  ts_error_quiet(0);
  return 0;
}

/* Field k (0-based) of line `row` (0 = header) copied into out; asserts the line has exactly 9 fields. */
static void ts__field(const char *s, int row, int k, char *out, size_t n)
{
  const char *p = s;
  for (int r = 0; r < row; r++) {
    p = strchr(p, '\n');
    assert_non_null(p);
    p++;
  }
  const char *eol = strchr(p, '\n');
  assert_non_null(eol);
  int tabs = 0;
  for (const char *q = p; q < eol; q++) tabs += *q == '\t';
  assert_int_equal(tabs, 8);
  for (int j = 0; j < k; j++) p = strchr(p, '\t') + 1;
  size_t len = strcspn(p, "\t\n");
  assert_true(len < n);
  memcpy(out, p, len);
  out[len] = '\0';
}

static void test_close_boundaries(void **state)
{
  ts_claims *c = ts_claims_open(ts__path);
  assert_non_null(c);
  /* tol = atol + rtol |e| = 0.5 + 0.25 * 2 = 1 (all exact in binary) */
  assert_int_equal(ts_claim_close(c, "a1", "", "", 2.0, "", 3.0, 0.25, 0.5, "", NULL), TS_PASS);
  assert_int_equal(ts_claim_close(c, "a2", "", "", 2.0, "", 1.0, 0.25, 0.5, "", NULL), TS_PASS);
  assert_int_equal(ts_claim_close(c, "a3", "", "", 2.0, "", 3.0000001, 0.25, 0.5, "", NULL), TS_FAIL);
  assert_int_equal(ts_claim_close(c, "a4", "", "", 2.0, "", 0.9999999, 0.25, 0.5, "", NULL), TS_FAIL);
  assert_int_equal(ts_claim_close(c, "a5", "", "", 2.0, "", 3.0000001, 0.25, 0.5, "", "finite size"), TS_XFAIL);
  /* absolute only (expected 0) */
  assert_int_equal(ts_claim_close(c, "b1", "", "", 0.0, "", -0.25, 0.5, 0.25, "", NULL), TS_PASS);
  assert_int_equal(ts_claim_close(c, "b2", "", "", 0.0, "", 0.2500001, 0.5, 0.25, "", NULL), TS_FAIL);
  /* relative only, negative expected: tol = 0.25 * 4 */
  assert_int_equal(ts_claim_close(c, "c1", "", "", -4.0, "", -5.0, 0.25, 0.0, "", NULL), TS_PASS);
  assert_int_equal(ts_claim_close(c, "c2", "", "", -4.0, "", -3.0, 0.25, 0.0, "", NULL), TS_PASS);
  assert_int_equal(ts_claim_close(c, "c3", "", "", -4.0, "", -5.001, 0.25, 0.0, "", NULL), TS_FAIL);
  assert_int_equal(ts_claim_close(c, "c4", "", "", -4.0, "", 4.0, 0.25, 0.0, "", NULL), TS_FAIL);
  /* a passing claim with an xfail note is a PASS */
  assert_int_equal(ts_claim_close(c, "d1", "", "", 1.0, "", 1.0, 0.0, 0.0, "", "should not matter"), TS_PASS);
  /* non-finite measured: FAIL, whatever the tolerance or note */
  assert_int_equal(ts_claim_close(c, "n1", "", "", 1.0, "", NAN, 1e300, 1e300, "", NULL), TS_FAIL);
  assert_int_equal(ts_claim_close(c, "n2", "", "", 1.0, "", -NAN, 1.0, 1.0, "", "a note"), TS_FAIL);
  assert_int_equal(ts_claim_close(c, "n3", "", "", 1.0, "", INFINITY, 1e300, 1e300, "", NULL), TS_FAIL);
  assert_int_equal(ts_claim_close(c, "n4", "", "", INFINITY, "", INFINITY, 1.0, 1.0, "", NULL), TS_FAIL);
  int counts[4] = {-1, -1, -1, -1};
  assert_int_equal(ts_claims_finish(c, counts), TS_OK);
  assert_int_equal(counts[TS_PASS], 6);
  assert_int_equal(counts[TS_FAIL], 9);
  assert_int_equal(counts[TS_XFAIL], 1);
  assert_int_equal(counts[TS_SKIP], 0);

  char *s = ts_test_slurp(ts__path);
  assert_int_equal(strncmp(s, ts__header, strlen(ts__header)), 0);
  char f[512];
  const char *verdicts[] = {"PASS", "PASS", "FAIL", "FAIL", "XFAIL", "PASS", "FAIL", "PASS",
                            "PASS", "FAIL", "FAIL", "PASS", "FAIL", "FAIL", "FAIL", "FAIL"};
  for (int r = 0; r < 16; r++) {
    ts__field(s, r + 1, 7, f, sizeof f);
    assert_string_equal(f, verdicts[r]);
  }
  ts__field(s, 1, 3, f, sizeof f);
  assert_string_equal(f, "2");
  ts__field(s, 3, 5, f, sizeof f);
  assert_string_equal(f, "3");          /* %.6g */
  ts__field(s, 5, 8, f, sizeof f);
  assert_non_null(strstr(f, "finite size")); /* XFAIL note kept */
  ts__field(s, 13, 5, f, sizeof f);
  assert_string_equal(f, "nan");
  ts__field(s, 14, 5, f, sizeof f);
  assert_string_equal(f, "nan");        /* never "-nan" */
  ts__field(s, 15, 5, f, sizeof f);
  assert_string_equal(f, "inf");
  ts__field(s, 16, 3, f, sizeof f);
  assert_string_equal(f, "inf");
  /* exactly 16 rows */
  int lines = 0;
  for (const char *p = s; *p; p++) lines += *p == '\n';
  assert_int_equal(lines, 17);
  free(s);
}

static void test_rows_checks_skips_sanitise(void **state)
{
  ts_claims *c = ts_claims_open(ts__path);
  assert_non_null(c);
  assert_false(ts_test_exists(ts__path)); /* atomic: only the temporary file while open */
  ts_claim_close(c, "g\t1", "Fig. 2a,\neq. (10)", "E_g\r\nplateau", 1.0 / 3.0, "eq.\t(10)", 0.3333339, 1e-3, 0.0,
                 "rtol 1e-3:\tN^-1/2", NULL);
  assert_int_equal(ts_claim_check(c, "k1", "w", "s", "slope 1", "theory", "1.02 +- 0.03", 1, "2 sigma", NULL),
                   TS_PASS);
  assert_int_equal(ts_claim_check(c, "k2", "w", "s", "slope 1", "theory", "1.5 +- 0.03", 0, "2 sigma", NULL),
                   TS_FAIL);
  assert_int_equal(ts_claim_check(c, "k3", "w", "s", "slope 1", "theory", "1.5 +- 0.03", 0, "2 sigma", "why\tso"),
                   TS_XFAIL);
  ts_claim_skip(c, "s1", "Fig. 3", "large N", "full mode\nonly");
  ts_claim_row(c, "r1", "w", "st", "e", "src", "m", "rule", TS_PASS, NULL);
  int counts[4];
  assert_int_equal(ts_claims_finish(c, counts), TS_OK);
  assert_int_equal(counts[TS_PASS], 3);
  assert_int_equal(counts[TS_FAIL], 1);
  assert_int_equal(counts[TS_XFAIL], 1);
  assert_int_equal(counts[TS_SKIP], 1);

  char *s = ts_test_slurp(ts__path);
  char f[512];
  const char *row1[9] = {"g 1",      "Fig. 2a, eq. (10)", "E_g  plateau", "0.333333", "eq. (10)",
                         "0.333334", "rtol 1e-3: N^-1/2", "PASS",         NULL};
  for (int k = 0; k < 8; k++) {
    ts__field(s, 1, k, f, sizeof f);
    assert_string_equal(f, row1[k]);
  }
  ts__field(s, 3, 7, f, sizeof f);
  assert_string_equal(f, "FAIL");
  ts__field(s, 4, 7, f, sizeof f);
  assert_string_equal(f, "XFAIL");
  ts__field(s, 4, 8, f, sizeof f);
  assert_string_equal(f, "why so");
  ts__field(s, 4, 5, f, sizeof f);
  assert_string_equal(f, "1.5 +- 0.03");
  ts__field(s, 5, 7, f, sizeof f);
  assert_string_equal(f, "SKIP");
  ts__field(s, 5, 8, f, sizeof f);
  assert_string_equal(f, "full mode only");
  ts__field(s, 6, 8, f, sizeof f);
  assert_string_equal(f, "");
  free(s);
}

/* ts_claims_undecided: FAIL and XFAIL of finite measurements are written as SKIP with the reason and the verdict the
 * check gave; PASS stays PASS, a non-finite measurement stays FAIL; the functions return the checks' own verdicts. */
static void test_undecided(void **state)
{
  ts_claims *c = ts_claims_open(ts__path);
  assert_non_null(c);
  ts_claims_undecided(c, "smoke mode");
  assert_int_equal(ts_claim_close(c, "p", "w", "s", 1.0, "src", 1.0, 0.0, 0.1, "r", NULL), TS_PASS);
  assert_int_equal(ts_claim_close(c, "f", "w", "s", 1.0, "src", 2.0, 0.0, 0.1, "r", NULL), TS_FAIL);
  assert_int_equal(ts_claim_check(c, "x", "w", "s", "e", "src", "m", 0, "r", "known"), TS_XFAIL);
  assert_int_equal(ts_claim_close(c, "n", "w", "s", 1.0, "src", NAN, 0.0, 0.1, "r", "known"), TS_FAIL);
  int counts[4];
  assert_int_equal(ts_claims_finish(c, counts), TS_OK);
  assert_int_equal(counts[TS_PASS], 1);
  assert_int_equal(counts[TS_FAIL], 1);
  assert_int_equal(counts[TS_XFAIL], 0);
  assert_int_equal(counts[TS_SKIP], 2);
  char *s = ts_test_slurp(ts__path);
  char f[1024];
  const char *want[4] = {"PASS", "SKIP", "SKIP", "FAIL"};
  for (int r = 0; r < 4; r++) {
    ts__field(s, r + 1, 7, f, sizeof f);
    assert_string_equal(f, want[r]);
  }
  ts__field(s, 2, 8, f, sizeof f);
  assert_non_null(strstr(f, "smoke mode"));
  assert_non_null(strstr(f, "gave FAIL"));
  ts__field(s, 2, 5, f, sizeof f);
  assert_string_equal(f, "2"); /* the measurement is kept */
  ts__field(s, 3, 8, f, sizeof f);
  assert_non_null(strstr(f, "gave XFAIL: known"));
  free(s);
}

static void test_discard_and_missing_folder(void **state)
{
  ts_claims *c = ts_claims_open(ts__path);
  assert_non_null(c);
  ts_claim_skip(c, "s1", "w", "st", "why");
  ts_claims_discard(c);
  assert_false(ts_test_exists(ts__path));
  char tmp[200];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", ts__path, (long)getpid());
  assert_false(ts_test_exists(tmp));

  char bad[160];
  snprintf(bad, sizeof bad, "%s/missing/c.claims.tsv", ts__base);
  assert_null(ts_claims_open(bad));
  assert_non_null(strstr(ts_error_last(), bad));
}

static void test_verdict_names(void **state)
{
  assert_string_equal(ts_verdict_name(TS_PASS), "PASS");
  assert_string_equal(ts_verdict_name(TS_FAIL), "FAIL");
  assert_string_equal(ts_verdict_name(TS_XFAIL), "XFAIL");
  assert_string_equal(ts_verdict_name(TS_SKIP), "SKIP");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_close_boundaries, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rows_checks_skips_sanitise, setup, teardown),
      cmocka_unit_test_setup_teardown(test_undecided, setup, teardown),
      cmocka_unit_test_setup_teardown(test_discard_and_missing_folder, setup, teardown),
      cmocka_unit_test(test_verdict_names),
  };
  return cmocka_run_group_tests_name("ts_claim", tests, NULL, NULL);
}
