/*
 * csv.c - the CSV reader and writer shared by the installed programs (see
 * csv.h).  The reader is a small state machine over a 64 KiB input
 * block: one pass over the bytes, unescaping into a record buffer that is
 * reused from record to record, so a 100 MB file costs one record of
 * memory.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BLOCK      ((size_t)1 << 16)
#define CSV_MAX_RECORD ((size_t)1 << 24) /* 16 MiB: beyond that, a runaway quote */

/* ---- reader ---------------------------------------------------------------- */

int csv_open(csv_reader *r, FILE *fp, int trim) {
  memset(r, 0, sizeof *r);
  r->fp = fp;
  r->trim = trim;
  r->line = 1;
  r->in = malloc(CSV_BLOCK);
  r->rec_cap = 256;
  r->rec = malloc(r->rec_cap);
  r->cap_fields = 16;
  r->pos = malloc(r->cap_fields * sizeof *r->pos);
  r->fields = malloc(r->cap_fields * sizeof *r->fields);
  r->lens = malloc(r->cap_fields * sizeof *r->lens);
  if (!r->in || !r->rec || !r->pos || !r->fields || !r->lens) {
    csv_close(r);
    return -1;
  }
  return 0;
}

void csv_close(csv_reader *r) {
  free(r->in);
  free(r->rec);
  free(r->pos);
  free(r->fields);
  free(r->lens);
  r->in = r->rec = NULL;
  r->pos = NULL;
  r->lens = NULL;
  r->fields = NULL;
}

int csv_open_mem(csv_reader *r, const char *data, size_t len, uint64_t base,
                 unsigned long first_line, int trim) {
  if (csv_open(r, NULL, trim) != 0) return -1;
  r->mem = data;
  r->mem_len = len;
  r->in_base = base;
  r->line_start = base;
  r->line = first_line;
  r->started = base != 0; /* a BOM is skipped only at the very start */
  return 0;
}

size_t csv_split_point(const char *data, size_t len, size_t from) {
  size_t i;
  if (from == 0) return 0;
  for (i = from; i < len; i++) {
    char prev = data[i - 1];
    if (prev == '\n' || (prev == '\r' && data[i] != '\n')) return i;
  }
  return len;
}

unsigned long csv_count_lines(const char *data, size_t len) {
  unsigned long n = 0;
  size_t        i;
  for (i = 0; i < len; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'))) n++;
  return n;
}

uint64_t csv_tell(const csv_reader *r) { return r->in_base + r->in_pos; }

/* Fills the block from the FILE or the caller's bytes. */
static size_t source_read(csv_reader *r) {
  size_t n;
  if (r->fp) return fread(r->in, 1, CSV_BLOCK, r->fp);
  n = r->mem_len - r->mem_pos < CSV_BLOCK ? r->mem_len - r->mem_pos : CSV_BLOCK;
  if (n) memcpy(r->in, r->mem + r->mem_pos, n);
  r->mem_pos += n;
  return n;
}

static int read_failed(const csv_reader *r) { return r->fp && ferror(r->fp); }

static int refill(csv_reader *r) {
  if (r->in_eof) return 0;
  r->in_base += r->in_len;
  r->in_len = source_read(r);
  r->in_pos = 0;
  if (r->in_len == 0) {
    r->in_eof = 1;
    return 0;
  }
  return 1;
}

static int next_byte(csv_reader *r) {
  if (r->in_pos == r->in_len && !refill(r)) return EOF;
  return (unsigned char)r->in[r->in_pos++];
}

static int peek_byte(csv_reader *r) {
  if (r->in_pos == r->in_len && !refill(r)) return EOF;
  return (unsigned char)r->in[r->in_pos];
}

/* Input offset of the next byte. */
static uint64_t offset(const csv_reader *r) { return r->in_base + r->in_pos; }

/* A line break was consumed: the next byte starts a line. */
static void new_line(csv_reader *r) {
  r->line++;
  r->line_start = offset(r);
}

/* Byte column of the byte just consumed. */
static unsigned long last_col(const csv_reader *r) {
  return (unsigned long)(offset(r) - r->line_start);
}

static void set_error(csv_reader *r, unsigned long line, unsigned long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->error, sizeof r->error, fmt, ap);
  va_end(ap);
  r->error_line = line;
  r->error_col = col;
}

/* Where the skip of a bad record starts: inside a quoted field, inside an
 * unquoted one (or after a closing quote), or at the start of a field. */
enum { IN_QUOTED, IN_PLAIN, AT_FIELD };

/* A malformed record: skips to the end of the logical record, so that the
 * caller may go on with the next one.  `c` is the last byte read, not yet
 * interpreted, in state `state`.  A quote opens a quoted field only at the
 * start of a field, as in read_record. */
