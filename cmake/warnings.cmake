# Warnings live in an INTERFACE target linked PRIVATE, so they never leak.
add_library(analyzer_warnings INTERFACE)
target_compile_options(analyzer_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
if(ANALYZER_WERROR)
  target_compile_options(analyzer_warnings INTERFACE -Werror)
endif()
if(ANALYZER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
