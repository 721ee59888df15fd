/*
 * test_lint.c - lg_lint (lib/lint.c): every check with a definition that
 * triggers it and a near miss that must not, the order and line numbers
 * of findings, the buffer contract, argument errors, message cutting, and
 * the sample definitions under examples/.
 *
 * Expected findings are worked out by hand from the definitions: the
 * ranges in the comments are the sums the header describes.  A seeded
 * random test then checks that every claim lint makes holds for the
 * library itself on thousands of leads (a claim is a proof, so no lead may
 * contradict it).  Every test runs under the counting allocator of
 * support.h and must end with no live block; lg_lint itself never
 * allocates (checked).
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
#include "policy.h"
#include "reference_example.h"
#include "rubric.h"
#include "support.h"

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

/* Four fit criteria of 1..3 points (best fit 12, lowest 0) and engagement
 * between -20 and 25 + 10 + 5 * 10000 (webinar: `each`, no max). */
static const char base_rubric[] =
    "rubric \"t\"\n"                                           /* 1 */
    "fit \"need\" from need\n"                                 /* 2 */
    "  when \"high\" -> 3\n"                                   /* 3 */
    "  when \"medium\" -> 2\n"                                 /* 4 */
    "  when \"low\" -> 1\n"                                    /* 5 */
    "fit \"timeframe\" from timeframe_months\n"                /* 6 */
    "  when <= 3 -> 3\n"                                       /* 7 */
    "  when 4..6 -> 2\n"                                       /* 8 */
    "  when > 6 -> 1\n"                                        /* 9 */
    "fit \"authority\" from role\n"                            /* 10 */
    "  when \"decision maker\" -> 3\n"                         /* 11 */
    "fit \"profile\" from industry\n"                          /* 12 */
    "  when \"software\" -> 3\n"                               /* 13 */
    "  otherwise -> 1\n"                                       /* 14 */
    "engagement \"demo\" on demo_requested -> 25 expire 30d\n" /* 15 */
    "engagement \"content\" on content_download -> 2 each max 10 half-life 14d\n"
    "engagement \"webinar\" on webinar_attended -> 5 each half-life 30d\n"
    "engagement \"unsubscribed\" on unsubscribed -> -20\n" /* 18 */
    "knockout \"too small\" when employees is < 10\n";     /* 19 */

static lg_rubric *rubric_of(const char *text) {
  lg_rubric *r = NULL;
  lg_error   err;
  lg_status  st = lg_rubric_parse(text, strlen(text), &r, &err);
  if (st != LG_OK)
    fail_msg("rubric did not parse: %u:%u: %s\n%s", (unsigned)err.line, (unsigned)err.column,
             err.message, text);
  return r;
}

static lg_policy *policy_of(const char *text) {
  lg_policy *p = NULL;
  lg_error   err;
  lg_status  st = lg_policy_parse(text, strlen(text), &p, &err);
  if (st != LG_OK)
    fail_msg("policy did not parse: %u:%u: %s\n%s", (unsigned)err.line, (unsigned)err.column,
             err.message, text);
  return p;
}

#define MAX_FOUND 16
static lg_finding found[MAX_FOUND];

/* Lints the texts (either may be NULL) into found[]; returns the count.
 * Checks that lint allocates nothing and writes reserved as 0. */
static size_t lint_texts(const char *rubric_text, const char *policy_text) {
  lg_rubric *r = rubric_text ? rubric_of(rubric_text) : NULL;
  lg_policy *p = policy_text ? policy_of(policy_text) : NULL;
  size_t     n = 99, i;
  long       calls = ts_alloc_calls();
  memset(found, 0x5a, sizeof found);
  assert_int_equal(lg_lint(r, p, found, MAX_FOUND, &n), LG_OK);
  assert_int_equal(ts_alloc_calls(), calls);
  assert_true(n <= MAX_FOUND);
  for (i = 0; i < n; i++) {
    assert_int_equal(found[i].reserved, 0);
    assert_non_null(memchr(found[i].code, '\0', sizeof found[i].code));
    assert_non_null(memchr(found[i].message, '\0', sizeof found[i].message));
  }
  lg_policy_free(p);
  lg_rubric_free(r);
  return n;
}

static void expect_only(size_t n, int severity, int source, uint32_t line, const char *code) {
  if (n != 1) {
    size_t i;
    for (i = 0; i < n; i++)
      print_message("finding %u: %u %s: %s\n", (unsigned)i, (unsigned)found[i].line, found[i].code,
                    found[i].message);
    fail_msg("expected one finding %s, got %u", code, (unsigned)n);
  }
  assert_string_equal(found[0].code, code);
  assert_int_equal(found[0].severity, severity);
  assert_int_equal(found[0].source, source);
  assert_int_equal(found[0].line, line);
}

static void expect_none(size_t n) {
  if (n != 0)
    fail_msg("expected no finding, got %u, the first %s on line %u: %s", (unsigned)n, found[0].code,
             (unsigned)found[0].line, found[0].message);
}

/* The base rubric's policy with one qualify rule (line 2). */
static size_t lint_qualify(const char *rule) {
  char text[512];
  snprintf(text, sizeof text, "policy \"q\"\nqualify when %s\n", rule);
  return lint_texts(base_rubric, text);
}

