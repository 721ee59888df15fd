/*
 * bench_score.c - scoring and deciding throughput, and what a lead costs
 * in memory.
 *
 *   bench_score [N]      N synthetic leads (default 1,000,000)
 *
 * Leads look like the reference example's: need, timeframe, role, industry,
 * employees, sometimes a persona, and about eight events (content
 * downloads, webinars, now and then a demo request or an unsubscribe) over
 * the last three months.  They are scored against the reference rubric with
 * lg_score_many and decided one by one with lg_decide under the reference
 * policy; each figure is the best of BENCH_RUNS passes over all N leads.
 *
 * Prints:
 *   score_many leads_per_s=... ns_per_lead=...
 *   decide leads_per_s=... ns_per_lead=...
 *   lead_memory bytes_per_lead=... blocks_per_lead=...
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include <string.h>

#include "reference_example.h"

#define DAY INT64_C(86400)

static const char *const needs[] = {"high", "medium", "low", "unknown"};
static const char *const roles[] = {"decision maker", "Economic Buyer", "influencer",
                                    "recommender", "intern"};
static const char *const industries[] = {"software", "saas", "retail", "mining", "SaaS"};
static const char *const personas[] = {"student", "consultant", "buyer", "engineer"};

/* A lead of the usual shape; `id` only needs to be unique-ish. */
static lg_lead *make_lead(size_t i, lg_time now) {
  lg_lead *lead;
  char     id[32];
  int      e, n_events = (int)bench_range(5, 11); /* ~8 on average */
  snprintf(id, sizeof id, "lead-%zu", i);
  bench_must(lg_lead_create(id, &lead), "create");
  bench_must(lg_lead_set_text(lead, "need", needs[bench_range(0, 3)]), "need");
  bench_must(lg_lead_set_int(lead, "timeframe_months", bench_range(0, 12)), "timeframe");
  bench_must(lg_lead_set_text(lead, "role", roles[bench_range(0, 4)]), "role");
  bench_must(lg_lead_set_text(lead, "industry", industries[bench_range(0, 4)]), "industry");
  bench_must(lg_lead_set_int(lead, "employees", bench_range(1, 5000)), "employees");
  if (bench_range(0, 3) == 0)
    bench_must(lg_lead_set_text(lead, "persona", personas[bench_range(0, 3)]), "persona");
  for (e = 0; e < n_events; e++) {
    int64_t     r = bench_range(0, 99);
    const char *type = r < 55   ? "content_download"
                       : r < 85 ? "webinar_attended"
                       : r < 97 ? "demo_requested"
                                : "unsubscribed";
    bench_must(lg_lead_add_event(lead, type, now - bench_range(0, 90 * DAY)), "event");
  }
  return lead;
}

/* ---- lead memory: a counting allocator ----------------------------------- */

typedef union block_header {
  size_t      size;
  long double align;
} block_header;

static size_t live_bytes;
static long   live_blocks;

static void *count_malloc(void *ud, size_t n) {
  block_header *h = malloc(sizeof *h + n);
  (void)ud;
  if (!h) return NULL;
  h->size = n;
  live_bytes += n;
  live_blocks++;
  return h + 1;
}

static void count_free(void *ud, void *p) {
  block_header *h = (block_header *)p - 1;
  (void)ud;
  live_bytes -= h->size;
  live_blocks--;
  free(h);
}

static void *count_realloc(void *ud, void *p, size_t n) {
  block_header *h = (block_header *)p - 1, *g;
  size_t        old = h->size;
  (void)ud;
  g = realloc(h, sizeof *g + n);
  if (!g) return NULL;
  g->size = n;
  live_bytes = live_bytes - old + n;
  return g + 1;
}

/* Bytes the library holds for a lead with 8 attributes and 8 events, as
 * requested from the allocator (malloc's own overhead not included). */
static void lead_memory(lg_time now) {
  static const char *const types[] = {"content_download", "webinar_attended",
                                      "demo_requested", "content_download"};
  lg_allocator a;
  lg_lead     *lead;
  int          i;
  memset(&a, 0, sizeof a);
  a.malloc_fn = count_malloc;
  a.realloc_fn = count_realloc;
  a.free_fn = count_free;
  a.ud = NULL;
  bench_must(lg_set_allocator(&a), "allocator");
  bench_must(lg_lead_create("lead-0000001234", &lead), "create");
  bench_must(lg_lead_set_text(lead, "need", "medium"), "attr");
  bench_must(lg_lead_set_int(lead, "timeframe_months", 4), "attr");
  bench_must(lg_lead_set_text(lead, "role", "decision maker"), "attr");
  bench_must(lg_lead_set_text(lead, "industry", "software"), "attr");
  bench_must(lg_lead_set_int(lead, "employees", 250), "attr");
  bench_must(lg_lead_set_text(lead, "persona", "buyer"), "attr");
  bench_must(lg_lead_set_text(lead, "country", "DE"), "attr");
  bench_must(lg_lead_set_bool(lead, "opted_in", 1), "attr");
  for (i = 0; i < 8; i++) bench_must(lg_lead_add_event(lead, types[i % 4], now - i * DAY), "ev");
  printf("lead_memory bytes_per_lead=%zu blocks_per_lead=%ld\n", live_bytes, live_blocks);
  lg_lead_free(lead);
  /* The counting allocator stays: lg_set_allocator works only before the
   * library's first allocation, which is why this runs first. */
}

int main(int argc, char **argv) {
  size_t         n = bench_size(argc, argv, 1000000), i;
  const lg_time  now = LG_EXAMPLE_EPOCH + 120 * DAY;
  lg_rubric     *rubric;
  lg_policy     *policy;
  lg_lead      **leads;
  lg_score      *scores;
  lg_decision    d;
  double         best_score = 1e30, best_decide = 1e30, t0, t;
  int            run;

  lead_memory(now);
  bench_must(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &rubric, NULL),
             "rubric");
  bench_must(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &policy, NULL),
             "policy");
  leads = malloc(n * sizeof *leads);
  scores = malloc(n * sizeof *scores);
  if (!leads || !scores) return 1;
  for (i = 0; i < n; i++) leads[i] = make_lead(i, now);

  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    bench_must(lg_score_many(rubric, (const lg_lead *const *)leads, n, now, scores), "score");
    t = bench_now() - t0;
    if (t < best_score) best_score = t;
    bench_sink += scores[n / 2].total;

    t0 = bench_now();
    for (i = 0; i < n; i++) {
      bench_must(lg_decide(rubric, policy, leads[i], now, &d), "decide");
      bench_sink += d.verdict;
    }
    t = bench_now() - t0;
    if (t < best_decide) best_decide = t;
  }
  printf("score_many leads_per_s=%.0f ns_per_lead=%.1f\n", (double)n / best_score,
         best_score * 1e9 / (double)n);
  printf("decide leads_per_s=%.0f ns_per_lead=%.1f\n", (double)n / best_decide,
         best_decide * 1e9 / (double)n);

  for (i = 0; i < n; i++) lg_lead_free(leads[i]);
  free(leads);
  free(scores);
  lg_policy_free(policy);
  lg_rubric_free(rubric);
  return 0;
}
