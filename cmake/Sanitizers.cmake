# DBMCP_SANITIZE=address builds with AddressSanitizer and UndefinedBehaviorSanitizer;
# DBMCP_SANITIZE=thread builds with ThreadSanitizer. Applies to every target below.
# Sanitizer builds exist to run the tests: -O1 (what the sanitizers' documentation advises) and
# -g1 (line tables: reports keep file:line) compile in about a third of the time of -O2 -g.
# scripts/configure.sh builds the ASan tree with clang when installed: g++'s UBSan instrumentation
# nearly doubles its compile time, clang's costs little.
if(DBMCP_SANITIZE STREQUAL "address")
  add_compile_options(-O1 -g1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(DBMCP_SANITIZE STREQUAL "thread")
  add_compile_options(-O1 -g1 -fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT DBMCP_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DBMCP_SANITIZE must be empty, 'address' or 'thread', not '${DBMCP_SANITIZE}'")
endif()
