/* Tests of ts_cli: values of every type land in their destination in both "--x=1" and "--x 1" forms (and "-N 784",
 * "-K=5"), seen flags; every bad input (unknown option, prefix of a name, wrong case, missing value, "abc", trailing
 * junk, empty, 1e400, nan, inf, int overflow, negative or too large u64, value given to a flag, positional
 * argument, "-") returns 2 with nothing on stdout and exactly ONE line "prog: error: ..." on stderr; --help and -h
 * return 1 with the options and defaults on stdout; ts_cli_fail; ts_fig_args_check (mode, threads, outdir). */
#include "ts_test.h"

#include "ts_cli.h"
#include "ts_err.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static char ts__out[8192], ts__err[8192];

static void ts__read(FILE *f, char *buf, size_t n)
{
  rewind(f);
  size_t k = fread(buf, 1, n - 1, f);
  buf[k] = '\0';
  fclose(f);
}

typedef struct {
  double lr;
  int n, k, verbose;
  long steps;
  uint64_t seed;
  const char *name;
} ts__vals;

static ts__vals v;

static void ts__defaults(void)
{
  v.lr = 0.5;
  v.n = 100;
  v.k = 2;
  v.verbose = 0;
  v.steps = 1000;
  v.seed = 7;
  v.name = "none";
}

static ts_opt opts[] = {
    {"--lr", TS_OPT_DOUBLE, &v.lr, "learning rate", 0},
    {"-N", TS_OPT_INT, &v.n, "input dimension", 0},
    {"-K", TS_OPT_INT, &v.k, "student hidden units", 0},
    {"--steps", TS_OPT_LONG, &v.steps, "SGD steps", 0},
    {"--seed", TS_OPT_U64, &v.seed, "seed", 0},
    {"--name", TS_OPT_STRING, &v.name, "a name", 0},
    {"--verbose", TS_OPT_FLAG, &v.verbose, "more output", 0},
    {NULL, 0, NULL, NULL, 0},
};

static int ts__kind; /* 0: parse, 1: ts_cli_fail, 2: fig args check */
static ts_fig_args *ts__fa;

/* Runs the call selected by ts__kind with stdout and stderr captured (dup2 onto temporary files) into ts__out and
 * ts__err. */
static int ts__run(int argc, char **argv)
{
  fflush(stdout);
  fflush(stderr);
  FILE *fo = tmpfile(), *fe = tmpfile();
  assert_non_null(fo);
  assert_non_null(fe);
  int so = dup(1), se = dup(2);
  dup2(fileno(fo), 1);
  dup2(fileno(fe), 2);
  int rc;
  if (ts__kind == 0)
    rc = ts_cli_parse(argc, argv, opts, "test program for ts_cli");
  else if (ts__kind == 1)
    rc = ts_cli_fail("bad value %d\nsecond", 3);
  else
    rc = ts_fig_args_check(ts__fa);
  fflush(stdout);
  fflush(stderr);
  dup2(so, 1);
  dup2(se, 2);
  close(so);
  close(se);
  ts__read(fo, ts__out, sizeof ts__out);
  ts__read(fe, ts__err, sizeof ts__err);
  return rc;
}

/* ts__run on {"/usr/local/bin/prog", args..., NULL}. */
static int ts__runv(const char *a1, ...)
{
  char *argv[8] = {"/usr/local/bin/prog"};
  int argc = 1;
  va_list ap;
  va_start(ap, a1);
  for (const char *s = a1; s != NULL && argc < 8; s = va_arg(ap, const char *)) argv[argc++] = (char *)s;
  va_end(ap);
  return ts__run(argc, argv);
}
#define RUN(...) ts__runv(__VA_ARGS__, (const char *)NULL)

/* Exactly one line on stderr, "prog: error: ...", nothing on stdout. */
static void ts__one_error_line(void)
{
  if (strncmp(ts__err, "prog: error: ", 13) != 0 || strchr(ts__err, '\n') == NULL ||
      strchr(ts__err, '\n')[1] != '\0' || ts__out[0] != '\0') {
    print_error("stderr: [%s]\nstdout: [%s]\n", ts__err, ts__out);
    fail();
  }
}

