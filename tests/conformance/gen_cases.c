/*
 * gen_cases.c - writes the conformance data set (cases.json) to stdout.
 *
 * The inputs are written out below (the reference rubric and policy come
 * from tests/reference_example.h); the expected answers come from the
 * library, through runner.c.  The set was generated once and committed;
 * CTest checks that this program still writes exactly the committed bytes,
 * and test_conformance.c checks part of the answers by hand.  See
 * README.md for the format.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leadgate.h>

#include "json.h"
#include "reference_example.h"
#include "runner.h"

#define MIN_  INT64_C(60)
#define HOUR  INT64_C(3600)
#define DAY   INT64_C(86400)
/* Monday 2026-11-23T10:00:00Z (11:00 at UTC+1). */
#define T0    INT64_C(1795428000)
#define NONE  INT64_MIN
#define XMAS_EVE_15Z INT64_C(1798124400) /* Thu 2026-12-24T15:00Z, 16:00 at +01:00 */
#define XMAS_WEEK    INT64_C(1797811200) /* Mon 2026-12-21T00:00Z */
#define NYE_15Z      INT64_C(1798729200) /* Thu 2026-12-31T15:00Z */
#define DST_FRI_14Z  INT64_C(1792764000) /* Fri 2026-10-23T14:00Z, before +02:00 -> +01:00 */
#define SPRING_0Z    INT64_C(1806192000) /* Sun 2027-03-28T00:00Z; +01:00 -> +02:00 at 01:00Z */
#define AUTUMN_0Z    INT64_C(1824940800) /* Sun 2027-10-31T00:00Z; +02:00 -> +01:00 at 01:00Z */

/* ---- definitions ---------------------------------------------------------- */

static const char *const k_rubrics[][2] = {
  {"b2b", lg_example_rubric},
  {"decay",
   "# every decay shape, with round numbers so the boundaries are easy to see\n"
   "rubric \"decay\"\n"
   "engagement \"half\" on h_event -> 10 half-life 10d\n"
   "engagement \"expire\" on x_event -> 7.5 expire 10d\n"
   "engagement \"linear\" on l_event -> 10 linear 10d\n"
   "engagement \"each capped\" on d_event -> 2.5 each max 5\n"
   "engagement \"negative\" on n_event -> -3.25 each max 5\n"
   "engagement \"once\" on o_event -> 4\n"
   "engagement \"fast\" on f_event -> 8 each half-life 1d\n"},
  {"fractional",
   "rubric \"fractional\"\n"
   "fit \"size\" from employees\n"
   "  when < 0 -> -2.5\n"
   "  when 0..9 -> 0.125\n"
   "  when 10..999 -> 1.75\n"
   "  when >= 1000 -> 3\n"
   "  missing -> -0.5\n"
   "fit \"active\" from active\n"
   "  when true -> 1.5\n"
   "  when false -> -1.5\n"
   "fit \"plan\" from plan\n"
   "  when \"free\" -> -0.75\n"
   "  when \"pro\", \"enterprise\" -> 2.25\n"
   "  otherwise -> 0.001\n"
   "  missing -> -0.001\n"
   "engagement \"visit\" on visit -> 0.333 each max 1\n"
   "knockout \"blocked\" when blocked is true\n"
   "knockout \"test account\" when plan is \"test\"\n"},
  {"empty", ""},
  {"bad_syntax",
   "rubric \"broken\"\n"
   "fit \"need\" from need\n"
   "  when \"high\" => 3\n"},
  {"bad_limit",
   "fit \"huge\" from x\n"
   "  when 1 -> 1000001\n"},
};

static const char *const k_policies[][2] = {
  {"inbound", lg_example_policy},
  {"wall",
   "policy \"wall-clock\"\n"
   "qualify when total >= 10 or attr plan = \"enterprise\"\n"
   "grade \"hot\" when engagement >= 5 and not knockout\n"
   "grade \"cold\"\n"
   "follow-up within 2h\n"
   "  warn at 50%\n"
   "  remind at 90m\n"
   "  escalate at 100%\n"
   "  reassign at 3h max 1\n"
   "  recycle at 4h\n"
   "route round-robin\n"},
  {"attrs",
   "policy \"attributes\"\n"
   "disqualify when knockout \"test account\" or attr employees < 0\n"
   "qualify when (attr active = true and missing phone) or stage is nurture or attr plan is "
   "\"pro\", \"enterprise\"\n"
   "grade \"A\" when fit >= 3.5\n"
   "grade \"B\" when fit > 0\n"},
  {"window",
   "policy \"windows\"\n"
   "qualify when event demo_requested within 30d or engagement >= 5\n"
   "follow-up within 30m\n"},
  {"none", ""},
  {"bad_syntax",
   "policy \"broken\"\n"
   "qualify when fit >=\n"},
  {"bad_range",
   "policy \"warn late\"\n"
   "follow-up within 10h\n"
   "  warn at 12h\n"},
};

