/*
 * test_policy.c - the policy text format (lib/policy.c, lib/expr.c):
 * canonical printing of the reference policy, print/parse fixed points,
 * fingerprints, operator precedence and minimal parentheses, every error
 * with its position, the nesting and grade limits, the to_text buffer
 * contract, failure at every allocation point, and what the SLA and
 * routing modules read (lg__policy_followup, lg__policy_route).
 *
 * Every test runs under the counting allocator of support.h and must end
 * with no live block (see teardown).
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

static lg_policy *parse_ok(const char *text) {
  lg_policy *p = NULL;
  lg_error   err;
  lg_status  st = lg_policy_parse(text, strlen(text), &p, &err);
  if (st != LG_OK)
    fail_msg("policy did not parse: %s at %u:%u: %s\n%s", lg_status_name(st),
             (unsigned)err.line, (unsigned)err.column, err.message, text);
  assert_non_null(p);
  assert_int_equal(err.status, LG_OK);
  assert_int_equal(err.line, 0);
  assert_string_equal(err.message, "");
  return p;
}

/* The canonical text in a malloc'd string (plain malloc: not counted). */
static char *to_text(const lg_policy *p) {
  size_t need = 0;
  char  *buf;
  assert_int_equal(lg_policy_to_text(p, NULL, 0, &need), LG_ERR_BUFFER);
  buf = malloc(need);
  assert_non_null(buf);
  assert_int_equal(lg_policy_to_text(p, buf, need, &need), LG_OK);
  assert_int_equal(strlen(buf) + 1, need);
  return buf;
}

static char *canonical(const char *text) {
  lg_policy *p = parse_ok(text);
  char      *t = to_text(p);
  lg_policy_free(p);
  return t;
}

static uint64_t fingerprint(const char *text) {
  lg_policy *p = parse_ok(text);
  uint64_t   f = lg_policy_fingerprint(p);
  lg_policy_free(p);
  return f;
}

/* FNV-1a 64, written out here so the fingerprint is checked against the
 * documented definition rather than the library's own helper. */
static uint64_t fnv1a(const char *s) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* parse -> print -> parse -> print gives the same text and fingerprint. */
static void assert_fixed_point(const char *text) {
  lg_policy *a = parse_ok(text), *b;
  char      *ta = to_text(a), *tb;
  b = parse_ok(ta);
  tb = to_text(b);
  assert_string_equal(ta, tb);
  assert_true(lg_policy_fingerprint(a) == lg_policy_fingerprint(b));
  assert_true(lg_policy_fingerprint(a) == fnv1a(ta));
  free(ta);
  free(tb);
  lg_policy_free(a);
  lg_policy_free(b);
}

/* The canonical expression of `qualify when <expr>`. */
static void assert_expr_prints(const char *expr, const char *want) {
  char  text[1024], expect[1024];
  char *got;
  snprintf(text, sizeof text, "qualify when %s\n", expr);
  snprintf(expect, sizeof expect, "disqualify when knockout\nqualify when %s\nroute least-loaded\n",
           want);
  got = canonical(text);
  assert_string_equal(got, expect);
  free(got);
  assert_fixed_point(text);
}

static void assert_error(const char *text, lg_status status, uint32_t line, uint32_t column) {
  lg_policy *sentinel = (lg_policy *)(uintptr_t)0x1234, *p = sentinel;
  lg_error   err;
  lg_status  st = lg_policy_parse(text, strlen(text), &p, &err);
  if (st != status || err.line != line || err.column != column)
    fail_msg("%s\n  want %s at %u:%u, got %s at %u:%u: %s", text, lg_status_name(status),
             (unsigned)line, (unsigned)column, lg_status_name(st), (unsigned)err.line,
             (unsigned)err.column, err.message);
  assert_int_equal(err.status, status);
  assert_true(p == sentinel);
  assert_true(strlen(err.message) > 0);
  assert_int_equal(ts_alloc_live_blocks(), 0);
}

static const char reference_canonical[] =
  "policy \"inbound-emea\"\n"
  "disqualify when knockout\n"
  "qualify when fit >= 8 and (event demo_requested within 30d or engagement >= 15)\n"
  "grade \"A\" when fit >= 10\n"
  "grade \"B\" when fit >= 8\n"
  "grade \"C\" when fit >= 6\n"
  "grade \"D\"\n"
  "calendar\n"
  "  utc-offset +01:00\n"
  "  hours mon-fri 09:00-17:30\n"
  "  hours sat 10:00-13:00\n"
  "  holiday 2026-12-25\n"
  "  offset-change 2026-03-29T01:00:00Z +02:00\n"
  "  offset-change 2026-10-25T01:00:00Z +01:00\n"
  "follow-up within 48h business\n"
  "  warn at 75%\n"
  "  remind at 100%\n"
  "  escalate at 36h\n"
  "  reassign at 48h max 2\n"
  "  recycle at 96h\n"
  "route least-loaded\n";

