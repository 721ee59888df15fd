/*
 * learn.c - lg_learn_rubric: a rubric learned from won and lost leads.
 *
 * The model is naive Bayes written as points.  For bucket b of attribute a
 * (a kept text value, an integer bin, true/false, `otherwise`, `missing`):
 *
 *   points_b = round(scale * log2( ((won_b + 1) / (won + k)) /
 *                                  ((lost_b + 1) / (lost + k)) ))
 *
 * k being the attribute's number of buckets (add-one smoothing), so that
 * a lead's fit is scale * (log2 odds - prior log2 odds) under the naive
 * assumption that attributes are independent given the outcome.
 *
 * Buckets, per attribute (documented in full in leadgate.h):
 *   - the type: the one most leads have (text, int, bool; a tie goes to
 *     the lower lg_value_type); values of the other types are `otherwise`;
 *   - text: ASCII-case-insensitive values (the scorer's rule), counted in
 *     a hash table of lower-cased keys; values seen at least min_count
 *     times and writable in a rubric string (no byte below 0x20, no 0x7f)
 *     are kept, most frequent first, ties in byte order of the lower-cased
 *     value, at most max_values; the rest are `otherwise`;
 *   - int: quantile bins (-inf, e1], (e1, e2], ..., (e_last, +inf): with at
 *     most `bins` distinct values every value but the largest is an edge;
 *     otherwise e_j is the smallest value with at least ceil(j N / bins)
 *     of the N values at or below it, equal edges merge (a tie never
 *     straddles two bins) and an edge at the largest value is dropped;
 *   - bool: `true`, `false`.
 *
 * Cost: one pass over the leads (a hash probe per text value, an append
 * per integer), then per integer attribute an LSD radix sort of its
 * values; the rest is per bucket.
 *
 * Integer fixed-point log2 (no libm, no floating point anywhere here).
 * For x >= 1 with e = floor(log2 x), m = x / 2^e in [1, 2) is held as a
 * Q63 number and the 48 fraction bits come from repeated squaring: square
 * m (the exact 128-bit product, truncated to Q63); if the square is >= 2,
 * the next bit is 1 and it is halved.  Error bound: writing r_i for
 * log2 of the i-th computed m and eps_i < 2^-63 for the relative
 * truncation of step i,
 *     log2(m) = sum_{i<=48} b_i 2^-i + 2^-48 r_48 - sum_i 2^-i log2(1 - eps_i)
 * with 0 <= r_48 < 1 and the last sum in [0, 1.45 * 2^-63), so the result
 * is below the exact value by less than 2^-48 * (1 + 2^-14).  A bucket's
 * log2 ratio adds four such logarithms, so it is within 2^-46.99 of the
 * exact value; times scale <= 10^6 (< 2^20) that is < 8e-9 milli-points
 * before the one final rounding (to nearest, ties away from zero, on the
 * magnitude).
 *
 * Determinism: every step is integer arithmetic whose result C fixes
 * (unsigned 64-bit products of 32-bit halves, shifts of non-negative
 * values); there is one code path, no 128-bit type and no floating point,
 * so every build on every platform computes the same bits and writes the
 * same text.  The rounded points are also the correctly rounded exact
 * value except when that lies within 8e-9 of a half milli-point: the exact
 * value is an integer (a power-of-two ratio) or irrational (log2 of any
 * other rational), never exactly a half.
 */
#include "internal.h"

#include <string.h>

#define LEARN_MAX_VALUES  256u /* when lines a criterion may have */
#define LEARN_MAX_SCALE   INT64_C(1000000)
#define LEARN_MAX_ATTRS   1024u /* criteria a rubric may have */
#define LEARN_MIN_OUTCOME 10u
#define LEARN_EDGE_LIMIT  INT64_C(1000000000000000) /* match numbers: +-10^15 */
#define Q                 48                        /* fraction bits of the fixed-point log2 */

/* ---- fixed-point log2 ---------------------------------------------------- */

