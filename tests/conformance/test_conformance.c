/*
 * test_conformance.c - runs the whole conformance data set (cases.json)
 * against the library, and checks a subset of its answers against values
 * worked out by hand, so that a wrong generator cannot hide behind itself.
 *
 *   test_conformance [path/to/cases.json]
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leadgate.h>

#include "json.h"
#include "runner.h"

static const char *g_path = LG_CONFORMANCE_CASES;
static json *g_root;

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  if (!f) return NULL;
  for (;;) {
    size_t got;
    if (n == cap) {
      char *nb = realloc(buf, cap ? cap * 2 : 65536);
      if (!nb) { free(buf); fclose(f); return NULL; }
      buf = nb;
      cap = cap ? cap * 2 : 65536;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

static int load(void **state) {
  size_t len = 0;
  char err[256];
  char *text = read_all(g_path, &len);
  (void)state;
  if (!text) {
    fprintf(stderr, "cannot read %s\n", g_path);
    return -1;
  }
  g_root = json_parse(text, len, err, sizeof err);
  free(text);
  if (!g_root) {
    fprintf(stderr, "%s: %s\n", g_path, err);
    return -1;
  }
  return 0;
}

static int unload(void **state) {
  (void)state;
  json_free(g_root);
  return 0;
}

/* The case with this id; fails the test when absent. */
static const json *find_case(const char *id) {
  const json *list = json_get(g_root, "cases");
  size_t i;
  for (i = 0; list && i < list->len; i++) {
    const json *c = list->items[i];
    if (strcmp(json_get(c, "id")->str, id) == 0) return c;
  }
  fail_msg("no case %s", id);
  return NULL;
}

/* The recorded expect value `key` of case `id`, as an integer (JSON null
 * reads as LG_TIME_NEVER). */
static long long expect_int(const char *id, const char *key) {
  const json *v = json_get(json_get(find_case(id), "expect"), key);
  if (!v) fail_msg("case %s has no %s", id, key);
  if (v->type == JSON_NULL) return (long long)LG_TIME_NEVER;
  if (v->type != JSON_INT && v->type != JSON_BOOL) fail_msg("case %s: %s is not a number", id, key);
  return (long long)v->num;
}

static const char *expect_str(const char *id, const char *key) {
  const json *v = json_get(json_get(find_case(id), "expect"), key);
  if (!v || v->type != JSON_STRING) fail_msg("case %s: %s is not a string", id, key);
  return v->str;
}

/* ---- hand-worked answers --------------------------------------------------
 * T0 is Monday 2026-11-23T10:00:00Z = 1795428000 (11:00 at UTC+1).  */

#define INT(id, key, want) assert_int_equal(expect_int(id, key), want)
#define STR(id, key, want) assert_string_equal(expect_str(id, key), want)

static long long item_int(const char *id, size_t i, const char *key) {
  const json *items = json_get(json_get(find_case(id), "expect"), "items");
  if (!items || items->type != JSON_ARRAY || i >= items->len) fail_msg("case %s: no item %zu", id, i);
  return (long long)json_get(items->items[i], key)->num;
}

