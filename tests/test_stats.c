/*
 * test_stats.c - the follow-up compliance book (lib/stats.c): lg_stats_*.
 *
 * The centrepiece is a hand-built book of 20 leads across 4 reps with
 * touches early, late and never, reassignments, a touch at the very
 * instant of a reassignment, entries later than `now`, and a rep whose
 * only lead is open and overdue; every expected figure is worked out in
 * the comments.  Then: business-hours response times, a policy without a
 * follow-up rule, percentiles against a brute-force nearest-rank count,
 * ordering by id, correlation against a value computed by hand, every
 * error path, and failure atomicity at every allocation point.
 *
 * Every test runs under the counting allocator and ends with no live block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h> /* NAN, INFINITY: macros only, no libm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"

#define HOUR INT64_C(3600)
#define T0   INT64_C(1772409600) /* Monday 2026-03-02T00:00:00Z */
#define H(h) (T0 + (lg_time)(h) * HOUR)

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

static lg_stats *new_stats(const lg_policy *p) {
  lg_stats *s = NULL;
  assert_int_equal(lg_stats_create(p, &s), LG_OK);
  assert_non_null(s);
  return s;
}

static lg_lead *new_lead(void) {
  static unsigned serial;
  char            id[32];
  lg_lead        *l = NULL;
  snprintf(id, sizeof id, "lead-%u", ++serial);
  assert_int_equal(lg_lead_create(id, &l), LG_OK);
  return l;
}

static void assign(lg_lead *l, const char *owner, lg_time at) {
  assert_int_equal(lg_lead_assign(l, owner, at), LG_OK);
}

static void touch(lg_lead *l, lg_time at) { assert_int_equal(lg_lead_touch(l, at), LG_OK); }

/* Adds the lead to the book and frees it. */
static void add_and_free(lg_stats *s, lg_lead *l, lg_time now) {
  assert_int_equal(lg_stats_add(s, l, now), LG_OK);
  lg_lead_free(l);
}

static lg_rep_stats row(const lg_stats *s, size_t i) {
  lg_rep_stats r;
  memset(&r, 0x5a, sizeof r);
  assert_int_equal(lg_stats_rep(s, i, &r), LG_OK);
  assert_int_equal(r.reserved, 0);
  return r;
}

static void assert_row(const lg_stats *s, size_t i, const char *rep, uint32_t assigned,
                       uint32_t touched, uint32_t in_sla, uint32_t breached,
                       uint32_t overdue, lg_duration median, lg_duration p90) {
  lg_rep_stats r = row(s, i);
  assert_string_equal(r.rep, rep);
  assert_int_equal(r.assigned, assigned);
  assert_int_equal(r.touched, touched);
  assert_int_equal(r.touched_in_sla, in_sla);
  assert_int_equal(r.breached, breached);
  assert_int_equal(r.open_overdue, overdue);
  assert_int_equal(r.median_response, median);
  assert_int_equal(r.p90_response, p90);
}

/* ---- the hand-built book ------------------------------------------------- */

/* Target 24 wall-clock hours; the book is read at NOW = hour 200.  Hours
 * count from T0.  Per lead: who held it, when, and what happened. */
#define BOOK_NOW H(200)

