# Precompiled headers: nlohmann/json and fmt dominate the compile time of almost every file
# (each .cpp parses ~40k lines of them). DBMCP_PCH=OFF turns them off, e.g. to check that every
# file includes what it uses.
option(DBMCP_PCH "Precompile the heavy third-party headers" ON)

# Gives `target` a precompiled header of the third-party and standard headers most files use.
function(dbmcp_precompile target)
  if(DBMCP_PCH)
    target_precompile_headers(${target} PRIVATE <nlohmann/json.hpp> <fmt/format.h> <string> <vector> <map>
                              <memory> <optional> <functional> <mutex>)
  endif()
endfunction()
