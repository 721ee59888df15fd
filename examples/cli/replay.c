/*
 * replay.c - leadgate-replay: what a lead base costs to keep decided, and
 * how late each host notices a change, with and without lg_decision.next_at.
 *
 *   leadgate-replay --rubric FILE --policy FILE [--leads N] [--days D]
 *                   [--seed S] [--check]
 *
 * Simulates N leads (default 1,000,000) created at the start of a period of
 * D days (default 90), each with 5 to 11 events (content downloads,
 * webinars, now and then a demo request or an unsubscribe) arriving at
 * random instants of the period, all drawn from a deterministic stream
 * (--seed, default 1).  Two hosts keep every lead's decision (verdict,
 * grade, recommended stage):
 *   nightly   decides every lead at the start and at every midnight, as
 *             marketing-automation products rescore in batches;
 *   next_at   decides a lead when an event arrives and when its next_at
 *             comes, from a min-heap on next_at.
 * A change is an instant at which a lead's decision differs from the one
 * the second before.  The next_at host sees every change at its instant
 * (checked as it runs: the decision one second before each change it sees
 * is the old one, and each night the nightly host's decisions agree with
 * its own); the nightly host sees a change at the first midnight that
 * comes before the lead's next change, or never.  Printed per host: decide
 * calls, changes caught and missed, and the delay from change to catch
 * (mean, 99th percentile, max, in seconds).
 *
 * --check (for small N) also scans every lead minute by minute over the
 * period and fails unless every change the scan finds was caught by the
 * next_at host within that minute.
 *
 * Exit status: 0; 1 when a check fails; 2 for bad usage or an unreadable or
 * malformed definition (FILE:LINE:COL: message).
 */
#include <leadgate.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_CHECK 1
#define EXIT_INPUT 2
#define EXIT_USAGE 2
#define DAY        INT64_C(86400)
#define START      INT64_C(1767571200) /* 2026-01-05T00:00:00Z, a midnight */

static const char usage_line[] =
  "usage: leadgate-replay --rubric FILE --policy FILE [--leads N] [--days D] [--seed S]"
  " [--check]\n";

static void bad_usage(const char *fmt, const char *arg) {
  fputs("leadgate-replay: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  fputs(usage_line, stderr);
  exit(EXIT_USAGE);
}

static void *must_alloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("leadgate-replay: out of memory\n", stderr);
    exit(EXIT_INPUT);
  }
  return p;
}

static void must(lg_status st, const char *what) {
  if (st != LG_OK) {
    fprintf(stderr, "leadgate-replay: %s: %s\n", what, lg_status_message(st));
    exit(EXIT_INPUT);
  }
}

static char *read_file(const char *path, size_t *len) {
  FILE  *f = fopen(path, "rb");
  char  *buf = NULL;
  size_t n = 0, cap = 0, got;
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    exit(EXIT_INPUT);
  }
  do {
    if (n + 4096 > cap) {
      char *b;
      cap = cap ? cap * 2 : 8192;
      b = realloc(buf, cap);
      if (!b) {
        fputs("leadgate-replay: out of memory\n", stderr);
        exit(EXIT_INPUT);
      }
      buf = b;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  if (ferror(f)) {
    fprintf(stderr, "%s: read error\n", path);
    exit(EXIT_INPUT);
  }
  fclose(f);
  *len = n;
  return buf;
}

static void definition_error(const char *path, const lg_error *err) {
  fprintf(stderr, "%s:%u:%u: %s\n", path, (unsigned)err->line, (unsigned)err->column,
          err->message);
  exit(EXIT_INPUT);
}

/* ---- options ------------------------------------------------------------- */

typedef struct options {
  const char *rubric, *policy;
  long long   leads, days, seed;
  int         check;
} options;

static long long number_arg(const char *opt, const char *val, long long lo, long long hi) {
  char     *end;
  long long v;
  errno = 0;
  v = strtoll(val, &end, 10);
  if (errno || end == val || *end || v < lo || v > hi) {
    fprintf(stderr, "leadgate-replay: %s: '%s' is not a whole number from %lld to %lld\n", opt,
            val, lo, hi);
    fputs(usage_line, stderr);
    exit(EXIT_USAGE);
  }
  return v;
}

static void parse_options(int argc, char **argv, options *o) {
  int i;
  o->rubric = o->policy = NULL;
  o->leads = 1000000;
  o->days = 90;
  o->seed = 1;
  o->check = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    size_t      n;
    if (strcmp(a, "--help") == 0) {
      fputs(usage_line, stdout);
      exit(0);
    }
    if (strcmp(a, "--check") == 0) {
      o->check = 1;
      continue;
    }
    if (strncmp(a, "--", 2) != 0) bad_usage("unexpected argument '%s'", a);
    n = strcspn(a, "=");
    if (a[n] == '=') val = a + n + 1;
    else if (i + 1 < argc) val = argv[++i];
    else bad_usage("option '%s' needs a value", a);
#define OPT(name) (n == sizeof name - 1 && strncmp(a, name, n) == 0)
    if (OPT("--rubric")) o->rubric = val;
    else if (OPT("--policy")) o->policy = val;
    else if (OPT("--leads")) o->leads = number_arg("--leads", val, 1, 100000000);
    else if (OPT("--days")) o->days = number_arg("--days", val, 1, 3650);
    else if (OPT("--seed")) o->seed = number_arg("--seed", val, 0, INT64_MAX);
    else bad_usage("unknown option '%s'", a);
#undef OPT
  }
  if (!o->rubric) bad_usage("%s", "--rubric is required");
  if (!o->policy) bad_usage("%s", "--policy is required");
}