static void hand_b2b(void **state) {
  (void)state;
  /* hot: need high 3 + timeframe 2 (<= 3) 3 + role "Economic Buyer" 3 +
     industry SaaS 3 = 12.  Engagement: demo 7d old < 30d: 25; content at
     14d (one half-life): 2 * 0.5 = 1, at 1d: 2 * 2^(-1/14) = 1.90337: 1.903;
     webinar at 30d (one half-life): 5 * 0.5 = 2.5.  Sum 30.403. */
  INT("score/b2b/hot/t0", "fit", 12000);
  INT("score/b2b/hot/t0", "engagement", 30403);
  INT("score/b2b/hot/t0", "total", 42403);
  INT("score/b2b/hot/t0", "knockout_index", -1);
  INT("score/b2b/hot/t0", "missing_count", 0);
  /* fit 12 >= 8 and a demo within 30d: mql, grade A (fit >= 10); the
     reason is the whole qualify rule that held (an `and`). */
  STR("decide/b2b+inbound/hot/t0", "verdict", "mql");
  STR("decide/b2b+inbound/hot/t0", "grade", "A");
  STR("decide/b2b+inbound/hot/t0", "reason",
      "fit >= 8 and (event demo_requested within 30d or engagement >= 15)");
  /* future: the demo (T0+1d) and the download (T0+1h) lie after T0: 0.  At
     T0+1d the demo is 0 old: 25, the download 23h: 2 * 2^(-23/336) = 1.907. */
  INT("score/b2b/future/t0", "engagement", 0);
  INT("score/b2b/future/t0+1d", "engagement", 26907);
  /* knocked: persona "Student" matches the first knockout (index 0; 5
     employees would match the second too); need 3, three fit attributes
     missing.  Disqualified, reason the knockout, grade D (fit 3 < 6). */
  INT("score/b2b/knocked/t0", "fit", 3000);
  INT("score/b2b/knocked/t0", "knocked_out", 1);
  INT("score/b2b/knocked/t0", "knockout_index", 0);
  INT("score/b2b/knocked/t0", "missing_count", 3);
  STR("decide/b2b+inbound/knocked/t0", "verdict", "disqualify");
  STR("decide/b2b+inbound/knocked/t0", "stage", "disqualified");
  STR("decide/b2b+inbound/knocked/t0", "reason", "knockout \"not a buyer\"");
  STR("decide/b2b+inbound/knocked/t0", "grade", "D");
  /* wrong_types: need 3 (int against text), timeframe "soon" (text against
     numbers), role true: no match, 0 each; industry false is present and
     unmatched: otherwise 1.  Nothing is missing. */
  INT("score/b2b/wrong_types/t0", "fit", 1000);
  INT("score/b2b/wrong_types/t0", "missing_count", 0);
  /* demo_edge: the demo exactly 30d old.  `expire 30d` needs age < 30d: 0
     points; `within 30d` is now-30d <= at: true, so still an MQL. */
  INT("decide/b2b+inbound/demo_edge/t0", "engagement", 0);
  STR("decide/b2b+inbound/demo_edge/t0", "verdict", "mql");
  /* Stages never move back: an MQL verdict leaves SAL at SAL, a knockout
     leaves WON at WON. */
  STR("decide/b2b+inbound/sal/t0", "stage", "sal");
  STR("decide/b2b+inbound/won/t0", "verdict", "disqualify");
  STR("decide/b2b+inbound/won/t0", "stage", "won");
  /* unsubscribed under the wall policy: fit 3 + 1 (12 months) + 1 = 5, one
     missing; engagement -20 + webinar 60d old 5 * 2^-2 = 1.25: -18.75.
     Neither alternative of the qualify `or` holds: the whole `or` is the
     reason; grade "hot" needs engagement >= 5: "cold". */
  INT("decide/b2b+wall/unsubscribed/t0", "fit", 5000);
  INT("decide/b2b+wall/unsubscribed/t0", "engagement", -18750);
  INT("decide/b2b+wall/unsubscribed/t0", "total", -13750);
  STR("decide/b2b+wall/unsubscribed/t0", "reason", "total >= 10 or attr plan = \"enterprise\"");
  STR("decide/b2b+wall/unsubscribed/t0", "grade", "cold");
  STR("decide/b2b+wall/unsubscribed/t0", "stage", "nurture");
  /* missing: only need; timeframe and authority could each add 3, the tie
     goes to rubric order. */
  STR("next_question/b2b/missing/any", "attribute", "timeframe_months");
  INT("next_question/b2b/missing/any", "gain", 3000);
  STR("next_question/b2b/hot/any", "status", "LG_ERR_NOT_FOUND");
}

