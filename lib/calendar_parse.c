/*
 * calendar_parse.c - the `calendar` text block: parsing, standalone and
 * inside a policy.  The model and the arithmetic are in calendar.c, the
 * canonical text in calendar_print.c.
 */
#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ---------------------------------------------------------------
 *
 *   calendar                                  (optional first line)
 *   utc-offset +01:00                         (at most once; default +00:00)
 *   hours mon-fri, sun 09:00-12:00, 13:00-17:30
 *   hours sat 22:00-06:00                     (overnight: ends the next day)
 *   hours 2026-12-24 09:00-13:00              (a special day)
 *   holiday 2026-12-25
 *   offset-change 2026-03-29T01:00:00Z +02:00
 *
 * Days and times are scanned here rather than by the shared lexer: the
 * tokens (`mon-fri`, `09:00-17:30`, `2026-03-29T01:00:00Z`) are calendar
 * shapes, and the cursor-style lexer lets us take them character by
 * character on the current line. */

typedef struct cal_change {
  int64_t  at, off;
  uint32_t seq; /* order in the text, to report the later duplicate */
  uint32_t line;
  size_t   line_start, pos;
} cal_change;

/* A holiday or a special day, where its date is written. */
typedef struct cal_date {
  int64_t  day;
  uint32_t line;
  uint32_t iv, n_iv; /* a special day's intervals in cal_parser.sp; n_iv 0: holiday */
  size_t   line_start, pos;
} cal_date;

/* Minutes a day owns, from its midnight: overnight intervals run past
 * 24:00 into the next day. */
#define OWN_MINUTES (2 * DAY_MINUTES)
typedef uint8_t own_map[OWN_MINUTES / 8];

typedef struct cal_parser {
  lg__lexer  *lx;
  uint8_t     week[7 * DAY_MINUTES / 8]; /* bit per open minute of the week */
  own_map     own[7];                    /* the minutes each weekday owns */
  int         has_offset;
  int64_t     base_offset;
  cal_date   *dates;
  uint32_t    n_dates, cap_dates;
  int32_t    *sp; /* special days' intervals: minute pairs */
  uint32_t    n_sp, cap_sp;
  cal_change *chg;
  uint32_t    n_chg, cap_chg;
} cal_parser;

const char *const lg__calendar_days[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int peek_char(const lg__lexer *lx, size_t at) {
  return at < lx->line_end ? (unsigned char)lx->src[at] : -1;
}

static int is_digit_at(const lg__lexer *lx, size_t at) {
  int ch = peek_char(lx, at);
  return ch >= '0' && ch <= '9';
}

/* Exactly `n` digits at `at`, as a number; -1 if they are not there. */
static int digits_at(const lg__lexer *lx, size_t at, unsigned n) {
  int      v = 0;
  unsigned i;
  for (i = 0; i < n; i++) {
    if (!is_digit_at(lx, at + i)) return -1;
    v = v * 10 + (peek_char(lx, at + i) - '0');
  }
  return v;
}

/* "expected WHAT, got TOKEN" at `at`. */
static lg_status expected(lg__lexer *lx, size_t at, const char *what) {
  lx->pos = at;
  return lg__lex_expected(lx, what);
}

/* An error at byte `pos` of another line (line, line_start) than the
 * cursor's. */
static lg_status error_on_line(lg__lexer *lx, uint32_t line, size_t line_start, size_t pos,
                               const char *fmt, ...) {
  char     msg[sizeof lx->err->message];
  uint32_t cur_line = lx->line;
  size_t   cur_start = lx->line_start;
  va_list  ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  lx->line = line;
  lx->line_start = line_start;
  lg__lex_error_at(lx, pos, LG_ERR_SYNTAX, "%s", msg);
  lx->line = cur_line;
  lx->line_start = cur_start;
  return LG_ERR_SYNTAX;
}

/* A day name at the cursor (after blanks): 0 = mon .. 6 = sun. */
static lg_status parse_day(lg__lexer *lx, int *day) {
  size_t at, n = 0;
  int    i, ch;
  at = lg__lex_token_at(lx);
  while ((ch = peek_char(lx, at + n)) != -1 &&
         ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
    n++;
  if (n == 0) return expected(lx, at, "a day like mon");
  for (i = 0; i < 7; i++)
    if (n == 3 && memcmp(lx->src + at, lg__calendar_days[i], 3) == 0) {
      *day = i;
      lx->pos = at + 3;
      return LG_OK;
    }
  return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                          "unknown day '%.*s': expected mon, tue, wed, thu, fri, sat or sun",
                          (int)(n > 32 ? 32 : n), lx->src + at);
}

/* DAY or DAY-DAY (wrapping past sunday: sat-mon is sat, sun, mon), then
 * more after commas.  Sets bit i of *mask for day i. */
static lg_status parse_days(lg__lexer *lx, unsigned *mask) {
  lg_status st;
  *mask = 0;
  for (;;) {
    int    first, last, d;
    size_t at;
    at = lg__lex_token_at(lx);
    if ((st = parse_day(lx, &first)) != LG_OK) return st;
    last = first;
    if (lg__lex_accept(lx, "-") && (st = parse_day(lx, &last)) != LG_OK) return st;
    for (d = first;; d = (d + 1) % 7) {
      if (*mask & (1u << d))
        return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "day %s is listed twice",
                                lg__calendar_days[d]);
      *mask |= 1u << d;
      if (d == last) break;
    }
    (void)lg__lex_token_at(lx); /* skips blanks */
    /* A comma followed by a digit ends the days: times follow. */
    if (peek_char(lx, lx->pos) != ',') return LG_OK;
    lx->pos++;
  }
}

