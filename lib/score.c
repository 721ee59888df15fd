/*
 * score.c - evaluating a rubric against a lead: lg_score_lead,
 * lg_score_many, lg_explain and lg_next_question.
 *
 * None of these allocates or writes anything but its out-parameters, so
 * they may run concurrently on shared rubrics and leads.  Scoring is the
 * hot path of batch jobs (millions of leads): it walks the lead, through
 * the plan the rubric's parse built here (lg__rubric_plan; see rubric.h),
 * so a lead's attribute or event type costs one hash probe and the
 * criteria that read it, and a criterion a few integer compares.
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
#include "plan.h"

#include <string.h>

/* ---- one criterion ------------------------------------------------------- */

/* A lead's attribute as the tests read it (see lg__test), worked out once
 * for all the tests of the attribute. */
typedef struct value {
  uint64_t    tag;    /* tag_of(type, text bytes or 0) */
  uint64_t    v;      /* int, bool; 0 for text */
  uint64_t    w0, w1; /* text: text_words; 0 otherwise */
  const char *text;   /* text */
} value;

static LG__HOT_INLINE void value_of(const lg_lead *lead, const lg__attr *a, value *v) {
  v->tag = tag_of(a->type, 0);
  v->v = (uint64_t)a->value;
  v->w0 = v->w1 = 0;
  v->text = NULL;
  if (a->type == LG__VAL_TEXT) {
    v->tag = tag_of(a->type, a->text_len);
    v->v = 0;
    v->text = lead->arena + (size_t)a->value;
    text_words(v->text, a->text_len, &v->w0, &v->w1);
  }
}

/* Whether the value passes the test, for tests of the kind `kinds`
 * (LG__TESTS_*; a constant where this is inlined, so each kind gets its
 * own loop).  Only the rare test of a text longer than 16 bytes branches
 * (on the test, so it predicts well); the compares on the lead's value,
 * as good as random from one lead to the next, are combined without
 * branches.  In a TEXT test lo and span are 0, as v is for a text; in a
 * NUMBER test the words are 0, as they are for a number. */
static LG__HOT_INLINE int passes(const lg__test *t, const value *v, int kinds) {
  int tag = v->tag == t->tag;
  if (kinds == LG__TESTS_TEXT) return tag & (v->w0 == t->w0) & (v->w1 == t->w1);
  if (kinds == LG__TESTS_NUMBER) return tag & ((v->v - t->lo <= t->span) ^ t->outside);
  if (t->long_text) return tag && same_folded(v->text, t->fold, t->text_len);
  return tag & (v->w0 == t->w0) & (v->w1 == t->w1) & ((v->v - t->lo <= t->span) ^ t->outside);
}

/* Points of a fit criterion for a present attribute, less its `missing`
 * (which the score already counted): the first passing test's, else
 * `otherwise`.  Walked backwards, every test is tried and each pass
 * selects its points through a mask, not a branch. */
static LG__HOT_INLINE int64_t fit_delta_as(const lg__test *first, uint32_t n, int64_t otherwise,
                                           const value *v, int kinds) {
  const lg__test *t = first + n;
  int64_t         points = otherwise;
  while (t-- > first) {
    int64_t mask = -(int64_t)passes(t, v, kinds);
    points = (t->points & mask) | (points & ~mask);
  }
  return points;
}

static LG__HOT_INLINE int64_t fit_delta(const lg__test *first, uint32_t n, int64_t otherwise,
                                        const value *v, int kinds) {
  switch (kinds) {
  case LG__TESTS_TEXT: return fit_delta_as(first, n, otherwise, v, LG__TESTS_TEXT);
  case LG__TESTS_NUMBER: return fit_delta_as(first, n, otherwise, v, LG__TESTS_NUMBER);
  default: return fit_delta_as(first, n, otherwise, v, LG__TESTS_MIXED);
  }
}

/* Whether a present attribute matches a knockout's tests. */
static LG__HOT_INLINE int knocks_out(const lg__test *t, uint32_t n, const value *v) {
  const lg__test *end = t + n;
  int             hit = 0;
  for (; t < end; t++) hit |= passes(t, v, LG__TESTS_MIXED);
  return hit;
}

