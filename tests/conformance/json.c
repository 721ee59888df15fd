/*
 * json.c - see json.h.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

typedef struct reader {
  const char *p, *start, *end;
  char       *err;
  size_t      cap;
  int         failed;
} reader;

static void fail(reader *r, const char *at, const char *what) {
  size_t line = 1, column = 1;
  const char *q;
  if (r->failed) return;
  r->failed = 1;
  for (q = r->start; q < at && q < r->end; q++) {
    if (*q == '\n') { line++; column = 1; }
    else if (((unsigned char)*q & 0xC0) != 0x80) column++;
  }
  if (r->cap > 0) snprintf(r->err, r->cap, "line %zu, column %zu: %s", line, column, what);
}

static void skip_space(reader *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static json *new_value(reader *r, json_type type) {
  json *v = calloc(1, sizeof *v);
  if (!v) fail(r, r->p, "out of memory");
  else v->type = type;
  return v;
}

/* Appends one byte to a growing buffer; 0 on allocation failure. */
static int put_byte(char **buf, size_t *len, size_t *cap, char c) {
  if (*len + 1 >= *cap) {
    size_t ncap = *cap ? *cap * 2 : 32;
    char *nb = realloc(*buf, ncap);
    if (!nb) return 0;
    *buf = nb;
    *cap = ncap;
  }
  (*buf)[(*len)++] = c;
  (*buf)[*len] = '\0';
  return 1;
}

static int put_utf8(char **buf, size_t *len, size_t *cap, uint32_t cp) {
  char b[4];
  size_t n, i;
  if (cp < 0x80) { b[0] = (char)cp; n = 1; }
  else if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
  }
  for (i = 0; i < n; i++)
    if (!put_byte(buf, len, cap, b[i])) return 0;
  return 1;
}

static int hex4(reader *r, uint32_t *out) {
  uint32_t v = 0;
  int i;
  if (r->end - r->p < 4) { fail(r, r->p, "expected four hex digits after \\u"); return 0; }
  for (i = 0; i < 4; i++) {
    char c = r->p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
    else { fail(r, r->p + i, "expected a hex digit in \\u escape"); return 0; }
  }
  r->p += 4;
  *out = v;
  return 1;
}

/* Length of the valid UTF-8 sequence at p (p < end), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end) {
  size_t n, i;
  uint32_t cp;
  if (p[0] < 0x80) return 1;
  if (p[0] >= 0xC2 && p[0] <= 0xDF) { n = 2; cp = p[0] & 0x1Fu; }
  else if (p[0] >= 0xE0 && p[0] <= 0xEF) { n = 3; cp = p[0] & 0x0Fu; }
  else if (p[0] >= 0xF0 && p[0] <= 0xF4) { n = 4; cp = p[0] & 0x07u; }
  else return 0;
  if ((size_t)(end - p) < n) return 0;
  for (i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return n;
}

static char *read_string(reader *r, size_t *out_len) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  r->p++; /* opening quote */
  if (!put_byte(&buf, &len, &cap, '\0')) { fail(r, r->p, "out of memory"); return NULL; }
  len = 0;
  for (;;) {
    unsigned char c;
    if (r->p >= r->end) { fail(r, r->p, "unterminated string"); break; }
    c = (unsigned char)*r->p;
    if (c == '"') { r->p++; *out_len = len; return buf; }
    if (c < 0x20) { fail(r, r->p, "control character in string (escape it)"); break; }
    if (c == '\\') {
      char e;
      uint32_t cp;
      r->p++;
      if (r->p >= r->end) { fail(r, r->p, "unterminated escape"); break; }
      e = *r->p++;
      switch (e) {
      case '"': cp = '"'; break;
      case '\\': cp = '\\'; break;
      case '/': cp = '/'; break;
      case 'b': cp = '\b'; break;
      case 'f': cp = '\f'; break;
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'u':
        if (!hex4(r, &cp)) goto bad;
        if (cp >= 0xDC00 && cp <= 0xDFFF) { fail(r, r->p - 6, "lone low surrogate"); goto bad; }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
            fail(r, r->p, "expected a low surrogate after a high one");
            goto bad;
          }
          r->p += 2;
          if (!hex4(r, &lo)) goto bad;
          if (lo < 0xDC00 || lo > 0xDFFF) { fail(r, r->p - 6, "expected a low surrogate"); goto bad; }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp == 0) { fail(r, r->p - 6, "\\u0000 is not allowed"); goto bad; }
        break;
      default: fail(r, r->p - 1, "unknown escape"); goto bad;
      }
      if (!put_utf8(&buf, &len, &cap, cp)) { fail(r, r->p, "out of memory"); break; }
    } else {
      size_t n = utf8_len((const unsigned char *)r->p, (const unsigned char *)r->end), i;
      if (n == 0) { fail(r, r->p, "invalid UTF-8 in string"); break; }
      for (i = 0; i < n; i++)
        if (!put_byte(&buf, &len, &cap, r->p[i])) { fail(r, r->p, "out of memory"); goto bad; }
      r->p += n;
    }
  }