/* HH:MM as minutes of the day, 00:00 to 24:00. */
static lg_status parse_time(lg__lexer *lx, int *minutes, size_t *at_out) {
  size_t at;
  int    h, m;
  at = *at_out = lg__lex_token_at(lx);
  h = digits_at(lx, at, 2);
  m = digits_at(lx, at + 3, 2);
  if (h < 0 || m < 0 || peek_char(lx, at + 2) != ':' || is_digit_at(lx, at + 5))
    return expected(lx, at, "a time like 09:00");
  if (h > 24 || m > 59 || (h == 24 && m != 0))
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                            "no such time %.5s: times run from 00:00 to 24:00", lx->src + at);
  *minutes = h * 60 + m;
  lx->pos = at + 5;
  return LG_OK;
}

/* START-END in minutes from the owning day's midnight; an END at or
 * before START (other than 24:00) is on the next day: *to passes 1440. */
static lg_status parse_interval(lg__lexer *lx, int *from, int *to, size_t *at_from) {
  size_t    at_to;
  lg_status st;
  if ((st = parse_time(lx, from, at_from)) != LG_OK) return st;
  if (*from == DAY_MINUTES)
    return lg__lex_error_at(lx, *at_from, LG_ERR_SYNTAX,
                            "24:00 ends an interval; one that starts at midnight starts "
                            "at 00:00");
  if (!lg__lex_accept(lx, "-")) return expected(lx, lx->pos, "'-' and an end time");
  if ((st = parse_time(lx, to, &at_to)) != LG_OK) return st;
  if (*to == *from)
    return lg__lex_error_at(lx, at_to, LG_ERR_SYNTAX,
                            "%.5s-%.5s is empty: an end before the start runs overnight, "
                            "a whole day is 00:00-24:00",
                            lx->src + *at_from, lx->src + at_to);
  if (*to < *from) *to += DAY_MINUTES;
  return LG_OK;
}

static int  bit_get(const uint8_t *map, int m) { return (map[m / 8] >> (m % 8)) & 1; }
static void bit_set(uint8_t *map, int m) { map[m / 8] = (uint8_t)(map[m / 8] | (1u << (m % 8))); }

/* Marks minutes [from, to) of every day of mask as open and owned by that
 * day; an overlap anywhere in the week (overnight parts included) is an
 * error naming the day where it happens. */
static lg_status mark_hours(cal_parser *p, unsigned mask, int from, int to, size_t at) {
  int d, m;
  for (d = 0; d < 7; d++) {
    if (!(mask & (1u << d))) continue;
    for (m = from; m < to; m++) {
      int w = (d * DAY_MINUTES + m) % (7 * DAY_MINUTES);
      if (bit_get(p->week, w))
        return lg__lex_error_at(p->lx, at, LG_ERR_SYNTAX, "hours overlap on %s",
                                lg__calendar_days[w / DAY_MINUTES]);
      bit_set(p->week, w);
      bit_set(p->own[d], m);
    }
  }
  return LG_OK;
}

/* The runs of set bits of an own_map as minute pairs into out (when not
 * NULL); returns how many. */
