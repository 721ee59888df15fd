/*
 * learn.c - leadgate-learn: learns a rubric from won and lost leads.
 *
 *   leadgate-learn --outcomes FILE [--attributes a,b,c] [--name NAME]
 *                  [--bins N] [--max-values N] [--min-count N] [--scale POINTS]
 *                  [--holdout FRACTION [--seed S]] [--scores FILE] LEADS.csv
 *
 * LEADS.csv is leadgate-triage's format: a header, column `id`, every other
 * column an attribute (an empty cell is absent, `-`digits an int, `true` /
 * `false` a bool, anything else text).  The outcomes file has columns `id`
 * and `converted` (0 or 1; columns in any order, others ignored).  Leads
 * without an outcome are left out, and outcomes of ids that are not in
 * LEADS.csv are ignored (both counted on stderr).  --attributes picks the
 * columns to learn from (default: all but id), in that order.
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
 * Exit status: 0 success; 2 bad input (FILE:LINE: message) or a learning
 * error (e.g. fewer than 10 leads of either outcome); 64 for bad usage.
 * Uses only <leadgate.h>, csv.h and the C library; floating point only
 * for the report's percentages, never for the rubric.
 */
#include <leadgate.h>

#include "csv.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_INPUT 2
#define EXIT_USAGE 64

static const char usage_line[] =
  "usage: leadgate-learn --outcomes FILE [--attributes a,b,c] [--name NAME]\n"
  "                      [--bins N] [--max-values N] [--min-count N] [--scale POINTS]\n"
  "                      [--holdout FRACTION [--seed S]] [--scores FILE] LEADS.csv\n";

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

typedef struct run {
  options      opt;
  outcome_map  map;
  lg_lead    **leads;
  int32_t     *converted;
  size_t       n, cap;
  char       **attrs;
  size_t       n_attrs;
  char       **cols; /* header names (NULL for id) */
  size_t       n_cols;
  char        *text;
  lg_rubric   *rubric;
  FILE        *in;
  csv_reader   reader;
  int          reader_open;
} run;

static run the_run;

static void release(void) {
  run   *r = &the_run;
  size_t i;
  if (r->reader_open) csv_close(&r->reader);
  if (r->in) fclose(r->in);
  for (i = 0; i < r->n; i++) lg_lead_free(r->leads[i]);
  for (i = 0; i < r->n_attrs; i++) free(r->attrs[i]);
  for (i = 0; i < r->n_cols; i++) free(r->cols[i]);
  free(r->leads);
  free(r->converted);
  free(r->attrs);
  free(r->cols);
  free(r->text);
  lg_rubric_free(r->rubric);
  free(r->map.slots);
  free(r->map.keys);
  free(r->map.key_at);
  free(r->map.value);
  free(r->map.used);
  memset(r, 0, sizeof *r);
}

static void bad_usage(const char *fmt, const char *arg) {
  fputs("leadgate-learn: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  fputs(usage_line, stderr);
  exit(EXIT_USAGE);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) csv_die("leadgate-learn", "out of memory");
  return p;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) csv_die("leadgate-learn", "out of memory");
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

/* ---- options -------------------------------------------------------------- */

static uint32_t parse_count(const char *opt, const char *v, uint32_t max) {
  int64_t x;
  if (!csv_parse_int64(v, &x) || x < 1 || x > (int64_t)max) {
    fprintf(stderr, "leadgate-learn: %s: '%s' is not a whole number from 1 to %lu\n", opt, v,
            (unsigned long)max);
    fputs(usage_line, stderr);
    exit(EXIT_USAGE);
  }
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
  int i;
  memset(o, 0, sizeof *o);
  o->name = "learned";
  o->seed = 1;
  for (i = 1; i < argc; i++) {
    const char  *a = argv[i], *eq, *val = NULL;
    const char **dst = NULL;
    size_t       n;
    if (strcmp(a, "--") == 0) {
      if (++i < argc) o->leads = argv[i++];
      if (i < argc) bad_usage("unexpected argument '%s'", argv[i]);
      break;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_line, stdout);
      exit(0);
    }
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
      if (a[0] == '-' && a[1] != '\0') bad_usage("unknown option '%s'", a);
      if (o->leads) bad_usage("unexpected argument '%s'", a);
      o->leads = a;
      continue;
    }
    eq = strchr(a, '=');
    n = eq ? (size_t)(eq - a) : strlen(a);
