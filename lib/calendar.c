/*
 * calendar.c - business-time arithmetic (add, between, is_open,
 * next_open) over a parsed calendar; the `calendar` text block is parsed
 * and printed by calendar_parse.c.
 *
 * The model.  Open hours are intervals in local wall time, each owned by
 * the local day it starts on: the weekday's pattern, replaced on a special
 * day by that date's own intervals and on a holiday by none.  An
 * overnight interval (22:00-06:00) runs on past midnight into the next
 * day, so a holiday removes all of it.  Local time is UTC plus the offset
 * in force at that UTC instant: the base `utc-offset` before the first
 * `offset-change`, then the offset of the latest change at or before the
 * instant.  The calendar is open at UTC second t iff the local time of t
 * falls in an open interval.  So an open local hour that a change skips
 * (spring forward) is simply not open, and one it repeats (fall back) is
 * open twice.
 *
 * The arithmetic.  Offset changes cut the UTC line into segments with one
 * offset each.  Inside a segment, open time is a function of local time
 * alone: G(L), the open seconds before local second L counted from a
 * fixed origin, is a non-decreasing step-1 function.  For L on local day
 * n at r seconds after its midnight,
 *   G(L) = M(n) + min(r, spill of day n - 1) + open part of day n's own
 *          intervals before r,
 * where M(n), G at the midnight, is the weekly pattern's value (a weekly
 * table and week_open per week) minus what the exceptions before day n
 * take away (a running sum over the sorted exceptions).  So G costs two
 * binary searches (exceptions, the day's intervals) and no loop.  Its
 * inverse (the earliest L with G(L) = v) finds the day first: between two
 * exceptions M is the pattern's value minus a constant, which the weekly
 * table inverts, and exc_g (M after each exception) says between which
 * two exceptions v falls; then the day's spill and intervals give the
 * second.  Open time in [a, b) within one segment of offset o is
 * G(b + o) - G(a + o).  Every query costs O(log) per segment crossed,
 * whatever its length: a year is as cheap as an hour.
 */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

/* ---- the always-open calendar ------------------------------------------- */

static const int64_t always_iv_start[7] = { 0, 0, 0, 0, 0, 0, 0 };
static const int64_t always_iv_end[7] = { DAY_SECS, DAY_SECS, DAY_SECS, DAY_SECS,
                                          DAY_SECS, DAY_SECS, DAY_SECS };
static const int64_t always_iv_cum[7] = { 0, 0, 0, 0, 0, 0, 0 };
static const int64_t always_exc[1] = { 7 };
static const int64_t always_exc_cum[1] = { 0 };

static const lg_calendar always_calendar = {
  0,
  WEEK_SECS,
  { 0, DAY_SECS, 2 * DAY_SECS, 3 * DAY_SECS, 4 * DAY_SECS, 5 * DAY_SECS, 6 * DAY_SECS, WEEK_SECS },
  { 0, 0, 0, 0, 0, 0, 0 },
  1,
  7,
  0,
  0,
  { 0, 1, 2, 3, 4, 5, 6, 7 },
  always_iv_start,
  always_iv_end,
  always_iv_cum,
  NULL,
  always_exc,
  always_exc_cum,
  NULL,
  NULL,
  NULL,
  NULL
};

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

int64_t lg__calendar_spill(const lg_calendar *c, uint32_t lo, uint32_t hi) {
  return hi > lo && c->iv_end[hi - 1] > DAY_SECS ? c->iv_end[hi - 1] - DAY_SECS : 0;
}

int64_t lg__calendar_total(const lg_calendar *c, uint32_t lo, uint32_t hi) {
  return hi > lo ? c->iv_cum[hi - 1] + c->iv_end[hi - 1] - c->iv_start[hi - 1] : 0;
}

/* Open seconds of intervals iv[lo, hi) before r seconds after their
 * day's midnight. */
static int64_t list_before(const lg_calendar *c, uint32_t lo, uint32_t hi, int64_t r) {
  uint32_t j = lo + count_below(c->iv_start + lo, hi - lo, r, 1);
  int64_t  end;
  if (j == lo) return 0;
  j--;
  end = c->iv_end[j] < r ? c->iv_end[j] : r;
  return c->iv_cum[j] + end - c->iv_start[j];
}

/* The earliest r with list_before(r) == u, 1 <= u <= the list's total.
 * A value reached at the end of an interval lands on its end (closing
 * time), not on the next opening. */
static int64_t list_inverse(const lg_calendar *c, uint32_t lo, uint32_t hi, int64_t u) {
  uint32_t j = lo + count_below(c->iv_cum + lo, hi - lo, u, 1) - 1;
  return c->iv_start[j] + (u - c->iv_cum[j]);
}

