/*
 * test_calendar.c - business calendar: parsing, canonical text and
 * business-time arithmetic.
 *
 * Expected values are worked by hand (the calendar dates are checked in the
 * comments) or come from a brute-force reference below that walks time
 * minute by minute from a plain list of rules, independent of the
 * library's closed-form arithmetic.  Random cases use a seed that is
 * printed on failure; LG_TEST_SEED=<n> replays one, LG_TEST_ROUNDS=<n> sets
 * how many random calendars (default 250, ten queries each).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "leadgate.h"
#include "support.h"

/* ---- dates, by counting (independent of the library) ------------------- */

static int ref_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int ref_year_days(int64_t y) { return ref_leap(y) ? 366 : 365; }
static int ref_month_days(int64_t y, int m) {
  static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && ref_leap(y)) ? 29 : md[m - 1];
}

/* Days since 1970-01-01 by walking years and months. */
static int64_t ref_days(int64_t y, int m, int d) {
  int64_t days = 0, yy;
  int     mm;
  for (yy = 1970; yy < y; yy++) days += ref_year_days(yy);
  for (yy = y; yy < 1970; yy++) days -= ref_year_days(yy);
  for (mm = 1; mm < m; mm++) days += ref_month_days(y, mm);
  return days + d - 1;
}

static void ref_date(int64_t days, int64_t *y, int *m, int *d) {
  int64_t yy = 1970;
  int     mm = 1;
  while (days < 0) days += ref_year_days(--yy);
  while (days >= ref_year_days(yy)) days -= ref_year_days(yy++);
  while (days >= ref_month_days(yy, mm)) days -= ref_month_days(yy, mm++);
  *y = yy;
  *m = mm;
  *d = (int)days + 1;
}

static lg_time utc(int y, int mo, int d, int h, int mi, int s) {
  return ref_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && (a < 0));
}

/* ---- helpers -------------------------------------------------------------- */

static lg_calendar *parse_ok(const char *text) {
  lg_calendar *c = NULL;
  lg_error     err;
  lg_status    st = lg_calendar_parse(text, strlen(text), &c, &err);
  if (st != LG_OK)
    print_error("parse failed: %s at %u:%u: %s\n--- text ---\n%s\n", lg_status_name(st),
                (unsigned)err.line, (unsigned)err.column, err.message, text);
  assert_int_equal(st, LG_OK);
  assert_int_equal(err.status, LG_OK);
  assert_non_null(c);
  return c;
}

static lg_time add(const lg_calendar *c, lg_time start, lg_duration d) {
  lg_time out = -1;
  assert_int_equal(lg_calendar_add(c, start, d, &out), LG_OK);
  return out;
}

static lg_duration between(const lg_calendar *c, lg_time a, lg_time b) {
  lg_duration out = -1;
  assert_int_equal(lg_calendar_between(c, a, b, &out), LG_OK);
  return out;
}

/* Canonical text into a static buffer. */
static const char *print(const lg_calendar *c) {
  static char text[1 << 16];
  lg__buf     b;
  lg__buf_init(&b, text, sizeof text - 1);
  lg__calendar_print(c, &b);
  assert_true(b.len < sizeof text);
  text[b.len] = '\0';
  return text;
}

#define H 3600
#define NINE_TO_FIVE "hours mon-fri 09:00-17:00\n"

/* ---- hand-worked cases ---------------------------------------------------
 * 2026-01-05 is a Monday (2026-01-01 is a Thursday). */

static void deadline_exactly_at_closing_time_is_the_closing_time(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE);
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 5, 9, 0, 0), 8 * H), utc(2026, 1, 5, 17, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 5, 16, 0, 0), H), utc(2026, 1, 5, 17, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 9, 16, 30, 0), 1800), utc(2026, 1, 9, 17, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 5, 9, 0, 0), utc(2026, 1, 5, 17, 0, 0)), 8 * H);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 16, 59, 59)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 17, 0, 0)), 0);
  lg_calendar_free(c);
}

static void start_outside_hours_counts_from_the_next_opening(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE);
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 5, 7, 0, 0), H), utc(2026, 1, 5, 10, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 5, 18, 0, 0), H), utc(2026, 1, 6, 10, 0, 0));
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 5, 18, 0, 0)),
                   utc(2026, 1, 6, 9, 0, 0));
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 5, 12, 0, 0)),
                   utc(2026, 1, 5, 12, 0, 0));
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 5, 17, 0, 0)),
                   utc(2026, 1, 6, 9, 0, 0));
  lg_calendar_free(c);
}

static void start_on_a_weekend_counts_from_monday(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE);
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 10, 12, 0, 0), H), utc(2026, 1, 12, 10, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 10, 0, 0, 0), utc(2026, 1, 12, 0, 0, 0)), 0);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 10, 12, 0, 0)), 0);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 10, 12, 0, 0)),
                   utc(2026, 1, 12, 9, 0, 0));
  lg_calendar_free(c);
}

static void start_on_a_holiday_counts_from_the_next_open_day(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "holiday 2026-01-12\n"); /* a Monday */
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 12, 10, 0, 0), H), utc(2026, 1, 13, 10, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 9, 16, 0, 0), 2 * H), utc(2026, 1, 13, 10, 0, 0));
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 12, 10, 0, 0)), 0);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 9, 17, 0, 0)),
                   utc(2026, 1, 13, 9, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 5, 0, 0, 0), utc(2026, 1, 19, 0, 0, 0)), 72 * H);
  lg_calendar_free(c);
}

/* Friday 2026-01-09 16:00: 1 h on Friday, 8 h on each of Mon 12 .. Fri 16
 * (41 h), 7 more on Mon 19: 16:00. */
static void friday_16h_plus_48_business_hours_is_monday_16h_a_week_later(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE);
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 9, 16, 0, 0), 48 * H), utc(2026, 1, 19, 16, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 9, 16, 0, 0), utc(2026, 1, 19, 16, 0, 0)), 48 * H);
  lg_calendar_free(c);
}

static void a_holiday_in_the_next_week_pushes_48_hours_a_day_later(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "holiday 2026-01-13\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 9, 16, 0, 0), 48 * H), utc(2026, 1, 20, 16, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 9, 16, 0, 0), utc(2026, 1, 20, 16, 0, 0)), 48 * H);
  lg_calendar_free(c);
}

static void split_shifts_skip_the_lunch_break(void **state) {
  lg_calendar *c = parse_ok("hours mon-fri 09:00-12:00, 13:00-17:00\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 5, 11, 0, 0), 2 * H), utc(2026, 1, 5, 14, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 5, 11, 0, 0), H), utc(2026, 1, 5, 12, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 5, 12, 30, 0), 1), utc(2026, 1, 5, 13, 0, 1));
  assert_int_equal(between(c, utc(2026, 1, 5, 0, 0, 0), utc(2026, 1, 6, 0, 0, 0)), 7 * H);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 11, 59, 59)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 12, 0, 0)), 0);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 5, 12, 0, 0)),
                   utc(2026, 1, 5, 13, 0, 0));
  lg_calendar_free(c);
}

static void an_interval_ending_24h_runs_into_one_starting_00h_the_next_day(void **state) {
  lg_calendar *c = parse_ok("hours mon 22:00-24:00\nhours tue 00:00-02:00\n"
                            "hours sun 23:00-24:00\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 5, 23, 0, 0), 2 * H), utc(2026, 1, 6, 1, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 5, 22, 0, 0), utc(2026, 1, 6, 2, 0, 0)), 4 * H);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 6, 0, 0, 0)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 23, 59, 59)), 1);
  /* Across the week boundary: Sunday 23:00-24:00 then Monday 22:00. */
  assert_int_equal(add(c, utc(2026, 1, 11, 23, 30, 0), H), utc(2026, 1, 12, 22, 30, 0));
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n  hours mon 22:00-24:00\n"
                                "  hours tue 00:00-02:00\n  hours sun 23:00-24:00\n");
  lg_calendar_free(c);
}

/* 2026-03-29 is a Sunday.  At 01:00Z local time jumps from 02:00 (+01:00)
 * to 03:00 (+02:00): of the open local hours 01:00-03:00 only 01:00-02:00
 * happens that day (UTC 00:00-01:00). */
static void spring_forward_skips_an_open_local_hour(void **state) {
  lg_calendar *c = parse_ok("calendar\nutc-offset +01:00\nhours mon-sun 01:00-03:00\n"
                            "offset-change 2026-03-29T01:00:00Z +02:00\n");
  (void)state;
  assert_int_equal(between(c, utc(2026, 3, 28, 12, 0, 0), utc(2026, 3, 29, 12, 0, 0)), H);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 3, 29, 0, 59, 59)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 3, 29, 1, 0, 0)), 0);
  /* Half an hour before the jump, the other half on Monday's local 01:00
   * (+02:00: Sunday 23:00Z). */
  assert_int_equal(add(c, utc(2026, 3, 29, 0, 30, 0), H), utc(2026, 3, 29, 23, 30, 0));
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 3, 29, 1, 0, 0)),
                   utc(2026, 3, 29, 23, 0, 0));
  /* Before: +01:00, open 00:00-02:00Z on Saturday. */
  assert_int_equal(between(c, utc(2026, 3, 28, 0, 0, 0), utc(2026, 3, 28, 12, 0, 0)), 2 * H);
  lg_calendar_free(c);
}

/* 2026-10-25 is a Sunday.  At 01:00Z local time falls back from 03:00
 * (+02:00) to 02:00 (+01:00): the open local hour 02:00-03:00 happens twice,
 * UTC 00:00-01:00 and 01:00-02:00. */
static void fall_back_repeats_an_open_local_hour(void **state) {
  lg_calendar *c = parse_ok("utc-offset +02:00\nhours mon-sun 02:00-03:00\n"
                            "offset-change 2026-10-25T01:00:00Z +01:00\n");
  (void)state;
  assert_int_equal(between(c, utc(2026, 10, 25, 0, 0, 0), utc(2026, 10, 25, 12, 0, 0)), 2 * H);
  assert_int_equal(add(c, utc(2026, 10, 25, 0, 30, 0), H), utc(2026, 10, 25, 1, 30, 0));
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 10, 25, 1, 0, 0)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 10, 25, 2, 0, 0)), 0);
  assert_int_equal(between(c, utc(2026, 10, 24, 0, 0, 0), utc(2026, 10, 24, 12, 0, 0)), H);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 10, 25, 2, 0, 0)),
                   utc(2026, 10, 26, 1, 0, 0));
  lg_calendar_free(c);
}

/* 2028-02-28 is a Monday, 2028-02-29 a Tuesday. */
static void a_leap_day_holiday_is_skipped_and_invalid_leap_days_are_rejected(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "holiday 2028-02-29\nholiday 2000-02-29\n");
  lg_calendar *bad = NULL;
  lg_error     err;
  (void)state;
  assert_int_equal(add(c, utc(2028, 2, 28, 16, 0, 0), 2 * H), utc(2028, 3, 1, 10, 0, 0));
  assert_int_equal(lg_calendar_parse("holiday 2027-02-29", 18, &bad, &err), LG_ERR_SYNTAX);
  assert_string_equal(err.message, "no such date 2027-02-29");
  assert_int_equal(lg_calendar_parse("holiday 1900-02-29", 18, &bad, &err), LG_ERR_SYNTAX);
  assert_null(bad);
  lg_calendar_free(c);
}

/* 2026-12-31 is a Thursday, 2027-01-01 a Friday. */
static void the_year_boundary_with_a_new_year_holiday(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "holiday 2027-01-01\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 12, 31, 16, 0, 0), 2 * H), utc(2027, 1, 4, 10, 0, 0));
  assert_int_equal(between(c, utc(2026, 12, 31, 0, 0, 0), utc(2027, 1, 5, 0, 0, 0)), 16 * H);
  lg_calendar_free(c);
}

