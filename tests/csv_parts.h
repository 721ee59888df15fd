/*
 * csv_parts.h - what test_csv.c and the CSV fuzz target share: a text
 * transcript of everything a reader returns (status, record line and
 * offset, every field with its length, line, column and quoting, every
 * error with its line and column), over the whole input and over parts
 * split at csv_split_point and read by the protocol csv.h documents, and
 * through one reader started over (csv_seek_mem) before every record.
 * Two transcripts are equal iff the reader behaved the same.
 */
#ifndef LG_TESTS_CSV_PARTS_H
#define LG_TESTS_CSV_PARTS_H

#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The transcript so far, and the header's field count once known (set as
 * expect_fields, as the programs do). */
typedef struct csv_transcript {
  char  *text;
  size_t len, cap;
  size_t header_fields;
} csv_transcript;

static void csvt_put(csv_transcript *t, const char *s, size_t n) {
  if (t->cap - t->len <= n) {
    size_t cap = (t->cap + n) * 2 + 256;
    char  *p = realloc(t->text, cap);
    if (!p) abort();
    t->text = p;
    t->cap = cap;
  }
  memcpy(t->text + t->len, s, n);
  t->len += n;
  t->text[t->len] = '\0';
}

static void csvt_printf(csv_transcript *t, const char *fmt, unsigned long long a,
                        unsigned long long b, unsigned long long c) {
  char line[128];
  int  n = snprintf(line, sizeof line, fmt, a, b, c);
  csvt_put(t, line, (size_t)n);
}

/* Appends the result `st` of csv_next. */
static void csvt_record(csv_transcript *t, csv_reader *r, int st) {
  size_t      i;
  const char *what = st == CSV_RECORD ? "record" : st == CSV_BAD ? "bad" : "fatal";
  csvt_put(t, what, strlen(what));
  csvt_printf(t, " line %llu at %llu:", r->record_line, r->record_offset, 0);
  if (st != CSV_RECORD) {
    csvt_printf(t, " error %llu:%llu ", r->error_line, r->error_col, 0);
    csvt_put(t, r->error, strlen(r->error));
  }
  for (i = 0; st == CSV_RECORD && i < r->n_fields; i++) {
    csvt_printf(t, " [%llu %llu:%llu", r->lens[i], r->pos[i].line, r->pos[i].col);
    csvt_put(t, r->pos[i].quoted ? " q " : " - ", 3);
    if (strlen(r->fields[i]) != r->lens[i]) csvt_put(t, "(lens wrong)", 12);
    csvt_put(t, r->fields[i], r->lens[i]);
    csvt_put(t, "]", 1);
  }
  csvt_put(t, "\n", 1);
  if (st == CSV_RECORD && !t->header_fields) {
    t->header_fields = r->n_fields;
    r->expect_fields = r->n_fields;
  }
}

/* The whole input through csv_open (a FILE) when fp, else csv_open_mem.
 * -1 when out of memory. */
static int csvt_whole(csv_transcript *t, FILE *fp, const char *data, size_t len, int trim) {
  csv_reader r;
  int        st;
  if ((fp ? csv_open(&r, fp, trim) : csv_open_mem(&r, data, len, 0, 1, trim)) != 0) return -1;
  do {
    st = csv_next(&r);
    if (st != CSV_EOF) csvt_record(t, &r, st);
  } while (st != CSV_EOF && st != CSV_FATAL);
  csv_close(&r);
  return 0;
}

/* The input through one csv_open_mem reader started over with
 * csv_seek_mem before each record at the offset and line where it stood,
 * after a detour: the first record again, from the start.  -1 when out
 * of memory. */
static int csvt_seeking(csv_transcript *t, const char *data, size_t len, int trim) {
  csv_reader    r;
  size_t        at = 0;
  unsigned long line = 1;
  int           st;
  if (csv_open_mem(&r, data, len, 0, 1, trim) != 0) return -1;
  for (;;) {
    if (at > 0) {
      csv_seek_mem(&r, data, len, 0, 1);
      r.expect_fields = 0;
      if (csv_next(&r) == CSV_FATAL) break;
      csv_seek_mem(&r, data + at, len - at, at, line);
    }
    r.expect_fields = t->header_fields;
    st = csv_next(&r);
    if (st == CSV_EOF) break;
    csvt_record(t, &r, st);
    if (st == CSV_FATAL) break;
    at = (size_t)csv_tell(&r);
    line = r.line;
  }
  csv_close(&r);
  return 0;
}

/* The input in parts: part k ends at csv_split_point(data, len, guess[k])
 * (guesses ascending), each read by its own reader per csv.h, the next
 * part read again from where the previous one stopped when a quoted field
 * ran across the split.  *redone counts those.  -1 when out of memory. */
static int csvt_parts(csv_transcript *t, const char *data, size_t len, int trim,
                      const size_t *guess, size_t n_guess, size_t *redone) {
  size_t        s = 0, k;
  unsigned long line = 1;
  *redone = 0;
  for (k = 0; k <= n_guess; k++) {
    size_t        split = k < n_guess ? csv_split_point(data, len, guess[k]) : len, t_end = s;
    unsigned long t_line = line;
    csv_reader    r;
    int           st;
    if (split < s) split = s;
    if (csv_open_mem(&r, data + s, len - s, s, line, trim) != 0) return -1;
    r.expect_fields = t->header_fields;
    for (;;) {
      st = csv_next(&r);
      if (st == CSV_EOF || r.record_offset >= split) break;
      csvt_record(t, &r, st);
      if (st == CSV_FATAL) break;
      t_end = (size_t)csv_tell(&r);
      t_line = r.line;
    }
    csv_close(&r);
    if (st == CSV_FATAL) return 0;
    if (t_end <= split) { /* the guess was a record boundary */
      line += csv_count_lines(data + s, split - s);
      s = split;
    } else {
      ++*redone;
      s = t_end;
      line = t_line;
    }
  }
  return 0;
}

#endif /* LG_TESTS_CSV_PARTS_H */