static void hand_decay(void **state) {
  (void)state;
  /* decay_all at T0, every event 0 old unless said: half 10, expire 7.5,
     linear 10, three 2.5s capped at 5, two -3.25s capped at -5, once: the
     latest 4, fast: 8 + 8 * 2^-1 (1d old) = 12.  Sum 43.5. */
  INT("score/decay/decay_all/t0", "engagement", 43500);
  /* One second before T0 the T0 events lie in the future: d 2.5 + 2.5 = 5,
     n -3.25 (1d old), once 4 (1d old), fast 8 * 2^(-86399/86400) = 4.00003.
     Sum 9.75. */
  INT("score/decay/decay_all/t0-1s", "engagement", 9750);
  /* T0+5d: half 10 * 2^-0.5 = 7.0711, linear 10 * (1 - 5/10) = 5, expire
     7.5, 5, -5, 4, fast 8 * (2^-5 + 2^-6) = 0.375.  Sum 23.946. */
  INT("score/decay/decay_all/t0+5d", "engagement", 23946);
  assert_int_equal(item_int("explain/decay/decay_all/t0+5d", 0, "points"), 7071);
  assert_int_equal(item_int("explain/decay/decay_all/t0+5d", 2, "points"), 5000);
  assert_int_equal(item_int("explain/decay/decay_all/t0+5d", 3, "max_points"), 5000);
  /* T0+10d-1s: half 5.000004, expire still 7.5 (age < 10d), linear
     10 / 864000 = 0.00001 -> 0, 5, -5, 4, fast 8 * (2^-10 + 2^-11) = 0.0117
     -> 12 milli-points.  Sum 16.512.  At T0+10d expire and linear end:
     9.012. */
  INT("score/decay/decay_all/t0+10d-1s", "engagement", 16512);
  INT("score/decay/decay_all/t0+10d", "engagement", 9012);
  STR("score/decay/decay_all/after-max", "status", "LG_ERR_RANGE");
}

static void hand_fractional(void **state) {
  (void)state;
  /* frac_big: 5000 employees (>= 1000) 3 + active 1.5 + "Enterprise" 2.25
     = 6.75; four visits 4 * 0.333 = 1.332 capped at 1. */
  INT("score/fractional/frac_big/t0", "fit", 6750);
  INT("score/fractional/frac_big/t0", "engagement", 1000);
  /* frac_neg: -3 employees -2.5, inactive -1.5, "free" -0.75: -4.75; one
     visit 0.333.  Disqualified by `attr employees < 0`; no grade holds. */
  INT("score/fractional/frac_neg/t0", "fit", -4750);
  INT("score/fractional/frac_neg/t0", "total", -4417);
  STR("decide/fractional+attrs/frac_neg/t0", "reason", "attr employees < 0");
  STR("decide/fractional+attrs/frac_neg/t0", "grade", "");
  /* frac_other: 9 employees 0.125 + 1.5 + "basic" otherwise 0.001 =
     1.626; a nurture lead with a phone: the qualify rule's `stage is
     nurture` holds (mql, from nurture), grade B (0 < fit < 3.5). */
  INT("score/fractional/frac_other/t0", "fit", 1626);
  STR("decide/fractional+attrs/frac_other/t0", "verdict", "mql");
  STR("decide/fractional+attrs/frac_other/t0", "stage", "mql");
  STR("decide/fractional+attrs/frac_other/t0", "reason", "stage is nurture");
  STR("decide/fractional+attrs/frac_other/t0", "grade", "B");
  /* frac_test: plan "TEST" is the second knockout (index 1). */
  INT("decide/fractional+attrs/frac_test/t0", "knockout_index", 1);
  STR("decide/fractional+attrs/frac_test/t0", "reason", "knockout \"test account\"");
  /* bare: missing outcomes -0.5 + 0 (no missing line) - 0.001 = -0.501;
     gains 3 + 0.5, 1.5 - 0, 2.25 + 0.001: ask for employees (3.5). */
  INT("score/fractional/bare/t0", "fit", -501);
  INT("score/fractional/bare/t0", "missing_count", 3);
  STR("next_question/fractional/bare/any", "attribute", "employees");
  INT("next_question/fractional/bare/any", "gain", 3500);
}