/* -09:30: Monday 09:00 local is Monday 18:30Z; Friday 17:00 local is
 * Saturday 02:30Z. */
static void a_negative_half_hour_offset_shifts_the_hours(void **state) {
  lg_calendar *c = parse_ok("utc-offset -09:30\n" NINE_TO_FIVE);
  (void)state;
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 5, 0, 0, 0)),
                   utc(2026, 1, 5, 18, 30, 0));
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 18, 29, 59)), 0);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 18, 30, 0)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 10, 2, 29, 59)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 10, 2, 30, 0)), 0);
  assert_int_equal(between(c, utc(2026, 1, 5, 0, 0, 0), utc(2026, 1, 12, 0, 0, 0)), 40 * H);
  lg_calendar_free(c);
}

/* +05:30: Monday 09:00 local is Monday 03:30Z. */
static void a_positive_half_hour_offset_shifts_the_hours(void **state) {
  lg_calendar *c = parse_ok("utc-offset +05:30\n" NINE_TO_FIVE);
  (void)state;
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 4, 23, 0, 0)),
                   utc(2026, 1, 5, 3, 30, 0));
  assert_int_equal(add(c, utc(2026, 1, 5, 3, 30, 0), 8 * H), utc(2026, 1, 5, 11, 30, 0));
  lg_calendar_free(c);
}

static void durations_of_zero_and_one_second(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE);
  lg_time      sat = utc(2026, 1, 10, 12, 0, 0);
  (void)state;
  assert_int_equal(add(c, sat, 0), sat);
  assert_int_equal(add(c, sat, 1), utc(2026, 1, 12, 9, 0, 1));
  assert_int_equal(add(c, utc(2026, 1, 5, 16, 59, 59), 1), utc(2026, 1, 5, 17, 0, 0));
  assert_int_equal(between(c, sat, sat), 0);
  assert_int_equal(between(c, utc(2026, 1, 5, 10, 0, 1), utc(2026, 1, 5, 10, 0, 0)), 0);
  assert_int_equal(between(c, utc(2026, 1, 5, 10, 0, 0), utc(2026, 1, 5, 10, 0, 1)), 1);
  lg_calendar_free(c);
}

static void holidays_listed_unsorted_are_sorted_and_duplicates_merged(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "holiday 2026-01-14\nholiday 2026-01-12\n"
                                         "holiday 2026-01-14\nholiday 2025-12-25\n");
  (void)state;
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n  hours mon-fri 09:00-17:00\n"
                                "  holiday 2025-12-25\n  holiday 2026-01-12\n"
                                "  holiday 2026-01-14\n");
  assert_int_equal(between(c, utc(2026, 1, 12, 0, 0, 0), utc(2026, 1, 17, 0, 0, 0)), 24 * H);
  assert_int_equal(add(c, utc(2026, 1, 9, 17, 0, 0), 16 * H), utc(2026, 1, 15, 17, 0, 0));
  lg_calendar_free(c);
}

static void times_near_the_limits_are_range_errors_and_never_overflow(void **state) {
  const lg_calendar *always = lg__calendar_always();
  lg_calendar       *c = parse_ok("utc-offset -18:00\n" NINE_TO_FIVE "holiday 9999-12-31\n");
  lg_calendar       *e = parse_ok("utc-offset +18:00\nhours sat 23:00-24:00\n"
                                  "holiday 0001-01-06\n");
  lg_time            t = 7;
  lg_duration        d = 7, all;
  (void)state;
  assert_int_equal(lg_calendar_add(always, LG_TIME_MAX, 1, &t), LG_ERR_RANGE);
  assert_int_equal(t, 7);
  assert_int_equal(add(always, LG_TIME_MAX - 10, 10), LG_TIME_MAX);
  assert_int_equal(add(always, LG_TIME_MIN, LG_TIME_MAX - LG_TIME_MIN), LG_TIME_MAX);
  assert_int_equal(lg_calendar_add(always, LG_TIME_MIN, LG_TIME_MAX - LG_TIME_MIN + 1, &t),
                   LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(always, 0, INT64_MAX, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, 0, INT64_MAX, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, INT64_MIN, 0, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, LG_TIME_MAX + 1, 0, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, LG_TIME_MIN - 1, 0, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, 0, -1, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, 0, INT64_MIN, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_add(c, LG_TIME_MAX - H, 14 * 24 * H, &t), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_between(c, INT64_MIN, 0, &d), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_between(c, 0, INT64_MAX, &d), LG_ERR_RANGE);
  assert_int_equal(lg_calendar_between(c, INT64_MAX, INT64_MIN, &d), LG_ERR_RANGE);
  assert_int_equal(d, 7);
  assert_int_equal(between(always, LG_TIME_MIN, LG_TIME_MAX), LG_TIME_MAX - LG_TIME_MIN);
  assert_int_equal(lg_calendar_is_open(c, INT64_MAX), 0);
  assert_int_equal(lg_calendar_is_open(always, INT64_MIN), 0);
  assert_int_equal(lg_calendar_next_open(c, INT64_MIN), LG_TIME_NEVER);
  assert_int_equal(lg_calendar_next_open(always, LG_TIME_MAX), LG_TIME_MAX);
  /* 9999-12-31 is a Friday (and a holiday): never open again at the end. */
  assert_int_equal(lg_calendar_next_open(c, utc(9999, 12, 31, 12, 0, 0)), LG_TIME_NEVER);
  assert_int_equal(lg_calendar_add(c, utc(9999, 12, 31, 12, 0, 0), 1, &t), LG_ERR_RANGE);
  /* Thursday 9999-12-30 09:00 local (-18:00) is still inside: 12-31 03:00Z. */
  assert_int_equal(lg_calendar_next_open(c, utc(9999, 12, 30, 12, 0, 0)),
                   utc(9999, 12, 31, 3, 0, 0));
  /* All of time.  Local time is UTC-18:00, so it runs from Sunday
   * 0000-12-31 06:00 to Friday 9999-12-31 05:59:59 (a holiday anyway):
   * the open days are Monday 0001-01-01 to Thursday 9999-12-30, 3,652,058
   * days = 521,722 whole weeks of 40 h and Monday to Thursday (32 h). */
  all = between(c, LG_TIME_MIN, LG_TIME_MAX);
  assert_int_equal(all, (INT64_C(521722) * 40 + 32) * H);
  t = add(c, LG_TIME_MIN, all);
  assert_true(t <= LG_TIME_MAX);
  assert_int_equal(between(c, LG_TIME_MIN, t), all);
  assert_int_equal(lg_calendar_add(c, LG_TIME_MIN, all + 1, &t), LG_ERR_RANGE);
  /* +18:00 and Saturday 23:00 local: 0001-01-06 is a Saturday, a holiday;
   * the first open hour is Saturday 0001-01-13 23:00 local = 05:00Z. */
  assert_int_equal(lg_calendar_next_open(e, LG_TIME_MIN), utc(1, 1, 13, 5, 0, 0));
  assert_int_equal(add(e, LG_TIME_MIN, H), utc(1, 1, 13, 6, 0, 0));
  lg_calendar_free(c);
  lg_calendar_free(e);
}

static void a_calendar_without_hours_is_never_open(void **state) {
  const char *texts[] = {"", "calendar\n", "# nothing\n\n", "calendar\nholiday 2026-01-01\n"};
  size_t      i;
  (void)state;
  for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    lg_calendar *c = parse_ok(texts[i]);
    lg_time      t = 5;
    assert_int_equal(lg_calendar_add(c, 1000, 1, &t), LG_ERR_RANGE);
    assert_int_equal(t, 5);
    assert_int_equal(add(c, 1000, 0), 1000);
    assert_int_equal(between(c, LG_TIME_MIN, LG_TIME_MAX), 0);
    assert_int_equal(lg_calendar_is_open(c, 1000), 0);
    assert_int_equal(lg_calendar_next_open(c, 1000), LG_TIME_NEVER);
    lg_calendar_free(c);
  }
}

static void the_always_open_calendar_takes_the_fast_paths(void **state) {
  const lg_calendar *a = lg__calendar_always();
  lg_calendar       *full = parse_ok("utc-offset +03:00\nhours mon-sun 00:00-24:00\n"
                                     "offset-change 2026-01-01T00:00:00Z +04:00\n");
  (void)state;
  assert_ptr_equal(a, lg__calendar_always());
  assert_int_equal(add(a, 1000, 5000), 6000);
  assert_int_equal(between(a, -1000, 1000), 2000);
  assert_int_equal(lg_calendar_is_open(a, 0), 1);
  assert_int_equal(lg_calendar_next_open(a, -5), -5);
  assert_string_equal(print(a), "calendar\n  utc-offset +00:00\n  hours mon-sun 00:00-24:00\n");
  assert_int_equal(add(full, utc(2025, 12, 31, 23, 0, 0), 2 * H), utc(2026, 1, 1, 1, 0, 0));
  assert_int_equal(between(full, LG_TIME_MIN, LG_TIME_MAX), LG_TIME_MAX - LG_TIME_MIN);
  lg_calendar_free((lg_calendar *)(uintptr_t)a); /* ignored: it is static */
  assert_int_equal(lg_calendar_is_open(a, 0), 1);
  lg_calendar_free(full);
}

static void day_ranges_wrap_past_sunday_and_day_lists_group_canonically(void **state) {
  lg_calendar *c = parse_ok("hours sat-mon 10:00-11:00\nhours wed , fri 10:00-11:00\n"
                            "hours tue 09:00-10:00,10:00 - 12:00\nhours thu 09:00-12:00\n");
  (void)state;
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n"
                                "  hours mon, wed, fri-sun 10:00-11:00\n"
                                "  hours tue, thu 09:00-12:00\n");
  /* 2026-01-10 is a Saturday. */
  assert_int_equal(between(c, utc(2026, 1, 10, 0, 0, 0), utc(2026, 1, 13, 0, 0, 0)), 3 * H);
  lg_calendar_free(c);
}

/* ---- errors ---------------------------------------------------------------- */

typedef struct bad_case {
  const char *text;
  lg_status   status;
  uint32_t    line, column;
  const char *message; /* a substring of the message */
} bad_case;

/* Each text fails with the status, position and message substring given;
 * *out stays untouched, and without an lg_error the status is the same. */
static void assert_bad_cases(const bad_case *cases, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    const bad_case *k = &cases[i];
    lg_calendar    *sentinel = (lg_calendar *)(uintptr_t)0x1234, *c = sentinel;
    lg_error        err;
    lg_status       st = lg_calendar_parse(k->text, strlen(k->text), &c, &err);
    if (st != k->status || err.line != k->line || err.column != k->column ||
        !strstr(err.message, k->message))
      print_error("case %u %s: got %s at %u:%u \"%s\"\n", (unsigned)i, k->text,
                  lg_status_name(st), (unsigned)err.line, (unsigned)err.column, err.message);
    assert_int_equal(st, k->status);
    assert_int_equal(err.status, k->status);
    assert_int_equal(err.line, k->line);
    assert_int_equal(err.column, k->column);
    assert_non_null(strstr(err.message, k->message));
    assert_ptr_equal(c, sentinel);
    assert_int_equal(lg_calendar_parse(k->text, strlen(k->text), &c, NULL), k->status);
  }
}

