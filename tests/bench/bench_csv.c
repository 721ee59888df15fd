/*
 * bench_csv.c - throughput of the programs' CSV reader (examples/cli/csv.c)
 * in MB/s: reading a file through csv_open (FILE, from the page cache) and
 * the same bytes through csv_open_mem, trimming as the programs do, with
 * the header's field count expected.  Every field is touched (its length
 * summed) so that nothing is skipped.
 *
 *   bench_csv [FILE]
 *
 * Without FILE it writes a synthetic events file of about 64 MB (the
 * reference events' shape: lead id, type, ISO time; one row in 50 with a
 * quoted field) to a temporary file.  Prints best and median of 5 runs.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench_common.h"
#include "csv.h"

#include <string.h>

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(const char *what, double *secs, size_t bytes, size_t records) {
  double mb = (double)bytes / 1e6;
  qsort(secs, BENCH_RUNS, sizeof *secs, cmp_double);
  printf("%-10s MB=%.1f records=%zu best_MB_s=%.0f median_MB_s=%.0f\n", what, mb, records,
         mb / secs[0], mb / secs[BENCH_RUNS / 2]);
}

/* Reads every record; returns the number of records, sums the lengths. */
static size_t drain(csv_reader *r) {
  size_t n = 0, i;
  int    st;
  while ((st = csv_next(r)) != CSV_EOF) {
    if (st == CSV_FATAL) {
      fprintf(stderr, "bench_csv: %s\n", r->error);
      exit(1);
    }
    if (n == 0) r->expect_fields = r->n_fields;
    for (i = 0; i < r->n_fields; i++) bench_sink += (int64_t)r->lens[i];
    n++;
  }
  return n;
}

static void synthesize(FILE *fp) {
  static const char *types[] = { "email_open",     "email_click",      "web_visit",
                                 "demo_requested", "webinar_attended", "pricing_page" };
  size_t             bytes = 0;
  long               i;
  fputs("lead_id,type,at\n", fp);
  for (i = 0; bytes < (size_t)64 << 20; i++) {
    int n;
    if (i % 50 == 0)
      n = fprintf(fp, "L-%06ld,\"note, with \"\"quotes\"\"\",2026-11-%02dT%02d:%02d:%02dZ\n", i / 8,
                  (int)(i % 28) + 1, (int)(i % 24), (int)(i % 60), (int)(i * 7 % 60));
    else
      n = fprintf(fp, "L-%06ld,%s,2026-11-%02dT%02d:%02d:%02dZ\n", i / 8, types[i % 6],
                  (int)(i % 28) + 1, (int)(i % 24), (int)(i % 60), (int)(i * 7 % 60));
    bytes += (size_t)n;
  }
}

int main(int argc, char **argv) {
  double     secs[BENCH_RUNS];
  FILE      *fp;
  char      *data;
  long       size;
  size_t     len, records = 0;
  int        k;
  csv_reader r;

  if (argc > 1) {
    if (!(fp = fopen(argv[1], "rb"))) {
      perror(argv[1]);
      return 1;
    }
  } else {
    if (!(fp = tmpfile())) return 1;
    synthesize(fp);
  }
  if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0) return 1;
  len = (size_t)size;
  if (!(data = malloc(len + 1))) return 1;
  rewind(fp);
  if (fread(data, 1, len, fp) != len) return 1;

  for (k = 0; k < BENCH_RUNS; k++) {
    double t0;
    rewind(fp);
    t0 = bench_now();
    if (csv_open(&r, fp, 1) != 0) return 1;
    records = drain(&r);
    csv_close(&r);
    secs[k] = bench_now() - t0;
  }
  report("csv_open", secs, len, records);
#ifndef BENCH_CSV_FILE_ONLY
  for (k = 0; k < BENCH_RUNS; k++) {
    double t0 = bench_now();
    if (csv_open_mem(&r, data, len, 0, 1, 1) != 0) return 1;
    records = drain(&r);
    csv_close(&r);
    secs[k] = bench_now() - t0;
  }
  report("csv_mem", secs, len, records);
#endif
  free(data);
  fclose(fp);
  return 0;
}
