/*
 * data.c - the input files the installed programs share (see data.h).
 */
#include "data.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_valid(const char *s) { return lg_name_check(s, NULL) == LG_OK; }

/* ---- what the rubric and the policy read ------------------------------------- */

static const char *type_name(int type) {
  return type == LG_VALUE_INT ? "int" : type == LG_VALUE_BOOL ? "bool" : "text";
}

static void add_input(data_inputs *r, const char *name, int kind, int type, int by) {
  size_t i;
  for (i = 0; i < r->n; i++) {
    data_input *in = &r->v[i];
    if (in->kind != kind || strcmp(in->name, name) != 0) continue;
    in->by |= by;
    if (in->type == LG_VALUE_NONE)
      in->type = type;
    else if (type != LG_VALUE_NONE && type != in->type)
      in->type = -1;
    return;
  }
  r->v[r->n].name = name;
  r->v[r->n].kind = kind;
  r->v[r->n].type = type;
  r->v[r->n++].by = by;
}

void data_inputs_collect(data_inputs *r, const lg_rubric *rubric, const lg_policy *policy) {
  size_t        nr = lg_rubric_input_count(rubric), np = lg_policy_input_count(policy), i;
  const char   *name;
  lg_input_kind kind;
  lg_value_type type;
  if (!(r->v = malloc((nr + np + 1) * sizeof *r->v))) cli_die(cli_name(), "out of memory");
  for (i = 0; i < nr; i++)
    if (lg_rubric_input_at(rubric, i, &name, &kind, &type) == LG_OK)
      add_input(r, name, (int)kind, (int)type, 1);
  for (i = 0; i < np; i++)
    if (lg_policy_input_at(policy, i, &name, &kind, &type) == LG_OK)
      add_input(r, name, (int)kind, (int)type, 2);
}

void data_inputs_free(data_inputs *r) {
  free(r->v);
  memset(r, 0, sizeof *r);
}

const data_input *data_find_input(const data_inputs *r, const char *name, int kind) {
  size_t i;
  for (i = 0; i < r->n; i++)
    if (r->v[i].kind == kind && strcmp(r->v[i].name, name) == 0) return &r->v[i];
  return NULL;
}

/* An attribute the definitions read whose name equals `name` but for
 * ASCII case, or NULL. */
static const data_input *find_input_like(const data_inputs *r, const char *name) {
  size_t i, k;
  for (i = 0; i < r->n; i++) {
    const char *a = r->v[i].name;
    if (r->v[i].kind != LG_INPUT_ATTRIBUTE) continue;
    for (k = 0; a[k] && (name[k] == a[k] ||
                         (name[k] >= 'A' && name[k] <= 'Z' && name[k] + ('a' - 'A') == a[k]));
         k++) {
    }
    if (a[k] == '\0' && name[k] == '\0') return &r->v[i];
  }
  return NULL;
}

const char *data_readers(int by) {
  by &= 3; /* the draft bits (triage's what-if) are the caller's */
  return by == 3   ? "the rubric and the policy read"
         : by == 1 ? "the rubric reads"
         : by == 2 ? "the policy reads"
                   : "the draft reads";
}

/* A warning about the inputs: with --strict an error (counted, fatal once
 * all are reported). */
void data_input_warning(data_inputs *r, const char *fmt, ...) {
  char    msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!r->strict) {
    cli_warn("%s", msg);
    return;
  }
  cli_note("error: %s", msg);
  r->n_strict++;
}
static int parse_type(const char *s) {
  if (strcmp(s, "text") == 0) return LG_VALUE_TEXT;
  if (strcmp(s, "int") == 0) return LG_VALUE_INT;
  if (strcmp(s, "bool") == 0) return LG_VALUE_BOOL;
  return -1;
}

