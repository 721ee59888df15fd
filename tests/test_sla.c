/*
 * test_sla.c - the follow-up SLA clock (lib/sla.c): lg_sla_eval and
 * lg__sla_eval_assignment.
 *
 * Hand-worked cases first (every expected time is computed in the comment
 * next to it), then a brute-force cross-check: random ladders, assignments,
 * touches and recorded actions on a small business calendar, with `now`
 * walked minute by minute over several days and every field compared with
 * an independent model that counts open minutes itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "support.h"

#define MINUTE INT64_C(60)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/* ---- helpers ------------------------------------------------------------- */

/* UTC instant of a civil date and time, counted by hand from 1970 so it
 * does not depend on the library's own date code. */
static lg_time utc(int y, int mo, int d, int h, int mi) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t days = 0;
  int     i;
  for (i = 1970; i < y; i++)
    days += ((i % 4 == 0 && i % 100 != 0) || i % 400 == 0) ? 366 : 365;
  for (i = 1; i < mo; i++) {
    days += mdays[i - 1];
    if (i == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) days++;
  }
  days += d - 1;
  return days * DAY + h * HOUR + mi * MINUTE;
}

static lg_policy *policy(const char *text) {
  lg_policy *p = NULL;
  lg_error   err;
  lg_status  st = lg_policy_parse(text, strlen(text), &p, &err);
  if (st != LG_OK)
    print_error("policy does not parse: %u:%u %s\n%s\n", err.line, err.column, err.message,
                text);
  assert_int_equal(st, LG_OK);
  return p;
}

static lg_lead *lead_assigned(lg_time at) {
  lg_lead *l = NULL;
  assert_int_equal(lg_lead_create("lead-1", &l), LG_OK);
  if (at != LG_TIME_NEVER) assert_int_equal(lg_lead_assign(l, "ana", at), LG_OK);
  return l;
}

/* -1 with NONE, else a rule's index: 0 when the policy has one rule. */
static void check_tier(const lg_policy *p, const lg_sla_status *s) {
  if (s->state == LG_SLA_NONE)
    assert_int_equal(s->tier, -1);
  else
    assert_true(s->tier >= 0 && (uint32_t)s->tier < lg__policy_followup_count(p));
  if (s->state != LG_SLA_NONE && lg__policy_followup_count(p) == 1) assert_int_equal(s->tier, 0);
}

static lg_sla_status eval(const lg_policy *p, const lg_lead *l, lg_time now) {
  lg_sla_status s;
  memset(&s, 0x5a, sizeof s);
  assert_int_equal(lg_sla_eval(p, l, now, &s), LG_OK);
  check_tier(p, &s);
  assert_int_equal(s.reserved2[0], 0);
  assert_int_equal(s.reserved2[1], 0);
  return s;
}

static lg_sla_status eval_at(const lg_policy *p, const lg_lead *l, uint32_t index,
                             lg_time now) {
  lg_sla_status s;
  memset(&s, 0x5a, sizeof s);
  assert_int_equal(lg__sla_eval_assignment(p, l, index, now, &s), LG_OK);
  check_tier(p, &s);
  assert_int_equal(s.reserved2[0], 0);
  assert_int_equal(s.reserved2[1], 0);
  return s;
}

#define assert_pair(s, st, act)            \
  do {                                     \
    assert_int_equal((s).state, (st));     \
    assert_int_equal((s).action, (act));   \
  } while (0)

static void assert_none(const lg_sla_status *s, int32_t reassignments) {
  assert_int_equal(s->state, LG_SLA_NONE);
  assert_int_equal(s->action, LG_ACTION_NONE);
  assert_int_equal(s->started_at, 0);
  assert_int_equal(s->due_at, 0);
  assert_true(s->next_at == LG_TIME_NEVER);
  assert_int_equal(s->elapsed, 0);
  assert_int_equal(s->remaining, 0);
  assert_int_equal(s->reassignments, reassignments);
}

/* The design's ladder on an always-open calendar (no calendar block), so
 * business seconds are wall seconds.  Offsets: warn 36h (75% of 48h),
 * remind 48h, escalate 36h, reassign 48h, recycle 96h. */
static const char LADDER[] =
    "policy \"ladder\"\n"
    "follow-up within 48h business\n"
    "  warn at 75%\n"
    "  remind at 100%\n"
    "  escalate at 36h\n"
    "  reassign at 48h max 2\n"
    "  recycle at 96h\n";

/* Mon 2026-03-02 10:00 UTC. */
#define T0 utc(2026, 3, 2, 10, 0)

/* ---- touches ---------------------------------------------------------------- */

