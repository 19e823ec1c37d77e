#include "ts_table.h"

#include "ts_err.h"
#include "ts_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Library-internal (not in ts_table.h): a table without the provenance header and the wall-time trailer, used by
 * ts_claim.c for its atomically written claims file.  Declared again there. */
ts_table *ts__table_open_bare(const char *path);

struct ts_table {
  FILE *f;
  char *path;   /* final path (NULL for stdout)                          */
  char *tmp;    /* "path.tmp.<pid>" (NULL for stdout)                    */
  double t0;    /* ts_wall_seconds() at open                             */
  int bare;     /* 1: no header, no trailer (claims files)               */
  int ncol;     /* 0 until ts_table_columns                              */
  char **cols;  /* column names: one block holding pointers and strings  */
  int status;   /* first error of a void call or a refused row           */
};

/* Write s with tabs, newlines and carriage returns replaced by spaces. */
static void ts__put_clean(FILE *f, const char *s)
{
  for (; s != NULL && *s != '\0'; s++) {
    char ch = *s;
    putc(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch, f);
  }
}

/* `# <key><sep><formatted text>` on one line, all sanitised; a stack buffer unless the text is long. */
static void ts__vcomment(ts_table *t, const char *key, const char *sep, const char *fmt, va_list ap)
{
  char small[512];
  char *buf = small;
  va_list ap2;
  va_copy(ap2, ap);
  int len = vsnprintf(small, sizeof small, fmt, ap);
  if (len < 0) {
    va_end(ap2);
    if (t->status == TS_OK) t->status = ts_error(TS_EINVAL, "table %s: bad format string", t->path ? t->path : "-");
    return;
  }
  if ((size_t)len >= sizeof small) {
    buf = malloc((size_t)len + 1);
    if (buf == NULL) {
      va_end(ap2);
      if (t->status == TS_OK) t->status = ts_error(TS_ENOMEM, "table %s: out of memory", t->path ? t->path : "-");
      return;
    }
    vsnprintf(buf, (size_t)len + 1, fmt, ap2);
  }
  va_end(ap2);
  fputs("# ", t->f);
  ts__put_clean(t->f, key);
  ts__put_clean(t->f, sep);
  ts__put_clean(t->f, buf);
  putc('\n', t->f);
  if (buf != small) free(buf);
}

static void ts__meta(ts_table *t, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ts__meta(ts_table *t, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  ts__vcomment(t, key, "=", fmt, ap);
  va_end(ap);
}

static void ts__free(ts_table *t)
{
  free(t->path);
  free(t->tmp);
  free(t->cols);
  free(t);
}

static char *ts__strdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d != NULL) memcpy(d, s, n);
  return d;
}

static ts_table *ts__open(const char *path, int bare)
{
  if (path == NULL || path[0] == '\0') {
    ts_error(TS_EINVAL, "ts_table_open: empty path");
    return NULL;
  }
  ts_table *t = calloc(1, sizeof *t);
  if (t == NULL) {
    ts_error(TS_ENOMEM, "ts_table_open %s: out of memory", path);
    return NULL;
  }
  t->bare = bare;
  t->t0 = ts_wall_seconds();
  if (strcmp(path, "-") == 0) {
    t->f = stdout;
    return t;
  }
  size_t n = strlen(path) + 32;
  t->path = ts__strdup(path);
  t->tmp = malloc(n);
  if (t->path == NULL || t->tmp == NULL) {
    ts__free(t);
    ts_error(TS_ENOMEM, "ts_table_open %s: out of memory", path);
    return NULL;
  }
  snprintf(t->tmp, n, "%s.tmp.%ld", path, (long)getpid());
  t->f = fopen(t->tmp, "w");
  if (t->f == NULL) {
    int e = errno;
    ts_error(TS_EIO, "cannot write %s (temporary %s): %s", path, t->tmp, strerror(e));
    ts__free(t);
    return NULL;
  }
  return t;
}

ts_table *ts__table_open_bare(const char *path) { return ts__open(path, 1); }

ts_table *ts_table_open(const char *path, const char *program)
{
  ts_table *t = ts__open(path, 0);
  if (t == NULL) return NULL;
  ts__meta(t, "program", "%s", program ? program : "unknown");
  ts__meta(t, "git", "%s", ts_git_describe());
  ts__meta(t, "build_flags", "%s", ts_build_flags());
  ts__meta(t, "blas", "OpenBLAS %s", ts_blas_core());
  return t;
}

