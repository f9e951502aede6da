# Renders one man page from its Markdown source with pandoc, and gzips it
# for installation (gzip -n: no name or time, so builds are reproducible).
#   -DPANDOC=... -DGZIP=... -DSRC=page.1.md -DOUT=page.1 -DFOOTER="kling-triage 0.1.0"
execute_process(
  COMMAND "${PANDOC}" --standalone --from markdown-smart --to man
          --metadata "footer=${FOOTER}" --metadata hyphenate=false --metadata adjusting=l
          --output "${OUT}" "${SRC}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pandoc failed on ${SRC}")
endif()
execute_process(COMMAND "${GZIP}" -9 -n -c "${OUT}" OUTPUT_FILE "${OUT}.gz" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip failed on ${OUT}")
endif()