static void build_book(lg_stats *s) {
  lg_lead *l;
  /* ana */
  l = new_lead(); assign(l, "ana", H(0)); touch(l, H(2));   /* L1 MET 2h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ana", H(10)); touch(l, H(15)); /* L2 MET 5h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ana", H(20)); touch(l, H(50)); /* L3 MET_LATE 30h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ana", H(30)); touch(l, H(31)); /* L4 MET 1h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ana", H(40));                  /* L5 BREACHED, current */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ana", H(190));                 /* L6 running (10h) */
  add_and_free(s, l, BOOK_NOW);
  /* L7: ben from 0, untouched past 24h (breached, but not current), then
   * cid from 30, touched at 35: cid MET 5h. */
  l = new_lead(); assign(l, "ben", H(0)); assign(l, "cid", H(30)); touch(l, H(35));
  add_and_free(s, l, BOOK_NOW);
  /* L8: ben from 50, reassigned after 10h (clock stops: neither met nor
   * breached); cid from 60, touched at 100: MET_LATE 40h. */
  l = new_lead(); assign(l, "ben", H(50)); assign(l, "cid", H(60)); touch(l, H(100));
  add_and_free(s, l, BOOK_NOW);
  /* L9: ben from 70, touched at 80 (MET 10h); cid from 90, never touched:
   * 110h by now, breached and current. */
  l = new_lead(); assign(l, "ben", H(70)); touch(l, H(80)); assign(l, "cid", H(90));
  add_and_free(s, l, BOOK_NOW);
  /* L10: ben from 100, touched at 110 - the very instant of the
   * reassignment to cid (recorded on ben's assignment, before it), so it
   * belongs to cid: ben untouched (running, stopped at 10h), cid MET 0h. */
  l = new_lead(); assign(l, "ben", H(100)); touch(l, H(110)); assign(l, "cid", H(110));
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ben", H(120)); touch(l, H(121)); /* L11 MET 1h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ben", H(130)); touch(l, H(153)); /* L12 MET 23h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "cid", H(150)); touch(l, H(151)); /* L13 MET 1h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "cid", H(160)); touch(l, H(160)); /* L14 MET 0h */
  add_and_free(s, l, BOOK_NOW);
  /* L15: cid from 170; the touch at 210 is after now, so as of now it has
   * not happened: 30h untouched, breached and current. */
  l = new_lead(); assign(l, "cid", H(170)); touch(l, H(210));
  add_and_free(s, l, BOOK_NOW);
  /* L16: cid from 180 (20h, running); the reassignment to eve at 210 is
   * after now, so cid still holds it and eve is not in the book. */
  l = new_lead(); assign(l, "cid", H(180)); assign(l, "eve", H(210));
  add_and_free(s, l, BOOK_NOW);
  /* L17: Dee's only lead, open and overdue (100h untouched). */
  l = new_lead(); assign(l, "Dee", H(100));
  add_and_free(s, l, BOOK_NOW);
  /* L18: never assigned: counts for nobody. */
  l = new_lead();
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ana", H(195)); touch(l, H(196)); /* L19 MET 1h */
  add_and_free(s, l, BOOK_NOW);
  l = new_lead(); assign(l, "ben", H(199));                   /* L20 running (1h) */
  add_and_free(s, l, BOOK_NOW);
}

static void a_hand_built_book_of_20_leads_counts_every_assignment(void **state) {
  lg_policy *p = parse_policy("follow-up within 24h\n  warn at 50%\n  reassign at 24h\n");
  lg_stats  *s = new_stats(p);
  (void)state;
  build_book(s);
  /* Byte order: "Dee" (0x44) sorts before the lower-case ids. */
  assert_int_equal(lg_stats_rep_count(s), 4);
  /* Dee: L17.  assigned 1, breached 1, overdue 1, no touches: 0 / 0. */
  assert_row(s, 0, "Dee", 1, 0, 0, 1, 1, 0, 0);
  /* ana: L1-L6, L19 = 7 assigned; touched L1 L2 L3 L4 L19 = 5; in SLA 4
   * (all but L3); breached L3 (late) and L5 = 2; overdue L5 = 1.
   * Responses sorted 1 1 2 5 30 (h): median = ceil(2.5) = 3rd = 2h,
   * p90 = ceil(4.5) = 5th = 30h. */
  assert_row(s, 1, "ana", 7, 5, 4, 2, 1, 2 * HOUR, 30 * HOUR);
  /* ben: L7-L12, L20 = 7 assigned; touched L9 L11 L12 = 3, all in SLA;
   * breached L7 only (history: not overdue).  Responses 1 10 23:
   * median = ceil(1.5) = 2nd = 10h, p90 = ceil(2.7) = 3rd = 23h. */
  assert_row(s, 2, "ben", 7, 3, 3, 1, 0, 10 * HOUR, 23 * HOUR);
  /* cid: L7-L10, L13-L16 = 8 assigned; touched L7 L8 L10 L13 L14 = 5; in
   * SLA L7 L10 L13 L14 = 4; breached L8 (late) L9 L15 = 3; overdue L9 L15
   * = 2.  Responses 0 0 1 5 40: median = ceil(2.5) = 3rd = 1h, p90 =
   * ceil(4.5) = 5th = 40h. */
  assert_row(s, 3, "cid", 8, 5, 4, 3, 2, 1 * HOUR, 40 * HOUR);
  lg_stats_free(s);
  lg_policy_free(p);
}

static void adding_the_same_lead_twice_counts_it_twice(void **state) {
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = new_stats(p);
  lg_lead   *l = new_lead();
  (void)state;
  assign(l, "ana", H(0));
  touch(l, H(3));
  assign(l, "ben", H(5));
  assert_int_equal(lg_stats_add(s, l, H(100)), LG_OK);
  assert_int_equal(lg_stats_add(s, l, H(100)), LG_OK);
  assert_int_equal(lg_stats_rep_count(s), 2);
  /* ana: MET 3h twice.  ben: untouched 95h, breached and current, twice. */
  assert_row(s, 0, "ana", 2, 2, 2, 0, 0, 3 * HOUR, 3 * HOUR);
  assert_row(s, 1, "ben", 2, 0, 0, 2, 2, 0, 0);
  /* A lead with no assignment changes nothing. */
  lg_lead_free(l);
  l = new_lead();
  assert_int_equal(lg_stats_add(s, l, H(100)), LG_OK);
  assert_int_equal(lg_stats_rep_count(s), 2);
  lg_lead_free(l);
  lg_stats_free(s);
  lg_policy_free(p);
}