#define IS(opt) (n == sizeof opt - 1 && strncmp(a, opt, n) == 0)
    if (!(IS("--outcomes") || IS("--attributes") || IS("--name") || IS("--bins") ||
          IS("--max-values") || IS("--min-count") || IS("--scale") || IS("--holdout") ||
          IS("--seed") || IS("--scores")))
      bad_usage("unknown option '%s'", a);
    if (eq) val = eq + 1;
    else if (++i < argc) val = argv[i];
    else bad_usage("option '%s' needs a value", a);
    if (IS("--outcomes")) dst = &o->outcomes;
    else if (IS("--attributes")) dst = &o->attributes;
    else if (IS("--name")) dst = &o->name;
    else if (IS("--scores")) dst = &o->scores;
    else if (IS("--bins")) o->learn.bins = parse_count("--bins", val, 256);
    else if (IS("--max-values")) o->learn.max_values = parse_count("--max-values", val, 256);
    else if (IS("--min-count")) o->learn.min_count = parse_count("--min-count", val, UINT32_MAX);
    else if (IS("--scale")) {
      int64_t micro = parse_micro(val);
      if (micro <= 0 || micro % 1000 != 0 || micro > INT64_C(1000000000))
        bad_usage("--scale: '%s' is not points from 0.001 to 1000 (at most 3 decimals)", val);
      o->learn.scale = micro / 1000;
    } else if (IS("--holdout")) {
      int64_t micro = parse_micro(val);
      if (micro <= 0 || micro >= 1000000)
        bad_usage("--holdout: '%s' is not a fraction between 0 and 1, e.g. 0.3", val);
      o->holdout_ppm = (uint32_t)micro;
    } else {
      int64_t s;
      if (!csv_parse_int64(val, &s) || s < 0)
        bad_usage("--seed: '%s' is not a non-negative whole number", val);
      o->seed = (uint64_t)s;
    }
#undef IS
    if (dst) *dst = val;
  }
  if (!o->outcomes) bad_usage("%s", "--outcomes is required");
  if (!o->leads) bad_usage("%s", "no LEADS.csv given");
}

/* ---- CSV input -------------------------------------------------------------- */

static csv_reader *open_csv(run *r, const char *path) {
  r->in = fopen(path, "rb");
  if (!r->in) csv_die(path, strerror(errno));
  if (csv_open(&r->reader, r->in) != 0) csv_die(path, "out of memory");
  r->reader_open = 1;
  return &r->reader;
}

static void close_csv(run *r) {
  if (r->reader_open) csv_close(&r->reader);
  if (r->in) fclose(r->in);
  r->reader_open = 0;
  r->in = NULL;
}

/* The next record of a file whose header has n fields; 0 at the end. */
static int next_record(csv_reader *c, const char *path, size_t n) {
  int st = csv_next(c);
  if (st == CSV_EOF) return 0;
  if (st != CSV_RECORD) csv_die_at(path, c->error_line, 0, c->error);
  if (n && c->n_fields != n) {
    char why[96];
    snprintf(why, sizeof why, "expected %lu fields as in the header, found %lu",
             (unsigned long)n, (unsigned long)c->n_fields);
    csv_die_at(path, c->record_line, 0, why);
  }
  return 1;
}

static void read_header(csv_reader *c, const char *path, const char *expected) {
  if (!next_record(c, path, 0)) {
    char why[128];
    snprintf(why, sizeof why, "empty file: expected a header line with %s", expected);
    csv_die_at(path, 1, 0, why);
  }
  if (c->n_fields && strncmp(c->fields[0], "\xEF\xBB\xBF", 3) == 0) c->fields[0] += 3;
}

