/* The command-line contract of bin/scm-ode and bin/scm-sgd (issue: bad input -> one error line on stderr, exit
 * status 2, nothing on stdout; --help -> exit 0; a good run -> header, columns, rows).
 * Runs the built tools from $TS_BIN (default bin/), from the repository root. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ts_test.h"

typedef struct { int status; char out[65536]; char err[4096]; } run_out;

static const char *bindir(void)
{
  const char *b = getenv("TS_BIN");
  return b && *b ? b : "bin";
}

/* Run "bindir/tool args" through the shell, capturing stdout and stderr into files. */
static void run(const char *tool, const char *args, run_out *r)
{
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s/%s %s >/tmp/ts_test_tools.out.%d 2>/tmp/ts_test_tools.err.%d", bindir(), tool,
           args, (int)getpid(), (int)getpid());
  int st = system(cmd);
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  char path[128];
  snprintf(path, sizeof path, "/tmp/ts_test_tools.out.%d", (int)getpid());
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(r->out, 1, sizeof r->out - 1, f) : 0;
  r->out[n] = 0;
  if (f) fclose(f);
  remove(path);
  snprintf(path, sizeof path, "/tmp/ts_test_tools.err.%d", (int)getpid());
  f = fopen(path, "r");
  n = f ? fread(r->err, 1, sizeof r->err - 1, f) : 0;
  r->err[n] = 0;
  if (f) fclose(f);
  remove(path);
}

static int count_lines(const char *s)
{
  int n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

static void expect_bad(const char *tool, const char *args)
{
  run_out r;
  run(tool, args, &r);
  if (r.status != 2 || r.out[0] != 0 || count_lines(r.err) != 1 || !strstr(r.err, "error"))
    print_error("%s %s: status %d, stdout %zu bytes, stderr '%s'\n", tool, args, r.status, strlen(r.out), r.err);
  assert_int_equal(r.status, 2);
  assert_int_equal(strlen(r.out), 0);
  assert_int_equal(count_lines(r.err), 1);
  assert_non_null(strstr(r.err, tool));
}

static const char *bad_common[] = {
    "--act erf -M 2 -K 2 --lr 0.5 --bogus",   /* unknown flag        */
    "--act erf -M 2 -K 0 --lr 0.5",           /* K < 1               */
    "--act erf -M 0 -K 2 --lr 0.5",           /* M < 1               */
    "--act erf -M 2 -K 2 --lr 0",             /* eta <= 0            */
    "--act erf -M 2 -K 2 --lr -1",            /* eta <= 0            */
    "--act erf -M 2 -K 2 --lr nan",           /* NaN                 */
    "--act erf -M 2 -K 2 --lr 0.5 --sigma -1",/* sigma < 0           */
    "--act erf -M two -K 2 --lr 0.5",         /* non-numeric         */
    "--act erf -M 2 -K 2 --lr 0.5x",          /* trailing garbage    */
    "--act tanh -M 2 -K 2 --lr 0.5",          /* unknown activation  */
    "--act erf -M 2 -K 2 --lr",               /* missing value       */
    "--act erf -M 2 -K 2",                    /* missing --lr        */
    "--act erf -M 2 -K 2 --lr 0.5 extra",     /* positional argument */
};

static void test_scm_ode_bad_input(void **st)
{
  for (size_t i = 0; i < sizeof bad_common / sizeof *bad_common; i++) expect_bad("scm-ode", bad_common[i]);
  expect_bad("scm-ode", "--act relu -M 2 -K 2 --lr 0.5"); /* no closed-form ReLU ODE */
  expect_bad("scm-ode", "--act erf -M 2 -K 2 --lr 0.5 --dt 0");
}

static void test_scm_sgd_bad_input(void **st)
{
  char args[512];
  for (size_t i = 0; i < sizeof bad_common / sizeof *bad_common; i++) {
    snprintf(args, sizeof args, "-N 100 %s", bad_common[i]);
    expect_bad("scm-sgd", args);
  }
  expect_bad("scm-sgd", "-N 1 --act erf -M 2 -K 2 --lr 0.5");  /* N < 2  */
  expect_bad("scm-sgd", "--act erf -M 2 -K 2 --lr 0.5");        /* no N   */
  expect_bad("scm-sgd", "-N 100 --act erf -M 2 -K 2 --lr 0.5 --batch 0");
}

static void test_help(void **st)
{
  run_out r;
  run("scm-ode", "--help", &r);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "--fixed-point"));
  run("scm-sgd", "--help", &r);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "--batch"));
}

