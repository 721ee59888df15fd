/*
 * sla.c - the follow-up SLA clock and its action ladder: lg_sla_eval and
 * lg__sla_eval_assignment, lg__assignment_touch and lg__assignment_wall
 * (which also serve stats.c).
 *
 * Model.  Every assignment starts a clock under one follow-up rule: the
 * first tier whose `when` holds as of the assignment's start (select_tier).
 * Its `elapsed` is measured in the rule's basis (business seconds on the
 * policy calendar, or wall-clock seconds) from the assignment to the
 * evaluation instant, or to the touch that counts for it, leaving out the
 * assignment's snoozes.  Every other quantity is a pure function of
 * elapsed and of facts that do not move with time: whether the assignment
 * was touched, which actions the host recorded, and how many
 * reassignments preceded it.  That is what makes `next_at` exact: the
 * state and the action can only change where elapsed crosses one of a
 * handful of offsets, and net time (basis time outside the snoozes) only
 * grows, so clock_instant can turn an offset back into the first
 * wall-clock instant where elapsed reaches it: it spends the basis time
 * of each gap between snoozes in turn, and lg_calendar_add returns the
 * earliest t whose open time from a gap's start equals what is left.
 *
 * Visibility ("as of now").  A lead's timeline may hold entries later than
 * `now` when a host replays history; they are treated as not having
 * happened yet: lg_sla_eval evaluates the latest assignment at or before
 * now, a touch counts only when touched_at <= now, and next_at is the
 * schedule the host would have been given at `now` (a later touch or
 * assignment does not shorten it).  Recorded actions and snoozes carry no
 * time of their own, so they apply at every `now`.
 *
 * Touches.  lg__assignment_touch is the one rule for sla.c and stats.c: a
 * touch counts for the assignment whose clock ran at its instant, so one
 * at the very instant of a reassignment is the new owner's, in whichever
 * order the host recorded the two.
 *
 * Cost.  Without snoozes: one lg_calendar_between for elapsed, one
 * lg_calendar_add for due_at and at most one more for next_at: the ladder
 * itself is scanned in basis seconds (five steps at most), never converted
 * step by step into wall-clock time.  Each snooze adds a calendar query to
 * each of those.  Choosing the tier evaluates the rules' conditions
 * (nothing for a single rule without `when`).  Nothing allocates.
 */
#include "internal.h"

/* Milli-percent in 100%: `warn at 75%` is stored as 75000. */
#define HUNDRED_PERCENT INT64_C(100000)

/* An offset that elapsed can never reach: used when a percentage of a huge
 * target overflows, so the step simply never fires. */
#define OFFSET_UNREACHABLE INT64_MAX

/* ---- offsets ------------------------------------------------------------ */

/* ceil(target * pct / 100000) for target, pct >= 0 without a 128-bit
 * product: with target = q*D + r and pct = pq*D + pr (D = 100000),
 * target*pct/D = q*pct + r*pq + r*pr/D, and only the last term has a
 * fraction.  r*pr < D*D = 1e10 cannot overflow; the first two terms are
 * checked and saturate to "unreachable". */
static lg_duration percent_of(lg_duration target, int64_t pct) {
  int64_t q = target / HUNDRED_PERCENT, r = target % HUNDRED_PERCENT;
  int64_t pq = pct / HUNDRED_PERCENT, pr = pct % HUNDRED_PERCENT;
  int64_t a, b, sum;
  int64_t frac = (r * pr + HUNDRED_PERCENT - 1) / HUNDRED_PERCENT;
  if (lg__mul_overflow(q, pct, &a) || lg__mul_overflow(r, pq, &b)) return OFFSET_UNREACHABLE;
  if (lg__add_overflow(a, b, &sum) || lg__add_overflow(sum, frac, &sum)) return OFFSET_UNREACHABLE;
  return sum;
}

static lg_duration step_offset(const lg__followup *f, const lg__sla_step *s) {
  if (s->is_percent) return percent_of(f->target, s->value < 0 ? 0 : s->value);
  return s->value < 0 ? 0 : s->value;
}

/* The action a step stands for on this assignment.  `reassign ... max N`
 * turns into recycle once N reassignments are used: the lead cannot go to
 * another rep any more, so the only escalation left is back to marketing. */
static int32_t step_action(const lg__sla_step *s, int32_t reassignments) {
  if (s->action == LG_ACTION_REASSIGN && s->max >= 0 && reassignments >= s->max)
    return LG_ACTION_RECYCLE;
  return s->action;
}