/* Valid policies of every shape; each must be a print/parse fixed point. */
static const char *const valid_policies[] = {
  "",
  "# only a comment\n\n   \n",
  "policy \"x\"\n",
  "policy \"quote \\\" and backslash \\\\ and é\"\n",
  "qualify when fit >= 8\n",
  "qualify when fit >= -2.5 or engagement < 0.125 or total != 1000000\n",
  "disqualify when knockout \"too small\" or attr persona is \"student\", \"consultant\"\n",
  "disqualify when not knockout\nqualify when knockout\n",
  "qualify when attr employees is 10..50, > 1000, true, \"big\"\n",
  "qualify when attr x = 2.5 and attr y != \"Ä\" and attr z = false and attr w <= -3\n",
  "qualify when missing industry or stage is opportunity or stage is disqualified\n",
  "qualify when event demo_requested within 14d and event a within 90s\n",
  "qualify when event webinar_attended within 0s\n",
  "qualify when not (fit > 1 or fit > 2) and not not total > 3\n",
  "qualify when ((fit > 1 and (engagement > 2 or total > 3)) or missing a)\n",
  "grade \"A\"\n",
  "grade \"A\" when fit >= 10\ngrade \"A\" when engagement >= 10\n",
  "grade \"fifteen bytes..\" when fit > 1\n",
  "follow-up within 72h\n",
  "follow-up within 1.5h business\n  recycle at 1000%\n  warn at 0%\n",
  "follow-up within 90m\n  warn at 89m\n  escalate at 0s\n  reassign at 1w max 0\n",
  "follow-up within 30s\n  reassign at 99.999%\n",
  "route round-robin\n",
  "route round-robin\ndisqualify when fit < 0\n",
  "calendar\n  hours mon-fri 09:00-17:00\n",
  "qualify when fit > 1\ncalendar\n  utc-offset -05:00\n  hours mon 08:00-12:00\ngrade \"Z\"\n",
};

/* ---- the reference policy ------------------------------------------------- */

static void reference_policy_prints_its_canonical_text(void **state) {
  char *t;
  (void)state;
  t = canonical(lg_example_policy);
  assert_string_equal(t, reference_canonical);
  free(t);
}

static void reference_policy_fingerprint_is_fnv1a_of_its_canonical_text(void **state) {
  lg_policy *p;
  (void)state;
  p = parse_ok(lg_example_policy);
  assert_true(lg_policy_fingerprint(p) == fnv1a(reference_canonical));
  lg_policy_free(p);
}

static void reference_policy_gives_the_follow_up_ladder_in_severity_order(void **state) {
  lg_policy          *p;
  const lg__followup *f;
  (void)state;
  p = parse_ok(lg_example_policy);
  f = lg__policy_followup(p);
  assert_int_equal(f->present, 1);
  assert_int_equal(f->business, 1);
  assert_int_equal(f->target, 48 * 3600);
  assert_int_equal(f->n_steps, 5);
  assert_int_equal(f->steps[0].action, LG_ACTION_WARN);
  assert_int_equal(f->steps[0].is_percent, 1);
  assert_int_equal(f->steps[0].value, 75000);
  assert_int_equal(f->steps[0].max, -1);
  assert_int_equal(f->steps[1].action, LG_ACTION_REMIND);
  assert_int_equal(f->steps[1].is_percent, 1);
  assert_int_equal(f->steps[1].value, 100000);
  assert_int_equal(f->steps[2].action, LG_ACTION_ESCALATE);
  assert_int_equal(f->steps[2].is_percent, 0);
  assert_int_equal(f->steps[2].value, 36 * 3600);
  assert_int_equal(f->steps[3].action, LG_ACTION_REASSIGN);
  assert_int_equal(f->steps[3].value, 48 * 3600);
  assert_int_equal(f->steps[3].max, 2);
  assert_int_equal(f->steps[4].action, LG_ACTION_RECYCLE);
  assert_int_equal(f->steps[4].value, 96 * 3600);
  assert_int_equal(f->steps[4].max, -1);
  assert_int_equal(lg__policy_route(p), LG__ROUTE_LEAST_LOADED);
  assert_true(lg_policy_calendar(p) != lg__calendar_always());
  assert_int_equal(lg_calendar_is_open(lg_policy_calendar(p), LG_EXAMPLE_EPOCH + 9 * 3600),
                   1); /* Monday 10:00 at +01:00 */
  lg_policy_free(p);
}

static void steps_given_in_any_order_are_stored_by_severity(void **state) {
  lg_policy          *p;
  const lg__followup *f;
  char               *t;
  (void)state;
  p = parse_ok("follow-up within 72h\n  recycle at 200%\n  warn at 24h\n"
               "  reassign at 80h\n  escalate at 3d\n");
  f = lg__policy_followup(p);
  assert_int_equal(f->business, 0);
  assert_int_equal(f->target, 72 * 3600);
  assert_int_equal(f->n_steps, 4);
  assert_int_equal(f->steps[0].action, LG_ACTION_WARN);
  assert_int_equal(f->steps[1].action, LG_ACTION_ESCALATE);
  assert_int_equal(f->steps[1].value, 72 * 3600);
  assert_int_equal(f->steps[2].action, LG_ACTION_REASSIGN);
  assert_int_equal(f->steps[2].max, -1);
  assert_int_equal(f->steps[3].action, LG_ACTION_RECYCLE);
  assert_int_equal(f->steps[3].value, 200000);
  t = to_text(p);
  assert_string_equal(t, "disqualify when knockout\n"
                         "follow-up within 72h\n"
                         "  warn at 24h\n"
                         "  escalate at 72h\n"
                         "  reassign at 80h\n"
                         "  recycle at 200%\n"
                         "route least-loaded\n");
  free(t);
  lg_policy_free(p);
}

