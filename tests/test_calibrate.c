/*
 * test_calibrate.c - the capacity-aware threshold (lib/calibrate.c).
 *
 * Small hand-worked books for the rules at the edges (ties at the cut,
 * everyone knocked out, capacity 0, capacity above n), then 100,000 random
 * leads on a small rubric whose scores the test knows by construction,
 * checked against a brute-force reference that sorts nothing: it tries
 * every candidate threshold and counts.  Errors and the allocation failure
 * path last.
 *
 * Every test runs under the counting allocator and ends with no live block.
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
#include "support.h"

#define NOW INT64_C(1767261600) /* 2026-01-01T10:00:00Z */
#define DAY INT64_C(86400)

/* Fit: need 0-3, size 0-3 (0 when absent).  Engagement: demo 25 within 30
 * days, content 2 each up to 10, no decay.  Knockout: students. */
static const char RUBRIC[] =
  "rubric \"calibrate\"\n"
  "fit \"need\" from need\n"
  "  when \"high\" -> 3\n"
  "  when \"medium\" -> 2\n"
  "  when \"low\" -> 1\n"
  "fit \"size\" from employees\n"
  "  when >= 1000 -> 3\n"
  "  when 100..999 -> 2\n"
  "  otherwise -> 1\n"
  "engagement \"demo\" on demo_requested -> 25 expire 30d\n"
  "engagement \"content\" on content_download -> 2 each max 10\n"
  "knockout \"student\" when persona is \"student\"\n";

/* ---- fixtures and helpers ------------------------------------------------- */

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

static lg_rubric *rubric(void) {
  lg_rubric *r = NULL;
  lg_error   err;
  assert_int_equal(lg_rubric_parse(RUBRIC, strlen(RUBRIC), &r, &err), LG_OK);
  return r;
}

static const char *const NEED[] = {NULL, "low", "medium", "high"};

/* A lead with fit need (0-3) + size (0-3: absent, 10, 500, 5000 staff),
 * a demo request or not, `downloads` content events, and knocked out when
 * `student`.  Its fit is need + size points, its engagement 25 * demo +
 * min(10, 2 * downloads). */
static lg_lead *make_lead(int need, int size, int demo, int downloads, int student) {
  static const int64_t staff[] = {0, 10, 500, 5000};
  lg_lead             *l = NULL;
  int                  k;
  assert_int_equal(lg_lead_create("lead", &l), LG_OK);
  if (need) assert_int_equal(lg_lead_set_text(l, "need", NEED[need]), LG_OK);
  if (size) assert_int_equal(lg_lead_set_int(l, "employees", staff[size]), LG_OK);
  if (demo) assert_int_equal(lg_lead_add_event(l, "demo_requested", NOW - DAY), LG_OK);
  for (k = 0; k < downloads; k++)
    assert_int_equal(lg_lead_add_event(l, "content_download", NOW - DAY - k), LG_OK);
  if (student) assert_int_equal(lg_lead_set_text(l, "persona", "student"), LG_OK);
  return l;
}

/* A lead whose fit is exactly `points` (0-6) and engagement 0. */
static lg_lead *fit_lead(int points, int student) {
  int need = points > 3 ? 3 : points;
  return make_lead(need, points - need, 0, 0, student);
}

static void free_all(lg_lead **leads, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) lg_lead_free(leads[i]);
}

static void calibrate_ok(const lg_rubric *r, lg_lead **leads, size_t n, int dim,
                         size_t capacity, lg_points want_t, size_t want_count) {
  lg_points t = -12345;
  size_t    count = 12345;
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, n, NOW, (lg_dimension)dim, capacity, &t,
                                &count),
                   LG_OK);
  assert_int_equal(t, want_t);
  assert_int_equal(count, want_count);
}

/* ---- hand-worked cases ------------------------------------------------------ */

