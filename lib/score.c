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
#include "rubric.h"

#include <string.h>

#if defined(__GNUC__)
#  define LG__PREFETCH(p) __builtin_prefetch(p)
#else
#  define LG__PREFETCH(p) ((void)(p))
#endif
/* The tests run many times per lead; as calls, their prologues would cost
 * more than their bodies (measured with callgrind).  Coverage builds
 * define LG_NO_FORCED_INLINE so that each helper is measured once. */
#if defined(__GNUC__) && !defined(LG_NO_FORCED_INLINE)
#  define LG__HOT_INLINE  __attribute__((always_inline)) inline
#else
#  define LG__HOT_INLINE  inline
#endif

/* ---- bytes ---------------------------------------------------------------
 * Names and texts are compared a word at a time: the last word overlaps
 * the one before it instead of a byte loop, and lengths 4 to 7 take two
 * overlapping 4-byte words. */

static LG__HOT_INLINE uint64_t load64(const char *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  return x;
}

static LG__HOT_INLINE uint64_t load32(const char *p) {
  uint32_t x;
  memcpy(&x, p, 4);
  return x;
}

/* Every ASCII letter of x lower-cased, other bytes (UTF-8 included) kept:
 * bit 7 of ge_a / gt_z tells whether a byte's low seven bits are >= 'A' /
 * > 'Z' (no carry crosses a byte), and bytes with bit 7 set are not
 * ASCII. */
#define LG__BYTES(b) (UINT64_C(0x0101010101010101) * (uint64_t)(b))
static LG__HOT_INLINE uint64_t lower64(uint64_t x) {
  uint64_t low7 = x & LG__BYTES(0x7f);
  uint64_t ge_a = low7 + LG__BYTES(0x80 - 'A'), gt_z = low7 + LG__BYTES(0x80 - 'Z' - 1);
  return x | ((ge_a & ~gt_z & ~x & LG__BYTES(0x80)) >> 2);
}

static LG__HOT_INLINE int lower(int c) { return (unsigned)(c - 'A') < 26u ? c + 32 : c; }

/* Whether s[0..n) equals b[0..n). */
static LG__HOT_INLINE int same(const char *s, const char *b, size_t n) {
  size_t i;
  if (n >= 8) {
    for (i = 0; i + 8 < n; i += 8)
      if (load64(s + i) != load64(b + i)) return 0;
    return load64(s + n - 8) == load64(b + n - 8);
  }
  if (n >= 4) return load32(s) == load32(b) && load32(s + n - 4) == load32(b + n - 4);
  for (i = 0; i < n; i++)
    if (s[i] != b[i]) return 0;
  return 1;
}

/* Whether the text s[0..n), lower-cased, equals b[0..n), for n > 16. */
static int same_folded(const char *s, const char *b, size_t n) {
  size_t i;
  for (i = 0; i + 8 < n; i += 8)
    if (lower64(load64(s + i)) != load64(b + i)) return 0;
  return lower64(load64(s + n - 8)) == load64(b + n - 8);
}

/* The bytes of a text of n <= 16 bytes as two words, lower-cased: equal
 * texts of equal length give equal words.  Reads only s[0..n] (s[n] is a
 * NUL), and takes no branch on n: the case that does not apply reads from
 * `zeros` instead, and the result is picked by conditional moves.  For
 * n > 16 the words are of no use but harmless. */
#define LG__WORD_TEXT 16
static const char zeros[16];
static LG__HOT_INLINE void text_words(const char *s, size_t n, uint64_t *w0, uint64_t *w1) {
  int         big = n >= 8, mid = n >= 4;
  const char *p8 = big ? s : zeros, *p4 = mid ? s : zeros;
  uint64_t    w_big0 = load64(p8), w_big1 = load64(p8 + (big ? n - 8 : 0));
  uint64_t    w_mid = load32(p4) | load32(p4 + (mid ? n - 4 : 0)) << 32;
  uint64_t    b1 = (unsigned char)s[n > 1], b2 = (unsigned char)s[n > 2 ? 2 : 0];
  uint64_t    w_small = (unsigned char)s[0] | (n > 1 ? b1 << 8 : 0) | (n > 2 ? b2 << 16 : 0);
  *w0 = lower64(big ? w_big0 : mid ? w_mid : w_small);
  *w1 = big ? lower64(w_big1) : 0;
}

/* ---- the plan: keys ------------------------------------------------------
 * A key is found by a hash of its name's length and its first and last
 * four bytes (names sharing a prefix, such as email_open and email_click,
 * or a suffix, still spread), then compared byte by byte. */

