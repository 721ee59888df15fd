/*
 * test_decide.c - lg_decide (lib/decide.c) and expression evaluation
 * (lib/expr.c): the field's scenarios on the reference rubric and policy,
 * the semantics of every expression primary, precedence, reasons, grades,
 * recommended stages, and the promises that lg_decide never allocates and
 * never writes its output on failure.
 *
 * Every test runs under the counting allocator of support.h and must end
 * with no live block (see teardown).  Expected values are worked out by
 * hand from the rubric in the comments next to them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reference_example.h"
#include "internal.h"
#include "support.h"

#define DAY INT64_C(86400)
/* Decisions are taken 60 days after the example epoch (a Monday). */
#define NOW (LG_EXAMPLE_EPOCH + 60 * DAY)
#define NEVER_DISQUALIFY "disqualify when fit < -1000000\n"

/* ---- fixtures and helpers ------------------------------------------------ */

static int setup(void **state) {
  (void)state;
  ts_alloc_install();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  assert_int_equal(ts_alloc_live_blocks(), 0);
  ts_alloc_restore();
  return 0;
}

static lg_rubric *rubric_of(const char *text) {
  lg_rubric *r = NULL;
  lg_error   err;
  if (lg_rubric_parse(text, strlen(text), &r, &err) != LG_OK)
    fail_msg("rubric: %u:%u %s", (unsigned)err.line, (unsigned)err.column, err.message);
  return r;
}

static lg_policy *policy_of(const char *text) {
  lg_policy *p = NULL;
  lg_error   err;
  if (lg_policy_parse(text, strlen(text), &p, &err) != LG_OK)
    fail_msg("policy: %u:%u %s\n%s", (unsigned)err.line, (unsigned)err.column, err.message,
             text);
  return p;
}

static lg_lead *lead_new(void) {
  lg_lead *lead = NULL;
  assert_int_equal(lg_lead_create("lead-1", &lead), LG_OK);
  return lead;
}

static void set_text(lg_lead *lead, const char *name, const char *value) {
  assert_int_equal(lg_lead_set_text(lead, name, value), LG_OK);
}

static void set_int(lg_lead *lead, const char *name, int64_t value) {
  assert_int_equal(lg_lead_set_int(lead, name, value), LG_OK);
}

static void add_event(lg_lead *lead, const char *type, lg_time at) {
  assert_int_equal(lg_lead_add_event(lead, type, at), LG_OK);
}

/* Fit 12 of 12 on the reference rubric: need high 3, timeframe 2 months 3,
 * decision maker 3, software 3.  A buyer at a 500-person company, so no
 * knockout. */
static lg_lead *ideal_lead(void) {
  lg_lead *lead = lead_new();
  set_text(lead, "need", "high");
  set_int(lead, "timeframe_months", 2);
  set_text(lead, "role", "decision maker");
  set_text(lead, "industry", "software");
  set_text(lead, "persona", "it director");
  set_int(lead, "employees", 500);
  return lead;
}

/* A lead whose fit is need + timeframe + role + industry as given. */
static lg_lead *lead_with_fit(const char *need, int64_t months, const char *role,
                              const char *industry) {
  lg_lead *lead = lead_new();
  set_text(lead, "need", need);
  set_int(lead, "timeframe_months", months);
  set_text(lead, "role", role);
  set_text(lead, "industry", industry);
  set_int(lead, "employees", 200);
  return lead;
}

static lg_decision decide(const lg_rubric *r, const lg_policy *p, const lg_lead *lead,
                          lg_time now) {
  lg_decision d;
  assert_int_equal(lg_decide(r, p, lead, now, &d), LG_OK);
  return d;
}

/* 1 if `expr` holds for the lead as a qualify rule (disqualification off). */
static int holds(const lg_rubric *r, const lg_lead *lead, lg_time now, const char *expr) {
  char        text[2048];
  lg_policy  *p;
  lg_decision d;
  snprintf(text, sizeof text, NEVER_DISQUALIFY "qualify when %s\n", expr);
  p = policy_of(text);
  d = decide(r, p, lead, now);
  lg_policy_free(p);
  assert_true(d.verdict == LG_VERDICT_MQL || d.verdict == LG_VERDICT_NURTURE);
  return d.verdict == LG_VERDICT_MQL;
}

#define assert_holds(r, lead, now, expr)   assert_int_equal(holds(r, lead, now, expr), 1)
#define assert_fails(r, lead, now, expr)   assert_int_equal(holds(r, lead, now, expr), 0)