/* ---- qualify ------------------------------------------------------------- */

static void test_unreachable_qualify(void **state) {
  (void)state;
  /* best fit 3 + 3 + 3 + 3 = 12 */
  expect_only(lint_qualify("fit >= 13"), LG_SEVERITY_ERROR, 1, 2, "unreachable-qualify");
  assert_non_null(strstr(found[0].message, "fit 0..12, engagement -20..50035"));
  expect_only(lint_qualify("fit > 12"), LG_SEVERITY_ERROR, 1, 2, "unreachable-qualify");
  expect_only(lint_qualify("fit >= 8 and not (fit < 13)"), LG_SEVERITY_ERROR, 1, 2,
              "unreachable-qualify");
  /* total at most 12 + 50035; an or needs every branch impossible */
  expect_only(lint_qualify("total > 50047 or fit >= 12.001"), LG_SEVERITY_ERROR, 1, 2,
              "unreachable-qualify");
  /* a knockout the rubric lacks is false: the and cannot hold */
  assert_int_equal(lint_qualify("fit >= 8 and knockout \"nope\""), 2);
  assert_string_equal(found[0].code, "unknown-knockout");
  assert_string_equal(found[1].code, "unreachable-qualify");
  /* fit >= 8 needs engagement <= 2 for total <= 10; engagement >= 5 clashes */
  expect_only(lint_qualify("fit >= 8 and total <= 10 and engagement >= 5"), LG_SEVERITY_ERROR, 1, 2,
              "unreachable-qualify");
}

static void test_unreachable_qualify_near_miss(void **state) {
  (void)state;
  expect_none(lint_qualify("fit >= 12"));
  expect_none(lint_qualify("fit >= 8 and not (fit < 12)"));
  expect_none(lint_qualify("total > 50046.999 or fit >= 13"));
  expect_none(lint_qualify("fit >= 8 and knockout \"too small\""));
  expect_none(lint_qualify("fit >= 8 and total <= 10 and engagement >= 2"));
  /* a lead-reading atom is never assumed false */
  expect_none(lint_qualify("fit >= 13 or attr country = \"DE\""));
}

static void test_unreachable_qualify_policy_alone(void **state) {
  (void)state;
  /* without a rubric any score is possible, but a rule can still
   * contradict itself */
  expect_only(lint_texts(NULL, "qualify when fit >= 8 and fit < 5\n"), LG_SEVERITY_ERROR, 1, 1,
              "unreachable-qualify");
  assert_non_null(strstr(found[0].message, "any score"));
  expect_only(lint_texts(NULL, "qualify when fit = 3 and fit != 3\n"), LG_SEVERITY_ERROR, 1, 1,
              "unreachable-qualify");
  expect_none(lint_texts(NULL, "qualify when fit >= 8 and fit < 8.001\n"));
  expect_none(lint_texts(NULL, "qualify when fit >= 13\n"));
  /* no rubric: a named knockout might exist */
  expect_none(lint_texts(NULL, "qualify when fit >= 1 and knockout \"x\"\n"));
}

static void test_always_qualify(void **state) {
  (void)state;
  /* lowest fit 0 + 0 + 0 + 0 (missing) = 0; lowest total -20 */
  expect_only(lint_qualify("fit >= 0"), LG_SEVERITY_WARNING, 1, 2, "always-qualify");
  expect_only(lint_qualify("total >= -20"), LG_SEVERITY_WARNING, 1, 2, "always-qualify");
  expect_only(lint_qualify("fit >= 1 or engagement > -21"), LG_SEVERITY_WARNING, 1, 2,
              "always-qualify");
  /* a knockout the rubric lacks never holds, so its `not` always does */
  assert_int_equal(lint_qualify("not knockout \"nope\""), 2);
  assert_string_equal(found[0].code, "unknown-knockout");
  assert_string_equal(found[1].code, "always-qualify");
  /* (the rubric has a knockout, so a bare one is unknown) */
  expect_none(lint_qualify("not knockout"));
}

static void test_always_qualify_near_miss(void **state) {
  (void)state;
  expect_none(lint_qualify("fit >= 0.001"));
  expect_none(lint_qualify("total > -20"));
  expect_none(lint_qualify("fit >= 1 or engagement > -20"));
  expect_none(lint_qualify("fit >= 0 and event demo_requested within 30d"));
}

/* ---- grades ---------------------------------------------------------------- */

static size_t lint_grades(const char *grades) {
  char text[512];
  snprintf(text, sizeof text, "policy \"g\"\n%s", grades);
  return lint_texts(base_rubric, text);
}

