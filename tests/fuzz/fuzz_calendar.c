/*
 * fuzz_calendar.c - libFuzzer target for lg_calendar_parse and the
 * business-time arithmetic.
 *
 * Input layout: the first PARAM_BYTES bytes choose the times and the
 * duration (fz_time / fz_duration below), the rest is calendar text.  A
 * calendar that parses must round-trip through its canonical text (the
 * library's own printer, reached through internal.h: there is no public
 * lg_calendar_to_text) and both copies must answer alike.  Then the
 * arithmetic must be self-consistent on the fuzzed times:
 *   - add and between are inverses: between(s, add(s, d)) == d, and the
 *     second before the deadline was open (the deadline is the earliest);
 *     add fails only when that much open time does not exist before
 *     LG_TIME_MAX;
 *   - add(s, between(s, t)) <= t, equal when the second before t is open;
 *   - between is additive, bounded by wall time, and is_open(t) is
 *     between(t, t + 1);
 *   - next_open(t) is open, nothing in [t, next_open) is.
 */
#include "fuzz_common.h"

#include "internal.h"

#include "../reference_example.h"

#define PARAM_BYTES 40

static void print_calendar(const void *obj, lg__buf *b) {
  lg__calendar_print((const lg_calendar *)obj, b);
}

static lg_status calendar_text(const void *obj, char *buf, size_t cap, size_t *needed) {
  return lg__render_text(print_calendar, obj, buf, cap, needed);
}

static int valid(lg_time t) { return t >= LG_TIME_MIN && t <= LG_TIME_MAX; }

/* A duration: zero, negative, an hour-scale, a year-scale, or anything. */
static lg_duration fz_duration(fz_reader *r) {
  uint8_t sel = fz_u8(r);
  switch (sel & 7u) {
  case 0: return 0;
  case 1: return (lg_duration)fz_u64(r);
  case 2: return (lg_duration)(fz_u32(r) % (48u * 3600u)) + 1;
  case 3: return (lg_duration)(fz_u64(r) % (UINT64_C(1000) * 366 * 86400));
  case 4: return -(lg_duration)(fz_u32(r) & 0xffffu) - 1;
  default: return (lg_duration)fz_u32(r);
  }
}

static lg_duration between(const lg_calendar *c, lg_time a, lg_time b) {
  lg_duration d = -1;
  lg_status   st = lg_calendar_between(c, a, b, &d);
  FZ_CHECK(st == LG_OK, "between(%lld, %lld): %s", (long long)a, (long long)b,
           lg_status_name(st));
  FZ_CHECK(d >= 0 && (b <= a ? d == 0 : d <= b - a), "between(%lld, %lld) = %lld",
           (long long)a, (long long)b, (long long)d);
  return d;
}

static void check_add(const lg_calendar *c, lg_time s, lg_duration d) {
  lg_time   t = 12345;
  lg_status st = lg_calendar_add(c, s, d, &t);
  if (!valid(s) || d < 0) {
    FZ_CHECK(st == LG_ERR_RANGE && t == 12345, "add(%lld, %lld): %s", (long long)s,
             (long long)d, lg_status_name(st));
    return;
  }
  if (st == LG_ERR_RANGE) {
    /* Only when that much open time does not fit before the end of time
     * (the deadline would be past LG_TIME_MAX). */
    FZ_CHECK(t == 12345 && between(c, s, LG_TIME_MAX) < d,
             "add(%lld, %lld) out of range but %lld open seconds remain", (long long)s,
             (long long)d, (long long)between(c, s, LG_TIME_MAX));
    return;
  }
  FZ_CHECK(st == LG_OK, "add: %s", lg_status_name(st));
  FZ_CHECK(t >= s && valid(t), "add(%lld, %lld) = %lld", (long long)s, (long long)d,
           (long long)t);
  FZ_CHECK(between(c, s, t) == d, "between(s, add(s, %lld)) = %lld (s %lld, t %lld)",
           (long long)d, (long long)between(c, s, t), (long long)s, (long long)t);
  if (d > 0)
    FZ_CHECK(lg_calendar_is_open(c, t - 1) && between(c, s, t - 1) == d - 1,
             "add(%lld, %lld) = %lld is not the earliest", (long long)s, (long long)d,
             (long long)t);
}

