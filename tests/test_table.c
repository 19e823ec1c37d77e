/* Tests of ts_table: the exact file layout (provenance header, meta lines sanitised, column line, %.12g rows that
 * round-trip, inf text, wall-time trailer); atomicity (only "path.tmp.<pid>" exists while open; an old file is
 * untouched until close); NaN refused naming the column, after which nothing is left at path; missing folder;
 * a write error (file-size limit) gives TS_EIO and leaves nothing; "-" writes to stdout. */
#include "ts_test.h"

#include "ts_err.h"
#include "ts_table.h"
#include "ts_util.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char ts__base[64];

static int setup(void **state)
{
  snprintf(ts__base, sizeof ts__base, "/tmp/ts_test_table.XXXXXX");
  if (mkdtemp(ts__base) == NULL) return -1;
  ts_error_quiet(1);
  return 0;
}

static int teardown(void **state)
{
  DIR *d = opendir(ts__base);
  if (d != NULL) {
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      snprintf(p, sizeof p, "%s/%s", ts__base, e->d_name);
      remove(p);
    }
    closedir(d);
  }
  rmdir(ts__base);
  ts_error_quiet(0);
  return 0;
}

/* Number of entries of the test folder (".", ".." excluded). */
static int ts__entries(void)
{
  DIR *d = opendir(ts__base);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  closedir(d);
  return n;
}

static void test_layout_and_atomic(void **state)
{
  char path[128], tmp[160];
  snprintf(path, sizeof path, "%s/t.tsv", ts__base);
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  ts_table *t = ts_table_open(path, "test_table");
  assert_non_null(t);
  assert_false(ts_test_exists(path));
  assert_true(ts_test_exists(tmp));
  ts_table_meta(t, "N", "%d", 784);
  ts_table_meta(t, "note", "a\tb\nc%s", "\r");
  const char *cols[] = {"alpha", "e\tg", "x"};
  ts_table_columns(t, 3, cols);
  const double rows[4][3] = {{1.0 / 3.0, 0.1, -2.5e-300},
                             {INFINITY, -INFINITY, 123456789.123456789},
                             {0.0, 1e300, -7.0},
                             {4.0 * atan(1.0), exp(1.0), 1e-7}};
  for (int i = 0; i < 4; i++) assert_int_equal(ts_table_row(t, 3, rows[i]), TS_OK);
  ts_table_comment(t, "mid %s", "note\tx");
  assert_false(ts_test_exists(path)); /* still only the temporary file */
  assert_int_equal(ts_table_close(t), TS_OK);
  assert_true(ts_test_exists(path));
  assert_false(ts_test_exists(tmp));
  assert_int_equal(ts__entries(), 1);

  char *s = ts_test_slurp(path);
  char want[1024];
  snprintf(want, sizeof want,
           "# program=test_table\n# git=%s\n# build_flags=%s\n# blas=OpenBLAS %s\n# N=784\n# note=a b c \nalpha\te g\tx\n"
           "0.333333333333\t0.1\t-2.5e-300\n"
           "inf\t-inf\t123456789.123\n"
           "0\t1e+300\t-7\n"
           "3.14159265359\t2.71828182846\t1e-07\n"
           "# mid note x\n"
           "# wall_seconds=",
           ts_git_describe(), ts_build_flags(), ts_blas_core());
  assert_int_equal(strncmp(s, want, strlen(want)), 0);
  /* trailer: a number with 3 decimals and a newline, then the end */
  const char *w = s + strlen(want);
  char *end;
  double ws = strtod(w, &end);
  assert_true(end > w && ws >= 0.0 && ws < 60.0);
  assert_string_equal(end, "\n");
  assert_non_null(strchr(w, '.'));
  assert_int_equal((int)strlen(strchr(w, '.')), 5); /* ".ddd\n" */

  /* rows round-trip through strtod to 12 significant digits */
  char *line = strstr(s, "x\n") + 2;
  for (int i = 0; i < 4; i++) {
    for (int j = 0; j < 3; j++) {
      double v = strtod(line, &end);
      assert_true(end > line);
      if (isinf(rows[i][j]))
        assert_true(v == rows[i][j]);
      else
        assert_close(v, rows[i][j], 5e-12, 0.0);
      assert_true(*end == (j < 2 ? '\t' : '\n'));
      line = end + 1;
    }
  }
  free(s);
}