static void ties_at_the_threshold_all_fall_below_it(void **state) {
  static const int fits[] = {4, 5, 2, 4, 4};
  lg_rubric *r = rubric();
  lg_lead   *leads[5];
  size_t     i;
  (void)state;
  for (i = 0; i < 5; i++) leads[i] = fit_lead(fits[i], 0);
  /* Sorted: 5 4 4 4 2 (points).  Capacity 2: s[2] = 4, so T = 4.001 and
   * only the 5 passes - admitting the 4s would admit three of them. */
  calibrate_ok(r, leads, 5, LG_DIM_FIT, 2, 4001, 1);
  calibrate_ok(r, leads, 5, LG_DIM_FIT, 1, 4001, 1);
  calibrate_ok(r, leads, 5, LG_DIM_FIT, 3, 4001, 1);
  /* Capacity 4: s[4] = 2, T = 2.001, the four above pass. */
  calibrate_ok(r, leads, 5, LG_DIM_FIT, 4, 2001, 4);
  free_all(leads, 5);
  lg_rubric_free(r);
}

static void capacity_zero_puts_the_threshold_above_the_best(void **state) {
  lg_rubric *r = rubric();
  lg_lead   *leads[3];
  (void)state;
  leads[0] = fit_lead(3, 0);
  leads[1] = fit_lead(6, 1); /* best, but knocked out: ignored */
  leads[2] = fit_lead(5, 0);
  calibrate_ok(r, leads, 3, LG_DIM_FIT, 0, 5001, 0);
  free_all(leads, 3);
  lg_rubric_free(r);
}

static void capacity_at_or_above_the_leads_admits_them_all(void **state) {
  lg_rubric *r = rubric();
  lg_lead   *leads[4];
  (void)state;
  leads[0] = fit_lead(3, 0);
  leads[1] = fit_lead(0, 1); /* knocked out: not counted, not the lowest */
  leads[2] = fit_lead(5, 0);
  leads[3] = fit_lead(2, 0);
  /* m = 3 leads not knocked out; the lowest score, 2, admits them all. */
  calibrate_ok(r, leads, 4, LG_DIM_FIT, 3, 2000, 3);
  calibrate_ok(r, leads, 4, LG_DIM_FIT, 4, 2000, 3);
  calibrate_ok(r, leads, 4, LG_DIM_FIT, (size_t)-1, 2000, 3);
  /* One fewer: s[2] = 2, T = 2.001. */
  calibrate_ok(r, leads, 4, LG_DIM_FIT, 2, 2001, 2);
  free_all(leads, 4);
  lg_rubric_free(r);
}

static void all_knocked_out_or_no_leads_gives_zero_and_nobody(void **state) {
  lg_rubric *r = rubric();
  lg_lead   *leads[2];
  long       calls;
  (void)state;
  leads[0] = fit_lead(6, 1);
  leads[1] = fit_lead(2, 1);
  calibrate_ok(r, leads, 2, LG_DIM_TOTAL, 5, 0, 0);
  calibrate_ok(r, leads, 2, LG_DIM_TOTAL, 0, 0, 0);
  calls = ts_alloc_calls();
  calibrate_ok(r, NULL, 0, LG_DIM_TOTAL, 5, 0, 0); /* no leads: nothing allocated */
  assert_int_equal(ts_alloc_calls(), calls);
  free_all(leads, 2);
  lg_rubric_free(r);
}

static void the_dimension_picks_fit_engagement_or_total(void **state) {
  lg_rubric *r = rubric();
  lg_lead   *leads[3];
  (void)state;
  /* fit / engagement / total (points): 6/0/6, 1/25/26, 3/10/13. */
  leads[0] = make_lead(3, 3, 0, 0, 0);
  leads[1] = make_lead(1, 0, 1, 0, 0);
  leads[2] = make_lead(2, 1, 0, 7, 0); /* 7 downloads: 14, capped at 10 */
  calibrate_ok(r, leads, 3, LG_DIM_FIT, 1, 3001, 1);
  calibrate_ok(r, leads, 3, LG_DIM_ENGAGEMENT, 1, 10001, 1);
  calibrate_ok(r, leads, 3, LG_DIM_TOTAL, 1, 13001, 1);
  calibrate_ok(r, leads, 3, LG_DIM_ENGAGEMENT, 3, 0, 3);
  free_all(leads, 3);
  lg_rubric_free(r);
}

