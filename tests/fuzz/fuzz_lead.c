/*
 * fuzz_lead.c - structure-aware libFuzzer target for leads and every
 * evaluator that reads them.
 *
 * The input is a little program: each operation byte picks a lead call
 * (set an attribute of some type, unset, add events, move the stage,
 * assign, touch, record an action, evaluate, clone, reset, reserve, a
 * batch of events) and the bytes after it its arguments.  A batch is
 * checked against the same events added one call at a time to a clone:
 * the same status, and the same events or none.  A shadow copy of the attributes checks that the lead
 * stores exactly what it accepted (this is what finds arena and
 * compaction bugs), the documented lifecycle table checks set_stage, and
 * every evaluation checks the invariants of fuzz_common.h against the
 * reference rubric and one of two policies (business-hours and wall-clock
 * SLA): total == fit + engagement, the explanation sums to the score,
 * next_at > now or LG_TIME_NEVER (and exact when the timeline is all in
 * the past), decisions consistent with scores.
 */
#include "fuzz_common.h"

#include "../reference_example.h"

#define N_NAMES 14
#define N_VALID 10 /* names[0..N_VALID) are valid attribute names */

static const char *const names[N_NAMES] = {
  "need", "timeframe_months", "role", "industry", "persona", "employees", "opted_in",
  "budget", "x",
  "n234567890123456789012345678901234567890123456789012345678901234", /* 64 bytes */
  "Need", "", "9lives",
  "n2345678901234567890123456789012345678901234567890123456789012345"}; /* 65 */

static const char *const event_types[] = {"demo_requested", "content_download",
                                          "webinar_attended", "unsubscribed", "page_view",
                                          "Demo"};

static const char *const texts[] = {"high", "medium", "low", "Decision Maker", "saas",
                                    "SOFTWARE", "student", "", "consultant", "influencer"};

static const char *const owners[] = {"rep-a", "rep-b", "rep-\xc3\xa9", "", "rep-\xff"};

static const char wallclock_policy[] =
  "policy \"wall\"\n"
  "qualify when total >= 10 and not knockout \"too small\"\n"
  "follow-up within 72h\n"
  "  warn at 50%\n"
  "  escalate at 60h\n"
  "  reassign at 72h max 1\n"
  "route round-robin\n";

static lg_rubric *rubric;
static lg_policy *policies[2];

/* What the lead should hold, per name slot. */
typedef struct shadow_attr {
  int     type; /* lg_value_type */
  int64_t num;
  char    text[LG_MAX_TEXT_BYTES + 1];
} shadow_attr;

typedef struct shadow {
  shadow_attr attrs[N_VALID];
  size_t      events, assignments;
  lg_stage    stage;
  lg_time     latest;   /* latest assignment or touch on the timeline */
  int         assigned;
  lg_time     assigned_at;
  size_t      owner;    /* index into owners of the current assignment */
  char        id[LG_MAX_ID_BYTES + 1];
} shadow;

static void must(lg_status st) { FZ_CHECK(st == LG_OK, "setup: %s", lg_status_name(st)); }

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  must(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &rubric, NULL));
  must(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &policies[0], NULL));
  must(lg_policy_parse(wallclock_policy, sizeof wallclock_policy - 1, &policies[1], NULL));
  return 0;
}

static int valid(lg_time t) { return t >= LG_TIME_MIN && t <= LG_TIME_MAX; }

/* A call with a bad argument AND possibly a bad time: the header does not
 * rank the two errors, so either answer is right. */
static int bad_arg(lg_status st, lg_time at) {
  return st == LG_ERR_INVALID || (!valid(at) && st == LG_ERR_RANGE);
}