static int bad(csv_reader *r, int c, int state) {
  for (;; c = next_byte(r)) {
    if (state == AT_FIELD) {
      if (c == '"') {
        state = IN_QUOTED;
        continue;
      }
      state = IN_PLAIN;
    }
    if (c == EOF) break;
    if (state == IN_QUOTED) {
      if (c == '"') {
        if (peek_byte(r) == '"')
          r->in_pos++;
        else
          state = IN_PLAIN;
      } else if (c == '\n' || (c == '\r' && peek_byte(r) != '\n')) {
        new_line(r);
      }
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && peek_byte(r) == '\n') r->in_pos++;
      new_line(r);
      break;
    } else if (c == ',') {
      state = AT_FIELD;
    }
  }
  if (read_failed(r)) {
    set_error(r, r->line, 0, "read error");
    return CSV_FATAL;
  }
  return CSV_BAD;
}
static int put(csv_reader *r, int c) {
  if (r->rec_len == r->rec_cap) {
    size_t cap = r->rec_cap * 2;
    char  *p;
    if (cap > CSV_MAX_RECORD + 1) return -1;
    p = realloc(r->rec, cap);
    if (!p) return -2;
    r->rec = p;
    r->rec_cap = cap;
  }
  r->rec[r->rec_len++] = (char)c;
  return 0;
}

static int start_field(csv_reader *r) {
  csv_field_pos *f;
  if (r->n_fields == r->cap_fields) {
    size_t         cap = r->cap_fields * 2;
    csv_field_pos *p;
    char         **fl;
    size_t        *l;
    if (cap > SIZE_MAX / sizeof *r->pos) return -2;
    if (!(p = realloc(r->pos, cap * sizeof *p))) return -2;
    r->pos = p;
    if (!(fl = realloc(r->fields, cap * sizeof *fl))) return -2;
    r->fields = fl;
    if (!(l = realloc(r->lens, cap * sizeof *l))) return -2;
    r->lens = l;
    r->cap_fields = cap;
  }
  f = &r->pos[r->n_fields++];
  f->start = r->rec_len;
  f->line = r->line;
  f->col = last_col(r); /* the field's first byte has been read */
  f->quoted = 0;
  return 0;
}

/* Reports a failed put/start_field (-1 too long, -2 out of memory); `c`
 * and `state` as for bad(). */
static int grow_failed(csv_reader *r, int why, int c, int state) {
  if (why == -1) {
    set_error(r, r->record_line, 0, "record longer than %lu bytes", (unsigned long)CSV_MAX_RECORD);
    return bad(r, c, state);
  }
  set_error(r, r->record_line, 0, "out of memory");
  return CSV_FATAL;
}

static int put_run(csv_reader *r, const char *p, size_t n) {
  if (r->rec_cap - r->rec_len < n) {
    size_t cap = r->rec_cap;
    char  *q;
    while (cap - r->rec_len < n) {
      cap *= 2;
      if (cap > CSV_MAX_RECORD + 1) return -1;
    }
    if (!(q = realloc(r->rec, cap))) return -2;
    r->rec = q;
    r->rec_cap = cap;
  }
  memcpy(r->rec + r->rec_len, p, n);
  r->rec_len += n;
  return 0;
}

/* The bytes that end (or spoil) an unquoted field: ',' LF CR '"' NUL.  A
 * table, so that the scan below is one load and one test a byte. */
static const unsigned char plain_stop_table[256] = {
  1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, /* NUL, LF, CR */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 /* '"', ',' */
};

#define plain_stop(c) (plain_stop_table[(unsigned char)(c)])

/* Copies the unquoted run starting at in_pos, block by block; *c receives
 * the byte that stopped it (consumed) or EOF.  The fast path of the reader:
 * most fields are plain. */
static int scan_plain(csv_reader *r, int *c) {
  for (;;) {
    const char *p = r->in + r->in_pos, *end = r->in + r->in_len, *q = p;
    int         g;
    while (q < end && !plain_stop(*q)) q++;
    if ((g = put_run(r, p, (size_t)(q - p))) != 0) return g;
    r->in_pos = (size_t)(q - r->in);
    if (q < end) {
      *c = (unsigned char)*q;
      r->in_pos++;
      return 0;
    }
    if (!refill(r)) {
      *c = EOF;
      return 0;
    }
  }
}

static int is_end(int c) { return c == ',' || c == '\n' || c == '\r' || c == EOF; }

/* Skips a UTF-8 byte order mark at the start of the input. */
static void skip_bom(csv_reader *r) {
  r->started = 1;
  if (peek_byte(r) != 0xEF) return;
  /* the block holds at least 3 bytes unless the input is shorter */
  if (r->in_len - r->in_pos >= 3 && memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3) == 0) {
    r->in_pos += 3;
    r->line_start = offset(r);
  }
}

