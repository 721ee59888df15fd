/*
 * csv.h - the CSV reader and writer the installed programs share: a
 * streaming RFC 4180 reader, RFC 4180 output quoting, points with three
 * decimals and strict whole numbers.  Standard C only; not part of the
 * library.
 *
 * The reader takes a record at a time from a FILE through a large block
 * buffer, so memory is proportional to the longest record, never to the
 * file.  Quoted fields may hold commas, doubled quotes and line breaks;
 * records end in LF, CRLF or a lone CR.  Blank lines are skipped, and so
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
  size_t        start;  /* offset in rec */
  unsigned long line;   /* physical line of its first byte (1-based) */
  unsigned long col;    /* byte column of its first byte (1-based; the
                           opening quote of a quoted field) */
  int           quoted; /* 1 when it was quoted */
} csv_field_pos;

typedef struct csv_reader {
  FILE          *fp;
  char          *in; /* input block */
  size_t         in_len, in_pos;
  uint64_t       in_base; /* input offset of in[0] */
  int            in_eof, started;
  int            trim;          /* trim spaces around unquoted fields */
  size_t         expect_fields; /* 0, or the field count every record must have */
  char          *rec;           /* the record's fields, each NUL-terminated */
  size_t         rec_len, rec_cap;
  csv_field_pos *pos;    /* where each field starts */
  char         **fields; /* fields[i] is field i (NUL-terminated) after a record */
  size_t        *lens;   /* lens[i] == strlen(fields[i]) after a record */
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
