# The man page and the shell completions, checked against the built binary's --help output
# (tests/docs/check_docs.sh), included by tests/CMakeLists.txt.
#
#   docs_man              groff -ww / man --warnings clean; every command, flag, tool and
#                         environment variable documented
#   docs_completion_bash  completions/dbmcp.bash loads and completes every command and flag
#   docs_completion_zsh   completions/_dbmcp autoloads through compinit and completes the same
#   docs_completion_fish  completions/dbmcp.fish loads and completes the same
#
# groff, man, zsh, fish and bash-completion come from scripts/install-deps.sh; without them the
# configure fails rather than skipping the checks.
find_program(DOCS_BASH bash REQUIRED)
find_program(DOCS_GROFF groff REQUIRED)
find_program(DOCS_MAN man REQUIRED)
find_program(DOCS_ZSH zsh REQUIRED)
find_program(DOCS_FISH fish REQUIRED)
if(NOT EXISTS /usr/share/bash-completion/bash_completion)
  message(FATAL_ERROR "tests/docs needs bash-completion (/usr/share/bash-completion/bash_completion)")
endif()

foreach(mode man completion_bash completion_zsh completion_fish)
  string(REPLACE "completion_" "" shell_mode ${mode})
  add_test(NAME docs_${mode}
           COMMAND ${DOCS_BASH} ${CMAKE_CURRENT_LIST_DIR}/check_docs.sh ${shell_mode} $<TARGET_FILE:dbmcp>
                   ${CMAKE_SOURCE_DIR})
  set_tests_properties(docs_${mode} PROPERTIES TIMEOUT 300 LABELS docs)
endforeach()
