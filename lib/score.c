/*
 * score.c - evaluating a rubric against a lead: lg_score_lead,
 * lg_score_many, lg_explain and lg_next_question.
 *
 * None of these allocates or writes anything but its out-parameters, so
 * they may run concurrently on shared rubrics and leads.  Scoring is the
 * hot path of batch jobs (millions of leads), so the per-criterion work is
 * kept to a length compare, a short scan and integer arithmetic: names
 * were measured when the rubric was parsed, and the lead's attributes are
 * compared by length before bytes.
 *
 * Semantics (leadgate.h, "Rubric"):
 *   fit         absent attribute -> `missing`; else the first `when` whose
 *               match list matches; else `otherwise`.
 *   engagement  events at or before `now` only.  `once`: the most recent
 *               event of the type; `each`: every event.  Each event is
 *               decayed by its age (now - at), the decayed points summed,
 *               then `max` caps the absolute value.  No event -> 0.
 *   knockout    the attribute is present and matches; the score reports
 *               the first matching knockout in text order.
 */
#include "rubric.h"

#include <string.h>

#if defined(__GNUC__)
#  define LG__PREFETCH(p) __builtin_prefetch(p)
/* The look-ups run several times per criterion per lead; as calls, their
 * prologues cost more than their loops (measured with callgrind). */
#  define LG__HOT_INLINE  __attribute__((always_inline)) inline
#else
#  define LG__PREFETCH(p) ((void)(p))
#  define LG__HOT_INLINE  inline
#endif

/* ---- look-ups ------------------------------------------------------------
 * The same rule as lg__lead_find_attr / lg__lead_find_type
 * (lead.c), written out here because they run once per criterion per lead:
 * inline, a non-matching entry costs one compare instead of a call. */

/* Byte equality of two names (at most 64 bytes), eight bytes at a time;
 * the last word overlaps the one before it instead of a byte loop, and
 * names of 4 to 7 bytes take two overlapping 4-byte words. */
