/*
 * learn.c - leadgate-learn: learns a rubric from won and lost leads.
 *
 *   leadgate-learn --outcomes FILE [--attributes a,b,c] [--name NAME]
 *                  [--bins N] [--max-values N] [--min-count N] [--scale POINTS]
 *                  [--holdout FRACTION [--seed S]] [--scores FILE] LEADS.csv
 *
 * LEADS.csv has a header with an `id` column; every other column is an
 * attribute named by its header, optionally typed (`zip:text`,
 * `employees:int`, `active:bool`).  There is no rubric to say what a
 * column holds, so an undeclared column is int when every non-empty cell
 * of the leads learned from is a whole number ([+-]digits, int64), bool
 * when every one is true or false (any case), and text otherwise; a cell
 * that does not fit a declared type is an error.  An empty cell is a
 * missing attribute.  The outcomes file has columns `id` and `converted`
 * (0 or 1; columns in any order, others ignored).  Leads without an
 * outcome are left out, outcomes of ids that are not in LEADS.csv are
 * ignored (both counted on stderr).  --attributes picks the columns to
 * learn from (default: all but id), in that order.
 *
 * The rubric (lg_learn_rubric) goes to stdout.  With --holdout F
 * (0 < F < 1) it is learned from the other leads only: round(F x n)
 * leads, drawn by a Fisher-Yates shuffle from --seed (default 1,
 * splitmix64), are held out and scored with the learned rubric, and
 * stderr gets their AUC - computed exactly, Mann-Whitney on the fit
 * scores with ties counted half, from integer counts - and a calibration
 * table: the held-out leads sorted by points and cut into ten groups of
 * equal size, each with its range of points, the mean modelled
 * probability 1 / (1 + 2^-(prior log2 odds + points / scale)) and the
 * observed conversion rate.  --scores FILE writes `id,set,converted,fit`
 * for every lead (set `train` or `test`), for evaluating elsewhere.
 *
 * Exit status (cli.h): 0 success; 2 bad usage, bad input
 * (FILE:LINE[:COL]: message) or a learning error (e.g. fewer than 10 leads
 * of either outcome).  Uses only <leadgate.h>, cli.h, csv.h and the C
 * library; floating point only for the report's percentages, never for
 * the rubric.
 */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_line[] =
  "usage: leadgate-learn --outcomes FILE [--attributes a,b,c] [--name NAME]\n"
  "                      [--bins N] [--max-values N] [--min-count N] [--scale POINTS]\n"
  "                      [--holdout FRACTION [--seed S]] [--scores FILE] LEADS.csv\n";

static const char help_text[] =
  "usage: leadgate-learn --outcomes FILE [--attributes a,b,c] [--name NAME]\n"
  "                      [--bins N] [--max-values N] [--min-count N] [--scale POINTS]\n"
  "                      [--holdout FRACTION [--seed S]] [--scores FILE] LEADS.csv\n"
  "\n"
  "Learns a rubric from won and lost leads (naive Bayes weight of evidence,\n"
  "lg_learn_rubric) and writes it to stdout.\n"
  "\n"
  "  --outcomes FILE     CSV: id,converted (0 or 1), columns in any order\n"
  "  --attributes LIST   the columns to learn from, comma-separated (default all)\n"
  "  --name NAME         the rubric's name (default learned)\n"
  "  --bins N            quantile bins for integers (default 5, at most 256)\n"
  "  --max-values N      text values kept per attribute (default 16, at most 256)\n"
  "  --min-count N       rarer text values count as otherwise (default 20)\n"
  "  --scale POINTS      points per doubling of the odds (default 1)\n"
  "  --holdout F         learn from the other leads, report AUC and calibration\n"
  "                      on a share F (0 < F < 1) of them, on stderr\n"
  "  --seed S            the hold-out draw (default 1)\n"
  "  --scores FILE       write id,set,converted,fit for every lead\n"
  "  FILE may be - for standard input (one of them at most).\n"
  "\n"
  "LEADS.csv: an id column and one column per attribute, optionally typed in\n"
  "the header (zip:text, employees:int, active:bool); an undeclared column is\n"
  "int when all its cells are whole numbers, bool when all are true/false,\n"
  "else text.  Empty cells are missing attributes.\n"
  "\n"
  "Exit status: 0 success; 2 bad usage, bad input (FILE:LINE[:COLUMN]:\n"
  "message) or too few leads of an outcome to learn from.\n";

