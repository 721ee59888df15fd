/*
 * triage.c - leadgate-triage: scores and qualifies a CSV of leads.
 *
 *   leadgate-triage --rubric FILE --policy FILE [--events FILE]
 *                   [--assignments FILE] [--now TIME] [--format text|csv]
 *                   [--explain] [--stats] [--keep-going] [--strict] LEADS.csv
 *   leadgate-triage ... --compare-rubric FILE | --compare-policy FILE
 *                   [--reps N --days D [--capacity C] [--dimension DIM]] LEADS.csv
 *
 * The second form (what-if) decides every lead under the current and the
 * draft definitions and prints a comparison (whatif.c) instead of rows.
 *
 * The inputs, their formats, the output and the exit statuses are in
 * help_text below (`--help` prints it).  In short: LEADS.csv has an `id`
 * column and one column per attribute; only the columns the rubric or
 * policy read are loaded, typed by the header (`zip:text`) or by what the
 * definitions compare them with, never by guessing from a cell.
 *
 * The events file is indexed by lead id in a hash table; leads are then
 * streamed a row at a time, so memory is one lead plus the events index:
 * 8 bytes an event (up to 20 while it is built) plus the id and about 32
 * bytes a distinct lead id, plus about 32 bytes a lead id seen (to find
 * duplicates).  examples/bench_triage.sh times a run on 100,000 generated
 * leads.
 *
 * Uses only <leadgate.h>, cli.h, csv.h, data.h, whatif.h and the C library (plus POSIX
 * clock_gettime for --stats and isatty for the default format, when
 * available).
 */
#define _POSIX_C_SOURCE 200809L

#include <leadgate.h>

#include "cli.h"
#include "csv.h"
#include "data.h"
#include "whatif.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_line[] =
    "usage: leadgate-triage --rubric FILE --policy FILE [--events FILE] [--assignments FILE]\n"
    "                       [--now TIME] [--format text|csv] [--explain] [--stats]\n"
    "                       [--keep-going] [--strict] LEADS.csv\n"
    "       leadgate-triage ... --compare-rubric FILE | --compare-policy FILE\n"
    "                       [--reps N --days D [--capacity C] [--dimension DIM]] LEADS.csv\n";

static const char help_text[] =
    "usage: leadgate-triage --rubric FILE --policy FILE [--events FILE] [--assignments FILE]\n"
    "                       [--now TIME] [--format text|csv] [--explain] [--stats]\n"
    "                       [--keep-going] [--strict] LEADS.csv\n"
    "       leadgate-triage ... --compare-rubric FILE | --compare-policy FILE\n"
    "                       [--reps N --days D [--capacity C] [--dimension DIM]] LEADS.csv\n"
    "\n"
    "Scores every lead of LEADS.csv with the rubric, qualifies it with the policy\n"
    "and prints the decision.\n"
    "\n"
    "  --rubric FILE       the scoring model\n"
    "  --policy FILE       the qualification policy\n"
    "  --events FILE       CSV lead_id,type,at: what the leads did\n"
    "  --assignments FILE  CSV lead_id,owner,assigned_at: the current owner of a lead\n"
    "                      is the owner of its latest row (text: leads per rep in\n"
    "                      the summary; csv: an owner column)\n"
    "  --now TIME          the evaluation instant (default: the system clock)\n"
    "  --format text|csv   text for people, csv for programs; the default is text\n"
    "                      when stdout is a terminal, csv otherwise\n"
    "  --explain           csv: an explain column; text: every contribution\n"
    "  --stats             counts and timings on stderr\n"
    "  --keep-going        skip bad rows (each reported) instead of stopping\n"
    "  --strict            warnings about the inputs are errors\n"
    "  What-if: --compare-rubric FILE and/or --compare-policy FILE compare a\n"
    "  draft with the current definitions on the same leads instead of rows;\n"
    "  --reps N --days D: MQLs per rep per month; --capacity C (leads a rep can\n"
    "  follow up a month): share of capacity and lg_calibrate's threshold on\n"
    "  --dimension fit (default), engagement or total.  README \"What-if\".\n"
    "  FILE (and LEADS.csv) may be - for standard input, one of them at most.\n"
    "\n"
    "Input columns:\n"
    "  LEADS.csv: `id` (required, unique) and one column per attribute, headed by\n"
    "  its name ([a-z][a-z0-9_]{0,63}), optionally typed: `zip:text`,\n"
    "  `employees:int`, `active:bool`.  Only the columns the rubric or policy\n"
    "  read are loaded; the others (notes, ...) are not looked at, whatever\n"
    "  their header (a misspelt name they read, like Need, is an error).  An\n"
    "  untyped column takes the type the rubric and policy compare it with,\n"
    "  else text.  events: lead_id,type,at; assignments: lead_id,owner,\n"
    "  assigned_at; columns in any order, extra columns ignored.\n"
    "\n"
    "Formats: RFC 4180 CSV (quoted fields may span lines; a UTF-8 BOM is\n"
    "skipped).  Spaces and tabs around an unquoted cell are trimmed; an empty\n"
    "cell is a missing attribute.  int: [+-]digits within int64 (`+2` and ` 2`\n"
    "are 2; `2.5`, `1e1`, `0x10`, `1,000` are errors); bool: true or false in\n"
    "any case; text: any UTF-8 up to 1024 bytes.  Times: epoch seconds or ISO\n"
    "8601 with a zone (2026-11-18T09:30:00Z, +01:00; fractional seconds are\n"
    "truncated), years 0001..9999.  A cell that does not fit its column's type\n"
    "is an error at FILE:LINE:COLUMN.\n"
    "\n"
    "Warnings (errors with --strict): an attribute the rubric or policy read\n"
    "that no column provides, an event type they read that the events file\n"
    "never holds, an empty rubric, a policy without a qualify rule.  Events\n"
    "for lead ids not in LEADS.csv are counted and reported; a duplicate\n"
    "lead id is an error (skipped with --keep-going).\n"
    "\n"
    "Output (csv): id,fit,engagement,total,knocked_out,grade,verdict,reason\n"
    "[,explain][,owner]; points with three decimals; explain lists\n"
    "criterion=points, knockout:NAME for a matched knockout, next=ATTRIBUTE.\n"
    "\n"
    "Exit status: 0 success; 1 rows were skipped (--keep-going); 2 bad usage\n"
    "or bad input (FILE:LINE:COLUMN: message), or a warning with --strict.\n";

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
#  define PREFETCH(p) __builtin_prefetch(p)
#else
#  define PREFETCH(p) ((void)(p))
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
  uint32_t *off; /* entry of key i is arena + off[i] */
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

