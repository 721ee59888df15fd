/*
 * test_learn.c - learning a rubric from outcomes (lib/learn.c).
 *
 * Expected points are worked by hand from the formula of leadgate.h
 *   points = round(1000 x log2( ((won_b + 1) / (won + k)) /
 *                               ((lost_b + 1) / (lost + k)) ))
 * (the logarithms evaluated independently, e.g. log2(3.5) = 1.80735), on
 * small tables whose counts the test sets; bins and kept values follow
 * the documented rules by hand.  Then: the text parses and scores as the
 * sum of its buckets, it does not depend on the order of the leads, its
 * fingerprint is stable; every error path; every allocation failure.
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
#include <math.h>

#include "leadgate.h"
#include "support.h"

#define MAX_LEADS 512
#define TEXT_CAP  (1 << 16)

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

/* ---- a table of leads ------------------------------------------------------ */

typedef struct table {
  lg_lead *lead[MAX_LEADS];
  int32_t  converted[MAX_LEADS];
  size_t   n;
} table;

/* Adds n leads with outcome c; returns the index of the first. */
static size_t add_leads(table *t, size_t n, int32_t c) {
  size_t first = t->n, i;
  char   id[32];
  assert_true(t->n + n <= MAX_LEADS);
  for (i = 0; i < n; i++) {
    snprintf(id, sizeof id, "L-%lu", (unsigned long)t->n + 1);
    assert_int_equal(lg_lead_create(id, &t->lead[t->n]), LG_OK);
    t->converted[t->n++] = c;
  }
  return first;
}

/* Sets text `value` on leads [from, from + n). */
static void set_text(table *t, size_t from, size_t n, const char *name, const char *value) {
  size_t i;
  for (i = from; i < from + n; i++)
    assert_int_equal(lg_lead_set_text(t->lead[i], name, value), LG_OK);
}

static void set_bool(table *t, size_t from, size_t n, const char *name, int value) {
  size_t i;
  for (i = from; i < from + n; i++)
    assert_int_equal(lg_lead_set_bool(t->lead[i], name, value), LG_OK);
}

static void table_free(table *t) {
  size_t i;
  for (i = 0; i < t->n; i++) lg_lead_free(t->lead[i]);
  t->n = 0;
}

static lg_status learn(const table *t, const char *const *attrs, size_t n_attrs,
                       const lg_learn_options *o, char *buf, size_t cap, size_t *needed) {
  return lg_learn_rubric((const lg_lead *const *)t->lead, t->converted, t->n, attrs, n_attrs,
                         "learned", o, buf, cap, needed);
}

/* Learns into a static buffer and returns it; the learn must succeed. */
static const char *learned(const table *t, const char *const *attrs, size_t n_attrs,
                           const lg_learn_options *o) {
  static char text[TEXT_CAP];
  size_t      needed = 0;
  lg_status   st = learn(t, attrs, n_attrs, o, text, sizeof text, &needed);
  if (st != LG_OK) fail_msg("lg_learn_rubric: %s", lg_status_name(st));
  assert_int_equal(needed, strlen(text) + 1);
  return text;
}

static void assert_has_line(const char *text, const char *line) {
  const char *p = text;
  size_t      n = strlen(line);
  for (;;) {
    const char *hit = strstr(p, line);
    if (!hit) fail_msg("missing line '%s' in:\n%s", line, text);
    if ((hit == text || hit[-1] == '\n') && (hit[n] == '\n' || hit[n] == '\0')) return;
    p = hit + 1;
  }
}

static lg_rubric *parse(const char *text) {
  lg_rubric *r = NULL;
  lg_error   err;
  lg_status  st = lg_rubric_parse(text, strlen(text), &r, &err);
  if (st != LG_OK) fail_msg("%u:%u: %s in:\n%s", err.line, err.column, err.message, text);
  return r;
}

static lg_points fit_of(const lg_rubric *r, const lg_lead *lead) {
  lg_score s;
  assert_int_equal(lg_score_lead(r, lead, 0, &s), LG_OK);
  return s.fit;
}

/* ---- the 20-lead table ----------------------------------------------------
 *
 *              converted (10)          not converted (10)
 *   need       high 6, medium 3, low 1  high 1, medium 3, low 6
 *   demo       true 7, false 3          true 1, false 9
 *
 * need: kept high (7 leads), low (7), medium (6) - high before low by byte
 * order - then otherwise and missing: k = 5, won + k = lost + k = 15:
 *   high   log2((7/15) / (2/15)) = log2(3.5)  =  1.80735 ->  1.807
 *   low    log2(2/7)                          = -1.80735 -> -1.807
 *   medium log2(4/4) = 0; otherwise and missing (empty) log2(1/1) = 0
 * demo: k = 4, 14 and 14:
 *   true   log2((8/14) / (2/14)) = log2(4)    =  2
 *   false  log2(4/10)                         = -1.32193 -> -1.322
 * Prior 10/10: log2 odds 0; 10% at -log2(9) = -3.170, 25% at -log2(3) =
 * -1.585, 50% at 0. */