typedef struct options {
  const char      *outcomes, *attributes, *name, *leads, *scores;
  lg_learn_options learn;
  uint32_t         holdout_ppm; /* parts per million held out; 0 = none */
  uint64_t         seed;
} options;

/* id -> outcome, open addressing; keys in one growing arena. */
typedef struct outcome_map {
  uint64_t *slots; /* hash high 32 | (entry index + 1) low 32; 0 empty */
  size_t    n_slots, n;
  char     *keys;
  size_t    keys_len, keys_cap;
  size_t   *key_at;
  int32_t  *value;
  uint8_t  *used;
  size_t    cap;
} outcome_map;

/* A column learned from: its name, its type (declared, or worked out from
 * its cells once they are all read) and where its cells went. */
typedef struct column {
  char *name;
  int   declared; /* lg_value_type, or -1 */
  int   type;
  int   all_int, all_bool; /* every non-empty cell so far is one */
} column;

typedef struct run {
  options      opt;
  outcome_map  map;
  cli_csv      csv;
  lg_lead    **leads;
  int32_t     *converted;
  size_t       n, cap;
  column      *cols;   /* the attributes learned from, in --attributes order */
  size_t       n_cols;
  int         *col_at; /* the header index of each */
  char       **names;  /* cols[i].name, for lg_learn_rubric */
  char        *cells;  /* every kept lead's cells, NUL-terminated, lead by lead */
  size_t       cells_len, cells_cap;
  char        *text;
  lg_rubric   *rubric;
} run;

static run the_run;

static void release(void) {
  run   *r = &the_run;
  size_t i;
  cli_csv_close(&r->csv);
  for (i = 0; i < r->n; i++) lg_lead_free(r->leads[i]);
  for (i = 0; i < r->n_cols; i++) free(r->cols[i].name);
  free(r->leads);
  free(r->converted);
  free(r->cols);
  free(r->col_at);
  free(r->names);
  free(r->cells);
  free(r->text);
  lg_rubric_free(r->rubric);
  free(r->map.slots);
  free(r->map.keys);
  free(r->map.key_at);
  free(r->map.value);
  free(r->map.used);
  memset(r, 0, sizeof *r);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) cli_die(cli_name(), "out of memory");
  return p;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) cli_die(cli_name(), "out of memory");
  return p;
}

/* ---- options -------------------------------------------------------------- */

static uint32_t parse_count(const char *opt, const char *v, uint32_t max) {
  int64_t x;
  if (!csv_parse_int64(v, &x) || x < 1 || x > (int64_t)max)
    cli_usage_error("%s: '%s' is not a whole number from 1 to %lu", opt, v, (unsigned long)max);
  return (uint32_t)x;
}

/* A decimal with up to 6 fraction digits into millionths; -1 if not. */
static int64_t parse_micro(const char *s) {
  int64_t v = 0, digits = 0;
  int     frac = -1;
  for (; *s; s++) {
    if (*s == '.' && frac < 0) {
      frac = 0;
      continue;
    }
    if (*s < '0' || *s > '9' || frac >= 6 || ++digits > 12) return -1;
    v = v * 10 + (*s - '0');
    if (frac >= 0) frac++;
  }
  if (digits == 0) return -1;
  for (frac = frac < 0 ? 0 : frac; frac < 6; frac++) v *= 10;
  return v;
}

