/*
 * lead_timeline.c - the parts of a lead that need no string storage: the
 * lifecycle stage, the follow-up timeline after lg_lead_assign (owner,
 * touches, recorded actions, snoozes) and the read-back by index.  The
 * storage itself, and lg_lead_assign which stores an owner, are in
 * lead.c; struct lg_lead is described there and in internal.h.
 */
#include "internal.h"

#include <string.h>

/* ---- lifecycle ---------------------------------------------------------- */

#define STAGE_BIT(s) (1u << (LG_STAGE_##s))

/* allowed_next[from]: the stages `from` may move to (the table at lg_lead_set_stage in leadgate.h). */
static const uint32_t allowed_next[] = {
  /* NEW */ STAGE_BIT(NURTURE) | STAGE_BIT(MQL) | STAGE_BIT(DISQUALIFIED),
  /* NURTURE */ STAGE_BIT(MQL) | STAGE_BIT(DISQUALIFIED),
  /* MQL */ STAGE_BIT(SAL) | STAGE_BIT(NURTURE) | STAGE_BIT(DISQUALIFIED),
  /* SAL */ STAGE_BIT(SQL) | STAGE_BIT(NURTURE) | STAGE_BIT(DISQUALIFIED),
  /* SQL */ STAGE_BIT(OPPORTUNITY) | STAGE_BIT(NURTURE) | STAGE_BIT(DISQUALIFIED),
  /* OPPORTUNITY */ STAGE_BIT(WON) | STAGE_BIT(LOST),
  /* WON */ 0,
  /* LOST */ STAGE_BIT(NURTURE),
  /* DISQUALIFIED */ STAGE_BIT(NURTURE),
};

lg_status lg_lead_set_stage(lg_lead *lead, lg_stage to, lg_time at) {
  int t = (int)to;
  if (!lead || t < LG_STAGE_NEW || t > LG_STAGE_DISQUALIFIED) return LG_ERR_INVALID;
  if (!lg__time_valid(at)) return LG_ERR_RANGE;
  if (t == lead->stage) return LG_OK;
  if (!(allowed_next[lead->stage] & (1u << t))) return LG_ERR_STATE;
  lead->stage = t;
  lead->stage_at = at;
  return LG_OK;
}

lg_stage lg_lead_stage(const lg_lead *lead) { return lead ? (lg_stage)lead->stage : LG_STAGE_NEW; }

/* ---- follow-up timeline ------------------------------------------------- */

const char *lg_lead_owner(const lg_lead *lead) {
  if (!lead || lead->n_asg == 0) return NULL;
  return lg__lead_str(lead, lead->asg[lead->n_asg - 1].owner);
}

size_t lg_lead_assignment_count(const lg_lead *lead) { return lead ? lead->n_asg : 0; }

/* The current assignment, if `at` may be recorded against it. */
static lg_status current_assignment(lg_lead *lead, lg_time at, lg__assignment **out) {
  if (!lg__time_valid(at)) return LG_ERR_RANGE;
  if (lead->n_asg == 0) return LG_ERR_STATE;
  *out = &lead->asg[lead->n_asg - 1];
  return at < (*out)->assigned_at ? LG_ERR_STATE : LG_OK;
}

lg_status lg_lead_touch(lg_lead *lead, lg_time at) {
  lg__assignment *a;
  lg_status       st;
  if (!lead) return LG_ERR_INVALID;
  st = current_assignment(lead, at, &a);
  if (st != LG_OK) return st;
  if (at < a->touched_at) a->touched_at = at; /* the first follow-up counts */
  return LG_OK;
}

lg_status lg_lead_record_action(lg_lead *lead, lg_action action, lg_time at) {
  lg__assignment *a;
  lg_status       st;
  if (!lead || (int)action < LG_ACTION_WARN || (int)action > LG_ACTION_RECYCLE)
    return LG_ERR_INVALID;
  st = current_assignment(lead, at, &a);
  if (st != LG_OK) return st;
  a->recorded |= 1u << action;
  return LG_OK;
}