static void a_touch_before_the_deadline_meets_the_sla(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_touch(l, T0 + 5 * HOUR), LG_OK);
  s = eval(p, l, T0 + 10 * HOUR);
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(s.started_at, T0);
  assert_int_equal(s.due_at, T0 + 48 * HOUR);
  assert_true(s.next_at == LG_TIME_NEVER);
  assert_int_equal(s.elapsed, 5 * HOUR); /* the clock stopped at the touch */
  assert_int_equal(s.remaining, 43 * HOUR);
  assert_int_equal(s.reassignments, 0);
  /* a week later nothing has moved: the ladder stopped with the touch */
  s = eval(p, l, T0 + 7 * DAY);
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 5 * HOUR);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_touch_after_the_deadline_meets_it_late(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_touch(l, T0 + 50 * HOUR), LG_OK);
  s = eval(p, l, T0 + 60 * HOUR);
  assert_pair(s, LG_SLA_MET_LATE, LG_ACTION_NONE);
  assert_int_equal(s.due_at, T0 + 48 * HOUR);
  assert_true(s.next_at == LG_TIME_NEVER);
  assert_int_equal(s.elapsed, 50 * HOUR);
  assert_int_equal(s.remaining, -2 * HOUR);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_touch_exactly_at_the_deadline_is_late(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0), *m = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_touch(l, T0 + 48 * HOUR), LG_OK);
  s = eval(p, l, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_MET_LATE, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 48 * HOUR);
  assert_int_equal(s.remaining, 0);
  /* one second earlier is in time */
  assert_int_equal(lg_lead_touch(m, T0 + 48 * HOUR - 1), LG_OK);
  s = eval(p, m, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(s.remaining, 1);
  lg_lead_free(m);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* ---- the ladder ---------------------------------------------------------------- */

static void a_host_away_for_a_week_gets_only_the_most_severe_step(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0 + 7 * DAY);
  /* warn, remind, escalate, reassign and recycle are all reached */
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_RECYCLE);
  assert_int_equal(s.elapsed, 168 * HOUR);
  assert_int_equal(s.remaining, -120 * HOUR);
  assert_true(s.next_at == LG_TIME_NEVER);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void reassign_is_returned_until_max_reassignments_then_recycle(void **state) {
  lg_policy    *p = policy("follow-up within 48h\n  reassign at 48h max 2\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0 + 48 * HOUR - 1);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 48 * HOUR);
  s = eval(p, l, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);
  assert_int_equal(s.reassignments, 0);

  assert_int_equal(lg_lead_assign(l, "ben", T0 + 48 * HOUR), LG_OK); /* reassignment 1 */
  s = eval(p, l, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.started_at, T0 + 48 * HOUR);
  assert_int_equal(s.reassignments, 1);
  s = eval(p, l, T0 + 96 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);

  assert_int_equal(lg_lead_assign(l, "cy", T0 + 96 * HOUR), LG_OK); /* reassignment 2 */
  s = eval(p, l, T0 + 144 * HOUR - 1);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 144 * HOUR);
  s = eval(p, l, T0 + 144 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_RECYCLE); /* max 2 used up */
  assert_int_equal(s.reassignments, 2);
  assert_true(s.next_at == LG_TIME_NEVER);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void reassign_without_max_never_turns_into_recycle(void **state) {
  lg_policy    *p = policy("follow-up within 1h\n  reassign at 1h\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  int           i;
  (void)state;
  for (i = 1; i <= 20; i++)
    assert_int_equal(lg_lead_assign(l, "ana", T0 + i * HOUR), LG_OK);
  s = eval(p, l, T0 + 21 * HOUR);
  assert_int_equal(s.reassignments, 20);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void recording_an_action_suppresses_it_and_every_lesser_step(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0), *m = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0 + 50 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);
  assert_int_equal(s.next_at, T0 + 96 * HOUR);
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_REASSIGN, T0 + 50 * HOUR), LG_OK);
  s = eval(p, l, T0 + 50 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_NONE); /* the state is not an action */
  assert_int_equal(s.next_at, T0 + 96 * HOUR);
  s = eval(p, l, T0 + 96 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_RECYCLE);
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_RECYCLE, T0 + 96 * HOUR), LG_OK);
  s = eval(p, l, T0 + 96 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_NONE);
  assert_true(s.next_at == LG_TIME_NEVER);

  /* Recorded early, reassign hides warn, remind and escalate too; only the
   * state moves until recycle. */
  assert_int_equal(lg_lead_record_action(m, LG_ACTION_REASSIGN, T0 + HOUR), LG_OK);
  s = eval(p, m, T0 + HOUR);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 36 * HOUR); /* RUNNING -> WARNING */
  s = eval(p, m, T0 + 36 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 48 * HOUR); /* WARNING -> BREACHED */
  s = eval(p, m, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 96 * HOUR);
  s = eval(p, m, T0 + 96 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_RECYCLE);
  lg_lead_free(m);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void recording_a_lesser_action_does_not_hide_a_more_severe_one(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_REMIND, T0 + 40 * HOUR), LG_OK);
  s = eval(p, l, T0 + 40 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_ESCALATE);
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_ESCALATE, T0 + 40 * HOUR), LG_OK);
  s = eval(p, l, T0 + 40 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_NONE);
  /* remind at 48h is below the recorded escalate; reassign at 48h is not */
  assert_int_equal(s.next_at, T0 + 48 * HOUR);
  s = eval(p, l, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);
  /* recording the same action twice changes nothing */
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_ESCALATE, T0 + 48 * HOUR), LG_OK);
  s = eval(p, l, T0 + 48 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void warn_at_75_percent_and_escalate_at_36h_fire_together_as_escalate(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 36 * HOUR); /* 48h x 75% */
  s = eval(p, l, T0 + 36 * HOUR - 1);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  s = eval(p, l, T0 + 36 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_ESCALATE);
  assert_int_equal(s.next_at, T0 + 48 * HOUR);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void percentages_round_up_to_a_whole_second(void **state) {
  /* 420 s x 33.333% = 139.9986 s -> 140 s */
  lg_policy    *p = policy("follow-up within 7m\n  warn at 33.333%\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0 + 139);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.next_at, T0 + 140);
  s = eval(p, l, T0 + 140);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_WARN);
  assert_int_equal(s.next_at, T0 + 420);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* Walks from `start` by jumping to next_at until LG_TIME_NEVER, checking at
 * every stop the expected instant and (state, action), that the pair is
 * unchanged one second before next_at and changed at next_at. */
static void walk_ladder(const lg_policy *p, const lg_lead *l, lg_time start, size_t n,
                        const lg_time *at, const int *st, const int *act) {
  lg_time       now = start;
  size_t        k;
  lg_sla_status s, before;
  for (k = 0; k < n; k++) {
    s = eval(p, l, now);
    assert_int_equal(now, at[k]);
    assert_pair(s, st[k], act[k]);
    if (k + 1 == n) break;
    assert_true(s.next_at > now && s.next_at != LG_TIME_NEVER);
    before = eval(p, l, s.next_at - 1);
    assert_pair(before, s.state, s.action);
    now = s.next_at;
  }
  assert_true(k + 1 == n);
  assert_true(s.next_at == LG_TIME_NEVER);
  /* and nothing changes long after */
  before = eval(p, l, now + 400 * DAY);
  assert_pair(before, s.state, s.action);
}

static void next_at_walks_the_whole_ladder_one_change_at_a_time(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  const lg_time at[] = {T0, T0 + 36 * HOUR, T0 + 48 * HOUR, T0 + 96 * HOUR};
  const int     st[] = {LG_SLA_RUNNING, LG_SLA_WARNING, LG_SLA_BREACHED, LG_SLA_BREACHED};
  const int     act[] = {LG_ACTION_NONE, LG_ACTION_ESCALATE, LG_ACTION_REASSIGN,
                         LG_ACTION_RECYCLE};
  (void)state;
  walk_ladder(p, l, T0, 4, at, st, act);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void next_at_walks_a_business_ladder_across_a_weekend(void **state) {
  /* Open mon-fri 09:00-17:00 UTC, 8h a day.  Assigned Thu 2026-03-05
   * 10:00: Thu gives 7h, Fri 8h (15h at Fri 17:00), Mon 8h (23h).
   *   warn 50% of 16h = 8h  -> Fri 10:00
   *   remind 15h            -> Fri 17:00 (closing time, not Mon 09:00)
   *   escalate 100% = 16h   -> Mon 10:00, BREACHED too
   *   reassign 20h          -> Mon 14:00 (0 of max 1 used)
   *   recycle 24h           -> Tue 10:00 */
  lg_policy *p = policy("calendar\n  hours mon-fri 09:00-17:00\n"
                        "follow-up within 16h business\n"
                        "  warn at 50%\n  remind at 15h\n  escalate at 100%\n"
                        "  reassign at 20h max 1\n  recycle at 24h\n");
  lg_lead      *l = lead_assigned(utc(2026, 3, 5, 10, 0));
  const lg_time at[] = {utc(2026, 3, 5, 10, 0), utc(2026, 3, 6, 10, 0),
                        utc(2026, 3, 6, 17, 0), utc(2026, 3, 9, 10, 0),
                        utc(2026, 3, 9, 14, 0), utc(2026, 3, 10, 10, 0)};
  const int     st[] = {LG_SLA_RUNNING,  LG_SLA_WARNING,  LG_SLA_WARNING,
                        LG_SLA_BREACHED, LG_SLA_BREACHED, LG_SLA_BREACHED};
  const int     act[] = {LG_ACTION_NONE,     LG_ACTION_WARN,     LG_ACTION_REMIND,
                         LG_ACTION_ESCALATE, LG_ACTION_REASSIGN, LG_ACTION_RECYCLE};
  lg_sla_status s;
  (void)state;
  walk_ladder(p, l, at[0], 6, at, st, act);
  s = eval(p, l, utc(2026, 3, 7, 12, 0)); /* Saturday: the clock stands still */
  assert_int_equal(s.elapsed, 15 * HOUR);
  assert_int_equal(s.remaining, HOUR);
  assert_int_equal(s.due_at, utc(2026, 3, 9, 10, 0));
  assert_int_equal(s.next_at, utc(2026, 3, 9, 10, 0));
  lg_lead_free(l);
  lg_policy_free(p);
}

/* ---- basis ----------------------------------------------------------------------- */

static void business_basis_skips_the_weekend(void **state) {
  /* Fri 2026-03-06 16:00 on mon-fri 09:00-17:00.  24h business: Fri 1h,
   * Mon 8h (9h), Tue 8h (17h), Wed 7h more -> Wed 2026-03-11 16:00.
   * 48h business: then Wed 8h (25h), Thu 33h, Fri 41h, Mon 7h more ->
   * Mon 2026-03-16 16:00. */
  static const char cal[] = "calendar\n  hours mon-fri 09:00-17:00\n";
  char          text[256];
  lg_policy    *p24, *p48;
  lg_lead      *l = lead_assigned(utc(2026, 3, 6, 16, 0));
  lg_sla_status s;
  (void)state;
  snprintf(text, sizeof text, "%sfollow-up within 24h business\n", cal);
  p24 = policy(text);
  snprintf(text, sizeof text, "%sfollow-up within 48h business\n", cal);
  p48 = policy(text);

  s = eval(p24, l, utc(2026, 3, 7, 12, 0)); /* Saturday */
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, HOUR);
  assert_int_equal(s.remaining, 23 * HOUR);
  assert_int_equal(s.due_at, utc(2026, 3, 11, 16, 0));
  assert_int_equal(s.next_at, utc(2026, 3, 11, 16, 0));
  s = eval(p24, l, utc(2026, 3, 10, 12, 0)); /* Tue noon: 1 + 8 + 3 */
  assert_int_equal(s.elapsed, 12 * HOUR);
  s = eval(p24, l, utc(2026, 3, 11, 16, 0));
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_NONE);
  assert_true(s.next_at == LG_TIME_NEVER);

  s = eval(p48, l, utc(2026, 3, 7, 12, 0));
  assert_int_equal(s.due_at, utc(2026, 3, 16, 16, 0));
  assert_int_equal(s.remaining, 47 * HOUR);
  lg_policy_free(p48);
  lg_policy_free(p24);
  lg_lead_free(l);
}

static void a_deadline_on_closing_time_is_that_closing_time(void **state) {
  lg_policy *p = policy("calendar\n  hours mon-fri 09:00-17:00\n"
                        "follow-up within 1h business\n");
  lg_time       fri16 = utc(2026, 3, 6, 16, 0), fri17 = utc(2026, 3, 6, 17, 0);
  lg_lead      *l = lead_assigned(fri16), *late = lead_assigned(fri16),
          *early = lead_assigned(fri16);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, fri17 - 1);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.due_at, fri17);
  assert_int_equal(s.next_at, fri17);
  s = eval(p, l, fri17);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_NONE);
  /* touched on Saturday morning, with no business time in between: late */
  assert_int_equal(lg_lead_touch(late, utc(2026, 3, 7, 10, 0)), LG_OK);
  s = eval(p, late, utc(2026, 3, 8, 0, 0));
  assert_pair(s, LG_SLA_MET_LATE, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, HOUR);
  assert_int_equal(s.remaining, 0);
  assert_int_equal(lg_lead_touch(early, fri17 - 1), LG_OK);
  s = eval(p, early, utc(2026, 3, 8, 0, 0));
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  lg_lead_free(early);
  lg_lead_free(late);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void wall_clock_basis_ignores_the_calendar(void **state) {
  /* Fri 16:00 + 72 wall hours = Mon 2026-03-09 16:00, weekend included. */
  lg_policy *p = policy("calendar\n  hours mon-fri 09:00-17:00\n"
                        "follow-up within 72h\n  warn at 50%\n");
  lg_lead      *l = lead_assigned(utc(2026, 3, 6, 16, 0));
  lg_sla_status s;
  (void)state;
  s = eval(p, l, utc(2026, 3, 8, 16, 0)); /* Sunday */
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_WARN);
  assert_int_equal(s.elapsed, 48 * HOUR);
  assert_int_equal(s.remaining, 24 * HOUR);
  assert_int_equal(s.due_at, utc(2026, 3, 9, 16, 0));
  assert_int_equal(s.next_at, utc(2026, 3, 9, 16, 0));
  s = eval(p, l, utc(2026, 3, 6, 17, 0));
  assert_int_equal(s.next_at, utc(2026, 3, 8, 4, 0)); /* 36 wall hours */
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_calendar_never_open_again_never_falls_due(void **state) {
  lg_policy    *p = policy("calendar\n  utc-offset +00:00\n"
                           "follow-up within 48h business\n  warn at 10%\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0 + 30 * DAY);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 0);
  assert_int_equal(s.remaining, 48 * HOUR);
  assert_true(s.due_at == LG_TIME_NEVER);
  assert_true(s.next_at == LG_TIME_NEVER);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void deadlines_past_the_end_of_time_are_never(void **state) {
  lg_policy    *business = policy(LADDER);
  lg_policy    *wall = policy("follow-up within 48h\n  warn at 75%\n");
  lg_lead      *l = lead_assigned(LG_TIME_MAX - HOUR);
  lg_sla_status s;
  (void)state;
  s = eval(business, l, LG_TIME_MAX);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, HOUR); /* [LG_TIME_MAX - 1h, LG_TIME_MAX) */
  assert_true(s.due_at == LG_TIME_NEVER);
  assert_true(s.next_at == LG_TIME_NEVER);
  s = eval(wall, l, LG_TIME_MAX);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_true(s.due_at == LG_TIME_NEVER);
  assert_true(s.next_at == LG_TIME_NEVER);
  lg_lead_free(l);
  lg_policy_free(wall);
  lg_policy_free(business);
}

static void huge_targets_and_percentages_do_not_overflow(void **state) {
  /* 52000 weeks (997 years) at 1000% is ~9970 years from 2026, past
   * LG_TIME_MAX: that step can never fire, and next_at says so. */
  lg_policy    *p = policy("follow-up within 52000w business\n  warn at 99.999%\n"
                           "  remind at 1000%\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  lg_duration   target = 52000 * 7 * DAY;
  /* 31,449,600,000 s is 314,496 x 100,000 s: 99.999% of it is exact */
  lg_duration   warn = target / 100000 * 99999;
  (void)state;
  s = eval(p, l, T0 + DAY);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.due_at, T0 + target);
  assert_int_equal(s.next_at, T0 + warn);
  s = eval(p, l, T0 + warn);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_WARN);
  assert_int_equal(s.next_at, T0 + target);
  s = eval(p, l, T0 + target);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_WARN);
  assert_true(s.next_at == LG_TIME_NEVER);
  s = eval(p, l, LG_TIME_MAX);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_WARN);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* ---- NONE, replay and previous holders ------------------------------------------ */

