#!/usr/bin/env bash
# Runs every libFuzzer target for N seconds (default 60) and fails on any
# finding: a crash, a sanitizer report, a leak, an invariant violation
# (the targets abort()), a timeout or running out of memory.
#
#   tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
#
# BUILD_DIR must hold a -DLEADGATE_FUZZ=ON clang build; without it one is
# made in a temporary directory.  The seed corpora are only read: new
# inputs go to a scratch corpus, findings to $FUZZ_ARTIFACTS (default a
# scratch directory, printed on failure).  Targets run $FUZZ_JOBS at a time
# (default: the number of CPUs), each for the full SECONDS.
set -euo pipefail

seconds=${1:-60}
build=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
targets=(fuzz_rubric fuzz_policy fuzz_calendar fuzz_lead fuzz_csv)
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
scratch=$(mktemp -d /tmp/lg-fuzz-run.XXXXXX)
artifacts=${FUZZ_ARTIFACTS:-$scratch/artifacts}
mkdir -p "$artifacts"
trap 'rm -rf "$scratch/corpus" "$scratch/build"' EXIT

if [ -z "$build" ]; then
  build=$scratch/build
  CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLEADGATE_FUZZ=ON \
    -DLEADGATE_BUILD_TESTS=OFF -DLEADGATE_BUILD_EXAMPLES=OFF -DLEADGATE_BUILD_BENCH=OFF \
    >/dev/null
  cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null
fi

run_one() {
  local t=$1 bin=$build/tests/fuzz/$1 seeds=$here/corpus/${1#fuzz_}
  local work=$scratch/corpus/$t log=$scratch/$t.log rc=0 len=()
  mkdir -p "$work"
  # The parsers' size limit (1 MiB of text) must be reachable: their
  # targets may grow inputs to one byte past it (libFuzzer still starts
  # small and lengthens inputs as coverage asks).
  case $t in fuzz_rubric | fuzz_policy | fuzz_calendar) len=(-max_len=1048577) ;; esac
  # -timeout: an input slower than this is a finding (the library promises
  # costs that grow with days, not minutes).  Leak detection is on by
  # default under ASan; -error_exitcode makes every finding exit non-zero.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" "${len[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -error_exitcode=77 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work" "$seeds" \
      >"$log" 2>&1 || rc=$?
  echo "$rc" >"$scratch/$t.rc"
}

pids=()
for t in "${targets[@]}"; do
  [ -x "$build/tests/fuzz/$t" ] || { echo "missing $build/tests/fuzz/$t"; exit 2; }
  run_one "$t" &
  pids+=($!)
  # Keep at most $jobs targets running.
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
done
wait "${pids[@]}"

failed=0 total=0
for t in "${targets[@]}"; do
  log=$scratch/$t.log rc=$(cat "$scratch/$t.rc")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  found=$(find "$artifacts" -name "$t-*" | wc -l)
  status=ok
  if [ "$rc" != 0 ] || [ "$found" != 0 ]; then status=FAILED; failed=1; fi
  printf '%-14s %s execs=%s exec_per_s=%s seconds=%s\n' "$t" "$status" "${execs:-0}" \
    "${rate:-0}" "$seconds"
  total=$((total + ${execs:-0}))
  if [ "$status" != ok ]; then
    grep -E 'invariant failed|runtime error|ERROR: |SUMMARY|^    #[0-9]+ .* in (lg_|fz_|[a-z_]+ /)' \
      "$log" | head -n 40 || true
    find "$artifacts" -name "$t-*" -printf '  finding: %p\n'
  fi
done
echo "fuzz total_execs=$total"
if [ "$failed" != 0 ]; then
  echo "fuzzing found problems; inputs kept in $artifacts"
  exit 1
fi
rm -rf "$scratch"
