/*
 * test_decay.c - lg__decay (lib/decay.c) against hand values and against an
 * independent double-precision reference (exp2 from libm) over many seeded
 * random (points, age, span) triples, including the extremes; and
 * lg__decay_sum, the scorer's faster path, against sums of lg__decay.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "internal.h"

#define MINUTE INT64_C(60)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define YEAR (365 * DAY + 6 * HOUR) /* Julian year, as 1000-year spans use */

/* splitmix64: a small, well-known generator so runs are reproducible. */
static uint64_t rng_state;
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}
/* Uniform in [lo, hi] (hi - lo < 2^63). */
static int64_t rng_range(int64_t lo, int64_t hi) {
  uint64_t span = (uint64_t)(hi - lo) + 1u;
  return lo + (int64_t)(rng_next() % span);
}
/* Log-uniform in [1, hi]: covers every order of magnitude evenly. */
static int64_t rng_log(int64_t hi) {
  double e = (double)(rng_next() >> 11) / 9007199254740992.0; /* [0, 1) */
  double v = pow((double)hi, e);
  int64_t r = (int64_t)v;
  if (r < 1) r = 1;
  if (r > hi) r = hi;
  return r;
}

static double ref_half_life(int64_t p, int64_t age, int64_t h) {
  return (double)p * exp2(-((double)age / (double)h));
}
static double ref_linear(int64_t p, int64_t age, int64_t d) {
  if (age >= d) return 0.0;
  return (double)p * ((double)(d - age) / (double)d);
}

/* ---- hand values ----------------------------------------------------- */

static void a_full_half_life_halves_the_points(void **state) {
  (void)state;
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 14 * DAY, 1000, 0), 1000);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 14 * DAY, 1000, 14 * DAY), 500);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 14 * DAY, 1000, 28 * DAY), 250);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 14 * DAY, 1000, 42 * DAY), 125);
  /* 1000 * 2^-0.5 = 707.106... and 1000 * 2^-1.5 = 353.553... */
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 14 * DAY, 1000, 7 * DAY), 707);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 14 * DAY, 1000, 21 * DAY), 354);
  /* 25 points, 30 days: 2^-1/3 = 0.793700525... */
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 30 * DAY, 25000, 10 * DAY), 19843);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, 1000000000, 30), 1);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, 1000000000, 31), 0);
}

static void expire_keeps_points_until_the_span_ends(void **state) {
  (void)state;
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 30 * DAY, 25000, 0), 25000);
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 30 * DAY, 25000, 30 * DAY - 1), 25000);
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 30 * DAY, 25000, 30 * DAY), 0);
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 30 * DAY, -25000, 30 * DAY - 1), -25000);
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 30 * DAY, -25000, 30 * DAY), 0);
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 30 * DAY, 25000, LG_TIME_MAX - LG_TIME_MIN),
                   0);
}

static void linear_is_exact_and_rounds_half_away_from_zero(void **state) {
  (void)state;
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 60 * DAY, 5000, 0), 5000);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 60 * DAY, 5000, 30 * DAY), 2500);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 60 * DAY, 5000, 45 * DAY), 1250);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 60 * DAY, 5000, 60 * DAY - 1), 0);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 60 * DAY, 5000, 60 * DAY), 0);
  /* 3 * 1/2 = 1.5 -> 2 and -1.5 -> -2; 1000 * 2/3 = 666.67 -> 667 */
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 2, 3, 1), 2);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 2, -3, 1), -2);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 3, 1000, 1), 667);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 3, -1000, 1), -667);
  /* a product that needs more than 64 bits: 1e9 * (D - 1) with D ~ 1000 y */
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 1000 * YEAR, 1000000000, 1), 1000000000);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 1000 * YEAR, 1000000000, 500 * YEAR),
                   500000000);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 1000 * YEAR, -1000000000, 250 * YEAR),
                   -750000000);
}

static void half_life_ties_round_away_from_zero(void **state) {
  (void)state;
  /* 1 * 2^-1 = 0.5 exactly, 3 * 2^-1 = 1.5, 5 * 2^-2 = 1.25 */
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, 1, 10), 1);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, -1, 10), -1);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, 3, 10), 2);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, -3, 10), -2);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, 5, 20), 1);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, 1, 20), 0);
}

