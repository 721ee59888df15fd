/*
 * lint.c - leadgate-lint: checks rubric and policy files before anyone
 * agrees to them (lg_lint), and prints what it finds like a compiler.
 *
 *   leadgate-lint [--werror] FILE...
 *
 * A FILE ending in .rubric is a rubric, one ending in .policy a policy;
 * any other is a rubric when its first statement is a rubric statement
 * (rubric, fit, engagement, knockout), else a policy.  Each rubric is
 * linted alone, and each policy with every rubric given (or alone when
 * there is none), so `leadgate-lint b2b.rubric inbound.policy` also checks
 * the policy's score rules against what the rubric can score.
 *
 * Output, one line a finding, on stdout:
 *   FILE:LINE: SEVERITY: CODE: MESSAGE
 * (FILE: SEVERITY: ... for a finding not about a line).  A file that does
 * not parse gives FILE:LINE:COLUMN: error: syntax: MESSAGE (the code is
 * the status: syntax, limit, range).
 *
 * Exit status (cli.h): 0 when there is no error (warnings and infos
 * allowed); 1 when a file does not parse or a finding is an error, or with
 * --werror a warning; 2 when a file cannot be read, and for bad usage.
 *
 * Uses only <leadgate.h>, cli.h and the C library.
 */
#include <leadgate.h>

#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_line[] = "usage: leadgate-lint [--werror] FILE...\n";

static const char help_text[] =
    "usage: leadgate-lint [--werror] FILE...\n"
    "\n"
    "Checks rubric and policy files for rules that can never work: a qualify\n"
    "rule no lead can meet (or every lead meets), grades and when lines that\n"
    "never apply, knockouts the rubric lacks, steps that never fire.  Files\n"
    "ending in .rubric or .policy are taken as such; others by their first\n"
    "statement.  Each policy is checked against every rubric given.\n"
    "\n"
    "  --werror   warnings fail too (exit 1)\n"
    "\n"
    "Output: FILE:LINE: SEVERITY: CODE: MESSAGE, one line a finding; a file\n"
    "that does not parse gives FILE:LINE:COLUMN: error: syntax: MESSAGE.\n"
    "Exit status: 0 no error; 1 an error (or a warning with --werror);\n"
    "2 a file cannot be read, or bad usage.\n";

typedef struct def {
  const char *path;
  lg_rubric  *rubric; /* exactly one of the two once parsed */
  lg_policy  *policy;
} def;

static def   *defs;
static size_t n_defs;

static void release(void) {
  size_t i;
  for (i = 0; i < n_defs; i++) {
    lg_rubric_free(defs[i].rubric);
    lg_policy_free(defs[i].policy);
  }
  free(defs);
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && strcmp(s + n - m, tail) == 0;
}

/* 1 if the first statement of the text (after blanks and comments) is a
 * rubric statement. */
static int looks_like_rubric(const char *t, size_t len) {
  static const char *const words[] = { "rubric", "fit", "engagement", "knockout" };
  size_t                   i = 0, w, k;
  while (i < len) {
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) i++;
    if (i < len && t[i] == '#') {
      while (i < len && t[i] != '\n') i++;
      continue;
    }
    break;
  }
  for (w = 0; w < sizeof words / sizeof words[0]; w++) {
    k = strlen(words[w]);
    if (len - i >= k && memcmp(t + i, words[w], k) == 0 &&
        (len - i == k || !(isalnum((unsigned char)t[i + k]) || t[i + k] == '_' || t[i + k] == '-')))
      return 1;
  }
  return 0;
}

/* "syntax" for LG_ERR_SYNTAX: the status name without its prefix, lower case. */
static void status_code(lg_status st, char *out, size_t cap) {
  const char *name = lg_status_name(st);
  size_t      i = 0;
  if (strncmp(name, "LG_ERR_", 7) == 0) name += 7;
  for (; name[i] && i + 1 < cap; i++) out[i] = (char)tolower((unsigned char)name[i]);
  out[i] = '\0';
}

