# DBMCP_FUZZ=ON also builds the libFuzzer targets of tests/fuzz (scripts/fuzz.sh drives them) in an
# ASan+UBSan tree built with clang: every library is instrumented for coverage as well, so the tests
# and the fuzzers of one tree share every object (the targets add libFuzzer's main at link time).
if(DBMCP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DBMCP_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  if(NOT DBMCP_SANITIZE STREQUAL "address")
    message(FATAL_ERROR "DBMCP_FUZZ runs under ASan+UBSan: add -DDBMCP_SANITIZE=address")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
