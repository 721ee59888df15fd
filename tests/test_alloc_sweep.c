/*
 * test_alloc_sweep.c - every public function that allocates, with each of
 * its allocations failed in turn (SQLite's habit).
 *
 * For a call and a fixed starting object, allocation n = 1, 2, ... is made
 * to fail (sticky: it and every later one; then once more non-sticky: only
 * it, so that code which carries on after one failure is exercised too)
 * until the call succeeds.  Every failed attempt must return LG_ERR_NOMEM,
 * leave the live block count where it was, leave out-parameters alone and
 * leave the object exactly as it was, as seen through the public API: a
 * dump of the lead by its getters and the scores and SLA it yields, the
 * canonical text of a definition, every row of a stats book.
 *
 * Starting objects are chosen to cross every growth step: leads are built
 * up one attribute / event / assignment at a time with a sweep at each
 * size, and texts are rewritten until the arena must compact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reference_example.h"
#include "leadgate.h"
#include "support.h"

#define DAY      INT64_C(86400)
#define MAX_FAIL 100000L /* no call makes this many allocations */
#define DUMP_CAP 16384

static lg_rubric *rubric;
static lg_policy *policy;

static int setup(void **state) {
  (void)state;
  ts_alloc_install();
  if (lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &rubric, NULL) != LG_OK)
    return -1;
  if (lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &policy, NULL) != LG_OK)
    return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  lg_rubric_free(rubric);
  lg_policy_free(policy);
  ts_alloc_restore();
  return 0;
}

/* ---- dumps: an object as far as the public API can see it --------------- */

typedef struct dump {
  char   text[DUMP_CAP];
  size_t len;
} dump;

static void put(dump *d, const char *fmt, ...) {
  va_list ap;
  int     n;
  va_start(ap, fmt);
  n = vsnprintf(d->text + d->len, sizeof d->text - d->len, fmt, ap);
  va_end(ap);
  assert_true(n >= 0 && (size_t)n < sizeof d->text - d->len);
  d->len += (size_t)n;
}

/* Attribute names the sweeps use: a0..a39 plus the rubric's. */
static const char *attr_name(int i) {
  static char        buf[16];
  static const char *known[] = {"need", "timeframe_months", "role", "industry", "persona",
                                "employees"};
  if (i < 6) return known[i];
  snprintf(buf, sizeof buf, "a%d", i - 6);
  return buf;
}
#define N_ATTR_NAMES 46

static void dump_lead(const lg_lead *lead, dump *d) {
  static const lg_time nows[] = {LG_EXAMPLE_EPOCH, LG_EXAMPLE_EPOCH + 40 * DAY,
                                 LG_EXAMPLE_EPOCH + 400 * DAY};
  int           i;
  size_t        k;
  lg_score      s;
  lg_sla_status sla;
  d->len = 0;
  put(d, "id=%s stage=%d events=%zu asg=%zu owner=%s\n", lg_lead_id(lead),
      (int)lg_lead_stage(lead), lg_lead_event_count(lead), lg_lead_assignment_count(lead),
      lg_lead_owner(lead) ? lg_lead_owner(lead) : "-");
  for (k = 0; k < lg_lead_event_count(lead); k++) {
    const char *type;
    lg_time     at;
    assert_int_equal(lg_lead_event_at(lead, k, &type, &at), LG_OK);
    put(d, "event %s %lld\n", type, (long long)at);
  }
  for (i = 0; i < N_ATTR_NAMES; i++) {
    const char *name = attr_name(i), *text;
    int64_t     num;
    int         b;
    switch (lg_lead_attr_type(lead, name)) {
    case LG_VALUE_TEXT:
      assert_int_equal(lg_lead_get_text(lead, name, &text), LG_OK);
      put(d, "%s=\"%s\"\n", name, text);
      break;
    case LG_VALUE_INT:
      assert_int_equal(lg_lead_get_int(lead, name, &num), LG_OK);
      put(d, "%s=%lld\n", name, (long long)num);
      break;
    case LG_VALUE_BOOL:
      assert_int_equal(lg_lead_get_bool(lead, name, &b), LG_OK);
      put(d, "%s=%s\n", name, b ? "true" : "false");
      break;
    default: break;
    }
  }
  /* Scores and the SLA read the events and the timeline, which have no
   * getters of their own. */
  for (k = 0; k < sizeof nows / sizeof nows[0]; k++) {
    assert_int_equal(lg_score_lead(rubric, lead, nows[k], &s), LG_OK);
    assert_int_equal(lg_sla_eval(policy, lead, nows[k], &sla), LG_OK);
    put(d, "@%zu fit=%lld eng=%lld ko=%d miss=%u sla=%d/%d/%lld/%lld/%lld\n", k,
        (long long)s.fit, (long long)s.engagement, s.knockout_index, s.missing_count, sla.state,
        sla.action, (long long)sla.started_at, (long long)sla.next_at, (long long)sla.elapsed);
  }
}