void ts_table_meta(ts_table *t, const char *key, const char *fmt, ...)
{
  if (t == NULL) return;
  va_list ap;
  va_start(ap, fmt);
  ts__vcomment(t, key, "=", fmt, ap);
  va_end(ap);
}

void ts_table_comment(ts_table *t, const char *fmt, ...)
{
  if (t == NULL) return;
  va_list ap;
  va_start(ap, fmt);
  ts__vcomment(t, "", "", fmt, ap);
  va_end(ap);
}

void ts_table_columns(ts_table *t, int n, const char *const *names)
{
  if (t == NULL) return;
  if (t->ncol != 0 || n <= 0 || names == NULL) {
    if (t->status == TS_OK)
      t->status = ts_error(TS_EINVAL, "table %s: ts_table_columns called %s", t->path ? t->path : "-",
                           t->ncol != 0 ? "twice" : "with no columns");
    return;
  }
  size_t bytes = (size_t)n * sizeof(char *);
  for (int j = 0; j < n; j++) bytes += strlen(names[j] ? names[j] : "") + 1;
  t->cols = malloc(bytes);
  if (t->cols == NULL) {
    if (t->status == TS_OK) t->status = ts_error(TS_ENOMEM, "table %s: out of memory", t->path ? t->path : "-");
    return;
  }
  char *s = (char *)(t->cols + n);
  for (int j = 0; j < n; j++) {
    const char *name = names[j] ? names[j] : "";
    size_t len = strlen(name) + 1;
    memcpy(s, name, len);
    t->cols[j] = s;
    s += len;
    if (j > 0) putc('\t', t->f);
    ts__put_clean(t->f, name);
  }
  putc('\n', t->f);
  t->ncol = n;
}

int ts_table_row(ts_table *t, int n, const double *x)
{
  if (t == NULL) return ts_error(TS_EINVAL, "ts_table_row: no table");
  const char *where = t->path ? t->path : "-";
  if (t->ncol == 0 || n != t->ncol) {
    int code = ts_error(TS_EINVAL, "table %s: row of %d values but %d columns", where, n, t->ncol);
    if (t->status == TS_OK) t->status = code;
    return code;
  }
  for (int j = 0; j < n; j++) {
    if (isnan(x[j])) {
      int code = ts_error(TS_EDIVERGE, "table %s: NaN in column %s refused (detect and name the divergence first)",
                          where, t->cols[j]);
      if (t->status == TS_OK) t->status = code;
      return code;
    }
  }
  for (int j = 0; j < n; j++) {
    if (j > 0) putc('\t', t->f);
    if (isinf(x[j]))
      fputs(x[j] > 0 ? "inf" : "-inf", t->f);
    else
      fprintf(t->f, "%.12g", x[j]);
  }
  putc('\n', t->f);
  return TS_OK;
}

FILE *ts_table_stream(ts_table *t) { return t ? t->f : NULL; }

void ts_table_discard(ts_table *t)
{
  if (t == NULL) return;
  if (t->tmp != NULL) {
    fclose(t->f);
    remove(t->tmp);
  } else {
    fflush(t->f);
  }
  ts__free(t);
}

int ts_table_close(ts_table *t)
{
  if (t == NULL) return ts_error(TS_EINVAL, "ts_table_close: no table");
  int status = t->status;
  if (status != TS_OK) {
    ts_error(status, "%s not written: an earlier error (see above)", t->path ? t->path : "table -");
    ts_table_discard(t);
    return status;
  }
  if (!t->bare) fprintf(t->f, "# wall_seconds=%.3f\n", ts_wall_seconds() - t->t0);
  errno = 0;
  int bad = fflush(t->f) != 0 || ferror(t->f);
  int e = errno != 0 ? errno : EIO;
  if (t->tmp == NULL) { /* stdout: nothing to rename */
    ts__free(t);
    return bad ? ts_error(TS_EIO, "writing the table to stdout: %s", strerror(e)) : TS_OK;
  }
  if (fclose(t->f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if (!bad && rename(t->tmp, t->path) != 0) {
    bad = 1;
    e = errno;
  }
  if (bad) {
    remove(t->tmp);
    status = ts_error(TS_EIO, "cannot write %s: %s", t->path, strerror(e));
  }
  ts__free(t);
  return status;
}