/* Index of the first of s[0..n) for which `past` holds, where it holds
 * for a suffix: s sorted and merged, so both bounds below are monotone. */
static uint32_t snooze_bound(const lg__snooze *s, uint32_t n, lg_time t, int by_from) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (by_from ? s[mid].from > t : s[mid].until >= t)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* The snoozes that overlap or touch [from, until) merge with it into one;
 * the others stay.  Room for one more is made first, so a failure leaves
 * the lead as it was. */
lg_status lg_lead_snooze(lg_lead *lead, lg_time from, lg_time until) {
  lg__assignment *a;
  lg__snooze     *s;
  uint32_t        n, lo, hi;
  if (!lead) return LG_ERR_INVALID;
  if (!lg__time_valid(from) || !lg__time_valid(until) || from >= until) return LG_ERR_RANGE;
  if (lead->n_asg == 0) return LG_ERR_STATE;
  a = &lead->asg[lead->n_asg - 1];
  if (from < a->assigned_at) return LG_ERR_STATE;
  n = a->n_snz;
  s = n ? lead->snz + a->snz : NULL;
  lo = n ? snooze_bound(s, n, from, 0) : 0;  /* first that ends at or after from */
  hi = n ? snooze_bound(s, n, until, 1) : 0; /* first that starts after until */
  if (hi == lo) {                            /* nothing to merge with: one more */
    lg__snooze *grown;
    if (n >= LG_MAX_SNOOZES) return LG_ERR_LIMIT;
    grown = lg__table_reserve(lead->snz, &lead->cap_snz, lead->n_snz + 1, sizeof *grown, 1);
    if (!grown) return LG_ERR_NOMEM;
    lead->snz = grown;
    s = lead->snz + a->snz;
    memmove(s + lo + 1, s + lo, (size_t)(n - lo) * sizeof *s);
    n++;
  } else {
    if (s[lo].from < from) from = s[lo].from;
    if (s[hi - 1].until > until) until = s[hi - 1].until;
    memmove(s + lo + 1, s + hi, (size_t)(n - hi) * sizeof *s);
    n -= hi - lo - 1;
  }
  s[lo].from = from;
  s[lo].until = until;
  a->n_snz = n;
  lead->n_snz = a->snz + n;
  return LG_OK;
}

/* ---- read-back ------------------------------------------------------------ */

size_t lg_lead_attr_count(const lg_lead *lead) { return lead ? lead->n_attrs : 0; }

lg_status lg_lead_attr_at(const lg_lead *lead, size_t i, const char **name, lg_value_type *type) {
  const lg__attr *a;
  if (!lead) return LG_ERR_INVALID;
  if (i >= lead->n_attrs) return LG_ERR_NOT_FOUND;
  a = &lead->attrs[i];
  if (name) *name = lg__lead_str(lead, a->name);
  if (type) *type = (lg_value_type)a->type;
  return LG_OK;
}

lg_status lg_lead_event_at(const lg_lead *lead, size_t i, const char **type, lg_time *at) {
  if (!lead) return LG_ERR_INVALID;
  if (i >= lead->n_events) return LG_ERR_NOT_FOUND;
  if (type) *type = lg__lead_str(lead, lg__evtype_off(&lead->types[lead->ev_type[i]]));
  if (at) *at = lead->ev_at[i];
  return LG_OK;
}

lg_status lg_lead_assignment_at(const lg_lead *lead, size_t i, const char **owner,
                                lg_time *assigned_at, lg_time *touched_at) {
  const lg__assignment *a;
  if (!lead) return LG_ERR_INVALID;
  if (i >= lead->n_asg) return LG_ERR_NOT_FOUND;
  a = &lead->asg[i];
  if (owner) *owner = lg__lead_str(lead, a->owner);
  if (assigned_at) *assigned_at = a->assigned_at;
  if (touched_at) *touched_at = a->touched_at;
  return LG_OK;
}
