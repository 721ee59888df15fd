/*
 * stats.c - lg_stats: a follow-up compliance book, per rep.
 *
 * The host feeds leads in (lg_stats_add) and reads one row per rep: how
 * many assignments each rep got, how many it followed up, in time or late,
 * how many are open and overdue, and its median and 90th-percentile response
 * time.  Every assignment of a lead is judged under the clock of the rep who
 * held it (lg__sla_eval_assignment stops a rep's clock when the lead moves
 * on), so a rep is never blamed for a lead it no longer owns.
 *
 * Storage: reps in an array sorted by id (bytes, as strcmp orders them) so
 * that lg_stats_rep(i) is a plain index and lookups are a binary search;
 * each rep keeps its response times sorted (binary insertion) so that the
 * getters answer percentiles without allocating or reordering anything.
 *
 * lg_stats_add is failure-atomic: it first stages new reps and reserves all
 * the space the lead needs, and only then mutates; the commit phase cannot
 * fail.
 */
#include "internal.h"

#include <math.h> /* isfinite: a macro, no libm needed */
#include <string.h>

typedef struct stats_rep {
  char        *id;   /* owned copy */
  lg_duration *resp; /* response times, ascending */
  uint32_t     n_resp, cap_resp;
  uint32_t     assigned, touched, in_sla, breached, overdue;
  uint32_t     pend_asg;  /* scratch for lg_stats_add: assignments coming in */
  uint32_t     pend_resp; /* scratch for lg_stats_add: responses coming in */
} stats_rep;

struct lg_stats {
  const lg_policy *policy;
  stats_rep       *reps; /* [0, n) sorted by id; [n, cap) spare */
  uint32_t         n, cap;
};

/* How one assignment counts.  See the header's "Stats" section. */
typedef struct outcome {
  int         touched, in_sla, breached, overdue;
  lg_duration response; /* basis seconds from assignment to first touch */
} outcome;

/* ---- judging one assignment ------------------------------------------------ */

/* An assignment made after `now` has not happened yet as of now (a host
 * replaying history): it is not counted, and its owner is not added. */
static int happened(const lg_lead *lead, uint32_t i, lg_time now) {
  return lead->asg[i].assigned_at <= now;
}

/* Without a follow-up rule that applies there is no deadline, so only the
 * facts remain: was the assignment touched while its rep held it (the
 * touch rule of lg__assignment_touch, as for lg_sla_eval), and how long
 * did that take in wall-clock seconds, net of snoozes. */
static void assess_without_rule(const lg_lead *lead, uint32_t i, lg_time now, outcome *o) {
  lg_time touch = lg__assignment_touch(lead, i, now);
  if (touch == LG_TIME_NEVER) return;
  o->touched = 1;
  o->response = lg__assignment_wall(lead, i, touch);
}

static lg_status assess(const lg_stats *s, const lg_lead *lead, uint32_t i, lg_time now,
                        outcome *o) {
  lg_sla_status st;
  lg_status     rc;
  memset(o, 0, sizeof *o);
  rc = lg__sla_eval_assignment(s->policy, lead, i, now, &st);
  if (rc != LG_OK) return rc;
  if (st.state == LG_SLA_NONE) { /* no follow-up rule, or none of the tiers holds */
    assess_without_rule(lead, i, now, o);
    return LG_OK;
  }
  o->touched = st.state == LG_SLA_MET || st.state == LG_SLA_MET_LATE;
  o->in_sla = st.state == LG_SLA_MET;
  o->breached = st.state == LG_SLA_BREACHED || st.state == LG_SLA_MET_LATE;
  /* Overdue is about work still on someone's desk: only the current
   * assignment (the latest one made by now) can be; an older one that
   * breached is history. */
  o->overdue =
      st.state == LG_SLA_BREACHED && (i + 1 == lead->n_asg || lead->asg[i + 1].assigned_at > now);
  /* Once touched, elapsed stops at the touch: it is the response time in
   * the rule's basis (business seconds for `business`, else wall clock),
   * net of snoozes. */
  if (o->touched) o->response = st.elapsed;
  return LG_OK;
}