static int column(const csv_reader *c, const char *name) {
  size_t i;
  for (i = 0; i < c->n_fields; i++)
    if (strcmp(c->fields[i], name) == 0) return (int)i;
  return -1;
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
    if (!s) csv_die("leadgate-learn", "out of memory");
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
  const char *path = r->opt.outcomes;
  csv_reader *c = open_csv(r, path);
  int         id_col, conv_col;
  size_t      n_fields;
  read_header(c, path, "columns 'id' and 'converted'");
  id_col = column(c, "id");
  conv_col = column(c, "converted");
  if (id_col < 0 || conv_col < 0)
    csv_die_at(path, c->record_line, 0,
               id_col < 0 ? "no 'id' column in the header" : "no 'converted' column in the header");
  n_fields = c->n_fields;
  while (next_record(c, path, n_fields)) {
    const char *id = c->fields[id_col], *v = c->fields[conv_col];
    uint32_t    h = hash_id(id);
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
      char why[160];
      snprintf(why, sizeof why, "converted '%.60s' is not 0 or 1", v);
      csv_die_at(path, c->record_line, 0, why);
    }
    if (id[0] == '\0') csv_die_at(path, c->record_line, 0, "empty id");
    if (map_find(&r->map, id, h) != SIZE_MAX) {
      char why[160];
      snprintf(why, sizeof why, "id '%.80s' appears twice", id);
      csv_die_at(path, c->record_line, 0, why);
    }
    map_add(&r->map, id, h, v[0] == '1');
  }
  close_csv(r);
}

/* ---- leads --------------------------------------------------------------------- */

static lg_status set_cell(lg_lead *lead, const char *name, const char *cell) {
  int64_t v;
  if (cell[0] == '\0') return LG_OK;
  if (csv_parse_int64(cell, &v)) return lg_lead_set_int(lead, name, v);
  if (strcmp(cell, "true") == 0) return lg_lead_set_bool(lead, name, 1);
  if (strcmp(cell, "false") == 0) return lg_lead_set_bool(lead, name, 0);
  return lg_lead_set_text(lead, name, cell);
}

/* The attributes to learn: --attributes, checked against the header, or
 * every column but id.  Columns not learned from are not stored. */
static void choose_attributes(run *r, const csv_reader *c, int id_col) {
  const char *path = r->opt.leads;
  size_t      i;
  r->n_cols = c->n_fields;
  r->cols = xmalloc(r->n_cols * sizeof *r->cols);
  for (i = 0; i < r->n_cols; i++) r->cols[i] = NULL;
  r->attrs = xmalloc((c->n_fields + 1) * sizeof *r->attrs);
  if (!r->opt.attributes) {
    for (i = 0; i < c->n_fields; i++)
      if ((int)i != id_col) {
        r->cols[i] = xstrdup(c->fields[i]);
        r->attrs[r->n_attrs++] = xstrdup(c->fields[i]);
      }
    return;
  }
  {
    const char *p = r->opt.attributes;
    for (;;) {
      const char *end = strchr(p, ',');
      size_t      len = end ? (size_t)(end - p) : strlen(p);
      char        name[80];
      int         col;
      if (len == 0 || len >= sizeof name)
        bad_usage("--attributes: '%s' is not a comma-separated list of column names",
                  r->opt.attributes);
      memcpy(name, p, len);
      name[len] = '\0';
      col = column(c, name);
      if (col < 0 || col == id_col) {
        char why[160];
        snprintf(why, sizeof why, "--attributes names '%s', which is not a column here", name);
        csv_die_at(path, c->record_line, 0, why);
      }
      if (r->cols[col]) bad_usage("--attributes: '%s' is named twice", name);
      if (r->n_attrs == c->n_fields) bad_usage("%s", "--attributes: too many names");
      r->cols[col] = xstrdup(name);
      r->attrs[r->n_attrs++] = xstrdup(name);
      if (!end) break;
      p = end + 1;
    }
  }
}