void data_read_header(data_inputs *r, cli_csv *c, const char *path, data_columns *cols) {
  const csv_reader *cr = &c->r;
  size_t            i, j;

  cli_csv_open(c, path, "with an 'id' column");
  cols->id = -1;
  cols->n = c->n_header;
  cols->c = calloc(cols->n, sizeof *cols->c);
  cols->load = calloc(cols->n, sizeof *cols->load);
  if (!cols->c || !cols->load) cli_die(path, "out of memory");
  for (i = 0; i < cols->n; i++) {
    const char       *cell = c->header[i], *colon = strchr(cell, ':');
    size_t            n = colon ? (size_t)(colon - cell) : strlen(cell);
    int               declared = -1;
    const data_input *in;
    data_column      *col = &cols->c[i];
    unsigned long     line = cr->pos[i].line, at = cr->pos[i].col;
    if (!(col->name = malloc(n + 1))) cli_die(path, "out of memory");
    memcpy(col->name, cell, n);
    col->name[n] = '\0';
    if (strcmp(col->name, "id") == 0) {
      if (cols->id >= 0) cli_die_at(path, line, at, "column 'id' appears twice");
      cols->id = (int)i;
      continue;
    }
    in = data_find_input(r, col->name, LG_INPUT_ATTRIBUTE);
    if (!in) {
      /* not read by the definitions: not loaded, not looked at, unless it
       * looks like a misspelt name they read */
      const data_input *like = find_input_like(r, col->name);
      if (like && !name_valid(col->name))
        cli_die_at(path, line, 0,
                   "column %lu: header '%.80s' is not a valid attribute name "
                   "(lower-case [a-z][a-z0-9_]{0,63}, e.g. timeframe_months); %s '%s'",
                   (unsigned long)i + 1, col->name, data_readers(like->by), like->name);
      continue;
    }
    if (colon && (declared = parse_type(colon + 1)) < 0)
      cli_die_at(path, line, at,
                 "column %lu: type '%.32s' in header '%.80s' is not text, int or bool",
                 (unsigned long)i + 1, colon + 1, cell);
    for (j = 0; j < i; j++)
      if ((int)j != cols->id && strcmp(cols->c[j].name, col->name) == 0)
        cli_die_at(path, line, at, "column '%s' appears twice", col->name);
    col->used = 1;
    cols->load[cols->n_load++] = i;
    if (declared >= 0) {
      col->type = declared;
      if (in->type > LG_VALUE_NONE && in->type != declared)
        data_input_warning(r,
                           "column '%s' is declared %s, but the definitions compare it with %s "
                           "values: those tests never hold",
                           col->name, type_name(declared), type_name(in->type));
    } else if (in->type < 0) {
      col->type = LG_VALUE_TEXT;
      data_input_warning(r,
                         "the definitions compare '%s' with values of different types; its "
                         "column is read as text (declare %s:int or :bool in the header)",
                         col->name, col->name);
    } else {
      col->type = in->type == LG_VALUE_NONE ? LG_VALUE_TEXT : in->type;
    }
  }
  if (cols->id < 0) cli_die_at(path, c->header_line, 0, "no 'id' column in the header");
  if (cols->n_load > LG_MAX_ATTRIBUTES)
    cli_die_at(path, c->header_line, 0,
               "the definitions read %lu of its columns; a lead holds "
               "at most %d attributes",
               (unsigned long)cols->n_load, LG_MAX_ATTRIBUTES);
  for (i = 0; i < r->n; i++) {
    const data_input *in = &r->v[i];
    /* an attribute only a what-if draft reads is triage's to report */
    if (in->kind != LG_INPUT_ATTRIBUTE || !(in->by & 3)) continue;
    for (j = 0; j < cols->n; j++)
      if ((int)j != cols->id && strcmp(cols->c[j].name, in->name) == 0) break;
    if (j == cols->n)
      data_input_warning(r,
                         "%s attribute '%s', which no column of the leads file provides: it is "
                         "missing for every lead",
                         data_readers(in->by), in->name);
  }
}

/* ---- cells ---------------------------------------------------------------------- */

/* Sets attribute `col` from a cell (already trimmed when unquoted): LG_OK
 * for an empty (absent) cell; -1 with why[] when the cell does not fit the
 * column's type; otherwise the library's status. */
void data_columns_free(data_columns *cols) {
  size_t i;
  if (cols->c)
    for (i = 0; i < cols->n; i++) free(cols->c[i].name);
  free(cols->c);
  free(cols->load);
  memset(cols, 0, sizeof *cols);
}

