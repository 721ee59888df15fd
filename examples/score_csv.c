/*
 * score_csv.c - scores a CSV of leads with a rubric, using the public API
 * only: one concept, typing CSV columns by what the rubric reads.
 *
 *   leadgate-score-csv RUBRIC LEADS.csv
 *
 * LEADS.csv: a header `id,ATTRIBUTE,...`, then a lead a line (fields may
 * be quoted, with "" for a quote).  lg_rubric_input_at says which
 * attributes the rubric reads and what it compares them with: those
 * columns are loaded as ints, bools or text, the others are ignored.  Prints
 * id,fit,knocked_out for each lead.  The installed leadgate-triage does the
 * full job (events, policy, checks); this is the smallest version.
 */
#include <leadgate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 256

static char *read_file(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  char *buf = NULL;
  long  n;
  if (!fp) return NULL;
  if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
      (buf = malloc((size_t)n + 1)) != NULL) {
    *len = fread(buf, 1, (size_t)n, fp);
    buf[*len] = '\0';
  }
  fclose(fp);
  return buf;
}

/* Splits the record at *p into fields (unescaped in place); returns the
 * count and moves *p past the record.  0 at the end of the text. */
static size_t next_record(char **p, char **fields) {
  char  *s = *p, *out;
  size_t n = 0;
  if (*s == '\0') return 0;
  for (;;) {
    fields[n < MAX_FIELDS ? n : MAX_FIELDS - 1] = out = s;
    n++;
    if (*s == '"') { /* quoted: up to the closing quote, "" is a quote */
      for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
        if (*s == '"') s++;
        *out++ = *s;
      }
      if (*s) s++;
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r') *out++ = *s++;
    if (*s != ',') break;
    *out = '\0';
    s++;
  }
  if (*s == '\r') s++;
  if (*s == '\n') s++;
  *out = '\0';
  *p = s;
  return n < MAX_FIELDS ? n : MAX_FIELDS;
}

/* The value type the rubric compares attribute `name` with; LG_VALUE_NONE
 * when it does not read it. */
static lg_value_type column_type(const lg_rubric *rubric, const char *name) {
  size_t        i, n = lg_rubric_input_count(rubric);
  const char   *in;
  lg_input_kind kind;
  lg_value_type type;
  for (i = 0; i < n; i++)
    if (lg_rubric_input_at(rubric, i, &in, &kind, &type) == LG_OK && kind == LG_INPUT_ATTRIBUTE &&
        strcmp(in, name) == 0)
      return type == LG_VALUE_NONE ? LG_VALUE_TEXT : type; /* presence only: text */
  return LG_VALUE_NONE;
}

static lg_status set_cell(lg_lead *lead, const char *name, lg_value_type type, const char *cell) {
  char     *end;
  long long v;
  if (*cell == '\0') return LG_OK; /* empty: the attribute is missing */
  if (type == LG_VALUE_INT) {
    v = strtoll(cell, &end, 10);
    return *end ? LG_ERR_TYPE : lg_lead_set_int(lead, name, (int64_t)v);
  }
  if (type == LG_VALUE_BOOL) {
    if (strcmp(cell, "true") == 0 || strcmp(cell, "false") == 0)
      return lg_lead_set_bool(lead, name, cell[0] == 't');
    return LG_ERR_TYPE;
  }
  return lg_lead_set_text(lead, name, cell);
}

int main(int argc, char **argv) {
  static char  *header[MAX_FIELDS], *fields[MAX_FIELDS];
  lg_value_type types[MAX_FIELDS];
  size_t        len, n_cols, n, i, line = 1;
  char         *rtext, *text, *p;
  lg_rubric    *rubric;
  lg_error      err;
  lg_status     st;
  int           rc = 0;

  if (argc != 3) {
    fprintf(stderr, "usage: leadgate-score-csv RUBRIC LEADS.csv\n");
    return 2;
  }
  if (!(rtext = read_file(argv[1], &len))) return perror(argv[1]), 2;
  st = lg_rubric_parse(rtext, len, &rubric, &err);
  free(rtext);
  if (st != LG_OK) {
    fprintf(stderr, "%s:%u:%u: %s\n", argv[1], err.line, err.column, err.message);
    return 2;
  }
  if (!(text = read_file(argv[2], &len))) return perror(argv[2]), lg_rubric_free(rubric), 2;
  p = text;
  n_cols = next_record(&p, header);
  for (i = 0; i < n_cols; i++) types[i] = column_type(rubric, header[i]);
  printf("id,fit,knocked_out\n");
  while ((n = next_record(&p, fields)) != 0) {
    lg_lead *lead;
    lg_score s;
    line++;
    if (n == 1 && fields[0][0] == '\0') continue; /* a blank line */
    if (n != n_cols || lg_lead_create(fields[0], &lead) != LG_OK) {
      fprintf(stderr, "%s:%lu: expected %lu fields and an id first\n", argv[2], (unsigned long)line,
              (unsigned long)n_cols);
      rc = 1;
      continue;
    }
    for (i = 1; i < n; i++) {
      if (types[i] == LG_VALUE_NONE) continue; /* the rubric does not read it */
      if ((st = set_cell(lead, header[i], types[i], fields[i])) != LG_OK) {
        fprintf(stderr, "%s:%lu: column %s: %s\n", argv[2], (unsigned long)line, header[i],
                lg_status_message(st));
        rc = 1;
      }
    }
    /* no events here: engagement is 0, and `now` does not matter */
    if (lg_score_lead(rubric, lead, 0, &s) == LG_OK) {
      lg_points a = s.fit < 0 ? -s.fit : s.fit; /* milli-points */
      printf("%s,%s%lld.%03lld,%d\n", fields[0], s.fit < 0 ? "-" : "", (long long)(a / 1000),
             (long long)(a % 1000), (int)s.knocked_out);
    }
    lg_lead_free(lead);
  }
  free(text);
  lg_rubric_free(rubric);
  return rc;
}