/* The lifecycle table of leadgate.h. */
static int transition_allowed(lg_stage from, lg_stage to) {
  static const unsigned allowed[9] = {
    /* NEW */ 1u << LG_STAGE_NURTURE | 1u << LG_STAGE_MQL | 1u << LG_STAGE_DISQUALIFIED,
    /* NURTURE */ 1u << LG_STAGE_MQL | 1u << LG_STAGE_DISQUALIFIED,
    /* MQL */ 1u << LG_STAGE_SAL | 1u << LG_STAGE_NURTURE | 1u << LG_STAGE_DISQUALIFIED,
    /* SAL */ 1u << LG_STAGE_SQL | 1u << LG_STAGE_NURTURE | 1u << LG_STAGE_DISQUALIFIED,
    /* SQL */ 1u << LG_STAGE_OPPORTUNITY | 1u << LG_STAGE_NURTURE | 1u << LG_STAGE_DISQUALIFIED,
    /* OPPORTUNITY */ 1u << LG_STAGE_WON | 1u << LG_STAGE_LOST,
    /* WON */ 0u,
    /* LOST */ 1u << LG_STAGE_NURTURE,
    /* DISQUALIFIED */ 1u << LG_STAGE_NURTURE};
  return (allowed[from] >> to) & 1u;
}

/* The lead holds exactly the shadow's attributes, of the right types. */
static void check_attrs(const lg_lead *lead, const shadow *sh) {
  int i;
  for (i = 0; i < N_VALID; i++) {
    const shadow_attr *a = &sh->attrs[i];
    const char        *text = NULL;
    int64_t            num = 0;
    int                b = 0;
    FZ_CHECK(lg_lead_attr_type(lead, names[i]) == a->type, "%s: type %d, want %d", names[i],
             lg_lead_attr_type(lead, names[i]), a->type);
    switch (a->type) {
    case LG_VALUE_NONE:
      FZ_CHECK(lg_lead_get_int(lead, names[i], &num) == LG_ERR_NOT_FOUND, "%s present",
               names[i]);
      break;
    case LG_VALUE_TEXT:
      FZ_CHECK(lg_lead_get_text(lead, names[i], &text) == LG_OK && strcmp(text, a->text) == 0,
               "%s: text differs", names[i]);
      FZ_CHECK(lg_lead_get_int(lead, names[i], &num) == LG_ERR_TYPE, "%s: not TYPE", names[i]);
      break;
    case LG_VALUE_INT:
      FZ_CHECK(lg_lead_get_int(lead, names[i], &num) == LG_OK && num == a->num,
               "%s: int %lld, want %lld", names[i], (long long)num, (long long)a->num);
      break;
    default:
      FZ_CHECK(lg_lead_get_bool(lead, names[i], &b) == LG_OK && b == (int)a->num,
               "%s: bool %d, want %lld", names[i], b, (long long)a->num);
    }
  }
  FZ_CHECK(lg_lead_event_count(lead) == sh->events, "%zu events, want %zu",
           lg_lead_event_count(lead), sh->events);
  FZ_CHECK(lg_lead_assignment_count(lead) == sh->assignments, "%zu assignments, want %zu",
           lg_lead_assignment_count(lead), sh->assignments);
  FZ_CHECK(lg_lead_stage(lead) == sh->stage, "stage %d, want %d", (int)lg_lead_stage(lead),
           (int)sh->stage);
}

static void evaluate(const lg_lead *lead, const shadow *sh, lg_time now, int which) {
  fz_check_scoring(rubric, lead, now);
  fz_check_decision(rubric, policies[which], lead, now);
  fz_check_sla(policies[which], lead, now, !sh->assigned || sh->latest <= now);
}

/* Capacity-aware calibration over a small batch: *count leads not
 * knocked out score >= threshold, at most `capacity` of them, and the
 * threshold is the smallest such (one milli-point less admits too many). */