static void hand_sla(void **state) {
  (void)state;
  /* inbound: 48h business, Mon-Fri 09:00-17:30, Sat 10:00-13:00 at +01:00.
     sla_fresh assigned T0 = Mon 11:00 local: Mon 6.5h, Tue-Fri 8.5h each
     (40.5), Sat 3 (43.5), then 4.5h on Mon 30th: 13:30 local = 12:30Z =
     T0 + 7d + 2.5h.  Next change at 36h (warn, escalate): Fri 27th 13:00
     local = T0 + 4d + 2h. */
  INT("sla/inbound/sla_fresh/t0", "due_at", 1795428000LL + 7 * 86400 + 9000);
  INT("sla/inbound/sla_fresh/t0", "next_at", 1795428000LL + 4 * 86400 + 7200);
  INT("sla/inbound/sla_fresh/t0", "remaining", 48 * 3600);
  INT("sla/inbound/sla_fresh/t0", "tier", 0);
  /* T0+9d = Wed 11:00 local: 43.5 + Mon 8.5 + Tue 8.5 + Wed 2 = 62.5h;
     warn, remind, escalate and reassign reached, reassign the most severe;
     recycle at 96h: 33.5h on, Mon Dec 7th 16:00 local = T0 + 14d + 5h. */
  STR("sla/inbound/sla_fresh/t0+9d", "state", "breached");
  STR("sla/inbound/sla_fresh/t0+9d", "action", "reassign");
  INT("sla/inbound/sla_fresh/t0+9d", "elapsed", 225000);
  INT("sla/inbound/sla_fresh/t0+9d", "remaining", -52200);
  INT("sla/inbound/sla_fresh/t0+9d", "next_at", 1795428000LL + 14 * 86400 + 5 * 3600);
  /* Replay: at T0+4d bob's clock (Thu 11:00 local) has run 6.5 + 2 = 8.5h,
     his touch at T0+5d not yet made; at T0+7d carol's, from Sunday, 2h on
     Monday, two reassignments. */
  INT("sla/inbound/sla_reassigned/t0+4d", "elapsed", 8 * 3600 + 1800);
  INT("sla/inbound/sla_reassigned/t0+4d", "reassignments", 1);
  INT("sla/inbound/sla_reassigned/t0+7d", "started_at", 1795428000LL + 6 * 86400);
  INT("sla/inbound/sla_reassigned/t0+7d", "elapsed", 7200);
  INT("sla/inbound/sla_reassigned/t0+7d", "reassignments", 2);
  /* wall: 2h wall clock, warn at 50% reached at 1h; remind at 90m next. */
  STR("sla/wall/sla_fresh/t0+1h", "state", "warning");
  STR("sla/wall/sla_fresh/t0+1h", "action", "warn");
  INT("sla/wall/sla_fresh/t0+1h", "due_at", 1795428000LL + 7200);
  INT("sla/wall/sla_fresh/t0+1h", "next_at", 1795428000LL + 5400);
  /* Holiday: assigned Thu Dec 24th 16:00 local: 1.5h, Fri 25th closed,
     Sat 3 (4.5), Mon-Thu 34 (38.5), Fri Jan 1st 8.5 (47), 1h on Sat Jan
     2nd: 11:00 local = 10:00Z.  A day later (the holiday) still 1.5h. */
  INT("sla/inbound/sla_holiday/start+0h", "due_at", 1798848000LL + 10 * 3600);
  INT("sla/inbound/sla_holiday/start+24h", "elapsed", 5400);
  /* DST: assigned Fri Oct 23rd 14:00Z = 16:00 at +02:00: 1.5h, Sat 3h
     (10:00-13:00 at +02:00), the change to +01:00 on Sunday, Mon-Fri 42.5
     (47), 1h on Sat 31st: 11:00 at +01:00 = 10:00Z. */
  INT("sla/inbound/sla_dst/start+0h", "due_at", 1793404800LL + 10 * 3600);
  INT("sla/inbound/sla_dst/start+24h", "elapsed", 4 * 3600 + 1800);
  STR("sla/inbound/unassigned/t0", "state", "none");
  INT("sla/inbound/unassigned/t0", "tier", -1);
  INT("sla/inbound/unassigned/t0", "next_at", (long long)LG_TIME_NEVER);
}

