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

static void hand_b2b_scores(void **state) {
  (void)state;
  /* hot: need high 3 + timeframe 2 (<= 3) 3 + role "Economic Buyer" 3 +
     industry SaaS 3 = 12.  Engagement: demo 7d old < 30d: 25; content at
     14d (one half-life): 2 * 0.5 = 1, at 1d: 2 * 2^(-1/14) = 1.90337: 1.903;
     webinar at 30d (one half-life): 5 * 0.5 = 2.5.  Sum 25 + 2.903 + 2.5 =
     30.403.  (Decay is within 1 milli-point; these land exactly.) */
  assert_int_equal(expect_int("score/b2b/hot/t0", "fit"), 12000);
  assert_int_equal(expect_int("score/b2b/hot/t0", "engagement"), 30403);
  assert_int_equal(expect_int("score/b2b/hot/t0", "total"), 42403);
  assert_int_equal(expect_int("score/b2b/hot/t0", "knockout_index"), -1);
  assert_int_equal(expect_int("score/b2b/hot/t0", "missing_count"), 0);
  /* fit 12 >= 8 and a demo within 30d: mql, grade A (fit >= 10); the
     reason is the whole qualify rule that held (an `and`). */
  assert_string_equal(expect_str("decide/b2b+inbound/hot/t0", "verdict"), "mql");
  assert_string_equal(expect_str("decide/b2b+inbound/hot/t0", "grade"), "A");
  assert_string_equal(expect_str("decide/b2b+inbound/hot/t0", "reason"),
                      "fit >= 8 and (event demo_requested within 30d or engagement >= 15)");
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
      json_write(stdout, got);
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

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_case_gives_the_recorded_answer),
    cmocka_unit_test(case_ids_are_unique),
    cmocka_unit_test(hand_b2b_scores),
  };
  if (argc > 1) g_path = argv[1];
  return cmocka_run_group_tests(tests, load, unload);
}