static void check_calibrate(const lg_lead *const *batch, size_t n, lg_time now, int dim,
                            size_t capacity) {
  lg_points thr = 0;
  size_t    count = 0, at = 0, below = 0, eligible = 0, i;
  lg_score  s;
  lg_status st = lg_calibrate(rubric, batch, n, now, (lg_dimension)dim, capacity, &thr, &count);
  if (!valid(now)) {
    FZ_CHECK(st == LG_ERR_RANGE, "calibrate with bad now: %s", lg_status_name(st));
    return;
  }
  FZ_CHECK(st == LG_OK, "calibrate: %s", lg_status_name(st));
  for (i = 0; i < n; i++) {
    lg_points v;
    must(lg_score_lead(rubric, batch[i], now, &s));
    if (s.knocked_out) continue;
    v = dim == LG_DIM_FIT ? s.fit : dim == LG_DIM_ENGAGEMENT ? s.engagement : s.total;
    eligible++;
    if (v >= thr) at++;
    if (v >= thr - 1) below++;
  }
  FZ_CHECK(count == at && count <= capacity, "calibrate: count %zu, %zu score >= %lld, cap %zu",
           count, at, (long long)thr, capacity);
  if (eligible > capacity)
    FZ_CHECK(below > capacity, "threshold %lld is not the smallest", (long long)thr);
}

static void set_attr(lg_lead *lead, shadow *sh, fz_reader *r, int kind) {
  size_t      slot = fz_u8(r) % N_NAMES;
  const char *name = names[slot];
  lg_status   st;
  if (kind == 0) {
    char    buf[LG_MAX_TEXT_BYTES + 2];
    uint8_t how = fz_u8(r);
    size_t  len, i;
    if (how < 128) {
      strcpy(buf, texts[how % (sizeof texts / sizeof texts[0])]);
    } else if (how < 250) { /* raw bytes: maybe not UTF-8; NUL ends the text early */
      len = fz_u8(r);
      for (i = 0; i < len; i++) buf[i] = (char)fz_u8(r);
      buf[len] = '\0';
    } else { /* at, and just past, the 1024-byte limit */
      len = how == 255 ? LG_MAX_TEXT_BYTES + 1 : LG_MAX_TEXT_BYTES - (how - 250u);
      memset(buf, 'a' + (how & 7), len);
      buf[len] = '\0';
    }
    st = lg_lead_set_text(lead, name, buf);
    if (slot >= N_VALID) {
      FZ_CHECK(st == LG_ERR_INVALID, "set_text('%s'): %s", name, lg_status_name(st));
    } else if (strlen(buf) > LG_MAX_TEXT_BYTES) {
      FZ_CHECK(st == LG_ERR_LIMIT, "set_text of %zu bytes: %s", strlen(buf),
               lg_status_name(st));
    } else if (st == LG_OK) {
      sh->attrs[slot].type = LG_VALUE_TEXT;
      strcpy(sh->attrs[slot].text, buf);
    } else {
      /* The only other reason to refuse is malformed UTF-8. */
      FZ_CHECK(st == LG_ERR_INVALID && how >= 128 && how < 250, "set_text('%s', '%s'): %s", name, buf,
               lg_status_name(st));
    }
  } else if (kind == 1 || kind == 2) {
    int64_t v = kind == 1 ? (int64_t)fz_u64(r) : (int64_t)(int8_t)fz_u8(r);
    st = lg_lead_set_int(lead, name, v);
    FZ_CHECK(st == (slot < N_VALID ? LG_OK : LG_ERR_INVALID), "set_int('%s'): %s", name,
             lg_status_name(st));
    if (st == LG_OK) {
      sh->attrs[slot].type = LG_VALUE_INT;
      sh->attrs[slot].num = v;
    }
  } else if (kind == 3) {
    int v = (int)(int8_t)fz_u8(r);
    st = lg_lead_set_bool(lead, name, v);
    FZ_CHECK(st == (slot < N_VALID ? LG_OK : LG_ERR_INVALID), "set_bool: %s",
             lg_status_name(st));
    if (st == LG_OK) {
      sh->attrs[slot].type = LG_VALUE_BOOL;
      sh->attrs[slot].num = v != 0;
    }
  } else {
    st = lg_lead_unset(lead, name);
    if (slot >= N_VALID)
      FZ_CHECK(st == LG_ERR_INVALID, "unset('%s'): %s", name, lg_status_name(st));
    else
      FZ_CHECK(st == (sh->attrs[slot].type ? LG_OK : LG_ERR_NOT_FOUND), "unset: %s",
               lg_status_name(st));
    if (slot < N_VALID) sh->attrs[slot].type = LG_VALUE_NONE;
  }
}