static void test_unreachable_grade(void **state) {
  (void)state;
  /* B needs fit >= 8, where A (fit >= 6) always holds */
  expect_only(lint_grades("grade \"A\" when fit >= 6\ngrade \"B\" when fit >= 8\n"),
              LG_SEVERITY_WARNING, 1, 3, "unreachable-grade");
  assert_non_null(strstr(found[0].message, "grade \"A\" on line 2"));
  /* its own condition: best fit 12 */
  expect_only(lint_grades("grade \"S\" when fit > 12\ngrade \"A\" when fit >= 10\n"),
              LG_SEVERITY_WARNING, 1, 2, "unreachable-grade");
  /* the fallback after a grade that always holds (lowest total -20) */
  expect_only(lint_grades("grade \"A\" when total >= -20\ngrade \"D\"\n"), LG_SEVERITY_WARNING, 1,
              3, "unreachable-grade");
  /* an earlier or-grade holding on the whole of B's box */
  expect_only(lint_grades("grade \"A\" when fit >= 10 or total < 20\n"
                          "grade \"B\" when fit >= 8 and engagement <= 5\n"),
              LG_SEVERITY_WARNING, 1, 3, "unreachable-grade");
}

static void test_unreachable_grade_near_miss(void **state) {
  (void)state;
  expect_none(lint_grades("grade \"A\" when fit >= 8\ngrade \"B\" when fit >= 6\n"));
  expect_none(lint_grades("grade \"S\" when fit >= 12\ngrade \"A\" when fit >= 10\n"));
  expect_none(lint_grades("grade \"A\" when total > -20\ngrade \"D\"\n"));
  expect_none(lint_grades("grade \"A\" when fit >= 10 or total < 20\n"
                          "grade \"B\" when fit >= 8 and engagement <= 12.001\n"));
  /* an earlier grade reading the lead is never assumed to hold */
  expect_none(lint_grades("grade \"A\" when fit >= 6 and attr tier = \"gold\"\n"
                          "grade \"B\" when fit >= 8\n"));
}

/* ---- rubric: when lines and max ------------------------------------------- */

static size_t lint_fit(const char *lines) {
  char text[512];
  snprintf(text, sizeof text, "fit \"x\" from x\n%s", lines);
  return lint_texts(text, NULL);
}

static void test_unreachable_when(void **state) {
  (void)state;
  expect_only(lint_fit("  when <= 3 -> 3\n  when 1..2 -> 1\n"), LG_SEVERITY_WARNING, 0, 3,
              "unreachable-when");
  assert_non_null(strstr(found[0].message, "fit \"x\""));
  /* texts compare case-insensitively, as the scorer does */
  expect_only(
      lint_fit("  when \"High\" -> 3\n  when \"low\" -> 1\n  when \"HIGH\", \"LOW\" -> 2\n"),
      LG_SEVERITY_WARNING, 0, 4, "unreachable-when");
  /* a fraction matches no whole number */
  expect_only(lint_fit("  when = 2.5 -> 1\n"), LG_SEVERITY_WARNING, 0, 2, "unreachable-when");
  assert_non_null(strstr(found[0].message, "matches no value"));
  /* both booleans already taken */
  expect_only(lint_fit("  when true -> 1\n  when false -> 0\n  when true, false -> 2\n"),
              LG_SEVERITY_WARNING, 0, 4, "unreachable-when");
  /* != 5 takes every other number; then 7 is taken */
  expect_only(lint_fit("  when != 5 -> 1\n  when 5 -> 2\n  when 7 -> 3\n"), LG_SEVERITY_WARNING, 0,
              4, "unreachable-when");
  /* pieces that together cover every number; `!= 2.5` is all of them */
  expect_only(
      lint_fit("  when < 0 -> 1\n  when 0..10 -> 2\n  when > 10 -> 3\n  when != 2.5 -> 4\n"),
      LG_SEVERITY_WARNING, 0, 5, "unreachable-when");
  /* ranges joined end to end: 1..3 then 4..6 cover 2..5 */
  expect_only(lint_fit("  when 1..3 -> 1\n  when 4..6 -> 2\n  when 2..5 -> 3\n"),
              LG_SEVERITY_WARNING, 0, 4, "unreachable-when");
}

static void test_unreachable_when_near_miss(void **state) {
  (void)state;
  expect_none(lint_fit("  when <= 3 -> 3\n  when 1..4 -> 1\n"));
  expect_none(lint_fit("  when \"High\" -> 3\n  when \"HIGH\", \"medium\" -> 2\n"));
  expect_none(lint_fit("  when = 2 -> 1\n"));
  expect_none(lint_fit("  when true -> 1\n  when true, false -> 2\n"));
  expect_none(lint_fit("  when != 5 -> 1\n  when 5 -> 2\n"));
  expect_none(lint_fit("  when 1..3 -> 1\n  when 5..6 -> 2\n  when 2..5 -> 3\n"));
  /* a number never covers a text or a boolean of the same value */
  expect_none(lint_fit("  when 1 -> 1\n  when \"1\" -> 2\n  when true -> 3\n"));
}

static void test_max_below_points(void **state) {
  (void)state;
  expect_only(lint_texts("engagement \"demo\" on demo -> 25 max 10\n", NULL), LG_SEVERITY_WARNING,
              0, 1, "max-below-points");
  assert_non_null(strstr(found[0].message, "max 10 below the 25 points"));
  expect_only(lint_texts("rubric \"r\"\n\nengagement \"u\" on u -> -20 each max 5\n", NULL),
              LG_SEVERITY_WARNING, 0, 3, "max-below-points");
  /* near misses: a max equal to one event, or above it */
  expect_none(lint_texts("engagement \"demo\" on demo -> 25 each max 25\n", NULL));
  expect_none(lint_texts("engagement \"u\" on u -> -20 max 20.001\n", NULL));
}