static int name_valid(const char *s) { return lg_name_check(s, NULL) == LG_OK; }

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
static int event_index_add(event_index *x, const char *id, size_t len, uint32_t h, uint32_t type,
                           lg_time at) {
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
    strmap_prefetch_entry(&x->ids,
                          x->pipe[(x->pipe_head + x->pipe_n - 1 - PIPE / 2) & (PIPE - 1)].h);
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
  const char  *rubric, *policy, *events, *assignments, *leads;
  lg_time      now;
  int          text; /* --format text */
  int          explain, stats, keep_going, strict;
  const char  *compare_rubric, *compare_policy; /* what-if drafts */
  long         reps, days, capacity;            /* 0, 0, -1 when not given */
  lg_dimension dimension;
} options;

/* Counts for the text summary. */
typedef struct grade_count {
  char          grade[16];
  unsigned long n;
} grade_count;

typedef struct owners {
  strmap         reps;     /* owner names */
  strmap         leads;    /* lead ids of the assignments file */
  uint32_t      *owner_of; /* per lead key: owner index of its latest row */
  lg_time       *at_of;    /* per lead key: that row's assigned_at */
  size_t         cap;
  unsigned long *total, *mql; /* per owner */
} owners;

/* Everything the run owns lives here, so that release() can free it all on
 * any exit (error exits included: it is registered with atexit). */
typedef struct run {
  options          opt;
  cli_csv          csv;  /* the leads file */
  cli_csv          aux;  /* the events or assignments file being read */
  data_columns     cols; /* the leads header */
  lg_lead         *lead; /* the lead of the current row */
  lg_rubric       *rubric;
  lg_policy       *policy;
  lg_rubric       *draft_rubric; /* what-if: the drafts, NULL when not given */
  lg_policy       *draft_policy;
  whatif           wi;
  data_inputs      in;         /* what the definitions read */
  char            *qualify;    /* the policy's qualify rule, or NULL */
  lg_points        fit_needed; /* its `fit >= N` conjunct's N, or -1 */
  event_index      events;
  strmap           seen; /* lead ids read so far; value 1: line */
  owners           own;
  unsigned long    skipped, leads, duplicates;
  unsigned long    verdicts[3];
  grade_count     *grades;
  size_t           n_grades, cap_grades;
  unsigned long    unassigned;
  lg_contribution *items;
  size_t           cap_items, n_items;
  char            *ex; /* the explain cell */
  size_t           ex_len, ex_cap;
  char            *line; /* the output row, written with one fwrite */
  size_t           line_len, line_cap;
  double           t_parse, t_score;
} run;

static run the_run;

static void release(void) {
  run *r = &the_run;
  cli_csv_close(&r->csv);
  cli_csv_close(&r->aux);
  data_columns_free(&r->cols);
  lg_lead_free(r->lead);
  event_index_free(&r->events);
  strmap_free(&r->seen);
  strmap_free(&r->own.reps);
  strmap_free(&r->own.leads);
  free(r->own.owner_of);
  free(r->own.at_of);
  free(r->own.total);
  free(r->own.mql);
  free(r->grades);
  data_inputs_free(&r->in);
  free(r->qualify);
  free(r->items);
  free(r->ex);
  free(r->line);
  lg_policy_free(r->policy);
  lg_rubric_free(r->rubric);
  lg_policy_free(r->draft_policy);
  lg_rubric_free(r->draft_rubric);
  whatif_free(&r->wi);
  memset(r, 0, sizeof *r);
}

/* A whole number for an option, at least `min`. */
static long count_option(const char *name, const char *s, long min) {
  char *end;
  long  v;
  if (!s) return 0;
  v = strtol(s, &end, 10);
  if (end == s || *end || v < min || v > 1000000000L)
    cli_usage_error("%s: '%s' is not a whole number from %ld to 1000000000", name, s, min);
  return v;
}