static void add_events(lg_lead *lead, shadow *sh, fz_reader *r) {
  uint8_t     sel = fz_u8(r);
  size_t      k, burst = (sel & 0x80u) ? (size_t)(fz_u8(r) % 64u) + 1 : 1;
  size_t      ti = sel % (sizeof event_types / sizeof event_types[0]);
  lg_time     at = fz_time(r, LG_EXAMPLE_EPOCH);
  lg_status   st;
  for (k = 0; k < burst; k++) {
    lg_time t = valid(at) ? at - (lg_time)k * 3600 : at;
    st = lg_lead_add_event(lead, event_types[ti], t);
    if (ti == 5)
      FZ_CHECK(bad_arg(st, t), "event type Demo: %s", lg_status_name(st));
    else if (!valid(t))
      FZ_CHECK(st == LG_ERR_RANGE, "event at %lld: %s", (long long)t, lg_status_name(st));
    else if (sh->events >= LG_MAX_EVENTS)
      FZ_CHECK(st == LG_ERR_LIMIT, "event %zu: %s", sh->events + 1, lg_status_name(st));
    else
      FZ_CHECK(st == LG_OK, "add_event: %s", lg_status_name(st));
    if (st == LG_OK) sh->events++;
  }
}

/* The two leads hold the same events, in the same order. */
static void check_same_events(const lg_lead *a, const lg_lead *b) {
  size_t i, n = lg_lead_event_count(a);
  FZ_CHECK(n == lg_lead_event_count(b), "%zu events, want %zu", n, lg_lead_event_count(b));
  for (i = 0; i < n; i++) {
    const char *ta, *tb;
    lg_time     xa, xb;
    must(lg_lead_event_at(a, i, &ta, &xa));
    must(lg_lead_event_at(b, i, &tb, &xb));
    FZ_CHECK(strcmp(ta, tb) == 0 && xa == xb, "event %zu: %s at %lld, want %s at %lld", i, ta,
             (long long)xa, tb, (long long)xb);
  }
}

/* lg_lead_add_events against single calls on a clone. */
static void add_batch(lg_lead *lead, shadow *sh, fz_reader *r) {
  const char *types[64];
  lg_time     at[64];
  size_t      n = fz_u8(r) % 65u, i;
  lg_time     base = fz_time(r, LG_EXAMPLE_EPOCH);
  lg_lead    *before = NULL, *single = NULL;
  lg_status   want = LG_OK, st;
  for (i = 0; i < n; i++) {
    uint8_t b = fz_u8(r);
    /* mostly known types, rarely the malformed one */
    types[i] = event_types[b % 16 == 15 ? 5 : b % 5];
    at[i] = b & 0x80u ? fz_time(r, LG_EXAMPLE_EPOCH)
            : valid(base) ? base + (lg_time)(b & 0x0fu) * 600
                          : base; /* no overflow near INT64_MAX */
  }
  must(lg_lead_clone(lead, &before));
  must(lg_lead_clone(lead, &single));
  for (i = 0; i < n && want == LG_OK; i++) want = lg_lead_add_event(single, types[i], at[i]);
  st = lg_lead_add_events(lead, types, at, n);
  FZ_CHECK(st == want, "add_events of %zu: %s, single calls %s", n, lg_status_name(st),
           lg_status_name(want));
  check_same_events(lead, st == LG_OK ? single : before);
  if (st == LG_OK) sh->events += n;
  lg_lead_free(before);
  lg_lead_free(single);
}

