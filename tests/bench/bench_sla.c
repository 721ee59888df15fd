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
 * Prints:  sla_eval ns_per_call=...
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include "reference_example.h"

#define DAY     INT64_C(86400)
#define N_LEADS 4096

int main(int argc, char **argv) {
  size_t        calls = bench_size(argc, argv, 1000000), i;
  lg_policy    *policy;
  lg_lead      *leads[N_LEADS];
  lg_time       nows[N_LEADS];
  lg_sla_status s;
  double        best = 1e30, t0, t;
  int           run, states[6] = {0, 0, 0, 0, 0, 0};
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
  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    for (i = 0; i < calls; i++) {
      bench_must(lg_sla_eval(policy, leads[i % N_LEADS], nows[i % N_LEADS], &s), "eval");
      bench_sink += s.next_at;
    }
    t = bench_now() - t0;
    if (t < best) best = t;
  }
  for (i = 0; i < N_LEADS; i++) {
    bench_must(lg_sla_eval(policy, leads[i], nows[i], &s), "eval");
    states[s.state]++;
  }
  printf("sla_eval ns_per_call=%.1f\n", best * 1e9 / (double)calls);
  printf("sla_mix running=%d warning=%d breached=%d met=%d met_late=%d\n", states[1], states[2],
         states[3], states[4], states[5]);
  for (i = 0; i < N_LEADS; i++) lg_lead_free(leads[i]);
  lg_policy_free(policy);
  return 0;
}
