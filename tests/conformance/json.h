/*
 * json.h - a minimal, strict JSON reader and writer for the conformance
 * data set (C99, standard library only).
 *
 * Strict: one value, optional white space around it; no comments, no
 * trailing commas, no duplicate keys, strings must be valid UTF-8 (escapes
 * included: lone surrogates are errors) and numbers must be integers that
 * fit int64_t (no fraction, no exponent, no leading zeros).  The data set
 * needs nothing else, and anything else is a mistake in it.
 */
#ifndef LG_CONFORMANCE_JSON_H
#define LG_CONFORMANCE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum json_type {
  JSON_NULL, JSON_BOOL, JSON_INT, JSON_STRING, JSON_ARRAY, JSON_OBJECT
} json_type;

typedef struct json json;
struct json {
  json_type type;
  int64_t   num;      /* JSON_BOOL (0/1), JSON_INT */
  char     *str;      /* JSON_STRING: decoded, NUL-terminated */
  size_t    len;      /* JSON_STRING: bytes; ARRAY/OBJECT: members */
  char    **keys;     /* JSON_OBJECT: keys[i] names items[i] */
  json    **items;    /* JSON_ARRAY / JSON_OBJECT members */
};

/* Parses text[0..len).  On failure returns NULL and writes
 * "line L, column C: what was expected" into err (cap bytes). */
json *json_parse(const char *text, size_t len, char *err, size_t cap);
void json_free(json *v);

/* The member named key, or NULL (also when v is not an object). */
const json *json_get(const json *v, const char *key);

/* 1 if a and b are the same value (object key order ignored). */
int json_equal(const json *a, const json *b);

/* Writes v compactly (no spaces), keys in stored order. */
void json_write(FILE *f, const json *v);
void json_write_string(FILE *f, const char *s, size_t len);

#endif