/* lg__calendar_day for a day with exactly j exceptions before it. */
static void day_with(const lg_calendar *c, int64_t day, uint32_t j, lg__cal_day *out) {
  int64_t q = lg__floor_div(day + 3, 7);
  int     wd = (int)(day + 3 - 7 * q), prev = wd ? wd - 1 : 6;
  out->g = q * c->week_open + c->day_start[wd];
  out->lo = c->day_iv[wd];
  out->hi = c->day_iv[wd + 1];
  out->spill = c->day_spill[prev];
  if (c->n_exc == 0) return;
  out->g -= c->exc_cum[j];
  if (j > 0 && c->exc_day[j - 1] == day - 1) {
    /* yesterday was an exception: its own spill replaces the pattern's */
    int64_t s = lg__calendar_spill(c, (uint32_t)c->exc_iv[j - 1], (uint32_t)c->exc_iv[j]);
    out->g -= s - out->spill;
    out->spill = s;
  }
  if (j < c->n_exc && c->exc_day[j] == day) {
    out->lo = (uint32_t)c->exc_iv[j];
    out->hi = (uint32_t)c->exc_iv[j + 1];
  }
}

void lg__calendar_day(const lg_calendar *c, int64_t day, lg__cal_day *out) {
  day_with(c, day, c->n_exc ? count_below(c->exc_day, c->n_exc, day, 1) : 0, out);
}

/* G(L): open local seconds before local second L. */
static int64_t open_before(const lg_calendar *c, int64_t local) {
  int64_t     day = lg__floor_div(local, DAY_SECS), r = local - day * DAY_SECS;
  lg__cal_day d;
  lg__calendar_day(c, day, &d);
  return d.g + (r < d.spill ? r : d.spill) + list_before(c, d.lo, d.hi, r);
}

/* The last local day n whose weekly-pattern midnight value is below w;
 * INT64_MAX when every day's is (a pattern with no open time and w > 0),
 * INT64_MIN when none is. */
static int64_t pattern_last_day(const lg_calendar *c, int64_t w) {
  int64_t x, q, rem;
  int     i = 0;
  if (c->week_open == 0) return w > c->day_start[0] ? INT64_MAX : INT64_MIN;
  x = w - 1 - c->day_start[0];
  q = lg__floor_div(x, c->week_open);
  rem = x - q * c->week_open + c->day_start[0];
  while (i < 6 && c->day_start[i + 1] <= rem) i++;
  return 7 * q + i - 3;
}

/* The earliest local L with G(L) == v, into *out; 0 when there is none
 * (the calendar is not open that much any more). */
static int open_inverse(const lg_calendar *c, int64_t v, int64_t *out) {
  uint32_t    j = c->n_exc ? count_below(c->exc_g, c->n_exc, v, 1) : 0;
  int64_t     day = pattern_last_day(c, v + (c->n_exc ? c->exc_cum[j] : 0)), u;
  lg__cal_day d;
  /* The answer's day lies after exception j - 1 and no later than
   * exception j (exc_g says so); in between, the pattern decides. */
  if (j > 0 && day <= c->exc_day[j - 1]) day = c->exc_day[j - 1] + 1;
  if (j < c->n_exc && day > c->exc_day[j]) day = c->exc_day[j];
  if (day == INT64_MAX || day == INT64_MIN) return 0;
  day_with(c, day, j, &d); /* exceptions 0 .. j - 1 lie before the day, j not */
  u = v - d.g;
  *out = day * DAY_SECS + (u <= d.spill ? u : list_inverse(c, d.lo, d.hi, u - d.spill));
  return 1;
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

/* The earliest t >= start with open time d in [start, t), into *out; d > 0,
 * d at most the span of valid times (so nothing overflows).  0 when the
 * calendar is never open that long after start.  The result may lie past
 * LG_TIME_MAX; the caller checks. */
static int open_add(const lg_calendar *c, int64_t start, int64_t d, int64_t *out) {
  uint32_t i = segment_of(c, start);
  int64_t  cur = start, local;
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
    if (!open_inverse(c, g0 + d, &local)) return 0;
    *out = local - o;
    return 1;
  }
}

/* 1 if the calendar has no open time at all. */
static int never_open(const lg_calendar *c) { return c->week_open == 0 && c->n_iv == 0; }

lg_status lg_calendar_add(const lg_calendar *c, lg_time start, lg_duration d, lg_time *out) {
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
  if (never_open(c) || !open_add(c, start, d, &t) || t > LG_TIME_MAX) return LG_ERR_RANGE;
  *out = t;
  return LG_OK;
}

lg_status lg_calendar_between(const lg_calendar *c, lg_time a, lg_time b, lg_duration *out) {
  if (!c || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(a) || !lg__time_valid(b)) return LG_ERR_RANGE;
  if (b <= a || never_open(c))
    *out = 0;
  else if (c->always)
    *out = b - a;
  else
    *out = open_between(c, a, b);
  return LG_OK;
}

int lg_calendar_is_open(const lg_calendar *c, lg_time t) {
  int64_t local;
  if (!c || !lg__time_valid(t) || never_open(c)) return 0;
  if (c->always) return 1;
  local = t + segment_offset(c, segment_of(c, t));
  return open_before(c, local + 1) - open_before(c, local) == 1;
}

lg_time lg_calendar_next_open(const lg_calendar *c, lg_time t) {
  int64_t first;
  if (!c || !lg__time_valid(t) || never_open(c)) return LG_TIME_NEVER;
  if (c->always) return t;
  /* The first open second at or after t is the one that completes one
   * second of open time. */
  if (!open_add(c, t, 1, &first)) return LG_TIME_NEVER;
  first--;
  return first <= LG_TIME_MAX ? first : LG_TIME_NEVER;
}
