/*
 * test_rubric.c - the rubric text format (lib/rubric.c): parsing, the
 * canonical print and its fixed point, fingerprints, error positions and
 * messages, limits, the to_text buffer contract, allocation failure at
 * every point, and the knockout look-ups policies use.
 *
 * Expected canonical texts and positions are written by hand; the
 * fingerprint is checked against an FNV-1a computed here.
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

/* ---- helpers ------------------------------------------------------------- */

static lg_rubric *parse_ok(const char *text) {
  lg_rubric *r = NULL;
  lg_error   err;
  lg_status  st = lg_rubric_parse(text, strlen(text), &r, &err);
  if (st != LG_OK)
    fail_msg("parse failed: %s at %u:%u: %s\n%s", lg_status_name(st), err.line, err.column,
             err.message, text);
  assert_int_equal(err.status, LG_OK);
  assert_int_equal(err.line, 0);
  assert_string_equal(err.message, "");
  return r;
}

/* The canonical text, malloc'ed. */
static char *canonical(const lg_rubric *r) {
  size_t need = 0;
  char  *out;
  assert_int_equal(lg_rubric_to_text(r, NULL, 0, &need), LG_ERR_BUFFER);
  out = malloc(need);
  assert_non_null(out);
  assert_int_equal(lg_rubric_to_text(r, out, need, &need), LG_OK);
  assert_int_equal(strlen(out) + 1, need);
  return out;
}

/* parse -> print -> parse -> print gives the same text and fingerprint;
 * returns the canonical text (malloc'ed). */
static char *fixed_point(const char *text) {
  lg_rubric *a = parse_ok(text), *b;
  char      *ta = canonical(a), *tb;
  b = parse_ok(ta);
  tb = canonical(b);
  assert_string_equal(ta, tb);
  assert_true(lg_rubric_fingerprint(a) == lg_rubric_fingerprint(b));
  assert_true(lg_rubric_max_fit(a) == lg_rubric_max_fit(b));
  assert_string_equal(lg_rubric_name(a), lg_rubric_name(b));
  free(tb);
  lg_rubric_free(a);
  lg_rubric_free(b);
  return ta;
}

static void expect_canonical(const char *text, const char *want) {
  char *got = fixed_point(text);
  assert_string_equal(got, want);
  free(got);
}

static uint64_t fnv1a64(const char *s) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

static uint64_t fingerprint_of(const char *text) {
  lg_rubric *r = parse_ok(text);
  uint64_t   f = lg_rubric_fingerprint(r);
  lg_rubric_free(r);
  return f;
}

/* Parses `len` bytes expecting failure at line:col with `word` in the
 * message; *out must stay untouched. */
static void expect_error_n(const char *text, size_t len, lg_status st, uint32_t line,
                           uint32_t col, const char *word) {
  lg_rubric *sentinel = (lg_rubric *)(uintptr_t)0x1234, *r = sentinel;
  lg_error   err;
  lg_status  got = lg_rubric_parse(text, len, &r, &err);
  if (got != st || err.line != line || err.column != col || !strstr(err.message, word))
    fail_msg("for %s\n got %s at %u:%u '%s'\nwant %s at %u:%u with '%s'", text,
             lg_status_name(got), err.line, err.column, err.message, lg_status_name(st), line,
             col, word);
  assert_int_equal(err.status, st);
  assert_true(r == sentinel);
}

static void expect_error(const char *text, lg_status st, uint32_t line, uint32_t col,
                         const char *word) {
  expect_error_n(text, strlen(text), st, line, col, word);
}

/* ---- the reference example ----------------------------------------------- */

static const char example_canonical[] =
  "rubric \"b2b-default\"\n"
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
  "fit \"profile\" from industry\n"
  "  when \"software\", \"saas\" -> 3\n"
  "  otherwise -> 1\n"
  "engagement \"demo request\" on demo_requested -> 25 expire 30d\n"
  "engagement \"content\" on content_download -> 2 each max 10 half-life 2w\n"
  "engagement \"webinar\" on webinar_attended -> 5 each half-life 30d\n"
  "engagement \"unsubscribed\" on unsubscribed -> -20\n"
  "knockout \"not a buyer\" when persona is \"student\", \"consultant\", \"competitor\"\n"
  "knockout \"too small\" when employees is < 10\n";