static void empty_policy_is_valid_with_explicit_defaults(void **state) {
  lg_policy *p;
  char      *t;
  (void)state;
  p = parse_ok("");
  t = to_text(p);
  assert_string_equal(t, "disqualify when knockout\nroute least-loaded\n");
  assert_int_equal(lg__policy_followup(p)->present, 0);
  assert_int_equal(lg__policy_route(p), LG__ROUTE_LEAST_LOADED);
  assert_true(lg_policy_calendar(p) == lg__calendar_always());
  free(t);
  lg_policy_free(p);
}

static void round_robin_is_read_by_the_router(void **state) {
  lg_policy *p;
  (void)state;
  p = parse_ok("route round-robin\n");
  assert_int_equal(lg__policy_route(p), LG__ROUTE_ROUND_ROBIN);
  lg_policy_free(p);
}

/* ---- fixed points and fingerprints ----------------------------------------- */

static void every_valid_policy_is_a_print_parse_fixed_point(void **state) {
  size_t i;
  (void)state;
  assert_fixed_point(lg_example_policy);
  assert_fixed_point(reference_canonical);
  for (i = 0; i < sizeof valid_policies / sizeof valid_policies[0]; i++)
    assert_fixed_point(valid_policies[i]);
}

static void fingerprint_ignores_comments_spacing_order_and_spelled_out_defaults(void **state) {
  static const char respaced[] =
    "# the same policy, written differently\n"
    "   policy    \"inbound-emea\"   # name\n"
    "route least-loaded\n"
    "follow-up within 2d business\n"
    "      recycle at 4d\n"
    "\treassign at 172800s max 2\n"
    "  escalate at 2160m\n"
    "  remind at 100.000%\n"
    "  warn at 75%\n"
    "grade \"A\" when (fit >= 10)\n"
    "grade \"B\" when fit>=8\n"
    "grade \"C\" when ((fit >= +6))\n"
    "grade \"D\"\n"
    "qualify when fit >= 8.0 and (event demo_requested within 720h or engagement >= 15)\n"
    "calendar\n"
    "  hours mon-fri 09:00-17:30\n"
    "  utc-offset +01:00\n"
    "  hours sat 10:00-13:00\n"
    "  offset-change 2026-10-25T01:00:00Z +01:00\n"
    "  offset-change 2026-03-29T01:00:00Z +02:00\n"
    "  holiday 2026-12-25\n";
  uint64_t base;
  char    *t;
  (void)state;
  base = fingerprint(lg_example_policy);
  assert_true(fingerprint(respaced) == base);
  t = canonical(respaced);
  assert_string_equal(t, reference_canonical);
  free(t);
  assert_true(fingerprint("") == fingerprint("disqualify when knockout\nroute least-loaded\n"));
}

static void fingerprint_changes_with_every_semantic_change(void **state) {
  /* Each line: the reference policy with one thing changed. */
  static const struct {
    const char *from, *to;
  } changes[] = {
    {"\"inbound-emea\"", "\"inbound-emeA\""},
    {"disqualify when knockout ", "disqualify when knockout \"too small\""},
    {"fit >= 8 and", "fit > 8 and"},
    {"fit >= 8 and", "fit >= 8.001 and"},
    {"fit >= 8 and", "total >= 8 and"},
    {"within 30d or", "within 31d or"},
    {"demo_requested within", "demo_request within"},
    {"and (event demo_requested within 30d or engagement >= 15)",
     "and event demo_requested within 30d or engagement >= 15"},
    {"grade \"A\" when fit >= 10", "grade \"A+\" when fit >= 10"},
    {"grade \"B\" when fit >= 8\n", ""},
    {"grade \"D\" ", "grade \"E\" "},
    {"  hours sat 10:00-13:00\n", ""},
    {"utc-offset +01:00", "utc-offset +02:00"},
    {"48h business", "48h"},
    {"48h business", "49h business"},
    {"warn at 75%", "warn at 74%"},
    {"  remind at 100%\n", ""},
    {"escalate at 36h", "escalate at 36%"},
    {"max 2", "max 3"},
    {"reassign at 48h max 2", "reassign at 48h"},
    {"recycle at 96h", "recycle at 95h"},
    {"route least-loaded", "route round-robin"},
  };
  uint64_t seen[sizeof changes / sizeof changes[0] + 1];
  size_t   i, j;
  (void)state;
  seen[0] = fingerprint(lg_example_policy);
  for (i = 0; i < sizeof changes / sizeof changes[0]; i++) {
    const char *at = strstr(lg_example_policy, changes[i].from);
    char        text[4096];
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - lg_example_policy), lg_example_policy,
             changes[i].to, at + strlen(changes[i].from));
    seen[i + 1] = fingerprint(text);
    for (j = 0; j <= i; j++)
      if (seen[j] == seen[i + 1]) fail_msg("change %u collides with %u", (unsigned)i, (unsigned)j);
  }
}

/* ---- expressions: precedence and minimal parentheses ------------------------ */

