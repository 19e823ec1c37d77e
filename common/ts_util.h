/* ts_util — small helpers shared by every program: grids, clocks, provenance strings, folders. */
#ifndef TS_UTIL_H
#define TS_UTIL_H

/* n >= 2 points log-spaced from a to b inclusive (0 < a < b); n == 1 gives {b}. */
void ts_logspace(double a, double b, int n, double *out);
/* Monotonic wall clock in seconds. */
double ts_wall_seconds(void);
/* `git describe --always --dirty` of the build, and the compiler flags it was built with. */
const char *ts_git_describe(void);
const char *ts_build_flags(void);
/* The OpenBLAS kernel family in use (openblas_get_corename: "Haswell", "SkylakeX", ...): GEMM results depend on it
 * in the last bits, so every data header records it (`# blas=`). */
const char *ts_blas_core(void);
/* Make OpenBLAS single-threaded, process-wide.  The suite's programs parallelise over independent runs (OpenMP)
 * and their BLAS/LAPACK calls are small: OpenBLAS's own threads would only add hand-offs, which on a busy machine
 * stall the caller for whole time slices (goldt2020/fig3c: 34 s of CPU in 8.5 min of wall time at load 6), and
 * its thread count must not change the bits.  Called by ts_fig_args_check and the tools' option parser. */
void ts_blas_serial(void);
/* mkdir -p; TS_OK or TS_EIO (message reported). */
int ts_mkdir_p(const char *dir);

#endif