static const char *const k_calendars[][2] = {
  {"office",
   "calendar\n"
   "  utc-offset +01:00\n"
   "  hours mon-fri 09:00-12:00, 13:00-17:30\n"
   "  hours sat 10:00-13:00\n"
   "  holiday 2026-12-25\n"
   "  holiday 2027-01-01\n"},
  {"dst",
   "utc-offset +01:00\n"
   "hours mon-sun 01:00-04:00, 09:00-17:00\n"
   "offset-change 2027-03-28T01:00:00Z +02:00\n"
   "offset-change 2027-10-31T01:00:00Z +01:00\n"},
  {"wrap",
   "utc-offset -05:30\n"
   "hours sat-mon 10:00-11:00\n"
   "hours fri 20:00-24:00\n"},
  {"never", ""},
  {"bad_syntax",
   "calendar\n"
   "  hours mon-fri 09:00-25:00\n"},
  {"bad_range",
   "utc-offset +18:30\n"},
};

/* ---- leads ----------------------------------------------------------------- */

static conf_buf g_leads, g_cases, g_part, g_reps;
static int g_nleads, g_ncases, g_nattr, g_nevent, g_nassign, g_nrep;

static void lead_begin(const char *name, const char *id) {
  conf_printf(&g_leads, "%s", g_nleads++ ? "," : "");
  conf_string(&g_leads, name);
  conf_printf(&g_leads, ":{\"id\":");
  conf_string(&g_leads, id);
  conf_printf(&g_leads, ",\"attrs\":{");
  g_nattr = g_nevent = g_nassign = 0;
  g_part.len = 0;
}

static void attr_key(const char *k) {
  conf_printf(&g_leads, "%s", g_nattr++ ? "," : "");
  conf_string(&g_leads, k);
  conf_printf(&g_leads, ":");
}
static void text(const char *k, const char *v) { attr_key(k); conf_string(&g_leads, v); }
static void num(const char *k, int64_t v) { attr_key(k); conf_printf(&g_leads, "%" PRId64, v); }
static void flag(const char *k, int v) { attr_key(k); conf_printf(&g_leads, v ? "true" : "false"); }

static void event(const char *type, lg_time at) {
  if (g_nevent++ == 0) conf_printf(&g_leads, "},\"events\":[");
  else conf_printf(&g_leads, ",");
  conf_printf(&g_leads, "[");
  conf_string(&g_leads, type);
  conf_printf(&g_leads, ",%" PRId64 "]", at);
}

/* Closes attrs/events and opens assignments with the stage. */
static void stage_part(const char *stage) {
  if (g_nevent == 0) conf_printf(&g_leads, "},\"events\":[");
  conf_printf(&g_leads, "],\"stage\":\"%s\",\"assignments\":[", stage);
}

/* An assignment; `recorded` is a comma-separated list of actions or "". */
static void assign(const char *owner, lg_time at, lg_time touched, const char *recorded) {
  conf_printf(&g_part, "%s{\"owner\":", g_nassign++ ? "," : "");
  conf_string(&g_part, owner);
  conf_printf(&g_part, ",\"at\":%" PRId64 ",\"touched_at\":", at);
  if (touched == NONE) conf_printf(&g_part, "null");
  else conf_printf(&g_part, "%" PRId64, touched);
  conf_printf(&g_part, ",\"recorded\":[");
  while (*recorded) {
    size_t n = strcspn(recorded, ",");
    conf_printf(&g_part, "\"%.*s\"", (int)n, recorded);
    recorded += n;
    if (*recorded == ',') { conf_printf(&g_part, ","); recorded++; }
  }
  conf_printf(&g_part, "]}");
}

static void lead_end(const char *stage) {
  stage_part(stage);
  if (g_part.len) conf_printf(&g_leads, "%s", g_part.p);
  conf_printf(&g_leads, "]}");
  g_part.len = 0;
  if (g_part.p) g_part.p[0] = '\0';
}

