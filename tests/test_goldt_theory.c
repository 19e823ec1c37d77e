/* Tests of papers/goldt2020/lib_theory.c: eq. (10)-(12) of Goldt et al. 2020.
 * The eq. (10) table carries each coefficient twice: as an exact expression in sqrt(n) (comment) and as a number.
 * The transcription test re-evaluates every exact expression with a small parser and compares. */
#include <ctype.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "ts_test.h"
#include "goldt2020/goldt_theory.h"
#include "../papers/goldt2020/lib_theory.c"

/* Evaluate "a*sqrt(b)+c-d*sqrt(e)..." (integers, sqrt of integers, + and -).  Also returns sum |term|, the scale
 * of the rounding error of the (cancelling) sum. */
static double eval_exact(const char *s, double *sumabs)
{
  double sum = 0;
  *sumabs = 0;
  while (*s) {
    while (*s == ' ') s++;
    if (!*s || *s == '*') break;
    double sign = 1;
    if (*s == '+') s++;
    else if (*s == '-') { sign = -1; s++; }
    double coef = 1, val;
    if (isdigit((unsigned char)*s)) {
      coef = strtod(s, (char **)&s);
      if (*s == '*') s++;
      else { val = coef; coef = 1; goto add; }
    }
    assert_true(strncmp(s, "sqrt(", 5) == 0);
    s += 5;
    val = sqrt(strtod(s, (char **)&s));
    assert_true(*s == ')');
    s++;
  add:
    sum += sign * coef * val;
    *sumabs += fabs(coef * val);
  }
  return sum;
}

static void test_eq10_transcription(void **st)
{
  FILE *f = fopen("papers/goldt2020/eq10_table.inc", "r");
  assert_non_null(f);
  char line[1024];
  int rows = 0, counts[4] = {0};
  while (fgets(line, sizeof line, f)) {
    int poly, i, j, k, p;
    double c;
    if (sscanf(line, " {%d, %d, %d, %d, %d, %lf},", &poly, &i, &j, &k, &p, &c) != 6) continue;
    char *cm = strstr(line, "/* ");
    assert_non_null(cm);
    double sumabs, exact = eval_exact(cm + 3, &sumabs);
    /* each term and each addition rounds once: |error| <= 2 DBL_EPSILON sum|terms| */
    assert_close(c, exact, 0, 2 * DBL_EPSILON * sumabs);
    counts[poly]++;
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 68);
  assert_int_equal(counts[0], 42); /* N  */
  assert_int_equal(counts[1], 2);  /* D1 */
  assert_int_equal(counts[2], 5);  /* D2 */
  assert_int_equal(counts[3], 19); /* D3 */
}

/* D1 and D2 as printed in the reference sheet, written out by hand. */
static void test_eq10_d1_d2_closed(void **st)
{
  double s2 = sqrt(2), s3 = sqrt(3), s6 = sqrt(6), s10 = sqrt(10), pi = M_PI;
  for (double M = 1; M <= 4; M++)
    for (double L = 0; L <= 8; L += 2)
      for (double eta = 0.01; eta < 0.3; eta *= 3) {
        double d1 = pi * (6 * s3 - 12) + eta * (14 * s3 - 24);
        double c = 30 + 40 * s2 - 80 * s3 - 10 * s6 + 24 * s10;
        double d2 = 15 * s2 * pi * pi - pi * eta * (15 * s2 * L + 5 * s6 * M + c) + L * eta * eta * c;
        assert_close(goldt_eq10_poly(1, M, L, eta), d1, 1e-13, 0);
        assert_close(goldt_eq10_poly(2, M, L, eta), d2, 1e-13, 0);
      }
}

/* eta -> 0: f -> L + M/sqrt(3) (eq. 11), approached linearly in eta. */
static void test_eq10_small_eta_limit(void **st)
{
  for (int M = 1; M <= 4; M++)
    for (int L = 0; L <= 8; L++) {
      double lim = L + M / sqrt(3.0);
      double d1 = goldt_eq10_f(M, L, 1e-5) - lim, d2 = goldt_eq10_f(M, L, 0.5e-5) - lim;
      assert_close(goldt_eq10_f(M, L, 1e-9), lim, 1e-7, 0);
      assert_close(d2 / d1, 0.5, 1e-3, 0);
      assert_close(goldt_eq11_eps(M, L, 0.01, 0.1), 0.1 * 0.1 * 0.01 / (2 * M_PI) * lim, 1e-14, 0);
    }
}

static void test_eq12(void **st)
{
  assert_close(goldt_eq12_eps(4, 0.05, 0.01), 0.05 * 1e-4 * 4 / (4 - 0.4), 1e-15, 0);
  assert_true(isnan(goldt_eq12_eps(40, 0.1, 0.01))); /* 2 eta K >= 4: no fixed point */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_eq10_transcription),
      cmocka_unit_test(test_eq10_d1_d2_closed),
      cmocka_unit_test(test_eq10_small_eta_limit),
      cmocka_unit_test(test_eq12),
  };
  return cmocka_run_group_tests_name("goldt2020 theory", tests, NULL, NULL);
}
