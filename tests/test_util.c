/* Tests of ts_util: log-spaced grids (exact endpoints, constant ratio), the monotonic clock, provenance strings,
 * mkdir -p (nested, existing, blocked by a file). */
#include "ts_test.h"

#include "ts_err.h"
#include "ts_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void test_logspace_endpoints_and_ratio(void **state)
{
  double x[7];
  ts_logspace(1e-3, 10.0, 7, x);
  assert_true(x[0] == 1e-3); /* exact, not exp(log(a)) */
  assert_true(x[6] == 10.0);
  double r = pow(10.0 / 1e-3, 1.0 / 6.0);
  for (int i = 1; i < 7; i++) assert_close(x[i] / x[i - 1], r, 1e-12, 0.0);
  assert_close(x[3], sqrt(1e-3 * 10.0), 1e-12, 0.0);
}

static void test_logspace_small_n(void **state)
{
  double x[2] = {0, 0};
  ts_logspace(0.3, 7.0, 2, x);
  assert_true(x[0] == 0.3 && x[1] == 7.0);
  double y[1] = {0};
  ts_logspace(0.3, 7.0, 1, y);
  assert_true(y[0] == 7.0);
  /* endpoints whose exp(log()) round-trip is inexact */
  double z[5];
  ts_logspace(0.1, 0.7, 5, z);
  assert_true(z[0] == 0.1 && z[4] == 0.7);
  for (int i = 1; i < 5; i++) assert_true(z[i] > z[i - 1]);
}

static void test_wall_seconds(void **state)
{
  double t0 = ts_wall_seconds();
  struct timespec d = {0, 20000000L};
  nanosleep(&d, NULL);
  double t1 = ts_wall_seconds();
  assert_true(t1 - t0 >= 0.019);
  assert_true(t1 - t0 < 5.0);
}

static void test_provenance_strings(void **state)
{
  assert_non_null(ts_git_describe());
  assert_non_null(ts_build_flags());
  assert_true(strlen(ts_git_describe()) > 0);
  assert_true(strlen(ts_build_flags()) > 0);
}

/* The kernel family OpenBLAS reports is the one asked for through OPENBLAS_CORETYPE (which the Makefile sets on
 * AVX-512 machines): a misspelt or ignored request would silently run other kernels. */
static void test_blas_core(void **state)
{
  const char *want = getenv("OPENBLAS_CORETYPE"), *got = ts_blas_core();
  assert_non_null(got);
  assert_true(strlen(got) > 0);
  if (want && *want) assert_int_equal(strcasecmp(got, want), 0);
  else assert_string_not_equal(got, "unknown");
}

static int ts__is_dir(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_mkdir_p(void **state)
{
  char base[] = "/tmp/ts_test_util.XXXXXX";
  assert_non_null(mkdtemp(base));
  char p[256];
  snprintf(p, sizeof p, "%s/a/b//c/", base);
  assert_int_equal(ts_mkdir_p(p), TS_OK);
  snprintf(p, sizeof p, "%s/a/b/c", base);
  assert_true(ts__is_dir(p));
  assert_int_equal(ts_mkdir_p(p), TS_OK); /* existing: fine */

  /* a file in the way: TS_EIO naming the path */
  char f[256];
  snprintf(f, sizeof f, "%s/file", base);
  FILE *fp = fopen(f, "w");
  assert_non_null(fp);
  fclose(fp);
  snprintf(p, sizeof p, "%s/file/sub", base);
  ts_error_quiet(1);
  assert_int_equal(ts_mkdir_p(p), TS_EIO);
  assert_non_null(strstr(ts_error_last(), p));
  assert_int_equal(ts_mkdir_p(f), TS_EIO);
  assert_int_equal(ts_mkdir_p(""), TS_EINVAL);
  ts_error_quiet(0);

  remove(f);
  snprintf(p, sizeof p, "%s/a/b/c", base);
  rmdir(p);
  snprintf(p, sizeof p, "%s/a/b", base);
  rmdir(p);
  snprintf(p, sizeof p, "%s/a", base);
  rmdir(p);
  assert_int_equal(rmdir(base), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_logspace_endpoints_and_ratio),
      cmocka_unit_test(test_logspace_small_n),
      cmocka_unit_test(test_wall_seconds),
      cmocka_unit_test(test_provenance_strings),
      cmocka_unit_test(test_blas_core),
      cmocka_unit_test(test_mkdir_p),
  };
  return cmocka_run_group_tests_name("ts_util", tests, NULL, NULL);
}
