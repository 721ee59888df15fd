/*
 * csv.c - the CSV reader and cell formats shared by the example programs
 * (see csv.h).  The reader is a small state machine over a 64 KiB input
 * block: one pass over the bytes, unescaping into a record buffer that is
 * reused from record to record, so a 100 MB file costs one record of
 * memory.
 */
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BLOCK      ((size_t)1 << 16)
#define CSV_MAX_RECORD ((size_t)1 << 24) /* 16 MiB: beyond that, a runaway quote */

/* ---- reader ---------------------------------------------------------------- */

int csv_open(csv_reader *r, FILE *fp) {
  memset(r, 0, sizeof *r);
  r->fp = fp;
  r->line = 1;
  r->in = malloc(CSV_BLOCK);
  r->rec_cap = 256;
  r->rec = malloc(r->rec_cap);
  r->cap_fields = 16;
  r->starts = malloc(r->cap_fields * sizeof *r->starts);
  r->fields = malloc(r->cap_fields * sizeof *r->fields);
  r->lens = malloc(r->cap_fields * sizeof *r->lens);
  if (!r->in || !r->rec || !r->starts || !r->fields || !r->lens) {
    csv_close(r);
    return -1;
  }
  return 0;
}

void csv_close(csv_reader *r) {
  free(r->in);
  free(r->rec);
  free(r->starts);
  free(r->fields);
  free(r->lens);
  r->in = r->rec = NULL;
  r->starts = r->lens = NULL;
  r->fields = NULL;
}

static int refill(csv_reader *r) {
  if (r->in_eof) return 0;
  r->in_len = fread(r->in, 1, CSV_BLOCK, r->fp);
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

static void set_error(csv_reader *r, unsigned long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->error, sizeof r->error, fmt, ap);
  va_end(ap);
  r->error_line = line;
}

/* A malformed record: skip the rest of the physical line so that the caller
 * may go on with the next one. */