/* ---- names the rubric lacks ------------------------------------------------ */

static void test_unknown_knockout(void **state) {
  (void)state;
  expect_only(lint_texts(base_rubric, "policy \"k\"\n\ndisqualify when knockout \"too big\"\n"),
              LG_SEVERITY_WARNING, 1, 3, "unknown-knockout");
  assert_non_null(strstr(found[0].message, "\"too big\""));
  /* once per rule, however often it is named */
  expect_only(lint_texts(base_rubric, "grade \"A\" when knockout \"x\" or not knockout \"x\"\n"),
              LG_SEVERITY_WARNING, 1, 1, "unknown-knockout");
  /* near misses: the name exists; no rubric to compare with */
  expect_none(lint_texts(base_rubric, "disqualify when knockout \"too small\"\n"));
  expect_none(lint_texts(NULL, "disqualify when knockout \"too big\"\n"));
}

static void test_unscored_event(void **state) {
  (void)state;
  expect_only(lint_qualify("fit >= 8 and event webinar within 30d"), LG_SEVERITY_INFO, 1, 2,
              "unscored-event");
  assert_non_null(strstr(found[0].message, "webinar"));
  expect_none(lint_qualify("fit >= 8 and event webinar_attended within 30d"));
  expect_none(lint_texts(NULL, "qualify when event webinar within 30d\n"));
}

/* ---- follow-up steps ---------------------------------------------------------- */

static size_t lint_steps(const char *steps) {
  char text[512];
  snprintf(text, sizeof text, "policy \"s\"\nfollow-up within 48h business\n%s", steps);
  return lint_texts(NULL, text);
}

static void test_unreachable_step(void **state) {
  (void)state;
  /* reached after escalate at 36h: escalate is more severe and reported */
  expect_only(lint_steps("  escalate at 36h\n  remind at 48h\n"), LG_SEVERITY_WARNING, 1, 4,
              "unreachable-step");
  assert_non_null(strstr(found[0].message, "remind at 48h never fires: escalate at 36h"));
  /* after recycle */
  expect_only(lint_steps("  recycle at 96h\n  reassign at 100h max 2\n"), LG_SEVERITY_WARNING, 1, 4,
              "unreachable-step");
  /* 75% of 48h is 36h: reached together, the lesser is skipped */
  expect_only(lint_steps("  remind at 75%\n  escalate at 36h\n"), LG_SEVERITY_WARNING, 1, 3,
              "unreachable-step");
  /* the reference policy: remind at 100% (48h) after escalate at 36h */
  {
    size_t n = lint_texts(lg_example_rubric, lg_example_policy);
    expect_only(n, LG_SEVERITY_WARNING, 1, 21, "unreachable-step");
  }
}

static void test_unreachable_step_near_miss(void **state) {
  (void)state;
  expect_none(lint_steps("  escalate at 36h\n  remind at 35h\n"));
  expect_none(lint_steps("  recycle at 96h\n  reassign at 95h max 2\n"));
  expect_none(lint_steps("  remind at 74%\n  escalate at 36h\n"));
  /* a warn still turns the state to WARNING: never reported as dead */
  expect_none(lint_steps("  warn at 75%\n  escalate at 36h\n"));
}

static void test_warn_at_zero(void **state) {
  (void)state;
  expect_only(lint_steps("  warn at 0%\n"), LG_SEVERITY_WARNING, 1, 3, "warn-at-zero");
  expect_only(lint_steps("  remind at 40h\n  warn at 0s\n"), LG_SEVERITY_WARNING, 1, 4,
              "warn-at-zero");
  expect_none(lint_steps("  warn at 0.001%\n"));
  expect_none(lint_steps("  warn at 1s\n"));
}

/* ---- follow-up tiers -------------------------------------------------------------- */

static void test_shadowed_tier(void **state) {
  (void)state;
  /* an event within 1h is within 1d: the earlier rule always takes it */
  expect_only(lint_texts(NULL, "follow-up within 1h when event demo within 1d\n"
                               "follow-up within 4h when event demo within 1h\n"),
              LG_SEVERITY_WARNING, 1, 2, "shadowed-tier");
  assert_non_null(strstr(found[0].message, "the rule on line 1"));
  /* an `and` holds only where its operands do */
  expect_only(lint_texts(NULL, "follow-up within 1h when stage is mql\n"
                               "follow-up within 4h when stage is mql and attr a = \"x\"\n"),
              LG_SEVERITY_WARNING, 1, 2, "shadowed-tier");
  /* x or not y, with y implying x, holds for every lead: nothing after it applies */
  expect_only(lint_texts(NULL, "follow-up within 1h when event demo within 1d or not event demo "
                               "within 1h\n"
                               "follow-up within 48h\n"),
              LG_SEVERITY_WARNING, 1, 2, "shadowed-tier");
  assert_non_null(strstr(found[0].message, "holds for every lead"));
  /* not x implies not y when y implies x */
  expect_only(lint_texts(NULL, "follow-up within 1h when not event demo within 1h\n"
                               "follow-up within 4h when not event demo within 1d\n"),
              LG_SEVERITY_WARNING, 1, 2, "shadowed-tier");
}