static void load_leads(run *r) {
  const char   *path = r->opt.leads;
  csv_reader   *c = open_csv(r, path);
  int           id_col;
  size_t        i, n_fields, skipped = 0, unused = 0;
  unsigned long line;
  read_header(c, path, "an 'id' column");
  id_col = column(c, "id");
  if (id_col < 0) csv_die_at(path, c->record_line, 0, "no 'id' column in the header");
  choose_attributes(r, c, id_col);
  n_fields = c->n_fields;
  while (next_record(c, path, n_fields)) {
    const char *id = c->fields[id_col];
    size_t      e = map_find(&r->map, id, hash_id(id));
    lg_lead    *lead;
    lg_status   st;
    line = c->record_line;
    if (e == SIZE_MAX) {
      skipped++;
      continue;
    }
    if (r->map.used[e]) {
      char why[160];
      snprintf(why, sizeof why, "id '%.80s' appears twice", id);
      csv_die_at(path, line, 0, why);
    }
    r->map.used[e] = 1;
    if ((st = lg_lead_create(id, &lead)) != LG_OK) csv_die_at(path, line, 0, "bad lead id");
    if (r->n == r->cap) {
      r->cap = r->cap ? r->cap * 2 : 4096;
      r->leads = xrealloc(r->leads, r->cap * sizeof *r->leads);
      r->converted = xrealloc(r->converted, r->cap * sizeof *r->converted);
    }
    r->leads[r->n] = lead;
    r->converted[r->n++] = r->map.value[e];
    for (i = 0; i < n_fields; i++) {
      if (!r->cols[i]) continue;
      if ((st = set_cell(lead, r->cols[i], c->fields[i])) != LG_OK) {
        char why[160];
        snprintf(why, sizeof why, "column '%s': %s", r->cols[i],
                 st != LG_ERR_LIMIT                          ? lg_status_message(st)
                 : strlen(c->fields[i]) > LG_MAX_TEXT_BYTES ? "text longer than 1024 bytes"
                                                             : "more than 256 attributes");
        csv_die_at(path, line, 0, why);
      }
    }
  }
  close_csv(r);
  for (i = 0; i < r->map.n; i++) unused += !r->map.used[i];
  if (skipped)
    fprintf(stderr, "leadgate-learn: %lu leads without an outcome left out\n",
            (unsigned long)skipped);
  if (unused)
    fprintf(stderr, "leadgate-learn: %lu outcomes of ids not in %s ignored\n",
            (unsigned long)unused, path);
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
  fflush(stdout);
  fprintf(stderr, "leadgate-learn: cannot learn: %s (%s)\n", why, lg_status_name(st));
  exit(EXIT_INPUT);
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
  st = lg_learn_rubric(leads, conv, k, (const char *const *)r->attrs, r->n_attrs, r->opt.name,
                       &r->opt.learn, NULL, 0, &needed);
  if (st == LG_ERR_BUFFER) {
    r->text = xmalloc(needed);
    st = lg_learn_rubric(leads, conv, k, (const char *const *)r->attrs, r->n_attrs,
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
    csv_die("leadgate-learn", "the learned rubric does not parse (a bug)");
  for (i = 0; i < r->n; i++) {
    lg_score sc;
    if (!held_out[i]) {
      w_train += (size_t)r->converted[i];
      continue;
    }
    if (lg_score_lead(r->rubric, r->leads[i], 0, &sc) != LG_OK)
      csv_die("leadgate-learn", "scoring failed");
    s[k].fit = sc.fit;
    s[k++].converted = r->converted[i];
    pos += (size_t)r->converted[i];
  }
  neg = held - pos;
  fprintf(stderr, "leadgate-learn: learned from %lu leads (%lu converted), held out %lu (%lu "
                  "converted), seed %llu\n",
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
    fprintf(stderr, "leadgate-learn: AUC undefined: the held-out leads have one outcome only\n");
  else
    fprintf(stderr, "leadgate-learn: AUC %.4f on held-out leads (Mann-Whitney, ties half: "
                    "2U = %llu of 2 x %lu x %lu)\n",
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
      csv_die("leadgate-learn", "the learned rubric does not parse (a bug)");
  }
  if (!f) csv_die(r->opt.scores, strerror(errno));
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
  if (fclose(f) != 0) csv_die(r->opt.scores, "write error");
}

int main(int argc, char **argv) {
  run     *r = &the_run;
  uint8_t *held_out = NULL;
  size_t   held = 0;
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
  if (fflush(stdout) != 0 || ferror(stdout)) csv_die("stdout", "write error");
  if (held_out) report(r, held_out, held);
  if (r->opt.scores) write_scores(r, held_out);
  free(held_out);
  return 0;
}
