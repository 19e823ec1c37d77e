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

double *ts_idx_images_standardised(const ts_idx *x, int n_max, int *n, double *mean, double *sd) {
  if (!x || x->ndims < 2) { ts_error(TS_EINVAL, "ts_idx_images_standardised: not an image file"); return NULL; }
  int cnt = (n_max > 0 && n_max < x->dims[0]) ? n_max : x->dims[0];
  size_t len = (size_t)cnt * (size_t)x->item_size;
  /* the pooled moments are those of the images actually returned; sums of bytes are exact in integers */
  unsigned long long s1 = 0, s2 = 0;
  for (size_t i = 0; i < len; i++) { s1 += x->data[i]; s2 += (unsigned long long)x->data[i] * x->data[i]; }
  double mu = (double)s1 / (double)len;
  double var = (double)s2 / (double)len - mu * mu;
  if (!(var > 0)) { ts_error(TS_EINVAL, "ts_idx_images_standardised: constant images"); return NULL; }
  double s = sqrt(var);
  double *out = malloc(len * sizeof *out);
  if (!out) { ts_error(TS_ENOMEM, "out of memory (%zu pixels)", len); return NULL; }
  for (size_t i = 0; i < len; i++) out[i] = ((double)x->data[i] - mu) / s;
  if (n) *n = cnt;
  if (mean) *mean = mu;
  if (sd) *sd = s;
  return out;
}