static void twenty_leads(table *t) {
  size_t w = add_leads(t, 10, 1), l = add_leads(t, 10, 0);
  set_text(t, w, 6, "need", "high");
  set_text(t, w + 6, 3, "need", "medium");
  set_text(t, w + 9, 1, "need", "low");
  set_text(t, l, 1, "need", "high");
  set_text(t, l + 1, 3, "need", "medium");
  set_text(t, l + 4, 6, "need", "low");
  set_bool(t, w, 7, "demo", 1);
  set_bool(t, w + 7, 3, "demo", 0);
  set_bool(t, l, 1, "demo", 1);
  set_bool(t, l + 1, 9, "demo", 0);
}

static const char *const NEED_DEMO[] = {"need", "demo"};
static const lg_learn_options KEEP_ALL = {0, 0, 1, 0, 0};

static void hand_worked_weights_of_evidence(void **state) {
  table       t = {{0}, {0}, 0};
  const char *text;
  (void)state;
  twenty_leads(&t);
  text = learned(&t, NEED_DEMO, 2, &KEEP_ALL);
  assert_has_line(text, "rubric \"learned\"");
  assert_has_line(text, "fit \"need\" from need  # text, 5 buckets");
  assert_has_line(text, "  when \"high\" -> 1.807  # 6 converted, 1 not");
  assert_has_line(text, "  when \"low\" -> -1.807  # 1 converted, 6 not");
  assert_has_line(text, "  when \"medium\" -> 0  # 3 converted, 3 not");
  assert_has_line(text, "  otherwise -> 0  # 0 converted, 0 not");
  assert_has_line(text, "  missing -> 0  # 0 converted, 0 not");
  assert_has_line(text, "fit \"demo\" from demo  # bool, 4 buckets");
  assert_has_line(text, "  when true -> 2  # 7 converted, 1 not");
  assert_has_line(text, "  when false -> -1.322  # 3 converted, 9 not");
  assert_non_null(strstr(text, "# prior 50.0% (log2 odds 0); modelled conversion reaches "
                               "10% at fit -3.17, 25% at -1.585, 50% at 0\n"));
  /* kept values in the documented order: high, low, medium */
  assert_true(strstr(text, "\"high\"") < strstr(text, "\"low\""));
  assert_true(strstr(text, "\"low\"") < strstr(text, "\"medium\""));
  table_free(&t);
}

static void learned_rubric_scores_as_the_sum_of_its_buckets(void **state) {
  table      t = {{0}, {0}, 0};
  lg_rubric *r;
  (void)state;
  twenty_leads(&t);
  r = parse(learned(&t, NEED_DEMO, 2, &KEEP_ALL));
  assert_int_equal(lg_rubric_max_fit(r), 1807 + 2000);
  assert_int_equal(fit_of(r, t.lead[0]), 1807 + 2000);    /* high, true */
  assert_int_equal(fit_of(r, t.lead[7]), 0 - 1322);       /* medium, false */
  assert_int_equal(fit_of(r, t.lead[19]), -1807 - 1322);  /* low, false */
  lg_rubric_free(r);
  table_free(&t);
}

/* ---- smoothing ------------------------------------------------------------ */

/* 10 converted, 30 not; opt_in always present: true 5/15, false 5/15.
 * k = 4: won + k = 14, lost + k = 34.
 *   true, false   log2((6/14) / (16/34)) = -0.13493 -> -0.135
 *   otherwise, missing (empty)  log2((1/14) / (1/34)) = log2(34/14)
 *                               = 1.28011 -> 1.28
 * Prior log2(10/30) = -1.585; 10% at -log2 9 + log2 3 = -1.585, 25% at 0,
 * 50% at 1.585. */
static void empty_buckets_get_the_smoothed_ratio_of_the_totals(void **state) {
  table       t = {{0}, {0}, 0};
  size_t      w = add_leads(&t, 10, 1), l = add_leads(&t, 30, 0);
  const char *attrs[] = {"opt_in"};
  const char *text;
  (void)state;
  set_bool(&t, w, 5, "opt_in", 1);
  set_bool(&t, w + 5, 5, "opt_in", 0);
  set_bool(&t, l, 15, "opt_in", 1);
  set_bool(&t, l + 15, 15, "opt_in", 0);
  text = learned(&t, attrs, 1, NULL);
  assert_has_line(text, "  when true -> -0.135  # 5 converted, 15 not");
  assert_has_line(text, "  when false -> -0.135  # 5 converted, 15 not");
  assert_has_line(text, "  otherwise -> 1.28  # 0 converted, 0 not");
  assert_has_line(text, "  missing -> 1.28  # 0 converted, 0 not");
  assert_non_null(strstr(text, "# prior 25.0% (log2 odds -1.585); modelled conversion "
                               "reaches 10% at fit -1.585, 25% at 0, 50% at 1.585\n"));
  table_free(&t);
}

/* ---- quantile bins ------------------------------------------------------- */

/* Lead i (the first 10 converted) gets values[i]. */
static void int_table(table *t, const int64_t *values, size_t n) {
  size_t i;
  add_leads(t, 10, 1);
  add_leads(t, n - 10, 0);
  for (i = 0; i < n; i++) assert_int_equal(lg_lead_set_int(t->lead[i], "n", values[i]), LG_OK);
}

static const char *const N_ONLY[] = {"n"};

