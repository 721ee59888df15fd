/*
 * test_route.c - lg_route (lib/route.c): eligibility, the least-loaded and
 * weighted round-robin rules, their tie-breaks, exactness at the edges of
 * the integer ranges, errors, and that routing never allocates.
 *
 * Expected picks are worked out by hand in the comments, or come from a
 * brute-force reference in this file that computes loads on a common
 * denominator and priorities as plain products of small numbers (a
 * different method from the library's cross-multiplication and limbs).
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

static lg_policy *parse_policy(const char *text) {
  lg_policy *p = NULL;
  lg_error   err;
  assert_int_equal(lg_policy_parse(text, strlen(text), &p, &err), LG_OK);
  return p;
}

static lg_policy *least_loaded(void) { return parse_policy("route least-loaded\n"); }
static lg_policy *round_robin(void) { return parse_policy("route round-robin\n"); }

/* A lead assigned to each owner in turn (NULL-terminated list). */
static lg_lead *lead_held_by(const char *const *owners) {
  lg_lead *l = NULL;
  lg_time  at = NOW - 86400;
  assert_int_equal(lg_lead_create("lead-1", &l), LG_OK);
  for (; owners && *owners; owners++, at += 60)
    assert_int_equal(lg_lead_assign(l, *owners, at), LG_OK);
  return l;
}

static lg_rep rep(const char *id, int32_t open, int32_t capacity, int32_t weight,
                  lg_time last) {
  lg_rep r;
  memset(&r, 0, sizeof r);
  r.id = id;
  r.available = 1;
  r.open_leads = open;
  r.capacity = capacity;
  r.weight = weight;
  r.last_assigned_at = last;
  return r;
}

/* Routes and returns the chosen index, asserting success. */
static size_t route_ok(const lg_policy *p, const lg_lead *l, const lg_rep *reps, size_t n,
                       lg_time now) {
  size_t chosen = 999;
  assert_int_equal(lg_route(p, l, reps, n, now, &chosen), LG_OK);
  assert_true(chosen < n);
  return chosen;
}

/* ---- eligibility ---------------------------------------------------------- */