/* ---- 100,000 random leads against brute force -------------------------------- */

static uint32_t rng_state = 88172645u;
static uint32_t rnd(uint32_t bound) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state % bound;
}

/* Smallest T with at most `capacity` of v[0..m) >= T, as specified: the
 * lowest score when everyone fits, else the least candidate (each distinct
 * score, and each plus one) that admits no more than capacity.  O(m) per
 * candidate, and the rubric gives few distinct scores; no sorting. */
static void brute(const lg_points *v, size_t m, size_t capacity, lg_points *t,
                  size_t *count) {
  lg_points distinct[128], best = 0, lowest = 0;
  size_t    nd = 0, i, j, c;
  int       found = 0;
  if (m == 0) {
    *t = 0;
    *count = 0;
    return;
  }
  for (i = 0; i < m; i++) {
    for (j = 0; j < nd && distinct[j] != v[i]; j++) continue;
    if (j == nd) {
      assert_true(nd < 128);
      distinct[nd++] = v[i];
    }
    if (i == 0 || v[i] < lowest) lowest = v[i];
  }
  if (capacity >= m) {
    *t = lowest;
    *count = m;
    return;
  }
  for (i = 0; i < 2 * nd; i++) {
    lg_points cand = distinct[i / 2] + (lg_points)(i % 2);
    if (found && cand >= best) continue;
    for (c = 0, j = 0; j < m; j++) c += v[j] >= cand;
    if (c <= capacity) {
      best = cand;
      found = 1;
    }
  }
  for (c = 0, j = 0; j < m; j++) c += v[j] >= best;
  *t = best;
  *count = c;
}

#define MANY 100000

static void random_leads_match_a_brute_force_reference(void **state) {
  lg_rubric *r = rubric();
  lg_lead  **leads = calloc(MANY, sizeof *leads);
  lg_points *fit = calloc(MANY, sizeof *fit), *eng = calloc(MANY, sizeof *eng),
            *tot = calloc(MANY, sizeof *tot);
  size_t     i, m = 0, k, n = (size_t)ts_rounds(MANY);
  int        dim;
  (void)state;
  assert_non_null(leads);
  assert_non_null(fit);
  assert_non_null(eng);
  assert_non_null(tot);
  for (i = 0; i < n; i++) {
    int need = (int)rnd(4), size = (int)rnd(4), demo = rnd(5) == 0;
    int downloads = (int)rnd(8), student = rnd(10) == 0;
    int e = 25 * demo + (2 * downloads > 10 ? 10 : 2 * downloads);
    leads[i] = make_lead(need, size, demo, downloads, student);
    if (student) continue;
    fit[m] = (need + size) * 1000;
    eng[m] = e * 1000;
    tot[m] = fit[m] + eng[m];
    m++;
  }
  for (dim = LG_DIM_FIT; dim <= LG_DIM_TOTAL; dim++) {
    const lg_points *v = dim == LG_DIM_FIT ? fit : dim == LG_DIM_ENGAGEMENT ? eng : tot;
    size_t           caps[12];
    caps[0] = 0;
    caps[1] = 1;
    caps[2] = 100;
    caps[3] = 5000;
    caps[4] = 50000;
    caps[5] = m - 1;
    caps[6] = m;
    caps[7] = m + 1;
    caps[8] = n;
    caps[9] = rnd((uint32_t)m);
    caps[10] = rnd((uint32_t)m);
    caps[11] = rnd(1000);
    for (k = 0; k < 12; k++) {
      lg_points want_t;
      size_t    want_count;
      brute(v, m, caps[k], &want_t, &want_count);
      calibrate_ok(r, leads, n, dim, caps[k], want_t, want_count);
    }
  }
  free_all(leads, n);
  free(leads);
  free(fit);
  free(eng);
  free(tot);
  lg_rubric_free(r);
}

