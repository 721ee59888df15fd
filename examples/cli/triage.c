/*
 * triage.c - leadgate-triage: scores and qualifies a CSV of leads.
 *
 *   leadgate-triage --rubric FILE --policy FILE [--events FILE]
 *                   [--assignments FILE] [--now TIME] [--format text|csv]
 *                   [--explain] [--stats] [--keep-going] [--strict]
 *                   [--threads N] [--sorted] LEADS.csv
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
 * The events file is indexed by lead id (events.c, in parallel: see
 * events.h); leads are then streamed a block of rows at a time: one
 * thread reads a block (what must be sequential: bad records, id checks,
 * duplicates), the threads of the pool (pool.c) build, decide and format
 * the blocks into their own buffers, and the blocks are written in file
 * order with their messages, so the output is the same for every thread
 * count.  While the workers triage one round of blocks, the next round is
 * read.  Memory is two rounds of blocks plus the events index (events.h);
 * a lead id with events keeps the line it first appears on in the index,
 * so only the ids without events are held again (to find duplicates).
 *
 * --sorted (sorted.h): LEADS.csv and the events file are both sorted by
 * lead id, so no index is needed.  The events file is read twice: first
 * on this thread, checked row by row as events.c checks it (its messages
 * first, in file order, as in the default mode), its types collected and
 * its id order checked; then again while the leads are read: the thread
 * that reads a block of lead rows also reads, for each lead, the events
 * with its id (the ones before it, of ids no lead has, are counted as
 * unknown) into the block, and the pool builds, decides and formats the
 * blocks as above.  A lead id is a duplicate when it equals the last one,
 * an error when less.  Memory is then the two rounds of blocks with their
 * events, whatever the size of the files, plus the --assignments map
 * (held whole in both modes).  The output is the same bytes as the
 * default mode's on the same files.
 * examples/bench_triage.sh times runs on generated leads.
 *
 * Uses only <leadgate.h>, cli.h, csv.h, data.h, events.h, pool.h, sorted.h,
 * strmap.h, whatif.h and the C library (plus POSIX threads, clock_gettime
 * for --stats and isatty for the default format, when available).
 */
#define _POSIX_C_SOURCE 200809L

#include <leadgate.h>

#include "cli.h"
#include "csv.h"
#include "data.h"
#include "events.h"
#include "pool.h"
#include "sorted.h"
#include "strmap.h"
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
    "                       [--keep-going] [--strict] [--threads N] [--sorted] LEADS.csv\n"
    "       leadgate-triage ... --compare-rubric FILE | --compare-policy FILE\n"
    "                       [--reps N --days D [--capacity C] [--dimension DIM]] LEADS.csv\n";

static const char help_text[] =
    "usage: leadgate-triage --rubric FILE --policy FILE [--events FILE] [--assignments FILE]\n"
    "                       [--now TIME] [--format text|csv] [--explain] [--stats]\n"
    "                       [--keep-going] [--strict] [--threads N] [--sorted] LEADS.csv\n"
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
    "  --threads N         threads (default: online cores); same output for any N\n"
    "  --sorted            LEADS.csv and the --events file are both sorted by lead\n"
    "                      id, in byte order (LC_ALL=C sort's): they are merged as\n"
    "                      they are read instead of indexing the events, so memory\n"
    "                      does not grow with the files; same output.  An id less\n"
    "                      than the one before is an error; only the id order\n"
    "                      matters (a lead's events may be in any time order)\n"
    "  What-if: --compare-rubric FILE and/or --compare-policy FILE compare a\n"
    "  draft with the current definitions on the same leads instead of rows;\n"
    "  --reps N --days D: MQLs per rep per month; --capacity C (leads a rep can\n"
    "  follow up a month): share of capacity and lg_calibrate's threshold on\n"
    "  --dimension fit (default), engagement or total.  README \"What-if\".\n"
    "  FILE (and LEADS.csv) may be - for standard input, one of them at most.\n"
    "\n";
/* the rest (C99 compilers need not take a literal of more than 4095 bytes) */
static const char help_more[] =
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
    "Threads: the events file is parsed in parts, one a thread, and indexed by\n"
    "lead id partitions; LEADS.csv is streamed in blocks (read in order on one\n"
    "thread, built, decided and formatted by all), written in input order.\n"
    "Memory: the events index (about 8 bytes an event and each lead id).\n"
    "With --sorted: the events file is read twice (first checked on one thread,\n"
    "then read with the leads), so it must be a regular file (not standard\n"
    "input, a pipe or a FIFO), and memory is a few blocks of leads with their\n"
    "events, plus the --assignments map.\n"
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

/* ---- the run ----------------------------------------------------------------- */

