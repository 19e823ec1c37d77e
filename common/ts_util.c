#include "ts_util.h"

#include "ts_err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <cblas.h>

#ifndef TS_GIT_DESCRIBE
#define TS_GIT_DESCRIBE "unknown"
#endif
#ifndef TS_BUILD_FLAGS
#define TS_BUILD_FLAGS "unknown"
#endif

void ts_logspace(double a, double b, int n, double *out)
{
  if (n <= 0) return;
  if (n == 1) {
    out[0] = b;
    return;
  }
  double la = log(a), lb = log(b);
  out[0] = a;
  for (int i = 1; i < n - 1; i++) out[i] = exp(la + (lb - la) * (double)i / (double)(n - 1));
  out[n - 1] = b;
}

double ts_wall_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

const char *ts_git_describe(void) { return TS_GIT_DESCRIBE; }
const char *ts_build_flags(void) { return TS_BUILD_FLAGS; }
const char *ts_blas_core(void)
{
  const char *c = openblas_get_corename();
  return c && *c ? c : "unknown";
}

/* mkdir one component; success if it exists as a directory afterwards. */
static int ts__mkdir1(const char *path, const char *full)
{
  if (mkdir(path, 0777) == 0) return TS_OK;
  int e = errno;
  struct stat st;
  if (e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return TS_OK;
  if (e == EEXIST) return ts_error(TS_EIO, "cannot create folder %s: %s exists and is not a folder", full, path);
  return ts_error(TS_EIO, "cannot create folder %s: %s: %s", full, path, strerror(e));
}

int ts_mkdir_p(const char *dir)
{
  if (dir == NULL || dir[0] == '\0') return ts_error(TS_EINVAL, "ts_mkdir_p: empty folder name");
  size_t len = strlen(dir);
  char *buf = malloc(len + 1);
  if (buf == NULL) return ts_error(TS_ENOMEM, "ts_mkdir_p: out of memory");
  memcpy(buf, dir, len + 1);
  int status = TS_OK;
  for (size_t i = 1; i < len && status == TS_OK; i++) {
    if (buf[i] != '/' || buf[i - 1] == '/') continue;
    buf[i] = '\0';
    status = ts__mkdir1(buf, dir);
    buf[i] = '/';
  }
  if (status == TS_OK) status = ts__mkdir1(buf, dir);
  free(buf);
  return status;
}