bad:
  free(buf);
  return NULL;
}

static json *read_value(reader *r, int depth);

static int push(reader *r, json *v, char *key, json *item) {
  json **ni;
  if (v->len + 1 > SIZE_MAX / sizeof *ni) { fail(r, r->p, "too many members"); return 0; }
  ni = realloc(v->items, (v->len + 1) * sizeof *ni);
  if (!ni) { fail(r, r->p, "out of memory"); return 0; }
  v->items = ni;
  if (v->type == JSON_OBJECT) {
    char **nk = realloc(v->keys, (v->len + 1) * sizeof *nk);
    if (!nk) { fail(r, r->p, "out of memory"); return 0; }
    v->keys = nk;
    v->keys[v->len] = key;
  }
  v->items[v->len++] = item;
  return 1;
}

static json *read_container(reader *r, int depth, json_type type) {
  char close = type == JSON_ARRAY ? ']' : '}';
  json *v = new_value(r, type);
  if (!v) return NULL;
  r->p++;
  skip_space(r);
  if (r->p < r->end && *r->p == close) { r->p++; return v; }
  for (;;) {
    char *key = NULL;
    json *item;
    size_t klen, i;
    if (type == JSON_OBJECT) {
      const char *at = r->p;
      if (r->p >= r->end || *r->p != '"') { fail(r, r->p, "expected a string key"); break; }
      key = read_string(r, &klen);
      if (!key) break;
      if (strlen(key) != klen) { fail(r, at, "NUL in key"); free(key); break; }
      for (i = 0; i < v->len; i++)
        if (strcmp(v->keys[i], key) == 0) { fail(r, at, "duplicate key"); break; }
      if (r->failed) { free(key); break; }
      skip_space(r);
      if (r->p >= r->end || *r->p != ':') { fail(r, r->p, "expected ':'"); free(key); break; }
      r->p++;
      skip_space(r);
    }
    item = read_value(r, depth + 1);
    if (!item) { free(key); break; }
    if (!push(r, v, key, item)) { free(key); json_free(item); break; }
    skip_space(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      skip_space(r);
      continue;
    }
    if (r->p < r->end && *r->p == close) { r->p++; return v; }
    fail(r, r->p, type == JSON_ARRAY ? "expected ',' or ']'" : "expected ',' or '}'");
    break;
  }
  json_free(v);
  return NULL;
}

static json *read_number(reader *r) {
  const char *at = r->p;
  int neg = 0;
  uint64_t mag = 0, limit;
  json *v;
  if (*r->p == '-') { neg = 1; r->p++; }
  if (r->p >= r->end || *r->p < '0' || *r->p > '9') { fail(r, at, "expected a digit"); return NULL; }
  if (*r->p == '0' && r->end - r->p > 1 && r->p[1] >= '0' && r->p[1] <= '9') {
    fail(r, at, "leading zero in number");
    return NULL;
  }
  limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
    unsigned d = (unsigned)(*r->p - '0');
    if (mag > (limit - d) / 10u) { fail(r, at, "integer outside int64"); return NULL; }
    mag = mag * 10u + d;
    r->p++;
  }
  if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')) {
    fail(r, r->p, "only integers are allowed");
    return NULL;
  }
  v = new_value(r, JSON_INT);
  if (!v) return NULL;
  if (neg) v->num = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
  else v->num = (int64_t)mag;
  return v;
}

static int literal(reader *r, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) >= n && memcmp(r->p, word, n) == 0) {
    r->p += n;
    return 1;
  }
  return 0;
}

