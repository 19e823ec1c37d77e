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
/* mkdir -p; TS_OK or TS_EIO (message reported). */
int ts_mkdir_p(const char *dir);

#endif
