/*
 * calendar.h - the parsed business calendar, shared by calendar.c (the
 * arithmetic) and calendar_parse.c (the text block: parse and canonical
 * print).  See calendar.c for the model.
 */
#ifndef LG_CALENDAR_H
#define LG_CALENDAR_H

#include "internal.h"

#define DAY_SECS    LG__DAY_SECS
#define WEEK_SECS   (7 * LG__DAY_SECS)
#define DAY_MINUTES 1440
#define MAX_OFFSET  (18 * 3600)
/* Holidays and special days together.  Unreachable in practice: 1 MiB of
 * text holds at most 55,188 holiday lines (19 bytes each). */
#define MAX_HOLIDAYS 100000u
#define MAX_CHANGES  10000u

/* Every open interval belongs to one local day (the day it starts on) and
 * is kept as [start, end) seconds from that day's midnight; an overnight
 * interval ends after 24:00 (at most 48:00).  A day's intervals are sorted
 * and neither overlap nor touch; cum is the open time of the same day's
 * earlier intervals.  Weekday d (0 = Monday) owns iv[day_iv[d],
 * day_iv[d + 1]); exception k (a holiday or a special day, by local date)
 * owns iv[exc_iv[k], exc_iv[k + 1]), none for a holiday. */
struct lg_calendar {
  int64_t base_offset; /* seconds east of UTC before any change */
  int64_t week_open;   /* open seconds the weekly pattern holds a week */
  /* G (calendar.c) of the weekly pattern alone at the midnight starting
   * weekday d of week 0, the week of day -3 (a Monday); d = 7 is the next
   * Monday.  Week q adds q * week_open. */
  int64_t        day_start[8];
  int64_t        day_spill[7]; /* open seconds past 24:00 weekday d owns */
  int32_t        always;       /* open at every instant: fast paths */
  uint32_t       n_iv, n_exc, n_chg;
  uint32_t       day_iv[8];
  const int64_t *iv_start, *iv_end, *iv_cum;
  /* Exceptions by local day number (days since 1970-01-01), sorted and
   * unique; exc_iv has n_exc + 1 entries; exc_cum[k] = open seconds the
   * first k exceptions take from the weekly pattern (negative when they
   * add more than they take); exc_g[k] = G at the midnight after the day
   * of exception k. */
  const int64_t *exc_day, *exc_iv, *exc_cum, *exc_g;
  /* Offset changes sorted by UTC instant; offsets in seconds. */
  const int64_t *chg_at, *chg_off;
  int64_t       *block; /* the one allocation behind the arrays */
};

static inline int64_t lg__floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Weekday of a local day number, 0 = Monday (1970-01-01 was a Thursday). */
static inline int lg__weekday(int64_t day) {
  int64_t w = (day + 3) % 7;
  return (int)(w < 0 ? w + 7 : w);
}

/* What calendar.c knows about one local day: G at its midnight, the open
 * seconds after that midnight that the previous day owns (an overnight
 * interval: they start at the midnight), and the day's own intervals. */
typedef struct lg__cal_day {
  int64_t  g;
  int64_t  spill;
  uint32_t lo, hi;
} lg__cal_day;

void lg__calendar_day(const lg_calendar *c, int64_t day, lg__cal_day *out);
/* Open seconds of intervals iv[lo, hi) past their day's 24:00. */
int64_t lg__calendar_spill(const lg_calendar *c, uint32_t lo, uint32_t hi);
/* Open seconds of intervals iv[lo, hi). */
int64_t lg__calendar_total(const lg_calendar *c, uint32_t lo, uint32_t hi);

/* "mon" .. "sun" (calendar_parse.c). */
extern const char *const lg__calendar_days[7];
/* HH<sep>MM of a number of seconds below 100 hours (calendar_print.c). */
void lg__calendar_hhmm(lg__buf *b, int64_t secs, char sep);

#endif /* LG_CALENDAR_H */