/* The top 64 bits of m * m shifted so that a Q63 m gives a Q63 square when
 * the square is below 2 (*ge2 = 0) or half the square when it is not. */
static uint64_t square_q63(uint64_t m, int *ge2) {
  uint64_t a1 = m >> 32, a0 = m & 0xffffffffu;
  uint64_t hh = a1 * a1, mid = a1 * a0, ll = a0 * a0;
  /* m*m = hh 2^64 + 2 mid 2^32 + ll; mid < 2^64, so add it twice */
  uint64_t lo = ll, hi = hh, t;
  t = mid << 32;
  lo += t;
  hi += (mid >> 32) + (lo < t);
  t = mid << 32;
  lo += t;
  hi += (mid >> 32) + (lo < t);
  /* the square is hi:lo / 2^126 */
  if (hi >> 63) {
    *ge2 = 1;
    return hi; /* (hi:lo >> 64) / 2^63 = square / 2 */
  }
  *ge2 = 0;
  return hi << 1 | lo >> 63;
}

/* log2(x) in Q48 for x >= 1 (see the top of the file for the bound). */
static int64_t log2_q48(uint64_t x) {
  int      e = 63, i;
  uint64_t m, frac = 0;
  while (!(x >> e)) e--;
  m = x << (63 - e);
  for (i = 0; i < Q; i++) {
    int bit;
    m = square_q63(m, &bit);
    frac = frac << 1 | (uint64_t)bit;
  }
  return (int64_t)((uint64_t)e << Q | frac);
}

/* round(v * s / 2^48) for |v| < 2^62 and 0 <= s < 2^20, to nearest with
 * ties away from zero, in 64-bit pieces: v = hi 2^32 + lo. */
static int64_t scale_q48(int64_t v, int64_t s) {
  uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t hs = (mag >> 32) * (uint64_t)s, ls = (mag & 0xffffffffu) * (uint64_t)s;
  /* mag*s = hs 2^32 + ls; hs < 2^50 and ls < 2^52 */
  uint64_t low = ((hs & 0xffffu) << 32) + ls + ((uint64_t)1 << (Q - 1));
  uint64_t r = (hs >> 16) + (low >> Q);
  return v < 0 ? -(int64_t)r : (int64_t)r;
}

/* ---- per-attribute tallies --------------------------------------------- */

typedef struct text_entry {
  uint64_t hash;
  uint64_t won, lost; /* won + lost == 0 marks an empty slot */
  size_t   key;       /* offset of the lower-cased value in keys */
  size_t   len;
} text_entry;

typedef struct tally {
  const char *name;
  size_t      name_len;
  uint64_t    type_count[4]; /* leads with a value of each LG__VAL_* type */
  uint64_t    missing[2];    /* [converted] */
  uint64_t    boolean[2][2]; /* [value][converted] */
  text_entry *slots;         /* open addressing, power-of-two size */
  size_t      n_slots, n_used;
  char       *keys;
  size_t      keys_len, keys_cap;
  int64_t    *ints[2]; /* [converted]: the integer values */
  size_t      n_ints[2];
} tally;

/* A bucket as written: a when line, `otherwise` or `missing`. */
enum { B_TEXT, B_INT, B_INT_ALL, B_TRUE, B_FALSE, B_OTHERWISE, B_MISSING };

typedef struct bucket {
  int         kind;
  uint64_t    won, lost;
  lg_points   points;
  const char *text; /* B_TEXT: lower-cased value (in the tally's keys) */
  size_t      len;
  int64_t     lo, hi; /* B_INT: [lo, hi], INT64_MIN / INT64_MAX for an open
                         end; B_INT_ALL (one bin): lo == hi, the value */
} bucket;

typedef struct criterion {
  const tally *t;
  int          type;    /* LG__VAL_* the attribute was learned as */
  bucket      *buckets; /* the when lines, then otherwise, then missing */
  size_t       n;
} criterion;

typedef struct model {
  const char *name;
  size_t      name_len;
  uint64_t    won, lost;
  lg_points   scale;
  criterion  *crit;
  size_t      n_crit;
} model;

