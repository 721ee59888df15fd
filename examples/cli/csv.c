/*
 * csv.c - the CSV reader and writer shared by the installed programs (see
 * csv.h).  The reader scans a large input buffer eight bytes at a time
 * for the few bytes that matter and hands out fields in place (see
 * "reader" below), so a 100 MB file costs one buffer and one record of
 * memory.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- reader ---------------------------------------------------------------- */

/*
 * The reader keeps the input in one buffer, buf[0..end), of which
 * buf[beg..end) is not read yet; buf[end..end + CSV_PAD) is always zero,
 * a sentinel for the scans (a NUL stops them) and room for their 8-byte
 * loads.  A record is scanned in place without writing anything: where
 * each field starts, its raw length, line and column.  If the buffer ends
 * before the record does, the unread part moves to the front, more is
 * read (the buffer doubles when one record fills it) and the record is
 * scanned again.  Once the whole record is in the buffer, its fields are
 * finished in place: quoted ones unescaped, unquoted ones trimmed, each
 * NUL-terminated where it ends, so that fields[] point into the buffer and
 * no field is copied (csv_open_mem's bytes are copied into the buffer a
 * block at a time: fields are written in place, and the caller's bytes
 * are never written).  Lines and columns come from offsets, never from a
 * count kept per byte.
 */

#ifndef CSV_BLOCK                     /* tests build the reader with a tiny buffer too */
#  define CSV_BLOCK ((size_t)1 << 18) /* the first buffer: 256 KiB */
#endif
#define CSV_PAD        8
#define CSV_MEM_FIRST  ((size_t)4 << 10) /* csv_open_mem's first block; doubles */
#define CSV_MAX_RECORD ((size_t)1 << 24) /* 16 MiB: beyond that, a runaway quote */
#define CSV_MAX_BUF    ((size_t)1 << 27) /* a record's raw bytes are at most 3 per content byte */

enum { NEED_MORE = 2 }; /* internal: the record runs past the bytes read so far */

static int little_endian(void) {
  const uint16_t one = 1;
  unsigned char  b;
  memcpy(&b, &one, 1);
  return b == 1;
}

static void init(csv_reader *r, FILE *fp, int trim) {
  memset(r, 0, sizeof *r);
  r->fp = fp;
  r->trim = trim;
  r->line = 1;
}

static int alloc(csv_reader *r) {
  r->buf_cap = CSV_BLOCK;
  r->buf = calloc(r->buf_cap + CSV_PAD, 1);
  r->cap_fields = 16;
  r->pos = malloc(r->cap_fields * sizeof *r->pos);
  r->fields = malloc(r->cap_fields * sizeof *r->fields);
  r->lens = malloc(r->cap_fields * sizeof *r->lens);
  if (!r->buf || !r->pos || !r->fields || !r->lens) {
    csv_close(r);
    return -1;
  }
  return 0;
}

int csv_open(csv_reader *r, FILE *fp, int trim) {
  init(r, fp, trim);
  return alloc(r);
}

static void start_mem(csv_reader *r, const char *data, size_t len, uint64_t base,
                      unsigned long first_line) {
  r->mem = data;
  r->mem_len = len;
  r->mem_block = CSV_MEM_FIRST;
  r->buf_base = base;
  r->line_start = base;
  r->line = first_line;
  r->started = base != 0; /* a BOM is skipped only at the very start */
}

int csv_open_mem(csv_reader *r, const char *data, size_t len, uint64_t base,
                 unsigned long first_line, int trim) {
  init(r, NULL, trim);
  start_mem(r, data, len, base, first_line);
  return alloc(r);
}

void csv_seek_mem(csv_reader *r, const char *data, size_t len, uint64_t base,
                  unsigned long first_line) {
  r->mem_pos = 0;
  r->beg = r->end = 0;
  r->eof = 0;
  r->n_fields = 0;
  r->record_line = r->error_line = r->error_col = 0;
  r->record_offset = 0;
  r->error[0] = '\0';
  memset(r->buf, 0, CSV_PAD);
  start_mem(r, data, len, base, first_line);
}

void csv_close(csv_reader *r) {
  free(r->buf);
  free(r->pos);
  free(r->fields);
  free(r->lens);
  r->buf = NULL;
  r->pos = NULL;
  r->lens = NULL;
  r->fields = NULL;
}

uint64_t csv_tell(const csv_reader *r) { return r->buf_base + r->beg; }

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