static void a_policy_without_follow_up_gives_none(void **state) {
  lg_policy    *p = policy("policy \"quiet\"\ngrade \"A\"\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_assign(l, "ben", T0 + HOUR), LG_OK);
  s = eval(p, l, T0 + 90 * DAY);
  assert_none(&s, 1); /* the reassignment is still reported */
  lg_lead_free(l);
  lg_policy_free(p);
}

static void an_unassigned_lead_gives_none(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(LG_TIME_NEVER);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0);
  assert_none(&s, 0);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void replay_before_the_assignment_gives_none(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0 - 1);
  assert_none(&s, 0);
  s = eval(p, l, T0);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 0);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void replay_ignores_later_assignments_and_touches(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_lead      *t = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_assign(l, "ben", T0 + 40 * HOUR), LG_OK);
  s = eval(p, l, T0 + 10 * HOUR);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.started_at, T0);
  assert_int_equal(s.reassignments, 0);
  assert_int_equal(s.next_at, T0 + 36 * HOUR); /* not shortened by ben's turn */
  s = eval(p, l, T0 + 38 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_ESCALATE);
  s = eval(p, l, T0 + 40 * HOUR);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.started_at, T0 + 40 * HOUR);
  assert_int_equal(s.reassignments, 1);
  assert_int_equal(s.next_at, T0 + 76 * HOUR);

  assert_int_equal(lg_lead_touch(t, T0 + 20 * HOUR), LG_OK);
  s = eval(p, t, T0 + 20 * HOUR - 1);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 20 * HOUR - 1);
  assert_int_equal(s.next_at, T0 + 36 * HOUR); /* the touch is still to come */
  s = eval(p, t, T0 + 20 * HOUR);
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 20 * HOUR);
  lg_lead_free(t);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void recorded_actions_apply_at_every_now(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_ESCALATE, T0 + 40 * HOUR), LG_OK);
  /* replayed before the host recorded it: actions carry no time */
  s = eval(p, l, T0 + 37 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_NONE);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_previous_holders_clock_stops_at_the_reassignment(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s, cur;
  (void)state;
  assert_int_equal(lg_lead_assign(l, "ben", T0 + 40 * HOUR), LG_OK);
  s = eval_at(p, l, 0, T0 + 100 * HOUR);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_ESCALATE);
  assert_int_equal(s.started_at, T0);
  assert_int_equal(s.due_at, T0 + 48 * HOUR);
  assert_int_equal(s.elapsed, 40 * HOUR);
  assert_int_equal(s.remaining, 8 * HOUR);
  assert_int_equal(s.reassignments, 0);
  assert_true(s.next_at == LG_TIME_NEVER); /* frozen: nothing will change */
  s = eval_at(p, l, 1, T0 + 100 * HOUR);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_REASSIGN);
  assert_int_equal(s.elapsed, 60 * HOUR);
  assert_int_equal(s.reassignments, 1);
  assert_int_equal(s.next_at, T0 + 136 * HOUR);
  cur = eval(p, l, T0 + 100 * HOUR);
  assert_memory_equal(&s, &cur, sizeof s);
  /* before ben's turn the first clock is the current one */
  s = eval_at(p, l, 0, T0 + 30 * HOUR);
  cur = eval(p, l, T0 + 30 * HOUR);
  assert_memory_equal(&s, &cur, sizeof s);
  assert_int_equal(s.next_at, T0 + 36 * HOUR);
  /* and ben's clock has not started */
  s = eval_at(p, l, 1, T0 + 30 * HOUR);
  assert_none(&s, 0);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void a_touch_at_the_reassignment_instant_belongs_to_the_new_owner(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *at = lead_assigned(T0), *before = lead_assigned(T0),
          *after = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  /* touched at T0+10h, then reassigned at that same instant */
  assert_int_equal(lg_lead_touch(at, T0 + 10 * HOUR), LG_OK);
  assert_int_equal(lg_lead_assign(at, "ben", T0 + 10 * HOUR), LG_OK);
  s = eval_at(p, at, 0, T0 + 20 * HOUR);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 10 * HOUR);
  assert_true(s.next_at == LG_TIME_NEVER);
  /* touched a second before: met */
  assert_int_equal(lg_lead_touch(before, T0 + 10 * HOUR - 1), LG_OK);
  assert_int_equal(lg_lead_assign(before, "ben", T0 + 10 * HOUR), LG_OK);
  s = eval_at(p, before, 0, T0 + 20 * HOUR);
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 10 * HOUR - 1);
  /* a touch dated after the reassignment (recorded before it) never counts */
  assert_int_equal(lg_lead_touch(after, T0 + 30 * HOUR), LG_OK);
  assert_int_equal(lg_lead_assign(after, "ben", T0 + 10 * HOUR), LG_OK);
  s = eval_at(p, after, 0, T0 + 40 * HOUR);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 10 * HOUR);
  s = eval(p, after, T0 + 40 * HOUR); /* ben's clock never saw that touch */
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 30 * HOUR);
  lg_lead_free(after);
  lg_lead_free(before);
  lg_lead_free(at);
  lg_policy_free(p);
}

/* ---- follow-up tiers -----------------------------------------------------------
 * Calendar mon-fri 09:00-17:00 UTC; 2026-03-02 is a Monday. */

static const char TIERS[] =
    "calendar\n"
    "  hours mon-fri 09:00-17:00\n"
    "follow-up within 1h business when event demo_requested within 1d\n"
    "  warn at 50%\n"
    "  escalate at 2h\n"
    "follow-up within 4h business when attr grade is \"A\" or stage is mql\n"
    "follow-up within 48h business\n"
    "  warn at 75%\n"
    "  reassign at 48h\n";

static lg_lead *demo_lead(lg_time demo_at, lg_time assigned_at) {
  lg_lead *l = lead_assigned(LG_TIME_NEVER);
  assert_int_equal(lg_lead_add_event(l, "demo_requested", demo_at), LG_OK);
  assert_int_equal(lg_lead_assign(l, "ana", assigned_at), LG_OK);
  return l;
}

/* A demo request yesterday picks the 1h tier; assigned a week later, the
 * same lead gets the 48h tier. */
static void a_demo_request_yesterday_gets_the_one_hour_tier(void **state) {
  lg_policy    *p = policy(TIERS);
  lg_lead      *hot = demo_lead(utc(2026, 3, 2, 11, 0), utc(2026, 3, 3, 10, 0));
  lg_lead      *late = demo_lead(utc(2026, 3, 2, 11, 0), utc(2026, 3, 10, 10, 0));
  lg_sla_status s;
  (void)state;
  s = eval(p, hot, utc(2026, 3, 3, 10, 0));
  assert_int_equal(s.tier, 0);
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.due_at, utc(2026, 3, 3, 11, 0));
  assert_int_equal(s.next_at, utc(2026, 3, 3, 10, 30)); /* warn at 50% */
  /* 48 business hours from Tue 10th 10:00: 7 + 3 * 8 (Wed-Fri) + 8 (Mon)
   * + 8 (Tue) = 47, then Wed 18th 09:00-10:00. */
  s = eval(p, late, utc(2026, 3, 10, 10, 0));
  assert_int_equal(s.tier, 2);
  assert_int_equal(s.due_at, utc(2026, 3, 18, 10, 0));
  lg_lead_free(hot);
  lg_lead_free(late);
  lg_policy_free(p);
}

/* The tier is chosen as of the assignment's start: the demo request
 * leaving its 1d window later does not move the clock to another tier,
 * and an event after the start does not choose one. */
static void the_tier_holds_for_the_whole_assignment(void **state) {
  lg_policy    *p = policy(TIERS);
  lg_lead      *l = demo_lead(utc(2026, 3, 2, 11, 0), utc(2026, 3, 3, 10, 0));
  lg_lead      *after = demo_lead(utc(2026, 3, 3, 10, 30), utc(2026, 3, 3, 10, 0));
  lg_sla_status s;
  (void)state;
  /* Wed 12:00: 7h on Tuesday + 3h: breached, escalate reached */
  s = eval(p, l, utc(2026, 3, 4, 12, 0));
  assert_int_equal(s.tier, 0);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_ESCALATE);
  assert_int_equal(s.elapsed, 10 * HOUR);
  assert_int_equal(s.due_at, utc(2026, 3, 3, 11, 0));
  s = eval(p, after, utc(2026, 3, 3, 11, 0));
  assert_int_equal(s.tier, 2);
  /* A reassignment a week later chooses again; the first clock keeps its
   * own tier. */
  assert_int_equal(lg_lead_assign(l, "ben", utc(2026, 3, 11, 10, 0)), LG_OK);
  s = eval(p, l, utc(2026, 3, 11, 12, 0));
  assert_int_equal(s.tier, 2);
  assert_int_equal(s.reassignments, 1);
  s = eval_at(p, l, 0, utc(2026, 3, 11, 12, 0));
  assert_int_equal(s.tier, 0);
  lg_lead_free(l);
  lg_lead_free(after);
  lg_policy_free(p);
}

/* Attributes and the stage choose tiers too (read as they are: the lead
 * keeps no history of them); with no rule holding the state is NONE. */