static json *read_value(reader *r, int depth) {
  json *v;
  if (depth > JSON_MAX_DEPTH) { fail(r, r->p, "nested too deeply"); return NULL; }
  if (r->p >= r->end) { fail(r, r->p, "expected a value"); return NULL; }
  switch (*r->p) {
  case '{': return read_container(r, depth, JSON_OBJECT);
  case '[': return read_container(r, depth, JSON_ARRAY);
  case '"': {
    size_t len;
    char *s = read_string(r, &len);
    if (!s) return NULL;
    v = new_value(r, JSON_STRING);
    if (!v) { free(s); return NULL; }
    v->str = s;
    v->len = len;
    return v;
  }
  case 't': case 'f': case 'n':
    if (literal(r, "true") || literal(r, "false")) {
      v = new_value(r, JSON_BOOL);
      if (v) v->num = r->p[-4] == 't';
      return v;
    }
    if (literal(r, "null")) return new_value(r, JSON_NULL);
    fail(r, r->p, "expected a value");
    return NULL;
  default:
    if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) return read_number(r);
    fail(r, r->p, "expected a value");
    return NULL;
  }
}

json *json_parse(const char *text, size_t len, char *err, size_t cap) {
  reader r;
  json *v;
  r.p = r.start = text;
  r.end = text + len;
  r.err = err;
  r.cap = cap;
  r.failed = 0;
  if (cap > 0) err[0] = '\0';
  skip_space(&r);
  v = read_value(&r, 0);
  if (!v) return NULL;
  skip_space(&r);
  if (r.p != r.end) {
    fail(&r, r.p, "expected the end of the text after the value");
    json_free(v);
    return NULL;
  }
  return v;
}

void json_free(json *v) {
  size_t i;
  if (!v) return;
  if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
    for (i = 0; i < v->len; i++) {
      json_free(v->items[i]);
      if (v->keys) free(v->keys[i]);
    }
  }
  free(v->items);
  free(v->keys);
  free(v->str);
  free(v);
}

const json *json_get(const json *v, const char *key) {
  size_t i;
  if (!v || v->type != JSON_OBJECT) return NULL;
  for (i = 0; i < v->len; i++)
    if (strcmp(v->keys[i], key) == 0) return v->items[i];
  return NULL;
}

int json_equal(const json *a, const json *b) {
  size_t i;
  if (a->type != b->type) return 0;
  switch (a->type) {
  case JSON_NULL: return 1;
  case JSON_BOOL: case JSON_INT: return a->num == b->num;
  case JSON_STRING: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
  case JSON_ARRAY:
    if (a->len != b->len) return 0;
    for (i = 0; i < a->len; i++)
      if (!json_equal(a->items[i], b->items[i])) return 0;
    return 1;
  case JSON_OBJECT:
    if (a->len != b->len) return 0;
    for (i = 0; i < a->len; i++) {
      const json *other = json_get(b, a->keys[i]);
      if (!other || !json_equal(a->items[i], other)) return 0;
    }
    return 1;
  }
  return 0;
}

void json_write_string(FILE *f, const char *s, size_t len) {
  size_t i;
  fputc('"', f);
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"') fputs("\\\"", f);
    else if (c == '\\') fputs("\\\\", f);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc((int)c, f);
  }
  fputc('"', f);
}

void json_write(FILE *f, const json *v) {
  size_t i;
  switch (v->type) {
  case JSON_NULL: fputs("null", f); break;
  case JSON_BOOL: fputs(v->num ? "true" : "false", f); break;
  case JSON_INT: fprintf(f, "%lld", (long long)v->num); break;
  case JSON_STRING: json_write_string(f, v->str, v->len); break;
  case JSON_ARRAY:
  case JSON_OBJECT:
    fputc(v->type == JSON_ARRAY ? '[' : '{', f);
    for (i = 0; i < v->len; i++) {
      if (i) fputc(',', f);
      if (v->type == JSON_OBJECT) {
        json_write_string(f, v->keys[i], strlen(v->keys[i]));
        fputc(':', f);
      }
      json_write(f, v->items[i]);
    }
    fputc(v->type == JSON_ARRAY ? ']' : '}', f);
    break;
  }
}
