/*
 * sla_watch.c - leadgate-sla-watch: what is due on the follow-up SLA of
 * every assigned lead, and how each rep keeps it.
 *
 *   leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE]
 *                      [--snoozes FILE] [--now TIME]
 *
 * The assignments CSV has the columns lead_id, owner, assigned_at and
 * (optionally) touched_at, in any order.  Several rows of one lead are its
 * reassignments, in time order; a touched_at cell is the first follow-up
 * of that row's assignment and may be empty.  Times are epoch seconds or
 * ISO 8601 (2026-11-18T09:30:00Z).
 *
 * The snoozes CSV has lead_id, from and until: the lead's follow-up clock
 * does not run in [from, until) (lg_lead_snooze).  A snooze belongs to the
 * lead's assignment that is current at `from`; one before the lead's
 * first assignment, or with until not after from, is an error.
 *
 * The reps CSV has id, available (1/0/true/false), open_leads, capacity
 * (0 = unlimited), weight (>= 1), last_assigned_at (empty = never) and
 * optionally attainment (quota attainment, e.g. 0.85).
 *
 * Output (stdout), three CSV blocks separated by a blank line:
 *   1. lead_id,owner,reassignments,state,action,new_owner,due_at,next_at,tier,
 *      snoozed_until
 *      one row per lead in order of first appearance: the SLA state, the
 *      action due now (none|warn|remind|escalate|reassign|recycle), for a
 *      reassign the rep lg_route picks from the reps file (empty when
 *      nobody can take it or no reps file was given), the deadline and the
 *      time the state or action next changes (ISO 8601, or `never`), and
 *      the follow-up tier in effect (the index of the policy's follow-up
 *      rule, 0 while a policy has one; empty without an SLA), and when
 *      the current assignment is snoozed at `now`, the end of that snooze
 *      (overlapping snoozes merged; empty otherwise).  Each
 *      pick counts against the rep (open_leads + 1, last assigned now) so
 *      later picks in the same run spread the work.
 *   2. rep,assigned,followed_up,in_sla,in_sla_pct,median_response,
 *      p90_response,breaches,open_overdue   from lg_stats, responses in
 *      business hours and minutes (e.g. 5h30m), empty when nothing was
 *      followed up.
 *   3. metric,value   the Pearson r between each rep's in-SLA follow-up
 *      rate and the attainment the reps file gives (lg_stats_correlation),
 *      or `n/a` with the reason.
 *
 * Checks on the assignments: an exact duplicate row (same lead, owner and
 * times) is a warning and counts once; a touched_at at or after the lead's
 * next assignment (the instant of a reassignment belongs to the new owner)
 * cannot be the old owner's follow-up: it is reported and not counted
 * (exit status 1).  A rep with an attainment but no assignments is left
 * out of the correlation, with a note, and r is computed over the others.
 *
 * Exit status (cli.h): 0 success; 1 when a touch could not be counted;
 * 2 for bad usage or an unreadable or malformed input (FILE:LINE[:COL]:
 * why).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_line[] =
    "usage: leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE] [--snoozes FILE]\n"
    "                          [--now TIME]\n";

static const char help_text[] =
    "usage: leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE] [--snoozes FILE]\n"
    "                          [--now TIME]\n"
    "\n"
    "The follow-up SLA action due for every assigned lead, per-rep compliance,\n"
    "and the correlation between in-SLA follow-up and quota attainment.\n"
    "\n"
    "  --policy FILE       the policy (follow-up ladder, calendar, routing)\n"
    "  --assignments FILE  CSV: lead_id,owner,assigned_at[,touched_at]; a lead's\n"
    "                      rows are its (re)assignments in time order; touched_at\n"
    "                      is that assignment's first follow-up (may be empty)\n"
    "  --reps FILE         CSV: id,available,open_leads,capacity,weight,\n"
    "                      last_assigned_at[,attainment] (for reassignments and\n"
    "                      the correlation)\n"
    "  --snoozes FILE      CSV: lead_id,from,until: the lead's clock does not run in\n"
    "                      [from, until) (a prospect who asked to be called later);\n"
    "                      it belongs to the assignment current at from\n"
    "  --now TIME          the evaluation instant (default: the system clock)\n"
    "  FILE may be - for standard input (one of them at most).\n"
    "\n"
    "Formats: columns in any order, extra columns ignored; a UTF-8 BOM is\n"
    "skipped; spaces around unquoted cells are trimmed.  Times are epoch\n"
    "seconds or ISO 8601 with a zone (2026-11-18T09:30:00Z, +01:00; fractional\n"
    "seconds are truncated), years 0001..9999.  available is 1, 0, true or\n"
    "false (any case); open_leads and capacity (0 = unlimited) are whole numbers\n"
    ">= 0, weight >= 1; attainment is a number such as 0.85.\n"
    "\n"
    "Checks: an exact duplicate assignment row is a warning and counts once;\n"
    "a touched_at at or after the lead's next assignment (that instant belongs\n"
    "to the new owner) is reported and not counted; a rep with an attainment\n"
    "but no assignments is left out of the correlation, with a note.\n"
    "\n"
    "Output: three CSV blocks separated by a blank line: lead_id,owner,\n"
    "reassignments,state,action,new_owner,due_at,next_at,tier,snoozed_until;\n"
    "rep,assigned,"
    "followed_up,in_sla,in_sla_pct,median_response,p90_response,breaches,\n"
    "open_overdue; metric,value.\n"
    "\n"
    "Exit status: 0 success; 1 a touch could not be counted (reported on\n"
    "stderr); 2 bad usage or bad input (FILE:LINE[:COLUMN]: message).\n";

static lg_time wall_clock_now(void) { return (lg_time)time(NULL); }

typedef struct options {
  const char *policy, *assignments, *reps, *snoozes;
  lg_time     now;
} options;

typedef struct row {
  char         *lead_id, *owner;
  lg_time       assigned_at, touched_at;
  int           touched;
  int           duplicate; /* the same as an earlier row: counted once */
  unsigned long line;
  size_t        order; /* position in the file */
} row;