typedef struct options {
  const char  *rubric, *policy, *events, *assignments, *leads;
  lg_time      now;
  int          text; /* --format text */
  int          explain, stats, keep_going, strict;
  int          sorted;                          /* --sorted: merge by lead id */
  unsigned     threads;                         /* --threads, default: online cores */
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

/* A growable output buffer. */
typedef struct obuf {
  char  *p;
  size_t len, cap;
  int    nomem; /* a growth failed: the contents are incomplete */
} obuf;

/* What each thread owns while it builds, decides and formats leads. */
typedef struct worker {
  lg_lead         *lead; /* reused from lead to lead */
  lg_contribution *items;
  size_t           cap_items, n_items;
  obuf             ex;    /* the explain cell */
  const char     **types; /* a lead's events for lg_lead_add_events */
  lg_time         *at;
  size_t           cap_ev;
} worker;

/* A row of the leads file in a block: a lead to build, or a bad row. */
enum { ROW_LEAD, ROW_BAD, ROW_FATAL };

typedef struct lead_row {
  int           kind;
  unsigned long line, col;  /* a bad row: where */
  size_t        msg;        /* its message: offset in the block's text */
  size_t        out_end;    /* the end of its output in the block's out */
  uint32_t      h;          /* the id's hash */
  size_t        ev, ev_end; /* --sorted: its events, the block's ev[ev .. ev_end) */
} lead_row;

/* Rows read in file order, then built, decided and formatted by one
 * thread into out; then written in order. */
typedef struct block {
  size_t         n, cap;
  lead_row      *row;
  char          *rec; /* per row: the id, then the loaded cells (NUL-terminated) */
  size_t         rec_len, rec_cap;
  size_t        *field; /* row i's field k is rec + field[i * nf + k] */
  uint32_t      *len;
  csv_field_pos *pos;
  obuf           text; /* messages */
  obuf           out;
  uint64_t      *ev; /* --sorted: the rows' events */
  size_t         n_ev, cap_ev;
} block;

/* Everything the run owns lives here, so that release() can free it all on
 * any exit (error exits included: it is registered with atexit). */
typedef struct run {
  options       opt;
  cli_csv       csv;  /* the leads file */
  cli_csv       aux;  /* the events or assignments file being read */
  data_columns  cols; /* the leads header */
  lg_rubric    *rubric;
  lg_policy    *policy;
  lg_rubric    *draft_rubric; /* what-if: the drafts, NULL when not given */
  lg_policy    *draft_policy;
  whatif        wi;
  data_inputs   in;         /* what the definitions read */
  char         *qualify;    /* the policy's qualify rule, or NULL */
  lg_points     fit_needed; /* its `fit >= N` conjunct's N, or -1 */
  events_index  events;
  strmap        seen;      /* lead ids read so far that have no events; value 1: line */
  sorted_events sorted;    /* --sorted: the events file, merged */
  sorted_last   last_lead; /* --sorted: the last good id of the leads file */
  owners        own;
  unsigned long skipped, leads, duplicates;
  unsigned long verdicts[3];
  char          verdict_text[3][16]; /* verdict_name of each verdict if shorter, zero-padded */
  size_t        verdict_len[3];      /* the length of each verdict_name */
  grade_count  *grades;
  size_t        n_grades, cap_grades;
  unsigned long unassigned;
  pool         *pool;
  worker       *workers; /* one per thread */
  size_t        n_workers;
  block        *blocks;          /* two rounds of BLOCKS_PER_THREAD blocks a thread */
  size_t        n_blocks, nf;    /* nf: fields kept per row (the id, then the loaded) */
  size_t       *keep;            /* their columns: keep[0 .. nf) */
  const data_column **loaded;    /* the loaded columns: loaded[k] is keep[k + 1]'s */
  int                 immediate; /* text or what-if: each row written as it is read */
  int                 leads_eof, read_nomem;
  double              t_parse, t_score;
} run;

static run the_run;

static void obuf_free(obuf *b) { free(b->p); }

static void release(void) {
  run   *r = &the_run;
  size_t i;
  pool_free(r->pool); /* first: no thread runs past here */
  cli_csv_close(&r->csv);
  cli_csv_close(&r->aux);
  data_columns_free(&r->cols);
  events_free(&r->events);
  strmap_free(&r->seen);
  sorted_free(&r->sorted);
  strmap_free(&r->own.reps);
  strmap_free(&r->own.leads);
  free(r->own.owner_of);
  free(r->own.at_of);
  free(r->own.total);
  free(r->own.mql);
  free(r->grades);
  data_inputs_free(&r->in);
  free(r->qualify);
  if (r->workers)
    for (i = 0; i < r->n_workers; i++) {
      worker *w = &r->workers[i];
      lg_lead_free(w->lead);
      free(w->items);
      obuf_free(&w->ex);
      free(w->types);
      free(w->at);
    }
  free(r->workers);
  for (i = 0; i < r->n_blocks; i++) {
    block *b = &r->blocks[i];
    free(b->row);
    free(b->rec);
    free(b->field);
    free(b->len);
    free(b->pos);
    free(b->ev);
    obuf_free(&b->text);
    obuf_free(&b->out);
  }
  free(r->blocks);
  free(r->keep);
  free(r->loaded);
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
  const char      *dimension = NULL, *threads = NULL;
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
                              { "--dimension", &dimension, NULL },
                              { "--threads", &threads, NULL },
                              { "--sorted", NULL, &o->sorted } };
  static char      help[sizeof help_text + sizeof help_more];
  memset(o, 0, sizeof *o);
  memcpy(help, help_text, sizeof help_text - 1);
  memcpy(help + sizeof help_text - 1, help_more, sizeof help_more);
  cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], help, files, 1, &n_files);
  if (!o->rubric) cli_usage_error("--rubric is required");
  if (!o->policy) cli_usage_error("--policy is required");
  if (!n_files) cli_usage_error("no LEADS.csv given");
  o->leads = files[0];
  if (now && !cli_parse_time(now, &o->now, why, sizeof why)) cli_usage_error("--now: %s", why);
  if (!now) o->now = wall_clock_now();
  if (o->sorted && o->events && strcmp(o->events, "-") == 0)
    cli_usage_error("--sorted reads the --events file twice: it cannot be standard input");
  if (o->sorted && o->events && !sorted_regular(o->events))
    cli_usage_error("--sorted reads the --events file twice: '%s' is not a regular file",
                    o->events);
  if (!format)
    o->text = isatty(STDOUT_FILENO);
  else if (strcmp(format, "text") == 0)
    o->text = 1;
  else if (strcmp(format, "csv") != 0)
    cli_usage_error("--format: '%s' is neither text nor csv", format);
  o->threads = threads ? (unsigned)count_option("--threads", threads, 1) : pool_online_cores();
  if (o->threads > 1024) cli_usage_error("--threads: '%s' is more than 1024", threads);
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
  if (o->explain)
    cli_usage_error("--explain does not go with --compare-rubric or --compare-policy");
  if (!reps != !days) cli_usage_error("--reps and --days go together");
  if (capacity && !reps) cli_usage_error("--capacity needs --reps and --days");
  if (dimension && !capacity) cli_usage_error("--dimension needs --capacity");
  if (!dimension || strcmp(dimension, "fit") == 0)
    o->dimension = LG_DIM_FIT;
  else if (strcmp(dimension, "engagement") == 0)
    o->dimension = LG_DIM_ENGAGEMENT;
  else if (strcmp(dimension, "total") == 0)
    o->dimension = LG_DIM_TOTAL;
  else
    cli_usage_error("--dimension: '%s' is not fit, engagement or total", dimension);
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
              name,
              type == LG_VALUE_INT    ? "int"
              : type == LG_VALUE_BOOL ? "bool"
                                      : "text",
              in->type == LG_VALUE_INT    ? "int"
              : in->type == LG_VALUE_BOOL ? "bool"
                                          : "text");
    in->by |= by;
    if (in->type == LG_VALUE_NONE)
      in->type = type;
    else if (type != LG_VALUE_NONE && type != in->type)
      in->type = -1;
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
      add_draft_input(r, k < nr ? r->opt.compare_rubric : r->opt.compare_policy, name, (int)kind,
                      (int)type, k < nr ? 4 : 8);
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