static uint32_t own_runs(const uint8_t *map, int32_t *out) {
  uint32_t n = 0;
  int      m, was = 0;
  for (m = 0; m <= OWN_MINUTES; m++) {
    int is = m < OWN_MINUTES && bit_get(map, m);
    if (is && !was && out) out[2 * n] = m;
    if (!is && was) {
      if (out) out[2 * n + 1] = m;
      n++;
    }
    was = is;
  }
  return n;
}

/* YYYY-MM-DD at `at` (years 0001-9999) as days since 1970-01-01. */
static lg_status parse_date_at(lg__lexer *lx, size_t at, const char *what, int64_t *days) {
  int y = digits_at(lx, at, 4), m = digits_at(lx, at + 5, 2), d = digits_at(lx, at + 8, 2);
  if (y < 0 || m < 0 || d < 0 || peek_char(lx, at + 4) != '-' || peek_char(lx, at + 7) != '-')
    return expected(lx, at, what);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > lg__days_in_month(y, m))
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "no such date %.10s", lx->src + at);
  *days = lg__days_from_date(y, m, d);
  return LG_OK;
}

/* A whole date token at the cursor: nothing glued after the day. */
static lg_status parse_date(lg__lexer *lx, const char *what, int64_t *day, size_t *at_out) {
  size_t    at;
  lg_status st;
  at = *at_out = lg__lex_token_at(lx);
  if ((st = parse_date_at(lx, at, what, day)) != LG_OK) return st;
  if (is_digit_at(lx, at + 10) || peek_char(lx, at + 10) == '-' || peek_char(lx, at + 10) == 'T')
    return expected(lx, at, what);
  lx->pos = at + 10;
  return LG_OK;
}

/* Records a holiday (n_iv 0) or a special day dated at `at`. */
static lg_status add_date(cal_parser *p, size_t keyword_at, int64_t day, size_t at, uint32_t iv,
                          uint32_t n_iv) {
  lg__lexer *lx = p->lx;
  cal_date  *d;
  if (p->n_dates >= MAX_HOLIDAYS)
    return lg__lex_error_at(lx, keyword_at, LG_ERR_LIMIT, "more than %u holidays and special days",
                            MAX_HOLIDAYS);
  if (p->n_dates == p->cap_dates) {
    cal_date *grown = lg__grow(p->dates, &p->cap_dates, p->n_dates + 1, sizeof *grown);
    if (!grown) return lg__lex_nomem(lx);
    p->dates = grown;
  }
  d = &p->dates[p->n_dates++];
  d->day = day;
  d->line = lx->line;
  d->line_start = lx->line_start;
  d->pos = at;
  d->iv = iv;
  d->n_iv = n_iv;
  return LG_OK;
}

static lg_status parse_holiday(cal_parser *p, size_t keyword_at) {
  lg__lexer *lx = p->lx;
  int64_t    day;
  size_t     at;
  lg_status  st;
  if ((st = parse_date(lx, "a date like 2026-12-25", &day, &at)) != LG_OK) return st;
  if ((st = lg__lex_expect_eol(lx, "the holiday date")) != LG_OK) return st;
  return add_date(p, keyword_at, day, at, 0, 0);
}

/* `hours DATE INTERVALS`: that date's own hours instead of its weekday's.
 * Overlaps within the line are found here, those with the days around it
 * once every line is read (build). */
static lg_status parse_special(cal_parser *p, size_t keyword_at) {
  lg__lexer *lx = p->lx;
  own_map    map;
  int64_t    day;
  size_t     at;
  uint32_t   n;
  lg_status  st;
  if ((st = parse_date(lx, "a date like 2026-12-24", &day, &at)) != LG_OK) return st;
  memset(map, 0, sizeof map);
  for (;;) {
    int    from, to, m;
    size_t at_from;
    if ((st = parse_interval(lx, &from, &to, &at_from)) != LG_OK) return st;
    for (m = from; m < to; m++) {
      if (bit_get(map, m))
        return lg__lex_error_at(lx, at_from, LG_ERR_SYNTAX, "hours overlap on %.10s", lx->src + at);
      bit_set(map, m);
    }
    if (!lg__lex_accept(lx, ",")) break;
  }
  if ((st = lg__lex_expect_eol(lx, "the hours")) != LG_OK) return st;
  n = own_runs(map, NULL);
  if (p->n_sp + 2 * n > p->cap_sp) {
    int32_t *grown = lg__grow(p->sp, &p->cap_sp, p->n_sp + 2 * n, sizeof *grown);
    if (!grown) return lg__lex_nomem(lx);
    p->sp = grown;
  }
  if ((st = add_date(p, keyword_at, day, at, p->n_sp / 2, n)) != LG_OK) return st;
  own_runs(map, p->sp + p->n_sp);
  p->n_sp += 2 * n;
  return LG_OK;
}