/* ---- the lead base ------------------------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}
static long long range(long long lo, long long hi) {
  return lo + (long long)(rnd() % (uint64_t)(hi - lo + 1));
}

static const char *const needs[] = {"high", "medium", "low", "unknown"};
static const char *const roles[] = {"decision maker", "economic buyer", "influencer",
                                    "recommender", "intern"};
static const char *const industries[] = {"software", "saas", "retail", "mining"};
static const char *const personas[] = {"student", "consultant", "buyer", "engineer"};
static const char *const types[] = {"content_download", "webinar_attended", "demo_requested",
                                    "unsubscribed"};

static lg_lead *make_lead(long long i) {
  lg_lead *lead;
  char     id[32];
  snprintf(id, sizeof id, "lead-%lld", i);
  must(lg_lead_create(id, &lead), "lead");
  must(lg_lead_set_text(lead, "need", needs[range(0, 3)]), "lead");
  must(lg_lead_set_int(lead, "timeframe_months", range(0, 12)), "lead");
  must(lg_lead_set_text(lead, "role", roles[range(0, 4)]), "lead");
  must(lg_lead_set_text(lead, "industry", industries[range(0, 3)]), "lead");
  must(lg_lead_set_int(lead, "employees", range(1, 5000)), "lead");
  if (range(0, 3) == 0) must(lg_lead_set_text(lead, "persona", personas[range(0, 3)]), "lead");
  return lead;
}

typedef struct event {
  lg_time  at;
  uint32_t lead;
  uint32_t type;
} event;

static int by_time(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  if (x->lead != y->lead) return x->lead < y->lead ? -1 : 1;
  return 0;
}

/* ---- decisions ----------------------------------------------------------- */

typedef struct known {
  char    grade[16];
  int32_t verdict, stage;
} known;

static void remember(known *k, const lg_decision *d) {
  memcpy(k->grade, d->grade, sizeof k->grade);
  k->verdict = d->verdict;
  k->stage = d->stage;
}

static int same(const known *k, const lg_decision *d) {
  return k->verdict == d->verdict && k->stage == d->stage && strcmp(k->grade, d->grade) == 0;
}

/* ---- the min-heap on next_at --------------------------------------------- */

typedef struct heap {
  lg_time  *at;   /* per slot */
  uint32_t *lead; /* per slot */
  uint32_t *pos;  /* per lead: its slot, or UINT32_MAX */
  uint32_t  n;
} heap;

static void heap_place(heap *h, uint32_t slot, lg_time at, uint32_t lead) {
  h->at[slot] = at;
  h->lead[slot] = lead;
  h->pos[lead] = slot;
}

static void heap_up(heap *h, uint32_t slot) {
  lg_time  at = h->at[slot];
  uint32_t lead = h->lead[slot];
  while (slot > 0 && h->at[(slot - 1) / 2] > at) {
    uint32_t parent = (slot - 1) / 2;
    heap_place(h, slot, h->at[parent], h->lead[parent]);
    slot = parent;
  }
  heap_place(h, slot, at, lead);
}

static void heap_down(heap *h, uint32_t slot) {
  lg_time  at = h->at[slot];
  uint32_t lead = h->lead[slot];
  for (;;) {
    uint32_t c = 2 * slot + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && h->at[c + 1] < h->at[c]) c++;
    if (h->at[c] >= at) break;
    heap_place(h, slot, h->at[c], h->lead[c]);
    slot = c;
  }
  heap_place(h, slot, at, lead);
}

