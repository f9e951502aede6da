# What `cmake --install` puts where, and the Debian package (CPack DEB).
#   bin/kling-triage
#   share/kling-triage/rules/        the bundled pack, as the embedded files
#   share/kling-triage/schemas/      JSON Schemas (schemas/*.schema.json)
#   share/man/man1/                  man pages (docs/man, built with pandoc)
#   share/bash-completion/completions/kling-triage
#   share/zsh/{vendor-completions,site-functions}/_kling-triage
#   share/fish/vendor_completions.d/kling-triage.fish
#   share/doc/kling-triage/          README, rule format, examples
# To install another file, add one line here (and to tests/install's list).
set(CMAKE_INSTALL_DOCDIR share/doc/kling-triage CACHE PATH "Documentation folder")
include(GNUInstallDirs)
set(KT_DATADIR ${CMAKE_INSTALL_DATADIR}/kling-triage)

install(TARGETS kling_triage RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The launcher of scripts/kt-dask, once it exists (issue 11).
if(EXISTS ${PROJECT_SOURCE_DIR}/scripts/kt-dask)
  install(PROGRAMS scripts/kt-dask DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME kling-triage-dask)
endif()
install(DIRECTORY rules/kling DESTINATION ${KT_DATADIR}/rules
        FILES_MATCHING PATTERN "*.yaml" PATTERN "*.yml")
# The bundled input profiles, once they exist (issue 10).
if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/profiles)
  install(DIRECTORY profiles/ DESTINATION ${KT_DATADIR}/profiles
          FILES_MATCHING PATTERN "*.yaml" PATTERN "*.yml")
endif()
install(DIRECTORY schemas/ DESTINATION ${KT_DATADIR}/schemas FILES_MATCHING PATTERN "*.json")

# Completions, generated from the built binary's command tree.
set(KT_COMPLETION_DIR ${PROJECT_BINARY_DIR}/completions)
set(KT_COMPLETIONS)
foreach(shell_file IN ITEMS "bash;kling-triage" "zsh;_kling-triage" "fish;kling-triage.fish")
  list(GET shell_file 0 shell)
  list(GET shell_file 1 name)
  add_custom_command(
    OUTPUT ${KT_COMPLETION_DIR}/${name}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${KT_COMPLETION_DIR}
    COMMAND ${CMAKE_COMMAND} -DOUT=${KT_COMPLETION_DIR}/${name}
            "-DCMD=$<TARGET_FILE:kling_triage>;completion;${shell}"
            -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
    DEPENDS kling_triage ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
    COMMENT "Completion script for ${shell}"
    VERBATIM)
  list(APPEND KT_COMPLETIONS ${KT_COMPLETION_DIR}/${name})
endforeach()
add_custom_target(completions ALL DEPENDS ${KT_COMPLETIONS})
install(FILES ${KT_COMPLETION_DIR}/kling-triage
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${KT_COMPLETION_DIR}/kling-triage.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
# zsh: Debian's zsh reads /usr/share/zsh/vendor-completions (packages) and
# /usr/local/share/zsh/site-functions; elsewhere site-functions is the
# convention. Decided at install time, from the prefix of that install.
set(KT_ZSH_COMPLETION_DIR "" CACHE STRING
    "Where zsh completions go, under the prefix (default: share/zsh/vendor-completions for /usr, else share/zsh/site-functions)")
if(KT_ZSH_COMPLETION_DIR)
  install(CODE "set(kt_zsh_dir \"${KT_ZSH_COMPLETION_DIR}\")")
else()
  install(CODE [[
    if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
      set(kt_zsh_dir share/zsh/vendor-completions)
    else()
      set(kt_zsh_dir share/zsh/site-functions)
    endif()]])
endif()
install(FILES ${KT_COMPLETION_DIR}/_kling-triage DESTINATION "\${kt_zsh_dir}")

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES rules/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules)
install(FILES profiles/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/profiles)
install(FILES docs/partial-format.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package: cpack -G DEB in the build folder (scripts/kt package).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kling-triage)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fast offline triage of Kling AI API call logs")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(KT_PACKAGE_MAINTAINER "kling-triage maintainers <maintainers@kling-triage.invalid>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT ${KT_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # kling-triage_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from dpkg-shlibdeps
# python3-distributed: kling-triage-dask (a Dask cluster).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, python3-distributed")
# The summary above is the first line; CPack indents these.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "kling-triage reads the logs services write when they call the Kling AI
video-generation API (JSON Lines from common loggers and gateways, HAR;
plain, gzip or zstd) and classifies every failed call with a declarative
rule pack encoding Kling's error reference. It reports why calls failed,
how often, since when and what to change, as text, JSON, Markdown or a
self-contained HTML page, and can gate nightly jobs on the results.")
include(CPack)