static void tally_free(tally *t) {
  lg__free(t->slots);
  lg__free(t->keys);
  lg__free(t->ints[0]);
  lg__free(t->ints[1]);
}

static unsigned char lower(unsigned char c) {
  return (unsigned)(c - 'A') < 26u ? (unsigned char)(c + 32) : c;
}

static uint64_t hash_lower(const char *s, size_t n) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t   i;
  for (i = 0; i < n; i++) h = (h ^ lower((unsigned char)s[i])) * UINT64_C(0x100000001b3);
  return h;
}

/* Doubles the table (or makes it); entries keep their keys. */
static lg_status slots_grow(tally *t) {
  size_t      n = t->n_slots ? t->n_slots * 2 : 64, i;
  text_entry *s = lg__calloc(n, sizeof *s);
  if (!s) return LG_ERR_NOMEM;
  for (i = 0; i < t->n_slots; i++) {
    const text_entry *e = &t->slots[i];
    size_t            j;
    if (e->won + e->lost == 0) continue;
    for (j = (size_t)e->hash & (n - 1); s[j].won + s[j].lost; j = (j + 1) & (n - 1)) {
    }
    s[j] = *e;
  }
  lg__free(t->slots);
  t->slots = s;
  t->n_slots = n;
  return LG_OK;
}

static lg_status tally_text(tally *t, const char *s, size_t n, int converted) {
  uint64_t    h = hash_lower(s, n);
  size_t      j, i;
  text_entry *e;
  if ((t->n_used + 1) * 2 > t->n_slots) {
    lg_status st = slots_grow(t);
    if (st != LG_OK) return st;
  }
  for (j = (size_t)h & (t->n_slots - 1);; j = (j + 1) & (t->n_slots - 1)) {
    e = &t->slots[j];
    if (e->won + e->lost == 0) break;
    if (e->hash == h && e->len == n && lg__ascii_ieq(t->keys + e->key, s, n)) {
      if (converted)
        e->won++;
      else
        e->lost++;
      return LG_OK;
    }
  }
  if (n > t->keys_cap - t->keys_len) {
    size_t cap = t->keys_cap ? t->keys_cap : 256;
    char  *k;
    while (cap - t->keys_len < n) {
      if (cap > SIZE_MAX / 2) return LG_ERR_NOMEM;
      cap *= 2;
    }
    k = lg__realloc(t->keys, cap);
    if (!k) return LG_ERR_NOMEM;
    t->keys = k;
    t->keys_cap = cap;
  }
  for (i = 0; i < n; i++) t->keys[t->keys_len + i] = (char)lower((unsigned char)s[i]);
  e->hash = h;
  e->key = t->keys_len;
  e->len = n;
  e->won = converted ? 1 : 0;
  e->lost = converted ? 0 : 1;
  t->keys_len += n;
  t->n_used++;
  return LG_OK;
}

/* One lead's value of the attribute, if any. */
static lg_status tally_lead(tally *t, const lg_lead *lead, int c, const uint64_t outcome[2]) {
  const lg__attr *a = lg__lead_find_attr(lead, t->name, t->name_len);
  if (!a) {
    t->missing[c]++;
    return LG_OK;
  }
  t->type_count[a->type]++;
  switch (a->type) {
  case LG__VAL_TEXT: return tally_text(t, lg__lead_str(lead, (uint32_t)a->value), a->text_len, c);
  case LG__VAL_INT:
    if (!t->ints[c]) {
      /* at most one value a lead: the outcome's total is enough */
      t->ints[c] = lg__calloc((size_t)outcome[c], sizeof(int64_t));
      if (!t->ints[c]) return LG_ERR_NOMEM;
    }
    t->ints[c][t->n_ints[c]++] = a->value;
    return LG_OK;
  default: t->boolean[a->value != 0][c]++; return LG_OK;
  }
}

/* ---- integer bins ---------------------------------------------------------- */