static void an_assignment_is_current_until_the_next_one_has_happened(void **state) {
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *early = new_stats(p), *late = new_stats(p);
  lg_lead   *l = new_lead();
  (void)state;
  assign(l, "ana", H(0));
  assign(l, "ben", H(100));
  /* As of hour 50 ben's assignment has not happened: ana still holds the
   * lead, 50h untouched, breached and overdue; ben is not in the book. */
  assert_int_equal(lg_stats_add(early, l, H(50)), LG_OK);
  assert_int_equal(lg_stats_rep_count(early), 1);
  assert_row(early, 0, "ana", 1, 0, 0, 1, 1, 0, 0);
  /* As of hour 130 ana's breach is history and ben (30h) is overdue. */
  assert_int_equal(lg_stats_add(late, l, H(130)), LG_OK);
  assert_int_equal(lg_stats_rep_count(late), 2);
  assert_row(late, 0, "ana", 1, 0, 0, 1, 0, 0, 0);
  assert_row(late, 1, "ben", 1, 0, 0, 1, 1, 0, 0);
  lg_lead_free(l);
  lg_stats_free(early);
  lg_stats_free(late);
  lg_policy_free(p);
}

static void response_times_count_business_seconds_on_a_business_rule(void **state) {
  lg_policy *p = parse_policy("calendar\n  hours mon-fri 09:00-17:00\n"
                              "follow-up within 8h business\n");
  lg_policy *wall = parse_policy("calendar\n  hours mon-fri 09:00-17:00\n"
                                 "follow-up within 8h\n");
  lg_stats  *s = new_stats(p), *w = new_stats(wall);
  lg_lead   *l = new_lead();
  (void)state;
  /* Fri 2026-03-06 16:00 to Mon 2026-03-09 10:00: Fri 16-17 and Mon 9-10
   * are open, 2 business hours (in SLA); 66 wall-clock hours (late). */
  assign(l, "ana", H(4 * 24 + 16));
  touch(l, H(7 * 24 + 10));
  assert_int_equal(lg_stats_add(s, l, H(8 * 24)), LG_OK);
  assert_int_equal(lg_stats_add(w, l, H(8 * 24)), LG_OK);
  assert_row(s, 0, "ana", 1, 1, 1, 0, 0, 2 * HOUR, 2 * HOUR);
  assert_row(w, 0, "ana", 1, 1, 0, 1, 0, 66 * HOUR, 66 * HOUR);
  lg_lead_free(l);
  lg_stats_free(s);
  lg_stats_free(w);
  lg_policy_free(p);
  lg_policy_free(wall);
}

static void without_a_follow_up_rule_only_counts_and_wall_clock_times_remain(void **state) {
  lg_policy *p = parse_policy("calendar\n  hours mon-fri 09:00-17:00\n");
  lg_stats  *s = new_stats(p);
  lg_lead   *l;
  (void)state;
  /* ana: touched after 66 wall hours (no deadline: not late, not in SLA). */
  l = new_lead(); assign(l, "ana", H(4 * 24 + 16)); touch(l, H(7 * 24 + 10));
  add_and_free(s, l, H(300));
  /* ben, then ana: a touch at the reassignment instant belongs to the new
   * owner (ana, response 0), even recorded on ben's assignment... */
  l = new_lead(); assign(l, "ben", H(10)); touch(l, H(20)); assign(l, "ana", H(20));
  add_and_free(s, l, H(300));
  /* ...while one a second earlier counts (10h - 1s); a touch after now
   * does not count yet. */
  l = new_lead(); assign(l, "ben", H(10)); touch(l, H(20) - 1); assign(l, "cid", H(20));
  touch(l, H(400));
  add_and_free(s, l, H(300));
  assert_int_equal(lg_stats_rep_count(s), 3);
  assert_row(s, 0, "ana", 2, 2, 0, 0, 0, 0, 66 * HOUR);
  assert_row(s, 1, "ben", 2, 1, 0, 0, 0, 10 * HOUR - 1, 10 * HOUR - 1);
  assert_row(s, 2, "cid", 1, 0, 0, 0, 0, 0, 0);
  lg_stats_free(s);
  lg_policy_free(p);
}

/* Response times are net of snoozes, in the tier's basis; an assignment no
 * tier applies to counts as without a rule (wall clock, net of snoozes). */
