/*
 * cli.c - options, input files, exit statuses and messages of the
 * installed programs (see cli.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *prog_name = "leadgate";
static const char *prog_usage = "";
static int         stdin_taken;

void cli_init(const char *name, const char *usage) {
  prog_name = name;
  prog_usage = usage;
}

const char *cli_name(void) { return prog_name; }

/* ---- messages -------------------------------------------------------------- */

static void vmessage(const char *file, unsigned long line, unsigned long col, const char *kind,
                     const char *fmt, va_list ap) {
  fflush(stdout);
  if (!file)
    fprintf(stderr, "%s: %s", prog_name, kind);
  else if (line == 0)
    fprintf(stderr, "%s: %s", file, kind);
  else if (col == 0)
    fprintf(stderr, "%s:%lu: %s", file, line, kind);
  else
    fprintf(stderr, "%s:%lu:%lu: %s", file, line, col, kind);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void cli_error_at(const char *file, unsigned long line, unsigned long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(file, line, col, "", fmt, ap);
  va_end(ap);
}

void cli_die_at(const char *file, unsigned long line, unsigned long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(file, line, col, "", fmt, ap);
  va_end(ap);
  exit(CLI_EXIT_INPUT);
}

void cli_die(const char *file, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(file, 0, 0, "", fmt, ap);
  va_end(ap);
  exit(CLI_EXIT_INPUT);
}

void cli_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(NULL, 0, 0, "warning: ", fmt, ap);
  va_end(ap);
}

void cli_warn_at(const char *file, unsigned long line, unsigned long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(file, line, col, "warning: ", fmt, ap);
  va_end(ap);
}

void cli_note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(NULL, 0, 0, "", fmt, ap);
  va_end(ap);
}

void cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(NULL, 0, 0, "", fmt, ap);
  va_end(ap);
  fputs(prog_usage, stderr);
  exit(CLI_EXIT_INPUT);
}

/* ---- options ------------------------------------------------------------------ */

static void add_file(const char *a, const char **files, size_t max_files, size_t *n_files) {
  if (*n_files == max_files) cli_usage_error("unexpected argument '%s'", a);
  files[(*n_files)++] = a;
}

void cli_parse(int argc, char **argv, const cli_option *opts, size_t n_opts, const char *help,
               const char **files, size_t max_files, size_t *n_files) {
  int i;
  *n_files = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *eq;
    size_t      n, k;
    if (strcmp(a, "--") == 0) {
      while (++i < argc) add_file(argv[i], files, max_files, n_files);
      break;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(help, stdout);
      exit(CLI_EXIT_OK);
    }
    if (a[0] != '-' || a[1] == '\0') {
      add_file(a, files, max_files, n_files);
      continue;
    }
    if (a[1] != '-') cli_usage_error("unknown option '%s'", a);
    eq = strchr(a, '=');
    n = eq ? (size_t)(eq - a) : strlen(a);
    for (k = 0; k < n_opts; k++)
      if (strlen(opts[k].name) == n && strncmp(a, opts[k].name, n) == 0) break;
    if (k == n_opts) cli_usage_error("unknown option '%.*s'", (int)n, a);
    if (!opts[k].value) {
      if (eq) cli_usage_error("option '%s' takes no value", opts[k].name);
      *opts[k].flag = 1;
      continue;
    }
    if (eq)
      *opts[k].value = eq + 1;
    else if (++i < argc)
      *opts[k].value = argv[i];
    else
      cli_usage_error("option '%s' needs a value", a);
  }
}

/* ---- input files ----------------------------------------------------------------- */

FILE *cli_open(const char *path) {
  struct stat st;
  FILE       *fp;
  if (strcmp(path, "-") == 0) {
    if (stdin_taken) cli_die(path, "standard input can be read only once (one '-' argument)");
    stdin_taken = 1;
    return stdin;
  }
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) cli_die(path, "is a directory; expected a file");
  errno = 0;
  fp = fopen(path, "rb");
  if (!fp) cli_die(path, "%s", errno ? strerror(errno) : "cannot open");
  return fp;
}

void cli_close(FILE *fp) {
  if (fp && fp != stdin) fclose(fp);
}

char *cli_read_file(const char *path, size_t *len) {
  FILE  *fp = cli_open(path);
  char  *buf = NULL, *p;
  size_t n = 0, cap = 0, got;
  for (;;) {
    if (cap - n < 4096 + 1) {
      size_t ncap = cap ? cap * 2 : 8192;
      if (ncap < cap || !(p = realloc(buf, ncap))) {
        free(buf);
        cli_close(fp);
        cli_die(path, "out of memory");
      }
      buf = p;
      cap = ncap;
    }
    got = fread(buf + n, 1, cap - n - 1, fp);
    n += got;
    if (got == 0) break;
  }
  if (ferror(fp)) {
    int e = errno;
    free(buf);
    cli_close(fp);
    cli_die(path, "%s", e ? strerror(e) : "read error");
  }
  cli_close(fp);
  buf[n] = '\0';
  *len = n;
  return buf;
}