static lg_status parse_hours(cal_parser *p, size_t keyword_at) {
  lg__lexer *lx = p->lx;
  unsigned   mask;
  lg_status  st;
  (void)lg__lex_token_at(lx); /* skips blanks */
  if (is_digit_at(lx, lx->pos) && digits_at(lx, lx->pos, 4) >= 0 &&
      peek_char(lx, lx->pos + 4) == '-')
    return parse_special(p, keyword_at);
  if (is_digit_at(lx, lx->pos))
    return expected(lx, lx->pos, "a day like mon or a date like 2026-12-24");
  if ((st = parse_days(lx, &mask)) != LG_OK) return st;
  for (;;) {
    int    from, to;
    size_t at_from;
    if ((st = parse_interval(lx, &from, &to, &at_from)) != LG_OK) return st;
    if ((st = mark_hours(p, mask, from, to, at_from)) != LG_OK) return st;
    if (!lg__lex_accept(lx, ",")) break;
  }
  return lg__lex_expect_eol(lx, "the hours");
}

/* [+-]HH:MM within +-18:00, in seconds. */
static lg_status parse_offset(lg__lexer *lx, int64_t *secs) {
  size_t at;
  int    sign, h, m;
  at = lg__lex_token_at(lx);
  sign = peek_char(lx, at);
  h = digits_at(lx, at + 1, 2);
  m = digits_at(lx, at + 4, 2);
  if ((sign != '+' && sign != '-') || h < 0 || m < 0 || peek_char(lx, at + 3) != ':' || m > 59 ||
      is_digit_at(lx, at + 6))
    return expected(lx, at, "an offset like +01:00");
  if (h * 60 + m > MAX_OFFSET / 60)
    return lg__lex_error_at(lx, at, LG_ERR_RANGE, "offset %.6s beyond +-18:00", lx->src + at);
  *secs = (sign == '-' ? -1 : 1) * (int64_t)(h * 3600 + m * 60);
  lx->pos = at + 6;
  return LG_OK;
}

static lg_status parse_offset_change(cal_parser *p, size_t keyword_at) {
  static const char *const what = "an instant like 2026-03-29T01:00:00Z";
  lg__lexer               *lx = p->lx;
  cal_change               ch;
  size_t                   at;
  int                      h, m, s;
  lg_status                st;
  at = lg__lex_token_at(lx);
  if ((st = parse_date_at(lx, at, what, &ch.at)) != LG_OK) return st;
  h = digits_at(lx, at + 11, 2);
  m = digits_at(lx, at + 14, 2);
  s = digits_at(lx, at + 17, 2);
  if (peek_char(lx, at + 10) != 'T' || h < 0 || m < 0 || s < 0 || peek_char(lx, at + 13) != ':' ||
      peek_char(lx, at + 16) != ':' || peek_char(lx, at + 19) != 'Z')
    return expected(lx, at, what);
  if (h > 23 || m > 59 || s > 59)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "no such time %.20s", lx->src + at);
  ch.at = ch.at * DAY_SECS + h * 3600 + m * 60 + s;
  lx->pos = at + 20;
  if ((st = parse_offset(lx, &ch.off)) != LG_OK) return st;
  if ((st = lg__lex_expect_eol(lx, "the offset change")) != LG_OK) return st;
  if (p->n_chg >= MAX_CHANGES)
    return lg__lex_error_at(lx, keyword_at, LG_ERR_LIMIT, "more than %u offset changes",
                            MAX_CHANGES);
  if (p->n_chg == p->cap_chg) {
    cal_change *grown = lg__grow(p->chg, &p->cap_chg, p->n_chg + 1, sizeof *grown);
    if (!grown) return lg__lex_nomem(lx);
    p->chg = grown;
  }
  ch.seq = p->n_chg;
  ch.line = lx->line;
  ch.line_start = lx->line_start;
  ch.pos = at;
  p->chg[p->n_chg++] = ch;
  return LG_OK;
}