int data_set_typed_cell(lg_lead *lead, const data_column *col, const char *cell, char *why,
                        size_t cap) {
  int64_t     v;
  int         b;
  const char *p;
  switch (col->type) {
  case LG_VALUE_INT:
    if (csv_parse_int64(cell, &v)) return (int)lg_lead_set_int(lead, col->name, v);
    for (p = cell + (*cell == '+' || *cell == '-'); *p >= '0' && *p <= '9'; p++) {
    }
    snprintf(why, cap, "column '%s' is int: '%.40s' %s", col->name, cell,
             *p == '\0' && p > cell + (*cell == '+' || *cell == '-')
                 ? "is outside the int64 range"
                 : "is not a whole number ([+-]digits)");
    return -1;
  case LG_VALUE_BOOL:
    if (cli_parse_bool(cell, &b)) return (int)lg_lead_set_bool(lead, col->name, b);
    snprintf(why, cap, "column '%s' is bool: '%.40s' is not true or false", col->name, cell);
    return -1;
  default: return (int)lg_lead_set_text(lead, col->name, cell);
  }
}

/* ---- the policy's canonical text ---------------------------------------------- */

/* Digits with at most three decimals as milli-points, the whole of s[0..n). */
static int parse_points(const char *s, size_t n, lg_points *out) {
  lg_points v = 0;
  size_t    i = 0, dec = 0;
  int       dot = 0;
  if (!n) return 0;
  for (; i < n; i++) {
    if (s[i] == '.' && !dot)
      dot = 1;
    else if (s[i] >= '0' && s[i] <= '9' && v < INT64_C(1000000000000) && dec < 3) {
      v = v * 10 + (s[i] - '0');
      if (dot) dec++;
    } else
      return 0;
  }
  for (; dec < 3; dec++) v *= 10;
  *out = v;
  return 1;
}

char *data_policy_text(const lg_policy *policy) {
  size_t needed = 0;
  char  *text;
  if (lg_policy_to_text(policy, NULL, 0, &needed) != LG_ERR_BUFFER || !needed) return NULL;
  if (!(text = malloc(needed))) cli_die(cli_name(), "out of memory");
  if (lg_policy_to_text(policy, text, needed, &needed) != LG_OK) {
    free(text);
    return NULL;
  }
  return text;
}

char *data_qualify_rule(const lg_policy *policy, lg_points *fit_needed) {
  size_t      len;
  char       *text, *q, *end, *rule;
  const char *p, *start;
  int         depth = 0, quoted = 0;
  *fit_needed = -1;
  if (!(text = data_policy_text(policy))) return NULL;
  q = strstr(text, "\nqualify when ");
  if (!q) {
    free(text);
    return NULL;
  }
  q += strlen("\nqualify when ");
  if ((end = strchr(q, '\n')) != NULL) *end = '\0';
  len = strlen(q);
  rule = malloc(len + 1);
  if (!rule) {
    free(text);
    cli_die(cli_name(), "out of memory");
  }
  memcpy(rule, q, len + 1);
  free(text);
  /* the top-level operands of `and` (an `or` at the top level: none) */
  for (p = start = rule;; p++) {
    int at_and = !quoted && depth == 0 && strncmp(p, " and ", 5) == 0;
    if (!quoted && depth == 0 && strncmp(p, " or ", 4) == 0) {
      *fit_needed = -1;
      return rule;
    }
    if (at_and || *p == '\0') {
      lg_points v;
      if ((size_t)(p - start) > 7 && strncmp(start, "fit >= ", 7) == 0 &&
          parse_points(start + 7, (size_t)(p - start) - 7, &v) && *fit_needed < 0)
        *fit_needed = v;
      if (*p == '\0') return rule;
      p += 4;
      start = p + 1;
      continue;
    }
    if (*p == '"')
      quoted = !quoted;
    else if (*p == '\\' && quoted && p[1])
      p++;
    else if (!quoted && *p == '(')
      depth++;
    else if (!quoted && *p == ')')
      depth--;
  }
}