static void the_reference_example_parses_to_the_expected_canonical_text(void **state) {
  lg_rubric *r;
  char      *text;
  (void)state;
  r = parse_ok(lg_example_rubric);
  text = canonical(r);
  assert_string_equal(text, example_canonical);
  assert_string_equal(lg_rubric_name(r), "b2b-default");
  assert_int_equal(lg_rubric_max_fit(r), 12000);
  assert_true(lg_rubric_fingerprint(r) == fnv1a64(example_canonical));
  free(text);
  lg_rubric_free(r);
  free(fixed_point(lg_example_rubric));
}

static void canonical_text_normalises_numbers_durations_and_defaults(void **state) {
  (void)state;
  expect_canonical("# leading comment\n"
                   "\tfit   \"a \\\"b\\\" \\\\ c\"   from   x1   # trailing\r\n"
                   "      when 1.50 , 2..2.5, != 7 -> 2.500\r\n"
                   "  when = 5,>= -1.25, true,false -> +3\n"
                   "  missing -> -1\n"
                   "  otherwise -> 0\n"
                   "engagement \"e1\" on ev -> 0.001 half-life 14d max 10 each\n"
                   "engagement \"e2\" on ev -> 1 once expire 48h\n"
                   "engagement \"e3\" on ev -> -2 linear 90m\n"
                   "engagement \"e4\" on ev -> 3 once half-life 3600s\n"
                   "engagement \"e5\" on ev -> 3 each max 0.5 expire 1w\n"
                   "knockout \"k\" when x1 is 1..3, \"A\", false\n",
                   "fit \"a \\\"b\\\" \\\\ c\" from x1\n"
                   "  when 1.5, 2..2.5, != 7 -> 2.5\n"
                   "  when 5, >= -1.25, true, false -> 3\n"
                   "  missing -> -1\n"
                   "engagement \"e1\" on ev -> 0.001 each max 10 half-life 2w\n"
                   "engagement \"e2\" on ev -> 1 expire 2d\n"
                   "engagement \"e3\" on ev -> -2 linear 90m\n"
                   "engagement \"e4\" on ev -> 3 half-life 1h\n"
                   "engagement \"e5\" on ev -> 3 each max 0.5 expire 1w\n"
                   "knockout \"k\" when x1 is 1..3, \"A\", false\n");
}

static void empty_and_name_only_rubrics_are_valid(void **state) {
  lg_rubric *r;
  size_t     need = 0;
  (void)state;
  expect_canonical("", "");
  expect_canonical("# only a comment\n\n   \n", "");
  expect_canonical("rubric \"x\"", "rubric \"x\"\n");
  r = parse_ok("\n# nothing\n");
  assert_string_equal(lg_rubric_name(r), "");
  assert_int_equal(lg_rubric_max_fit(r), 0);
  assert_true(lg_rubric_fingerprint(r) == UINT64_C(0xcbf29ce484222325)); /* FNV of "" */
  assert_int_equal(lg_rubric_to_text(r, NULL, 0, &need), LG_ERR_BUFFER);
  assert_int_equal(need, 1);
  lg_rubric_free(r);
}

static void criteria_keep_text_order_and_names_may_be_any_utf8(void **state) {
  (void)state;
  expect_canonical("knockout \"k\" when a is 1\n"
                   "engagement \"é — ü\" on e -> 1\n"
                   "fit \"f\" from a\n"
                   "fit \"g\" from b\n"
                   "  otherwise -> 2\n",
                   "knockout \"k\" when a is 1\n"
                   "engagement \"é — ü\" on e -> 1\n"
                   "fit \"f\" from a\n"
                   "fit \"g\" from b\n"
                   "  otherwise -> 2\n");
}

static void max_fit_sums_each_fit_criterions_best_outcome(void **state) {
  lg_rubric *r;
  (void)state;
  r = parse_ok("fit \"a\" from a\n  when 1 -> 2\n  when 2 -> 5\n"   /* 5 */
               "fit \"b\" from b\n  when 1 -> -2\n  otherwise -> -1\n" /* 0: missing */
               "fit \"c\" from c\n  when 1 -> -2\n  otherwise -> -1\n  missing -> -3\n" /* -1 */
               "fit \"d\" from d\n  missing -> 4\n"                    /* 4 */
               "engagement \"e\" on e -> 100\n");
  assert_int_equal(lg_rubric_max_fit(r), 5000 + 0 - 1000 + 4000);
  lg_rubric_free(r);
}

/* ---- fingerprints ---------------------------------------------------------- */

static const char fp_base[] =
  "rubric \"r\"\n"
  "fit \"need\" from need\n"
  "  when \"high\" -> 3\n"
  "  when \"low\" -> 1\n"
  "engagement \"demo\" on demo -> 25 expire 30d\n"
  "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
  "knockout \"ko\" when employees is < 10\n";

