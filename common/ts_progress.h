/* ts_progress — progress and ETA on stderr for long runs (printed only when stderr is a terminal or
 * TS_PROGRESS=1; at most twice a second).  Safe to call from several OpenMP threads. */
#ifndef TS_PROGRESS_H
#define TS_PROGRESS_H

typedef struct ts_progress ts_progress;

ts_progress *ts_progress_start(const char *label, double total);
/* Add `amount` of work done. */
void ts_progress_add(ts_progress *p, double amount);
/* Final line with the elapsed time; frees p. */
void ts_progress_end(ts_progress *p);

#endif