static void leads(void) {
  char long_text[1100];
  memset(long_text, 'x', 1025);
  long_text[1025] = '\0';

  /* b2b leads */
  lead_begin("hot", "L-hot");
  text("need", "high"); num("timeframe_months", 2); text("role", "Economic Buyer");
  text("industry", "SaaS"); num("employees", 250);
  event("demo_requested", T0 - 7 * DAY);
  event("content_download", T0 - 14 * DAY);
  event("content_download", T0 - DAY);
  event("webinar_attended", T0 - 30 * DAY);
  lead_end("new");

  lead_begin("warm", "L-warm");
  text("need", "medium"); num("timeframe_months", 5); text("role", "influencer");
  text("industry", "retail"); num("employees", 40);
  event("content_download", T0 - 2 * DAY);
  event("content_download", T0 - 3 * DAY);
  event("content_download", T0 - 4 * DAY);
  event("content_download", T0 - 5 * DAY);
  event("content_download", T0 - 6 * DAY);
  event("content_download", T0 - 7 * DAY);
  event("content_download", T0);
  lead_end("new");

  lead_begin("knocked", "L-knocked");
  text("need", "high"); text("persona", "Student"); num("employees", 5);
  event("demo_requested", T0 - DAY);
  lead_end("new");

  lead_begin("small", "L-small");
  text("need", "high"); num("timeframe_months", 1); text("role", "decision maker");
  num("employees", 9);
  lead_end("new");

  lead_begin("missing", "L-missing");
  text("need", "low");
  lead_end("new");

  lead_begin("bare", "L-bare");
  lead_end("new");

  lead_begin("wrong_types", "L-types");
  num("need", 3); text("timeframe_months", "soon"); flag("role", 1); flag("industry", 0);
  text("employees", "many");
  lead_end("new");

  lead_begin("unsubscribed", "L-unsub");
  text("need", "high"); num("timeframe_months", 12); text("role", "recommender");
  event("unsubscribed", T0 - DAY);
  event("webinar_attended", T0 - 60 * DAY);
  lead_end("nurture");

  lead_begin("future", "L-future");
  text("need", "high"); num("timeframe_months", 3); text("role", "Decision Maker");
  text("industry", "software");
  event("demo_requested", T0 + DAY);
  event("content_download", T0 + HOUR);
  lead_end("new");

  lead_begin("demo_edge", "L-demo-edge");
  text("need", "high"); num("timeframe_months", 3); text("role", "economic buyer");
  text("industry", "software");
  event("demo_requested", T0 - 30 * DAY);
  lead_end("new");

  lead_begin("unicode", "Łódź-42 ☃");
  text("need", "HIGH"); num("timeframe_months", -1); text("role", "Economic Buyer");
  text("industry", "Straße & Co. \"quoted\"\tand\\slashed");
  lead_end("new");

  lead_begin("sal", "L-sal");
  text("need", "high"); num("timeframe_months", 2); text("role", "economic buyer");
  text("industry", "saas"); event("demo_requested", T0 - DAY);
  lead_end("sal");

  lead_begin("won", "L-won");
  text("need", "high"); text("persona", "competitor");
  lead_end("won");

  lead_begin("disqualified", "L-disq");
  text("need", "low");
  lead_end("disqualified");

  lead_begin("mql", "L-mql");
  num("employees", 3); text("need", "high");
  lead_end("mql");

  /* leads that cannot be built */
  lead_begin("bad_time", "L-bad-time");
  event("demo_requested", LG_TIME_MAX + 1);
  lead_end("new");
  lead_begin("bad_name", "L-bad-name");
  text("Need", "high");
  lead_end("new");
  lead_begin("bad_id", "");
  lead_end("new");
  lead_begin("long_text", "L-long");
  text("need", long_text);
  lead_end("new");
  lead_begin("early_touch", "L-early-touch");
  assign("ana", T0, T0 - 1, "");
  lead_end("new");
  lead_begin("backwards", "L-backwards");
  assign("ana", T0, NONE, "");
  assign("bob", T0 - 1, NONE, "");
  lead_end("new");
  lead_begin("bad_action", "L-bad-action");
  assign("ana", T0, NONE, "none");
  lead_end("new");

  /* decay leads: every shape at one instant, and at its boundaries */
  lead_begin("decay_all", "L-decay");
  event("h_event", T0); event("x_event", T0); event("l_event", T0);
  event("d_event", T0); event("d_event", T0 - HOUR); event("d_event", T0 - 2 * HOUR);
  event("n_event", T0); event("n_event", T0 - DAY);
  event("o_event", T0 - DAY); event("o_event", T0);
  event("f_event", T0); event("f_event", T0 - DAY);
  lead_end("new");

  lead_begin("decay_spread", "L-spread");
  event("h_event", T0 - 10 * DAY); event("h_event", T0 - 20 * DAY);
  event("x_event", T0 - 10 * DAY + 1); event("l_event", T0 - 5 * DAY);
  event("n_event", T0 - 3 * DAY);
  event("f_event", T0 - 3 * DAY); event("f_event", T0 - 2 * DAY); event("f_event", T0 + DAY);
  lead_end("new");

  /* fractional leads */
  lead_begin("frac_big", "F-big");
  num("employees", 5000); flag("active", 1); text("plan", "Enterprise");
  event("visit", T0 - DAY); event("visit", T0 - 2 * DAY); event("visit", T0 - 3 * DAY);
  event("visit", T0 - 4 * DAY);
  lead_end("new");
  lead_begin("frac_neg", "F-neg");
  num("employees", -3); flag("active", 0); text("plan", "free");
  event("visit", T0 - DAY);
  lead_end("new");
  lead_begin("frac_other", "F-other");
  num("employees", 9); flag("active", 1); text("plan", "basic"); flag("blocked", 0);
  text("phone", "+44 20 7946 0000");
  lead_end("nurture");
  lead_begin("frac_blocked", "F-blocked");
  num("employees", 10); flag("blocked", 1); text("plan", "pro");
  lead_end("new");
  lead_begin("frac_test", "F-test");
  num("employees", 999); text("plan", "TEST"); flag("active", 1);
  lead_end("new");
  lead_begin("frac_limits", "F-limits");
  num("employees", INT64_C(9007199254740991)); num("zero", 0);
  lead_end("new");

  /* follow-up timelines (inbound: 48h business, Mon-Fri 09:00-17:30 and
     Sat 10:00-13:00 at UTC+1) */
  lead_begin("unassigned", "S-none");
  lead_end("new");
  lead_begin("sla_fresh", "S-fresh");
  assign("ana", T0, NONE, "");
  lead_end("mql");
  lead_begin("sla_touched", "S-touched");
  assign("ana", T0, T0 + 2 * HOUR, "");
  lead_end("mql");
  lead_begin("sla_late", "S-late");
  assign("ana", T0, T0 + 10 * DAY, "");
  lead_end("mql");
  lead_begin("sla_recorded", "S-recorded");
  assign("ana", T0, NONE, "warn,escalate");
  lead_end("mql");
  lead_begin("sla_reassigned", "S-reassigned");
  assign("ana", T0, NONE, "warn");
  assign("bob", T0 + 3 * DAY, T0 + 5 * DAY, "");
  assign("carol", T0 + 6 * DAY, NONE, "remind");
  assign("dan", T0 + 20 * DAY, NONE, "");
  lead_end("mql");
  lead_begin("sla_holiday", "S-holiday");
  assign("ana", XMAS_EVE_15Z, NONE, "");
  lead_end("mql");
  lead_begin("sla_dst", "S-dst");
  assign("ana", DST_FRI_14Z, NONE, "");
  lead_end("mql");
  lead_begin("sla_same_instant", "S-same");
  assign("ana", T0, NONE, "");
  assign("bob", T0, T0, "");
  lead_end("mql");
}

