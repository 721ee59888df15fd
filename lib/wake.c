/*
 * wake.c - lg_decision.next_at: the first instant after `now` at which
 * the decision (verdict and grade; the recommended stage follows the
 * verdict and the lead's own stage) changes if nothing is added to the
 * lead.  Does not allocate.
 *
 * What time alone changes:
 *   - `event X within D` conditions: an event enters its window at its
 *     time (events stored later than now count from then) and leaves it
 *     at at + D + 1;
 *   - the engagement score, and with it total = fit + engagement: decay,
 *     expiry, and events later than now.  Fit and knockouts read
 *     attributes, which do not change, nor does the lead's stage.
 *
 * Segments.  The time after now is cut where an event condition may change
 * or a later event starts counting (lg__expr_event_change, the lead's next
 * event).  Within a segment every event condition is fixed, so the
 * decision is a function phi(E) of the engagement E alone, and phi is
 * constant on the cells the thresholds of the policy's engagement and
 * total comparisons make (a total comparison with N is an engagement
 * comparison with N - fit): each threshold, and each open interval between
 * neighbouring thresholds.  So phi can be tried on a cell without scoring.
 *
 * Why E is monotone in a segment of one sign.  No event is added within a
 * segment, so each criterion's events only age, and an event's fixed-point
 * value never grows with age: none is constant; expire is p, then 0;
 * linear is p (D - a) / D rounded, non-increasing in a; half-life: decay.c
 * computes 2^(-a/H) with a relative error below 3e-17, while from one
 * second to the next the exact value falls by a factor 2^(-1/H) < 1 - 1e-11
 * for every H the parser accepts (<= 1000 years), so the computed values
 * cannot rise either, and truncating or rounding keeps the order.  `once`
 * follows one event, `each` sums such values (at 2^-32 milli-points, then
 * rounds once) and the cap is a clamp: all keep the order.  A half-life
 * event adds nothing from age 65 H on, expire and linear ones from age D
 * (lg__engagement_trend's `settled`), so the search ends there.  So a criterion with positive points never rises within a
 * segment, one with negative points never falls, and when every criterion
 * that can still change has points of one sign, E is monotone there.
 *
 * Monotone segments (exact).  Walking the cells from E(s) in the direction
 * E moves, the first whose decision differs gives a value r (its near
 * edge); the first instant at which E reaches r is found by a search over
 * time on the scorer's own numbers (lg__engagement_parts), valid because
 * E is monotone.  E may jump over that cell: if the decision at the
 * instant found differs, that instant is the answer, else the walk goes
 * on from where E landed.
 *
 * Mixed segments (criteria of both signs still changing).  E = P + N with
 * P >= 0 never rising and N <= 0 never falling, so from s on
 * P(t) + N(s) <= E(t) <= P(s) + N(t), and each bound is monotone.  While
 * both bounds stay within the run of cells around E(s) that decide as now,
 * so does E; the first instant a bound leaves it is searched and E checked
 * there: a different decision is the answer (exact), else the bounds
 * restart from there.  After MIXED_ROUNDS restarts the instant reached is
 * returned: no change happened before it, so it is early, never late.
 *
 * More than MAX_SEGMENTS segments before the first change: the start of
 * the next segment is returned, early likewise.  Both cases are listed in
 * leadgate.h.
 */
#include "policy.h"

#define MAX_SEGMENTS 64
#define MIXED_ROUNDS 8
#define MAX_CELLS    512 /* cells tried per search target */
#define MAX_KEPT     16  /* thresholds kept at hand; more are looked up */

typedef struct wake {
  const lg_rubric *rubric;
  const lg_policy *policy;
  const lg_lead   *lead;
  lg_score         score;          /* engagement and total: the value being tried */
  lg__expr_ctx     ctx;            /* ctx.now: the segment's start */
  int32_t          verdict, grade; /* the decision at now */
  uint32_t         n_thr;          /* thresholds of the rules, thr[] if <= MAX_KEPT */
  int64_t          thr[MAX_KEPT];
} wake;