int data_followup(const lg_policy *policy, lg_duration *target, int *business) {
  char       *text = data_policy_text(policy), *q;
  lg_duration d = 0;
  int         found = 0;
  if (!text) return 0;
  if ((q = strstr(text, "\nfollow-up within ")) != NULL) {
    q += strlen("\nfollow-up within ");
    while (*q >= '0' && *q <= '9') {
      lg_duration v = 0;
      while (*q >= '0' && *q <= '9') v = v * 10 + (*q++ - '0');
      d += *q == 'd' ? v * 86400 : *q == 'h' ? v * 3600 : *q == 'm' ? v * 60 : v;
      if (*q) q++;
    }
    *target = d;
    *business = strncmp(q, " business", 9) == 0;
    found = 1;
  }
  free(text);
  return found;
}

/* ---- assignments and reps -------------------------------------------------- */

char *data_copy(const char *s) {
  size_t n = strlen(s) + 1;
  char  *p = malloc(n);
  if (!p) cli_die(cli_name(), "out of memory");
  return memcpy(p, s, n);
}

/* Reads the next data record; 0 at the end of the file. */
static int next_row(cli_csv *c) {
  int st = csv_next(&c->r);
  if (st == CSV_EOF) return 0;
  if (st != CSV_RECORD) cli_die_at(c->path, c->r.error_line, c->r.error_col, "%s", c->r.error);
  return 1;
}

static void die_cell(const cli_csv *c, int col, const char *fmt, const char *arg) {
  cli_die_at(c->path, c->r.pos[col].line, c->r.pos[col].col, fmt, arg);
}

static lg_time time_cell(const cli_csv *c, int col, const char *what) {
  lg_time t;
  char    why[160], msg[200];
  if (!cli_parse_time(c->r.fields[col], &t, why, sizeof why)) {
    snprintf(msg, sizeof msg, "%s %s", what, why);
    die_cell(c, col, "%s", msg);
  }
  return t;
}

/* ---- input files ------------------------------------------------------------ */

static void read_assignments(data_assignments *g, cli_csv *c, const char *path) {
  int                      col[3], col_lead, col_owner, col_at, col_touch;
  static const char *const names[3] = { "lead_id", "owner", "assigned_at" };

  cli_csv_open(c, path, "lead_id,owner,assigned_at[,touched_at]");
  cli_csv_columns(c, names, 3, col);
  col_lead = col[0];
  col_owner = col[1];
  col_at = col[2];
  col_touch = cli_csv_column(c, "touched_at", 0);
  while (next_row(c)) {
    data_row *r;
    if (g->n_rows == g->cap_rows) {
      size_t cap = g->cap_rows ? g->cap_rows * 2 : 64;
      if (!(r = realloc(g->rows, cap * sizeof *r))) cli_die(path, "out of memory");
      g->rows = r;
      g->cap_rows = cap;
    }
    r = &g->rows[g->n_rows];
    memset(r, 0, sizeof *r);
    if (c->r.fields[col_lead][0] == '\0') die_cell(c, col_lead, "%s", "empty lead_id");
    r->assigned_at = time_cell(c, col_at, "assigned_at");
    r->touched = col_touch >= 0 && c->r.fields[col_touch][0] != '\0';
    r->touched_at = r->touched ? time_cell(c, col_touch, "touched_at") : 0;
    r->line = c->r.record_line;
    r->order = g->n_rows++;
    r->lead_id = data_copy(c->r.fields[col_lead]);
    r->owner = data_copy(c->r.fields[col_owner]);
  }
  cli_csv_close(c);
}

static int int_cell(const char *s, int min, int32_t *out) {
  int64_t v;
  if (!csv_parse_int64(s, &v) || v < min || v > INT32_MAX) return 0;
  *out = (int32_t)v;
  return 1;
}

