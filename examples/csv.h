/*
 * csv.h - what the example programs share: a streaming RFC 4180 CSV reader,
 * RFC 4180 output quoting, the cell formats the programs accept (integers,
 * times as epoch seconds or ISO 8601) and whole-file reading for rubric and
 * policy text.  Standard C only; not part of the library.
 *
 * The reader takes a record at a time from a FILE through a large block
 * buffer, so memory is proportional to the longest record, never to the
 * file.  Quoted fields may hold commas, doubled quotes and line breaks;
 * records end in LF, CRLF or a lone CR.  Blank lines are skipped.  A NUL
 * byte anywhere is an error (fields are handed out as C strings).
 */
#ifndef LEADGATE_EXAMPLES_CSV_H
#define LEADGATE_EXAMPLES_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
  CSV_EOF = 0,    /* no more records */
  CSV_RECORD = 1, /* a record is in fields[0..n_fields) */
  CSV_BAD = -1,   /* a malformed record: error and error_line say why and
                     where; the reader has skipped past it, so reading
                     may go on */
  CSV_FATAL = -2  /* out of memory or a read error: error says which */
};

typedef struct csv_reader {
  FILE         *fp;
  char         *in;              /* input block */
  size_t        in_len, in_pos;
  int           in_eof;
  char         *rec;             /* the record's fields, each NUL-terminated */
  size_t        rec_len, rec_cap;
  size_t       *starts;          /* offset of each field in rec */
  char        **fields;          /* fields[i] == rec + starts[i] after a record */
  size_t       *lens;            /* lens[i] == strlen(fields[i]) after a record */
  size_t        n_fields, cap_fields;
  unsigned long line;            /* physical line the next record starts on */
  unsigned long record_line;     /* line the last record (or bad record) began on */
  unsigned long error_line;      /* line of the last CSV_BAD / CSV_FATAL */
  char          error[160];
} csv_reader;

/* Starts reading `fp` (not closed by the reader).  0, or -1 when out of
 * memory. */
int  csv_open(csv_reader *r, FILE *fp);
/* Reads the next record: CSV_RECORD, CSV_EOF, CSV_BAD or CSV_FATAL. */
int  csv_next(csv_reader *r);
void csv_close(csv_reader *r);

/* Writes one field, quoted per RFC 4180 when it holds a comma, a quote, CR
 * or LF. */
void csv_write_field(FILE *out, const char *s);

/* Points (milli-points) with exactly three decimals: 8000 -> "8.000",
 * -3250 -> "-3.250".  buf holds at least 32 bytes. */
void csv_format_points(int64_t milli, char *buf);

/* 1 if s is an optional '-' and one or more digits and fits int64 (the
 * value goes to *out), else 0. */
int csv_parse_int64(const char *s, int64_t *out);

/* Seconds since the epoch from "1795428000" or an ISO 8601 date-time with
 * a zone: "2026-11-18T09:30:00Z", "2026-11-18T10:30:00+01:00" (seconds
 * optional, 'T' or ' ' between date and time).  Years 0001..9999.
 * 1 on success, else 0. */
int csv_parse_time(const char *s, int64_t *out);

/* "2026-11-18T09:30:00Z"; "never" for INT64_MAX.  buf holds at least 32
 * bytes.  Times outside years 0001..9999 print as epoch seconds. */
void csv_format_time(int64_t t, char *buf);

/* Reads a whole file into a NUL-terminated malloc'd buffer.  0 on success;
 * otherwise nothing is allocated and the result is the errno value of the
 * failure (> 0), -1 when out of memory or -2 for a read error without an
 * errno.  csv_file_error says it in words. */
int         csv_read_file(const char *path, char **text, size_t *len);
const char *csv_file_error(int rc);

/* ---- errors, shared by the example programs -------------------------------
 * Both flush stdout first (rows already written stay ahead of the message)
 * and exit with status 2, "bad input". */

/* "FILE: msg" */
void csv_die(const char *file, const char *msg);
/* "FILE:LINE:COL: msg", "FILE:LINE: msg" when col is 0, "FILE: msg" when
 * line is 0 too. */
void csv_die_at(const char *file, unsigned long line, unsigned long col, const char *msg);

#endif /* LEADGATE_EXAMPLES_CSV_H */
