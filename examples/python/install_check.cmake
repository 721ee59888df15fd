# pip-installs a copy of the package offline (--no-build-isolation, no
# index), with the built library placed inside it, into a scratch target
# directory, then imports it from there with LEADGATE_LIBRARY unset: the
# library must be found next to the package.
#   -DPYTHON=... -DSOURCE=examples/python -DLIBRARY=libleadgate.so.N -DWORK=scratch
execute_process(COMMAND ${PYTHON} -c
  "import setuptools, importlib.util as u; assert u.find_spec('pip') and (u.find_spec('wheel') or u.find_spec('setuptools.command.bdist_wheel'))"
  RESULT_VARIABLE have OUTPUT_QUIET ERROR_QUIET)
if(NOT have EQUAL 0)
  message("test_python_install skipped: ${PYTHON} lacks pip, setuptools or wheel "
    "(Debian: apt-get install python3-pip python3-setuptools python3-wheel)")
  return()
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
# a copy, so that the build leaves nothing (build/, *.egg-info) in the source tree
file(COPY ${SOURCE}/pyproject.toml ${SOURCE}/README.md ${SOURCE}/leadgate DESTINATION ${WORK}/src
  PATTERN __pycache__ EXCLUDE)
get_filename_component(libname ${LIBRARY} NAME)
file(COPY ${LIBRARY} DESTINATION ${WORK}/src/leadgate FOLLOW_SYMLINK_CHAIN)
execute_process(COMMAND ${CMAKE_COMMAND} -E env PIP_ROOT_USER_ACTION=ignore
  ${PYTHON} -m pip install --no-build-isolation --no-deps --no-index
  --no-cache-dir --disable-pip-version-check --quiet --target ${WORK}/site ${WORK}/src
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pip install failed (${rc})")
endif()
foreach(f leadgate/__init__.py leadgate/_native.py leadgate/py.typed leadgate/${libname})
  if(NOT EXISTS ${WORK}/site/${f})
    message(FATAL_ERROR "the installed package lacks ${f}")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LEADGATE_LIBRARY PYTHONPATH=${WORK}/site
  ${PYTHON} -c "import leadgate, os; assert os.path.dirname(leadgate.library_path) == os.path.dirname(leadgate.__file__), leadgate.library_path; print(leadgate.version(), leadgate.library_path)"
  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed package does not import with its own library")
endif()
