#pragma once
// A test's view of a process's memory (issue 14): fields of /proc/PID/status, and whether this
// build runs under a sanitizer (then sizes mean nothing: shadow memory, quarantine).
#include <doctest/doctest.h>

#include <fstream>
#include <string>

namespace dbmcp::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool k_sanitized = true;
#else
inline constexpr bool k_sanitized = false;
#endif
#else
inline constexpr bool k_sanitized = false;
#endif

// The number after `field:` in /proc/`pid`/status (kB for the Vm* and Rss* fields, a count for
// Threads).
inline long status_field(int pid, const std::string& field)
{
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stol(line.substr(field.size() + 1));
    }
  }
  FAIL("no " << field << " in /proc/" << pid << "/status");
  return -1;
}

} // namespace dbmcp::test