static void parse_args(int argc, char **argv, options *o) {
  const char *bins = NULL, *max_values = NULL, *min_count = NULL, *scale = NULL;
  const char *holdout = NULL, *seed = NULL;
  size_t      n_files;
  const cli_option opts[] = {
    {"--outcomes", &o->outcomes, NULL},     {"--attributes", &o->attributes, NULL},
    {"--name", &o->name, NULL},             {"--bins", &bins, NULL},
    {"--max-values", &max_values, NULL},    {"--min-count", &min_count, NULL},
    {"--scale", &scale, NULL},              {"--holdout", &holdout, NULL},
    {"--seed", &seed, NULL},                {"--scores", &o->scores, NULL}};
  memset(o, 0, sizeof *o);
  cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], help_text, &o->leads, 1, &n_files);
  if (!o->outcomes) cli_usage_error("--outcomes is required");
  if (n_files == 0) cli_usage_error("no LEADS.csv given");
  if (!o->name) o->name = "learned";
  if (bins) o->learn.bins = parse_count("--bins", bins, 256);
  if (max_values) o->learn.max_values = parse_count("--max-values", max_values, 256);
  if (min_count) o->learn.min_count = parse_count("--min-count", min_count, UINT32_MAX);
  if (scale) {
    int64_t micro = parse_micro(scale);
    if (micro <= 0 || micro % 1000 != 0 || micro > INT64_C(1000000000))
      cli_usage_error("--scale: '%s' is not points from 0.001 to 1000 (at most 3 decimals)",
                      scale);
    o->learn.scale = micro / 1000;
  }
  if (holdout) {
    int64_t micro = parse_micro(holdout);
    if (micro <= 0 || micro >= 1000000)
      cli_usage_error("--holdout: '%s' is not a fraction between 0 and 1, e.g. 0.3", holdout);
    o->holdout_ppm = (uint32_t)micro;
  }
  o->seed = 1;
  if (seed) {
    int64_t s;
    if (!csv_parse_int64(seed, &s) || s < 0)
      cli_usage_error("--seed: '%s' is not a non-negative whole number", seed);
    o->seed = (uint64_t)s;
  }
  if (o->scores && o->leads && strcmp(o->scores, o->leads) == 0)
    cli_usage_error("--scores would overwrite %s", o->leads);
}

/* The next data record of c; 0 at the end. */
static int next_row(cli_csv *c) {
  int st = csv_next(&c->r);
  if (st == CSV_EOF) return 0;
  if (st != CSV_RECORD) cli_die_at(c->path, c->r.error_line, c->r.error_col, "%s", c->r.error);
  return 1;
}

/* ---- the outcomes map -------------------------------------------------------- */

static uint32_t hash_id(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* The entry index of id, or SIZE_MAX. */
static size_t map_find(const outcome_map *m, const char *id, uint32_t h) {
  size_t j;
  if (!m->n_slots) return SIZE_MAX;
  for (j = h & (m->n_slots - 1); m->slots[j]; j = (j + 1) & (m->n_slots - 1)) {
    size_t e = (size_t)(m->slots[j] & 0xffffffffu) - 1;
    if ((uint32_t)(m->slots[j] >> 32) == h && strcmp(m->keys + m->key_at[e], id) == 0)
      return e;
  }
  return SIZE_MAX;
}

static void map_place(uint64_t *slots, size_t n_slots, uint64_t slot) {
  size_t j;
  for (j = (size_t)(slot >> 32) & (n_slots - 1); slots[j]; j = (j + 1) & (n_slots - 1)) {
  }
  slots[j] = slot;
}

/* Adds id (not present) with its value. */
static void map_add(outcome_map *m, const char *id, uint32_t h, int32_t value) {
  size_t len = strlen(id) + 1, i;
  if ((m->n + 1) * 2 > m->n_slots) {
    size_t    n = m->n_slots ? m->n_slots * 2 : 1024;
    uint64_t *s = calloc(n, sizeof *s);
    if (!s) cli_die(cli_name(), "out of memory");
    for (i = 0; i < m->n_slots; i++)
      if (m->slots[i]) map_place(s, n, m->slots[i]);
    free(m->slots);
    m->slots = s;
    m->n_slots = n;
  }
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 1024;
    m->key_at = xrealloc(m->key_at, m->cap * sizeof *m->key_at);
    m->value = xrealloc(m->value, m->cap * sizeof *m->value);
    m->used = xrealloc(m->used, m->cap);
  }
  while (m->keys_cap - m->keys_len < len) {
    m->keys_cap = m->keys_cap ? m->keys_cap * 2 : 65536;
    m->keys = xrealloc(m->keys, m->keys_cap);
  }
  memcpy(m->keys + m->keys_len, id, len);
  m->key_at[m->n] = m->keys_len;
  m->value[m->n] = value;
  m->used[m->n] = 0;
  m->keys_len += len;
  map_place(m->slots, m->n_slots, (uint64_t)h << 32 | (uint64_t)(m->n + 1));
  m->n++;
}

