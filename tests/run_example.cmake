# run_example.cmake - runs one example program and checks what it did.
# Used by the CTest cases in examples/cli/CMakeLists.txt:
#
#   cmake -DPROG=path -DARGS="a|b|c" -DOUT=file [-DEXPECT_EXIT=n]
#         [-DEXPECT_STDOUT=file] [-DSTDOUT_REGEX=re] [-DSTDOUT_NOT_REGEX=re]
#         [-DSTDERR_REGEX=re] [-DSTDERR_REGEX_2=re] [-DSTDERR_REGEX_3=re]
#         [-DSTDERR_NOT_REGEX=re] [-DTO_CRLF="src|dst|src|dst"]
#         [-DREPEAT="dst|first line|line|count"] [-DSTDIN=file]
#         -P run_example.cmake
#
# ARGS are separated by '|' (a CMake list would be split by add_test).
# stdout goes to OUT and, with EXPECT_STDOUT, must equal that file byte for
# byte (cmake -E compare_files).  TO_CRLF first writes copies of files with
# CRLF line ends, to check that the programs read them the same.  Runs in
# the current directory (CTest sets it to the source tree, so paths in
# messages are as written in the test).  REPEAT first writes a generated
# file: the first line, then `count` copies of `line` with @i@ replaced by
# 1, 2, ...  STDIN is fed to the program's standard input.  In the regexes
# '.' also matches a line break, so one regex can check several lines in
# order.

cmake_minimum_required(VERSION 3.16)

if(NOT PROG OR NOT OUT)
  message(FATAL_ERROR "run_example.cmake: PROG and OUT are required")
endif()
if(NOT DEFINED EXPECT_EXIT)
  set(EXPECT_EXIT 0)
endif()

if(TO_CRLF)
  string(REPLACE "|" ";" _pairs "${TO_CRLF}")
  list(LENGTH _pairs _n)
  math(EXPR _last "${_n} - 1")
  foreach(i RANGE 0 ${_last} 2)
    math(EXPR j "${i} + 1")
    list(GET _pairs ${i} _src)
    list(GET _pairs ${j} _dst)
    file(READ "${_src}" _text)
    string(REPLACE "\n" "\r\n" _text "${_text}")
    file(WRITE "${_dst}" "${_text}")
  endforeach()
endif()

if(REPEAT)
  string(REPLACE "|" ";" _rep "${REPEAT}")
  list(GET _rep 0 _dst)
  list(GET _rep 1 _first)
  list(GET _rep 2 _line)
  list(GET _rep 3 _count)
  set(_text "${_first}\n")
  foreach(i RANGE 1 ${_count})
    string(REPLACE "@i@" "${i}" _l "${_line}")
    string(APPEND _text "${_l}\n")
  endforeach()
  file(WRITE "${_dst}" "${_text}")
endif()

string(REPLACE "|" ";" _args "${ARGS}")
if(STDIN)
  set(_input INPUT_FILE "${STDIN}")
else()
  set(_input)
endif()
execute_process(COMMAND "${PROG}" ${_args}
  ${_input}
  RESULT_VARIABLE rc
  OUTPUT_FILE "${OUT}"
  ERROR_VARIABLE err)
file(READ "${OUT}" out)

set(_fail "")
if(NOT "${rc}" STREQUAL "${EXPECT_EXIT}")
  string(APPEND _fail "exit status ${rc}, expected ${EXPECT_EXIT}\n")
endif()
if(EXPECT_STDOUT)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUT}" "${EXPECT_STDOUT}"
    RESULT_VARIABLE differs)
  if(differs)
    string(APPEND _fail "stdout (${OUT}) differs from ${EXPECT_STDOUT}\n")
    find_program(_diff diff)
    if(_diff)
      execute_process(COMMAND "${_diff}" -u "${EXPECT_STDOUT}" "${OUT}" OUTPUT_VARIABLE d)
      string(SUBSTRING "${d}" 0 4000 d)
      string(APPEND _fail "${d}\n")
    endif()
  endif()
endif()
if(STDOUT_REGEX AND NOT out MATCHES "${STDOUT_REGEX}")
  string(APPEND _fail "stdout does not match '${STDOUT_REGEX}'\n")
endif()
if(STDOUT_NOT_REGEX AND out MATCHES "${STDOUT_NOT_REGEX}")
  string(APPEND _fail "stdout matches '${STDOUT_NOT_REGEX}' and must not\n")
endif()
foreach(v STDERR_REGEX STDERR_REGEX_2 STDERR_REGEX_3)
  if(${v} AND NOT err MATCHES "${${v}}")
    string(APPEND _fail "stderr does not match '${${v}}'\n")
  endif()
endforeach()
if(STDERR_NOT_REGEX AND err MATCHES "${STDERR_NOT_REGEX}")
  string(APPEND _fail "stderr matches '${STDERR_NOT_REGEX}' and must not\n")
endif()

if(_fail)
  list(JOIN _args " " _shown)
  message(FATAL_ERROR "${PROG} ${_shown}\n${_fail}--- stderr ---\n${err}")
endif()
list(JOIN _args " " _shown)
message(STATUS "ok: ${PROG} ${_shown}")
