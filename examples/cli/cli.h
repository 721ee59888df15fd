/*
 * cli.h - what the installed programs (leadgate-triage, leadgate-sla-watch)
 * share: option parsing, input files, exit statuses and the form of their
 * messages.  Uses <leadgate.h>, csv.h and the C library (plus POSIX stat()
 * to tell a directory from a file).
 *
 * Exit statuses, the same for every program:
 *   0  success
 *   1  findings, or a partial result: the output is complete for what
 *      could be read, but something was skipped or could not be used
 *      (each case is reported on stderr)
 *   2  bad input or bad usage: nothing more is written
 *
 * Messages go to stderr as `FILE:LINE:COLUMN: message` (LINE and COLUMN
 * 1-based, COLUMN in bytes; `FILE:LINE: message` when the column is not
 * known, `FILE: message` for the whole file), and as `PROGRAM: message` or
 * `PROGRAM: warning: message` when no file is concerned.  stdout is
 * flushed first, so rows already written stay ahead of the message.
 *
 * Options are `--name VALUE` or `--name=VALUE` (flags take no value);
 * `--` ends the options; a file argument `-` is standard input.
 */
#ifndef LEADGATE_EXAMPLES_CLI_H
#define LEADGATE_EXAMPLES_CLI_H

#include <leadgate.h>

#include "csv.h"

#include <stdio.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_FINDINGS = 1, CLI_EXIT_INPUT = 2 };

/* The program's name (the prefix of its messages) and its usage lines
 * (printed after a usage error).  Set once, first thing in main. */
void        cli_init(const char *name, const char *usage);
const char *cli_name(void);

/* ---- options -------------------------------------------------------------- */

typedef struct cli_option {
  const char  *name;  /* "--rubric" */
  const char **value; /* receives the value; NULL for a flag */
  int         *flag;  /* set to 1 when given (flags) */
} cli_option;

/* Parses argv against opts[0..n_opts): values go where the options say;
 * the other arguments (files) go to files[0..max_files), their count to
 * *n_files.  `-h` / `--help` prints `help` on stdout and exits 0.  A bad
 * option, a missing value or too many files is a usage error. */
void cli_parse(int argc, char **argv, const cli_option *opts, size_t n_opts, const char *help,
               const char **files, size_t max_files, size_t *n_files);

/* "PROGRAM: message", the usage lines, exit 2. */
void cli_usage_error(const char *fmt, ...);

/* ---- messages ------------------------------------------------------------- */

/* "FILE:LINE:COL: message" (see above), no exit. */
void cli_error_at(const char *file, unsigned long line, unsigned long col, const char *fmt, ...);
/* The same, then exit 2. */
void cli_die_at(const char *file, unsigned long line, unsigned long col, const char *fmt, ...);
/* "FILE: message", exit 2. */
void cli_die(const char *file, const char *fmt, ...);
/* "PROGRAM: warning: message". */
void cli_warn(const char *fmt, ...);
/* "FILE:LINE:COL: warning: message" (as cli_error_at). */
void cli_warn_at(const char *file, unsigned long line, unsigned long col, const char *fmt, ...);
/* "PROGRAM: message". */
void cli_note(const char *fmt, ...);

/* ---- input files ---------------------------------------------------------- */

/* Opens an input file for reading ("-" is standard input, which only one
 * argument may name).  A missing or unreadable file, or a directory, is
 * fatal: "FILE: reason". */
FILE *cli_open(const char *path);
/* Closes what cli_open returned (standard input stays open). */
void cli_close(FILE *fp);

/* Reads a whole file into a NUL-terminated malloc'd buffer; fatal on
 * failure. */
char *cli_read_file(const char *path, size_t *len);

/* Reads and parses a rubric or policy file; a parse error is fatal as
 * FILE:LINE:COL: message. */
lg_rubric *cli_load_rubric(const char *path);
lg_policy *cli_load_policy(const char *path);

/* A CSV input with a header: the file, its reader and the header's
 * columns.  cli_csv_open reads the header (fatal when the file is empty
 * or the header malformed) and makes every later record need the
 * header's number of fields. */
typedef struct cli_csv {
  const char   *path;
  FILE         *fp;
  csv_reader    r;
  int           open;
  char        **header; /* copies of the header cells */
  size_t        n_header;
  unsigned long header_line;
} cli_csv;

void cli_csv_open(cli_csv *c, const char *path, const char *what_header);
/* The index of header column `name`, or -1; when required, a missing
 * column is fatal ("the header has no 'NAME' column"), and so is, always,
 * a name that heads two columns. */
int cli_csv_column(const cli_csv *c, const char *name, int required);
/* The indices of the required columns names[0..n) into cols[0..n). */
void cli_csv_columns(const cli_csv *c, const char *const *names, size_t n, int *cols);
void cli_csv_close(cli_csv *c);

/* ---- cells ---------------------------------------------------------------- */

/* A time cell or option value: epoch seconds or ISO 8601 with a zone
 * (lg_time_parse).  1 on success; else 0 with why it is not one in
 * why[0..cap). */
int cli_parse_time(const char *s, lg_time *out, char *why, size_t cap);
/* `true` or `false` in any case (TRUE, True, ...): 1 with the value in
 * *out; else 0. */
int cli_parse_bool(const char *s, int *out);

/* "2026-11-18T09:30:00Z", or "never" for LG_TIME_NEVER; buf holds at
 * least 32 bytes. */
void cli_format_time(lg_time t, char *buf);

#endif /* LEADGATE_EXAMPLES_CLI_H */