static void malformed_calendars_report_status_line_and_column(void **state) {
  static const bad_case cases[] = {
    {"hours mon 25:00-26:00", LG_ERR_SYNTAX, 1, 11, "no such time 25:00"},
    {"hours mon 09:60-10:00", LG_ERR_SYNTAX, 1, 11, "no such time 09:60"},
    {"hours mon 09:00-24:30", LG_ERR_SYNTAX, 1, 17, "no such time 24:30"},
    {"calendar\n  hours mon 09:00-09:00", LG_ERR_SYNTAX, 2, 19, "09:00-09:00 is empty"},
    {"hours mon-fri 09:00-12:00\nhours wed 11:00-13:00", LG_ERR_SYNTAX, 2, 11,
     "hours overlap on wed"},
    {"hours mon 09:00-12:00, 11:00-13:00", LG_ERR_SYNTAX, 1, 24, "hours overlap on mon"},
    {"holiday 2026-02-30", LG_ERR_SYNTAX, 1, 9, "no such date 2026-02-30"},
    {"holiday 2026-13-01", LG_ERR_SYNTAX, 1, 9, "no such date 2026-13-01"},
    {"holiday 0000-01-01", LG_ERR_SYNTAX, 1, 9, "no such date 0000-01-01"},
    {"holiday 2026-1-01", LG_ERR_SYNTAX, 1, 9, "expected a date like 2026-12-25"},
    {"utc-offset +18:30", LG_ERR_RANGE, 1, 12, "offset +18:30 beyond +-18:00"},
    {"\nutc-offset -19:00", LG_ERR_RANGE, 2, 12, "beyond +-18:00"},
    {"offset-change 2026-03-29T01:00:00Z +20:00", LG_ERR_RANGE, 1, 36, "beyond +-18:00"},
    {"utc-offset 01:00", LG_ERR_SYNTAX, 1, 12, "expected an offset like +01:00"},
    {"utc-offset +01:00\nutc-offset +02:00", LG_ERR_SYNTAX, 2, 1, "utc-offset is given twice"},
    {"opening mon 09:00-17:00", LG_ERR_SYNTAX, 1, 1,
     "expected utc-offset, hours, holiday or offset-change, got 'opening'"},
    {"hours mon 09:00-17:00\ncalendar", LG_ERR_SYNTAX, 2, 1, "only as the first line"},
    {"calendar x", LG_ERR_SYNTAX, 1, 10, "unexpected 'x' after 'calendar'"},
    {"holiday 2026-12-25 x", LG_ERR_SYNTAX, 1, 20, "unexpected 'x' after the holiday date"},
    {"hours mon 09:00-17:00 17:00-18:00", LG_ERR_SYNTAX, 1, 23, "unexpected"},
    {"utc-offset +01:00 +02:00", LG_ERR_SYNTAX, 1, 19, "unexpected"},
    {"hours Mon 09:00-17:00", LG_ERR_SYNTAX, 1, 7, "unknown day 'Mon'"},
    {"hours mon-fry 09:00-17:00", LG_ERR_SYNTAX, 1, 11, "unknown day 'fry'"},
    {"hours monday 09:00-17:00", LG_ERR_SYNTAX, 1, 7, "unknown day 'monday'"},
    {"hours 09:00-17:00", LG_ERR_SYNTAX, 1, 7, "expected a day like mon"},
    {"hours mon, 09:00-17:00", LG_ERR_SYNTAX, 1, 12, "expected a day like mon"},
    {"hours mon, tue, mon 09:00-17:00", LG_ERR_SYNTAX, 1, 17, "day mon is listed twice"},
    {"hours mon-wed, tue 09:00-17:00", LG_ERR_SYNTAX, 1, 16, "day tue is listed twice"},
    {"hours mon", LG_ERR_SYNTAX, 1, 10, "expected a time like 09:00"},
    {"hours mon 9:00-17:00", LG_ERR_SYNTAX, 1, 11, "expected a time like 09:00"},
    {"hours mon 09:00", LG_ERR_SYNTAX, 1, 16, "expected '-' and an end time"},
    {"hours mon 09:00-", LG_ERR_SYNTAX, 1, 17, "expected a time like 09:00"},
    {"hours mon 09:00-17:00,", LG_ERR_SYNTAX, 1, 23, "expected a time like 09:00"},
    {"offset-change 2026-03-29 +02:00", LG_ERR_SYNTAX, 1, 15, "expected an instant like"},
    {"offset-change 2026-03-29T01:00:00 +02:00", LG_ERR_SYNTAX, 1, 15,
     "expected an instant like"},
    {"offset-change 2026-03-29T24:00:00Z +02:00", LG_ERR_SYNTAX, 1, 15, "no such time"},
    {"offset-change 2026-03-29T01:00:00Z", LG_ERR_SYNTAX, 1, 35, "expected an offset"},
    {"offset-change 2026-02-29T01:00:00Z +01:00", LG_ERR_SYNTAX, 1, 15, "no such date"},
    {"offset-change 2026-03-29T01:00:00Z +02:00\n"
     "offset-change 2026-10-25T01:00:00Z +01:00\n"
     "offset-change 2026-03-29T01:00:00Z +03:00",
     LG_ERR_SYNTAX, 3, 15, "offset change at 2026-03-29T01:00:00Z is given twice"},
    {"hours mon 09:00-17:00\n\xff", LG_ERR_SYNTAX, 2, 1, "invalid UTF-8"},
    {"# caf\xc3\xa9\n  h\xc3\xb6urs mon", LG_ERR_SYNTAX, 2, 3, "expected utc-offset"},
  };
  (void)state;
  assert_bad_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Every field of a day, time, offset, date and instant is checked: a
 * malformed one says what was expected at the start of the token. */
static void malformed_fields_say_what_was_expected_at_the_token(void **state) {
  static const bad_case cases[] = {
    /* day names end at any character that is not a letter */
    {"hours mon_fri 09:00-17:00", LG_ERR_SYNTAX, 1, 10,
     "expected a time like 09:00, got '_fri'"},
    {"hours mon{ 09:00-17:00", LG_ERR_SYNTAX, 1, 10, "expected a time like 09:00, got '{'"},
    /* an unknown day is quoted up to 32 letters */
    {"hours abcdefghijklmnopqrstuvwxyzabcdefghij 09:00-10:00", LG_ERR_SYNTAX, 1, 7,
     "unknown day 'abcdefghijklmnopqrstuvwxyzabcdef': expected mon"},
    /* times: HH:MM exactly */
    {"hours mon 09:x0-10:00", LG_ERR_SYNTAX, 1, 11, "expected a time like 09:00, got '09'"},
    {"hours mon 09.00-10:00", LG_ERR_SYNTAX, 1, 11, "expected a time like 09:00, got '09'"},
    {"hours mon 09:000-10:00", LG_ERR_SYNTAX, 1, 11, "expected a time like 09:00, got '09'"},
    /* offsets: [+-]HH:MM exactly, minutes below 60 */
    {"utc-offset +1:00", LG_ERR_SYNTAX, 1, 12, "expected an offset like +01:00, got '+'"},
    {"utc-offset +01:x0", LG_ERR_SYNTAX, 1, 12, "expected an offset like +01:00"},
    {"utc-offset +01.00", LG_ERR_SYNTAX, 1, 12, "expected an offset like +01:00"},
    {"utc-offset +01:60", LG_ERR_SYNTAX, 1, 12, "expected an offset like +01:00"},
    {"utc-offset +01:000", LG_ERR_SYNTAX, 1, 12, "expected an offset like +01:00"},
    /* dates: YYYY-MM-DD exactly, a real day, nothing glued after it */
    {"holiday 26-12-25", LG_ERR_SYNTAX, 1, 9, "expected a date like 2026-12-25, got '26-12-25'"},
    {"holiday 2026-12-5", LG_ERR_SYNTAX, 1, 9, "expected a date like 2026-12-25"},
    {"holiday 2026/12/25", LG_ERR_SYNTAX, 1, 9, "expected a date like 2026-12-25, got '2026'"},
    {"holiday 2026-12/25", LG_ERR_SYNTAX, 1, 9,
     "expected a date like 2026-12-25, got '2026-12'"},
    {"holiday 2026-00-10", LG_ERR_SYNTAX, 1, 9, "no such date 2026-00-10"},
    {"holiday 2026-01-00", LG_ERR_SYNTAX, 1, 9, "no such date 2026-01-00"},
    {"holiday 2026-12-251", LG_ERR_SYNTAX, 1, 9,
     "expected a date like 2026-12-25, got '2026-12-251'"},
    {"holiday 2026-12-25-01", LG_ERR_SYNTAX, 1, 9,
     "expected a date like 2026-12-25, got '2026-12-25-01'"},
    {"holiday 2026-12-25T10:00:00Z", LG_ERR_SYNTAX, 1, 9,
     "expected a date like 2026-12-25, got '2026-12-25T10'"},
    /* instants: YYYY-MM-DDTHH:MM:SSZ exactly, a real time of day */
    {"offset-change 2026-03-29Tx1:00:00Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "expected an instant like 2026-03-29T01:00:00Z, got '2026-03-29Tx1'"},
    {"offset-change 2026-03-29T01:x0:00Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "expected an instant like 2026-03-29T01:00:00Z, got '2026-03-29T01'"},
    {"offset-change 2026-03-29T01:00:x0Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "expected an instant like"},
    {"offset-change 2026-03-29T01-00:00Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "expected an instant like 2026-03-29T01:00:00Z, got '2026-03-29T01-00'"},
    {"offset-change 2026-03-29T01:00-00Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "expected an instant like"},
    {"offset-change 2026-03-29T01:60:00Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "no such time 2026-03-29T01:60:00Z"},
    {"offset-change 2026-03-29T01:00:60Z +02:00", LG_ERR_SYNTAX, 1, 15,
     "no such time 2026-03-29T01:00:60Z"},
    {"offset-change 2026-03-29T01:00:00Z +02:00 extra", LG_ERR_SYNTAX, 1, 43,
     "unexpected 'extra' after the offset change"},
  };
  (void)state;
  assert_bad_cases(cases, sizeof cases / sizeof cases[0]);
}

/* With several repeated instants the error names the first repetition in
 * text order, whatever the order of the instants. */
static void the_first_repeated_offset_change_in_text_order_is_reported(void **state) {
  static const bad_case cases[] = {
    /* October (lines 1, 3) sorts after March (lines 2, 4), but line 3
     * repeats an instant before line 4 does */
    {"offset-change 2026-10-25T01:00:00Z +01:00\n"
     "offset-change 2026-03-29T01:00:00Z +02:00\n"
     "offset-change 2026-10-25T01:00:00Z +03:00\n"
     "offset-change 2026-03-29T01:00:00Z +04:00\n",
     LG_ERR_SYNTAX, 3, 15, "offset change at 2026-10-25T01:00:00Z is given twice"},
    /* March repeated on line 2, October on line 4: line 2 */
    {"offset-change 2026-03-29T01:00:00Z +02:00\n"
     "offset-change 2026-03-29T01:00:00Z +01:00\n"
     "offset-change 2026-10-25T01:00:00Z +03:00\n"
     "offset-change 2026-10-25T01:00:00Z +04:00\n",
     LG_ERR_SYNTAX, 2, 15, "offset change at 2026-03-29T01:00:00Z is given twice"},
  };
  (void)state;
  assert_bad_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Tabs and carriage returns are blanks like spaces, also before the
 * optional `calendar` line. */
static void any_blanks_may_precede_the_calendar_line(void **state) {
  lg_calendar *c = parse_ok("\t \rcalendar\n\thours mon 09:00-10:00\n");
  (void)state;
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n  hours mon 09:00-10:00\n");
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 9, 30, 0)), 1); /* a Monday */
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 6, 9, 30, 0)), 0);
  lg_calendar_free(c);
}

/* 10,000 offset changes are fine; the 10,001st is LG_ERR_LIMIT at its line. */
static void more_than_10000_offset_changes_is_a_limit_error(void **state) {
  size_t       cap = 10001 * 48 + 1, len = 0, i;
  char        *text = malloc(cap);
  lg_calendar *c = NULL;
  lg_error     err;
  (void)state;
  assert_non_null(text);
  for (i = 0; i < 10001; i++) {
    int64_t y;
    int     m, d;
    ref_date(ref_days(2000, 1, 1) + (int64_t)i, &y, &m, &d);
    len += (size_t)snprintf(text + len, cap - len, "offset-change %04d-%02d-%02dT01:00:00Z %s\n",
                            (int)y, m, d, i % 2 ? "+01:00" : "+02:00");
  }
  assert_int_equal(lg_calendar_parse(text, len, &c, &err), LG_ERR_LIMIT);
  assert_int_equal(err.line, 10001);
  assert_int_equal(err.column, 1);
  assert_null(c);
  /* Drop the last line: exactly 10,000. */
  len = (size_t)(strrchr(text, 'o') - text);
  while (len > 0 && text[len - 1] != '\n') len--;
  assert_int_equal(lg_calendar_parse(text, len, &c, &err), LG_OK);
  assert_int_equal(lg_calendar_is_open(c, utc(2003, 1, 1, 0, 0, 0)), 0);
  lg_calendar_free(c);
  free(text);
}

/* ---- canonical text -------------------------------------------------------- */

static void printing_is_canonical_and_a_fixed_point(void **state) {
  static const char text[] =
    "# a comment line\n"
    "calendar\n"
    "hours sat 10:00-13:00\n"
    "   hours mon-fri 09:00-12:00,13:00-17:30   # lunch break\n"
    "holiday 2026-12-25\n"
    "holiday 2026-01-01\n"
    "offset-change 2026-10-25T01:00:00Z +01:00\n"
    "offset-change 2026-03-29T01:00:00Z +02:00\n"
    "offset-change 1969-12-31T23:59:59Z -00:00\n"
    "utc-offset +01:00\n";
  static const char canonical[] =
    "calendar\n"
    "  utc-offset +01:00\n"
    "  hours mon-fri 09:00-12:00, 13:00-17:30\n"
    "  hours sat 10:00-13:00\n"
    "  holiday 2026-01-01\n"
    "  holiday 2026-12-25\n"
    "  offset-change 1969-12-31T23:59:59Z +00:00\n"
    "  offset-change 2026-03-29T01:00:00Z +02:00\n"
    "  offset-change 2026-10-25T01:00:00Z +01:00\n";
  lg_calendar *c = parse_ok(text), *again;
  char         first[sizeof canonical + 64];
  (void)state;
  strcpy(first, print(c));
  assert_string_equal(first, canonical);
  again = parse_ok(first);
  assert_string_equal(print(again), canonical);
  lg_calendar_free(c);
  lg_calendar_free(again);
  c = parse_ok("utc-offset -09:30\nhours sun 00:00-24:00\nholiday 0001-01-01\n"
               "holiday 9999-12-31\noffset-change 0001-01-01T00:00:00Z -18:00\n"
               "offset-change 9999-12-31T23:59:59Z +18:00\n");
  assert_string_equal(print(c), "calendar\n  utc-offset -09:30\n  hours sun 00:00-24:00\n"
                                "  holiday 0001-01-01\n  holiday 9999-12-31\n"
                                "  offset-change 0001-01-01T00:00:00Z -18:00\n"
                                "  offset-change 9999-12-31T23:59:59Z +18:00\n");
  lg_calendar_free(c);
}

/* As a policy's block: the parser stops at the first non-calendar line. */
static void a_policy_block_stops_at_the_first_line_that_is_not_a_calendar_statement(
  void **state) {
  static const char text[] = "calendar\n  utc-offset +01:00\n  # note\n  hours mon 09:00-10:00\n"
                             "follow-up within 48h business\n";
  lg__lexer    lx;
  lg_error     err;
  lg_calendar *c = NULL;
  int          more = -1, variant;
  (void)state;
  for (variant = 0; variant < 3; variant++) {
    assert_int_equal(lg__lex_init(&lx, text, sizeof text - 1, &err), LG_OK);
    assert_int_equal(lg__lex_next_line(&lx), 1);
    if (variant >= 1) assert_int_equal(lg__lex_accept_word(&lx, "calendar"), 1);
    if (variant == 2) assert_int_equal(lg__lex_next_line(&lx), 1);
    assert_int_equal(lg__calendar_parse_block(&lx, 0, &c, &more), LG_OK);
    assert_int_equal(more, 1);
    assert_int_equal(lx.line, 5);
    assert_int_equal(lg__lex_peek_word(&lx, "follow-up"), 1);
    assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 8, 0, 0)), 1);
    lg_calendar_free(c);
  }
  /* A block at the end of the text. */
  assert_int_equal(lg__lex_init(&lx, "calendar\nhours mon 09:00-10:00", 30, &err), LG_OK);
  assert_int_equal(lg__lex_next_line(&lx), 1);
  assert_int_equal(lg__calendar_parse_block(&lx, 0, &c, &more), LG_OK);
  assert_int_equal(more, 0);
  lg_calendar_free(c);
}