/* ---- the rep table ----------------------------------------------------------- */

/* Index of rep `id` among reps[0, n), or -(insertion point) - 1. */
static int64_t rep_search(const stats_rep *reps, uint32_t n, const char *id) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int      c = strcmp(reps[mid].id, id);
    if (c == 0) return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -(int64_t)lo - 1;
}

/* The rep row for `id`: a committed one, or one staged in [n, n + staged). */
static stats_rep *rep_locate(lg_stats *s, uint32_t staged, const char *id) {
  int64_t  at = rep_search(s->reps, s->n, id);
  uint32_t j;
  if (at >= 0) return &s->reps[at];
  for (j = s->n; j < s->n + staged; j++)
    if (strcmp(s->reps[j].id, id) == 0) return &s->reps[j];
  return NULL;
}

/* Number of distinct owners of the lead the book has not seen yet. */
static uint32_t count_new_owners(const lg_stats *s, const lg_lead *lead, lg_time now) {
  uint32_t i, j, count = 0;
  for (i = 0; i < lead->n_asg; i++) {
    const char *owner = lg__lead_str(lead, lead->asg[i].owner);
    int         seen = 0;
    if (!happened(lead, i, now) || rep_search(s->reps, s->n, owner) >= 0) continue;
    /* Assignments are in time order, so every earlier one has happened. */
    for (j = 0; j < i && !seen; j++)
      seen = strcmp(lg__lead_str(lead, lead->asg[j].owner), owner) == 0;
    if (!seen) count++;
  }
  return count;
}

/* Drops what a failed lg_stats_add staged and clears the scratch counters,
 * leaving the book as it was (spare capacity aside, which is invisible). */
static void add_undo(lg_stats *s, uint32_t staged) {
  uint32_t j;
  for (j = 0; j < s->n + staged; j++) {
    s->reps[j].pend_asg = 0;
    s->reps[j].pend_resp = 0;
  }
  for (j = s->n; j < s->n + staged; j++) {
    lg__free(s->reps[j].id);
    lg__free(s->reps[j].resp);
    memset(&s->reps[j], 0, sizeof s->reps[j]);
  }
}

/* Moves the staged reps [n, n + staged) into sorted position.  The staged
 * row being placed always sits at index n (the first spare slot), so
 * shifting the tail of the committed rows right by one only overwrites the
 * row that was just copied out. */
static void commit_staged(lg_stats *s, uint32_t staged) {
  uint32_t k;
  for (k = 0; k < staged; k++) {
    stats_rep row = s->reps[s->n];
    uint32_t  pos = (uint32_t)(-rep_search(s->reps, s->n, row.id) - 1);
    memmove(&s->reps[pos + 1], &s->reps[pos], (size_t)(s->n - pos) * sizeof row);
    s->reps[pos] = row;
    s->n++;
  }
}

static void insert_response(stats_rep *r, lg_duration v) {
  uint32_t lo = 0, hi = r->n_resp;
  /* Upper bound: equal values keep arrival order (not that it shows). */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (r->resp[mid] <= v)
      lo = mid + 1;
    else
      hi = mid;
  }
  memmove(&r->resp[lo + 1], &r->resp[lo], (size_t)(r->n_resp - lo) * sizeof *r->resp);
  r->resp[lo] = v;
  r->n_resp++;
}

/* ---- public API --------------------------------------------------------------- */

lg_status lg_stats_create(const lg_policy *policy, lg_stats **out) {
  lg_stats *s;
  if (!policy || !out) return LG_ERR_INVALID;
  s = lg__calloc(1, sizeof *s);
  if (!s) return LG_ERR_NOMEM;
  s->policy = policy;
  *out = s;
  return LG_OK;
}

void lg_stats_free(lg_stats *s) {
  uint32_t j;
  if (!s) return;
  for (j = 0; j < s->n; j++) {
    lg__free(s->reps[j].id);
    lg__free(s->reps[j].resp);
  }
  lg__free(s->reps);
  lg__free(s);
}

