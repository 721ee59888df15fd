/*
 * bench_parse.c - parsing a rubric at the criteria limit.
 *
 *   bench_parse [PARSES]    parses to time (default 50; best one reported)
 *
 * The rubric has 1,024 criteria (the limit), in the proportions of a real
 * model: mostly fit criteria with three to five `when` lines mixing text
 * lists, ranges and comparisons, plus engagement criteria with decay and
 * knockouts, and comments.  About 100 KB of text.
 *
 * Prints:  parse_rubric_1024 ms=...  bytes=...
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include <string.h>

static char text[1 << 20];

static size_t make_rubric(void) {
  size_t len = 0;
  int    i, w;
  len += (size_t)snprintf(text, sizeof text, "rubric \"bench-1024\"\n# generated\n");
  for (i = 0; i < 1024; i++) {
    int kind = i % 8;
    if (kind < 6) {
      len += (size_t)snprintf(text + len, sizeof text - len, "fit \"criterion %d\" from attr_%d\n",
                              i, i);
      for (w = 0; w < 3 + i % 3; w++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                w == 0   ? "  when \"value %d\", \"Other Value\" -> 3\n"
                                : w == 1 ? "  when %d..20 -> 2.5   # a range\n"
                                : w == 2 ? "  when > %d -> 1\n"
                                         : "  when true -> 0.125\n",
                                w * 7 + i % 5);
      len += (size_t)snprintf(text + len, sizeof text - len,
                              "  otherwise -> 0.5\n  missing -> -1\n");
    } else if (kind == 6) {
      len += (size_t)snprintf(text + len, sizeof text - len,
                              "engagement \"signal %d\" on event_%d -> %d each max 40 "
                              "half-life %dd\n",
                              i, i, 1 + i % 9, 1 + i % 60);
    } else {
      len += (size_t)snprintf(text + len, sizeof text - len,
                              "knockout \"rule %d\" when attr_%d is \"no\", < 10\n", i, i);
    }
  }
  return len;
}

int main(int argc, char **argv) {
  size_t     parses = bench_size(argc, argv, 50), i, len = make_rubric();
  double     best = 1e30, t0, t;
  lg_rubric *r;
  lg_error   err;

  for (i = 0; i < parses; i++) {
    t0 = bench_now();
    if (lg_rubric_parse(text, len, &r, &err) != LG_OK) {
      fprintf(stderr, "bench_parse: %u:%u %s\n", err.line, err.column, err.message);
      return 1;
    }
    t = bench_now() - t0;
    if (t < best) best = t;
    bench_sink += (int64_t)lg_rubric_fingerprint(r);
    lg_rubric_free(r);
  }
  printf("parse_rubric_1024 ms=%.3f bytes=%zu\n", best * 1e3, len);
  return 0;
}