/* The lead's wake-up becomes `at` (LG_TIME_NEVER: none). */
static void heap_set(heap *h, uint32_t lead, lg_time at) {
  uint32_t slot = h->pos[lead];
  if (slot == UINT32_MAX) {
    if (at == LG_TIME_NEVER) return;
    slot = h->n++;
    heap_place(h, slot, at, lead);
    heap_up(h, slot);
    return;
  }
  if (at == LG_TIME_NEVER) { /* the last slot takes its place */
    h->pos[lead] = UINT32_MAX;
    if (slot != --h->n) {
      uint32_t moved = h->lead[h->n];
      heap_place(h, slot, h->at[h->n], moved);
      heap_up(h, slot);
      heap_down(h, h->pos[moved]);
    }
    return;
  }
  h->at[slot] = at;
  heap_up(h, slot);
  heap_down(h, h->pos[lead]);
}

/* ---- statistics ---------------------------------------------------------- */

typedef struct change {
  lg_time  at;
  uint32_t lead;
} change;

static int by_value(const void *a, const void *b) {
  lg_time x = *(const lg_time *)a, y = *(const lg_time *)b;
  return x < y ? -1 : x > y;
}

static void print_host(const char *name, long long calls, size_t caught, size_t missed,
                       lg_time *delays) {
  double  sum = 0;
  size_t  i;
  lg_time p99 = 0, max = 0;
  for (i = 0; i < caught; i++) sum += (double)delays[i];
  if (caught > 0) {
    qsort(delays, caught, sizeof *delays, by_value);
    p99 = delays[(caught * 99 + 99) / 100 - 1];
    max = delays[caught - 1];
  }
  printf("%-24s %14lld %14zu %10zu %14.1f %12lld %12lld\n", name, calls, caught, missed,
         caught ? sum / (double)caught : 0.0, (long long)p99, (long long)max);
}

