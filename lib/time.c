/*
 * time.c - the proleptic Gregorian calendar (days <-> dates) and times as
 * text: lg_time_parse and lg_time_format.  Integer arithmetic only; no
 * <time.h> (it would read the time zone and the locale).
 */
#include "internal.h"
#include "chars.h"

#include <string.h>

#define DAY_SECS LG__DAY_SECS
/* Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar. */
#define EPOCH_DAYS INT64_C(719162)

/* ---- dates ---------------------------------------------------------------- */

int lg__is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int lg__days_in_month(int64_t y, int m) {
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  return m == 2 && lg__is_leap(y) ? 29 : days[m - 1];
}

/* Days from 0001-01-01 to January 1st of year y (y >= 1). */
static int64_t days_before_year(int64_t y) {
  int64_t n = y - 1;
  return n * 365 + n / 4 - n / 100 + n / 400;
}

int64_t lg__days_from_date(int64_t y, int m, int d) {
  int64_t days = days_before_year(y);
  int     i;
  for (i = 1; i < m; i++) days += lg__days_in_month(y, i);
  return days + d - 1 - EPOCH_DAYS;
}

void lg__date_from_days(int64_t days, int64_t *y, int *m, int *d) {
  int64_t n = days + EPOCH_DAYS, year = n * 400 / 146097 + 1;
  int     month = 1;
  while (year > 1 && days_before_year(year) > n) year--;
  while (days_before_year(year + 1) <= n) year++;
  n -= days_before_year(year);
  while (n >= lg__days_in_month(year, month)) n -= lg__days_in_month(year, month++);
  *y = year;
  *m = month;
  *d = (int)n + 1;
}

/* ---- lg_time_parse -------------------------------------------------------- */

/* The value of the n digits at s, or -1 if any is not a digit. */
static int64_t digits(const char *s, size_t n) {
  int64_t v = 0;
  size_t  i;
  for (i = 0; i < n; i++) {
    if (!lg__is_digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* [+-]DIGITS: epoch seconds.  Values past int64 are RANGE, not SYNTAX:
 * the text is a number, just not a time. */
static lg_status parse_epoch(const char *s, size_t len, lg_time *out) {
  size_t   i = 0;
  int      neg = 0;
  uint64_t mag = 0, limit;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == len) return LG_ERR_SYNTAX;
  limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
  for (; i < len; i++) {
    unsigned dgt;
    if (!lg__is_digit(s[i])) return LG_ERR_SYNTAX;
    dgt = (unsigned)(s[i] - '0');
    if (mag > (limit - dgt) / 10u) {
      /* keep scanning: a later non-digit still makes this SYNTAX */
      for (i++; i < len; i++)
        if (!lg__is_digit(s[i])) return LG_ERR_SYNTAX;
      return LG_ERR_RANGE;
    }
    mag = mag * 10u + dgt;
  }
  {
    lg_time t = !neg || mag == 0 ? (lg_time)mag : -(lg_time)(mag - 1u) - 1;
    if (!lg__time_valid(t)) return LG_ERR_RANGE;
    *out = t;
  }
  return LG_OK;
}

lg_status lg_time_parse(const char *text, size_t len, lg_time *out) {
  const char *s = text;
  int64_t     y, mo, d, h, mi, sec, t;
  size_t      i;
  if (!text || !out) return LG_ERR_INVALID;
  if (len == 0) return LG_ERR_SYNTAX;
  if (len < 20 || s[4] != '-' || !lg__is_digit(s[0])) return parse_epoch(s, len, out);
  /* YYYY-MM-DDTHH:MM:SS */
  y = digits(s, 4);
  mo = digits(s + 5, 2);
  d = digits(s + 8, 2);
  h = digits(s + 11, 2);
  mi = digits(s + 14, 2);
  sec = digits(s + 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || s[7] != '-' || s[10] != 'T' ||
      s[13] != ':' || s[16] != ':')
    return LG_ERR_SYNTAX;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > lg__days_in_month(y, (int)mo) || h > 23 ||
      mi > 59 || sec > 59)
    return LG_ERR_SYNTAX;
  i = 19;
  if (s[i] == '.') { /* a fraction: dropped, whole seconds only */
    size_t f = ++i;
    while (i < len && lg__is_digit(s[i])) i++;
    if (i == f || i - f > 9) return LG_ERR_SYNTAX;
  }
  t = lg__days_from_date(y, (int)mo, (int)d) * DAY_SECS + h * 3600 + mi * 60 + sec;
  if (i + 1 == len && s[i] == 'Z') {
    /* UTC */
  } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int64_t oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return LG_ERR_SYNTAX;
    /* local = UTC + offset, so UTC = local - offset */
    t -= (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return LG_ERR_SYNTAX;
  }
  if (!lg__time_valid(t)) return LG_ERR_RANGE;
  *out = t;
  return LG_OK;
}

/* ---- lg_time_format ------------------------------------------------------- */

static void put_digits(char *p, int64_t v, int n) {
  while (n-- > 0) {
    p[n] = (char)('0' + v % 10);
    v /= 10;
  }
}

lg_status lg_time_format(lg_time t, char *buf, size_t cap, size_t *needed) {
  char    tmp[LG_TIME_TEXT_SIZE];
  int64_t days, sod, y;
  int     m, d;
  if (!lg__time_valid(t)) return LG_ERR_RANGE;
  if (needed) *needed = LG_TIME_TEXT_SIZE;
  if (!buf || cap < LG_TIME_TEXT_SIZE) return LG_ERR_BUFFER;
  days = t / DAY_SECS;
  sod = t % DAY_SECS;
  if (sod < 0) {
    sod += DAY_SECS;
    days--;
  }
  lg__date_from_days(days, &y, &m, &d);
  memcpy(tmp, "0000-00-00T00:00:00Z", LG_TIME_TEXT_SIZE);
  put_digits(tmp, y, 4);
  put_digits(tmp + 5, m, 2);
  put_digits(tmp + 8, d, 2);
  put_digits(tmp + 11, sod / 3600, 2);
  put_digits(tmp + 14, sod / 60 % 60, 2);
  put_digits(tmp + 17, sod % 60, 2);
  memcpy(buf, tmp, LG_TIME_TEXT_SIZE);
  return LG_OK;
}
