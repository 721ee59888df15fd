/*
 * report.c - leadgate-report: the follow-up dashboard, one self-contained
 * HTML page for sales managers.
 *
 *   leadgate-report --rubric FILE --policy FILE --assignments FILE
 *                   [--events FILE] [--reps FILE] [--now TIME] [--since TIME]
 *                   [--capacity N] [--out FILE] LEADS.csv
 *
 * The inputs are those of leadgate-triage (LEADS.csv, --events) and
 * leadgate-sla-watch (--assignments, --reps), loaded by the same code
 * (data.c).  The page has seven sections: the headline, the per-rep table,
 * the response times per rep, follow-up against quota, the actions due
 * now, the funnel and threshold, and per rep what became of the leads it
 * received.  Every chart is inline SVG with a <title> and its numbers in
 * a table next to it; the CSS is inline, the page loads nothing, reads
 * the same without JavaScript (a few lines only make the rep table
 * sortable) and prints.  Every string that comes from an input is
 * HTML-escaped.
 *
 * The period: a lead belongs to it when its first assignment is at or
 * after --since (default: any time) and at or before --now; all of that
 * lead's assignments up to --now are then counted, as leadgate-sla-watch
 * counts them (without --since the numbers are sla-watch's).
 *
 * The confidence interval of the correlation is computed here, not in the
 * library: lg_stats_correlation gives r and promises to need no libm;
 * the interval (Fisher z: atanh(r) +- 1.96 / sqrt(n - 3), back through
 * tanh) is a statement about how much a handful of reps can show, which
 * belongs with the words that explain it to a reader (see
 * correlation_words).
 *
 * Exit status (cli.h): 0 success; 1 the report is complete but some input
 * could not be used (assignments of leads the leads file lacks: their
 * actions have no "why"); 2 bad usage or bad input (nothing is written).
 */
#include "cli.h"
#include "data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_line[] =
    "usage: leadgate-report --rubric FILE --policy FILE --assignments FILE [--events FILE]\n"
    "                       [--reps FILE] [--now TIME] [--since TIME] [--capacity N]\n"
    "                       [--out FILE] LEADS.csv\n";

static const char help_text[] =
    "usage: leadgate-report --rubric FILE --policy FILE --assignments FILE [--events FILE]\n"
    "                       [--reps FILE] [--now TIME] [--since TIME] [--capacity N]\n"
    "                       [--out FILE] LEADS.csv\n"
    "\n"
    "The follow-up dashboard: one self-contained HTML page (no external files,\n"
    "readable without JavaScript, printable) with the headline, the per-rep\n"
    "table, response times against the SLA, follow-up against quota, the\n"
    "actions due now, the funnel and threshold, and per rep what became of\n"
    "the leads it received.\n"
    "\n"
    "  --rubric FILE       the scoring model\n"
    "  --policy FILE       the policy (qualify rule, grades, follow-up SLA, routing)\n"
    "  --assignments FILE  CSV lead_id,owner,assigned_at[,touched_at] (as sla-watch)\n"
    "  --events FILE       CSV lead_id,type,at (as triage)\n"
    "  --reps FILE         CSV id,available,open_leads,capacity,weight,\n"
    "                      last_assigned_at[,attainment] (as sla-watch)\n"
    "  --now TIME          the evaluation instant (default: the system clock)\n"
    "  --since TIME        the period starts here: leads first assigned earlier\n"
    "                      are left out (default: no start)\n"
    "  --capacity N        leads a rep can work a month: the threshold that lets\n"
    "                      N x reps x months of the period through (lg_calibrate)\n"
    "  --out FILE          write the page there (default: standard output)\n"
    "  LEADS.csv           the leads (as triage: id and one column per attribute)\n"
    "\n"
    "Exit status: 0 success; 1 the page is written but some input could not be\n"
    "used (reported on stderr); 2 bad usage or bad input (FILE:LINE[:COLUMN]:\n"
    "message), nothing written.\n";

static lg_time wall_clock_now(void) { return (lg_time)time(NULL); }

typedef struct options {
  const char *rubric, *policy, *events, *assignments, *reps, *leads, *out;
  lg_time     now, since;
  int         has_since;
  long        capacity; /* -1: not given */
} options;

/* A lead of the leads file. */
typedef struct scored {
  lg_lead      *lead;
  unsigned long line;
  lg_decision   d;
} scored;

/* What the page says about one assigned lead of the period. */
typedef struct assigned {
  lg_lead      *lead; /* from the assignments (owned by the data_assignments) */
  const scored *s;    /* the same lead in the leads file, or NULL */
  lg_sla_status sla;
  const char   *new_owner; /* lg_route's pick for a reassign, or NULL */
} assigned;

/* One rep's row, with what the report adds to lg_stats. */
typedef struct rep_row {
  lg_rep_stats st;
  double       rate; /* touched_in_sla / assigned */
  int          has_att;
  double       att;
  int          worst;
} rep_row;

typedef struct state {
  options          o;
  cli_csv          csv;
  lg_rubric       *rubric;
  lg_policy       *policy;
  data_inputs      in;
  data_columns     cols;
  data_assignments as;
  data_reps        reps;
  data_events      events;
  scored          *leads; /* sorted by id */
  size_t           n_leads, cap_leads;
  assigned        *cur;
  size_t           n_cur;
  lg_lead        **pooled; /* every assignment of the period under one owner */
  size_t           n_pooled;
  lg_stats        *stats, *all;
  rep_row         *rows;
  size_t           n_rows;
  const char     **names, **skipped;
  double          *att;
  char            *qualify;
  lg_points        fit_needed;
  lg_duration      target;
  int              business, has_sla;
  unsigned long    unknown_leads, unused_events;
  FILE            *out;
} state;

static state the_state;

static void release(void) {
  state *g = &the_state;
  size_t i;
  cli_csv_close(&g->csv);
  for (i = 0; i < g->n_leads; i++) lg_lead_free(g->leads[i].lead);
  free(g->leads);
  for (i = 0; i < g->n_pooled; i++) lg_lead_free(g->pooled[i]);
  free(g->pooled);
  free(g->cur);
  free(g->rows);
  free((void *)g->names);
  free((void *)g->skipped);
  free(g->att);
  free(g->qualify);
  lg_stats_free(g->stats);
  lg_stats_free(g->all);
  data_assignments_free(&g->as);
  data_reps_free(&g->reps);
  data_events_free(&g->events);
  data_columns_free(&g->cols);
  data_inputs_free(&g->in);
  lg_rubric_free(g->rubric);
  lg_policy_free(g->policy);
  if (g->out && g->out != stdout) fclose(g->out);
  memset(g, 0, sizeof *g);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) cli_die(cli_name(), "out of memory");
  return p;
}

static void parse_args(int argc, char **argv, options *o) {
  const char      *now = NULL, *since = NULL, *capacity = NULL, *files[1];
  size_t           n_files;
  char             why[160];
  const cli_option opts[] = {
    { "--rubric", &o->rubric, NULL }, { "--policy", &o->policy, NULL },
    { "--events", &o->events, NULL }, { "--assignments", &o->assignments, NULL },
    { "--reps", &o->reps, NULL },     { "--now", &now, NULL },
    { "--since", &since, NULL },      { "--capacity", &capacity, NULL },
    { "--out", &o->out, NULL },
  };
  memset(o, 0, sizeof *o);
  cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], help_text, files, 1, &n_files);
  if (!o->rubric) cli_usage_error("--rubric is required");
  if (!o->policy) cli_usage_error("--policy is required");
  if (!o->assignments) cli_usage_error("--assignments is required");
  if (n_files != 1) cli_usage_error("the leads file (LEADS.csv) is required");
  o->leads = files[0];
  if (now && !cli_parse_time(now, &o->now, why, sizeof why)) cli_usage_error("--now: %s", why);
  if (!now) o->now = wall_clock_now();
  o->since = LG_TIME_MIN;
  if (since) {
    if (!cli_parse_time(since, &o->since, why, sizeof why)) cli_usage_error("--since: %s", why);
    if (o->since > o->now) cli_usage_error("--since is after --now: the period is empty");
    o->has_since = 1;
  }
  o->capacity = -1;
  if (capacity) {
    int64_t v;
    if (!csv_parse_int64(capacity, &v) || v < 0 || v > 1000000)
      cli_usage_error("--capacity: '%s' is not a whole number of leads from 0 to 1000000",
                      capacity);
    o->capacity = (long)v;
  }
}