static void parse_args(int argc, char **argv, options *o) {
  const char      *now = NULL, *format = NULL, *reps = NULL, *days = NULL, *capacity = NULL;
  const char      *dimension = NULL;
  const char      *files[1];
  size_t           n_files;
  char             why[160];
  const cli_option opts[] = { { "--rubric", &o->rubric, NULL },
                              { "--policy", &o->policy, NULL },
                              { "--events", &o->events, NULL },
                              { "--assignments", &o->assignments, NULL },
                              { "--now", &now, NULL },
                              { "--format", &format, NULL },
                              { "--explain", NULL, &o->explain },
                              { "--stats", NULL, &o->stats },
                              { "--keep-going", NULL, &o->keep_going },
                              { "--strict", NULL, &o->strict },
                              { "--compare-rubric", &o->compare_rubric, NULL },
                              { "--compare-policy", &o->compare_policy, NULL },
                              { "--reps", &reps, NULL },
                              { "--days", &days, NULL },
                              { "--capacity", &capacity, NULL },
                              { "--dimension", &dimension, NULL } };
  memset(o, 0, sizeof *o);
  cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], help_text, files, 1, &n_files);
  if (!o->rubric) cli_usage_error("--rubric is required");
  if (!o->policy) cli_usage_error("--policy is required");
  if (!n_files) cli_usage_error("no LEADS.csv given");
  o->leads = files[0];
  if (now && !cli_parse_time(now, &o->now, why, sizeof why)) cli_usage_error("--now: %s", why);
  if (!now) o->now = wall_clock_now();
  if (!format)
    o->text = isatty(STDOUT_FILENO);
  else if (strcmp(format, "text") == 0)
    o->text = 1;
  else if (strcmp(format, "csv") != 0)
    cli_usage_error("--format: '%s' is neither text nor csv", format);
  o->reps = count_option("--reps", reps, 1);
  o->days = count_option("--days", days, 1);
  o->capacity = capacity ? count_option("--capacity", capacity, 0) : -1;
  o->dimension = LG_DIM_FIT;
  if (!o->compare_rubric && !o->compare_policy) {
    if (reps || days || capacity || dimension)
      cli_usage_error("--reps, --days, --capacity and --dimension go with --compare-rubric or "
                      "--compare-policy");
    return;
  }
  if (o->explain) cli_usage_error("--explain does not go with --compare-rubric or --compare-policy");
  if (!reps != !days) cli_usage_error("--reps and --days go together");
  if (capacity && !reps) cli_usage_error("--capacity needs --reps and --days");
  if (dimension && !capacity) cli_usage_error("--dimension needs --capacity");
  if (!dimension || strcmp(dimension, "fit") == 0) o->dimension = LG_DIM_FIT;
  else if (strcmp(dimension, "engagement") == 0) o->dimension = LG_DIM_ENGAGEMENT;
  else if (strcmp(dimension, "total") == 0) o->dimension = LG_DIM_TOTAL;
  else cli_usage_error("--dimension: '%s' is not fit, engagement or total", dimension);
}

/* ---- what-if: the drafts' inputs --------------------------------------------------
 * Added to r->in after the current ones (bits 4 and 8 in `by`), so that
 * the columns they read are loaded and typed.  A draft that compares an
 * attribute with another type than the current definitions do, or reads
 * one that no column provides and the current definitions do not read,
 * is for other data: an error. */

static void add_draft_input(run *r, const char *path, const char *name, int kind, int type,
                            int by) {
  size_t i;
  for (i = 0; i < r->in.n; i++) {
    data_input *in = &r->in.v[i];
    if (in->kind != kind || strcmp(in->name, name) != 0) continue;
    if (kind == LG_INPUT_ATTRIBUTE && (in->by & 3) && type != LG_VALUE_NONE &&
        in->type > LG_VALUE_NONE && in->type != type)
      cli_die(path,
              "compares attribute '%s' with %s values where the current definitions use %s: "
              "it is a draft for other data",
              name, type == LG_VALUE_INT ? "int" : type == LG_VALUE_BOOL ? "bool" : "text",
              in->type == LG_VALUE_INT ? "int" : in->type == LG_VALUE_BOOL ? "bool" : "text");
    in->by |= by;
    if (in->type == LG_VALUE_NONE) in->type = type;
    else if (type != LG_VALUE_NONE && type != in->type) in->type = -1;
    return;
  }
  r->in.v[r->in.n].name = name;
  r->in.v[r->in.n].kind = kind;
  r->in.v[r->in.n].type = type;
  r->in.v[r->in.n++].by = by;
}

static void collect_draft_inputs(run *r) {
  const lg_rubric *dr = r->draft_rubric;
  const lg_policy *dp = r->draft_policy;
  size_t           nr = dr ? lg_rubric_input_count(dr) : 0, np = dp ? lg_policy_input_count(dp) : 0;
  size_t           k;
  data_input      *grown;
  const char      *name;
  lg_input_kind    kind;
  lg_value_type    type;
  if (!(grown = realloc(r->in.v, (r->in.n + nr + np + 1) * sizeof *grown)))
    cli_die(cli_name(), "out of memory");
  r->in.v = grown;
  for (k = 0; k < nr + np; k++)
    if ((k < nr ? lg_rubric_input_at(dr, k, &name, &kind, &type)
                : lg_policy_input_at(dp, k - nr, &name, &kind, &type)) == LG_OK)
      add_draft_input(r, k < nr ? r->opt.compare_rubric : r->opt.compare_policy, name,
                      (int)kind, (int)type, k < nr ? 4 : 8);
}

/* After the header is read: an attribute only a draft reads must be there. */
static void check_draft_columns(run *r) {
  size_t i, j;
  for (i = 0; i < r->in.n; i++) {
    const data_input *in = &r->in.v[i];
    if (in->kind != LG_INPUT_ATTRIBUTE || (in->by & 3)) continue;
    for (j = 0; j < r->cols.n; j++)
      if ((int)j != r->cols.id && strcmp(r->cols.c[j].name, in->name) == 0) break;
    if (j == r->cols.n)
      cli_die(in->by & 4 ? r->opt.compare_rubric : r->opt.compare_policy,
              "reads attribute '%s', which neither the leads file %s nor the current "
              "definitions have: it is a draft for other data",
              in->name, r->opt.leads);
  }
}