static int bad(csv_reader *r, int c) {
  while (c != '\n' && c != EOF) c = next_byte(r);
  if (c == '\n') r->line++;
  if (ferror(r->fp)) {
    set_error(r, r->line, "read error");
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
  if (r->n_fields == r->cap_fields) {
    size_t  cap = r->cap_fields * 2;
    size_t *s;
    char  **f;
    if (cap > SIZE_MAX / sizeof *r->starts) return -2;
    s = realloc(r->starts, cap * sizeof *s);
    if (!s) return -2;
    r->starts = s;
    f = realloc(r->fields, cap * sizeof *f);
    if (!f) return -2;
    r->fields = f;
    s = realloc(r->lens, cap * sizeof *s);
    if (!s) return -2;
    r->lens = s;
    r->cap_fields = cap;
  }
  r->starts[r->n_fields++] = r->rec_len;
  return 0;
}

/* Reports a failed put/start_field (-1 too long, -2 out of memory). */
static int grow_failed(csv_reader *r, int why, int c) {
  if (why == -1) {
    set_error(r, r->record_line, "record longer than %lu bytes",
              (unsigned long)CSV_MAX_RECORD);
    return bad(r, c);
  }
  set_error(r, r->record_line, "out of memory");
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
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0  /* '"', ',' */
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

/* Reads one physical record; *quoted is set when any field was quoted. */
static int read_record(csv_reader *r, int *quoted) {
  int c, g;

  r->rec_len = 0;
  r->n_fields = 0;
  r->record_line = r->line;
  *quoted = 0;
  c = next_byte(r);
  if (c == EOF) {
    if (ferror(r->fp)) {
      set_error(r, r->line, "read error");
      return CSV_FATAL;
    }
    return CSV_EOF;
  }
  for (;;) {
    if ((g = start_field(r)) != 0) return grow_failed(r, g, c);
    if (c == '"') {
      unsigned long open_line = r->line;
      *quoted = 1;
      for (;;) {
        c = next_byte(r);
        if (c == EOF) {
          set_error(r, open_line, "unterminated quoted field (the quote opens on line %lu)",
                    open_line);
          return bad(r, c);
        }
        if (c == '"') {
          if (peek_byte(r) != '"') break;
          r->in_pos++;
        } else if (c == '\n' || (c == '\r' && peek_byte(r) != '\n')) {
          r->line++;
        } else if (c == '\0') {
          set_error(r, r->line, "NUL byte in a field");
          return bad(r, c);
        }
        if ((g = put(r, c)) != 0) return grow_failed(r, g, c);
      }
      c = next_byte(r);
      if (!is_end(c)) {
        set_error(r, r->line, "expected ',' or end of line after a closing quote");
        return bad(r, c);
      }
    } else if (!is_end(c)) {
      r->in_pos--; /* c is still in the block: scan from it */
      if ((g = scan_plain(r, &c)) != 0) return grow_failed(r, g, c);
      if (c == '"' || c == '\0') {
        set_error(r, r->line,
                  c == '"' ? "quote inside an unquoted field (quote the whole field "
                             "and double the quote)"
                           : "NUL byte in a field");
        return bad(r, c);
      }
    }
    if ((g = put(r, '\0')) != 0) return grow_failed(r, g, c);
    if (c != ',') break;
    c = next_byte(r);
  }
  if (c == '\r' && peek_byte(r) == '\n') r->in_pos++;
  if (c != EOF) r->line++;
  if (ferror(r->fp)) {
    set_error(r, r->line, "read error");
    return CSV_FATAL;
  }
  return CSV_RECORD;
}

int csv_next(csv_reader *r) {
  for (;;) {
    int    quoted, st = read_record(r, &quoted);
    size_t i;
    if (st != CSV_RECORD) return st;
    if (r->n_fields == 1 && r->rec_len == 1 && !quoted) continue; /* blank line */
    for (i = 0; i < r->n_fields; i++) {
      size_t end = i + 1 < r->n_fields ? r->starts[i + 1] : r->rec_len;
      r->fields[i] = r->rec + r->starts[i];
      r->lens[i] = end - r->starts[i] - 1; /* less the NUL */
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

/* ---- cells: integers and times --------------------------------------------- */

int csv_parse_int64(const char *s, int64_t *out) {
  uint64_t v = 0, limit;
  int      neg = (*s == '-');
  if (neg) s++;
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

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar. */
#define DAYS_0001_TO_1970 INT64_C(719162)

/* Days since 1970-01-01 of y-m-d, y >= 1: whole years before y (365 each
 * plus one per leap year), then whole months before m (from a table of
 * days before each month of a common year, plus the leap day). */
static int64_t days_from_date(int64_t y, int m, int d) {
  static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int64_t p = y - 1, days = p * 365 + p / 4 - p / 100 + p / 400;
  days += before[m - 1] + (m > 2 && is_leap(y));
  return days + (d - 1) - DAYS_0001_TO_1970;
}

/* The inverse: the date of `days` since 1970-01-01 (years >= 1). */
static void date_from_days(int64_t days, int64_t *y, int *m, int *d) {
  int64_t n = days + DAYS_0001_TO_1970, q;
  int64_t year = 1;
  year += 400 * (n / 146097); /* 400-year cycles */
  n %= 146097;
  q = n / 36524; /* centuries: the fourth ends on a leap day */
  if (q > 3) q = 3;
  year += 100 * q;
  n -= q * 36524;
  year += 4 * (n / 1461); /* 4-year cycles */
  n %= 1461;
  q = n / 365; /* years: the fourth ends on a leap day */
  if (q > 3) q = 3;
  year += q;
  n -= q * 365;
  *m = 1;
  while (n >= days_in_month(year, *m)) n -= days_in_month(year, (*m)++);
  *y = year;
  *d = (int)n + 1;
}

/* Reads exactly `n` digits. */
static int digits(const char **s, int n, int *out) {
  int v = 0;
  while (n--) {
    if (**s < '0' || **s > '9') return 0;
    v = v * 10 + (**s - '0');
    (*s)++;
  }
  *out = v;
  return 1;
}

int csv_parse_time(const char *s, int64_t *out) {
  int     y, mo, d, h, mi, sec = 0, zh = 0, zm = 0, sign = 0;
  int64_t t;

  if (csv_parse_int64(s, out)) return 1;
  if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
      !digits(&s, 2, &d))
    return 0;
  if (*s != 'T' && *s != 't' && *s != ' ') return 0;
  s++;
  if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi)) return 0;
  if (*s == ':') {
    s++;
    if (!digits(&s, 2, &sec)) return 0;
  }
  if (*s == 'Z' || *s == 'z') {
    s++;
  } else if (*s == '+' || *s == '-') {
    sign = *s++ == '-' ? -1 : 1;
    if (!digits(&s, 2, &zh)) return 0;
    if (*s == ':') s++;
    if (!digits(&s, 2, &zm) || zh > 18 || zm > 59) return 0;
  } else {
    return 0; /* a zone is required: the programs never guess local time */
  }
  if (*s || y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
      mi > 59 || sec > 59)
    return 0;
  t = days_from_date(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  *out = t - sign * (zh * 3600 + zm * 60);
  return 1;
}

void csv_format_time(int64_t t, char *buf) {
  int64_t days, y, secs;
  int     m, d;
  /* 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z */
  if (t == INT64_MAX) {
    strcpy(buf, "never");
    return;
  }
  if (t < INT64_C(-62135596800) || t > INT64_C(253402300799)) {
    sprintf(buf, "%lld", (long long)t);
    return;
  }
  days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  secs = t - days * 86400;
  date_from_days(days, &y, &m, &d);
  sprintf(buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d, (int)(secs / 3600),
          (int)(secs / 60 % 60), (int)(secs % 60));
}

/* ---- whole files ----------------------------------------------------------- */

int csv_read_file(const char *path, char **text, size_t *len) {
  FILE  *fp;
  char  *buf = NULL, *p;
  size_t n = 0, cap = 0, got;
  int    err;

  errno = 0;
  fp = fopen(path, "rb");
  if (!fp) return errno ? errno : -2;
  for (;;) {
    if (cap - n < 4096 + 1) {
      size_t ncap = cap ? cap * 2 : 8192;
      if (ncap < cap || !(p = realloc(buf, ncap))) {
        free(buf);
        fclose(fp);
        return -1;
      }
      buf = p;
      cap = ncap;
    }
    got = fread(buf + n, 1, cap - n - 1, fp);
    n += got;
    if (got == 0) break;
  }
  err = ferror(fp) ? (errno ? errno : -2) : 0;
  fclose(fp);
  if (err) {
    free(buf);
    return err;
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return 0;
}

const char *csv_file_error(int rc) {
  if (rc > 0) return strerror(rc);
  return rc == -1 ? "out of memory" : "read error";
}

/* ---- errors ----------------------------------------------------------------- */

void csv_die_at(const char *file, unsigned long line, unsigned long col, const char *msg) {
  fflush(stdout);
  if (line == 0) fprintf(stderr, "%s: %s\n", file, msg);
  else if (col == 0) fprintf(stderr, "%s:%lu: %s\n", file, line, msg);
  else fprintf(stderr, "%s:%lu:%lu: %s\n", file, line, col, msg);
  exit(2);
}

void csv_die(const char *file, const char *msg) { csv_die_at(file, 0, 0, msg); }
