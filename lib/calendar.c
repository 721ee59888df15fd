/*
 * calendar.c - business-time arithmetic (add, between, is_open,
 * next_open) over a parsed calendar; the `calendar` text block is parsed
 * and printed by calendar_parse.c.
 *
 * The model.  Open hours are a weekly pattern in local wall time, minus
 * holidays (whole local days).  Local time is UTC plus the offset in force
 * at that UTC instant: the base `utc-offset` before the first
 * `offset-change`, then the offset of the latest change at or before the
 * instant.  The calendar is open at UTC second t iff the local time of t
 * falls in an open interval of a day that is not a holiday.  So an open
 * local hour that a change skips (spring forward) is simply not open, and
 * one it repeats (fall back) is open twice.
 *
 * The arithmetic.  Offset changes cut the UTC line into segments with one
 * offset each.  Inside a segment, open time is a function of local time
 * alone: G(L), the open seconds of the local pattern before local second L
 * counted from a fixed origin, is a non-decreasing step-1 function that
 * costs two binary searches (week runs, holidays) and no loop:
 *   G(L) = weeks(L) * week_open + open part of L's week before L
 *          - open seconds of holidays before L.
 * Open time in [a, b) within one segment of offset o is
 * G(b + o) - G(a + o), and its inverse (the earliest L with G(L) = v) is
 * also two binary searches.  So every query costs O(log) per segment
 * crossed, whatever its length: a year is as cheap as an hour.
 */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

/* ---- the always-open calendar ------------------------------------------- */

static const int64_t always_run_start[1] = {0};
static const int64_t always_run_end[1] = {WEEK_SECS};
static const int64_t always_run_cum[1] = {0};
static const int64_t always_hol_cum[1] = {0};

static const lg_calendar always_calendar = {
  0, WEEK_SECS,
  {0, DAY_SECS, 2 * DAY_SECS, 3 * DAY_SECS, 4 * DAY_SECS, 5 * DAY_SECS, 6 * DAY_SECS, WEEK_SECS},
  1, 1, 0, 0,
  always_run_start, always_run_end, always_run_cum, NULL, always_hol_cum, NULL, NULL, NULL, NULL};

const lg_calendar *lg__calendar_always(void) { return &always_calendar; }

void lg_calendar_free(lg_calendar *calendar) {
  if (!calendar || calendar == &always_calendar) return;
  lg__free(calendar->block);
  lg__free(calendar);
}

/* ---- business-time arithmetic ------------------------------------------- */


/* Number of elements of sorted a[0..n) that are < key (less = 1) or
 * <= key (less = 0). */
static uint32_t count_below(const int64_t *a, uint32_t n, int64_t key, int less) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (a[mid] < key || (!less && a[mid] == key))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Open seconds of the weekly pattern in [0, r) from Monday 00:00,
 * 0 <= r <= one week. */
int64_t lg__calendar_week_prefix(const lg_calendar *c, int64_t r) {
  uint32_t j = count_below(c->run_start, c->n_runs, r, 1);
  int64_t  end;
  if (j == 0) return 0;
  j--;
  end = c->run_end[j] < r ? c->run_end[j] : r;
  return c->run_cum[j] + end - c->run_start[j];
}

/* G(L): open local seconds before local second L, holidays removed. */
static int64_t open_before(const lg_calendar *c, int64_t local) {
  int64_t  m = local + MONDAY_SHIFT, q = lg__floor_div(m, WEEK_SECS), r = m - q * WEEK_SECS;
  int64_t  pre = lg__calendar_week_prefix(c, r), g = q * c->week_open + pre;
  uint32_t k;
  if (c->n_hol == 0) return g;
  {
    int64_t day = lg__floor_div(local, DAY_SECS);
    k = count_below(c->hol_day, c->n_hol, day, 1);
    g -= c->hol_cum[k];
    if (k < c->n_hol && c->hol_day[k] == day) {
      int64_t day_r = r - (local - day * DAY_SECS); /* week position of its midnight */
      g -= pre - c->day_prefix[day_r / DAY_SECS];
    }
  }
  return g;
}

/* The earliest local L with pattern-only G(L) == v (holidays ignored);
 * needs week_open > 0.  A value reached at the end of an open run lands on
 * the run's end (closing time), not on the next opening. */