static void set_error(csv_reader *r, unsigned long line, unsigned long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->error, sizeof r->error, fmt, ap);
  va_end(ap);
  r->error_line = line;
  r->error_col = col;
}

/* Moves the unread bytes to the front, grows the buffer when they fill
 * it, and reads more after them.  0 (r->eof set when the input is done),
 * or CSV_FATAL with the error set. */
static int fill(csv_reader *r) {
  size_t n, want;
  if (r->beg > 0) {
    memmove(r->buf, r->buf + r->beg, r->end - r->beg);
    r->buf_base += r->beg;
    r->end -= r->beg;
    r->beg = 0;
  }
  if (r->end == r->buf_cap) {
    char *p;
    if (r->buf_cap >= CSV_MAX_BUF || !(p = realloc(r->buf, 2 * r->buf_cap + CSV_PAD))) {
      set_error(r, r->line, 0, "out of memory");
      return CSV_FATAL;
    }
    r->buf = p;
    r->buf_cap *= 2;
  }
  want = r->buf_cap - r->end;
  if (r->fp) {
    n = fread(r->buf + r->end, 1, want, r->fp);
    if (n < want) {
      r->eof = 1;
      if (ferror(r->fp)) {
        set_error(r, r->line, 0, "read error");
        return CSV_FATAL;
      }
    }
  } else {
    if (want > r->mem_block) want = r->mem_block;
    if (r->mem_block < r->buf_cap) r->mem_block *= 2;
    n = r->mem_len - r->mem_pos < want ? r->mem_len - r->mem_pos : want;
    memcpy(r->buf + r->end, r->mem + r->mem_pos, n);
    r->mem_pos += n;
    if (r->mem_pos == r->mem_len) r->eof = 1;
  }
  r->end += n;
  memset(r->buf + r->end, 0, CSV_PAD);
  return 0;
}

/* The bytes that end or spoil an unquoted field, and that matter inside a
 * quoted one: ',' '"' CR LF NUL.  All are below 0x2d. */
static const unsigned char special[256] = {
  1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, /* NUL, LF, CR */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 /* '"', ',' */
};

/* The first special byte at or after p; there is one at buf[end] at the
 * latest.  Eight bytes at a time on little-endian machines (csv_flags),
 * each flagged byte checked in the table. */
static const char *find_special(const char *p) {
  if (!little_endian()) {
    while (!special[(unsigned char)*p]) p++;
    return p;
  }
  for (;; p += 8) {
    uint64_t w, m;
    memcpy(&w, p, 8);
    m = csv_flags(w);
    while (m) {
      const char *q = p + csv_first_flag(m);
      if (special[(unsigned char)*q]) return q;
      m &= m - 1;
    }
  }
}

static int is_blank(int c) { return c == ' ' || c == '\t'; }

/* Record flags from scan_record (and trim_front). */
enum { ANY_QUOTED = 1, TO_FINISH = 2 };

/* Trims the blanks in front of the unquoted field *v (length *len): TO_FINISH
 * when blanks at its end are left for finish, else 0. */
static int trim_front(char **v, size_t *len) {
  char  *f = *v;
  size_t n = *len;
  if (!n || ((unsigned char)f[0] > ' ' && (unsigned char)f[n - 1] > ' ')) return 0;
  while (n && is_blank(*f)) f++, n--;
  *v = f;
  *len = n;
  return n && is_blank(f[n - 1]) ? TO_FINISH : 0;
}

/* Where the skip of a bad record starts: inside a quoted field, inside an
 * unquoted one (or after a closing quote), or at the start of a field. */
enum { IN_QUOTED, IN_PLAIN, AT_FIELD };

/* A malformed record: skips from buf[at] (not yet interpreted, in state
 * `state`) to the end of the logical record, so that the caller may go on
 * with the next one.  A quote opens a quoted field only at the start of a
 * field, as in scan_record.  line and line_start are those at buf[at]. */