/* ---- cases ----------------------------------------------------------------- */

static void case_begin(const char *op, const char *id) {
  conf_printf(&g_cases, "%s{\"id\":", g_ncases++ ? "," : "");
  conf_string(&g_cases, id);
  conf_printf(&g_cases, ",\"op\":\"%s\"", op);
}
static void field(const char *k, const char *v) {
  conf_printf(&g_cases, ",\"%s\":", k);
  conf_string(&g_cases, v);
}
static void field_int(const char *k, int64_t v) {
  conf_printf(&g_cases, ",\"%s\":%" PRId64, k, v);
}
static void case_end(void) { conf_printf(&g_cases, "}"); }

static void lead_case(const char *op, const char *tag, const char *rubric, const char *policy,
                      const char *lead, lg_time now, int with_now) {
  char id[160];
  snprintf(id, sizeof id, "%s/%s%s%s/%s/%s", op, rubric ? rubric : "",
           rubric && policy ? "+" : "", policy ? policy : "", lead, tag);
  case_begin(op, id);
  if (rubric) field("rubric", rubric);
  if (policy) field("policy", policy);
  field("lead", lead);
  if (with_now) field_int("now", now);
  case_end();
}

static void rep(const char *id, int available, int open, int capacity, int weight, lg_time last) {
  conf_printf(&g_reps, "%s{\"id\":", g_nrep++ ? "," : "");
  conf_string(&g_reps, id);
  conf_printf(&g_reps, ",\"available\":%d,\"open_leads\":%d,\"capacity\":%d,\"weight\":%d,"
              "\"last_assigned_at\":%" PRId64 "}", available, open, capacity, weight, last);
}

static void route_case(const char *tag, const char *policy, const char *lead, lg_time now) {
  char id[160];
  snprintf(id, sizeof id, "route/%s/%s/%s", policy, lead, tag);
  case_begin("route", id);
  field("policy", policy);
  field("lead", lead);
  conf_printf(&g_cases, ",\"reps\":[%s]", g_reps.p ? g_reps.p : "");
  field_int("now", now);
  case_end();
  g_reps.len = 0;
  if (g_reps.p) g_reps.p[0] = '\0';
  g_nrep = 0;
}

static void calendar_case(const char *op, const char *calendar, const char *tag,
                          const char *k1, int64_t v1, const char *k2, int64_t v2) {
  char id[160];
  snprintf(id, sizeof id, "%s/%s/%s", op, calendar, tag);
  case_begin(op, id);
  field("calendar", calendar);
  field_int(k1, v1);
  field_int(k2, v2);
  case_end();
}

