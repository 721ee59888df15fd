/*
 * fuzz_csv.c - libFuzzer target for the programs' CSV reader
 * (examples/cli/csv.c).
 *
 * The first byte chooses the reader's options (bit 0: trim unquoted
 * cells); the rest is the CSV.  An independent reference, written from the
 * rules in csv.h, splits the input into logical records (a line break ends
 * a record unless it is inside a quoted field; a quote opens a quoted
 * field only at the start of a field) and parses each one.  Checks:
 *   - every record the reader reports, good or bad, starts where a logical
 *     record starts, in order, and none is left out but blank lines: with
 *     keep-going no record starts inside a quoted field;
 *   - a record the reference finds malformed is CSV_BAD; a well-formed one
 *     is CSV_RECORD with the reference's fields, unless its field count
 *     differs from the header's (then CSV_BAD): every record returned has
 *     the header's column count;
 *   - lens[i] == strlen(fields[i]);
 *   - csv_open_mem on the same bytes, and reading them in parts split at
 *     csv_split_point (guesses from bits 1-7 of the first byte) by the
 *     protocol csv.h documents, give the very records, fields, positions
 *     and errors that csv_open gives (tests/csv_parts.h), and so does one
 *     reader started over with csv_seek_mem before every record.
 */
#define _POSIX_C_SOURCE 200809L

#include "csv.h"
#include "csv_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reader is standard C only, not the library: this target does not
 * use fuzz_common.h.  A failed check aborts, so libFuzzer keeps the input. */
#define FZ_CHECK(cond, ...)                                       \
  do {                                                            \
    if (!(cond)) {                                                \
      fprintf(stderr, "fuzz_csv: invariant failed: %s: ", #cond); \
      fprintf(stderr, __VA_ARGS__);                               \
      fputc('\n', stderr);                                        \
      abort();                                                    \
    }                                                             \
  } while (0)

#define MAX_REF_FIELDS 4096

/* Where the next logical record after `start` begins (or n); *end
 * receives the end of this one's text. */
static size_t ref_next(const uint8_t *p, size_t n, size_t start, size_t *end) {
  size_t i = start;
  int    in_quotes = 0, at_field = 1;
  for (; i < n; i++) {
    uint8_t c = p[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < n && p[i + 1] == '"')
          i++;
        else
          in_quotes = 0;
      }
      continue;
    }
    if (at_field && c == '"') {
      in_quotes = 1;
      at_field = 0;
      continue;
    }
    at_field = c == ',';
    if (c == '\n' || c == '\r') {
      *end = i;
      if (c == '\r' && i + 1 < n && p[i + 1] == '\n') i++;
      return i + 1;
    }
  }
  *end = n;
  return n;
}

static int is_space(uint8_t c) { return c == ' ' || c == '\t'; }

/* Parses p[start, end) as one record into fields[] (each a malloc'd
 * NUL-terminated copy; *n_alloc of them to free): the count, -1 when
 * malformed, -2 when there are too many fields to compare. */
static long ref_parse(const uint8_t *p, size_t start, size_t end, int trim, char **fields,
                      size_t *n_alloc) {
  size_t i = start;
  *n_alloc = 0;
  for (;;) {
    char  *f;
    size_t k = 0;
    int    quoted = 0;
    if (*n_alloc == MAX_REF_FIELDS) return -2;
    f = malloc(end - start + 1);
    FZ_CHECK(f != NULL, "out of memory");
    fields[(*n_alloc)++] = f;
    if (i < end && p[i] == '"') {
      quoted = 1;
      for (i++;; i++) {
        if (i >= end) return -1; /* unterminated */
        if (p[i] == '"') {
          if (i + 1 < end && p[i + 1] == '"')
            i++;
          else
            break;
        }
        if (p[i] == '\0') return -1;
        f[k++] = (char)p[i];
      }
      i++; /* the closing quote */
      if (i < end && p[i] != ',') return -1;
    } else {
      for (; i < end && p[i] != ','; i++) {
        if (p[i] == '"' || p[i] == '\0') return -1;
        f[k++] = (char)p[i];
      }
    }
    f[k] = '\0';
    if (trim && !quoted) {
      char *s = f;
      while (k && is_space((uint8_t)f[k - 1])) f[--k] = '\0';
      while (*s && is_space((uint8_t)*s)) s++, k--;
      memmove(f, s, k + 1);
    }
    if (i >= end) return (long)*n_alloc;
    i++; /* the comma */
  }
}

static void free_fields(char **fields, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) free(fields[i]);
}

/* The reference's view of the logical record at `pos`: its fields in
 * fields[], the result of ref_parse, whether the reader skips it as
 * blank, where the next one starts. */
typedef struct ref_record {
  size_t start, end, next, n_alloc;
  long   nf;
  int    blank;
} ref_record;

static void ref_record_at(const uint8_t *p, size_t n, size_t pos, int trim, char **fields,
                          ref_record *ref) {
  ref->start = pos;
  ref->next = ref_next(p, n, pos, &ref->end);
  ref->nf = ref_parse(p, ref->start, ref->end, trim, fields, &ref->n_alloc);
  ref->blank =
      ref->nf == 1 && fields[0][0] == '\0' && !(ref->end > ref->start && p[ref->start] == '"');
}

