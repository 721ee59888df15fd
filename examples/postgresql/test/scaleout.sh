#!/usr/bin/env bash
# scaleout.sh PG_BINDIR: PostgreSQL's own sharding.  Three clusters on
# loopback: a coordinator and two shards, the extension on each.  On the
# coordinator, `leads` is hash-partitioned by id into two postgres_fdw
# foreign tables, one per shard, whose servers list the extension
# (extensions 'leadgate'), so that postgres_fdw may ship its functions.
# Checks: (1) EXPLAIN VERBOSE shows leadgate.decide in each shard's Remote
# SQL, (2) the decisions equal those of the same leads in one local table.
set -euo pipefail
PG_BINDIR=$1
source "$(dirname "$0")/cluster.sh"

pg_start_sample C
pg_start S1
pg_start S2
for s in S1 S2; do
  pg_psql $s -c "CREATE EXTENSION leadgate" -c "CREATE TABLE leads_part (id text PRIMARY KEY,
    attrs jsonb, event_types text[], event_times timestamptz[])"
done
pg_psql_defs C -v port1="$S1_PORT" -v port2="$S2_PORT" <<'SQL'
\i :expect_sql
ALTER TABLE leads RENAME TO leads_single;
CREATE EXTENSION postgres_fdw;
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port :'port1', dbname 'postgres', extensions 'leadgate');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port :'port2', dbname 'postgres', extensions 'leadgate');
CREATE USER MAPPING FOR postgres SERVER shard1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER shard2 OPTIONS (user 'postgres');
CREATE TABLE leads (id text, attrs jsonb, event_types text[], event_times timestamptz[])
  PARTITION BY HASH (id);
CREATE FOREIGN TABLE leads_0 PARTITION OF leads FOR VALUES WITH (MODULUS 2, REMAINDER 0)
  SERVER shard1 OPTIONS (table_name 'leads_part');
CREATE FOREIGN TABLE leads_1 PARTITION OF leads FOR VALUES WITH (MODULUS 2, REMAINDER 1)
  SERVER shard2 OPTIONS (table_name 'leads_part');
INSERT INTO leads SELECT id, attrs, event_types, event_times FROM leads_single;
SELECT (SELECT count(*) FROM leads_0) AS on_shard1, (SELECT count(*) FROM leads_1) AS on_shard2;

-- Per-lead answers pushed down: grouping by the partition key makes each
-- partition's part of the query a grouped foreign scan (partitionwise
-- aggregation), which postgres_fdw ships whole, leadgate.decide included.
-- (A plain scan ships only its columns and WHERE clause.)
\set decide 'leadgate.decide(' :'rubric' ', ' :'policy' ', attrs, event_types, event_times, NULL, ''2026-11-23T10:00:00Z'')'
\set pushed 'SELECT id, ' :decide ' AS d FROM leads GROUP BY id, d'
SET enable_partitionwise_aggregate = on;
\set explain 'EXPLAIN (VERBOSE, COSTS OFF) ' :pushed
\i :explain_sql
SELECT count(*) FILTER (WHERE line ~ '^ *Remote SQL: SELECT id, leadgate[.]decide[(]') = 2 AS pushed_down
FROM plan \gset
SELECT pg_temp.expect(:'pushed_down', 'leadgate.decide is not in the Remote SQL of both shards') \g /dev/null
CREATE TABLE sharded AS :pushed;
CREATE TABLE single AS SELECT id, :decide AS d FROM leads_single;
SELECT (SELECT count(*) FROM single) AS single_rows, (SELECT count(*) FROM sharded) AS sharded_rows,
       (SELECT count(*) FROM (SELECT id, d::text FROM single EXCEPT ALL SELECT id, d::text FROM sharded) x)
     + (SELECT count(*) FROM (SELECT id, d::text FROM sharded EXCEPT ALL SELECT id, d::text FROM single) x)
       AS differing \gset
\echo single node :single_rows rows, sharded :sharded_rows rows, :differing differing
SELECT :single_rows = 300 AND :sharded_rows = 300 AND :differing = 0 AS same \gset
SELECT pg_temp.expect(:'same', 'sharded and single-node decisions differ') \g /dev/null
SELECT (d).verdict, count(*) FROM sharded GROUP BY 1 ORDER BY 1;
SQL