static void fingerprints_ignore_comments_spacing_and_spelling(void **state) {
  static const char *const same[] = {
    "# a comment first\n"
    "rubric   \"r\"   # the name\n\n"
    "fit \"need\" from need\n"
    "when \"high\" -> 3.000\n"
    "        when \"low\"->1\n"
    "\n"
    "engagement \"demo\" on demo -> 25 once expire 720h\n"
    "engagement \"content\" on dl -> 2.0 half-life 2w max 10 each\n"
    "knockout \"ko\" when employees is <10\n",
    "rubric \"r\"\r\nfit \"need\" from need\r\n\twhen \"high\" -> +3\r\n\twhen \"low\" -> 1\r\n"
    "  otherwise -> 0\n  missing -> 0\n"
    "engagement \"demo\" on demo -> 25 expire 2592000s\n"
    "engagement \"content\" on dl -> 2 each max 10.00 half-life 336h\n"
    "knockout \"ko\" when employees is < 10 # small\n",
  };
  uint64_t base = fingerprint_of(fp_base);
  size_t   i;
  (void)state;
  for (i = 0; i < sizeof same / sizeof same[0]; i++) {
    char *t = fixed_point(same[i]);
    assert_true(fingerprint_of(same[i]) == base);
    free(t);
  }
}

static void every_semantic_change_changes_the_fingerprint(void **state) {
  static const char *const variants[] = {
    fp_base,
    /* rubric name */
    "rubric \"s\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* no rubric name */
    "fit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* criterion name */
    "rubric \"r\"\nfit \"Need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* attribute */
    "rubric \"r\"\nfit \"need\" from needs\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* match text */
    "rubric \"r\"\nfit \"need\" from need\n  when \"High\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* when points */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3.001\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* when order */
    "rubric \"r\"\nfit \"need\" from need\n  when \"low\" -> 1\n  when \"high\" -> 3\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* otherwise */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "  otherwise -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* missing */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "  missing -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* event points */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 24 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* decay kind */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 linear 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* decay span */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 31d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* no decay */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* once instead of each */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* max */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 11 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* no max */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* event type */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo2 -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* knockout comparison */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is <= 10\n",
    /* criteria order */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "knockout \"ko\" when employees is < 10\n",
    /* one more match item */
    "rubric \"r\"\nfit \"need\" from need\n  when \"high\", \"top\" -> 3\n  when \"low\" -> 1\n"
    "engagement \"demo\" on demo -> 25 expire 30d\n"
    "engagement \"content\" on dl -> 2 each max 10 half-life 14d\n"
    "knockout \"ko\" when employees is < 10\n",
  };
  enum { N = sizeof variants / sizeof variants[0] };
  uint64_t fp[N];
  size_t   i, j;
  (void)state;
  for (i = 0; i < N; i++) {
    free(fixed_point(variants[i]));
    fp[i] = fingerprint_of(variants[i]);
  }
  for (i = 0; i < N; i++)
    for (j = i + 1; j < N; j++)
      if (fp[i] == fp[j]) fail_msg("variants %u and %u share a fingerprint", (unsigned)i,
                                   (unsigned)j);
}

/* ---- errors -------------------------------------------------------------- */