static void dump_stats(const lg_stats *stats, dump *d) {
  size_t       i;
  lg_rep_stats r;
  d->len = 0;
  put(d, "reps=%zu\n", lg_stats_rep_count(stats));
  for (i = 0; i < lg_stats_rep_count(stats); i++) {
    assert_int_equal(lg_stats_rep(stats, i, &r), LG_OK);
    put(d, "%s %u %u %u %u %u %lld %lld\n", r.rep, r.assigned, r.touched, r.touched_in_sla,
        r.breached, r.open_overdue, (long long)r.median_response, (long long)r.p90_response);
  }
}

static void assert_same_dump(const dump *a, const dump *b, long n, const char *what) {
  if (a->len != b->len || memcmp(a->text, b->text, a->len) != 0)
    fail_msg("%s changed the object when allocation %ld failed:\n--- before\n%s--- after\n%s",
             what, n, a->text, b->text);
}

/* ---- the sweep ------------------------------------------------------------ */

/* One operation under test, on the object behind `ctx`, and a renderer of
 * that object for comparison (optional). */
typedef lg_status (*op_fn)(void *ctx);
typedef void (*dump_fn)(void *ctx, dump *d);

/* Fails allocation n = 1, 2, ... of `op` (sticky: that one and all later
 * ones; or only that one) until the call gets through, checking the
 * failure contract after each failed attempt.  The object is left in the
 * state the successful call made.  `spare` is how many blocks of grown
 * capacity a failed call may keep inside the object (freed with it, never
 * visible): 0 for everything except lg_stats_add, which by design keeps a
 * grown rep table and response arrays (see stats.c). */
static void sweep_spare(op_fn op, dump_fn dumper, void *ctx, int sticky, long spare,
                        const char *what) {
  static dump before, after;
  const char *mode = sticky ? "sticky" : "once";
  long        n;
  if (dumper) dumper(ctx, &before);
  for (n = 1; n < MAX_FAIL; n++) {
    long      blocks = ts_alloc_live_blocks();
    lg_status st;
    int       failed;
    ts_alloc_fail_at(n, sticky);
    st = op(ctx);
    failed = ts_alloc_failed();
    ts_alloc_fail_at(0, 0);
    if (!failed) {
      if (st != LG_OK) fail_msg("%s: %s with no allocation failing", what, lg_status_name(st));
      return;
    }
    if (st == LG_OK) return; /* got by without that block (a one-off failure) */
    if (st != LG_ERR_NOMEM)
      fail_msg("%s: allocation %ld failed (%s), got %s", what, n, mode, lg_status_name(st));
    if (ts_alloc_live_blocks() < blocks || ts_alloc_live_blocks() > blocks + spare)
      fail_msg("%s: allocation %ld failed (%s): %ld blocks live, %ld before", what, n, mode,
               ts_alloc_live_blocks(), blocks);
    if (dumper) {
      dumper(ctx, &after);
      assert_same_dump(&before, &after, n, what);
    }
  }
  fail_msg("%s never succeeded", what);
}

