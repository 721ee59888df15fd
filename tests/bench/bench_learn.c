/*
 * bench_learn.c - learning a rubric from a million leads.
 *
 *   bench_learn [LEADS]    leads to learn from (default 1,000,000)
 *
 * Ten attributes a lead, as a CRM export has them: four texts (industry
 * with 12 values in mixed case, role 8, country 30, source 5), four
 * integers (employees 1..10,000, timeframe 1..24 months, visits 0..50,
 * revenue up to 10^9) and two booleans, each absent for about one lead in
 * ten; about one lead in five converted, more often for some values.  The
 * leads are built once; lg_learn_rubric is timed BENCH_RUNS times (the
 * text measured and written: the call a host makes).
 *
 * Prints:  learn leads=N attributes=10 best_ms=... median_ms=... bytes=...
 */
#define _POSIX_C_SOURCE 199309L

#include "bench_common.h"

#include <string.h>

static const char *const industries[] = {"Software", "software", "SaaS", "saas", "Retail",
                                         "finance", "Healthcare", "education", "logistics",
                                         "manufacturing", "Energy", "media"};
static const char *const roles[] = {"Decision Maker", "economic buyer", "Influencer",
                                    "Recommender", "End User", "CTO", "Procurement", "intern"};
static const char *const sources[] = {"web form", "webinar", "trade show", "partner",
                                      "content syndication"};
static const char *const attrs[] = {"industry", "role", "country", "source", "employees",
                                    "timeframe_months", "visits", "revenue", "opt_in",
                                    "demo"};

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  size_t    n = bench_size(argc, argv, 1000000), i, needed = 0;
  lg_lead **leads = malloc(n * sizeof *leads);
  int32_t  *conv = malloc(n * sizeof *conv);
  char     *text;
  double    times[BENCH_RUNS], t0;
  int       run;
  if (!leads || !conv) return 1;
  for (i = 0; i < n; i++) {
    char    id[32], country[8];
    int     score = 0;
    int64_t v;
    snprintf(id, sizeof id, "L-%zu", i);
    bench_must(lg_lead_create(id, &leads[i]), "create");
#define SOMETIMES (bench_rand() % 10 != 0)
    if (SOMETIMES) {
      v = bench_range(0, 11);
      score += v < 4 ? 2 : 0;
      bench_must(lg_lead_set_text(leads[i], "industry", industries[v]), "set");
    }
    if (SOMETIMES) {
      v = bench_range(0, 7);
      score += v < 2 ? 2 : 0;
      bench_must(lg_lead_set_text(leads[i], "role", roles[v]), "set");
    }
    snprintf(country, sizeof country, "C%d", (int)bench_range(0, 29));
    bench_must(lg_lead_set_text(leads[i], "country", country), "set");
    bench_must(lg_lead_set_text(leads[i], "source", sources[bench_range(0, 4)]), "set");
    if (SOMETIMES) {
      v = bench_range(1, 10000);
      score += v > 1000;
      bench_must(lg_lead_set_int(leads[i], "employees", v), "set");
    }
    if (SOMETIMES) {
      v = bench_range(1, 24);
      score += v <= 3 ? 2 : 0;
      bench_must(lg_lead_set_int(leads[i], "timeframe_months", v), "set");
    }
    bench_must(lg_lead_set_int(leads[i], "visits", bench_range(0, 50)), "set");
    if (SOMETIMES) bench_must(lg_lead_set_int(leads[i], "revenue", bench_range(0, 1000000000)), "set");
    if (SOMETIMES) bench_must(lg_lead_set_bool(leads[i], "opt_in", (int)bench_range(0, 1)), "set");
    if (SOMETIMES) {
      v = bench_range(0, 3) == 0;
      score += v ? 2 : 0;
      bench_must(lg_lead_set_bool(leads[i], "demo", (int)v), "set");
    }
#undef SOMETIMES
    conv[i] = (int32_t)(bench_range(0, 19) < 2 + score);
  }
  bench_must(lg_learn_rubric((const lg_lead *const *)leads, conv, n, attrs, 10, "bench", NULL,
                             NULL, 0, &needed) == LG_ERR_BUFFER ? LG_OK : LG_ERR_STATE,
             "measure");
  text = malloc(needed);
  if (!text) return 1;
  for (run = 0; run < BENCH_RUNS; run++) {
    t0 = bench_now();
    bench_must(lg_learn_rubric((const lg_lead *const *)leads, conv, n, attrs, 10, "bench",
                               NULL, text, needed, &needed),
               "learn");
    times[run] = bench_now() - t0;
    bench_sink += (int64_t)text[needed / 2];
  }
  qsort(times, BENCH_RUNS, sizeof times[0], cmp_double);
  printf("learn leads=%zu attributes=10 best_ms=%.1f median_ms=%.1f bytes=%zu\n", n,
         times[0] * 1e3, times[BENCH_RUNS / 2] * 1e3, needed);
  for (i = 0; i < n; i++) lg_lead_free(leads[i]);
  free(leads);
  free(conv);
  free(text);
  return 0;
}
