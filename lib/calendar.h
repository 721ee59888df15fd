/*
 * calendar.h - the parsed business calendar, shared by calendar.c (the
 * arithmetic) and calendar_parse.c (the text block: parse and canonical
 * print).  See calendar.c for the model.
 */
#ifndef LG_CALENDAR_H
#define LG_CALENDAR_H

#include "internal.h"

#define DAY_SECS      INT64_C(86400)
#define WEEK_SECS     INT64_C(604800)
/* Local second 0 (1970-01-01) was a Thursday: weeks start 3 days earlier
 * so that week position 0 is Monday 00:00. */
#define MONDAY_SHIFT  (3 * DAY_SECS)
#define DAY_MINUTES   1440
#define MAX_OFFSET    (18 * 3600)
#define MAX_HOLIDAYS  100000u
#define MAX_CHANGES   10000u

struct lg_calendar {
  int64_t        base_offset;  /* seconds east of UTC before any change */
  int64_t        week_open;    /* open seconds in one week of the pattern */
  int64_t        day_prefix[8];/* open seconds of the week before day i */
  int32_t        always;       /* open at every instant: fast paths */
  uint32_t       n_runs, n_hol, n_chg;
  /* Open runs of the week, [start, end) seconds from Monday 00:00, sorted
   * and merged (a run may cross midnight); cum = open seconds before it. */
  const int64_t *run_start, *run_end, *run_cum;
  /* Holidays as local day numbers (days since 1970-01-01), sorted unique;
   * hol_cum[k] = open seconds the first k holidays remove (n_hol + 1
   * entries); hol_g[k] = G at the start of holiday k. */
  const int64_t *hol_day, *hol_cum, *hol_g;
  /* Offset changes sorted by UTC instant; offsets in seconds. */
  const int64_t *chg_at, *chg_off;
  int64_t       *block;        /* the one allocation behind the arrays */
};


static inline int64_t lg__floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Open seconds of the weekly pattern before week position r (seconds from
 * Monday 00:00, 0 <= r <= WEEK_SECS): the lookup the builder fills
 * day_prefix with (calendar.c). */
int64_t lg__calendar_week_prefix(const lg_calendar *c, int64_t r);

#endif /* LG_CALENDAR_H */