static void sweep(op_fn op, dump_fn dumper, void *ctx, int sticky, const char *what) {
  sweep_spare(op, dumper, ctx, sticky, 0, what);
}

/* ---- lead mutations ------------------------------------------------------- */

typedef struct lead_ctx {
  lg_lead    *lead;
  int         attr;     /* attribute name index */
  int         kind;     /* 0 text, 1 int, 2 bool */
  const char *text;
  const char *type;     /* event type / owner */
  lg_time     at;
} lead_ctx;

static void dump_lead_ctx(void *ctx, dump *d) { dump_lead(((lead_ctx *)ctx)->lead, d); }

static lg_status op_set(void *ctx) {
  lead_ctx   *c = ctx;
  const char *name = attr_name(c->attr);
  if (c->kind == 0) return lg_lead_set_text(c->lead, name, c->text);
  if (c->kind == 1) return lg_lead_set_int(c->lead, name, -(int64_t)c->attr * 1000);
  return lg_lead_set_bool(c->lead, name, c->attr & 1);
}

static lg_status op_event(void *ctx) {
  lead_ctx *c = ctx;
  return lg_lead_add_event(c->lead, c->type, c->at);
}

static lg_status op_assign(void *ctx) {
  lead_ctx *c = ctx;
  return lg_lead_assign(c->lead, c->type, c->at);
}

/* The same mutation swept in both modes: sticky failures on a clone of the
 * lead (so the lead keeps its pre-call state), then one-off failures on the
 * lead itself.  Both must end in the same lead. */
static void sweep_lead_op(lead_ctx *c, op_fn op, const char *what) {
  static dump a, b;
  lead_ctx    copy = *c;
  assert_int_equal(lg_lead_clone(c->lead, &copy.lead), LG_OK);
  sweep(op, dump_lead_ctx, &copy, 1, what);
  sweep(op, dump_lead_ctx, c, 0, what);
  dump_lead(copy.lead, &a);
  dump_lead(c->lead, &b);
  assert_same_dump(&a, &b, 0, what);
  lg_lead_free(copy.lead);
}

static void lead_create_and_clone_fail_cleanly(void **state) {
  lg_lead *lead = NULL, *sentinel = (lg_lead *)&lead, *out;
  long     n, start = ts_alloc_live_blocks(), base = start;
  lg_status st;
  (void)state;
  for (n = 1; n < MAX_FAIL; n++) {
    out = sentinel;
    ts_alloc_fail_at(n, 1);
    st = lg_lead_create("lead-\xc3\xa9", &out);
    ts_alloc_fail_at(0, 0);
    if (st == LG_OK) break;
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_ptr_equal(out, sentinel);
    assert_int_equal(ts_alloc_live_blocks(), base);
  }
  assert_true(n > 1); /* creating a lead allocates */
  lead = out;
  assert_int_equal(lg_lead_set_text(lead, "need", "high"), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "demo_requested", LG_EXAMPLE_EPOCH), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "rep-a", LG_EXAMPLE_EPOCH), LG_OK);
  base = ts_alloc_live_blocks();
  for (n = 1; n < MAX_FAIL; n++) {
    out = sentinel;
    ts_alloc_fail_at(n, 1);
    st = lg_lead_clone(lead, &out);
    ts_alloc_fail_at(0, 0);
    if (st == LG_OK) break;
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_ptr_equal(out, sentinel);
    assert_int_equal(ts_alloc_live_blocks(), base);
  }
  assert_true(n > 1);
  lg_lead_free(out);
  lg_lead_free(lead);
  assert_int_equal(ts_alloc_live_blocks(), start);
}