static void no_decay_zero_age_and_zero_points_return_the_points(void **state) {
  (void)state;
  assert_int_equal(lg__decay(LG__DECAY_NONE, 0, 20000, 100 * YEAR), 20000);
  assert_int_equal(lg__decay(LG__DECAY_NONE, 0, -20000, 100 * YEAR), -20000);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, DAY, 123456, 0), 123456);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, DAY, -123456, 0), -123456);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, DAY, 0, 5 * DAY), 0);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, DAY, 0, 5), 0);
}

static void extreme_ages_and_spans_do_not_overflow(void **state) {
  int64_t age_max = LG_TIME_MAX - LG_TIME_MIN;
  (void)state;
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, 1000000000, age_max), 0);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, -1000000000, age_max), 0);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1000 * YEAR, 1000000000, 0), 1000000000);
  /* one full 1000-year half-life, and beyond anything the parser accepts */
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1000 * YEAR, 1000000000, 1000 * YEAR),
                   500000000);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, INT64_MAX, 1000000000, INT64_MAX),
                   500000000);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, INT64_C(1) << 40, 1000,
                             INT64_C(3) << 40),
                   125);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, INT64_MAX, 1000000000, INT64_MAX / 2),
                   500000000);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, INT64_MAX, INT64_MAX, 1), INT64_MAX - 1);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, INT64_MAX, 10),
                   INT64_C(4611686018427387904));
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 10, INT64_MIN, 10),
                   -INT64_C(4611686018427387904));
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, INT64_MAX, 640), 0);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, INT64_MIN, 63), -1);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, INT64_MIN, 64), -1); /* -0.5 */
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 1, INT64_MIN, 65), 0);
}

/* ---- against the double reference ------------------------------------ */

typedef struct errstat {
  double max_err;
  int64_t worst_p, worst_age, worst_span;
  long n;
} errstat;

static void check_one(errstat *st, int kind, int64_t p, int64_t age, int64_t span) {
  int64_t got = lg__decay(kind, span, p, age);
  double ref = kind == LG__DECAY_HALF_LIFE ? ref_half_life(p, age, span)
                                           : ref_linear(p, age, span);
  double err = fabs((double)got - ref);
  /* the negative mirror must be exact */
  assert_int_equal(lg__decay(kind, span, -p, age), -got);
  if (err > st->max_err) {
    st->max_err = err;
    st->worst_p = p;
    st->worst_age = age;
    st->worst_span = span;
  }
  st->n++;
}

static int64_t random_points(void) {
  switch (rng_next() % 4) {
  case 0: return rng_range(-1000000000, 1000000000);
  case 1: return rng_log(1000000000) * ((rng_next() & 1) ? 1 : -1);
  case 2: return (rng_next() & 1) ? 1000000000 : -1000000000;
  default: return rng_range(-100000, 100000);
  }
}

static int64_t random_age(int64_t span) {
  switch (rng_next() % 4) {
  case 0: return rng_range(0, 100 * YEAR);
  case 1: return rng_log(LG_TIME_MAX - LG_TIME_MIN);
  case 2: return rng_range(0, span < INT64_MAX / 40 ? 40 * span : INT64_MAX); /* 0..40 H */
  default: return rng_range(0, span); /* within the first span */
  }
}

static void report(const char *what, const errstat *st) {
  printf("[decay] %s: %ld samples, max error %.6f milli-points"
         " (p=%lld age=%lld span=%lld)\n",
         what, st->n, st->max_err, (long long)st->worst_p, (long long)st->worst_age,
         (long long)st->worst_span);
}

static void half_life_is_within_one_milli_point_of_exact(void **state) {
  errstat st = {0.0, 0, 0, 0, 0};
  long i;
  int64_t a;
  (void)state;
  rng_state = 20260101u;
  for (i = 0; i < 200000; i++) {
    /* one draw per statement: argument evaluation order is unspecified */
    int64_t span = rng_log(1000 * YEAR);
    int64_t p = random_points();
    check_one(&st, LG__DECAY_HALF_LIFE, p, random_age(span), span);
  }
  /* a dense sweep over one half-life for the largest points, where table
   * boundaries (every 1/64 and 1/4096 of H) are crossed */
  for (a = 0; a <= 14 * DAY; a += 37)
    check_one(&st, LG__DECAY_HALF_LIFE, 1000000000, a, 14 * DAY);
  report("half-life", &st);
  assert_true(st.max_err <= 0.5 + 1e-3);
}

