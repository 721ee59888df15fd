/*
 * names.c - attribute and event-type names, UTF-8 well-formedness, the
 * name hash and ASCII-case-insensitive equality.
 */
#include "internal.h"
#include "chars.h"

#include <stdio.h>
#include <string.h>

/* ---- names, UTF-8, hashing -------------------------------------------- */

int lg__name_valid(const char *s, size_t n) {
  size_t i;
  if (!s || n == 0 || n > LG_MAX_NAME_BYTES || !lg__is_lower(s[0])) return 0;
  for (i = 1; i < n; i++)
    if (!lg__is_name_char(s[i])) return 0;
  return 1;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 if malformed
 * (overlong forms, surrogates and code points past U+10FFFF included). */
size_t lg__utf8_seq_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned lo = (c == 0xE0) ? 0xA0 : 0x80, hi = (c == 0xED) ? 0x9F : 0xBF;
    if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned lo = (c == 0xF0) ? 0x90 : 0x80, hi = (c == 0xF4) ? 0x8F : 0xBF;
    if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
    return 4;
  }
  return 0;
}

#define ASCII_HIGH_BITS UINT64_C(0x8080808080808080)

/* Offset of the first malformed byte, or n if all of s[0..n) is UTF-8.
 * Runs of ASCII go eight bytes at a time. */
size_t lg__utf8_first_invalid(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t               i = 0;
  while (i < n) {
    size_t k;
    if (u[i] < 0x80) {
      uint64_t w;
      i++;
      while (n - i >= 8) {
        memcpy(&w, u + i, 8);
        if (w & ASCII_HIGH_BITS) break;
        i += 8;
      }
      continue;
    }
    k = lg__utf8_seq_len(u + i, n - i);
    if (k == 0) return i;
    i += k;
  }
  return n;
}

int lg__utf8_valid(const char *s, size_t n) { return lg__utf8_first_invalid(s, n) == n; }

uint32_t lg__name_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  size_t   i;
  for (i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

int lg__text_ieq(const char *a, size_t an, const char *b, size_t bn) {
  return an == bn && lg__ascii_ieq(a, b, an);
}

/* ---- the public checks ---------------------------------------------------- */

static lg_status check_fail(lg_error *err, lg_status st, size_t at, const char *msg, const char *s,
                            size_t n) {
  if (err) {
    char shown[8] = "";
    err->status = (int32_t)st;
    err->line = at == (size_t)-1 ? 0 : 1;
    err->column = at == (size_t)-1 ? 0 : (uint32_t)(at + 1 > UINT32_MAX ? UINT32_MAX : at + 1);
    if (s && at < n) {
      unsigned char c = (unsigned char)s[at];
      if (c >= 0x20 && c < 0x7f)
        snprintf(shown, sizeof shown, "'%c'", (char)c);
      else
        snprintf(shown, sizeof shown, "0x%02X", (unsigned)c);
    }
    snprintf(err->message, sizeof err->message, "%s%s%s", msg, shown[0] ? ", got " : "", shown);
  }
  return st;
}

lg_status lg_name_check(const char *name, lg_error *err) {
  size_t i, n;
  if (!name) return check_fail(err, LG_ERR_INVALID, (size_t)-1, "name is NULL", NULL, 0);
  n = strlen(name);
  if (n == 0) return check_fail(err, LG_ERR_INVALID, 0, "name is empty", NULL, 0);
  if (!lg__is_lower(name[0]))
    return check_fail(err, LG_ERR_INVALID, 0, "name must start with a lowercase letter a-z", name,
                      n);
  for (i = 1; i < n && i < LG_MAX_NAME_BYTES; i++)
    if (!lg__is_name_char(name[i]))
      return check_fail(err, LG_ERR_INVALID, i,
                        "name may hold only lowercase letters a-z, digits and '_'", name, n);
  if (n > LG_MAX_NAME_BYTES)
    return check_fail(err, LG_ERR_INVALID, LG_MAX_NAME_BYTES, "name is longer than 64 bytes", NULL,
                      0);
  lg__error_clear(err);
  return LG_OK;
}

lg_status lg_text_check(const char *text, size_t len, size_t limit, lg_error *err) {
  size_t bad;
  if (!text) return check_fail(err, LG_ERR_INVALID, (size_t)-1, "text is NULL", NULL, 0);
  bad = lg__utf8_first_invalid(text, len);
  if (bad < len)
    return check_fail(err, LG_ERR_INVALID, bad, "text is not valid UTF-8 here", text, len);
  if (limit > 0 && len > limit) {
    char msg[64];
    snprintf(msg, sizeof msg, "text is longer than %zu bytes", limit);
    return check_fail(err, LG_ERR_LIMIT, limit, msg, NULL, 0);
  }
  lg__error_clear(err);
  return LG_OK;
}