static void set_attributes_fail_cleanly_at_every_size(void **state) {
  lead_ctx c;
  char     what[64];
  int      i, kind;
  (void)state;
  memset(&c, 0, sizeof c);
  assert_int_equal(lg_lead_create("sweep", &c.lead), LG_OK);
  /* Growing: every new attribute, of each type, texts of growing length
   * so the arena crosses its exact-size and proportional-growth regimes. */
  for (i = 0; i < N_ATTR_NAMES; i++) {
    static char text[700];
    size_t      len = (size_t)(i * 15) % sizeof text;
    memset(text, 'a' + i % 26, len);
    text[len] = '\0';
    c.attr = i;
    c.kind = i % 3;
    c.text = text;
    snprintf(what, sizeof what, "set #%d (kind %d)", i, c.kind);
    sweep_lead_op(&c, op_set, what);
  }
  /* Replacing: type changes and texts that grow, shrink and pile up
   * garbage until the arena has to compact. */
  for (i = 0; i < 60; i++) {
    static char text[1025];
    size_t      len = (size_t)(i * 97) % 1024 + 1;
    memset(text, 'A' + i % 26, len);
    text[len] = '\0';
    kind = i % 5 == 4 ? 1 : 0;
    c.attr = i % 12;
    c.kind = kind;
    c.text = text;
    snprintf(what, sizeof what, "replace #%d", i);
    sweep_lead_op(&c, op_set, what);
  }
  lg_lead_free(c.lead);
}

static void add_event_and_assign_fail_cleanly_at_every_size(void **state) {
  static const char *types[] = {"demo_requested", "content_download", "webinar_attended",
                                "unsubscribed", "page_view", "t5", "t6", "t7", "t8"};
  lead_ctx           c;
  char               what[64];
  int                i;
  (void)state;
  memset(&c, 0, sizeof c);
  assert_int_equal(lg_lead_create("events", &c.lead), LG_OK);
  assert_int_equal(lg_lead_set_text(c.lead, "need", "high"), LG_OK);
  for (i = 0; i < 70; i++) {
    c.type = types[(i * 7) % 9];
    /* Out of order on purpose: inserts land in the middle too. */
    c.at = LG_EXAMPLE_EPOCH - (lg_time)((i * 37) % 50) * DAY;
    snprintf(what, sizeof what, "add_event #%d", i);
    sweep_lead_op(&c, op_event, what);
  }
  for (i = 0; i < 12; i++) {
    static char owner[40];
    snprintf(owner, sizeof owner, "rep-%d-with-a-longer-name", i % 4);
    c.type = owner;
    c.at = LG_EXAMPLE_EPOCH + (lg_time)i * DAY;
    snprintf(what, sizeof what, "assign #%d", i);
    sweep_lead_op(&c, op_assign, what);
  }
  lg_lead_free(c.lead);
}

/* A batch of events for op_events: c->attr of them. */
static const char *batch_types[200];
static lg_time     batch_at[200];

static lg_status op_events(void *ctx) {
  lead_ctx *c = ctx;
  return lg_lead_add_events(c->lead, batch_types, batch_at, (size_t)c->attr);
}

static lg_status op_reset(void *ctx) {
  lead_ctx *c = ctx;
  return lg_lead_reset(c->lead, c->type);
}

/* Room for c->attr attributes, c->kind events and strlen(c->text) bytes. */
static lg_status op_reserve(void *ctx) {
  lead_ctx *c = ctx;
  return lg_lead_reserve(c->lead, (size_t)c->attr, (size_t)c->kind, strlen(c->text));
}

/* Rounds of reserve, a batch of events (new types and known ones, out of
 * order, ties), attributes and a reset to a longer id, each swept, on one
 * lead that keeps its memory from round to round. */
