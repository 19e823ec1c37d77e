#include "ts_err.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>

static _Thread_local char ts__last[512];
static int ts__quiet = 0;
static const char *ts__prog = "ts";

int ts_error(int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ts__last, sizeof ts__last, fmt, ap);
  va_end(ap);
  if (!ts__quiet) fprintf(stderr, "%s: error: %s\n", ts__prog, ts__last);
  return code;
}

const char *ts_error_last(void) { return ts__last; }
void ts_error_quiet(int quiet) { ts__quiet = quiet; }
void ts_error_set_program(const char *name) { ts__prog = name ? name : "ts"; }
void ts_gsl_errors_off(void) { gsl_set_error_handler_off(); }
