#pragma once

#include "cache/result_cache.hpp"
#include "cli/connection.hpp"
#include "mcp/server.hpp"
#include "tools/database_tools.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace dbmcp::cli {

// Flags every subcommand shares, parsed on the top-level app (subcommands fall through to it).
struct GlobalFlags
{
  ConnectionFlags connection;
  std::string log_level = "warning";
  size_t max_line_bytes = mcp::ServerOptions{}.max_line_bytes;
  size_t max_queued_bytes = mcp::ServerOptions{}.max_queued_bytes;
  unsigned workers = 0; // 0: sized to the backend's pool
  int64_t max_rows = 100;
  size_t max_answer_bytes = tools::ToolOptions{}.max_answer_bytes;
  int64_t max_affected_rows = tools::ToolOptions{}.max_affected_rows;
  bool allow_admin = false;
};

// Each adds one subcommand to `app`; its callback runs it and stores the exit code in
// `exit_code`. Failures that end the process throw Fatal.
void setup_serve(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_call(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_tools(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_init(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_health(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_diagnostics(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_maintenance(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_config(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_audit(CLI::App& app, const GlobalFlags& flags, int& exit_code);
void setup_policy(CLI::App& app, const GlobalFlags& flags, int& exit_code);

// Runs the MCP server on stdin/stdout: what `dbmcp` and `dbmcp serve` do.
int serve(const GlobalFlags& flags);

// The tool set's options as the flags and the resolved store options give them.
tools::ToolOptions tool_options(const GlobalFlags& flags, const store::StoreOptions& options);

// The database tools over `store`, behind the query-result cache when --cache (or DB_CACHE) asks
// for one. Throws Fatal (exit 2) for a cache URL this dbmcp cannot open.
tools::Registry database_tools(const GlobalFlags& flags, const store::StoreOptions& options, store::Store& store);

// The result cache --cache (or DB_CACHE) asks for, not yet tried; nullptr when there is none.
// Throws Fatal (exit 2) for a cache URL this dbmcp cannot open.
std::shared_ptr<cache::ResultCache> open_result_cache(const GlobalFlags& flags, const store::StoreOptions& options);

// `registry` with every call recorded in the audit file --audit (or DB_AUDIT) names, unchanged when
// none is named. Throws Fatal (exit 2) when the file cannot be opened or is readable by others.
tools::Registry with_audit_trail(const GlobalFlags& flags, tools::Registry registry);

// After an admin command changed the database (init, maintenance): bumps the generation of every
// table of `store` in the cache --cache names, so no dbmcp sharing it serves an answer read before.
void invalidate_result_cache(const GlobalFlags& flags, const store::StoreOptions& options, store::Store& store);

} // namespace dbmcp::cli