/* ---- overnight hours and special days ----------------------------------------
 * The cases public bug trackers of business-hours libraries keep seeing,
 * each worked by hand (2026-01-05 is a Monday, 2026-12-24 a Thursday). */

/* zammad#3180: a 24/7 calendar written as 00:00-24:00 is never closed at
 * midnight, also when only some days are whole. */
static void whole_days_written_00_to_24_never_close_at_midnight(void **state) {
  lg_calendar *c = parse_ok("hours mon-sun 00:00-24:00\n");
  lg_calendar *w = parse_ok("hours mon-fri 00:00-24:00\n");
  int          day;
  (void)state;
  for (day = 5; day < 12; day++) {
    assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, day, 0, 0, 0)), 1);
    assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, day, 23, 59, 59)), 1);
  }
  assert_int_equal(add(c, utc(2026, 1, 5, 23, 0, 0), 2 * H), utc(2026, 1, 6, 1, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 5, 12, 0, 0), utc(2026, 1, 12, 12, 0, 0)), 168 * H);
  /* Monday to Friday: open through every weekday midnight, closed at Saturday's */
  assert_int_equal(lg_calendar_is_open(w, utc(2026, 1, 6, 0, 0, 0)), 1);
  assert_int_equal(add(w, utc(2026, 1, 5, 23, 0, 0), 2 * H), utc(2026, 1, 6, 1, 0, 0));
  assert_int_equal(lg_calendar_is_open(w, utc(2026, 1, 10, 0, 0, 0)), 0);
  assert_int_equal(add(w, utc(2026, 1, 9, 23, 0, 0), 2 * H), utc(2026, 1, 12, 1, 0, 0));
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n  hours mon-sun 00:00-24:00\n");
  lg_calendar_free(c);
  lg_calendar_free(w);
}

/* zendesk/biz#133: 17:00-01:00 is accepted and ends at 01:00 the next
 * day.  Monday 00:30 is not open (no sunday hours); Tuesday 00:30 is. */
static void an_evening_shift_to_01h_runs_into_the_next_day(void **state) {
  lg_calendar *c = parse_ok("hours mon-fri 17:00-01:00\n");
  (void)state;
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n  hours mon-fri 17:00-01:00\n");
  assert_int_equal(add(c, utc(2026, 1, 5, 17, 0, 0), 8 * H), utc(2026, 1, 6, 1, 0, 0));
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 5, 0, 30, 0)), 0);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 6, 0, 30, 0)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 6, 1, 0, 0)), 0);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 10, 0, 59, 59)), 1); /* Friday's */
  assert_int_equal(add(c, utc(2026, 1, 5, 0, 30, 0), H), utc(2026, 1, 5, 18, 0, 0));
  /* Friday 23:00 + 3h: 2h to Saturday 01:00, then Monday 17:00-18:00 */
  assert_int_equal(add(c, utc(2026, 1, 9, 23, 0, 0), 3 * H), utc(2026, 1, 12, 18, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 5, 0, 0, 0), utc(2026, 1, 12, 0, 0, 0)), 40 * H);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 6, 1, 0, 0)), utc(2026, 1, 6, 17, 0, 0));
  lg_calendar_free(c);
}

/* business_time#197: a span that starts on a weekend after hours starts
 * counting on Monday morning, not a day later; the same for night
 * shifts. */
static void a_weekend_start_after_hours_does_not_roll_a_day_too_far(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE), *night = parse_ok("hours mon-fri 22:00-06:00\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 10, 20, 0, 0), H), utc(2026, 1, 12, 10, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 11, 18, 0, 0), 8 * H), utc(2026, 1, 12, 17, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 10, 20, 0, 0), 9 * H), utc(2026, 1, 13, 10, 0, 0));
  /* Saturday 00:00-06:00 is Friday's night; Saturday 20:00 waits for Monday 22:00 */
  assert_int_equal(add(night, utc(2026, 1, 10, 20, 0, 0), H), utc(2026, 1, 12, 23, 0, 0));
  assert_int_equal(add(night, utc(2026, 1, 10, 5, 0, 0), 2 * H), utc(2026, 1, 12, 23, 0, 0));
  assert_int_equal(add(night, utc(2026, 1, 10, 20, 0, 0), 8 * H), utc(2026, 1, 13, 6, 0, 0));
  lg_calendar_free(c);
  lg_calendar_free(night);
}

/* pandas#16867: a whole day's hours added on the day before a holiday end
 * at that day's close; an hour later they skip the holiday and the
 * weekend.  Friday 2026-01-09 is the holiday. */
static void a_days_hours_before_a_holiday_end_at_its_close(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "holiday 2026-01-09\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 8, 9, 0, 0), 8 * H), utc(2026, 1, 8, 17, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 8, 10, 0, 0), 8 * H), utc(2026, 1, 12, 10, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 8, 17, 0, 0), 1), utc(2026, 1, 12, 9, 0, 1));
  assert_int_equal(between(c, utc(2026, 1, 8, 9, 0, 0), utc(2026, 1, 12, 17, 0, 0)), 16 * H);
  lg_calendar_free(c);
}

/* zendesk/biz#122: a short day before a holiday.  Thursday 2026-12-24
 * closes at 13:00, Friday the 25th is a holiday, Monday the 28th is a
 * normal day. */
static void a_short_day_before_a_holiday(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "hours 2026-12-24 09:00-13:00\nholiday 2026-12-25\n");
  (void)state;
  assert_int_equal(add(c, utc(2026, 12, 24, 12, 0, 0), 2 * H), utc(2026, 12, 28, 10, 0, 0));
  assert_int_equal(add(c, utc(2026, 12, 24, 9, 0, 0), 4 * H), utc(2026, 12, 24, 13, 0, 0));
  assert_int_equal(add(c, utc(2026, 12, 23, 16, 0, 0), 5 * H), utc(2026, 12, 24, 13, 0, 0));
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 12, 24, 12, 59, 59)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 12, 24, 13, 0, 0)), 0);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 12, 24, 13, 0, 0)),
                   utc(2026, 12, 28, 9, 0, 0));
  assert_int_equal(between(c, utc(2026, 12, 21, 0, 0, 0), utc(2026, 12, 29, 0, 0, 0)),
                   3 * 8 * H + 4 * H + 8 * H);
  lg_calendar_free(c);
}

