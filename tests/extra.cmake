foreach(t test_decay test_learn) # both check fixed point against libm
  if(TARGET ${t})
    target_link_libraries(${t} PRIVATE m)
  endif()
endforeach()

# The same decay tests against the portable 64-bit multiply (the fallback for
# compilers without a 128-bit type): results must be identical.  Not in a
# coverage build: gcov cannot merge two different compilations of decay.c.
if(TARGET test_decay AND NOT LEADGATE_COVERAGE)
  add_executable(test_decay_portable test_decay.c ${PROJECT_SOURCE_DIR}/lib/decay.c)
  target_compile_definitions(test_decay_portable PRIVATE LG_NO_INT128)
  target_include_directories(test_decay_portable PRIVATE ${PROJECT_SOURCE_DIR}/lib
    ${PROJECT_SOURCE_DIR}/include)
  get_target_property(_lg_decay_libs test_decay LINK_LIBRARIES)
  target_link_libraries(test_decay_portable PRIVATE ${_lg_decay_libs})
  add_test(NAME test_decay_portable COMMAND test_decay_portable)
endif()

# lg_time_format / lg_time_parse against Python's datetime on random
# instants (a fixed seed, printed).  Not in sanitizer builds: Python cannot
# load a sanitized library without the runtime preloaded, and test_time
# covers the same code under the sanitizers.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND NOT LEADGATE_SANITIZE)
  add_test(NAME test_time_datetime
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/test_time_datetime.py
            $<TARGET_FILE:leadgate_shared>)
endif()