/* Reports a bad row of `file`; fatal unless --keep-going. */
static void bad_row(run *r, const char *file, unsigned long line, unsigned long col,
                    const char *why) {
  cli_error_at(file, line, col, "%s", why);
  if (!r->opt.keep_going) exit(CLI_EXIT_INPUT);
  r->skipped++;
}

static void strict_check(const run *r) {
  if (r->in.n_strict) {
    cli_note("%lu input problem%s (--strict)", r->in.n_strict, r->in.n_strict == 1 ? "" : "s");
    exit(CLI_EXIT_INPUT);
  }
}

static void check_definitions(run *r) {
  if (lg_rubric_input_count(r->rubric) == 0)
    data_input_warning(&r->in, "%s: the rubric has no criteria: every lead scores 0",
                       r->opt.rubric);
  r->qualify = data_qualify_rule(r->policy, &r->fit_needed);
  if (!r->qualify)
    data_input_warning(&r->in, "%s: the policy has no qualify rule: no lead qualifies",
                       r->opt.policy);
}

/* ---- events -------------------------------------------------------------------- */

static void load_events(run *r) {
  const char              *path = r->opt.events;
  cli_csv                 *c = &r->aux;
  int                      st, col[3], col_id, col_type, col_at;
  char                     why[192], tw[160];
  static const char *const names[3] = { "lead_id", "type", "at" };

  cli_csv_open(c, path, "lead_id,type,at");
  cli_csv_columns(c, names, 3, col);
  col_id = col[0];
  col_type = col[1];
  col_at = col[2];
  while ((st = csv_next(&c->r)) != CSV_EOF) {
    const csv_reader *cr = &c->r;
    const char       *id, *type, *at;
    lg_time           t;
    size_t            id_len, type_len;
    uint32_t          id_h, type_h, ty;
    const char       *e;
    if (st == CSV_FATAL) cli_die(path, "%s", cr->error);
    if (st == CSV_BAD) {
      bad_row(r, path, cr->error_line, cr->error_col, cr->error);
      continue;
    }
    id = cr->fields[col_id];
    type = cr->fields[col_type];
    at = cr->fields[col_at];
    id_len = cr->lens[col_id];
    if (id_len == 0 || id_len > LG_MAX_ID_BYTES) {
      bad_row(r, path, cr->pos[col_id].line, cr->pos[col_id].col,
              id_len ? "lead_id longer than 256 bytes" : "empty lead_id");
      continue;
    }
    id_h = hash_key(id, id_len);
    /* a type already in the map was checked when it was added */
    type_len = cr->lens[col_type];
    type_h = hash_key(type, type_len);
    e = strmap_find_h(&r->events.types, type, type_len, type_h);
    ty = e ? entry_value(e, 0) : NO_INDEX;
    if (ty == NO_INDEX && !name_valid(type)) {
      snprintf(why, sizeof why, "event type '%.64s' is not a name ([a-z][a-z0-9_]{0,63})", type);
      bad_row(r, path, cr->pos[col_type].line, cr->pos[col_type].col, why);
      continue;
    }
    if (!cli_parse_time(at, &t, tw, sizeof tw)) {
      snprintf(why, sizeof why, "at %s", tw);
      bad_row(r, path, cr->pos[col_at].line, cr->pos[col_at].col, why);
      continue;
    }
    if (ty == NO_INDEX) {
      if (r->events.types.n >= MAX_TYPES) cli_die(path, "more than 2^25 distinct event types");
      if (strmap_add(&r->events.types, type, type_len, type_h, &ty) != 0)
        cli_die(path, "out of memory");
    }
    if (event_index_add(&r->events, id, id_len, id_h, ty, t) != 0) cli_die(path, "out of memory");
  }
  cli_csv_close(c);
  if (event_index_group(&r->events) != 0) cli_die(path, "out of memory");
}

/* Warns about each event type the definitions read that no event has. */
static void check_event_types(run *r) {
  size_t i;
  for (i = 0; i < r->in.n; i++) {
    const data_input *in = &r->in.v[i];
    if (in->kind != LG_INPUT_EVENT) continue;
    if (!r->opt.events)
      data_input_warning(&r->in, "%s event '%s', but no --events file is given: it never occurs",
                         data_readers(in->by), in->name);
    else if (!strmap_find_h(&r->events.types, in->name, strlen(in->name),
                            hash_key(in->name, strlen(in->name))))
      data_input_warning(&r->in, "%s event '%s', which no row of the events file has",
                         data_readers(in->by), in->name);
  }
}

/* ---- assignments (the current owner of each lead) ---------------------------- */

