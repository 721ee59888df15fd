/*
 * calendar_parse.c - the `calendar` text block: parsing (standalone and
 * inside a policy) and canonical printing.  The model and the arithmetic
 * are in calendar.c.
 */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

/* ---- parsing ---------------------------------------------------------------
 *
 *   calendar                                  (optional first line)
 *   utc-offset +01:00                         (at most once; default +00:00)
 *   hours mon-fri, sun 09:00-12:00, 13:00-17:30
 *   holiday 2026-12-25
 *   offset-change 2026-03-29T01:00:00Z +02:00
 *
 * Days and times are scanned here rather than by the shared lexer: the
 * tokens (`mon-fri`, `09:00-17:30`, `2026-03-29T01:00:00Z`) are calendar
 * shapes, and the cursor-style lexer lets us take them character by
 * character on the current line. */

typedef struct cal_change {
  int64_t  at, off;
  uint32_t seq;        /* order in the text, to report the later duplicate */
  uint32_t line;
  size_t   line_start, pos;
} cal_change;

typedef struct cal_parser {
  lg__lexer  *lx;
  uint8_t     open[7 * DAY_MINUTES / 8]; /* bit per open minute of the week */
  int         has_offset;
  int64_t     base_offset;
  int64_t    *hol;
  uint32_t    n_hol, cap_hol;
  cal_change *chg;
  uint32_t    n_chg, cap_chg;
} cal_parser;

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

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

/* A day name at the cursor (after blanks): 0 = mon .. 6 = sun. */
static lg_status parse_day(lg__lexer *lx, int *day) {
  size_t at, n = 0;
  int    i, ch;
  lg__lex_at_eol(lx);
  at = lx->pos;
  while ((ch = peek_char(lx, at + n)) != -1 &&
         ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
    n++;
  if (n == 0) return expected(lx, at, "a day like mon");
  for (i = 0; i < 7; i++)
    if (n == 3 && memcmp(lx->src + at, day_names[i], 3) == 0) {
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
    lg__lex_at_eol(lx);
    at = lx->pos;
    if ((st = parse_day(lx, &first)) != LG_OK) return st;
    last = first;
    if (lg__lex_accept(lx, "-") && (st = parse_day(lx, &last)) != LG_OK) return st;
    for (d = first;; d = (d + 1) % 7) {
      if (*mask & (1u << d))
        return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "day %s is listed twice",
                                day_names[d]);
      *mask |= 1u << d;
      if (d == last) break;
    }
    lg__lex_at_eol(lx);
    /* A comma followed by a digit ends the days: times follow. */
    if (peek_char(lx, lx->pos) != ',') return LG_OK;
    lx->pos++;
  }
}