static int skip_bad(csv_reader *r, size_t at, int state, unsigned long line, uint64_t line_start) {
  r->beg = at;
  r->line = line;
  r->line_start = line_start;
  for (;;) {
    int c;
    if (r->beg == r->end) {
      if (r->eof) break;
      if (fill(r) != 0) return CSV_FATAL;
      continue;
    }
    if (r->beg + 1 == r->end && !r->eof) { /* a peek may be needed */
      if (fill(r) != 0) return CSV_FATAL;
    }
    c = (unsigned char)r->buf[r->beg++];
    if (state == AT_FIELD) {
      if (c == '"') {
        state = IN_QUOTED;
        continue;
      }
      state = IN_PLAIN;
    }
    if (state == IN_QUOTED) {
      if (c == '"') {
        if (r->buf[r->beg] == '"' && r->beg < r->end)
          r->beg++;
        else
          state = IN_PLAIN;
      } else if (c == '\n' || (c == '\r' && !(r->buf[r->beg] == '\n' && r->beg < r->end))) {
        r->line++;
        r->line_start = r->buf_base + r->beg;
      }
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && r->buf[r->beg] == '\n' && r->beg < r->end) r->beg++;
      r->line++;
      r->line_start = r->buf_base + r->beg;
      break;
    } else if (c == ',') {
      state = AT_FIELD;
    }
  }
  return CSV_BAD;
}

/* Room for field r->n_fields: 0 or -1 (out of memory). */
static int grow_fields(csv_reader *r) {
  size_t         cap = r->cap_fields * 2;
  csv_field_pos *p;
  char         **fl;
  size_t        *l;
  if (cap > SIZE_MAX / sizeof *r->pos) return -1;
  if (!(p = realloc(r->pos, cap * sizeof *p))) return -1;
  r->pos = p;
  if (!(fl = realloc(r->fields, cap * sizeof *fl))) return -1;
  r->fields = fl;
  if (!(l = realloc(r->lens, cap * sizeof *l))) return -1;
  r->lens = l;
  r->cap_fields = cap;
  return 0;
}

/* Skips a UTF-8 byte order mark at the start of the input. */
static int skip_bom(csv_reader *r) {
  r->started = 1;
  while (r->end - r->beg < 3 && !r->eof)
    if (fill(r) != 0) return CSV_FATAL;
  if (r->end - r->beg >= 3 && memcmp(r->buf + r->beg, "\xEF\xBB\xBF", 3) == 0) {
    r->beg += 3;
    r->line_start = r->buf_base + r->beg;
  }
  return 0;
}

/* The scan found that the record runs past buf[end]: the NULs it wrote
 * over commas go back (a record holds no other NUL unless it is
 * malformed, and a malformed one is never scanned again). */
static int need_more(char *rec, const char *end) {
  char *z;
  while ((z = memchr(rec, '\0', (size_t)(end - rec))) != NULL) *z++ = ',', rec = z;
  return NEED_MORE;
}

/* Scans the record at buf[beg]: CSV_RECORD, NEED_MORE (the buffer as it
 * was), CSV_EOF, CSV_BAD or CSV_FATAL.  On CSV_RECORD beg is past the
 * record, fields[] and lens[] hold its fields and *flags says whether any
 * was quoted and whether some still need csv_next's finishing: unquoted
 * fields are final (trimmed in front, NUL-terminated at their comma or
 * line break), quoted ones are raw and so are trailing blanks to trim. */