/* 20 values, 4 bins: targets ceil(20 j / 4) = 5, 10, 15 in sorted order
 *   1 1 1 1 1 1 1 2 2 3 | 4 5 6 7 8 9 10 10 10 10
 * position 5 is 1, 10 is 3, 15 is 8: edges 1, 3, 8.  The seven 1s stay
 * together in the first bin (7 leads, not 5).  k = 6, 16 and 16:
 *   <= 1    7/0: log2(8/1) = 3          2..3   3/0: log2(4) = 2
 *   4..8    0/5: log2(1/6) = -2.585     > 8    0/5: -2.585 */
static void quantile_bins_keep_ties_together(void **state) {
  static const int64_t v[20] = {1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10};
  table                t = {{0}, {0}, 0};
  lg_learn_options     o = {0, 4, 0, 0, 0};
  const char          *text;
  (void)state;
  int_table(&t, v, 20);
  text = learned(&t, N_ONLY, 1, &o);
  assert_has_line(text, "fit \"n\" from n  # int, 6 buckets");
  assert_has_line(text, "  when <= 1 -> 3  # 7 converted, 0 not");
  assert_has_line(text, "  when 2..3 -> 2  # 3 converted, 0 not");
  assert_has_line(text, "  when 4..8 -> -2.585  # 0 converted, 5 not");
  assert_has_line(text, "  when > 8 -> -2.585  # 0 converted, 5 not");
  assert_has_line(text, "  otherwise -> 0  # 0 converted, 0 not");
  table_free(&t);
}

/* Twelve 1s take targets 5 and 10: one edge; target 15 is the 15th value,
 * 4.  Bins <= 1, 2..4, > 4 (k = 5). */
static void quantile_edges_on_one_value_merge(void **state) {
  static const int64_t v[20] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  table                t = {{0}, {0}, 0};
  lg_learn_options     o = {0, 4, 0, 0, 0};
  const char          *text;
  (void)state;
  int_table(&t, v, 20);
  text = learned(&t, N_ONLY, 1, &o);
  assert_has_line(text, "fit \"n\" from n  # int, 5 buckets");
  assert_non_null(strstr(text, "  when <= 1 -> "));
  assert_non_null(strstr(text, "  when 2..4 -> "));
  assert_non_null(strstr(text, "  when > 4 -> "));
  table_free(&t);
}

/* 1 2 3 4 then sixteen 5s, 4 bins: every target lands on the largest
 * value, whose edge is dropped: a single bin, written to cover every
 * integer.  k = 3, 13 and 13: 10/10 -> 0. */