static void responses_are_net_of_snoozes_and_follow_each_tier(void **state) {
  lg_policy *p = parse_policy("calendar\n  hours mon-fri 09:00-17:00\n"
                              "follow-up within 8h business when attr hot = true\n"
                              "follow-up within 24h when missing hot\n");
  lg_stats  *s = new_stats(p);
  lg_lead   *l;
  (void)state;
  /* ana, hot (business 8h) from Mon 09:00, snoozed 10-12, touched 14:00:
   * 1h + 2h = 3h, in SLA. */
  l = new_lead(); assert_int_equal(lg_lead_set_bool(l, "hot", 1), LG_OK);
  assign(l, "ana", H(9)); assert_int_equal(lg_lead_snooze(l, H(10), H(12)), LG_OK);
  touch(l, H(14));
  add_and_free(s, l, H(100));
  /* ana, no `hot` (wall 24h) from Mon 09:00, snoozed 20h, touched after
   * 30h: 10h net, in SLA. */
  l = new_lead(); assign(l, "ana", H(9)); assert_int_equal(lg_lead_snooze(l, H(10), H(30)), LG_OK);
  touch(l, H(39));
  add_and_free(s, l, H(100));
  /* ben, hot = false: no tier; touched 5h later, 1h of it snoozed: 4h,
   * neither in SLA nor breached. */
  l = new_lead(); assert_int_equal(lg_lead_set_bool(l, "hot", 0), LG_OK);
  assign(l, "ben", H(9)); assert_int_equal(lg_lead_snooze(l, H(11), H(12)), LG_OK);
  touch(l, H(14));
  add_and_free(s, l, H(100));
  assert_row(s, 0, "ana", 2, 2, 2, 0, 0, 3 * HOUR, 10 * HOUR);
  assert_row(s, 1, "ben", 1, 1, 0, 0, 0, 4 * HOUR, 4 * HOUR);
  lg_stats_free(s);
  lg_policy_free(p);
}

/* A reassigned lead: the old owner's snooze still counts for the old
 * owner's clock, not for the new one. */
static void an_old_owners_snooze_stays_with_the_old_clock(void **state) {
  lg_policy *p = parse_policy("follow-up within 10h\n");
  lg_stats  *s = new_stats(p);
  lg_lead   *l = new_lead();
  (void)state;
  /* ana from 0, snoozed 1-9, reassigned at 12 (4h net: reassigned before
   * her deadline: neither met nor breached); ben from 12, touched at 20:
   * 8h, in SLA */
  assign(l, "ana", H(0));
  assert_int_equal(lg_lead_snooze(l, H(1), H(9)), LG_OK);
  assign(l, "ben", H(12));
  touch(l, H(20));
  add_and_free(s, l, H(100));
  assert_row(s, 0, "ana", 1, 0, 0, 0, 0, 0, 0);
  assert_row(s, 1, "ben", 1, 1, 1, 0, 0, 8 * HOUR, 8 * HOUR);
  lg_stats_free(s);
  lg_policy_free(p);
}

/* Without a rule, as with one: a reassignment later than `now` has not
 * happened, so the earlier owner still holds the lead and a touch up to
 * now counts for them; a touch at the very second of the assignment is a
 * response time of 0. */
static void without_a_rule_a_later_reassignment_leaves_the_owner_current(void **state) {
  lg_policy *p = parse_policy("route round-robin\n");
  lg_stats  *s = new_stats(p);
  lg_lead   *l;
  (void)state;
  /* ana from 0, touched at 5; ben only from 100: as of 50, ana's, 5h */
  l = new_lead(); assign(l, "ana", H(0)); touch(l, H(5)); assign(l, "ben", H(100));
  add_and_free(s, l, H(50));
  /* ana from 0, touched at 60 (after now), ben from 100: untouched as of 50 */
  l = new_lead(); assign(l, "ana", H(0)); touch(l, H(60)); assign(l, "ben", H(100));
  add_and_free(s, l, H(50));
  /* cid touched the second it was assigned */
  l = new_lead(); assign(l, "cid", H(10)); touch(l, H(10));
  add_and_free(s, l, H(50));
  assert_int_equal(lg_stats_rep_count(s), 2);
  assert_row(s, 0, "ana", 2, 1, 0, 0, 0, 5 * HOUR, 5 * HOUR);
  assert_row(s, 1, "cid", 1, 1, 0, 0, 0, 0, 0);
  lg_stats_free(s);
  lg_policy_free(p);
}

/* ---- percentiles and order against brute force ----------------------------- */

static uint32_t rng_state = 2463534242u;
static uint32_t rnd(uint32_t bound) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state % bound;
}