static void malformed_rubrics_report_status_line_column_and_reason(void **state) {
  static const struct {
    const char *text;
    lg_status   st;
    uint32_t    line, col;
    const char *word;
  } cases[] = {
    {"fit \"need\" from need\n  when \"high\" 3\n", LG_ERR_SYNTAX, 2, 15,
     "expected '->' after match list"},
    {"fit \"need\" from Need\n", LG_ERR_SYNTAX, 1, 17,
     "unknown attribute name 'Need': names are lower case"},
    {"fit \"need\" from need\nengagement \"need\" on x -> 1\n", LG_ERR_SYNTAX, 2, 12,
     "duplicate criterion \"need\""},
    {"when \"x\" -> 1\n", LG_ERR_SYNTAX, 1, 1, "'when' outside a fit criterion"},
    {"engagement \"e\" on x -> 1\n  when \"a\" -> 1\n", LG_ERR_SYNTAX, 2, 3,
     "'when' outside a fit criterion"},
    {"knockout \"k\" when a is 1\n  otherwise -> 1\n", LG_ERR_SYNTAX, 2, 3,
     "'otherwise' outside a fit criterion"},
    {"missing -> 1\n", LG_ERR_SYNTAX, 1, 1, "'missing' outside a fit criterion"},
    {"fit \"a\" from a\n  otherwise -> 1\n  otherwise -> 2\n", LG_ERR_SYNTAX, 3, 3,
     "duplicate 'otherwise'"},
    {"fit \"a\" from a\n  missing -> 1\n  otherwise -> 0\n  missing -> 2\n", LG_ERR_SYNTAX,
     4, 3, "duplicate 'missing'"},
    {"fit \"a\" from a\n  otherwise -> 1\n  when \"x\" -> 2\n", LG_ERR_SYNTAX, 3, 3,
     "when lines first"},
    {"fit \"a\" from a\nrubric \"r\"\n", LG_ERR_SYNTAX, 2, 1, "first statement"},
    {"rubric \"a\"\nrubric \"b\"\n", LG_ERR_SYNTAX, 2, 1, "duplicate 'rubric'"},
    {"rubric \"\"\n", LG_ERR_SYNTAX, 1, 8, "must not be empty"},
    {"rubric b2b\n", LG_ERR_SYNTAX, 1, 8, "double quotes"},
    {"fit \"\" from a\n", LG_ERR_SYNTAX, 1, 5, "must not be empty"},
    {"score \"x\"\n", LG_ERR_SYNTAX, 1, 1, "expected a statement"},
    {"# fine\n\nFit \"a\" from a\n", LG_ERR_SYNTAX, 3, 1, "expected a statement"},
    {"fit \"a\" of a\n", LG_ERR_SYNTAX, 1, 9, "expected 'from'"},
    {"engagement \"e\" at x -> 1\n", LG_ERR_SYNTAX, 1, 16, "expected 'on'"},
    {"engagement \"e\" on x 5\n", LG_ERR_SYNTAX, 1, 21, "'->' after the event type"},
    {"engagement \"e\" on x -> 5 weekly\n", LG_ERR_SYNTAX, 1, 26, "expected once, each"},
    {"engagement \"e\" on x -> 5 max 10 max 20\n", LG_ERR_SYNTAX, 1, 33, "duplicate 'max'"},
    {"engagement \"e\" on x -> 5 once each\n", LG_ERR_SYNTAX, 1, 31, "'once' and 'each'"},
    {"engagement \"e\" on x -> 5 expire 30d half-life 14d\n", LG_ERR_SYNTAX, 1, 37,
     "more than one decay"},
    {"engagement \"e\" on x -> 5 half-life 0s\n", LG_ERR_SYNTAX, 1, 36, "longer than 0s"},
    {"engagement \"e\" on x -> 5 max 0\n", LG_ERR_SYNTAX, 1, 30, "max must be positive"},
    {"engagement \"e\" on x -> 5 max -3\n", LG_ERR_SYNTAX, 1, 30, "max must be positive"},
    {"engagement \"e\" on x -> 5 max\n", LG_ERR_SYNTAX, 1, 29, "the max"},
    {"engagement \"e\" on x -> 5 expire 30y\n", LG_ERR_SYNTAX, 1, 35, "unit"},
    {"engagement \"e\" on x -> 5 expire 365001d\n", LG_ERR_RANGE, 1, 33, "1000 years"},
    {"engagement \"e\" on x -> abc\n", LG_ERR_SYNTAX, 1, 24, "expected points"},
    {"engagement \"e\" on Demo -> 1\n", LG_ERR_SYNTAX, 1, 19,
     "unknown event type 'Demo': names are lower case"},
    {"fit \"a\" from a\n  when \"x\" -> 1.2345\n", LG_ERR_SYNTAX, 2, 15, "decimal places"},
    {"fit \"a\" from a\n  when \"x\" -> 1 2\n", LG_ERR_SYNTAX, 2, 17,
     "unexpected '2' after the points"},
    {"fit \"a\" from a\n  otherwise ->\n", LG_ERR_SYNTAX, 2, 15, "expected points"},
    {"fit \"a\" from a\n  missing 0\n", LG_ERR_SYNTAX, 2, 11, "'->' after missing"},
    {"fit \"a\" from a\n  when 6..4 -> 1\n", LG_ERR_SYNTAX, 2, 12, "empty range"},
    {"fit \"a\" from a\n  when -> 1\n", LG_ERR_SYNTAX, 2, 8, "expected a value to match"},
    {"fit \"a\" from a extra\n", LG_ERR_SYNTAX, 1, 16,
     "unexpected 'extra' after the attribute name"},
    {"fit \"café\" from a b\n", LG_ERR_SYNTAX, 1, 19, "unexpected 'b'"},
    {"knockout \"k\" when persona = \"x\"\n", LG_ERR_SYNTAX, 1, 27, "expected 'is'"},
    {"knockout \"k\" persona is \"x\"\n", LG_ERR_SYNTAX, 1, 14, "expected 'when'"},
    {"knockout \"k\" when persona is\n", LG_ERR_SYNTAX, 1, 29, "expected a value to match"},
    {"knockout \"k\" when persona is \"x\" \"y\"\n", LG_ERR_SYNTAX, 1, 34,
     "after the match list"},
    {"fit \"need from need\n", LG_ERR_SYNTAX, 1, 5, "unterminated string"},
    {"rubric \"a\\n\"\n", LG_ERR_SYNTAX, 1, 10, "unknown escape"},
    {"fit \"a\" from a\nfit \"b\" from b\nknockout \"a\" when c is 1\n", LG_ERR_SYNTAX, 3, 10,
     "duplicate criterion \"a\""},
    {"fit \"a\" from "
     "a2345678901234567890123456789012345678901234567890123456789012345\n",
     LG_ERR_LIMIT, 1, 14, "longer than 64"},
  };
  size_t i;
  (void)state;
  assert_true(sizeof cases / sizeof cases[0] >= 30);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect_error(cases[i].text, cases[i].st, cases[i].line, cases[i].col, cases[i].word);
}