/* Sorts v[0..n) ascending: LSD radix, 8 bits a pass, skipping the passes
 * in which every key has the same digit; tmp holds n values. */
static void radix_sort(int64_t *v, int64_t *tmp, size_t n) {
  static const uint64_t flip = (uint64_t)1 << 63;
  size_t                count[8][256];
  size_t                i;
  int                   d;
  int64_t              *src = v, *dst = tmp;
  memset(count, 0, sizeof count);
  for (i = 0; i < n; i++) {
    uint64_t u = (uint64_t)v[i] ^ flip;
    for (d = 0; d < 8; d++) count[d][(u >> (8 * d)) & 0xff]++;
  }
  for (d = 0; d < 8; d++) {
    size_t   sum = 0, j, *c = count[d];
    int64_t *swap;
    if (n == 0 || c[((uint64_t)v[0] ^ flip) >> (8 * d) & 0xff] == n) continue;
    for (j = 0; j < 256; j++) {
      size_t k = c[j];
      c[j] = sum;
      sum += k;
    }
    for (i = 0; i < n; i++) {
      uint64_t u = (uint64_t)src[i] ^ flip;
      dst[c[(u >> (8 * d)) & 0xff]++] = src[i];
    }
    swap = src;
    src = dst;
    dst = swap;
  }
  if (src != v) memcpy(v, src, n * sizeof *v);
}

/* Walks the two sorted value lists as one list of distinct values. */
typedef struct walk {
  const int64_t *v[2];
  size_t         n[2], i[2];
} walk;

/* The next distinct value and how many of each outcome have it; 0 at the
 * end. */
static int walk_next(walk *w, int64_t *value, uint64_t count[2]) {
  int     c;
  int64_t x;
  if (w->i[0] == w->n[0] && w->i[1] == w->n[1]) return 0;
  if (w->i[0] == w->n[0])
    x = w->v[1][w->i[1]];
  else if (w->i[1] == w->n[1])
    x = w->v[0][w->i[0]];
  else
    x = w->v[0][w->i[0]] < w->v[1][w->i[1]] ? w->v[0][w->i[0]] : w->v[1][w->i[1]];
  for (c = 0; c < 2; c++) {
    size_t s = w->i[c];
    while (w->i[c] < w->n[c] && w->v[c][w->i[c]] == x) w->i[c]++;
    count[c] = w->i[c] - s;
  }
  *value = x;
  return 1;
}

static void walk_start(walk *w, const tally *t) {
  w->v[0] = t->ints[0];
  w->v[1] = t->ints[1];
  w->n[0] = t->n_ints[0];
  w->n[1] = t->n_ints[1];
  w->i[0] = w->i[1] = 0;
}

/* ceil(j * n / b) without overflow (j <= b). */
static uint64_t ceil_frac(uint64_t j, uint64_t n, uint64_t b) {
  return j * (n / b) + (j * (n % b) + b - 1) / b;
}

/* The upper edges of the bins (at most bins - 1 of them, ascending) into
 * edges; returns how many. */
static size_t int_edges(const tally *t, uint32_t bins, int64_t *edges) {
  walk     w;
  int64_t  v, max = 0;
  uint64_t cnt[2], total = (uint64_t)t->n_ints[0] + t->n_ints[1], seen = 0, distinct = 0;
  size_t   n_edges = 0;
  uint32_t j = 1;
  walk_start(&w, t);
  while (walk_next(&w, &v, cnt)) {
    distinct++;
    max = v;
  }
  walk_start(&w, t);
  while (walk_next(&w, &v, cnt)) {
    seen += cnt[0] + cnt[1];
    if (v == max) break;
    if (distinct <= bins) {
      edges[n_edges++] = v;
      continue;
    }
    /* targets ceil(j N / bins) reached at this value make it an edge */
    if (j < bins && seen >= ceil_frac(j, total, bins)) {
      edges[n_edges++] = v;
      while (j < bins && seen >= ceil_frac(j, total, bins)) j++;
    }
  }
  return n_edges;
}

