/*
 * test_properties.c - properties that must hold for every rubric, lead,
 * calendar and policy, checked on seeded random instances, plus overflow
 * hardening at the edges of every range.
 *
 * The seed comes from LG_PROPERTY_SEED when set, else from the clock; it is
 * printed at the start and in every failure message, so any failure can be
 * replayed with LG_PROPERTY_SEED=<seed>.  Expected values are never taken
 * from the function under test alone: each property relates two calls
 * (before/after an edit, two insertion orders, add against between, now
 * against next_at).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "reference_example.h"
#include "leadgate.h"

#define HOUR  INT64_C(3600)
#define DAY   INT64_C(86400)
#define CASES 300

static uint64_t seed, rng_state;

/* splitmix64: tiny, and every seed gives a full-period stream. */
static uint64_t rnd(void) {
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}
static int64_t range(int64_t lo, int64_t hi) { /* inclusive */
  return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* Fails the test with the seed in the message.  A function rather than a
 * snprintf in the macro: messages embed whole generated definitions. */
static void check_failed(const char *cond, const char *fmt, ...) {
  static char msg[1 << 15];
  va_list     ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fail_msg("LG_PROPERTY_SEED=%llu: %s: %s", (unsigned long long)seed, cond, msg);
}
#define CHECK(cond, ...)                                \
  do {                                                  \
    if (!(cond)) check_failed(#cond, __VA_ARGS__);      \
  } while (0)
#define OK(call) CHECK((call) == LG_OK, "%s", #call)

static int group_setup(void **state) {
  const char *env = getenv("LG_PROPERTY_SEED");
  (void)state;
  seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
  rng_state = seed;
  print_message("property seed: LG_PROPERTY_SEED=%llu\n", (unsigned long long)seed);
  return 0;
}

/* ---- a text builder ----------------------------------------------------- */

typedef struct sb {
  char   s[1 << 17];
  size_t n;
} sb;

static void sb_put(sb *b, const char *fmt, ...) {
  va_list ap;
  int     k;
  va_start(ap, fmt);
  k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
  va_end(ap);
  assert_true(k >= 0 && (size_t)k < sizeof b->s - b->n);
  b->n += (size_t)k;
}

/* Milli-points as rubric text: 2500 -> "2.5", -125 -> "-0.125". */
static void sb_points(sb *b, int64_t milli) {
  int64_t a = milli < 0 ? -milli : milli;
  sb_put(b, "%s%lld.%03lld", milli < 0 ? "-" : "", (long long)(a / 1000), (long long)(a % 1000));
}

static lg_rubric *parse_rubric(const sb *b) {
  lg_rubric *r = NULL;
  lg_error   err;
  lg_status  st = lg_rubric_parse(b->s, b->n, &r, &err);
  CHECK(st == LG_OK, "rubric %u:%u %s\n%s", err.line, err.column, err.message, b->s);
  return r;
}

static lg_policy *parse_policy(const sb *b) {
  lg_policy *p = NULL;
  lg_error   err;
  lg_status  st = lg_policy_parse(b->s, b->n, &p, &err);
  CHECK(st == LG_OK, "policy %u:%u %s\n%s", err.line, err.column, err.message, b->s);
  return p;
}

/* ---- random leads and fit criteria ----------------------------------------
 * Attributes a0..a5 each get a type per case: text (a small vocabulary in
 * mixed case), int, or bool; some are left absent. */

#define N_ATTRS 6
static const char *const words[] = {"red", "green", "blue", "Red", "GREEN"};

typedef struct attr_val {
  int     type; /* lg_value_type */
  int64_t num;
  int     word;
} attr_val;

static void random_attrs(attr_val *v) {
  int i;
  for (i = 0; i < N_ATTRS; i++) {
    v[i].type = (int)range(0, 3);
    v[i].num = v[i].type == LG_VALUE_BOOL ? range(0, 1) : range(-5, 15);
    v[i].word = (int)range(0, 4);
  }
}

static void apply_attr(lg_lead *lead, const attr_val *v, int i) {
  char name[4];
  snprintf(name, sizeof name, "a%d", i);
  if (v[i].type == LG_VALUE_TEXT) OK(lg_lead_set_text(lead, name, words[v[i].word]));
  if (v[i].type == LG_VALUE_INT) OK(lg_lead_set_int(lead, name, v[i].num));
  if (v[i].type == LG_VALUE_BOOL) OK(lg_lead_set_bool(lead, name, (int)v[i].num));
}

/* One random match item of any type (it may or may not match). */
static void random_match(sb *b) {
  int64_t lo = range(-6, 16);
  switch (range(0, 5)) {
  case 0: sb_put(b, "\"%s\"", words[range(0, 4)]); break;
  case 1: sb_put(b, "%lld..%lld", (long long)lo, (long long)(lo + range(0, 6))); break;
  case 2: sb_put(b, "%s %lld", (const char *[]){"<", "<=", ">", ">=", "=", "!="}[range(0, 5)],
                 (long long)lo); break;
  case 3: sb_put(b, "%s", range(0, 1) ? "true" : "false"); break;
  case 4: sb_put(b, "%lld", (long long)lo); break;
  default: sb_put(b, "\"%s\", %lld", words[range(0, 4)], (long long)lo);
  }
}

/* A match that the value certainly satisfies. */
static void matching_match(sb *b, const attr_val *v) {
  if (v->type == LG_VALUE_TEXT) {
    char w[8];
    size_t k;
    strcpy(w, words[v->word]);
    for (k = 0; w[k]; k++) /* matching is ASCII-case-insensitive */
      if (rnd() & 1) w[k] = (char)(w[k] ^ 0x20);
    sb_put(b, "\"%s\"", w);
  } else if (v->type == LG_VALUE_INT) {
    long long n = (long long)v->num;
    switch (range(0, 3)) {
    case 0: sb_put(b, "%lld", n); break;
    case 1: sb_put(b, ">= %lld", n - range(0, 3)); break;
    case 2: sb_put(b, "%lld..%lld", n - range(0, 2), n + range(0, 2)); break;
    default: sb_put(b, "!= %lld.5", n);
    }
  } else {
    sb_put(b, "%s", v->num ? "true" : "false");
  }
}

/* Fit criteria c0..c{n-1} over random attributes; criterion `edit` gets
 * `extra` as its first when line. */
static void random_fit_rubric(sb *b, uint64_t shape, int n, int edit, const char *extra) {
  uint64_t saved = rng_state;
  int      c, w;
  rng_state = shape; /* the same shape with and without the extra line */
  b->n = 0;
  for (c = 0; c < n; c++) {
    sb_put(b, "fit \"c%d\" from a%d\n", c, (int)range(0, N_ATTRS - 1));
    if (c == edit) sb_put(b, "  when %s\n", extra);
    for (w = (int)range(0, 4); w > 0; w--) {
      sb_put(b, "  when ");
      random_match(b);
      sb_put(b, " -> ");
      sb_points(b, range(-5000, 5000));
      sb_put(b, "\n");
    }
    if (rnd() & 1) { sb_put(b, "  otherwise -> "); sb_points(b, range(-3000, 3000)); sb_put(b, "\n"); }
    if (rnd() & 1) { sb_put(b, "  missing -> "); sb_points(b, range(-3000, 3000)); sb_put(b, "\n"); }
  }
  sb_put(b, "engagement \"e\" on ev -> 4 each half-life 3d\n");
  rng_state = saved;
}

/* Prepending a `when` that matches and pays at least what the criterion
 * paid before changes the score by exactly that difference (so it never
 * lowers it); one that cannot match changes nothing; on an absent
 * attribute nothing changes either (the `missing` outcome applies). */
static void prepending_a_matching_better_when_never_lowers_the_score(void **state) {
  static sb       base, edited, m;
  lg_contribution items[16];
  int             k;
  (void)state;
  for (k = 0; k < CASES; k++) {
    attr_val   v[N_ATTRS];
    lg_lead   *lead;
    lg_rubric *r0, *r1;
    lg_score   s0, s1;
    size_t     count;
    uint64_t   shape = rnd();
    int        n = (int)range(1, 8), c = (int)range(0, n - 1), attr, i;
    int64_t    old, pay;

    random_attrs(v);
    OK(lg_lead_create("p", &lead));
    for (i = 0; i < N_ATTRS; i++) apply_attr(lead, v, i);
    OK(lg_lead_add_event(lead, "ev", LG_EXAMPLE_EPOCH - DAY));
    random_fit_rubric(&base, shape, n, -1, NULL);
    r0 = parse_rubric(&base);
    OK(lg_score_lead(r0, lead, LG_EXAMPLE_EPOCH, &s0));
    OK(lg_explain(r0, lead, LG_EXAMPLE_EPOCH, items, 16, &count));
    old = items[c].points;
    attr = items[c].attribute[1] - '0';

    m.n = 0;
    if (v[attr].type == LG_VALUE_NONE || (rnd() & 3) == 0) {
      sb_put(&m, "\"no such value\"");     /* never matches */
      pay = range(-5000, 5000);
    } else {
      matching_match(&m, &v[attr]);
      pay = (old > 0 ? old : 0) + range(1, 5000); /* positive, >= old */
    }
    sb_put(&m, " -> ");
    sb_points(&m, pay);
    random_fit_rubric(&edited, shape, n, c, m.s);
    r1 = parse_rubric(&edited);
    OK(lg_score_lead(r1, lead, LG_EXAMPLE_EPOCH, &s1));
    if (v[attr].type == LG_VALUE_NONE || strstr(m.s, "no such") != NULL) {
      CHECK(s1.total == s0.total && s1.fit == s0.fit, "non-matching line moved %lld -> %lld\n%s",
            (long long)s0.total, (long long)s1.total, edited.s);
    } else {
      CHECK(s1.fit == s0.fit - old + pay && s1.total >= s0.total,
            "fit %lld -> %lld, criterion c%d paid %lld, now %lld\n%s", (long long)s0.fit,
            (long long)s1.fit, c, (long long)old, (long long)pay, edited.s);
    }
    CHECK(s1.engagement == s0.engagement, "engagement moved");
    lg_rubric_free(r0);
    lg_rubric_free(r1);
    lg_lead_free(lead);
  }
}

/* ---- order independence --------------------------------------------------- */

static void shuffle(int *a, int n) {
  int i;
  for (i = n - 1; i > 0; i--) {
    int j = (int)range(0, i), t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/* The same attributes and events, added in two random orders (attributes
 * also overwritten on the way), give identical scores and explanations. */
static void scores_do_not_depend_on_insertion_order(void **state) {
  static const char *types[] = {"demo_requested", "content_download", "webinar_attended",
                                "unsubscribed", "other"};
  lg_rubric         *r;
  int                k;
  (void)state;
  OK(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &r, NULL));
  for (k = 0; k < CASES; k++) {
    lg_time         ev_at[40];
    int             ev_type[40], order[40], n_ev = (int)range(0, 40), i, pass;
    lg_lead        *lead[2];
    lg_score        s[2];
    lg_contribution items[2][16];
    size_t          count[2];
    lg_time         now = LG_EXAMPLE_EPOCH + range(-10, 60) * DAY;
    const char     *need = words[range(0, 2)];
    int64_t         months = range(0, 12), employees = range(0, 30);

    for (i = 0; i < n_ev; i++) {
      ev_type[i] = (int)range(0, 4);
      /* Coarse times so that ties (kept in insertion order) happen. */
      ev_at[i] = LG_EXAMPLE_EPOCH - range(-5, 60) * DAY / (rnd() & 1 ? 1 : 4);
    }
    for (pass = 0; pass < 2; pass++) {
      OK(lg_lead_create("o", &lead[pass]));
      for (i = 0; i < n_ev; i++) order[i] = i;
      shuffle(order, n_ev);
      if (pass == 1) OK(lg_lead_set_int(lead[pass], "timeframe_months", 99)); /* overwritten */
      for (i = 0; i < n_ev; i++)
        OK(lg_lead_add_event(lead[pass], types[ev_type[order[i]]], ev_at[order[i]]));
      if (pass == 0) {
        OK(lg_lead_set_text(lead[pass], "need", need));
        OK(lg_lead_set_int(lead[pass], "timeframe_months", months));
        OK(lg_lead_set_int(lead[pass], "employees", employees));
      } else {
        OK(lg_lead_set_int(lead[pass], "employees", employees));
        OK(lg_lead_set_bool(lead[pass], "need", 1)); /* overwritten with another type */
        OK(lg_lead_set_int(lead[pass], "timeframe_months", months));
        OK(lg_lead_set_text(lead[pass], "need", need));
      }
      OK(lg_score_lead(r, lead[pass], now, &s[pass]));
      OK(lg_explain(r, lead[pass], now, items[pass], 16, &count[pass]));
    }
    CHECK(memcmp(&s[0], &s[1], sizeof s[0]) == 0, "scores differ: %lld/%lld vs %lld/%lld",
          (long long)s[0].fit, (long long)s[0].engagement, (long long)s[1].fit,
          (long long)s[1].engagement);
    for (i = 0; i < (int)count[0]; i++)
      CHECK(items[0][i].points == items[1][i].points && items[0][i].missing == items[1][i].missing,
            "explanation %d differs", i);
    lg_lead_free(lead[0]);
    lg_lead_free(lead[1]);
  }
  lg_rubric_free(r);
}

/* ---- engagement fades ------------------------------------------------------ */

/* With non-negative points and no new events, engagement never rises as
 * now advances past the last event: decay, expiry and caps only take away. */
static void engagement_never_rises_as_now_advances(void **state) {
  static sb b;
  static const char *decays[] = {"", " half-life %lldh", " expire %lldh", " linear %lldh"};
  int       k;
  (void)state;
  for (k = 0; k < CASES; k++) {
    lg_rubric *r;
    lg_lead   *lead;
    lg_time    last = LG_EXAMPLE_EPOCH, now;
    lg_points  prev = INT64_MAX;
    int        c, n = (int)range(1, 5), i, step;
    b.n = 0;
    for (c = 0; c < n; c++) {
      int d = (int)range(0, 3);
      sb_put(&b, "engagement \"e%d\" on t%d -> ", c, (int)range(0, 2));
      sb_points(&b, range(0, 50000));
      if (rnd() & 1) sb_put(&b, " each");
      if (rnd() & 1) { sb_put(&b, " max "); sb_points(&b, range(1, 80000)); }
      if (d) sb_put(&b, decays[d], (long long)range(1, 2000));
      sb_put(&b, "\n");
    }
    r = parse_rubric(&b);
    OK(lg_lead_create("e", &lead));
    for (i = (int)range(0, 30); i > 0; i--) {
      char    type[4];
      lg_time at = LG_EXAMPLE_EPOCH - range(0, 400 * DAY);
      snprintf(type, sizeof type, "t%d", (int)range(0, 2));
      OK(lg_lead_add_event(lead, type, at));
    }
    now = last;
    for (step = 0; step < 60; step++) {
      lg_score s;
      OK(lg_score_lead(r, lead, now, &s));
      CHECK(s.engagement <= prev, "engagement rose to %lld from %lld at now=%lld\n%s",
            (long long)s.engagement, (long long)prev, (long long)now, b.s);
      CHECK(s.engagement >= 0, "negative engagement from non-negative points");
      prev = s.engagement;
      now += step < 50 ? range(1, 3 * DAY) : range(1, 10000) * DAY;
      if (now > LG_TIME_MAX) now = LG_TIME_MAX;
    }
    lg_rubric_free(r);
    lg_lead_free(lead);
  }
}

/* ---- random calendars ------------------------------------------------------- */

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* A calendar block: an offset, one to three `hours` lines over disjoint
 * days with sorted, disjoint intervals, holidays and offset changes. */
static void random_calendar(sb *b) {
  int used = 0, lines = (int)range(1, 3), l, i;
  long long off = range(-12, 14) * 60 + (rnd() & 1 ? 30 : 0);
  sb_put(b, "calendar\n  utc-offset %c%02lld:%02lld\n", off < 0 ? '-' : '+',
         (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
  for (l = 0; l < lines; l++) {
    int first = 1, d, minute = (int)range(0, 600), pieces = (int)range(1, 3);
    sb_put(b, "  hours ");
    for (d = 0; d < 7; d++)
      if (!(used & (1 << d)) && (rnd() % 3 == 0 || (l == 0 && d == 0))) {
        sb_put(b, "%s%s", first ? "" : ", ", day_names[d]);
        used |= 1 << d;
        first = 0;
      }
    if (first) { b->n -= 8; continue; } /* no day left: drop the line */
    for (i = 0; i < pieces && minute < 1440; i++) {
      int end = minute + (int)range(1, 420);
      if (end > 1440) end = 1440;
      sb_put(b, "%s%02d:%02d-%02d:%02d", i ? ", " : " ", minute / 60, minute % 60, end / 60,
             end % 60);
      minute = end + (int)range(1, 240);
    }
    sb_put(b, "\n");
  }
  for (i = (int)range(0, 20); i > 0; i--)
    sb_put(b, "  holiday 2026-%02d-%02d\n", (int)range(1, 12), (int)range(1, 28));
  for (i = 0; i < (int)range(0, 4); i++) {
    long long o = range(-12, 14);
    sb_put(b, "  offset-change 2026-%02d-%02dT%02d:00:00Z %c%02lld:00\n", 2 + i * 2,
           (int)range(1, 28), (int)range(0, 23), o < 0 ? '-' : '+', o < 0 ? -o : o);
  }
}

static lg_calendar *make_calendar(sb *b) {
  lg_calendar *c = NULL;
  lg_error     err;
  lg_status    st;
  b->n = 0;
  random_calendar(b);
  st = lg_calendar_parse(b->s, b->n, &c, &err);
  CHECK(st == LG_OK, "calendar %u:%u %s\n%s", err.line, err.column, err.message, b->s);
  return c;
}

static lg_duration between(const lg_calendar *c, lg_time a, lg_time b) {
  lg_duration d = -1;
  OK(lg_calendar_between(c, a, b, &d));
  return d;
}

/* between(s, add(s, d)) == d; add(s, between(s, t)) <= t, with equality
 * when the second before t is open (t inside open hours, not at their
 * opening, or t a closing time), since add returns the earliest instant. */
static void calendar_add_and_between_are_inverses(void **state) {
  static sb b;
  int       k, j;
  (void)state;
  for (k = 0; k < CASES; k++) {
    lg_calendar *c = make_calendar(&b);
    for (j = 0; j < 20; j++) {
      lg_time     s = LG_EXAMPLE_EPOCH + range(-30 * DAY, 400 * DAY), t, back;
      lg_duration d = j % 3 == 0 ? range(0, 48 * HOUR) : j % 3 == 1 ? range(0, 366 * DAY / 4)
                                                                     : range(0, 600);
      lg_time     out;
      if (j % 5 == 0) s -= s % 60; /* on minute boundaries, where hours change */
      OK(lg_calendar_add(c, s, d, &out));
      CHECK(out >= s && between(c, s, out) == d, "between(s, add(s, %lld)) = %lld, s=%lld\n%s",
            (long long)d, (long long)between(c, s, out), (long long)s, b.s);
      if (d > 0)
        CHECK(lg_calendar_is_open(c, out - 1), "add(%lld, %lld) = %lld: not the earliest\n%s",
              (long long)s, (long long)d, (long long)out, b.s);
      t = s + range(0, 20 * DAY);
      if (j % 4 == 0 && t - t % 60 >= s) t -= t % 60; /* (never before s) */
      OK(lg_calendar_add(c, s, between(c, s, t), &back));
      CHECK(back <= t, "add(s, between(s, t)) = %lld > t = %lld (s = %lld)\n%s",
            (long long)back, (long long)t, (long long)s, b.s);
      if (t > s && lg_calendar_is_open(c, t - 1))
        CHECK(back == t, "add(s, between(s, t)) = %lld, want t = %lld (s = %lld)\n%s",
              (long long)back, (long long)t, (long long)s, b.s);
    }
    lg_calendar_free(c);
  }
}

/* ---- SLA: next_at is exact -------------------------------------------------- */

static void random_policy(sb *b) {
  int       business = (int)(rnd() & 1);
  long long target = range(1, 96);
  b->n = 0;
  sb_put(b, "policy \"p\"\n");
  if (business || rnd() % 3 == 0) random_calendar(b);
  sb_put(b, "follow-up within %lldh%s\n", target, business ? " business" : "");
  if (rnd() & 1) sb_put(b, "  warn at %lld%%\n", range(1, 99)); /* before the target */
  if (rnd() & 1) sb_put(b, "  remind at %lld%%\n", range(50, 150));
  if (rnd() & 1) sb_put(b, "  escalate at %lldh\n", range(1, 120));
  if (rnd() & 1) sb_put(b, "  reassign at %lldm max %lld\n", range(1, 9000), range(0, 2));
  if (rnd() & 1) sb_put(b, "  recycle at %lldh\n", range(1, 200));
}

/* Status at next_at - 1 equals status at now; at next_at the state or the
 * action differs.  Timelines lie entirely before now (a later entry would
 * change the status at its own time, which next_at does not promise to
 * announce).  Also: elapsed is the calendar's open time since the
 * assignment (wall time without `business`), due_at is add(start, target). */
static void sla_next_at_is_exact(void **state) {
  static sb b;
  int       k, j;
  (void)state;
  for (k = 0; k < CASES; k++) {
    lg_policy         *p;
    const lg_calendar *cal;
    int                business;
    random_policy(&b);
    p = parse_policy(&b);
    cal = lg_policy_calendar(p);
    business = strstr(b.s, " business") != NULL;
    for (j = 0; j < 10; j++) {
      lg_lead      *lead;
      lg_time       at = LG_EXAMPLE_EPOCH + range(0, 200 * DAY), latest, now;
      lg_time       touched = LG_TIME_NEVER;
      int           n = (int)range(1, 3), i;
      lg_sla_status s, before, after;
      OK(lg_lead_create("s", &lead));
      for (i = 0; i < n; i++) {
        OK(lg_lead_assign(lead, i % 2 ? "rep-b" : "rep-a", at));
        touched = LG_TIME_NEVER;
        if (rnd() % 4 == 0) OK(lg_lead_record_action(lead, (lg_action)range(1, 5), at));
        if (rnd() % 3 == 0) OK(lg_lead_touch(lead, touched = at + range(0, 5 * DAY)));
        latest = touched != LG_TIME_NEVER ? touched : at;
        at = latest + range(0, 4 * DAY);
      }
      now = latest + (rnd() & 1 ? range(0, 3 * DAY) : range(0, 60 * DAY));
      OK(lg_sla_eval(p, lead, now, &s));
      CHECK(s.next_at == LG_TIME_NEVER || s.next_at > now, "next_at %lld <= now %lld",
            (long long)s.next_at, (long long)now);
      if (s.state != LG_SLA_NONE) {
        lg_time     until = touched != LG_TIME_NEVER ? touched : now;
        lg_duration want = business ? between(cal, s.started_at, until) : until - s.started_at;
        lg_time     due;
        CHECK(s.elapsed == want, "elapsed %lld, want %lld\n%s", (long long)s.elapsed,
              (long long)want, b.s);
        if (business) {
          OK(lg_calendar_add(cal, s.started_at, s.elapsed + s.remaining, &due));
          CHECK(due == s.due_at, "due_at %lld, add gives %lld", (long long)s.due_at,
                (long long)due);
        }
      }
      if (s.next_at != LG_TIME_NEVER) {
        OK(lg_sla_eval(p, lead, s.next_at - 1, &before));
        OK(lg_sla_eval(p, lead, s.next_at, &after));
        CHECK(before.state == s.state && before.action == s.action,
              "status changed before next_at=%lld (now %lld): %d/%d -> %d/%d\n%s",
              (long long)s.next_at, (long long)now, s.state, s.action, before.state,
              before.action, b.s);
        CHECK(after.state != s.state || after.action != s.action,
              "nothing changes at next_at=%lld (now %lld): %d/%d\n%s", (long long)s.next_at,
              (long long)now, s.state, s.action, b.s);
      }
      lg_lead_free(lead);
    }
    lg_policy_free(p);
  }
}

/* ---- overflow hardening ------------------------------------------------------ */

static const lg_time bad_times[] = {INT64_MIN, LG_TIME_MIN - 1, LG_TIME_MAX + 1, INT64_MAX};

/* Every call that takes a time: a time outside [LG_TIME_MIN, LG_TIME_MAX]
 * is LG_ERR_RANGE with out-parameters untouched; the edges themselves work
 * and give sane answers (under UBSan in CI: with no undefined behaviour). */
static void times_at_the_edges_are_range_errors_or_correct(void **state) {
  static const lg_time edges[] = {LG_TIME_MIN, LG_TIME_MIN + 1, LG_TIME_MAX - 1, LG_TIME_MAX};
  lg_rubric      *r;
  lg_policy      *p;
  lg_lead        *lead;
  lg_score        s, poison;
  lg_decision     d;
  lg_sla_status   sla;
  lg_contribution items[16];
  size_t          count, k, chosen;
  lg_duration     dur;
  lg_time         t;
  lg_points       thr;
  lg_stats       *stats;
  const lg_lead  *one[1];
  lg_rep          rep;
  const lg_calendar *cal, *cals[2];
  (void)state;
  OK(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &r, NULL));
  OK(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &p, NULL));
  OK(lg_lead_create("edge", &lead));
  OK(lg_lead_add_event(lead, "demo_requested", LG_TIME_MIN));
  OK(lg_lead_add_event(lead, "content_download", LG_TIME_MAX));
  OK(lg_lead_add_event(lead, "webinar_attended", LG_TIME_MIN));
  for (k = 0; k < 4; k++) {
    CHECK(lg_lead_add_event(lead, "unsubscribed", bad_times[k]) == LG_ERR_RANGE, "event");
    CHECK(lg_lead_set_stage(lead, LG_STAGE_MQL, bad_times[k]) == LG_ERR_RANGE, "stage");
    CHECK(lg_lead_assign(lead, "rep", bad_times[k]) == LG_ERR_RANGE, "assign");
  }
  CHECK(lg_lead_event_count(lead) == 3, "events");
  OK(lg_lead_assign(lead, "rep", LG_TIME_MIN));
  OK(lg_lead_record_action(lead, LG_ACTION_WARN, LG_TIME_MIN));
  for (k = 0; k < 4; k++) {
    memset(&poison, 0x5a, sizeof poison);
    s = poison;
    CHECK(lg_score_lead(r, lead, bad_times[k], &s) == LG_ERR_RANGE &&
              memcmp(&s, &poison, sizeof s) == 0, "score at a bad time");
    CHECK(lg_explain(r, lead, bad_times[k], items, 16, &count) == LG_ERR_RANGE, "explain");
    CHECK(lg_decide(r, p, lead, bad_times[k], &d) == LG_ERR_RANGE, "decide");
    CHECK(lg_sla_eval(p, lead, bad_times[k], &sla) == LG_ERR_RANGE, "sla");
    CHECK(lg_lead_touch(lead, bad_times[k]) == LG_ERR_RANGE, "touch");
    CHECK(lg_lead_record_action(lead, LG_ACTION_REMIND, bad_times[k]) == LG_ERR_RANGE, "act");
    one[0] = lead;
    CHECK(lg_calibrate(r, one, 1, bad_times[k], LG_DIM_TOTAL, 1, &thr, &count) == LG_ERR_RANGE,
          "calibrate");
  }
  OK(lg_stats_create(p, &stats));
  memset(&rep, 0, sizeof rep);
  memset(&rep, 0, sizeof rep);
  rep.id = "other";
  rep.available = 1;
  rep.weight = 1;
  for (k = 0; k < 4; k++) {
    lg_time now = edges[k];
    OK(lg_score_lead(r, lead, now, &s));
    CHECK(s.total == s.fit + s.engagement, "total at %lld", (long long)now);
    OK(lg_explain(r, lead, now, items, 16, &count));
    OK(lg_decide(r, p, lead, now, &d));
    OK(lg_sla_eval(p, lead, now, &sla));
    CHECK(sla.next_at == LG_TIME_NEVER || sla.next_at > now, "next_at %lld at %lld",
          (long long)sla.next_at, (long long)now);
    CHECK(sla.elapsed >= 0 && sla.elapsed <= now - LG_TIME_MIN, "elapsed %lld",
          (long long)sla.elapsed);
    OK(lg_stats_add(stats, lead, now));
    OK(lg_route(p, lead, &rep, 1, now, &chosen));
    one[0] = lead;
    OK(lg_calibrate(r, one, 1, now, LG_DIM_ENGAGEMENT, 1, &thr, &count));
  }
  CHECK(lg_stats_add(stats, lead, INT64_MAX) == LG_ERR_RANGE, "stats at INT64_MAX");
  lg_stats_free(stats);
  OK(lg_lead_touch(lead, LG_TIME_MAX));

  /* Calendars: the always-open one and the reference one, over all of time. */
  cals[0] = lg_policy_calendar(p);
  {
    lg_policy *bare;
    OK(lg_policy_parse("", 0, &bare, NULL));
    cals[1] = lg_policy_calendar(bare);
    for (k = 0; k < 2; k++) {
      cal = cals[k];
      OK(lg_calendar_add(cal, LG_TIME_MIN, 0, &t));
      CHECK(t == LG_TIME_MIN, "add 0");
      CHECK(lg_calendar_add(cal, LG_TIME_MAX, 1, &t) == LG_ERR_RANGE, "past the end");
      CHECK(lg_calendar_add(cal, LG_TIME_MIN, INT64_MAX, &t) == LG_ERR_RANGE, "huge d");
      CHECK(lg_calendar_add(cal, LG_TIME_MIN, -1, &t) == LG_ERR_RANGE, "negative d");
      OK(lg_calendar_between(cal, LG_TIME_MIN, LG_TIME_MAX, &dur));
      CHECK(dur > 0 && dur <= LG_TIME_MAX - LG_TIME_MIN, "between over all time %lld",
            (long long)dur);
      OK(lg_calendar_add(cal, LG_TIME_MIN, dur, &t));
      CHECK(t <= LG_TIME_MAX && between(cal, LG_TIME_MIN, t) == dur, "add over all time");
      CHECK(lg_calendar_between(cal, INT64_MIN, 0, &dur) == LG_ERR_RANGE, "between min");
      CHECK(lg_calendar_between(cal, 0, INT64_MAX, &dur) == LG_ERR_RANGE, "between max");
      CHECK(lg_calendar_is_open(cal, INT64_MIN) == 0 && lg_calendar_is_open(cal, INT64_MAX) == 0,
            "is_open outside time");
      CHECK(lg_calendar_next_open(cal, INT64_MAX) == LG_TIME_NEVER &&
                lg_calendar_next_open(cal, LG_TIME_MAX + 1) == LG_TIME_NEVER, "next_open");
      t = lg_calendar_next_open(cal, LG_TIME_MIN);
      CHECK(t != LG_TIME_NEVER && lg_calendar_is_open(cal, t), "first open instant");
    }
    lg_policy_free(bare);
  }
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static lg_points engagement_of(const lg_rubric *r, const lg_lead *lead, lg_time now, size_t i) {
  lg_contribution items[8];
  size_t          count;
  OK(lg_explain(r, lead, now, items, 8, &count));
  CHECK(i < count && items[i].kind == LG_KIND_ENGAGEMENT, "no engagement item %zu", i);
  return items[i].points;
}

/* 1000 years is the longest duration a definition may hold; ages reach
 * 10,000 years (LG_TIME_MIN to LG_TIME_MAX).  Decay stays exact where it can
 * be computed by hand: whole half-lives halve, expiry cuts at the span,
 * linear decay is p * (1 - a/D) (a * p would overflow int64 if multiplied
 * naively: 3e11 s x 1e9 milli-points). */
static void thousand_year_durations_do_not_overflow(void **state) {
  static const char rubric_text[] =
    "engagement \"h\" on h -> 1000000 half-life 365000d\n"
    "engagement \"x\" on x -> 1000000 expire 365000d\n"
    "engagement \"l\" on l -> 1000000 linear 365000d\n"
    "engagement \"w\" on w -> -1000000 each half-life 52142w\n";
  static const char policy_text[] =
    "qualify when event h within 365000d\n"
    "follow-up within 8760000h business\n"
    "  warn at 50%\n  remind at 1000%\n  escalate at 8760000h\n  reassign at 8760000h max 1000\n"
    "calendar\n  hours mon-fri 09:00-17:00\n";
  const lg_duration D = INT64_C(31536000000); /* 365000 days */
  lg_rubric        *r, *bad;
  lg_policy        *p;
  lg_lead          *lead;
  lg_error          err;
  lg_status         st;
  lg_sla_status     sla;
  lg_decision       d;
  lg_time           now = LG_TIME_MAX;
  int               k;
  (void)state;
  OK(lg_rubric_parse(rubric_text, sizeof rubric_text - 1, &r, NULL));
  st = lg_rubric_parse("engagement \"x\" on x -> 1 expire 365001d\n", 40, &bad, &err);
  CHECK(st == LG_ERR_RANGE || st == LG_ERR_LIMIT, "1000 years + 1 day: %s", lg_status_name(st));
  CHECK(err.line == 1 && err.column > 1, "position of the long duration");
  OK(lg_lead_create("old", &lead));
  for (k = 0; k < 4; k++) OK(lg_lead_add_event(lead, (const char *[]){"h", "x", "l", "w"}[k],
                                               LG_TIME_MIN));
  /* At 10,000 years everything has faded (half-life: 2^-10 of 1e9 is about
   * 976,562 milli: not zero!). */
  CHECK(engagement_of(r, lead, now, 1) == 0, "expired");
  CHECK(engagement_of(r, lead, now, 2) == 0, "linear past its span");
  {
    lg_duration age = now - LG_TIME_MIN;
    lg_points   h = engagement_of(r, lead, now, 0);
    CHECK(h >= 0 && h <= INT64_C(1000000000) / 1024 + 1, "half-life at %lld s: %lld",
          (long long)age, (long long)h);
  }
  for (k = 1; k <= 9; k++) {
    lg_time at = LG_TIME_MIN + D * k / 10;
    lg_points want_l = INT64_C(1000000000) - INT64_C(100000000) * k;
    lg_points l = engagement_of(r, lead, at, 2);
    CHECK(l >= want_l - 1 && l <= want_l + 1, "linear at %d/10 of 1000 years: %lld", k,
          (long long)l);
    CHECK(engagement_of(r, lead, at, 1) == INT64_C(1000000000), "not yet expired");
  }
  CHECK(engagement_of(r, lead, LG_TIME_MIN + D, 0) >= 499999999 &&
            engagement_of(r, lead, LG_TIME_MIN + D, 0) <= 500000001, "one half-life");
  CHECK(engagement_of(r, lead, LG_TIME_MIN + D - 1, 1) == INT64_C(1000000000) &&
            engagement_of(r, lead, LG_TIME_MIN + D, 1) == 0, "expiry is exact");

  OK(lg_policy_parse(policy_text, sizeof policy_text - 1, &p, &err));
  OK(lg_lead_assign(lead, "rep", LG_TIME_MIN));
  for (k = 0; k < 3; k++) {
    lg_time at = (lg_time[]){LG_TIME_MIN, LG_TIME_MIN + D, LG_TIME_MAX}[k];
    OK(lg_sla_eval(p, lead, at, &sla));
    CHECK(sla.next_at == LG_TIME_NEVER || sla.next_at > at, "next_at");
    CHECK(sla.elapsed >= 0 && sla.remaining <= INT64_C(31536000000), "remaining %lld",
          (long long)sla.remaining);
    OK(lg_decide(r, p, lead, at, &d));
    if (k != 1) /* at exactly 1000 years `within` is the boundary: not asserted */
      CHECK((d.verdict == LG_VERDICT_MQL) == (k == 0), "event within 1000 years at %d", k);
  }
  lg_policy_free(p);
  lg_lead_free(lead);
  lg_rubric_free(r);
}

/* Points at +-1,000,000 on 1,024 criteria and 10,000 events: sums reach
 * 1e13 milli-points and must be exact. */
static void extreme_points_and_ten_thousand_events_do_not_overflow(void **state) {
  static sb  b;
  lg_rubric *r, *tmp;
  lg_lead   *lead;
  lg_score   s;
  lg_error   err;
  lg_status  st;
  int        i;
  (void)state;
  b.n = 0;
  sb_put(&b, "engagement \"up\" on up -> 1000000 each\n"
             "engagement \"down\" on down -> -1000000 each max 1000000\n"
             "engagement \"dn\" on down -> -1000000 each\n");
  for (i = 0; i < 1021; i++)
    sb_put(&b, "fit \"f%d\" from a\n  when 1 -> 1000000\n  otherwise -> -1000000\n"
               "  missing -> -1000000\n", i);
  r = parse_rubric(&b);
  CHECK(lg_rubric_max_fit(r) == INT64_C(1021000000000), "max fit");
  st = lg_rubric_parse("engagement \"e\" on e -> 1000000.001\n", 35, &tmp, &err);
  CHECK(st == LG_ERR_LIMIT, "points past 1,000,000: %s", lg_status_name(st));
  OK(lg_lead_create("many", &lead));
  for (i = 0; i < LG_MAX_EVENTS; i++)
    OK(lg_lead_add_event(lead, i % 2 ? "down" : "up", LG_EXAMPLE_EPOCH - (i % 97) * HOUR));
  CHECK(lg_lead_add_event(lead, "up", LG_EXAMPLE_EPOCH) == LG_ERR_LIMIT, "event 10,001");
  OK(lg_lead_set_int(lead, "a", 1));
  OK(lg_score_lead(r, lead, LG_EXAMPLE_EPOCH, &s));
  CHECK(s.fit == INT64_C(1021000000000), "fit %lld", (long long)s.fit);
  CHECK(s.engagement == INT64_C(5000000000000) - INT64_C(1000000000) - INT64_C(5000000000000),
        "engagement %lld", (long long)s.engagement);
  OK(lg_lead_set_int(lead, "a", 2));
  OK(lg_score_lead(r, lead, LG_EXAMPLE_EPOCH, &s));
  CHECK(s.fit == -INT64_C(1021000000000) && s.total == s.fit + s.engagement, "negative fit");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

/* Limits hold exactly: 1,024 criteria and 256 whens parse, one more is
 * LG_ERR_LIMIT at the line that exceeds it; 64 nested parentheses or
 * `not`s parse and evaluate, 65 do not; 1 MiB of text is the most. */
static void criteria_and_nesting_limits_are_exact(void **state) {
  static sb   b;
  static char big[(1 << 20) + 2];
  lg_rubric  *r = NULL;
  lg_policy  *p = NULL;
  lg_rubric  *ex;
  lg_lead    *lead;
  lg_decision d;
  lg_error    err;
  lg_status   st;
  int         i, depth;
  (void)state;
  b.n = 0;
  for (i = 0; i < 1024; i++) sb_put(&b, "engagement \"e%d\" on e%d -> 1\n", i, i);
  r = parse_rubric(&b);
  lg_rubric_free(r);
  sb_put(&b, "knockout \"one too many\" when a is 1\n");
  st = lg_rubric_parse(b.s, b.n, &r, &err);
  CHECK(st == LG_ERR_LIMIT && err.line == 1025, "criterion 1025: %s at line %u",
        lg_status_name(st), err.line);
  b.n = 0;
  sb_put(&b, "fit \"f\" from a\n");
  for (i = 0; i < 256; i++) sb_put(&b, "  when %d -> 1\n", i);
  r = parse_rubric(&b);
  lg_rubric_free(r);
  sb_put(&b, "  when 999 -> 1\n");
  st = lg_rubric_parse(b.s, b.n, &r, &err);
  CHECK(st == LG_ERR_LIMIT && err.line == 258, "when 257: %s at %u", lg_status_name(st),
        err.line);

  OK(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &ex, NULL));
  OK(lg_lead_create("deep", &lead));
  OK(lg_lead_set_text(lead, "need", "high"));
  for (depth = 63; depth <= 65; depth++) {
    int form;
    for (form = 0; form < 2; form++) {
      b.n = 0;
      sb_put(&b, "qualify when ");
      for (i = 0; i < depth; i++) sb_put(&b, form ? "not " : "(");
      sb_put(&b, "fit >= 3");
      if (!form)
        for (i = 0; i < depth; i++) sb_put(&b, ")");
      sb_put(&b, "\n");
      st = lg_policy_parse(b.s, b.n, &p, &err);
      if (depth <= 64) {
        CHECK(st == LG_OK, "depth %d (%s): %s %s", depth, form ? "not" : "parens",
              lg_status_name(st), err.message);
        OK(lg_decide(ex, p, lead, LG_EXAMPLE_EPOCH, &d));
        /* fit is 3: the parenthesised rule holds; 63 or 64 `not`s flip it. */
        CHECK(d.verdict == (form && depth % 2 ? LG_VERDICT_NURTURE : LG_VERDICT_MQL),
              "depth %d form %d: verdict %d", depth, form, d.verdict);
        lg_policy_free(p);
      } else {
        CHECK(st == LG_ERR_LIMIT && err.line == 1, "depth 65 (%s): %s",
              form ? "not" : "parens", lg_status_name(st));
      }
    }
  }
  lg_lead_free(lead);
  lg_rubric_free(ex);

  memset(big, ' ', sizeof big);
  big[0] = '#';
  OK(lg_rubric_parse(big, (size_t)1 << 20, &r, NULL));
  lg_rubric_free(r);
  CHECK(lg_rubric_parse(big, ((size_t)1 << 20) + 1, &r, &err) == LG_ERR_LIMIT, "1 MiB + 1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(prepending_a_matching_better_when_never_lowers_the_score),
    cmocka_unit_test(scores_do_not_depend_on_insertion_order),
    cmocka_unit_test(engagement_never_rises_as_now_advances),
    cmocka_unit_test(calendar_add_and_between_are_inverses),
    cmocka_unit_test(sla_next_at_is_exact),
    cmocka_unit_test(times_at_the_edges_are_range_errors_or_correct),
    cmocka_unit_test(thousand_year_durations_do_not_overflow),
    cmocka_unit_test(extreme_points_and_ten_thousand_events_do_not_overflow),
    cmocka_unit_test(criteria_and_nesting_limits_are_exact),
  };
  return cmocka_run_group_tests(tests, group_setup, NULL);
}