void data_load_reps(data_reps *t, cli_csv *c, const char *path) {
  int                      col[6], col_id, col_av, col_open, col_capa, col_w, col_last, col_att;
  size_t                   cap = 0;
  static const char *const names[6] = { "id",       "available", "open_leads",
                                        "capacity", "weight",    "last_assigned_at" };

  cli_csv_open(c, path, "id,available,open_leads,capacity,weight,last_assigned_at[,attainment]");
  cli_csv_columns(c, names, 6, col);
  col_id = col[0];
  col_av = col[1];
  col_open = col[2];
  col_capa = col[3];
  col_w = col[4];
  col_last = col[5];
  col_att = cli_csv_column(c, "attainment", 0);
  t->attainment_column = col_att >= 0;
  while (next_row(c)) {
    lg_rep     *r;
    const char *av = c->r.fields[col_av], *att = col_att >= 0 ? c->r.fields[col_att] : "";
    char       *end;
    int         available = 0;
    if (t->n == cap) {
      lg_rep *reps;
      char  **ids;
      double *goals;
      int    *has;
      cap = cap ? cap * 2 : 16;
      if ((reps = realloc(t->reps, cap * sizeof *reps)) != NULL) t->reps = reps;
      if ((ids = realloc(t->ids, cap * sizeof *ids)) != NULL) t->ids = ids;
      if ((goals = realloc(t->attainment, cap * sizeof *goals)) != NULL) t->attainment = goals;
      if ((has = realloc(t->has_attainment, cap * sizeof *has)) != NULL) t->has_attainment = has;
      if (!reps || !ids || !goals || !has) cli_die(path, "out of memory");
    }
    r = &t->reps[t->n];
    memset(r, 0, sizeof *r);
    if (c->r.fields[col_id][0] == '\0') die_cell(c, col_id, "%s", "empty rep id");
    if (strcmp(av, "1") == 0 || strcmp(av, "0") == 0)
      available = av[0] == '1';
    else if (!cli_parse_bool(av, &available))
      die_cell(c, col_av, "available '%.64s' must be 1, 0, true or false", av);
    r->available = available;
    if (!int_cell(c->r.fields[col_open], 0, &r->open_leads))
      die_cell(c, col_open, "open_leads '%.64s' must be a whole number >= 0",
               c->r.fields[col_open]);
    if (!int_cell(c->r.fields[col_capa], 0, &r->capacity))
      die_cell(c, col_capa, "capacity '%.64s' must be a whole number >= 0 (0 = unlimited)",
               c->r.fields[col_capa]);
    if (!int_cell(c->r.fields[col_w], 1, &r->weight))
      die_cell(c, col_w, "weight '%.64s' must be a whole number >= 1", c->r.fields[col_w]);
    r->last_assigned_at =
        c->r.fields[col_last][0] == '\0' ? LG_TIME_MIN : time_cell(c, col_last, "last_assigned_at");
    t->has_attainment[t->n] = att[0] != '\0';
    t->attainment[t->n] = 0.0;
    if (att[0]) {
      t->attainment[t->n] = strtod(att, &end);
      if (*end != '\0' || t->attainment[t->n] != t->attainment[t->n] ||
          t->attainment[t->n] < -1e9 || t->attainment[t->n] > 1e9)
        die_cell(c, col_att, "attainment '%.64s' must be a number such as 0.85", att);
    }
    t->ids[t->n] = data_copy(c->r.fields[col_id]);
    r->id = t->ids[t->n];
    t->n++;
  }
  cli_csv_close(c);
}

/* ---- per lead ---------------------------------------------------------------- */

/* Sorts rows by lead id, then file order, so a lead's rows are adjacent and
 * in time order. */