static void check_between(const lg_calendar *c, lg_time s, lg_time t) {
  lg_duration d;
  lg_time     back = 0;
  if (!valid(s) || !valid(t)) {
    FZ_CHECK(lg_calendar_between(c, s, t, &d) == LG_ERR_RANGE, "between accepts bad times");
    return;
  }
  d = between(c, s, t);
  if (t <= s) return;
  FZ_CHECK(lg_calendar_add(c, s, d, &back) == LG_OK, "add(s, between(s, t)) failed");
  FZ_CHECK(back >= s && back <= t, "add(s, between(s, t)) = %lld outside [%lld, %lld]",
           (long long)back, (long long)s, (long long)t);
  if (lg_calendar_is_open(c, t - 1))
    FZ_CHECK(back == t, "add(s, between(s, t)) = %lld, t %lld follows an open second",
             (long long)back, (long long)t);
}

static void check_point(const lg_calendar *c, lg_time t) {
  lg_time n = lg_calendar_next_open(c, t);
  int     open = lg_calendar_is_open(c, t);
  if (!valid(t)) {
    FZ_CHECK(open == 0 && n == LG_TIME_NEVER, "bad time %lld answered", (long long)t);
    return;
  }
  if (t < LG_TIME_MAX)
    FZ_CHECK(between(c, t, t + 1) == open, "is_open(%lld) = %d disagrees with between",
             (long long)t, open);
  if (n == LG_TIME_NEVER) {
    FZ_CHECK(!open && between(c, t, LG_TIME_MAX) == 0 && !lg_calendar_is_open(c, LG_TIME_MAX),
             "never open again after %lld, but it is", (long long)t);
    return;
  }
  FZ_CHECK(n >= t && valid(n) && lg_calendar_is_open(c, n), "next_open(%lld) = %lld",
           (long long)t, (long long)n);
  FZ_CHECK(between(c, t, n) == 0 && (n == t) == (open != 0),
           "open time before next_open(%lld) = %lld", (long long)t, (long long)n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t      params[PARAM_BYTES];
  fz_reader    r;
  lg_calendar *c = (lg_calendar *)&c, *again = NULL;
  lg_calendar *const sentinel = c;
  lg_error     err;
  lg_status    st;
  const char  *text = (const char *)data + (size < PARAM_BYTES ? size : PARAM_BYTES);
  size_t       text_len = size < PARAM_BYTES ? 0 : size - PARAM_BYTES;
  char        *t1, *t2;
  size_t       n1, n2;
  lg_time      a, b, m;
  lg_duration  d, ab, am, mb;

  memset(params, 0, sizeof params);
  memcpy(params, data, size < PARAM_BYTES ? size : PARAM_BYTES);
  r.p = params;
  r.n = sizeof params;
  r.pos = 0;

  memset(&err, 0x5a, sizeof err);
  st = lg_calendar_parse(text, text_len, &c, &err);
  fz_check_error(&err, st);
  if (st != LG_OK) {
    FZ_CHECK(c == sentinel, "*out written on failure (%s)", lg_status_name(st));
    return 0;
  }
  t1 = fz_to_text(calendar_text, c, &n1);
  FZ_CHECK(lg__render_hash(print_calendar, c) == fz_fnv1a(t1, n1), "hash of the text");
  st = lg_calendar_parse(t1, n1, &again, &err);
  FZ_CHECK(st == LG_OK, "canonical text does not parse: %s at %u:%u: %s\n%s",
           lg_status_name(st), err.line, err.column, err.message, t1);
  t2 = fz_to_text(calendar_text, again, &n2);
  FZ_CHECK(n1 == n2 && memcmp(t1, t2, n1) == 0,
           "canonical text is not a fixed point:\n--- first\n%s--- second\n%s", t1, t2);

  a = fz_time(&r, LG_EXAMPLE_EPOCH);
  b = fz_time(&r, LG_EXAMPLE_EPOCH);
  d = fz_duration(&r);

  /* The reparsed copy is the same calendar. */
  FZ_CHECK(lg_calendar_is_open(c, a) == lg_calendar_is_open(again, a) &&
               lg_calendar_next_open(c, b) == lg_calendar_next_open(again, b),
           "reparsed calendar answers differently");

  check_add(c, a, d);
  check_add(c, b, d);
  check_between(c, a, b);
  check_between(c, b, a);
  check_point(c, a);
  check_point(c, b);
  if (valid(a) && valid(b)) {
    /* Additivity over a midpoint. */
    lg_time lo = a < b ? a : b, hi = a < b ? b : a;
    m = lo + (hi - lo) / 2;
    ab = between(c, lo, hi);
    am = between(c, lo, m);
    mb = between(c, m, hi);
    FZ_CHECK(ab == am + mb, "between not additive: %lld != %lld + %lld", (long long)ab,
             (long long)am, (long long)mb);
    FZ_CHECK(between(c, lo, hi) == between(again, lo, hi), "reparsed copy differs");
  }

  free(t1);
  free(t2);
  lg_calendar_free(again);
  lg_calendar_free(c);
  return 0;
}