static void reset_reserve_and_batches_fail_cleanly(void **state) {
  static const char *types[] = {"demo_requested", "content_download", "webinar_attended",
                                "unsubscribed", "page_view", "t5", "t6", "t7", "t8",
                                "t9", "t10", "t11"};
  static char        id[300], text[400];
  lead_ctx           c;
  char               what[64];
  int                round, i;
  (void)state;
  memset(&c, 0, sizeof c);
  assert_int_equal(lg_lead_create("r", &c.lead), LG_OK);
  for (round = 0; round < 10; round++) {
    c.attr = round * 5;
    c.kind = round * 9;
    memset(text, 'b', (size_t)round * 40);
    text[round * 40] = '\0';
    c.text = text;
    snprintf(what, sizeof what, "reserve #%d", round);
    sweep_lead_op(&c, op_reserve, what);
    c.attr = round * 19 + 1;
    for (i = 0; i < c.attr; i++) {
      batch_types[i] = types[(i * 7 + round) % 12];
      batch_at[i] = LG_EXAMPLE_EPOCH - (lg_time)((i * 37 + round) % 23) * DAY;
    }
    snprintf(what, sizeof what, "add_events #%d", round);
    sweep_lead_op(&c, op_events, what);
    for (i = 0; i < round + 3; i++) {
      c.attr = i;
      c.kind = i % 3;
      c.text = "a text value";
      snprintf(what, sizeof what, "set #%d after reset", i);
      sweep_lead_op(&c, op_set, what);
    }
    memset(id, 'i', (size_t)round * 25 + 1);
    id[round * 25 + 1] = '\0';
    c.type = id;
    snprintf(what, sizeof what, "reset #%d", round);
    sweep_lead_op(&c, op_reset, what);
  }
  lg_lead_free(c.lead);
}

/* ---- definitions -------------------------------------------------------- */

typedef lg_status (*parse_fn)(const char *text, size_t len, void **out, lg_error *err);

static lg_status parse_rubric(const char *t, size_t n, void **out, lg_error *e) {
  return lg_rubric_parse(t, n, (lg_rubric **)out, e);
}
static lg_status parse_policy(const char *t, size_t n, void **out, lg_error *e) {
  return lg_policy_parse(t, n, (lg_policy **)out, e);
}
static lg_status parse_calendar(const char *t, size_t n, void **out, lg_error *e) {
  return lg_calendar_parse(t, n, (lg_calendar **)out, e);
}

/* Fails each allocation of a parse in turn: LG_ERR_NOMEM in the return
 * value and in err (with no position), *out untouched, nothing leaked. */
static void sweep_parse(parse_fn parse, void (*destroy)(void *), const char *text,
                        const char *what) {
  void     *out, *sentinel = &out;
  lg_error  err;
  long      n, base = ts_alloc_live_blocks();
  lg_status st;
  for (n = 1; n < MAX_FAIL; n++) {
    out = sentinel;
    ts_alloc_fail_at(n, 1);
    st = parse(text, strlen(text), &out, &err);
    ts_alloc_fail_at(0, 0);
    if (st == LG_OK) break;
    if (st != LG_ERR_NOMEM) fail_msg("%s: allocation %ld failed, got %s", what, n, lg_status_name(st));
    assert_int_equal(err.status, LG_ERR_NOMEM);
    assert_int_equal(err.line, 0);
    assert_ptr_equal(out, sentinel);
    assert_int_equal(ts_alloc_live_blocks(), base);
  }
  assert_true(n > 1);
  destroy(out);
  assert_int_equal(ts_alloc_live_blocks(), base);
  /* One-off failures too: a parser that retries or carries on must still
   * end in NOMEM or a complete object. */
  for (n = 1; n < MAX_FAIL; n++) {
    out = sentinel;
    ts_alloc_fail_at(n, 0);
    st = parse(text, strlen(text), &out, &err);
    if (!ts_alloc_failed()) break;
    ts_alloc_fail_at(0, 0);
    if (st == LG_OK) {
      destroy(out);
    } else {
      assert_int_equal(st, LG_ERR_NOMEM);
      assert_ptr_equal(out, sentinel);
    }
    assert_int_equal(ts_alloc_live_blocks(), base);
  }
  ts_alloc_fail_at(0, 0);
  assert_int_equal(st, LG_OK);
  destroy(out);
}

