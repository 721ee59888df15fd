# sample.sh - pg_load_sample NAME LEADS.csv EVENTS.csv [DB]: fills table
# `leads` of cluster NAME (see sample.sql); sourced by cluster.sh.
pg_load_sample() {
  local name=$1 leads=$2 events=$3 db=${4:-postgres}
  pg_psql "$name" -d "$db" -c "CREATE TABLE leads_raw (ord bigserial, $(head -n1 "$leads" |
    tr -d '\r' | sed 's/,/ text, /g') text)" \
    -c "CREATE TABLE events_raw (ord bigserial, lead_id text, type text, at text)"
  pg_psql "$name" -d "$db" -c "COPY leads_raw ($(head -n1 "$leads" | tr -d '\r')) FROM STDIN CSV HEADER" <"$leads"
  pg_psql "$name" -d "$db" -c "COPY events_raw ($(head -n1 "$events" | tr -d '\r')) FROM STDIN CSV HEADER" <"$events"
  pg_psql "$name" -d "$db" -f "$LG_TEST_DIR/sample.sql"
}
