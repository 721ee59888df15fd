# threads_same.cmake - runs leadgate-triage with several --threads counts
# (and tiny chunks and blocks, so that the events file is cut at guessed
# record boundaries everywhere and leads are triaged in many blocks) and
# checks that stdout, stderr and the exit status are the same every time.
# Used by the CTest cases in examples/cli/CMakeLists.txt:
#
#   cmake -DPROG=path -DARGS="a|b|c" -DOUT=prefix [-DEXPECT_STDOUT=file]
#         [-DEXPECT_EXIT=n] [-DCHUNKS="bytes;bytes"] [-DGEN="leads|dir"]
#         [-DSORT="in|out|in|out"] [-DVARIANT="a|b"] -P threads_same.cmake
#
# The first run (one thread, default chunks) is the reference; with
# EXPECT_STDOUT its stdout must equal that file, with EXPECT_EXIT its exit
# status be that.  GEN first writes a
# generated data set with examples/gen_sample.py (--seed 1) into dir.
# SORT then writes each `in` file sorted by lead id to `out`
# (sort_by_id.py).  VARIANT's arguments are added to every run but the
# reference (--sorted: the same bytes as the default mode).  The timings
# of --stats are left out of the comparison (its counts are not).

cmake_minimum_required(VERSION 3.16)

string(REPLACE "|" ";" args "${ARGS}")
if(NOT DEFINED CHUNKS)
  set(CHUNKS "64;1000")
endif()
if(GEN)
  string(REPLACE "|" ";" gen "${GEN}")
  list(GET gen 0 gen_leads)
  list(GET gen 1 gen_dir)
  find_program(PYTHON3 python3 REQUIRED)
  if(NOT EXISTS ${gen_dir}/events.csv)
    execute_process(COMMAND ${PYTHON3} examples/gen_sample.py --leads ${gen_leads}
                            --out ${gen_dir} --seed 1
                    RESULT_VARIABLE rc OUTPUT_QUIET)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "gen_sample.py failed (${rc})")
    endif()
  endif()
endif()

if(SORT)
  string(REPLACE "|" ";" sort "${SORT}")
  find_program(PYTHON3 python3 REQUIRED)
  while(sort)
    list(POP_FRONT sort sort_in sort_out)
    get_filename_component(sort_dir ${sort_out} DIRECTORY)
    file(MAKE_DIRECTORY ${sort_dir})
    execute_process(COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/sort_by_id.py ${sort_in} ${sort_out}
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "sort_by_id.py ${sort_in} failed (${rc})")
    endif()
  endwhile()
endif()
string(REPLACE "|" ";" variant "${VARIANT}")
set(timings "parse [0-9.]+ s, scoring [0-9.]+ s, total [0-9.]+ s, [0-9]+ leads/s")

execute_process(COMMAND ${PROG} --threads 1 ${args}
                OUTPUT_FILE ${OUT}.ref ERROR_VARIABLE ref_err RESULT_VARIABLE ref_rc)
string(REGEX REPLACE "${timings}" "(timings)" ref_err "${ref_err}")
if(DEFINED EXPECT_EXIT AND NOT ref_rc EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit ${ref_rc}, expected ${EXPECT_EXIT}; stderr:\n${ref_err}")
endif()
if(EXPECT_STDOUT)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}.ref ${EXPECT_STDOUT}
                  RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    message(FATAL_ERROR "--threads 1: stdout ${OUT}.ref differs from ${EXPECT_STDOUT}")
  endif()
endif()

foreach(chunk "" ${CHUNKS})
  foreach(threads 1 2 3 8)
    if(chunk STREQUAL "")
      set(env "")
      set(what "--threads ${threads} ${variant}")
    else()
      set(env LEADGATE_TRIAGE_CHUNK=${chunk} LEADGATE_TRIAGE_BLOCK=7)
      set(what "--threads ${threads} ${variant}, ${chunk}-byte chunks, 7-row blocks")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E env ${env} ${PROG} --threads ${threads} ${args}
                            ${variant}
                    OUTPUT_FILE ${OUT}.run ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(REGEX REPLACE "${timings}" "(timings)" err "${err}")
    if(NOT rc EQUAL ref_rc)
      message(FATAL_ERROR "${what}: exit ${rc}, one thread exits ${ref_rc}; stderr:\n${err}")
    endif()
    if(NOT err STREQUAL ref_err)
      message(FATAL_ERROR "${what}: stderr differs.\none thread:\n${ref_err}\nthis run:\n${err}")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}.ref ${OUT}.run
                    RESULT_VARIABLE diff)
    if(NOT diff EQUAL 0)
      message(FATAL_ERROR "${what}: stdout ${OUT}.run differs from one thread's ${OUT}.ref")
    endif()
  endforeach()
endforeach()