static LG__HOT_INLINE int same_bytes(const char *a, const char *b, size_t n) {
  uint64_t x, y;
  uint32_t u, v;
  size_t   i;
  if (n >= 8) {
    for (i = 0; i + 8 < n; i += 8) {
      memcpy(&x, a + i, 8);
      memcpy(&y, b + i, 8);
      if (x != y) return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    memcpy(&u, a, 4);
    memcpy(&v, b, 4);
    if (u != v) return 0;
    memcpy(&u, a + n - 4, 4);
    memcpy(&v, b + n - 4, 4);
    return u == v;
  }
  for (i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* (Indices, not pointer ranges: an empty table may be NULL, and NULL + 0
 * is undefined.) */
static LG__HOT_INLINE const lg__attr *find_attr(const lg__crit *c, const lg_lead *lead) {
  uint32_t i;
  for (i = 0; i < lead->n_attrs; i++) {
    const lg__attr *a = &lead->attrs[i];
    if (a->name_len == c->attr_len &&
        same_bytes(lead->arena + a->name, c->attr, c->attr_len))
      return a;
  }
  return NULL;
}

static LG__HOT_INLINE int32_t find_type(const lg__crit *c, const lg_lead *lead) {
  uint32_t i;
  for (i = 0; i < lead->n_types; i++) {
    /* A type's length is not stored.  A name of attr_len bytes ends with a
     * NUL inside the arena's written bytes (arena_len), so if that range
     * fits, comparing attr_len + 1 bytes there is in bounds (a shorter name
     * differs at its NUL); if it does not fit, the name cannot be ours.
     * The NUL test goes first: one load that rejects most other names. */
    size_t off = lead->types[i].name;
    if (off + c->attr_len < lead->arena_len && lead->arena[off + c->attr_len] == '\0' &&
        same_bytes(lead->arena + off, c->attr, c->attr_len))
      return (int32_t)i;
  }
  return -1;
}

/* Whether the attribute satisfies a match list: the same test as
 * lg__match_list_test, with the lead's arena looked up once. */
static LG__HOT_INLINE int matches(const lg__match_list *m, const lg_lead *lead, const lg__attr *a) {
  uint32_t i;
  for (i = 0; i < m->n; i++)
    if (lg__match_one(&m->items[i], lead->arena, a)) return 1;
  return 0;
}

/* ---- one criterion ------------------------------------------------------- */

static int64_t fit_points(const lg__crit *c, const lg_lead *lead, int *missing) {
  const lg__attr *a = find_attr(c, lead);
  uint32_t        i;
  if (!a) {
    *missing = 1;
    return c->missing;
  }
  *missing = 0;
  for (i = 0; i < c->n_whens; i++)
    if (matches(&c->whens[i].list, lead, a)) return c->whens[i].points;
  return c->otherwise;
}

static int64_t apply_cap(const lg__crit *c, int64_t sum) {
  if (c->cap >= 0) {
    if (sum > c->cap) return c->cap;
    if (sum < -c->cap) return -c->cap;
  }
  return sum;
}

/* Decayed, capped points of an engagement criterion from the first `upto`
 * events (those at or before now); *counted gets how many events counted.
 * The sum cannot overflow: at most 10,000 events of at most 10^9 each. */
static int64_t engagement_points(const lg__crit *c, const lg_lead *lead, uint32_t upto,
                                 lg_time now, uint32_t *counted) {
  const lg_time  *at = lead->ev_at;
  const uint16_t *type = lead->ev_type;
  int64_t         sum = 0;
  uint32_t        i, n = 0;
  uint16_t        t;
  int32_t         ti;
  *counted = 0;
  if (upto == 0) return 0;
  ti = find_type(c, lead);
  if (ti < 0) return 0;
  t = (uint16_t)ti;
  if (!c->each) {
    /* events are sorted by time: the last one of the type is the latest */
    for (i = upto; i-- > 0;)
      if (type[i] == t) {
        *counted = 1;
        return apply_cap(c, lg__decay_with(c->decay, c->span, c->span_inv, c->points, now - at[i]));
      }
    return 0;
  }
  for (i = 0; i < upto; i++)
    if (type[i] == t) {
      n++;
      sum += lg__decay_with(c->decay, c->span, c->span_inv, c->points, now - at[i]);
    }
  *counted = n;
  return apply_cap(c, sum);
}

static int knockout_hit(const lg__crit *c, const lg_lead *lead, int *missing) {
  const lg__attr *a = find_attr(c, lead);
  *missing = a == NULL;
  return a != NULL && matches(&c->ko, lead, a);
}

/* ---- scores -------------------------------------------------------------- */

/* Arguments already checked. */
static void score_one(const lg_rubric *r, const lg_lead *lead, lg_time now, lg_score *out) {
  uint32_t upto = lg__lead_events_upto(lead, now), counted, missing_count = 0, i;
  int64_t  fit = 0, engagement = 0;
  int32_t  knockout = -1, ko_seen = 0;
  int      missing;
  for (i = 0; i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    switch (c->kind) {
    case LG_KIND_FIT:
      fit += fit_points(c, lead, &missing);
      missing_count += (uint32_t)missing;
      break;
    case LG_KIND_ENGAGEMENT:
      engagement += engagement_points(c, lead, upto, now, &counted);
      break;
    default:
      /* only the first matching knockout is reported: skip the rest */
      if (knockout < 0 && knockout_hit(c, lead, &missing)) knockout = ko_seen;
      ko_seen++;
      break;
    }
  }
  out->fit = fit;
  out->engagement = engagement;
  out->total = fit + engagement;
  out->knocked_out = knockout >= 0;
  out->knockout_index = knockout;
  out->missing_count = missing_count;
  out->reserved = 0;
}

lg_status lg_score_lead(const lg_rubric *rubric, const lg_lead *lead, lg_time now,
                        lg_score *out) {
  if (!rubric || !lead || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  score_one(rubric, lead, now, out);
  return LG_OK;
}

/* Prefetches the first few cache lines of each array the scoring reads. */
static void prefetch_span(const void *p, size_t bytes) {
  const char *c = p;
  size_t      off;
  if (!p) return;
  for (off = 0; off < bytes && off < 256; off += 64) LG__PREFETCH(c + off);
}

static void prefetch_lead(const lg_lead *l) {
  prefetch_span(l->attrs, (size_t)l->n_attrs * sizeof *l->attrs);
  prefetch_span(l->arena, l->arena_len);
  prefetch_span(l->ev_at, (size_t)l->n_events * sizeof *l->ev_at);
  prefetch_span(l->ev_type, (size_t)l->n_events * sizeof *l->ev_type);
  prefetch_span(l->types, (size_t)l->n_types * sizeof *l->types);
}

lg_status lg_score_many(const lg_rubric *rubric, const lg_lead *const *leads, size_t n,
                        lg_time now, lg_score *out) {
  size_t i;
  if (!rubric || (n > 0 && (!leads || !out))) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  /* check every lead first so that a failure leaves out untouched */
  for (i = 0; i < n; i++)
    if (!leads[i]) return LG_ERR_INVALID;
  for (i = 0; i < n; i++) {
    /* Leads of a batch live all over the heap, so a large batch is bound
     * by memory latency rather than arithmetic: fetch the lead 8 ahead,
     * and the arrays of the lead 4 ahead (its struct has arrived). */
    if (i + 8 < n) LG__PREFETCH(leads[i + 8]);
    if (i + 4 < n) prefetch_lead(leads[i + 4]);
    score_one(rubric, leads[i], now, &out[i]);
  }
  return LG_OK;
}

/* ---- explanations -------------------------------------------------------- */

static lg_points abs_points(int64_t p) { return p < 0 ? -p : p; }

static void explain_one(const lg__crit *c, const lg_lead *lead, uint32_t upto, lg_time now,
                        lg_contribution *item) {
  uint32_t counted;
  int      missing = 0;
  item->criterion = c->name;
  item->attribute = c->attr;
  item->kind = c->kind;
  switch (c->kind) {
  case LG_KIND_FIT:
    item->points = fit_points(c, lead, &missing);
    item->max_points = c->best;
    break;
  case LG_KIND_ENGAGEMENT:
    item->points = engagement_points(c, lead, upto, now, &counted);
    /* the undecayed value of the events counted, capped like the sum */
    item->max_points = abs_points(c->points) * (int64_t)counted;
    if (c->cap >= 0 && item->max_points > c->cap) item->max_points = c->cap;
    break;
  default:
    item->points = knockout_hit(c, lead, &missing) ? 1000 : 0;
    item->max_points = 1000;
    break;
  }
  item->missing = missing;
}

lg_status lg_explain(const lg_rubric *rubric, const lg_lead *lead, lg_time now,
                     lg_contribution *items, size_t cap, size_t *count) {
  uint32_t i, upto;
  if (!rubric || !lead || !count || (!items && cap > 0)) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  *count = rubric->n_crits;
  if (cap < rubric->n_crits) return LG_ERR_BUFFER;
  upto = lg__lead_events_upto(lead, now);
  for (i = 0; i < rubric->n_crits; i++) explain_one(&rubric->crits[i], lead, upto, now, &items[i]);
  return LG_OK;
}

/* ---- progressive profiling ----------------------------------------------- */

lg_status lg_next_question(const lg_rubric *rubric, const lg_lead *lead,
                           const char **attribute, lg_points *gain) {
  const lg__crit *best = NULL;
  uint32_t        i;
  if (!rubric || !lead || !attribute || !gain) return LG_ERR_INVALID;
  for (i = 0; i < rubric->n_crits; i++) {
    const lg__crit *c = &rubric->crits[i];
    /* one candidate per attribute: the first fit criterion reading it
     * carries the gain of all of them; strict > keeps rubric order on ties */
    if (c->kind != LG_KIND_FIT || !c->group_first) continue;
    if (best && c->group_gain <= best->group_gain) continue;
    if (find_attr(c, lead)) continue;
    best = c;
  }
  if (!best) return LG_ERR_NOT_FOUND;
  *attribute = best->attr;
  *gain = best->group_gain;
  return LG_OK;
}