static void linear_is_within_one_milli_point_of_exact(void **state) {
  errstat st = {0.0, 0, 0, 0, 0};
  long i;
  (void)state;
  rng_state = 777u;
  for (i = 0; i < 100000; i++) {
    int64_t span = rng_log(1000 * YEAR);
    int64_t p = random_points();
    check_one(&st, LG__DECAY_LINEAR, p, random_age(span), span);
  }
  report("linear", &st);
  assert_true(st.max_err <= 0.5 + 1e-3);
}

static void spans_past_two_to_the_36_take_the_slow_path_exactly(void **state) {
  errstat st = {0.0, 0, 0, 0, 0};
  long i;
  (void)state;
  rng_state = 99u;
  for (i = 0; i < 20000; i++) {
    int64_t span = rng_range(INT64_C(1) << 36, INT64_MAX / 64);
    int64_t age = rng_range(0, 60 * span);
    int64_t p = random_points();
    check_one(&st, LG__DECAY_HALF_LIFE, p, age, span);
    p = random_points();
    check_one(&st, LG__DECAY_LINEAR, p, rng_range(0, span), span);
  }
  report("long spans", &st);
  assert_true(st.max_err <= 0.5 + 1e-3);
}

static void half_life_never_grows_with_age(void **state) {
  int64_t a, prev = INT64_MAX, h = 3 * DAY + 7;
  (void)state;
  for (a = 0; a <= 40 * h; a += 1013) {
    int64_t v = lg__decay(LG__DECAY_HALF_LIFE, h, 987654321, a);
    assert_true(v <= prev);
    assert_true(v >= 0);
    prev = v;
  }
  assert_int_equal(prev, 0);
}

/* -2^63 points one second into a half-life of 2^63 - 1 seconds: exactly
 * -2^63 * 2^(-1/(2^63 - 1)) = -2^63 + 0.693..., so within one of it are
 * -2^63 and -2^63 + 1.  Linear over the same span: -2^63 (D - 1) / D =
 * -2^63 + 1.000..., so -2^63 + 1 or + 2.  A magnitude of 2^63 must come
 * back as INT64_MIN, not wrap to a positive value. */
static void the_most_negative_points_stay_negative_when_barely_decayed(void **state) {
  int64_t got;
  (void)state;
  got = lg__decay(LG__DECAY_HALF_LIFE, INT64_MAX, INT64_MIN, 1);
  assert_true(got == INT64_MIN || got == INT64_MIN + 1);
  got = lg__decay(LG__DECAY_LINEAR, INT64_MAX, INT64_MIN, 1);
  assert_true(got == INT64_MIN + 1 || got == INT64_MIN + 2);
  got = lg__decay(LG__DECAY_EXPIRE, INT64_MAX, INT64_MIN, 1);
  assert_true(got == INT64_MIN);
}

/* A span of 0 (the parser never makes one): any positive age is past it,
 * and 2^(-age/0) is 0 in the limit, so nothing is left; age 0 keeps all. */
static void a_span_of_zero_leaves_nothing_after_any_positive_age(void **state) {
  (void)state;
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 0, 1000, 1), 0);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 0, -1000, DAY), 0);
  assert_int_equal(lg__decay(LG__DECAY_EXPIRE, 0, 1000, 1), 0);
  assert_int_equal(lg__decay(LG__DECAY_LINEAR, 0, 1000, 1), 0);
  assert_int_equal(lg__decay(LG__DECAY_HALF_LIFE, 0, 1000, 0), 1000);
}

/* ---- many events at once ------------------------------------------------ */

/* lg__decay_sum sums a criterion's events at 2^-32 milli-points and
 * rounds once, so its error does not grow with the number of events: the
 * sum is within 0.501 milli-points of the exact one (libm, long double),
 * on either side of every limit of its fast path (2 <= H < 2^36, ages
 * below 2^36), for every |points| a rubric allows (below 2^30).  Points
 * beyond that (no parsed rule has them) are rounded per event: the sum of
 * single decays.  One event is exactly lg__decay. */
static long double exact_half_life(int64_t p, int64_t span, int64_t age) {
  if (age <= 0) return (long double)p;
  return (long double)p * exp2l(-(long double)age / (long double)span);
}