static void free_rubric(void *p) { lg_rubric_free(p); }
static void free_policy(void *p) { lg_policy_free(p); }
static void free_calendar(void *p) { lg_calendar_free(p); }

static void parsers_fail_cleanly(void **state) {
  static char big[64 * 1024];
  size_t      len = 0;
  int         i;
  (void)state;
  sweep_parse(parse_rubric, free_rubric, lg_example_rubric, "rubric (reference)");
  sweep_parse(parse_policy, free_policy, lg_example_policy, "policy (reference)");
  sweep_parse(parse_calendar, free_calendar,
              "calendar\nutc-offset +01:00\nhours mon-fri 09:00-12:00, 13:00-17:30\n"
              "hours sat 10:00-13:00\nholiday 2026-12-25\nholiday 2026-12-24\n"
              "holiday 2027-01-01\noffset-change 2026-03-29T01:00:00Z +02:00\n"
              "offset-change 2026-10-25T01:00:00Z +01:00\n",
              "calendar");
  /* Enough criteria, whens, holidays and steps to grow every table. */
  for (i = 0; i < 40; i++)
    len += (size_t)snprintf(big + len, sizeof big - len,
                            "fit \"c%d\" from a%d\n  when \"x\", \"y\" -> 1\n  when 1..3 -> 2\n"
                            "  when >= 10 -> 3\n  when true -> 1\n"
                            "engagement \"e%d\" on ev%d -> 2 each max 9 half-life %dd\n"
                            "knockout \"k%d\" when a%d is \"no\", < 0\n",
                            i, i, i, i, i + 1, i, i);
  sweep_parse(parse_rubric, free_rubric, big, "rubric (40 x 3 criteria)");
  len = (size_t)snprintf(big, sizeof big,
                         "policy \"big\"\nqualify when (fit >= 1 or attr a is \"x\", \"y\") and "
                         "not (missing b or stage is mql) and event e within 3d\n");
  for (i = 0; i < 20; i++)
    len += (size_t)snprintf(big + len, sizeof big - len, "grade \"g%d\" when total > %d\n", i, i);
  len += (size_t)snprintf(big + len, sizeof big - len, "calendar\n  hours mon-fri 08:00-18:00\n");
  for (i = 0; i < 30; i++)
    len += (size_t)snprintf(big + len, sizeof big - len, "  holiday 2027-01-%02d\n", i + 1);
  snprintf(big + len, sizeof big - len,
           "follow-up within 48h business\n  warn at 50%%\n  remind at 100%%\n"
           "  escalate at 36h\n  reassign at 48h max 2\n  recycle at 96h\nroute round-robin\n");
  sweep_parse(parse_policy, free_policy, big, "policy (grown)");
}

/* ---- stats and calibration ------------------------------------------------- */

typedef struct stats_ctx {
  lg_stats      *stats;
  const lg_lead *lead;
  lg_time        now;
} stats_ctx;

static void dump_stats_ctx(void *ctx, dump *d) { dump_stats(((stats_ctx *)ctx)->stats, d); }

static lg_status op_stats_add(void *ctx) {
  stats_ctx *c = ctx;
  return lg_stats_add(c->stats, c->lead, c->now);
}

static lg_status op_stats_create(void *ctx) {
  stats_ctx *c = ctx;
  lg_stats  *out = (lg_stats *)&c->stats, *sentinel = out;
  lg_status  st = lg_stats_create(policy, &out);
  if (st == LG_OK)
    c->stats = out;
  else
    assert_ptr_equal(out, sentinel);
  return st;
}

/* Two books fed the same leads, one swept with sticky failures and one
 * with one-off failures: both must stay intact and end up equal. */