static int scan_record(csv_reader *r, int *flags) {
  char *const buf = r->buf;
  char *const rec = buf + r->beg;
  const char *p = rec, *const end = buf + r->end;
  const int      eof = r->eof, trim = r->trim;
  const uint64_t base = r->buf_base;
  unsigned long  line = r->line;
  uint64_t       ls = r->line_start - base; /* where the line starts in buf (mod 2^64) */
  size_t         content = 0, nf = 0;       /* bytes of the record as fields + NULs */
  int            fl = 0;
  /* in locals: the NULs written into buf may alias anything for the compiler */
  csv_field_pos *pos = r->pos;
  char         **fields = r->fields;
  size_t        *lens = r->lens, cap = r->cap_fields;

#define AT(q)          ((size_t)((q)-buf))
#define COL(q)         ((unsigned long)((uint64_t)AT(q) - ls) + 1)
#define SKIP(q, state) skip_bad(r, AT(q), state, line, base + ls)
#define TOO_LONG(q, state)                                          \
  do {                                                              \
    set_error(r, r->record_line, 0, "record longer than %lu bytes", \
              (unsigned long)CSV_MAX_RECORD);                       \
    return SKIP(q, state);                                          \
  } while (0)

  if (p == end) return eof ? CSV_EOF : NEED_MORE;
  for (;;) {
    const char    *q, *d; /* d: the byte after the field */
    csv_field_pos *f;
    size_t         len; /* of the field as unescaped, before trimming */
    if (nf == cap) {
      if (grow_fields(r) != 0) {
        set_error(r, r->record_line, 0, "out of memory");
        return CSV_FATAL;
      }
      pos = r->pos;
      fields = r->fields;
      lens = r->lens;
      cap = r->cap_fields;
    }
    f = &pos[nf];
    f->start = (size_t)(p - rec);
    f->line = line;
    f->col = COL(p);
    if (*p != '"') {
      char *v = buf + AT(p);
      f->quoted = 0;
      q = find_special(p);
      len = (size_t)(q - p);
      if (content + len >= CSV_MAX_RECORD || *q == '"' || *q == '\0') {
        /* rare: the limit, a spoiling byte or the end of the bytes read */
        if (content + len > CSV_MAX_RECORD) TOO_LONG(q, IN_PLAIN);
        if (*q == '"' || (*q == '\0' && q < end)) {
          set_error(r, line, COL(q),
                    *q == '"' ? "quote inside an unquoted field (quote the whole field "
                                "and double the quote)"
                              : "NUL byte in a field");
          return SKIP(q + 1, IN_PLAIN);
        }
        if (q == end && !eof) return need_more(rec, end);
        if (content + len + 1 > CSV_MAX_RECORD) TOO_LONG(q, IN_PLAIN); /* its NUL */
      }
      lens[nf] = len;
      if (trim) fl |= trim_front(&v, &lens[nf]);
      fields[nf] = v;
      d = q;
    } else {
      unsigned long open_line = line, open_col = COL(p);
      size_t        doubled = 0;
      fl |= ANY_QUOTED | TO_FINISH;
      f->quoted = 1;
      for (q = p + 1;; q++) {
        q = find_special(q);
        if (content + (size_t)(q - p - 1) - doubled > CSV_MAX_RECORD) TOO_LONG(q, IN_QUOTED);
        if (*q == ',') continue;
        if (q + 1 == end && !eof && *q != '\0')
          return need_more(rec, end); /* the next byte decides */
        if (*q == '"') {
          if (q[1] != '"') break;
          q++;
          doubled++;
        } else if (*q == '\n' || (*q == '\r' && q[1] != '\n')) {
          line++;
          ls = AT(q + 1);
        } else if (*q == '\0') {
          if (q < end) {
            set_error(r, line, COL(q), "NUL byte in a field");
            return SKIP(q + 1, IN_QUOTED);
          }
          if (!eof) return need_more(rec, end);
          set_error(r, open_line, open_col,
                    "unterminated quoted field (the quote opens on line %lu)", open_line);
          return SKIP(q, IN_QUOTED);
        }
      }
      /* q is the closing quote */
      len = (size_t)(q - p - 1) - doubled;
      fields[nf] = buf + AT(p + 1);
      lens[nf] = (size_t)(q - p - 1); /* raw: unescaped when finished */
      d = q + 1;
      if (d == end && !eof) return need_more(rec, end);
      if (*d != ',' && *d != '\n' && *d != '\r' && d != end) {
        set_error(r, line, COL(d), "expected ',' or end of line after a closing quote");
        return SKIP(d, IN_PLAIN);
      }
      if (content + len + 1 > CSV_MAX_RECORD) TOO_LONG(d, IN_PLAIN); /* its NUL */
    }
    content += len + 1;
    nf++;
    if (*d == ',') {
      buf[AT(d)] = '\0';
      p = d + 1;
      continue;
    }
    if (*d == '\n') {
      buf[AT(d)] = '\0';
      p = d + 1;
      line++;
      ls = AT(p);
      break;
    }
    if (d == end) {                         /* the input ends without a line break */
      if (len == 0 && !f->quoted) f->col--; /* an empty field after a last comma: the comma's */
      p = d;
      break;
    }
    if (*d == '\r') {
      if (d + 1 == end && !eof) return need_more(rec, end);
      p = d + (d[1] == '\n' ? 2 : 1);
    } else {
      p = d + 1;
    }
    buf[AT(d)] = '\0';
    line++;
    ls = AT(p);
    break;
  }
  r->n_fields = nf;
  r->beg = AT(p);
  r->line = line;
  r->line_start = base + ls;
  *flags = fl;
  return CSV_RECORD;
#undef AT
#undef COL
#undef SKIP
#undef TOO_LONG
}