static void load_outcomes(run *r) {
  static const char *const names[] = {"id", "converted"};
  cli_csv                 *c = &r->csv;
  int                      col[2];
  cli_csv_open(c, r->opt.outcomes, "with columns 'id' and 'converted'");
  cli_csv_columns(c, names, 2, col);
  while (next_row(c)) {
    const char *id = c->r.fields[col[0]], *v = c->r.fields[col[1]];
    uint32_t    h = hash_id(id);
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
      cli_die_at(c->path, c->r.pos[col[1]].line, c->r.pos[col[1]].col,
                 "converted '%.60s' is not 0 or 1", v);
    if (id[0] == '\0') cli_die_at(c->path, c->r.pos[col[0]].line, c->r.pos[col[0]].col, "empty id");
    if (map_find(&r->map, id, h) != SIZE_MAX)
      cli_die_at(c->path, c->r.pos[col[0]].line, c->r.pos[col[0]].col,
                 "id '%.80s' appears twice", id);
    map_add(&r->map, id, h, v[0] == '1');
  }
  cli_csv_close(c);
}

/* ---- leads --------------------------------------------------------------------- */

static int parse_type(const char *s) {
  if (strcmp(s, "text") == 0) return LG_VALUE_TEXT;
  if (strcmp(s, "int") == 0) return LG_VALUE_INT;
  if (strcmp(s, "bool") == 0) return LG_VALUE_BOOL;
  return -1;
}

/* The header index of the attribute column `name` (its header may carry a
 * `:type`), or -1. */
static int attribute_column(const cli_csv *c, const char *name, size_t len) {
  size_t i;
  for (i = 0; i < c->n_header; i++) {
    const char *h = c->header[i], *colon = strchr(h, ':');
    size_t      n = colon ? (size_t)(colon - h) : strlen(h);
    if (n == len && strncmp(h, name, len) == 0) return (int)i;
  }
  return -1;
}

static void add_column(run *r, const cli_csv *c, int at, const char *name, size_t len) {
  const char *colon = strchr(c->header[at], ':');
  column     *col = &r->cols[r->n_cols];
  size_t      i;
  for (i = 0; i < r->n_cols; i++)
    if (r->col_at[i] == at)
      cli_die_at(c->path, c->header_line, 0, "column '%s' is named twice", r->cols[i].name);
  col->name = xmalloc(len + 1);
  memcpy(col->name, name, len);
  col->name[len] = '\0';
  col->declared = -1;
  col->all_int = col->all_bool = 1;
  if (colon && (col->declared = parse_type(colon + 1)) < 0)
    cli_die_at(c->path, c->header_line, 0,
               "column %lu: type '%.32s' in header '%.80s' is not text, int or bool",
               (unsigned long)at + 1, colon + 1, c->header[at]);
  r->col_at[r->n_cols] = at;
  r->names[r->n_cols++] = col->name;
}

/* The attributes to learn: --attributes, checked against the header, or
 * every column but id.  Returns the id column. */
static int choose_columns(run *r, const cli_csv *c) {
  int    id_col = cli_csv_column(c, "id", 1);
  size_t i;
  r->cols = xmalloc(c->n_header * sizeof *r->cols);
  r->col_at = xmalloc(c->n_header * sizeof *r->col_at);
  r->names = xmalloc(c->n_header * sizeof *r->names);
  if (!r->opt.attributes) {
    for (i = 0; i < c->n_header; i++) {
      const char *h = c->header[i], *colon = strchr(h, ':');
      if ((int)i != id_col) add_column(r, c, (int)i, h, colon ? (size_t)(colon - h) : strlen(h));
    }
  } else {
    const char *p = r->opt.attributes;
    for (;;) {
      const char *end = strchr(p, ',');
      size_t      len = end ? (size_t)(end - p) : strlen(p);
      int         at = len ? attribute_column(c, p, len) : -1;
      if (len == 0) cli_usage_error("--attributes: '%s' has an empty name", r->opt.attributes);
      if (at < 0 || at == id_col)
        cli_die_at(c->path, c->header_line, 0,
                   "--attributes names '%.*s', which is not a column here", (int)len, p);
      if (r->n_cols == c->n_header) cli_usage_error("--attributes: too many names");
      add_column(r, c, at, p, len);
      if (!end) break;
      p = end + 1;
    }
  }
  if (r->n_cols > LG_MAX_ATTRIBUTES)
    cli_die_at(c->path, c->header_line, 0, "%lu attributes; a lead holds at most %d",
               (unsigned long)r->n_cols, LG_MAX_ATTRIBUTES);
  return id_col;
}

/* Keeps one cell of the current row, checking a declared type at once
 * and noting what an undeclared column could be. */
