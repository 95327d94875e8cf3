#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dbmcp {

// RFC 5424 severities, as MCP logging names them, from least to most severe.
enum class LogLevel { debug, info, notice, warning, error, critical, alert, emergency };

// Parses "debug" … "emergency"; returns nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view name);
std::string_view to_string(LogLevel level);

namespace log {

// The minimum level written to stderr (default: warning). Thread-safe.
void set_stderr_level(LogLevel level);
LogLevel stderr_level();

// Writes one line "dbmcp: <level>: <message>" to stderr when `level` is at or above the stderr
// level. Never writes to stdout. Thread-safe; lines never interleave.
void write(LogLevel level, std::string_view message);

} // namespace log
} // namespace dbmcp