/* The most severe recorded action (lg_action values grow with severity),
 * LG_ACTION_NONE when nothing was recorded.  Bits outside the enum are
 * ignored. */
static int32_t most_severe_recorded(uint32_t recorded) {
  int32_t a;
  for (a = LG_ACTION_RECYCLE; a > LG_ACTION_NONE; a--)
    if (recorded & (1u << (unsigned)a)) return a;
  return LG_ACTION_NONE;
}

/* ---- the clock ------------------------------------------------------------ */

/* One assignment's clock: its basis and its snoozes, during which it does
 * not run.  Net time is the basis time of [start, t) outside the snoozes;
 * it only grows with t, so "the first instant at which X net seconds have
 * passed" is well defined and found exactly. */
typedef struct sla_clock {
  const lg_calendar *cal;   /* NULL for the wall-clock basis */
  lg_time            start; /* assigned_at */
  const lg__snooze  *snz;   /* sorted, merged, each from >= start */
  uint32_t           n_snz;
} sla_clock;

/* Basis seconds in [a, b), a <= b, both valid times. */
static lg_status basis_between(const sla_clock *c, lg_time a, lg_time b, lg_duration *out) {
  if (!c->cal) {
    *out = b - a; /* both within [LG_TIME_MIN, LG_TIME_MAX]: no overflow */
    return LG_OK;
  }
  return lg_calendar_between(c->cal, a, b, out);
}

/* The first wall-clock instant at which `offset` basis seconds have passed
 * since `a`; LG_TIME_NEVER when that never happens within the range of
 * lg_time (a calendar never open again, or a date past LG_TIME_MAX). */
static lg_time basis_instant(const sla_clock *c, lg_time a, lg_duration offset) {
  lg_time t;
  if (!c->cal) {
    if (lg__add_overflow(a, offset, &t) || t > LG_TIME_MAX) return LG_TIME_NEVER;
    return t;
  }
  if (lg_calendar_add(c->cal, a, offset, &t) != LG_OK) return LG_TIME_NEVER;
  return t;
}

/* Net seconds in [start, t), t >= start. */
static lg_status clock_elapsed(const sla_clock *c, lg_time t, lg_duration *out) {
  lg_duration total, part;
  uint32_t    i;
  lg_status   st = basis_between(c, c->start, t, &total);
  for (i = 0; st == LG_OK && i < c->n_snz && c->snz[i].from < t; i++) {
    st = basis_between(c, c->snz[i].from, c->snz[i].until < t ? c->snz[i].until : t, &part);
    total -= part;
  }
  if (st == LG_OK) *out = total;
  return st;
}

/* The first instant with `offset` net seconds since start: the basis time
 * between snoozes is used up gap by gap. */
static lg_time clock_instant(const sla_clock *c, lg_duration offset) {
  lg_time  cur = c->start;
  uint32_t i;
  if (offset == OFFSET_UNREACHABLE) return LG_TIME_NEVER;
  if (offset == 0) return cur;
  for (i = 0; i < c->n_snz; i++) {
    lg_duration gap;
    if (c->snz[i].from > cur) {
      if (basis_between(c, cur, c->snz[i].from, &gap) != LG_OK) return LG_TIME_NEVER;
      if (gap >= offset) break;
      offset -= gap;
    }
    if (c->snz[i].until > cur) cur = c->snz[i].until;
  }
  return basis_instant(c, cur, offset);
}

/* ---- evaluation ------------------------------------------------------------ */

/* What one assignment's clock sees at the evaluation instant. */
typedef struct clock_view {
  lg_time  started;       /* assigned_at */
  lg_time  until;         /* where elapsed is measured to: touch or eval time */
  int      touched;       /* a touch is visible */
  int      frozen;        /* time no longer moves this clock */
  uint32_t recorded;      /* lg__assignment.recorded */
  int32_t  reassignments; /* reassignments made before this assignment */
} clock_view;

static void status_none(int32_t reassignments, lg_sla_status *out) {
  out->state = LG_SLA_NONE;
  out->action = LG_ACTION_NONE;
  out->started_at = 0;
  out->due_at = 0;
  out->next_at = LG_TIME_NEVER;
  out->elapsed = 0;
  out->remaining = 0;
  out->reassignments = reassignments;
  out->tier = -1;
  out->reserved2[0] = out->reserved2[1] = 0;
}

/* The ladder at `elapsed` for an untouched clock: the most severe step
 * reached (*best), whether a warn step is reached (*warned), and the
 * smallest offset, not yet reached, at which the state or the reported
 * action would change (*next, OFFSET_UNREACHABLE if none). */
