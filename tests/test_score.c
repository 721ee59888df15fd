/*
 * test_score.c - evaluating rubrics (lib/score.c): fit, engagement with
 * decay and caps, knockouts, batch scoring, explanations, progressive
 * profiling, argument checks, and that none of it allocates.
 *
 * Every expected value is worked out by hand in the comments next to it.
 * Leads are built with the public lead API only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reference_example.h"
#include "internal.h"
#include "support.h"

#define NOW LG_EXAMPLE_EPOCH
#define DAY INT64_C(86400)

/* ---- helpers ------------------------------------------------------------- */

static lg_rubric *parse(const char *text) {
  lg_rubric *r = NULL;
  lg_error   err;
  lg_status  st = lg_rubric_parse(text, strlen(text), &r, &err);
  if (st != LG_OK) fail_msg("%u:%u %s", err.line, err.column, err.message);
  return r;
}

static lg_lead *lead_new(const char *id) {
  lg_lead *l = NULL;
  assert_int_equal(lg_lead_create(id, &l), LG_OK);
  return l;
}

static void text(lg_lead *l, const char *name, const char *v) {
  assert_int_equal(lg_lead_set_text(l, name, v), LG_OK);
}
static void num(lg_lead *l, const char *name, int64_t v) {
  assert_int_equal(lg_lead_set_int(l, name, v), LG_OK);
}
static void flag(lg_lead *l, const char *name, int v) {
  assert_int_equal(lg_lead_set_bool(l, name, v), LG_OK);
}
static void event(lg_lead *l, const char *type, lg_time at) {
  assert_int_equal(lg_lead_add_event(l, type, at), LG_OK);
}

static lg_score score(const lg_rubric *r, const lg_lead *l, lg_time now) {
  lg_score s;
  memset(&s, 0xAB, sizeof s);
  assert_int_equal(lg_score_lead(r, l, now, &s), LG_OK);
  assert_int_equal(s.total, s.fit + s.engagement);
  assert_int_equal(s.knocked_out, s.knockout_index >= 0);
  assert_int_equal(s.reserved, 0);
  return s;
}

static void assert_score(const lg_score *s, lg_points fit, lg_points engagement,
                         int32_t knockout_index, uint32_t missing) {
  assert_int_equal(s->fit, fit);
  assert_int_equal(s->engagement, engagement);
  assert_int_equal(s->total, fit + engagement);
  assert_int_equal(s->knockout_index, knockout_index);
  assert_int_equal(s->knocked_out, knockout_index >= 0);
  assert_int_equal(s->missing_count, missing);
}

/* ---- the four criteria from the field --------------------------------------- */

static const char four_by_three[] =
  "rubric \"four criteria scored 1-3\"\n"
  "fit \"need\" from need\n"
  "  when \"high\" -> 3\n"
  "  when \"medium\" -> 2\n"
  "  when \"low\" -> 1\n"
  "fit \"timeframe\" from timeframe_months\n"
  "  when <= 3 -> 3\n"
  "  when 4..6 -> 2\n"
  "  when > 6 -> 1\n"
  "fit \"authority\" from role\n"
  "  when \"decision maker\", \"economic buyer\" -> 3\n"
  "  when \"influencer\" -> 2\n"
  "  when \"recommender\" -> 1\n"
  "fit \"profile\" from company_size\n"
  "  when >= 1000 -> 3\n"
  "  when 100..999 -> 2\n"
  "  otherwise -> 1\n";

static void four_criteria_scored_one_to_three_give_twelve_for_a_perfect_lead(void **state) {
  lg_rubric *r = parse(four_by_three);
  lg_lead   *perfect = lead_new("perfect"), *handoff = lead_new("handoff"),
          *weak = lead_new("weak"), *partial = lead_new("partial");
  lg_score s;
  (void)state;
  assert_int_equal(lg_rubric_max_fit(r), 12000);
  /* 3 + 3 + 3 + 3; text matches ignore ASCII case */
  text(perfect, "need", "High");
  num(perfect, "timeframe_months", 2);
  text(perfect, "role", "DECISION MAKER");
  num(perfect, "company_size", 5000);
  s = score(r, perfect, NOW);
  assert_score(&s, 12000, 0, -1, 0);
  /* 2 + 2 (5 in 4..6) + 2 + 2 (150 in 100..999) = 8: the hand-off line */
  text(handoff, "need", "medium");
  num(handoff, "timeframe_months", 5);
  text(handoff, "role", "influencer");
  num(handoff, "company_size", 150);
  s = score(r, handoff, NOW);
  assert_score(&s, 8000, 0, -1, 0);
  /* 1 + 1 (12 > 6) + 1 + 1 (20: otherwise) = 4 */
  text(weak, "need", "low");
  num(weak, "timeframe_months", 12);
  text(weak, "role", "recommender");
  num(weak, "company_size", 20);
  s = score(r, weak, NOW);
  assert_score(&s, 4000, 0, -1, 0);
  /* 3 + missing 0 + unmatched "ceo" 0 + 100 (range is inclusive) 2 = 5 */
  text(partial, "need", "HIGH");
  text(partial, "role", "ceo");
  num(partial, "company_size", 100);
  s = score(r, partial, NOW);
  assert_score(&s, 5000, 0, -1, 1);
  /* boundaries: 3 is <= 3, 4 starts the range, 6 ends it, 7 is > 6 */
  num(partial, "timeframe_months", 3);
  assert_int_equal(score(r, partial, NOW).fit, 8000);
  num(partial, "timeframe_months", 4);
  assert_int_equal(score(r, partial, NOW).fit, 7000);
  num(partial, "timeframe_months", 6);
  assert_int_equal(score(r, partial, NOW).fit, 7000);
  num(partial, "timeframe_months", 7);
  assert_int_equal(score(r, partial, NOW).fit, 6000);
  num(partial, "company_size", 999);
  assert_int_equal(score(r, partial, NOW).fit, 6000);
  num(partial, "company_size", 1000);
  assert_int_equal(score(r, partial, NOW).fit, 7000);
  lg_lead_free(perfect);
  lg_lead_free(handoff);
  lg_lead_free(weak);
  lg_lead_free(partial);
  lg_rubric_free(r);
}

/* ---- the reference example on hand-built leads ------------------------------- */

/* need high, timeframe 2, economic buyer, SaaS: fit 12.  Events: a demo a
 * day ago (25, within 30d); content now (2), 14d ago (2 * 1/2 = 1) and 28d
 * ago (2 * 1/4 = 0.5): 3.5; a webinar 30d ago (5 * 1/2 = 2.5).
 * Engagement 25 + 3.5 + 2.5 = 31. */
static lg_lead *ideal_lead(void) {
  lg_lead *l = lead_new("ideal");
  text(l, "need", "high");
  num(l, "timeframe_months", 2);
  text(l, "role", "Economic Buyer");
  text(l, "industry", "SaaS");
  text(l, "persona", "buyer");
  num(l, "employees", 500);
  event(l, "demo_requested", NOW - DAY);
  event(l, "content_download", NOW - 28 * DAY);
  event(l, "content_download", NOW);
  event(l, "content_download", NOW - 14 * DAY);
  event(l, "webinar_attended", NOW - 30 * DAY);
  event(l, "page_view", NOW - 2 * DAY); /* not in the rubric */
  return l;
}

static void the_reference_example_scores_an_ideal_lead(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *l = ideal_lead();
  lg_score   s = score(r, l, NOW);
  (void)state;
  assert_score(&s, 12000, 31000, -1, 0);
  lg_lead_free(l);
  lg_rubric_free(r);
}

static void missing_attributes_take_missing_and_unmatched_take_otherwise(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *l = lead_new("sparse");
  lg_score   s;
  (void)state;
  /* nothing known: every fit criterion is missing, 0 points */
  s = score(r, l, NOW);
  assert_score(&s, 0, 0, -1, 4);
  /* industry present but unmatched: profile's otherwise, 1 */
  text(l, "industry", "retail");
  s = score(r, l, NOW);
  assert_score(&s, 1000, 0, -1, 3);
  text(l, "industry", "Software");
  s = score(r, l, NOW);
  assert_score(&s, 3000, 0, -1, 3);
  lg_lead_free(l);
  lg_rubric_free(r);
}

static void values_of_the_wrong_type_never_match(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *l = lead_new("types");
  lg_score   s;
  (void)state;
  /* present (so not missing) but of another type: otherwise, which is 0
   * for need, timeframe and authority and 1 for profile */
  num(l, "need", 3);
  text(l, "timeframe_months", "2");
  flag(l, "role", 1);
  num(l, "industry", 5);
  text(l, "employees", "5"); /* a text 5 is not < 10 */
  flag(l, "persona", 1);
  s = score(r, l, NOW);
  assert_score(&s, 1000, 0, -1, 0);
  lg_lead_free(l);
  lg_rubric_free(r);
}