static void test_values_land(void **state)
{
  ts__kind = 0;
  ts__defaults();
  char *argv[] = {"prog", "--lr=0.125", "-N", "784", "--steps", "100000000000", "--seed=18446744073709551615",
                  "--name", "hello world", "--verbose", "-K=5"};
  assert_int_equal(ts__run(11, argv), 0);
  assert_string_equal(ts__out, "");
  assert_string_equal(ts__err, "");
  assert_true(v.lr == 0.125);
  assert_int_equal(v.n, 784);
  assert_int_equal(v.k, 5);
  assert_true(v.steps == 100000000000L);
  assert_true(v.seed == UINT64_MAX);
  assert_string_equal(v.name, "hello world");
  assert_int_equal(v.verbose, 1);
  assert_true(ts_cli_seen(opts, "--lr") && ts_cli_seen(opts, "-N") && ts_cli_seen(opts, "-K"));
  assert_true(ts_cli_seen(opts, "--verbose"));

  /* the other forms; unseen options keep their defaults and are not seen */
  ts__defaults();
  char *argv2[] = {"prog", "--lr", "-2.5e-3", "-N=3", "--seed", "0"};
  assert_int_equal(ts__run(6, argv2), 0);
  assert_true(v.lr == -2.5e-3);
  assert_int_equal(v.n, 3);
  assert_true(v.seed == 0);
  assert_int_equal(v.k, 2);
  assert_int_equal(v.verbose, 0);
  assert_false(ts_cli_seen(opts, "-K"));
  assert_false(ts_cli_seen(opts, "--verbose"));
  assert_true(ts_cli_seen(opts, "--seed"));
  assert_false(ts_cli_seen(opts, "--nonexistent"));

  /* no arguments at all */
  char *argv3[] = {"prog"};
  assert_int_equal(ts__run(1, argv3), 0);
  assert_false(ts_cli_seen(opts, "--lr"));
}

static void test_bad_inputs(void **state)
{
  ts__kind = 0;
  static const char *const bad[][3] = {
      {"--bogus", NULL, NULL},       {"--l", "1", NULL},         /* prefix is not a match */
      {"-n", "5", NULL},             /* case matters */          {"--lr", NULL, NULL},
      {"--name", NULL, NULL},        {"--lr", "abc", NULL},      {"--lr", "1.5x", NULL},
      {"--lr=", NULL, NULL},         {"--lr", "", NULL},         {"--lr", " 1", NULL},
      {"--lr", "1e400", NULL},       {"--lr", "-1e400", NULL},   {"--lr", "1e-400", NULL},
      {"--lr", "nan", NULL},         {"--lr=inf", NULL, NULL},   {"--lr", "-Infinity", NULL},
      {"-N", "abc", NULL},           {"-N", "1.5", NULL},        {"-N", "99999999999", NULL},
      {"-N", "0x10", NULL},          {"--steps", "99999999999999999999999", NULL},
      {"--seed", "-1", NULL},        {"--seed", " -1", NULL},    {"--seed", "+-1", NULL},
      {"--seed", "18446744073709551616", NULL},                  {"--verbose=1", NULL, NULL},
      {"positional", NULL, NULL},    {"-", NULL, NULL},          {"--", NULL, NULL},
      {"-NK", NULL, NULL},           {"--lr", "1\n2", NULL},     {"-N", "5", "extra"},
      {"--bogus\nline", NULL, NULL},
  };
  int nbad = (int)(sizeof bad / sizeof bad[0]);
  for (int c = 0; c < nbad; c++) {
    char *argv[4] = {"/usr/local/bin/prog", NULL, NULL, NULL};
    int argc = 1;
    for (int j = 0; j < 3 && bad[c][j] != NULL; j++) argv[argc++] = (char *)bad[c][j];
    int rc = ts__run(argc, argv);
    if (rc != 2) {
      print_error("case %d (%s %s): returned %d\n", c, bad[c][0], bad[c][1] ? bad[c][1] : "", rc);
      fail();
    }
    ts__one_error_line();
  }
  /* the message says what is wrong */
  RUN("--lr", "abc");
  assert_non_null(strstr(ts__err, "--lr"));
  assert_non_null(strstr(ts__err, "abc"));
  RUN("--bogus");
  assert_non_null(strstr(ts__err, "unknown option '--bogus'"));
  RUN("-N", "5", "data.tsv");
  assert_non_null(strstr(ts__err, "unexpected argument 'data.tsv'"));
  RUN("--seed", "-1");
  assert_non_null(strstr(ts__err, "--seed"));
  RUN("--lr");
  assert_non_null(strstr(ts__err, "needs a value"));
}

