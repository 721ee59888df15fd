/*
 * demo.c - the smallest end-to-end tour: parse a rubric and a policy, build
 * two leads, and print what leadgate says about them (scores, the MQL
 * decision and its reason, the explanation, the next question to ask, and
 * the follow-up SLA once a rep owns the lead).  Public API only.
 */
#include <leadgate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char rubric_text[] =
    "rubric \"b2b-default\"\n"
    "fit \"need\" from need\n"
    "  when \"high\" -> 3\n"
    "  when \"medium\" -> 2\n"
    "  when \"low\" -> 1\n"
    "fit \"timeframe\" from timeframe_months\n"
    "  when <= 3 -> 3\n"
    "  when 4..6 -> 2\n"
    "  when > 6 -> 1\n"
    "fit \"authority\" from role\n"
    "  when \"decision maker\", \"economic buyer\" -> 3\n"
    "  when \"influencer\" -> 2\n"
    "  when \"recommender\" -> 1\n"
    "fit \"profile\" from industry\n"
    "  when \"software\", \"saas\" -> 3\n"
    "  otherwise -> 1\n"
    "engagement \"demo request\" on demo_requested -> 25 expire 30d\n"
    "engagement \"content\" on content_download -> 2 each max 10 half-life 14d\n"
    "engagement \"webinar\" on webinar_attended -> 5 each half-life 30d\n"
    "knockout \"not a buyer\" when persona is \"student\", \"consultant\", \"competitor\"\n";

static const char policy_text[] =
    "policy \"inbound-emea\"\n"
    "qualify when fit >= 8 and (event demo_requested within 30d or engagement >= 15)\n"
    "grade \"A\" when fit >= 10\n"
    "grade \"B\" when fit >= 8\n"
    "grade \"C\"\n"
    "calendar\n"
    "  utc-offset +01:00\n"
    "  hours mon-fri 09:00-17:30\n"
    "follow-up within 48h business\n"
    "  warn at 75%\n"
    "  escalate at 36h\n"
    "  reassign at 48h max 2\n";

#define DAY INT64_C(86400)
/* Monday 2026-11-23 10:00 UTC: the demo's "now". */
static const lg_time now = INT64_C(1795428000);

static void check(lg_status st, const char *what) {
  if (st != LG_OK) {
    fprintf(stderr, "demo: %s: %s\n", what, lg_status_message(st));
    exit(1);
  }
}

static void print_points(const char *label, lg_points p) {
  printf("%s%s%lld.%03lld", label, p < 0 ? "-" : "", (long long)llabs(p / 1000),
         (long long)llabs(p % 1000));
}

static void report(const lg_rubric *rubric, const lg_policy *policy, const lg_lead *lead) {
  lg_decision     d;
  lg_contribution items[16];
  size_t          n, i;
  const char     *question;
  lg_points       gain;
  lg_sla_status   sla;

  check(lg_decide(rubric, policy, lead, now, &d), "decide");
  printf("lead %s\n  ", lg_lead_id(lead));
  print_points("fit ", d.score.fit);
  print_points("  engagement ", d.score.engagement);
  print_points("  total ", d.score.total);
  printf("\n  verdict %s, grade \"%s\", because: %s\n", lg_verdict_name((lg_verdict)d.verdict),
         d.grade, d.reason);
  printf("  recommended stage: %s\n", lg_stage_name((lg_stage)d.stage));

  check(lg_explain(rubric, lead, now, items, sizeof items / sizeof items[0], &n), "explain");
  for (i = 0; i < n; i++) {
    printf("    %-10s %-12s %-18s", lg_kind_name((lg_kind)items[i].kind), items[i].criterion,
           items[i].attribute);
    print_points("", items[i].points);
    print_points(" of ", items[i].max_points);
    printf("%s\n", items[i].missing ? "  (missing)" : "");
  }
  if (lg_next_question(rubric, lead, &question, &gain) == LG_OK) {
    printf("  ask next about '%s'", question);
    print_points(" (worth up to ", gain);
    printf(" points)\n");
  }
  check(lg_sla_eval(policy, lead, now, &sla), "sla");
  if (sla.state != LG_SLA_NONE)
    printf("  follow-up: %s, action %s, %lld business minutes left\n",
           lg_sla_state_name((lg_sla_state)sla.state), lg_action_name((lg_action)sla.action),
           (long long)(sla.remaining / 60));
}

int main(void) {
  lg_rubric *rubric = NULL;
  lg_policy *policy = NULL;
  lg_lead   *ideal = NULL, *researcher = NULL;
  lg_error   err;
  int        i;

  if (lg_rubric_parse(rubric_text, strlen(rubric_text), &rubric, &err) != LG_OK ||
      lg_policy_parse(policy_text, strlen(policy_text), &policy, &err) != LG_OK) {
    fprintf(stderr, "demo: %u:%u: %s\n", err.line, err.column, err.message);
    return 1;
  }
  printf("leadgate %s, rubric %016llx, policy %016llx\n\n", lg_version_string(),
         (unsigned long long)lg_rubric_fingerprint(rubric),
         (unsigned long long)lg_policy_fingerprint(policy));

  /* A VP at a SaaS company who asked for a demo a week ago, assigned to a
   * rep on Friday morning and not called yet. */
  check(lg_lead_create("acme-vp", &ideal), "create");
  check(lg_lead_set_text(ideal, "need", "high"), "set");
  check(lg_lead_set_int(ideal, "timeframe_months", 2), "set");
  check(lg_lead_set_text(ideal, "role", "Economic Buyer"), "set");
  check(lg_lead_set_text(ideal, "industry", "SaaS"), "set");
  check(lg_lead_add_event(ideal, "demo_requested", now - 7 * DAY), "event");
  check(lg_lead_add_event(ideal, "webinar_attended", now - 20 * DAY), "event");
  check(lg_lead_assign(ideal, "rep-ana", now - 3 * DAY), "assign");

  /* A consultant who downloaded a dozen white papers: busy, not a buyer. */
  check(lg_lead_create("busy-reader", &researcher), "create");
  check(lg_lead_set_text(researcher, "need", "medium"), "set");
  check(lg_lead_set_text(researcher, "persona", "consultant"), "set");
  check(lg_lead_set_text(researcher, "industry", "consulting"), "set");
  for (i = 0; i < 12; i++)
    check(lg_lead_add_event(researcher, "content_download", now - (i * 2 + 1) * DAY), "event");

  report(rubric, policy, ideal);
  printf("\n");
  report(rubric, policy, researcher);

  lg_lead_free(ideal);
  lg_lead_free(researcher);
  lg_policy_free(policy);
  lg_rubric_free(rubric);
  return 0;
}