static void load_assignments(run *r) {
  const char              *path = r->opt.assignments;
  cli_csv                 *c = &r->aux;
  owners                  *o = &r->own;
  int                      st, col[3], col_id, col_owner, col_at;
  char                     why[160];
  static const char *const names[3] = { "lead_id", "owner", "assigned_at" };

  cli_csv_open(c, path, "lead_id,owner,assigned_at");
  cli_csv_columns(c, names, 3, col);
  col_id = col[0];
  col_owner = col[1];
  col_at = col[2];
  while ((st = csv_next(&c->r)) != CSV_EOF) {
    const csv_reader *cr = &c->r;
    uint32_t          k = 0, oi = 0, n_before = o->leads.n;
    lg_time           t;
    if (st != CSV_RECORD) cli_die_at(path, cr->error_line, cr->error_col, "%s", cr->error);
    if (!cr->lens[col_id] || !cr->lens[col_owner])
      cli_die_at(path, cr->record_line, 0, "empty %s", cr->lens[col_id] ? "owner" : "lead_id");
    if (!cli_parse_time(cr->fields[col_at], &t, why, sizeof why))
      cli_die_at(path, cr->pos[col_at].line, cr->pos[col_at].col, "assigned_at %s", why);
    if (strmap_intern(&o->reps, cr->fields[col_owner], cr->lens[col_owner],
                      hash_key(cr->fields[col_owner], cr->lens[col_owner]), &oi) != 0 ||
        strmap_intern(&o->leads, cr->fields[col_id], cr->lens[col_id],
                      hash_key(cr->fields[col_id], cr->lens[col_id]), &k) != 0)
      cli_die(path, "out of memory");
    if (k >= o->cap) {
      size_t    cap = o->cap ? o->cap * 2 : 256;
      uint32_t *ow = realloc(o->owner_of, cap * sizeof *ow);
      lg_time  *at;
      if (ow) o->owner_of = ow;
      at = realloc(o->at_of, cap * sizeof *at);
      if (!ow || !at) cli_die(path, "out of memory");
      o->at_of = at;
      o->cap = cap;
    }
    if (o->leads.n > n_before || t >= o->at_of[k]) {
      o->owner_of[k] = oi;
      o->at_of[k] = t;
    }
  }
  cli_csv_close(c);
  o->total = calloc(o->reps.n + 1, sizeof *o->total);
  o->mql = calloc(o->reps.n + 1, sizeof *o->mql);
  if (!o->total || !o->mql) cli_die(path, "out of memory");
}

/* The owner index of lead id, or NO_INDEX. */
static uint32_t owner_of(const run *r, const char *id, size_t len, uint32_t h) {
  const char *e = strmap_find_h(&r->own.leads, id, len, h);
  return e ? r->own.owner_of[entry_value(e, 0)] : NO_INDEX;
}

/* ---- the explanation ---------------------------------------------------------------- */

static void ex_put(run *r, const char *s) {
  size_t n = strlen(s);
  if (r->ex_cap - r->ex_len < n + 1) {
    size_t cap = r->ex_cap ? r->ex_cap : 256;
    char  *p;
    while (cap - r->ex_len < n + 1) cap *= 2;
    if (!(p = realloc(r->ex, cap))) cli_die(r->opt.leads, "out of memory");
    r->ex = p;
    r->ex_cap = cap;
  }
  memcpy(r->ex + r->ex_len, s, n + 1);
  r->ex_len += n;
}

/* Every criterion's contribution into r->items[0 .. r->n_items). */
static void explain(run *r, const lg_lead *lead) {
  lg_status st;
  while ((st = lg_explain(r->rubric, lead, r->opt.now, r->items, r->cap_items, &r->n_items)) ==
         LG_ERR_BUFFER) {
    free(r->items);
    if (!(r->items = malloc(r->n_items * sizeof *r->items))) cli_die(r->opt.leads, "out of memory");
    r->cap_items = r->n_items;
  }
  if (st != LG_OK) cli_die(r->opt.leads, "%s", lg_status_message(st));
}

/* The csv explain cell: criterion=points for every fit criterion and every
 * engagement criterion that gave points, knockout:NAME for a matched
 * knockout, in rubric order, then next=ATTRIBUTE. */