static void a_sum_is_within_one_milli_point_of_the_exact_sum(void **state) {
  static const int64_t edge_spans[] = {1, 2, 3, 7, 1024, 86400, 14 * DAY, (INT64_C(1) << 35),
                                       (INT64_C(1) << 36) - 1, INT64_C(1) << 36,
                                       (INT64_C(1) << 36) + 1};
  static const int64_t edge_points[] = {1, -1, 2, 1000, -2000, (INT64_C(1) << 30) - 1,
                                        INT64_C(1) << 30, -(INT64_C(1) << 30) + 1,
                                        -(INT64_C(1) << 30), 1000000000, -1000000000, 0};
  const lg_time now = INT64_C(1) << 37;
  lg_time       at[100];
  uint16_t      type[100];
  long          sums = 0, events = 0;
  long double   worst = 0;
  int           round;
  (void)state;
  rng_state = UINT64_C(0x5eed5eed);
  for (round = 0; round < 30000; round++) {
    lg__decay_rule rule;
    int64_t        span, p, single = 0, got, last = 0;
    long double    exact = 0, err;
    uint32_t       n = (uint32_t)rng_range(0, round % 10 ? 40 : 100), m = 0, i, count = 0;
    span = round % 3 == 0 ? edge_spans[rng_next() % (sizeof edge_spans / sizeof *edge_spans)]
                          : rng_log(INT64_C(1) << 37);
    p = round % 3 == 1 ? edge_points[rng_next() % (sizeof edge_points / sizeof *edge_points)]
                       : random_points();
    lg__decay_rule_init(&rule, LG__DECAY_HALF_LIFE, span, p);
    for (i = 0; i < n; i++) {
      int64_t age;
      switch (rng_next() % 5) {
      case 0: age = 0; break;
      case 1: age = (INT64_C(1) << 36) - rng_range(1, 3); break;          /* last fast ages */
      case 2: age = (INT64_C(1) << 36) + rng_range(-1, 2); break;         /* around the limit */
      case 3: age = rng_range(0, span < INT64_C(1) << 30 ? 40 * span : span); break;
      default: age = rng_log(INT64_C(1) << 37); break;
      }
      at[i] = now - age;
      type[i] = (uint16_t)(rng_next() % 3); /* type 0 is not summed */
      if (type[i] != 0) continue;
      m++;
      last = lg__decay(LG__DECAY_HALF_LIFE, span, p, age);
      single += last;
      exact += exact_half_life(p, span, age);
    }
    got = lg__decay_sum(&rule, now, at, type, 0, n, &count);
    assert_int_equal(count, m);
    if (p >= INT64_C(1) << 30 || p <= -(INT64_C(1) << 30)) {
      assert_int_equal(got, single);
    } else {
      err = fabsl((long double)got - exact);
      if (err > worst) worst = err;
      if (err > 0.501L)
        fail_msg("span %lld points %lld, %u events: %lld, exact %.6Lf", (long long)span,
                 (long long)p, m, (long long)got, exact);
      if (m == 1) assert_int_equal(got, last);
    }
    sums++;
    events += (long)m;
  }
  /* the other kinds, through the same sum: expire is exact, linear is
   * summed before rounding too */
  {
    lg__decay_rule rule;
    int            kind;
    for (kind = LG__DECAY_NONE; kind <= LG__DECAY_LINEAR; kind++) {
      long double exact = 0;
      uint32_t    i, count = 0;
      int64_t     got;
      lg__decay_rule_init(&rule, kind, 10 * DAY, -7500);
      for (i = 0; i < 100; i++) {
        int64_t age = (int64_t)i * DAY / 4 + (int64_t)i * 7;
        at[i] = now - age;
        type[i] = (uint16_t)(i % 2);
        if (!(i % 2)) continue;
        if (kind == LG__DECAY_HALF_LIFE) exact += exact_half_life(-7500, 10 * DAY, age);
        else if (kind == LG__DECAY_EXPIRE) exact += age < 10 * DAY ? -7500 : 0;
        else if (kind == LG__DECAY_LINEAR)
          exact += age < 10 * DAY ? -7500.0L * (long double)(10 * DAY - age) / (10.0L * DAY) : 0;
        else exact += -7500;
      }
      got = lg__decay_sum(&rule, now, at, type, 1, 100, &count);
      assert_int_equal(count, 50);
      assert_true(fabsl((long double)got - exact) <= 0.501L);
    }
  }
  printf("[decay] sums: %ld sums of %ld events, worst error %.4Lf milli-points\n", sums, events,
         worst);
}

