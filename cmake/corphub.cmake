# Project helpers: warnings, ccache, one static library per domain, embedded files.

# ccache with paths relative to the checkout, so that another clone (CI's) hits the same cache
# however ninja is started.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
                                  CCACHE_NOHASHDIR=1 ${CCACHE_PROGRAM})
endif()

function(corphub_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wformat=2 -Wimplicit-fallthrough)
  if(CORPHUB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# corphub_library(NAME SOURCES a.cpp b.cpp DEPS x y)
# Defines corphub_<NAME> with src/ on the include path (includes read "core/result.hpp").
function(corphub_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(corphub_${name} STATIC ${ARG_SOURCES})
  target_include_directories(corphub_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(corphub_${name} PUBLIC ${ARG_DEPS})
  corphub_warnings(corphub_${name})
endfunction()

# corphub_embed(OUT_VAR NAMESPACE ns FILES f1 f2 ...)
# Generates a .cpp with the files' bytes as std::string_view constants, listed in order:
#   namespace ns { extern const EmbeddedFile kFiles[]; extern const std::size_t kFileCount; }
# (declare the same two names in a header of your own to use them).
function(corphub_embed out_var)
  cmake_parse_arguments(ARG "" "NAMESPACE;NAME" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ARG_NAMESPACE} "-DFILES=${ARG_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${ARG_NAME}"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
