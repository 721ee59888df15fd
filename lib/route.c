/*
 * route.c - lg_route: picks the rep who takes a lead under the policy's
 * `route` rule (least-loaded or weighted round-robin).
 *
 * Both rules are pure functions of the rep table the host passes in: the
 * library keeps no routing state, so every host that routes with the same
 * table and the same `now` gets the same rep.  Comparisons are exact
 * integer arithmetic (no floating point), so the choice is identical on
 * every platform and in every binding.  Nothing here allocates.
 */
#include "internal.h"

#include <string.h>

/* ---- eligibility ---------------------------------------------------------- */

/* Checks one entry of the host's table.  Every entry is checked, even those
 * that could never be chosen, so that a malformed table is reported the same
 * way whatever the other reps' state. */
static lg_status rep_check(const lg_rep *r) {
  if (!r->id || r->id[0] == '\0') return LG_ERR_INVALID;
  if (r->weight < 1 || r->open_leads < 0 || r->capacity < 0) return LG_ERR_INVALID;
  if (r->reserved[0] != 0 || r->reserved[1] != 0) return LG_ERR_INVALID;
  if (!lg__time_valid(r->last_assigned_at)) return LG_ERR_RANGE;
  return LG_OK;
}

/* Away, or at/over a limited capacity: cannot take a lead at all. */
static int rep_can_take(const lg_rep *r) {
  if (!r->available) return 0;
  if (r->capacity > 0 && r->open_leads >= r->capacity) return 0;
  return 1;
}

/* 1 if `id` owned any assignment of the lead made at or before `now`
 * (byte-exact): the timeline is read as of now, as lg_sla_eval reads it,
 * so a planned later assignment does not make its owner a previous holder. */
static int rep_held_lead(const lg_lead *lead, const char *id, lg_time now) {
  uint32_t i;
  for (i = 0; i < lead->n_asg && lead->asg[i].assigned_at <= now; i++)
    if (strcmp(lg__lead_str(lead, lead->asg[i].owner), id) == 0) return 1;
  return 0;
}

/* ---- least-loaded ----------------------------------------------------------
 *
 * Load of a rep with a capacity is open_leads / capacity, the share of its
 * room in use (below 1 for anyone who can still take a lead).  A rep with
 * unlimited capacity has no room to measure, so its load is open_leads as a
 * whole number, i.e. the ratio open_leads / 1.  That gives the order a team
 * lead would expect:
 *   - an idle rep (no open leads) has load 0 whatever its capacity;
 *   - a busy unlimited rep (load >= 1) ranks behind every limited rep that
 *     still has room, so stated capacities fill before the open-ended pool
 *     grows;
 *   - unlimited reps balance among themselves by open leads.
 * Ratios are compared by cross-multiplication: both factors fit in 31 bits,
 * so the products are exact in 64 bits. */

static int64_t load_den(const lg_rep *r) { return r->capacity > 0 ? r->capacity : 1; }

