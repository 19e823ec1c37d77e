/* Tests of ts_idx: a hand-made IDX file read back plain and gzip-compressed, every malformed case refused with a
 * message, per-pixel moments and standardisation exact, and (when Debian's dataset-fashion-mnist is installed, as
 * `make deps` ensures) the real Fashion-MNIST files have the published sizes 60000/10000 x 28 x 28 and labels 0..9. */
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ts_err.h"
#include "ts_idx.h"
#include "ts_test.h"

static char dir[] = "/tmp/ts_idx_XXXXXX";

static void write_file(const char *name, const unsigned char *b, size_t n, int gz, char *path)
{
  sprintf(path, "%s/%s", dir, name);
  if (gz) {
    gzFile f = gzopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(gzwrite(f, b, (unsigned)n), (int)n);
    gzclose(f);
  } else {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
  }
}

/* 3 images of 2 x 2 pixels with values 0..11 */
static unsigned char good[16 + 12] = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2};

static void test_read_plain_and_gz(void **st)
{
  for (int i = 0; i < 12; i++) good[16 + i] = (unsigned char)i;
  char path[256];
  for (int gz = 0; gz < 2; gz++) {
    write_file(gz ? "g.gz" : "g.idx", good, sizeof good, gz, path);
    ts_idx *x = ts_idx_read(path);
    assert_non_null(x);
    assert_int_equal(x->ndims, 3);
    assert_int_equal(x->dims[0], 3);
    assert_int_equal(x->dims[1], 2);
    assert_int_equal(x->item_size, 4);
    for (int i = 0; i < 12; i++) assert_int_equal(x->data[i], i);
    int n;
    double mu[4], sc;
    assert_int_equal(ts_idx_pixel_moments(x, 2, mu, &sc), TS_OK);
    /* images 0..3 and 4..7: pixel means 2, 3, 4, 5; every pixel's variance 4; scale 2 */
    for (int j = 0; j < 4; j++) assert_close(mu[j], 2 + j, 1e-15, 0);
    assert_close(sc, 2, 1e-15, 0);
    double *z = ts_idx_images_standardised(x, 2, mu, sc, &n);
    assert_non_null(z);
    assert_int_equal(n, 2);
    for (int j = 0; j < 4; j++) {
      assert_close(z[j], -1, 1e-15, 0);
      assert_close(z[4 + j], 1, 1e-15, 0);
    }
    /* applied to all three images with the first two's moments: the third is (8+j - (2+j)) / 2 = 3 */
    free(z);
    z = ts_idx_images_standardised(x, 0, mu, sc, &n);
    assert_int_equal(n, 3);
    for (int j = 0; j < 4; j++) assert_close(z[8 + j], 3, 1e-15, 0);
    free(z);
    ts_idx_free(x);
  }
}

static void test_bad_files(void **st)
{
  char path[256];
  ts_error_quiet(1);
  assert_null(ts_idx_read("/nonexistent/file.gz"));
  unsigned char b[sizeof good];
  memcpy(b, good, sizeof b);
  b[2] = 0x0d; /* float type */
  write_file("t.idx", b, sizeof b, 0, path);
  assert_null(ts_idx_read(path));
  assert_non_null(strstr(ts_error_last(), "unsigned-byte"));
  write_file("short.idx", good, sizeof good - 1, 1, path); /* one byte missing */
  assert_null(ts_idx_read(path));
  assert_non_null(strstr(ts_error_last(), "truncated"));
  write_file("hdr.idx", good, 10, 0, path); /* header cut inside the sizes */
  assert_null(ts_idx_read(path));
  unsigned char longer[sizeof good + 1];
  memcpy(longer, good, sizeof good);
  longer[sizeof good] = 7;
  write_file("long.idx", longer, sizeof longer, 0, path);
  assert_null(ts_idx_read(path));
  assert_non_null(strstr(ts_error_last(), "trailing"));
  ts_error_quiet(0);
}

static void test_fashion_mnist(void **st)
{
  const char *names[4] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                          "t10k-labels-idx1-ubyte.gz"};
  const int count[4] = {60000, 60000, 10000, 10000};
  for (int k = 0; k < 4; k++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TS_FASHION_MNIST_DIR, names[k]);
    ts_idx *x = ts_idx_read(path);
    assert_non_null(x); /* make deps installs dataset-fashion-mnist */
    assert_int_equal(x->dims[0], count[k]);
    if (k % 2 == 0) {
      assert_int_equal(x->ndims, 3);
      assert_int_equal(x->item_size, 784);
    } else {
      int hist[10] = {0};
      for (int i = 0; i < x->dims[0]; i++) {
        assert_true(x->data[i] <= 9);
        hist[x->data[i]]++;
      }
      for (int c = 0; c < 10; c++) assert_int_equal(hist[c], count[k] / 10); /* the classes are balanced */
    }
    ts_idx_free(x);
  }
}

static int setup(void **st) { return mkdtemp(dir) ? 0 : -1; }
static int teardown(void **st)
{
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_plain_and_gz),
      cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_fashion_mnist),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