int main(int argc, char **argv) {
  options      o;
  char        *text;
  size_t       len, n_events = 0, n_changes = 0, cap_changes = 1024, i, missed_a = 0,
                    caught_a = 0;
  lg_rubric   *rubric;
  lg_policy   *policy;
  lg_error     err;
  lg_lead    **leads;
  known       *seen;
  event       *events;
  change      *changes;
  lg_time     *delays, *next_change, end, night;
  heap         h;
  lg_decision  d;
  uint32_t     l, n;
  long long    calls_a = 0, calls_b = 0, by_event = 0, early = 0, disagree = 0, late = 0;
  int          status = 0;

  parse_options(argc, argv, &o);
  text = read_file(o.rubric, &len);
  if (lg_rubric_parse(text, len, &rubric, &err) != LG_OK) definition_error(o.rubric, &err);
  free(text);
  text = read_file(o.policy, &len);
  if (lg_policy_parse(text, len, &policy, &err) != LG_OK) definition_error(o.policy, &err);
  free(text);

  n = (uint32_t)o.leads;
  end = START + (lg_time)o.days * DAY;
  rng = (uint64_t)o.seed;
  leads = must_alloc(n, sizeof *leads);
  seen = must_alloc(n, sizeof *seen);
  events = must_alloc((size_t)n * 11, sizeof *events);
  for (l = 0; l < n; l++) {
    long long k, m = range(5, 11);
    leads[l] = make_lead(l);
    for (k = 0; k < m; k++) {
      long long r = range(0, 99);
      events[n_events].at = START + range(0, end - START - 1);
      events[n_events].lead = l;
      events[n_events].type = (uint32_t)(r < 55 ? 0 : r < 85 ? 1 : r < 97 ? 2 : 3);
      n_events++;
    }
  }
  qsort(events, n_events, sizeof *events, by_time);
  changes = must_alloc(cap_changes, sizeof *changes);
  h.at = must_alloc(n, sizeof *h.at);
  h.lead = must_alloc(n, sizeof *h.lead);
  h.pos = must_alloc(n, sizeof *h.pos);
  h.n = 0;

  /* Both hosts decide every lead at the start. */
  for (l = 0; l < n; l++) {
    must(lg_decide(rubric, policy, leads[l], START, &d), "decide");
    calls_a++;
    calls_b++;
    remember(&seen[l], &d);
    h.pos[l] = UINT32_MAX;
    heap_set(&h, l, d.next_at);
  }

  /* One timeline: events first at an instant, then wake-ups, then the
   * nightly run, which sees everything up to and including its instant. */
  i = 0;
  night = START + DAY;
  for (;;) {
    lg_time te = i < n_events ? events[i].at : LG_TIME_NEVER;
    lg_time th = h.n > 0 ? h.at[0] : LG_TIME_NEVER;
    lg_time tn = night <= end ? night : LG_TIME_NEVER, t = te;
    int     is_event = 0;
    if (th < t) t = th;
    if (tn < t) t = tn;
    if (t == LG_TIME_NEVER || t > end) break;
    if (te == t) { /* every event of this lead at this instant, then one decision */
      l = events[i].lead;
      while (i < n_events && events[i].at == t && events[i].lead == l)
        must(lg_lead_add_event(leads[l], types[events[i++].type], t), "event");
      is_event = 1;
    } else if (th == t) {
      l = h.lead[0];
    } else { /* the nightly run */
      for (l = 0; l < n; l++) {
        must(lg_decide(rubric, policy, leads[l], t, &d), "decide");
        calls_a++;
        if (!same(&seen[l], &d)) disagree++;
      }
      night += DAY;
      continue;
    }
    must(lg_decide(rubric, policy, leads[l], t, &d), "decide");
    calls_b++;
    if (!same(&seen[l], &d)) {
      lg_decision before;
      /* zero delay: one second earlier the decision was still the old one */
      must(lg_decide(rubric, policy, leads[l], t - 1, &before), "decide");
      if (!same(&seen[l], &before)) late++;
      if (n_changes == cap_changes) {
        change *c = realloc(changes, 2 * cap_changes * sizeof *changes);
        if (!c) must(LG_ERR_NOMEM, "changes");
        changes = c;
        cap_changes *= 2;
      }
      changes[n_changes].at = t;
      changes[n_changes].lead = l;
      n_changes++;
      by_event += is_event;
      remember(&seen[l], &d);
    } else if (!is_event) {
      early++;
    }
    heap_set(&h, l, d.next_at);
  }

  /* The nightly host catches a change at the first midnight at or after it,
   * if that comes before the lead's next change and within the period. */
  delays = must_alloc(n_changes, sizeof *delays);
  next_change = must_alloc(n, sizeof *next_change);
  for (l = 0; l < n; l++) next_change[l] = LG_TIME_NEVER;
  for (i = n_changes; i-- > 0;) {
    lg_time c = changes[i].at, r = START + (c - START + DAY - 1) / DAY * DAY;
    if (r <= end && r < next_change[changes[i].lead]) delays[caught_a++] = r - c;
    else missed_a++;
    next_change[changes[i].lead] = c;
  }

  printf("leadgate-replay: %u leads, %zu events over %lld days, seed %lld\n", n, n_events,
         o.days, o.seed);
  printf("%-24s %14s %14s %10s %14s %12s %12s\n", "host", "decide_calls", "changes_caught",
         "missed", "delay_mean_s", "delay_p99_s", "delay_max_s");
  print_host("nightly rescoring", calls_a, caught_a, missed_a, delays);
  for (i = 0; i < n_changes; i++) delays[i] = 0;
  print_host("next_at heap + events", calls_b, n_changes, 0, delays);
  printf("changes: %zu (%lld on an event, %lld by time alone); early wake-ups: %lld\n",
         n_changes, by_event, (long long)n_changes - by_event, early);
  printf("checks: changes seen late by the next_at host: %lld; nightly decisions that "
         "disagree with it: %lld\n",
         late, disagree);
  if (late || disagree) status = EXIT_CHECK;

  if (o.check) { /* every change a minute-by-minute scan finds, caught in its minute */
    size_t    found = 0, unmatched = 0;
    size_t   *first = must_alloc((size_t)n + 1, sizeof *first);
    change   *sorted = must_alloc(n_changes, sizeof *sorted);
    uint32_t *fill = must_alloc(n, sizeof *fill);
    for (i = 0; i < n_changes; i++) first[changes[i].lead + 1]++;
    for (l = 0; l < n; l++) first[l + 1] += first[l];
    for (i = 0; i < n_changes; i++) {
      l = changes[i].lead;
      sorted[first[l] + fill[l]++] = changes[i];
    }
    for (l = 0; l < n; l++) {
      lg_decision prev, cur;
      lg_time     t;
      size_t      k = first[l];
      must(lg_decide(rubric, policy, leads[l], START, &prev), "decide");
      for (t = START + 60; t <= end; t += 60) {
        known kp;
        must(lg_decide(rubric, policy, leads[l], t, &cur), "decide");
        remember(&kp, &prev);
        while (k < first[l + 1] && sorted[k].at <= t - 60) k++;
        if (!same(&kp, &cur)) {
          found++;
          if (!(k < first[l + 1] && sorted[k].at <= t)) unmatched++;
        }
        prev = cur;
      }
    }
    printf("check: a minute-by-minute scan finds %zu changes; not caught within the minute "
           "by the next_at host: %zu\n",
           found, unmatched);
    if (unmatched || found == 0) status = EXIT_CHECK;
    free(first);
    free(sorted);
    free(fill);
  }

  for (l = 0; l < n; l++) lg_lead_free(leads[l]);
  free(leads);
  free(seen);
  free(events);
  free(changes);
  free(delays);
  free(next_change);
  free(h.at);
  free(h.lead);
  free(h.pos);
  lg_policy_free(policy);
  lg_rubric_free(rubric);
  return status;
}
