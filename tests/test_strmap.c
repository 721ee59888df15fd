/*
 * test_strmap.c - the programs' string map (examples/cli/strmap.h, .c):
 * the hash against a byte-at-a-time rendering of its definition, keys
 * that are not NUL-terminated, keys that are prefixes of one another (the
 * word-wise compare), two keys of the same hash, and how evenly the hash
 * spreads lead ids like the reference data's and ids built to look alike.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

/* hash_key as strmap.h defines it, a byte at a time: the words are the
 * bytes in little-endian order, the last one zero-filled. */
static uint32_t hash_ref(const unsigned char *s, size_t n) {
  uint64_t h = (uint64_t)n * UINT64_C(0x9E3779B97F4A7C15), w;
  size_t   i;
  for (; n >= 8; s += 8, n -= 8) {
    for (w = 0, i = 0; i < 8; i++) w |= (uint64_t)s[i] << (8 * i);
    h = (h ^ w) * UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 32;
  }
  for (w = 0, i = 0; i < n; i++) w |= (uint64_t)s[i] << (8 * i);
  h ^= w;
  h ^= h >> 33;
  h *= UINT64_C(0xFF51AFD7ED558CCD);
  h ^= h >> 33;
  h *= UINT64_C(0xC4CEB9FE1A85EC53);
  h ^= h >> 33;
  return (uint32_t)h;
}

static int little_endian(void) {
  const uint16_t one = 1;
  unsigned char  b;
  memcpy(&b, &one, 1);
  return b == 1;
}

static void the_hash_is_its_definition(void **state) {
  unsigned char buf[64 + 8];
  size_t        n, k;
  uint32_t      seed = 12345;
  (void)state;
  if (!little_endian()) skip(); /* the words then differ: only this run compares them */
  for (k = 0; k < 200; k++)
    for (n = 0; n <= 40; n++) {
      size_t i;
      for (i = 0; i < sizeof buf; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (unsigned char)(seed >> 16 | 1); /* no NUL */
      }
      /* at an odd address too, and with other bytes after the key */
      assert_int_equal(hash_key((const char *)buf + k % 8, n), hash_ref(buf + k % 8, n));
    }
}

/* Keys that are prefixes of one another, looked up through pointers into a
 * longer buffer (no NUL after them): each finds itself only. */