static void knockouts_report_the_first_match_in_rubric_order(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *both = ideal_lead(), *small = lead_new("small");
  lg_score   s;
  (void)state;
  text(both, "persona", "Student");
  num(both, "employees", 5);
  s = score(r, both, NOW);
  assert_score(&s, 12000, 31000, 0, 0); /* knockouts do not change points */
  num(small, "employees", 9);
  s = score(r, small, NOW);
  assert_score(&s, 0, 0, 1, 4);
  num(small, "employees", 10); /* < 10 is strict */
  s = score(r, small, NOW);
  assert_score(&s, 0, 0, -1, 4);
  num(small, "employees", -3);
  assert_int_equal(score(r, small, NOW).knockout_index, 1);
  text(small, "persona", "competitor");
  assert_int_equal(score(r, small, NOW).knockout_index, 0);
  lg_lead_free(both);
  lg_lead_free(small);
  lg_rubric_free(r);
}

static void events_after_now_are_ignored_so_history_replays(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *l = lead_new("future");
  (void)state;
  event(l, "demo_requested", NOW + 1);
  event(l, "content_download", NOW + DAY);
  assert_int_equal(score(r, l, NOW).engagement, 0);
  /* one second later the demo counts, at age 0 */
  assert_int_equal(score(r, l, NOW + 1).engagement, 25000);
  /* a day later both: content at age 0 (2) and the demo (25) */
  assert_int_equal(score(r, l, NOW + DAY).engagement, 27000);
  /* the ideal lead two days earlier: the demo (NOW - 1d) and the fresh
   * download (NOW) have not happened yet; the other downloads are 26d and
   * 12d old: 2 * 2^(-26/14) = 0.55204 -> 552, 2 * 2^(-12/14) = 1.10409
   * -> 1104; the webinar is 28d old: 5 * 2^(-28/30) = 2.61824 -> 2618 */
  lg_lead_free(l);
  l = ideal_lead();
  assert_int_equal(score(r, l, NOW - 2 * DAY).engagement, 552 + 1104 + 2618);
  lg_lead_free(l);
  lg_rubric_free(r);
}

static void once_counts_the_most_recent_event_and_each_counts_all(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *l = lead_new("demo");
  (void)state;
  /* demo expired (40d) then fresh (10d): once takes the 10-day-old one */
  event(l, "demo_requested", NOW - 40 * DAY);
  event(l, "demo_requested", NOW - 10 * DAY);
  assert_int_equal(score(r, l, NOW).engagement, 25000);
  /* a later demo in the future does not displace it */
  event(l, "demo_requested", NOW + DAY);
  assert_int_equal(score(r, l, NOW).engagement, 25000);
  /* 21 days on, the latest demo at or before now is the one at NOW + 1d,
   * 20d - 1s old, so it counts though the one it replaced has expired */
  assert_int_equal(score(r, l, NOW + 21 * DAY - 1).engagement, 25000);
  lg_lead_free(l);
  l = lead_new("demo2");
  event(l, "demo_requested", NOW - 10 * DAY);
  event(l, "demo_requested", NOW - 5 * DAY);
  assert_int_equal(score(r, l, NOW + 25 * DAY - 1).engagement, 25000); /* 30d - 1s old */
  assert_int_equal(score(r, l, NOW + 25 * DAY).engagement, 0);          /* 30d old */
  /* unsubscribed is once and undecayed: two of them are still -20 */
  event(l, "unsubscribed", NOW - 400 * DAY);
  event(l, "unsubscribed", NOW - 300 * DAY);
  assert_int_equal(score(r, l, NOW).engagement, 25000 - 20000);
  /* each: two webinars, 15d (5 * 2^-0.5 = 3.5355 -> 3536) and 60d (1.25) */
  event(l, "webinar_attended", NOW - 15 * DAY);
  event(l, "webinar_attended", NOW - 60 * DAY);
  assert_int_equal(score(r, l, NOW).engagement, 25000 - 20000 + 3536 + 1250);
  lg_lead_free(l);
  lg_rubric_free(r);
}

static void max_caps_the_decayed_sum(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *fresh = lead_new("fresh"), *old = lead_new("old");
  int        i;
  (void)state;
  /* 8 fresh downloads: 16 -> capped at 10 */
  for (i = 0; i < 8; i++) event(fresh, "content_download", NOW - i);
  /* 8 downloads a half-life ago: 8 * 1 = 8, under the cap (the cap applies
   * after decay, not to the 16 undecayed points) */
  for (i = 0; i < 8; i++) event(old, "content_download", NOW - 14 * DAY);
  assert_int_equal(score(r, fresh, NOW).engagement, 10000);
  assert_int_equal(score(r, old, NOW).engagement, 8000);
  lg_lead_free(fresh);
  lg_lead_free(old);
  lg_rubric_free(r);
}

static const char decay_rubric[] =
  "engagement \"trial\" on trial_started -> 10 each linear 20d\n"
  "engagement \"bounce\" on bounced -> -4 each max 10\n"
  "engagement \"visit\" on visited -> 2 half-life 14d\n"
  "engagement \"call\" on called -> 7 expire 1h\n"
  "fit \"opt-in\" from opted_in\n"
  "  when true -> 1\n"
  "  when false -> -1\n"
  "  missing -> -0.5\n";