/* ---- choosing the buckets -------------------------------------------------- */

/* 1 if entry a goes before entry b among kept values. */
static int kept_before(const tally *t, const text_entry *a, const text_entry *b) {
  uint64_t ca = a->won + a->lost, cb = b->won + b->lost;
  size_t   n = a->len < b->len ? a->len : b->len;
  int      c;
  if (ca != cb) return ca > cb;
  c = n ? memcmp(t->keys + a->key, t->keys + b->key, n) : 0;
  return c < 0 || (c == 0 && a->len < b->len);
}

static int writable(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
  return 1;
}

static int majority_type(const tally *t) {
  int type = LG__VAL_TEXT, i;
  for (i = LG__VAL_INT; i <= LG__VAL_BOOL; i++)
    if (t->type_count[i] > t->type_count[type]) type = i;
  return type;
}

static void add_count(bucket *b, uint64_t won, uint64_t lost) {
  b->won += won;
  b->lost += lost;
}

/* The when-line buckets of a text attribute into b (room for max_values);
 * returns how many, adding every other text value to *other. */
static size_t text_buckets(const tally *t, uint32_t max_values, uint32_t min_count, bucket *b,
                           bucket *other) {
  const text_entry *top[LEARN_MAX_VALUES];
  size_t            n = 0, i, j;
  for (i = 0; i < t->n_slots; i++) {
    const text_entry *e = &t->slots[i];
    if (e->won + e->lost == 0) continue;
    if (e->won + e->lost < min_count || !writable(t->keys + e->key, e->len)) {
      add_count(other, e->won, e->lost);
      continue;
    }
    if (n == max_values && !kept_before(t, e, top[n - 1])) {
      add_count(other, e->won, e->lost);
      continue;
    }
    if (n == max_values) {
      add_count(other, top[n - 1]->won, top[n - 1]->lost);
      n--;
    }
    for (j = n; j > 0 && kept_before(t, e, top[j - 1]); j--) top[j] = top[j - 1];
    top[j] = e;
    n++;
  }
  for (i = 0; i < n; i++) {
    b[i].kind = B_TEXT;
    b[i].won = top[i]->won;
    b[i].lost = top[i]->lost;
    b[i].text = t->keys + top[i]->key;
    b[i].len = top[i]->len;
  }
  return n;
}

/* The bins of an integer attribute into b; LG_ERR_RANGE for an edge that
 * a rubric cannot write. */
static lg_status int_buckets(tally *t, uint32_t bins, bucket *b, size_t *count) {
  int64_t  edges[LEARN_MAX_VALUES];
  size_t   n_edges, i, k = 0;
  walk     w;
  int64_t  v = 0;
  uint64_t cnt[2];
  n_edges = int_edges(t, bins, edges);
  for (i = 0; i < n_edges; i++)
    if (edges[i] > LEARN_EDGE_LIMIT || edges[i] < -LEARN_EDGE_LIMIT) return LG_ERR_RANGE;
  for (i = 0; i <= n_edges; i++) {
    b[i].kind = B_INT;
    b[i].lo = i ? edges[i - 1] + 1 : INT64_MIN;
    b[i].hi = i < n_edges ? edges[i] : INT64_MAX;
  }
  walk_start(&w, t);
  while (walk_next(&w, &v, cnt)) {
    while (k < n_edges && v > edges[k]) k++;
    add_count(&b[k], cnt[1], cnt[0]);
  }
  if (n_edges == 0) { /* one bin for every integer: `when <= v, > v` */
    b[0].kind = B_INT_ALL;
    b[0].lo = b[0].hi = v;
  }
  *count = n_edges + 1;
  return LG_OK;
}

/* Sorts the attribute's integers (one temporary of the larger list; an
 * attribute learned as int has at least one). */
