/*
 * test_time.c - times as text (lib/time.c): lg_time_parse and
 * lg_time_format, and the Gregorian day arithmetic under them.  The fixed
 * instants were computed independently with Python's datetime
 * (datetime.fromisoformat(...).timestamp()); test_python.py compares
 * lg_time_format with datetime on random instants too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"

static lg_time parse_ok(const char *s) {
  lg_time t = 12345;
  assert_int_equal(lg_time_parse(s, strlen(s), &t), LG_OK);
  return t;
}

static lg_status parse_status(const char *s) {
  lg_time t = 777;
  lg_status st = lg_time_parse(s, strlen(s), &t);
  if (st != LG_OK) assert_int_equal(t, 777); /* untouched on failure */
  return st;
}

static void known_instants_parse_to_their_epoch_seconds(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-11-23T10:00:00Z"), 1795428000);
  assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
  assert_int_equal(parse_ok("0001-01-01T00:00:00Z"), LG_TIME_MIN);
  assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), LG_TIME_MAX);
  assert_int_equal(parse_ok("2000-02-29T12:34:56Z"), 951827696);
  assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), -1);
  assert_int_equal(parse_ok("2024-03-10T02:30:00Z"), 1710037800);
  /* offsets: local time minus the offset */
  assert_int_equal(parse_ok("2026-11-23T10:00:00+05:30"), 1795408200);
  assert_int_equal(parse_ok("2026-11-23T10:00:00-08:00"), 1795456800);
  assert_int_equal(parse_ok("2026-11-23T10:00:00+00:00"), 1795428000);
  /* epoch seconds */
  assert_int_equal(parse_ok("1795428000"), 1795428000);
  assert_int_equal(parse_ok("+42"), 42);
  assert_int_equal(parse_ok("-1"), -1);
  assert_int_equal(parse_ok("-0"), 0);
  assert_int_equal(parse_ok("253402300799"), LG_TIME_MAX);
  assert_int_equal(parse_ok("-62135596800"), LG_TIME_MIN);
}

static void fractions_are_dropped_to_the_second(void **state) {
  (void)state;
  /* What JavaScript's toISOString and Salesforce exports write. */
  assert_int_equal(parse_ok("2026-11-23T10:00:00.000Z"), 1795428000);
  assert_int_equal(parse_ok("2026-11-23T10:00:00.999Z"), 1795428000);
  assert_int_equal(parse_ok("2026-11-23T10:00:00.5+01:00"), 1795428000 - 3600);
  assert_int_equal(parse_ok("2026-11-23T10:00:00.123456789Z"), 1795428000);
  /* before 1970 truncation still keeps the written second */
  assert_int_equal(parse_ok("1969-12-31T23:59:59.9Z"), -1);
  assert_int_equal(parse_status("2026-11-23T10:00:00.Z"), LG_ERR_SYNTAX);
  assert_int_equal(parse_status("2026-11-23T10:00:00.1234567890Z"), LG_ERR_SYNTAX);
}

static void malformed_times_are_syntax_errors(void **state) {
  static const char *bad[] = {
    "",     "2026-11-23",          "2026-11-23T10:00Z",      "2026-11-23 10:00:00Z",
    "2026-11-23t10:00:00Z",    "2026-11-23T10:00:00z",   "2026-11-23T10:00:00",
    " 2026-11-23T10:00:00Z",   "2026-11-23T10:00:00Z ",  "2026-13-01T00:00:00Z",
    "2026-02-29T00:00:00Z",    "2026-04-31T00:00:00Z",   "2026-11-23T24:00:00Z",
    "2026-11-23T10:60:00Z",    "2026-11-23T23:59:60Z",   "0000-01-01T00:00:00Z",
    "2026-11-23T10:00:00+5:30", "2026-11-23T10:00:00+24:00", "2026-11-23T10:00:00+05:60",
    "2026-11-23T10:00:00+0530", "+",                     "-",
    "12a",                     "1e9",                    "0x10",
    "1,000",                   "1 000",                  "2026-1-23T10:00:00Z",
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (parse_status(bad[i]) != LG_ERR_SYNTAX) fail_msg("accepted or wrong status: '%s'", bad[i]);
  }
}

static void times_outside_years_1_to_9999_are_range_errors(void **state) {
  (void)state;
  assert_int_equal(parse_status("253402300800"), LG_ERR_RANGE);  /* 10000-01-01 */
  assert_int_equal(parse_status("-62135596801"), LG_ERR_RANGE);
  assert_int_equal(parse_status("99999999999999999999"), LG_ERR_RANGE); /* past int64 */
  assert_int_equal(parse_status("-9223372036854775808"), LG_ERR_RANGE); /* INT64_MIN */
  assert_int_equal(parse_status("9223372036854775807"), LG_ERR_RANGE);
  /* a digit string past int64 that then turns non-numeric is not a number */
  assert_int_equal(parse_status("99999999999999999999x"), LG_ERR_SYNTAX);
  /* valid text whose offset pushes it past the range */
  assert_int_equal(parse_status("9999-12-31T23:59:59-00:01"), LG_ERR_RANGE);
  assert_int_equal(parse_status("0001-01-01T00:00:00+00:01"), LG_ERR_RANGE);
}

