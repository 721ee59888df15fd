/*
 * bench_calendar.c - business-time arithmetic cost.
 *
 *   bench_calendar [CALLS]    calls per figure (default 1,000,000)
 *
 * The calendar is a realistic worst case for one office: mon-fri with a
 * lunch break, 20 holidays a year and two DST offset changes a year, for
 * 2026 to 2045.  Start instants are spread over 2026-2035 (whole seconds,
 * open or not).  "1y" means one year of wall time: for between, the open
 * time in [s, s + 365 days); for add, the open time one year holds
 * (about 2,000 business hours), so both walk the same span.
 *
 * Then the same with overnight hours and special days: the office adds a
 * night shift (sun-thu 22:00-02:00) and three short days a year.
 *
 * Prints one line per figure (best and median of BENCH_RUNS runs):
 *   calendar_add_1h ns_per_call=...        calendar_between_1h ns_per_call=...
 *   calendar_add_48h ...  calendar_add_1y ...  (and between for each)
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include <string.h>

#define HOUR     INT64_C(3600)
#define DAY      INT64_C(86400)
#define N_STARTS 4096

static const int holidays[20][2] = {{1, 1},   {1, 6},   {2, 14},  {3, 17},  {4, 3},
                                    {4, 6},   {5, 1},   {5, 14},  {5, 25},  {6, 4},
                                    {7, 14},  {8, 15},  {10, 3},  {10, 31}, {11, 1},
                                    {11, 11}, {12, 24}, {12, 25}, {12, 26}, {12, 31}};

static char text[64 * 1024];

/* night: with the night shift and the short days. */
static lg_calendar *make_calendar(int night) {
  size_t       len = 0;
  int          y, h;
  lg_calendar *c;
  lg_error     err;
  len += (size_t)snprintf(text + len, sizeof text - len,
                          "calendar\n  utc-offset +01:00\n"
                          "  hours mon-fri 09:00-12:30, 13:30-18:00\n");
  if (night) len += (size_t)snprintf(text + len, sizeof text - len, "  hours sun-thu 22:00-02:00\n");
  for (y = 2026; y <= 2045; y++) {
    if (night)
      len += (size_t)snprintf(text + len, sizeof text - len,
                              "  hours %d-04-30 09:00-13:00\n  hours %d-07-13 09:00-13:00\n"
                              "  hours %d-12-23 09:00-13:00\n",
                              y, y, y);
    for (h = 0; h < 20; h++)
      len += (size_t)snprintf(text + len, sizeof text - len, "  holiday %d-%02d-%02d\n", y,
                              holidays[h][0], holidays[h][1]);
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "  offset-change %d-03-29T01:00:00Z +02:00\n"
                            "  offset-change %d-10-25T01:00:00Z +01:00\n",
                            y, y);
  }
  if (lg_calendar_parse(text, len, &c, &err) != LG_OK) {
    fprintf(stderr, "bench_calendar: %u:%u %s\n", err.line, err.column, err.message);
    exit(1);
  }
  return c;
}

static lg_time starts[N_STARTS];

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The best and the median of the BENCH_RUNS run times, in ns a call. */
static void report(const char *name, double *runs, size_t calls) {
  qsort(runs, BENCH_RUNS, sizeof runs[0], cmp_double);
  printf("%s ns_per_call=%.1f median_ns=%.1f\n", name, runs[0] * 1e9 / (double)calls,
         runs[BENCH_RUNS / 2] * 1e9 / (double)calls);
}

static void bench_add(const lg_calendar *c, const char *name, lg_duration d, size_t calls) {
  double  runs[BENCH_RUNS], t0;
  size_t  i;
  int     run;
  lg_time out;
  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    for (i = 0; i < calls; i++) {
      bench_must(lg_calendar_add(c, starts[i % N_STARTS], d, &out), "add");
      bench_sink += out;
    }
    runs[run] = bench_now() - t0;
  }
  report(name, runs, calls);
}

static void bench_between(const lg_calendar *c, const char *name, lg_duration span,
                          size_t calls) {
  double      runs[BENCH_RUNS], t0;
  size_t      i;
  int         run;
  lg_duration out;
  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    for (i = 0; i < calls; i++) {
      lg_time s = starts[i % N_STARTS];
      bench_must(lg_calendar_between(c, s, s + span, &out), "between");
      bench_sink += out;
    }
    runs[run] = bench_now() - t0;
  }
  report(name, runs, calls);
}

int main(int argc, char **argv) {
  size_t       calls = bench_size(argc, argv, 1000000), i;
  lg_calendar *c = make_calendar(0), *n = make_calendar(1);
  lg_duration  year_open, night_year;
  const lg_time from = INT64_C(1767225600); /* 2026-01-01 */

  for (i = 0; i < N_STARTS; i++) starts[i] = from + bench_range(0, 10 * 365 * DAY);
  /* The open time of a typical year: the `add` counterpart of 1y. */
  bench_must(lg_calendar_between(c, from, from + 365 * DAY, &year_open), "year");

  bench_add(c, "calendar_add_1h", HOUR, calls);
  bench_add(c, "calendar_add_48h", 48 * HOUR, calls);
  bench_add(c, "calendar_add_1y", year_open, calls);
  bench_between(c, "calendar_between_1h", HOUR, calls);
  bench_between(c, "calendar_between_48h", 48 * HOUR, calls);
  bench_between(c, "calendar_between_1y", 365 * DAY, calls);
  printf("calendar_1y_open_hours=%lld\n", (long long)(year_open / HOUR));
  bench_must(lg_calendar_between(n, from, from + 365 * DAY, &night_year), "year");
  bench_add(n, "calendar_night_add_48h", 48 * HOUR, calls);
  bench_add(n, "calendar_night_add_1y", night_year, calls);
  bench_between(n, "calendar_night_between_1y", 365 * DAY, calls);
  lg_calendar_free(n);
  lg_calendar_free(c);
  return 0;
}
