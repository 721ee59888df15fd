# cluster.sh - throwaway PostgreSQL clusters for the extension's tests
# (sourced by the test scripts, bash).
#
#   PG_BINDIR=/usr/lib/postgresql/15/bin   where initdb, pg_ctl, psql live
#   pg_start NAME      initdb in a mktemp directory, start a server on a
#                      random free port of 127.0.0.1 with its Unix socket in
#                      that directory; sets NAME_PORT and NAME_DIR
#   pg_psql NAME ...   psql against it (as the postgres user, on the socket)
#   pg_psql_defs NAME ...  the same with psql variables rubric and policy (the
#                      reference definitions), explain_sql and expect_sql
#                      (the helper scripts explain.sql and expect.sql)
#   pg_start_sample NAME   pg_start, CREATE EXTENSION leadgate and the
#                      sample of examples/data in table `leads` (sample.sh)
#
# The server refuses to run as root, so under root it runs as `postgres`
# (runuser); psql and pgbench run as the caller and connect over the
# socket with trust authentication (initdb -A trust: the cluster is
# reachable only by local users, and lives a few seconds).  An EXIT trap
# stops every cluster and removes its directory, on success and failure.

set -euo pipefail

: "${PG_BINDIR:?set PG_BINDIR to the PostgreSQL bindir (pg_config --bindir)}"
PG_CLUSTERS=()
LG_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LG_ROOT=$(cd "$LG_TEST_DIR/../../.." && pwd)
LG_RUBRIC=$LG_ROOT/examples/rubrics/b2b.rubric
LG_POLICY=$LG_ROOT/examples/policies/inbound.policy
LG_DATA=$LG_ROOT/examples/data
source "$LG_TEST_DIR/sample.sh"

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_stop_all() {
  local dir
  for dir in "${PG_CLUSTERS[@]}"; do
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  done
  PG_CLUSTERS=()
}
trap pg_stop_all EXIT

# A port nobody listens on (the server's own bind is the final check: on a
# clash pg_start tries another).
pg_free_port() {
  local port
  while :; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

pg_start() {
  local name=$1 dir port try
  dir=$(mktemp -d /tmp/leadgate-pg-XXXXXX)
  PG_CLUSTERS+=("$dir")
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_server_user "$PG_BINDIR/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; return 1; }
  for try in 1 2 3 4 5; do
    port=$(pg_free_port)
    if as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 \
             -c shared_buffers=128MB -c max_worker_processes=16 \
             -c max_parallel_workers=8" start >/dev/null; then
      printf -v "${name}_PORT" '%s' "$port"
      printf -v "${name}_DIR" '%s' "$dir"
      return 0
    fi
    tail -n 5 "$dir/server.log" >&2 || true
  done
  echo "could not start a server for $name" >&2
  return 1
}

pg_psql() {
  local name=$1 dirvar portvar
  shift
  dirvar=${name}_DIR
  portvar=${name}_PORT
  "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "${!dirvar}" -p "${!portvar}" -U postgres "$@"
}

pg_psql_defs() {
  local name=$1
  shift
  pg_psql "$name" -v rubric="$(cat "$LG_RUBRIC")" -v policy="$(cat "$LG_POLICY")" \
    -v explain_sql="$LG_TEST_DIR/explain.sql" -v expect_sql="$LG_TEST_DIR/expect.sql" "$@"
}

pg_start_sample() {
  pg_start "$1"
  pg_psql "$1" -c "CREATE EXTENSION leadgate"
  pg_load_sample "$1" "$LG_DATA/leads.csv" "$LG_DATA/events.csv"
}
