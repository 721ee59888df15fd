/*
 * buf.c - the output sink: prints canonical text snprintf-style and
 * hashes it as it goes, so fingerprints need no second pass.
 */
#include "internal.h"

#include <string.h>

/* ---- output sink -------------------------------------------------------- */

#define FNV64_BASIS UINT64_C(0xcbf29ce484222325)
#define FNV64_PRIME UINT64_C(0x100000001b3)

void lg__buf_init(lg__buf *b, char *dst, size_t cap) {
  b->dst = dst;
  b->cap = cap;
  b->len = 0;
  b->hash = FNV64_BASIS;
  b->hashing = 1;
}

void lg__buf_init_text(lg__buf *b, char *dst, size_t cap) {
  lg__buf_init(b, dst, cap);
  b->hashing = 0;
}

void lg__buf_put(lg__buf *b, const char *s, size_t n) {
  uint64_t h = b->hash; /* a local: s may alias *b, so b->hash would be
                           stored and reloaded for every byte */
  size_t   i;
  for (i = 0; b->hashing && i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= FNV64_PRIME;
  }
  b->hash = h;
  if (b->dst && b->len < b->cap) {
    size_t room = b->cap - b->len;
    memcpy(b->dst + b->len, s, n < room ? n : room);
  }
  b->len += n;
}

void lg__buf_puts(lg__buf *b, const char *s) { lg__buf_put(b, s, strlen(s)); }

void lg__buf_putc(lg__buf *b, char c) {
  b->hash = (b->hash ^ (unsigned char)c) * FNV64_PRIME;
  if (b->dst && b->len < b->cap) b->dst[b->len] = c;
  b->len++;
}

/* Decimal digits of an unsigned magnitude, most significant first. */
static void buf_uint(lg__buf *b, uint64_t v) {
  char   tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  lg__buf_put(b, tmp + i, sizeof tmp - i);
}

static uint64_t magnitude(int64_t v) { return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; }

void lg__buf_int(lg__buf *b, int64_t v) {
  if (v < 0) lg__buf_putc(b, '-');
  buf_uint(b, magnitude(v));
}

void lg__buf_milli(lg__buf *b, int64_t milli) {
  uint64_t m = magnitude(milli);
  unsigned frac = (unsigned)(m % 1000);
  if (milli < 0) lg__buf_putc(b, '-');
  buf_uint(b, m / 1000);
  if (frac) {
    char digits[4];
    int  n = 3;
    digits[0] = '.';
    digits[1] = (char)('0' + (int)(frac / 100));
    digits[2] = (char)('0' + (int)(frac / 10 % 10));
    digits[3] = (char)('0' + (int)(frac % 10));
    while (digits[n] == '0') n--;
    lg__buf_put(b, digits, (size_t)n + 1);
  }
}

const lg__duration_unit lg__duration_units[LG__N_DURATION_UNITS] = {
  { 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 }
};

void lg__buf_duration(lg__buf *b, int64_t secs) {
  size_t i;
  for (i = 0; i < LG__N_DURATION_UNITS; i++) {
    const lg__duration_unit *u = &lg__duration_units[i];
    if (secs != 0 && secs % u->secs == 0) {
      lg__buf_int(b, secs / u->secs);
      lg__buf_putc(b, u->name);
      return;
    }
  }
  lg__buf_puts(b, "0s");
}

void lg__buf_quoted(lg__buf *b, const char *s, size_t n) {
  size_t i, run = 0;
  lg__buf_putc(b, '"');
  for (i = 0; i < n; i++) {
    if (s[i] == '"' || s[i] == '\\') {
      lg__buf_put(b, s + run, i - run);
      lg__buf_putc(b, '\\');
      run = i;
    }
  }
  lg__buf_put(b, s + run, n - run);
  lg__buf_putc(b, '"');
}

lg_status lg__render_text(void (*render)(const void *obj, lg__buf *b), const void *obj, char *buf,
                          size_t cap, size_t *needed) {
  lg__buf b;
  size_t  need;
  if (!obj || (!buf && cap > 0)) return LG_ERR_INVALID;
  lg__buf_init(&b, NULL, 0);
  render(obj, &b);
  need = b.len + 1;
  if (needed) *needed = need;
  if (cap < need) return LG_ERR_BUFFER;
  lg__buf_init(&b, buf, cap);
  render(obj, &b);
  buf[b.len] = '\0';
  return LG_OK;
}

uint64_t lg__render_hash(void (*render)(const void *obj, lg__buf *b), const void *obj) {
  lg__buf b;
  lg__buf_init(&b, NULL, 0);
  render(obj, &b);
  return b.hash;
}
