/*
 * reference_example.h - the reference rubric and policy (the ones the
 * README and leadgate.h teach from), word for word, as C strings.
 * Shared by the fuzz targets (fixed definitions for the structure-aware
 * lead fuzzer), the property tests, the allocation sweep and the
 * benchmarks, so that all of them exercise the definitions hosts are told
 * to write rather than a test-only dialect.
 */
#ifndef LG_REFERENCE_EXAMPLE_H
#define LG_REFERENCE_EXAMPLE_H

static const char lg_example_rubric[] =
  "rubric \"b2b-default\"\n"
  "\n"
  "# Fit: points from who the lead is. First matching `when` wins.\n"
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
  "  otherwise -> 1          # present but unmatched\n"
  "  missing -> 0            # attribute absent (the default); reported as missing\n"
  "\n"
  "# Engagement: points from what the lead did; they fade with age.\n"
  "engagement \"demo request\" on demo_requested -> 25 expire 30d\n"
  "engagement \"content\" on content_download -> 2 each max 10 half-life 14d\n"
  "engagement \"webinar\" on webinar_attended -> 5 each half-life 30d\n"
  "engagement \"unsubscribed\" on unsubscribed -> -20\n"
  "\n"
  "# Knockouts: any match marks the lead knocked out.\n"
  "knockout \"not a buyer\" when persona is \"student\", \"consultant\", \"competitor\"\n"
  "knockout \"too small\" when employees is < 10\n";

static const char lg_example_policy[] =
  "policy \"inbound-emea\"\n"
  "\n"
  "disqualify when knockout                       # default if no disqualify line\n"
  "qualify when fit >= 8 and (event demo_requested within 30d or engagement >= 15)\n"
  "\n"
  "grade \"A\" when fit >= 10\n"
  "grade \"B\" when fit >= 8\n"
  "grade \"C\" when fit >= 6\n"
  "grade \"D\"                                      # fallback; first match wins\n"
  "\n"
  "calendar\n"
  "  utc-offset +01:00\n"
  "  hours mon-fri 09:00-17:30\n"
  "  hours sat 10:00-13:00\n"
  "  holiday 2026-12-25\n"
  "  offset-change 2026-03-29T01:00:00Z +02:00    # the host supplies DST changes\n"
  "  offset-change 2026-10-25T01:00:00Z +01:00\n"
  "\n"
  "follow-up within 48h business                  # or: within 72h (wall clock)\n"
  "  warn at 75%\n"
  "  remind at 100%\n"
  "  escalate at 36h\n"
  "  reassign at 48h max 2\n"
  "  recycle at 96h                               # back to nurture\n"
  "\n"
  "route least-loaded                             # or round-robin\n";

/* 2026-01-05T00:00:00Z, a Monday: the base of every generated timeline. */
#define LG_EXAMPLE_EPOCH INT64_C(1767571200)

#endif /* LG_REFERENCE_EXAMPLE_H */