static void scan_ladder(const lg__followup *f, const clock_view *v, lg_duration elapsed,
                        int32_t suppressed, int32_t *best, int *warned, lg_duration *next) {
  lg_duration offs[5];
  int32_t     acts[5];
  int32_t     b = LG_ACTION_NONE, floor_sev;
  lg_duration n = OFFSET_UNREACHABLE;
  uint32_t    i, count = f->n_steps < 5u ? f->n_steps : 5u;

  *warned = 0;
  for (i = 0; i < count; i++) {
    offs[i] = step_offset(f, &f->steps[i]);
    acts[i] = step_action(&f->steps[i], v->reassignments);
    if (elapsed >= offs[i] && acts[i] > b) b = acts[i];
    if (f->steps[i].action != LG_ACTION_WARN) continue;
    if (elapsed >= offs[i])
      *warned = 1;
    else if (offs[i] < f->target && offs[i] < n)
      n = offs[i]; /* RUNNING -> WARNING (policy.c keeps warn before the target;
                      were it not, BREACHED would win there) */
  }
  /* A step not yet reached changes the action only if it is more severe
   * than both what is already reached and what the host recorded: less
   * severe steps are skipped (the host was away) or suppressed. */
  floor_sev = b > suppressed ? b : suppressed;
  for (i = 0; i < count; i++)
    if (elapsed < offs[i] && acts[i] > floor_sev && offs[i] < n) n = offs[i];
  if (elapsed < f->target && f->target < n) n = f->target;
  *best = b;
  *next = n;
}

/* The clock of assignment `index` of the lead under rule f. */
static void clock_of(const lg_policy *p, const lg__followup *f, const lg_lead *lead, uint32_t index,
                     sla_clock *c) {
  const lg__assignment *a = &lead->asg[index];
  c->cal = NULL;
  if (f && f->business) {
    c->cal = lg_policy_calendar(p);
    if (!c->cal) c->cal = lg__calendar_always();
  }
  c->start = a->assigned_at;
  c->n_snz = a->n_snz;
  c->snz = a->n_snz ? lead->snz + a->snz : NULL;
}

static lg_status evaluate(const lg__followup *f, const sla_clock *c, const clock_view *v,
                          int32_t tier, lg_sla_status *out) {
  lg_duration elapsed, next_off;
  lg_time     due;
  int32_t     state, action = LG_ACTION_NONE, best;
  lg_time     next_at = LG_TIME_NEVER;
  lg_status   st;

  st = clock_elapsed(c, v->until, &elapsed);
  if (st != LG_OK) return st;
  due = clock_instant(c, f->target);

  if (v->touched) {
    /* elapsed < target is the same test as touched_at < due_at (due_at is
     * the first instant with elapsed >= target) and needs no wall time.
     * A touch ends the ladder: nothing changes any more. */
    state = elapsed < f->target ? LG_SLA_MET : LG_SLA_MET_LATE;
  } else {
    int32_t suppressed = most_severe_recorded(v->recorded);
    int     warned;
    scan_ladder(f, v, elapsed, suppressed, &best, &warned, &next_off);
    if (elapsed >= f->target)
      state = LG_SLA_BREACHED;
    else
      state = warned ? LG_SLA_WARNING : LG_SLA_RUNNING;
    if (best > suppressed) action = best;
    if (!v->frozen && next_off != OFFSET_UNREACHABLE)
      next_at = next_off == f->target ? due : clock_instant(c, next_off);
  }

  out->state = state;
  out->action = action;
  out->started_at = v->started;
  out->due_at = due;
  out->next_at = next_at;
  out->elapsed = elapsed;
  out->remaining = f->target - elapsed; /* both within the span of lg_time: no overflow */
  out->reassignments = v->reassignments;
  out->tier = tier;
  out->reserved2[0] = out->reserved2[1] = 0;
  return LG_OK;
}

/* The first follow-up rule whose condition holds as of `start` (the
 * assignment's), its index in *tier; NULL when none holds.  Events count
 * as of start; attributes and the stage are read as they are (the lead
 * keeps no history of them). */
static const lg__followup *select_tier(const lg_policy *p, const lg_lead *lead, lg_time start,
                                       int32_t *tier) {
  uint32_t     i, n = lg__policy_followup_count(p);
  lg__expr_ctx ctx;
  ctx.rubric = NULL; /* lg__expr_parse_lead: no atom reads them */
  ctx.score = NULL;
  ctx.lead = lead;
  ctx.now = start;
  for (i = 0; i < n; i++) {
    const lg__followup *f = lg__policy_followup_at(p, i);
    if (!f->has_when || lg__expr_eval(&f->when, &ctx)) {
      *tier = (int32_t)i;
      return f;
    }
  }
  return NULL;
}