static LG__HOT_INLINE uint32_t key_slot(const lg__keyset *ks, const char *name, uint32_t len) {
  uint64_t x;
  if (len >= 4)
    x = load32(name) | load32(name + len - 4) << 32;
  else /* name[len] is the NUL */
    x = (unsigned char)name[0] | (uint64_t)(unsigned char)name[len > 1] << 8 |
        (uint64_t)(unsigned char)name[len > 2 ? 2 : 0] << 16;
  /* Fibonacci hashing: the top bits of the product are the best mixed */
  return (uint32_t)(((x ^ len) * UINT64_C(0x9e3779b97f4a7c15)) >> ks->shift);
}

/* The key named name[0..len), or NULL when the rubric does not read it. */
static LG__HOT_INLINE const lg__key *find_key(const lg__keyset *ks, const char *name,
                                              uint32_t len) {
  uint32_t slot, k;
  for (slot = key_slot(ks, name, len); (k = ks->table[slot]) != 0;
       slot = (slot + 1) & ks->mask) {
    const lg__key *key = &ks->keys[k - 1];
    if (key->len == len && same(name, key->name, len)) return key;
  }
  return NULL;
}

/* ---- the plan: building it ----------------------------------------------- */

/* Bytes of each part of the plan's block, in the order they are laid out
 * (alignment falls from 8 to 1). */
typedef struct plan_sizes {
  size_t tests, steps, attr_keys, type_keys, attr_table, type_table, fold;
} plan_sizes;

/* At most an eighth full: probes rarely meet another key. */
static size_t table_bytes(uint32_t keys) {
  size_t n = 8;
  while (n < 8 * (size_t)keys) n *= 2;
  return n * sizeof(uint16_t);
}

static void table_init(lg__keyset *ks, uint16_t *table, size_t bytes) {
  uint32_t bits = 0;
  ks->table = table;
  ks->mask = (uint32_t)(bytes / sizeof *table) - 1;
  while ((ks->mask >> bits) != 0) bits++;
  ks->shift = 64 - bits;
}

/* The match list number j of a fit (its when lines) or knockout (j = 0). */
static const lg__match_list *crit_list(const lg__crit *c, uint32_t j) {
  return c->kind == LG_KIND_KNOCKOUT ? &c->ko : &c->whens[j].list;
}

static uint32_t crit_lists(const lg__crit *c) {
  return c->kind == LG_KIND_KNOCKOUT ? 1 : c->n_whens;
}

static void plan_measure(const lg_rubric *r, plan_sizes *z) {
  uint32_t i, j, k, n_attr = 0, n_type = 0;
  size_t   tests = 0, fold = 0;
  for (i = 0; i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    if (c->kind == LG_KIND_ENGAGEMENT) {
      n_type++;
      continue;
    }
    n_attr++;
    for (j = 0; j < crit_lists(c); j++) {
      const lg__match_list *m = crit_list(c, j);
      tests += m->n;
      for (k = 0; k < m->n; k++) fold += m->items[k].text_len;
    }
  }
  z->tests = tests * sizeof(lg__test);
  z->attr_keys = n_attr * sizeof(lg__key);
  z->type_keys = n_type * sizeof(lg__key);
  z->steps = r->n_crits * sizeof(lg__step);
  z->attr_table = table_bytes(n_attr);
  z->type_table = table_bytes(n_type);
  z->fold = fold;
}

/* The index of c->attr's key in ks, added if new. */
static uint32_t key_for(lg__keyset *ks, const lg__crit *c) {
  uint32_t       len = (uint32_t)c->attr_len, slot;
  const lg__key *found = find_key(ks, c->attr, len);
  lg__key       *key;
  if (found) return (uint32_t)(found - ks->keys);
  key = &ks->keys[ks->n];
  key->name = c->attr;
  key->len = len;
  slot = key_slot(ks, c->attr, len);
  while (ks->table[slot]) slot = (slot + 1) & ks->mask;
  ks->table[slot] = (uint16_t)++ks->n;
  return ks->n - 1;
}

/* A value's type and text length in one word, compared at once. */
static LG__HOT_INLINE uint64_t tag_of(unsigned type, size_t text_len) {
  return (uint64_t)type << 32 | (uint64_t)text_len;
}

