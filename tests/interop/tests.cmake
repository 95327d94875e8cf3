# Interoperability with the official MCP TypeScript clients, included by tests/CMakeLists.txt.
#
#   interop_npm_ci   fixture set-up: `npm ci` of the pinned packages (package-lock.json) into
#                    tests/interop/node_modules (ignored by git)
#   interop_legacy   @modelcontextprotocol/sdk 1.x, initialize handshake, up to 2025-11-25
#   interop_modern   @modelcontextprotocol/client 2.x pinned to 2026-07-28, plus raw JSON-RPC checks
#   interop_*_mariadb  both again on MariaDB (--mysql: $DBMCP_TEST_MYSQL_URL from scripts/with-mariadb.sh)
#
# Node.js and npm are required: without them the configure fails rather than skipping the suite.
find_program(NODE node REQUIRED)
find_program(NPM npm REQUIRED)

execute_process(COMMAND ${NODE} --version OUTPUT_VARIABLE interop_node_version
                OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE interop_node_status)
string(REGEX REPLACE "^v" "" interop_node_version "${interop_node_version}")
if(NOT interop_node_status EQUAL 0 OR interop_node_version VERSION_LESS 20)
  message(FATAL_ERROR "tests/interop needs Node.js 20 or newer; ${NODE} reports '${interop_node_version}'")
endif()

set(interop_dir ${CMAKE_CURRENT_LIST_DIR})

# npm ci reproduces package-lock.json exactly; without a lock (while changing the pins) npm install
# writes one.
if(EXISTS ${interop_dir}/package-lock.json)
  set(interop_install ci)
else()
  set(interop_install install)
endif()
add_test(NAME interop_npm_ci COMMAND ${NPM} ${interop_install} --no-audit --no-fund
         WORKING_DIRECTORY ${interop_dir})
set_tests_properties(interop_npm_ci PROPERTIES FIXTURES_SETUP interop_node_modules TIMEOUT 600 LABELS interop)

foreach(script legacy modern)
  add_test(NAME interop_${script}
           COMMAND ${NODE} ${interop_dir}/${script}.mjs $<TARGET_FILE:dbmcp> --timeout 240
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(interop_${script} PROPERTIES FIXTURES_REQUIRED interop_node_modules TIMEOUT 300
                       LABELS interop)
endforeach()

# The same scripts on MariaDB (scripts/with-mariadb.sh's server, a database of their own), when the
# MySQL backend is built: its module must be built beside dbmcp.
if(DBMCP_WITH_MYSQL)
  foreach(script legacy modern)
    add_test(NAME interop_${script}_mariadb
             COMMAND ${NODE} ${interop_dir}/${script}.mjs $<TARGET_FILE:dbmcp> --timeout 240 --mysql
             WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(interop_${script}_mariadb PROPERTIES FIXTURES_REQUIRED interop_node_modules TIMEOUT 300
                         LABELS interop RESOURCE_LOCK mariadb)
  endforeach()
endif()