static void null_arguments_are_invalid(void **state) {
  lg_time t = 5;
  (void)state;
  assert_int_equal(lg_time_parse(NULL, 3, &t), LG_ERR_INVALID);
  assert_int_equal(lg_time_parse("123", 3, NULL), LG_ERR_INVALID);
  assert_int_equal(t, 5);
  /* len bounds the text: no NUL needed, and nothing past len is read */
  assert_int_equal(lg_time_parse("1234567", 3, &t), LG_OK);
  assert_int_equal(t, 123);
}

static void format_writes_utc_and_keeps_the_buffer_contract(void **state) {
  char   buf[LG_TIME_TEXT_SIZE], small[20];
  size_t need = 0;
  (void)state;
  assert_int_equal(lg_time_format(1795428000, buf, sizeof buf, &need), LG_OK);
  assert_string_equal(buf, "2026-11-23T10:00:00Z");
  assert_int_equal(need, LG_TIME_TEXT_SIZE);
  assert_int_equal(lg_time_format(LG_TIME_MIN, buf, sizeof buf, NULL), LG_OK);
  assert_string_equal(buf, "0001-01-01T00:00:00Z");
  assert_int_equal(lg_time_format(LG_TIME_MAX, buf, sizeof buf, NULL), LG_OK);
  assert_string_equal(buf, "9999-12-31T23:59:59Z");
  assert_int_equal(lg_time_format(-1, buf, sizeof buf, NULL), LG_OK);
  assert_string_equal(buf, "1969-12-31T23:59:59Z");
  memset(small, 'x', sizeof small);
  need = 0;
  assert_int_equal(lg_time_format(0, small, sizeof small, &need), LG_ERR_BUFFER);
  assert_int_equal(need, LG_TIME_TEXT_SIZE);
  assert_int_equal(small[0], 'x'); /* not written */
  assert_int_equal(lg_time_format(0, NULL, 0, &need), LG_ERR_BUFFER);
  assert_int_equal(lg_time_format(LG_TIME_MAX + 1, buf, sizeof buf, NULL), LG_ERR_RANGE);
  assert_int_equal(lg_time_format(LG_TIME_MIN - 1, buf, sizeof buf, NULL), LG_ERR_RANGE);
}

/* Format then parse gives the instant back, over the whole range: every
 * day boundary of a sample of years, and a stride through all seconds. */
static void format_and_parse_round_trip_over_the_whole_range(void **state) {
  char    buf[LG_TIME_TEXT_SIZE];
  lg_time t, back;
  int64_t y;
  (void)state;
  for (t = LG_TIME_MIN; t <= LG_TIME_MAX - 7777777; t += 7777777) {
    assert_int_equal(lg_time_format(t, buf, sizeof buf, NULL), LG_OK);
    assert_int_equal(lg_time_parse(buf, strlen(buf), &back), LG_OK);
    assert_int_equal(back, t);
  }
  /* Every 1 March and 28/29 February around leap rules: 1600, 1700, 1900,
   * 2000, 2100 and the ends of the range. */
  for (y = 1; y <= 9999; y += (y < 20 || y > 9980) ? 1 : 97) {
    int m;
    for (m = 1; m <= 12; m++) {
      int64_t day = lg__days_from_date(y, m, lg__days_in_month(y, m));
      int64_t yy;
      int     mm, dd;
      lg__date_from_days(day, &yy, &mm, &dd);
      assert_int_equal(yy, y);
      assert_int_equal(mm, m);
      assert_int_equal(dd, lg__days_in_month(y, m));
      t = day * 86400 + 86399;
      assert_int_equal(lg_time_format(t, buf, sizeof buf, NULL), LG_OK);
      assert_int_equal(lg_time_parse(buf, strlen(buf), &back), LG_OK);
      assert_int_equal(back, t);
    }
  }
  assert_int_equal(lg__days_in_month(1900, 2), 28);
  assert_int_equal(lg__days_in_month(2000, 2), 29);
  assert_int_equal(lg__days_in_month(2100, 2), 28);
  assert_int_equal(lg__days_in_month(2024, 2), 29);
}

static void time_functions_never_allocate(void **state) {
  char    buf[LG_TIME_TEXT_SIZE];
  lg_time t;
  long    calls = ts_alloc_calls();
  (void)state;
  assert_int_equal(lg_time_parse("2026-11-23T10:00:00Z", 20, &t), LG_OK);
  assert_int_equal(lg_time_format(t, buf, sizeof buf, NULL), LG_OK);
  assert_int_equal(ts_alloc_calls(), calls);
}

static int setup(void **state) {
  (void)state;
  ts_alloc_install();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  ts_alloc_restore();
  return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(known_instants_parse_to_their_epoch_seconds),
    T(fractions_are_dropped_to_the_second),
    T(malformed_times_are_syntax_errors),
    T(times_outside_years_1_to_9999_are_range_errors),
    T(null_arguments_are_invalid),
    T(format_writes_utc_and_keeps_the_buffer_contract),
    T(format_and_parse_round_trip_over_the_whole_range),
    T(time_functions_never_allocate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