static void and_binds_tighter_than_or_when_printing(void **state) {
  (void)state;
  assert_expr_prints("fit > 1 or fit > 2 and fit > 3", "fit > 1 or fit > 2 and fit > 3");
  assert_expr_prints("fit > 1 or (fit > 2 and fit > 3)", "fit > 1 or fit > 2 and fit > 3");
  assert_expr_prints("(fit > 1 or fit > 2) and fit > 3", "(fit > 1 or fit > 2) and fit > 3");
  assert_expr_prints("fit > 1 and (fit > 2 or fit > 3)", "fit > 1 and (fit > 2 or fit > 3)");
  assert_expr_prints("(fit > 1 and fit > 2) or fit > 3", "fit > 1 and fit > 2 or fit > 3");
}

static void redundant_parentheses_are_dropped(void **state) {
  (void)state;
  assert_expr_prints("((fit > 1))", "fit > 1");
  assert_expr_prints("fit > 1 or (fit > 2 or fit > 3)", "fit > 1 or fit > 2 or fit > 3");
  assert_expr_prints("(fit > 1 and fit > 2) and fit > 3", "fit > 1 and fit > 2 and fit > 3");
  assert_expr_prints("((fit > 1 or fit > 2)) and ((fit > 3))", "(fit > 1 or fit > 2) and fit > 3");
}

static void not_keeps_parentheses_only_around_and_or(void **state) {
  (void)state;
  assert_expr_prints("not (fit > 1 and fit > 2)", "not (fit > 1 and fit > 2)");
  assert_expr_prints("not (fit > 1 or fit > 2)", "not (fit > 1 or fit > 2)");
  assert_expr_prints("not (fit > 1)", "not fit > 1");
  assert_expr_prints("not (not (fit > 1))", "not not fit > 1");
  assert_expr_prints("not(knockout)and not missing x", "not knockout and not missing x");
  assert_expr_prints("not (not (fit > 1 or fit > 2))", "not not (fit > 1 or fit > 2)");
  assert_expr_prints("not fit > 1 or fit > 2", "not fit > 1 or fit > 2");
}

static void primaries_print_in_canonical_form(void **state) {
  (void)state;
  assert_expr_prints("fit>=+8.50", "fit >= 8.5");
  assert_expr_prints("engagement <= -0.001", "engagement <= -0.001");
  assert_expr_prints("total = 1000000", "total = 1000000");
  assert_expr_prints("knockout   \"not a buyer\"", "knockout \"not a buyer\"");
  assert_expr_prints("event x within 336h", "event x within 2w");
  assert_expr_prints("event x within 1.5d", "event x within 36h");
  assert_expr_prints("attr role is \"CTO\",\"ceo\" , 1..2.5", "attr role is \"CTO\", \"ceo\", 1..2.5");
  assert_expr_prints("attr n is < 10, >= 20", "attr n is < 10, >= 20");
  assert_expr_prints("attr n != 3.100", "attr n != 3.1");
  assert_expr_prints("attr s = \"a\\\\b\"", "attr s = \"a\\\\b\"");
  assert_expr_prints("attr b!=false", "attr b != false");
  assert_expr_prints("missing   x_1", "missing x_1");
  assert_expr_prints("stage is sal", "stage is sal");
}

/* ---- errors ------------------------------------------------------------------ */

