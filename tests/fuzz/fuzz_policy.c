/*
 * fuzz_policy.c - libFuzzer target for lg_policy_parse.
 *
 * The input is policy text.  Parsing must be safe on anything and fill
 * lg_error by contract; a policy that parses must round-trip (canonical
 * text -> parse -> same text and fingerprint, fingerprint == FNV-1a of the
 * text).  Every policy that parses is then put to work on fixed leads
 * against the reference rubric: lg_decide, lg_sla_eval (with the exactness of
 * next_at), lg_route and lg_stats, so that odd expressions, calendars and
 * ladders the fuzzer invents reach the evaluators too.
 */
#include "fuzz_common.h"

#include "../reference_example.h"

#define HOUR INT64_C(3600)
#define DAY  INT64_C(86400)

static lg_rubric *rubric;
static lg_lead   *leads[3]; /* fresh; assigned twice, untouched; touched */

static lg_status policy_text(const void *obj, char *buf, size_t cap, size_t *needed) {
  return lg_policy_to_text((const lg_policy *)obj, buf, cap, needed);
}

static void must(lg_status st) { FZ_CHECK(st == LG_OK, "setup: %s", lg_status_name(st)); }

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const lg_time t = LG_EXAMPLE_EPOCH;
  (void)argc;
  (void)argv;
  must(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &rubric, NULL));

  must(lg_lead_create("fresh", &leads[0]));
  must(lg_lead_set_text(leads[0], "need", "high"));
  must(lg_lead_set_int(leads[0], "timeframe_months", 2));
  must(lg_lead_set_text(leads[0], "role", "influencer"));
  must(lg_lead_add_event(leads[0], "demo_requested", t - 3 * DAY));

  must(lg_lead_clone(leads[0], &leads[1]));
  must(lg_lead_set_text(leads[1], "industry", "saas"));
  must(lg_lead_set_text(leads[1], "persona", "consultant"));
  must(lg_lead_set_stage(leads[1], LG_STAGE_MQL, t - 2 * DAY));
  must(lg_lead_assign(leads[1], "rep-a", t - 2 * DAY + 7 * HOUR));
  must(lg_lead_record_action(leads[1], LG_ACTION_WARN, t - DAY));
  must(lg_lead_assign(leads[1], "rep-b", t + 9 * HOUR + 60));

  must(lg_lead_clone(leads[1], &leads[2]));
  must(lg_lead_set_stage(leads[2], LG_STAGE_SAL, t + 10 * HOUR));
  must(lg_lead_touch(leads[2], t + 30 * HOUR));
  return 0;
}

/* Routing must pick an available rep with room; stats must see every
 * assignment of the leads it was given. */
static void check_route_and_stats(const lg_policy *p) {
  lg_rep         reps[4];
  size_t         chosen = 99, i, assigned = 0;
  lg_stats      *stats = NULL;
  lg_rep_stats   rs;
  lg_status      st;
  const lg_time  now = LG_EXAMPLE_EPOCH + 5 * DAY;

  memset(reps, 0, sizeof reps);
  memset(reps, 0, sizeof reps);
  reps[0].id = "rep-a"; reps[0].available = 1; reps[0].open_leads = 3; reps[0].capacity = 10;
  reps[0].weight = 1;
  reps[1].id = "rep-b"; reps[1].available = 0; reps[1].weight = 2;
  reps[2].id = "rep-c"; reps[2].available = 1; reps[2].open_leads = 5; reps[2].capacity = 5;
  reps[2].weight = 1;
  reps[3].id = "rep-d"; reps[3].available = 1; reps[3].open_leads = 7; reps[3].weight = 3;
  reps[3].last_assigned_at = now - DAY;
  st = lg_route(p, leads[1], reps, 4, now, &chosen);
  FZ_CHECK(st == LG_OK, "route: %s", lg_status_name(st));
  /* rep-a and rep-b held the lead, rep-b is away, rep-c is full. */
  FZ_CHECK(chosen == 3, "route chose rep %zu, want the only eligible rep-d", chosen);

  must(lg_stats_create(p, &stats));
  for (i = 0; i < 3; i++) must(lg_stats_add(stats, leads[i], now));
  FZ_CHECK(lg_stats_rep_count(stats) == 2, "%zu reps", lg_stats_rep_count(stats));
  for (i = 0; i < lg_stats_rep_count(stats); i++) {
    must(lg_stats_rep(stats, i, &rs));
    FZ_CHECK(rs.touched <= rs.assigned && rs.touched_in_sla <= rs.touched,
             "rep %s: assigned %u touched %u in sla %u", rs.rep, rs.assigned, rs.touched,
             rs.touched_in_sla);
    FZ_CHECK(rs.median_response <= rs.p90_response, "median above p90");
    assigned += rs.assigned;
  }
  FZ_CHECK(assigned == 4, "stats saw %zu assignments", assigned);
  lg_stats_free(stats);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const lg_time offsets[] = {0, 9 * HOUR + 59, 10 * HOUR, 30 * HOUR, 4 * DAY,
                                    45 * DAY, 800 * DAY};
  lg_policy *p = (lg_policy *)&p, *again = NULL;
  lg_policy *const sentinel = p;
  lg_error   err;
  lg_status  st;
  char      *text1, *text2;
  size_t     n1, n2, i, k;

  memset(&err, 0x5a, sizeof err);
  st = lg_policy_parse((const char *)data, size, &p, &err);
  fz_check_error(&err, st);
  if (st != LG_OK) {
    FZ_CHECK(p == sentinel, "*out written on failure (%s)", lg_status_name(st));
    return 0;
  }

  text1 = fz_to_text(policy_text, p, &n1);
  FZ_CHECK(lg_policy_fingerprint(p) == fz_fnv1a(text1, n1), "fingerprint is not FNV-1a");
  st = lg_policy_parse(text1, n1, &again, &err);
  FZ_CHECK(st == LG_OK, "canonical text does not parse: %s at %u:%u: %s\n%s",
           lg_status_name(st), err.line, err.column, err.message, text1);
  text2 = fz_to_text(policy_text, again, &n2);
  FZ_CHECK(n1 == n2 && memcmp(text1, text2, n1) == 0,
           "canonical text is not a fixed point:\n--- first\n%s--- second\n%s", text1, text2);
  FZ_CHECK(lg_policy_fingerprint(p) == lg_policy_fingerprint(again), "fingerprint changed");
  FZ_CHECK(lg_policy_calendar(p) != NULL, "no calendar");

  for (i = 0; i < 3; i++)
    for (k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
      lg_time now = LG_EXAMPLE_EPOCH + offsets[k];
      fz_check_decision(rubric, p, leads[i], now);
      /* Every entry of the fixed timelines lies before now from 30 h on. */
      fz_check_sla(p, leads[i], now, offsets[k] >= 30 * HOUR);
    }
  fz_check_sla(p, leads[1], LG_TIME_MAX, 1);
  fz_check_sla(p, leads[1], LG_TIME_MAX + 1, 1);
  check_route_and_stats(p);

  free(text1);
  free(text2);
  lg_policy_free(again);
  lg_policy_free(p);
  return 0;
}