/* Overnight hours across both DST changes (EU 2026: the last Sundays of
 * March and October at 01:00Z).  Saturday 22:00 local to Sunday 06:00
 * local is 7 real hours in spring (02:00-03:00 never happens) and 9 in
 * autumn (02:00-03:00 happens twice). */
static void overnight_hours_across_a_dst_change(void **state) {
  lg_calendar *c = parse_ok("utc-offset +01:00\nhours sat 22:00-06:00\n"
                            "offset-change 2026-03-29T01:00:00Z +02:00\n"
                            "offset-change 2026-10-25T01:00:00Z +01:00\n");
  (void)state;
  /* spring: 22:00 local (+01:00) is 21:00Z; 06:00 local (+02:00) is 04:00Z */
  assert_int_equal(between(c, utc(2026, 3, 28, 12, 0, 0), utc(2026, 3, 29, 12, 0, 0)), 7 * H);
  assert_int_equal(add(c, utc(2026, 3, 28, 21, 0, 0), 4 * H), utc(2026, 3, 29, 1, 0, 0));
  assert_int_equal(add(c, utc(2026, 3, 28, 21, 0, 0), 7 * H), utc(2026, 3, 29, 4, 0, 0));
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 3, 29, 3, 59, 59)), 1);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 3, 29, 4, 0, 0)), 0);
  /* autumn: 22:00 local (+02:00) is 20:00Z; 06:00 local (+01:00) is 05:00Z */
  assert_int_equal(between(c, utc(2026, 10, 24, 12, 0, 0), utc(2026, 10, 25, 12, 0, 0)), 9 * H);
  assert_int_equal(add(c, utc(2026, 10, 24, 20, 0, 0), 9 * H), utc(2026, 10, 25, 5, 0, 0));
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 10, 25, 5, 0, 0)),
                   utc(2026, 10, 31, 21, 0, 0));
  lg_calendar_free(c);
}

/* An overnight interval belongs to the day it starts on: a holiday on
 * that day removes the part after midnight too; a holiday on the next day
 * leaves it. */
static void a_holiday_removes_the_whole_overnight_interval_it_starts(void **state) {
  lg_calendar *fri = parse_ok("hours fri 22:00-06:00\nholiday 2026-01-09\n");
  lg_calendar *sat = parse_ok("hours fri 22:00-06:00\nholiday 2026-01-10\n");
  (void)state;
  assert_int_equal(lg_calendar_is_open(fri, utc(2026, 1, 10, 3, 0, 0)), 0);
  assert_int_equal(between(fri, utc(2026, 1, 9, 0, 0, 0), utc(2026, 1, 11, 0, 0, 0)), 0);
  assert_int_equal(add(fri, utc(2026, 1, 9, 12, 0, 0), H), utc(2026, 1, 16, 23, 0, 0));
  assert_int_equal(lg_calendar_is_open(sat, utc(2026, 1, 10, 3, 0, 0)), 1);
  assert_int_equal(between(sat, utc(2026, 1, 9, 0, 0, 0), utc(2026, 1, 11, 0, 0, 0)), 8 * H);
  assert_string_equal(print(sat), "calendar\n  utc-offset +00:00\n  hours fri 22:00-06:00\n"
                                  "  holiday 2026-01-10\n");
  lg_calendar_free(fri);
  lg_calendar_free(sat);
}

/* A special day replaces its date's hours: it can open a Saturday, run
 * overnight, or shorten a day; the days around it keep theirs. */
static void special_days_replace_the_hours_of_their_date(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE "hours 2026-01-10 10:00-12:00\n"
                                         "hours 2026-01-08 20:00-02:00\n");
  (void)state;
  /* Saturday 10th: 10:00-12:00 only */
  assert_int_equal(between(c, utc(2026, 1, 10, 0, 0, 0), utc(2026, 1, 11, 0, 0, 0)), 2 * H);
  assert_int_equal(add(c, utc(2026, 1, 9, 16, 0, 0), 2 * H), utc(2026, 1, 10, 11, 0, 0));
  /* Thursday 8th: 20:00 to Friday 02:00, then Friday's own 09:00-17:00 */
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 8, 12, 0, 0)), 0);
  assert_int_equal(lg_calendar_is_open(c, utc(2026, 1, 9, 1, 0, 0)), 1);
  assert_int_equal(add(c, utc(2026, 1, 8, 8, 0, 0), 7 * H), utc(2026, 1, 9, 10, 0, 0));
  assert_int_equal(between(c, utc(2026, 1, 5, 0, 0, 0), utc(2026, 1, 12, 0, 0, 0)),
                   4 * 8 * H + 6 * H + 2 * H);
  assert_string_equal(print(c), "calendar\n  utc-offset +00:00\n  hours mon-fri 09:00-17:00\n"
                                "  hours 2026-01-08 20:00-02:00\n"
                                "  hours 2026-01-10 10:00-12:00\n");
  lg_calendar_free(c);
}

/* A calendar with no weekly hours is open on its special days only: time
 * beyond them never comes (LG_ERR_RANGE, LG_TIME_NEVER). */
static void a_calendar_of_special_days_only_runs_out(void **state) {
  lg_calendar *c = parse_ok("hours 2026-01-07 09:00-10:00\nhours 2026-01-14 22:00-01:00\n");
  lg_time      t = 7;
  (void)state;
  assert_int_equal(add(c, utc(2026, 1, 1, 0, 0, 0), H), utc(2026, 1, 7, 10, 0, 0));
  assert_int_equal(add(c, utc(2026, 1, 1, 0, 0, 0), 4 * H), utc(2026, 1, 15, 1, 0, 0));
  assert_int_equal(lg_calendar_add(c, utc(2026, 1, 1, 0, 0, 0), 4 * H + 1, &t), LG_ERR_RANGE);
  assert_int_equal(t, 7);
  assert_int_equal(lg_calendar_next_open(c, utc(2026, 1, 8, 0, 0, 0)), utc(2026, 1, 14, 22, 0, 0));
  assert_true(lg_calendar_next_open(c, utc(2026, 1, 15, 1, 0, 0)) == LG_TIME_NEVER);
  assert_int_equal(between(c, LG_TIME_MIN, LG_TIME_MAX), 4 * H);
  lg_calendar_free(c);
}

/* Intervals print as given, with their owner: 22:00-24:00 plus a next-day
 * 00:00-02:00 is not 22:00-02:00 (a holiday tells them apart); X-00:00
 * ends at 24:00; adjacent overnight pieces merge. */
static void overnight_intervals_print_canonically(void **state) {
  lg_calendar *a = parse_ok("hours mon 22:00-24:00\nhours tue 00:00-02:00\n");
  lg_calendar *b = parse_ok("hours mon 22:00-02:00\n");
  lg_calendar *c = parse_ok("hours tue 17:00-00:00\nhours wed 20:00-22:00, 22:00-03:00\n"
                            "hours 2026-12-31 20:00-02:00\nholiday 2026-12-25\n"
                            "hours 2026-12-24 09:00-13:00\nholiday 2026-01-01\n");
  char         canon[512];
  (void)state;
  assert_string_equal(print(a), "calendar\n  utc-offset +00:00\n  hours mon 22:00-24:00\n"
                                "  hours tue 00:00-02:00\n");
  assert_string_equal(print(b), "calendar\n  utc-offset +00:00\n  hours mon 22:00-02:00\n");
  strcpy(canon, print(c));
  assert_string_equal(canon, "calendar\n  utc-offset +00:00\n  hours tue 17:00-24:00\n"
                             "  hours wed 20:00-03:00\n  holiday 2026-01-01\n"
                             "  holiday 2026-12-25\n  hours 2026-12-24 09:00-13:00\n"
                             "  hours 2026-12-31 20:00-02:00\n");
  lg_calendar_free(c);
  c = parse_ok(canon);
  assert_string_equal(print(c), canon);
  lg_calendar_free(a);
  lg_calendar_free(b);
  lg_calendar_free(c);
}

/* Pieces that merge into a stretch of 24 hours or more owned by one day
 * print split at 23:59 (a single interval cannot state it: 13:00-13:00 is
 * empty, and 00:00-22:00 would lose a day).  The text reparses to the same
 * calendar: the same open time, and a holiday still drops the whole
 * stretch. */
static void stretches_of_a_day_or_more_print_in_two_pieces(void **state) {
  /* open: the open time in [from, from + two weeks), by hand. */
  static const struct {
    const char *text, *canonical;
    int         from_day, offset_hours;
    lg_duration open;
  } cases[] = {
    /* 24 hours from Monday 13:00 and Sunday's two: 26 hours a week */
    {"utc-offset -04:00\nhours mon-mon 17:00-13:00, 13:00-17:00\nhours sun 22:00-24:00\n",
     "calendar\n  utc-offset -04:00\n  hours mon 13:00-23:59, 23:59-13:00\n"
     "  hours sun 22:00-24:00\n",
     5, 4, 2 * 26 * H},
    /* 46 hours from Monday 00:00, gone in the holiday's week */
    {"hours mon 00:00-23:00, 23:00-22:00\nholiday 2026-01-12\n",
     "calendar\n  utc-offset +00:00\n  hours mon 00:00-23:59, 23:59-22:00\n"
     "  holiday 2026-01-12\n",
     5, 0, 46 * H},
    {"hours mon 00:00-12:00, 12:00-01:00\n",
     "calendar\n  utc-offset +00:00\n  hours mon 00:00-23:59, 23:59-01:00\n", 5, 0,
     2 * 25 * H},
    /* the longest stretch a day can own, already in canonical form */
    {"hours mon 00:00-23:59, 23:59-23:58\n",
     "calendar\n  utc-offset +00:00\n  hours mon 00:00-23:59, 23:59-23:58\n", 5, 0,
     2 * (47 * H + 58 * 60)},
    /* a special day: 24 hours of 2026-12-24 and 6 of the next morning */
    {"hours 2026-12-24 00:00-12:00, 12:00-06:00\n",
     "calendar\n  utc-offset +00:00\n  hours 2026-12-24 00:00-23:59, 23:59-06:00\n", -1, 0,
     30 * H},
    /* a whole day stays one interval */
    {"hours mon 00:00-12:00, 12:00-24:00\n",
     "calendar\n  utc-offset +00:00\n  hours mon 00:00-24:00\n", 5, 0, 2 * 24 * H},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    lg_calendar *c = parse_ok(cases[i].text), *again;
    lg_time      from = cases[i].from_day < 0 ? utc(2026, 12, 24, 0, 0, 0)
                                              : utc(2026, 1, cases[i].from_day, 0, 0, 0);
    char         canon[256];
    from += cases[i].offset_hours * H;
    strcpy(canon, print(c));
    assert_string_equal(canon, cases[i].canonical);
    again = parse_ok(canon);
    assert_string_equal(print(again), canon);
    assert_int_equal(between(c, from, from + 14 * 24 * H), cases[i].open);
    assert_int_equal(between(again, from, from + 14 * 24 * H), cases[i].open);
    lg_calendar_free(c);
    lg_calendar_free(again);
  }
}