static void test_shadowed_tier_near_miss(void **state) {
  (void)state;
  expect_none(lint_texts(NULL, "follow-up within 1h when event demo within 1h\n"
                               "follow-up within 4h when event demo within 1d\n"));
  expect_none(lint_texts(NULL, "follow-up within 1h when stage is mql and attr a = \"x\"\n"
                               "follow-up within 4h when stage is mql\n"));
  expect_none(lint_texts(NULL, "follow-up within 1h when event demo within 1h or not event demo "
                               "within 1d\n"
                               "follow-up within 48h\n"));
  expect_none(lint_texts(NULL, "follow-up within 1h when not event demo within 1d\n"
                               "follow-up within 4h when not event demo within 1h\n"));
  expect_none(lint_texts(NULL, "follow-up within 1h when stage is sal\n"
                               "follow-up within 4h when stage is mql and attr a = \"x\"\n"));
  /* each tier's ladder is checked on its own */
  expect_only(lint_texts(NULL, "follow-up within 1h when stage is mql\n  escalate at 30m\n"
                               "follow-up within 4h\n  escalate at 3h\n  remind at 3h\n"),
              LG_SEVERITY_WARNING, 1, 5, "unreachable-step");
}

/* ---- order, buffer contract, arguments ---------------------------------------- */

static void test_order_rubric_then_policy_by_line(void **state) {
  static const char rubric[] = "engagement \"a\" on a -> 5 max 1\n" /* 1 */
                               "fit \"x\" from x\n"                 /* 2 */
                               "  when 1 -> 1\n"                    /* 3 */
                               "  when 1 -> 2\n";                   /* 4 */
  /* the text puts follow-up before qualify, the canonical order after */
  static const char policy[] = "follow-up within 48h\n"      /* 1 */
                               "  warn at 0%\n"              /* 2 */
                               "grade \"A\" when fit > 10\n" /* 3 */
                               "qualify when fit >= 3\n";    /* 4 */
  size_t n;
  (void)state;
  n = lint_texts(rubric, policy);
  assert_int_equal(n, 5);
  assert_int_equal(found[0].source, 0);
  assert_int_equal(found[0].line, 1);
  assert_string_equal(found[0].code, "max-below-points");
  assert_int_equal(found[1].line, 4);
  assert_string_equal(found[1].code, "unreachable-when");
  assert_int_equal(found[2].source, 1);
  assert_int_equal(found[2].line, 2);
  assert_string_equal(found[2].code, "warn-at-zero");
  assert_int_equal(found[3].line, 3);
  assert_string_equal(found[3].code, "unreachable-grade");
  assert_int_equal(found[4].line, 4);
  assert_string_equal(found[4].code, "unreachable-qualify");
}

static void test_buffer_contract(void **state) {
  lg_rubric *r = rubric_of("fit \"x\" from x\n  when 1 -> 1\n  when 1 -> 2\n  when 1 -> 3\n");
  lg_finding items[2], sentinel;
  size_t     n = 0;
  (void)state;
  memset(&sentinel, 0x77, sizeof sentinel);
  items[0] = items[1] = sentinel;
  assert_int_equal(lg_lint(r, NULL, NULL, 0, &n), LG_ERR_BUFFER);
  assert_int_equal(n, 2);
  n = 0;
  assert_int_equal(lg_lint(r, NULL, items, 1, &n), LG_ERR_BUFFER);
  assert_int_equal(n, 2);
  assert_memory_equal(&items[0], &sentinel, sizeof sentinel);
  assert_int_equal(lg_lint(r, NULL, items, 2, &n), LG_OK);
  assert_int_equal(n, 2);
  assert_int_equal(items[0].line, 3);
  assert_int_equal(items[1].line, 4);
  lg_rubric_free(r);
}

