/* ts_idx — IDX reader over zlib (see ts_idx.h). */
#include "ts_idx.h"
#include "ts_err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int ts__read_exact(gzFile f, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    unsigned chunk = (n - got) > (1u << 30) ? (1u << 30) : (unsigned)(n - got);
    int r = gzread(f, (char *)buf + got, chunk);
    if (r <= 0) return -1;
    got += (size_t)r;
  }
  return 0;
}

ts_idx *ts_idx_read(const char *path) {
  gzFile f = gzopen(path, "rb");
  if (!f) { ts_error(TS_EIO, "cannot open IDX file %s", path); return NULL; }
  unsigned char head[4];
  ts_idx *x = NULL;
  if (ts__read_exact(f, head, 4) != 0) { ts_error(TS_EIO, "%s: shorter than an IDX header", path); goto fail; }
  if (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || head[3] < 1 || head[3] > 4) {
    ts_error(TS_EINVAL, "%s: not an unsigned-byte IDX file (magic %02x %02x %02x %02x)", path, head[0], head[1],
             head[2], head[3]);
    goto fail;
  }
  x = calloc(1, sizeof *x);
  if (!x) { ts_error(TS_ENOMEM, "out of memory reading %s", path); goto fail; }
  x->ndims = head[3];
  x->item_size = 1;
  for (int d = 0; d < x->ndims; d++) {
    unsigned char b[4];
    if (ts__read_exact(f, b, 4) != 0) { ts_error(TS_EIO, "%s: truncated header", path); goto fail; }
    uint32_t v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
    if (v == 0 || v > (1u << 26)) { ts_error(TS_EINVAL, "%s: implausible size %u in dimension %d", path, v, d); goto fail; }
    x->dims[d] = (int)v;
    if (d > 0) x->item_size *= v;
  }
  size_t bytes = (size_t)x->dims[0] * (size_t)x->item_size;
  x->data = malloc(bytes);
  if (!x->data) { ts_error(TS_ENOMEM, "out of memory reading %s (%zu bytes)", path, bytes); goto fail; }
  if (ts__read_exact(f, x->data, bytes) != 0) { ts_error(TS_EIO, "%s: truncated data (expected %zu bytes)", path, bytes); goto fail; }
  unsigned char extra;
  if (gzread(f, &extra, 1) != 0) { ts_error(TS_EINVAL, "%s: trailing bytes after %zu data bytes", path, bytes); goto fail; }
  gzclose(f);
  return x;
fail:
  gzclose(f);
  ts_idx_free(x);
  return NULL;
}

void ts_idx_free(ts_idx *x) {
  if (!x) return;
  free(x->data);
  free(x);
}

static int ts__count(const ts_idx *x, int n_max) { return (n_max > 0 && n_max < x->dims[0]) ? n_max : x->dims[0]; }

int ts_idx_pixel_moments(const ts_idx *x, int n_max, double *pixel_mean, double *scale)
{
  if (!x || x->ndims < 2 || !pixel_mean || !scale) return ts_error(TS_EINVAL, "ts_idx_pixel_moments: not an image file");
  const int cnt = ts__count(x, n_max);
  const long P = x->item_size;
  /* byte sums are exact in integers, so the moments do not depend on the summation order */
  unsigned long long *s1 = calloc((size_t)P, sizeof *s1), *s2 = calloc((size_t)P, sizeof *s2);
  if (!s1 || !s2) { free(s1); free(s2); return ts_error(TS_ENOMEM, "out of memory (%ld pixels)", P); }
  for (int i = 0; i < cnt; i++) {
    const uint8_t *row = x->data + (size_t)i * P;
    for (long j = 0; j < P; j++) { s1[j] += row[j]; s2[j] += (unsigned long long)row[j] * row[j]; }
  }
  double var = 0;
  for (long j = 0; j < P; j++) {
    pixel_mean[j] = (double)s1[j] / cnt;
    var += (double)s2[j] / cnt - pixel_mean[j] * pixel_mean[j];
  }
  free(s1);
  free(s2);
  var /= (double)P;
  if (!(var > 0)) return ts_error(TS_EINVAL, "ts_idx_pixel_moments: constant images");
  *scale = sqrt(var);
  return TS_OK;
}

double *ts_idx_images_standardised(const ts_idx *x, int n_max, const double *pixel_mean, double scale, int *n)
{
  if (!x || x->ndims < 2 || !pixel_mean || !(scale > 0)) {
    ts_error(TS_EINVAL, "ts_idx_images_standardised: not an image file, or no moments");
    return NULL;
  }
  const int cnt = ts__count(x, n_max);
  const long P = x->item_size;
  double *out = malloc((size_t)cnt * (size_t)P * sizeof *out);
  if (!out) { ts_error(TS_ENOMEM, "out of memory (%d images)", cnt); return NULL; }
  for (int i = 0; i < cnt; i++)
    for (long j = 0; j < P; j++) out[(size_t)i * P + j] = ((double)x->data[(size_t)i * P + j] - pixel_mean[j]) / scale;
  if (n) *n = cnt;
  return out;
}