/* -1 if a is less loaded than b, 1 if more, 0 if equal. */
static int load_cmp(const lg_rep *a, const lg_rep *b) {
  int64_t lhs = (int64_t)a->open_leads * load_den(b);
  int64_t rhs = (int64_t)b->open_leads * load_den(a);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/* ---- weighted round-robin --------------------------------------------------
 *
 * The rep with the largest weight x wait wins, where wait = now -
 * last_assigned_at (0 if the host's last_assigned_at is later than now).  A
 * rep is therefore picked again after a wait inversely proportional to its
 * weight, with no counter kept anywhere but last_assigned_at.
 *
 * Leads arrive one at a time, so a rep is picked a little after its
 * weighted wait reaches the level of the others.  That overshoot is a
 * larger part of a heavy rep's short interval than of a light rep's long
 * one, so on a level priority the heavier rep goes first (otherwise weights
 * 1/2/3 at a steady pace settle into shares of 1/2/2 instead of 1/2/3).
 * Shares are still only approximately proportional in general: with one
 * timestamp per rep there is nowhere to carry a deficit forward, as a
 * stride scheduler would.  The tests pin what does hold: exact shares for
 * 1/2/3, more leads for heavier reps, equal shares for equal weights.
 *
 * The wait is below 2^39 (the whole LG_TIME_MIN..LG_TIME_MAX span) and the
 * weight below 2^31, so the product needs up to 70 bits.  It is compared
 * exactly as a (high, low) pair of 32-bit limbs without 128-bit types: split
 * the wait into high and low 32-bit halves, multiply each by the weight
 * (each product < 2^63) and carry. */

typedef struct wide {
  uint64_t hi; /* multiples of 2^32 */
  uint64_t lo; /* < 2^32 */
} wide;

static wide priority(const lg_rep *r, lg_time now) {
  wide     p;
  uint64_t wait, w, lo_part, hi_part;
  wait = now > r->last_assigned_at ? (uint64_t)(now - r->last_assigned_at) : 0u;
  w = (uint64_t)r->weight;
  lo_part = (wait & UINT64_C(0xffffffff)) * w;
  hi_part = (wait >> 32) * w;
  p.hi = hi_part + (lo_part >> 32);
  p.lo = lo_part & UINT64_C(0xffffffff);
  return p;
}

/* -1 if a should be picked before b on priority, 1 if after, 0 if level. */
static int priority_cmp(const lg_rep *a, const lg_rep *b, lg_time now) {
  wide pa = priority(a, now), pb = priority(b, now);
  if (pa.hi != pb.hi) return pa.hi > pb.hi ? -1 : 1;
  if (pa.lo != pb.lo) return pa.lo > pb.lo ? -1 : 1;
  return 0;
}

/* ---- choosing -------------------------------------------------------------- */

/* 1 if rep a (index ia) goes before rep b (index ib) under `rule`.  Both
 * rules break ties the same way: whoever was assigned longest ago, then the
 * lower index, so the result never depends on anything but the table.
 * Round-robin first prefers the heavier weight on a level priority (see
 * above). */
static int goes_before(int rule, const lg_rep *reps, size_t ia, size_t ib, lg_time now) {
  const lg_rep *a = &reps[ia], *b = &reps[ib];
  int           c;
  if (rule == LG__ROUTE_ROUND_ROBIN) {
    c = priority_cmp(a, b, now);
    if (c == 0 && a->weight != b->weight) c = a->weight > b->weight ? -1 : 1;
  } else {
    c = load_cmp(a, b);
  }
  if (c != 0) return c < 0;
  if (a->last_assigned_at != b->last_assigned_at) return a->last_assigned_at < b->last_assigned_at;
  return ia < ib;
}

/* Best rep among those that can take the lead and whose previous-holder flag
 * equals `held`; n when there is none. */
static size_t pick(int rule, const lg_lead *lead, const lg_rep *reps, size_t n, lg_time now,
                   int held) {
  size_t best = n, i;
  for (i = 0; i < n; i++) {
    if (!rep_can_take(&reps[i])) continue;
    if (rep_held_lead(lead, reps[i].id, now) != held) continue;
    if (best == n || goes_before(rule, reps, i, best, now)) best = i;
  }
  return best;
}

lg_status lg_route(const lg_policy *policy, const lg_lead *lead, const lg_rep *reps, size_t n,
                   lg_time now, size_t *chosen) {
  size_t    i, best;
  int       rule;
  lg_status st;
  if (!policy || !lead || !chosen || (n > 0 && !reps)) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  for (i = 0; i < n; i++) {
    st = rep_check(&reps[i]);
    if (st != LG_OK) {
      *chosen = i; /* documented: the host can name the bad rep */
      return st;
    }
  }
  rule = lg__policy_route(policy);
  /* A rep who already held the lead (and perhaps let it go stale) is the
   * last resort: someone new gets a fresh chance at it first. */
  best = pick(rule, lead, reps, n, now, 0);
  if (best == n) best = pick(rule, lead, reps, n, now, 1);
  if (best == n) return LG_ERR_NOT_FOUND;
  *chosen = best;
  return LG_OK;
}