static void test_arguments(void **state) {
  lg_rubric *r = rubric_of(base_rubric);
  lg_finding f;
  size_t     n = 7;
  (void)state;
  assert_int_equal(lg_lint(NULL, NULL, &f, 1, &n), LG_ERR_INVALID);
  assert_int_equal(lg_lint(r, NULL, &f, 1, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lint(r, NULL, NULL, 1, &n), LG_ERR_INVALID);
  assert_int_equal(n, 7);
  assert_int_equal(lg_lint(r, NULL, NULL, 0, &n), LG_OK);
  assert_int_equal(n, 0);
  lg_rubric_free(r);
  assert_int_equal(lg_struct_size(LG_STRUCT_FINDING), sizeof(lg_finding));
  assert_int_equal(sizeof(lg_finding), 4 * 4 + 32 + 160);
  assert_string_equal(lg_severity_name(LG_SEVERITY_INFO), "info");
  assert_string_equal(lg_severity_name(LG_SEVERITY_WARNING), "warning");
  assert_string_equal(lg_severity_name(LG_SEVERITY_ERROR), "error");
  assert_null(lg_severity_name((lg_severity)3));
}

/* A message too long for 160 bytes ends in "..." at a UTF-8 boundary. */
static void test_message_cut_at_utf8_boundary(void **state) {
  char   text[512], name[300];
  size_t i, n, len;
  (void)state;
  for (i = 0; i < 100; i++) memcpy(name + 2 * i, "\xC3\xA9", 2); /* e-acute */
  name[200] = '\0';
  snprintf(text, sizeof text, "fit \"%s\" from x\n  when 1 -> 1\n  when 1 -> 1\n", name);
  n = lint_texts(text, NULL);
  assert_int_equal(n, 1);
  len = strlen(found[0].message);
  assert_true(len <= 159);
  assert_memory_equal(found[0].message + len - 3, "...", 3);
  assert_int_equal(lg_text_check(found[0].message, len, sizeof found[0].message, NULL), LG_OK);
}

/* ---- the repository's sample definitions ---------------------------------------- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long  n;
  if (!f) fail_msg("cannot open %s (tests run in the source tree)", path);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* The sample rubric is clean.  The sample policy is the reference policy
 * (tests/test_reference.c keeps every copy one definition), and its
 * `remind at 100%` (48h) comes after `escalate at 36h`: that one finding
 * is known and expected until the reference itself changes.  The what-if
 * draft differs only in its qualify line. */
static void test_sample_definitions(void **state) {
  static const char *const policies[] = { "examples/policies/inbound.policy",
                                          "examples/policies/inbound-fit9.policy" };
  static const uint32_t    remind_line[] = { 21, 24 };
  size_t                   len, i;
  char                    *rt = slurp("examples/rubrics/b2b.rubric", &len);
  (void)state;
  for (i = 0; i < sizeof policies / sizeof policies[0]; i++) {
    char *pt = slurp(policies[i], &len);
    expect_only(lint_texts(rt, pt), LG_SEVERITY_WARNING, 1, remind_line[i], "unreachable-step");
    assert_string_equal(found[0].message, "remind at 100% never fires: escalate at 36h is "
                                          "reached no later and is more severe");
    free(pt);
  }
  expect_none(lint_texts(rt, NULL));
  free(rt);
}

/* ---- budget: pathological texts stay bounded -------------------------------- */

/* 256 when lines of 100 distinct numbers each: the pairwise check would
 * take ~3e8 steps; it stops at the budget, and nothing is claimed. */
static void test_budget(void **state) {
  size_t cap = 256 * 100 * 8 + 64, len = 0, n;
  char  *text = malloc(cap);
  int    w, k;
  (void)state;
  assert_non_null(text);
  len += (size_t)snprintf(text + len, cap - len, "fit \"x\" from x\n");
  for (w = 0; w < 256; w++) {
    len += (size_t)snprintf(text + len, cap - len, "  when");
    for (k = 0; k < 100; k++)
      len += (size_t)snprintf(text + len, cap - len, "%s %d", k ? "," : "", w * 100 + k);
    len += (size_t)snprintf(text + len, cap - len, " -> 1\n");
  }
  n = lint_texts(text, NULL);
  expect_none(n);
  free(text);
}

/* ---- soundness: no lead contradicts a finding --------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static int      pick(int n) {
       rng = rng * 6364136223846793005u + 1442695040888963407u;
       return (int)((rng >> 33) % (uint64_t)n);
}

static const char *const words[] = { "\"a\"", "\"b\"", "\"c\"" };

/* A random comparison or lead atom. */
static void random_atom(char *b, size_t cap) {
  static const char *const sides[] = { "fit", "engagement", "total" };
  static const char *const ops[] = { "<", "<=", ">", ">=", "=", "!=" };
  switch (pick(5)) {
  case 0:
  case 1:
  case 2: snprintf(b, cap, "%s %s %d", sides[pick(3)], ops[pick(6)], pick(30) - 8); break;
  case 3: snprintf(b, cap, "%s", pick(2) ? "event e0 within 1d" : "attr a1 is \"a\""); break;
  default:
    snprintf(b, cap, "%s",
             pick(2)   ? "knockout"
             : pick(2) ? "knockout \"k0\""
                       : "knockout \"nope\"");
    break;
  }
}

static void random_expr(char *b, size_t cap, int depth) {
  char x[160], y[160];
  int  form = depth > 1 ? 0 : pick(4);
  random_atom(x, sizeof x);
  if (form == 0) {
    snprintf(b, cap, "%s", x);
    return;
  }
  random_expr(y, sizeof y, depth + 1);
  snprintf(b, cap, form == 1 ? "%s and %s" : form == 2 ? "(%s or %s)" : "not (%s and %s)", x, y);
}

static void random_rubric(char *b, size_t cap) {
  size_t len = 0;
  int    c, w, n_fit = 1 + pick(3), n_eng = pick(3);
  for (c = 0; c < n_fit; c++) {
    int n_when = 1 + pick(4);
    len += (size_t)snprintf(b + len, cap - len, "fit \"f%d\" from a%d\n", c, pick(3));
    for (w = 0; w < n_when; w++) {
      switch (pick(4)) {
      case 0: len += (size_t)snprintf(b + len, cap - len, "  when %s", words[pick(3)]); break;
      case 1:
        len += (size_t)snprintf(b + len, cap - len, "  when %d..%d", pick(6), 5 + pick(6));
        break;
      case 2:
        len += (size_t)snprintf(b + len, cap - len, "  when %s %d", pick(2) ? "<" : ">=", pick(10));
        break;
      default:
        len += (size_t)snprintf(b + len, cap - len, "  when %s", pick(2) ? "true" : "!= 4");
        break;
      }
      len += (size_t)snprintf(b + len, cap - len, " -> %d\n", pick(9) - 3);
    }
    if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "  otherwise -> %d\n", pick(5) - 2);
    if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "  missing -> %d\n", pick(5) - 2);
  }
  for (c = 0; c < n_eng; c++)
    len += (size_t)snprintf(b + len, cap - len, "engagement \"g%d\" on e%d -> %d%s%s\n", c, c,
                            pick(16) - 5, pick(2) ? " each" : "", pick(2) ? " max 7" : "");
  if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "knockout \"k0\" when a0 is \"c\"\n");
}