/* Nearest rank by counting: the smallest value v such that at least
 * ceil(p N) values are <= v, i.e. count(<= v) * den >= N * num. */
static lg_duration brute_rank(const lg_duration *v, size_t n, size_t num, size_t den) {
  lg_duration best = 0;
  int         found = 0;
  size_t      i, j;
  for (i = 0; i < n; i++) {
    size_t le = 0;
    for (j = 0; j < n; j++) le += v[j] <= v[i];
    if (le * den >= n * num && (!found || v[i] < best)) {
      best = v[i];
      found = 1;
    }
  }
  return best;
}

static void percentiles_are_exact_nearest_ranks(void **state) {
  lg_policy  *p = parse_policy("follow-up within 1h\n");
  lg_stats   *s = new_stats(p);
  lg_duration resp[300];
  size_t      n;
  (void)state;
  for (n = 1; n <= 300; n++) {
    lg_lead     *l = new_lead();
    lg_rep_stats r;
    /* Few distinct values, so ties are common. */
    resp[n - 1] = (lg_duration)rnd(40) * 97;
    assign(l, "ana", H(0));
    touch(l, H(0) + resp[n - 1]);
    add_and_free(s, l, H(1000));
    r = row(s, 0);
    assert_int_equal(r.touched, n);
    assert_int_equal(r.median_response, brute_rank(resp, n, 1, 2));
    assert_int_equal(r.p90_response, brute_rank(resp, n, 9, 10));
  }
  lg_stats_free(s);
  lg_policy_free(p);
}

static void reps_are_listed_in_byte_order_of_id(void **state) {
  lg_policy *p = parse_policy("follow-up within 1h\n");
  lg_stats  *s = new_stats(p);
  char       names[200][4];
  size_t     k, i, j, distinct = 0;
  (void)state;
  for (k = 0; k < 200; k++) {
    lg_lead *l = new_lead();
    /* 1-3 bytes from a small alphabet, so names repeat and share
     * prefixes; U+00E9 (two bytes, above every ASCII byte) only where it
     * fits whole. */
    size_t len = 1 + rnd(3), pos = 0;
    while (pos < len) {
      uint32_t c = rnd(6);
      if (c < 5) {
        names[k][pos++] = "abABz"[c];
      } else if (pos < 2) {
        names[k][pos++] = '\xc3';
        names[k][pos++] = '\xa9';
      }
    }
    names[k][pos] = '\0';
    assign(l, names[k], H(0));
    add_and_free(s, l, H(1));
  }
  for (k = 0; k < 200; k++) {
    int seen = 0;
    for (j = 0; j < k && !seen; j++) seen = strcmp(names[j], names[k]) == 0;
    distinct += !seen;
  }
  assert_int_equal(lg_stats_rep_count(s), distinct);
  for (i = 0; i < distinct; i++) {
    lg_rep_stats r = row(s, i);
    uint32_t     want = 0;
    for (k = 0; k < 200; k++) want += strcmp(names[k], r.rep) == 0;
    assert_int_equal(r.assigned, want);
    if (i > 0) assert_true(strcmp(row(s, i - 1).rep, r.rep) < 0);
  }
  lg_stats_free(s);
  lg_policy_free(p);
}

/* ---- correlation --------------------------------------------------------------- */

/* Four reps with in-SLA rates a 1/2, b 1, c 0, d 1/4 (built below). */
static lg_stats *correlation_book(const lg_policy *p) {
  lg_stats *s = new_stats(p);
  lg_lead  *l;
  int       k;
  l = new_lead(); assign(l, "a", H(0)); touch(l, H(0) + 60); add_and_free(s, l, H(100));
  l = new_lead(); assign(l, "a", H(0)); add_and_free(s, l, H(100));
  l = new_lead(); assign(l, "b", H(0)); touch(l, H(0) + 60); add_and_free(s, l, H(100));
  l = new_lead(); assign(l, "c", H(0)); add_and_free(s, l, H(100));
  l = new_lead(); assign(l, "d", H(0)); touch(l, H(0) + 60); add_and_free(s, l, H(100));
  for (k = 0; k < 3; k++) {
    l = new_lead(); assign(l, "d", H(0)); touch(l, H(50)); add_and_free(s, l, H(100));
  }
  return s;
}

