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

/* Images as doubles, one row of item_size pixels per image, standardised with the *dataset-wide* pixel mean and
 * standard deviation (every pixel of every image pooled: x -> (x - mean) / sd), so that E x_i ~ 0 and the average
 * variance per pixel is 1.  `n_max` <= 0 takes every image.  Returns a malloc'd n * item_size array (free()), the
 * count in *n, and the pooled mean and sd of the raw 0..255 values in *mean, *sd (either may be NULL); NULL on error. */
double *ts_idx_images_standardised(const ts_idx *x, int n_max, int *n, double *mean, double *sd);

#endif