static int cmp_change(const void *a, const void *b) {
  const cal_change *x = a, *y = b;
  if (x->at != y->at) return (x->at > y->at) - (x->at < y->at);
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts the changes; a repeated instant is an error at its later line. */
static lg_status check_changes(cal_parser *p) {
  const cal_change *dup = NULL;
  uint32_t          i;
  if (p->n_chg > 1) qsort(p->chg, p->n_chg, sizeof *p->chg, cmp_change);
  for (i = 1; i < p->n_chg; i++)
    if (p->chg[i].at == p->chg[i - 1].at && (!dup || p->chg[i].seq < dup->seq)) dup = &p->chg[i];
  if (dup)
    return error_on_line(p->lx, dup->line, dup->line_start, dup->pos,
                         "offset change at %.20s is given twice", p->lx->src + dup->pos);
  return LG_OK;
}

static int cmp_date(const void *a, const void *b) {
  const cal_date *x = a, *y = b;
  if (x->day != y->day) return (x->day > y->day) - (x->day < y->day);
  return (x->line > y->line) - (x->line < y->line);
}

/* Sorts the dates and merges repeated holidays.  A date that is a holiday
 * and has hours, or has hours on two lines, is an error at its later line
 * (of those lines, the first in text order that repeats a date). */
static lg_status check_dates(cal_parser *p) {
  const cal_date *bad = NULL, *first = NULL;
  uint32_t        i, n = 0;
  if (p->n_dates > 1) qsort(p->dates, p->n_dates, sizeof *p->dates, cmp_date);
  for (i = 0; i < p->n_dates; i++) {
    const cal_date *d = &p->dates[i];
    if (i > 0 && d->day == p->dates[i - 1].day) {
      const cal_date *prev = &p->dates[i - 1];
      if ((d->n_iv || prev->n_iv) && (!bad || d->line < bad->line)) {
        bad = d;
        first = prev;
      }
      continue;
    }
    n++;
  }
  if (bad) {
    lg__lexer  *lx = p->lx;
    const char *date = lx->src + bad->pos;
    unsigned    other = (unsigned)first->line;
    if (bad->n_iv && first->n_iv)
      return error_on_line(lx, bad->line, bad->line_start, bad->pos,
                           "%.10s has hours on line %u too: list all its intervals on one "
                           "line",
                           date, other);
    return error_on_line(lx, bad->line, bad->line_start, bad->pos,
                         "%.10s %s on line %u: a date is either a holiday or a special day", date,
                         first->n_iv ? "has hours" : "is a holiday", other);
  }
  /* Only repeated holidays are left: keep the first of each. */
  n = 0;
  for (i = 0; i < p->n_dates; i++)
    if (n == 0 || p->dates[n - 1].day != p->dates[i].day) p->dates[n++] = p->dates[i];
  p->n_dates = n;
  return LG_OK;
}

/* The calendar's interval arrays while build fills them. */
typedef struct iv_out {
  lg_calendar *c;
  int64_t     *start, *end, *cum;
} iv_out;

/* Appends one day's intervals: the runs of its own_map, or (map NULL)
 * minutes [pairs[2i], pairs[2i + 1]) from its midnight. */
static void put_day(iv_out *o, const int32_t *pairs, uint32_t count, const uint8_t *map) {
  lg_calendar *c = o->c;
  int64_t      sum = 0;
  uint32_t     i, lo = c->n_iv;
  if (!map) {
    for (i = 0; i < count; i++) {
      o->start[c->n_iv] = (int64_t)pairs[2 * i] * 60;
      o->end[c->n_iv++] = (int64_t)pairs[2 * i + 1] * 60;
    }
  } else {
    int m, was = 0;
    for (m = 0; m <= OWN_MINUTES; m++) {
      int is = m < OWN_MINUTES && bit_get(map, m);
      if (is && !was) o->start[c->n_iv] = (int64_t)m * 60;
      if (!is && was) o->end[c->n_iv++] = (int64_t)m * 60;
      was = is;
    }
  }
  for (i = lo; i < c->n_iv; i++) {
    o->cum[i] = sum;
    sum += o->end[i] - o->start[i];
  }
}

/* A special day's hours must not overlap what the day before runs past
 * midnight, nor run past its own midnight into the next day's hours. */
static lg_status check_neighbours(const cal_parser *p, const lg_calendar *c) {
  uint32_t k;
  for (k = 0; k < c->n_exc; k++) {
    const cal_date *d = &p->dates[k];
    lg__cal_day     today, next;
    int64_t         spill;
    char            when[8];
    lg__buf         b;
    if (d->n_iv == 0) continue;
    lg__calendar_day(c, d->day, &today);
    lg__buf_init(&b, when, sizeof when);
    if (c->iv_start[today.lo] < today.spill) {
      lg__calendar_hhmm(&b, today.spill, ':');
      when[5] = '\0';
      return error_on_line(p->lx, d->line, d->line_start, d->pos,
                           "hours on %.10s overlap the day before's hours, which run to %s",
                           p->lx->src + d->pos, when);
    }
    spill = lg__calendar_spill(c, today.lo, today.hi);
    if (spill == 0) continue;
    lg__calendar_day(c, d->day + 1, &next);
    if (next.hi > next.lo && c->iv_start[next.lo] < spill) {
      lg__calendar_hhmm(&b, c->iv_start[next.lo], ':');
      when[5] = '\0';
      return error_on_line(p->lx, d->line, d->line_start, d->pos,
                           "hours on %.10s run past midnight into the next day's hours, "
                           "which start at %s",
                           p->lx->src + d->pos, when);
    }
  }
  return LG_OK;
}

/* Builds the calendar from the parsed pieces (changes and dates already
 * checked). */
static lg_status build(cal_parser *p, lg_calendar **out) {
  lg_calendar *c;
  iv_out       o;
  uint32_t     n_iv = p->n_sp / 2, n_exc = p->n_dates, i, d;
  int64_t     *iv_start, *iv_end, *iv_cum, *exc_day, *exc_iv, *exc_cum, *exc_g, *chg_at;
  int64_t     *chg_off, sum;
  lg_status    st;
  for (d = 0; d < 7; d++) n_iv += own_runs(p->own[d], NULL);
  c = lg__calloc(1, sizeof *c);
  iv_start = c ? lg__calloc(3 * (size_t)n_iv + 4 * (size_t)n_exc + 2 + 2 * (size_t)p->n_chg,
                            sizeof *iv_start)
               : NULL;
  if (!iv_start) {
    lg__free(c);
    return lg__lex_nomem(p->lx);
  }
  c->block = iv_start;
  c->iv_start = iv_start;
  c->iv_end = iv_end = iv_start + n_iv;
  c->iv_cum = iv_cum = iv_end + n_iv;
  c->exc_day = exc_day = iv_cum + n_iv;
  c->exc_iv = exc_iv = exc_day + n_exc;
  c->exc_cum = exc_cum = exc_iv + n_exc + 1;
  c->exc_g = exc_g = exc_cum + n_exc + 1;
  c->chg_at = chg_at = exc_g + n_exc;
  c->chg_off = chg_off = chg_at + p->n_chg;
  c->base_offset = p->base_offset;
  o.c = c;
  o.start = iv_start;
  o.end = iv_end;
  o.cum = iv_cum;
  /* The weekly pattern: weekday d's intervals, then G at each midnight. */
  for (d = 0; d < 7; d++) {
    c->day_iv[d] = c->n_iv;
    put_day(&o, NULL, 0, p->own[d]);
  }
  c->day_iv[7] = c->n_iv;
  for (sum = 0, d = 0; d < 7; d++) {
    uint32_t prev = d ? d - 1 : 6;
    c->day_spill[d] = lg__calendar_spill(c, c->day_iv[d], c->day_iv[d + 1]);
    c->day_start[d] = sum - lg__calendar_spill(c, c->day_iv[prev], c->day_iv[prev + 1]);
    sum += lg__calendar_total(c, c->day_iv[d], c->day_iv[d + 1]);
  }
  c->week_open = sum;
  c->day_start[7] = c->day_start[0] + sum;
  /* Exceptions: what each takes from its weekday, and G after it. */
  for (i = 0; i < n_exc; i++) {
    const cal_date *x = &p->dates[i];
    int             wd = lg__weekday(x->day);
    exc_day[i] = x->day;
    exc_iv[i] = c->n_iv;
    put_day(&o, x->n_iv ? p->sp + 2 * x->iv : NULL, x->n_iv, NULL);
    exc_cum[i + 1] = exc_cum[i] + lg__calendar_total(c, c->day_iv[wd], c->day_iv[wd + 1]) -
                     lg__calendar_total(c, (uint32_t)exc_iv[i], c->n_iv);
  }
  exc_iv[n_exc] = c->n_iv;
  c->n_exc = n_exc;
  for (i = 0; i < p->n_chg; i++) {
    chg_at[i] = p->chg[i].at;
    chg_off[i] = p->chg[i].off;
  }
  c->n_chg = p->n_chg;
  if ((st = check_neighbours(p, c)) != LG_OK) {
    lg_calendar_free(c);
    return st;
  }
  for (i = 0; i < n_exc; i++) {
    lg__cal_day after;
    lg__calendar_day(c, exc_day[i] + 1, &after);
    exc_g[i] = after.g;
  }
  c->always = c->week_open == WEEK_SECS && n_exc == 0;
  *out = c;
  return LG_OK;
}

/* 1 if the cursor sits on the first token of its line. */
static int at_line_start(const lg__lexer *lx) {
  size_t i;
  for (i = lx->line_start; i < lx->pos; i++)
    if (lx->src[i] != ' ' && lx->src[i] != '\t' && lx->src[i] != '\r') return 0;
  return 1;
}

static lg_status parse_statements(cal_parser *p, int standalone, int *more) {
  lg__lexer *lx = p->lx;
  lg_status  st = LG_OK;
  /* The block may start on its `calendar` line, after its `calendar`
   * word (the caller took it), or on its first statement. */
  if (*more && (at_line_start(lx) ? lg__lex_accept_word(lx, "calendar") : 1)) {
    if ((st = lg__lex_expect_eol(lx, "'calendar'")) != LG_OK) return st;
    *more = lg__lex_next_line(lx);
  }
  while (*more) {
    size_t at;
    at = lg__lex_token_at(lx);
    if (lg__lex_accept_word(lx, "hours")) {
      st = parse_hours(p, at);
    } else if (lg__lex_accept_word(lx, "holiday")) {
      st = parse_holiday(p, at);
    } else if (lg__lex_accept_word(lx, "offset-change")) {
      st = parse_offset_change(p, at);
    } else if (lg__lex_accept_word(lx, "utc-offset")) {
      if (p->has_offset)
        return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "utc-offset is given twice");
      p->has_offset = 1;
      st = parse_offset(lx, &p->base_offset);
      if (st == LG_OK) st = lg__lex_expect_eol(lx, "the utc-offset");
    } else if (!standalone) {
      return LG_OK; /* the policy's next statement */
    } else if (lg__lex_peek_word(lx, "calendar")) {
      return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                              "'calendar' is allowed only as the first line");
    } else {
      return expected(lx, at, "utc-offset, hours, holiday or offset-change");
    }
    if (st != LG_OK) return st;
    *more = lg__lex_next_line(lx);
  }
  return LG_OK;
}

