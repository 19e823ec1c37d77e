#include "ts_cli.h"

#include "ts_err.h"
#include "ts_util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Command-line text quoted in a message: at most 60 characters, control characters shown as '?', so that the error
 * stays on one line. */
static const char *ts__quote(char *buf, size_t n, const char *s)
{
  size_t k = 0;
  for (; s != NULL && *s != '\0' && k + 4 < n && k < 60; s++) buf[k++] = iscntrl((unsigned char)*s) ? '?' : *s;
  if (s != NULL && *s != '\0') {
    buf[k++] = '.';
    buf[k++] = '.';
    buf[k++] = '.';
  }
  buf[k] = '\0';
  return buf;
}

int ts_cli_fail(const char *fmt, ...)
{
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  for (char *p = msg; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  ts_error(TS_EINVAL, "%s", msg); /* "prog: error: msg" on stderr */
  return 2;
}

static int ts__blank_start(const char *s) { return s[0] == '\0' || isspace((unsigned char)s[0]); }

/* Parse value text v into o->dest.  0 or 2 (error printed). */
static int ts__set(const ts_opt *o, const char *v)
{
  char q[72];
  char *end;
  switch (o->type) {
  case TS_OPT_INT:
  case TS_OPT_LONG: {
    if (ts__blank_start(v)) return ts_cli_fail("option %s: '%s' is not an integer", o->name, ts__quote(q, sizeof q, v));
    errno = 0;
    long x = strtol(v, &end, 10);
    if (*end != '\0') return ts_cli_fail("option %s: '%s' is not an integer", o->name, ts__quote(q, sizeof q, v));
    if (errno == ERANGE || (o->type == TS_OPT_INT && (x < INT_MIN || x > INT_MAX)))
      return ts_cli_fail("option %s: %s is out of range", o->name, ts__quote(q, sizeof q, v));
    if (o->type == TS_OPT_INT)
      *(int *)o->dest = (int)x;
    else
      *(long *)o->dest = x;
    return 0;
  }
  case TS_OPT_DOUBLE: {
    if (ts__blank_start(v)) return ts_cli_fail("option %s: '%s' is not a number", o->name, ts__quote(q, sizeof q, v));
    errno = 0;
    double x = strtod(v, &end);
    if (*end != '\0') return ts_cli_fail("option %s: '%s' is not a number", o->name, ts__quote(q, sizeof q, v));
    if (!isfinite(x) && errno != ERANGE)
      return ts_cli_fail("option %s: %s is not a finite number", o->name, ts__quote(q, sizeof q, v));
    if (errno == ERANGE && (!isfinite(x) || x == 0.0))
      return ts_cli_fail("option %s: %s is out of the range of a double", o->name, ts__quote(q, sizeof q, v));
    *(double *)o->dest = x; /* ERANGE with a subnormal result: representable, accepted */
    return 0;
  }
  case TS_OPT_U64: {
    if (ts__blank_start(v) || !isdigit((unsigned char)v[0]))
      return ts_cli_fail("option %s: '%s' is not a non-negative integer", o->name, ts__quote(q, sizeof q, v));
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end != '\0')
      return ts_cli_fail("option %s: '%s' is not a non-negative integer", o->name, ts__quote(q, sizeof q, v));
#if ULLONG_MAX > UINT64_MAX
    if (x > UINT64_MAX) errno = ERANGE;
#endif
    if (errno == ERANGE) return ts_cli_fail("option %s: %s is out of range", o->name, ts__quote(q, sizeof q, v));
    *(uint64_t *)o->dest = (uint64_t)x;
    return 0;
  }
  case TS_OPT_STRING:
    *(const char **)o->dest = v;
    return 0;
  case TS_OPT_FLAG:
    *(int *)o->dest = 1;
    return 0;
  }
  return ts_cli_fail("option %s: unknown option type %d", o->name, (int)o->type);
}