static void an_away_rep_is_skipped(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[2];
  (void)state;
  /* ana is idle but away; ben is busier yet the only one at work. */
  reps[0] = rep("ana", 0, 10, 1, NOW - 100);
  reps[1] = rep("ben", 5, 10, 1, NOW - 100);
  reps[0].available = 0;
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  reps[0].available = 7; /* any non-zero value means available */
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 0);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_full_rep_is_skipped_and_unlimited_is_never_full(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[3];
  size_t     chosen = 999;
  (void)state;
  reps[0] = rep("ana", 2, 2, 1, NOW);   /* full: 2 of 2 */
  reps[1] = rep("ben", 9, 3, 1, NOW);   /* over capacity: also full */
  reps[2] = rep("cid", 500, 0, 1, NOW); /* unlimited: never full */
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 2);
  reps[2].capacity = 500; /* now full too */
  assert_int_equal(lg_route(p, l, reps, 3, NOW, &chosen), LG_ERR_NOT_FOUND);
  assert_int_equal(chosen, 999);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_previous_owner_is_skipped_then_used_as_last_resort(void **state) {
  static const char *const owners[] = {"ana", "ben", NULL};
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(owners);
  lg_rep     reps[3];
  (void)state;
  /* ana and ben both held the lead (ben still does); cid is the busiest
   * but the only newcomer, so cid gets it. */
  reps[0] = rep("ana", 0, 10, 1, NOW - 500);
  reps[1] = rep("ben", 1, 10, 1, NOW - 500);
  reps[2] = rep("cid", 8, 10, 1, NOW - 500);
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 2);
  /* cid away: the previous holders compete under the same rule (ana, 0/10). */
  reps[2].available = 0;
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 0);
  /* ...and an away or full previous holder stays out even then. */
  reps[0].available = 0;
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_previous_owner_matches_byte_for_byte_only(void **state) {
  static const char *const owners[] = {"Ana", NULL};
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(owners);
  lg_rep     reps[2];
  (void)state;
  /* "ana" is not "Ana": ids compare as bytes, so ana is a newcomer and wins
   * over the idle previous holder. */
  reps[0] = rep("Ana", 0, 10, 1, NOW);
  reps[1] = rep("ana", 9, 10, 1, NOW);
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void nobody_who_can_take_it_is_not_found(void **state) {
  static const char *const owners[] = {"ana", NULL};
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(owners);
  lg_rep     reps[2];
  size_t     chosen = 999;
  (void)state;
  reps[0] = rep("ana", 3, 3, 1, NOW); /* previous holder, and full */
  reps[1] = rep("ben", 0, 3, 1, NOW);
  reps[1].available = 0;
  assert_int_equal(lg_route(p, l, reps, 2, NOW, &chosen), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_route(p, l, reps, 0, NOW, &chosen), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_route(p, l, NULL, 0, NOW, &chosen), LG_ERR_NOT_FOUND);
  assert_int_equal(chosen, 999);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* ---- least-loaded --------------------------------------------------------- */

static void least_loaded_compares_ratios_not_counts(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[3];
  (void)state;
  /* 2/3 = 0.667, 3/5 = 0.6, 4/8 = 0.5: the most open leads, least loaded. */
  reps[0] = rep("ana", 2, 3, 1, NOW);
  reps[1] = rep("ben", 3, 5, 1, NOW);
  reps[2] = rep("cid", 4, 8, 1, NOW);
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 2);
  reps[2].open_leads = 6; /* 6/8 = 0.75: ben's 0.6 is now lowest */
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void least_loaded_is_exact_where_doubles_are_not(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[2];
  (void)state;
  /* ana: 1 - 1/2147483647, ben: 1 - 1/2147483646, so ben is (barely) less
   * loaded.  The two differ by about 2e-19, far below a double's 1e-16 at
   * 1.0, where they would tie and the tie-break (ana: earlier, lower index)
   * would pick ana. */
  reps[0] = rep("ana", INT32_MAX - 1, INT32_MAX, 1, NOW - 1000);
  reps[1] = rep("ben", INT32_MAX - 2, INT32_MAX - 1, 1, NOW);
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void least_loaded_ranks_unlimited_reps_by_open_leads_over_one(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[3];
  (void)state;
  /* Unlimited load = open/1.  An idle unlimited rep (0) beats a limited
   * rep at 1/10. */
  reps[0] = rep("ana", 1, 10, 1, NOW - 900);
  reps[1] = rep("ben", 0, 0, 1, NOW - 100);
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  /* A busy unlimited rep (1/1 = 1) ranks behind a limited rep with room,
   * even at 9/10. */
  reps[0].open_leads = 9;
  reps[1].open_leads = 1;
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 0);
  /* Unlimited reps balance among themselves by open leads: 3 vs 2. */
  reps[0] = rep("ana", 3, 0, 1, NOW - 900);
  reps[1] = rep("ben", 2, 0, 1, NOW - 100);
  reps[2] = rep("cid", 5, 6, 1, NOW - 100); /* 5/6 < 1: ahead of both */
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 2);
  reps[2].available = 0;
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 1);
  /* An idle limited rep and an idle unlimited rep are level (both 0): the
   * tie goes to the earlier last assignment. */
  reps[0] = rep("ana", 0, 0, 1, NOW - 100);
  reps[1] = rep("ben", 0, 4, 1, NOW - 200);
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void least_loaded_ties_go_to_earliest_last_assignment_then_lowest_index(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[4];
  (void)state;
  /* All at load 1/2 (1/2, 2/4, 3/6, 1/2). */
  reps[0] = rep("ana", 1, 2, 1, NOW - 10);
  reps[1] = rep("ben", 2, 4, 1, NOW - 30);
  reps[2] = rep("cid", 3, 6, 1, NOW - 30);
  reps[3] = rep("dan", 1, 2, 1, NOW - 20);
  /* ben and cid were assigned longest ago; ben has the lower index. */
  assert_int_equal(route_ok(p, l, reps, 4, NOW), 1);
  reps[2].last_assigned_at = NOW - 31;
  assert_int_equal(route_ok(p, l, reps, 4, NOW), 2);
  /* Weights play no part in least-loaded. */
  reps[0].weight = 1000;
  assert_int_equal(route_ok(p, l, reps, 4, NOW), 2);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* ---- round-robin ------------------------------------------------------------ */

static void round_robin_weights_1_2_3_share_600_leads_as_100_200_300(void **state) {
  lg_policy *p = round_robin();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[3];
  int        counts[3] = {0, 0, 0}, k;
  lg_time    now = NOW;
  (void)state;
  reps[0] = rep("ana", 0, 0, 1, LG_TIME_MIN);
  reps[1] = rep("ben", 0, 0, 2, LG_TIME_MIN);
  reps[2] = rep("cid", 0, 0, 3, LG_TIME_MIN);
  for (k = 0; k < 600; k++) {
    size_t c;
    now += 90;
    c = route_ok(p, l, reps, 3, now);
    counts[c]++;
    reps[c].last_assigned_at = now;
  }
  assert_in_range(counts[0], 99, 101);
  assert_in_range(counts[1], 199, 201);
  assert_in_range(counts[2], 299, 301);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* Small deterministic generator so runs are reproducible. */
static uint32_t rng_state = 12345u;
static uint32_t rnd(uint32_t bound) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (rng_state >> 8) % bound;
}

static void round_robin_favours_heavier_weights_and_shares_equal_weights(void **state) {
  lg_policy *p = round_robin();
  lg_lead   *l = lead_held_by(NULL);
  int        trial;
  (void)state;
  for (trial = 0; trial < 200; trial++) {
    lg_rep  reps[6];
    int     counts[6] = {0}, k;
    size_t  n = 2 + rnd(5), i, j;
    lg_time now = NOW, step = 1 + (lg_time)rnd(600);
    for (i = 0; i < n; i++) reps[i] = rep("r", 0, 0, (int32_t)(1 + rnd(8)), LG_TIME_MIN);
    for (k = 0; k < 600; k++) {
      size_t c;
      now += step;
      c = route_ok(p, l, reps, n, now);
      counts[c]++;
      reps[c].last_assigned_at = now;
    }
    for (i = 0; i < n; i++)
      for (j = 0; j < n; j++) {
        if (reps[i].weight > reps[j].weight) assert_true(counts[i] >= counts[j]);
        if (reps[i].weight == reps[j].weight) assert_true(abs(counts[i] - counts[j]) <= 1);
      }
  }
  lg_lead_free(l);
  lg_policy_free(p);
}

static void round_robin_picks_a_never_assigned_rep_first(void **state) {
  lg_policy *p = round_robin();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[3];
  (void)state;
  reps[0] = rep("ana", 0, 0, 1000, NOW - 86400 * 365);
  reps[1] = rep("ben", 0, 0, 1, LG_TIME_MIN);
  reps[2] = rep("cid", 0, 0, 1, LG_TIME_MIN);
  /* ben and cid both never assigned (level wait and weight): lower index. */
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void round_robin_multiplies_weight_by_wait(void **state) {
  lg_policy *p = round_robin();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[3];
  (void)state;
  /* ana 1 x 600 = 600, ben 2 x 250 = 500, cid 3 x 150 = 450. */
  reps[0] = rep("ana", 0, 0, 1, NOW - 600);
  reps[1] = rep("ben", 0, 0, 2, NOW - 250);
  reps[2] = rep("cid", 0, 0, 3, NOW - 150);
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 0);
  /* ben 2 x 350 = 700 now leads. */
  reps[1].last_assigned_at = NOW - 350;
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 1);
  /* Level at 600 (ana 1 x 600, ben 2 x 300, cid 3 x 200): the heaviest. */
  reps[1].last_assigned_at = NOW - 300;
  reps[2].last_assigned_at = NOW - 200;
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 2);
  /* Level priority (ana and ben 2 x 300 = 600, cid 1 x 100) and level
   * weight and last assignment: the lower index. */
  reps[0] = rep("ana", 0, 0, 2, NOW - 300);
  reps[1] = rep("ben", 0, 0, 2, NOW - 300);
  reps[2] = rep("cid", 0, 0, 1, NOW - 100);
  assert_int_equal(route_ok(p, l, reps, 3, NOW), 0);
  /* A last assignment after now counts as no wait at all. */
  reps[0] = rep("ana", 0, 0, 50, NOW + 1000);
  reps[1] = rep("ben", 0, 0, 1, NOW - 1);
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void round_robin_is_exact_past_64_bit_products(void **state) {
  lg_policy *p = round_robin();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[2];
  lg_time    k = 100;
  (void)state;
  /* Products around 2^31 x 2^31 x 100 ~ 4.6e20 overflow int64.
   * ana: (2^31-1) x (2^31-2)k and ben: (2^31-2) x (2^31-1)k are equal, so
   * the heavier (ana) wins; one more second of wait for ben adds 2^31-2
   * to its product, a relative 5e-12 that doubles cannot see. */
  reps[0] = rep("ana", 0, 0, INT32_MAX, LG_TIME_MAX - (INT32_MAX - 1) * k);
  reps[1] = rep("ben", 0, 0, INT32_MAX - 1, LG_TIME_MAX - INT32_MAX * k);
  assert_int_equal(route_ok(p, l, reps, 2, LG_TIME_MAX), 0);
  reps[1].last_assigned_at -= 1;
  assert_int_equal(route_ok(p, l, reps, 2, LG_TIME_MAX), 1);
  /* ana: (2^31-1) x 8589934597 = 2^64 + 2147483643, just past 64 bits
   * (a wrapping product would read 2147483643); ben: 1 x 1e11.  ana's is
   * far larger. */
  reps[0] = rep("ana", 0, 0, INT32_MAX, LG_TIME_MAX - INT64_C(8589934597));
  reps[1] = rep("ben", 0, 0, 1, LG_TIME_MAX - INT64_C(100000000000));
  assert_int_equal(route_ok(p, l, reps, 2, LG_TIME_MAX), 0);
  /* The widest wait: LG_TIME_MIN to LG_TIME_MAX at the largest weight. */
  reps[0] = rep("ana", 0, 0, INT32_MAX - 1, LG_TIME_MIN);
  reps[1] = rep("ben", 0, 0, INT32_MAX, LG_TIME_MIN);
  assert_int_equal(route_ok(p, l, reps, 2, LG_TIME_MAX), 1);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* ---- brute-force reference ---------------------------------------------------- */

/* Least-loaded on a common denominator: capacities are 1..10 (or 0), so
 * every load is an exact integer multiple of 1/2520 (lcm of 1..10). */
static int64_t ref_load(const lg_rep *r) {
  return r->capacity > 0 ? (int64_t)r->open_leads * (2520 / r->capacity)
                         : (int64_t)r->open_leads * 2520;
}

static size_t ref_route(int rule, const lg_rep *reps, size_t n, const int *held,
                        lg_time now) {
  size_t best = n, i;
  int    pass;
  for (pass = 0; pass < 2 && best == n; pass++) {
    for (i = 0; i < n; i++) {
      const lg_rep *r = &reps[i];
      int64_t       key, bkey;
      if (!r->available || (r->capacity > 0 && r->open_leads >= r->capacity)) continue;
      if (held[i] != pass) continue;
      if (best == n) {
        best = i;
        continue;
      }
      /* Lower key is better; small numbers so the products are exact. */
      if (rule == LG__ROUTE_ROUND_ROBIN) {
        key = -(int64_t)r->weight * (now - r->last_assigned_at);
        bkey = -(int64_t)reps[best].weight * (now - reps[best].last_assigned_at);
        if (key == bkey) {
          key = -r->weight;
          bkey = -reps[best].weight;
        }
      } else {
        key = ref_load(r);
        bkey = ref_load(&reps[best]);
      }
      if (key == bkey) {
        key = r->last_assigned_at;
        bkey = reps[best].last_assigned_at;
      }
      if (key < bkey) best = i;
    }
  }
  return best;
}

static void both_rules_match_a_brute_force_reference(void **state) {
  static const char *const names[] = {"ana", "ben", "cid", "dan", "eve", "fay", "gus", "hal"};
  lg_policy *pol[2];
  int        trial, rule;
  (void)state;
  pol[0] = least_loaded();
  pol[1] = round_robin();
  for (trial = 0; trial < 4000; trial++) {
    const char *owners[4];
    lg_rep      reps[8];
    int         held[8];
    size_t      n = 1 + rnd(8), i, want, chosen = 999;
    size_t      k = rnd(4), j;
    lg_lead    *l;
    for (j = 0; j < k; j++) owners[j] = names[rnd(8)];
    owners[k] = NULL;
    l = lead_held_by(owners);
    for (i = 0; i < n; i++) {
      reps[i] = rep(names[i], (int32_t)rnd(12), (int32_t)rnd(11), (int32_t)(1 + rnd(4)),
                    NOW - (lg_time)rnd(6) * 60);
      reps[i].available = rnd(5) != 0;
      held[i] = 0;
      for (j = 0; j < k; j++)
        if (strcmp(owners[j], names[i]) == 0) held[i] = 1;
    }
    for (rule = 0; rule < 2; rule++) {
      lg_status st = lg_route(pol[rule], l, reps, n, NOW, &chosen);
      want = ref_route(rule, reps, n, held, NOW);
      if (want == n) {
        assert_int_equal(st, LG_ERR_NOT_FOUND);
      } else {
        assert_int_equal(st, LG_OK);
        assert_int_equal(chosen, want);
      }
    }
    lg_lead_free(l);
  }
  lg_policy_free(pol[0]);
  lg_policy_free(pol[1]);
}

/* ---- policy, determinism, errors, allocation ------------------------------ */

static void both_rules_are_read_from_a_parsed_policy(void **state) {
  lg_policy *ll = parse_policy("policy \"p\"\nroute least-loaded\n");
  lg_policy *rr = parse_policy("policy \"p\"\nfollow-up within 48h\nroute round-robin\n");
  lg_policy *none = parse_policy("policy \"p\"\n");
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[2];
  (void)state;
  /* ana: idle but assigned a minute ago; ben: busier, waiting a day. */
  reps[0] = rep("ana", 0, 10, 1, NOW - 60);
  reps[1] = rep("ben", 5, 10, 1, NOW - 86400);
  assert_int_equal(route_ok(ll, l, reps, 2, NOW), 0);
  assert_int_equal(route_ok(rr, l, reps, 2, NOW), 1);
  /* No route line: least-loaded. */
  assert_int_equal(route_ok(none, l, reps, 2, NOW), 0);
  lg_lead_free(l);
  lg_policy_free(ll);
  lg_policy_free(rr);
  lg_policy_free(none);
}

static void routing_is_deterministic_and_never_allocates(void **state) {
  lg_policy *p[2];
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[5], copy[5];
  size_t     first, again, i;
  long       calls;
  int        rule;
  (void)state;
  p[0] = least_loaded();
  p[1] = round_robin();
  for (i = 0; i < 5; i++) reps[i] = rep("x", 1, 4, 2, NOW - 600); /* all level */
  memcpy(copy, reps, sizeof reps);
  for (rule = 0; rule < 2; rule++) {
    calls = ts_alloc_calls();
    first = route_ok(p[rule], l, reps, 5, NOW);
    again = route_ok(p[rule], l, copy, 5, NOW);
    assert_int_equal(first, 0); /* everything level: the lowest index */
    assert_int_equal(again, first);
    assert_int_equal(ts_alloc_calls(), calls);
    assert_memory_equal(reps, copy, sizeof reps); /* the table is not touched */
  }
  lg_lead_free(l);
  lg_policy_free(p[0]);
  lg_policy_free(p[1]);
}

static void invalid_reps_and_arguments_are_rejected(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = lead_held_by(NULL);
  lg_rep     reps[2], good;
  size_t     chosen = 999;
  (void)state;
  good = rep("ana", 0, 0, 1, NOW);
  reps[0] = good;
  reps[1] = good;
  reps[1].id = "ben";
  /* An error about one rep names it through *chosen (documented). */
#define BAD_REP(status)                                                      \
  do {                                                                       \
    chosen = 999;                                                            \
    assert_int_equal(lg_route(p, l, reps, 2, NOW, &chosen), status);         \
    assert_int_equal(chosen, 1);                                             \
  } while (0)
  /* A bad entry is reported even when it is away and could never win. */
  reps[1].available = 0;
  reps[1].id = NULL;
  BAD_REP(LG_ERR_INVALID);
  reps[1].id = "";
  BAD_REP(LG_ERR_INVALID);
  reps[1].id = "ben";
  reps[1].weight = 0;
  BAD_REP(LG_ERR_INVALID);
  reps[1].weight = -3;
  BAD_REP(LG_ERR_INVALID);
  reps[1].weight = 1;
  reps[1].open_leads = -1;
  BAD_REP(LG_ERR_INVALID);
  reps[1].open_leads = 0;
  reps[1].capacity = -1;
  BAD_REP(LG_ERR_INVALID);
  reps[1].capacity = 0;
  reps[1].last_assigned_at = LG_TIME_MIN - 1;
  BAD_REP(LG_ERR_RANGE);
  reps[1].last_assigned_at = LG_TIME_NEVER;
  BAD_REP(LG_ERR_RANGE);
  reps[1].last_assigned_at = NOW;
  reps[1].reserved[1] = 7; /* reserved fields must be 0 */
  BAD_REP(LG_ERR_INVALID);
  reps[1].reserved[1] = 0;
  chosen = 999; /* other errors leave it alone */
  assert_int_equal(lg_route(p, l, reps, 2, LG_TIME_MAX + 1, &chosen), LG_ERR_RANGE);
  assert_int_equal(lg_route(p, l, reps, 2, LG_TIME_MIN - 1, &chosen), LG_ERR_RANGE);
  assert_int_equal(lg_route(NULL, l, reps, 2, NOW, &chosen), LG_ERR_INVALID);
  assert_int_equal(lg_route(p, NULL, reps, 2, NOW, &chosen), LG_ERR_INVALID);
  assert_int_equal(lg_route(p, l, NULL, 2, NOW, &chosen), LG_ERR_INVALID);
  assert_int_equal(lg_route(p, l, reps, 2, NOW, NULL), LG_ERR_INVALID);
  assert_int_equal(chosen, 999);
  /* Still fine once repaired. */
  assert_int_equal(lg_route(p, l, reps, 2, NOW, &chosen), LG_OK);
  assert_int_equal(chosen, 0);
#undef BAD_REP
  lg_lead_free(l);
  lg_policy_free(p);
}

/* Routing reads the timeline as of `now`, as lg_sla_eval does: the owner
 * of an assignment planned after `now` is not a previous holder yet. */
static void previous_holders_are_read_as_of_now(void **state) {
  lg_policy *p = least_loaded();
  lg_lead   *l = NULL;
  lg_rep     reps[2];
  (void)state;
  assert_int_equal(lg_lead_create("lead-1", &l), LG_OK);
  assert_int_equal(lg_lead_assign(l, "ana", NOW - 100), LG_OK);
  assert_int_equal(lg_lead_assign(l, "ben", NOW + 100), LG_OK); /* planned */
  reps[0] = rep("ana", 0, 0, 1, NOW);
  reps[1] = rep("ben", 5, 0, 1, NOW); /* busier, but never held it as of now */
  assert_int_equal(route_ok(p, l, reps, 2, NOW), 1);
  /* at NOW + 100 ben holds it too: both are previous holders, ana is idler */
  assert_int_equal(route_ok(p, l, reps, 2, NOW + 100), 0);
  lg_lead_free(l);
  lg_policy_free(p);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(previous_holders_are_read_as_of_now),
    T(an_away_rep_is_skipped),
    T(a_full_rep_is_skipped_and_unlimited_is_never_full),
    T(a_previous_owner_is_skipped_then_used_as_last_resort),
    T(a_previous_owner_matches_byte_for_byte_only),
    T(nobody_who_can_take_it_is_not_found),
    T(least_loaded_compares_ratios_not_counts),
    T(least_loaded_is_exact_where_doubles_are_not),
    T(least_loaded_ranks_unlimited_reps_by_open_leads_over_one),
    T(least_loaded_ties_go_to_earliest_last_assignment_then_lowest_index),
    T(round_robin_weights_1_2_3_share_600_leads_as_100_200_300),
    T(round_robin_favours_heavier_weights_and_shares_equal_weights),
    T(round_robin_picks_a_never_assigned_rep_first),
    T(round_robin_multiplies_weight_by_wait),
    T(round_robin_is_exact_past_64_bit_products),
    T(both_rules_match_a_brute_force_reference),
    T(both_rules_are_read_from_a_parsed_policy),
    T(routing_is_deterministic_and_never_allocates),
    T(invalid_reps_and_arguments_are_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
