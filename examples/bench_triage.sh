#!/usr/bin/env bash
# bench_triage.sh - times leadgate-triage end to end on a generated sample.
#
#   examples/bench_triage.sh [--leads N] [--runs K] [--build DIR | --bin PROG]
#                            [--data DIR] [--explain]
#
# Generates N leads (default 100000; about 7.7 events a lead, so ~770,000
# events) with gen_sample.py into a temporary directory (or into --data DIR,
# kept and reused when it already holds leads.csv and events.csv), builds a
# Release leadgate-triage in DIR (default ${TMPDIR:-/tmp}/leadgate-bench-build;
# configured on first use) unless --bin names one, runs it K times (default
# 3) with its CSV output to /dev/null, and prints the best wall time as one
# grep-able line on stdout:
#
#   triage leads=100000 events=777010 wall_s=0.41
#
# Each run's --stats line (parse and scoring time) goes to stderr.  Not a
# CTest test: wall time depends on the machine and its load.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
leads=100000
runs=3
build="${TMPDIR:-/tmp}/leadgate-bench-build"
bin=
data=
explain=

usage() {
  sed -n '3,4p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

while [ $# -gt 0 ]; do
  case "$1" in
    --leads) leads=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --bin) bin=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --explain) explain=--explain; shift ;;
    -h|--help) usage ;;
    *) echo "bench_triage.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$leads$runs" in
  *[!0-9]*) echo "bench_triage.sh: --leads and --runs take whole numbers" >&2; exit 64 ;;
esac
[ "$runs" -ge 1 ] || runs=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the program: a Release build ---------------------------------------------
if [ -z "$bin" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$tmp/cmake.log" 2>&1 ||
      { cat "$tmp/cmake.log" >&2; exit 1; }
  elif ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt"; then
    echo "bench_triage.sh: warning: $build is not a Release build" >&2
  fi
  cmake --build "$build" --target leadgate-triage -j2 >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; exit 1; }
  bin="$build/examples/leadgate-triage"
fi
[ -x "$bin" ] || { echo "bench_triage.sh: $bin is not a program" >&2; exit 1; }

# ---- the input -------------------------------------------------------------------
if [ -z "$data" ]; then
  data="$tmp/data"
fi
if [ ! -f "$data/leads.csv" ] || [ ! -f "$data/events.csv" ]; then
  python3 "$here/gen_sample.py" --leads "$leads" --out "$data" >&2
fi

# ---- the runs: best wall time of K ----------------------------------------------
best=
stats=
for ((i = 1; i <= runs; i++)); do
  TIMEFORMAT=%3R
  if ! { time "$bin" --rubric "$here/rubrics/b2b.rubric" --policy "$here/policies/inbound.policy" \
      --events "$data/events.csv" --now 2026-11-23T10:00:00Z --stats $explain \
      "$data/leads.csv" >/dev/null 2>"$tmp/stats"; } 2>"$tmp/time"; then
    cat "$tmp/stats" >&2
    echo "bench_triage.sh: $bin failed" >&2
    exit 1
  fi
  stats=$(cat "$tmp/stats")
  wall=$(tail -n 1 "$tmp/time")
  echo "run $i: wall ${wall} s; $stats" >&2
  if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
    best=$wall
  fi
done

# "leadgate-triage: 100000 leads, 777010 events, parse ..." (the last run)
n_leads=$(printf '%s\n' "$stats" | sed -n 's/^leadgate-triage: \([0-9]*\) leads, .*/\1/p')
n_events=$(printf '%s\n' "$stats" | sed -n 's/^leadgate-triage: [0-9]* leads, \([0-9]*\) events.*/\1/p')
printf 'triage leads=%s events=%s wall_s=%.2f\n' "${n_leads:-?}" "${n_events:-?}" "$best"
