#!/usr/bin/env bash
# parallel.sh PG_BINDIR: decide and score over the sample (copied 40 times,
# 12,000 leads) with 2 parallel workers give the same rows as a serial
# scan, and EXPLAIN ANALYZE shows the 2 workers launched.
set -euo pipefail
PG_BINDIR=$1
source "$(dirname "$0")/cluster.sh"

pg_start_sample A
pg_psql_defs A <<'SQL'
\i :expect_sql
CREATE TABLE big AS
  SELECT l.id || '-' || k AS id, l.attrs, l.event_types, l.event_times
  FROM leads l, generate_series(1, 40) k;
ANALYZE big;
-- definitions as constants, so that the workers evaluate the calls
CREATE VIEW decided AS
  SELECT b.id, leadgate.decide(:'rubric', :'policy', b.attrs, b.event_types, b.event_times,
                               NULL, '2026-11-23T10:00:00Z') AS decision,
         leadgate.score(:'rubric', b.attrs, b.event_types, b.event_times,
                        '2026-11-23T10:00:00Z') AS score
  FROM big b;

SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial AS SELECT * FROM decided;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
-- the calls are in the output of the parallel scan: the workers make them
\set explain 'EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM decided'
\i :explain_sql
SELECT count(*) FILTER (WHERE line ~ 'Workers Launched: 2') = 1 AS two_workers_launched,
       count(*) FILTER (WHERE line ~ 'Parallel Seq Scan on public.big') = 1
       AND (SELECT line FROM plan WHERE line ~ 'Output: .*leadgate.decide' LIMIT 1) IS NOT NULL
       AND NOT EXISTS (SELECT FROM plan WHERE line ~ 'Nested Loop') AS parallel_scan
FROM plan \gset
SELECT pg_temp.expect(:'two_workers_launched', 'the plan does not launch 2 workers') \g /dev/null
SELECT pg_temp.expect(:'parallel_scan', 'no parallel scan') \g /dev/null
CREATE TABLE parallel AS SELECT * FROM decided;
SELECT (SELECT count(*) FROM serial) AS serial_rows, (SELECT count(*) FROM parallel) AS parallel_rows,
       (SELECT count(*) FROM (SELECT * FROM serial EXCEPT ALL SELECT * FROM parallel) x)
     + (SELECT count(*) FROM (SELECT * FROM parallel EXCEPT ALL SELECT * FROM serial) x) AS differing
\gset
\echo serial :serial_rows rows, parallel :parallel_rows rows, :differing differing
SELECT :serial_rows = 12000 AND :parallel_rows = 12000 AND :differing = 0 AS same \gset
SELECT pg_temp.expect(:'same', 'parallel and serial results differ') \g /dev/null
SQL