/* A good run: header lines, a column line starting alpha<TAB>eg, rows that parse, and the overlaps columns. */
static void check_output(const char *out, int want_overlap_cols)
{
  const char *p = out;
  int header = 0, cols = -1, rows = 0;
  while (*p) {
    const char *e = strchr(p, '\n');
    assert_non_null(e);
    if (*p == '#') header++;
    else if (cols < 0) {
      assert_true(strncmp(p, "alpha\teg", 8) == 0);
      cols = 1;
      for (const char *q = p; q < e; q++) cols += *q == '\t';
    } else {
      int c = 1;
      for (const char *q = p; q < e; q++) c += *q == '\t';
      assert_int_equal(c, cols);
      char *end;
      double a = strtod(p, &end);
      assert_true(end > p && (isfinite(a) || isinf(a)));
      rows++;
    }
    p = e + 1;
  }
  assert_true(header >= 5);
  assert_true(rows >= 2);
  assert_int_equal(cols, 2 + want_overlap_cols);
}

static void test_good_runs(void **st)
{
  run_out r;
  run("scm-ode", "--act erf -M 2 -K 3 --lr 0.5 --alpha 5 --points 10 --overlaps", &r);
  assert_int_equal(r.status, 0);
  check_output(r.out, 6 + 6 + 3);
  run("scm-ode", "--act linear -M 1 -K 2 --lr 0.1 --sigma 0.1 --alpha 50 --adaptive --fixed-point", &r);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "\ninf\t"));
  check_output(r.out, 0);
  run("scm-sgd", "-N 50 --act relu -M 2 -K 2 --lr 0.5 --alpha 2 --points 5 --overlaps --both", &r);
  assert_int_equal(r.status, 0);
  check_output(r.out, 3 + 4 + 2);
  /* same seed: same bytes apart from the wall-time trailer */
  run_out r2;
  run("scm-sgd", "-N 50 --act erf -M 2 -K 2 --lr 0.5 --alpha 2 --seed 7 | grep -v wall_seconds", &r);
  run("scm-sgd", "-N 50 --act erf -M 2 -K 2 --lr 0.5 --alpha 2 --seed 7 | grep -v wall_seconds", &r2);
  assert_string_equal(r.out, r2.out);
  run("scm-sgd", "-N 50 --act erf -M 2 -K 2 --lr 0.5 --alpha 2 --seed 8 | grep -v wall_seconds", &r2);
  assert_string_not_equal(r.out, r2.out);
}

/* A divergent run is named on stderr with its alpha and exits non-zero; no NaN reaches stdout. */
static void test_divergence_named(void **st)
{
  run_out r;
  run("scm-ode", "--act linear -M 1 -K 4 --lr 3 --alpha 100", &r);
  assert_int_not_equal(r.status, 0);
  assert_non_null(strstr(r.err, "diverge"));
  assert_null(strstr(r.out, "nan"));
  run("scm-sgd", "-N 100 --act linear -M 1 -K 4 --lr 5 --alpha 100", &r);
  assert_int_not_equal(r.status, 0);
  assert_non_null(strstr(r.err, "diverge"));
  assert_null(strstr(r.out, "nan"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scm_ode_bad_input), cmocka_unit_test(test_scm_sgd_bad_input),
      cmocka_unit_test(test_help), cmocka_unit_test(test_good_runs), cmocka_unit_test(test_divergence_named),
  };
  return cmocka_run_group_tests_name("tools", tests, NULL, NULL);
}