static void quantile_edge_at_the_largest_value_is_dropped(void **state) {
  static const int64_t v[20] = {1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
  table                t = {{0}, {0}, 0};
  lg_learn_options     o = {0, 4, 0, 0, 0};
  const char          *text;
  lg_rubric           *r;
  lg_lead             *probe;
  (void)state;
  int_table(&t, v, 20);
  text = learned(&t, N_ONLY, 1, &o);
  assert_has_line(text, "fit \"n\" from n  # int, 3 buckets");
  assert_has_line(text, "  when <= 5, > 5 -> 0  # 10 converted, 10 not");
  r = parse(text);
  assert_int_equal(lg_lead_create("probe", &probe), LG_OK);
  assert_int_equal(lg_lead_set_int(probe, "n", -1000000), LG_OK);
  assert_int_equal(fit_of(r, probe), 0);
  lg_lead_free(probe);
  lg_rubric_free(r);
  table_free(&t);
}

/* Three distinct values (3, 7, 9) and 5 bins: each value its own bin,
 * bins <= 3, 4..7, > 7, whatever the counts.  Values: converted 3 x5,
 * 7 x5; not 7 x5, 9 x5.  k = 5, 15 and 15:
 *   <= 3   5/0: log2(6)   =  2.585     4..7  5/5: 0     > 7  0/5: -2.585 */
static void fewer_distinct_values_than_bins_give_one_bin_each(void **state) {
  static const int64_t v[20] = {3, 3, 3, 3, 3, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 9, 9, 9, 9, 9};
  table                t = {{0}, {0}, 0};
  const char          *text;
  (void)state;
  int_table(&t, v, 20);
  text = learned(&t, N_ONLY, 1, NULL);
  assert_has_line(text, "fit \"n\" from n  # int, 5 buckets");
  assert_has_line(text, "  when <= 3 -> 2.585  # 5 converted, 0 not");
  assert_has_line(text, "  when 4..7 -> 0  # 5 converted, 5 not");
  assert_has_line(text, "  when > 7 -> -2.585  # 0 converted, 5 not");
  table_free(&t);
}

/* One value written alone: 1, 2 and 3 with 4 bins (D <= bins): 2 is
 * `when 2`. */
static void a_bin_of_one_value_is_written_as_that_value(void **state) {
  static const int64_t v[20] = {1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3};
  table                t = {{0}, {0}, 0};
  lg_learn_options     o = {0, 4, 0, 0, 0};
  const char          *text;
  (void)state;
  int_table(&t, v, 20);
  text = learned(&t, N_ONLY, 1, &o);
  assert_non_null(strstr(text, "\n  when <= 1 -> "));
  assert_non_null(strstr(text, "\n  when 2 -> "));
  assert_non_null(strstr(text, "\n  when > 2 -> "));
  table_free(&t);
}

/* ---- text values, mixed types ------------------------------------------------ */

static void text_values_bucket_case_insensitively(void **state) {
  table       t = {{0}, {0}, 0};
  size_t      w = add_leads(&t, 10, 1), l = add_leads(&t, 10, 0);
  const char *attrs[] = {"industry"};
  const char *text;
  (void)state;
  set_text(&t, w, 4, "industry", "SaaS");
  set_text(&t, w + 4, 4, "industry", "saas");
  set_text(&t, w + 8, 2, "industry", "SAAS");
  set_text(&t, l, 10, "industry", "Retail");
  text = learned(&t, attrs, 1, &KEEP_ALL);
  /* k = 4, 14 and 14: saas 10/0 log2(11) = 3.459; retail 0/10 -3.459 */
  assert_has_line(text, "  when \"saas\" -> 3.459  # 10 converted, 0 not");
  assert_has_line(text, "  when \"retail\" -> -3.459  # 0 converted, 10 not");
  table_free(&t);
}

/* Equal counts go in byte order, a prefix before what it starts: "", "a",
 * "ab", "b". */
static void equal_counts_keep_byte_order_prefix_first(void **state) {
  static const char *const values[] = {"b", "ab", "a", ""};
  table       t = {{0}, {0}, 0};
  const char *attrs[] = {"v"};
  const char *text, *p[4];
  size_t      i;
  (void)state;
  add_leads(&t, 10, 1);
  add_leads(&t, 10, 0);
  for (i = 0; i < 20; i++) set_text(&t, i, 1, "v", values[i % 4]);
  text = learned(&t, attrs, 1, &KEEP_ALL);
  p[0] = strstr(text, "  when \"\" -> ");
  p[1] = strstr(text, "  when \"a\" -> ");
  p[2] = strstr(text, "  when \"ab\" -> ");
  p[3] = strstr(text, "  when \"b\" -> ");
  for (i = 0; i < 4; i++) assert_non_null(p[i]);
  assert_true(p[0] < p[1] && p[1] < p[2] && p[2] < p[3]);
  table_free(&t);
}

/* Counts a 5, b 4, c 3, d 2 (alternating outcomes), max_values 2,
 * min_count 3: a and b kept; c is beyond max_values and d below min_count,
 * both `otherwise`; values with a tab or a DEL (which a rubric string
 * cannot hold) too, however frequent. */
static void rare_extra_and_unwritable_values_fold_into_otherwise(void **state) {
  static const char *const values[] = {"a", "a", "a", "a", "a", "b", "b", "b", "b", "c",
                                       "c", "c", "d", "d", "x\ty", "x\ty", "x\ty", "x\ty",
                                       "x\x7fy", "x\x7fy"};
  table            t = {{0}, {0}, 0};
  const char      *attrs[] = {"v"};
  lg_learn_options o = {2, 0, 3, 0, 0};
  const char      *text;
  size_t           i;
  (void)state;
  for (i = 0; i < 20; i++) {
    add_leads(&t, 1, (int32_t)(i % 2));
    set_text(&t, i, 1, "v", values[i]);
  }
  text = learned(&t, attrs, 1, &o);
  assert_has_line(text, "fit \"v\" from v  # text, 4 buckets");
  assert_non_null(strstr(text, "  when \"a\" -> "));
  assert_non_null(strstr(text, "  when \"b\" -> "));
  assert_null(strstr(text, "\"c\""));
  assert_null(strstr(text, "\"d\""));
  /* otherwise: c 3 + d 2 + x\ty 4 + x\x7fy 2 = 11 leads, indexes 9..19, of which
   * the 6 odd ones converted */
  assert_non_null(strstr(text, "  otherwise -> "));
  assert_non_null(strstr(text, "# 6 converted, 5 not\n  missing"));
  table_free(&t);
}

/* 12 ints and 8 texts: int wins and the texts count as otherwise; at 10
 * and 10 the tie goes to text and the ints are otherwise. */
static void mixed_types_majority_wins_the_rest_is_otherwise(void **state) {
  table       t = {{0}, {0}, 0};
  const char *attrs[] = {"size"};
  const char *text;
  size_t      i;
  (void)state;
  add_leads(&t, 10, 1);
  add_leads(&t, 10, 0);
  for (i = 0; i < 12; i++) assert_int_equal(lg_lead_set_int(t.lead[i], "size", (int64_t)i), LG_OK);
  set_text(&t, 12, 8, "size", "big");
  text = learned(&t, attrs, 1, &KEEP_ALL);
  assert_has_line(text, "fit \"size\" from size  # int, 7 buckets");
  assert_non_null(strstr(text, "  otherwise -> "));
  assert_non_null(strstr(text, " # 0 converted, 8 not\n  missing"));
  assert_null(strstr(text, "\"big\""));
  table_free(&t);

  add_leads(&t, 10, 1);
  add_leads(&t, 10, 0);
  for (i = 0; i < 10; i++) assert_int_equal(lg_lead_set_int(t.lead[i], "size", (int64_t)i), LG_OK);
  set_text(&t, 10, 10, "size", "big");
  text = learned(&t, attrs, 1, &KEEP_ALL);
  assert_has_line(text, "fit \"size\" from size  # text, 3 buckets");
  assert_has_line(text, "  otherwise -> 3.459  # 10 converted, 0 not");
  table_free(&t);
}

/* Only converted leads have the integer: the other outcome's list is
 * empty.  Values 1..10, 5 bins: edges 2, 4, 6, 8; each bin 2/0 of k = 7,
 * 17 and 17: log2(3) = 1.585; missing 0/10: log2(1/11) = -3.459. */
static void integers_of_one_outcome_only(void **state) {
  table       t = {{0}, {0}, 0};
  const char *text;
  size_t      i;
  (void)state;
  add_leads(&t, 10, 1);
  add_leads(&t, 10, 0);
  for (i = 0; i < 10; i++) assert_int_equal(lg_lead_set_int(t.lead[i], "n", (int64_t)i + 1), LG_OK);
  text = learned(&t, N_ONLY, 1, NULL);
  assert_has_line(text, "  when <= 2 -> 1.585  # 2 converted, 0 not");
  assert_has_line(text, "  when 3..4 -> 1.585  # 2 converted, 0 not");
  assert_has_line(text, "  when > 8 -> 1.585  # 2 converted, 0 not");
  assert_has_line(text, "  missing -> -3.459  # 0 converted, 10 not");
  table_free(&t);
}

static void an_attribute_nobody_has_is_all_missing(void **state) {
  table       t = {{0}, {0}, 0};
  const char *attrs[] = {"need", "nobody"};
  const char *text;
  (void)state;
  twenty_leads(&t);
  text = learned(&t, attrs, 2, NULL);
  /* k = 2, 12 and 12 */
  assert_has_line(text, "fit \"nobody\" from nobody  # text, 2 buckets");
  assert_has_line(text, "  missing -> 0  # 10 converted, 10 not");
  table_free(&t);
}

/* ---- parses, deterministic, stable ------------------------------------------ */

/* A bigger table of every kind of attribute. */
static void mixed_table(table *t) {
  size_t i;
  char   v[32];
  add_leads(t, 60, 1);
  add_leads(t, 140, 0);
  for (i = 0; i < t->n; i++) {
    unsigned x = (unsigned)(i * 2654435761u >> 7);
    snprintf(v, sizeof v, "%s%u", x % 3 ? "Co " : "co ", x % 41);
    if (i % 9) assert_int_equal(lg_lead_set_text(t->lead[i], "company", v), LG_OK);
    assert_int_equal(lg_lead_set_int(t->lead[i], "employees", (int64_t)(x % 5000) - 20), LG_OK);
    assert_int_equal(lg_lead_set_bool(t->lead[i], "opt_in", (int)(x % 2)), LG_OK);
    if (i % 5) assert_int_equal(lg_lead_set_text(t->lead[i], "need", x % 4 ? "high" : "low"),
                                LG_OK);
    else assert_int_equal(lg_lead_set_int(t->lead[i], "need", 3), LG_OK);
  }
}

static const char *const MIXED_ATTRS[] = {"company", "employees", "opt_in", "need"};

static void learned_text_parses_and_is_independent_of_lead_order(void **state) {
  static char first[TEXT_CAP];
  table       t = {{0}, {0}, 0};
  lg_learn_options o = {0, 0, 2, 0, 0};
  lg_rubric  *r;
  size_t      i;
  (void)state;
  mixed_table(&t);
  strcpy(first, learned(&t, MIXED_ATTRS, 4, &o));
  r = parse(first);
  lg_rubric_free(r);
  /* reverse, then rotate: same text byte for byte */
  for (i = 0; i < t.n / 2; i++) {
    lg_lead *l = t.lead[i];
    int32_t  c = t.converted[i];
    t.lead[i] = t.lead[t.n - 1 - i];
    t.converted[i] = t.converted[t.n - 1 - i];
    t.lead[t.n - 1 - i] = l;
    t.converted[t.n - 1 - i] = c;
  }
  assert_string_equal(learned(&t, MIXED_ATTRS, 4, &o), first);
  table_free(&t);
}

/* The fingerprint of the learned rubric is a constant: the same data gives
 * the same text in every build and on every platform (a change here is a
 * change of the learned text). */
static void fingerprint_is_stable(void **state) {
  table      t = {{0}, {0}, 0};
  lg_rubric *r1, *r2;
  (void)state;
  mixed_table(&t);
  r1 = parse(learned(&t, MIXED_ATTRS, 4, NULL));
  r2 = parse(learned(&t, MIXED_ATTRS, 4, NULL));
  assert_true(lg_rubric_fingerprint(r1) == lg_rubric_fingerprint(r2));
  assert_true(lg_rubric_fingerprint(r1) == UINT64_C(0xde811d0183498061));
  lg_rubric_free(r1);
  lg_rubric_free(r2);
  table_free(&t);
}

static void scale_multiplies_the_points(void **state) {
  table            t = {{0}, {0}, 0};
  lg_learn_options o = {0, 0, 1, 0, 10000}; /* 10 points a doubling */
  const char      *text;
  (void)state;
  twenty_leads(&t);
  text = learned(&t, NEED_DEMO, 2, &o);
  /* 10 x log2(3.5) = 18.0735, 10 x log2(0.4) = -13.2193 */
  assert_has_line(text, "  when \"high\" -> 18.074  # 6 converted, 1 not");
  assert_has_line(text, "  when false -> -13.219  # 3 converted, 9 not");
  assert_has_line(text, "  when true -> 20  # 7 converted, 1 not");
  table_free(&t);
}

/* Points as a double computation with libm gives them, rounded to
 * nearest, ties away from zero; 0 in *near_half when the exact value is so
 * close to a half that double rounding could go either way. */
static int64_t reference_points(uint64_t wb, uint64_t lb, uint64_t won, uint64_t lost,
                                uint64_t k, int64_t scale, int *near_half) {
  double x = (double)scale * log2((((double)wb + 1) / ((double)won + (double)k)) /
                                  (((double)lb + 1) / ((double)lost + (double)k)));
  double f = floor(fabs(x));
  *near_half = fabs(fabs(x) - f - 0.5) < 1e-6;
  return (int64_t)(fabs(x) - f >= 0.5 ? f + 1 : f) * (x < 0 ? -1 : 1);
}

/* The value after "-> " on the line starting with `prefix`. */
static int64_t points_after(const char *text, const char *prefix) {
  const char *p = strstr(text, prefix);
  int64_t     whole = 0, frac = 0, sign = 1;
  int         digits = 0;
  assert_non_null(p);
  p = strstr(p, "-> ") + 3;
  if (*p == '-') {
    sign = -1;
    p++;
  }
  while (*p >= '0' && *p <= '9') whole = whole * 10 + (*p++ - '0');
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; digits++) frac = frac * 10 + (*p++ - '0');
  for (; digits < 3; digits++) frac *= 10;
  return sign * (whole * 1000 + frac);
}