static void decay_kinds_and_negative_caps_match_hand_values(void **state) {
  lg_rubric *r = parse(decay_rubric);
  lg_lead   *l = lead_new("decay");
  lg_score   s;
  (void)state;
  /* linear 20d: age 5d -> 10 * 15/20 = 7.5; age 15d -> 2.5; 20d -> 0 */
  event(l, "trial_started", NOW - 5 * DAY);
  assert_int_equal(score(r, l, NOW).engagement, 7500);
  event(l, "trial_started", NOW - 15 * DAY);
  event(l, "trial_started", NOW - 20 * DAY);
  assert_int_equal(score(r, l, NOW).engagement, 10000);
  lg_lead_free(l);
  l = lead_new("bounce");
  /* 3 bounces: -12, the cap applies to the absolute value: -10 */
  event(l, "bounced", NOW - 1);
  event(l, "bounced", NOW - 2);
  assert_int_equal(score(r, l, NOW).engagement, -8000);
  event(l, "bounced", NOW - 3);
  assert_int_equal(score(r, l, NOW).engagement, -10000);
  lg_lead_free(l);
  l = lead_new("visit");
  /* half-life 14d at 7d: 2 * 2^-0.5 = 1.41421 -> 1414; once: the latest */
  event(l, "visited", NOW - 100 * DAY);
  event(l, "visited", NOW - 7 * DAY);
  assert_int_equal(score(r, l, NOW).engagement, 1414);
  /* expire 1h: 3599s old counts, 3600s does not */
  event(l, "called", NOW - 3599);
  assert_int_equal(score(r, l, NOW).engagement, 1414 + 7000);
  assert_int_equal(score(r, l, NOW + 1).engagement, 1414);
  /* booleans match true/false only; absent takes missing -0.5 */
  s = score(r, l, NOW);
  assert_score(&s, -500, 1414 + 7000, -1, 1);
  flag(l, "opted_in", 1);
  assert_int_equal(score(r, l, NOW).fit, 1000);
  flag(l, "opted_in", 0);
  assert_int_equal(score(r, l, NOW).fit, -1000);
  num(l, "opted_in", 1); /* an int 1 is not true */
  assert_int_equal(score(r, l, NOW).fit, 0);
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* ---- batches ---------------------------------------------------------------- */

static void score_many_equals_scoring_each_lead(void **state) {
  lg_rubric     *r = parse(lg_example_rubric);
  lg_lead       *leads[12];
  const lg_lead *cleads[12];
  lg_score       many[12], bad[12];
  size_t         i;
  (void)state;
  for (i = 0; i < 12; i++) {
    char id[8];
    id[0] = 'L';
    id[1] = (char)('a' + i);
    id[2] = '\0';
    leads[i] = i % 3 == 0 ? ideal_lead() : lead_new(id);
    if (i % 3 == 1) num(leads[i], "employees", (int64_t)i);
    if (i % 4 == 2) text(leads[i], "need", "medium");
    event(leads[i], "webinar_attended", NOW - (lg_time)i * DAY);
    event(leads[i], "content_download", NOW - (lg_time)i * 3 * DAY);
    cleads[i] = leads[i];
  }
  assert_int_equal(lg_score_many(r, cleads, 12, NOW, many), LG_OK);
  for (i = 0; i < 12; i++) {
    lg_score one = score(r, leads[i], NOW);
    assert_memory_equal(&one, &many[i], sizeof one);
  }
  /* a NULL lead anywhere: LG_ERR_INVALID and out untouched */
  cleads[7] = NULL;
  memset(bad, 0x5A, sizeof bad);
  memset(many, 0x5A, sizeof many);
  assert_int_equal(lg_score_many(r, cleads, 12, NOW, bad), LG_ERR_INVALID);
  assert_memory_equal(bad, many, sizeof bad);
  assert_int_equal(lg_score_many(r, NULL, 0, NOW, NULL), LG_OK);
  assert_int_equal(lg_score_many(r, NULL, 1, NOW, bad), LG_ERR_INVALID);
  assert_int_equal(lg_score_many(r, cleads, 1, NOW, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_score_many(NULL, cleads, 1, NOW, bad), LG_ERR_INVALID);
  assert_int_equal(lg_score_many(r, cleads, 1, LG_TIME_MAX + 1, bad), LG_ERR_RANGE);
  for (i = 0; i < 12; i++) lg_lead_free(leads[i]);
  lg_rubric_free(r);
}

/* lg_score_many carries, from one lead to the next, which key an
 * attribute (by its place in the lead) or an event type (by a slot of
 * its first and last bytes and length) resolved to, and which value-table
 * entry a text (by a slot of its first byte and length) found.  Leads
 * whose names or texts differ from the remembered ones in the bytes those
 * slots ignore, whose attributes come in another order, that have more
 * attributes than are remembered, or names the rubric does not read,
 * score as one at a time, and as counted by hand. */
static void score_many_hints_hold_only_for_equal_names_and_texts(void **state) {
  lg_rubric *r = parse("fit \"a\" from color\n  when \"red\" -> 3\n  when \"blue\" -> 2\n"
                       "  otherwise -> 1\n"
                       "fit \"b\" from size\n  when \"big\" -> 5\n"
                       "knockout \"k\" when color is \"black\"\n"
                       "engagement \"x\" on eab -> 1\n"
                       "engagement \"y\" on ebb -> 2 each\n");
  /* per lead: fit, engagement, knockout, missing */
  static const int64_t want[][4] = {
    { 8000, 3000, -1, 0 }, /* 0: red big; eab, ebb */
    { 6000, 2000, -1, 0 }, /* 1: size first; "rod" shares red's slot; ebb */
    { 3000, 1000, -1, 1 }, /* 2: "rEd" folds to red; no size; eab */
    { 5000, 4000, -1, 1 }, /* 3: "cxlor" where color was, unread; ebb, ebb, ecb */
    { 1000, 0, 0, 0 },     /* 4: black, after 40 attributes; "" */
    { 2000, 3000, -1, 0 }, /* 5: blue, then big's slot holds "bog"; ebb, eab */
    { 8000, 1000, -1, 0 }, /* 6: as lead 0, eab only */
    { 0, 0, -1, 2 },       /* 7: nothing the rubric reads */
  };
  enum { N = sizeof want / sizeof want[0] };
  lg_lead       *leads[N];
  const lg_lead *cleads[N];
  lg_score       many[N];
  size_t         i, k;
  char           name[16];
  (void)state;
  for (i = 0; i < N; i++) leads[i] = lead_new("hint");
  text(leads[0], "color", "red");
  text(leads[0], "size", "big");
  event(leads[0], "eab", NOW - DAY);
  event(leads[0], "ebb", NOW - DAY);
  text(leads[1], "size", "big");
  text(leads[1], "color", "rod");
  event(leads[1], "ebb", NOW - 2 * DAY);
  text(leads[2], "color", "rEd");
  event(leads[2], "eab", NOW);
  text(leads[3], "cxlor", "red");
  text(leads[3], "size", "big");
  event(leads[3], "ebb", NOW - 3 * DAY);
  event(leads[3], "ebb", NOW - 2 * DAY);
  event(leads[3], "ecb", NOW - DAY);
  for (k = 0; k < 40; k++) {
    snprintf(name, sizeof name, "f%u", (unsigned)k);
    num(leads[4], name, (int64_t)k);
  }
  text(leads[4], "color", "black");
  text(leads[4], "size", "");
  text(leads[5], "color", "blue");
  text(leads[5], "size", "bog");
  event(leads[5], "ebb", NOW - DAY);
  event(leads[5], "eab", NOW);
  text(leads[6], "color", "red");
  text(leads[6], "size", "big");
  event(leads[6], "eab", NOW - DAY);
  text(leads[7], "colour", "red");
  event(leads[7], "ecb", NOW - DAY);
  for (i = 0; i < N; i++) cleads[i] = leads[i];
  assert_int_equal(lg_score_many(r, cleads, N, NOW, many), LG_OK);
  for (i = 0; i < N; i++) {
    lg_score one = score(r, leads[i], NOW);
    assert_memory_equal(&one, &many[i], sizeof one);
    assert_score(&many[i], want[i][0], want[i][1], (int32_t)want[i][2], (uint32_t)want[i][3]);
  }
  /* the same leads in the reverse order: other hints before each lead */
  for (i = 0; i < N; i++) cleads[i] = leads[N - 1 - i];
  assert_int_equal(lg_score_many(r, cleads, N, NOW, many), LG_OK);
  for (i = 0; i < N; i++) {
    const int64_t *w = want[N - 1 - i];
    assert_score(&many[i], w[0], w[1], (int32_t)w[2], (uint32_t)w[3]);
  }
  for (i = 0; i < N; i++) lg_lead_free(leads[i]);
  lg_rubric_free(r);
}

/* The same for names and texts of 8 to 16 bytes (compared as two words)
 * that differ only in their middle bytes. */
static void score_many_hints_tell_apart_words_that_differ_inside(void **state) {
  lg_rubric *r = parse("fit \"c\" from region_code1\n  when \"north-east\" -> 7\n  otherwise -> 1\n"
                       "engagement \"w\" on webinar_attended -> 3\n"
                       "engagement \"d\" on content_download -> 4\n");
  static const char *const attr[] = { "region_code1", "region_code1", "region_xode1",
                                      "region_code1" };
  static const char *const val[] = { "north-east", "north_east", "north-east", "North-East" };
  static const char *const ev[] = { "webinar_attended", "webinar_atxended", "content_download",
                                    "webinar_attended" };
  static const int64_t want[][3] = { /* fit, engagement, missing */
                                     { 7000, 3000, 0 },
                                     { 1000, 0, 0 },
                                     { 0, 4000, 1 },
                                     { 7000, 3000, 0 } };
  lg_lead       *leads[4];
  const lg_lead *cleads[4];
  lg_score       many[4];
  size_t         i;
  (void)state;
  for (i = 0; i < 4; i++) {
    cleads[i] = leads[i] = lead_new("words");
    text(leads[i], attr[i], val[i]);
    event(leads[i], ev[i], NOW - DAY);
  }
  assert_int_equal(lg_score_many(r, cleads, 4, NOW, many), LG_OK);
  for (i = 0; i < 4; i++) {
    lg_score one = score(r, leads[i], NOW);
    assert_memory_equal(&one, &many[i], sizeof one);
    assert_score(&many[i], want[i][0], want[i][1], -1, (uint32_t)want[i][2]);
    lg_lead_free(leads[i]);
  }
  lg_rubric_free(r);
}

/* An attribute whose criteria test only numbers is scored for an int
 * from a table of the points where a test's outcome changes (lg__key.nt,
 * at most 16 points).  Over random rubrics of such criteria and ints at
 * and beside every bound, a score is what lg_explain makes of each
 * criterion from its own tests, and what lg__match_list_test says of
 * each knockout.  Texts and bools on those attributes take the step loop,
 * and so do keys of more than 16 points (two rubrics at that edge). */
static uint64_t nt_rng = UINT64_C(0x0123456789abcdef);
static uint64_t nt_next(void) {
  uint64_t z = (nt_rng += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void check_against_explain(const lg_rubric *r, const lg_lead *l) {
  lg_contribution items[8];
  size_t          count, i;
  int64_t         fit = 0;
  int32_t         ko = -1, k = 0;
  uint32_t        missing = 0;
  lg_score        sc = score(r, l, NOW);
  assert_int_equal(lg_explain(r, l, NOW, items, 8, &count), LG_OK);
  for (i = 0; i < count; i++) {
    if (items[i].kind == LG_KIND_FIT) {
      fit += items[i].points;
      missing += (uint32_t)items[i].missing;
    } else if (items[i].kind == LG_KIND_KNOCKOUT) {
      int hit = lg__rubric_knockout_hit(r, k, l);
      assert_int_equal(items[i].points, hit ? 1000 : 0);
      if (hit && ko < 0) ko = k;
      k++;
    }
  }
  assert_score(&sc, fit, 0, ko, missing);
}

static void number_tables_score_every_int_as_the_tests_do(void **state) {
  static const char *const items[] = {"< 9.5", "<= -2", "> 999999999999999", ">= 0.001", "3..3",
                                      "= 2.5", "!= 7", "!= 2.5", "1.5..2.5", "-5..5", "true",
                                      "false", "> -2.5", "< 0", "0..0", "10..20", ">= 20"};
  enum { N_ITEMS = sizeof items / sizeof *items };
  static const int64_t edges[] = {INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1,
                                  INT64_C(999999999999999), INT64_C(1000000000000000),
                                  -INT64_C(999999999999999)};
  int     round;
  int64_t v;
  (void)state;
  for (round = 0; round < 300; round++) {
    char       def[1024];
    size_t     len = 0, c, w, n_crit = 1 + nt_next() % 3;
    lg_rubric *r;
    lg_lead   *l = lead_new("nt");
    for (c = 0; c < n_crit; c++) {
      size_t n_when = 1 + nt_next() % 3;
      if (nt_next() % 3 == 0) {
        len += (size_t)snprintf(def + len, sizeof def - len, "knockout \"k%u\" when v is %s",
                                (unsigned)c, items[nt_next() % N_ITEMS]);
        for (w = 1; w < n_when; w++)
          len += (size_t)snprintf(def + len, sizeof def - len, ", %s", items[nt_next() % N_ITEMS]);
        len += (size_t)snprintf(def + len, sizeof def - len, "\n");
        continue;
      }
      len += (size_t)snprintf(def + len, sizeof def - len, "fit \"f%u\" from v\n", (unsigned)c);
      for (w = 0; w < n_when; w++)
        len += (size_t)snprintf(def + len, sizeof def - len, "  when %s, %s -> %d\n",
                                items[nt_next() % N_ITEMS], items[nt_next() % N_ITEMS],
                                (int)(nt_next() % 7) - 3);
      len += (size_t)snprintf(def + len, sizeof def - len, "  otherwise -> %d\n  missing -> 1\n",
                              (int)(nt_next() % 5));
    }
    r = parse(def);
    for (v = -25; v <= 25; v++) {
      num(l, "v", v);
      check_against_explain(r, l);
    }
    for (c = 0; c < sizeof edges / sizeof *edges; c++) {
      num(l, "v", edges[c]);
      check_against_explain(r, l);
    }
    text(l, "v", "3");
    check_against_explain(r, l);
    flag(l, "v", 1);
    check_against_explain(r, l);
    flag(l, "v", 0);
    check_against_explain(r, l);
    assert_int_equal(lg_lead_unset(l, "v"), LG_OK);
    check_against_explain(r, l);
    lg_lead_free(l);
    lg_rubric_free(r);
  }
  /* 16 points (8 single ints) and 18 (9): the table's edge */
  {
    static const char *const defs[] = {
      "fit \"f\" from v\n  when 1, 3, 5, 7 -> 2\n  when 9, 11, 13, 15 -> 1\n  otherwise -> -1\n",
      "fit \"f\" from v\n  when 1, 3, 5, 7 -> 2\n  when 9, 11, 13, 15, 17 -> 1\n"
      "  otherwise -> -1\n"};
    size_t d;
    for (d = 0; d < 2; d++) {
      lg_rubric *r = parse(defs[d]);
      lg_lead   *l = lead_new("edge");
      for (v = -1; v <= 19; v++) {
        lg_score sc;
        int      odd = v > 0 && v % 2 == 1;
        num(l, "v", v);
        sc = score(r, l, NOW);
        assert_int_equal(sc.fit, odd && v <= 7               ? 2000
                                 : odd && v <= 15            ? 1000
                                 : odd && v == 17 && d == 1 ? 1000
                                                             : -1000);
        check_against_explain(r, l);
      }
      lg_lead_free(l);
      lg_rubric_free(r);
    }
  }
}

/* An event type matches a criterion only whole: "demo" is not a prefix
 * match for "demo_requested" or "demos", nor the other way round. */
static void event_types_match_whole_names_never_prefixes(void **state) {
  lg_rubric *r = parse("engagement \"demo\" on demo -> 10\n"
                       "engagement \"demo requested\" on demo_requested -> 25\n");
  lg_lead   *l = lead_new("prefix");
  lg_score   s;
  (void)state;
  event(l, "demo_requested", NOW - DAY);
  s = score(r, l, NOW);
  assert_score(&s, 0, 25000, -1, 0);
  event(l, "demos", NOW - DAY);
  event(l, "dem", NOW - DAY);
  s = score(r, l, NOW);
  assert_score(&s, 0, 25000, -1, 0);
  event(l, "demo", NOW - DAY);
  s = score(r, l, NOW);
  assert_score(&s, 0, 35000, -1, 0);
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* Big leads (hundreds of bytes of attributes, text and events each) in a
 * batch: the same scores as one at a time, and as counted by hand. */
static void score_many_equals_scoring_each_for_large_leads(void **state) {
  lg_rubric     *r = parse("fit \"n\" from a0\n  when >= 5 -> 2\n  otherwise -> 1\n"
                           "fit \"t\" from t3\n  when \"long\" -> 4\n"
                           "engagement \"e\" on ev0 -> 1 each\n"
                           "knockout \"k\" when a7 is 7\n");
  lg_lead       *leads[10];
  const lg_lead *cleads[10];
  lg_score       many[10];
  size_t         i, k;
  char           name[16], value[200];
  (void)state;
  memset(value, 'x', sizeof value - 1);
  value[sizeof value - 1] = '\0';
  for (i = 0; i < 10; i++) {
    leads[i] = lead_new("big");
    for (k = 0; k < 40; k++) {
      snprintf(name, sizeof name, "a%u", (unsigned)k);
      num(leads[i], name, (int64_t)(i + k));
      snprintf(name, sizeof name, "t%u", (unsigned)k);
      text(leads[i], name, value);
    }
    if (i % 2) text(leads[i], "t3", "LONG");
    for (k = 0; k < 300; k++) {
      snprintf(name, sizeof name, "ev%u", (unsigned)(k % 3));
      event(leads[i], name, NOW - (lg_time)k);
    }
    cleads[i] = leads[i];
  }
  assert_int_equal(lg_score_many(r, cleads, 10, NOW, many), LG_OK);
  for (i = 0; i < 10; i++) {
    lg_score one = score(r, leads[i], NOW);
    assert_memory_equal(&one, &many[i], sizeof one);
    /* a0 = i: 2 from 5 on; t3 "LONG" on odd i; 100 ev0 events; a7 = i + 7
     * is 7 only for i = 0 */
    assert_score(&many[i], (i >= 5 ? 2000 : 1000) + (i % 2 ? 4000 : 0), 100000,
                 i == 0 ? 0 : -1, 0);
  }
  for (i = 0; i < 10; i++) lg_lead_free(leads[i]);
  lg_rubric_free(r);
}

/* ---- explanations ------------------------------------------------------------- */

static void assert_item(const lg_contribution *it, const char *criterion,
                        const char *attribute, int32_t kind, int32_t missing, lg_points points,
                        lg_points max_points) {
  assert_string_equal(it->criterion, criterion);
  assert_string_equal(it->attribute, attribute);
  assert_int_equal(it->kind, kind);
  assert_int_equal(it->missing, missing);
  assert_int_equal(it->points, points);
  assert_int_equal(it->max_points, max_points);
}

static void explain_lists_every_criterion_in_rubric_order(void **state) {
  lg_rubric      *r = parse(lg_example_rubric);
  lg_lead        *l = ideal_lead(), *sparse = lead_new("sparse");
  lg_contribution items[12];
  size_t          count = 0;
  (void)state;
  assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
  assert_int_equal(count, 10);
  assert_item(&items[0], "need", "need", LG_KIND_FIT, 0, 3000, 3000);
  assert_item(&items[1], "timeframe", "timeframe_months", LG_KIND_FIT, 0, 3000, 3000);
  assert_item(&items[2], "authority", "role", LG_KIND_FIT, 0, 3000, 3000);
  assert_item(&items[3], "profile", "industry", LG_KIND_FIT, 0, 3000, 3000);
  /* max_points for engagement: |points| x events counted, capped */
  assert_item(&items[4], "demo request", "demo_requested", LG_KIND_ENGAGEMENT, 0, 25000, 25000);
  assert_item(&items[5], "content", "content_download", LG_KIND_ENGAGEMENT, 0, 3500, 6000);
  assert_item(&items[6], "webinar", "webinar_attended", LG_KIND_ENGAGEMENT, 0, 2500, 5000);
  assert_item(&items[7], "unsubscribed", "unsubscribed", LG_KIND_ENGAGEMENT, 0, 0, 0);
  assert_item(&items[8], "not a buyer", "persona", LG_KIND_KNOCKOUT, 0, 0, 1000);
  assert_item(&items[9], "too small", "employees", LG_KIND_KNOCKOUT, 0, 0, 1000);

  text(sparse, "industry", "retail");
  num(sparse, "employees", 3);
  event(sparse, "unsubscribed", NOW - DAY);
  for (count = 0; count < 7; count++) event(sparse, "content_download", NOW);
  assert_int_equal(lg_explain(r, sparse, NOW, items, 10, &count), LG_OK);
  assert_int_equal(count, 10);
  assert_item(&items[0], "need", "need", LG_KIND_FIT, 1, 0, 3000);
  assert_item(&items[2], "authority", "role", LG_KIND_FIT, 1, 0, 3000);
  assert_item(&items[3], "profile", "industry", LG_KIND_FIT, 0, 1000, 3000);
  assert_item(&items[5], "content", "content_download", LG_KIND_ENGAGEMENT, 0, 10000, 10000);
  assert_item(&items[7], "unsubscribed", "unsubscribed", LG_KIND_ENGAGEMENT, 0, -20000, 20000);
  assert_item(&items[8], "not a buyer", "persona", LG_KIND_KNOCKOUT, 1, 0, 1000);
  assert_item(&items[9], "too small", "employees", LG_KIND_KNOCKOUT, 0, 1000, 1000);
  lg_lead_free(l);
  lg_lead_free(sparse);
  lg_rubric_free(r);
}

static void explain_follows_the_buffer_contract(void **state) {
  lg_rubric      *r = parse(lg_example_rubric);
  lg_lead        *l = ideal_lead();
  lg_contribution items[10], before[10];
  size_t          count = 0;
  (void)state;
  memset(items, 0x77, sizeof items);
  memcpy(before, items, sizeof items);
  assert_int_equal(lg_explain(r, l, NOW, NULL, 0, &count), LG_ERR_BUFFER);
  assert_int_equal(count, 10);
  count = 0;
  assert_int_equal(lg_explain(r, l, NOW, items, 9, &count), LG_ERR_BUFFER);
  assert_int_equal(count, 10);
  assert_memory_equal(items, before, sizeof items);
  assert_int_equal(lg_explain(r, l, NOW, items, 10, &count), LG_OK);
  assert_int_equal(lg_explain(r, l, NOW, NULL, 3, &count), LG_ERR_INVALID);
  assert_int_equal(lg_explain(r, l, NOW, items, 10, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_explain(NULL, l, NOW, items, 10, &count), LG_ERR_INVALID);
  assert_int_equal(lg_explain(r, NULL, NOW, items, 10, &count), LG_ERR_INVALID);
  assert_int_equal(lg_explain(r, l, LG_TIME_MIN - 1, items, 10, &count), LG_ERR_RANGE);
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* ---- progressive profiling ---------------------------------------------------- */

static void next_question_picks_the_biggest_gain_with_ties_in_rubric_order(void **state) {
  lg_rubric  *r = parse(lg_example_rubric);
  lg_rubric  *g = parse("fit \"a\" from a\n  when 1 -> 2\n"
                        "fit \"b\" from b\n  when 1 -> 5\n  missing -> 1\n" /* gain 4 */
                        "fit \"c\" from c\n  when 1 -> 4\n"                 /* gain 4 */
                        "fit \"x1\" from x\n  when 1 -> 2\n"
                        "engagement \"e\" on a_event -> 100\n"
                        "fit \"x2\" from x\n  when 2 -> 3\n"); /* x: 2 + 3 = 5 */
  lg_lead    *l = lead_new("q");
  const char *attr = NULL;
  lg_points   gain = 0;
  (void)state;
  /* example: need, timeframe, authority, profile all gain 3: need first */
  assert_int_equal(lg_next_question(r, l, &attr, &gain), LG_OK);
  assert_string_equal(attr, "need");
  assert_int_equal(gain, 3000);
  text(l, "need", "low");
  assert_int_equal(lg_next_question(r, l, &attr, &gain), LG_OK);
  assert_string_equal(attr, "timeframe_months");
  num(l, "timeframe_months", 1);
  text(l, "role", "x");
  text(l, "industry", "x");
  attr = "unchanged";
  assert_int_equal(lg_next_question(r, l, &attr, &gain), LG_ERR_NOT_FOUND);
  assert_string_equal(attr, "unchanged");
  /* fit criteria sharing an attribute add up: x (5) beats b and c (4) */
  assert_int_equal(lg_next_question(g, l, &attr, &gain), LG_OK);
  assert_string_equal(attr, "x");
  assert_int_equal(gain, 5000);
  num(l, "x", 0);
  assert_int_equal(lg_next_question(g, l, &attr, &gain), LG_OK);
  assert_string_equal(attr, "b"); /* b and c tie at 4: rubric order */
  assert_int_equal(gain, 4000);
  num(l, "b", 0);
  assert_int_equal(lg_next_question(g, l, &attr, &gain), LG_OK);
  assert_string_equal(attr, "c");
  num(l, "c", 0);
  assert_int_equal(lg_next_question(g, l, &attr, &gain), LG_OK);
  assert_string_equal(attr, "a");
  assert_int_equal(gain, 2000);
  assert_int_equal(lg_next_question(NULL, l, &attr, &gain), LG_ERR_INVALID);
  assert_int_equal(lg_next_question(g, NULL, &attr, &gain), LG_ERR_INVALID);
  assert_int_equal(lg_next_question(g, l, NULL, &gain), LG_ERR_INVALID);
  assert_int_equal(lg_next_question(g, l, &attr, NULL), LG_ERR_INVALID);
  lg_lead_free(l);
  lg_rubric_free(r);
  lg_rubric_free(g);
}

/* ---- an attribute read by several criteria, and the event pass --------------- */

/* The scorer answers for all the criteria of an attribute whose tests are
 * all short texts at once; each criterion must still score as written. */
static void criteria_sharing_a_text_attribute_each_score_as_written(void **state) {
  static const char rules[] = "fit \"a\" from v\n"
                              "  when \"x\" -> 1\n"
                              "  when \"y\", \"X\" -> 2\n"
                              "  otherwise -> 5\n"
                              "  missing -> 7\n"
                              "fit \"b\" from v\n"
                              "  when \"y\" -> 10\n"
                              "knockout \"k1\" when v is \"z\"\n"
                              "knockout \"k2\" when v is \"y\", \"z\"\n";
  lg_rubric *r = parse(rules);
  lg_lead   *l = lead_new("s");
  lg_score   sc;
  (void)state;
  sc = score(r, l, NOW); /* absent: a missing 7, b missing 0 */
  assert_score(&sc, 7000, 0, -1, 2);
  text(l, "v", "x"); /* a: 1 (first when), b: otherwise 0 */
  sc = score(r, l, NOW);
  assert_score(&sc, 1000, 0, -1, 0);
  text(l, "v", "Y"); /* a: 2, b: 10, k2 */
  sc = score(r, l, NOW);
  assert_score(&sc, 12000, 0, 1, 0);
  text(l, "v", "z"); /* a: otherwise 5, k1 and k2: k1 first */
  sc = score(r, l, NOW);
  assert_score(&sc, 5000, 0, 0, 0);
  text(l, "v", "a text of more than sixteen bytes"); /* a: otherwise */
  sc = score(r, l, NOW);
  assert_score(&sc, 5000, 0, -1, 0);
  num(l, "v", 3); /* present, not a text: otherwise */
  sc = score(r, l, NOW);
  assert_score(&sc, 5000, 0, -1, 0);
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* The scorer decays a lead's events in one pass when it can; a type read
 * by two criteria, a lead with more event types than the pass takes and
 * ages beyond its range (2^36 s) take the criteria one by one. */
static void every_lead_shape_scores_its_events_as_written(void **state) {
  static const char rules[] = "engagement \"h\" on e -> 2 each half-life 1d\n"
                              "engagement \"x\" on e -> 3 each expire 10d\n"
                              "engagement \"o\" on f -> 4 expire 10d\n"
                              "engagement \"g\" on g -> 8 each half-life 1d\n";
  lg_rubric     *r = parse(rules);
  lg_lead       *l = lead_new("p"), *wide = lead_new("w"), *old = lead_new("o");
  const lg_lead *all[3];
  lg_score       sc, many[3];
  char           name[8];
  int            i;
  (void)state;
  event(l, "e", NOW - DAY);     /* h 1, x 3 */
  event(l, "e", NOW - 2 * DAY); /* h 0.5, x 3 */
  event(l, "f", NOW - DAY);     /* o 4 */
  event(l, "g", NOW - 3 * DAY); /* g 1 */
  sc = score(r, l, NOW);
  assert_score(&sc, 0, 12500, -1, 0);
  for (i = 0; i < 70; i++) { /* 70 types the rubric does not read */
    snprintf(name, sizeof name, "t%d", i);
    event(wide, name, NOW - DAY);
  }
  event(wide, "g", NOW - DAY); /* g 4 */
  sc = score(r, wide, NOW);
  assert_score(&sc, 0, 4000, -1, 0);
  /* g at age 1 day: 4; g at year 1: 2^-(3e11 / 86400): 0 */
  event(old, "g", LG_TIME_MAX - DAY);
  event(old, "g", LG_TIME_MIN);
  sc = score(r, old, LG_TIME_MAX);
  assert_score(&sc, 0, 4000, -1, 0);
  all[0] = l;
  all[1] = wide;
  all[2] = old;
  assert_int_equal(lg_score_many(r, all, 3, LG_TIME_MAX, many), LG_OK);
  for (i = 0; i < 3; i++) {
    sc = score(r, all[i], LG_TIME_MAX);
    assert_memory_equal(&sc, &many[i], sizeof sc);
  }
  lg_lead_free(l);
  lg_lead_free(wide);
  lg_lead_free(old);
  lg_rubric_free(r);
}

/* More types with a slot of their own than the pass has (16): the rest
 * take the criteria one by one, in whatever order the lead lists them,
 * and capped sums are capped on both sides.  The score is the sum of the
 * explained criteria (lg_explain decays each criterion on its own). */
static void more_fast_types_than_slots_score_as_explained(void **state) {
  char            rules[2048], name[16];
  size_t          len = 0, count, k;
  lg_rubric      *r;
  lg_lead        *l = lead_new("s"), *rev = lead_new("r");
  const lg_lead  *all[2];
  lg_contribution items[20];
  lg_score        sc, many[2];
  lg_points       want = 0;
  int             i, j;
  (void)state;
  for (i = 0; i < 20; i++) /* odd ones negative; every third capped at 3 */
    len += (size_t)snprintf(rules + len, sizeof rules - len,
                            "engagement \"c%d\" on t%d -> %d each%s half-life %dd\n", i, i,
                            i % 2 ? -(i + 1) : i + 1, i % 3 == 0 ? " max 3" : "", 1 + i % 4);
  r = parse(rules);
  for (i = 0; i < 20; i++) {
    snprintf(name, sizeof name, "t%d", i);
    for (j = 0; j < 1 + i % 3; j++) event(l, name, NOW - (i + 1) * j * DAY / 3);
    snprintf(name, sizeof name, "t%d", 19 - i);
    event(rev, name, NOW - (i + 1) * DAY / 5);
  }
  assert_int_equal(lg_explain(r, l, NOW, items, 20, &count), LG_OK);
  for (k = 0; k < count; k++) want += items[k].points;
  sc = score(r, l, NOW);
  assert_score(&sc, 0, want, -1, 0);
  assert_true(want != 0);
  all[0] = l;
  all[1] = rev;
  assert_int_equal(lg_score_many(r, all, 2, NOW, many), LG_OK);
  assert_memory_equal(&sc, &many[0], sizeof sc);
  assert_int_equal(lg_explain(r, rev, NOW, items, 20, &count), LG_OK);
  for (want = 0, k = 0; k < count; k++) want += items[k].points;
  sc = score(r, rev, NOW);
  assert_score(&sc, 0, want, -1, 0);
  assert_memory_equal(&sc, &many[1], sizeof sc);
  lg_lead_free(l);
  lg_lead_free(rev);
  lg_rubric_free(r);
}

/* ---- matching agrees with match.c ------------------------------------------- */

/* score.c inlines the match rules; rubric.c's knockout look-up uses
 * lg__match_list_test.  Both must agree on every lead. */
static void inlined_matching_agrees_with_match_lists(void **state) {
  static const char rules[] =
    "knockout \"t\" when v is \"abc\", \"A b\", \"\"\n"
    "knockout \"lt\" when v is < 9.5\n"
    "knockout \"le\" when v is <= -2\n"
    "knockout \"gt\" when v is > 999999999999999\n"
    "knockout \"ge\" when v is >= 0.001\n"
    "knockout \"eq\" when v is 3\n"
    "knockout \"eqf\" when v is = 2.5\n"
    "knockout \"ne\" when v is != 7\n"
    "knockout \"range\" when v is 1.5..2.5, -1000000000000000..-999999999999999\n"
    "knockout \"bool\" when v is true\n"
    "knockout \"nbool\" when v is false\n"
    "knockout \"neg\" when v is > -2.5, -3.5..-2.75, <= -999999999999999.999\n";
  static const int64_t ints[] = {0,  1,  2,  3,  7,  9,  10, -1, -2, -3,
                                 INT64_MAX, INT64_MIN, INT64_C(999999999999999),
                                 INT64_C(1000000000000000), -INT64_C(999999999999999),
                                 -INT64_C(1000000000000000), INT64_C(9000000000000001),
                                 -INT64_C(9000000000000001)};
  static const char *const texts[] = {"abc", "ABC", "a b", "A B", "", "abcd", "ab", "é"};
  lg_rubric      *r = parse(rules);
  lg_lead        *l = lead_new("m");
  lg_contribution items[12];
  size_t          count, i, k, cases = 0;
  (void)state;
  for (k = 0; k < sizeof ints / sizeof ints[0] + sizeof texts / sizeof texts[0] + 3; k++) {
    if (k < sizeof ints / sizeof ints[0]) num(l, "v", ints[k]);
    else if (k < sizeof ints / sizeof ints[0] + sizeof texts / sizeof texts[0])
      text(l, "v", texts[k - sizeof ints / sizeof ints[0]]);
    else if (k == sizeof ints / sizeof ints[0] + sizeof texts / sizeof texts[0])
      flag(l, "v", 1);
    else if (k == sizeof ints / sizeof ints[0] + sizeof texts / sizeof texts[0] + 1)
      flag(l, "v", 0);
    else
      assert_int_equal(lg_lead_unset(l, "v"), LG_OK);
    assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
    for (i = 0; i < 12; i++) {
      int hit = lg__rubric_knockout_hit(r, (int32_t)i, l);
      assert_int_equal(items[i].points, hit ? 1000 : 0);
      cases += (size_t)hit;
    }
  }
  assert_true(cases > 20);
  /* a few by hand */
  num(l, "v", 2);
  assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
  assert_int_equal(items[1].points, 1000); /* 2 < 9.5 */
  assert_int_equal(items[5].points, 0);    /* 2 != 3 */
  assert_int_equal(items[6].points, 0);    /* 2 != 2.5 */
  assert_int_equal(items[8].points, 1000); /* 2 in 1.5..2.5 */
  assert_int_equal(items[11].points, 1000); /* 2 > -2.5 */
  num(l, "v", -3);
  assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
  assert_int_equal(items[11].points, 1000); /* -3 in -3.5..-2.75 */
  num(l, "v", -INT64_C(1000000000000000));
  assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
  assert_int_equal(items[11].points, 1000); /* <= -999999999999999.999 */
  num(l, "v", -INT64_C(999999999999999));
  assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
  assert_int_equal(items[11].points, 0);
  text(l, "v", "A B");
  assert_int_equal(lg_explain(r, l, NOW, items, 12, &count), LG_OK);
  assert_int_equal(items[0].points, 1000);
  assert_int_equal(items[7].points, 0); /* != 7 needs an int */
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* The scorer tests a fit criterion's items in one of three loops (all
 * texts of up to 16 bytes, all numbers, mixed) and a knockout's in the
 * mixed one, on words built from the lead's value; match.c tests the
 * same items one by one on bytes.  For each list below, a fit criterion
 * and a knockout with that list must agree with match.c on every value. */
static void every_kind_of_test_list_agrees_with_match_lists(void **state) {
  static const char *const lists[] = {
    /* texts: every length class of the word form, and past 16 bytes */
    "\"\", \"a\", \"Ab\", \"abC\", \"abcD\", \"abcdefG\", \"ABCDEFGH\", \"abcdefghi\"",
    "\"decision maker\", \"Economic Buyer\", \"sixteen bytes ok\", \"x\"",
    "\"seventeen bytes!!\", \"a much longer text than sixteen bytes\", \"ab\"",
    "\"caf\xc3\xa9\", \"\xc3\x89t\xc3\xa9\", \"@[`{\"",
    /* numbers */
    "< 9.5, 20..30, != 7",
    "= 2.5",
    "!= 2.5",
    "true",
    "false, -5",
    /* mixed */
    "\"7\", 7, true",
    "\"a much longer text than sixteen bytes\", 1..3",
  };
  static const char *const texts[] = {
    "", "a", "A", "ab", "AB", "aB", "abc", "ABC", "abcd", "ABCD", "abcdefg", "ABCDEFG",
    "abcdefgh", "abcdefgH", "abcdefghi", "ABCDEFGHI", "decision maker", "DECISION MAKER",
    "decision  maker", "economic buyer", "Economic Buyer", "sixteen bytes ok",
    "SIXTEEN BYTES OK", "sixteen bytes o", "seventeen bytes!!", "SEVENTEEN BYTES!!",
    "seventeen bytes!?", "a much longer text than sixteen bytes",
    "A MUCH LONGER TEXT THAN SIXTEEN BYTES", "a much longer text than sixteen byteS",
    "a much longer text than sixteen bytez", "b much longer text than sixteen bytes", "caf\xc3\xa9", "CAF\xc3\xa9", "caf\xc3\x89",
    "\xc3\x89t\xc3\xa9", "\xc3\xa9t\xc3\xa9", "@[`{", "`{@[", "@[`{ ", "7", "x", "X"};
  static const int64_t ints[] = {0,  1,  2,  3,  5,  6,  7,  9,  10, 19,
                                 20, 30, 31, -5, -6, INT64_MAX, INT64_MIN};
  size_t li, k, hits = 0, cases = 0;
  (void)state;
  for (li = 0; li < sizeof lists / sizeof *lists; li++) {
    char       def[512];
    lg_rubric *r;
    lg_lead   *l = lead_new("kinds");
    snprintf(def, sizeof def,
             "fit \"f\" from v\n  when %s -> 5\n  otherwise -> 1\n  missing -> -1\n"
             "knockout \"k\" when v is %s\n",
             lists[li], lists[li]);
    r = parse(def);
    for (k = 0; k < sizeof texts / sizeof *texts + sizeof ints / sizeof *ints + 3; k++) {
      size_t   n_texts = sizeof texts / sizeof *texts, n_ints = sizeof ints / sizeof *ints;
      lg_score sc;
      int      hit;
      if (k < n_texts) text(l, "v", texts[k]);
      else if (k < n_texts + n_ints) num(l, "v", ints[k - n_texts]);
      else if (k == n_texts + n_ints) flag(l, "v", 1);
      else if (k == n_texts + n_ints + 1) flag(l, "v", 0);
      else assert_int_equal(lg_lead_unset(l, "v"), LG_OK);
      hit = lg__rubric_knockout_hit(r, 0, l);
      sc = score(r, l, NOW);
      if (k == n_texts + n_ints + 2) {
        assert_score(&sc, -1000, 0, -1, 1); /* absent: missing */
        continue;
      }
      assert_score(&sc, hit ? 5000 : 1000, 0, hit ? 0 : -1, 0);
      hits += (size_t)hit;
      cases++;
    }
    lg_lead_free(l);
    lg_rubric_free(r);
  }
  assert_true(hits > 60);
  assert_true(cases > 500);
  /* a few by hand */
  {
    lg_rubric *r = parse("fit \"f\" from v\n  when \"abcdefG\" -> 5\n"
                         "  when \"ABCDEFGH\" -> 4\n  when \"abcdefgh\" -> 3\n");
    lg_lead   *l = lead_new("hand");
    lg_score   sc;
    text(l, "v", "abcdefgh"); /* the first of two equal items wins */
    sc = score(r, l, NOW);
    assert_score(&sc, 4000, 0, -1, 0);
    text(l, "v", "ABCDEFg");
    sc = score(r, l, NOW);
    assert_score(&sc, 5000, 0, -1, 0);
    text(l, "v", "abcdefg\xc3\xa9"); /* 9 bytes: no item */
    sc = score(r, l, NOW);
    assert_score(&sc, 0, 0, -1, 0);
    lg_lead_free(l);
    lg_rubric_free(r);
  }
}

/* ASCII-case-insensitive equality, byte by byte: the rule as written. */
static int folds_equal(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return 0;
  }
  return *a == *b;
}

/* Text matching folds ASCII letters only: every pair of printable ASCII
 * characters, as one-byte texts and inside 8- and 16-byte texts (the
 * word forms), matches exactly when the texts are equal after folding. */
static void only_ascii_letters_fold_across_every_printable_pair(void **state) {
  static const int at[] = {0, 7, 0, 15}, len[] = {1, 8, 8, 16};
  int    x, y, p, k;
  size_t checked = 0, matched = 0;
  (void)state;
  for (x = 0x20; x < 0x7f; x++) {
    char       def[256], quoted[8], items[4][20], value[20];
    lg_rubric *r;
    lg_lead   *l = lead_new("fold");
    if (x == '"' || x == '\\') snprintf(quoted, sizeof quoted, "\\%c", x);
    else snprintf(quoted, sizeof quoted, "%c", x);
    /* items: "X", "qqqqqqqX", "Xqqqqqqq", "qqqqqqqqqqqqqqqX" */
    snprintf(def, sizeof def,
             "fit \"a\" from v\n  when \"%s\" -> 1\n"
             "fit \"b\" from v\n  when \"qqqqqqq%s\" -> 2\n"
             "fit \"c\" from v\n  when \"%sqqqqqqq\" -> 4\n"
             "fit \"d\" from v\n  when \"qqqqqqqqqqqqqqq%s\" -> 8\n",
             quoted, quoted, quoted, quoted);
    r = parse(def);
    for (k = 0; k < 4; k++) {
      memset(items[k], 'q', sizeof items[k]);
      items[k][at[k]] = (char)x;
      items[k][len[k]] = '\0';
    }
    for (y = 0x20; y < 0x7f; y++)
      for (p = 0; p < 4; p++) {
        lg_score sc;
        int64_t  want = 0;
        memset(value, 'Q', sizeof value); /* folds to the items' q */
        value[at[p]] = (char)y;
        value[len[p]] = '\0';
        for (k = 0; k < 4; k++)
          if (folds_equal(items[k], value)) want += (int64_t)1000 << k;
        text(l, "v", value);
        sc = score(r, l, NOW);
        assert_int_equal(sc.fit, want);
        matched += want != 0;
        checked++;
      }
    lg_lead_free(l);
    lg_rubric_free(r);
  }
  assert_int_equal(checked, 95 * 95 * 4);
  assert_true(matched > 95 * 4); /* each character matches itself at least */
}

/* The scorer finds a lead's attributes and event types in a hash table
 * keyed by the first two bytes of a name (and, for attributes, its
 * length): names that share those, one-byte names, and names the rubric
 * does not read must all land where they belong. */
static void names_that_share_their_first_bytes_are_told_apart(void **state) {
  lg_rubric *r = parse("fit \"ab1\" from abx1\n  when 1 -> 1\n  missing -> -100\n"
                       "fit \"ab2\" from abx2\n  when 2 -> 2\n  missing -> -100\n"
                       "fit \"ab3\" from abx3\n  when 3 -> 4\n  missing -> -100\n"
                       "fit \"a\" from a\n  when 4 -> 8\n  missing -> -100\n"
                       "fit \"ab\" from ab\n  when 5 -> 16\n  missing -> -100\n"
                       "knockout \"k\" when abx2 is 99\n"
                       "engagement \"c\" on c -> 1 each\n"
                       "engagement \"co1\" on co_1 -> 10 each\n"
                       "engagement \"co2\" on co_2 -> 100 each\n"
                       "engagement \"co\" on co -> 1000 each\n"
                       "engagement \"co2 again\" on co_2 -> 10000\n");
  lg_lead   *l = lead_new("collide");
  lg_score   sc;
  (void)state;
  /* attributes the rubric does not read, with the same first bytes */
  num(l, "abx4", 1);
  num(l, "abx", 2);
  num(l, "abxx1", 1);
  num(l, "b", 4);
  sc = score(r, l, NOW);
  assert_score(&sc, -500000, 0, -1, 5);
  num(l, "abx3", 3);
  num(l, "ab", 5);
  num(l, "a", 4);
  num(l, "abx2", 2);
  num(l, "abx1", 1);
  sc = score(r, l, NOW); /* 1 + 2 + 4 + 8 + 16 */
  assert_score(&sc, 31000, 0, -1, 0);
  num(l, "abx2", 99);
  sc = score(r, l, NOW);
  assert_score(&sc, 29000, 0, 0, 0);
  /* event types: "co_1", "co_2", "co", "co_3" share "co"; "c" is one byte */
  event(l, "co_3", NOW - 1);
  event(l, "cx", NOW - 1);
  sc = score(r, l, NOW);
  assert_int_equal(sc.engagement, 0);
  event(l, "co_2", NOW - 3);
  event(l, "c", NOW - 2);
  event(l, "co", NOW - 2);
  event(l, "co_1", NOW - 1);
  event(l, "co_2", NOW - 1);
  event(l, "c", NOW);
  sc = score(r, l, NOW); /* c: 2, co_1: 10, co_2: 200, co: 1000, once co_2: 10000 */
  assert_int_equal(sc.engagement, 11212000);
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* Hundreds of names that differ only in their last characters (a rubric
 * generated from a schema): each criterion still finds its own. */
static void hundreds_of_similar_names_each_find_their_own(void **state) {
  static char def[64 * 1024];
  lg_rubric  *r;
  lg_lead    *l = lead_new("many");
  lg_score    sc;
  size_t      len = 0;
  int         i;
  int64_t     fit = 0, engagement = 0;
  char        name[32];
  (void)state;
  for (i = 0; i < 300; i++)
    len += (size_t)snprintf(def + len, sizeof def - len,
                            "fit \"f%d\" from attr_%d\n  when %d -> %d\n"
                            "engagement \"e%d\" on event_%d -> %d each\n",
                            i, i, i, i + 1, i, i, i + 1);
  /* short and long names that differ inside (and collide in the table) */
  for (i = 0; i < 100; i++)
    len += (size_t)snprintf(def + len, sizeof def - len,
                            "knockout \"k%d\" when x%02d is 1\n"
                            "knockout \"l%d\" when y%04d is 1\n"
                            "knockout \"m%d\" when abcd_%02d_wxyz is 1\n",
                            i, i, i, i, i, i);
  assert_true(len < sizeof def);
  r = parse(def);
  for (i = 0; i < 300; i += 3) { /* every third attribute, right for even i */
    snprintf(name, sizeof name, "attr_%d", i);
    num(l, name, i % 2 ? -1 : i);
    fit += i % 2 ? 0 : (int64_t)(i + 1) * 1000;
  }
  for (i = 1; i < 300; i += 7) { /* every seventh type, i times */
    int k;
    snprintf(name, sizeof name, "event_%d", i);
    for (k = 0; k < i % 5 + 1; k++) event(l, name, NOW - k);
    engagement += (int64_t)(i + 1) * 1000 * (i % 5 + 1);
  }
  event(l, "event_", NOW);
  event(l, "event_1000", NOW);
  num(l, "attr_", 0);
  for (i = 0; i < 100; i += 9) { /* 0 everywhere: no knockout */
    snprintf(name, sizeof name, "x%02d", i);
    num(l, name, 0);
    snprintf(name, sizeof name, "y%04d", i);
    num(l, name, 0);
    snprintf(name, sizeof name, "abcd_%02d_wxyz", i);
    num(l, name, 0);
  }
  sc = score(r, l, NOW);
  assert_score(&sc, fit, engagement, -1, 300 - 100);
  num(l, "abcd_72_wxyz", 1); /* m72 is knockout 3 * 72 + 2 */
  num(l, "y0090", 1);        /* l90 is knockout 3 * 90 + 1, later */
  sc = score(r, l, NOW);
  assert_score(&sc, fit, engagement, 218, 300 - 100);
  lg_lead_free(l);
  lg_rubric_free(r);
}

/* ---- no allocation, arguments ---------------------------------------------------- */

static void scoring_explaining_and_profiling_never_allocate(void **state) {
  lg_rubric      *r;
  lg_lead        *l, *sparse;
  const lg_lead  *both[2];
  lg_score        s[2];
  lg_contribution items[10];
  size_t          count;
  const char     *attr;
  lg_points       gain;
  long            calls;
  (void)state;
  ts_alloc_install();
  r = parse(lg_example_rubric);
  l = ideal_lead();
  sparse = lead_new("sparse");
  both[0] = l;
  both[1] = sparse;
  calls = ts_alloc_calls();
  ts_alloc_fail_at(1, 1); /* any allocation from here on fails */
  assert_int_equal(lg_score_lead(r, l, NOW, &s[0]), LG_OK);
  assert_int_equal(lg_score_many(r, both, 2, NOW, s), LG_OK);
  assert_int_equal(lg_explain(r, l, NOW, items, 10, &count), LG_OK);
  assert_int_equal(lg_explain(r, l, NOW, NULL, 0, &count), LG_ERR_BUFFER);
  assert_int_equal(lg_next_question(r, sparse, &attr, &gain), LG_OK);
  assert_int_equal(lg_next_question(r, l, &attr, &gain), LG_ERR_NOT_FOUND);
  assert_int_equal(ts_alloc_calls(), calls);
  assert_false(ts_alloc_failed());
  ts_alloc_fail_at(0, 0);
  lg_lead_free(l);
  lg_lead_free(sparse);
  lg_rubric_free(r);
  assert_int_equal(ts_alloc_live_blocks(), 0);
  ts_alloc_restore();
}

static void null_arguments_and_times_out_of_range_are_rejected(void **state) {
  lg_rubric *r = parse(lg_example_rubric);
  lg_lead   *l = ideal_lead();
  lg_score   s, before;
  (void)state;
  memset(&s, 0x33, sizeof s);
  before = s;
  assert_int_equal(lg_score_lead(NULL, l, NOW, &s), LG_ERR_INVALID);
  assert_int_equal(lg_score_lead(r, NULL, NOW, &s), LG_ERR_INVALID);
  assert_int_equal(lg_score_lead(r, l, NOW, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_score_lead(r, l, LG_TIME_MIN - 1, &s), LG_ERR_RANGE);
  assert_int_equal(lg_score_lead(r, l, LG_TIME_MAX + 1, &s), LG_ERR_RANGE);
  assert_int_equal(lg_score_lead(r, l, LG_TIME_NEVER, &s), LG_ERR_RANGE);
  assert_int_equal(lg_score_lead(r, l, INT64_MIN, &s), LG_ERR_RANGE);
  assert_memory_equal(&s, &before, sizeof s);
  /* the extremes are valid: nothing has happened yet at the start of time,
   * and at the end every event is ages old (the undecayed unsubscribe would
   * count, but the ideal lead has none) */
  s = score(r, l, LG_TIME_MIN);
  assert_score(&s, 12000, 0, -1, 0);
  s = score(r, l, LG_TIME_MAX);
  assert_score(&s, 12000, 0, -1, 0);
  lg_lead_free(l);
  lg_rubric_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(four_criteria_scored_one_to_three_give_twelve_for_a_perfect_lead),
    cmocka_unit_test(the_reference_example_scores_an_ideal_lead),
    cmocka_unit_test(missing_attributes_take_missing_and_unmatched_take_otherwise),
    cmocka_unit_test(values_of_the_wrong_type_never_match),
    cmocka_unit_test(knockouts_report_the_first_match_in_rubric_order),
    cmocka_unit_test(events_after_now_are_ignored_so_history_replays),
    cmocka_unit_test(once_counts_the_most_recent_event_and_each_counts_all),
    cmocka_unit_test(max_caps_the_decayed_sum),
    cmocka_unit_test(decay_kinds_and_negative_caps_match_hand_values),
    cmocka_unit_test(score_many_equals_scoring_each_lead),
    cmocka_unit_test(score_many_hints_hold_only_for_equal_names_and_texts),
    cmocka_unit_test(score_many_hints_tell_apart_words_that_differ_inside),
    cmocka_unit_test(number_tables_score_every_int_as_the_tests_do),
    cmocka_unit_test(event_types_match_whole_names_never_prefixes),
    cmocka_unit_test(score_many_equals_scoring_each_for_large_leads),
    cmocka_unit_test(explain_lists_every_criterion_in_rubric_order),
    cmocka_unit_test(explain_follows_the_buffer_contract),
    cmocka_unit_test(next_question_picks_the_biggest_gain_with_ties_in_rubric_order),
    cmocka_unit_test(criteria_sharing_a_text_attribute_each_score_as_written),
    cmocka_unit_test(every_lead_shape_scores_its_events_as_written),
    cmocka_unit_test(more_fast_types_than_slots_score_as_explained),
    cmocka_unit_test(inlined_matching_agrees_with_match_lists),
    cmocka_unit_test(every_kind_of_test_list_agrees_with_match_lists),
    cmocka_unit_test(only_ascii_letters_fold_across_every_printable_pair),
    cmocka_unit_test(names_that_share_their_first_bytes_are_told_apart),
    cmocka_unit_test(hundreds_of_similar_names_each_find_their_own),
    cmocka_unit_test(scoring_explaining_and_profiling_never_allocate),
    cmocka_unit_test(null_arguments_and_times_out_of_range_are_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
