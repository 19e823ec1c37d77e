/* ts_idx — read IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not, through zlib.
 *
 * An IDX file is a 4-byte magic (0, 0, type, ndims) followed by ndims big-endian uint32 sizes and the data.  Only
 * type 0x08 (unsigned byte) is used by the datasets here: images (ndims = 3: n, rows, cols) and labels (ndims = 1).
 * Debian's `dataset-fashion-mnist` installs them as TS_FASHION_MNIST_DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz.
 */
#ifndef TS_IDX_H
#define TS_IDX_H

#include <stdint.h>

#define TS_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

typedef struct {
  int ndims;          /* 1..4                                         */
  int dims[4];        /* sizes; dims[0] is the number of items          */
  long item_size;     /* product of dims[1..ndims-1] (1 for labels)     */
  uint8_t *data;      /* dims[0] * item_size bytes, row-major; owned   */
} ts_idx;

/* Read the whole file at `path` (gzip or plain; zlib detects which).  Returns NULL with one ts_error line if the file
 * is missing, truncated, not type 0x08, or has sizes that do not match its length; free with ts_idx_free. */
ts_idx *ts_idx_read(const char *path);
void ts_idx_free(ts_idx *x);

/* Per-pixel means and the pooled scale of the first n images (n_max <= 0: all): pixel_mean[j] (caller allocates
 * item_size entries) is pixel j's mean, and *scale = sqrt(mean over pixels of pixel j's variance), so that
 * (x - pixel_mean) / scale has mean 0 in every pixel and average per-pixel variance 1 ("centred and scaled to unit
 * variance").  Computed once on a training set and applied to its test set.  TS_OK, or TS_EINVAL (not images,
 * constant images). */
int ts_idx_pixel_moments(const ts_idx *x, int n_max, double *pixel_mean, double *scale);

/* The first n images (n_max <= 0: all) as doubles, (x_j - pixel_mean[j]) / scale, one row of item_size pixels per
 * image: a malloc'd n * item_size array (free()) with the count in *n; NULL on error. */
double *ts_idx_images_standardised(const ts_idx *x, int n_max, const double *pixel_mean, double scale, int *n);

#endif