static void test_nan_refused(void **state)
{
  char path[128];
  snprintf(path, sizeof path, "%s/nan.tsv", ts__base);
  const char *cols[] = {"alpha", "eg"};
  /* close after a refused row: error, nothing left */
  ts_table *t = ts_table_open(path, "test_table");
  assert_non_null(t);
  ts_table_columns(t, 2, cols);
  double ok[2] = {1, 2}, bad[2] = {1, NAN};
  assert_int_equal(ts_table_row(t, 2, ok), TS_OK);
  assert_int_equal(ts_table_row(t, 2, bad), TS_EDIVERGE);
  assert_non_null(strstr(ts_error_last(), "eg"));
  assert_non_null(strstr(ts_error_last(), "NaN"));
  assert_int_not_equal(ts_table_close(t), TS_OK);
  assert_false(ts_test_exists(path));
  assert_int_equal(ts__entries(), 0);
  /* discard after a refused row: nothing left */
  t = ts_table_open(path, "test_table");
  assert_non_null(t);
  ts_table_columns(t, 2, cols);
  double bad0[2] = {-NAN, 0};
  assert_int_equal(ts_table_row(t, 2, bad0), TS_EDIVERGE);
  assert_non_null(strstr(ts_error_last(), "alpha"));
  ts_table_discard(t);
  assert_int_equal(ts__entries(), 0);
}

static void test_bad_rows(void **state)
{
  char path[128];
  snprintf(path, sizeof path, "%s/bad.tsv", ts__base);
  ts_table *t = ts_table_open(path, "test_table");
  assert_non_null(t);
  double x[3] = {1, 2, 3};
  assert_int_equal(ts_table_row(t, 3, x), TS_EINVAL); /* no columns yet */
  const char *cols[] = {"a", "b"};
  ts_table_columns(t, 2, cols);
  assert_int_equal(ts_table_row(t, 3, x), TS_EINVAL); /* wrong count */
  assert_int_not_equal(ts_table_close(t), TS_OK);
  assert_int_equal(ts__entries(), 0);
}

static void test_discard_keeps_old_file(void **state)
{
  char path[128];
  snprintf(path, sizeof path, "%s/old.tsv", ts__base);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("old\n", f);
  fclose(f);
  ts_table *t = ts_table_open(path, "test_table");
  assert_non_null(t);
  const char *cols[] = {"a"};
  ts_table_columns(t, 1, cols);
  double x = 1.0;
  assert_int_equal(ts_table_row(t, 1, &x), TS_OK);
  char *s = ts_test_slurp(path);
  assert_string_equal(s, "old\n"); /* untouched while the new one is being written */
  free(s);
  ts_table_discard(t);
  s = ts_test_slurp(path);
  assert_string_equal(s, "old\n");
  free(s);
  assert_int_equal(ts__entries(), 1);
}

static void test_missing_folder(void **state)
{
  char path[128];
  snprintf(path, sizeof path, "%s/nope/t.tsv", ts__base);
  assert_null(ts_table_open(path, "test_table"));
  assert_non_null(strstr(ts_error_last(), path));
  assert_non_null(strstr(ts_error_last(), "No such file"));
  assert_int_equal(ts__entries(), 0);
}

static void test_write_error(void **state)
{
  char path[128];
  snprintf(path, sizeof path, "%s/big.tsv", ts__base);
  struct rlimit old, small;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
  small = old;
  small.rlim_cur = 4096;
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  ts_table *t = ts_table_open(path, "test_table");
  int status = TS_OK;
  if (t != NULL) {
    const char *cols[] = {"a", "b"};
    ts_table_columns(t, 2, cols);
    double x[2] = {1.0 / 3.0, 2.0 / 3.0};
    for (int i = 0; i < 2000; i++) ts_table_row(t, 2, x);
    status = ts_table_close(t);
  }
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, prev);
  assert_non_null(t);
  assert_int_equal(status, TS_EIO);
  assert_non_null(strstr(ts_error_last(), path));
  assert_int_equal(ts__entries(), 0);
}

static void test_stdout(void **state)
{
  char cap[128];
  snprintf(cap, sizeof cap, "%s/stdout.txt", ts__base);
  fflush(stdout);
  int saved = dup(1);
  FILE *f = fopen(cap, "w");
  assert_non_null(f);
  dup2(fileno(f), 1);
  ts_table *t = ts_table_open("-", "test_table");
  assert_non_null(t);
  assert_ptr_equal(ts_table_stream(t), stdout);
  const char *cols[] = {"a"};
  ts_table_columns(t, 1, cols);
  double x = 0.5;
  ts_table_row(t, 1, &x);
  int status = ts_table_close(t);
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  fclose(f);
  assert_int_equal(status, TS_OK);
  char *s = ts_test_slurp(cap);
  assert_non_null(strstr(s, "# program=test_table\n"));
  assert_non_null(strstr(s, "\na\n0.5\n# wall_seconds="));
  free(s);
  assert_int_equal(ts__entries(), 1); /* no temporary file */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_layout_and_atomic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nan_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(test_discard_keeps_old_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stdout, setup, teardown),
  };
  return cmocka_run_group_tests_name("ts_table", tests, NULL, NULL);
}
