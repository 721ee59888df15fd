/*
 * sla_watch.c - leadgate-sla-watch: what is due on the follow-up SLA of
 * every assigned lead, and how each rep keeps it.
 *
 *   leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE] [--now TIME]
 *
 * The assignments CSV has the columns lead_id, owner, assigned_at and
 * (optionally) touched_at, in any order.  Several rows of one lead are its
 * reassignments, in time order; a touched_at cell is the first follow-up
 * of that row's assignment and may be empty.  Times are epoch seconds or
 * ISO 8601 (2026-11-18T09:30:00Z).
 *
 * The reps CSV has id, available (1/0/true/false), open_leads, capacity
 * (0 = unlimited), weight (>= 1), last_assigned_at (empty = never) and
 * optionally attainment (quota attainment, e.g. 0.85).
 *
 * Output (stdout), three CSV blocks separated by a blank line:
 *   1. lead_id,owner,reassignments,state,action,new_owner,due_at,next_at
 *      one row per lead in order of first appearance: the SLA state, the
 *      action due now (none|warn|remind|escalate|reassign|recycle), for a
 *      reassign the rep lg_route picks from the reps file (empty when
 *      nobody can take it or no reps file was given), the deadline and the
 *      time the state or action next changes (ISO 8601, or `never`).  Each
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
 * Exit status: 0; 2 for an unreadable or malformed input (FILE:LINE: why,
 * policy errors FILE:LINE:COL: message); 64 for bad usage.
 */
#include <leadgate.h>

#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 64

static const char usage_line[] =
  "usage: leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE] [--now TIME]\n";

static lg_time wall_clock_now(void) { return (lg_time)time(NULL); }

typedef struct options {
  const char *policy, *assignments, *reps;
  lg_time     now;
} options;

typedef struct row {
  char         *lead_id, *owner;
  lg_time       assigned_at, touched_at;
  int           touched;
  unsigned long line;
  size_t        order; /* position in the file */
} row;

typedef struct rep_table {
  lg_rep *reps;
  char  **ids;        /* owned copies behind reps[i].id */
  double *attainment;
  int    *has_attainment;
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
  FILE       *in;     /* the CSV file being read */
  csv_reader  reader; /* its reader, when reader_open */
  int         reader_open;
  lg_policy  *policy;
  row        *rows;
  size_t      n_rows, cap_rows;
  rep_table   reps;
  row       **sorted;
  group      *groups;
  lg_lead   **leads;
  size_t      n_leads;
  lg_stats   *stats;
  const char **names; /* reps given to lg_stats_correlation */
  double     *att;
} state;

static state the_state;

static void close_input(state *g) {
  if (g->reader_open) csv_close(&g->reader);
  if (g->in) fclose(g->in);
  g->reader_open = 0;
  g->in = NULL;
}

static void release(void) {
  state *g = &the_state;
  size_t i;
  close_input(g);
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
  lg_policy_free(g->policy);
  memset(g, 0, sizeof *g);
}

/* ---- errors and arguments ------------------------------------------------- */

static void bad_usage(const char *fmt, const char *arg) {
  fputs("leadgate-sla-watch: ", stderr);
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
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_line, stdout);
      exit(0);
    }
    if (strncmp(a, "--", 2) != 0) bad_usage("unexpected argument '%s'", a);
    eq = strchr(a, '=');
    n = eq ? (size_t)(eq - a) : strlen(a);
    if (n == 8 && strncmp(a, "--policy", n) == 0) dst = &o->policy;
    else if (n == 13 && strncmp(a, "--assignments", n) == 0) dst = &o->assignments;
    else if (n == 6 && strncmp(a, "--reps", n) == 0) dst = &o->reps;
    else if (n == 5 && strncmp(a, "--now", n) == 0) dst = &val;
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
  if (!o->policy) bad_usage("%s", "--policy is required");
  if (!o->assignments) bad_usage("%s", "--assignments is required");
  if (!now_given) o->now = wall_clock_now();
}

static lg_policy *load_policy(const char *path) {
  char      *text;
  size_t     len;
  lg_error   err;
  lg_policy *policy = NULL;
  lg_status  st;
  int        rc = csv_read_file(path, &text, &len);
  if (rc != 0) csv_die(path, csv_file_error(rc));
  st = lg_policy_parse(text, len, &policy, &err);
  free(text);
  if (st == LG_OK) return policy;
  csv_die_at(path, err.line, err.column, err.message[0] ? err.message : lg_status_message(st));
  return NULL;
}

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char  *p = malloc(n);
  if (!p) csv_die("leadgate-sla-watch", "out of memory");
  return memcpy(p, s, n);
}