static void correlation_matches_a_hand_computed_pearson_r(void **state) {
  static const char *const reps[] = {"a", "b", "c", "d"};
  static const double      att[] = {1.0, 1.5, 0.5, 0.6};
  static const char *const shuffled[] = {"c", "a", "d", "b"};
  static const double      att_sh[] = {0.5, 1.0, 0.6, 1.5};
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = correlation_book(p);
  double     r = 0, r2 = 0, neg[4];
  int        i;
  (void)state;
  /* x = 1/2, 1, 0, 1/4 (mean 7/16); y = 1.0, 1.5, 0.5, 0.6 (mean 9/10).
   * dx = 1/16, 9/16, -7/16, -3/16;  dy = 0.1, 0.6, -0.4, -0.3.
   * sxy = 0.00625 + 0.3375 + 0.175 + 0.05625 = 0.575 = 23/40
   * sxx = (1 + 81 + 49 + 9)/256 = 140/256 = 35/64
   * syy = 0.01 + 0.36 + 0.16 + 0.09 = 0.62 = 31/50
   * r^2 = (529/1600) / (1085/3200) = 1058/1085, r = 0.98747921870451... */
  assert_int_equal(lg_stats_correlation(s, reps, att, 4, &r), LG_OK);
  assert_true(r > 0.987479218704511 - 1e-12 && r < 0.987479218704511 + 1e-12);
  /* Order of the pairs does not matter; negating attainment negates r;
   * scaling it (here to huge values) does not change it. */
  assert_int_equal(lg_stats_correlation(s, shuffled, att_sh, 4, &r2), LG_OK);
  assert_true(r2 > r - 1e-12 && r2 < r + 1e-12);
  for (i = 0; i < 4; i++) neg[i] = -att[i] * 1e300;
  assert_int_equal(lg_stats_correlation(s, reps, neg, 4, &r2), LG_OK);
  assert_true(r2 > -r - 1e-12 && r2 < -r + 1e-12);
  /* Two points always correlate perfectly: rates 1/2 < 1 with 1.0 < 1.5. */
  assert_int_equal(lg_stats_correlation(s, reps, att, 2, &r2), LG_OK);
  assert_true(r2 > 1 - 1e-15 && r2 <= 1);
  lg_stats_free(s);
  lg_policy_free(p);
}

static uint32_t xrnd(void) { return rnd(1u << 30); }

static void correlation_squared_matches_the_ratio_of_centred_sums(void **state) {
  static const char *const reps[] = {"a", "b", "c", "d", "a", "b"};
  static const double      rate[] = {0.5, 1.0, 0.0, 0.25, 0.5, 1.0};
  static const char *const cross[] = {"c", "b", "c", "b"};
  static const double      orth[] = {1.0, 1.0, 2.0, 2.0};
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = correlation_book(p);
  double     att[6], r = 0;
  int        trial, i;
  (void)state;
  /* Rates 0 1 0 1 against 1 1 2 2: centred, -+-+ against --++, whose
   * products cancel exactly: r = 0. */
  assert_int_equal(lg_stats_correlation(s, cross, orth, 4, &r), LG_OK);
  assert_true(r == 0.0);
  /* Random attainments (repeated names allowed): r^2 must equal
   * sxy^2 / (sxx syy), computed here in long double without a root, and
   * r must carry the sign of sxy. */
  for (trial = 0; trial < 500; trial++) {
    long double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0, q, diff;
    for (i = 0; i < 6; i++) att[i] = (double)xrnd() / (double)(1u << 29) - 1.0;
    for (i = 0; i < 6; i++) {
      mx += rate[i];
      my += att[i];
    }
    mx /= 6;
    my /= 6;
    for (i = 0; i < 6; i++) {
      sxy += (rate[i] - mx) * (att[i] - my);
      sxx += (rate[i] - mx) * (rate[i] - mx);
      syy += (att[i] - my) * (att[i] - my);
    }
    q = sxy * sxy / (sxx * syy);
    assert_int_equal(lg_stats_correlation(s, reps, att, 6, &r), LG_OK);
    diff = (long double)r * r - q;
    assert_true(diff < 1e-13L && diff > -1e-13L);
    assert_true((r < 0) == (sxy < 0));
    assert_true(r >= -1.0 && r <= 1.0);
  }
  lg_stats_free(s);
  lg_policy_free(p);
}

/* Attainment exactly linear in the rates (1/16 + rate/8, all exact in
 * binary: 0.125, 0.1875, 0.0625, 0.09375 for rates 1/2, 1, 0, 1/4), so r
 * is exactly 1, or -1 against the negated attainment.  Rounding in the
 * centred sums makes sxy^2 / (sxx syy) come out a little above 1 here; r
 * must still be exactly +-1, never beyond. */
static void a_perfectly_linear_relation_gives_exactly_one_and_never_more(void **state) {
  static const char *const reps[] = {"a", "b", "c", "d"};
  static const double      att[] = {0.125, 0.1875, 0.0625, 0.09375};
  static const double      neg[] = {-0.125, -0.1875, -0.0625, -0.09375};
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = correlation_book(p);
  double     r = 0;
  size_t     n;
  (void)state;
  for (n = 2; n <= 4; n++) {
    assert_int_equal(lg_stats_correlation(s, reps, att, n, &r), LG_OK);
    assert_true(r == 1.0);
    assert_int_equal(lg_stats_correlation(s, reps, neg, n, &r), LG_OK);
    assert_true(r == -1.0);
  }
  lg_stats_free(s);
  lg_policy_free(p);
}