typedef struct snooze_row {
  char         *lead_id;
  lg_time       from, until;
  unsigned long line;
} snooze_row;

typedef struct rep_table {
  lg_rep *reps;
  char  **ids; /* owned copies behind reps[i].id */
  double *attainment;
  int    *has_attainment;
  int     attainment_column;
  size_t  n;
} rep_table;

/* A lead's rows: sorted[start .. start + n). */
typedef struct group {
  size_t     start, n;
  const row *first;
} group;

/* Everything the program owns, so that release() (registered with atexit)
 * frees it on every exit, error exits included. */
typedef struct state {
  cli_csv       csv; /* the CSV file being read */
  lg_policy    *policy;
  row          *rows;
  size_t        n_rows, cap_rows;
  rep_table     reps;
  row         **sorted;
  group        *groups;
  lg_lead     **leads;
  size_t        n_leads;
  lg_stats     *stats;
  const char  **names; /* reps given to lg_stats_correlation */
  double       *att;
  unsigned long dropped_touches;
  snooze_row   *snoozes; /* sorted by lead id, then from */
  size_t        n_snoozes;
} state;

static state the_state;

static void release(void) {
  state *g = &the_state;
  size_t i;
  cli_csv_close(&g->csv);
  for (i = 0; i < g->n_leads; i++) lg_lead_free(g->leads[i]);
  free(g->leads);
  lg_stats_free(g->stats);
  for (i = 0; i < g->n_rows; i++) {
    free(g->rows[i].lead_id);
    free(g->rows[i].owner);
  }
  free(g->rows);
  free(g->sorted);
  free(g->groups);
  for (i = 0; i < g->reps.n; i++) free(g->reps.ids[i]);
  free(g->reps.reps);
  free(g->reps.ids);
  free(g->reps.attainment);
  free(g->reps.has_attainment);
  free(g->names);
  free(g->att);
  for (i = 0; i < g->n_snoozes; i++) free(g->snoozes[i].lead_id);
  free(g->snoozes);
  lg_policy_free(g->policy);
  memset(g, 0, sizeof *g);
}