/* A condition of a follow-up rule: lead atoms only. */
static void random_tier_cond(char *b, size_t cap, int depth) {
  static const char *const atoms[] = { "event e0 within 1h", "event e0 within 1d",
                                       "event e0 within 3d", "event e1 within 1d",
                                       "attr a1 is \"a\"",   "missing a1" };
  char                     x[200];
  int                      form = depth > 1 ? 0 : pick(5);
  if (form == 0 || form == 4) {
    snprintf(b, cap, "%s%s", form == 4 ? "not " : "", atoms[pick(6)]);
    return;
  }
  random_tier_cond(x, sizeof x, depth + 1);
  snprintf(b, cap,
           form == 1   ? "%s and %s"
           : form == 2 ? "%s or %s"
                       : "not (%s or %s)",
           atoms[pick(6)], x);
}

static void random_policy(char *b, size_t cap) {
  char   e[512];
  size_t len = 0;
  int    g, n_grades = pick(4);
  random_expr(e, sizeof e, 0);
  len += (size_t)snprintf(b + len, cap - len, "qualify when %s\n", e);
  for (g = 0; g < n_grades; g++) {
    random_expr(e, sizeof e, 0);
    len += (size_t)snprintf(b + len, cap - len, "grade \"G%d\" when %s\n", g, e);
  }
  if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "grade \"Z\"\n");
  for (g = pick(4); g > 0; g--) {
    random_tier_cond(e, sizeof e, 0);
    len += (size_t)snprintf(b + len, cap - len, "follow-up within 2h when %s\n", e);
  }
  len += (size_t)snprintf(b + len, cap - len, "follow-up within %dh\n", 10 + pick(40));
  if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "  warn at %d%%\n", pick(3) * 40);
  if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "  remind at %dh\n", pick(60));
  if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "  escalate at %d%%\n", pick(150));
  if (pick(2))
    len += (size_t)snprintf(b + len, cap - len, "  reassign at %dh max %d\n", pick(60), pick(2));
  if (pick(2)) len += (size_t)snprintf(b + len, cap - len, "  recycle at %dh\n", pick(80));
}

#define N_LEADS 300
#define NOW     INT64_C(1000000000)

static lg_lead *random_lead(void) {
  lg_lead *l = NULL;
  int      i, n;
  char     name[8];
  assert_int_equal(lg_lead_create("L", &l), LG_OK);
  for (i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "a%d", i);
    switch (pick(4)) {
    case 0: break; /* missing */
    case 1:
      assert_int_equal(lg_lead_set_text(l, name, pick(2) ? "A" : pick(2) ? "b" : "c"), LG_OK);
      break;
    case 2: assert_int_equal(lg_lead_set_bool(l, name, pick(2)), LG_OK); break;
    default: assert_int_equal(lg_lead_set_int(l, name, pick(16) - 2), LG_OK); break;
    }
  }
  for (i = 0; i < 2; i++) {
    snprintf(name, sizeof name, "e%d", i);
    for (n = pick(4) ? pick(3) : pick(14); n > 0; n--)
      assert_int_equal(lg_lead_add_event(l, name, NOW - pick(3 * 86400)), LG_OK);
  }
  return l;
}

/* The index of the first when line of fit criterion c the lead's value
 * matches, or -1. */
static int first_when(const lg__crit *c, const lg_lead *lead) {
  const lg__attr *a = lg__lead_find_attr(lead, c->attr, c->attr_len);
  uint32_t        w;
  if (!a) return -1;
  for (w = 0; w < c->n_whens; w++)
    if (lg__match_list_test(&c->whens[w].list, lead, a)) return (int)w;
  return -1;
}

/* Every finding is checked against the library on N_LEADS random leads
 * (qualify rule and grades through lg__expr_eval / lg_decide, when lines
 * by matching, steps through lg_sla_eval at every minute of the ladder). */