static int64_t apply_cap(const lg__crit *c, int64_t sum) {
  if (c->cap >= 0) {
    if (sum > c->cap) return c->cap;
    if (sum < -c->cap) return -c->cap;
  }
  return sum;
}

/* Decayed, capped points of an engagement criterion from the events of
 * the lead's type number t among the first `upto` (those at or before
 * now); *counted gets how many counted.  The sum cannot overflow: at most
 * 10,000 events of at most 10^9 each. */
static int64_t engagement_value(const lg__crit *c, const lg_lead *lead, uint16_t t, uint32_t upto,
                                lg_time now, uint32_t *counted) {
  const uint16_t *type = lead->ev_type;
  uint32_t        i, last = 0;
  if (c->each)
    return apply_cap(c, lg__decay_sum(&c->rule, now, lead->ev_at, type, t, upto, counted));
  /* events are sorted by time: the last one of the type is the latest
   * (found without a branch on the type: see lg__decay_sum) */
  for (i = 0; i < upto; i++) last = type[i] == t ? i + 1 : last;
  *counted = last > 0;
  return last > 0 ? apply_cap(c, lg__decay_one(&c->rule, now - lead->ev_at[last - 1])) : 0;
}

/* ---- look-ups carried from lead to lead ----------------------------------
 * The leads of a batch mostly have the same attribute names and event
 * types, so lg_score_many remembers the key each name last resolved to
 * (NULL too) and where that name lies (in a lead of the same batch, alive
 * for the whole call): for attributes by their place in the lead (leads
 * built from the same source list them in the same order), for event
 * types, whose order is that of the lead's first events, in a small table
 * indexed by a name's length and end bytes.  A name equal to the remembered one, byte for byte, gets
 * the remembered key without hashing; any other name is looked up
 * (find_key) and replaces it.  So a batch whose leads differ in layout
 * scores the same, a little slower. */
#define HINTS 32

typedef struct hint {
  const char    *name; /* NULL: none yet */
  const lg__key *key;
  uint32_t       len;
} hint;

/* What a key's criteria make of a value (lg__vent's fit and ko; for a
 * value with no entry, vt_fit and no knockout). */
typedef struct outcome {
  int64_t  fit;
  uint32_t ko;
} outcome;

/* The same for a text's outcome through a key's value table (vt_find),
 * in one table for all keys: an entry holds for its key only.  It keeps
 * the outcome rather than the entry, so that a remembered text costs no
 * branch on whether the table has it (as good as random from one lead to
 * the next). */
#define VHINTS 64

typedef struct vhint {
  const char    *text;
  const lg__key *key; /* NULL: none yet */
  outcome        out;
  uint32_t       len;
} vhint;

typedef struct hints {
  hint  attrs[HINTS], types[HINTS];
  vhint texts[VHINTS];
} hints;

/* Names are at least one byte long ([a-z][a-z0-9_]*). */
static LG__HOT_INLINE uint32_t hint_slot(const char *name, uint32_t len) {
  return ((unsigned char)name[0] + 3u * (unsigned char)name[len - 1] + 5u * len) & (HINTS - 1);
}

/* find_key(ks, name, len), through the hint h when there is one. */
static LG__HOT_INLINE const lg__key *hinted_key(hint *h, const lg__keyset *ks, const char *name,
                                                uint32_t len) {
  if (!h) return find_key(ks, name, len);
  if (h->len == len && same(name, h->name, len)) return h->key;
  h->key = find_key(ks, name, len);
  h->name = name;
  h->len = len;
  return h->key;
}

/* ---- engagement of one lead ----------------------------------------------
 * has[k] is the lead's type index + 1 of the plan's type key k, or 0. */

/* The criteria one by one (engagement_value), in key order. */
static int64_t engagement_walk(const lg__plan *pl, const lg_lead *lead, const uint16_t *has,
                               uint32_t upto, lg_time now, int64_t *neg) {
  const lg__step *st, *end;
  uint32_t        i, counted;
  int64_t         engagement = 0, v;
  for (i = 0; i < pl->types.n; i++) {
    const lg__key *key = &pl->types.keys[i];
    if (!has[i]) continue;
    for (st = pl->steps + key->first, end = st + key->count; st < end; st++) {
      v = engagement_value(st->crit, lead, (uint16_t)(has[i] - 1), upto, now, &counted);
      engagement += v;
      if (st->crit->rule.points < 0) *neg += v;
    }
  }
  return engagement;
}

