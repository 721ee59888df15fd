#!/usr/bin/env bash
# regress.sh PG_BINDIR PG_REGRESS OUTDIR [TRIAGE_BIN]
# pg_regress over test/sql/*.sql (expected output in test/expected/), then
# the sample (examples/data) decided and explained by the extension,
# compared byte for byte with leadgate-triage's output: the program's own
# when TRIAGE_BIN is given, else examples/data/expected/triage.csv.
set -euo pipefail
PG_BINDIR=$1 PG_REGRESS=$2 OUT=$3 TRIAGE=${4:-}
source "$(dirname "$0")/cluster.sh"
mkdir -p "$OUT"

pg_start A
PGUSER=postgres "$PG_REGRESS" --host="$A_DIR" --port="$A_PORT" \
  --bindir="$PG_BINDIR" --inputdir="$LG_TEST_DIR" --outputdir="$OUT" --dbname=leadgate_regress \
  leadgate || { cat "$OUT/regression.diffs" 2>/dev/null; exit 1; }

now=2026-11-23T10:00:00Z
pg_psql A -c "CREATE EXTENSION leadgate"
pg_load_sample A "$LG_DATA/leads.csv" "$LG_DATA/events.csv"
pg_psql_defs A -At -v now="$now" -f "$LG_TEST_DIR/triage.sql" >"$OUT/triage-sql.csv"
if [ -n "$TRIAGE" ]; then
  "$TRIAGE" --rubric "$LG_RUBRIC" --policy "$LG_POLICY" --events "$LG_DATA/events.csv" \
    --now "$now" --explain "$LG_DATA/leads.csv" >"$OUT/triage-program.csv"
  want=$OUT/triage-program.csv
else
  want=$LG_DATA/expected/triage.csv
fi
if ! cmp "$want" "$OUT/triage-sql.csv"; then
  diff "$want" "$OUT/triage-sql.csv" | head -n 20
  exit 1
fi
echo "sample: $(($(wc -l <"$want") - 1)) leads, SQL output equals $(basename "$want") byte for byte"