static void cases(void) {
  static const char *const b2b_leads[] = {
    "hot", "warm", "knocked", "small", "missing", "bare", "wrong_types", "unsubscribed",
    "future", "demo_edge", "unicode", "sal", "won", "disqualified", "mql"};
  static const char *const bad_leads[] = {"bad_time", "bad_name", "bad_id", "long_text",
                                          "early_touch", "backwards", "bad_action"};
  static const char *const frac_leads[] = {"frac_big", "frac_neg", "frac_other",
                                           "frac_blocked", "frac_test", "frac_limits", "bare"};
  static const char *const policies[] = {"inbound", "wall", "attrs", "window", "none"};
  static const char *const sla_leads[] = {
    "unassigned", "sla_fresh", "sla_touched", "sla_late", "sla_recorded", "sla_reassigned",
    "sla_same_instant", "hot"};
  static const struct { const char *tag; lg_time now; } b2b_nows[] = {
    {"t0", T0}, {"t0+1d", T0 + DAY}, {"t0+23d", T0 + 23 * DAY}, {"t0+31d", T0 + 31 * DAY}};
  static const struct { const char *tag; lg_time now; } decay_nows[] = {
    {"t0-1s", T0 - 1}, {"t0", T0}, {"t0+1s", T0 + 1}, {"t0+1d", T0 + DAY},
    {"t0+5d", T0 + 5 * DAY}, {"t0+10d-1s", T0 + 10 * DAY - 1}, {"t0+10d", T0 + 10 * DAY},
    {"t0+20d", T0 + 20 * DAY}, {"t0+100y", T0 + 36524 * DAY}, {"max", LG_TIME_MAX},
    {"min", LG_TIME_MIN}};
  static const struct { const char *tag; lg_time now; } sla_nows[] = {
    {"t0-1s", T0 - 1}, {"t0", T0}, {"t0+1h", T0 + HOUR}, {"t0+1d", T0 + DAY},
    {"t0+1d6h", T0 + DAY + 6 * HOUR}, {"t0+2d", T0 + 2 * DAY}, {"t0+3d", T0 + 3 * DAY},
    {"t0+4d", T0 + 4 * DAY}, {"t0+5d", T0 + 5 * DAY}, {"t0+6d", T0 + 6 * DAY},
    {"t0+7d", T0 + 7 * DAY}, {"t0+9d", T0 + 9 * DAY}, {"t0+12d", T0 + 12 * DAY},
    {"t0+21d", T0 + 21 * DAY}};
  size_t i, j, k;

  for (i = 0; i < sizeof b2b_leads / sizeof *b2b_leads; i++) {
    for (j = 0; j < sizeof b2b_nows / sizeof *b2b_nows; j++) {
      lead_case("score", b2b_nows[j].tag, "b2b", NULL, b2b_leads[i], b2b_nows[j].now, 1);
      lead_case("explain", b2b_nows[j].tag, "b2b", NULL, b2b_leads[i], b2b_nows[j].now, 1);
      for (k = 0; k < sizeof policies / sizeof *policies; k++)
        lead_case("decide", b2b_nows[j].tag, "b2b", policies[k], b2b_leads[i],
                  b2b_nows[j].now, 1);
    }
    lead_case("next_question", "any", "b2b", NULL, b2b_leads[i], 0, 0);
  }
  for (i = 0; i < sizeof frac_leads / sizeof *frac_leads; i++) {
    lead_case("score", "t0", "fractional", NULL, frac_leads[i], T0, 1);
    lead_case("explain", "t0", "fractional", NULL, frac_leads[i], T0, 1);
    lead_case("next_question", "any", "fractional", NULL, frac_leads[i], 0, 0);
    lead_case("decide", "t0", "fractional", "attrs", frac_leads[i], T0, 1);
    lead_case("decide", "t0", "fractional", "wall", frac_leads[i], T0, 1);
  }
  for (i = 0; i < 2; i++) {
    const char *lead = i ? "decay_spread" : "decay_all";
    for (j = 0; j < sizeof decay_nows / sizeof *decay_nows; j++) {
      lead_case("score", decay_nows[j].tag, "decay", NULL, lead, decay_nows[j].now, 1);
      lead_case("explain", decay_nows[j].tag, "decay", NULL, lead, decay_nows[j].now, 1);
      lead_case("decide", decay_nows[j].tag, "decay", "window", lead, decay_nows[j].now, 1);
    }
  }
  lead_case("score", "after-max", "decay", NULL, "decay_all", LG_TIME_MAX + 1, 1);
  lead_case("decide", "before-min", "decay", "window", "decay_all", LG_TIME_MIN - 1, 1);
  lead_case("explain", "after-max", "decay", NULL, "decay_all", LG_TIME_MAX + 1, 1);
  lead_case("score", "t0", "empty", NULL, "hot", T0, 1);
  lead_case("explain", "t0", "empty", NULL, "hot", T0, 1);
  lead_case("next_question", "any", "empty", NULL, "hot", 0, 0);
  lead_case("decide", "t0", "empty", "none", "hot", T0, 1);
  for (i = 0; i < sizeof bad_leads / sizeof *bad_leads; i++) {
    lead_case("score", "t0", "b2b", NULL, bad_leads[i], T0, 1);
    lead_case("sla", "t0", NULL, "inbound", bad_leads[i], T0, 1);
  }
  lead_case("score", "t0", "bad_syntax", NULL, "hot", T0, 1);
  lead_case("score", "t0", "bad_limit", NULL, "hot", T0, 1);
  lead_case("decide", "t0", "b2b", "bad_syntax", "hot", T0, 1);
  lead_case("decide", "t0", "b2b", "bad_range", "hot", T0, 1);
  lead_case("decide", "t0", "bad_syntax", "bad_syntax", "hot", T0, 1);

  for (k = 0; k < 4; k++) {
    const char *policy = k == 0 ? "inbound" : k == 1 ? "wall" : k == 2 ? "window" : "none";
    for (i = 0; i < sizeof sla_leads / sizeof *sla_leads; i++)
      for (j = 0; j < sizeof sla_nows / sizeof *sla_nows; j++)
        if (k < 2 || j % 3 == 1)
          lead_case("sla", sla_nows[j].tag, NULL, policy, sla_leads[i], sla_nows[j].now, 1);
  }
  for (j = 0; j < 8; j++) {
    static const lg_time offs[8] = {0, 4 * HOUR, DAY, 3 * DAY, 5 * DAY, 8 * DAY, 14 * DAY,
                                    30 * DAY};
    char tag[32];
    lg_time holiday_start = XMAS_EVE_15Z;
    lg_time dst_start = DST_FRI_14Z;
    snprintf(tag, sizeof tag, "start+%" PRId64 "h", offs[j] / HOUR);
    lead_case("sla", tag, NULL, "inbound", "sla_holiday", holiday_start + offs[j], 1);
    lead_case("sla", tag, NULL, "inbound", "sla_dst", dst_start + offs[j], 1);
  }
  lead_case("sla", "after-max", NULL, "inbound", "sla_fresh", LG_TIME_MAX + 1, 1);
  lead_case("sla", "max", NULL, "inbound", "sla_fresh", LG_TIME_MAX, 1);

  /* routing */
  rep("ana", 1, 3, 10, 1, T0 - HOUR); rep("bob", 1, 1, 10, 1, T0 - 2 * HOUR);
  rep("carol", 1, 1, 5, 1, T0 - 3 * HOUR);
  route_case("load-ratio", "inbound", "hot", T0);
  rep("ana", 1, 2, 4, 1, T0 - HOUR); rep("bob", 1, 1, 2, 1, T0 - 2 * HOUR);
  route_case("exact-tie-earliest", "inbound", "hot", T0);
  rep("ana", 1, 2, 4, 1, T0); rep("bob", 1, 1, 2, 1, T0);
  route_case("tie-lowest-index", "inbound", "hot", T0);
  rep("ana", 0, 0, 10, 1, T0); rep("bob", 1, 10, 10, 1, T0); rep("carol", 1, 9, 10, 1, T0);
  route_case("away-and-full", "inbound", "hot", T0);
  rep("ana", 1, 1, 0, 1, T0); rep("bob", 1, 9, 10, 1, T0); rep("carol", 1, 0, 0, 1, T0);
  route_case("unlimited", "inbound", "hot", T0);
  rep("ana", 1, 0, 10, 1, T0); rep("bob", 1, 0, 10, 1, T0); rep("erin", 1, 5, 10, 1, T0);
  route_case("previous-holders", "inbound", "sla_reassigned", T0 + 30 * DAY);
  rep("ana", 1, 0, 10, 1, T0); rep("bob", 1, 0, 10, 1, T0); rep("dan", 0, 0, 10, 1, T0);
  route_case("only-holders", "inbound", "sla_reassigned", T0 + 30 * DAY);
  rep("ana", 0, 0, 10, 1, T0); rep("bob", 1, 5, 5, 1, T0);
  route_case("nobody", "inbound", "hot", T0);
  route_case("no-reps", "inbound", "hot", T0);
  rep("ana", 1, 0, 10, 1, T0); rep("bob", 1, 0, 10, 0, T0);
  route_case("bad-weight", "inbound", "hot", T0);
  rep("ana", 1, -1, 10, 1, T0);
  route_case("bad-open", "inbound", "hot", T0);
  rep("ana", 1, 0, 10, 1, LG_TIME_MAX + 1);
  route_case("bad-time", "inbound", "hot", T0);
  rep("ana", 1, 0, 0, 1, T0 - 3 * HOUR); rep("bob", 1, 0, 0, 2, T0 - 2 * HOUR);
  rep("carol", 1, 0, 0, 3, T0 - HOUR);
  route_case("weighted", "wall", "hot", T0);
  rep("ana", 1, 0, 0, 1, T0 - 2 * HOUR); rep("bob", 1, 0, 0, 2, T0 - HOUR);
  route_case("weighted-level", "wall", "hot", T0);
  rep("ana", 1, 0, 0, 5, T0 + HOUR); rep("bob", 1, 0, 0, 1, T0);
  route_case("future-last", "wall", "hot", T0);
  rep("ana", 1, 0, 0, 1000, T0 - 1); rep("bob", 1, 0, 0, 1, LG_TIME_MIN);
  route_case("never-assigned", "wall", "hot", T0);
  rep("ana", 1, 0, 0, 2147483647, LG_TIME_MIN); rep("bob", 1, 0, 0, 2147483647, LG_TIME_MIN + 1);
  route_case("extremes", "wall", "hot", LG_TIME_MAX);
  rep("ana", 1, 0, 0, 1, T0);
  route_case("bad-now", "wall", "hot", LG_TIME_MAX + 1);
  rep("ana", 1, 0, 0, 1, T0);
  route_case("none-policy", "none", "hot", T0);

  /* calendars: office (Mon-Fri 09:00-12:00, 13:00-17:30, Sat 10:00-13:00 at +01:00) */
  calendar_case("calendar_add", "office", "zero", "start", T0, "duration", 0);
  calendar_case("calendar_add", "office", "within-morning", "start", T0, "duration", 30 * MIN_);
  calendar_case("calendar_add", "office", "to-noon-close", "start", T0, "duration", HOUR);
  calendar_case("calendar_add", "office", "over-lunch", "start", T0, "duration", HOUR + 1);
  calendar_case("calendar_add", "office", "to-evening-close", "start", T0,
                "duration", 5 * HOUR + 30 * MIN_);
  calendar_case("calendar_add", "office", "48h", "start", T0, "duration", 48 * HOUR);
  calendar_case("calendar_add", "office", "from-night", "start", T0 - 10 * HOUR,
                "duration", MIN_);
  calendar_case("calendar_add", "office", "friday-to-saturday", "start", T0 + 4 * DAY + 6 * HOUR,
                "duration", 2 * HOUR);
  calendar_case("calendar_add", "office", "over-christmas", "start",
                XMAS_EVE_15Z, "duration", 4 * HOUR);
  calendar_case("calendar_add", "office", "new-year", "start", NYE_15Z,
                "duration", 10 * HOUR);
  calendar_case("calendar_add", "office", "negative", "start", T0, "duration", -1);
  calendar_case("calendar_add", "office", "bad-start", "start", LG_TIME_MAX + 1, "duration", 1);
  calendar_case("calendar_add", "office", "past-max", "start", LG_TIME_MAX - DAY,
                "duration", 100 * HOUR);
  calendar_case("calendar_add", "office", "a-year", "start", T0, "duration", 2000 * HOUR);
  calendar_case("calendar_between", "office", "day", "a", T0 - 10 * HOUR, "b", T0 + 14 * HOUR);
  calendar_case("calendar_between", "office", "week", "a", T0 - 10 * HOUR, "b",
                T0 + 7 * DAY - 10 * HOUR);
  calendar_case("calendar_between", "office", "reversed", "a", T0 + HOUR, "b", T0);
  calendar_case("calendar_between", "office", "empty", "a", T0, "b", T0);
  calendar_case("calendar_between", "office", "christmas-week", "a", XMAS_WEEK,
                "b", XMAS_WEEK + 7 * DAY);
  calendar_case("calendar_between", "office", "bad-b", "a", T0, "b", LG_TIME_MAX + 1);
  calendar_case("calendar_between", "office", "year", "a", T0, "b", T0 + 365 * DAY);
  /* dst: daily 01:00-04:00 and 09:00-17:00 local, +01:00 -> +02:00 at
     2027-03-28T01:00Z, back at 2027-10-31T01:00Z */
  calendar_case("calendar_between", "dst", "spring-day", "a", SPRING_0Z - DAY,
                "b", SPRING_0Z + DAY);
  calendar_case("calendar_between", "dst", "spring-night", "a", SPRING_0Z - HOUR,
                "b", SPRING_0Z + 3 * HOUR);
  calendar_case("calendar_between", "dst", "autumn-night", "a", AUTUMN_0Z - 2 * HOUR,
                "b", AUTUMN_0Z + 4 * HOUR);
  calendar_case("calendar_between", "dst", "day-before-spring", "a",
                SPRING_0Z - 2 * DAY, "b", SPRING_0Z - DAY);
  calendar_case("calendar_add", "dst", "across-spring", "start", SPRING_0Z - 1,
                "duration", 90 * MIN_);
  calendar_case("calendar_add", "dst", "across-autumn", "start", AUTUMN_0Z - 2 * HOUR,
                "duration", 3 * HOUR);
  calendar_case("calendar_add", "dst", "summer-morning", "start", INT64_C(1815000000),
                "duration", 8 * HOUR);
  /* wrap: Sat, Sun, Mon 10:00-11:00 and Fri 20:00-24:00 at -05:30 */
  calendar_case("calendar_add", "wrap", "friday-night", "start", T0 + 4 * DAY, "duration",
                5 * HOUR);
  calendar_case("calendar_between", "wrap", "week", "a", T0, "b", T0 + 7 * DAY);
  calendar_case("calendar_between", "wrap", "min-max", "a", LG_TIME_MIN, "b", LG_TIME_MAX);
  calendar_case("calendar_add", "never", "zero", "start", T0, "duration", 0);
  calendar_case("calendar_add", "never", "one", "start", T0, "duration", 1);
  calendar_case("calendar_between", "never", "year", "a", T0, "b", T0 + 365 * DAY);
  calendar_case("calendar_add", "bad_syntax", "one", "start", T0, "duration", 1);
  calendar_case("calendar_between", "bad_range", "one", "a", T0, "b", T0 + 1);
}