/* Whether the decision with engagement e (in the segment at ctx.now)
 * differs from the decision at now; *touched as lg__decide_judge's. */
static int judge_differs(wake *w, int64_t e, unsigned *touched) {
  int32_t verdict, grade;
  w->score.engagement = e;
  w->score.total = w->score.fit + e;
  lg__decide_judge(w->policy, &w->ctx, &verdict, &grade, touched);
  return verdict != w->verdict || grade != w->grade;
}

static int differs(wake *w, int64_t e) { return judge_differs(w, e, NULL); }

/* Gathers the thresholds of all the rules into w->thr (w->n_thr of them;
 * only the first MAX_KEPT are kept). */
static void gather_thresholds(wake *w) {
  const lg_policy *p = w->policy;
  int64_t          fit = w->score.fit;
  uint32_t         i, n = lg__expr_thresholds(&p->disqualify, fit, w->thr, MAX_KEPT, 0);
  if (p->has_qualify) n = lg__expr_thresholds(&p->qualify, fit, w->thr, MAX_KEPT, n);
  for (i = 0; i < p->n_grades; i++)
    if (p->grades[i].has_cond)
      n = lg__expr_thresholds(&p->grades[i].cond, fit, w->thr, MAX_KEPT, n);
  w->n_thr = n;
}

/* The nearest threshold beyond x in direction dir over all the rules;
 * *at is set when x is a threshold.  0 when there is none. */
static int threshold_next(const wake *w, int64_t x, int dir, int64_t *next, int *at) {
  const lg_policy *p = w->policy;
  int64_t          fit = w->score.fit;
  uint32_t         i;
  int              found = 0;
  *next = dir < 0 ? INT64_MIN : INT64_MAX;
  if (w->n_thr <= MAX_KEPT) {
    for (i = 0; i < w->n_thr; i++) {
      int64_t v = w->thr[i];
      if (v == x) *at = 1;
      if (dir < 0 ? v < x && v > *next : v > x && v < *next) {
        *next = v;
        found = 1;
      }
    }
    return found;
  }
  found = lg__expr_threshold_next(&p->disqualify, fit, x, dir, next, at);
  if (p->has_qualify) found |= lg__expr_threshold_next(&p->qualify, fit, x, dir, next, at);
  for (i = 0; i < p->n_grades; i++)
    if (p->grades[i].has_cond)
      found |= lg__expr_threshold_next(&p->grades[i].cond, fit, x, dir, next, at);
  return found;
}

/* Whether the open cell after threshold v (in direction dir) holds a
 * value, given the next threshold (`more` says whether there is one). */
static int open_cell(int64_t v, int more, int64_t next, int dir) {
  return !more || (dir < 0 ? next < v - 1 : next > v + 1);
}

/* The near edge *r of the first cell beyond x (direction dir) that decides
 * differently from now: E is in that cell or beyond once it reaches r.
 * 0 when every cell beyond x decides as now. */
static int first_differing(wake *w, int64_t x, int dir, int64_t *r) {
  int64_t v, next;
  int     at = 0, more = threshold_next(w, x, dir, &v, &at), k;
  /* x may be a threshold itself: then the open cell next to it first */
  if (at && open_cell(x, more, v, dir) && differs(w, x + dir)) {
    *r = x + dir;
    return 1;
  }
  for (k = 0; more && k < MAX_CELLS; k++) {
    int more_next;
    if (differs(w, v)) {
      *r = v;
      return 1;
    }
    more_next = threshold_next(w, v, dir, &next, &at);
    if (open_cell(v, more_next, next, dir) && differs(w, v + dir)) {
      *r = v + dir;
      return 1;
    }
    more = more_next;
    v = next;
  }
  if (more) { /* too many cells to try: search up to the next one anyway */
    *r = v;
    return 1;
  }
  return 0;
}

/* ---- searching over time ------------------------------------------------- */

enum { G_E, G_P, G_N };

