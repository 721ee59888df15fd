#!/usr/bin/env bash
# bench.sh - leadgate.score against the same rubric written in plain SQL.
#
#   examples/postgresql/bench.sh [--leads N] [--runs K] [--bindir DIR] [--data DIR]
#
# Generates N leads of the reference sample (default 1,000,000; about 7.7
# events a lead) with examples/gen_sample.py (into --data DIR when given,
# kept and reused), loads them into a throwaway cluster (test/cluster.sh)
# twice over:
#   leads(id, attrs jsonb, event_types text[], event_times timestamptz[])
#     for leadgate.score, the events pre-aggregated into arrays;
#   leads_typed(id, need, timeframe_months, ...) and events(lead_id, type,
#     at) for the plain SQL: the reference rubric (examples/rubrics/
#     b2b.rubric) as CASE expressions, a join on events and power() for
#     the decay, rounded per event as the library rounds.
# Then it checks that both give the same fit, engagement, total and
# knocked_out for every lead, and times `sum(total)` over all leads with
# each, serial and with 2 parallel workers, K runs each (default 5),
# printing best and median seconds and leads/s.  The extension must be
# installed (cmake --build build --target leadgate_pg_install).  Not a
# timed test: speed depends on the machine and its load.
set -euo pipefail
export LC_ALL=C

leads=1000000
runs=5
data=
PG_BINDIR=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || true)}
while [ $# -gt 0 ]; do
  case "$1" in
    --leads) leads=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --bindir) PG_BINDIR=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    *) sed -n '4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64 ;;
  esac
done
export PG_BINDIR
source "$(dirname "$0")/test/cluster.sh"

if [ -z "$data" ]; then
  data=$(mktemp -d /tmp/leadgate-pgbench-data-XXXXXX)
  PG_CLUSTERS+=("$data") # removed on exit with the clusters
fi
if [ ! -s "$data/leads.csv" ] || [ "$(($(wc -l <"$data/leads.csv")))" -lt "$leads" ]; then
  python3 "$LG_ROOT/examples/gen_sample.py" --leads "$leads" --out "$data" >&2
fi

pg_start B
pg_psql B -c "CREATE EXTENSION leadgate"
pg_load_sample B "$data/leads.csv" "$data/events.csv"
now=2026-11-23T10:00:00Z
pg_psql_defs B -v now="$now" <<'SQL'
\i :expect_sql
-- the plain-SQL schema: typed columns (a value of another JSON type than
-- the rubric compares with matches nothing, as in the library) and one
-- row per event
CREATE TABLE leads_typed AS
SELECT id,
       CASE WHEN jsonb_typeof(attrs->'need') = 'string' THEN attrs->>'need' END AS need,
       CASE WHEN jsonb_typeof(attrs->'timeframe_months') = 'number'
            THEN (attrs->>'timeframe_months')::bigint END AS timeframe_months,
       CASE WHEN jsonb_typeof(attrs->'role') = 'string' THEN attrs->>'role' END AS role,
       CASE WHEN jsonb_typeof(attrs->'industry') = 'string' THEN attrs->>'industry' END AS industry,
       attrs ? 'industry' AS has_industry,
       CASE WHEN jsonb_typeof(attrs->'persona') = 'string' THEN attrs->>'persona' END AS persona,
       CASE WHEN jsonb_typeof(attrs->'employees') = 'number'
            THEN (attrs->>'employees')::bigint END AS employees
FROM leads;
CREATE TABLE events AS
  SELECT l.id AS lead_id, e.type, e.at FROM leads l, unnest(l.event_types, l.event_times) e(type, at);
CREATE INDEX ON events (lead_id);
ALTER TABLE leads_typed ADD PRIMARY KEY (id);
VACUUM ANALYZE leads, leads_typed, events;

-- b2b.rubric in plain SQL, in milli-points (decay in double precision,
-- each criterion's sum rounded to nearest once, as the library does;
-- `each` sums every event at or before now, `once` counts the latest;
-- the content cap applies to the rounded sum)
CREATE VIEW plain AS
SELECT l.id,
       (CASE lower(l.need) WHEN 'high' THEN 3000 WHEN 'medium' THEN 2000 WHEN 'low' THEN 1000 ELSE 0 END
      + CASE WHEN l.timeframe_months <= 3 THEN 3000 WHEN l.timeframe_months BETWEEN 4 AND 6 THEN 2000
             WHEN l.timeframe_months > 6 THEN 1000 ELSE 0 END
      + CASE lower(l.role) WHEN 'decision maker' THEN 3000 WHEN 'economic buyer' THEN 3000
             WHEN 'influencer' THEN 2000 WHEN 'recommender' THEN 1000 ELSE 0 END
      + CASE WHEN lower(l.industry) IN ('software', 'saas') THEN 3000
             WHEN l.has_industry THEN 1000 ELSE 0 END)::bigint AS fit,
       coalesce(e.engagement, 0)::bigint AS engagement,
       coalesce(lower(l.persona) IN ('student', 'consultant', 'competitor'), false)
         OR coalesce(l.employees < 10, false) AS knocked_out
