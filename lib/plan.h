/*
 * plan.h - what the scoring plan's builder (plan.c) and the scorer
 * (score.c) share: word-at-a-time byte helpers and the key hash, inline
 * because the scorer runs them many times per lead.
 */
#ifndef LG_PLAN_H
#define LG_PLAN_H

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
#  define LG__HOT_INLINE __attribute__((always_inline)) inline
#else
#  define LG__HOT_INLINE inline
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
    if (n <= 16) return load64(s) == load64(b) && load64(s + n - 8) == load64(b + n - 8);
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
static inline int same_folded(const char *s, const char *b, size_t n) {
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
static const char zeros[16] = { 0 };
/* The same words without lower-casing (raw_words): names, which are
 * lower case already.  For n <= 16 they hold every byte, so equal words
 * and lengths mean equal bytes. */
static LG__HOT_INLINE void raw_words(const char *s, size_t n, uint64_t *w0, uint64_t *w1) {
  int         big = n >= 8, mid = n >= 4;
  const char *p8 = big ? s : zeros, *p4 = mid ? s : zeros;
  uint64_t    w_big0 = load64(p8), w_big1 = load64(p8 + (big ? n - 8 : 0));
  uint64_t    w_mid = load32(p4) | load32(p4 + (mid ? n - 4 : 0)) << 32;
  uint64_t    b1 = (unsigned char)s[n > 1], b2 = (unsigned char)s[n > 2 ? 2 : 0];
  uint64_t    w_small = (unsigned char)s[0] | (n > 1 ? b1 << 8 : 0) | (n > 2 ? b2 << 16 : 0);
  *w0 = big ? w_big0 : mid ? w_mid : w_small;
  *w1 = big ? w_big1 : 0;
}

static LG__HOT_INLINE void text_words(const char *s, size_t n, uint64_t *w0, uint64_t *w1) {
  raw_words(s, n, w0, w1);
  *w0 = lower64(*w0);
  *w1 = lower64(*w1); /* 0 stays 0 */
}

/* ---- the plan: keys ------------------------------------------------------
 * A key is found by a hash of its name's length and raw_words (its first
 * and last eight bytes), then compared: a name of up to 16 bytes by its
 * words alone (they hold all of it), a longer one byte by byte. */

static LG__HOT_INLINE uint32_t key_slot(const lg__keyset *ks, uint64_t w0, uint64_t w1,
                                        uint32_t len) {
  uint64_t x = w0 ^ (w1 * UINT64_C(0xff51afd7ed558ccd)) ^ len;
  /* Fibonacci hashing: the top bits of the product are the best mixed */
  return (uint32_t)((x * UINT64_C(0x9e3779b97f4a7c15)) >> ks->shift);
}

/* The key named name[0..len) (name[len] is a NUL), or NULL when the
 * rubric does not read it. */
static LG__HOT_INLINE const lg__key *find_key(const lg__keyset *ks, const char *name,
                                              uint32_t len) {
  uint32_t slot, k;
  uint64_t w0, w1;
  raw_words(name, len, &w0, &w1);
  for (slot = key_slot(ks, w0, w1, len); (k = ks->table[slot]) != 0; slot = (slot + 1) & ks->mask) {
    const lg__key *key = &ks->keys[k - 1];
    if (key->len == len && key->w0 == w0 && key->w1 == w1 &&
        (len <= LG__WORD_TEXT || same(name, key->name, len)))
      return key;
  }
  return NULL;
}

/* The value table's slot of a value's triple (lg__vent). */
static LG__HOT_INLINE uint32_t vent_slot(uint64_t tag, uint64_t w0, uint64_t w1, uint32_t mask) {
  uint64_t x = (w0 ^ (w1 * UINT64_C(0xff51afd7ed558ccd)) ^ tag) * UINT64_C(0x9e3779b97f4a7c15);
  return (uint32_t)(x >> 40) & mask;
}

/* A value's type and text length in one word, compared at once. */
static LG__HOT_INLINE uint64_t tag_of(unsigned type, size_t text_len) {
  return (uint64_t)type << 32 | (uint64_t)text_len;
}

#endif /* LG_PLAN_H */