/* g(t) = sign * E(t), sign * (P(t) + fixed) or sign * (fixed + N(t)),
 * chosen so that g never rises with t in the segment searched. */
typedef struct probe {
  int     part;
  int64_t sign, fixed;
} probe;

static int64_t probe_at(const wake *w, const probe *g, lg_time t) {
  int64_t pos, neg;
  lg__engagement_parts(w->rubric, w->lead, t, &pos, &neg);
  return g->sign * (g->part == G_E ? pos + neg : g->part == G_P ? pos + g->fixed : g->fixed + neg);
}

/* The first t in (lo, hi] with g(t) <= target, given g(lo) = glo > target
 * >= g(hi) = ghi and g non-increasing, so the answer is unique whatever
 * instants are tried.  The instants come from linear interpolation with
 * the Illinois correction (an end kept twice has its distance to the
 * target halved), with a bisection after any step that did not halve the
 * interval: at most twice the steps of a bisection, usually far fewer on
 * decay curves.  The double only picks where to look.  *g_at gets
 * g(answer). */
static lg_time search(const wake *w, const probe *g, lg_time lo, int64_t glo, lg_time hi,
                      int64_t ghi, int64_t target, int64_t *g_at) {
  double a = (double)(glo - target), b = (double)(ghi - target);
  int    side = 0, bisect = 0;
  while (hi - lo > 1) {
    lg_time width = hi - lo, m;
    int64_t gm;
    if (bisect) {
      m = lo + width / 2;
    } else {
      m = lo + (lg_time)(a / (a - b) * (double)width);
      if (m <= lo) m = lo + 1;
      if (m >= hi) m = hi - 1;
    }
    gm = probe_at(w, g, m);
    if (gm <= target) {
      hi = m;
      ghi = gm;
      b = (double)(gm - target);
      if (side > 0) a /= 2;
      side = 1;
    } else {
      lo = m;
      a = (double)(gm - target);
      if (side < 0) b /= 2;
      side = -1;
    }
    bisect = hi - lo > width / 2;
  }
  *g_at = ghi;
  return hi;
}

/* ---- one segment --------------------------------------------------------- */

/* The first change in (s, hi] when E only moves in direction dir (-1:
 * falls, +1: rises) there and E(s) = x; LG_TIME_NEVER if none. */
static lg_time walk_monotone(wake *w, lg_time s, int64_t x, lg_time hi, int dir) {
  probe   g;
  lg_time lo = s;
  int64_t r, ghi = 0, gt;
  int     have_hi = 0;
  g.part = G_E;
  g.sign = dir < 0 ? 1 : -1;
  g.fixed = 0;
  while (first_differing(w, x, dir, &r)) {
    if (!have_hi) {
      ghi = probe_at(w, &g, hi);
      have_hi = 1;
    }
    if (ghi > g.sign * r) return LG_TIME_NEVER; /* E does not get to r here */
    lo = search(w, &g, lo, g.sign * x, hi, ghi, g.sign * r, &gt);
    x = g.sign * gt;
    if (differs(w, x)) return lo;
  }
  return LG_TIME_NEVER;
}

/* The first change in (s, hi] when criteria of both signs still change
 * there, or an earlier instant after MIXED_ROUNDS rounds (see the top). */
static lg_time walk_mixed(wake *w, lg_time s, lg_time hi) {
  int round;
  for (round = 0; round < MIXED_ROUNDS; round++) {
    int64_t pos, neg, x, rd = 0, ru = 0, gv;
    lg_time t = LG_TIME_NEVER;
    probe   g;
    lg__engagement_parts(w->rubric, w->lead, s, &pos, &neg);
    x = pos + neg;
    if (first_differing(w, x, -1, &rd)) { /* the lower bound P(t) + N(s) */
      int64_t gh;
      g.part = G_P;
      g.sign = 1;
      g.fixed = neg;
      gh = probe_at(w, &g, hi);
      if (gh <= rd) t = search(w, &g, s, x, hi, gh, rd, &gv);
    }
    if (first_differing(w, x, 1, &ru)) { /* the upper bound P(s) + N(t) */
      lg_time h = t != LG_TIME_NEVER ? t : hi;
      int64_t gh;
      g.part = G_N;
      g.sign = -1;
      g.fixed = pos;
      gh = probe_at(w, &g, h);
      if (gh <= -ru) t = search(w, &g, s, -x, h, gh, -ru, &gv);
    }
    if (t == LG_TIME_NEVER) return LG_TIME_NEVER;
    lg__engagement_parts(w->rubric, w->lead, t, &pos, &neg);
    if (differs(w, pos + neg)) return t;
    s = t;
  }
  return s;
}