/* Reads one physical record; *quoted is set when any field was quoted. */
static int read_record(csv_reader *r, int *quoted) {
  int c, g;

  if (!r->started) skip_bom(r);
  r->rec_len = 0;
  r->n_fields = 0;
  r->record_line = r->line;
  r->record_offset = offset(r);
  *quoted = 0;
  c = next_byte(r);
  if (c == EOF) {
    if (read_failed(r)) {
      set_error(r, r->line, 0, "read error");
      return CSV_FATAL;
    }
    return CSV_EOF;
  }
  for (;;) {
    if ((g = start_field(r)) != 0) return grow_failed(r, g, c, AT_FIELD);
    if (c == '"') {
      unsigned long open_line = r->line, open_col = last_col(r);
      *quoted = 1;
      r->pos[r->n_fields - 1].quoted = 1;
      for (;;) {
        c = next_byte(r);
        if (c == EOF) {
          set_error(r, open_line, open_col,
                    "unterminated quoted field (the quote opens on line %lu)", open_line);
          return bad(r, c, IN_QUOTED);
        }
        if (c == '"') {
          if (peek_byte(r) != '"') break;
          r->in_pos++;
        } else if (c == '\n' || (c == '\r' && peek_byte(r) != '\n')) {
          new_line(r);
        } else if (c == '\0') {
          set_error(r, r->line, last_col(r), "NUL byte in a field");
          return bad(r, next_byte(r), IN_QUOTED);
        }
        if ((g = put(r, c)) != 0) return grow_failed(r, g, next_byte(r), IN_QUOTED);
      }
      c = next_byte(r);
      if (!is_end(c)) {
        set_error(r, r->line, last_col(r), "expected ',' or end of line after a closing quote");
        return bad(r, c, IN_PLAIN);
      }
    } else if (!is_end(c)) {
      r->in_pos--; /* c is still in the block: scan from it */
      if ((g = scan_plain(r, &c)) != 0) return grow_failed(r, g, next_byte(r), IN_PLAIN);
      if (c == '"' || c == '\0') {
        set_error(r, r->line, last_col(r),
                  c == '"' ? "quote inside an unquoted field (quote the whole field "
                             "and double the quote)"
                           : "NUL byte in a field");
        return bad(r, next_byte(r), IN_PLAIN);
      }
    }
    if ((g = put(r, '\0')) != 0) return grow_failed(r, g, c, IN_PLAIN);
    if (c != ',') break;
    c = next_byte(r);
  }
  if (c == '\r' && peek_byte(r) == '\n') r->in_pos++;
  if (c != EOF) new_line(r);
  if (read_failed(r)) {
    set_error(r, r->line, 0, "read error");
    return CSV_FATAL;
  }
  return CSV_RECORD;
}

static int is_blank(int c) { return c == ' ' || c == '\t'; }

int csv_next(csv_reader *r) {
  for (;;) {
    int    quoted, st = read_record(r, &quoted);
    size_t i;
    if (st != CSV_RECORD) return st;
    for (i = 0; i < r->n_fields; i++) {
      size_t end = i + 1 < r->n_fields ? r->pos[i + 1].start : r->rec_len;
      char  *f = r->rec + r->pos[i].start;
      size_t n = end - r->pos[i].start - 1; /* less the NUL */
      if (r->trim && !r->pos[i].quoted) {
        while (n && is_blank(f[n - 1])) n--;
        f[n] = '\0';
        while (n && is_blank(*f)) f++, n--;
      }
      r->fields[i] = f;
      r->lens[i] = n;
    }
    if (r->n_fields == 1 && !quoted && r->lens[0] == 0) continue; /* a blank line */
    if (r->expect_fields && r->n_fields != r->expect_fields) {
      set_error(r, r->record_line, 0, "expected %lu fields as in the header, found %lu",
                (unsigned long)r->expect_fields, (unsigned long)r->n_fields);
      return CSV_BAD;
    }
    return CSV_RECORD;
  }
}

/* ---- output ---------------------------------------------------------------- */

void csv_write_field(FILE *out, const char *s) {
  const char *q;
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, out);
    return;
  }
  putc('"', out);
  while ((q = strchr(s, '"')) != NULL) {
    fwrite(s, 1, (size_t)(q - s) + 1, out);
    putc('"', out);
    s = q + 1;
  }
  fputs(s, out);
  putc('"', out);
}

void csv_format_points(int64_t milli, char *buf) {
  uint64_t a = milli < 0 ? (uint64_t)0 - (uint64_t)milli : (uint64_t)milli;
  uint64_t whole = a / 1000;
  char     tmp[24];
  size_t   n = 0, k = 0;
  unsigned frac = (unsigned)(a % 1000);

  do {
    tmp[n++] = (char)('0' + (int)(whole % 10));
    whole /= 10;
  } while (whole);
  if (milli < 0) buf[k++] = '-';
  while (n) buf[k++] = tmp[--n];
  buf[k++] = '.';
  buf[k++] = (char)('0' + (int)(frac / 100));
  buf[k++] = (char)('0' + (int)(frac / 10 % 10));
  buf[k++] = (char)('0' + (int)(frac % 10));
  buf[k] = '\0';
}

/* ---- cells: whole numbers --------------------------------------------- */

int csv_parse_int64(const char *s, int64_t *out) {
  uint64_t v = 0, limit;
  int      neg = (*s == '-');
  if (*s == '-' || *s == '+') s++;
  if (*s < '0' || *s > '9') return 0;
  limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; *s >= '0' && *s <= '9'; s++) {
    unsigned d = (unsigned)(*s - '0');
    if (v > (limit - d) / 10) return 0;
    v = v * 10 + d;
  }
  if (*s) return 0;
  /* -2^63 has no positive counterpart: build it without overflowing. */
  *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
  return 1;
}
