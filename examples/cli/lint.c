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
 * Exit status: 0 when there is no error (warnings and infos allowed); 1
 * when a file does not parse or a finding is an error, or with --werror a
 * warning; 2 when a file cannot be read; 64 for bad usage.
 *
 * Uses only <leadgate.h> and the C library.
 */
#include <leadgate.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_FINDINGS 1
#define EXIT_INPUT    2
#define EXIT_USAGE    64

static const char usage_line[] = "usage: leadgate-lint [--werror] FILE...\n";

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

/* Reads the whole file into a malloc'd buffer; NULL with errno set. */
static char *read_file(const char *path, size_t *len) {
  FILE  *f = fopen(path, "rb");
  char  *buf = NULL, *p;
  size_t cap = 0, n = 0, got;
  if (!f) return NULL;
  for (;;) {
    if (cap - n < 4096) {
      cap = cap ? cap * 2 : 8192;
      if (!(p = realloc(buf, cap))) {
        free(buf);
        fclose(f);
        errno = ENOMEM;
        return NULL;
      }
      buf = p;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    free(buf);
    fclose(f);
    errno = EIO;
    return NULL;
  }
  fclose(f);
  *len = n;
  return buf;
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && strcmp(s + n - m, tail) == 0;
}

/* 1 if the first statement of the text (after blanks and comments) is a
 * rubric statement. */
static int looks_like_rubric(const char *t, size_t len) {
  static const char *const words[] = {"rubric", "fit", "engagement", "knockout"};
  size_t i = 0, w, k;
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
  char     *text = read_file(d->path, &len), code[32];
  lg_error  err;
  lg_status st;
  int       rubric;
  if (!text) {
    fprintf(stderr, "leadgate-lint: %s: %s\n", d->path, strerror(errno));
    exit(EXIT_INPUT);
  }
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
    printf("%s: error: %s: %s\n", d->path, code, err.message[0] ? err.message : lg_status_message(st));
  return 0;
}

typedef struct tally {
  unsigned long errors, warnings;
} tally;

/* The findings of one lg_lint call about `source` (0 rubric, 1 policy),
 * printed under `path`; `seen` lines already printed are skipped (a policy
 * linted with several rubrics repeats its own findings). */
static void report(const char *path, const lg_rubric *r, const lg_policy *p, int source,
                   tally *t, char ***seen, size_t *n_seen) {
  lg_finding *items = NULL;
  size_t      count = 0, i, j;
  lg_status   st = lg_lint(r, p, NULL, 0, &count);
  if (st == LG_ERR_BUFFER) {
    items = malloc(count * sizeof *items);
    if (!items) {
      fprintf(stderr, "leadgate-lint: out of memory\n");
      exit(EXIT_INPUT);
    }
    st = lg_lint(r, p, items, count, &count);
  }
  if (st != LG_OK) {
    fprintf(stderr, "leadgate-lint: %s: %s\n", path, lg_status_message(st));
    exit(EXIT_INPUT);
  }
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
    if (!grown || !(grown[*n_seen] = malloc(strlen(line) + 1))) {
      fprintf(stderr, "leadgate-lint: out of memory\n");
      exit(EXIT_INPUT);
    }
    *seen = grown;
    strcpy((*seen)[(*n_seen)++], line);
    fputs(line, stdout);
    if (f->severity == LG_SEVERITY_ERROR) t->errors++;
    else if (f->severity == LG_SEVERITY_WARNING) t->warnings++;
  }
  free(items);
}

int main(int argc, char **argv) {
  int     werror = 0, i, failed = 0;
  size_t  k, j, n_rubrics = 0, n_seen = 0;
  char  **seen = NULL;
  tally   t = {0, 0};

  atexit(release);
  defs = calloc((size_t)argc, sizeof *defs);
  if (!defs) return EXIT_INPUT;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--werror") == 0) werror = 1;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_line, stdout);
      return 0;
    } else if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++) defs[n_defs++].path = argv[i];
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "leadgate-lint: unknown option '%s'\n%s", a, usage_line);
      return EXIT_USAGE;
    } else {
      defs[n_defs++].path = a;
    }
  }
  if (n_defs == 0) {
    fprintf(stderr, "leadgate-lint: no FILE given\n%s", usage_line);
    return EXIT_USAGE;
  }
  for (k = 0; k < n_defs; k++) {
    if (!load(&defs[k])) failed = 1;
    else if (defs[k].rubric) n_rubrics++;
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
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "leadgate-lint: stdout: write error\n");
    return EXIT_INPUT;
  }
  return failed || t.errors || (werror && t.warnings) ? EXIT_FINDINGS : 0;
}