/* The reason lg_decide gives under a policy (copied into `out`). */
static void reason_of(const lg_rubric *r, const char *policy_text, const lg_lead *lead,
                      lg_time now, char *out, size_t cap, int *verdict) {
  lg_policy  *p = policy_of(policy_text);
  lg_decision d = decide(r, p, lead, now);
  lg_policy_free(p);
  snprintf(out, cap, "%s", d.reason);
  if (verdict) *verdict = d.verdict;
}

/* ---- the field's scenarios ------------------------------------------------- */

static void ideal_lead_with_a_recent_demo_request_is_an_mql_graded_a(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_lead    *lead = ideal_lead();
  lg_decision d;
  (void)state;
  add_event(lead, "demo_requested", NOW - 7 * DAY);
  d = decide(r, p, lead, NOW);
  assert_int_equal(d.verdict, LG_VERDICT_MQL);
  assert_int_equal(d.stage, LG_STAGE_MQL);
  assert_string_equal(d.grade, "A");
  assert_int_equal(d.score.fit, 12000);
  assert_int_equal(d.score.engagement, 25000); /* expire 30d: full points at 7 days */
  assert_int_equal(d.score.knocked_out, 0);
  /* The whole rule held: its own canonical text. */
  assert_string_equal(d.reason,
                      "fit >= 8 and (event demo_requested within 30d or engagement >= 15)");
  assert_true(d.rubric_fingerprint == lg_rubric_fingerprint(r));
  assert_true(d.policy_fingerprint == lg_policy_fingerprint(p));
  assert_true(d.policy_fingerprint != 0);
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void the_same_lead_with_a_40_day_old_demo_request_is_nurtured(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_lead    *lead = ideal_lead();
  lg_decision d;
  (void)state;
  add_event(lead, "demo_requested", NOW - 40 * DAY);
  d = decide(r, p, lead, NOW);
  assert_int_equal(d.verdict, LG_VERDICT_NURTURE);
  assert_int_equal(d.stage, LG_STAGE_NURTURE);
  assert_int_equal(d.score.engagement, 0); /* expired after 30 days */
  /* neither alternative held: the whole `or`, as the rule writes it */
  assert_string_equal(d.reason, "(event demo_requested within 30d or engagement >= 15)");
  assert_string_equal(d.grade, "A");
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void replaying_that_lead_as_of_35_days_ago_makes_it_an_mql(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_lead    *lead = ideal_lead();
  lg_decision d;
  (void)state;
  add_event(lead, "demo_requested", NOW - 40 * DAY);
  d = decide(r, p, lead, NOW - 35 * DAY); /* the demo was 5 days old then */
  assert_int_equal(d.verdict, LG_VERDICT_MQL);
  assert_int_equal(d.score.engagement, 25000);
  assert_string_equal(d.grade, "A");
  /* ...and before the request it was not there at all. */
  d = decide(r, p, lead, NOW - 41 * DAY);
  assert_int_equal(d.verdict, LG_VERDICT_NURTURE);
  assert_string_equal(d.reason, "(event demo_requested within 30d or engagement >= 15)");
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void a_consultant_who_downloaded_a_dozen_white_papers_is_disqualified(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_lead    *lead = ideal_lead();
  lg_decision d;
  int         i;
  (void)state;
  set_text(lead, "persona", "Consultant");
  for (i = 0; i < 12; i++) add_event(lead, "content_download", NOW - (i + 1) * 3600);
  add_event(lead, "demo_requested", NOW - DAY);
  d = decide(r, p, lead, NOW);
  /* The qualify rule would hold; the disqualify rule comes first. */
  assert_int_equal(d.verdict, LG_VERDICT_DISQUALIFY);
  assert_int_equal(d.stage, LG_STAGE_DISQUALIFIED);
  assert_string_equal(d.reason, "knockout \"not a buyer\"");
  assert_int_equal(d.score.knocked_out, 1);
  assert_int_equal(d.score.knockout_index, 0);
  assert_int_equal(d.score.engagement, 35000); /* content capped at 10, demo 25 */
  assert_string_equal(d.grade, "A");           /* graded whatever the verdict */
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void a_lead_in_sql_is_not_moved_back_to_mql(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_lead    *lead = ideal_lead();
  lg_decision d;
  (void)state;
  add_event(lead, "demo_requested", NOW - 7 * DAY);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, NOW - 6 * DAY), LG_OK);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_SAL, NOW - 5 * DAY), LG_OK);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_SQL, NOW - 4 * DAY), LG_OK);
  d = decide(r, p, lead, NOW);
  assert_int_equal(d.verdict, LG_VERDICT_MQL);
  assert_int_equal(d.stage, LG_STAGE_SQL);
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void four_criteria_scored_1_to_3_hand_off_at_8_of_12(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of("qualify when fit >= 8\n");
  /* low 1 + 12 months 1 + influencer 2 + retail (otherwise) 1 = 5 */
  lg_lead    *five = lead_with_fit("low", 12, "influencer", "retail");
  /* medium 2 + 5 months 2 + decision maker 3 + retail 1 = 8 */
  lg_lead    *eight = lead_with_fit("medium", 5, "decision maker", "retail");
  lg_lead    *twelve = ideal_lead();
  lg_decision d;
  (void)state;
  d = decide(r, p, five, NOW);
  assert_int_equal(d.score.fit, 5000);
  assert_int_equal(d.verdict, LG_VERDICT_NURTURE);
  assert_int_equal(d.stage, LG_STAGE_NURTURE);
  assert_string_equal(d.reason, "fit >= 8");
  assert_string_equal(d.grade, ""); /* no grade lines */
  d = decide(r, p, eight, NOW);
  assert_int_equal(d.score.fit, 8000);
  assert_int_equal(d.verdict, LG_VERDICT_MQL);
  assert_string_equal(d.reason, "fit >= 8");
  d = decide(r, p, twelve, NOW);
  assert_int_equal(d.score.fit, 12000);
  assert_int_equal(d.verdict, LG_VERDICT_MQL);
  lg_lead_free(five);
  lg_lead_free(eight);
  lg_lead_free(twelve);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void grades_take_the_first_match_and_fall_back(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_policy *p = policy_of(lg_example_policy);
  lg_policy *no_fallback = policy_of("grade \"A\" when fit >= 10\ngrade \"B\" when fit >= 8\n");
  lg_lead   *ten = lead_with_fit("high", 2, "decision maker", "retail");  /* 3+3+3+1 */
  lg_lead   *eight = lead_with_fit("medium", 5, "decision maker", "retail"); /* 2+2+3+1 */
  lg_lead   *six = lead_with_fit("medium", 5, "recommender", "retail");    /* 2+2+1+1 */
  lg_lead   *five = lead_with_fit("low", 12, "influencer", "retail");      /* 1+1+2+1 */
  (void)state;
  assert_string_equal(decide(r, p, ten, NOW).grade, "A");
  assert_string_equal(decide(r, p, eight, NOW).grade, "B");
  assert_string_equal(decide(r, p, six, NOW).grade, "C");
  assert_string_equal(decide(r, p, five, NOW).grade, "D");
  assert_string_equal(decide(r, no_fallback, ten, NOW).grade, "A");
  assert_string_equal(decide(r, no_fallback, five, NOW).grade, "");
  lg_lead_free(ten);
  lg_lead_free(eight);
  lg_lead_free(six);
  lg_lead_free(five);
  lg_policy_free(no_fallback);
  lg_policy_free(p);
  lg_rubric_free(r);
}

/* ---- reasons -------------------------------------------------------------- */

static void nurture_reason_is_the_first_failing_part(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *six = lead_with_fit("medium", 5, "recommender", "retail"); /* fit 6 */
  lg_lead   *ten = lead_with_fit("high", 2, "decision maker", "retail"); /* fit 10 */
  char       reason[160];
  int        verdict;
  (void)state;
  add_event(ten, "demo_requested", NOW - 40 * DAY);
  reason_of(r, lg_example_policy, six, NOW, reason, sizeof reason, &verdict);
  assert_int_equal(verdict, LG_VERDICT_NURTURE);
  assert_string_equal(reason, "fit >= 8");
  reason_of(r, lg_example_policy, ten, NOW, reason, sizeof reason, &verdict);
  assert_int_equal(verdict, LG_VERDICT_NURTURE);
  assert_string_equal(reason, "(event demo_requested within 30d or engagement >= 15)");
  /* A failing `or` failed on every alternative: it is given whole, in
   * parentheses only where the canonical text has them. */
  reason_of(r, "qualify when (fit >= 100 and engagement >= 1) or total >= 1000\n", ten, NOW,
            reason, sizeof reason, NULL);
  assert_string_equal(reason, "fit >= 100 and engagement >= 1 or total >= 1000");
  reason_of(r, "qualify when fit >= 1 and (fit >= 100 or (engagement >= 100 or total >= 99))\n",
            ten, NOW, reason, sizeof reason, NULL);
  assert_string_equal(reason, "(fit >= 100 or engagement >= 100 or total >= 99)");
  reason_of(r, "qualify when fit >= 1 and not (fit >= 2 and engagement < 1)\n", ten, NOW,
            reason, sizeof reason, NULL);
  assert_string_equal(reason, "not (fit >= 2 and engagement < 1)");
  lg_lead_free(six);
  lg_lead_free(ten);
  lg_rubric_free(r);
}

static void mql_reason_is_the_first_alternative_that_held(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = ideal_lead();
  char       reason[160];
  int        verdict;
  (void)state;
  add_event(lead, "demo_requested", NOW - 7 * DAY); /* engagement 25 */
  reason_of(r, "qualify when fit >= 100 or event demo_requested within 30d or engagement >= 15\n",
            lead, NOW, reason, sizeof reason, &verdict);
  assert_int_equal(verdict, LG_VERDICT_MQL);
  assert_string_equal(reason, "event demo_requested within 30d");
  reason_of(r, "qualify when fit >= 100 or fit >= 10 and (engagement >= 100 or total >= 30)\n",
            lead, NOW, reason, sizeof reason, NULL);
  assert_string_equal(reason, "fit >= 10 and (engagement >= 100 or total >= 30)");
  reason_of(r, "qualify when not knockout\n", lead, NOW, reason, sizeof reason, NULL);
  assert_string_equal(reason, "not knockout");
  reason_of(r, "route round-robin\n", lead, NOW, reason, sizeof reason, &verdict);
  assert_int_equal(verdict, LG_VERDICT_NURTURE);
  assert_string_equal(reason, "no qualify rule");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

static void disqualify_reason_names_the_knockout_that_matched(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *both = ideal_lead();
  char       reason[160];
  int        verdict;
  (void)state;
  set_text(both, "persona", "student");
  set_int(both, "employees", 3); /* both knockouts match; "not a buyer" is first */
  reason_of(r, "", both, NOW, reason, sizeof reason, &verdict);
  assert_int_equal(verdict, LG_VERDICT_DISQUALIFY);
  assert_string_equal(reason, "knockout \"not a buyer\"");
  reason_of(r, "disqualify when knockout \"too small\"\n", both, NOW, reason, sizeof reason,
            &verdict);
  assert_int_equal(verdict, LG_VERDICT_DISQUALIFY);
  assert_string_equal(reason, "knockout \"too small\"");
  reason_of(r, "disqualify when knockout and fit < 20\n", both, NOW, reason, sizeof reason,
            &verdict);
  assert_int_equal(verdict, LG_VERDICT_DISQUALIFY);
  assert_string_equal(reason, "knockout \"not a buyer\" and fit < 20");
  reason_of(r, "disqualify when fit > 100 or knockout\n", both, NOW, reason, sizeof reason,
            &verdict);
  assert_string_equal(reason, "knockout \"not a buyer\"");
  lg_lead_free(both);
  lg_rubric_free(r);
}

static void long_reasons_are_cut_at_a_utf8_boundary(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = ideal_lead();
  char       text[1024], want[1024], reason[160];
  size_t     n, i;
  (void)state;
  /* A cut reason keeps at most 156 bytes and ends with "...".  `attr n =
   * "` is 10 bytes, then 80 two-byte characters: byte 156 starts the 74th,
   * so 73 are kept (156 bytes). */
  n = (size_t)sprintf(text, "qualify when attr n = \"");
  for (i = 0; i < 80; i++) n += (size_t)sprintf(text + n, "\xc3\xa9");
  sprintf(text + n, "\"\n");
  reason_of(r, text, lead, NOW, reason, sizeof reason, NULL);
  n = (size_t)sprintf(want, "attr n = \"");
  for (i = 0; i < 73; i++) n += (size_t)sprintf(want + n, "\xc3\xa9");
  sprintf(want + n, "...");
  assert_int_equal(strlen(reason), 159);
  assert_string_equal(reason, want);
  /* One byte more in front: byte 156 is the second half of the 73rd
   * character, which goes too (155 bytes kept). */
  n = (size_t)sprintf(text, "qualify when attr nn = \"");
  for (i = 0; i < 80; i++) n += (size_t)sprintf(text + n, "\xc3\xa9");
  sprintf(text + n, "\"\n");
  reason_of(r, text, lead, NOW, reason, sizeof reason, NULL);
  n = (size_t)sprintf(want, "attr nn = \"");
  for (i = 0; i < 72; i++) n += (size_t)sprintf(want + n, "\xc3\xa9");
  sprintf(want + n, "...");
  assert_int_equal(strlen(reason), 158);
  assert_string_equal(reason, want);
  /* 159 bytes fit exactly; 160 are cut to 156 and "...". */
  n = (size_t)sprintf(text, "qualify when attr n = \"");
  for (i = 0; i < 148; i++) text[n++] = 'a';
  sprintf(text + n, "\"\n");
  reason_of(r, text, lead, NOW, reason, sizeof reason, NULL);
  assert_int_equal(strlen(reason), 159);
  assert_int_equal(reason[158], '"');
  n = (size_t)sprintf(text, "qualify when attr n = \"");
  for (i = 0; i < 149; i++) text[n++] = 'a';
  sprintf(text + n, "\"\n");
  reason_of(r, text, lead, NOW, reason, sizeof reason, NULL);
  assert_int_equal(strlen(reason), 159);
  assert_string_equal(reason + 155, "a...");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

/* ---- expression semantics ------------------------------------------------- */

static void attr_is_matches_any_listed_value_of_the_same_type(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = lead_new();
  (void)state;
  set_text(lead, "role", "Decision Maker");
  set_int(lead, "employees", 50);
  assert_int_equal(lg_lead_set_bool(lead, "partner", 1), LG_OK);
  assert_holds(r, lead, NOW, "attr role is \"decision maker\", \"economic buyer\"");
  assert_fails(r, lead, NOW, "attr role is \"influencer\"");
  assert_fails(r, lead, NOW, "attr role is 1..100");
  assert_holds(r, lead, NOW, "attr employees is 10..50");
  assert_holds(r, lead, NOW, "attr employees is < 10, >= 50");
  assert_fails(r, lead, NOW, "attr employees is \"50\"");
  assert_holds(r, lead, NOW, "attr partner is true");
  assert_fails(r, lead, NOW, "attr partner is false, 1");
  assert_fails(r, lead, NOW, "attr absent is \"x\", 1, true, false");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

static void attr_comparisons_need_a_present_attribute_of_the_right_type(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = lead_new();
  (void)state;
  set_int(lead, "employees", 50);
  set_text(lead, "industry", "saas");
  set_text(lead, "size_text", "50");
  assert_int_equal(lg_lead_set_bool(lead, "consent", 1), LG_OK);
  assert_int_equal(lg_lead_set_bool(lead, "optout", 0), LG_OK);
  /* integers */
  assert_holds(r, lead, NOW, "attr employees >= 50");
  assert_fails(r, lead, NOW, "attr employees > 50");
  assert_holds(r, lead, NOW, "attr employees < 50.001");
  assert_fails(r, lead, NOW, "attr employees <= 49.999");
  assert_holds(r, lead, NOW, "attr employees = 50");
  assert_holds(r, lead, NOW, "attr employees != 51");
  assert_holds(r, lead, NOW, "attr employees > -1");
  assert_fails(r, lead, NOW, "attr size_text = 50");    /* text is not a number */
  assert_fails(r, lead, NOW, "attr size_text != 51");
  assert_fails(r, lead, NOW, "attr absent != 51");      /* absent: false, even for != */
  assert_fails(r, lead, NOW, "attr consent = 1");
  /* text: ASCII-case-insensitive, like the rubric's matches */
  assert_holds(r, lead, NOW, "attr industry = \"SaaS\"");
  assert_fails(r, lead, NOW, "attr industry != \"SAAS\"");
  assert_holds(r, lead, NOW, "attr industry != \"software\"");
  assert_fails(r, lead, NOW, "attr absent != \"software\"");
  assert_fails(r, lead, NOW, "attr employees != \"software\"");
  assert_fails(r, lead, NOW, "attr employees = \"50\"");
  /* booleans */
  assert_holds(r, lead, NOW, "attr consent = true");
  assert_fails(r, lead, NOW, "attr consent = false");
  assert_holds(r, lead, NOW, "attr consent != false");
  assert_holds(r, lead, NOW, "attr optout = false");
  assert_holds(r, lead, NOW, "attr optout != true");
  assert_fails(r, lead, NOW, "attr employees != true");
  assert_fails(r, lead, NOW, "attr absent != true");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

static void missing_holds_only_for_absent_attributes(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = lead_new();
  (void)state;
  set_text(lead, "industry", "");
  assert_fails(r, lead, NOW, "missing industry"); /* empty text is present */
  assert_holds(r, lead, NOW, "missing role");
  assert_int_equal(lg_lead_unset(lead, "industry"), LG_OK);
  assert_holds(r, lead, NOW, "missing industry");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

static void stage_is_compares_the_current_stage(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = lead_new();
  (void)state;
  assert_holds(r, lead, NOW, "stage is new");
  assert_fails(r, lead, NOW, "stage is nurture");
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_NURTURE, NOW - DAY), LG_OK);
  assert_holds(r, lead, NOW, "stage is nurture");
  assert_fails(r, lead, NOW, "stage is new");
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_DISQUALIFIED, NOW - DAY), LG_OK);
  assert_holds(r, lead, NOW, "stage is disqualified");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

static void knockout_by_name_checks_that_knockout_only(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *small = ideal_lead(), *both = ideal_lead(), *clean = ideal_lead();
  (void)state;
  set_int(small, "employees", 5);
  set_int(both, "employees", 5);
  set_text(both, "persona", "competitor");
  assert_holds(r, small, NOW, "knockout");
  assert_holds(r, small, NOW, "knockout \"too small\"");
  assert_fails(r, small, NOW, "knockout \"not a buyer\"");
  /* Not the first match, still found by name. */
  assert_holds(r, both, NOW, "knockout \"too small\"");
  assert_holds(r, both, NOW, "knockout \"not a buyer\"");
  /* A name the rubric does not have is false, even for a knocked-out lead. */
  assert_fails(r, both, NOW, "knockout \"no such knockout\"");
  assert_fails(r, both, NOW, "knockout \"Too Small\"");
  assert_fails(r, clean, NOW, "knockout");
  assert_holds(r, clean, NOW, "not knockout");
  lg_lead_free(small);
  lg_lead_free(both);
  lg_lead_free(clean);
  lg_rubric_free(r);
}

static void event_within_includes_exactly_now_minus_the_window(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *edge = lead_new(), *late = lead_new(), *future = lead_new(), *other = lead_new();
  (void)state;
  add_event(edge, "demo_requested", NOW - 30 * DAY);
  add_event(late, "demo_requested", NOW - 30 * DAY - 1);
  add_event(late, "content_download", NOW - DAY);
  add_event(future, "demo_requested", NOW + 1);
  add_event(other, "webinar_attended", NOW);
  assert_holds(r, edge, NOW, "event demo_requested within 30d");
  assert_fails(r, edge, NOW, "event demo_requested within 2591999s");
  assert_fails(r, late, NOW, "event demo_requested within 30d");
  assert_holds(r, late, NOW, "event demo_requested within 31d");
  assert_holds(r, late, NOW, "event content_download within 1d");
  assert_fails(r, future, NOW, "event demo_requested within 30d"); /* after now */
  assert_holds(r, future, NOW + 1, "event demo_requested within 0s");
  assert_holds(r, other, NOW, "event webinar_attended within 0s");
  assert_fails(r, other, NOW, "event demo_requested within 1000w");
  assert_fails(r, other, NOW, "event never_seen within 1w");
  lg_lead_free(edge);
  lg_lead_free(late);
  lg_lead_free(future);
  lg_lead_free(other);
  lg_rubric_free(r);
}

static void and_binds_tighter_than_or_and_not_binds_tightest(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = ideal_lead(); /* fit 12 */
  (void)state;
  /* true or (false and false): true.  Were `or` tighter: false. */
  assert_holds(r, lead, NOW, "fit >= 1 or fit >= 100 and fit >= 1000");
  assert_fails(r, lead, NOW, "(fit >= 1 or fit >= 100) and fit >= 1000");
  /* (false and true) or true */
  assert_holds(r, lead, NOW, "fit >= 100 and fit >= 1 or fit >= 1");
  assert_fails(r, lead, NOW, "fit >= 100 and (fit >= 1 or fit >= 1)");
  /* not applies to the next primary only */
  assert_holds(r, lead, NOW, "not fit >= 100 and fit >= 1");
  assert_fails(r, lead, NOW, "not (fit >= 100 or fit >= 1)");
  assert_holds(r, lead, NOW, "not (fit >= 100 and fit >= 1)");
  assert_fails(r, lead, NOW, "not not fit >= 100");
  assert_holds(r, lead, NOW, "not not not fit >= 100");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

static void comparisons_work_on_negative_and_fractional_points(void **state) {
  lg_rubric *r = rubric_of("rubric \"fractions\"\n"
                           "fit \"half\" from x\n"
                           "  when \"a\" -> 2.5\n"
                           "  when \"b\" -> -1.25\n"
                           "engagement \"unsubscribed\" on unsubscribed -> -20\n");
  lg_lead   *a = lead_new(), *b = lead_new();
  (void)state;
  set_text(a, "x", "a");
  set_text(b, "x", "b");
  add_event(b, "unsubscribed", NOW - DAY);
  assert_holds(r, a, NOW, "fit >= 2.5");
  assert_fails(r, a, NOW, "fit > 2.5");
  assert_holds(r, a, NOW, "fit = 2.5");
  assert_fails(r, a, NOW, "fit != 2.5");
  assert_holds(r, a, NOW, "fit < 2.501");
  assert_fails(r, a, NOW, "fit <= 2.499");
  assert_holds(r, a, NOW, "total = 2.5 and engagement = 0");
  assert_holds(r, b, NOW, "fit < -1.249");
  assert_holds(r, b, NOW, "fit <= -1.25");
  assert_fails(r, b, NOW, "fit < -1.25");
  assert_holds(r, b, NOW, "fit > -1.251");
  assert_holds(r, b, NOW, "engagement = -20");
  assert_fails(r, b, NOW, "engagement > -20");
  assert_holds(r, b, NOW, "total = -21.25");
  assert_fails(r, b, NOW, "total >= -21.249");
  lg_lead_free(a);
  lg_lead_free(b);
  lg_rubric_free(r);
}

/* ---- stages ---------------------------------------------------------------- */

static void recommended_stage_never_moves_a_lead_backwards(void **state) {
  /* Paths from NEW to each stage, in lg_stage order. */
  static const int paths[9][5] = {
    {-1},
    {LG_STAGE_NURTURE, -1},
    {LG_STAGE_MQL, -1},
    {LG_STAGE_MQL, LG_STAGE_SAL, -1},
    {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, -1},
    {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, -1},
    {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_WON},
    {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_LOST},
    {LG_STAGE_DISQUALIFIED, -1},
  };
  /* Expected recommendation for verdicts MQL, DISQUALIFY, NURTURE. */
  static const int want[9][3] = {
    {LG_STAGE_MQL, LG_STAGE_DISQUALIFIED, LG_STAGE_NURTURE},          /* new */
    {LG_STAGE_MQL, LG_STAGE_DISQUALIFIED, LG_STAGE_NURTURE},          /* nurture */
    {LG_STAGE_MQL, LG_STAGE_DISQUALIFIED, LG_STAGE_MQL},              /* mql */
    {LG_STAGE_SAL, LG_STAGE_SAL, LG_STAGE_SAL},                       /* sal */
    {LG_STAGE_SQL, LG_STAGE_SQL, LG_STAGE_SQL},                       /* sql */
    {LG_STAGE_OPPORTUNITY, LG_STAGE_OPPORTUNITY, LG_STAGE_OPPORTUNITY},
    {LG_STAGE_WON, LG_STAGE_WON, LG_STAGE_WON},
    {LG_STAGE_LOST, LG_STAGE_LOST, LG_STAGE_LOST},
    {LG_STAGE_DISQUALIFIED, LG_STAGE_DISQUALIFIED, LG_STAGE_DISQUALIFIED},
  };
  static const int verdicts[3] = {LG_VERDICT_MQL, LG_VERDICT_DISQUALIFY, LG_VERDICT_NURTURE};
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_policy *p[3];
  int        s, v, k;
  (void)state;
  p[0] = policy_of(NEVER_DISQUALIFY "qualify when fit >= -1000000\n");
  p[1] = policy_of("disqualify when fit >= -1000000\n");
  p[2] = policy_of(NEVER_DISQUALIFY);
  for (s = 0; s < 9; s++) {
    lg_lead *lead = lead_new();
    for (k = 0; k < 5 && paths[s][k] >= 0; k++)
      assert_int_equal(lg_lead_set_stage(lead, (lg_stage)paths[s][k], NOW - DAY), LG_OK);
    assert_int_equal(lg_lead_stage(lead), s);
    for (v = 0; v < 3; v++) {
      lg_decision d = decide(r, p[v], lead, NOW);
      assert_int_equal(d.verdict, verdicts[v]);
      if (d.stage != want[s][v])
        fail_msg("stage %d verdict %d: want %d got %d", s, verdicts[v], want[s][v], d.stage);
    }
    lg_lead_free(lead);
  }
  for (v = 0; v < 3; v++) lg_policy_free(p[v]);
  lg_rubric_free(r);
}

/* ---- contract --------------------------------------------------------------- */

static void decide_does_not_allocate(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_policy  *q = policy_of("disqualify when knockout \"too small\" and attr persona is \"x\"\n"
                            "qualify when not (missing role or stage is sql) and "
                            "attr role != \"y\" and event demo_requested within 1w\n"
                            "grade \"A\" when attr employees is 1..1000\n");
  lg_lead    *lead = ideal_lead();
  lg_decision d;
  long        calls;
  int         i;
  (void)state;
  add_event(lead, "demo_requested", NOW - DAY);
  calls = ts_alloc_calls();
  for (i = 0; i < 100; i++) {
    assert_int_equal(lg_decide(r, p, lead, NOW - i * DAY, &d), LG_OK);
    assert_int_equal(lg_decide(r, q, lead, NOW - i * DAY, &d), LG_OK);
  }
  assert_int_equal(ts_alloc_calls(), calls);
  lg_lead_free(lead);
  lg_policy_free(q);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void bad_arguments_and_times_leave_the_output_untouched(void **state) {
  lg_rubric  *r = rubric_of(lg_example_rubric);
  lg_policy  *p = policy_of(lg_example_policy);
  lg_lead    *lead = ideal_lead();
  lg_decision d, before;
  (void)state;
  memset(&d, 0xAB, sizeof d);
  before = d;
  assert_int_equal(lg_decide(NULL, p, lead, NOW, &d), LG_ERR_INVALID);
  assert_int_equal(lg_decide(r, NULL, lead, NOW, &d), LG_ERR_INVALID);
  assert_int_equal(lg_decide(r, p, NULL, NOW, &d), LG_ERR_INVALID);
  assert_int_equal(lg_decide(r, p, lead, NOW, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_decide(r, p, lead, LG_TIME_MAX + 1, &d), LG_ERR_RANGE);
  assert_int_equal(lg_decide(r, p, lead, LG_TIME_MIN - 1, &d), LG_ERR_RANGE);
  assert_int_equal(lg_decide(r, p, lead, LG_TIME_NEVER, &d), LG_ERR_RANGE);
  assert_memory_equal(&d, &before, sizeof d);
  /* The extremes themselves are valid times. */
  assert_int_equal(lg_decide(r, p, lead, LG_TIME_MIN, &d), LG_OK);
  assert_int_equal(lg_decide(r, p, lead, LG_TIME_MAX, &d), LG_OK);
  assert_int_equal(d.verdict, LG_VERDICT_NURTURE);
  lg_lead_free(lead);
  lg_policy_free(p);
  lg_rubric_free(r);
}

static void event_windows_at_the_ends_of_time_do_not_overflow(void **state) {
  lg_rubric *r = rubric_of(lg_example_rubric);
  lg_lead   *lead = lead_new();
  (void)state;
  add_event(lead, "demo_requested", LG_TIME_MIN);
  assert_holds(r, lead, LG_TIME_MIN, "event demo_requested within 1000w");
  assert_holds(r, lead, LG_TIME_MIN + 10, "event demo_requested within 10s");
  assert_fails(r, lead, LG_TIME_MAX, "event demo_requested within 1000w");
  lg_lead_free(lead);
  lg_rubric_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(ideal_lead_with_a_recent_demo_request_is_an_mql_graded_a),
    T(the_same_lead_with_a_40_day_old_demo_request_is_nurtured),
    T(replaying_that_lead_as_of_35_days_ago_makes_it_an_mql),
    T(a_consultant_who_downloaded_a_dozen_white_papers_is_disqualified),
    T(a_lead_in_sql_is_not_moved_back_to_mql),
    T(four_criteria_scored_1_to_3_hand_off_at_8_of_12),
    T(grades_take_the_first_match_and_fall_back),
    T(nurture_reason_is_the_first_failing_part),
    T(mql_reason_is_the_first_alternative_that_held),
    T(disqualify_reason_names_the_knockout_that_matched),
    T(long_reasons_are_cut_at_a_utf8_boundary),
    T(attr_is_matches_any_listed_value_of_the_same_type),
    T(attr_comparisons_need_a_present_attribute_of_the_right_type),
    T(missing_holds_only_for_absent_attributes),
    T(stage_is_compares_the_current_stage),
    T(knockout_by_name_checks_that_knockout_only),
    T(event_within_includes_exactly_now_minus_the_window),
    T(and_binds_tighter_than_or_and_not_binds_tightest),
    T(comparisons_work_on_negative_and_fractional_points),
    T(recommended_stage_never_moves_a_lead_backwards),
    T(decide_does_not_allocate),
    T(bad_arguments_and_times_leave_the_output_untouched),
    T(event_windows_at_the_ends_of_time_do_not_overflow),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
