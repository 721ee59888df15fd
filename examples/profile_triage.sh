#!/usr/bin/env bash
# profile_triage.sh - where leadgate-triage's instructions go (callgrind).
#
#   examples/profile_triage.sh [--leads N] [--build DIR | --bin PROG] [--data DIR]
#                              [--threads T] [--fn NAME,NAME,...] [--top K]
#
# Runs leadgate-triage once under valgrind --tool=callgrind on the
# reference data of N leads (default 20000; gen_sample.py --seed 1, into
# DIR/N as bench_triage.sh does, e.g. --data /tmp/ref) and prints
# instruction counts (this machine has no hardware counters; callgrind
# counts are exact and do not depend on the load), as grep-able lines:
#
#   profile leads=20000 events=154943 ir=608237940 ir_per_lead=30411 ir_per_event=3925
#   component name=csv ir=152852672 share=25.1% ir_per_lead=7642
#   inclusive fn=load_events ir=... share=...%
#   top ir=... share=...% fn=FILE:FUNCTION
#
# `component` is the self cost summed by source file (so every instruction
# is counted once): csv (examples/cli/csv.c and csv.h, the reader),
# events (the events index: events.c, strmap.c/h, sorted.c, code inlined
# from their headers included), cells (data.c), triage (the driver in
# triage.c: output, the loop), lead (lib/lead.c),
# names (lib/names.c), time (lib/time.c), score (score.c, decay.c,
# match.c, plan.h), decide (decide.c, expr.c, policy.c), lib-other, alloc (libc
# malloc/free/realloc), libc-string (memcpy, strlen, ...), other.  It needs
# debug information: the build here is Release with -g (same code as
# Release; DIR default ${TMPDIR:-/tmp}/leadgate-prof-build).  With --bin
# of a program without -g, functions are classified by today's names
# (csv_*, lg_lead_*, ...), which a rewrite may leave behind: check `top`.
# `inclusive` gives the inclusive cost of each --fn function present
# (default: load_events, csv_next, lg_lead_add_event, lg_decide, write_row).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
leads=20000
build="${TMPDIR:-/tmp}/leadgate-prof-build"
bin=
data=
threads=
fns=load_events,csv_next,lg_lead_add_event,lg_decide,write_row
top=15

usage() {
  sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}
die() { echo "profile_triage.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --leads) leads=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --bin) bin=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --fn) fns=${2:?}; shift 2 ;;
    --top) top=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "profile_triage.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$leads$top$threads" in
  *[!0-9]*) echo "profile_triage.sh: --leads, --top and --threads take whole numbers" >&2; exit 64 ;;
esac
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
  die "needs valgrind and callgrind_annotate (Debian: apt-get install valgrind)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leadgate-prof.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -z "$bin" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-g \
      >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; exit 1; }
  fi
  cmake --build "$build" --target leadgate-triage -j2 >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; exit 1; }
  bin="$build/examples/leadgate-triage"
fi
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then die "$bin is not a program"; fi

dir="${data:-$tmp/data}/$leads"
if [ ! -f "$dir/leads.csv" ] || [ ! -f "$dir/events.csv" ]; then
  echo "profile_triage.sh: generating $leads leads into $dir" >&2
  mkdir -p "$dir"
  python3 "$here/gen_sample.py" --leads "$leads" --out "$dir" --seed 1 >&2
fi
n_events=$(($(wc -l <"$dir/events.csv") - 1))

topt=()
[ -z "$threads" ] || topt=(--threads "$threads")
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$bin" \
  --rubric "$here/rubrics/b2b.rubric" --policy "$here/policies/inbound.policy" \
  --events "$dir/events.csv" --now 2026-11-23T10:00:00Z --format csv "${topt[@]}" \
  "$dir/leads.csv" >/dev/null 2>"$tmp/valgrind.log" ||
  { cat "$tmp/valgrind.log" >&2; die "$bin failed under callgrind"; }

# "  152,852,672 (25.13%)  path/file.c:function [object]" -> "ir<TAB>file:function"
callgrind_annotate --threshold=100 "$tmp/cg.out" >"$tmp/self.txt"
callgrind_annotate --threshold=100 --inclusive=yes "$tmp/cg.out" >"$tmp/incl.txt"
rows() {
  sed -n 's/^ *\([0-9,][0-9,]*\) ([ 0-9.]*%)  *\([^ ]*\).*/\1\t\2/p' "$1" | tr -d , |
    grep -v 'PROGRAM$' || true
}
total=$(sed -n 's/^ *\([0-9,][0-9,]*\) .*PROGRAM TOTALS.*/\1/p' "$tmp/self.txt" | tr -d ,)
[ -n "$total" ] || die "no totals in callgrind's output"