/* Bit 7 of each byte of w that is below n (1 <= n <= 0x80), exactly. */
static uint64_t bytes_below(uint64_t w, unsigned n) {
  return ~(((w & CSV_REP(0x7f)) + CSV_REP(0x80 - n)) | w) & CSV_REP(0x80);
}

/* 1 if the byte at q ends a field or record as scan_plain takes them:
 * ',', LF, or a CR then an LF. */
static int ends_field(const char *q) {
  return *q == ',' || *q == '\n' || (*q == '\r' && q[1] == '\n');
}

/* The closing quote of the quoted field whose text starts at s, eight
 * bytes at a time: a doubled quote sets TO_FINISH in *fl (finish removes
 * it), an LF counts a line (*line, and *ls where the next one starts in
 * buf, as in scan_record).  NULL at a CR or a NUL (the end of the bytes
 * read, or a bad record): scan_record takes the record. */
static const char *scan_quoted(const char *s, const char *buf, unsigned long *line, uint64_t *ls,
                               int *fl) {
  for (;;) {
    uint64_t    w, m;
    const char *q;
    memcpy(&w, s, 8);
    m = bytes_below(w, '\r' + 1) | bytes_below(w ^ CSV_REP('"'), 1);
    if (!m) {
      s += 8;
      continue;
    }
    q = s + csv_first_flag(m);
    s = q + 1;
    if (*q == '"') {
      if (q[1] != '"') return q;
      *fl |= TO_FINISH;
      s++;
    } else if (*q == '\n') {
      ++*line;
      *ls = (uint64_t)(s - buf);
    } else if (*q == '\r' || *q == '\0') {
      return NULL;
    }
  }
}

/* Most records are plain: fields unquoted or quoted without a CR, no NUL,
 * ending in an LF or a CRLF that is in the buffer.  Such a record is
 * scanned in one pass, the words shared by its unquoted fields, quoted
 * ones scanned to their closing quote (scan_quoted), and finished as
 * scan_record would finish it (quoted fields with a doubled quote are
 * left to finish).  Anything else (a quote inside an unquoted field, text
 * after a closing quote, NUL, a CR but in CRLF after a field, more fields
 * than room, the record limit) and scan_record takes the record: 0,
 * nothing written.  Else CSV_RECORD as from scan_record.  Little-endian
 * only. */
static int scan_plain(csv_reader *r, int *flags) {
  char *const    buf = r->buf, *const rec = buf + r->beg;
  char          *p = rec, *field = rec;
  csv_field_pos *pos = r->pos;
  size_t        *lens = r->lens, nf, cap = r->cap_fields, i;
  char         **fields = r->fields;
  const uint64_t base = r->buf_base;
  uint64_t       ls = r->line_start - base;            /* as in scan_record */
  uint64_t       col = (uint64_t)(rec - buf) - ls + 1; /* of rec, were it on the current line */
  unsigned long  line = r->line;
  int            low = 0, fl = 0, term = 0; /* low: some field may have blanks to trim */
  csv_field_pos *fp = pos, *const fend = pos + cap; /* the next field's, the end of room */
  for (;;) {
    char    *at = p;
    uint64_t w, m;
    memcpy(&w, at, 8);
    m = csv_flags(w);
    p += 8;
    while (m) {
      char          *q = at + csv_first_flag(m), *f = field;
      int            c = (unsigned char)*q;
      size_t         start, quoted = 0;
      m &= m - 1;
      if (c != ',' && !special[c]) { /* only a byte <= ' ' at either end is trimmed */
        if (c <= ' ' && (q == field || (unsigned char)q[1] <= ',')) low = 1;
        continue;
      }
      if (fp == fend) goto not_plain;
      start = (size_t)(field - rec);
      fp->start = start;
      fp->line = line;
      fp->col = (unsigned long)(col + start);
      if (c == '"' && q == field) {
        const char *close = scan_quoted(q + 1, buf, &line, &ls, &fl);
        if (!close) goto not_plain;
        q = buf + (close - buf) + 1;
        c = (unsigned char)*q;
        if (!ends_field(q)) goto not_plain;
        q[-1] = '\0';
        quoted = 1;
        f++;
        fl |= ANY_QUOTED;
        col = (uint64_t)(rec - buf) - ls + 1;
        m = 0; /* the scan goes on after the field */
        p = q + 1;
      } else if (c != ',' && !ends_field(q)) {
        goto not_plain;
      }
      fp->quoted = (int)quoted;
      fields[fp - pos] = f;
      lens[fp - pos] = (size_t)(q - f) - quoted;
      fp++;
      *q = '\0';
      field = q + 1;
      if (c != ',') {
        term = c;
        goto record;
      }
    }
  }
not_plain: /* the NULs written over commas and closing quotes go back */
  nf = (size_t)(fp - pos);
  for (i = 0; i < nf; i++) {
    size_t n = lens[i];
    if (pos[i].quoted) fields[i][n++] = '"';
    fields[i][n] = ',';
  }
  if (term) rec[field - rec - 1] = (char)term; /* over the ',' just written */
  return 0;
record:
  /* its fields and their terminators */
  if ((size_t)(field - rec) > CSV_MAX_RECORD) goto not_plain;
  nf = (size_t)(fp - pos);
  if (term == '\r') field++; /* past the LF */
  if (low && r->trim) /* else no field has a byte <= ' ' at an end */
    for (i = 0; i < nf; i++)
      if (!pos[i].quoted) fl |= trim_front(&fields[i], &lens[i]);
  r->n_fields = nf;
  r->beg = (size_t)(field - buf);
  r->line = line + 1;
  r->line_start = base + r->beg;
  *flags = fl;
  return CSV_RECORD;
}