static void malformed_overnight_and_special_days_say_where_and_why(void **state) {
  static const bad_case cases[] = {
    {"hours mon 09:00-09:00", LG_ERR_SYNTAX, 1, 17, "09:00-09:00 is empty: an end before"},
    {"hours mon-sun 12:00-12:00", LG_ERR_SYNTAX, 1, 21, "is empty"},
    {"hours mon 24:00-06:00", LG_ERR_SYNTAX, 1, 11, "24:00 ends an interval"},
    {"hours mon 22:00-06:00\nhours tue 05:00-09:00", LG_ERR_SYNTAX, 2, 11,
     "hours overlap on tue"},
    {"hours sun 22:00-02:00\nhours mon 01:00-09:00", LG_ERR_SYNTAX, 2, 11,
     "hours overlap on mon"},
    {"hours mon 20:00-04:00\nhours mon 21:00-22:00", LG_ERR_SYNTAX, 2, 11,
     "hours overlap on mon"},
    {"hours mon-sun 12:00-13:00, 20:00-13:00", LG_ERR_SYNTAX, 1, 28, "hours overlap on tue"},
    {"hours 2026-12-24", LG_ERR_SYNTAX, 1, 17, "expected a time like 09:00"},
    {"hours 2026-12-24 09:00", LG_ERR_SYNTAX, 1, 23, "expected '-' and an end time"},
    {"hours 2026-12-24 09:00-13:00 x", LG_ERR_SYNTAX, 1, 30, "unexpected 'x' after the hours"},
    {"hours 2026-12-24 09:00-13:00, 12:00-14:00", LG_ERR_SYNTAX, 1, 31,
     "hours overlap on 2026-12-24"},
    {"hours 2026-12-24 22:00-06:00, 23:00-01:00", LG_ERR_SYNTAX, 1, 31,
     "hours overlap on 2026-12-24"},
    {"hours 2026-02-30 09:00-13:00", LG_ERR_SYNTAX, 1, 7, "no such date 2026-02-30"},
    {"hours 2026-12-24T09:00 09:00-13:00", LG_ERR_SYNTAX, 1, 7,
     "expected a date like 2026-12-24"},
    {"hours 2026-12 09:00-13:00", LG_ERR_SYNTAX, 1, 7, "expected a date like 2026-12-24"},
    {"hours 2026-12-241 09:00-13:00", LG_ERR_SYNTAX, 1, 7, "expected a date like 2026-12-24"},
    {"hours 26-12-24 09:00-13:00", LG_ERR_SYNTAX, 1, 7,
     "expected a day like mon or a date like 2026-12-24"},
    {"hours 2026-12-24, 2026-12-31 09:00-13:00", LG_ERR_SYNTAX, 1, 17,
     "expected a time like 09:00, got ','"},
    {"hours 2026-12-24 9:00-13:00", LG_ERR_SYNTAX, 1, 18, "expected a time like 09:00"},
    {"hours 2026-12-24 09:00-25:00", LG_ERR_SYNTAX, 1, 24, "no such time 25:00"},
    {"hours 2026-12-24 24:00-01:00", LG_ERR_SYNTAX, 1, 18, "24:00 ends an interval"},
    {"hours 2026-12-24 10:00-10:00", LG_ERR_SYNTAX, 1, 24, "10:00-10:00 is empty"},
    {"holiday 2026-12-24\nhours 2026-12-24 09:00-13:00", LG_ERR_SYNTAX, 2, 7,
     "2026-12-24 is a holiday on line 1: a date is either a holiday or a special day"},
    {"hours 2026-12-24 09:00-13:00\n# x\nholiday 2026-12-24", LG_ERR_SYNTAX, 3, 9,
     "2026-12-24 has hours on line 1: a date is either"},
    {"hours 2026-12-24 09:00-13:00\nhours 2026-12-24 14:00-15:00", LG_ERR_SYNTAX, 2, 7,
     "2026-12-24 has hours on line 1 too: list all its intervals on one line"},
    {"holiday 2026-12-24\nholiday 2026-12-24\nhours 2026-12-24 09:00-10:00", LG_ERR_SYNTAX, 3,
     7, "is a holiday on line 2"},
    {"hours thu 22:00-06:00\nhours 2026-12-25 05:00-09:00", LG_ERR_SYNTAX, 2, 7,
     "hours on 2026-12-25 overlap the day before's hours, which run to 06:00"},
    /* between two special days: the earlier date's check speaks first */
    {"hours 2026-12-24 22:00-06:00\nhours 2026-12-25 05:00-09:00", LG_ERR_SYNTAX, 1, 7,
     "hours on 2026-12-24 run past midnight into the next day's hours, which start at 05:00"},
    {"hours fri 05:00-09:00\nhours 2026-12-24 22:00-06:00", LG_ERR_SYNTAX, 2, 7,
     "hours on 2026-12-24 run past midnight into the next day's hours, which start at 05:00"},
    {"hours 2026-12-24 09:00-13:00\nhours 2026-12-23 23:00-10:00", LG_ERR_SYNTAX, 2, 7,
     "hours on 2026-12-23 run past midnight into the next day's hours, which start at 09:00"},
  };
  (void)state;
  assert_bad_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The holiday bound the header states: 55,188 holiday lines of 19 bytes
 * fill 1 MiB (1,048,572 bytes); one more line is over the text limit. */
static void the_most_holidays_1_mib_holds_is_55188(void **state) {
  size_t       cap = (size_t)1 << 21, len = 0, i;
  char        *text = malloc(cap);
  lg_calendar *c = NULL;
  lg_error     err;
  (void)state;
  assert_non_null(text);
  for (i = 0; i < 55189; i++) {
    int64_t y;
    int     m, d;
    ref_date(ref_days(1, 1, 1) + (int64_t)i, &y, &m, &d);
    len += (size_t)snprintf(text + len, cap - len, "holiday %04d-%02d-%02d\n", (int)y, m, d);
    if (i == 55187) {
      assert_int_equal(len, 55188 * 19);
      assert_true(len <= (size_t)1 << 20);
      assert_int_equal(lg_calendar_parse(text, len, &c, &err), LG_OK);
      { /* all of them kept: 21 canonical bytes each after the 29 of the head */
        size_t needed = 0;
        assert_int_equal(lg_calendar_to_text(c, NULL, 0, &needed), LG_ERR_BUFFER);
        assert_int_equal(needed, 29 + 55188 * 21 + 1);
      }
      lg_calendar_free(c);
    }
  }
  assert_true(len > (size_t)1 << 20);
  assert_int_equal(lg_calendar_parse(text, len, &c, &err), LG_ERR_LIMIT);
  free(text);
}

/* ---- allocation failures and bad arguments ------------------------------- */

static void allocation_failure_at_every_point_leaks_nothing(void **state) {
  static const char text[] =
    "utc-offset +01:00\nhours mon-fri 09:00-17:00\n"
    "holiday 2026-01-01\nholiday 2026-01-02\nholiday 2026-01-03\nholiday 2026-01-04\n"
    "holiday 2026-01-05\nholiday 2026-01-06\nholiday 2026-01-07\nholiday 2026-01-08\n"
    "holiday 2026-01-09\n"
    "offset-change 2026-03-29T01:00:00Z +02:00\noffset-change 2026-10-25T01:00:00Z +01:00\n"
    "offset-change 2027-03-28T01:00:00Z +02:00\noffset-change 2027-10-31T01:00:00Z +01:00\n"
    "offset-change 2028-03-26T01:00:00Z +02:00\noffset-change 2028-10-29T01:00:00Z +01:00\n"
    "hours mon 22:00-02:00\nhours 2026-01-10 10:00-12:00\nhours 2026-12-24 09:00-13:00\n"
    "hours 2026-12-31 22:00-01:00, 09:00-12:00\n";
  long n, failures = 0;
  (void)state;
  for (n = 1;; n++) {
    lg_calendar *sentinel = (lg_calendar *)(uintptr_t)0x5678, *c = sentinel;
    lg_error     err;
    lg_status    st;
    ts_alloc_install();
    ts_alloc_fail_at(n, 1);
    st = lg_calendar_parse(text, sizeof text - 1, &c, &err);
    if (st == LG_OK) {
      /* Holidays to Friday 9th, then Saturday 10th 10:00-12:00 local = 11:00Z. */
      lg_time deadline = 0;
      int     failed = ts_alloc_failed();
      lg_status add_st = lg_calendar_add(c, utc(2026, 1, 9, 16, 0, 0), 2 * H, &deadline);
      long    live;
      lg_calendar_free(c);
      live = ts_alloc_live_blocks();
      ts_alloc_restore();
      assert_false(failed);
      assert_int_equal(add_st, LG_OK);
      assert_int_equal(deadline, utc(2026, 1, 10, 11, 0, 0));
      assert_int_equal(live, 0);
      break;
    }
    {
      long live = ts_alloc_live_blocks();
      ts_alloc_restore();
      failures++;
      assert_int_equal(st, LG_ERR_NOMEM);
      assert_int_equal(err.status, LG_ERR_NOMEM);
      assert_int_equal(err.line, 0);
      assert_ptr_equal(c, sentinel);
      assert_int_equal(live, 0);
    }
  }
  assert_true(failures >= 6); /* state, date, interval and change growth, the calendar */
}

static void null_arguments_are_rejected_by_every_function(void **state) {
  lg_calendar *c = parse_ok(NINE_TO_FIVE);
  lg_time      t = 3;
  lg_duration  d = 3;
  lg_error     err;
  (void)state;
  assert_int_equal(lg_calendar_parse(NULL, 0, &c, &err), LG_ERR_INVALID);
  assert_int_equal(err.status, LG_ERR_INVALID);
  assert_int_equal(lg_calendar_parse(NULL, 0, &c, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_calendar_parse("", 0, NULL, &err), LG_ERR_INVALID);
  assert_int_equal(lg_calendar_add(NULL, 0, 0, &t), LG_ERR_INVALID);
  assert_int_equal(lg_calendar_add(c, 0, 0, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_calendar_between(NULL, 0, 1, &d), LG_ERR_INVALID);
  assert_int_equal(lg_calendar_between(c, 0, 1, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_calendar_is_open(NULL, 0), 0);
  assert_int_equal(lg_calendar_next_open(NULL, 0), LG_TIME_NEVER);
  assert_int_equal(t, 3);
  assert_int_equal(d, 3);
  lg_calendar_free(NULL);
  lg_calendar_free(c);
}

/* ---- brute-force reference ------------------------------------------------
 * A calendar as plain lists; open(t) straight from the definition; time
 * walked in pieces that cannot change state inside: up to the next UTC
 * minute (offsets are whole minutes, so local minutes align) or the next
 * offset change, whichever is first. */

typedef struct ref_cal {
  int64_t base;           /* seconds */
  int     n_iv[7];        /* per day, Monday first */
  int     iv_from[7][5], iv_to[7][5]; /* minutes from midnight; overnight: to > 1440 */
  int     n_hol;
  int64_t hol[12];        /* local day numbers, unsorted, maybe repeated */
  int     n_sp;           /* special days: their own hours instead of the weekday's */
  int64_t sp_day[4];
  int     sp_n[4], sp_from[4][5], sp_to[4][5];
  int     n_chg;
  int64_t chg_at[6], chg_off[6]; /* unsorted */
} ref_cal;

static int64_t ref_monday; /* day number of a known Monday, 2024-01-01 */

static int64_t ref_offset(const ref_cal *r, int64_t t) {
  int64_t off = r->base, best = INT64_MIN;
  int     i;
  for (i = 0; i < r->n_chg; i++)
    if (r->chg_at[i] <= t && r->chg_at[i] > best) {
      best = r->chg_at[i];
      off = r->chg_off[i];
    }
  return off;
}

/* The intervals local day `day` owns: none on a holiday, a special day's
 * own, else its weekday's.  Returns how many; *from and *to point at them. */
static int ref_own(const ref_cal *r, int64_t day, const int **from, const int **to) {
  int64_t wd = (day - ref_monday) % 7;
  int     i;
  if (wd < 0) wd += 7;
  for (i = 0; i < r->n_hol; i++)
    if (r->hol[i] == day) return 0;
  for (i = 0; i < r->n_sp; i++)
    if (r->sp_day[i] == day) {
      *from = r->sp_from[i];
      *to = r->sp_to[i];
      return r->sp_n[i];
    }
  *from = r->iv_from[wd];
  *to = r->iv_to[wd];
  return r->n_iv[wd];
}

/* Open straight from the definition: the minute lies in an interval of
 * its own day, or in an overnight one of the day before. */
static int ref_open(const ref_cal *r, int64_t t) {
  int64_t    local = t + ref_offset(r, t), day = floor_div(local, 86400);
  int        minute = (int)((local - day * 86400) / 60), i, n, back;
  const int *from, *to;
  for (back = 0; back <= 1; back++) {
    n = ref_own(r, day - back, &from, &to);
    for (i = 0; i < n; i++)
      if (minute + back * 1440 >= from[i] && minute + back * 1440 < to[i]) return 1;
  }
  return 0;
}

/* 1 if no minute is claimed twice: within the weekly pattern (overnight
 * parts wrap into the next day, sunday into monday), and around every
 * special day; and no date is both a holiday and a special day. */
static int ref_valid(const ref_cal *r) {
  static unsigned char used[4 * 1440];
  int                  d, i, k, b;
  memset(used, 0, 7 * 1440 > sizeof used ? sizeof used : 7 * 1440);
  {
    static unsigned char week[7 * 1440];
    memset(week, 0, sizeof week);
    for (d = 0; d < 7; d++)
      for (i = 0; i < r->n_iv[d]; i++) {
        int m;
        for (m = r->iv_from[d][i]; m < r->iv_to[d][i]; m++)
          if (week[(d * 1440 + m) % (7 * 1440)]++) return 0;
      }
  }
  for (k = 0; k < r->n_sp; k++) {
    for (i = 0; i < r->n_hol; i++)
      if (r->hol[i] == r->sp_day[k]) return 0;
    memset(used, 0, sizeof used);
    for (b = -1; b <= 1; b++) {
      const int *from, *to;
      int        n = ref_own(r, r->sp_day[k] + b, &from, &to), m;
      for (i = 0; i < n; i++)
        for (m = from[i]; m < to[i]; m++)
          if (used[(b + 1) * 1440 + m]++) return 0;
    }
  }
  return 1;
}

static int64_t ref_step(const ref_cal *r, int64_t t) {
  int64_t next = (floor_div(t, 60) + 1) * 60;
  int     i;
  for (i = 0; i < r->n_chg; i++)
    if (r->chg_at[i] > t && r->chg_at[i] < next) next = r->chg_at[i];
  return next;
}

static int64_t ref_between(const ref_cal *r, int64_t a, int64_t b) {
  int64_t sum = 0;
  while (a < b) {
    int64_t n = ref_step(r, a);
    if (n > b) n = b;
    if (ref_open(r, a)) sum += n - a;
    a = n;
  }
  return sum;
}

/* 0 if not reached within `horizon` seconds. */
static int ref_add(const ref_cal *r, int64_t t, int64_t d, int64_t horizon, int64_t *out) {
  int64_t acc = 0, end = t + horizon;
  if (d == 0) {
    *out = t;
    return 1;
  }
  while (t < end) {
    int64_t n = ref_step(r, t);
    if (ref_open(r, t)) {
      if (acc + (n - t) >= d) {
        *out = t + (d - acc);
        return 1;
      }
      acc += n - t;
    }
    t = n;
  }
  return 0;
}

static uint64_t rng_state;
static uint64_t rng(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * UINT64_C(2685821657736338717);
}
static int64_t rng_in(int64_t lo, int64_t hi) { /* inclusive */
  return lo + (int64_t)(rng() % (uint64_t)(hi - lo + 1));
}

static size_t put_offset(char *s, size_t cap, int64_t secs) {
  int64_t a = secs < 0 ? -secs : secs;
  return (size_t)snprintf(s, cap, "%c%02d:%02d", secs < 0 ? '-' : '+', (int)(a / 3600),
                          (int)(a / 60 % 60));
}

static size_t put_date(char *s, size_t cap, int64_t days) {
  int64_t y;
  int     m, d;
  ref_date(days, &y, &m, &d);
  return (size_t)snprintf(s, cap, "%04d-%02d-%02d", (int)y, m, d);
}

static size_t put_hhmm(char *s, size_t cap, int minutes) {
  return (size_t)snprintf(s, cap, "%02d:%02d", minutes / 60, minutes % 60);
}

/* Up to three random intervals of one day (sorted, distinct boundaries,
 * some on odd minutes, sometimes written as two adjacent halves), and now
 * and then an overnight one after them; appended to line at *l.  Returns
 * how many were stored in from/to. */
static int random_day(int *from, int *to, char *line, size_t *l) {
  int pts[6], k = (int)rng_in(0, 3), j, n = 0, count = 0, last = 0;
  while (n < 2 * k) { /* distinct sorted boundaries */
    int v = (int)(rng_in(0, 3) == 0 ? rng_in(0, 1) * 1440 : rng_in(0, 96) * 15);
    if (rng_in(0, 3) == 0) v = (int)rng_in(0, 1440);
    for (j = 0; j < n && pts[j] != v; j++) {
    }
    if (j < n) continue;
    for (j = n; j > 0 && pts[j - 1] > v; j--) pts[j] = pts[j - 1];
    pts[j] = v;
    n++;
  }
  for (j = 0; j < k; j++) {
    int a = pts[2 * j], b = pts[2 * j + 1];
    from[count] = a;
    to[count++] = b;
    last = b;
    *l += (size_t)snprintf(line + *l, 160 - *l, "%s ", j ? "," : "");
    if (b - a >= 2 && rng_in(0, 3) == 0) { /* adjacent halves: merged */
      int mid = a + (b - a) / 2;
      *l += put_hhmm(line + *l, 160 - *l, a);
      *l += (size_t)snprintf(line + *l, 160 - *l, "-");
      *l += put_hhmm(line + *l, 160 - *l, mid);
      *l += (size_t)snprintf(line + *l, 160 - *l, ", ");
      a = mid;
    }
    *l += put_hhmm(line + *l, 160 - *l, a);
    *l += (size_t)snprintf(line + *l, 160 - *l, "-");
    *l += put_hhmm(line + *l, 160 - *l, b);
  }
  if (last < 1438 && rng_in(0, 3) == 0) { /* overnight: ends the next day */
    int a = (int)rng_in(last, 1439), b;
    if (rng_in(0, 1) && (a + 14) / 15 * 15 < 1440) a = (a + 14) / 15 * 15;
    if (a < 2) a = 2;
    b = (int)(rng_in(0, 1) ? rng_in(1, a - 1 < 180 ? a - 1 : 180) : rng_in(1, 12) * 15);
    if (b >= a) b = a - 1;
    from[count] = a;
    to[count++] = 1440 + b;
    *l += (size_t)snprintf(line + *l, 160 - *l, "%s ", k ? "," : "");
    *l += put_hhmm(line + *l, 160 - *l, a);
    *l += (size_t)snprintf(line + *l, 160 - *l, "-");
    *l += put_hhmm(line + *l, 160 - *l, b);
  }
  return count;
}

/* A random calendar around UTC instant `w`, and its text with the
 * statements in random order. */
static void random_calendar(ref_cal *r, int64_t w, char *text, size_t cap) {
  static const char *days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  char   lines[40][160];
  int    n_lines = 0, d, i, kind = (int)rng_in(0, 19);
  size_t len = 0;
  memset(r, 0, sizeof *r);
  text[0] = '\0'; /* an empty calendar is a valid one */
  r->base = rng_in(-1080, 1080) * 60;
  if (rng_in(0, 1)) r->base = r->base / 1800 * 1800;
  for (d = 0; d < 7; d++) {
    size_t l;
    if (kind == 1) { /* always open */
      r->n_iv[d] = 1;
      r->iv_from[d][0] = 0;
      r->iv_to[d][0] = 1440;
      snprintf(lines[n_lines++], 160, "hours %s 00:00-24:00", days[d]);
      continue;
    }
    if (kind == 0) continue;
    l = (size_t)snprintf(lines[n_lines], 160, "hours %s", days[d]);
    r->n_iv[d] = random_day(r->iv_from[d], r->iv_to[d], lines[n_lines], &l);
    if (r->n_iv[d] > 0) n_lines++;
  }
  for (i = (int)rng_in(0, 3); i > 0 && kind >= 6; i--) { /* special days */
    int64_t day = floor_div(w, 86400) + rng_in(-2, 20);
    int     j;
    size_t  l;
    for (j = 0; j < r->n_sp && r->sp_day[j] != day; j++) {
    }
    if (j < r->n_sp || day < ref_days(1, 1, 1) || day > ref_days(9999, 12, 31)) continue;
    l = (size_t)snprintf(lines[n_lines], 160, "hours ");
    l += put_date(lines[n_lines] + l, 160 - l, day);
    r->sp_n[r->n_sp] = random_day(r->sp_from[r->n_sp], r->sp_to[r->n_sp], lines[n_lines], &l);
    if (r->sp_n[r->n_sp] == 0) continue;
    r->sp_day[r->n_sp++] = day;
    n_lines++;
  }
  if (rng_in(0, 3)) {
    size_t l = (size_t)snprintf(lines[n_lines], 160, "utc-offset ");
    put_offset(lines[n_lines++] + l, 160 - l, r->base);
  } else {
    r->base = 0;
  }
  for (i = (int)rng_in(0, 6); i > 0; i--) {
    int64_t day = floor_div(w, 86400) + rng_in(-2, 20);
    size_t  l;
    if (day < ref_days(1, 1, 1) || day > ref_days(9999, 12, 31)) continue;
    r->hol[r->n_hol++] = day;
    l = (size_t)snprintf(lines[n_lines], 160, "holiday ");
    put_date(lines[n_lines++] + l, 160 - l, day);
  }
  for (i = (int)rng_in(0, 5); i > 0; i--) {
    int64_t at = w + rng_in(0, 20 * 86400), day = floor_div(at, 86400), sod = at - day * 86400;
    int     j;
    size_t  l;
    if (rng_in(0, 1)) at -= sod % 60; /* often on a whole minute */
    sod = at - day * 86400;
    for (j = 0; j < r->n_chg && r->chg_at[j] != at; j++) {
    }
    if (j < r->n_chg || at < LG_TIME_MIN || at > LG_TIME_MAX) continue;
    r->chg_at[r->n_chg] = at;
    r->chg_off[r->n_chg] = rng_in(-1080, 1080) * 60;
    l = (size_t)snprintf(lines[n_lines], 160, "offset-change ");
    l += put_date(lines[n_lines] + l, 160 - l, day);
    l += (size_t)snprintf(lines[n_lines] + l, 160 - l, "T%02d:%02d:%02dZ ", (int)(sod / 3600),
                          (int)(sod / 60 % 60), (int)(sod % 60));
    put_offset(lines[n_lines++] + l, 160 - l, r->chg_off[r->n_chg++]);
  }
  for (i = n_lines - 1; i > 0; i--) { /* shuffle */
    char tmp[160];
    int  j = (int)rng_in(0, i);
    memcpy(tmp, lines[i], 160);
    memcpy(lines[i], lines[j], 160);
    memcpy(lines[j], tmp, 160);
  }
  if (rng_in(0, 1)) len += (size_t)snprintf(text + len, cap - len, "calendar\n");
  for (i = 0; i < n_lines; i++)
    len += (size_t)snprintf(text + len, cap - len, "%s%s\n", rng_in(0, 1) ? "  " : "",
                            lines[i]);
}

static uint64_t seed_from_env(void) {
  const char *s = getenv("LG_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : UINT64_C(20260105);
}

#define CHECK(cond, ...)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      print_error("seed %llu, calendar %d:\n%s", (unsigned long long)seed, k, text);     \
      print_error(__VA_ARGS__);                                                          \
      print_error("\n");                                                                 \
      fail_msg("%s", #cond);                                                             \
    }                                                                                    \
  } while (0)

static void random_calendars_match_the_brute_force_reference(void **state) {
  const int64_t windows[] = {utc(2026, 1, 1, 0, 0, 0), utc(1969, 12, 25, 0, 0, 0),
                             utc(2028, 2, 20, 0, 0, 0), LG_TIME_MIN,
                             utc(9999, 12, 10, 0, 0, 0)};
  uint64_t      seed = seed_from_env();
  const char   *env_rounds = getenv("LG_TEST_ROUNDS");
  int           k, q, wd, rounds = env_rounds ? atoi(env_rounds) : ts_rounds(400);
  int           invalid = 0, overnight = 0, special = 0;
  char          text[8192];
  (void)state;
  ref_monday = ref_days(2024, 1, 1);
  rng_state = seed * 2 + 1;
  for (k = 0; k < rounds; k++) {
    ref_cal      r;
    int64_t      w = windows[rng_in(0, 4)];
    lg_calendar *c, *again;
    char         canon[8192];
    random_calendar(&r, w, text, sizeof text);
    if (!ref_valid(&r)) { /* overlapping hours: the parser must say so */
      lg_error err;
      c = NULL;
      CHECK(lg_calendar_parse(text, strlen(text), &c, &err) == LG_ERR_SYNTAX,
            "overlapping hours accepted");
      invalid++;
      continue;
    }
    for (q = 0, wd = 0; wd < 7; wd++)
      q |= r.n_iv[wd] > 0 && r.iv_to[wd][r.n_iv[wd] - 1] > 1440;
    overnight += q;
    special += r.n_sp > 0;
    c = parse_ok(text);
    strcpy(canon, print(c));
    again = parse_ok(canon);
    CHECK(strcmp(print(again), canon) == 0, "print -> parse -> print differs:\n%s", print(again));
    for (q = 0; q < 10; q++) {
      int64_t     a = w + rng_in(-86400, 16 * 86400), b = a + rng_in(-3600, 3 * 86400);
      int64_t     want, got_t = 0, d, horizon = 40 * 86400;
      lg_duration got_d = 0;
      lg_status   st;
      if (rng_in(0, 3) == 0 && r.n_chg) a = r.chg_at[rng_in(0, r.n_chg - 1)] + rng_in(-2, 2);
      if (a < LG_TIME_MIN) a = LG_TIME_MIN + rng_in(0, 100);
      /* between */
      st = lg_calendar_between(c, a, b, &got_d);
      if (b > LG_TIME_MAX || b < LG_TIME_MIN) {
        CHECK(st == LG_ERR_RANGE, "between(%lld, %lld) past the end", (long long)a, (long long)b);
      } else {
        want = b > a ? ref_between(&r, a, b) : 0;
        CHECK(st == LG_OK && got_d == want, "between(%lld, %lld) = %lld, want %lld",
              (long long)a, (long long)b, (long long)got_d, (long long)want);
        lg_calendar_between(again, a, b, &got_d);
        CHECK(got_d == want, "reparsed between(%lld, %lld)", (long long)a, (long long)b);
      }
      if (a > LG_TIME_MAX) continue;
      /* is_open at a, on and around the pieces next to it */
      CHECK(lg_calendar_is_open(c, a) == ref_open(&r, a), "is_open(%lld)", (long long)a);
      /* add: durations that end anywhere, including exactly at a close */
      d = ref_between(&r, a, a + rng_in(0, 5 * 86400));
      if (rng_in(0, 2) == 0) d = rng_in(0, d);
      if (rng_in(0, 9) == 0) d = rng_in(0, 1);
      st = lg_calendar_add(c, a, d, &got_t);
      if (ref_add(&r, a, d, horizon, &want)) {
        if (want > LG_TIME_MAX)
          CHECK(st == LG_ERR_RANGE, "add(%lld, %lld) past the end", (long long)a, (long long)d);
        else
          CHECK(st == LG_OK && got_t == want, "add(%lld, %lld) = %lld (%s), want %lld",
                (long long)a, (long long)d, (long long)got_t, lg_status_name(st),
                (long long)want);
      }
      if (st == LG_OK) {
        CHECK(between(c, a, got_t) == d, "between(a, add(a, %lld))", (long long)d);
      }
      /* next_open */
      {
        lg_time got = lg_calendar_next_open(c, a);
        int     found = ref_add(&r, a, 1, horizon, &want);
        if (found) want = want - 1 > LG_TIME_MAX ? LG_TIME_NEVER : want - 1;
        if (found || got == LG_TIME_NEVER)
          CHECK(got == (found ? want : LG_TIME_NEVER), "next_open(%lld) = %lld, want %lld",
                (long long)a, (long long)got, (long long)want);
      }
    }
    /* Second by second around each offset change: is_open sums to between. */
    for (q = 0; q < r.n_chg; q++) {
      int64_t t0 = r.chg_at[q] - 90, t, sum = 0;
      if (t0 < LG_TIME_MIN || t0 + 200 > LG_TIME_MAX) continue;
      for (t = t0; t < t0 + 200; t++) {
        CHECK(lg_calendar_is_open(c, t) == ref_open(&r, t), "is_open(%lld)", (long long)t);
        sum += lg_calendar_is_open(c, t);
      }
      CHECK(between(c, t0, t0 + 200) == sum, "between around change %d", q);
    }
    lg_calendar_free(c);
    lg_calendar_free(again);
  }
  /* The mix covers what it is meant to (for the default rounds). */
  print_message("calendars: %d rejected, %d overnight, %d with special days\n", invalid,
                overnight, special);
  if (rounds >= 400) {
    assert_true(invalid >= 20);
    assert_true(overnight >= 50);
    assert_true(special >= 50);
  }
}

/* lg_calendar_to_text prints the canonical block, which parses back to
 * the same text; the policy's always-open calendar prints as every hour. */
static void a_calendar_prints_its_canonical_text(void **state) {
  static const char text[] = "hours sat 10:00-13:00\n"
                             "holiday 2026-12-25\n"
                             "utc-offset +01:00\n"
                             "hours mon-fri 09:00-17:30\n";
  static const char want[] = "calendar\n"
                             "  utc-offset +01:00\n"
                             "  hours mon-fri 09:00-17:30\n"
                             "  hours sat 10:00-13:00\n"
                             "  holiday 2026-12-25\n";
  lg_calendar *c = NULL, *back = NULL;
  lg_policy   *p = NULL;
  char         buf[256], again[256];
  size_t       need = 0;
  (void)state;
  assert_int_equal(lg_calendar_parse(text, sizeof text - 1, &c, NULL), LG_OK);
  assert_int_equal(lg_calendar_to_text(c, buf, sizeof buf, &need), LG_OK);
  assert_string_equal(buf, want);
  assert_int_equal(need, sizeof want);
  assert_int_equal(lg_calendar_to_text(c, buf, 10, &need), LG_ERR_BUFFER);
  assert_int_equal(need, sizeof want);
  assert_int_equal(lg_calendar_parse(want, sizeof want - 1, &back, NULL), LG_OK);
  assert_int_equal(lg_calendar_to_text(back, again, sizeof again, NULL), LG_OK);
  assert_string_equal(again, want);
  assert_int_equal(lg_calendar_to_text(NULL, buf, sizeof buf, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_policy_parse("", 0, &p, NULL), LG_OK);
  assert_int_equal(lg_calendar_to_text(lg_policy_calendar(p), buf, sizeof buf, NULL), LG_OK);
  assert_string_equal(buf, "calendar\n  utc-offset +00:00\n  hours mon-sun 00:00-24:00\n");
  lg_policy_free(p);
  lg_calendar_free(back);
  lg_calendar_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_calendar_prints_its_canonical_text),
    cmocka_unit_test(deadline_exactly_at_closing_time_is_the_closing_time),
    cmocka_unit_test(start_outside_hours_counts_from_the_next_opening),
    cmocka_unit_test(start_on_a_weekend_counts_from_monday),
    cmocka_unit_test(start_on_a_holiday_counts_from_the_next_open_day),
    cmocka_unit_test(friday_16h_plus_48_business_hours_is_monday_16h_a_week_later),
    cmocka_unit_test(a_holiday_in_the_next_week_pushes_48_hours_a_day_later),
    cmocka_unit_test(split_shifts_skip_the_lunch_break),
    cmocka_unit_test(an_interval_ending_24h_runs_into_one_starting_00h_the_next_day),
    cmocka_unit_test(spring_forward_skips_an_open_local_hour),
    cmocka_unit_test(fall_back_repeats_an_open_local_hour),
    cmocka_unit_test(a_leap_day_holiday_is_skipped_and_invalid_leap_days_are_rejected),
    cmocka_unit_test(the_year_boundary_with_a_new_year_holiday),
    cmocka_unit_test(a_negative_half_hour_offset_shifts_the_hours),
    cmocka_unit_test(a_positive_half_hour_offset_shifts_the_hours),
    cmocka_unit_test(durations_of_zero_and_one_second),
    cmocka_unit_test(holidays_listed_unsorted_are_sorted_and_duplicates_merged),
    cmocka_unit_test(times_near_the_limits_are_range_errors_and_never_overflow),
    cmocka_unit_test(a_calendar_without_hours_is_never_open),
    cmocka_unit_test(the_always_open_calendar_takes_the_fast_paths),
    cmocka_unit_test(day_ranges_wrap_past_sunday_and_day_lists_group_canonically),
    cmocka_unit_test(malformed_calendars_report_status_line_and_column),
    cmocka_unit_test(malformed_fields_say_what_was_expected_at_the_token),
    cmocka_unit_test(the_first_repeated_offset_change_in_text_order_is_reported),
    cmocka_unit_test(any_blanks_may_precede_the_calendar_line),
    cmocka_unit_test(more_than_10000_offset_changes_is_a_limit_error),
    cmocka_unit_test(printing_is_canonical_and_a_fixed_point),
    cmocka_unit_test(a_policy_block_stops_at_the_first_line_that_is_not_a_calendar_statement),
    cmocka_unit_test(whole_days_written_00_to_24_never_close_at_midnight),
    cmocka_unit_test(an_evening_shift_to_01h_runs_into_the_next_day),
    cmocka_unit_test(a_weekend_start_after_hours_does_not_roll_a_day_too_far),
    cmocka_unit_test(a_days_hours_before_a_holiday_end_at_its_close),
    cmocka_unit_test(a_short_day_before_a_holiday),
    cmocka_unit_test(overnight_hours_across_a_dst_change),
    cmocka_unit_test(a_holiday_removes_the_whole_overnight_interval_it_starts),
    cmocka_unit_test(special_days_replace_the_hours_of_their_date),
    cmocka_unit_test(a_calendar_of_special_days_only_runs_out),
    cmocka_unit_test(overnight_intervals_print_canonically),
    cmocka_unit_test(stretches_of_a_day_or_more_print_in_two_pieces),
    cmocka_unit_test(malformed_overnight_and_special_days_say_where_and_why),
    cmocka_unit_test(the_most_holidays_1_mib_holds_is_55188),
    cmocka_unit_test(allocation_failure_at_every_point_leaks_nothing),
    cmocka_unit_test(null_arguments_are_rejected_by_every_function),
    cmocka_unit_test(random_calendars_match_the_brute_force_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