/* Opens a CSV file and reads its header. */
static csv_reader *open_csv(state *g, const char *path) {
  csv_reader *c = &g->reader;
  int         st;
  g->in = fopen(path, "rb");
  if (!g->in) csv_die(path, strerror(errno));
  if (csv_open(c, g->in) != 0) csv_die(path, "out of memory");
  g->reader_open = 1;
  st = csv_next(c);
  if (st == CSV_EOF) csv_die_at(path, 1, 0, "empty file: expected a header line");
  if (st != CSV_RECORD) csv_die_at(path, c->error_line, 0, c->error);
  if (c->n_fields && strncmp(c->fields[0], "\xEF\xBB\xBF", 3) == 0) c->fields[0] += 3;
  return c;
}

/* Column `name` of the header; -1 when absent (fatal when required). */
static int column(const csv_reader *c, const char *path, const char *name, int required) {
  size_t i;
  char   msg[128];
  for (i = 0; i < c->n_fields; i++)
    if (strcmp(c->fields[i], name) == 0) return (int)i;
  if (required) {
    sprintf(msg, "the header has no '%s' column", name);
    csv_die_at(path, c->record_line, 0, msg);
  }
  return -1;
}

/* Reads the next data record; 0 at the end of the file.  Every row must
 * have the header's number of fields. */
static int next_row(csv_reader *c, const char *path, size_t n_header) {
  int  st = csv_next(c);
  char msg[96];
  if (st == CSV_EOF) return 0;
  if (st != CSV_RECORD) csv_die_at(path, c->error_line, 0, c->error);
  if (c->n_fields != n_header) {
    sprintf(msg, "expected %lu fields as in the header, found %lu", (unsigned long)n_header,
            (unsigned long)c->n_fields);
    csv_die_at(path, c->record_line, 0, msg);
  }
  return 1;
}

static lg_time time_cell(const csv_reader *c, const char *path, int col, const char *what) {
  lg_time t;
  char    msg[160];
  if (!csv_parse_time(c->fields[col], &t) || t < LG_TIME_MIN || t > LG_TIME_MAX) {
    sprintf(msg, "%s '%.48s' is not epoch seconds or ISO 8601 like 2026-11-18T09:30:00Z",
            what, c->fields[col]);
    csv_die_at(path, c->record_line, 0, msg);
  }
  return t;
}

/* ---- input files ------------------------------------------------------------ */

static void load_assignments(state *g, const char *path) {
  csv_reader *c = open_csv(g, path);
  int         col_lead = column(c, path, "lead_id", 1), col_owner = column(c, path, "owner", 1);
  int         col_at = column(c, path, "assigned_at", 1);
  int         col_touch = column(c, path, "touched_at", 0);
  size_t      n_header = c->n_fields;

  while (next_row(c, path, n_header)) {
    row *r;
    if (g->n_rows == g->cap_rows) {
      size_t cap = g->cap_rows ? g->cap_rows * 2 : 64;
      if (!(r = realloc(g->rows, cap * sizeof *r))) csv_die(path, "out of memory");
      g->rows = r;
      g->cap_rows = cap;
    }
    r = &g->rows[g->n_rows];
    memset(r, 0, sizeof *r);
    if (c->fields[col_lead][0] == '\0') csv_die_at(path, c->record_line, 0, "empty lead_id");
    r->assigned_at = time_cell(c, path, col_at, "assigned_at");
    r->touched = col_touch >= 0 && c->fields[col_touch][0] != '\0';
    r->touched_at = r->touched ? time_cell(c, path, col_touch, "touched_at") : 0;
    r->line = c->record_line;
    r->order = g->n_rows++;
    r->lead_id = copy(c->fields[col_lead]);
    r->owner = copy(c->fields[col_owner]);
  }
  close_input(g);
}

static int int_cell(const char *s, int min, int32_t *out) {
  int64_t v;
  if (!csv_parse_int64(s, &v) || v < min || v > INT32_MAX) return 0;
  *out = (int32_t)v;
  return 1;
}