/* Appends c's match items to the tests at *next, their text to *fold. */
static void add_tests(lg__plan *pl, lg__crit *c, uint32_t *next, char **fold) {
  uint32_t j, k;
  size_t   b;
  c->test0 = *next;
  for (j = 0; j < crit_lists(c); j++) {
    const lg__match_list *m = crit_list(c, j);
    for (k = 0; k < m->n; k++) {
      const lg__match *it = &m->items[k];
      lg__test        *t = &pl->tests[(*next)++];
      t->points = c->kind == LG_KIND_FIT ? c->whens[j].points - c->missing : 0;
      t->tag = tag_of(it->vtype, it->vtype == LG__VAL_TEXT ? it->text_len : 0);
      t->outside = it->outside;
      if (it->vtype == LG__VAL_TEXT) {
        t->text_len = (uint32_t)it->text_len;
        t->long_text = it->text_len > LG__WORD_TEXT;
        text_words(it->text, it->text_len, &t->w0, &t->w1);
        t->fold = *fold;
        for (b = 0; b < it->text_len; b++) (*fold)[b] = (char)lower((unsigned char)it->text[b]);
        *fold += it->text_len;
      } else if (it->lo <= it->hi) {
        t->lo = (uint64_t)it->lo;
        t->span = (uint64_t)it->hi - (uint64_t)it->lo;
      } else if (it->outside) { /* != a fraction: every number */
        t->lo = (uint64_t)INT64_MIN;
        t->span = UINT64_MAX;
        t->outside = 0;
      } else {                  /* = a fraction: no number */
        t->tag = tag_of(0xff, 0); /* no value's type */
      }
    }
  }
  c->n_tests = *next - c->test0;
}

/* LG__TESTS_TEXT when every test is a text of up to 16 bytes, NUMBER
 * when none is a text, else MIXED: the scorer then skips the compares
 * that cannot matter. */
static uint8_t tests_kind(const lg__test *t, uint32_t n) {
  uint32_t i, text = 0, numbers = 0;
  for (i = 0; i < n; i++) {
    if (t[i].tag >> 32 != LG__VAL_TEXT)
      numbers++;
    else if (!t[i].long_text)
      text++;
  }
  return text == n ? LG__TESTS_TEXT : numbers == n ? LG__TESTS_NUMBER : LG__TESTS_MIXED;
}

/* Gives each key its range of steps[] (attribute keys first), then fills
 * the ranges in text order. */
static void plan_steps(lg_rubric *r) {
  lg__plan *pl = &r->plan;
  uint32_t  i, pos = 0, ko = 0;
  for (i = 0; i < pl->attrs.n; i++) {
    pl->attrs.keys[i].first = pos;
    pos += pl->attrs.keys[i].count;
    pl->attrs.keys[i].count = 0;
  }
  for (i = 0; i < pl->types.n; i++) {
    pl->types.keys[i].first = pos;
    pos += pl->types.keys[i].count;
    pl->types.keys[i].count = 0;
  }
  for (i = 0; i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    lg__key  *key = &(c->kind == LG_KIND_ENGAGEMENT ? &pl->types : &pl->attrs)->keys[c->key];
    lg__step *st = &pl->steps[key->first + key->count++];
    st->crit = c;
    st->kind = (uint8_t)c->kind;
    st->test0 = c->test0;
    st->n_tests = c->n_tests;
    st->tests = tests_kind(pl->tests + c->test0, c->n_tests);
    st->otherwise = c->otherwise - c->missing;
    if (c->kind == LG_KIND_KNOCKOUT) st->ko_index = ko++;
  }
}

lg_status lg__rubric_plan(lg_rubric *r) {
  lg__plan  *pl = &r->plan;
  plan_sizes z;
  uint32_t   i, next = 0;
  char      *block, *fold;
  memset(pl, 0, sizeof *pl);
  plan_measure(r, &z);
  block = lg__calloc(1, z.tests + z.steps + z.attr_keys + z.type_keys + z.attr_table +
                            z.type_table + z.fold);
  if (!block) return LG_ERR_NOMEM;
  pl->block = block;
  pl->tests = (lg__test *)(void *)block;
  pl->steps = (lg__step *)(void *)(block += z.tests);
  pl->attrs.keys = (lg__key *)(void *)(block += z.steps);
  pl->types.keys = (lg__key *)(void *)(block += z.attr_keys);
  table_init(&pl->attrs, (uint16_t *)(void *)(block += z.type_keys), z.attr_table);
  table_init(&pl->types, (uint16_t *)(void *)(block += z.attr_table), z.type_table);
  fold = block + z.type_table;
  for (i = 0; i < r->n_crits; i++) {
    lg__crit *c = &r->crits[i];
    if (c->kind == LG_KIND_ENGAGEMENT) {
      c->key = key_for(&pl->types, c);
      pl->types.keys[c->key].count++;
      continue;
    }
    c->key = key_for(&pl->attrs, c);
    pl->attrs.keys[c->key].count++;
    add_tests(pl, c, &next, &fold);
    if (c->kind == LG_KIND_FIT) {
      pl->n_fits++;
      pl->fit_missing += c->missing;
    }
  }
  plan_steps(r);
  return LG_OK;
}

void lg__rubric_plan_free(lg_rubric *r) {
  lg__free(r->plan.block);
  memset(&r->plan, 0, sizeof r->plan);
}

/* ---- one criterion ------------------------------------------------------- */