/* lg_lead_reset to one of a few ids (one refused, one the lead's own). */
static void reset_lead(lg_lead *lead, shadow *sh, fz_reader *r) {
  static const char *const ids[] = {"fuzz-lead", "x",
                                    "a-much-longer-id-than-the-lead-had-when-it-was-made", ""};
  uint8_t     b = fz_u8(r);
  const char *id = b % 5 == 4 ? lg_lead_id(lead) : ids[b % 5];
  char        copy[LG_MAX_ID_BYTES + 1];
  lg_status   st;
  strcpy(copy, id);
  st = lg_lead_reset(lead, id);
  if (copy[0] == '\0') {
    FZ_CHECK(st == LG_ERR_INVALID, "reset to an empty id: %s", lg_status_name(st));
    return;
  }
  FZ_CHECK(st == LG_OK, "reset: %s", lg_status_name(st));
  FZ_CHECK(strcmp(lg_lead_id(lead), copy) == 0, "reset id");
  memset(sh, 0, sizeof *sh);
  strcpy(sh->id, copy);
  sh->stage = LG_STAGE_NEW;
  sh->latest = LG_TIME_MIN;
}

/* lg_lead_reserve: only the limits refuse; nothing visible changes. */
static void reserve_room(lg_lead *lead, const shadow *sh, fz_reader *r) {
  size_t    attrs = fz_u8(r) + (size_t)(fz_u8(r) & 1u), events = (size_t)fz_u8(r) * 41u;
  size_t    bytes = (size_t)fz_u8(r) * 5000u, n_attrs = 0;
  int       i;
  lg_status st = lg_lead_reserve(lead, attrs, events, bytes);
  for (i = 0; i < N_VALID; i++) n_attrs += sh->attrs[i].type != LG_VALUE_NONE;
  if (attrs + n_attrs > LG_MAX_ATTRIBUTES || events + sh->events > LG_MAX_EVENTS ||
      bytes > (size_t)LG_MAX_ATTRIBUTES * (LG_MAX_NAME_BYTES + LG_MAX_TEXT_BYTES) +
                  (size_t)LG_MAX_EVENTS * LG_MAX_NAME_BYTES +
                  (size_t)LG_MAX_ASSIGNMENTS * LG_MAX_ID_BYTES)
    FZ_CHECK(st == LG_ERR_LIMIT, "reserve %zu/%zu/%zu: %s", attrs, events, bytes,
             lg_status_name(st));
  else
    FZ_CHECK(st == LG_OK, "reserve %zu/%zu/%zu: %s", attrs, events, bytes, lg_status_name(st));
  check_attrs(lead, sh);
}

