# Script mode: runs GEN (corphub_pinyin_gen) on IN, Unihan_Readings.txt.bz2 decompressed by BZIP2
# (or a plain Unihan_Readings.txt), writing OUT. Any failing step fails the build and leaves no OUT.
if(IN MATCHES "\\.bz2$")
  execute_process(COMMAND ${BZIP2} -dc ${IN} COMMAND ${GEN} -o ${OUT} RESULTS_VARIABLE results)
else()
  execute_process(COMMAND ${GEN} -o ${OUT} ${IN} RESULTS_VARIABLE results)
endif()
foreach(result IN LISTS results)
  if(NOT result EQUAL 0)
    file(REMOVE ${OUT})
    message(FATAL_ERROR "Generating ${OUT} from ${IN} failed (exit statuses: ${results})")
  endif()
endforeach()