static void check_claims(const lg_rubric *r, const lg_policy *p, lg_lead **leads,
                         const lg_finding *f, size_t n) {
  size_t i, k;
  for (i = 0; i < n; i++) {
    for (k = 0; k < N_LEADS; k++) {
      lg_score     sc;
      lg_decision  d;
      lg__expr_ctx ctx;
      uint32_t     j;
      assert_int_equal(lg_score_lead(r, leads[k], NOW, &sc), LG_OK);
      assert_int_equal(lg_decide(r, p, leads[k], NOW, &d), LG_OK);
      ctx.rubric = r;
      ctx.score = &sc;
      ctx.lead = leads[k];
      ctx.now = NOW;
      if (strcmp(f[i].code, "unreachable-qualify") == 0)
        assert_false(lg__expr_eval(&p->qualify, &ctx));
      if (strcmp(f[i].code, "always-qualify") == 0) assert_true(lg__expr_eval(&p->qualify, &ctx));
      if (strcmp(f[i].code, "unreachable-grade") == 0)
        for (j = 0; j < p->n_grades; j++)
          if (p->grades[j].line == f[i].line) assert_string_not_equal(d.grade, p->grades[j].name);
      if (strcmp(f[i].code, "unreachable-when") == 0)
        for (j = 0; j < r->n_crits; j++) {
          int w = r->crits[j].kind == LG_KIND_FIT ? first_when(&r->crits[j], leads[k]) : -1;
          if (w >= 0) assert_int_not_equal(r->crits[j].whens[w].line, f[i].line);
        }
    }
    if (strcmp(f[i].code, "shadowed-tier") == 0) {
      uint32_t t, idx = UINT32_MAX;
      for (t = 0; t < lg__policy_followup_count(p); t++)
        if (lg__policy_followup_at(p, t)->line == f[i].line) idx = t;
      assert_true(idx != UINT32_MAX);
      for (k = 0; k < N_LEADS; k++) {
        lg_lead      *l = NULL;
        lg_sla_status st;
        assert_int_equal(lg_lead_clone(leads[k], &l), LG_OK);
        assert_int_equal(lg_lead_assign(l, "rep", NOW), LG_OK);
        assert_int_equal(lg_sla_eval(p, l, NOW, &st), LG_OK);
        assert_int_not_equal(st.tier, (int32_t)idx);
        lg_lead_free(l);
      }
    }
    if (strcmp(f[i].code, "unreachable-step") == 0) {
      int32_t  action = -1, tier = -1;
      uint32_t j, m, asg, t;
      for (t = 0; t < lg__policy_followup_count(p); t++)
        for (j = 0; j < lg__policy_followup_at(p, t)->n_steps; j++)
          if (lg__policy_followup_at(p, t)->steps[j].line == f[i].line) {
            action = lg__policy_followup_at(p, t)->steps[j].action;
            tier = (int32_t)t;
          }
      assert_true(action > 0);
      /* first and third assignments: reassign turns into recycle at max;
       * a lead with no attributes or events, when that selects the tier */
      for (asg = 1; asg <= 3; asg += 2) {
        lg_lead *l = NULL;
        assert_int_equal(lg_lead_create("S", &l), LG_OK);
        for (j = 0; j < asg; j++) assert_int_equal(lg_lead_assign(l, "rep", (lg_time)j), LG_OK);
        for (m = 0; m <= 200 * 60; m++) {
          lg_sla_status st;
          assert_int_equal(lg_sla_eval(p, l, (lg_time)(asg - 1) + (lg_time)m * 60, &st), LG_OK);
          if (st.tier != tier) break;
          assert_int_not_equal(st.action, action);
        }
        lg_lead_free(l);
      }
    }
  }
}

static void test_findings_hold_for_every_lead(void **state) {
  lg_lead *leads[N_LEADS];
  char     rt[4096], pt[4096];
  int      round, k;
  size_t   claims = 0;
  (void)state;
  for (k = 0; k < N_LEADS; k++) leads[k] = random_lead();
  for (round = 0; round < 300; round++) {
    lg_rubric *r;
    lg_policy *p;
    size_t     n = 0;
    random_rubric(rt, sizeof rt);
    random_policy(pt, sizeof pt);
    r = rubric_of(rt);
    p = policy_of(pt);
    assert_int_equal(lg_lint(r, p, found, MAX_FOUND, &n), LG_OK);
    check_claims(r, p, leads, found, n);
    claims += n;
    lg_policy_free(p);
    lg_rubric_free(r);
  }
  for (k = 0; k < N_LEADS; k++) lg_lead_free(leads[k]);
  /* the generator does make claims to check */
  assert_true(claims > 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_unreachable_qualify, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_qualify_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_qualify_policy_alone, setup, teardown),
    cmocka_unit_test_setup_teardown(test_always_qualify, setup, teardown),
    cmocka_unit_test_setup_teardown(test_always_qualify_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_grade, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_grade_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_when, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_when_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_max_below_points, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_knockout, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unscored_event, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_step, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unreachable_step_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_warn_at_zero, setup, teardown),
    cmocka_unit_test_setup_teardown(test_shadowed_tier, setup, teardown),
    cmocka_unit_test_setup_teardown(test_shadowed_tier_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_order_rubric_then_policy_by_line, setup, teardown),
    cmocka_unit_test_setup_teardown(test_buffer_contract, setup, teardown),
    cmocka_unit_test_setup_teardown(test_arguments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_message_cut_at_utf8_boundary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sample_definitions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
    cmocka_unit_test_setup_teardown(test_findings_hold_for_every_lead, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
