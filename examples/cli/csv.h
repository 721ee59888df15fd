/*
 * csv.h - the CSV reader and writer the installed programs share: a
 * streaming RFC 4180 reader, RFC 4180 output quoting, points with three
 * decimals and strict whole numbers.  Standard C only; not part of the
 * library.
 *
 * The reader takes a record at a time from a FILE (or from memory, see
 * csv_open_mem) through a large buffer, so memory is proportional to the
 * longest record, never to the file; fields are handed out in place in
 * that buffer, valid until the next csv_next or csv_close.  Quoted fields
 * may hold commas, doubled quotes and line breaks; records end in LF, CRLF
 * or a lone CR.  Blank lines are skipped, and so
 * is one UTF-8 byte order mark at the very start of the input (before a
 * quoted first field too).  A NUL byte anywhere is an error (fields are
 * handed out as C strings).
 *
 * Normalisation (csv_open's `trim`): ASCII spaces and tabs around an
 * unquoted field are dropped (` high ` reads as `high`); a quoted field is
 * taken exactly as written.
 *
 * A malformed record (CSV_BAD) is skipped to the end of its logical
 * record: a quoted field that opened before the error and spans lines is
 * skipped whole, so reading goes on with the record after it and never
 * starts a record inside a quoted field.
 */
#ifndef LEADGATE_EXAMPLES_CSV_H
#define LEADGATE_EXAMPLES_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
  CSV_EOF = 0,    /* no more records */
  CSV_RECORD = 1, /* a record is in fields[0..n_fields) */
  CSV_BAD = -1,   /* a malformed record: error, error_line and error_col
                     say why and where; the reader has skipped past it, so
                     reading may go on */
  CSV_FATAL = -2  /* out of memory or a read error: error says which */
};

/* Where a field of the last record starts. */
typedef struct csv_field_pos {
  size_t        start;  /* offset of its first byte from record_offset */
  unsigned long line;   /* physical line of its first byte (1-based) */
  unsigned long col;    /* byte column of its first byte (1-based; the
                           opening quote of a quoted field) */
  int           quoted; /* 1 when it was quoted */
} csv_field_pos;

typedef struct csv_reader {
  FILE          *fp;  /* the input, or NULL for csv_open_mem */
  const char    *mem; /* csv_open_mem's bytes */
  size_t         mem_len, mem_pos;
  size_t         mem_block;     /* the most the next fill takes from mem */
  char          *buf;           /* the input buffer: buf[beg..end) is not read yet */
  size_t         buf_cap;       /* its size (CSV_PAD zero bytes follow) */
  size_t         beg, end;      /* see buf */
  uint64_t       buf_base;      /* input offset of buf[0] */
  int            eof;           /* nothing more to read into buf */
  int            started;       /* the BOM check is done */
  int            swar;          /* scan eight bytes at a time (little-endian) */
  int            trim;          /* trim spaces around unquoted fields */
  size_t         expect_fields; /* 0, or the field count every record must have */
  csv_field_pos *pos;           /* where each field starts */
  char         **fields;        /* fields[i] is field i (NUL-terminated, in buf: valid
                            until the next csv_next) after a record */
  size_t        *lens;          /* lens[i] == strlen(fields[i]) after a record */
  size_t         n_fields, cap_fields;
  unsigned long  line;          /* physical line the next record starts on */
  uint64_t       line_start;    /* input offset where that line starts */
  unsigned long  record_line;   /* line the last record (or bad record) began on */
  uint64_t       record_offset; /* input offset where it began (after a BOM) */
  unsigned long  error_line;    /* line of the last CSV_BAD / CSV_FATAL */
  unsigned long  error_col;     /* its byte column, 0 when not known */
  char           error[160];
} csv_reader;

/* Starts reading `fp` (not closed by the reader); trim != 0 trims
 * unquoted fields (see above).  0, or -1 when out of memory. */
int csv_open(csv_reader *r, FILE *fp, int trim);
/* Reads the next record: CSV_RECORD, CSV_EOF, CSV_BAD or CSV_FATAL.  Once
 * expect_fields is set (usually to the header's count), a record with
 * another number of fields is CSV_BAD ("expected N fields as in the
 * header, found M"). */
int  csv_next(csv_reader *r);
void csv_close(csv_reader *r);

/* ---- reading a file in parts (parallel readers) ----------------------------
 *
 * Reads records from the caller's bytes data[0..len) (never written;
 * they are taken into the reader's buffer a block at a time as reading
 * goes, so they must outlive the reader and stay unchanged), numbering lines from
 * first_line and offsets from base, as if this were the part of a larger
 * input that starts there (no BOM skip unless base == 0).  Same records,
 * errors and positions as csv_open on the whole input would give for
 * these bytes, provided data starts at a record boundary.  0, or -1 when
 * out of memory.  Close with csv_close. */