static void ts__help(const char *prog, const ts_opt *opts, const char *usage)
{
  static const char *const meta[] = {"INT", "INT", "NUM", "U64", "STR", ""};
  int w = 10;
  for (const ts_opt *o = opts; o->name != NULL; o++)
    if ((int)strlen(o->name) > w) w = (int)strlen(o->name);
  printf("usage: %s [options]\n", prog);
  if (usage != NULL && usage[0] != '\0') printf("%s\n", usage);
  printf("\noptions:\n");
  for (const ts_opt *o = opts; o->name != NULL; o++) {
    char def[96];
    switch (o->type) {
    case TS_OPT_INT: snprintf(def, sizeof def, "%d", *(const int *)o->dest); break;
    case TS_OPT_LONG: snprintf(def, sizeof def, "%ld", *(const long *)o->dest); break;
    case TS_OPT_DOUBLE: snprintf(def, sizeof def, "%g", *(const double *)o->dest); break;
    case TS_OPT_U64: snprintf(def, sizeof def, "%" PRIu64, *(const uint64_t *)o->dest); break;
    case TS_OPT_STRING: {
      const char *s = *(const char *const *)o->dest;
      snprintf(def, sizeof def, "%s", s == NULL ? "none" : s[0] == '\0' ? "\"\"" : s);
      break;
    }
    case TS_OPT_FLAG: snprintf(def, sizeof def, "%s", *(const int *)o->dest ? "on" : "off"); break;
    default: snprintf(def, sizeof def, "?"); break;
    }
    int t = (int)o->type >= 0 && (int)o->type <= TS_OPT_FLAG ? (int)o->type : TS_OPT_FLAG;
    printf("  %-*s %-4s %s (default: %s)\n", w, o->name, meta[t], o->help ? o->help : "", def);
  }
  printf("  %-*s %-4s %s\n", w, "-h, --help", "", "print this help and exit");
}

static ts_opt *ts__find(ts_opt *opts, const char *name, size_t len)
{
  for (ts_opt *o = opts; o->name != NULL; o++)
    if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
  return NULL;
}

int ts_cli_parse(int argc, char **argv, ts_opt *opts, const char *usage)
{
  const char *prog = "ts";
  if (argc > 0 && argv[0] != NULL && argv[0][0] != '\0') {
    const char *slash = strrchr(argv[0], '/');
    prog = slash != NULL && slash[1] != '\0' ? slash + 1 : argv[0];
  }
  ts_error_set_program(prog);
  for (ts_opt *o = opts; o->name != NULL; o++) o->seen = 0;

  char q[72];
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (arg[0] != '-' || arg[1] == '\0')
      return ts_cli_fail("unexpected argument '%s' (options only; see --help)", ts__quote(q, sizeof q, arg));
    const char *eq = strchr(arg, '=');
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    ts_opt *o = ts__find(opts, arg, len);
    if (o == NULL && eq == NULL && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
      ts__help(prog, opts, usage);
      return 1;
    }
    if (o == NULL) {
      char name[72];
      char full[80];
      snprintf(full, sizeof full, "%.*s", (int)(len < 72 ? len : 72), arg);
      return ts_cli_fail("unknown option '%s' (see --help)", ts__quote(name, sizeof name, full));
    }
    const char *value = NULL;
    if (o->type == TS_OPT_FLAG) {
      if (eq != NULL) return ts_cli_fail("option %s takes no value", o->name);
    } else if (eq != NULL) {
      value = eq + 1;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return ts_cli_fail("option %s needs a value", o->name);
    }
    if (ts__set(o, value) != 0) return 2;
    o->seen = 1;
  }
  return 0;
}

int ts_cli_seen(const ts_opt *opts, const char *name)
{
  for (const ts_opt *o = opts; o->name != NULL; o++)
    if (strcmp(o->name, name) == 0) return o->seen;
  return 0;
}

int ts_fig_args_check(ts_fig_args *a)
{
  char q[72];
  if (a->mode == NULL) a->mode = "fast";
  if (strcmp(a->mode, "fast") != 0 && strcmp(a->mode, "full") != 0 && strcmp(a->mode, "smoke") != 0)
    return ts_cli_fail("--mode must be fast, full or smoke (got '%s')", ts__quote(q, sizeof q, a->mode));
  if (a->threads < 0) return ts_cli_fail("--threads must be >= 0 (got %d)", a->threads);
#ifdef _OPENMP
  if (a->threads > 0) omp_set_num_threads(a->threads);
#endif
  if (a->outdir != NULL && a->outdir[0] != '\0' && ts_mkdir_p(a->outdir) != TS_OK) return 2;
  return 0;
}