static int64_t pattern_inverse(const lg_calendar *c, int64_t v) {
  int64_t  q = lg__floor_div(v - 1, c->week_open), rem = v - q * c->week_open;
  uint32_t j = count_below(c->run_cum, c->n_runs, rem, 1) - 1;
  return q * WEEK_SECS + c->run_start[j] + (rem - c->run_cum[j]) - MONDAY_SHIFT;
}

/* The earliest local L with G(L) == v.  Holidays whose start has G < v all
 * lie before the answer and remove their open seconds; between the last of
 * them and the next there is no holiday, so G is the pattern minus a
 * constant there. */
static int64_t open_inverse(const lg_calendar *c, int64_t v) {
  uint32_t m = c->n_hol ? count_below(c->hol_g, c->n_hol, v, 1) : 0;
  return pattern_inverse(c, v + c->hol_cum[m]);
}

/* Index of the offset segment holding UTC instant t: the number of changes
 * at or before t.  Segment i runs from change i-1 to change i. */
static uint32_t segment_of(const lg_calendar *c, int64_t t) {
  return count_below(c->chg_at, c->n_chg, t, 0);
}

static int64_t segment_offset(const lg_calendar *c, uint32_t i) {
  return i == 0 ? c->base_offset : c->chg_off[i - 1];
}

/* Open seconds in [a, b), a < b, any valid times. */
static int64_t open_between(const lg_calendar *c, int64_t a, int64_t b) {
  uint32_t i = segment_of(c, a);
  int64_t  sum = 0, cur = a;
  for (;;) {
    int64_t o = segment_offset(c, i);
    int64_t e = (i < c->n_chg && c->chg_at[i] < b) ? c->chg_at[i] : b;
    sum += open_before(c, e + o) - open_before(c, cur + o);
    if (e == b) return sum;
    cur = e;
    i++;
  }
}

/* The earliest t >= start with open time d in [start, t); d > 0, the week
 * has open time, d at most the span of valid times (so nothing overflows).
 * The result may lie past LG_TIME_MAX; the caller checks. */
static int64_t open_add(const lg_calendar *c, int64_t start, int64_t d) {
  uint32_t i = segment_of(c, start);
  int64_t  cur = start;
  for (;;) {
    int64_t o = segment_offset(c, i), g0 = open_before(c, cur + o);
    if (i < c->n_chg) {
      int64_t avail = open_before(c, c->chg_at[i] + o) - g0;
      if (avail < d) {
        d -= avail;
        cur = c->chg_at[i++];
        continue;
      }
    }
    return open_inverse(c, g0 + d) - o;
  }
}

lg_status lg_calendar_add(const lg_calendar *c, lg_time start, lg_duration d,
                          lg_time *out) {
  int64_t t;
  if (!c || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(start) || d < 0) return LG_ERR_RANGE;
  if (d == 0) {
    *out = start;
    return LG_OK;
  }
  /* Open time never exceeds wall time: such a d ends past LG_TIME_MAX. */
  if (d > LG_TIME_MAX - start) return LG_ERR_RANGE;
  if (c->always) {
    *out = start + d;
    return LG_OK;
  }
  if (c->week_open == 0) return LG_ERR_RANGE;
  t = open_add(c, start, d);
  if (t > LG_TIME_MAX) return LG_ERR_RANGE;
  *out = t;
  return LG_OK;
}

lg_status lg_calendar_between(const lg_calendar *c, lg_time a, lg_time b,
                              lg_duration *out) {
  if (!c || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(a) || !lg__time_valid(b)) return LG_ERR_RANGE;
  if (b <= a || c->week_open == 0)
    *out = 0;
  else if (c->always)
    *out = b - a;
  else
    *out = open_between(c, a, b);
  return LG_OK;
}

int lg_calendar_is_open(const lg_calendar *c, lg_time t) {
  int64_t local;
  if (!c || !lg__time_valid(t) || c->week_open == 0) return 0;
  if (c->always) return 1;
  local = t + segment_offset(c, segment_of(c, t));
  return open_before(c, local + 1) - open_before(c, local) == 1;
}

lg_time lg_calendar_next_open(const lg_calendar *c, lg_time t) {
  int64_t first;
  if (!c || !lg__time_valid(t) || c->week_open == 0) return LG_TIME_NEVER;
  if (c->always) return t;
  /* The first open second at or after t is the one that completes one
   * second of open time. */
  first = open_add(c, t, 1) - 1;
  return first <= LG_TIME_MAX ? first : LG_TIME_NEVER;
}

