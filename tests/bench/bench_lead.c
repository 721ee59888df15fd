/*
 * bench_lead.c - cost of building leads shaped like the reference data.
 *
 *   bench_lead [LEADS] [WAY]    leads (default 200,000); WAY runs one
 *                               build of one kind only, for callgrind
 *
 * The leads are made up in memory first (a fixed seed), shaped like
 * examples/gen_sample.py's: 11 columns of which about 9.7 are set per
 * lead (8 text, 2 whole numbers, a boolean), about 7.7 events per lead
 * over 6 types (most of them one type), times in order but for about 4%
 * that come a little early.  Event types are passed as pointers from one
 * table of the known types, as a CSV reader that interns them would.
 *
 * Two ways of building every lead, each timed with attributes only and
 * with attributes and events (the events' cost is the difference):
 *   old: lg_lead_create, lg_lead_set_* per attribute, lg_lead_add_event
 *        per event, lg_lead_free;
 *   new: one lead, lg_lead_reset, lg_lead_reserve, lg_lead_set_* per
 *        attribute, one lg_lead_add_events per lead.
 * The attribute figure includes the per-lead create and free (or reset
 * and reserve).
 *
 * Prints, per way (best and median of BENCH_RUNS runs):
 *   lead_build way=old ns_per_lead=... median=... ns_per_attr=... median=...
 *     ns_per_event=... median=...
 *
 * With WAY (none, old-attrs, old, new-attrs, new) it builds once that way
 * and prints nothing timed: the instruction counts of two such runs under
 * valgrind --tool=callgrind, differenced, give instructions per attribute
 * and per event ("none" only makes the data).
 *
 * Built with -DBENCH_LEAD_OLD_ONLY it has the old way only and links
 * against a library from before lg_lead_reset, for the figure before:
 *   cc -O2 -DBENCH_LEAD_OLD_ONLY -Iinclude -Itests tests/bench/bench_lead.c \
 *      OLD_BUILD/libleadgate.a -o bench_lead_before
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include <string.h>

typedef struct col {
  const char *name;
  int         kind;    /* 0 text, 1 int, 2 bool */
  int         percent; /* of leads that have it */
} col;