int csv_open_mem(csv_reader *r, const char *data, size_t len, uint64_t base,
                 unsigned long first_line, int trim);

/* Starts a csv_open_mem reader over again on other bytes, as csv_close
 * and csv_open_mem(r, data, len, base, first_line, trim) with the same
 * trim would (expect_fields is kept), but keeping its buffers (so it
 * cannot fail): for a caller
 * that reads most records some other way and hands the reader only the
 * odd one.  The first reads after it take a few KiB at a time, so a
 * short record costs little. */
void csv_seek_mem(csv_reader *r, const char *data, size_t len, uint64_t base,
                  unsigned long first_line);

/* The input offset where the reader's next record begins: after a record
 * (or a bad record) it is just past that record's line break (blank lines
 * after it not yet skipped); right after opening, `base` (0 for csv_open). */
uint64_t csv_tell(const csv_reader *r);

/* A guess at a record boundary at or after `from` in data[0..len), for
 * splitting work: the smallest offset o >= from that is 0, len, or just
 * after a line break (LF, a lone CR, or CRLF taken as one: never between
 * the CR and the LF).  A line break inside a quoted field cannot be told
 * from the end of a record without reading from a known boundary, so the
 * guess assumes the break is not inside quotes (it always holds for
 * input without quoted line breaks) and the caller confirms it:
 *
 *   Part k covers [s_k, s_k+1), s_0 = 0 (or the offset after the header)
 *   and s_k+1 = csv_split_point(data, len, guess).  Its reader is opened
 *   on ALL the rest of the input, csv_open_mem(r, data + s_k, len - s_k,
 *   s_k, line_k, trim), and returns records (CSV_RECORD or CSV_BAD) while
 *   record_offset < s_k+1; the first one at or past s_k+1 (or CSV_EOF)
 *   ends the part and is not the part's.  Let t be csv_tell() after the
 *   part's last record (s_k before any).  The split s_k+1 was a record
 *   boundary iff t <= s_k+1 (what lies between is blank lines).  Else a
 *   quoted field ran across it: the next part must be read again from
 *   s_k+1 = t, with first line r->line as it was at t.
 *
 * line_k: physical lines count every line break, inside quotes or not,
 * so line_k+1 = line_k + csv_count_lines(data + s_k, s_k+1 - s_k) needs
 * no quote state (or take r->line of the previous part's reader after its
 * last record: the line its next record starts on).  Reads data only;
 * thread-safe. */
size_t csv_split_point(const char *data, size_t len, size_t from);

/* The number of line breaks in data[0..len) as the reader counts them
 * (LF, a lone CR, CRLF as one), inside quoted fields or not; a CR at
 * data[len - 1] counts as one, so do not end a part between CR and LF.
 * Thread-safe. */
unsigned long csv_count_lines(const char *data, size_t len);

/* ---- scanning eight bytes at a time (little-endian words) -------------------
 *
 * csv_flags(w) sets bit 7 of each byte of w that is below 0x2d, exactly
 * (no carry crosses bytes): ',' '"' CR LF NUL and every byte at or below
 * ' ' are among them.  csv_first_flag(m), m != 0, is the index of the
 * lowest flagged byte. */
#define CSV_REP(b) ((uint64_t)0x0101010101010101 * (b))

static inline uint64_t csv_flags(uint64_t w) {
  return ~(((w & CSV_REP(0x7f)) + CSV_REP(0x80 - 0x2d)) | w) & CSV_REP(0x80);
}

static inline unsigned csv_first_flag(uint64_t m) {
#if defined(__GNUC__)
  return (unsigned)__builtin_ctzll(m) >> 3;
#else
  return (unsigned)((((m & (0 - m)) >> 7) * (uint64_t)0x0001020304050607) >> 56);
#endif
}

/* Writes one field, quoted per RFC 4180 when it holds a comma, a quote, CR
 * or LF. */
void csv_write_field(FILE *out, const char *s);

/* Points (milli-points) with exactly three decimals: 8000 -> "8.000",
 * -3250 -> "-3.250".  buf holds at least 32 bytes. */
void csv_format_points(int64_t milli, char *buf);

/* 1 if s is an optional sign ('+' or '-') and one or more ASCII digits,
 * nothing else, and fits int64 (the value goes to *out); else 0. */
int csv_parse_int64(const char *s, int64_t *out);

#endif /* LEADGATE_EXAMPLES_CSV_H */