/* csv_open, csv_open_mem and reading in parts must agree exactly. */
static void compare_parts(const uint8_t *p, size_t n, int trim, unsigned bits) {
  csv_transcript a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  size_t         guess[3], ng = bits & 3, shift = bits >> 2, i, redone;
  FILE          *fp = fmemopen((void *)(uintptr_t)p, n, "rb");
  FZ_CHECK(fp != NULL, "fmemopen");
  for (i = 0; i < ng; i++) guess[i] = (n * (i + 1) / (ng + 1) + shift) % (n + 1);
  for (i = 1; i < ng; i++)
    if (guess[i] < guess[i - 1]) guess[i] = guess[i - 1];
  FZ_CHECK(csvt_whole(&a, fp, NULL, 0, trim) == 0, "out of memory");
  fclose(fp);
  FZ_CHECK(csvt_whole(&b, NULL, (const char *)p, n, trim) == 0, "out of memory");
  FZ_CHECK(csvt_parts(&c, (const char *)p, n, trim, guess, ng, &redone) == 0, "out of memory");
  FZ_CHECK(strcmp(a.text ? a.text : "", b.text ? b.text : "") == 0, "csv_open_mem differs:\n%s\n%s",
           a.text, b.text);
  FZ_CHECK(strcmp(a.text ? a.text : "", c.text ? c.text : "") == 0, "parts differ:\n%s\n%s", a.text,
           c.text);
  FZ_CHECK(csvt_seeking(&d, (const char *)p, n, trim) == 0, "out of memory");
  FZ_CHECK(strcmp(a.text ? a.text : "", d.text ? d.text : "") == 0, "csv_seek_mem differs:\n%s\n%s",
           a.text, d.text);
  free(a.text);
  free(b.text);
  free(c.text);
  free(d.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char   *fields[MAX_REF_FIELDS];
  const uint8_t *p;
  size_t         n, pos, header_fields = 0, got = 0;
  int            trim, st, have_header = 0;
  FILE          *fp;
  csv_reader     r;
  ref_record     ref;

  if (size < 2) return 0;
  trim = data[0] & 1;
  p = data + 1;
  n = size - 1;
  pos = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  fp = fmemopen((void *)(uintptr_t)p, n, "rb");
  FZ_CHECK(fp != NULL, "fmemopen");
  FZ_CHECK(csv_open(&r, fp, trim) == 0, "csv_open");

  while ((st = csv_next(&r)) != CSV_EOF) {
    FZ_CHECK(st == CSV_RECORD || st == CSV_BAD, "status %d: %s", st, r.error);
    /* the reference records before this one must be blank lines */
    for (;;) {
      FZ_CHECK(pos < n, "record %zu at offset %llu: past the reference's last record", got,
               (unsigned long long)r.record_offset);
      ref_record_at(p, n, pos, trim, fields, &ref);
      if (!ref.blank) break;
      free_fields(fields, ref.n_alloc);
      pos = ref.next;
    }
    FZ_CHECK(r.record_offset == ref.start,
             "record %zu starts at %llu, the logical record at %zu (inside a quoted field?)", got,
             (unsigned long long)r.record_offset, ref.start);
    if (ref.nf == -1) {
      FZ_CHECK(st == CSV_BAD, "record %zu at %zu is malformed but was accepted", got, ref.start);
    } else if (ref.nf >= 0) {
      size_t i, nf = (size_t)ref.nf;
      if (have_header && nf != header_fields) {
        FZ_CHECK(st == CSV_BAD, "record %zu: %zu fields, header %zu, accepted", got, nf,
                 header_fields);
      } else {
        FZ_CHECK(st == CSV_RECORD, "record %zu at %zu: rejected (%s)", got, ref.start, r.error);
        FZ_CHECK(r.n_fields == nf, "record %zu: %zu fields, reference %zu", got, r.n_fields, nf);
        for (i = 0; i < nf; i++) {
          FZ_CHECK(r.lens[i] == strlen(r.fields[i]), "field %zu: lens %zu", i, r.lens[i]);
          FZ_CHECK(strcmp(r.fields[i], fields[i]) == 0, "record %zu field %zu: '%s' vs '%s'", got,
                   i, r.fields[i], fields[i]);
        }
      }
    }
    if (st == CSV_RECORD) {
      if (!have_header) {
        have_header = 1;
        header_fields = r.n_fields;
        r.expect_fields = header_fields; /* as the programs do */
      }
      FZ_CHECK(r.n_fields == header_fields, "record %zu has %zu fields, the header %zu", got,
               r.n_fields, header_fields);
    }
    free_fields(fields, ref.n_alloc);
    got++;
    pos = ref.next;
  }
  /* what is left is blank */
  for (; pos < n; pos = ref.next) {
    ref_record_at(p, n, pos, trim, fields, &ref);
    free_fields(fields, ref.n_alloc);
    FZ_CHECK(ref.blank, "a record at %zu was not reported", pos);
  }
  csv_close(&r);
  fclose(fp);
  compare_parts(p, n, trim, data[0] >> 1);
  return 0;
}
