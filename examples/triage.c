/*
 * triage.c - leadgate-triage: scores and qualifies a CSV of leads.
 *
 *   leadgate-triage --rubric FILE --policy FILE [--events FILE] [--now TIME]
 *                   [--explain] [--stats] [--keep-going] LEADS.csv
 *
 * LEADS.csv has a header; column `id` is required and every other column is
 * an attribute named by its header ([a-z][a-z0-9_]{0,63}).  A cell is
 * absent when empty, an int when it is an optional '-' and digits that fit
 * int64, a bool when it is exactly `true` or `false`, and text otherwise.
 * The events file (`lead_id,type,at`, columns in any order, extra columns
 * ignored) is indexed by lead id in a hash table; leads are then streamed a
 * row at a time, so memory is one lead plus the events index: 8 bytes an
 * event (up to 20 while it is built) plus the id and about 32 bytes a
 * distinct lead id.  examples/bench_triage.sh times a run on 100,000
 * generated leads.
 *
 * Output (stdout, CSV, input order):
 *   id,fit,engagement,total,knocked_out,grade,verdict,reason[,explain]
 * points with three decimals, knocked_out 0 or 1, verdict
 * mql|nurture|disqualify.  `explain` lists `criterion=points` for every fit
 * criterion and for every engagement or knockout criterion that gave
 * points (a matched knockout shows 1.000), in rubric order, separated by
 * ';', then `next=ATTRIBUTE` when a fit attribute is missing.
 *
 * Exit status: 0 success; 1 with --keep-going when rows were skipped (each
 * reported on stderr, then a count); 2 on an error in an input file (a
 * rubric or policy error as FILE:LINE:COL: message, a bad CSV row as
 * FILE:LINE: why, an unreadable file as FILE: reason); 64 for bad usage.
 * A bad row prints nothing on stdout; rows before it are kept.
 *
 * Uses only <leadgate.h>, csv.h and the C library (plus POSIX
 * clock_gettime for --stats, when available).
 */
#define _POSIX_C_SOURCE 200809L

#include <leadgate.h>

#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_SKIPPED 1
#define EXIT_INPUT   2
#define EXIT_USAGE   64

static const char usage_line[] =
  "usage: leadgate-triage --rubric FILE --policy FILE [--events FILE] [--now TIME]\n"
  "                       [--explain] [--stats] [--keep-going] LEADS.csv\n";

/* ---- clocks: the only places the program asks the system for time ------ */

static lg_time wall_clock_now(void) { return (lg_time)time(NULL); }

static double monotonic_seconds(void) {
#ifdef CLOCK_MONOTONIC
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
  return (double)clock() / CLOCKS_PER_SEC;
}

/* ---- a string -> values hash map (lead ids and event types) -------------- */

#define NO_INDEX UINT32_MAX

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Keys live in one arena as entries: two uint32 values, the key and its
 * NUL, padded to 8 bytes.  Value 0 is the key's index (0, 1, 2, ... in the
 * order added); the events index reuses both values once it is grouped.
 * A slot packs the key's hash (high half) and its entry's offset / 8 + 1
 * (low half, 0 = empty), so a probe touches the arena only when the hashes
 * agree, and then one cache line holds the key and its values.  The index
 * is a big table probed at random: the events loader hides the cache
 * misses by prefetching the slot and then the entry some rows ahead. */
typedef struct strmap {
  char     *arena; /* entries, 8-byte aligned */
  size_t    arena_len, arena_cap;
  uint32_t *off;   /* entry of key i is arena + off[i] */
  uint32_t  n, cap;
  uint64_t *slots; /* open addressing, linear probing, at most half full */
  uint32_t  n_slots;
} strmap;

#define ENTRY_HEAD 8 /* the two values before the key */

/* A hash of the n bytes at s, a word at a time (the CSV reader gives the
 * field lengths), with the MurmurHash3 finalizer.  Only this run compares
 * hashes, so the byte order of the words does not matter. */
static uint32_t hash_key(const char *s, size_t n) {
  uint64_t h = (uint64_t)n * UINT64_C(0x9E3779B97F4A7C15), w;
  size_t   i;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&w, s, 8);
    h = (h ^ w) * UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 32;
  }
  for (w = 0, i = 0; i < n; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
  h ^= w;
  h ^= h >> 33;
  h *= UINT64_C(0xFF51AFD7ED558CCD);
  h ^= h >> 33;
  h *= UINT64_C(0xC4CEB9FE1A85EC53);
  h ^= h >> 33;
  return (uint32_t)h;
}

/* Whether the stored key k is s (of length len): compares the terminating
 * NUL too.  Inline, as the keys are short (lead ids, event types). */
static int key_eq(const char *k, const char *s, size_t len) {
  size_t i;
  for (i = 0; i <= len; i++)
    if (k[i] != s[i]) return 0;
  return 1;
}

