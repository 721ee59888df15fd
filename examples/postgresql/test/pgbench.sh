#!/usr/bin/env bash
# pgbench.sh PG_BINDIR SECONDS: 8 clients (2 pgbench threads) decide random
# sample leads for SECONDS and store each answer; then no transaction may
# have failed, and every stored answer must equal the serial one.
set -euo pipefail
PG_BINDIR=$1 SECONDS_TO_RUN=${2:-10}
source "$(dirname "$0")/cluster.sh"

pg_start_sample A
pg_psql_defs A <<'SQL'
CREATE TABLE defs AS SELECT :'rubric'::text AS rubric, :'policy'::text AS policy;
CREATE TABLE serial AS
  SELECT l.ord, leadgate.decide(d.rubric, d.policy, l.attrs, l.event_types, l.event_times,
                                NULL, '2026-11-23T10:00:00Z')::text AS decision
  FROM leads l, defs d;
CREATE TABLE answers (ord bigint, decision text);
SQL
n=$(pg_psql A -At -c "SELECT count(*) FROM leads")
cat >"$A_DIR/decide.sql" <<EOF2
\set ord random(1, $n)
INSERT INTO answers
  SELECT l.ord, leadgate.decide(d.rubric, d.policy, l.attrs, l.event_types, l.event_times,
                                NULL, '2026-11-23T10:00:00Z')::text
  FROM leads l, defs d WHERE l.ord = :ord;
EOF2
"$PG_BINDIR/pgbench" -n -h "$A_DIR" -p "$A_PORT" -U postgres -c 8 -j 2 -T "$SECONDS_TO_RUN" \
  -f "$A_DIR/decide.sql" postgres | tee "$A_DIR/pgbench.out"
processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$A_DIR/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$A_DIR/pgbench.out")
read -r stored differing < <(pg_psql A -At -F ' ' -c "
  SELECT count(*), count(*) FILTER (WHERE s.decision IS DISTINCT FROM a.decision)
  FROM answers a LEFT JOIN serial s USING (ord)")
echo "transactions $processed, failed ${failed:-0}, answers stored $stored, differing from serial $differing"
[ -n "$processed" ] && [ "$processed" -gt 0 ] && [ "${failed:-0}" -eq 0 ] &&
  [ "$stored" -eq "$processed" ] && [ "$differing" -eq 0 ]