lg_time lg__decide_wake(const lg_rubric *rubric, const lg_policy *policy, const lg_lead *lead,
                        lg_time now, const lg_score *score, int32_t verdict, int32_t grade,
                        unsigned touched) {
  wake     w;
  lg_time  s = now;
  int64_t  x = score->engagement, v, pos, neg;
  int      reads_e, falls = 0, rises = 0, seg;
  uint32_t i;
  w.rubric = rubric;
  w.policy = policy;
  w.lead = lead;
  w.score = *score;
  w.ctx.rubric = rubric;
  w.ctx.score = &w.score;
  w.ctx.lead = lead;
  w.ctx.now = now;
  w.verdict = verdict;
  w.grade = grade;
  /* Rules that consulted neither a score comparison nor an event window
   * decide the same at every later instant. */
  if (!touched) return LG_TIME_NEVER;
  /* whether any rule compares the engagement or the total */
  gather_thresholds(&w);
  reads_e = w.n_thr > 0;
  if (reads_e) lg__rubric_decay_signs(rubric, &falls, &rises);
  for (seg = 0; seg < MAX_SEGMENTS; seg++) {
    /* the segment [s, b) */
    lg_time b = lg__expr_event_change(&policy->disqualify, lead, s), t;
    if (policy->has_qualify) {
      t = lg__expr_event_change(&policy->qualify, lead, s);
      if (t < b) b = t;
    }
    for (i = 0; i < policy->n_grades; i++)
      if (policy->grades[i].has_cond) {
        t = lg__expr_event_change(&policy->grades[i].cond, lead, s);
        if (t < b) b = t;
      }
    if (reads_e) { /* a later event starts counting */
      uint32_t k = lg__lead_events_upto(lead, s);
      if (k < lead->n_events && lead->ev_at[k] < b) b = lead->ev_at[k];
    }
    w.ctx.now = s;
    if (s > now) {
      if (reads_e) {
        lg__engagement_parts(rubric, lead, s, &pos, &neg);
        x = pos + neg;
      }
      touched = 0;
      if (judge_differs(&w, x, &touched)) return s;
      if (!touched) return LG_TIME_NEVER;
    }
    /* Decay within the segment: nothing to do when the rules did not
     * consult the score (they decide the same for every engagement while
     * the event windows stay as they are).  Then the rubric's signs: with
     * one sign, no cell that decides differently in that direction means
     * no change. */
    if (reads_e && (touched & LG__TOUCH_SCORE) && (falls || rises) &&
        !(falls && !rises && !first_differing(&w, x, -1, &v)) &&
        !(rises && !falls && !first_differing(&w, x, 1, &v))) {
      lg_time hi = b == LG_TIME_NEVER ? LG_TIME_MAX : b - 1, settled;
      int     f, r;
      lg__engagement_trend(rubric, lead, s, &f, &r, &settled);
      if (settled < hi) hi = settled; /* E stays as it is from there on */
      if (hi > s && (f || r)) {
        t = f && r ? walk_mixed(&w, s, hi) : walk_monotone(&w, s, x, hi, f ? -1 : 1);
        if (t != LG_TIME_NEVER) return t;
      }
    }
    if (b == LG_TIME_NEVER) return LG_TIME_NEVER;
    s = b;
  }
  return s;
}
