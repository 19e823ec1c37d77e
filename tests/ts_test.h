/* ts_test — what every cmocka test of the suite includes.
 * Debian's cmocka 1.1.5 needs <stdarg.h> <stddef.h> <stdint.h> <setjmp.h> before <cmocka.h>; its
 * assert_float_equal casts to float, so floating comparisons use assert_close (relative and absolute tolerance,
 * printing both numbers on failure). */
#ifndef TS_TEST_H
#define TS_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cmocka.h>

/* |got - want| <= atol + rtol |want|; NaN never passes. */
#define assert_close(got, want, rtol, atol) ts__assert_close((got), (want), (rtol), (atol), #got, __FILE__, __LINE__)

static inline void ts__assert_close(double got, double want, double rtol, double atol, const char *expr,
                                    const char *file, int line)
{
  double err = fabs(got - want);
  if (!(err <= atol + rtol * fabs(want))) {
    print_error("%s = %.17g, want %.17g (|diff| %.3g > atol %.3g + rtol %.3g * |want|)\n", expr, got, want, err,
                atol, rtol);
    _fail(file, line);
  }
}

/* 1 if path exists. */
static inline int ts_test_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* The first 64 KiB of a file as a malloc'd string (the test fails if it cannot be read). */
static inline char *ts_test_slurp(const char *path)
{
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char *buf = malloc(1 << 16);
  assert_non_null(buf);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

#endif