/* A touch counts for the assignment whose clock was running at its
 * instant: from its start up to (not including) the next assignment's,
 * or up to `now` for the latest one as of now.  So a touch at the very
 * instant of a reassignment belongs to the new owner, even when the host
 * recorded it on the old assignment before reassigning; a touch stored on
 * an assignment but dated after the next one began counts for nobody
 * (lg_lead_touch can only store it so when the host wrote the timeline
 * out of order). */
lg_time lg__assignment_touch(const lg_lead *lead, uint32_t i, lg_time now) {
  const lg__assignment *a = &lead->asg[i];
  int                   moved_on = i + 1 < lead->n_asg && lead->asg[i + 1].assigned_at <= now;
  lg_time               end = moved_on ? lead->asg[i + 1].assigned_at : now;
  uint32_t              j;
  if (moved_on ? a->assigned_at >= end : a->assigned_at > end) return LG_TIME_NEVER;
  /* Recorded on an earlier assignment (or several, all reassigned at this
   * one's instant) at exactly this assignment's start. */
  for (j = i; j > 0 && lead->asg[j].assigned_at == a->assigned_at; j--)
    if (lead->asg[j - 1].touched_at == a->assigned_at) return a->assigned_at;
  if (moved_on ? a->touched_at < end : a->touched_at <= end) return a->touched_at;
  return LG_TIME_NEVER;
}

lg_duration lg__assignment_wall(const lg_lead *lead, uint32_t i, lg_time until) {
  sla_clock   c;
  lg_duration d = 0;
  clock_of(NULL, NULL, lead, i, &c);
  if (until > c.start) (void)clock_elapsed(&c, until, &d); /* wall clock: cannot fail */
  return d;
}

/* Evaluates assignment `index` as of `now`; `now` and `index` are valid. */
static lg_status eval_index(const lg_policy *p, const lg_lead *lead, uint32_t index, lg_time now,
                            lg_sla_status *out) {
  const lg__assignment *a = &lead->asg[index];
  const lg__followup   *f;
  clock_view            v;
  sla_clock             c;
  lg_time               end = now, touch;
  int32_t               tier = -1;

  if (a->assigned_at > now) {
    /* Not started as of now; the reassignments that had happened by then
     * are not this assignment's business, so report none. */
    status_none(0, out);
    return LG_OK;
  }
  f = select_tier(p, lead, a->assigned_at, &tier);
  if (!f) {
    status_none((int32_t)index, out);
    return LG_OK;
  }
  v.started = a->assigned_at;
  v.recorded = a->recorded;
  v.reassignments = (int32_t)index;
  /* The lead moved on: this clock stopped at the reassignment. */
  v.frozen = index + 1 < lead->n_asg && lead->asg[index + 1].assigned_at <= now;
  if (v.frozen) end = lead->asg[index + 1].assigned_at;
  touch = lg__assignment_touch(lead, index, now);
  v.touched = touch != LG_TIME_NEVER;
  v.until = v.touched ? touch : end;
  clock_of(p, f, lead, index, &c);
  return evaluate(f, &c, &v, tier, out);
}

lg_status lg__sla_eval_assignment(const lg_policy *p, const lg_lead *lead, uint32_t index,
                                  lg_time now, lg_sla_status *out) {
  if (!p || !lead || !out || index >= lead->n_asg) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  return eval_index(p, lead, index, now, out);
}

lg_status lg_sla_eval(const lg_policy *p, const lg_lead *lead, lg_time now, lg_sla_status *out) {
  uint32_t lo, hi;
  if (!p || !lead || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  if (lead->n_asg == 0 || lead->asg[0].assigned_at > now) {
    status_none(0, out);
    return LG_OK;
  }
  /* The latest assignment at or before now.  Live hosts always hit the
   * first test; replays binary-search the (time-ordered) timeline. */
  if (lead->asg[lead->n_asg - 1].assigned_at <= now) {
    lo = lead->n_asg - 1;
  } else {
    lo = 0; /* invariant: asg[lo] <= now < asg[hi] */
    hi = lead->n_asg - 1;
    while (hi - lo > 1) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (lead->asg[mid].assigned_at <= now)
        lo = mid;
      else
        hi = mid;
    }
  }
  return eval_index(p, lead, lo, now, out);
}

lg_duration lg__sla_step_offset(const lg__followup *f, const lg__sla_step *s) {
  return step_offset(f, s);
}