static void timeline_op(lg_lead *lead, shadow *sh, fz_reader *r, int kind) {
  lg_time   at = fz_time(r, LG_EXAMPLE_EPOCH);
  lg_status st;
  if (kind == 0) { /* stage */
    int to = fz_u8(r) % 10; /* 9 is not a stage */
    st = lg_lead_set_stage(lead, (lg_stage)to, at);
    if (to > LG_STAGE_DISQUALIFIED)
      FZ_CHECK(bad_arg(st, at), "stage %d: %s", to, lg_status_name(st));
    else if (valid(at))
      FZ_CHECK(st == (to == (int)sh->stage || transition_allowed(sh->stage, (lg_stage)to)
                          ? LG_OK : LG_ERR_STATE),
               "stage %d -> %d: %s", (int)sh->stage, to, lg_status_name(st));
    if (st == LG_OK) sh->stage = (lg_stage)to;
  } else if (kind == 1) { /* assign */
    size_t oi = fz_u8(r) % (sizeof owners / sizeof owners[0]);
    st = lg_lead_assign(lead, owners[oi], at);
    if (oi >= 3)
      FZ_CHECK(bad_arg(st, at), "owner %zu: %s", oi, lg_status_name(st));
    else if (valid(at))
      FZ_CHECK(st == (sh->assigned && at < sh->assigned_at ? LG_ERR_STATE : LG_OK),
               "assign at %lld: %s", (long long)at, lg_status_name(st));
    if (st == LG_OK) {
      /* the current owner again at the same instant: a no-op */
      int repeat = sh->assigned && at == sh->assigned_at && sh->owner == oi;
      if (!repeat) sh->assignments++;
      sh->owner = oi;
      sh->assigned = 1;
      sh->assigned_at = at;
      if (at > sh->latest) sh->latest = at;
      FZ_CHECK(strcmp(lg_lead_owner(lead), owners[oi]) == 0, "owner not stored");
    }
  } else { /* touch (kind 2) or record an action (kind 3) */
    int action = kind == 3 ? fz_u8(r) % 7 : 0;
    st = kind == 2 ? lg_lead_touch(lead, at) : lg_lead_record_action(lead, (lg_action)action, at);
    if (kind == 3 && (action < LG_ACTION_WARN || action > LG_ACTION_RECYCLE))
      FZ_CHECK(bad_arg(st, at), "action %d: %s", action, lg_status_name(st));
    else if (valid(at))
      FZ_CHECK(st == (sh->assigned && at >= sh->assigned_at ? LG_OK : LG_ERR_STATE),
               "touch/action at %lld: %s", (long long)at, lg_status_name(st));
    if (st == LG_OK && kind == 2 && at > sh->latest) sh->latest = at;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static shadow sh;
  fz_reader     r;
  lg_lead      *lead = NULL, *copy = NULL;
  const lg_lead *batch[2];
  int           which, ops = 0, evals = 0;
  lg_time       now;

  r.p = data;
  r.n = size;
  r.pos = 0;
  memset(&sh, 0, sizeof sh);
  sh.stage = LG_STAGE_NEW;
  sh.latest = LG_TIME_MIN;
  strcpy(sh.id, "fuzz-lead");
  which = fz_u8(&r) & 1;
  must(lg_lead_create("fuzz-lead", &lead));

  while (fz_more(&r) && ops++ < 4096) {
    uint8_t op = fz_u8(&r);
    switch (op % 12) {
    case 0: case 1: case 2: case 3: case 4: set_attr(lead, &sh, &r, op % 12); break;
    case 5:
      if (op / 12 % 2) add_batch(lead, &sh, &r);
      else add_events(lead, &sh, &r);
      break;
    case 6: case 7: case 8: case 9: timeline_op(lead, &sh, &r, op % 12 - 6); break;
    case 10:
      /* Capped: with 10,000 events an evaluation costs milliseconds under
       * ASan, and an input must not run into libFuzzer's timeout. */
      now = fz_time(&r, LG_EXAMPLE_EPOCH);
      if (evals++ >= 32) break;
      check_attrs(lead, &sh);
      evaluate(lead, &sh, now, which);
      break;
    default:
      if (op / 12 % 4 == 1) {
        reset_lead(lead, &sh, &r);
        break;
      }
      if (op / 12 % 4 == 2) {
        reserve_room(lead, &sh, &r);
        break;
      }
      /* a clone must be an independent, equal lead */
      must(lg_lead_clone(lead, &copy));
      FZ_CHECK(strcmp(lg_lead_id(copy), sh.id) == 0, "clone id");
      check_attrs(copy, &sh);
      lg_lead_free(lead);
      lead = copy;
      copy = NULL;
    }
  }
  check_attrs(lead, &sh);
  now = LG_EXAMPLE_EPOCH + INT64_C(86400) * 40;
  evaluate(lead, &sh, now, which);
  evaluate(lead, &sh, LG_TIME_MAX, which);

  /* Calibration over the lead and an engaged variant of it. */
  must(lg_lead_clone(lead, &copy));
  if (lg_lead_event_count(copy) < LG_MAX_EVENTS)
    must(lg_lead_add_event(copy, "demo_requested", now - 60));
  batch[0] = lead;
  batch[1] = copy;
  check_calibrate(batch, 2, now, (int)(size % 3), size % 2);
  lg_lead_free(copy);
  lg_lead_free(lead);
  return 0;
}