static void keep_cell(run *r, column *col, const cli_csv *c, int at) {
  const char *cell = c->r.fields[at];
  size_t      len = c->r.lens[at] + 1;
  int64_t     v;
  int         b;
  if (cell[0]) {
    int is_int = csv_parse_int64(cell, &v), is_bool = cli_parse_bool(cell, &b);
    col->all_int &= is_int;
    col->all_bool &= is_bool;
    if ((col->declared == LG_VALUE_INT && !is_int) || (col->declared == LG_VALUE_BOOL && !is_bool))
      cli_die_at(c->path, c->r.pos[at].line, c->r.pos[at].col, "column '%s' is %s: '%.40s' is not %s",
                 col->name, col->declared == LG_VALUE_INT ? "int" : "bool", cell,
                 col->declared == LG_VALUE_INT ? "a whole number ([+-]digits, int64)"
                                               : "true or false");
  }
  while (r->cells_cap - r->cells_len < len) {
    r->cells_cap = r->cells_cap ? r->cells_cap * 2 : 1 << 20;
    r->cells = xrealloc(r->cells, r->cells_cap);
  }
  memcpy(r->cells + r->cells_len, cell, len);
  r->cells_len += len;
}

/* Types every column, then sets the kept cells on the leads. */
static void fill_leads(run *r) {
  const char *p = r->cells;
  size_t      i, j;
  for (j = 0; j < r->n_cols; j++) {
    column *col = &r->cols[j];
    col->type = col->declared >= 0 ? col->declared
                : col->all_int     ? LG_VALUE_INT
                : col->all_bool    ? LG_VALUE_BOOL
                                   : LG_VALUE_TEXT;
  }
  for (i = 0; i < r->n; i++)
    for (j = 0; j < r->n_cols; j++, p += strlen(p) + 1) {
      const column *col = &r->cols[j];
      lg_status     st = LG_OK;
      int64_t       v;
      int           b;
      if (!p[0]) continue;
      if (col->type == LG_VALUE_INT && csv_parse_int64(p, &v))
        st = lg_lead_set_int(r->leads[i], col->name, v);
      else if (col->type == LG_VALUE_BOOL && cli_parse_bool(p, &b))
        st = lg_lead_set_bool(r->leads[i], col->name, b);
      else
        st = lg_lead_set_text(r->leads[i], col->name, p);
      if (st != LG_OK)
        cli_die(r->opt.leads, "lead '%s', column '%s': %s", lg_lead_id(r->leads[i]), col->name,
                st == LG_ERR_LIMIT ? "text longer than 1024 bytes" : lg_status_message(st));
    }
}

static void load_leads(run *r) {
  cli_csv *c = &r->csv;
  int      id_col;
  size_t   j, skipped = 0, unused = 0;
  cli_csv_open(c, r->opt.leads, "with an 'id' column");
  id_col = choose_columns(r, c);
  while (next_row(c)) {
    const char *id = c->r.fields[id_col];
    size_t      e = map_find(&r->map, id, hash_id(id));
    lg_lead    *lead;
    if (e == SIZE_MAX) {
      skipped++;
      continue;
    }
    if (r->map.used[e])
      cli_die_at(c->path, c->r.pos[id_col].line, c->r.pos[id_col].col, "id '%.80s' appears twice",
                 id);
    r->map.used[e] = 1;
    if (lg_lead_create(id, &lead) != LG_OK)
      cli_die_at(c->path, c->r.pos[id_col].line, c->r.pos[id_col].col,
                 "id is not 1 to 256 bytes of UTF-8");
    if (r->n == r->cap) {
      r->cap = r->cap ? r->cap * 2 : 4096;
      r->leads = xrealloc(r->leads, r->cap * sizeof *r->leads);
      r->converted = xrealloc(r->converted, r->cap * sizeof *r->converted);
    }
    r->leads[r->n] = lead;
    r->converted[r->n++] = r->map.value[e];
    for (j = 0; j < r->n_cols; j++) keep_cell(r, &r->cols[j], c, r->col_at[j]);
  }
  cli_csv_close(c);
  fill_leads(r);
  for (j = 0; j < r->map.n; j++) unused += !r->map.used[j];
  if (skipped) cli_note("%lu leads without an outcome left out", (unsigned long)skipped);
  if (unused)
    cli_note("%lu outcomes of ids not in %s ignored", (unsigned long)unused, r->opt.leads);
}