static void hand_route_and_calendar(void **state) {
  (void)state;
  /* least-loaded: 3/10, 1/10, 1/5: bob (index 1). */
  INT("route/inbound/hot/load-ratio", "chosen", 1);
  /* round-robin: 1 x 3h, 2 x 2h, 3 x 1h: bob's 4 wins. */
  INT("route/wall/hot/weighted", "chosen", 1);
  /* ana, bob, carol and dan have held the lead: erin, the only other. */
  INT("route/inbound/sla_reassigned/previous-holders", "chosen", 2);
  /* only holders left (dan away): ana and bob tie, the lower index wins. */
  INT("route/inbound/sla_reassigned/only-holders", "chosen", 0);
  STR("route/inbound/hot/nobody", "status", "LG_ERR_NOT_FOUND");
  STR("route/inbound/hot/bad-weight", "status", "LG_ERR_INVALID");
  /* office: Mon-Fri 09:00-12:00, 13:00-17:30, Sat 10:00-13:00 at +01:00.
     T0 = Mon 11:00 local: 1h to noon, then 1s after 13:00 local. */
  INT("calendar_add/office/over-lunch", "at", 1795428000LL + 7200 + 1);
  /* Fri 17:00 local: 30 min, then Sat 10:00 + 1.5h = 11:30 local. */
  INT("calendar_add/office/friday-to-saturday", "at", 1795824000LL + 10 * 3600 + 1800);
  /* Thu Dec 24th 16:00 local: 1.5h, Christmas closed, Sat 10:00 + 2.5h. */
  INT("calendar_add/office/over-christmas", "at", 1798243200LL + 11 * 3600 + 1800);
  /* A week: 5 x 7.5h + 3h = 40.5h; Christmas week loses Friday: 33h. */
  INT("calendar_between/office/week", "seconds", 145800);
  INT("calendar_between/office/christmas-week", "seconds", 33 * 3600);
  /* dst: 01:00-04:00 local each night.  Spring (+01 -> +02 at 01:00Z):
     local 02:00-03:00 never happens, 2h open.  Autumn (+02 -> +01): local
     02:00-03:00 happens twice, 4h open. */
  INT("calendar_between/dst/spring-night", "seconds", 7200);
  INT("calendar_between/dst/autumn-night", "seconds", 14400);
  /* wrap at -05:30: Fri 04:30 local; Fri 20:00-24:00 gives 4h, Sat
     10:00-11:00 the fifth: 16:30Z Saturday. */
  INT("calendar_add/wrap/friday-night", "at", 1795824000LL + 16 * 3600 + 1800);
  STR("calendar_add/never/one", "status", "LG_ERR_RANGE");
  INT("calendar_add/never/zero", "at", 1795428000LL);
}

static void hand_errors(void **state) {
  (void)state;
  /* `  when "high" => 3`: '=>' starts at column 15 of line 3. */
  STR("score/bad_syntax/hot/t0", "status", "LG_ERR_SYNTAX");
  INT("score/bad_syntax/hot/t0", "line", 3);
  INT("score/bad_syntax/hot/t0", "column", 15);
  STR("score/b2b/bad_time/t0", "status", "LG_ERR_RANGE");
  STR("score/b2b/bad_name/t0", "status", "LG_ERR_INVALID");
  STR("score/b2b/long_text/t0", "status", "LG_ERR_LIMIT");
  STR("score/b2b/backwards/t0", "status", "LG_ERR_STATE");
}

/* ---- the whole set -------------------------------------------------------- */

