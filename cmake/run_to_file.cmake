# Runs a command and writes its standard output to a file, failing the
# build when the command fails: -DOUT=file -DCMD="prog;arg;..."
execute_process(COMMAND ${CMD} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${CMD} failed (${rc})")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