/* Random tables of one boolean attribute (true / false / absent counts
 * drawn per outcome) and random scales: every bucket's points equal the
 * libm computation.  An independent check of the fixed-point log2 over
 * many ratios. */
static void points_match_floating_point_log2_on_random_tables(void **state) {
  static const char *const attrs[] = {"b"};
  static const char *const lines[] = {"  when true", "  when false", "  otherwise",
                                      "  missing"};
  uint64_t                 rng = 12345;
  int                      round_;
  (void)state;
  for (round_ = 0; round_ < 3000; round_++) {
    table            t = {{0}, {0}, 0};
    uint64_t         cnt[2][3] = {{0}}, total[2];
    lg_learn_options o = {0, 0, 0, 0, 0};
    const char      *text;
    int              c, v, near;
    size_t           i;
    for (c = 0; c < 2; c++) {
      total[c] = 0;
      for (v = 0; v < 3; v++) {
        rng = rng * 6364136223846793005u + 1442695040888963407u;
        cnt[c][v] = (rng >> 33) % (v == 2 ? 8 : 60);
        total[c] += cnt[c][v];
      }
      if (total[c] < 10) {
        cnt[c][2] += 10 - total[c];
        total[c] = 10;
      }
    }
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    o.scale = (lg_points)(1 + (rng >> 33) % 1000000);
    for (c = 0; c < 2; c++)
      for (v = 0; v < 3; v++) {
        size_t first = add_leads(&t, (size_t)cnt[c][v], c);
        if (v < 2) set_bool(&t, first, (size_t)cnt[c][v], "b", v == 0);
      }
    text = learned(&t, attrs, 1, &o);
    for (i = 0; i < 4; i++) {
      uint64_t wb = i < 2 ? cnt[1][i] : i == 3 ? cnt[1][2] : 0;
      uint64_t lb = i < 2 ? cnt[0][i] : i == 3 ? cnt[0][2] : 0;
      int64_t  want = reference_points(wb, lb, total[1], total[0], 4, o.scale, &near);
      if (!near) assert_int_equal(points_after(text, lines[i]), want);
    }
    table_free(&t);
  }
}

