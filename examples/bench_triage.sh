#!/usr/bin/env bash
# bench_triage.sh - times leadgate-triage end to end on the reference data.
#
#   examples/bench_triage.sh [--sizes N,N,...] [--runs K] [--threads T,T,...]
#                            [--build DIR | --bin PROG] [--baseline PROG]
#                            [--data DIR] [--sqlite] [--sqlite-runs K] [--explain]
#                            [--sorted]
#
# For each size N (default 100000,1000000; add 5000000 for the large set;
# --leads N is --sizes N) the reference data is generated with
# `gen_sample.py --leads N --seed 1` (about 7.8 events a lead) into
# DIR/N/{leads,events}.csv and reused from there when --data DIR names a
# cache (e.g. --data /tmp/ref, or any directory kept between runs);
# without --data it goes to a temporary directory removed at exit.
#
# The program is a Release leadgate-triage built in DIR (default
# ${TMPDIR:-/tmp}/leadgate-bench-build, configured on first use) unless
# --bin names one.  It runs with --threads T for each T (default 1,2) when
# its --help offers --threads, else once per round without it (reported
# as threads=default).  --baseline PROG runs a second program in the same
# rounds (interleaved with the first, so both see the same machine load)
# and reports both, their ratio and whether their outputs are identical.
# Each configuration runs K times (default 5), writing its CSV output
# (--format csv) to a file; every output must have the same MD5 as the
# first (runs, thread counts and programs), else the exit status is 1.
#
# --sorted: the data is sorted by lead id once, into DIR/N-sorted next to
# DIR/N (kept with --data; `LC_ALL=C sort -t, -k1,1 -s` after the header
# for a file without quotes, else cli/sort_by_id.py, which keeps quoted
# line breaks whole), and every configuration runs on it twice: the
# default mode (bin=new) and --sorted (bin=sorted), interleaved, so the
# MD5 check compares the two modes on the same files.
#
# Lines on stdout, one per size, program and thread count (best = the
# fastest run, median of K; peak RSS from GNU time's %M, or getrusage in a
# small C wrapper where /usr/bin/time is not GNU time):
#
#   triage leads=100000 events=778899 bin=new threads=1 runs=5 best_s=0.270   (bin=sorted:
#     the same program with --sorted)
#     median_s=0.281 best_leads_per_s=370370 median_leads_per_s=... best_ns_per_lead=2700
#     median_ns_per_lead=... best_rss_kb=... median_rss_kb=... rss_bytes_per_lead=... md5=...
#   compare leads=100000 threads=1 base_threads=default speedup_best=1.00
#     speedup_median=1.00 identical=yes                       (with --baseline)
#   check leads=100000 outputs=2 identical=yes md5=...
#   sqlite leads=100000 ... load_s_best=... query_s_best=...  (with --sqlite:
#   sqlite-check rows=100000 ... all_ok=100000 ...             bench_sqlite.py)
#
# Each run's --stats line goes to stderr.  Not a CTest test: wall time
# depends on the machine and its load.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
sizes=100000,1000000
runs=5
threads=1,2
build="${TMPDIR:-/tmp}/leadgate-bench-build"
bin=
baseline=
data=
sqlite=
sqlite_runs=1
explain=
sorted=
now=2026-11-23T10:00:00Z

usage() {
  sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}
die() { echo "bench_triage.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes|--leads) sizes=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --bin) bin=${2:?}; shift 2 ;;
    --baseline) baseline=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --sqlite) sqlite=1; shift ;;
    --sqlite-runs) sqlite_runs=${2:?}; sqlite=1; shift 2 ;;
    --explain) explain=--explain; shift ;;
    --sorted) sorted=1; shift ;;
    -h|--help) usage ;;
    *) echo "bench_triage.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
for v in "$sizes" "$threads"; do
  case "$v" in
    ''|,*|*,|*,,*|*[!0-9,]*) echo "bench_triage.sh: --sizes and --threads take whole numbers separated by commas" >&2; exit 64 ;;
  esac