static void stats_fail_cleanly(void **state) {
  static dump a, b;
  lg_lead    *leads[6];
  stats_ctx   c[2];
  long        base = ts_alloc_live_blocks();
  char        owner[16], what[32];
  int         i, k, m;
  (void)state;
  memset(c, 0, sizeof c);
  for (m = 0; m < 2; m++) {
    sweep(op_stats_create, NULL, &c[m], !m, "stats_create");
    c[m].now = LG_EXAMPLE_EPOCH + 30 * DAY;
  }
  /* Leads passed between many reps, touched or not: the books grow reps
   * and per-rep response lists with every add. */
  for (i = 0; i < 6; i++) {
    assert_int_equal(lg_lead_create("s", &leads[i]), LG_OK);
    for (k = 0; k <= i; k++) {
      snprintf(owner, sizeof owner, "rep-%02d", (i * 5 + k * 3) % 11);
      assert_int_equal(lg_lead_assign(leads[i], owner, LG_EXAMPLE_EPOCH + (i + k) * DAY), LG_OK);
      if ((i + k) % 2)
        assert_int_equal(lg_lead_touch(leads[i], LG_EXAMPLE_EPOCH + (i + k) * DAY + 3600),
                         LG_OK);
    }
    snprintf(what, sizeof what, "stats_add #%d", i);
    for (m = 0; m < 2; m++) {
      c[m].lead = leads[i];
      /* Spare: the rep table plus one response array per rep. */
      sweep_spare(op_stats_add, dump_stats_ctx, &c[m], !m,
                  1 + (long)lg_stats_rep_count(c[m].stats) + i + 1, what);
    }
    dump_stats(c[0].stats, &a);
    dump_stats(c[1].stats, &b);
    assert_same_dump(&a, &b, 0, what);
  }
  assert_true(lg_stats_rep_count(c[0].stats) >= 6);
  for (i = 0; i < 6; i++) lg_lead_free(leads[i]);
  for (m = 0; m < 2; m++) lg_stats_free(c[m].stats);
  assert_int_equal(ts_alloc_live_blocks(), base);
}

static void calibrate_fails_cleanly(void **state) {
  lg_lead       *leads[40];
  lg_points      thr = 12345;
  size_t         count = 777, i;
  long           n, base;
  lg_status      st;
  (void)state;
  for (i = 0; i < 40; i++) {
    assert_int_equal(lg_lead_create("c", &leads[i]), LG_OK);
    assert_int_equal(lg_lead_set_int(leads[i], "timeframe_months", (int64_t)(i % 9)), LG_OK);
    assert_int_equal(lg_lead_set_text(leads[i], "need", i % 3 ? "high" : "low"), LG_OK);
  }
  base = ts_alloc_live_blocks();
  for (n = 1; n < MAX_FAIL; n++) {
    ts_alloc_fail_at(n, 1);
    st = lg_calibrate(rubric, (const lg_lead *const *)leads, 40, LG_EXAMPLE_EPOCH,
                      LG_DIM_FIT, 10, &thr, &count);
    ts_alloc_fail_at(0, 0);
    if (st == LG_OK) break;
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_int_equal(thr, 12345);
    assert_int_equal(count, 777);
    assert_int_equal(ts_alloc_live_blocks(), base);
  }
  assert_int_equal(st, LG_OK);
  assert_true(count <= 10);
  for (i = 0; i < 40; i++) lg_lead_free(leads[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(lead_create_and_clone_fail_cleanly),
    cmocka_unit_test(set_attributes_fail_cleanly_at_every_size),
    cmocka_unit_test(add_event_and_assign_fail_cleanly_at_every_size),
    cmocka_unit_test(reset_reserve_and_batches_fail_cleanly),
    cmocka_unit_test(parsers_fail_cleanly),
    cmocka_unit_test(stats_fail_cleanly),
    cmocka_unit_test(calibrate_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