static void load_reps(state *g, const char *path) {
  rep_table  *t = &g->reps;
  csv_reader *c = open_csv(g, path);
  int        col_id = column(c, path, "id", 1), col_av = column(c, path, "available", 1);
  int        col_open = column(c, path, "open_leads", 1);
  int        col_capa = column(c, path, "capacity", 1), col_w = column(c, path, "weight", 1);
  int        col_last = column(c, path, "last_assigned_at", 1);
  int        col_att = column(c, path, "attainment", 0);
  size_t     n_header = c->n_fields, cap = 0;

  while (next_row(c, path, n_header)) {
    lg_rep     *r;
    const char *av = c->fields[col_av], *att = col_att >= 0 ? c->fields[col_att] : "";
    char       *end;
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
      if (!reps || !ids || !goals || !has) csv_die(path, "out of memory");
    }
    r = &t->reps[t->n];
    memset(r, 0, sizeof *r);
    if (c->fields[col_id][0] == '\0') csv_die_at(path, c->record_line, 0, "empty rep id");
    if (strcmp(av, "1") == 0 || strcmp(av, "true") == 0) r->available = 1;
    else if (strcmp(av, "0") == 0 || strcmp(av, "false") == 0) r->available = 0;
    else csv_die_at(path, c->record_line, 0, "available must be 1, 0, true or false");
    if (!int_cell(c->fields[col_open], 0, &r->open_leads))
      csv_die_at(path, c->record_line, 0, "open_leads must be a whole number >= 0");
    if (!int_cell(c->fields[col_capa], 0, &r->capacity))
      csv_die_at(path, c->record_line, 0, "capacity must be a whole number >= 0 (0 = unlimited)");
    if (!int_cell(c->fields[col_w], 1, &r->weight))
      csv_die_at(path, c->record_line, 0, "weight must be a whole number >= 1");
    r->last_assigned_at = c->fields[col_last][0] == '\0'
                            ? LG_TIME_MIN
                            : time_cell(c, path, col_last, "last_assigned_at");
    t->has_attainment[t->n] = att[0] != '\0';
    t->attainment[t->n] = 0.0;
    if (att[0]) {
      t->attainment[t->n] = strtod(att, &end);
      if (*end != '\0' || t->attainment[t->n] != t->attainment[t->n] ||
          t->attainment[t->n] < -1e9 || t->attainment[t->n] > 1e9)
        csv_die_at(path, c->record_line, 0, "attainment must be a number such as 0.85");
    }
    t->ids[t->n] = copy(c->fields[col_id]);
    r->id = t->ids[t->n];
    t->n++;
  }
  close_input(g);
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

/* Builds a lead from its rows into g->leads; exits with FILE:LINE on a row
 * the library rejects. */
static lg_lead *build_lead(state *g, const char *path, row *const *rows, size_t n) {
  lg_lead  *lead;
  lg_status st;
  size_t    i;
  char      msg[160];
  st = lg_lead_create(rows[0]->lead_id, &lead);
  if (st != LG_OK) {
    sprintf(msg, "lead_id: %s", lg_status_message(st));
    csv_die_at(path, rows[0]->line, 0, msg);
  }
  g->leads[g->n_leads++] = lead;
  for (i = 0; i < n; i++) {
    st = lg_lead_assign(lead, rows[i]->owner, rows[i]->assigned_at);
    if (st != LG_OK) {
      sprintf(msg, "%s",
              st == LG_ERR_STATE ? "assigned_at is earlier than the lead's previous assignment "
                                   "(a lead's rows must be in time order)"
              : st == LG_ERR_INVALID ? "owner must be 1 to 256 bytes of UTF-8"
                                     : lg_status_message(st));
      csv_die_at(path, rows[i]->line, 0, msg);
    }
    if (!rows[i]->touched) continue;
    st = lg_lead_touch(lead, rows[i]->touched_at);
    if (st != LG_OK)
      csv_die_at(path, rows[i]->line, 0,
                 st == LG_ERR_STATE ? "touched_at is before assigned_at" : lg_status_message(st));
  }
  return lead;
}

static void print_duration(lg_duration d) {
  printf("%lldh%02lldm", (long long)(d / 3600), (long long)(d % 3600 / 60));
}

static void report_lead(const lg_policy *policy, const lg_lead *lead, rep_table *reps,
                        lg_time now) {
  static const char *states[] = {"none", "running", "warning", "breached", "met", "met_late"};
  static const char *actions[] = {"none",     "warn",     "remind", "escalate",
                                  "reassign", "recycle"};
  lg_sla_status s;
  char          buf[32];
  const char   *new_owner = "";
  lg_status     st = lg_sla_eval(policy, lead, now, &s);
  size_t        chosen;

  if (st != LG_OK) csv_die("leadgate-sla-watch: lg_sla_eval", lg_status_message(st));
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
  printf(",%d,%s,%s,", (int)s.reassignments,
         s.state >= 0 && s.state <= 5 ? states[s.state] : "?",
         s.action >= 0 && s.action <= 5 ? actions[s.action] : "?");
  csv_write_field(stdout, new_owner);
  putchar(',');
  if (s.state != LG_SLA_NONE) {
    csv_format_time(s.due_at, buf);
    fputs(buf, stdout);
  }
  csv_format_time(s.next_at, buf);
  printf(",%s\n", buf);
}