static void prefixes_are_other_keys(void **state) {
  static const char text[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
  strmap            m;
  size_t            n, len;
  (void)state;
  memset(&m, 0, sizeof m);
  for (n = 1; n <= 40; n += 2) { /* the odd lengths only */
    uint32_t ix;
    assert_int_equal(strmap_add(&m, text, n, hash_key(text, n), &ix), 0);
    assert_int_equal(ix, (uint32_t)(n / 2));
    assert_int_equal(strlen(strmap_key(&m, ix)), n);
  }
  for (len = 0; len <= 41; len++) {
    const char *e = strmap_find_h(&m, text, len, hash_key(text, len));
    if (len % 2 == 1 && len <= 40) {
      assert_non_null(e);
      assert_int_equal(entry_value(e, 0), (uint32_t)(len / 2));
    } else {
      assert_null(e);
    }
  }
  for (len = 1; len <= 40; len++) { /* the same hash, another key: compared, not equal */
    const char *k = strmap_key(&m, (uint32_t)((len - 1) / 2));
    size_t      kl = strlen(k);
    char        other[48];
    memcpy(other, text, len);
    other[len - 1] = '!';
    assert_int_equal(key_eq(k, other, kl < len ? kl : len), kl < len ? 1 : 0);
    assert_int_equal(key_eq(k, text, len), kl == len);
  }
  strmap_free(&m);
}

typedef struct hashed {
  uint32_t h, i;
} hashed;

static int by_hash(const void *a, const void *b) {
  const hashed *x = a, *y = b;
  if (x->h != y->h) return x->h < y->h ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

/* Two lead ids of the same 32-bit hash (found by search: among 300,000
 * ids there are about ten such pairs) live side by side. */
static void keys_of_the_same_hash(void **state) {
  enum { N = 300000 };
  hashed  *v = malloc(N * sizeof *v);
  char     a[16], b[16];
  uint32_t i, ia, ib, again;
  strmap   m;
  (void)state;
  assert_non_null(v);
  for (i = 0; i < N; i++) {
    char id[16];
    snprintf(id, sizeof id, "L-%07u", (unsigned)i);
    v[i].h = hash_key(id, strlen(id));
    v[i].i = i;
  }
  qsort(v, N, sizeof *v, by_hash);
  for (i = 1; i < N && v[i].h != v[i - 1].h; i++) {
  }
  assert_true(i < N);
  snprintf(a, sizeof a, "L-%07u", (unsigned)v[i - 1].i);
  snprintf(b, sizeof b, "L-%07u", (unsigned)v[i].i);
  assert_string_not_equal(a, b);
  assert_int_equal(hash_key(a, strlen(a)), hash_key(b, strlen(b)));
  memset(&m, 0, sizeof m);
  assert_int_equal(strmap_intern(&m, a, strlen(a), hash_key(a, strlen(a)), &ia), 0);
  assert_int_equal(strmap_intern(&m, b, strlen(b), hash_key(b, strlen(b)), &ib), 0);
  assert_int_equal(ia, 0);
  assert_int_equal(ib, 1);
  assert_int_equal(strmap_intern(&m, b, strlen(b), hash_key(b, strlen(b)), &again), 0);
  assert_int_equal(again, 1);
  assert_int_equal(strmap_intern(&m, a, strlen(a), hash_key(a, strlen(a)), &again), 0);
  assert_int_equal(again, 0);
  assert_int_equal(m.n, 2);
  assert_string_equal(strmap_key(&m, 0), a);
  assert_string_equal(strmap_key(&m, 1), b);
  strmap_free(&m);
  free(v);
}

/* n ids from make(i) into 2^16 cells by the hash's low bits and by its
 * high bits (partitions take those): no cell far above the mean. */
static void spreads_evenly(void (*make)(char *, uint32_t), uint32_t n) {
  static uint32_t lo[1 << 16], hi[1 << 16];
  uint32_t        i, max_lo = 0, max_hi = 0, mean = n >> 16;
  memset(lo, 0, sizeof lo);
  memset(hi, 0, sizeof hi);
  for (i = 0; i < n; i++) {
    char     id[300];
    uint32_t h;
    make(id, i);
    h = hash_key(id, strlen(id));
    if (++lo[h & 0xffff] > max_lo) max_lo = lo[h & 0xffff];
    if (++hi[h >> 16] > max_hi) max_hi = hi[h >> 16];
  }
  /* Poisson with mean 16: P(a cell > 45) < 1e-9, over 2^17 cells */
  assert_true(mean == 16);
  assert_true(max_lo <= 45);
  assert_true(max_hi <= 45);
}

static void reference_id(char *s, uint32_t i) { sprintf(s, "L-%06u", (unsigned)(i + 1)); }

static void long_look_alike_id(char *s, uint32_t i) { /* 188 bytes, nearly all 'x' */
  memset(s, 'x', 180);
  s[i % 180] = (char)('A' + i / 180 % 26);
  sprintf(s + 180, "%08x", (unsigned)i);
}

static void tail_only_id(char *s, uint32_t i) { /* the same 16 bytes, then 1 to 3 more */
  memcpy(s, "lead-0000000000-", 16);
  s[16] = (char)(1 + (i & 0x7f));
  s[17] = (char)(1 + (i >> 7 & 0x7f));
  s[18] = (char)(1 + (i >> 14 & 0x7f));
  s[19] = '\0';
}

static void the_hash_spreads_ids(void **state) {
  (void)state;
  spreads_evenly(reference_id, 1u << 20);
  spreads_evenly(long_look_alike_id, 1u << 20);
  spreads_evenly(tail_only_id, 1u << 20);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_hash_is_its_definition),
    cmocka_unit_test(prefixes_are_other_keys),
    cmocka_unit_test(keys_of_the_same_hash),
    cmocka_unit_test(the_hash_spreads_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