/* ---- errors and allocation ----------------------------------------------------- */

static void bad_arguments_are_rejected_and_outputs_untouched(void **state) {
  lg_rubric *r = rubric();
  lg_lead   *leads[2];
  lg_points  t = -7;
  size_t     count = 7;
  long       calls;
  (void)state;
  leads[0] = fit_lead(3, 0);
  leads[1] = NULL;
  calls = ts_alloc_calls();
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 2, NOW, LG_DIM_FIT, 1, &t,
                                &count),
                   LG_ERR_INVALID);
  assert_int_equal(ts_alloc_calls(), calls); /* checked before allocating */
  assert_int_equal(lg_calibrate(NULL, (const lg_lead *const *)leads, 1, NOW, LG_DIM_FIT, 1,
                                &t, &count),
                   LG_ERR_INVALID);
  assert_int_equal(lg_calibrate(r, NULL, 1, NOW, LG_DIM_FIT, 1, &t, &count), LG_ERR_INVALID);
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 1, NOW, LG_DIM_FIT, 1, NULL,
                                &count),
                   LG_ERR_INVALID);
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 1, NOW, LG_DIM_FIT, 1, &t,
                                NULL),
                   LG_ERR_INVALID);
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 1, NOW, 3, 1, &t, &count),
                   LG_ERR_INVALID);
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 1, NOW, (lg_dimension)-1, 1, &t, &count),
                   LG_ERR_INVALID);
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 1, LG_TIME_MAX + 1,
                                LG_DIM_FIT, 1, &t, &count),
                   LG_ERR_RANGE);
  assert_int_equal(t, -7);
  assert_int_equal(count, 7);
  lg_lead_free(leads[0]);
  lg_rubric_free(r);
}

static void allocation_failure_is_nomem_with_outputs_untouched(void **state) {
  lg_rubric *r = rubric();
  lg_lead   *leads[3];
  lg_points  t = -7;
  size_t     count = 7;
  long       blocks;
  (void)state;
  leads[0] = fit_lead(3, 0);
  leads[1] = fit_lead(4, 0);
  leads[2] = fit_lead(1, 0);
  blocks = ts_alloc_live_blocks();
  ts_alloc_fail_at(1, 0);
  assert_int_equal(lg_calibrate(r, (const lg_lead *const *)leads, 3, NOW, LG_DIM_FIT, 1, &t,
                                &count),
                   LG_ERR_NOMEM);
  assert_true(ts_alloc_failed());
  ts_alloc_fail_at(0, 0);
  assert_int_equal(t, -7);
  assert_int_equal(count, 7);
  assert_int_equal(ts_alloc_live_blocks(), blocks);
  /* The same call succeeds afterwards and frees its scratch space. */
  calibrate_ok(r, leads, 3, LG_DIM_FIT, 1, 3001, 1);
  assert_int_equal(ts_alloc_live_blocks(), blocks);
  free_all(leads, 3);
  lg_rubric_free(r);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(ties_at_the_threshold_all_fall_below_it),
    T(capacity_zero_puts_the_threshold_above_the_best),
    T(capacity_at_or_above_the_leads_admits_them_all),
    T(all_knocked_out_or_no_leads_gives_zero_and_nobody),
    T(the_dimension_picks_fit_engagement_or_total),
    T(random_leads_match_a_brute_force_reference),
    T(bad_arguments_are_rejected_and_outputs_untouched),
    T(allocation_failure_is_nomem_with_outputs_untouched),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
