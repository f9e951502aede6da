# analyzer_add_suite(<suite> LABELS ...): registers one Boost.Test suite of
# the unit-test executable as its own CTest test, so failures show per suite.
function(analyzer_add_suite suite)
  cmake_parse_arguments(ARG "" "" "LABELS" ${ARGN})
  add_test(NAME unit.${suite}
           COMMAND analyzer_unit_tests --run_test=${suite} --report_level=short
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(unit.${suite} PROPERTIES LABELS "unit;${ARG_LABELS}")
endfunction()