awk -v n="$leads" -v e="$n_events" -v t="$total" 'BEGIN {
  printf "profile leads=%d events=%d ir=%d ir_per_lead=%d ir_per_event=%d\n", n, e, t, t / n, t / e }'

rows "$tmp/self.txt" | awk -F'\t' -v n="$leads" -v t="$total" '
  {
    loc = $2; file = loc; sub(/:[^:]*$/, "", file); fn = loc; sub(/^.*:/, "", fn)
    c = "other"
    if (fn ~ /^(_int_)?(malloc|free|realloc|calloc|cfree)$|^_int_|^malloc_|^tcache|^unlink_chunk|^alloc_perturb/) c = "alloc"
    else if (file ~ /\/(string|wcsmbs)\/|multiarch/ || fn ~ /^__(mem|str|wmem)/) c = "libc-string"
    else if (file ~ /cli\/csv\.[ch]$/) c = "csv"
    else if (file ~ /cli\/(events|strmap|sorted)\.[ch]$/) c = "events"
    else if (file ~ /cli\/data\.c$/) c = "cells"
    else if (file ~ /cli\/(triage|cli)\.[ch]$/) c = "triage"
    else if (file ~ /lib\/lead\.c$/) c = "lead"
    else if (file ~ /lib\/names\.c$/) c = "names"
    else if (file ~ /lib\/time\.c$/) c = "time"
    else if (file ~ /lib\/(score|decay|match|plan)\.[ch]$/) c = "score"
    else if (file ~ /lib\/(decide|expr|policy)\.[ch]$/) c = "decide"
    else if (file ~ /(^|[^a-z])lib\/[a-z_]+\.[ch]$/ && file !~ /^\/usr\//) c = "lib-other"
    else if (file == "???") {
      # no debug information: by the function names of this version
      if (fn ~ /^csv_/) c = "csv"
      else if (fn ~ /^(events_|part_|intern_task|group_task|parse_task|strmap_|sorted_)/) c = "events"
      else if (fn ~ /^data_/) c = "cells"
      else if (fn ~ /^(load_|event_index_|strmap_|triage_|line_|write_|find_events|main$)/) c = "triage"
      else if (fn ~ /^(lg_lead_|set_attr|arena_)/) c = "lead"
      else if (fn ~ /^lg__(name_valid|utf8_)/) c = "names"
      else if (fn ~ /^(lg_time_|lg__time_|cli_parse_time)/) c = "time"
      else if (fn ~ /^(score_|lg_score_|lg__decay|pow2_|lg__match)/) c = "score"
      else if (fn ~ /^(lg_decide|eval_node|lg__plan|lg__expr)/) c = "decide"
      else if (fn ~ /^lg_/) c = "lib-other"
    }
    ir[c] += $1; seen += $1
  }
  END {
    ir["other"] += t - seen    # below the annotate threshold
    split("csv events cells triage lead names time score decide lib-other alloc libc-string other", order, " ")
    for (i = 1; i in order; i++) {
      c = order[i]
      if (ir[c] > 0) printf "component name=%s ir=%d share=%.1f%% ir_per_lead=%d\n", c, ir[c], 100 * ir[c] / t, ir[c] / n
    }
  }'

rows "$tmp/incl.txt" >"$tmp/incl.rows"
IFS=, read -r -a fn_list <<<"$fns"
for f in "${fn_list[@]}"; do
  # static functions may carry a suffix (load_events.constprop.0)
  awk -F'\t' -v f="$f" -v t="$total" '
    { fn = $2; sub(/^.*:/, "", fn); sub(/\..*$/, "", fn)
      if (fn == f && !done) { printf "inclusive fn=%s ir=%d share=%.1f%%\n", f, $1, 100 * $1 / t; done = 1 } }' \
    "$tmp/incl.rows"
done

rows "$tmp/self.txt" | head -n "$top" |
  awk -F'\t' -v t="$total" '{ printf "top ir=%d share=%.1f%% fn=%s\n", $1, 100 * $1 / t, $2 }'