static const col cols[] = {
  {"company", 0, 100},  {"need", 0, 70},     {"timeframe_months", 1, 80}, {"role", 0, 90},
  {"industry", 0, 80},  {"persona", 0, 85},  {"employees", 1, 85},        {"country", 0, 95},
  {"email_opt_in", 2, 100}, {"source", 0, 95}, {"notes", 0, 90},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static const char *const words[] = {
  "Pied Piper, SpA", "Acme SpA", "Gringotts S.A.", "high", "medium", "low", "decision maker",
  "economic buyer", "CTO", "finance", "saas", "marketer", "consultant", "buyer", "ES", "FR", "DE",
  "web form", "trade show", "content syndication", "partner", "met at booth 12, wants a call",
  "budget approved for Q1", "renewal of a competitor's contract in March"};
#define N_WORDS (sizeof words / sizeof words[0])

static const char *const types[] = {"content_download", "webinar_attended", "demo_requested",
                                    "page_view",        "email_opened",     "unsubscribed"};
static const int type_weight[] = {70, 88, 94, 97, 99, 100}; /* cumulative percent */

typedef struct attr {
  const char *name, *text;
  int         kind;
  int64_t     num;
} attr;

typedef struct lead_data {
  char   id[24];
  size_t attr, n_attrs, ev, n_events, bytes;
} lead_data;

static lead_data   *leads;
static attr        *attrs;
static const char **ev_type;
static lg_time     *ev_at;
static size_t       n_leads, n_attrs, n_events;

static void make_data(size_t n) {
  size_t  i, k, cap_e = n * 20;
  lg_time t;
  leads = malloc(n * sizeof *leads);
  attrs = malloc(n * N_COLS * sizeof *attrs);
  ev_type = malloc(cap_e * sizeof *ev_type);
  ev_at = malloc(cap_e * sizeof *ev_at);
  if (!leads || !attrs || !ev_type || !ev_at) exit(1);
  for (i = 0; i < n; i++) {
    lead_data *l = &leads[i];
    size_t     ne = (size_t)bench_range(0, 15) + (bench_range(0, 9) == 0 ? 2 : 0);
    snprintf(l->id, sizeof l->id, "L-%06zu", i + 1);
    l->attr = n_attrs;
    l->bytes = 0;
    for (k = 0; k < N_COLS; k++) {
      attr *a = &attrs[n_attrs];
      if (bench_range(1, 100) > cols[k].percent) continue;
      a->name = cols[k].name;
      a->kind = cols[k].kind;
      a->text = words[bench_range(0, N_WORDS - 1)];
      a->num = a->kind == 2 ? bench_range(0, 1) : bench_range(1, 5000);
      l->bytes += strlen(a->name) + (a->kind == 0 ? strlen(a->text) : 0);
      n_attrs++;
    }
    l->n_attrs = n_attrs - l->attr;
    l->ev = n_events;
    l->n_events = ne;
    t = INT64_C(1786000000) + bench_range(0, 86400 * 90);
    for (k = 0; k < ne; k++) {
      int w = (int)bench_range(1, 100), j = 0;
      while (type_weight[j] < w) j++;
      t += bench_range(1, 86400 * 3);
      ev_type[n_events] = types[j];
      ev_at[n_events] = bench_range(0, 24) == 0 ? t - bench_range(1, 86400 * 6) : t;
      l->bytes += strlen(types[j]);
      n_events++;
    }
  }
  n_leads = n;
}

static void set_attrs(lg_lead *lead, const lead_data *l) {
  size_t k;
  for (k = l->attr; k < l->attr + l->n_attrs; k++) {
    const attr *a = &attrs[k];
    lg_status   st = a->kind == 0   ? lg_lead_set_text(lead, a->name, a->text)
                     : a->kind == 1 ? lg_lead_set_int(lead, a->name, a->num)
                                    : lg_lead_set_bool(lead, a->name, (int)a->num);
    bench_must(st, "set");
  }
}

/* Today's way: a lead per row, an event per call. */
static void build_old(int with_events) {
  size_t i, k;
  for (i = 0; i < n_leads; i++) {
    const lead_data *l = &leads[i];
    lg_lead         *lead;
    bench_must(lg_lead_create(l->id, &lead), "create");
    set_attrs(lead, l);
    if (with_events)
      for (k = l->ev; k < l->ev + l->n_events; k++)
        bench_must(lg_lead_add_event(lead, ev_type[k], ev_at[k]), "add_event");
    bench_sink += (int64_t)lg_lead_event_count(lead);
    lg_lead_free(lead);
  }
}

#ifndef BENCH_LEAD_OLD_ONLY
/* The new way: one lead reset per row, the events as one batch. */
static void build_new(int with_events) {
  lg_lead *lead;
  size_t   i;
  bench_must(lg_lead_create("first", &lead), "create");
  for (i = 0; i < n_leads; i++) {
    const lead_data *l = &leads[i];
    bench_must(lg_lead_reset(lead, l->id), "reset");
    bench_must(lg_lead_reserve(lead, l->n_attrs, with_events ? l->n_events : 0, l->bytes),
               "reserve");
    set_attrs(lead, l);
    if (with_events)
      bench_must(lg_lead_add_events(lead, ev_type + l->ev, ev_at + l->ev, l->n_events),
                 "add_events");
    bench_sink += (int64_t)lg_lead_event_count(lead);
  }
  lg_lead_free(lead);
}
#endif

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts runs[] and gives the best and the median, scaled to ns per unit. */
static void best_median(double *runs, double units, double *best, double *median) {
  qsort(runs, BENCH_RUNS, sizeof runs[0], cmp_double);
  *best = runs[0] * 1e9 / units;
  *median = runs[BENCH_RUNS / 2] * 1e9 / units;
}

static void time_way(const char *name, void (*build)(int)) {
  double lead_t[BENCH_RUNS], attr_t[BENCH_RUNS], event_t[BENCH_RUNS], t0, t1, t2;
  double lb, lm, ab, am, eb, em;
  int    run;
  build(1); /* warm up */
  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    build(0);
    t1 = bench_now();
    build(1);
    t2 = bench_now();
    attr_t[run] = t1 - t0;
    lead_t[run] = t2 - t1;
    event_t[run] = (t2 - t1) - (t1 - t0);
  }
  best_median(lead_t, (double)n_leads, &lb, &lm);
  best_median(attr_t, (double)n_attrs, &ab, &am);
  best_median(event_t, (double)n_events, &eb, &em);
  printf("lead_build way=%s ns_per_lead=%.1f median=%.1f ns_per_attr=%.1f median=%.1f "
         "ns_per_event=%.1f median=%.1f\n",
         name, lb, lm, ab, am, eb, em);
}

int main(int argc, char **argv) {
  size_t      n = bench_size(argc, argv, 200000);
  const char *way = argc > 2 ? argv[2] : NULL;
  make_data(n);
  if (way) {
    if (strcmp(way, "old-attrs") == 0) build_old(0);
    else if (strcmp(way, "old") == 0) build_old(1);
#ifndef BENCH_LEAD_OLD_ONLY
    else if (strcmp(way, "new-attrs") == 0) build_new(0);
    else if (strcmp(way, "new") == 0) build_new(1);
#endif
    else if (strcmp(way, "none") != 0) return 2;
    printf("leads=%zu attributes=%zu events=%zu way=%s\n", n_leads, n_attrs, n_events, way);
    return 0;
  }
  printf("leads=%zu attrs_per_lead=%.2f events_per_lead=%.2f\n", n_leads,
         (double)n_attrs / (double)n_leads, (double)n_events / (double)n_leads);
  time_way("old", build_old);
#ifndef BENCH_LEAD_OLD_ONLY
  time_way("new", build_new);
#endif
  free(leads);
  free(attrs);
  free(ev_type);
  free(ev_at);
  return 0;
}