/* The case that showed per-event rounding: 10,000 events of 0.504 points
 * at age 2 s under a 3 s half-life.  Exact: 504 * 10^4 * 2^(-2/3) =
 * 3,175,000.6 milli-points (per-event rounding gave 318 * 10^4 =
 * 3,180,000, 5 points off). */
static void ten_thousand_events_round_once(void **state) {
  static lg_time  at[10000];
  static uint16_t type[10000];
  lg__decay_rule  rule;
  uint32_t        i, count = 0;
  (void)state;
  for (i = 0; i < 10000; i++) {
    at[i] = 1000;
    type[i] = 0;
  }
  lg__decay_rule_init(&rule, LG__DECAY_HALF_LIFE, 3, 504);
  assert_int_equal(lg__decay_sum(&rule, 1002, at, type, 0, 10000, &count), 3175001);
  assert_int_equal(count, 10000);
  lg__decay_rule_init(&rule, LG__DECAY_HALF_LIFE, 3, -504);
  assert_int_equal(lg__decay_sum(&rule, 1002, at, type, 0, 10000, &count), -3175001);
  /* linear: 10,000 x 1 milli-point at a third of its span: 6,666.67 */
  lg__decay_rule_init(&rule, LG__DECAY_LINEAR, 3, 1);
  assert_int_equal(lg__decay_sum(&rule, 1001, at, type, 0, 10000, &count), 6667);
}

/* lg__decay_pass (the scorer's one pass over a lead's events for all its
 * half-life criteria) gives each slot what lg__decay_sum gives its rule
 * and type, to the bit, and last[] the last event of each type; a slot of
 * one event is lg__decay itself (divisions, not the pass's multiplies by
 * 2^128 / H).  Ages around every limit of the kernel: 0, 1, the n > 66
 * cut (ages near 64..68 half-lives) and the last fast age 2^36 - 1; a
 * first event of age 2^36 makes the pass refuse, having done nothing. */
