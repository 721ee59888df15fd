# The example programs (included from examples/CMakeLists.txt): they use
# only <leadgate.h>, the C library and csv.c, which both programs share.
#
#   leadgate-triage     scores and qualifies a CSV of leads (installed)
#   leadgate-sla-watch  follow-up SLA actions and per-rep compliance (installed)
#   leadgate-replay     a simulated lead base kept decided by a nightly batch and
#                       by next_at wake-ups, side by side (installed; cli/replay.c)
#   python/leadgate.py  a ctypes binding, tested by tests/test_python.py
#
# bench_triage.sh (not a test: wall time depends on the machine) generates
# 100,000 leads and ~770,000 events with gen_sample.py, times a Release
# leadgate-triage on them and prints `triage leads=N events=M wall_s=S`:
#   examples/bench_triage.sh [--leads N] [--runs K] [--build DIR | --bin PROG]

add_library(leadgate_examples_csv STATIC csv.c)
target_include_directories(leadgate_examples_csv PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(leadgate_examples_csv PRIVATE leadgate_flags)

add_executable(leadgate-triage triage.c)
target_link_libraries(leadgate-triage PRIVATE leadgate_examples_csv leadgate_static leadgate_flags)

add_executable(leadgate-sla-watch sla_watch.c)
target_link_libraries(leadgate-sla-watch PRIVATE leadgate_examples_csv leadgate_static
  leadgate_flags)

add_executable(leadgate-replay cli/replay.c)
target_link_libraries(leadgate-replay PRIVATE leadgate_static leadgate_flags)

install(TARGETS leadgate-triage leadgate-sla-watch leadgate-replay
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

if(NOT LEADGATE_BUILD_TESTS)
  return()
endif()

# ---- CTest: the programs on the sample data, and their error paths ---------
#
# The expected outputs in examples/data/expected/ were produced by the
# programs and checked by hand for the leads listed in
# examples/data/expected/README.md (arithmetic there).  Tests run in the
# source tree so that file names in messages read as written here.

set(_lg_sample_now 2026-11-23T10:00:00Z)
set(_lg_rubric examples/rubrics/b2b.rubric)
set(_lg_policy examples/policies/inbound.policy)
set(_lg_data examples/data)

# leadgate_example_test(NAME PROG [EXIT n] [EXPECT file] [STDOUT re]
#   [NOT_STDOUT re] [STDERR re] [STDERR_2 re] [STDERR_3 re] [CRLF pairs]
#   ARGS ...)
function(leadgate_example_test name prog)
  cmake_parse_arguments(T "" "EXIT;EXPECT;STDOUT;NOT_STDOUT;STDERR;STDERR_2;STDERR_3;CRLF"
    "ARGS" ${ARGN})
  string(JOIN "|" args ${T_ARGS})
  set(cmd ${CMAKE_COMMAND} "-DPROG=$<TARGET_FILE:${prog}>" "-DARGS=${args}"
    "-DOUT=${CMAKE_CURRENT_BINARY_DIR}/${name}.out")
  if(DEFINED T_EXIT)
    list(APPEND cmd "-DEXPECT_EXIT=${T_EXIT}")
  endif()
  if(T_EXPECT)
    list(APPEND cmd "-DEXPECT_STDOUT=${PROJECT_SOURCE_DIR}/${T_EXPECT}")
  endif()
  # option -> driver variable
  foreach(pair STDOUT=STDOUT_REGEX NOT_STDOUT=STDOUT_NOT_REGEX STDERR=STDERR_REGEX
               STDERR_2=STDERR_REGEX_2 STDERR_3=STDERR_REGEX_3 CRLF=TO_CRLF)
    string(REPLACE "=" ";" pair ${pair})
    list(GET pair 0 opt)
    list(GET pair 1 var)
    if(T_${opt})
      list(APPEND cmd "-D${var}=${T_${opt}}")
    endif()
  endforeach()
  add_test(NAME ${name} COMMAND ${cmd} -P ${PROJECT_SOURCE_DIR}/tests/run_example.cmake)
  set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# The sample, end to end, against the hand-checked expected output.
leadgate_example_test(example_triage_sample leadgate-triage
  EXPECT ${_lg_data}/expected/triage.csv
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} --events ${_lg_data}/events.csv
       --now ${_lg_sample_now} --explain ${_lg_data}/leads.csv)
# Same input with CRLF line ends and `now` as epoch seconds: same output.
leadgate_example_test(example_triage_crlf_epoch_now leadgate-triage
  EXPECT ${_lg_data}/expected/triage.csv
  CRLF "${_lg_data}/leads.csv|${CMAKE_CURRENT_BINARY_DIR}/leads-crlf.csv|${_lg_data}/events.csv|${CMAKE_CURRENT_BINARY_DIR}/events-crlf.csv"
  ARGS --rubric=${_lg_rubric} --policy=${_lg_policy}
       --events=${CMAKE_CURRENT_BINARY_DIR}/events-crlf.csv --now=1795428000 --explain
       ${CMAKE_CURRENT_BINARY_DIR}/leads-crlf.csv)
leadgate_example_test(example_triage_stats leadgate-triage
  STDERR "leadgate-triage: 300 leads, [0-9]+ events, parse [0-9.]+ s, scoring [0-9.]+ s"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} --events ${_lg_data}/events.csv
       --now ${_lg_sample_now} --stats ${_lg_data}/leads.csv)
leadgate_example_test(example_sla_watch_sample leadgate-sla-watch
  EXPECT ${_lg_data}/expected/sla_watch.csv
  ARGS --policy ${_lg_policy} --assignments ${_lg_data}/assignments.csv
       --reps ${_lg_data}/reps.csv --now ${_lg_sample_now})