static void strmap_free(strmap *m) {
  free(m->arena);
  free(m->off);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static char *slot_entry(const strmap *m, uint64_t slot) {
  return m->arena + (size_t)((uint32_t)slot - 1) * 8;
}

static uint32_t entry_value(const char *e, int which) {
  uint32_t v;
  memcpy(&v, e + 4 * which, sizeof v);
  return v;
}

static void entry_set(char *e, int which, uint32_t v) { memcpy(e + 4 * which, &v, sizeof v); }

static const char *strmap_key(const strmap *m, uint32_t i) {
  return m->arena + m->off[i] + ENTRY_HEAD;
}

/* The entry of key s (length len, hash h), or NULL. */
static char *strmap_find_h(const strmap *m, const char *s, size_t len, uint32_t h) {
  uint32_t mask = m->n_slots - 1, i;
  if (!m->n_slots) return NULL;
  for (i = h & mask; m->slots[i]; i = (i + 1) & mask) {
    uint64_t slot = m->slots[i];
    if ((uint32_t)(slot >> 32) == h) {
      char *e = slot_entry(m, slot);
      if (key_eq(e + ENTRY_HEAD, s, len)) return e;
    }
  }
  return NULL;
}

/* Hints for a lookup of hash h coming soon: first its slot, then (once
 * the slot is in the cache) the entry the slot points to. */
static void strmap_prefetch_slot(const strmap *m, uint32_t h) {
  if (m->n_slots) PREFETCH(&m->slots[h & (m->n_slots - 1)]);
}

static void strmap_prefetch_entry(const strmap *m, uint32_t h) {
  uint32_t mask = m->n_slots - 1, i;
  if (!m->n_slots) return;
  for (i = h & mask; m->slots[i]; i = (i + 1) & mask)
    if ((uint32_t)(m->slots[i] >> 32) == h) {
      PREFETCH(slot_entry(m, m->slots[i]));
      return;
    }
}

static void strmap_place(uint64_t *slots, uint32_t n_slots, uint64_t slot) {
  uint32_t j = (uint32_t)(slot >> 32) & (n_slots - 1);
  while (slots[j]) j = (j + 1) & (n_slots - 1);
  slots[j] = slot;
}

static int strmap_rehash(strmap *m) {
  uint32_t  n_slots = m->n_slots ? m->n_slots * 2 : 64, i;
  uint64_t *slots;
  if (n_slots < m->n_slots) return -1;
  slots = calloc(n_slots, sizeof *slots);
  if (!slots) return -1;
  for (i = 0; i < m->n_slots; i++)
    if (m->slots[i]) strmap_place(slots, n_slots, m->slots[i]);
  free(m->slots);
  m->slots = slots;
  m->n_slots = n_slots;
  return 0;
}

/* Adds key s (length len, hash h), which is not in the map yet; its index
 * goes to *index.  -1 when out of memory. */
static int strmap_add(strmap *m, const char *s, size_t len, uint32_t h, uint32_t *index) {
  size_t need = (ENTRY_HEAD + len + 1 + 7) & ~(size_t)7;
  char  *e;
  if (m->n == m->cap) {
    uint32_t  cap = m->cap ? m->cap * 2 : 64;
    uint32_t *off;
    if (cap < m->cap || cap == NO_INDEX) return -1;
    if (!(off = realloc(m->off, cap * sizeof *off))) return -1;
    m->off = off;
    m->cap = cap;
  }
  if (m->arena_cap - m->arena_len < need) {
    size_t cap = m->arena_cap ? m->arena_cap : 4096;
    char  *a;
    while (cap - m->arena_len < need) cap *= 2;
    if (cap > UINT32_MAX || !(a = realloc(m->arena, cap))) return -1;
    m->arena = a;
    m->arena_cap = cap;
  }
  if ((m->n + 1) * 2 > m->n_slots && strmap_rehash(m) != 0) return -1;
  e = m->arena + m->arena_len;
  entry_set(e, 0, m->n);
  entry_set(e, 1, 0);
  memcpy(e + ENTRY_HEAD, s, len + 1);
  memset(e + ENTRY_HEAD + len + 1, 0, need - (ENTRY_HEAD + len + 1));
  m->off[m->n] = (uint32_t)m->arena_len;
  strmap_place(m->slots, m->n_slots, (uint64_t)h << 32 | (uint64_t)(m->arena_len / 8 + 1));
  m->arena_len += need;
  *index = m->n++;
  return 0;
}

/* Index of key s (length len, hash h), adding it when new.  -1 when out of
 * memory. */
static int strmap_intern(strmap *m, const char *s, size_t len, uint32_t h, uint32_t *index) {
  const char *e = strmap_find_h(m, s, len, h);
  if (!e) return strmap_add(m, s, len, h, index);
  *index = entry_value(e, 0);
  return 0;
}

/* ---- the events index -------------------------------------------------------
 *
 * Events are appended in file order (with the lead's key index in a
 * parallel array), then grouped by lead with one counting-sort pass: the
 * events of a lead end up contiguous in ev[start .. end), in file order,
 * and its ids entry holds start and end (values 0 and 1).  Reading a
 * lead's events is then a sequential scan.
 *
 * An event is packed into 64 bits: its time as seconds since LG_TIME_MIN
 * (LG_TIME_MAX - LG_TIME_MIN < 2^39) above its type index (25 bits), so
 * the index costs 12 bytes an event while it is built and 8 after.
 *
 * Rows reach the ids map through a short pipeline (`pipe`): a row's slot
 * is prefetched when it is read, its entry PIPE / 2 rows later, and it is
 * interned PIPE rows later, when both are in the cache. */

#define TYPE_BITS 25
#define MAX_TYPES ((uint32_t)1 << TYPE_BITS)
#define PIPE      16 /* a power of two */

static uint64_t ev_pack(lg_time at, uint32_t type) {
  return (uint64_t)(at - LG_TIME_MIN) << TYPE_BITS | type;
}
static lg_time  ev_at(uint64_t e) { return (lg_time)(e >> TYPE_BITS) + LG_TIME_MIN; }
static uint32_t ev_type(uint64_t e) { return (uint32_t)(e & (MAX_TYPES - 1)); }

typedef struct pending_event {
  lg_time  at;
  uint32_t h, type;
  size_t   len;
  char     id[LG_MAX_ID_BYTES + 1];
} pending_event;

typedef struct event_index {
  strmap        ids, types;
  uint64_t     *ev;   /* packed events; grouped by lead after event_index_group */
  uint32_t     *lead; /* lead[i]: index into ids of ev[i]; until grouped */
  size_t        n_ev, cap_ev;
  int           grouped;
  pending_event pipe[PIPE];
  size_t        pipe_head, pipe_n; /* oldest row in the pipe, rows in it */
} event_index;

static void event_index_free(event_index *x) {
  strmap_free(&x->ids);
  strmap_free(&x->types);
  free(x->ev);
  free(x->lead);
}

static int name_valid(const char *s) {
  size_t i;
  if (s[0] < 'a' || s[0] > 'z') return 0;
  for (i = 1; s[i]; i++) {
    char c = s[i];
    if (i >= LG_MAX_NAME_BYTES) return 0;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
  }
  return 1;
}

/* Interns the lead of the oldest row in the pipe and appends its event. */
static int event_index_commit(event_index *x) {
  const pending_event *p = &x->pipe[x->pipe_head];
  uint32_t             k;
  if (strmap_intern(&x->ids, p->id, p->len, p->h, &k) != 0) return -1;
  if (x->n_ev == x->cap_ev) {
    size_t    cap = x->cap_ev ? x->cap_ev * 2 : 4096;
    uint64_t *e;
    uint32_t *l;
    if (cap >= NO_INDEX) return -1;
    if (!(e = realloc(x->ev, cap * sizeof *e))) return -1;
    x->ev = e;
    if (!(l = realloc(x->lead, cap * sizeof *l))) return -1;
    x->lead = l;
    x->cap_ev = cap;
  }
  x->ev[x->n_ev] = ev_pack(p->at, p->type);
  x->lead[x->n_ev++] = k;
  x->pipe_head = (x->pipe_head + 1) & (PIPE - 1);
  x->pipe_n--;
  return 0;
}

/* Adds an event of lead id (length len <= LG_MAX_ID_BYTES, hash h) of
 * type index `type`.  -1 when out of memory. */
static int event_index_add(event_index *x, const char *id, size_t len, uint32_t h,
                           uint32_t type, lg_time at) {
  pending_event *p;
  if (x->pipe_n == PIPE && event_index_commit(x) != 0) return -1;
  p = &x->pipe[(x->pipe_head + x->pipe_n++) & (PIPE - 1)];
  p->at = at;
  p->h = h;
  p->type = type;
  p->len = len;
  memcpy(p->id, id, len + 1);
  strmap_prefetch_slot(&x->ids, h);
  if (x->pipe_n > PIPE / 2)
    strmap_prefetch_entry(&x->ids, x->pipe[(x->pipe_head + x->pipe_n - 1 - PIPE / 2) &
                                           (PIPE - 1)].h);
  return 0;
}

/* Drains the pipe, then groups the events by lead. */
static int event_index_group(event_index *x) {
  uint32_t *first, *fill;
  uint64_t *sorted;
  size_t    i;
  while (x->pipe_n)
    if (event_index_commit(x) != 0) return -1;
  first = calloc((size_t)x->ids.n + 1, sizeof *first);
  sorted = x->n_ev ? malloc(x->n_ev * sizeof *sorted) : NULL;
  if (!first || (x->n_ev && !sorted)) {
    free(first);
    free(sorted);
    return -1;
  }
  for (i = 0; i < x->n_ev; i++) first[x->lead[i] + 1]++;
  for (i = 0; i < x->ids.n; i++) first[i + 1] += first[i];
  /* scatter: each lead's running fill position starts at first[k]; the
   * slots first[k + 1] are reused as cursors and restored afterwards */
  fill = first + 1;
  for (i = x->ids.n; i > 0; i--) fill[i - 1] = first[i - 1];
  for (i = 0; i < x->n_ev; i++) sorted[fill[x->lead[i]]++] = x->ev[i];
  for (i = 0; i < x->ids.n; i++) {
    char *e = x->ids.arena + x->ids.off[i];
    entry_set(e, 0, first[i]);
    entry_set(e, 1, first[i + 1]);
  }
  free(first);
  free(x->ev);
  free(x->lead);
  x->ev = sorted;
  x->lead = NULL;
  x->cap_ev = x->n_ev;
  x->grouped = 1;
  return 0;
}

/* ---- the run ----------------------------------------------------------------- */

typedef struct options {
  const char *rubric, *policy, *events, *leads;
  lg_time     now;
  int         explain, stats, keep_going;
} options;

typedef struct columns {
  int    id;    /* index of the id column */
  size_t n;     /* number of columns in the header */
  char **names; /* copies of the header names */
} columns;

/* Everything the run owns lives here, so that release() can free it all on
 * any exit (error exits included: it is registered with atexit). */
typedef struct run {
  options          opt;
  FILE            *in;     /* the CSV file being read */
  csv_reader       reader; /* its reader, when reader_open */
  int              reader_open;
  columns          cols;   /* the leads header */
  lg_lead         *lead;   /* the lead of the current row */
  lg_rubric       *rubric;
  lg_policy       *policy;
  event_index      events;
  unsigned long    skipped, leads;
  lg_contribution *items;
  size_t           cap_items;
  char            *ex; /* the explain cell */
  size_t           ex_len, ex_cap;
  char            *line; /* the output row, written with one fwrite */
  size_t           line_len, line_cap;
  double           t_parse, t_score;
} run;

static run the_run;

static void free_columns(columns *cols) {
  size_t i;
  if (cols->names)
    for (i = 0; i < cols->n; i++) free(cols->names[i]);
  free(cols->names);
  cols->names = NULL;
  cols->n = 0;
}

static void close_input(run *r) {
  if (r->reader_open) csv_close(&r->reader);
  if (r->in) fclose(r->in);
  r->reader_open = 0;
  r->in = NULL;
}

static void release(void) {
  run *r = &the_run;
  close_input(r);
  free_columns(&r->cols);
  lg_lead_free(r->lead);
  event_index_free(&r->events);
  free(r->items);
  free(r->ex);
  free(r->line);
  lg_policy_free(r->policy);
  lg_rubric_free(r->rubric);
  memset(r, 0, sizeof *r);
}

static void bad_usage(const char *fmt, const char *arg) {
  fputs("leadgate-triage: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  fputs(usage_line, stderr);
  exit(EXIT_USAGE);
}

static void parse_args(int argc, char **argv, options *o) {
  int i, now_given = 0;
  memset(o, 0, sizeof *o);
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
    if (n == 8 && strncmp(a, "--rubric", n) == 0) dst = &o->rubric;
    else if (n == 8 && strncmp(a, "--policy", n) == 0) dst = &o->policy;
    else if (n == 8 && strncmp(a, "--events", n) == 0) dst = &o->events;
    else if (n == 5 && strncmp(a, "--now", n) == 0) dst = &val;
    else if (!eq && strcmp(a, "--explain") == 0) { o->explain = 1; continue; }
    else if (!eq && strcmp(a, "--stats") == 0) { o->stats = 1; continue; }
    else if (!eq && strcmp(a, "--keep-going") == 0) { o->keep_going = 1; continue; }
    else bad_usage("unknown option '%s'", a);
    if (eq) *dst = eq + 1;
    else if (++i < argc) *dst = argv[i];
    else bad_usage("option '%s' needs a value", a);
    if (dst == &val) {
      if (!csv_parse_time(val, &o->now) || o->now < LG_TIME_MIN || o->now > LG_TIME_MAX)
        bad_usage("--now: '%s' is not epoch seconds or ISO 8601 like 2026-11-23T10:00:00Z", val);
      now_given = 1;
    }
  }
  if (!o->rubric) bad_usage("%s", "--rubric is required");
  if (!o->policy) bad_usage("%s", "--policy is required");
  if (!o->leads) bad_usage("%s", "no LEADS.csv given");
  if (!now_given) o->now = wall_clock_now();
}


/* Reads and parses a rubric (is_policy == 0) or a policy. */
static void load_definition(run *r, const char *path, int is_policy) {
  char     *text;
  size_t    len;
  lg_error  err;
  lg_status st;
  int       rc = csv_read_file(path, &text, &len);
  if (rc != 0) csv_die(path, csv_file_error(rc));
  st = is_policy ? lg_policy_parse(text, len, &r->policy, &err)
                 : lg_rubric_parse(text, len, &r->rubric, &err);
  free(text);
  if (st == LG_OK) return;
  csv_die_at(path, err.line, err.column, err.message[0] ? err.message : lg_status_message(st));
}

static csv_reader *open_input(run *r, const char *path) {
  r->in = fopen(path, "rb");
  if (!r->in) csv_die(path, strerror(errno));
  if (csv_open(&r->reader, r->in) != 0) csv_die(path, "out of memory");
  r->reader_open = 1;
  return &r->reader;
}

/* Reports a bad row of `file`; fatal unless --keep-going. */
static void bad_row(run *r, const char *file, unsigned long line, const char *why) {
  fflush(stdout);
  fprintf(stderr, "%s:%lu: %s\n", file, line, why);
  if (!r->opt.keep_going) exit(EXIT_INPUT);
  r->skipped++;
}

static int find_column(const csv_reader *c, const char *name) {
  size_t i;
  for (i = 0; i < c->n_fields; i++)
    if (strcmp(c->fields[i], name) == 0) return (int)i;
  return -1;
}

/* Strips a UTF-8 byte order mark from the first header cell (spreadsheets
 * write one). */
static void strip_bom(csv_reader *c) {
  if (c->n_fields && strncmp(c->fields[0], "\xEF\xBB\xBF", 3) == 0) {
    c->fields[0] += 3;
    c->lens[0] -= 3;
  }
}

static void load_events(run *r) {
  const char *path = r->opt.events;
  csv_reader *c = open_input(r, path);
  int         st, col_id, col_type, col_at;
  size_t      max_col;
  char        why[192];

  st = csv_next(c);
  if (st != CSV_RECORD) {
    fprintf(stderr, "%s:%lu: %s\n", path, st == CSV_EOF ? 1ul : c->error_line,
            st == CSV_EOF ? "empty file: expected the header lead_id,type,at" : c->error);
    exit(EXIT_INPUT);
  }
  strip_bom(c);
  col_id = find_column(c, "lead_id");
  col_type = find_column(c, "type");
  col_at = find_column(c, "at");
  if (col_id < 0 || col_type < 0 || col_at < 0) {
    fprintf(stderr, "%s:1: the header must name the columns lead_id, type and at\n", path);
    exit(EXIT_INPUT);
  }
  max_col = (size_t)col_id;
  if ((size_t)col_type > max_col) max_col = (size_t)col_type;
  if ((size_t)col_at > max_col) max_col = (size_t)col_at;
  while ((st = csv_next(c)) != CSV_EOF) {
    const char *id, *type, *at;
    lg_time     t;
    size_t      id_len, type_len;
    uint32_t    id_h, type_h, ty;
    const char *e;
    if (st == CSV_FATAL) csv_die(path, c->error);
    if (st == CSV_BAD) {
      bad_row(r, path, c->error_line, c->error);
      continue;
    }
    if (c->n_fields <= max_col) {
      sprintf(why, "expected at least %lu fields, found %lu", (unsigned long)max_col + 1,
              (unsigned long)c->n_fields);
      bad_row(r, path, c->record_line, why);
      continue;
    }
    id = c->fields[col_id];
    type = c->fields[col_type];
    at = c->fields[col_at];
    id_len = c->lens[col_id];
    if (id_len == 0 || id_len > LG_MAX_ID_BYTES) {
      bad_row(r, path, c->record_line, id_len ? "lead_id longer than 256 bytes" : "empty lead_id");
      continue;
    }
    id_h = hash_key(id, id_len);
    /* a type already in the map was checked when it was added */
    type_len = c->lens[col_type];
    type_h = hash_key(type, type_len);
    e = strmap_find_h(&r->events.types, type, type_len, type_h);
    ty = e ? entry_value(e, 0) : NO_INDEX;
    if (ty == NO_INDEX && !name_valid(type)) {
      sprintf(why, "event type '%.64s' is not a name ([a-z][a-z0-9_]{0,63})", type);
      bad_row(r, path, c->record_line, why);
      continue;
    }
    if (!csv_parse_time(at, &t) || t < LG_TIME_MIN || t > LG_TIME_MAX) {
      sprintf(why, "at '%.64s' is not epoch seconds or ISO 8601 like 2026-11-18T09:30:00Z", at);
      bad_row(r, path, c->record_line, why);
      continue;
    }
    if (ty == NO_INDEX) {
      if (r->events.types.n >= MAX_TYPES) csv_die(path, "more than 2^25 distinct event types");
      if (strmap_add(&r->events.types, type, type_len, type_h, &ty) != 0)
        csv_die(path, "out of memory");
    }
    if (event_index_add(&r->events, id, id_len, id_h, ty, t) != 0) csv_die(path, "out of memory");
  }
  close_input(r);
  if (event_index_group(&r->events) != 0) csv_die(path, "out of memory");
}

/* ---- leads ------------------------------------------------------------------ */

static void read_header(run *r, csv_reader *c, columns *cols) {
  const char *path = r->opt.leads;
  size_t      i, j;
  int         st = csv_next(c);
  if (st == CSV_EOF) {
    fprintf(stderr, "%s:1: empty file: expected a header line with an 'id' column\n", path);
    exit(EXIT_INPUT);
  }
  if (st != CSV_RECORD) {
    fprintf(stderr, "%s:%lu: %s\n", path, c->error_line, c->error);
    exit(EXIT_INPUT);
  }
  strip_bom(c);
  cols->id = -1;
  cols->n = c->n_fields;
  if (cols->n - 1 > LG_MAX_ATTRIBUTES) {
    fprintf(stderr, "%s:%lu: %lu attribute columns; a lead holds at most %d attributes\n",
            path, c->record_line, (unsigned long)(cols->n - 1), LG_MAX_ATTRIBUTES);
    exit(EXIT_INPUT);
  }
  cols->names = calloc(cols->n, sizeof *cols->names);
  if (!cols->names) csv_die(path, "out of memory");
  for (i = 0; i < cols->n; i++) {
    const char *name = c->fields[i];
    if (strcmp(name, "id") == 0) {
      if (cols->id >= 0) {
        fprintf(stderr, "%s:%lu: column 'id' appears twice\n", path, c->record_line);
        exit(EXIT_INPUT);
      }
      cols->id = (int)i;
    } else if (!name_valid(name)) {
      fprintf(stderr,
              "%s:%lu: column %lu: header '%.80s' is not a valid attribute name "
              "(lower-case [a-z][a-z0-9_]{0,63}, e.g. timeframe_months)\n",
              path, c->record_line, (unsigned long)i + 1, name);
      exit(EXIT_INPUT);
    }
    for (j = 0; j < i; j++)
      if (strcmp(cols->names[j], name) == 0 && strcmp(name, "id") != 0) {
        fprintf(stderr, "%s:%lu: column '%s' appears twice\n", path, c->record_line, name);
        exit(EXIT_INPUT);
      }
    cols->names[i] = malloc(strlen(name) + 1);
    if (!cols->names[i]) csv_die(path, "out of memory");
    strcpy(cols->names[i], name);
  }
  if (cols->id < 0) {
    fprintf(stderr, "%s:%lu: no 'id' column in the header\n", path, c->record_line);
    exit(EXIT_INPUT);
  }
}

/* Sets one attribute from a cell; LG_OK for an empty (absent) cell. */
static lg_status set_cell(lg_lead *lead, const char *name, const char *cell) {
  int64_t v;
  if (cell[0] == '\0') return LG_OK;
  if (csv_parse_int64(cell, &v)) return lg_lead_set_int(lead, name, v);
  if (strcmp(cell, "true") == 0) return lg_lead_set_bool(lead, name, 1);
  if (strcmp(cell, "false") == 0) return lg_lead_set_bool(lead, name, 0);
  return lg_lead_set_text(lead, name, cell);
}

static void ex_put(run *r, const char *s) {
  size_t n = strlen(s);
  if (r->ex_cap - r->ex_len < n + 1) {
    size_t cap = r->ex_cap ? r->ex_cap : 256;
    char  *p;
    while (cap - r->ex_len < n + 1) cap *= 2;
    if (!(p = realloc(r->ex, cap))) csv_die(r->opt.leads, "out of memory");
    r->ex = p;
    r->ex_cap = cap;
  }
  memcpy(r->ex + r->ex_len, s, n + 1);
  r->ex_len += n;
}

static void build_explain(run *r, const lg_lead *lead) {
  size_t      count, i;
  lg_status   st;
  const char *next;
  lg_points   gain;
  char        num[32];

  while ((st = lg_explain(r->rubric, lead, r->opt.now, r->items, r->cap_items, &count)) ==
         LG_ERR_BUFFER) {
    free(r->items);
    if (!(r->items = malloc(count * sizeof *r->items))) csv_die(r->opt.leads, "out of memory");
    r->cap_items = count;
  }
  if (st != LG_OK) csv_die(r->opt.leads, lg_status_message(st));
  r->ex_len = 0;
  if (r->ex) r->ex[0] = '\0';
  for (i = 0; i < count; i++) {
    const lg_contribution *it = &r->items[i];
    if (it->kind != LG_KIND_FIT && it->points == 0) continue;
    if (r->ex_len) ex_put(r, ";");
    ex_put(r, it->criterion);
    ex_put(r, "=");
    csv_format_points(it->points, num);
    ex_put(r, num);
  }
  if (lg_next_question(r->rubric, lead, &next, &gain) == LG_OK) {
    if (r->ex_len) ex_put(r, ";");
    ex_put(r, "next=");
    ex_put(r, next);
  }
}

/* ---- output: a row is built in r->line, then written with one fwrite ---- */

static void line_reserve(run *r, size_t n) {
  size_t cap;
  char  *p;
  if (r->line_cap - r->line_len >= n) return;
  cap = r->line_cap ? r->line_cap : 512;
  while (cap - r->line_len < n) cap *= 2;
  if (!(p = realloc(r->line, cap))) csv_die(r->opt.leads, "out of memory");
  r->line = p;
  r->line_cap = cap;
}

static void line_put(run *r, const char *s, size_t n) {
  line_reserve(r, n);
  memcpy(r->line + r->line_len, s, n);
  r->line_len += n;
}

static void line_putc(run *r, char c) {
  line_reserve(r, 1);
  r->line[r->line_len++] = c;
}

/* One CSV field, quoted as csv_write_field does (RFC 4180: when it holds a
 * comma, a quote, CR or LF; quotes doubled). */
static void line_put_field(run *r, const char *s) {
  size_t n = 0, quotes = 0, special = 0, i;
  char  *p;
  for (; s[n]; n++) {
    char c = s[n];
    if (c == '"') quotes++;
    else if (c == ',' || c == '\r' || c == '\n') special = 1;
  }
  if (!quotes && !special) {
    line_put(r, s, n);
    return;
  }
  line_reserve(r, n + quotes + 2);
  p = r->line + r->line_len;
  *p++ = '"';
  for (i = 0; i < n; i++) {
    if (s[i] == '"') *p++ = '"';
    *p++ = s[i];
  }
  *p++ = '"';
  r->line_len = (size_t)(p - r->line);
}

/* Points with three decimals, then `sep` (csv_format_points' format). */
static void line_put_points(run *r, lg_points v, char sep) {
  char num[32];
  csv_format_points(v, num);
  line_put(r, num, strlen(num));
  line_putc(r, sep);
}

static void write_row(run *r, const lg_lead *lead, const lg_decision *d) {
  static const char *verdicts[] = {"nurture", "mql", "disqualify"};
  const char        *verdict = d->verdict >= 0 && d->verdict <= 2 ? verdicts[d->verdict] : "?";
  r->line_len = 0;
  line_put_field(r, lg_lead_id(lead));
  line_putc(r, ',');
  line_put_points(r, d->score.fit, ',');
  line_put_points(r, d->score.engagement, ',');
  line_put_points(r, d->score.total, ',');
  line_put(r, d->score.knocked_out ? "1," : "0,", 2);
  line_put_field(r, d->grade);
  line_putc(r, ',');
  line_put(r, verdict, strlen(verdict));
  line_putc(r, ',');
  line_put_field(r, d->reason);
  if (r->opt.explain) {
    line_putc(r, ',');
    line_put_field(r, r->ex ? r->ex : "");
  }
  line_putc(r, '\n');
  fwrite(r->line, 1, r->line_len, stdout);
}

/* The events of lead id (length len, hash h) are [*e, *end); both NULL
 * when it has none.  Starts fetching them. */
static void find_events(const event_index *x, const char *id, size_t len, uint32_t h,
                        const uint64_t **e, const uint64_t **end) {
  const char *entry = strmap_find_h(&x->ids, id, len, h);
  if (!entry) return;
  *e = x->ev + entry_value(entry, 0);
  *end = x->ev + entry_value(entry, 1);
  PREFETCH(*e);
  PREFETCH(*end - 1); /* a lead in the index has at least one event */
}

/* Builds the lead of the current row, decides and prints it.  0 on
 * success; otherwise writes why the row is bad into `why`. */
static void drop_lead(run *r) {
  lg_lead_free(r->lead);
  r->lead = NULL;
}

static int triage_row(run *r, const csv_reader *c, const columns *cols, char *why, size_t cap) {
  const char *id;
  lg_lead    *lead;
  lg_decision d;
  lg_status   st;
  size_t      i, id_len, mid = cols->n / 2;
  uint32_t    id_h;
  const uint64_t *e = NULL, *end = NULL;

  if (c->n_fields != cols->n) {
    snprintf(why, cap, "expected %lu fields as in the header, found %lu",
             (unsigned long)cols->n, (unsigned long)c->n_fields);
    return -1;
  }
  id = c->fields[cols->id];
  /* The lead's events are added after its attributes; fetch them from
   * the index meanwhile, in steps: its slot now, the entry once the lead
   * is made, the events halfway through the attributes. */
  id_len = c->lens[cols->id];
  id_h = hash_key(id, id_len);
  if (r->events.grouped) strmap_prefetch_slot(&r->events.ids, id_h);
  if ((st = lg_lead_create(id, &r->lead)) != LG_OK) {
    if (st == LG_ERR_NOMEM) csv_die(r->opt.leads, lg_status_message(st));
    snprintf(why, cap, "%s",
             id_len == 0                    ? "empty id"
             : id_len > LG_MAX_ID_BYTES     ? "id longer than 256 bytes"
                                            : "id is not valid UTF-8");
    return -1;
  }
  if (r->events.grouped) strmap_prefetch_entry(&r->events.ids, id_h);
  lead = r->lead;
  for (i = 0; i < cols->n; i++) {
    if (i == mid && r->events.grouped) find_events(&r->events, id, id_len, id_h, &e, &end);
    if ((int)i == cols->id) continue;
    st = set_cell(lead, cols->names[i], c->fields[i]);
    if (st == LG_OK) continue;
    if (st == LG_ERR_NOMEM) csv_die(r->opt.leads, lg_status_message(st));
    snprintf(why, cap, "column '%s': %s", cols->names[i],
             st == LG_ERR_LIMIT ? "text longer than 1024 bytes" : "text is not valid UTF-8");
    drop_lead(r);
    return -1;
  }
  if (e) {
    for (; e < end; e++) {
      st = lg_lead_add_event(lead, strmap_key(&r->events.types, ev_type(*e)), ev_at(*e));
      if (st == LG_OK) continue;
      if (st == LG_ERR_NOMEM) csv_die(r->opt.leads, lg_status_message(st));
      snprintf(why, cap, "lead has more than %d events in %s (%s)", LG_MAX_EVENTS,
               r->opt.events, lg_status_name(st));
      drop_lead(r);
      return -1;
    }
  }
  st = lg_decide(r->rubric, r->policy, lead, r->opt.now, &d);
  if (st != LG_OK) csv_die(r->opt.leads, lg_status_message(st));
  if (r->opt.explain) build_explain(r, lead);
  write_row(r, lead, &d);
  drop_lead(r);
  return 0;
}

static void triage_leads(run *r) {
  const char *path = r->opt.leads;
  csv_reader *c = open_input(r, path);
  int         st;
  char        why[256];
  double      t0 = monotonic_seconds(), t1;

  read_header(r, c, &r->cols);
  fputs("id,fit,engagement,total,knocked_out,grade,verdict,reason", stdout);
  fputs(r->opt.explain ? ",explain\n" : "\n", stdout);
  for (;;) {
    st = csv_next(c);
    if (r->opt.stats) {
      t1 = monotonic_seconds();
      r->t_parse += t1 - t0;
      t0 = t1;
    }
    if (st == CSV_EOF) break;
    if (st == CSV_FATAL) csv_die(path, c->error);
    if (st == CSV_BAD) {
      bad_row(r, path, c->error_line, c->error);
      continue;
    }
    if (triage_row(r, c, &r->cols, why, sizeof why) == 0)
      r->leads++;
    else
      bad_row(r, path, c->record_line, why);
    if (r->opt.stats) {
      t1 = monotonic_seconds();
      r->t_score += t1 - t0;
      t0 = t1;
    }
  }
  free_columns(&r->cols);
  close_input(r);
}

int main(int argc, char **argv) {
  static char out_buffer[1 << 20];
  run        *r = &the_run;
  double      start = monotonic_seconds(), t;

  atexit(release);
  setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  parse_args(argc, argv, &r->opt);
  load_definition(r, r->opt.rubric, 0);
  load_definition(r, r->opt.policy, 1);
  if (r->opt.events) load_events(r);
  r->t_parse = monotonic_seconds() - start;
  triage_leads(r);
  if (fflush(stdout) != 0 || ferror(stdout)) csv_die("stdout", "write error");
  t = monotonic_seconds() - start;
  if (r->opt.stats)
    fprintf(stderr,
            "leadgate-triage: %lu leads, %lu events, parse %.3f s, scoring %.3f s, "
            "total %.3f s, %.0f leads/s\n",
            r->leads, (unsigned long)r->events.n_ev, r->t_parse, r->t_score, t,
            t > 0 ? (double)r->leads / t : 0.0);
  if (r->skipped)
    fprintf(stderr, "leadgate-triage: skipped %lu bad row%s\n", r->skipped,
            r->skipped == 1 ? "" : "s");
  return r->skipped ? EXIT_SKIPPED : 0; /* release() runs at exit */
}