/* A lead's attribute as the tests read it (see lg__test), worked out once
 * for all the tests of the attribute. */
typedef struct value {
  uint64_t    tag;      /* tag_of(type, text bytes or 0) */
  uint64_t    v;        /* int, bool; 0 for text */
  uint64_t    w0, w1;   /* text: text_words; 0 otherwise */
  const char *text;     /* text */
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
static int64_t engagement_value(const lg__crit *c, const lg_lead *lead, uint16_t t,
                                uint32_t upto, lg_time now, uint32_t *counted) {
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

/* ---- scores -------------------------------------------------------------- */

/* Arguments already checked.  One pass over the lead's attributes and one
 * over its event types note which of the rubric's keys the lead has; then
 * the keys are visited in the rubric's order, so the branches of the
 * evaluation follow the same pattern lead after lead.  Criteria whose
 * attribute the lead lacks score `missing` (summed at parse time).
 * Knockouts are met key by key, so the lowest index among the hits is the
 * first in text order.  Stack: has[] is 2 KiB of the 2.3 KiB used. */
static void score_one(const lg_rubric *r, const lg_lead *lead, lg_time now, lg_score *out) {
  const lg__plan *pl = &r->plan;
  uint16_t        has[LG__MAX_CRITERIA]; /* per key: lead index + 1, or 0 */
  const lg__step *st, *end;
  uint32_t        upto = lg__lead_events_upto(lead, now), missing = pl->n_fits, i, counted;
  uint32_t        knockout = UINT32_MAX;
  int64_t         fit = pl->fit_missing, engagement = 0;
  memset(has, 0, pl->attrs.n * sizeof *has);
  for (i = 0; i < lead->n_attrs; i++) {
    const lg__attr *a = &lead->attrs[i];
    const lg__key  *key = find_key(&pl->attrs, lead->arena + a->name, a->name_len);
    if (key) has[key - pl->attrs.keys] = (uint16_t)(i + 1);
  }
  for (i = 0; i < pl->attrs.n; i++) {
    const lg__key *key = &pl->attrs.keys[i];
    value          v;
    if (!has[i]) continue;
    value_of(lead, &lead->attrs[has[i] - 1], &v);
    for (st = pl->steps + key->first, end = st + key->count; st < end; st++) {
      if (st->kind == LG_KIND_FIT) {
        fit += fit_delta(pl->tests + st->test0, st->n_tests, st->otherwise, &v, st->tests);
        missing--;
      } else if (st->ko_index < knockout && knocks_out(pl->tests + st->test0, st->n_tests, &v)) {
        knockout = st->ko_index;
      }
    }
  }
  if (upto > 0) {
    memset(has, 0, pl->types.n * sizeof *has);
    for (i = 0; i < lead->n_types; i++) {
      const lg__evtype *t = &lead->types[i];
      const lg__key    *key = find_key(&pl->types, lead->arena + lg__evtype_off(t),
                                       lg__evtype_len(t));
      if (key) has[key - pl->types.keys] = (uint16_t)(i + 1);
    }
    for (i = 0; i < pl->types.n; i++) {
      const lg__key *key = &pl->types.keys[i];
      if (!has[i]) continue;
      for (st = pl->steps + key->first, end = st + key->count; st < end; st++)
        engagement += engagement_value(st->crit, lead, (uint16_t)(has[i] - 1), upto, now,
                                       &counted);
    }
  }
  out->fit = fit;
  out->engagement = engagement;
  out->total = fit + engagement;
  out->knocked_out = knockout != UINT32_MAX;
  out->knockout_index = out->knocked_out ? (int32_t)knockout : -1;
  out->missing_count = missing;
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

static void explain_one(const lg_rubric *r, const lg__crit *c, const lg_lead *lead,
                        uint32_t upto, lg_time now, lg_contribution *item) {
  const lg__attr *a = NULL;
  value           v;
  uint32_t        counted = 0;
  int32_t         t;
  item->criterion = c->name;
  item->attribute = c->attr;
  item->kind = c->kind;
  item->missing = 0;
  if (c->kind != LG_KIND_ENGAGEMENT) {
    a = lg__lead_find_attr(lead, c->attr, c->attr_len);
    item->missing = a == NULL;
    if (a) value_of(lead, a, &v);
  }
  switch (c->kind) {
  case LG_KIND_FIT:
    item->points = c->missing;
    if (a)
      item->points += fit_delta(r->plan.tests + c->test0, c->n_tests, c->otherwise - c->missing,
                                &v, LG__TESTS_MIXED);
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
    if (lg__lead_find_attr(lead, c->attr, c->attr_len)) continue;
    best = c;
  }
  if (!best) return LG_ERR_NOT_FOUND;
  *attribute = best->attr;
  *gain = best->group_gain;
  return LG_OK;
}