/* HH:MM as minutes of the day, 00:00 to 24:00. */
static lg_status parse_time(lg__lexer *lx, int *minutes, size_t *at_out) {
  size_t at;
  int    h, m;
  lg__lex_at_eol(lx);
  at = *at_out = lx->pos;
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

static int minute_open(const cal_parser *p, int m) { return (p->open[m / 8] >> (m % 8)) & 1; }

/* Marks minutes [from, to) open on every day of mask; overlap is an error. */
static lg_status mark_hours(cal_parser *p, unsigned mask, int from, int to, size_t at) {
  int d, m;
  for (d = 0; d < 7; d++) {
    if (!(mask & (1u << d))) continue;
    for (m = d * DAY_MINUTES + from; m < d * DAY_MINUTES + to; m++) {
      if (minute_open(p, m))
        return lg__lex_error_at(p->lx, at, LG_ERR_SYNTAX, "hours overlap on %s",
                                day_names[d]);
      p->open[m / 8] = (uint8_t)(p->open[m / 8] | (1u << (m % 8)));
    }
  }
  return LG_OK;
}

static lg_status parse_hours(cal_parser *p) {
  lg__lexer *lx = p->lx;
  unsigned   mask;
  lg_status  st;
  if ((st = parse_days(lx, &mask)) != LG_OK) return st;
  for (;;) {
    int    from, to;
    size_t at_from, at_to;
    if ((st = parse_time(lx, &from, &at_from)) != LG_OK) return st;
    if (!lg__lex_accept(lx, "-")) return expected(lx, lx->pos, "'-' and an end time");
    if ((st = parse_time(lx, &to, &at_to)) != LG_OK) return st;
    if (to <= from)
      return lg__lex_error_at(lx, at_to, LG_ERR_SYNTAX, "end %.5s is not after start %.5s",
                              lx->src + at_to, lx->src + at_from);
    if ((st = mark_hours(p, mask, from, to, at_from)) != LG_OK) return st;
    if (!lg__lex_accept(lx, ",")) break;
  }
  return lg__lex_expect_eol(lx, "the hours");
}

/* [+-]HH:MM within +-18:00, in seconds. */
static lg_status parse_offset(lg__lexer *lx, int64_t *secs) {
  size_t at;
  int    sign, h, m;
  lg__lex_at_eol(lx);
  at = lx->pos;
  sign = peek_char(lx, at);
  h = digits_at(lx, at + 1, 2);
  m = digits_at(lx, at + 4, 2);
  if ((sign != '+' && sign != '-') || h < 0 || m < 0 || peek_char(lx, at + 3) != ':' ||
      m > 59 || is_digit_at(lx, at + 6))
    return expected(lx, at, "an offset like +01:00");
  if (h * 60 + m > MAX_OFFSET / 60)
    return lg__lex_error_at(lx, at, LG_ERR_RANGE, "offset %.6s beyond +-18:00",
                            lx->src + at);
  *secs = (sign == '-' ? -1 : 1) * (int64_t)(h * 3600 + m * 60);
  lx->pos = at + 6;
  return LG_OK;
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

static lg_status parse_holiday(cal_parser *p, size_t keyword_at) {
  lg__lexer *lx = p->lx;
  int64_t    day;
  size_t     at;
  lg_status  st;
  lg__lex_at_eol(lx);
  at = lx->pos;
  if ((st = parse_date_at(lx, at, "a date like 2026-12-25", &day)) != LG_OK) return st;
  if (is_digit_at(lx, at + 10) || peek_char(lx, at + 10) == '-' || peek_char(lx, at + 10) == 'T')
    return expected(lx, at, "a date like 2026-12-25");
  lx->pos = at + 10;
  if ((st = lg__lex_expect_eol(lx, "the holiday date")) != LG_OK) return st;
  if (p->n_hol >= MAX_HOLIDAYS)
    return lg__lex_error_at(lx, keyword_at, LG_ERR_LIMIT, "more than %u holidays",
                            MAX_HOLIDAYS);
  if (p->n_hol == p->cap_hol) {
    int64_t *grown = lg__grow(p->hol, &p->cap_hol, p->n_hol + 1, sizeof *grown);
    if (!grown) return lg__lex_nomem(lx);
    p->hol = grown;
  }
  p->hol[p->n_hol++] = day;
  return LG_OK;
}

static lg_status parse_offset_change(cal_parser *p, size_t keyword_at) {
  static const char *const what = "an instant like 2026-03-29T01:00:00Z";
  lg__lexer *lx = p->lx;
  cal_change ch;
  size_t     at;
  int        h, m, s;
  lg_status  st;
  lg__lex_at_eol(lx);
  at = lx->pos;
  if ((st = parse_date_at(lx, at, what, &ch.at)) != LG_OK) return st;
  h = digits_at(lx, at + 11, 2);
  m = digits_at(lx, at + 14, 2);
  s = digits_at(lx, at + 17, 2);
  if (peek_char(lx, at + 10) != 'T' || h < 0 || m < 0 || s < 0 ||
      peek_char(lx, at + 13) != ':' || peek_char(lx, at + 16) != ':' ||
      peek_char(lx, at + 19) != 'Z')
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

static int cmp_int64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
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
    if (p->chg[i].at == p->chg[i - 1].at && (!dup || p->chg[i].seq < dup->seq))
      dup = &p->chg[i];
  if (dup) {
    lg__lexer *lx = p->lx;
    uint32_t   line = lx->line;
    size_t     line_start = lx->line_start;
    lx->line = dup->line;
    lx->line_start = dup->line_start;
    lg__lex_error_at(lx, dup->pos, LG_ERR_SYNTAX,
                     "offset change at %.20s is given twice", lx->src + dup->pos);
    lx->line = line;
    lx->line_start = line_start;
    return LG_ERR_SYNTAX;
  }
  return LG_OK;
}

/* The week's maximal open runs, joined across midnight, in seconds from
 * Monday 00:00; stored when `start` is not NULL.  Returns how many. */
static uint32_t week_runs(const cal_parser *p, int64_t *start, int64_t *end) {
  uint32_t n = 0;
  int      m, was_open = 0;
  for (m = 0; m <= 7 * DAY_MINUTES; m++) {
    int is_open = m < 7 * DAY_MINUTES && minute_open(p, m);
    if (start && is_open && !was_open) start[n] = (int64_t)m * 60;
    if (!is_open && was_open && end) end[n] = (int64_t)m * 60;
    n += !is_open && was_open;
    was_open = is_open;
  }
  return n;
}

/* Builds the calendar from the parsed pieces (changes already sorted). */
static lg_status build(cal_parser *p, lg_calendar **out) {
  lg_calendar *c;
  int64_t     *run_start, *run_end, *run_cum, *hol_day, *hol_cum, *hol_g, *chg_at, *chg_off;
  uint32_t     n_runs = week_runs(p, NULL, NULL), n_hol = 0, i;
  if (p->n_hol > 1) qsort(p->hol, p->n_hol, sizeof *p->hol, cmp_int64);
  for (i = 0; i < p->n_hol; i++) /* duplicates merge */
    if (n_hol == 0 || p->hol[n_hol - 1] != p->hol[i]) p->hol[n_hol++] = p->hol[i];
  c = lg__calloc(1, sizeof *c);
  run_start = c ? lg__calloc(3 * (size_t)n_runs + 3 * (size_t)n_hol + 1 + 2 * (size_t)p->n_chg,
                             sizeof *run_start)
                : NULL;
  if (!run_start) {
    lg__free(c);
    return lg__lex_nomem(p->lx);
  }
  c->block = run_start;
  c->run_start = run_start;
  c->run_end = run_end = run_start + n_runs;
  c->run_cum = run_cum = run_end + n_runs;
  c->hol_day = hol_day = run_cum + n_runs;
  c->hol_cum = hol_cum = hol_day + n_hol;
  c->hol_g = hol_g = hol_cum + n_hol + 1;
  c->chg_at = chg_at = hol_g + n_hol;
  c->chg_off = chg_off = chg_at + p->n_chg;
  c->n_runs = week_runs(p, run_start, run_end);
  c->n_hol = n_hol;
  c->n_chg = p->n_chg;
  c->base_offset = p->base_offset;
  for (i = 0; i < n_runs; i++) {
    run_cum[i] = c->week_open;
    c->week_open += run_end[i] - run_start[i];
  }
  for (i = 0; i <= 7; i++) c->day_prefix[i] = lg__calendar_week_prefix(c, (int64_t)i * DAY_SECS);
  for (i = 0; i < n_hol; i++) {
    int64_t wd = ((hol_day[i] = p->hol[i]) % 7 + 10) % 7; /* Monday = 0 */
    int64_t local = hol_day[i] * DAY_SECS + MONDAY_SHIFT, q = lg__floor_div(local, WEEK_SECS);
    hol_cum[i + 1] = hol_cum[i] + c->day_prefix[wd + 1] - c->day_prefix[wd];
    /* G at the holiday's midnight: the pattern minus earlier holidays. */
    hol_g[i] = q * c->week_open + lg__calendar_week_prefix(c, local - q * WEEK_SECS) - hol_cum[i];
  }
  for (i = 0; i < p->n_chg; i++) {
    chg_at[i] = p->chg[i].at;
    chg_off[i] = p->chg[i].off;
  }
  c->always = c->week_open == WEEK_SECS && n_hol == 0;
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
    lg__lex_at_eol(lx);
    at = lx->pos;
    if (lg__lex_accept_word(lx, "hours")) {
      st = parse_hours(p);
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
static lg_status parse_block(lg__lexer *lx, int standalone, int have_line,
                             lg_calendar **out, int *more) {
  cal_parser *p;
  lg_status   st;
  /* The parser state holds the 1.3 KB minute map: heap, not stack. */
  p = lg__calloc(1, sizeof *p);
  if (!p) return lg__lex_nomem(lx);
  p->lx = lx;
  st = parse_statements(p, standalone, &have_line);
  if (st == LG_OK) st = check_changes(p);
  if (st == LG_OK) st = build(p, out);
  if (st == LG_OK && more) *more = have_line;
  lg__free(p->hol);
  lg__free(p->chg);
  lg__free(p);
  return st;
}

lg_status lg__calendar_parse_block(lg__lexer *lx, int standalone, lg_calendar **out,
                                   int *more) {
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

/* ---- canonical text --------------------------------------------------------
 * "calendar", then two-space indented: utc-offset (always printed), hours
 * lines (days with identical hours grouped, in order of their first day;
 * adjacent intervals of a day merged), holidays sorted, offset changes
 * sorted. */

static void put2(lg__buf *b, int64_t v) {
  char s[2];
  s[0] = (char)('0' + (int)(v / 10));
  s[1] = (char)('0' + (int)(v % 10));
  lg__buf_put(b, s, 2);
}

static void print_hhmm(lg__buf *b, int64_t secs, char sep) {
  put2(b, secs / 3600);
  lg__buf_putc(b, sep);
  put2(b, secs / 60 % 60);
}

static void print_offset(lg__buf *b, int64_t secs) {
  lg__buf_putc(b, secs < 0 ? '-' : '+');
  print_hhmm(b, secs < 0 ? -secs : secs, ':');
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

/* The next open interval of `day` from run *j on, clipped to the day, in
 * seconds from its midnight; 0 when there is none. */
static int day_interval(const lg_calendar *c, int day, uint32_t *j, int64_t *s, int64_t *e) {
  int64_t lo = day * DAY_SECS, hi = lo + DAY_SECS;
  while (*j < c->n_runs && c->run_end[*j] <= lo) (*j)++;
  if (*j >= c->n_runs || c->run_start[*j] >= hi) return 0;
  *s = (c->run_start[*j] > lo ? c->run_start[*j] : lo) - lo;
  *e = (c->run_end[*j] < hi ? c->run_end[*j] : hi) - lo;
  (*j)++;
  return 1;
}

static int same_hours(const lg_calendar *c, int a, int b) {
  uint32_t ja = 0, jb = 0;
  for (;;) {
    int64_t sa = 0, ea = 0, sb = 0, eb = 0;
    int     more_a = day_interval(c, a, &ja, &sa, &ea), more_b = day_interval(c, b, &jb, &sb, &eb);
    if (more_a != more_b || sa != sb || ea != eb) return 0;
    if (!more_a) return 1;
  }
}

static void print_hours(const lg_calendar *c, lg__buf *b) {
  unsigned done = 0;
  int      d, e;
  for (d = 0; d < 7; d++) {
    unsigned mask = 0;
    uint32_t j = 0;
    int64_t  s, t;
    int      first = 1;
    if ((done & (1u << d)) || !day_interval(c, d, &j, &s, &t)) continue;
    for (e = d; e < 7; e++)
      if (!(done & (1u << e)) && same_hours(c, d, e)) mask |= 1u << e;
    done |= mask;
    lg__buf_puts(b, "  hours ");
    for (e = 0; e < 7; e++) { /* runs of consecutive days */
      int last = e;
      if (!(mask & (1u << e))) continue;
      while (last < 6 && (mask & (1u << (last + 1)))) last++;
      if (!first) lg__buf_puts(b, ", ");
      lg__buf_puts(b, day_names[e]);
      if (last > e) {
        lg__buf_putc(b, '-');
        lg__buf_puts(b, day_names[last]);
      }
      first = 0;
      e = last;
    }
    j = 0;
    first = 1;
    while (day_interval(c, d, &j, &s, &t)) {
      lg__buf_puts(b, first ? " " : ", ");
      print_hhmm(b, s, ':');
      lg__buf_putc(b, '-');
      print_hhmm(b, t, ':');
      first = 0;
    }
    lg__buf_putc(b, '\n');
  }
}

void lg__calendar_print(const lg_calendar *c, lg__buf *b) {
  uint32_t i;
  lg__buf_puts(b, "calendar\n  utc-offset ");
  print_offset(b, c->base_offset);
  lg__buf_putc(b, '\n');
  print_hours(c, b);
  for (i = 0; i < c->n_hol; i++) {
    lg__buf_puts(b, "  holiday ");
    print_date(b, c->hol_day[i]);
    lg__buf_putc(b, '\n');
  }
  for (i = 0; i < c->n_chg; i++) {
    int64_t day = lg__floor_div(c->chg_at[i], DAY_SECS), sod = c->chg_at[i] - day * DAY_SECS;
    lg__buf_puts(b, "  offset-change ");
    print_date(b, day);
    lg__buf_putc(b, 'T');
    print_hhmm(b, sod, ':');
    lg__buf_putc(b, ':');
    put2(b, sod % 60);
    lg__buf_puts(b, "Z ");
    print_offset(b, c->chg_off[i]);
    lg__buf_putc(b, '\n');
  }
}

static void render(const void *obj, lg__buf *b) { lg__calendar_print(obj, b); }

lg_status lg_calendar_to_text(const lg_calendar *calendar, char *buf, size_t cap,
                              size_t *needed) {
  return lg__render_text(render, calendar, buf, cap, needed);
}
