/*
 * plan.c - builds the scoring plan a rubric's parse ends with
 * (lg__rubric_plan; the structures are described in rubric.h): the
 * rubric's attribute names and event types in small hash tables, each
 * criterion as a step, and its match items as flat tests, so that the
 * scorer (score.c) walks the lead rather than the rubric.
 */
#include "plan.h"

/* ---- the plan: building it ----------------------------------------------- */

/* Bytes of each part of the plan's block, in the order they are laid out
 * (alignment falls from 8 to 1). */
typedef struct plan_sizes {
  size_t tests, vt, nt_bp, nt, steps, attr_keys, type_keys, attr_table, type_table, fold;
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
  /* value tables: a key of k tests gets at most 4 k + 2 slots (vt_build) */
  z->vt = (4 * tests + 2 * (size_t)n_attr) * sizeof(lg__vent);
  /* number tables: a key of k tests has at most 2 k points, 2 k + 1
   * entries (nt_build) */
  z->nt_bp = 2 * tests * sizeof(int64_t);
  z->nt = (2 * tests + (size_t)n_attr) * sizeof(lg__vent);
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
  raw_words(c->attr, len, &key->w0, &key->w1);
  slot = key_slot(ks, key->w0, key->w1, len);
  while (ks->table[slot]) slot = (slot + 1) & ks->mask;
  ks->table[slot] = (uint16_t)++ks->n;
  return ks->n - 1;
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
      } else {                    /* = a fraction: no number */
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
    lg__key        *key = &(c->kind == LG_KIND_ENGAGEMENT ? &pl->types : &pl->attrs)->keys[c->key];
    lg__step       *st = &pl->steps[key->first + key->count++];
    st->crit = c;
    st->kind = (uint8_t)c->kind;
    st->test0 = c->test0;
    st->n_tests = c->n_tests;
    st->tests = tests_kind(pl->tests + c->test0, c->n_tests);
    st->otherwise = c->otherwise - c->missing;
    if (c->kind == LG_KIND_KNOCKOUT) st->ko_index = ko++;
    st->fast = (uint8_t)(c->kind == LG_KIND_ENGAGEMENT && c->each && lg__decay_fast_rule(&c->rule));
  }
  for (i = 0; i < pl->attrs.n; i++) pl->attrs.keys[i].pass = NULL;
  for (i = 0; i < pl->types.n; i++) {
    lg__key *key = &pl->types.keys[i];
    key->pass = key->count == 1 && pl->steps[key->first].fast ? pl->steps[key->first].crit : NULL;
  }
}

/* ---- value tables (lg__key.vt) --------------------------------------------- */

/* Whether a value with the triple (tag, w0, w1) passes test t, for a
 * short text test: the scorer's passes() for LG__TESTS_TEXT. */
static int vent_passes(const lg__test *t, const lg__vent *e) {
  return t->tag == e->tag && t->w0 == e->w0 && t->w1 == e->w1;
}

/* Adds to a table entry what criterion st makes of its value, whose
 * first passing test is `hit` (NULL: none), as the scorer's step loop
 * would: a fit criterion's first passing test, else `otherwise`; a
 * knockout that any test passes. */
static void entry_add(lg__vent *e, const lg__step *st, const lg__test *hit) {
  if (st->kind == LG_KIND_FIT)
    e->fit += hit ? hit->points : st->otherwise;
  else if (hit && st->ko_index < e->ko)
    e->ko = st->ko_index;
}

/* Gives the key a table at *next (slots: a power of two, at least twice
 * its tests, so at most 4 k + 2 as plan_measure counts) when all its
 * criteria's tests are short texts, with one entry per distinct triple of
 * its tests and what each criterion makes of it, worked out as the
 * scorer's step loop would: a fit criterion's first passing test, else
 * `otherwise`; a knockout that any test passes. */
static void vt_build(lg__plan *pl, lg__key *key, lg__vent **next) {
  const lg__step *st, *end = pl->steps + key->first + key->count;
  uint32_t        n_tests = 0, slots = 2, j, k;
  for (st = pl->steps + key->first; st < end; st++) {
    if (st->tests != LG__TESTS_TEXT) return;
    n_tests += st->n_tests;
    if (st->kind == LG_KIND_FIT) key->vt_fit += st->otherwise;
  }
  while (slots < 2 * n_tests) slots *= 2;
  key->vt = *next;
  key->vt_mask = slots - 1;
  *next += slots;
  for (st = pl->steps + key->first; st < end; st++)
    for (j = 0; j < st->n_tests; j++) {
      const lg__test *t = &pl->tests[st->test0 + j];
      uint32_t        slot = vent_slot(t->tag, t->w0, t->w1, key->vt_mask);
      lg__vent       *e;
      for (; (e = &key->vt[slot])->tag != 0; slot = (slot + 1) & key->vt_mask)
        if (vent_passes(t, e)) break;
      if (e->tag != 0) continue; /* a triple met before */
      e->tag = t->tag;
      e->w0 = t->w0;
      e->w1 = t->w1;
      e->ko = UINT32_MAX;
    }
  for (k = 0; k <= key->vt_mask; k++) {
    lg__vent *e = &key->vt[k];
    if (e->tag == 0) continue;
    for (st = pl->steps + key->first; st < end; st++) {
      const lg__test *t = pl->tests + st->test0, *t_end = t + st->n_tests;
      while (t < t_end && !vent_passes(t, e)) t++;
      entry_add(e, st, t < t_end ? t : NULL);
    }
  }
}