FROM leads_typed l
LEFT JOIN (
  SELECT lead_id,
         CASE WHEN max(at) FILTER (WHERE type = 'demo_requested') > :'now'::timestamptz - interval '30 days'
              THEN 25000 ELSE 0 END
       + least(10000, coalesce(floor(sum(2000 * power(2.0::float8, -date_part('epoch', :'now'::timestamptz - at) / 1209600))
                                       FILTER (WHERE type = 'content_download') + 0.5), 0))
       + coalesce(floor(sum(5000 * power(2.0::float8, -date_part('epoch', :'now'::timestamptz - at) / 2592000))
                          FILTER (WHERE type = 'webinar_attended') + 0.5), 0)
       + CASE WHEN bool_or(type = 'unsubscribed') THEN -20000 ELSE 0 END AS engagement
  FROM events WHERE at <= :'now'::timestamptz
  GROUP BY lead_id) e ON e.lead_id = l.id;

CREATE VIEW scored AS
SELECT id, leadgate.score(:'rubric', attrs, event_types, event_times, :'now') AS s FROM leads;

-- every lead, both ways
SET work_mem = '256MB';
CREATE TABLE by_leadgate AS
  SELECT id, ((s).fit * 1000)::bigint AS fit, ((s).engagement * 1000)::bigint AS engagement,
         ((s).total * 1000)::bigint AS total, (s).knocked_out
  FROM (SELECT id, s FROM scored OFFSET 0) x;
CREATE TABLE by_sql AS SELECT id, fit, engagement, fit + engagement AS total, knocked_out FROM plain;
-- Equal, or (where an exact decayed sum lies within a hair of a rounding
-- tie) one milli-point apart per decayed criterion, the library's
-- documented accuracy; fit and knockouts exactly.
SELECT count(*) AS leads,
       count(*) FILTER (WHERE (a.fit, a.engagement, a.total, a.knocked_out)
                        IS NOT DISTINCT FROM (b.fit, b.engagement, b.total, b.knocked_out)) AS exact,
       count(*) FILTER (WHERE a.id IS NULL OR b.id IS NULL OR a.fit <> b.fit
                        OR a.knocked_out <> b.knocked_out OR abs(a.engagement - b.engagement) > 2
                        OR a.total - a.engagement <> b.total - b.engagement) AS differing
FROM by_leadgate a FULL JOIN by_sql b USING (id) \gset
\echo leads :leads, equal to the milli-point :exact, differing beyond the documented accuracy :differing
SELECT a.*, b.* FROM by_leadgate a FULL JOIN by_sql b USING (id)
WHERE (a.fit, a.engagement, a.total, a.knocked_out)
      IS DISTINCT FROM (b.fit, b.engagement, b.total, b.knocked_out) ORDER BY 1 LIMIT 5;
SELECT pg_temp.expect(:differing = 0, 'leadgate.score and plain SQL disagree') \g /dev/null
SQL

# psql on the benchmark cluster: the settings, then the script on stdin
bench_psql() {
  local workers=$1
  shift
  pg_psql_defs B -At -v now="$now" "$@" <(printf '%s\n' "SET work_mem = '256MB';" \
    "SET max_parallel_workers_per_gather = $workers;" "SET parallel_setup_cost = 0;" \
    "SET parallel_tuple_cost = 0;" "SET min_parallel_table_scan_size = 0;") -f -
}

# best and median of the runs of one query, with the sum it returned
time_query() {
  local label=$1 workers=$2 query=$3 i out times=() sum=
  for ((i = 0; i < runs; i++)); do
    out=$(printf '\\timing on\n%s;\n' "$query" | bench_psql "$workers" -f)
    sum=$(printf '%s\n' "$out" | sed -n '1p')
    times+=("$(printf '%s\n' "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v label="$label" -v w="$workers" -v n="$leads" \
    -v sum="$sum" '{ t[NR] = $1 / 1000 }
    END { best = t[1]; med = t[int((NR + 1) / 2)];
          printf "%-16s %7d %9.3f %9.3f %12.0f %12.0f  sum=%s\n", label, w, best, med,
                 n / best, n / med, sum }'
}

q_lg="SELECT sum((leadgate.score(:'rubric', attrs, event_types, event_times, :'now')).total) FROM leads"
q_sql="SELECT sum(fit + engagement) / 1000.0 FROM plain"
echo "plans with 2 workers:"
for q in "$q_lg" "$q_sql"; do
  printf 'EXPLAIN (COSTS OFF) %s;\n' "$q" | bench_psql 2 -f | grep -E 'Workers Planned|Gather' |
    sed 's/^/  /'
done
printf '%-16s %7s %9s %9s %12s %12s\n' method workers best_s median_s leads/s_best leads/s_median
results=$(
  time_query leadgate.score 0 "$q_lg"
  time_query "plain SQL" 0 "$q_sql"
  time_query leadgate.score 2 "$q_lg"
  time_query "plain SQL" 2 "$q_sql"
)
printf '%s\n' "$results"
# serial and parallel sums agree, for each method (the methods were
# compared lead by lead above)
for m in leadgate plain; do
  if [ "$(printf '%s\n' "$results" | grep "^$m" | sed 's/.*sum=//' | awk '{ printf "%.3f\n", $1 }' |
        sort -u | wc -l)" -ne 1 ]; then
    echo "FAIL: $m: the serial and parallel sums differ" >&2
    exit 1
  fi
done
printf '%s\n' "$results" | awk '{ w = ($1 == "plain") ? $3 : $2; b = ($1 == "plain") ? $4 : $3;
  if ($1 == "plain") sql[w] = b; else lg[w] = b }
  END { for (w in lg) printf "speed-up with %d workers (best): %.1fx\n", w, sql[w] / lg[w] }'
