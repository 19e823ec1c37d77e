/* ts_table — tab-separated data files with a provenance header, written atomically.
 *
 * Layout:  `# key=value` lines (program, git, build flags, then the caller's parameters), one line of column
 * names, the rows, and trailer `# wall_seconds=...` written at close.  gnuplot skips the `#` lines.
 * A file path is written to "path.tmp.<pid>" and renamed on ts_table_close, so an interrupted or failed run never
 * leaves a half-written file; "-" writes to stdout directly.
 * Same inputs => identical bytes except the `# wall_seconds=` trailer. */
#ifndef TS_TABLE_H
#define TS_TABLE_H

#include <stdio.h>

typedef struct ts_table ts_table;

/* NULL on failure (reported).  Writes `# program=`, `# git=`, `# build_flags=`, `# blas=`. */
ts_table *ts_table_open(const char *path, const char *program);
void ts_table_meta(ts_table *t, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Column names; call once, after the meta lines. */
void ts_table_columns(ts_table *t, int n, const char *const *names);
/* One row of n numbers (%.12g).  NaN is refused with TS_EDIVERGE (never plotted): the caller must detect and name
 * a divergence before writing.  Inf is written as "inf" (e.g. alpha = inf for a fixed point). */
int ts_table_row(ts_table *t, int n, const double *x);
/* Free-form comment line `# text` (e.g. a note in the middle of the data). */
void ts_table_comment(ts_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finish: trailer, flush, rename into place.  TS_OK; TS_EIO, or the code of an earlier refused row (e.g.
 * TS_EDIVERGE for a NaN): then nothing is left at path. */
int ts_table_close(ts_table *t);
/* Give up: remove the temporary file, write nothing at path. */
void ts_table_discard(ts_table *t);
FILE *ts_table_stream(ts_table *t);

#endif