/* ---- errors ---------------------------------------------------------------- */

static void fewer_than_ten_of_either_outcome_is_range(void **state) {
  table  t = {{0}, {0}, 0};
  char   buf[64] = "untouched";
  size_t needed = 77;
  (void)state;
  add_leads(&t, 9, 1);
  add_leads(&t, 30, 0);
  set_text(&t, 0, t.n, "need", "high");
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, buf, sizeof buf, &needed), LG_ERR_RANGE);
  add_leads(&t, 1, 1); /* 10 and 30: fine */
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, NULL, 0, &needed), LG_ERR_BUFFER);
  table_free(&t);
  add_leads(&t, 30, 1);
  add_leads(&t, 9, 0);
  needed = 77;
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, buf, sizeof buf, &needed), LG_ERR_RANGE);
  assert_int_equal(needed, 77);
  assert_string_equal(buf, "untouched");
  table_free(&t);
  assert_int_equal(lg_learn_rubric(NULL, NULL, 0, NEED_DEMO, 2, "x", NULL, buf, sizeof buf,
                                   &needed),
                   LG_ERR_RANGE);
}

static void buffer_too_small_says_how_big(void **state) {
  static char full[TEXT_CAP], small[TEXT_CAP];
  table       t = {{0}, {0}, 0};
  size_t      needed = 0, n2 = 0;
  (void)state;
  twenty_leads(&t);
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, NULL, 0, &needed), LG_ERR_BUFFER);
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, full, needed, &n2), LG_OK);
  assert_int_equal(n2, needed);
  assert_int_equal(strlen(full) + 1, needed);
  memset(small, 'x', sizeof small);
  n2 = 0;
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, small, needed - 1, &n2), LG_ERR_BUFFER);
  assert_int_equal(n2, needed);
  assert_int_equal(small[0], 'x');
  assert_int_equal(small[needed - 2], 'x');
  /* needed may be NULL */
  assert_int_equal(learn(&t, NEED_DEMO, 2, NULL, small, needed, NULL), LG_OK);
  assert_string_equal(small, full);
  table_free(&t);
}