static void build_explain(run *r, const lg_lead *lead) {
  size_t      i;
  const char *next;
  lg_points   gain;
  char        num[32];

  explain(r, lead);
  r->ex_len = 0;
  if (r->ex) r->ex[0] = '\0';
  for (i = 0; i < r->n_items; i++) {
    const lg_contribution *it = &r->items[i];
    if (it->kind != LG_KIND_FIT && it->points == 0) continue;
    if (r->ex_len) ex_put(r, ";");
    if (it->kind == LG_KIND_KNOCKOUT) {
      ex_put(r, "knockout:");
      ex_put(r, it->criterion);
      continue;
    }
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

/* ---- csv output: a row is built in r->line, then written with one fwrite ---- */

static void line_reserve(run *r, size_t n) {
  size_t cap;
  char  *p;
  if (r->line_cap - r->line_len >= n) return;
  cap = r->line_cap ? r->line_cap : 512;
  while (cap - r->line_len < n) cap *= 2;
  if (!(p = realloc(r->line, cap))) cli_die(r->opt.leads, "out of memory");
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
    if (c == '"')
      quotes++;
    else if (c == ',' || c == '\r' || c == '\n')
      special = 1;
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

static const char *verdict_name(int32_t v) {
  const char *name = lg_verdict_name((lg_verdict)v);
  return name ? name : "?";
}

static const char *owner_name(const run *r, uint32_t oi) {
  return oi == NO_INDEX ? "" : strmap_key(&r->own.reps, oi);
}

static void write_row(run *r, const lg_lead *lead, const lg_decision *d, uint32_t owner) {
  const char *verdict = verdict_name(d->verdict);
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
  if (r->opt.assignments) {
    line_putc(r, ',');
    line_put_field(r, owner_name(r, owner));
  }
  line_putc(r, '\n');
  fwrite(r->line, 1, r->line_len, stdout);
}

/* ---- text output: for people ---------------------------------------------------- */

/* Points without trailing zeros: 8000 -> "8", 6643 -> "6.643", -2500 -> "-2.5". */
static void text_points(lg_points v, char *buf) {
  size_t n;
  csv_format_points(v, buf);
  n = strlen(buf);
  while (buf[n - 1] == '0') buf[--n] = '\0';
  if (buf[n - 1] == '.') buf[n - 1] = '\0';
}

/* Sorts contribution pointers by |points|, largest first, then rubric order. */
static int by_size(const void *a, const void *b) {
  const lg_contribution *x = *(const lg_contribution *const *)a;
  const lg_contribution *y = *(const lg_contribution *const *)b;
  lg_points              ax = x->points < 0 ? -x->points : x->points;
  lg_points              ay = y->points < 0 ? -y->points : y->points;
  if (ax != ay) return ax > ay ? -1 : 1;
  return x < y ? -1 : x > y;
}

static void write_text(run *r, const lg_lead *lead, const lg_decision *d, uint32_t owner) {
  const lg_contribution *top[3];
  size_t                 i, n_top = 0, shown = 0;
  const char            *next;
  lg_points              gain;
  char                   a[32], b[32], c[32];
  int                    knocked = 0;

  explain(r, lead);
  printf("%s  %s", lg_lead_id(lead), verdict_name(d->verdict));
  if (d->grade[0])
    printf(", grade %s", d->grade);
  else
    printf(", no grade");
  if (owner != NO_INDEX) printf(", owner %s", owner_name(r, owner));
  putchar('\n');
  text_points(d->score.fit, a);
  text_points(lg_rubric_max_fit(r->rubric), b);
  printf("  fit %s of %s", a, b);
  if (r->fit_needed >= 0) {
    text_points(r->fit_needed, c);
    printf(", needs %s", c);
  }
  text_points(d->score.engagement, a);
  text_points(d->score.total, b);
  printf("; engagement %s; total %s\n", a, b);
  if (r->fit_needed < 0)
    printf("  qualifies when %s\n", r->qualify ? r->qualify : "never (no qualify rule)");
  for (i = 0; i < r->n_items; i++)
    if (r->items[i].kind == LG_KIND_KNOCKOUT && r->items[i].points) {
      printf(knocked++ ? ", %s" : "  knocked out: %s", r->items[i].criterion);
    }
  if (knocked) putchar('\n');
  printf("  reason: %s\n", d->reason);
  if (r->opt.explain) {
    printf("  contributions:");
    for (i = 0; i < r->n_items; i++) {
      const lg_contribution *it = &r->items[i];
      if (it->kind == LG_KIND_KNOCKOUT) continue;
      text_points(it->points, a);
      printf("%s %s (%s) %s%s", shown++ ? "," : "", it->criterion, lg_kind_name((lg_kind)it->kind),
             it->points > 0 ? "+" : "", a);
    }
    putchar('\n');
    printf("  recommended stage: %s\n", lg_stage_name((lg_stage)d->stage));
  } else {
    /* the three largest, by insertion (ties keep rubric order) */
    for (i = 0; i < r->n_items; i++) {
      const lg_contribution *it = &r->items[i];
      size_t                 j;
      if (it->kind == LG_KIND_KNOCKOUT || it->points == 0) continue;
      if (n_top < 3)
        n_top++;
      else if (by_size(&it, &top[2]) > 0)
        continue;
      for (j = n_top - 1; j > 0 && by_size(&it, &top[j - 1]) < 0; j--) top[j] = top[j - 1];
      top[j] = it;
    }
    if (n_top) {
      printf("  top:");
      for (i = 0; i < n_top; i++) {
        text_points(top[i]->points, a);
        printf("%s %s %s%s", i ? "," : "", top[i]->criterion, top[i]->points > 0 ? "+" : "", a);
      }
      putchar('\n');
    }
  }
  if (lg_next_question(r->rubric, lead, &next, &gain) == LG_OK) {
    text_points(gain, a);
    printf("  ask next: %s (up to %s fit points)\n", next, a);
  }
  putchar('\n');
}

static int by_grade(const void *a, const void *b) {
  return strcmp(((const grade_count *)a)->grade, ((const grade_count *)b)->grade);
}

/* Counts the decision for the summary. */
static void tally(run *r, const lg_decision *d, uint32_t owner) {
  size_t i;
  if (d->verdict >= 0 && d->verdict <= 2) r->verdicts[d->verdict]++;
  for (i = 0; i < r->n_grades && strcmp(r->grades[i].grade, d->grade) != 0; i++) {
  }
  if (i == r->n_grades) {
    if (r->n_grades == r->cap_grades) {
      size_t       cap = r->cap_grades ? r->cap_grades * 2 : 8;
      grade_count *g = realloc(r->grades, cap * sizeof *g);
      if (!g) cli_die(cli_name(), "out of memory");
      r->grades = g;
      r->cap_grades = cap;
    }
    memcpy(r->grades[i].grade, d->grade, sizeof r->grades[i].grade);
    r->grades[r->n_grades++].n = 0;
  }
  r->grades[i].n++;
  if (!r->opt.assignments) return;
  if (owner == NO_INDEX) {
    r->unassigned++;
    return;
  }
  r->own.total[owner]++;
  if (d->verdict == LG_VERDICT_MQL) r->own.mql[owner]++;
}

static void write_summary(run *r) {
  size_t i;
  printf("%lu lead%s: %lu mql, %lu nurture, %lu disqualify\n", r->leads, r->leads == 1 ? "" : "s",
         r->verdicts[LG_VERDICT_MQL], r->verdicts[LG_VERDICT_NURTURE],
         r->verdicts[LG_VERDICT_DISQUALIFY]);
  qsort(r->grades, r->n_grades, sizeof *r->grades, by_grade);
  if (r->n_grades) {
    printf("grades:");
    for (i = 0; i < r->n_grades; i++)
      printf("%s %s %lu", i ? "," : "", r->grades[i].grade[0] ? r->grades[i].grade : "(none)",
             r->grades[i].n);
    putchar('\n');
  }
  if (!r->opt.assignments) return;
  printf("per rep:");
  for (i = 0; i < r->own.reps.n; i++)
    if (r->own.total[i])
      printf(" %s %lu (%lu mql),", strmap_key(&r->own.reps, (uint32_t)i), r->own.total[i],
             r->own.mql[i]);
  printf(" unassigned %lu\n", r->unassigned);
}

/* ---- leads ------------------------------------------------------------------------- */

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

static void drop_lead(run *r) {
  lg_lead_free(r->lead);
  r->lead = NULL;
}

/* A bad row: where and why. */
typedef struct row_error {
  unsigned long line, col;
  char          why[256];
} row_error;

/* Builds the lead of the current row, decides and prints it.  0 on
 * success; otherwise -1 with why the row is bad in *err. */
static int triage_row(run *r, const csv_reader *c, const data_columns *cols, row_error *err) {
  const char     *id;
  lg_lead        *lead;
  lg_decision     d;
  lg_status       st;
  size_t          k, id_len, mid = cols->n_load / 2;
  uint32_t        id_h, key, owner = NO_INDEX;
  const uint64_t *e = NULL, *end = NULL;
  int             fetched = 0;
  const char     *seen;

  id = c->fields[cols->id];
  err->line = c->pos[cols->id].line;
  err->col = c->pos[cols->id].col;
  /* The lead's events are added after its attributes; fetch them from
   * the index meanwhile, in steps: its slot now, the entry once the lead
   * is made, the events halfway through the attributes. */
  id_len = c->lens[cols->id];
  id_h = hash_key(id, id_len);
  if (r->events.grouped) strmap_prefetch_slot(&r->events.ids, id_h);
  if ((st = lg_lead_create(id, &r->lead)) != LG_OK) {
    if (st == LG_ERR_NOMEM) cli_die(r->opt.leads, "%s", lg_status_message(st));
    snprintf(err->why, sizeof err->why, "%s",
             id_len == 0                ? "empty id"
             : id_len > LG_MAX_ID_BYTES ? "id longer than 256 bytes"
                                        : "id is not valid UTF-8");
    return -1;
  }
  if ((seen = strmap_find_h(&r->seen, id, id_len, id_h)) != NULL) {
    snprintf(err->why, sizeof err->why, "duplicate id '%.64s' (first on line %lu)", id,
             (unsigned long)entry_value(seen, 1));
    r->duplicates++;
    drop_lead(r);
    return -1;
  }
  if (strmap_add(&r->seen, id, id_len, id_h, &key) != 0) cli_die(r->opt.leads, "out of memory");
  entry_set(r->seen.arena + r->seen.off[key], 1, (uint32_t)c->record_line);
  if (r->events.grouped) strmap_prefetch_entry(&r->events.ids, id_h);
  lead = r->lead;
  for (k = 0; k < cols->n_load; k++) {
    size_t             i = cols->load[k];
    const data_column *col = &cols->c[i];
    int                rc;
    if (k == mid && r->events.grouped) {
      find_events(&r->events, id, id_len, id_h, &e, &end);
      fetched = 1;
    }
    rc = data_set_cell(lead, col, c->fields[i], err->why, sizeof err->why);
    if (rc == LG_OK) continue;
    if (rc == LG_ERR_NOMEM) cli_die(r->opt.leads, "%s", lg_status_message(LG_ERR_NOMEM));
    err->line = c->pos[i].line;
    err->col = c->pos[i].col;
    if (rc != -1) {
      lg_error te;
      lg_text_check(c->fields[i], c->lens[i], LG_MAX_TEXT_BYTES, &te);
      snprintf(err->why, sizeof err->why, "column '%s': %s", col->name,
               rc == LG_ERR_LIMIT ? "text longer than 1024 bytes" : te.message);
      /* the offending byte, when the cell is unquoted and on one line */
      if (rc != LG_ERR_LIMIT && te.column && !c->pos[i].quoted) err->col += te.column - 1;
    }
    drop_lead(r);
    return -1;
  }
  if (!fetched && r->events.grouped) find_events(&r->events, id, id_len, id_h, &e, &end);
  if (e) {
    for (; e < end; e++) {
      st = lg_lead_add_event(lead, strmap_key(&r->events.types, ev_type(*e)), ev_at(*e));
      if (st == LG_OK) continue;
      if (st == LG_ERR_NOMEM) cli_die(r->opt.leads, "%s", lg_status_message(st));
      snprintf(err->why, sizeof err->why, "lead has more than %d events in %s (%s)", LG_MAX_EVENTS,
               r->opt.events, lg_status_name(st));
      drop_lead(r);
      return -1;
    }
  }
  st = lg_decide(r->rubric, r->policy, lead, r->opt.now, &d);
  if (st != LG_OK) cli_die(r->opt.leads, "%s", lg_status_message(st));
  if (r->opt.assignments) owner = owner_of(r, id, id_len, id_h);
  if (r->draft_rubric || r->draft_policy) {
    lg_decision d2;
    st = lg_decide(r->draft_rubric ? r->draft_rubric : r->rubric,
                   r->draft_policy ? r->draft_policy : r->policy, lead, r->opt.now, &d2);
    if (st != LG_OK) cli_die(r->opt.leads, "%s", lg_status_message(st));
    whatif_add(&r->wi, lead, &d, &d2);
    drop_lead(r);
    return 0;
  }
  if (r->opt.text) {
    write_text(r, lead, &d, owner);
  } else {
    if (r->opt.explain) build_explain(r, lead);
    write_row(r, lead, &d, owner);
  }
  tally(r, &d, owner);
  drop_lead(r);
  return 0;
}

static void triage_leads(run *r) {
  const char *path = r->opt.leads;
  csv_reader *c = &r->csv.r;
  int         st;
  row_error   err;
  double      t0 = monotonic_seconds(), t1;

  if (!r->opt.text && !r->draft_rubric && !r->draft_policy) {
    fputs("id,fit,engagement,total,knocked_out,grade,verdict,reason", stdout);
    if (r->opt.explain) fputs(",explain", stdout);
    if (r->opt.assignments) fputs(",owner", stdout);
    fputc('\n', stdout);
  }
  for (;;) {
    st = csv_next(c);
    if (r->opt.stats) {
      t1 = monotonic_seconds();
      r->t_parse += t1 - t0;
      t0 = t1;
    }
    if (st == CSV_EOF) break;
    if (st == CSV_FATAL) cli_die(path, "%s", c->error);
    if (st == CSV_BAD) {
      bad_row(r, path, c->error_line, c->error_col, c->error);
      continue;
    }
    if (triage_row(r, c, &r->cols, &err) == 0)
      r->leads++;
    else
      bad_row(r, path, err.line, err.col, err.why);
    if (r->opt.stats) {
      t1 = monotonic_seconds();
      r->t_score += t1 - t0;
      t0 = t1;
    }
  }
  cli_csv_close(&r->csv);
}

/* The events of lead ids the leads file does not have (ids not seen):
 * *ids of them, *events in all, *first the first such id. */
static void unknown_events(const run *r, unsigned long *ids, unsigned long *events,
                           const char **first) {
  const strmap *m = &r->events.ids;
  uint32_t      i;
  *ids = *events = 0;
  *first = NULL;
  for (i = 0; i < m->n; i++) {
    const char *e = m->arena + m->off[i], *key = e + ENTRY_HEAD;
    size_t      len = strlen(key);
    uint32_t    n = entry_value(e, 1) - entry_value(e, 0);
    if (strmap_find_h(&r->seen, key, len, hash_key(key, len))) continue;
    if (!*first) *first = key;
    ++*ids;
    *events += n;
  }
}

int main(int argc, char **argv) {
  static char   out_buffer[1 << 20];
  run          *r = &the_run;
  double        start = monotonic_seconds(), t;
  unsigned long bad_ids = 0, bad_events = 0;
  const char   *first_bad = NULL;

  cli_init("leadgate-triage", usage_line);
  atexit(release);
  setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  parse_args(argc, argv, &r->opt);
  r->rubric = cli_load_rubric(r->opt.rubric);
  r->policy = cli_load_policy(r->opt.policy);
  if (r->opt.compare_rubric) r->draft_rubric = cli_load_rubric(r->opt.compare_rubric);
  if (r->opt.compare_policy) r->draft_policy = cli_load_policy(r->opt.compare_policy);
  r->in.strict = r->opt.strict;
  data_inputs_collect(&r->in, r->rubric, r->policy);
  if (r->draft_rubric || r->draft_policy) {
    collect_draft_inputs(r);
    r->wi.cur_name = r->opt.compare_rubric && r->opt.compare_policy
                       ? "the current rubric and policy"
                     : r->opt.compare_rubric ? r->opt.rubric : r->opt.policy;
    r->wi.draft_name = r->opt.compare_rubric && r->opt.compare_policy
                         ? "the draft rubric and policy"
                       : r->opt.compare_rubric ? r->opt.compare_rubric : r->opt.compare_policy;
    r->wi.cur_rubric = r->rubric;
    r->wi.draft_rubric = r->draft_rubric ? r->draft_rubric : r->rubric;
    r->wi.now = r->opt.now;
    r->wi.reps = r->opt.reps;
    r->wi.days = r->opt.days;
    r->wi.capacity = r->opt.capacity;
    r->wi.dimension = r->opt.dimension;
  }
  data_read_header(&r->in, &r->csv, r->opt.leads,
                   &r->cols); /* opens the leads file: its errors come first */
  if (r->draft_rubric || r->draft_policy) check_draft_columns(r);
  check_definitions(r);
  if (r->opt.events) load_events(r);
  check_event_types(r);
  if (r->opt.assignments) load_assignments(r);
  strict_check(r);
  r->t_parse = monotonic_seconds() - start;
  triage_leads(r);
  if (r->draft_rubric || r->draft_policy) whatif_report(&r->wi, !r->opt.text);
  else if (r->opt.text) write_summary(r);
  if (fflush(stdout) != 0 || ferror(stdout)) cli_die("stdout", "write error");
  t = monotonic_seconds() - start;
  if (r->opt.events) unknown_events(r, &bad_ids, &bad_events, &first_bad);
  if (bad_events)
    cli_warn("%lu event%s in %s for %lu lead id%s not in %s (the first: '%.64s')", bad_events,
             bad_events == 1 ? "" : "s", r->opt.events, bad_ids, bad_ids == 1 ? "" : "s",
             r->opt.leads, first_bad);
  if (r->opt.stats) {
    fprintf(stderr,
            "leadgate-triage: %lu leads, %lu events, parse %.3f s, scoring %.3f s, "
            "total %.3f s, %.0f leads/s\n",
            r->leads, (unsigned long)r->events.n_ev, r->t_parse, r->t_score, t,
            t > 0 ? (double)r->leads / t : 0.0);
    fprintf(stderr,
            "leadgate-triage: %lu duplicate ids, %lu events for %lu lead ids not in the leads "
            "file, %lu rows skipped\n",
            r->duplicates, bad_events, bad_ids, r->skipped);
  }
  if (r->skipped) cli_note("skipped %lu bad row%s", r->skipped, r->skipped == 1 ? "" : "s");
  return r->skipped ? CLI_EXIT_FINDINGS : CLI_EXIT_OK; /* release() runs at exit */
}
