/*
 * strmap.h - a string -> values hash map for the installed programs (lead
 * ids, event types, owner names).  Standard C only; not part of the
 * library.
 *
 * Keys live in one arena as entries: two uint32 values, the key and its
 * NUL, padded to 8 bytes.  Value 0 is the key's index (0, 1, 2, ... in the
 * order added); callers may reuse both values (the events index does once
 * it is grouped).  A slot packs the key's hash (high half) and its entry's
 * offset / 8 + 1 (low half, 0 = empty), so a probe touches the arena only
 * when the hashes agree, and then one cache line holds the key and its
 * values.  Big maps are probed at random: callers hide the cache misses by
 * prefetching the slot and then the entry some lookups ahead.
 *
 * A map is not thread-safe for writing; any number of threads may read a
 * map nobody writes.
 */
#ifndef LEADGATE_EXAMPLES_STRMAP_H
#define LEADGATE_EXAMPLES_STRMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NO_INDEX UINT32_MAX

#if defined(__GNUC__) || defined(__clang__)
#  define PREFETCH(p) __builtin_prefetch(p)
#else
#  define PREFETCH(p) ((void)(p))
#endif

typedef struct strmap {
  char     *arena; /* entries, 8-byte aligned */
  size_t    arena_len, arena_cap;
  uint32_t *off; /* entry of key i is arena + off[i] */
  uint32_t  n, cap;
  uint64_t *slots; /* open addressing, linear probing, at most half full */
  uint32_t  n_slots;
} strmap;

#define ENTRY_HEAD 8 /* the two values before the key */

/* The r < 8 bytes at s as the low bytes of a little-endian word, zeros
 * above: s[0] | s[1] << 8 | ...  Reads only s[0..r). */
static inline uint64_t load_tail(const char *s, size_t r) {
  uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t a, b;
  if (r >= 4) { /* two loads that may overlap */
    memcpy(&a, s, 4);
    memcpy(&b, s + r - 4, 4);
    return (uint64_t)a | ((uint64_t)b >> (8 * (8 - r))) << 32;
  }
  if (r)
    w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[r >> 1] << (8 * (r >> 1)) |
        (uint64_t)(unsigned char)s[r - 1] << (8 * (r - 1));
#else
  size_t i;
  for (i = 0; i < r; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
#endif
  return w;
}

/* The 8 bytes at s as a word in memory order. */
static inline uint64_t load_word(const char *s) {
  uint64_t w;
  memcpy(&w, s, 8);
  return w;
}

/* A hash of the n bytes at s, a word at a time (the CSV reader gives the
 * field lengths), with the MurmurHash3 finalizer.  Only this run compares
 * hashes, so the byte order of the words does not matter. */
static inline uint32_t hash_key(const char *s, size_t n) {
  uint64_t h = (uint64_t)n * UINT64_C(0x9E3779B97F4A7C15);
  for (; n >= 8; s += 8, n -= 8) {
    h = (h ^ load_word(s)) * UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 32;
  }
  h ^= load_tail(s, n);
  h ^= h >> 33;
  h *= UINT64_C(0xFF51AFD7ED558CCD);
  h ^= h >> 33;
  h *= UINT64_C(0xC4CEB9FE1A85EC53);
  h ^= h >> 33;
  return (uint32_t)h;
}

/* Whether the stored key k is s (len bytes, no NUL among them; s[len] is
 * not read), a word at a time: a stored key is 8-byte aligned, ends in a
 * NUL and is padded with zeros to a multiple of 8 bytes, so its word that
 * holds s's last bytes is those bytes and zeros exactly when k == s (a
 * longer k has no zero at len, a shorter one has it before len, where s
 * has none).  Words of k past its NUL are never read. */
static inline int key_eq(const char *k, const char *s, size_t len) {
  size_t i;
  for (i = 0; i + 8 <= len; i += 8)
    if (load_word(k + i) != load_word(s + i)) return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return load_word(k + i) == load_tail(s + i, len - i);
#else
  for (; i < len; i++)
    if (k[i] != s[i]) return 0;
  return k[len] == '\0';
#endif
}

static inline char *slot_entry(const strmap *m, uint64_t slot) {
  return m->arena + (size_t)((uint32_t)slot - 1) * 8;
}

static inline uint32_t entry_value(const char *e, int which) {
  uint32_t v;
  memcpy(&v, e + 4 * which, sizeof v);
  return v;
}

static inline void entry_set(char *e, int which, uint32_t v) {
  memcpy(e + 4 * which, &v, sizeof v);
}

static inline const char *strmap_key(const strmap *m, uint32_t i) {
  return m->arena + m->off[i] + ENTRY_HEAD;
}

/* The entry of key s (length len, hash h), or NULL. */
static inline char *strmap_find_h(const strmap *m, const char *s, size_t len, uint32_t h) {
  uint32_t mask = m->n_slots - 1, i;
  if (!m->n_slots) return NULL;
  for (i = h & mask; m->slots[i]; i = (i + 1) & mask) {
    uint64_t slot = m->slots[i];
    if ((uint32_t)(slot >> 32) == h) {
      char *e = slot_entry(m, slot);
      if (key_eq(e + ENTRY_HEAD, s, len)) return e;
    }
  }
  return NULL;
}

/* Hints for a lookup of hash h coming soon: first its slot, then (once
 * the slot is in the cache) the entry the slot points to. */
static inline void strmap_prefetch_slot(const strmap *m, uint32_t h) {
  if (m->n_slots) PREFETCH(&m->slots[h & (m->n_slots - 1)]);
}

static inline void strmap_prefetch_entry(const strmap *m, uint32_t h) {
  uint32_t mask = m->n_slots - 1, i;
  if (!m->n_slots) return;
  for (i = h & mask; m->slots[i]; i = (i + 1) & mask)
    if ((uint32_t)(m->slots[i] >> 32) == h) {
      PREFETCH(slot_entry(m, m->slots[i]));
      return;
    }
}

void strmap_free(strmap *m);
/* Keys are given as s and their length len: s need not be NUL-terminated
 * but holds no NUL byte. */

/* Adds key s (length len, hash h), which is not in the map yet; its index
 * goes to *index.  -1 when out of memory. */
int strmap_add(strmap *m, const char *s, size_t len, uint32_t h, uint32_t *index);
/* Index of key s (length len, hash h), adding it when new.  -1 when out of
 * memory. */
static inline int strmap_intern(strmap *m, const char *s, size_t len, uint32_t h, uint32_t *index) {
  const char *e = strmap_find_h(m, s, len, h);
  if (!e) return strmap_add(m, s, len, h, index);
  *index = entry_value(e, 0);
  return 0;
}

#endif /* LEADGATE_EXAMPLES_STRMAP_H */