static void attributes_choose_tiers_and_no_tier_gives_none(void **state) {
  lg_policy    *p = policy(TIERS);
  lg_policy    *only = policy("follow-up within 1h when attr grade is \"A\"\n"
                              "follow-up within 2h when stage is sql\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  s = eval(p, l, T0);
  assert_int_equal(s.tier, 2);
  assert_int_equal(lg_lead_set_text(l, "grade", "a"), LG_OK); /* case-insensitive */
  s = eval(p, l, T0);
  assert_int_equal(s.tier, 1);
  assert_int_equal(s.due_at, T0 + 4 * HOUR);
  s = eval(only, l, T0);
  assert_int_equal(s.tier, 0);
  assert_int_equal(lg_lead_unset(l, "grade"), LG_OK);
  s = eval(only, l, T0 + HOUR);
  assert_none(&s, 0);
  assert_int_equal(s.tier, -1);
  assert_int_equal(lg_lead_assign(l, "ben", T0 + 2 * HOUR), LG_OK);
  s = eval(only, l, T0 + 3 * HOUR);
  assert_none(&s, 1);
  assert_int_equal(lg_lead_set_stage(l, LG_STAGE_MQL, T0), LG_OK);
  assert_int_equal(lg_lead_set_stage(l, LG_STAGE_SAL, T0), LG_OK);
  assert_int_equal(lg_lead_set_stage(l, LG_STAGE_SQL, T0), LG_OK);
  s = eval(only, l, T0 + 3 * HOUR);
  assert_int_equal(s.tier, 1);
  assert_int_equal(s.due_at, T0 + 4 * HOUR);
  lg_lead_free(l);
  lg_policy_free(only);
  lg_policy_free(p);
}

static void print_policy(const lg_policy *p, char *buf, size_t cap) {
  size_t needed = 0;
  assert_int_equal(lg_policy_to_text(p, buf, cap, &needed), LG_OK);
}

/* Canonical text keeps the rules in order with their conditions; the
 * fingerprint follows the text, so equal rules spelled differently match
 * and a different condition does not. */
static void tiers_print_canonically_and_fingerprint(void **state) {
  static const char canonical[] =
      "disqualify when knockout\n"
      "calendar\n"
      "  utc-offset +00:00\n"
      "  hours mon-fri 09:00-17:00\n"
      "follow-up within 1h business when event demo_requested within 1d\n"
      "  warn at 50%\n"
      "  escalate at 2h\n"
      "follow-up within 4h business when attr grade is \"A\" or stage is mql\n"
      "follow-up within 48h business\n"
      "  warn at 75%\n"
      "  reassign at 48h\n"
      "route least-loaded\n";
  lg_policy  *p = policy(TIERS), *again, *spelled, *other;
  char        text[1024];
  const char *name;
  lg_input_kind kind;
  lg_value_type type;
  (void)state;
  print_policy(p, text, sizeof text);
  assert_string_equal(text, canonical);
  again = policy(text);
  print_policy(again, text, sizeof text);
  assert_string_equal(text, canonical);
  spelled = policy("calendar\n hours mon-fri 09:00-17:00\n"
                   "follow-up within 60m business when (event demo_requested within 24h)\n"
                   " escalate at 120m\n warn at 50.0%\n"
                   "follow-up within 4h business when attr grade is \"A\" or (stage is mql)\n"
                   "follow-up within 2d business\n reassign at 2d\n warn at 75%\n");
  other = policy("calendar\n hours mon-fri 09:00-17:00\n"
                 "follow-up within 1h business when event demo_requested within 2d\n"
                 " warn at 50%\n escalate at 2h\n"
                 "follow-up within 4h business when attr grade is \"A\" or stage is mql\n"
                 "follow-up within 48h business\n warn at 75%\n reassign at 48h\n");
  assert_true(lg_policy_fingerprint(p) == lg_policy_fingerprint(again));
  assert_true(lg_policy_fingerprint(p) == lg_policy_fingerprint(spelled));
  assert_true(lg_policy_fingerprint(p) != lg_policy_fingerprint(other));
  /* The conditions' inputs are the policy's inputs. */
  assert_int_equal(lg_policy_input_count(p), 2);
  assert_int_equal(lg_policy_input_at(p, 0, &name, &kind, &type), LG_OK);
  assert_string_equal(name, "grade");
  assert_int_equal(kind, LG_INPUT_ATTRIBUTE);
  assert_int_equal(type, LG_VALUE_TEXT);
  assert_int_equal(lg_policy_input_at(p, 1, &name, &kind, &type), LG_OK);
  assert_string_equal(name, "demo_requested");
  assert_int_equal(kind, LG_INPUT_EVENT);
  lg_policy_free(p);
  lg_policy_free(again);
  lg_policy_free(spelled);
  lg_policy_free(other);
}

typedef struct bad_policy {
  const char *text;
  lg_status   status;
  uint32_t    line, column;
  const char *message; /* a substring */
} bad_policy;

static void malformed_follow_up_rules_say_where_and_why(void **state) {
  static const bad_policy cases[] = {
    {"follow-up within 1h when fit >= 8", LG_ERR_SYNTAX, 1, 26,
     "'fit' needs a score, and the SLA clock has none"},
    {"follow-up within 1h when engagement > 3", LG_ERR_SYNTAX, 1, 26, "'engagement' needs a"},
    {"follow-up within 1h business when total < 1", LG_ERR_SYNTAX, 1, 35, "'total' needs"},
    {"follow-up within 1h when knockout", LG_ERR_SYNTAX, 1, 26,
     "'knockout' needs a score, and the SLA clock has none: a follow-up rule's 'when' "
     "reads only attributes, events and the stage"},
    {"follow-up within 1h when knockout \"too small\"", LG_ERR_SYNTAX, 1, 26,
     "'knockout' needs"},
    {"follow-up within 1h when not knockout", LG_ERR_SYNTAX, 1, 30, "'knockout' needs"},
    {"follow-up within 1h when (attr a = 1 or fit > 2)", LG_ERR_SYNTAX, 1, 41, "'fit' needs"},
    {"follow-up within 1h when attr g = \"A\" and missing x or total > 1", LG_ERR_SYNTAX, 1,
     56, "'total' needs"},
    {"follow-up within 1h when", LG_ERR_SYNTAX, 1, 25, "expected a condition"},
    {"follow-up within 1h whenever attr a = 1", LG_ERR_SYNTAX, 1, 21,
     "expected 'business', 'when' or the end of the line"},
    {"follow-up within 1h business business", LG_ERR_SYNTAX, 1, 30,
     "expected 'when' or the end of the line"},
    {"follow-up within 1h\nfollow-up within 2h when attr a = 1", LG_ERR_SYNTAX, 2, 1,
     "no follow-up rule may follow the one on line 1, which has no 'when'"},
    {"follow-up within 1h when attr a = 1\nfollow-up within 2h\n\nfollow-up within 3h",
     LG_ERR_SYNTAX, 4, 1, "the one on line 2"},
    {"follow-up within 1h when attr a = 1 )", LG_ERR_SYNTAX, 1, 37, "unexpected ')'"},
    {"follow-up within 1h when attr a = 1\n  warn at 2h", LG_ERR_RANGE, 2, 11,
     "a warning must come before the target"},
    {"follow-up within 2h when attr a = 1\n  warn at 50%\nfollow-up within 1h\n"
     "  warn at 50%\n  warn at 60%",
     LG_ERR_SYNTAX, 5, 3, "a follow-up rule has one 'warn' step"},
    {"follow-up within 1h when stage is foo", LG_ERR_SYNTAX, 1, 35, "unknown stage 'foo'"},
    {"follow-up within 0h when attr a = 1", LG_ERR_RANGE, 1, 18, "longer than 0s"},
    {"follow-up within 1h when event demo within", LG_ERR_SYNTAX, 1, 43, "the time window"},
    {"follow-up within 1h when attr a is", LG_ERR_SYNTAX, 1, 35, "expected"},
    {"follow-up within 1h when attr A = 1", LG_ERR_SYNTAX, 1, 31, "names are lower case"},
    {"grade \"A\"\n  warn at 50%", LG_ERR_SYNTAX, 2, 3, "belongs under a 'follow-up"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const bad_policy *k = &cases[i];
    lg_policy        *sentinel = (lg_policy *)(uintptr_t)0x1234, *p = sentinel;
    lg_error          err;
    lg_status         st = lg_policy_parse(k->text, strlen(k->text), &p, &err);
    if (st != k->status || err.line != k->line || err.column != k->column ||
        !strstr(err.message, k->message))
      print_error("case %u %s: got %s at %u:%u \"%s\"\n", (unsigned)i, k->text,
                  lg_status_name(st), (unsigned)err.line, (unsigned)err.column, err.message);
    assert_int_equal(st, k->status);
    assert_int_equal(err.line, k->line);
    assert_int_equal(err.column, k->column);
    assert_non_null(strstr(err.message, k->message));
    assert_ptr_equal(p, sentinel);
  }
}

/* 256 rules are fine, the 257th is LG_ERR_LIMIT at its line. */
static void more_than_256_follow_up_rules_is_a_limit_error(void **state) {
  char      *text = malloc(300 * 48);
  size_t     len = 0;
  int        i;
  lg_policy *p = NULL;
  lg_error   err;
  (void)state;
  assert_non_null(text);
  for (i = 0; i < 257; i++)
    len += (size_t)snprintf(text + len, 48, "follow-up within %dh when attr a = %d\n", i + 1, i);
  assert_int_equal(lg_policy_parse(text, len, &p, &err), LG_ERR_LIMIT);
  assert_int_equal(err.line, 257);
  assert_int_equal(err.column, 1);
  len -= strlen("follow-up within 257h when attr a = 256\n");
  assert_int_equal(lg_policy_parse(text, len, &p, &err), LG_OK);
  assert_int_equal(lg__policy_followup_count(p), 256);
  lg_policy_free(p);
  free(text);
}

/* Every allocation of a parse with tiers may fail: NOMEM, nothing leaked,
 * *out untouched; then the parse succeeds. */
static void allocation_failure_at_every_point_of_a_tiered_parse(void **state) {
  long n, failures = 0;
  (void)state;
  for (n = 1;; n++) {
    lg_policy *sentinel = (lg_policy *)(uintptr_t)0x5678, *p = sentinel;
    lg_error   err;
    lg_status  st;
    long       live;
    ts_alloc_install();
    ts_alloc_fail_at(n, 1);
    st = lg_policy_parse(TIERS, sizeof TIERS - 1, &p, &err);
    if (st == LG_OK) {
      int failed = ts_alloc_failed();
      assert_int_equal(lg__policy_followup_count(p), 3);
      lg_policy_free(p);
      live = ts_alloc_live_blocks();
      ts_alloc_restore();
      assert_false(failed);
      assert_int_equal(live, 0);
      break;
    }
    live = ts_alloc_live_blocks();
    ts_alloc_restore();
    failures++;
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_int_equal(err.status, LG_ERR_NOMEM);
    assert_ptr_equal(p, sentinel);
    assert_int_equal(live, 0);
  }
  assert_true(failures >= 8);
}

/* ---- snoozes ------------------------------------------------------------------
 * `follow-up within 8h business` on mon-fri 09:00-17:00 UTC, assigned
 * Monday 2026-03-02 09:00: due 17:00 the same day, warn at 4h (13:00). */

static const char EIGHT[] = "calendar\n  hours mon-fri 09:00-17:00\n"
                            "follow-up within 8h business\n  warn at 50%\n";
#define MON(h, m) utc(2026, 3, 2, h, m)
#define TUE(h, m) utc(2026, 3, 3, h, m)
#define WED(h, m) utc(2026, 3, 4, h, m)

static void snooze(lg_lead *l, lg_time from, lg_time until) {
  assert_int_equal(lg_lead_snooze(l, from, until), LG_OK);
}

/* Two business hours snoozed move everything by exactly two business
 * hours: 1h (09-10) + 5h (12-17) on Monday, 2h on Tuesday. */
static void a_snooze_in_business_hours_moves_the_deadline_by_its_length(void **state) {
  lg_policy    *p = policy(EIGHT);
  lg_lead      *l = lead_assigned(MON(9, 0));
  lg_sla_status s;
  (void)state;
  snooze(l, MON(10, 0), MON(12, 0));
  s = eval(p, l, MON(13, 0));
  assert_pair(s, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 2 * HOUR);
  assert_int_equal(s.remaining, 6 * HOUR);
  assert_int_equal(s.due_at, TUE(11, 0));
  assert_int_equal(s.next_at, MON(15, 0)); /* the warning: 1h + 3h */
  s = eval(p, l, MON(11, 0)); /* inside the snooze the clock stands */
  assert_int_equal(s.elapsed, HOUR);
  assert_int_equal(s.next_at, MON(15, 0));
  s = eval(p, l, MON(15, 0));
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_WARN);
  assert_int_equal(s.next_at, TUE(11, 0));
  s = eval(p, l, TUE(11, 0));
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_WARN);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* The two leads' clocks agree at `count` instants `step` apart from
 * `from`; returns the last status. */
static lg_sla_status assert_same_clocks(const lg_policy *p, const lg_lead *a, const lg_lead *b,
                                        lg_time from, lg_duration step, int count) {
  lg_sla_status s, t;
  int           i;
  memset(&s, 0, sizeof s);
  for (i = 0; i < count; i++) {
    s = eval(p, a, from + (lg_time)i * step);
    t = eval(p, b, from + (lg_time)i * step);
    assert_memory_equal(&s, &t, sizeof s);
  }
  return s;
}

/* A snooze in closed hours changes nothing at all. */
static void a_snooze_in_closed_hours_moves_nothing(void **state) {
  lg_policy    *p = policy(EIGHT);
  lg_lead      *l = lead_assigned(MON(9, 0)), *plain = lead_assigned(MON(9, 0));
  (void)state;
  snooze(l, MON(17, 0), TUE(9, 0));
  snooze(l, utc(2026, 3, 7, 0, 0), utc(2026, 3, 9, 9, 0)); /* the weekend */
  assert_same_clocks(p, l, plain, MON(8, 0), 47 * MINUTE, 100);
  lg_lead_free(l);
  lg_lead_free(plain);
  lg_policy_free(p);
}

/* Overlapping and touching snoozes merge: 10-11, 10:30-12 and 12-13 are
 * 10-13, stored once. */
static void overlapping_snoozes_merge(void **state) {
  lg_policy    *p = policy(EIGHT);
  lg_lead      *l = lead_assigned(MON(9, 0)), *one = lead_assigned(MON(9, 0));
  lg_sla_status s;
  (void)state;
  snooze(l, MON(12, 0), MON(13, 0));
  snooze(l, MON(10, 0), MON(11, 0));
  assert_int_equal(l->asg[0].n_snz, 2);
  snooze(l, MON(10, 30), MON(12, 0));
  assert_int_equal(l->asg[0].n_snz, 1);
  snooze(l, MON(10, 15), MON(10, 45)); /* inside: nothing changes */
  assert_int_equal(l->asg[0].n_snz, 1);
  snooze(one, MON(10, 0), MON(13, 0));
  s = assert_same_clocks(p, l, one, MON(8, 0), 29 * MINUTE, 60);
  assert_int_equal(s.due_at, TUE(12, 0));
  /* one snooze that spans several merges them all */
  snooze(l, MON(14, 0), MON(15, 0));
  snooze(l, MON(16, 0), MON(16, 30));
  assert_int_equal(l->asg[0].n_snz, 3);
  snooze(l, MON(9, 30), MON(16, 0));
  assert_int_equal(l->asg[0].n_snz, 1);
  assert_int_equal(l->snz[0].from, MON(9, 30));
  assert_int_equal(l->snz[0].until, MON(16, 30));
  lg_lead_free(l);
  lg_lead_free(one);
  lg_policy_free(p);
}

/* A snooze over the deadline: 7h ran before it, the last hour after it. */
static void a_snooze_that_covers_the_deadline(void **state) {
  lg_policy    *p = policy(EIGHT);
  lg_lead      *l = lead_assigned(MON(9, 0));
  lg_sla_status s;
  (void)state;
  snooze(l, MON(16, 0), WED(9, 0));
  s = eval(p, l, TUE(12, 0));
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_WARN);
  assert_int_equal(s.elapsed, 7 * HOUR);
  assert_int_equal(s.remaining, HOUR);
  assert_int_equal(s.due_at, WED(10, 0));
  assert_int_equal(s.next_at, WED(10, 0));
  s = eval(p, l, WED(10, 0) - 1);
  assert_pair(s, LG_SLA_WARNING, LG_ACTION_WARN);
  s = eval(p, l, WED(10, 0));
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_WARN);
  /* a touch inside the snooze meets the SLA */
  assert_int_equal(lg_lead_touch(l, TUE(12, 0)), LG_OK);
  s = eval(p, l, WED(12, 0));
  assert_pair(s, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(s.elapsed, 7 * HOUR);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* Wall-clock rules lose wall-clock time. */
static void a_wall_clock_snooze_moves_the_deadline_by_its_length(void **state) {
  lg_policy    *p = policy("follow-up within 24h\n  remind at 12h\n");
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s;
  (void)state;
  snooze(l, T0 + 2 * HOUR, T0 + 5 * HOUR);
  s = eval(p, l, T0 + 10 * HOUR);
  assert_int_equal(s.elapsed, 7 * HOUR);
  assert_int_equal(s.due_at, T0 + 27 * HOUR);
  assert_int_equal(s.next_at, T0 + 15 * HOUR);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void bad_snoozes_are_rejected_and_change_nothing(void **state) {
  lg_policy    *p = policy(EIGHT);
  lg_lead      *l = lead_assigned(LG_TIME_NEVER);
  lg_sla_status before, after;
  (void)state;
  assert_int_equal(lg_lead_snooze(NULL, MON(10, 0), MON(11, 0)), LG_ERR_INVALID);
  assert_int_equal(lg_lead_snooze(l, MON(10, 0), MON(11, 0)), LG_ERR_STATE); /* unassigned */
  assert_int_equal(lg_lead_assign(l, "ana", MON(9, 0)), LG_OK);
  snooze(l, MON(14, 0), MON(15, 0));
  before = eval(p, l, TUE(10, 0));
  assert_int_equal(lg_lead_snooze(l, MON(8, 0), MON(10, 0)), LG_ERR_STATE); /* before start */
  assert_int_equal(lg_lead_snooze(l, MON(9, 0) - 1, MON(9, 0)), LG_ERR_STATE);
  assert_int_equal(lg_lead_snooze(l, MON(11, 0), MON(11, 0)), LG_ERR_RANGE);
  assert_int_equal(lg_lead_snooze(l, MON(11, 0), MON(10, 0)), LG_ERR_RANGE);
  assert_int_equal(lg_lead_snooze(l, MON(11, 0), LG_TIME_NEVER), LG_ERR_RANGE);
  assert_int_equal(lg_lead_snooze(l, MON(11, 0), LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_snooze(l, LG_TIME_MIN - 1, MON(10, 0)), LG_ERR_RANGE);
  after = eval(p, l, TUE(10, 0));
  assert_memory_equal(&before, &after, sizeof before);
  assert_int_equal(l->n_snz, 1);
  /* a snooze from the very start of the assignment to the end of time */
  snooze(l, MON(9, 0), LG_TIME_MAX);
  after = eval(p, l, TUE(10, 0));
  assert_int_equal(after.elapsed, 0);
  assert_true(after.due_at == LG_TIME_NEVER);
  assert_true(after.next_at == LG_TIME_NEVER);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* A new assignment starts with no snooze; the old clock keeps its own, so
 * the old owner's view (and lg_stats) stays net of it. */
static void a_reassignment_starts_without_snoozes(void **state) {
  lg_policy    *p = policy(EIGHT);
  lg_lead      *l = lead_assigned(MON(9, 0));
  lg_sla_status s;
  (void)state;
  snooze(l, MON(10, 0), MON(12, 0));
  assert_int_equal(lg_lead_assign(l, "ben", MON(13, 0)), LG_OK);
  s = eval(p, l, TUE(10, 0));
  assert_int_equal(s.due_at, TUE(13, 0)); /* 4h on Monday, 4h on Tuesday */
  assert_int_equal(s.elapsed, 5 * HOUR);
  s = eval_at(p, l, 0, TUE(10, 0));
  assert_int_equal(s.elapsed, 2 * HOUR); /* 09-10 and 12-13 */
  assert_int_equal(s.due_at, TUE(11, 0));
  /* the current owner's snoozes are its own */
  snooze(l, MON(14, 0), MON(15, 0));
  s = eval(p, l, TUE(10, 0));
  assert_int_equal(s.elapsed, 4 * HOUR);
  assert_int_equal(s.due_at, TUE(14, 0));
  s = eval_at(p, l, 0, TUE(10, 0));
  assert_int_equal(s.elapsed, 2 * HOUR);
  assert_int_equal(lg_lead_snooze(l, MON(12, 0), MON(14, 0)), LG_ERR_STATE);
  lg_lead_free(l);
  lg_policy_free(p);
}

/* 1,000 separate snoozes fit; the 1,001st is LG_ERR_LIMIT, but one that
 * merges into those already there is fine. */
static void at_most_1000_separate_snoozes(void **state) {
  lg_lead *l = lead_assigned(T0);
  int      i;
  (void)state;
  for (i = 0; i < LG_MAX_SNOOZES; i++) snooze(l, T0 + 10 * i, T0 + 10 * i + 5);
  assert_int_equal(lg_lead_snooze(l, T0 + 20000, T0 + 20001), LG_ERR_LIMIT);
  assert_int_equal(l->asg[0].n_snz, LG_MAX_SNOOZES);
  snooze(l, T0 + 5, T0 + 10);
  assert_int_equal(l->asg[0].n_snz, LG_MAX_SNOOZES - 1);
  snooze(l, T0 + 20000, T0 + 20001);
  lg_lead_free(l);
}

/* ---- a touch at the very instant of a reassignment ------------------------
 * It belongs to the new owner, in whichever order the host recorded the
 * touch and the reassignment. */
static void a_touch_at_the_reassignment_instant_counts_for_the_new_owner(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *first = lead_assigned(T0), *second = lead_assigned(T0);
  lg_sla_status a1, b1, a2, b2;
  (void)state;
  assert_int_equal(lg_lead_touch(first, T0 + 10 * HOUR), LG_OK); /* touch, then reassign */
  assert_int_equal(lg_lead_assign(first, "ben", T0 + 10 * HOUR), LG_OK);
  assert_int_equal(lg_lead_assign(second, "ben", T0 + 10 * HOUR), LG_OK); /* the reverse */
  assert_int_equal(lg_lead_touch(second, T0 + 10 * HOUR), LG_OK);
  a1 = eval_at(p, first, 0, T0 + 20 * HOUR);
  a2 = eval_at(p, second, 0, T0 + 20 * HOUR);
  b1 = eval(p, first, T0 + 20 * HOUR);
  b2 = eval(p, second, T0 + 20 * HOUR);
  /* ana's view: her clock stopped untouched after 10h */
  assert_pair(a1, LG_SLA_RUNNING, LG_ACTION_NONE);
  assert_int_equal(a1.elapsed, 10 * HOUR);
  assert_memory_equal(&a1, &a2, sizeof a1);
  /* ben's view: touched the moment he got it */
  assert_pair(b1, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(b1.elapsed, 0);
  assert_int_equal(b1.reassignments, 1);
  assert_memory_equal(&b1, &b2, sizeof b1);
  /* as of the instant itself too */
  b1 = eval(p, first, T0 + 10 * HOUR);
  assert_pair(b1, LG_SLA_MET, LG_ACTION_NONE);
  /* two reassignments at that instant: the last owner gets it */
  assert_int_equal(lg_lead_assign(first, "cid", T0 + 10 * HOUR), LG_OK);
  b1 = eval_at(p, first, 1, T0 + 20 * HOUR);
  assert_pair(b1, LG_SLA_RUNNING, LG_ACTION_NONE);
  b1 = eval(p, first, T0 + 20 * HOUR);
  assert_pair(b1, LG_SLA_MET, LG_ACTION_NONE);
  assert_int_equal(lg__assignment_touch(first, 0, T0 + 20 * HOUR), LG_TIME_NEVER);
  assert_int_equal(lg__assignment_touch(first, 1, T0 + 20 * HOUR), LG_TIME_NEVER);
  assert_int_equal(lg__assignment_touch(first, 2, T0 + 20 * HOUR), T0 + 10 * HOUR);
  lg_lead_free(first);
  lg_lead_free(second);
  lg_policy_free(p);
}

/* ---- errors and allocation ------------------------------------------------------- */

static void bad_arguments_are_rejected_and_leave_out_untouched(void **state) {
  lg_policy    *p = policy(LADDER);
  lg_lead      *l = lead_assigned(T0);
  lg_sla_status s, fill;
  (void)state;
  memset(&fill, 0xa5, sizeof fill);
  s = fill;
  assert_int_equal(lg_sla_eval(NULL, l, T0, &s), LG_ERR_INVALID);
  assert_int_equal(lg_sla_eval(p, NULL, T0, &s), LG_ERR_INVALID);
  assert_int_equal(lg_sla_eval(p, l, T0, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_sla_eval(p, l, LG_TIME_MAX + 1, &s), LG_ERR_RANGE);
  assert_int_equal(lg_sla_eval(p, l, LG_TIME_MIN - 1, &s), LG_ERR_RANGE);
  assert_int_equal(lg_sla_eval(p, l, LG_TIME_NEVER, &s), LG_ERR_RANGE);
  assert_int_equal(lg_sla_eval(p, l, INT64_MIN, &s), LG_ERR_RANGE);
  assert_int_equal(lg__sla_eval_assignment(NULL, l, 0, T0, &s), LG_ERR_INVALID);
  assert_int_equal(lg__sla_eval_assignment(p, NULL, 0, T0, &s), LG_ERR_INVALID);
  assert_int_equal(lg__sla_eval_assignment(p, l, 0, T0, NULL), LG_ERR_INVALID);
  assert_int_equal(lg__sla_eval_assignment(p, l, 1, T0, &s), LG_ERR_INVALID);
  assert_int_equal(lg__sla_eval_assignment(p, l, UINT32_MAX, T0, &s), LG_ERR_INVALID);
  assert_int_equal(lg__sla_eval_assignment(p, l, 0, LG_TIME_MAX + 1, &s), LG_ERR_RANGE);
  assert_memory_equal(&s, &fill, sizeof s);
  /* the ends of the range are fine */
  assert_int_equal(lg_sla_eval(p, l, LG_TIME_MIN, &s), LG_OK);
  assert_none(&s, 0);
  assert_int_equal(lg_sla_eval(p, l, LG_TIME_MAX, &s), LG_OK);
  assert_pair(s, LG_SLA_BREACHED, LG_ACTION_RECYCLE);
  lg_lead_free(l);
  lg_policy_free(p);
}

static void evaluation_never_allocates(void **state) {
  lg_policy    *p, *b;
  lg_lead      *l;
  lg_sla_status s;
  long          calls;
  int           i;
  (void)state;
  ts_alloc_install();
  p = policy(LADDER);
  b = policy("calendar\n  utc-offset +01:00\n  hours mon-fri 09:00-17:00\n"
             "  holiday 2026-03-04\nfollow-up within 48h business\n  warn at 75%\n"
             "  escalate at 36h\n  reassign at 48h max 2\n");
  l = lead_assigned(T0);
  assert_int_equal(lg_lead_assign(l, "ben", T0 + DAY), LG_OK);
  assert_int_equal(lg_lead_record_action(l, LG_ACTION_WARN, T0 + DAY), LG_OK);
  calls = ts_alloc_calls();
  for (i = 0; i < 500; i++) {
    lg_time now = T0 - DAY + (lg_time)i * 37 * MINUTE;
    assert_int_equal(lg_sla_eval(p, l, now, &s), LG_OK);
    assert_int_equal(lg_sla_eval(b, l, now, &s), LG_OK);
    assert_int_equal(lg__sla_eval_assignment(b, l, 0, now, &s), LG_OK);
  }
  assert_int_equal(ts_alloc_calls(), calls);
  lg_lead_free(l);
  lg_policy_free(b);
  lg_policy_free(p);
  assert_int_equal(ts_alloc_live_blocks(), 0);
  ts_alloc_restore();
}

/* ---- brute force against an independent model --------------------------------------
 *
 * Calendar (local = UTC+1): mon-fri 09:00-10:30 and 13:00-14:00, sat
 * 10:00-11:00, holiday Wed 2026-03-04.  The model knows it minute by
 * minute, as a prefix sum of open minutes from BASE over HORIZON minutes;
 * everything it computes comes from that table and the spec's sentences,
 * not from the library. */

#define BASE      utc(2026, 3, 2, 0, 0)
#define HORIZON   (21 * 1440)      /* minutes modelled */
#define WALK      (6 * 1440)       /* minutes of `now` walked */
#define TRIALS    60

static const char BRUTE_CAL[] = "calendar\n"
                                "  utc-offset +01:00\n"
                                "  hours mon-fri 09:00-10:30, 13:00-14:00\n"
                                "  hours sat 10:00-11:00\n"
                                "  holiday 2026-03-04\n";

static unsigned char open_min[HORIZON];
static int64_t       prefix[HORIZON + 1]; /* open minutes in [BASE, BASE + 60 i) */

static void model_calendar(void) {
  int64_t hol = (utc(2026, 3, 4, 0, 0)) / DAY;
  int     i;
  prefix[0] = 0;
  for (i = 0; i < HORIZON; i++) {
    int64_t local = BASE + (int64_t)i * MINUTE + HOUR;
    int64_t day = local / DAY, mod = (local % DAY) / MINUTE;
    int     wd = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday; 0 = Monday */
    int     open = 0;
    if (day != hol) {
      if (wd <= 4) open = (mod >= 540 && mod < 630) || (mod >= 780 && mod < 840);
      if (wd == 5) open = mod >= 600 && mod < 660;
    }
    open_min[i] = (unsigned char)open;
    prefix[i + 1] = prefix[i] + open;
  }
}

typedef struct trial {
  int         business;
  lg_duration target;
  int         n_steps;
  int         act[5], is_pct[5], max[5];
  int64_t     val[5];
  int         n_asg;
  lg_time     at[3], touch[3];
  uint32_t    rec[3];
} trial;

static uint64_t rng_state;
static uint64_t rng_next(void) { /* splitmix64 */
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}
static int64_t rng_range(int64_t lo, int64_t hi) {
  return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* Basis seconds in [a, b) for a minute-aligned a, any b >= a in range. */
static lg_duration model_elapsed(const trial *t, lg_time a, lg_time b) {
  int64_t ia = (a - BASE) / MINUTE, ib = (b - BASE) / MINUTE, rest = (b - BASE) % MINUTE;
  if (!t->business) return b - a;
  assert_true(ib < HORIZON);
  return 60 * (prefix[ib] - prefix[ia]) + (open_min[ib] ? rest : 0);
}

/* The earliest instant at which `x` basis seconds have passed since a;
 * LG_TIME_NEVER past the horizon. */
static lg_time model_instant(const trial *t, lg_time a, lg_duration x) {
  int64_t i, cum = 0;
  if (!t->business || x == 0) return a + x;
  for (i = (a - BASE) / MINUTE; i < HORIZON; i++) {
    if (!open_min[i]) continue;
    if (cum + 60 >= x) return BASE + i * MINUTE + (x - cum);
    cum += 60;
  }
  return LG_TIME_NEVER;
}

static lg_duration model_offset(const trial *t, int k) {
  if (!t->is_pct[k]) return t->val[k];
  return (t->target * t->val[k] + 99999) / 100000; /* small numbers: no overflow */
}

/* The touch that counts for assignment j as of now, read from the spec:
 * one recorded on j, or on an earlier assignment at exactly j's start,
 * dated from j's start up to (not including) the next assignment's, or
 * up to now when there is none by then.  LG_TIME_NEVER if none. */
static lg_time model_touch(const trial *t, int j, lg_time now) {
  int     moved_on = j + 1 < t->n_asg && t->at[j + 1] <= now, k;
  lg_time best = LG_TIME_NEVER;
  for (k = 0; k <= j; k++) {
    lg_time x = t->touch[k];
    if (x == LG_TIME_NEVER || (k < j && x != t->at[j])) continue;
    if (x < t->at[j] || (moved_on ? x >= t->at[j + 1] : x > now)) continue;
    if (k < j) { /* only if every assignment from k + 1 on started then */
      int m, ok = 1;
      for (m = k + 1; m <= j; m++) ok &= t->at[m] == x;
      if (!ok) continue;
    }
    if (x < best) best = x;
  }
  return best;
}

typedef struct model_status {
  int         state, action, j;
  lg_duration elapsed;
} model_status;

/* The spec, read literally: assignment j (j < 0: none), whose touch counts
 * when `touched`, evaluated at t; `end` (if not NEVER) is where j's clock
 * stopped. */
static model_status model_eval(const trial *t, int j, int touched, lg_time end, lg_time tt) {
  model_status m;
  int          k, best = 0, rec = 0, warned = 0;
  lg_time      until;
  m.j = j;
  m.action = 0;
  m.elapsed = 0;
  if (j < 0) {
    m.state = LG_SLA_NONE;
    return m;
  }
  until = touched ? model_touch(t, j, tt) : (end < tt ? end : tt);
  m.elapsed = model_elapsed(t, t->at[j], until);
  if (touched) {
    m.state = m.elapsed < t->target ? LG_SLA_MET : LG_SLA_MET_LATE;
    return m;
  }
  for (k = 0; k < t->n_steps; k++) {
    int a = t->act[k];
    if (m.elapsed < model_offset(t, k)) continue;
    if (a == LG_ACTION_WARN) warned = 1;
    if (a == LG_ACTION_REASSIGN && t->max[k] >= 0 && j >= t->max[k]) a = LG_ACTION_RECYCLE;
    if (a > best) best = a;
  }
  for (k = 1; k <= 5; k++)
    if (t->rec[j] & (1u << k)) rec = k;
  m.action = best > rec ? best : 0;
  m.state = m.elapsed >= t->target ? LG_SLA_BREACHED
            : warned                ? LG_SLA_WARNING
                                    : LG_SLA_RUNNING;
  return m;
}

/* What lg_sla_eval should see at `now`: the latest assignment at or
 * before it and the touch that counts for it. */
static void model_visible(const trial *t, lg_time now, int *j, int *touched) {
  int k;
  *j = -1;
  for (k = 0; k < t->n_asg; k++)
    if (t->at[k] <= now) *j = k;
  *touched = *j >= 0 && model_touch(t, *j, now) != LG_TIME_NEVER;
}

static lg_policy *trial_policy(trial *t) {
  static const char *names[6] = {"", "warn", "remind", "escalate", "reassign", "recycle"};
  char   text[1024];
  size_t n;
  int    a;
  t->business = rng_range(0, 3) != 0;
  t->target = (t->business ? rng_range(30, 480) : rng_range(60, 3000)) * MINUTE;
  n = (size_t)snprintf(text, sizeof text, "%sfollow-up within %lldm%s\n", BRUTE_CAL,
                       (long long)(t->target / MINUTE), t->business ? " business" : "");
  t->n_steps = 0;
  for (a = 1; a <= 5; a++) {
    int k = t->n_steps;
    if (rng_range(0, 1)) continue;
    t->act[k] = a;
    t->is_pct[k] = (int)rng_range(0, 1);
    t->max[k] = -1;
    /* policy.c wants a warning before the target */
    if (t->is_pct[k]) {
      t->val[k] = rng_range(0, a == LG_ACTION_WARN ? 99999 : 150000);
      n += (size_t)snprintf(text + n, sizeof text - n, "  %s at %lld.%03lld%%", names[a],
                            (long long)(t->val[k] / 1000), (long long)(t->val[k] % 1000));
    } else {
      t->val[k] = rng_range(0, a == LG_ACTION_WARN ? t->target / MINUTE - 1
                                                   : t->target / MINUTE * 3 / 2) * MINUTE;
      n += (size_t)snprintf(text + n, sizeof text - n, "  %s at %lldm", names[a],
                            (long long)(t->val[k] / MINUTE));
    }
    if (a == LG_ACTION_REASSIGN) {
      t->max[k] = (int)rng_range(-1, 2);
      if (t->max[k] >= 0)
        n += (size_t)snprintf(text + n, sizeof text - n, " max %d", t->max[k]);
    }
    n += (size_t)snprintf(text + n, sizeof text - n, "\n");
    t->n_steps++;
  }
  assert_true(n < sizeof text);
  return policy(text);
}

static lg_lead *trial_lead(trial *t) {
  lg_lead *l = lead_assigned(LG_TIME_NEVER);
  int      j, a;
  t->n_asg = (int)rng_range(1, 3);
  for (j = 0; j < t->n_asg; j++) {
    t->at[j] = j == 0 ? BASE + rng_range(0, 2 * 1440) * MINUTE
                      : t->at[j - 1] + rng_range(0, 3 * 720) * MINUTE;
    if (j > 0 && rng_range(0, 7) == 0) t->at[j] = t->at[j - 1]; /* same instant */
    /* reassigned at the very instant of the last touch: the touch is the
     * new owner's */
    if (j > 0 && t->touch[j - 1] != LG_TIME_NEVER && rng_range(0, 5) == 0)
      t->at[j] = t->touch[j - 1];
    assert_int_equal(lg_lead_assign(l, j % 2 ? "ben" : "ana", t->at[j]), LG_OK);
    t->touch[j] = LG_TIME_NEVER;
    if (rng_range(0, 1)) {
      t->touch[j] = t->at[j] + rng_range(0, 2 * 1440) * MINUTE;
      assert_int_equal(lg_lead_touch(l, t->touch[j]), LG_OK);
    }
    t->rec[j] = 0;
    for (a = 1; a <= 5; a++)
      if (rng_range(0, 4) == 0) {
        t->rec[j] |= 1u << a;
        assert_int_equal(lg_lead_record_action(l, (lg_action)a, t->at[j]), LG_OK);
      }
  }
  return l;
}

static int pair_of(const model_status *m) { return m->state * 16 + m->action; }

static void check_fields(const trial *t, const lg_sla_status *s, const model_status *m) {
  lg_time due;
  assert_int_equal(s->state, m->state);
  assert_int_equal(s->action, m->action);
  if (m->state == LG_SLA_NONE) {
    assert_none(s, 0);
    return;
  }
  assert_int_equal(s->started_at, t->at[m->j]);
  assert_int_equal(s->elapsed, m->elapsed);
  assert_int_equal(s->remaining, t->target - m->elapsed);
  assert_int_equal(s->reassignments, m->j);
  due = model_instant(t, t->at[m->j], t->target);
  if (due != LG_TIME_NEVER) assert_int_equal(s->due_at, due);
  else assert_true(s->due_at >= BASE + HORIZON * MINUTE);
}

static void random_ladders_match_a_minute_by_minute_model(void **state) {
  static int next_change[HORIZON]; /* first minute after i whose pair differs */
  int        trial_no;
  (void)state;
  model_calendar();
  rng_state = UINT64_C(0x51a5eed);
  for (trial_no = 0; trial_no < ts_rounds(TRIALS); trial_no++) {
    trial      t;
    lg_policy *p = trial_policy(&t);
    lg_lead   *l = trial_lead(&t);
    int        i, key = -100, seg_start = 0;
    for (i = 0; i < WALK; i++) {
      lg_time       now = BASE + (lg_time)i * MINUTE;
      int           j, touched, m_change;
      model_status  m, at_next;
      lg_sla_status s;
      model_visible(&t, now, &j, &touched);
      if (j * 2 + touched != key) {
        /* What is visible changed: tabulate the (state, action) pair for
         * every later minute as seen from here, then sweep backwards. */
        int k, prev;
        key = j * 2 + touched;
        seg_start = i;
        next_change[HORIZON - 1] = HORIZON;
        m = model_eval(&t, j, touched, LG_TIME_NEVER, BASE + (lg_time)(HORIZON - 1) * MINUTE);
        prev = pair_of(&m);
        for (k = HORIZON - 2; k >= seg_start; k--) {
          int cur;
          m = model_eval(&t, j, touched, LG_TIME_NEVER, BASE + (lg_time)k * MINUTE);
          cur = pair_of(&m);
          next_change[k] = cur != prev ? k + 1 : next_change[k + 1];
          prev = cur;
        }
      }
      m = model_eval(&t, j, touched, LG_TIME_NEVER, now);
      s = eval(p, l, now);
      check_fields(&t, &s, &m);
      m_change = next_change[i];
      if (m.state == LG_SLA_NONE || m_change == HORIZON) {
        assert_true(s.next_at == LG_TIME_NEVER);
      } else {
        /* the change happens within the minute before m_change, exactly at
         * next_at (offsets from percentages need not be whole minutes) */
        assert_true(s.next_at <= BASE + (lg_time)m_change * MINUTE);
        assert_true(s.next_at > BASE + (lg_time)(m_change - 1) * MINUTE);
        at_next = model_eval(&t, j, touched, LG_TIME_NEVER, s.next_at - 1);
        assert_int_equal(pair_of(&at_next), pair_of(&m));
        at_next = model_eval(&t, j, touched, LG_TIME_NEVER, s.next_at);
        assert_int_not_equal(pair_of(&at_next), pair_of(&m));
      }
      /* every assignment at or before now, through the internal entry */
      for (j = 0; j < t.n_asg && t.at[j] <= now; j++) {
        lg_sla_status sj = eval_at(p, l, (uint32_t)j, now);
        int           frozen = j + 1 < t.n_asg && t.at[j + 1] <= now;
        lg_time       end = frozen ? t.at[j + 1] : LG_TIME_NEVER;
        int           tj = model_touch(&t, j, now) != LG_TIME_NEVER;
        model_status  mj = model_eval(&t, j, tj, end, now);
        check_fields(&t, &sj, &mj);
        if (frozen || tj) assert_true(sj.next_at == LG_TIME_NEVER);
        if (!frozen) assert_memory_equal(&sj, &s, sizeof s);
      }
    }
    /* a few instants that are not whole minutes */
    for (i = 0; i < 200; i++) {
      lg_time       now = BASE + rng_range(0, (int64_t)WALK * MINUTE - 1);
      int           j, touched;
      model_status  m;
      lg_sla_status s = eval(p, l, now);
      model_visible(&t, now, &j, &touched);
      m = model_eval(&t, j, touched, LG_TIME_NEVER, now);
      check_fields(&t, &s, &m);
    }
    lg_lead_free(l);
    lg_policy_free(p);
  }
}

/* ---- next_at across snooze edges, against the model ----------------------------
 * One assignment, up to three snoozes with edges on any second
 * (overlapping ones too), random ladders on the brute-force calendar.  The
 * model nets the snoozes out itself: it merges them, and counts basis
 * seconds from the minute table.  At every instant tried (a minute walk
 * and every snooze edge +-1), the library's state, action, elapsed and
 * due_at must be the model's, and next_at must be exact: the model's pair
 * at next_at - 1 is the pair now, at next_at it is another. */

typedef struct snz_model {
  int     n;
  lg_time from[3], until[3]; /* merged, sorted */
} snz_model;

/* Basis seconds in [BASE, x), any x in the modelled horizon. */
static lg_duration model_F(const trial *t, lg_time x) {
  int64_t i = (x - BASE) / MINUTE, rest = (x - BASE) % MINUTE;
  if (!t->business) return x - BASE;
  return 60 * prefix[i] + (open_min[i] ? rest : 0);
}

static lg_time clamp_time(lg_time x, lg_time lo, lg_time hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

static lg_duration model_net(const trial *t, const snz_model *z, lg_time a, lg_time b) {
  lg_duration d = model_F(t, b) - model_F(t, a);
  int         k;
  for (k = 0; k < z->n; k++)
    d -= model_F(t, clamp_time(z->until[k], a, b)) - model_F(t, clamp_time(z->from[k], a, b));
  return d;
}

/* The first instant with net >= x: a binary search over the horizon (net
 * only grows); LG_TIME_NEVER if not within it. */
static lg_time model_net_instant(const trial *t, const snz_model *z, lg_time a, lg_duration x) {
  lg_time lo = a, hi = BASE + (lg_time)(HORIZON - 1) * MINUTE;
  if (model_net(t, z, a, hi) < x) return LG_TIME_NEVER;
  while (lo < hi) {
    lg_time mid = lo + (hi - lo) / 2;
    if (model_net(t, z, a, mid) >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* The pair at `now` of the lead as known at `seen` (a touch after seen
 * has not happened yet). */
static int model_pair_at(const trial *t, const snz_model *z, lg_time now, lg_time seen,
                         lg_duration *elapsed) {
  int           k, best = 0, rec = 0, warned = 0, state;
  lg_duration   e;
  int           touched = t->touch[0] <= seen;
  e = model_net(t, z, t->at[0], touched ? t->touch[0] : now);
  if (elapsed) *elapsed = e;
  if (touched) return (e < t->target ? LG_SLA_MET : LG_SLA_MET_LATE) * 16;
  for (k = 0; k < t->n_steps; k++) {
    int a = t->act[k];
    if (e < model_offset(t, k)) continue;
    if (a == LG_ACTION_WARN) warned = 1;
    if (a == LG_ACTION_REASSIGN && t->max[k] >= 0 && 0 >= t->max[k]) a = LG_ACTION_RECYCLE;
    if (a > best) best = a;
  }
  for (k = 1; k <= 5; k++)
    if (t->rec[0] & (1u << k)) rec = k;
  state = e >= t->target ? LG_SLA_BREACHED : warned ? LG_SLA_WARNING : LG_SLA_RUNNING;
  return state * 16 + (best > rec ? best : 0);
}

static void check_snoozed_instant(const trial *t, const snz_model *z, const lg_policy *p,
                                  const lg_lead *l, lg_time now) {
  lg_sla_status s;
  lg_duration   e;
  lg_time       due;
  int           pair;
  if (now < t->at[0] || now > BASE + (lg_time)WALK * MINUTE) return;
  s = eval(p, l, now);
  pair = model_pair_at(t, z, now, now, &e);
  assert_int_equal(s.state * 16 + s.action, pair);
  assert_int_equal(s.elapsed, e);
  due = model_net_instant(t, z, t->at[0], t->target);
  if (due != LG_TIME_NEVER) assert_int_equal(s.due_at, due);
  if (s.next_at == LG_TIME_NEVER || s.next_at >= BASE + (lg_time)(HORIZON - 1) * MINUTE) return;
  assert_true(s.next_at > now);
  assert_int_equal(model_pair_at(t, z, s.next_at - 1, now, NULL), pair);
  assert_int_not_equal(model_pair_at(t, z, s.next_at, now, NULL), pair);
}

static void next_at_is_exact_across_snooze_edges(void **state) {
  int trial_no;
  (void)state;
  model_calendar();
  rng_state = UINT64_C(0x5eed5002e);
  for (trial_no = 0; trial_no < ts_rounds(150); trial_no++) {
    trial      t;
    snz_model  z;
    lg_policy *p = trial_policy(&t);
    lg_lead   *l = lead_assigned(LG_TIME_NEVER);
    lg_time    raw_from[3], raw_until[3];
    int        n = (int)rng_range(1, 3), k, j, a;
    t.n_asg = 1;
    t.at[0] = BASE + rng_range(0, 1440) * MINUTE;
    assert_int_equal(lg_lead_assign(l, "ana", t.at[0]), LG_OK);
    t.touch[0] = LG_TIME_NEVER;
    if (rng_range(0, 3) == 0) {
      t.touch[0] = t.at[0] + rng_range(0, 3 * 86400);
      assert_int_equal(lg_lead_touch(l, t.touch[0]), LG_OK);
    }
    t.rec[0] = 0;
    for (a = 1; a <= 5; a++)
      if (rng_range(0, 5) == 0) {
        t.rec[0] |= 1u << a;
        assert_int_equal(lg_lead_record_action(l, (lg_action)a, t.at[0]), LG_OK);
      }
    for (k = 0; k < n; k++) {
      raw_from[k] = t.at[0] + rng_range(0, 3 * 86400);
      raw_until[k] = raw_from[k] + rng_range(1, rng_range(0, 1) ? 3600 : 2 * 86400);
      assert_int_equal(lg_lead_snooze(l, raw_from[k], raw_until[k]), LG_OK);
    }
    /* the model's own merge: sort by start, join what overlaps or touches */
    for (k = 0; k < n; k++)
      for (j = k + 1; j < n; j++)
        if (raw_from[j] < raw_from[k]) {
          lg_time f = raw_from[k], u = raw_until[k];
          raw_from[k] = raw_from[j];
          raw_until[k] = raw_until[j];
          raw_from[j] = f;
          raw_until[j] = u;
        }
    z.n = 0;
    for (k = 0; k < n; k++) {
      if (z.n > 0 && raw_from[k] <= z.until[z.n - 1]) {
        if (raw_until[k] > z.until[z.n - 1]) z.until[z.n - 1] = raw_until[k];
        continue;
      }
      z.from[z.n] = raw_from[k];
      z.until[z.n++] = raw_until[k];
    }
    assert_int_equal(l->asg[0].n_snz, z.n);
    for (k = 0; k < WALK; k += 7) check_snoozed_instant(&t, &z, p, l, BASE + k * MINUTE + 13);
    for (k = 0; k < z.n; k++)
      for (j = -1; j <= 1; j++) {
        check_snoozed_instant(&t, &z, p, l, z.from[k] + j);
        check_snoozed_instant(&t, &z, p, l, z.until[k] + j);
      }
    lg_lead_free(l);
    lg_policy_free(p);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_touch_before_the_deadline_meets_the_sla),
      cmocka_unit_test(a_touch_after_the_deadline_meets_it_late),
      cmocka_unit_test(a_touch_exactly_at_the_deadline_is_late),
      cmocka_unit_test(a_host_away_for_a_week_gets_only_the_most_severe_step),
      cmocka_unit_test(reassign_is_returned_until_max_reassignments_then_recycle),
      cmocka_unit_test(reassign_without_max_never_turns_into_recycle),
      cmocka_unit_test(recording_an_action_suppresses_it_and_every_lesser_step),
      cmocka_unit_test(recording_a_lesser_action_does_not_hide_a_more_severe_one),
      cmocka_unit_test(warn_at_75_percent_and_escalate_at_36h_fire_together_as_escalate),
      cmocka_unit_test(percentages_round_up_to_a_whole_second),
      cmocka_unit_test(next_at_walks_the_whole_ladder_one_change_at_a_time),
      cmocka_unit_test(next_at_walks_a_business_ladder_across_a_weekend),
      cmocka_unit_test(business_basis_skips_the_weekend),
      cmocka_unit_test(a_deadline_on_closing_time_is_that_closing_time),
      cmocka_unit_test(wall_clock_basis_ignores_the_calendar),
      cmocka_unit_test(a_calendar_never_open_again_never_falls_due),
      cmocka_unit_test(deadlines_past_the_end_of_time_are_never),
      cmocka_unit_test(huge_targets_and_percentages_do_not_overflow),
      cmocka_unit_test(a_policy_without_follow_up_gives_none),
      cmocka_unit_test(an_unassigned_lead_gives_none),
      cmocka_unit_test(replay_before_the_assignment_gives_none),
      cmocka_unit_test(replay_ignores_later_assignments_and_touches),
      cmocka_unit_test(recorded_actions_apply_at_every_now),
      cmocka_unit_test(a_previous_holders_clock_stops_at_the_reassignment),
      cmocka_unit_test(a_touch_at_the_reassignment_instant_belongs_to_the_new_owner),
      cmocka_unit_test(a_demo_request_yesterday_gets_the_one_hour_tier),
      cmocka_unit_test(the_tier_holds_for_the_whole_assignment),
      cmocka_unit_test(attributes_choose_tiers_and_no_tier_gives_none),
      cmocka_unit_test(tiers_print_canonically_and_fingerprint),
      cmocka_unit_test(malformed_follow_up_rules_say_where_and_why),
      cmocka_unit_test(more_than_256_follow_up_rules_is_a_limit_error),
      cmocka_unit_test(allocation_failure_at_every_point_of_a_tiered_parse),
      cmocka_unit_test(a_snooze_in_business_hours_moves_the_deadline_by_its_length),
      cmocka_unit_test(a_snooze_in_closed_hours_moves_nothing),
      cmocka_unit_test(overlapping_snoozes_merge),
      cmocka_unit_test(a_snooze_that_covers_the_deadline),
      cmocka_unit_test(a_wall_clock_snooze_moves_the_deadline_by_its_length),
      cmocka_unit_test(bad_snoozes_are_rejected_and_change_nothing),
      cmocka_unit_test(a_reassignment_starts_without_snoozes),
      cmocka_unit_test(at_most_1000_separate_snoozes),
      cmocka_unit_test(a_touch_at_the_reassignment_instant_counts_for_the_new_owner),
      cmocka_unit_test(next_at_is_exact_across_snooze_edges),
      cmocka_unit_test(bad_arguments_are_rejected_and_leave_out_untouched),
      cmocka_unit_test(evaluation_never_allocates),
      cmocka_unit_test(random_ladders_match_a_minute_by_minute_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
