/*
 * calendar_print.c - the canonical text of a calendar (lg__calendar_print,
 * lg_calendar_to_text); calendar_parse.c reads it back.
 */
#include "calendar.h"

#include <string.h>

/* ---- canonical text --------------------------------------------------------
 * "calendar", then two-space indented: utc-offset (always printed), hours
 * lines (days with identical hours grouped, in order of their first day;
 * adjacent intervals of a day merged; an overnight interval as
 * 22:00-06:00), holidays sorted, special days sorted, offset changes
 * sorted. */

static void put2(lg__buf *b, int64_t v) {
  char s[2];
  s[0] = (char)('0' + (int)(v / 10));
  s[1] = (char)('0' + (int)(v % 10));
  lg__buf_put(b, s, 2);
}

void lg__calendar_hhmm(lg__buf *b, int64_t secs, char sep) {
  put2(b, secs / 3600);
  lg__buf_putc(b, sep);
  put2(b, secs / 60 % 60);
}

static void print_offset(lg__buf *b, int64_t secs) {
  lg__buf_putc(b, secs < 0 ? '-' : '+');
  lg__calendar_hhmm(b, secs < 0 ? -secs : secs, ':');
}

static void print_date(lg__buf *b, int64_t days) {
  int64_t y;
  int     m, d;
  lg__date_from_days(days, &y, &m, &d);
  put2(b, y / 100);
  put2(b, y % 100);
  lg__buf_putc(b, '-');
  put2(b, m);
  lg__buf_putc(b, '-');
  put2(b, d);
}

/* " START-END" for [start, end), END past 24:00 as the next day's time. */
static void print_interval(lg__buf *b, int64_t start, int64_t end, int first) {
  lg__buf_puts(b, first ? " " : ", ");
  lg__calendar_hhmm(b, start, ':');
  lg__buf_putc(b, '-');
  lg__calendar_hhmm(b, end > DAY_SECS ? end - DAY_SECS : end, ':');
}

/* " 09:00-12:00, 22:00-06:00" for intervals iv[lo, hi).  One interval
 * states less than 24 hours (or 00:00-24:00), but adjacent pieces such as
 * 13:00-17:00, 17:00-13:00 merge into one a day owns from 13:00 to 13:00
 * the next day, 24 hours or more (at most 47:58).  Such a stretch prints
 * as two pieces split at 23:59, the only split every stretch allows
 * (13:00-23:59, 23:59-13:00): both start on the owning day and run less
 * than 24 hours, and parsing merges them back. */
static void print_intervals(const lg_calendar *c, uint32_t lo, uint32_t hi, lg__buf *b) {
  uint32_t j;
  for (j = lo; j < hi; j++) {
    int64_t start = c->iv_start[j], end = c->iv_end[j];
    if (end - start >= DAY_SECS && !(start == 0 && end == DAY_SECS)) {
      print_interval(b, start, DAY_SECS - 60, j == lo);
      print_interval(b, DAY_SECS - 60, end, 0);
    } else
      print_interval(b, start, end, j == lo);
  }
}

static int same_hours(const lg_calendar *c, int a, int b) {
  uint32_t la = c->day_iv[a], lb = c->day_iv[b], n = c->day_iv[a + 1] - la;
  if (c->day_iv[b + 1] - lb != n) return 0;
  return memcmp(c->iv_start + la, c->iv_start + lb, n * sizeof *c->iv_start) == 0 &&
         memcmp(c->iv_end + la, c->iv_end + lb, n * sizeof *c->iv_end) == 0;
}

static void print_hours(const lg_calendar *c, lg__buf *b) {
  unsigned done = 0;
  int      d, e;
  for (d = 0; d < 7; d++) {
    unsigned mask = 0;
    int      first = 1;
    if ((done & (1u << d)) || c->day_iv[d] == c->day_iv[d + 1]) continue;
    for (e = d; e < 7; e++)
      if (!(done & (1u << e)) && same_hours(c, d, e)) mask |= 1u << e;
    done |= mask;
    lg__buf_puts(b, "  hours ");
    for (e = 0; e < 7; e++) { /* runs of consecutive days */
      int last = e;
      if (!(mask & (1u << e))) continue;
      while (last < 6 && (mask & (1u << (last + 1)))) last++;
      if (!first) lg__buf_puts(b, ", ");
      lg__buf_puts(b, lg__calendar_days[e]);
      if (last > e) {
        lg__buf_putc(b, '-');
        lg__buf_puts(b, lg__calendar_days[last]);
      }
      first = 0;
      e = last;
    }
    print_intervals(c, c->day_iv[d], c->day_iv[d + 1], b);
    lg__buf_putc(b, '\n');
  }
}

void lg__calendar_print(const lg_calendar *c, lg__buf *b) {
  uint32_t i;
  int      special;
  lg__buf_puts(b, "calendar\n  utc-offset ");
  print_offset(b, c->base_offset);
  lg__buf_putc(b, '\n');
  print_hours(c, b);
  for (special = 0; special <= 1; special++)
    for (i = 0; i < c->n_exc; i++) {
      uint32_t lo = (uint32_t)c->exc_iv[i], hi = (uint32_t)c->exc_iv[i + 1];
      if ((hi > lo) != special) continue;
      lg__buf_puts(b, special ? "  hours " : "  holiday ");
      print_date(b, c->exc_day[i]);
      print_intervals(c, lo, hi, b);
      lg__buf_putc(b, '\n');
    }
  for (i = 0; i < c->n_chg; i++) {
    int64_t day = lg__floor_div(c->chg_at[i], DAY_SECS), sod = c->chg_at[i] - day * DAY_SECS;
    lg__buf_puts(b, "  offset-change ");
    print_date(b, day);
    lg__buf_putc(b, 'T');
    lg__calendar_hhmm(b, sod, ':');
    lg__buf_putc(b, ':');
    put2(b, sod % 60);
    lg__buf_puts(b, "Z ");
    print_offset(b, c->chg_off[i]);
    lg__buf_putc(b, '\n');
  }
}

static void render(const void *obj, lg__buf *b) { lg__calendar_print(obj, b); }

lg_status lg_calendar_to_text(const lg_calendar *calendar, char *buf, size_t cap, size_t *needed) {
  return lg__render_text(render, calendar, buf, cap, needed);
}