/* The same from one pass over the events (lg__decay_pass) for leads of at
 * most PASS_TYPES event types, giving each `fast` criterion that is alone
 * on its type a slot (at most PASS_SLOTS).  Exact: a slot's total is
 * lg__decay_sum's (decay.c), last[] gives a `once` criterion the same
 * latest event as engagement_value's scan, and every other criterion is
 * engagement_value itself.  ENGAGEMENT_SLOW (no sum reaches it: 1024
 * criteria of 10,000 events of 10^9 stay below 2^54) when an age is
 * beyond the pass's range. */
#define PASS_TYPES      64
#define PASS_SLOTS      16
#define ENGAGEMENT_SLOW INT64_MIN

static int64_t engagement_pass(const lg__plan *pl, const lg_lead *lead, uint32_t upto, lg_time now,
                               hint *types, int64_t *neg) {
  lg__decay_slot  slots[PASS_SLOTS + 1];
  const lg__key  *key_of[PASS_TYPES];
  uint8_t         slot_of[PASS_TYPES];
  uint32_t        last[PASS_TYPES], i, n_slots = 1, counted;
  const lg__step *st, *end;
  int64_t         engagement = 0, v;
  lg__decay_slot_init(&slots[0], NULL);
  for (i = 0; i < lead->n_types; i++) {
    const lg__evtype *t = &lead->types[i];
    const lg__key    *key = hinted_key(
           types ? types + hint_slot(lead->arena + lg__evtype_off(t), lg__evtype_len(t)) : NULL,
        &pl->types, lead->arena + lg__evtype_off(t), lg__evtype_len(t));
    key_of[i] = key;
    slot_of[i] = 0;
    last[i] = 0;
    if (!key || !key->pass || n_slots > PASS_SLOTS) continue;
    slot_of[i] = (uint8_t)n_slots;
    lg__decay_slot_init(&slots[n_slots++], &key->pass->rule);
  }
  if (!lg__decay_pass(slots, slot_of, now, lead->ev_at, lead->ev_type, upto, last))
    return ENGAGEMENT_SLOW;
  /* the lead's types in its order: the sums are of integers */
  for (i = 0; i < lead->n_types; i++) {
    const lg__key *key = key_of[i];
    if (!key) continue;
    if (slot_of[i]) { /* the key's one criterion */
      const lg__crit *c = key->pass;
      v = apply_cap(c, lg__decay_slot_total(&slots[slot_of[i]], c->rule.points));
      engagement += v;
      if (c->rule.points < 0) *neg += v;
      continue;
    }
    for (st = pl->steps + key->first, end = st + key->count; st < end; st++) {
      const lg__crit *c = st->crit;
      uint32_t        k = last[i];
      if (!c->each)
        v = k > 0 ? apply_cap(c, lg__decay_one(&c->rule, now - lead->ev_at[k - 1])) : 0;
      else
        v = engagement_value(c, lead, (uint16_t)i, upto, now, &counted);
      engagement += v;
      if (c->rule.points < 0) *neg += v;
    }
  }
  return engagement;
}

/* The engagement at now of a lead with `upto` events at or before now,
 * and in *neg the part from criteria with negative points (what
 * lg__engagement_parts splits).  has[] is scratch; types: the hints of
 * event types, or NULL. */
static int64_t engagement_of(const lg__plan *pl, const lg_lead *lead, uint32_t upto, lg_time now,
                             uint16_t *has, hint *types, int64_t *neg) {
  int64_t  engagement = ENGAGEMENT_SLOW;
  uint32_t i;
  *neg = 0;
  if (upto == 0) return 0;
  if (lead->n_types <= PASS_TYPES) engagement = engagement_pass(pl, lead, upto, now, types, neg);
  if (engagement != ENGAGEMENT_SLOW) return engagement;
  *neg = 0;
  memset(has, 0, pl->types.n * sizeof *has);
  for (i = 0; i < lead->n_types; i++) {
    const lg__evtype *t = &lead->types[i];
    const lg__key *key = find_key(&pl->types, lead->arena + lg__evtype_off(t), lg__evtype_len(t));
    if (key) has[key - pl->types.keys] = (uint16_t)(i + 1);
  }
  return engagement_walk(pl, lead, has, upto, now, neg);
}