static lg_status sort_ints(tally *t) {
  size_t   n = t->n_ints[0] > t->n_ints[1] ? t->n_ints[0] : t->n_ints[1];
  int64_t *tmp = lg__calloc(n, sizeof *tmp);
  if (!tmp) return LG_ERR_NOMEM;
  radix_sort(t->ints[0], tmp, t->n_ints[0]);
  radix_sort(t->ints[1], tmp, t->n_ints[1]);
  lg__free(tmp);
  return LG_OK;
}

/* Works out one criterion's buckets and points. */
static lg_status build_criterion(tally *t, const lg_learn_options *o, uint64_t won, uint64_t lost,
                                 lg_points scale, criterion *c) {
  bucket   *b;
  bucket    other, missing;
  size_t    n = 0, i;
  int64_t   lw, ll;
  lg_status st;
  memset(&other, 0, sizeof other);
  memset(&missing, 0, sizeof missing);
  c->t = t;
  c->type = majority_type(t);
  b = lg__calloc((size_t)LEARN_MAX_VALUES + 2, sizeof *b);
  if (!b) return LG_ERR_NOMEM;
  if (c->type == LG__VAL_TEXT) {
    n = text_buckets(t, o->max_values, o->min_count, b, &other);
  } else {
    for (i = 0; i < t->n_slots; i++) add_count(&other, t->slots[i].won, t->slots[i].lost);
  }
  if (c->type == LG__VAL_INT) {
    if ((st = sort_ints(t)) != LG_OK || (st = int_buckets(t, o->bins, b, &n)) != LG_OK) {
      lg__free(b);
      return st;
    }
  } else {
    add_count(&other, (uint64_t)t->n_ints[1], (uint64_t)t->n_ints[0]);
  }
  if (c->type == LG__VAL_BOOL) {
    b[0].kind = B_TRUE;
    add_count(&b[0], t->boolean[1][1], t->boolean[1][0]);
    b[1].kind = B_FALSE;
    add_count(&b[1], t->boolean[0][1], t->boolean[0][0]);
    n = 2;
  } else {
    add_count(&other, t->boolean[0][1] + t->boolean[1][1], t->boolean[0][0] + t->boolean[1][0]);
  }
  other.kind = B_OTHERWISE;
  missing.kind = B_MISSING;
  add_count(&missing, t->missing[1], t->missing[0]);
  b[n++] = other;
  b[n++] = missing;
  /* k = n buckets; each point value adds four logarithms */
  lw = log2_q48(won + n);
  ll = log2_q48(lost + n);
  for (i = 0; i < n; i++)
    b[i].points = scale_q48(log2_q48(b[i].won + 1) - lw - log2_q48(b[i].lost + 1) + ll, scale);
  c->buckets = b;
  c->n = n;
  return LG_OK;
}

/* ---- the text ------------------------------------------------------------ */

static void put_bucket(lg__buf *b, const bucket *k) {
  switch (k->kind) {
  case B_TEXT:
    lg__buf_puts(b, "  when ");
    lg__buf_quoted(b, k->text, k->len);
    break;
  case B_INT:
    lg__buf_puts(b, "  when ");
    if (k->lo == INT64_MIN) {
      lg__buf_puts(b, "<= ");
      lg__buf_int(b, k->hi);
    } else if (k->hi == INT64_MAX) {
      lg__buf_puts(b, "> ");
      lg__buf_int(b, k->lo - 1);
    } else if (k->lo == k->hi) {
      lg__buf_int(b, k->lo);
    } else {
      lg__buf_int(b, k->lo);
      lg__buf_puts(b, "..");
      lg__buf_int(b, k->hi);
    }
    break;
  case B_INT_ALL:
    lg__buf_puts(b, "  when <= ");
    lg__buf_int(b, k->hi);
    lg__buf_puts(b, ", > ");
    lg__buf_int(b, k->hi);
    break;
  case B_TRUE: lg__buf_puts(b, "  when true"); break;
  case B_FALSE: lg__buf_puts(b, "  when false"); break;
  case B_OTHERWISE: lg__buf_puts(b, "  otherwise"); break;
  default: lg__buf_puts(b, "  missing"); break;
  }
  lg__buf_puts(b, " -> ");
  lg__buf_milli(b, k->points);
  lg__buf_puts(b, "  # ");
  lg__buf_int(b, (int64_t)k->won);
  lg__buf_puts(b, " converted, ");
  lg__buf_int(b, (int64_t)k->lost);
  lg__buf_puts(b, " not\n");
}

