# Precompiled headers: nlohmann/json and fmt dominate the compile time of almost every file
# (each .cpp parses ~40k lines of them). DBMCP_PCH=OFF turns them off, e.g. to check that every
# file includes what it uses.
#
# The whole tree shares two precompiled headers instead of one per target: dbmcp_pch for the
# product's libraries (the product's flags, -fPIC) and dbmcp_test_pch for the tests (the flags of
# dbmcp_test_options, -fPIE). GCC uses a .gch only when it was built with the same flags as the
# file including it and otherwise parses the header as text; the -Winvalid-pch CMake adds makes
# such a silent fallback a visible warning (check a build log for it after changing flags). Each
# owner is created on first use, once the directory's compile options are all set.
option(DBMCP_PCH "Precompile the heavy third-party headers" ON)

# The test code (suites and their support library) is built at -O1 -g1 in every build: it is
# compiled far more than it runs. The sanitizer and fuzz builds already use these flags.
function(dbmcp_test_options target)
  target_compile_options(${target} PRIVATE -O1 -g1)
endfunction()

# Gives `target` the shared precompiled header of its kind: `product` (the default: libraries,
# modules) or `test` (test executables and their support library, built with -fPIE).
function(dbmcp_precompile target)
  if(NOT DBMCP_PCH)
    return()
  endif()
  set(kind product)
  if(ARGC GREATER 1)
    set(kind ${ARGV1})
  endif()
  if(kind STREQUAL "test")
    set(owner dbmcp_test_pch)
  else()
    set(owner dbmcp_pch)
  endif()
  if(NOT TARGET ${owner})
    add_library(${owner} OBJECT ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/pch.cpp)
    target_link_libraries(${owner} PRIVATE nlohmann_json::nlohmann_json fmt::fmt)
    if(kind STREQUAL "test")
      set_target_properties(${owner} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
      target_compile_options(${owner} PRIVATE -fPIE)
      dbmcp_test_options(${owner})
    endif()
    target_precompile_headers(${owner} PRIVATE <nlohmann/json.hpp> <fmt/format.h> <string> <vector> <map>
                              <memory> <optional> <functional> <mutex>)
  endif()
  target_precompile_headers(${target} REUSE_FROM ${owner})
endfunction()
