/*
 * bench_sla.c - cost of one lg_sla_eval.
 *
 *   bench_sla [CALLS]    evaluations (default 1,000,000)
 *
 * The reference policy: a business-hours calendar with a holiday and DST
 * changes, `follow-up within 48h business` and a five-step ladder (warn,
 * remind, escalate, reassign, recycle).  4,096 leads assigned at random
 * instants of 2026, a quarter of them touched, some with an action already
 * recorded, some reassigned; each evaluated at a random `now` up to ten
 * days after its assignment, so every state and most steps show up.
 *
 * Then the same leads under the policy with two follow-up tiers in front
 * (half the leads with a demo request the day before their assignment),
 * and with two snoozes on every current clock.
 *
 * Prints (best and median of BENCH_RUNS runs):
 *   sla_eval ns_per_call=... median_ns=...
 *   sla_eval_tiers ...   sla_eval_snoozed ...
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include <string.h>

#include "reference_example.h"

#define DAY     INT64_C(86400)
#define N_LEADS 4096

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Times `calls` evaluations BENCH_RUNS times; prints the best run and the
 * median run, in ns a call. */
static void time_evals(const char *name, const lg_policy *policy, lg_lead *const *leads,
                       const lg_time *nows, size_t calls) {
  double        runs[BENCH_RUNS], t0;
  lg_sla_status s;
  size_t        i;
  int           run;
  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    for (i = 0; i < calls; i++) {
      bench_must(lg_sla_eval(policy, leads[i % N_LEADS], nows[i % N_LEADS], &s), "eval");
      bench_sink += s.next_at;
    }
    runs[run] = bench_now() - t0;
  }
  qsort(runs, BENCH_RUNS, sizeof runs[0], cmp_double);
  printf("%s ns_per_call=%.1f median_ns=%.1f\n", name, runs[0] * 1e9 / (double)calls,
         runs[BENCH_RUNS / 2] * 1e9 / (double)calls);
}

/* The reference policy with two tiers in front of its rule: a demo request
 * in the last day gets 1 business hour, grade A 4; the rest as before. */
static lg_policy *tiered_policy(void) {
  static char text[8192];
  const char *rule = strstr(lg_example_policy, "follow-up");
  size_t      head = (size_t)(rule - lg_example_policy);
  lg_policy  *p;
  memcpy(text, lg_example_policy, head);
  snprintf(text + head, sizeof text - head,
           "follow-up within 1h business when event demo_requested within 1d\n"
           "  escalate at 2h\n"
           "follow-up within 4h business when attr grade is \"A\"\n"
           "%s",
           rule);
  bench_must(lg_policy_parse(text, strlen(text), &p, NULL), "tiered policy");
  return p;
}

int main(int argc, char **argv) {
  size_t        calls = bench_size(argc, argv, 1000000), i;
  lg_policy    *policy;
  lg_lead      *leads[N_LEADS];
  lg_time       nows[N_LEADS];
  lg_sla_status s;
  lg_policy    *tiers;
  int           states[6] = {0, 0, 0, 0, 0, 0};
  const lg_time from = INT64_C(1767225600); /* 2026-01-01 */

  bench_must(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &policy, NULL),
             "policy");
  for (i = 0; i < N_LEADS; i++) {
    lg_time at = from + bench_range(0, 360 * DAY);
    bench_must(lg_lead_create("sla", &leads[i]), "create");
    if (bench_range(0, 4) == 0) { /* an earlier owner let it go */
      bench_must(lg_lead_assign(leads[i], "rep-early", at - 3 * DAY), "assign");
    }
    bench_must(lg_lead_assign(leads[i], "rep-now", at), "assign");
    if (bench_range(0, 3) == 0)
      bench_must(lg_lead_touch(leads[i], at + bench_range(0, 5 * DAY)), "touch");
    if (bench_range(0, 5) == 0)
      bench_must(lg_lead_record_action(leads[i], (lg_action)bench_range(1, 3), at), "record");
    nows[i] = at + bench_range(0, 10 * DAY);
  }
  time_evals("sla_eval", policy, leads, nows, calls);
  for (i = 0; i < N_LEADS; i++) {
    bench_must(lg_sla_eval(policy, leads[i], nows[i], &s), "eval");
    states[s.state]++;
  }
  printf("sla_mix running=%d warning=%d breached=%d met=%d met_late=%d\n", states[1], states[2],
         states[3], states[4], states[5]);
  /* Tiers: half the leads have a demo request the day before. */
  tiers = tiered_policy();
  for (i = 0; i < N_LEADS; i += 2)
    bench_must(lg_lead_add_event(leads[i], "demo_requested", nows[i] - 11 * DAY), "event");
  time_evals("sla_eval_tiers", tiers, leads, nows, calls);
  /* Snoozes: every lead's current clock paused twice (a day, an hour). */
  for (i = 0; i < N_LEADS; i++) {
    lg_time at;
    bench_must(lg_lead_assignment_at(leads[i], lg_lead_assignment_count(leads[i]) - 1, NULL,
                                     &at, NULL),
               "read back");
    bench_must(lg_lead_snooze(leads[i], at + 3600, at + DAY), "snooze");
    bench_must(lg_lead_snooze(leads[i], at + 2 * DAY, at + 2 * DAY + 3600), "snooze");
  }
  time_evals("sla_eval_snoozed", policy, leads, nows, calls);
  for (i = 0; i < N_LEADS; i++) lg_lead_free(leads[i]);
  lg_policy_free(tiers);
  lg_policy_free(policy);
  return 0;
}