/* ---- loading ------------------------------------------------------------------ */

static int by_id(const void *a, const void *b) {
  return strcmp(lg_lead_id(((const scored *)a)->lead), lg_lead_id(((const scored *)b)->lead));
}

static const scored *find_lead(const state *g, const char *id) {
  size_t lo = 0, hi = g->n_leads;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int    c = strcmp(lg_lead_id(g->leads[mid].lead), id);
    if (c == 0) return &g->leads[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* The leads file, typed as triage types it; then their events; then the
 * policy's decision for each. */
static void load_leads(state *g) {
  cli_csv *c = &g->csv;
  size_t   i, k;
  char     why[256];
  int      st;
  data_read_header(&g->in, c, g->o.leads, &g->cols);
  while ((st = csv_next(&c->r)) != CSV_EOF) {
    const csv_reader *r = &c->r;
    scored           *s;
    lg_status         ls;
    if (st != CSV_RECORD) cli_die_at(g->o.leads, r->error_line, r->error_col, "%s", r->error);
    if (g->n_leads == g->cap_leads) {
      size_t cap = g->cap_leads ? g->cap_leads * 2 : 256;
      if (!(s = realloc(g->leads, cap * sizeof *s))) cli_die(g->o.leads, "out of memory");
      g->leads = s;
      g->cap_leads = cap;
    }
    s = &g->leads[g->n_leads];
    memset(s, 0, sizeof *s);
    s->line = r->record_line;
    ls = lg_lead_create(r->fields[g->cols.id], &s->lead);
    if (ls != LG_OK)
      cli_die_at(g->o.leads, r->pos[g->cols.id].line, r->pos[g->cols.id].col, "id: %s",
                 r->fields[g->cols.id][0] ? lg_status_message(ls) : "empty id");
    g->n_leads++;
    for (k = 0; k < g->cols.n_load; k++) {
      size_t             ci = g->cols.load[k];
      const data_column *col = &g->cols.c[ci];
      int                rc = data_set_cell(s->lead, col, r->fields[ci], why, sizeof why);
      if (rc == -1) cli_die_at(g->o.leads, r->pos[ci].line, r->pos[ci].col, "%s", why);
      if (rc != LG_OK)
        cli_die_at(g->o.leads, r->pos[ci].line, r->pos[ci].col, "column '%s': %s", col->name,
                   lg_status_message((lg_status)rc));
    }
  }
  cli_csv_close(c);
  if (g->n_leads) qsort(g->leads, g->n_leads, sizeof *g->leads, by_id);
  for (i = 1; i < g->n_leads; i++)
    if (strcmp(lg_lead_id(g->leads[i].lead), lg_lead_id(g->leads[i - 1].lead)) == 0) {
      const scored *a = &g->leads[i - 1], *b = &g->leads[i];
      if (a->line > b->line) {
        const scored *t = a;
        a = b;
        b = t;
      }
      cli_die_at(g->o.leads, b->line, 1, "duplicate id '%s' (first on line %lu)",
                 lg_lead_id(b->lead), a->line);
    }
  if (g->o.events) {
    data_load_events(&g->events, c, g->o.events);
    for (i = 0; i < g->n_leads; i++) {
      data_event *e;
      size_t      n = data_events_of(&g->events, lg_lead_id(g->leads[i].lead), &e);
      for (k = 0; k < n; k++) {
        lg_status ls = lg_lead_add_event(g->leads[i].lead, e[k].type, e[k].at);
        if (ls != LG_OK)
          cli_die(g->o.events, "lead %s, event %s: %s", e[k].lead_id, e[k].type,
                  lg_status_message(ls));
        e[k].used = 1;
      }
    }
    for (i = 0; i < g->events.n; i++) g->unused_events += !g->events.v[i].used;
    if (g->unused_events)
      cli_warn("%lu events in %s are of lead ids not in %s; not used", g->unused_events,
               g->o.events, g->o.leads);
  }
  for (i = 0; i < g->n_leads; i++) {
    lg_status ls = lg_decide(g->rubric, g->policy, g->leads[i].lead, g->o.now, &g->leads[i].d);
    if (ls != LG_OK)
      cli_die(g->o.leads, "lead %s: %s", lg_lead_id(g->leads[i].lead), lg_status_message(ls));
  }
}

/* ---- the period -------------------------------------------------------------------- */

static lg_time first_assigned(const lg_lead *lead) {
  const char *owner;
  lg_time     at, touched;
  if (lg_lead_assignment_at(lead, 0, &owner, &at, &touched) != LG_OK) return LG_TIME_MAX;
  return at;
}

/* The same assignments and touches under one owner: lg_stats then gives
 * the numbers of the whole period (median and p90 over every response). */
static lg_lead *pool(const lg_lead *lead) {
  lg_lead    *p;
  size_t      i, n = lg_lead_assignment_count(lead);
  const char *owner;
  lg_time     at, touched;
  if (lg_lead_create(lg_lead_id(lead), &p) != LG_OK) cli_die(cli_name(), "out of memory");
  for (i = 0; i < n; i++) {
    if (lg_lead_assignment_at(lead, i, &owner, &at, &touched) != LG_OK ||
        lg_lead_assign(p, "all", at) != LG_OK ||
        (touched != LG_TIME_NEVER && lg_lead_touch(p, touched) != LG_OK)) {
      lg_lead_free(p);
      cli_die(cli_name(), "out of memory");
    }
  }
  return p;
}

static void evaluate(state *g) {
  size_t i;
  g->cur = xmalloc(g->as.n_leads * sizeof *g->cur);
  g->pooled = xmalloc(g->as.n_leads * sizeof *g->pooled);
  if (lg_stats_create(g->policy, &g->stats) != LG_OK ||
      lg_stats_create(g->policy, &g->all) != LG_OK)
    cli_die(cli_name(), "out of memory");
  for (i = 0; i < g->as.n_leads; i++) {
    lg_lead  *lead = g->as.leads[i];
    lg_time   first = first_assigned(lead);
    assigned *a;
    size_t    chosen;
    if (first < g->o.since || first > g->o.now) continue;
    a = &g->cur[g->n_cur++];
    memset(a, 0, sizeof *a);
    a->lead = lead;
    a->s = find_lead(g, lg_lead_id(lead));
    if (!a->s) {
      if (!g->unknown_leads)
        cli_warn("lead %s of %s is not in %s: its actions have no why and no next question",
                 lg_lead_id(lead), g->o.assignments, g->o.leads);
      g->unknown_leads++;
    }
    if (lg_sla_eval(g->policy, lead, g->o.now, &a->sla) != LG_OK)
      cli_die(cli_name(), "lg_sla_eval failed for lead %s", lg_lead_id(lead));
    /* as leadgate-sla-watch: each pick counts against the rep */
    if (a->sla.action == LG_ACTION_REASSIGN && g->reps.n &&
        lg_route(g->policy, lead, g->reps.reps, g->reps.n, g->o.now, &chosen) == LG_OK) {
      lg_rep *r = &g->reps.reps[chosen];
      a->new_owner = r->id;
      if (r->open_leads < INT32_MAX) r->open_leads++;
      r->last_assigned_at = g->o.now;
    }
    if (lg_stats_add(g->stats, lead, g->o.now) != LG_OK) cli_die(cli_name(), "out of memory");
    g->pooled[g->n_pooled] = pool(lead);
    if (lg_stats_add(g->all, g->pooled[g->n_pooled++], g->o.now) != LG_OK)
      cli_die(cli_name(), "out of memory");
  }
  if (g->unknown_leads > 1)
    cli_warn("%lu leads of %s are not in %s", g->unknown_leads, g->o.assignments, g->o.leads);
  if (!g->n_cur) {
    char a[32], b[32];
    cli_format_time(g->o.since, a);
    cli_format_time(g->o.now, b);
    if (g->o.has_since)
      cli_note("note: no lead was first assigned between %s and %s: the report is empty", a, b);
    else
      cli_note("note: no lead was assigned by %s: the report is empty", b);
  }
}

/* The rep rows and the worst offenders: ranked by leads open and overdue
 * now, then breaches, then the lowest in-SLA rate; the first third of the
 * reps (rounded up) that breached at least once are marked. */
static int by_offence(const void *a, const void *b) {
  const rep_row *x = *(const rep_row *const *)a, *y = *(const rep_row *const *)b;
  if (x->st.open_overdue != y->st.open_overdue)
    return x->st.open_overdue > y->st.open_overdue ? -1 : 1;
  if (x->st.breached != y->st.breached) return x->st.breached > y->st.breached ? -1 : 1;
  if (x->rate != y->rate) return x->rate < y->rate ? -1 : 1;
  return strcmp(x->st.rep, y->st.rep);
}

static void rank_reps(state *g) {
  size_t    i, j, n = lg_stats_rep_count(g->stats), marks;
  rep_row **order;
  g->rows = xmalloc(n * sizeof *g->rows);
  order = xmalloc(n * sizeof *order);
  for (i = 0; i < n; i++) {
    rep_row *r = &g->rows[i];
    memset(r, 0, sizeof *r);
    if (lg_stats_rep(g->stats, i, &r->st) != LG_OK) cli_die(cli_name(), "lg_stats_rep failed");
    r->rate = r->st.assigned ? (double)r->st.touched_in_sla / (double)r->st.assigned : 0.0;
    for (j = 0; j < g->reps.n; j++)
      if (strcmp(g->reps.ids[j], r->st.rep) == 0 && g->reps.has_attainment[j]) {
        r->has_att = 1;
        r->att = g->reps.attainment[j];
      }
    order[i] = r;
  }
  g->n_rows = n;
  if (n) qsort(order, n, sizeof *order, by_offence);
  marks = (n + 2) / 3;
  for (i = 0; i < n && i < marks; i++)
    if (order[i]->st.breached) order[i]->worst = 1;
  free(order);
}

/* ---- HTML ------------------------------------------------------------------------ */

#if defined(__GNUC__)
#  define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#  define PRINTF_LIKE(f, a)
#endif

static void put(state *g, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void card(state *g, const char *id, int bad, const char *label, const char *fmt, ...)
    PRINTF_LIKE(5, 6);

static void put(state *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(g->out, fmt, ap);
  va_end(ap);
}

/* Text from an input, escaped for element content and attribute values. */
static void esc(state *g, const char *s) {
  for (; *s; s++) switch (*s) {
    case '&': fputs("&amp;", g->out); break;
    case '<': fputs("&lt;", g->out); break;
    case '>': fputs("&gt;", g->out); break;
    case '"': fputs("&quot;", g->out); break;
    case '\'': fputs("&#39;", g->out); break;
    default: fputc(*s, g->out);
    }
}

static void put_time(state *g, lg_time t) {
  char buf[32];
  cli_format_time(t, buf);
  put(g, "<time>%s</time>", buf);
}

/* 5h30m, as leadgate-sla-watch writes it. */
static void put_duration(state *g, lg_duration d) {
  put(g, "%lldh%02lldm", (long long)(d / 3600), (long long)(d % 3600 / 60));
}

static void put_points(state *g, lg_points p) {
  char buf[32];
  csv_format_points(p, buf);
  put(g, "%s", buf);
}

static double pct(uint32_t a, uint32_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;"
    "margin:0 auto;max-width:1040px;padding:24px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px "
    "solid #d8dde6;padding-bottom:4px}h3{font-size:16px;margin:18px 0 6px}\n"
    ".sub{color:#5a6475;margin:0 0 16px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}\n"
    ".card{flex:1 1 120px;border:1px solid #d8dde6;border-radius:8px;padding:10px 14px;"
    "background:#f7f9fc}\n"
    ".card b{display:block;font-size:26px}.card span{color:#5a6475;font-size:13px}\n"
    ".card.bad b{color:#b3261e}\n"
    "table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}\n"
    "th,td{border-bottom:1px solid #e3e7ee;padding:4px 10px;text-align:left;vertical-align:top}\n"
    "th{background:#eef1f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:' "
    "\\25B2'}table.sortable th[aria-sort=descending]::after{content:' \\25BC'}\n"
    "tr.worst td{background:#fdecea}.flag{color:#b3261e;font-weight:600}\n"
    ".act{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;"
    "color:#fff;background:#5a6475}.act-warn{background:#a86b00}.act-remind{background:#8a5a00}"
    ".act-escalate{background:#b3261e}.act-reassign{background:#6b2fa0}"
    ".act-recycle{background:#2f6b4f}\n"
    ".say{background:#f7f9fc;border-left:4px solid #3d6fb6;padding:8px 12px;margin:8px 0}\n"
    "svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}\n"
    "table.actions,table.lately{width:100%}td:first-child{white-space:nowrap}\n"
    "nav a{margin-right:12px}ul.inline{list-style:none;margin:0;padding:0}"
    "ul.inline li{display:inline;margin-right:12px}\n"
    "@media print{body{max-width:none;padding:0;font-size:12px}nav{display:none}"
    "h2{break-after:avoid}table,svg,.cards{break-inside:avoid}"
    "tr.worst td{background:#fdecea;-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
    "\n";

/* Sorting the rep table: numbers by their data-v, the rest as text; the
 * table reads the same without it.  Errors are written into the page. */
static const char script[] =
    "window.onerror=function(m){document.documentElement.setAttribute('data-js-error',String(m));};"
    "\n"
    "(function(){var ts=document.querySelectorAll('table.sortable');\n"
    "for(var t=0;t<ts.length;t++){(function(table){var hs=table.tHead.rows[0].cells;\n"
    "for(var i=0;i<hs.length;i++){(function(th,i){th.tabIndex=0;th.title='sort';\n"
    "function sort(){var body=table.tBodies[0],rows=[].slice.call(body.rows),\n"
    "asc=th.getAttribute('aria-sort')!=='ascending';\n"
    "rows.sort(function(a,b){var "
    "x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v'),c;\n"
    "if(x!==null&&y!==null){c=parseFloat(x)-parseFloat(y);}else{c=a.cells[i].textContent."
    "localeCompare(b.cells[i].textContent);}\n"
    "return asc?c:-c;});\n"
    "rows.forEach(function(r){body.appendChild(r);});\n"
    "for(var k=0;k<hs.length;k++)hs[k].removeAttribute('aria-sort');\n"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');}\n"
    "th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter'"
    ")sort();});\n"
    "})(hs[i],i);}})(ts[t]);}\n"
    "document.documentElement.setAttribute('data-js','ran');})();\n";

static void head(state *g) {
  char now[32], since[32];
  cli_format_time(g->o.now, now);
  cli_format_time(g->o.since, since);
  put(g,
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
      "<title>Follow-up dashboard, %s</title>\n<style>\n%s</style>\n</head>\n<body>\n",
      now, style);
  put(g, "<header>\n<h1>Follow-up dashboard</h1>\n<p class=\"sub\">");
  if (g->o.has_since)
    put(g, "Leads first assigned from <time>%s</time> to <time>%s</time>", since, now);
  else
    put(g, "Every lead assigned up to <time>%s</time>", now);
  put(g, ". Policy <q>");
  esc(g, lg_policy_name(g->policy) ? lg_policy_name(g->policy) : "");
  put(g, "</q>");
  if (g->has_sla) {
    put(g, ": follow up within ");
    put_duration(g, g->target);
    put(g, "%s.", g->business ? " business hours" : " (wall clock)");
  } else {
    put(g, ": no follow-up SLA.");
  }
  put(g, "</p>\n<nav><a href=\"#headline\">Headline</a><a href=\"#reps\">Reps</a>"
         "<a href=\"#response\">Response times</a><a href=\"#quota\">Follow-up vs quota</a>"
         "<a href=\"#actions\">Actions due now</a><a href=\"#funnel\">Funnel</a>"
         "<a href=\"#lately\">What have you done for me lately</a></nav>\n</header>\n");
}

static void card(state *g, const char *id, int bad, const char *label, const char *fmt, ...) {
  va_list ap;
  put(g, "<div class=\"card%s\" id=\"%s\"><b>", bad ? " bad" : "", id);
  va_start(ap, fmt);
  vfprintf(g->out, fmt, ap);
  va_end(ap);
  put(g, "</b><span>%s</span></div>\n", label);
}

static void headline(state *g) {
  lg_rep_stats a;
  memset(&a, 0, sizeof a);
  if (lg_stats_rep_count(g->all) == 1) lg_stats_rep(g->all, 0, &a);
  put(g, "<section id=\"headline\">\n<h2>Headline</h2>\n");
  if (!g->n_cur) {
    put(g, "<p class=\"say\" id=\"empty-period\">No lead was assigned in this period: there is "
           "nothing to report.</p>\n</section>\n");
    return;
  }
  put(g, "<div class=\"cards\">\n");
  card(g, "h-leads", 0, "leads assigned in the period", "%lu", (unsigned long)g->n_cur);
  card(g, "h-in-sla", 0, "of assignments followed up within the SLA", "%.1f%%",
       pct(a.touched_in_sla, a.assigned));
  fputs("<div class=\"card\" id=\"h-median\"><b>", g->out);
  if (a.touched)
    put_duration(g, a.median_response);
  else
    put(g, "&#8211;");
  put(g, "</b><span>median first response%s</span></div>\n",
      g->business ? " (business hours)" : "");
  fputs("<div class=\"card\" id=\"h-p90\"><b>", g->out);
  if (a.touched)
    put_duration(g, a.p90_response);
  else
    put(g, "&#8211;");
  put(g, "</b><span>p90 first response</span></div>\n");
  card(g, "h-breached", a.breached > 0, "breached (deadline passed untouched)", "%u",
       (unsigned)a.breached);
  card(g, "h-overdue", a.open_overdue > 0, "open and overdue now", "%u", (unsigned)a.open_overdue);
  put(g,
      "</div>\n<table id=\"headline-table\"><caption>The headline in numbers</caption>\n"
      "<tbody>\n<tr><th>leads assigned</th><td class=\"n\">%lu</td></tr>\n"
      "<tr><th>assignments</th><td class=\"n\">%u</td></tr>\n"
      "<tr><th>followed up</th><td class=\"n\">%u</td></tr>\n"
      "<tr><th>followed up within the SLA</th><td class=\"n\">%u (%.1f%%)</td></tr>\n"
      "<tr><th>breached</th><td class=\"n\">%u</td></tr>\n"
      "<tr><th>open and overdue now</th><td class=\"n\">%u</td></tr>\n</tbody>\n</table>\n"
      "</section>\n",
      (unsigned long)g->n_cur, (unsigned)a.assigned, (unsigned)a.touched,
      (unsigned)a.touched_in_sla, pct(a.touched_in_sla, a.assigned), (unsigned)a.breached,
      (unsigned)a.open_overdue);
}

static void rep_table(state *g) {
  size_t i;
  int    any = 0;
  put(g, "<section id=\"reps\">\n<h2>Reps</h2>\n");
  if (!g->n_rows) {
    put(g, "<p class=\"say\">No rep had an assignment in this period.</p>\n</section>\n");
    return;
  }
  put(g,
      "<table class=\"sortable\" id=\"rep-table\"><caption>Per rep; click a heading to "
      "sort. Response times in %s.</caption>\n<thead><tr><th>rep</th><th class=\"n\">"
      "assigned</th><th class=\"n\">touched</th><th class=\"n\">in SLA</th><th class=\"n\">"
      "in SLA %%</th><th class=\"n\">breached</th><th class=\"n\">open overdue</th>"
      "<th class=\"n\">median response</th><th class=\"n\">p90 response</th><th class=\"n\">"
      "attainment</th></tr></thead>\n<tbody>\n",
      g->business ? "business hours" : "wall-clock hours");
  for (i = 0; i < g->n_rows; i++) {
    const rep_row *r = &g->rows[i];
    any |= r->worst;
    put(g, "<tr%s><td>", r->worst ? " class=\"worst\"" : "");
    esc(g, r->st.rep);
    if (r->worst) put(g, " <span class=\"flag\" title=\"worst offender\">&#9873; worst</span>");
    put(g,
        "</td><td class=\"n\" data-v=\"%u\">%u</td><td class=\"n\" data-v=\"%u\">%u</td>"
        "<td class=\"n\" data-v=\"%u\">%u</td><td class=\"n\" data-v=\"%.4f\">%.1f</td>"
        "<td class=\"n\" data-v=\"%u\">%u</td><td class=\"n\" data-v=\"%u\">%u</td>",
        (unsigned)r->st.assigned, (unsigned)r->st.assigned, (unsigned)r->st.touched,
        (unsigned)r->st.touched, (unsigned)r->st.touched_in_sla, (unsigned)r->st.touched_in_sla,
        r->rate, 100.0 * r->rate, (unsigned)r->st.breached, (unsigned)r->st.breached,
        (unsigned)r->st.open_overdue, (unsigned)r->st.open_overdue);
    put(g, "<td class=\"n\" data-v=\"%lld\">",
        r->st.touched ? (long long)r->st.median_response : -1LL);
    if (r->st.touched) put_duration(g, r->st.median_response);
    put(g, "</td><td class=\"n\" data-v=\"%lld\">",
        r->st.touched ? (long long)r->st.p90_response : -1LL);
    if (r->st.touched) put_duration(g, r->st.p90_response);
    put(g, "</td><td class=\"n\" data-v=\"%.4f\">", r->has_att ? r->att : -1.0);
    if (r->has_att) put(g, "%.2f", r->att);
    put(g, "</td></tr>\n");
  }
  put(g, "</tbody>\n</table>\n");
  if (any)
    put(g, "<p>&#9873; <b>worst offenders</b>: ranked by leads open and overdue now, then "
           "breaches, then the lowest in-SLA rate; the first third of the reps (those with a "
           "breach) are marked.</p>\n");
  put(g, "</section>\n");
}

/* ---- response times -------------------------------------------------------------- */

static lg_duration response(const state *g, lg_time a, lg_time t) {
  lg_duration d = t - a;
  if (g->business && lg_calendar_between(lg_policy_calendar(g->policy), a, t, &d) != LG_OK)
    cli_die(cli_name(), "lg_calendar_between failed");
  return d;
}

/* Calls fn for every touched assignment of the period held by `rep`. */
typedef void (*touch_fn)(state *g, const char *lead, lg_time at, lg_time touched, void *ctx);

static void each_touch(state *g, const char *rep, touch_fn fn, void *ctx) {
  size_t      i, k;
  const char *owner;
  lg_time     at, touched;
  for (i = 0; i < g->n_cur; i++)
    for (k = 0; lg_lead_assignment_at(g->cur[i].lead, k, &owner, &at, &touched) == LG_OK; k++)
      if (at <= g->o.now && touched != LG_TIME_NEVER && touched <= g->o.now &&
          strcmp(owner, rep) == 0)
        fn(g, lg_lead_id(g->cur[i].lead), at, touched, ctx);
}

typedef struct strip {
  double      scale, y; /* px an hour; the row's y */
  lg_duration max;
  int         pass; /* 0: find max; 1: draw; 2: table rows */
} strip;

static void strip_touch(state *g, const char *lead, lg_time at, lg_time touched, void *ctx) {
  strip      *s = ctx;
  lg_duration d = response(g, at, touched);
  if (s->pass == 0) {
    if (d > s->max) s->max = d;
  } else if (s->pass == 1) {
    int late = g->has_sla && d > g->target;
    put(g,
        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" class=\"%s\" fill=\"%s\" "
        "fill-opacity=\"0.75\"><title>",
        130.0 + (double)d / 3600.0 * s->scale, s->y, late ? "late" : "ok",
        late ? "#b3261e" : "#3d6fb6");
    esc(g, lead);
    put(g, ": ");
    put_duration(g, d);
    put(g, "</title></circle>\n");
  } else {
    put(g, "<li>");
    esc(g, lead);
    put(g, " ");
    put_duration(g, d);
    put(g, "%s</li>", g->has_sla && d > g->target ? " (late)" : "");
  }
}

static void response_times(state *g) {
  size_t i;
  strip  s;
  double width = 860, height;
  put(g, "<section id=\"response\">\n<h2>Response times per rep</h2>\n");
  if (!g->n_rows) {
    put(g, "<p class=\"say\">No rep had an assignment in this period.</p>\n</section>\n");
    return;
  }
  memset(&s, 0, sizeof s);
  s.max = g->has_sla ? g->target : 3600;
  for (i = 0; i < g->n_rows; i++) each_touch(g, g->rows[i].st.rep, strip_touch, &s);
  if (g->has_sla && s.max < g->target + g->target / 4) s.max = g->target + g->target / 4;
  s.scale = (width - 150) / ((double)s.max / 3600.0);
  height = 50.0 + 30.0 * (double)g->n_rows;
  put(g,
      "<svg id=\"response-chart\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
      "height=\"%.0f\" aria-labelledby=\"rt-title\">\n"
      "<title id=\"rt-title\">First response time of every followed-up assignment, per rep, "
      "in %s; the line is the SLA target</title>\n",
      width, height, width, height, g->business ? "business hours" : "hours");
  for (i = 0; i < g->n_rows; i++) {
    double y = 30.0 + 30.0 * (double)i + 15.0;
    put(g,
        "<line x1=\"130\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e7ee\" />\n"
        "<text x=\"122\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">",
        width - 20, y, y, y);
    esc(g, g->rows[i].st.rep);
    put(g, "</text>\n");
    s.pass = 1;
    s.y = y;
    each_touch(g, g->rows[i].st.rep, strip_touch, &s);
    if (g->rows[i].st.touched) {
      double x = 130.0 + (double)g->rows[i].st.median_response / 3600.0 * s.scale;
      put(g,
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2330\" "
          "stroke-width=\"2\"><title>median ",
          x, x, y - 9, y + 9);
      put_duration(g, g->rows[i].st.median_response);
      put(g, "</title></line>\n");
    }
  }
  {
    int    h;
    double step = s.max > 48 * 3600 ? 12 : s.max > 12 * 3600 ? 6 : 1;
    double bottom = 30.0 + 30.0 * (double)g->n_rows + 4;
    for (h = 0; h <= (int)((double)s.max / 3600.0); h += (int)step)
      put(g, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#5a6475\">%dh</text>\n",
          130.0 + h * s.scale, bottom + 12, h);
  }
  if (g->has_sla) {
    double x = 130.0 + (double)g->target / 3600.0 * s.scale;
    put(g,
        "<line id=\"sla-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"22\" y2=\"%.1f\" stroke=\"#b3261e\" "
        "stroke-width=\"2\" stroke-dasharray=\"6 4\"><title>SLA target ",
        x, x, 30.0 + 30.0 * (double)g->n_rows);
    put_duration(g, g->target);
    put(g,
        "</title></line>\n<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\" "
        "fill=\"#b3261e\">SLA ",
        x);
    put_duration(g, g->target);
    put(g, "</text>\n");
  }
  put(g, "</svg>\n<table id=\"response-table\"><caption>The chart's numbers: each rep's "
         "response times (dot: one followed-up assignment; bar: the median)</caption>\n"
         "<thead><tr><th>rep</th><th class=\"n\">median</th><th class=\"n\">p90</th>"
         "<th>every response</th></tr></thead>\n<tbody>\n");
  for (i = 0; i < g->n_rows; i++) {
    put(g, "<tr><td>");
    esc(g, g->rows[i].st.rep);
    put(g, "</td><td class=\"n\">");
    if (g->rows[i].st.touched) put_duration(g, g->rows[i].st.median_response);
    put(g, "</td><td class=\"n\">");
    if (g->rows[i].st.touched) put_duration(g, g->rows[i].st.p90_response);
    put(g, "</td><td><ul class=\"inline\">");
    s.pass = 2;
    each_touch(g, g->rows[i].st.rep, strip_touch, &s);
    put(g, "</ul></td></tr>\n");
  }
  put(g, "</tbody>\n</table>\n</section>\n");
}

/* ---- follow-up against quota --------------------------------------------------------- */

/* What r, n and the interval say, in a manager's words.  The interval is
 * Fisher's: z = atanh(r) has a standard error of 1 / sqrt(n - 3), so
 * tanh(z +- 1.96 / sqrt(n - 3)) covers the true correlation 95% of the
 * time (for reps drawn alike); it needs n >= 4. */
static void correlation_words(state *g, double r, size_t n) {
  const char *strength = fabs(r) >= 0.7 ? "strong" : fabs(r) >= 0.4 ? "moderate" : "weak";
  put(g,
      "<p class=\"say\" id=\"quota-verdict\">Pearson <var>r</var> = <b id=\"quota-r\">%.3f"
      "</b> over <b id=\"quota-n\">%lu</b> reps (a %s %s link). ",
      r, (unsigned long)n, strength, r >= 0 ? "positive" : "negative");
  if (n < 4) {
    put(g, "With fewer than 4 reps no confidence interval can be computed: <b>too few reps to "
           "conclude anything</b>; read the points one by one.</p>\n");
    return;
  }
  {
    double z = atanh(r > 0.999999 ? 0.999999 : r < -0.999999 ? -0.999999 : r);
    double se = 1.0 / sqrt((double)n - 3.0);
    double lo = tanh(z - 1.96 * se), hi = tanh(z + 1.96 * se);
    put(g, "95%% confidence interval: <b id=\"quota-ci\">%.3f to %.3f</b> (Fisher z). ", lo, hi);
    if (lo <= 0.0 && hi >= 0.0)
      put(g,
          "The interval includes zero: <b>with %lu reps this data cannot tell</b> whether "
          "reps who follow up on time reach more of their quota. It is not evidence "
          "either way; more reps or more months would be.</p>\n",
          (unsigned long)n);
    else if (r > 0)
      put(g, "Even at the low end the link is positive: <b>reps who follow up within the SLA "
             "reach more of their quota</b>. This shows they go together, not that one "
             "causes the other.</p>\n");
    else
      put(g, "Even at the high end the link is negative: <b>reps who follow up within the SLA "
             "reach less of their quota</b> here; look at what else differs between them.</p>\n");
  }
}

static void quota(state *g) {
  size_t    i, k = 0, n_skipped = 0, n = g->reps.n;
  double    r = 0, xmin = 0, xmax = 0;
  lg_status st = LG_ERR_NOT_FOUND;
  put(g, "<section id=\"quota\">\n<h2>Follow-up vs quota</h2>\n");
  g->names = xmalloc(n * sizeof *g->names);
  g->skipped = xmalloc(n * sizeof *g->skipped);
  g->att = xmalloc(n * sizeof *g->att);
  if (g->o.reps && g->reps.attainment_column)
    k = data_correlation_set(&g->reps, g->stats, g->names, g->att, g->skipped, &n_skipped);
  if (k) st = lg_stats_correlation(g->stats, g->names, g->att, k, &r);
  if (st != LG_OK) {
    put(g, "<p class=\"say\" id=\"quota-lacks\">This section lacks data: ");
    if (!g->o.reps)
      put(g, "no reps file was given (--reps), so there is no quota attainment to compare "
             "with.");
    else if (!g->reps.attainment_column) {
      put(g, "the reps file ");
      esc(g, g->o.reps);
      put(g, " has no attainment column.");
    } else if (k < 2)
      put(g,
          "fewer than 2 reps have both an attainment and assignments in the period (%lu "
          "has).",
          (unsigned long)k);
    else
      put(g, "every rep has the same in-SLA rate or the same attainment, so there is nothing "
             "to correlate.");
    put(g, "</p>\n");
    if (g->o.reps && !g->reps.attainment_column)
      cli_note("note: %s has no attainment column: the follow-up vs quota section lacks data",
               g->o.reps);
    else if (g->o.reps && k < 2)
      cli_note("note: fewer than 2 reps with an attainment and assignments: the follow-up vs "
               "quota section lacks data");
  } else {
    double w = 460, h = 320, l = 60, b = 40, t = 20, rr = 20;
    xmin = xmax = g->att[0];
    for (i = 1; i < k; i++) {
      if (g->att[i] < xmin) xmin = g->att[i];
      if (g->att[i] > xmax) xmax = g->att[i];
    }
    xmin -= 0.05;
    xmax += 0.05;
    correlation_words(g, r, k);
    put(g,
        "<svg id=\"quota-chart\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
        "height=\"%.0f\" aria-labelledby=\"q-title\">\n"
        "<title id=\"q-title\">In-SLA follow-up rate against quota attainment, one dot per "
        "rep</title>\n"
        "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#f7f9fc\" "
        "stroke=\"#d8dde6\" />\n",
        w, h, w, h, l, t, w - l - rr, h - t - b);
    for (i = 0; i <= 4; i++) {
      double y = t + (h - t - b) * (1.0 - (double)i / 4.0);
      put(g,
          "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\" "
          "fill=\"#5a6475\">%d%%</text>\n",
          l - 6, y, (int)i * 25);
    }
    put(g,
        "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"start\" fill=\"#5a6475\">%.2f</text>"
        "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" fill=\"#5a6475\">%.2f</text>\n"
        "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">quota attainment</text>\n"
        "<text x=\"14\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.0f)\">"
        "in SLA</text>\n",
        l, h - b + 16, xmin, w - rr, h - b + 16, xmax, (l + w - rr) / 2, h - 6, (t + h - b) / 2,
        (t + h - b) / 2);
    for (i = 0; i < k; i++) {
      size_t j;
      double rate = 0;
      for (j = 0; j < g->n_rows; j++)
        if (strcmp(g->rows[j].st.rep, g->names[i]) == 0) rate = g->rows[j].rate;
      {
        double x = l + (w - l - rr) * (g->att[i] - xmin) / (xmax - xmin);
        double y = t + (h - t - b) * (1.0 - rate);
        put(g, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#3d6fb6\"><title>", x, y);
        esc(g, g->names[i]);
        put(g,
            ": attainment %.2f, in SLA %.1f%%</title></circle>\n<text x=\"%.1f\" "
            "y=\"%.1f\" fill=\"#1d2330\" text-anchor=\"%s\">",
            g->att[i], 100.0 * rate, x > w * 0.7 ? x - 8 : x + 8, i % 2 ? y + 16 : y - 8,
            x > w * 0.7 ? "end" : "start");
        esc(g, g->names[i]);
        put(g, "</text>\n");
      }
    }
    put(g, "</svg>\n");
  }
  if (k) {
    put(g, "<table id=\"quota-table\"><caption>The chart's numbers</caption>\n<thead><tr>"
           "<th>rep</th><th class=\"n\">attainment</th><th class=\"n\">in SLA %%</th></tr>"
           "</thead>\n<tbody>\n");
    for (i = 0; i < k; i++) {
      size_t j;
      double rate = 0;
      for (j = 0; j < g->n_rows; j++)
        if (strcmp(g->rows[j].st.rep, g->names[i]) == 0) rate = g->rows[j].rate;
      put(g, "<tr><td>");
      esc(g, g->names[i]);
      put(g, "</td><td class=\"n\">%.2f</td><td class=\"n\">%.1f</td></tr>\n", g->att[i],
          100.0 * rate);
    }
    put(g, "</tbody>\n</table>\n");
  }
  for (i = 0; i < n_skipped; i++) {
    put(g, "<p>");
    esc(g, g->skipped[i]);
    put(g, " has an attainment but no assignments in the period: left out.</p>\n");
  }
  put(g, "</section>\n");
}

/* ---- actions due now ------------------------------------------------------------------- */

/* The lead's "why": its verdict, grade and score, and its largest
 * contributions (lg_explain), at most three. */
static void why(state *g, const scored *s) {
  lg_contribution items[64], *it = items;
  size_t          n = 0, i, shown = 0;
  lg_status       st = lg_explain(g->rubric, s->lead, g->o.now, items, 64, &n);
  const char     *next;
  lg_points       gain;
  put(g, "<td>%s", lg_verdict_name((lg_verdict)s->d.verdict));
  if (s->d.grade[0]) {
    put(g, ", grade ");
    esc(g, s->d.grade);
  }
  put(g, "; fit ");
  put_points(g, s->d.score.fit);
  put(g, ", engagement ");
  put_points(g, s->d.score.engagement);
  if (st == LG_ERR_BUFFER) {
    it = xmalloc(n * sizeof *it);
    st = lg_explain(g->rubric, s->lead, g->o.now, it, n, &n);
  }
  if (st == LG_OK) {
    put(g, "<br />");
    for (; shown < 3; shown++) {
      size_t best = n;
      for (i = 0; i < n; i++)
        if (it[i].points > 0 && it[i].kind != LG_KIND_KNOCKOUT &&
            (best == n || it[i].points > it[best].points))
          best = i;
      if (best == n) break;
      put(g, "%s", shown ? ", " : "");
      esc(g, it[best].criterion);
      put(g, " +");
      put_points(g, it[best].points);
      it[best].points = -it[best].points - 1; /* taken */
    }
    for (i = 0; i < n; i++)
      if (it[i].kind == LG_KIND_KNOCKOUT && it[i].points > 0) {
        put(g, "%sknockout: ", shown++ ? ", " : "");
        esc(g, it[i].criterion);
      }
    if (!shown) put(g, "nothing scored yet");
  }
  if (it != items) free(it);
  put(g, "</td><td>");
  if (lg_next_question(g->rubric, s->lead, &next, &gain) == LG_OK) {
    put(g, "ask about <b>");
    esc(g, next);
    put(g, "</b> (up to +");
    put_points(g, gain);
    put(g, ")");
  } else {
    put(g, "nothing missing");
  }
  put(g, "</td>");
}

static int owner_cmp(const void *a, const void *b) {
  const assigned *x = *(const assigned *const *)a, *y = *(const assigned *const *)b;
  int             c = strcmp(lg_lead_owner(x->lead), lg_lead_owner(y->lead));
  if (c) return c;
  return x->sla.action > y->sla.action ? -1 : x->sla.action < y->sla.action;
}

static void actions(state *g) {
  size_t        i, n = 0;
  assigned    **due = xmalloc(g->n_cur * sizeof *due);
  const char   *rep = NULL;
  unsigned long counts[6] = { 0 };
  put(g, "<section id=\"actions\">\n<h2>Actions due now</h2>\n");
  for (i = 0; i < g->n_cur; i++)
    if (g->cur[i].sla.action != LG_ACTION_NONE) {
      due[n++] = &g->cur[i];
      if (g->cur[i].sla.action >= 0 && g->cur[i].sla.action < 6) counts[g->cur[i].sla.action]++;
    }
  if (!n) {
    put(g, "<p class=\"say\">Nothing is due now.</p>\n</section>\n");
    free(due);
    return;
  }
  put(g,
      "<p id=\"action-counts\">%lu lead%s need%s action: %lu warn, %lu remind, %lu escalate, "
      "%lu reassign, %lu recycle. Each with why it scores as it does and the question "
      "to ask next, so no call is made blind.</p>\n",
      (unsigned long)n, n == 1 ? "" : "s", n == 1 ? "s" : "", counts[LG_ACTION_WARN],
      counts[LG_ACTION_REMIND], counts[LG_ACTION_ESCALATE], counts[LG_ACTION_REASSIGN],
      counts[LG_ACTION_RECYCLE]);
  qsort(due, n, sizeof *due, owner_cmp);
  for (i = 0; i < n; i++) {
    const assigned *a = due[i];
    const char     *action = lg_action_name((lg_action)a->sla.action);
    if (!rep || strcmp(rep, lg_lead_owner(a->lead)) != 0) {
      if (rep) put(g, "</tbody>\n</table>\n");
      rep = lg_lead_owner(a->lead);
      put(g, "<h3>");
      esc(g, rep);
      put(g, "</h3>\n<table class=\"actions\"><thead><tr><th>lead</th><th>action</th>"
             "<th>SLA</th><th>due</th><th>why</th><th>ask next</th></tr></thead>\n<tbody>\n");
    }
    put(g, "<tr><td>");
    esc(g, lg_lead_id(a->lead));
    put(g, "</td><td><span class=\"act act-%s\">%s</span>", action, action);
    if (a->sla.action == LG_ACTION_REASSIGN) {
      if (a->new_owner) {
        put(g, " to <b>");
        esc(g, a->new_owner);
        put(g, "</b>");
      } else {
        put(g, g->reps.n ? " (nobody can take it)" : " (no reps file)");
      }
    }
    put(g, "</td><td>%s</td><td>", lg_sla_state_name((lg_sla_state)a->sla.state));
    put_time(g, a->sla.due_at);
    put(g, "</td>");
    if (a->s)
      why(g, a->s);
    else
      put(g, "<td colspan=\"2\">not in the leads file: no score</td>");
    put(g, "</tr>\n");
  }
  put(g, "</tbody>\n</table>\n</section>\n");
  free(due);
}

/* ---- funnel and threshold ---------------------------------------------------------------- */

static void funnel(state *g) {
  unsigned long verdicts[3] = { 0, 0, 0 };
  char          grades[16][16];
  unsigned long gcount[16], *bins;
  size_t        n_grades = 0, i, j, n_bins, reps = g->reps.n ? g->reps.n : g->n_rows;
  int           on_fit = g->fit_needed >= 0;
  lg_points     maxv = 0, cal = -1;
  size_t        passing = 0, capacity_total = 0;
  unsigned long binmax = 1;
  double        months = 1.0;
  const char   *dim = on_fit ? "fit" : "total";

  put(g, "<section id=\"funnel\">\n<h2>Funnel and threshold</h2>\n");
  if (!g->n_leads) {
    put(g, "<p class=\"say\">The leads file has no leads.</p>\n</section>\n");
    return;
  }
  for (i = 0; i < g->n_leads; i++) {
    const lg_decision *d = &g->leads[i].d;
    lg_points          v = on_fit ? d->score.fit : d->score.total;
    if (d->verdict >= 0 && d->verdict < 3) verdicts[d->verdict]++;
    for (j = 0; j < n_grades && strcmp(grades[j], d->grade) != 0; j++) {
    }
    if (j == n_grades && n_grades < 16) {
      memcpy(grades[n_grades], d->grade, sizeof grades[0]);
      gcount[n_grades++] = 0;
    }
    if (j < 16) gcount[j]++;
    if (v > maxv) maxv = v;
  }
  put(g,
      "<p>All %lu leads of the leads file, decided as of now.</p>\n<table id=\"verdicts\">"
      "<caption>Counts by verdict</caption>\n<thead><tr><th>verdict</th><th class=\"n\">"
      "leads</th></tr></thead>\n<tbody>\n",
      (unsigned long)g->n_leads);
  for (i = 0; i < 3; i++)
    put(g, "<tr><td>%s</td><td class=\"n\" id=\"verdict-%s\">%lu</td></tr>\n",
        lg_verdict_name((lg_verdict)i), lg_verdict_name((lg_verdict)i), verdicts[i]);
  /* grades in name order, no grade last */
  for (i = 1; i < n_grades; i++)
    for (j = i; j > 0 && (grades[j - 1][0] == '\0' ||
                          (grades[j][0] != '\0' && strcmp(grades[j - 1], grades[j]) > 0));
         j--) {
      char          tg[16];
      unsigned long tc = gcount[j];
      memcpy(tg, grades[j], sizeof tg);
      memcpy(grades[j], grades[j - 1], sizeof tg);
      memcpy(grades[j - 1], tg, sizeof tg);
      gcount[j] = gcount[j - 1];
      gcount[j - 1] = tc;
    }
  put(g, "</tbody>\n</table>\n<table id=\"grades\"><caption>Counts by grade</caption>\n"
         "<thead><tr><th>grade</th><th class=\"n\">leads</th></tr></thead>\n<tbody>\n");
  for (i = 0; i < n_grades; i++) {
    put(g, "<tr><td>");
    esc(g, grades[i][0] ? grades[i] : "(none)");
    put(g, "</td><td class=\"n\">%lu</td></tr>\n", gcount[i]);
  }
  put(g, "</tbody>\n</table>\n");

  /* the capacity threshold: --capacity leads a rep a month, for the reps
   * and the months of the period (one month without --since) */
  if (g->o.capacity >= 0) {
    const lg_lead **ls = xmalloc(g->n_leads * sizeof *ls);
    if (g->o.has_since) {
      months = (double)(g->o.now - g->o.since) / (30.436875 * 86400.0);
      if (months < 1.0) months = 1.0;
    }
    capacity_total = (size_t)((double)g->o.capacity * (double)reps * months + 0.5);
    for (i = 0; i < g->n_leads; i++) ls[i] = g->leads[i].lead;
    if (lg_calibrate(g->rubric, ls, g->n_leads, g->o.now, on_fit ? LG_DIM_FIT : LG_DIM_TOTAL,
                     capacity_total, &cal, &passing) != LG_OK)
      cli_die(cli_name(), "lg_calibrate failed");
    free((void *)ls);
  }
  n_bins = (size_t)(maxv / 1000) + 1;
  if (g->fit_needed >= 0 && (size_t)(g->fit_needed / 1000) + 1 > n_bins)
    n_bins = (size_t)(g->fit_needed / 1000) + 1;
  if (cal >= 0 && (size_t)(cal / 1000) + 1 > n_bins) n_bins = (size_t)(cal / 1000) + 1;
  bins = xmalloc(n_bins * sizeof *bins);
  memset(bins, 0, n_bins * sizeof *bins);
  for (i = 0; i < g->n_leads; i++) {
    lg_points v = on_fit ? g->leads[i].d.score.fit : g->leads[i].d.score.total;
    size_t    b = v < 0 ? 0 : (size_t)(v / 1000);
    if (b >= n_bins) b = n_bins - 1;
    if (++bins[b] > binmax) binmax = bins[b];
  }
  {
    double w = 860, h = 260, l = 50, t = 30, bt = 40, bw = (w - l - 20) / (double)n_bins;
    put(g,
        "<svg id=\"histogram\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
        "height=\"%.0f\" aria-labelledby=\"hist-title\">"
        "\n<title id=\"hist-title\">Leads by %s score, with the qualify threshold and the "
        "capacity threshold</title>\n",
        w, h, w, h, dim);
    for (i = 0; i < n_bins; i++) {
      double bh = (h - t - bt) * (double)bins[i] / (double)binmax;
      put(g,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3d6fb6\">"
          "<title>%s %lu to under %lu: %lu leads</title></rect>\n"
          "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#5a6475\">%lu</text>\n",
          l + bw * (double)i + 1, h - bt - bh, bw - 2, bh, dim, (unsigned long)i,
          (unsigned long)i + 1, bins[i], l + bw * ((double)i + 0.5), h - bt + 14, (unsigned long)i);
    }
    put(g, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%s score (points)</text>\n",
        (l + w) / 2, h - 6, dim);
    put(g, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" fill=\"#5a6475\">%lu</text>\n", l - 6,
        t + 4, binmax);
    if (g->fit_needed >= 0) {
      double x = l + bw * (double)g->fit_needed / 1000.0;
      put(g,
          "<line id=\"qualify-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" "
          "stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"6 4\"><title>qualify "
          "threshold: fit &gt;= ",
          x, x, t - 14, h - bt);
      put_points(g, g->fit_needed);
      put(g, "</title></line>\n<text x=\"%.1f\" y=\"%.0f\" fill=\"#b3261e\">qualify &gt;= ", x + 4,
          t - 4);
      put_points(g, g->fit_needed);
      put(g, "</text>\n");
    }
    if (cal >= 0) {
      double x = l + bw * (double)cal / 1000.0;
      put(g,
          "<line id=\"capacity-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" "
          "stroke=\"#2f6b4f\" stroke-width=\"2\"><title>capacity threshold: %s &gt;= ",
          x, x, t + 2, h - bt, dim);
      put_points(g, cal);
      /* left of its line when the qualify line is to the right */
      put(g,
          "</title></line>\n<text x=\"%.1f\" y=\"%.0f\" fill=\"#2f6b4f\" "
          "text-anchor=\"%s\">capacity &gt;= ",
          cal < g->fit_needed ? x - 4 : x + 4, t + 14, cal < g->fit_needed ? "end" : "start");
      put_points(g, cal);
      put(g, "</text>\n");
    }
    put(g, "</svg>\n");
  }
  put(g, "<table id=\"thresholds\"><caption>Thresholds</caption>\n<tbody>\n<tr><th>the "
         "policy's qualify rule</th><td>");
  esc(g, g->qualify ? g->qualify : "none");
  put(g, "</td></tr>\n");
  if (g->fit_needed >= 0) {
    put(g, "<tr><th>its fit threshold</th><td id=\"qualify-threshold\">");
    put_points(g, g->fit_needed);
    put(g, "</td></tr>\n");
  }
  if (cal >= 0) {
    put(g, "<tr><th>capacity threshold (lg_calibrate on %s)</th><td id=\"capacity-threshold\">",
        dim);
    put_points(g, cal);
    put(g,
        ": %lu leads score at or above it, for a capacity of %lu (%ld a rep a month x %lu "
        "reps x %.1f months)</td></tr>\n",
        (unsigned long)passing, (unsigned long)capacity_total, g->o.capacity, (unsigned long)reps,
        months);
  } else {
    put(g, "<tr><th>capacity threshold</th><td>give --capacity N (leads a rep can work a "
           "month) to see it</td></tr>\n");
  }
  put(g,
      "</tbody>\n</table>\n<table id=\"histogram-table\"><caption>The histogram's "
      "numbers</caption>\n<thead><tr><th>%s score</th><th class=\"n\">leads</th></tr>"
      "</thead>\n<tbody>\n",
      dim);
  for (i = 0; i < n_bins; i++)
    put(g, "<tr><td>%lu to under %lu</td><td class=\"n\">%lu</td></tr>\n", (unsigned long)i,
        (unsigned long)i + 1, bins[i]);
  put(g, "</tbody>\n</table>\n</section>\n");
  free(bins);
}

/* ---- what have you done for me lately ---------------------------------------------------- */

static void outcome(state *g, const assigned *a, size_t k, size_t n, lg_time at, lg_time touched) {
  const char *next_owner;
  lg_time     next_at, next_touched;
  if (touched != LG_TIME_NEVER && touched <= g->o.now) {
    lg_duration d = response(g, at, touched);
    put(g, "followed up after ");
    put_duration(g, d);
    put(g, "%s", !g->has_sla ? "" : d <= g->target ? ", within the SLA" : ", late");
  } else {
    put(g, "not followed up");
  }
  if (k + 1 < n &&
      lg_lead_assignment_at(a->lead, k + 1, &next_owner, &next_at, &next_touched) == LG_OK &&
      next_at <= g->o.now) {
    put(g, "; then reassigned to ");
    esc(g, next_owner);
    put(g, " on ");
    put_time(g, next_at);
  } else if (a->sla.state == LG_SLA_BREACHED) {
    put(g, "; overdue since ");
    put_time(g, a->sla.due_at);
  } else if (a->sla.state == LG_SLA_RUNNING || a->sla.state == LG_SLA_WARNING) {
    put(g, " yet; due ");
    put_time(g, a->sla.due_at);
  }
  if (a->sla.action != LG_ACTION_NONE && k + 1 == n)
    put(g, "; now: %s", lg_action_name((lg_action)a->sla.action));
}

static void lately(state *g) {
  size_t r, i, k;
  put(g, "<section id=\"lately\">\n<h2>What have you done for me lately</h2>\n");
  if (!g->n_rows) put(g, "<p class=\"say\">No rep received a lead in this period.</p>\n");
  for (r = 0; r < g->n_rows; r++) {
    const char *rep = g->rows[r].st.rep;
    put(g, "<h3>");
    esc(g, rep);
    put(g,
        ": %u received, %u followed up within the SLA</h3>\n<table class=\"lately\">"
        "<thead><tr><th>lead</th><th>received</th><th>what became of it</th><th>the lead "
        "now</th></tr></thead>\n<tbody>\n",
        (unsigned)g->rows[r].st.assigned, (unsigned)g->rows[r].st.touched_in_sla);
    for (i = 0; i < g->n_cur; i++) {
      const assigned *a = &g->cur[i];
      size_t          n = lg_lead_assignment_count(a->lead);
      const char     *owner;
      lg_time         at, touched;
      for (k = 0; k < n; k++) {
        if (lg_lead_assignment_at(a->lead, k, &owner, &at, &touched) != LG_OK) break;
        if (at > g->o.now || strcmp(owner, rep) != 0) continue;
        put(g, "<tr><td>");
        esc(g, lg_lead_id(a->lead));
        put(g, "</td><td>");
        put_time(g, at);
        put(g, "</td><td>");
        outcome(g, a, k, n, at, touched);
        put(g, "</td><td>");
        if (a->s) {
          put(g, "%s", lg_verdict_name((lg_verdict)a->s->d.verdict));
          if (a->s->d.grade[0]) {
            put(g, ", grade ");
            esc(g, a->s->d.grade);
          }
        } else {
          put(g, "not in the leads file");
        }
        put(g, "</td></tr>\n");
      }
    }
    put(g, "</tbody>\n</table>\n");
  }
  put(g, "</section>\n");
}

int main(int argc, char **argv) {
  state *g = &the_state;

  cli_init("leadgate-report", usage_line);
  atexit(release);
  parse_args(argc, argv, &g->o);
  g->rubric = cli_load_rubric(g->o.rubric);
  g->policy = cli_load_policy(g->o.policy);
  data_inputs_collect(&g->in, g->rubric, g->policy);
  g->qualify = data_qualify_rule(g->policy, &g->fit_needed);
  g->has_sla = data_followup(g->policy, &g->target, &g->business);
  load_leads(g);
  data_load_assignments(&g->as, &g->csv, g->o.assignments, NULL);
  if (g->o.reps) data_load_reps(&g->reps, &g->csv, g->o.reps);
  evaluate(g);
  rank_reps(g);

  /* everything is read: now the page */
  if (g->o.out && strcmp(g->o.out, "-") != 0) {
    if (!(g->out = fopen(g->o.out, "w"))) cli_die(g->o.out, "cannot write: %s", strerror(errno));
  } else {
    g->out = stdout;
  }
  head(g);
  headline(g);
  rep_table(g);
  response_times(g);
  quota(g);
  actions(g);
  funnel(g);
  lately(g);
  put(g,
      "<footer><p class=\"sub\">leadgate-report %s. Every chart's numbers are in the table "
      "under it.</p></footer>\n<script>\n%s</script>\n</body>\n</html>\n",
      lg_version_string(), script);
  if (fflush(g->out) != 0 || ferror(g->out)) cli_die(g->o.out ? g->o.out : "stdout", "write error");
  return g->unknown_leads || g->as.dropped_touches ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}