/* ---- learning and the hold-out report ------------------------------------------ */

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Moves the held-out leads to the end: a Fisher-Yates shuffle of the
 * indices, the last `held` of which are held out.  Lead order is kept
 * within each part so the text does not depend on the shuffle beyond the
 * choice. */
static size_t split(run *r, uint8_t *held_out) {
  size_t   n = r->n, held, i, *perm;
  uint64_t s = r->opt.seed;
  held = (size_t)(((uint64_t)n * r->opt.holdout_ppm + 500000) / 1000000);
  perm = xmalloc(n * sizeof *perm);
  for (i = 0; i < n; i++) perm[i] = i;
  for (i = n; i > 1; i--) {
    size_t j = (size_t)(splitmix64(&s) % i), t = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = t;
  }
  memset(held_out, 0, n);
  for (i = n - held; i < n; i++) held_out[perm[i]] = 1;
  free(perm);
  return held;
}

static void die_learn(lg_status st) {
  const char *why = st == LG_ERR_RANGE
                      ? "need at least 10 converted and 10 not converted leads (or a bin "
                        "edge is beyond +-10^15)"
                      : lg_status_message(st);
  cli_die(cli_name(), "cannot learn: %s (%s)", why, lg_status_name(st));
}

/* Learns from the leads with held_out[i] == 0 into r->text. */
static void learn(run *r, const uint8_t *held_out, size_t n_train) {
  const lg_lead **leads = xmalloc((n_train ? n_train : 1) * sizeof *leads);
  int32_t        *conv = xmalloc((n_train ? n_train : 1) * sizeof *conv);
  size_t          i, k = 0, needed = 0;
  lg_status       st;
  for (i = 0; i < r->n; i++)
    if (!held_out || !held_out[i]) {
      leads[k] = r->leads[i];
      conv[k++] = r->converted[i];
    }
  st = lg_learn_rubric(leads, conv, k, (const char *const *)r->names, r->n_cols, r->opt.name,
                       &r->opt.learn, NULL, 0, &needed);
  if (st == LG_ERR_BUFFER) {
    r->text = xmalloc(needed);
    st = lg_learn_rubric(leads, conv, k, (const char *const *)r->names, r->n_cols,
                         r->opt.name, &r->opt.learn, r->text, needed, &needed);
  }
  free(leads);
  free(conv);
  if (st != LG_OK) die_learn(st);
}

typedef struct scored {
  lg_points fit;
  int32_t   converted;
} scored;

static int by_fit(const void *a, const void *b) {
  lg_points x = ((const scored *)a)->fit, y = ((const scored *)b)->fit;
  return (x > y) - (x < y);
}

/* 2^x for the report (no libm): 2^floor(x) times a short series. */
static double exp2_approx(double x) {
  double r = 1, f, term = 1, ln2 = 0.69314718055994531;
  int    i, k = (int)x - (x < (int)x);
  if (x > 1000) return 1e300;
  if (x < -1000) return 0;
  f = (x - k) * ln2;
  for (i = 1; i < 30; i++) {
    term *= f / i;
    r += term;
  }
  for (; k > 0; k--) r *= 2;
  for (; k < 0; k++) r /= 2;
  return r;
}

/* log2 for the report: exponent by halving, then a series of atanh. */
static double log2_approx(double x) {
  double e = 0, y, y2, sum = 0, term;
  int    i;
  while (x >= 2) {
    x /= 2;
    e++;
  }
  while (x < 1) {
    x *= 2;
    e--;
  }
  y = (x - 1) / (x + 1);
  y2 = y * y;
  term = y;
  for (i = 1; i < 60; i += 2) {
    sum += term / i;
    term *= y2;
  }
  return e + 2 * sum / 0.69314718055994531;
}