/* The value table's entry for v, or NULL (lg__key). */
static LG__HOT_INLINE const lg__vent *vt_find(const lg__key *key, const value *v) {
  uint32_t slot = vent_slot(v->tag, v->w0, v->w1, key->vt_mask);
  for (;; slot = (slot + 1) & key->vt_mask) {
    const lg__vent *e = &key->vt[slot];
    if (e->tag == 0) return NULL;
    if (e->tag == v->tag && e->w0 == v->w0 && e->w1 == v->w1) return e;
  }
}

/* The outcome of the attribute a through its key's value table. */
static LG__HOT_INLINE outcome vt_outcome(const lg__key *key, const lg_lead *lead,
                                         const lg__attr *a) {
  value           v;
  const lg__vent *e;
  outcome         o;
  value_of(lead, a, &v);
  e = vt_find(key, &v);
  o.fit = e ? e->fit : key->vt_fit;
  o.ko = e ? e->ko : UINT32_MAX;
  return o;
}

/* vt_outcome for a text attribute, through the table h.  A text equal
 * byte for byte to the remembered one has its words, so its outcome. */
static LG__HOT_INLINE outcome hinted_outcome(vhint *h, const lg__key *key, uint32_t key_index,
                                             const lg_lead *lead, const lg__attr *a) {
  const char *text = lead->arena + (size_t)a->value;
  uint32_t    len = a->text_len;
  /* text[0] is the NUL of an empty text */
  h += (3u * (unsigned char)text[0] + len + 17u * key_index) & (VHINTS - 1);
  if (h->key == key && h->len == len && same(text, h->text, len)) return h->out;
  h->out = vt_outcome(key, lead, a);
  h->key = key;
  h->text = text;
  h->len = len;
  return h->out;
}

/* ---- scores -------------------------------------------------------------- */

/* Arguments already checked.  The lead's attributes are evaluated as they
 * are met, each against the criteria of its key; one pass over its event
 * types notes which of the rubric's type keys the lead has, then those
 * are visited in the rubric's order.  Criteria whose attribute the lead
 * lacks score `missing` (summed at parse time).  The knockout reported
 * is the lowest index among the hits, the first in text order.  h:
 * lg_score_many's look-ups carried from lead to lead, or NULL.  Stack:
 * has[] is 2 KiB of the 2.5 KiB used. */
static void score_one(const lg_rubric *r, const lg_lead *lead, lg_time now, hints *h,
                      lg_score *out) {
  const lg__plan *pl = &r->plan;
  uint16_t        has[LG__MAX_CRITERIA]; /* per key: lead index + 1, or 0 */
  const lg__step *st, *end;
  uint32_t        upto = lg__lead_events_upto(lead, now), missing = pl->n_fits, i;
  uint32_t        knockout = UINT32_MAX;
  int64_t         fit = pl->fit_missing, engagement, neg;
  /* A lead's attribute names are distinct, so each key is met at most
   * once, and the order does not matter: fit is a sum, missing a count,
   * and the knockout the lowest index that matched. */
  for (i = 0; i < lead->n_attrs; i++) {
    const lg__attr *a = &lead->attrs[i];
    const lg__key  *key = hinted_key(h && i < HINTS ? &h->attrs[i] : NULL, &pl->attrs,
                                    lead->arena + a->name, a->name_len);
    value           v;
    if (!key) continue;
    if (key->vt) { /* exact: see lg__key */
      outcome o = h && a->type == LG__VAL_TEXT
                      ? hinted_outcome(h->texts, key, (uint32_t)(key - pl->attrs.keys), lead, a)
                      : vt_outcome(key, lead, a);
      fit += o.fit;
      missing -= key->n_fit;
      if (o.ko < knockout) knockout = o.ko;
      continue;
    }
    if (key->nt && a->type == LG__VAL_INT) { /* exact: see lg__key */
      const lg__vent *e;
      uint32_t        k, below = 0;
      /* counted in an integer, not stepped through the table: the compare
       * on the lead's value is as good as random, and a count compiles to
       * a flag added in, a pointer step to a branch */
      for (k = 0; k < key->nt_n; k++) below += (uint32_t)(a->value >= key->nt_bp[k]);
      e = key->nt + below;
      fit += e->fit;
      missing -= key->n_fit;
      if (e->ko < knockout) knockout = e->ko;
      continue;
    }
    value_of(lead, a, &v);
    for (st = pl->steps + key->first, end = st + key->count; st < end; st++) {
      if (st->kind == LG_KIND_FIT) {
        fit += fit_delta(pl->tests + st->test0, st->n_tests, st->otherwise, &v, st->tests);
        missing--;
      } else if (st->ko_index < knockout && knocks_out(pl->tests + st->test0, st->n_tests, &v)) {
        knockout = st->ko_index;
      }
    }
  }
  engagement = engagement_of(pl, lead, upto, now, has, h ? h->types : NULL, &neg);
  out->fit = fit;
  out->engagement = engagement;
  out->total = fit + engagement;
  out->knocked_out = knockout != UINT32_MAX;
  out->knockout_index = out->knocked_out ? (int32_t)knockout : -1;
  out->missing_count = missing;
  out->reserved = 0;
}