done
case "$runs$sqlite_runs" in
  *[!0-9]*) echo "bench_triage.sh: --runs and --sqlite-runs take whole numbers" >&2; exit 64 ;;
esac
[ "$runs" -ge 1 ] || runs=1
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a thread_list <<<"$threads"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the program: a Release build ---------------------------------------------
if [ -z "$bin" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$tmp/cmake.log" 2>&1 ||
      { cat "$tmp/cmake.log" >&2; exit 1; }
  else
    src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
    [ "$(cd "$src" 2>/dev/null && pwd -P)" = "$(cd "$root" && pwd -P)" ] ||
      die "$build is a build of $src, not of $root (give another --build DIR)"
    grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" ||
      echo "bench_triage.sh: warning: $build is not a Release build" >&2
  fi
  cmake --build "$build" --target leadgate-triage -j2 >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; exit 1; }
  bin="$build/examples/leadgate-triage"
fi
for p in "$bin" ${baseline:+"$baseline"}; do
  if [ ! -f "$p" ] || [ ! -x "$p" ]; then die "$p is not a program"; fi
done

# ---- peak RSS: GNU time, else getrusage in a wrapper -----------------------------
# The wrapper (C, so the fork before exec copies next to nothing into the
# child's peak) times the run itself: its own start-up is not counted.
gnu_time=
if [ -x /usr/bin/time ] && [ -z "${BENCH_NO_GNU_TIME:-}" ] &&
   /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null &&
   grep -qx '[0-9][0-9]*' "$tmp/probe"; then
  gnu_time=1