/* Phase 1 of lg_stats_add: judge every assignment (any error stops here),
 * stage rows for new reps and tally what each rep will receive. */
static lg_status add_stage(lg_stats *s, const lg_lead *lead, lg_time now, uint32_t *staged) {
  uint32_t  i;
  outcome   o;
  lg_status rc;
  for (i = 0; i < lead->n_asg; i++) {
    const char *owner = lg__lead_str(lead, lead->asg[i].owner);
    stats_rep  *r;
    if (!happened(lead, i, now)) break;
    rc = assess(s, lead, i, now, &o);
    if (rc != LG_OK) return rc;
    r = rep_locate(s, *staged, owner);
    if (!r) {
      r = &s->reps[s->n + *staged];
      memset(r, 0, sizeof *r);
      r->id = lg__strndup(owner, strlen(owner));
      if (!r->id) return LG_ERR_NOMEM;
      (*staged)++;
    }
    r->pend_asg++;
    if (o.touched) r->pend_resp++;
  }
  return LG_OK;
}

/* Phase 2: make sure no counter can overflow and every rep has room for its
 * new response times. */
static lg_status add_reserve(lg_stats *s, uint32_t staged) {
  uint32_t j;
  for (j = 0; j < s->n + staged; j++) {
    stats_rep *r = &s->reps[j];
    uint32_t   need;
    if (r->pend_asg == 0) continue;
    if (r->assigned > UINT32_MAX - r->pend_asg) return LG_ERR_RANGE;
    if (r->pend_resp == 0) continue;
    need = r->n_resp + r->pend_resp; /* n_resp <= assigned: no overflow */
    if (need > r->cap_resp) {
      lg_duration *p = lg__grow(r->resp, &r->cap_resp, need, sizeof *r->resp);
      if (!p) return LG_ERR_NOMEM;
      r->resp = p;
    }
  }
  return LG_OK;
}

lg_status lg_stats_add(lg_stats *s, const lg_lead *lead, lg_time now) {
  uint32_t  fresh, staged = 0, i;
  lg_status rc;
  outcome   o;
  if (!s || !lead) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  if (lead->n_asg == 0) return LG_OK;

  fresh = count_new_owners(s, lead, now);
  if (fresh > UINT32_MAX - s->n) return LG_ERR_RANGE;
  if (s->n + fresh > s->cap) {
    stats_rep *p = lg__grow(s->reps, &s->cap, s->n + fresh, sizeof *s->reps);
    if (!p) return LG_ERR_NOMEM;
    s->reps = p;
  }
  rc = add_stage(s, lead, now, &staged);
  if (rc == LG_OK) rc = add_reserve(s, staged);
  if (rc != LG_OK) {
    add_undo(s, staged);
    return rc;
  }

  /* Commit: nothing below can fail.  The outcomes are recomputed rather
   * than kept, which costs a second evaluation but no allocation; the
   * evaluation is a pure function of its inputs, so it repeats exactly. */
  commit_staged(s, staged);
  for (i = 0; i < lead->n_asg && happened(lead, i, now); i++) {
    stats_rep *r = &s->reps[rep_search(s->reps, s->n, lg__lead_str(lead, lead->asg[i].owner))];
    (void)assess(s, lead, i, now, &o);
    r->assigned++;
    r->touched += (uint32_t)o.touched;
    r->in_sla += (uint32_t)o.in_sla;
    r->breached += (uint32_t)o.breached;
    r->overdue += (uint32_t)o.overdue;
    if (o.touched) insert_response(r, o.response);
    r->pend_asg = 0;
    r->pend_resp = 0;
  }
  return LG_OK;
}

size_t lg_stats_rep_count(const lg_stats *s) { return s ? (size_t)s->n : 0; }

/* The ceil(p * N)-th smallest (nearest rank) for p = num / den; N >= 1. */
static lg_duration nearest_rank(const stats_rep *r, uint64_t num, uint64_t den) {
  uint64_t rank = ((uint64_t)r->n_resp * num + den - 1) / den;
  return r->resp[rank - 1];
}