static void events_bad_row(void *ctx, const char *file, unsigned long line, unsigned long col,
                           const char *why) {
  bad_row(ctx, file, line, col, why);
}

static void load_events(run *r) {
  if (r->opt.sorted) { /* checked and counted now, merged with the leads later */
    sorted_scan(&r->sorted, r->opt.events, &r->events.types, events_bad_row, r);
    r->events.n_ev = r->sorted.n_ev;
    return;
  }
  cli_csv_open(&r->aux, r->opt.events, "lead_id,type,at");
  events_load(&r->events, &r->aux, r->pool, events_bad_row, r);
  cli_csv_close(&r->aux);
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

/* ---- output buffers ------------------------------------------------------------------ */

static int obuf_reserve(obuf *b, size_t n) {
  size_t cap;
  char  *p;
  if (b->cap - b->len >= n) return 0;
  cap = b->cap ? b->cap : 512;
  while (cap - b->len < n) cap *= 2;
  if (!(p = realloc(b->p, cap))) {
    b->nomem = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

static void obuf_putc(obuf *b, char c) {
  if (obuf_reserve(b, 1) != 0) return;
  b->p[b->len++] = c;
}

/* s and its NUL, which is not counted in len. */
static void obuf_puts0(obuf *b, const char *s) {
  size_t n = strlen(s);
  if (obuf_reserve(b, n + 1) != 0) return;
  memcpy(b->p + b->len, s, n + 1);
  b->len += n;
}

/* ---- the explanation ---------------------------------------------------------------- */

/* Every criterion's contribution into w->items[0 .. w->n_items). */
static lg_status explain(const run *r, worker *w, const lg_lead *lead) {
  lg_status st;
  while ((st = lg_explain(r->rubric, lead, r->opt.now, w->items, w->cap_items, &w->n_items)) ==
         LG_ERR_BUFFER) {
    free(w->items);
    w->cap_items = 0;
    if (!(w->items = malloc(w->n_items * sizeof *w->items))) return LG_ERR_NOMEM;
    w->cap_items = w->n_items;
  }
  return st;
}

/* The csv explain cell into w->ex: criterion=points for every fit
 * criterion and every engagement criterion that gave points,
 * knockout:NAME for a matched knockout, in rubric order, then
 * next=ATTRIBUTE. */
static lg_status build_explain(const run *r, worker *w, const lg_lead *lead) {
  size_t      i;
  const char *next;
  lg_points   gain;
  char        num[32];
  lg_status   st = explain(r, w, lead);
  obuf       *ex = &w->ex;

  if (st != LG_OK) return st;
  ex->len = 0;
  obuf_puts0(ex, "");
  for (i = 0; i < w->n_items; i++) {
    const lg_contribution *it = &w->items[i];
    if (it->kind != LG_KIND_FIT && it->points == 0) continue;
    if (ex->len) obuf_puts0(ex, ";");
    if (it->kind == LG_KIND_KNOCKOUT) {
      obuf_puts0(ex, "knockout:");
      obuf_puts0(ex, it->criterion);
      continue;
    }
    obuf_puts0(ex, it->criterion);
    obuf_puts0(ex, "=");
    csv_format_points(it->points, num);
    obuf_puts0(ex, num);
  }
  if (lg_next_question(r->rubric, lead, &next, &gain) == LG_OK) {
    if (ex->len) obuf_puts0(ex, ";");
    obuf_puts0(ex, "next=");
    obuf_puts0(ex, next);
  }
  return ex->nomem ? LG_ERR_NOMEM : LG_OK;
}

/* ---- csv output: rows are built in a block's out buffer ---------------------------- */

/* The bytes that make a CSV field need quotes (RFC 4180: a comma, a
 * quote, CR or LF), and NUL, which ends a string: one look-up a byte. */
static const unsigned char field_stop[256] = {
  [0] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1
};

/* Copies s[0..n) to p in 8-byte pieces, n >= 1: up to 7 bytes past n
 * are read and written, so both sides must have that room. */
static char *copy_words(char *p, const char *s, size_t n) {
  size_t i;
  memcpy(p, s, 8);
  for (i = 8; i < n; i += 8) memcpy(p + i, s + i, 8);
  return p + n;
}

/* The same in 16-byte pieces, for the output (up to 15 bytes past n). */
static char *copy_wide(char *p, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i += 16) memcpy(p + i, s + i, 16);
  return p + n;
}

/* s[0..n) quoted at p, quotes doubled (2n + 2 bytes of room); the end. */
static char *quoted_at(char *p, const char *s, size_t n) {
  size_t i;
  *p++ = '"';
  for (i = 0; i < n; i++) {
    if (s[i] == '"') *p++ = '"';
    *p++ = s[i];
  }
  *p++ = '"';
  return p;
}

/* The NUL-terminated s of at most `max` bytes (s has `max` + 1 readable
 * bytes) as one CSV field at p, quoted as csv_write_field does; room:
 * 2 * max + 16.  Returns the end. */
static char *field_at(char *p, const char *s, size_t max) {
  size_t n = 0;
  while (!field_stop[(unsigned char)s[n]]) n++;
  if (s[n] == '\0' && ((n + 15) & ~(size_t)15) <= max + 1) return copy_wide(p, s, n);
  if (s[n] == '\0') {
    memcpy(p, s, n);
    return p + n;
  }
  return quoted_at(p, s, n + strlen(s + n));
}

/* One CSV field of any length, quoted as csv_write_field does. */
static void put_field(obuf *b, const char *s) {
  size_t n = strlen(s);
  if (obuf_reserve(b, 2 * n + 16) != 0) return;
  b->len = (size_t)(field_at(b->p + b->len, s, n) - b->p);
}

/* Points with three decimals at p (csv_format_points' format; room: 32),
 * then `sep`; returns the end. */
static char *points_at(char *p, lg_points v, char sep) {
  csv_format_points(v, p);
  while (*p != '.') p++;
  p[4] = sep;
  return p + 5;
}

static const char *verdict_name(int32_t v) {
  const char *name = lg_verdict_name((lg_verdict)v);
  return name ? name : "?";
}

static const char *owner_name(const run *r, uint32_t oi) {
  return oi == NO_INDEX ? "" : strmap_key(&r->own.reps, oi);
}

/* The most bytes the fields up to the reason take, beyond the id's:
 * 3 points of up to 26 bytes and their commas, knocked_out, the grade
 * and the reason quoted, 16 for the verdict (a longer name adds its
 * length), commas, and copy_wide's slack. */
#define ROW_FIXED_BYTES (3 * 27 + 2 + (2 * 15 + 16) + 1 + 16 + 1 + (2 * 159 + 16) + 2)

/* A row of the csv output.  The id (id_len bytes, 15 readable bytes past
 * its NUL) needs no quotes when it was not quoted in the input: an
 * unquoted field holds no comma, quote, CR or LF. */
static void write_row(const run *r, const worker *w, obuf *b, const char *id, size_t id_len,
                      int id_quoted, const lg_decision *d, uint32_t owner) {
  /* verdict_text holds the names shorter than 16 bytes, zero-padded */
  int         padded = (uint32_t)d->verdict < 3 && r->verdict_len[d->verdict] < 16;
  const char *verdict = padded ? r->verdict_text[d->verdict] : verdict_name(d->verdict);
  size_t      vlen = padded ? r->verdict_len[d->verdict] : strlen(verdict);
  char       *p;
  if (obuf_reserve(b, 2 * id_len + 16 + vlen + ROW_FIXED_BYTES) != 0) return;
  p = b->p + b->len;
  p = id_quoted ? field_at(p, id, id_len) : copy_wide(p, id, id_len);
  *p++ = ',';
  p = points_at(p, d->score.fit, ',');
  p = points_at(p, d->score.engagement, ',');
  p = points_at(p, d->score.total, ',');
  *p++ = d->score.knocked_out ? '1' : '0';
  *p++ = ',';
  p = field_at(p, d->grade, sizeof d->grade - 1);
  *p++ = ',';
  memcpy(p, verdict, padded ? 16 : vlen);
  p += vlen;
  *p++ = ',';
  p = field_at(p, d->reason, sizeof d->reason - 1);
  b->len = (size_t)(p - b->p);
  if (r->opt.explain) {
    obuf_putc(b, ',');
    put_field(b, w->ex.p ? w->ex.p : "");
  }
  if (r->opt.assignments) {
    obuf_putc(b, ',');
    put_field(b, owner_name(r, owner));
  }
  obuf_putc(b, '\n');
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

static void write_text(const run *r, worker *w, const lg_lead *lead, const lg_decision *d,
                       uint32_t owner) {
  const lg_contribution *top[3];
  size_t                 i, n_top = 0, shown = 0;
  const char            *next;
  lg_points              gain;
  char                   a[32], b[32], c[32];
  int                    knocked = 0;
  lg_status              st = explain(r, w, lead);

  if (st != LG_OK) cli_die(r->opt.leads, "%s", lg_status_message(st));
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
  for (i = 0; i < w->n_items; i++)
    if (w->items[i].kind == LG_KIND_KNOCKOUT && w->items[i].points) {
      printf(knocked++ ? ", %s" : "  knocked out: %s", w->items[i].criterion);
    }
  if (knocked) putchar('\n');
  printf("  reason: %s\n", d->reason);
  if (r->opt.explain) {
    printf("  contributions:");
    for (i = 0; i < w->n_items; i++) {
      const lg_contribution *it = &w->items[i];
      if (it->kind == LG_KIND_KNOCKOUT) continue;
      text_points(it->points, a);
      printf("%s %s (%s) %s%s", shown++ ? "," : "", it->criterion, lg_kind_name((lg_kind)it->kind),
             it->points > 0 ? "+" : "", a);
    }
    putchar('\n');
    printf("  recommended stage: %s\n", lg_stage_name((lg_stage)d->stage));
  } else {
    /* the three largest, by insertion (ties keep rubric order) */
    for (i = 0; i < w->n_items; i++) {
      const lg_contribution *it = &w->items[i];
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

/* The thread's lead, made the lead `id`: reused from row to row, so
 * building the next lead of similar size allocates nothing. */
static lg_status lead_renew(lg_lead **lead, const char *id) {
  if (*lead) return lg_lead_reset(*lead, id);
  return lg_lead_create(id, lead);
}

#define BLOCK_ROWS 1024
/* Blocks a thread triages in a round: while one thread reads the next
 * round, the others take the blocks, and small blocks keep the threads
 * busy until the round ends. */
#define BLOCKS_PER_THREAD 4

static void block_message(block *b, lead_row *row, int kind, unsigned long line, unsigned long col,
                          const char *why) {
  row->kind = kind;
  row->line = line;
  row->col = col;
  row->msg = b->text.len;
  obuf_puts0(&b->text, why);
  obuf_putc(&b->text, '\0');
}

/* Room in b for one more row of up to `bytes` field bytes; -1 when out
 * of memory. */
static int block_reserve(const run *r, block *b, size_t bytes) {
  if (!b->row) {
    const char *env = getenv("LEADGATE_TRIAGE_BLOCK"); /* rows a block, for tests */
    b->cap = r->immediate ? 1 : env && atol(env) > 0 ? (size_t)atol(env) : BLOCK_ROWS;
    b->row = malloc(b->cap * sizeof *b->row);
    b->field = malloc(b->cap * r->nf * sizeof *b->field);
    b->len = malloc(b->cap * r->nf * sizeof *b->len);
    b->pos = malloc(b->cap * r->nf * sizeof *b->pos);
    if (!b->row || !b->field || !b->len || !b->pos) {
      free(b->row);
      free(b->field);
      free(b->len);
      free(b->pos);
      b->row = NULL;
      b->field = NULL;
      b->len = NULL;
      b->pos = NULL;
      return -1;
    }
  }
  bytes += 16; /* copy_wide's slack past the last field (write_row reads the id so) */
  if (b->rec_cap - b->rec_len < bytes) {
    size_t cap = b->rec_cap ? b->rec_cap : 65536;
    char  *p;
    while (cap - b->rec_len < bytes) cap *= 2;
    if (!(p = realloc(b->rec, cap))) return -1;
    b->rec = p;
    b->rec_cap = cap;
  }
  return 0;
}

/* The id checks lg_lead_create makes, with the message for each. */
static const char *id_problem(const char *id, size_t len) {
  size_t   i = 0;
  uint64_t high = 0, w;
  if (len == 0) return "empty id";
  if (len > LG_MAX_ID_BYTES) return "id longer than 256 bytes";
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, id + i, 8);
    high |= w;
  }
  for (; i < len; i++) high |= (unsigned char)id[i];
  /* ASCII is valid UTF-8: only an id with other bytes needs the check */
  if ((high & UINT64_C(0x8080808080808080)) && lg_text_check(id, len, 0, NULL) != LG_OK)
    return "id is not valid UTF-8";
  return NULL;
}

/* Reads the next rows of the leads file into b, in file order: what must
 * be sequential happens here (bad records, id checks, duplicates, which
 * the first occurrence wins).  Sets r->leads_eof at the end. */
static void read_block(run *r, block *b) {
  csv_reader         *c = &r->csv.r;
  const data_columns *cols = &r->cols;
  char                why[256];

  b->n = b->rec_len = b->text.len = b->out.len = b->n_ev = 0;
  b->text.nomem = b->out.nomem = 0;
  while (!r->leads_eof && (b->n < b->cap || !b->row)) {
    int           st = csv_next(c);
    lead_row     *row;
    const char   *id, *problem, *seen = NULL;
    char         *entry = NULL;
    unsigned long first = 0;
    size_t        id_len, k, base;
    uint32_t      key;
    if (st == CSV_EOF) {
      r->leads_eof = 1;
      break;
    }
    /* room for the rows; the fields' is made as they are copied */
    if ((!b->row || b->rec_cap - b->rec_len < 16) && block_reserve(r, b, 0) != 0) {
      r->leads_eof = 1;
      if (!b->row) { /* reported once the blocks before are written */
        r->read_nomem = 1;
        break;
      }
      row = &b->row[b->n++];
      block_message(b, row, ROW_FATAL, 0, 0, "out of memory");
      break;
    }
    row = &b->row[b->n++];
    row->kind = ROW_LEAD;
    if (st == CSV_FATAL) {
      r->leads_eof = 1;
      block_message(b, row, ROW_FATAL, 0, 0, c->error);
      break;
    }
    if (st == CSV_BAD) {
      block_message(b, row, ROW_BAD, c->error_line, c->error_col, c->error);
      continue;
    }
    id = c->fields[cols->id];
    id_len = c->lens[cols->id];
    if ((problem = id_problem(id, id_len)) != NULL) {
      block_message(b, row, ROW_BAD, c->pos[cols->id].line, c->pos[cols->id].col, problem);
      continue;
    }
    row->h = hash_key(id, id_len);
    if (r->opt.sorted) {
      /* the last good id: a duplicate is the same one again */
      int order = sorted_lead(&r->last_lead, id, id_len, c->record_line, &first, why, sizeof why);
      if (order < 0) {
        r->leads_eof = 1;
        block_message(b, row, ROW_FATAL, c->pos[cols->id].line, c->pos[cols->id].col, why);
        break;
      }
      if (order == 0) seen = id;
    } else {
      /* the line an id first appears on: in its events index entry when it
       * has events (value 1, written by this thread only), else in r->seen */
      entry = r->events.grouped
                  ? strmap_find_h(&events_partition(&r->events, row->h)->ids, id, id_len, row->h)
                  : NULL;
      seen = entry ? (entry_value(entry, 1) ? entry : NULL)
                   : strmap_find_h(&r->seen, id, id_len, row->h);
      if (seen) first = entry_value(seen, 1);
    }
    if (seen) {
      snprintf(why, sizeof why, "duplicate id '%.64s' (first on line %lu)", id, first);
      r->duplicates++;
      block_message(b, row, ROW_BAD, c->pos[cols->id].line, c->pos[cols->id].col, why);
      continue;
    }
    if (r->opt.sorted) {
      int st_take = 0;
      row->ev = b->n_ev;
      if (r->opt.events)
        st_take =
            sorted_take(&r->sorted, id, id_len, &b->ev, &b->n_ev, &b->cap_ev, why, sizeof why);
      row->ev_end = b->n_ev;
      if (st_take != 0) {
        r->leads_eof = 1;
        block_message(b, row, ROW_FATAL, 0, 0, st_take == -1 ? "out of memory" : why);
        break;
      }
    } else if (!entry) {
      if (strmap_add(&r->seen, id, id_len, row->h, &key) != 0) {
        r->leads_eof = 1;
        block_message(b, row, ROW_FATAL, 0, 0, "out of memory");
        break;
      }
      entry = r->seen.arena + r->seen.off[key];
    }
    if (entry) entry_set(entry, 1, (uint32_t)c->record_line);
    base = (b->n - 1) * r->nf;
    /* The fields and their NULs, 8 bytes at a time: a field lies in the
     * reader's buffer, which has CSV_PAD (8) readable bytes past its end
     * (csv.h, buf_cap), and block_reserve leaves room past the last
     * field. */
    {
      size_t        *field = b->field + base, used = b->rec_len, nf = r->nf;
      uint32_t      *len = b->len + base;
      csv_field_pos *pos = b->pos + base;
      const size_t  *keep = r->keep;
      char          *rec = b->rec;
      size_t         room = b->rec_cap - used;
      for (k = 0; k < nf; k++) {
        size_t i = keep[k], n = c->lens[i] + 1;
        if (room < n + 16) {
          b->rec_len = used;
          if (block_reserve(r, b, n) != 0) break;
          rec = b->rec;
          room = b->rec_cap - used;
        }
        field[k] = used;
        len[k] = (uint32_t)(n - 1);
        pos[k] = c->pos[i];
        copy_words(rec + used, c->fields[i], n);
        used += n;
        room -= n;
      }
      b->rec_len = used;
    }
    if (k < r->nf) {
      r->leads_eof = 1;
      block_message(b, row, ROW_FATAL, 0, 0, "out of memory");
      break;
    }
  }
}

/* Builds the lead of row i of b, decides it and formats its output (or,
 * one row at a time, writes it).  A bad row gets its message. */
static void triage_row(const run *r, worker *w, block *b, size_t i) {
  lead_row            *row = &b->row[i];
  const data_columns  *cols = &r->cols;
  const size_t        *field;
  const uint32_t      *len;
  const csv_field_pos *pos;
  const char          *id;
  lg_lead             *lead;
  lg_decision          d;
  lg_status            st;
  size_t               k, n_ev = 0, mid = cols->n_load / 2;
  uint32_t             owner = NO_INDEX;
  const uint64_t      *e = NULL, *end = NULL;
  int                  fetched = 0;
  char                 why[256];

  row->out_end = b->out.len;
  if (row->kind != ROW_LEAD) return;
  field = b->field + i * r->nf;
  len = b->len + i * r->nf;
  pos = b->pos + i * r->nf;
  id = b->rec + field[0];
  /* The lead's events are added after its attributes; fetch them from
   * the index meanwhile: its slot now, the events halfway through the
   * attributes. */
  if (r->events.grouped) strmap_prefetch_slot(&events_partition(&r->events, row->h)->ids, row->h);
  if ((st = lead_renew(&w->lead, id)) != LG_OK) goto fatal;
  lead = w->lead;
  for (k = 0; k < cols->n_load; k++) {
    const data_column *col = r->loaded[k];
    const char        *cell = b->rec + field[k + 1];
    int                rc;
    if (k == mid) {
      events_find(&r->events, id, len[0], row->h, &e, &end);
      fetched = 1;
    }
    rc = data_set_cell(lead, col, cell, why, sizeof why);
    if (rc == LG_OK) continue;
    if (rc == LG_ERR_NOMEM) {
      st = LG_ERR_NOMEM;
      goto fatal;
    }
    if (rc != -1) {
      lg_error te;
      lg_text_check(cell, len[k + 1], LG_MAX_TEXT_BYTES, &te);
      snprintf(why, sizeof why, "column '%s': %s", col->name,
               rc == LG_ERR_LIMIT ? "text longer than 1024 bytes" : te.message);
      /* the offending byte, when the cell is unquoted and on one line */
      block_message(b, row, ROW_BAD, pos[k + 1].line,
                    pos[k + 1].col +
                        (rc != LG_ERR_LIMIT && te.column && !pos[k + 1].quoted ? te.column - 1 : 0),
                    why);
    } else {
      block_message(b, row, ROW_BAD, pos[k + 1].line, pos[k + 1].col, why);
    }
    return;
  }
  if (!fetched) events_find(&r->events, id, len[0], row->h, &e, &end);
  if (r->opt.sorted && row->ev_end > row->ev) {
    e = b->ev + row->ev;
    end = b->ev + row->ev_end;
  }
  if (e) {
    n_ev = (size_t)(end - e);
    if (n_ev > w->cap_ev) {
      const char **t;
      lg_time     *a;
      if (!(t = realloc(w->types, n_ev * sizeof *t))) goto nomem;
      w->types = t;
      if (!(a = realloc(w->at, n_ev * sizeof *a))) goto nomem;
      w->at = a;
      w->cap_ev = n_ev;
    }
    for (k = 0; k < n_ev; k++) {
      w->types[k] = strmap_key(&r->events.types, ev_type(e[k]));
      w->at[k] = ev_at(e[k]);
    }
    st = lg_lead_add_events(lead, w->types, w->at, n_ev);
    if (st == LG_ERR_NOMEM) goto fatal;
    if (st != LG_OK) {
      snprintf(why, sizeof why, "lead has more than %d events in %s (%s)", LG_MAX_EVENTS,
               r->opt.events, lg_status_name(st));
      block_message(b, row, ROW_BAD, pos[0].line, pos[0].col, why);
      return;
    }
  }
  if ((st = lg_decide(r->rubric, r->policy, lead, r->opt.now, &d)) != LG_OK) goto fatal;
  if (r->opt.assignments) owner = owner_of(r, id, len[0], row->h);
  if (r->immediate) {
    /* one thread, one row at a time: this row is the current one */
    run *rw = (run *)r;
    if (r->draft_rubric || r->draft_policy) {
      lg_decision d2;
      st = lg_decide(r->draft_rubric ? r->draft_rubric : r->rubric,
                     r->draft_policy ? r->draft_policy : r->policy, lead, r->opt.now, &d2);
      if (st != LG_OK) goto fatal;
      whatif_add(&rw->wi, lead, &d, &d2);
      return;
    }
    write_text(r, w, lead, &d, owner);
    tally(rw, &d, owner);
    return;
  }
  if (r->opt.explain && (st = build_explain(r, w, lead)) != LG_OK) goto fatal;
  write_row(r, w, &b->out, id, len[0], pos[0].quoted, &d, owner);
  if (b->out.nomem) goto nomem;
  row->out_end = b->out.len;
  return;
nomem:
  st = LG_ERR_NOMEM;
fatal:
  block_message(b, row, ROW_FATAL, 0, 0, lg_status_message(st));
}

static void triage_block(const run *r, worker *w, block *b) {
  size_t i;
  for (i = 0; i < b->n; i++) triage_row(r, w, b, i);
}

/* Writes b's output and reports its bad rows, in file order. */
static void write_block(run *r, const block *b) {
  size_t i, done = 0;
  for (i = 0; i < b->n; i++) {
    const lead_row *row = &b->row[i];
    if (row->kind == ROW_LEAD) {
      r->leads++;
      continue;
    }
    if (row->out_end > done) fwrite(b->out.p + done, 1, row->out_end - done, stdout);
    done = row->out_end;
    if (row->kind == ROW_FATAL && row->line) /* --sorted: out of order */
      cli_die_at(r->opt.leads, row->line, row->col, "%s", b->text.p + row->msg);
    if (row->kind == ROW_FATAL) cli_die(r->opt.leads, "%s", b->text.p + row->msg);
    bad_row(r, r->opt.leads, row->line, row->col, b->text.p + row->msg);
  }
  if (b->out.len > done) fwrite(b->out.p + done, 1, b->out.len - done, stdout);
}

/* A round: blocks[first .. first + n) are triaged, one task each, while
 * task 0 reads the next round into the other half. */
typedef struct round {
  run   *r;
  size_t first, n, next; /* next: the other half's first block */
  int    read;
} round;

static void round_task(void *ctx, size_t task, unsigned worker_id) {
  round *rd = ctx;
  run   *r = rd->r;
  size_t k;
  if (rd->read && task-- == 0) {
    for (k = 0; k < r->n_blocks / 2; k++) {
      block *b = &r->blocks[rd->next + k];
      if (r->leads_eof)
        b->n = 0;
      else
        read_block(r, b);
    }
    return;
  }
  triage_block(r, &r->workers[worker_id], &r->blocks[rd->first + task]);
}

static void triage_leads(run *r) {
  size_t per = BLOCKS_PER_THREAD * r->n_workers, half = 0, k; /* blocks a round */
  double t0 = monotonic_seconds();

  if (!r->opt.text && !r->draft_rubric && !r->draft_policy) {
    fputs("id,fit,engagement,total,knocked_out,grade,verdict,reason", stdout);
    if (r->opt.explain) fputs(",explain", stdout);
    if (r->opt.assignments) fputs(",owner", stdout);
    fputc('\n', stdout);
  }
  r->nf = r->cols.n_load + 1;
  r->keep = malloc(r->nf * sizeof *r->keep);
  r->loaded = malloc(r->nf * sizeof *r->loaded);
  if (!r->keep || !r->loaded) cli_die(r->opt.leads, "out of memory");
  r->keep[0] = (size_t)r->cols.id;
  for (k = 1; k < r->nf; k++) {
    r->keep[k] = r->cols.load[k - 1];
    r->loaded[k - 1] = &r->cols.c[r->keep[k]];
  }
  for (k = 0; k < 3; k++) {
    const char *name = verdict_name((int32_t)k);
    r->verdict_len[k] = strlen(name);
    if (r->verdict_len[k] < sizeof r->verdict_text[k])
      memcpy(r->verdict_text[k], name, r->verdict_len[k]);
  }
  r->n_blocks = 2 * per;
  if (!(r->blocks = calloc(r->n_blocks, sizeof *r->blocks))) cli_die(r->opt.leads, "out of memory");
  if (r->opt.sorted && r->opt.events) sorted_open(&r->sorted, r->opt.events);
  if (r->immediate) {
    /* a row at a time, on this thread: its output goes straight out */
    block *b = &r->blocks[0];
    while (read_block(r, b), b->n) {
      triage_block(r, &r->workers[0], b);
      write_block(r, b);
    }
  } else {
    for (k = 0; k < per; k++) read_block(r, &r->blocks[k]);
    for (;;) {
      round rd;
      rd.r = r;
      rd.first = half * per;
      rd.next = (1 - half) * per;
      rd.read = !r->leads_eof;
      for (rd.n = 0; rd.n < per && r->blocks[rd.first + rd.n].n; rd.n++) {
      }
      if (!rd.n) break;
      pool_run(r->pool, rd.n + (size_t)rd.read, round_task, &rd);
      for (k = 0; k < rd.n; k++) write_block(r, &r->blocks[rd.first + k]);
      if (!rd.read) break;
      half = 1 - half;
    }
  }
  if (r->read_nomem) cli_die(r->opt.leads, "out of memory");
  if (r->opt.sorted) sorted_finish(&r->sorted); /* the events after the last lead */
  r->t_score = monotonic_seconds() - t0;
  cli_csv_close(&r->csv);
}

/* The events of lead ids the leads file does not have (ids not seen):
 * *ids of them, *events in all, *first the first such id. */
static void unknown_events(const run *r, unsigned long *ids, unsigned long *events,
                           const char **first) {
  unsigned q;
  uint32_t first_at = NO_INDEX;
  *ids = *events = 0;
  *first = NULL;
  for (q = 0; q < r->events.n_parts; q++) {
    const ev_partition *p = &r->events.part[q];
    uint32_t            i;
    for (i = 0; i < p->ids.n; i++) {
      const char *e = p->ids.arena + p->ids.off[i], *key = e + ENTRY_HEAD;
      uint32_t    n = p->start[i + 1] - p->start[i];
      if (entry_value(e, 1)) continue;  /* in the leads file */
      if (p->first_seq[i] < first_at) { /* the first in file order */
        first_at = p->first_seq[i];
        *first = key;
      }
      ++*ids;
      *events += n;
    }
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
  r->immediate = r->opt.text || r->opt.compare_rubric || r->opt.compare_policy;
  if (!(r->pool = pool_create(r->opt.threads))) cli_die(cli_name(), "cannot start threads");
  r->n_workers = r->opt.threads;
  if (!(r->workers = calloc(r->n_workers, sizeof *r->workers)))
    cli_die(cli_name(), "out of memory");
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
                     : r->opt.compare_rubric ? r->opt.rubric
                                             : r->opt.policy;
    r->wi.draft_name = r->opt.compare_rubric && r->opt.compare_policy
                           ? "the draft rubric and policy"
                       : r->opt.compare_rubric ? r->opt.compare_rubric
                                               : r->opt.compare_policy;
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
  if (r->draft_rubric || r->draft_policy)
    whatif_report(&r->wi, !r->opt.text);
  else if (r->opt.text)
    write_summary(r);
  if (fflush(stdout) != 0 || ferror(stdout)) cli_die("stdout", "write error");
  t = monotonic_seconds() - start;
  if (r->opt.sorted) {
    bad_ids = r->sorted.unknown_ids;
    bad_events = r->sorted.unknown_events;
    first_bad = r->sorted.first_unknown;
  } else if (r->opt.events) {
    unknown_events(r, &bad_ids, &bad_events, &first_bad);
  }
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