/* ---- number tables (lg__key.nt) -------------------------------------------- */

#define NT_MAX 16 /* points; more are left to the step loop */

/* Whether an int v passes test t: the scorer's passes() for
 * LG__TESTS_NUMBER and an int value. */
static int nt_passes(const lg__test *t, int64_t v) {
  return t->tag == tag_of(LG__VAL_INT, 0) && (((uint64_t)v - t->lo <= t->span) ^ t->outside);
}

/* Adds p to the ascending, distinct points bp[0 .. *n). */
static void nt_point(int64_t *bp, uint32_t *n, int64_t p) {
  uint32_t i = *n;
  while (i > 0 && bp[i - 1] > p) i--;
  if (i > 0 && bp[i - 1] == p) return;
  memmove(bp + i + 1, bp + i, (*n - i) * sizeof *bp);
  bp[i] = p;
  (*n)++;
}

/* Gives the key a number table at *bp_next, *next when all its
 * criteria's tests are numbers.  A test passes the ints of the arc lo,
 * lo + 1, ..., lo + span (mod 2^64), so its outcome changes only at lo
 * and at lo + span + 1: between two neighbouring points (and before the
 * first) every test, and so every criterion, has one outcome, worked out
 * here at the first int of the stretch as the scorer's step loop would
 * (see vt_build). */
static void nt_build(lg__plan *pl, lg__key *key, int64_t **bp_next, lg__vent **next) {
  const lg__step *st, *end = pl->steps + key->first + key->count;
  int64_t        *bp = *bp_next;
  lg__vent       *tab = *next;
  uint32_t        n = 0, k, j;
  for (st = pl->steps + key->first; st < end; st++) {
    if (st->tests != LG__TESTS_NUMBER) return;
    for (j = 0; j < st->n_tests; j++) {
      const lg__test *t = &pl->tests[st->test0 + j];
      if (t->tag != tag_of(LG__VAL_INT, 0) || t->span == UINT64_MAX) continue;
      nt_point(bp, &n, (int64_t)t->lo);
      nt_point(bp, &n, (int64_t)(t->lo + t->span + 1u));
    }
  }
  if (n > NT_MAX) return;
  key->nt_bp = bp;
  key->nt = tab;
  key->nt_n = n;
  *bp_next += n;
  *next += n + 1;
  for (k = 0; k <= n; k++) {
    lg__vent *e = &tab[k];
    int64_t   v = k == 0 ? INT64_MIN : bp[k - 1];
    e->ko = UINT32_MAX;
    for (st = pl->steps + key->first; st < end; st++) {
      const lg__test *t = pl->tests + st->test0, *t_end = t + st->n_tests;
      while (t < t_end && !nt_passes(t, v)) t++;
      entry_add(e, st, t < t_end ? t : NULL);
    }
  }
}

lg_status lg__rubric_plan(lg_rubric *r) {
  lg__plan  *pl = &r->plan;
  plan_sizes z;
  uint32_t   i, next = 0;
  char      *block, *fold;
  lg__vent  *vt, *nt;
  int64_t   *nt_bp;
  memset(pl, 0, sizeof *pl);
  plan_measure(r, &z);
  block = lg__calloc(1, z.tests + z.vt + z.nt_bp + z.nt + z.steps + z.attr_keys + z.type_keys +
                            z.attr_table + z.type_table + z.fold);
  if (!block) return LG_ERR_NOMEM;
  pl->block = block;
  pl->tests = (lg__test *)(void *)block;
  vt = (lg__vent *)(void *)(block += z.tests);
  nt_bp = (int64_t *)(void *)(block += z.vt);
  nt = (lg__vent *)(void *)(block += z.nt_bp);
  pl->steps = (lg__step *)(void *)(block += z.nt);
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
      pl->attrs.keys[c->key].n_fit++;
      pl->n_fits++;
      pl->fit_missing += c->missing;
    }
  }
  plan_steps(r);
  for (i = 0; i < pl->attrs.n; i++) {
    vt_build(pl, &pl->attrs.keys[i], &vt);
    nt_build(pl, &pl->attrs.keys[i], &nt_bp, &nt);
  }
  /* lg__rubric_decay_signs: decaying engagement criteria by their sign */
  for (i = 0; i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    if (c->kind != LG_KIND_ENGAGEMENT || c->rule.kind == LG__DECAY_NONE || c->rule.points == 0)
      continue;
    if (c->rule.points > 0)
      pl->falls = 1;
    else
      pl->rises = 1;
  }
  return LG_OK;
}

void lg__rubric_plan_free(lg_rubric *r) {
  lg__free(r->plan.block);
  memset(&r->plan, 0, sizeof r->plan);
}