lg_status lg_stats_rep(const lg_stats *s, size_t i, lg_rep_stats *out) {
  const stats_rep *r;
  if (!s || !out) return LG_ERR_INVALID;
  if (i >= s->n) return LG_ERR_NOT_FOUND;
  r = &s->reps[i];
  out->rep = r->id;
  out->assigned = r->assigned;
  out->touched = r->touched;
  out->touched_in_sla = r->in_sla;
  out->breached = r->breached;
  out->open_overdue = r->overdue;
  out->reserved = 0;
  out->reserved2[0] = out->reserved2[1] = 0;
  out->median_response = r->n_resp ? nearest_rank(r, 1, 2) : 0;
  out->p90_response = r->n_resp ? nearest_rank(r, 9, 10) : 0;
  return LG_OK;
}

/* ---- correlation -------------------------------------------------------------- */

/* Square root for x in [0, 1] without libm.  x is first brought into
 * [1/4, 1] by exact factors of 4 (so the root moves by exact factors of
 * 2); there Newton's method from 1 falls monotonically to the root in a
 * handful of steps, and stopping when it no longer falls leaves it within
 * an ulp. */
static double unit_sqrt(double x) {
  double g = 1.0, next, scale = 1.0;
  int    k;
  if (x <= 0.0) return 0.0;
  while (x < 0.25) {
    x *= 4.0;
    scale *= 0.5;
  }
  for (k = 0; k < 64; k++) {
    next = 0.5 * (g + x / g);
    if (next >= g) break;
    g = next;
  }
  return g * scale;
}

/* In-SLA follow-up rate of a rep known to the book.  Pearson needs the
 * series twice, and n is the host's and unbounded, so rather than copy the
 * rates into an allocation they are looked up again on each pass (a binary
 * search per rep), which keeps the call allocation-free. */
static double rate_of(const lg_stats *s, const char *rep) {
  const stats_rep *r = &s->reps[rep_search(s->reps, s->n, rep)];
  return (double)r->in_sla / (double)r->assigned;
}

lg_status lg_stats_correlation(const lg_stats *s, const char *const *reps, const double *attainment,
                               size_t n, double *r) {
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0, ymax = 0, q, x0, x, y;
  int    x_varies = 0, y_varies = 0;
  size_t i;
  if (!s || !r || (n > 0 && (!reps || !attainment))) return LG_ERR_INVALID;
  for (i = 0; i < n; i++)
    if (!reps[i]) return LG_ERR_INVALID;
  for (i = 0; i < n; i++)
    if (rep_search(s->reps, s->n, reps[i]) < 0) return LG_ERR_NOT_FOUND;
  for (i = 0; i < n; i++) {
    if (!isfinite(attainment[i])) return LG_ERR_RANGE;
    if (attainment[i] > ymax) ymax = attainment[i];
    if (-attainment[i] > ymax) ymax = -attainment[i];
  }
  if (n < 2) return LG_ERR_RANGE;
  /* Constant series are detected exactly, before any rounding could make a
   * zero variance look like a tiny one. */
  x0 = rate_of(s, reps[0]);
  for (i = 1; i < n; i++) {
    if (rate_of(s, reps[i]) != x0) x_varies = 1;
    if (attainment[i] != attainment[0]) y_varies = 1;
  }
  if (!x_varies || !y_varies) return LG_ERR_RANGE;
  /* r does not change when a series is scaled; dividing attainment by its
   * largest magnitude keeps squares finite for any finite input. */
  for (i = 0; i < n; i++) {
    mx += rate_of(s, reps[i]);
    my += attainment[i] / ymax;
  }
  mx /= (double)n;
  my /= (double)n;
  for (i = 0; i < n; i++) {
    x = rate_of(s, reps[i]) - mx;
    y = attainment[i] / ymax - my;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) return LG_ERR_RANGE;
  q = (sxy * sxy) / (sxx * syy);
  if (q > 1.0) q = 1.0;
  q = unit_sqrt(q);
  *r = sxy < 0 ? -q : q;
  return LG_OK;
}