static void the_event_pass_gives_each_slot_its_sum_to_the_bit(void **state) {
  static const int64_t edge_spans[] = { 2, 3, 1024, 86400, 14 * DAY, (INT64_C(1) << 36) - 1 };
  enum { TYPES = 5, EVENTS = 60 };
  const lg_time now = INT64_C(1) << 37;
  lg_time       at[EVENTS];
  uint16_t      type[EVENTS];
  int           round;
  (void)state;
  rng_state = UINT64_C(0xba55ba55);
  for (round = 0; round < 20000; round++) {
    lg__decay_rule rule[TYPES];
    lg__decay_slot slots[TYPES + 1];
    uint8_t        slot_of[TYPES];
    uint32_t       last[TYPES], n = (uint32_t)rng_range(0, round % 4 ? 12 : EVENTS), i, t;
    int64_t        ages[EVENTS];
    lg__decay_slot_init(&slots[0], NULL);
    for (t = 0; t < TYPES; t++) {
      int64_t span = round % 2 ? edge_spans[rng_next() % (sizeof edge_spans / sizeof *edge_spans)]
                               : rng_range(2, (INT64_C(1) << 36) - 1);
      int64_t p = rng_range(-(INT64_C(1) << 30) + 1, (INT64_C(1) << 30) - 1);
      lg__decay_rule_init(&rule[t], LG__DECAY_HALF_LIFE, span, p);
      assert_true(lg__decay_fast_rule(&rule[t]));
      slot_of[t] = (uint8_t)(t % 4 == 3 ? 0 : t + 1); /* type 3 has no slot */
      lg__decay_slot_init(&slots[t + 1], &rule[t]);
      last[t] = 0;
    }
    for (i = 0; i < n; i++) {
      uint16_t ty = (uint16_t)(rng_next() % TYPES);
      int64_t  h = rule[ty].span, age;
      switch (rng_next() % 6) {
      case 0: age = rng_range(0, 1); break;
      case 1: age = (INT64_C(1) << 36) - 1 - rng_range(0, 2); break;
      case 2: age = h * rng_range(64, 68) + rng_range(-2, 2); break;
      case 3: age = rng_range(0, 3 * h); break;
      default: age = rng_log((INT64_C(1) << 36) - 1); break;
      }
      if (age < 0) age = 0;
      if (age >= INT64_C(1) << 36) age = (INT64_C(1) << 36) - 1;
      ages[i] = age;
      type[i] = ty;
    }
    /* events sorted by time: the oldest first */
    for (i = 1; i < n; i++) {
      uint32_t k = i;
      while (k > 0 && ages[k - 1] < ages[k]) {
        int64_t  a = ages[k - 1];
        uint16_t b = type[k - 1];
        ages[k - 1] = ages[k];
        ages[k] = a;
        type[k - 1] = type[k];
        type[k] = b;
        k--;
      }
    }
    for (i = 0; i < n; i++) at[i] = now - ages[i];
    assert_int_equal(lg__decay_pass(slots, slot_of, now, at, type, n, last), 1);
    for (t = 0; t < TYPES; t++) {
      uint32_t count = 0, want_last = 0;
      int64_t  want = lg__decay_sum(&rule[t], now, at, type, (uint16_t)t, n, &count);
      for (i = 0; i < n; i++)
        if (type[i] == t) want_last = i + 1;
      assert_int_equal(last[t], want_last);
      if (!slot_of[t]) continue;
      assert_int_equal(lg__decay_slot_total(&slots[slot_of[t]], rule[t].points), want);
      if (count == 1)
        assert_int_equal(want, lg__decay(LG__DECAY_HALF_LIFE, rule[t].span, rule[t].points,
                                         ages[want_last - 1]));
      if (count == 0) assert_int_equal(want, 0);
    }
    /* slot 0 gathers nothing */
    assert_int_equal(lg__decay_slot_total(&slots[0], 1), 0);
  }
  /* a first event too old for the kernel: refused, nothing touched */
  {
    lg__decay_rule rule;
    lg__decay_slot slots[2];
    uint8_t        slot_of[1] = { 1 };
    uint32_t       last[1] = { 77 };
    lg__decay_rule_init(&rule, LG__DECAY_HALF_LIFE, DAY, 1000);
    lg__decay_slot_init(&slots[0], NULL);
    lg__decay_slot_init(&slots[1], &rule);
    at[0] = now - (INT64_C(1) << 36);
    at[1] = now;
    type[0] = type[1] = 0;
    assert_int_equal(lg__decay_pass(slots, slot_of, now, at, type, 2, last), 0);
    assert_int_equal(last[0], 77);
    assert_int_equal(lg__decay_slot_total(&slots[1], 1000), 0);
    at[0] = now - (INT64_C(1) << 36) + 1; /* the last fast age */
    assert_int_equal(lg__decay_pass(slots, slot_of, now, at, type, 2, last), 1);
    assert_int_equal(last[0], 2);
    /* 2^36 - 1 s is over 795,000 days: only the event at age 0 counts */
    assert_int_equal(lg__decay_slot_total(&slots[1], 1000), 1000);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_full_half_life_halves_the_points),
      cmocka_unit_test(expire_keeps_points_until_the_span_ends),
      cmocka_unit_test(linear_is_exact_and_rounds_half_away_from_zero),
      cmocka_unit_test(half_life_ties_round_away_from_zero),
      cmocka_unit_test(no_decay_zero_age_and_zero_points_return_the_points),
      cmocka_unit_test(extreme_ages_and_spans_do_not_overflow),
      cmocka_unit_test(half_life_is_within_one_milli_point_of_exact),
      cmocka_unit_test(linear_is_within_one_milli_point_of_exact),
      cmocka_unit_test(spans_past_two_to_the_36_take_the_slow_path_exactly),
      cmocka_unit_test(half_life_never_grows_with_age),
      cmocka_unit_test(the_most_negative_points_stay_negative_when_barely_decayed),
      cmocka_unit_test(a_span_of_zero_leaves_nothing_after_any_positive_age),
      cmocka_unit_test(a_sum_is_within_one_milli_point_of_the_exact_sum),
      cmocka_unit_test(ten_thousand_events_round_once),
      cmocka_unit_test(the_event_pass_gives_each_slot_its_sum_to_the_bit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