lg_status lg_score_lead(const lg_rubric *rubric, const lg_lead *lead, lg_time now, lg_score *out) {
  if (!rubric || !lead || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  score_one(rubric, lead, now, NULL, out);
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

lg_status lg_score_many(const lg_rubric *rubric, const lg_lead *const *leads, size_t n, lg_time now,
                        lg_score *out) {
  size_t i;
  hints  h;
  if (!rubric || (n > 0 && (!leads || !out))) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  /* check every lead first so that a failure leaves out untouched */
  for (i = 0; i < n; i++)
    if (!leads[i]) return LG_ERR_INVALID;
  /* len 0 matches no name, key NULL no text; 3.5 KiB of stack */
  memset(&h, 0, sizeof h);
  for (i = 0; i < n; i++) {
    /* Leads of a batch live all over the heap, so a large batch is bound
     * by memory latency rather than arithmetic: fetch the lead 8 ahead,
     * and the arrays of the lead 4 ahead (its struct has arrived). */
    if (i + 8 < n) LG__PREFETCH(leads[i + 8]);
    if (i + 4 < n) prefetch_lead(leads[i + 4]);
    score_one(rubric, leads[i], now, &h, &out[i]);
  }
  return LG_OK;
}

/* ---- explanations -------------------------------------------------------- */

static lg_points abs_points(int64_t p) { return p < 0 ? -p : p; }

static void explain_one(const lg_rubric *r, const lg__crit *c, const lg_lead *lead, uint32_t upto,
                        lg_time now, lg_contribution *item) {
  const lg__attr *a = NULL;
  value           v;
  uint32_t        counted = 0;
  int32_t         t;
  item->criterion = c->name;
  item->attribute = c->attr;
  item->kind = c->kind;
  item->missing = 0;
  item->reserved[0] = item->reserved[1] = 0;
  if (c->kind != LG_KIND_ENGAGEMENT) {
    a = lg__lead_find_attr(lead, c->attr, c->attr_len);
    item->missing = a == NULL;
    if (a) value_of(lead, a, &v);
  }
  switch (c->kind) {
  case LG_KIND_FIT:
    item->points = c->missing;
    if (a)
      item->points += fit_delta(r->plan.tests + c->test0, c->n_tests, c->otherwise - c->missing, &v,
                                LG__TESTS_MIXED);
    item->max_points = c->best;
    break;
  case LG_KIND_ENGAGEMENT:
    t = upto > 0 ? lg__lead_find_type(lead, c->attr, c->attr_len) : -1;
    item->points = t < 0 ? 0 : engagement_value(c, lead, (uint16_t)t, upto, now, &counted);
    /* the undecayed value of the events counted, capped like the sum */
    item->max_points = abs_points(c->rule.points) * (int64_t)counted;
    if (c->cap >= 0 && item->max_points > c->cap) item->max_points = c->cap;
    break;
  default:
    item->points = a && knocks_out(r->plan.tests + c->test0, c->n_tests, &v) ? 1000 : 0;
    item->max_points = 1000;
    break;
  }
}

lg_status lg_explain(const lg_rubric *rubric, const lg_lead *lead, lg_time now,
                     lg_contribution *items, size_t cap, size_t *count) {
  uint32_t i, upto;
  if (!rubric || !lead || !count || (!items && cap > 0)) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  *count = rubric->n_crits;
  if (cap < rubric->n_crits) return LG_ERR_BUFFER;
  upto = lg__lead_events_upto(lead, now);
  for (i = 0; i < rubric->n_crits; i++)
    explain_one(rubric, &rubric->crits[i], lead, upto, now, &items[i]);
  return LG_OK;
}

/* ---- progressive profiling ----------------------------------------------- */

lg_status lg_next_question(const lg_rubric *rubric, const lg_lead *lead, const char **attribute,
                           lg_points *gain) {
  const lg__crit *best = NULL;
  uint32_t        i;
  if (!rubric || !lead || !attribute || !gain) return LG_ERR_INVALID;
  for (i = 0; i < rubric->n_crits; i++) {
    const lg__crit *c = &rubric->crits[i];
    /* one candidate per attribute: the first fit criterion reading it
     * carries the gain of all of them; strict > keeps rubric order on ties */
    if (c->kind != LG_KIND_FIT || !c->group_first) continue;
    if (best && c->group_gain <= best->group_gain) continue;
    if (lg__lead_find_attr(lead, c->attr, c->attr_len)) continue;
    best = c;
  }
  if (!best) return LG_ERR_NOT_FOUND;
  *attribute = best->attr;
  *gain = best->group_gain;
  return LG_OK;
}

/* ---- for decision wake-ups (wake.c) --------------------------------------
 * Read-only views of the engagement score at another instant, computed
 * exactly as score_one computes it (engagement_of, each criterion's value
 * added to the whole and, with negative points, to *neg: pos = whole -
 * neg is the sum of the others, integers all). */

void lg__engagement_parts(const lg_rubric *r, const lg_lead *lead, lg_time now, int64_t *pos,
                          int64_t *neg) {
  uint16_t has[LG__MAX_CRITERIA];
  int64_t  e = engagement_of(&r->plan, lead, lg__lead_events_upto(lead, now), now, has, NULL, neg);
  *pos = e - *neg; /* the criteria with points >= 0 */
}

void lg__rubric_decay_signs(const lg_rubric *r, int *falls, int *rises) {
  *falls = r->plan.falls;
  *rises = r->plan.rises;
}

/* The last instant at which an event of age `age` can still change its
 * value: expire and linear reach 0 at age D; a half-life value is 0 from
 * age 65 H on (2^-65 of at most 2^63 rounds to 0; decay.c). */
static lg_time settles_at(const lg__decay_rule *rule, lg_time at) {
  int64_t span = rule->kind == LG__DECAY_HALF_LIFE ? rule->span * 65 : rule->span;
  /* at >= LG_TIME_MIN and span <= 65 * 1000 years: no overflow */
  return at + span > LG_TIME_MAX ? LG_TIME_MAX : at + span;
}

void lg__engagement_trend(const lg_rubric *r, const lg_lead *lead, lg_time now, int *falls,
                          int *rises, lg_time *settled) {
  uint32_t upto = lg__lead_events_upto(lead, now), i, k;
  lg_time  last = now;
  *falls = *rises = 0;
  for (i = 0; upto > 0 && i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    int32_t         t;
    lg_time         end;
    if (c->kind != LG_KIND_ENGAGEMENT || c->rule.kind == LG__DECAY_NONE || c->rule.points == 0)
      continue;
    t = lg__lead_find_type(lead, c->attr, c->attr_len);
    if (t < 0) continue;
    /* the latest event of the type settles last, for `once` and `each` */
    for (k = upto; k > 0 && lead->ev_type[k - 1] != (uint16_t)t; k--) continue;
    if (k == 0) continue;
    end = settles_at(&c->rule, lead->ev_at[k - 1]);
    if (end <= now) continue;
    if (c->rule.points > 0)
      *falls = 1;
    else
      *rises = 1;
    if (end > last) last = end;
  }
  *settled = last;
}