static void test_help(void **state)
{
  ts__kind = 0;
  ts__defaults();
  assert_int_equal(RUN("--help"), 1);
  assert_string_equal(ts__err, "");
  assert_non_null(strstr(ts__out, "usage: prog"));
  assert_non_null(strstr(ts__out, "test program for ts_cli"));
  for (const ts_opt *o = opts; o->name != NULL; o++) {
    const char *p = strstr(ts__out, o->name);
    assert_non_null(p);
    assert_non_null(strstr(p, o->help));
  }
  assert_non_null(strstr(ts__out, "(default: 0.5)"));
  assert_non_null(strstr(ts__out, "(default: 100)"));
  assert_non_null(strstr(ts__out, "(default: none)"));
  assert_int_equal(RUN("-h"), 1);
  assert_non_null(strstr(ts__out, "usage: prog"));
  assert_int_equal(RUN("--lr", "0.25", "--help"), 1);
  assert_non_null(strstr(ts__out, "(default: 0.25)"));
  assert_string_equal(ts__err, "");
}

static void test_fail(void **state)
{
  char *argv[] = {"/x/prog"};
  ts__kind = 0;
  assert_int_equal(ts__run(1, argv), 0); /* sets the program name */
  ts__kind = 1;
  assert_int_equal(ts__run(0, NULL), 2);
  ts__one_error_line();
  assert_non_null(strstr(ts__err, "bad value 3"));
}

static void test_fig_args(void **state)
{
  char *argv[] = {"/x/prog"};
  ts__kind = 0;
  assert_int_equal(ts__run(1, argv), 0);

  char base[] = "/tmp/ts_test_cli.XXXXXX";
  assert_non_null(mkdtemp(base));
  char out[128];
  snprintf(out, sizeof out, "%s/data/paper", base);
  ts_fig_args a = {"fast", out, 1, 0};
  ts__fa = &a;
  ts__kind = 2;
  assert_int_equal(ts__run(0, NULL), 0);
  assert_string_equal(ts__err, "");
  struct stat st;
  assert_int_equal(stat(out, &st), 0);
  assert_true(S_ISDIR(st.st_mode));

  a.mode = "slow";
  assert_int_equal(ts__run(0, NULL), 2);
  ts__one_error_line();
  a.mode = "smoke";
  a.threads = -1;
  assert_int_equal(ts__run(0, NULL), 2);
  ts__one_error_line();
  a.threads = 0;
  a.mode = NULL;
  assert_int_equal(ts__run(0, NULL), 0);
  assert_string_equal(a.mode, "fast");
#ifdef _OPENMP
  a.threads = 3;
  a.mode = "full";
  assert_int_equal(ts__run(0, NULL), 0);
  assert_int_equal(omp_get_max_threads(), 3);
#endif
  /* outdir blocked by a file */
  char file[128];
  snprintf(file, sizeof file, "%s/f", base);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  char blocked[160];
  snprintf(blocked, sizeof blocked, "%s/sub", file);
  a.outdir = blocked;
  a.threads = 0;
  assert_int_equal(ts__run(0, NULL), 2);
  ts__one_error_line();

  remove(file);
  rmdir(out);
  snprintf(out, sizeof out, "%s/data", base);
  rmdir(out);
  assert_int_equal(rmdir(base), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values_land), cmocka_unit_test(test_bad_inputs), cmocka_unit_test(test_help),
      cmocka_unit_test(test_fail),        cmocka_unit_test(test_fig_args),
  };
  return cmocka_run_group_tests_name("ts_cli", tests, NULL, NULL);
}