/* ---- output ---------------------------------------------------------------- */

static void write_map(const char *key, const char *const (*defs)[2], size_t n, int last) {
  size_t i;
  printf("\"%s\":{\n", key);
  for (i = 0; i < n; i++) {
    json_write_string(stdout, defs[i][0], strlen(defs[i][0]));
    printf(":");
    json_write_string(stdout, defs[i][1], strlen(defs[i][1]));
    printf("%s\n", i + 1 < n ? "," : "");
  }
  printf("}%s\n", last ? "" : ",");
}

int main(void) {
  conf_buf input = {NULL, 0, 0, 0};
  json *root, *result;
  const json *list, *lmap;
  char err[256];
  size_t i, j;
  int status = 0;

  leads();
  cases();
  conf_printf(&input, "{\"format\":1,\"rubrics\":{");
  for (i = 0; i < sizeof k_rubrics / sizeof *k_rubrics; i++) {
    conf_printf(&input, "%s", i ? "," : "");
    conf_string(&input, k_rubrics[i][0]);
    conf_printf(&input, ":");
    conf_string(&input, k_rubrics[i][1]);
  }
  conf_printf(&input, "},\"policies\":{");
  for (i = 0; i < sizeof k_policies / sizeof *k_policies; i++) {
    conf_printf(&input, "%s", i ? "," : "");
    conf_string(&input, k_policies[i][0]);
    conf_printf(&input, ":");
    conf_string(&input, k_policies[i][1]);
  }
  conf_printf(&input, "},\"calendars\":{");
  for (i = 0; i < sizeof k_calendars / sizeof *k_calendars; i++) {
    conf_printf(&input, "%s", i ? "," : "");
    conf_string(&input, k_calendars[i][0]);
    conf_printf(&input, ":");
    conf_string(&input, k_calendars[i][1]);
  }
  conf_printf(&input, "},\"leads\":{%s},\"cases\":[%s]}", g_leads.p, g_cases.p);
  if (input.oom || g_leads.oom || g_cases.oom || g_part.oom || g_reps.oom) {
    fprintf(stderr, "gen_cases: out of memory\n");
    return 1;
  }
  root = json_parse(input.p, input.len, err, sizeof err);
  if (!root) {
    fprintf(stderr, "gen_cases: the inputs are not valid JSON: %s\n", err);
    return 1;
  }

  printf("{\"format\":1,\n");
  write_map("rubrics", k_rubrics, sizeof k_rubrics / sizeof *k_rubrics, 0);
  write_map("policies", k_policies, sizeof k_policies / sizeof *k_policies, 0);
  write_map("calendars", k_calendars, sizeof k_calendars / sizeof *k_calendars, 0);
  printf("\"leads\":{\n");
  lmap = json_get(root, "leads");
  for (i = 0; i < lmap->len; i++) {
    json_write_string(stdout, lmap->keys[i], strlen(lmap->keys[i]));
    printf(":");
    json_write(stdout, lmap->items[i]);
    printf("%s\n", i + 1 < lmap->len ? "," : "");
  }
  printf("},\n\"cases\":[\n");
  list = json_get(root, "cases");
  for (i = 0; i < list->len; i++) {
    const json *c = list->items[i];
    for (j = 0; j < i; j++)
      if (strcmp(json_get(list->items[j], "id")->str, json_get(c, "id")->str) == 0) {
        fprintf(stderr, "gen_cases: duplicate case id %s\n", json_get(c, "id")->str);
        status = 1;
      }
    result = conf_run(root, c, err, sizeof err);
    if (!result) {
      fprintf(stderr, "gen_cases: %s\n", err);
      status = 1;
      continue;
    }
    printf("{");
    for (j = 0; j < c->len; j++) {
      printf("%s", j ? "," : "");
      json_write_string(stdout, c->keys[j], strlen(c->keys[j]));
      printf(":");
      json_write(stdout, c->items[j]);
    }
    printf(",\"expect\":");
    json_write(stdout, result);
    printf("}%s\n", i + 1 < list->len ? "," : "");
    json_free(result);
  }
  printf("]}\n");
  json_free(root);
  conf_buf_free(&input);
  conf_buf_free(&g_leads);
  conf_buf_free(&g_cases);
  conf_buf_free(&g_part);
  conf_buf_free(&g_reps);
  return status;
}