static void parse_failed(const char *path, lg_status st, const lg_error *err) {
  cli_die_at(path, err->line, err->column, "%s",
             err->message[0] ? err->message : lg_status_message(st));
}

/* Reads and parses a rubric (is_policy 0) or a policy. */
static void load_definition(const char *path, int is_policy, lg_rubric **rubric,
                            lg_policy **policy) {
  size_t    len;
  char     *text = cli_read_file(path, &len);
  lg_error  err;
  lg_status st = is_policy ? lg_policy_parse(text, len, policy, &err)
                           : lg_rubric_parse(text, len, rubric, &err);
  free(text);
  if (st != LG_OK) parse_failed(path, st, &err);
}

lg_rubric *cli_load_rubric(const char *path) {
  lg_rubric *rubric = NULL;
  load_definition(path, 0, &rubric, NULL);
  return rubric;
}

lg_policy *cli_load_policy(const char *path) {
  lg_policy *policy = NULL;
  load_definition(path, 1, NULL, &policy);
  return policy;
}

/* ---- CSV inputs ------------------------------------------------------------------ */

void cli_csv_open(cli_csv *c, const char *path, const char *what_header) {
  int    st;
  size_t i;
  memset(c, 0, sizeof *c);
  c->path = path;
  c->fp = cli_open(path);
  if (csv_open(&c->r, c->fp, 1) != 0) cli_die(path, "out of memory");
  c->open = 1;
  st = csv_next(&c->r);
  if (st == CSV_EOF) cli_die_at(path, 1, 0, "empty file: expected a header line %s", what_header);
  if (st != CSV_RECORD) cli_die_at(path, c->r.error_line, c->r.error_col, "%s", c->r.error);
  c->n_header = c->r.n_fields;
  c->header_line = c->r.record_line;
  if (!(c->header = calloc(c->n_header, sizeof *c->header))) cli_die(path, "out of memory");
  for (i = 0; i < c->n_header; i++) {
    const char *name = c->r.fields[i];
    if (!(c->header[i] = malloc(c->r.lens[i] + 1))) cli_die(path, "out of memory");
    memcpy(c->header[i], name, c->r.lens[i] + 1);
  }
  c->r.expect_fields = c->n_header;
}

int cli_csv_column(const cli_csv *c, const char *name, int required) {
  size_t i, j;
  for (i = 0; i < c->n_header; i++)
    if (strcmp(c->header[i], name) == 0) {
      for (j = i + 1; j < c->n_header; j++)
        if (strcmp(c->header[j], name) == 0)
          cli_die_at(c->path, c->header_line, 0, "column '%s' appears twice (columns %lu and %lu)",
                     name, (unsigned long)i + 1, (unsigned long)j + 1);
      return (int)i;
    }
  if (required) cli_die_at(c->path, c->header_line, 0, "the header has no '%s' column", name);
  return -1;
}

void cli_csv_columns(const cli_csv *c, const char *const *names, size_t n, int *cols) {
  size_t i;
  for (i = 0; i < n; i++) cols[i] = cli_csv_column(c, names[i], 1);
}

void cli_csv_close(cli_csv *c) {
  size_t i;
  if (c->open) csv_close(&c->r);
  cli_close(c->fp);
  for (i = 0; i < c->n_header; i++) free(c->header[i]);
  free(c->header);
  memset(c, 0, sizeof *c);
}

/* ---- cells ------------------------------------------------------------------- */

int cli_parse_time(const char *s, lg_time *out, char *why, size_t cap) {
  lg_status st = lg_time_parse(s, strlen(s), out);
  if (st == LG_OK) return 1;
  if (st == LG_ERR_RANGE)
    snprintf(why, cap, "'%.64s' is out of range (%s)", s,
             s[0] == '-' || strncmp(s, "0000", 4) == 0 || strncmp(s, "0001", 4) == 0
                 ? "before 0001-01-01"
                 : "after 9999-12-31");
  else
    snprintf(why, cap,
             "'%.64s' is not epoch seconds or ISO 8601 like 2026-11-18T09:30:00Z (or "
             "+01:00 for the zone)",
             s);
  return 0;
}

void cli_format_time(lg_time t, char *buf) {
  size_t needed;
  if (t == LG_TIME_NEVER)
    strcpy(buf, "never");
  else if (lg_time_format(t, buf, 32, &needed) != LG_OK)
    sprintf(buf, "%lld", (long long)t);
}

int cli_parse_bool(const char *s, int *out) {
  static const char *const words[2] = { "false", "true" };
  int                      v;
  for (v = 0; v < 2; v++) {
    const char *w = words[v], *p = s;
    for (; *p && *w; p++, w++)
      if ((*p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p) != *w) break;
    if (*p == '\0' && *w == '\0') {
      *out = v;
      return 1;
    }
  }
  return 0;
}
