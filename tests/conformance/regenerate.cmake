# Runs the generator and fails unless it writes exactly the committed data
# set.  -DGEN=generator -DEXPECTED=committed cases.json -DOUT=scratch file
execute_process(COMMAND ${GEN} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${GEN} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${EXPECTED} RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "regenerated ${OUT} differs from ${EXPECTED}: the library's answers "
    "changed (see tests/conformance/README.md to regenerate after a deliberate change)")
endif()