static void correlation_rejects_null_unknown_and_degenerate_input(void **state) {
  static const char *const reps[] = {"a", "b", "c", "d"};
  static const char *const with_null[] = {"a", NULL};
  static const char *const unknown[] = {"a", "zed"};
  static const char *const same_rate[] = {"b", "b"};
  static const double      att[] = {1.0, 1.5, 0.5, 0.6};
  static const double      flat[] = {1.0, 1.0, 1.0, 1.0};
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = correlation_book(p);
  double     r = 42.0, bad[4];
  (void)state;
  assert_int_equal(lg_stats_correlation(NULL, reps, att, 4, &r), LG_ERR_INVALID);
  assert_int_equal(lg_stats_correlation(s, NULL, att, 4, &r), LG_ERR_INVALID);
  assert_int_equal(lg_stats_correlation(s, reps, NULL, 4, &r), LG_ERR_INVALID);
  assert_int_equal(lg_stats_correlation(s, reps, att, 4, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_stats_correlation(s, with_null, att, 2, &r), LG_ERR_INVALID);
  assert_int_equal(lg_stats_correlation(s, unknown, att, 2, &r), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stats_correlation(s, reps, att, 1, &r), LG_ERR_RANGE);
  assert_int_equal(lg_stats_correlation(s, NULL, NULL, 0, &r), LG_ERR_RANGE);
  assert_int_equal(lg_stats_correlation(s, same_rate, att, 2, &r), LG_ERR_RANGE);
  assert_int_equal(lg_stats_correlation(s, reps, flat, 4, &r), LG_ERR_RANGE);
  memcpy(bad, att, sizeof bad);
  bad[2] = NAN;
  assert_int_equal(lg_stats_correlation(s, reps, bad, 4, &r), LG_ERR_RANGE);
  bad[2] = INFINITY;
  assert_int_equal(lg_stats_correlation(s, reps, bad, 4, &r), LG_ERR_RANGE);
  bad[2] = -bad[2];
  assert_int_equal(lg_stats_correlation(s, reps, bad, 4, &r), LG_ERR_RANGE);
  assert_true(r == 42.0);
  lg_stats_free(s);
  lg_policy_free(p);
}

/* ---- errors and allocation ------------------------------------------------------- */

static void bad_arguments_are_rejected(void **state) {
  lg_policy   *p = parse_policy("follow-up within 24h\n");
  lg_stats    *s = NULL, *keep = (lg_stats *)&s;
  lg_lead     *l = new_lead();
  lg_rep_stats r;
  (void)state;
  assert_int_equal(lg_stats_create(NULL, &keep), LG_ERR_INVALID);
  assert_true(keep == (lg_stats *)&s);
  assert_int_equal(lg_stats_create(p, NULL), LG_ERR_INVALID);
  s = new_stats(p);
  assign(l, "ana", H(0));
  assert_int_equal(lg_stats_add(NULL, l, H(1)), LG_ERR_INVALID);
  assert_int_equal(lg_stats_add(s, NULL, H(1)), LG_ERR_INVALID);
  assert_int_equal(lg_stats_add(s, l, LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_stats_add(s, l, LG_TIME_MIN - 1), LG_ERR_RANGE);
  assert_int_equal(lg_stats_rep_count(s), 0);
  assert_int_equal(lg_stats_rep_count(NULL), 0);
  assert_int_equal(lg_stats_rep(s, 0, &r), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stats_add(s, l, H(1)), LG_OK);
  assert_int_equal(lg_stats_rep(s, 1, &r), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stats_rep(s, (size_t)-1, &r), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stats_rep(NULL, 0, &r), LG_ERR_INVALID);
  assert_int_equal(lg_stats_rep(s, 0, NULL), LG_ERR_INVALID);
  lg_stats_free(NULL);
  lg_lead_free(l);
  lg_stats_free(s);
  lg_policy_free(p);
}

static void create_fails_cleanly_when_allocation_fails(void **state) {
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = (lg_stats *)&p;
  long       blocks = ts_alloc_live_blocks();
  (void)state;
  ts_alloc_fail_at(1, 0);
  assert_int_equal(lg_stats_create(p, &s), LG_ERR_NOMEM);
  assert_true(s == (lg_stats *)&p);
  assert_int_equal(ts_alloc_live_blocks(), blocks);
  ts_alloc_fail_at(0, 0);
  lg_policy_free(p);
}

/* Everything the book shows, for before/after comparisons. */
typedef struct snapshot {
  size_t       n;
  lg_rep_stats rows[16];
  char         ids[16][8];
} snapshot;

static void take(const lg_stats *s, snapshot *snap) {
  size_t i;
  memset(snap, 0, sizeof *snap);
  snap->n = lg_stats_rep_count(s);
  assert_true(snap->n <= 16);
  for (i = 0; i < snap->n; i++) {
    snap->rows[i] = row(s, i);
    strncpy(snap->ids[i], snap->rows[i].rep, sizeof snap->ids[i] - 1);
    snap->rows[i].rep = NULL;
  }
}

static void add_is_failure_atomic_at_every_allocation_point(void **state) {
  lg_policy *p = parse_policy("follow-up within 24h\n");
  lg_stats  *s = new_stats(p);
  lg_lead   *l;
  snapshot   before, after;
  const char *const existing[] = {"r1", "r2", "r3", "r4"};
  int        k, i, sticky, failures;
  (void)state;
  /* Four reps with four responses each: the rep table and each response
   * list are exactly full, so the lead below must grow the table, copy two
   * new ids, and grow r2's list and create the newcomers' lists. */
  for (k = 0; k < 4; k++)
    for (i = 0; i < 4; i++) {
      l = new_lead();
      assign(l, existing[k], H(i));
      touch(l, H(i) + 60 * (k + 1));
      add_and_free(s, l, H(100));
    }
  l = new_lead();
  assign(l, "r2", H(10));
  touch(l, H(11));
  assign(l, "new1", H(12));
  touch(l, H(14));
  assign(l, "new0", H(20));
  touch(l, H(50));
  assign(l, "new1", H(60));
  take(s, &before);
  for (sticky = 0; sticky < 2; sticky++) {
    failures = 0;
    for (k = 1;; k++) {
      long      blocks = ts_alloc_live_blocks();
      lg_status st;
      ts_alloc_fail_at(k, sticky);
      st = lg_stats_add(s, l, H(100));
      ts_alloc_fail_at(0, 0);
      if (st == LG_OK) break;
      failures++;
      assert_int_equal(st, LG_ERR_NOMEM);
      take(s, &after);
      assert_memory_equal(&before, &after, sizeof before);
      /* Grown capacity may be kept (a realloc), nothing half-made is. */
      assert_int_equal(ts_alloc_live_blocks(), blocks);
    }
    assert_true(failures >= 4);
    /* The add that finally succeeded: 16 + 1 leads for r1..r4 and two
     * newcomers, new0 (MET_LATE 30h) and new1 (MET 2h, then current and
     * breached 40h). */
    assert_int_equal(lg_stats_rep_count(s), 6);
    assert_row(s, 0, "new0", 1, 1, 0, 1, 0, 30 * HOUR, 30 * HOUR);
    assert_row(s, 1, "new1", 2, 1, 1, 1, 1, 2 * HOUR, 2 * HOUR);
    assert_row(s, 3, "r2", 5, 5, 5, 0, 0, 120, HOUR);
    /* Start over for the sticky round. */
    lg_stats_free(s);
    s = new_stats(p);
    for (k = 0; k < 4; k++)
      for (i = 0; i < 4; i++) {
        lg_lead *m = new_lead();
        assign(m, existing[k], H(i));
        touch(m, H(i) + 60 * (k + 1));
        add_and_free(s, m, H(100));
      }
  }
  lg_lead_free(l);
  lg_stats_free(s);
  lg_policy_free(p);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(a_hand_built_book_of_20_leads_counts_every_assignment),
    T(adding_the_same_lead_twice_counts_it_twice),
    T(an_assignment_is_current_until_the_next_one_has_happened),
    T(response_times_count_business_seconds_on_a_business_rule),
    T(without_a_follow_up_rule_only_counts_and_wall_clock_times_remain),
    T(without_a_rule_a_later_reassignment_leaves_the_owner_current),
    T(responses_are_net_of_snoozes_and_follow_each_tier),
    T(an_old_owners_snooze_stays_with_the_old_clock),
    T(percentiles_are_exact_nearest_ranks),
    T(reps_are_listed_in_byte_order_of_id),
    T(correlation_matches_a_hand_computed_pearson_r),
    T(correlation_squared_matches_the_ratio_of_centred_sums),
    T(a_perfectly_linear_relation_gives_exactly_one_and_never_more),
    T(correlation_rejects_null_unknown_and_degenerate_input),
    T(bad_arguments_are_rejected),
    T(create_fails_cleanly_when_allocation_fails),
    T(add_is_failure_atomic_at_every_allocation_point),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