/* Per mille of part / whole, rounded (whole > 0, part <= whole). */
static int64_t per_mille(uint64_t part, uint64_t whole) {
  while (whole > UINT64_MAX / 1000) {
    part >>= 1;
    whole >>= 1;
  }
  return (int64_t)((part * 1000 + whole / 2) / whole);
}

static const char *const type_names[] = { "", "text", "int", "bool" };

static void render(const void *obj, lg__buf *b) {
  const model *m = obj;
  int64_t      prior = log2_q48(m->won) - log2_q48(m->lost);
  size_t       i, j;
  int64_t      pct = per_mille(m->won, m->won + m->lost);
  lg__buf_puts(b, "rubric ");
  lg__buf_quoted(b, m->name, m->name_len);
  lg__buf_puts(b, "\n# Learned from ");
  lg__buf_int(b, (int64_t)(m->won + m->lost));
  lg__buf_puts(b, " leads (");
  lg__buf_int(b, (int64_t)m->won);
  lg__buf_puts(b, " converted, ");
  lg__buf_int(b, (int64_t)m->lost);
  lg__buf_puts(b, " not): naive Bayes weight of evidence,\n# add-one smoothing, fit = ");
  lg__buf_milli(b, m->scale);
  lg__buf_puts(b, " x (log2 odds - prior log2 odds) points\n");
  lg__buf_puts(b, "# prior ");
  lg__buf_int(b, pct / 10);
  lg__buf_putc(b, '.');
  lg__buf_int(b, pct % 10);
  lg__buf_puts(b, "% (log2 odds ");
  lg__buf_milli(b, scale_q48(prior, 1000));
  lg__buf_puts(b, "); modelled conversion reaches 10% at fit ");
  lg__buf_milli(b, scale_q48(-log2_q48(9) - prior, m->scale));
  lg__buf_puts(b, ", 25% at ");
  lg__buf_milli(b, scale_q48(-log2_q48(3) - prior, m->scale));
  lg__buf_puts(b, ", 50% at ");
  lg__buf_milli(b, scale_q48(-prior, m->scale));
  lg__buf_putc(b, '\n');
  for (i = 0; i < m->n_crit; i++) {
    const criterion *c = &m->crit[i];
    lg__buf_puts(b, "fit ");
    lg__buf_quoted(b, c->t->name, c->t->name_len);
    lg__buf_puts(b, " from ");
    lg__buf_put(b, c->t->name, c->t->name_len);
    lg__buf_puts(b, "  # ");
    lg__buf_puts(b, type_names[c->type]);
    lg__buf_puts(b, ", ");
    lg__buf_int(b, (int64_t)c->n);
    lg__buf_puts(b, " buckets\n");
    for (j = 0; j < c->n; j++) put_bucket(b, &c->buckets[j]);
  }
}

/* ---- the entry point ------------------------------------------------------ */

static lg_status check_name(const char *name, size_t *len) {
  size_t n = 0;
  if (!name) return LG_ERR_INVALID;
  while (n <= LG_MAX_NAME_BYTES && name[n]) n++;
  if (n == 0 || n > LG_MAX_NAME_BYTES || !lg__utf8_valid(name, n) || !writable(name, n))
    return LG_ERR_INVALID;
  *len = n;
  return LG_OK;
}

static lg_status check_options(const lg_learn_options *in, lg_learn_options *o) {
  memset(o, 0, sizeof *o);
  if (in) *o = *in;
  if (o->reserved != 0 || o->max_values > LEARN_MAX_VALUES || o->bins > LEARN_MAX_VALUES ||
      o->scale < 0 || o->scale > LEARN_MAX_SCALE)
    return LG_ERR_INVALID;
  if (!o->max_values) o->max_values = 16;
  if (!o->bins) o->bins = 5;
  if (!o->min_count) o->min_count = 20;
  if (!o->scale) o->scale = 1000;
  return LG_OK;
}

