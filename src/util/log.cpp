#include "util/log.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>

namespace dbmcp {
namespace {

constexpr std::array<std::string_view, 8> k_level_names = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

std::atomic<LogLevel> g_stderr_level{LogLevel::warning};
std::mutex g_stderr_mutex;

} // namespace

std::optional<LogLevel> parse_log_level(std::string_view name)
{
  for (size_t i = 0; i < k_level_names.size(); ++i) {
    if (k_level_names[i] == name) {
      return static_cast<LogLevel>(i);
    }
  }
  return std::nullopt;
}

std::string_view to_string(LogLevel level)
{
  return k_level_names[static_cast<size_t>(level)];
}

namespace log {

void set_stderr_level(LogLevel level)
{
  g_stderr_level = level;
}

LogLevel stderr_level()
{
  return g_stderr_level;
}

void write(LogLevel level, std::string_view message)
{
  if (level < g_stderr_level.load()) {
    return;
  }
  std::lock_guard lock(g_stderr_mutex);
  std::fprintf(stderr, "dbmcp: %.*s: %.*s\n", static_cast<int>(to_string(level).size()),
               to_string(level).data(), static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

} // namespace log
} // namespace dbmcp