static int by_lead(const void *a, const void *b) {
  const data_row *x = *(const data_row *const *)a, *y = *(const data_row *const *)b;
  int             c = strcmp(x->lead_id, y->lead_id);
  if (c) return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts lead groups back into file order (of their first rows). */
static int by_order(const void *a, const void *b) {
  const data_row *x = ((const data_group *)a)->first, *y = ((const data_group *)b)->first;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Marks exact duplicates among a lead's rows (same owner and times as an
 * earlier data_row with the same assigned_at) and warns about each. */
static void mark_duplicates(const char *path, data_row *const *rows, size_t n) {
  size_t i, j;
  for (i = 1; i < n; i++)
    for (j = i; j-- > 0 && rows[j]->assigned_at == rows[i]->assigned_at;)
      if (!rows[j]->duplicate && strcmp(rows[j]->owner, rows[i]->owner) == 0 &&
          rows[j]->touched == rows[i]->touched &&
          (!rows[i]->touched || rows[j]->touched_at == rows[i]->touched_at)) {
        rows[i]->duplicate = 1;
        cli_warn_at(path, rows[i]->line, 0,
                    "the same assignment as line %lu (lead %s, owner %s); counted once",
                    rows[j]->line, rows[i]->lead_id, rows[i]->owner);
        break;
      }
}

/* The data_row after rows[i] that starts a new assignment (not a duplicate), or
 * NULL. */
static const data_row *next_assignment(data_row *const *rows, size_t n, size_t i) {
  while (++i < n)
    if (!rows[i]->duplicate) return rows[i];
  return NULL;
}

/* Builds a lead from its rows into g->leads; exits with FILE:LINE on a data_row
 * the library rejects. */
/* The snoozes that start while rows[i]'s assignment is the current one
 * (before `next`, the next assignment), from *k on. */
static void apply_snoozes(lg_lead *lead, const data_snoozes *s, const data_snooze *z, size_t n,
                          size_t *k, const data_row *next) {
  lg_status st;
  for (; *k < n && (!next || z[*k].from < next->assigned_at); (*k)++) {
    st = lg_lead_snooze(lead, z[*k].from, z[*k].until);
    if (st == LG_ERR_STATE)
      cli_die_at(s->path, z[*k].line, 0, "from is before lead %s's first assignment",
                 z[*k].lead_id);
    if (st == LG_ERR_LIMIT)
      cli_die_at(s->path, z[*k].line, 0, "more than %d separate snoozes of one assignment",
                 LG_MAX_SNOOZES);
    if (st != LG_OK) cli_die_at(s->path, z[*k].line, 0, "%s", lg_status_message(st));
  }
}

static lg_lead *build_lead(data_assignments *g, const char *path, data_row *const *rows, size_t n,
                           const data_snoozes *snoozes) {
  lg_lead           *lead;
  lg_status          st;
  size_t             i, n_snz = 0, k = 0;
  char               when[32];
  const data_snooze *snz = NULL;
  if (snoozes) n_snz = data_snoozes_of(snoozes, rows[0]->lead_id, &snz);
  st = lg_lead_create(rows[0]->lead_id, &lead);
  if (st != LG_OK) cli_die_at(path, rows[0]->line, 0, "lead_id: %s", lg_status_message(st));
  g->leads[g->n_leads++] = lead;
  mark_duplicates(path, rows, n);
  for (i = 0; i < n; i++) {
    const data_row *next;
    if (rows[i]->duplicate) continue;
    st = lg_lead_assign(lead, rows[i]->owner, rows[i]->assigned_at);
    if (st == LG_ERR_STATE)
      cli_die_at(path, rows[i]->line, 0,
                 "assigned_at is earlier than the lead's previous assignment (a lead's rows "
                 "must be in time order)");
    if (st == LG_ERR_INVALID)
      cli_die_at(path, rows[i]->line, 0, "owner must be 1 to 256 bytes of UTF-8");
    if (st == LG_ERR_LIMIT)
      cli_die_at(path, rows[i]->line, 0, "more than %d assignments for lead %s", LG_MAX_ASSIGNMENTS,
                 rows[i]->lead_id);
    if (st != LG_OK) cli_die_at(path, rows[i]->line, 0, "%s", lg_status_message(st));
    next = next_assignment(rows, n, i);
    if (n_snz) apply_snoozes(lead, snoozes, snz, n_snz, &k, next);
    if (!rows[i]->touched) continue;
    if (next && rows[i]->touched_at >= next->assigned_at) {
      cli_format_time(next->assigned_at, when);
      cli_error_at(path, rows[i]->line, 0,
                   "touched_at is not before the lead's reassignment to %s at %s (line %lu): "
                   "not counted as %s's follow-up",
                   next->owner, when, next->line, rows[i]->owner);
      g->dropped_touches++;
      continue;
    }
    st = lg_lead_touch(lead, rows[i]->touched_at);
    if (st == LG_ERR_STATE) cli_die_at(path, rows[i]->line, 0, "touched_at is before assigned_at");
    if (st != LG_OK) cli_die_at(path, rows[i]->line, 0, "%s", lg_status_message(st));
  }
  return lead;
}

static int has_assignments(const lg_stats *stats, const char *id) {
  size_t       i, n = lg_stats_rep_count(stats);
  lg_rep_stats s;
  for (i = 0; i < n; i++)
    if (lg_stats_rep(stats, i, &s) == LG_OK && strcmp(s.rep, id) == 0) return s.assigned > 0;
  return 0;
}

void data_load_assignments(data_assignments *g, cli_csv *c, const char *path,
                           const data_snoozes *snoozes) {
  size_t n_groups = 0, i, j;
  read_assignments(g, c, path);
  /* Group the rows by lead (a lead's rows stay in file order), then put the
   * groups back in the order their leads first appear. */
  g->sorted = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->sorted);
  g->groups = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->groups);
  g->leads = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->leads);
  if (!g->sorted || !g->groups || !g->leads) cli_die(cli_name(), "out of memory");
  for (i = 0; i < g->n_rows; i++) g->sorted[i] = &g->rows[i];
  qsort(g->sorted, g->n_rows, sizeof *g->sorted, by_lead);
  for (i = 0; i < g->n_rows; i = j) {
    for (j = i + 1; j < g->n_rows && strcmp(g->sorted[j]->lead_id, g->sorted[i]->lead_id) == 0;
         j++) {
    }
    g->groups[n_groups].start = i;
    g->groups[n_groups].n = j - i;
    g->groups[n_groups++].first = g->sorted[i];
  }
  qsort(g->groups, n_groups, sizeof *g->groups, by_order);
  /* Every lead is built before the caller writes anything, so that a bad
   * row stops the run before any output. */
  for (i = 0; i < n_groups; i++)
    build_lead(g, path, g->sorted + g->groups[i].start, g->groups[i].n, snoozes);
}