static void report_reps(state *g) {
  const lg_stats  *stats = g->stats;
  const rep_table *reps = &g->reps;
  size_t           i, n = lg_stats_rep_count(stats), k = 0;
  const char     **names;
  double          *att, r;
  lg_status    st;

  printf("\nrep,assigned,followed_up,in_sla,in_sla_pct,median_response,p90_response,"
         "breaches,open_overdue\n");
  for (i = 0; i < n; i++) {
    lg_rep_stats s;
    if (lg_stats_rep(stats, i, &s) != LG_OK) csv_die("stats", "cannot read a rep");
    csv_write_field(stdout, s.rep);
    printf(",%u,%u,%u,%.1f,", (unsigned)s.assigned, (unsigned)s.touched,
           (unsigned)s.touched_in_sla,
           s.assigned ? 100.0 * (double)s.touched_in_sla / (double)s.assigned : 0.0);
    if (s.touched) print_duration(s.median_response);
    putchar(',');
    if (s.touched) print_duration(s.p90_response);
    printf(",%u,%u\n", (unsigned)s.breached, (unsigned)s.open_overdue);
  }

  printf("\nmetric,value\n");
  names = g->names = malloc((reps->n ? reps->n : 1) * sizeof *names);
  att = g->att = malloc((reps->n ? reps->n : 1) * sizeof *att);
  if (!names || !att) csv_die("leadgate-sla-watch", "out of memory");
  for (i = 0; i < reps->n; i++)
    if (reps->has_attainment[i]) {
      names[k] = reps->ids[i];
      att[k++] = reps->attainment[i];
    }
  if (k == 0) {
    printf("in_sla_rate_vs_attainment_r,n/a (no attainment in the reps file)\n");
  } else if ((st = lg_stats_correlation(stats, names, att, k, &r)) == LG_OK) {
    printf("in_sla_rate_vs_attainment_r,%.3f\nreps_correlated,%lu\n", r, (unsigned long)k);
  } else {
    printf("in_sla_rate_vs_attainment_r,n/a (%s)\n",
           st == LG_ERR_RANGE ? "fewer than 2 reps or no variance" : lg_status_name(st));
  }
}

int main(int argc, char **argv) {
  static char out_buffer[1 << 16];
  state      *g = &the_state;
  options     o;
  size_t      n_groups = 0, i, j;

  atexit(release);
  setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  parse_args(argc, argv, &o);
  g->policy = load_policy(o.policy);
  load_assignments(g, o.assignments);
  if (o.reps) load_reps(g, o.reps);
  if (lg_stats_create(g->policy, &g->stats) != LG_OK) csv_die("leadgate-sla-watch", "out of memory");

  /* Group the rows by lead (a lead's rows stay in file order), then put the
   * groups back in the order their leads first appear. */
  g->sorted = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->sorted);
  g->groups = malloc((g->n_rows ? g->n_rows : 1) * sizeof *g->groups);
  if (!g->sorted || !g->groups) csv_die("leadgate-sla-watch", "out of memory");
  for (i = 0; i < g->n_rows; i++) g->sorted[i] = &g->rows[i];
  qsort(g->sorted, g->n_rows, sizeof *g->sorted, by_lead);
  for (i = 0; i < g->n_rows; i = j) {
    for (j = i + 1; j < g->n_rows && strcmp(g->sorted[j]->lead_id, g->sorted[i]->lead_id) == 0;
         j++) {}
    g->groups[n_groups].start = i;
    g->groups[n_groups].n = j - i;
    g->groups[n_groups++].first = g->sorted[i];
  }
  qsort(g->groups, n_groups, sizeof *g->groups, by_order);

  /* Build every lead first so that a bad row stops the run before any
   * output. */
  g->leads = malloc((n_groups ? n_groups : 1) * sizeof *g->leads);
  if (!g->leads) csv_die("leadgate-sla-watch", "out of memory");
  for (i = 0; i < n_groups; i++)
    build_lead(g, o.assignments, g->sorted + g->groups[i].start, g->groups[i].n);

  printf("lead_id,owner,reassignments,state,action,new_owner,due_at,next_at\n");
  for (i = 0; i < g->n_leads; i++) {
    report_lead(g->policy, g->leads[i], &g->reps, o.now);
    if (lg_stats_add(g->stats, g->leads[i], o.now) != LG_OK)
      csv_die("leadgate-sla-watch", "lg_stats_add failed (out of memory)");
  }
  report_reps(g);
  if (fflush(stdout) != 0 || ferror(stdout)) csv_die("stdout", "write error");
  return 0; /* release() runs at exit */
}