static void options_size_is_known_to_bindings(void **state) {
  (void)state;
  assert_int_equal(lg_struct_size(LG_STRUCT_LEARN_OPTIONS), sizeof(lg_learn_options));
  assert_int_equal(sizeof(lg_learn_options), 24);
}

static void bad_arguments_are_invalid(void **state) {
  table            t = {{0}, {0}, 0};
  char             buf[TEXT_CAP];
  size_t           needed = 5;
  const char      *dup[] = {"need", "need"};
  const char      *bad[] = {"Need"};
  const char      *null_name[] = {NULL};
  const lg_lead   *leads[20];
  lg_learn_options o;
  size_t           i;
  char             long_name[66];
  const lg_lead *const *L;
  (void)state;
  twenty_leads(&t);
  L = (const lg_lead *const *)t.lead;
#define LEARN(leads_, conv_, n_, attrs_, na_, name_, o_, buf_, cap_)                           \
  lg_learn_rubric(leads_, conv_, n_, attrs_, na_, name_, o_, buf_, cap_, &needed)
  assert_int_equal(LEARN(NULL, t.converted, 20, NEED_DEMO, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, NULL, 20, NEED_DEMO, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, NULL, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 0, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, dup, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, bad, 1, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, null_name, 1, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, NULL, NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "a\nb", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "\xff", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  memset(long_name, 'n', 65);
  long_name[65] = '\0';
  {
    const char *long_attr[] = {long_name};
    assert_int_equal(LEARN(L, t.converted, 20, long_attr, 1, "x", NULL, buf, sizeof buf),
                     LG_ERR_INVALID);
  }
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, long_name, NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  long_name[64] = '\0';
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, long_name, NULL, buf, sizeof buf),
                   LG_OK);
  needed = 5;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", NULL, NULL, 10),
                   LG_ERR_INVALID);
  for (i = 0; i < 20; i++) leads[i] = t.lead[i];
  leads[3] = NULL;
  assert_int_equal(LEARN(leads, t.converted, 20, NEED_DEMO, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  t.converted[4] = 2;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  t.converted[4] = -1;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", NULL, buf, sizeof buf),
                   LG_ERR_INVALID);
  t.converted[4] = 1;
  memset(&o, 0, sizeof o);
  o.reserved = 1;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", &o, buf, sizeof buf),
                   LG_ERR_INVALID);
  memset(&o, 0, sizeof o);
  o.max_values = 257;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", &o, buf, sizeof buf),
                   LG_ERR_INVALID);
  memset(&o, 0, sizeof o);
  o.bins = 257;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", &o, buf, sizeof buf),
                   LG_ERR_INVALID);
  memset(&o, 0, sizeof o);
  o.scale = -1;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", &o, buf, sizeof buf),
                   LG_ERR_INVALID);
  o.scale = 1000001;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", &o, buf, sizeof buf),
                   LG_ERR_INVALID);
  assert_int_equal(needed, 5);
  /* the edges of the ranges are accepted */
  o.scale = 1000000;
  o.max_values = 256;
  o.bins = 256;
  assert_int_equal(LEARN(L, t.converted, 20, NEED_DEMO, 2, "x", &o, buf, sizeof buf), LG_OK);
#undef LEARN
  table_free(&t);
}

static void limits_attributes_and_text_size(void **state) {
  static const char *many[1025];
  static char        names[1025][8];
  table              t = {{0}, {0}, 0};
  char               value[1001];
  const char        *five[] = {"a", "b", "c", "d", "e"};
  lg_learn_options   o = {256, 0, 1, 0, 0};
  size_t             i, j, needed = 9;
  (void)state;
  twenty_leads(&t);
  for (i = 0; i < 1025; i++) {
    snprintf(names[i], sizeof names[i], "a%lu", (unsigned long)i);
    many[i] = names[i];
  }
  assert_int_equal(learn(&t, many, 1025, NULL, NULL, 0, &needed), LG_ERR_LIMIT);
  assert_int_equal(learn(&t, many, 1024, NULL, NULL, 0, &needed), LG_ERR_BUFFER);
  table_free(&t);
  /* 5 attributes x 256 kept values of 1000 bytes: over 1 MiB of text */
  add_leads(&t, 128, 1);
  add_leads(&t, 128, 0);
  memset(value, 'v', 1000);
  value[1000] = '\0';
  for (i = 0; i < t.n; i++)
    for (j = 0; j < 5; j++) {
      char num[24];
      snprintf(num, sizeof num, "%lu", (unsigned long)i);
      memcpy(value, num, strlen(num)); /* distinct, 1000 bytes */
      assert_int_equal(lg_lead_set_text(t.lead[i], five[j], value), LG_OK);
    }
  needed = 9;
  assert_int_equal(learn(&t, five, 5, &o, NULL, 0, &needed), LG_ERR_LIMIT);
  assert_int_equal(needed, 9);
  assert_int_equal(learn(&t, five, 3, &o, NULL, 0, &needed), LG_ERR_BUFFER);
  assert_true(needed > 700000 && needed < (1u << 20));
  table_free(&t);
}