void data_assignments_free(data_assignments *g) {
  size_t i;
  for (i = 0; i < g->n_leads; i++) lg_lead_free(g->leads[i]);
  free(g->leads);
  for (i = 0; i < g->n_rows; i++) {
    free(g->rows[i].lead_id);
    free(g->rows[i].owner);
  }
  free(g->rows);
  free(g->sorted);
  free(g->groups);
  memset(g, 0, sizeof *g);
}

void data_reps_free(data_reps *t) {
  size_t i;
  for (i = 0; i < t->n; i++) free(t->ids[i]);
  free(t->reps);
  free(t->ids);
  free(t->attainment);
  free(t->has_attainment);
  memset(t, 0, sizeof *t);
}

size_t data_correlation_set(const data_reps *t, const lg_stats *stats, const char **names,
                            double *att, const char **skipped, size_t *n_skipped) {
  size_t i, k = 0;
  *n_skipped = 0;
  for (i = 0; i < t->n; i++) {
    if (!t->has_attainment[i]) continue;
    if (!has_assignments(stats, t->ids[i])) {
      skipped[(*n_skipped)++] = t->ids[i];
      continue;
    }
    names[k] = t->ids[i];
    att[k++] = t->attainment[i];
  }
  return k;
}

/* ---- events ------------------------------------------------------------------------ */