else
  cat >"$tmp/rusage.c" <<'EOF'
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
/* rusage OUT ERR REPORT PROG ARGS...: "wall_s maxrss_kib cpu_s" to REPORT */
int main(int argc, char **argv) {
  struct timespec t0, t1;
  struct rusage ru;
  int st = 0;
  pid_t pid;
  FILE *f;
  if (argc < 5) return 64;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid = fork();
  if (pid == 0) {
    int o = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
    execv(argv[4], argv + 4);
    _exit(127);
  }
  if (pid < 0 || wait4(pid, &st, 0, &ru) != pid) return 125;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  f = fopen(argv[3], "w");
  if (!f) return 125;
  fprintf(f, "%.3f %ld %.2f\n",
          (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss,
          (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
  fclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
EOF
  "${CC:-cc}" -O2 -o "$tmp/rusage" "$tmp/rusage.c" ||
    die "no GNU time at /usr/bin/time and no C compiler for the getrusage wrapper"
fi

# measure OUT PROG ARGS...: one run; sets $wall (s), $rss (KiB) and $cpu
# (user + system s, all threads)
measure() {
  local out=$1
  shift
  if [ -n "$gnu_time" ]; then
    TIMEFORMAT=%3R
    { time /usr/bin/time -f '%M %U %S' -o "$tmp/rss" "$@" >"$out" 2>"$tmp/stats"; } 2>"$tmp/time" ||
      { cat "$tmp/stats" >&2; die "$1 failed"; }
    wall=$(tail -n 1 "$tmp/time")
    read -r rss cpu <<<"$(tail -n 1 "$tmp/rss" | awk '{ printf "%d %.2f", $1, $2 + $3 }')"
  else
    "$tmp/rusage" "$out" "$tmp/stats" "$tmp/report" "$@" ||
      { cat "$tmp/stats" >&2; die "$1 failed"; }
    read -r wall rss cpu <"$tmp/report"
  fi
}

# best and median of the numbers on stdin, one a line
best() { sort -g | head -n 1; }
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# the thread options a program takes: "1 2" or "default"
thread_configs() {
  local help
  help=$("$1" --help 2>&1 || true)
  if printf '%s\n' "$help" | grep -q -- '--threads'; then
    echo "${thread_list[*]}"
  else
    echo default
  fi
}

# sort_input IN OUT: IN sorted by lead id, the header first
sort_input() {
  if grep -q '"' "$1"; then
    python3 "$here/cli/sort_by_id.py" "$1" "$2"
  else
    { head -n 1 "$1"; tail -n +2 "$1" | LC_ALL=C sort -t, -k1,1 -s; } >"$2"
  fi
}

# ---- the configurations: program label, path, threads, mode ---------------------
labels=() paths=() tcounts=() modes=()
for t in $(thread_configs "$bin"); do
  labels+=(new); paths+=("$bin"); tcounts+=("$t"); modes+=("")
  if [ -n "$sorted" ]; then labels+=(sorted); paths+=("$bin"); tcounts+=("$t"); modes+=(--sorted); fi
done
if [ -n "$baseline" ]; then
  for t in $(thread_configs "$baseline"); do
    labels+=(base); paths+=("$baseline"); tcounts+=("$t"); modes+=("")
  done
fi
echo "bench_triage.sh: $bin${baseline:+ against $baseline}, sizes ${sizes}, $runs runs," \
  "peak RSS from $([ -n "$gnu_time" ] && echo GNU time || echo getrusage)" >&2

status=0
for n in "${size_list[@]}"; do
  # ---- the input: the reference data for this size ------------------------------
  dir="${data:-$tmp/data}/$n"
  if [ ! -f "$dir/leads.csv" ] || [ ! -f "$dir/events.csv" ]; then
    echo "bench_triage.sh: generating $n leads into $dir" >&2
    mkdir -p "$dir"
    python3 "$here/gen_sample.py" --leads "$n" --out "$dir" --seed 1 >&2
  fi
  if [ -n "$sorted" ]; then
    sdir="$dir-sorted"
    if [ ! -f "$sdir/leads.csv" ] || [ ! -f "$sdir/events.csv" ]; then
      echo "bench_triage.sh: sorting $dir by lead id into $sdir" >&2
      mkdir -p "$sdir"
      sort_input "$dir/events.csv" "$sdir/events.csv.tmp"
      sort_input "$dir/leads.csv" "$sdir/leads.csv.tmp"
      mv "$sdir/events.csv.tmp" "$sdir/events.csv"
      mv "$sdir/leads.csv.tmp" "$sdir/leads.csv"
    fi
    dir=$sdir
  fi
  n_leads=$n
  n_events=$(($(wc -l <"$dir/events.csv") - 1))

  # ---- the runs: K rounds, each configuration once a round ------------------------
  for ((c = 0; c < ${#labels[@]}; c++)); do : >"$tmp/walls.$c"; : >"$tmp/rsss.$c"; : >"$tmp/cpus.$c"; done
  for ((i = 1; i <= runs; i++)); do
    for ((c = 0; c < ${#labels[@]}; c++)); do
      topt=()
      [ "${tcounts[c]}" = default ] || topt=(--threads "${tcounts[c]}")
      measure "$tmp/out.$c" "${paths[c]}" --rubric "$here/rubrics/b2b.rubric" \
        --policy "$here/policies/inbound.policy" --events "$dir/events.csv" --now "$now" \
        --format csv --stats $explain "${topt[@]}" ${modes[c]} "$dir/leads.csv"
      sum=$(md5sum <"$tmp/out.$c" | cut -d' ' -f1)
      if [ "$i" -eq 1 ]; then
        printf '%s\n' "$sum" >"$tmp/md5.$c"
      elif [ "$sum" != "$(cat "$tmp/md5.$c")" ]; then
        echo "bench_triage.sh: ${labels[c]} threads=${tcounts[c]}: run $i's output differs from run 1's" >&2
        status=1
      fi
      echo "$n leads, ${labels[c]} threads=${tcounts[c]}, run $i: wall $wall s, cpu $cpu s," \
        "peak RSS $rss KiB; $(grep -v '^leadgate-triage: warning' "$tmp/stats" | paste -sd' ' -)" >&2
      echo "$wall" >>"$tmp/walls.$c"
      echo "$rss" >>"$tmp/rsss.$c"
      echo "$cpu" >>"$tmp/cpus.$c"
    done
  done

  # ---- the figures ------------------------------------------------------------------
  for ((c = 0; c < ${#labels[@]}; c++)); do
    b=$(best <"$tmp/walls.$c") m=$(median <"$tmp/walls.$c")
    rb=$(best <"$tmp/rsss.$c") rm_=$(median <"$tmp/rsss.$c")
    cb=$(best <"$tmp/cpus.$c") cm=$(median <"$tmp/cpus.$c")
    printf '%s\n' "$b" >"$tmp/best.$c"
    printf '%s\n' "$m" >"$tmp/median.$c"
    awk -v n="$n_leads" -v e="$n_events" -v l="${labels[c]}" -v t="${tcounts[c]}" -v k="$runs" \
      -v b="$b" -v m="$m" -v rb="$rb" -v rm="$rm_" -v cb="$cb" -v cm="$cm" -v md5="$(cat "$tmp/md5.$c")" 'BEGIN {
      printf "triage leads=%d events=%d bin=%s threads=%s runs=%d best_s=%.3f median_s=%.3f", n, e, l, t, k, b, m
      printf " best_leads_per_s=%d median_leads_per_s=%d", (b > 0 ? n / b : 0), (m > 0 ? n / m : 0)
      printf " best_ns_per_lead=%d median_ns_per_lead=%d", b * 1e9 / n, m * 1e9 / n
      printf " best_cpu_s=%.2f median_cpu_s=%.2f", cb, cm
      printf " best_rss_kb=%d median_rss_kb=%d rss_bytes_per_lead=%d md5=%s\n", rb, rm, rb * 1024 / n, md5 }'
  done
  if [ -n "$baseline" ]; then
    for ((c = 0; c < ${#labels[@]}; c++)); do
      [ "${labels[c]}" = new ] || continue
      # the baseline with the same thread count, else its only one
      base=
      for ((d = 0; d < ${#labels[@]}; d++)); do
        [ "${labels[d]}" = base ] || continue
        if [ -z "$base" ] || [ "${tcounts[d]}" = "${tcounts[c]}" ]; then base=$d; fi
      done
      same=no
      [ "$(cat "$tmp/md5.$c")" = "$(cat "$tmp/md5.$base")" ] && same=yes
      awk -v n="$n_leads" -v t="${tcounts[c]}" -v bt="${tcounts[base]}" -v s="$same" \
        -v nb="$(cat "$tmp/best.$c")" -v nm="$(cat "$tmp/median.$c")" \
        -v bb="$(cat "$tmp/best.$base")" -v bm="$(cat "$tmp/median.$base")" 'BEGIN {
        printf "compare leads=%d threads=%s base_threads=%s speedup_best=%.2f speedup_median=%.2f identical=%s\n",
          n, t, bt, (nb > 0 ? bb / nb : 0), (nm > 0 ? bm / nm : 0), s }'
    done
  fi
  distinct=$(cat "$tmp"/md5.* | sort -u | wc -l)
  if [ "$distinct" -eq 1 ]; then
    echo "check leads=$n_leads outputs=${#labels[@]} identical=yes md5=$(cat "$tmp/md5.0")"
  else
    echo "check leads=$n_leads outputs=${#labels[@]} identical=no md5s=$(cat "$tmp"/md5.* | sort -u | paste -sd, -)"
    status=1
  fi

  # ---- the peer: the same data through Python's sqlite3 ---------------------------
  if [ -n "$sqlite" ]; then
    python3 "$here/bench_sqlite.py" --data "$dir" --now "$now" --runs "$sqlite_runs" \
      --compare "$tmp/out.0" || status=1
  fi
done
exit "$status"
