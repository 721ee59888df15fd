/*
 * bench_common.h - what every benchmark shares: a monotonic clock, a
 * deterministic random stream, best-of-N timing, a sink the optimiser
 * cannot remove, and the size argument.
 *
 * Each bench_*.c defines _POSIX_C_SOURCE before any include (for
 * clock_gettime); the library itself never sees that macro.
 */
#ifndef LG_BENCH_COMMON_H
#define LG_BENCH_COMMON_H

#include <leadgate.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_RUNS 5 /* best of: the minimum is the least disturbed run */

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t bench_rng = UINT64_C(0x243f6a8885a308d3); /* fixed seed */

static inline uint64_t bench_rand(void) { /* xorshift64* */
  bench_rng ^= bench_rng >> 12;
  bench_rng ^= bench_rng << 25;
  bench_rng ^= bench_rng >> 27;
  return bench_rng * UINT64_C(2685821657736338717);
}

static inline int64_t bench_range(int64_t lo, int64_t hi) { /* inclusive */
  return lo + (int64_t)(bench_rand() % (uint64_t)(hi - lo + 1));
}

/* Results flow here so that no timed call can be optimised away. */
static volatile int64_t bench_sink;

/* argv[1] if given (a smaller size for a smoke run), else `def`. */
static inline size_t bench_size(int argc, char **argv, size_t def) {
  if (argc > 1) {
    long long v = atoll(argv[1]);
    if (v > 0) return (size_t)v;
  }
  return def;
}

static inline void bench_must(lg_status st, const char *what) {
  if (st != LG_OK) {
    fprintf(stderr, "bench: %s: %s\n", what, lg_status_name(st));
    exit(1);
  }
}

#endif /* LG_BENCH_COMMON_H */