static void invalid_utf8_and_nul_bytes_are_syntax_errors_with_position(void **state) {
  static const char nul_text[] = "fit \"a\" from a\n  when \"x\0\" -> 1\n";
  (void)state;
  expect_error("rubric \"a\xff\"\n", LG_ERR_SYNTAX, 1, 10, "UTF-8");
  /* the column counts characters: é is two bytes, one column */
  expect_error("fit \"a\" from a\n  when \"\xc3\xa9\xff\" -> 1\n", LG_ERR_SYNTAX, 2, 10,
               "UTF-8");
  expect_error("fit \"a\" from a # \xc0\xaf overlong\n", LG_ERR_SYNTAX, 1, 18, "UTF-8");
  expect_error_n(nul_text, sizeof nul_text - 1, LG_ERR_SYNTAX, 2, 10, "NUL");
}

static void null_arguments_are_invalid(void **state) {
  lg_rubric *r = NULL;
  lg_error   err;
  (void)state;
  assert_int_equal(lg_rubric_parse(NULL, 0, &r, &err), LG_ERR_INVALID);
  assert_int_equal(err.status, LG_ERR_INVALID);
  assert_int_equal(err.line, 0);
  assert_null(r);
  assert_int_equal(lg_rubric_parse("", 0, NULL, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_rubric_to_text(NULL, NULL, 0, NULL), LG_ERR_INVALID);
  assert_true(lg_rubric_fingerprint(NULL) == 0);
  assert_null(lg_rubric_name(NULL));
  assert_int_equal(lg_rubric_max_fit(NULL), 0);
  lg_rubric_free(NULL);
  /* err may be NULL, and len bounds the text (no NUL needed) */
  assert_int_equal(lg_rubric_parse("rubric \"x\" junk", 10, &r, NULL), LG_OK);
  assert_string_equal(lg_rubric_name(r), "x");
  lg_rubric_free(r);
  r = NULL;
  assert_int_equal(lg_rubric_parse("rubric \"x\" junk", 15, &r, NULL), LG_ERR_SYNTAX);
  assert_null(r);
}

/* ---- limits ---------------------------------------------------------------- */

/* n engagement criteria, or n when lines under one fit. */
static char *many_lines(int n, int whens) {
  size_t cap = (size_t)n * 48 + 64, len = 0;
  char  *t = malloc(cap);
  int    i;
  assert_non_null(t);
  if (whens) len += (size_t)sprintf(t, "fit \"f\" from a\n");
  for (i = 0; i < n; i++)
    len += (size_t)sprintf(t + len, whens ? "  when %d -> 1\n" : "engagement \"c%d\" on e -> 1\n",
                           i);
  return t;
}

static void criteria_and_when_lines_are_limited(void **state) {
  char      *t;
  lg_rubric *r;
  (void)state;
  t = many_lines(1024, 0);
  r = parse_ok(t);
  lg_rubric_free(r);
  free(t);
  t = many_lines(1025, 0);
  expect_error(t, LG_ERR_LIMIT, 1025, 1, "more than 1024 criteria");
  free(t);
  t = many_lines(256, 1);
  free(fixed_point(t));
  free(t);
  t = many_lines(257, 1);
  expect_error(t, LG_ERR_LIMIT, 258, 3, "more than 256 'when' lines");
  free(t);
}

static void points_are_limited_to_one_million(void **state) {
  lg_rubric *r;
  (void)state;
  r = parse_ok("engagement \"e\" on x -> 1000000 max 1000000\n"
               "engagement \"f\" on x -> -1000000\n"
               "fit \"a\" from a\n  when 1 -> 1000000\n  otherwise -> -1000000\n");
  lg_rubric_free(r);
  expect_error("engagement \"e\" on x -> 1000000.001\n", LG_ERR_LIMIT, 1, 24, "limit");
  expect_error("engagement \"e\" on x -> -1000000.001\n", LG_ERR_LIMIT, 1, 24, "limit");
  expect_error("engagement \"e\" on x -> 1 max 1000000.001\n", LG_ERR_LIMIT, 1, 30, "limit");
  expect_error("fit \"a\" from a\n  when 1 -> 1000000.001\n", LG_ERR_LIMIT, 2, 13, "limit");
  expect_error("fit \"a\" from a\n  missing -> -1000000.001\n", LG_ERR_LIMIT, 2, 14,
               "limit");
}

static void text_over_one_mebibyte_is_a_limit_error(void **state) {
  size_t     n = ((size_t)1 << 20) + 1;
  char      *big = malloc(n);
  lg_rubric *r = NULL;
  lg_error   err;
  (void)state;
  assert_non_null(big);
  memset(big, '\n', n);
  assert_int_equal(lg_rubric_parse(big, n, &r, &err), LG_ERR_LIMIT);
  assert_int_equal(err.status, LG_ERR_LIMIT);
  assert_null(r);
  assert_int_equal(lg_rubric_parse(big, n - 1, &r, &err), LG_OK);
  lg_rubric_free(r);
  free(big);
}

/* ---- to_text buffer contract ------------------------------------------------- */

static void to_text_follows_the_snprintf_style_contract(void **state) {
  lg_rubric *r = parse_ok(lg_example_rubric);
  size_t     len = strlen(example_canonical), need = 0;
  char      *buf = malloc(len + 8);
  (void)state;
  assert_non_null(buf);
  assert_int_equal(lg_rubric_to_text(r, NULL, 0, &need), LG_ERR_BUFFER);
  assert_int_equal(need, len + 1);
  assert_int_equal(lg_rubric_to_text(r, NULL, 5, &need), LG_ERR_INVALID);
  /* one byte short: LG_ERR_BUFFER and the buffer is not written */
  memset(buf, 'Z', len + 8);
  need = 0;
  assert_int_equal(lg_rubric_to_text(r, buf, len, &need), LG_ERR_BUFFER);
  assert_int_equal(need, len + 1);
  {
    size_t i;
    for (i = 0; i < len + 8; i++) assert_int_equal(buf[i], 'Z');
  }
  /* exact size */
  need = 0;
  assert_int_equal(lg_rubric_to_text(r, buf, len + 1, &need), LG_OK);
  assert_int_equal(need, len + 1);
  assert_string_equal(buf, example_canonical);
  assert_int_equal(buf[len + 1], 'Z');
  /* needed may be NULL */
  assert_int_equal(lg_rubric_to_text(r, buf, len + 8, NULL), LG_OK);
  assert_string_equal(buf, example_canonical);
  free(buf);
  lg_rubric_free(r);
}

/* ---- allocation failure ---------------------------------------------------- */

static void parse_fails_cleanly_at_every_allocation(void **state) {
  static const char *const texts[] = {
    lg_example_rubric,
    "fit \"a\" from a\n" "  when \"x\", \"y\", \"z\", \"w\", \"v\" -> 1\n"
    "  when 1, 2, 3, 4, 5, 6, 7, 8, 9 -> 2\n  when 3 -> 1\n  when 4 -> 1\n  when 5 -> 1\n"
    "  when 6 -> 1\nknockout \"k\" when a is \"q\"\nknockout \"l\" when b is true\n",
  };
  size_t t;
  (void)state;
  for (t = 0; t < sizeof texts / sizeof texts[0]; t++) {
    int  sticky;
    long n, calls;
    for (sticky = 0; sticky <= 1; sticky++) {
      for (n = 1;; n++) {
        lg_rubric *sentinel = (lg_rubric *)(uintptr_t)0x5678, *r = sentinel;
        lg_error   err;
        lg_status  st;
        ts_alloc_install();
        ts_alloc_fail_at(n, sticky);
        st = lg_rubric_parse(texts[t], strlen(texts[t]), &r, &err);
        calls = ts_alloc_calls();
        if (!ts_alloc_failed()) {
          assert_int_equal(st, LG_OK);
          assert_true(r != sentinel);
          lg_rubric_free(r);
          assert_int_equal(ts_alloc_live_blocks(), 0);
          ts_alloc_restore();
          break;
        }
        assert_int_equal(st, LG_ERR_NOMEM);
        assert_int_equal(err.status, LG_ERR_NOMEM);
        assert_int_equal(err.line, 0);
        assert_true(r == sentinel);
        assert_int_equal(ts_alloc_live_blocks(), 0);
        assert_int_equal(ts_alloc_live_bytes(), 0);
        ts_alloc_restore();
      }
      assert_true(n > 10); /* the sweep really went through the parse */
      (void)calls;
    }
  }
}

/* ---- knockout look-ups for policies ---------------------------------------- */

static void knockouts_are_found_by_name_and_tested_on_leads(void **state) {
  lg_rubric *r = parse_ok(lg_example_rubric);
  lg_lead   *lead = NULL;
  (void)state;
  assert_int_equal(lg__rubric_knockout_find(r, "not a buyer", 11), 0);
  assert_int_equal(lg__rubric_knockout_find(r, "too small", 9), 1);
  assert_int_equal(lg__rubric_knockout_find(r, "too smal", 8), -1);
  assert_int_equal(lg__rubric_knockout_find(r, "need", 4), -1); /* a fit, not a knockout */
  assert_int_equal(lg__rubric_knockout_find(NULL, "x", 1), -1);
  assert_string_equal(lg__rubric_knockout_name(r, 0), "not a buyer");
  assert_string_equal(lg__rubric_knockout_name(r, 1), "too small");
  assert_null(lg__rubric_knockout_name(r, 2));
  assert_null(lg__rubric_knockout_name(r, -1));

  assert_int_equal(lg_lead_create("k", &lead), LG_OK);
  assert_int_equal(lg__rubric_knockout_hit(r, 0, lead), 0); /* absent: no hit */
  assert_int_equal(lg__rubric_knockout_hit(r, 1, lead), 0);
  assert_int_equal(lg_lead_set_text(lead, "persona", "Consultant"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "employees", 10), LG_OK);
  assert_int_equal(lg__rubric_knockout_hit(r, 0, lead), 1);
  assert_int_equal(lg__rubric_knockout_hit(r, 1, lead), 0);
  assert_int_equal(lg_lead_set_int(lead, "employees", 9), LG_OK);
  assert_int_equal(lg__rubric_knockout_hit(r, 1, lead), 1);
  assert_int_equal(lg_lead_set_text(lead, "employees", "9"), LG_OK); /* wrong type */
  assert_int_equal(lg__rubric_knockout_hit(r, 1, lead), 0);
  assert_int_equal(lg__rubric_knockout_hit(r, 2, lead), 0);
  assert_int_equal(lg__rubric_knockout_hit(r, -1, lead), 0);
  lg_lead_free(lead);
  lg_rubric_free(r);
}

/* "arjtra" and "ahikxw" have the same length and the same FNV-1a 32 hash
 * (0x4adccb61), so they land in the same slot of the parser's hash set:
 * as criterion names they are still two names, and as attributes two
 * groups (arjtra: 3 + 1, ahikxw: 2), not one. */
static void names_with_colliding_hashes_stay_apart(void **state) {
  lg_rubric  *r;
  lg_lead    *lead = NULL;
  const char *attr = NULL;
  lg_points   gain = 0;
  lg_score    s;
  (void)state;
  assert_true(lg__name_hash("arjtra", 6) == 0x4adccb61u);
  assert_true(lg__name_hash("ahikxw", 6) == 0x4adccb61u);
  r = parse_ok("fit \"arjtra\" from arjtra\n  when \"x\" -> 3\n"
               "fit \"ahikxw\" from ahikxw\n  when \"y\" -> 2\n"
               "fit \"c\" from arjtra\n  when \"z\" -> 1\n");
  assert_int_equal(lg_rubric_max_fit(r), 6000);
  expect_error("fit \"arjtra\" from a\nfit \"ahikxw\" from b\nfit \"arjtra\" from c\n",
               LG_ERR_SYNTAX, 3, 5, "duplicate criterion \"arjtra\"");
  assert_int_equal(lg_lead_create("h", &lead), LG_OK);
  assert_int_equal(lg_next_question(r, lead, &attr, &gain), LG_OK);
  assert_string_equal(attr, "arjtra");
  assert_int_equal(gain, 4000);
  assert_int_equal(lg_lead_set_text(lead, "arjtra", "x"), LG_OK);
  assert_int_equal(lg_next_question(r, lead, &attr, &gain), LG_OK);
  assert_string_equal(attr, "ahikxw");
  assert_int_equal(gain, 2000);
  assert_int_equal(lg_score_lead(r, lead, 0, &s), LG_OK);
  assert_int_equal(s.fit, 3000); /* x: 3 from the first, 0 from "c" */
  assert_int_equal(s.missing_count, 1);
  assert_int_equal(lg_lead_set_text(lead, "ahikxw", "y"), LG_OK);
  assert_int_equal(lg_next_question(r, lead, &attr, &gain), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_score_lead(r, lead, 0, &s), LG_OK);
  assert_int_equal(s.fit, 5000);
  assert_int_equal(s.missing_count, 0);
  lg_lead_free(lead);
  lg_rubric_free(r);

  /* "need" and "abzo" share the low 11 bits of their hashes (a slot of the
   * set) but not the hash; "nkohz" and "aaaaga" share the whole hash
   * (0x910d0681) but not the length.  Four groups: need 1 + 1, abzo 2,
   * nkohz 3, aaaaga 5, asked for by gain, ties in rubric order. */
  assert_true((lg__name_hash("need", 4) & 2047u) == (lg__name_hash("abzo", 4) & 2047u));
  assert_true(lg__name_hash("need", 4) != lg__name_hash("abzo", 4));
  assert_true(lg__name_hash("nkohz", 5) == 0x910d0681u);
  assert_true(lg__name_hash("aaaaga", 6) == 0x910d0681u);
  r = parse_ok("fit \"p\" from need\n  when 1 -> 1\n"
               "fit \"q\" from abzo\n  when 1 -> 2\n"
               "fit \"r\" from nkohz\n  when 1 -> 3\n"
               "fit \"s\" from aaaaga\n  when 1 -> 5\n"
               "fit \"t\" from need\n  when 2 -> 1\n");
  assert_int_equal(lg_lead_create("g", &lead), LG_OK);
  {
    static const char *const order[] = {"aaaaga", "nkohz", "need", "abzo"};
    static const lg_points   gains[] = {5000, 3000, 2000, 2000};
    size_t                   i;
    for (i = 0; i < 4; i++) {
      assert_int_equal(lg_next_question(r, lead, &attr, &gain), LG_OK);
      assert_string_equal(attr, order[i]);
      assert_int_equal(gain, gains[i]);
      assert_int_equal(lg_lead_set_int(lead, order[i], 1), LG_OK);
    }
  }
  assert_int_equal(lg_next_question(r, lead, &attr, &gain), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_score_lead(r, lead, 0, &s), LG_OK);
  assert_int_equal(s.fit, 11000); /* 1 + 2 + 3 + 5, and 0 from "t" (need is 1, not 2) */
  lg_lead_free(lead);
  lg_rubric_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_reference_example_parses_to_the_expected_canonical_text),
    cmocka_unit_test(canonical_text_normalises_numbers_durations_and_defaults),
    cmocka_unit_test(empty_and_name_only_rubrics_are_valid),
    cmocka_unit_test(criteria_keep_text_order_and_names_may_be_any_utf8),
    cmocka_unit_test(max_fit_sums_each_fit_criterions_best_outcome),
    cmocka_unit_test(fingerprints_ignore_comments_spacing_and_spelling),
    cmocka_unit_test(every_semantic_change_changes_the_fingerprint),
    cmocka_unit_test(malformed_rubrics_report_status_line_column_and_reason),
    cmocka_unit_test(invalid_utf8_and_nul_bytes_are_syntax_errors_with_position),
    cmocka_unit_test(null_arguments_are_invalid),
    cmocka_unit_test(criteria_and_when_lines_are_limited),
    cmocka_unit_test(points_are_limited_to_one_million),
    cmocka_unit_test(text_over_one_mebibyte_is_a_limit_error),
    cmocka_unit_test(to_text_follows_the_snprintf_style_contract),
    cmocka_unit_test(parse_fails_cleanly_at_every_allocation),
    cmocka_unit_test(knockouts_are_found_by_name_and_tested_on_leads),
    cmocka_unit_test(names_with_colliding_hashes_stay_apart),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