static void parse_args(int argc, char **argv, options *o) {
  const char      *now = NULL;
  size_t           n_files;
  char             why[160];
  const cli_option opts[] = { { "--policy", &o->policy, NULL },
                              { "--assignments", &o->assignments, NULL },
                              { "--reps", &o->reps, NULL },
                              { "--snoozes", &o->snoozes, NULL },
                              { "--now", &now, NULL } };
  memset(o, 0, sizeof *o);
  cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], help_text, NULL, 0, &n_files);
  if (!o->policy) cli_usage_error("--policy is required");
  if (!o->assignments) cli_usage_error("--assignments is required");
  if (now && !cli_parse_time(now, &o->now, why, sizeof why)) cli_usage_error("--now: %s", why);
  if (!now) o->now = wall_clock_now();
}

static char *copy(const char *s) {
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

static void load_assignments(state *g, const char *path) {
  cli_csv                 *c = &g->csv;
  int                      col[3], col_lead, col_owner, col_at, col_touch;
  static const char *const names[3] = { "lead_id", "owner", "assigned_at" };

  cli_csv_open(c, path, "lead_id,owner,assigned_at[,touched_at]");
  cli_csv_columns(c, names, 3, col);
  col_lead = col[0];
  col_owner = col[1];
  col_at = col[2];
  col_touch = cli_csv_column(c, "touched_at", 0);
  while (next_row(c)) {
    row *r;
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
    r->lead_id = copy(c->r.fields[col_lead]);
    r->owner = copy(c->r.fields[col_owner]);
  }
  cli_csv_close(c);
}

static int int_cell(const char *s, int min, int32_t *out) {
  int64_t v;
  if (!csv_parse_int64(s, &v) || v < min || v > INT32_MAX) return 0;
  *out = (int32_t)v;
  return 1;
}

static void load_reps(state *g, const char *path) {
  rep_table               *t = &g->reps;
  cli_csv                 *c = &g->csv;
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
    t->ids[t->n] = copy(c->r.fields[col_id]);
    r->id = t->ids[t->n];
    t->n++;
  }
  cli_csv_close(c);
}

static int by_snooze(const void *a, const void *b) {
  const snooze_row *x = a, *y = b;
  int               c = strcmp(x->lead_id, y->lead_id);
  if (c) return c;
  return x->from < y->from ? -1 : x->from > y->from;
}

static void load_snoozes(state *g, const char *path) {
  cli_csv                 *c = &g->csv;
  int                      col[3];
  size_t                   cap = 0;
  static const char *const names[3] = { "lead_id", "from", "until" };
  cli_csv_open(c, path, "lead_id,from,until");
  cli_csv_columns(c, names, 3, col);
  while (next_row(c)) {
    snooze_row *z;
    if (g->n_snoozes == cap) {
      cap = cap ? cap * 2 : 16;
      if (!(z = realloc(g->snoozes, cap * sizeof *z))) cli_die(path, "out of memory");
      g->snoozes = z;
    }
    z = &g->snoozes[g->n_snoozes];
    if (c->r.fields[col[0]][0] == '\0') die_cell(c, col[0], "%s", "empty lead_id");
    z->from = time_cell(c, col[1], "from");
    z->until = time_cell(c, col[2], "until");
    if (z->until <= z->from) die_cell(c, col[2], "%s", "until must be after from");
    z->line = c->r.record_line;
    z->lead_id = copy(c->r.fields[col[0]]);
    g->n_snoozes++;
  }
  cli_csv_close(c);
  if (g->n_snoozes > 1) qsort(g->snoozes, g->n_snoozes, sizeof *g->snoozes, by_snooze);
}