/* Attribute names: valid and each once. */
static lg_status check_attributes(const char *const *attributes, size_t n, tally *t) {
  size_t i, j, len;
  for (i = 0; i < n; i++) {
    const char *a = attributes[i];
    if (!a) return LG_ERR_INVALID;
    len = 0;
    while (len <= LG_MAX_NAME_BYTES && a[len]) len++;
    if (!lg__name_valid(a, len)) return LG_ERR_INVALID;
    for (j = 0; j < i; j++)
      if (t[j].name_len == len && memcmp(t[j].name, a, len) == 0) return LG_ERR_INVALID;
    t[i].name = a;
    t[i].name_len = len;
  }
  return LG_OK;
}

static void model_free(model *m, tally *t, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (m->crit) lg__free(m->crit[i].buckets);
    tally_free(&t[i]);
  }
  lg__free(m->crit);
  lg__free(t);
}

/* Renders into the caller's buffer under lg_rubric_to_text's contract,
 * refusing a text the parser would refuse (over 1 MiB). */
static lg_status write_text(const model *m, char *buf, size_t cap, size_t *needed) {
  lg__buf b;
  lg__buf_init(&b, NULL, 0);
  render(m, &b);
  if (b.len > LG__MAX_TEXT_INPUT) return LG_ERR_LIMIT;
  return lg__render_text(render, m, buf, cap, needed);
}

lg_status lg_learn_rubric(const lg_lead *const *leads, const int32_t *converted, size_t n,
                          const char *const *attributes, size_t n_attributes, const char *name,
                          const lg_learn_options *options, char *buf, size_t cap, size_t *needed) {
  lg_learn_options o;
  model            m;
  tally           *t;
  uint64_t         outcome[2] = { 0, 0 };
  size_t           i, a;
  lg_status        st;

  memset(&m, 0, sizeof m);
  if ((!leads && n > 0) || (!converted && n > 0) || !attributes || n_attributes == 0 ||
      (!buf && cap > 0))
    return LG_ERR_INVALID;
  if ((st = check_name(name, &m.name_len)) != LG_OK) return st;
  if ((st = check_options(options, &o)) != LG_OK) return st;
  for (i = 0; i < n; i++) {
    if (!leads[i] || (converted[i] != 0 && converted[i] != 1)) return LG_ERR_INVALID;
    outcome[converted[i]]++;
  }
  if (n_attributes > LEARN_MAX_ATTRS) return LG_ERR_LIMIT;
  t = lg__calloc(n_attributes, sizeof *t);
  if (!t) return LG_ERR_NOMEM;
  if ((st = check_attributes(attributes, n_attributes, t)) != LG_OK) {
    lg__free(t);
    return st;
  }
  if (outcome[0] < LEARN_MIN_OUTCOME || outcome[1] < LEARN_MIN_OUTCOME) {
    lg__free(t);
    return LG_ERR_RANGE;
  }
  m.name = name;
  m.won = outcome[1];
  m.lost = outcome[0];
  m.scale = o.scale;
  m.n_crit = n_attributes;
  for (i = 0; i < n; i++)
    for (a = 0; a < n_attributes; a++)
      if ((st = tally_lead(&t[a], leads[i], converted[i], outcome)) != LG_OK) goto done;
  m.crit = lg__calloc(n_attributes, sizeof *m.crit);
  if (!m.crit) {
    st = LG_ERR_NOMEM;
    goto done;
  }
  for (a = 0; a < n_attributes; a++)
    if ((st = build_criterion(&t[a], &o, m.won, m.lost, m.scale, &m.crit[a])) != LG_OK) goto done;
  st = write_text(&m, buf, cap, needed);
done:
  model_free(&m, t, n_attributes);
  return st;
}