# next_at: on a small lead base, the wake-up host catches every change a
# minute-by-minute scan finds, at its instant (exit 1 otherwise).
leadgate_example_test(example_replay_check leadgate-replay
  STDOUT "not caught within the minute by the next_at host: 0\n"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} --leads 100 --days 45 --seed 7 --check)
leadgate_example_test(example_replay_usage leadgate-replay EXIT 64
  STDERR "--rubric is required\nusage: leadgate-replay "
  ARGS --policy ${_lg_policy})

# Errors: exit status 2 and FILE:LINE[:COL]: messages; 64 for usage.
leadgate_example_test(example_triage_bad_rubric leadgate-triage EXIT 2
  STDERR "^examples/data/errors/bad[.]rubric:4:17: expected '->'"
  ARGS --rubric ${_lg_data}/errors/bad.rubric --policy ${_lg_policy} ${_lg_data}/leads.csv)
leadgate_example_test(example_triage_bad_row leadgate-triage EXIT 2
  STDERR "^examples/data/errors/bad_row[.]csv:5: quote inside an unquoted field"
  STDOUT "\nL-2,2[.]000," NOT_STDOUT "L-[34]"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} --now ${_lg_sample_now}
       ${_lg_data}/errors/bad_row.csv)
leadgate_example_test(example_triage_keep_going leadgate-triage EXIT 1
  STDERR "bad_row[.]csv:5: quote inside"
  STDERR_2 "bad_row[.]csv:7: expected 3 fields as in the header, found 2"
  STDERR_3 "skipped 2 bad rows"
  STDOUT "\nL-4,.*\nL-6," NOT_STDOUT "L-[35]"
  ARGS --keep-going --rubric ${_lg_rubric} --policy ${_lg_policy} --now ${_lg_sample_now}
       ${_lg_data}/errors/bad_row.csv)
leadgate_example_test(example_triage_bad_header leadgate-triage EXIT 2
  STDERR "^examples/data/errors/bad_header[.]csv:1: column 2: header 'Need' is not a valid attribute name"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} ${_lg_data}/errors/bad_header.csv)
leadgate_example_test(example_triage_bad_events leadgate-triage EXIT 2
  STDERR "^examples/data/errors/bad_events[.]csv:3: at 'yesterday' is not"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} --events ${_lg_data}/errors/bad_events.csv
       ${_lg_data}/leads.csv)
leadgate_example_test(example_triage_missing_file leadgate-triage EXIT 2
  STDERR "^examples/data/no-such-file[.]csv: [^\n]+\n$"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} ${_lg_data}/no-such-file.csv)
leadgate_example_test(example_triage_usage leadgate-triage EXIT 64
  STDERR "--rubric is required\nusage: leadgate-triage ")
leadgate_example_test(example_triage_bad_now leadgate-triage EXIT 64
  STDERR "--now: 'tomorrow' is not"
  ARGS --rubric ${_lg_rubric} --policy ${_lg_policy} --now tomorrow ${_lg_data}/leads.csv)
leadgate_example_test(example_sla_watch_bad_order leadgate-sla-watch EXIT 2
  STDERR "^examples/data/errors/bad_assignments[.]csv:3: assigned_at is earlier"
  NOT_STDOUT "lead_id"
  ARGS --policy ${_lg_policy} --assignments ${_lg_data}/errors/bad_assignments.csv
       --now ${_lg_sample_now})
leadgate_example_test(example_sla_watch_bad_policy leadgate-sla-watch EXIT 2
  STDERR "^examples/data/errors/bad[.]rubric:1:1: "
  ARGS --policy ${_lg_data}/errors/bad.rubric --assignments ${_lg_data}/assignments.csv)
leadgate_example_test(example_sla_watch_missing_file leadgate-sla-watch EXIT 2
  STDERR "^examples/data/no-such-file[.]csv: "
  ARGS --policy ${_lg_policy} --assignments ${_lg_data}/no-such-file.csv)
leadgate_example_test(example_sla_watch_usage leadgate-sla-watch EXIT 64
  STDERR "usage: leadgate-sla-watch "
  ARGS --policy ${_lg_policy})

# ---- CTest: the Python binding -----------------------------------------------

find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(_lg_py_env "LEADGATE_LIB=$<TARGET_FILE:leadgate_shared>")
  if(LEADGATE_SANITIZE)
    # The sanitized shared library needs the ASan runtime loaded first in a
    # host that was not built with it; Python's own allocations at exit are
    # not ours to report.
    if(CMAKE_C_COMPILER_ID MATCHES "Clang")
      set(_lg_asan_name libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
    else()
      set(_lg_asan_name libasan.so)
    endif()
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=${_lg_asan_name}
      OUTPUT_VARIABLE _lg_asan_rt OUTPUT_STRIP_TRAILING_WHITESPACE)
    list(APPEND _lg_py_env "LD_PRELOAD=${_lg_asan_rt}"
      "ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0")
  endif()
  add_test(NAME test_python
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/test_python.py)
  set_tests_properties(test_python PROPERTIES ENVIRONMENT "${_lg_py_env}")
else()
  message(STATUS "leadgate: python3 not found: test_python will be skipped")
  add_test(NAME test_python
    COMMAND ${CMAKE_COMMAND} -E echo "test_python skipped: python3 not found")
  set_tests_properties(test_python PROPERTIES
    SKIP_REGULAR_EXPRESSION "skipped: python3 not found")
endif()
