/* ts_err — one place where library errors are reported.
 *
 * Every libts function that can fail returns an int status (TS_OK = 0) or NULL, after calling ts_error() once with
 * a one-line message.  Set a breakpoint on ts_error to catch any failure.  By default the message goes to stderr
 * prefixed with the program name; ts_error_quiet(1) silences it (tests that provoke errors on purpose). */
#ifndef TS_ERR_H
#define TS_ERR_H

enum {
  TS_OK = 0,
  TS_EINVAL = 1,   /* invalid argument / bad input                       */
  TS_ENOMEM = 2,   /* allocation failed                                   */
  TS_EIO = 3,      /* file or stream error                                */
  TS_EDIVERGE = 4, /* a run diverged (NaN/Inf or norms beyond a bound)    */
  TS_ENOCONV = 5,  /* an iterative solver did not converge                */
  TS_EUNSUP = 6,   /* combination not supported (e.g. ReLU in the ODE)    */
  TS_ELIB = 7      /* an underlying library (GSL, LAPACKE) reported failure */
};

/* Report an error (printf-style); returns `code` so that `return ts_error(TS_EINVAL, "...")` reads naturally. */
int ts_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last message reported (empty string if none). */
const char *ts_error_last(void);
/* 1 = do not print messages (they are still kept for ts_error_last). */
void ts_error_quiet(int quiet);
/* Program name used as prefix of the messages (default "ts"). */
void ts_error_set_program(const char *name);
/* Turn GSL's aborting error handler off; GSL failures then come back as status codes.  Idempotent. */
void ts_gsl_errors_off(void);

#endif