static void malformed_policies_report_status_line_and_column(void **state) {
  static const struct {
    const char *text;
    lg_status   status;
    uint32_t    line, column;
  } cases[] = {
    /* statements */
    {"foo", LG_ERR_SYNTAX, 1, 1},
    {"qualify when fit > 1\n\n  Route least-loaded", LG_ERR_SYNTAX, 3, 3},
    {"qualify when fit >= 8\nqualify when fit >= 9", LG_ERR_SYNTAX, 2, 1},
    {"disqualify when knockout\ndisqualify when fit < 1", LG_ERR_SYNTAX, 2, 1},
    {"disqualify knockout", LG_ERR_SYNTAX, 1, 12},
    {"qualify fit > 1", LG_ERR_SYNTAX, 1, 9},
    {"policy \"x\"\npolicy \"y\"", LG_ERR_SYNTAX, 2, 1},
    {"qualify when fit > 1\npolicy \"x\"", LG_ERR_SYNTAX, 2, 1},
    {"policy x", LG_ERR_SYNTAX, 1, 8},
    {"policy \"x\" \"y\"", LG_ERR_SYNTAX, 1, 12},
    {"route least-loaded\nfollow-up within 1h\nroute round-robin", LG_ERR_SYNTAX, 3, 1},
    {"route fastest", LG_ERR_SYNTAX, 1, 7},
    /* grades */
    {"grade \"D\"\ngrade \"C\" when fit > 1", LG_ERR_SYNTAX, 2, 1},
    {"grade \"\" when fit > 1", LG_ERR_SYNTAX, 1, 7},
    {"policy  \"\"", LG_ERR_SYNTAX, 1, 9},
    {"grade \"ABCDEFGHIJKLMNOP\"", LG_ERR_LIMIT, 1, 7},
    {"grade \"A\" if fit > 1", LG_ERR_SYNTAX, 1, 11},
    {"grade A when fit > 1", LG_ERR_SYNTAX, 1, 7},
    /* calendar */
    {"calendar\n  hours mon-fri 09:00-17:00\ncalendar\n  hours sat 10:00-12:00",
     LG_ERR_SYNTAX, 3, 1},
    {"qualify when fit > 1\nhours mon-fri 09:00-17:00", LG_ERR_SYNTAX, 2, 1},
    /* follow-up */
    {"follow-up within 48h\nfollow-up within 72h", LG_ERR_SYNTAX, 2, 1},
    {"follow-up in 48h", LG_ERR_SYNTAX, 1, 11},
    {"follow-up within 0h", LG_ERR_RANGE, 1, 18},
    {"follow-up within 48h hours", LG_ERR_SYNTAX, 1, 22},
    {"follow-up within 48 business", LG_ERR_SYNTAX, 1, 20},
    {"follow-up within 48h\n  warn at 140%", LG_ERR_RANGE, 2, 11},
    {"follow-up within 48h\n  warn at 100%", LG_ERR_RANGE, 2, 11},
    {"follow-up within 48h\n  warn at 48h", LG_ERR_RANGE, 2, 11},
    {"follow-up within 48h\n  remind at 50%\n  remind at 60%", LG_ERR_SYNTAX, 3, 3},
    {"warn at 50%", LG_ERR_SYNTAX, 1, 1},
    {"follow-up within 48h\nroute round-robin\n  warn at 50%", LG_ERR_SYNTAX, 3, 3},
    {"follow-up within 48h\n  warn 50%", LG_ERR_SYNTAX, 2, 8},
    {"follow-up within 48h\n  warn at soon", LG_ERR_SYNTAX, 2, 11},
    {"follow-up within 48h\n  escalate at 24h max 2", LG_ERR_SYNTAX, 2, 19},
    {"follow-up within 48h\n  reassign at 48h max 1.5", LG_ERR_SYNTAX, 2, 23},
    {"follow-up within 48h\n  reassign at 48h max -1", LG_ERR_SYNTAX, 2, 23},
    {"follow-up within 48h\n  recycle at 1001%", LG_ERR_LIMIT, 2, 14},
    {"follow-up within 48h\n  recycle at -5%", LG_ERR_SYNTAX, 2, 14},
    {"follow-up within 48h\n  recycle at 96h later", LG_ERR_SYNTAX, 2, 18},
    /* expressions */
    {"qualify when", LG_ERR_SYNTAX, 1, 13},
    {"qualify when not", LG_ERR_SYNTAX, 1, 17},
    {"qualify when stage is lead", LG_ERR_SYNTAX, 1, 23},
    {"qualify when stage lead", LG_ERR_SYNTAX, 1, 20},
    {"qualify when fit > 1)", LG_ERR_SYNTAX, 1, 21},
    {"qualify when (fit > 1", LG_ERR_SYNTAX, 1, 22},
    {"qualify when fit >> 1", LG_ERR_SYNTAX, 1, 19},
    {"qualify when fit 8", LG_ERR_SYNTAX, 1, 18},
    {"qualify when fit >= 1000001", LG_ERR_LIMIT, 1, 21},
    {"qualify when fit >= 1.2345", LG_ERR_SYNTAX, 1, 21},
    {"qualify when fit > 1 xor fit < 2", LG_ERR_SYNTAX, 1, 22},
    {"qualify when fit > 1 and", LG_ERR_SYNTAX, 1, 25},
    {"qualify when event demo within 30x", LG_ERR_SYNTAX, 1, 34},
    {"qualify when event demo in 30d", LG_ERR_SYNTAX, 1, 25},
    {"qualify when event Demo within 30d", LG_ERR_SYNTAX, 1, 20},
    {"qualify when attr role < \"cto\"", LG_ERR_SYNTAX, 1, 24},
    {"qualify when attr paid > true", LG_ERR_SYNTAX, 1, 24},
    {"qualify when attr role \"cto\"", LG_ERR_SYNTAX, 1, 24},
    {"qualify when attr role = cto", LG_ERR_SYNTAX, 1, 26},
    {"qualify when attr Role is \"x\"", LG_ERR_SYNTAX, 1, 19},
    {"qualify when attr role is", LG_ERR_SYNTAX, 1, 26},
    {"qualify when knockout \"unterminated", LG_ERR_SYNTAX, 1, 23},
    {"qualify when missing 9x", LG_ERR_SYNTAX, 1, 22},
    {"qualify when attr x = \"\xff\"", LG_ERR_SYNTAX, 1, 24},
    /* columns count characters, not bytes */
    {"grade \"\xc3\xa9\xc3\xa9\" when fot > 1", LG_ERR_SYNTAX, 1, 17},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_error(cases[i].text, cases[i].status, cases[i].line, cases[i].column);
}

static void error_messages_say_what_was_expected(void **state) {
  lg_policy *p = NULL;
  lg_error   err;
  (void)state;
  assert_int_equal(lg_policy_parse("bogus", 5, &p, &err), LG_ERR_SYNTAX);
  assert_non_null(strstr(err.message, "expected a statement: policy, disqualify, qualify, "
                                      "grade, calendar, follow-up or route"));
  assert_non_null(strstr(err.message, "'bogus'"));
  assert_int_equal(lg_policy_parse("qualify when fit > 1\nqualify when fit > 2", 41, &p, &err),
                   LG_ERR_SYNTAX);
  assert_string_equal(err.message, "a policy has one qualify rule");
  assert_int_equal(lg_policy_parse("qualify when stage is lead", 26, &p, &err), LG_ERR_SYNTAX);
  assert_non_null(strstr(err.message, "unknown stage 'lead'"));
  assert_int_equal(lg_policy_parse("qualify when (fit > 1", 21, &p, &err), LG_ERR_SYNTAX);
  assert_string_equal(err.message, "expected ')' to close the '(' at column 14, got end of line");
  assert_null(p);
}

static void nesting_of_64_parses_and_65_is_over_the_limit(void **state) {
  char      text[1024];
  size_t    n = 0, i;
  lg_policy *p;
  (void)state;
  /* 64 parentheses. */
  n = (size_t)sprintf(text, "qualify when ");
  for (i = 0; i < 64; i++) text[n++] = '(';
  n += (size_t)sprintf(text + n, "fit > 1");
  for (i = 0; i < 64; i++) text[n++] = ')';
  text[n] = '\0';
  p = parse_ok(text);
  lg_policy_free(p);
  assert_fixed_point(text);
  /* 65: the 65th '(' is at column 13 + 65. */
  n = (size_t)sprintf(text, "qualify when ");
  for (i = 0; i < 65; i++) text[n++] = '(';
  n += (size_t)sprintf(text + n, "fit > 1");
  for (i = 0; i < 65; i++) text[n++] = ')';
  text[n] = '\0';
  assert_error(text, LG_ERR_LIMIT, 1, 78);
  /* `not` nests too: 64 are fine, the 65th (column 13 + 64*4 + 1) is not. */
  n = (size_t)sprintf(text, "qualify when ");
  for (i = 0; i < 64; i++) n += (size_t)sprintf(text + n, "not ");
  sprintf(text + n, "fit > 1");
  assert_fixed_point(text);
  n = (size_t)sprintf(text, "qualify when ");
  for (i = 0; i < 65; i++) n += (size_t)sprintf(text + n, "not ");
  sprintf(text + n, "fit > 1");
  assert_error(text, LG_ERR_LIMIT, 1, 270);
  /* Mixed: 32 x "not (" is 64 levels; one more `not` inside is 65. */
  n = (size_t)sprintf(text, "qualify when ");
  for (i = 0; i < 32; i++) n += (size_t)sprintf(text + n, "not (");
  n += (size_t)sprintf(text + n, "fit > 1 and fit > 2");
  for (i = 0; i < 32; i++) text[n++] = ')';
  text[n] = '\0';
  assert_fixed_point(text);
  n = (size_t)sprintf(text, "qualify when ");
  for (i = 0; i < 32; i++) n += (size_t)sprintf(text + n, "not (");
  n += (size_t)sprintf(text + n, "not fit > 1");
  for (i = 0; i < 32; i++) text[n++] = ')';
  text[n] = '\0';
  assert_error(text, LG_ERR_LIMIT, 1, 13 + 32 * 5 + 1);
}

static void long_and_or_chains_are_not_nesting(void **state) {
  /* 20,000 operands: one n-ary node, no recursion per operand. */
  size_t     cap = 20000 * 16 + 64, n, i;
  char      *text = malloc(cap);
  lg_policy *p;
  (void)state;
  assert_non_null(text);
  n = (size_t)sprintf(text, "qualify when fit > 0");
  for (i = 0; i < 20000; i++) n += (size_t)sprintf(text + n, i % 2 ? " or fit > 1" : " and fit > 2");
  p = parse_ok(text);
  lg_policy_free(p);
  assert_fixed_point(text);
  free(text);
}

static void grades_up_to_256_parse_and_the_257th_is_over_the_limit(void **state) {
  size_t     cap = 300 * 32, n = 0, i;
  char      *text = malloc(cap);
  lg_policy *p;
  (void)state;
  assert_non_null(text);
  for (i = 0; i < 256; i++) n += (size_t)sprintf(text + n, "grade \"g%u\" when fit > %u\n", (unsigned)i, (unsigned)i);
  p = parse_ok(text);
  lg_policy_free(p);
  sprintf(text + n, "grade \"last\"\n");
  assert_error(text, LG_ERR_LIMIT, 257, 1);
  free(text);
}

static void text_over_one_mebibyte_is_over_the_limit(void **state) {
  size_t     len = ((size_t)1 << 20) + 1;
  char      *text = malloc(len);
  lg_policy *p = NULL;
  lg_error   err;
  (void)state;
  assert_non_null(text);
  memset(text, '\n', len);
  assert_int_equal(lg_policy_parse(text, len, &p, &err), LG_ERR_LIMIT);
  assert_int_equal(err.line, 0);
  assert_null(p);
  /* Exactly 1 MiB of blank lines is an empty policy. */
  assert_int_equal(lg_policy_parse(text, len - 1, &p, &err), LG_OK);
  lg_policy_free(p);
  free(text);
}

static void text_with_a_nul_byte_is_a_syntax_error(void **state) {
  lg_policy *p = NULL;
  lg_error   err;
  (void)state;
  assert_int_equal(lg_policy_parse("qualify when\0fit > 1", 20, &p, &err), LG_ERR_SYNTAX);
  assert_int_equal(err.line, 1);
  assert_int_equal(err.column, 13);
  assert_null(p);
}

static void bad_arguments_are_invalid(void **state) {
  lg_policy *p = NULL;
  lg_error   err;
  (void)state;
  assert_int_equal(lg_policy_parse(NULL, 0, &p, &err), LG_ERR_INVALID);
  assert_int_equal(err.status, LG_ERR_INVALID);
  assert_int_equal(lg_policy_parse("", 0, NULL, &err), LG_ERR_INVALID);
  assert_int_equal(lg_policy_parse("", 0, NULL, NULL), LG_ERR_INVALID);
  assert_null(p);
  /* err is optional. */
  assert_int_equal(lg_policy_parse("route", 5, &p, NULL), LG_ERR_SYNTAX);
  assert_int_equal(lg_policy_parse("route round-robin", 17, &p, NULL), LG_OK);
  lg_policy_free(p);
  lg_policy_free(NULL);
  assert_true(lg_policy_fingerprint(NULL) == 0);
  assert_null(lg_policy_calendar(NULL));
  assert_int_equal(lg__policy_followup(NULL)->present, 0);
  assert_int_equal(lg__policy_route(NULL), LG__ROUTE_LEAST_LOADED);
}

/* ---- to_text ---------------------------------------------------------------- */

static void to_text_follows_the_buffer_contract(void **state) {
  static const char want[] = "disqualify when knockout\nroute round-robin\n";
  lg_policy *p;
  char       buf[128];
  size_t     need = 0;
  (void)state;
  p = parse_ok("route round-robin");
  /* Measuring: NULL buffer with cap 0. */
  assert_int_equal(lg_policy_to_text(p, NULL, 0, &need), LG_ERR_BUFFER);
  assert_int_equal(need, sizeof want);
  /* One byte short: LG_ERR_BUFFER and the buffer untouched. */
  memset(buf, 'x', sizeof buf);
  need = 0;
  assert_int_equal(lg_policy_to_text(p, buf, sizeof want - 1, &need), LG_ERR_BUFFER);
  assert_int_equal(need, sizeof want);
  assert_int_equal(buf[0], 'x');
  assert_int_equal(buf[sizeof want - 2], 'x');
  /* Exactly enough. */
  assert_int_equal(lg_policy_to_text(p, buf, sizeof want, &need), LG_OK);
  assert_string_equal(buf, want);
  assert_int_equal(buf[sizeof want], 'x');
  /* needed may be NULL. */
  assert_int_equal(lg_policy_to_text(p, buf, sizeof buf, NULL), LG_OK);
  assert_string_equal(buf, want);
  /* Bad arguments. */
  assert_int_equal(lg_policy_to_text(NULL, buf, sizeof buf, &need), LG_ERR_INVALID);
  assert_int_equal(lg_policy_to_text(p, NULL, 10, &need), LG_ERR_INVALID);
  lg_policy_free(p);
}

/* ---- allocation failure ------------------------------------------------------ */

static void sweep_allocation_failures(const char *text) {
  lg_policy *sentinel = (lg_policy *)(uintptr_t)0x5678;
  long       n;
  for (n = 1;; n++) {
    lg_policy *p = sentinel;
    lg_error   err;
    lg_status  st;
    ts_alloc_fail_at(n, 1);
    st = lg_policy_parse(text, strlen(text), &p, &err);
    ts_alloc_fail_at(0, 0);
    if (st == LG_OK) {
      char *t;
      assert_true(n > 1);
      t = to_text(p);
      assert_fixed_point(t);
      free(t);
      lg_policy_free(p);
      break;
    }
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_int_equal(err.status, LG_ERR_NOMEM);
    assert_int_equal(err.line, 0);
    assert_true(p == sentinel);
    assert_int_equal(ts_alloc_live_blocks(), 0);
    assert_true(n < 10000);
  }
  assert_int_equal(ts_alloc_live_blocks(), 0);
}

static void allocation_failure_at_every_point_leaves_nothing(void **state) {
  (void)state;
  sweep_allocation_failures(lg_example_policy);
  sweep_allocation_failures(
    "policy \"p\"\n"
    "disqualify when knockout \"too small\" or attr persona is \"student\", \"x\", 1..2\n"
    "qualify when not (attr a = \"t\" and missing b) or event e within 1d or stage is mql\n"
    "grade \"A\" when attr c is true, false, \"y\" and attr d != \"z\"\n"
    "grade \"B\" when attr e is \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"\n"
    "grade \"C\" when knockout \"a\" or knockout \"b\" or knockout \"c\" or knockout \"d\"\n"
    "grade \"D\" when fit > 1\ngrade \"E\" when fit > 2\ngrade \"F\" when fit > 3\n"
    "grade \"G\" when fit > 4\ngrade \"H\"\n");
}

/* Errors inside a primary or a follow-up step: status, position and the
 * exact words of the message. */
static void errors_inside_primaries_and_steps_name_what_was_expected(void **state) {
  static const struct {
    const char *text;
    lg_status   status;
    uint32_t    line, column;
    const char *message;
  } cases[] = {
    {"qualify when attr x > 5abc", LG_ERR_SYNTAX, 1, 24, "unexpected 'a' after a number"},
    {"qualify when stage is MQL", LG_ERR_SYNTAX, 1, 23,
     "unknown stage name 'MQL': names are lower case"},
    {"qualify when stage is 5", LG_ERR_SYNTAX, 1, 23, "expected stage name, got '5'"},
    /* the '(' is the 36th character (the u-umlaut is one), the 37th byte */
    {"qualify when attr c is \"Z\xc3\xbcrich\" or (fit > 1", LG_ERR_SYNTAX, 1, 44,
     "expected ')' to close the '(' at column 36, got end of line"},
    /* a step offset is a share (N%) or a duration (N and a unit) */
    {"follow-up within 48h\n  warn at 36", LG_ERR_SYNTAX, 2, 13,
     "expected the step's offset: a number and a unit s, m, h, d or w (like 48h)"},
    {"follow-up within 48h\n  escalate at 36x", LG_ERR_SYNTAX, 2, 17,
     "expected the step's offset: a number and a unit"},
    {"follow-up within 48h\n  warn at -5%", LG_ERR_SYNTAX, 2, 11,
     "the step's share of the target must be a plain non-negative number"},
    {"follow-up within 48h\n  reassign at 48h max x", LG_ERR_SYNTAX, 2, 23,
     "expected the most reassignments, got 'x'"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    lg_policy *p = NULL;
    lg_error   err;
    assert_error(cases[i].text, cases[i].status, cases[i].line, cases[i].column);
    assert_int_equal(lg_policy_parse(cases[i].text, strlen(cases[i].text), &p, &err),
                     cases[i].status);
    if (!strstr(err.message, cases[i].message))
      fail_msg("%s\n  message '%s' lacks '%s'", cases[i].text, err.message, cases[i].message);
    assert_null(p);
  }
}

/* An empty text is a value like any other: it prints as "". */
static void empty_texts_print_as_empty_quotes(void **state) {
  (void)state;
  assert_expr_prints("attr role = \"\"", "attr role = \"\"");
  assert_expr_prints("knockout \"\"", "knockout \"\"");
  assert_expr_prints("attr role != \"\" and knockout \"\"", "attr role != \"\" and knockout \"\"");
}

/* lg__expr_free leaves the expression empty, so freeing twice is safe,
 * and NULL is accepted. */
static void expressions_free_to_empty_and_accept_null(void **state) {
  static const char text[] = "fit > 1 and attr a is \"x\", 2 and stage is mql";
  lg__lexer lx;
  lg_error  err;
  lg__expr  e;
  (void)state;
  assert_int_equal(lg__lex_init(&lx, text, sizeof text - 1, &err), LG_OK);
  assert_int_equal(lg__lex_next_line(&lx), 1);
  assert_int_equal(lg__expr_parse(&lx, &e), LG_OK);
  assert_true(e.n_nodes >= 4);
  assert_true(ts_alloc_live_blocks() > 0);
  lg__expr_free(&e);
  assert_int_equal(ts_alloc_live_blocks(), 0);
  assert_null(e.nodes);
  assert_null(e.strs);
  assert_null(e.lists);
  assert_int_equal(e.n_nodes, 0);
  assert_int_equal(e.n_strs, 0);
  assert_int_equal(e.n_lists, 0);
  lg__expr_free(&e);
  lg__expr_free(NULL);
  assert_int_equal(ts_alloc_live_blocks(), 0);
}

/* Each kind of primary alone, so that its node is the first allocation of
 * its expression: a failure there leaks nothing either. */
static void allocation_failure_in_a_lone_primary_leaves_nothing(void **state) {
  static const char *const texts[] = {
    "qualify when stage is mql\n",      "qualify when fit > 1\n",
    "qualify when knockout\n",          "qualify when knockout \"k\"\n",
    "qualify when missing a\n",         "qualify when event e within 1d\n",
    "qualify when attr a > 1\n",        "qualify when attr a = \"t\"\n",
    "qualify when attr a = true\n",     "qualify when attr a is 1, \"t\"\n",
    "qualify when not fit > 1\n",       "qualify when (fit > 1)\n",
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof texts / sizeof texts[0]; i++) sweep_allocation_failures(texts[i]);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(reference_policy_prints_its_canonical_text),
    T(reference_policy_fingerprint_is_fnv1a_of_its_canonical_text),
    T(reference_policy_gives_the_follow_up_ladder_in_severity_order),
    T(steps_given_in_any_order_are_stored_by_severity),
    T(empty_policy_is_valid_with_explicit_defaults),
    T(round_robin_is_read_by_the_router),
    T(every_valid_policy_is_a_print_parse_fixed_point),
    T(fingerprint_ignores_comments_spacing_order_and_spelled_out_defaults),
    T(fingerprint_changes_with_every_semantic_change),
    T(and_binds_tighter_than_or_when_printing),
    T(redundant_parentheses_are_dropped),
    T(not_keeps_parentheses_only_around_and_or),
    T(primaries_print_in_canonical_form),
    T(malformed_policies_report_status_line_and_column),
    T(error_messages_say_what_was_expected),
    T(nesting_of_64_parses_and_65_is_over_the_limit),
    T(long_and_or_chains_are_not_nesting),
    T(grades_up_to_256_parse_and_the_257th_is_over_the_limit),
    T(text_over_one_mebibyte_is_over_the_limit),
    T(text_with_a_nul_byte_is_a_syntax_error),
    T(bad_arguments_are_invalid),
    T(to_text_follows_the_buffer_contract),
    T(allocation_failure_at_every_point_leaves_nothing),
    T(errors_inside_primaries_and_steps_name_what_was_expected),
    T(empty_texts_print_as_empty_quotes),
    T(expressions_free_to_empty_and_accept_null),
    T(allocation_failure_in_a_lone_primary_leaves_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