static int event_cmp(const void *a, const void *b) {
  const data_event *x = a, *y = b;
  int               c = strcmp(x->lead_id, y->lead_id);
  if (c) return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

void data_load_events(data_events *e, cli_csv *c, const char *path) {
  int                      col[3];
  static const char *const names[3] = { "lead_id", "type", "at" };
  cli_csv_open(c, path, "lead_id,type,at");
  cli_csv_columns(c, names, 3, col);
  while (next_row(c)) {
    data_event *v;
    const char *type = c->r.fields[col[1]];
    if (e->n == e->cap) {
      size_t cap = e->cap ? e->cap * 2 : 256;
      if (!(v = realloc(e->v, cap * sizeof *v))) cli_die(path, "out of memory");
      e->v = v;
      e->cap = cap;
    }
    v = &e->v[e->n];
    if (c->r.fields[col[0]][0] == '\0') die_cell(c, col[0], "%s", "empty lead_id");
    if (!name_valid(type))
      die_cell(c, col[1], "event type '%.64s' is not a name ([a-z][a-z0-9_]{0,63})", type);
    v->at = time_cell(c, col[2], "at");
    v->order = e->n;
    v->used = 0;
    v->lead_id = data_copy(c->r.fields[col[0]]);
    v->type = data_copy(type);
    e->n++;
  }
  cli_csv_close(c);
  if (e->n) qsort(e->v, e->n, sizeof *e->v, event_cmp);
}

size_t data_events_of(const data_events *e, const char *id, data_event **first) {
  size_t lo = 0, hi = e->n, end;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(e->v[mid].lead_id, id) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (end = lo; end < e->n && strcmp(e->v[end].lead_id, id) == 0; end++) {
  }
  *first = e->v + lo;
  return end - lo;
}

void data_events_free(data_events *e) {
  size_t i;
  for (i = 0; i < e->n; i++) {
    free(e->v[i].lead_id);
    free(e->v[i].type);
  }
  free(e->v);
  memset(e, 0, sizeof *e);
}

/* ---- snoozes -------------------------------------------------------------------------- */

static int snooze_cmp(const void *a, const void *b) {
  const data_snooze *x = a, *y = b;
  int                c = strcmp(x->lead_id, y->lead_id);
  if (c) return c;
  return x->from < y->from ? -1 : x->from > y->from;
}

void data_load_snoozes(data_snoozes *s, cli_csv *c, const char *path) {
  int                      col[3];
  size_t                   cap = 0;
  static const char *const names[3] = { "lead_id", "from", "until" };
  s->path = path;
  cli_csv_open(c, path, "lead_id,from,until");
  cli_csv_columns(c, names, 3, col);
  while (next_row(c)) {
    data_snooze *z;
    if (s->n == cap) {
      cap = cap ? cap * 2 : 16;
      if (!(z = realloc(s->v, cap * sizeof *z))) cli_die(path, "out of memory");
      s->v = z;
    }
    z = &s->v[s->n];
    if (c->r.fields[col[0]][0] == '\0') die_cell(c, col[0], "%s", "empty lead_id");
    z->from = time_cell(c, col[1], "from");
    z->until = time_cell(c, col[2], "until");
    if (z->until <= z->from) die_cell(c, col[2], "%s", "until must be after from");
    z->line = c->r.record_line;
    z->lead_id = data_copy(c->r.fields[col[0]]);
    s->n++;
  }
  cli_csv_close(c);
  if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, snooze_cmp);
}

size_t data_snoozes_of(const data_snoozes *s, const char *id, const data_snooze **first) {
  size_t lo = 0, hi = s->n, end;
  while (lo < hi) { /* the first with an id >= id */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(s->v[mid].lead_id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (end = lo; end < s->n && strcmp(s->v[end].lead_id, id) == 0; end++) {
  }
  *first = s->v ? s->v + lo : NULL;
  return end - lo;
}

lg_time data_snoozed_until(const data_snoozes *s, const lg_lead *lead, lg_time now) {
  const data_snooze *z;
  size_t             n = data_snoozes_of(s, lg_lead_id(lead), &z), k, cur,
         count = lg_lead_assignment_count(lead);
  lg_time            start = 0, next = LG_TIME_NEVER, t = now;
  int                moved = 1;
  for (cur = count; cur-- > 0;) { /* the assignment current at now */
    if (lg_lead_assignment_at(lead, cur, NULL, &start, NULL) == LG_OK && start <= now) break;
    next = start;
  }
  if (cur >= count || n == 0) return 0;
  while (moved) { /* follow the chain of overlapping or touching snoozes */
    moved = 0;
    for (k = 0; k < n; k++)
      if (z[k].from >= start && z[k].from < next && z[k].from <= t && z[k].until > t) {
        t = z[k].until;
        moved = 1;
      }
  }
  return t == now ? 0 : t;
}

void data_snoozes_free(data_snoozes *s) {
  size_t i;
  for (i = 0; i < s->n; i++) free(s->v[i].lead_id);
  free(s->v);
  memset(s, 0, sizeof *s);
}