static void a_bin_edge_beyond_the_rubric_numbers_is_range(void **state) {
  static const int64_t big[20] = {
    INT64_C(2000000000000000), INT64_C(2000000000000000), 1, 1, 1, 1, 1, 1, 1, 1,
    INT64_C(3000000000000000), 1, 1, 1, 1, 1, 1, 1, 1, 1};
  static const int64_t ok[20] = {
    INT64_C(1000000000000000), INT64_C(1000000000000000), 1, 1, 1, 1, 1, 1, 1, 1,
    INT64_C(3000000000000000), 1, 1, 1, 1, 1, 1, 1, 1, 1};
  table  t = {{0}, {0}, 0};
  size_t needed;
  (void)state;
  int64_t              negative[20];
  size_t               i;
  int_table(&t, big, 20);
  assert_int_equal(learn(&t, N_ONLY, 1, NULL, NULL, 0, &needed), LG_ERR_RANGE);
  table_free(&t);
  for (i = 0; i < 20; i++) negative[i] = -big[i];
  int_table(&t, negative, 20); /* edges -3 10^15 and -2 10^15 */
  assert_int_equal(learn(&t, N_ONLY, 1, NULL, NULL, 0, &needed), LG_ERR_RANGE);
  table_free(&t);
  int_table(&t, ok, 20); /* the largest value is no edge; 10^15 is */
  /* k = 5, 15 and 15: the two converted leads at 10^15, log2(3) */
  assert_has_line(learned(&t, N_ONLY, 1, NULL),
                  "  when 2..1000000000000000 -> 1.585  # 2 converted, 0 not");
  table_free(&t);
}

/* ---- allocation failure at every point ------------------------------------- */

static void out_of_memory_at_every_allocation_leaks_nothing(void **state) {
  static char want[TEXT_CAP], got[TEXT_CAP];
  table       t = {{0}, {0}, 0};
  lg_learn_options o = {0, 0, 2, 0, 0};
  size_t      need_ok = 0;
  long        k, base, calls;
  int         sticky;
  (void)state;
  mixed_table(&t);
  assert_int_equal(learn(&t, MIXED_ATTRS, 4, &o, want, sizeof want, &need_ok), LG_OK);
  base = ts_alloc_live_blocks();
  for (sticky = 1; sticky >= 0; sticky--) {
    for (k = 1;; k++) {
      size_t    needed = 12345;
      lg_status st;
      memset(got, 'x', 8);
      calls = ts_alloc_calls();
      ts_alloc_fail_at(k, sticky);
      st = learn(&t, MIXED_ATTRS, 4, &o, got, sizeof got, &needed);
      ts_alloc_fail_at(0, 0);
      assert_int_equal(ts_alloc_live_blocks(), base);
      if (st == LG_OK) {
        assert_false(ts_alloc_failed());
        assert_string_equal(got, want);
        assert_int_equal(needed, need_ok);
        break;
      }
      assert_int_equal(st, LG_ERR_NOMEM);
      assert_int_equal(needed, 12345);
      assert_memory_equal(got, "xxxxxxxx", 8);
      assert_true(ts_alloc_calls() > calls);
    }
    assert_true(k > 5); /* the table grew, ints were kept, ... */
  }
  table_free(&t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(hand_worked_weights_of_evidence),
    T(learned_rubric_scores_as_the_sum_of_its_buckets),
    T(empty_buckets_get_the_smoothed_ratio_of_the_totals),
    T(quantile_bins_keep_ties_together),
    T(quantile_edges_on_one_value_merge),
    T(quantile_edge_at_the_largest_value_is_dropped),
    T(fewer_distinct_values_than_bins_give_one_bin_each),
    T(a_bin_of_one_value_is_written_as_that_value),
    T(text_values_bucket_case_insensitively),
    T(equal_counts_keep_byte_order_prefix_first),
    T(rare_extra_and_unwritable_values_fold_into_otherwise),
    T(mixed_types_majority_wins_the_rest_is_otherwise),
    T(integers_of_one_outcome_only),
    T(an_attribute_nobody_has_is_all_missing),
    T(learned_text_parses_and_is_independent_of_lead_order),
    T(fingerprint_is_stable),
    T(scale_multiplies_the_points),
    T(points_match_floating_point_log2_on_random_tables),
    T(fewer_than_ten_of_either_outcome_is_range),
    T(buffer_too_small_says_how_big),
    T(options_size_is_known_to_bindings),
    T(bad_arguments_are_invalid),
    T(limits_attributes_and_text_size),
    T(a_bin_edge_beyond_the_rubric_numbers_is_range),
    T(out_of_memory_at_every_allocation_leaks_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