static void every_case_gives_the_recorded_answer(void **state) {
  const json *list = json_get(g_root, "cases");
  size_t i, failed = 0;
  char err[256];
  (void)state;
  assert_non_null(list);
  assert_int_equal(json_get(g_root, "format")->num, 1);
  assert_true(list->len > 500);
  for (i = 0; i < list->len; i++) {
    const json *c = list->items[i];
    json *got = conf_run(g_root, c, err, sizeof err);
    if (!got) {
      print_error("%s\n", err);
      failed++;
      continue;
    }
    if (!json_equal(got, json_get(c, "expect"))) {
      print_error("case %s: got ", json_get(c, "id")->str);
      json_write(stderr, got);
      print_error("\n");
      failed++;
    }
    json_free(got);
  }
  assert_int_equal(failed, 0);
}

static void case_ids_are_unique(void **state) {
  const json *list = json_get(g_root, "cases");
  size_t i, j;
  (void)state;
  for (i = 0; i < list->len; i++)
    for (j = i + 1; j < list->len; j++)
      assert_string_not_equal(json_get(list->items[i], "id")->str,
                              json_get(list->items[j], "id")->str);
}

static void json_reader_is_strict(void **state) {
  static const char *const bad[] = {
    "", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "1.5", "1e3", "01", "-",
    "9223372036854775808", "-9223372036854775809", "\"\\ud800\"", "\"\\udc00\"",
    "\"\\ud800\\u0041\"", "\"\\u0000\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"",
    "\"a\nb\"", "\"\\x\"", "tru", "nul", "[1] 2", "{1:2}", "[", "{\"a\" 1}", "'a'"};
  static const struct { const char *text; long long num; } ints[] = {
    {"9223372036854775807", INT64_MAX}, {"-9223372036854775808", INT64_MIN}, {" -0 ", 0}};
  char err[128];
  const char *text;
  size_t i;
  json *v;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    v = json_parse(bad[i], strlen(bad[i]), err, sizeof err);
    if (v) fail_msg("accepted %s", bad[i]);
    assert_non_null(strstr(err, "line 1, column "));
  }
  for (i = 0; i < sizeof ints / sizeof *ints; i++) {
    v = json_parse(ints[i].text, strlen(ints[i].text), err, sizeof err);
    assert_non_null(v);
    assert_int_equal(v->type, JSON_INT);
    assert_true(v->num == ints[i].num);
    json_free(v);
  }
  /* escapes decode to UTF-8, a surrogate pair to one 4-byte character */
  text = "\"\\u00e9\\ud83d\\ude00\\n\\\"\"";
  v = json_parse(text, strlen(text), err, sizeof err);
  assert_non_null(v);
  assert_int_equal(v->len, 2 + 4 + 1 + 1);
  assert_memory_equal(v->str, "\xc3\xa9\xf0\x9f\x98\x80\n\"", 8);
  json_free(v);
  text = "{\"k\":[true,false,null]}\n";
  v = json_parse(text, strlen(text), err, sizeof err);
  assert_non_null(v);
  assert_int_equal(json_get(v, "k")->items[0]->num, 1);
  assert_int_equal(json_get(v, "k")->items[1]->num, 0);
  assert_int_equal(json_get(v, "k")->items[2]->type, JSON_NULL);
  json_free(v);
  text = "[\n 1,\n 2 x]";
  v = json_parse(text, strlen(text), err, sizeof err);
  assert_null(v);
  assert_string_equal(err, "line 3, column 4: expected ',' or ']'");
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_case_gives_the_recorded_answer),
    cmocka_unit_test(case_ids_are_unique),
    cmocka_unit_test(hand_b2b),
    cmocka_unit_test(hand_decay),
    cmocka_unit_test(hand_fractional),
    cmocka_unit_test(hand_sla),
    cmocka_unit_test(hand_route_and_calendar),
    cmocka_unit_test(hand_errors),
    cmocka_unit_test(json_reader_is_strict),
  };
  if (argc > 1) g_path = argv[1];
  return cmocka_run_group_tests(tests, load, unload);
}