/* have_line: 1 if a statement line is waiting at the cursor. */
static lg_status parse_block(lg__lexer *lx, int standalone, int have_line, lg_calendar **out,
                             int *more) {
  cal_parser *p;
  lg_status   st;
  /* The parser state holds 5 KB of minute maps: heap, not stack. */
  p = lg__calloc(1, sizeof *p);
  if (!p) return lg__lex_nomem(lx);
  p->lx = lx;
  st = parse_statements(p, standalone, &have_line);
  if (st == LG_OK) st = check_changes(p);
  if (st == LG_OK) st = check_dates(p);
  if (st == LG_OK) st = build(p, out);
  if (st == LG_OK && more) *more = have_line;
  lg__free(p->dates);
  lg__free(p->sp);
  lg__free(p->chg);
  lg__free(p);
  return st;
}

lg_status lg__calendar_parse_block(lg__lexer *lx, int standalone, lg_calendar **out, int *more) {
  return parse_block(lx, standalone, 1, out, more);
}

lg_status lg_calendar_parse(const char *text, size_t len, lg_calendar **out, lg_error *err) {
  lg__lexer    lx;
  lg_calendar *c = NULL;
  lg_status    st;
  if (!text || !out) {
    lg__error_set(err, LG_ERR_INVALID, "text and out must not be NULL");
    return LG_ERR_INVALID;
  }
  if ((st = lg__lex_init(&lx, text, len, err)) != LG_OK) return st;
  /* No statement at all is a calendar that is never open. */
  st = parse_block(&lx, 1, lg__lex_next_line(&lx), &c, NULL);
  if (st != LG_OK) return st;
  lg__error_clear(err);
  *out = c;
  return LG_OK;
}