static void report(run *r, const uint8_t *held_out, size_t held) {
  scored  *s = xmalloc(held * sizeof *s);
  size_t   i, k = 0, pos = 0, neg = 0, n_train = r->n - held, w_train = 0;
  uint64_t twice_u = 0, neg_below = 0;
  double   scale = (double)(r->opt.learn.scale ? r->opt.learn.scale : 1000), prior;
  lg_error err;
  if (lg_rubric_parse(r->text, strlen(r->text), &r->rubric, &err) != LG_OK)
    cli_die(cli_name(), "the learned rubric does not parse (a bug)");
  for (i = 0; i < r->n; i++) {
    lg_score sc;
    if (!held_out[i]) {
      w_train += (size_t)r->converted[i];
      continue;
    }
    if (lg_score_lead(r->rubric, r->leads[i], 0, &sc) != LG_OK)
      cli_die(cli_name(), "scoring failed");
    s[k].fit = sc.fit;
    s[k++].converted = r->converted[i];
    pos += (size_t)r->converted[i];
  }
  neg = held - pos;
  cli_note("learned from %lu leads (%lu converted), held out %lu (%lu converted), seed %llu",
          (unsigned long)n_train, (unsigned long)w_train, (unsigned long)held,
          (unsigned long)pos, (unsigned long long)r->opt.seed);
  qsort(s, held, sizeof *s, by_fit);
  /* Mann-Whitney: each converted lead counts the others below it, and
   * half of those tied with it; 2U stays an integer. */
  for (i = 0; i < held;) {
    size_t j = i, p = 0, q = 0;
    while (j < held && s[j].fit == s[i].fit) {
      if (s[j].converted) p++;
      else q++;
      j++;
    }
    twice_u += (uint64_t)p * (2 * neg_below + q);
    neg_below += q;
    i = j;
  }
  if (pos == 0 || neg == 0)
    cli_note("AUC undefined: the held-out leads have one outcome only");
  else
    cli_note("AUC %.4f on held-out leads (Mann-Whitney, ties half: 2U = %llu of 2 x %lu x %lu)",
            (double)twice_u / (2.0 * (double)pos * (double)neg), (unsigned long long)twice_u,
            (unsigned long)pos, (unsigned long)neg);
  prior = log2_approx((double)w_train) - log2_approx((double)(n_train - w_train));
  fprintf(stderr, "decile,points_from,points_to,leads,predicted,observed\n");
  for (i = 0; i < 10 && held >= 10; i++) {
    size_t from = held * i / 10, to = held * (i + 1) / 10, j, conv = 0;
    double pred = 0;
    char   lo[32], hi[32];
    for (j = from; j < to; j++) {
      pred += 1 / (1 + exp2_approx(-(prior + (double)s[j].fit / scale)));
      conv += (size_t)s[j].converted;
    }
    csv_format_points(s[from].fit, lo);
    csv_format_points(s[to - 1].fit, hi);
    fprintf(stderr, "%lu,%s,%s,%lu,%.1f%%,%.1f%%\n", (unsigned long)i + 1, lo, hi,
            (unsigned long)(to - from), 100 * pred / (double)(to - from),
            100 * (double)conv / (double)(to - from));
  }
  free(s);
}

/* id,set,converted,fit for every lead. */
static void write_scores(run *r, const uint8_t *held_out) {
  FILE  *f = fopen(r->opt.scores, "w");
  size_t i;
  if (!r->rubric) {
    lg_error err;
    if (lg_rubric_parse(r->text, strlen(r->text), &r->rubric, &err) != LG_OK)
      cli_die(cli_name(), "the learned rubric does not parse (a bug)");
  }
  if (!f) cli_die(r->opt.scores, "%s", strerror(errno));
  fputs("id,set,converted,fit\n", f);
  for (i = 0; i < r->n; i++) {
    lg_score sc;
    char     pts[32];
    lg_score_lead(r->rubric, r->leads[i], 0, &sc);
    csv_format_points(sc.fit, pts);
    csv_write_field(f, lg_lead_id(r->leads[i]));
    fprintf(f, ",%s,%d,%s\n", held_out && held_out[i] ? "test" : "train",
            (int)r->converted[i], pts);
  }
  if (fclose(f) != 0) cli_die(r->opt.scores, "write error");
}

int main(int argc, char **argv) {
  run     *r = &the_run;
  uint8_t *held_out = NULL;
  size_t   held = 0;
  cli_init("leadgate-learn", usage_line);
  atexit(release);
  parse_args(argc, argv, &r->opt);
  load_outcomes(r);
  load_leads(r);
  if (r->opt.holdout_ppm) {
    held_out = xmalloc(r->n ? r->n : 1);
    held = split(r, held_out);
  }
  learn(r, held_out, r->n - held);
  fputs(r->text, stdout);
  if (fflush(stdout) != 0 || ferror(stdout)) cli_die("stdout", "write error");
  if (held_out) report(r, held_out, held);
  if (r->opt.scores) write_scores(r, held_out);
  free(held_out);
  return 0;
}