/* Reads one physical record; *flags as for scan_record. */
static int read_record(csv_reader *r, int *flags) {
  if (!r->started && skip_bom(r) != 0) return CSV_FATAL;
  r->record_line = r->line;
  r->record_offset = r->buf_base + r->beg;
  for (;;) {
    int st;
    if (little_endian() && scan_plain(r, flags) == CSV_RECORD) return CSV_RECORD;
    st = scan_record(r, flags);
    if (st != NEED_MORE) return st;
    if (fill(r) != 0) return CSV_FATAL;
  }
}

/* Removes the doubled quotes of a quoted field's raw text f[0..n). */
static size_t unescape(char *f, size_t n) {
  char  *q = memchr(f, '"', n), *w;
  size_t i;
  if (!q) return n;
  w = q;
  for (i = (size_t)(q - f); i < n; i++) {
    *w++ = f[i];
    if (f[i] == '"') i++; /* the second of the pair */
  }
  return (size_t)(w - f);
}

/* Unescapes quoted fields and trims trailing blanks (the rest is done). */
static void finish(csv_reader *r) {
  size_t i;
  for (i = 0; i < r->n_fields; i++) {
    char  *f = r->fields[i];
    size_t n = r->lens[i];
    if (r->pos[i].quoted)
      n = unescape(f, n);
    else if (r->trim)
      while (n && is_blank(f[n - 1])) n--;
    f[n] = '\0';
    r->lens[i] = n;
  }
}

int csv_next(csv_reader *r) {
  for (;;) {
    int flags = 0, st = read_record(r, &flags);
    if (st != CSV_RECORD) return st;
    if (flags & TO_FINISH) finish(r);
    if (r->n_fields == 1 && !(flags & ANY_QUOTED) && r->lens[0] == 0) continue; /* a blank line */
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
  unsigned frac = (unsigned)(a - whole * 1000), hundreds = frac / 100, rest = frac - hundreds * 100;
  char     tmp[24], *p = buf;
  size_t   n = 0;

  if (milli < 0) *p++ = '-';
  if (whole < 10) { /* most points have one or two digits before the point */
    *p++ = (char)('0' + (int)whole);
  } else if (whole < 100) {
    *p++ = (char)('0' + (int)(whole / 10));
    *p++ = (char)('0' + (int)(whole % 10));
  } else {
    do {
      tmp[n++] = (char)('0' + (int)(whole % 10));
      whole /= 10;
    } while (whole);
    while (n) *p++ = tmp[--n];
  }
  p[0] = '.';
  p[1] = (char)('0' + (int)hundreds);
  p[2] = (char)('0' + (int)(rest / 10));
  p[3] = (char)('0' + (int)(rest % 10));
  p[4] = '\0';
}

/* ---- cells: whole numbers --------------------------------------------- */

int csv_parse_int64(const char *s, int64_t *out) {
  uint64_t v = 0, limit;
  unsigned n;
  int      neg = (*s == '-');
  if (*s == '-' || *s == '+') s++;
  if (*s < '0' || *s > '9') return 0;
  limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (n = 0; n < 18 && *s >= '0' && *s <= '9'; n++, s++) /* below 10^18: no overflow */
    v = v * 10 + (unsigned)(*s - '0');
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