/* The lead's snoozes: *n of them from the returned one (sorted by from). */
static const snooze_row *snoozes_of(const state *g, const char *lead_id, size_t *n) {
  size_t lo = 0, hi = g->n_snoozes, end;
  *n = 0;
  if (!g->snoozes) return NULL;
  while (lo < hi) { /* the first with an id >= lead_id */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(g->snoozes[mid].lead_id, lead_id) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (end = lo; end < g->n_snoozes && strcmp(g->snoozes[end].lead_id, lead_id) == 0; end++) {
  }
  *n = end - lo;
  return g->snoozes + lo;
}

/* ---- per lead ---------------------------------------------------------------- */

/* Sorts rows by lead id, then file order, so a lead's rows are adjacent and
 * in time order. */
static int by_lead(const void *a, const void *b) {
  const row *x = *(const row *const *)a, *y = *(const row *const *)b;
  int        c = strcmp(x->lead_id, y->lead_id);
  if (c) return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts lead groups back into file order (of their first rows). */
static int by_order(const void *a, const void *b) {
  const row *x = ((const group *)a)->first, *y = ((const group *)b)->first;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Marks exact duplicates among a lead's rows (same owner and times as an
 * earlier row with the same assigned_at) and warns about each. */
static void mark_duplicates(const char *path, row *const *rows, size_t n) {
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

/* The row after rows[i] that starts a new assignment (not a duplicate), or
 * NULL. */
static const row *next_assignment(row *const *rows, size_t n, size_t i) {
  while (++i < n)
    if (!rows[i]->duplicate) return rows[i];
  return NULL;
}

/* Builds a lead from its rows into g->leads; exits with FILE:LINE on a row
 * the library rejects. */
static lg_lead *build_lead(state *g, const options *o, row *const *rows, size_t n) {
  const char       *path = o->assignments;
  lg_lead          *lead;
  lg_status         st;
  size_t            i, n_snz, k = 0;
  char              when[32];
  const snooze_row *snz = snoozes_of(g, rows[0]->lead_id, &n_snz);
  st = lg_lead_create(rows[0]->lead_id, &lead);
  if (st != LG_OK) cli_die_at(path, rows[0]->line, 0, "lead_id: %s", lg_status_message(st));
  g->leads[g->n_leads++] = lead;
  mark_duplicates(path, rows, n);
  for (i = 0; i < n; i++) {
    const row *next;
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
    /* the snoozes that start while this assignment is the current one */
    for (; k < n_snz && (!next || snz[k].from < next->assigned_at); k++) {
      st = lg_lead_snooze(lead, snz[k].from, snz[k].until);
      if (st == LG_ERR_STATE)
        cli_die_at(o->snoozes, snz[k].line, 0, "from is before lead %s's first assignment",
                   rows[0]->lead_id);
      if (st == LG_ERR_LIMIT)
        cli_die_at(o->snoozes, snz[k].line, 0, "more than %d separate snoozes of one assignment",
                   LG_MAX_SNOOZES);
      if (st != LG_OK) cli_die_at(o->snoozes, snz[k].line, 0, "%s", lg_status_message(st));
    }
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

static void print_duration(lg_duration d) {
  printf("%lldh%02lldm", (long long)(d / 3600), (long long)(d % 3600 / 60));
}

/* The end of the current assignment's snooze (merged with those that
 * overlap or touch it) that holds `now`, or 0 when none does. */
static lg_time snoozed_until(const state *g, const lg_lead *lead, lg_time now) {
  size_t            n, k, count = lg_lead_assignment_count(lead), cur;
  const snooze_row *z = snoozes_of(g, lg_lead_id(lead), &n);
  lg_time           start = 0, next = LG_TIME_NEVER, t = now;
  int               moved = 1;
  for (cur = count; cur-- > 0;) { /* the assignment current at now */
    if (lg_lead_assignment_at(lead, cur, NULL, &start, NULL) == LG_OK && start <= now) break;
    next = start;
  }
  if (cur >= count) return 0;
  while (moved) { /* z is sorted by from: follow the chain of overlaps */
    moved = 0;
    for (k = 0; k < n; k++)
      if (z[k].from >= start && z[k].from < next && z[k].from <= t && z[k].until > t) {
        t = z[k].until;
        moved = 1;
      }
  }
  return t > now ? t : 0;
}

static void report_lead(state *g, const lg_lead *lead, lg_time now) {
  const lg_policy *policy = g->policy;
  rep_table       *reps = &g->reps;
  lg_time          until;
  lg_sla_status    s;
  char          buf[32];
  const char   *new_owner = "";
  lg_status     st = lg_sla_eval(policy, lead, now, &s);
  size_t        chosen;

  if (st != LG_OK) cli_die(cli_name(), "lg_sla_eval: %s", lg_status_message(st));
  if (s.action == LG_ACTION_REASSIGN && reps->n &&
      lg_route(policy, lead, reps->reps, reps->n, now, &chosen) == LG_OK) {
    lg_rep *r = &reps->reps[chosen];
    new_owner = r->id;
    if (r->open_leads < INT32_MAX) r->open_leads++;
    r->last_assigned_at = now;
  }
  csv_write_field(stdout, lg_lead_id(lead));
  putchar(',');
  csv_write_field(stdout, lg_lead_owner(lead) ? lg_lead_owner(lead) : "");
  printf(",%d,%s,%s,", (int)s.reassignments, lg_sla_state_name((lg_sla_state)s.state),
         lg_action_name((lg_action)s.action));
  csv_write_field(stdout, new_owner);
  putchar(',');
  if (s.state != LG_SLA_NONE) {
    cli_format_time(s.due_at, buf);
    fputs(buf, stdout);
  }
  cli_format_time(s.next_at, buf);
  printf(",%s,", buf);
  if (s.state != LG_SLA_NONE) printf("%d", (int)s.tier);
  putchar(',');
  if ((until = snoozed_until(g, lead, now)) != 0) {
    cli_format_time(until, buf);
    fputs(buf, stdout);
  }
  putchar('\n');
}

/* Whether rep `id` has any assignment in the statistics. */
static int has_assignments(const lg_stats *stats, const char *id) {
  size_t       i, n = lg_stats_rep_count(stats);
  lg_rep_stats s;
  for (i = 0; i < n; i++)
    if (lg_stats_rep(stats, i, &s) == LG_OK && strcmp(s.rep, id) == 0) return s.assigned > 0;
  return 0;
}

static void report_reps(state *g, const options *o) {
  const lg_stats  *stats = g->stats;
  const rep_table *reps = &g->reps;
  size_t           i, n = lg_stats_rep_count(stats), k = 0, skipped = 0;
  const char     **names;
  double          *att, r;
  lg_status        st;

  printf("\nrep,assigned,followed_up,in_sla,in_sla_pct,median_response,p90_response,"
         "breaches,open_overdue\n");
  for (i = 0; i < n; i++) {
    lg_rep_stats s;
    if (lg_stats_rep(stats, i, &s) != LG_OK) cli_die(cli_name(), "cannot read a rep's statistics");
    csv_write_field(stdout, s.rep);
    printf(",%u,%u,%u,%.1f,", (unsigned)s.assigned, (unsigned)s.touched, (unsigned)s.touched_in_sla,
           s.assigned ? 100.0 * (double)s.touched_in_sla / (double)s.assigned : 0.0);
    if (s.touched) print_duration(s.median_response);
    putchar(',');
    if (s.touched) print_duration(s.p90_response);
    printf(",%u,%u\n", (unsigned)s.breached, (unsigned)s.open_overdue);
  }

  printf("\nmetric,value\n");
  names = g->names = malloc((reps->n ? reps->n : 1) * sizeof *names);
  att = g->att = malloc((reps->n ? reps->n : 1) * sizeof *att);
  if (!names || !att) cli_die(cli_name(), "out of memory");
  for (i = 0; i < reps->n; i++) {
    if (!reps->has_attainment[i]) continue;
    if (!has_assignments(stats, reps->ids[i])) {
      cli_note("note: %s has an attainment but no assignments; left out of the correlation",
               reps->ids[i]);
      names[reps->n - 1 - skipped++] = reps->ids[i]; /* kept at the end for the report */
      continue;
    }
    names[k] = reps->ids[i];
    att[k++] = reps->attainment[i];
  }
  if (!o->reps) {
    printf("in_sla_rate_vs_attainment_r,n/a (no --reps file given)\n");
  } else if (!reps->attainment_column) {
    printf("in_sla_rate_vs_attainment_r,n/a (%s has no attainment column)\n", o->reps);
  } else if (k == 0) {
    printf("in_sla_rate_vs_attainment_r,n/a (no rep in %s has both an attainment and "
           "assignments)\n",
           o->reps);
  } else if ((st = lg_stats_correlation(stats, names, att, k, &r)) == LG_OK) {
    printf("in_sla_rate_vs_attainment_r,%.3f\nreps_correlated,%lu\n", r, (unsigned long)k);
  } else {
    printf("in_sla_rate_vs_attainment_r,n/a (%s)\n",
           st == LG_ERR_RANGE ? "fewer than 2 reps or no variance" : lg_status_name(st));
  }
  for (i = 0; i < skipped; i++) {
    printf("reps_skipped_no_assignments,");
    csv_write_field(stdout, names[reps->n - 1 - i]);
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  static char out_buffer[1 << 16];
  state      *g = &the_state;
  options     o;
  size_t      n_groups = 0, i, j;

  cli_init("leadgate-sla-watch", usage_line);
  atexit(release);
  setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  parse_args(argc, argv, &o);
  g->policy = cli_load_policy(o.policy);
  load_assignments(g, o.assignments);
  if (o.reps) load_reps(g, o.reps);
  if (o.snoozes) load_snoozes(g, o.snoozes);
  if (lg_stats_create(g->policy, &g->stats) != LG_OK) cli_die(cli_name(), "out of memory");

  /* Group the rows by lead (a lead's rows stay in file order), then put the
   * groups back in the order their leads first appear. */
  g->sorted = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->sorted);
  g->groups = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->groups);
  if (!g->sorted || !g->groups) cli_die(cli_name(), "out of memory");
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

  /* Build every lead first so that a bad row stops the run before any
   * output. */
  g->leads = malloc((n_groups ? n_groups : 1) * sizeof *g->leads);
  if (!g->leads) cli_die(cli_name(), "out of memory");
  for (i = 0; i < n_groups; i++)
    build_lead(g, &o, g->sorted + g->groups[i].start, g->groups[i].n);

  printf("lead_id,owner,reassignments,state,action,new_owner,due_at,next_at,tier,"
         "snoozed_until\n");
  for (i = 0; i < g->n_leads; i++) {
    report_lead(g, g->leads[i], o.now);
    if (lg_stats_add(g->stats, g->leads[i], o.now) != LG_OK)
      cli_die(cli_name(), "lg_stats_add failed (out of memory)");
  }
  report_reps(g, &o);
  if (fflush(stdout) != 0 || ferror(stdout)) cli_die("stdout", "write error");
  if (g->dropped_touches)
    cli_note("%lu touch%s not counted (see above)", g->dropped_touches,
             g->dropped_touches == 1 ? "" : "es");
  return g->dropped_touches ? CLI_EXIT_FINDINGS : CLI_EXIT_OK; /* release() runs at exit */
}
