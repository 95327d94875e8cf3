# DBMCP_FUZZ=ON builds the libFuzzer targets of tests/fuzz (scripts/fuzz.sh drives them): every
# library is instrumented for coverage and built with AddressSanitizer and
# UndefinedBehaviorSanitizer (at -O1 -g1, like the sanitizer builds); the targets add libFuzzer's
# main at link time.
if(DBMCP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DBMCP_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  if(NOT DBMCP_SANITIZE STREQUAL "")
    message(FATAL_ERROR "DBMCP_FUZZ brings its own sanitizers: leave DBMCP_SANITIZE empty")
  endif()
  add_compile_options(-O1 -g1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
