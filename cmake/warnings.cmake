# Warnings live in an INTERFACE target linked PRIVATE, so they never leak.
add_library(analyzer_warnings INTERFACE)
target_compile_options(analyzer_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
# GCC 12 warns about memcpy ranges inside std::string at -O3 when nothing
# is wrong (GCC bug 105329); keep -Werror usable with it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(analyzer_warnings INTERFACE -Wno-restrict)
endif()
if(ANALYZER_WERROR)
  target_compile_options(analyzer_warnings INTERFACE -Werror)
endif()
if(ANALYZER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(ANALYZER_FUZZ)
  # Every library is instrumented for coverage; only the fuzz targets link
  # libFuzzer's main (fuzz/CMakeLists.txt). UB aborts, so libFuzzer sees it.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