/* Parses one file; 1 if it parsed, 0 if it did not (reported). */
static int load(def *d) {
  size_t    len = 0;
  char     *text = cli_read_file(d->path, &len), code[32];
  lg_error  err;
  lg_status st;
  int       rubric;
  rubric = ends_with(d->path, ".rubric")   ? 1
           : ends_with(d->path, ".policy") ? 0
                                           : looks_like_rubric(text, len);
  st = rubric ? lg_rubric_parse(text, len, &d->rubric, &err)
              : lg_policy_parse(text, len, &d->policy, &err);
  free(text);
  if (st == LG_OK) return 1;
  status_code(st, code, sizeof code);
  if (err.line)
    printf("%s:%u:%u: error: %s: %s\n", d->path, (unsigned)err.line, (unsigned)err.column, code,
           err.message[0] ? err.message : lg_status_message(st));
  else
    printf("%s: error: %s: %s\n", d->path, code,
           err.message[0] ? err.message : lg_status_message(st));
  return 0;
}

typedef struct tally {
  unsigned long errors, warnings;
} tally;

/* The findings of one lg_lint call about `source` (0 rubric, 1 policy),
 * printed under `path`; `seen` lines already printed are skipped (a policy
 * linted with several rubrics repeats its own findings). */
static void report(const char *path, const lg_rubric *r, const lg_policy *p, int source, tally *t,
                   char ***seen, size_t *n_seen) {
  lg_finding *items = NULL;
  size_t      count = 0, i, j;
  lg_status   st = lg_lint(r, p, NULL, 0, &count);
  if (st == LG_ERR_BUFFER) {
    items = malloc(count * sizeof *items);
    if (!items) cli_die(cli_name(), "out of memory");
    st = lg_lint(r, p, items, count, &count);
  }
  if (st != LG_OK) cli_die(path, "%s", lg_status_message(st));
  for (i = 0; i < count; i++) {
    const lg_finding *f = &items[i];
    char              line[512], **grown;
    const char       *sev = lg_severity_name((lg_severity)f->severity);
    if (f->source != source) continue;
    if (f->line)
      snprintf(line, sizeof line, "%s:%u: %s: %s: %s\n", path, (unsigned)f->line, sev, f->code,
               f->message);
    else
      snprintf(line, sizeof line, "%s: %s: %s: %s\n", path, sev, f->code, f->message);
    for (j = 0; j < *n_seen; j++)
      if (strcmp((*seen)[j], line) == 0) break;
    if (j < *n_seen) continue;
    grown = realloc(*seen, (*n_seen + 1) * sizeof *grown);
    if (grown) *seen = grown;
    if (!grown || !(grown[*n_seen] = malloc(strlen(line) + 1)))
      cli_die(cli_name(), "out of memory");
    strcpy((*seen)[(*n_seen)++], line);
    fputs(line, stdout);
    if (f->severity == LG_SEVERITY_ERROR)
      t->errors++;
    else if (f->severity == LG_SEVERITY_WARNING)
      t->warnings++;
  }
  free(items);
}

int main(int argc, char **argv) {
  int              werror = 0, failed = 0;
  size_t           k, j, n_rubrics = 0, n_seen = 0, n_files = 0;
  char           **seen = NULL;
  const char     **files;
  tally            t = { 0, 0 };
  const cli_option opts[] = { { "--werror", NULL, &werror } };

  cli_init("leadgate-lint", usage_line);
  atexit(release);
  files = calloc((size_t)argc + 1, sizeof *files);
  defs = calloc((size_t)argc + 1, sizeof *defs);
  if (!files || !defs) cli_die(cli_name(), "out of memory");
  cli_parse(argc, argv, opts, 1, help_text, files, (size_t)argc, &n_files);
  if (n_files == 0) cli_usage_error("no FILE given");
  for (k = 0; k < n_files; k++) defs[n_defs++].path = files[k];
  free(files);
  for (k = 0; k < n_defs; k++) {
    if (!load(&defs[k]))
      failed = 1;
    else if (defs[k].rubric)
      n_rubrics++;
  }
  for (k = 0; k < n_defs; k++) {
    const def *d = &defs[k];
    if (d->rubric) report(d->path, d->rubric, NULL, 0, &t, &seen, &n_seen);
    if (!d->policy) continue;
    if (n_rubrics == 0) report(d->path, NULL, d->policy, 1, &t, &seen, &n_seen);
    for (j = 0; j < n_defs; j++)
      if (defs[j].rubric) report(d->path, defs[j].rubric, d->policy, 1, &t, &seen, &n_seen);
  }
  for (k = 0; k < n_seen; k++) free(seen[k]);
  free(seen);
  if (fflush(stdout) != 0 || ferror(stdout)) cli_die("stdout", "write error");
  return failed || t.errors || (werror && t.warnings) ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}
